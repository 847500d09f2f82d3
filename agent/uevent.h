/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel uevents as they come off NETLINK_KOBJECT_UEVENT: a header
 * "ACTION@DEVPATH", then NUL-separated KEY=VALUE pairs. The parser copies
 * the message and never trusts it: truncated, unterminated, oversized or
 * junk input gives an error or a partial, always-terminated result.
 */
#ifndef CHARGERD_UEVENT_H
#define CHARGERD_UEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UEVENT_BUF_MAX	8192	/* the kernel's limit is 2048 */
#define UEVENT_VARS_MAX	128

struct uevent_var {
	const char *key;
	const char *value;
};

struct uevent {
	char buf[UEVENT_BUF_MAX + 1];
	const char *action;		/* from the header */
	const char *devpath;
	const char *subsystem;		/* SUBSYSTEM=, or NULL */
	uint64_t seqnum;		/* SEQNUM=, when has_seqnum */
	bool has_seqnum;
	size_t nvars;
	struct uevent_var vars[UEVENT_VARS_MAX];
	unsigned int dropped;		/* malformed, duplicate or excess pairs */
};

/*
 * Parse len bytes of msg. Returns 0, or -EINVAL (no "ACTION@DEVPATH"
 * header, an ACTION= that contradicts it, a bad SEQNUM=), or -EMSGSIZE
 * (longer than UEVENT_BUF_MAX). Duplicate keys: the first one counts.
 */
int uevent_parse(const void *msg, size_t len, struct uevent *ev);

/* The value of key, or NULL. */
const char *uevent_get(const struct uevent *ev, const char *key);

#endif
