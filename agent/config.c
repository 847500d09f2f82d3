// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "file.h"

struct key {
	const char *section, *name;
	size_t off;
	bool is_string;
	unsigned long min, max;
	const char *const *choices;	/* a word from this list, stored as its index */
	unsigned long def;		/* the default of a number or a choice */
};

const char *const in_use_mode_names[3] = { "auto", "on", "off" };

/* Strings default to "" (find the supply or the LED). */
#define STR(s, n, f)		{ s, n, offsetof(struct chargerd_config, f), true, 0, 0, NULL, 0 }
#define NUM(s, n, f, lo, hi, d)	{ s, n, offsetof(struct chargerd_config, f), false, lo, hi, NULL, d }
#define CHOICE(s, n, f, list, d) { s, n, offsetof(struct chargerd_config, f), false, 0, \
				  sizeof(list) / sizeof(list[0]) - 1, list, d }

/*
 * The thermal defaults are for a cell worn on the head, more cautious than
 * the chip's JEITA (which cuts at 0 and 60 degC): the cell sits against
 * skin, so it charges at full current only between 10 and 35 degC, at half
 * below 10 (lithium plating in a cold cell) and from 35, at a quarter from
 * 40, and not at all below 5 or from 43 degC. The diagnosis's thresholds
 * are explained in diagnosis.h and chargerd.conf.example.
 */

static const struct key keys[] = {
	STR("supplies", "charger", charger),
	STR("supplies", "battery", battery),
	NUM("agent", "resync_s", resync_s, 0, 86400, 120),
	NUM("journal", "ratelimit_interval_s", ratelimit_interval_s, 1, 3600, 60),
	NUM("journal", "ratelimit_burst", ratelimit_burst, 1, 1000, 5),
	NUM("history", "max_sessions", max_sessions, 1, 100000, 500),
	NUM("agent", "receive_buffer_kb", receive_buffer_kb, 4, 65536, 1024),
	CHOICE("in-use", "mode", in_use_mode, in_use_mode_names, IN_USE_AUTO),
	NUM("in-use", "stop_percent", policy.in_use_stop_percent, 50, 100, 80),
	NUM("in-use", "resume_percent", policy.in_use_resume_percent, 40, 99, 75),
	NUM("thermal", "cold_stop_c", policy.cold_stop_c, 0, 30, 5),
	NUM("thermal", "cool_c", policy.cool_c, 0, 30, 10),
	NUM("thermal", "warm_c", policy.warm_c, 20, 60, 35),
	NUM("thermal", "hot_c", policy.hot_c, 20, 60, 40),
	NUM("thermal", "stop_c", policy.stop_c, 20, 60, 43),
	NUM("thermal", "cool_percent", policy.cool_percent, 1, 100, 50),
	NUM("thermal", "warm_percent", policy.warm_percent, 1, 100, 50),
	NUM("thermal", "hot_percent", policy.hot_percent, 1, 100, 25),
	NUM("thermal", "hysteresis_c", policy.hysteresis_c, 0, 10, 2),
	NUM("diagnosis", "bounce_window_s", diag.bounce_window_s, 1, 600, 10),
	NUM("diagnosis", "bounce_count", diag.bounce_count, 1, 100, 3),
	NUM("diagnosis", "bounce_stay_s", diag.bounce_stay_s, 1, 3600, 30),
	NUM("diagnosis", "cable_max_mohm", diag.cable_max_mohm, 50, 10000, 500),
	NUM("diagnosis", "weak_source_ma", diag.weak_source_ma, 100, 5000, 1000),
	NUM("diagnosis", "deep_discharge_mv", diag.deep_discharge_mv, 2000, 3600, 3000),
	NUM("diagnosis", "worn_capacity_percent", diag.worn_capacity_percent, 10, 100, 80),
	NUM("diagnosis", "worn_cycles", diag.worn_cycles, 1, 100000, 500),
	NUM("diagnosis", "load_test", load_test, 0, 1, 1),
	STR("led", "name", led),
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

unsigned int resync_period_s(const struct chargerd_config *c)
{
	return c->resync_s && c->resync_s < RESYNC_MAX_S ? c->resync_s : RESYNC_MAX_S;
}

void config_defaults(struct chargerd_config *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NKEYS; i++)
		if (!keys[i].is_string)
			*(unsigned int *)((char *)c + keys[i].off) = keys[i].def;
}

