// SPDX-License-Identifier: GPL-2.0
/*
 * chargerctl's text (agent/ctl_text.c). status, from chargerd's
 * properties: measured values in their units, and every value chargerd
 * publishes as unknown shown as "unknown", never as a number (a charger
 * without voltage_now printed "VBUS -0.00 V"; without
 * constant_charge_current_max, "of 0 mA"). history, from its sessions: an
 * unknown capacity as "?" (it printed "-1->-1%"), and no start time where
 * chargerd gives none (0: it printed 1970's dates as real ones), row by
 * row (it judged every row by the clock now).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kselftest_harness.h"
#include "../../agent/ctl_text.h"

/* status's (history: history true) text for JSON; malloc'ed. */
static char *text_of(const char *json, bool history)
{
	struct json_object *o = json_tokener_parse(json);
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (!o)
		return NULL;
	f = open_memstream(&text, &len);
	if (f) {
		if (history)
			history_text(f, o);
		else
			status_text(f, o);
		fclose(f);
	}
	json_object_put(o);
	return text;
}

static char *render(const char *props)
{
	return text_of(props, false);
}

/* The line that starts with name ("Current:"), without the name; static. */
static const char *line(const char *text, const char *name)
{
	static char buf[256];
	const char *p = text, *end;

	while (p && *p) {
		if (!strncmp(p, name, strlen(name))) {
			p += strlen(name);
			p += strspn(p, " ");
			end = strchrnul(p, '\n');
			snprintf(buf, sizeof(buf), "%.*s", (int)(end - p), p);
			return buf;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return "(no such line)";
}

#define ONLINE	"\"State\": \"charging\", \"Online\": true, \"SourceKind\": \"usb\", " \
		"\"UsbType\": \"DCP\", \"Health\": \"Good\", \"Charger\": \"usb\", " \
		"\"Battery\": \"battery\", \"InUse\": false, \"InUseMode\": \"auto\", " \
		"\"InUseStopPercent\": 80, \"InUseResumePercent\": 75"

TEST(measured_values_in_their_units)
{
	char *t = render("{" ONLINE ", \"InputVoltage\": 5120000, \"ChargeCurrent\": 1536000, "
			 "\"ChargeCurrentLimit\": 1024000, \"ChargeCurrentMax\": 2048000, "
			 "\"ChargeVoltageLimit\": 4208000, \"Capacity\": 57, "
			 "\"BatteryVoltage\": 3900000, \"Temperature\": 251, "
			 "\"Led\": \"slow-blink\"}");

	ASSERT_NE(NULL, t);
	EXPECT_STREQ("charging from usb (DCP), VBUS 5.12 V", line(t, "State:"));
	EXPECT_STREQ("1536 mA (limit 1024 mA of 2048 mA, up to 4.21 V)", line(t, "Current:"));
	EXPECT_STREQ("57 %, 3.90 V, 25.1 °C", line(t, "Battery:"));
	EXPECT_STREQ("slow-blink", line(t, "LED:"));
	EXPECT_STREQ("usb, battery", line(t, "Supplies:"));
	free(t);
}

/*
 * The source said as a person names it (helper-90: "from dcp (DCP)"); a
 * temperature zone in Health said as the charger chip's own, beside
 * chargerd's "too hot" (helper-90: "Health: Warm" read as a contradiction).
 */
TEST(the_source_and_the_chips_zone_in_words)
{
	static const struct {
		const char *usb_type, *line;
	} no_kind[] = {
		{ "DCP", "charging from a wall adapter (DCP), VBUS 5.00 V" },
		{ "PD_PPS", "charging from a source of unknown kind (PD_PPS), VBUS 5.00 V" },
		{ "Unknown", "charging from a source of unknown kind, VBUS 5.00 V" },
	};
	size_t i;
	char *t = render("{\"State\": \"not-charging\", \"Online\": true, \"SourceKind\": \"dcp\", "
			 "\"UsbType\": \"DCP\", \"Health\": \"Warm\", \"InputVoltage\": 5000000, "
			 "\"Paused\": \"heat\"}");

	ASSERT_NE(NULL, t);
	/* "not-charging from a wall adapter" read as if it charged from it */
	EXPECT_STREQ("not charging, plugged into a wall adapter (DCP), VBUS 5.00 V",
		     line(t, "State:"));
	EXPECT_STREQ("Warm (the charger chip's own temperature zone)", line(t, "Health:"));
	EXPECT_STREQ("paused: the battery is too hot (resumes when it is back in range)",
		     line(t, "Charging:"));
	free(t);
	t = render("{\"State\": \"charging\", \"Online\": true, \"SourceKind\": \"sdp\", "
		   "\"UsbType\": \"SDP\", \"Health\": \"Good\", \"InputVoltage\": 5000000}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("charging from a computer's USB port (SDP), VBUS 5.00 V", line(t, "State:"));
	EXPECT_STREQ("Good", line(t, "Health:"));
	free(t);
	/* another driver's kind: as it is, its usb_type beside it only if it says more */
	t = render("{\"State\": \"charging\", \"Online\": true, \"SourceKind\": \"usb_pd\", "
		   "\"UsbType\": \"USB_PD\", \"InputVoltage\": 5000000}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("charging from usb_pd, VBUS 5.00 V", line(t, "State:"));
	free(t);
	/* no kind at all (another driver): its usb_type names it, if one of ours */
	for (i = 0; i < sizeof(no_kind) / sizeof(no_kind[0]); i++) {
		char json[256];

		snprintf(json, sizeof(json), "{\"State\": \"charging\", \"Online\": true, "
			 "\"SourceKind\": \"-\", \"UsbType\": \"%s\", "
			 "\"InputVoltage\": 5000000}", no_kind[i].usb_type);
		t = render(json);
		ASSERT_NE(NULL, t);
		EXPECT_STREQ(no_kind[i].line, line(t, "State:"));
		free(t);
	}
}

TEST(unknown_values_say_unknown)
{
	/* what chargerd publishes for a charger with none of these attributes */
	char *t = render("{" ONLINE ", \"InputVoltage\": -1, \"ChargeCurrent\": -1, "
			 "\"ChargeCurrentLimit\": -1, \"ChargeCurrentMax\": -1, "
			 "\"ChargeVoltageLimit\": -1, \"Capacity\": -1, "
			 "\"BatteryVoltage\": -1, \"Temperature\": -2147483648, \"Led\": \"\"}");

	ASSERT_NE(NULL, t);
	EXPECT_STREQ("charging from usb (DCP), VBUS unknown", line(t, "State:"));
	EXPECT_STREQ("unknown (limit unknown of unknown, up to unknown)", line(t, "Current:"));
	EXPECT_STREQ("capacity unknown, voltage unknown, temperature unknown", line(t, "Battery:"));
	EXPECT_STREQ("none", line(t, "LED:"));
	EXPECT_EQ(NULL, strstr(t, "-0.00"));
	EXPECT_EQ(NULL, strstr(t, " 0 mA"));
	free(t);
}

TEST(absent_keys_are_unknown_too)
{
	/* an older chargerd, or a property a future one drops */
	char *t = render("{\"Online\": true, \"Paused\": \"in-use\"}");

	ASSERT_NE(NULL, t);
	EXPECT_STREQ("unknown, plugged into a source of unknown kind, VBUS unknown",
		     line(t, "State:"));
	EXPECT_STREQ("unknown (limit unknown of unknown, up to unknown)", line(t, "Current:"));
	EXPECT_STREQ("capacity unknown, voltage unknown, temperature unknown", line(t, "Battery:"));
	EXPECT_STREQ("paused at unknown while in use (resumes below unknown or when use ends)",
		     line(t, "Charging:"));
	EXPECT_STREQ("no (mode -; pauses at unknown, resumes below unknown)", line(t, "In use:"));
	EXPECT_STREQ("none", line(t, "Faults:"));
	EXPECT_STREQ("none", line(t, "Diagnosis:"));
	EXPECT_EQ(NULL, strstr(t, "-1"));
	free(t);
}

/* In use for the linger only: said, and still "yes" where scripts cut it */
TEST(the_in_use_linger_is_shown)
{
	char *t = render("{" ONLINE ", \"InUse\": true, \"InUseLingers\": true, "
			 "\"InUseMode\": \"auto\", \"InUseStopPercent\": 80, "
			 "\"InUseResumePercent\": 70}");

	ASSERT_NE(NULL, t);
	EXPECT_STREQ("yes (ending: 10 s after the last use; mode auto; pauses at 80 %, "
		     "resumes below 70 %)", line(t, "In use:"));
	free(t);
	t = render("{" ONLINE ", \"InUse\": true, \"InUseLingers\": false, "
		   "\"InUseMode\": \"auto\", \"InUseStopPercent\": 80, "
		   "\"InUseResumePercent\": 70}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("yes (mode auto; pauses at 80 %, resumes below 70 %)", line(t, "In use:"));
	free(t);
}

/*
 * Why charging is held or slowed, each said: a derating shows the limit
 * the charger took beside the policy's share (it said "limited to 25 %"
 * over a 192 mA limit of 1 A, helper-57); the load test's hold is said.
 */
TEST(what_holds_or_slows_charging)
{
	char *t = render("{" ONLINE ", \"ChargeCurrentPercent\": 25, \"ThermalBand\": \"hot\", "
			 "\"ChargeCurrentLimit\": 192000, \"ChargeCurrentMax\": 1000000}");

	ASSERT_NE(NULL, t);
	EXPECT_STREQ("current limited to 25 % (battery hot): 192 mA in force "
		     "(the charger's step nearest the share)", line(t, "Charging:"));
	free(t);
	/* the limit unknown: the share alone */
	t = render("{" ONLINE ", \"ChargeCurrentPercent\": 50, \"ThermalBand\": \"warm\", "
		   "\"ChargeCurrentLimit\": -1}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("current limited to 50 % (battery warm)", line(t, "Charging:"));
	free(t);
	t = render("{" ONLINE ", \"Paused\": \"load-test\", \"ChargeCurrentPercent\": 100}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("paused a moment: the cable test (VBUS measured without load)",
		     line(t, "Charging:"));
	free(t);
	/* full rate, nothing held: no line */
	t = render("{" ONLINE ", \"Paused\": \"\", \"ChargeCurrentPercent\": 100}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("(no such line)", line(t, "Charging:"));
	free(t);
}

TEST(edge_values_that_are_real)
{
	/* -0.1 °C is a temperature; a driver may sign a discharge current */
	char *t = render("{" ONLINE ", \"Temperature\": -1, \"ChargeCurrent\": -250000, "
			 "\"ChargeCurrentLimit\": 0, \"ChargeCurrentMax\": 3008000, "
			 "\"ChargeVoltageLimit\": 4352000, \"InputVoltage\": 0, \"Capacity\": 0}");

	ASSERT_NE(NULL, t);
	EXPECT_STREQ("0 %, voltage unknown, -0.1 °C", line(t, "Battery:"));
	EXPECT_STREQ("-250 mA (limit 0 mA of 3008 mA, up to 4.35 V)", line(t, "Current:"));
	EXPECT_STREQ("charging from usb (DCP), VBUS 0.00 V", line(t, "State:"));
	free(t);
}

/*
 * The state in words, and the source beside it: "charging from" only
 * while charging (dts/PORTING.md's check cuts "charging from a wall
 * adapter (DCP)" before ", VBUS"); any other state with the source it
 * is plugged into, so that the same cut still gives state and source.
 */
TEST(the_state_reads_as_words)
{
	static const struct {
		const char *state, *want;
	} cases[] = {
		{ "charging", "charging from a wall adapter (DCP), VBUS 5.00 V" },
		{ "not-charging", "not charging, plugged into a wall adapter (DCP), VBUS 5.00 V" },
		{ "full", "full, plugged into a wall adapter (DCP), VBUS 5.00 V" },
		{ "discharging", "discharging, plugged into a wall adapter (DCP), VBUS 5.00 V" },
		{ "unknown", "unknown, plugged into a wall adapter (DCP), VBUS 5.00 V" },
	};
	char json[256], *t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(json, sizeof(json), "{\"State\": \"%s\", \"Online\": true, "
			 "\"SourceKind\": \"dcp\", \"UsbType\": \"DCP\", "
			 "\"InputVoltage\": 5000000}", cases[i].state);
		t = render(json);
		ASSERT_NE(NULL, t);
		EXPECT_STREQ(cases[i].want, line(t, "State:"));
		free(t);
	}
	t = render("{\"State\": \"no-charger\", \"Online\": false}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("no charger", line(t, "State:"));
	free(t);
}

/*
 * The input limits in force for the source (the power_supply's
 * input_current_limit and input_voltage_limit), and which of them were
 * written on the device (bq2589x_charger's input_limits_written): a
 * limit written through sysfs was nowhere in status. Off external power
 * only limits written for the next source; one the charger does not
 * report is not shown.
 */
TEST(the_input_limits_and_who_set_them)
{
	char *t = render("{" ONLINE ", \"InputCurrentLimit\": 1500000, "
			 "\"InputVoltageLimit\": 4400000, \"InputLimitsWritten\": \"none\"}");

	ASSERT_NE(NULL, t);
	EXPECT_STREQ("up to 1500 mA, at least 4.40 V", line(t, "Input:"));
	free(t);
	t = render("{" ONLINE ", \"InputCurrentLimit\": 500000, "
		   "\"InputVoltageLimit\": 4400000, \"InputLimitsWritten\": \"current\"}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("up to 500 mA, at least 4.40 V (the current set on this device for this "
		     "source)", line(t, "Input:"));
	free(t);
	t = render("{" ONLINE ", \"InputCurrentLimit\": 500000, "
		   "\"InputVoltageLimit\": 4600000, \"InputLimitsWritten\": \"both\"}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("up to 500 mA, at least 4.60 V (both set on this device for this source)",
		     line(t, "Input:"));
	free(t);
	/* another driver: no voltage limit, nothing said of who set them */
	t = render("{" ONLINE ", \"InputCurrentLimit\": 2000000, \"InputVoltageLimit\": -1, "
		   "\"InputLimitsWritten\": \"\"}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("up to 2000 mA", line(t, "Input:"));
	free(t);
	/* neither reported, or an older chargerd: no line */
	t = render("{" ONLINE ", \"InputCurrentLimit\": -1, \"InputVoltageLimit\": -1}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("(no such line)", line(t, "Input:"));
	free(t);
	t = render("{" ONLINE "}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("(no such line)", line(t, "Input:"));
	free(t);
	/* unplugged: written ones wait for the next source; the others are not in force */
	t = render("{\"State\": \"discharging\", \"Online\": false, "
		   "\"InputCurrentLimit\": 500000, \"InputVoltageLimit\": 4400000, "
		   "\"InputLimitsWritten\": \"voltage\"}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("at least 4.40 V (the voltage set on this device for the next source)",
		     line(t, "Input:"));
	free(t);
	t = render("{\"State\": \"discharging\", \"Online\": false, "
		   "\"InputCurrentLimit\": 500000, \"InputLimitsWritten\": \"none\"}");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("(no such line)", line(t, "Input:"));
	free(t);
}

TEST(offline_shows_no_charger_values)
{
	char *t = render("{\"State\": \"discharging\", \"Online\": false, \"InputVoltage\": -1, "
			 "\"Capacity\": 80, \"ActiveFaults\": [\"input-ovp\"], "
			 "\"LastFault\": \"input-ovp\"}");

	ASSERT_NE(NULL, t);
	EXPECT_STREQ("discharging", line(t, "State:"));
	EXPECT_STREQ("(no such line)", line(t, "Current:"));
	EXPECT_NE(NULL, strstr(line(t, "Faults:"), "input-ovp: "));
	free(t);
}

/*
 * The causes found now (Diagnoses): a fast blink with "Faults:
 * none" (a thermal shutdown kept for the session) said nothing why
 * (helper-73).
 */
TEST(the_diagnoses_are_shown)
{
	char *t = render("{" ONLINE ", \"ActiveFaults\": [], \"Led\": \"fast-blink\", "
			 "\"Diagnoses\": [\"charger-fault\", \"weak-source\"]}");

	ASSERT_NE(NULL, t);
	EXPECT_STREQ("none", line(t, "Faults:"));
	EXPECT_STREQ("charger-fault, weak-source (chargerctl diagnose: what to do)",
		     line(t, "Diagnosis:"));
	free(t);
}

/* a session as GetHistory gives it; start 2026-11-30 12:00 UTC */
#define SESSION(id, start, cap0, cap1, faults) \
	"{\"id\": " #id ", \"start\": " #start ", \"duration_s\": 5400, " \
	"\"energy_mwh\": 4200, \"charge_mah\": 1100, \"peak_ma\": 1536, " \
	"\"start_capacity\": " #cap0 ", \"end_capacity\": " #cap1 ", " \
	"\"max_temp_dc\": 312, \"faults\": " faults ", \"fault_events\": 0, " \
	"\"reached_full\": false, \"source\": \"dcp\", \"usb_type\": \"DCP\", " \
	"\"end_reason\": \"unplugged\"}"

/* the line of session id (its first word), without the id; static */
static const char *row(const char *text, const char *id)
{
	static char name[16];

	snprintf(name, sizeof(name), "%5s", id);
	return line(text, name);
}

TEST(history_rows)
{
	char *t;

	setenv("TZ", "UTC", 1);
	tzset();
	t = text_of("[" SESSION(2, 1796040000, 20, 80, "[\"input-ovp\", \"hot\"]") ", "
		    SESSION(1, 1795953600, -1, -1, "[]") "]", true);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(0, strncmp(t, "   ID  START", 12));
	EXPECT_STREQ("2026-11-30 12:00     1h30m     20->80%    4200    1100    1536  dcp          "
		     "unplugged      input-ovp,hot", row(t, "2"));
	/* capacities chargerd did not know: "?", not -1 */
	EXPECT_STREQ("2026-11-29 12:00     1h30m       ?->?%    4200    1100    1536  dcp          "
		     "unplugged      -", row(t, "1"));
	EXPECT_EQ(NULL, strstr(t, "-1->"));
	free(t);

	/*
	 * a start chargerd does not know for a time (0): no date from it, on
	 * its row only (the one before it was stamped by a synchronised clock)
	 */
	t = text_of("[" SESSION(4, 0, 55, -1, "[]") ", "
		    SESSION(3, 1795953600, 20, 80, "[]") "]", true);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("clock not set        1h30m      55->?%    4200    1100    1536  dcp          "
		     "unplugged      -", row(t, "4"));
	EXPECT_STREQ("2026-11-29 12:00     1h30m     20->80%    4200    1100    1536  dcp          "
		     "unplugged      -", row(t, "3"));
	EXPECT_EQ(NULL, strstr(t, "1970"));
	free(t);

	/*
	 * never measured (null: a charger without current_now): "?", not a
	 * 0 that reads as "nothing flowed"; a 0 measured is 0
	 */
	t = text_of("[{\"id\": 5, \"start\": 1795953600, \"duration_s\": 5400, "
		    "\"energy_mwh\": null, \"charge_mah\": null, \"peak_ma\": null, "
		    "\"start_capacity\": 20, \"end_capacity\": 80, \"faults\": [], "
		    "\"source\": \"dcp\", \"end_reason\": \"unplugged\"}, "
		    "{\"id\": 6, \"start\": 1795953600, \"duration_s\": 5400, "
		    "\"energy_mwh\": 0, \"charge_mah\": 0, \"peak_ma\": 0, "
		    "\"start_capacity\": 20, \"end_capacity\": 20, \"faults\": [], "
		    "\"source\": \"dcp\", \"end_reason\": \"unplugged\"}]", true);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("2026-11-29 12:00     1h30m     20->80%       ?       ?       ?  dcp          "
		     "unplugged      -", row(t, "5"));
	EXPECT_STREQ("2026-11-29 12:00     1h30m     20->20%       0       0       0  dcp          "
		     "unplugged      -", row(t, "6"));
	free(t);

	/* none (and anything that is not an array) */
	t = text_of("[]", true);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("No charge sessions yet.\n", t);
	free(t);
	t = text_of("{}", true);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("No charge sessions yet.\n", t);
	free(t);
}

/* monitor's "Key=value" for a changed property */
static char *prop(const char *key, const char *json)
{
	struct json_object *v = json_tokener_parse(json);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f) {
		property_text(f, key, v);
		fclose(f);
	}
	json_object_put(v);
	return text;
}

TEST(monitor_properties)
{
	static const struct {
		const char *key, *json, *want;
	} cases[] = {
		{ "InputVoltage", "-1", "InputVoltage=unknown" },
		/* in a person's units, not the bus's uV, uA and tenths (helper-57) */
		{ "InputVoltage", "5120000", "InputVoltage=5.12V" },
		{ "ChargeCurrent", "1536000", "ChargeCurrent=1536mA" },
		{ "ChargeCurrent", "0", "ChargeCurrent=0mA" },
		{ "ChargeVoltageLimit", "4208000", "ChargeVoltageLimit=4.21V" },
		{ "Capacity", "-1", "Capacity=unknown" },
		{ "Capacity", "0", "Capacity=0%" },
		{ "Temperature", "-2147483648", "Temperature=unknown" },
		{ "Temperature", "-1", "Temperature=-0.1°C" },
		{ "Temperature", "251", "Temperature=25.1°C" },
		{ "ChargeCurrentMax", "-1", "ChargeCurrentMax=unknown" },
		{ "InputCurrentLimit", "-1", "InputCurrentLimit=unknown" },
		{ "InputVoltageLimit", "4400000", "InputVoltageLimit=4.40V" },
		{ "InputVoltageLimit", "-1", "InputVoltageLimit=unknown" },
		{ "InUseStopPercent", "80", "InUseStopPercent=80%" },
		{ "ChargeCurrentPercent", "0", "ChargeCurrentPercent=0%" },
		{ "State", "\"charging\"", "State=\"charging\"" },
		{ "State", "\"-1\"", "State=\"-1\"" },	/* a string is never a number */
		{ "Online", "true", "Online=true" },
		{ "ActiveFaults", "[\"hot\",\"input-ovp\"]",
		  "ActiveFaults=[\"hot\",\"input-ovp\"]" },
		/* invalidated, and its Get failed: not "null" */
		{ "InUseHeldBy", "null", "InUseHeldBy=unknown" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = prop(cases[i].key, cases[i].json);

		ASSERT_NE(NULL, t);
		EXPECT_STREQ(cases[i].want, t);
		free(t);
	}
}

TEST(history_keeps_odd_capacities)
{
	/* above 100 is a bad gauge's reading: shown, not hidden as unknown */
	char *t = text_of("[" SESSION(4, 1796040000, 0, 104, "[]") "]", 1);

	ASSERT_NE(NULL, t);
	EXPECT_NE(NULL, strstr(t, "0->104%"));
	free(t);
}

TEST_HARNESS_MAIN
