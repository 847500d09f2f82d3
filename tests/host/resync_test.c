// SPDX-License-Identifier: GPL-2.0
/*
 * One resync's decisions (agent/resync.c), from snapshots built by hand:
 * what is written to the charger, journalled, signalled and published,
 * and which timers run, before the manager does any of it.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/resync.h"

#define S	1000000ULL

/* On battery, 85 %, 25 degC; the charger present and idle. */
static void unplugged(struct snapshot *s, uint64_t usec)
{
	struct psy_snapshot *c = &s->charger, *b = &s->battery;

	memset(s, 0, sizeof(*s));
	s->usec = usec;
	c->present = b->present = true;
	strcpy(c->name, "bq25895-charger");
	strcpy(b->name, "battery");
	strcpy(c->status, "Discharging");
	strcpy(c->health, "Good");
	strcpy(c->charge_behaviour, "auto");
	strcpy(c->input_dpm, "none");
	c->online = 0;
	c->constant_charge_current = 2048000;
	c->constant_charge_current_max = 2048000;
	c->temp = 250;
	b->temp = 250;
	b->capacity = 85;
	b->voltage_now = 4000000;
	b->charge_full = 950000;
	b->charge_full_design = 1000000;
}

/* The same, on a 2 A wall adapter, charging at 1 A. */
static void charging(struct snapshot *s, uint64_t usec)
{
	struct psy_snapshot *c = &s->charger;

	unplugged(s, usec);
	strcpy(c->status, "Charging");
	strcpy(c->source_kind, "dcp");
	strcpy(c->usb_type, "DCP");
	strcpy(c->charge_type, "Fast");
	c->online = 1;
	c->voltage_now = 5000000;
	c->current_now = 1000000;
	c->current_max = 2000000;
}

FIXTURE(rs) {
	struct chargerd_config cfg;
	struct snapshot old, now;
	struct session sess;
	struct policy_state pol;
	struct evidence evid;
	struct resync_input in;
	struct resync_state st;
	struct resync_outcome out;
};

FIXTURE_SETUP(rs)
{
	config_defaults(&self->cfg);
	self->cfg.load_test = 1;
	session_init(&self->sess);
	memset(&self->pol, 0, sizeof(self->pol));
	memset(&self->evid, 0, sizeof(self->evid));
	unplugged(&self->old, 10 * S);
	self->in = (struct resync_input){
		.cfg = &self->cfg, .snap = &self->now, .wall = { .s = 1800000000 }, .next_id = 1,
		.last_checkpoint_usec = 10 * S, .written_ua = -1, .written_inhibit = -1,
		.led = LED__COUNT,
	};
	self->st = (struct resync_state){ .sess = &self->sess, .pol = &self->pol,
					  .evid = &self->evid };
	/* the first resync, on battery: nothing happened yet */
	unplugged(&self->now, 10 * S);
	resync_plan(&self->in, &self->st, &self->out);
	self->old = self->now;
	self->in.old = &self->old;
	self->in.diagnosed = self->out.diagnosed;
	self->in.unresolved = self->out.unresolved;
	self->in.led = self->out.led;
}

FIXTURE_TEARDOWN(rs)
{
}

/* The next resync with self->now; the outcome's state becomes the input's. */
static void step(struct _test_data_rs *self)
{
	resync_plan(&self->in, &self->st, &self->out);
	self->old = self->now;
	self->in.diagnosed = self->out.diagnosed;
	self->in.unresolved = self->out.unresolved;
	self->in.led = self->out.led;
	self->in.probe_done = self->out.probe_done;
	if (self->out.write_ua > 0) {
		self->in.written_ua = self->out.write_ua;
		/* charger_write() reads it back into the snapshot: the next's old */
		self->old.charger.constant_charge_current = self->out.write_ua;
	}
	if (self->out.write_inhibit >= 0)
		self->in.written_inhibit = self->out.write_inhibit;
	if (self->out.online)
		self->in.hand_back_tried = false;
	else if (self->out.write_inhibit == 0)
		self->in.hand_back_tried = true;
	else if (self->out.write_inhibit == 1)
		self->in.hand_back_tried = false;	/* a stop ahead of the plug, handed back again */
	if (self->out.write_inhibit == 1)
		self->in.inhibit_usec = self->now.usec;
	if (self->out.checkpoint)
		self->in.last_checkpoint_usec = self->now.usec;
	if (self->out.step.started)
		self->in.next_id = self->sess.rec.id + 1;
}

TEST_F(rs, on_battery_nothing_is_written_and_no_timer_runs)
{
	unplugged(&self->now, 20 * S);
	step(self);
	EXPECT_FALSE(self->out.online);
	EXPECT_EQ(-1, self->out.write_ua);
	EXPECT_EQ(-1, self->out.write_inhibit);
	EXPECT_FALSE(self->out.resync_timer);
	EXPECT_FALSE(self->out.watch_alsa);
	EXPECT_FALSE(self->out.load_test);
	EXPECT_FALSE(self->out.settle);
	EXPECT_STREQ("discharging", self->out.pub.state);
	EXPECT_EQ(0, self->out.pub.online);
	EXPECT_EQ(0, self->out.pub.session);
	EXPECT_STREQ("", self->out.pub.paused);
}

TEST_F(rs, a_plug_starts_a_session_a_second_look_and_the_timers)
{
	self->cfg.resync_s = 0;	/* "never" once: the thermal limits' looks run all the same */
	charging(&self->now, 20 * S);
	step(self);
	EXPECT_TRUE(self->out.step.plugged);
	EXPECT_TRUE(self->out.step.started);
	EXPECT_TRUE(self->out.settle);
	EXPECT_TRUE(self->out.checkpoint);
	EXPECT_TRUE(self->out.resync_timer);
	EXPECT_TRUE(self->out.watch_alsa);	/* auto mode by default */
	EXPECT_EQ(1, self->out.pub.session);
	EXPECT_EQ(1, self->out.pub.online);
	EXPECT_STREQ("charging", self->out.pub.state);
	EXPECT_STREQ("dcp", self->out.pub.source_kind);
	/* the full current, written once: it reads back what was asked */
	EXPECT_EQ(2048000, self->out.write_ua);
	charging(&self->now, 21 * S);
	step(self);
	EXPECT_FALSE(self->out.step.plugged);
	EXPECT_FALSE(self->out.settle);
	EXPECT_EQ(-1, self->out.write_ua);
	EXPECT_EQ(-1, self->out.write_inhibit);
	/* a change behind chargerd's back is written again */
	self->now.charger.constant_charge_current = 3008000;
	self->now.usec = 22 * S;
	step(self);
	EXPECT_EQ(2048000, self->out.write_ua);
}

/*
 * Another writer (root, a board script) lowers constant_charge_current
 * while chargerd runs (helper-51): that is the ceiling from then on. At
 * the next thermal band chargerd scaled its old base and wrote 1024 mA
 * over the user's 500 mA, then 2048 mA when the battery cooled.
 */
TEST_F(rs, a_current_lowered_by_another_is_never_raised)
{
	charging(&self->now, 20 * S);
	step(self);
	ASSERT_EQ(2048000, self->out.write_ua);
	self->now.charger.constant_charge_current = 2048000;	/* read back */
	/* root writes 500 mA */
	charging(&self->now, 21 * S);
	self->now.charger.constant_charge_current = 500000;
	step(self);
	EXPECT_EQ(500000, self->out.ceiling_ua);
	EXPECT_EQ(500000, self->out.write_ua);	/* what it is: never more */
	self->in.base_ua = self->out.ceiling_ua;	/* as the manager keeps it */
	/* warm: half of the user's, not of the board's */
	charging(&self->now, 22 * S);
	self->now.charger.constant_charge_current = 500000;
	self->now.battery.temp = 370;
	step(self);
	EXPECT_EQ(-1, self->out.ceiling_ua);
	EXPECT_EQ(250000, self->out.write_ua);
	/* cool again: the user's, no more */
	charging(&self->now, 23 * S);
	self->now.charger.constant_charge_current = 250000;
	step(self);
	EXPECT_EQ(-1, self->out.ceiling_ua);	/* chargerd's own write, read back */
	EXPECT_EQ(500000, self->out.write_ua);
	/* a raise by another over the battery's maximum is not kept, and said */
	charging(&self->now, 24 * S);
	self->now.charger.constant_charge_current = 3000000;
	step(self);
	EXPECT_EQ(3000000, self->out.set_ua);
	EXPECT_EQ(-1, self->out.ceiling_ua);
	EXPECT_EQ(500000, self->out.write_ua);
	EXPECT_TRUE(self->out.set_undone);
	/* lower after a chip reset: the chip's defaults, not a writer's */
	charging(&self->now, 25 * S);
	self->now.charger.constant_charge_current = 500000;
	step(self);
	charging(&self->now, 26 * S);
	self->now.charger.constant_charge_current = 256000;
	self->now.charger.chip_resets = 1;
	step(self);
	EXPECT_EQ(-1, self->out.ceiling_ua);
	/* an unknown reading is not a lower one */
	charging(&self->now, 27 * S);
	self->now.charger.chip_resets = 1;
	self->now.charger.constant_charge_current = PSY_NONE;
	step(self);
	EXPECT_EQ(-1, self->out.ceiling_ua);

	/*
	 * Set while chargerd derates (helper-55): 1.5 A over chargerd's 1 A
	 * (warm, half of 2 A) is the user's full rate, not a raise undone
	 * (then 2 A at the cool band): 750 mA warm, 1.5 A cool.
	 */
	self->in.base_ua = 2048000;
	charging(&self->now, 30 * S);
	self->now.battery.temp = 370;
	step(self);
	ASSERT_EQ(1024000, self->out.write_ua);
	charging(&self->now, 31 * S);
	self->now.battery.temp = 370;
	self->now.charger.constant_charge_current = 1500000;
	step(self);
	EXPECT_EQ(1500000, self->out.ceiling_ua);
	EXPECT_EQ(750000, self->out.write_ua);
	self->in.base_ua = self->out.ceiling_ua;
	charging(&self->now, 32 * S);
	self->now.charger.constant_charge_current = 750000;
	step(self);
	EXPECT_EQ(1500000, self->out.write_ua);
	/* a charger that does not count its resets: nothing taken (its reset is not told) */
	charging(&self->now, 33 * S);
	self->now.charger.constant_charge_current = 1500000;
	step(self);
	charging(&self->now, 34 * S);
	self->now.charger.chip_resets = PSY_NONE;
	self->now.charger.constant_charge_current = 1000000;
	self->old.charger.chip_resets = PSY_NONE;
	step(self);
	EXPECT_EQ(-1, self->out.ceiling_ua);
}

