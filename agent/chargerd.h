/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chargerd's state (struct daemon), owned by the manager (manager.c) and
 * shared with the files that each do one kind of its work: main.c,
 * journal.c, charger.c and samples.c. bus.c and report.c do not see it:
 * they read what the manager published (published.h).
 */
#ifndef CHARGERD_H
#define CHARGERD_H

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-device.h>
#include <systemd/sd-event.h>

#include "bus.h"
#include "cleanup.h"
#include "clock.h"
#include "config.h"
#include "diagnosis.h"
#include "faults.h"
#include "history.h"
#include "led.h"
#include "plot.h"
#include "policy.h"
#include "published.h"
#include "ratelimit.h"
#include "resync.h"
#include "session.h"
#include "snapshot.h"

#define SETTINGS_FILE		"settings"	/* in the state directory */

/* The charger as it was before chargerd wrote to it (charger.c). */
struct charger_baseline {
	char name[CONFIG_NAME_MAX];	/* the charger */
	uint64_t ino;			/* its device directory's inode: 0 none */
	long long ua;			/* its constant_charge_current before chargerd */
	/*
	 * ua when chargerd first read this device since the boot (the
	 * board's, or what was set before chargerd first started; charger.c's
	 * BOARD_FILE): ua lowered below it by another program is a slower
	 * charge the diagnosis names (current-limited)
	 */
	long long first_ua;
	/*
	 * The charger's constant_charge_voltage then (uV; 0 unknown: not
	 * readable, or a BOARD_FILE an older chargerd wrote): one below it
	 * is a lowering the diagnosis names (voltage-limited)
	 */
	long long first_uv;
};

/* Auto in-use mode's watch on ALSA playback (pcm_watch.c). */
struct pcm_watch {
	int fd;				/* inotify, or -1 */
	int wd;				/* the watch on /dev/snd (or /dev), or -1 */
	bool on_dev;			/* wd watches /dev for /dev/snd to appear */
	bool active;			/* wanted: auto mode, on external power */
	bool said_fallback;		/* the journal was told inotify failed */
	int init_errno;			/* why fd is -1 */
	sd_event_source *io;		/* the inotify fd */
	sd_event_source *poll;		/* while a playback PCM is open */
};

#define UNDATED_MAX	32

