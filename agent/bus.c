// SPDX-License-Identifier: GPL-2.0
/*
 * org.chargerd.Charger1 on the system bus: the state as properties (with
 * PropertiesChanged), the history and the support report as methods, the
 * in-use setters, and signals for faults and finished sessions.
 *
 * Who may do what is the D-Bus policy's job (org.chargerd.Charger1.conf:
 * everyone reads, root and the chargerd group set). The setters check the
 * caller again, so that a bus without that policy file is no hole.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "bus.h"
#include "chargerd.h"
#include "cleanup.h"
#include "clock.h"
#include "holds.h"
#include "report.h"

/* the group whose members may hold "in use" (SetInUse) besides chargerd's */
#define IN_USE_HOLD_GROUP	"audio"

#define PUB(f)	(offsetof(struct published, props) + offsetof(struct public_state, f))
#define COUNTER(f)	offsetof(struct published, n.f)
#define EMITS	SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE

static int get_str(sd_bus *bus, const char *path,
		   const char *iface, const char *prop,
		   sd_bus_message *reply, void *field, sd_bus_error *err)
{
	return sd_bus_message_append_basic(reply, 's', field);
}

/* A bit mask of faults, as the list of their codes (in code order). */
static int append_codes(sd_bus_message *reply, uint32_t mask)
{
	int i, r;

	r = sd_bus_message_open_container(reply, 'a', "s");
	for_each_fault(i, mask) {
		r = sd_bus_message_append_basic(reply, 's', fault_code(i));
		if (r < 0)
			break;
	}
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int get_faults(sd_bus *bus, const char *path,
		      const char *iface, const char *prop,
		      sd_bus_message *reply, void *field, sd_bus_error *err)
{
	return append_codes(reply, *(uint32_t *)field);
}

/* Diagnoses: the causes found now, ranked (struct cause_list), as their codes. */
static int get_causes(sd_bus *bus, const char *path,
		      const char *iface, const char *prop,
		      sd_bus_message *reply, void *field, sd_bus_error *err)
{
	const struct cause_list *l = field;
	int r;
	uint8_t i;

	r = sd_bus_message_open_container(reply, 'a', "s");
	for (i = 0; r >= 0 && i < l->n; i++)
		r = sd_bus_message_append_basic(reply, 's', cause_code(l->cause[i]));
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int get_counter(sd_bus *bus, const char *path,
		       const char *iface, const char *prop,
		       sd_bus_message *reply, void *field, sd_bus_error *err)
{
	return sd_bus_message_append(reply, "t", *(uint64_t *)field);
}

/*
 * The caller is root, chargerd itself, or in the chargerd group, or in
 * group also (a gid, or (gid_t)-1 for none). (Methods are
 * SD_BUS_VTABLE_UNPRIVILEGED: sd-bus would otherwise demand CAP_SYS_ADMIN
 * of every caller, readers and the chargerd group included.)
 */
static bool in_group(const gid_t *gids, int n, gid_t gid, gid_t also)
{
	int i;

	for (i = 0; i < n; i++)
		if (gids[i] == gid || gids[i] == also)
			return true;
	return false;
}

static int may_call(sd_bus_message *m, gid_t also, const char *who, sd_bus_error *err)
{
	sd_bus_creds *c = NULL;
	const gid_t *gids;
	gid_t list[64], gid;
	struct passwd *pw;
	int n = 64;
	bool ok = false;
	uid_t uid;

	if (sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID | SD_BUS_CREDS_EGID |
				      SD_BUS_CREDS_SUPPLEMENTARY_GIDS | SD_BUS_CREDS_AUGMENT,
				      &c) >= 0 &&
	    sd_bus_creds_get_euid(c, &uid) >= 0) {
		ok = uid == 0 || uid == geteuid();
		if (!ok && sd_bus_creds_get_egid(c, &gid) >= 0)
			ok = in_group(&gid, 1, getegid(), also);
		if (!ok) {
			/* the bus may not pass the groups; then the user database */
			n = sd_bus_creds_get_supplementary_gids(c, &gids);
			if (n >= 0) {
				ok = in_group(gids, n, getegid(), also);
			} else if ((pw = getpwuid(uid))) {
				n = 64;
				if (getgrouplist(pw->pw_name, pw->pw_gid, list, &n) >= 0)
					ok = in_group(list, n, getegid(), also);
			}
		}
	}
	sd_bus_creds_unref(c);
	if (ok)
		return 0;
	return sd_bus_error_setf(err, SD_BUS_ERROR_ACCESS_DENIED, "%s needs %s",
				 sd_bus_message_get_member(m), who);
}

/* The settings (mode, thresholds): root or the chargerd group. */
static int may_set(sd_bus_message *m, sd_bus_error *err)
{
	return may_call(m, (gid_t)-1, "root or the chargerd group", err);
}

/*
 * A hold (SetInUse): also the audio group, whose members play audio (the
 * user's PipeWire, a player run by a system service): they say "in use"
 * for as long as they are, and cannot change the product's settings.
 */
static int may_hold(sd_bus_message *m, sd_bus_error *err)
{
	struct group *gr = getgrnam(IN_USE_HOLD_GROUP);

	return may_call(m, gr ? gr->gr_gid : (gid_t)-1,
			"root, the chargerd group or the " IN_USE_HOLD_GROUP " group", err);
}

/* the holds' file in the runtime directory (holds.h) */
#define HOLDS_FILE	"holds"

/*
 * The holds as they are now into the runtime directory, for the next
 * chargerd to adopt (holds_adopt()); no holds, or no bus id to give
 * them: no file. When the file cannot be written, no file either (a
 * stale one would give back holds let go since) and the journal says
 * so: a restart would then drop them.
 */
static void holds_save(struct published *p)
{
	char text[HOLDS_TEXT_MAX];
	struct hold_record r[IN_USE_HOLDS_MAX];
	unsigned int i, n = 0;
	int k;

	/* no bus id (sd_bus_get_bus_id() failed): nothing a restart could adopt */
	for (i = 0; p->bus_id[0] && i < IN_USE_HOLDS_MAX; i++) {
		if (!p->holds[i].track)
			continue;
		memcpy(r[n].name, p->holds[i].name, sizeof(r[n].name));
		r[n].uid = p->holds[i].uid;
		memcpy(r[n].who, p->holds[i].who, sizeof(r[n].who));
		n++;
	}
	k = holds_format(p->bus_id, r, n, text, sizeof(text));
	if (k >= 0)
		k = runtime_put(p->holds_dirfd, HOLDS_FILE, text);
	if (k < 0) {
		agent_error("saving the in-use holds (a restart of chargerd would drop them)", -k);
		runtime_put(p->holds_dirfd, HOLDS_FILE, "");
	}
}

/* The number of holds into nholds, and into the runtime directory. */
static void holds_count(struct published *p)
{
	unsigned int i;

	p->nholds = 0;
	for (i = 0; i < IN_USE_HOLDS_MAX; i++)
		p->nholds += p->holds[i].track != NULL;
	holds_save(p);
}

/* The holds changed: tell the manager (it resyncs) and the bus's clients. */
static void holds_changed(sd_bus *bus, struct published *p)
{
	holds_count(p);
	p->ops->in_use_holds_changed(p->mgr);
	sd_bus_emit_properties_changed(bus, BUS_PATH, BUS_IFACE, "InUseHeldBy", NULL);
}

static void hold_free(struct in_use_hold *h)
{
	h->track = sd_bus_track_unref(h->track);
	h->uid = (uid_t)-1;
	h->name[0] = '\0';
	h->who[0] = '\0';
}

/*
 * A holder left the bus (it exited or crashed): its hold goes with it.
 * sd-bus also calls this for every hold when chargerd's own connection
 * closes (it was dropped: chargerd exits, systemd starts it again). The
 * holders have not left then: their holds stay in force and in the file
 * for the next chargerd (on a bus restarted, it finds another bus id).
 */
static int on_holder_gone(sd_bus_track *track, void *data)
{
	struct published *p = data;
	sd_bus *bus = sd_bus_track_get_bus(track);
	unsigned int i;

	if (sd_bus_is_open(bus) <= 0)
		return 0;
	for (i = 0; i < IN_USE_HOLDS_MAX; i++)
		if (p->holds[i].track == track)
			hold_free(&p->holds[i]);
	holds_changed(bus, p);
	return 0;
}

/* The sender's hold, or NULL. */
static struct in_use_hold *hold_of(struct published *p, sd_bus_message *m)
{
	const char *sender = sd_bus_message_get_sender(m);
	unsigned int i;

	for (i = 0; sender && i < IN_USE_HOLDS_MAX; i++)
		if (p->holds[i].track && sd_bus_track_contains(p->holds[i].track, sender))
			return &p->holds[i];
	return NULL;
}

/*
 * A free place for a new hold of the user uid, or NULL after setting err
 * (LimitsExceeded): IN_USE_HOLDS_PER_USER of uid's already, or no place
 * left (published.h).
 */
static struct in_use_hold *hold_place(struct published *p, uid_t uid, sd_bus_error *err)
{
	struct in_use_hold *free_place = NULL;
	unsigned int i, mine = 0;

	for (i = 0; i < IN_USE_HOLDS_MAX; i++) {
		if (!p->holds[i].track) {
			if (!free_place)
				free_place = &p->holds[i];
		} else if (p->holds[i].uid == uid) {
			mine++;
		}
	}
	if (mine >= IN_USE_HOLDS_PER_USER) {
		sd_bus_error_setf(err, SD_BUS_ERROR_LIMITS_EXCEEDED,
				  "at most %d connections of one user may hold in use at once",
				  IN_USE_HOLDS_PER_USER);
		return NULL;
	}
	if (!free_place)
		sd_bus_error_setf(err, SD_BUS_ERROR_LIMITS_EXCEEDED,
				  "at most %d connections may hold in use at once",
				  IN_USE_HOLDS_MAX);
	return free_place;
}

/*
 * SetInUse(b): the caller holds "in use" (true) until it lets go (false)
 * or leaves the bus; in auto mode any hold makes the device in use. The
 * persistent setting is SetInUseMode. Letting go asks no permission: it
 * touches only the caller's own hold, granted when taken, and a client
 * that lets go as it exits (chargerctl hold) is gone by the time its
 * credentials would be asked of the bus.
 */
static int set_in_use(sd_bus_message *m, void *data, sd_bus_error *err)
{
	struct published *p = data;
	sd_bus *bus = sd_bus_message_get_bus(m);
	struct in_use_hold *h;
	sd_bus_creds *c = NULL;
	const char *comm = NULL;
	struct passwd *pw;
	uid_t uid = (uid_t)-1;
	pid_t pid = 0;
	int on, r;

	r = sd_bus_message_read(m, "b", &on);
	if (r < 0)
		return r;
	if (on) {
		r = may_hold(m, err);
		if (r < 0)
			return r;
	}
	h = hold_of(p, m);
	if (!on && h) {
		hold_free(h);
		holds_changed(bus, p);
	} else if (on && !h) {
		/* the bus gives pid and uid; the name needs /proc (ProtectProc= may hide it) */
		if (sd_bus_query_sender_creds(m, SD_BUS_CREDS_COMM | SD_BUS_CREDS_PID |
					      SD_BUS_CREDS_EUID | SD_BUS_CREDS_AUGMENT, &c) >= 0) {
			sd_bus_creds_get_comm(c, &comm);
			sd_bus_creds_get_pid(c, &pid);
			sd_bus_creds_get_euid(c, &uid);
		}
		h = hold_place(p, uid, err);
		if (!h) {
			sd_bus_creds_unref(c);
			return -sd_bus_error_get_errno(err);
		}
		r = sd_bus_track_new(bus, &h->track, on_holder_gone, p);
		if (r >= 0)
			r = sd_bus_track_add_sender(h->track, m);
		if (r < 0) {
			hold_free(h);
			sd_bus_creds_unref(c);
			return r;
		}
		h->uid = uid;
		snprintf(h->name, sizeof(h->name), "%s", sd_bus_message_get_sender(m) ?: "");
		/* another user's process is hidden from chargerd (ProtectProc=): its user then */
		if (comm)
			snprintf(h->who, sizeof(h->who), "%s[%d]", comm, (int)pid);
		else if ((pw = getpwuid(uid)))
			snprintf(h->who, sizeof(h->who), "pid %d of user %s", (int)pid, pw->pw_name);
		else
			snprintf(h->who, sizeof(h->who), "pid %d of uid %d", (int)pid, (int)uid);
		pub_printable(h->who);
		sd_bus_creds_unref(c);
		holds_changed(bus, p);
	}
	return sd_bus_reply_method_return(m, NULL);
}

static int get_holds(sd_bus *bus, const char *path, const char *iface, const char *prop,
		     sd_bus_message *reply, void *data, sd_bus_error *err)
{
	struct published *p = data;
	unsigned int i;
	int r;

	r = sd_bus_message_open_container(reply, 'a', "s");
	for (i = 0; r >= 0 && i < IN_USE_HOLDS_MAX; i++)
		if (p->holds[i].track)
			r = sd_bus_message_append_basic(reply, 's', p->holds[i].who);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* A setter whose setting could not be saved (r: -errno): IOError, nothing changed. */
static int settings_not_saved(sd_bus_error *err, int r)
{
	return sd_bus_error_setf(err, SD_BUS_ERROR_IO_ERROR,
				 "the setting could not be saved (%s), so nothing changed: "
				 "chargerd's state directory must be there and writable",
				 strerror(-r));
}

static int set_in_use_mode(sd_bus_message *m, void *data, sd_bus_error *err)
{
	struct published *p = data;
	const char *mode;
	unsigned int i;
	int r;

	r = may_set(m, err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "s", &mode);
	if (r < 0)
		return r;
	for (i = 0; i < 3; i++)
		if (!strcmp(mode, in_use_mode_names[i]))
			break;
	if (i == 3)
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "in-use mode '%.32s' is not auto, on or off", mode);
	r = p->ops->set_in_use_mode(p->mgr, i);
	if (r < 0)
		return settings_not_saved(err, r);
	return sd_bus_reply_method_return(m, NULL);
}

/*
 * PrepareForSleep(b before) and PrepareForSleepAction(b before, s action):
 * systemd-sleep's hook says the system sleeps next (true) or woke
 * (false), and of what kind the sleep is (its second argument: "suspend",
 * "hibernate", "hybrid-sleep", "suspend-then-hibernate"; "suspend" for
 * the first method, which hooks older than the second call); the reply
 * comes once chargerd has acted (manager_ops' prepare_for_sleep). Root or
 * the chargerd group, as the settings: the hook runs as root.
 */
static int prepare_for_sleep(sd_bus_message *m, void *data, sd_bus_error *err)
{
	struct published *p = data;
	const char *action = "suspend";
	int before, r;

	r = may_set(m, err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "b", &before);
	if (r < 0)
		return r;
	if (sd_bus_message_has_signature(m, "bs")) {
		r = sd_bus_message_read(m, "s", &action);
		if (r < 0)
			return r;
		if (!action[0] || strlen(action) > 64)
			return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
						 "the sleep's kind must be systemd-sleep's name for it (suspend, hibernate, hybrid-sleep, suspend-then-hibernate)");
	}
	p->ops->prepare_for_sleep(p->mgr, before, action);
	return sd_bus_reply_method_return(m, NULL);
}

