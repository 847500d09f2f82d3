// SPDX-License-Identifier: GPL-2.0
/*
 * The wall clock being set. A CLOCK_REALTIME timer that never expires,
 * armed with TFD_TIMER_CANCEL_ON_SET, is cancelled by the kernel whenever
 * the clock is set discontinuously (clock_settime(), settimeofday(),
 * adjtimex()'s ADJ_SETOFFSET: `date -s`, timesyncd's step; not a slew), and
 * a read then fails with ECANCELED (timerfd_create(2)). It wakes chargerd
 * only then: no periodic cost.
 *
 * The kernel also cancels it at each resume from suspend and at a leap
 * second; only a change of CLOCK_REALTIME - CLOCK_BOOTTIME of at least
 * CLOCK_STEP_MIN_US is a step (clock.h).
 *
 * At a step, clock.h's clock_trust decides whether timesyncd's flag still
 * vouches for the clock; the state is kept in the runtime directory so
 * that a restart of chargerd does not trust a flag that a step made
 * stale. A step while chargerd is not running is not seen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include "chargerd.h"

#define CLOCK_STEP_FILE	"clock-step"
/*
 * The step's journal record waits this long: timesyncd steps, then
 * touches its flag, and chargerd may see the step between the two; the
 * record then says what the clock is trusted as once both are done.
 */
#define CLOCK_LOG_DELAY_USEC	(2ULL * 1000000)

/*
 * Never expires: time_t's greatest value, clamped by the kernel to
 * ktime's; a kernel that cannot take a 64-bit time from a 32-bit process
 * (EOVERFLOW) gets INT32_MAX. -ECANCELED means armed, a step already seen
 * (timerfd_create(2)): the next read says so.
 */
static int clock_watch_arm(int fd)
{
	struct itimerspec never = {
		.it_value.tv_sec = sizeof(time_t) == 8 ? (time_t)INT64_MAX : (time_t)INT32_MAX,
	};
	int r;

	r = timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &never, NULL);
	if (r < 0 && errno == EOVERFLOW) {
		never.it_value.tv_sec = INT32_MAX;
		r = timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &never, NULL);
	}
	return r < 0 && errno != ECANCELED ? -errno : 0;
}

static void clock_trust_save(struct daemon *d)
{
	char line[64];
	int r;

	clock_trust_format(&wall_trust, line, sizeof(line));
	r = runtime_put(d->rundirfd, CLOCK_STEP_FILE, line);
	/* without a runtime directory a restart trusts the flag again */
	if (r < 0)
		agent_error("saving the wall clock's state", -r);
}

static int on_clock_log(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	struct wall_time w;

	wall_time_now(&w);
	log_clock_set(d, d->clock_step_us, w.synced, d->clock_step_undated, d->clock_step_ended);
	/* a synchronisation: the sessions that ended before it, dated (again) */
	undated_redate(d, &w);
	d->clock_step_us = 0;
	d->clock_step_undated = false;
	d->clock_step_ended = 0;
	d->clock_log = sd_event_source_disable_unref(d->clock_log);
	return 0;
}

void clock_watch_flush(struct daemon *d)
{
	if (d->clock_log)
		on_clock_log(d->clock_log, 0, d);
}

/* The clock was set, or the kernel says so: a step if the offset moved enough. */
static void clock_set(struct daemon *d)
{
	struct wall_time w;
	struct timespec now;
	int64_t step_us;
	int r;

	clock_gettime(CLOCK_REALTIME, &now);
	wall_time_now(&w);
	step_us = w.boot_us - d->wall_offset_us;
	/* each change from the last: small ones do not add up to a step */
	d->wall_offset_us = w.boot_us;
	if (!clock_step_counts(step_us))
		return;		/* a resume, a leap second: no step */
	clock_trust_step(&wall_trust, &now);
	clock_trust_save(d);
	if (session_clock_stepped(&d->sess)) {
		d->clock_step_undated = true;
		checkpoint(d, true);	/* re-dated if trusted, else unsynced */
	}
	/*
	 * The finished ones the clock before dated: one of the two clocks was
	 * wrong, synchronised or not (helper-64: a "synchronised" clock in
	 * 2030 dated them for good). No date until a synchronisation dates
	 * them again, with the session in progress.
	 */
	d->clock_step_ended += undated_step(d);
	/* one record for the steps of the next 2 s, their sum */
	d->clock_step_us += step_us;
	if (d->clock_log)
		return;
	r = sd_event_add_time_relative(d->ev, &d->clock_log, CLOCK_BOOTTIME, CLOCK_LOG_DELAY_USEC, 0,
				       on_clock_log, d);
	if (r < 0)	/* the record now, then: it may say "not synchronised" early */
		on_clock_log(NULL, 0, d);
}

/* 1: the clock was set since the last read, 0: not, -errno */
static int clock_watch_read(int fd)
{
	uint64_t expirations;

	if (read(fd, &expirations, sizeof(expirations)) >= 0)
		return 0;	/* expired: with a 32-bit time_t, in 2038; not re-armed */
	return errno == ECANCELED ? 1 : errno == EAGAIN ? 0 : -errno;
}

static int on_clock_set(sd_event_source *src, int fd, uint32_t revents, void *data)
{
	/* the read resets it: it stays armed for the next (timerfd_create(2)) */
	if (clock_watch_read(fd) > 0)
		clock_set(data);
	return 0;
}

bool clock_watch_look(struct daemon *d)
{
	/* a step not yet dispatched is handled first: the look's mtime is after it */
	if (d->clock_watch && clock_watch_read(sd_event_source_get_io_fd(d->clock_watch)) > 0)
		clock_set(d);
	return clock_trust_look(&wall_trust);
}

int clock_watch_start(struct daemon *d)
{
	struct wall_time w;
	char line[64];
	int fd, r;

	r = timerfd_source_new(d, CLOCK_REALTIME, &d->clock_watch, on_clock_set, "clock-watch");
	if (r < 0)
		return r;
	fd = sd_event_source_get_io_fd(d->clock_watch);
	r = clock_watch_arm(fd);
	if (r < 0) {
		d->clock_watch = sd_event_source_disable_unref(d->clock_watch);
		return r;
	}
	/* armed before the state is read: no step falls between */
	if (!runtime_read(d->rundirfd, CLOCK_STEP_FILE, line, sizeof(line)) &&
	    clock_trust_parse(&wall_trust, line) < 0)
		agent_error("reading the wall clock's state (ignored)", EINVAL);
	clock_trust_look(&wall_trust);
	wall_time_now(&w);
	d->wall_offset_us = w.boot_us;
	return 0;
}
