// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd: the charger agent. One sd-event loop: kernel uevents through
 * libnl, a fresh snapshot of the charger and the battery on every
 * power_supply change (a full resync after a lost uevent), charge sessions
 * and faults derived from successive snapshots, journal records for
 * support, a crash-safe session history, and org.chargerd.Charger1 on the
 * system bus.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include "alsa.h"
#include "chargerd.h"
#include "msgid.h"
#include "uevent.h"

#define CLASS_DIR	"/sys/class/power_supply"
#define STATE_DIR	"/var/lib/chargerd"

/* A checkpoint of the session in progress at most this often (and on faults). */
#define CHECKPOINT_USEC	(60ULL * 1000000)
/* auto in-use: how often ALSA is looked at, on external power only */
#define ALSA_POLL_USEC	(5ULL * 1000000)
/* The load test holds charging this long for an unloaded VBUS reading. */
#define PROBE_USEC	(2500ULL * 1000)
/* A second look this long after a plug: ADC readings, detection done. */
#define SETTLE_USEC	(3ULL * 1000000)

uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void agent_error(const char *what, int err)
{
	sd_journal_send("MESSAGE=chargerd: %s: %s", what, strerror(err),
			"MESSAGE_ID=" MID_AGENT_ERROR, "PRIORITY=3",
			"CHARGERD_ERROR=%s", what, "CHARGERD_ERRNO=%d", err, NULL);
}

/* The summary of records the rate limiter held back: never a silent drop. */
static void held_summary(const char *key, unsigned int held, const char *last, void *data)
{
	struct daemon *d = data;

	d->n.journal_held += held;
	sd_journal_send("MESSAGE=%u more \"%s\" events in %u s were not logged one by one; the last: %s",
			held, key, d->cfg.ratelimit_interval_s, last,
			"MESSAGE_ID=" MID_SUPPRESSED, "PRIORITY=5",
			"CHARGERD_EVENT=%s", key, "CHARGERD_SUPPRESSED=%u", held,
			"CHARGERD_INTERVAL_S=%u", d->cfg.ratelimit_interval_s, NULL);
}

static int on_ratelimit_timer(sd_event_source *src, uint64_t usec __attribute__((unused)),
			      void *data)
{
	struct daemon *d = data;
	uint64_t next = ratelimit_flush(&d->rl, now_usec(), held_summary, d);

	if (next) {
		sd_event_source_set_time(src, next);
		sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
	}
	return 0;
}

/* May a record of this kind go out now? Arms the summary timer if not. */
static bool journal_allow(struct daemon *d, const char *key, const char *message)
{
	uint64_t now = now_usec(), next;

	if (ratelimit_allow(&d->rl, key, message, now, held_summary, d))
		return true;
	next = ratelimit_flush(&d->rl, now, held_summary, d);
	if (next && d->rl_timer) {
		sd_event_source_set_time(d->rl_timer, next);
		sd_event_source_set_enabled(d->rl_timer, SD_EVENT_ONESHOT);
	}
	return false;
}

static const char *or_unknown(const char *s)
{
	return s[0] ? s : "unknown";
}

static void log_plug(struct daemon *d, bool plugged)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	char msg[RATELIMIT_MSG_MAX];

	if (plugged) {
		char vbus[32] = "VBUS not measured yet";

		/* 0 while online: the ADC's last reading predates the plug */
		if (c->voltage_now != PSY_NONE && c->voltage_now > 0)
			snprintf(vbus, sizeof(vbus), "VBUS %lld mV", c->voltage_now / 1000);
		snprintf(msg, sizeof(msg), "Charger plugged in: %s (%s), %s",
			 or_unknown(c->usb_type), or_unknown(c->source_kind), vbus);
		if (journal_allow(d, "plug", msg))
			sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=" MID_PLUG, "PRIORITY=6",
					"CHARGER_NAME=%s", c->name,
					"CHARGER_USB_TYPE=%s", c->usb_type,
					"CHARGER_SOURCE_KIND=%s", c->source_kind,
					"CHARGER_VBUS_UV=%lld", c->voltage_now,
					"CHARGER_STATUS=%s", c->status,
					"CHARGER_HEALTH=%s", c->health,
					"CHARGER_SESSION=%llu", (unsigned long long)d->sess.rec.id,
					"BATTERY_CAPACITY=%lld", b->capacity, NULL);
	} else {
		snprintf(msg, sizeof(msg), "Charger unplugged, battery at %lld %%",
			 b->capacity == PSY_NONE ? -1 : b->capacity);
		if (journal_allow(d, "unplug", msg))
			sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=" MID_UNPLUG, "PRIORITY=6",
					"CHARGER_NAME=%s", c->name,
					"CHARGER_SESSION=%llu", (unsigned long long)d->sess.rec.id,
					"BATTERY_CAPACITY=%lld", b->capacity, NULL);
	}
}

static void log_session_start(struct daemon *d)
{
	const struct session_record *r = &d->sess.rec;
	char msg[RATELIMIT_MSG_MAX];

	snprintf(msg, sizeof(msg), "Charge session %llu started at %d %% from %s",
		 (unsigned long long)r->id, r->start_capacity, or_unknown(d->snap.charger.source_kind));
	if (journal_allow(d, "session-start", msg))
		sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=" MID_SESSION_START, "PRIORITY=6",
				"CHARGER_SESSION=%llu", (unsigned long long)r->id,
				"CHARGER_SOURCE_KIND=%s", d->snap.charger.source_kind,
				"CHARGER_USB_TYPE=%s", d->snap.charger.usb_type,
				"CHARGER_VBUS_UV=%lld", d->snap.charger.voltage_now,
				"BATTERY_CAPACITY=%d", r->start_capacity, NULL);
}

