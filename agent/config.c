// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* One error of the file: its line (0: none, e.g. two keys both left at their values) */
struct parse_error {
	int line;
	char why[192];
};

struct parse {
	struct chargerd_config *c;
	FILE *f;
	int line;		/* lines read so far: the handler's line */
	int key_line[NKEYS];	/* where each key was given; 0: not given (its default) */
	bool key_bad[NKEYS];	/* given, and its value refused: kept out of the order checks */
	/* in a section no key has (or after a "[section" without ']'): its keys are not said */
	bool skipping;
	bool lone_cr;		/* a CR alone ended a line (said once) */
	int nul_line;		/* the last line that held a NUL (said); 0: none */
	int pending;		/* a line for libinih's key = value; 0: none */
	int handled;		/* the last line libinih called the handler for */
	unsigned int errors;	/* every error, said or not */
	struct parse_error error[CONFIG_ERRORS_SHOWN];	/* the first ones */
};

/*
 * Note an error at line: every one counted, the CONFIG_ERRORS_SHOWN
 * earliest by line kept (an order's error, found after the parse, takes
 * the place of a later line's: helper-98). Bytes of the file that are
 * not printable ASCII are said as '?': a key may hold a terminal's
 * escape sequence, or binary (helper-98: the screen was cleared).
 */
static void __attribute__((format(printf, 3, 4)))
say(struct parse *ps, int line, const char *fmt, ...)
{
	unsigned int k, at = ps->errors;
	va_list ap;
	char *p;

	ps->errors++;
	if (at >= CONFIG_ERRORS_SHOWN) {
		for (at = 0, k = 1; k < CONFIG_ERRORS_SHOWN; k++)
			if (ps->error[k].line > ps->error[at].line)
				at = k;
		if (ps->error[at].line <= line)
			return;
	}
	ps->error[at].line = line;
	va_start(ap, fmt);
	vsnprintf(ps->error[at].why, sizeof(ps->error[0].why), fmt, ap);
	va_end(ap);
	for (p = ps->error[at].why; *p; p++)
		if ((unsigned char)*p < ' ' || (unsigned char)*p > '~')
			*p = '?';
}

/* Whether section is one the keys have: a misspelt one is an error, keys or none. */
static bool section_known(const char *section, size_t len)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strlen(keys[i].section) == len && !strncmp(keys[i].section, section, len))
			return true;
	return false;
}

/*
 * The line handed to libinih as a key last time that libinih made no key
 * of (no '=' or ':' before an inline comment): its error, said here
 * because libinih tells only the first line it refused, and only at its
 * end.
 */
static void pending_check(struct parse *ps)
{
	if (ps->pending && ps->handled != ps->pending && ps->pending != ps->nul_line)
		say(ps, ps->pending, "not a [section], a comment or key = value");
	ps->pending = 0;
}

/*
 * libinih's reader: one line at a time, counted, so that the handler
 * knows where it is, handed whole and flush left, and judged here where
 * libinih would not say why or would stop:
 * - a line longer than libinih's buffer (num - 1 characters, its CRLF's
 *   CR not counted) is an error, and is read to its end and handed on
 *   as an empty line: libinih would take its tail for a line of its own
 *   (a long comment ending in "stop_c = 60" set stop_c). Read whole, the
 *   lines after it are where they were, so the parse goes on;
 * - leading blanks go: indenting keys under their section is common, and
 *   libinih (built with INI_ALLOW_MULTILINE, as Debian's is) took an
 *   indented line for a continuation of the key before it ("warm_c is
 *   given twice" for a hot_c line). No key of this file spans lines;
 * - a UTF-8 byte order mark on the first line goes too (an editor's), as
 *   libinih would drop it: the line is judged as libinih reads it;
 * - a [section] no key has, or a '[' line without ']', is an error and
 *   handed on as an empty line. The parse goes on: the lines after the
 *   next good [section] are checked as usual; the keys before it are not
 *   said one by one (the handler skips them), as "unknown key" for each
 *   key of a misspelt [thermla] would bury the one error there is. None
 *   of them is applied: the file is refused.
 * - a NUL byte is an error at its line: libinih saw the line up to it,
 *   and the rest was dropped without a word ("stop_c = 4\02" gave 4).
 *   The line is handed on without its NULs, the section or key it names
 *   known, no value of it judged (the handler). Read a character at a
 *   time, the lines after it are where they were.
 */
