/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A journal record being built: its "NAME=value" fields as iovecs for
 * sd_journal_sendv(), their text in the record itself. Pure: journal.c
 * sends what is built here.
 */
#ifndef CHARGERD_RECORD_H
#define CHARGERD_RECORD_H

#include <stddef.h>
#include <sys/uio.h>

/* The most fields a record has (the diagnosis: 29) and their text, bytes. */
#define RECORD_FIELDS	40
#define RECORD_TEXT	4096

struct record {
	struct iovec iov[RECORD_FIELDS];
	unsigned int n;		/* fields in iov */
	size_t used;		/* bytes of text taken, each field's NUL included */
	char text[RECORD_TEXT];
};

/* Empty r. */
void record_reset(struct record *r);

/*
 * Add the field fmt ("NAME=..." with its arguments). A field that does
 * not fit (RECORD_FIELDS fields, or RECORD_TEXT bytes) is left out, the
 * record keeps the fields before it.
 */
__attribute__((format(printf, 2, 3)))
void record_field(struct record *r, const char *fmt, ...);

/*
 * Add "name=v" (v decimal), or nothing when v is PSY_NONE: a number
 * chargerd does not know (a supply that does not give it, a session's
 * charge never read, a test never run) is left out of the record, never
 * written as a sentinel a reader would take for a value. Every number a
 * record carries that can be unknown goes through here.
 */
void record_number(struct record *r, const char *name, long long v);

#endif
