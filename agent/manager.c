// SPDX-License-Identifier: GPL-2.0
/*
 * The manager: chargerd's state and its pipeline. Each resync gathers its
 * inputs (a snapshot of the charger and the battery, auto in-use mode's
 * look at ALSA), lets resync_plan() decide everything at once (session and
 * faults, policies, diagnosis, LED, what D-Bus publishes: resync.c, pure),
 * then does it in one place (apply()). Its inputs: kernel uevents
 * (uevent_socket.c), the resync timer and auto in-use mode's watch on ALSA
 * playback (pcm_watch.c; both on external power only), the settle and
 * load-test timers, and the settings D-Bus changes (through the ops it
 * publishes). main.c sets it up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <netlink/socket.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include "chargerd.h"

/* The load test holds charging this long for an unloaded VBUS reading. */
#define PROBE_USEC	(2500ULL * 1000)
/* At most this many load tests a session when they give no valid result. */
#define LOAD_TEST_ATTEMPTS	3

void checkpoint(struct daemon *d, bool durable)
{
	struct session_record rec;
	struct wall_time w;
	int r;

	/* read-only: said once at start, not at every checkpoint */
	if (!d->have_hist || !d->sess.active || d->hist.read_only)
		return;
	/* re-dated if the clock was synchronised since the last look (a stop) */
	wall_time_now(&w);
	session_dated(&d->sess, &w, &rec);
	r = history_save_current(&d->hist, &rec, durable);
	if (r < 0) {
		d->pub.n.history_errors++;
		agent_error("saving the session in progress", -r);
	}
	d->last_checkpoint_usec = now_usec();
}

void store_session(struct daemon *d, const struct session_record *r,
		   const struct session_clock *c)
{
	int ret;

	log_session_end(d, r);
	bus_session_ended(&d->bus, r);
	if (!d->have_hist)
		return;
	ret = history_append(&d->hist, r);
	if (ret >= 0)
		undated_note(d, r, c);
	if (ret >= 0)
		ret = history_clear_current(&d->hist);
	if (ret < 0) {
		d->pub.n.history_errors++;
		agent_error("storing a charge session", -ret);
	}
}

static void resync(struct daemon *d, const char *why);
static void timer_arm(sd_event_source *timer, uint64_t usec);
static void udev_unwatch(struct daemon *d);

void reevaluate(struct daemon *d, const char *why)
{
	resync(d, why);
}

/*
 * In use lasts this long past its end (the last hold let go, the last
 * playback stopped): a player that closes its PCM between tracks (or an
 * audio server that suspends it when idle), or takes a hold per track or
 * per sound, does not resume and pause charging each time. Each time was
 * a charge_behaviour write, two journal records and plot events; a
 * client toggling SetInUse did it a thousand times a second (helper-53).
 * It costs the cell 10 s of charging at most.
 */
#define IN_USE_LINGER_USEC	(10 * 1000000ULL)

/*
 * In use: mode on; in auto mode, playback found or a D-Bus caller's hold,
 * or their linger, unless the system is going to sleep (nothing plays,
 * nobody uses a sleeping device: helper-87 found the in-use pause held
 * through a night's sleep on the charger). Mode on is the user's own.
 */
bool in_use_now(const struct daemon *d)
{
	return d->cfg.in_use_mode == IN_USE_ON ||
	       (d->cfg.in_use_mode == IN_USE_AUTO && !d->asleep &&
		(d->in_use_detected || d->pub.nholds || d->in_use_lingers));
}

/* At each look: found no more, the linger starts; found again, it ends. Asleep: neither. */
static void in_use_linger(struct daemon *d)
{
	bool found = d->cfg.in_use_mode == IN_USE_AUTO && (d->in_use_detected || d->pub.nholds);

	if (d->asleep) {
		d->in_use_lingers = false;
		if (d->linger_timer)
			sd_event_source_set_enabled(d->linger_timer, SD_EVENT_OFF);
		found = false;	/* no linger at the wake for use before the sleep */
	} else if (found) {
		d->in_use_lingers = false;
		if (d->linger_timer)
			sd_event_source_set_enabled(d->linger_timer, SD_EVENT_OFF);
	} else if (d->in_use_found) {
		d->in_use_lingers = true;
		timer_arm(d->linger_timer, IN_USE_LINGER_USEC);
	}
	d->in_use_found = found;
}

static int on_linger_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	d->in_use_lingers = false;
	resync(d, "in use ended");
	return 0;
}

static int on_settle_timer(sd_event_source *src, uint64_t usec, void *data)
{
	resync(data, "settle");
	return 0;
}

/* The second half of the load test: VBUS with charging held, then charging again. */
static int on_load_test_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	resync(d, "load test");
	if (evidence_load_test(&d->evid, d->probe_vbus, d->snap.charger.voltage_now,
			       d->probe_vbat, d->probe_ibat)) {
		log_load_test(d, d->probe_vbus, d->snap.charger.voltage_now, d->probe_ibat);
	} else if (++d->probe_attempts < LOAD_TEST_ATTEMPTS) {
		/* no valid result: never reported, tried again later this session */
		d->probe_done = false;
		char v0[24], v1[24], i[24];

		/* in V and mA, as the diagnosis says them (helper-86: raw uV) */
		sd_journal_print(LOG_DEBUG, "chargerd: load test discarded (VBUS %s, then %s, at %s)",
				 psy_scaled_text(d->probe_vbus, 1000000, 2, "V", v0, sizeof(v0)),
				 psy_scaled_text(d->snap.charger.voltage_now, 1000000, 2, "V", v1,
						 sizeof(v1)),
				 psy_scaled_text(d->probe_ibat, 1000, 0, "mA", i, sizeof(i)));
	}
	d->probe_active = false;
	load_test_save(d, d->probe_vbus, d->snap.charger.voltage_now, d->probe_vbat,
		       d->probe_ibat);
	/* and charging again, as the policies want */
	resync(d, "load test done");
	return 0;
}

/*
 * The slow resync, on external power only, resync_s (120 s) after the last
 * resync of any kind: a backstop, not a clock. What it guards against is
 * not a lost uevent (an overflowed socket says ENOBUFS and a resync
 * follows at once, uevent_socket.c) but what changes with no uevent at
 * all while charging: the battery's temperature (the gauge's driver
 * announces status and capacity, the charger interrupts only at its TS
 * zone boundaries), the charge current and voltage (the session's energy,
 * the drain and sensor rules), and the checkpoint of the session in
 * progress. 120 s: the thermal table and the sensor rules act within two
 * minutes (consecutive looks fall inside the 2.5-minute step window,
 * diagnosis.h), inside a cell's thermal time constant (10 minutes or
 * more in a housing), while the chip's own TS comparators cut charging
 * at once at their limits (and interrupt). Each look is a wakeup or two
 * (make bench: 60 s cost 72 an hour). A resync for a uevent pushes it
 * back, so events and the backstop never add up. On battery nothing is
 * charging or held: no timer.
 */
static int on_resync_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	/* from now (CLOCK_BOOTTIME runs on in suspend): one resync after it, not a burst */
	sd_event_source_set_time_relative(src, (uint64_t)resync_period_s(&d->cfg) * 1000000);
	resync(d, NULL);	/* no debug record: one a look would wake journald */
	return 0;
}

