// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd's journal records: one function per kind of record, each with
 * its MESSAGE_ID (msgid.h; chargerd.catalog explains them) and its
 * structured fields, and the rate limiter that folds a burst of identical
 * records into one summary. Nothing else in the agent sends a record with
 * a MESSAGE_ID. Every record is built the same way (struct record):
 * MESSAGE, MESSAGE_ID, PRIORITY and, for the charger's records,
 * CHARGER_SESSION, then its own fields.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

#include "chargerd.h"
#include "msgid.h"
#include "record.h"

/* The fields every record has: MESSAGE, MESSAGE_ID and PRIORITY (syslog's level). */
static void record_start(struct record *r, const char *message_id, int priority,
			 const char *message)
{
	record_reset(r);
	record_field(r, "MESSAGE=%s", message);
	record_field(r, "MESSAGE_ID=%s", message_id);
	record_field(r, "PRIORITY=%d", priority);
}

/* And a charger record's: the charge session it belongs to (0: none). */
static void charger_record_start(struct record *r, uint64_t session, const char *message_id,
				 int priority, const char *message)
{
	record_start(r, message_id, priority, message);
	record_field(r, "CHARGER_SESSION=%llu", (unsigned long long)session);
}

/*
 * Send r with the caller's place as CODE_FILE, CODE_LINE and CODE_FUNC
 * (sd_journal_sendv() would name this helper in every record).
 */
#define STR_(x)		#x
#define STR(x)		STR_(x)
#define record_send(r) \
	sd_journal_sendv_with_location("CODE_FILE=" __FILE__, "CODE_LINE=" STR(__LINE__), \
				       __func__, (r)->iov, (int)(r)->n)

static void agent_problem(int priority, const char *what, int err)
{
	struct record r;
	char msg[1024];

	snprintf(msg, sizeof(msg), "chargerd: %s: %s", what, strerror(err));
	record_start(&r, MID_AGENT_ERROR, priority, msg);
	record_field(&r, "CHARGERD_ERROR=%s", what);
	record_field(&r, "CHARGERD_ERRNO=%d", err);
	record_send(&r);
}

void agent_error(const char *what, int err)
{
	agent_problem(LOG_ERR, what, err);
}

void agent_warning(const char *what, int err)
{
	agent_problem(LOG_WARNING, what, err);
}

/* The summary of records the rate limiter held back: never a silent drop. */
static void held_summary(const char *key, unsigned int held, uint64_t span_usec,
			 const char *last, void *data)
{
	struct daemon *d = data;
	char msg[RATELIMIT_MSG_MAX + RATELIMIT_KEY_MAX + 96];
	/* whole seconds, rounded up: a window cut short after 0.2 s says 1 s */
	uint64_t span_s = (span_usec + 999999) / 1000000;
	struct record r;

	d->pub.n.journal_held += held;
	/* the key is for machines (CHARGERD_EVENT): the text quotes the record */
	snprintf(msg, sizeof(msg),
		 "chargerd: %u more records of the same kind in %" PRIu64 " s were not logged one by one (the journal's rate limit); the last: %s",
		 held, span_s, last);
	record_start(&r, MID_SUPPRESSED, LOG_NOTICE, msg);
	record_field(&r, "CHARGERD_EVENT=%s", key);
	record_field(&r, "CHARGERD_SUPPRESSED=%u", held);
	record_field(&r, "CHARGERD_SPAN_S=%" PRIu64, span_s);
	record_field(&r, "CHARGERD_INTERVAL_S=%u", d->cfg.ratelimit_interval_s);
	record_send(&r);
}

int journal_flush_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;
	uint64_t next = ratelimit_flush(&d->rl, now_usec(), held_summary, d);

	if (next) {
		sd_event_source_set_time(src, next);
		sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
	}
	return 0;
}

/*
 * Every summary still due, its window ended or not: before the rate
 * limiter is set up anew (a reload that changes its settings) and when
 * chargerd exits, which would otherwise lose what it held back.
 */
void journal_flush_held(struct daemon *d)
{
	ratelimit_flush_all(&d->rl, now_usec(), held_summary, d);
}

/* May a record of this kind go out now? Arms the summary timer if not. */
bool journal_allow(struct daemon *d, const char *key, const char *message)
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

void log_plug(struct daemon *d, bool plugged, bool returned)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	char msg[RATELIMIT_MSG_MAX];
	struct record r;

	if (plugged) {
		char vbus[32] = "VBUS not measured yet";

		/* 0 while online: the ADC's last reading predates the plug */
		if (c->voltage_now != PSY_NONE && c->voltage_now > 0)
			snprintf(vbus, sizeof(vbus), "VBUS %lld mV", c->voltage_now / 1000);
		/*
		 * the supply back after the session ended as removed: nobody
		 * plugged anything (helper-79: a charger unbound for 15 s
		 * with the adapter in was "plugged in")
		 */
		snprintf(msg, sizeof(msg), "%s: %s (%s), %s",
			 returned ? "Charger back, with power (its supply had gone)" :
			 "Charger plugged in",
			 or_unknown(c->usb_type), or_unknown(c->source_kind), vbus);
		if (!journal_allow(d, "plug", msg))
			return;
		charger_record_start(&r, d->sess.rec.id, MID_PLUG, LOG_INFO, msg);
		record_field(&r, "CHARGER_PLUG=%s", returned ? "returned" : "plugged");
		record_field(&r, "CHARGER_USB_TYPE=%s", c->usb_type);
		record_field(&r, "CHARGER_SOURCE_KIND=%s", c->source_kind);
		record_number(&r, "CHARGER_VBUS_UV", c->voltage_now);
		record_field(&r, "CHARGER_STATUS=%s", c->status);
		record_field(&r, "CHARGER_HEALTH=%s", c->health);
	} else {
		if (b->capacity == PSY_NONE)
			snprintf(msg, sizeof(msg), "Charger unplugged, the battery's charge unknown");
		else
			snprintf(msg, sizeof(msg), "Charger unplugged, battery at %lld %%", b->capacity);
		if (!journal_allow(d, "unplug", msg))
			return;
		charger_record_start(&r, d->sess.rec.id, MID_UNPLUG, LOG_INFO, msg);
	}
	record_field(&r, "CHARGER_NAME=%s", c->name);
	record_number(&r, "BATTERY_CAPACITY", b->capacity);
	record_send(&r);
}