static char *reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	size_t n = 0, room = num > 0 ? (size_t)num - 1 : 0;
	const char *close;
	bool over = false, blank = true, nul = false;
	int c = EOF;

	pending_check(ps);
	while ((c = getc(ps->f)) != EOF && c != '\n') {
		if (c == '\r') {
			int next = getc(ps->f);

			if (next == '\n' || next == EOF) {
				c = next;
				break;
			}
			/*
			 * a CR alone ends the line too, and is said once: a
			 * file of such lines was one line to libinih, taken
			 * whole if it began with a comment (helper-99)
			 */
			ungetc(next, ps->f);
			if (!ps->lone_cr)
				say(ps, ps->line + 1,
				    "a carriage return alone ends this line: save the file with LF or CRLF line ends");
			ps->lone_cr = true;
			break;
		}
		if (blank && (c == ' ' || c == '\t'))
			continue;
		blank = false;
		if (!c) {
			nul = true;
			continue;
		}
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
		say(ps, ps->line, "a line longer than %d characters", num - 1);
		str[0] = '\0';
		return str;
	}
	if (nul) {
		say(ps, ps->line, "a NUL byte in this line: the rest of it would be lost");
		ps->nul_line = ps->line;
	}
	if (ps->line == 1 && !strncmp(str, "\xef\xbb\xbf", 3)) {
		n = 3 + strspn(str + 3, " \t");
		memmove(str, str + n, strlen(str + n) + 1);
	}
	if (!str[0] || str[0] == ';' || str[0] == '#')
		return str;
	if (str[0] != '[') {
		ps->pending = ps->line;	/* a key = value, if libinih makes one of it */
		return str;
	}
	/*
	 * a section no key has, said where it is: libinih calls nothing for
	 * one without keys (helper-84: "[bogus]" alone was taken, against
	 * "strict"); one without ']' libinih refuses without saying why
	 */
	close = strchr(str, ']');
	ps->skipping = !close || !section_known(str + 1, close - str - 1);
	if (!close)
		say(ps, ps->line, "not a [section]: no ']'");
	else if (ps->skipping)
		say(ps, ps->line, "unknown section %.*s",
		    (int)(close - str + 1 > 64 ? 64 : close - str + 1), str);
	/*
	 * libinih drops what follows the ']': a key there ("[agent]
	 * resync_s = 5", or a file whose lines end in CR alone, one line
	 * for libinih) was lost without a word (helper-98). A comment may
	 * follow.
	 */
	if (close) {
		const char *rest = close + 1 + strspn(close + 1, " \t\r\v\f");

		if (*rest && *rest != ';' && *rest != '#')
			say(ps, ps->line, "text after %.*s: each key on a line of its own",
			    (int)(close - str + 1 > 64 ? 64 : close - str + 1), str);
	}
	if (ps->skipping)
		str[0] = '\0';
	return str;
}

/* An error at the handler's line; the handler goes on to the next key. */
#define FAIL(ps, ...) do {						\
		say((ps), (ps)->line, __VA_ARGS__);			\
		return 1;						\
	} while (0)

/*
 * Visible ASCII, no quote: what a kernel driver's supply or LED name is
 * made of. No '#' or ';' either: a comment libinih left in the value.
 */
static bool name_chars_ok(const char *v)
{
	for (; *v; v++)
		if (*v <= ' ' || *v > '~' || *v == '"' || *v == '\'' || *v == '#' || *v == ';')
			return false;
	return true;
}

