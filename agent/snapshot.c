// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot.h"

/* One attribute's text, without the newline; -errno if unreadable. */
static int attr_text(int dirfd, const char *attr, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = openat(dirfd, attr, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static long long attr_num(int dirfd, const char *attr)
{
	char buf[32], *end;
	long long v;

	if (attr_text(dirfd, attr, buf, sizeof(buf)) || !buf[0])
		return PSY_NONE;
	errno = 0;
	v = strtoll(buf, &end, 10);
	return errno || *end ? PSY_NONE : v;
}

/* Copy, cutting at len - 1 (sysfs values here are short words). */
static void copy_str(char *out, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	memcpy(out, src, n);
	out[n] = '\0';
}

/* "Unknown SDP CDP [DCP]" -> "DCP"; a plain value stays as it is. */
static void attr_choice(int dirfd, const char *attr, char *out, size_t len)
{
	char buf[128], *open, *close;

	out[0] = '\0';
	if (attr_text(dirfd, attr, buf, sizeof(buf)))
		return;
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (open && close) {
		*close = '\0';
		copy_str(out, len, open + 1);
	} else {
		copy_str(out, len, buf);
	}
}

#define NUM_ATTR(f)	{ #f, offsetof(struct psy_snapshot, f) }
#define FAULT_ATTR(f)	{ "faults/" #f, offsetof(struct psy_snapshot, faults_##f) }

/* The numeric attributes, read the same way. */
static const struct {
	const char *attr;
	size_t off;
} num_attrs[] = {
	NUM_ATTR(online), NUM_ATTR(voltage_now), NUM_ATTR(current_now),
	NUM_ATTR(current_max), NUM_ATTR(temp), NUM_ATTR(capacity),
	NUM_ATTR(constant_charge_current), NUM_ATTR(constant_charge_current_max),
	NUM_ATTR(constant_charge_voltage), NUM_ATTR(constant_charge_voltage_max),
	NUM_ATTR(input_current_limit), NUM_ATTR(charge_now), NUM_ATTR(charge_full),
	NUM_ATTR(charge_full_design), NUM_ATTR(cycle_count), NUM_ATTR(i2c_errors),
	NUM_ATTR(chip_resets),
	FAULT_ATTR(watchdog), FAULT_ATTR(boost), FAULT_ATTR(input), FAULT_ATTR(thermal_shutdown),
	FAULT_ATTR(safety_timer), FAULT_ATTR(battery_ovp), FAULT_ATTR(ntc),
};

void psy_read(int classfd, const char *name, struct psy_snapshot *s)
{
	int fd = -1;
	size_t i;

	memset(s, 0, sizeof(*s));
	copy_str(s->name, sizeof(s->name), name);
	if (name[0] && !strchr(name, '/'))
		fd = openat(classfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && !attr_text(fd, "type", s->type, sizeof(s->type))) {
		s->present = true;
		attr_text(fd, "status", s->status, sizeof(s->status));
		attr_text(fd, "health", s->health, sizeof(s->health));
		attr_text(fd, "charge_type", s->charge_type, sizeof(s->charge_type));
		attr_choice(fd, "usb_type", s->usb_type, sizeof(s->usb_type));
		attr_choice(fd, "charge_behaviour", s->charge_behaviour,
			    sizeof(s->charge_behaviour));
		attr_text(fd, "source_kind", s->source_kind, sizeof(s->source_kind));
		attr_text(fd, "input_dpm", s->input_dpm, sizeof(s->input_dpm));
	}
	for (i = 0; i < sizeof(num_attrs) / sizeof(num_attrs[0]); i++)
		*(long long *)((char *)s + num_attrs[i].off) =
			s->present ? attr_num(fd, num_attrs[i].attr) : PSY_NONE;
	if (fd >= 0)
		close(fd);
}

void psy_reread(int classfd, struct psy_snapshot *s, const char *attr)
{
	int fd;
	size_t i;

	if (!s->present || !s->name[0] || strchr(s->name, '/'))
		return;
	fd = openat(classfd, s->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!strcmp(attr, "charge_behaviour"))
		attr_choice(fd, attr, s->charge_behaviour, sizeof(s->charge_behaviour));
	for (i = 0; i < sizeof(num_attrs) / sizeof(num_attrs[0]); i++)
		if (!strcmp(attr, num_attrs[i].attr))
			*(long long *)((char *)s + num_attrs[i].off) = attr_num(fd, attr);
	close(fd);
}

/* The type of one supply, or "" */
static void type_of(int classfd, const char *name, char *type, size_t len)
{
	int fd = openat(classfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	type[0] = '\0';
	if (fd < 0)
		return;
	attr_text(fd, "type", type, len);
	close(fd);
}

/*
 * A peripheral's supply (scope "Device": a Bluetooth headset's or a HID
 * device's battery, a USB device's charger) is never the device's own.
 */
static bool peripheral(int classfd, const char *name)
{
	char scope[16] = "";
	int fd = openat(classfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return false;
	attr_text(fd, "scope", scope, sizeof(scope));
	close(fd);
	return !strcmp(scope, "Device");
}

int supplies_find(int classfd, const struct chargerd_config *cfg,
		  char charger[CONFIG_NAME_MAX], char battery[CONFIG_NAME_MAX])
{
	char type[16], first_chg[CONFIG_NAME_MAX] = "", first_bat[CONFIG_NAME_MAX] = "";
	struct dirent *de;
	bool ours = false;
	DIR *d;
	int fd;

	charger[0] = battery[0] = '\0';
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
		if (de->d_name[0] == '.' || strlen(de->d_name) >= CONFIG_NAME_MAX)
			continue;
		type_of(classfd, de->d_name, type, sizeof(type));
		if (type[0] && peripheral(classfd, de->d_name))
			continue;
		if (!strcmp(de->d_name, "bq25895-charger"))
			ours = true;
		/* readdir order is arbitrary: keep the smallest name, for stability */
		if ((!strcmp(type, "USB") || !strcmp(type, "Mains")) &&
		    (!first_chg[0] || strcmp(de->d_name, first_chg) < 0))
			copy_str(first_chg, sizeof(first_chg), de->d_name);
		if (!strcmp(type, "Battery") &&
		    (!first_bat[0] || strcmp(de->d_name, first_bat) < 0))
			copy_str(first_bat, sizeof(first_bat), de->d_name);
	}
	closedir(d);

	if (cfg->charger[0]) {
		type_of(classfd, cfg->charger, type, sizeof(type));
		if (type[0])
			copy_str(charger, CONFIG_NAME_MAX, cfg->charger);
	} else {
		copy_str(charger, CONFIG_NAME_MAX, ours ? "bq25895-charger" : first_chg);
	}
	if (cfg->battery[0]) {
		type_of(classfd, cfg->battery, type, sizeof(type));
		if (type[0])
			copy_str(battery, CONFIG_NAME_MAX, cfg->battery);
	} else {
		copy_str(battery, CONFIG_NAME_MAX, first_bat);
	}
	return charger[0] && battery[0] ? 0 : -ENOENT;
}

bool temp_plausible(long long dc)
{
	return dc != PSY_NONE && dc > TEMP_PLAUSIBLE_MIN_DC && dc < TEMP_PLAUSIBLE_MAX_DC;
}

long long snapshot_temp(const struct snapshot *s)
{
	if (temp_plausible(s->battery.temp))
		return s->battery.temp;
	/* the TS bias is REGN, off without VBUS: the charger's reading is void then */
	if (s->charger.online == 1 && temp_plausible(s->charger.temp))
		return s->charger.temp;
	return PSY_NONE;
}

bool snapshot_draining(const struct snapshot *s)
{
	const struct psy_snapshot *c = &s->charger, *b = &s->battery;

	return c->present && c->online == 1 && b->present && b->current_now != PSY_NONE &&
	       b->current_now < -DRAIN_UA;
}
