// SPDX-License-Identifier: GPL-2.0
/*
 * The report as a page for a person (issue 21): the values of the JSON
 * report and the diagnoses are there, escaped; missing keys do not break
 * it; the page is self-contained (no script, nothing fetched); a plot
 * with a script is not inlined.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/plot.h"
#include "../../agent/report_html.h"

static const char report[] =
	"{ \"report_time\": 1764583200,"
	"  \"agent\": { \"version\": \"0.1.0\", \"kernel\": \"6.1.0-57-amd64\", \"uptime_s\": 3725 },"
	"  \"state\": { \"state\": \"charging\", \"online\": true, \"source_kind\": \"dcp\","
	"    \"health\": \"Good\", \"capacity\": 63, \"in_use\": false, \"paused\": \"\","
	"    \"thermal_band\": \"normal\", \"charge_current_percent\": 100,"
	"    \"charger\": { \"status\": \"Charging\", \"usb_type\": \"DCP\", \"charge_behaviour\": \"auto\" },"
	"    \"battery\": { \"voltage_now\": 3912000, \"current_now\": 950000, \"temp\": 251 } },"
	"  \"faults\": { \"active\": [ \"input-ovp\" ] },"
	"  \"sessions\": ["
	"    { \"id\": 12, \"start\": 1764583200, \"duration_s\": 2880, \"start_capacity\": 20,"
	"      \"end_capacity\": 78, \"energy_mwh\": 2100, \"charge_mah\": 540, \"peak_ma\": 1500,"
	"      \"source\": \"dcp\", \"usb_type\": \"DCP\", \"faults\": [ \"input-ovp\" ],"
	"      \"end_reason\": \"in-progress\" },"
	"    { \"id\": 11, \"start\": 1764500000, \"duration_s\": 40, \"start_capacity\": null,"
	"      \"end_capacity\": null, \"source\": \"<b>sdp</b>\", \"faults\": [],"
	"      \"end_reason\": \"unplugged\" } ] }";

static const char diag[] =
	"[ { \"code\": \"weak-source\", \"severity\": \"warning\", \"summary\": \"The source gives little\","
	"    \"evidence\": \"VBUS 4.41 V & input limit 500 mA\", \"fix\": \"Use a wall adapter\" } ]";

static char *page(const char *r, const char *d, const char *svg, bool wall)
{
	struct json_object *jr = json_tokener_parse(r), *jd = json_tokener_parse(d);
	struct report_html_opts o = { .wall_clock = wall, .utc_offset_s = 3600 };
	char *html = report_html(jr, jd, svg, &o);

	json_object_put(jr);
	json_object_put(jd);
	return html;
}

TEST(the_page_holds_the_reports_values)
{
	char *html = page(report, diag, "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><title>Charge session 12</title></svg>\n", true);

	ASSERT_NE(NULL, html);
	EXPECT_EQ(0, strncmp(html, "<!DOCTYPE html>", 15));
	EXPECT_NE(NULL, strstr(html, "</html>"));
	/* the state now */
	EXPECT_NE(NULL, strstr(html, "<td>charging</td>"));
	EXPECT_NE(NULL, strstr(html, "63 %, 3.91 V, +950 mA (+ charging), 25.1 \u00b0C"));
	EXPECT_NE(NULL, strstr(html, "<td>input-ovp</td>"));
	EXPECT_NE(NULL, strstr(html, "1 h 2 min"));
	/* the diagnosis, its evidence escaped, and what to do */
	EXPECT_NE(NULL, strstr(html, "data-code=\"weak-source\""));
	EXPECT_NE(NULL, strstr(html, "VBUS 4.41 V &amp; input limit 500 mA"));
	EXPECT_NE(NULL, strstr(html, "Use a wall adapter"));
	/* the sessions, in local time; unknown values as "-"; markup escaped */
	EXPECT_NE(NULL, strstr(html, "data-id=\"12\""));
	EXPECT_NE(NULL, strstr(html, "2025-12-01 11:00"));
	EXPECT_NE(NULL, strstr(html, "20 \u2192 78 %"));
	EXPECT_NE(NULL, strstr(html, "2100 mWh"));
	EXPECT_NE(NULL, strstr(html, "<td>- \u2192 -</td>"));
	EXPECT_NE(NULL, strstr(html, "&lt;b&gt;sdp&lt;/b&gt;"));
	EXPECT_EQ(NULL, strstr(html, "<b>sdp"));
	/* the plot inline, without its XML declaration */
	EXPECT_NE(NULL, strstr(html, "<svg xmlns"));
	EXPECT_EQ(NULL, strstr(html, "<?xml"));
	/* self-contained: nothing fetched, no script */
	EXPECT_EQ(NULL, strstr(html, "<script"));
	EXPECT_EQ(NULL, strstr(html, "src="));
	EXPECT_EQ(NULL, strstr(html, "href="));
	free(html);
}

