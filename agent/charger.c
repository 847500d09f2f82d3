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

/*
 * Write val to the charger's attribute attr (as named in the power_supply
 * ABI); a failure is counted and journalled. Returns 0 or -errno.
 */
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
	d->pub.n.policy_writes++;
	if (r < 0) {
		d->pub.n.policy_write_errors++;
		log_write_error(d, "policy-write-error", path, attr, val, -r);
	}
	return r;
}

/* constant_charge_current, in uA, as the policies want it. */
void charger_set_current(struct daemon *d, long long ua)
{
	char val[32];

	snprintf(val, sizeof(val), "%lld", ua);
	if (!charger_write(d, "constant_charge_current", val))
		d->written_ua = ua;
}

/* charge_behaviour: inhibit-charge, or auto (the charger charges on its own). */
void charger_set_behaviour(struct daemon *d, bool inhibit)
{
	if (!charger_write(d, "charge_behaviour", inhibit ? "inhibit-charge" : "auto"))
		d->written_inhibit = inhibit;
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

/*
 * The first half of the load test (resync_plan() says when): note VBUS,
 * the battery's voltage and the current while charging, then hold
 * charging. The manager takes the second reading once the charger has
 * settled, and gives charging back. Returns 0, or -errno if charging could
 * not be held (then there is no test).
 */
int charger_load_test_start(struct daemon *d)
{
	const struct psy_snapshot *c = &d->snap.charger, *b = &d->snap.battery;
	int r;

	d->probe_vbus = c->voltage_now;
	d->probe_vbat = b->voltage_now;
	d->probe_ibat = c->current_now;
	r = charger_write(d, "charge_behaviour", "inhibit-charge");
	if (r < 0)
		return r;
	d->written_inhibit = 1;
	d->probe_active = d->probe_done = true;
	return 0;
}