/* A session's charge level (%, -1 unknown: history.h) as a record's number. */
static long long capacity_number(int32_t percent)
{
	return percent < 0 ? PSY_NONE : percent;
}

/* The same as text: "40 %", or "unknown". buf: 24 bytes. */
static const char *capacity_text(int32_t percent, char buf[24])
{
	if (percent < 0)
		return "unknown";
	snprintf(buf, 24, "%d %%", (int)percent);
	return buf;
}

void log_session_start(struct daemon *d)
{
	const struct session_record *s = &d->sess.rec;
	const struct psy_snapshot *c = &d->snap.charger;
	char msg[RATELIMIT_MSG_MAX], cap[24];
	struct record r;

	if (s->start_capacity < 0)
		snprintf(msg, sizeof(msg), "Charge session %llu started from %s, the battery's charge unknown",
			 (unsigned long long)s->id, or_unknown(c->source_kind));
	else
		snprintf(msg, sizeof(msg), "Charge session %llu started at %s from %s",
			 (unsigned long long)s->id, capacity_text(s->start_capacity, cap),
			 or_unknown(c->source_kind));
	/*
	 * Never folded by the rate limit: one per session, each its own (a
	 * summary has no session), what "journalctl CHARGER_SESSION=N" and
	 * support's upload are read by (helper-83: of seven quick replugs,
	 * three sessions had no record). A flood of them is a flood of
	 * plugs, whose own records are folded.
	 */
	charger_record_start(&r, s->id, MID_SESSION_START, LOG_INFO, msg);
	record_field(&r, "CHARGER_SOURCE_KIND=%s", c->source_kind);
	record_field(&r, "CHARGER_USB_TYPE=%s", c->usb_type);
	record_number(&r, "CHARGER_VBUS_UV", c->voltage_now);
	record_number(&r, "BATTERY_CAPACITY", capacity_number(s->start_capacity));
	record_field(&r, "CHARGER_WALL_CLOCK_SYNCED=%d", wall_clock_synced());
	record_send(&r);
}

/* A session's measurement as text: the number, or "?" (HISTORY_UNKNOWN). buf: 12 bytes. */
static const char *measured_text(uint32_t v, char buf[12])
{
	if (v == HISTORY_UNKNOWN)
		return "?";
	snprintf(buf, 12, "%u", v);
	return buf;
}

void log_session_end(struct daemon *d, const struct session_record *s)
{
	char msg[RATELIMIT_MSG_MAX], faults[160], e[12], c[12], p[12], from[24], to[24];
	struct record r;

	faults_join(s->faults, faults, sizeof(faults));
	snprintf(msg, sizeof(msg),
		 "Charge session %llu ended (%s) after %u min: %s -> %s, %s mWh, %s mAh, peak %s mA, %s%s%s",
		 (unsigned long long)s->id, s->end_reason, s->duration_s / 60,
		 capacity_text(s->start_capacity, from), capacity_text(s->end_capacity, to),
		 measured_text(s->energy_mwh, e), measured_text(s->charge_mah, c),
		 measured_text(s->peak_ma, p), or_unknown(s->source), s->faults ? "; faults: " : "",
		 faults);
	/* never folded: each session's summary (log_session_start()) */
	charger_record_start(&r, s->id, MID_SESSION_END, LOG_INFO, msg);
	record_field(&r, "CHARGER_SESSION_END_REASON=%s", s->end_reason);
	record_field(&r, "CHARGER_SESSION_DURATION_S=%u", s->duration_s);
	/* never measured: left out */
	if (s->energy_mwh != HISTORY_UNKNOWN)
		record_field(&r, "CHARGER_SESSION_ENERGY_MWH=%u", s->energy_mwh);
	if (s->charge_mah != HISTORY_UNKNOWN)
		record_field(&r, "CHARGER_SESSION_CHARGE_MAH=%u", s->charge_mah);
	if (s->peak_ma != HISTORY_UNKNOWN)
		record_field(&r, "CHARGER_SESSION_PEAK_MA=%u", s->peak_ma);
	record_field(&r, "CHARGER_SESSION_FAULTS=%s", faults);
	record_field(&r, "CHARGER_SESSION_FAULT_EVENTS=%u", s->fault_events);
	record_field(&r, "CHARGER_SESSION_FULL=%d", s->reached_full);
	record_field(&r, "CHARGER_SOURCE_KIND=%s", s->source);
	record_field(&r, "CHARGER_USB_TYPE=%s", s->usb_type);
	record_number(&r, "BATTERY_CAPACITY_START", capacity_number(s->start_capacity));
	record_number(&r, "BATTERY_CAPACITY", capacity_number(s->end_capacity));
	record_number(&r, "BATTERY_TEMP_MAX_DC",
		      s->max_temp_dc == INT32_MIN ? PSY_NONE : s->max_temp_dc);
	record_field(&r, "CHARGER_SESSION_START_CLOCK=%s", start_clock_name(s->start_clock));
	record_field(&r, "CHARGER_WALL_CLOCK_SYNCED=%d", wall_clock_synced());
	record_send(&r);
}

