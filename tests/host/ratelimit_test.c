// SPDX-License-Identifier: GPL-2.0
/*
 * The journal rate limiter: bursts go out, the rest are counted and
 * summarised when the window ends, never dropped silently.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/ratelimit.h"

#define S	1000000ULL

struct summaries {
	unsigned int n, total;
	const char *span_of;	/* NULL: any key */
	uint64_t span;		/* the last summary's of span_of, us */
	char key[64], last[RATELIMIT_MSG_MAX];
};

static void collect(const char *key, unsigned int held, uint64_t span_usec, const char *last,
		    void *data)
{
	struct summaries *s = data;

	s->n++;
	s->total += held;
	if (!s->span_of || !strcmp(key, s->span_of))
		s->span = span_usec;
	snprintf(s->key, sizeof(s->key), "%s", key);
	snprintf(s->last, sizeof(s->last), "%s", last);
}

TEST(burst_then_held_then_summary)
{
	struct ratelimit rl;
	struct summaries s = { 0 };
	unsigned int allowed = 0, i;
	char msg[32];

	ratelimit_init(&rl, 60 * S, 5);
	for (i = 0; i < 100; i++) {
		snprintf(msg, sizeof(msg), "unplug %u", i);
		allowed += ratelimit_allow(&rl, "unplug", msg, 1000 * S + i * S / 10, collect, &s);
	}
	EXPECT_EQ(5, allowed);
	EXPECT_EQ(0, s.n);
	/* the summary is due at the window's end, and not before */
	EXPECT_EQ(1060 * S, ratelimit_flush(&rl, 1059 * S, collect, &s));
	EXPECT_EQ(0, s.n);
	EXPECT_EQ(0, ratelimit_flush(&rl, 1060 * S, collect, &s));
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(95, s.total);
	EXPECT_STREQ("unplug", s.key);
	EXPECT_STREQ("unplug 99", s.last);
	EXPECT_EQ(60 * S, s.span);	/* the whole window */
	/* every event is accounted for: let through + summarised */
	EXPECT_EQ(100, allowed + s.total);
	/* a new window lets a burst through again */
	EXPECT_TRUE(ratelimit_allow(&rl, "unplug", "x", 1061 * S, collect, &s));
}

TEST(keys_are_independent)
{
	struct ratelimit rl;
	struct summaries s = { 0 };
	unsigned int i;

	ratelimit_init(&rl, 10 * S, 2);
	for (i = 0; i < 2; i++)
		EXPECT_TRUE(ratelimit_allow(&rl, "fault:hot", "", S, collect, &s));
	EXPECT_FALSE(ratelimit_allow(&rl, "fault:hot", "", S, collect, &s));
	EXPECT_TRUE(ratelimit_allow(&rl, "fault:cold", "", S, collect, &s));
	EXPECT_TRUE(ratelimit_allow(&rl, "plug", "", S, collect, &s));
}

TEST(a_late_record_flushes_the_old_window_first)
{
	struct ratelimit rl;
	struct summaries s = { 0 };
	unsigned int i;

	ratelimit_init(&rl, 10 * S, 1);
	for (i = 0; i < 4; i++)
		ratelimit_allow(&rl, "k", "m", S, collect, &s);
	EXPECT_TRUE(ratelimit_allow(&rl, "k", "m", 20 * S, collect, &s));
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(3, s.total);
}

TEST(zero_interval_means_no_limit)
{
	struct ratelimit rl;
	struct summaries s = { 0 };
	unsigned int i, allowed = 0;

	ratelimit_init(&rl, 0, 1);
	for (i = 0; i < 50; i++)
		allowed += ratelimit_allow(&rl, "k", "m", S, collect, &s);
	EXPECT_EQ(50, allowed);
}

