/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The support report as one self-contained HTML page for a person
 * (report_html.c); the JSON report stays what machines read.
 */
#ifndef CHARGERD_REPORT_HTML_H
#define CHARGERD_REPORT_HTML_H

#include <stdbool.h>
#include <json-c/json.h>

struct report_html_opts {
	bool wall_clock;	/* the clock is synchronised: the report's time is real */
	long utc_offset_s;	/* local time minus UTC, s, for the times shown */
};

/*
 * The page: report is GetReport's JSON (its "state", "agent", "faults",
 * "sessions", "report_time"), diagnoses the array of Diagnose's results
 * (objects with "code", "severity", "summary", "evidence", "fix"), svg
 * GetPlot's SVG or NULL (inlined only if it is made of plot_svg()'s
 * elements and attributes alone). Any of them may lack keys: a missing
 * value shows as "-" or is left empty. A malloc'ed string, or NULL (no
 * memory).
 */
char *report_html(struct json_object *report, struct json_object *diagnoses, const char *svg,
		  const struct report_html_opts *o);

#endif