/* A hot or cold fault whose zone the gauge's reading denies (ts_zone_denied()). */
static bool thermistor_disagrees(enum fault f, const struct psy_snapshot *b)
{
	return (f == FAULT_COLD || f == FAULT_HOT) && ts_zone_denied(f == FAULT_COLD, b);
}

void log_fault(struct daemon *d, enum fault f, bool raised, bool transient)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	char msg[RATELIMIT_MSG_MAX], key[RATELIMIT_KEY_MAX];
	struct record r;

	snprintf(key, sizeof(key), "fault-%s:%s", raised ? "raised" : "cleared", fault_code(f));
	if (raised && thermistor_disagrees(f, b))
		/*
		 * the chip's thermistor against the gauge's reading: the zone
		 * is the chip's, what it says of the battery may not be
		 * (helper-83: an open thermistor on a 47 degC cell, "too cold")
		 */
		snprintf(msg, sizeof(msg),
			 "Charger fault %s%s: the charger's thermistor reads the battery too %s "
			 "and charging stopped, but the battery's gauge reads %.1f degC: "
			 "suspect the thermistor", fault_code(f), transient ? " (came and went)" : "",
			 f == FAULT_COLD ? "cold" : "hot", b->temp / 10.0);
	else if (raised)
		snprintf(msg, sizeof(msg), "Charger fault %s%s: %s", fault_code(f),
			 transient ? " (came and went)" : "", fault_text(f));
	else
		snprintf(msg, sizeof(msg), "Charger fault %s cleared", fault_code(f));
	if (!journal_allow(d, key, msg))
		return;
	charger_record_start(&r, d->pub.props.session, raised ? MID_FAULT_RAISED : MID_FAULT_CLEARED,
			     raised ? LOG_WARNING : LOG_NOTICE, msg);
	record_field(&r, "CHARGER_FAULT=%s", fault_code(f));
	record_field(&r, "CHARGER_FAULT_TRANSIENT=%d", transient);
	record_field(&r, "CHARGER_HEALTH=%s", c->health);
	record_field(&r, "CHARGER_STATUS=%s", c->status);
	record_number(&r, "CHARGER_VBUS_UV", c->voltage_now);
	record_number(&r, "CHARGER_CURRENT_UA", c->current_now);
	record_number(&r, "CHARGER_TEMP_DC", c->temp);
	record_number(&r, "CHARGER_I2C_ERRORS", c->i2c_errors);
	record_number(&r, "CHARGER_CHIP_RESETS", c->chip_resets);
	record_number(&r, "CHARGER_CONFIG_OVERWRITTEN", c->config_overwritten);
	record_field(&r, "CHARGER_SOURCE_KIND=%s", c->source_kind);
	record_number(&r, "BATTERY_CAPACITY", b->capacity);
	record_number(&r, "BATTERY_TEMP_DC", b->temp);
	record_number(&r, "BATTERY_VOLTAGE_UV", b->voltage_now);
	record_send(&r);
}

/*
 * The thermal policy's record, after its write (if any): the limit in force
 * is the charger's constant_charge_current read back, which the charger
 * rounds down to its steps (64 mA on the BQ25895: 25 % of 960 mA asks 240,
 * 192 is in force). CHARGER_CURRENT_LIMIT_UA is that, as the D-Bus
 * ChargeCurrentLimit; CHARGER_CURRENT_ASKED_UA what the policy asked.
 */
void log_thermal(struct daemon *d, const struct policy_result *p)
{
	char msg[RATELIMIT_MSG_MAX], temp[32] = "unknown", most[128] = "";
	const char *band = thermal_band_name(d->pol.band);
	long long in_force = d->snap.charger.constant_charge_current;
	struct record r;

	if (p->temp_dc != PSY_NONE)
		snprintf(temp, sizeof(temp), "%.1f degC", p->temp_dc / 10.0);
	if (d->pol.band == BAND_HOT_STOP || d->pol.band == BAND_COLD_STOP) {
		snprintf(msg, sizeof(msg), "Battery at %s: charging stopped (%s) until it is back in the safe range",
			 temp, d->pol.band == BAND_HOT_STOP ? "too hot" : "too cold");
	} else if (d->pol.band == BAND_NORMAL) {
		snprintf(msg, sizeof(msg), "Battery at %s: full charge current again", temp);
	} else {
		/*
		 * below the share: the charger's step (or another writer's
		 * ceiling, journalled on its own); above: a write that failed
		 * (its policy-write-error record says why)
		 */
		if (in_force > 0 && p->charge_current_ua > 0 && in_force != p->charge_current_ua)
			snprintf(most, sizeof(most), ": %lld mA in force (%lld mA asked)",
				 in_force / 1000, p->charge_current_ua / 1000);
		else if (in_force > 0)
			snprintf(most, sizeof(most), ": %lld mA in force", in_force / 1000);
		else if (p->charge_current_ua > 0)
			snprintf(most, sizeof(most), ", at most %lld mA", p->charge_current_ua / 1000);
		snprintf(msg, sizeof(msg), "Battery at %s: charge current limited to %u %% (%s)%s",
			 temp, p->percent, band, most);
	}
	plot_event(d, "%s %u%%", band, p->percent);
	if (!journal_allow(d, "thermal", msg))
		return;
	charger_record_start(&r, d->pub.props.session, MID_THERMAL,
			     d->pol.band == BAND_NORMAL ? LOG_INFO : LOG_NOTICE, msg);
	record_field(&r, "CHARGER_POLICY=thermal");
	record_field(&r, "CHARGER_THERMAL_BAND=%s", band);
	record_field(&r, "CHARGER_THERMAL_BAND_OLD=%s", thermal_band_name(p->old_band));
	record_field(&r, "CHARGER_CURRENT_PERCENT=%u", p->percent);
	record_number(&r, "CHARGER_CURRENT_LIMIT_UA", in_force > 0 ? in_force : PSY_NONE);
	/* none asked: a stop (the pause says so) */
	record_number(&r, "CHARGER_CURRENT_ASKED_UA",
		      p->charge_current_ua > 0 ? p->charge_current_ua : PSY_NONE);
	record_field(&r, "CHARGER_PAUSED=%s", pause_reason_name(p->pause));
	record_number(&r, "BATTERY_TEMP_DC", p->temp_dc);
	record_number(&r, "BATTERY_CAPACITY", d->snap.battery.capacity);
	record_send(&r);
}

