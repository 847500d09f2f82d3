/* SPDX-License-Identifier: GPL-2.0 */
/* chargerd's two clocks. */
#ifndef CHARGERD_CLOCK_H
#define CHARGERD_CLOCK_H

#include <stdint.h>
#include <time.h>

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

/* The wall clock, s since the epoch: only to stamp records for people. */
static inline int64_t realtime_s(void)
{
	return time(NULL);
}

#endif
