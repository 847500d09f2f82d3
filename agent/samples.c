// SPDX-License-Identifier: GPL-2.0
/*
 * The samples of each charge session (sessions/ID.samples in the state
 * directory: one line per second of change, and the events), and the SVG
 * plot drawn from them (plot.c draws; this file reads and writes).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>

#include "chargerd.h"
#include "file.h"

/* --- per-session samples, for the plot --- */

static void samples_name(char *name, size_t len, uint64_t id)
{
	snprintf(name, len, HISTORY_SAMPLES_DIR "/%llu.samples", (unsigned long long)id);
}

/* The lines of the file fd (a resumed session's), for its bound. */
static uint32_t count_lines(int fd)
{
	char buf[8192];
	uint32_t n = 0;
	off_t off = 0;
	ssize_t r, i;

	while ((r = pread(fd, buf, sizeof(buf), off)) > 0) {
		for (i = 0; i < r; i++)
			n += buf[i] == '\n';
		off += r;
	}
	return n;
}

void samples_open(struct daemon *d, uint64_t id)
{
	char name[64];

	if (d->statefd < 0)
		return;
	if (d->samplefd >= 0)
		close(d->samplefd);
	mkdirat(d->statefd, HISTORY_SAMPLES_DIR, 0700);
	samples_name(name, sizeof(name), id);
	d->samplefd = openat(d->statefd, name, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	d->last_sample_s = UINT32_MAX;
	d->sample_every_s = 1;
	d->sample_lines = d->samplefd < 0 ? 0 : count_lines(d->samplefd);
}

/*
 * One more line written: at PLOT_FILE_LINES the file is thinned to half
 * (plot_file_thin()) and, if its samples were thinned, sampled half as
 * often from then on, so that a session of any length keeps a bounded
 * file; events are bounded on their own (PLOT_FILE_EVENTS kept), and a
 * flood of them does not slow the sampling.
 */
static void samples_written(struct daemon *d)
{
	bool thinned = false;
	char name[64];
	int n;

	if (++d->sample_lines < PLOT_FILE_LINES)
		return;
	samples_name(name, sizeof(name), d->sess.rec.id);
	close(d->samplefd);
	n = plot_file_thin(d->statefd, name, &thinned);
	if (n < 0)
		agent_error("thinning a session's samples", -n);
	d->samplefd = openat(d->statefd, name, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	d->sample_lines = n < 0 || d->samplefd < 0 ? 0 : (uint32_t)n;
	if (thinned && d->sample_every_s < UINT32_MAX / 2)
		d->sample_every_s *= 2;
	if (n < 0 && d->samplefd >= 0 && ftruncate(d->samplefd, 0) == 0)
		d->sample_lines = 0;	/* could not thin it: start it again, never grow it */
}

/* Keep the samples of the last PLOT_SESSIONS sessions only. */
void samples_close(struct daemon *d, uint64_t id)
{
	char name[64];

	if (d->samplefd >= 0)
		close(d->samplefd);
	d->samplefd = -1;
	if (d->statefd >= 0 && id > PLOT_SESSIONS) {
		samples_name(name, sizeof(name), id - PLOT_SESSIONS);
		unlinkat(d->statefd, name, 0);
	}
}

void sample(struct daemon *d)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	long long t = snapshot_temp(&d->snap);
	struct plot_sample s = {
		.t_s = d->sess.rec.duration_s,
		.capacity = b->capacity == PSY_NONE ? -1 : (int32_t)b->capacity,
		/* signed from the gauge (+ charging, - draining), else the charger's */
		.current_ma = b->current_now != PSY_NONE ? (int32_t)(b->current_now / 1000) :
			      c->current_now == PSY_NONE ? 0 : (int32_t)(c->current_now / 1000),
		.voltage_mv = b->voltage_now == PSY_NONE ? INT32_MIN : (int32_t)(b->voltage_now / 1000),
		.temp_dc = t == PSY_NONE ? INT32_MIN : (int32_t)t,
	};

	if (d->samplefd < 0 || !d->sess.active || s.t_s == d->last_sample_s ||
	    (d->last_sample_s != UINT32_MAX && s.t_s > d->last_sample_s &&
	     s.t_s - d->last_sample_s < d->sample_every_s))
		return;
	d->last_sample_s = s.t_s;
	if (!plot_append_sample(d->samplefd, &s))
		samples_written(d);
}

void plot_event(struct daemon *d, const char *fmt, ...)
{
	char label[PLOT_LABEL_MAX];
	va_list ap;

	if (d->samplefd < 0 || !d->sess.active)
		return;
	va_start(ap, fmt);
	vsnprintf(label, sizeof(label), fmt, ap);
	va_end(ap);
	if (!plot_append_event(d->samplefd, d->sess.rec.duration_s, label))
		samples_written(d);
}

/* The session's record: the one in progress, or from the history; NULL if gone. */
static const struct session_record *record_of(struct daemon *d, uint64_t id)
{
	size_t i;

	if (d->sess.active && d->sess.rec.id == id)
		return &d->sess.rec;
	for (i = 0; i < d->hist.n; i++)
		if (d->hist.recs[i].id == id)
			return &d->hist.recs[i];
	return NULL;
}

/*
 * The SVG of session id (0: the one in progress, else the last). NULL with
 * *err: ESRCH no session at all (id 0) or none with that id in the
 * history, ENOENT its samples not kept, else why they could not be read.
 */
char *plot_session(struct daemon *d, uint64_t id, int *err)
{
	_cleanup_(closep) int fd = -1;
	_cleanup_(freep) char *text = NULL;
	struct plot_meta m = { 0 };
	struct session_record dated;
	struct plot_data pd;
	char name[64], diag[256] = "", *svg;
	struct wall_time w;
	struct tm tm;
	size_t n;
	int r, c;

	if (!id)
		id = d->sess.active ? d->sess.rec.id : d->hist.n ? d->hist.recs[d->hist.n - 1].id : 0;
	if (!id) {
		*err = ESRCH;	/* no session at all */
		return NULL;
	}
	samples_name(name, sizeof(name), id);
	fd = d->statefd < 0 ? -1 : openat(d->statefd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* a session the history has, its samples not kept; or none such */
		*err = record_of(d, id) ? ENOENT : ESRCH;
		return NULL;
	}
	r = file_read_all(fd, PLOT_FILE_MAX_BYTES, &text, &n);
	if (r < 0) {
		*err = -r;
		return NULL;
	}
	if (plot_parse(text, n, &pd)) {
		*err = ENOMEM;
		return NULL;
	}
	m.id = id;
	m.in_progress = d->sess.active && d->sess.rec.id == id;
	m.rec = record_of(d, id);
	wall_time_now(&w);
	if (m.in_progress) {
		session_dated(&d->sess, &w, &dated);
		m.rec = &dated;
	}
	/*
	 * Wall-clock times only from a start that is a time (history.h's
	 * enum start_clock): a device without an RTC starts in 1970, at its
	 * image's date or at timesyncd's last save until its clock is
	 * synchronised.
	 */
	m.wall_clock = m.rec && history_start_known(m.rec, w.synced);
	if (localtime_r(&(time_t){ w.s }, &tm))
		m.utc_offset_s = tm.tm_gmtoff;
	/* what is diagnosed now, for the session in progress, ranked as Diagnoses */
	for (c = 0; m.in_progress && c < d->pub.props.diagnoses.n; c++)
		snprintf(diag + strlen(diag), sizeof(diag) - strlen(diag), "%s%s",
			 diag[0] ? ", " : "", cause_code(d->pub.props.diagnoses.cause[c]));
	m.diagnoses = diag;
	svg = plot_svg(&pd, &m);
	plot_free(&pd);
	*err = svg ? 0 : ENOMEM;
	return svg;
}