struct daemon {
	struct chargerd_config cfg;
	const char *config_path;
	const char *state_dir;		/* for the settings file; NULL: none */
	sd_event *ev;
	struct bus bus;			/* bus.bus: NULL while D-Bus is unavailable */
	/* while the first connection failed: tried again after bus_retry_usec */
	sd_event_source *bus_retry;
	uint64_t bus_retry_usec;
	struct nl_sock *nl;
	int classfd, statefd;
	bool have_snap;
	struct snapshot snap;
	/*
	 * The supplies the snapshots read, found once (supplies_find()) and
	 * again after a power_supply add or remove uevent, a lost uevent, or
	 * a snapshot that did not find one of them; their files kept open.
	 */
	bool supplies_known;
	char chg_name[CONFIG_NAME_MAX], bat_name[CONFIG_NAME_MAX];
	struct psy_files chg_files, bat_files;
	struct session sess;
	struct history hist;
	bool have_hist;
	struct ratelimit rl;
	sd_event_source *rl_timer;
	uint64_t last_seqnum;
	bool have_seqnum;
	bool charger_uevent;		/* the charger's own uevent since the last resync */
	bool other_uevent;		/* another supply's, or uevents lost, since then */
	uint64_t bat_read_usec;		/* the battery's files last read (CLOCK_BOOTTIME) */
	uint64_t start_usec, last_checkpoint_usec;
	/*
	 * Since when a write refused for its permissions waits for udev's
	 * grant (manager.c, PERM_GRACE_USEC): chargerd's start, or the
	 * appearance of a charger or LED device after it (a driver bound
	 * again: its files are root's until udev runs the rule).
	 */
	uint64_t perm_grace_usec;
	uint64_t chg_ino;		/* the charger device last seen (inode), 0 none */
	/* the session, the charger's inode and power_good_rises in the session clock saved */
	uint64_t clock_id, clock_ino;
	long long clock_rises;
	long long refused_ua;		/* the highest lower current it refused (charger_set_current()), -1 */
	long long floor_ua;		/* the lowest it takes above that, in its place; -1 none */
	bool pin_missing_said;		/* supplies_pin_missing() journalled, not yet found */
	/*
	 * The charger whose controls chargerd may not write was said
	 * (charger_controls_note()): its name and what it lacks, so that
	 * each is said once (again if it changes)
	 */
	char controls_said_name[CONFIG_NAME_MAX];
	unsigned int controls_said_missing;
	bool stopping;			/* SIGTERM or SIGINT came: a clean exit */
	/* what cfg came from at the start: the file, or (it did not parse) a fallback */
	enum { CONFIG_FROM_FILE, CONFIG_ON_KEPT, CONFIG_ON_DEFAULTS } cfg_fallback;
	struct published pub;		/* what bus.c and report.c see; pub.n: the counters */
	bool in_use_detected;		/* auto mode's finding */
	bool in_use_found;		/* that or a hold, at the last look */
	bool in_use_lingers;		/* found no more, for IN_USE_LINGER_USEC */
	sd_event_source *linger_timer;	/* its end */
	/*
	 * The system is going to sleep (systemd-sleep's hook, PrepareForSleep):
	 * nothing is in use while it sleeps. Ends at the hook's "after", or
	 * ASLEEP_MAX_USEC of CLOCK_MONOTONIC later (it stops while asleep).
	 */
	bool asleep;
	sd_event_source *asleep_timer;
	/*
	 * The sleep's kind may be woken by chargerd's alarm (sleep_alarm_may()):
	 * a suspend, not a suspend-then-hibernate (a wake before its own
	 * alarm ends it awake, with no hibernation) nor a hibernation.
	 */
	bool sleep_alarm_may;
	/*
	 * While asleep with a heat or cold stop (or a band's lower current)
	 * in force on external power, the battery not full: a
	 * CLOCK_BOOTTIME_ALARM timerfd's source (it
	 * owns the fd), which wakes the system, to look at the temperature
	 * again (SLEEP_RECHECK_USEC); NULL otherwise.
	 */
	sd_event_source *sleep_alarm;
	/*
	 * The service manager's watchdog: the unit's timeout (WatchdogSec=,
	 * 0: none) and the one in force (watchdog_update(): shorter while
	 * charging, shortest away from room temperature), us
	 */
	uint64_t watchdog_usec, watchdog_now_usec;
	sd_event_source *resync_timer;	/* on external power only */
	struct pcm_watch pcm;		/* auto mode, on external power only */
	sd_event_source *settle_timer;	/* a second look after a plug */
	sd_event_source *probe_timer;	/* the end of the load test */
	struct policy_state pol;
	struct policy_result pol_out;
	long long written_ua;		/* the last constant_charge_current written */
	int written_inhibit;		/* the last charge_behaviour written: -1 none */
	bool inhibit_refused;		/* the last inhibit-charge write failed (resync.h) */
	bool hand_back_tried;		/* since the unplug, auto written or tried (resync.h) */
	bool stop_tried, ua_tried;	/* since the unplug, a limit refused for good (resync.h) */
	uint64_t inhibit_usec;		/* CLOCK_BOOTTIME of the last inhibit-charge written */
	struct evidence evid;		/* gathered over time for the diagnosis */
	uint32_t diagnosed;		/* causes found at the last snapshot */
	uint32_t unresolved;		/* of them, parts not yet seen working again (resync.h) */
	bool thermal_owed;		/* a new device's band record, after its grant (resync.h) */
	unsigned int seen_saved;	/* evid's battery_seen | charger_seen << 1, as saved */
	uint64_t gone_saved;		/* evid's charger_gone_since_usec as saved; 0 none */
	uint32_t gone_faults;		/* the session's active faults as saved with it */
	/* sess's active_faults and last_fault as saved (faults_save()), if they were */
	char policy_saved[POLICY_STATE_LINE_MAX];	/* pol as saved (policy_save()); "" none */
	bool faults_saved;
	uint32_t faults_saved_active;
	enum fault faults_saved_last;
	struct fault_counters faults_saved_counters;	/* ino 0: none saved */
	bool probe_active, probe_done;	/* the VBUS load test, once per session */
	unsigned int probe_attempts;	/* this session's that gave no valid result */
	long long probe_vbus, probe_vbat, probe_ibat;
	struct status_led led;		/* the status LED and what it shows */
	/*
	 * A write refused for its permissions (udev has not yet run the rule
	 * that opens the attribute to chargerd): udev's processed events of
	 * LEDs and power supplies are watched until every write goes through.
	 */
	sd_device_monitor *udev_mon;
	sd_event_source *perm_timer;	/* the end of the boot's grace */
	unsigned int perm_denied;	/* writes refused in this resync */
	/*
	 * A write refused as not now (write_refusal_passing()): tried again
	 * soon, said only once the refusals last PASSING_GRACE_USEC
	 * (manager.c) from the first, passing_usec (CLOCK_BOOTTIME; 0 none).
	 */
	sd_event_source *retry_timer;
	uint64_t passing_usec;
	unsigned int passing_denied;	/* such refusals in this resync, not said */
	unsigned int passing_said;	/* and said, lasting past the grace */
	int rundirfd;			/* the runtime directory (/run/chargerd), or -1 */
	struct charger_baseline base;	/* the charger as it was before chargerd */
	int samplefd;			/* the session's samples file, or -1 */
	uint32_t last_sample_s;
	uint32_t sample_lines;		/* in the file: thinned at PLOT_FILE_LINES */
	uint32_t sample_every_s;	/* a sample at most this often (doubles at each thinning) */
	sd_event_source *clock_watch;	/* the wall clock being set (clock_watch.c) */
	/*
	 * The clocks of this boot's finished sessions, newest UNDATED_MAX
	 * (runtime.c): a start not a date yet is dated once the wall clock is
	 * synchronised, a date is undated when the clock is set again (the
	 * latest synchronisation dates them all). Past the newest, a session
	 * stays as it is.
	 */
	struct session_clock undated[UNDATED_MAX];
	unsigned int n_undated;
	bool undated_pending;		/* some of them are not dated */
	int64_t wall_offset_us;		/* CLOCK_REALTIME - CLOCK_BOOTTIME when last seen set */
	sd_event_source *clock_log;	/* the step's journal record, a moment later */
	int64_t clock_step_us;		/* the steps it reports, summed */
	bool clock_step_undated;	/* they undated the session in progress */
	unsigned int clock_step_ended;	/* and so many finished ones (undated_step()) */
};

