// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the wall clock can be trusted (clock.h's struct clock_trust):
 * timesyncd's flag, less a step of the clock seen since its last touch.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"

struct clock_trust wall_trust = { .flag = TIMESYNC_FLAG };

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

bool clock_trust_synced(const struct clock_trust *t)
{
	struct stat st;

	if (stat(t->flag, &st))
		return false;
	return !t->stale || !same_time(&st.st_mtim, &t->stale_mtime);
}

bool clock_step_counts(int64_t step_us)
{
	return step_us >= CLOCK_STEP_MIN_US || step_us <= -CLOCK_STEP_MIN_US;
}

long long clock_step_s(int64_t step_us)
{
	return (step_us + (step_us < 0 ? -500000 : 500000)) / 1000000;
}

bool clock_trust_look(struct clock_trust *t)
{
	struct stat st;

	t->seen = !stat(t->flag, &st);
	if (!t->seen)
		return false;
	t->seen_mtime = st.st_mtim;
	return !t->stale || !same_time(&st.st_mtim, &t->stale_mtime);
}

bool clock_trust_step(struct clock_trust *t, const struct timespec *now)
{
	bool before_step;
	struct stat st;

	t->stale = false;
	if (stat(t->flag, &st)) {
		t->seen = false;
		return false;	/* absent: untrusted until it appears */
	}
	/* as it was at the last look, or out of the window: from before the step */
	before_step = (t->seen && same_time(&st.st_mtim, &t->seen_mtime)) ||
		      st.st_mtim.tv_sec < now->tv_sec - CLOCK_STEP_SLACK_S ||
		      st.st_mtim.tv_sec > now->tv_sec + 1;
	t->seen = true;
	t->seen_mtime = st.st_mtim;
	if (!before_step)
		return true;	/* touched after the step: the synchronised clock */
	t->stale = true;
	t->stale_mtime = st.st_mtim;
	return false;
}

void clock_trust_format(const struct clock_trust *t, char *line, size_t len)
{
	if (t->stale)
		snprintf(line, len, "%" PRId64 " %ld\n", (int64_t)t->stale_mtime.tv_sec,
			 t->stale_mtime.tv_nsec);
	else if (len)
		line[0] = '\0';
}

/* strtoll() would skip spaces and take a '+': the state's form has neither */
static bool number_at(const char *p)
{
	return isdigit((unsigned char)p[*p == '-']);
}

int clock_trust_parse(struct clock_trust *t, const char *line)
{
	long long sec;
	long nsec;
	char *end;

	t->stale = false;
	errno = 0;
	if (!number_at(line))
		return -EINVAL;
	sec = strtoll(line, &end, 10);
	if ( *end != ' ' || errno || sec != (time_t)sec)
		return -EINVAL;
	line = end + 1;
	if (!isdigit((unsigned char)*line))
		return -EINVAL;
	nsec = strtol(line, &end, 10);
	if (errno || nsec < 0 || nsec >= 1000000000 ||
	    (*end && strcmp(end, "\n")))
		return -EINVAL;
	t->stale = true;
	t->stale_mtime.tv_sec = sec;
	t->stale_mtime.tv_nsec = nsec;
	return 0;
}

bool wall_clock_synced(void)
{
	return wall_time_trusted(time(NULL), clock_trust_synced(&wall_trust));
}
