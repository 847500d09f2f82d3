// SPDX-License-Identifier: GPL-2.0
/*
 * The manager: chargerd's state and its pipeline. Each resync takes a
 * snapshot of the charger and the battery, derives what happened (session
 * and faults), evaluates the policies and the diagnosis, updates the LED
 * and what D-Bus publishes, then journals, stores and signals. Its inputs:
 * kernel uevents (libnl), the resync and in-use timers (on external power
 * only), and the settle and load-test timers. main.c sets it up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <systemd/sd-journal.h>

#include "alsa.h"
#include "chargerd.h"
#include "uevent.h"

/* A checkpoint of the session in progress at most this often (and on faults). */
#define CHECKPOINT_USEC	(60ULL * 1000000)
/* auto in-use: how often ALSA is looked at, on external power only */
#define ALSA_POLL_USEC	(5ULL * 1000000)
/* A second look this long after a plug: ADC readings, detection done. */
#define SETTLE_USEC	(3ULL * 1000000)

uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void checkpoint(struct daemon *d)
{
	int r;

	if (!d->have_hist || !d->sess.active)
		return;
	r = history_save_current(&d->hist, &d->sess.rec);
	if (r < 0) {
		d->n.history_errors++;
		agent_error("saving the session in progress", -r);
	}
	d->last_checkpoint_usec = now_usec();
}

void store_session(struct daemon *d, const struct session_record *r)
{
	int ret;

	log_session_end(d, r);
	bus_session_ended(d, r);
	if (!d->have_hist)
		return;
	ret = history_append(&d->hist, r);
	if (ret >= 0)
		ret = history_clear_current(&d->hist);
	if (ret < 0) {
		d->n.history_errors++;
		agent_error("storing a charge session", -ret);
	}
}

static void resync(struct daemon *d, const char *why);

void reevaluate(struct daemon *d, const char *why)
{
	resync(d, why);
}

static int on_settle_timer(sd_event_source *src,
			   uint64_t usec, void *data)
{
	resync(data, "settle");
	return 0;
}

/* Journal, signal and store what one step found. */
static void act(struct daemon *d, const struct session_step *st)
{
	int f;

	if (st->plugged)
		log_plug(d, true);
	if (st->started) {
		if (d->hist.next_id <= d->sess.rec.id)
			d->hist.next_id = d->sess.rec.id + 1;
		log_session_start(d);
		samples_open(d, d->sess.rec.id);
		plot_event(d, "plugged in: %s", d->snap.charger.source_kind);
	}
	for_each_fault(f, st->raised | st->transient | st->cleared) {
		if (st->raised & FAULT_BIT(f) || st->transient & FAULT_BIT(f)) {
			d->n.faults[f]++;
			plot_event(d, "fault: %s", fault_code(f));
			log_fault(d, f, true, st->transient & FAULT_BIT(f));
			bus_fault_raised(d, f, st->transient & FAULT_BIT(f));
		}
		if (st->cleared & FAULT_BIT(f) || st->transient & FAULT_BIT(f)) {
			if (st->cleared & FAULT_BIT(f))
				log_fault(d, f, false, false);
			bus_fault_cleared(d, f);
		}
	}
	/*
	 * Right after a plug the ADC has not converted yet and detection may
	 * still run; one more look once they are done (no uevent says so).
	 */
	if (st->plugged)
		timer_arm(d->settle_timer, SETTLE_USEC);
	if (st->unplugged)
		log_plug(d, false);
	if (st->ended) {
		store_session(d, &st->record);
		samples_close(d, st->record.id);
	}
	if (st->started || st->raised || st->transient || st->cleared ||
	    now_usec() - d->last_checkpoint_usec >= CHECKPOINT_USEC)
		checkpoint(d);
}

int64_t realtime_s(void)
{
	return time(NULL);
}

static int on_alsa_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;
	bool playing = alsa_playing("/proc/asound");

	sd_event_source_set_time(src, usec + ALSA_POLL_USEC);
	if (playing != d->in_use_detected) {
		d->in_use_detected = playing;
		resync(d, "in-use changed");
	}
	return 0;
}

