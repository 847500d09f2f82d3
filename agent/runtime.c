// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime directory (the unit's RuntimeDirectory=, /run/chargerd):
 * what must outlive a restart of chargerd but not a reboot. Small files:
 * the charger's baseline (charger.c), the clock of the session in progress
 * (session.h's struct session_clock), the clocks of this boot's finished
 * sessions, the supplies seen in this boot, when the charger's supply
 * went, the faults present, the policy's band and pause, and the load
 * test of the session in progress. Each is replaced whole by rename, so a crash leaves the old text
 * or the new.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "chargerd.h"
#include "file.h"

#define SESSION_CLOCK_FILE	"session-clock"

/* /run is tmpfs: nothing to make durable, a power cut takes it anyway */
int runtime_write(int dirfd, const char *name, const char *line)
{
	return file_replace(dirfd, name, line, strlen(line), false);
}

int runtime_put(int dirfd, const char *name, const char *text)
{
	if (dirfd < 0)
		return 0;	/* no runtime directory (run by hand): nothing kept */
	if (text[0])
		return runtime_write(dirfd, name, text);
	if (!unlinkat(dirfd, name, 0) || errno == ENOENT)
		return 0;
	return -errno;
}

/*
 * Replace name's text with line, for a restart to go on from; on failure,
 * said (as what) and the file before it removed: a restart then starts
 * as chargerd did before it had the file, never from a stale one.
 */
static void runtime_keep(int dirfd, const char *name, const char *line, const char *what)
{
	int r = runtime_put(dirfd, name, line);

	if (r < 0) {
		agent_error(what, -r);
		unlinkat(dirfd, name, 0);
	}
}

int runtime_read(int dirfd, const char *name, char *line, size_t len)
{
	ssize_t n;
	int fd;

	fd = dirfd < 0 ? -1 : openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	n = read(fd, line, len - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	line[n] = '\0';
	return 0;
}

void session_clock_keep(struct daemon *d, const struct session_clock *c)
{
	d->clock_id = c->id;
	d->clock_ino = c->charger_ino;
	d->clock_rises = c->power_good_rises;
}

void session_clock_save(struct daemon *d)
{
	struct session_clock c;
	char line[SESSION_CLOCK_LINE_MAX];
	int r;

	session_clock_of(&d->sess, &c);
	/*
	 * The charger's count of arrivals, for a restart to compare: as read
	 * now, else as saved before for this session (a restart that could
	 * not read it keeps the evidence)
	 */
	if (c.id && d->snap.charger.ino && d->snap.charger.power_good_rises >= 0) {
		c.charger_ino = d->snap.charger.ino;
		c.power_good_rises = d->snap.charger.power_good_rises;
	} else if (c.id && c.id == d->clock_id) {
		c.charger_ino = d->clock_ino;
		c.power_good_rises = d->clock_rises;
	}
	session_clock_format(&c, line, sizeof(line));
	r = runtime_write(d->rundirfd, SESSION_CLOCK_FILE, line);
	/* without a runtime directory a restart counts from the checkpoint */
	if (r < 0 && r != -ENOENT) {
		agent_error("saving the session's clock", -r);
		/*
		 * The clock saved before has an older count, which would end
		 * the session at a restart: gone (the restart counts from the
		 * checkpoint), and not tried again until the count changes.
		 */
		unlinkat(d->rundirfd, SESSION_CLOCK_FILE, 0);
	}
	session_clock_keep(d, &c);
}

int session_clock_load(struct daemon *d, struct session_clock *c)
{
	char line[SESSION_CLOCK_LINE_MAX];
	int r;

	if (runtime_read(d->rundirfd, SESSION_CLOCK_FILE, line, sizeof(line)))
		return -ENOENT;
	r = session_clock_parse(line, c);
	/*
	 * A charger gone before the session's start is another boot's or a
	 * hand-written file, not this session's wait: the wait starts from
	 * chargerd's start, for the diagnosis as for the session (helper-77:
	 * charger-fault was said at once while the session waited 10 s).
	 */
	if (!r && d->evid.charger_gone && d->evid.charger_gone_since_usec < c->start_usec) {
		d->evid.charger_gone = false;
		d->evid.charger_gone_since_usec = 0;
		d->gone_faults = 0;
	}
	/* when the charger went, and the faults then, as gone_load() found them */
	c->gone_usec = d->evid.charger_gone ? d->evid.charger_gone_since_usec : 0;
	c->gone_faults = c->gone_usec ? d->gone_faults : 0;
	return r;
}

/*
 * The clocks of this boot's finished sessions (on CLOCK_BOOTTIME all
 * through), newest UNDATED_MAX, one session_clock_format() line each,
 * oldest first: those whose start is not a date yet are dated once the
 * wall clock is synchronised; those dated are undated when it is set
 * again (ended_undate()). The file keeps its first name, "undated", so
 * that an upgrade within a boot still reads it.
 */
#define UNDATED_FILE	"undated"

static void undated_save(struct daemon *d)
{
	char text[UNDATED_MAX * SESSION_CLOCK_LINE_MAX], *p = text;
	unsigned int i;
	int r;

	text[0] = '\0';
	for (i = 0; i < d->n_undated; i++) {
		session_clock_format(&d->undated[i], p, sizeof(text) - (p - text));
		p += strlen(p);
	}
	r = runtime_put(d->rundirfd, UNDATED_FILE, text);
	/* without it a restart leaves those sessions as they are */
	if (r < 0)
		agent_error("saving the clocks of this boot's sessions", -r);
}

void undated_load(struct daemon *d)
{
	char text[UNDATED_MAX * SESSION_CLOCK_LINE_MAX + 1], *line, *next;
	const struct session_record *r;
	struct session_clock c;

	d->n_undated = 0;
	d->undated_pending = false;
	if (runtime_read(d->rundirfd, UNDATED_FILE, text, sizeof(text)))
		return;
	for (line = text; *line && d->n_undated < UNDATED_MAX; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (next[-1] == '\n')
			next[-1] = '\0';
		/*
		 * a line that does not parse is skipped: its session stays as
		 * it is; so is one whose record is gone (dropped by compaction,
		 * or the log lost)
		 */
		if (session_clock_parse(line, &c) || !c.on_boot_clock || !(r = history_find(&d->hist, c.id)))
			continue;
		d->undated[d->n_undated++] = c;
		d->undated_pending |= r->start_clock == START_CLOCK_UNSYNCED;
	}
}

void undated_note(struct daemon *d, const struct session_record *r, const struct session_clock *c)
{
	unsigned int i;

	/* a log that is never rewritten (kept aside: it could not be) */
	if ((r->start_clock != START_CLOCK_UNSYNCED && r->start_clock != START_CLOCK_SYNCED) ||
	    !c || c->id != r->id || !c->on_boot_clock || d->hist.keep_error)
		return;
	/* an id noted before (stored twice, or used again): this clock is its own */
	for (i = 0; i < d->n_undated; i++) {
		if (d->undated[i].id == c->id) {
			memmove(d->undated + i, d->undated + i + 1,
				(d->n_undated - i - 1) * sizeof(*d->undated));
			d->n_undated--;
			break;
		}
	}
	if (d->n_undated == UNDATED_MAX)
		memmove(d->undated, d->undated + 1, (UNDATED_MAX - 1) * sizeof(*d->undated));
	else
		d->n_undated++;
	d->undated[d->n_undated - 1] = *c;
	/* the dates only: the charger's count is the session in progress's */
	d->undated[d->n_undated - 1].charger_ino = 0;
	d->undated[d->n_undated - 1].power_good_rises = PSY_NONE;
	d->undated_pending |= r->start_clock == START_CLOCK_UNSYNCED;
	undated_save(d);
}

void undated_redate(struct daemon *d, const struct wall_time *wall)
{
	struct history_date dates[UNDATED_MAX];
	unsigned int i;
	size_t n = 0;
	int r;

	if (!d->undated_pending || !wall->synced || !d->have_hist)
		return;
	for (i = 0; i < d->n_undated; i++) {
		const struct session_clock *c = &d->undated[i];

		if (session_start_from_boot(c->start_usec, c->base_s, wall, &dates[n].start))
			dates[n++].id = c->id;
	}
	r = n ? history_redate(&d->hist, dates, n) : 0;
	if (r < 0) {
		d->pub.n.history_errors++;
		agent_error("dating the sessions that ended before the clock was synchronised", -r);
	} else if (r > 0) {
		sd_journal_print(LOG_DEBUG,
				 "chargerd: %d finished sessions dated now that the clock is synchronised",
				 r);
	}
	/* once, done or not: a failing disk is not retried at every look */
	d->undated_pending = false;
}

int undated_step(struct daemon *d)
{
	struct history_date ids[UNDATED_MAX];
	unsigned int i;
	int r;

	if (!d->n_undated || !d->have_hist)
		return 0;
	for (i = 0; i < d->n_undated; i++)
		ids[i] = (struct history_date){ .id = d->undated[i].id };
	r = history_undate(&d->hist, ids, d->n_undated);
	if (r < 0) {
		d->pub.n.history_errors++;
		agent_error("undating the sessions dated by the clock before it was set", -r);
		return 0;
	}
	/* the others were undated already: all of them wait for a synchronisation */
	d->undated_pending = true;
	return r;
}

/*
 * The supplies seen working in this boot (evidence's battery_seen and
 * charger_seen), kept across chargerd's restarts: "battery", "charger",
 * both, on a line, then the [supplies] they were of ("charger=NAME
 * battery=NAME", "" for found ones): a restart that names others starts
 * afresh (helper-67). A gauge gone before a restart (the
 * battery-not-detected fix says "restart the device"; a crash or an
 * upgrade does it too) was forgotten, and the device then said no problem
 * (helper-66).
 */
#define SEEN_FILE	"seen"

static void seen_supplies(const struct daemon *d, char *line, size_t len)
{
	snprintf(line, len, "charger=%s battery=%s", d->cfg.charger, d->cfg.battery);
}

void seen_load(struct daemon *d)
{
	char text[64 + 2 * CONFIG_NAME_MAX], supplies[24 + 2 * CONFIG_NAME_MAX], *nl;

	if (runtime_read(d->rundirfd, SEEN_FILE, text, sizeof(text)))
		return;
	nl = strchr(text, '\n');
	seen_supplies(d, supplies, sizeof(supplies));
	if (!nl || strncmp(nl + 1, supplies, strlen(supplies)) ||
	    (nl[1 + strlen(supplies)] != '\0' && nl[1 + strlen(supplies)] != '\n'))
		return;
	*nl = '\0';
	d->evid.battery_seen |= strstr(text, "battery") != NULL;
	d->evid.charger_seen |= strstr(text, "charger") != NULL;
	d->seen_saved = d->evid.battery_seen | (unsigned int)d->evid.charger_seen << 1;
}

/*
 * When the charger's supply went (evidence's charger_gone_since_usec,
 * CLOCK_BOOTTIME), while it is gone, kept across chargerd's restarts: a
 * restart during the 10 s wait started it again from the restart, dating
 * the session's end there and postponing charger-fault for as long as
 * restarts came (helper-73: four restarts 6 s apart, 42 s). The line
 * (session_gone_parse()) also has when chargerd last saw it gone (each
 * look, and its stop) and the session's active faults then (its faults
 * are not read while it is gone: a restart raised a present one again,
 * helper-75). A stale or malformed line is not kept: the wait starts from
 * chargerd's start then, as before.
 */
#define GONE_FILE	"charger-gone"

void gone_load(struct daemon *d)
{
	char line[SESSION_GONE_LINE_MAX + 16];
	uint64_t v;
	uint32_t faults;

	if (runtime_read(d->rundirfd, GONE_FILE, line, sizeof(line)) ||
	    session_gone_parse(line, now_usec(), &v, &faults) || !d->evid.charger_seen)
		return;
	d->evid.charger_gone = true;
	d->evid.charger_gone_since_usec = v;
	d->gone_faults = faults;
	d->gone_saved = v;
}

void gone_save(struct daemon *d)
{
	uint64_t v = d->evid.charger_gone ? d->evid.charger_gone_since_usec : 0;
	char line[SESSION_GONE_LINE_MAX];
	int r;

	if (!v && !d->gone_saved)
		return;
	if (v) {
		session_gone_format(v, now_usec(), d->sess.active ? d->sess.active_faults : 0,
				    line, sizeof(line));
		r = runtime_put(d->rundirfd, GONE_FILE, line);
	} else {
		r = unlinkat(d->rundirfd, GONE_FILE, 0) ? -errno : 0;
	}
	/* without it a restart waits from its start, as before */
	if (r < 0 && r != -ENOENT)
		agent_error("saving when the charger went", -r);
	d->gone_saved = v;
}

/*
 * The faults present and the last one raised in this boot (ActiveFaults
 * and LastFault, chargerctl status's "(last: ...)"), kept across
 * chargerd's restarts: the first look after one says a fault that ended
 * while chargerd was down cleared, does not raise one still there again
 * nor take another's name for it (helper-79: a battery over-voltage read
 * back as an input fault), and status keeps the last (an upgrade forgot
 * it). One line (faults_state_parse()); a damaged one is not kept. A
 * second line, the charger's fault counters as last read
 * (fault_counters_parse()), lets that first look say a fault that came
 * and went while chargerd was down (helper-79); without it (an older
 * chargerd's file, no charger then, a damaged line) such a fault goes
 * unsaid, as before.
 */
#define FAULTS_FILE	"faults"

void faults_load(struct daemon *d)
{
	char text[FAULTS_STATE_LINE_MAX + FAULT_COUNTERS_LINE_MAX], line[FAULTS_STATE_LINE_MAX];
	const char *nl, *counters;
	uint32_t active;
	size_t n;
	int last;

	d->faults_saved = false;
	if (runtime_read(d->rundirfd, FAULTS_FILE, text, sizeof(text)))
		return;
	/* the first line alone for faults_state_parse() */
	nl = strchr(text, '\n');
	n = nl ? (size_t)(nl - text) + 1 : strlen(text);
	if (n >= sizeof(line))
		return;
	memcpy(line, text, n);
	line[n] = '\0';
	counters = text + n;
	if (faults_state_parse(line, &active, &last))
		return;
	d->sess.active_faults = active;
	d->sess.last_fault = (enum fault)last;
	d->sess.faults_restored = true;
	if (*counters && fault_counters_parse(counters, &d->sess.restored_counters))
		d->sess.restored_counters.ino = 0;
	d->faults_saved = true;
	d->faults_saved_active = active;
	d->faults_saved_last = (enum fault)last;
	d->faults_saved_counters = d->sess.restored_counters;
}

void faults_save(struct daemon *d)
{
	char line[FAULTS_STATE_LINE_MAX], counters[FAULT_COUNTERS_LINE_MAX] = "";
	char text[sizeof(line) + sizeof(counters)];
	struct fault_counters c;

	fault_counters_of(&d->snap.charger, &c);
	if (d->faults_saved && d->sess.active_faults == d->faults_saved_active &&
	    d->sess.last_fault == d->faults_saved_last &&
	    !memcmp(&c, &d->faults_saved_counters, sizeof(c)))
		return;
	faults_state_format(d->sess.active_faults, d->sess.last_fault, line, sizeof(line));
	if (c.ino)
		fault_counters_format(&c, counters, sizeof(counters));
	snprintf(text, sizeof(text), "%s%s", line, counters);
	runtime_keep(d->rundirfd, FAULTS_FILE, text, "saving the faults present");
	d->faults_saved = true;
	d->faults_saved_active = d->sess.active_faults;
	d->faults_saved_last = d->sess.last_fault;
	d->faults_saved_counters = c;
}

/*
 * The policy's band and in-use pause (policy_state_parse()), kept across
 * chargerd's restarts; a damaged line is not kept: a fresh start, as
 * before.
 */
#define POLICY_FILE	"policy"

void policy_load(struct daemon *d)
{
	char line[POLICY_STATE_LINE_MAX];
	struct policy_state st;

	if (runtime_read(d->rundirfd, POLICY_FILE, line, sizeof(line)) ||
	    policy_state_parse(line, &st))
		return;
	d->pol = st;
	policy_state_format(&d->pol, d->policy_saved, sizeof(d->policy_saved));
}

void policy_save(struct daemon *d)
{
	char line[POLICY_STATE_LINE_MAX];

	if (!d->pol.started)
		return;
	policy_state_format(&d->pol, line, sizeof(line));
	if (!strcmp(line, d->policy_saved))
		return;
	runtime_keep(d->rundirfd, POLICY_FILE, line, "saving the policy's state");
	snprintf(d->policy_saved, sizeof(d->policy_saved), "%s", line);
}

/*
 * The VBUS load test of the session in progress, once per session, kept
 * across chargerd's restarts: a restart ran it again (2.5 s more held,
 * another record) and lost its result, the cable's finding with it
 * (helper-79). "SESSION ATTEMPTS DONE LOADED UNLOADED VBAT IBAT\n": the
 * session's id, the tests that gave no result, whether one did, and its
 * readings (uV, uA; evidence_load_test()'s).
 */
#define LOAD_TEST_FILE	"load-test"

void load_test_save(struct daemon *d, long long loaded_uv, long long unloaded_uv,
		    long long vbat_uv, long long ibat_ua)
{
	char line[160];

	if (!d->sess.active)
		return;
	snprintf(line, sizeof(line), "%llu %u %d %lld %lld %lld %lld\n",
		 (unsigned long long)d->sess.rec.id, d->probe_attempts, d->probe_done,
		 loaded_uv, unloaded_uv, vbat_uv, ibat_ua);
	runtime_keep(d->rundirfd, LOAD_TEST_FILE, line, "saving the load test");
}

void load_test_load(struct daemon *d)
{
	long long loaded, unloaded, vbat, ibat;
	unsigned long long id;
	unsigned int attempts;
	char line[160];
	int done, n = 0;

	if (!d->sess.active || runtime_read(d->rundirfd, LOAD_TEST_FILE, line, sizeof(line)))
		return;
	if (sscanf(line, "%llu %u %d %lld %lld %lld %lld\n%n", &id, &attempts, &done, &loaded,
		   &unloaded, &vbat, &ibat, &n) != 7 || !n || line[n] || id != d->sess.rec.id ||
	    (done != 0 && done != 1))
		return;
	d->probe_attempts = attempts;
	d->probe_done = done;
	/* its result, the cable's evidence again (a test that gave none: none) */
	if (done)
		evidence_load_test(&d->evid, loaded, unloaded, vbat, ibat);
}

void seen_save(struct daemon *d)
{
	unsigned int seen = d->evid.battery_seen | (unsigned int)d->evid.charger_seen << 1;
	char text[64 + 2 * CONFIG_NAME_MAX], supplies[24 + 2 * CONFIG_NAME_MAX];
	int r;

	if (seen == d->seen_saved)
		return;
	seen_supplies(d, supplies, sizeof(supplies));
	snprintf(text, sizeof(text), "%s%s\n%s\n", d->evid.battery_seen ? "battery " : "",
		 d->evid.charger_seen ? "charger" : "", supplies);
	r = runtime_put(d->rundirfd, SEEN_FILE, text);
	/* without it a restart forgets them, as before */
	if (r < 0)
		agent_error("saving the supplies seen in this boot", -r);
	d->seen_saved = seen;
}
