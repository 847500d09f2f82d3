// SPDX-License-Identifier: GPL-2.0
/*
 * The support report as one page for a person: one self-contained HTML
 * file (inline style, inline SVG, no script, nothing fetched) with the
 * device and its state now, the diagnoses with their evidence and what to
 * do, the faults, the last sessions as a table and one session's plot.
 *
 * Pure: the JSON report (GetReport), the diagnoses (Diagnose, as
 * chargerctl --json diagnose prints them) and the SVG in, the HTML out.
 * Every value from them is escaped; a missing key shows as "-".
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_html.h"

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
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
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* The value at a path of keys ("state", "battery", "temp"), or NULL. */
static struct json_object *at(struct json_object *o, const char *const *path)
{
	for (; o && *path; path++)
		if (!json_object_object_get_ex(o, *path, &o))
			return NULL;
	return o;
}

#define AT(o, ...) at((o), (const char *const[]){ __VA_ARGS__, NULL })

/* A value as text: strings as they are, numbers and booleans printed, null "-". */
static void val(FILE *f, struct json_object *v)
{
	if (!v || json_object_is_type(v, json_type_null))
		fputs("-", f);
	else if (json_object_is_type(v, json_type_string))
		esc(f, json_object_get_string(v)[0] ? json_object_get_string(v) : "-");
	else if (json_object_is_type(v, json_type_boolean))
		fputs(json_object_get_boolean(v) ? "yes" : "no", f);
	else
		esc(f, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

static bool num(struct json_object *v, int64_t *out)
{
	if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

/* A number scaled into a unit ("%.2f V" from uV), or "-". */
static void scaled(FILE *f, struct json_object *v, double scale, const char *fmt)
{
	int64_t n;

	if (num(v, &n))
		fprintf(f, fmt, (double)n * scale);
	else
		fputs("-", f);
}

static void row(FILE *f, const char *name, struct json_object *v)
{
	fprintf(f, "<tr><th>%s</th><td>", name);
	val(f, v);
	fputs("</td></tr>\n", f);
}

static void duration(FILE *f, int64_t s)
{
	if (s < 60)
		fprintf(f, "%" PRId64 " s", s);
	else if (s < 3600)
		fprintf(f, "%" PRId64 " min", s / 60);
	else if (s < 86400)
		fprintf(f, "%" PRId64 " h %" PRId64 " min", s / 3600, s % 3600 / 60);
	else
		fprintf(f, "%" PRId64 " d %" PRId64 " h", s / 86400, s % 86400 / 3600);
}

static void when(FILE *f, int64_t t, long utc_offset_s, bool wall_clock)
{
	time_t tt = (time_t)(t + utc_offset_s);
	struct tm tm;
	char buf[32];

	if (!wall_clock || !gmtime_r(&tt, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm))
		fputs("unknown (clock not set)", f);
	else
		fputs(buf, f);
}

/* An array of strings as "a, b", or "none". */
static void list(FILE *f, struct json_object *a)
{
	size_t i, n = a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;

	for (i = 0; i < n; i++) {
		fputs(i ? ", " : "", f);
		val(f, json_object_array_get_idx(a, i));
	}
	if (!n)
		fputs("none", f);
}

static const char style[] =
	"body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:24px;color:#222;max-width:1000px}"
	"h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid #ccc}"
	".sub{color:#666;font-size:13px}table{border-collapse:collapse;font-size:13px}"
	"th,td{text-align:left;padding:3px 10px 3px 0;vertical-align:top}"
	"table.grid th,table.grid td{border-bottom:1px solid #eee;padding:3px 8px}"
	".fault{color:#b00020;font-weight:bold}.warning{color:#a15c00;font-weight:bold}"
	".info{color:#0b5394;font-weight:bold}.ok{color:#276b00;font-weight:bold}"
	".diag{border-left:4px solid #ccc;padding:4px 12px;margin:8px 0}"
	".diag.fault{border-color:#b00020}.diag.warning{border-color:#e69500}"
	".diag p{margin:3px 0;font-weight:normal;color:#222}svg{max-width:100%;height:auto}";

static void now_section(FILE *f, struct json_object *r)
{
	struct json_object *st = AT(r, "state");
	int64_t t;

	fputs("<h2>The device now</h2>\n<table id=\"state\">\n", f);
	row(f, "state", AT(st, "state"));
	row(f, "external power", AT(st, "online"));
	row(f, "source", AT(st, "source_kind"));
	row(f, "USB type", AT(st, "charger", "usb_type"));
	fputs("<tr><th>battery</th><td>", f);
	scaled(f, AT(st, "capacity"), 1, "%.0f %%");
	fputs(", ", f);
	scaled(f, AT(st, "battery", "voltage_now"), 1e-6, "%.2f V");
	fputs(", ", f);
	scaled(f, AT(st, "battery", "current_now"), 1e-3, "%+.0f mA (+ charging)");
	fputs(", ", f);
	scaled(f, AT(st, "battery", "temp"), 0.1, "%.1f \u00b0C");
	fputs("</td></tr>\n", f);
	row(f, "charger status", AT(st, "charger", "status"));
	row(f, "charger health", AT(st, "health"));
	row(f, "charging", AT(st, "charger", "charge_behaviour"));
	fputs("<tr><th>charge current</th><td>", f);
	scaled(f, AT(st, "charge_current_percent"), 1, "%.0f %% of the board's");
	fputs(" (thermal band ", f);
	val(f, AT(st, "thermal_band"));
	fputs(")</td></tr>\n", f);
	row(f, "paused", AT(st, "paused"));
	row(f, "in use", AT(st, "in_use"));
	fputs("<tr><th>active faults</th><td>", f);
	list(f, AT(r, "faults", "active"));
	fputs("</td></tr>\n<tr><th>chargerd</th><td>", f);
	val(f, AT(r, "agent", "version"));
	fputs(" on Linux ", f);
	val(f, AT(r, "agent", "kernel"));
	fputs(", running for ", f);
	if (num(AT(r, "agent", "uptime_s"), &t))
		duration(f, t);
	else
		fputs("-", f);
	fputs("</td></tr>\n</table>\n", f);
}

static void diagnosis_section(FILE *f, struct json_object *diag)
{
	size_t i, n = diag && json_object_is_type(diag, json_type_array) ?
		      json_object_array_length(diag) : 0;

	fputs("<h2>What is wrong, and what to do</h2>\n<div id=\"diagnosis\">\n", f);
	if (!n)
		fputs("<p class=\"ok\">No charging problem found.</p>\n", f);
	for (i = 0; i < n; i++) {
		struct json_object *g = json_object_array_get_idx(diag, i);
		const char *sev = json_object_get_string(AT(g, "severity"));

		fputs("<div class=\"diag ", f);
		esc(f, sev && (!strcmp(sev, "fault") || !strcmp(sev, "warning")) ? sev : "info");
		fputs("\" data-code=\"", f);
		val(f, AT(g, "code"));
		fprintf(f, "\">%zu. <span class=\"code\">", i + 1);
		val(f, AT(g, "code"));
		fputs("</span> (", f);
		val(f, AT(g, "severity"));
		fputs(")<p>", f);
		val(f, AT(g, "summary"));
		fputs("</p><p><b>Evidence:</b> <span class=\"evidence\">", f);
		val(f, AT(g, "evidence"));
		fputs("</span></p><p><b>What to do:</b> ", f);
		val(f, AT(g, "fix"));
		fputs("</p></div>\n", f);
	}
	fputs("</div>\n", f);
}

static void sessions_section(FILE *f, struct json_object *r, const struct report_html_opts *o)
{
	struct json_object *a = AT(r, "sessions");
	size_t i, n = a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
	int64_t v = 0;
	bool known;

	fputs("<h2>Charge sessions, the latest first</h2>\n", f);
	if (!n) {
		fputs("<p>No charge session yet.</p>\n", f);
		return;
	}
	fputs("<table class=\"grid\" id=\"sessions\">\n<tr><th>id</th><th>start</th><th>duration</th>"
	      "<th>capacity</th><th>energy</th><th>charge</th><th>peak</th><th>source</th>"
	      "<th>faults</th><th>ended</th></tr>\n", f);
	for (i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(a, i);

		fputs("<tr class=\"session\" data-id=\"", f);
		val(f, AT(s, "id"));
		fputs("\"><td>", f);
		val(f, AT(s, "id"));
		fputs("</td><td>", f);
		/* null: chargerd does not know it for a time (report.c) */
		known = num(AT(s, "start"), &v);
		when(f, known ? v : 0, o->utc_offset_s, known);
		fputs("</td><td>", f);
		if (num(AT(s, "duration_s"), &v))
			duration(f, v);
		fputs("</td><td>", f);
		scaled(f, AT(s, "start_capacity"), 1, "%.0f");
		fputs(" \u2192 ", f);
		scaled(f, AT(s, "end_capacity"), 1, "%.0f %%");
		fputs("</td><td>", f);
		scaled(f, AT(s, "energy_mwh"), 1, "%.0f mWh");
		fputs("</td><td>", f);
		scaled(f, AT(s, "charge_mah"), 1, "%.0f mAh");
		fputs("</td><td>", f);
		scaled(f, AT(s, "peak_ma"), 1, "%.0f mA");
		fputs("</td><td>", f);
		val(f, AT(s, "source"));
		fputs(" / ", f);
		val(f, AT(s, "usb_type"));
		fputs("</td><td class=\"faults\">", f);
		list(f, AT(s, "faults"));
		fputs("</td><td>", f);
		val(f, AT(s, "end_reason"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static bool in(const char *word, size_t len, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == len && !strncmp(word, *set, len))
			return true;
	return false;
}

/* At s: an entity plot_svg() writes (&lt; &gt; &amp; &quot;); its length, or 0. */
static size_t entity(const char *s)
{
	static const char *const ok[] = { "&lt;", "&gt;", "&amp;", "&quot;", NULL };
	const char *const *e;

	for (e = ok; *e; e++)
		if (!strncmp(s, *e, strlen(*e)))
			return strlen(*e);
	return 0;
}

/*
 * svg is made only of what plot_svg() draws: its elements and attributes
 * (an allowlist), quoted values, its four entities, and text. Anything
 * else (a script, an event handler, a link, a style, a foreign element,
 * a comment, a stray '<') and the plot is not inlined: an allowlist, not
 * a hunt for what a browser would run.
 */
static bool svg_is_plain(const char *svg)
{
	static const char *const tags[] = { "svg", "title", "rect", "text", "line", "path", NULL };
	static const char *const attrs[] = {
		"xmlns", "width", "height", "viewBox", "font-family", "font-size", "font-weight",
		"x", "y", "x1", "y1", "x2", "y2", "fill", "fill-opacity", "stroke", "stroke-width",
		"stroke-dasharray", "stroke-linecap", "stroke-linejoin", "d", "class", "text-anchor",
		NULL,
	};
	const char *p = svg, *w;
	size_t n;

	while (*p) {
		if (*p == '&') {
			if (!(n = entity(p)))
				return false;
			p += n;
			continue;
		}
		if (*p++ != '<')
			continue;
		if (*p == '/')
			p++;
		for (w = p; (*p >= 'a' && *p <= 'z'); p++)
			;
		if (!in(w, p - w, tags))
			return false;
		for (;;) {
			if (*p != ' ' && *p != '>' && !(p[0] == '/' && p[1] == '>'))
				return false;
			while (*p == ' ')
				p++;
			if (*p == '>' || (p[0] == '/' && p[1] == '>'))
				break;
			for (w = p; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-'
			     || (*p >= '0' && *p <= '9'); p++)
				;
			if (!in(w, p - w, attrs) || p[0] != '=' || p[1] != '"')
				return false;
			for (p += 2; *p && *p != '"'; p += n ? n : 1) {
				n = 0;
				if (*p == '<' || *p == '>' || (*p == '&' && !(n = entity(p))))
					return false;
			}
			if (*p++ != '"')
				return false;
		}
		p += *p == '/' ? 2 : 1;
	}
	return true;
}

char *report_html(struct json_object *report, struct json_object *diagnoses, const char *svg,
		  const struct report_html_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	int64_t t;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width\">\n"
		"<title>Charger report</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<h1>Charger report</h1>\n<p class=\"sub\">", style);
	if (num(AT(report, "report_time"), &t)) {
		fputs("made at ", f);
		when(f, t, o->utc_offset_s, o->wall_clock);
		fputs(" \u00b7 ", f);
	}
	fputs("for support: <code>chargerctl report</code> gives the same as JSON</p>\n", f);
	now_section(f, report);
	diagnosis_section(f, diagnoses);
	sessions_section(f, report, o);
	fputs("<h2>The session's plot</h2>\n<div id=\"plot\">\n", f);
	/* inlined only if it is made of what plot_svg() draws and nothing else */
	if (svg && (svg = strstr(svg, "<svg")) && svg_is_plain(svg))
		fputs(svg, f);
	else if (svg)
		fputs("<p>The plot was left out: it holds markup a report does not show.</p>\n", f);
	else
		fputs("<p>No plot: this session has no samples.</p>\n", f);
	fputs("</div>\n</body>\n</html>\n", f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
