// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session.h"

void session_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
	s->start_charge_uah = PSY_NONE;
	s->seg_charge_uah = s->seg_battery_uv = PSY_NONE;
	s->last_fault = FAULT__COUNT;
}

static bool online(const struct snapshot *n)
{
	return n->charger.present && n->charger.online == 1;
}

/* The charger refused its input: over-voltage, a collapse, either. */
#define INPUT_FAULTS	(FAULT_BIT(FAULT_INPUT_OVP) | FAULT_BIT(FAULT_INPUT_COLLAPSE) | \
			 FAULT_BIT(FAULT_INPUT))

/*
 * How long a refused input whose VBUS is not known (its reading withheld
 * or failed) still holds the session after VBUS was last read there: as
 * long as an online not known is kept (snapshot_keep_online()).
 */
#define REFUSED_UNKNOWN_USEC	(30ULL * 1000000)

/*
 * An input the charger refuses but still has: over-voltage (a spike, an
 * adapter that overshoots) or a source sagged below the poor level
 * clears power good, so online, with the adapter in. VBUS says it is
 * there (the driver's voltage_now; 0 is none); not known, for
 * REFUSED_UNKNOWN_USEC at most. present: the faults present now.
 */
static bool input_refused(struct session *s, const struct snapshot *n, uint32_t present)
{
	const struct psy_snapshot *c = &n->charger;

	if (online(n) || !c->present || !(present & INPUT_FAULTS) || c->voltage_now == 0 ||
	    (c->voltage_now != PSY_NONE && c->voltage_now < 0)) {
		s->refused_vbus_usec = 0;
		return false;
	}
	if (!s->refused_vbus_usec || c->voltage_now != PSY_NONE)
		s->refused_vbus_usec = n->usec ? n->usec : 1;
	return n->usec < s->refused_vbus_usec ||
	       n->usec - s->refused_vbus_usec < REFUSED_UNKNOWN_USEC;
}

static int32_t percent(long long v)
{
	return v == PSY_NONE || v < 0 || v > 100 ? -1 : (int32_t)v;
}

static void word(char *out, const char *in)
{
	snprintf(out, HISTORY_WORD_MAX, "%s", in);
}

