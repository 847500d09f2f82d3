// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define SUITE_MARK	"# chargerd-suite: "
#define EXIT_MARK	"# chargerd-suite-exit: "
#define KSFT_SKIP	4

void tap_init(struct tap_parser *p, FILE *report)
{
	memset(p, 0, sizeof(*p));
	p->report = report;
}

static void note(struct tap_parser *p, const char *what, const char *desc)
{
	if (p->report)
		fprintf(p->report, "%s: %s: %s\n", what, p->suite, desc);
}

/* Where comment line k (from 0) since the last result is kept. */
static unsigned int diag_slot(unsigned int k)
{
	return k < TAP_DIAG_FIRST ? k : TAP_DIAG_FIRST + (k - TAP_DIAG_FIRST) % TAP_DIAG_LAST;
}

/*
 * The comment lines kept since the last result, under a failure's note
 * (print), the first ones, how many were left out, the last ones; then none.
 */
static void diag_flush(struct tap_parser *p, int print)
{
	unsigned int k, last = p->ndiag;

	if (print && p->report) {
		for (k = 0; k < last && k < TAP_DIAG_FIRST; k++)
			fprintf(p->report, "    | %s\n", p->diag[k]);
		if (last > TAP_DIAG_LINES) {
			fprintf(p->report, "    | (%u more)\n", last - TAP_DIAG_LINES);
			k = last - TAP_DIAG_LAST;
		}
		for (; k < last; k++)
			fprintf(p->report, "    | %s\n", p->diag[diag_slot(k)]);
	}
	p->ndiag = 0;
}

/*
 * A comment line of the open suite kept for a failure's report, but not
 * the harness's progress ("#  RUN", "#  OK", "#  FAIL": the result says
 * as much).
 */
static void diag_keep(struct tap_parser *p, const char *line)
{
	const char *s = line + 1;
	char *slot;
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '\r' || *s == '\n' || !strncmp(s, "RUN ", 4) ||
	    !strncmp(s, "OK ", 3) || !strncmp(s, "FAIL ", 5))
		return;
	if (p->ndiag == UINT_MAX)
		return;
	slot = p->diag[diag_slot(p->ndiag++)];
	n = strcspn(line, "\r\n");
	if (n >= TAP_DIAG_LEN)
		n = TAP_DIAG_LEN - 1;
	memcpy(slot, line, n);
	slot[n] = '\0';
}

static void suite_fail(struct tap_parser *p, const char *why)
{
	p->total.fail++;
	p->failed++;
	note(p, "FAIL", why);
	diag_flush(p, 1);
}

static void open_suite(struct tap_parser *p, const char *name, size_t len, int explicit)
{
	if (len >= sizeof(p->suite))
		len = sizeof(p->suite) - 1;
	memcpy(p->suite, name, len);
	p->suite[len] = '\0';
	p->open = 1;
	p->explicit = explicit;
	p->plan = -1;
	p->results = 0;
	p->failed = 0;
	p->bailed = 0;
	diag_flush(p, 0);
}

/* Checks that apply however the suite ended. */
static void close_checks(struct tap_parser *p)
{
	char why[96];

	if (p->plan >= 0 && (unsigned long)p->plan != p->results) {
		snprintf(why, sizeof(why), "planned %ld tests, %u reported",
			 p->plan, p->results);
		suite_fail(p, why);
	} else if (p->plan < 0 && !p->results && !p->bailed) {
		suite_fail(p, "no TAP results");
	}
	p->open = 0;
}

static void close_suite(struct tap_parser *p, long status)
{
	char why[128];

	if (!p->open)
		return;
	if (p->plan == 0 && !p->results && status == KSFT_SKIP) {
		p->total.skip++;
		note(p, "SKIP", "the whole suite was skipped");
		p->open = 0;
		return;
	}
	if (status > 128 && status < 128 + 65) {
		/* The shell's way of saying "killed by a signal". */
		snprintf(why, sizeof(why), "killed by signal %ld after %u results",
			 status - 128, p->results);
		suite_fail(p, why);
		p->open = 0;
		return;
	}
	close_checks(p);
	if (status != 0 && status != KSFT_SKIP && !p->failed) {
		snprintf(why, sizeof(why), "exited with status %ld", status);
		suite_fail(p, why);
	}
}

