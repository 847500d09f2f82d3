// SPDX-License-Identifier: GPL-2.0
/* Opening sysfs attributes to chargerd's group (grant.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grant.h"
#include "snapshot.h"

int grant_attr(int dirfd, const char *attr, gid_t gid)
{
	struct stat st;
	int fd, r = 0;

	/*
	 * One open file for the three steps: a file the kernel makes again
	 * meanwhile (6.1 makes a supply's attributes again after its add
	 * uevent) is left as the kernel made it, without the bit, instead of
	 * getting the bit without the group. Never a link: sysfs attributes
	 * are regular files.
	 */
	fd = openat(dirfd, attr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -EINVAL;
	else if (fchown(fd, (uid_t)-1, gid) || fchmod(fd, (st.st_mode & 07777) | S_IWGRP))
		r = -errno;
	close(fd);
	return r;
}

int charger_grant(int classfd, const char *name, gid_t gid)
{
	/* the order matters: charge_behaviour's bit is udev's "granted" */
	static const char *const attrs[] = { "constant_charge_current", "charge_behaviour" };
	unsigned int i;
	int fd, r = 0;

	if (!sysfs_name_ok(name))
		return -EINVAL;
	fd = openat(classfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (i = 0; !r && i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		r = grant_attr(fd, attrs[i], gid);
		if (r == -ENOENT)
			r = 0;
	}
	close(fd);
	return r;
}

int charger_grant_candidates(int classfd, const struct chargerd_config *cfg, gid_t gid,
			     char failed[CONFIG_NAME_MAX])
{
	/* its own open file: a dup() would share (and leave) the offset */
	int dfd = openat(classfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r, first = 0;
	struct dirent *de;
	DIR *dir;

	failed[0] = '\0';
	if (dfd < 0)
		return -errno;
	dir = fdopendir(dfd);
	if (!dir) {
		r = -errno;
		close(dfd);
		return r;
	}
	for (errno = 0; (de = readdir(dir)); errno = 0) {
		if (de->d_name[0] == '.' || !supply_may_drive(classfd, cfg, de->d_name))
			continue;
		r = charger_grant(classfd, de->d_name, gid);
		if (r < 0 && !first) {
			first = r;
			snprintf(failed, CONFIG_NAME_MAX, "%.*s", CONFIG_NAME_MAX - 1, de->d_name);
		}
	}
	/* a listing cut short: what it did not reach is not granted */
	if (errno && !first)
		first = -errno;
	closedir(dir);
	return first;
}