static void faults_words(uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;
	int f;

	buf[0] = '\0';
	for (f = 0; f < FAULT__COUNT && n < len; f++)
		if (mask & FAULT_BIT(f))
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "", fault_code(f));
}

static void log_session_end(struct daemon *d, const struct session_record *r)
{
	char msg[RATELIMIT_MSG_MAX], faults[160];

	faults_words(r->faults, faults, sizeof(faults));
	snprintf(msg, sizeof(msg),
		 "Charge session %llu ended (%s) after %u min: %d%% -> %d%%, %u mWh, %u mAh, peak %u mA, %s%s",
		 (unsigned long long)r->id, r->end_reason, r->duration_s / 60, r->start_capacity,
		 r->end_capacity, r->energy_mwh, r->charge_mah, r->peak_ma, or_unknown(r->source),
		 r->faults ? ", faults" : "");
	if (journal_allow(d, "session-end", msg))
		sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=" MID_SESSION_END, "PRIORITY=6",
				"CHARGER_SESSION=%llu", (unsigned long long)r->id,
				"CHARGER_SESSION_END_REASON=%s", r->end_reason,
				"CHARGER_SESSION_DURATION_S=%u", r->duration_s,
				"CHARGER_SESSION_ENERGY_MWH=%u", r->energy_mwh,
				"CHARGER_SESSION_CHARGE_MAH=%u", r->charge_mah,
				"CHARGER_SESSION_PEAK_MA=%u", r->peak_ma,
				"CHARGER_SESSION_FAULTS=%s", faults,
				"CHARGER_SESSION_FAULT_EVENTS=%u", r->fault_events,
				"CHARGER_SESSION_FULL=%d", r->reached_full,
				"CHARGER_SOURCE_KIND=%s", r->source,
				"CHARGER_USB_TYPE=%s", r->usb_type,
				"BATTERY_CAPACITY_START=%d", r->start_capacity,
				"BATTERY_CAPACITY=%d", r->end_capacity,
				"BATTERY_TEMP_MAX_DC=%d", r->max_temp_dc, NULL);
}

static void log_fault(struct daemon *d, enum fault f, bool raised, bool transient)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	char msg[RATELIMIT_MSG_MAX], key[RATELIMIT_KEY_MAX];

	snprintf(key, sizeof(key), "fault-%s:%s", raised ? "raised" : "cleared", fault_code(f));
	if (raised)
		snprintf(msg, sizeof(msg), "Charger fault %s%s: %s", fault_code(f),
			 transient ? " (came and went)" : "", fault_text(f));
	else
		snprintf(msg, sizeof(msg), "Charger fault %s cleared", fault_code(f));
	if (!journal_allow(d, key, msg))
		return;
	sd_journal_send("MESSAGE=%s", msg,
			"MESSAGE_ID=%s", raised ? MID_FAULT_RAISED : MID_FAULT_CLEARED,
			"PRIORITY=%d", raised ? 4 : 5,
			"CHARGER_FAULT=%s", fault_code(f),
			"CHARGER_FAULT_TRANSIENT=%d", transient,
			"CHARGER_SESSION=%llu", (unsigned long long)d->pub.session,
			"CHARGER_HEALTH=%s", c->health,
			"CHARGER_STATUS=%s", c->status,
			"CHARGER_VBUS_UV=%lld", c->voltage_now,
			"CHARGER_CURRENT_UA=%lld", c->current_now,
			"CHARGER_TEMP_DC=%lld", c->temp,
			"CHARGER_I2C_ERRORS=%lld", c->i2c_errors,
			"CHARGER_SOURCE_KIND=%s", c->source_kind,
			"BATTERY_CAPACITY=%lld", b->capacity,
			"BATTERY_TEMP_DC=%lld", b->temp,
			"BATTERY_VOLTAGE_UV=%lld", b->voltage_now, NULL);
}

static void checkpoint(struct daemon *d)
{
	int r;

	if (!d->have_hist || !d->sess.active)
		return;
	r = history_save_current(&d->hist, &d->sess.rec);
	if (r < 0) {
		d->n.history_errors++;
		agent_error("saving the session in progress", -r);
	}
	d->last_checkpoint_usec = now_usec();
}

static void store_session(struct daemon *d, const struct session_record *r)
{
	int ret;

	log_session_end(d, r);
	bus_session_ended(d, r);
	if (!d->have_hist)
		return;
	ret = history_append(&d->hist, r);
	if (ret >= 0)
		ret = history_clear_current(&d->hist);
	if (ret < 0) {
		d->n.history_errors++;
		agent_error("storing a charge session", -ret);
	}
}

/* --- per-session samples, for the plot --- */