static int on_resync_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	sd_event_source_set_time(src, usec + (uint64_t)d->cfg.resync_s * 1000000);
	resync(d, "periodic");
	return 0;
}

/*
 * Timers run only on external power: the slow resync (a backstop for a
 * lost uevent, and the temperature and capacity the policies follow, which
 * no uevent reports) and, in auto mode, the look at ALSA. On battery
 * nothing wakes chargerd but a uevent.
 */
static void update_timers(struct daemon *d)
{
	bool online = d->snap.charger.online == 1;
	bool want = d->cfg.in_use_mode == IN_USE_AUTO && online;

	if (d->resync_timer && (!online || !d->cfg.resync_s)) {
		sd_event_source_set_enabled(d->resync_timer, SD_EVENT_OFF);
	} else if (d->resync_timer &&
		   sd_event_source_get_enabled(d->resync_timer, NULL) <= 0) {
		sd_event_source_set_time(d->resync_timer,
					 now_usec() + (uint64_t)d->cfg.resync_s * 1000000);
		sd_event_source_set_enabled(d->resync_timer, SD_EVENT_ON);
	}
	if (!d->alsa_timer)
		return;
	if (!want) {
		d->in_use_detected = false;
		sd_event_source_set_enabled(d->alsa_timer, SD_EVENT_OFF);
		return;
	}
	if (sd_event_source_get_enabled(d->alsa_timer, NULL) > 0)
		return;
	d->in_use_detected = alsa_playing("/proc/asound");
	sd_event_source_set_time(d->alsa_timer, now_usec() + ALSA_POLL_USEC);
	sd_event_source_set_enabled(d->alsa_timer, SD_EVENT_ON);
}

/*
 * The causes now, ranked, into out[CAUSE__COUNT]; returns how many. asked:
 * a person asked (chargerctl diagnose, the report), so "no power" counts
 * while unplugged.
 */
int daemon_diagnose(const struct daemon *d, bool asked, struct diagnosis *out)
{
	return diagnose(&d->cfg.diag, &d->snap, &d->evid, d->sess.active_faults, d->pol_out.pause,
			d->snap.charger.online == 1 ? d->pol_out.percent : 100, asked, out,
			CAUSE__COUNT);
}

/* The causes now; a new one is journalled and signalled once. */
static void update_diagnosis(struct daemon *d, const struct session_step *st)
{
	const struct diag_config *dc = &d->cfg.diag;
	uint32_t now = 0;
	int i;

	if (st->plugged)
		evidence_plug(&d->evid, dc, d->snap.usec);
	if (st->unplugged || st->ended)
		evidence_unplug(&d->evid, d->snap.usec);
	d->evid.session_faults |= st->raised | st->transient;
	d->ndiag = daemon_diagnose(d, false, d->diag);
	for (i = 0; i < d->ndiag; i++) {
		now |= CAUSE_BIT(d->diag[i].cause);
		if (d->diagnosed & CAUSE_BIT(d->diag[i].cause))
			continue;
		log_diagnosis(d, &d->diag[i]);
		bus_diagnosis(d, &d->diag[i]);
		plot_event(d, "diagnosis: %s", cause_code(d->diag[i].cause));
	}
	d->diagnosed = now;
}

/* The status LED follows the state; written only when the pattern changes. */
static void update_led(struct daemon *d)
{
	bool fault = d->sess.active_faults != 0;
	enum led_pattern p;
	int i, fd, r;

	for (i = 0; i < d->ndiag; i++)
		fault |= d->diag[i].severity == SEV_FAULT;
	p = led_pattern_for(&d->snap, fault, d->pol_out.pause);
	if (d->ledsfd < 0)
		return;
	if (!d->led_name[0] || faccessat(d->ledsfd, d->led_name, F_OK, 0)) {
		d->led = LED__COUNT;	/* gone, or not there yet */
		if (led_find(d->ledsfd, d->cfg.led, d->led_name, sizeof(d->led_name)))
			return;
	}
	if (p == d->led)
		return;
	fd = openat(d->ledsfd, d->led_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = fd < 0 ? -errno : led_show(fd, p);
	if (fd >= 0)
		close(fd);
	if (r < 0) {
		char what[CONFIG_NAME_MAX + 16];

		snprintf(what, sizeof(what), "the LED %s", d->led_name);
		log_write_error(d, "led-error", what, NULL, led_pattern_name(p), -r);
		return;
	}
	d->led = p;
}

void take_snapshot(struct daemon *d, struct snapshot *s)
{
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];

	d->n.snapshots++;
	supplies_find(d->classfd, &d->cfg, chg, bat);
	psy_read(d->classfd, chg, &s->charger);
	psy_read(d->classfd, bat, &s->battery);
	s->seq = d->snap.seq + 1;
	s->usec = now_usec();
}

