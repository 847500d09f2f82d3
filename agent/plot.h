/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charge-session plots: the samples chargerd keeps per session (capacity,
 * charge current, battery voltage and temperature over time, and the
 * policy and fault events) and their rendering as an SVG, so that support
 * can look at a session rather than read it.
 *
 * Samples live in the state directory as one text file per session,
 * "sessions/ID.samples", appended as the session goes ("S t cap ma mv dc"
 * and "E t label"); a torn last line is ignored when read. Only the last
 * PLOT_SESSIONS sessions keep theirs.
 */
#ifndef CHARGERD_PLOT_H
#define CHARGERD_PLOT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "history.h"

#define PLOT_SESSIONS	20
#define PLOT_LABEL_MAX	48
/*
 * The bounds of one samples file: at PLOT_FILE_LINES lines it is thinned
 * to half (every other sample, the last kept; at most PLOT_FILE_EVENTS
 * events, the first and the latest), and the writer samples half as often
 * from then on. 4096 lines of at most 60 bytes: 240 KiB per session, 20
 * sessions, whatever their length (a speaker docked for months).
 */
#define PLOT_FILE_LINES		4096
#define PLOT_FILE_EVENTS	256
/*
 * Past this a samples file is not read (-EFBIG): no line is longer than
 * an event's (its label, PLOT_LABEL_MAX, and a time), and a file holds
 * PLOT_FILE_LINES, with room to spare for lines written since.
 */
#define PLOT_FILE_MAX_BYTES	(2 * PLOT_FILE_LINES * (PLOT_LABEL_MAX + 32))
struct plot_sample {
	uint32_t t_s;		/* since the session's start */
	int32_t capacity;	/* %, -1 unknown */
	int32_t current_ma;	/* battery current, + charging, - draining; or the
				 * charger's (>= 0) where the gauge has none */
	int32_t voltage_mv;	/* battery */
	int32_t temp_dc;	/* 0.1 degC, INT32_MIN unknown */
};

struct plot_event {
	uint32_t t_s;
	char label[PLOT_LABEL_MAX];
};

struct plot_data {
	struct plot_sample *s;
	size_t ns, cap_s;
	struct plot_event *e;
	size_t ne, cap_e;
};

/* One line of a samples file, appended; 0 or -errno. */
int plot_append_sample(int fd, const struct plot_sample *s);
int plot_append_event(int fd, uint32_t t_s, const char *label);

/* Parse a samples file's text into d (which the caller frees with plot_free). */
int plot_parse(const char *text, size_t len, struct plot_data *d);
void plot_free(struct plot_data *d);

/*
 * Thin d in place to at most max_samples samples (every k-th, the first and
 * the last kept) and max_events events (the first half and the latest).
 */
void plot_thin(struct plot_data *d, size_t max_samples, size_t max_events);

/*
 * Rewrite the samples file name in dirfd thinned to half of PLOT_FILE_LINES
 * (plot_thin()), atomically (a temporary file renamed over it). Returns
 * the lines it now has, or -errno; *samples_thinned (if not NULL) says
 * whether the samples were thinned, not only the events (a flood of
 * events must not slow the sampling down).
 */
int plot_file_thin(int dirfd, const char *name, bool *samples_thinned);

/* --- the SVG (plot_svg.c) --- */

/* What the plot says about the session besides its samples. */
struct plot_meta {
	uint64_t id;
	bool in_progress;
	const struct session_record *rec;	/* the session's record, or NULL */
	bool wall_clock;	/* rec->start is a time (history_start_known()) */
	long utc_offset_s;	/* local time minus UTC, s (tm_gmtoff), for the axis */
	const char *diagnoses;	/* what is diagnosed now ("weak-source, cable"), or NULL:
				 * then what the session's "diagnosis: " events say */
};

/*
 * The session as an SVG for a person (a title block, four panels with
 * ticks and gridlines, a wall-clock and elapsed time axis, pauses and
 * faults shaded, labelled event lines). Each panel draws at most two
 * points per pixel column (plot_decimate()), however long the session.
 * A malloc'ed string, or NULL (no memory).
 */
char *plot_svg(const struct plot_data *d, const struct plot_meta *m);

/* A value axis: ticks at lo, lo + step, ..., hi (round numbers). */
struct plot_axis {
	double lo, hi, step;
};

/*
 * Round ticks covering [min, max] in about ticks steps: the step is 1, 2,
 * 2.5 or 5 times a power of ten, lo and hi multiples of it (lo <= min,
 * hi >= max). An empty range (min >= max) is widened by 1 each way.
 */
void plot_value_axis(double min, double max, int ticks, struct plot_axis *a);

/*
 * The time axis's step, s, for a span of span_s: the first round interval
 * (1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12 h; 1, 2,
 * 7, 14, 28 d; then doublings) that makes at most ticks intervals.
 */
uint32_t plot_time_step(uint32_t span_s, int ticks);

/*
 * Which samples draw one quantity (the int32 at offset off of struct
 * plot_sample) over columns pixel columns spanning 0..tmax s: for each
 * column, its lowest and its highest known value, in time order, so a
 * spike of one sample is never lost. Writes at most max indices into idx
 * (in time order) and returns their count: at most 2 x columns.
 */
size_t plot_decimate(const struct plot_data *d, size_t off, uint32_t tmax, unsigned int columns,
		     size_t *idx, size_t max);

/* A shaded span: a pause or a fault, from its events. */
enum plot_span_kind {
	PLOT_SPAN_HEAT,		/* thermal band hot-stop */
	PLOT_SPAN_COLD,		/* thermal band cold-stop */
	PLOT_SPAN_IN_USE,	/* "paused: in use" to "resumed" */
	PLOT_SPAN_FAULT,	/* "fault: CODE" to "fault cleared: CODE" */
	PLOT_SPAN__COUNT
};

struct plot_span {
	uint32_t from_s, to_s;
	enum plot_span_kind kind;
	char what[PLOT_LABEL_MAX];
};

const char *plot_span_name(enum plot_span_kind k);	/* "paused: too hot", ... */

/*
 * The spans of d's events, a span still open at the end lasting to end_s.
 * Writes at most max into out; returns how many there are (may be more).
 */
size_t plot_spans(const struct plot_data *d, uint32_t end_s, struct plot_span *out, size_t max);

/* Where an event's label goes: a lane (0 nearest the panels, -1 left out) and its box. */
struct plot_label {
	int lane;
	bool left;		/* drawn left of its line (at the right edge) */
	double a, b;		/* its box's horizontal extent, px */
};

#define PLOT_LABEL_PAD	3	/* px between a line and its label */
#define PLOT_LABEL_GAP	2	/* px kept clear around a label */

/*
 * Place the labels of n events at x (px, ascending), each w px wide, in
 * lanes stacked above the panels, each event's line reaching up to its
 * label's lane. No two labels of a lane overlap, no line crosses a label
 * it reaches (a line reaches the lanes up to its own), every box lies in
 * [xmin, xmax]; a label that fits nowhere is left out (lane -1: its line
 * stops at the panels). Returns how many were left out.
 */
size_t plot_place_labels(const double *x, const double *w, size_t n, int lanes, double xmin,
			 double xmax, struct plot_label *out);

/* A duration for a person: "45 s", "5 min", "1 h 05", "2 d 4 h". Returns its length. */
size_t plot_duration(uint32_t s, char *buf, size_t len);

#endif