/* The section a key of this name is in, or NULL if none is. */
static const char *key_home(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].name, name))
			return keys[i].section;
	return NULL;
}

/*
 * Why a value was not taken, if it holds a comment libinih did not take
 * for one: a '#' (a comment only at the start of a line), or a ';' with
 * no blank before it (an inline comment is " ;"). NULL if neither.
 */
static const char *comment_in(const char *value)
{
	if (strchr(value, '#'))
		return "'#' starts no comment after a value, ';' does (after a space)";
	if (strchr(value, ';'))
		return "';' starts a comment only after a space or tab";
	return NULL;
}

/*
 * libinih calls this for each key. Always 1 (go on): every error is
 * noted in ps, and the file is refused at the end if there was one.
 */
static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;
	const char *home, *why, *digits;
	unsigned long v;
	char *end;
	size_t i;

	ps->handled = ps->line;
	if (ps->skipping)
		return 1;	/* a key of a section said to be wrong */
	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			break;
	if (i == NKEYS) {
		/* libinih's section "" is before any [section]: said so, not "in []" */
		home = key_home(name);
		if (!*section && home)
			FAIL(ps, "%s comes before any [section]: it belongs in [%s]", name, home);
		if (!*section)
			FAIL(ps, "unknown key '%.64s', before any [section]", name);
		if (home)
			FAIL(ps, "[%s] has no %s: it belongs in [%s]", section, name, home);
		FAIL(ps, "unknown key '%.64s' in [%.64s]", name, section);
	}
	if (ps->key_line[i])
		FAIL(ps, "[%.64s] %.64s is given twice (first on line %d)", section, name,
		     ps->key_line[i]);
	ps->key_line[i] = ps->line;
	ps->key_bad[i] = true;	/* until its value is taken */
	if (ps->line == ps->nul_line)
		return 1;	/* its value cut at a NUL: the reader said it */
	why = comment_in(value);
	if (keys[i].is_string) {
		/*
		 * a name in a sysfs class directory: not a path, not . or ..;
		 * and as the kernel's drivers name them, visible ASCII without
		 * quotes (helper-84: charger = "bq25895-charger" pinned a
		 * supply that is nowhere, every policy off)
		 */
		if (strlen(value) >= CONFIG_NAME_MAX || strchr(value, '/') ||
		    !strcmp(value, ".") || !strcmp(value, "..") || !name_chars_ok(value)) {
			if (why)
				FAIL(ps, "[%s] %s: '%.64s': %s", section, name, value, why);
			FAIL(ps, "[%s] %s: '%.64s' is not %s name%s", section, name, value,
			     strcmp(section, "led") ? "a power supply" : "an LED",
			     strpbrk(value, "\"'") ? " (no quotes: the name as it is)" : "");
		}
		strcpy((char *)ps->c + keys[i].off, value);
		ps->key_bad[i] = false;
		return 1;
	}
	if (keys[i].choices) {
		for (v = 0; v <= keys[i].max; v++)
			if (!strcmp(value, keys[i].choices[v]))
				break;
		if (v > keys[i].max && why)
			FAIL(ps, "[%s] %s: '%.64s': %s", section, name, value, why);
		if (v > keys[i].max)
			FAIL(ps, "[%s] %s: '%.64s' is not one of %s", section, name, value,
			     keys[i].choices == in_use_mode_names ? "auto, on, off" : "the choices");
		*(unsigned int *)((char *)ps->c + keys[i].off) = v;
		ps->key_bad[i] = false;
		return 1;
	}
	if (why)
		FAIL(ps, "[%s] %s: '%.64s': %s", section, name, value, why);
	/* a number (a sign, then digits only), then one in the range: each said as it is */
	digits = value + (*value == '-' || *value == '+');
	errno = 0;
	v = strtoul(digits, &end, 10);
	if (!*digits || digits[strspn(digits, "0123456789")] || (*value == '-' && !v))
		FAIL(ps, "[%s] %s: '%.64s' is not a number in %lu..%lu",
		     section, name, value, keys[i].min, keys[i].max);
	if (*value == '-' || errno || *end || v < keys[i].min || v > keys[i].max)
		FAIL(ps, "[%s] %s: '%.64s' is out of range %lu..%lu",
		     section, name, value, keys[i].min, keys[i].max);
	*(unsigned int *)((char *)ps->c + keys[i].off) = v;
	ps->key_bad[i] = false;
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
 * Two keys that must keep an order (the value at lo_off below, or at most,
 * the one at hi_off: how): if they do not, an error naming both with their
 * values and where each was given, at the line of the later one the file
 * gave (helper-84: line 0, for a key left at its default; no line at all
 * for [thermal]). Not checked if either's value was refused: it holds no
 * value of the file's, and its own error says what is wrong.
 */
