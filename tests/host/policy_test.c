// SPDX-License-Identifier: GPL-2.0
/*
 * The charge policies over temperature ramps and capacity sequences:
 * bands, hysteresis, the current never above the battery's maximum, pause
 * reasons, and what an unknown reading does.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/policy.h"

static void snap(struct snapshot *s, long long temp_dc, long long cap, long long max_ua)
{
	memset(s, 0, sizeof(*s));
	s->charger.present = s->battery.present = true;
	s->charger.online = 1;
	s->charger.temp = PSY_NONE;
	s->battery.temp = temp_dc;
	s->battery.capacity = cap;
	s->charger.constant_charge_current_max = max_ua;
}

FIXTURE(pol) {
	struct policy_config c;
	bool in_use;
	long long base_ua;		/* the board's current before chargerd; -1 unknown */
	struct policy_state st;
	struct policy_result r;
	struct snapshot s;
};

FIXTURE_SETUP(pol)
{
	struct chargerd_config cfg;

	config_defaults(&cfg);
	self->c = cfg.policy;
	self->in_use = false;
	self->base_ua = -1;
	memset(&self->st, 0, sizeof(self->st));
}

FIXTURE_TEARDOWN(pol)
{
}

static void at(struct _test_data_pol *self, long long dc)
{
	snap(&self->s, dc, 50, 1000000);
	policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
}

