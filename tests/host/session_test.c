// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions and faults from sequences of snapshots, without a kernel:
 * plug/unplug edges, energy and charge figures against hand-computed ones,
 * the fault codes each health maps to, transient faults seen only in the
 * counters, and resuming after a restart.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/session.h"

#define S	1000000ULL

/* the wall clock at t (s), synchronised */
#define AT(t)	(&(struct wall_time){ .s = (t), .synced = true })

/*
 * The wall clock at t (s) when CLOCK_BOOTTIME reads usec, synchronised or
 * not: what wall_time_now() reads.
 */
static const struct wall_time *wall(int64_t t, uint64_t usec, bool synced)
{
	static struct wall_time w[4];
	static int i;
	struct wall_time *p = &w[i++ % 4];

	*p = (struct wall_time){ .s = t, .boot_us = t * (int64_t)S - (int64_t)usec,
				 .synced = synced };
	return p;
}

/* The same with the wall clock in us (its fraction of a second too). */
static const struct wall_time *wall_us(int64_t real_us, uint64_t usec, bool synced)
{
	const struct wall_time *w = wall(real_us / (int64_t)S, usec, synced);

	((struct wall_time *)w)->boot_us = real_us - (int64_t)usec;
	return w;
}

static void snap(struct snapshot *n, uint64_t usec, int online, long long ua, long long bat_uv,
		 long long cap)
{
	struct psy_snapshot *c = &n->charger, *b = &n->battery;
	long long *f;

	memset(n, 0, sizeof(*n));
	n->usec = usec;
	c->present = b->present = true;
	strcpy(c->name, "bq25895-charger");
	strcpy(b->name, "sbs-0-000b");
	strcpy(c->health, "Good");
	strcpy(c->status, online ? "Charging" : "Discharging");
	strcpy(b->status, online ? "Charging" : "Discharging");
	strcpy(c->source_kind, online ? "dcp" : "none");
	strcpy(c->usb_type, online ? "DCP" : "Unknown");
	c->online = online;
	c->current_now = ua;
	c->voltage_now = online ? 5000000 : 0;
	c->temp = 250;
	c->i2c_errors = 0;
	b->voltage_now = bat_uv;
	b->capacity = cap;
	b->temp = PSY_NONE;
	b->charge_now = PSY_NONE;
	for (f = &c->faults_watchdog; f <= &c->faults_ntc; f++)
		*f = 0;
}

FIXTURE(sess) {
	struct session s;
	struct session_step out;
	struct snapshot a, b;
};

FIXTURE_SETUP(sess)
{
	session_init(&self->s);
}

FIXTURE_TEARDOWN(sess)
{
}

