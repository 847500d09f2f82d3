// SPDX-License-Identifier: GPL-2.0
/*
 * The manager: chargerd's state and its pipeline. Each resync gathers its
 * inputs (a snapshot of the charger and the battery, auto in-use mode's
 * look at ALSA), lets resync_plan() decide everything at once (session and
 * faults, policies, diagnosis, LED, what D-Bus publishes: resync.c, pure),
 * then does it in one place (apply()). Its inputs: kernel uevents
 * (uevent_socket.c), the resync and in-use timers (on external power
 * only), the settle and load-test timers, and the settings D-Bus changes
 * (through the ops it publishes). main.c sets it up.
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
#include <netlink/socket.h>
#include <systemd/sd-journal.h>

#include "alsa.h"
#include "chargerd.h"

/* auto in-use: how often ALSA is looked at, on external power only */
#define ALSA_POLL_USEC	(5ULL * 1000000)
/* A second look this long after a plug: ADC readings, detection done. */
#define SETTLE_USEC	(3ULL * 1000000)
/* The load test holds charging this long for an unloaded VBUS reading. */
#define PROBE_USEC	(2500ULL * 1000)
/* At most this many load tests a session when they give no valid result. */
#define LOAD_TEST_ATTEMPTS	3

void checkpoint(struct daemon *d)
{
	int r;

	if (!d->have_hist || !d->sess.active)
		return;
	r = history_save_current(&d->hist, &d->sess.rec);
	if (r < 0) {
		d->pub.n.history_errors++;
		agent_error("saving the session in progress", -r);
	}
	d->last_checkpoint_usec = now_usec();
}

void store_session(struct daemon *d, const struct session_record *r)
{
	int ret;

	log_session_end(d, r);
	bus_session_ended(&d->bus, r);
	if (!d->have_hist)
		return;
	ret = history_append(&d->hist, r);
	if (ret >= 0)
		ret = history_clear_current(&d->hist);
	if (ret < 0) {
		d->pub.n.history_errors++;
		agent_error("storing a charge session", -ret);
	}
}

static void resync(struct daemon *d, const char *why);
static void timer_arm(sd_event_source *timer, uint64_t usec);

void reevaluate(struct daemon *d, const char *why)
{
	resync(d, why);
}

/* In use: mode on; in auto mode, playback found or a D-Bus caller's hold. */
bool in_use_now(const struct daemon *d)
{
	return d->cfg.in_use_mode == IN_USE_ON ||
	       (d->cfg.in_use_mode == IN_USE_AUTO && (d->in_use_detected || d->pub.nholds));
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
		sd_journal_print(LOG_DEBUG, "chargerd: load test discarded (VBUS %lld uV, then %lld uV, at %lld uA)",
				 d->probe_vbus, d->snap.charger.voltage_now, d->probe_ibat);
	}
	d->probe_active = false;
	/* and charging again, as the policies want */
	resync(d, "load test done");
	return 0;
}

static int on_alsa_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;
	bool playing = alsa_playing("/proc/asound");

	/* from now: after a suspend, one look, not one per period missed */
	sd_event_source_set_time_relative(src, ALSA_POLL_USEC);
	if (playing != d->in_use_detected) {
		d->in_use_detected = playing;
		resync(d, "in-use changed");
	}
	return 0;
}

static int on_resync_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	/* from now (CLOCK_BOOTTIME runs on in suspend): one resync after it, not a burst */
	sd_event_source_set_time_relative(src, (uint64_t)d->cfg.resync_s * 1000000);
	resync(d, "periodic");
	return 0;
}

/* Run timer every period_usec from now while want, else stop it. */
static void timer_periodic(sd_event_source *timer, bool want, uint64_t period_usec)
{
	if (!timer)
		return;
	if (!want) {
		sd_event_source_set_enabled(timer, SD_EVENT_OFF);
	} else if (sd_event_source_get_enabled(timer, NULL) <= 0) {
		sd_event_source_set_time(timer, now_usec() + period_usec);
		sd_event_source_set_enabled(timer, SD_EVENT_ON);
	}
}

/*
 * Auto in-use mode's finding, as the plan's input: ALSA is looked at when
 * its timer starts (at a plug), then by the timer; off external power or
 * outside auto mode the device counts as not in use.
 */
static void gather_in_use(struct daemon *d)
{
	bool want = d->cfg.in_use_mode == IN_USE_AUTO && d->snap.charger.present &&
		    d->snap.charger.online == 1;

	if (!want)
		d->in_use_detected = false;
	else if (!d->alsa_timer || sd_event_source_get_enabled(d->alsa_timer, NULL) <= 0)
		d->in_use_detected = alsa_playing("/proc/asound");
}