static void samples_open(struct daemon *d, uint64_t id)
{
	char name[64];

	if (d->statefd < 0)
		return;
	if (d->samplefd >= 0)
		close(d->samplefd);
	mkdirat(d->statefd, "sessions", 0700);
	snprintf(name, sizeof(name), "sessions/%llu.samples", (unsigned long long)id);
	d->samplefd = openat(d->statefd, name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	d->last_sample_s = UINT32_MAX;
}

/* Keep the samples of the last PLOT_SESSIONS sessions only. */
static void samples_close(struct daemon *d, uint64_t id)
{
	char name[64];

	if (d->samplefd >= 0)
		close(d->samplefd);
	d->samplefd = -1;
	if (d->statefd >= 0 && id > PLOT_SESSIONS) {
		snprintf(name, sizeof(name), "sessions/%llu.samples",
			 (unsigned long long)(id - PLOT_SESSIONS));
		unlinkat(d->statefd, name, 0);
	}
}

static void sample(struct daemon *d)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	long long t = b->temp != PSY_NONE ? b->temp : c->temp;
	struct plot_sample s = {
		.t_s = d->sess.rec.duration_s,
		.capacity = b->capacity == PSY_NONE ? -1 : (int32_t)b->capacity,
		.current_ma = c->current_now == PSY_NONE ? 0 : (int32_t)(c->current_now / 1000),
		.voltage_mv = b->voltage_now == PSY_NONE ? INT32_MIN : (int32_t)(b->voltage_now / 1000),
		.temp_dc = t == PSY_NONE ? INT32_MIN : (int32_t)t,
	};

	if (d->samplefd < 0 || !d->sess.active || s.t_s == d->last_sample_s)
		return;
	d->last_sample_s = s.t_s;
	plot_append_sample(d->samplefd, &s);
}

void plot_event(struct daemon *d, const char *fmt, ...)
{
	char label[PLOT_LABEL_MAX];
	va_list ap;

	if (d->samplefd < 0 || !d->sess.active)
		return;
	va_start(ap, fmt);
	vsnprintf(label, sizeof(label), fmt, ap);
	va_end(ap);
	plot_append_event(d->samplefd, d->sess.rec.duration_s, label);
}

/* The SVG of session id (0: the one in progress, else the last). */
char *plot_session(struct daemon *d, uint64_t id, int *err)
{
	struct plot_data pd;
	char name[64], title[160], *text = NULL, *svg;
	size_t len = 0, n;
	ssize_t r;
	int fd;

	if (!id)
		id = d->sess.active ? d->sess.rec.id : d->hist.n ? d->hist.recs[d->hist.n - 1].id : 0;
	snprintf(name, sizeof(name), "sessions/%llu.samples", (unsigned long long)id);
	fd = d->statefd < 0 ? -1 : openat(d->statefd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = ENOENT;
		return NULL;
	}
	for (n = 0;; n += r) {
		if (n + 4096 > len) {
			char *t = realloc(text, len = n + 65536);

			if (!t) {
				free(text);
				close(fd);
				*err = ENOMEM;
				return NULL;
			}
			text = t;
		}
		r = read(fd, text + n, len - n);
		if (r <= 0)
			break;
	}
	close(fd);
	if (plot_parse(text, n, &pd)) {
		free(text);
		*err = ENOMEM;
		return NULL;
	}
	free(text);
	snprintf(title, sizeof(title), "chargerd: charge session %llu%s",
		 (unsigned long long)id, d->sess.active && d->sess.rec.id == id ? " (in progress)" : "");
	svg = plot_svg(&pd, title);
	plot_free(&pd);
	*err = svg ? 0 : ENOMEM;
	return svg;
}

static void resync(struct daemon *d, const char *why);

void reevaluate(struct daemon *d, const char *why)
{
	resync(d, why);
}

static int on_settle_timer(sd_event_source *src __attribute__((unused)),
			   uint64_t usec __attribute__((unused)), void *data)
{
	resync(data, "settle");
	return 0;
}

/* Journal, signal and store what one step found. */
static void act(struct daemon *d, const struct session_step *st)
{
	int f;

	if (st->plugged)
		log_plug(d, true);
	if (st->started) {
		if (d->hist.next_id <= d->sess.rec.id)
			d->hist.next_id = d->sess.rec.id + 1;
		log_session_start(d);
		samples_open(d, d->sess.rec.id);
		plot_event(d, "plugged in: %s", d->snap.charger.source_kind);
	}
	for (f = 0; f < FAULT__COUNT; f++) {
		if (st->raised & FAULT_BIT(f) || st->transient & FAULT_BIT(f)) {
			d->n.faults[f]++;
			plot_event(d, "fault: %s", fault_code(f));
			log_fault(d, f, true, st->transient & FAULT_BIT(f));
			bus_fault_raised(d, f, st->transient & FAULT_BIT(f));
		}
		if (st->cleared & FAULT_BIT(f) || st->transient & FAULT_BIT(f)) {
			if (st->cleared & FAULT_BIT(f))
				log_fault(d, f, false, false);
			bus_fault_cleared(d, f);
		}
	}
	/*
	 * Right after a plug the ADC has not converted yet and detection may
	 * still run; one more look once they are done (no uevent says so).
	 */
	if (st->plugged)
		sd_event_add_time_relative(d->ev, NULL, CLOCK_BOOTTIME, SETTLE_USEC, 0,
					   on_settle_timer, d);
	if (st->unplugged)
		log_plug(d, false);
	if (st->ended) {
		store_session(d, &st->record);
		samples_close(d, st->record.id);
	}
	if (st->started || st->raised || st->transient || st->cleared ||
	    now_usec() - d->last_checkpoint_usec >= CHECKPOINT_USEC)
		checkpoint(d);
}

static int64_t realtime_s(void)
{
	return time(NULL);
}