TEST_F(sess, a_session_from_plug_to_unplug)
{
	/* on battery: nothing */
	snap(&self->a, 10 * S, 0, 0, 3700000, 20);
	session_update(&self->s, NULL, &self->a, 7, AT(1000), &self->out);
	EXPECT_FALSE(self->out.started);
	EXPECT_FALSE(self->s.active);

	/* plug in: 1 A at 3.6 V */
	snap(&self->b, 20 * S, 1, 1000000, 3600000, 20);
	session_update(&self->s, &self->a, &self->b, 7, AT(1010), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_TRUE(self->out.plugged);
	EXPECT_EQ(7, self->s.rec.id);
	EXPECT_EQ(1010, self->s.rec.start);
	EXPECT_EQ(20, self->s.rec.start_capacity);
	EXPECT_STREQ("dcp", self->s.rec.source);

	/* one hour later, at 4.2 V: 1 A x 3.6 V x 1 h = 3600 mWh, 1000 mAh */
	snap(&self->a, 3620 * S, 1, 500000, 4200000, 80);
	strcpy(self->a.battery.status, "Full");
	session_update(&self->s, &self->b, &self->a, 8, AT(4610), &self->out);
	EXPECT_FALSE(self->out.started);
	EXPECT_EQ(3600, self->s.rec.energy_mwh);
	EXPECT_EQ(1000, self->s.rec.charge_mah);
	EXPECT_EQ(1000, self->s.rec.peak_ma);
	EXPECT_EQ(3600, self->s.rec.duration_s);
	EXPECT_TRUE(self->s.rec.reached_full);

	/* half an hour at 0.5 A x 4.2 V = 1050 mWh more, 250 mAh; then unplug */
	snap(&self->b, 5420 * S, 0, 0, 4100000, 95);
	session_update(&self->s, &self->a, &self->b, 8, AT(6410), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_TRUE(self->out.unplugged);
	EXPECT_FALSE(self->s.active);
	EXPECT_EQ(7, self->out.record.id);
	EXPECT_EQ(5400, self->out.record.duration_s);
	EXPECT_EQ(4650, self->out.record.energy_mwh);
	EXPECT_EQ(1250, self->out.record.charge_mah);
	EXPECT_EQ(20, self->out.record.start_capacity);
	EXPECT_EQ(95, self->out.record.end_capacity);
	EXPECT_EQ(250, self->out.record.max_temp_dc);
	EXPECT_STREQ("unplugged", self->out.record.end_reason);
	EXPECT_STREQ("DCP", self->out.record.usb_type);
	EXPECT_EQ(0, self->out.record.faults);
}

TEST_F(sess, the_gauge_counts_charge_when_it_can)
{
	snap(&self->a, 0, 1, 2000000, 3800000, 10);
	self->a.battery.charge_now = 100000;
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	ASSERT_TRUE(self->out.started);
	/* the integral would say 2000 mAh; the gauge saw 700, at 4.0 V on average */
	snap(&self->b, 3600 * S, 1, 100000, 4200000, 60);
	self->b.battery.charge_now = 800000;
	session_update(&self->s, &self->a, &self->b, 2, AT(3600), &self->out);
	EXPECT_EQ(700, self->s.rec.charge_mah);
	EXPECT_EQ(2800, self->s.rec.energy_mwh);
}

/*
 * A session plugged at t0_s (s), charging 1 A, its charger's supply gone
 * at gone_s: the step's outcome in self->out, the gone look in self->a.
 * Whether the session waits for it (held).
 */
static bool gone_while_charging(struct _test_data_sess *self, uint64_t t0_s, uint64_t gone_s)
{
	snap(&self->a, t0_s * S, 1, 1000000, 3800000, 10);
	session_update(&self->s, NULL, &self->a, 1, AT(t0_s), &self->out);
	snap(&self->b, gone_s * S, 0, 0, 3800000, 10);
	self->b.charger.present = false;
	session_update(&self->s, &self->a, &self->b, 2, AT(gone_s), &self->out);
	self->a = self->b;
	return self->out.held;
}

/*
 * A charger gone for good (10 s: SESSION_GONE_HOLD_USEC) ends the session
 * as removed, when it went; back online within them (its driver reloaded
 * or bound again, the adapter in), the session goes on: before, each
 * rebind ended it and started another with a plug and no unplug
 * (helper-69).
 */
TEST_F(sess, a_vanished_charger_ends_the_session_as_removed)
{
	snap(&self->a, 0, 1, 0, 3800000, 10);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, 20 * S, 0, 0, 3800000, 10);
	self->b.charger.present = false;
	session_update(&self->s, &self->a, &self->b, 2, AT(20), &self->out);
	EXPECT_FALSE(self->out.ended);
	EXPECT_TRUE(self->out.held);
	EXPECT_TRUE(self->s.active);
	self->a = self->b;
	self->b.usec = 29 * S;
	session_update(&self->s, &self->a, &self->b, 2, AT(29), &self->out);
	EXPECT_FALSE(self->out.ended);
	self->a = self->b;
	self->b.usec = 30 * S;
	session_update(&self->s, &self->a, &self->b, 2, AT(30), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_FALSE(self->out.held);
	EXPECT_FALSE(self->out.unplugged);
	EXPECT_STREQ("removed", self->out.record.end_reason);
	EXPECT_EQ(20, self->out.record.duration_s);	/* when it went */
	/*
	 * back with power: a session starts, at the supply's return, not a
	 * plug (helper-79: "plugged in" while nobody had touched it)
	 */
	self->a = self->b;
	snap(&self->b, 40 * S, 1, 1000000, 3800000, 10);
	session_update(&self->s, &self->a, &self->b, 3, AT(40), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_TRUE(self->out.returned);
	/* the next one, after an unplug seen, is a plug */
	self->a = self->b;
	snap(&self->b, 50 * S, 0, 0, 3800000, 10);
	session_update(&self->s, &self->a, &self->b, 4, AT(50), &self->out);
	ASSERT_TRUE(self->out.ended);
	self->a = self->b;
	snap(&self->b, 60 * S, 1, 1000000, 3800000, 10);
	session_update(&self->s, &self->a, &self->b, 4, AT(60), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_FALSE(self->out.returned);
}

/*
 * Back within the wait but refusing its input (a 15 V adapter): the
 * session goes on, and its end later is dated then, not when the supply
 * went (helper-72: a stale wait dated it 100 s into a 3600 s session).
 */
TEST_F(sess, a_charger_back_refusing_its_input_ends_when_it_ends)
{
	ASSERT_TRUE(gone_while_charging(self, 0, 100));
	snap(&self->b, 102 * S, 0, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Over voltage");
	self->b.charger.voltage_now = 15000000;
	session_update(&self->s, &self->a, &self->b, 2, AT(102), &self->out);
	ASSERT_TRUE(self->out.input_refused);
	EXPECT_EQ(0u, self->s.gone_usec);
	self->a = self->b;
	snap(&self->b, 3600 * S, 0, 0, 3800000, 10);
	session_update(&self->s, &self->a, &self->b, 2, AT(3600), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_EQ(3600, self->out.record.duration_s);
}

/*
 * chargerd restarted while the charger's supply is gone (a driver
 * package's upgrade): the session waits for it as it would have
 * (helper-72: it ended as agent-restart, and another started); not after
 * a reboot (no clock of this boot).
 */
TEST_F(sess, a_restart_while_the_charger_is_gone_waits_for_it)
{
	struct session_record saved = { .id = 7, .start = 1000, .duration_s = 600,
					.start_capacity = 30, .end_capacity = 60 }, ended;
	const struct session_clock mine = { .id = 7, .start_usec = 0, .base_s = 0,
					    .on_boot_clock = true };

	strcpy(saved.source, "dcp");
	snap(&self->a, 700 * S, 0, 0, 3900000, 60);
	self->a.charger.present = false;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	snap(&self->b, 702 * S, 1, 800000, 3900000, 60);
	session_update(&self->s, &self->a, &self->b, 8, AT(1702), &self->out);
	EXPECT_FALSE(self->out.started);
	EXPECT_EQ(7u, self->s.rec.id);
	/* gone for good: removed, when chargerd found it gone */
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	self->b = self->a;
	self->b.usec = 711 * S;
	session_update(&self->s, &self->a, &self->b, 8, AT(1711), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_STREQ("removed", self->out.record.end_reason);
	EXPECT_EQ(700, self->out.record.duration_s);
	/*
	 * gone 8 s before the restart (runtime.c's charger-gone file): the wait
	 * goes on from then, not from the restart (helper-73: each restart
	 * started it again and dated the end there)
	 */
	{
		struct session_clock gone = mine;

		gone.gone_usec = 692 * S;
		session_init(&self->s);
		ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &gone, AT(1700), &ended));
		self->b = self->a;
		self->b.usec = 701 * S;
		session_update(&self->s, &self->a, &self->b, 8, AT(1701), &self->out);
		EXPECT_TRUE(self->out.held);
		self->b.usec = 702 * S;
		session_update(&self->s, &self->a, &self->b, 8, AT(1702), &self->out);
		ASSERT_TRUE(self->out.ended);
		EXPECT_STREQ("removed", self->out.record.end_reason);
		EXPECT_EQ(692, self->out.record.duration_s);
		/* one from after the snapshot (another boot's, a bad file): from the restart */
		gone.gone_usec = 900 * S;
		session_init(&self->s);
		ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &gone, AT(1700), &ended));
		EXPECT_EQ(700 * S, self->s.gone_usec);
		/* one from before the session's start (a file written by hand): the same */
		gone.gone_usec = 400 * S;
		gone.start_usec = 500 * S;
		session_init(&self->s);
		ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &gone, AT(1700), &ended));
		EXPECT_EQ(700 * S, self->s.gone_usec);
		gone.start_usec = 0;
		/*
		 * a fault present when it went (the safety timer) is kept, not
		 * raised again when the charger is back (helper-75)
		 */
		saved.faults = FAULT_BIT(FAULT_SAFETY_TIMER);
		gone.gone_usec = 695 * S;
		gone.gone_faults = FAULT_BIT(FAULT_SAFETY_TIMER);
		session_init(&self->s);
		ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &gone, AT(1700), &ended));
		EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER), self->s.active_faults);
		snap(&self->b, 701 * S, 1, 0, 3900000, 60);
		strcpy(self->b.charger.health, "Safety timer expire");
		self->b.charger.faults_safety_timer = 1;
		session_update(&self->s, &self->a, &self->b, 8, AT(1701), &self->out);
		EXPECT_FALSE(self->out.ended);
		EXPECT_EQ(0u, self->out.raised);
		/*
		 * when it went not known (no fresh file): the same at its
		 * return, as at any restart (helper-77: raised a second time);
		 * one the session never had is raised, nothing cleared
		 */
		gone.gone_usec = 0;
		gone.gone_faults = 0;
		session_init(&self->s);
		ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &gone, AT(1700), &ended));
		EXPECT_EQ(0u, self->s.active_faults);
		session_update(&self->s, &self->a, &self->b, 8, AT(1701), &self->out);
		EXPECT_EQ(0u, self->out.raised);
		EXPECT_EQ(0u, self->out.cleared);
		EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER), self->s.active_faults);
		saved.faults = FAULT_BIT(FAULT_WATCHDOG);
		session_init(&self->s);
		ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &gone, AT(1700), &ended));
		session_update(&self->s, &self->a, &self->b, 8, AT(1701), &self->out);
		EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER), self->out.raised);
		EXPECT_EQ(0u, self->out.cleared);
		saved.faults = 0;
	}
	/* after a reboot: ended as before */
	session_init(&self->s);
	EXPECT_FALSE(session_resume(&self->s, &saved, &self->a, NULL, AT(1700), &ended));
	EXPECT_STREQ("agent-restart", ended.end_reason);
	/*
	 * the charger there, its online not read yet (a bus error, its
	 * registration under way after a reload): waited for, as while
	 * running (helper-78: ended as agent-restart, a new session next)
	 */
	snap(&self->a, 700 * S, 1, 800000, 3900000, 60);
	self->a.charger.online = PSY_NONE;
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	self->b = self->a;
	self->b.usec = 710 * S;
	session_update(&self->s, &self->a, &self->b, 8, AT(1710), &self->out);
	EXPECT_TRUE(self->out.held);
	EXPECT_FALSE(self->out.ended);
	self->a = self->b;
	snap(&self->b, 712 * S, 1, 800000, 3900000, 60);
	session_update(&self->s, &self->a, &self->b, 8, AT(1712), &self->out);
	EXPECT_FALSE(self->out.ended);
	EXPECT_FALSE(self->out.started);
	EXPECT_EQ(7u, self->s.rec.id);
	/*
	 * read offline: unplugged, at a time not known (before the restart
	 * maybe): no bounce with the next plug (helper-82)
	 */
	session_init(&self->s);
	self->a.charger.online = PSY_NONE;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	snap(&self->b, 712 * S, 0, 0, 3900000, 60);
	session_update(&self->s, &self->a, &self->b, 8, AT(1712), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_TRUE(self->out.unplugged);
	EXPECT_TRUE(self->out.unplug_untimed);
	EXPECT_STREQ("unplugged", self->out.record.end_reason);
	/* a running session seen going offline was unplugged at that look */
	snap(&self->a, 720 * S, 1, 800000, 3900000, 60);
	session_update(&self->s, &self->b, &self->a, 9, AT(1720), &self->out);
	ASSERT_TRUE(self->out.started);
	snap(&self->b, 730 * S, 0, 0, 3900000, 60);
	session_update(&self->s, &self->a, &self->b, 10, AT(1730), &self->out);
	ASSERT_TRUE(self->out.unplugged);
	EXPECT_FALSE(self->out.unplug_untimed);
	/* not read for as long as an unknown is kept: no-response, from the restart */
	snap(&self->a, 712 * S, 1, 800000, 3900000, 60);
	self->a.charger.online = PSY_NONE;
	self->a.usec = 700 * S;
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	self->b = self->a;
	self->b.usec = 700 * S + ONLINE_KEEP_USEC;
	session_update(&self->s, &self->a, &self->b, 8, AT(1730), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_STREQ("no-response", self->out.record.end_reason);
	EXPECT_EQ(700, self->out.record.duration_s);
	/* after a reboot, unknown is no session of this boot: ended as before */
	session_init(&self->s);
	EXPECT_FALSE(session_resume(&self->s, &saved, &self->a, NULL, AT(1700), &ended));
}

/*
 * Back from the wait with its online not read yet (a bus error at its
 * first look, nothing before to keep): still waiting, as long as an
 * unknown online is kept (ONLINE_KEEP_USEC); it ended as no-response at
 * once (helper-74). Another supply in its place is no return.
 */
TEST_F(sess, a_charger_back_unread_is_waited_for)
{
	ASSERT_TRUE(gone_while_charging(self, 0, 5));
	snap(&self->b, 7 * S, 0, 0, 3800000, 10);
	self->b.charger.online = PSY_NONE;
	session_update(&self->s, &self->a, &self->b, 2, AT(7), &self->out);
	EXPECT_FALSE(self->out.ended);
	EXPECT_TRUE(self->out.held);
	/* read: online, the same session */
	self->a = self->b;
	snap(&self->b, 10 * S, 1, 1000000, 3800000, 11);
	session_update(&self->s, &self->a, &self->b, 2, AT(10), &self->out);
	EXPECT_FALSE(self->out.ended);
	EXPECT_FALSE(self->out.started);
	EXPECT_FALSE(self->out.held);
	EXPECT_EQ(1u, self->s.rec.id);
	/* gone again, back unread for good: no-response, when it went */
	self->a = self->b;
	snap(&self->b, 100 * S, 0, 0, 3800000, 11);
	self->b.charger.present = false;
	session_update(&self->s, &self->a, &self->b, 2, AT(100), &self->out);
	self->a = self->b;
	snap(&self->b, 105 * S, 0, 0, 3800000, 11);
	self->b.charger.online = PSY_NONE;
	session_update(&self->s, &self->a, &self->b, 2, AT(105), &self->out);
	EXPECT_TRUE(self->out.held);
	self->a = self->b;
	self->b.usec = 130 * S;
	session_update(&self->s, &self->a, &self->b, 2, AT(130), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_STREQ("no-response", self->out.record.end_reason);
	EXPECT_EQ(100, self->out.record.duration_s);
	/* another supply in the charger's place after the wait: removed */
	snap(&self->a, 200 * S, 1, 1000000, 3800000, 10);
	session_update(&self->s, &self->b, &self->a, 3, AT(200), &self->out);
	ASSERT_TRUE(self->out.started);
	snap(&self->b, 205 * S, 0, 0, 3800000, 10);
	self->b.charger.present = false;
	session_update(&self->s, &self->a, &self->b, 4, AT(205), &self->out);
	ASSERT_TRUE(self->out.held);
	self->a = self->b;
	snap(&self->b, 207 * S, 0, 0, 3800000, 10);
	strcpy(self->b.charger.name, "usb-port");
	session_update(&self->s, &self->a, &self->b, 4, AT(207), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_STREQ("removed", self->out.record.end_reason);
	EXPECT_EQ(5, self->out.record.duration_s);
}

/*
 * Back from the wait with another source (the adapter swapped while the
 * driver was unbound): the session ends, unplugged when the supply went,
 * and the next look starts another; it went on, relabelled (helper-73).
 * Another kind of port, or a replug since the new device's probe (2
 * power-good rises; a probe counts at most one).
 */
TEST_F(sess, an_adapter_swapped_during_the_wait_is_another_session)
{
	static const struct {
		const char *kind;
		long long rises;
		bool another;
	} back[] = {
		{ "sdp", 1, true }, { "dcp", 2, true }, { "dcp", 1, false }, { "dcp", PSY_NONE, false },
	};
	uint64_t t, id = 1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(back); i++) {
		session_init(&self->s);
		t = 1000 * i * S;
		snap(&self->a, t, 1, 1000000, 3800000, 10);
		session_update(&self->s, NULL, &self->a, id, AT(t / S), &self->out);
		ASSERT_TRUE(self->out.started);
		snap(&self->b, t + 20 * S, 0, 0, 3800000, 10);
		self->b.charger.present = false;
		session_update(&self->s, &self->a, &self->b, id + 1, AT(t / S + 20), &self->out);
		ASSERT_TRUE(self->out.held);
		self->a = self->b;
		snap(&self->b, t + 23 * S, 1, 500000, 3800000, 10);
		strcpy(self->b.charger.source_kind, back[i].kind);
		strcpy(self->b.charger.usb_type, !strcmp(back[i].kind, "sdp") ? "SDP" : "DCP");
		self->b.charger.power_good_rises = back[i].rises;
		strcpy(self->b.charger.health, "Hot");	/* a fault read with it */
		session_update(&self->s, &self->a, &self->b, id + 1, AT(t / S + 23), &self->out);
		EXPECT_EQ(back[i].another, self->out.ended) TH_LOG("back %u", i);
		EXPECT_FALSE(self->out.started) TH_LOG("back %u", i);
		if (!back[i].another) {
			EXPECT_EQ(id, self->s.rec.id);
			continue;
		}
		EXPECT_TRUE(self->out.unplugged);
		EXPECT_STREQ("unplugged", self->out.record.end_reason);
		EXPECT_STREQ("dcp", self->out.record.source);	/* not relabelled */
		EXPECT_EQ(20, self->out.record.duration_s);	/* when it went */
		/* the next look: the new source's session */
		self->a = self->b;
		self->b.usec = t + 26 * S;
		session_update(&self->s, &self->a, &self->b, id + 1, AT(t / S + 26), &self->out);
		EXPECT_TRUE(self->out.started);
		EXPECT_EQ(id + 1, self->s.rec.id);
		EXPECT_STREQ(back[i].kind, self->s.rec.source);
		/* the fault read at the swap's look is the new session's (helper-75: in neither) */
		EXPECT_EQ(FAULT_BIT(FAULT_HOT), self->out.raised);
		EXPECT_TRUE(self->s.rec.faults & FAULT_BIT(FAULT_HOT));
	}
}

/*
 * A fault that went by at a swap's look (the new adapter's spike: the
 * input fault's counter rose, the health is good again) is the new
 * session's too, and LastFault names only what was said (helper-78: the
 * counter's rise is read once; it was in neither session, LastFault said
 * input-fault).
 */
TEST_F(sess, a_fault_gone_by_at_a_swap_is_the_new_sessions)
{
	ASSERT_TRUE(gone_while_charging(self, 0, 20));
	/* back, its online not read yet: its counters are, from 0 */
	snap(&self->b, 22 * S, 1, 500000, 3800000, 10);
	self->b.charger.online = PSY_NONE;
	session_update(&self->s, &self->a, &self->b, 2, AT(22), &self->out);
	ASSERT_TRUE(self->out.held);
	self->a = self->b;
	snap(&self->b, 23 * S, 1, 500000, 3800000, 10);
	strcpy(self->b.charger.source_kind, "sdp");
	strcpy(self->b.charger.usb_type, "SDP");
	self->b.charger.faults_input = 1;
	session_update(&self->s, &self->a, &self->b, 2, AT(23), &self->out);
	ASSERT_TRUE(self->out.swapped);
	EXPECT_EQ(0u, self->out.transient);
	EXPECT_EQ(FAULT__COUNT, self->s.last_fault);	/* not said yet */
	self->a = self->b;
	self->b.usec = 26 * S;
	session_update(&self->s, &self->a, &self->b, 2, AT(26), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_EQ(FAULT_BIT(FAULT_INPUT), self->out.transient);
	EXPECT_TRUE(self->s.rec.faults & FAULT_BIT(FAULT_INPUT));
	EXPECT_EQ(FAULT_INPUT, self->s.last_fault);
	/* once */
	self->a = self->b;
	self->b.usec = 29 * S;
	session_update(&self->s, &self->a, &self->b, 2, AT(29), &self->out);
	EXPECT_EQ(0u, self->out.transient);
}

/*
 * LastFault is the session's, or unplugged the last one's: a new session
 * starts with none (helper-86: last week's safety timer named under
 * today's "Faults: none"), unless its first look reads one.
 */
TEST_F(sess, the_last_fault_is_the_sessions)
{
	snap(&self->a, 0, 1, 1000000, 3800000, 10);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	ASSERT_TRUE(self->out.started);
	snap(&self->b, 5 * S, 1, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Safety timer expire");
	session_update(&self->s, &self->a, &self->b, 1, AT(5), &self->out);
	EXPECT_EQ(FAULT_SAFETY_TIMER, self->s.last_fault);
	/* unplugged: still the last session's */
	self->a = self->b;
	snap(&self->b, 10 * S, 0, 0, 3800000, 10);
	session_update(&self->s, &self->a, &self->b, 2, AT(10), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_EQ(FAULT_SAFETY_TIMER, self->s.last_fault);
	/* plugged in again, all well: none */
	self->a = self->b;
	snap(&self->b, 100 * S, 1, 1000000, 3800000, 10);
	session_update(&self->s, &self->a, &self->b, 2, AT(100), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_EQ(FAULT__COUNT, self->s.last_fault);
	/* plugged in again with a fault read at once: that one */
	self->a = self->b;
	snap(&self->b, 110 * S, 0, 0, 3800000, 10);
	session_update(&self->s, &self->a, &self->b, 3, AT(110), &self->out);
	ASSERT_TRUE(self->out.ended);
	self->a = self->b;
	snap(&self->b, 200 * S, 1, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Hot");
	session_update(&self->s, &self->a, &self->b, 3, AT(200), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_EQ(FAULT_HOT, self->s.last_fault);
	/*
	 * a fault raised on battery, still there at the plug: the session's
	 * from its start, and named (helper-91: in its record, not LastFault)
	 */
	self->a = self->b;
	snap(&self->b, 210 * S, 0, 0, 3800000, 10);
	session_update(&self->s, &self->a, &self->b, 4, AT(210), &self->out);
	ASSERT_TRUE(self->out.ended);
	self->a = self->b;
	snap(&self->b, 220 * S, 0, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Cold");
	session_update(&self->s, &self->a, &self->b, 4, AT(220), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_COLD), self->out.raised);
	self->a = self->b;
	snap(&self->b, 230 * S, 1, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Cold");
	session_update(&self->s, &self->a, &self->b, 4, AT(230), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_EQ(0u, self->out.raised);
	EXPECT_TRUE(self->s.rec.faults & FAULT_BIT(FAULT_COLD));
	EXPECT_EQ(FAULT_COLD, self->s.last_fault);
}

/*
 * A fault still there through a quick rebind (the safety timer expired,
 * the driver unbound and bound again): not cleared while the charger is
 * not read, nor raised again when it is, one event (helper-73: cleared,
 * raised again, fault_events 2 for one expiry).
 */
TEST_F(sess, a_fault_outlives_a_quick_rebind_unsaid)
{
	snap(&self->a, 0, 1, 1000000, 3800000, 10);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, 5 * S, 1, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Safety timer expire");
	self->b.charger.faults_safety_timer = 1;
	session_update(&self->s, &self->a, &self->b, 2, AT(5), &self->out);
	ASSERT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER), self->out.raised);
	self->a = self->b;
	snap(&self->b, 8 * S, 0, 0, 3800000, 10);
	self->b.charger.present = false;
	session_update(&self->s, &self->a, &self->b, 2, AT(8), &self->out);
	ASSERT_TRUE(self->out.held);
	EXPECT_EQ(0u, self->out.cleared);
	EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER), self->s.active_faults);
	/* the new device: the chip still says so, its counter from its probe */
	self->a = self->b;
	snap(&self->b, 9 * S, 1, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Safety timer expire");
	self->b.charger.faults_safety_timer = 1;
	session_update(&self->s, &self->a, &self->b, 2, AT(9), &self->out);
	EXPECT_FALSE(self->out.ended);
	EXPECT_EQ(0u, self->out.raised);
	EXPECT_EQ(0u, self->out.transient);
	EXPECT_EQ(1u, self->s.rec.fault_events);
	/* then it clears: said */
	self->a = self->b;
	snap(&self->b, 20 * S, 1, 1000000, 3800000, 10);
	self->b.charger.faults_safety_timer = 1;
	session_update(&self->s, &self->a, &self->b, 2, AT(20), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER), self->out.cleared);
}

/*
 * A fault kept through the wait, the charger gone for good: the session
 * ends as removed, and the fault is dropped unsaid, not known; it was
 * said cleared at the first look after with nothing read (helper-78), and
 * kept for ever it stood beside "the charger's supply is gone" (a safety
 * timer pointing support at the battery: helper-80). Its return reads it.
 */
TEST_F(sess, a_fault_is_not_cleared_by_a_charger_gone_for_good)
{
	snap(&self->a, 0, 1, 1000000, 3800000, 10);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, 5 * S, 1, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Overheat");
	self->b.charger.faults_thermal_shutdown = 1;
	session_update(&self->s, &self->a, &self->b, 2, AT(5), &self->out);
	ASSERT_EQ(FAULT_BIT(FAULT_THERMAL_SHUTDOWN), self->out.raised);
	self->a = self->b;
	snap(&self->b, 8 * S, 0, 0, 3800000, 10);
	self->b.charger.present = false;
	session_update(&self->s, &self->a, &self->b, 2, AT(8), &self->out);
	ASSERT_TRUE(self->out.held);
	self->a = self->b;
	self->b.usec = 20 * S;
	session_update(&self->s, &self->a, &self->b, 2, AT(20), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_STREQ("removed", self->out.record.end_reason);
	EXPECT_EQ(0u, self->out.cleared);
	/* at that look: on battery the next may be hours away (helper-82) */
	EXPECT_EQ(0u, self->s.active_faults);
	self->a = self->b;
	self->b.usec = 60 * S;
	session_update(&self->s, &self->a, &self->b, 2, AT(60), &self->out);
	EXPECT_EQ(0u, self->out.cleared);
	EXPECT_EQ(0u, self->s.active_faults);
	/* back, still shut down: read, so said */
	self->a = self->b;
	snap(&self->b, 70 * S, 0, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Overheat");
	session_update(&self->s, &self->a, &self->b, 2, AT(70), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_THERMAL_SHUTDOWN), self->out.raised);
	self->a = self->b;
	snap(&self->b, 80 * S, 0, 0, 3800000, 10);
	session_update(&self->s, &self->a, &self->b, 2, AT(80), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_THERMAL_SHUTDOWN), self->out.cleared);
}

/*
 * A session that starts with a fault there (kept from before it: raised
 * on battery, or through a charger's removal) has it in its record
 * (helper-80: hot all its life, no fault in it).
 */
TEST_F(sess, a_session_has_the_faults_there_at_its_start)
{
	snap(&self->a, 0, 0, 0, 3800000, 10);
	strcpy(self->a.charger.health, "Hot");
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	ASSERT_EQ(FAULT_BIT(FAULT_HOT), self->out.raised);
	EXPECT_FALSE(self->s.active);
	snap(&self->b, 5 * S, 1, 0, 3800000, 10);
	strcpy(self->b.charger.health, "Hot");
	session_update(&self->s, &self->a, &self->b, 1, AT(5), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_EQ(0u, self->out.raised);
	EXPECT_EQ(FAULT_BIT(FAULT_HOT), self->s.rec.faults);
	EXPECT_EQ(1u, self->s.rec.fault_events);
}

/*
 * A fault that came and went while chargerd was down (a safety timer's
 * expiry, the charger restarting its cycle): its counter rose since the
 * chargerd before last read it, the first look says it, in the session
 * (helper-79: never said). Not for another device's counters.
 */
TEST_F(sess, a_fault_gone_by_while_stopped_is_said_at_the_restart)
{
	struct session_record saved = { .id = 7, .start = 1000, .duration_s = 600,
					.start_capacity = 30, .end_capacity = 60 }, ended;
	const struct session_clock mine = { .id = 7, .on_boot_clock = true };
	int i;

	strcpy(saved.source, "dcp");
	for (i = 0; i < 2; i++) {
		session_init(&self->s);
		self->s.faults_restored = true;
		snap(&self->a, 700 * S, 1, 800000, 3900000, 60);
		self->a.charger.ino = 31;
		fault_counters_of(&self->a.charger, &self->s.restored_counters);
		self->s.restored_counters.ino = i ? 30 : 31;	/* rebound: another */
		self->a.charger.faults_safety_timer = 1;
		ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
		session_update(&self->s, NULL, &self->a, 8, AT(1700), &self->out);
		EXPECT_EQ(0u, self->out.raised);
		if (i) {
			EXPECT_EQ(0u, self->out.transient);
			continue;
		}
		EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER), self->out.transient);
		EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER), self->s.rec.faults);
		EXPECT_EQ(FAULT_SAFETY_TIMER, self->s.last_fault);
		/* once: the next look compares with the last */
		self->b = self->a;
		self->b.usec = 710 * S;
		session_update(&self->s, &self->a, &self->b, 8, AT(1710), &self->out);
		EXPECT_EQ(0u, self->out.transient);
		EXPECT_EQ(0u, self->s.restored_counters.ino);
	}
}

/*
 * Resumed with the charger gone and its faults then not known: the first
 * look that reads its health settles them, not one that reads nothing
 * (helper-80: "Unknown" used it up, the shutdown was raised again).
 */
TEST_F(sess, faults_not_known_wait_for_a_health_read)
{
	struct session_record saved = { .id = 7, .start = 1000, .duration_s = 600,
					.start_capacity = 30, .end_capacity = 60,
					.faults = FAULT_BIT(FAULT_THERMAL_SHUTDOWN) }, ended;
	const struct session_clock mine = { .id = 7, .on_boot_clock = true };

	strcpy(saved.source, "dcp");
	snap(&self->a, 700 * S, 0, 0, 3900000, 60);
	self->a.charger.present = false;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	snap(&self->b, 701 * S, 1, 0, 3900000, 60);
	strcpy(self->b.charger.health, "Unknown");
	self->b.charger.i2c_errors = 2;
	session_update(&self->s, &self->a, &self->b, 8, AT(1701), &self->out);
	self->a = self->b;
	snap(&self->b, 702 * S, 1, 0, 3900000, 60);
	strcpy(self->b.charger.health, "Overheat");
	self->b.charger.i2c_errors = 2;
	session_update(&self->s, &self->a, &self->b, 8, AT(1702), &self->out);
	EXPECT_EQ(0u, self->out.raised);
	EXPECT_EQ(FAULT_BIT(FAULT_THERMAL_SHUTDOWN), self->s.active_faults & FAULT_BIT(FAULT_THERMAL_SHUTDOWN));
}

TEST_F(sess, a_charger_back_within_seconds_keeps_the_session)
{
	ASSERT_TRUE(gone_while_charging(self, 0, 5));
	snap(&self->b, 7 * S, 1, 1000000, 3800000, 11);
	session_update(&self->s, &self->a, &self->b, 2, AT(7), &self->out);
	EXPECT_FALSE(self->out.started);
	EXPECT_FALSE(self->out.plugged);
	EXPECT_FALSE(self->out.ended);
	EXPECT_FALSE(self->out.held);
	EXPECT_EQ(1u, self->s.rec.id);
	EXPECT_EQ(0u, self->s.gone_usec);
	/* gone again later: its own 10 s, from then */
	self->a = self->b;
	snap(&self->b, 100 * S, 0, 0, 3800000, 11);
	self->b.charger.present = false;
	session_update(&self->s, &self->a, &self->b, 2, AT(100), &self->out);
	EXPECT_TRUE(self->out.held);
	self->a = self->b;
	/* back offline (unplugged meanwhile): ended then, when it went */
	snap(&self->b, 103 * S, 0, 0, 3800000, 11);
	session_update(&self->s, &self->a, &self->b, 2, AT(103), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_TRUE(self->out.unplugged);
	EXPECT_TRUE(self->out.unplug_untimed);	/* some time in the wait */
	EXPECT_STREQ("unplugged", self->out.record.end_reason);
	EXPECT_EQ(100, self->out.record.duration_s);
}

/*
 * Another supply in the charger's place (a USB port's, taken while the
 * charger's driver is unbound), offline: the charger was removed, not
 * unplugged, and no connector bounce follows (helper-62).
 */
TEST_F(sess, another_supply_in_the_chargers_place_is_a_removal)
{
	snap(&self->a, 0, 1, 0, 3800000, 10);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, S, 0, 0, 3800000, 10);
	strcpy(self->b.charger.name, "usb-port");
	session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_FALSE(self->out.unplugged);
	EXPECT_STREQ("removed", self->out.record.end_reason);
}

TEST_F(sess, session_end_for_another_reason)
{
	struct session_record r;

	EXPECT_FALSE(session_end(&self->s, 0, "stopped", &r));
	snap(&self->a, 5 * S, 1, 0, 3800000, 10);
	session_update(&self->s, NULL, &self->a, 3, AT(0), &self->out);
	ASSERT_TRUE(session_end(&self->s, 65 * S, "stopped", &r));
	EXPECT_EQ(60, r.duration_s);
	EXPECT_STREQ("stopped", r.end_reason);
	EXPECT_FALSE(self->s.active);
}

static const struct {
	const char *health;
	long long vbus;
	int fault;
} health_map[] = {
	{ "Good", 5000000, -1 },
	{ "Cool", 5000000, -1 },
	{ "Warm", 5000000, -1 },
	{ "Overheat", 5000000, FAULT_THERMAL_SHUTDOWN },
	{ "Unspecified failure", 3000000, FAULT_INPUT_COLLAPSE },
	{ "Safety timer expire", 5000000, FAULT_SAFETY_TIMER },
	{ "Watchdog timer expire", 5000000, FAULT_WATCHDOG },
	{ "Hot", 5000000, FAULT_HOT },
	{ "Cold", 5000000, FAULT_COLD },
	{ "Over voltage", 15000000, FAULT_INPUT_OVP },
	{ "Over voltage", 5000000, FAULT_BATTERY_OVP },
};

TEST_F(sess, each_health_raises_and_clears_its_fault)
{
	unsigned int i;

	for (i = 0; i < sizeof(health_map) / sizeof(health_map[0]); i++) {
		uint32_t want = health_map[i].fault < 0 ? 0 : FAULT_BIT(health_map[i].fault);

		session_init(&self->s);
		snap(&self->a, 0, 1, 0, 3800000, 50);
		session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
		snap(&self->b, S, 1, 0, 3800000, 50);
		strcpy(self->b.charger.health, health_map[i].health);
		self->b.charger.voltage_now = health_map[i].vbus;
		session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
		EXPECT_EQ(want, self->out.raised) TH_LOG("%s", health_map[i].health);
		EXPECT_EQ(want, self->s.rec.faults);
		EXPECT_EQ(want ? 1 : 0, self->s.rec.fault_events);
		if (want)
			EXPECT_STREQ(fault_code(health_map[i].fault), fault_code(self->s.last_fault));
		/* still there: not raised again */
		session_update(&self->s, &self->b, &self->b, 2, AT(1), &self->out);
		EXPECT_EQ(0, self->out.raised);
		EXPECT_EQ(0, self->out.cleared);
		session_update(&self->s, &self->b, &self->a, 2, AT(2), &self->out);
		EXPECT_EQ(want, self->out.cleared) TH_LOG("%s", health_map[i].health);
		EXPECT_EQ(0, self->s.active_faults);
	}
}

TEST_F(sess, a_bus_failure_is_no_response)
{
	snap(&self->a, 0, 1, 0, 3800000, 50);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, S, 1, PSY_NONE, 3800000, 50);
	strcpy(self->b.charger.health, "Unknown");
	self->b.charger.i2c_errors = 3;
	session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_NO_RESPONSE), self->out.raised);
	/* Unknown without bus errors (a generic supply) is no fault */
	session_init(&self->s);
	self->b.charger.i2c_errors = 0;
	session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
	EXPECT_EQ(0, self->out.raised);
}

