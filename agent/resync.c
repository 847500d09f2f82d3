// SPDX-License-Identifier: GPL-2.0
/*
 * One resync's decisions (resync.h): the session and faults, the
 * policies and what they write, the diagnosis, the LED, the timers and
 * the D-Bus properties, from the snapshot and the state kept between
 * resyncs. Pure: the manager does what the outcome says.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "resync.h"

/*
 * A published string: what sysfs or a driver gave, cut to PUB_STR and made
 * printable ASCII (other bytes '?'), as holds' names are: D-Bus strings
 * must be valid UTF-8, and one that is not failed its getter, every
 * GetAll and the change's signal (helper-84: a name cut mid-character).
 */
static void word(char *out, const char *in)
{
	snprintf(out, PUB_STR, "%s", in);
	pub_printable(out);
}

static int64_t num(long long v)
{
	return v == PSY_NONE ? -1 : v;
}

/* On external power: the one test every decision uses. */
static bool on_external_power(const struct psy_snapshot *c)
{
	return c->present && c->online == 1;
}

void public_state_fill(struct public_state *p, const struct chargerd_config *cfg,
		       const struct snapshot *s, bool in_use, const struct policy_state *pol,
		       enum pause_reason pause, unsigned int percent, const struct session *sess,
		       const struct diagnosis *diag, int ndiag, enum led_pattern led)
{
	const struct psy_snapshot *c = &s->charger, *b = &s->battery;
	long long t = snapshot_temp(s);
	char *q;

	memset(p, 0, sizeof(*p));
	if (!c->present)
		word(p->state, "no-charger");
	else if (!on_external_power(c))
		word(p->state, "discharging");	/* whatever the status still says */
	else if (snapshot_draining(s))
		word(p->state, "discharging");	/* the battery's sign, whatever the status says */
	else
		word(p->state, c->status[0] ? c->status : "Unknown");
	for (q = p->state; *q; q++)
		*q = *q == ' ' ? '-' : tolower((unsigned char)*q);
	p->online = on_external_power(c);
	word(p->source_kind, c->source_kind);
	word(p->usb_type, c->usb_type);
	word(p->health, c->health);
	p->capacity = b->capacity == PSY_NONE ? -1 : (int32_t)b->capacity;
	p->temperature = t == PSY_NONE ? INT32_MIN : (int32_t)t;
	p->charge_current = num(c->current_now);
	p->battery_voltage = num(b->voltage_now);
	p->input_voltage = num(c->voltage_now);
	p->charge_current_limit = num(c->constant_charge_current);
	p->charge_current_max = num(c->constant_charge_current_max);
	p->charge_voltage_limit = num(c->constant_charge_voltage);
	p->input_current_limit = num(c->input_current_limit);
	p->input_voltage_limit = num(c->input_voltage_limit);
	word(p->input_limits_written, c->input_limits_written);
	word(p->charge_behaviour, c->charge_behaviour);
	p->in_use = in_use;
	word(p->in_use_mode, in_use_mode_names[cfg->in_use_mode]);
	p->in_use_stop = cfg->policy.in_use_stop_percent;
	p->in_use_resume = cfg->policy.in_use_resume_percent;
	word(p->paused, pause_reason_name(pause));
	word(p->thermal_band, thermal_band_name(pol->band));
	p->charge_percent = percent;
	word(p->last_fault, sess->last_fault < FAULT__COUNT ? fault_code(sess->last_fault) : "");
	p->active_faults = sess->active_faults;
	cause_list_fill(&p->diagnoses, diag, ndiag);
	word(p->led, led < LED__COUNT ? led_pattern_name(led) : "");
	p->session = sess->active ? sess->rec.id : 0;
	word(p->charger, c->name);
	word(p->battery, b->name);
}

/*
 * constant_charge_current set by another writer while chargerd runs
 * (root, a board script): not what it was in the last snapshot (which
 * reads back each of chargerd's own writes, rounded as the driver rounds
 * them), on the same charger device (a probe's defaults, after a rebind,
 * are not a writer's: helper-63), with no chip reset between (nor are a
 * reset's; and only where chip_resets says so: bq2589x_charger's), after
 * a value read (a driver read between its supply's registration and its
 * configuration may give 0 for it, bq2589x_charger's zeroed limits: its
 * board's value a look later is no writer's, helper-68). The value, uA,
 * or -1.
 */
