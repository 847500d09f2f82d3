/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP results of the whole bench, gathered into one verdict.
 *
 * Every producer (a host test, a build or check step, a test program run in
 * the VM) writes its TAP between two marker lines:
 *
 *   # chargerd-suite: NAME
 *   ...TAP: a plan "1..N", "ok"/"not ok" lines, "# SKIP", "Bail out!"...
 *   # chargerd-suite-exit: NAME STATUS
 *
 * Only top-level result lines count (nested or commented TAP starts with
 * '#' or blanks). A suite also fails, on top of its own results, when its
 * plan and results disagree, when it bails out, when it printed nothing,
 * when it exited non-zero without reporting a failure, or when its exit
 * marker never came (it crashed, or the VM died under it).
 */
#ifndef CHARGERD_TAP_H
#define CHARGERD_TAP_H

#include <stdio.h>

#define TAP_NAME_MAX	128
/*
 * A failure's report carries the test's diagnostic lines before it
 * (kselftest's "# file:line:test:Expected ..."): the first TAP_DIAG_FIRST
 * (the first failed check, usually the cause) and the last TAP_DIAG_LAST
 * (a crash's last words), with how many were left out between, each cut
 * at TAP_DIAG_LEN - 1 bytes, so that a run's summary alone says why (CI
 * keeps only the end of a run's output).
 */
#define TAP_DIAG_FIRST	4
#define TAP_DIAG_LAST	4
#define TAP_DIAG_LINES	(TAP_DIAG_FIRST + TAP_DIAG_LAST)
#define TAP_DIAG_LEN	200

struct tap_totals {
	unsigned int pass;
	unsigned int fail;
	unsigned int skip;
};

struct tap_parser {
	FILE *report;			/* failures and skips are named here */
	struct tap_totals total;
	/* the open suite */
	char suite[TAP_NAME_MAX];
	int open;
	int explicit;			/* opened by a marker, so needs an exit marker */
	long plan;			/* -1: none seen */
	unsigned int results;
	unsigned int failed;
	int bailed;
	/*
	 * comment lines since the last result: the first TAP_DIAG_FIRST,
	 * then a ring of the last TAP_DIAG_LAST
	 */
	char diag[TAP_DIAG_LINES][TAP_DIAG_LEN];
	unsigned int ndiag;		/* lines seen since the last result */
};

void tap_init(struct tap_parser *p, FILE *report);
/* Lines that come before any marker belong to a suite named @implicit. */
void tap_begin_file(struct tap_parser *p, const char *implicit);
/* One line of input, with or without its newline. */
void tap_line(struct tap_parser *p, const char *line);
/* End of one input file: closes an open suite. */
void tap_end_file(struct tap_parser *p);
/* The verdict line: "N passed, N failed, N skipped". */
void tap_summary(const struct tap_parser *p, FILE *out);
/* 0 when something passed and nothing failed. */
int tap_exit_status(const struct tap_parser *p);

#endif
