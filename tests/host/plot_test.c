// SPDX-License-Identifier: GPL-2.0
/*
 * Session samples and their plot: what is appended reads back, a torn last
 * line is ignored, labels cannot inject markup, and the SVG has a line per
 * quantity and a marker per event.
 */
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