static long long set_by_another(const struct resync_input *in)
{
	const struct psy_snapshot *c = &in->snap->charger, *o;
	long long now = c->constant_charge_current;

	if (!in->old || in->charger_fresh)
		return -1;
	o = &in->old->charger;
	if (!c->present || !o->present || strcmp(c->name, o->name) ||
	    c->chip_resets == PSY_NONE || c->chip_resets != o->chip_resets ||
	    now == PSY_NONE || now <= 0 || o->constant_charge_current <= 0 ||
	    now == o->constant_charge_current)
		return -1;
	return now;
}

/*
 * What another writer's value (set_by_another()) becomes: chargerd's new
 * ceiling (the base the policies scale, handed back at its stop), uA, or
 * -1 for the policies' value written over it. ref is the ceiling now, or
 * without one the charger's constant_charge_current_max.
 *  - Below ref: the full rate from now on, never raised by chargerd (it
 *    was at the next thermal band, also over a 1.5 A set while chargerd
 *    derated to 1 A: helper-51, helper-55).
 *  - Above the ceiling, up to constant_charge_current_max (the battery's
 *    limit as the driver has it, which refuses more): the writer's raise,
 *    the new ceiling, scaled by the policies as any (helper-61: a lowering
 *    to 64 mA that its writer undid was written back at 64 mA, and kept
 *    until the next boot).
 *  - Above the ceiling with no maximum known: the ceiling too. The
 *    policies set no current then (policy_eval() scales the maximum), so
 *    it is not written over; kept, the stop hands it back rather than
 *    the ceiling before it, silently (helper-63).
 *  - The ceiling itself while chargerd derates, or a value over the
 *    maximum: written back (the band's limit, the battery's; said,
 *    set_undone).
 */
static long long ceiling_from(const struct resync_input *in, long long set)
{
	const struct psy_snapshot *c = &in->snap->charger;
	long long max = c->constant_charge_current_max;
	long long ref = in->base_ua > 0 ? in->base_ua : max;

	if (ref == PSY_NONE || ref <= 0 || set == ref)
		return -1;
	if (set < ref)
		return set;
	return in->base_ua > 0 && (max == PSY_NONE || set <= max) ? set : -1;
}

/* A pause lost (plan_policy()) is written again at most this often. */
#define PAUSE_REWRITE_USEC	(10 * 1000000ULL)

/*
 * Unplugged, a pause chargerd wrote (or a chargerd before it: -1) is
 * handed back: without power there is nothing to pause, and a device
 * whose chargerd is gone at the next plug (stopped by hand, crashed past
 * its restarts, removed) would not charge at all. It stayed until the
 * next plug's look (helper-57), the load test's too when the unplug came
 * during it. A heat or cold stop stays: the battery's limit, decided
 * again at the plug. A pause another writer made while chargerd ran
 * (written 0) is theirs.
 */
static bool hand_back_unplugged(const struct resync_input *in, const struct resync_state *st)
{
	const struct psy_snapshot *c = &in->snap->charger;

	/*
	 * Not while a session goes on offline (an input refused with the
	 * adapter in: the pause is wanted again when the input is taken), and
	 * once per unplug: a refusal is not tried at every look.
	 */
	return c->present && c->online == 0 && !st->sess->active && !in->hand_back_tried &&
	       in->written_inhibit != 0 && !in->probe_active &&
	       !strcmp(c->charge_behaviour, "inhibit-charge") &&
	       st->pol->band != BAND_HOT_STOP && st->pol->band != BAND_COLD_STOP;
}

/*
 * Unplugged, the battery's limits are written ahead of the plug: the
 * charger starts charging at the plug with what it holds, and the look
 * that follows the plug's uevent comes a moment later (helper-69: 0.35
 * to 0.7 s of charging at 45 degC at the plug of a charger bound again
 * while unplugged; the same for a band entered on battery). A heat or
 * cold stop the charger does not hold, unless chargerd wrote it to this
 * device already (another writer's auto is answered at the plug), and a
 * band's current where the charger holds more; only lowered: a raise
 * waits for the plug. Nothing while the load test runs or the limits
 * are not known (a charger below its smallest step: at the plug).
 */
static void plan_limits_unplugged(const struct resync_input *in, const struct resync_state *st,
				  struct resync_outcome *out)
{
	const struct psy_snapshot *c = &in->snap->charger;
	long long want = out->policy.charge_current_ua;

