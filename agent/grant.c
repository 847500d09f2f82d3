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
	 * are regular files. O_NONBLOCK: a FIFO in one's place (not sysfs)
	 * would hold udev's worker until it is killed; it is refused below.
	 */
	fd = openat(dirfd, attr, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		r = -errno;
	else if (!S_ISREG(st.st_mode))	/* systemd's stat_verify_regular() codes */
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EBADFD;
	else if (fchown(fd, (uid_t)-1, gid) || fchmod(fd, (st.st_mode & 07777) | S_IWGRP))
		r = -errno;
	close(fd);
	return r;
}

void grant_say(FILE *err, const char *opt, const char *obj, const char *attr, int r)
{
	const char *why = strerror(-r);

	if (!err)
		return;
	/* what grant_attr() refuses on purpose: a person reads what it is */
	if (attr && r == -ELOOP)
		why = "a symbolic link where sysfs has a file: left alone";
	else if (attr && r == -EISDIR)
		why = "a directory where sysfs has a file: left alone";
	else if (attr && r == -EBADFD)
		why = "not a regular file (sysfs attributes are): left alone";
	fprintf(err, "chargerd: %s: %s%s%s: %s\n", opt, obj, attr ? "/" : "", attr ? attr : "",
		why);
}

/* the attributes charger_grant() opens, in its order */
static const char *const charger_attrs[] = { "constant_charge_current", "charge_behaviour" };

/* The supply name's directory of classfd, open; or -EINVAL (not one entry), or openat()'s. */
static int supply_dir(int classfd, const char *name)
{
	int fd;

	if (!sysfs_name_ok(name))
		return -EINVAL;
	fd = openat(classfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int charger_grant(int classfd, const char *name, gid_t gid, const char **attr)
{
	unsigned int i;
	int fd = supply_dir(classfd, name), r = 0;

	if (attr)
		*attr = NULL;
	if (fd < 0)
		return fd;
	/* the order matters: charge_behaviour's bit is udev's "granted" */
	for (i = 0; i < sizeof(charger_attrs) / sizeof(charger_attrs[0]); i++) {
		r = grant_attr(fd, charger_attrs[i], gid);
		if (r == -ENOENT)
			r = 0;
		if (r) {
			if (attr)
				*attr = charger_attrs[i];
			break;
		}
	}
	close(fd);
	return r;
}

/*
 * fn(classfd, name, data) for every supply of classfd chargerd may drive
 * under cfg. 0, or -errno if the listing could not be read, or was cut
 * short (what it did not reach had no fn).
 */
static int candidates_walk(int classfd, const struct chargerd_config *cfg,
			   void (*fn)(int classfd, const char *name, void *data), void *data)
{
	/* its own open file: a dup() would share (and leave) the offset */
	int dfd = openat(classfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;
	struct dirent *de;
	DIR *dir;

	if (dfd < 0)
		return -errno;
	dir = fdopendir(dfd);
	if (!dir) {
		r = -errno;
		close(dfd);
		return r;
	}
	for (errno = 0; (de = readdir(dir)); errno = 0)
		if (de->d_name[0] != '.' && supply_may_drive(classfd, cfg, de->d_name))
			fn(classfd, de->d_name, data);
	r = -errno;
	closedir(dir);
	return r;
}

int charger_grantable(int classfd, const char *name, const char **attr)
{
	unsigned int i;
	int fd = supply_dir(classfd, name), r = 0;

	if (attr)
		*attr = NULL;
	if (fd < 0)
		return fd;
	for (i = 0; !r && i < sizeof(charger_attrs) / sizeof(charger_attrs[0]); i++) {
		if (!faccessat(fd, charger_attrs[i], F_OK, AT_SYMLINK_NOFOLLOW)) {
			r = 1;
		} else if (errno != ENOENT) {	/* not looked up is not missing: said */
			r = -errno;
			if (attr)
				*attr = charger_attrs[i];
		}
	}
	close(fd);
	return r;
}

/* A candidate with something to open (charger_grant() skips what is missing). */
static void count_grantable(int classfd, const char *name, void *data)
{
	int r = charger_grantable(classfd, name, NULL);

	/* one that cannot be looked at counts: the grant says why (gone meanwhile: not) */
	if (r > 0 || (r < 0 && r != -ENOENT))
		(*(int *)data)++;
}

int charger_candidates(int classfd, const struct chargerd_config *cfg)
{
	int n = 0, r = candidates_walk(classfd, cfg, count_grantable, &n);

	return r ? r : n;
}

struct grant_walk {
	gid_t gid;
	FILE *err;
	int first;	/* the first failure's -errno */
};

static void grant_one(int classfd, const char *name, void *data)
{
	struct grant_walk *w = data;
	const char *attr;
	int r = charger_grant(classfd, name, w->gid, &attr);

	if (r >= 0)
		return;
	grant_say(w->err, "--grant-charger", name, attr, r);
	if (!w->first)
		w->first = r;
}

int charger_grant_candidates(int classfd, const struct chargerd_config *cfg, gid_t gid, FILE *err)
{
	struct grant_walk w = { .gid = gid, .err = err };
	int r = candidates_walk(classfd, cfg, grant_one, &w);

	if (r && err)
		fprintf(err, "chargerd: --grant-charger: listing the power supplies: %s\n",
			strerror(-r));
	return w.first ? w.first : r;
}
