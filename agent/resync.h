/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One resync's decisions, as a pure function: from the new snapshot and
 * the state kept between resyncs, everything the manager is to do (what
 * to write to the charger, what to journal and signal, what the LED
 * shows, what D-Bus publishes, which timers run), computed before any of
 * it is done. The manager (manager.c) gathers the inputs (sysfs, ALSA,
 * the clocks), calls resync_plan(), then applies the outcome in one place
 * in a fixed order. No I/O here: host tests cover it.
 */
#ifndef CHARGERD_RESYNC_H
#define CHARGERD_RESYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "diagnosis.h"
#include "led.h"
#include "policy.h"
#include "published.h"
#include "session.h"
#include "snapshot.h"

/* A second look this long after a plug: ADC readings, detection done. */
#define SETTLE_USEC	(3ULL * 1000000)

/* A checkpoint of the session in progress at most this often (and on faults). */
#define CHECKPOINT_USEC		(60ULL * 1000000)

/* The load test starts only while at least this much flows into the battery. */
#define LOAD_TEST_MIN_UA	300000
/*
 * Nor before this long after the plug: the ADC has converted since, so its
 * readings are this session's (the charger's VBUS and current otherwise
 * still show the last session's). The settle look comes then.
 */
#define LOAD_TEST_SETTLE_USEC	(3ULL * 1000000)

struct resync_input {
	const struct chargerd_config *cfg;
	const struct snapshot *old;	/* the previous snapshot; NULL: the first */
	const struct snapshot *snap;	/* the new one (snap->usec: CLOCK_BOOTTIME) */
	bool in_use;			/* in use now: the mode, or auto mode's finding */
	bool asleep;			/* the system is going to sleep: no load test */
	bool in_use_lingers;		/* of which only the linger after its end */
	bool charger_uevent;		/* the charger's own uevent led to this resync */
	bool charger_fresh;		/* the charger is a device not seen before (a probe) */
	bool thermal_owed;		/* its band record waits for a write it takes */
	long long base_ua;		/* constant_charge_current before chargerd; <= 0 unknown */
	long long board_ua;		/* the charger's own, when chargerd first read it; <= 0 unknown */
	long long board_uv;		/* its constant_charge_voltage then, uV; <= 0 unknown */
	struct wall_time wall;		/* the wall clock (records only; clock.h) */
	uint64_t next_id;		/* the id a new session gets */
	uint64_t last_checkpoint_usec;	/* CLOCK_BOOTTIME */
	long long written_ua;		/* the last constant_charge_current written; -1 none */
	long long refused_ua;		/* a lower one the charger refused (EINVAL); -1 none */
	long long floor_ua;		/* what it gets instead of that or less (> 0); -1 none */
	int written_inhibit;		/* the last charge_behaviour written: -1 none, 0, 1 */
	bool inhibit_refused;		/* the last write of charge_behaviour failed */
	bool hand_back_tried;		/* unplugged, auto was written (or tried) since */
	/*
	 * unplugged, since: a stop ahead of the plug, a band's current ahead
	 * of it, refused for good (not "not now", not a bus error; for the
	 * current not a step the charger lacks: refused_ua)
	 */
	bool stop_tried, ua_tried;
	uint64_t inhibit_usec;		/* CLOCK_BOOTTIME of the last inhibit-charge written */
	bool probe_active;		/* the load test holds charging now */
	bool probe_done;		/* the load test ran in this session */
	uint32_t diagnosed;		/* the causes found at the last resync (CAUSE_BIT) */
	uint32_t unresolved;		/* of those with a cause_gone(), found and not yet gone */
	enum led_pattern led;		/* the LED's pattern now; LED__COUNT: none shown */
};

/* The state the pure models keep from one resync to the next. */
struct resync_state {
	struct session *sess;
	struct policy_state *pol;
	struct evidence *evid;
};

