// SPDX-License-Identifier: GPL-2.0
/*
 * Session samples and their plot: what is appended reads back, a torn last
 * line is ignored, labels cannot inject markup, and the SVG has a line per
 * quantity and a marker per event.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../agent/faults.h"
#include "../../agent/plot.h"

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

TEST(append_parse_render)
{
	char path[] = "/tmp/chargerd-plot-XXXXXX", text[8192];
	struct plot_sample s = { 0, 20, 950, 3700, 250 };
	struct plot_data d;
	ssize_t n;
	char *svg;
	int fd, i;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	for (i = 0; i < 60; i++) {
		s.t_s = i * 60;
		s.capacity = 20 + i;
		s.current_ma = i < 45 ? 950 : 950 - (i - 45) * 60;
		s.voltage_mv = 3700 + i * 10;
		s.temp_dc = i == 10 ? INT32_MIN : 250 + i;
		ASSERT_EQ(0, plot_append_sample(fd, &s));
		if (i == 30)
			ASSERT_EQ(0, plot_append_event(fd, s.t_s, "warm <50%> & \"x\"\nnext"));
	}
	ASSERT_EQ(0, plot_append_event(fd, 3500, "fault: input-ovp"));
	/* a torn last line */
	ASSERT_EQ(9, write(fd, "S 9999 10", 9));
	n = pread(fd, text, sizeof(text) - 1, 0);
	ASSERT_LT(0, n);
	close(fd);
	unlink(path);

	ASSERT_EQ(0, plot_parse(text, n, &d));
	EXPECT_EQ(60, d.ns);
	EXPECT_EQ(2, d.ne);
	EXPECT_EQ(3540, d.s[59].t_s);
	EXPECT_EQ(79, d.s[59].capacity);
	EXPECT_EQ(INT32_MIN, d.s[10].temp_dc);
	EXPECT_STREQ("warm  50%     x  next", d.e[0].label);
	EXPECT_STREQ("fault: input-ovp", d.e[1].label);

	svg = plot_svg(&d, &(struct plot_meta){ .id = 7 });
	ASSERT_NE(NULL, svg);
	EXPECT_EQ(0, strncmp(svg, "<?xml", 5));
	EXPECT_NE(NULL, strstr(svg, "</svg>\n"));
	EXPECT_EQ(4, count(svg, "class=\"series\""));
	EXPECT_EQ(2, count(svg, "class=\"event\""));
	EXPECT_NE(NULL, strstr(svg, "Charge session 7"));
	EXPECT_NE(NULL, strstr(svg, "fault: input-ovp"));
	/* the fault never cleared: shaded from 3500 s to the end */
	EXPECT_EQ(1, count(svg, "class=\"span\""));
	EXPECT_EQ(NULL, strstr(svg, "<script"));
	free(svg);
	plot_free(&d);
}

/* The points of the first series path of svg. */
static int points(const char *svg)
{
	const char *p = strstr(svg, "class=\"series\""), *end;
	int n = 0;

	if (!p || !(p = strstr(p, " d=\"")))
		return 0;
	end = strchr(p + 4, '"');
	for (p += 4; p < end; p++)
		n += *p == ',';
	return n;
}

/*
 * Issue 18, item 10, and issue 21: a session of months (a docked speaker)
 * is drawn with at most two points per pixel column, its first and its
 * last among them, and a spike of one sample survives.
 */