/*
 * The input counter rose with health "Over voltage": the input, placed by
 * VBUS as read during the fault (issue 18, item 8). At the OVP level it
 * is over-voltage; at a normal 5 V the reading is from after it, and the
 * chip's one code is over-voltage or a poor source: input-fault.
 */
TEST_F(sess, an_input_fault_is_placed_by_vbus_or_not_at_all)
{
	static const struct {
		long long vbus;
		int fault;
	} by_vbus[] = {
		{ 15300000, FAULT_INPUT_OVP },	/* the ADC's top: a 16 V adapter */
		{ 13500000, FAULT_INPUT_OVP },
		{ 5000000, FAULT_INPUT },
		{ 0, FAULT_INPUT },
		{ PSY_NONE, FAULT_INPUT },
	};
	unsigned int i;

	for (i = 0; i < sizeof(by_vbus) / sizeof(by_vbus[0]); i++) {
		session_init(&self->s);
		snap(&self->a, 0, 1, 0, 3800000, 50);
		session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
		snap(&self->b, S, 1, 0, 3800000, 50);
		strcpy(self->b.charger.health, "Over voltage");
		self->b.charger.voltage_now = by_vbus[i].vbus;
		self->b.charger.faults_input = 1;
		session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
		EXPECT_EQ(FAULT_BIT(by_vbus[i].fault), self->out.raised) TH_LOG("case %u", i);
		EXPECT_EQ(0, self->out.transient);
		/* the next snapshot, counter unchanged: the same side while it lasts */
		self->b.charger.voltage_now = 15300000;
		session_update(&self->s, &self->b, &self->b, 2, AT(2), &self->out);
		EXPECT_EQ(FAULT_BIT(by_vbus[i].fault), self->s.active_faults) TH_LOG("case %u", i);
		EXPECT_EQ(0, self->out.raised);
	}
	/* one that came and went between two readings: either side */
	session_init(&self->s);
	snap(&self->a, 0, 1, 0, 3800000, 50);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, S, 1, 0, 3800000, 50);
	self->b.charger.faults_input = 1;
	session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
	EXPECT_EQ(0, self->out.raised);
	EXPECT_EQ(FAULT_BIT(FAULT_INPUT), self->out.transient);
	EXPECT_STREQ("input-fault", fault_code(FAULT_INPUT));
}

