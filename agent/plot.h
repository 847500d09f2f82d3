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
#include <stdint.h>

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
/* The most points a panel draws: about one per pixel of its width. */
#define PLOT_POINTS_MAX		810

struct plot_sample {
	uint32_t t_s;		/* since the session's start */
	int32_t capacity;	/* %, -1 unknown */
	int32_t current_ma;	/* into the battery */
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

/*
 * The SVG of a session; title on top. Each panel draws at most
 * PLOT_POINTS_MAX points (a screen's worth), however long the session.
 * A malloc'ed string, or NULL.
 */
char *plot_svg(const struct plot_data *d, const char *title);

#endif
