/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the manager publishes: the only view of chargerd's state that bus.c
 * and report.c have. The manager (manager.c) writes it at each resync;
 * they read it, and ask the manager for changes through its ops, so that
 * nothing below the manager calls back up into it.
 */
#ifndef CHARGERD_PUBLISHED_H
#define CHARGERD_PUBLISHED_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "diagnosis.h"
#include "faults.h"
#include "history.h"
#include "session.h"
#include "snapshot.h"

#define PUB_STR		CONFIG_NAME_MAX

/*
 * s made printable ASCII in place (bytes outside ' '..'~' become '?'):
 * what is published, said over D-Bus or kept in a holder's line must be
 * valid UTF-8, and sysfs, a driver or a process's name may give any bytes.
 */
static inline void pub_printable(char *s)
{
	for (; *s; s++)
		if (*s < ' ' || *s > '~')
			*s = '?';
}

/*
 * The causes diagnosed now in diagnose()'s rank order, the gravest first:
 * the property Diagnoses, as chargerctl status shows it (before, a cause
 * mask, listed in code order while chargerctl diagnose ranked them:
 * "connector, too-hot" in status, "too-hot" first in diagnose; helper-90).
 * Unused entries are 0, so that two lists compare byte for byte.
 */
struct cause_list {
	uint8_t n;
	uint8_t cause[CAUSE__COUNT];	/* enum cause */
};

/* The list of diag[0..n) (ranked, as diagnose() gives them), into l. */
static inline void cause_list_fill(struct cause_list *l, const struct diagnosis *diag, int n)
{
	int i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < n && i < CAUSE__COUNT; i++)
		l->cause[l->n++] = (uint8_t)diag[i].cause;
}

/* l without the causes in mask (CAUSE_BIT()s), in the same order. */
static inline void cause_list_drop(struct cause_list *l, uint32_t mask)
{
	uint8_t kept = 0, i;

	for (i = 0; i < l->n; i++)
		if (!(mask & CAUSE_BIT(l->cause[i])))
			l->cause[kept++] = l->cause[i];
	memset(l->cause + kept, 0, sizeof(l->cause) - kept);
	l->n = kept;
}

/* The mask (CAUSE_BIT()s) of the causes in l. */
static inline uint32_t cause_list_mask(const struct cause_list *l)
{
	uint32_t mask = 0;
	uint8_t i;

	for (i = 0; i < l->n; i++)
		mask |= CAUSE_BIT(l->cause[i]);
	return mask;
}

/*
 * Whether a property's field (size bytes, D-Bus signature sig) differs
 * between a and b: a string ('s') up to its NUL, since the bytes after it
 * are whatever a longer value left there ("auto" written over
 * "inhibit-charge"); anything else byte for byte.
 */
static inline bool pub_field_differs(const void *a, const void *b, const char *sig, size_t size)
{
	if (sig[0] == 's')
		return strncmp(a, b, size) != 0;
	return memcmp(a, b, size) != 0;
}

/*
 * The D-Bus properties, derived from the snapshot and the settings (by
 * resync_plan(), resync.h). bus.c compares them with the copy it sent last
 * to send PropertiesChanged for what changed, and nothing else.
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
	int64_t input_current_limit;	/* the source's, in force: detection's or written */
	int64_t input_voltage_limit;	/* uV: the input held at or above it (VINDPM) */
	char input_limits_written[PUB_STR];	/* none, current, voltage, both; "" unknown */
	char charge_behaviour[PUB_STR];
	int in_use;
	int in_use_lingers;		/* in use only for the linger after its end */
	char in_use_mode[PUB_STR];
	uint32_t in_use_stop;
	uint32_t in_use_resume;
	char paused[PUB_STR];		/* why charging is held: heat, cold, in-use, "" */
	char thermal_band[PUB_STR];
	uint32_t charge_percent;	/* the thermal policy's share of the maximum */
	char last_fault[PUB_STR];
	uint32_t active_faults;		/* as the list ActiveFaults */
	struct cause_list diagnoses;	/* the list Diagnoses (cause codes), ranked */
	char led[PUB_STR];		/* the LED's pattern shown, "" none */
	uint64_t session;		/* the session in progress, 0 = none */
	char charger[PUB_STR], battery[PUB_STR];
};

