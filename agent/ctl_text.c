// SPDX-License-Identifier: GPL-2.0
/*
 * chargerctl status and history as text: what a person (or support staff
 * on the phone) reads. Every value chargerd cannot know shows as
 * "unknown" (or "?" in history's table), never as a number: a
 * charger without a voltage or current attribute is common (a USB port's
 * supply, an older driver), and "VBUS -0.00 V" or "0 mA" would read as a
 * measurement.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "faults.h"
#include "policy.h"
#include "ctl_text.h"

long long jnum(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;
	const char *s;

	s = json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
	return s && *s ? s : "-";
}

/* A current in uA as mA; -1 is unknown (a charger may report others < 0). */
static void milliamps(FILE *f, long long ua)
{
	if (ua == -1)
		fputs("unknown", f);
	else
		fprintf(f, "%lld mA", ua / 1000);
}

/* A voltage or limit in uV as V; none is below 0, so any such is unknown. */
static void volts(FILE *f, long long uv)
{
	if (uv < 0)
		fputs("unknown", f);
	else
		fprintf(f, "%.2f V", uv / 1e6);
}

/* A limit in uA as mA: a limit below 0 is not one, so unknown. */
static void limit_milliamps(FILE *f, long long ua)
{
	milliamps(f, ua < 0 ? -1 : ua);
}

/* A percentage; below 0 (or no key) is unknown. */
static void percent(FILE *f, long long pct)
{
	if (pct < 0)
		fputs("unknown", f);
	else
		fprintf(f, "%lld %%", pct);
}

static void faults_line(FILE *f, struct json_object *o)
{
	struct json_object *faults;
	size_t i, n;

	fputs("Faults:      ", f);
	n = json_object_object_get_ex(o, "ActiveFaults", &faults) ?
	    json_object_array_length(faults) : 0;
	for (i = 0; i < n; i++) {
		const char *code = json_object_get_string(json_object_array_get_idx(faults, i));
		int fault = fault_from_code(code);

		fprintf(f, "%s%s: %s", i ? "\n             " : "", code,
			fault < 0 ? "" : fault_text(fault));
	}
	if (!n)
		fputs("none", f);
	if (strcmp(jstr(o, "LastFault"), "-"))
		fprintf(f, "%s(last: %s)", n ? "\n             " : " ", jstr(o, "LastFault"));
	fputc('\n', f);
}

/*
 * The causes found now (Diagnoses, in its order: ranked), and where to read
 * what to do: a fast blink with "Faults: none" (a fault kept for the
 * session, a charger gone) said nothing why (helper-73).
 */
static void diagnosis_line(FILE *f, struct json_object *o)
{
	struct json_object *causes;
	size_t i, n;

	fputs("Diagnosis:   ", f);
	n = json_object_object_get_ex(o, "Diagnoses", &causes) &&
	    json_object_is_type(causes, json_type_array) ? json_object_array_length(causes) : 0;
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "",
			json_object_get_string(json_object_array_get_idx(causes, i)));
	fputs(n ? " (chargerctl diagnose: what to do)\n" : "none\n", f);
}

static void in_use_lines(FILE *f, struct json_object *o)
{
	struct json_object *held;
	size_t i, n;

	fprintf(f, "In use:      %s (%smode %s; pauses at ", jnum(o, "InUse") == 1 ? "yes" : "no",
		jnum(o, "InUseLingers") == 1 ? "ending: 10 s after the last use; " : "",
		jstr(o, "InUseMode"));
	percent(f, jnum(o, "InUseStopPercent"));
	fputs(", resumes below ", f);
	percent(f, jnum(o, "InUseResumePercent"));
	fputs(")\n", f);
	/* who holds it over D-Bus: the reason, shown, and gone with the holder */
	n = json_object_object_get_ex(o, "InUseHeldBy", &held) ?
	    json_object_array_length(held) : 0;
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "             held by ",
			json_object_get_string(json_object_array_get_idx(held, i)));
	if (n)
		fprintf(f, "%s\n", strcmp(jstr(o, "InUseMode"), "auto") ?
			" (not counted: mode is not auto)" : "");
}

/*
 * The source in words: the chip's detection (SourceKind: bq2589x_charger's
 * source_kind) said as a person names it, with its BC1.2 name; another
 * driver's kind with its usb_type beside it where that says more
 * (helper-90: "from dcp (DCP)"). A charger with no kind ("-": another
 * driver, an older chargerd) is named by its usb_type where that is one
 * of the kinds ("SDP" is a computer's port), else as a source of unknown
 * kind, never "plugged into -".
 */
