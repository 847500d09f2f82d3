// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

struct key {
	const char *section, *name;
	size_t off;
	bool is_string;
	unsigned long min, max;
	const char *const *choices;	/* a word from this list, stored as its index */
};

const char *const in_use_mode_names[3] = { "auto", "on", "off" };

#define STR(s, n, f)		{ s, n, offsetof(struct chargerd_config, f), true, 0, 0, NULL }
#define NUM(s, n, f, lo, hi)	{ s, n, offsetof(struct chargerd_config, f), false, lo, hi, NULL }
#define CHOICE(s, n, f, list)	{ s, n, offsetof(struct chargerd_config, f), false, 0, \
				  sizeof(list) / sizeof(list[0]) - 1, list }

static const struct key keys[] = {
	STR("supplies", "charger", charger),
	STR("supplies", "battery", battery),
	NUM("agent", "resync_s", resync_s, 0, 86400),
	NUM("journal", "ratelimit_interval_s", ratelimit_interval_s, 1, 3600),
	NUM("journal", "ratelimit_burst", ratelimit_burst, 1, 1000),
	NUM("history", "max_sessions", max_sessions, 1, 100000),
	NUM("agent", "receive_buffer_kb", receive_buffer_kb, 4, 65536),
	CHOICE("in-use", "mode", in_use_mode, in_use_mode_names),
	NUM("in-use", "stop_percent", in_use_stop_percent, 50, 100),
	NUM("in-use", "resume_percent", in_use_resume_percent, 40, 99),
	NUM("thermal", "cold_stop_c", cold_stop_c, 0, 30),
	NUM("thermal", "cool_c", cool_c, 0, 30),
	NUM("thermal", "warm_c", warm_c, 20, 60),
	NUM("thermal", "hot_c", hot_c, 20, 60),
	NUM("thermal", "stop_c", stop_c, 20, 60),
	NUM("thermal", "cool_percent", cool_percent, 1, 100),
	NUM("thermal", "warm_percent", warm_percent, 1, 100),
	NUM("thermal", "hot_percent", hot_percent, 1, 100),
	NUM("thermal", "hysteresis_c", hysteresis_c, 0, 10),
	NUM("diagnosis", "bounce_window_s", bounce_window_s, 1, 600),
	NUM("diagnosis", "bounce_count", bounce_count, 1, 100),
	NUM("diagnosis", "cable_max_mohm", cable_max_mohm, 50, 10000),
	NUM("diagnosis", "weak_source_ma", weak_source_ma, 100, 5000),
	NUM("diagnosis", "deep_discharge_mv", deep_discharge_mv, 2000, 3600),
	NUM("diagnosis", "worn_capacity_percent", worn_capacity_percent, 10, 100),
	NUM("diagnosis", "worn_cycles", worn_cycles, 1, 100000),
	NUM("diagnosis", "load_test", load_test, 0, 1),
	STR("led", "name", led),
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

void config_defaults(struct chargerd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->resync_s = 60;
	c->ratelimit_interval_s = 60;
	c->ratelimit_burst = 5;
	c->max_sessions = 500;
	c->receive_buffer_kb = 1024;
	c->in_use_mode = IN_USE_AUTO;
	c->in_use_stop_percent = 80;
	c->in_use_resume_percent = 75;
	c->cold_stop_c = 5;
	c->cool_c = 10;
	c->warm_c = 35;
	c->hot_c = 40;
	c->stop_c = 43;
	c->cool_percent = 50;
	c->warm_percent = 50;
	c->hot_percent = 25;
	c->hysteresis_c = 2;
	c->bounce_window_s = 10;
	c->bounce_count = 3;
	c->cable_max_mohm = 500;
	c->weak_source_ma = 1000;
	c->deep_discharge_mv = 3000;
	c->worn_capacity_percent = 80;
	c->worn_cycles = 500;
	c->load_test = 1;
}

struct parse {
	struct chargerd_config *c;
	FILE *f;
	int line;		/* lines read so far: the handler's line */
	int why_line;		/* where why[] was written */
	bool seen[NKEYS];
	int resume_line;	/* where resume_percent was given */
	char why[160];
};

/* fgets that counts lines, so that the handler knows where it is. */
static char *reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	char *r = fgets(str, num, ps->f);

	if (r)
		ps->line++;
	return r;
}

