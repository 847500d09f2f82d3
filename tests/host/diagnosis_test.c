// SPDX-License-Identifier: GPL-2.0
/*
 * Diagnosis rules, one cause at a time from a snapshot and evidence built
 * by hand; a healthy charge finds nothing; the ranking; the evidence
 * arithmetic (bounces, VBUS sag per ampere).
 */
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/diagnosis.h"
#include "../../agent/ratelimit.h"

#define S	1000000ULL

/* A good charge: a wall adapter, 25 degC, 50 %, a healthy cell. */
static void healthy(struct snapshot *s)
{
	struct psy_snapshot *c = &s->charger, *b = &s->battery;

	memset(s, 0, sizeof(*s));
	c->present = b->present = true;
	c->online = 1;
	strcpy(c->source_kind, "dcp");
	strcpy(c->input_dpm, "none");
	strcpy(c->charge_type, "Fast");
	strcpy(c->health, "Good");
	c->current_max = 2000000;
	c->voltage_now = 5000000;
	c->temp = 250;
	c->i2c_errors = 0;
	b->temp = 250;
	b->voltage_now = 3900000;
	b->capacity = 50;
	b->charge_full = 950000;
	b->charge_full_design = 1000000;
	b->cycle_count = 40;
}

/* The cell at dc (0.1 degC), as both its sensors read it: the gauge and the TS thermistor. */
static void temp_is(struct snapshot *s, long long dc)
{
	s->battery.temp = s->charger.temp = dc;
}

static const char *evidence_of(const struct diagnosis *d, int n, enum cause cause);

FIXTURE(dg) {
	struct diag_config c;
	struct snapshot s;
	struct evidence e;
	struct diagnosis d[CAUSE__COUNT];
	enum thermal_band band;		/* the policy's, for run() */
};

FIXTURE_SETUP(dg)
{
	struct chargerd_config cfg;

	config_defaults(&cfg);
	self->c = cfg.diag;
	healthy(&self->s);
	memset(&self->e, 0, sizeof(self->e));
	self->band = BAND_NORMAL;
}

FIXTURE_TEARDOWN(dg)
{
}

static int run(struct _test_data_dg *self, uint32_t faults, enum pause_reason p, unsigned int pct,
	       bool asked)
{
	return diagnose(&self->c, &self->s, &self->e, faults, p, pct, self->band, asked, self->d,
			CAUSE__COUNT);
}

/*
 * A diagnosis's journal MESSAGE is "SUMMARY (EVIDENCE)" in a buffer of
 * RATELIMIT_MSG_MAX: every summary with the longest evidence fits, whole
 * (helper-57: cut at 159 characters, mid-word, in journalctl -x).
 */
TEST(every_diagnosis_message_fits_whole)
{
	unsigned int c;

	for (c = 0; c < CAUSE__COUNT; c++) {
		struct diagnosis passed = { .cause = c, .passed = true };
		struct diagnosis pending = { .cause = c, .pending = true };
		struct diagnosis missing = { .cause = c, .missing = true };
		struct diagnosis configured = { .cause = c, .configured = true };
		struct diagnosis forced = { .cause = c, .forced = true };
		struct diagnosis absent = { .cause = c, .absent = true };
		struct diagnosis unkept = { .cause = c, .unkept = true };
		struct diagnosis overwritten = { .cause = c, .overwritten = true };

		ASSERT_NE(NULL, cause_summary(c));
		EXPECT_GE(RATELIMIT_MSG_MAX, strlen(cause_summary(c)) + 3 + DIAG_TEXT_MAX)
			TH_LOG("%s", cause_code(c));
		EXPECT_GE(RATELIMIT_MSG_MAX, strlen(diagnosis_summary(&passed)) + 3 + DIAG_TEXT_MAX)
			TH_LOG("%s", cause_code(c));
		EXPECT_GE(RATELIMIT_MSG_MAX, strlen(diagnosis_summary(&pending)) + 3 + DIAG_TEXT_MAX)
			TH_LOG("%s", cause_code(c));
		EXPECT_GE(RATELIMIT_MSG_MAX, strlen(diagnosis_summary(&missing)) + 3 + DIAG_TEXT_MAX)
			TH_LOG("%s", cause_code(c));
		EXPECT_GE(RATELIMIT_MSG_MAX, strlen(diagnosis_summary(&configured)) + 3 + DIAG_TEXT_MAX)
			TH_LOG("%s", cause_code(c));
		EXPECT_GE(RATELIMIT_MSG_MAX, strlen(diagnosis_summary(&forced)) + 3 + DIAG_TEXT_MAX)
			TH_LOG("%s", cause_code(c));
		EXPECT_GE(RATELIMIT_MSG_MAX, strlen(diagnosis_summary(&absent)) + 3 + DIAG_TEXT_MAX)
			TH_LOG("%s", cause_code(c));
		EXPECT_GE(RATELIMIT_MSG_MAX, strlen(diagnosis_summary(&unkept)) + 3 + DIAG_TEXT_MAX)
			TH_LOG("%s", cause_code(c));
		EXPECT_GE(RATELIMIT_MSG_MAX, strlen(diagnosis_summary(&overwritten)) + 3 + DIAG_TEXT_MAX)
			TH_LOG("%s", cause_code(c));
	}
	/*
	 * a pin's words with two names of CONFIG_NAME_MAX - 1 characters
	 * (supplies_pin_check()'s longest) fit the evidence whole (helper-93:
	 * the name of the supply that is here was cut)
	 */
	EXPECT_GT(DIAG_TEXT_MAX, strlen("[supplies] battery =  is a charger, not a battery (a battery that is here: )") +
				 2 * (CONFIG_NAME_MAX - 1));
}

TEST_F(dg, a_healthy_charge_finds_nothing)
{
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, true));
	/* a good cable measured: still nothing */
	evidence_load_test(&self->e, 4900000, 5000000, 3900000, 1000000);
	EXPECT_TRUE(self->e.have_sag);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, true));
	/* a full battery, unplugged, nobody asked: nothing */
	self->s.charger.online = 0;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
}

/*
 * The charger's NTC zone says cold (or hot) while the gauge has the cell
 * at 25 degC for 15 s: a broken TS network, a sensor to repair, not the
 * room (issue 18, item 4). Less long, the gauge may not have caught up
 * (its reading is seconds old, a driver's cache minutes): the zone at its
 * word (helper-57: a hot cell was "a sensor to repair" at the first look).
 * At a cell temperature that agrees, the usual cause.
 */
/*
 * A cold zone on a cell the gauge reads hot (and a hot zone on a cold
 * one) is denied as much as one at 25 degC: an open thermistor on a
 * 47 degC cell was not a sensor fault (helper-83, helper-85: only a
 * reading inside 10..35 degC counted).
 */
TEST_F(dg, a_ts_zone_the_gauge_reads_beyond_is_a_sensor_fault_too)
{
	static const uint32_t zone[] = { FAULT_BIT(FAULT_COLD), FAULT_BIT(FAULT_HOT) };
	static const char *const health[] = { "Cold", "Hot" };
	static const long long beyond[] = { 470, -50 };
	unsigned int i;
	int n;

	for (i = 0; i < 2; i++) {
		memset(&self->e, 0, sizeof(self->e));
		strcpy(self->s.charger.health, health[i]);
		temp_is(&self->s, beyond[i]);
		self->s.battery.temp = beyond[i];
		self->s.usec = 100 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		self->s.usec = 115 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		n = run(self, zone[i], PAUSE_NONE, 100, true);
		/* beside the cell's own temperature's finding, first */
		EXPECT_NE(NULL, evidence_of(self->d, n, CAUSE_TEMPERATURE_SENSOR))
			TH_LOG("%s", health[i]);
		EXPECT_TRUE(ts_zone_denied(i == 0, &self->s.battery));
	}
	/* the gauge agreeing: no denial */
	self->s.battery.temp = -50;
	EXPECT_FALSE(ts_zone_denied(true, &self->s.battery));
	self->s.battery.temp = 470;
	EXPECT_FALSE(ts_zone_denied(false, &self->s.battery));
}