/*
 * The charger refuses an input it still has (power good, so online, gone
 * with VBUS there): over-voltage, or a source sagged below the poor level.
 * Not an unplug: the session goes on through the fault, which its record
 * keeps, and carries on when the input is taken again; it ends when VBUS
 * goes, fault or no fault. It was an unplug, and a new session after.
 */
TEST_F(sess, a_refused_input_with_the_adapter_in_is_no_unplug)
{
	static const struct {
		const char *health;
		long long vbus;
		int fault;
	} refused[] = {
		{ "Over voltage", 15300000, FAULT_INPUT_OVP },
		{ "Over voltage", 5100000, FAULT_INPUT },
		{ "Over voltage", PSY_NONE, FAULT_INPUT },	/* the ADC not read yet */
		{ "Unspecified failure", 3000000, FAULT_INPUT_COLLAPSE },
	};
	unsigned int i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		session_init(&self->s);
		snap(&self->a, 0, 1, 1000000, 3800000, 50);
		session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
		ASSERT_TRUE(self->out.started);
		/* refused: offline, the fault, VBUS there */
		snap(&self->b, 10 * S, 0, 0, 3800000, 51);
		strcpy(self->b.charger.health, refused[i].health);
		self->b.charger.voltage_now = refused[i].vbus;
		self->b.charger.faults_input = 1;
		session_update(&self->s, &self->a, &self->b, 2, AT(10), &self->out);
		EXPECT_EQ(FAULT_BIT(refused[i].fault), self->out.raised) TH_LOG("case %u", i);
		EXPECT_TRUE(self->out.input_refused) TH_LOG("case %u", i);
		EXPECT_FALSE(self->out.unplugged) TH_LOG("case %u", i);
		EXPECT_FALSE(self->out.ended) TH_LOG("case %u", i);
		EXPECT_TRUE(self->s.active) TH_LOG("case %u", i);
		/* taken again: the same session, no plug */
		snap(&self->a, 20 * S, 1, 1000000, 3800000, 52);
		self->a.charger.faults_input = 1;
		session_update(&self->s, &self->b, &self->a, 2, AT(20), &self->out);
		EXPECT_FALSE(self->out.started) TH_LOG("case %u", i);
		EXPECT_FALSE(self->out.plugged) TH_LOG("case %u", i);
		EXPECT_FALSE(self->out.input_refused);
		EXPECT_EQ(FAULT_BIT(refused[i].fault), self->out.cleared) TH_LOG("case %u", i);
		EXPECT_EQ(1, self->s.rec.id);
		EXPECT_EQ(FAULT_BIT(refused[i].fault), self->s.rec.faults) TH_LOG("case %u", i);
		EXPECT_EQ(52, self->s.rec.end_capacity);
		/* refused again, then VBUS gone with the fault still shown: unplugged */
		self->b.usec = 30 * S;
		self->b.charger.faults_input = 2;
		session_update(&self->s, &self->a, &self->b, 2, AT(30), &self->out);
		EXPECT_TRUE(self->out.input_refused) TH_LOG("case %u", i);
		snap(&self->a, 40 * S, 0, 0, 3800000, 52);
		self->a.charger.faults_input = 2;
		strcpy(self->a.charger.health, refused[i].health);
		session_update(&self->s, &self->b, &self->a, 2, AT(40), &self->out);
		EXPECT_TRUE(self->out.ended) TH_LOG("case %u", i);
		EXPECT_TRUE(self->out.unplugged);
		EXPECT_STREQ("unplugged", self->out.record.end_reason);
		EXPECT_EQ(40, self->out.record.duration_s);
	}
	/*
	 * VBUS not known (a reading withheld or failed): it holds for 30 s
	 * after VBUS was last read there, not for ever (another driver's
	 * reading that never comes back)
	 */
	session_init(&self->s);
	snap(&self->a, 0, 1, 1000000, 3800000, 50);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, 10 * S, 0, 0, 3800000, 50);
	strcpy(self->b.charger.health, "Over voltage");
	self->b.charger.voltage_now = 15300000;
	self->b.charger.faults_input = 1;
	session_update(&self->s, &self->a, &self->b, 2, AT(10), &self->out);
	EXPECT_TRUE(self->out.input_refused);
	self->a = self->b;
	self->a.usec = 35 * S;
	self->a.charger.voltage_now = PSY_NONE;
	session_update(&self->s, &self->b, &self->a, 2, AT(35), &self->out);
	EXPECT_TRUE(self->out.input_refused);	/* 25 s after VBUS was read */
	self->b = self->a;
	self->b.usec = 45 * S;
	session_update(&self->s, &self->a, &self->b, 2, AT(45), &self->out);
	EXPECT_FALSE(self->out.input_refused);	/* 35 s */
	EXPECT_TRUE(self->out.ended);
	EXPECT_STREQ("unplugged", self->out.record.end_reason);

	/* offline with a fault that is no input's (the chip too hot): an unplug */
	session_init(&self->s);
	snap(&self->a, 0, 1, 1000000, 3800000, 50);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, S, 0, 0, 3800000, 50);
	strcpy(self->b.charger.health, "Overheat");
	self->b.charger.voltage_now = 5000000;
	session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
	EXPECT_FALSE(self->out.input_refused);
	EXPECT_TRUE(self->out.ended);
}