static int write_attr(struct daemon *d, const char *attr, const char *val)
{
	char path[CONFIG_NAME_MAX + 64], msg[RATELIMIT_MSG_MAX];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", d->snap.charger.name, attr);
	fd = openat(d->classfd, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
	} else {
		if (write(fd, val, strlen(val)) < 0)
			r = -errno;
		close(fd);
	}
	d->n.policy_writes++;
	if (r < 0) {
		d->n.policy_write_errors++;
		snprintf(msg, sizeof(msg), "chargerd: cannot set %s to %s: %s", path, val, strerror(-r));
		if (journal_allow(d, "policy-write-error", msg))
			sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=" MID_AGENT_ERROR, "PRIORITY=3",
					"CHARGERD_ERROR=policy write", "CHARGERD_ERRNO=%d", -r,
					"CHARGER_ATTRIBUTE=%s", attr, NULL);
	}
	return r;
}

static void log_thermal(struct daemon *d, const struct policy_result *r)
{
	char msg[RATELIMIT_MSG_MAX], temp[32] = "unknown";
	const char *band = thermal_band_name(d->pol.band);

	if (r->temp_dc != PSY_NONE)
		snprintf(temp, sizeof(temp), "%.1f degC", r->temp_dc / 10.0);
	if (d->pol.band == BAND_HOT_STOP || d->pol.band == BAND_COLD_STOP)
		snprintf(msg, sizeof(msg), "Battery at %s: charging stopped (%s) until it is back in the safe range",
			 temp, d->pol.band == BAND_HOT_STOP ? "too hot" : "too cold");
	else if (d->pol.band == BAND_NORMAL)
		snprintf(msg, sizeof(msg), "Battery at %s: full charge current again", temp);
	else
		snprintf(msg, sizeof(msg), "Battery at %s: charge current limited to %u %% (%s)",
			 temp, r->percent, band);
	plot_event(d, "%s %u%%", band, r->percent);
	if (journal_allow(d, "thermal", msg))
		sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=" MID_THERMAL,
				"PRIORITY=%d", d->pol.band == BAND_NORMAL ? 6 : 5,
				"CHARGER_POLICY=thermal",
				"CHARGER_THERMAL_BAND=%s", band,
				"CHARGER_THERMAL_BAND_OLD=%s", thermal_band_name(r->old_band),
				"CHARGER_CURRENT_PERCENT=%u", r->percent,
				"CHARGER_CURRENT_LIMIT_UA=%lld", r->charge_current_ua,
				"CHARGER_PAUSED=%s", pause_reason_name(r->pause),
				"CHARGER_SESSION=%llu", (unsigned long long)d->pub.session,
				"BATTERY_TEMP_DC=%lld", r->temp_dc,
				"BATTERY_CAPACITY=%lld", d->snap.battery.capacity, NULL);
}

static bool in_use_now(const struct daemon *d)
{
	return d->cfg.in_use_mode == IN_USE_ON ||
	       (d->cfg.in_use_mode == IN_USE_AUTO && d->in_use_detected);
}

static void log_in_use(struct daemon *d, const struct policy_result *r)
{
	char msg[RATELIMIT_MSG_MAX];
	bool paused = r->pause == PAUSE_IN_USE;

	if (paused)
		snprintf(msg, sizeof(msg), "Charging paused at %lld %% while the device is in use; it resumes below %u %% or when use ends",
			 d->snap.battery.capacity, d->cfg.in_use_resume_percent);
	else
		snprintf(msg, sizeof(msg), "Charging resumed at %lld %% (%s)", d->snap.battery.capacity,
			 in_use_now(d) ? "below the resume level" : "no longer in use");
	plot_event(d, paused ? "paused: in use" : "resumed");
	if (journal_allow(d, "in-use", msg))
		sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=" MID_IN_USE, "PRIORITY=6",
				"CHARGER_POLICY=in-use",
				"CHARGER_PAUSED=%s", pause_reason_name(r->pause),
				"CHARGER_IN_USE=%d", in_use_now(d),
				"CHARGER_IN_USE_MODE=%s", in_use_mode_names[d->cfg.in_use_mode],
				"CHARGER_IN_USE_STOP_PERCENT=%u", d->cfg.in_use_stop_percent,
				"CHARGER_IN_USE_RESUME_PERCENT=%u", d->cfg.in_use_resume_percent,
				"CHARGER_SESSION=%llu", (unsigned long long)d->pub.session,
				"BATTERY_CAPACITY=%lld", d->snap.battery.capacity, NULL);
}

/* Evaluate the policies on the snapshot; set the charger on external power. */
static void apply_policy(struct daemon *d, bool plugged)
{
	const struct psy_snapshot *c = &d->snap.charger;
	struct policy_result *r = &d->pol_out;
	struct policy_config pc;
	char val[32];
	bool online = c->present && c->online == 1;

	pc = (struct policy_config){
		.cold_stop_c = d->cfg.cold_stop_c, .cool_c = d->cfg.cool_c,
		.warm_c = d->cfg.warm_c, .hot_c = d->cfg.hot_c, .stop_c = d->cfg.stop_c,
		.cool_percent = d->cfg.cool_percent, .warm_percent = d->cfg.warm_percent,
		.hot_percent = d->cfg.hot_percent, .hysteresis_c = d->cfg.hysteresis_c,
		.in_use = in_use_now(d),
		.in_use_stop_percent = d->cfg.in_use_stop_percent,
		.in_use_resume_percent = d->cfg.in_use_resume_percent,
	};
	policy_eval(&pc, &d->pol, &d->snap, r);
	if (!online)
		return;
	/* a band left while unplugged is news at the plug */
	if (r->band_changed || (plugged && d->pol.band != BAND_NORMAL))
		log_thermal(d, r);
	if (r->pause_changed && (r->pause == PAUSE_IN_USE || r->old_pause == PAUSE_IN_USE))
		log_in_use(d, r);
	/* rounded down by the driver, it reads back at most what was asked */
	if (r->charge_current_ua > 0 && c->constant_charge_current != PSY_NONE &&
	    (r->charge_current_ua != d->written_ua ||
	     c->constant_charge_current > r->charge_current_ua)) {
		snprintf(val, sizeof(val), "%lld", r->charge_current_ua);
		if (!write_attr(d, "constant_charge_current", val))
			d->written_ua = r->charge_current_ua;
	}
	if (c->charge_behaviour[0] && !d->probe_active &&
	    strcmp(c->charge_behaviour, r->inhibit ? "inhibit-charge" : "auto") &&
	    (r->inhibit != d->written_inhibit || plugged || r->pause_changed)) {
		if (!write_attr(d, "charge_behaviour", r->inhibit ? "inhibit-charge" : "auto"))
			d->written_inhibit = r->inhibit;
	}
}