TEST_F(dg, a_ts_network_that_disagrees_with_the_cell_is_a_sensor_fault)
{
	static const uint32_t zone[] = { FAULT_BIT(FAULT_COLD), FAULT_BIT(FAULT_HOT) };
	static const char *const health[] = { "Cold", "Hot" };
	static const enum cause room[] = { CAUSE_TOO_COLD, CAUSE_TOO_HOT };
	static const long long agree[] = { -50, 620 };
	static const char *const word[] = { "cold zone", "hot zone" };
	unsigned int i;
	int n, k;

	for (i = 0; i < 2; i++) {
		memset(&self->e, 0, sizeof(self->e));
		strcpy(self->s.charger.health, health[i]);
		temp_is(&self->s, 250);
		self->s.usec = 100 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		ASSERT_LE(1, run(self, zone[i], PAUSE_NONE, 100, true));
		EXPECT_EQ(room[i], self->d[0].cause) TH_LOG("%s: not yet", health[i]);
		/*
		 * the zone at its word, and both readings said: not "too warm
		 * (battery at 25.0 degC)" (helper-61)
		 */
		EXPECT_NE(NULL, strstr(self->d[0].evidence, word[i])) TH_LOG("%s", self->d[0].evidence);
		EXPECT_NE(NULL, strstr(self->d[0].evidence, "gauge 25.0 degC: a broken sensor if it lasts 15 s"))
			TH_LOG("%s", self->d[0].evidence);
		/*
		 * but not said on its own (the journal, the signal): a too-hot
		 * record came 15 s before each temperature-sensor one
		 */
		n = run(self, zone[i], PAUSE_NONE, 100, false);
		for (k = 0; k < n; k++)
			EXPECT_NE(room[i], self->d[k].cause) TH_LOG("%s: not said yet", health[i]);
		self->s.usec = 114 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		ASSERT_LE(1, run(self, zone[i], PAUSE_NONE, 100, true));
		EXPECT_EQ(room[i], self->d[0].cause) TH_LOG("%s: 14 s", health[i]);
		self->s.usec = 115 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		n = run(self, zone[i], PAUSE_NONE, 100, true);
		ASSERT_LE(1, n);
		EXPECT_EQ(CAUSE_TEMPERATURE_SENSOR, self->d[0].cause);
		EXPECT_EQ(SEV_FAULT, self->d[0].severity);
		EXPECT_NE(NULL, strstr(self->d[0].evidence, word[i])) TH_LOG("%s", self->d[0].evidence);
		EXPECT_NE(NULL, strstr(self->d[0].evidence, "gauge 25.0 degC"));
		/* never a weather report next to it */
		for (k = 0; k < n; k++)
			EXPECT_NE(room[i], self->d[k].cause);

		temp_is(&self->s, agree[i]);
		ASSERT_LE(1, run(self, zone[i], PAUSE_NONE, 100, true));
		EXPECT_EQ(room[i], self->d[0].cause);
		/* the gauge agrees: said at once */
		ASSERT_LE(1, run(self, zone[i], PAUSE_NONE, 100, false));
		EXPECT_EQ(room[i], self->d[0].cause);

		/* the circuit named too (no answer): both, each once */
		temp_is(&self->s, 250);
		n = run(self, zone[i] | FAULT_BIT(FAULT_NO_RESPONSE), PAUSE_NONE, 100, true);
		ASSERT_LE(2, n);
		EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
		EXPECT_EQ(CAUSE_TEMPERATURE_SENSOR, self->d[1].cause);

		/* no gauge: the chip's word is all there is */
		temp_is(&self->s, agree[i]);
		self->s.battery.temp = PSY_NONE;
		ASSERT_LE(1, run(self, zone[i], PAUSE_NONE, 100, true));
		EXPECT_EQ(room[i], self->d[0].cause);

		/* the gauge catches up within the 15 s: the cell, never the sensor */
		memset(&self->e, 0, sizeof(self->e));
		temp_is(&self->s, 250);
		self->s.usec = 200 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		temp_is(&self->s, agree[i]);		/* the gauge, and the TS's ADC */
		self->s.usec = 203 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		self->s.usec = 230 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		n = run(self, zone[i], PAUSE_NONE, 100, true);
		ASSERT_LE(1, n);
		EXPECT_EQ(room[i], self->d[0].cause);
		EXPECT_EQ(NULL, evidence_of(self->d, n, CAUSE_TEMPERATURE_SENSOR));
		strcpy(self->s.charger.health, "Good");
	}
}

/*
 * The two sensors of one cell apart by more than 15 degC for 15 s: one is
 * wrong, say both. Less long is the charger's ADC catching up.
 */
TEST_F(dg, two_sensors_that_disagree)
{
	self->s.battery.temp = 250;
	self->s.charger.temp = 400;	/* 15.0 degC apart: placement, self-heating */
	self->s.usec = 100 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	self->s.usec = 200 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, true));

	self->s.charger.temp = 401;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_TRUE(self->e.disagree);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, true));	/* not yet */
	self->s.usec = 214 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, true));
	self->s.usec = 215 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, true));
	EXPECT_EQ(CAUSE_TEMPERATURE_SENSOR, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "thermistor reads 40.1 degC"));
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "gauge 25.0 degC"));
	/* the policy stopped on the hot one: the sensor, and the pause said */
	ASSERT_EQ(1, run(self, 0, PAUSE_HEAT, 0, true));
	EXPECT_EQ(CAUSE_TEMPERATURE_SENSOR, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "charging is paused on the reading it uses"));
	/* agreeing once starts the count again */
	self->s.charger.temp = 250;
	self->s.usec = 216 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	self->s.charger.temp = 401;
	self->s.usec = 217 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, true));
	/* on battery the TS is unbiased (REGN off): its reading is no evidence */
	self->s.charger.online = 0;
	self->s.charger.temp = 1250;
	self->s.usec = 300 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_FALSE(self->e.disagree);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
}

/*
 * A reading at or past a sensor's range, for 15 s, is an open or shorted
 * sensor (one bad read is not). Our driver's TS stops at the ADC's range
 * (-18.1 to 84.8 degC): its open or short is the zone rule's; these are a
 * gauge's, or another charger driver's table ends.
 */
TEST_F(dg, a_reading_no_battery_can_have)
{
	static const struct {
		long long bat, chg;
		const char *evidence;
	} cases[] = {
		{ -2731, 250, "gauge reads -273.1 degC" },	/* a gauge's 0 K */
		{ 250, -400, "thermistor reads -40.0 degC" },	/* a table's cold end */
		{ 250, 1250, "thermistor reads 125.0 degC" },	/* a table's hot end */
		{ 1000, PSY_NONE, "gauge reads 100.0 degC" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&self->e, 0, sizeof(self->e));
		self->s.battery.temp = cases[i].bat;
		self->s.charger.temp = cases[i].chg;
		self->s.usec = 100 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		self->s.usec = 114 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false)) TH_LOG("case %u", i);
		self->s.usec = 115 * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false)) TH_LOG("case %u", i);
		EXPECT_EQ(CAUSE_TEMPERATURE_SENSOR, self->d[0].cause);
		EXPECT_NE(NULL, strstr(self->d[0].evidence, cases[i].evidence))
			TH_LOG("%s", self->d[0].evidence);
		EXPECT_NE(NULL, strstr(self->d[0].evidence, "open or shorted"));
	}
	/* the decisions use the sensor that makes sense */
	self->s.battery.temp = -2731;
	self->s.charger.temp = 300;
	EXPECT_EQ(300, snapshot_temp(&self->s));
	self->s.charger.online = 0;
	EXPECT_EQ(PSY_NONE, snapshot_temp(&self->s));
	self->s.battery.temp = 999;
	EXPECT_EQ(999, snapshot_temp(&self->s));
}

/*
 * A step no battery can make: 10 degC within 30 s on one sensor that the
 * other did not follow within 15 s. Both moving (the other's ADC a few
 * seconds late) is the cell's own, or the bench's.
 */
TEST_F(dg, a_step_no_battery_can_make)
{
	struct snapshot old;

	temp_is(&self->s, 250);
	self->s.usec = 100 * S;
	old = self->s;
	self->s.usec = 102 * S;
	temp_is(&self->s, 600);
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.step_pending);
	EXPECT_FALSE(self->e.temp_step);

	/* the gauge first, the charger's thermistor 5 s later: the cell's own */
	self->s.charger.temp = 250;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_TRUE(self->e.step_pending);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	old = self->s;
	self->s.usec = 107 * S;
	self->s.charger.temp = 590;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.step_pending);
	EXPECT_FALSE(self->e.temp_step);

	/* the gauge alone, 35 degC in 2 s, and the thermistor stays: a glitch */
	temp_is(&self->s, 250);
	self->s.usec = 200 * S;
	old = self->s;
	self->s.usec = 202 * S;
	self->s.battery.temp = 600;
	evidence_snapshot(&self->e, &old, &self->s);
	ASSERT_TRUE(self->e.step_pending);
	old = self->s;
	self->s.usec = 216 * S;
	self->s.battery.temp = 250;	/* back: the step stays seen */
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.temp_step);
	self->s.usec = 217 * S;
	evidence_snapshot(&self->e, &old, &self->s);
	ASSERT_TRUE(self->e.temp_step);
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_TEMPERATURE_SENSOR, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "gauge went from 25.0 to 60.0 degC in 2 s"))
		TH_LOG("%s", self->d[0].evidence);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "thermistor stayed at 25.0 degC"));
	/* until the next plug */
	evidence_plug(&self->e, &self->c, 300 * S);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));

	/* 9.9 degC, or over more than 2.5 minutes: a battery can */
	temp_is(&self->s, 250);
	self->s.usec = 400 * S;
	old = self->s;
	self->s.usec = 402 * S;
	self->s.battery.temp = 349;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.step_pending);
	self->s.battery.temp = 600;
	self->s.usec = old.usec + 151 * S;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.step_pending);

	/* pending when the charger is unplugged: its TS goes blind, the step is dropped */
	self->s.usec = old.usec + 2 * S;
	evidence_snapshot(&self->e, &old, &self->s);
	ASSERT_TRUE(self->e.step_pending);
	evidence_unplug(&self->e, old.usec + 3 * S, END_UNPLUGGED);
	EXPECT_FALSE(self->e.step_pending);
	evidence_snapshot(&self->e, &old, &self->s);
	ASSERT_TRUE(self->e.step_pending);
	self->s.charger.online = 0;	/* no unplug seen: the next look drops it */
	self->s.usec = old.usec + 20 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_FALSE(self->e.step_pending);
	EXPECT_FALSE(self->e.temp_step);
	self->s.charger.online = 1;

	/* one sensor alone cannot be checked: a step is the bench's or the cell's */
	self->s.charger.online = old.charger.online = 0;
	self->s.usec = old.usec + 2 * S;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.step_pending);
	/* and the charger's TS on battery moves with nothing: no evidence */
	self->s.battery.temp = 250;
	self->s.charger.temp = 1250;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.step_pending);
	EXPECT_FALSE(self->e.temp_step);
}

