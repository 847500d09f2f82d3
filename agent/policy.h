/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charge policies, as a pure function of a snapshot, whether the device is
 * in use, and the policy state kept between calls: no I/O, so host tests
 * cover every path.
 *
 * Thermal: the charge current is derated as the battery warms (or is cold),
 * stopped outside the safe window, and given back only once the
 * temperature is back past the boundary by the hysteresis. It only ever
 * lowers the current the battery allows (constant_charge_current_max) and
 * inhibits charging; the chip's own JEITA limits still apply underneath.
 *
 * In use: while the device is in use, charging pauses at stop_percent
 * (charge_behaviour=inhibit-charge: the device stays powered from the
 * charger) and resumes below resume_percent, or when use ends.
 */
#ifndef CHARGERD_POLICY_H
#define CHARGERD_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"

/* Thermal bands, from cold to hot. */
enum thermal_band {
	BAND_COLD_STOP,		/* below cold_stop_c: no charging */
	BAND_COOL,		/* below cool_c: cool_percent */
	BAND_NORMAL,		/* full current */
	BAND_WARM,		/* from warm_c: warm_percent */
	BAND_HOT,		/* from hot_c: hot_percent */
	BAND_HOT_STOP,		/* from stop_c: no charging */
	BAND__COUNT
};

enum pause_reason { PAUSE_NONE, PAUSE_HEAT, PAUSE_COLD, PAUSE_IN_USE };

/*
 * The Paused property while the load test holds charging (2.5 s, up to
 * three times a session): no policy's pause, but charging is held and a
 * caller asking why is told.
 */
#define PAUSED_LOAD_TEST	"load-test"

struct policy_state {
	bool started;
	enum thermal_band band;
	bool in_use_paused;
	/* CLOCK_BOOTTIME of the first look without a charge (capacity); 0 while known */
	uint64_t cap_lost_usec;
};

/*
 * How long an in-use pause holds on a charge that went unknown: a gauge's
 * driver reloaded is back within a second or two, and letting go at once
 * charged for that second (helper-71). The same 10 s as a gauge gone
 * becomes battery-not-detected (diagnosis.h's GONE_CONFIRM_USEC). Holding
 * costs nothing the cell minds: it is charged to the stop level already.
 */
#define IN_USE_UNKNOWN_HOLD_USEC	(10ULL * 1000000)

/* What the charger should be set to, and what changed. */
struct policy_result {
	long long charge_current_ua;	/* wanted constant_charge_current; -1: leave it */
	bool inhibit;			/* wanted charge_behaviour=inhibit-charge */
	enum pause_reason pause;	/* why charging is held, if it is */
	unsigned int percent;		/* of the battery's maximum current */
	bool band_changed, pause_changed;
	enum thermal_band old_band;
	enum pause_reason old_pause;
	long long temp_dc;		/* the temperature the decision used, or PSY_NONE */
};

const char *thermal_band_name(enum thermal_band b);
const char *pause_reason_name(enum pause_reason p);	/* "", "heat", "cold", "in-use" */

/*
 * The policy's state as a restart finds it (runtime.c's policy file):
 * "BAND IN_USE_PAUSED\n", the band's name (thermal_band_name()) and 0 or
 * 1. A restart goes on from it: a stop's hysteresis (stopped at 47 degC,
 * not resumed at 42 by a fresh start), an in-use pause through a gauge
 * reload, and a pause that ended while chargerd was down said as ended
 * (helper-79: the journal said it stopped, never that it resumed).
 * policy_state_parse() returns 0 with st started, or -EINVAL for anything
 * else (an unknown band, a space too many, trailing text).
 */
#define POLICY_STATE_LINE_MAX	32
void policy_state_format(const struct policy_state *st, char *line, size_t len);
int policy_state_parse(const char *line, struct policy_state *st);

/*
 * c: chargerd.conf's [thermal] and [in-use] levels (config.h); in_use: the
 * device is in use now (the mode, or auto mode's finding); base_ua: the
 * charger's constant_charge_current before chargerd wrote any (the board's
 * ti,charge-current, or what the user set), or another writer's since
 * (resync.c's ceiling_from()), uA, <= 0 unknown. The current
 * wanted is a share of the lower of base_ua and the battery's
 * constant_charge_current_max: the policies only ever lower what the
 * board and the battery allow.
 */
void policy_eval(const struct policy_config *c, bool in_use, long long base_ua,
		 struct policy_state *st, const struct snapshot *s, struct policy_result *out);

#endif
