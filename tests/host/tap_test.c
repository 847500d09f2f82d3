// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the bench's TAP aggregator (tests/tap): the one line
 * `make check` ends with must count what really happened, including the
 * ways a test can die without saying so.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../tap/tap.h"

FIXTURE(tap) {
	struct tap_parser p;
	char *report;
	size_t report_len;
	FILE *rf;
};

FIXTURE_SETUP(tap)
{
	self->report = NULL;
	self->rf = open_memstream(&self->report, &self->report_len);
	ASSERT_NE(NULL, self->rf);
	tap_init(&self->p, self->rf);
}

FIXTURE_TEARDOWN(tap)
{
	fclose(self->rf);
	free(self->report);
}

/* Feed a whole input file, given as one string of lines. */
static void feed(struct tap_parser *p, const char *name, const char *text)
{
	char *copy = strdup(text), *save = NULL, *line;

	tap_begin_file(p, name);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		tap_line(p, line);
	tap_end_file(p);
	free(copy);
}

static const char *report(struct _test_data_tap *self)
{
	fflush(self->rf);
	return self->report ? self->report : "";
}

static char *summary(const struct tap_parser *p)
{
	static char buf[128];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	tap_summary(p, f);
	fclose(f);
	return buf;
}

TEST_F(tap, kselftest_output_counts)
{
	feed(&self->p, "log",
	     "# chargerd-suite: canary\n"
	     "TAP version 13\n"
	     "1..4\n"
	     "# Starting 4 tests from 2 test cases.\n"
	     "#  RUN           canary.a ...\n"
	     "ok 1 canary.a\n"
	     "not ok 2 canary.b\n"
	     "ok 3 canary.c # SKIP no hardware\n"
	     "ok 4 - canary.d\n"
	     "# FAILED: 2 / 4 tests passed.\n"
	     "# chargerd-suite-exit: canary 1\n");
	EXPECT_EQ(2, self->p.total.pass);
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_EQ(1, self->p.total.skip);
	EXPECT_STREQ("2 passed, 1 failed, 1 skipped\n", summary(&self->p));
	EXPECT_NE(NULL, strstr(report(self), "FAIL: canary: canary.b"));
	EXPECT_NE(NULL, strstr(report(self), "SKIP: canary: canary.c # SKIP no hardware"));
	EXPECT_EQ(1, tap_exit_status(&self->p));
}

/*
 * A failure's report says why: the test's own lines before its result
 * (kselftest prints them first), the last TAP_DIAG_LINES of them, without
 * the harness's progress lines or those of the tests before.
 */
TEST_F(tap, a_failure_carries_its_diagnostics)
{
	char text[4096];
	const char *line;
	size_t n;
	int i;

	feed(&self->p, "log",
	     "# chargerd-suite: drv\n"
	     "1..3\n"
	     "#  RUN           g.a ...\n"
	     "# driver_test.c:10:a:not this one: a passed\n"
	     "#            OK  g.a\n"
	     "ok 1 g.a\n"
	     "#  RUN           g.b ...\n"
	     "# driver_test.c:758:b:Expected 18 (18) == rd(0x00) (63)\n"
	     "  # driver_test.c:759:b:after inject=por\n"
	     "#            FAIL  g.b\n"
	     "not ok 2 g.b\n"
	     "ok 3 g.c\n"
	     "# chargerd-suite-exit: drv 1\n");
	EXPECT_NE(NULL, strstr(report(self),
			       "FAIL: drv: g.b\n"
			       "    | # driver_test.c:758:b:Expected 18 (18) == rd(0x00) (63)\n"
			       "    | # driver_test.c:759:b:after inject=por\n"))
		TH_LOG("%s", report(self));
	EXPECT_EQ(NULL, strstr(report(self), "not this one"));
	EXPECT_EQ(NULL, strstr(report(self), "RUN"));

	/* many lines: the first ones, how many more, the last ones, each cut to a line's size */
	n = snprintf(text, sizeof(text), "# chargerd-suite: many\n1..1\n");
	for (i = 0; i < 12; i++)
		n += snprintf(text + n, sizeof(text) - n, "# line %d %0250d\n", i, 0);
	snprintf(text + n, sizeof(text) - n, "not ok 1 x\n# chargerd-suite-exit: many 1\n");
	feed(&self->p, "log2", text);
	for (i = 0; i < 12; i++) {
		char key[32];

		snprintf(key, sizeof(key), "    | # line %d 000", i);
		EXPECT_EQ(i < 4 || i >= 8, strstr(report(self), key) != NULL) TH_LOG("%s", key);
	}
	EXPECT_NE(NULL, strstr(report(self), "    | (4 more)\n    | # line 8 000"));
	for (line = strstr(report(self), "    | "); line; line = strstr(line + 1, "    | "))
		EXPECT_GE(strlen("    | ") + TAP_DIAG_LEN - 1, strcspn(line, "\n"));

	/* a "not ok" with a SKIP directive is a skip: its lines are not a failure's */
	feed(&self->p, "log4",
	     "# chargerd-suite: skipper\n1..1\n# no hardware here\n"
	     "not ok 1 y # SKIP no hardware\n# chargerd-suite-exit: skipper 0\n");
	EXPECT_EQ(NULL, strstr(report(self), "no hardware here"));

	/* a crash: the last words before it */
	feed(&self->p, "log3",
	     "# chargerd-suite: crash\n1..2\nok 1 a\n# BUG: a kernel oops\n");
	EXPECT_NE(NULL, strstr(report(self), "(it crashed, or the VM died)\n    | # BUG: a kernel oops\n"));
}