/*
 * Plugged in, the battery drains for 20 s (issue 18, item 3): the source
 * cannot carry the load, with the input limit, VBUS and the load as the
 * evidence. A load peak, or a gauge's noise near zero, is not.
 */
TEST_F(dg, a_source_that_cannot_carry_the_load)
{
	struct snapshot old;
	int n, k;

	/* IINLIM 3.25 A, but the source was found to give 1 A (ICO): that one */
	self->s.charger.input_current_limit = 3250000;
	self->s.charger.current_max = 1000000;
	self->s.charger.voltage_now = 4900000;
	self->s.battery.voltage_now = 3700000;
	self->s.battery.current_now = -316000;
	self->s.usec = 10 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_TRUE(self->e.draining);
	EXPECT_FALSE(self->e.drain_sustained);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));

	old = self->s;
	self->s.usec = 29 * S;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.drain_sustained);
	self->s.usec = 30 * S;
	evidence_snapshot(&self->e, &old, &self->s);
	ASSERT_TRUE(self->e.drain_sustained);
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_SOURCE_OVERLOAD, self->d[0].cause);
	EXPECT_EQ(SEV_WARNING, self->d[0].severity);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "drains at 316 mA")) TH_LOG("%s", self->d[0].evidence);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "at most 1000 mA at 4.90 V"));
	/* 1 A at 4.9 V through 90 % at 3.7 V is 1192 mA; with the battery's 316 */
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "about 1507 mA")) TH_LOG("%s", self->d[0].evidence);

	/* from a computer's port: both, the load first */
	strcpy(self->s.charger.source_kind, "sdp");
	n = run(self, 0, PAUSE_NONE, 100, false);
	ASSERT_EQ(2, n);
	EXPECT_EQ(CAUSE_SOURCE_OVERLOAD, self->d[0].cause);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[1].cause);
	strcpy(self->s.charger.source_kind, "dcp");

	/* one reading above -50 mA (a gauge's noise) starts the count again */
	self->s.battery.current_now = -50000;
	self->s.usec = 31 * S;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.draining);
	self->s.battery.current_now = -316000;
	self->s.usec = 32 * S;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.drain_sustained);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));

	/* unplugged, draining is what a battery does */
	self->s.usec = 60 * S;
	evidence_snapshot(&self->e, &old, &self->s);
	ASSERT_TRUE(self->e.drain_sustained);
	self->s.charger.online = 0;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_FALSE(self->e.draining);
	n = run(self, 0, PAUSE_NONE, 100, false);
	for (k = 0; k < n; k++)
		EXPECT_NE(CAUSE_SOURCE_OVERLOAD, self->d[k].cause);
}

/*
 * The chip's one input fault, not placed by VBUS (issue 18, item 8): both
 * causes named, both fixes given; not "no power", not the cable.
 */
TEST_F(dg, an_input_fault_not_told_apart_names_both)
{
	int n, k;

	self->s.charger.online = 0;
	self->s.charger.voltage_now = 5000000;
	n = run(self, FAULT_BIT(FAULT_INPUT), PAUSE_NONE, 100, true);
	ASSERT_EQ(1, n);
	EXPECT_EQ(CAUSE_INPUT_FAULT, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "VBUS at 5.00 V"));
	self->s.charger.voltage_now = PSY_NONE;
	ASSERT_EQ(1, run(self, FAULT_BIT(FAULT_INPUT), PAUSE_NONE, 100, true));
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "VBUS not measured"));
	self->s.charger.voltage_now = 5000000;
	ASSERT_EQ(1, run(self, FAULT_BIT(FAULT_INPUT), PAUSE_NONE, 100, true));
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "over-voltage or a source too weak"));
	EXPECT_NE(NULL, strstr(cause_summary(CAUSE_INPUT_FAULT), "voltage was too high"));
	EXPECT_NE(NULL, strstr(cause_summary(CAUSE_INPUT_FAULT), "could not hold its voltage"));
	EXPECT_NE(NULL, strstr(cause_fix(CAUSE_INPUT_FAULT), "5 V"));
	EXPECT_NE(NULL, strstr(cause_fix(CAUSE_INPUT_FAULT), "short cable"));
	/* one that came and went: the same, said to be past */
	self->e.session_faults = FAULT_BIT(FAULT_INPUT);
	self->s.charger.online = 1;
	n = run(self, 0, PAUSE_NONE, 100, false);
	ASSERT_LE(1, n);
	EXPECT_EQ(CAUSE_INPUT_FAULT, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "after it"));
	for (k = 0; k < n; k++) {
		EXPECT_NE(CAUSE_ADAPTER_OVERVOLTAGE, self->d[k].cause);
		EXPECT_NE(CAUSE_CABLE, self->d[k].cause);
	}
}

TEST_F(dg, no_power_only_when_asked)
{
	self->s.charger.online = 0;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, true));
	EXPECT_EQ(CAUSE_NO_POWER, self->d[0].cause);
	EXPECT_STREQ("no-power", cause_code(self->d[0].cause));
	/* an over-voltage adapter cut the input: that, not "no power" */
	ASSERT_EQ(1, run(self, FAULT_BIT(FAULT_INPUT_OVP), PAUSE_NONE, 100, true));
	EXPECT_EQ(CAUSE_ADAPTER_OVERVOLTAGE, self->d[0].cause);
}

/*
 * A configuration naming a charger (or a battery) that is not here while
 * another is: the configuration's words, with the names, not a repair's
 * (helper-90: a typo in [supplies] charger was "charger-fault", "the
 * device needs repair"). Asked, at once; unasked, once it lasts
 * PIN_CONFIRM_USEC (a driver probing late at boot is no typo).
 */
TEST_F(dg, a_pin_naming_no_supply_here_is_the_configurations)
{
	struct psy_snapshot *c = &self->s.charger;

	memset(c, 0, sizeof(*c));
	c->online = c->voltage_now = c->current_max = c->temp = c->i2c_errors = PSY_NONE;
	strcpy(self->e.pins.charger,
	       "[supplies] charger = bq25895-chrager is not here (a charger that is here: bq25895-charger)");
	self->e.pins_since_usec = 100 * S;
	self->s.usec = 100 * S;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	ASSERT_LE(1, run(self, 0, PAUSE_NONE, 100, true));
	EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
	EXPECT_TRUE(self->d[0].configured);
	EXPECT_STREQ(self->e.pins.charger, self->d[0].evidence);
	EXPECT_EQ(NULL, strstr(diagnosis_fix(&self->d[0]), "the device needs repair")) TH_LOG("%s", diagnosis_fix(&self->d[0]));
	EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "[supplies] charger"));
	EXPECT_NE(NULL, strstr(diagnosis_summary(&self->d[0]), "configuration"));
	self->s.usec = (100 + 59) * S;
	EXPECT_FALSE(pins_confirmed(&self->s, &self->e));
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	self->s.usec = (100 + 60) * S;
	EXPECT_TRUE(pins_confirmed(&self->s, &self->e));
	ASSERT_LE(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
	EXPECT_EQ(SEV_FAULT, self->d[0].severity);	/* no limit applies: the LED says so */
	EXPECT_TRUE(self->d[0].configured);
	/* a charger seen before and gone is no typo: its own words */
	self->e.charger_seen = true;
	self->e.charger_gone = self->e.charger_gone_sustained = true;
	ASSERT_LE(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_FALSE(self->d[0].configured);
	EXPECT_TRUE(self->d[0].missing);

	/* the battery's pin: the charger here, the battery not */
	healthy(&self->s);
	memset(&self->e, 0, sizeof(self->e));
	memset(&self->s.battery, 0, sizeof(self->s.battery));
	self->s.battery.temp = self->s.battery.capacity = self->s.battery.voltage_now = PSY_NONE;
	self->s.battery.current_now = self->s.battery.charge_full = PSY_NONE;
	self->s.battery.charge_full_design = self->s.battery.cycle_count = PSY_NONE;
	strcpy(self->e.pins.battery,
	       "[supplies] battery = sbs-0-000c is not here (a battery that is here: sbs-0-000b)");
	self->e.pins_since_usec = 100 * S;
	self->s.usec = 100 * S;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	ASSERT_LE(1, run(self, 0, PAUSE_NONE, 100, true));
	EXPECT_EQ(CAUSE_BATTERY_NOT_DETECTED, self->d[0].cause);
	EXPECT_TRUE(self->d[0].configured);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "sbs-0-000c is not here"));
	EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "[supplies] battery"));
	self->s.usec = 200 * S;
	ASSERT_LE(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_BATTERY_NOT_DETECTED, self->d[0].cause);
}

/*
 * A charger chip that does not keep its settings (bq2589x_charger's
 * config_unkept, fault settings-unkept): a charger fault in its own
 * words, a repair, neither "let it cool" nor "its supply drops"; the
 * evidence says how often, and that charging is off when it is.
 */