/* Read everything again and act on the differences. */
static void resync(struct daemon *d, const char *why)
{
	struct snapshot old = d->snap;
	struct session_step st;

	take_snapshot(d, &d->snap);
	session_update(&d->sess, d->have_snap ? &old : NULL, &d->snap, d->hist.next_id,
		       realtime_s(), &st);
	d->have_snap = true;
	update_timers(d);
	if (st.plugged)
		d->probe_done = false;
	apply_policy(d, st.plugged);
	update_diagnosis(d, &st);
	update_led(d);
	public_state_update(d);
	act(d, &st);
	sample(d);
	bus_publish(d);
	maybe_load_test(d);
	if (why)
		sd_journal_print(LOG_DEBUG, "chargerd: resync (%s)", why);
}

static int on_uevent(sd_event_source *src, int fd,
		     uint32_t revents, void *data)
{
	struct daemon *d = data;
	static struct uevent ue;
	bool changed = false;

	for (;;) {
		struct sockaddr_nl nla = { 0 };
		struct ucred *cred = NULL;
		unsigned char *buf = NULL;
		int n = nl_recv(d->nl, &nla, &buf, &cred);

		if (n == -NLE_AGAIN || n == 0) {
			free(buf);
			free(cred);
			break;
		}
		if (n == -NLE_NOMEM) {
			/* ENOBUFS: the socket overflowed, uevents are lost */
			d->n.overflows++;
			d->have_seqnum = false;
			changed = true;
			continue;
		}
		if (n < 0) {
			agent_error("netlink receive", ENOTRECOVERABLE);
			break;
		}
		d->n.uevents++;
		/* only the kernel: port 0, uid 0 */
		if (nla.nl_pid != 0 || !cred || cred->uid != 0 ||
		    uevent_parse(buf, n, &ue) || !ue.subsystem) {
			d->n.dropped++;
		} else {
			if (ue.has_seqnum) {
				if (d->have_seqnum && ue.seqnum != d->last_seqnum + 1) {
					d->n.seqnum_gaps++;
					changed = true;	/* a gap: resync */
				}
				d->last_seqnum = ue.seqnum;
				d->have_seqnum = true;
			}
			if (!strcmp(ue.subsystem, "power_supply"))
				changed = true;
		}
		free(buf);
		free(cred);
	}
	/* one snapshot for the whole batch: it reads everything anyway */
	if (changed)
		resync(d, NULL);
	return 0;
}


int settings_save(struct daemon *d)
{
	char text[256];
	int fd, len, r = 0;

	len = snprintf(text, sizeof(text),
		       "# Set over D-Bus (chargerctl); these take precedence over chargerd.conf.\n"
		       "[in-use]\nmode = %s\nstop_percent = %u\nresume_percent = %u\n",
		       in_use_mode_names[d->cfg.in_use_mode], d->cfg.policy.in_use_stop_percent,
		       d->cfg.policy.in_use_resume_percent);
	if (d->statefd < 0)
		return -ENOENT;
	fd = openat(d->statefd, SETTINGS_FILE ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != len || fsync(fd))
		r = -EIO;
	close(fd);
	if (!r && renameat(d->statefd, SETTINGS_FILE ".tmp", d->statefd, SETTINGS_FILE))
		r = -errno;
	if (!r && fsync(d->statefd))
		r = -errno;
	return r;
}

static int on_iteration(sd_event_source *src, void *data)
{
	struct daemon *d = data;

	d->n.wakeups++;
	return 0;
}

