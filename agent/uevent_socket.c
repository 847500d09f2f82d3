// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's uevents, from the NETLINK_KOBJECT_UEVENT socket (libnl):
 * opened before the first snapshot so that no change falls between, read
 * in batches, only the kernel's own messages believed, and a lost one
 * (the socket overflowed, a gap in SEQNUM) taken as a change.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "chargerd.h"
#include "uevent.h"

/*
 * The largest uevent: its "ACTION@DEVPATH" header (a devpath is at most
 * PATH_MAX, 4096) and its environment (UEVENT_BUFFER_SIZE, 2048, in the
 * kernel's include/linux/kobject.h), rounded up. A longer one would come
 * truncated (NLE_MSG_TRUNC) and is taken as a lost uevent.
 */
#define UEVENT_MSG_MAX	(16 * 1024)

int uevent_socket_open(struct daemon *d)
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
	/*
	 * One recvmsg a uevent: with no buffer size set, libnl first peeks
	 * at each message for its size, two calls a uevent (strace: 11 for
	 * 5 uevents, 6 with this). Without the peek, libnl's retry of a cut
	 * control message (MSG_CTRUNC) would lose its message: the only one
	 * here is SCM_CREDENTIALS, whose room libnl always gives.
	 */
	if (!ret)
		ret = nl_socket_set_msg_buf_size(d->nl, UEVENT_MSG_MAX);
	if (!ret) {
		nl_socket_disable_msg_peek(d->nl);
		ret = nl_socket_set_nonblocking(d->nl);
	}
	return ret ? -EIO : 0;
}

bool uevent_socket_receive(struct daemon *d)
{
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
		if (n == -NLE_NOMEM || n == -NLE_MSG_TRUNC) {
			/*
			 * ENOBUFS: the socket overflowed, uevents are lost; or
			 * one longer than UEVENT_MSG_MAX came cut (and gone)
			 */
			d->pub.n.overflows++;
			d->have_seqnum = false;
			d->supplies_known = false;	/* an add or remove may be lost */
			d->other_uevent = true;
			changed = true;
			continue;
		}
		if (n < 0) {
			agent_error("netlink receive", ENOTRECOVERABLE);
			break;
		}
		d->pub.n.uevents++;
		/* only the kernel: port 0, uid 0 */
		if (nla.nl_pid != 0 || !cred || cred->uid != 0 ||
		    uevent_parse(buf, n, &ue) || !ue.subsystem) {
			d->pub.n.dropped++;
		} else {
			if (ue.has_seqnum) {
				if (d->have_seqnum && ue.seqnum != d->last_seqnum + 1) {
					d->pub.n.seqnum_gaps++;
					d->supplies_known = false;
					d->other_uevent = true;
					changed = true;	/* a gap: resync */
				}
				d->last_seqnum = ue.seqnum;
				d->have_seqnum = true;
			}
			if (!strcmp(ue.subsystem, "power_supply")) {
				const char *name = uevent_get(&ue, "POWER_SUPPLY_NAME");

				changed = true;
				/* a supply came or went: which ones are ours? */
				if (strcmp(ue.action, "change"))
					d->supplies_known = false;
				if (name && !strcmp(name, d->snap.charger.name))
					d->charger_uevent = true;
				else
					d->other_uevent = true;
			}
		}
		free(buf);
		free(cred);
	}
	return changed;
}