TEST_F(dg, a_chip_that_does_not_keep_its_settings_needs_repair)
{
	int n;

	self->s.charger.config_unkept = 2;
	snprintf(self->s.charger.status, sizeof(self->s.charger.status), "Not charging");
	n = run(self, FAULT_BIT(FAULT_SETTINGS_UNKEPT), PAUSE_NONE, 100, false);
	ASSERT_LE(1, n);
	EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
	EXPECT_EQ(SEV_FAULT, self->d[0].severity);
	EXPECT_TRUE(self->d[0].unkept);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "does not keep the settings"))
		TH_LOG("%s", self->d[0].evidence);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "2 times")) TH_LOG("%s", self->d[0].evidence);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "charging is off"))
		TH_LOG("%s", self->d[0].evidence);
	EXPECT_EQ(NULL, strstr(diagnosis_fix(&self->d[0]), "let it cool"))
		TH_LOG("%s", diagnosis_fix(&self->d[0]));
	EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "repair"));
	/* charging on (its settings within the battery's): not said off */
	snprintf(self->s.charger.status, sizeof(self->s.charger.status), "Charging");
	ASSERT_LE(1, run(self, FAULT_BIT(FAULT_SETTINGS_UNKEPT), PAUSE_NONE, 100, false));
	EXPECT_EQ(NULL, strstr(self->d[0].evidence, "charging is off"))
		TH_LOG("%s", self->d[0].evidence);
}

/*
 * No charger supply (helper-51): never there, said when asked only (at
 * boot its driver may probe after chargerd); there and gone, said at
 * once. A charger fault, never "no power" (it was, whatever the gauge
 * said, and nothing was journalled).
 */
TEST_F(dg, a_missing_charger_is_a_charger_fault_not_no_power)
{
	struct psy_snapshot *c = &self->s.charger;
	int n, k;

	/* as psy_read() leaves a supply that is not there */
	memset(c, 0, sizeof(*c));
	c->online = c->voltage_now = c->current_max = c->temp = c->i2c_errors = PSY_NONE;
	self->s.battery.current_now = 900000;	/* the gauge says it charges */
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	n = run(self, 0, PAUSE_NONE, 100, true);
	ASSERT_LE(1, n);
	EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
	EXPECT_EQ(SEV_FAULT, self->d[0].severity);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "did not probe")) TH_LOG("%s", self->d[0].evidence);
	EXPECT_FALSE(self->d[0].missing);	/* not "the driver stopped, restart" (helper-77) */
	/* nor "let it cool": a charger never found (helper-95) */
	EXPECT_TRUE(self->d[0].absent);
	EXPECT_EQ(NULL, strstr(diagnosis_fix(&self->d[0]), "let it cool")) TH_LOG("%s", diagnosis_fix(&self->d[0]));
	EXPECT_NE(NULL, strstr(diagnosis_summary(&self->d[0]), "not found"));
	for (k = 0; k < n; k++)
		EXPECT_NE(CAUSE_NO_POWER, self->d[k].cause);
	/*
	 * seen, then gone: said without asking once it lasts, not for a
	 * moment's (a driver reloaded, helper-69); at once when asked
	 */
	self->e.charger_seen = true;
	self->s.usec = 100 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	self->s.usec = 109 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	/*
	 * asked within the wait: said, as a reload may be, not "needs
	 * repair" while `chargerctl status` says nothing (helper-71)
	 */
	ASSERT_LE(1, run(self, 0, PAUSE_NONE, 100, true));
	EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
	EXPECT_EQ(SEV_WARNING, self->d[0].severity);
	EXPECT_TRUE(self->d[0].pending);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "went less than 10 s ago")) TH_LOG("%s", self->d[0].evidence);
	EXPECT_EQ(NULL, strstr(diagnosis_fix(&self->d[0]), "repair")) TH_LOG("%s", diagnosis_fix(&self->d[0]));
	EXPECT_NE(NULL, strstr(diagnosis_summary(&self->d[0]), "reload"));
	/*
	 * a fault kept from before it went (a thermal shutdown, the chip
	 * not answering) is said, asked or not, over the reload's words
	 * (helper-78: "wait ten seconds" while the LED and status said it)
	 */
	for (k = 0; k < 2; k++) {
		uint32_t kept = k ? FAULT_BIT(FAULT_NO_RESPONSE) : FAULT_BIT(FAULT_THERMAL_SHUTDOWN);

		n = diagnose(&self->c, &self->s, &self->e, kept, PAUSE_NONE, 100, self->band, true,
			     self->d, CAUSE__COUNT);
		ASSERT_LE(1, n);
		EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
		EXPECT_EQ(SEV_FAULT, self->d[0].severity);
		EXPECT_FALSE(self->d[0].pending);
		EXPECT_FALSE(self->d[0].missing);
		EXPECT_NE(NULL, strstr(self->d[0].evidence, k ? "does not answer" : "overheating"))
			TH_LOG("%s", self->d[0].evidence);
	}
	self->s.usec = 110 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	ASSERT_LE(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
	EXPECT_EQ(SEV_FAULT, self->d[0].severity);
	EXPECT_FALSE(self->d[0].pending);
	EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "repair"));
	/* a driver that is not bound: restart, not "let it cool" (helper-76) */
	EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "Restart the device"));
	EXPECT_EQ(NULL, strstr(diagnosis_fix(&self->d[0]), "cool"));
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "gone")) TH_LOG("%s", self->d[0].evidence);
	/* and asked, the same once it lasts */
	ASSERT_LE(1, run(self, 0, PAUSE_NONE, 100, true));
	EXPECT_EQ(SEV_FAULT, self->d[0].severity);
	EXPECT_FALSE(self->d[0].pending);
	/* back: not this cause */
	healthy(&self->s);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, true));
}

/*
 * A charger's supply that keeps going and coming back, each absence
 * shorter than the 10 s after which it is a fault (gone 7 s of every 8:
 * it charged 1 s in 8 and nothing was said): a charger-fault while it
 * does, in a stopped driver's words; not a rebind now and then.
 */
TEST_F(dg, a_charger_that_keeps_going_is_a_charger_fault)
{
	struct psy_snapshot here = self->s.charger;
	uint64_t t = 100 * S;
	int i, n;

	self->e.charger_seen = true;
	self->s.usec = t;
	evidence_snapshot(&self->e, NULL, &self->s);
	for (i = 0; i < 4; i++) {
		memset(&self->s.charger, 0, sizeof(self->s.charger));
		self->s.usec = t + 8 * i * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		n = run(self, 0, PAUSE_NONE, 100, false);
		if (i < 3) {
			EXPECT_EQ(0, n) TH_LOG("gone %d", i);
		} else {
			ASSERT_EQ(1, n);
			EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
			EXPECT_EQ(SEV_FAULT, self->d[0].severity);
			EXPECT_NE(NULL, strstr(self->d[0].evidence, "went 3 times in a row"))
				TH_LOG("%s", self->d[0].evidence);
			EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "Restart the device"));
			/* asked: the same, not a reload's words */
			ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, true));
			EXPECT_FALSE(self->d[0].pending);
		}
		self->s.charger = here;
		self->s.usec = t + (8 * i + 7) * S;
		evidence_snapshot(&self->e, NULL, &self->s);
	}
	/* back, and staying: while within the 10 s, then over */
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	self->s.usec += 9 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_TRUE(charger_flapping(&self->s, &self->e));
	self->s.usec += 1 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_FALSE(charger_flapping(&self->s, &self->e));
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	/*
	 * going again and again, then gone for good: missing; its return
	 * starts anew, not flapping at once (helper-80)
	 */
	t = self->s.usec;
	for (i = 0; i < 4; i++) {
		memset(&self->s.charger, 0, sizeof(self->s.charger));
		self->s.usec = t + (2 * i + 1) * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		self->s.charger = here;
		self->s.usec = t + (2 * i + 2) * S;
		evidence_snapshot(&self->e, NULL, &self->s);
	}
	ASSERT_TRUE(charger_flapping(&self->s, &self->e));
	memset(&self->s.charger, 0, sizeof(self->s.charger));
	self->s.usec = t + 10 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	self->s.usec = t + 70 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	ASSERT_TRUE(self->e.charger_gone_sustained);
	EXPECT_FALSE(charger_flapping(&self->s, &self->e));
	self->s.charger = here;
	self->s.usec = t + 71 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_FALSE(charger_flapping(&self->s, &self->e));
	memset(&self->s.charger, 0, sizeof(self->s.charger));
	self->s.usec = t + 72 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_FALSE(charger_flapping(&self->s, &self->e));
	self->s.charger = here;
	self->s.usec = t + 73 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	/* and a rebind every 11 s (a person's, a test's) is none */
	t = self->s.usec;
	for (i = 0; i < 6; i++) {
		memset(&self->s.charger, 0, sizeof(self->s.charger));
		self->s.usec = t + (12 * i + 11) * S;
		evidence_snapshot(&self->e, NULL, &self->s);
		EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
		self->s.charger = here;
		self->s.usec = t + (12 * i + 12) * S;
		evidence_snapshot(&self->e, NULL, &self->s);
	}
	EXPECT_EQ(0u, self->e.charger_flaps);
}

/* A session's end at t as how, a plug 2 s later; returns 1 s after the plug. */
static uint64_t replug(struct evidence *e, const struct diag_config *c, uint64_t t,
		       enum evidence_end how)
{
	evidence_unplug(e, t, how);
	evidence_plug(e, c, t + 2 * S);
	return t + 3 * S;
}