void log_in_use(struct daemon *d, const struct policy_result *p)
{
	const struct policy_config *c = &d->cfg.policy;
	char msg[RATELIMIT_MSG_MAX];
	bool paused = p->pause == PAUSE_IN_USE;
	struct record r;
	char cap[24];

	psy_number_text(d->snap.battery.capacity, cap, sizeof(cap));
	if (paused)
		snprintf(msg, sizeof(msg), "Charging paused at %s %% while the device is in use; it resumes below %u %% or when use ends",
			 cap, c->in_use_resume_percent);
	else
		snprintf(msg, sizeof(msg), "Charging resumed at %s %% (%s)", cap,
			 d->snap.battery.capacity == PSY_NONE ?
			 "the battery's charge is unknown: the in-use limit cannot be judged" :
			 in_use_now(d) ? "below the resume level" : "no longer in use");
	plot_event(d, paused ? "paused: in use" : "resumed");
	if (!journal_allow(d, "in-use", msg))
		return;
	charger_record_start(&r, d->pub.props.session, MID_IN_USE, LOG_INFO, msg);
	record_field(&r, "CHARGER_POLICY=in-use");
	record_field(&r, "CHARGER_PAUSED=%s", pause_reason_name(p->pause));
	record_field(&r, "CHARGER_IN_USE=%d", in_use_now(d));
	record_field(&r, "CHARGER_IN_USE_MODE=%s", in_use_mode_names[d->cfg.in_use_mode]);
	record_field(&r, "CHARGER_IN_USE_STOP_PERCENT=%u", c->in_use_stop_percent);
	record_field(&r, "CHARGER_IN_USE_RESUME_PERCENT=%u", c->in_use_resume_percent);
	record_number(&r, "BATTERY_CAPACITY", d->snap.battery.capacity);
	record_send(&r);
}

/* The load test's figures, as gathered (left out: not measured). */
static void sag_fields(struct record *r, const struct evidence *e)
{
	record_number(r, "CHARGER_SAG_MOHM", e->have_sag ? e->sag_mohm : PSY_NONE);
	record_number(r, "CHARGER_VBUS_UNLOADED_UV", e->have_sag ? e->vbus_unloaded_uv : PSY_NONE);
	record_number(r, "CHARGER_VBUS_LOADED_UV", e->have_sag ? e->vbus_loaded_uv : PSY_NONE);
	record_number(r, "CHARGER_IIN_UA", e->have_sag ? e->iin_ua : PSY_NONE);
}

/* A cause with a cause_gone() text found at the last look is not now. */
void log_diagnosis_gone(struct daemon *d, enum cause c)
{
	char msg[RATELIMIT_MSG_MAX], key[RATELIMIT_KEY_MAX];
	struct record r;

	snprintf(key, sizeof(key), "diagnosis-gone:%s", cause_code(c));
	snprintf(msg, sizeof(msg), "%s (%s no longer found)", cause_gone(c), cause_code(c));
	if (!journal_allow(d, key, msg))
		return;
	charger_record_start(&r, d->pub.props.session, MID_DIAGNOSIS_GONE, LOG_NOTICE, msg);
	record_field(&r, "CHARGER_DIAGNOSIS=%s", cause_code(c));
	record_number(&r, "BATTERY_CAPACITY", d->snap.battery.capacity);
	record_number(&r, "BATTERY_TEMP_DC", d->snap.battery.temp);
	record_number(&r, "CHARGER_TEMP_DC", d->snap.charger.temp);
	record_send(&r);
}