/* manager.c: the state and the pipeline */
int manager_start(struct daemon *d);
void daemon_done(struct daemon *d);	/* frees and closes what d holds; idempotent */
void take_snapshot(struct daemon *d, struct snapshot *s);
void reevaluate(struct daemon *d, const char *why);	/* read everything, apply the policies */
void reload_config(struct daemon *d);	/* SIGHUP: the file again; a broken one changes nothing */
/* Save the session in progress; durable: fsync'd (a stop, a fault) */
void checkpoint(struct daemon *d, bool durable);
/* c: the session's clock, if this boot's (NULL: none) */
void store_session(struct daemon *d, const struct session_record *r,
		   const struct session_clock *c);
bool in_use_now(const struct daemon *d);

/* pcm_watch.c: auto in-use mode's watch on ALSA playback */
int pcm_watch_start(struct daemon *d);		/* 0 or -errno */
/*
 * Watch (want) or stop watching. Starting looks at once and sets
 * d->in_use_detected; stopping clears it. True if the finding changed.
 */
bool pcm_watch_want(struct daemon *d, bool want);
void pcm_watch_done(struct daemon *d);		/* idempotent */

/* uevent_socket.c: the uevent socket */
int uevent_socket_open(struct daemon *d);	/* d->nl; 0 or -errno */
/*
 * Read every uevent waiting. True if one says a power supply changed, or
 * one may have been lost: then a resync is due.
 */
bool uevent_socket_receive(struct daemon *d);

/*
 * manager.c: an unarmed timerfd on clock, watched on d->ev by fn (the
 * source, named name, owns the fd: its unref closes it); *src NULL and
 * -errno on failure. Armed with timerfd_settime() on its io fd.
 */
int timerfd_source_new(struct daemon *d, clockid_t clock, sd_event_source **src,
		       sd_event_io_handler_t fn, const char *name);
/*
 * clock_watch.c: watch the wall clock being set (0 or -errno; chargerd
 * goes on without it, trusting timesyncd's flag alone)
 */
int clock_watch_start(struct daemon *d);
/*
 * At each look: a step not yet handled, then the flag as the look sees it.
 * Returns whether the wall clock is synchronised (wall_clock_synced(), by
 * the same read of the flag).
 */