#define FAIL(ps, ...) do {						\
		if (!(ps)->why_line) {					\
			snprintf((ps)->why, sizeof((ps)->why), __VA_ARGS__);	\
			(ps)->why_line = (ps)->line;			\
		}							\
		return 0;						\
	} while (0)

/* libinih calls this for each key; 0 stops it at this line. */
static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;
	unsigned long v;
	char *end;
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			break;
	if (i == NKEYS)
		FAIL(ps, "unknown key '%s' in [%s]", name, section);
	if (ps->seen[i])
		FAIL(ps, "[%s] %s is given twice", section, name);
	ps->seen[i] = true;
	if (keys[i].is_string) {
		if (strlen(value) >= CONFIG_NAME_MAX || strchr(value, '/'))
			FAIL(ps, "[%s] %s: '%.64s' is not %s name", section, name, value,
			     strcmp(section, "led") ? "a power supply" : "an LED");
		strcpy((char *)ps->c + keys[i].off, value);
		return 1;
	}
	if (keys[i].choices) {
		for (v = 0; v <= keys[i].max; v++)
			if (!strcmp(value, keys[i].choices[v]))
				break;
		if (v > keys[i].max)
			FAIL(ps, "[%s] %s: '%.64s' is not one of %s", section, name, value,
			     keys[i].choices == in_use_mode_names ? "auto, on, off" : "the choices");
		*(unsigned int *)((char *)ps->c + keys[i].off) = v;
		return 1;
	}
	if (keys[i].off == offsetof(struct chargerd_config, in_use_resume_percent))
		ps->resume_line = ps->line;
	errno = 0;
	v = strtoul(value, &end, 10);
	if (!*value || *value == '-' || *end || errno || v < keys[i].min || v > keys[i].max)
		FAIL(ps, "[%s] %s: '%.64s' is not a number in %lu..%lu",
		     section, name, value, keys[i].min, keys[i].max);
	*(unsigned int *)((char *)ps->c + keys[i].off) = v;
	return 1;
}

int config_load(struct chargerd_config *c, const char *path, char *err, size_t errlen)
{
	struct chargerd_config tmp = *c;	/* c changes only if all is well */
	struct parse ps = { .c = &tmp };
	int line;

	ps.f = fopen(path, "r");
	if (!ps.f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	line = ini_parse_stream(reader, &ps, handler, &ps);
	if (!line && ferror(ps.f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(ps.f);
		return -1;
	}
	fclose(ps.f);
	if (line > 0) {
		/* libinih reports the first bad line; say why if it was ours */
		snprintf(err, errlen, "%s:%d: %s", path, line,
			 ps.why_line == line ? ps.why : "not a [section], a comment or key = value");
		return -1;
	}
	if (line < 0) {
		snprintf(err, errlen, "%s: cannot parse (%d)", path, line);
		return -1;
	}
	if (tmp.in_use_resume_percent >= tmp.in_use_stop_percent) {
		snprintf(err, errlen, "%s:%d: [in-use] resume_percent (%u) must be below stop_percent (%u)",
			 path, ps.resume_line, tmp.in_use_resume_percent, tmp.in_use_stop_percent);
		return -1;
	}
	if (!(tmp.cold_stop_c <= tmp.cool_c && tmp.cool_c < tmp.warm_c &&
	      tmp.warm_c <= tmp.hot_c && tmp.hot_c <= tmp.stop_c)) {
		snprintf(err, errlen, "%s: [thermal] needs cold_stop_c <= cool_c < warm_c <= hot_c <= stop_c (%u, %u, %u, %u, %u)",
			 path, tmp.cold_stop_c, tmp.cool_c, tmp.warm_c, tmp.hot_c, tmp.stop_c);
		return -1;
	}
	*c = tmp;
	return 0;
}