void log_diagnosis(struct daemon *d, const struct diagnosis *g)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	char msg[RATELIMIT_MSG_MAX], key[RATELIMIT_KEY_MAX];
	struct record r;

	snprintf(key, sizeof(key), "diagnosis:%s", cause_code(g->cause));
	/* the evidence whole (RATELIMIT_MSG_MAX); CHARGER_EVIDENCE has it alone */
	if (snprintf(msg, sizeof(msg), "%s (%s)", diagnosis_summary(g), g->evidence) < 0)
		msg[0] = '\0';
	if (!journal_allow(d, key, msg))
		return;
	charger_record_start(&r, d->pub.props.session, cause_message_id(g->cause),
			     g->severity == SEV_FAULT ? LOG_ERR :
			     g->severity == SEV_WARNING ? LOG_WARNING : LOG_INFO, msg);
	record_field(&r, "CHARGER_DIAGNOSIS=%s", cause_code(g->cause));
	record_field(&r, "CHARGER_DIAGNOSIS_SEVERITY=%s", severity_name(g->severity));
	record_field(&r, "CHARGER_EVIDENCE=%s", g->evidence);
	record_field(&r, "CHARGER_FIX=%s", diagnosis_fix(g));
	record_field(&r, "CHARGER_SOURCE_KIND=%s", c->source_kind);
	record_field(&r, "CHARGER_INPUT_DPM=%s", c->input_dpm);
	record_number(&r, "CHARGER_CURRENT_MAX_UA", c->current_max);
	record_number(&r, "CHARGER_VBUS_UV", c->voltage_now);
	record_number(&r, "CHARGER_CURRENT_UA", c->current_now);
	record_number(&r, "CHARGER_INPUT_CURRENT_LIMIT_UA", c->input_current_limit);
	record_number(&r, "CHARGER_CURRENT_LIMIT_UA", c->constant_charge_current);
	record_field(&r, "CHARGER_CHARGE_TYPE=%s", c->charge_type);
	record_field(&r, "CHARGER_HEALTH=%s", c->health);
	record_number(&r, "CHARGER_TEMP_DC", c->temp);
	record_field(&r, "CHARGER_BOUNCES=%u", d->evid.bounces);
	sag_fields(&r, &d->evid);
	record_number(&r, "BATTERY_CAPACITY", b->capacity);
	record_number(&r, "BATTERY_VOLTAGE_UV", b->voltage_now);
	record_number(&r, "BATTERY_CURRENT_UA", b->current_now);
	record_number(&r, "BATTERY_TEMP_DC", b->temp);
	record_number(&r, "BATTERY_CHARGE_FULL_UAH", b->charge_full);
	record_number(&r, "BATTERY_CHARGE_FULL_DESIGN_UAH", b->charge_full_design);
	record_number(&r, "BATTERY_CYCLE_COUNT", b->cycle_count);
	record_send(&r);
}

void log_load_test(struct daemon *d, long long vbus_loaded_uv, long long vbus_unloaded_uv,
		   long long ibat_ua)
{
	/* called only with a measured sag (manager.c) */
	long long sag = d->evid.sag_mohm, iin = d->evid.iin_ua;
	char msg[RATELIMIT_MSG_MAX];
	struct record r;

	/*
	 * The sag is over the input current (evidence_load_test(): the
	 * battery's power over VBUS and the buck's efficiency), which the
	 * message shows beside the battery's: the two differ by the buck's
	 * step-down, and either may be the larger.
	 */
	snprintf(msg, sizeof(msg),
		 "VBUS load test: %lld mV drawing about %lld mA (the battery taking %lld mA), %lld mV paused: %lld mOhm",
		 vbus_loaded_uv / 1000, iin / 1000, ibat_ua / 1000, vbus_unloaded_uv / 1000, sag);
	charger_record_start(&r, d->pub.props.session, MID_LOAD_TEST, LOG_INFO, msg);
	record_number(&r, "CHARGER_VBUS_LOADED_UV", vbus_loaded_uv);
	record_number(&r, "CHARGER_VBUS_UNLOADED_UV", vbus_unloaded_uv);
	record_number(&r, "CHARGER_CURRENT_UA", ibat_ua);
	record_number(&r, "CHARGER_IIN_UA", iin);
	record_number(&r, "CHARGER_SAG_MOHM", sag);
	record_send(&r);
}

/* A sysfs write of the charger or the LED failed (errno err > 0). */
void log_write_error(struct daemon *d, const char *key, const char *what, const char *attr,
		     const char *val, int err)
{
	char msg[RATELIMIT_MSG_MAX];
	struct record r;

	snprintf(msg, sizeof(msg), "chargerd: cannot set %s to %s: %s", what, val, strerror(err));
	if (!journal_allow(d, key, msg))
		return;
	record_start(&r, MID_AGENT_ERROR, LOG_ERR, msg);
	record_field(&r, "CHARGERD_ERROR=%s", attr ? "policy write" : "led");
	record_field(&r, "CHARGERD_ERRNO=%d", err);
	if (attr)
		record_field(&r, "CHARGER_ATTRIBUTE=%s", attr);
	record_send(&r);
}

/*
 * A supply the configuration pins is not there while another of its kind
 * is (missing: supplies_pin_missing()'s text; charger: the charger is
 * among them, so no limit applies to any); or, missing NULL, they are
 * there after all (a notice, not an error).
 */
void log_supply_pin(const char *missing, bool charger)
{
	char msg[1024];
	struct record r;

	if (!missing) {
		sd_journal_print(LOG_NOTICE, "chargerd: the supplies the configuration names are here now");
		return;
	}
	snprintf(msg, sizeof(msg), "chargerd: %s: %s until it is (a typo in the configuration, or a driver that has not probed yet)",
		 missing, charger ? "no thermal or in-use limit is applied to any charger" :
		 "the policies go without the battery's gauge");
	record_start(&r, MID_AGENT_ERROR, LOG_WARNING, msg);
	record_field(&r, "CHARGERD_ERROR=configured supply missing");
	record_send(&r);
}