static void close_unfinished(struct tap_parser *p)
{
	char why[128];

	if (!p->open)
		return;
	if (!p->explicit) {
		/* Lines before any marker: only TAP among them counts. */
		if (p->plan < 0 && !p->results && !p->bailed)
			p->open = 0;
		else
			close_checks(p);
		return;
	}
	snprintf(why, sizeof(why),
		 "stopped after %u results, with no exit status (it crashed, or the VM died)",
		 p->results);
	suite_fail(p, why);
	p->open = 0;
}

void tap_begin_file(struct tap_parser *p, const char *implicit)
{
	close_unfinished(p);
	open_suite(p, implicit, strlen(implicit), 0);
}

void tap_end_file(struct tap_parser *p)
{
	close_unfinished(p);
}

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int has_directive(const char *s, const char *word)
{
	const char *hash = strchr(s, '#');
	size_t n = strlen(word);

	for (; hash; hash = strchr(hash + 1, '#')) {
		const char *d = skip_blank(hash + 1);

		if (!strncasecmp(d, word, n) && (d[n] == '\0' || !isalnum((unsigned char)d[n])))
			return 1;
	}
	return 0;
}

/* "ok", "not ok": returns 1 for ok, 0 for not ok, -1 for anything else. */
static int result_kind(const char *line, const char **rest)
{
	const char *s = line;
	int ok = 1;

	if (!strncmp(s, "not ok", 6)) {
		ok = 0;
		s += 6;
	} else if (!strncmp(s, "ok", 2)) {
		s += 2;
	} else {
		return -1;
	}
	if (*s && *s != ' ' && *s != '\t')
		return -1;
	*rest = skip_blank(s);
	return ok;
}

static void result(struct tap_parser *p, int ok, const char *rest)
{
	char desc[256];
	size_t n;

	/* Drop the test number; what is left names the test. */
	while (isdigit((unsigned char)*rest))
		rest++;
	rest = skip_blank(rest);
	if (*rest == '-')
		rest = skip_blank(rest + 1);
	n = strcspn(rest, "\r\n");
	if (n >= sizeof(desc))
		n = sizeof(desc) - 1;
	memcpy(desc, rest, n);
	desc[n] = '\0';

	p->results++;
	if (has_directive(desc, "SKIP") || has_directive(desc, "TODO")) {
		p->total.skip++;
		note(p, "SKIP", desc);
	} else if (ok) {
		p->total.pass++;
	} else {
		p->total.fail++;
		p->failed++;
		note(p, "FAIL", desc);
		diag_flush(p, 1);
	}
	diag_flush(p, 0);
}

static int parse_plan(const char *s, long *plan)
{
	char *end;
	long n;

	if (strncmp(s, "1..", 3) && strncmp(s, "0..", 3))
		return 0;
	n = strtol(s + 3, &end, 10);
	if (end == s + 3 || n < 0)
		return 0;
	*plan = s[0] == '0' ? 0 : n;
	return 1;
}

void tap_line(struct tap_parser *p, const char *line)
{
	const char *rest;
	long plan;
	int ok;

	if (!strncmp(line, SUITE_MARK, strlen(SUITE_MARK))) {
		const char *name = skip_blank(line + strlen(SUITE_MARK));

		close_unfinished(p);
		open_suite(p, name, strcspn(name, " \t\r\n"), 1);
		return;
	}
	if (!strncmp(line, EXIT_MARK, strlen(EXIT_MARK))) {
		const char *s = skip_blank(line + strlen(EXIT_MARK));
		char *end;
		long status;

		s = skip_blank(s + strcspn(s, " \t\r\n"));
		status = strtol(s, &end, 10);
		if (end == s) {
			suite_fail(p, "malformed exit marker");
			status = 0;
		}
		close_suite(p, status);
		return;
	}
	if (!p->open)
		return;

	ok = result_kind(line, &rest);
	if (ok >= 0) {
		result(p, ok, rest);
	} else if (parse_plan(line, &plan)) {
		if (p->plan >= 0)
			suite_fail(p, "more than one plan");
		p->plan = plan;
	} else if (!strncmp(line, "Bail out!", 9)) {
		p->bailed = 1;
		suite_fail(p, "bailed out");
	} else if (*skip_blank(line) == '#') {
		diag_keep(p, skip_blank(line));
	}
}

void tap_summary(const struct tap_parser *p, FILE *out)
{
	fprintf(out, "%u passed, %u failed", p->total.pass, p->total.fail);
	if (p->total.skip)
		fprintf(out, ", %u skipped", p->total.skip);
	fputc('\n', out);
}

int tap_exit_status(const struct tap_parser *p)
{
	return p->total.fail || !p->total.pass;
}
