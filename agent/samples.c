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
#include <sys/stat.h>

#include "chargerd.h"

/* --- per-session samples, for the plot --- */

void samples_open(struct daemon *d, uint64_t id)
{
	char name[64];

	if (d->statefd < 0)
		return;
	if (d->samplefd >= 0)
		close(d->samplefd);
	mkdirat(d->statefd, "sessions", 0700);
	snprintf(name, sizeof(name), "sessions/%llu.samples", (unsigned long long)id);
	d->samplefd = openat(d->statefd, name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	d->last_sample_s = UINT32_MAX;
}

/* Keep the samples of the last PLOT_SESSIONS sessions only. */
void samples_close(struct daemon *d, uint64_t id)
{
	char name[64];

	if (d->samplefd >= 0)
		close(d->samplefd);
	d->samplefd = -1;
	if (d->statefd >= 0 && id > PLOT_SESSIONS) {
		snprintf(name, sizeof(name), "sessions/%llu.samples",
			 (unsigned long long)(id - PLOT_SESSIONS));
		unlinkat(d->statefd, name, 0);
	}
}

void sample(struct daemon *d)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	long long t = b->temp != PSY_NONE ? b->temp : c->temp;
	struct plot_sample s = {
		.t_s = d->sess.rec.duration_s,
		.capacity = b->capacity == PSY_NONE ? -1 : (int32_t)b->capacity,
		.current_ma = c->current_now == PSY_NONE ? 0 : (int32_t)(c->current_now / 1000),
		.voltage_mv = b->voltage_now == PSY_NONE ? INT32_MIN : (int32_t)(b->voltage_now / 1000),
		.temp_dc = t == PSY_NONE ? INT32_MIN : (int32_t)t,
	};

	if (d->samplefd < 0 || !d->sess.active || s.t_s == d->last_sample_s)
		return;
	d->last_sample_s = s.t_s;
	plot_append_sample(d->samplefd, &s);
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
	plot_append_event(d->samplefd, d->sess.rec.duration_s, label);
}

/* The SVG of session id (0: the one in progress, else the last). */
char *plot_session(struct daemon *d, uint64_t id, int *err)
{
	_cleanup_(closep) int fd = -1;
	_cleanup_(freep) char *text = NULL;
	struct plot_data pd;
	char name[64], title[160], *svg;
	size_t len = 0, n;
	ssize_t r;

	if (!id)
		id = d->sess.active ? d->sess.rec.id : d->hist.n ? d->hist.recs[d->hist.n - 1].id : 0;
	snprintf(name, sizeof(name), "sessions/%llu.samples", (unsigned long long)id);
	fd = d->statefd < 0 ? -1 : openat(d->statefd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = ENOENT;
		return NULL;
	}
	for (n = 0;; n += r) {
		if (n + 4096 > len) {
			char *t = realloc(text, len = n + 65536);

			if (!t) {
				*err = ENOMEM;
				return NULL;
			}
			text = t;
		}
		r = read(fd, text + n, len - n);
		if (r <= 0)
			break;
	}
	if (plot_parse(text, n, &pd)) {
		*err = ENOMEM;
		return NULL;
	}
	snprintf(title, sizeof(title), "chargerd: charge session %llu%s",
		 (unsigned long long)id, d->sess.active && d->sess.rec.id == id ? " (in progress)" : "");
	svg = plot_svg(&pd, title);
	plot_free(&pd);
	*err = svg ? 0 : ENOMEM;
	return svg;
}
