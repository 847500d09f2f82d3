/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What chargerd knows at one moment: the charger's and the battery's
 * power_supply attributes, read relative to directory fds (no path
 * building, no TOCTOU on the class directory). A snapshot is immutable once
 * built; policy and diagnosis read it, never sysfs.
 */
#ifndef CHARGERD_SNAPSHOT_H
#define CHARGERD_SNAPSHOT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define PSY_NONE	LLONG_MIN	/* a number the supply does not report */

struct psy_snapshot {
	bool present;			/* found, and its type read */
	char name[CONFIG_NAME_MAX];
	char type[16];			/* USB, Mains, Battery, ... */
	char status[24];		/* Charging, Discharging, Full, Not charging */
	char health[32];
	char charge_type[24];
	char usb_type[16];		/* the selected one of the list */
	char charge_behaviour[24];
	char source_kind[16];		/* bq2589x_charger's extras, "" elsewhere */
	char input_dpm[8];
	char input_limits_written[8];	/* "none", "current", "voltage", "both"; "" elsewhere */
	long long online, voltage_now, current_now, current_max, temp, capacity;
	long long constant_charge_current, constant_charge_current_max;
	long long constant_charge_voltage, constant_charge_voltage_max;
	long long input_current_limit, input_voltage_limit, charge_now, charge_full, charge_full_design;
	long long cycle_count, i2c_errors, chip_resets;
	long long power_good_rises;	/* bq2589x_charger's: sources' arrivals since probe */
	long long config_unkept;	/* bq2589x_charger's: restores the chip did not keep */
	long long config_overwritten;	/* bq2589x_charger's: another bus master's writes undone */
	/* bq2589x_charger's faults/ counters: occurrences since probe */
	long long faults_watchdog, faults_boost, faults_input, faults_thermal_shutdown;
	long long faults_safety_timer, faults_battery_ovp, faults_ntc;
	uint64_t online_usec;		/* CLOCK_BOOTTIME online was read at (snapshot_keep_online()) */
	bool online_kept;		/* online is that earlier reading: the chip did not answer */
	uint64_t ino;			/* its device directory's inode (psy_read_files()); 0 unknown */
};

struct snapshot {
	uint64_t seq;			/* increments with every snapshot */
	uint64_t usec;			/* CLOCK_BOOTTIME */
	uint64_t mono_usec;		/* CLOCK_MONOTONIC (0: not read): without the sleeps */
	struct psy_snapshot charger, battery;
};

/*
 * name is one entry of a sysfs class directory (a supply's, an LED's):
 * not empty, no '/', not "." or "..", so a path built from it stays
 * inside that directory.
 */
bool sysfs_name_ok(const char *name);

/*
 * A name the configuration pins ([supplies] charger or battery) that is
 * not under classfd, or is of the other kind, while a supply of its kind
 * is (the one chargerd would take unpinned): a typo, or a driver that has
 * not probed yet. For each pin, its words ("[supplies] charger = NAME is
 * not here (a charger that is here: OTHER)"), "" for a pin found, absent
 * or not set.
 */
#define PIN_TEXT_MAX	256
struct pin_check {
	char charger[PIN_TEXT_MAX], battery[PIN_TEXT_MAX];
};

/* Fills pc (supplies_find()'s rules); returns whether a pin is missing so. */
bool supplies_pin_check(int classfd, const struct chargerd_config *cfg, struct pin_check *pc);

/* pc's words for a log line, both pins "; "-joined, into buf (len bytes). */
void pin_check_text(const struct pin_check *pc, char *buf, size_t len);

/*
 * The same for a log line: into buf (len bytes) both pins' words
 * "; "-joined. Returns whether one is missing (nothing written otherwise).
 */
bool supplies_pin_missing(int classfd, const struct chargerd_config *cfg, char *buf, size_t len);

/*
 * Choose the charger and the battery under the class directory classfd:
 * the configured names if given (they must exist), else bq25895-charger or
 * the first USB or Mains supply, and the first Battery. Returns 0, or
 * -ENOENT with a name left empty when none fits.
 */
int supplies_find(int classfd, const struct chargerd_config *cfg,
		  char charger[CONFIG_NAME_MAX], char battery[CONFIG_NAME_MAX]);

/*
 * name is a supply chargerd may drive as the charger under cfg: the
 * [supplies] charger if one is pinned, else any USB or Mains supply that
 * is not a peripheral's (supplies_find() picks one of them, and another
 * when that one goes, without a restart). The answer for a supply does
 * not change while the configuration does not.
 */
bool supply_may_drive(int classfd, const struct chargerd_config *cfg, const char *name);

