/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The status LED, the first thing a user's guide tells them to check.
 * Four patterns: charging steady, full (or no charger) off, paused (or
 * draining while plugged in) slow blink, fault fast blink (also when the
 * fault cut the input). Driven through the leds class with the timer
 * trigger (its delay_on and delay_off), which the udev rule selects and
 * opens to the chargerd group; without it, just on or off.
 */
#ifndef CHARGERD_LED_H
#define CHARGERD_LED_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"
#include "policy.h"
#include "snapshot.h"

enum led_pattern { LED_OFF, LED_STEADY, LED_SLOW_BLINK, LED_FAST_BLINK, LED__COUNT };

/* The pattern for this state (pure). */
enum led_pattern led_pattern_for(const struct snapshot *s, bool fault, enum pause_reason pause);

const char *led_pattern_name(enum led_pattern p);	/* off, steady, slow-blink, fast-blink */

/*
 * The LED to drive: name if given ("none": no LED), else the first under
 * the class directory whose name ends in ":charging", else ":status".
 * Returns 0, or -ENOENT.
 */
int led_find(int classfd, const char *name, char *out, size_t len);

/*
 * Open the LED name (in the class directory classfd) to the group gid, as
 * root does at its udev event (`chargerd --grant-led`): its trigger set to
 * "timer", whose delays led_show() writes, then brightness, delay_on and
 * delay_off given to gid and made group-writable. An LED without the timer
 * trigger keeps brightness only. Returns 0, or the first -errno, with
 * *attr (if attr is not NULL) the attribute that failed (static; NULL when
 * the LED itself did), for grant_say().
 */
int led_grant(int classfd, const char *name, gid_t gid, const char **attr);

/*
 * Give the LED back while chargerd is not running (chargerd --hand-back,
 * after every stop and crash): its patterns would say "paused" over a
 * charger charging again (helper-79). To the kernel's own trigger for the
 * battery supply's charging ("BATTERY-charging": on while it charges,
 * power_supply_leds.c) when the LED has it, else off; with that trigger
 * and charging (charging handed back to a charger online, the battery
 * not full), on at once, whatever the trigger last heard. The LED want
 * names (led_find()'s rules). Returns 0, -ENOENT (no LED), or the
 * write's -errno.
 * chargerd --grant-led (root, at each start) gives it the timer trigger
 * again: its delay files are new then, root's, granted by it.
 */
int led_hand_back(int classfd, const char *want, const char *battery, bool charging);

/*
 * Whether the battery charges once charging is handed back, for
 * led_hand_back(): psyfd is /sys/class/power_supply, chg and bat the
 * charger's and the battery's names (supplies_find()). The charger
 * online; its own status "Charging", or else no fault or thermistor zone
 * in its health that stops charging (health_stops_charging(); an
 * unreadable health holds nothing); the battery there and not "Full"
 * (only that: its status may lag the write that ended a pause). False
 * for a missing name or file.
 */
bool led_charging_handed_back(int psyfd, const char *chg, const char *bat);

/* Show pattern p on the LED in dirfd (its class directory); 0 or -errno. */
int led_show(int dirfd, enum led_pattern p);

/* The status LED as chargerd drives it. */
struct status_led {
	int classfd;			/* /sys/class/leds; -1: no LED class */
	char name[CONFIG_NAME_MAX];	/* the LED in use; "" none found yet */
	enum led_pattern shown;		/* LED__COUNT: nothing shown */
	bool found;			/* the last show found it (first, or again) */
};

/*
 * Show p on the LED want names (led_find()'s rules), found again if it
 * went away (an LED driver unbound and bound again); written only when p
 * is not what it shows. Returns 0, 1 when there is no LED to show it on,
 * or the -errno of the write (l->name says which LED).
 */
int status_led_show(struct status_led *l, const char *want, enum led_pattern p);

#endif