static uint32_t clamp_u32(double v)
{
	return v <= 0 ? 0 : v >= UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* A measurement: at most one below HISTORY_UNKNOWN, which is none. */
static uint32_t measured(double v)
{
	uint32_t n = clamp_u32(v);

	return n == HISTORY_UNKNOWN ? n - 1 : n;
}

/*
 * Energy and charge from old to now, at the currents old showed (they held
 * until now), over the time the system was awake: across a suspend the
 * charger goes on charging, tapering, unseen, and the last current held
 * for hours counted many times what went in (the gauge's charge_now, when
 * there is one, counts it: observe()). An undercount, not an invention.
 */
static void integrate(struct session *s, const struct snapshot *old, const struct snapshot *now)
{
	long long i = old->charger.current_now, v = old->battery.voltage_now;
	uint64_t dt_us = now->usec - old->usec;

	if (old->mono_usec && now->mono_usec >= old->mono_usec &&
	    now->mono_usec - old->mono_usec < dt_us)
		dt_us = now->mono_usec - old->mono_usec;

	if (i == PSY_NONE || i <= 0)
		return;
	s->charge_uah += (double)i * dt_us / 3.6e9;
	if (v != PSY_NONE && v > 0)
		s->energy_uwh += (double)v * i / 1e12 * dt_us / 3.6e3;
}

/* Fold snapshot n into the record of the session in progress. */
static void observe(struct session *s, const struct snapshot *n, uint32_t faults)
{
	const struct psy_snapshot *c = &n->charger, *b = &n->battery;
	struct session_record *r = &s->rec;
	long long t = snapshot_temp(n);

	/* CLOCK_BOOTTIME does not go back; should a snapshot's, it is no time */
	if (n->usec >= s->start_usec)
		r->duration_s = clamp_u32(s->base_s + (n->usec - s->start_usec) / 1e6);
	if (c->current_now != PSY_NONE) {
		s->current_seen = true;
		s->power_seen |= b->voltage_now != PSY_NONE;
		if (r->peak_ma == HISTORY_UNKNOWN || c->current_now / 1000 > r->peak_ma)
			r->peak_ma = measured(c->current_now / 1000);
	}
	if (t != PSY_NONE && t > INT32_MIN && t < INT32_MAX &&
	    (r->max_temp_dc == INT32_MIN || t > r->max_temp_dc))
		r->max_temp_dc = (int32_t)t;
	if (!strcmp(c->status, "Full") || !strcmp(b->status, "Full"))
		r->reached_full = true;
	if (percent(b->capacity) >= 0)
		r->end_capacity = percent(b->capacity);
	/* detection may finish after the plug: keep the latest answer */
	if (c->source_kind[0] && strcmp(c->source_kind, "none"))
		word(r->source, c->source_kind);
	if (c->usb_type[0] && strcmp(c->usb_type, "Unknown"))
		word(r->usb_type, c->usb_type);
	r->faults |= faults;
	r->fault_events += __builtin_popcount(faults);
	r->energy_mwh = s->power_seen ? measured(s->energy_uwh / 1000) : HISTORY_UNKNOWN;
	/*
	 * The gauge counts charge better than sparse snapshots can integrate
	 * it (the current tapers between them); energy is then that charge at
	 * the mean of the battery voltages at both ends.
	 */
	if (s->start_charge_uah != PSY_NONE && b->charge_now != PSY_NONE &&
	    b->charge_now >= s->start_charge_uah) {
		/* in double: any two readings, however wild, without overflow */
		double uah = (double)b->charge_now - (double)s->start_charge_uah;

		r->charge_mah = measured(uah / 1000);
	} else {
		r->charge_mah = s->current_seen ? measured(s->charge_uah / 1000) : HISTORY_UNKNOWN;
	}
	if (s->seg_charge_uah != PSY_NONE && b->charge_now != PSY_NONE &&
	    b->charge_now >= s->seg_charge_uah && s->seg_battery_uv != PSY_NONE &&
	    s->seg_battery_uv > 0 && b->voltage_now != PSY_NONE && b->voltage_now > 0) {
		double uah = (double)b->charge_now - (double)s->seg_charge_uah;

		r->energy_mwh = measured(s->seg_energy_uwh / 1000 +
					 uah * ((double)s->seg_battery_uv + (double)b->voltage_now) / 2e9);
	}
}

static void start(struct session *s, const struct snapshot *n, uint64_t id,
		  const struct wall_time *wall)
{
	struct session_record *r = &s->rec;

	memset(r, 0, sizeof(*r));
	/*
	 * LastFault ("(last: X)" in chargerctl status) is this session's, or
	 * unplugged the last one's: a safety timer of last week's session
	 * named under today's "Faults: none" read as today's (helper-86).
	 * A fault this look reads is set after this (session_update()).
	 */
	s->last_fault = FAULT__COUNT;
	r->id = id;
	r->start = wall->s;
	r->start_clock = wall->synced ? START_CLOCK_SYNCED : START_CLOCK_UNSYNCED;
	s->on_boot_clock = true;
	r->start_capacity = r->end_capacity = percent(n->battery.capacity);
	r->max_temp_dc = INT32_MIN;
	s->active = true;
	s->start_usec = n->usec;
	s->base_s = 0;
	s->energy_uwh = s->charge_uah = 0;
	s->current_seen = s->power_seen = false;
	r->energy_mwh = r->charge_mah = r->peak_ma = HISTORY_UNKNOWN;
	s->start_charge_uah = n->battery.charge_now;
	s->seg_charge_uah = n->battery.charge_now;
	s->seg_battery_uv = n->battery.voltage_now;
	s->seg_energy_uwh = 0;
	s->refused_vbus_usec = 0;
}

bool session_start_from_boot(uint64_t start_usec, uint64_t base_s, const struct wall_time *wall,
			     int64_t *start)
{
	int64_t us, s;

	if (!wall->synced || start_usec > INT64_MAX || base_s > INT64_MAX ||
	    __builtin_add_overflow(wall->boot_us, (int64_t)start_usec, &us))
		return false;
	s = us / 1000000 - (us % 1000000 < 0);	/* rounded down, before 1970 too */
	return !__builtin_sub_overflow(s, (int64_t)base_s, start);
}

/*
 * Re-date r's start, of a session whose clock is start_usec (CLOCK_BOOTTIME)
 * and base_s, from wall (session_dated()). Whether it did.
 */
static bool redate(struct session_record *r, uint64_t start_usec, uint64_t base_s,
		   const struct wall_time *wall)
{
	if (r->start_clock != START_CLOCK_UNSYNCED ||
	    !session_start_from_boot(start_usec, base_s, wall, &r->start))
		return false;
	r->start_clock = START_CLOCK_SYNCED;
	return true;
}

void session_dated(const struct session *s, const struct wall_time *wall,
		   struct session_record *out)
{
	*out = s->rec;
	if (s->active && s->on_boot_clock)
		redate(out, s->start_usec, s->base_s, wall);
}

bool session_clock_stepped(struct session *s)
{
	if (!s->active || !s->on_boot_clock || s->rec.start_clock != START_CLOCK_SYNCED)
		return false;
	s->rec.start_clock = START_CLOCK_UNSYNCED;
	return true;
}

bool session_end(struct session *s, uint64_t usec, const char *reason,
		 struct session_record *ended)
{
	if (!s->active)
		return false;
	if (usec >= s->start_usec)
		s->rec.duration_s = clamp_u32(s->base_s + (usec - s->start_usec) / 1e6);
	word(s->rec.end_reason, reason);
	*ended = s->rec;
	s->active = false;
	s->gone_usec = s->unread_usec = 0;
	s->gone_faults_unknown = false;
	return true;
}

static bool another_port(const struct session_record *saved, const struct psy_snapshot *c);

/*
 * Another source than the session's, on a charger back from the wait (a
 * device probed since): another kind of port, or a count of power-good
 * rises of 2 or more (a probe counts at most one: another_arrival()).
 */
static bool another_source(const struct session *s, const struct snapshot *now)
{
	const struct psy_snapshot *c = &now->charger;

	return another_port(&s->rec, c) || (c->power_good_rises != PSY_NONE &&
					    c->power_good_rises >= 2);
}

void session_update(struct session *s, const struct snapshot *old, const struct snapshot *now,
		    uint64_t next_id, const struct wall_time *wall, struct session_step *out)
{
	const uint32_t input = INPUT_FAULTS;
	uint32_t present, occurred, seen, before;
	int f;

	memset(out, 0, sizeof(*out));
	if (s->active && old && now->usec > old->usec)
		integrate(s, old, now);

	/*
	 * the charger's supply gone: its faults not read, as they were,
	 * in the wait (helper-73: a quick rebind said a safety timer still
	 * expired cleared, then raised again, a second event) and after it
	 * (helper-78: "cleared" at the first look after the session ended,
	 * with nothing read)
	 */
	present = !now->charger.present ? s->active_faults :
		  faults_present(old, now, s->active_faults);
	/*
	 * gone, with no session to wait for it (ended as removed, or on
	 * battery): its faults are dropped, unsaid, as not known (helper-80:
	 * a safety timer's expiry beside "the charger's supply is gone" an
	 * hour later pointed support at the battery); its return reads them
	 */
	if (!now->charger.present && !s->active) {
		s->active_faults = present = 0;
		s->swap_faults = 0;
	}
	if (faults_readable(&now->charger) && s->gone_faults_unknown) {
		s->active_faults = present & s->rec.faults;
		s->gone_faults_unknown = false;
	}
	occurred = faults_occurred(old, now);
	/*
	 * the first look after a restart: what rose since the chargerd
	 * before last read the counters (helper-79: a fault that came and
	 * went while it was down was never said); its first look only
	 */
	if (!old)
		occurred = faults_occurred_since(&s->restored_counters, now);
	s->restored_counters.ino = 0;
	/* while an input fault lasts, its counter rising is that fault */
	if ((present | s->active_faults) & input)
		occurred &= ~FAULT_BIT(FAULT_INPUT);
	out->raised = present & ~s->active_faults;
	out->cleared = s->active_faults & ~present;
	out->transient = occurred & ~present & ~s->active_faults;
	/* a swap's look's faults, said with the new source's first look */
	out->transient |= s->swap_faults & ~present & ~s->active_faults;
	s->swap_faults = 0;
	before = s->active_faults;
	s->active_faults = present;
	seen = out->raised | out->transient;

	if (now->charger.present && now->charger.online == 0)
		s->ended_removed = false;	/* the power seen gone: a start is a plug */
	if (!s->active && online(now)) {
		start(s, now, next_id, wall);
		out->started = out->plugged = true;
		out->returned = s->ended_removed;
		s->ended_removed = false;
		/*
		 * the faults there at its start are its own too, raised now
		 * or before it (kept through a charger's removal, or raised
		 * on battery): helper-80, a session hot all its life had none
		 */
		s->rec.faults |= present & ~seen;
		s->rec.fault_events += __builtin_popcount(present & ~seen);
		/* and named: the last fault is this session's from its start (helper-91) */
		for_each_fault(f, present & ~seen)
			s->last_fault = f;
	} else if (s->active && s->gone_usec && online(now) && another_source(s, now)) {
		/*
		 * Back from the wait with another source: the adapter was
		 * swapped while the driver was unbound (helper-73: the session
		 * went on, relabelled). Unplugged when the supply went; the
		 * next look (resync_plan()'s settle) starts the new one, and
		 * raises this look's faults in it (helper-75: in neither),
		 * those that went by too (helper-78: a counter's rise is read
		 * once, LastFault named it and nothing said it).
		 */
		s->active_faults = before;
		s->swap_faults = out->raised | out->transient;
		out->raised = out->cleared = out->transient = 0;
		out->unplugged = out->swapped = true;
		out->ended = session_end(s, s->gone_usec <= now->usec ? s->gone_usec : now->usec,
					 "unplugged", &out->record);
		return;
	}
	for_each_fault(f, seen)
		s->last_fault = f;
	if (s->active) {
		out->redated = s->on_boot_clock && redate(&s->rec, s->start_usec, s->base_s, wall);
		observe(s, now, seen);
	}
	/*
	 * A refused input (input_refused()) is not an unplug: the session
	 * goes on through it, its faults in the record, and ends when VBUS
	 * goes (the fault with it). It was "session 1 ended (unplugged)",
	 * then a new one at the fault's end (helper-57).
	 */
	out->input_refused = s->active && input_refused(s, now, present);
	if (s->active && !online(now) && !out->input_refused) {
		/*
		 * The charger gone, or another supply taken in its place (a
		 * USB port's, while its driver is unbound): removed, not an
		 * unplug; not known for too long (snapshot_keep_online()):
		 * not an unplug either.
		 */
		bool gone = !now->charger.present ||
			    (old && old->charger.present && strcmp(old->charger.name, now->charger.name)) ||
			    (s->gone_usec && s->gone_name[0] && strcmp(s->gone_name, now->charger.name));
		bool unknown = !gone && now->charger.online == PSY_NONE;
		uint64_t end = now->usec, wait = s->gone_usec ? s->gone_usec : s->unread_usec;

		/*
		 * The charger's supply gone: the session waits for it, as a
		 * driver reloaded or bound again is back within a second or
		 * two, online if the adapter stayed (helper-69: each rebind
		 * ended it as removed and started another, with a plug record
		 * and no unplug). Ended after all (gone for good, or back
		 * offline: unplugged meanwhile), it ends when the supply went.
		 * A look dated before the first without it starts the wait again.
		 */
		if (!now->charger.present) {
			if (!s->gone_usec || now->usec < s->gone_usec) {
				/* a wait started again keeps the name (old is absent then) */
				if (old && old->charger.present)
					snprintf(s->gone_name, sizeof(s->gone_name), "%s",
						 old->charger.name);
				else if (!s->gone_usec)
					s->gone_name[0] = '\0';
				s->gone_usec = now->usec ? now->usec : 1;
			}
			if (now->usec - s->gone_usec < SESSION_GONE_HOLD_USEC) {
				out->held = true;
				return;
			}
		}
		/*
		 * back, its online not read yet (a bus error at its first
		 * look: nothing before to keep, snapshot_keep_online()): still
		 * waiting, as long as an unknown online is kept (helper-74: it
		 * ended as no-response at once)
		 */
		if (unknown && wait && now->usec >= wait && now->usec - wait < ONLINE_KEEP_USEC) {
			out->held = true;
			return;
		}
		if (wait && wait <= now->usec)
			end = wait;
		out->unplugged = !gone && !unknown;
		out->unplug_untimed = out->unplugged && wait;
		out->ended = session_end(s, end, gone ? "removed" :
					 unknown ? "no-response" : "unplugged", &out->record);
		s->ended_removed = out->ended && gone;
	}
	/* back, whatever it reads (refusing its input too: helper-72) */
	if (now->charger.present)
		s->gone_usec = s->unread_usec = 0;
	/*
	 * gone, the session ended at this look: its faults go with it, in
	 * the same look (helper-82: kept until some later look, on battery
	 * hours later, beside "the charger's supply is gone")
	 */
	else if (!s->active)
		s->active_faults = s->swap_faults = 0;
}

void session_clock_of(const struct session *s, struct session_clock *out)
{
	out->id = s->active ? s->rec.id : 0;
	out->start_usec = s->start_usec;
	out->base_s = s->base_s;
	out->on_boot_clock = s->active && s->on_boot_clock;
	out->charger_ino = 0;
	out->power_good_rises = PSY_NONE;
}

void session_clock_format(const struct session_clock *c, char *line, size_t len)
{
	if (c->charger_ino && c->power_good_rises >= 0)
		snprintf(line, len, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %d %" PRIu64 " %lld\n",
			 c->id, c->start_usec, c->base_s, c->on_boot_clock, c->charger_ino,
			 c->power_good_rises);
	else
		snprintf(line, len, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %d\n", c->id,
			 c->start_usec, c->base_s, c->on_boot_clock);
}

/* One unsigned decimal at *p, then sep (or the line's end if sep is 0). */
static bool clock_field(const char **p, uint64_t *v, char sep)
{
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)**p))
		return false;
	errno = 0;
	n = strtoull(*p, &end, 10);
	if (errno)
		return false;
	if (sep ? *end != sep : *end && strcmp(end, "\n"))
		return false;
	*v = n;
	*p = end + (sep != 0);
	return true;
}