/* Journal, signal and plot a fault that came, went, or both (o->step). */
static void apply_faults(struct daemon *d, const struct session_step *st)
{
	int f;

	for_each_fault(f, st->raised | st->transient | st->cleared) {
		if (st->raised & FAULT_BIT(f) || st->transient & FAULT_BIT(f)) {
			d->pub.n.faults[f]++;
			plot_event(d, "fault: %s", fault_code(f));
			log_fault(d, f, true, st->transient & FAULT_BIT(f));
			bus_fault_raised(&d->bus, f, st->transient & FAULT_BIT(f));
		}
		if (st->cleared & FAULT_BIT(f) || st->transient & FAULT_BIT(f)) {
			if (st->cleared & FAULT_BIT(f))
				log_fault(d, f, false, false);
			bus_fault_cleared(&d->bus, f);
		}
	}
}

/*
 * Do what resync_plan() decided, in this order: timers; the published
 * state (every record below carries its session); plug and session start
 * records, the session's samples; the policies' journal records and
 * charger writes; fault records and signals; new causes; the LED; unplug
 * and session end, the history; the samples; PropertiesChanged; the load
 * test.
 */
static void apply(struct daemon *d, const struct resync_outcome *o)
{
	const struct session_step *st = &o->step;
	int i, r;

	timer_periodic(d->resync_timer, o->resync_timer, (uint64_t)d->cfg.resync_s * 1000000);
	timer_periodic(d->alsa_timer, o->alsa_timer, ALSA_POLL_USEC);
	d->probe_done = o->probe_done;
	if (st->plugged)
		d->probe_attempts = 0;
	d->pol_out = o->policy;
	d->pub.props = o->pub;
	memcpy(d->pub.asked, o->asked, sizeof(d->pub.asked));
	d->pub.nasked = o->nasked;

	if (st->plugged)
		log_plug(d, true);
	if (st->started) {
		if (d->hist.next_id <= d->sess.rec.id)
			d->hist.next_id = d->sess.rec.id + 1;
		log_session_start(d);
		session_clock_save(d);
		samples_open(d, d->sess.rec.id);
		plot_event(d, "plugged in: %s", d->snap.charger.source_kind);
	}

	if (o->log_thermal)
		log_thermal(d, &o->policy);
	if (o->log_in_use)
		log_in_use(d, &o->policy);
	if (o->write_ua > 0)
		charger_set_current(d, o->write_ua);
	if (o->write_inhibit >= 0)
		charger_set_behaviour(d, o->write_inhibit);
	apply_faults(d, st);

	for (i = 0; i < o->ndiag; i++) {
		if (!(o->new_causes & CAUSE_BIT(o->diag[i].cause)))
			continue;
		log_diagnosis(d, &o->diag[i]);
		bus_diagnosis(&d->bus, &o->diag[i]);
		plot_event(d, "diagnosis: %s", cause_code(o->diag[i].cause));
	}
	d->diagnosed = o->diagnosed;

	r = status_led_show(&d->led, d->cfg.led, o->led);
	if (r < 0) {
		char what[CONFIG_NAME_MAX + 16];

		snprintf(what, sizeof(what), "the LED %s", d->led.name);
		log_write_error(d, "led-error", what, NULL, led_pattern_name(o->led), -r);
	}
	/* what the LED shows, as it is (a write may have failed) */
	snprintf(d->pub.props.led, PUB_STR, "%s",
		 d->led.shown < LED__COUNT ? led_pattern_name(d->led.shown) : "");

	if (o->settle)
		timer_arm(d->settle_timer, SETTLE_USEC);
	if (st->unplugged)
		log_plug(d, false);
	if (st->ended) {
		store_session(d, &st->record);
		samples_close(d, st->record.id);
	}
	if (o->checkpoint)
		checkpoint(d);

	sample(d);
	bus_publish(&d->bus);
	if (o->load_test && !charger_load_test_start(d))
		timer_arm(d->probe_timer, PROBE_USEC);
}

void take_snapshot(struct daemon *d, struct snapshot *s)
{
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];

	d->pub.n.snapshots++;
	supplies_find(d->classfd, &d->cfg, chg, bat);
	psy_read(d->classfd, chg, &s->charger);
	psy_read(d->classfd, bat, &s->battery);
	s->seq = d->snap.seq + 1;
	s->usec = now_usec();
}

