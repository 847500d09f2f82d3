/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files chargerd writes whole (the settings, the runtime files, the
 * current session, a thinned samples file): written to NAME.tmp beside
 * NAME and renamed over it, so a crash or a full disk leaves the old file
 * or the new one, never a mix. And the one way a whole file is read.
 */
#ifndef CHARGERD_FILE_H
#define CHARGERD_FILE_H

#include <stdbool.h>
#include <stddef.h>

#define FILE_TMP_SUFFIX	".tmp"

/*
 * Open name's temporary file (name + FILE_TMP_SUFFIX, mode 0600, empty)
 * in dirfd for writing. Returns the fd, or -errno (-ENOENT for dirfd < 0).
 */
int file_replace_open(int dirfd, const char *name);

/*
 * Finish what file_replace_open() began: err is the writer's result (0
 * or -errno). On success fd is synced if durable, closed, renamed over
 * name, and the directory synced if durable; else (err, or a step
 * failing) the temporary file is removed and name is as it was. fd is
 * closed either way. Returns 0 or -errno (err itself if it was one).
 */
int file_replace_commit(int dirfd, const char *name, int fd, int err, bool durable);

/* Replace name in dirfd with len bytes of text: open, write, commit. 0 or -errno. */
int file_replace(int dirfd, const char *name, const void *text, size_t len, bool durable);

/*
 * All of fd from its offset, in a malloc()ed buffer *text of *len bytes
 * plus a NUL. At most max bytes (more: -EFBIG). 0 or -errno.
 */
int file_read_all(int fd, size_t max, char **text, size_t *len);

/*
 * A short attribute (path under dirfd, e.g. "bq25895-charger/online")
 * into buf[len], cut at its first newline; false if it cannot be read or
 * reads empty.
 */
bool file_read_attr(int dirfd, const char *path, char *buf, size_t len);

#endif
