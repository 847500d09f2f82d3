// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnosis.h"
#include "msgid.h"

static const struct {
	const char *code, *mid, *summary, *fix;
} causes[CAUSE__COUNT] = {
	[CAUSE_CONNECTOR] = { "connector", MID_DIAG_CONNECTOR,
		"The charging connection keeps dropping: the port or plug is loose, dirty or damaged.",
		"Unplug, look into the device's port with a light and remove lint or dirt with a wooden toothpick or a soft dry brush (no metal, no liquid). Push the plug fully in. If it still drops out when the cable moves, try another cable; if that does not help, the port needs repair." },
	[CAUSE_CABLE] = { "cable", MID_DIAG_CABLE,
		"The voltage drops too much under load: the cable or its connectors resist the current.",
		"Use a shorter, thicker cable in good condition, ideally the one that came with the device. Avoid extension cables and worn or bent plugs." },
	[CAUSE_WEAK_SOURCE] = { "weak-source", MID_DIAG_WEAK_SOURCE,
		"The power source gives little current: a computer's USB port, a USB hub or a small adapter.",
		"Charge from a wall adapter rated 5 V and at least 2 A (10 W). Computer ports and USB hubs usually give 0.5 A, which charges slowly or not at all while the device is in use." },
	[CAUSE_NO_POWER] = { "no-power", MID_DIAG_NO_POWER,
		"No power reaches the device.",
		"Check that the adapter is in a working socket (try a lamp) or the computer is on and awake, that the plug is fully in at both ends, and try another cable and another adapter." },
	[CAUSE_ADAPTER_OVERVOLTAGE] = { "adapter-overvoltage", MID_DIAG_ADAPTER_OVERVOLTAGE,
		"The adapter supplies too high a voltage; the charger refuses it to protect the device.",
		"Unplug this adapter and use a standard 5 V USB adapter. Do not use it again with this device." },
	[CAUSE_TOO_HOT] = { "too-hot", MID_DIAG_TOO_HOT,
		"The battery is too warm to charge safely.",
		"Move the device somewhere cooler, out of the sun and off warm surfaces, and let it cool for a while; charging resumes by itself." },
	[CAUSE_TOO_COLD] = { "too-cold", MID_DIAG_TOO_COLD,
		"The battery is too cold to charge safely.",
		"Bring the device to room temperature and wait about half an hour before charging; charging resumes by itself." },
	[CAUSE_DEEP_DISCHARGE] = { "deep-discharge", MID_DIAG_DEEP_DISCHARGE,
		"The battery was deeply discharged and is being recovered slowly.",
		"Leave it connected to a wall adapter for one to two hours, even if the light does not come on at first. If it still does not charge after that, the battery needs service." },
	[CAUSE_WORN_BATTERY] = { "worn-battery", MID_DIAG_WORN_BATTERY,
		"The battery has worn out: it holds much less charge than when new.",
		"Charging works, but a full charge lasts less. Have the battery replaced if the playing time is too short." },
	[CAUSE_BATTERY_FAULT] = { "battery-fault", MID_DIAG_BATTERY_FAULT,
		"The battery does not charge as it should (it took too long, or its voltage went too high).",
		"Stop using the device and contact support: the battery needs to be checked or replaced." },
	[CAUSE_CHARGER_FAULT] = { "charger-fault", MID_DIAG_CHARGER_FAULT,
		"The charging circuit is not working properly.",
		"Unplug the device, let it cool, and try again later. If it happens again, contact support: the device needs repair." },
	[CAUSE_PAUSED_HEAT] = { "paused-heat", MID_DIAG_PAUSED_HEAT,
		"Charging is slowed because the battery is cooler or warmer than is best for charging; this protects it.",
		"Nothing is wrong. Charging speeds up again when the battery is back at room temperature." },
	[CAUSE_PAUSED_IN_USE] = { "paused-in-use", MID_DIAG_PAUSED_IN_USE,
		"Charging is paused while the device is in use, to spare the battery.",
		"Nothing is wrong. Charging continues to full when you stop using the device, or below the resume level." },
	[CAUSE_BATTERY_NOT_DETECTED] = { "battery-not-detected", MID_DIAG_BATTERY_NOT_DETECTED,
		"The battery is not detected: its fuel gauge stopped answering, so the battery's charge and temperature are unknown.",
		"Restart the device. If the battery is still not detected, contact support: the battery or its connection needs repair." },
	[CAUSE_SOURCE_OVERLOAD] = { "source-overload", MID_DIAG_SOURCE_OVERLOAD,
		"The device uses more power than the source gives: it is plugged in, yet the battery drains.",
		"Charge from a wall adapter rated 5 V and at least 2 A (10 W), or let the device charge while it is off or not playing. A computer's port or a hub gives too little to charge it while in use." },
	[CAUSE_TEMPERATURE_SENSOR] = { "temperature-sensor", MID_DIAG_TEMPERATURE_SENSOR,
		"A battery temperature sensor is faulty: its reading contradicts the other sensor, or no battery could have it.",
		"One of the two readings is wrong, so warming or cooling the device may not help. Contact support: the device needs repair. Until then it may charge slowly or not at all, or stop charging for a temperature it does not have." },
	[CAUSE_INPUT_FAULT] = { "input-fault", MID_DIAG_INPUT_FAULT,
		"The charger refused its input: the adapter's voltage was too high, or the source could not hold its voltage. The charger reports both the same way.",
		"Use a standard 5 V USB wall adapter rated at least 2 A with a short cable in good condition. If this adapter's label says more than 5 V only, or it is not a USB adapter, do not use it with this device." },
	[CAUSE_CURRENT_LIMITED] = { "current-limited", MID_DIAG_CURRENT_LIMITED,
		"Charging is slower than the device allows: a setting on the device lowered the charge current, or the input's limit.",
		"Nothing is wrong with the battery, the adapter or the cable. A setting or a script on the device lowered a charging limit, so a full charge takes longer. Support can see in the device's log which program lowered the charge current, and raise it again; an input limit ends when the charger is unplugged and plugged in again." },
	[CAUSE_VOLTAGE_LIMITED] = { "voltage-limited", MID_DIAG_VOLTAGE_LIMITED,
		"Charging stops short of a full battery: a setting on the device lowered the charge voltage.",
		"Nothing is wrong with the battery, the adapter or the cable. A setting or a script on the device lowered the battery's charge voltage (to spare the battery, or by mistake), so it stops charging before it is full and the device plays for less time. Support can set the charger's constant_charge_voltage back to the board's value given here; it is also back after a restart of the device." },
};

struct cause_words {
	const char *summary, *fix;
};

/* The summary and fix of a finding that went by (struct diagnosis's passed), where they differ. */
static const struct cause_words passed[CAUSE__COUNT] = {
	[CAUSE_CHARGER_FAULT] = {
		"The charging circuit stopped responding for a while; it works again.",
		"Nothing to do now. If it happens again, contact support: the device may need repair." },
};

/*
 * Of a part gone a moment ago (struct diagnosis's pending): a driver
 * reload is back within seconds, and `chargerctl diagnose` said "needs
 * repair" while `status` (which waits, GONE_CONFIRM_USEC) said nothing.
 */
static const struct cause_words pending[CAUSE__COUNT] = {
	[CAUSE_CHARGER_FAULT] = {
		"The charging circuit's driver went away a moment ago; a driver reload brings it back within seconds.",
		"Wait ten seconds and ask again. If it is still gone then, restart the device; if that does not help, contact support." },
	[CAUSE_BATTERY_NOT_DETECTED] = {
		"The battery's fuel gauge stopped answering a moment ago; a driver reload brings it back within seconds.",
		"Wait ten seconds and ask again. If the battery is still not detected then, restart the device; if that does not help, contact support." },
};

