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
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>

#include "chargerd.h"

/*
 * Write val to the charger's attribute attr (as named in the power_supply
 * ABI); a failure is counted and journalled, but for the errno quiet (0:
 * none), which the caller says its own way. Returns 0 or -errno.
 */
static int charger_write_as(struct daemon *d, const char *attr, const char *val, int quiet)
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
		if (-r != quiet)
			write_failed(d, "policy-write-error", path, attr, val, -r);
		return r;
	}
	/* published as in force now (read back), not at the next resync */
	psy_reread(d->classfd, &d->snap.charger, attr);
	d->pub.props.charge_current_limit = d->snap.charger.constant_charge_current == PSY_NONE ?
					    -1 : d->snap.charger.constant_charge_current;
	snprintf(d->pub.props.charge_behaviour, PUB_STR, "%s", d->snap.charger.charge_behaviour);
	return 0;
}

static int charger_write(struct daemon *d, const char *attr, const char *val)
{
	return charger_write_as(d, attr, val, 0);
}

/*
 * The lowest value known to be taken above the refused ones, as far as
 * d knows after a refusal with now_ua (uA) in force: the floor so far,
 * the ceiling (a value the charger held: the board's, or another
 * program's) when it lies between, else the value in force; -1 none.
 */
static long long charger_floor(const struct daemon *d, long long now_ua)
{
	long long ceiling = charger_ceiling(d), max = d->snap.charger.constant_charge_current_max;
	long long floor = d->floor_ua > d->refused_ua ? d->floor_ua : -1;
	long long found = now_ua;

	if (ceiling > d->refused_ua && ceiling < now_ua && (max <= 0 || ceiling <= max))
		found = ceiling;
	if (found <= d->refused_ua)
		return floor;
	return floor > 0 && floor < found ? floor : found;
}

/*
 * After a refusal of ua (uA) with more in force: the charger's smallest
 * step above it, sought by doubling (the driver rounds a value down to
 * its step, and refuses one that rounds to nothing: 48 mA on a 64 mA step
 * is refused, 96 mA is taken as 64 mA), below the value in force, at most
 * the ceiling and the maximum.
 * helper-66: a quarter of a 192 mA ceiling at 41 degC left the 192 mA in
 * force, 3 times the share, when 64 mA was there to take. What the
 * charger took (read back) and 0, or -errno: none below the value in
 * force, or the write failed otherwise (logged).
 */
static int charger_seek_step(struct daemon *d, long long ua, long long *taken)
{
	long long now = d->snap.charger.constant_charge_current, v = ua;
	long long limit = now - 1, ceiling = charger_ceiling(d);
	long long max = d->snap.charger.constant_charge_current_max;
	char val[32];
	int r = -ERANGE;

	/*
	 * Never over the ceiling nor the battery's maximum (a share over half
	 * of it doubles past). The values refused on the way are not taken
	 * for the step's: a driver that refuses for another reason would
	 * otherwise leave every share, the ceiling's too, "refused" (helper-67).
	 */
	if (ceiling > 0 && ceiling < limit)
		limit = ceiling;
	if (max > 0 && max < limit)
		limit = max;
	while (v <= limit / 2) {
		v *= 2;
		snprintf(val, sizeof(val), "%lld", v);
		r = charger_write_as(d, "constant_charge_current", val, EINVAL);
		if (r != -EINVAL)
			break;
	}
	if (r < 0)
		return r;
	d->written_ua = v;
	*taken = d->snap.charger.constant_charge_current != PSY_NONE ?
		 d->snap.charger.constant_charge_current : v;
	return 0;
}

/*
 * constant_charge_current, in uA, as the policies want it: 0 or -errno
 * (logged). A lower value than the one in force that the driver refuses
 * (EINVAL) is below the charger's smallest step: a thermal share of a
 * small ceiling (a quarter of 128 mA; helper-64: half of 64 mA asked once
 * a second, each an error record). Said (info, rate-limited); that value
 * and any lower one are not asked again on this device (resync_input's
 * refused_ua), and the charger gets its floor_ua in their place: its
 * smallest step above them (charger_seek_step()), else the lowest value
 * known to be taken (charger_floor()), written at once when it is below
 * the value in force (a chip reset on a driver that does not restore the
 * value written, upstream bq25890_charger, leaves its power-on default
 * over the ceiling). A lower value it takes later lowers the floor.
 */
