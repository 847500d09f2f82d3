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

/* The chart area and four stacked panels, one per quantity. */
#define W	900
#define LEFT	70
#define RIGHT	20
#define TOP	50
#define PANEL_H	110
#define GAP	25
#define PANELS	4

struct series {
	const char *name, *unit, *colour;
	size_t off;		/* of the int32 in struct plot_sample */
	double scale;		/* value x scale = the unit */
};

static const struct series series[PANELS] = {
	{ "capacity", "%", "#1f77b4", offsetof(struct plot_sample, capacity), 1 },
	{ "charge current", "mA", "#d62728", offsetof(struct plot_sample, current_ma), 1 },
	{ "battery voltage", "V", "#2ca02c", offsetof(struct plot_sample, voltage_mv), 0.001 },
	{ "temperature", "degC", "#ff7f0e", offsetof(struct plot_sample, temp_dc), 0.1 },
};

static int32_t value(const struct plot_sample *s, const struct series *r)
{
	return *(const int32_t *)((const char *)s + r->off);
}

static bool usable(int32_t v, const struct series *r)
{
	return v != INT32_MIN && !(r->off == offsetof(struct plot_sample, capacity) && v < 0);
}

/* The sample drawn after i, step on: the last one always drawn, then the end (n). */
static size_t next_point(size_t i, size_t step, size_t n)
{
	return i + step < n || i == n - 1 ? i + step : n - 1;
}

char *plot_svg(const struct plot_data *d, const char *title)
{
	uint32_t tmax = 1;
	double label_x = 0;
	char *buf = NULL;
	size_t len = 0, i, step = d->ns > PLOT_POINTS_MAX ? (d->ns - 2) / (PLOT_POINTS_MAX - 1) + 1 : 1;
	FILE *f = open_memstream(&buf, &len);
	int k, h = TOP + PANELS * (PANEL_H + GAP) + 30;

	if (!f)
		return NULL;
	for (i = 0; i < d->ns; i++)
		if (d->s[i].t_s > tmax)
			tmax = d->s[i].t_s;
	for (i = 0; i < d->ne; i++)
		if (d->e[i].t_s > tmax)
			tmax = d->e[i].t_s;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"%d\" y=\"24\" font-size=\"16\">", W, h, LEFT);
	for (i = 0; title[i]; i++)
		fputs(title[i] == '<' ? "&lt;" : title[i] == '&' ? "&amp;" : (char[]){ title[i], 0 }, f);
	fprintf(f, "</text>\n");

	for (k = 0; k < PANELS; k++) {
		const struct series *r = &series[k];
		int y0 = TOP + k * (PANEL_H + GAP);
		int32_t lo = INT32_MAX, hi = INT32_MIN;
		bool pen = false;

		for (i = 0; i < d->ns; i++) {
			int32_t v = value(&d->s[i], r);

			if (!usable(v, r))
				continue;
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
			LEFT, y0, W - LEFT - RIGHT, PANEL_H);
		fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s (%s)</text>\n", LEFT + 4, y0 - 4,
			r->colour, r->name, r->unit);
		if (lo > hi)
			continue;	/* nothing known */
		if (lo == hi) {
			lo -= 1;
			hi += 1;
		}
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%g</text>\n", LEFT - 4,
			y0 + 10, hi * r->scale);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%g</text>\n", LEFT - 4,
			y0 + PANEL_H, lo * r->scale);
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
			r->colour);
		/* a screen's worth of points: every step-th, and the last */
		for (i = 0; i < d->ns; i = next_point(i, step, d->ns)) {
			int32_t v = value(&d->s[i], r);
			double x = LEFT + (double)d->s[i].t_s * (W - LEFT - RIGHT) / tmax;
			double y = y0 + PANEL_H - (double)(v - lo) * PANEL_H / (hi - lo);

			if (!usable(v, r))
				continue;
			fprintf(f, "%s%.1f,%.1f", pen ? " " : "", x, y);
			pen = true;
		}
		fprintf(f, "\"/>\n");
	}
	/* the events: a dashed line across the panels, labelled; close ones side by side */
	for (i = 0; i < d->ne; i++) {
		double x = LEFT + (double)d->e[i].t_s * (W - LEFT - RIGHT) / tmax;
		int yb = TOP + PANELS * (PANEL_H + GAP) - GAP - 4;

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\" "
			"stroke-dasharray=\"4 3\"/>\n", x, TOP, x, yb + 4);
		if (i && x < label_x + 11)
			x = label_x + 11;
		label_x = x;
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" transform=\"rotate(-90 %.1f %d)\">%s</text>\n",
			x + 3, yb, x + 3, yb, d->e[i].label);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\">0 s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%u s</text>\n",
		LEFT, h - 8, W - RIGHT, h - 8, tmax);
	fprintf(f, "</svg>\n");
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