/*
 * Of a part gone for good (struct diagnosis's missing): the charger's
 * supply gone is no circuit to let cool (helper-76: "unplug, let it cool"
 * for a driver that is not bound).
 */
static const struct cause_words missing[CAUSE__COUNT] = {
	[CAUSE_CHARGER_FAULT] = {
		"The charging circuit's driver stopped: the device cannot see or control its charger.",
		"Restart the device. If it happens again, contact support: the device needs repair." },
};

/*
 * Of a part never seen (struct diagnosis's absent): a charger whose driver
 * never probed is neither a circuit to let cool nor a driver that
 * stopped (helper-95: "unplug, let it cool" for a charger never found;
 * helper-77: not "the driver stopped"). The chip that does not answer
 * and the module that is not there both show at boot in the kernel's log.
 */
static const struct cause_words absent[CAUSE__COUNT] = {
	[CAUSE_CHARGER_FAULT] = {
		"The device's charger was not found: its driver never started, so nothing can see or control charging.",
		"Restart the device. If it happens again, contact support: the kernel's log from the start says whether the charger chip does not answer (a repair) or its driver is missing (a software update)." },
};

/*
 * Of a charger chip that does not keep the settings its driver writes
 * (struct diagnosis's unkept): a damaged part, which neither cooling nor
 * a restart mends; its driver keeps charging off while the chip would go
 * beyond the battery's limits.
 */
static const struct cause_words unkept[CAUSE__COUNT] = {
	[CAUSE_CHARGER_FAULT] = {
		"The charging circuit does not keep the settings the device gives it, so the device cannot control how the battery charges.",
		"Contact support: the device needs repair. Until then it charges only while the circuit's own settings are safe for the battery, and may not charge at all." },
};

/*
 * Of settings something else writes (struct diagnosis's overwritten):
 * nothing is broken, a repair would change nothing, and the chip's own
 * supply is not to blame (the words of a chip reset); a program or a
 * other writer on its bus is to be found (helper-97).
 */
static const struct cause_words overwritten[CAUSE__COUNT] = {
	[CAUSE_CHARGER_FAULT] = {
		"Something on the device other than the charger's driver changes the charger's settings; the driver puts them back each time, and charging goes on.",
		"Nothing needs repair. Support: the kernel's log names the first setting changed since the driver started. Find what else writes to the charger chip (a program using the I2C bus with forced access, such as i2cset -f, or another processor or firmware on the same bus) and stop it." },
};

/*
 * Of a setting that holds whatever happens (struct diagnosis's forced):
 * with in-use mode on, stopping use changes nothing (helper-86: the
 * advice said it would, on a device left in mode on after a support
 * session, which never charged past 80 %).
 */
static const struct cause_words forced[CAUSE__COUNT] = {
	[CAUSE_PAUSED_IN_USE] = {
		"Charging is paused at the in-use level because in-use mode is set to on: it stays paused there whether or not the device is used.",
		"To charge to full, set in-use mode back to automatic (chargerctl in-use auto)." },
};

/*
 * Of a part the configuration names wrongly (struct diagnosis's
 * configured): nothing is broken, and a repair would change nothing
 * (helper-90: a typo in [supplies] charger was "charger-fault", "the
 * device needs repair", while the journal named the configuration).
 */
static const struct cause_words configured[CAUSE__COUNT] = {
	[CAUSE_CHARGER_FAULT] = {
		"chargerd's configuration names a charger this device does not have, so chargerd controls none: no temperature or in-use limit applies while it charges.",
		"Nothing needs repair. Support: correct [supplies] charger in /etc/chargerd.conf (the evidence names the charger that is here), or remove it, then restart chargerd." },
	[CAUSE_BATTERY_NOT_DETECTED] = {
		"chargerd's configuration names a battery this device does not have, so chargerd charges without the battery's charge and temperature.",
		"Nothing needs repair. Support: correct [supplies] battery in /etc/chargerd.conf (the evidence names the battery that is here), or remove it, then restart chargerd." },
};

static const struct cause_words *words_of(const struct diagnosis *g)
{
	if ((unsigned int)g->cause >= CAUSE__COUNT)
		return NULL;
	if (g->configured && configured[g->cause].summary)
		return &configured[g->cause];
	if (g->forced && forced[g->cause].summary)
		return &forced[g->cause];
	if (g->missing && missing[g->cause].summary)
		return &missing[g->cause];
	if (g->absent && absent[g->cause].summary)
		return &absent[g->cause];
	if (g->unkept && unkept[g->cause].summary)
		return &unkept[g->cause];
	if (g->overwritten && overwritten[g->cause].summary)
		return &overwritten[g->cause];
	if (g->pending && pending[g->cause].summary)
		return &pending[g->cause];
	if (g->passed && passed[g->cause].summary)
		return &passed[g->cause];
	return NULL;
}

/* A part that failed and works again: what is said when its cause goes (cause_gone()). */
static const char *const gone[CAUSE__COUNT] = {
	[CAUSE_BATTERY_NOT_DETECTED] = "The battery is detected again: its fuel gauge answers.",
	[CAUSE_TEMPERATURE_SENSOR] = "The battery temperature sensors agree again, on a temperature a battery can have.",
	[CAUSE_CHARGER_FAULT] = "The charger's power supply is back: its driver is bound again.",
};

const char *cause_code(enum cause c)
{
	return (unsigned int)c < CAUSE__COUNT ? causes[c].code : NULL;
}

const char *cause_summary(enum cause c)
{
	return (unsigned int)c < CAUSE__COUNT ? causes[c].summary : NULL;
}

const char *cause_fix(enum cause c)
{
	return (unsigned int)c < CAUSE__COUNT ? causes[c].fix : NULL;
}

const char *diagnosis_summary(const struct diagnosis *g)
{
	const struct cause_words *w = words_of(g);

	return w ? w->summary : cause_summary(g->cause);
}

const char *diagnosis_fix(const struct diagnosis *g)
{
	const struct cause_words *w = words_of(g);

	return w ? w->fix : cause_fix(g->cause);
}

const char *cause_gone(enum cause c)
{
	return (unsigned int)c < CAUSE__COUNT ? gone[c] : NULL;
}

const char *cause_message_id(enum cause c)
{
	return (unsigned int)c < CAUSE__COUNT ? causes[c].mid : NULL;
}

const char *severity_name(enum severity s)
{
	return s == SEV_FAULT ? "fault" : s == SEV_WARNING ? "warning" : "info";
}