TEST(full_table_never_drops_silently)
{
	struct ratelimit rl;
	struct summaries s = { 0 };
	unsigned int i, allowed = 0, held = 0;
	char key[16];

	ratelimit_init(&rl, 10 * S, 1);
	/* fill every slot with a key that holds records back */
	for (i = 0; i < RATELIMIT_KEYS; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		EXPECT_TRUE(ratelimit_allow(&rl, key, "", S, collect, &s));
		EXPECT_FALSE(ratelimit_allow(&rl, key, "", S, collect, &s));
		held++;
	}
	/* no slot free: a new key goes out rather than vanish */
	for (i = 0; i < 10; i++)
		allowed += ratelimit_allow(&rl, "another", "", S, collect, &s);
	EXPECT_EQ(10, allowed);
	ratelimit_flush(&rl, 11 * S, collect, &s);
	EXPECT_EQ(RATELIMIT_KEYS, s.n);
	EXPECT_EQ(held, s.total);
	/* quiet slots are reused (the idle-longest first) */
	EXPECT_TRUE(ratelimit_allow(&rl, "new", "", 12 * S, collect, &s));
	EXPECT_FALSE(ratelimit_allow(&rl, "new", "", 12 * S, collect, &s));
}

/*
 * chargerd's reload and exit: every window's held records summarised at
 * once, ended or not, each once, over the time its window really ran.
 */
TEST(a_flush_of_all_summarises_open_windows_to_now)
{
	struct ratelimit rl;
	struct summaries s = { .span_of = "fault" };
	unsigned int i;

	ratelimit_init(&rl, 600 * S, 1);
	for (i = 0; i < 4; i++)
		ratelimit_allow(&rl, "plug", "plugged in", 10 * S + i * S, collect, &s);
	ratelimit_allow(&rl, "fault", "bat-ovp", 12 * S, collect, &s);
	ratelimit_allow(&rl, "fault", "bat-ovp", 13 * S, collect, &s);
	/* the windows run until 610 s: nothing is due at 20 s */
	EXPECT_EQ(610 * S, ratelimit_flush(&rl, 20 * S, collect, &s));
	EXPECT_EQ(0, s.n);
	ratelimit_flush_all(&rl, 25 * S, collect, &s);
	EXPECT_EQ(2, s.n);
	EXPECT_EQ(4, s.total);	/* 3 plugs and 1 fault held */
	EXPECT_EQ(13 * S, s.span);	/* the fault's window, 12 s to 25 s: not 600 s */
	ratelimit_flush_all(&rl, 30 * S, collect, &s);
	EXPECT_EQ(0, ratelimit_flush(&rl, UINT64_MAX, collect, &s));
	EXPECT_EQ(2, s.n);
}

/*
 * After a window cut short, the key's next one starts there: a record
 * then is let through, and a summary after it spans from the cut, not
 * again from the first window's start.
 */
TEST(a_cut_window_is_not_counted_twice)
{
	struct ratelimit rl;
	struct summaries s = { 0 };

	ratelimit_init(&rl, 600 * S, 1);
	EXPECT_TRUE(ratelimit_allow(&rl, "plug", "", 10 * S, collect, &s));
	EXPECT_FALSE(ratelimit_allow(&rl, "plug", "", 11 * S, collect, &s));
	ratelimit_flush_all(&rl, 20 * S, collect, &s);
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(10 * S, s.span);
	EXPECT_TRUE(ratelimit_allow(&rl, "plug", "", 30 * S, collect, &s));
	EXPECT_FALSE(ratelimit_allow(&rl, "plug", "", 31 * S, collect, &s));
	/* the new window ends 600 s after the cut */
	EXPECT_EQ(620 * S, ratelimit_flush(&rl, 40 * S, collect, &s));
	ratelimit_flush_all(&rl, 50 * S, collect, &s);
	EXPECT_EQ(2, s.n);
	EXPECT_EQ(30 * S, s.span);
	EXPECT_EQ(2, s.total);
}

/* A flush stamped before its window began (defensive): a span of 0, not 2^64 - 1. */
TEST(a_flush_before_the_window_spans_nothing)
{
	struct ratelimit rl;
	struct summaries s = { .span = UINT64_MAX };

	ratelimit_init(&rl, 600 * S, 1);
	ratelimit_allow(&rl, "plug", "", 100 * S, collect, &s);
	ratelimit_allow(&rl, "plug", "", 100 * S, collect, &s);
	ratelimit_flush_all(&rl, 50 * S, collect, &s);
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(0, s.span);
}

TEST_HARNESS_MAIN