TEST(a_long_session_draws_a_screens_worth)
{
	struct plot_data d = { 0 };
	size_t i, n[] = { 2, 500, 1800, 5000, 200000 };
	unsigned int k;
	char *svg;

	for (k = 0; k < sizeof(n) / sizeof(n[0]); k++) {
		d.s = calloc(n[k], sizeof(*d.s));
		ASSERT_NE(NULL, d.s);
		d.ns = n[k];
		for (i = 0; i < d.ns; i++)
			d.s[i] = (struct plot_sample){ (uint32_t)i * 60, 50, 900, 3900, 250 };
		d.s[d.ns / 3].current_ma = 2500;	/* one sample's spike */
		svg = plot_svg(&d, &(struct plot_meta){ .id = 1 });
		ASSERT_NE(NULL, svg);
		/* all of a short one; of a long one, at most two a pixel column */
		if (n[k] <= 500)
			EXPECT_EQ((int)n[k], points(svg));
		EXPECT_GE(2 * 858, points(svg)) TH_LOG("%zu samples", n[k]);
		/* the first and the last sample are drawn: the edges */
		EXPECT_NE(NULL, strstr(svg, "M78.0,")) TH_LOG("%zu samples", n[k]);
		EXPECT_NE(NULL, strstr(svg, "L936.0,")) TH_LOG("%zu samples", n[k]);
		free(svg);
		free(d.s);
	}
}

/* plot_decimate keeps each column's extremes, in time order, within the bound. */
TEST(decimation_keeps_each_columns_extremes)
{
	struct plot_data d = { 0 };
	size_t idx[400], n, i, j, off = offsetof(struct plot_sample, current_ma);
	unsigned int cols = 100;

	d.ns = 100000;
	d.s = calloc(d.ns, sizeof(*d.s));
	ASSERT_NE(NULL, d.s);
	srand(7);
	for (i = 0; i < d.ns; i++)
		d.s[i] = (struct plot_sample){ (uint32_t)i, 50, rand() % 1000 - 500, 3900, 250 };
	d.s[4242].current_ma = 9999;
	d.s[77777].current_ma = -9999;
	n = plot_decimate(&d, off, d.s[d.ns - 1].t_s, cols, idx, sizeof(idx) / sizeof(idx[0]));
	EXPECT_GE(2 * cols, n);
	EXPECT_LE(cols, n);
	for (i = 1; i < n; i++)
		EXPECT_LT(idx[i - 1], idx[i]);
	for (i = 0, j = 0; i < n; i++)
		j += idx[i] == 4242 || idx[i] == 77777;
	EXPECT_EQ(2, j);
	EXPECT_EQ(0, idx[0] == 0 ? 0 : d.s[idx[0]].t_s * (cols - 1) / d.s[d.ns - 1].t_s);
	EXPECT_EQ(cols - 1, d.s[idx[n - 1]].t_s * (cols - 1) / d.s[d.ns - 1].t_s);
	/* unknown values are not drawn */
	for (i = 0; i < d.ns; i++)
		d.s[i].temp_dc = i % 2 ? INT32_MIN : 250;
	n = plot_decimate(&d, offsetof(struct plot_sample, temp_dc), d.s[d.ns - 1].t_s, cols, idx,
			  sizeof(idx) / sizeof(idx[0]));
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, idx[i] % 2);
	/* the bound holds even when it is smaller than the columns need */
	EXPECT_GE(10, plot_decimate(&d, off, d.s[d.ns - 1].t_s, cols, idx, 10));
	free(d.s);
}

