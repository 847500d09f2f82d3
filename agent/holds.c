// SPDX-License-Identifier: GPL-2.0
/* The in-use holds' file (holds.h): its text, written and read. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "holds.h"

#define HOLDS_HEADER	"chargerd-holds 1 "
#define BUS_ID_LEN	32

static bool bus_id_valid(const char *s)
{
	size_t i;

	for (i = 0; i < BUS_ID_LEN; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return !s[i];
}

/* Printable ASCII, at least one byte: one line's last field. */
static bool who_valid(const char *s)
{
	if (!s[0])
		return false;
	for (; *s; s++)
		if (*s < ' ' || *s > '~')
			return false;
	return true;
}

bool hold_name_valid(const char *s)
{
	size_t len = strlen(s), i, elements = 1;

	if (s[0] != ':' || len < 2 || len >= HOLD_NAME_MAX)
		return false;
	for (i = 1; i < len; i++) {
		if (s[i] == '.') {
			/* no empty element: not first, not last, not twice */
			if (s[i - 1] == ':' || s[i - 1] == '.' || i == len - 1)
				return false;
			elements++;
		} else if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-') {
			return false;
		}
	}
	return elements >= 2;
}

int holds_format(const char *bus_id, const struct hold_record *r, size_t n,
		 char *buf, size_t len)
{
	size_t i, used, kept;
	int k;

	if (len)
		buf[0] = '\0';
	for (i = 0, kept = 0; i < n; i++)
		kept += hold_name_valid(r[i].name) && who_valid(r[i].who);
	if (!kept)
		return 0;
	if (!bus_id_valid(bus_id))
		return -EINVAL;
	k = snprintf(buf, len, HOLDS_HEADER "%s\n", bus_id);
	for (i = 0, used = k; k >= 0 && used < len && i < n; i++, used += k) {
		k = 0;
		if (hold_name_valid(r[i].name) && who_valid(r[i].who))
			k = snprintf(buf + used, len - used, "%s %" PRIu32 " %s\n", r[i].name,
				     (uint32_t)r[i].uid, r[i].who);
	}
	if (k < 0 || used >= len) {
		if (len)
			buf[0] = '\0';
		return -ENOSPC;
	}
	return used;
}

/* One "NAME UID WHO" line (NUL-terminated, no '\n') into *h; 0 or -EINVAL. */
static int hold_line(char *line, struct hold_record *h)
{
	char *uid_s, *who, *end;
	unsigned long long uid;

	uid_s = strchr(line, ' ');
	if (!uid_s)
		return -EINVAL;
	*uid_s++ = '\0';
	who = strchr(uid_s, ' ');
	if (!who || !who[1] || !hold_name_valid(line))
		return -EINVAL;
	*who++ = '\0';
	if (!isdigit((unsigned char)uid_s[0]))
		return -EINVAL;
	errno = 0;
	uid = strtoull(uid_s, &end, 10);
	if (errno || *end || uid > UINT32_MAX)
		return -EINVAL;
	strcpy(h->name, line);
	h->uid = (uid_t)uid;
	snprintf(h->who, sizeof(h->who), "%s", who);
	pub_printable(h->who);	/* a process names itself with any bytes */
	return 0;
}

size_t holds_parse(const char *text, const char *bus_id, struct hold_record *out, size_t max)
{
	const char *line = text, *next;
	char buf[HOLD_NAME_MAX + 32 + PUB_STR];
	size_t n = 0, i, len;
	bool dup;

	if (strncmp(line, HOLDS_HEADER, strlen(HOLDS_HEADER)) || !bus_id_valid(bus_id))
		return 0;
	line += strlen(HOLDS_HEADER);
	if (strncasecmp(line, bus_id, BUS_ID_LEN) || line[BUS_ID_LEN] != '\n')
		return 0;
	for (line += BUS_ID_LEN + 1; *line && n < max; line = next) {
		next = strchr(line, '\n');
		len = next ? (size_t)(next - line) : strlen(line);
		next = next ? next + 1 : line + len;
		/* longer than any line holds_format() writes: not one of its */
		if (len >= sizeof(buf))
			continue;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (hold_line(buf, &out[n]))
			continue;
		for (i = 0, dup = false; i < n && !dup; i++)
			dup = !strcmp(out[i].name, out[n].name);
		n += !dup;
	}
	return n;
}