static void source_text(FILE *f, const char *kind, const char *usb_type)
{
	static const struct {
		const char *kind, *words;
	} known[] = {
		{ "sdp", "a computer's USB port (SDP)" },
		{ "cdp", "a charging USB port (CDP)" },
		{ "dcp", "a wall adapter (DCP)" },
		{ "hvdcp", "a fast-charge wall adapter (HVDCP)" },
		{ "unknown", "an unknown adapter" },
		{ "nonstandard", "a non-standard adapter" },
	};
	bool no_kind = !*kind || !strcmp(kind, "-");
	bool no_type = !*usb_type || !strcmp(usb_type, "-") || !strcmp(usb_type, "Unknown");
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(kind, known[i].kind) ||
		    (no_kind && !no_type && !strcasecmp(usb_type, known[i].kind))) {
			fputs(known[i].words, f);
			return;
		}
	if (no_kind) {
		fputs("a source of unknown kind", f);
		if (!no_type)
			fprintf(f, " (%s)", usb_type);
		return;
	}
	fputs(kind, f);
	if (strcasecmp(kind, usb_type))
		fprintf(f, " (%s)", usb_type);
}

/*
 * The state as words ("not-charging" is the property's, "not charging"
 * a person's), "unknown" for none; then the source: "charging from" it,
 * any other state "plugged into" it ("not-charging from a wall adapter"
 * read as charging from it). dts/PORTING.md's check cuts the line before
 * ", VBUS": state and source stay before it, in that order.
 */
static void state_line(FILE *f, struct json_object *o, bool online)
{
	const char *state = jstr(o, "State"), *c;

	fputs("State:       ", f);
	if (!strcmp(state, "-"))
		state = "unknown";
	for (c = state; *c; c++)
		fputc(*c == '-' ? ' ' : *c, f);
	if (online) {
		fputs(strcmp(state, "charging") ? ", plugged into " : " from ", f);
		source_text(f, jstr(o, "SourceKind"), jstr(o, "UsbType"));
		fputs(", VBUS ", f);
		volts(f, jnum(o, "InputVoltage"));
	}
	fputc('\n', f);
}

/*
 * The input limits (InputCurrentLimit, InputVoltageLimit): in force for
 * the source plugged in, and which of them were written on the device
 * (InputLimitsWritten, bq2589x_charger's: a limit set through sysfs was
 * nowhere in status, and a low one reads like a weak adapter). Unplugged,
 * only those written, which wait for the next source; the charger's own
 * are not in force then. A limit the charger does not report is left
 * out, and the line too when none is left: not every charger has them.
 */
static void input_line(FILE *f, struct json_object *o, bool online)
{
	const char *w = jstr(o, "InputLimitsWritten");
	bool cur_w = !strcmp(w, "current") || !strcmp(w, "both");
	bool volt_w = !strcmp(w, "voltage") || !strcmp(w, "both");
	long long ua = jnum(o, "InputCurrentLimit"), uv = jnum(o, "InputVoltageLimit");
	bool cur = ua > 0 && (online || cur_w), volt = uv > 0 && (online || volt_w);

	if (!cur && !volt)
		return;
	fputs("Input:       ", f);
	if (cur)
		fprintf(f, "up to %lld mA", ua / 1000);
	if (volt)
		fprintf(f, "%sat least %.2f V", cur ? ", " : "", uv / 1e6);
	if ((cur && cur_w) || (volt && volt_w))
		fprintf(f, " (%s set on this device for %s source)",
			cur && cur_w && volt && volt_w ? "both" : cur && cur_w ? "the current" :
			"the voltage", online ? "this" : "the next");
	fputc('\n', f);
}

