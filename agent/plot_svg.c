// SPDX-License-Identifier: GPL-2.0
/*
 * A charge session drawn as an SVG for a person: a title block that says
 * what the session was, four panels (capacity, battery current, battery
 * voltage, temperature) with round-valued ticks, gridlines and units, a
 * time axis in wall-clock and elapsed time with ticks at round intervals,
 * the pauses and faults as shaded spans, and the events as marker lines
 * whose labels never cross a line or each other.
 *
 * Pure: a function of the samples and the session's record. The pieces
 * (the ticks, the decimation, the spans, the label placement) are public
 * so that host tests check them without looking at pixels.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "faults.h"
#include "plot.h"

/* --- the pieces --- */

void plot_value_axis(double min, double max, int ticks, struct plot_axis *a)
{
	double raw, mag, norm;

	if (!(max > min)) {
		/* a flat line: a range around it of 5 % of its value (at least 1 unit) */
		double w = min ? fabs(min) * 0.05 : 1;

		min -= w;
		max += w;
	}
	if (ticks < 1)
		ticks = 1;
	raw = (max - min) / ticks;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	a->step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
	a->lo = floor(min / a->step + 1e-9) * a->step;
	a->hi = ceil(max / a->step - 1e-9) * a->step;
}

uint32_t plot_time_step(uint32_t span_s, int ticks)
{
	static const uint32_t steps[] = {
		1, 2, 5, 10, 15, 30, 60, 2 * 60, 5 * 60, 10 * 60, 15 * 60, 30 * 60,
		3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600,
		86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400,
	};
	uint32_t step;
	size_t i;

	if (ticks < 1)
		ticks = 1;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span_s / steps[i] <= (uint32_t)ticks)
			return steps[i];
	/* past 28 days x ticks: whole multiples of 28 days */
	step = 28 * 86400;
	while (span_s / step > (uint32_t)ticks && step < UINT32_MAX / 2)
		step *= 2;
	return step;
}

static int32_t field_of(const struct plot_sample *s, size_t off)
{
	return *(const int32_t *)((const char *)s + off);
}

/* A value drawn: known (capacity -1 and INT32_MIN are "unknown"). */
static bool known(int32_t v, size_t off)
{
	return v != INT32_MIN && !(off == offsetof(struct plot_sample, capacity) && v < 0);
}

size_t plot_decimate(const struct plot_data *d, size_t off, uint32_t tmax, unsigned int columns,
		     size_t *idx, size_t max)
{
	size_t i, n = 0, lo = SIZE_MAX, hi = SIZE_MAX;
	unsigned int col = UINT_MAX, c;

	if (!columns || max < 2)
		return 0;
	if (!tmax)
		tmax = 1;
	for (i = 0; i <= d->ns; i++) {
		int32_t v = i < d->ns ? field_of(&d->s[i], off) : 0;

		if (i < d->ns && !known(v, off))
			continue;
		c = i < d->ns ? (unsigned int)((uint64_t)d->s[i].t_s * (columns - 1) / tmax) : UINT_MAX;
		if (c != col && lo != SIZE_MAX) {
			/* the column ends: its lowest and highest, in time order */
			if (n + 2 > max)
				break;
			idx[n++] = lo < hi ? lo : hi;
			if (lo != hi)
				idx[n++] = lo < hi ? hi : lo;
			lo = hi = SIZE_MAX;
		}
		if (i == d->ns)
			break;
		col = c;
		if (lo == SIZE_MAX || v < field_of(&d->s[lo], off))
			lo = i;
		if (hi == SIZE_MAX || v > field_of(&d->s[hi], off))
			hi = i;
	}
	return n;
}

static const char *const span_names[PLOT_SPAN__COUNT] = {
	[PLOT_SPAN_HEAT] = "paused: too hot",
	[PLOT_SPAN_COLD] = "paused: too cold",
	[PLOT_SPAN_IN_USE] = "paused: in use",
	[PLOT_SPAN_FAULT] = "fault",
};

const char *plot_span_name(enum plot_span_kind k)
{
	return (unsigned int)k < PLOT_SPAN__COUNT ? span_names[k] : "?";
}