/* While want, fire period_usec after now (each call pushes it back); else stop. */
static void timer_backstop(sd_event_source *timer, bool want, uint64_t period_usec)
{
	if (!timer)
		return;
	if (!want) {
		sd_event_source_set_enabled(timer, SD_EVENT_OFF);
	} else {
		sd_event_source_set_time(timer, now_usec() + period_usec);
		sd_event_source_set_enabled(timer, SD_EVENT_ON);
	}
}

/*
 * Auto in-use mode's finding, as the plan's input: ALSA is looked at when
 * the watch starts (at a plug), then at its events (pcm_watch.c); off
 * external power or outside auto mode the device counts as not in use.
 */
static void gather_in_use(struct daemon *d)
{
	bool want = d->cfg.in_use_mode == IN_USE_AUTO && d->snap.charger.present &&
		    d->snap.charger.online == 1;

	if (!want)
		d->in_use_detected = false;
	else
		pcm_watch_want(d, true);
}

/*
 * The service manager's watchdog while charging: a hung chargerd
 * (stopped, deadlocked) holds no heat or cold stop, and the unit's 15 min
 * (WatchdogSec=, chosen for the wakeups it costs on battery) let a cell
 * that warms charge on, past chargerd's stop, until the chip's own TS
 * zone (helper-90). Charging (State charging, no pause), so on the
 * adapter's power, and awake (the freezer and a hibernation's image stop
 * chargerd's pings while CLOCK_MONOTONIC runs: helper-93): a hang is ended
 * within WATCHDOG_NEAR_USEC in a thermal band other than normal, where a
 * stop may be a degree away, and within WATCHDOG_CHARGING_USEC at room
 * temperature, where the heat that asks for one comes after the hang (a
 * warm car). The new chargerd's first look stops what must stop. sd-event
 * pings from any pass of the loop a quarter of the timeout after the last
 * ping, else from its own timer at half to three quarters of it: at
 * 1 min about 100 wakeups an hour. At WATCHDOG_CHARGING_USEC, four times
 * the longest resync while charging (RESYNC_MAX_S, a look at most that
 * long after the last), a look comes a quarter after a ping and before
 * the timer's half: the resync's wakeups carry the pings, and the
 * watchdog adds next to none (make bench charges at room temperature,
 * against issue 19's 72 an hour; helper-94: 5 min could add 24).
 * Not charging (on battery, full, paused), the unit's timeout.
 */
#define WATCHDOG_NEAR_USEC	(60 * 1000000ULL)
#define WATCHDOG_CHARGING_USEC	(4ULL * RESYNC_MAX_S * 1000000ULL)

/* The watchdog's timeout wanted now (us), from what is published and the policy's band. */
static uint64_t watchdog_wanted(const struct daemon *d)
{
	const struct public_state *p = &d->pub.props;
	uint64_t t;

	if (!p->online || p->paused[0] || strcmp(p->state, "charging") || d->asleep)
		return d->watchdog_usec;
	t = d->pol.band != BAND_NORMAL ? WATCHDOG_NEAR_USEC : WATCHDOG_CHARGING_USEC;
	return t < d->watchdog_usec ? t : d->watchdog_usec;
}

/* sd-event's pings at period (us): from $WATCHDOG_USEC, read when armed. */
static bool watchdog_pings(struct daemon *d, uint64_t period)
{
	char v[32];

	snprintf(v, sizeof(v), "%llu", (unsigned long long)period);
	return !setenv("WATCHDOG_USEC", v, 1) && sd_event_set_watchdog(d->ev, false) >= 0 &&
	       sd_event_set_watchdog(d->ev, true) > 0;
}

/*
 * The watchdog's timeout as watchdog_wanted() says: told to the
 * service manager (WATCHDOG_USEC=, which changes it at runtime) and to
 * sd-event, which pings at half to three quarters of it. Never a timeout
 * the pings do not keep (helper-93): shortened, the pings first, and the
 * manager told only once they run at the new period (with a ping);
 * lengthened, the manager first, and the pings slowed only once it took
 * the new timeout. A step that fails leaves the shorter of the two in
 * force (pings faster than needed cost wakeups, not the service), and is
 * tried again at the next look. The unit's own (d->watchdog_usec, 0: no
 * watchdog) is never raised.
 */
static void watchdog_update(struct daemon *d)
{
	uint64_t want;

	if (!d->watchdog_usec)
		return;
	want = watchdog_wanted(d);
	if (want == d->watchdog_now_usec)
		return;
	if (want < d->watchdog_now_usec) {
		if (!watchdog_pings(d, want)) {
			watchdog_pings(d, d->watchdog_now_usec);	/* as before */
			return;
		}
		if (sd_notifyf(0, "WATCHDOG_USEC=%llu\nWATCHDOG=1", (unsigned long long)want) <= 0)
			return;		/* faster pings for the old timeout: harmless */
	} else {
		if (sd_notifyf(0, "WATCHDOG=1\nWATCHDOG_USEC=%llu", (unsigned long long)want) <= 0)
			return;		/* the short timeout stays, and its pings */
		if (!watchdog_pings(d, want) && !watchdog_pings(d, d->watchdog_now_usec)) {
			/* no pings at all: the short timeout back, and the unit's to restart it */
			sd_notifyf(0, "WATCHDOG_USEC=%llu", (unsigned long long)d->watchdog_now_usec);
			return;
		}
	}
	sd_journal_print(LOG_DEBUG, "chargerd: watchdog %llu s (%s)",
			 (unsigned long long)(want / 1000000),
			 want == d->watchdog_usec ? "the unit's" :
			 want == WATCHDOG_NEAR_USEC ? "charging away from room temperature" :
			 "charging");
	d->watchdog_now_usec = want;
}

/* Journal, signal and plot a fault that came, went, or both (o->step). */
static void apply_faults(struct daemon *d, const struct session_step *st)
{
	int f;

	for_each_fault(f, st->raised | st->transient | st->cleared) {
		if (st->raised & FAULT_BIT(f) || st->transient & FAULT_BIT(f)) {
			d->pub.n.faults[f]++;
			bus_fault_raised(&d->bus, f, st->transient & FAULT_BIT(f));
			log_fault(d, f, true, st->transient & FAULT_BIT(f));
			plot_event(d, "fault: %s", fault_code(f));
		}
		if (st->cleared & FAULT_BIT(f) || st->transient & FAULT_BIT(f)) {
			bus_fault_cleared(&d->bus, f);
			if (st->cleared & FAULT_BIT(f))
				log_fault(d, f, false, false);
			plot_event(d, "fault cleared: %s", fault_code(f));
		}
	}
}

/*
 * Do what resync_plan() decided, in this order: timers; the published
 * state (every record below carries its session); plug and session start
 * records, the session's samples; the policies' journal records and
 * charger writes; fault and new causes' signals, each before its journal
 * record (a D-Bus listener waits; journald stores it later); the LED; unplug
 * and session end, the history; the samples; PropertiesChanged; the load
 * test.
 */
/*
 * Whether a write's refusal (or success) since not_now and perm were taken
 * (d->passing_denied, d->perm_denied) counted as no "not now" and no wait
 * for udev's grant: one not tried again at every look.
 */
static bool refused_for_good(const struct daemon *d, unsigned int not_now, unsigned int perm)
{
	return d->passing_denied == not_now && d->perm_denied == perm;
}