/*
 * "Over voltage" at the first look (no counters to compare, nothing
 * before) with VBUS normal: the battery only if it is near its
 * over-voltage threshold; well below it, the input, side unknown.
 */
TEST_F(sess, over_voltage_at_the_first_look_is_placed_by_the_battery)
{
	static const struct {
		long long vbat, vreg;
		int fault;
	} cases[] = {
		{ 3800000, 4208000, FAULT_INPUT },
		{ 4380000, 4208000, FAULT_BATTERY_OVP },	/* past 104 % of VREG */
		{ 3800000, 0, FAULT_BATTERY_OVP },		/* VREG unknown: as before */
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		session_init(&self->s);
		snap(&self->b, S, 1, 0, cases[i].vbat, 50);
		strcpy(self->b.charger.health, "Over voltage");
		self->b.charger.constant_charge_voltage = cases[i].vreg;
		session_update(&self->s, NULL, &self->b, 1, AT(1), &self->out);
		EXPECT_EQ(FAULT_BIT(cases[i].fault), self->out.raised) TH_LOG("case %u", i);
	}
}

TEST_F(sess, a_fault_that_came_and_went_is_transient)
{
	snap(&self->a, 0, 1, 0, 3800000, 50);
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, S, 1, 0, 3800000, 50);
	self->b.charger.faults_safety_timer = 1;
	self->b.charger.faults_watchdog = 2;
	self->b.charger.faults_ntc = 5;	/* cool/warm count too: not a fault */
	session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
	EXPECT_EQ(0, self->out.raised);
	EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER) | FAULT_BIT(FAULT_WATCHDOG), self->out.transient);
	EXPECT_EQ(2, self->s.rec.fault_events);
	/* a rise while the fault is present is that fault, not a new one */
	self->a = self->b;
	self->a.usec = 2 * S;
	strcpy(self->a.charger.health, "Unspecified failure");
	self->a.charger.faults_input = 1;
	session_update(&self->s, &self->b, &self->a, 2, AT(2), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_INPUT_COLLAPSE), self->out.raised);
	EXPECT_EQ(0, self->out.transient);
}

/*
 * The driver found the chip back at its defaults and restored it
 * (chip_resets rose): a power-on reset is said (it was in no record); a
 * watchdog expiry, which counts in both, as the watchdog; a counter that
 * fell (the driver reloaded, counting from 0) or unknown, as nothing.
 */
TEST_F(sess, a_chip_reset_the_driver_undid_is_said)
{
	static const struct {
		long long resets_before, resets, watchdog;
		uint32_t want;
	} cases[] = {
		{ 0, 1, 0, FAULT_BIT(FAULT_CHIP_RESET) },
		{ 3, 5, 0, FAULT_BIT(FAULT_CHIP_RESET) },
		{ 0, 1, 1, FAULT_BIT(FAULT_WATCHDOG) },
		{ 4, 0, 0, 0 },
		{ PSY_NONE, 1, 0, 0 },
		{ 1, PSY_NONE, 0, 0 },
		{ 2, 2, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		session_init(&self->s);
		snap(&self->a, 0, 1, 0, 3800000, 50);
		self->a.charger.chip_resets = cases[i].resets_before;
		session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
		snap(&self->b, S, 1, 0, 3800000, 50);
		self->b.charger.chip_resets = cases[i].resets;
		self->b.charger.faults_watchdog = cases[i].watchdog;
		session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
		EXPECT_EQ(cases[i].want, self->out.transient) TH_LOG("case %u", i);
		EXPECT_EQ(0, self->out.raised);
		EXPECT_EQ(cases[i].want, self->s.rec.faults) TH_LOG("case %u", i);
	}
	EXPECT_STREQ("chip-reset", fault_code(FAULT_CHIP_RESET));
}

TEST_F(sess, counters_of_another_charger_are_not_compared)
{
	snap(&self->a, 0, 1, 0, 3800000, 50);
	self->a.charger.faults_boost = 9;
	session_update(&self->s, NULL, &self->a, 1, AT(0), &self->out);
	snap(&self->b, S, 1, 0, 3800000, 50);
	strcpy(self->b.charger.name, "other");
	self->b.charger.faults_boost = 10;
	session_update(&self->s, &self->a, &self->b, 2, AT(1), &self->out);
	EXPECT_EQ(0, self->out.transient);
}

TEST_F(sess, resume_after_restart)
{
	struct session_record saved = { .id = 41, .start = 1000, .duration_s = 100,
					.energy_mwh = 500, .charge_mah = 120, .peak_ma = 900,
					.start_capacity = 30, .end_capacity = 40,
					.max_temp_dc = 300 }, ended;
	/* the session's clock this boot: started at 0 s of CLOCK_BOOTTIME */
	const struct session_clock clock = { .id = 41, .start_usec = 0, .base_s = 0 };

	/* detection had not finished at the checkpoint: the latest answer kept */
	strcpy(saved.source, "unknown");
	snap(&self->a, 300 * S, 1, 800000, 3900000, 45);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	EXPECT_TRUE(self->s.active);
	EXPECT_EQ(41, self->s.rec.id);
	EXPECT_EQ(300, self->s.rec.duration_s);
	EXPECT_EQ(500, self->s.rec.energy_mwh);
	EXPECT_EQ(45, self->s.rec.end_capacity);
	EXPECT_STREQ("dcp", self->s.rec.source);
	/* then unplugged: one record with everything */
	snap(&self->b, 300 * S + 3600 * S, 0, 0, 3900000, 90);
	session_update(&self->s, &self->a, &self->b, 42, AT(4900), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_EQ(41, self->out.record.id);
	EXPECT_EQ(3900, self->out.record.duration_s);
	EXPECT_EQ(500 + 3120, self->out.record.energy_mwh);
	EXPECT_EQ(120 + 800, self->out.record.charge_mah);
	EXPECT_EQ(30, self->out.record.start_capacity);

	/* unplugged while chargerd was down: ended as such */
	session_init(&self->s);
	ASSERT_FALSE(session_resume(&self->s, &saved, &self->b, &clock, AT(4900), &ended));
	EXPECT_FALSE(self->s.active);
	EXPECT_EQ(41, ended.id);
	EXPECT_EQ(100, ended.duration_s);
	EXPECT_STREQ("agent-restart", ended.end_reason);

	/* restarted while the charger refuses its input (16 V read): it goes on */
	session_init(&self->s);
	snap(&self->b, 400 * S, 0, 0, 3900000, 45);
	strcpy(self->b.charger.health, "Over voltage");
	self->b.charger.voltage_now = 15300000;
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->b, &clock, AT(1400), &ended));
	EXPECT_TRUE(self->s.active);
	/* the next look: still refused, the same session, the fault raised */
	self->a = self->b;
	self->a.usec = 401 * S;
	session_update(&self->s, &self->b, &self->a, 42, AT(1401), &self->out);
	EXPECT_TRUE(self->out.input_refused);
	EXPECT_FALSE(self->out.ended);
	EXPECT_EQ(FAULT_BIT(FAULT_INPUT_OVP), self->out.raised);
}

/*
 * A suspend while charging, after a restart (helper-52): the energy was
 * integrated alone from the resume, the last current held over the 8 h
 * asleep: 1.5 A at 3.9 V, 46.8 Wh for a 4 Wh charge. With a gauge it is
 * its charge at the mean voltage over what the checkpoint had; without
 * one, the integration counts the time awake (CLOCK_MONOTONIC) only.
 */
TEST_F(sess, a_suspend_after_a_restart_does_not_inflate_the_energy)
{
	struct session_record saved = { .id = 41, .start = 1000, .duration_s = 100,
					.energy_mwh = 500, .charge_mah = 120,
					.start_capacity = 30, .end_capacity = 40 }, ended;
	const struct session_clock clock = { .id = 41, .start_usec = 0, .base_s = 0 };

	snap(&self->a, 300 * S, 1, 1500000, 3900000, 45);
	self->a.mono_usec = 300 * S;
	self->a.battery.charge_now = 500000;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	/* 8 h later on CLOCK_BOOTTIME, 1 s awake: 1000 mAh more in the gauge, at 4.1 V */
	snap(&self->b, 300 * S + 8 * 3600 * S, 1, 100000, 4100000, 95);
	self->b.mono_usec = 301 * S;
	self->b.battery.charge_now = 1500000;
	session_update(&self->s, &self->a, &self->b, 42, AT(1300 + 8 * 3600), &self->out);
	EXPECT_EQ(120 + 1000, self->s.rec.charge_mah);
	EXPECT_EQ(500 + 4000, self->s.rec.energy_mwh);

	/* no gauge: the second awake, not the 8 h */
	session_init(&self->s);
	self->a.battery.charge_now = self->b.battery.charge_now = PSY_NONE;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	session_update(&self->s, &self->a, &self->b, 42, AT(1300 + 8 * 3600), &self->out);
	EXPECT_EQ(120, self->s.rec.charge_mah);		/* 1.5 A for 1 s: 0.4 mAh */
	EXPECT_EQ(500 + 1, self->s.rec.energy_mwh);	/* and 1.6 mWh */
	/* no CLOCK_MONOTONIC (0: not read): CLOCK_BOOTTIME, as before */
	session_init(&self->s);
	self->a.mono_usec = self->b.mono_usec = 0;
	snap(&self->b, 300 * S + 60 * S, 1, 100000, 4100000, 95);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	session_update(&self->s, &self->a, &self->b, 42, AT(1360), &self->out);
	EXPECT_EQ(120 + 25, self->s.rec.charge_mah);	/* 1.5 A for 60 s */
}