int config_range(const char *section, const char *name, unsigned long *min, unsigned long *max)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (!keys[i].is_string && !keys[i].choices && !strcmp(keys[i].section, section) &&
		    !strcmp(keys[i].name, name)) {
			*min = keys[i].min;
			*max = keys[i].max;
			return 0;
		}
	return -1;
}

void config_foreach(const struct chargerd_config *c,
		    void (*fn)(const char *section, const char *name, const char *text,
			       bool is_number, void *data),
		    void *data)
{
	char num[24];
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		const char *p = (const char *)c + keys[i].off;
		unsigned int v = *(const unsigned int *)p;

		if (keys[i].is_string) {
			fn(keys[i].section, keys[i].name, p, false, data);
		} else if (keys[i].choices) {
			fn(keys[i].section, keys[i].name, v <= keys[i].max ? keys[i].choices[v] : "?",
			   false, data);
		} else {
			snprintf(num, sizeof(num), "%u", v);
			fn(keys[i].section, keys[i].name, num, true, data);
		}
	}
}

struct parse {
	struct chargerd_config *c;
	FILE *f;
	int line;		/* lines read so far: the handler's line */
	int why_line;		/* where why[] was written */
	int key_line[NKEYS];	/* where each key was given; 0: not given (its default) */
	/* reader() stopped the parse at why_line (a line too long, an unknown section) */
	bool stopped;
	char why[160];
};

/* Whether section is one the keys have: a misspelt one stops the parse, keys or none. */
static bool section_known(const char *section, size_t len)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strlen(keys[i].section) == len && !strncmp(keys[i].section, section, len))
			return true;
	return false;
}

/*
 * libinih's reader: one line at a time, counted, so that the handler
 * knows where it is, handed whole and flush left:
 * - a line longer than libinih's buffer (num - 1 characters, its CRLF's
 *   CR not counted) ends the parse with an error: libinih would take its
 *   tail for a line of its own (a long comment ending in "stop_c = 60"
 *   set stop_c);
 * - leading blanks go: indenting keys under their section is common, and
 *   libinih (built with INI_ALLOW_MULTILINE, as Debian's is) took an
 *   indented line for a continuation of the key before it ("warm_c is
 *   given twice" for a hot_c line). No key of this file spans lines.
 * Read a character at a time (a NUL in a line is a character, not its
 * end); libinih sees the line up to a NUL, as before.
 */
static char *reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	size_t n = 0, room = num > 0 ? (size_t)num - 1 : 0;
	const char *close;
	bool over = false, blank = true;
	int c = EOF;

	while ((c = getc(ps->f)) != EOF && c != '\n') {
		if (c == '\r') {
			int next = getc(ps->f);

			if (next == '\n') {
				c = next;
				break;
			}
			if (next != EOF)
				ungetc(next, ps->f);
		}
		if (blank && (c == ' ' || c == '\t'))
			continue;
		blank = false;
		if (n < room)
			str[n++] = (char)c;
		else
			over = true;
	}
	if (c == EOF && !n && !over && blank)
		return NULL;	/* the end, or a last line of blanks only */
	ps->line++;
	str[n] = '\0';
	if (over) {
		if (!ps->why_line) {
			snprintf(ps->why, sizeof(ps->why), "a line longer than %d characters", num - 1);
			ps->why_line = ps->line;
		}
		ps->stopped = true;
		return NULL;
	}
	/*
	 * a section no key has, said where it is: libinih calls nothing for
	 * one without keys (helper-84: "[bogus]" alone was taken, against
	 * "strict"); a line libinih takes for no section (no ']') is its error
	 */
	close = str[0] == '[' ? strchr(str, ']') : NULL;
	if (close && !section_known(str + 1, close - str - 1)) {
		if (!ps->why_line) {
			snprintf(ps->why, sizeof(ps->why), "unknown section %.*s",
				 (int)(close - str + 1 > 64 ? 64 : close - str + 1), str);
			ps->why_line = ps->line;
		}
		ps->stopped = true;
		return NULL;
	}
	return str;
}