static int set_in_use_thresholds(sd_bus_message *m, void *data, sd_bus_error *err)
{
	unsigned long stop_min, stop_max, resume_min, resume_max;
	struct published *p = data;
	uint32_t stop, resume;
	int r;

	r = may_set(m, err);
	if (r < 0)
		return r;
	r = sd_bus_message_read(m, "uu", &stop, &resume);
	if (r < 0)
		return r;
	/* the same limits as the config file's (config.c's key table) */
	if (config_range("in-use", "stop_percent", &stop_min, &stop_max) ||
	    config_range("in-use", "resume_percent", &resume_min, &resume_max))
		return -EINVAL;
	if (stop < stop_min || stop > stop_max || resume < resume_min || resume > resume_max ||
	    resume >= stop)
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "thresholds stop %u%%, resume %u%%: need %lu <= stop <= %lu and %lu <= resume < stop",
					 stop, resume, stop_min, stop_max, resume_min);
	r = p->ops->set_in_use_thresholds(p->mgr, stop, resume);
	if (r < 0)
		return settings_not_saved(err, r);
	return sd_bus_reply_method_return(m, NULL);
}

/* start is 0 unless it is a time (history_start_known()) */
static int append_session(sd_bus_message *reply, const struct session_record *s, bool synced)
{
	int r;

	r = sd_bus_message_open_container(reply, 'r', "txuuuuiiiasubsss");
	if (r >= 0)
		r = sd_bus_message_append(reply, "txuuuuiii", s->id,
					  history_start_known(s, synced) ? s->start : (int64_t)0,
					  s->duration_s,
					  s->energy_mwh, s->charge_mah, s->peak_ma,
					  s->start_capacity, s->end_capacity, s->max_temp_dc);
	if (r >= 0)
		r = append_codes(reply, s->faults);
	if (r >= 0)
		r = sd_bus_message_append(reply, "ubsss", s->fault_events, (int)s->reached_full,
					  s->source, s->usb_type,
					  s->end_reason[0] ? s->end_reason : "in-progress");
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* Newest first; at most max (0: all), the one in progress first of all. */
static int get_history(sd_bus_message *m, void *data, sd_bus_error *err)
{
	const struct published *p = data;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	struct session_record rec;
	struct wall_time w;
	uint32_t max, n = 0;
	size_t i;
	int r;

	r = sd_bus_message_read(m, "u", &max);
	if (r < 0)
		return r;
	wall_time_now(&w);
	r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "(txuuuuiiiasubsss)");
	if (r >= 0 && p->sess->active && (!max || n++ < max)) {
		session_dated(p->sess, &w, &rec);
		r = append_session(reply, &rec, w.synced);
	}
	for (i = p->hist ? p->hist->n : 0; r >= 0 && i > 0 && (!max || n++ < max); i--)
		r = append_session(reply, &p->hist->recs[i - 1], w.synced);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	return r;
}