/* On the way out: leave the charger charging on its own. */
static void release_policy(struct daemon *d)
{
	char val[32];

	if (d->written_inhibit == 1)
		write_attr(d, "charge_behaviour", "auto");
	if (d->written_ua > 0 && d->snap.charger.constant_charge_current_max > 0) {
		snprintf(val, sizeof(val), "%lld", d->snap.charger.constant_charge_current_max);
		write_attr(d, "constant_charge_current", val);
	}
}

static int on_alsa_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;
	bool playing = alsa_playing("/proc/asound");

	sd_event_source_set_time(src, usec + ALSA_POLL_USEC);
	if (playing != d->in_use_detected) {
		d->in_use_detected = playing;
		resync(d, "in-use changed");
	}
	return 0;
}

static int on_resync_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	sd_event_source_set_time(src, usec + (uint64_t)d->cfg.resync_s * 1000000);
	resync(d, "periodic");
	return 0;
}

/*
 * Timers run only on external power: the slow resync (a backstop for a
 * lost uevent, and the temperature and capacity the policies follow, which
 * no uevent reports) and, in auto mode, the look at ALSA. On battery
 * nothing wakes chargerd but a uevent.
 */
static void update_timers(struct daemon *d)
{
	bool online = d->snap.charger.online == 1;
	bool want = d->cfg.in_use_mode == IN_USE_AUTO && online;

	if (d->resync_timer && (!online || !d->cfg.resync_s)) {
		sd_event_source_set_enabled(d->resync_timer, SD_EVENT_OFF);
	} else if (d->resync_timer &&
		   sd_event_source_get_enabled(d->resync_timer, NULL) <= 0) {
		sd_event_source_set_time(d->resync_timer,
					 now_usec() + (uint64_t)d->cfg.resync_s * 1000000);
		sd_event_source_set_enabled(d->resync_timer, SD_EVENT_ON);
	}
	if (!d->alsa_timer)
		return;
	if (!want) {
		d->in_use_detected = false;
		sd_event_source_set_enabled(d->alsa_timer, SD_EVENT_OFF);
		return;
	}
	if (sd_event_source_get_enabled(d->alsa_timer, NULL) > 0)
		return;
	d->in_use_detected = alsa_playing("/proc/asound");
	sd_event_source_set_time(d->alsa_timer, now_usec() + ALSA_POLL_USEC);
	sd_event_source_set_enabled(d->alsa_timer, SD_EVENT_ON);
}

struct diag_config daemon_diag_config(const struct daemon *d)
{
	return (struct diag_config){
		.bounce_window_s = d->cfg.bounce_window_s, .bounce_count = d->cfg.bounce_count,
		.cable_max_mohm = d->cfg.cable_max_mohm, .weak_source_ma = d->cfg.weak_source_ma,
		.deep_discharge_mv = d->cfg.deep_discharge_mv,
		.worn_capacity_percent = d->cfg.worn_capacity_percent,
		.worn_cycles = d->cfg.worn_cycles,
	};
}

static void log_diagnosis(struct daemon *d, const struct diagnosis *g)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	char msg[RATELIMIT_MSG_MAX], key[RATELIMIT_KEY_MAX];

	snprintf(key, sizeof(key), "diagnosis:%s", cause_code(g->cause));
	snprintf(msg, sizeof(msg), "%s (%s)", cause_summary(g->cause), g->evidence);
	if (!journal_allow(d, key, msg))
		return;
	sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=%s", cause_message_id(g->cause),
			"PRIORITY=%d", g->severity == SEV_FAULT ? 3 : g->severity == SEV_WARNING ? 4 : 6,
			"CHARGER_DIAGNOSIS=%s", cause_code(g->cause),
			"CHARGER_DIAGNOSIS_SEVERITY=%s", severity_name(g->severity),
			"CHARGER_EVIDENCE=%s", g->evidence,
			"CHARGER_FIX=%s", cause_fix(g->cause),
			"CHARGER_SESSION=%llu", (unsigned long long)d->pub.session,
			"CHARGER_SOURCE_KIND=%s", c->source_kind,
			"CHARGER_INPUT_DPM=%s", c->input_dpm,
			"CHARGER_CURRENT_MAX_UA=%lld", c->current_max,
			"CHARGER_VBUS_UV=%lld", c->voltage_now,
			"CHARGER_CURRENT_UA=%lld", c->current_now,
			"CHARGER_CHARGE_TYPE=%s", c->charge_type,
			"CHARGER_HEALTH=%s", c->health,
			"CHARGER_BOUNCES=%u", d->evid.bounces,
			"CHARGER_SAG_MOHM=%lld", d->evid.have_sag ? d->evid.sag_mohm : -1,
			"CHARGER_VBUS_UNLOADED_UV=%lld", d->evid.have_sag ? d->evid.vbus_unloaded_uv : -1,
			"CHARGER_VBUS_LOADED_UV=%lld", d->evid.have_sag ? d->evid.vbus_loaded_uv : -1,
			"CHARGER_IIN_UA=%lld", d->evid.have_sag ? d->evid.iin_ua : -1,
			"BATTERY_CAPACITY=%lld", b->capacity,
			"BATTERY_VOLTAGE_UV=%lld", b->voltage_now,
			"BATTERY_TEMP_DC=%lld", b->temp,
			"BATTERY_CHARGE_FULL_UAH=%lld", b->charge_full,
			"BATTERY_CHARGE_FULL_DESIGN_UAH=%lld", b->charge_full_design,
			"BATTERY_CYCLE_COUNT=%lld", b->cycle_count, NULL);
}

