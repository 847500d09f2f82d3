// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the wall clock is trusted (agent/clock.c): timesyncd's flag,
 * less a step seen after its last touch. The flag is a file of the test's
 * own, its mtime set by hand; "now" is a CLOCK_REALTIME reading the test
 * gives, so no clock is set here. Before clock_trust, the flag's presence
 * alone was trusted: a clock set by hand after the sync, or a flag
 * created before the clock was stepped, passed as synchronised.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "../../agent/clock.h"

/* 2026-12-04 12:00:00 UTC, and three years before */
#define NOW_S		1796385600LL
#define YEARS3_S	(3LL * 365 * 86400)

FIXTURE(c) {
	char dir[64], flag[96];
	struct clock_trust t;
};

FIXTURE_SETUP(c)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/chargerd-clock-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->flag, sizeof(self->flag), "%s/synchronized", self->dir);
	memset(&self->t, 0, sizeof(self->t));
	self->t.flag = self->flag;
}

FIXTURE_TEARDOWN(c)
{
	unlink(self->flag);
	rmdir(self->dir);
}

/* Create (or touch) the flag with mtime s.ns. */
static void touch_at(const char *path, long long s, long ns)
{
	const struct timespec t[2] = { { s, ns }, { s, ns } };
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0) {
		futimens(fd, t);
		close(fd);
	}
}

/*
 * clock_trust_synced(), checked against what clock_trust_look() answers
 * from its own stat (on a copy: a look changes what a step then judges):
 * 1 or 0, or -1 when they disagree.
 */
static int synced(const struct clock_trust *t)
{
	struct clock_trust copy = *t;
	bool by_stat = clock_trust_synced(t);

	return clock_trust_look(&copy) == by_stat ? by_stat : -1;
}

static struct timespec at(long long s)
{
	return (struct timespec){ .tv_sec = s, .tv_nsec = 500000000 };
}

TEST_F(c, the_flag_alone_until_a_step)
{
	EXPECT_EQ(0, synced(&self->t));
	touch_at(self->flag, NOW_S - 3600, 0);
	EXPECT_EQ(1, synced(&self->t));
}

/* `date -s` three years back after the sync: the flag stays, the clock is off */
TEST_F(c, a_step_back_after_the_sync_is_not_trusted)
{
	struct timespec now = at(NOW_S - YEARS3_S);

	touch_at(self->flag, NOW_S - 600, 0);
	EXPECT_FALSE(clock_trust_step(&self->t, &now));
	EXPECT_EQ(0, synced(&self->t));
	/* timesyncd's next synchronisation touches it: trusted again */
	touch_at(self->flag, NOW_S + 32, 0);
	EXPECT_EQ(1, synced(&self->t));
}

/* the flag created early, while the clock was three years behind, then stepped */
TEST_F(c, a_flag_from_before_a_step_forward_is_not_trusted)
{
	struct timespec now = at(NOW_S);

	touch_at(self->flag, NOW_S - YEARS3_S, 0);
	EXPECT_EQ(1, synced(&self->t));	/* nothing could say, then */
	EXPECT_FALSE(clock_trust_step(&self->t, &now));
	EXPECT_EQ(0, synced(&self->t));
	/* removed and created again is a touch too */
	unlink(self->flag);
	EXPECT_EQ(0, synced(&self->t));
	touch_at(self->flag, NOW_S + 1, 0);
	EXPECT_EQ(1, synced(&self->t));
}

/* timesyncd's order: step, then touch; chargerd sees the step after both */
TEST_F(c, the_flag_touched_just_after_the_step_is_trusted)
{
	struct timespec now = at(NOW_S);

	touch_at(self->flag, NOW_S - CLOCK_STEP_SLACK_S, 0);
	EXPECT_TRUE(clock_trust_step(&self->t, &now));
	EXPECT_EQ(1, synced(&self->t));
	/* a coarse file clock may put it a little after the reading */
	touch_at(self->flag, NOW_S + 1, 999999999);
	EXPECT_TRUE(clock_trust_step(&self->t, &now));
	/* one second more before: from before the step */
	touch_at(self->flag, NOW_S - CLOCK_STEP_SLACK_S - 1, 999999999);
	EXPECT_FALSE(clock_trust_step(&self->t, &now));
	touch_at(self->flag, NOW_S + 2, 0);
	EXPECT_FALSE(clock_trust_step(&self->t, &now));
}

/* chargerd saw the step first; the flag comes after, or is touched after */
TEST_F(c, a_step_before_the_flag_appears)
{
	struct timespec now = at(NOW_S);

	EXPECT_FALSE(clock_trust_step(&self->t, &now));
	EXPECT_FALSE(self->t.stale);
	touch_at(self->flag, NOW_S, 0);
	EXPECT_EQ(1, synced(&self->t));
}

/* only the mtime kept at the step counts, to the nanosecond */
TEST_F(c, a_touch_in_the_same_second_counts)
{
	struct timespec now = at(NOW_S);

	touch_at(self->flag, NOW_S - 600, 100);
	EXPECT_FALSE(clock_trust_step(&self->t, &now));
	touch_at(self->flag, NOW_S - 600, 101);
	EXPECT_EQ(1, synced(&self->t));
}

/* a second step, trusted, clears the first's state */
TEST_F(c, each_step_decides_afresh)
{
	struct timespec now = at(NOW_S - YEARS3_S);

	touch_at(self->flag, NOW_S - 600, 0);
	EXPECT_FALSE(clock_trust_step(&self->t, &now));
	now = at(NOW_S);
	touch_at(self->flag, NOW_S, 0);
	EXPECT_TRUE(clock_trust_step(&self->t, &now));
	EXPECT_FALSE(self->t.stale);
}

