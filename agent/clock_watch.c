// SPDX-License-Identifier: GPL-2.0
/*
 * The wall clock being set. A CLOCK_REALTIME timer that never expires,
 * armed with TFD_TIMER_CANCEL_ON_SET, is cancelled by the kernel whenever
 * the clock is set discontinuously (clock_settime(), settimeofday(),
 * adjtimex()'s ADJ_SETOFFSET: `date -s`, timesyncd's step; not a slew), and
 * a read then fails with ECANCELED (timerfd_create(2)). It wakes chargerd
 * only then: no periodic cost.
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

/* Never expires: time_t's greatest value (the kernel clamps it to ktime's). */
static int clock_watch_arm(int fd)
{
	const struct itimerspec never = {
		.it_value.tv_sec = sizeof(time_t) == 8 ? (time_t)INT64_MAX : (time_t)INT32_MAX,
	};

	return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &never, NULL) ?
	       -errno : 0;
}

static void clock_trust_save(struct daemon *d)
{
	char line[64];
	int r;

	clock_trust_format(&wall_trust, line, sizeof(line));
	if (line[0])
		r = runtime_write(d->rundirfd, CLOCK_STEP_FILE, line);
	else
		r = d->rundirfd < 0 || !unlinkat(d->rundirfd, CLOCK_STEP_FILE, 0) ? 0 : -errno;
	/* without a runtime directory a restart trusts the flag again */
	if (r < 0 && r != -ENOENT)
		agent_error("saving the wall clock's state", -r);
}

static int on_clock_set(sd_event_source *src, int fd, uint32_t revents, void *data)
{
	struct daemon *d = data;
	struct wall_time w;
	struct timespec now;
	uint64_t expirations;
	int64_t step_us;
	bool trusted, stepped;
	ssize_t n;
	int r;

	n = read(fd, &expirations, sizeof(expirations));
	if (n < 0 && errno != ECANCELED)
		return 0;	/* EAGAIN: nothing */
	/* armed again first: a second step while this one is handled is seen */
	r = clock_watch_arm(fd);
	if (r < 0) {
		agent_error("watching the wall clock", -r);
		sd_event_source_set_enabled(src, SD_EVENT_OFF);
	}
	if (n >= 0)
		return 0;	/* expired: with a 32-bit time_t, in 2038 */
	clock_gettime(CLOCK_REALTIME, &now);
	wall_time_now(&w);
	step_us = w.boot_us - d->wall_offset_us;
	d->wall_offset_us = w.boot_us;
	trusted = clock_trust_step(&wall_trust, &now);
	clock_trust_save(d);
	stepped = session_clock_stepped(&d->sess);
	log_clock_set(d, step_us, trusted, stepped);
	if (stepped)
		checkpoint(d, true);	/* re-dated now if trusted, else unsynced */
	return 0;
}

int clock_watch_start(struct daemon *d)
{
	struct wall_time w;
	char line[64];
	int fd, r;

	fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = clock_watch_arm(fd);
	if (r >= 0)
		r = sd_event_add_io(d->ev, &d->clock_watch, fd, EPOLLIN, on_clock_set, d);
	if (r >= 0)
		r = sd_event_source_set_io_fd_own(d->clock_watch, true);
	if (r < 0) {
		d->clock_watch = sd_event_source_disable_unref(d->clock_watch);
		close(fd);
		return r;
	}
	sd_event_source_set_description(d->clock_watch, "clock-watch");
	/* armed before the state is read: no step falls between */
	if (!runtime_read(d->rundirfd, CLOCK_STEP_FILE, line, sizeof(line)) &&
	    clock_trust_parse(&wall_trust, line) < 0)
		agent_error("reading the wall clock's state (ignored)", EINVAL);
	wall_time_now(&w);
	d->wall_offset_us = w.boot_us;
	return 0;
}
