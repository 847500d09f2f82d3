// SPDX-License-Identifier: GPL-2.0
/*
 * What chargerd writes to the charger: the policies' charge current and
 * charge_behaviour, handed back on the way out, and the once-per-session
 * load test (VBUS charging, then with charging held for a moment).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chargerd.h"

/* The load test holds charging this long for an unloaded VBUS reading. */
#define PROBE_USEC	(2500ULL * 1000)

static int charger_write(struct daemon *d, const char *attr, const char *val)
{
	char path[CONFIG_NAME_MAX + 64];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", d->snap.charger.name, attr);
	fd = openat(d->classfd, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
	} else {
		if (write(fd, val, strlen(val)) < 0)
			r = -errno;
		close(fd);
	}
	d->n.policy_writes++;
	if (r < 0) {
		d->n.policy_write_errors++;
		log_write_error(d, "policy-write-error", path, attr, val, -r);
	}
	return r;
}

bool in_use_now(const struct daemon *d)
{
	return d->cfg.in_use_mode == IN_USE_ON ||
	       (d->cfg.in_use_mode == IN_USE_AUTO && d->in_use_detected);
}

/* Evaluate the policies on the snapshot; set the charger on external power. */
void apply_policy(struct daemon *d, bool plugged)
{
	const struct psy_snapshot *c = &d->snap.charger;
	struct policy_result *r = &d->pol_out;
	char val[32];
	bool online = c->present && c->online == 1;

	policy_eval(&d->cfg.policy, in_use_now(d), &d->pol, &d->snap, r);
	if (!online)
		return;
	/* a band left while unplugged is news at the plug */
	if (r->band_changed || (plugged && d->pol.band != BAND_NORMAL))
		log_thermal(d, r);
	if (r->pause_changed && (r->pause == PAUSE_IN_USE || r->old_pause == PAUSE_IN_USE))
		log_in_use(d, r);
	/* rounded down by the driver, it reads back at most what was asked */
	if (r->charge_current_ua > 0 && c->constant_charge_current != PSY_NONE &&
	    (r->charge_current_ua != d->written_ua ||
	     c->constant_charge_current > r->charge_current_ua)) {
		snprintf(val, sizeof(val), "%lld", r->charge_current_ua);
		if (!charger_write(d, "constant_charge_current", val))
			d->written_ua = r->charge_current_ua;
	}
	if (c->charge_behaviour[0] && !d->probe_active &&
	    strcmp(c->charge_behaviour, r->inhibit ? "inhibit-charge" : "auto") &&
	    (r->inhibit != d->written_inhibit || plugged || r->pause_changed)) {
		if (!charger_write(d, "charge_behaviour", r->inhibit ? "inhibit-charge" : "auto"))
			d->written_inhibit = r->inhibit;
	}
}

/* On the way out: leave the charger charging on its own. */
void release_policy(struct daemon *d)
{
	char val[32];

	if (d->written_inhibit == 1)
		charger_write(d, "charge_behaviour", "auto");
	if (d->written_ua > 0 && d->snap.charger.constant_charge_current_max > 0) {
		snprintf(val, sizeof(val), "%lld", d->snap.charger.constant_charge_current_max);
		charger_write(d, "constant_charge_current", val);
	}
}

int charger_load_test_done(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	/* the second half of the load test: VBUS with charging inhibited */
	reevaluate(d, "load test");
	evidence_load_test(&d->evid, d->probe_vbus, d->snap.charger.voltage_now, d->probe_vbat,
			   d->probe_ibat);
	log_load_test(d, d->probe_vbus, d->snap.charger.voltage_now, d->probe_ibat);
	d->probe_active = false;
	/* and charging again, as the policies want */
	reevaluate(d, "load test done");
	return 0;
}

/*
 * Once per session, while charging steadily: VBUS charging, then VBUS with
 * charging inhibited for a moment. The difference over the input current
 * is the cable's and connector's resistance.
 */
void maybe_load_test(struct daemon *d)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;

	if (!d->cfg.load_test || d->probe_active || d->probe_done || c->online != 1 ||
	    d->pol_out.inhibit || strcmp(c->status, "Charging") || c->current_now == PSY_NONE ||
	    c->current_now < 300000 || c->voltage_now == PSY_NONE || c->voltage_now <= 0 ||
	    b->voltage_now == PSY_NONE)
		return;
	d->probe_vbus = c->voltage_now;
	d->probe_vbat = b->voltage_now;
	d->probe_ibat = c->current_now;
	if (charger_write(d, "charge_behaviour", "inhibit-charge"))
		return;
	d->written_inhibit = 1;
	d->probe_active = d->probe_done = true;
	timer_arm(d->probe_timer, PROBE_USEC);
}