/* Read everything again, decide what to do (resync_plan()), then do it. */
static void resync(struct daemon *d, const char *why)
{
	struct snapshot old = d->snap;
	struct resync_input in = {
		.cfg = &d->cfg,
		.old = d->have_snap ? &old : NULL,
		.snap = &d->snap,
		.now_s = realtime_s(),
		.next_id = d->hist.next_id,
		.last_checkpoint_usec = d->last_checkpoint_usec,
		.written_ua = d->written_ua,
		.written_inhibit = d->written_inhibit,
		.probe_active = d->probe_active,
		.probe_done = d->probe_done,
		.diagnosed = d->diagnosed,
		.led = d->led.shown,
		.charger_uevent = d->charger_uevent,
	};
	const struct resync_state st = { .sess = &d->sess, .pol = &d->pol, .evid = &d->evid };
	struct resync_outcome out;

	take_snapshot(d, &d->snap);
	d->have_snap = true;
	charger_baseline_note(d);	/* before anything is written to it */
	gather_in_use(d);
	in.in_use = in_use_now(d);
	in.base_ua = d->base.ua;
	d->charger_uevent = false;
	resync_plan(&in, &st, &out);
	apply(d, &out);
	if (why)
		sd_journal_print(LOG_DEBUG, "chargerd: resync (%s)", why);
}

static int on_uevent(sd_event_source *src, int fd, uint32_t revents, void *data)
{
	struct daemon *d = data;

	/* one snapshot for the whole batch: it reads everything anyway */
	if (uevent_socket_receive(d))
		resync(d, NULL);
	return 0;
}

/* A setting set over D-Bus: in force now, and saved. */
static void setting_changed(struct daemon *d)
{
	int r = config_save_settings(&d->cfg, d->statefd, SETTINGS_FILE);

	reevaluate(d, "settings changed");
	if (r < 0)
		agent_error("saving the settings", -r);
}

static void op_set_in_use_mode(void *mgr, enum in_use_mode mode)
{
	struct daemon *d = mgr;

	d->cfg.in_use_mode = mode;
	setting_changed(d);
}

static void op_set_in_use_thresholds(void *mgr, unsigned int stop, unsigned int resume)
{
	struct daemon *d = mgr;

	d->cfg.policy.in_use_stop_percent = stop;
	d->cfg.policy.in_use_resume_percent = resume;
	setting_changed(d);
}

static char *op_plot(void *mgr, uint64_t id, int *err)
{
	return plot_session(mgr, id, err);
}

static void op_in_use_holds_changed(void *mgr)
{
	reevaluate(mgr, "in-use hold");
}

static const struct manager_ops ops = {
	.set_in_use_mode = op_set_in_use_mode,
	.set_in_use_thresholds = op_set_in_use_thresholds,
	.plot = op_plot,
	.in_use_holds_changed = op_in_use_holds_changed,
};

static int on_iteration(sd_event_source *src, void *data)
{
	struct daemon *d = data;

	d->pub.n.wakeups++;
	return 0;
}

/*
 * Re-arm a one-shot timer usec from now (CLOCK_BOOTTIME, like all of
 * chargerd's timers): a second arming before it fires moves it, it never
 * stacks another.
 */
static void timer_arm(sd_event_source *timer, uint64_t usec)
{
	if (!timer)
		return;
	sd_event_source_set_time_relative(timer, usec);
	sd_event_source_set_enabled(timer, SD_EVENT_ONESHOT);
}

/* A disabled timer on CLOCK_BOOTTIME, for timer_arm(); -errno on failure. */
static int timer_new(struct daemon *d, sd_event_source **timer, sd_event_time_handler_t fn,
		     const char *name)
{
	int r;

	r = sd_event_add_time(d->ev, timer, CLOCK_BOOTTIME, UINT64_MAX, 0, fn, d);
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
	} timers[] = {
		{ "resync-timer", offsetof(struct daemon, resync_timer), on_resync_timer },
		{ "alsa-timer", offsetof(struct daemon, alsa_timer), on_alsa_timer },
		{ "settle-timer", offsetof(struct daemon, settle_timer), on_settle_timer },
		{ "load-test-timer", offsetof(struct daemon, probe_timer), on_load_test_timer },
		{ "journal-summary-timer", offsetof(struct daemon, rl_timer), journal_flush_timer },
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
		r = timer_new(d, (sd_event_source **)((char *)d + timers[i].timer), timers[i].fn,
			      timers[i].what);
		if (r < 0) {
			agent_error(timers[i].what, -r);
			return r;
		}
	}
	r = sd_event_add_post(d->ev, NULL, on_iteration, d);
	if (r < 0)
		agent_error("counting wakeups", -r);
	return r < 0 ? r : 0;
}

void daemon_done(struct daemon *d)
{
	sd_event_source **timers[] = { &d->resync_timer, &d->alsa_timer, &d->settle_timer,
				       &d->probe_timer, &d->rl_timer };
	int *fds[] = { &d->classfd, &d->led.classfd, &d->statefd, &d->samplefd, &d->rundirfd };
	unsigned int i;

	for (i = 0; i < sizeof(timers) / sizeof(timers[0]); i++)
		*timers[i] = sd_event_source_disable_unref(*timers[i]);

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
