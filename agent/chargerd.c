// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd: the charger agent. This first version is the core loop: kernel
 * uevents through libnl on one sd-event loop, a fresh snapshot of the
 * charger and battery on every power_supply change (and a full resync after
 * a lost uevent), and journal records for plug and unplug. D-Bus, history,
 * policies and diagnosis build on it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>
#include <systemd/sd-journal.h>

#include "config.h"
#include "snapshot.h"
#include "uevent.h"

/* MESSAGE_IDs: stable, one per event kind (chargerd.catalog explains them). */
#define MID_PLUG	"3f1b9a6c2e4d4b7e9a1c5d8e7f60a1b2"
#define MID_UNPLUG	"6d2c8b1a9f3e4c5d8b7a6e5f4d3c2b1a"
#define MID_AGENT_ERROR	"a1e2f3d4c5b64a7988776655443322ff"

#define CLASS_DIR	"/sys/class/power_supply"

struct daemon {
	struct chargerd_config cfg;
	const char *config_path;
	sd_event *ev;
	struct nl_sock *nl;
	int classfd;
	struct snapshot snap;
	uint64_t last_seqnum;
	bool have_seqnum;
	uint64_t resyncs, dropped;
};

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void agent_error(const char *what, int err)
{
	sd_journal_send("MESSAGE=chargerd: %s: %s", what, strerror(err),
			"MESSAGE_ID=" MID_AGENT_ERROR, "PRIORITY=3",
			"CHARGERD_ERROR=%s", what, "CHARGERD_ERRNO=%d", err, NULL);
}

/* Journal records for what changed between two snapshots. */
static void report(const struct snapshot *old, const struct snapshot *s)
{
	const struct psy_snapshot *c = &s->charger, *b = &s->battery;

	if (old->charger.online != 1 && c->online == 1)
		sd_journal_send("MESSAGE=Charger plugged in: %s (%s), VBUS %lld mV",
				c->usb_type[0] ? c->usb_type : "?",
				c->source_kind[0] ? c->source_kind : "?",
				c->voltage_now == PSY_NONE ? 0 : c->voltage_now / 1000,
				"MESSAGE_ID=" MID_PLUG, "PRIORITY=6",
				"CHARGER_NAME=%s", c->name,
				"CHARGER_USB_TYPE=%s", c->usb_type,
				"CHARGER_SOURCE_KIND=%s", c->source_kind,
				"CHARGER_VBUS_UV=%lld", c->voltage_now,
				"CHARGER_STATUS=%s", c->status,
				"CHARGER_HEALTH=%s", c->health,
				"BATTERY_CAPACITY=%lld", b->capacity,
				NULL);
	else if (old->charger.online == 1 && c->online != 1)
		sd_journal_send("MESSAGE=Charger unplugged, battery at %lld %%",
				b->capacity == PSY_NONE ? -1 : b->capacity,
				"MESSAGE_ID=" MID_UNPLUG, "PRIORITY=6",
				"CHARGER_NAME=%s", c->name,
				"BATTERY_CAPACITY=%lld", b->capacity,
				NULL);
}

/* Read everything again and report the differences. */
static void resync(struct daemon *d, const char *why)
{
	struct snapshot old = d->snap, s = { 0 };
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];

	d->resyncs++;
	supplies_find(d->classfd, &d->cfg, chg, bat);
	psy_read(d->classfd, chg, &s.charger);
	psy_read(d->classfd, bat, &s.battery);
	s.seq = old.seq + 1;
	s.usec = now_usec();
	d->snap = s;
	if (old.seq)
		report(&old, &s);
	if (why)
		sd_journal_print(LOG_DEBUG, "chargerd: resync (%s)", why);
}

static int on_uevent(sd_event_source *src __attribute__((unused)), int fd __attribute__((unused)),
		     uint32_t revents __attribute__((unused)), void *data)
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
			resync(d, "netlink overflow");
			d->have_seqnum = false;
			continue;
		}
		if (n < 0) {
			agent_error("netlink receive", ENOTRECOVERABLE);
			break;
		}
		/* only the kernel: port 0, uid 0 */
		if (nla.nl_pid != 0 || !cred || cred->uid != 0 ||
		    uevent_parse(buf, n, &ue) || !ue.subsystem) {
			d->dropped++;
		} else {
			if (ue.has_seqnum) {
				if (d->have_seqnum && ue.seqnum != d->last_seqnum + 1)
					changed = true;	/* a gap: resync */
				d->last_seqnum = ue.seqnum;
				d->have_seqnum = true;
			}
			if (!strcmp(ue.subsystem, "power_supply"))
				changed = true;
		}
		free(buf);
		free(cred);
	}
	if (changed)
		resync(d, NULL);
	return 0;
}

static int on_resync_timer(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;

	/* a slow backstop, only while on external power */
	if (d->snap.charger.online == 1)
		resync(d, "periodic");
	sd_event_source_set_time(src, usec + (uint64_t)d->cfg.resync_s * 1000000);
	return 0;
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
		ret = nl_socket_set_buffer_size(d->nl, 1 << 20, 0);
	if (!ret)
		ret = nl_socket_set_nonblocking(d->nl);
	return ret ? -EIO : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct daemon d = { .config_path = "/etc/chargerd/chargerd.conf" };
	char err[512];
	int o, ret;

	while ((o = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'h':
			printf("usage: chargerd [--config FILE]\n");
			return 0;
		default:
			return 2;
		}
	}

	config_defaults(&d.cfg);
	if (config_load(&d.cfg, d.config_path, err, sizeof(err))) {
		fprintf(stderr, "chargerd: %s\n", err);
		return 1;
	}
	d.classfd = open(CLASS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d.classfd < 0) {
		fprintf(stderr, "chargerd: %s: %s\n", CLASS_DIR, strerror(errno));
		return 1;
	}
	/* sd-event calls return a negative errno, or >= 0 on success */
	ret = setup_netlink(&d);
	if (ret >= 0)
		ret = sd_event_default(&d.ev);
	if (ret >= 0)
		ret = sd_event_add_io(d.ev, NULL, nl_socket_get_fd(d.nl), EPOLLIN, on_uevent, &d);
	if (ret >= 0 && d.cfg.resync_s)
		ret = sd_event_add_time_relative(d.ev, NULL, CLOCK_BOOTTIME,
						 (uint64_t)d.cfg.resync_s * 1000000, 0,
						 on_resync_timer, &d);
	if (ret >= 0)
		ret = sd_event_set_watchdog(d.ev, true);
	if (ret < 0) {
		fprintf(stderr, "chargerd: cannot set up: %s\n", strerror(-ret));
		return 1;
	}
	/* the socket is open before the first read: nothing falls between */
	resync(&d, "start");
	sd_notify(0, "READY=1");
	ret = sd_event_loop(d.ev);
	nl_socket_free(d.nl);
	sd_event_unref(d.ev);
	return ret < 0 ? 1 : 0;
}