int charger_set_current(struct daemon *d, long long ua)
{
	long long now = d->snap.charger.constant_charge_current, taken;
	bool lower = now != PSY_NONE && ua < now;
	char val[32];
	int r;

	snprintf(val, sizeof(val), "%lld", ua);
	r = charger_write_as(d, "constant_charge_current", val, lower ? EINVAL : 0);
	if (!r) {
		d->written_ua = ua;
		if (d->refused_ua >= 0 && ua <= d->refused_ua)	/* taken after all: not the step */
			d->refused_ua = d->floor_ua = -1;
		else if (d->refused_ua >= 0 && (d->floor_ua < 0 || ua < d->floor_ua))
			d->floor_ua = ua;
		return 0;
	}
	if (r != -EINVAL || !lower)
		return r;
	if (d->refused_ua < ua)
		d->refused_ua = ua;
	if (!charger_seek_step(d, ua, &taken)) {
		d->floor_ua = taken;
	} else {
		d->floor_ua = charger_floor(d, now);
		if (d->floor_ua > 0 && d->floor_ua < now) {
			snprintf(val, sizeof(val), "%lld", d->floor_ua);
			if (!charger_write(d, "constant_charge_current", val))
				d->written_ua = d->floor_ua;
		}
	}
	log_current_refused(d, ua, now);
	return r;
}

/*
 * charge_behaviour: inhibit-charge, or auto (the charger charges on its
 * own). Returns 0 or the write's -errno.
 */
int charger_set_behaviour(struct daemon *d, bool inhibit)
{
	int r = charger_write(d, "charge_behaviour", inhibit ? "inhibit-charge" : "auto");

	if (!r) {
		d->written_inhibit = inhibit;
		if (inhibit)
			d->inhibit_usec = now_usec();
	}
	/* any write that went through says the charger takes them again */
	d->inhibit_refused = r < 0 && inhibit;
	return r;
}

/*
 * The baseline: the charger's constant_charge_current before chargerd
 * wrote any (the board's ti,charge-current, or what the user set), kept
 * in the runtime directory (RuntimeDirectory=, preserved across restarts
 * and stops, gone at reboot) with the charger's sysfs identity: a restart
 * after a crash still knows it, and a charger probed again (its defaults
 * programmed again) is read afresh. One line: "NAME INODE UA".
 *
 * BOARD_FILE, the same line and the charge voltage ("NAME INODE UA UV"),
 * has the values chargerd first read from this charger device (the
 * board's, as its driver probed it; UV 0 not read): kept across
 * chargerd's stops and restarts (the baseline is forgotten at a clean
 * stop), so that a ceiling another program lowered is still told from
 * the board's after them (current-limited), until the next probe or boot.
 */
#define BASELINE_FILE	"baseline"
#define BOARD_FILE	"board"
#define BASELINE_NAME	"%63s"		/* CONFIG_NAME_MAX - 1 */
_Static_assert(CONFIG_NAME_MAX == 64, "BASELINE_NAME's width");

/* The identity of the charger's device directory: a new probe, a new inode. */
static uint64_t charger_ino(int classfd, const char *name)
{
	struct stat st;

	return name[0] && !fstatat(classfd, name, &st, 0) ? (uint64_t)st.st_ino : 0;
}

/*
 * BASELINE_FILE or BOARD_FILE into b (its first_ua untouched; first_uv
 * from a fourth field, BOARD_FILE's, else 0): 0, -ENOENT or -EINVAL.
 */