static bool prefixed(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* A thermal event's label ("BAND PERCENT%", journal.c): its band, or NULL. */
static const char *thermal_band(const char *label)
{
	static const char *const bands[] = { "cold-stop ", "cool ", "normal ", "warm ", "hot ",
					     "hot-stop " };
	size_t i;

	for (i = 0; i < sizeof(bands) / sizeof(bands[0]); i++)
		if (prefixed(label, bands[i]))
			return bands[i];
	return NULL;
}

static void span_open(struct plot_span *open, enum plot_span_kind k, uint32_t t, const char *what)
{
	if (open->kind != PLOT_SPAN__COUNT)
		return;		/* already open: the first start counts */
	open->kind = k;
	open->from_s = t;
	snprintf(open->what, sizeof(open->what), "%s", what);
}

static void span_close(struct plot_span *open, uint32_t t, struct plot_span *out, size_t max,
		       size_t *n)
{
	if (open->kind == PLOT_SPAN__COUNT)
		return;
	open->to_s = t;
	if (*n < max)
		out[*n] = *open;
	(*n)++;
	open->kind = PLOT_SPAN__COUNT;
}

size_t plot_spans(const struct plot_data *d, uint32_t end_s, struct plot_span *out, size_t max)
{
	struct plot_span thermal = { .kind = PLOT_SPAN__COUNT }, in_use = { .kind = PLOT_SPAN__COUNT };
	struct plot_span fault[FAULT__COUNT];
	size_t i, n = 0;
	int f;

	for (f = 0; f < FAULT__COUNT; f++)
		fault[f].kind = PLOT_SPAN__COUNT;
	for (i = 0; i < d->ne; i++) {
		const struct plot_event *e = &d->e[i];
		const char *band = thermal_band(e->label);

		if (band) {
			/* a pause from a stop band to the next band that is not it */
			if (!strcmp(band, "hot-stop ") || !strcmp(band, "cold-stop ")) {
				enum plot_span_kind k = band[0] == 'h' ? PLOT_SPAN_HEAT : PLOT_SPAN_COLD;

				if (thermal.kind != k)
					span_close(&thermal, e->t_s, out, max, &n);
				span_open(&thermal, k, e->t_s, plot_span_name(k));
			} else {
				span_close(&thermal, e->t_s, out, max, &n);
			}
		} else if (!strcmp(e->label, "paused: in use")) {
			span_open(&in_use, PLOT_SPAN_IN_USE, e->t_s, plot_span_name(PLOT_SPAN_IN_USE));
		} else if (!strcmp(e->label, "resumed")) {
			span_close(&in_use, e->t_s, out, max, &n);
		} else if (prefixed(e->label, "fault: ") || prefixed(e->label, "fault cleared: ")) {
			bool raised = prefixed(e->label, "fault: ");
			const char *code = e->label + (raised ? 7 : 15);

			for (f = 0; f < FAULT__COUNT; f++)
				if (!strcmp(code, fault_code(f)))
					break;
			if (f == FAULT__COUNT)
				continue;
			if (raised)
				span_open(&fault[f], PLOT_SPAN_FAULT, e->t_s, e->label);
			else
				span_close(&fault[f], e->t_s, out, max, &n);
		}
	}
	/* what is still open lasts to the end of the session */
	span_close(&thermal, end_s, out, max, &n);
	span_close(&in_use, end_s, out, max, &n);
	for (f = 0; f < FAULT__COUNT; f++)
		span_close(&fault[f], end_s, out, max, &n);
	return n;
}

/* The box a label would take at x: to the right of its line, or to the left. */
static void label_box(double x, double w, bool left, double *a, double *b)
{
	*a = left ? x - PLOT_LABEL_PAD - w : x + PLOT_LABEL_PAD;
	*b = left ? x - PLOT_LABEL_PAD : x + PLOT_LABEL_PAD + w;
}

static bool inside(double x, double a, double b)
{
	return x >= a - PLOT_LABEL_GAP && x <= b + PLOT_LABEL_GAP;
}

size_t plot_place_labels(const double *x, const double *w, size_t n, int lanes, double xmin,
			 double xmax, struct plot_label *out)
{
	size_t j, k, omitted = 0;
	int h, side;

	for (j = 0; j < n; j++) {
		out[j].lane = -1;
		for (h = lanes - 1; h >= 0 && out[j].lane < 0; h--) {
			for (side = 0; side < 2 && out[j].lane < 0; side++) {
				double a, b;
				bool ok = true;

				label_box(x[j], w[j], side, &a, &b);
				if (a < xmin || b > xmax)
					continue;
				for (k = 0; k < j && ok; k++) {
					if (out[k].lane < 0)
						continue;
					/* no two labels of a lane overlap */
					if (out[k].lane == h && a < out[k].b + PLOT_LABEL_GAP &&
					    out[k].a < b + PLOT_LABEL_GAP)
						ok = false;
					/* no line reaching this lane crosses this label */
					if (out[k].lane >= h && inside(x[k], a, b))
						ok = false;
					/* this line does not cross a label it reaches */
					if (out[k].lane <= h && inside(x[j], out[k].a, out[k].b))
						ok = false;
				}
				if (ok) {
					out[j].lane = h;
					out[j].a = a;
					out[j].b = b;
					out[j].left = side;
				}
			}
		}
		omitted += out[j].lane < 0;
	}
	return omitted;
}

/* --- the drawing --- */

/* The canvas, in px: a title block, the label lanes, four panels, the time axis. */
#define W		960
#define LEFT		78
#define RIGHT		24
#define PLOT_W		(W - LEFT - RIGHT)
#define TITLE_H		78
#define LANES		5
#define LANE_H		13
#define LANES_BOTTOM	(TITLE_H + LANES * LANE_H + 2)
#define PANELS_TOP	(LANES_BOTTOM + 22)	/* a row for the first panel's name */
#define PANEL_H		120
#define GAP		30
#define PANELS		4
#define AXIS_H		48
#define LEGEND_H	40
#define H		(PANELS_TOP + PANELS * PANEL_H + (PANELS - 1) * GAP + AXIS_H + LEGEND_H)
#define CHAR_W		6.1	/* an average glyph at font-size 10, sans-serif */

struct series {
	const char *name, *unit, *colour;
	size_t off;		/* of the int32 in struct plot_sample */
	double scale;		/* value x scale = the unit */
	bool zero;		/* the range includes 0, drawn darker */
};

static const struct series series[PANELS] = {
	{ "battery capacity", "%", "#1f77b4", offsetof(struct plot_sample, capacity), 1, false },
	{ "battery current (charging > 0, draining < 0)", "mA", "#d62728",
	  offsetof(struct plot_sample, current_ma), 1, true },
	{ "battery voltage", "V", "#2ca02c", offsetof(struct plot_sample, voltage_mv), 0.001, false },
	{ "temperature", "\u00b0C", "#ff7f0e", offsetof(struct plot_sample, temp_dc), 0.1, false },
};

static const char *const span_fill[PLOT_SPAN__COUNT] = {
	[PLOT_SPAN_HEAT] = "#f4a582",
	[PLOT_SPAN_COLD] = "#92c5de",
	[PLOT_SPAN_IN_USE] = "#c2a5cf",
	[PLOT_SPAN_FAULT] = "#999999",
};

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			/* labels and words are ASCII: anything else would not be XML text */
			fputc((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f ? '?' : *s, f);
		}
	}
}