struct counters {
	uint64_t wakeups;		/* event loop iterations that did something */
	uint64_t uevents;		/* received from the kernel */
	uint64_t dropped;		/* not from the kernel, or malformed */
	uint64_t snapshots;
	uint64_t battery_reads;		/* of the snapshots, those that read the battery */
	uint64_t alsa_looks;		/* at /proc/asound (auto in-use mode) */
	uint64_t resyncs;
	uint64_t reader_looks;		/* of the resyncs, those a caller's read made */
	/* where the resyncs' time went, us in all (make bench divides) */
	uint64_t snapshot_us, plan_us, apply_us;
	uint64_t receive_us;		/* receiving and parsing uevents, us in all */
	uint64_t overflows;		/* netlink ENOBUFS, or a uevent cut */
	uint64_t seqnum_gaps;
	uint64_t journal_held;		/* records folded into summaries */
	uint64_t history_errors;
	uint64_t policy_writes;		/* sysfs writes by the policies */
	uint64_t policy_write_errors;
	uint64_t faults[FAULT__COUNT];	/* raised since start */
};

/* What bus.c may ask of the manager. */
struct manager_ops {
	/*
	 * The in-use mode or levels (%, already checked against
	 * config_range()): saved for the next start, then in force, when
	 * these return 0; -errno when they could not be saved (-ENOENT: no
	 * state directory; -EROFS, -ENOSPC, ...), nothing changed then (it
	 * was in force until the next start, and said saved).
	 */
	int (*set_in_use_mode)(void *mgr, enum in_use_mode mode);
	int (*set_in_use_thresholds)(void *mgr, unsigned int stop, unsigned int resume);
	/*
	 * The SVG of session id (0: the last), to free(); NULL and *err on
	 * failure: ESRCH no session at all, ENOENT no samples kept for it,
	 * another errno when they cannot be read.
	 */
	char *(*plot)(void *mgr, uint64_t id, int *err);
	/* A caller took or let go of its in-use hold (struct published's holds). */
	void (*in_use_holds_changed)(void *mgr);
	/*
	 * The system is about to sleep (before) or woke (!before): what is
	 * held only while in use is let go, the load test ended, before this
	 * returns (the caller is systemd-sleep's hook, which sleeps next).
	 * action: the sleep's kind as systemd-sleep names it ("suspend",
	 * "suspend-then-hibernate", ...; "suspend" when the caller gave none).
	 */
	void (*prepare_for_sleep)(void *mgr, bool before, const char *action);
	/*
	 * A caller is about to read the state (its properties, Diagnose,
	 * GetReport): the manager looks again first if what it published is
	 * older than it wants shown (manager.c, STATE_FRESH_USEC).
	 */
	void (*about_to_be_read)(void *mgr);
};

/*
 * "In use" held over D-Bus (SetInUse(true)): each caller's hold lasts
 * until it calls SetInUse(false) or leaves the bus (a client that dies
 * lets go). bus.c owns them; the manager reads nholds. Room for
 * IN_USE_HOLDS_MAX connections, IN_USE_HOLDS_PER_USER of them at most one
 * user's (by the bus's effective uid): one program's runaway connections
 * (a leak, a retry loop) cannot take every place from another user's
 * player. Our choice, not a bus limit: an audio stack holds with one or
 * two connections a user (the sound server, a player of its own).
 */
#define IN_USE_HOLDS_MAX	16
/* A unique name is at most 255 bytes (the D-Bus specification's limit). */
#define HOLD_NAME_MAX		256
#define IN_USE_HOLDS_PER_USER	4
struct in_use_hold {
	struct sd_bus_track *track;	/* the holder's connection; NULL: a free slot */
	char name[HOLD_NAME_MAX];	/* its unique name, ":1.42" */
	uid_t uid;			/* the holder's effective uid, (uid_t)-1 unknown */
	char who[PUB_STR];		/* "comm[pid]", "pid N of user NAME" or "pid N of uid U" */
};

struct published {
	struct public_state props;	/* as of the last resync */
	struct counters n;		/* counted as they happen */
	struct diagnosis asked[CAUSE__COUNT];	/* the causes as a person asking sees */
	int nasked;			/* them (diagnose(asked = true)), ranked */
	/* the manager's own state, read-only here; set up before the first resync */
	const struct chargerd_config *cfg;
	const char *config_path;
	uint64_t start_usec;		/* CLOCK_BOOTTIME at start */
	const struct snapshot *snap;	/* the last snapshot */
	const struct session *sess;	/* the session in progress, if sess->active */
	const struct evidence *evid;
	const struct history *hist;	/* NULL: no history (no state directory) */
	const struct manager_ops *ops;
	void *mgr;			/* the ops' first argument */
	/* bus.c's: the in-use holds of D-Bus callers */
	struct in_use_hold holds[IN_USE_HOLDS_MAX];
	unsigned int nholds;
	int holds_dirfd;		/* where they outlive a restart (holds.h); -1 none */
	char bus_id[33];		/* the bus they are on, 32 hex digits; "" unknown */
};

#endif