static int baseline_load_from(int rundirfd, const char *file, struct charger_baseline *b)
{
	char line[CONFIG_NAME_MAX + 96];
	unsigned long long ino;
	long long ua, uv = 0;
	int n;

	if (runtime_read(rundirfd, file, line, sizeof(line)))
		return -ENOENT;
	n = sscanf(line, BASELINE_NAME " %llu %lld %lld", b->name, &ino, &ua, &uv);
	if (n < 3 || ua <= 0)
		return -EINVAL;
	b->ino = ino;
	b->ua = ua;
	b->first_uv = n == 4 && uv > 0 ? uv : 0;
	return 0;
}

static int baseline_load(int rundirfd, struct charger_baseline *b)
{
	return baseline_load_from(rundirfd, BASELINE_FILE, b);
}

/*
 * Forget the baseline once it is in force again: a start after a clean
 * hand-back reads the charger afresh, so a current lowered by hand while
 * chargerd was stopped becomes the new baseline (never raised back).
 */
static void baseline_forget(int rundirfd)
{
	if (rundirfd >= 0 && unlinkat(rundirfd, BASELINE_FILE, 0) && errno != ENOENT)
		agent_error("removing the charger's baseline", errno);
}

/* b's name and inode with ua (uA), and uv (uV) if > 0, into file: 0 or -errno. */
static int baseline_save_to(int rundirfd, const char *file, const struct charger_baseline *b,
			    long long ua, long long uv)
{
	char line[CONFIG_NAME_MAX + 96];

	if (uv > 0)
		snprintf(line, sizeof(line), "%s %llu %lld %lld\n", b->name,
			 (unsigned long long)b->ino, ua, uv);
	else
		snprintf(line, sizeof(line), "%s %llu %lld\n", b->name, (unsigned long long)b->ino, ua);
	return runtime_write(rundirfd, file, line);
}

static int baseline_save(int rundirfd, const struct charger_baseline *b)
{
	return baseline_save_to(rundirfd, BASELINE_FILE, b, b->ua, 0);
}

/*
 * The board's values for b's device (BOARD_FILE) into b->first_ua and
 * first_uv; without them for it, b->ua and uv (the charger's
 * constant_charge_voltage now, uV; <= 0 not read) are, and are saved as
 * such (the first read of it, or the first since an older chargerd that
 * kept none).
 */
static void board_note(int rundirfd, struct charger_baseline *b, long long uv)
{
	struct charger_baseline board = { 0 };
	int r;

	if (!baseline_load_from(rundirfd, BOARD_FILE, &board) && board.ino == b->ino &&
	    !strcmp(board.name, b->name)) {
		b->first_ua = board.ua;
		b->first_uv = board.first_uv;
		return;
	}
	b->first_ua = b->ua;
	b->first_uv = uv > 0 ? uv : 0;
	r = baseline_save_to(rundirfd, BOARD_FILE, b, b->first_ua, b->first_uv);
	if (r < 0 && r != -ENOENT)
		agent_error("saving the charger's first reading", -r);
}

uint64_t charger_device_note(struct daemon *d, bool *fresh)
{
	const struct psy_snapshot *c = &d->snap.charger;
	uint64_t ino;

	*fresh = false;
	if (!c->present)
		return 0;
	/* the directory the snapshot's files were read in */
	ino = c->ino;
	if (ino && ino != d->chg_ino) {
		/*
		 * A charger device not seen before (the first, or its driver
		 * bound again): what chargerd wrote went to another, this
		 * one starts at its driver's defaults (auto, its own current)
		 * and its files wait for udev's grant.
		 */
		if (d->chg_ino) {
			d->written_ua = -1;
			d->written_inhibit = -1;
		}
		d->refused_ua = d->floor_ua = -1;
		/* and nothing was tried on it yet (helper-74) */
		d->hand_back_tried = d->stop_tried = d->ua_tried = false;
		d->chg_ino = ino;
		d->perm_grace_usec = now_usec();
		*fresh = true;
	}
	return ino;
}

