/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Faults as chargerd names them: stable codes (journal, D-Bus, history,
 * chargerctl), derived from a snapshot alone. health tells what is present
 * now; bq2589x_charger's faults/ counters tell what happened between two
 * snapshots, including a fault that came and went unseen.
 */
#ifndef CHARGERD_FAULTS_H
#define CHARGERD_FAULTS_H

#include <stdint.h>

#include "snapshot.h"

enum fault {
	FAULT_INPUT_OVP,		/* VBUS over-voltage: a wrong adapter */
	FAULT_INPUT_COLLAPSE,		/* VBUS collapsed under load: source or cable */
	FAULT_BATTERY_OVP,		/* battery over-voltage */
	FAULT_THERMAL_SHUTDOWN,		/* the charger IC overheated */
	FAULT_SAFETY_TIMER,		/* charging took too long */
	FAULT_HOT,			/* battery too hot to charge (NTC) */
	FAULT_COLD,			/* battery too cold to charge (NTC) */
	FAULT_WATCHDOG,			/* the chip reset to defaults; restored */
	FAULT_BOOST,			/* OTG boost fault */
	FAULT_NO_RESPONSE,		/* the charger does not answer on I2C */
	/*
	 * An input fault the readings cannot place: over-voltage or a source
	 * too weak (the BQ25895 reports both as CHRG_FAULT = 01), with VBUS
	 * normal by the time it is read, or a fault that came and went.
	 * Last: the history keeps masks, the bits above are fixed.
	 */
	FAULT_INPUT,
	/*
	 * The chip went back to its power-on defaults with no watchdog
	 * expiry counted (a power-on reset: its supply dipped; or its
	 * watchdog with the board's off, which the chip cannot tell apart),
	 * and its driver restored its settings: chip_resets rose alone.
	 */
	FAULT_CHIP_RESET,
	/*
	 * The charger chip does not keep the settings its driver writes (a
	 * register reads back off what was written: a damaged part, or
	 * another bus master): bq2589x_charger's health "Unspecified
	 * failure" with its config_unkept counted.
	 */
	FAULT_SETTINGS_UNKEPT,
	/*
	 * Something other than the charger's driver wrote its settings (a
	 * program using i2c-dev with forced access, another processor on the
	 * bus: a value neither the driver's nor the chip's default, no reset
	 * shown), and
	 * the driver put them back: config_overwritten rose.
	 */
	FAULT_SETTINGS_OVERWRITTEN,
	FAULT__COUNT
};

#define FAULT_BIT(f)	(1u << (f))

/* "input-ovp", ...; NULL past the end. */
const char *fault_code(enum fault f);
/* One plain sentence for the journal and chargerctl. */
const char *fault_text(enum fault f);
/* The fault with this code, or -1. */
int fault_from_code(const char *code);

/*
 * The faults of a mask, in enum order: the one way the agent walks a
 * fault mask. fault_next() is the first fault in mask at or after from,
 * or FAULT__COUNT.
 */
enum fault fault_next(uint32_t mask, int from);
#define for_each_fault(f, mask) \
	for ((f) = fault_next((mask), 0); (f) < FAULT__COUNT; (f) = fault_next((mask), (f) + 1))

/*
 * The faults as a restart finds them (runtime.c's faults file): "ACTIVE
 * LAST\n", the faults present (a FAULT_BIT() mask, decimal) and the code
 * of the last one raised ("-" none). faults_state_parse() returns 0, or
 * -EINVAL for anything else (a sign, a space too many, trailing text, a
 * bit or a code this version does not know).
 */
#define FAULTS_STATE_LINE_MAX	48
void faults_state_format(uint32_t active, int last, char *line, size_t len);
int faults_state_parse(const char *line, uint32_t *active, int *last);

/* The codes of mask joined by ',' ("input-ovp,hot"; "" for none) into buf[len]. */
void faults_join(uint32_t mask, char *buf, size_t len);

/*
 * The faults present in snapshot s. prev is the set present before: for
 * the one ambiguous health, "Over voltage" (which side it is stays the
 * same while it lasts), and for those health cannot show now (one ranked
 * below the fault it shows, or health not read: kept, not ended). An
 * input fault is placed by VBUS as read during it: at the over-voltage
 * threshold's level input-ovp, below the chip's poor-source level
 * input-collapse, else input-fault (either). No charger: none.
 */
uint32_t faults_present(const struct snapshot *old, const struct snapshot *s, uint32_t prev);

/* The charger's health was read (there, and not the driver's unread "Unknown", nor failed). */
bool faults_readable(const struct psy_snapshot *c);

/*
 * Health h (a charger's power_supply "health" value) says the chip charges
 * nothing now, whoever drives it: a charge fault (REG0C CHRG_FAULT: input
 * fault, thermal shutdown, safety timer) or the battery's thermistor past
 * its cold or hot limit (NTC_FAULT, or JEITA's zones: the BQ2589x
 * datasheet's "Battery Temperature Monitoring" suspends charging there);
 * for another charger also "Dead", "Over current" and "No battery" (the
 * power_supply ABI's). Not: "Good", the zones it charges in at a lower current or voltage
 * ("Warm", "Cool"), a watchdog expiry (the chip goes on, on its defaults),
 * and what says nothing of it ("", "Unknown", a value it does not know).
 */
bool health_stops_charging(const char *h);

/*
 * Faults whose counters rose from old to s (old == NULL: none). An input
 * fault that came and went is input-fault (VBUS now says nothing of it).
 */
uint32_t faults_occurred(const struct snapshot *old, const struct snapshot *s);

/*
 * A charger's fault counters (bq2589x_charger's faults/ and chip_resets:
 * occurrences since its probe, PSY_NONE not read) and the device they
 * count for (its directory's inode, psy_snapshot's ino; 0: none): what a
 * restart compares with (runtime.c's faults file).
 */
struct fault_counters {
	uint64_t ino;
	long long watchdog, chip_resets, boost, input, thermal_shutdown, safety_timer;
	long long battery_ovp, config_overwritten;
};

/* c's counters into out; out->ino 0 if c is absent or its device not known. */
void fault_counters_of(const struct psy_snapshot *c, struct fault_counters *out);
/*
 * Faults whose counters rose from those saved (before) to s's charger,
 * the same device only (a rebind counts from 0 again: none). before->ino
 * 0: none.
 */
uint32_t faults_occurred_since(const struct fault_counters *before, const struct snapshot *s);
/*
 * As one line, "INO WATCHDOG CHIP_RESETS BOOST INPUT THERMAL_SHUTDOWN
 * SAFETY_TIMER BATTERY_OVP CONFIG_OVERWRITTEN\n", decimal, '-' for a
 * counter not read. fault_counters_parse() also takes the line without
 * CONFIG_OVERWRITTEN (an older chargerd's, before an upgrade: that counter
 * not read) and returns 0, or -EINVAL for anything else (ino 0, a sign, a
 * space too many, trailing text, a field missing).
 */
#define FAULT_COUNTERS_LINE_MAX	192
void fault_counters_format(const struct fault_counters *c, char *line, size_t len);
int fault_counters_parse(const char *line, struct fault_counters *c);

#endif