TEST_F(pol, the_default_table_going_up)
{
	static const struct {
		long long dc;
		enum thermal_band band;
		long long ua;
		bool inhibit;
	} up[] = {
		{ -100, BAND_COLD_STOP, -1, true }, { 49, BAND_COLD_STOP, -1, true },
		/* out of the cold, the hysteresis holds it back by 2 degC */
		{ 100, BAND_COOL, 500000, false }, { 119, BAND_COOL, 500000, false },
		{ 120, BAND_NORMAL, 1000000, false }, { 349, BAND_NORMAL, 1000000, false },
		{ 350, BAND_WARM, 500000, false }, { 399, BAND_WARM, 500000, false },
		{ 400, BAND_HOT, 250000, false }, { 429, BAND_HOT, 250000, false },
		{ 430, BAND_HOT_STOP, -1, true }, { 600, BAND_HOT_STOP, -1, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(up); i++) {
		at(self, up[i].dc);
		EXPECT_EQ(up[i].band, self->st.band) TH_LOG("%lld", up[i].dc);
		EXPECT_EQ(up[i].ua, self->r.charge_current_ua) TH_LOG("%lld", up[i].dc);
		EXPECT_EQ(up[i].inhibit, self->r.inhibit) TH_LOG("%lld", up[i].dc);
	}
	EXPECT_EQ(PAUSE_HEAT, self->r.pause);
}

TEST_F(pol, hysteresis_on_the_way_back)
{
	at(self, 450);
	ASSERT_EQ(BAND_HOT_STOP, self->st.band);
	EXPECT_TRUE(self->r.band_changed);
	EXPECT_TRUE(self->r.pause_changed);
	/* 42.9 and 41.0 degC: still stopped; 40.9: back to hot (a quarter) */
	at(self, 429);
	EXPECT_EQ(BAND_HOT_STOP, self->st.band);
	EXPECT_FALSE(self->r.band_changed);
	at(self, 410);
	EXPECT_EQ(BAND_HOT_STOP, self->st.band);
	at(self, 409);
	EXPECT_EQ(BAND_HOT, self->st.band);
	EXPECT_TRUE(self->r.band_changed);
	EXPECT_EQ(BAND_HOT_STOP, self->r.old_band);
	EXPECT_FALSE(self->r.inhibit);
	EXPECT_EQ(PAUSE_NONE, self->r.pause);
	EXPECT_EQ(PAUSE_HEAT, self->r.old_pause);
	/* warming again is immediate */
	at(self, 430);
	EXPECT_EQ(BAND_HOT_STOP, self->st.band);
	/* a big drop goes as far as the hysteresis allows */
	at(self, 250);
	EXPECT_EQ(BAND_NORMAL, self->st.band);
	at(self, 340);
	EXPECT_EQ(BAND_NORMAL, self->st.band);
	/* cold side: out at 5 degC, back at 7 */
	at(self, 40);
	EXPECT_EQ(BAND_COLD_STOP, self->st.band);
	EXPECT_EQ(PAUSE_COLD, self->r.pause);
	at(self, 69);
	EXPECT_EQ(BAND_COLD_STOP, self->st.band);
	at(self, 70);
	EXPECT_EQ(BAND_COOL, self->st.band);
	EXPECT_EQ(500000, self->r.charge_current_ua);
}

TEST_F(pol, never_above_the_battery_maximum_over_any_ramp)
{
	long long dc, max = 960000;
	int dir;

	for (dir = 0; dir < 2; dir++)
		for (dc = -200; dc <= 700; dc += 7) {
			snap(&self->s, dir ? 500 - dc : dc, 50, max);
			policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
			EXPECT_LE(self->r.charge_current_ua, max);
			/* a stopped band never asks for current */
			if (self->r.inhibit)
				EXPECT_EQ(-1, self->r.charge_current_ua);
		}
}

/*
 * Issue 18, item 11: a board that sets 500 mA for a 1 A cell (to keep a
 * headphone cool) keeps 500 mA in the normal band, and the bands derate
 * from there; a board value above the cell's maximum is capped by it.
 */
TEST_F(pol, never_above_what_the_board_set)
{
	self->base_ua = 500000;
	at(self, 250);
	EXPECT_EQ(BAND_NORMAL, self->st.band);
	EXPECT_EQ(500000, self->r.charge_current_ua);
	at(self, 370);
	EXPECT_EQ(BAND_WARM, self->st.band);
	EXPECT_EQ(250000, self->r.charge_current_ua);
	at(self, 250);
	EXPECT_EQ(500000, self->r.charge_current_ua);
	self->base_ua = 3000000;	/* more than the cell's 1 A */
	at(self, 250);
	EXPECT_EQ(1000000, self->r.charge_current_ua);
	self->base_ua = 0;		/* unknown: the cell's maximum */
	at(self, 250);
	EXPECT_EQ(1000000, self->r.charge_current_ua);
}

TEST_F(pol, unknown_readings)
{
	at(self, 380);
	ASSERT_EQ(BAND_WARM, self->st.band);
	/* no temperature: the band stays */
	snap(&self->s, PSY_NONE, 50, 1000000);
	policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
	EXPECT_EQ(BAND_WARM, self->st.band);
	EXPECT_EQ(PSY_NONE, self->r.temp_dc);
	/* the charger's NTC when the gauge has none */
	self->s.charger.temp = 440;
	policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
	EXPECT_EQ(BAND_HOT_STOP, self->st.band);
	/* no battery maximum: nothing to scale, nothing written */
	snap(&self->s, 380, 50, PSY_NONE);
	policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
	EXPECT_EQ(-1, self->r.charge_current_ua);
}

TEST_F(pol, in_use_pauses_at_80_and_resumes_below_75)
{
	static const struct {
		bool in_use;
		long long cap;
		bool paused;
	} seq[] = {
		{ true, 50, false }, { true, 79, false }, { true, 80, true }, { true, 78, true },
		{ true, 75, true }, { true, 74, false }, { true, 79, false }, { true, 81, true },
		{ true, PSY_NONE, true },	/* unknown: held a reload's while (below) */
		{ false, 81, false },		/* use ended: charge to full */
		{ false, 95, false }, { true, 95, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(seq); i++) {
		self->in_use = seq[i].in_use;
		snap(&self->s, 250, seq[i].cap, 1000000);
		policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
		EXPECT_EQ(seq[i].paused, self->r.inhibit) TH_LOG("step %u", i);
		EXPECT_EQ(seq[i].paused ? PAUSE_IN_USE : PAUSE_NONE, self->r.pause);
		/* in-use pauses; it does not lower the current */
		EXPECT_EQ(1000000, self->r.charge_current_ua);
	}
}

/*
 * Issue 18, item 7: an in-use pause does not hold on an unknown charge,
 * but waits 10 s for it (IN_USE_UNKNOWN_HOLD_USEC): a gauge's driver
 * reloaded let go and charged for a second (helper-71). Not paused on an
 * unknown charge, nor paused anew.
 */
TEST_F(pol, in_use_lets_go_of_an_unknown_charge)
{
	static const struct {
		uint64_t s10;		/* 0.1 s */
		long long cap;
		bool paused;
	} seq[] = {
		{ 1000, 85, true }, { 1010, PSY_NONE, true }, { 1109, PSY_NONE, true },
		{ 1110, PSY_NONE, false },	/* gone for good */
		{ 1200, PSY_NONE, false }, { 1210, 85, true },	/* known again: paused again */
		{ 1300, PSY_NONE, true }, { 1320, 85, true },	/* a reload: no let-go */
		{ 1400, 50, false }, { 1410, PSY_NONE, false },	/* not paused: not paused anew */
		{ 1420, 85, true }, { 1430, PSY_NONE, true },
		{ 1425, PSY_NONE, true },	/* a look dated before: the wait starts again */
		{ 1524, PSY_NONE, true }, { 1525, PSY_NONE, false },
	};
	unsigned int i;

	self->in_use = true;
	for (i = 0; i < ARRAY_SIZE(seq); i++) {
		snap(&self->s, 250, seq[i].cap, 1000000);
		self->s.usec = seq[i].s10 * 100000;
		policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
		EXPECT_EQ(seq[i].paused ? PAUSE_IN_USE : PAUSE_NONE, self->r.pause) TH_LOG("step %u", i);
		EXPECT_EQ(seq[i].paused, self->r.inhibit) TH_LOG("step %u", i);
	}
	/* use ended meanwhile: charge to full at once */
	snap(&self->s, 250, PSY_NONE, 1000000);
	self->s.usec = 1526 * 100000ULL;
	self->st.in_use_paused = true;
	self->st.cap_lost_usec = self->s.usec;
	policy_eval(&self->c, false, self->base_ua, &self->st, &self->s, &self->r);
	EXPECT_EQ(PAUSE_NONE, self->r.pause);
}

TEST_F(pol, heat_outranks_in_use)
{
	self->in_use = true;
	snap(&self->s, 450, 90, 1000000);
	policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
	EXPECT_EQ(PAUSE_HEAT, self->r.pause);
	snap(&self->s, 250, 90, 1000000);
	policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
	EXPECT_EQ(PAUSE_IN_USE, self->r.pause);
	EXPECT_TRUE(self->r.pause_changed);
	EXPECT_STREQ("in-use", pause_reason_name(self->r.pause));
	EXPECT_STREQ("hot-stop", thermal_band_name(BAND_HOT_STOP));
}

/*
 * The policy's state across a restart (runtime.c's policy file): a stop
 * keeps its hysteresis (a fresh start at 42 degC charged in the stop's
 * band), an in-use pause holds through a gauge's reload, and a stop that
 * ended meanwhile is a change, so it is said (helper-79: never said).
 */
TEST_F(pol, a_restart_goes_on_from_the_state_it_left)
{
	static const char *const bad[] = {
		"", "\n", "hot-stop", "hot-stop 2\n", "hot-stop 1 \n", "hot-stop  1\n", " hot-stop 1",
		"hot 1\nx", "hotstop 1", "hot-sto 1", "hot-stopp 1", "? 0", "normal -1",
	};
	struct policy_state back;
	char line[POLICY_STATE_LINE_MAX];
	unsigned int i;

	at(self, 470);
	ASSERT_EQ(BAND_HOT_STOP, self->st.band);
	policy_state_format(&self->st, line, sizeof(line));
	EXPECT_STREQ("hot-stop 0\n", line);
	ASSERT_EQ(0, policy_state_parse(line, &back));
	/* restarted at 42 degC: still stopped, not said again */
	self->st = back;
	at(self, 420);
	EXPECT_EQ(BAND_HOT_STOP, self->st.band);
	EXPECT_TRUE(self->r.inhibit);
	EXPECT_FALSE(self->r.band_changed);
	/* a fresh start there charges (what the file is for) */
	memset(&self->st, 0, sizeof(self->st));
	at(self, 420);
	EXPECT_FALSE(self->r.inhibit);
	/* cooled while chargerd was down: the stop's end, said */
	self->st = back;
	at(self, 250);
	EXPECT_TRUE(self->r.band_changed);
	EXPECT_TRUE(self->r.pause_changed);
	EXPECT_EQ(PAUSE_HEAT, self->r.old_pause);
	EXPECT_EQ(PAUSE_NONE, self->r.pause);
	/*
	 * a band from the other side of normal (stopped cold for hours, now
	 * hot): the band the reading is in, at once (helper-81: charged in
	 * the hot band at 44 degC, and in the cool one at 4)
	 */
	ASSERT_EQ(0, policy_state_parse("cold-stop 0\n", &back));
	self->st = back;
	at(self, 440);
	EXPECT_EQ(BAND_HOT_STOP, self->st.band);
	EXPECT_TRUE(self->r.inhibit);
	ASSERT_EQ(0, policy_state_parse("hot-stop 0\n", &back));
	self->st = back;
	at(self, 40);
	EXPECT_EQ(BAND_COLD_STOP, self->st.band);
	EXPECT_TRUE(self->r.inhibit);
	/* an in-use pause, its charge unknown at the restart (a gauge reloading): held */
	ASSERT_EQ(0, policy_state_parse("normal 1\n", &back));
	self->st = back;
	self->in_use = true;
	snap(&self->s, 250, PSY_NONE, 1000000);
	self->s.usec = 100000000;
	policy_eval(&self->c, self->in_use, self->base_ua, &self->st, &self->s, &self->r);
	EXPECT_EQ(PAUSE_IN_USE, self->r.pause);
	EXPECT_FALSE(self->r.pause_changed);
	/* every band back as it was */
	for (i = 0; i < BAND__COUNT; i++) {
		struct policy_state st = { .started = true, .band = i, .in_use_paused = i % 2 };

		policy_state_format(&st, line, sizeof(line));
		ASSERT_EQ(0, policy_state_parse(line, &back)) TH_LOG("%s", line);
		EXPECT_EQ(st.band, back.band);
		EXPECT_EQ(st.in_use_paused, back.in_use_paused);
		EXPECT_TRUE(back.started);
	}
	back.band = BAND_WARM;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *l = bad[i];

		EXPECT_EQ(-EINVAL, policy_state_parse(l, &back)) {
			TH_LOG("\"%s\"", l);
		}
	}
	EXPECT_EQ(BAND_WARM, back.band);
}

TEST_HARNESS_MAIN
