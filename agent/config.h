/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /etc/chargerd/chargerd.conf, an INI file (libinih). Strict: an unknown
 * section or key, a key given twice, or a bad value is an error that names
 * the file, the line and the key, every error of the file at once, and the
 * file is refused whole. A missing file means the defaults
 * (chargerd.conf.example documents them).
 */
#ifndef CHARGERD_CONFIG_H
#define CHARGERD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CONFIG_NAME_MAX	64

/* The policies' part (policy.c): [thermal], and [in-use]'s levels. */
struct policy_config {
	unsigned int cold_stop_c, cool_c, warm_c, hot_c, stop_c;	/* boundaries, degC */
	unsigned int cool_percent, warm_percent, hot_percent;	/* % of the battery's max */
	unsigned int hysteresis_c;	/* back towards normal needs this much more */
	unsigned int in_use_stop_percent;	/* pause at this capacity while in use */
	unsigned int in_use_resume_percent;	/* and resume below this one */
};

/* The diagnosis's part (diagnosis.c): [diagnosis]'s evidence thresholds. */
struct diag_config {
	unsigned int bounce_window_s;	/* an unplug and replug this close is a bounce */
	unsigned int bounce_count;	/* this many bounces in a row: the connector */
	unsigned int bounce_stay_s;	/* power that stays longer between bounces ends a run */
	unsigned int cable_max_mohm;	/* more VBUS sag per ampere: the cable */
	unsigned int weak_source_ma;	/* an input limit below this: a weak source */
	unsigned int deep_discharge_mv;	/* a battery below this on the charger */
	unsigned int worn_capacity_percent;	/* full capacity below this % of design */
	unsigned int worn_cycles;	/* or this many cycles */
};

/*
 * The whole configuration: one structure, one set of defaults (the key
 * table in config.c, which chargerd.conf.example states, the D-Bus limits
 * check against, and the report lists).
 */
struct chargerd_config {
	char charger[CONFIG_NAME_MAX];	/* [supplies] charger: pin by name ("" = find) */
	char battery[CONFIG_NAME_MAX];	/* [supplies] battery */
	unsigned int resync_s;		/* [agent] resync_s: slow resync on external power */
	unsigned int ratelimit_interval_s;	/* [journal] */
	unsigned int ratelimit_burst;		/* [journal] */
	unsigned int max_sessions;		/* [history] */
	unsigned int receive_buffer_kb;		/* [agent] netlink socket */
	unsigned int in_use_mode;		/* [in-use] mode: enum in_use_mode */
	struct policy_config policy;		/* [thermal], [in-use] levels */
	struct diag_config diag;		/* [diagnosis] thresholds */
	unsigned int load_test;			/* [diagnosis] load_test: 0 or 1 */
	char led[CONFIG_NAME_MAX];		/* [led] name: "" find, "none" */
};

enum in_use_mode { IN_USE_AUTO, IN_USE_ON, IN_USE_OFF };

extern const char *const in_use_mode_names[3];	/* "auto", "on", "off" */

/* The defaults, from the key table: the only place they are written. */
void config_defaults(struct chargerd_config *c);

/*
 * The range a numeric key accepts, e.g. ("in-use", "stop_percent"), for
 * checks made outside config_load (D-Bus). Returns 0, or -1 if there is
 * no such numeric key.
 */
int config_range(const char *section, const char *name, unsigned long *min, unsigned long *max);

/*
 * Each key's value in c, in the table's order: fn(section, name, text,
 * is_number, data), text being the number in decimal, the word, or the
 * string as stored.
 */
void config_foreach(const struct chargerd_config *c,
		    void (*fn)(const char *section, const char *name, const char *text,
			       bool is_number, void *data),
		    void *data);

/*
 * Load path over c (the defaults, or what an earlier file gave). Returns 0
 * (also when the file does not exist), or -1 with c unchanged and every
 * error of the file in err (errlen bytes, always NUL-terminated), one a
 * line in the order of their lines, "PATH:LINE: why" (no newline after
 * the last): each key's value, an unknown key or section, a line that is
 * not one, a line too long, a NUL byte, and the order between keys that
 * parsed. The first CONFIG_ERRORS_SHOWN at most, as many as fit; then a
 * last line "and N more errors". One error is one line, as it always was.
 * A file that cannot be read, or a symbolic link to nothing on its path
 * (the file's or a directory's above it): one line "PATH: why".
 */
#define CONFIG_ERRORS_SHOWN	8
int config_load(struct chargerd_config *c, const char *path, char *err, size_t errlen);

/*
 * Whether fd is the journal's stream: systemd connected it (StandardError=
 * journal, the default) and says so in $JOURNAL_STREAM ("DEVICE:INODE"),
 * which a child inherits even when its stderr goes elsewhere (a pipe), so
 * the file itself is compared.
 */
bool config_fd_is_journal(int fd);

/*
 * Where a run tells that the configuration does not parse, as a set of
 * CONFIG_TELL_*: the daemon in a journal record (once a start: its
 * structured record, which systemctl status shows too), and on errfd
 * (its stderr) only when that is not the journal already; the unit's
 * other runs (the grants, the hand-back) only on an errfd that is not
 * the journal (run by hand): under the unit, the daemon's start says it.
 */
#define CONFIG_TELL_JOURNAL	1
#define CONFIG_TELL_STDERR	2
unsigned int config_error_sinks(bool daemon, int errfd);

/* err (config_load()'s, lines) to f, each line after prefix ("chargerd: "). */
void config_error_print(FILE *f, const char *prefix, const char *err);

/*
 * Save the settings D-Bus may change ([in-use]: mode and levels) to name
 * in the directory dirfd, for config_load() at the next start: written
 * whole to name.tmp, synced, then renamed over name, so that a crash
 * leaves the old file or the new one. Returns 0 or -errno.
 */
int config_save_settings(const struct chargerd_config *c, int dirfd, const char *name);

/*
 * The slow resync's period on external power (s): resync_s, at most
 * RESYNC_MAX_S. The thermal limits follow the battery's temperature only
 * through these looks (no uevent reports it): a resync_s of 0 ("never")
 * or of a day left a 44 degC cell charging, above stop_c and below the
 * chip's own 45 degC zone (helper-83). 120 s: the default, and what the
 * thermal table and the sensor rules were sized for (manager.c).
 */
#define RESYNC_MAX_S	120
unsigned int resync_period_s(const struct chargerd_config *c);

/*
 * The configuration a file that parsed gave, kept in the state directory
 * (CONFIG_IN_FORCE_FILE) at each start and reload that read one: what a
 * start whose file does not parse runs on, so that a typo keeps the
 * product's own limits, pins and history bound (helper-85: the defaults
 * gave a laxer stop_c than a product's, another gauge, a history cut to
 * 500 sessions). Every key, in chargerd.conf's own syntax, read back by
 * config_load(). config_format() writes it into buf[len]; returns the
 * length, or -ENOSPC. config_save_in_force(): 0 or -errno.
 */
#define CONFIG_IN_FORCE_FILE	"config-in-force"
int config_format(const struct chargerd_config *c, char *buf, size_t len);
int config_save_in_force(const struct chargerd_config *c, int dirfd);

#endif