void log_charger_controls(const char *name, const char *driver, bool behaviour, bool current)
{
	char msg[1024];
	struct record r;

	snprintf(msg, sizeof(msg),
		 "chargerd: the charger %s (driver %s) takes no %s%s%s from chargerd: %s%s; the "
		 "chip's own temperature zones still stop it%s",
		 name, driver[0] ? driver : "unknown", behaviour ? "charge_behaviour" : "",
		 behaviour && current ? " or " : "", current ? "constant_charge_current" : "",
		 behaviour ? "heat, cold and in-use stops are said, not applied" : "",
		 current ? behaviour ? ", nor a lower current" :
		 "a thermal band's lower current is said, not applied" : "",
		 /* bq25890_charger: the packages' modprobe fallback (driver/dist/bq2589x.conf) */
		 !strcmp(driver, "bq25890-charger") ?
		 " (Linux's bq25890_charger drives it: ours, bq2589x_charger, did not load for this "
		 "kernel; the bq2589x-modules package for it, or DKMS with its headers, brings ours "
		 "back at the next boot)" : "");
	record_start(&r, MID_AGENT_ERROR, LOG_WARNING, msg);
	record_field(&r, "CHARGERD_ERROR=charger controls not writable");
	record_field(&r, "CHARGER_DRIVER=%s", driver);
	record_send(&r);
}

void log_hand_back_failed(const char *name, const char *driver, const char *attr,
			  const char *val, int tries, unsigned int spent_ms, int err)
{
	bool behaviour = !strcmp(attr, "charge_behaviour");
	char msg[1024];
	struct record r;

	snprintf(msg, sizeof(msg),
		 "chargerd: could not hand charging back to %s: %s = %s refused (%s; %d %s in "
		 "%.1f s); %s until chargerd runs again%s",
		 name, attr, val,
		 bus_errno(err) ? "the charger's bus did not answer" :
		 err == EAGAIN || err == EBUSY ? "its driver was not ready" :
		 err == EACCES || err == EPERM ? "chargerd may not write it: the udev rule's grant" :
		 err == ENOENT || err == ENODEV ? "the charger went away" : strerror(err),
		 tries, tries > 1 ? "tries" : "try", spent_ms / 1000.0,
		 behaviour ? "charging may stay held" :
		 "the charge current may stay at chargerd's last value",
		 /* bq2589x_charger keeps a charge_behaviour the bus refused, and writes it later */
		 behaviour && !strcmp(driver, "bq2589x-charger") && bus_errno(err) ?
		 ", or bq2589x_charger writes it once its bus answers" : "");
	record_start(&r, MID_AGENT_ERROR, LOG_ERR, msg);
	record_field(&r, "CHARGERD_ERROR=hand-back refused");
	record_field(&r, "CHARGERD_ERRNO=%d", err);
	record_field(&r, "CHARGER_ATTRIBUTE=%s", attr);
	record_send(&r);
}

void log_config_refused(const char *what)
{
	char msg[1600];
	struct record r;

	/* what ends in the file's errors, a line each: no strerror after them */
	snprintf(msg, sizeof(msg), "chargerd: %s", what);
	record_start(&r, MID_AGENT_ERROR, LOG_ERR, msg);
	record_field(&r, "CHARGERD_ERROR=%s", what);
	record_field(&r, "CHARGERD_ERRNO=%d", EINVAL);
	record_send(&r);
}

void log_settings_ignored(const char *err)
{
	char msg[1100];	/* the words and a config_load() error of 1024 */
	struct record r;

	snprintf(msg, sizeof(msg), "chargerd: ignoring the saved settings: %s", err);
	record_start(&r, MID_AGENT_ERROR, LOG_ERR, msg);
	record_field(&r, "CHARGERD_ERROR=%s", err);
	record_send(&r);
}

/*
 * The wall clock was set (clock_watch.c), by step_us: the change in
 * CLOCK_REALTIME - CLOCK_BOOTTIME it made (the steps of 2 s summed),
 * reported to the nearest second (clock_step_s()), in words in the message
 * ("set back by 300 d") and in seconds in CHARGER_CLOCK_STEP_S. trusted: timesyncd's flag
 * vouches for the clock, 2 s after the step; session_undated: the start
 * of the session in progress was stamped before (session_clock_stepped());
 * ended_undated: so many finished sessions of this boot were dated by
 * the clock before (undated_step()).
 */
void log_clock_set(struct daemon *d, int64_t step_us, bool trusted, bool session_undated,
		   unsigned int ended_undated)
{
	char msg[RATELIMIT_MSG_MAX], ended[128] = "", by[32];
	long long step_s = clock_step_s(step_us);
	unsigned long long abs_s = step_s < 0 ? -(unsigned long long)step_s : (unsigned long long)step_s;
	struct record r;

	if (ended_undated)
		snprintf(ended, sizeof(ended), "; %u finished sessions of this boot %s", ended_undated,
			 trusted ? "dated again" : "have no date until then");
	/* in words ("back by 300 d"), the seconds in CHARGER_CLOCK_STEP_S (helper-86) */
	if (step_s)
		plot_duration(abs_s > UINT32_MAX ? UINT32_MAX : (uint32_t)abs_s, by, sizeof(by));
	else	/* steps that cancel out (helper-91: "forward by 0 s") */
		snprintf(by, sizeof(by), "less than a second in all");
	snprintf(msg, sizeof(msg), "Wall clock set %s by %s: %s%s%s",
		 step_s < 0 ? "back" : step_s ? "forward" : "back and forth", by,
		 trusted ? "synchronised" :
		 "not synchronised, sessions from now have no date until it is",
		 !session_undated ? "" : trusted ? "; the session in progress dated again" :
		 "; the session in progress has no date until then", ended);
	if (!journal_allow(d, "clock-set", msg))
		return;
	charger_record_start(&r, d->sess.active ? d->sess.rec.id : 0, MID_CLOCK_SET, LOG_NOTICE,
			     msg);
	record_number(&r, "CHARGER_CLOCK_STEP_S", step_s);
	record_field(&r, "CHARGER_WALL_CLOCK_SYNCED=%d", trusted);
	record_field(&r, "CHARGER_SESSIONS_UNDATED=%u", ended_undated);
	record_send(&r);
}