static void apply(struct daemon *d, const struct resync_outcome *o)
{
	const struct session_step *st = &o->step;
	unsigned int not_now, perm;
	bool pause_owed = false;
	uint32_t deferred;
	int i, r;

	timer_backstop(d->resync_timer, o->resync_timer,
		       (uint64_t)resync_period_s(&d->cfg) * 1000000);
	if (!o->watch_alsa)
		pcm_watch_want(d, false);
	d->probe_done = o->probe_done;
	if (st->plugged)
		d->probe_attempts = 0;
	if (o->online) {
		/* the next unplug hands back, and writes the limits, again */
		d->hand_back_tried = false;
		d->stop_tried = d->ua_tried = false;
	}
	d->pol_out = o->policy;
	d->pub.props = o->pub;
	memcpy(d->pub.asked, o->asked, sizeof(d->pub.asked));
	d->pub.nasked = o->nasked;

	if (st->plugged)
		log_plug(d, true, st->returned);
	if (st->started) {
		if (d->hist.next_id <= d->sess.rec.id)
			d->hist.next_id = d->sess.rec.id + 1;
		log_session_start(d);
		session_clock_save(d);
		samples_open(d, d->sess.rec.id);
		plot_event(d, "%s: %s", st->returned ? "charger back" : "plugged in",
			   d->snap.charger.source_kind);
	} else if (d->sess.active && d->snap.charger.ino && d->snap.charger.power_good_rises >= 0 &&
		   (d->snap.charger.ino != d->clock_ino ||
		    d->snap.charger.power_good_rises != d->clock_rises)) {
		/* an arrival the session outlived (a bounce): what a restart compares */
		session_clock_save(d);
	}

	/* the write first: the thermal record gives the limit in force, read back */
	not_now = d->passing_denied;
	perm = d->perm_denied;
	r = o->write_ua > 0 ? charger_set_current(d, o->write_ua) : 0;
	/*
	 * unplugged, a current refused for good is not tried at every look
	 * (passing: the retry; a bus error: the next look; a step the charger
	 * lacks: refused_ua, which it got instead)
	 */
	if (!o->online && r < 0 && r != -EINVAL && !bus_errno(-r) &&
	    refused_for_good(d, not_now, perm))
		d->ua_tried = true;
	if (o->write_ua > 0 && !r && o->set_undone)
		log_current_undone(d, o->set_ua, &o->policy);
	/*
	 * a new device's files, root's until udev's rule, or its driver not
	 * configured yet: said after the write that goes through
	 */
	d->thermal_owed = o->thermal_for_device && r < 0 && !refused_for_good(d, not_now, perm);
	if (o->log_thermal && !d->thermal_owed)
		log_thermal(d, &o->policy);
	if (o->log_in_use)
		log_in_use(d, &o->policy);
	if (o->write_inhibit >= 0) {
		int written_before = d->written_inhibit;
		char was[PUB_STR];
		int rb;

		not_now = d->passing_denied;
		perm = d->perm_denied;
		snprintf(was, sizeof(was), "%s", d->snap.charger.charge_behaviour);
		/*
		 * A pause lost is said once it is back: a charger refusing
		 * the write is said as such, and one whose driver lets go of
		 * it (auto from its hand-back until its supply is gone) is
		 * not said at all (CI of stop 54, scenario 44).
		 */
		rb = charger_set_behaviour(d, o->write_inhibit);
		/*
		 * refused until udev's grant, or "not now": in force soon; a
		 * lasting EACCES (past the grant's grace) is for good, said
		 * (helper-74: the finding was held back for good)
		 */
		pause_owed = o->write_inhibit == 1 && rb < 0 && !refused_for_good(d, not_now, perm);
		/*
		 * and a stop taken now after a refusal: its too-hot or too-cold
		 * is the next look's, in force (helper-75: said with "refused"
		 * as it went through)
		 */
		pause_owed |= o->write_inhibit == 1 && !rb && d->evid.stop_refused != PAUSE_NONE;
		if (!rb && o->pause_lost)
			log_pause_lost(d, &o->policy, was);
		/* another's pause ended by chargerd's auto: said (helper-90: undone in silence) */
		if (!rb && !o->write_inhibit && written_before != 1 && !strcmp(was, "inhibit-charge"))
			log_foreign_pause_ended(d, written_before < 0, o->step.plugged);
		/*
		 * unplugged, one try: a refusal is not tried again at every
		 * look, but one that said "not now" is, at the retry, and one
		 * that waits for udev's grant at its event. A stop written
		 * ahead of the plug is handed back again once its band is
		 * left (helper-72: after one hand-back, the next stop stayed).
		 */
		if (!o->online && refused_for_good(d, not_now, perm)) {
			if (!o->write_inhibit)
				d->hand_back_tried = true;
			else if (rb < 0 && !bus_errno(-rb))
				d->stop_tried = true;
			else
				d->hand_back_tried = false;
		}
		/*
		 * What the charger took is published, as from the next look on
		 * (resync_plan()): refused, not paused; taken after a refusal
		 * (which the plan still counted), paused; unplugged (a stop
		 * written ahead of the plug), nothing is paused.
		 */
		if (o->write_inhibit == 1 && o->online)
			snprintf(d->pub.props.paused, PUB_STR, "%s", d->inhibit_refused ? "" :
				 pause_reason_name(o->policy.pause));
	}
	apply_faults(d, st);

	/* the findings that wait for the limit's write (findings_deferred()) */
	deferred = findings_deferred(o->new_causes, d->thermal_owed, pause_owed,
				     d->sess.active_faults);
	cause_list_drop(&d->pub.props.diagnoses, deferred);
	for (i = 0; i < o->ndiag; i++) {
		if (!(o->new_causes & ~deferred & CAUSE_BIT(o->diag[i].cause)))
			continue;
		bus_diagnosis(&d->bus, &o->diag[i]);
		log_diagnosis(d, &o->diag[i]);
		plot_event(d, "diagnosis: %s", cause_code(o->diag[i].cause));
	}
	for (i = 0; i < CAUSE__COUNT; i++) {
		if (!(o->gone_causes & CAUSE_BIT(i)))
			continue;
		log_diagnosis_gone(d, i);
		plot_event(d, "diagnosis gone: %s", cause_code(i));
	}
	d->diagnosed = o->diagnosed & ~deferred;
	d->unresolved = o->unresolved;

	r = status_led_show(&d->led, d->cfg.led, o->led);
	if (d->led.found)
		d->perm_grace_usec = now_usec();	/* its files may be root's yet */
	if (r < 0) {
		char what[CONFIG_NAME_MAX + 16];

		snprintf(what, sizeof(what), "the LED %s", d->led.name);
		write_failed(d, "led-error", what, NULL, led_pattern_name(o->led), -r);
	}
	/* what the LED shows, as it is (a write may have failed) */
	snprintf(d->pub.props.led, PUB_STR, "%s",
		 d->led.shown < LED__COUNT ? led_pattern_name(d->led.shown) : "");

	if (o->settle)
		timer_arm(d->settle_timer, o->settle_usec);
	if (st->unplugged)
		log_plug(d, false, false);
	if (st->ended) {
		const struct session_clock c = {
			.id = d->sess.rec.id, .start_usec = d->sess.start_usec,
			.base_s = d->sess.base_s, .on_boot_clock = d->sess.on_boot_clock,
		};

		store_session(d, &st->record, &c);
		samples_close(d, st->record.id);
	}
	if (o->checkpoint)
		checkpoint(d, o->checkpoint_durable);

	sample(d);
	bus_publish(&d->bus);
	watchdog_update(d);
	if (o->load_test && !charger_load_test_start(d)) {
		timer_arm(d->probe_timer, PROBE_USEC);
		/* charging held for the test: a caller asking why is told */
		snprintf(d->pub.props.paused, PUB_STR, "%s", PAUSED_LOAD_TEST);
		bus_publish(&d->bus);
	}
}