/*
 * After a reboot (no clock of this session's), plugged in at a charge
 * lower than the checkpoint's: it was unplugged while the device was off
 * and plugged again (helper-52: it went on as the old session, with no
 * plug said). Ended, for a new one to start; within a gauge's step, or on
 * this boot's clock, it goes on.
 */
TEST_F(sess, a_reboot_at_a_lower_charge_is_a_new_session)
{
	struct session_record saved = { .id = 7, .start = 1000, .duration_s = 600,
					.start_capacity = 30, .end_capacity = 60 }, ended;
	const struct session_clock mine = { .id = 7, .start_usec = 0, .base_s = 0 };

	snap(&self->a, 20 * S, 1, 800000, 3900000, 40);
	EXPECT_FALSE(session_resume(&self->s, &saved, &self->a, NULL, AT(9000), &ended));
	EXPECT_EQ(7, ended.id);
	EXPECT_STREQ("agent-restart", ended.end_reason);
	session_update(&self->s, NULL, &self->a, 8, AT(9000), &self->out);
	EXPECT_TRUE(self->out.started);
	EXPECT_TRUE(self->out.plugged);
	EXPECT_EQ(8, self->s.rec.id);
	EXPECT_EQ(40, self->s.rec.start_capacity);
	/* a gauge's step lower: the same session */
	session_init(&self->s);
	snap(&self->a, 20 * S, 1, 800000, 3900000, 58);
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, NULL, AT(9000), &ended));
	EXPECT_EQ(7, self->s.rec.id);
	/* this boot's clock of it: chargerd restarted, the device never off */
	session_init(&self->s);
	snap(&self->a, 20 * S, 1, 800000, 3900000, 40);
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1020), &ended));
	/* no capacity known: the same session */
	session_init(&self->s);
	snap(&self->a, 20 * S, 1, 800000, 3900000, PSY_NONE);
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, NULL, AT(9000), &ended));
}

/*
 * The same kind of adapter plugged again while chargerd was away (stopped,
 * restarting, upgraded): the charger's driver counted the arrival
 * (power_good_rises) on the same device. It went on as the saved session,
 * the drain between unseen. Another device (bound again: its count
 * starts again), or no count, is no evidence: it goes on.
 */
TEST_F(sess, a_source_plugged_while_away_is_a_new_session)
{
	struct session_record saved = { .id = 7, .start = 1000, .duration_s = 600,
					.start_capacity = 30, .end_capacity = 60 }, ended;
	const struct session_clock mine = { .id = 7, .start_usec = 0, .base_s = 0,
					    .on_boot_clock = true, .charger_ino = 1234,
					    .power_good_rises = 3 };
	struct session_clock no_count = mine;

	strcpy(saved.source, "dcp");
	snap(&self->a, 700 * S, 1, 800000, 3900000, 60);
	self->a.charger.ino = 1234;
	self->a.charger.power_good_rises = 4;
	EXPECT_FALSE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	EXPECT_EQ(7, ended.id);
	EXPECT_STREQ("agent-restart", ended.end_reason);
	session_update(&self->s, NULL, &self->a, 8, AT(1700), &self->out);
	EXPECT_TRUE(self->out.started);
	EXPECT_EQ(8, self->s.rec.id);
	/* the count as saved: the same source in all along */
	session_init(&self->s);
	self->a.charger.power_good_rises = 3;
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	EXPECT_EQ(7, self->s.rec.id);
	/* another device (the driver bound again), its own count */
	session_init(&self->s);
	self->a.charger.ino = 999;
	self->a.charger.power_good_rises = 1;
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	/* 2 on it: a source came after its probe (helper-71) */
	session_init(&self->s);
	self->a.charger.power_good_rises = 2;
	EXPECT_FALSE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	EXPECT_STREQ("agent-restart", ended.end_reason);
	/* a driver without the count, or a clock saved without it */
	session_init(&self->s);
	self->a.charger.ino = 1234;
	self->a.charger.power_good_rises = PSY_NONE;
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(1700), &ended));
	session_init(&self->s);
	self->a.charger.power_good_rises = 4;
	no_count.charger_ino = 0;
	no_count.power_good_rises = PSY_NONE;
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, &no_count, AT(1700), &ended));
	/* another session's clock (not this one's): not compared */
	session_init(&self->s);
	no_count = mine;
	no_count.id = 6;
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, &no_count, AT(1700), &ended));
}

/*
 * Another kind of port than the saved session's (helper-61: chargerd
 * stopped, a wall adapter unplugged, a computer's port plugged 600 s
 * later, started again): unplugged and plugged again while chargerd was
 * away, on this boot's clock or after a reboot. The old session went on,
 * relabelled sdp. DCP then HVDCP is one adapter; unknown kinds prove
 * nothing.
 */
TEST_F(sess, another_port_at_a_restart_is_a_new_session)
{
	struct session_record saved = { .id = 7, .start = 1000, .duration_s = 600,
					.start_capacity = 30, .end_capacity = 60 }, ended;
	const struct session_clock mine = { .id = 7, .start_usec = 0, .base_s = 0 };

	strcpy(saved.source, "dcp");
	strcpy(saved.usb_type, "DCP");
	snap(&self->a, 1200 * S, 1, 450000, 3900000, 61);
	strcpy(self->a.charger.source_kind, "sdp");
	strcpy(self->a.charger.usb_type, "SDP");
	EXPECT_FALSE(session_resume(&self->s, &saved, &self->a, &mine, AT(2200), &ended));
	EXPECT_EQ(7, ended.id);
	EXPECT_STREQ("agent-restart", ended.end_reason);
	EXPECT_STREQ("dcp", ended.source);
	session_update(&self->s, NULL, &self->a, 8, AT(2200), &self->out);
	EXPECT_TRUE(self->out.started);
	EXPECT_EQ(8, self->s.rec.id);
	EXPECT_STREQ("sdp", self->s.rec.source);
	/* after a reboot too */
	session_init(&self->s);
	EXPECT_FALSE(session_resume(&self->s, &saved, &self->a, NULL, AT(9000), &ended));
	/* only usb_type known (another driver): the same */
	session_init(&self->s);
	saved.source[0] = '\0';
	self->a.charger.source_kind[0] = '\0';
	EXPECT_FALSE(session_resume(&self->s, &saved, &self->a, &mine, AT(2200), &ended));
	/* DCP, then the same adapter's HVDCP: it goes on */
	session_init(&self->s);
	strcpy(saved.source, "dcp");
	strcpy(self->a.charger.source_kind, "hvdcp");
	strcpy(self->a.charger.usb_type, "DCP");
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(2200), &ended));
	EXPECT_EQ(7, self->s.rec.id);
	/* an unknown or non-standard answer proves nothing */
	session_init(&self->s);
	strcpy(self->a.charger.source_kind, "nonstandard");
	strcpy(self->a.charger.usb_type, "Unknown");
	EXPECT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, AT(2200), &ended));
}

/*
 * A charger without current_now (and a gauge without charge_now): energy,
 * charge and peak never measured are HISTORY_UNKNOWN, not a measured 0
 * (helper-53: "0 mWh 0 mAh" read as "nothing flowed"). A current of 0
 * read is a measurement; the unknown survives a restart as such.
 */
TEST_F(sess, what_was_never_measured_is_unknown_not_zero)
{
	struct session_record saved, ended;

	snap(&self->a, 10 * S, 1, PSY_NONE, 3900000, 40);
	session_update(&self->s, NULL, &self->a, 1, AT(1000), &self->out);
	snap(&self->b, 3610 * S, 0, PSY_NONE, 4000000, 60);
	session_update(&self->s, &self->a, &self->b, 2, AT(4600), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_EQ(HISTORY_UNKNOWN, self->out.record.energy_mwh);
	EXPECT_EQ(HISTORY_UNKNOWN, self->out.record.charge_mah);
	EXPECT_EQ(HISTORY_UNKNOWN, self->out.record.peak_ma);
	EXPECT_EQ(3600, self->out.record.duration_s);
	/* across a restart: still unknown, not 4294967 Wh */
	saved = self->out.record;
	saved.end_reason[0] = '\0';
	session_init(&self->s);
	snap(&self->a, 10 * S, 1, PSY_NONE, 3900000, 60);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, NULL, AT(1000), &ended));
	snap(&self->b, 20 * S, 1, PSY_NONE, 3900000, 60);
	session_update(&self->s, &self->a, &self->b, 2, AT(1010), &self->out);
	EXPECT_EQ(HISTORY_UNKNOWN, self->s.rec.energy_mwh);
	EXPECT_EQ(HISTORY_UNKNOWN, self->s.rec.charge_mah);
	/* a current of 0 read: measured */
	session_init(&self->s);
	snap(&self->a, 10 * S, 1, 0, 3900000, 40);
	session_update(&self->s, NULL, &self->a, 1, AT(1000), &self->out);
	EXPECT_EQ(0, self->s.rec.energy_mwh);
	EXPECT_EQ(0, self->s.rec.charge_mah);
	EXPECT_EQ(0, self->s.rec.peak_ma);
}

/*
 * A fault still there across a restart (helper-52): it was raised again,
 * journalled and signalled twice, and counted twice in the history's
 * fault_events. One the session had not seen is new.
 */
TEST_F(sess, a_restart_does_not_raise_a_fault_again)
{
	struct session_record saved = { .id = 41, .start = 1000, .duration_s = 100,
					.start_capacity = 30, .end_capacity = 40,
					.faults = FAULT_BIT(FAULT_HOT), .fault_events = 1 }, ended;
	const struct session_clock clock = { .id = 41, .start_usec = 0, .base_s = 0 };

	snap(&self->a, 300 * S, 1, 800000, 3900000, 45);
	strcpy(self->a.charger.health, "Hot");
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	EXPECT_EQ(0, self->out.raised);
	EXPECT_EQ(1, self->s.rec.fault_events);
	EXPECT_EQ(FAULT_BIT(FAULT_HOT), self->s.active_faults);
	/* it clears: said once */
	snap(&self->b, 301 * S, 1, 800000, 3900000, 45);
	session_update(&self->s, &self->a, &self->b, 42, AT(1301), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_HOT), self->out.cleared);
	/* one the session had not seen: new */
	session_init(&self->s);
	saved.faults = 0;
	saved.fault_events = 0;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_HOT), self->out.raised);
	EXPECT_EQ(1, self->s.rec.fault_events);
}

/*
 * The faults as the chargerd before the restart left them (runtime.c's
 * faults file): one that ended while chargerd was down is said cleared at
 * the first look (helper-79: never closed); one still there keeps its
 * name (a battery over-voltage read back as an input fault, a new
 * record); one that came meanwhile is raised.
 */
