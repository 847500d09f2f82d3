// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "faults.h"
#include "file.h"
#include "grant.h"
#include "led.h"

enum led_pattern led_pattern_for(const struct snapshot *s, bool fault, enum pause_reason pause)
{
	const struct psy_snapshot *c = &s->charger;

	/* a fault shows even when it cut the input (an over-voltage adapter) */
	if (fault)
		return LED_FAST_BLINK;
	if (!c->present || c->online != 1)
		return LED_OFF;
	/* paused, or plugged in and still draining: not charging, nothing broken */
	if (pause != PAUSE_NONE || snapshot_draining(s))
		return LED_SLOW_BLINK;
	if (!strcmp(c->status, "Full"))
		return LED_OFF;
	return LED_STEADY;
}

const char *led_pattern_name(enum led_pattern p)
{
	static const char *const names[LED__COUNT] = { "off", "steady", "slow-blink", "fast-blink" };

	return (unsigned int)p < LED__COUNT ? names[p] : "?";
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

int led_find(int classfd, const char *name, char *out, size_t len)
{
	char status[256] = "";
	struct dirent *de;
	DIR *d;
	int fd;

	out[0] = '\0';
	if (name[0]) {
		if (!strcmp(name, "none") || !sysfs_name_ok(name) ||
		    faccessat(classfd, name, F_OK, 0))
			return -ENOENT;
		snprintf(out, len, "%s", name);
		return 0;
	}
	fd = dup(classfd);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		if (ends_with(de->d_name, ":charging") && (!out[0] || strcmp(de->d_name, out) < 0))
			snprintf(out, len, "%s", de->d_name);
		if (ends_with(de->d_name, ":status") && (!status[0] || strcmp(de->d_name, status) < 0))
			snprintf(status, sizeof(status), "%s", de->d_name);
	}
	closedir(d);
	if (!out[0])
		snprintf(out, len, "%s", status);
	return out[0] ? 0 : -ENOENT;
}