/*
 * A look for the charger's uevents alone reuses the battery's readings of
 * less than this ago: a gauge measures about once a second (SBS gauges
 * and the bq27xxx family update current and voltage each second), and
 * reading it costs bus transfers. A burst of the charger's uevents reads
 * the gauge once a second, not once a uevent; any other look reads it,
 * and so does a look that finds the charger's online or presence changed:
 * a plug or an unplug starts or ends a session, whose figures (the
 * capacity it began or ended at) are the gauge's of then, not of up to a
 * second before (make demo's first session began at the capacity before
 * the one it set: "50 -> 48 %" while charging).
 */
#define BATTERY_REUSE_USEC	(1ULL * 1000000)

/*
 * A supply the configuration pins that is not there while another of its
 * kind is: said once, as a warning (nothing applies to a charger not
 * found), and said again when it is there after all (helper-61: a typo in
 * [supplies] charger left every policy off, with no record at all); kept
 * in the evidence (pins), for the diagnosis's words (helper-90: a typo
 * was "charger-fault", the device needing repair).
 */
static void supplies_pin_note(struct daemon *d, uint64_t now)
{
	char text[2 * PIN_TEXT_MAX + 8];
	bool missing;

	if (!d->cfg.charger[0] && !d->cfg.battery[0])
		return;
	missing = supplies_pin_check(d->classfd, &d->cfg, &d->evid.pins);
	if (!missing)
		d->evid.pins_since_usec = 0;
	else if (!d->evid.pins_since_usec)
		d->evid.pins_since_usec = now;
	if (missing && !d->pin_missing_said) {
		pin_check_text(&d->evid.pins, text, sizeof(text));
		log_supply_pin(text, d->cfg.charger[0] && !d->chg_name[0]);
	} else if (!missing && d->pin_missing_said && d->supplies_known) {
		log_supply_pin(NULL, false);
	} else {
		return;
	}
	d->pin_missing_said = missing;
}

/*
 * Whether the charger's attribute attr is one its driver takes writes
 * to: there, and writable by its owner (the power_supply core makes a
 * property's file 0644 only if the driver says it is writeable). Not
 * chargerd's own access: the udev rule's grant may land just after the
 * supply's uevent, and a refused write is said on its own.
 */
static bool charger_attr_writable(const struct daemon *d, const char *attr)
{
	char path[CONFIG_NAME_MAX + 32];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", d->chg_name, attr);
	return !fstatat(d->classfd, path, &st, 0) && S_ISREG(st.st_mode) && (st.st_mode & S_IWUSR);
}

/*
 * The charger found has no charge_behaviour or constant_charge_current
 * that takes writes (a driver without them: Linux's bq25890_charger, the
 * packages' fallback, writes only input_current_limit): said once, with
 * its driver, since nothing chargerd decides then reaches it (helper-92:
 * with upstream's driver bound, every stop was gone without a word but a
 * refused write's).
 */
static void charger_controls_note(struct daemon *d)
{
	char driver[CONFIG_NAME_MAX];
	unsigned int missing = 0;

	if (!d->chg_name[0])
		return;
	if (!charger_attr_writable(d, "charge_behaviour"))
		missing |= 1;
	if (!charger_attr_writable(d, "constant_charge_current"))
		missing |= 2;
	if (!strcmp(d->controls_said_name, d->chg_name) && d->controls_said_missing == missing)
		return;
	snprintf(d->controls_said_name, sizeof(d->controls_said_name), "%s", d->chg_name);
	d->controls_said_missing = missing;
	if (!missing)
		return;
	log_charger_controls(d->chg_name, supply_driver(d->classfd, d->chg_name, driver,
							sizeof(driver)), missing & 1, missing & 2);
}

void take_snapshot(struct daemon *d, struct snapshot *s)
{
	struct psy_snapshot before;
	uint64_t now = now_usec();
	bool reuse;

	d->pub.n.snapshots++;
	if (!d->supplies_known) {
		d->supplies_known = !supplies_find(d->classfd, &d->cfg, d->chg_name, d->bat_name);
		supplies_pin_note(d, now);
		charger_controls_note(d);
	}
	reuse = d->charger_uevent && !d->other_uevent && d->supplies_known &&
		s->battery.present && !strcmp(s->battery.name, d->bat_name) &&
		now >= d->bat_read_usec && now - d->bat_read_usec < BATTERY_REUSE_USEC;
	before = s->charger;
	psy_read_files(d->classfd, d->chg_name, &d->chg_files, &s->charger);
	snapshot_keep_online(&s->charger, &before, now);
	if (s->charger.present != before.present || s->charger.online != before.online)
		reuse = false;
	if (!reuse) {
		psy_read_files(d->classfd, d->bat_name, &d->bat_files, &s->battery);
		d->bat_read_usec = now;
		d->pub.n.battery_reads++;
	}
	/* one of them went (or was never there): look again next time */
	if (!s->charger.present || !s->battery.present)
		d->supplies_known = false;
	s->seq = d->snap.seq + 1;
	s->usec = now_usec();
	s->mono_usec = mono_usec();
}

/*
 * Read everything again, decide what to do (resync_plan()), then do it.
 * why: a debug record's reason, or NULL for none (uevents, the backstop).
 */