int session_clock_parse(const char *line, struct session_clock *c)
{
	const char *p = line, *next;
	uint64_t whole = 0, ino = 0, rises = 0;

	if (!clock_field(&p, &c->id, ' ') || !clock_field(&p, &c->start_usec, ' '))
		return -EINVAL;
	next = p;
	if (!clock_field(&p, &c->base_s, 0)) {
		/* four fields or six */
		p = next;
		if (!clock_field(&p, &c->base_s, ' '))
			return -EINVAL;
		next = p;
		if (!clock_field(&p, &whole, 0)) {
			p = next;
			if (!clock_field(&p, &whole, ' ') || !clock_field(&p, &ino, ' ') ||
			    !clock_field(&p, &rises, 0) || !ino || rises > LLONG_MAX)
				return -EINVAL;
		}
		if (whole > 1)
			return -EINVAL;
	}
	c->on_boot_clock = whole == 1;
	c->charger_ino = ino;
	c->power_good_rises = ino ? (long long)rises : PSY_NONE;
	return 0;
}

void session_gone_format(uint64_t gone_usec, uint64_t seen_usec, uint32_t faults, char *line,
			 size_t len)
{
	snprintf(line, len, "%" PRIu64 " %" PRIu64 " %" PRIu32 "\n", gone_usec, seen_usec, faults);
}

