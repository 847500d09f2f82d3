/* SPDX-License-Identifier: GPL-2.0 */
/* chargerd's two clocks. */
#ifndef CHARGERD_CLOCK_H
#define CHARGERD_CLOCK_H

#include <stdbool.h>
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
 * The wall clock is synchronised: systemd-timesyncd's flag file, which
 * systemd-time-wait-sync also waits for. Until then a record's start time
 * is a label that may be years off (a device without an RTC counts from
 * 1970 or its image's date): each record says so (history.h's enum
 * start_clock), and chargerctl's history, report page and plots show no
 * date from it.
 */
static inline bool wall_clock_synced(void)
{
	return !access("/run/systemd/timesync/synchronized", F_OK);
}

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
 */
static inline void wall_time_now(struct wall_time *w)
{
	struct timespec r, b0, b1;
	int tries = 0;

	w->synced = wall_clock_synced();
	do {
		clock_gettime(CLOCK_BOOTTIME, &b0);
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_BOOTTIME, &b1);
	} while (timespec_us(&b1) - timespec_us(&b0) > 1000 && ++tries < 3);
	w->s = r.tv_sec;
	w->boot_us = timespec_us(&r) - (timespec_us(&b0) + timespec_us(&b1)) / 2;
}

#endif
