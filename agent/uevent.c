// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uevent.h"

const char *uevent_get(const struct uevent *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->nvars; i++)
		if (!strcmp(ev->vars[i].key, key))
			return ev->vars[i].value;
	return NULL;
}

static int parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int uevent_parse(const void *msg, size_t len, struct uevent *ev)
{
	char *p, *next, *end, *at;
	const char *v;

	ev->action = ev->devpath = ev->subsystem = NULL;
	ev->seqnum = 0;
	ev->has_seqnum = false;
	ev->nvars = 0;
	ev->dropped = 0;
	if (len > UEVENT_BUF_MAX)
		return -EMSGSIZE;
	memcpy(ev->buf, msg, len);
	ev->buf[len] = '\0';	/* whatever came, it ends here */
	end = ev->buf + len;

	/* the header: ACTION@DEVPATH, both non-empty, no '=' */
	p = ev->buf;
	next = p + strlen(p) + 1;
	at = strchr(p, '@');
	if (!at || at == p || !at[1] || strchr(p, '='))
		return -EINVAL;
	*at = '\0';
	ev->action = p;
	ev->devpath = at + 1;

	for (p = next; p < end; p = next) {
		char *eq = strchr(p, '=');
		size_t i;

		next = p + strlen(p) + 1;
		if (!*p)
			continue;	/* padding, or a stray NUL */
		if (!eq || eq == p) {
			ev->dropped++;
			continue;
		}
		*eq = '\0';
		for (i = 0; i < ev->nvars; i++)
			if (!strcmp(ev->vars[i].key, p))
				break;
		if (i < ev->nvars || ev->nvars == UEVENT_VARS_MAX) {
			ev->dropped++;	/* a duplicate (the first counts), or too many */
			continue;
		}
		ev->vars[ev->nvars].key = p;
		ev->vars[ev->nvars].value = eq + 1;
		ev->nvars++;
	}

	v = uevent_get(ev, "ACTION");
	if (v && strcmp(v, ev->action))
		return -EINVAL;
	ev->subsystem = uevent_get(ev, "SUBSYSTEM");
	v = uevent_get(ev, "SEQNUM");
	if (v) {
		if (parse_u64(v, &ev->seqnum))
			return -EINVAL;
		ev->has_seqnum = true;
	}
	return 0;
}