/* Value ticks are round, cover the data, and number three to eight. */
TEST(value_ticks_are_round_and_cover_the_data)
{
	static const double r[][2] = {
		{ 0, 100 }, { 3.61, 4.19 }, { -950, 1800 }, { 21.5, 21.5 }, { 0.001, 0.0013 },
		{ -40, 85 }, { 3000, 3001 }, { -1, 0 }, { 123456, 654321 },
	};
	struct plot_axis a;
	unsigned int i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		double m, n;
		int ticks;

		plot_value_axis(r[i][0], r[i][1], 4, &a);
		ticks = (int)((a.hi - a.lo) / a.step + 0.5) + 1;
		EXPECT_GE(r[i][0], a.lo) TH_LOG("[%g, %g]", r[i][0], r[i][1]);
		EXPECT_LE(r[i][1], a.hi) TH_LOG("[%g, %g]", r[i][0], r[i][1]);
		EXPECT_LE(3, ticks) TH_LOG("[%g, %g]: %d", r[i][0], r[i][1], ticks);
		EXPECT_GE(8, ticks) TH_LOG("[%g, %g]: %d", r[i][0], r[i][1], ticks);
		/* the step is 1, 2, 2.5 or 5 x 10^k; lo and hi its multiples */
		n = a.step / pow(10, floor(log10(a.step)));
		EXPECT_TRUE(fabs(n - 1) < 1e-6 || fabs(n - 2) < 1e-6 || fabs(n - 2.5) < 1e-6 ||
			    fabs(n - 5) < 1e-6) TH_LOG("step %g", a.step);
		m = a.lo / a.step;
		EXPECT_LT(fabs(m - round(m)), 1e-6) TH_LOG("lo %g step %g", a.lo, a.step);
	}
}

/* Time steps are round intervals, whatever the session's length. */
TEST(time_ticks_are_round_whatever_the_length)
{
	static const uint32_t spans[] = { 1, 7, 48, 59, 600, 2843, 3 * 3600 + 5, 86399, 86400 * 3,
					  86400 * 40, 86400 * 400 };
	static const uint32_t round_[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
					   7200, 10800, 21600, 43200, 86400, 172800, 604800 };
	unsigned int i, j;

	for (i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		uint32_t st = plot_time_step(spans[i], 7);
		bool found = st % (28 * 86400) == 0;

		for (j = 0; j < sizeof(round_) / sizeof(round_[0]); j++)
			found |= st == round_[j];
		EXPECT_TRUE(found) TH_LOG("span %u: step %u", spans[i], st);
		EXPECT_GE(7, spans[i] / st) TH_LOG("span %u: step %u", spans[i], st);
		EXPECT_LE(2, spans[i] / st + 1) TH_LOG("span %u: step %u", spans[i], st);
	}
	EXPECT_EQ(10, plot_time_step(48, 7));
	EXPECT_EQ(30 * 60, plot_time_step(2 * 3600, 7));
	EXPECT_EQ(86400, plot_time_step(5 * 86400, 7));
}

/* Issue 21: "0 s" and "48 s" only, no ticks. Now round ticks, and wall-clock times. */
TEST(the_time_axis_has_round_ticks_in_wall_clock_time)
{
	struct session_record rec = { .id = 3, .start = 1764583200 + 17, .duration_s = 48 * 60 };
	struct plot_sample s[3] = { { 0, 50, 900, 3900, 250 }, { 1440, 60, 900, 4000, 260 },
				    { 2880, 70, 900, 4100, 270 } };
	struct plot_data d = { .s = s, .ns = 3 };
	char *svg;

	/* 2025-12-01 10:00:17 UTC, shown at UTC+1: ticks at 11:10, 11:20, ... */
	svg = plot_svg(&d, &(struct plot_meta){ .id = 3, .rec = &rec, .wall_clock = true,
						.utc_offset_s = 3600 });
	ASSERT_NE(NULL, svg);
	EXPECT_NE(NULL, strstr(svg, ">11:10<"));
	EXPECT_NE(NULL, strstr(svg, ">11:40<"));
	EXPECT_EQ(NULL, strstr(svg, ">11:00<"));	/* before the start */
	EXPECT_NE(NULL, strstr(svg, ">+10 min<"));	/* 11:10 is 9:43 in: to the minute */
	EXPECT_NE(NULL, strstr(svg, "UTC+01:00"));
	EXPECT_NE(NULL, strstr(svg, "2025-12-01 11:00"));
	free(svg);
	/* a clock not synchronised at the start: elapsed time only, at round intervals */
	svg = plot_svg(&d, &(struct plot_meta){ .id = 3, .rec = &rec });
	ASSERT_NE(NULL, svg);
	EXPECT_NE(NULL, strstr(svg, ">+0 s<"));
	EXPECT_NE(NULL, strstr(svg, ">+10 min<"));
	EXPECT_NE(NULL, strstr(svg, ">+40 min<"));
	EXPECT_EQ(NULL, strstr(svg, "11:10"));
	EXPECT_NE(NULL, strstr(svg, "clock was not synchronised then"));
	free(svg);
}