void evidence_plug(struct evidence *e, const struct diag_config *c, uint64_t usec)
{
	uint64_t gap;

	e->have_sag = false;
	/*
	 * A session that ended with the chip not answering (a long outage:
	 * the session ends, the bus's return is this "plug") hands its
	 * no-response on: the recovered bus's warning was dropped with it,
	 * and the worse outage left no finding (helper-66). Not past an
	 * unplug seen in between (evidence_snapshot(); helper-67).
	 */
	evidence_faults_end(e);
	e->carry_no_response = false;
	e->chip_resets = 0;
	e->config_overwritten = 0;
	e->temp_step = e->step_pending = false;
	if (e->end_not_unplug) {
		/* a rebind's return: the power did not go; the stay goes on */
		e->end_not_unplug = false;
		return;
	}
	e->last_plug_usec = usec;
	if (!e->last_unplug_usec || usec < e->last_unplug_usec) {
		e->bounces = 0;
		e->bounce_window_max_s = 0;
		return;
	}
	gap = (usec - e->last_unplug_usec) / 1000000;
	if (gap > c->bounce_window_s) {
		e->bounces = 0;
		e->bounce_window_max_s = 0;
		return;
	}
	/*
	 * A connector drops the power while the plug is in: bounces close
	 * together. Power that stayed longer than bounce_stay_s since the
	 * last bounce was a plug that held, and this replug (a user's, to
	 * re-seat it) starts a run of its own (helper-79: three replugs 50 s
	 * apart, each back within 2 s, were "connector").
	 */
	if (e->bounces && e->last_stay_usec > (uint64_t)c->bounce_stay_s * 1000000) {
		e->bounces = 0;
		e->bounce_window_max_s = 0;
	}
	e->bounces++;
	/* said in whole seconds, rounded up: "within 0 s" for a quick one (helper-86) */
	gap = (usec - e->last_unplug_usec + 999999) / 1000000;
	if (gap > e->bounce_window_max_s)
		e->bounce_window_max_s = gap;
}

void evidence_faults_end(struct evidence *e)
{
	e->session_faults &= e->carry_no_response ? FAULT_BIT(FAULT_NO_RESPONSE) : 0;
}

void evidence_unplug(struct evidence *e, uint64_t usec, enum evidence_end how)
{
	if (how != END_REMOVED)
		e->last_unplug_usec = how == END_UNPLUGGED ? usec : 0;
	if (how == END_UNPLUGGED)
		e->last_stay_usec = e->last_plug_usec && usec >= e->last_plug_usec ?
				    usec - e->last_plug_usec : UINT64_MAX;
	e->end_not_unplug = how == END_REMOVED;
	e->carry_no_response = how == END_REMOVED &&
			       e->session_faults & FAULT_BIT(FAULT_NO_RESPONSE);
	evidence_faults_end(e);
	e->chip_resets = 0;
	e->config_overwritten = 0;
	/* the charger's TS goes blind: a step waiting on it can be settled no more */
	e->step_pending = false;
}

/*
 * The gauge's and the charger's thermistor's readings of the same cell
 * (0.1 degC) may differ by placement and self-heating by a few degrees;
 * past this, one of them is wrong.
 */
#define TEMP_DISAGREE_DC	150

static bool known(long long v)
{
	return v != PSY_NONE;
}

/*
 * *acc plus what a charger's counter rose from was to now (the same
 * charger's: a reload starts it at 0 again, which is no rise), saturating.
 */
static void count_rise(unsigned int *acc, long long was, long long now)
{
	long long n;

	if (!known(was) || !known(now) || now <= was)
		return;
	n = now - was;
	*acc = n >= UINT_MAX - *acc ? UINT_MAX : *acc + (unsigned int)n;
}

/* The other sensor (the gauge for the charger's, and back) in s; PSY_NONE: none valid. */
static long long other_temp(const struct snapshot *s, bool charger)
{
	if (charger)
		return s->battery.present ? s->battery.temp : PSY_NONE;
	return s->charger.present && s->charger.online == 1 ? s->charger.temp : PSY_NONE;
}

/*
 * One sensor's step from old to now (0.1 degC) over dt_usec: with another
 * sensor to check it against, it waits (step_pending) for that one to
 * follow; the same snapshot's follow settles it at once.
 */
static void temp_step_seen(struct evidence *e, bool charger, long long old, long long now,
			   long long other_old, long long other_now, uint64_t usec, uint64_t dt_usec)
{
	long long d, gap;

	/* plausible readings only: their differences cannot overflow */
	if (e->step_pending || e->temp_step || !temp_plausible(old) || !temp_plausible(now) ||
	    !temp_plausible(other_old))
		return;
	d = now - old;
	if (d < TEMP_STEP_DC && d > -TEMP_STEP_DC)
		return;
	if (temp_plausible(other_now) &&
	    ((d > 0 && (other_now - other_old) * 2 >= d) || (d < 0 && (other_now - other_old) * 2 <= d)))
		return;
	/* a step towards the other sensor is this one catching up (an ADC a few seconds late) */
	gap = now - (temp_plausible(other_now) ? other_now : other_old);
	if (llabs(gap) * 2 < llabs(d))
		return;
	e->step_pending = true;
	e->step_usec = usec;
	e->step_other_dc = other_old;
	e->temp_step_charger = charger;
	e->temp_step_from_dc = old;
	e->temp_step_to_dc = now;
	e->temp_step_s = (unsigned int)(dt_usec / 1000000);
}

/* A pending step: the other sensor followed it (the cell's own), or did not in time. */
static void temp_step_settle(struct evidence *e, const struct snapshot *s)
{
	long long d = e->temp_step_to_dc - e->temp_step_from_dc;
	long long o = other_temp(s, e->temp_step_charger);

	if (!e->step_pending)
		return;
	/* the other sensor gone (unplugged, no gauge): one alone proves nothing */
	if (!temp_plausible(o) || s->usec < e->step_usec ||
	    (temp_plausible(o) && ((d > 0 && (o - e->step_other_dc) * 2 >= d) ||
				   (d < 0 && (o - e->step_other_dc) * 2 <= d)))) {
		e->step_pending = false;
		return;
	}
	if (s->usec - e->step_usec >= TEMP_CONFIRM_USEC) {
		e->step_pending = false;
		e->temp_step = true;
	}
}

/*
 * The cell temperatures (0.1 degC) at which a charger's cold or hot zone
 * cannot be right: 10 degC inside the chip's charging window, 0 to 45 degC
 * (the BQ25895's cold/hot thresholds on the board's 103AT network, and
 * JEITA's cold and warm edges), so that a gauge and a TS thermistor a few
 * degrees apart on the board never disagree by placement alone: a cold
 * zone with the gauge at 10 degC or more, a hot one at 35 or less.
 */
#define TS_SANE_MIN_DC		100
#define TS_SANE_MAX_DC		350

bool ts_zone_denied(bool cold, const struct psy_snapshot *bat)
{
	if (!bat->present || !known(bat->temp))
		return false;
	return cold ? bat->temp >= TS_SANE_MIN_DC : bat->temp <= TS_SANE_MAX_DC;
}

/*
 * The charger's NTC zone says cold or hot (its health, at once: the chip
 * reads TS continuously) while the gauge's reading denies it (a reading up
 * to a few seconds old, or a driver's cache's: not yet the cell's new
 * temperature). A cold zone on a cell the gauge reads at 47 degC is denied
 * too (it was not: only a reading inside 10..35 degC counted).
 */
static bool zone_contradicts_gauge(const struct snapshot *s)
{
	const struct psy_snapshot *c = &s->charger;
	bool cold = !strcmp(c->health, "Cold");

	return c->present && (cold || !strcmp(c->health, "Hot")) &&
	       ts_zone_denied(cold, &s->battery);
}

bool gauge_answers(const struct psy_snapshot *bat)
{
	return bat->present && (known(bat->capacity) || known(bat->voltage_now));
}

bool cause_missing(enum cause c, const struct snapshot *s, const struct evidence *e)
{
	switch (c) {
	case CAUSE_CHARGER_FAULT:
		return !s->charger.present && e->charger_gone_sustained;
	default:
		return cause_gone(c);
	}
}

