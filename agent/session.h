/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charge sessions and faults, as a pure function of successive snapshots:
 * no I/O, no clock (times come in the snapshots), so host tests drive it
 * through any sequence. A session runs from plug-in (charger online) to
 * unplug; its record accumulates the energy and charge into the battery,
 * the peak current, the capacities, the hottest temperature and the
 * faults seen.
 */
#ifndef CHARGERD_SESSION_H
#define CHARGERD_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "faults.h"
#include "history.h"
#include "snapshot.h"

struct session {
	bool active;
	struct session_record rec;	/* the session in progress */
	uint64_t start_usec;		/* CLOCK_BOOTTIME of its start (or resume) */
	uint64_t base_s;		/* its duration before a resume */
	bool on_boot_clock;		/* all of it on this boot's CLOCK_BOOTTIME */
	double energy_uwh, charge_uah;	/* integrated since the start */
	bool current_seen;		/* a current read: charge (and peak) measured */
	bool power_seen;		/* and a battery voltage with it: energy measured */
	long long start_charge_uah;	/* the gauge's charge_now at the start */
	/*
	 * The gauge's charge_now and the battery voltage at the start or at
	 * the resume, and the energy counted before it: energy since then is
	 * the gauge's charge at the mean voltage (PSY_NONE: integrated).
	 */
	long long seg_charge_uah, seg_battery_uv;
	double seg_energy_uwh;
	uint32_t active_faults;		/* present now (also outside sessions) */
	enum fault last_fault;		/* the last raised since this session's start
					 * (or, unplugged, the last one's, or since);
					 * FAULT__COUNT = none */
	/*
	 * While the charger refuses an input it still has (session_update()):
	 * CLOCK_BOOTTIME of the last look that read VBUS there, or of the
	 * refusal's first; 0 while none.
	 */
	uint64_t refused_vbus_usec;
	/*
	 * While the charger's supply is gone (session_update()): CLOCK_BOOTTIME
	 * of the first look without it; 0 while it is there.
	 */
	uint64_t gone_usec;
	/*
	 * Resumed with the charger's supply there and its online not read
	 * (session_resume()): CLOCK_BOOTTIME of the resume, waited from as
	 * from gone_usec; 0 once read.
	 */
	uint64_t unread_usec;
	/* the name of the charger's supply that went ("" not known): another is no return */
	char gone_name[CONFIG_NAME_MAX];
	/*
	 * Resumed while the charger's supply is gone, its faults then not
	 * known (no fresh charger-gone file): at its return, a fault the
	 * session had seen is taken as kept, as at any restart
	 * (session_resume()), not raised a second time.
	 */
	bool gone_faults_unknown;
	/*
	 * active_faults as a chargerd before this restart left them
	 * (runtime.c's faults_load()): session_resume() keeps them
	 */
	bool faults_restored;
	/*
	 * The charger's fault counters as the chargerd before this restart
	 * last read them (runtime.c's faults file; ino 0: none): the first
	 * look says a fault that came and went while it was down
	 */
	struct fault_counters restored_counters;
	/* the faults raised or gone by at a swap's look (FAULT_BIT()s): the next look's */
	uint32_t swap_faults;
	/*
	 * The last session ended as removed (its charger's supply gone for
	 * longer than the wait) and no look since saw the power gone: the
	 * next start is the supply's return, the adapter maybe in throughout
	 */
	bool ended_removed;
};

/*
 * How long a session waits for a charger's supply that went (its driver
 * unbound or reloaded: back within a second or two) before it ends, as
 * removed, when it went. The same 10 s as a charger gone becomes a
 * charger-fault (diagnosis.h's GONE_CONFIRM_USEC).
 */
#define SESSION_GONE_HOLD_USEC	(10ULL * 1000000)

/* What one step found. The caller journals, signals and stores it. */
struct session_step {
	bool plugged, unplugged;
	/*
	 * Offline, yet the session goes on: the charger refuses an input it
	 * still has (an input fault with VBUS there; session_update())
	 */
	bool input_refused;
	/* the charger's supply gone, the session waiting for it (SESSION_GONE_HOLD_USEC) */
	bool held;
	/* ended (unplugged) as the charger came back with another source: no bounce */
	bool swapped;
	/*
	 * unplugged at a time not known: found offline at the end of a wait
	 * (its supply gone, or its online unread; a restart's first look
	 * among them), the power gone some time in it: no bounce either
	 */
	bool unplug_untimed;
	bool started;			/* s->rec is the new session */
	/*
	 * started at the charger's supply's return after a session ended as
	 * removed (ended_removed): no plug seen, "back", not "plugged in"
	 */
	bool returned;
	bool redated;			/* s->rec's start was re-dated (session_dated()) */
	bool ended;			/* record holds the finished session */
	struct session_record record;
	uint32_t raised, cleared;	/* present faults that appeared, went */
	uint32_t transient;		/* came and went between two snapshots */
};

void session_init(struct session *s);

/*
 * Advance from snapshot old (NULL at start) to now. next_id is the id a
 * new session gets (the caller increments it when out->started). wall:
 * the wall clock now (clock.h), whose time a new session's start takes
 * and whose state its start_clock records; once it is synchronised, the
 * start of a session that began before is re-dated (session_dated();
 * out->redated).
 */
void session_update(struct session *s, const struct snapshot *old, const struct snapshot *now,
		    uint64_t next_id, const struct wall_time *wall, struct session_step *out);

