// SPDX-License-Identifier: GPL-2.0
/*
 * The pages the browser check renders: a charge session as chargerd keeps
 * it (48 minutes from a wall adapter with a weak-source diagnosis, a heat
 * pause, music in use and a short input over-voltage), drawn by
 * plot_svg(), and the report page around it by report_html(), both from
 * the agent's own code. Writes DIR/charge-session.svg and DIR/report.html.
 * With --console-error, the page also logs an error to the console: the
 * check's proof that it notices one.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../agent/faults.h"
#include "../../agent/plot.h"
#include "../../agent/report_html.h"

static const char report[] =
	"{ \"report_time\": 1764586200,"
	"  \"agent\": { \"version\": \"0.1.0\", \"kernel\": \"6.1.0-57-amd64\", \"uptime_s\": 3725 },"
	"  \"state\": { \"state\": \"charging\", \"online\": true, \"source_kind\": \"dcp\","
	"    \"health\": \"Good\", \"capacity\": 78, \"in_use\": false, \"paused\": \"\","
	"    \"thermal_band\": \"normal\", \"charge_current_percent\": 100,"
	"    \"charger\": { \"status\": \"Charging\", \"usb_type\": \"DCP\", \"charge_behaviour\": \"auto\" },"
	"    \"battery\": { \"voltage_now\": 4180000, \"current_now\": 1000000, \"temp\": 288 } },"
	"  \"faults\": { \"active\": [] },"
	"  \"sessions\": ["
	"    { \"id\": 12, \"start\": 1764583217, \"duration_s\": 2880, \"start_capacity\": 20,"
	"      \"end_capacity\": 78, \"energy_mwh\": 2100, \"charge_mah\": 540, \"peak_ma\": 1000,"
	"      \"source\": \"dcp\", \"usb_type\": \"DCP\", \"faults\": [ \"input-ovp\" ],"
	"      \"end_reason\": \"in-progress\" },"
	"    { \"id\": 11, \"start\": 1764500000, \"duration_s\": 5400, \"start_capacity\": 35,"
	"      \"end_capacity\": 100, \"energy_mwh\": 2900, \"charge_mah\": 760, \"peak_ma\": 1500,"
	"      \"source\": \"sdp\", \"usb_type\": \"SDP\", \"faults\": [], \"end_reason\": \"unplugged\" } ] }";

static const char diagnoses[] =
	"[ { \"code\": \"weak-source\", \"severity\": \"warning\","
	"    \"summary\": \"The power source gives less than the device can take\","
	"    \"evidence\": \"VBUS 4.41 V under load, input limit 500 mA\","
	"    \"fix\": \"Use the wall adapter that came with it, not a laptop port or hub\" } ]";

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct plot_sample s[2881];
	struct plot_event e[] = {
		{ 0, "plugged in: dcp" }, { 2, "diagnosis: weak-source" }, { 600, "warm 50%" },
		{ 900, "hot-stop 0%" }, { 1300, "normal 100%" }, { 1800, "paused: in use" },
		{ 2100, "fault: input-ovp" }, { 2110, "fault cleared: input-ovp" }, { 2400, "resumed" },
	};
	struct session_record rec = {
		.id = 12, .start = 1764583217, .duration_s = 2880, .energy_mwh = 2100, .charge_mah = 540,
		.start_capacity = 20, .end_capacity = 78, .faults = FAULT_BIT(FAULT_INPUT_OVP),
		.source = "dcp", .usb_type = "DCP",
	};
	struct plot_data d = { .s = s, .ns = 2881, .e = e, .ne = sizeof(e) / sizeof(e[0]) };
	struct plot_meta m = { .id = 12, .in_progress = true, .rec = &rec, .wall_clock = true,
			       .diagnoses = "weak-source" };
	struct report_html_opts o = { .wall_clock = true };
	struct json_object *jr = json_tokener_parse(report), *jd = json_tokener_parse(diagnoses);
	char *svg, *html;
	int i;

	if (argc < 2 || !jr || !jd) {
		fprintf(stderr, "usage: report_page DIR [--console-error]\n");
		return 2;
	}
	for (i = 0; i <= 2880; i++) {
		int paused = (i >= 900 && i < 1300) || (i >= 1800 && i < 2400);

		s[i] = (struct plot_sample){ (uint32_t)i, 20 + i * 58 / 2880,
					     paused ? -120 : i >= 600 && i < 900 ? 500 : 1000,
					     3700 + i / 6, 250 + (i < 1000 ? i / 10 : 100 - (i - 1000) / 30) };
	}
	svg = plot_svg(&d, &m);
	html = svg ? report_html(jr, jd, svg, &o) : NULL;
	if (!html)
		return 1;
	if (argc > 2 && !strcmp(argv[2], "--console-error")) {
		char *p = strstr(html, "</body>");

		if (!p || asprintf(&p, "%.*s<script>console.error('planted error')</script>%s",
				   (int)(p - html), html, p) < 0)
			return 1;
		free(html);
		html = p;
	}
	if (write_file(argv[1], "charge-session.svg", svg) || write_file(argv[1], "report.html", html))
		return 1;
	free(svg);
	free(html);
	json_object_put(jr);
	json_object_put(jd);
	return 0;
}