/*
 * A resume from suspend and a leap second cancel the timer too (the
 * kernel's timekeeping_resume() calls it a clock change): neither moves
 * CLOCK_REALTIME - CLOCK_BOOTTIME by a step's worth. Before, every resume
 * made the flag stale, and an offline device dated nothing more that boot.
 */
/* A day set forward, read a few microseconds apart, is a day (helper-83: 86399 s). */
TEST(a_step_is_said_to_the_nearest_second)
{
	EXPECT_EQ(86400, clock_step_s(86400LL * 1000000 - 17));
	EXPECT_EQ(-86400, clock_step_s(-86400LL * 1000000 + 17));
	EXPECT_EQ(2, clock_step_s(2000000));
	EXPECT_EQ(3, clock_step_s(2500000));
	EXPECT_EQ(-3, clock_step_s(-2500000));
	EXPECT_EQ(2, clock_step_s(2499999));
}

TEST(a_resume_or_a_leap_second_is_not_a_step)
{
	EXPECT_FALSE(clock_step_counts(0));
	EXPECT_FALSE(clock_step_counts(1500));		/* the reads' own spread */
	EXPECT_FALSE(clock_step_counts(1000000));	/* a leap second */
	EXPECT_FALSE(clock_step_counts(-1000000));
	EXPECT_FALSE(clock_step_counts(CLOCK_STEP_MIN_US - 1));
	EXPECT_FALSE(clock_step_counts(-(CLOCK_STEP_MIN_US - 1)));
	EXPECT_TRUE(clock_step_counts(CLOCK_STEP_MIN_US));
	EXPECT_TRUE(clock_step_counts(-CLOCK_STEP_MIN_US));
	EXPECT_TRUE(clock_step_counts(-YEARS3_S * 1000000));
	EXPECT_TRUE(clock_step_counts(INT64_MIN));
	EXPECT_TRUE(clock_step_counts(INT64_MAX));
}

/*
 * A wall time before chargerd existed is never synchronised, whatever the
 * flag says (helper-61: a "synchronised" step to 1970 re-dated the
 * sessions before it to 1970).
 */
TEST(a_time_before_chargerd_existed_is_never_synchronised)
{
	EXPECT_FALSE(wall_time_trusted(0, true));
	EXPECT_FALSE(wall_time_trusted(-86400, true));
	EXPECT_FALSE(wall_time_trusted(WALL_CLOCK_FLOOR_S - 1, true));
	EXPECT_TRUE(wall_time_trusted(WALL_CLOCK_FLOOR_S, true));
	EXPECT_TRUE(wall_time_trusted(NOW_S, true));
	EXPECT_FALSE(wall_time_trusted(NOW_S, false));
}

/*
 * A step back that lands the clock on the flag's last touch: the window
 * alone would take the flag as touched just after the step. chargerd saw
 * that mtime at its last look, before the step: it predates it. (timesyncd
 * restoring its saved time, the mtime of the file it touches with the
 * flag, after the clock was set forward by hand.)
 */
TEST_F(c, a_flag_seen_before_the_step_predates_it_whatever_the_window)
{
	struct timespec now = at(NOW_S - 14400 + 3);

	touch_at(self->flag, NOW_S - 14400, 0);
	clock_trust_look(&self->t);
	EXPECT_TRUE(self->t.seen);
	EXPECT_FALSE(clock_trust_step(&self->t, &now));
	EXPECT_EQ(0, synced(&self->t));
	/* touched after the last look: the window decides */
	touch_at(self->flag, NOW_S - 14400 + 2, 0);
	EXPECT_TRUE(clock_trust_step(&self->t, &now));
	/* and a look without the flag forgets it */
	unlink(self->flag);
	clock_trust_look(&self->t);
	EXPECT_FALSE(self->t.seen);
	touch_at(self->flag, NOW_S - 14400, 0);
	EXPECT_TRUE(clock_trust_step(&self->t, &now));
}

/* what a restart of chargerd reads back */
TEST_F(c, the_state_round_trips)
{
	struct timespec now = at(NOW_S);
	struct clock_trust back = { .flag = self->flag };
	char line[64];

	clock_trust_format(&self->t, line, sizeof(line));
	EXPECT_STREQ("", line);
	touch_at(self->flag, NOW_S - YEARS3_S, 123456789);
	EXPECT_FALSE(clock_trust_step(&self->t, &now));
	clock_trust_format(&self->t, line, sizeof(line));
	EXPECT_STREQ("1701777600 123456789\n", line);
	ASSERT_EQ(0, clock_trust_parse(&back, line));
	EXPECT_TRUE(back.stale);
	EXPECT_FALSE(clock_trust_synced(&back));
	/* before 1970: a clock that counts from the epoch, set back */
	ASSERT_EQ(0, clock_trust_parse(&back, "-5 0"));
	EXPECT_EQ(-5, back.stale_mtime.tv_sec);
}

TEST_F(c, a_malformed_state_is_refused_and_not_stale)
{
	static const char *const bad[] = {
		"", "\n", "x", "1", "1 ", "1 2 3", "1 2\n\n", "1 2x", "1 -1",
		"1 1000000000", "99999999999999999999 0", "1.5 2",
		" 1 2", "1  2", "+1 2", "1 +2", "- 1 2", "1 2 ",
	};
	unsigned int i;

	touch_at(self->flag, NOW_S, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct clock_trust t = { .flag = self->flag, .stale = true };

		EXPECT_EQ(-EINVAL, clock_trust_parse(&t, bad[i])) TH_LOG("\"%s\"", bad[i]);
		EXPECT_FALSE(t.stale);
		EXPECT_TRUE(clock_trust_synced(&t));
	}
}

TEST_HARNESS_MAIN
