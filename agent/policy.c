// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"

const char *thermal_band_name(enum thermal_band b)
{
	static const char *const names[BAND__COUNT] = {
		"cold-stop", "cool", "normal", "warm", "hot", "hot-stop",
	};

	return (unsigned int)b < BAND__COUNT ? names[b] : "?";
}

const char *pause_reason_name(enum pause_reason p)
{
	static const char *const names[] = { "", "heat", "cold", "in-use" };

	return (unsigned int)p < 4 ? names[p] : "?";
}

/* The band a temperature is in, coming from nowhere (no hysteresis). */
static enum thermal_band band_of(const struct policy_config *c, long long dc)
{
	if (dc < c->cold_stop_c * 10LL)
		return BAND_COLD_STOP;
	if (dc < c->cool_c * 10LL)
		return BAND_COOL;
	if (dc < c->warm_c * 10LL)
		return BAND_NORMAL;
	if (dc < c->hot_c * 10LL)
		return BAND_WARM;
	if (dc < c->stop_c * 10LL)
		return BAND_HOT;
	return BAND_HOT_STOP;
}

/*
 * Towards the normal band a move needs the temperature past the boundary
 * by the hysteresis; away from it, the move is immediate, and so is one
 * past the normal band to the other side (a band restored after a restart,
 * or kept over unknown readings: from cold-stop at 44 degC it charged in
 * the hot band, helper-81).
 */
static enum thermal_band next_band(const struct policy_config *c, enum thermal_band cur,
				   long long dc)
{
	enum thermal_band raw = band_of(c, dc);
	long long h = c->hysteresis_c * 10LL;

	if ((cur > BAND_NORMAL && raw < BAND_NORMAL) || (cur < BAND_NORMAL && raw > BAND_NORMAL))
		return raw;
	if (cur > BAND_NORMAL && raw < cur)
		return band_of(c, dc + h) < cur ? band_of(c, dc + h) : cur;
	if (cur < BAND_NORMAL && raw > cur)
		return band_of(c, dc - h) > cur ? band_of(c, dc - h) : cur;
	return raw;
}

static unsigned int band_percent(const struct policy_config *c, enum thermal_band b)
{
	switch (b) {
	case BAND_COOL:
		return c->cool_percent;
	case BAND_NORMAL:
		return 100;
	case BAND_WARM:
		return c->warm_percent;
	case BAND_HOT:
		return c->hot_percent;
	default:
		return 0;
	}
}

static enum pause_reason pause_of(const struct policy_state *st)
{
	if (st->band == BAND_HOT_STOP)
		return PAUSE_HEAT;
	if (st->band == BAND_COLD_STOP)
		return PAUSE_COLD;
	return st->in_use_paused ? PAUSE_IN_USE : PAUSE_NONE;
}

void policy_eval(const struct policy_config *c, bool in_use, long long base_ua,
		 struct policy_state *st, const struct snapshot *s, struct policy_result *out)
{
	const struct psy_snapshot *chg = &s->charger, *bat = &s->battery;
	long long t = snapshot_temp(s);
	long long cap = bat->capacity, max = chg->constant_charge_current_max;

	/* the ceiling (the board's, or another writer's: ceiling_from()): never passed */
	if (base_ua > 0 && max != PSY_NONE && base_ua < max)
		max = base_ua;

	memset(out, 0, sizeof(*out));
	out->old_band = st->started ? st->band : BAND_NORMAL;
	out->old_pause = st->started ? pause_of(st) : PAUSE_NONE;
	out->temp_dc = t;
	if (!st->started) {
		st->band = BAND_NORMAL;
		st->started = true;
	}
	/* an unknown temperature keeps the band: no reading is no news */
	if (t != PSY_NONE)
		st->band = next_band(c, st->band, t);

	/*
	 * In use: pause at the stop level, resume below the resume level. An
	 * unknown charge holds nothing for long: the charger's own
	 * termination guards the cell (and the diagnosis says the gauge is
	 * gone); a pause in force waits IN_USE_UNKNOWN_HOLD_USEC for it (a
	 * reload). A look dated before the loss starts the wait again.
	 */
	if (cap != PSY_NONE)
		st->cap_lost_usec = 0;
	else if (!st->cap_lost_usec || s->usec < st->cap_lost_usec)
		st->cap_lost_usec = s->usec ? s->usec : 1;
	if (!in_use || cap < c->in_use_resume_percent)
		st->in_use_paused = st->in_use_paused && in_use && cap == PSY_NONE &&
				    (s->usec < st->cap_lost_usec ||
				     s->usec - st->cap_lost_usec < IN_USE_UNKNOWN_HOLD_USEC);
	else if (cap >= c->in_use_stop_percent)
		st->in_use_paused = true;

	out->pause = pause_of(st);
	out->inhibit = out->pause != PAUSE_NONE;
	out->percent = band_percent(c, st->band);
	/* never above what the battery and the board allow; nothing to scale without it */
	if (max != PSY_NONE && max > 0)
		out->charge_current_ua = !out->percent ? -1 :
					 max <= LLONG_MAX / 100 ? max * out->percent / 100 :
					 max / 100 * out->percent;	/* junk, but no overflow */
	else
		out->charge_current_ua = -1;
	out->band_changed = st->band != out->old_band;
	out->pause_changed = out->pause != out->old_pause;
}

void policy_state_format(const struct policy_state *st, char *line, size_t len)
{
	snprintf(line, len, "%s %d\n", thermal_band_name(st->started ? st->band : BAND_NORMAL),
		 st->started && st->in_use_paused);
}

int policy_state_parse(const char *line, struct policy_state *st)
{
	const char *sp = strchr(line, ' ');
	int b;

	if (!sp || (sp[1] != '0' && sp[1] != '1') || (sp[2] && strcmp(sp + 2, "\n")))
		return -EINVAL;
	for (b = 0; b < BAND__COUNT; b++)
		if ((size_t)(sp - line) == strlen(thermal_band_name(b)) &&
		    !strncmp(line, thermal_band_name(b), sp - line))
			break;
	if (b == BAND__COUNT)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	st->started = true;
	st->band = b;
	st->in_use_paused = sp[1] == '1';
	return 0;
}