bool clock_watch_look(struct daemon *d);
/* A step's record still waiting: now (a stop). */
void clock_watch_flush(struct daemon *d);

/* runtime.c: the runtime directory's files (kept across restarts, not reboots) */
int runtime_write(int dirfd, const char *name, const char *line);	/* 0, -errno */
/*
 * TEXT into NAME, or NAME removed when TEXT is "" (gone already: 0);
 * without a runtime directory (dirfd < 0) nothing, and 0. 0, -errno.
 */
int runtime_put(int dirfd, const char *name, const char *text);
int runtime_read(int dirfd, const char *name, char *line, size_t len);	/* 0, -ENOENT, -EINVAL */
void session_clock_save(struct daemon *d);	/* the session in progress's clock */
/* c's id, charger inode and count: what session_clock_save() keeps when it cannot read them */
void session_clock_keep(struct daemon *d, const struct session_clock *c);
int session_clock_load(struct daemon *d, struct session_clock *c);	/* 0, -ENOENT, -EINVAL */
void undated_load(struct daemon *d);
/* r was stored with its clock c: noted, to be dated (again) later */
void undated_note(struct daemon *d, const struct session_record *r, const struct session_clock *c);
/* The clock is synchronised (wall): date the stored sessions noted */
void undated_redate(struct daemon *d, const struct wall_time *wall);
/*
 * The clock was set (a step): the sessions noted that it dated are
 * undated until it is synchronised again. How many were (0 on error, logged).
 */
int undated_step(struct daemon *d);
/* The supplies seen in this boot, across restarts: read at start, saved when they change */
void seen_load(struct daemon *d);
void seen_save(struct daemon *d);
/* When the charger's supply went, across restarts: read after seen_load(), saved when it changes */
void gone_load(struct daemon *d);
void gone_save(struct daemon *d);
/* The faults present and the last raised, across restarts: read after session_init(), saved on change */
void faults_load(struct daemon *d);
void faults_save(struct daemon *d);
/* The policy's band and in-use pause, across restarts: read before the first look, saved on change */
void policy_load(struct daemon *d);
void policy_save(struct daemon *d);
/* The load test of the session in progress, across restarts: read after its resume, saved when run */
void load_test_load(struct daemon *d);
void load_test_save(struct daemon *d, long long loaded_uv, long long unloaded_uv,
		    long long vbat_uv, long long ibat_ua);

/* journal.c: every record with a MESSAGE_ID (msgid.h) */
/* MID_AGENT_ERROR at LOG_ERR: "chargerd: WHAT: strerror(err)"; err an errno (positive) */
void agent_error(const char *what, int err);
/* the same at LOG_WARNING: a failure chargerd works around, as said in WHAT */
void agent_warning(const char *what, int err);
bool journal_allow(struct daemon *d, const char *key, const char *message);
int journal_flush_timer(sd_event_source *src, uint64_t usec, void *data);
void journal_flush_held(struct daemon *d);
/*
 * A plug (plugged: true; returned: the charger's supply back with power
 * after its session ended as removed, no plug seen) or an unplug record.
 */
void log_plug(struct daemon *d, bool plugged, bool returned);
void log_session_start(struct daemon *d);
void log_session_end(struct daemon *d, const struct session_record *r);
void log_fault(struct daemon *d, enum fault f, bool raised, bool transient);
void log_thermal(struct daemon *d, const struct policy_result *r);
void log_in_use(struct daemon *d, const struct policy_result *r);
void log_diagnosis_gone(struct daemon *d, enum cause c);
void log_diagnosis(struct daemon *d, const struct diagnosis *g);
void log_load_test(struct daemon *d, long long vbus_loaded_uv, long long vbus_unloaded_uv,
		   long long ibat_ua);
void write_failed(struct daemon *d, const char *key, const char *what, const char *attr,
		  const char *val, int err);
void log_write_error(struct daemon *d, const char *key, const char *what, const char *attr,
		     const char *val, int err);
void log_settings_ignored(const char *err);
/*
 * The configuration did not parse at a start: what (why, and what chargerd
 * runs on instead, then config_load()'s errors, a line each) as one agent
 * error record, CHARGERD_ERROR=what, CHARGERD_ERRNO=EINVAL.
 */