/*
 * The record of the session in progress, into *out. If its start was
 * stamped by a clock not synchronised then (START_CLOCK_UNSYNCED) and the
 * clock is now (wall->synced), the start is re-dated: the start's
 * CLOCK_BOOTTIME plus the wall clock's offset from it now (wall->boot_us),
 * rounded down to the second; the same at every call while the clock
 * does not step (a suspend moves both clocks alike, and a step before the
 * sync is in the offset).
 * Only for a session that ran all on this boot's clock (s->on_boot_clock):
 * one resumed after a reboot has the reboot's downtime in no clock, and
 * its start stays unknown. A session that ended unsynced is re-dated
 * later in its record (the manager keeps its clock: runtime.c's undated
 * list, history_redate()).
 */
void session_dated(const struct session *s, const struct wall_time *wall,
		   struct session_record *out);

/*
 * The start, in s since the epoch, of a session whose clock was
 * start_usec (CLOCK_BOOTTIME, this boot's) less base_s seconds, by the
 * wall clock's offset now: false if wall is not synchronised or the sum
 * overflows (*start then unchanged or partly set: not to be used).
 */
bool session_start_from_boot(uint64_t start_usec, uint64_t base_s, const struct wall_time *wall,
			     int64_t *start);

/*
 * The wall clock was set (clock.h's clock_trust_step()): the start of the
 * session in progress, stamped before the step, may be off by the step
 * (a flag created before the clock was stepped) or by the step's error (a
 * clock set by hand); which of the two clocks was right is not known. If
 * the session ran all on this boot's clock, its start goes back to
 * START_CLOCK_UNSYNCED, to be re-dated from CLOCK_BOOTTIME once the clock
 * is trusted (at once, if it already is). Whether the record changed.
 */
bool session_clock_stepped(struct session *s);

/* End the session in progress (if any) for a reason other than unplug. */
bool session_end(struct session *s, uint64_t usec, const char *reason,
		 struct session_record *ended);

/*
 * Where the session in progress stands on CLOCK_BOOTTIME: its duration is
 * base_s plus the time since start_usec. The manager keeps it in the
 * runtime directory, which lasts as long as the boot, so that a restart
 * counts the time chargerd was down on the same clock.
 */
struct session_clock {
	uint64_t id;			/* the session; 0: none */
	uint64_t start_usec;		/* CLOCK_BOOTTIME */
	uint64_t base_s;
	bool on_boot_clock;		/* struct session's */
	/*
	 * The charger device in at the session's last save (its inode; 0
	 * unknown) and its power_good_rises then (PSY_NONE: unknown, a
	 * driver without the count): another count on the same device at
	 * a restart is a source plugged in while chargerd was away.
	 */
	uint64_t charger_ino;
	long long power_good_rises;
	/*
	 * When the charger's supply went, if it is gone (CLOCK_BOOTTIME; 0
	 * none or not known): not in the line (runtime.c's gone_load())
	 */
	uint64_t gone_usec;
	uint32_t gone_faults;		/* the session's active faults then (FAULT_BIT()s) */
};

void session_clock_of(const struct session *s, struct session_clock *out);

/*
 * The runtime directory's line for a session clock: "ID START_USEC BASE_S
 * ON_BOOT_CLOCK CHARGER_INO POWER_GOOD_RISES\n", decimal, the last two
 * only when both are known. session_clock_parse() also takes an older
 * chargerd's three fields (before on_boot_clock: read as false, as a
 * start it cannot vouch for) and four (the charger's count unknown) and
 * returns 0, or -EINVAL for anything else (a sign, a space too many,
 * trailing text, a value out of range).
 */
#define SESSION_CLOCK_LINE_MAX	128	/* six 20-digit fields, their spaces, "\n" and NUL: 128 */
void session_clock_format(const struct session_clock *c, char *line, size_t len);
int session_clock_parse(const char *line, struct session_clock *c);

/*
 * The runtime directory's line for a charger's supply that went (runtime.c's
 * gone_load() and gone_save()): "GONE SEEN FAULTS\n", decimal: when it went
 * and when chargerd last saw it gone (CLOCK_BOOTTIME, microseconds), and the
 * session's active faults then (FAULT_BIT()s). session_gone_parse() returns
 * 0 with *gone_usec and *faults; -EINVAL for a malformed line (a sign, a
 * space too many, trailing text, GONE 0 or after SEEN, a fault bit beyond
 * FAULT__COUNT); -ESTALE for one seen after now_usec (another boot's
 * clock) or SESSION_GONE_FRESH_USEC or more before it.
 */
#define SESSION_GONE_LINE_MAX	64	/* two 20-digit fields, a 10-digit one, spaces, "\n", NUL */
/*
 * A restart's time, at most (assumed: an upgrade's restart takes seconds):
 * a line seen gone longer ago is not trusted (helper-75: chargerd stopped,
 * the charger back and charging an hour, gone again: the session ended an
 * hour early).
 */
#define SESSION_GONE_FRESH_USEC	(15ULL * 1000000)
void session_gone_format(uint64_t gone_usec, uint64_t seen_usec, uint32_t faults, char *line,
			 size_t len);
int session_gone_parse(const char *line, uint64_t now_usec, uint64_t *gone_usec,
		       uint32_t *faults);

/*
 * Resume a checkpointed session after a restart, as of snapshot now: it
 * goes on if the charger is still online (true), else it is ended with
 * reason "agent-restart" into *ended (false); so too, after a reboot
 * (clock not this session's), when the battery is lower than at the
 * checkpoint: unplugged and plugged again while off; and when the charger
 * device counted another source's arrival since the clock's save (the
 * same device, its power_good_rises). clock: the session's clock
 * from this boot, or NULL: the time chargerd was down counts only if the
 * clock is this session's (the wall clock never measures a duration);
 * with it, an unsynchronised start is re-dated as session_dated() does,
 * the ended session's too.
 */
bool session_resume(struct session *s, const struct session_record *saved,
		    const struct snapshot *now, const struct session_clock *clock,
		    const struct wall_time *wall, struct session_record *ended);

#endif
