// SPDX-License-Identifier: GPL-2.0
/* A journal record being built (record.h). */
#include <stdarg.h>
#include <stdio.h>

#include "record.h"
#include "snapshot.h"

void record_reset(struct record *r)
{
	r->n = 0;
	r->used = 0;
}

void record_field(struct record *r, const char *fmt, ...)
{
	size_t room = sizeof(r->text) - r->used;
	va_list ap;
	int len;

	if (r->n >= RECORD_FIELDS)
		return;
	va_start(ap, fmt);
	len = vsnprintf(r->text + r->used, room, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= room)
		return;
	r->iov[r->n].iov_base = r->text + r->used;
	r->iov[r->n].iov_len = len;
	r->n++;
	r->used += len + 1;
}

void record_number(struct record *r, const char *name, long long v)
{
	if (v != PSY_NONE)
		record_field(r, "%s=%lld", name, v);
}