/*
 * Another writer lowers the current, then raises it again (helper-61:
 * 64 mA, then 960 mA): the raise, up to the battery's maximum, is the new
 * ceiling. chargerd wrote the 64 mA back, and kept it until the reboot.
 * The thermal band still scales it; the ceiling itself written while
 * chargerd derates is written back, and said.
 */
TEST_F(rs, a_raise_by_another_within_the_maximum_is_the_new_ceiling)
{
	self->in.base_ua = 960000;
	self->in.board_ua = 960000;
	charging(&self->now, 20 * S);
	self->now.charger.constant_charge_current = 960000;
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_CURRENT_LIMITED));
	/* lowered to 64 mA: diagnosed at once (information) */
	charging(&self->now, 21 * S);
	self->now.charger.constant_charge_current = 64000;
	step(self);
	ASSERT_EQ(64000, self->out.ceiling_ua);
	EXPECT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_CURRENT_LIMITED));
	self->in.base_ua = self->out.ceiling_ua;
	/* raised to 960 mA: kept, nothing written over it */
	charging(&self->now, 22 * S);
	self->now.charger.constant_charge_current = 960000;
	step(self);
	EXPECT_EQ(960000, self->out.set_ua);
	EXPECT_EQ(960000, self->out.ceiling_ua);
	/* (written again, the same: chargerd's last write was 64 mA) */
	EXPECT_EQ(960000, self->out.write_ua);
	EXPECT_FALSE(self->out.set_undone);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_CURRENT_LIMITED));
	self->in.base_ua = self->out.ceiling_ua;
	/* over the board's first value, up to the battery's 2048 mA: kept */
	charging(&self->now, 23 * S);
	self->now.charger.constant_charge_current = 2048000;
	step(self);
	EXPECT_EQ(2048000, self->out.ceiling_ua);
	self->in.base_ua = self->out.ceiling_ua;
	/* warm: half of the new ceiling */
	charging(&self->now, 24 * S);
	self->now.charger.constant_charge_current = 2048000;
	self->now.battery.temp = 370;
	step(self);
	EXPECT_EQ(-1, self->out.ceiling_ua);
	ASSERT_EQ(1024000, self->out.write_ua);
	/* the ceiling itself, set while chargerd derates: written back, said */
	charging(&self->now, 25 * S);
	self->now.battery.temp = 370;
	self->now.charger.constant_charge_current = 2048000;
	step(self);
	EXPECT_EQ(2048000, self->out.set_ua);
	EXPECT_EQ(-1, self->out.ceiling_ua);
	EXPECT_EQ(1024000, self->out.write_ua);
	EXPECT_TRUE(self->out.set_undone);
	/*
	 * no maximum known: chargerd sets no current, so a raise is the
	 * ceiling too, to be handed back (it was neither kept nor written
	 * over, and the stop handed back the ceiling before it: helper-63)
	 */
	self->in.base_ua = 960000;
	charging(&self->now, 26 * S);
	self->now.charger.constant_charge_current = 960000;
	self->now.charger.constant_charge_current_max = PSY_NONE;
	step(self);
	charging(&self->now, 27 * S);
	self->now.charger.constant_charge_current = 1500000;
	self->now.charger.constant_charge_current_max = PSY_NONE;
	step(self);
	EXPECT_EQ(1500000, self->out.set_ua);
	EXPECT_EQ(1500000, self->out.ceiling_ua);
	EXPECT_EQ(-1, self->out.write_ua);
	EXPECT_FALSE(self->out.set_undone);
	self->in.base_ua = self->out.ceiling_ua;

	/*
	 * The driver bound again while chargerd derates (a new device at its
	 * probe's 2048 mA over chargerd's 1024): no other program's value
	 * (helper-63: "set by another program ... wrote back")
	 */
	self->in.base_ua = 2048000;
	charging(&self->now, 28 * S);
	self->now.battery.temp = 370;
	self->now.charger.constant_charge_current = 1024000;
	step(self);
	charging(&self->now, 29 * S);
	self->now.battery.temp = 370;
	self->now.charger.constant_charge_current = 2048000;
	self->in.charger_fresh = true;
	self->in.written_ua = -1;
	step(self);
	self->in.charger_fresh = false;
	EXPECT_EQ(-1, self->out.set_ua);
	EXPECT_EQ(-1, self->out.ceiling_ua);
	EXPECT_FALSE(self->out.set_undone);
	EXPECT_EQ(1024000, self->out.write_ua);
	/* and the band's record again: the last one named the old device's current */
	EXPECT_TRUE(self->out.log_thermal);
	EXPECT_TRUE(self->out.thermal_for_device);
	/*
	 * its write refused for its permissions (udev not yet run): the
	 * manager keeps the record owed, said at the look whose write goes
	 * through (helper-65: it named the probe's 2048 mA)
	 */
	self->in.thermal_owed = true;
	charging(&self->now, 30 * S);
	self->now.battery.temp = 370;
	self->now.charger.constant_charge_current = 2048000;
	self->old.charger.constant_charge_current = 2048000;
	step(self);
	EXPECT_TRUE(self->out.log_thermal);
	EXPECT_TRUE(self->out.thermal_for_device);
	EXPECT_EQ(1024000, self->out.write_ua);
	self->in.thermal_owed = false;
	charging(&self->now, 31 * S);
	self->now.battery.temp = 370;
	self->now.charger.constant_charge_current = 1024000;
	step(self);
	EXPECT_FALSE(self->out.log_thermal);
	EXPECT_FALSE(self->out.thermal_for_device);

	/*
	 * Bound again and read in its probe's window: its limits not read
	 * yet (0), the write refused as not now; the next look reads the
	 * board's 2048 mA: no other program's value either (helper-68)
	 */
	charging(&self->now, 32 * S);
	self->now.battery.temp = 370;
	self->now.charger.constant_charge_current = 0;
	self->in.charger_fresh = true;
	self->in.written_ua = -1;
	step(self);
	self->in.charger_fresh = false;
	self->in.written_ua = -1;
	self->old.charger.constant_charge_current = 0;
	charging(&self->now, 33 * S);
	self->now.battery.temp = 370;
	self->now.charger.constant_charge_current = 2048000;
	step(self);
	EXPECT_EQ(-1, self->out.set_ua);
	EXPECT_EQ(-1, self->out.ceiling_ua);
	EXPECT_FALSE(self->out.set_undone);
	EXPECT_EQ(1024000, self->out.write_ua);
}

/*
 * A share of a small ceiling below the charger's smallest step (helper-64:
 * half of a 64 mA ceiling): the driver refuses it (EINVAL), and it was
 * asked again at every look, an error record a second. Refused once, it
 * and anything lower are not asked again (the charger's floor, the value
 * in force then, stays); a higher share is.
 */
TEST_F(rs, a_current_the_charger_refused_is_not_asked_again)
{
	self->in.base_ua = 64000;
	charging(&self->now, 20 * S);
	self->now.charger.constant_charge_current = 64000;
	self->now.battery.temp = 370;
	step(self);
	ASSERT_EQ(32000, self->out.write_ua);
	/* refused: 64 mA stays (charger_set_current()) */
	self->in.written_ua = -1;
	self->in.refused_ua = 32000;
	self->in.floor_ua = 64000;
	charging(&self->now, 21 * S);
	self->now.charger.constant_charge_current = 64000;
	self->now.battery.temp = 370;
	self->old.charger.constant_charge_current = 64000;
	step(self);
	EXPECT_EQ(-1, self->out.write_ua);
	EXPECT_EQ(-1, self->out.set_ua);
	/* a quarter now (41 degC): lower still, not asked either */
	charging(&self->now, 22 * S);
	self->now.charger.constant_charge_current = 64000;
	self->now.battery.temp = 410;
	step(self);
	EXPECT_EQ(-1, self->out.write_ua);
	/* a ceiling of 256 mA (another program's): half of it is asked */
	self->in.base_ua = 256000;
	charging(&self->now, 23 * S);
	self->now.charger.constant_charge_current = 64000;
	self->now.battery.temp = 370;
	step(self);
	EXPECT_EQ(128000, self->out.write_ua);
}

/*
 * The value in force above the ceiling when the charger refuses a share
 * under its smallest step: a chip reset left its power-on default (2 A)
 * on a driver that does not restore the value written (upstream
 * bq25890_charger). The refusal left 2 A in force for the whole band;
 * the ceiling, a value the charger takes, is its floor
 * (charger_set_current()) and is written at the next look too.
 */
TEST_F(rs, a_refused_share_falls_back_to_the_ceiling_not_to_what_is_in_force)
{
	self->in.base_ua = 64000;
	self->in.refused_ua = 32000;
	self->in.floor_ua = 64000;
	self->in.written_ua = 64000;
	charging(&self->now, 20 * S);
	self->now.charger.constant_charge_current = 2048000;
	self->now.charger.constant_charge_current_max = 3008000;
	self->old.charger.constant_charge_current = 2048000;
	self->now.battery.temp = 370;
	step(self);
	EXPECT_EQ(32000, self->out.policy.charge_current_ua);
	EXPECT_EQ(64000, self->out.write_ua);
	/* the ceiling lowered since (to 48 mA, by another program): not over it */
	self->in.floor_ua = 96000;
	self->in.base_ua = 48000;
	self->in.refused_ua = 24000;
	charging(&self->now, 21 * S);
	self->now.charger.constant_charge_current = 2048000;
	self->old.charger.constant_charge_current = 2048000;	/* the write failed */
	self->now.battery.temp = 370;
	step(self);
	EXPECT_EQ(24000, self->out.policy.charge_current_ua);
	EXPECT_EQ(48000, self->out.write_ua);
	/*
	 * but never a value refused: a ceiling at the refused value was asked
	 * at every look, each refused (helper-65); what is in force stays
	 */
	self->in.refused_ua = 48000;
	charging(&self->now, 21 * S + 500000);
	self->now.charger.constant_charge_current = 2048000;
	self->old.charger.constant_charge_current = 2048000;
	self->now.battery.temp = 370;
	step(self);
	EXPECT_EQ(-1, self->out.write_ua);
	self->in.refused_ua = 24000;
	/* the floor in force: nothing to write */
	charging(&self->now, 22 * S);
	self->now.charger.constant_charge_current = 48000;
	self->old.charger.constant_charge_current = 48000;
	self->in.written_ua = 48000;
	self->now.battery.temp = 370;
	step(self);
	EXPECT_EQ(-1, self->out.write_ua);
}

