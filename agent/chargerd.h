/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chargerd's state (struct daemon), owned by the manager (manager.c) and
 * shared with the files that each handle one concern of it: main.c,
 * journal.c, charger.c, samples.c, bus.c and report.c.
 */
#ifndef CHARGERD_H
#define CHARGERD_H

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "cleanup.h"
#include "config.h"
#include "diagnosis.h"
#include "faults.h"
#include "history.h"
#include "led.h"
#include "plot.h"
#include "policy.h"
#include "ratelimit.h"
#include "session.h"
#include "snapshot.h"

#define CHARGERD_VERSION	"0.5.0"
#define BUS_NAME		"org.chargerd.Charger1"
#define BUS_PATH		"/org/chargerd/Charger1"
#define BUS_IFACE		"org.chargerd.Charger1"
#define SETTINGS_FILE		"settings"	/* in the state directory */

#define PUB_STR		CONFIG_NAME_MAX

/*
 * What D-Bus publishes, derived from the snapshot and the settings. Every
 * field is a property; bus.c compares it with the last published copy to
 * send PropertiesChanged for what changed, and nothing else.
 */
struct public_state {
	char state[PUB_STR];		/* charging, full, discharging, not-charging, ... */
	int online;			/* D-Bus booleans are int */
	char source_kind[PUB_STR];
	char usb_type[PUB_STR];
	char health[PUB_STR];
	int32_t capacity;		/* %, -1 unknown */
	int32_t temperature;		/* deci-degC, INT32_MIN unknown */
	int64_t charge_current;		/* uA into the battery, -1 unknown */
	int64_t battery_voltage;	/* uV */
	int64_t input_voltage;		/* VBUS, uV */
	int64_t charge_current_limit;	/* constant_charge_current */
	int64_t charge_current_max;
	int64_t charge_voltage_limit;	/* constant_charge_voltage */
	int64_t input_current_limit;
	char charge_behaviour[PUB_STR];
	int in_use;
	char in_use_mode[PUB_STR];
	uint32_t in_use_stop;
	uint32_t in_use_resume;
	char paused[PUB_STR];		/* why charging is held: heat, cold, in-use, "" */
	char thermal_band[PUB_STR];
	uint32_t charge_percent;	/* the thermal policy's share of the maximum */
	char last_fault[PUB_STR];
	uint32_t active_faults;		/* as the list ActiveFaults */
	uint32_t diagnoses;		/* as the list Diagnoses (cause codes) */
	char led[PUB_STR];		/* the LED's pattern */
	uint64_t session;		/* the session in progress, 0 = none */
	char charger[PUB_STR], battery[PUB_STR];
};

struct counters {
	uint64_t wakeups;		/* event loop iterations that did something */
	uint64_t uevents;		/* received from the kernel */
	uint64_t dropped;		/* not from the kernel, or malformed */
	uint64_t snapshots;
	uint64_t overflows;		/* netlink ENOBUFS */
	uint64_t seqnum_gaps;
	uint64_t journal_held;		/* records folded into summaries */
	uint64_t history_errors;
	uint64_t policy_writes;		/* sysfs writes by the policies */
	uint64_t policy_write_errors;
	uint64_t faults[FAULT__COUNT];	/* raised since start */
};