static int get_report(sd_bus_message *m, void *data, sd_bus_error *err)
{
	char *json = report_json(data);
	int r;

	if (!json)
		return sd_bus_error_set_errno(err, ENOMEM);
	r = sd_bus_reply_method_return(m, "s", json);
	free(json);
	return r;
}

/* The likely causes now, ranked; while unplugged "no power" is one of them. */
static int diagnose_method(sd_bus_message *m, void *data, sd_bus_error *err)
{
	const struct published *p = data;
	const struct diagnosis *g = p->asked;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	int i, r;

	r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "(sssss)");
	for (i = 0; r >= 0 && i < p->nasked; i++)
		r = sd_bus_message_append(reply, "(sssss)", cause_code(g[i].cause),
					  severity_name(g[i].severity), diagnosis_summary(&g[i]),
					  g[i].evidence, diagnosis_fix(&g[i]));
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	return r;
}

static int get_plot(sd_bus_message *m, void *data, sd_bus_error *err)
{
	const struct published *p = data;
	uint64_t id;
	char *svg;
	int r, e;

	r = sd_bus_message_read(m, "t", &id);
	if (r < 0)
		return r;
	svg = p->ops->plot(p->mgr, id, &e);
	if (!svg && e == ESRCH && !id)
		return sd_bus_error_set(err, SD_BUS_ERROR_FILE_NOT_FOUND,
					"no charge session yet: nothing to plot");
	if (!svg && e == ESRCH)
		return sd_bus_error_setf(err, SD_BUS_ERROR_FILE_NOT_FOUND,
					 "no session %llu in the history", (unsigned long long)id);
	if (!svg && e == ENOENT && !id)
		return sd_bus_error_setf(err, SD_BUS_ERROR_FILE_NOT_FOUND,
					 "no samples kept for the last session");
	if (!svg && e == ENOENT)
		return sd_bus_error_setf(err, SD_BUS_ERROR_FILE_NOT_FOUND,
					 "no samples kept for session %llu (those of the last %d sessions are)",
					 (unsigned long long)id, PLOT_SESSIONS);
	if (!svg)
		return sd_bus_error_setf(err, SD_BUS_ERROR_FAILED,
					 "the samples of %s cannot be read: %s",
					 id ? "that session" : "the last session", strerror(e));
	r = sd_bus_reply_method_return(m, "s", svg);
	free(svg);
	return r;
}