TEST_F(dg, a_bouncing_connector)
{
	uint64_t t = 100 * S;
	int i;

	for (i = 0; i < 4; i++)
		t = replug(&self->e, &self->c, t, END_UNPLUGGED);
	EXPECT_EQ(4, self->e.bounces);
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_CONNECTOR, self->d[0].cause);
	/* four drops, each back: four (helper-86: "5 times" for 4 drops) */
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "went and came back 4 times, each within 2 s"))
		TH_LOG("%s", self->d[0].evidence);
	/* a replug after a long while starts the count again */
	evidence_unplug(&self->e, t, END_UNPLUGGED);
	evidence_plug(&self->e, &self->c, t + 60 * S);
	EXPECT_EQ(0, self->e.bounces);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
}

/*
 * What holds charging now ranks above how the power came and went
 * (helper-90: adapters swapped three times within a minute, then the
 * battery too hot: "connector" first, in status and in diagnose).
 */
TEST_F(dg, a_bounce_run_ranks_below_a_temperature_stop)
{
	uint64_t t = 100 * S;
	int i;

	for (i = 0; i < 3; i++)
		t = replug(&self->e, &self->c, t, END_UNPLUGGED);
	temp_is(&self->s, 520);
	ASSERT_EQ(2, run(self, 0, PAUSE_HEAT, 100, false));
	EXPECT_EQ(CAUSE_TOO_HOT, self->d[0].cause);
	EXPECT_EQ(CAUSE_CONNECTOR, self->d[1].cause);
	temp_is(&self->s, -50);
	ASSERT_EQ(2, run(self, FAULT_BIT(FAULT_COLD), PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_TOO_COLD, self->d[0].cause);
	EXPECT_EQ(CAUSE_CONNECTOR, self->d[1].cause);
	/* above what only slows it */
	temp_is(&self->s, 250);
	strcpy(self->s.charger.source_kind, "sdp");
	ASSERT_EQ(2, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_CONNECTOR, self->d[0].cause);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[1].cause);
}

/*
 * A run of bounces is power dropping while the plug stays in: close
 * together. A user re-seating the plug now and then, each back within
 * 2 s but the power staying 50 s between, is no run (helper-79: three
 * such were "connector").
 */
TEST_F(dg, replugs_far_apart_are_no_bouncing_connector)
{
	uint64_t t = 100 * S;
	int i;

	for (i = 0; i < 5; i++) {
		t = replug(&self->e, &self->c, t, END_UNPLUGGED);
		EXPECT_EQ(1, self->e.bounces) TH_LOG("replug %d", i);
		t += 50 * S;
	}
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	/* staying up to bounce_stay_s between them, they are a run again */
	for (i = 0; i < 4; i++) {
		t = replug(&self->e, &self->c, t, END_UNPLUGGED);
		t += (self->c.bounce_stay_s - 3) * S;
	}
	EXPECT_EQ(4, self->e.bounces);
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_CONNECTOR, self->d[0].cause);
	/* a rebind in a long stay is not a short one */
	evidence_unplug(&self->e, t + 40 * S, END_REMOVED);
	evidence_plug(&self->e, &self->c, t + 41 * S);
	t = replug(&self->e, &self->c, t + 42 * S, END_UNPLUGGED);
	EXPECT_EQ(1, self->e.bounces);
}

/*
 * A charger device removed and back (its driver unbound and bound again,
 * reloaded) ends the session ("removed") and starts one, as a replug
 * would: no bounce, and no break in a run of real ones (helper-61: three
 * rebinds 15 s apart were "connector: power came and went 4 times").
 */
TEST_F(dg, a_charger_removed_and_back_is_no_bounce)
{
	uint64_t t = 100 * S;
	int i;

	for (i = 0; i < 4; i++)
		t = replug(&self->e, &self->c, t, END_REMOVED);
	EXPECT_EQ(0, self->e.bounces);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	/* two real bounces, a rebind between them, a third: a run of three */
	for (i = 0; i < 4; i++)
		t = replug(&self->e, &self->c, t, i != 2 ? END_UNPLUGGED : END_REMOVED);
	EXPECT_EQ(3, self->e.bounces);
	/*
	 * another adapter found at the charger's return ends the run, and
	 * the next unplug and plug is a first bounce (helper-77: the run went
	 * on through the swap)
	 */
	t = replug(&self->e, &self->c, t, END_SWAPPED);
	EXPECT_EQ(0, self->e.bounces);
	t = replug(&self->e, &self->c, t, END_UNPLUGGED);
	EXPECT_EQ(1, self->e.bounces);
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	/* and no outage of the old adapter's session goes on to the new one's */
	self->e.session_faults = FAULT_BIT(FAULT_NO_RESPONSE);
	replug(&self->e, &self->c, t, END_SWAPPED);
	EXPECT_EQ(0u, self->e.session_faults);
	EXPECT_FALSE(self->e.carry_no_response);
}

TEST_F(dg, a_resistive_cable)
{
	/*
	 * 1 A into a 3.6 V battery at 90 %: 0.89 A in at 4.5 V. From 5.0 V
	 * unloaded, 0.5 V over 0.89 A is 562 mOhm.
	 */
	evidence_load_test(&self->e, 4500000, 5000000, 3600000, 1000000);
	ASSERT_TRUE(self->e.have_sag);
	EXPECT_EQ(888888, self->e.iin_ua);
	EXPECT_EQ(562, self->e.sag_mohm);
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_CABLE, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "562 mOhm")) TH_LOG("%s", self->d[0].evidence);
	/* no current, no figure */
	EXPECT_FALSE(evidence_load_test(&self->e, 4500000, 5000000, 3600000, 0));
	EXPECT_FALSE(self->e.have_sag);
	/*
	 * Issue 18, item 6: "5000 mV charging, 5000 mV paused: 0 mOhm" is no
	 * measurement (no sag: the readings or the source changed, or it is
	 * below the ADC's step), and a higher VBUS under load neither.
	 */
	EXPECT_FALSE(evidence_load_test(&self->e, 5000000, 5000000, 3800000, 550000));
	EXPECT_FALSE(self->e.have_sag);
	EXPECT_FALSE(evidence_load_test(&self->e, 5100000, 5000000, 3800000, 950000));
	EXPECT_FALSE(self->e.have_sag);
	EXPECT_TRUE(evidence_load_test(&self->e, 4900000, 5000000, 3800000, 950000));
	EXPECT_TRUE(self->e.have_sag);
}

TEST_F(dg, weak_sources)
{
	strcpy(self->s.charger.source_kind, "sdp");
	self->s.charger.current_max = 500000;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "computer port or hub"));
	EXPECT_NE(NULL, strstr(cause_fix(CAUSE_WEAK_SOURCE), "at least 2 A"));
	/* a DCP that cannot hold up: input DPM at a low ICO result */
	strcpy(self->s.charger.source_kind, "dcp");
	strcpy(self->s.charger.input_dpm, "iindpm");
	self->s.charger.current_max = 700000;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[0].cause);
	/* the same at 1.5 A is a fine adapter */
	self->s.charger.current_max = 1500000;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
}

/*
 * The input held at a limit written on the device (the driver's
 * input_limits_written) is that setting, not a weak source, nor a source
 * the device overloads (helper-87: a 300 mA input_current_limit on a DCP
 * was "weak-source", its fix a new adapter).
 */
TEST_F(dg, an_input_limit_set_on_the_device_is_not_a_weak_source)
{
	const char *ev;
	int n;

	strcpy(self->s.charger.source_kind, "dcp");
	strcpy(self->s.charger.input_dpm, "iindpm");
	strcpy(self->s.charger.input_limits_written, "current");
	self->s.charger.current_max = 300000;
	self->s.charger.input_current_limit = 300000;
	n = run(self, 0, PAUSE_NONE, 100, false);
	ASSERT_EQ(1, n);
	EXPECT_EQ(CAUSE_CURRENT_LIMITED, self->d[0].cause);
	EXPECT_EQ(SEV_WARNING, self->d[0].severity);
	EXPECT_STREQ("the input held at 300 mA by an input current limit set on this device",
		     self->d[0].evidence);
	EXPECT_NE(NULL, strstr(cause_fix(CAUSE_CURRENT_LIMITED), "unplugged and plugged in again"));
	/* draining through it: still the setting, not an overload */
	self->e.drain_sustained = true;
	self->s.battery.current_now = -200000;
	n = run(self, 0, PAUSE_NONE, 100, false);
	EXPECT_EQ(NULL, evidence_of(self->d, n, CAUSE_SOURCE_OVERLOAD));
	EXPECT_NE(NULL, evidence_of(self->d, n, CAUSE_CURRENT_LIMITED));
	self->e.drain_sustained = false;
	self->s.battery.current_now = 500000;
	/* ICO found less than the ceiling: the source, not the setting (helper-88) */
	self->s.charger.input_current_limit = 2000000;
	self->s.charger.current_max = 700000;
	n = run(self, 0, PAUSE_NONE, 100, false);
	ASSERT_EQ(1, n);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[0].cause);
	self->s.charger.current_max = 300000;
	/* a voltage limit written above the source's: VBUS below it */
	strcpy(self->s.charger.input_dpm, "vindpm");
	strcpy(self->s.charger.input_limits_written, "voltage");
	self->s.charger.voltage_now = 5000000;
	self->s.charger.input_voltage_limit = 8400000;
	n = run(self, 0, PAUSE_NONE, 100, false);
	ASSERT_EQ(1, n);
	ev = evidence_of(self->d, n, CAUSE_CURRENT_LIMITED);
	ASSERT_NE(NULL, ev);
	EXPECT_NE(NULL, strstr(ev, "input voltage limit of 8.4 V set on this device")) TH_LOG("%s", ev);
	/* one the source sags to (VBUS at it): a weak source, whoever set it */
	self->s.charger.input_voltage_limit = 4500000;
	self->s.charger.voltage_now = 4550000;
	n = run(self, 0, PAUSE_NONE, 100, false);
	ASSERT_EQ(1, n);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[0].cause);
	self->s.charger.input_voltage_limit = 8400000;
	self->s.charger.voltage_now = 5000000;
	/* a limit written that is not the one in force: the source's finding */
	strcpy(self->s.charger.input_dpm, "iindpm");
	n = run(self, 0, PAUSE_NONE, 100, false);
	ASSERT_EQ(1, n);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[0].cause);
	/* the driver says nothing (another charger): as before */
	self->s.charger.input_limits_written[0] = '\0';
	n = run(self, 0, PAUSE_NONE, 100, false);
	ASSERT_EQ(1, n);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[0].cause);
}