struct daemon {
	struct chargerd_config cfg;
	const char *config_path;
	sd_event *ev;
	sd_bus *bus;			/* NULL while D-Bus is unavailable */
	struct nl_sock *nl;
	int classfd, statefd;
	bool have_snap;
	struct snapshot snap;
	struct session sess;
	struct history hist;
	bool have_hist;
	struct ratelimit rl;
	sd_event_source *rl_timer;
	uint64_t last_seqnum;
	bool have_seqnum;
	uint64_t start_usec, last_checkpoint_usec;
	struct counters n;
	struct public_state pub, published;
	bool in_use_detected;		/* auto mode's finding */
	sd_event_source *resync_timer;	/* on external power only */
	sd_event_source *alsa_timer;	/* auto mode, on external power only */
	sd_event_source *settle_timer;	/* a second look after a plug */
	sd_event_source *probe_timer;	/* the end of the load test */
	struct policy_state pol;
	struct policy_result pol_out;
	long long written_ua;		/* the last constant_charge_current written */
	int written_inhibit;		/* the last charge_behaviour written: -1 none */
	struct evidence evid;		/* gathered over time for the diagnosis */
	uint32_t diagnosed;		/* causes found at the last snapshot */
	struct diagnosis diag[CAUSE__COUNT];
	int ndiag;
	bool probe_active, probe_done;	/* the VBUS load test, once per session */
	long long probe_vbus, probe_vbat, probe_ibat;
	int ledsfd;			/* /sys/class/leds, or -1 */
	char led_name[CONFIG_NAME_MAX];
	enum led_pattern led;		/* shown now; LED__COUNT: not yet */
	int samplefd;			/* the session's samples file, or -1 */
	uint32_t last_sample_s;
};

/* manager.c: the state and the pipeline */
uint64_t now_usec(void);		/* CLOCK_BOOTTIME, us */
int64_t realtime_s(void);		/* wall clock, s since the epoch */
int manager_start(struct daemon *d);
void daemon_done(struct daemon *d);	/* frees and closes what d holds; idempotent */
void take_snapshot(struct daemon *d, struct snapshot *s);
void reevaluate(struct daemon *d, const char *why);	/* read everything, apply the policies */
void timer_arm(sd_event_source *timer, uint64_t usec);
void checkpoint(struct daemon *d);
void store_session(struct daemon *d, const struct session_record *r);
int settings_save(struct daemon *d);
int daemon_diagnose(const struct daemon *d, bool asked, struct diagnosis *out);

/* journal.c: every record with a MESSAGE_ID (msgid.h) */
void agent_error(const char *what, int err);
bool journal_allow(struct daemon *d, const char *key, const char *message);
int journal_flush_timer(sd_event_source *src, uint64_t usec, void *data);
void log_plug(struct daemon *d, bool plugged);
void log_session_start(struct daemon *d);
void log_session_end(struct daemon *d, const struct session_record *r);
void log_fault(struct daemon *d, enum fault f, bool raised, bool transient);
void log_thermal(struct daemon *d, const struct policy_result *r);
void log_in_use(struct daemon *d, const struct policy_result *r);
void log_diagnosis(struct daemon *d, const struct diagnosis *g);
void log_load_test(struct daemon *d, long long vbus_loaded_uv, long long vbus_unloaded_uv,
		   long long ibat_ua);
void log_write_error(struct daemon *d, const char *key, const char *what, const char *attr,
		     const char *val, int err);
void log_settings_ignored(const char *err);
void log_history_repaired(unsigned int torn, unsigned int corrupt);

/* charger.c: what chargerd writes to the charger */
bool in_use_now(const struct daemon *d);
void apply_policy(struct daemon *d, bool plugged);
void release_policy(struct daemon *d);
void maybe_load_test(struct daemon *d);
int charger_load_test_done(sd_event_source *src, uint64_t usec, void *data);

/* samples.c: per-session samples and their plot */
void samples_open(struct daemon *d, uint64_t id);
void samples_close(struct daemon *d, uint64_t id);
void sample(struct daemon *d);
void plot_event(struct daemon *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *plot_session(struct daemon *d, uint64_t id, int *err);	/* SVG to free(), or NULL */

/* bus.c */
int bus_setup(struct daemon *d);
void bus_publish(struct daemon *d);	/* PropertiesChanged for what changed */
void bus_fault_raised(struct daemon *d, enum fault f, bool transient);
void bus_fault_cleared(struct daemon *d, enum fault f);
void bus_session_ended(struct daemon *d, const struct session_record *r);
void bus_diagnosis(struct daemon *d, const struct diagnosis *g);
void public_state_update(struct daemon *d);

/* report.c: the support bundle, as a JSON text to free() */
char *report_json(struct daemon *d);
struct json_object *session_json(const struct session_record *r);

#endif