void charger_baseline_note(struct daemon *d, uint64_t ino)
{
	const struct psy_snapshot *c = &d->snap.charger;
	struct charger_baseline saved = { 0 }, now = { .ino = ino };
	int r;

	if (!c->present || !ino || (d->base.ino == ino && !strcmp(d->base.name, c->name)))
		return;
	snprintf(now.name, sizeof(now.name), "%s", c->name);
	if (!baseline_load(d->rundirfd, &saved) && saved.ino == now.ino &&
	    !strcmp(saved.name, now.name)) {
		board_note(d->rundirfd, &saved, c->constant_charge_voltage);
		d->base = saved;	/* a restart: what was there before the last one */
		return;
	}
	if (c->constant_charge_current == PSY_NONE || c->constant_charge_current <= 0)
		return;		/* not readable yet: the next snapshot */
	now.ua = c->constant_charge_current;
	board_note(d->rundirfd, &now, c->constant_charge_voltage);
	d->base = now;
	/* without a runtime directory (not under systemd) it is kept in memory only */
	r = baseline_save(d->rundirfd, &now);
	if (r < 0 && r != -ENOENT)
		agent_error("saving the charger's baseline", -r);
}

/*
 * Another writer set the charge current to ua (from old_ua in force, uA)
 * while chargerd runs, and resync_plan() took it as the ceiling (its
 * ceiling_ua): the baseline moves to it, saved as at start, so that a
 * restart and the hand-back keep it, and it is said, as a lowering or a
 * raise of the ceiling (without a baseline, the charger's maximum was).
 */
long long charger_ceiling(const struct daemon *d)
{
	return d->base.ua > 0 ? d->base.ua : d->snap.charger.constant_charge_current_max;
}

void charger_baseline_set(struct daemon *d, long long ua, long long old_ua)
{
	long long ceiling = charger_ceiling(d);
	int r;

	if (ua <= 0 || ua == d->base.ua)
		return;
	d->base.ua = ua;
	if (d->base.ino) {
		r = baseline_save(d->rundirfd, &d->base);
		if (r < 0 && r != -ENOENT)
			agent_error("saving the charger's baseline", -r);
	}
	log_current_set(d, ua, old_ua, ceiling);
}

/*
 * Whether errno err is the driver's "not ready" (EAGAIN, EBUSY:
 * bq2589x_charger from its supply's registration until the chip is
 * configured, in its suspend, and from its hand-back at unbind until the
 * supply is gone, which reads auto meanwhile: driver/ABI.md).
 */
static bool driver_not_ready(int err)
{
	return err == EAGAIN || err == EBUSY;
}

bool bus_errno(int err)
{
	return err == EIO || err == EREMOTEIO || err == ETIMEDOUT || err == ENXIO;
}

/*
 * A hand-back write refused for a passing reason: the bus's (bus_errno()),
 * or the driver's while it is not ready. Anything else (EACCES, EINVAL,
 * the device gone) would be refused again.
 */
static bool hand_back_passing(int err)
{
	return bus_errno(err) || driver_not_ready(err);
}

/*
 * Whether a write refused with errno err says "not now" rather than "no":
 * the driver not ready (driver_not_ready()), or the device going away
 * (ENODEV: its files' writes after their removal began; ENOENT: the file
 * gone between the read and the write). The bus's errors are no such
 * answer: a charger that stops answering is what chargerd is there to say.
 */
bool write_refusal_passing(int err)
{
	return driver_not_ready(err) || err == ENODEV || err == ENOENT;
}

/*
 * Tries of one hand-back write, HAND_BACK_RETRY_USEC apart: a stop during
 * a burst of bus errors left charging held for good (helper-64: 2 stops
 * in 12 at 20 % errors, inhibit-charge kept through unplug and replug,
 * with no chargerd to take it back). 20 tries at 20 % fail together once
 * in 10^14; at most 2 s, inside the stop's time (TimeoutStopSec=).
 */
#define HAND_BACK_TRIES		20
#define HAND_BACK_RETRY_USEC	100000