size_t plot_duration(uint32_t s, char *buf, size_t len)
{
	int n;

	if (s < 60)
		n = snprintf(buf, len, "%u s", s);
	else if (s < 3600)
		n = s % 60 ? snprintf(buf, len, "%u min %u s", s / 60, s % 60) :
			     snprintf(buf, len, "%u min", s / 60);
	else if (s < 86400)
		n = s % 3600 / 60 ? snprintf(buf, len, "%u h %u min", s / 3600, s % 3600 / 60) :
				    snprintf(buf, len, "%u h", s / 3600);
	else
		n = s % 86400 / 3600 ? snprintf(buf, len, "%u d %u h", s / 86400, s % 86400 / 3600) :
				       snprintf(buf, len, "%u d", s / 86400);
	return n < 0 ? 0 : (size_t)n;
}

/* Local wall-clock time t (seconds since the epoch, plus the offset) as fmt. */
static void wall(const struct plot_meta *m, int64_t t, const char *fmt, char *buf, size_t len)
{
	time_t tt = (time_t)(t + m->utc_offset_s);
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, fmt, &tm))
		snprintf(buf, len, "?");
}

static double x_of(uint32_t t, uint32_t tmax)
{
	return LEFT + (double)t * PLOT_W / tmax;
}

/* What the session's events say was diagnosed ("diagnosis: CODE"), each once, as "a, b". */
static void diagnosed_in(const struct plot_data *d, FILE *f)
{
	size_t i, k;
	bool any = false;

	for (i = 0; i < d->ne; i++) {
		const char *code = d->e[i].label + 11;

		if (!prefixed(d->e[i].label, "diagnosis: "))
			continue;
		for (k = 0; k < i; k++)
			if (!strcmp(d->e[k].label, d->e[i].label))
				break;
		if (k < i)
			continue;
		fputs(any ? ", " : "", f);
		put_escaped(f, code);
		any = true;
	}
	if (!any)
		fputs("nothing", f);
}