/*
 * The chip's safety timer expired: it holds charging off until the next
 * charge cycle, which turning charging off and on would start. No pause
 * is written while it holds, nor said (helper-86: an in-use pause, then
 * its end, charged the battery called faulty at full current again);
 * once a new cycle runs (a chip reset), the policies write as before.
 */
TEST_F(rs, a_safety_timer_expiry_is_not_undone_by_a_pause)
{
	charging(&self->now, 20 * S);
	step(self);
	strcpy(self->now.charger.health, "Safety timer expire");
	strcpy(self->now.charger.status, "Not charging");
	self->now.charger.faults_safety_timer = 1;
	self->now.usec = 21 * S;
	step(self);
	EXPECT_NE(0, self->out.pub.active_faults & FAULT_BIT(FAULT_SAFETY_TIMER));
	/* in use at 85 %: nothing written, nothing said paused */
	self->in.in_use = true;
	self->now.usec = 22 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	EXPECT_FALSE(self->out.log_in_use);
	EXPECT_STREQ("", self->out.pub.paused);
	/* and at its end */
	self->in.in_use = false;
	self->now.usec = 23 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	/* too hot: the chip holds charging already */
	self->now.battery.temp = 470;
	self->now.usec = 24 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	/* a chip reset started a new cycle: the heat stop is written */
	strcpy(self->now.charger.health, "Good");
	strcpy(self->now.charger.status, "Charging");
	self->now.usec = 25 * S;
	step(self);
	EXPECT_EQ(1, self->out.write_inhibit);
}

TEST_F(rs, in_use_at_85_percent_pauses_charging_and_says_so)
{
	self->in.in_use = true;
	charging(&self->now, 20 * S);
	step(self);
	EXPECT_EQ(1, self->out.write_inhibit);
	EXPECT_TRUE(self->out.log_in_use);
	EXPECT_EQ(PAUSE_IN_USE, self->out.policy.pause);
	EXPECT_STREQ("in-use", self->out.pub.paused);
	EXPECT_EQ(1, self->out.pub.in_use);
	EXPECT_FALSE(self->out.load_test);	/* not while charging is held */
	/* the charger now says inhibit-charge: nothing more to write */
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	self->now.usec = 21 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	EXPECT_FALSE(self->out.log_in_use);
	EXPECT_EQ(0, self->out.pub.in_use_lingers);
	/* use found no more: in use for the linger still, and said so */
	self->in.in_use_lingers = true;
	self->now.usec = 21500000;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	EXPECT_EQ(1, self->out.pub.in_use);
	EXPECT_EQ(1, self->out.pub.in_use_lingers);
	/* use ends: charging is given back */
	self->in.in_use = false;
	self->in.in_use_lingers = false;
	self->now.usec = 22 * S;
	step(self);
	EXPECT_EQ(0, self->out.write_inhibit);
	EXPECT_TRUE(self->out.log_in_use);
	EXPECT_STREQ("", self->out.pub.paused);
	EXPECT_EQ(0, self->out.pub.in_use_lingers);
}

/*
 * Paused for heat, then the charger says auto without a plug seen (its
 * driver reloaded or rebound within one batch of uevents: auto at probe;
 * or another writer): the pause is written again at once (it was not
 * until the next plug or pause change: charging went on while hot). A
 * pause another writer made while chargerd wants none is left alone.
 */
TEST_F(rs, a_pause_the_charger_lost_is_written_again)
{
	charging(&self->now, 20 * S);
	self->now.battery.temp = 460;	/* the hot stop band */
	step(self);
	ASSERT_EQ(1, self->out.write_inhibit);
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	self->now.usec = 21 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	/* auto again, behind chargerd's back, a minute on */
	strcpy(self->now.charger.charge_behaviour, "auto");
	self->now.usec = 80 * S;
	step(self);
	EXPECT_FALSE(self->out.step.plugged);
	EXPECT_EQ(1, self->out.write_inhibit);
	EXPECT_TRUE(self->out.pause_lost);
	/*
	 * and again at once (a writer that answers each change with auto,
	 * helper-55: charging toggled at every uevent): once every 10 s
	 */
	self->now.usec = 81 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	EXPECT_FALSE(self->out.pause_lost);
	self->now.usec = 90 * S;
	step(self);
	EXPECT_EQ(1, self->out.write_inhibit);
	EXPECT_TRUE(self->out.pause_lost);
	/* cool: resumed; then another writer pauses: left so */
	charging(&self->now, 123 * S);
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	step(self);
	EXPECT_EQ(0, self->out.write_inhibit);
	charging(&self->now, 124 * S);
	step(self);
	charging(&self->now, 125 * S);
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
}

/*
 * The pause's write refused (no grant for the charger, a bus error), the
 * charger charging on (helper-53): not published, shown or diagnosed as
 * paused, the write tried again at each look; paused once the charger
 * says inhibit-charge. A charger without charge_behaviour cannot be
 * paused: never said to be.
 */
TEST_F(rs, a_pause_the_charger_refused_is_not_published)
{
	int i;

	self->in.in_use = true;
	charging(&self->now, 20 * S);
	step(self);
	ASSERT_EQ(1, self->out.write_inhibit);
	EXPECT_STREQ("in-use", self->out.pub.paused);	/* as it goes out */
	/* refused: the charger still says auto, nothing written (charger_set_behaviour()) */
	self->in.inhibit_refused = true;
	self->in.written_inhibit = -1;
	self->now.usec = 21 * S;
	step(self);
	EXPECT_EQ(1, self->out.write_inhibit);		/* again */
	EXPECT_STREQ("", self->out.pub.paused);
	EXPECT_STREQ("charging", self->out.pub.state);
	EXPECT_EQ(LED_STEADY, self->out.led);
	for (i = 0; i < self->out.nasked; i++)
		EXPECT_NE(CAUSE_PAUSED_IN_USE, self->out.asked[i].cause);
	/* it went through */
	self->in.inhibit_refused = false;
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	strcpy(self->now.charger.status, "Not charging");
	self->now.usec = 22 * S;
	step(self);
	EXPECT_STREQ("in-use", self->out.pub.paused);
	EXPECT_EQ(LED_SLOW_BLINK, self->out.led);
	/* no charge_behaviour at all: nothing to pause with */
	charging(&self->now, 23 * S);
	self->now.charger.charge_behaviour[0] = '\0';
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	EXPECT_STREQ("", self->out.pub.paused);
}

/*
 * Issue 18, item 2: paused in use, then unplugged. Nothing published says
 * paused, charging or derated while there is no charger, even if the
 * charger's status still says Charging; the policy keeps its state for
 * the next plug.
 */
TEST_F(rs, nothing_is_paused_or_charging_without_a_charger)
{
	int i;

	self->in.in_use = true;
	charging(&self->now, 20 * S);
	step(self);
	ASSERT_STREQ("in-use", self->out.pub.paused);
	unplugged(&self->now, 30 * S);
	strcpy(self->now.charger.status, "Charging");	/* not updated yet */
	step(self);
	EXPECT_TRUE(self->out.step.unplugged);
	EXPECT_STREQ("", self->out.pub.paused);
	EXPECT_STREQ("discharging", self->out.pub.state);
	EXPECT_EQ(100, self->out.pub.charge_percent);
	EXPECT_EQ(LED_OFF, self->out.led);
	for (i = 0; i < self->out.ndiag; i++)
		EXPECT_NE(CAUSE_PAUSED_IN_USE, self->out.diag[i].cause);
	for (i = 0; i < self->out.nasked; i++)
		EXPECT_NE(CAUSE_PAUSED_IN_USE, self->out.asked[i].cause);
	/* warm, derated, then unplugged: not derated, not "too hot" */
	self->in.in_use = false;
	charging(&self->now, 40 * S);
	self->now.battery.temp = 460;	/* the hot stop band */
	step(self);
	ASSERT_STREQ("heat", self->out.pub.paused);
	unplugged(&self->now, 50 * S);
	self->now.battery.temp = 460;
	step(self);
	EXPECT_STREQ("", self->out.pub.paused);
	for (i = 0; i < self->out.nasked; i++)
		EXPECT_NE(CAUSE_TOO_HOT, self->out.asked[i].cause);
	/* the heat still holds at the next plug: the policy kept its band */
	charging(&self->now, 60 * S);
	self->now.battery.temp = 460;
	step(self);
	EXPECT_STREQ("heat", self->out.pub.paused);
	EXPECT_EQ(1, self->out.write_inhibit);
}

/*
 * Unplugged, a pause chargerd wrote is handed back (auto): nothing to
 * pause without power, and a device whose chargerd is gone at the next
 * plug would not charge (it stayed until the next plug's look). The
 * load test's hold too, once it ends; a heat stop stays (the battery's
 * limit); a pause another writer made while chargerd wanted none is
 * theirs; the next plug pauses again if use goes on.
 */