bool cause_cleared(enum cause c, const struct snapshot *s)
{
	const struct psy_snapshot *chg = &s->charger, *bat = &s->battery;
	long long bt = bat->temp, ct = chg->temp;

	switch (c) {
	case CAUSE_CHARGER_FAULT:
		/* its supply back (cause_missing()) */
		return chg->present;
	case CAUSE_BATTERY_NOT_DETECTED:
		/* its check (diagnose()) needs the charger too */
		return chg->present && gauge_answers(bat);
	case CAUSE_TEMPERATURE_SENSOR:
		/* the thermistor is read on external power only */
		return chg->present && chg->online == 1 && bat->present && temp_plausible(bt) &&
		       temp_plausible(ct) && bt - ct <= TEMP_DISAGREE_DC &&
		       ct - bt <= TEMP_DISAGREE_DC && !zone_contradicts_gauge(s);
	default:
		return false;
	}
}

/*
 * A condition that must hold for need_usec before it counts: on, since it
 * was first seen at usec (CLOCK_BOOTTIME; a snapshot dated before that
 * starts the count again), and sustained once it has held that long.
 */
static void sustain(bool cond, uint64_t usec, uint64_t need_usec, bool *on, uint64_t *since,
		    bool *sustained)
{
	if (!cond) {
		*on = *sustained = false;
	} else if (!*on || usec < *since) {
		*on = true;
		*since = usec;
		*sustained = false;
	} else {
		*sustained = usec - *since >= need_usec;
	}
}

void evidence_snapshot(struct evidence *e, const struct snapshot *old, const struct snapshot *s)
{
	const struct psy_snapshot *oc, *ob, *c = &s->charger, *b = &s->battery;
	long long bt = b->present ? b->temp : PSY_NONE, ct = other_temp(s, false);
	bool chg_valid;
	uint64_t dt;

	/* the charger read unplugged: a next plug is a plug, nothing carried */
	if (c->present && c->online == 0)
		e->carry_no_response = false;
	sustain(snapshot_draining(s), s->usec, DRAIN_SUSTAINED_USEC,
		&e->draining, &e->drain_since_usec, &e->drain_sustained);
	sustain(temp_plausible(bt) && temp_plausible(ct) &&
		(bt - ct > TEMP_DISAGREE_DC || ct - bt > TEMP_DISAGREE_DC), s->usec, TEMP_CONFIRM_USEC,
		&e->disagree, &e->disagree_since_usec, &e->disagree_sustained);
	sustain(zone_contradicts_gauge(s), s->usec, TEMP_CONFIRM_USEC,
		&e->zone_disagree, &e->zone_disagree_since_usec, &e->zone_disagree_sustained);
	sustain((known(bt) && !temp_plausible(bt)) || (known(ct) && !temp_plausible(ct)), s->usec,
		TEMP_CONFIRM_USEC,
		&e->implausible, &e->implausible_since_usec, &e->implausible_sustained);
	/* the charger's supply going again soon after it came back, or back */
	if (e->charger_seen && !c->present && !e->charger_gone) {
		bool soon = e->charger_return_usec && s->usec >= e->charger_return_usec &&
			    s->usec - e->charger_return_usec < CHARGER_FLAP_STAY_USEC;

		e->charger_flaps = soon ? e->charger_flaps + 1 : 0;
	} else if (c->present && e->charger_gone) {
		e->charger_return_usec = s->usec ? s->usec : 1;
	}
	sustain(e->charger_seen && !c->present, s->usec, GONE_CONFIRM_USEC,
		&e->charger_gone, &e->charger_gone_since_usec, &e->charger_gone_sustained);
	/* gone for good: its return starts anew (helper-80: said flapping at once) */
	if (e->charger_gone_sustained)
		e->charger_flaps = 0;
	sustain(e->battery_seen && c->present && !gauge_answers(b), s->usec, GONE_CONFIRM_USEC,
		&e->gauge_gone, &e->gauge_gone_since_usec, &e->gauge_gone_sustained);

	temp_step_settle(e, s);
	if (old && !strcmp(old->charger.name, c->name)) {
		count_rise(&e->chip_resets, old->charger.chip_resets, c->chip_resets);
		count_rise(&e->config_overwritten, old->charger.config_overwritten,
			   c->config_overwritten);
	}
	if (!old || s->usec <= old->usec || s->usec - old->usec > TEMP_STEP_USEC)
		return;
	dt = s->usec - old->usec;
	oc = &old->charger;
	ob = &old->battery;
	/* the charger's TS reads only on external power (snapshot_temp()) */
	chg_valid = oc->online == 1 && c->online == 1 && !strcmp(oc->name, c->name);
	if (ob->present && b->present && !strcmp(ob->name, b->name))
		temp_step_seen(e, false, ob->temp, b->temp, chg_valid ? oc->temp : PSY_NONE,
			       chg_valid ? c->temp : PSY_NONE, s->usec, dt);
	if (chg_valid)
		temp_step_seen(e, true, oc->temp, c->temp, ob->present ? ob->temp : PSY_NONE,
			       b->present ? b->temp : PSY_NONE, s->usec, dt);
}

/* Beyond these, a reading is junk: the BQ25895's ADC tops out at 15.3 V and 6.35 A. */
#define MAX_READING_UV	30000000LL
#define MAX_READING_UA	20000000LL
/* nor is a capacity beyond 100 Ah, for a gauge */
#define MAX_CHARGE_UAH	100000000LL

/* The buck converter's efficiency, for the input current from the battery side. */
#define BUCK_EFFICIENCY	0.9

bool evidence_load_test(struct evidence *e, long long vbus_loaded_uv, long long vbus_unloaded_uv,
			long long vbat_uv, long long ibat_ua)
{
	double iin;

	e->have_sag = false;
	/* readings a USB charger cannot show are no evidence (and would overflow) */
	if (vbus_loaded_uv <= 0 || vbus_unloaded_uv <= 0 || vbat_uv <= 0 || ibat_ua <= 0 ||
	    vbus_loaded_uv > MAX_READING_UV || vbus_unloaded_uv > MAX_READING_UV ||
	    vbat_uv > MAX_READING_UV || ibat_ua > MAX_READING_UA)
		return false;
	/* no sag is no measurement: retried, never reported as 0 mOhm */
	if (vbus_unloaded_uv <= vbus_loaded_uv)
		return false;
	iin = (double)vbat_uv * ibat_ua / (BUCK_EFFICIENCY * vbus_loaded_uv);
	if (iin < 1)
		return false;
	e->have_sag = true;
	e->vbus_loaded_uv = vbus_loaded_uv;
	e->vbus_unloaded_uv = vbus_unloaded_uv;
	e->iin_ua = (long long)iin;
	e->sag_mohm = (long long)((vbus_unloaded_uv - vbus_loaded_uv) * 1000.0 / iin);
	return true;
}

struct found {
	struct diagnosis *out;
	int n, max;
};