struct resync_outcome {
	struct session_step step;	/* plug, unplug, session start and end, faults */
	struct policy_result policy;
	bool online;			/* the charger has external power */
	bool log_thermal;		/* journal the thermal band */
	bool thermal_for_device;	/* for a charger device new in the band: after its write */
	bool log_in_use;		/* journal the in-use pause or resume */
	long long write_ua;		/* constant_charge_current to write (uA); -1: none */
	long long set_ua;		/* > 0: another writer set it to this (uA) */
	long long ceiling_ua;		/* > 0: which is the new ceiling, the base (uA) */
	bool set_undone;		/* which write_ua writes over: journal it */
	int write_inhibit;		/* charge_behaviour to write: -1 none, 0 auto, 1 inhibit */
	bool pause_lost;		/* it is a pause the charger lost: journal it */
	bool load_test;			/* start the load test */
	bool probe_done;		/* the load test ran in this session (before a start) */
	struct diagnosis diag[CAUSE__COUNT];	/* the causes now, ranked */
	int ndiag;
	uint32_t diagnosed;		/* their mask (CAUSE_BIT) */
	uint32_t new_causes;		/* found now, not at the last resync: journal, signal */
	uint32_t gone_causes;		/* unresolved, not found now and cause_cleared(): journal */
	uint32_t unresolved;		/* what the next resync_input's is to be */
	struct diagnosis asked[CAUSE__COUNT];	/* as diagnose(asked = true) ranks them */
	int nasked;
	enum led_pattern led;		/* the LED's pattern */
	bool resync_timer;		/* the slow resync runs (on external power) */
	bool watch_alsa;		/* auto in-use mode watches ALSA (on external power) */
	bool settle;			/* a second look in SETTLE_USEC: after a plug, or a
					 * charger uevent that reads offline */
	uint64_t settle_usec;		/* when (from now, in us): SETTLE_USEC, or a wait's
					 * end if sooner */
	bool checkpoint;		/* save the session in progress */
	bool checkpoint_durable;	/* and fsync it (else the page cache only) */
	struct public_state pub;	/* the D-Bus properties (led: as planned) */
};

/*
 * Decide one resync. Updates st (the session, the policy's band and pause,
 * the diagnosis's evidence) and fills out; no I/O.
 */
void resync_plan(const struct resync_input *in, const struct resync_state *st,
		 struct resync_outcome *out);

/*
 * Of the new causes (CAUSE_BIT()s), those that wait for the write of the
 * limit they need: a new finding that holds only once the charger took
 * the limit (a band's current: paused-heat; a pause: paused-in-use, and
 * too-hot or too-cold unless the chip's own zone stops it, active_faults'
 * FAULT_HOT or FAULT_COLD) waits for the write that goes through, as the
 * band's record does. Said at once, it went at the next look (a refused
 * pause is not in force) and came again once udev had granted the files
 * (helper-69: said twice at each rebind). thermal_owed and pause_owed
 * say that the band's current or the pause was refused for a reason
 * that passes (udev's grant within its grace, "not now"): a lasting
 * refusal is said as it is (helper-72, helper-74).
 */
uint32_t findings_deferred(uint32_t new_causes, bool thermal_owed, bool pause_owed,
			   uint32_t active_faults);

/*
 * The D-Bus properties for a snapshot s with the decisions already made
 * (the pause and percent in force, the band, faults, the causes diag[0..ndiag)
 * ranked, LED, session): fills p. Without external power State is "discharging" (or
 * "no-charger"), whatever the charger's status still says; on external
 * power too while the battery drains (snapshot_draining()).
 */
void public_state_fill(struct public_state *p, const struct chargerd_config *cfg,
		       const struct snapshot *s, bool in_use, const struct policy_state *pol,
		       enum pause_reason pause, unsigned int percent, const struct session *sess,
		       const struct diagnosis *diag, int ndiag, enum led_pattern led);

#endif
