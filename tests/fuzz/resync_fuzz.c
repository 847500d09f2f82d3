// SPDX-License-Identifier: GPL-2.0
/*
 * One resync after another (agent/resync.c) over arbitrary snapshots (any
 * number sysfs could show, absent ones, junk strings), in-use changes,
 * writes that failed, a load test in any state and a clock that jumps,
 * with any in-use mode and any current the board set. What the outcome
 * tells the manager to do stays safe at every step: nothing written
 * without external power, never more current than the battery and the
 * board allow, the load test only while charging
 * flows, and what is published agrees with the decisions.
 */
#include <limits.h>
#include <string.h>

#include "../../agent/resync.h"
#include "fuzz.h"

static void take_psy(struct bytes *b, struct psy_snapshot *p)
{
	long long *nums[] = {
		&p->online, &p->voltage_now, &p->current_now, &p->current_max, &p->temp,
		&p->capacity, &p->constant_charge_current, &p->constant_charge_current_max,
		&p->constant_charge_voltage, &p->input_current_limit, &p->charge_now,
		&p->charge_full, &p->charge_full_design, &p->cycle_count, &p->i2c_errors,
		&p->faults_input, &p->faults_safety_timer, &p->faults_battery_ovp,
	};
	size_t i;

	p->present = take(b, 1) & 1;
	take_string(b, p->status, sizeof(p->status));
	take_string(b, p->health, sizeof(p->health));
	take_string(b, p->charge_behaviour, sizeof(p->charge_behaviour));
	take_string(b, p->source_kind, sizeof(p->source_kind));
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		*nums[i] = take_number(b);
}