static struct diagnosis *add(struct found *f, enum cause c, enum severity sev, int score,
			     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Into the list in rank order: where it went, or NULL when it fell off a full list. */
static struct diagnosis *add(struct found *f, enum cause c, enum severity sev, int score,
			     const char *fmt, ...)
{
	struct diagnosis d = { .cause = c, .severity = sev, .score = score };
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(d.evidence, sizeof(d.evidence), fmt, ap);
	va_end(ap);
	/* insertion in rank order; the lowest falls off a full list */
	for (i = f->n; i > 0 && f->out[i - 1].score < score; i--)
		if (i < f->max)
			f->out[i] = f->out[i - 1];
	if (i >= f->max)
		return NULL;
	f->out[i] = d;
	if (f->n < f->max)
		f->n++;
	return &f->out[i];
}

/* What a gauge seen before and gone looks like, for evidence. */
static const char *gauge_gone_text(const struct psy_snapshot *bat)
{
	return !bat->present ? "no battery supply: the fuel gauge is gone" :
	       "the fuel gauge gives no charge and no voltage";
}

/* A temperature in 0.1 degC for evidence: "31.2 degC", or said unknown. */
static const char *temp_text(long long dc, char *buf, size_t len)
{
	if (!known(dc))
		return "an unknown temperature";
	snprintf(buf, len, "%.1f degC", dc / 10.0);
	return buf;
}

/*
 * The evidence of too-hot or too-cold: "battery at T" when chargerd's own
 * band stopped it (zone NULL); when the charger's NTC zone did, that zone
 * first, since the temperature chargerd reads may say otherwise (a gauge
 * a few seconds behind, a thermistor just broken: helper-61 saw "too warm
 * (battery at 25.0 degC)" for the 15 s before temperature-sensor), with
 * the gauge's reading beside it when the two disagree. buf: len bytes.
 */
static const char *temp_evidence(const struct snapshot *s, const struct evidence *e,
				 const char *zone, long long t, char *buf, size_t len)
{
	char at[32];

	if (!zone)
		snprintf(buf, len, "battery at %s", temp_text(t, at, sizeof(at)));
	else if (e->zone_disagree && zone_contradicts_gauge(s))
		snprintf(buf, len,
			 "the charger's thermistor reads its %s zone, the battery's gauge %.1f degC: a broken sensor if it lasts %u s",
			 zone, s->battery.temp / 10.0, (unsigned int)(TEMP_CONFIRM_USEC / 1000000));
	else
		snprintf(buf, len, "the charger's thermistor reads its %s zone (battery at %s)", zone,
			 temp_text(t, at, sizeof(at)));
	return buf;
}

/*
 * "; ... refused" when chargerd's stop for this zone (PAUSE_HEAT or
 * PAUSE_COLD) was refused and the chip's own zone (active's FAULT_HOT or
 * FAULT_COLD) does not stop it either, else nothing.
 */
static const char *stop_refused_text(const struct evidence *e, enum pause_reason stop,
				     uint32_t active)
{
	uint32_t zone = FAULT_BIT(stop == PAUSE_HEAT ? FAULT_HOT : FAULT_COLD);

	if (e->stop_refused != stop || active & zone)
		return "";
	return "; the charger refused chargerd's stop, so it may still be charging";
}

/* " (N bus errors)" when the driver counts them, else nothing. */
static const char *i2c_errors_text(const struct psy_snapshot *chg, char *buf, size_t len)
{
	if (!known(chg->i2c_errors))
		return "";
	snprintf(buf, len, " (%lld bus errors)", chg->i2c_errors);
	return buf;
}

/* ", limited to N mA" when the source's limit (current_max) is known, else nothing. */
static const char *source_limit_text(const struct psy_snapshot *chg, char *buf, size_t len)
{
	if (!known(chg->current_max) || chg->current_max < 0)
		return "";
	snprintf(buf, len, ", limited to %lld mA", chg->current_max / 1000);
	return buf;
}

/* The battery's voltage for evidence: "3.12 V", or said unknown. */
static const char *battery_volts_text(const struct psy_snapshot *bat, char *buf, size_t len)
{
	if (!known(bat->voltage_now) || bat->voltage_now <= 0)
		return "an unknown voltage";
	snprintf(buf, len, "%.2f V", bat->voltage_now / 1e6);
	return buf;
}

/* VBUS as evidence into buf[len]: "at 5.00 V", or "not measured"; returns buf. */
static const char *vbus_text(const struct psy_snapshot *chg, char *buf, size_t len)
{
	if (!known(chg->voltage_now) || chg->voltage_now <= 0 || chg->voltage_now > MAX_READING_UV)
		snprintf(buf, len, "not measured");
	else
		snprintf(buf, len, "at %.2f V", chg->voltage_now / 1e6);
	return buf;
}

/*
 * The input regulated at a limit written on the device, not at what the
 * source gives (bq2589x_charger's input_limits_written, driver/ABI.md;
 * helper-87: a limit written on the device was "weak-source", with a new
 * adapter for its fix): its input current limit with IINDPM, when the
 * limit in force (current_max: ICO's finding, the ILIM pin) is not below
 * it by more than a step; its input voltage limit with VINDPM, when VBUS
 * reads below it (a limit above what the source gives; at it, the source
 * sags to it: a weak source, whoever set the limit; helper-88). The
 * evidence into buf[len], or NULL.
 */
#define INPUT_SET_STEP_UA	50000
/* the charge voltage's step, VREG's 16 mV (SLUSC88A REG06): less is rounding */
#define VOLTAGE_SET_STEP_UV	16000
#define INPUT_SET_BELOW_UV	200000
static const char *input_set_text(const struct psy_snapshot *chg, char *buf, size_t len)
{
	const char *w = chg->input_limits_written, *dpm = chg->input_dpm;
	bool cur = (!strcmp(w, "current") || !strcmp(w, "both")) &&
		   (!strcmp(dpm, "iindpm") || !strcmp(dpm, "both")) &&
		   (!known(chg->current_max) || !known(chg->input_current_limit) ||
		    chg->current_max + INPUT_SET_STEP_UA >= chg->input_current_limit);
	bool volt = (!strcmp(w, "voltage") || !strcmp(w, "both")) &&
		    (!strcmp(dpm, "vindpm") || !strcmp(dpm, "both")) &&
		    known(chg->voltage_now) && chg->voltage_now > 0 &&
		    known(chg->input_voltage_limit) &&
		    chg->voltage_now + INPUT_SET_BELOW_UV < chg->input_voltage_limit;
	char vbus[32];

	if (cur && known(chg->input_current_limit) && chg->input_current_limit > 0 &&
	    chg->input_current_limit <= MAX_READING_UA)
		snprintf(buf, len, "the input held at %lld mA by an input current limit set on this device",
			 chg->input_current_limit / 1000);
	else if (cur)
		snprintf(buf, len, "the input held by an input current limit set on this device");
	else if (volt)
		snprintf(buf, len, "the input held by an input voltage limit of %.1f V set on this device, above the source's (VBUS %s)",
			 chg->input_voltage_limit / 1e6, vbus_text(chg, vbus, sizeof(vbus)));
	else
		return NULL;
	return buf;
}

/*
 * Plugged in, the battery drains: the source gives less than the device
 * uses. The evidence: the battery's current, the input limit in force
 * (the lower of input_current_limit, IINLIM, and current_max, what the
 * source was found to give: detection and ICO) and VBUS, and the load
 * they imply: the input's power through the buck converter at the
 * battery's voltage, plus what the battery adds.
 */
static void source_overload(struct found *f, const struct psy_snapshot *chg,
			    const struct psy_snapshot *bat)
{
	long long lim = known(chg->input_current_limit) && chg->input_current_limit > 0 ?
			chg->input_current_limit : PSY_NONE;
	long long drain = -bat->current_now;
	char in[96] = "";

	if (known(chg->current_max) && chg->current_max > 0 && (!known(lim) || chg->current_max < lim))
		lim = chg->current_max;

	if (drain <= MAX_READING_UA && known(lim) && lim > 0 && lim <= MAX_READING_UA &&
	    known(chg->voltage_now) &&
	    chg->voltage_now > 0 && chg->voltage_now <= MAX_READING_UV &&
	    known(bat->voltage_now) && bat->voltage_now > 0 && bat->voltage_now <= MAX_READING_UV)
		snprintf(in, sizeof(in), "; the input gives at most %lld mA at %.2f V: the device uses about %lld mA",
			 lim / 1000, chg->voltage_now / 1e6,
			 (long long)((double)lim * chg->voltage_now * BUCK_EFFICIENCY /
				     bat->voltage_now + drain) / 1000);
	else if (known(lim) && lim > 0 && lim <= MAX_READING_UA)
		snprintf(in, sizeof(in), "; the input gives at most %lld mA", lim / 1000);
	add(f, CAUSE_SOURCE_OVERLOAD, SEV_WARNING, 75,
	    "on external power the battery drains at %lld mA%s", drain / 1000, in);
}

/*
 * A temperature sensor that cannot be right, with both readings as the
 * evidence: the chip's NTC zone (cold or hot) while the gauge reads the
 * cell well inside the charging window (TS open, shorted, a bad joint)
 * for TEMP_CONFIRM_USEC (before that, the gauge may not have caught up:
 * the zone is taken at its word, too hot or too cold);
 * the two sensors apart by more than TEMP_DISAGREE_DC for
 * TEMP_CONFIRM_USEC; a reading no battery can have (temp_plausible()); a
 * step no battery can make that the other sensor did not follow
 * (evidence_snapshot()). The charger's TS counts only on external power.
 * Returns whether it found one.
 */
static bool temp_sensor_fault(struct found *f, const struct snapshot *s, const struct evidence *e,
			      uint32_t active, enum pause_reason pause)
{
	const struct psy_snapshot *chg = &s->charger, *bat = &s->battery;
	bool online = chg->present && chg->online == 1;
	long long bt = bat->present ? bat->temp : PSY_NONE, ct = online ? chg->temp : PSY_NONE;
	/* what the decision made of it: said, so the state and the cause agree */
	const char *held = pause == PAUSE_HEAT ? "; charging is paused on the reading it uses" :
			   pause == PAUSE_COLD ? "; charging is paused on the reading it uses" : "";
	char other[64] = "";

	if ((active & (FAULT_BIT(FAULT_HOT) | FAULT_BIT(FAULT_COLD))) && e->zone_disagree_sustained &&
	    known(bt) && ts_zone_denied(!(active & FAULT_BIT(FAULT_HOT)), bat)) {
		if (temp_plausible(ct))
			snprintf(other, sizeof(other), " (%.1f degC)", ct / 10.0);
		add(f, CAUSE_TEMPERATURE_SENSOR, SEV_FAULT, 88,
		    "the charger's thermistor reads its %s zone%s, the battery's gauge %.1f degC%s",
		    active & FAULT_BIT(FAULT_HOT) ? "hot" : "cold", other, bt / 10.0, held);
		return true;
	}
	if (e->disagree_sustained && temp_plausible(bt) && temp_plausible(ct) &&
	    (bt - ct > TEMP_DISAGREE_DC || ct - bt > TEMP_DISAGREE_DC)) {
		add(f, CAUSE_TEMPERATURE_SENSOR, SEV_FAULT, 88,
		    "the charger's thermistor reads %.1f degC, the battery's gauge %.1f degC%s",
		    ct / 10.0, bt / 10.0, held);
		return true;
	}
	if (e->implausible_sustained &&
	    ((known(bt) && !temp_plausible(bt)) || (known(ct) && !temp_plausible(ct)))) {
		bool gauge = known(bt) && !temp_plausible(bt);
		long long o = gauge ? ct : bt;

		if (known(o))
			snprintf(other, sizeof(other), "; the %s reads %.1f degC",
				 gauge ? "charger's thermistor" : "battery's gauge", o / 10.0);
		add(f, CAUSE_TEMPERATURE_SENSOR, SEV_FAULT, 88,
		    "the %s reads %.1f degC, at or past the end of a sensor's range (open or shorted)%s",
		    gauge ? "battery's gauge" : "charger's thermistor", (gauge ? bt : ct) / 10.0,
		    other);
		return true;
	}
	if (e->temp_step) {
		add(f, CAUSE_TEMPERATURE_SENSOR, SEV_FAULT, 88,
		    "the %s went from %.1f to %.1f degC in %u s, the %s stayed at %.1f degC",
		    e->temp_step_charger ? "charger's thermistor" : "battery's gauge",
		    e->temp_step_from_dc / 10.0, e->temp_step_to_dc / 10.0, e->temp_step_s,
		    e->temp_step_charger ? "battery's gauge" : "charger's thermistor",
		    e->step_other_dc / 10.0);
		return true;
	}
	return false;
}

bool pins_confirmed(const struct snapshot *s, const struct evidence *e)
{
	return (e->pins.charger[0] || e->pins.battery[0]) && e->pins_since_usec &&
	       s->usec >= e->pins_since_usec && s->usec - e->pins_since_usec >= PIN_CONFIRM_USEC;
}

bool charger_flapping(const struct snapshot *s, const struct evidence *e)
{
	if (e->charger_flaps < CHARGER_FLAPS_MANY)
		return false;
	if (!s->charger.present)
		return !e->charger_gone_sustained;
	return s->usec >= e->charger_return_usec &&
	       s->usec - e->charger_return_usec < CHARGER_FLAP_STAY_USEC;
}

int diagnose(const struct diag_config *c, const struct snapshot *s, const struct evidence *e,
	     uint32_t active, enum pause_reason pause, unsigned int percent,
	     enum thermal_band band, bool asked, struct diagnosis *out, int max)
{
	const struct psy_snapshot *chg = &s->charger, *bat = &s->battery;
	uint32_t seen = active | e->session_faults | e->look_faults;
	bool online = chg->present && chg->online == 1;
	struct found f = { .out = out, .max = max };
	long long t = snapshot_temp(s);
	char vbus[32], text[DIAG_TEXT_MAX];	/* a value as words, for the evidence */
	char inset[DIAG_TEXT_MAX];
	const char *input_set;
	struct diagnosis *g;
	bool sensor, zone_unsure, collapse, cable_good, gone_pending, kept, flapping, pinned;

	if (max <= 0)
		return 0;
	/*
	 * No charger supply to read: one that was there and is gone (its
	 * driver unbound) is said once it stays gone (GONE_CONFIRM_USEC: not
	 * a reload; before, when asked, as pending: a warning with a reload's
	 * words); one never there (its driver did not probe, or [supplies]
	 * charger names none) when asked only, as at boot the driver may
	 * probe after chargerd starts. Not "no power" (it was): without the
	 * charger, nothing says. A fault kept from before it went is said
	 * over the pending words (helper-78: "wait ten seconds" while status
	 * and the LED said a thermal shutdown).
	 */
	gone_pending = !chg->present && e->charger_seen && !e->charger_gone_sustained;
	pinned = asked || pins_confirmed(s, e);
	kept = (active & FAULT_BIT(FAULT_NO_RESPONSE)) || (seen & FAULT_BIT(FAULT_THERMAL_SHUTDOWN));
	flapping = charger_flapping(s, e);
	/*
	 * never there, the configuration naming a charger not here while
	 * another is: its words, not a repair's; said once it lasts
	 * (PIN_CONFIRM_USEC: not a driver's late probe), when asked at once
	 */
	if (!chg->present && !e->charger_seen && e->pins.charger[0]) {
		if (pinned && (g = add(&f, CAUSE_CHARGER_FAULT, SEV_FAULT, 97, "%s", e->pins.charger)))
			g->configured = true;
	} else if (gone_pending && asked && !kept && !flapping) {
		if ((g = add(&f, CAUSE_CHARGER_FAULT, SEV_WARNING, 97,
			     "the charger's power supply went less than %llu s ago (its driver unbound)",
			     GONE_CONFIRM_USEC / 1000000)))
			g->pending = true;
	} else if (!chg->present && !gone_pending && (e->charger_gone_sustained || asked) &&
		   (g = add(&f, CAUSE_CHARGER_FAULT, SEV_FAULT, 97, "%s",
			    e->charger_seen ? "the charger's power supply is gone (its driver unbound)" :
			    "no charger power supply: its driver did not probe, or the configuration names another"))) {
		g->missing = e->charger_seen;	/* the driver stopped: restart */
		g->absent = !e->charger_seen;	/* never there: not a restart's words either */
	}
	/*
	 * The charging circuit itself (one charger-fault at most: the list
	 * has each cause once, the gravest first). A bus that answers again
	 * after a burst of errors is a warning for the rest of the session,
	 * for support: it charges, and a fault's fast blink all session long
	 * said "broken" over a 12 s burst (helper-61); last, below the
	 * active faults, so that it hides none (helper-63).
	 */
	else if (active & FAULT_BIT(FAULT_NO_RESPONSE))
		add(&f, CAUSE_CHARGER_FAULT, SEV_FAULT, 100,
		    "the charger chip does not answer on its bus%s",
		    i2c_errors_text(chg, text, sizeof(text)));
	else if (seen & FAULT_BIT(FAULT_THERMAL_SHUTDOWN))
		add(&f, CAUSE_CHARGER_FAULT, SEV_FAULT, 95, "the charger chip shut down from overheating");
	else if (active & FAULT_BIT(FAULT_SETTINGS_UNKEPT) &&
		 (g = add(&f, CAUSE_CHARGER_FAULT, SEV_FAULT, 95,
			  "the charger chip does not keep the settings its driver writes (%lld time%s; the kernel's log names the register)%s",
			  chg->config_unkept, chg->config_unkept == 1 ? "" : "s",
			  online && !strcmp(chg->status, "Not charging") ?
			  ": charging is off" : "")))
		g->unkept = true;
	else if (flapping &&
		 (g = add(&f, CAUSE_CHARGER_FAULT, SEV_FAULT, 95,
			  "the charger's power supply went %u times in a row within %llu s of coming back (its driver unbound, or the chip resetting)",
			  e->charger_flaps, CHARGER_FLAP_STAY_USEC / 1000000)))
		g->missing = true;	/* its words: the driver stopped, restart */
	else if (e->chip_resets >= CHIP_RESETS_MANY)
		add(&f, CAUSE_CHARGER_FAULT, SEV_WARNING, 85,
		    "the charger chip went back to its power-on defaults %u times since the %s: its supply drops",
		    e->chip_resets, online ? "plug" : "unplug");
	/* after the supply's repair: one write of someone else's must not hide it (helper-102) */
	else if (e->config_overwritten &&
		 (g = add(&f, CAUSE_CHARGER_FAULT, SEV_WARNING, 85,
			  "something other than its driver changed the charger chip's settings %u time%s since the %s (the kernel's log names the first register); the driver put them back",
			  e->config_overwritten, e->config_overwritten == 1 ? "" : "s",
			  online ? "plug" : "unplug")))
		g->overwritten = true;
	else if (seen & FAULT_BIT(FAULT_NO_RESPONSE) &&
		 (g = add(&f, CAUSE_CHARGER_FAULT, SEV_WARNING, 75,
			  "the charger chip stopped answering on its bus since the plug or unplug, and answers again%s",
			  i2c_errors_text(chg, text, sizeof(text)))))
		g->passed = true;
	if (seen & (FAULT_BIT(FAULT_SAFETY_TIMER) | FAULT_BIT(FAULT_BATTERY_OVP)))
		add(&f, CAUSE_BATTERY_FAULT, SEV_FAULT, 92, "%s",
		    seen & FAULT_BIT(FAULT_BATTERY_OVP) ? "battery over-voltage" :
		    "the safety timer expired before the battery was full");
	if (seen & FAULT_BIT(FAULT_INPUT_OVP))
		add(&f, CAUSE_ADAPTER_OVERVOLTAGE, SEV_FAULT, 94, "VBUS over-voltage%s",
		    known(chg->voltage_now) && chg->voltage_now > 0 ? " reported by the charger" : "");

	/*
	 * The sensors first: a broken one is no weather report. A zone the
	 * gauge contradicts, for less than TEMP_CONFIRM_USEC, is either (the
	 * gauge behind a cell that heats, or the thermistor broken): at its
	 * word when asked, with the gauge's reading beside it, but not said
	 * on its own (a too-hot record came 15 s before every
	 * temperature-sensor one).
	 */
	sensor = temp_sensor_fault(&f, s, e, active, pause);
	zone_unsure = !asked && e->zone_disagree && zone_contradicts_gauge(s);
	if (sensor)
		;
	/* temperature: the chip's NTC zones, or our own stop bands */
	else if ((active & FAULT_BIT(FAULT_HOT) && !zone_unsure) || pause == PAUSE_HEAT ||
		 e->stop_refused == PAUSE_HEAT)
		add(&f, CAUSE_TOO_HOT, SEV_WARNING, 80, "%s%s",
		    temp_evidence(s, e, active & FAULT_BIT(FAULT_HOT) ? "hot" : NULL, t, text,
				  sizeof(text)), stop_refused_text(e, PAUSE_HEAT, active));
	else if ((active & FAULT_BIT(FAULT_COLD) && !zone_unsure) || pause == PAUSE_COLD ||
		 e->stop_refused == PAUSE_COLD)
		add(&f, CAUSE_TOO_COLD, SEV_WARNING, 80, "%s%s",
		    temp_evidence(s, e, active & FAULT_BIT(FAULT_COLD) ? "cold" : NULL, t, text,
				  sizeof(text)), stop_refused_text(e, PAUSE_COLD, active));
	if (!sensor && !(active & (FAULT_BIT(FAULT_HOT) | FAULT_BIT(FAULT_COLD))) &&
	    pause != PAUSE_HEAT && pause != PAUSE_COLD && online && percent && percent < 100)
		/* the band the policy chose says which side of normal it is */
		add(&f, CAUSE_PAUSED_HEAT, SEV_INFO, 10,
		    "charge current limited to %u %% at %s: the battery is %s", percent,
		    temp_text(t, text, sizeof(text)),
		    band < BAND_NORMAL ? "cool" : band == BAND_WARM ? "warm" : "hot");
	if (online && pause == PAUSE_IN_USE && known(bat->capacity) &&
	    (g = add(&f, CAUSE_PAUSED_IN_USE, SEV_INFO, 10, "paused at %lld %% while in use%s",
		     bat->capacity, e->in_use_forced ? " (in-use mode on)" : "")))
		g->forced = e->in_use_forced;
	/*
	 * a slower charge set on purpose: said, so that it is not blamed on
	 * the hardware; below the pauses, which hold charging altogether
	 */
	input_set = online ? input_set_text(chg, inset, sizeof(inset)) : NULL;
	if (online && e->ceiling_ua > 0 && e->board_ua > 0 && e->ceiling_ua < e->board_ua)
		add(&f, CAUSE_CURRENT_LIMITED, input_set ? SEV_WARNING : SEV_INFO, input_set ? 70 : 8,
		    "charge current set to %lld mA by another program, the board's is %lld mA%s%s",
		    e->ceiling_ua / 1000, e->board_ua / 1000, input_set ? "; " : "",
		    input_set ? input_set : "");
	else if (input_set)
		/* above the source's own findings, which it explains */
		add(&f, CAUSE_CURRENT_LIMITED, SEV_WARNING, 70, "%s", input_set);

	/*
	 * the charge voltage lowered below the board's (chargerd writes none):
	 * the battery reads full short of full (helper-90: "full" with no
	 * finding). A step (16 mV on the BQ25895) of rounding is no lowering.
	 */
	if (online && e->board_uv > 0 && e->board_uv <= MAX_READING_UV &&
	    known(chg->constant_charge_voltage) && chg->constant_charge_voltage > 0 &&
	    chg->constant_charge_voltage + VOLTAGE_SET_STEP_UV <= e->board_uv)
		add(&f, CAUSE_VOLTAGE_LIMITED, SEV_INFO, 8,
		    "charge voltage set to %.2f V by another program, the board's is %.2f V: the battery stops short of full",
		    chg->constant_charge_voltage / 1e6, e->board_uv / 1e6);

	/*
	 * A gauge that answered before and now is gone (unbound, off its bus)
	 * or gives neither charge nor voltage: the policies cannot see the
	 * battery. (A board without a gauge never had one: no finding.) Once
	 * it lasts (GONE_CONFIRM_USEC: not a reload); before, when asked, as
	 * pending: a warning with a reload's words, not "needs repair".
	 */
	if (!e->battery_seen && chg->present && !bat->present && e->pins.battery[0]) {
		/* the configuration's, as for the charger above */
		if (pinned && (g = add(&f, CAUSE_BATTERY_NOT_DETECTED, SEV_FAULT, 86, "%s",
				       e->pins.battery)))
			g->configured = true;
	} else if (e->battery_seen && chg->present && !gauge_answers(bat) && e->gauge_gone_sustained)
		add(&f, CAUSE_BATTERY_NOT_DETECTED, SEV_FAULT, 86, "%s", gauge_gone_text(bat));
	else if (e->battery_seen && chg->present && !gauge_answers(bat) && asked &&
		 (g = add(&f, CAUSE_BATTERY_NOT_DETECTED, SEV_WARNING, 86,
			  "%s, for less than %llu s", gauge_gone_text(bat), GONE_CONFIRM_USEC / 1000000)))
		g->pending = true;

	/*
	 * the connection: how the power came and went, below what holds
	 * charging now (too hot or too cold; helper-90: three adapters tried
	 * within a minute, then the battery too hot, ranked "connector" first)
	 */
	if (e->bounces >= c->bounce_count)
		add(&f, CAUSE_CONNECTOR, SEV_WARNING, 78,
		    "the power went and came back %u times, each within %u s", e->bounces,
		    e->bounce_window_max_s);
	/*
	 * A collapse under load is a resistive cable or a source too weak:
	 * VBUS alone cannot say which. A load test this session can: a cable
	 * measured bad is the cable; one measured good leaves the source
	 * (below). Without one, both, each with its fix (helper-59: the
	 * cable alone was blamed).
	 */
	collapse = seen & FAULT_BIT(FAULT_INPUT_COLLAPSE);
	cable_good = e->have_sag && e->sag_mohm <= c->cable_max_mohm;
	if (online && e->have_sag && e->sag_mohm > c->cable_max_mohm)
		add(&f, CAUSE_CABLE, SEV_WARNING, 70,
		    "VBUS %.2f V unloaded, %.2f V at %.2f A in: %lld mOhm (more than %u)",
		    e->vbus_unloaded_uv / 1e6, e->vbus_loaded_uv / 1e6, e->iin_ua / 1e6, e->sag_mohm,
		    c->cable_max_mohm);
	else if (collapse && !cable_good)
		add(&f, CAUSE_CABLE, SEV_WARNING, 65,
		    "the input voltage collapsed under load: a resistive cable, or a source too weak");
	/* the chip's one input fault code, not placed by VBUS (faults_present()) */
	if (seen & FAULT_BIT(FAULT_INPUT))
		add(&f, CAUSE_INPUT_FAULT, SEV_WARNING, 66,
		    "the charger reported an input fault with VBUS %s%s: over-voltage "
		    "or a source too weak, the chip does not say which",
		    vbus_text(chg, vbus, sizeof(vbus)),
		    active & FAULT_BIT(FAULT_INPUT) ? "" : " after it");
	if (online && e->drain_sustained && snapshot_draining(s) && !input_set)
		source_overload(&f, chg, bat);
	if (online && (!strcmp(chg->source_kind, "sdp") || !strcmp(chg->source_kind, "unknown")))
		add(&f, CAUSE_WEAK_SOURCE, SEV_WARNING, 60, "the source is %s%s",
		    !strcmp(chg->source_kind, "sdp") ? "a computer port or hub (SDP)" :
		    "an unknown adapter", source_limit_text(chg, text, sizeof(text)));
	else if (collapse && (cable_good || !e->have_sag))
		add(&f, CAUSE_WEAK_SOURCE, SEV_WARNING, cable_good ? 65 : 64, "%s",
		    cable_good ? "the input voltage collapsed under load, through a cable measured good" :
		    "the input voltage collapsed under load: a source too weak, or a resistive cable");
	else if (online && !input_set && strstr(chg->input_dpm, "dpm") && known(chg->current_max) &&
		 chg->current_max < c->weak_source_ma * 1000LL)
		add(&f, CAUSE_WEAK_SOURCE, SEV_WARNING, 55,
		    "the source holds the input at %lld mA (%s)", chg->current_max / 1000,
		    chg->input_dpm);
	/* an input fault explains the missing power better */
	if (!online && asked && chg->present &&
	    !(seen & (FAULT_BIT(FAULT_INPUT_OVP) | FAULT_BIT(FAULT_INPUT_COLLAPSE) |
		      FAULT_BIT(FAULT_INPUT))))
		add(&f, CAUSE_NO_POWER, SEV_WARNING, 50, "no voltage on the charging input");

	/* the battery */
	if (online && (!strcmp(chg->charge_type, "Trickle") ||
		       (known(bat->voltage_now) && bat->voltage_now > 0 &&
			bat->voltage_now < c->deep_discharge_mv * 1000LL)))
		add(&f, CAUSE_DEEP_DISCHARGE, SEV_INFO, 40, "battery at %s, %s",
		    battery_volts_text(bat, text, sizeof(text)),
		    !strcmp(chg->charge_type, "Trickle") ? "precharging" : "below the normal range");
	if (known(bat->charge_full) && known(bat->charge_full_design) &&
	    bat->charge_full >= 0 && bat->charge_full <= MAX_CHARGE_UAH &&
	    bat->charge_full_design > 0 && bat->charge_full_design <= MAX_CHARGE_UAH &&
	    bat->charge_full * 100 < bat->charge_full_design * c->worn_capacity_percent)
		add(&f, CAUSE_WORN_BATTERY, SEV_WARNING, 30, "holds %lld %% of its design capacity",
		    bat->charge_full * 100 / bat->charge_full_design);
	else if (known(bat->cycle_count) && bat->cycle_count >= c->worn_cycles)
		add(&f, CAUSE_WORN_BATTERY, SEV_WARNING, 30, "%lld charge cycles",
		    bat->cycle_count);
	return f.n;
}