/*
 * The driver bound to supply name's device under classfd (its
 * device/driver link's last part: "bq2589x-charger", "bq25890-charger"),
 * printable, into buf (len bytes); "" when not known. Returns buf.
 */
char *supply_driver(int classfd, const char *name, char *buf, size_t len);

/* Read one supply; a missing or unreadable one is left !present. */
void psy_read(int classfd, const char *name, struct psy_snapshot *out);

/*
 * A supply's attribute files kept open between snapshots, each re-read
 * from its start (pread at 0 makes sysfs call the attribute's show()
 * again): one read a value, not open, read and close. A power_supply's
 * attributes are fixed for its device's life, so one absent at the open
 * stays absent; a device bound again gets a new sysfs directory (a new
 * inode), which is noticed at the next read and opened afresh, as is a
 * name that now means another supply.
 */
#define PSY_FILES_MAX	40
struct psy_files {
	int dirfd;			/* the supply's directory, -1 none open */
	unsigned long long ino;		/* its inode: the same device still? */
	char name[CONFIG_NAME_MAX];
	int fd[PSY_FILES_MAX];		/* each attribute's, -1 if it has none */
};

void psy_files_init(struct psy_files *f);	/* nothing open */
void psy_files_close(struct psy_files *f);	/* idempotent; leaves it as after init */
/*
 * psy_read() through f: the same snapshot, from the files kept open
 * (opened first, or again, if name is another supply or a new device).
 * One fstatat a read to tell; an unreadable type or a vanished device
 * closes them (the next read opens afresh).
 */
void psy_read_files(int classfd, const char *name, struct psy_files *f,
		    struct psy_snapshot *out);
/*
 * Read one attribute of s again (charge_behaviour or a numeric one, as
 * psy_read() does), after a write: what is in force, rounded as the
 * driver rounded it. Unknown attributes and absent supplies: no change.
 */
void psy_reread(int classfd, struct psy_snapshot *s, const char *attr);

/*
 * A charger now present (read at usec, CLOCK_BOOTTIME) whose online
 * could not be read (PSY_NONE: its driver answers -ENODATA while the chip
 * does not answer on its bus, as bq2589x_charger does for one failed I2C
 * transfer) keeps the reading of before, the same supply's, for
 * ONLINE_KEEP_USEC after it was read: unknown is not unplugged (it was:
 * one bus error ended the session as an unplug, and a few made a
 * "connector" diagnosis). Past that (a bus stuck for good: the cable may
 * have gone since), or without one (the first look, another supply), it
 * stays PSY_NONE, which every decision takes as not on external power
 * (and ends a session as "no-response", session.c). While the chip does
 * not answer, the no-response fault says so. now->online_usec is when
 * the value now->online holds was read. Pure.
 */
#define ONLINE_KEEP_USEC	(30 * 1000000ULL)
void snapshot_keep_online(struct psy_snapshot *now, const struct psy_snapshot *before,
			  uint64_t usec);

/*
 * A number read from a supply as text, for a log line: the decimal number,
 * or "unknown" for PSY_NONE (never its value). Returns buf (len bytes; 24
 * hold any long long).
 */
const char *psy_number_text(long long v, char *buf, size_t len);
/*
 * v (a power_supply value, in micro-units) for a person: v / per with
 * decimals places and unit ("4.80 V" for 4800000, 1000000, 2, "V"), or
 * "unknown" for PSY_NONE; returns buf.
 */
const char *psy_scaled_text(long long v, long long per, int decimals, const char *unit,
			    char *buf, size_t len);

/*
 * A temperature reading (0.1 degC) a battery's sensor can give: above the
 * -40 degC rail that NTC tables clamp an open thermistor to (the driver's
 * table and the gauges' start there) and below 100 degC, past which no
 * cell is left to measure. Outside: a broken sensor, not a temperature.
 */
#define TEMP_PLAUSIBLE_MIN_DC	(-400)
#define TEMP_PLAUSIBLE_MAX_DC	1000
bool temp_plausible(long long dc);

/*
 * The battery's temperature (0.1 degC) every decision uses: the gauge's
 * if plausible, else the charger's TS thermistor's if plausible, else
 * PSY_NONE (no reading is no news: the policies keep their band).
 */
long long snapshot_temp(const struct snapshot *s);

/*
 * The battery's current below which it counts as draining (uA, the
 * kernel's sign: negative is discharging): past a gauge's noise and
 * offset near zero (the BQ27xxx family's deadband is a few mA).
 */
#define DRAIN_UA	50000
/*
 * On external power and still draining: the source does not carry the
 * load (the charger's own status may say Charging); not while online is
 * an earlier reading (online_kept). Pure.
 */
bool snapshot_draining(const struct snapshot *s);

#endif