static int put(int dirfd, const char *attr, const char *val)
{
	int fd = openat(dirfd, attr, O_WRONLY | O_TRUNC | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* The LED's trigger is timer. */
static bool trigger_is_timer(int dirfd)
{
	char buf[4096];

	return file_read_attr(dirfd, "trigger", buf, sizeof(buf)) && strstr(buf, "[timer]");
}

/* The LED's trigger file lists want ("none [timer] sbs-0-000b-charging ..."). */
static bool trigger_has(int dirfd, const char *want)
{
	char buf[4096], *tok, *save = NULL;

	if (!file_read_attr(dirfd, "trigger", buf, sizeof(buf)))
		return false;
	for (tok = strtok_r(buf, " \n[]", &save); tok; tok = strtok_r(NULL, " \n[]", &save))
		if (!strcmp(tok, want))
			return true;
	return false;
}

int led_hand_back(int classfd, const char *want, const char *battery, bool charging)
{
	char name[CONFIG_NAME_MAX], trig[CONFIG_NAME_MAX + 16], max[16];
	int fd, r = -ENOENT;

	if (classfd < 0 || led_find(classfd, want, name, sizeof(name)))
		return -ENOENT;
	fd = openat(classfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (battery && battery[0]) {
		snprintf(trig, sizeof(trig), "%s-charging", battery);
		if (trigger_has(fd, trig))
			r = put(fd, "trigger", trig);
		/*
		 * The trigger shows what the battery's last change event said
		 * (power_supply_update_bat_leds()); a gauge that announces no
		 * change (an SBS gauge without its alert line) left it off
		 * while the device charged, at every stop of chargerd
		 * (helper-86: "no light" is the first step of "it won't
		 * charge"). Charging now: on (a brightness other than 0 keeps
		 * the trigger, which follows the battery's next change).
		 */
		if (!r && charging && file_read_attr(fd, "max_brightness", max, sizeof(max)))
			put(fd, "brightness", max);
	}
	/* off: brightness 0 also ends the timer trigger, and its blink */
	if (r)
		r = put(fd, "brightness", "0");
	close(fd);
	return r;
}

int led_grant(int classfd, const char *name, gid_t gid, const char **attr)
{
	/* trigger too: chargerd --hand-back, unprivileged, gives the LED to the kernel's */
	static const char *const attrs[] = { "brightness", "delay_on", "delay_off", "trigger" };
	unsigned int i;
	bool switched;
	int fd, r;

	if (attr)
		*attr = NULL;
	if (!sysfs_name_ok(name) || !strcmp(name, "none"))
		return -EINVAL;
	fd = openat(classfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/*
	 * Set again, the timer trigger would restart at its default blink
	 * under a pattern chargerd shows: an LED added again (udevadm
	 * trigger) or a reload leaves it alone. A trigger the kernel does not
	 * have is -EINVAL: brightness alone then.
	 */
	switched = !trigger_is_timer(fd);
	r = switched ? put(fd, "trigger", "timer") : 0;
	/*
	 * taken back (from the kernel's trigger chargerd --hand-back gave
	 * it): off until chargerd shows its pattern, not the timer's default
	 * blink for that second
	 */
	if (switched && !r)
		led_show(fd, LED_OFF);
	if (r == -EINVAL)
		r = 0;
	if (r && attr)
		*attr = "trigger";
	/* brightness is the LED; the delays come only with the timer trigger */
	for (i = 0; !r && i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		r = grant_attr(fd, attrs[i], gid);
		if (r == -ENOENT && i)
			r = 0;
		if (r && attr)
			*attr = attrs[i];
	}
	close(fd);
	return r;
}

int led_show(int dirfd, enum led_pattern p)
{
	static const char *const on[LED__COUNT] = { "0", "1000", "1000", "125" };
	static const char *const off[LED__COUNT] = { "1000", "0", "1000", "125" };
	bool on_first = on[p][0] != '0';
	int r;

	/*
	 * The timer trigger's delays, one file at a time: never both 0 on the
	 * way, which LED drivers take as "blink at your default".
	 */
	r = put(dirfd, on_first ? "delay_on" : "delay_off", on_first ? on[p] : off[p]);
	if (!r)
		return put(dirfd, on_first ? "delay_off" : "delay_on", on_first ? off[p] : on[p]);
	if (r != -ENOENT)
		return r;
	/* no timer trigger: a level is all there is */
	return put(dirfd, "brightness", p == LED_OFF ? "0" : "255");
}

int status_led_show(struct status_led *l, const char *want, enum led_pattern p)
{
	int fd, r;

	l->found = false;
	if (l->classfd < 0)
		return 1;
	if (!l->name[0] || faccessat(l->classfd, l->name, F_OK, 0)) {
		l->shown = LED__COUNT;	/* gone, or not there yet */
		if (led_find(l->classfd, want, l->name, sizeof(l->name)))
			return 1;
		l->found = true;
	}
	if (p == l->shown)
		return 0;
	fd = openat(l->classfd, l->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = fd < 0 ? -errno : led_show(fd, p);
	if (fd >= 0)
		close(fd);
	if (r < 0)
		return r;
	l->shown = p;
	return 0;
}

/*
 * The charger's status first: a health that stops charging ("Unspecified
 * failure" is also bq2589x_charger's register that does not keep its
 * value, charging on within the limits) is read only when the charger
 * does not say it charges (helper-88: the LED lit over an expired safety
 * timer, whose status is not "Charging").
 */
bool led_charging_handed_back(int psyfd, const char *chg, const char *bat)
{
	char path[2 * CONFIG_NAME_MAX], online[8], health[32], status[32];
	bool charging;

	if (!chg[0] || !bat[0])
		return false;
	snprintf(path, sizeof(path), "%s/online", chg);
	if (!file_read_attr(psyfd, path, online, sizeof(online)) || strcmp(online, "1"))
		return false;
	snprintf(path, sizeof(path), "%s/status", chg);
	charging = file_read_attr(psyfd, path, status, sizeof(status)) &&
		   !strcmp(status, "Charging");
	snprintf(path, sizeof(path), "%s/health", chg);
	if (!charging && file_read_attr(psyfd, path, health, sizeof(health)) &&
	    health_stops_charging(health))
		return false;
	snprintf(path, sizeof(path), "%s/status", bat);
	return file_read_attr(psyfd, path, status, sizeof(status)) && strcmp(status, "Full");
}