TEST_F(tap, all_pass_and_no_skipped_field)
{
	feed(&self->p, "log",
	     "# chargerd-suite: one\n1..2\nok 1 a\nok 2 b\n# chargerd-suite-exit: one 0\n"
	     "# chargerd-suite: two\n1..1\nok 1 c\n# chargerd-suite-exit: two 0\n");
	EXPECT_STREQ("3 passed, 0 failed\n", summary(&self->p));
	EXPECT_EQ(0, tap_exit_status(&self->p));
	EXPECT_STREQ("", report(self));
}

TEST_F(tap, crash_without_exit_marker_names_the_suite)
{
	feed(&self->p, "vm.log",
	     "# chargerd-suite: driver_test\n1..3\nok 1 a\n"
	     "# chargerd-suite: next\n1..1\nok 1 z\n# chargerd-suite-exit: next 0\n");
	EXPECT_EQ(2, self->p.total.pass);
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_NE(NULL, strstr(report(self), "FAIL: driver_test: stopped after 1 results"));
}

TEST_F(tap, vm_died_at_end_of_file)
{
	feed(&self->p, "vm.log", "# chargerd-suite: last\n1..2\nok 1 a\n");
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_NE(NULL, strstr(report(self), "FAIL: last: stopped after 1 results"));
}

TEST_F(tap, plan_mismatch_fails)
{
	feed(&self->p, "log",
	     "# chargerd-suite: short\n1..3\nok 1 a\nok 2 b\n# chargerd-suite-exit: short 0\n");
	EXPECT_EQ(2, self->p.total.pass);
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_NE(NULL, strstr(report(self), "planned 3 tests, 2 reported"));
}

TEST_F(tap, signal_exit_without_failure_fails)
{
	feed(&self->p, "log",
	     "# chargerd-suite: seg\n1..1\nok 1 a\n# chargerd-suite-exit: seg 139\n");
	EXPECT_EQ(1, self->p.total.pass);
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_NE(NULL, strstr(report(self), "FAIL: seg: killed by signal 11 after 1 results"));
}

TEST_F(tap, crash_mid_plan_is_one_named_failure)
{
	feed(&self->p, "log",
	     "# chargerd-suite: seg\n1..3\nok 1 a\n# chargerd-suite-exit: seg 134\n");
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_NE(NULL, strstr(report(self), "killed by signal 6 after 1 results"));
}

TEST_F(tap, plain_nonzero_exit_fails)
{
	feed(&self->p, "log",
	     "# chargerd-suite: x\n1..1\nok 1 a\n# chargerd-suite-exit: x 3\n");
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_NE(NULL, strstr(report(self), "FAIL: x: exited with status 3"));
}

TEST_F(tap, nonzero_exit_with_reported_failure_counts_once)
{
	feed(&self->p, "log",
	     "# chargerd-suite: f\n1..1\nnot ok 1 a\n# chargerd-suite-exit: f 1\n");
	EXPECT_EQ(1, self->p.total.fail);
}

TEST_F(tap, empty_suite_fails)
{
	feed(&self->p, "log", "# chargerd-suite: mute\n# chargerd-suite-exit: mute 0\n");
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_NE(NULL, strstr(report(self), "FAIL: mute: no TAP results"));
}

TEST_F(tap, whole_suite_skipped)
{
	feed(&self->p, "log",
	     "# chargerd-suite: opt\n1..0 # SKIP no arm64\n# chargerd-suite-exit: opt 4\n");
	EXPECT_EQ(0, self->p.total.fail);
	EXPECT_EQ(1, self->p.total.skip);
}

TEST_F(tap, bail_out_fails)
{
	feed(&self->p, "log",
	     "# chargerd-suite: b\n1..2\nok 1 a\nBail out! no device\n# chargerd-suite-exit: b 1\n");
	EXPECT_EQ(1, self->p.total.pass);
	/* bailing, then the plan not met */
	EXPECT_EQ(2, self->p.total.fail);
}

TEST_F(tap, nested_and_lookalike_lines_do_not_count)
{
	feed(&self->p, "log",
	     "# chargerd-suite: n\n1..1\n"
	     "    ok 1 nested subtest\n"
	     "# ok 2 commented\n"
	     "okay this is not a result\n"
	     "not okay either\n"
	     "ok 1 real\n"
	     "# chargerd-suite-exit: n 0\n");
	EXPECT_STREQ("1 passed, 0 failed\n", summary(&self->p));
}

