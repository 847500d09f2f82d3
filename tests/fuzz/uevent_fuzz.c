// SPDX-License-Identifier: GPL-2.0
/*
 * The uevent parser against anything a netlink socket could deliver:
 * no crash, no out-of-bounds, and what it returns is consistent.
 */
#include <limits.h>

#include "../../agent/uevent.h"
#include "fuzz.h"

static int inside(const struct uevent *ev, const char *s)
{
	return s >= ev->buf && s < ev->buf + sizeof(ev->buf) &&
	       memchr(s, '\0', ev->buf + sizeof(ev->buf) - s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct uevent ev;
	size_t i, j;

	if (uevent_parse(data, size, &ev))
		return 0;
	CHECK(size <= UEVENT_BUF_MAX);
	CHECK(ev.action && inside(&ev, ev.action));
	CHECK(ev.devpath && inside(&ev, ev.devpath));
	CHECK(!ev.subsystem || inside(&ev, ev.subsystem));
	CHECK(ev.nvars <= UEVENT_VARS_MAX);
	for (i = 0; i < ev.nvars; i++) {
		CHECK(inside(&ev, ev.vars[i].key) && inside(&ev, ev.vars[i].value));
		CHECK(ev.vars[i].key[0] != '\0');
		/* the first of duplicate keys counts, so keys are unique */
		for (j = 0; j < i; j++)
			CHECK(strcmp(ev.vars[i].key, ev.vars[j].key));
		CHECK(uevent_get(&ev, ev.vars[i].key) == ev.vars[i].value);
	}
	if (ev.subsystem)
		CHECK(!strcmp(uevent_get(&ev, "SUBSYSTEM"), ev.subsystem));
	return 0;
}