TEST_F(rs, unplugged_a_pause_is_handed_back_but_a_heat_stop)
{
	self->in.in_use = true;
	charging(&self->now, 20 * S);
	step(self);
	ASSERT_EQ(1, self->out.write_inhibit);
	unplugged(&self->now, 30 * S);
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	step(self);
	EXPECT_EQ(0, self->out.write_inhibit);
	EXPECT_EQ(-1, self->out.write_ua);
	EXPECT_STREQ("", self->out.pub.paused);
	/* handed back (written 0): nothing more while unplugged */
	strcpy(self->now.charger.charge_behaviour, "auto");
	self->now.usec = 31 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	/* in use still at the next plug: paused again */
	charging(&self->now, 40 * S);
	step(self);
	EXPECT_EQ(1, self->out.write_inhibit);

	/* the load test's hold, unplugged during it: handed back once it ends */
	self->in.in_use = false;
	self->in.written_inhibit = 1;
	self->in.probe_active = true;
	unplugged(&self->now, 50 * S);
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);	/* not while it runs */
	self->in.probe_active = false;
	self->now.usec = 52 * S;
	step(self);
	EXPECT_EQ(0, self->out.write_inhibit);

	/* refused (the write failed: still written 1): not tried at every look */
	self->in.written_inhibit = 1;
	self->now.usec = 53 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);

	/* a chargerd before this one paused (written -1): handed back too */
	self->in.hand_back_tried = false;	/* as at a start */
	self->in.written_inhibit = -1;
	self->now.usec = 54 * S;
	step(self);
	EXPECT_EQ(0, self->out.write_inhibit);

	/* another writer's pause while chargerd wanted none: theirs */
	self->in.hand_back_tried = false;
	self->in.written_inhibit = 0;
	self->now.usec = 55 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);

	/* a heat stop stays through the unplug */
	charging(&self->now, 60 * S);
	self->now.battery.temp = 460;
	step(self);
	ASSERT_EQ(1, self->out.write_inhibit);
	unplugged(&self->now, 70 * S);
	self->now.battery.temp = 460;
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	/* cooled while unplugged: handed back */
	self->now.battery.temp = 250;
	self->now.charger.temp = 250;
	self->now.usec = 80 * S;
	step(self);
	EXPECT_EQ(0, self->out.write_inhibit);
}

/*
 * Unplugged, a stop or a band's current is written ahead of the plug: the
 * charger charges at the plug with what it holds, and the plug's look
 * comes a moment later (helper-69: a charger bound again while unplugged
 * charged for 0.35 to 0.7 s at 45 degC; before, nothing was written on
 * battery but a pause handed back).
 */
TEST_F(rs, unplugged_the_battery_limits_are_written_ahead_of_the_plug)
{
	/* heated on battery: the stop now, not at the plug */
	unplugged(&self->now, 20 * S);
	self->now.battery.temp = 460;
	step(self);
	EXPECT_EQ(1, self->out.write_inhibit);
	EXPECT_EQ(-1, self->out.write_ua);
	EXPECT_STREQ("", self->out.pub.paused);		/* nothing charges: nothing paused */
	EXPECT_FALSE(self->out.resync_timer);
	/* held: nothing more */
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	self->now.usec = 21 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	/* at the plug it holds already: no write, the band's record */
	charging(&self->now, 30 * S);
	self->now.battery.temp = 460;
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	EXPECT_TRUE(self->out.log_thermal);
	EXPECT_STREQ("heat", self->out.pub.paused);

	/* a charger bound again while unplugged (nothing written to it): the stop */
	unplugged(&self->now, 40 * S);
	self->now.battery.temp = 460;
	self->in.written_inhibit = -1;
	self->in.written_ua = -1;
	step(self);
	EXPECT_EQ(1, self->out.write_inhibit);
	/* auto again after chargerd wrote it (another writer): answered at the plug */
	self->now.usec = 41 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	/* not while the load test runs */
	self->in.written_inhibit = -1;
	self->in.probe_active = true;
	self->now.usec = 42 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	self->in.probe_active = false;

	/* cold on battery: the cold stop */
	unplugged(&self->now, 50 * S);
	self->now.battery.temp = 20;
	self->in.written_inhibit = -1;
	step(self);
	EXPECT_EQ(1, self->out.write_inhibit);
}

/* Heated, cooled, heated and cooled again on battery: each stop handed back (helper-72). */
TEST_F(rs, unplugged_each_stop_ahead_of_the_plug_is_handed_back)
{
	int i;

	for (i = 0; i < 2; i++) {
		unplugged(&self->now, (20 + 20 * i) * S);
		self->now.battery.temp = 460;
		step(self);
		EXPECT_EQ(1, self->out.write_inhibit) TH_LOG("cycle %d", i);
		strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
		self->now.battery.temp = 250;
		self->now.usec = (30 + 20 * i) * S;
		step(self);
		EXPECT_EQ(0, self->out.write_inhibit) TH_LOG("cycle %d", i);
	}
	/* a stop refused for good: not tried at every look, until the plug */
	unplugged(&self->now, 80 * S);
	self->now.battery.temp = 460;
	self->in.stop_tried = true;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
}

/*
 * A current and a stop ahead of the plug are tried each on its own: a
 * warm band's current refused for good on battery held back the stop of
 * the hot band that came next, and the charger charged at 45 degC for
 * the moment before the plug's look (helper-74).
 */
TEST_F(rs, unplugged_a_current_refused_does_not_hold_back_the_stop)
{
	unplugged(&self->now, 20 * S);
	self->now.battery.temp = 370;
	step(self);
	ASSERT_LT(0, self->out.write_ua);
	self->in.ua_tried = true;	/* refused for good */
	self->in.written_ua = -1;
	self->now.usec = 21 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_ua);	/* not at every look */
	self->now.battery.temp = 460;
	self->now.usec = 30 * S;
	step(self);
	EXPECT_EQ(1, self->out.write_inhibit);
	/* and the other way: a stop refused for good, a band's current still lowered */
	unplugged(&self->now, 40 * S);
	self->in.ua_tried = false;
	self->in.stop_tried = true;
	self->in.written_inhibit = -1;
	self->now.battery.temp = 460;
	step(self);
	EXPECT_EQ(-1, self->out.write_inhibit);
	self->now.battery.temp = 370;
	self->now.usec = 41 * S;
	step(self);
	EXPECT_LT(0, self->out.write_ua);
}

TEST_F(rs, unplugged_a_band_current_is_lowered_ahead_of_the_plug_never_raised)
{
	/* warm on battery: warm_percent of 2048 mA now */
	unplugged(&self->now, 20 * S);
	self->now.battery.temp = 370;
	step(self);
	EXPECT_EQ(1024000, self->out.write_ua);
	EXPECT_EQ(-1, self->out.write_inhibit);
	self->now.charger.constant_charge_current = 1024000;
	self->now.usec = 21 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_ua);
	/* cooled on battery: the full current waits for the plug */
	self->now.battery.temp = 250;
	self->now.usec = 30 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_ua);
	charging(&self->now, 40 * S);
	self->now.charger.constant_charge_current = 1024000;
	step(self);
	EXPECT_EQ(2048000, self->out.write_ua);

	/* below the charger's smallest step (refused before): at the plug */
	unplugged(&self->now, 50 * S);
	self->now.battery.temp = 370;
	self->in.refused_ua = 1024000;
	step(self);
	EXPECT_EQ(-1, self->out.write_ua);
	/* unknown in force: nothing */
	self->in.refused_ua = -1;
	self->now.charger.constant_charge_current = PSY_NONE;
	self->now.usec = 51 * S;
	step(self);
	EXPECT_EQ(-1, self->out.write_ua);
}

/*
 * Paused in use, then the charger refuses its input again and again (a
 * source that sags, the adapter in): the session goes on, so the pause
 * is not handed back at each refusal (auto, then inhibit-charge again at
 * each recovery, charging past the limit in between: helper-58).
 */
TEST_F(rs, a_refused_input_keeps_the_pause)
{
	int i;

	self->in.in_use = true;
	charging(&self->now, 20 * S);
	step(self);
	ASSERT_EQ(1, self->out.write_inhibit);
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	for (i = 0; i < 3; i++) {
		/* refused: offline, the collapse, VBUS there at 3.5 V */
		unplugged(&self->now, (30 + 20 * i) * S);
		strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
		strcpy(self->now.charger.health, "Unspecified failure");
		self->now.charger.voltage_now = 3500000;
		step(self);
		EXPECT_TRUE(self->out.step.input_refused) TH_LOG("cycle %d", i);
		EXPECT_EQ(-1, self->out.write_inhibit) TH_LOG("cycle %d", i);
		/* taken again: still paused, nothing to write */
		charging(&self->now, (40 + 20 * i) * S);
		strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
		step(self);
		EXPECT_EQ(-1, self->out.write_inhibit) TH_LOG("cycle %d", i);
		EXPECT_FALSE(self->out.step.started);
	}
}

/*
 * The charger's chip does not answer for one read (an I2C error), again
 * and again, while plugged in: its driver reports health Unknown, an
 * error count, and no online (-ENODATA). The manager keeps the online of
 * before (snapshot_keep_online()): no unplug, the same session, no
 * bounce counted, so no "connector" diagnosis after a few glitches (it
 * was an unplug and a new session each time, then "the port needs
 * repair"). The no-response fault is what is said.
 */
static void bus_error(struct snapshot *s, const struct snapshot *before, uint64_t usec,
		      long long errors)
{
	struct psy_snapshot *c = &s->charger;

	charging(s, usec);
	strcpy(c->status, "");
	strcpy(c->health, "Unknown");
	strcpy(c->charge_type, "");
	strcpy(c->usb_type, "");
	strcpy(c->source_kind, "");
	c->online = c->voltage_now = c->current_now = c->current_max = c->temp = PSY_NONE;
	c->i2c_errors = errors;
	snapshot_keep_online(c, &before->charger, usec);
}

/* A good look at usec, as the manager takes it (online read now). */
static void good_look(struct _test_data_rs *self, uint64_t usec, long long errors)
{
	charging(&self->now, usec);
	self->now.charger.i2c_errors = errors;
	snapshot_keep_online(&self->now.charger, &self->old.charger, usec);
}