	if (!c->present || in->probe_active)
		return;
	if ((st->pol->band == BAND_HOT_STOP || st->pol->band == BAND_COLD_STOP) &&
	    !strcmp(c->charge_behaviour, "auto") && in->written_inhibit != 1 && !in->stop_tried)
		out->write_inhibit = 1;
	if (want > 0 && !in->ua_tried && (in->refused_ua <= 0 || want > in->refused_ua) &&
	    want != in->written_ua &&
	    c->constant_charge_current != PSY_NONE && c->constant_charge_current > want)
		out->write_ua = want;
}

/*
 * What the policies write: on external power, what differs; unplugged,
 * a pause handed back, or the battery's limits ahead of the plug.
 */
static void plan_policy(const struct resync_input *in, const struct resync_state *st,
			struct resync_outcome *out)
{
	const struct psy_snapshot *c = &in->snap->charger;
	const struct policy_result *r = &out->policy;
	bool plugged = out->step.plugged;
	/*
	 * The chip's safety timer expired: it holds charging off itself,
	 * until the next charge cycle. Turning charging off and on again
	 * (CHG_CONFIG, what inhibit-charge then auto does) starts one, and
	 * with it the charge of a battery just called faulty (helper-86: a
	 * pause's end charged it at full current again). While it holds (the
	 * chip's present state: health; a chip reset or a replug starts a
	 * cycle of its own, which the policies then watch as any),
	 * charge_behaviour is not written: the chip charges no more for it.
	 */
	bool latched = !strcmp(c->health, "Safety timer expire");
	long long want, ceiling;

	if (!on_external_power(c)) {
		if (hand_back_unplugged(in, st))
			out->write_inhibit = 0;
		else
			plan_limits_unplugged(in, st, out);
		return;
	}
	/*
	 * A band left while unplugged is news at the plug; a charger device
	 * probed during a band (its driver bound again) gets the band's
	 * current anew: the last record named the old device's. Its files
	 * are root's until udev runs the rule: the record waits for the
	 * write that goes through (thermal_owed; helper-65).
	 */
	out->thermal_for_device = (in->charger_fresh || in->thermal_owed) &&
				  st->pol->band != BAND_NORMAL;
	out->log_thermal = r->band_changed || out->thermal_for_device ||
			   (plugged && st->pol->band != BAND_NORMAL);
	out->log_in_use = r->pause_changed && !latched &&
			  (r->pause == PAUSE_IN_USE || r->old_pause == PAUSE_IN_USE);
	/* rounded down by the driver, it reads back at most what was asked */
	want = r->charge_current_ua;
	if (want > 0 && in->refused_ua > 0 && want <= in->refused_ua) {
		/*
		 * Below the charger's smallest step (refused before): the
		 * lowest value it is known to take instead, never over the
		 * ceiling (lowered since) nor the maximum, never one refused
		 * (helper-65: a ceiling at the refused value was asked at
		 * every look), and only when more is in force. None: the
		 * value in force stays.
		 */
		ceiling = out->ceiling_ua > 0 ? out->ceiling_ua : in->base_ua;
		want = ceiling > 0 && ceiling < in->floor_ua ? ceiling : in->floor_ua;
		if (c->constant_charge_current_max > 0 && c->constant_charge_current_max < want)
			want = c->constant_charge_current_max;
		if (want > in->refused_ua && c->constant_charge_current != PSY_NONE &&
		    c->constant_charge_current > want)
			out->write_ua = want;
	} else if (want > 0 && c->constant_charge_current != PSY_NONE &&
		   (want != in->written_ua || c->constant_charge_current > want)) {
		out->write_ua = want;
	}
	/*
	 * The load test holds charging itself; a plug or a new pause says it
	 * again. A pause chargerd wrote that the charger no longer shows is
	 * written again, whoever ended it: another writer (charging went on
	 * through a heat pause), the driver letting go of the device at an
	 * unbind (its hand-back; the manager says pause_lost only once the
	 * write goes through). A device probed again is a new one
	 * (charger_fresh: nothing written to it yet), whose pause is the
	 * band's. At most once every PAUSE_REWRITE_USEC, and said (pause_lost): a
	 * writer that answers each change with auto would otherwise toggle
	 * charging at every uevent. A pause another writer made is not ended
	 * (the current another writer set: ceiling_from()).
	 */
	if (c->charge_behaviour[0] && !in->probe_active && !latched &&
	    strcmp(c->charge_behaviour, r->inhibit ? "inhibit-charge" : "auto")) {
		if ((int)r->inhibit != in->written_inhibit || plugged || r->pause_changed) {
			out->write_inhibit = r->inhibit;
		} else if (r->inhibit && (in->inhibit_usec > in->snap->usec ||
					  in->snap->usec - in->inhibit_usec >= PAUSE_REWRITE_USEC)) {
			out->write_inhibit = 1;
			out->pause_lost = true;
		}
	}
}