/* The title block says what the session was. */
TEST(the_title_block_describes_the_session)
{
	struct session_record rec = {
		.id = 12, .start = 1764583200, .duration_s = 2 * 3600 + 5 * 60, .energy_mwh = 1234,
		.charge_mah = 321, .start_capacity = 15, .end_capacity = 80,
		.faults = FAULT_BIT(FAULT_INPUT_OVP), .source = "dcp", .usb_type = "DCP",
		.end_reason = "unplugged",
	};
	struct plot_sample s = { 0, 15, 900, 3900, 250 };
	struct plot_data d = { .s = &s, .ns = 1 };
	char *svg;

	svg = plot_svg(&d, &(struct plot_meta){ .id = 12, .rec = &rec, .wall_clock = true,
						.diagnoses = "weak-source" });
	ASSERT_NE(NULL, svg);
	EXPECT_NE(NULL, strstr(svg, "Charge session 12<"));
	EXPECT_NE(NULL, strstr(svg, "source dcp, USB type DCP"));
	EXPECT_NE(NULL, strstr(svg, "2 h 5 min"));
	EXPECT_NE(NULL, strstr(svg, "15 % \u2192 80 %"));
	EXPECT_NE(NULL, strstr(svg, "1234 mWh"));
	EXPECT_NE(NULL, strstr(svg, "faults: input-ovp"));
	EXPECT_NE(NULL, strstr(svg, "diagnosed: weak-source"));
	EXPECT_NE(NULL, strstr(svg, "ended: unplugged"));
	/* capacity on 0-100 whatever the data; current from 0 */
	EXPECT_NE(NULL, strstr(svg, ">100<"));
	EXPECT_NE(NULL, strstr(svg, ">0<"));
	free(svg);
	/* a session that ended: what its events diagnosed, each once */
	{
		struct plot_event e[] = { { 1, "diagnosis: paused-heat" }, { 2, "hot 25%" },
					  { 3, "diagnosis: too-hot" }, { 4, "diagnosis: paused-heat" } };

		d.e = e;
		d.ne = 4;
		svg = plot_svg(&d, &(struct plot_meta){ .id = 12, .rec = &rec });
		ASSERT_NE(NULL, svg);
		EXPECT_NE(NULL, strstr(svg, "diagnosed: paused-heat, too-hot \u00b7")) TH_LOG("%s", svg);
		free(svg);
	}
}

/*
 * Found by a review: a session over days named no day, its end no date;
 * a 102 % capacity left its panel; one sample drew nothing; spans past
 * the 32nd were dropped; a flat voltage got a 3-5.5 V axis.
 */