/*
 * systemctl reload: ok, with the keys that changed ("section.key=value"
 * space-separated, "" none) and those that wait for a restart; or refused,
 * with the parser's error (the configuration in force is kept).
 */
void log_reload(struct daemon *d, bool ok, const char *err, const char *changed,
		const char *later, const char *kept)
{
	char msg[RECORD_TEXT / 2];
	struct record r;

	if (!ok) {
		snprintf(msg, sizeof(msg),
			 "chargerd: reload refused, the configuration in force is kept: %s", err);
		record_start(&r, MID_AGENT_ERROR, LOG_ERR, msg);
		record_field(&r, "CHARGERD_ERROR=reload: %s", err);
		record_send(&r);
		return;
	}
	snprintf(msg, sizeof(msg), "chargerd: configuration reloaded from %s: %s%s%s%s%s%s",
		 d->config_path, *changed ? "changed " : "nothing changed", changed,
		 *later ? "; at the next start: " : "", later,
		 *kept ? "; kept as set over D-Bus (chargerctl), over the file: " : "", kept);
	record_start(&r, MID_CONFIG_RELOADED, LOG_INFO, msg);
	record_field(&r, "CHARGERD_CONFIG_FILE=%s", d->config_path);
	record_field(&r, "CHARGERD_CONFIG_CHANGED=%s", changed);
	if (*later)
		record_field(&r, "CHARGERD_CONFIG_AT_RESTART=%s", later);
	if (*kept)
		record_field(&r, "CHARGERD_CONFIG_FROM_SETTINGS=%s", kept);
	record_send(&r);
}

/*
 * A pause chargerd wrote was found ended behind its back (charge_behaviour
 * read was, in the power_supply ABI's words) and has been put back.
 */
void log_pause_lost(struct daemon *d, const struct policy_result *p, const char *was)
{
	bool in_use = p->pause == PAUSE_IN_USE;
	char msg[RATELIMIT_MSG_MAX];
	struct record r;

	snprintf(msg, sizeof(msg),
		 "Charging was resumed behind chargerd's back (charge_behaviour %s) during the %s pause: paused again",
		 was, pause_reason_name(p->pause));
	plot_event(d, "pause lost: paused again");
	if (!journal_allow(d, "pause-lost", msg))
		return;
	charger_record_start(&r, d->pub.props.session, in_use ? MID_IN_USE : MID_THERMAL, LOG_WARNING,
			     msg);
	record_field(&r, "CHARGER_POLICY=%s", in_use ? "in-use" : "thermal");
	record_field(&r, "CHARGER_PAUSED=%s", pause_reason_name(p->pause));
	record_field(&r, "CHARGER_PAUSE_LOST=1");
	record_send(&r);
}

void log_foreign_pause_ended(struct daemon *d, bool at_start, bool plugged)
{
	char msg[RATELIMIT_MSG_MAX];
	struct record r;

	snprintf(msg, sizeof(msg),
		 "Charging held by charge_behaviour inhibit-charge, %s, is on again %s: chargerd's "
		 "policies decide whether it charges",
		 at_start ? "not chargerd's (another program's, or a chargerd stopped without its "
		 "hand-back)" : "set by another program",
		 plugged ? "at the plug" : at_start ? "at chargerd's first write to this charger" :
		 "as chargerd's policies changed");
	plot_event(d, "another's pause ended");
	if (!journal_allow(d, "foreign-pause", msg))
		return;
	charger_record_start(&r, d->pub.props.session, MID_THERMAL, LOG_NOTICE, msg);
	record_field(&r, "CHARGER_POLICY=%s", "charge_behaviour");
	record_field(&r, "CHARGER_FOREIGN_PAUSE_ENDED=1");
	record_send(&r);
}

/*
 * Another writer set the charge current to ua, uA (old_ua in force before
 * it), taken as chargerd's ceiling (charger_baseline_set()) in place of
 * old_ceiling (PSY_NONE: unknown): lowered or raised.
 */