/*
 * Paused in use with in-use mode on: stopping use changes nothing, and the
 * words say how to charge to full (helper-86: they said stop using it).
 */
TEST_F(dg, in_use_mode_on_says_how_to_charge_to_full)
{
	ASSERT_EQ(1, run(self, 0, PAUSE_IN_USE, 100, false));
	EXPECT_EQ(CAUSE_PAUSED_IN_USE, self->d[0].cause);
	EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "when you stop using"));
	self->e.in_use_forced = true;
	ASSERT_EQ(1, run(self, 0, PAUSE_IN_USE, 100, false));
	EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "chargerctl in-use auto"));
	EXPECT_NE(NULL, strstr(diagnosis_summary(&self->d[0]), "in-use mode is set to on"));
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "(in-use mode on)"));
}

static const struct {
	uint32_t faults;
	enum pause_reason pause;
	enum cause cause;
	enum severity sev;
} by_fault[] = {
	{ FAULT_BIT(FAULT_INPUT_OVP), PAUSE_NONE, CAUSE_ADAPTER_OVERVOLTAGE, SEV_FAULT },
	{ FAULT_BIT(FAULT_HOT), PAUSE_NONE, CAUSE_TOO_HOT, SEV_WARNING },
	{ 0, PAUSE_HEAT, CAUSE_TOO_HOT, SEV_WARNING },
	{ FAULT_BIT(FAULT_COLD), PAUSE_NONE, CAUSE_TOO_COLD, SEV_WARNING },
	{ 0, PAUSE_COLD, CAUSE_TOO_COLD, SEV_WARNING },
	{ FAULT_BIT(FAULT_SAFETY_TIMER), PAUSE_NONE, CAUSE_BATTERY_FAULT, SEV_FAULT },
	{ FAULT_BIT(FAULT_BATTERY_OVP), PAUSE_NONE, CAUSE_BATTERY_FAULT, SEV_FAULT },
	{ FAULT_BIT(FAULT_NO_RESPONSE), PAUSE_NONE, CAUSE_CHARGER_FAULT, SEV_FAULT },
	{ FAULT_BIT(FAULT_THERMAL_SHUTDOWN), PAUSE_NONE, CAUSE_CHARGER_FAULT, SEV_FAULT },
	{ 0, PAUSE_IN_USE, CAUSE_PAUSED_IN_USE, SEV_INFO },
};

TEST_F(dg, faults_and_pauses_name_their_cause)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(by_fault); i++) {
		/* the cell as hot or as cold as the chip's zone says */
		temp_is(&self->s, by_fault[i].faults & FAULT_BIT(FAULT_HOT) ? 620 :
				  by_fault[i].faults & FAULT_BIT(FAULT_COLD) ? -50 : 250);
		ASSERT_EQ(1, run(self, by_fault[i].faults, by_fault[i].pause, 100, false))
			TH_LOG("case %u", i);
		EXPECT_EQ(by_fault[i].cause, self->d[0].cause) TH_LOG("case %u", i);
		EXPECT_EQ(by_fault[i].sev, self->d[0].severity) TH_LOG("case %u", i);
	}
	/* a fault seen earlier in the session still counts */
	self->e.session_faults = FAULT_BIT(FAULT_SAFETY_TIMER);
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_BATTERY_FAULT, self->d[0].cause);
	EXPECT_EQ(SEV_FAULT, self->d[0].severity);
	/*
	 * a bus that answers again: a warning (helper-61: a 12 s burst of bus
	 * errors kept a fault, and the LED's fast blink, all session)
	 */
	self->e.session_faults = FAULT_BIT(FAULT_NO_RESPONSE);
	self->s.charger.i2c_errors = 7;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
	EXPECT_EQ(SEV_WARNING, self->d[0].severity);
	EXPECT_STREQ("the charger chip stopped answering on its bus since the plug or unplug, and answers again (7 bus errors)",
		     self->d[0].evidence);
	/*
	 * and says so in its summary and fix: it works again, nothing to do
	 * now (it said "not working properly", "let it cool")
	 */
	EXPECT_TRUE(self->d[0].passed);
	EXPECT_NE(NULL, strstr(diagnosis_summary(&self->d[0]), "it works again"));
	EXPECT_EQ(NULL, strstr(diagnosis_fix(&self->d[0]), "let it cool"));
	EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "If it happens again"));
	/*
	 * A long outage ends the session (no answer, not unplugged); the
	 * bus's return starts the next: the warning goes on with it (it was
	 * dropped: the worse outage left no finding, helper-66). An unplug
	 * and a plug start afresh.
	 */
	evidence_unplug(&self->e, 200 * S, END_REMOVED);
	evidence_plug(&self->e, &self->c, 201 * S);
	EXPECT_EQ(FAULT_BIT(FAULT_NO_RESPONSE), self->e.session_faults);
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
	EXPECT_TRUE(self->d[0].passed);
	evidence_unplug(&self->e, 300 * S, END_UNPLUGGED);
	evidence_plug(&self->e, &self->c, 400 * S);
	EXPECT_EQ(0u, self->e.session_faults);
	/*
	 * the outage's end, then an unplug read before the next plug: that
	 * plug is a plug, nothing carried (helper-67)
	 */
	self->e.session_faults = FAULT_BIT(FAULT_NO_RESPONSE);
	evidence_unplug(&self->e, 500 * S, END_REMOVED);
	self->s.charger.online = 0;
	evidence_snapshot(&self->e, NULL, &self->s);
	self->s.charger.online = 1;
	evidence_plug(&self->e, &self->c, 600 * S);
	EXPECT_EQ(0u, self->e.session_faults);
	self->e.session_faults = FAULT_BIT(FAULT_NO_RESPONSE);
	/* it hides no fault: a thermal shutdown in the same session stays one */
	self->e.session_faults |= FAULT_BIT(FAULT_THERMAL_SHUTDOWN);
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(SEV_FAULT, self->d[0].severity);
	EXPECT_STREQ("the charger chip shut down from overheating", self->d[0].evidence);
	EXPECT_FALSE(self->d[0].passed);
	EXPECT_STREQ(cause_summary(CAUSE_CHARGER_FAULT), diagnosis_summary(&self->d[0]));
	EXPECT_STREQ(cause_fix(CAUSE_CHARGER_FAULT), diagnosis_fix(&self->d[0]));
}

/*
 * One chip reset is a dip the driver undid (fault chip-reset, nothing to
 * diagnose); CHIP_RESETS_MANY since the plug is the chip's supply dropping,
 * for repair (helper-59: eight in a row, "No charging problem found").
 * A charger reloaded (its count back at 0) adds nothing; the unplug and
 * the next plug start the count again.
 */
TEST_F(dg, repeated_chip_resets_are_the_chips_supply)
{
	struct snapshot old;
	const char *ev;
	int n, i;

	self->s.charger.chip_resets = 0;
	for (i = 1; i < CHIP_RESETS_MANY; i++) {
		old = self->s;
		self->s.charger.chip_resets = i;
		self->s.usec += S;
		evidence_snapshot(&self->e, &old, &self->s);
		EXPECT_EQ(0, run(self, FAULT_BIT(FAULT_CHIP_RESET), PAUSE_NONE, 100, true))
			TH_LOG("%d resets", i);
	}
	/* a reload: its count back at 0 adds nothing; its first reset counts (the third) */
	old = self->s;
	self->s.charger.chip_resets = 0;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_EQ(CHIP_RESETS_MANY - 1, self->e.chip_resets);
	old = self->s;
	self->s.charger.chip_resets = 1;
	evidence_snapshot(&self->e, &old, &self->s);
	n = run(self, 0, PAUSE_NONE, 100, true);
	ASSERT_EQ(1, n);
	EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
	EXPECT_EQ(SEV_WARNING, self->d[0].severity);
	ev = evidence_of(self->d, n, CAUSE_CHARGER_FAULT);
	ASSERT_NE(NULL, ev);
	EXPECT_NE(NULL, strstr(ev, "3 times since the plug")) TH_LOG("%s", ev);
	/* unknown counts (an older driver) add nothing */
	old = self->s;
	self->s.charger.chip_resets = PSY_NONE;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_EQ(CHIP_RESETS_MANY, self->e.chip_resets);
	/* unplugged: counted again from there */
	evidence_unplug(&self->e, self->s.usec, END_UNPLUGGED);
	self->s.charger.online = 0;
	n = run(self, 0, PAUSE_NONE, 100, true);
	EXPECT_EQ(NULL, evidence_of(self->d, n, CAUSE_CHARGER_FAULT));
	evidence_plug(&self->e, &self->c, self->s.usec + 100 * S);
	EXPECT_EQ(0u, self->e.chip_resets);
}