/* The causes now; a new one is journalled and signalled once. */
static void update_diagnosis(struct daemon *d, const struct session_step *st)
{
	struct diag_config dc = daemon_diag_config(d);
	uint32_t now = 0;
	int i;

	if (st->plugged)
		evidence_plug(&d->evid, &dc, d->snap.usec);
	if (st->unplugged || st->ended)
		evidence_unplug(&d->evid, d->snap.usec);
	d->evid.session_faults |= st->raised | st->transient;
	d->ndiag = diagnose(&dc, &d->snap, &d->evid, d->sess.active_faults, d->pol_out.pause,
			    d->snap.charger.online == 1 ? d->pol_out.percent : 100, false,
			    d->diag, CAUSE__COUNT);
	for (i = 0; i < d->ndiag; i++) {
		now |= CAUSE_BIT(d->diag[i].cause);
		if (d->diagnosed & CAUSE_BIT(d->diag[i].cause))
			continue;
		log_diagnosis(d, &d->diag[i]);
		bus_diagnosis(d, &d->diag[i]);
		plot_event(d, "diagnosis: %s", cause_code(d->diag[i].cause));
	}
	d->diagnosed = now;
}

static int on_probe_timer(sd_event_source *src __attribute__((unused)),
			  uint64_t usec __attribute__((unused)), void *data)
{
	struct daemon *d = data;

	/* the second half of the load test: VBUS with charging inhibited */
	resync(d, "load test");
	evidence_load_test(&d->evid, d->probe_vbus, d->snap.charger.voltage_now, d->probe_vbat,
			   d->probe_ibat);
	sd_journal_send("MESSAGE=VBUS load test: %lld mV charging at %lld mA, %lld mV paused: %lld mOhm",
			d->probe_vbus / 1000, d->probe_ibat / 1000, d->snap.charger.voltage_now / 1000,
			d->evid.have_sag ? d->evid.sag_mohm : -1LL, "PRIORITY=6",
			"CHARGER_VBUS_LOADED_UV=%lld", d->probe_vbus,
			"CHARGER_VBUS_UNLOADED_UV=%lld", d->snap.charger.voltage_now,
			"CHARGER_CURRENT_UA=%lld", d->probe_ibat,
			"CHARGER_SAG_MOHM=%lld", d->evid.have_sag ? d->evid.sag_mohm : -1LL,
			"CHARGER_SESSION=%llu", (unsigned long long)d->pub.session, NULL);
	d->probe_active = false;
	/* and charging again, as the policies want */
	resync(d, "load test done");
	return 0;
}

/*
 * Once per session, while charging steadily: VBUS charging, then VBUS with
 * charging inhibited for a moment. The difference over the input current
 * is the cable's and connector's resistance.
 */
static void maybe_load_test(struct daemon *d)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;

	if (!d->cfg.load_test || d->probe_active || d->probe_done || c->online != 1 ||
	    d->pol_out.inhibit || strcmp(c->status, "Charging") || c->current_now == PSY_NONE ||
	    c->current_now < 300000 || c->voltage_now == PSY_NONE || c->voltage_now <= 0 ||
	    b->voltage_now == PSY_NONE)
		return;
	d->probe_vbus = c->voltage_now;
	d->probe_vbat = b->voltage_now;
	d->probe_ibat = c->current_now;
	if (write_attr(d, "charge_behaviour", "inhibit-charge"))
		return;
	d->written_inhibit = 1;
	d->probe_active = d->probe_done = true;
	sd_event_add_time_relative(d->ev, NULL, CLOCK_BOOTTIME, PROBE_USEC, 0, on_probe_timer, d);
}

/* The status LED follows the state; written only when the pattern changes. */
static void update_led(struct daemon *d)
{
	bool fault = d->sess.active_faults != 0;
	enum led_pattern p;
	int i, fd, r;

	for (i = 0; i < d->ndiag; i++)
		fault |= d->diag[i].severity == SEV_FAULT;
	p = led_pattern_for(&d->snap, fault, d->pol_out.pause);
	if (d->ledsfd < 0)
		return;
	if (!d->led_name[0] || faccessat(d->ledsfd, d->led_name, F_OK, 0)) {
		d->led = LED__COUNT;	/* gone, or not there yet */
		if (led_find(d->ledsfd, d->cfg.led, d->led_name, sizeof(d->led_name)))
			return;
	}
	if (p == d->led)
		return;
	fd = openat(d->ledsfd, d->led_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = fd < 0 ? -errno : led_show(fd, p);
	if (fd >= 0)
		close(fd);
	if (r < 0) {
		char msg[RATELIMIT_MSG_MAX];

		snprintf(msg, sizeof(msg), "chargerd: cannot set the LED %s to %s: %s", d->led_name,
			 led_pattern_name(p), strerror(-r));
		if (journal_allow(d, "led-error", msg))
			sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=" MID_AGENT_ERROR, "PRIORITY=3",
					"CHARGERD_ERROR=led", "CHARGERD_ERRNO=%d", -r, NULL);
		return;
	}
	d->led = p;
}