TEST_F(rs, a_bus_error_is_not_an_unplug)
{
	uint64_t t = 20;
	long long id;
	int i, k;

	good_look(self, t * S, 0);
	step(self);
	ASSERT_TRUE(self->out.step.started);
	id = self->out.pub.session;
	for (i = 1; i <= 6; i++) {
		bus_error(&self->now, &self->old, ++t * S, i);
		step(self);
		EXPECT_FALSE(self->out.step.unplugged);
		EXPECT_FALSE(self->out.step.ended);
		EXPECT_EQ(id, self->out.pub.session);
		EXPECT_EQ(1, self->out.pub.online);
		EXPECT_NE(0, self->out.pub.active_faults & FAULT_BIT(FAULT_NO_RESPONSE));
		EXPECT_FALSE(snapshot_draining(&self->now));
		good_look(self, ++t * S, i);
		step(self);
		EXPECT_FALSE(self->out.step.plugged);
		EXPECT_FALSE(self->out.step.started);
		EXPECT_EQ(id, self->out.pub.session);
	}
	for (k = 0; k < self->out.ndiag; k++)
		EXPECT_NE(CAUSE_CONNECTOR, self->out.diag[k].cause);
	for (k = 0; k < self->out.nasked; k++)
		EXPECT_NE(CAUSE_CONNECTOR, self->out.asked[k].cause);
	/*
	 * The bus stuck for good (helper-55: online was kept for ever, the
	 * session never ended, the resync timer ran on, and the battery's
	 * drain made a "source-overload"): kept 30 s after the last reading,
	 * then unknown: the session ends as "no-response", not as an unplug.
	 */
	bus_error(&self->now, &self->old, (t += 20) * S, 7);
	step(self);
	EXPECT_FALSE(self->out.step.ended);
	bus_error(&self->now, &self->old, (t += 20) * S, 8);
	step(self);
	EXPECT_TRUE(self->out.step.ended);
	EXPECT_FALSE(self->out.step.unplugged);
	EXPECT_STREQ("no-response", self->out.step.record.end_reason);
	EXPECT_FALSE(self->out.resync_timer);
	EXPECT_EQ(0, self->out.pub.online);
	/* back: a new session */
	good_look(self, ++t * S, 8);
	step(self);
	EXPECT_TRUE(self->out.step.started);
	/* a real unplug is one: online reads 0 */
	unplugged(&self->now, ++t * S);
	snapshot_keep_online(&self->now.charger, &self->old.charger, t * S);
	step(self);
	EXPECT_TRUE(self->out.step.unplugged);
	EXPECT_TRUE(self->out.step.ended);
	/* unknown after a 0 is still not on external power */
	bus_error(&self->now, &self->old, ++t * S, 9);
	step(self);
	EXPECT_FALSE(self->out.step.plugged);
	EXPECT_EQ(0, self->out.pub.online);
}

/* Issue 18, item 7: the gauge goes while paused in use. */
/*
 * A 1 A adapter under a 1.5 A load (issue 18, item 3): the charger says
 * Charging, the battery's current says it drains. Published, shown and
 * diagnosed from the battery's sign; back to charging when the load goes.
 */
TEST_F(rs, draining_on_external_power_is_not_charging)
{
	uint64_t t;

	charging(&self->now, 20 * S);
	self->now.charger.input_current_limit = 1000000;
	self->now.charger.current_now = 0;
	self->now.battery.current_now = -316000;
	step(self);
	EXPECT_STREQ("discharging", self->out.pub.state);
	EXPECT_EQ(LED_SLOW_BLINK, self->out.led);
	EXPECT_EQ(0, self->out.new_causes & CAUSE_BIT(CAUSE_SOURCE_OVERLOAD));
	for (t = 21; t <= 40; t++) {
		self->now.usec = t * S;
		step(self);
	}
	EXPECT_EQ(CAUSE_BIT(CAUSE_SOURCE_OVERLOAD), self->out.new_causes);
	ASSERT_LE(1, self->out.ndiag);
	EXPECT_EQ(CAUSE_SOURCE_OVERLOAD, self->out.diag[0].cause);

	/* the load goes: charging again, said and shown */
	self->now.usec = 41 * S;
	self->now.charger.current_now = 500000;
	self->now.battery.current_now = 480000;
	step(self);
	EXPECT_STREQ("charging", self->out.pub.state);
	EXPECT_EQ(LED_STEADY, self->out.led);
	EXPECT_EQ(0, self->out.diagnosed & CAUSE_BIT(CAUSE_SOURCE_OVERLOAD));
}

/*
 * A charger uevent whose read says offline (the plug's state not settled
 * yet) gets one more look, on battery too where no timer runs; a uevent
 * of another supply, or the look itself, does not (one per uevent).
 */
TEST_F(rs, a_charger_uevent_that_reads_offline_gets_a_second_look)
{
	unplugged(&self->now, 20 * S);
	step(self);
	EXPECT_FALSE(self->out.settle);
	self->in.charger_uevent = true;
	self->now.usec = 21 * S;
	step(self);
	EXPECT_TRUE(self->out.settle);
	EXPECT_FALSE(self->out.resync_timer);
	/* the look finds it plugged: the plug's own look follows */
	self->in.charger_uevent = false;
	charging(&self->now, 24 * S);
	step(self);
	EXPECT_TRUE(self->out.step.plugged);
	EXPECT_TRUE(self->out.settle);
	/* online at a uevent: the timers run, no extra look */
	self->in.charger_uevent = true;
	self->now.usec = 25 * S;
	step(self);
	EXPECT_FALSE(self->out.settle);
}

TEST_F(rs, a_vanished_gauge_is_diagnosed_and_holds_nothing)
{
	self->in.in_use = true;
	charging(&self->now, 20 * S);
	step(self);
	ASSERT_STREQ("in-use", self->out.pub.paused);
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	memset(&self->now.battery, 0, sizeof(self->now.battery));
	self->now.battery.capacity = self->now.battery.voltage_now = PSY_NONE;
	self->now.battery.temp = self->now.battery.charge_now = PSY_NONE;
	self->now.usec = 21 * S;
	step(self);
	/*
	 * a moment's (a driver reloaded): no fault yet, a look when it would
	 * be one (helper-69: each reload said "needs repair"); the pause on
	 * a charge nobody knows waits as long (helper-71: a reload charged
	 * for a second), then lets go
	 */
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_BATTERY_NOT_DETECTED));
	EXPECT_TRUE(self->out.settle);
	EXPECT_STREQ("in-use", self->out.pub.paused);
	EXPECT_EQ(-1, self->out.write_inhibit);
	self->now.usec = 30 * S;
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_BATTERY_NOT_DETECTED));
	EXPECT_STREQ("in-use", self->out.pub.paused);
	self->now.usec = 31 * S;
	step(self);
	EXPECT_STREQ("", self->out.pub.paused);
	EXPECT_EQ(0, self->out.write_inhibit);	/* charging given back */
	ASSERT_LE(1, self->out.ndiag);
	EXPECT_EQ(CAUSE_BATTERY_NOT_DETECTED, self->out.diag[0].cause);
	EXPECT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_BATTERY_NOT_DETECTED));
	EXPECT_FALSE(self->out.settle);
	EXPECT_EQ(LED_FAST_BLINK, self->out.led);
	EXPECT_EQ(0u, self->out.gone_causes);
	/*
	 * the gauge back: said once (there was no record of it: a burst of
	 * bus errors left battery-not-detected records and nothing after)
	 */
	charging(&self->now, 32 * S);
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_BATTERY_NOT_DETECTED));
	EXPECT_EQ(CAUSE_BIT(CAUSE_BATTERY_NOT_DETECTED), self->out.gone_causes);
	self->now.usec = 33 * S;
	step(self);
	EXPECT_EQ(0u, self->out.gone_causes);
	/*
	 * Gone again, then the charger too (unbound): not found is not
	 * working again (helper-65: "its fuel gauge answers" at the unbind).
	 * Said once the gauge answers with the charger back.
	 */
	memset(&self->now.battery, 0, sizeof(self->now.battery));
	self->now.battery.capacity = self->now.battery.voltage_now = PSY_NONE;
	self->now.battery.temp = self->now.battery.charge_now = PSY_NONE;
	self->now.usec = 34 * S;
	step(self);
	self->now.usec = 44 * S;
	step(self);
	ASSERT_TRUE(self->out.diagnosed & CAUSE_BIT(CAUSE_BATTERY_NOT_DETECTED));
	self->now.charger.present = false;
	self->now.usec = 45 * S;
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_BATTERY_NOT_DETECTED));
	EXPECT_EQ(0u, self->out.gone_causes);
	charging(&self->now, 46 * S);
	self->now.battery.present = true;
	self->now.battery.capacity = PSY_NONE;
	self->now.battery.voltage_now = PSY_NONE;
	step(self);
	EXPECT_EQ(0u, self->out.gone_causes);		/* there, but still no reading */
	charging(&self->now, 47 * S);
	step(self);
	EXPECT_EQ(CAUSE_BIT(CAUSE_BATTERY_NOT_DETECTED), self->out.gone_causes);
}

/*
 * Two sensors apart (the thermistor at 45, the gauge at 25 degC) is a
 * temperature-sensor fault; unplugged, the thermistor is not read, which
 * is not "they agree again" (helper-65: said at every unplug, found again
 * 15 s after each plug). Said when both are read and agree.
 */
TEST_F(rs, sensors_that_agree_again_are_said_so_not_an_unplug)
{
	uint64_t t;

	for (t = 20; t <= 40; t += 5) {
		charging(&self->now, t * S);
		self->now.charger.temp = 450;
		step(self);
	}
	ASSERT_TRUE(self->out.diagnosed & CAUSE_BIT(CAUSE_TEMPERATURE_SENSOR));
	unplugged(&self->now, 41 * S);
	self->now.charger.temp = PSY_NONE;
	step(self);
	EXPECT_EQ(0u, self->out.gone_causes);
	unplugged(&self->now, 42 * S);
	self->now.charger.temp = PSY_NONE;
	step(self);
	EXPECT_EQ(0u, self->out.gone_causes);
	/* plugged again, still apart: not gone either */
	charging(&self->now, 43 * S);
	self->now.charger.temp = 450;
	step(self);
	EXPECT_EQ(0u, self->out.gone_causes);
	charging(&self->now, 44 * S);
	step(self);
	EXPECT_EQ(CAUSE_BIT(CAUSE_TEMPERATURE_SENSOR), self->out.gone_causes);
	charging(&self->now, 45 * S);
	step(self);
	EXPECT_EQ(0u, self->out.gone_causes);
}