TEST(days_edges_dots_and_many_spans)
{
	struct session_record rec = { .id = 4, .start = 1764583200, .duration_s = 3 * 86400 };
	struct plot_sample s[3] = { { 0, 50, 900, 3900, 250 }, { 86400, 102, 900, 3900, 250 },
				    { 3 * 86400, 60, 900, 3900, 250 } };
	struct plot_data d = { .s = s, .ns = 3 };
	struct plot_event *e;
	char *svg, *p;
	int i;

	svg = plot_svg(&d, &(struct plot_meta){ .id = 4, .rec = &rec, .wall_clock = true });
	ASSERT_NE(NULL, svg);
	EXPECT_NE(NULL, strstr(svg, "2025-12-01 10:00 \u2013 2025-12-04 10:00"));
	EXPECT_NE(NULL, strstr(svg, ">02 Dec 00:00<")) TH_LOG("%s", svg);
	/* the capacity line stays within its panel (its top edge) */
	p = strstr(svg, "class=\"series\"");
	ASSERT_NE(NULL, p);
	EXPECT_NE(NULL, strstr(p, "L364.0,167.0 ")) TH_LOG("%.300s", p);
	/* a flat voltage: an axis around it, 5 % each way, not +-1 V */
	EXPECT_NE(NULL, strstr(svg, ">4.1<"));
	EXPECT_EQ(NULL, strstr(svg, ">5.5<"));
	free(svg);

	/* one sample: a dot, not nothing */
	d.ns = 1;
	svg = plot_svg(&d, &(struct plot_meta){ .id = 4 });
	ASSERT_NE(NULL, svg);
	p = strstr(svg, "class=\"series\"");
	ASSERT_NE(NULL, p);
	EXPECT_NE(NULL, strstr(p, " L")) TH_LOG("%.300s", p);
	EXPECT_NE(NULL, strstr(svg, "stroke-linecap=\"round\""));
	free(svg);

	/* 100 faults raised and cleared: 100 spans */
	e = calloc(200, sizeof(*e));
	ASSERT_NE(NULL, e);
	for (i = 0; i < 200; i++) {
		e[i].t_s = i * 10;
		snprintf(e[i].label, sizeof(e[i].label), i % 2 ? "fault cleared: no-response" :
			 "fault: no-response");
	}
	d.e = e;
	d.ne = 200;
	d.ns = 3;
	svg = plot_svg(&d, &(struct plot_meta){ .id = 4 });
	ASSERT_NE(NULL, svg);
	EXPECT_EQ(100, count(svg, "class=\"span\""));
	EXPECT_NE(NULL, strstr(svg, "labels left out"));
	free(svg);
	free(e);
}

/* Pauses and faults become spans, from their events. */
TEST(pauses_and_faults_are_spans)
{
	struct plot_event e[] = {
		{ 10, "plugged in: dcp" }, { 20, "hot-stop 0%" }, { 25, "hot-stop 0%" },
		{ 40, "warm 50%" }, { 50, "paused: in use" }, { 60, "fault: input-ovp" },
		{ 70, "fault cleared: input-ovp" }, { 80, "resumed" }, { 90, "cold-stop 0%" },
		{ 95, "fault: no-response" }, { 99, "fault cleared: bogus" },
	};
	struct plot_data d = { .e = e, .ne = sizeof(e) / sizeof(e[0]) };
	struct plot_span sp[10];
	size_t n;

	n = plot_spans(&d, 120, sp, 10);
	ASSERT_EQ(5, n);
	EXPECT_EQ(PLOT_SPAN_HEAT, sp[0].kind);
	EXPECT_EQ(20, sp[0].from_s);
	EXPECT_EQ(40, sp[0].to_s);
	EXPECT_EQ(PLOT_SPAN_FAULT, sp[1].kind);
	EXPECT_EQ(60, sp[1].from_s);
	EXPECT_EQ(70, sp[1].to_s);
	EXPECT_STREQ("fault: input-ovp", sp[1].what);
	EXPECT_EQ(PLOT_SPAN_IN_USE, sp[2].kind);
	EXPECT_EQ(50, sp[2].from_s);
	EXPECT_EQ(80, sp[2].to_s);
	/* still open at the end: to the end */
	EXPECT_EQ(PLOT_SPAN_COLD, sp[3].kind);
	EXPECT_EQ(90, sp[3].from_s);
	EXPECT_EQ(120, sp[3].to_s);
	EXPECT_EQ(PLOT_SPAN_FAULT, sp[4].kind);
	EXPECT_EQ(95, sp[4].from_s);
	EXPECT_EQ(120, sp[4].to_s);
	/* more than there is room for: counted, not written past */
	EXPECT_EQ(5, plot_spans(&d, 120, sp, 2));
}

