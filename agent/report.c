// SPDX-License-Identifier: GPL-2.0
/*
 * The support bundle (GetReport, `chargerctl report`): one JSON document
 * with everything support asks for when a customer says "it won't
 * charge": the state now, the raw readings, the faults, the recent
 * sessions, the driver's counters, the agent's version, counters and
 * configuration.
 */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "clock.h"
#include "report.h"

#define REPORT_SESSIONS	20
#define JSON_PRETTY	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
			 JSON_C_TO_STRING_NOSLASHESCAPE)

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *num_or_null(long long v)
{
	return v == PSY_NONE ? NULL : json_object_new_int64(v);
}

static struct json_object *faults_json(uint32_t mask)
{
	struct json_object *a = json_object_new_array();
	int f;

	for_each_fault(f, mask)
		json_object_array_add(a, json_object_new_string(fault_code(f)));
	return a;
}

struct json_object *session_json(const struct session_record *r, bool synced_now)
{
	struct json_object *o = json_object_new_object();

	add(o, "id", json_object_new_uint64(r->id));
	add(o, "start", history_start_known(r, synced_now) ?
	    json_object_new_int64(r->start) : NULL);
	add(o, "start_clock", json_object_new_string(start_clock_name(r->start_clock)));
	add(o, "duration_s", json_object_new_int64(r->duration_s));
	/* never measured: null, not 0 */
	add(o, "energy_mwh", r->energy_mwh == HISTORY_UNKNOWN ? NULL :
	    json_object_new_int64(r->energy_mwh));
	add(o, "charge_mah", r->charge_mah == HISTORY_UNKNOWN ? NULL :
	    json_object_new_int64(r->charge_mah));
	add(o, "peak_ma", r->peak_ma == HISTORY_UNKNOWN ? NULL : json_object_new_int64(r->peak_ma));
	add(o, "start_capacity", r->start_capacity < 0 ? NULL :
	    json_object_new_int(r->start_capacity));
	add(o, "end_capacity", r->end_capacity < 0 ? NULL : json_object_new_int(r->end_capacity));
	add(o, "max_temp_dc", r->max_temp_dc == INT32_MIN ? NULL :
	    json_object_new_int(r->max_temp_dc));
	add(o, "faults", faults_json(r->faults));
	add(o, "fault_events", json_object_new_int64(r->fault_events));
	add(o, "reached_full", json_object_new_boolean(r->reached_full));
	add(o, "source", json_object_new_string(r->source));
	add(o, "usb_type", json_object_new_string(r->usb_type));
	add(o, "end_reason", json_object_new_string(r->end_reason[0] ? r->end_reason : "in-progress"));
	return o;
}

/* Every attribute chargerd read from one supply, as read. */
static struct json_object *supply_json(const struct psy_snapshot *s)
{
	static const struct {
		const char *key;
		size_t off;
	} nums[] = {
#define N(f)	{ #f, offsetof(struct psy_snapshot, f) }
		N(online), N(voltage_now), N(current_now), N(current_max), N(temp), N(capacity),
		N(constant_charge_current), N(constant_charge_current_max),
		N(constant_charge_voltage), N(constant_charge_voltage_max),
		N(input_current_limit), N(input_voltage_limit), N(charge_now), N(charge_full), N(charge_full_design),
		N(cycle_count), N(i2c_errors), N(chip_resets), N(power_good_rises), N(config_unkept),
		N(config_overwritten),
		N(faults_watchdog), N(faults_boost), N(faults_input), N(faults_thermal_shutdown),
		N(faults_safety_timer), N(faults_battery_ovp), N(faults_ntc),
#undef N
	};
	struct json_object *o = json_object_new_object();
	size_t i;

