// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

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

/* Copy, cutting at len - 1 (sysfs values here are short words). */
static void copy_str(char *out, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	memcpy(out, src, n);
	out[n] = '\0';
}

/* How an attribute's text becomes a field of struct psy_snapshot. */
enum attr_kind {
	ATTR_TEXT,		/* as it is, without the newline */
	ATTR_CHOICE,		/* the [selected] word of a list */
	ATTR_NUM,		/* a decimal number, else PSY_NONE */
};

#define TEXT_ATTR(f, k)	{ #f, k, offsetof(struct psy_snapshot, f), \
			  sizeof(((struct psy_snapshot *)0)->f) }
#define NUM_ATTR(f)	{ #f, ATTR_NUM, offsetof(struct psy_snapshot, f), 0 }
#define FAULT_ATTR(f)	{ "faults/" #f, ATTR_NUM, offsetof(struct psy_snapshot, faults_##f), 0 }

/* Every attribute a snapshot reads; "type" first: a supply is present if it reads. */
static const struct psy_attr {
	const char *attr;
	enum attr_kind kind;
	size_t off, len;
} attrs[] = {
	TEXT_ATTR(type, ATTR_TEXT), TEXT_ATTR(status, ATTR_TEXT), TEXT_ATTR(health, ATTR_TEXT),
	TEXT_ATTR(charge_type, ATTR_TEXT), TEXT_ATTR(usb_type, ATTR_CHOICE),
	TEXT_ATTR(charge_behaviour, ATTR_CHOICE), TEXT_ATTR(source_kind, ATTR_TEXT),
	TEXT_ATTR(input_dpm, ATTR_TEXT), TEXT_ATTR(input_limits_written, ATTR_TEXT),
	NUM_ATTR(online), NUM_ATTR(voltage_now), NUM_ATTR(current_now),
	NUM_ATTR(current_max), NUM_ATTR(temp), NUM_ATTR(capacity),
	NUM_ATTR(constant_charge_current), NUM_ATTR(constant_charge_current_max),
	NUM_ATTR(constant_charge_voltage), NUM_ATTR(constant_charge_voltage_max),
	NUM_ATTR(input_current_limit), NUM_ATTR(input_voltage_limit), NUM_ATTR(charge_now),
	NUM_ATTR(charge_full),
	NUM_ATTR(charge_full_design), NUM_ATTR(cycle_count), NUM_ATTR(i2c_errors),
	NUM_ATTR(chip_resets), NUM_ATTR(power_good_rises), NUM_ATTR(config_unkept),
	NUM_ATTR(config_overwritten),
	FAULT_ATTR(watchdog), FAULT_ATTR(boost), FAULT_ATTR(input), FAULT_ATTR(thermal_shutdown),
	FAULT_ATTR(safety_timer), FAULT_ATTR(battery_ovp), FAULT_ATTR(ntc),
};
#define NATTRS	(sizeof(attrs) / sizeof(attrs[0]))
_Static_assert(NATTRS <= PSY_FILES_MAX, "struct psy_files holds every attribute");

/* A number's text as the snapshot keeps it: PSY_NONE unless all of it is a number. */
static long long parse_num(const char *buf)
{
	char *end;
	long long v;

	if (!buf[0])
		return PSY_NONE;
	errno = 0;
	v = strtoll(buf, &end, 10);
	return errno || *end ? PSY_NONE : v;
}

/*
 * Store attribute a's text (its read's result rc: 0, or -errno and buf
 * unset) into s; a text field stays "" and a number PSY_NONE on an error.
 */
static void attr_store(struct psy_snapshot *s, const struct psy_attr *a, int rc, char *buf)
{
	char *field = (char *)s + a->off, *open, *close;

	switch (a->kind) {
	case ATTR_NUM:
		*(long long *)field = rc ? PSY_NONE : parse_num(buf);
		break;
	case ATTR_CHOICE:
		open = rc ? NULL : strchr(buf, '[');
		close = open ? strchr(open, ']') : NULL;
		if (open && close) {
			*close = '\0';
			buf = open + 1;
		}
		__attribute__((fallthrough));
	case ATTR_TEXT:
		field[0] = '\0';
		if (!rc)
			copy_str(field, a->len, buf);
		break;
	}
}

/* A supply that is not there: nothing read, every number PSY_NONE. */
static void psy_absent(struct psy_snapshot *s)
{
	size_t i;

	s->present = false;
	for (i = 0; i < NATTRS; i++)
		attr_store(s, &attrs[i], -ENOENT, NULL);
}