TEST_F(sess, a_restart_goes_on_from_the_faults_it_left)
{
	struct session_record saved = { .id = 41, .start = 1000, .duration_s = 100,
					.start_capacity = 30, .end_capacity = 40,
					.faults = FAULT_BIT(FAULT_BATTERY_OVP) |
						  FAULT_BIT(FAULT_THERMAL_SHUTDOWN), .fault_events = 2 }, ended;
	const struct session_clock clock = { .id = 41, .start_usec = 0, .base_s = 0 };

	/* the shutdown ended while chargerd was down */
	snap(&self->a, 300 * S, 1, 800000, 3900000, 45);
	self->s.active_faults = FAULT_BIT(FAULT_THERMAL_SHUTDOWN);
	self->s.faults_restored = true;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_THERMAL_SHUTDOWN), self->out.cleared);
	EXPECT_EQ(0u, self->out.raised);
	/* the battery's over-voltage still there (a normal battery voltage read): its name */
	session_init(&self->s);
	strcpy(self->a.charger.health, "Over voltage");
	self->a.charger.constant_charge_voltage = 4352000;
	self->s.active_faults = FAULT_BIT(FAULT_BATTERY_OVP);
	self->s.faults_restored = true;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	EXPECT_EQ(0u, self->out.raised);
	EXPECT_EQ(0u, self->out.cleared);
	EXPECT_EQ(FAULT_BIT(FAULT_BATTERY_OVP), self->s.active_faults);
	EXPECT_EQ(2, self->s.rec.fault_events);
	/* without the file: the name is a guess (the input, by the voltages) */
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_INPUT), self->out.raised);
	/*
	 * one saved as present but not in the record (chargerd died between
	 * the save and the checkpoint): raised, in the record, not lost
	 */
	session_init(&self->s);
	strcpy(self->a.charger.health, "Overheat");
	saved.faults = 0;
	self->s.active_faults = FAULT_BIT(FAULT_THERMAL_SHUTDOWN);
	self->s.faults_restored = true;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_THERMAL_SHUTDOWN), self->out.raised);
	EXPECT_TRUE(self->s.rec.faults & FAULT_BIT(FAULT_THERMAL_SHUTDOWN));
	/* one that came while it was down: raised */
	session_init(&self->s);
	strcpy(self->a.charger.health, "Safety timer expire");
	self->s.active_faults = 0;
	self->s.faults_restored = true;
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &clock, AT(1300), &ended));
	session_update(&self->s, NULL, &self->a, 42, AT(1300), &self->out);
	EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER), self->out.raised);
}

/*
 * Issue 18, item 5: the wall clock stepped three years (a device without
 * an RTC getting its time late) while chargerd was down. The duration
 * comes from CLOCK_BOOTTIME only; without this session's clock (a reboot)
 * the gap is not counted, never guessed from the wall clock.
 */
TEST_F(sess, a_clock_step_never_stretches_a_session)
{
	struct session_record saved = { .id = 7, .start = 1000, .duration_s = 5,
					.start_capacity = 30, .end_capacity = 31 }, ended;
	const struct session_clock other = { .id = 6, .start_usec = 0, .base_s = 0 };
	struct session_clock now;

	snap(&self->a, 20 * S, 1, 800000, 3900000, 31);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &other, AT(1020), &ended));
	EXPECT_EQ(5, self->s.rec.duration_s);
	session_clock_of(&self->s, &now);
	EXPECT_EQ(7, now.id);
	EXPECT_EQ(20 * S, now.start_usec);
	EXPECT_EQ(5, now.base_s);
	snap(&self->b, 30 * S, 0, 0, 3900000, 32);
	/* the wall clock three years on: it labels, it does not measure */
	session_update(&self->s, &self->a, &self->b, 8, AT(1000 + 94694400), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_EQ(15, self->out.record.duration_s);
	/* no clock at all: the checkpoint's duration */
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, NULL, AT(1020), &ended));
	EXPECT_EQ(5, self->s.rec.duration_s);
}

/*
 * A start stamped by a clock not synchronised yet (a device without an
 * RTC, before timesyncd) is a label: the record says so, and once the
 * clock is synchronised the start is re-dated from CLOCK_BOOTTIME. Before,
 * a record kept its 1970 start, and history showed it as a real date once
 * the clock was set (every row was judged by the clock at display time).
 */
TEST_F(sess, an_unsynchronised_start_is_redated_once_synchronised)
{
	const int64_t synced_at = 1796040000;	/* 2026-11-30 12:00 UTC */
	/* once synchronised, the wall clock in us minus CLOCK_BOOTTIME */
	const int64_t off = synced_at * (int64_t)S + 200000 - 110 * (int64_t)S;
	struct session_record view;
	struct session_clock c;
	uint64_t t;

	/* at 10.4 s of CLOCK_BOOTTIME, the clock reading 40 s, not synchronised */
	snap(&self->a, 10 * S + 400000, 1, 800000, 3900000, 20);
	session_update(&self->s, NULL, &self->a, 1, wall(40, 10 * S + 400000, false), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_FALSE(self->out.redated);
	EXPECT_EQ(START_CLOCK_UNSYNCED, self->s.rec.start_clock);
	EXPECT_EQ(40, self->s.rec.start);
	EXPECT_FALSE(history_start_known(&self->s.rec, true));
	/*
	 * Views from 110 s on, the clock synchronised meanwhile (reading
	 * synced_at + 0.2 s at 110.0 s): the start is 99.6 s before 110.0 s,
	 * synced_at - 99.4 s, rounded down; the same at every instant (the
	 * two clocks' fractions rounded apart alternated it between - 99 and
	 * - 100), and s is unchanged.
	 */
	for (t = 110 * S; t < 113 * S; t += 100000) {
		session_dated(&self->s, wall_us(off + (int64_t)t, t, true), &view);
		EXPECT_EQ(START_CLOCK_SYNCED, view.start_clock);
		EXPECT_EQ(synced_at - 100, view.start) TH_LOG("at %llu us", (unsigned long long)t);
	}
	EXPECT_EQ(START_CLOCK_UNSYNCED, self->s.rec.start_clock);
	/* not synchronised: the view is the record */
	session_dated(&self->s, wall(synced_at, 110 * S, false), &view);
	EXPECT_EQ(START_CLOCK_UNSYNCED, view.start_clock);
	EXPECT_EQ(40, view.start);
	/* the next look after the sync re-dates the session itself, once */
	snap(&self->b, 130 * S, 1, 800000, 3900000, 25);
	session_update(&self->s, &self->a, &self->b, 2, wall_us(off + 130 * S, 130 * S, true),
		       &self->out);
	EXPECT_TRUE(self->out.redated);
	EXPECT_EQ(START_CLOCK_SYNCED, self->s.rec.start_clock);
	EXPECT_EQ(synced_at - 100, self->s.rec.start);
	/* a later step of the clock moves it no more */
	snap(&self->a, 190 * S, 0, 0, 3900000, 30);
	session_update(&self->s, &self->b, &self->a, 2, wall(synced_at + 3600, 190 * S, true),
		       &self->out);
	EXPECT_FALSE(self->out.redated);
	ASSERT_TRUE(self->out.ended);
	EXPECT_EQ(synced_at - 100, self->out.record.start);
	EXPECT_EQ(START_CLOCK_SYNCED, self->out.record.start_clock);
	EXPECT_EQ(179, self->out.record.duration_s);

	/* one that ends before the clock is synchronised stays unknown */
	snap(&self->a, 200 * S, 1, 800000, 3900000, 30);
	session_update(&self->s, NULL, &self->a, 3, wall(500, 200 * S, false), &self->out);
	session_clock_of(&self->s, &c);
	EXPECT_TRUE(c.on_boot_clock);
	snap(&self->b, 260 * S, 0, 0, 3900000, 31);
	session_update(&self->s, &self->a, &self->b, 4, wall(560, 260 * S, false), &self->out);
	ASSERT_TRUE(self->out.ended);
	EXPECT_EQ(START_CLOCK_UNSYNCED, self->out.record.start_clock);
	EXPECT_FALSE(history_start_known(&self->out.record, true));
	/* started synchronised: known, whatever the clock says later */
	session_update(&self->s, NULL, &self->a, 5, wall(synced_at, 200 * S, true), &self->out);
	EXPECT_EQ(START_CLOCK_SYNCED, self->s.rec.start_clock);
	EXPECT_EQ(synced_at, self->s.rec.start);
	EXPECT_TRUE(history_start_known(&self->s.rec, false));
}

/*
 * Re-dating needs the whole session on this boot's CLOCK_BOOTTIME: across
 * chargerd's restart it has it (the runtime directory's clock), across a
 * reboot it has not (the downtime is in no clock), and the start stays
 * unknown rather than wrong by the reboot.
 */
TEST_F(sess, redating_only_on_this_boots_clock)
{
	struct session_record saved = { .id = 9, .start = 40, .duration_s = 50,
					.start_clock = START_CLOCK_UNSYNCED,
					.start_capacity = 30, .end_capacity = 31 }, ended;
	const struct session_clock mine = { .id = 9, .start_usec = 10 * S, .base_s = 0,
					    .on_boot_clock = true };
	struct session_clock c;

	/* chargerd restarted in the same boot, 290 s after the start */
	snap(&self->a, 300 * S, 1, 800000, 3900000, 35);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, wall(330, 300 * S, false),
				   &ended));
	session_clock_of(&self->s, &c);
	EXPECT_TRUE(c.on_boot_clock);
	snap(&self->b, 310 * S, 1, 800000, 3900000, 36);
	session_update(&self->s, &self->a, &self->b, 10, wall(1796040000, 310 * S, true), &self->out);
	EXPECT_TRUE(self->out.redated);
	EXPECT_EQ(START_CLOCK_SYNCED, self->s.rec.start_clock);
	EXPECT_EQ(1796040000 - 300, self->s.rec.start);
	/* unplugged while chargerd was down, the clock synchronised: re-dated too */
	session_init(&self->s);
	snap(&self->b, 310 * S, 0, 0, 3900000, 36);
	ASSERT_FALSE(session_resume(&self->s, &saved, &self->b, &mine,
				    wall(1796040000, 310 * S, true), &ended));
	snap(&self->b, 310 * S, 1, 800000, 3900000, 36);
	EXPECT_STREQ("agent-restart", ended.end_reason);
	EXPECT_EQ(START_CLOCK_SYNCED, ended.start_clock);
	EXPECT_EQ(1796040000 - 300, ended.start);

	/* after a reboot (no clock of this session): never re-dated */
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, NULL, wall(330, 300 * S, false),
				   &ended));
	session_clock_of(&self->s, &c);
	EXPECT_FALSE(c.on_boot_clock);
	session_update(&self->s, &self->a, &self->b, 10, wall(1796040000, 310 * S, true), &self->out);
	EXPECT_FALSE(self->out.redated);
	EXPECT_EQ(START_CLOCK_UNSYNCED, self->s.rec.start_clock);
	EXPECT_EQ(40, self->s.rec.start);
	session_dated(&self->s, wall(1796040000, 310 * S, true), &self->out.record);
	EXPECT_EQ(START_CLOCK_UNSYNCED, self->out.record.start_clock);
	/* and a restart after that reboot keeps it so (the saved clock says) */
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->b, &c, wall(1796040000, 310 * S, true),
				   &ended));
	session_update(&self->s, &self->b, &self->b, 10, wall(1796040000, 310 * S, true),
		       &self->out);
	EXPECT_EQ(START_CLOCK_UNSYNCED, self->s.rec.start_clock);
	/* nor does one unplugged meanwhile */
	session_init(&self->s);
	ASSERT_FALSE(session_resume(&self->s, &saved, &(struct snapshot){ 0 }, &c,
				    wall(1796040000, 310 * S, true), &ended));
	EXPECT_EQ(START_CLOCK_UNSYNCED, ended.start_clock);
	/* a legacy record (chargerd before it kept the start's clock) is left as it was */
	saved.start_clock = START_CLOCK_LEGACY;
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, &mine, wall(330, 300 * S, true),
				   &ended));
	session_update(&self->s, &self->a, &self->b, 10, wall(1796040000, 310 * S, true), &self->out);
	EXPECT_EQ(START_CLOCK_LEGACY, self->s.rec.start_clock);
	EXPECT_EQ(40, self->s.rec.start);
	EXPECT_TRUE(history_start_known(&self->s.rec, true));
	EXPECT_FALSE(history_start_known(&self->s.rec, false));
}