	add(o, "name", json_object_new_string(s->name));
	add(o, "present", json_object_new_boolean(s->present));
	if (!s->present)
		return o;
	add(o, "type", json_object_new_string(s->type));
	add(o, "status", json_object_new_string(s->status));
	add(o, "health", json_object_new_string(s->health));
	add(o, "charge_type", json_object_new_string(s->charge_type));
	add(o, "usb_type", json_object_new_string(s->usb_type));
	add(o, "charge_behaviour", json_object_new_string(s->charge_behaviour));
	add(o, "source_kind", json_object_new_string(s->source_kind));
	add(o, "input_dpm", json_object_new_string(s->input_dpm));
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		add(o, nums[i].key, num_or_null(*(const long long *)((const char *)s + nums[i].off)));
	return o;
}

/*
 * One key of the configuration in the report's "config": [agent],
 * [supplies], [journal] and [history] keys by name, the others prefixed
 * with their section ("in_use_mode", "thermal_cool_c", "led_name").
 */
static void config_entry(const char *section, const char *name, const char *text,
			 bool is_number, void *data)
{
	static const char *const plain[] = { "agent", "supplies", "journal", "history" };
	char key[64];
	size_t i;

	snprintf(key, sizeof(key), "%s_%s", section, name);
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(section, plain[i]))
			snprintf(key, sizeof(key), "%s", name);
	for (i = 0; key[i]; i++)
		if (key[i] == '-')
			key[i] = '_';
	add(data, key, is_number ? json_object_new_int64(strtoll(text, NULL, 10)) :
				   json_object_new_string(text));
}

static struct json_object *agent_json(const struct published *p)
{
	struct json_object *o = json_object_new_object(), *c = json_object_new_object(), *n;
	struct utsname u;

	add(o, "version", json_object_new_string(CHARGERD_VERSION));
	if (!uname(&u))
		add(o, "kernel", json_object_new_string(u.release));
	add(o, "uptime_s", json_object_new_int64((now_usec() - p->start_usec) / 1000000));
	add(o, "config_path", json_object_new_string(p->config_path));
	config_foreach(p->cfg, config_entry, c);
	add(o, "config", c);
	/* resync_s as in force: 0 and anything above RESYNC_MAX_S mean the cap */
	add(o, "resync_period_s", json_object_new_int64(resync_period_s(p->cfg)));
	n = json_object_new_object();
	add(n, "wakeups", json_object_new_uint64(p->n.wakeups));
	add(n, "uevents", json_object_new_uint64(p->n.uevents));
	add(n, "uevents_dropped", json_object_new_uint64(p->n.dropped));
	add(n, "snapshots", json_object_new_uint64(p->n.snapshots));
	add(n, "battery_reads", json_object_new_uint64(p->n.battery_reads));
	add(n, "alsa_looks", json_object_new_uint64(p->n.alsa_looks));
	add(n, "resyncs", json_object_new_uint64(p->n.resyncs));
	add(n, "reader_looks", json_object_new_uint64(p->n.reader_looks));
	add(n, "snapshot_us", json_object_new_uint64(p->n.snapshot_us));
	add(n, "plan_us", json_object_new_uint64(p->n.plan_us));
	add(n, "apply_us", json_object_new_uint64(p->n.apply_us));
	add(n, "receive_us", json_object_new_uint64(p->n.receive_us));
	add(n, "netlink_overflows", json_object_new_uint64(p->n.overflows));
	add(n, "seqnum_gaps", json_object_new_uint64(p->n.seqnum_gaps));
	add(n, "journal_records_held", json_object_new_uint64(p->n.journal_held));
	add(n, "history_errors", json_object_new_uint64(p->n.history_errors));
	add(n, "policy_writes", json_object_new_uint64(p->n.policy_writes));
	add(n, "policy_write_errors", json_object_new_uint64(p->n.policy_write_errors));
	add(o, "counters", n);
	return o;
}