/*
 * Once per session, while charging steadily: VBUS charging, then VBUS with
 * charging inhibited for a moment (the manager does both halves).
 */
static bool want_load_test(const struct resync_input *in, const struct resync_state *st,
			   const struct resync_outcome *out)
{
	const struct psy_snapshot *c = &in->snap->charger, *b = &in->snap->battery;
	const struct session *sess = st->sess;

	return in->cfg->load_test && !in->asleep && !in->probe_active && !out->probe_done &&
	       out->online &&
	       sess->active && in->snap->usec >= sess->start_usec + LOAD_TEST_SETTLE_USEC &&
	       !out->policy.inhibit && !strcmp(c->status, "Charging") &&
	       c->current_now != PSY_NONE && c->current_now >= LOAD_TEST_MIN_UA &&
	       c->voltage_now != PSY_NONE && c->voltage_now > 0 && b->voltage_now != PSY_NONE;
}

uint32_t findings_deferred(uint32_t new_causes, bool thermal_owed, bool pause_owed,
			   uint32_t active_faults)
{
	uint32_t deferred = 0;

	if (thermal_owed)
		deferred |= CAUSE_BIT(CAUSE_PAUSED_HEAT);
	if (pause_owed) {
		deferred |= CAUSE_BIT(CAUSE_PAUSED_IN_USE);
		if (!(active_faults & (FAULT_BIT(FAULT_HOT) | FAULT_BIT(FAULT_COLD))))
			deferred |= CAUSE_BIT(CAUSE_TOO_HOT) | CAUSE_BIT(CAUSE_TOO_COLD);
	}
	return deferred & new_causes;
}

/* The settle look at at (CLOCK_BOOTTIME) if that is sooner than planned, as of now. */
static void settle_by(struct resync_outcome *out, uint64_t now, uint64_t at)
{
	if (at > now && at - now < out->settle_usec)
		out->settle_usec = at - now;
}

void resync_plan(const struct resync_input *in, const struct resync_state *st,
		 struct resync_outcome *out)
{
	const struct chargerd_config *cfg = in->cfg;
	const struct snapshot *s = in->snap;
	const struct session_step *step = &out->step;
	enum pause_reason pause;
	unsigned int percent;
	bool fault;
	int i;

	memset(out, 0, sizeof(*out));
	out->write_ua = -1;
	out->write_inhibit = -1;

	/* what happened: plug, unplug, the session, the faults */
	session_update(st->sess, in->old, s, in->next_id, &in->wall, &out->step);
	out->online = on_external_power(&s->charger);
	/*
	 * Timers and watches run only on external power: the slow resync and,
	 * in auto mode, the watch on ALSA playback. On battery only a uevent
	 * (and the service watchdog) wakes chargerd.
	 */
	out->resync_timer = out->online;	/* at most RESYNC_MAX_S apart, whatever resync_s says */
	out->watch_alsa = out->online && cfg->in_use_mode == IN_USE_AUTO;
	out->probe_done = in->probe_done && !step->plugged;
	/*
	 * Right after a plug the ADC has not converted yet and detection may
	 * still run; one more look once they are done (no uevent says so).
	 * The same after a charger's uevent that reads offline: VBUS may be
	 * on its way (the uevent came before the state settled), and on
	 * battery no timer would look again. One look per uevent: bounded.
	 */
	out->settle = step->plugged || (in->charger_uevent && !out->online) ||
		      (step->ended && out->online);	/* a swapped source's session next */
	/*
	 * A session's start is written through to the disk (so is its start
	 * re-dated once the clock is synchronised, its end, and the
	 * checkpoint at a stop); the checkpoints in between, at its
	 * faults and each minute, only to the page cache. What they guard
	 * against is chargerd's own restart, which the page cache survives;
	 * a power loss loses as much of the journal (journald syncs warnings
	 * every 5 minutes, SyncIntervalSec=). An fsync is a sleep and a
	 * flash write: 60 an hour, or one a fault while the next event waits.
	 */
	out->checkpoint_durable = step->started || step->redated;
	out->checkpoint = step->started || step->redated || step->raised || step->transient ||
			  step->cleared ||
			  s->usec < in->last_checkpoint_usec ||
			  s->usec - in->last_checkpoint_usec >= CHECKPOINT_USEC;

