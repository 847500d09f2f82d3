/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Journal rate limiting, per kind of event (a key such as "fault:hot").
 * In each interval the first burst records of a key go out; the rest are
 * counted, never dropped silently: when the interval ends, one summary
 * record carries how many were held back and the last of them. Pure: the
 * caller passes the time and emits the summaries.
 */
#ifndef CHARGERD_RATELIMIT_H
#define CHARGERD_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RATELIMIT_KEYS		32
#define RATELIMIT_KEY_MAX	48
/*
 * A journal record's MESSAGE, whole: the longest is a diagnosis's, its
 * summary (under 200) and its evidence (DIAG_TEXT_MAX, 224) with room.
 */
#define RATELIMIT_MSG_MAX	512

struct ratelimit_key {
	char key[RATELIMIT_KEY_MAX];	/* "" = free */
	uint64_t window_start;
	unsigned int count;		/* let through in this window */
	unsigned int held;		/* held back in this window */
	char last[RATELIMIT_MSG_MAX];	/* the last message held back */
};

struct ratelimit {
	uint64_t interval_usec;		/* 0 = no limit */
	unsigned int burst;
	struct ratelimit_key keys[RATELIMIT_KEYS];
};

/*
 * One summary: held records of key held back in span_usec (from the
 * window's start, its first record, the one let through, to the window's
 * end or to the flush that cut it short), the last of them with the text
 * last.
 */
typedef void (*ratelimit_summary_fn)(const char *key, unsigned int held, uint64_t span_usec,
				     const char *last, void *data);

void ratelimit_init(struct ratelimit *rl, uint64_t interval_usec, unsigned int burst);

/*
 * May a record of key (with text message) go out at now? First emits, via
 * fn, the summary of any window that has ended. When every key slot holds
 * back records, an unknown key is let through: never a silent drop.
 */
bool ratelimit_allow(struct ratelimit *rl, const char *key, const char *message,
		     uint64_t now, ratelimit_summary_fn fn, void *data);

/*
 * Emit the summaries of windows ended by now. Returns when the next one is
 * due (the earliest window end with records held back), or 0 if none.
 */
uint64_t ratelimit_flush(struct ratelimit *rl, uint64_t now, ratelimit_summary_fn fn, void *data);

/*
 * Emit every summary still due at now, its window ended or not (a reload
 * that replaces the limiter, an exit), each cut short at now; a key's
 * next window then starts at now.
 */
void ratelimit_flush_all(struct ratelimit *rl, uint64_t now, ratelimit_summary_fn fn, void *data);

#endif