static void take_snapshot(struct daemon *d, struct snapshot *s)
{
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];

	d->n.snapshots++;
	supplies_find(d->classfd, &d->cfg, chg, bat);
	psy_read(d->classfd, chg, &s->charger);
	psy_read(d->classfd, bat, &s->battery);
	s->seq = d->snap.seq + 1;
	s->usec = now_usec();
}

/* Read everything again and act on the differences. */
static void resync(struct daemon *d, const char *why)
{
	struct snapshot old = d->snap;
	struct session_step st;

	take_snapshot(d, &d->snap);
	session_update(&d->sess, d->have_snap ? &old : NULL, &d->snap, d->hist.next_id,
		       realtime_s(), &st);
	d->have_snap = true;
	update_timers(d);
	if (st.plugged)
		d->probe_done = false;
	apply_policy(d, st.plugged);
	update_diagnosis(d, &st);
	update_led(d);
	public_state_update(d);
	act(d, &st);
	sample(d);
	bus_publish(d);
	maybe_load_test(d);
	if (why)
		sd_journal_print(LOG_DEBUG, "chargerd: resync (%s)", why);
}

static int on_uevent(sd_event_source *src __attribute__((unused)), int fd __attribute__((unused)),
		     uint32_t revents __attribute__((unused)), void *data)
{
	struct daemon *d = data;
	static struct uevent ue;
	bool changed = false;

	for (;;) {
		struct sockaddr_nl nla = { 0 };
		struct ucred *cred = NULL;
		unsigned char *buf = NULL;
		int n = nl_recv(d->nl, &nla, &buf, &cred);

		if (n == -NLE_AGAIN || n == 0) {
			free(buf);
			free(cred);
			break;
		}
		if (n == -NLE_NOMEM) {
			/* ENOBUFS: the socket overflowed, uevents are lost */
			d->n.overflows++;
			d->have_seqnum = false;
			changed = true;
			continue;
		}
		if (n < 0) {
			agent_error("netlink receive", ENOTRECOVERABLE);
			break;
		}
		d->n.uevents++;
		/* only the kernel: port 0, uid 0 */
		if (nla.nl_pid != 0 || !cred || cred->uid != 0 ||
		    uevent_parse(buf, n, &ue) || !ue.subsystem) {
			d->n.dropped++;
		} else {
			if (ue.has_seqnum) {
				if (d->have_seqnum && ue.seqnum != d->last_seqnum + 1) {
					d->n.seqnum_gaps++;
					changed = true;	/* a gap: resync */
				}
				d->last_seqnum = ue.seqnum;
				d->have_seqnum = true;
			}
			if (!strcmp(ue.subsystem, "power_supply"))
				changed = true;
		}
		free(buf);
		free(cred);
	}
	/* one snapshot for the whole batch: it reads everything anyway */
	if (changed)
		resync(d, NULL);
	return 0;
}


static int on_iteration(sd_event_source *src __attribute__((unused)), void *data)
{
	struct daemon *d = data;

	d->n.wakeups++;
	return 0;
}

static int on_signal(sd_event_source *src, const struct signalfd_siginfo *si __attribute__((unused)),
		     void *data)
{
	struct daemon *d = data;

	/* keep the session open on disk: a restart resumes it */
	sd_notify(0, "STOPPING=1");
	checkpoint(d);
	release_policy(d);
	return sd_event_exit(sd_event_source_get_event(src), 0);
}

int settings_save(struct daemon *d)
{
	char text[256];
	int fd, len, r = 0;

	len = snprintf(text, sizeof(text),
		       "# Set over D-Bus (chargerctl); these take precedence over chargerd.conf.\n"
		       "[in-use]\nmode = %s\nstop_percent = %u\nresume_percent = %u\n",
		       in_use_mode_names[d->cfg.in_use_mode], d->cfg.in_use_stop_percent,
		       d->cfg.in_use_resume_percent);
	if (d->statefd < 0)
		return -ENOENT;
	fd = openat(d->statefd, SETTINGS_FILE ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != len || fsync(fd))
		r = -EIO;
	close(fd);
	if (!r && renameat(d->statefd, SETTINGS_FILE ".tmp", d->statefd, SETTINGS_FILE))
		r = -errno;
	if (!r && fsync(d->statefd))
		r = -errno;
	return r;
}

static int setup_netlink(struct daemon *d)
{
	int ret;

	d->nl = nl_socket_alloc();
	if (!d->nl)
		return -ENOMEM;
	nl_socket_disable_seq_check(d->nl);
	ret = nl_connect(d->nl, NETLINK_KOBJECT_UEVENT);
	if (!ret)
		ret = nl_socket_add_membership(d->nl, 1);
	if (!ret)
		ret = nl_socket_set_passcred(d->nl, 1);
	if (!ret)
		ret = nl_socket_set_buffer_size(d->nl, d->cfg.receive_buffer_kb * 1024, 0);
	if (!ret)
		ret = nl_socket_set_nonblocking(d->nl);
	return ret ? -EIO : 0;
}

