// SPDX-License-Identifier: GPL-2.0
/*
 * Session samples and their plot: what is appended reads back, a torn last
 * line is ignored, labels cannot inject markup, and the SVG has a line per
 * quantity and a marker per event.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
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

	svg = plot_svg(&d, "session <1> & co");
	ASSERT_NE(NULL, svg);
	EXPECT_EQ(0, strncmp(svg, "<?xml", 5));
	EXPECT_NE(NULL, strstr(svg, "</svg>\n"));
	EXPECT_EQ(4, count(svg, "<polyline"));
	EXPECT_EQ(2, count(svg, "stroke-dasharray"));
	EXPECT_NE(NULL, strstr(svg, "session &lt;1&gt; &amp; co") ?: strstr(svg, "session &lt;1> &amp; co"));
	EXPECT_NE(NULL, strstr(svg, "fault: input-ovp"));
	/* 59 samples with a temperature: one point each */
	EXPECT_EQ(NULL, strstr(svg, "<script"));
	free(svg);
	plot_free(&d);
}

/* The points of the first polyline of svg. */
static int points(const char *svg)
{
	const char *p = strstr(svg, "points=\""), *end;
	int n = 1;

	if (!p)
		return 0;
	end = strchr(p + 8, '"');
	for (p += 8; p < end; p++)
		n += *p == ' ';
	return n;
}

/*
 * Issue 18, item 10: a session of months (a docked speaker) is drawn with
 * a screen's worth of points, its first and its last among them.
 */
TEST(a_long_session_draws_a_screens_worth)
{
	struct plot_data d = { 0 };
	size_t i, n[] = { 2, PLOT_POINTS_MAX, PLOT_POINTS_MAX + 1, 3 * PLOT_POINTS_MAX - 1, 200000 };
	unsigned int k;
	char *svg;

	for (k = 0; k < sizeof(n) / sizeof(n[0]); k++) {
		d.s = calloc(n[k], sizeof(*d.s));
		ASSERT_NE(NULL, d.s);
		d.ns = n[k];
		for (i = 0; i < d.ns; i++)
			d.s[i] = (struct plot_sample){ (uint32_t)i * 60, 50, 900, 3900, 250 };
		svg = plot_svg(&d, "long");
		ASSERT_NE(NULL, svg);
		/* all of a short one; of a long one, at most a screen's, at least half */
		if (n[k] <= PLOT_POINTS_MAX)
			EXPECT_EQ((int)n[k], points(svg));
		EXPECT_GE(PLOT_POINTS_MAX, points(svg)) TH_LOG("%zu samples", n[k]);
		EXPECT_LE(PLOT_POINTS_MAX / 2, n[k] > PLOT_POINTS_MAX ? points(svg) : PLOT_POINTS_MAX);
		/* the last sample is drawn: the right edge */
		EXPECT_NE(NULL, strstr(svg, "880.0,")) TH_LOG("%zu samples", n[k]);
		free(svg);
		free(d.s);
	}
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
	svg = plot_svg(&d, "empty");
	ASSERT_NE(NULL, svg);
	EXPECT_EQ(0, count(svg, "<polyline"));
	free(svg);
	plot_free(&d);
}

TEST_HARNESS_MAIN
