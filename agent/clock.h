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
 * 1970 or its image's date): the journal says so
 * (CHARGER_WALL_CLOCK_SYNCED), and chargerctl's history, report page and
 * plots show no date from it.
 */
static inline bool wall_clock_synced(void)
{
	return !access("/run/systemd/timesync/synchronized", F_OK);
}

/* The wall clock, s since the epoch: only to stamp records for people. */
static inline int64_t realtime_s(void)
{
	return time(NULL);
}

#endif
