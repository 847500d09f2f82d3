/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-use holds as a file of the runtime directory (/run/chargerd/holds),
 * so that a restart of chargerd (an upgrade, a crash, the watchdog) keeps
 * them: a hold is a client's D-Bus connection (SetInUse(true)), which
 * outlives chargerd's. Pure text here; bus.c writes the file whenever the
 * holds change and adopts its holds at start-up (each after checking that
 * its connection is still on the bus).
 *
 * The file: a header line "chargerd-holds 1 BUSID" (BUSID: the bus's
 * 32 hex digits, sd_bus_get_bus_id(); a bus restarted since is another
 * bus, where the same unique names may belong to other processes), then
 * one line per hold: "NAME UID WHO" (NAME the connection's unique name,
 * ":1.42"; UID its effective uid, decimal, 4294967295 for unknown; WHO
 * the rest of the line, as InUseHeldBy shows it).
 */
#ifndef CHARGERD_HOLDS_H
#define CHARGERD_HOLDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "published.h"

/*
 * Room for the file's text: IN_USE_HOLDS_MAX lines of a name, a uid
 * (10 digits), a who and their separators, and the header (17 + 32 + 1).
 */
#define HOLDS_TEXT_MAX	(IN_USE_HOLDS_MAX * (HOLD_NAME_MAX + 16 + PUB_STR) + 64)

struct hold_record {
	char name[HOLD_NAME_MAX];	/* the holder's unique name */
	uid_t uid;			/* its effective uid, (uid_t)-1 unknown */
	char who[PUB_STR];		/* printable ASCII, as InUseHeldBy shows it */
};

/*
 * Whether s is a unique connection name as the D-Bus specification has
 * it: ':' and at least two elements of [A-Za-z0-9_-] joined by '.', at
 * most 255 bytes in all.
 */
bool hold_name_valid(const char *s);


/*
 * The file's text for the n holds r on the bus bus_id (32 hex digits),
 * into buf of len bytes. A record that would not read back (its name not
 * a unique name, its who empty or not printable ASCII) is left out; ""
 * when none is left (runtime_put() then removes the file). Returns its
 * length, or -EINVAL for a bus_id that is not 32 hex digits, -ENOSPC if
 * it does not fit (buf is "" then, in both cases).
 */
int holds_format(const char *bus_id, const struct hold_record *r, size_t n,
		 char *buf, size_t len);

/*
 * The holds of text (the file, NUL-terminated) into out (room for max),
 * if its header names the bus bus_id; none if it names another bus, has
 * another version or no header. A line that does not parse (no unique
 * name, a uid that is not a number up to 4294967295, nothing after it)
 * is skipped, and so are a name given twice after its first and a line
 * longer than any holds_format() writes; WHO is cut to PUB_STR - 1
 * bytes and any byte outside printable ASCII made '?' (a D-Bus string
 * is UTF-8). Returns how many were read (<= max).
 */
size_t holds_parse(const char *text, const char *bus_id, struct hold_record *out, size_t max);

#endif