bool sysfs_name_ok(const char *name)
{
	return name[0] && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

void psy_read(int classfd, const char *name, struct psy_snapshot *s)
{
	struct stat st;
	char buf[128];
	int fd = -1, rc;
	size_t i;

	memset(s, 0, sizeof(*s));
	copy_str(s->name, sizeof(s->name), name);
	if (sysfs_name_ok(name))
		fd = openat(classfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || attr_text(fd, "type", buf, sizeof(buf))) {
		psy_absent(s);
	} else {
		s->present = true;
		if (!fstat(fd, &st))
			s->ino = st.st_ino;
		attr_store(s, &attrs[0], 0, buf);	/* "type", just read */
		for (i = 1; i < NATTRS; i++) {
			rc = attr_text(fd, attrs[i].attr, buf, sizeof(buf));
			attr_store(s, &attrs[i], rc, buf);
		}
	}
	if (fd >= 0)
		close(fd);
}

void psy_files_init(struct psy_files *f)
{
	size_t i;

	f->dirfd = -1;
	f->ino = 0;
	f->name[0] = '\0';
	for (i = 0; i < PSY_FILES_MAX; i++)
		f->fd[i] = -1;
}

void psy_files_close(struct psy_files *f)
{
	size_t i;

	for (i = 0; i < PSY_FILES_MAX; i++)
		if (f->fd[i] >= 0)
			close(f->fd[i]);
	if (f->dirfd >= 0)
		close(f->dirfd);
	psy_files_init(f);
}

/* Open the supply's directory and each attribute it has; false if it is not there. */
static bool psy_files_open(int classfd, const char *name, struct psy_files *f, bool *retry)
{
	struct stat st;
	size_t i;

	psy_files_close(f);
	f->dirfd = openat(classfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->dirfd < 0 || fstat(f->dirfd, &st)) {
		psy_files_close(f);
		return false;
	}
	f->ino = st.st_ino;
	copy_str(f->name, sizeof(f->name), name);
	for (i = 0; i < NATTRS; i++) {
		f->fd[i] = openat(f->dirfd, attrs[i].attr, O_RDONLY | O_CLOEXEC);
		/* absent stays absent for this device; anything else is tried again */
		if (f->fd[i] < 0 && errno != ENOENT)
			*retry = true;
	}
	return true;
}

/* The text of an attribute kept open, read again from its start. */
static int file_text(int fd, char *buf, size_t len)
{
	ssize_t n;

	if (fd < 0)
		return -ENOENT;
	n = pread(fd, buf, len - 1, 0);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

void psy_read_files(int classfd, const char *name, struct psy_files *f, struct psy_snapshot *s)
{
	bool retry = false;
	struct stat st;
	char buf[128];
	size_t i;
	int rc;

	memset(s, 0, sizeof(*s));
	copy_str(s->name, sizeof(s->name), name);
	/* the same device still (a driver bound again makes a new directory)? */
	if (!sysfs_name_ok(name) || fstatat(classfd, name, &st, 0)) {
		psy_files_close(f);
		psy_absent(s);
		return;
	}
	if ((f->dirfd < 0 || strcmp(f->name, name) || f->ino != st.st_ino) &&
	    !psy_files_open(classfd, name, f, &retry)) {
		psy_absent(s);
		return;
	}
	rc = file_text(f->fd[0], buf, sizeof(buf));
	if (rc) {
		psy_absent(s);
		retry = true;
	} else {
		s->present = true;
		s->ino = f->ino;	/* the directory the files were opened in */
		attr_store(s, &attrs[0], 0, buf);	/* "type", just read */
		for (i = 1; i < NATTRS; i++) {
			rc = file_text(f->fd[i], buf, sizeof(buf));
			/* ENODEV: the device went between the stat and the read */
			if (rc == -ENODEV)
				retry = true;
			attr_store(s, &attrs[i], rc, buf);
		}
	}
	if (retry)
		psy_files_close(f);
}

void psy_reread(int classfd, struct psy_snapshot *s, const char *attr)
{
	char buf[128];
	size_t i;
	int fd, rc;

	if (!s->present || !sysfs_name_ok(s->name))
		return;
	fd = openat(classfd, s->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (i = 1; i < NATTRS; i++) {
		if (strcmp(attr, attrs[i].attr) ||
		    (attrs[i].kind != ATTR_NUM && strcmp(attr, "charge_behaviour")))
			continue;
		rc = attr_text(fd, attr, buf, sizeof(buf));
		attr_store(s, &attrs[i], rc, buf);
	}
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

/*
 * A supply of this type and name may be the charger when none is pinned:
 * USB or Mains, with a name a snapshot holds (peripheral() is asked
 * apart). One rule for supplies_find()'s pick and supply_may_drive()'s
 * answer, so that the grant never differs from the pick.
 */
static bool charger_kind(const char *name, const char *type)
{
	return strlen(name) < CONFIG_NAME_MAX && (!strcmp(type, "USB") || !strcmp(type, "Mains"));
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
		if (charger_kind(de->d_name, type) &&
		    (!first_chg[0] || strcmp(de->d_name, first_chg) < 0))
			copy_str(first_chg, sizeof(first_chg), de->d_name);
		if (!strcmp(type, "Battery") &&
		    (!first_bat[0] || strcmp(de->d_name, first_bat) < 0))
			copy_str(first_bat, sizeof(first_bat), de->d_name);
	}
	closedir(d);

	/*
	 * A pin of the other kind is no pin (helper-90: charger = sbs-0-000b,
	 * the gauge, took a battery for the charger, and no limit applied
	 * while it charged): not found, and said as a pin missing is.
	 */
	if (cfg->charger[0]) {
		type_of(classfd, cfg->charger, type, sizeof(type));
		if (type[0] && strcmp(type, "Battery"))
			copy_str(charger, CONFIG_NAME_MAX, cfg->charger);
	} else {
		copy_str(charger, CONFIG_NAME_MAX, ours ? "bq25895-charger" : first_chg);
	}
	if (cfg->battery[0]) {
		type_of(classfd, cfg->battery, type, sizeof(type));
		if (type[0] && !charger_kind(cfg->battery, type))
			copy_str(battery, CONFIG_NAME_MAX, cfg->battery);
	} else {
		copy_str(battery, CONFIG_NAME_MAX, first_bat);
	}
	return charger[0] && battery[0] ? 0 : -ENOENT;
}

bool supplies_pin_check(int classfd, const struct chargerd_config *cfg, struct pin_check *pc)
{
	struct chargerd_config any = *cfg;
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX], type[16];
	const char *why;

	pc->charger[0] = pc->battery[0] = '\0';
	any.charger[0] = any.battery[0] = '\0';
	supplies_find(classfd, &any, chg, bat);
	if (cfg->charger[0] && chg[0]) {
		type_of(classfd, cfg->charger, type, sizeof(type));
		why = !type[0] ? "is not here" : !strcmp(type, "Battery") ?
		      "is a battery, not a charger" : NULL;
		if (why)
			snprintf(pc->charger, sizeof(pc->charger),
				 "[supplies] charger = %s %s (a charger that is here: %s)",
				 cfg->charger, why, chg);
	}
	if (cfg->battery[0] && bat[0]) {
		type_of(classfd, cfg->battery, type, sizeof(type));
		why = !type[0] ? "is not here" : charger_kind(cfg->battery, type) ?
		      "is a charger, not a battery" : NULL;
		if (why)
			snprintf(pc->battery, sizeof(pc->battery),
				 "[supplies] battery = %s %s (a battery that is here: %s)",
				 cfg->battery, why, bat);
	}
	return pc->charger[0] || pc->battery[0];
}

void pin_check_text(const struct pin_check *pc, char *buf, size_t len)
{
	if (len)
		snprintf(buf, len, "%s%s%s", pc->charger,
			 pc->charger[0] && pc->battery[0] ? "; " : "", pc->battery);
}

bool supplies_pin_missing(int classfd, const struct chargerd_config *cfg, char *buf, size_t len)
{
	struct pin_check pc;

	if (len)
		buf[0] = '\0';
	if (!supplies_pin_check(classfd, cfg, &pc))
		return false;
	pin_check_text(&pc, buf, len);
	return true;
}

bool supply_may_drive(int classfd, const struct chargerd_config *cfg, const char *name)
{
	char type[16];

	if (!sysfs_name_ok(name))
		return false;
	type_of(classfd, name, type, sizeof(type));
	/* a pin holds fewer than CONFIG_NAME_MAX characters: so does a match; a battery none */
	if (cfg->charger[0])
		return !strcmp(name, cfg->charger) && strcmp(type, "Battery");
	return charger_kind(name, type) && !peripheral(classfd, name);
}

char *supply_driver(int classfd, const char *name, char *buf, size_t len)
{
	char path[CONFIG_NAME_MAX + 32], link[256];
	const char *base;
	ssize_t n;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!sysfs_name_ok(name))
		return buf;
	snprintf(path, sizeof(path), "%s/device/driver", name);
	n = readlinkat(classfd, path, link, sizeof(link) - 1);
	if (n <= 0)
		return buf;
	link[n] = '\0';
	base = strrchr(link, '/');
	snprintf(buf, len, "%s", base ? base + 1 : link);
	for (char *q = buf; *q; q++)
		if (*q < ' ' || *q > '~')
			*q = '?';
	return buf;
}

void snapshot_keep_online(struct psy_snapshot *now, const struct psy_snapshot *before,
			  uint64_t usec)
{
	now->online_usec = usec;
	now->online_kept = false;
	if (now->present && now->online == PSY_NONE && before->present &&
	    before->online != PSY_NONE && !strcmp(now->name, before->name) &&
	    usec >= before->online_usec && usec - before->online_usec < ONLINE_KEEP_USEC) {
		now->online = before->online;
		now->online_usec = before->online_usec;
		now->online_kept = true;
	}
}

const char *psy_number_text(long long v, char *buf, size_t len)
{
	if (v == PSY_NONE)
		snprintf(buf, len, "unknown");
	else
		snprintf(buf, len, "%lld", v);
	return buf;
}

const char *psy_scaled_text(long long v, long long per, int decimals, const char *unit,
			    char *buf, size_t len)
{
	if (v == PSY_NONE)
		snprintf(buf, len, "unknown");
	else
		snprintf(buf, len, "%.*f %s", decimals, (double)v / (double)per, unit);
	return buf;
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

	/* an online kept from before the chip stopped answering says nothing of the source now */
	return c->present && c->online == 1 && !c->online_kept && b->present &&
	       b->current_now != PSY_NONE && b->current_now < -DRAIN_UA;
}