TEST_F(tap, preamble_without_tap_is_ignored_but_stray_tap_counts)
{
	feed(&self->p, "vm.log",
	     "run: booting\nsome console noise\n"
	     "# chargerd-suite: s\n1..1\nok 1 a\n# chargerd-suite-exit: s 0\n");
	EXPECT_STREQ("1 passed, 0 failed\n", summary(&self->p));
	feed(&self->p, "plain.tap", "1..2\nok 1 a\n");
	EXPECT_EQ(2, self->p.total.pass);
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_NE(NULL, strstr(report(self), "FAIL: plain.tap: planned 2 tests, 1 reported"));
}

TEST_F(tap, nothing_at_all_is_not_success)
{
	feed(&self->p, "empty", "");
	EXPECT_STREQ("0 passed, 0 failed\n", summary(&self->p));
	EXPECT_EQ(1, tap_exit_status(&self->p));
}

TEST_F(tap, junk_does_not_crash)
{
	char junk[4096];
	unsigned int i;

	srand(1);
	for (i = 0; i < sizeof(junk) - 1; i++)
		junk[i] = (char)(1 + rand() % 255);
	junk[sizeof(junk) - 1] = '\0';
	tap_line(&self->p, "# chargerd-suite: ");
	tap_line(&self->p, junk);
	tap_line(&self->p, "# chargerd-suite-exit: x");
	tap_line(&self->p, "1..99999999999999999999999");
	tap_line(&self->p, "ok");
	tap_end_file(&self->p);
	/* The malformed exit marker is itself a failure. */
	EXPECT_LE(1, self->p.total.fail);
}

/*
 * tests/tap/tap-times (the VM runs' consoles go through it): every
 * line through unchanged and in order, one "# took N.N s" after each
 * top-level result and nowhere else, a last line without its newline kept,
 * and the verdict the same as without it. Run from the repository's top,
 * as tests/check runs the host tests.
 */
TEST_F(tap, tap_times_adds_comments_only)
{
	static const char in[] =
		"# chargerd-suite: t\n"
		"1..3\n"
		"#  RUN           t.a ...\n"
		"ok 1 t.a\n"
		"  ok 1 nested\n"
		"not ok 2 t.b\n"
		"# ok in a comment\n"
		"ok 3 t.c # SKIP no chip\n"
		"# chargerd-suite-exit: t 1";	/* no newline: a test killed mid-line */
	char path[] = "/tmp/tap_times_XXXXXX", cmd[128], line[256], *out = NULL;
	const char *want = in;
	size_t out_len = 0;
	unsigned int took = 0;
	bool after_result = false;
	FILE *f, *o;
	int fd;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(in), write(fd, in, strlen(in)));
	close(fd);
	snprintf(cmd, sizeof(cmd), "tests/tap/tap-times < %s", path);
	f = popen(cmd, "r");
	ASSERT_NE(NULL, f);
	o = open_memstream(&out, &out_len);
	ASSERT_NE(NULL, o);
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\n");

		/* the whole output, comments too, is what the verdict reads */
		fprintf(o, "%.*s\n", (int)n, line);
		if (!strncmp(line, "# took ", 7)) {
			double s;
			char c = 0;

			took++;
			EXPECT_EQ(2, sscanf(line, "# took %lf s%c", &s, &c)) TH_LOG("'%s'", line);
			EXPECT_EQ('\n', c);
			EXPECT_TRUE(after_result) TH_LOG("not after a result");
			after_result = false;
			continue;
		}
		after_result = !strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7);
		/* an input line, whole, and the next one in order */
		EXPECT_EQ(0, strncmp(want, line, n)) TH_LOG("'%.*s'", (int)n, line);
		EXPECT_TRUE(want[n] == '\n' || want[n] == '\0') TH_LOG("cut: '%.*s'", (int)n, line);
		want += strcspn(want, "\n");
		want += *want == '\n';
	}
	EXPECT_EQ(0, pclose(f));
	unlink(path);
	fclose(o);
	EXPECT_EQ('\0', *want) TH_LOG("not copied: '%s'", want);
	EXPECT_EQ(3, took);
	feed(&self->p, "log", out);
	EXPECT_EQ(1, self->p.total.pass);
	EXPECT_EQ(1, self->p.total.fail);
	EXPECT_EQ(1, self->p.total.skip);
	free(out);
}

/*
 * tap-times times each result when it comes, not when its input ends: a
 * result written half a second after the one before reads at least 0.4 s
 * (an awk that reads its input in blocks read 0.0 for every line but the
 * first). A lower bound only: the sleep between the two is the least the
 * gap can be, whatever the load.
 */
TEST_F(tap, tap_times_times_each_result_as_it_comes)
{
	FILE *f = popen("(echo 'ok 1 a'; sleep 0.5; echo 'ok 2 b') | tests/tap/tap-times", "r");
	char line[128];
	double took[2] = { -1, -1 };
	int n = 0;

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (n < 2 && sscanf(line, "# took %lf s", &took[n]) == 1)
			n++;
	EXPECT_EQ(0, pclose(f));
	ASSERT_EQ(2, n);
	EXPECT_LE(0.4, took[1]) TH_LOG("the second result read %.1f s", took[1]);
}

TEST_HARNESS_MAIN
