// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd's journal records: one function per kind of record, each with
 * its MESSAGE_ID (msgid.h; chargerd.catalog explains them) and its
 * structured fields, and the rate limiter that folds a burst of identical
 * records into one summary. Nothing else in the agent calls
 * sd_journal_send() with a MESSAGE_ID.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <systemd/sd-journal.h>

#include "chargerd.h"
#include "msgid.h"

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

int journal_flush_timer(sd_event_source *src, uint64_t usec,
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

void log_plug(struct daemon *d, bool plugged)
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

void log_session_start(struct daemon *d)
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

void log_session_end(struct daemon *d, const struct session_record *r)
{
	char msg[RATELIMIT_MSG_MAX], faults[160];

	faults_join(r->faults, faults, sizeof(faults));
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

void log_fault(struct daemon *d, enum fault f, bool raised, bool transient)
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

void log_thermal(struct daemon *d, const struct policy_result *r)
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

void log_in_use(struct daemon *d, const struct policy_result *r)
{
	char msg[RATELIMIT_MSG_MAX];
	bool paused = r->pause == PAUSE_IN_USE;

	if (paused)
		snprintf(msg, sizeof(msg), "Charging paused at %lld %% while the device is in use; it resumes below %u %% or when use ends",
			 d->snap.battery.capacity, d->cfg.policy.in_use_resume_percent);
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
				"CHARGER_IN_USE_STOP_PERCENT=%u", d->cfg.policy.in_use_stop_percent,
				"CHARGER_IN_USE_RESUME_PERCENT=%u", d->cfg.policy.in_use_resume_percent,
				"CHARGER_SESSION=%llu", (unsigned long long)d->pub.session,
				"BATTERY_CAPACITY=%lld", d->snap.battery.capacity, NULL);
}

void log_diagnosis(struct daemon *d, const struct diagnosis *g)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	char msg[RATELIMIT_MSG_MAX], key[RATELIMIT_KEY_MAX];

	snprintf(key, sizeof(key), "diagnosis:%s", cause_code(g->cause));
	/* a long evidence is cut in MESSAGE; CHARGER_EVIDENCE has it whole */
	if (snprintf(msg, sizeof(msg), "%s (%s)", cause_summary(g->cause), g->evidence) < 0)
		msg[0] = '\0';
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

void log_load_test(struct daemon *d, long long vbus_loaded_uv, long long vbus_unloaded_uv,
		   long long ibat_ua)
{
	long long sag = d->evid.have_sag ? d->evid.sag_mohm : -1LL;

	sd_journal_send("MESSAGE=VBUS load test: %lld mV charging at %lld mA, %lld mV paused: %lld mOhm",
			vbus_loaded_uv / 1000, ibat_ua / 1000, vbus_unloaded_uv / 1000, sag,
			"PRIORITY=6",
			"CHARGER_VBUS_LOADED_UV=%lld", vbus_loaded_uv,
			"CHARGER_VBUS_UNLOADED_UV=%lld", vbus_unloaded_uv,
			"CHARGER_CURRENT_UA=%lld", ibat_ua,
			"CHARGER_SAG_MOHM=%lld", sag,
			"CHARGER_SESSION=%llu", (unsigned long long)d->pub.session, NULL);
}

/* A sysfs write of the charger or the LED failed (errno err > 0). */
void log_write_error(struct daemon *d, const char *key, const char *what, const char *attr,
		     const char *val, int err)
{
	char msg[RATELIMIT_MSG_MAX];

	snprintf(msg, sizeof(msg), "chargerd: cannot set %s to %s: %s", what, val, strerror(err));
	if (journal_allow(d, key, msg))
		sd_journal_send("MESSAGE=%s", msg, "MESSAGE_ID=" MID_AGENT_ERROR, "PRIORITY=3",
				"CHARGERD_ERROR=%s", attr ? "policy write" : "led",
				"CHARGERD_ERRNO=%d", err,
				attr ? "CHARGER_ATTRIBUTE=%s" : NULL, attr, NULL);
}

void log_settings_ignored(const char *err)
{
	sd_journal_send("MESSAGE=chargerd: ignoring the saved settings: %s", err,
			"MESSAGE_ID=" MID_AGENT_ERROR, "PRIORITY=3",
			"CHARGERD_ERROR=%s", err, NULL);
}

void log_history_repaired(unsigned int torn, unsigned int corrupt)
{
	sd_journal_send("MESSAGE=chargerd: session history: dropped a torn tail of %u bytes, skipped %u corrupt records",
			torn, corrupt,
			"MESSAGE_ID=" MID_AGENT_ERROR, "PRIORITY=4",
			"CHARGERD_ERROR=history repaired",
			"CHARGERD_HISTORY_TORN_BYTES=%u", torn,
			"CHARGERD_HISTORY_CORRUPT=%u", corrupt, NULL);
}
