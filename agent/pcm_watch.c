// SPDX-License-Identifier: GPL-2.0
/*
 * Auto in-use mode's watch on ALSA playback, on external power only.
 *
 * No poll while nothing plays: inotify on the /dev/snd directory reports
 * every open and last close of the playback nodes in it (IN_OPEN,
 * IN_CLOSE_*; events on a directory's entries, inotify(7)), from any
 * process, whichever mount it opened them through. An event is only a
 * reason to look: the truth is /proc/asound's substream status
 * (alsa_playback_state()), so a lost event (IN_Q_OVERFLOW), a PCM opened
 * before the watch began, or a close reported before the driver released
 * the substream (fsnotify_close() runs before ->release() in __fput())
 * cost at most one look or one poll more, never a wrong answer for long.
 *
 * The one poll left: a substream that is open changes between PREPARED,
 * RUNNING and PAUSED without any file event, so while a playback PCM is
 * open its state is looked at every PCM_POLL_USEC (a player paused, or a
 * sound server that keeps the device open a few seconds after the stream
 * stops). Nothing open, no timer.
 *
 * /dev/snd may not exist (no sound card yet, or its driver loads after
 * chargerd): /dev is watched for it to be made (IN_CREATE "snd"), and
 * back again when it goes (IN_DELETE_SELF). If inotify cannot watch at all
 * (out of instances or watches, no permission), the old way: a look every
 * PCM_POLL_USEC on external power, said once in the journal; each look
 * asks inotify again, and watching comes back once it has room.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <systemd/sd-journal.h>

#include "alsa.h"
#include "chargerd.h"

#define SND_DIR		"/dev/snd"
#define DEV_DIR		"/dev"
#define ASOUND_DIR	"/proc/asound"
/* While a playback PCM is open (or without inotify): as often as before. */
#define PCM_POLL_USEC	(5ULL * 1000000)

#define SND_EVENTS	(IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_DELETE_SELF | \
			 IN_MOVE_SELF | IN_ONLYDIR)
#define DEV_EVENTS	(IN_CREATE | IN_MOVED_TO | IN_ONLYDIR)

static void watch_drop(struct pcm_watch *w)
{
	if (w->wd >= 0)
		inotify_rm_watch(w->fd, w->wd);
	w->wd = -1;
	w->on_dev = false;
}

static int inotify_open(struct daemon *d);

/*
 * The watch is there: if the fallback was said, say it ended (and say the
 * next one again). True.
 */
static bool watch_back(struct pcm_watch *w)
{
	if (w->said_fallback) {
		sd_journal_print(LOG_INFO, "chargerd: watching " SND_DIR
				 " again; ALSA is no longer looked at on a timer");
		w->said_fallback = false;
	}
	return true;
}

/*
 * Watch /dev/snd, else /dev for it to appear; false if neither can be.
 * Without an inotify instance, one is asked for first (there may be room
 * again).
 */
static bool watch_add(struct daemon *d)
{
	struct pcm_watch *w = &d->pcm;
	char what[192];
	int err;

	watch_drop(w);
	if (w->fd < 0)
		inotify_open(d);
	err = w->init_errno;
	if (w->fd >= 0) {
		w->wd = inotify_add_watch(w->fd, SND_DIR, SND_EVENTS);
		if (w->wd >= 0)
			return watch_back(w);
		err = errno;
		if (err == ENOENT || err == ENOTDIR) {
			w->wd = inotify_add_watch(w->fd, DEV_DIR, DEV_EVENTS);
			w->on_dev = w->wd >= 0;
			err = w->on_dev ? 0 : errno;
		}
	}
	if (w->on_dev) {
		/* made between the two: watch it after all */
		int wd = inotify_add_watch(w->fd, SND_DIR, SND_EVENTS);

		if (wd >= 0) {
			watch_drop(w);
			w->wd = wd;
		}
		return watch_back(w);
	}
	if (!w->said_fallback) {
		/* once until the watch is back: the polling it falls back to works */
		snprintf(what, sizeof(what),
			 "cannot watch " SND_DIR " (%s; ALSA is looked at every %llu s on external power in auto in-use mode)",
			 err == EMFILE ? "inotify: sysctl fs.inotify.max_user_instances reached, or no fd left" :
			 err == ENOSPC ? "inotify: sysctl fs.inotify.max_user_watches reached" :
			 "inotify", PCM_POLL_USEC / 1000000);
		agent_warning(what, err);
		w->said_fallback = true;
	}
	return false;
}