/*
 * A start chargerd does not know for a time is null in the report (it
 * was stamped before the clock was synchronised): that row says so, the
 * others keep their dates (the page judged every row by the clock now).
 */
TEST(a_clock_never_set_shows_no_dates)
{
	char *unknown = strdup(report), *p = strstr(unknown, "\"start\": 1764583200");
	char *html;

	ASSERT_NE(NULL, p);
	memcpy(p + 9, "null      ", 10);
	html = page(unknown, diag, NULL, false);
	ASSERT_NE(NULL, html);
	EXPECT_EQ(NULL, strstr(html, "2025-12-01"));
	EXPECT_NE(NULL, strstr(html, "<td>unknown (clock not set)</td>"));
	/* session 11's start is known: 2025-11-30 10:53 UTC, shown at UTC+1 */
	EXPECT_NE(NULL, strstr(html, "<td>2025-11-30 11:53</td>"));
	EXPECT_NE(NULL, strstr(html, "No plot"));
	free(html);
	free(unknown);
}

TEST(nothing_wrong_and_nothing_known)
{
	char *html = page("{}", "[]", NULL, true);

	ASSERT_NE(NULL, html);
	EXPECT_NE(NULL, strstr(html, "No charging problem found."));
	EXPECT_NE(NULL, strstr(html, "No charge session yet."));
	free(html);
	/* not even JSON of the right shape */
	html = page("[1, 2]", "{\"code\": 5}", NULL, true);
	ASSERT_NE(NULL, html);
	EXPECT_NE(NULL, strstr(html, "</html>"));
	free(html);
}

TEST(a_plot_with_a_script_is_not_inlined)
{
	static const char *const bad[] = {
		"<svg><script>alert(1)</script></svg>",
		"<svg><a href=\"javascript:alert(1)\">x</a></svg>",
		"<svg onload=\"alert(1)\"></svg>",
		"<svg><rect ONCLICK=\"x()\"/></svg>",
		/* found by a review: what a blocklist let through */
		"<svg/onload=alert(1)></svg>",
		"<svg\nonload=\"alert(1)\"></svg>",
		"<svg onload =\"alert(1)\"></svg>",
		"<svg><image href=\"http://example.org/x.png\"/></svg>",
		"<svg><style>@import url(http://example.org/x.css)</style></svg>",
		"<svg><foreignObject><iframe srcdoc=\"x\"></iframe></foreignObject></svg>",
		"<svg><a href=\"jav&#x61;script:alert(1)\">x</a></svg>",
		"<svg></div><p>x</p></svg>",
		"<svg><!-- x --></svg>",
		"<svg><text fill=\"x\" onclick=\"x()\">t</text></svg>",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *html = page(report, diag, bad[i], true);

		ASSERT_NE(NULL, html);
		EXPECT_EQ(NULL, strstr(html, "alert(")) TH_LOG("%s", bad[i]);
		EXPECT_EQ(NULL, strstr(html, "x()")) TH_LOG("%s", bad[i]);
		EXPECT_EQ(NULL, strstr(html, "example.org")) TH_LOG("%s", bad[i]);
		EXPECT_EQ(NULL, strstr(html, "</div><p>x")) TH_LOG("%s", bad[i]);
		EXPECT_NE(NULL, strstr(html, "plot was left out")) TH_LOG("%s", bad[i]);
		free(html);
	}
	/* a plot whose text says "on" is fine */
	{
		char *html = page(report, diag, "<svg><text>charging on again</text></svg>", true);

		EXPECT_NE(NULL, strstr(html, "charging on again"));
		free(html);
	}
}

/* What plot_svg() draws passes the allowlist: the real plot is inlined. */
TEST(the_agents_own_plot_is_inlined)
{
	struct plot_sample s[3] = { { 0, 20, 900, 3900, 250 }, { 60, 21, -120, 3910, INT32_MIN },
				    { 120, 22, 900, 3920, 260 } };
	struct plot_event e[3] = { { 10, "plugged in: dcp" }, { 20, "hot-stop 0%" },
				   { 30, "fault: input-ovp" } };
	struct session_record rec = { .id = 5, .start = 1764583200, .duration_s = 120,
				      .source = "dcp", .usb_type = "DCP" };
	struct plot_data d = { .s = s, .ns = 3, .e = e, .ne = 3 };
	char *svg = plot_svg(&d, &(struct plot_meta){ .id = 5, .rec = &rec, .wall_clock = true,
						      .diagnoses = "weak-source" });
	char *html;

	ASSERT_NE(NULL, svg);
	html = page(report, diag, svg, true);
	ASSERT_NE(NULL, html);
	EXPECT_EQ(NULL, strstr(html, "plot was left out"));
	EXPECT_NE(NULL, strstr(html, ">Charge session 5<"));
	EXPECT_NE(NULL, strstr(html, "class=\"series\""));
	free(html);
	free(svg);
}

TEST_HARNESS_MAIN