/* The state directory: history and settings. Without it chargerd still runs. */
static void setup_state(struct daemon *d, const char *dir)
{
	char path[512], err[512];
	struct session_record saved, ended;
	int r;

	d->statefd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->statefd < 0) {
		agent_error("opening the state directory", errno);
		return;
	}
	snprintf(path, sizeof(path), "%s/" SETTINGS_FILE, dir);
	if (config_load(&d->cfg, path, err, sizeof(err))) {
		sd_journal_send("MESSAGE=chargerd: ignoring the saved settings: %s", err,
				"MESSAGE_ID=" MID_AGENT_ERROR, "PRIORITY=3",
				"CHARGERD_ERROR=%s", err, NULL);
	}
	r = history_open(&d->hist, d->statefd, d->cfg.max_sessions);
	if (r < 0) {
		agent_error("opening the session history", -r);
		return;
	}
	d->have_hist = true;
	if (d->hist.torn || d->hist.corrupt)
		sd_journal_send("MESSAGE=chargerd: session history: dropped a torn tail of %u bytes, skipped %u corrupt records",
				d->hist.torn, d->hist.corrupt,
				"MESSAGE_ID=" MID_AGENT_ERROR, "PRIORITY=4",
				"CHARGERD_ERROR=history repaired",
				"CHARGERD_HISTORY_TORN_BYTES=%u", d->hist.torn,
				"CHARGERD_HISTORY_CORRUPT=%u", d->hist.corrupt, NULL);
	r = history_load_current(&d->hist, &saved);
	if (r == -EINVAL) {
		agent_error("the saved session in progress is corrupt; dropped", EINVAL);
		history_clear_current(&d->hist);
	} else if (!r && !session_resume(&d->sess, &saved, &d->snap, realtime_s(), &ended)) {
		store_session(d, &ended);
	} else if (!r) {
		samples_open(d, saved.id);
		plot_event(d, "chargerd restarted");
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct daemon d = { .config_path = "/etc/chargerd/chargerd.conf", .statefd = -1,
			    .written_ua = -1, .written_inhibit = -1, .led = LED__COUNT,
			    .samplefd = -1 };
	const char *state = getenv("STATE_DIRECTORY");
	char err[512];
	sigset_t ss;
	int o, ret;

	while ((o = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'h':
			printf("usage: chargerd [--config FILE]\n");
			return 0;
		default:
			return 2;
		}
	}

	config_defaults(&d.cfg);
	if (config_load(&d.cfg, d.config_path, err, sizeof(err))) {
		fprintf(stderr, "chargerd: %s\n", err);
		return 1;
	}
	d.start_usec = now_usec();
	session_init(&d.sess);
	ratelimit_init(&d.rl, (uint64_t)d.cfg.ratelimit_interval_s * 1000000, d.cfg.ratelimit_burst);
	d.classfd = open(CLASS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d.classfd < 0) {
		fprintf(stderr, "chargerd: %s: %s\n", CLASS_DIR, strerror(errno));
		return 1;
	}
	d.ledsfd = open("/sys/class/leds", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);

	/* sd-event calls return a negative errno, or >= 0 on success */
	ret = setup_netlink(&d);
	if (ret >= 0)
		ret = sd_event_default(&d.ev);
	if (ret >= 0)
		ret = sd_event_add_io(d.ev, NULL, nl_socket_get_fd(d.nl), EPOLLIN, on_uevent, &d);
	if (ret >= 0)
		ret = sd_event_add_time(d.ev, &d.resync_timer, CLOCK_BOOTTIME, UINT64_MAX, 0,
					on_resync_timer, &d);
	if (ret >= 0)
		ret = sd_event_source_set_enabled(d.resync_timer, SD_EVENT_OFF);
	if (ret >= 0)
		ret = sd_event_add_time(d.ev, &d.rl_timer, CLOCK_BOOTTIME, UINT64_MAX, 0,
					on_ratelimit_timer, &d);
	if (ret >= 0)
		ret = sd_event_add_post(d.ev, NULL, on_iteration, &d);
	if (ret >= 0)
		ret = sd_event_add_time(d.ev, &d.alsa_timer, CLOCK_BOOTTIME, UINT64_MAX, 0,
					on_alsa_timer, &d);
	if (ret >= 0)
		ret = sd_event_source_set_enabled(d.alsa_timer, SD_EVENT_OFF);
	if (ret >= 0)
		ret = sd_event_add_signal(d.ev, NULL, SIGTERM, on_signal, &d);
	if (ret >= 0)
		ret = sd_event_add_signal(d.ev, NULL, SIGINT, on_signal, &d);
	if (ret >= 0)
		ret = sd_event_set_watchdog(d.ev, true);
	if (ret < 0) {
		fprintf(stderr, "chargerd: cannot set up: %s\n", strerror(-ret));
		return 1;
	}
	ret = bus_setup(&d);
	if (ret < 0)
		agent_error("connecting to the system bus (running without D-Bus)", -ret);

	/* the socket is open before the first read: nothing falls between */
	take_snapshot(&d, &d.snap);
	setup_state(&d, state ? state : STATE_DIR);
	resync(&d, "start");
	sd_notify(0, "READY=1");
	ret = sd_event_loop(d.ev);
	if (d.bus && sd_bus_is_open(d.bus) <= 0) {
		/* as after kill -9, the limits in force stay; the session is saved */
		agent_error("lost the system bus; exiting, for systemd to start chargerd again",
			    ECONNRESET);
		checkpoint(&d);
		ret = 1;
	}
	if (d.have_hist)
		history_close(&d.hist);
	sd_bus_flush_close_unref(d.bus);
	nl_socket_free(d.nl);
	sd_event_unref(d.ev);
	return ret != 0;
}