static const sd_bus_vtable vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("State", "s", get_str, PUB(state), EMITS),
	SD_BUS_PROPERTY("Online", "b", NULL, PUB(online), EMITS),
	SD_BUS_PROPERTY("SourceKind", "s", get_str, PUB(source_kind), EMITS),
	SD_BUS_PROPERTY("UsbType", "s", get_str, PUB(usb_type), EMITS),
	SD_BUS_PROPERTY("Health", "s", get_str, PUB(health), EMITS),
	SD_BUS_PROPERTY("Capacity", "i", NULL, PUB(capacity), EMITS),
	SD_BUS_PROPERTY("Temperature", "i", NULL, PUB(temperature), EMITS),
	SD_BUS_PROPERTY("ChargeCurrent", "x", NULL, PUB(charge_current), EMITS),
	SD_BUS_PROPERTY("BatteryVoltage", "x", NULL, PUB(battery_voltage), EMITS),
	SD_BUS_PROPERTY("InputVoltage", "x", NULL, PUB(input_voltage), EMITS),
	SD_BUS_PROPERTY("ChargeCurrentLimit", "x", NULL, PUB(charge_current_limit), EMITS),
	SD_BUS_PROPERTY("ChargeCurrentMax", "x", NULL, PUB(charge_current_max), EMITS),
	SD_BUS_PROPERTY("ChargeVoltageLimit", "x", NULL, PUB(charge_voltage_limit), EMITS),
	SD_BUS_PROPERTY("InputCurrentLimit", "x", NULL, PUB(input_current_limit), EMITS),
	SD_BUS_PROPERTY("InputVoltageLimit", "x", NULL, PUB(input_voltage_limit), EMITS),
	SD_BUS_PROPERTY("InputLimitsWritten", "s", get_str, PUB(input_limits_written), EMITS),
	SD_BUS_PROPERTY("ChargeBehaviour", "s", get_str, PUB(charge_behaviour), EMITS),
	SD_BUS_PROPERTY("InUse", "b", NULL, PUB(in_use), EMITS),
	SD_BUS_PROPERTY("InUseLingers", "b", NULL, PUB(in_use_lingers), EMITS),
	SD_BUS_PROPERTY("InUseMode", "s", get_str, PUB(in_use_mode), EMITS),
	/* announced by holds_changed(), not bus_publish(): not in public_state */
	SD_BUS_PROPERTY("InUseHeldBy", "as", get_holds, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
	SD_BUS_PROPERTY("InUseStopPercent", "u", NULL, PUB(in_use_stop), EMITS),
	SD_BUS_PROPERTY("InUseResumePercent", "u", NULL, PUB(in_use_resume), EMITS),
	SD_BUS_PROPERTY("Paused", "s", get_str, PUB(paused), EMITS),
	SD_BUS_PROPERTY("ThermalBand", "s", get_str, PUB(thermal_band), EMITS),
	SD_BUS_PROPERTY("ChargeCurrentPercent", "u", NULL, PUB(charge_percent), EMITS),
	SD_BUS_PROPERTY("LastFault", "s", get_str, PUB(last_fault), EMITS),
	SD_BUS_PROPERTY("ActiveFaults", "as", get_faults, PUB(active_faults), EMITS),
	SD_BUS_PROPERTY("Diagnoses", "as", get_causes, PUB(diagnoses), EMITS),
	SD_BUS_PROPERTY("Led", "s", get_str, PUB(led), EMITS),
	SD_BUS_PROPERTY("Session", "t", NULL, PUB(session), EMITS),
	SD_BUS_PROPERTY("Charger", "s", get_str, PUB(charger), EMITS),
	SD_BUS_PROPERTY("Battery", "s", get_str, PUB(battery), EMITS),
	/* counters: read on demand, no signal for each change */
	SD_BUS_PROPERTY("Wakeups", "t", get_counter, COUNTER(wakeups), 0),
	SD_BUS_PROPERTY("Uevents", "t", get_counter, COUNTER(uevents), 0),
	SD_BUS_PROPERTY("Overflows", "t", get_counter, COUNTER(overflows), 0),
	SD_BUS_METHOD_WITH_NAMES("GetHistory", "u", SD_BUS_PARAM(max),
				 "a(txuuuuiiiasubsss)", SD_BUS_PARAM(sessions), get_history, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("Diagnose", "", , "a(sssss)",
				 SD_BUS_PARAM(causes), diagnose_method, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("GetPlot", "t", SD_BUS_PARAM(session), "s", SD_BUS_PARAM(svg),
				 get_plot, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("GetReport", "", , "s", SD_BUS_PARAM(json), get_report, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("SetInUse", "b", SD_BUS_PARAM(in_use), "", , set_in_use, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("SetInUseMode", "s", SD_BUS_PARAM(mode), "", , set_in_use_mode, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("SetInUseThresholds", "uu",
				 SD_BUS_PARAM(stop_percent) SD_BUS_PARAM(resume_percent), "", ,
				 set_in_use_thresholds, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("PrepareForSleep", "b", SD_BUS_PARAM(before), "", ,
				 prepare_for_sleep, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("PrepareForSleepAction", "bs",
				 SD_BUS_PARAM(before) SD_BUS_PARAM(action), "", ,
				 prepare_for_sleep, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_SIGNAL_WITH_NAMES("FaultRaised", "sstb",
				 SD_BUS_PARAM(code) SD_BUS_PARAM(message) SD_BUS_PARAM(session)
				 SD_BUS_PARAM(transient), 0),
	SD_BUS_SIGNAL_WITH_NAMES("Diagnosis", "sssss",
				 SD_BUS_PARAM(code) SD_BUS_PARAM(severity) SD_BUS_PARAM(summary)
				 SD_BUS_PARAM(evidence) SD_BUS_PARAM(fix), 0),
	SD_BUS_SIGNAL_WITH_NAMES("FaultCleared", "st", SD_BUS_PARAM(code) SD_BUS_PARAM(session), 0),
	SD_BUS_SIGNAL_WITH_NAMES("SessionEnded", "tsuuu",
				 SD_BUS_PARAM(id) SD_BUS_PARAM(end_reason) SD_BUS_PARAM(duration_s)
				 SD_BUS_PARAM(energy_mwh) SD_BUS_PARAM(charge_mah), 0),
	SD_BUS_VTABLE_END
};

/* Field size of a property, from its signature and getter (see struct public_state). */
static size_t field_size(const sd_bus_vtable *v)
{
	const char *sig = v->x.property.signature;

	if (v->x.property.get == get_causes)
		return sizeof(struct cause_list);
	switch (sig[0]) {
	case 's':
		return PUB_STR;
	case 'x':
	case 't':
		return 8;
	default:
		return 4;	/* b (int), i, u, and ActiveFaults' "as" (a mask) */
	}
}

void bus_publish(struct bus *b)
{
	const char *names[sizeof(vtable) / sizeof(vtable[0])];
	const struct public_state *now = &b->pub->props;
	const sd_bus_vtable *v;
	size_t n = 0, off;

	for (v = vtable; v->type != _SD_BUS_VTABLE_END; v++) {
		if (v->type != _SD_BUS_VTABLE_PROPERTY || !(v->flags & EMITS))
			continue;
		off = v->x.property.offset - offsetof(struct published, props);
		if (pub_field_differs((const char *)now + off, (const char *)&b->sent + off,
				      v->x.property.signature, field_size(v)))
			names[n++] = v->x.property.member;
	}
	if (!n || !b->bus) {
		b->sent = *now;
		return;
	}
	names[n] = NULL;
	/*
	 * sent only once sent: a failed emission (no memory, a full queue) is
	 * tried again at the next publish, not taken as told (helper-84)
	 */
	if (sd_bus_emit_properties_changed_strv(b->bus, BUS_PATH, BUS_IFACE, (char **)names) >= 0)
		b->sent = *now;
}

void bus_fault_raised(struct bus *b, enum fault f, bool transient)
{
	if (b->bus)
		sd_bus_emit_signal(b->bus, BUS_PATH, BUS_IFACE, "FaultRaised", "sstb",
				   fault_code(f), fault_text(f), b->pub->props.session, (int)transient);
}

void bus_fault_cleared(struct bus *b, enum fault f)
{
	if (b->bus)
		sd_bus_emit_signal(b->bus, BUS_PATH, BUS_IFACE, "FaultCleared", "st",
				   fault_code(f), b->pub->props.session);
}

void bus_diagnosis(struct bus *b, const struct diagnosis *g)
{
	if (b->bus)
		sd_bus_emit_signal(b->bus, BUS_PATH, BUS_IFACE, "Diagnosis", "sssss",
				   cause_code(g->cause), severity_name(g->severity),
				   diagnosis_summary(g), g->evidence, diagnosis_fix(g));
}

void bus_session_ended(struct bus *b, const struct session_record *r)
{
	if (b->bus)
		sd_bus_emit_signal(b->bus, BUS_PATH, BUS_IFACE, "SessionEnded", "tsuuu", r->id,
				   r->end_reason, r->duration_s, r->energy_mwh, r->charge_mah);
}

/*
 * The holds the chargerd before this one saved (holds_save()), adopted:
 * each whose connection is still on this bus is tracked from now on as if
 * it had called SetInUse(true) here, within the same limits. Called before
 * the first resync, so that a restart (an upgrade, a crash, the watchdog)
 * never lets charging run past the in-use limit while a player holds. A
 * holder that let go while no chargerd was there to hear it is adopted
 * too, until it lets go again or leaves the bus: the safe side (the lower
 * limit), and shown in InUseHeldBy. The file is rewritten with what was
 * adopted.
 */
static void holds_adopt(sd_bus *bus, struct published *p)
{
	char text[HOLDS_TEXT_MAX];
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	struct hold_record r[IN_USE_HOLDS_MAX];
	struct in_use_hold *h;
	size_t n, i;
	int k;

	if (runtime_read(p->holds_dirfd, HOLDS_FILE, text, sizeof(text)))
		return;
	n = holds_parse(text, p->bus_id, r, IN_USE_HOLDS_MAX);
	for (i = 0; i < n; i++) {
		h = hold_place(p, r[i].uid, &e);
		sd_bus_error_free(&e);
		if (!h)
			continue;
		/*
		 * sd_bus_track_add_name() subscribes to the name's owner
		 * changes, then asks the bus for its owner and fails (-ENXIO)
		 * if it has none: a holder gone before is not adopted, one
		 * that leaves after the answer is seen leaving
		 */
		k = sd_bus_track_new(bus, &h->track, on_holder_gone, p);
		if (k >= 0)
			k = sd_bus_track_add_name(h->track, r[i].name);
		if (k < 0) {
			hold_free(h);
			continue;
		}
		h->uid = r[i].uid;
		memcpy(h->name, r[i].name, sizeof(h->name));
		memcpy(h->who, r[i].who, sizeof(h->who));
		sd_journal_print(LOG_DEBUG,
				 "chargerd: in-use hold of %s (%s) kept from before the restart",
				 h->who, h->name);
	}
	holds_count(p);
}

/*
 * Every message, before its dispatch: a call that reads the state (the
 * properties, Diagnose, GetReport, GetHistory) has the manager look again first if
 * what it published is old (manager_ops.about_to_be_read). 0: the message
 * goes on to its handler.
 */
static int on_incoming(sd_bus_message *m, void *data, sd_bus_error *err)
{
	struct published *p = data;
	const char *path = sd_bus_message_get_path(m);

	if (!path || strcmp(path, BUS_PATH))
		return 0;
	if (sd_bus_message_is_method_call(m, "org.freedesktop.DBus.Properties", "GetAll") ||
	    sd_bus_message_is_method_call(m, "org.freedesktop.DBus.Properties", "Get") ||
	    sd_bus_message_is_method_call(m, BUS_IFACE, "Diagnose") ||
	    sd_bus_message_is_method_call(m, BUS_IFACE, "GetReport") ||
	    sd_bus_message_is_method_call(m, BUS_IFACE, "GetHistory"))
		p->ops->about_to_be_read(p->mgr);
	return 0;
}

/* Whether name has an owner on bus now (a failed query: not known, taken as no). */
static bool name_owned(sd_bus *bus, const char *name)
{
	_cleanup_(sd_bus_creds_unrefp) sd_bus_creds *c = NULL;

	return sd_bus_get_name_creds(bus, name, 0, &c) >= 0;
}

int bus_setup(struct bus *b, sd_event *ev, struct published *pub, int rundirfd)
{
	sd_id128_t id;
	int r;

	b->pub = pub;
	pub->holds_dirfd = rundirfd;
	pub->bus_id[0] = '\0';
	r = sd_bus_open_system(&b->bus);
	/*
	 * Losing the bus (dbus restarted) ends the event loop; main() logs it
	 * and exits with a failure, and systemd starts chargerd again, which
	 * connects again (through dbus.socket, even while dbus restarts).
	 */
	if (r >= 0)
		r = sd_bus_set_exit_on_disconnect(b->bus, 1);
	if (r >= 0)
		r = sd_bus_add_filter(b->bus, NULL, on_incoming, pub);
	if (r >= 0)
		r = sd_bus_add_object_vtable(b->bus, NULL, BUS_PATH, BUS_IFACE, vtable, pub);
	if (r >= 0) {
		r = sd_bus_request_name(b->bus, BUS_NAME, 0);
		/*
		 * refused, and the name has an owner: another chargerd runs
		 * (one started by hand as root is refused the name by the
		 * bus's policy, not told it is taken: helper-84's ran on
		 * without D-Bus, beside the service)
		 */
		if (r < 0 && r != -EEXIST && name_owned(b->bus, BUS_NAME))
			r = -EEXIST;
	}
	if (r >= 0)
		r = sd_bus_attach_event(b->bus, ev, SD_EVENT_PRIORITY_NORMAL);
	if (r < 0) {
		b->bus = sd_bus_flush_close_unref(b->bus);
		return r;
	}
	/* without the bus's id no hold is adopted, and none saved */
	if (sd_bus_get_bus_id(b->bus, &id) >= 0)
		sd_id128_to_string(id, pub->bus_id);
	holds_adopt(b->bus, pub);
	return 0;
}

void bus_done(struct bus *b)
{
	unsigned int i;

	for (i = 0; b->pub && i < IN_USE_HOLDS_MAX; i++)
		hold_free(&b->pub->holds[i]);
	b->bus = sd_bus_flush_close_unref(b->bus);
}