/*
 * Issue 21: labels were drawn on their own marker lines. Now: no two
 * labels of a lane overlap, no line crosses a label it reaches, every
 * label on the canvas; over random and crowded events.
 */
TEST(event_labels_collide_with_nothing)
{
	double x[60], w[60];
	struct plot_label l[60];
	unsigned int round_, n, i, k, placed;

	srand(21);
	for (round_ = 0; round_ < 500; round_++) {
		n = 1 + rand() % 60;
		for (i = 0; i < n; i++) {
			x[i] = 78 + rand() % 858;
			w[i] = 6.1 * (5 + rand() % 25);
		}
		for (i = 1; i < n; i++)	/* ascending, as events are in time */
			for (k = i; k > 0 && x[k - 1] > x[k]; k--) {
				double t = x[k];

				x[k] = x[k - 1];
				x[k - 1] = t;
			}
		placed = n - plot_place_labels(x, w, n, 5, 0, 960, l);
		for (i = 0; i < n; i++) {
			if (l[i].lane < 0)
				continue;
			ASSERT_LE(0, l[i].a);
			ASSERT_GE(960, l[i].b);
			/* beside its own line, not on it */
			ASSERT_TRUE(l[i].b < x[i] || l[i].a > x[i]);
			for (k = 0; k < n; k++) {
				if (k == i || l[k].lane < 0)
					continue;
				if (l[k].lane == l[i].lane)
					ASSERT_TRUE(l[k].b < l[i].a || l[i].b < l[k].a)
						TH_LOG("round %u: %u and %u overlap", round_, i, k);
				if (l[k].lane >= l[i].lane)
					ASSERT_FALSE(x[k] >= l[i].a && x[k] <= l[i].b)
						TH_LOG("round %u: line %u crosses label %u", round_, k, i);
			}
		}
		/* the first always finds a place */
		EXPECT_LE(1, placed) TH_LOG("round %u", round_);
	}
	/* sparse events are all labelled; the right edge's go to the left */
	for (i = 0; i < 6; i++) {
		x[i] = 100 + i * 160;
		w[i] = 90;
	}
	EXPECT_EQ(0, plot_place_labels(x, w, 6, 5, 0, 960, l));
	EXPECT_TRUE(l[5].left);
	/* the same instant eleven times: five lanes, each side, one left out */
	for (i = 0; i < 11; i++) {
		x[i] = 400;
		w[i] = 90;
	}
	EXPECT_EQ(1, plot_place_labels(x, w, 11, 5, 0, 960, l));
}

/* plot_thin keeps the first and the last, and at most what it is asked. */
TEST(thinning_keeps_the_ends_and_the_bound)
{
	struct plot_data d = { 0 };
	size_t i, max;

	for (max = 2; max < 50; max += 7) {
		d.s = calloc(1000, sizeof(*d.s));
		d.e = calloc(300, sizeof(*d.e));
		ASSERT_NE(NULL, d.s);
		ASSERT_NE(NULL, d.e);
		d.ns = 1000;
		d.ne = 300;
		for (i = 0; i < d.ns; i++)
			d.s[i].t_s = i;
		for (i = 0; i < d.ne; i++)
			d.e[i].t_s = i;
		plot_thin(&d, max, 10);
		EXPECT_GE(max, d.ns);
		EXPECT_LE(max - 1, d.ns);
		EXPECT_EQ(0, d.s[0].t_s);
		EXPECT_EQ(999, d.s[d.ns - 1].t_s);
		for (i = 1; i < d.ns; i++)
			EXPECT_LT(d.s[i - 1].t_s, d.s[i].t_s);
		ASSERT_EQ(10, d.ne);
		EXPECT_EQ(0, d.e[0].t_s);
		EXPECT_EQ(4, d.e[4].t_s);
		EXPECT_EQ(295, d.e[5].t_s);
		EXPECT_EQ(299, d.e[9].t_s);
		plot_free(&d);
	}
}