static void title_block(FILE *f, const struct plot_data *d, const struct plot_meta *m, uint32_t tmax)
{
	const struct session_record *r = m->rec;
	char a[48], b[48], dur[32];
	int f_;
	bool any = false;

	fprintf(f, "<text x=\"%d\" y=\"26\" font-size=\"18\" font-weight=\"bold\">Charge session %llu%s</text>\n",
		LEFT, (unsigned long long)m->id, m->in_progress ? " (in progress)" : "");
	if (!r) {
		plot_duration(tmax, dur, sizeof(dur));
		fprintf(f, "<text x=\"%d\" y=\"46\">%s recorded</text>\n", LEFT, dur);
		return;
	}
	plot_duration(r->duration_s, dur, sizeof(dur));
	fprintf(f, "<text x=\"%d\" y=\"46\">", LEFT);
	fputs("source ", f);
	put_escaped(f, r->source[0] ? r->source : "unknown");
	fputs(r->usb_type[0] ? ", USB type " : "", f);
	put_escaped(f, r->usb_type);
	if (m->wall_clock) {
		wall(m, r->start, "%Y-%m-%d %H:%M", a, sizeof(a));
		wall(m, r->start + r->duration_s, "%Y-%m-%d %H:%M", b, sizeof(b));
		if (!strncmp(a, b, 11))	/* the same day: the time only */
			memmove(b, b + 11, strlen(b + 11) + 1);
		fprintf(f, " \u00b7 %s \u2013 %s%s", a, b, m->in_progress ? " (so far)" : "");
	} else {
		fputs(" \u00b7 start time unknown (the clock was not synchronised then)", f);
	}
	fprintf(f, " \u00b7 %s", dur);
	if (r->start_capacity >= 0 && r->end_capacity >= 0)
		fprintf(f, " \u00b7 %d %% \u2192 %d %%", r->start_capacity, r->end_capacity);
	if (r->energy_mwh != HISTORY_UNKNOWN)
		fprintf(f, " \u00b7 %u mWh", r->energy_mwh);
	if (r->charge_mah != HISTORY_UNKNOWN)
		fprintf(f, "%s %u mAh", r->energy_mwh != HISTORY_UNKNOWN ? "," : " \u00b7", r->charge_mah);
	if (r->energy_mwh != HISTORY_UNKNOWN || r->charge_mah != HISTORY_UNKNOWN)
		fputs(" in", f);
	if (r->reached_full)
		fputs(" \u00b7 full", f);
	fputs("</text>\n", f);

	fprintf(f, "<text x=\"%d\" y=\"64\">faults: ", LEFT);
	for (f_ = 0; f_ < FAULT__COUNT; f_++) {
		if (!(r->faults & FAULT_BIT(f_)))
			continue;
		fprintf(f, "%s%s", any ? ", " : "", fault_code(f_));
		any = true;
	}
	fputs(any ? "" : "none", f);
	fputs(" \u00b7 diagnosed: ", f);
	if (m->diagnoses && m->diagnoses[0])
		put_escaped(f, m->diagnoses);
	else
		diagnosed_in(d, f);
	if (!m->in_progress && r->end_reason[0]) {
		fputs(" \u00b7 ended: ", f);
		put_escaped(f, r->end_reason);
	}
	fputs("</text>\n", f);
}