static void resync(struct daemon *d, const char *why)
{
	struct snapshot old = d->snap;
	struct resync_input in = {
		.cfg = &d->cfg,
		.old = d->have_snap ? &old : NULL,
		.snap = &d->snap,
		.next_id = d->hist.next_id,
		.last_checkpoint_usec = d->last_checkpoint_usec,
		.inhibit_refused = d->inhibit_refused,
		.hand_back_tried = d->hand_back_tried,
		.stop_tried = d->stop_tried,
		.ua_tried = d->ua_tried,
		.probe_active = d->probe_active,
		.probe_done = d->probe_done,
		.asleep = d->asleep,
		.diagnosed = d->diagnosed,
		.led = d->led.shown,
		.charger_uevent = d->charger_uevent,
	};
	const struct resync_state st = { .sess = &d->sess, .pol = &d->pol, .evid = &d->evid };
	struct resync_outcome out;
	uint64_t t0 = now_usec(), t1, t2;

	wall_time_at(&in.wall, clock_watch_look(d));	/* the flag first, then the clocks */
	take_snapshot(d, &d->snap);
	d->have_snap = true;
	/* before anything is written to it */
	charger_baseline_note(d, charger_device_note(d, &in.charger_fresh));
	/* what was written, as charger_device_note() left it (a new device: nothing) */
	in.written_ua = d->written_ua;
	in.refused_ua = d->refused_ua;
	in.floor_ua = d->floor_ua;
	in.unresolved = d->unresolved;
	in.thermal_owed = d->thermal_owed;
	in.written_inhibit = d->written_inhibit;
	in.inhibit_usec = d->inhibit_usec;
	gather_in_use(d);
	in_use_linger(d);
	in.in_use = in_use_now(d);
	/* the linger counts in auto mode only (switched to on meanwhile: not "ending") */
	in.in_use_lingers = d->cfg.in_use_mode == IN_USE_AUTO && d->in_use_lingers;
	in.base_ua = d->base.ua;
	in.board_ua = d->base.first_ua;
	in.board_uv = d->base.first_uv;
	d->charger_uevent = false;
	d->other_uevent = false;
	t1 = now_usec();
	resync_plan(&in, &st, &out);
	seen_save(d);
	gone_save(d);
	faults_save(d);
	policy_save(d);
	t2 = now_usec();
	if (out.ceiling_ua > 0)
		charger_baseline_set(d, out.ceiling_ua, old.charger.constant_charge_current);
	d->perm_denied = 0;
	d->passing_denied = d->passing_said = 0;
	apply(d, &out);
	undated_redate(d, &in.wall);
	if (d->udev_mon && !d->perm_denied)
		udev_unwatch(d);
	if (!d->passing_denied && !d->passing_said) {
		d->passing_usec = 0;
		if (d->retry_timer)
			sd_event_source_set_enabled(d->retry_timer, SD_EVENT_OFF);
	}
	d->pub.n.resyncs++;
	d->pub.n.snapshot_us += t1 - t0;
	d->pub.n.plan_us += t2 - t1;
	d->pub.n.apply_us += now_usec() - t2;
	if (why)
		sd_journal_print(LOG_DEBUG, "chargerd: resync (%s)", why);
}

/*
 * Permissions that come late. The udev rule (70-chargerd.rules) opens the
 * charger's two attributes and the LED's to chargerd's group when udev
 * processes their devices' events; at boot chargerd may start before udev
 * is through the coldplug, and its first writes are refused. A refusal
 * (EACCES, EPERM) within PERM_GRACE_USEC of chargerd's start, or of the
 * appearance of the charger or the LED since (a driver bound again or
 * loaded late, whose files are root's until udev runs the rule: a charger
 * rebound during a heat pause charged on for 8 s, its pause refused and
 * tried again only at a later look, helper-61), is not an
 * error yet: it starts a watch on udev's processed events of LEDs and
 * power supplies, each of them a new look, so the write is tried again
 * right after udev ran the rule. The watch ends at the first look whose
 * writes all go through, and at the end of the grace in any case (one
 * last look, whose refusals are logged): by then a boot's udev is done,
 * and a refusal left is a configuration the rule does not cover (an LED
 * of another name, say), logged at each try as any write error, with no
 * watch that would turn every LED's and supply's event into a look.
 */
#define PERM_GRACE_USEC		(30ULL * 1000000)

static int on_udev_event(sd_device_monitor *m, sd_device *dev, void *data)
{
	resync(data, "udev");
	return 0;
}

/*
 * A look right after the watch began (udev may have run the rule between
 * the refusal and the watch), then at the end of the grace (its errors
 * are logged).
 */
static int on_perm_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;
	uint64_t up;

	resync(d, "permissions");
	if (!d->udev_mon)
		return 0;
	up = now_usec() - d->perm_grace_usec;
	if (up < PERM_GRACE_USEC)
		timer_arm(d->perm_timer, PERM_GRACE_USEC - up);
	else
		udev_unwatch(d);
	return 0;
}

static void udev_watch(struct daemon *d)
{
	int r;

	if (d->udev_mon)
		return;
	r = sd_device_monitor_new(&d->udev_mon);
	if (r >= 0)
		r = sd_device_monitor_filter_add_match_subsystem_devtype(d->udev_mon, "leds", NULL);
	if (r >= 0)
		r = sd_device_monitor_filter_add_match_subsystem_devtype(d->udev_mon, "power_supply",
									 NULL);
	if (r >= 0)
		r = sd_device_monitor_attach_event(d->udev_mon, d->ev);
	if (r >= 0)
		r = sd_device_monitor_start(d->udev_mon, on_udev_event, d);
	if (r < 0) {
		agent_error("watching udev's events", -r);
		d->udev_mon = sd_device_monitor_unref(d->udev_mon);
		return;
	}
	timer_arm(d->perm_timer, 1);
}

static void udev_unwatch(struct daemon *d)
{
	d->udev_mon = sd_device_monitor_unref(d->udev_mon);
	if (d->perm_timer)
		sd_event_source_set_enabled(d->perm_timer, SD_EVENT_OFF);
}

/*
 * Refusals that say "not now" (write_refusal_passing()): a driver between
 * its supply's registration and its configuration, or letting go of the
 * chip at unbind (bq2589x_charger's EAGAIN, a rebind during a pause: a
 * write error and a pause "lost" were logged, CI of stop 54). The write is
 * tried again PASSING_RETRY_USEC later, as no event may come (a probe
 * that ends configured says nothing new), and said only when the
 * refusals last PASSING_GRACE_USEC: longer than any such window, short
 * of a stuck driver going unsaid (then logged at each try, as any write
 * error, with no retry but the looks'). A look whose writes all go
 * through, or that makes none (the device gone), ends them.
 */
#define PASSING_RETRY_USEC	(1ULL * 1000000)
#define PASSING_GRACE_USEC	(10ULL * 1000000)

static int on_retry_timer(sd_event_source *src, uint64_t usec, void *data)
{
	resync(data, "retry");
	return 0;
}

/*
 * A write of the charger or the LED failed with errno err: logged (through
 * the rate limit), unless it was refused for its permissions within the
 * grace after start, which waits for udev instead (see above), or as not
 * now within PASSING_GRACE_USEC of the first such refusal.
 */
void write_failed(struct daemon *d, const char *key, const char *what, const char *attr,
		  const char *val, int err)
{
	uint64_t now = now_usec();

	if ((err == EACCES || err == EPERM) && now - d->perm_grace_usec < PERM_GRACE_USEC) {
		d->perm_denied++;
		udev_watch(d);
		return;
	}
	if (write_refusal_passing(err)) {
		if (!d->passing_usec)
			d->passing_usec = now;
		if (now - d->passing_usec < PASSING_GRACE_USEC) {
			d->passing_denied++;
			timer_arm(d->retry_timer, PASSING_RETRY_USEC);
			return;
		}
		d->passing_said++;	/* lasting: not a new first refusal at the next look */
	}
	log_write_error(d, key, what, attr, val, err);
}

static int on_uevent(sd_event_source *src, int fd, uint32_t revents, void *data)
{
	struct daemon *d = data;
	uint64_t t0 = now_usec();
	bool changed = uevent_socket_receive(d);

	d->pub.n.receive_us += now_usec() - t0;
	/* one snapshot for the whole batch: it reads everything anyway */
	if (changed)
		resync(d, NULL);
	return 0;
}

/* config_foreach() into "section.name=value" lines, for reload_config(). */
struct config_lines {
	char text[4096];
	size_t used;
};