/* A samples file at its bound is rewritten to half, atomically. */
TEST(a_samples_file_at_its_bound_is_halved)
{
	char dir[] = "/tmp/chargerd-plot-XXXXXX", tmp[64];
	struct plot_sample s = { 0, 50, 900, 3900, 250 };
	struct plot_data d;
	char *text;
	int dirfd, fd, i, lines;
	bool thinned = false;
	off_t size;

	ASSERT_NE(NULL, mkdtemp(dir));
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dirfd);
	fd = openat(dirfd, "1.samples", O_WRONLY | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	for (i = 0; i < PLOT_FILE_LINES - 300; i++) {
		s.t_s = i;
		ASSERT_EQ(0, plot_append_sample(fd, &s));
	}
	for (i = 0; i < 300; i++)
		ASSERT_EQ(0, plot_append_event(fd, PLOT_FILE_LINES + i, "fault: input-collapse"));
	close(fd);
	lines = plot_file_thin(dirfd, "1.samples", &thinned);
	EXPECT_TRUE(thinned);
	EXPECT_GE(PLOT_FILE_LINES / 2, lines);
	EXPECT_LT(PLOT_FILE_LINES / 4, lines);
	snprintf(tmp, sizeof(tmp), "%s/1.samples.tmp", dir);
	EXPECT_NE(0, access(tmp, F_OK));
	fd = openat(dirfd, "1.samples", O_RDONLY);
	ASSERT_LE(0, fd);
	size = lseek(fd, 0, SEEK_END);
	text = malloc(size);
	ASSERT_EQ(size, pread(fd, text, size, 0));
	close(fd);
	ASSERT_EQ(0, plot_parse(text, size, &d));
	EXPECT_EQ(lines, (int)(d.ns + d.ne));
	EXPECT_EQ(PLOT_FILE_EVENTS, d.ne);
	EXPECT_EQ(0, d.s[0].t_s);
	EXPECT_EQ(PLOT_FILE_LINES - 301, d.s[d.ns - 1].t_s);
	EXPECT_EQ(PLOT_FILE_LINES + 299, d.e[d.ne - 1].t_s);
	plot_free(&d);
	free(text);
	/* a flood of events: they are cut, the samples kept as they are */
	fd = openat(dirfd, "3.samples", O_WRONLY | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	for (i = 0; i < 100; i++) {
		s.t_s = i;
		ASSERT_EQ(0, plot_append_sample(fd, &s));
	}
	for (i = 0; i < PLOT_FILE_LINES; i++)
		ASSERT_EQ(0, plot_append_event(fd, 100 + i, "fault: input-fault"));
	close(fd);
	lines = plot_file_thin(dirfd, "3.samples", &thinned);
	EXPECT_FALSE(thinned);
	EXPECT_EQ(100 + PLOT_FILE_EVENTS, lines);
	unlinkat(dirfd, "3.samples", 0);
	/* a missing file: an error, nothing made */
	EXPECT_EQ(-ENOENT, plot_file_thin(dirfd, "2.samples", NULL));
	unlinkat(dirfd, "1.samples", 0);
	close(dirfd);
	rmdir(dir);
}

TEST(garbage_and_empty)
{
	const char junk[] = "S 1 2\nE\nE 5\nX 1 2 3 4 5\nS a b c d e\nS 1 2 3 4 5 6\n\n";
	struct plot_data d;
	char *svg;

	ASSERT_EQ(0, plot_parse(junk, sizeof(junk) - 1, &d));
	EXPECT_EQ(0, d.ns);
	EXPECT_EQ(0, d.ne);
	svg = plot_svg(&d, &(struct plot_meta){ 0 });
	ASSERT_NE(NULL, svg);
	EXPECT_EQ(4, count(svg, "not measured"));
	free(svg);
	plot_free(&d);
}

TEST_HARNESS_MAIN