TEST_F(rs, the_load_test_once_per_session_not_while_it_runs)
{
	charging(&self->now, 20 * S);
	step(self);
	/* at the plug the ADC's readings may be the last session's: not yet */
	EXPECT_FALSE(self->out.load_test);
	self->now.usec = 23 * S;
	step(self);
	EXPECT_TRUE(self->out.load_test);
	self->in.probe_active = self->in.probe_done = true;
	/* while it holds charging, no other write of charge_behaviour */
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	self->now.usec = 24 * S;
	step(self);
	EXPECT_FALSE(self->out.load_test);
	EXPECT_EQ(-1, self->out.write_inhibit);
	/* done: charging is given back, and no second test this session */
	self->in.probe_active = false;
	self->now.usec = 25 * S;
	step(self);
	EXPECT_EQ(0, self->out.write_inhibit);
	EXPECT_FALSE(self->out.load_test);
	/* the next session has its own, once its readings are its own */
	unplugged(&self->now, 30 * S);
	step(self);
	EXPECT_TRUE(self->out.step.ended);
	charging(&self->now, 40 * S);
	step(self);
	EXPECT_TRUE(self->out.step.started);
	EXPECT_FALSE(self->out.probe_done);
	EXPECT_FALSE(self->out.load_test);
	self->now.usec = 43 * S;
	step(self);
	EXPECT_TRUE(self->out.load_test);
	/* too little current to measure anything */
	self->in.probe_done = false;
	self->now.charger.current_now = 100000;
	self->now.usec = 44 * S;
	step(self);
	EXPECT_FALSE(self->out.load_test);
}

/*
 * No load test while the system goes to sleep (helper-87: its half with
 * charging held would last the whole sleep); the first look after the
 * wake may run it.
 */
TEST_F(rs, no_load_test_while_the_system_goes_to_sleep)
{
	charging(&self->now, 20 * S);
	step(self);
	self->in.asleep = true;
	self->now.usec = 23 * S;
	step(self);
	EXPECT_FALSE(self->out.load_test);
	self->in.asleep = false;
	self->now.usec = 24 * S;
	step(self);
	EXPECT_TRUE(self->out.load_test);
}

/*
 * Issue 18, item 6: an SDP's session, then a 2 A adapter. At the plug the
 * charger still shows the SDP's 550 mA: no load test on it.
 */
TEST_F(rs, no_load_test_on_the_last_sessions_readings)
{
	charging(&self->now, 20 * S);
	strcpy(self->now.charger.source_kind, "sdp");
	self->now.charger.current_now = 550000;
	step(self);
	unplugged(&self->now, 600 * S);
	self->now.charger.current_now = 550000;	/* the ADC's last conversion */
	step(self);
	charging(&self->now, 700 * S);
	self->now.charger.current_now = 550000;
	step(self);
	EXPECT_TRUE(self->out.step.plugged);
	EXPECT_FALSE(self->out.load_test);
	self->now.charger.current_now = 950000;	/* converted since */
	self->now.usec = 703 * S;
	step(self);
	EXPECT_TRUE(self->out.load_test);
}

/*
 * Diagnoses lists the causes in diagnose()'s rank, as chargerctl
 * diagnose does (helper-90: status said "connector, too-hot", in the
 * causes' code order, while diagnose put too-hot first).
 */
TEST_F(rs, diagnoses_are_published_ranked)
{
	int i;

	/* a 500 mA port (weak-source) and the chip's hot zone (too-hot) */
	charging(&self->now, 20 * S);
	strcpy(self->now.charger.source_kind, "sdp");
	strcpy(self->now.charger.usb_type, "SDP");
	strcpy(self->now.charger.health, "Hot");
	self->now.charger.current_max = 500000;
	self->now.charger.current_now = 400000;
	self->now.battery.temp = self->now.charger.temp = 520;
	step(self);
	ASSERT_LE(2, self->out.ndiag);
	ASSERT_EQ(self->out.ndiag, self->out.pub.diagnoses.n);
	for (i = 0; i < self->out.ndiag; i++)
		EXPECT_EQ(self->out.diag[i].cause, self->out.pub.diagnoses.cause[i]);
	/* diagnose()'s rank, not the code order (weak-source's is before too-hot's) */
	EXPECT_EQ(CAUSE_TOO_HOT, self->out.pub.diagnoses.cause[0]);
	EXPECT_EQ(CAUSE_WEAK_SOURCE, self->out.pub.diagnoses.cause[1]);
	/* what waits for a write is dropped, the rest keep their order */
	cause_list_drop(&self->out.pub.diagnoses, CAUSE_BIT(self->out.diag[0].cause));
	ASSERT_EQ(self->out.ndiag - 1, self->out.pub.diagnoses.n);
	EXPECT_EQ(self->out.diag[1].cause, self->out.pub.diagnoses.cause[0]);
	EXPECT_EQ(0, self->out.pub.diagnoses.cause[self->out.ndiag - 1]);
}

TEST_F(rs, a_cause_is_new_once)
{
	/* a 500 mA port: a weak source while charging slowly */
	charging(&self->now, 20 * S);
	strcpy(self->now.charger.source_kind, "sdp");
	strcpy(self->now.charger.usb_type, "SDP");
	self->now.charger.current_max = 500000;
	self->now.charger.current_now = 400000;
	step(self);
	ASSERT_NE(0, self->out.ndiag);
	EXPECT_EQ(self->out.diagnosed, self->out.new_causes);
	EXPECT_EQ(self->out.diagnosed, cause_list_mask(&self->out.pub.diagnoses));
	self->now.usec = 21 * S;
	step(self);
	EXPECT_NE(0, self->out.diagnosed);
	EXPECT_EQ(0, self->out.new_causes);
	/* asked, the same causes and maybe more, never fewer */
	EXPECT_GE(self->out.nasked, self->out.ndiag);
}

TEST_F(rs, asked_while_unplugged_no_power_is_a_cause)
{
	unplugged(&self->now, 20 * S);
	step(self);
	EXPECT_EQ(0, self->out.ndiag);
	ASSERT_NE(0, self->out.nasked);
	EXPECT_EQ(CAUSE_NO_POWER, self->out.asked[0].cause);
}

TEST_F(rs, a_fault_is_checkpointed_and_lights_the_led)
{
	charging(&self->now, 20 * S);
	step(self);
	strcpy(self->now.charger.health, "Over voltage");
	self->now.charger.faults_input = 1;
	self->now.usec = 21 * S;
	step(self);
	EXPECT_NE(0, self->out.step.raised);
	EXPECT_TRUE(self->out.checkpoint);
	/* the event waits for no fsync (a restart still finds it) */
	EXPECT_FALSE(self->out.checkpoint_durable);
	EXPECT_EQ(LED_FAST_BLINK, self->out.led);
	EXPECT_NE(0, self->out.pub.active_faults);
}

/*
 * A fault kept for the session (an adapter's over-voltage, the safety
 * timer) ends with it: before, the fast blink and the diagnosis outlived
 * the unplug, and the same bad adapter plugged again was no new finding:
 * no record, no signal (helper-71).
 */
TEST_F(rs, a_sessions_kept_fault_ends_with_it)
{
	int i;

	for (i = 0; i < 2; i++) {
		charging(&self->now, (20 + 100 * i) * S);
		step(self);
		strcpy(self->now.charger.health, "Over voltage");
		self->now.charger.faults_input = 1 + i;
		self->now.charger.voltage_now = 15000000;
		self->now.usec = (21 + 100 * i) * S;
		step(self);
		EXPECT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_ADAPTER_OVERVOLTAGE)) TH_LOG("plug %d", i);
		/* cleared with the adapter in: kept, and blinking, for the session */
		strcpy(self->now.charger.health, "Good");
		self->now.charger.voltage_now = 5000000;
		self->now.usec = (22 + 100 * i) * S;
		step(self);
		EXPECT_TRUE(self->out.diagnosed & CAUSE_BIT(CAUSE_ADAPTER_OVERVOLTAGE));
		EXPECT_EQ(LED_FAST_BLINK, self->out.led);
		unplugged(&self->now, (30 + 100 * i) * S);
		self->now.charger.faults_input = 1 + i;
		step(self);
		EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_ADAPTER_OVERVOLTAGE));
		EXPECT_NE(LED_FAST_BLINK, self->out.led);
		EXPECT_FALSE(self->out.asked[0].cause == CAUSE_ADAPTER_OVERVOLTAGE &&
			     self->out.nasked > 0);
	}
	/* a 16 V adapter, refused from the start: no session, the same */
	for (i = 0; i < 2; i++) {
		unplugged(&self->now, (300 + 100 * i) * S);
		strcpy(self->now.charger.health, "Over voltage");
		self->now.charger.faults_input = 10 + i;
		self->now.charger.voltage_now = 15300000;
		step(self);
		EXPECT_FALSE(self->out.step.started);
		EXPECT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_ADAPTER_OVERVOLTAGE)) TH_LOG("16 V %d", i);
		EXPECT_EQ(LED_FAST_BLINK, self->out.led);
		unplugged(&self->now, (310 + 100 * i) * S);
		self->now.charger.faults_input = 10 + i;
		step(self);
		EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_ADAPTER_OVERVOLTAGE)) TH_LOG("16 V %d", i);
		EXPECT_NE(LED_FAST_BLINK, self->out.led);
	}
}

/*
 * A fault of the look that ends the session, or of a look on battery (a
 * counter that rose between two looks), is said with it all the same,
 * once: ending the session's faults at the end cleared it before the
 * diagnosis saw it (helper-74). The next look drops it.
 */