static void order_check(struct parse *ps, const char *section, size_t lo_off, size_t hi_off,
			bool strict)
{
	size_t lo = key_at(lo_off), hi = key_at(hi_off);
	unsigned int lv = *(const unsigned int *)((const char *)ps->c + lo_off);
	unsigned int hv = *(const unsigned int *)((const char *)ps->c + hi_off);
	char a[64], b[64];

	if (ps->key_bad[lo] || ps->key_bad[hi] || (strict ? lv < hv : lv <= hv))
		return;
	key_told(ps, lo, a, sizeof(a));
	key_told(ps, hi, b, sizeof(b));
	say(ps, ps->key_line[lo] > ps->key_line[hi] ? ps->key_line[lo] : ps->key_line[hi],
	    "[%s] %s must be %s %s", section, a, strict ? "below" : "at most", b);
}

/* The longest "\nand N more errors" */
#define MORE_MAX	sizeof("\nand 4294967295 more errors")

/*
 * ps's errors into err (errlen bytes), one a line, "path:line: why", in
 * the order of their lines (an order's error after the parse's at its
 * line), the ones not kept or that do not fit counted on a last line
 * "and N more errors". Never cut short but when the first alone does
 * not fit.
 */
static void errors_text(struct parse *ps, const char *path, char *err, size_t errlen)
{
	unsigned int kept = ps->errors < CONFIG_ERRORS_SHOWN ? ps->errors : CONFIG_ERRORS_SHOWN;
	unsigned int k, j;
	size_t used = 0;

	if (!errlen)
		return;
	err[0] = '\0';
	/* by line, stable: few enough for an insertion sort */
	for (k = 1; k < kept; k++) {
		struct parse_error e = ps->error[k];

		for (j = k; j > 0 && ps->error[j - 1].line > e.line; j--)
			ps->error[j] = ps->error[j - 1];
		ps->error[j] = e;
	}
	for (k = 0; k < kept; k++) {
		const struct parse_error *e = &ps->error[k];
		size_t tail = k + 1 < ps->errors ? MORE_MAX : 0, room = errlen - used;
		char at[16] = "";
		int n;

		if (e->line)
			snprintf(at, sizeof(at), ":%d", e->line);
		n = snprintf(NULL, 0, "%s%s%s: %s", k ? "\n" : "", path, at, e->why);
		if (n < 0 || (k && (size_t)n + tail >= room))
			break;
		/* the first, whole if it can be, and room left for the count */
		if (!k && room > tail + 1)
			room -= tail;
		snprintf(err + used, room, "%s%s%s: %s", k ? "\n" : "", path, at, e->why);
		used += (size_t)n < room ? (size_t)n : room - 1;
	}
	if (k < ps->errors)
		snprintf(err + used, errlen - used, "\nand %u more error%s", ps->errors - k,
			 ps->errors - k > 1 ? "s" : "");
}

/*
 * Whether path, which open() did not find, passes through a symbolic link
 * to nothing: the file itself, or a directory above it (/etc/chargerd a
 * link to a partition not mounted yet: it was taken for no file, the
 * defaults silently). Said in err if so. Each part in turn,
 * lstat() then stat(); the first part that is not there, no link, means
 * no file.
 */
