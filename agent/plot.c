// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "plot.h"

static int put(int fd, const char *line, int len)
{
	if (len <= 0)
		return -EINVAL;
	return write(fd, line, len) == len ? 0 : -EIO;
}

int plot_append_sample(int fd, const struct plot_sample *s)
{
	char line[96];

	return put(fd, line, snprintf(line, sizeof(line), "S %u %d %d %d %d\n", s->t_s,
				      s->capacity, s->current_ma, s->voltage_mv, s->temp_dc));
}

int plot_append_event(int fd, uint32_t t_s, const char *label)
{
	char line[96], clean[PLOT_LABEL_MAX];
	size_t i;

	/* one line, no markup: the label ends up in an SVG */
	for (i = 0; label[i] && i < sizeof(clean) - 1; i++)
		clean[i] = label[i] == '\n' || label[i] == '<' || label[i] == '>' ||
			   label[i] == '&' || label[i] == '"' ? ' ' : label[i];
	clean[i] = '\0';
	return put(fd, line, snprintf(line, sizeof(line), "E %u %s\n", t_s, clean));
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;

	if (n < *cap)
		return 0;
	q = realloc(*p, (*cap ? *cap * 2 : 64) * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = *cap ? *cap * 2 : 64;
	return 0;
}

int plot_parse(const char *text, size_t len, struct plot_data *d)
{
	const char *p = text, *end = text + len, *nl;
	char line[128];

	memset(d, 0, sizeof(*d));
	for (; p < end; p = nl + 1) {
		struct plot_sample s;
		unsigned int t;
		int off = 0;
		size_t n;

		nl = memchr(p, '\n', end - p);
		if (!nl)
			break;		/* a torn last line */
		n = nl - p;
		if (n >= sizeof(line))
			continue;
		memcpy(line, p, n);
		line[n] = '\0';
		if (sscanf(line, "S %u %d %d %d %d%n", &s.t_s, &s.capacity, &s.current_ma,
			   &s.voltage_mv, &s.temp_dc, &off) == 5 && !line[off]) {
			if (grow((void **)&d->s, &d->cap_s, d->ns, sizeof(*d->s)))
				return -ENOMEM;
			d->s[d->ns++] = s;
		} else if (sscanf(line, "E %u %n", &t, &off) == 1 && off && line[off]) {
			if (grow((void **)&d->e, &d->cap_e, d->ne, sizeof(*d->e)))
				return -ENOMEM;
			d->e[d->ne].t_s = t;
			snprintf(d->e[d->ne].label, PLOT_LABEL_MAX, "%s", line + off);
			d->ne++;
		}
	}
	return 0;
}

void plot_thin(struct plot_data *d, size_t max_samples, size_t max_events)
{
	size_t i, n = 0, k, first;

	if (max_samples >= 2 && d->ns > max_samples) {
		/* every k-th, and the last: at most max_samples */
		k = (d->ns - 2) / (max_samples - 1) + 1;
		for (i = 0; i < d->ns - 1; i += k)
			d->s[n++] = d->s[i];
		d->s[n++] = d->s[d->ns - 1];
		d->ns = n;
	}
	if (max_events && d->ne > max_events) {
		/* the first half (how it began), then the latest */
		first = max_events / 2;
		memmove(d->e + first, d->e + d->ne - (max_events - first),
			(max_events - first) * sizeof(*d->e));
		d->ne = max_events;
	}
}

int plot_file_thin(int dirfd, const char *name, bool *samples_thinned)
{
	struct plot_data d;
	char *text = NULL;
	size_t n = 0, i;
	int fd, ret;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = file_read_all(fd, PLOT_FILE_MAX_BYTES, &text, &n);
	close(fd);
	if (!ret)
		ret = plot_parse(text, n, &d);
	free(text);
	if (ret)
		return ret;
	if (samples_thinned)
		*samples_thinned = d.ns > PLOT_FILE_LINES / 2 - PLOT_FILE_EVENTS;
	plot_thin(&d, PLOT_FILE_LINES / 2 - PLOT_FILE_EVENTS, PLOT_FILE_EVENTS);
	fd = file_replace_open(dirfd, name);
	ret = fd < 0 ? fd : 0;
	for (i = 0; !ret && i < d.ns; i++)
		ret = plot_append_sample(fd, &d.s[i]);
	for (i = 0; !ret && i < d.ne; i++)
		ret = plot_append_event(fd, d.e[i].t_s, d.e[i].label);
	if (fd >= 0)
		ret = file_replace_commit(dirfd, name, fd, ret, false);
	n = d.ns + d.ne;
	plot_free(&d);
	return ret ? ret : (int)n;
}

void plot_free(struct plot_data *d)
{
	free(d->s);
	free(d->e);
	memset(d, 0, sizeof(*d));
}