/*
 * Settings another bus master wrote, which the driver undid
 * (config_overwritten rose; no chip reset): a warning from the first, in
 * its own words: nothing to repair, a program or another processor on the bus to find;
 * never the chip's supply (helper-97: each such write counted as a chip
 * reset, and three were "its supply drops", for repair). The unplug ends
 * it; a reload's count back at 0 adds nothing.
 */
TEST_F(dg, settings_another_writer_changed_are_no_supply_fault)
{
	struct snapshot old;
	const char *ev;
	int n, i;

	self->s.charger.chip_resets = 0;
	self->s.charger.config_overwritten = 0;
	old = self->s;
	self->s.usec += S;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_EQ(NULL, evidence_of(self->d, run(self, 0, PAUSE_NONE, 100, true),
				    CAUSE_CHARGER_FAULT));
	for (i = 1; i <= CHIP_RESETS_MANY; i++) {
		old = self->s;
		self->s.charger.config_overwritten = i;
		self->s.usec += S;
		evidence_snapshot(&self->e, &old, &self->s);
		n = run(self, FAULT_BIT(FAULT_SETTINGS_OVERWRITTEN), PAUSE_NONE, 100, true);
		ASSERT_EQ(1, n) TH_LOG("%d writes", i);
		EXPECT_EQ(CAUSE_CHARGER_FAULT, self->d[0].cause);
		EXPECT_EQ(SEV_WARNING, self->d[0].severity);
		EXPECT_TRUE(self->d[0].overwritten);
		EXPECT_NE(NULL, strstr(diagnosis_summary(&self->d[0]), "other than the charger's driver"));
		EXPECT_NE(NULL, strstr(diagnosis_fix(&self->d[0]), "Nothing needs repair"));
		EXPECT_EQ(NULL, strstr(diagnosis_fix(&self->d[0]), "cool"));
	}
	ev = evidence_of(self->d, n, CAUSE_CHARGER_FAULT);
	ASSERT_NE(NULL, ev);
	EXPECT_NE(NULL, strstr(ev, "3 times since the plug")) TH_LOG("%s", ev);
	EXPECT_EQ(NULL, strstr(ev, "supply")) TH_LOG("%s", ev);
	EXPECT_EQ(0u, self->e.chip_resets);
	/* a reload: back at 0 adds nothing */
	old = self->s;
	self->s.charger.config_overwritten = 0;
	evidence_snapshot(&self->e, &old, &self->s);
	EXPECT_EQ(3u, self->e.config_overwritten);
	/* the chip's supply dropping too: its repair is said, not hidden (helper-102) */
	for (i = 1; i <= CHIP_RESETS_MANY; i++) {
		old = self->s;
		self->s.charger.chip_resets = i;
		evidence_snapshot(&self->e, &old, &self->s);
	}
	n = run(self, 0, PAUSE_NONE, 100, true);
	ev = evidence_of(self->d, n, CAUSE_CHARGER_FAULT);
	ASSERT_NE(NULL, ev);
	EXPECT_NE(NULL, strstr(ev, "supply drops")) TH_LOG("%s", ev);
	/* unplugged: nothing since */
	evidence_unplug(&self->e, self->s.usec, END_UNPLUGGED);
	self->s.charger.online = 0;
	n = run(self, 0, PAUSE_NONE, 100, true);
	EXPECT_EQ(NULL, evidence_of(self->d, n, CAUSE_CHARGER_FAULT));
}

/*
 * A collapse under load: a resistive cable or a source too weak, VBUS
 * cannot say which. Unmeasured, both, each with its fix (helper-59: the
 * cable alone); a load test that measured the cable bad, the cable; one
 * that measured it good, the source.
 */
TEST_F(dg, a_collapse_under_load_is_the_cable_or_the_source)
{
	const uint32_t collapse = FAULT_BIT(FAULT_INPUT_COLLAPSE);
	int n;

	self->s.charger.voltage_now = 3500000;
	n = run(self, collapse, PAUSE_NONE, 100, true);
	ASSERT_EQ(2, n);
	EXPECT_EQ(CAUSE_CABLE, self->d[0].cause);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[1].cause);
	EXPECT_EQ(SEV_WARNING, self->d[1].severity);
	EXPECT_NE(NULL, strstr(self->d[1].evidence, "a source too weak, or a resistive cable"));
	/* the cable measured good: the source alone */
	evidence_load_test(&self->e, 4900000, 5000000, 3900000, 1000000);
	ASSERT_TRUE(self->e.have_sag);
	n = run(self, collapse, PAUSE_NONE, 100, true);
	ASSERT_EQ(1, n);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "a cable measured good"));
	/* measured bad: the cable alone, with its figures */
	evidence_load_test(&self->e, 4000000, 5000000, 3900000, 1000000);
	n = run(self, collapse, PAUSE_NONE, 100, true);
	ASSERT_LE(1, n);
	EXPECT_EQ(CAUSE_CABLE, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "mOhm")) TH_LOG("%s", self->d[0].evidence);
	EXPECT_EQ(NULL, evidence_of(self->d, n, CAUSE_WEAK_SOURCE));
	/* from a computer port: the port is the weak source, said once */
	strcpy(self->s.charger.source_kind, "sdp");
	memset(&self->e, 0, sizeof(self->e));
	n = run(self, collapse, PAUSE_NONE, 100, true);
	ASSERT_EQ(2, n);
	EXPECT_NE(NULL, strstr(evidence_of(self->d, n, CAUSE_WEAK_SOURCE), "computer port"));
}

/* The evidence of cause in the first n found, or NULL. */
static const char *evidence_of(const struct diagnosis *d, int n, enum cause cause)
{
	int i;

	for (i = 0; i < n; i++)
		if (d[i].cause == cause)
			return d[i].evidence;
	return NULL;
}

/*
 * A value the driver does not report is said to be unknown in the
 * evidence, never printed as the placeholder: the chip's NTC zone says
 * hot on a board whose driver has no temp ("battery at 0.0 degC"), a
 * computer port without current_max ("limited to -1 mA").
 */
TEST_F(dg, unknown_values_are_said_unknown)
{
	const char *ev;
	int n;

	temp_is(&self->s, PSY_NONE);
	n = run(self, FAULT_BIT(FAULT_HOT), PAUSE_NONE, 100, false);
	ev = evidence_of(self->d, n, CAUSE_TOO_HOT);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("the charger's thermistor reads its hot zone (battery at an unknown temperature)",
		     ev);

	temp_is(&self->s, 250);
	strcpy(self->s.charger.source_kind, "sdp");
	self->s.charger.current_max = PSY_NONE;
	n = run(self, 0, PAUSE_NONE, 100, false);
	ev = evidence_of(self->d, n, CAUSE_WEAK_SOURCE);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("the source is a computer port or hub (SDP)", ev);
	self->s.charger.current_max = 500000;
	n = run(self, 0, PAUSE_NONE, 100, false);
	EXPECT_STREQ("the source is a computer port or hub (SDP), limited to 500 mA",
		     evidence_of(self->d, n, CAUSE_WEAK_SOURCE));

	strcpy(self->s.charger.source_kind, "dcp");
	self->s.charger.i2c_errors = PSY_NONE;
	n = run(self, FAULT_BIT(FAULT_NO_RESPONSE), PAUSE_NONE, 100, false);
	EXPECT_STREQ("the charger chip does not answer on its bus",
		     evidence_of(self->d, n, CAUSE_CHARGER_FAULT));
	self->s.charger.i2c_errors = 12;
	n = run(self, FAULT_BIT(FAULT_NO_RESPONSE), PAUSE_NONE, 100, false);
	EXPECT_STREQ("the charger chip does not answer on its bus (12 bus errors)",
		     evidence_of(self->d, n, CAUSE_CHARGER_FAULT));

	self->s.charger.i2c_errors = 0;
	strcpy(self->s.charger.charge_type, "Trickle");
	self->s.battery.voltage_now = PSY_NONE;
	n = run(self, 0, PAUSE_NONE, 100, false);
	EXPECT_STREQ("battery at an unknown voltage, precharging",
		     evidence_of(self->d, n, CAUSE_DEEP_DISCHARGE));
}

TEST_F(dg, derating_is_information)
{
	self->band = BAND_WARM;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 50, false));
	EXPECT_EQ(CAUSE_PAUSED_HEAT, self->d[0].cause);
	EXPECT_EQ(SEV_INFO, self->d[0].severity);
}

/*
 * A charge current another program lowered below the board's (helper-61:
 * 64 mA of 960, "chargerctl diagnose" said no problem while it charged at
 * a fifteenth of its rate): information, with both values. Not for a
 * board that set its own lower value (first read), not for a raise, not
 * unplugged.
 */
/*
 * A charge voltage lowered below the board's (chargerd writes none): the
 * battery reads full short of full, said as information (helper-90:
 * "full", with no finding). Rounding to VREG's 16 mV step is no lowering;
 * unplugged, or the board's unknown, nothing.
 */