void status_text(FILE *f, struct json_object *o)
{
	long long cap = jnum(o, "Capacity");
	const char *paused = jstr(o, "Paused");
	struct json_object *temp;
	bool online = jnum(o, "Online") == 1;

	state_line(f, o, online);
	/*
	 * a temperature zone here is the charger chip's, from its own
	 * thermistor and thresholds (JEITA's): "Warm" beside chargerd's
	 * "too hot" (its own, lower, limit) read as a contradiction (helper-90)
	 */
	fprintf(f, "Health:      %s%s\n", jstr(o, "Health"),
		!strcmp(jstr(o, "Health"), "Warm") || !strcmp(jstr(o, "Health"), "Cool") ||
		!strcmp(jstr(o, "Health"), "Hot") || !strcmp(jstr(o, "Health"), "Cold") ?
		" (the charger chip's own temperature zone)" : "");
	fputs("Battery:     ", f);
	if (cap >= 0)
		fprintf(f, "%lld %%", cap);
	else
		fputs("capacity unknown", f);
	if (jnum(o, "BatteryVoltage") >= 0)
		fprintf(f, ", %.2f V", jnum(o, "BatteryVoltage") / 1e6);
	else
		fputs(", voltage unknown", f);
	/* -1 is a temperature (-0.1 °C): only INT32_MIN or no key is unknown */
	if (json_object_object_get_ex(o, "Temperature", &temp) &&
	    json_object_get_int64(temp) != INT32_MIN)
		fprintf(f, ", %.1f °C", json_object_get_int64(temp) / 10.0);
	else
		fputs(", temperature unknown", f);
	fputc('\n', f);
	if (online) {
		fputs("Current:     ", f);
		milliamps(f, jnum(o, "ChargeCurrent"));
		fputs(" (limit ", f);
		limit_milliamps(f, jnum(o, "ChargeCurrentLimit"));
		fputs(" of ", f);
		limit_milliamps(f, jnum(o, "ChargeCurrentMax"));
		fputs(", up to ", f);
		volts(f, jnum(o, "ChargeVoltageLimit"));
		fputs(")\n", f);
	}
	input_line(f, o, online);
	if (!strcmp(paused, "in-use")) {
		fputs("Charging:    paused at ", f);
		percent(f, jnum(o, "InUseStopPercent"));
		fputs(" while in use (resumes below ", f);
		percent(f, jnum(o, "InUseResumePercent"));
		fputs(" or when use ends)\n", f);
	} else if (!strcmp(paused, "heat") || !strcmp(paused, "cold")) {
		fprintf(f, "Charging:    paused: the battery is too %s (resumes when it is back in range)\n",
			strcmp(paused, "heat") ? "cold" : "hot");
	} else if (!strcmp(paused, PAUSED_LOAD_TEST)) {
		fputs("Charging:    paused a moment: the cable test (VBUS measured without load)\n",
		      f);
	} else if (jnum(o, "ChargeCurrentPercent") > 0 && jnum(o, "ChargeCurrentPercent") < 100) {
		/*
		 * The policy's share; the charger rounds it down to its own
		 * steps (64 mA on the BQ25895: 25 % of 1 A is 192 mA), and
		 * what it took is the limit in force, shown beside it.
		 */
		fprintf(f, "Charging:    current limited to %lld %% (battery %s)",
			jnum(o, "ChargeCurrentPercent"), jstr(o, "ThermalBand"));
		if (jnum(o, "ChargeCurrentLimit") > 0)
			fprintf(f, ": %lld mA in force (the charger's step nearest the share)",
				jnum(o, "ChargeCurrentLimit") / 1000);
		fputc('\n', f);
	}
	in_use_lines(f, o);
	faults_line(f, o);
	diagnosis_line(f, o);
	if (jnum(o, "Session") > 0)
		fprintf(f, "Session:     %lld\n", jnum(o, "Session"));
	fprintf(f, "LED:         %s\n", strcmp(jstr(o, "Led"), "-") ? jstr(o, "Led") : "none");
	fprintf(f, "Supplies:    %s, %s\n", jstr(o, "Charger"), jstr(o, "Battery"));
}

/* A capacity in % for history's table: "?" when chargerd did not know it. */
static const char *capacity_word(long long pct, char *buf, size_t len)
{
	if (pct < 0)
		return "?";
	snprintf(buf, len, "%lld", pct);
	return buf;
}

/* start: GetHistory's, 0 unless chargerd knows it is a time */
/* A measurement of the session s: its number, or "?" when null (never measured). */
static const char *measured_word(struct json_object *s, const char *key, char *buf, size_t len)
{
	struct json_object *v;

	if (!json_object_object_get_ex(s, key, &v) || !v)
		return "?";
	snprintf(buf, len, "%lld", (long long)json_object_get_int64(v));
	return buf;
}