static void panel(FILE *f, const struct plot_data *d, const struct series *r, int y0, uint32_t tmax,
		  size_t *idx, size_t max)
{
	int32_t lo = INT32_MAX, hi = INT32_MIN;
	struct plot_axis ax;
	size_t i, n;
	bool pen = false;
	double v, y;

	for (i = 0; i < d->ns; i++) {
		int32_t x = field_of(&d->s[i], r->off);

		if (!known(x, r->off))
			continue;
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" fill=\"%s\">", LEFT, y0 - 6, r->colour);
	put_escaped(f, r->name);
	fprintf(f, " (%s)</text>\n", r->unit);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n",
		LEFT, y0, PLOT_W, PANEL_H);
	if (lo > hi) {
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#888\">not measured</text>\n",
			LEFT + PLOT_W / 2, y0 + PANEL_H / 2);
		return;
	}
	if (r->off == offsetof(struct plot_sample, capacity)) {
		ax = (struct plot_axis){ 0, 100, 25 };
	} else {
		double a = lo * r->scale, b = hi * r->scale;

		if (r->zero) {
			a = a > 0 ? 0 : a;
			b = b < 0 ? 0 : b;
		}
		plot_value_axis(a, b, 4, &ax);
	}
	for (v = ax.lo; v <= ax.hi + ax.step / 1000; v += ax.step) {
		double z = fabs(v) < ax.step / 1000 ? 0 : v;

		y = y0 + PANEL_H - (z - ax.lo) * PANEL_H / (ax.hi - ax.lo);
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>\n", LEFT, y,
			LEFT + PLOT_W, y, r->zero && z == 0 ? "#555" : "#e4e4e4");
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%g</text>\n",
			LEFT - 6, y + 4, z);
	}
	n = plot_decimate(d, r->off, tmax, PLOT_W, idx, max);
	fprintf(f, "<path class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" "
		"stroke-linecap=\"round\" stroke-linejoin=\"round\" d=\"", r->colour);
	for (i = 0; i < n; i++) {
		const struct plot_sample *s = &d->s[idx[i]];

		y = y0 + PANEL_H - (field_of(s, r->off) * r->scale - ax.lo) * PANEL_H / (ax.hi - ax.lo);
		/* a value off the axis (a gauge's 102 %) stays on its panel's edge */
		y = y < y0 ? y0 : y > y0 + PANEL_H ? y0 + PANEL_H : y;
		fprintf(f, "%s%.1f,%.1f", pen ? " L" : "M", x_of(s->t_s, tmax), y);
		/* one point alone: a dot (a zero-length stroke with round caps) */
		if (n == 1)
			fprintf(f, " L%.1f,%.1f", x_of(s->t_s, tmax), y);
		pen = true;
	}
	fprintf(f, "\"/>\n");
}

static void time_axis(FILE *f, const struct plot_meta *m, uint32_t tmax, int y)
{
	uint32_t step = plot_time_step(tmax, 7), t, first;
	char a[32], b[32];
	int64_t origin = 0;

	/* round wall-clock times when the clock is known, else round elapsed times */
	if (m->wall_clock && m->rec) {
		origin = m->rec->start + m->utc_offset_s;
		first = (uint32_t)((step - (uint64_t)(origin % step + step) % step) % step);
	} else {
		first = 0;
	}
	for (t = first; t <= tmax; t += step) {
		double x = x_of(t, tmax);

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\"/>\n", x, y,
			x, y + 5);
		/* below round wall-clock times, the elapsed time to the minute */
		plot_duration(step >= 60 && first ? (t + 30) / 60 * 60 : t, b, sizeof(b));
		if (m->wall_clock && m->rec) {
			/* a session over days names the day; over weeks, the year too */
			wall(m, m->rec->start + t, step < 60 ? "%H:%M:%S" :
			     step >= 86400 ? "%Y-%m-%d" : tmax >= 86400 ? "%d %b %H:%M" : "%H:%M",
			     a, sizeof(a));
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n",
				x, y + 17, a);
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"#666\">+%s</text>\n",
				x, y + 30, b);
		} else {
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">+%s</text>\n",
				x, y + 17, b);
		}
		if (t > UINT32_MAX - step)
			break;
	}
	if (m->wall_clock && m->rec) {
		long o = m->utc_offset_s;

		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\">"
			"local time (UTC%c%02ld:%02ld); below it, the time since the start</text>\n",
			W - RIGHT, y + 44, o < 0 ? '-' : '+', labs(o) / 3600, labs(o) % 3600 / 60);
	} else {
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\">"
			"time since the start</text>\n", W - RIGHT, y + 44);
	}
}