char *report_json(const struct published *pub)
{
	struct json_object *root = json_object_new_object(), *o, *a;
	const struct public_state *p = &pub->props;
	const struct evidence *e = pub->evid;
	const struct history *h = pub->hist;
	struct session_record rec;
	struct wall_time w;
	char *text;
	size_t i;
	int f, k;

	wall_time_now(&w);
	add(root, "report_time", json_object_new_int64(w.s));
	add(root, "wall_clock_synced", json_object_new_boolean(w.synced));
	add(root, "agent", agent_json(pub));

	o = json_object_new_object();
	add(o, "state", json_object_new_string(p->state));
	add(o, "online", json_object_new_boolean(p->online));
	add(o, "source_kind", json_object_new_string(p->source_kind));
	add(o, "health", json_object_new_string(p->health));
	add(o, "capacity", p->capacity < 0 ? NULL : json_object_new_int(p->capacity));
	add(o, "in_use", json_object_new_boolean(p->in_use));
	add(o, "session", json_object_new_uint64(p->session));
	add(o, "paused", json_object_new_string(p->paused));
	add(o, "thermal_band", json_object_new_string(p->thermal_band));
	add(o, "charge_current_percent", json_object_new_int64(p->charge_percent));
	add(o, "charger", supply_json(&pub->snap->charger));
	add(o, "battery", supply_json(&pub->snap->battery));
	add(root, "state", o);

	o = json_object_new_object();
	add(o, "active", faults_json(p->active_faults));
	add(o, "last", p->last_fault[0] ? json_object_new_string(p->last_fault) : NULL);
	a = json_object_new_object();
	for (f = 0; f < FAULT__COUNT; f++)
		add(a, fault_code(f), json_object_new_uint64(pub->n.faults[f]));
	add(o, "raised_since_start", a);
	add(root, "faults", o);

	/* the diagnosis as chargerctl diagnose gives it */
	a = json_object_new_array();
	for (k = 0; k < pub->nasked; k++) {
		const struct diagnosis *g = &pub->asked[k];

		o = json_object_new_object();
		add(o, "code", json_object_new_string(cause_code(g->cause)));
		add(o, "severity", json_object_new_string(severity_name(g->severity)));
		add(o, "evidence", json_object_new_string(g->evidence));
		json_object_array_add(a, o);
	}
	add(root, "diagnosis", a);
	o = json_object_new_object();
	add(o, "bounces", json_object_new_int64(e->bounces));
	add(o, "load_test_sag_mohm", e->have_sag ? json_object_new_int64(e->sag_mohm) : NULL);
	add(o, "load_test_vbus_unloaded_uv", e->have_sag ?
	    json_object_new_int64(e->vbus_unloaded_uv) : NULL);
	add(o, "load_test_vbus_loaded_uv", e->have_sag ?
	    json_object_new_int64(e->vbus_loaded_uv) : NULL);
	add(o, "load_test_iin_ua", e->have_sag ? json_object_new_int64(e->iin_ua) : NULL);
	add(o, "session_faults", faults_json(e->session_faults));
	add(root, "evidence", o);

	a = json_object_new_array();
	if (pub->sess->active) {
		session_dated(pub->sess, &w, &rec);
		json_object_array_add(a, session_json(&rec, w.synced));
	}
	for (i = h ? h->n : 0; i > 0 && json_object_array_length(a) < REPORT_SESSIONS; i--)
		json_object_array_add(a, session_json(&h->recs[i - 1], w.synced));
	add(root, "sessions", a);

	o = json_object_new_object();
	add(o, "available", json_object_new_boolean(h != NULL));
	add(o, "stored", json_object_new_uint64(h ? h->n : 0));
	add(o, "torn_tail_bytes_dropped", json_object_new_uint64(h ? h->torn : 0));
	add(o, "corrupt_records_skipped", json_object_new_uint64(h ? h->corrupt : 0));
	/* the unreadable file as it was found, kept in the state directory */
	add(o, "kept_aside", json_object_new_string(h ? h->kept : ""));
	add(root, "history", o);

	text = strdup(json_object_to_json_string_ext(root, JSON_PRETTY));
	json_object_put(root);
	return text;
}