/*
 * Re-arm a one-shot timer usec from now (CLOCK_BOOTTIME, like all of
 * chargerd's timers): a second arming before it fires moves it, it never
 * stacks another.
 */
void timer_arm(sd_event_source *timer, uint64_t usec)
{
	if (!timer)
		return;
	sd_event_source_set_time_relative(timer, usec);
	sd_event_source_set_enabled(timer, SD_EVENT_ONESHOT);
}

/* A disabled timer on CLOCK_BOOTTIME, for timer_arm(); -errno on failure. */
static int timer_new(struct daemon *d, sd_event_source **timer, sd_event_time_handler_t fn,
		     const char *name)
{
	int r;

	r = sd_event_add_time(d->ev, timer, CLOCK_BOOTTIME, UINT64_MAX, 0, fn, d);
	if (r >= 0)
		r = sd_event_source_set_enabled(*timer, SD_EVENT_OFF);
	if (r >= 0)
		r = sd_event_source_set_description(*timer, name);
	return r;
}

static int setup_netlink(struct daemon *d)
{
	int ret;

	d->nl = nl_socket_alloc();
	if (!d->nl)
		return -ENOMEM;
	nl_socket_disable_seq_check(d->nl);
	ret = nl_connect(d->nl, NETLINK_KOBJECT_UEVENT);
	if (!ret)
		ret = nl_socket_add_membership(d->nl, 1);
	if (!ret)
		ret = nl_socket_set_passcred(d->nl, 1);
	if (!ret)
		ret = nl_socket_set_buffer_size(d->nl, d->cfg.receive_buffer_kb * 1024, 0);
	if (!ret)
		ret = nl_socket_set_nonblocking(d->nl);
	return ret ? -EIO : 0;
}

/*
 * The manager's event sources on d->ev: the uevent socket, its timers and
 * the loop counter. Each step that fails is logged with its errno; returns
 * 0 or the first -errno.
 */
int manager_start(struct daemon *d)
{
	static const struct {
		const char *what;
		size_t timer;		/* offsetof the source in struct daemon */
		sd_event_time_handler_t fn;
	} timers[] = {
		{ "resync-timer", offsetof(struct daemon, resync_timer), on_resync_timer },
		{ "alsa-timer", offsetof(struct daemon, alsa_timer), on_alsa_timer },
		{ "settle-timer", offsetof(struct daemon, settle_timer), on_settle_timer },
		{ "load-test-timer", offsetof(struct daemon, probe_timer), charger_load_test_done },
		{ "journal-summary-timer", offsetof(struct daemon, rl_timer), journal_flush_timer },
	};
	unsigned int i;
	int r;

	r = setup_netlink(d);
	if (r < 0) {
		agent_error("opening the uevent socket", -r);
		return r;
	}
	r = sd_event_add_io(d->ev, NULL, nl_socket_get_fd(d->nl), EPOLLIN, on_uevent, d);
	if (r < 0) {
		agent_error("watching the uevent socket", -r);
		return r;
	}
	for (i = 0; i < sizeof(timers) / sizeof(timers[0]); i++) {
		r = timer_new(d, (sd_event_source **)((char *)d + timers[i].timer), timers[i].fn,
			      timers[i].what);
		if (r < 0) {
			agent_error(timers[i].what, -r);
			return r;
		}
	}
	r = sd_event_add_post(d->ev, NULL, on_iteration, d);
	if (r < 0)
		agent_error("counting wakeups", -r);
	return r < 0 ? r : 0;
}

void daemon_done(struct daemon *d)
{
	sd_event_source **timers[] = { &d->resync_timer, &d->alsa_timer, &d->settle_timer,
				       &d->probe_timer, &d->rl_timer };
	int *fds[] = { &d->classfd, &d->ledsfd, &d->statefd, &d->samplefd };
	unsigned int i;

	for (i = 0; i < sizeof(timers) / sizeof(timers[0]); i++)
		*timers[i] = sd_event_source_disable_unref(*timers[i]);

	if (d->have_hist)
		history_close(&d->hist);
	d->have_hist = false;
	d->bus = sd_bus_flush_close_unref(d->bus);
	nl_socket_free(d->nl);
	d->nl = NULL;
	d->ev = sd_event_unref(d->ev);
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}
