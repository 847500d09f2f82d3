/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /etc/chargerd/chargerd.conf, an INI file (libinih). Strict: an unknown
 * section or key, a key given twice, or a bad value is an error that names
 * the file, the line and the key, and chargerd refuses to start. A missing
 * file means the defaults (chargerd.conf.example documents them).
 */
#ifndef CHARGERD_CONFIG_H
#define CHARGERD_CONFIG_H

#include <stddef.h>

#define CONFIG_NAME_MAX	64

struct chargerd_config {
	char charger[CONFIG_NAME_MAX];	/* [supplies] charger: pin by name ("" = find) */
	char battery[CONFIG_NAME_MAX];	/* [supplies] battery */
	unsigned int resync_s;		/* [agent] resync_s: slow resync on external power */
	unsigned int ratelimit_interval_s;	/* [journal] */
	unsigned int ratelimit_burst;		/* [journal] */
	unsigned int max_sessions;		/* [history] */
	unsigned int receive_buffer_kb;		/* [agent] netlink socket */
	unsigned int in_use_mode;		/* [in-use] mode: enum in_use_mode */
	unsigned int in_use_stop_percent;	/* [in-use] stop_percent */
	unsigned int in_use_resume_percent;	/* [in-use] resume_percent */
	/* [thermal]: band boundaries (degC), derating (% of the battery's max) */
	unsigned int cold_stop_c, cool_c, warm_c, hot_c, stop_c;
	unsigned int cool_percent, warm_percent, hot_percent, hysteresis_c;
	/* [diagnosis]: the evidence thresholds */
	unsigned int bounce_window_s, bounce_count, cable_max_mohm, weak_source_ma;
	unsigned int deep_discharge_mv, worn_capacity_percent, worn_cycles;
	unsigned int load_test;			/* [diagnosis] load_test: 0 or 1 */
	char led[CONFIG_NAME_MAX];		/* [led] name: "" find, "none" */
};

enum in_use_mode { IN_USE_AUTO, IN_USE_ON, IN_USE_OFF };

extern const char *const in_use_mode_names[3];	/* "auto", "on", "off" */

void config_defaults(struct chargerd_config *c);

/*
 * Load path over the defaults. Returns 0 (also when the file does not
 * exist), or -1 with a message in err: "PATH:LINE: ...".
 */
int config_load(struct chargerd_config *c, const char *path, char *err, size_t errlen);

#endif