TEST_F(dg, a_charge_voltage_lowered_by_another_program_is_said)
{
	const char *ev;

	self->s.charger.constant_charge_voltage = 4096000;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));	/* the board's not known */
	self->e.board_uv = 4352000;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_VOLTAGE_LIMITED, self->d[0].cause);
	EXPECT_EQ(SEV_INFO, self->d[0].severity);
	ev = evidence_of(self->d, 1, CAUSE_VOLTAGE_LIMITED);
	EXPECT_STREQ("charge voltage set to 4.10 V by another program, the board's is 4.35 V: the battery stops short of full",
		     ev);
	EXPECT_NE(NULL, strstr(diagnosis_summary(&self->d[0]), "short of a full battery"));
	EXPECT_STREQ("voltage-limited", cause_code(CAUSE_VOLTAGE_LIMITED));
	/* a step below the board's, as the driver rounds: no lowering */
	self->s.charger.constant_charge_voltage = 4352000 - 15999;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	self->s.charger.constant_charge_voltage = 4352000 - 16000;
	EXPECT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	/* raised above the board's: not this */
	self->s.charger.constant_charge_voltage = 4400000;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	/* unread, or unplugged: nothing */
	self->s.charger.constant_charge_voltage = PSY_NONE;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	self->s.charger.constant_charge_voltage = 4096000;
	self->s.charger.online = 0;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
}

TEST_F(dg, a_current_lowered_by_another_program_is_said)
{
	int n;

	self->e.board_ua = 960000;
	self->e.ceiling_ua = 64000;
	n = run(self, 0, PAUSE_NONE, 100, false);
	ASSERT_EQ(1, n);
	EXPECT_EQ(CAUSE_CURRENT_LIMITED, self->d[0].cause);
	EXPECT_EQ(SEV_INFO, self->d[0].severity);
	EXPECT_STREQ("charge current set to 64 mA by another program, the board's is 960 mA",
		     evidence_of(self->d, n, CAUSE_CURRENT_LIMITED));
	/* beside a thermal derating */
	self->band = BAND_WARM;
	n = run(self, 0, PAUSE_NONE, 50, false);
	EXPECT_EQ(2, n);
	EXPECT_NE(NULL, evidence_of(self->d, n, CAUSE_CURRENT_LIMITED));
	EXPECT_NE(NULL, evidence_of(self->d, n, CAUSE_PAUSED_HEAT));
	self->band = BAND_NORMAL;
	/* the board's own, a raise, unknown, unplugged: nothing */
	self->e.ceiling_ua = 960000;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	self->e.ceiling_ua = 2048000;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	self->e.ceiling_ua = 64000;
	self->e.board_ua = 0;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	self->e.board_ua = 960000;
	self->s.charger.online = 0;
	EXPECT_EQ(NULL, evidence_of(self->d, run(self, 0, PAUSE_NONE, 100, false),
				    CAUSE_CURRENT_LIMITED));
}

/*
 * What a person reads says the side of normal the policy acted on: "cool"
 * in the cool band, never "warm" or "let it cool"; the summary and the
 * fix fit every band (issue 18, item 12).
 */
TEST_F(dg, each_bands_wording_matches_the_band)
{
	static const struct {
		enum thermal_band band;
		long long dc;
		const char *word, *never;
	} bands[] = {
		{ BAND_COOL, 80, "battery is cool", "warm" },
		{ BAND_WARM, 370, "battery is warm", "cool" },
		{ BAND_HOT, 410, "battery is hot", "cool" },
	};
	const char *summary = cause_summary(CAUSE_PAUSED_HEAT), *fix = cause_fix(CAUSE_PAUSED_HEAT);
	unsigned int i;

	for (i = 0; i < sizeof(bands) / sizeof(bands[0]); i++) {
		self->band = bands[i].band;
		temp_is(&self->s, bands[i].dc);
		ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 50, false));
		EXPECT_EQ(CAUSE_PAUSED_HEAT, self->d[0].cause);
		EXPECT_NE(NULL, strstr(self->d[0].evidence, bands[i].word)) TH_LOG("%s", self->d[0].evidence);
		EXPECT_EQ(NULL, strstr(self->d[0].evidence, bands[i].never)) TH_LOG("%s", self->d[0].evidence);
	}
	/* shared by every band: neither may name one side */
	EXPECT_EQ(NULL, strstr(summary, "because the battery is warm"));
	EXPECT_EQ(NULL, strstr(fix, "cools down"));
	EXPECT_EQ(NULL, strstr(fix, "warms up"));
}

TEST_F(dg, the_battery)
{
	strcpy(self->s.charger.charge_type, "Trickle");
	self->s.battery.voltage_now = 2800000;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_DEEP_DISCHARGE, self->d[0].cause);
	EXPECT_NE(NULL, strstr(cause_fix(CAUSE_DEEP_DISCHARGE), "one to two hours"));
	healthy(&self->s);
	self->s.battery.charge_full = 700000;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_WORN_BATTERY, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "70 %"));
	healthy(&self->s);
	self->s.battery.cycle_count = 800;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_WORN_BATTERY, self->d[0].cause);
}

/* Issue 18, item 7: a gauge seen before, then gone or silent. */
TEST_F(dg, a_vanished_battery_is_a_cause_not_a_pause)
{
	struct psy_snapshot *b = &self->s.battery;

	/* as psy_read() leaves a supply that is not there */
	memset(b, 0, sizeof(*b));
	b->capacity = b->voltage_now = b->temp = b->charge_full = PSY_NONE;
	b->charge_full_design = b->cycle_count = b->charge_now = PSY_NONE;
	/* never seen (a board without a gauge): no finding */
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
	/* seen, then gone, once it lasts (not a reload's): a fault, first; no "paused at -1 %" */
	self->e.battery_seen = true;
	self->s.usec = 100 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	EXPECT_EQ(0, run(self, 0, PAUSE_IN_USE, 100, false));
	/* asked within the wait: a warning in a reload's words */
	self->s.usec = 103 * S + S / 2;
	evidence_snapshot(&self->e, NULL, &self->s);
	ASSERT_LE(1, run(self, 0, PAUSE_IN_USE, 100, true));
	EXPECT_EQ(CAUSE_BATTERY_NOT_DETECTED, self->d[0].cause);
	EXPECT_EQ(SEV_WARNING, self->d[0].severity);
	EXPECT_TRUE(self->d[0].pending);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "gone, for less than 10 s")) TH_LOG("%s", self->d[0].evidence);
	EXPECT_NE(NULL, strstr(diagnosis_summary(&self->d[0]), "a moment ago"));
	EXPECT_EQ(NULL, strstr(diagnosis_fix(&self->d[0]), "repair"));
	self->s.usec = 110 * S;
	evidence_snapshot(&self->e, NULL, &self->s);
	ASSERT_LE(1, run(self, 0, PAUSE_IN_USE, 100, false));
	EXPECT_EQ(CAUSE_BATTERY_NOT_DETECTED, self->d[0].cause);
	EXPECT_EQ(SEV_FAULT, self->d[0].severity);
	EXPECT_FALSE(self->d[0].pending);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "gone"));
	EXPECT_EQ(NULL, strstr(self->d[0].evidence, "less than")) TH_LOG("%s", self->d[0].evidence);
	EXPECT_EQ(1, run(self, 0, PAUSE_IN_USE, 100, false));
	/* present but silent: the same cause, said so */
	healthy(&self->s);
	self->s.battery.capacity = PSY_NONE;
	self->s.battery.voltage_now = PSY_NONE;
	ASSERT_EQ(1, run(self, 0, PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_BATTERY_NOT_DETECTED, self->d[0].cause);
	EXPECT_NE(NULL, strstr(self->d[0].evidence, "no charge and no voltage"));
	/* one reading back: not this cause */
	self->s.battery.voltage_now = 3900000;
	EXPECT_EQ(0, run(self, 0, PAUSE_NONE, 100, false));
}

TEST_F(dg, ranked_and_bounded)
{
	strcpy(self->s.charger.source_kind, "sdp");
	self->s.battery.cycle_count = 900;
	ASSERT_EQ(3, run(self, FAULT_BIT(FAULT_INPUT_OVP), PAUSE_NONE, 100, false));
	EXPECT_EQ(CAUSE_ADAPTER_OVERVOLTAGE, self->d[0].cause);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->d[1].cause);
	EXPECT_EQ(CAUSE_WORN_BATTERY, self->d[2].cause);
	/* room for one: the first */
	ASSERT_EQ(1, diagnose(&self->c, &self->s, &self->e, FAULT_BIT(FAULT_INPUT_OVP), PAUSE_NONE,
			      100, BAND_NORMAL, false, self->d, 1));
	EXPECT_EQ(CAUSE_ADAPTER_OVERVOLTAGE, self->d[0].cause);
	EXPECT_EQ(0, diagnose(&self->c, &self->s, &self->e, 0, PAUSE_NONE, 100, BAND_NORMAL, false,
			      self->d, 0));
}

TEST(every_cause_is_described)
{
	int c, k;

	for (c = 0; c < CAUSE__COUNT; c++) {
		ASSERT_NE(NULL, cause_code(c));
		EXPECT_NE(NULL, cause_summary(c));
		EXPECT_NE(NULL, cause_fix(c));
		ASSERT_NE(NULL, cause_message_id(c));
		EXPECT_EQ(32, strlen(cause_message_id(c)));
		for (k = 0; k < c; k++) {
			EXPECT_STRNE(cause_code(c), cause_code(k));
			EXPECT_STRNE(cause_message_id(c), cause_message_id(k));
		}
	}
	EXPECT_EQ(NULL, cause_code(CAUSE__COUNT));
}

TEST_HARNESS_MAIN