static bool terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes b = { data, size };
	static struct snapshot old, now;
	struct chargerd_config cfg;
	struct session sess;
	struct policy_state pol = { 0 };
	struct evidence evid = { 0 };
	struct resync_outcome out;
	struct resync_input in;
	struct resync_state st = { .sess = &sess, .pol = &pol, .evid = &evid };
	const struct psy_snapshot *c = &now.charger;
	long long ceiling, found;
	int i, steps;
	bool was_synced, floored;

	config_defaults(&cfg);
	cfg.in_use_mode = take(&b, 1) % 3;
	cfg.load_test = take(&b, 1) & 1;
	cfg.resync_s = take(&b, 1) & 1 ? 60 : 0;
	session_init(&sess);
	memset(&old, 0, sizeof(old));
	in = (struct resync_input){ .cfg = &cfg, .snap = &now, .next_id = 1,
				    .written_ua = -1, .refused_ua = -1, .floor_ua = -1,
				    .written_inhibit = -1, .led = LED__COUNT };

	for (steps = 0; b.n && steps < 48; steps++) {
		now.seq++;
		/* mostly forward, sometimes a jump, either way */
		now.usec = take(&b, 1) & 1 ? now.usec + take(&b, 4) : take(&b, 8);
		take_psy(&b, &now.charger);
		take_psy(&b, &now.battery);
		in.in_use = take(&b, 1) & 1;
		/* from the same bytes as before: the corpus keeps its paths */
		in.wall.s = take_number(&b);
		in.wall.synced = in.wall.s & 1;
		in.charger_fresh = (in.wall.s & 6) == 6;	/* a probe since the last look */
		if (in.charger_fresh)
			in.refused_ua = in.floor_ua = -1;	/* charger_device_note() */
		in.wall.boot_us = (int64_t)((uint64_t)in.wall.s * 1000000 - now.usec);
		in.last_checkpoint_usec = take(&b, 1) & 1 ? take(&b, 8) : in.last_checkpoint_usec;
		in.probe_active = take(&b, 1) & 1;
		in.base_ua = take(&b, 1) & 1 ? take_number(&b) : -1;

		was_synced = sess.active && sess.rec.start_clock == START_CLOCK_SYNCED;
		resync_plan(&in, &st, &out);

		/*
		 * a start re-dated only from a synchronised clock, once, and
		 * stored at once: checkpointed durably, or in the record of a
		 * session that ended at the same look
		 */
		if (out.step.redated)
			CHECK(in.wall.synced && !was_synced &&
			      (sess.active ? out.checkpoint_durable &&
					     sess.rec.start_clock == START_CLOCK_SYNCED :
					     out.step.ended &&
					     out.step.record.start_clock == START_CLOCK_SYNCED));
		/* a synchronised start stays so, and moves no more */
		if (was_synced && sess.active && !out.step.started)
			CHECK(sess.rec.start_clock == START_CLOCK_SYNCED);

		/*
		 * without external power, nothing but a pause handed back
		 * (never a heat or cold stop's) and the battery's limits ahead
		 * of the plug: a stop the charger does not hold, a current only
		 * ever lowered; no timer, no load test
		 */
		if (!c->present || c->online != 1) {
			CHECK(!out.load_test && !out.resync_timer && !out.watch_alsa);
			if (out.write_inhibit == 1)
				CHECK(c->present && !in.probe_active && !in.stop_tried &&
				      in.written_inhibit != 1 &&
				      (pol.band == BAND_HOT_STOP || pol.band == BAND_COLD_STOP) &&
				      !strcmp(c->charge_behaviour, "auto"));
			if (out.write_ua != -1)
				CHECK(c->present && !in.probe_active && !in.ua_tried &&
				      out.write_ua > 0 &&
				      c->constant_charge_current != PSY_NONE &&
				      c->constant_charge_current > out.write_ua);
		}
		if (!out.online && out.write_inhibit == 0)
			CHECK(pol.band != BAND_HOT_STOP && pol.band != BAND_COLD_STOP &&
			      !in.probe_active && in.written_inhibit != 0 && !in.hand_back_tried &&
			      !sess.active);
		/*
		 * never more than the battery allows, never a write of 0, never
		 * over the ceiling (another program's raise moves it, but only
		 * up to the battery's maximum when one is known)
		 */
		if (out.write_ua != -1)
			CHECK(out.write_ua > 0 && out.write_ua <= c->constant_charge_current_max &&
			      (in.base_ua <= 0 ||
			       out.write_ua <= (out.ceiling_ua > 0 ? out.ceiling_ua : in.base_ua)));
		/*
		 * the policies' value, unless the charger refused it or a
		 * higher one: then its floor (or less), only below what is in
		 * force, and nothing at or under the refused value but a
		 * ceiling or maximum that low
		 */
		floored = in.refused_ua > 0 && in.floor_ua > 0 && out.policy.charge_current_ua > 0 &&
			  out.policy.charge_current_ua <= in.refused_ua;
		if (out.write_ua != -1 && !floored)
			CHECK(out.write_ua == out.policy.charge_current_ua);
		if (out.write_ua != -1 && floored)
			CHECK(out.write_ua <= in.floor_ua &&
			      out.write_ua < c->constant_charge_current &&
			      out.write_ua > in.refused_ua);
		if (out.ceiling_ua > 0 && out.ceiling_ua > in.base_ua &&
		    c->constant_charge_current_max != PSY_NONE)
			CHECK(out.ceiling_ua <= c->constant_charge_current_max);
		if (out.ceiling_ua > 0)
			CHECK(out.set_ua == out.ceiling_ua && !out.set_undone);
		/* a probe's defaults are no other program's */
		if (in.charger_fresh)
			CHECK(out.set_ua == -1 && out.ceiling_ua == -1 && !out.set_undone);
		if (out.write_inhibit != -1 && out.online)
			CHECK(out.write_inhibit == out.policy.inhibit && !in.probe_active);
		/* the load test only while charging flows, once, not over a pause */
		if (out.load_test)
			CHECK(cfg.load_test && !in.probe_active && !out.probe_done &&
			      !out.policy.inhibit && c->current_now >= LOAD_TEST_MIN_UA &&
			      !strcmp(c->status, "Charging") && sess.active &&
			      now.usec >= sess.start_usec + LOAD_TEST_SETTLE_USEC);
		/* a cause is new only if found now */
		CHECK((out.new_causes & ~out.diagnosed) == 0);
		/* gone: found before, not now, a part seen working (cause_cleared()) */
		CHECK((out.gone_causes & ~in.unresolved) == 0 && (out.gone_causes & out.diagnosed) == 0 &&
		      (out.unresolved & out.gone_causes) == 0);
		for (i = 0; i < CAUSE__COUNT; i++)
			if (out.gone_causes & CAUSE_BIT(i))
				CHECK(cause_gone(i) && cause_cleared(i, &now));
		CHECK(out.ndiag >= 0 && out.ndiag <= CAUSE__COUNT);
		CHECK(out.nasked >= 0 && out.nasked <= CAUSE__COUNT);
		for (i = 0; i < out.ndiag; i++)
			CHECK(out.diagnosed & CAUSE_BIT(out.diag[i].cause));
		CHECK(out.led < LED__COUNT);
		/*
		 * a second look: after a plug, while a supply gone is not yet a
		 * fault, or to drop a fault said with the look that ended it
		 */
		if (out.settle)
			CHECK(out.step.plugged || (evid.charger_gone && !evid.charger_gone_sustained) ||
			      (evid.gauge_gone && !evid.gauge_gone_sustained) || out.step.held ||
			      (evid.look_faults & ~evid.session_faults) ||
			      (pol.in_use_paused && pol.cap_lost_usec) ||
			      (evid.pins_since_usec && !pins_confirmed(&now, &evid)) ||
			      (out.step.ended && out.online));
		/* a supply gone is a fault once it lasts, not before */
		if (evid.charger_gone && !evid.charger_gone_sustained)
			CHECK(!(out.new_causes & CAUSE_BIT(CAUSE_CHARGER_FAULT)) || c->present);
		/* what is published says what was decided */
		CHECK(out.pub.session == (sess.active ? sess.rec.id : 0));
		CHECK(out.pub.online == (c->present && c->online == 1) && out.pub.online == out.online);
		/* the causes, ranked as diagnose() gave them */
		CHECK(cause_list_mask(&out.pub.diagnoses) == out.diagnosed);
		CHECK(out.pub.diagnoses.n == out.ndiag);
		for (int k = 0; k < out.ndiag; k++)
			CHECK(out.pub.diagnoses.cause[k] == out.diag[k].cause);
		CHECK(out.pub.active_faults == sess.active_faults);
		/* without external power nothing is paused or derated */
		CHECK(out.pub.charge_percent == (out.online ? out.policy.percent : 100));
		if (!out.online)
			CHECK(!out.pub.paused[0] && out.led != LED_SLOW_BLINK);
		CHECK(terminated(out.pub.state, sizeof(out.pub.state)) &&
		      terminated(out.pub.paused, sizeof(out.pub.paused)) &&
		      terminated(out.pub.led, sizeof(out.pub.led)) &&
		      terminated(out.pub.charge_behaviour, sizeof(out.pub.charge_behaviour)));
		if (!out.pub.online)
			CHECK(!out.resync_timer && !out.watch_alsa);

		/* as the manager would: the writes succeed, or not */
		old = now;
		in.old = &old;
		in.diagnosed = out.diagnosed;
		in.unresolved = out.unresolved;
		in.led = take(&b, 1) & 1 ? out.led : LED__COUNT;
		in.probe_done = out.probe_done || out.load_test;
		if (out.write_ua > 0 && take(&b, 1) & 1) {
			in.written_ua = out.write_ua;
			if (in.refused_ua >= 0 && out.write_ua <= in.refused_ua)
				in.refused_ua = in.floor_ua = -1;
			else if (in.refused_ua >= 0 && (in.floor_ua < 0 || out.write_ua < in.floor_ua))
				in.floor_ua = out.write_ua;
		} else if (out.write_ua > 0 && c->constant_charge_current != PSY_NONE &&
			   out.write_ua < c->constant_charge_current) {
			/* failed: refused as under the smallest step (charger_set_current()) */
			ceiling = out.ceiling_ua > 0 ? out.ceiling_ua :
				  in.base_ua > 0 ? in.base_ua : c->constant_charge_current_max;
			if (in.refused_ua < out.write_ua)
				in.refused_ua = out.write_ua;
			if (in.floor_ua <= in.refused_ua)
				in.floor_ua = -1;
			found = ceiling > in.refused_ua && ceiling < c->constant_charge_current ?
				ceiling : c->constant_charge_current;
			if (found > in.refused_ua && (in.floor_ua < 0 || found < in.floor_ua))
				in.floor_ua = found;
		}
		if (out.write_inhibit >= 0 && take(&b, 1) & 1)
			in.written_inhibit = out.write_inhibit;
		/*
		 * as the manager: a stop or current ahead of the plug taken, or
		 * refused for good (each on its own)
		 */
		if (out.online) {
			in.hand_back_tried = false;
			in.stop_tried = in.ua_tried = false;
		} else if (out.write_inhibit == 0) {
			in.hand_back_tried = true;
		} else if (out.write_inhibit == 1) {
			if (in.written_inhibit == 1)
				in.hand_back_tried = false;
			else
				in.stop_tried = true;
		}
		if (!out.online && out.write_ua > 0 && take(&b, 1) & 1)
			in.ua_tried = true;
		if (out.step.started)
			in.next_id = sess.rec.id + 1;
	}
	return 0;
}
