/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer harnesses: take typed values off the fuzzer's
 * bytes (zeros once they run out), and fail loudly on a broken invariant.
 */
#ifndef CHARGERD_FUZZ_H
#define CHARGERD_FUZZ_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bytes {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t take(struct bytes *b, size_t size)
{
	uint64_t v = 0;

	if (size > b->n)
		size = b->n;
	memcpy(&v, b->p, size);
	b->p += size;
	b->n -= size;
	return v;
}

/* A number in [lo, hi]. */
static inline long long take_range(struct bytes *b, long long lo, long long hi)
{
	return lo + (long long)(take(b, 4) % (uint64_t)(hi - lo + 1));
}

/* A sysfs-like number: often ordinary, sometimes absent or extreme. */
static inline long long take_number(struct bytes *b)
{
	switch (take(b, 1) % 8) {
	case 0:
		return LLONG_MIN;	/* PSY_NONE: not reported */
	case 1:
		return LLONG_MAX;
	case 2:
		return -(long long)take(b, 4);
	case 3:
		return (long long)take(b, 8);
	default:
		return (long long)(take(b, 4) % 10000000);
	}
}

/* A NUL-terminated string of up to len - 1 of the fuzzer's bytes. */
static inline void take_string(struct bytes *b, char *s, size_t len)
{
	size_t n = take(b, 1) % len;

	if (n > b->n)
		n = b->n;
	memcpy(s, b->p, n);
	s[n] = '\0';
	b->p += n;
	b->n -= n;
}

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

#endif