#define FAIL(ps, ...) do {						\
		if (!(ps)->why_line) {					\
			snprintf((ps)->why, sizeof((ps)->why), __VA_ARGS__);	\
			(ps)->why_line = (ps)->line;			\
		}							\
		return 0;						\
	} while (0)

/* Visible ASCII, no quote: what a kernel driver's supply or LED name is made of. */
static bool name_chars_ok(const char *v)
{
	for (; *v; v++)
		if (*v <= ' ' || *v > '~' || *v == '"' || *v == '\'')
			return false;
	return true;
}

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
	if (ps->key_line[i])
		FAIL(ps, "[%s] %s is given twice (first on line %d)", section, name,
		     ps->key_line[i]);
	ps->key_line[i] = ps->line;
	if (keys[i].is_string) {
		/*
		 * a name in a sysfs class directory: not a path, not . or ..;
		 * and as the kernel's drivers name them, visible ASCII without
		 * quotes (helper-84: charger = "bq25895-charger" pinned a
		 * supply that is nowhere, every policy off)
		 */
		if (strlen(value) >= CONFIG_NAME_MAX || strchr(value, '/') ||
		    !strcmp(value, ".") || !strcmp(value, "..") || !name_chars_ok(value))
			FAIL(ps, "[%s] %s: '%.64s' is not %s name%s", section, name, value,
			     strcmp(section, "led") ? "a power supply" : "an LED",
			     strpbrk(value, "\"'") ? " (no quotes: the name as it is)" : "");
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
	errno = 0;
	v = strtoul(value, &end, 10);
	if (!*value || *value == '-' || *end || errno || v < keys[i].min || v > keys[i].max)
		FAIL(ps, "[%s] %s: '%.64s' is not a number in %lu..%lu",
		     section, name, value, keys[i].min, keys[i].max);
	*(unsigned int *)((char *)ps->c + keys[i].off) = v;
	return 1;
}

#define POLICY_KEY(f)	offsetof(struct chargerd_config, policy.f)

/* [thermal]'s thresholds in the order they must keep (cool_c below warm_c, else at most) */
static const size_t thermal_order[] = {
	POLICY_KEY(cold_stop_c), POLICY_KEY(cool_c), POLICY_KEY(warm_c), POLICY_KEY(hot_c),
	POLICY_KEY(stop_c),
};

static size_t key_at(size_t off)
{
	size_t i;

	for (i = 0; i < NKEYS && keys[i].off != off; i++)
		;
	return i;
}

/* "name (value, line N)", or "(value, not in this file)" for one it did not give */
static void key_told(const struct parse *ps, size_t i, char *buf, size_t len)
{
	unsigned int v = *(const unsigned int *)((const char *)ps->c + keys[i].off);

	if (ps->key_line[i])
		snprintf(buf, len, "%s (%u, line %d)", keys[i].name, v, ps->key_line[i]);
	else
		snprintf(buf, len, "%s (%u, not in this file)", keys[i].name, v);
}

/*
 * Two keys out of order: both named with their values and where each was
 * given, at the line of the later one the file gave (helper-84: line 0,
 * for a key left at its default; no line at all for [thermal]). -1.
 */