static void history_line(FILE *f, struct json_object *s)
{
	struct json_object *faults = NULL;
	char when[32] = "clock not set", dur[48], caps[64], a[24], b[24], e[24], c[24], p[24];
	time_t start = jnum(s, "start");
	long long d = jnum(s, "duration_s");
	struct tm tm;
	size_t i, n;

	if (start > 0 && localtime_r(&start, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	snprintf(dur, sizeof(dur), "%lldh%02lldm", d / 3600, d / 60 % 60);
	snprintf(caps, sizeof(caps), "%s->%s%%",
		 capacity_word(jnum(s, "start_capacity"), a, sizeof(a)),
		 capacity_word(jnum(s, "end_capacity"), b, sizeof(b)));
	fprintf(f, "%5lld  %-16s  %8s  %10s  %6s  %6s  %6s  %-11s  %-13s  ",
		jnum(s, "id"), when, dur, caps, measured_word(s, "energy_mwh", e, sizeof(e)),
		measured_word(s, "charge_mah", c, sizeof(c)), measured_word(s, "peak_ma", p, sizeof(p)),
		jstr(s, "source"), jstr(s, "end_reason"));
	json_object_object_get_ex(s, "faults", &faults);
	n = json_object_is_type(faults, json_type_array) ? json_object_array_length(faults) : 0;
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "",
			json_object_get_string(json_object_array_get_idx(faults, i)));
	fputs(n ? "\n" : "-\n", f);
}

void history_text(FILE *f, struct json_object *sessions)
{
	size_t i, n = json_object_is_type(sessions, json_type_array) ?
		      json_object_array_length(sessions) : 0;

	if (!n) {
		fputs("No charge sessions yet.\n", f);
		return;
	}
	tzset();	/* localtime_r() need not */
	/* the rows' widths */
	fprintf(f, "%5s  %-16s  %8s  %10s  %6s  %6s  %6s  %-11s  %-13s  %s\n", "ID", "START",
		"DURATION", "CAPACITY", "mWh", "mAh", "peak", "SOURCE", "END", "FAULTS");
	for (i = 0; i < n; i++)
		history_line(f, json_object_array_get_idx(sessions, i));
}

/*
 * The measured properties, in the units a person reads (the bus carries
 * uA, uV, tenths of a degree), and the value each has when chargerd does
 * not know it (org.chargerd.Charger1.xml): Temperature INT32_MIN (-1 is
 * -0.1 degC), the rest -1; the percentages have none.
 */
enum unit { UNIT_PCT, UNIT_UA, UNIT_UV, UNIT_DC };

static const struct {
	const char *key;
	enum unit unit;
	long long unknown;
} measured[] = {
	{ "Capacity", UNIT_PCT, -1 }, { "Temperature", UNIT_DC, INT32_MIN },
	{ "ChargeCurrent", UNIT_UA, -1 }, { "BatteryVoltage", UNIT_UV, -1 },
	{ "InputVoltage", UNIT_UV, -1 }, { "ChargeCurrentLimit", UNIT_UA, -1 },
	{ "ChargeCurrentMax", UNIT_UA, -1 }, { "ChargeVoltageLimit", UNIT_UV, -1 },
	{ "InputCurrentLimit", UNIT_UA, -1 }, { "InputVoltageLimit", UNIT_UV, -1 },
	{ "InUseStopPercent", UNIT_PCT, LLONG_MIN },
	{ "InUseResumePercent", UNIT_PCT, LLONG_MIN },
	{ "ChargeCurrentPercent", UNIT_PCT, LLONG_MIN },
};

void property_text(FILE *f, const char *key, struct json_object *val)
{
	long long v;
	size_t i;

	if (!val) {		/* a value that could not be read (monitor) */
		fprintf(f, "%s=unknown", key);
		return;
	}
	for (i = 0; i < sizeof(measured) / sizeof(measured[0]); i++) {
		if (strcmp(key, measured[i].key) || !json_object_is_type(val, json_type_int))
			continue;
		v = json_object_get_int64(val);
		if (v == measured[i].unknown)
			fprintf(f, "%s=unknown", key);
		else if (measured[i].unit == UNIT_PCT)
			fprintf(f, "%s=%lld%%", key, v);
		else if (measured[i].unit == UNIT_UA)
			fprintf(f, "%s=%lldmA", key, v / 1000);
		else if (measured[i].unit == UNIT_UV)
			fprintf(f, "%s=%.2fV", key, v / 1e6);
		else
			fprintf(f, "%s=%.1f°C", key, v / 10.0);
		return;
	}
	fprintf(f, "%s=%s", key, json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN));
}