	/* the policies */
	out->set_ua = set_by_another(in);
	out->ceiling_ua = out->set_ua > 0 ? ceiling_from(in, out->set_ua) : -1;
	policy_eval(&cfg->policy, in->in_use, out->ceiling_ua > 0 ? out->ceiling_ua : in->base_ua,
		    st->pol, s, &out->policy);
	plan_policy(in, st, out);
	out->set_undone = out->set_ua > 0 && out->ceiling_ua < 0 && out->write_ua > 0;
	st->evid->ceiling_ua = out->ceiling_ua > 0 ? out->ceiling_ua : in->base_ua;
	st->evid->board_ua = in->board_ua;
	st->evid->board_uv = in->board_uv;
	/*
	 * What is in force: without external power nothing is paused or
	 * derated, whatever the policies will hold at the next plug; the
	 * diagnosis, the LED and what is published all say so.
	 */
	pause = out->online ? out->policy.pause : PAUSE_NONE;
	percent = out->online ? out->policy.percent : 100;
	/*
	 * A pause is in force once the charger says inhibit-charge, or as
	 * its write goes out, unless the last one was refused (no grant, a
	 * bus error): paused is published, shown and diagnosed only then. It
	 * was the plan's, whatever reached the charger ("paused at 80 %"
	 * while it charged), and on a charger without charge_behaviour too.
	 */
	st->evid->stop_refused = PAUSE_NONE;
	if (pause != PAUSE_NONE && strcmp(s->charger.charge_behaviour, "inhibit-charge") &&
	    (out->write_inhibit != 1 || in->inhibit_refused)) {
		/*
		 * a battery too hot or too cold all the same: said, with the
		 * refusal (helper-74: a lasting one said nothing at all)
		 */
		if (in->inhibit_refused && (pause == PAUSE_HEAT || pause == PAUSE_COLD))
			st->evid->stop_refused = pause;
		pause = PAUSE_NONE;
	}