void log_current_set(struct daemon *d, long long ua, long long old_ua, long long old_ceiling)
{
	const struct psy_snapshot *c = &d->snap.charger;
	bool raised = old_ceiling != PSY_NONE && ua > old_ceiling;
	char msg[RATELIMIT_MSG_MAX], was[48] = "", max[64] = "";
	struct record r;

	if (old_ceiling != PSY_NONE && old_ceiling > 0)
		snprintf(was, sizeof(was), " from %lld mA", old_ceiling / 1000);
	if (raised && c->constant_charge_current_max == PSY_NONE)
		snprintf(max, sizeof(max), ", the battery's maximum not known");
	else if (raised)
		snprintf(max, sizeof(max), ", within the battery's maximum of %lld mA",
			 c->constant_charge_current_max / 1000);
	snprintf(msg, sizeof(msg),
		 "Charge current set to %lld mA by another program (%lld mA before): chargerd's ceiling %s%s to it%s",
		 ua / 1000, old_ua / 1000, raised ? "rises" : "falls", was, max);
	plot_event(d, "current %s by another: %lld mA", raised ? "raised" : "lowered", ua / 1000);
	if (!journal_allow(d, raised ? "current-raised" : "current-lowered", msg))
		return;
	charger_record_start(&r, d->pub.props.session,
			     raised ? MID_CURRENT_RAISED : MID_CURRENT_LOWERED, LOG_NOTICE, msg);
	record_field(&r, "CHARGER_NAME=%s", c->name);
	record_number(&r, "CHARGER_CURRENT_LIMIT_UA", ua);
	record_number(&r, "CHARGER_CURRENT_LIMIT_UA_OLD", old_ua);
	record_number(&r, "CHARGER_CURRENT_CEILING_UA_OLD", old_ceiling > 0 ? old_ceiling : PSY_NONE);
	record_number(&r, "CHARGER_CURRENT_LIMIT_MAX_UA", c->constant_charge_current_max);
	record_send(&r);
}

/*
 * Another writer set the charge current to set_ua, uA, which chargerd
 * did not take (resync.c's ceiling_from()) and wrote over, successfully:
 * what is in force now (read back), and why: over the battery's maximum,
 * or its ceiling itself while the thermal band holds it to a share.
 */
void log_current_undone(struct daemon *d, long long set_ua, const struct policy_result *p)
{
	const struct psy_snapshot *c = &d->snap.charger;
	long long max = c->constant_charge_current_max;
	long long ceiling = charger_ceiling(d);
	char msg[RATELIMIT_MSG_MAX], why[96];
	struct record r;

	if (max != PSY_NONE && set_ua > max)
		snprintf(why, sizeof(why), "more than the battery's maximum of %lld mA", max / 1000);
	else
		snprintf(why, sizeof(why), "that is chargerd's ceiling, which the %s band holds to %u %%",
			 thermal_band_name(d->pol.band), p->percent);
	snprintf(msg, sizeof(msg),
		 "Charge current set to %lld mA by another program, %s: chargerd wrote %lld mA back",
		 set_ua / 1000, why, c->constant_charge_current == PSY_NONE ? -1 :
		 c->constant_charge_current / 1000);
	plot_event(d, "current set by another undone: %lld mA", set_ua / 1000);
	if (!journal_allow(d, "current-undone", msg))
		return;
	charger_record_start(&r, d->pub.props.session, MID_CURRENT_UNDONE, LOG_NOTICE, msg);
	record_field(&r, "CHARGER_NAME=%s", c->name);
	record_number(&r, "CHARGER_CURRENT_SET_UA", set_ua);
	record_number(&r, "CHARGER_CURRENT_LIMIT_UA", c->constant_charge_current);
	record_number(&r, "CHARGER_CURRENT_CEILING_UA", ceiling > 0 ? ceiling : PSY_NONE);
	record_number(&r, "CHARGER_CURRENT_LIMIT_MAX_UA", max);
	record_field(&r, "CHARGER_THERMAL_BAND=%s", thermal_band_name(d->pol.band));
	record_send(&r);
}

/*
 * The charger refused ua (uA) as below its smallest step, with was_ua in
 * force then; what is in force now (read back: its floor written in
 * place, or the same) is said with it (charger_set_current()).
 */
void log_current_refused(struct daemon *d, long long ua, long long was_ua)
{
	long long now = d->snap.charger.constant_charge_current;
	char msg[RATELIMIT_MSG_MAX];

	if (now != PSY_NONE && now != was_ua)
		snprintf(msg, sizeof(msg),
			 "chargerd: %s takes no charge current as low as %lld mA: %lld mA, the lowest it is known to take, written in place of the %lld mA in force",
			 d->snap.charger.name, ua / 1000, now / 1000, was_ua / 1000);
	else
		snprintf(msg, sizeof(msg),
			 "chargerd: %s takes no charge current as low as %lld mA: %lld mA stays in force",
			 d->snap.charger.name, ua / 1000, was_ua / 1000);
	if (journal_allow(d, "current-refused", msg))
		sd_journal_print(LOG_INFO, "%s", msg);
}

void log_history_repaired(unsigned int torn, unsigned int corrupt, const char *kept, int keep_error)
{
	char msg[RATELIMIT_MSG_MAX];
	struct record r;

	if (kept && *kept)
		snprintf(msg, sizeof(msg),
			 "chargerd: session history: %u corrupt records and %u bad bytes at the end; the file is kept as %s, the good records go on",
			 corrupt, torn, kept);
	else if (keep_error)
		snprintf(msg, sizeof(msg),
			 "chargerd: session history: %u corrupt records and %u bad bytes at the end, left in the file: it could not be kept aside (%s)",
			 corrupt, torn, strerror(keep_error));
	else
		snprintf(msg, sizeof(msg), "chargerd: session history: dropped a torn last line of %u bytes",
			 torn);
	record_start(&r, MID_AGENT_ERROR, LOG_WARNING, msg);
	record_field(&r, "CHARGERD_ERROR=history repaired");
	record_field(&r, "CHARGERD_HISTORY_TORN_BYTES=%u", torn);
	record_field(&r, "CHARGERD_HISTORY_CORRUPT=%u", corrupt);
	if (kept && *kept)
		record_field(&r, "CHARGERD_HISTORY_KEPT=%s", kept);
	else if (keep_error)
		record_field(&r, "CHARGERD_ERRNO=%d", keep_error);
	record_send(&r);
}