TEST_F(rs, a_fault_of_the_ending_look_is_said_once)
{
	/* a thermal shutdown read with the unplug */
	charging(&self->now, 20 * S);
	step(self);
	unplugged(&self->now, 30 * S);
	self->now.charger.faults_thermal_shutdown = 1;
	step(self);
	EXPECT_TRUE(self->out.step.unplugged);
	EXPECT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	EXPECT_TRUE(self->out.settle);
	/* the next look: gone, no blink */
	self->now.usec = 33 * S;
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	EXPECT_NE(LED_FAST_BLINK, self->out.led);
	/* on battery: the battery's over-voltage counter rose between two looks */
	self->now.usec = 60 * S;
	self->now.charger.faults_battery_ovp = 1;
	step(self);
	EXPECT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_BATTERY_FAULT));
	EXPECT_TRUE(self->out.settle);
	self->now.usec = 63 * S;
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_BATTERY_FAULT));
	/* and again: a new finding, once more */
	self->now.usec = 90 * S;
	self->now.charger.faults_battery_ovp = 2;
	step(self);
	EXPECT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_BATTERY_FAULT));
}

/*
 * A heat stop the charger keeps refusing (a udev rule missing: EACCES
 * past the grant's grace) is no pause in force, but the battery is too
 * hot all the same: said, with the refusal, at every look (helper-74:
 * from the second look on, nothing was said while it charged at 46 degC).
 */
TEST_F(rs, a_refused_heat_stop_is_still_too_hot)
{
	int i, k;

	charging(&self->now, 20 * S);
	self->now.battery.temp = 460;	/* the hot stop band */
	step(self);
	ASSERT_EQ(1, self->out.write_inhibit);
	ASSERT_TRUE(self->out.diagnosed & CAUSE_BIT(CAUSE_TOO_HOT));
	for (i = 0; i < 3; i++) {
		self->in.inhibit_refused = true;
		self->in.written_inhibit = -1;
		self->now.usec = (21 + i) * S;
		step(self);
		EXPECT_EQ(1, self->out.write_inhibit);	/* tried again */
		EXPECT_STREQ("", self->out.pub.paused);	/* not in force */
		ASSERT_TRUE(self->out.diagnosed & CAUSE_BIT(CAUSE_TOO_HOT)) TH_LOG("look %d", i);
		EXPECT_FALSE(self->out.new_causes & CAUSE_BIT(CAUSE_TOO_HOT));
		for (k = 0; k < self->out.ndiag; k++)
			if (self->out.diag[k].cause == CAUSE_TOO_HOT)
				EXPECT_NE(NULL, strstr(self->out.diag[k].evidence, "refused"))
					TH_LOG("%s", self->out.diag[k].evidence);
	}
	/* taken: paused, said without the refusal */
	self->in.inhibit_refused = false;
	strcpy(self->now.charger.charge_behaviour, "inhibit-charge");
	strcpy(self->now.charger.status, "Not charging");
	self->now.usec = 30 * S;
	step(self);
	EXPECT_STREQ("heat", self->out.pub.paused);
	for (k = 0; k < self->out.ndiag; k++)
		if (self->out.diag[k].cause == CAUSE_TOO_HOT)
			EXPECT_EQ(NULL, strstr(self->out.diag[k].evidence, "refused"));
	/* cooled: gone */
	self->now.battery.temp = 250;
	self->now.usec = 40 * S;
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_TOO_HOT));
}

/*
 * The findings that wait for a limit's write (findings_deferred()): only
 * new ones; a too-hot or too-cold of the chip's own zone never waits.
 */
TEST(findings_wait_for_the_write_that_goes_through)
{
	uint32_t all = ~0u >> (32 - CAUSE__COUNT), heat = CAUSE_BIT(CAUSE_TOO_HOT) |
		       CAUSE_BIT(CAUSE_TOO_COLD) | CAUSE_BIT(CAUSE_PAUSED_IN_USE);

	EXPECT_EQ(0u, findings_deferred(all, false, false, 0));
	EXPECT_EQ(CAUSE_BIT(CAUSE_PAUSED_HEAT), findings_deferred(all, true, false, 0));
	EXPECT_EQ(heat, findings_deferred(all, false, true, 0));
	EXPECT_EQ(CAUSE_BIT(CAUSE_PAUSED_IN_USE),
		  findings_deferred(all, false, true, FAULT_BIT(FAULT_HOT)));
	EXPECT_EQ(CAUSE_BIT(CAUSE_PAUSED_IN_USE),
		  findings_deferred(all, false, true, FAULT_BIT(FAULT_COLD)));
	/* not new: nothing to wait for */
	EXPECT_EQ(0u, findings_deferred(CAUSE_BIT(CAUSE_WEAK_SOURCE), true, true, 0));
	EXPECT_EQ(CAUSE_BIT(CAUSE_TOO_HOT),
		  findings_deferred(CAUSE_BIT(CAUSE_TOO_HOT) | CAUSE_BIT(CAUSE_CABLE), false, true, 0));
}

TEST_F(rs, a_checkpoint_a_minute_and_when_the_clock_goes_back)
{
	charging(&self->now, 20 * S);
	step(self);
	self->now.usec = 50 * S;
	step(self);
	EXPECT_FALSE(self->out.checkpoint);
	self->now.usec = 80 * S;
	step(self);
	EXPECT_TRUE(self->out.checkpoint);
	/* the minute's checkpoint: no fsync (a sleep and a flash write each) */
	EXPECT_FALSE(self->out.checkpoint_durable);
	/* a last checkpoint "after" the snapshot: checkpoint, never wait */
	self->in.last_checkpoint_usec = 1000 * S;
	self->now.usec = 81 * S;
	step(self);
	EXPECT_TRUE(self->out.checkpoint);
}

/*
 * The clock synchronised during a session: its start, re-dated, is written
 * through to the disk at once (a reboot before the minute's checkpoint
 * would resume it with no clock of this boot, and its start unknown for
 * good), and only once.
 */
TEST_F(rs, a_redated_start_is_checkpointed_durably_once)
{
	charging(&self->now, 20 * S);
	step(self);
	EXPECT_EQ(START_CLOCK_UNSYNCED, self->sess.rec.start_clock);
	self->now.usec = 30 * S;
	step(self);
	EXPECT_FALSE(self->out.checkpoint);
	self->in.wall = (struct wall_time){ .s = 1800000040, .boot_us = 1800000000 * S,
					    .synced = true };
	self->now.usec = 40 * S;
	step(self);
	EXPECT_TRUE(self->out.step.redated);
	EXPECT_TRUE(self->out.checkpoint);
	EXPECT_TRUE(self->out.checkpoint_durable);
	EXPECT_EQ(START_CLOCK_SYNCED, self->sess.rec.start_clock);
	EXPECT_EQ(1800000020, self->sess.rec.start);
	self->now.usec = 50 * S;
	step(self);
	EXPECT_FALSE(self->out.step.redated);
	EXPECT_FALSE(self->out.checkpoint);
}

/*
 * A charger's supply gone for good (10 s: GONE_CONFIRM_USEC) is a
 * charger-fault; back, it is said back, once (helper-69: the gauge and
 * the sensors had such a record, the charger none). Its other findings
 * (a chip not answering) are the session's: no "back" for them.
 */
TEST_F(rs, a_charger_gone_for_good_is_said_back)
{
	unplugged(&self->now, 20 * S);
	self->now.charger.present = false;
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_CHARGER_FAULT));	/* not yet */
	self->now.usec = 31 * S;
	step(self);
	ASSERT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	EXPECT_EQ(0u, self->out.gone_causes);
	self->now.usec = 32 * S;
	step(self);
	EXPECT_EQ(0u, self->out.gone_causes);
	unplugged(&self->now, 40 * S);
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	EXPECT_EQ(CAUSE_BIT(CAUSE_CHARGER_FAULT), self->out.gone_causes);
	self->now.usec = 41 * S;
	step(self);
	EXPECT_EQ(0u, self->out.gone_causes);		/* once */

	/*
	 * a charger-fault with the charger there (its chip not answering),
	 * or one of the session's while it is gone a moment: the session's
	 */
	EXPECT_FALSE(cause_missing(CAUSE_CHARGER_FAULT, &self->now, &self->evid));
	self->now.charger.present = false;
	self->evid.charger_gone_sustained = false;
	EXPECT_FALSE(cause_missing(CAUSE_CHARGER_FAULT, &self->now, &self->evid));
	self->evid.charger_gone_sustained = true;
	EXPECT_TRUE(cause_missing(CAUSE_CHARGER_FAULT, &self->now, &self->evid));
	EXPECT_FALSE(cause_missing(CAUSE_CABLE, &self->now, &self->evid));
}

/*
 * A thermal shutdown kept for the session, its charger rebound quickly:
 * its charger-fault is the session's, and ends with it unsaid, not as
 * "its driver is bound again" (helper-76).
 */