static bool link_to_nothing(const char *path, char *err, size_t errlen)
{
	size_t i, len = strlen(path);
	char part[PATH_MAX];
	struct stat st;

	if (len >= sizeof(part))
		return false;
	for (i = 1; i <= len; i++) {
		if (i < len && (path[i] != '/' || path[i - 1] == '/'))
			continue;
		memcpy(part, path, i);
		part[i] = '\0';
		if (lstat(part, &st))
			return false;
		if (!S_ISLNK(st.st_mode) || !stat(part, &st) || errno != ENOENT)
			continue;
		if (i == len)
			snprintf(err, errlen, "%s: a symbolic link to a file that is not there", path);
		else
			snprintf(err, errlen,
				 "%s: %s is a symbolic link to a directory that is not there",
				 path, part);
		return true;
	}
	return false;
}

/*
 * The file at path to read, or NULL: errno ENOENT for no file (the
 * defaults), else the reason in err. Only a regular file: a FIFO blocked
 * the open for ever, /dev/zero the read (helper-98: `systemctl reload`
 * runs --check-config). A symbolic link to nothing, the file's or a
 * directory's above it, is said, not taken for no file (a configuration
 * on a partition not mounted yet).
 */
static FILE *config_open(const char *path, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	int fd;

	/* not even opened if it is no file: a device's open may act (helper-99) */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT && link_to_nothing(path, err, errlen)) {
			errno = ENOTDIR;	/* not "no file" */
			return NULL;
		}
		if (e != ENOENT)
			snprintf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if (fcntl(fd, F_SETFL, 0) || !(f = fdopen(fd, "r"))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		errno = EIO;
		return NULL;
	}
	return f;
}

int config_load(struct chargerd_config *c, const char *path, char *err, size_t errlen)
{
	struct chargerd_config tmp = *c;	/* c changes only if all is well */
	struct parse ps = { .c = &tmp };
	size_t i;
	int line;

	ps.f = config_open(path, err, errlen);
	if (!ps.f)
		return errno == ENOENT ? 0 : -1;
	line = ini_parse_stream(reader, &ps, handler, &ps);
	pending_check(&ps);	/* libinih may end without asking for another line */
	if (ferror(ps.f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(ps.f);
		return -1;
	}
	fclose(ps.f);
	if (line < 0) {
		snprintf(err, errlen, "%s: cannot parse (%d)", path, line);
		return -1;
	}
	/* a line libinih refused that the reader did not foresee: never taken as good */
	if (line > 0 && !ps.errors)
		say(&ps, line, "not a [section], a comment or key = value");
	/* the order between keys, checked for those that parsed: said with the rest */
	order_check(&ps, "in-use", POLICY_KEY(in_use_resume_percent),
		    POLICY_KEY(in_use_stop_percent), true);
	for (i = 0; i + 1 < sizeof(thermal_order) / sizeof(thermal_order[0]); i++)
		order_check(&ps, "thermal", thermal_order[i], thermal_order[i + 1],
			    thermal_order[i] == POLICY_KEY(cool_c));
	if (ps.errors) {
		errors_text(&ps, path, err, errlen);
		return -1;
	}
	*c = tmp;
	return 0;
}

bool config_fd_is_journal(int fd)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	int n = 0;

	if (!stream || sscanf(stream, "%llu:%llu%n", &dev, &ino, &n) != 2 || stream[n] ||
	    fstat(fd, &st))
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

unsigned int config_error_sinks(bool daemon, int errfd)
{
	return (daemon ? CONFIG_TELL_JOURNAL : 0) |
	       (config_fd_is_journal(errfd) ? 0 : CONFIG_TELL_STDERR);
}

void config_error_print(FILE *f, const char *prefix, const char *err)
{
	size_t n;

	do {
		n = strcspn(err, "\n");
		fprintf(f, "%s%.*s\n", prefix, (int)n, err);
		err += n;
	} while (*err++);
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