/*
 * The wall clock set while a session is in progress: the start it was
 * stamped with, synchronised or not, may be off by the step (a flag
 * created before the clock was stepped), so it is re-dated from
 * CLOCK_BOOTTIME once the clock is trusted after the step. Before, a start
 * stamped "synced" kept its date whatever the clock did next.
 */
TEST_F(sess, a_clock_step_undates_the_start_of_this_boots_session)
{
	const int64_t wrong = 1701777600;	/* three years behind */
	const int64_t right = 1796385600;	/* 2026-12-04 12:00 UTC */
	struct session_record saved = { .id = 9, .start = wrong, .duration_s = 50,
					.start_clock = START_CLOCK_SYNCED,
					.start_capacity = 20, .end_capacity = 22 }, ended;

	EXPECT_FALSE(session_clock_stepped(&self->s));	/* no session */
	/* stamped at 10 s, the flag there (too early: the clock is three years behind) */
	snap(&self->a, 10 * S, 1, 800000, 3900000, 20);
	session_update(&self->s, NULL, &self->a, 1, wall(wrong, 10 * S, true), &self->out);
	ASSERT_TRUE(self->out.started);
	EXPECT_EQ(START_CLOCK_SYNCED, self->s.rec.start_clock);
	EXPECT_EQ(wrong, self->s.rec.start);
	/* the clock stepped at 60 s, the flag not touched since: not trusted */
	EXPECT_TRUE(session_clock_stepped(&self->s));
	EXPECT_EQ(START_CLOCK_UNSYNCED, self->s.rec.start_clock);
	EXPECT_FALSE(history_start_known(&self->s.rec, true));
	EXPECT_FALSE(session_clock_stepped(&self->s));	/* once */
	snap(&self->b, 70 * S, 1, 800000, 3900000, 21);
	session_update(&self->s, &self->a, &self->b, 2, wall(right, 70 * S, false), &self->out);
	EXPECT_FALSE(self->out.redated);
	EXPECT_EQ(wrong, self->s.rec.start);
	/* timesyncd touches the flag at 100 s: re-dated from CLOCK_BOOTTIME */
	snap(&self->a, 100 * S, 1, 800000, 3900000, 22);
	session_update(&self->s, &self->b, &self->a, 2, wall(right, 100 * S, true), &self->out);
	EXPECT_TRUE(self->out.redated);
	EXPECT_EQ(START_CLOCK_SYNCED, self->s.rec.start_clock);
	EXPECT_EQ(right - 90, self->s.rec.start);

	/* one resumed after a reboot cannot be re-dated: its start is left */
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a, NULL, wall(right, 100 * S, true),
				   &ended));
	EXPECT_FALSE(session_clock_stepped(&self->s));
	EXPECT_EQ(START_CLOCK_SYNCED, self->s.rec.start_clock);
	/* nor a legacy record */
	saved.start_clock = START_CLOCK_LEGACY;
	session_init(&self->s);
	ASSERT_TRUE(session_resume(&self->s, &saved, &self->a,
				   &(struct session_clock){ .id = 9, .start_usec = 50 * S,
							    .on_boot_clock = true },
				   wall(right, 100 * S, true), &ended));
	EXPECT_FALSE(session_clock_stepped(&self->s));
	EXPECT_EQ(START_CLOCK_LEGACY, self->s.rec.start_clock);
}

/*
 * The runtime directory's session clock, as a restart reads it: this
 * chargerd's four fields (six with the charger's count of arrivals), an
 * older one's three (written before an upgrade
 * in the same boot: its start is not vouched for, so never re-dated), and
 * nothing else. Before, sscanf() took a sign, trailing text and a value
 * out of range.
 */
TEST(the_session_clock_line)
{
	static const char *const bad[] = {
		"", "\n", "1", "1 2", "1 2 3 1 5", "1 2 3 2", "-1 2 3 1", "1 +2 3 1",
		" 1 2 3 1", "1  2 3 1", "1 2 3 1 ", "1 2 3 1x", "1 2 3\n\n", "1 2 3 1\nx",
		"18446744073709551616 2 3 1", "1 2 3 -0", "one 2 3 1",
		"1 2 3 1 0 5", "1 2 3 1 9 -1", "1 2 3 1 9 5 6", "1 2 3 2 9 5", "1 2 3 1 9",
		"1 2 3 1 9 9223372036854775808", "1 2 3 1 9 5 ", "1 2 3 9 5",
	};
	const struct session_clock c = { .id = 7, .start_usec = 18446744073709551615ULL,
					 .base_s = 42, .on_boot_clock = true };
	struct session_clock back;
	char line[96];
	unsigned int i;

	session_clock_format(&c, line, sizeof(line));
	EXPECT_STREQ("7 18446744073709551615 42 1\n", line);
	ASSERT_EQ(0, session_clock_parse(line, &back));
	EXPECT_EQ(7, back.id);
	EXPECT_EQ(18446744073709551615ULL, back.start_usec);
	EXPECT_EQ(42, back.base_s);
	EXPECT_TRUE(back.on_boot_clock);
	ASSERT_EQ(0, session_clock_parse("7 10 42 0\n", &back));
	EXPECT_FALSE(back.on_boot_clock);
	/* an older chargerd's line */
	back.on_boot_clock = true;
	ASSERT_EQ(0, session_clock_parse("7 10000000 42\n", &back));
	EXPECT_EQ(10000000, back.start_usec);
	EXPECT_EQ(42, back.base_s);
	EXPECT_FALSE(back.on_boot_clock);
	ASSERT_EQ(0, session_clock_parse("7 10000000 42", &back));
	EXPECT_EQ(0, back.charger_ino);
	EXPECT_EQ(PSY_NONE, back.power_good_rises);
	/* with the charger's count of arrivals, for a restart to compare */
	back = c;
	back.charger_ino = 4711;
	back.power_good_rises = 0;
	session_clock_format(&back, line, sizeof(line));
	EXPECT_STREQ("7 18446744073709551615 42 1 4711 0\n", line);
	memset(&back, 0, sizeof(back));
	ASSERT_EQ(0, session_clock_parse(line, &back));
	EXPECT_EQ(42, back.base_s);
	EXPECT_TRUE(back.on_boot_clock);
	EXPECT_EQ(4711, back.charger_ino);
	EXPECT_EQ(0, back.power_good_rises);
	/* a count unknown: the four fields */
	back.power_good_rises = PSY_NONE;
	session_clock_format(&back, line, sizeof(line));
	EXPECT_STREQ("7 18446744073709551615 42 1\n", line);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *l = bad[i];

		EXPECT_EQ(-EINVAL, session_clock_parse(l, &back)) {
			TH_LOG("\"%s\"", l);
		}
	}
}

/*
 * The runtime directory's charger-gone line, as a restart reads it
 * (runtime.c's gone_load()): trusted only when it was seen gone within
 * SESSION_GONE_FRESH_USEC of now; anything else from the restart, as
 * before (helper-75: one an hour old ended the session an hour early).
 */
TEST(the_charger_gone_line)
{
	static const char *const bad[] = {
		"", "\n", "5", "5 6", "5 6 7 8", "-5 6 0", "5 +6 0", " 5 6 0", "5  6 0",
		"5 6 0 ", "5 6 0x", "5 6 0\n\n", "0 6 0", "7 6 0", "5 6 -1",
		"5 6 4294967296", "18446744073709551616 6 0", "five 6 0",
	};
	const uint64_t now = 1000 * S;
	uint32_t faults = 0, f = FAULT_BIT(FAULT_SAFETY_TIMER) | FAULT_BIT(FAULT_HOT);
	uint64_t gone = 0;
	char line[SESSION_GONE_LINE_MAX];
	unsigned int i;

	session_gone_format(990 * S, 995 * S, f, line, sizeof(line));
	ASSERT_EQ(0, session_gone_parse(line, now, &gone, &faults));
	EXPECT_EQ(990 * S, gone);
	EXPECT_EQ(f, faults);
	/* the longest line fits */
	session_gone_format(UINT64_MAX, UINT64_MAX, UINT32_MAX, line, sizeof(line));
	EXPECT_EQ('\n', line[strlen(line) - 1]);
	/* seen gone just within the 15 s, at now, after now, too long ago */
	session_gone_format(900 * S, now - SESSION_GONE_FRESH_USEC + 1, 0, line, sizeof(line));
	EXPECT_EQ(0, session_gone_parse(line, now, &gone, &faults));
	EXPECT_EQ(900 * S, gone);
	EXPECT_EQ(0u, faults);
	session_gone_format(900 * S, now, 0, line, sizeof(line));
	EXPECT_EQ(0, session_gone_parse(line, now, &gone, &faults));
	session_gone_format(900 * S, now + 1, 0, line, sizeof(line));
	EXPECT_EQ(-ESTALE, session_gone_parse(line, now, &gone, &faults));
	session_gone_format(900 * S, now - SESSION_GONE_FRESH_USEC, 0, line, sizeof(line));
	EXPECT_EQ(-ESTALE, session_gone_parse(line, now, &gone, &faults));
	/* another boot's, with a clock far ahead */
	EXPECT_EQ(-ESTALE, session_gone_parse("5 6 0\n", 0, &gone, &faults));
	/* a fault bit beyond those known: another version's, not taken */
	snprintf(line, sizeof(line), "5 6 %u\n", 1u << FAULT__COUNT);
	EXPECT_EQ(-EINVAL, session_gone_parse(line, now, &gone, &faults));
	gone = 42;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *l = bad[i];

		EXPECT_EQ(-EINVAL, session_gone_parse(l, now, &gone, &faults)) {
			TH_LOG("\"%s\"", l);
		}
	}
	EXPECT_EQ(42u, gone);
}

TEST(fault_codes_are_stable_and_unique)
{
	int f, g;

	EXPECT_STREQ("input-ovp", fault_code(FAULT_INPUT_OVP));
	EXPECT_STREQ("no-response", fault_code(FAULT_NO_RESPONSE));
	for (f = 0; f < FAULT__COUNT; f++) {
		ASSERT_NE(NULL, fault_code(f));
		ASSERT_NE(NULL, fault_text(f));
		EXPECT_EQ(f, fault_from_code(fault_code(f)));
		for (g = 0; g < f; g++)
			EXPECT_STRNE(fault_code(f), fault_code(g));
	}
	EXPECT_EQ(NULL, fault_code(FAULT__COUNT));
	EXPECT_EQ(-1, fault_from_code("nonsense"));
	EXPECT_EQ(-1, fault_from_code(NULL));
}

TEST_HARNESS_MAIN