TEST_F(rs, a_kept_fault_through_a_rebind_is_not_said_back)
{
	charging(&self->now, 20 * S);
	step(self);
	self->now.charger.faults_thermal_shutdown = 1;
	self->now.usec = 21 * S;
	step(self);
	ASSERT_TRUE(self->out.diagnosed & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	self->now.charger.present = false;
	self->now.usec = 22 * S;
	step(self);
	EXPECT_TRUE(self->out.diagnosed & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	EXPECT_FALSE(self->out.unresolved & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	self->in.unresolved = self->out.unresolved;
	charging(&self->now, 24 * S);
	self->now.charger.faults_thermal_shutdown = 0;	/* the new device counts from 0 */
	step(self);
	self->in.unresolved = self->out.unresolved;
	unplugged(&self->now, 40 * S);
	step(self);
	EXPECT_FALSE(self->out.diagnosed & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	EXPECT_EQ(0u, self->out.gone_causes);
}

/*
 * A charger gone: the settle looks come every SETTLE_USEC, and the last
 * at the 10 s wait's end, where it is said (it came up to 3 s late).
 */
TEST_F(rs, a_charger_gone_is_said_at_its_ten_seconds)
{
	int looks = 0;

	charging(&self->now, 20 * S);
	step(self);
	self->now.charger.present = false;
	self->now.usec = 30 * S + 400000;
	step(self);
	while (!(self->out.new_causes & CAUSE_BIT(CAUSE_CHARGER_FAULT)) && looks++ < 10) {
		ASSERT_TRUE(self->out.settle);
		ASSERT_LE(self->out.settle_usec, SETTLE_USEC);
		ASSERT_LT(0u, self->out.settle_usec);
		self->now.usec += self->out.settle_usec;
		step(self);
	}
	ASSERT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	EXPECT_EQ(40 * S + 400000, self->now.usec);
	EXPECT_TRUE(self->out.step.ended);	/* the session's wait too */
}

/*
 * A thermal shutdown kept for the session, then the charger's supply gone
 * for good: the same cause in other words ("its driver stopped"), said
 * once as new at the look it becomes so (helper-77: never said), and back
 * when the charger is.
 */
TEST_F(rs, a_kept_fault_that_becomes_a_missing_charger_is_said)
{
	struct diagnosis *g = NULL;
	int i, k;

	charging(&self->now, 20 * S);
	step(self);
	self->now.charger.faults_thermal_shutdown = 1;
	self->now.usec = 21 * S;
	step(self);
	ASSERT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	self->now.charger.present = false;
	for (i = 22; i < 40; i++) {
		self->now.usec = i * S;
		step(self);
		ASSERT_TRUE(self->out.diagnosed & CAUSE_BIT(CAUSE_CHARGER_FAULT)) TH_LOG("%d s", i);
		if (self->out.unresolved & CAUSE_BIT(CAUSE_CHARGER_FAULT))
			break;
		EXPECT_FALSE(self->out.new_causes & CAUSE_BIT(CAUSE_CHARGER_FAULT)) TH_LOG("%d s", i);
	}
	ASSERT_LT(i, 40);
	EXPECT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_CHARGER_FAULT));
	for (k = 0; k < self->out.ndiag; k++)
		if (self->out.diag[k].cause == CAUSE_CHARGER_FAULT)
			g = &self->out.diag[k];
	ASSERT_NE(NULL, g);
	EXPECT_TRUE(g->missing);
	self->now.usec = (i + 1) * S;
	step(self);
	EXPECT_FALSE(self->out.new_causes & CAUSE_BIT(CAUSE_CHARGER_FAULT));	/* once */
}

/*
 * An adapter swapped while the charger's driver was unbound: no loose
 * connector (no bounce), and the new source's findings wait for its own
 * session, which the settle look starts (helper-76: weak-source under
 * session 0; swaps counted as a connector coming and going).
 */
TEST_F(rs, an_adapter_swap_through_a_rebind_is_no_bounce)
{
	int i;

	for (i = 0; i < 3; i++) {
		charging(&self->now, (20 + 30 * i) * S);
		strcpy(self->now.charger.source_kind, i % 2 ? "sdp" : "dcp");
		strcpy(self->now.charger.usb_type, i % 2 ? "SDP" : "DCP");
		step(self);
		self->now.charger.present = false;
		self->now.usec = (30 + 30 * i) * S;
		step(self);
		ASSERT_TRUE(self->out.step.held);
		charging(&self->now, (33 + 30 * i) * S);
		strcpy(self->now.charger.source_kind, i % 2 ? "dcp" : "sdp");
		strcpy(self->now.charger.usb_type, i % 2 ? "DCP" : "SDP");
		self->now.charger.current_max = 500000;
		step(self);
		ASSERT_TRUE(self->out.step.swapped) TH_LOG("swap %d", i);
		EXPECT_EQ(0u, self->out.new_causes) TH_LOG("swap %d", i);
		EXPECT_EQ(0u, self->out.pub.session);
		EXPECT_TRUE(self->out.settle);
		self->now.usec = (36 + 30 * i) * S;
		step(self);
		EXPECT_TRUE(self->out.step.started) TH_LOG("swap %d", i);
		EXPECT_EQ(0u, self->evid.bounces) TH_LOG("swap %d", i);
		/* a laptop's port in: weak-source, new at the settle look, in its session */
		if (!(i % 2)) {
			EXPECT_TRUE(self->out.new_causes & CAUSE_BIT(CAUSE_WEAK_SOURCE))
				TH_LOG("swap %d", i);
			EXPECT_NE(0u, self->out.pub.session) TH_LOG("swap %d", i);
		}
	}
}

/*
 * Power found gone at the end of a wait (the charger's driver rebound
 * with the adapter pulled meanwhile) went at a time not known: the plug
 * after it is no bounce, and the run before it ends (helper-82: dated at
 * the look that found it, it made a third bounce, "connector").
 */
TEST_F(rs, an_unplug_in_a_wait_is_no_bounce)
{
	uint64_t t = 20 * S;
	int i;

	for (i = 0; i < 3; i++, t += 6 * S) {
		charging(&self->now, t);
		step(self);
		unplugged(&self->now, t + 3 * S);
		step(self);
	}
	EXPECT_EQ(2u, self->evid.bounces);
	charging(&self->now, t);
	step(self);
	EXPECT_EQ(3u, self->evid.bounces);
	/* the charger unbound, back 4 s later offline: unplugged in the wait */
	self->now.charger.present = false;
	self->now.usec = t + 20 * S;
	step(self);
	ASSERT_TRUE(self->out.step.held);
	unplugged(&self->now, t + 24 * S);
	step(self);
	ASSERT_TRUE(self->out.step.unplugged);
	EXPECT_TRUE(self->out.step.unplug_untimed);
	charging(&self->now, t + 26 * S);
	step(self);
	ASSERT_TRUE(self->out.step.started);
	EXPECT_EQ(0u, self->evid.bounces);
	EXPECT_FALSE(self->out.new_causes & CAUSE_BIT(CAUSE_CONNECTOR));
}

/*
 * What is published is printable ASCII, whatever sysfs gave: a string
 * that is not UTF-8 failed its D-Bus getter, every GetAll and the
 * change's signal (helper-84).
 */
/*
 * The input limits in force and which were written on the device
 * (bq2589x_charger's input_limits_written) are published for chargerctl
 * status; a charger without them publishes unknown (-1) and "".
 */
TEST_F(rs, the_input_limits_are_published)
{
	charging(&self->now, 20 * S);
	self->now.charger.input_current_limit = 500000;
	self->now.charger.input_voltage_limit = 4600000;
	strcpy(self->now.charger.input_limits_written, "both");
	step(self);
	EXPECT_EQ(500000, self->out.pub.input_current_limit);
	EXPECT_EQ(4600000, self->out.pub.input_voltage_limit);
	EXPECT_STREQ("both", self->out.pub.input_limits_written);

	self->now.usec = 21 * S;
	self->now.charger.input_current_limit = PSY_NONE;
	self->now.charger.input_voltage_limit = PSY_NONE;
	self->now.charger.input_limits_written[0] = '\0';
	step(self);
	EXPECT_EQ(-1, self->out.pub.input_current_limit);
	EXPECT_EQ(-1, self->out.pub.input_voltage_limit);
	EXPECT_STREQ("", self->out.pub.input_limits_written);
}

TEST_F(rs, published_strings_are_printable)
{
	const char *const *f;
	const char *pub[5];
	int i;

	charging(&self->now, 20 * S);
	strcpy(self->now.charger.health, "Go\xc3od");
	strcpy(self->now.charger.usb_type, "D\x01CP");
	strcpy(self->now.charger.status, "Charging\x7f");
	memset(self->now.charger.name, 'x', sizeof(self->now.charger.name) - 3);
	strcpy(self->now.charger.name + sizeof(self->now.charger.name) - 3, "\xc3\xa9");
	step(self);
	pub[0] = self->out.pub.health;
	pub[1] = self->out.pub.usb_type;
	pub[2] = self->out.pub.state;
	pub[3] = self->out.pub.charger;
	pub[4] = NULL;
	for (f = pub, i = 0; *f; f++, i++) {
		const unsigned char *c;

		for (c = (const unsigned char *)*f; *c; c++)
			EXPECT_TRUE(*c >= ' ' && *c <= '~') TH_LOG("field %d: byte %#x", i, *c);
	}
	EXPECT_STREQ("Go?od", self->out.pub.health);
}

TEST_F(rs, no_charger_is_said_and_nothing_is_written)
{
	unplugged(&self->now, 20 * S);
	memset(&self->now.charger, 0, sizeof(self->now.charger));
	step(self);
	EXPECT_STREQ("no-charger", self->out.pub.state);
	EXPECT_EQ(-1, self->out.write_ua);
	EXPECT_EQ(-1, self->out.write_inhibit);
	EXPECT_FALSE(self->out.load_test);
}

/*
 * A string property is compared as a string: "auto" written over
 * "inhibit-charge" in place (charger.c after its write) equals a fresh
 * "auto", so PropertiesChanged does not announce it twice (helper-59).
 */
TEST(published_strings_compare_up_to_their_end)
{
	struct public_state in_place = { }, fresh = { };

	snprintf(in_place.charge_behaviour, PUB_STR, "inhibit-charge");
	snprintf(in_place.charge_behaviour, PUB_STR, "auto");
	snprintf(fresh.charge_behaviour, PUB_STR, "auto");
	ASSERT_NE(0, memcmp(in_place.charge_behaviour, fresh.charge_behaviour, PUB_STR));
	EXPECT_FALSE(pub_field_differs(in_place.charge_behaviour, fresh.charge_behaviour,
				       "s", PUB_STR));
	snprintf(fresh.charge_behaviour, PUB_STR, "inhibit-charge");
	EXPECT_TRUE(pub_field_differs(in_place.charge_behaviour, fresh.charge_behaviour,
				      "s", PUB_STR));
	/* numbers byte for byte */
	in_place.capacity = 5;
	fresh.capacity = 5;
	EXPECT_FALSE(pub_field_differs(&in_place.capacity, &fresh.capacity, "i", 4));
	fresh.capacity = 6;
	EXPECT_TRUE(pub_field_differs(&in_place.capacity, &fresh.capacity, "i", 4));
}

TEST_HARNESS_MAIN
