// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime directory (the unit's RuntimeDirectory=, /run/chargerd):
 * what must outlive a restart of chargerd but not a reboot. Two small
 * files: the charger's baseline (charger.c) and the clock of the session
 * in progress (session.h's struct session_clock). Each is one line,
 * replaced whole by rename, so a crash leaves the old line or the new.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chargerd.h"
#include "file.h"

#define SESSION_CLOCK_FILE	"session-clock"

/* /run is tmpfs: nothing to make durable, a power cut takes it anyway */
int runtime_write(int dirfd, const char *name, const char *line)
{
	return file_replace(dirfd, name, line, strlen(line), false);
}

int runtime_read(int dirfd, const char *name, char *line, size_t len)
{
	ssize_t n;
	int fd;

	fd = dirfd < 0 ? -1 : openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	n = read(fd, line, len - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	line[n] = '\0';
	return 0;
}

void session_clock_save(struct daemon *d)
{
	struct session_clock c;
	char line[96];
	int r;

	session_clock_of(&d->sess, &c);
	session_clock_format(&c, line, sizeof(line));
	r = runtime_write(d->rundirfd, SESSION_CLOCK_FILE, line);
	/* without a runtime directory a restart counts from the checkpoint */
	if (r < 0 && r != -ENOENT)
		agent_error("saving the session's clock", -r);
}

int session_clock_load(struct daemon *d, struct session_clock *c)
{
	char line[96];

	if (runtime_read(d->rundirfd, SESSION_CLOCK_FILE, line, sizeof(line)))
		return -ENOENT;
	return session_clock_parse(line, c);
}