char *plot_svg(const struct plot_data *d, const struct plot_meta *m)
{
	struct plot_span *spans = NULL;
	struct plot_label *lab = NULL;
	double *lx = NULL, *lw = NULL;
	size_t i, ns, omitted = 0, len = 0, maxidx = 2 * PLOT_W + 2, *idx = NULL;
	uint32_t tmax = 1;
	bool present[PLOT_SPAN__COUNT] = { false };
	int k, bottom = PANELS_TOP + PANELS * PANEL_H + (PANELS - 1) * GAP, lx_ = LEFT;
	char *buf = NULL;
	FILE *f;

	for (i = 0; i < d->ns; i++)
		tmax = d->s[i].t_s > tmax ? d->s[i].t_s : tmax;
	for (i = 0; i < d->ne; i++)
		tmax = d->e[i].t_s > tmax ? d->e[i].t_s : tmax;
	if (m->rec && m->rec->duration_s > tmax)
		tmax = m->rec->duration_s;

	idx = calloc(maxidx, sizeof(*idx));
	lab = calloc(d->ne + 1, sizeof(*lab));
	lx = calloc(d->ne + 1, sizeof(*lx));
	lw = calloc(d->ne + 1, sizeof(*lw));
	f = idx && lab && lx && lw ? open_memstream(&buf, &len) : NULL;
	if (!f)
		goto out;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"12\">\n"
		"<title>Charge session %llu</title>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		W, H, W, H, (unsigned long long)m->id);
	title_block(f, d, m, tmax);

	/* spans behind everything, across the four panels */
	ns = plot_spans(d, tmax, NULL, 0);
	spans = calloc(ns + 1, sizeof(*spans));
	if (!spans) {
		fclose(f);
		free(buf);
		buf = NULL;
		goto out;
	}
	ns = plot_spans(d, tmax, spans, ns);
	for (i = 0; i < ns; i++) {
		double a = x_of(spans[i].from_s, tmax), b = x_of(spans[i].to_s, tmax);

		present[spans[i].kind] = true;
		fprintf(f, "<rect class=\"span\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
			"fill-opacity=\"0.35\"><title>", a, PANELS_TOP, b - a > 1 ? b - a : 1,
			bottom - PANELS_TOP, span_fill[spans[i].kind]);
		put_escaped(f, spans[i].what);
		fputs("</title></rect>\n", f);
	}
	for (k = 0; k < PANELS; k++)
		panel(f, d, &series[k], PANELS_TOP + k * (PANEL_H + GAP), tmax, idx, maxidx);

	/* events: a line from the bottom panel up to its label's lane */
	for (i = 0; i < d->ne; i++) {
		lx[i] = x_of(d->e[i].t_s, tmax);
		lw[i] = CHAR_W * strlen(d->e[i].label);
	}
	omitted = plot_place_labels(lx, lw, d->ne, LANES, 0, W, lab);
	for (i = 0; i < d->ne; i++) {
		int top = TITLE_H + (LANES - 1 - lab[i].lane) * LANE_H + 2;

		/* across each panel, not across the panels' names between them */
		fprintf(f, "<path class=\"event\" fill=\"none\" stroke=\"#444\" stroke-dasharray=\"4 3\" d=\"");
		if (lab[i].lane >= 0)
			fprintf(f, "M%.1f,%d L%.1f,%d ", lx[i], top, lx[i], LANES_BOTTOM);
		for (k = 0; k < PANELS; k++)
			fprintf(f, "M%.1f,%d L%.1f,%d ", lx[i], PANELS_TOP + k * (PANEL_H + GAP), lx[i],
				PANELS_TOP + k * (PANEL_H + GAP) + PANEL_H);
		fprintf(f, "\"/>\n");
		if (lab[i].lane < 0)
			continue;
		fprintf(f, "<text class=\"event-label\" x=\"%.1f\" y=\"%d\" font-size=\"10\"%s>", lx[i] +
			(lab[i].left ? -PLOT_LABEL_PAD : PLOT_LABEL_PAD), top + LANE_H - 3,
			lab[i].left ? " text-anchor=\"end\"" : "");
		put_escaped(f, d->e[i].label);
		fputs("</text>\n", f);
	}
	time_axis(f, m, tmax, bottom);

	/* the legend: what the shades mean, and the labels left out */
	for (k = 0; k < PLOT_SPAN__COUNT; k++) {
		if (!present[k])
			continue;
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\" fill-opacity=\"0.5\"/>"
			"<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n", lx_, H - 30,
			span_fill[k], lx_ + 16, H - 20, plot_span_name(k));
		lx_ += 16 + (int)(CHAR_W * 1.1 * strlen(plot_span_name(k))) + 18;
	}
	if (omitted)
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#666\">%zu event label%s left out "
			"where they would overlap (chargerctl history, the journal)</text>\n", LEFT, H - 4,
			omitted, omitted == 1 ? "" : "s");
	fprintf(f, "</svg>\n");
	if (fclose(f)) {
		free(buf);
		buf = NULL;
	}
out:
	free(spans);
	free(idx);
	free(lab);
	free(lx);
	free(lw);
	return buf;
}