static int order_error(const struct parse *ps, const char *path, const char *section,
		       size_t lo_off, size_t hi_off, const char *how, char *err, size_t errlen)
{
	size_t lo = key_at(lo_off), hi = key_at(hi_off);
	int line = ps->key_line[lo] > ps->key_line[hi] ? ps->key_line[lo] : ps->key_line[hi];
	char a[64], b[64], at[16] = "";

	key_told(ps, lo, a, sizeof(a));
	key_told(ps, hi, b, sizeof(b));
	if (line)
		snprintf(at, sizeof(at), ":%d", line);
	snprintf(err, errlen, "%s%s: [%s] %s must be %s %s", path, at, section, a, how, b);
	return -1;
}

int config_load(struct chargerd_config *c, const char *path, char *err, size_t errlen)
{
	struct chargerd_config tmp = *c;	/* c changes only if all is well */
	struct parse ps = { .c = &tmp };
	size_t i;
	int line;

	ps.f = fopen(path, "r");
	if (!ps.f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	line = ini_parse_stream(reader, &ps, handler, &ps);
	if (ps.stopped && !line)
		line = ps.why_line;	/* libinih saw an end of input there */
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
	if (tmp.policy.in_use_resume_percent >= tmp.policy.in_use_stop_percent)
		return order_error(&ps, path, "in-use", POLICY_KEY(in_use_resume_percent),
				   POLICY_KEY(in_use_stop_percent), "below", err, errlen);
	for (i = 0; i + 1 < sizeof(thermal_order) / sizeof(thermal_order[0]); i++) {
		const unsigned int *lo = (const unsigned int *)((char *)&tmp + thermal_order[i]);
		const unsigned int *hi = (const unsigned int *)((char *)&tmp + thermal_order[i + 1]);
		bool strict = thermal_order[i] == POLICY_KEY(cool_c);

		if (strict ? *lo >= *hi : *lo > *hi)
			return order_error(&ps, path, "thermal", thermal_order[i],
					   thermal_order[i + 1], strict ? "below" : "at most", err,
					   errlen);
	}
	*c = tmp;
	return 0;
}

struct format_state {
	char *buf;
	size_t len, used;
	const char *section;
	bool full;
};

static void format_key(const char *section, const char *name, const char *text, bool is_number,
		       void *data)
{
	struct format_state *f = data;
	bool same = f->section && !strcmp(f->section, section);
	int n;

	(void)is_number;	/* a value is written as it reads, either way */
	n = snprintf(f->buf + f->used, f->len - f->used, "%s%s%s%s = %s\n", same ? "" : "[",
		     same ? "" : section, same ? "" : "]\n", name, text);
	if (n < 0 || (size_t)n >= f->len - f->used) {
		f->full = true;
		return;
	}
	f->used += n;
	f->section = section;
}

int config_format(const struct chargerd_config *c, char *buf, size_t len)
{
	struct format_state f = { .buf = buf, .len = len };

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	config_foreach(c, format_key, &f);
	return f.full ? -ENOSPC : (int)f.used;
}

int config_save_in_force(const struct chargerd_config *c, int dirfd)
{
	char text[4096];
	int len = config_format(c, text, sizeof(text));

	if (len < 0)
		return len;
	return file_replace(dirfd, CONFIG_IN_FORCE_FILE, text, len, true);
}

int config_save_settings(const struct chargerd_config *c, int dirfd, const char *name)
{
	char text[256];
	int len;

	len = snprintf(text, sizeof(text),
		       "# Set over D-Bus (chargerctl); these take precedence over chargerd.conf.\n"
		       "[in-use]\nmode = %s\nstop_percent = %u\nresume_percent = %u\n",
		       in_use_mode_names[c->in_use_mode], c->policy.in_use_stop_percent,
		       c->policy.in_use_resume_percent);
	if (len < 0 || (size_t)len >= sizeof(text))
		return -EOVERFLOW;
	return file_replace(dirfd, name, text, len, true);
}
