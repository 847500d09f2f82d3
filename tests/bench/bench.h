/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the bench's programs share: stopping with a message (a figure
 * that cannot be taken is not printed as one), a monotonic clock in ms,
 * a uevent's keys, and a median. The including file defines BENCH_NAME,
 * the prefix of its messages.
 */
#ifndef CHARGERD_BENCH_H
#define CHARGERD_BENCH_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Print "BENCH_NAME: message" on stderr and exit 1. */
static inline __attribute__((noreturn, format(printf, 1, 2)))
void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", BENCH_NAME);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* fail() with what unless ret is 0. */
static inline void must(int ret, const char *what)
{
	if (ret)
		fail("%s", what);
}

/* CLOCK_MONOTONIC in ms. */
static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * A kernel uevent as received from NETLINK_KOBJECT_UEVENT, n bytes of
 * NUL-separated strings (the "ACTION@DEVPATH" header, then KEY=VALUE
 * pairs) with a NUL after them, holds the string kv.
 */
static inline bool uevent_has(const char *buf, size_t n, const char *kv)
{
	const char *p;

	for (p = buf; p < buf + n; p += strlen(p) + 1)
		if (!strcmp(p, kv))
			return true;
	return false;
}

/* The median of n values (n > 0; sorts v in place). */
static inline double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

#endif