static void add_config_line(const char *section, const char *name, const char *text,
			    bool is_number, void *data)
{
	struct config_lines *l = data;
	int n = snprintf(l->text + l->used, sizeof(l->text) - l->used, "%s.%s=%s\n",
			 section, name, text);

	if (n > 0 && (size_t)n < sizeof(l->text) - l->used)
		l->used += n;
}

/* The lines of b that a does not have, space-separated, into out. */
static void config_changes(const struct chargerd_config *a, const struct chargerd_config *b,
			   char *out, size_t len)
{
	/* a's lines each between newlines, so that a line is found whole */
	struct config_lines la = { .text = "\n", .used = 1 }, lb = { };
	char *line, *save = NULL, probe[CONFIG_NAME_MAX * 3];
	size_t used = 0;
	int n;

	config_foreach(a, add_config_line, &la);
	config_foreach(b, add_config_line, &lb);
	out[0] = '\0';
	for (line = strtok_r(lb.text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		snprintf(probe, sizeof(probe), "\n%s\n", line);
		if (strstr(la.text, probe))
			continue;
		n = snprintf(out + used, len - used, "%s%s", used ? " " : "", line);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += n;
	}
}

/* Append word to the space-separated list in buf (len bytes). */
static void append_word(char *buf, size_t len, const char *word)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? " " : "", word);
}

/*
 * SIGHUP (systemctl reload): read the configuration file again, then the
 * settings saved over D-Bus over it, as at start. A file that does not
 * parse changes nothing: the configuration in force stays, and the error
 * (file, line, key) is logged. What cannot change in a running daemon
 * (the history's bound, the socket's buffer, the supplies) keeps its value
 * until the next start, and the record says so. The LED is looked up
 * again under its new name, the old one left dark.
 */
void reload_config(struct daemon *d)
{
	struct chargerd_config next, now = d->cfg, file;
	char err[1024], path[512], changed[2048], later[512] = "", kept[512] = "";
	int r;

	sd_notify(0, "RELOADING=1");
	config_defaults(&next);
	if (config_load(&next, d->config_path, err, sizeof(err))) {
		log_reload(d, false, err, "", "", "");
		sd_notify(0, "READY=1");
		return;
	}
	file = next;
	/* what a start whose file does not parse will run on */
	r = d->statefd >= 0 ? config_save_in_force(&file, d->statefd) : 0;
	if (r < 0)
		agent_error("keeping the configuration in force", -r);
	if (d->state_dir) {
		snprintf(path, sizeof(path), "%s/" SETTINGS_FILE, d->state_dir);
		if (config_load(&next, path, err, sizeof(err)))
			log_settings_ignored(err);
	}
	/*
	 * what the settings set over D-Bus hold against the file: named
	 * (helper-84: the file's edit lost to them, "nothing changed")
	 */
	config_changes(&file, &next, kept, sizeof(kept));
	/*
	 * What waits for a start: the history's bound and the socket's
	 * buffer are sized once; the supplies, because the charger in use
	 * holds chargerd's limits and baseline, and its udev rule names it:
	 * switching chargers in a running daemon could leave the old one held.
	 */
	if (next.max_sessions != now.max_sessions)
		append_word(later, sizeof(later), "history.max_sessions");
	if (next.receive_buffer_kb != now.receive_buffer_kb)
		append_word(later, sizeof(later), "agent.receive_buffer_kb");
	if (strcmp(next.charger, now.charger))
		append_word(later, sizeof(later), "supplies.charger");
	if (strcmp(next.battery, now.battery))
		append_word(later, sizeof(later), "supplies.battery");
	next.max_sessions = now.max_sessions;
	next.receive_buffer_kb = now.receive_buffer_kb;
	memcpy(next.charger, now.charger, sizeof(next.charger));
	memcpy(next.battery, now.battery, sizeof(next.battery));
	config_changes(&now, &next, changed, sizeof(changed));
	if (strcmp(next.led, now.led)) {
		/* the old LED is left dark, not stuck on the last pattern */
		status_led_show(&d->led, now.led, LED_OFF);
		d->led.name[0] = '\0';
		d->led.shown = LED__COUNT;
	}
	if (next.ratelimit_interval_s != now.ratelimit_interval_s ||
	    next.ratelimit_burst != now.ratelimit_burst) {
		/* under the old settings, which held them */
		journal_flush_held(d);
		ratelimit_init(&d->rl, (uint64_t)next.ratelimit_interval_s * 1000000,
			       next.ratelimit_burst);
	}
	d->cfg = next;
	log_reload(d, true, NULL, changed, later, kept);
	reevaluate(d, "configuration reloaded");
	sd_notify(0, "READY=1");
}

/*
 * A setting set over D-Bus (next: the configuration with it): saved, then
 * in force; or neither, and -errno (the caller is told, and the journal).
 */
static int setting_changed(struct daemon *d, const struct chargerd_config *next)
{
	int r = config_save_settings(next, d->statefd, SETTINGS_FILE);

	if (r < 0) {
		agent_error("saving the settings (nothing changed)", -r);
		return r;
	}
	d->cfg = *next;
	reevaluate(d, "settings changed");
	return 0;
}

static int op_set_in_use_mode(void *mgr, enum in_use_mode mode)
{
	struct daemon *d = mgr;
	struct chargerd_config next = d->cfg;

	next.in_use_mode = mode;
	return setting_changed(d, &next);
}

static int op_set_in_use_thresholds(void *mgr, unsigned int stop, unsigned int resume)
{
	struct daemon *d = mgr;
	struct chargerd_config next = d->cfg;

	next.policy.in_use_stop_percent = stop;
	next.policy.in_use_resume_percent = resume;
	return setting_changed(d, &next);
}

static char *op_plot(void *mgr, uint64_t id, int *err)
{
	return plot_session(mgr, id, err);
}

static void op_in_use_holds_changed(void *mgr)
{
	reevaluate(mgr, "in-use hold");
}

/*
 * The longest the system is taken as going to sleep without the hook's
 * "after" (systemd-sleep runs it after a resume and after a sleep that
 * failed; killed, it may not): CLOCK_MONOTONIC, which stops while the
 * system sleeps, so the sleep itself does not count. The sleep begins
 * once every hook is done: another's may take a while (helper-88).
 */
#define ASLEEP_MAX_USEC		(120 * 1000000ULL)

/*
 * While the system sleeps with a heat or cold stop in force, how often a
 * wake alarm has chargerd look at the temperature again: a cell that
 * cooled at night charged only at the morning's wake (helper-87).
 * Android's healthd polls as often while charging and asleep; the wakes
 * come only on external power (a stop is only there), and the system's
 * own idle policy puts it back to sleep.
 */
#define SLEEP_RECHECK_USEC	(30 * 60 * 1000000ULL)

/*
 * A heat or cold stop in force, as published: on external power only
 * (unplugged, the policies' band lingers, with no charging for it to
 * hold: helper-91 found a wake every 30 min of a sleep on battery), once
 * the charger says it holds charging.
 */
static bool thermal_stop(const struct daemon *d)
{
	return !strcmp(d->pub.props.paused, "heat") || !strcmp(d->pub.props.paused, "cold");
}

/*
 * A thermal band's lower current in force, as published (on external
 * power only, as thermal_stop()).
 */
static bool thermal_derated(const struct daemon *d)
{
	return d->pub.props.online && d->pub.props.charge_percent < 100;
}