	/* the diagnosis, with what this step adds to its evidence */
	st->evid->in_use_forced = cfg->in_use_mode == IN_USE_ON;
	if (step->plugged)
		evidence_plug(st->evid, &cfg->diag, s->usec);
	/* a fault of the ending look is the ending session's (a no-response handed on) */
	st->evid->session_faults |= step->raised | step->transient;
	/* a swap seen through a rebind is no loose connector (helper-76) */
	if (step->unplugged || step->ended)
		evidence_unplug(st->evid, s->usec, step->swapped ? END_SWAPPED :
				step->unplug_untimed ? END_UNTIMED :
				step->unplugged ? END_UNPLUGGED : END_REMOVED);
	else if (s->charger.present && s->charger.online == 0 && !st->sess->active &&
		 !st->sess->active_faults)
		evidence_faults_end(st->evid);	/* VBUS gone, not refused */
	/*
	 * and said with it all the same, once (record, signal, blink): a
	 * thermal shutdown seen with the unplug, a 16 V adapter plugged and
	 * pulled between two looks (helper-74); the next look drops it
	 */
	st->evid->look_faults = step->raised | step->transient;
	if (st->evid->look_faults & ~st->evid->session_faults)
		out->settle = true;
	evidence_snapshot(st->evid, in->old, s);
	/*
	 * a supply gone, not yet long enough to be a fault, a session
	 * waiting for its charger, one that keeps going and coming back
	 * (over once it stays), an in-use pause for a charge known
	 * again (IN_USE_UNKNOWN_HOLD_USEC), or a pin missing, not yet
	 * PIN_CONFIRM_USEC: a look when it is, or ends
	 */
	if ((st->evid->charger_gone && !st->evid->charger_gone_sustained) ||
	    (st->evid->gauge_gone && !st->evid->gauge_gone_sustained) || step->held ||
	    charger_flapping(s, st->evid) ||
	    (st->pol->in_use_paused && st->pol->cap_lost_usec) ||
	    (st->evid->pins_since_usec && !pins_confirmed(s, st->evid)))
		out->settle = true;
	/*
	 * and at a wait's end if that is sooner: a part gone is said at its
	 * 10 s, not up to one settle look (3 s) later
	 */
	out->settle_usec = SETTLE_USEC;
	if (out->settle) {
		const struct evidence *e = st->evid;

		if (e->charger_gone && !e->charger_gone_sustained)
			settle_by(out, s->usec, e->charger_gone_since_usec + GONE_CONFIRM_USEC);
		if (e->gauge_gone && !e->gauge_gone_sustained)
			settle_by(out, s->usec, e->gauge_gone_since_usec + GONE_CONFIRM_USEC);
		if (step->held && st->sess->gone_usec)
			settle_by(out, s->usec, st->sess->gone_usec + SESSION_GONE_HOLD_USEC);
		if (charger_flapping(s, e) && s->charger.present)
			settle_by(out, s->usec, e->charger_return_usec + CHARGER_FLAP_STAY_USEC);
		if (st->pol->in_use_paused && st->pol->cap_lost_usec)
			settle_by(out, s->usec, st->pol->cap_lost_usec + IN_USE_UNKNOWN_HOLD_USEC);
		if (e->pins_since_usec && !pins_confirmed(s, e))
			settle_by(out, s->usec, e->pins_since_usec + PIN_CONFIRM_USEC);
	}
	if (gauge_answers(&s->battery))
		st->evid->battery_seen = true;
	if (s->charger.present)
		st->evid->charger_seen = true;
	out->ndiag = diagnose(&cfg->diag, s, st->evid, st->sess->active_faults, pause, percent,
			      st->pol->band, false, out->diag, CAUSE__COUNT);
	out->nasked = diagnose(&cfg->diag, s, st->evid, st->sess->active_faults, pause, percent,
			       st->pol->band, true, out->asked, CAUSE__COUNT);
	/*
	 * the new source's findings are its session's, which the next look
	 * starts (helper-76: weak-source filed under session 0, before the
	 * swap's records): only those found before stay at the swap's look.
	 * What is asked for (out->asked) is not filtered: it is what is true
	 * now, the new source's included, and nothing is recorded from it.
	 */
	if (step->swapped) {
		int kept = 0;

		for (i = 0; i < out->ndiag; i++)
			if (in->diagnosed & CAUSE_BIT(out->diag[i].cause))
				out->diag[kept++] = out->diag[i];
		out->ndiag = kept;
	}
	fault = st->sess->active_faults != 0;
	for (i = 0; i < out->ndiag; i++) {
		out->diagnosed |= CAUSE_BIT(out->diag[i].cause);
		fault |= out->diag[i].severity == SEV_FAULT;
	}
	out->new_causes = out->diagnosed & ~in->diagnosed;
	/*
	 * A part found failing is said to work again once its check passes,
	 * not when it is merely not found: unplugged, the thermistor is not
	 * read; without the charger, the gauge is not judged (helper-65). A
	 * charger's supply gone for good is said back when it is (helper-69:
	 * the gauge and the sensors had a record, the charger none).
	 */
	out->unresolved = in->unresolved;
	for (i = 0; i < CAUSE__COUNT; i++) {
		if (!cause_gone(i))
			continue;
		if (out->diagnosed & CAUSE_BIT(i)) {
			if (cause_missing(i, s, st->evid))
				out->unresolved |= CAUSE_BIT(i);
		} else if (in->unresolved & CAUSE_BIT(i) && cause_cleared(i, s))
			out->gone_causes |= CAUSE_BIT(i);
	}
	out->unresolved &= ~out->gone_causes;
	/*
	 * a finding that became a part gone for good (a thermal shutdown
	 * kept for the session, then the charger's supply gone 10 s) is
	 * news, in its own words (helper-77: the same cause, not said again)
	 */
	out->new_causes |= out->unresolved & ~in->unresolved & in->diagnosed;

	out->led = led_pattern_for(s, fault, pause);
	out->load_test = want_load_test(in, st, out);
	public_state_fill(&out->pub, cfg, s, in->in_use, st->pol, pause, percent, st->sess,
			  out->diag, out->ndiag, out->led);
	out->pub.in_use_lingers = in->in_use && in->in_use_lingers;
	/* the load test holds charging: said, though no policy paused it */
	if (in->probe_active && out->online && !out->pub.paused[0])
		word(out->pub.paused, PAUSED_LOAD_TEST);
}