/*
 * Look at the substreams: in use if one runs; poll while one is open (or
 * while there is no watch). True if the finding changed.
 */
static bool look(struct daemon *d)
{
	struct pcm_watch *w = &d->pcm;
	enum alsa_playback st = alsa_playback_state(ASOUND_DIR);
	bool playing = st == ALSA_PLAYBACK_RUNNING, changed;

	d->pub.n.alsa_looks++;
	if (st != ALSA_PLAYBACK_CLOSED || w->wd < 0) {
		if (sd_event_source_get_enabled(w->poll, NULL) <= 0) {
			sd_event_source_set_time_relative(w->poll, PCM_POLL_USEC);
			sd_event_source_set_enabled(w->poll, SD_EVENT_ON);
		}
	} else {
		sd_event_source_set_enabled(w->poll, SD_EVENT_OFF);
	}
	changed = playing != d->in_use_detected;
	d->in_use_detected = playing;
	return changed;
}

static int on_poll(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	/* from now: after a suspend, one look, not one per period missed */
	sd_event_source_set_time_relative(src, PCM_POLL_USEC);
	if (d->pcm.wd < 0 && d->pcm.active)
		watch_add(d);	/* inotify may have room again */
	if (look(d))
		reevaluate(d, "in-use changed");
	return 0;
}

static int on_inotify(sd_event_source *src, int fd, uint32_t revents, void *data)
{
	struct daemon *d = data;
	struct pcm_watch *w = &d->pcm;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool relevant = false, rewatch = false;
	const struct inotify_event *ev;
	ssize_t n;
	char *p;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				relevant = true;
			} else if (ev->wd != w->wd) {
				continue;	/* a watch given up (its IN_IGNORED) */
			} else if (w->on_dev) {
				if (ev->len && !strcmp(ev->name, "snd"))
					rewatch = true;
			} else if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
				rewatch = true;	/* the last card went: wait for one */
			} else if (ev->len && alsa_playback_node(ev->name)) {
				relevant = true;
			}
		}
	}
	if (!w->active)
		return 0;	/* events queued before the watch was dropped */
	if (rewatch) {
		watch_add(d);
		relevant = true;
	}
	if (relevant && look(d))
		reevaluate(d, "in-use changed");
	return 0;
}

/*
 * The inotify instance and its event source; without one (its user's
 * fs.inotify.max_user_instances reached: EMFILE) init_errno says why, and
 * it is asked for again when the watch is wanted and at each poll.
 */
static int inotify_open(struct daemon *d)
{
	struct pcm_watch *w = &d->pcm;
	int r;

	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		w->init_errno = errno;
		return 0;
	}
	r = sd_event_add_io(d->ev, &w->io, w->fd, EPOLLIN, on_inotify, d);
	if (r < 0) {
		close(w->fd);
		w->fd = -1;
		w->init_errno = -r;
		return r;
	}
	sd_event_source_set_description(w->io, "pcm-watch");
	return 0;
}

int pcm_watch_start(struct daemon *d)
{
	struct pcm_watch *w = &d->pcm;
	int r;

	w->wd = -1;
	r = inotify_open(d);
	if (r < 0)
		return r;
	r = sd_event_add_time(d->ev, &w->poll, CLOCK_BOOTTIME, UINT64_MAX, 0, on_poll, d);
	if (r < 0)
		return r;
	sd_event_source_set_description(w->poll, "pcm-poll");
	return sd_event_source_set_enabled(w->poll, SD_EVENT_OFF);
}

bool pcm_watch_want(struct daemon *d, bool want)
{
	struct pcm_watch *w = &d->pcm;

	if (want == w->active)
		return false;
	w->active = want;
	if (!want) {
		watch_drop(w);
		sd_event_source_set_enabled(w->poll, SD_EVENT_OFF);
		d->in_use_detected = false;
		return false;
	}
	/* the watch first, then the look: an open between them is not missed */
	watch_add(d);
	return look(d);
}

void pcm_watch_done(struct daemon *d)
{
	struct pcm_watch *w = &d->pcm;

	w->io = sd_event_source_disable_unref(w->io);
	w->poll = sd_event_source_disable_unref(w->poll);
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->wd = -1;
	w->active = false;
}