/*
 * What the wake alarm looks for: a thermal stop, or a band's lower
 * current, for a battery not known to be full (a full one has nothing to
 * gain from a look: helper-92, a full battery on its adapter in a warm
 * room woke the system every 30 min all night). A band's current is kept:
 * the cell may warm on past chargerd's stop while it charges, and the
 * chip's own TS zone stops it only near 60 degC (helper-93).
 */
static bool sleep_recheck_wanted(const struct daemon *d)
{
	return (thermal_stop(d) || thermal_derated(d)) && d->pub.props.capacity < 100;
}

/*
 * Whether a sleep of this kind (systemd-sleep's operation, the hook's
 * second argument) may be woken by chargerd's alarm: a suspend or a
 * hybrid sleep. Not a suspend-then-hibernate: systemd-sleep takes a wake
 * before its own alarm for the user's and stays awake, never hibernating
 * (helper-92); nor a hibernation, which no alarm wakes. An unknown kind
 * (a later systemd's) is left alone.
 */
static bool sleep_alarm_may(const char *action)
{
	return !strcmp(action, "suspend") || !strcmp(action, "hybrid-sleep");
}

static int on_sleep_alarm(sd_event_source *src, int fd, uint32_t revents, void *data);

/*
 * Asleep: the wake alarm armed while a thermal action is in force, else
 * none. A CLOCK_BOOTTIME_ALARM timerfd of our own, made and set here:
 * sd-event would arm its own only at the loop's next turn, after the
 * hook's answer, which the freezer may not wait for (helper-91); and
 * closed when not wanted (the kernel's fdinfo of a stopped alarm still
 * shows the time it had left). Its creation needs CAP_WAKE_ALARM (EPERM
 * without, a run outside the unit) and an RTC that can wake the system
 * (-ENODEV without: the kernel's alarm clocks then have no resolution).
 * 0, or -errno.
 */
static int sleep_alarm_update(struct daemon *d)
{
	struct itimerspec it = { .it_value.tv_sec = SLEEP_RECHECK_USEC / 1000000 };
	int fd, r;

	if (!d->asleep || !d->sleep_alarm_may || !sleep_recheck_wanted(d)) {
		d->sleep_alarm = sd_event_source_disable_unref(d->sleep_alarm);	/* and its fd */
		return 0;
	}
	if (!d->sleep_alarm) {
		struct timespec res;

		/*
		 * no RTC that can wake the system: the alarm timerfd would be
		 * made and armed all the same, and never wake it (helper-92)
		 */
		if (clock_getres(CLOCK_BOOTTIME_ALARM, &res))
			return errno == EINVAL ? -ENODEV : -errno;
		r = timerfd_source_new(d, CLOCK_BOOTTIME_ALARM, &d->sleep_alarm, on_sleep_alarm,
				       "sleep-alarm");
		if (r < 0)
			return r;
	}
	fd = sd_event_source_get_io_fd(d->sleep_alarm);
	return timerfd_settime(fd, 0, &it, NULL) ? -errno : 0;
}

static void end_asleep(struct daemon *d, const char *why)
{
	d->asleep = false;
	if (d->asleep_timer)
		sd_event_source_set_enabled(d->asleep_timer, SD_EVENT_OFF);
	sleep_alarm_update(d);
	sd_journal_print(LOG_DEBUG, "chargerd: %s", why);
	resync(d, why);
}

static int on_asleep_timer(sd_event_source *src, uint64_t usec, void *data)
{
	end_asleep(data, "no word of the system waking: taken as awake");
	return 0;
}

/*
 * The wake alarm: the temperature looked at again (a cooled cell charges);
 * still asleep (the alarm came before the system slept, or the hook's
 * "after" is yet to come) with the action in force: again later.
 */
static int on_sleep_alarm(sd_event_source *src, int fd, uint32_t revents, void *data)
{
	struct daemon *d = data;
	uint64_t expired;

	if (read(fd, &expired, sizeof(expired)) < 0 && errno != EAGAIN)
		return 0;
	resync(d, "wake alarm: the temperature looked at again");
	sleep_alarm_update(d);
	return 0;
}

/*
 * systemd-sleep's hook (agent/dist/chargerd.sleep): before the system
 * sleeps (a sleep of kind action: "suspend", "suspend-then-hibernate",
 * ...), what holds charging only while the device is in use is let go
 * (in_use_now()) and a load test in progress ended, its result dropped
 * (its half with charging held would last the whole sleep), all written
 * before the hook returns; heat and cold stops stay, with a wake alarm
 * where the sleep's kind allows one. After, all as before.
 */
static void op_prepare_for_sleep(void *mgr, bool before, const char *action)
{
	struct daemon *d = mgr;
	const char *held;
	int r;

	if (!before) {
		if (d->asleep)
			end_asleep(d, "the system woke");
		return;
	}
	d->asleep = true;
	d->sleep_alarm_may = sleep_alarm_may(action);
	timer_arm(d->asleep_timer, ASLEEP_MAX_USEC);
	if (d->probe_active) {
		sd_event_source_set_enabled(d->probe_timer, SD_EVENT_OFF);
		d->probe_active = false;
		d->probe_done = false;	/* tried again later this session */
	}
	sd_journal_print(LOG_DEBUG, "chargerd: the system goes to sleep (%s)", action);
	resync(d, "the system goes to sleep");
	/*
	 * whatever was armed before: a second "before" without the "after"
	 * between (a hook killed) keeps no alarm the state no longer wants
	 */
	r = sleep_alarm_update(d);
	if (!thermal_stop(d) && !thermal_derated(d))
		return;
	held = thermal_stop(d) ? "charging stays paused for the temperature" :
	       "the charge current stays lowered for the temperature";
	if (!d->sleep_alarm_may)
		sd_journal_print(LOG_NOTICE, "chargerd: %s through the sleep, until the wake: no "
				 "wake alarm in a %s", held, action);
	else if (!sleep_recheck_wanted(d))
		sd_journal_print(LOG_INFO, "chargerd: %s through the sleep: the battery is full, no "
				 "wake alarm", held);
	else if (!r)
		sd_journal_print(LOG_INFO, "chargerd: %s through the sleep: a wake alarm looks at the "
				 "temperature again every %llu min", held,
				 SLEEP_RECHECK_USEC / 60000000ULL);
	else
		sd_journal_print(LOG_NOTICE, "chargerd: %s through the sleep, until the wake: no wake "
				 "alarm (%s)", held, r == -EPERM ?
				 "chargerd runs without CAP_WAKE_ALARM: see chargerd.service" :
				 r == -ENODEV ? "no real-time clock here can wake the system" :
				 strerror(-r));
}

/*
 * What a caller reads is at most this old: older, chargerd looks again
 * first. Not every change comes with a uevent: a gauge's capacity,
 * voltage and temperature move with none (the SBS gauges announce only a
 * status change, and the charger's chip interrupts at its TS zones
 * only), and on battery nothing else makes chargerd look (no backstop
 * timer: it would cost wakeups nobody asked for), so `chargerctl status`
 * showed the capacity of the last plug, hours old (helper-57). A look
 * costs a read of both supplies' attributes, so the age bounds what
 * a caller asking in a loop makes chargerd do: one look per 2 s at most,
 * twice the gauges' own update period (BATTERY_REUSE_USEC). Nobody
 * asking costs nothing.
 */