int session_gone_parse(const char *line, uint64_t now_usec, uint64_t *gone_usec,
		       uint32_t *faults)
{
	const char *p = line;
	uint64_t gone, seen, f;

	if (!clock_field(&p, &gone, ' ') || !clock_field(&p, &seen, ' ') ||
	    !clock_field(&p, &f, 0) || !gone || gone > seen || f >> FAULT__COUNT)
		return -EINVAL;
	if (seen > now_usec || now_usec - seen >= SESSION_GONE_FRESH_USEC)
		return -ESTALE;
	*gone_usec = gone;
	*faults = (uint32_t)f;
	return 0;
}

/* Percentage points of charge a gauge may step back and forth by (its noise). */
#define RESUME_DROP_PERCENT	2

/*
 * The kind of USB port a source kind (the driver's source_kind, or the
 * power_supply ABI's usb_type) names, as BC1.2 detection tells them
 * apart: 1 a standard downstream port (a computer's), 2 a charging
 * downstream port, 3 a dedicated charger; 0 anything else (unknown, not
 * finished, non-standard, an ABI kind beyond BC1.2). A dedicated charger
 * that then talks HVDCP is still one: bq25895's HVDCP detection follows
 * BC1.2's on the same adapter, which reads DCP with REG02 HVDCP_EN clear
 * and HV DCP with it set (VBUS_STAT 011 and 100).
 */