static int hand_back_write(int classfd, const char *name, const char *attr, const char *val)
{
	char path[CONFIG_NAME_MAX + 64], driver[CONFIG_NAME_MAX];
	int fd, r, tries = 0;

	snprintf(path, sizeof(path), "%s/%s", name, attr);
	do {
		if (tries)
			usleep(HAND_BACK_RETRY_USEC);
		tries++;
		r = 0;
		fd = openat(classfd, path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, val, strlen(val)) < 0)
			r = -errno;
		if (fd >= 0)
			close(fd);
	} while (r < 0 && hand_back_passing(-r) && tries < HAND_BACK_TRIES);
	if (r < 0)
		log_hand_back_failed(name, supply_driver(classfd, name, driver, sizeof(driver)), attr,
				     val, tries, (tries - 1) * (HAND_BACK_RETRY_USEC / 1000), -r);
	return r;
}

int charger_hand_back(int classfd, const char *name, const struct charger_baseline *base)
{
	char val[32], attr[CONFIG_NAME_MAX + 32], done[96] = "", temp[64] = "";
	struct psy_snapshot c;
	int r = 0, w;

	/* read back what is in force: a restart may not have written it */
	psy_read(classfd, name, &c);
	if (!c.present)
		return -ENODEV;
	/*
	 * auto unless it reads auto: a read the bus failed is no answer (it
	 * was taken for a charger without the attribute, and nothing written)
	 */
	snprintf(attr, sizeof(attr), "%s/charge_behaviour", name);
	if (strcmp(c.charge_behaviour, "auto") && !faccessat(classfd, attr, F_OK, 0)) {
		r = hand_back_write(classfd, name, "charge_behaviour", "auto");
		if (!r)
			snprintf(done, sizeof(done), "charging, held (%s), is on again",
				 c.charge_behaviour[0] ? c.charge_behaviour : "unread");
	}
	if (base && base->ua > 0 && !strcmp(base->name, name) &&
	    base->ino == charger_ino(classfd, name) && c.constant_charge_current != base->ua) {
		snprintf(val, sizeof(val), "%lld", base->ua);
		w = hand_back_write(classfd, name, "constant_charge_current", val);
		if (!w)
			snprintf(done + strlen(done), sizeof(done) - strlen(done), "%sthe charge current back at %lld mA",
				 done[0] ? "; " : "", base->ua / 1000);
		r = w ?: r;
	}
	/*
	 * Said: the last records said charging stopped or slowed (too hot,
	 * in use), and from now the charger's own limits rule (helper-86:
	 * the journal's last word was "charging stopped (too hot)" while the
	 * cell charged at full current).
	 */
	if (c.temp != PSY_NONE && c.temp > -500 && c.temp < 1500)
		snprintf(temp, sizeof(temp), ", the charger's thermistor at %.1f degC",
			 (int)c.temp / 10.0);
	if (done[0])
		sd_journal_print(LOG_NOTICE, "chargerd: charging handed back to %s as chargerd stops "
				 "or is not running: %s; the charger's own limits rule until it runs again%s",
				 name, done, temp);
	return r;
}

/* On the way out: leave the charger charging on its own, as it was set before. */
void release_policy(struct daemon *d)
{
	if (d->snap.charger.name[0] &&
	    !charger_hand_back(d->classfd, d->snap.charger.name, &d->base))
		baseline_forget(d->rundirfd);
}

int charger_hand_back_standalone(const struct chargerd_config *cfg, int classfd, int rundirfd)
{
	struct charger_baseline base = { 0 };
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];
	int r;

	/* the charger chargerd drove, as its baseline names it; else as found */
	if (!baseline_load(rundirfd, &base) && charger_ino(classfd, base.name)) {
		snprintf(chg, sizeof(chg), "%s", base.name);
	} else {
		base.ua = 0;
		supplies_find(classfd, cfg, chg, bat);
	}
	if (!chg[0])
		return -ENODEV;
	r = charger_hand_back(classfd, chg, &base);
	if (!r)
		baseline_forget(rundirfd);
	return r;
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