#define STATE_FRESH_USEC	(2ULL * 1000000)

static void op_about_to_be_read(void *mgr)
{
	struct daemon *d = mgr;
	uint64_t now = now_usec();	/* CLOCK_BOOTTIME: a suspend ages what was read */
	struct wall_time w;

	/*
	 * Sessions waiting for a date get it as soon as the clock is trusted:
	 * timesyncd touches its flag with no step when the clock was right
	 * already, and nothing else makes chargerd look then (a stat).
	 */
	if (d->undated_pending) {
		wall_time_at(&w, clock_watch_look(d));
		undated_redate(d, &w);
	}
	if (d->have_snap && now >= d->snap.usec && now - d->snap.usec < STATE_FRESH_USEC)
		return;
	d->pub.n.reader_looks++;
	resync(d, NULL);	/* no debug record: a caller's loop would fill the journal */
}

static const struct manager_ops ops = {
	.set_in_use_mode = op_set_in_use_mode,
	.set_in_use_thresholds = op_set_in_use_thresholds,
	.plot = op_plot,
	.in_use_holds_changed = op_in_use_holds_changed,
	.prepare_for_sleep = op_prepare_for_sleep,
	.about_to_be_read = op_about_to_be_read,
};

static int on_iteration(sd_event_source *src, void *data)
{
	struct daemon *d = data;

	d->pub.n.wakeups++;
	return 0;
}

/*
 * Re-arm a one-shot timer usec from now (on its clock: CLOCK_BOOTTIME
 * for all but the asleep timer's CLOCK_MONOTONIC and the sleep's wake
 * alarm's CLOCK_BOOTTIME_ALARM): a second arming
 * before it fires moves it, it never stacks another.
 */
static void timer_arm(sd_event_source *timer, uint64_t usec)
{
	if (!timer)
		return;
	sd_event_source_set_time_relative(timer, usec);
	sd_event_source_set_enabled(timer, SD_EVENT_ONESHOT);
}

int timerfd_source_new(struct daemon *d, clockid_t clock, sd_event_source **src,
		       sd_event_io_handler_t fn, const char *name)
{
	int fd, r;

	fd = timerfd_create(clock, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = sd_event_add_io(d->ev, src, fd, EPOLLIN, fn, d);
	if (r >= 0)
		r = sd_event_source_set_io_fd_own(*src, true);
	if (r < 0) {
		*src = sd_event_source_disable_unref(*src);
		close(fd);
		return r;
	}
	sd_event_source_set_description(*src, name);
	return 0;
}

/* A disabled timer on clock (CLOCK_BOOTTIME if 0), for timer_arm(); -errno on failure. */
static int timer_new(struct daemon *d, sd_event_source **timer, clockid_t clock,
		     sd_event_time_handler_t fn, const char *name)
{
	int r;

	r = sd_event_add_time(d->ev, timer, clock ? clock : CLOCK_BOOTTIME, UINT64_MAX, 0, fn, d);
	if (r >= 0)
		r = sd_event_source_set_enabled(*timer, SD_EVENT_OFF);
	if (r >= 0)
		r = sd_event_source_set_description(*timer, name);
	return r;
}

/*
 * The manager's event sources on d->ev: the uevent socket, its timers and
 * the loop counter. Each step that fails is logged with its errno; returns
 * 0 or the first -errno.
 */
int manager_start(struct daemon *d)
{
	static const struct {
		const char *what;
		size_t timer;		/* offsetof the source in struct daemon */
		sd_event_time_handler_t fn;
		clockid_t clock;	/* 0: CLOCK_BOOTTIME */
	} timers[] = {
		{ "resync-timer", offsetof(struct daemon, resync_timer), on_resync_timer, 0 },
		{ "settle-timer", offsetof(struct daemon, settle_timer), on_settle_timer, 0 },
		{ "load-test-timer", offsetof(struct daemon, probe_timer), on_load_test_timer, 0 },
		{ "journal-summary-timer", offsetof(struct daemon, rl_timer), journal_flush_timer, 0 },
		{ "permission-timer", offsetof(struct daemon, perm_timer), on_perm_timer, 0 },
		{ "write-retry-timer", offsetof(struct daemon, retry_timer), on_retry_timer, 0 },
		{ "in-use-linger-timer", offsetof(struct daemon, linger_timer), on_linger_timer, 0 },
		{ "asleep-timer", offsetof(struct daemon, asleep_timer), on_asleep_timer,
		  CLOCK_MONOTONIC },
	};
	unsigned int i;
	int r;

	/* what bus.c and report.c see of the manager's state */
	d->pub.cfg = &d->cfg;
	d->pub.config_path = d->config_path;
	d->pub.start_usec = d->start_usec;
	d->pub.snap = &d->snap;
	d->pub.sess = &d->sess;
	d->pub.evid = &d->evid;
	d->pub.hist = d->have_hist ? &d->hist : NULL;
	d->pub.ops = &ops;
	d->pub.mgr = d;

	r = uevent_socket_open(d);
	if (r < 0) {
		agent_error("opening the uevent socket", -r);
		return r;
	}
	r = sd_event_add_io(d->ev, NULL, nl_socket_get_fd(d->nl), EPOLLIN, on_uevent, d);
	if (r < 0) {
		agent_error("watching the uevent socket", -r);
		return r;
	}
	for (i = 0; i < sizeof(timers) / sizeof(timers[0]); i++) {
		r = timer_new(d, (sd_event_source **)((char *)d + timers[i].timer),
			      timers[i].clock, timers[i].fn, timers[i].what);
		if (r < 0) {
			agent_error(timers[i].what, -r);
			return r;
		}
	}
	r = pcm_watch_start(d);
	if (r < 0) {
		agent_error("watching ALSA playback", -r);
		return r;
	}
	r = clock_watch_start(d);
	if (r < 0)	/* dates only: trusting the flag alone, as before */
		agent_error("watching the wall clock being set", -r);
	r = sd_event_add_post(d->ev, NULL, on_iteration, d);
	if (r < 0)
		agent_error("counting wakeups", -r);
	return r < 0 ? r : 0;
}

void daemon_done(struct daemon *d)
{
	sd_event_source **timers[] = { &d->resync_timer, &d->settle_timer, &d->probe_timer,
				       &d->rl_timer, &d->perm_timer, &d->retry_timer, &d->linger_timer,
				       &d->asleep_timer, &d->sleep_alarm, &d->clock_watch, &d->clock_log,
				       &d->bus_retry };
	int *fds[] = { &d->classfd, &d->led.classfd, &d->statefd, &d->samplefd, &d->rundirfd };
	unsigned int i;

	for (i = 0; i < sizeof(timers) / sizeof(timers[0]); i++)
		*timers[i] = sd_event_source_disable_unref(*timers[i]);

	d->udev_mon = sd_device_monitor_unref(d->udev_mon);
	pcm_watch_done(d);
	psy_files_close(&d->chg_files);
	psy_files_close(&d->bat_files);
	if (d->have_hist)
		history_close(&d->hist);
	d->have_hist = false;
	d->pub.hist = NULL;
	bus_done(&d->bus);
	nl_socket_free(d->nl);
	d->nl = NULL;
	d->ev = sd_event_unref(d->ev);
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}
