// SPDX-License-Identifier: GPL-2.0
/* Whole-file writes by rename, and whole-file reads (file.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

/* name + FILE_TMP_SUFFIX into tmp[len]; -ENAMETOOLONG if it does not fit. */
static int tmp_name(char *tmp, size_t len, const char *name)
{
	int n = snprintf(tmp, len, "%s" FILE_TMP_SUFFIX, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int file_replace_open(int dirfd, const char *name)
{
	char tmp[256];
	int fd, r;

	if (dirfd < 0)
		return -ENOENT;
	r = tmp_name(tmp, sizeof(tmp), name);
	if (r)
		return r;
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

int file_replace_commit(int dirfd, const char *name, int fd, int err, bool durable)
{
	char tmp[256];
	int r = err;

	if (!r && durable && fsync(fd))
		r = -errno;
	if (close(fd) && !r)
		r = -errno;
	if (tmp_name(tmp, sizeof(tmp), name))
		return r ?: -ENAMETOOLONG;
	if (!r && renameat(dirfd, tmp, dirfd, name))
		r = -errno;
	if (r) {
		unlinkat(dirfd, tmp, 0);
		return r;
	}
	return durable && fsync(dirfd) ? -errno : 0;
}

int file_replace(int dirfd, const char *name, const void *text, size_t len, bool durable)
{
	const char *p = text;
	int fd = file_replace_open(dirfd, name), r = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	while (len && !r) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			r = n < 0 ? -errno : -EIO;
		else {
			p += n;
			len -= n;
		}
	}
	return file_replace_commit(dirfd, name, fd, r, durable);
}

int file_read_all(int fd, size_t max, char **text, size_t *len)
{
	size_t n = 0, cap = 0;
	char *buf = NULL, *t;
	ssize_t r;

	for (;;) {
		if (cap - n < 4096 + 1) {
			cap = cap ? cap * 2 : 65536;
			t = realloc(buf, cap);
			if (!t) {
				free(buf);
				return -ENOMEM;
			}
			buf = t;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			free(buf);
			return r;
		}
		if (!r)
			break;
		n += r;
		if (n > max) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

bool file_read_attr(int dirfd, const char *path, char *buf, size_t len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	if (n <= 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}