void log_config_refused(const char *what);
void log_supply_pin(const char *missing, bool charger);
/*
 * The charger name (its driver driver, "" unknown) takes no write from
 * chargerd to charge_behaviour (behaviour) or constant_charge_current
 * (current): what chargerd cannot apply, and why, once.
 */
void log_charger_controls(const char *name, const char *driver, bool behaviour, bool current);
/*
 * A hand-back write (charger name, its driver driver or "", attr = val)
 * failed after tries tries in spent_ms (errno err > 0): what it means for charging,
 * in words a support person reads (helper-90: "Input/output error", "20
 * tries").
 */
/*
 * chargerd wrote auto over an inhibit-charge it had not written (at_start:
 * it had written none to this device yet, as after its start, when a
 * pause a killed chargerd left looks the same; plugged: at a plug): said,
 * not undone in silence (helper-90).
 */
void log_foreign_pause_ended(struct daemon *d, bool at_start, bool plugged);
void log_hand_back_failed(const char *name, const char *driver, const char *attr,
			  const char *val, int tries, unsigned int spent_ms, int err);
void log_clock_set(struct daemon *d, int64_t step_us, bool trusted, bool session_undated,
		   unsigned int ended_undated);
/*
 * A reload's record: refused (err), or what changed, what waits for the
 * next start (later) and what the settings set over D-Bus keep against
 * the file (kept): space-separated section.key=value lists, "" for none.
 */
void log_reload(struct daemon *d, bool ok, const char *err, const char *changed,
		const char *later, const char *kept);
void log_current_set(struct daemon *d, long long ua, long long old_ua, long long old_ceiling);
void log_current_undone(struct daemon *d, long long set_ua, const struct policy_result *p);
void log_current_refused(struct daemon *d, long long ua, long long was_ua);
void log_pause_lost(struct daemon *d, const struct policy_result *p, const char *was);
void log_history_repaired(unsigned int torn, unsigned int corrupt, const char *kept,
			  int keep_error);

/* charger.c: what chargerd writes to the charger */
/*
 * A charger device not seen before (its sysfs inode, from the snapshot's
 * name; *fresh then true): what was written is forgotten, refusals for
 * permissions wait for udev again. Returns the inode, 0 when there is no
 * charger or it cannot be read (no change assumed).
 */
uint64_t charger_device_note(struct daemon *d, bool *fresh);
/*
 * Note the baseline of the charger device ino (charger_device_note()) at
 * its first snapshot, or load it after a restart.
 */
void charger_baseline_note(struct daemon *d, uint64_t ino);
/*
 * chargerd's ceiling for constant_charge_current, uA: its baseline, or
 * without one the charger's maximum (PSY_NONE: unknown).
 */
long long charger_ceiling(const struct daemon *d);
/* Another writer set constant_charge_current to ua (from old_ua), the new ceiling. */
void charger_baseline_set(struct daemon *d, long long ua, long long old_ua);
/*
 * Hand charging back to the charger name: charge_behaviour auto, and the
 * baseline's constant_charge_current if base is that charger's. Reads back
 * what is in force first. 0 or -errno (each failure journalled).
 */
int charger_hand_back(int classfd, const char *name, const struct charger_baseline *base);
/*
 * The same for `chargerd --hand-back` (ExecStopPost=): the charger the
 * baseline in rundirfd names, else the one cfg finds. Once handed back, the
 * baseline is forgotten (the next start reads the charger afresh).
 */
int charger_hand_back_standalone(const struct chargerd_config *cfg, int classfd, int rundirfd);
int charger_set_current(struct daemon *d, long long ua);
int charger_set_behaviour(struct daemon *d, bool inhibit);
bool write_refusal_passing(int err);
/*
 * Whether errno err is the charger's bus failing (EIO, EREMOTEIO,
 * ETIMEDOUT, ENXIO: no ACK, a glitch): the next write may go through.
 */
bool bus_errno(int err);
/* On the way out: charger_hand_back(), then the baseline is forgotten. */
void release_policy(struct daemon *d);
int charger_load_test_start(struct daemon *d);

/* samples.c: per-session samples and their plot */
void samples_open(struct daemon *d, uint64_t id);
void samples_close(struct daemon *d, uint64_t id);
void sample(struct daemon *d);
void plot_event(struct daemon *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *plot_session(struct daemon *d, uint64_t id, int *err);	/* SVG to free(), or NULL */

#endif
