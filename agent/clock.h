/* SPDX-License-Identifier: GPL-2.0 */
/* chargerd's two clocks. */
#ifndef CHARGERD_CLOCK_H
#define CHARGERD_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

/*
 * CLOCK_BOOTTIME in us: every duration and timer (it keeps counting in
 * suspend, and wall-clock steps do not move it).
 */
static inline uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * CLOCK_MONOTONIC in us: the time the system was awake (it stops in
 * suspend), for what only happens while awake (session.c's integration).
 */
static inline uint64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * systemd-timesyncd's flag: it creates the file (or touches it) after each
 * synchronisation, once the clock is stepped or slewed to the server's
 * time; systemd-time-wait-sync waits for it too.
 */
#define TIMESYNC_FLAG	"/run/systemd/timesync/synchronized"

/*
 * Whether the wall clock can be trusted. The flag alone says a
 * synchronisation happened in this boot, not that the clock has not been
 * set since: `date -s` or another program setting the clock later, or a
 * flag created before the clock was stepped, leaves it in place with the
 * clock years off. So chargerd watches for the clock being set (a timer
 * with TFD_TIMER_CANCEL_ON_SET, clock_watch.c) and, when the flag was
 * already there and not touched just then, keeps the flag's mtime: the
 * clock is not trusted until the flag is touched again (its mtime
 * changes), which timesyncd does at its next synchronisation.
 */
struct clock_trust {
	const char *flag;		/* TIMESYNC_FLAG; a test's own file */
	bool stale;			/* a step came after the flag's last touch */
	struct timespec stale_mtime;	/* the flag's mtime when the step was seen */
	bool seen;			/* the flag was there at the last look */
	struct timespec seen_mtime;	/* its mtime then */
};

/* chargerd's, and chargerctl's (which never sees a step) */
extern struct clock_trust wall_trust;

/*
 * What the kernel reports as the clock being set without a step: a resume
 * from suspend (timekeeping_resume() cancels the timers as a set would; the
 * sleep moves CLOCK_REALTIME and CLOCK_BOOTTIME alike) and a leap second
 * (1 s). CLOCK_REALTIME - CLOCK_BOOTTIME moves only when the clock is set:
 * slewing and frequency corrections run both clocks alike. A change of
 * less than this is not a step; a start is then out by less than 2 s.
 */
#define CLOCK_STEP_MIN_US	2000000

/* Whether step_us, the change in CLOCK_REALTIME - CLOCK_BOOTTIME, is a step. */
bool clock_step_counts(int64_t step_us);
/*
 * A step (us) in whole seconds, to the nearest: the two clocks are read
 * a few microseconds apart, so a day set forward measures 86399.99998 s
 * (helper-83: "+86399 s", rounded towards zero).
 */
long long clock_step_s(int64_t step_us);

/*
 * A flag touched at most this long before the step was seen (or up to 1 s
 * after it, the coarse file clock) was touched after the step: timesyncd
 * steps, then touches the flag at once, and chargerd may see the step
 * only after both. Only a flag touched since chargerd's last look is
 * judged so (clock_trust_look()): one it saw before the step predates it.
 * The window is the time chargerd may take to see the step; a flag
 * touched before a step and after the last look passes when the new
 * clock reads within the window of its mtime.
 */
#define CLOCK_STEP_SLACK_S	10

/*
 * The flag exists and has been touched since the last step seen (if any).
 * A flag that cannot be read is taken as absent.
 */
bool clock_trust_synced(const struct clock_trust *t);

/*
 * A look: the flag's mtime now, which a later step then knows predates it.
 * Returns clock_trust_synced() as of that one stat.
 */
bool clock_trust_look(struct clock_trust *t);

/*
 * The wall clock was set (stepped), as seen with CLOCK_REALTIME at now:
 * the flag's mtime is kept if it was touched before the step. Whether the
 * clock is trusted afterwards.
 */
bool clock_trust_step(struct clock_trust *t, const struct timespec *now);

/*
 * The state as the runtime directory keeps it across chargerd's restarts
 * (clock_watch.c): "SEC NSEC\n", the stale mtime, or "" when not stale.
 * clock_trust_parse() returns 0, or -EINVAL for anything else (the state
 * is then not stale: the flag alone decides, as before a step).
 */
void clock_trust_format(const struct clock_trust *t, char *line, size_t len);
int clock_trust_parse(struct clock_trust *t, const char *line);

/*
 * No wall time before this is a synchronised one: chargerd did not exist
 * before 2026-01-01 00:00:00 UTC (its first commit is of 2026-11-24), so
 * a clock that reads earlier with the flag in place is wrong (a server's
 * bogus answer, the flag touched with the clock at the epoch): helper-61
 * saw a "synchronised" step to 1970 re-date the sessions before it to
 * 1970. Time only goes forward from here, so the floor never needs
 * moving; systemd keeps a floor of its own the same way (its build
 * time, TIME_EPOCH), which a wrong server answer can still go below.
 */
#define WALL_CLOCK_FLOOR_S	1767225600LL

/* Whether a wall time of s (s since the epoch) read with the flag's SYNCED is trusted. */
static inline bool wall_time_trusted(int64_t s, bool synced)
{
	return synced && s >= WALL_CLOCK_FLOOR_S;
}

/* The wall clock is synchronised: clock_trust_synced(&wall_trust), read now at or after the floor. */
bool wall_clock_synced(void);

/*
 * The wall clock as a session's record takes it, read at one moment: the
 * flag first (timesyncd steps the clock, then creates the flag; read the
 * other way round, a time from before the step could pass for a
 * synchronised one), then CLOCK_REALTIME and CLOCK_BOOTTIME back to back.
 */
struct wall_time {
	int64_t s;		/* CLOCK_REALTIME, s since the epoch */
	int64_t boot_us;	/* CLOCK_REALTIME minus CLOCK_BOOTTIME, us */
	bool synced;		/* wall_clock_synced() */
};

static inline int64_t timespec_us(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000 + t->tv_nsec / 1000;
}

/*
 * CLOCK_BOOTTIME is read on both sides of CLOCK_REALTIME: a suspend (or a
 * preemption) between the reads would put the offset out by its length,
 * and a re-dated start is stored for good. Tried again while they are more
 * than 1 ms apart, at most 3 times (then the last reading).
 * wall_time_at() takes SYNCED as read just before (by the caller's look
 * at the flag); wall_time_now() reads the flag itself, first.
 */
static inline void wall_time_at(struct wall_time *w, bool synced)
{
	struct timespec r, b0, b1;
	int tries = 0;

	do {
		clock_gettime(CLOCK_BOOTTIME, &b0);
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_BOOTTIME, &b1);
	} while (timespec_us(&b1) - timespec_us(&b0) > 1000 && ++tries < 3);
	w->s = r.tv_sec;
	w->synced = wall_time_trusted(w->s, synced);
	w->boot_us = timespec_us(&r) - (timespec_us(&b0) + timespec_us(&b1)) / 2;
}

static inline void wall_time_now(struct wall_time *w)
{
	wall_time_at(w, wall_clock_synced());
}

#endif