static int port_kind(const char *kind)
{
	if (!strcasecmp(kind, "sdp"))
		return 1;
	if (!strcasecmp(kind, "cdp"))
		return 2;
	if (!strcasecmp(kind, "dcp") || !strcasecmp(kind, "hvdcp"))
		return 3;
	return 0;
}

/*
 * Another port than the saved session's: both known, and different. Not
 * from one detection to the next on the same adapter (the chip's answer
 * for one port does not change but for HVDCP over DCP), so the adapter was
 * changed while no chargerd looked (helper-61: chargerd stopped, a wall
 * adapter unplugged, a computer's port plugged 600 s later, started: the
 * wall adapter's session went on, relabelled sdp, and the computer's was
 * never started). The driver's source_kind first, else usb_type.
 */
static bool another_port(const struct session_record *saved, const struct psy_snapshot *c)
{
	int was = port_kind(saved->source), now = port_kind(c->source_kind);

	if (!was || !now) {
		was = port_kind(saved->usb_type);
		now = port_kind(c->usb_type);
	}
	return was && now && was != now;
}

/*
 * A source plugged in while chargerd was away, as the charger's driver
 * counted them (bq2589x_charger's power_good_rises): another count than
 * at the session's last save, on the same charger device; on a device
 * probed since (its driver bound again), a count of 2 or more, as a
 * probe counts at most one, the source in at the probe (helper-71: a
 * replug after a rebind went on as the saved session). The same kind of
 * adapter swapped, or a computer's port plugged again after the battery
 * drained, went on as the saved session before. Unknown (another driver,
 * a reboot's, no runtime directory): no evidence either way.
 */
static bool another_arrival(const struct session_record *saved, const struct snapshot *now,
			    const struct session_clock *clock)
{
	const struct psy_snapshot *c = &now->charger;

	if (!clock || clock->id != saved->id || !clock->charger_ino || !c->ino ||
	    c->power_good_rises < 0)
		return false;
	if (clock->charger_ino != c->ino)
		return clock->on_boot_clock && c->power_good_rises >= 2;
	return clock->power_good_rises >= 0 && c->power_good_rises != clock->power_good_rises;
}

bool session_resume(struct session *s, const struct session_record *saved,
		    const struct snapshot *now, const struct session_clock *clock,
		    const struct wall_time *wall, struct session_record *ended)
{
	bool mine = clock && clock->id == saved->id && clock->on_boot_clock;
	int32_t cap = percent(now->battery.capacity);

	/*
	 * Without this boot's clock of it (a reboot), a battery lower than at
	 * the checkpoint by more than a gauge's step did not charge all along:
	 * unplugged while no chargerd was there (the device off), plugged in
	 * again since. Another session (helper-52: it went on under the old
	 * id, start and start capacity, with no plug said).
	 */
	bool replugged = (!(clock && clock->id == saved->id) && cap >= 0 &&
			  saved->end_capacity >= 0 &&
			  cap + RESUME_DROP_PERCENT < saved->end_capacity) ||
			 another_port(saved, &now->charger) || another_arrival(saved, now, clock);

	/*
	 * Restarted while its charger's supply is gone (a driver package's
	 * upgrade reloads the module and restarts chargerd: helper-72): the
	 * session waits for it as it would have (session_update()), from
	 * now; not at a boot, where a charger that probes late is no sign
	 * that the source stayed.
	 */
	bool held = !now->charger.present && mine;
	/*
	 * Restarted with its charger there, online not read (a bus error,
	 * the supply's registration under way after a reload): waited for
	 * as long as an unknown online is kept, as while running
	 * (helper-78: ended as agent-restart, a new session at the next
	 * look).
	 */
	bool unread = now->charger.present && now->charger.online == PSY_NONE && mine;

	/* restarted while the charger refuses its input: the session goes on */
	s->refused_vbus_usec = 0;
	s->gone_usec = s->unread_usec = 0;
	s->gone_faults_unknown = false;
	if ((!online(now) && !held && !unread &&
	     !input_refused(s, now, faults_present(NULL, now, 0))) || replugged) {
		*ended = *saved;
		word(ended->end_reason, "agent-restart");
		if (mine)
			redate(ended, clock->start_usec, clock->base_s, wall);
		return false;
	}
	/*
	 * It went on charging while chargerd was down: on this boot's clock
	 * if it is this session's, else (a reboot, no runtime directory)
	 * from the checkpoint, the gap not counted.
	 */
	if (clock && clock->id == saved->id && clock->start_usec <= now->usec &&
	    clock->base_s <= saved->duration_s) {
		s->start_usec = clock->start_usec;
		s->base_s = clock->base_s;
		s->on_boot_clock = clock->on_boot_clock;
	} else {
		s->start_usec = now->usec;
		s->base_s = saved->duration_s;
		s->on_boot_clock = false;
	}
	s->rec = *saved;
	s->rec.end_reason[0] = '\0';
	s->active = true;
	s->power_seen = saved->energy_mwh != HISTORY_UNKNOWN;
	s->current_seen = saved->charge_mah != HISTORY_UNKNOWN;
	s->energy_uwh = s->power_seen ? saved->energy_mwh * 1000.0 : 0;
	s->charge_uah = s->current_seen ? saved->charge_mah * 1000.0 : 0;
	s->start_charge_uah = now->battery.charge_now == PSY_NONE || now->battery.charge_now < 0 ?
			      PSY_NONE : now->battery.charge_now - s->charge_uah;
	/*
	 * Energy from here on is the gauge's charge at the mean voltage, as
	 * from a start, over what the checkpoint had: integrated alone, one
	 * suspend's gap at the last current made it many times too much.
	 */
	s->seg_energy_uwh = s->energy_uwh;
	s->seg_charge_uah = now->battery.charge_now < 0 ? PSY_NONE : now->battery.charge_now;
	s->seg_battery_uv = now->battery.voltage_now;
	/*
	 * The faults as the chargerd before left them (faults_restored):
	 * the next look raises what came since and clears what ended.
	 * Without them (no runtime directory, or an older chargerd's): a
	 * fault the session had seen and that is there now was raised
	 * before the restart: not raised again (a second record, a second
	 * signal, one more fault_events in the history). One that had
	 * cleared and came back while chargerd was down goes uncounted.
	 */
	if (!s->faults_restored)
		s->active_faults = faults_present(NULL, now, 0) & saved->faults;
	else
		/*
		 * only those its record has: one saved before its record's
		 * checkpoint (chargerd died between them) is raised again,
		 * not lost (helper-81)
		 */
		s->active_faults &= saved->faults;
	if (held) {
		/*
		 * since it went, when known (and within the session: helper-76
		 * wrote 1 there): a restart does not start the wait again
		 */
		bool known = clock->gone_usec && clock->gone_usec <= now->usec &&
			     clock->gone_usec >= clock->start_usec;

		s->gone_usec = known ? clock->gone_usec : now->usec ? now->usec : 1;
		s->gone_name[0] = '\0';	/* not known: the restart read none */
		/*
		 * its faults not read: as they were when it went (helper-75);
		 * not known, taken at its return (helper-77: none while it was
		 * gone raised a kept one again)
		 */
		if (known && !s->faults_restored)
			s->active_faults = clock->gone_faults & saved->faults;
		s->gone_faults_unknown = !known && !s->faults_restored;
	}
	if (unread)
		s->unread_usec = now->usec ? now->usec : 1;
	observe(s, now, 0);
	return true;
}
