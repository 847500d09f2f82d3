// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd --grant-charger's work (grant.c) over a fake power_supply class
 * directory: which files it opens to the group, and that charge_behaviour's
 * group-write bit, udev's "granted", is never set unless both are granted.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../agent/grant.h"

/* nobody's uid and gid on Debian: the unprivileged caller below */
#define NOBODY	65534

static char root[64];

static void mk(const char *supply, const char *attr, mode_t mode)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, supply);
	mkdir(path, 0755);
	if (!attr)
		return;
	snprintf(path, sizeof(path), "%s/%s/%s", root, supply, attr);
	close(open(path, O_CREAT | O_WRONLY, mode));
	chmod(path, mode);	/* whatever the umask */
}

static struct stat st_of(const char *supply, const char *attr)
{
	struct stat st = { 0 };
	char path[256];

	snprintf(path, sizeof(path), "%s/%s/%s", root, supply, attr);
	stat(path, &st);
	return st;
}

static void own(const char *supply, const char *attr, uid_t uid, gid_t gid)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s/%s", root, supply, attr);
	if (chown(path, uid, gid))
		perror(path);
}

/*
 * charger_grant() as a caller that may not chown to gid: a child that is
 * nobody if we are root, else ourselves (a gid we are not in). Its result.
 */
static int grant_refused(int cls, const char *supply, gid_t gid)
{
	int status, r;
	pid_t pid = fork();

	if (!pid) {
		if (!geteuid() && (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)))
			_exit(100);
		r = charger_grant(cls, supply, gid);
		_exit(r == -EPERM ? 0 : 101);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(charger)
{
	gid_t gid = getegid();
	char cmd[96];
	int cls;

	snprintf(root, sizeof(root), "/tmp/chargerd-grant-%d", getpid());
	mkdir(root, 0755);
	cls = open(root, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, cls);
	EXPECT_EQ(-EINVAL, charger_grant(cls, "", gid));
	EXPECT_EQ(-EINVAL, charger_grant(cls, ".", gid));
	EXPECT_EQ(-EINVAL, charger_grant(cls, "..", gid));
	EXPECT_EQ(-EINVAL, charger_grant(cls, "../etc", gid));
	EXPECT_EQ(-ENOENT, charger_grant(cls, "bq25895-charger", gid));

	/* the files as the kernel makes them: both granted, other bits kept */
	mk("bq25895-charger", "constant_charge_current", 0644);
	mk("bq25895-charger", "charge_behaviour", 0644);
	mk("bq25895-charger", "input_current_limit", 0644);
	ASSERT_EQ(0, charger_grant(cls, "bq25895-charger", gid));
	EXPECT_EQ(0664u, st_of("bq25895-charger", "constant_charge_current").st_mode & 07777);
	EXPECT_EQ(0664u, st_of("bq25895-charger", "charge_behaviour").st_mode & 07777);
	EXPECT_EQ(gid, st_of("bq25895-charger", "charge_behaviour").st_gid);
	EXPECT_EQ(0644u, st_of("bq25895-charger", "input_current_limit").st_mode & 07777);
	/* again: nothing changes, no error */
	ASSERT_EQ(0, charger_grant(cls, "bq25895-charger", gid));
	EXPECT_EQ(0664u, st_of("bq25895-charger", "charge_behaviour").st_mode & 07777);

	/* a charger without one of them: the other alone; without both, nothing */
	mk("usb-pd", "charge_behaviour", 0444);
	ASSERT_EQ(0, charger_grant(cls, "usb-pd", gid));
	EXPECT_EQ(0464u, st_of("usb-pd", "charge_behaviour").st_mode & 07777);
	mk("ac", NULL, 0);
	EXPECT_EQ(0, charger_grant(cls, "ac", gid));

	/*
	 * The chown refused (no such group for the caller, as when the
	 * chargerd group does not exist yet): no write bit anywhere. The old
	 * rule ran chmod whatever chgrp did, and left root's files
	 * group-writable, which udev's rule then took as granted.
	 */
	mk("refused", "constant_charge_current", 0644);
	mk("refused", "charge_behaviour", 0644);
	if (!geteuid()) {
		own("refused", "constant_charge_current", NOBODY, NOBODY);
		own("refused", "charge_behaviour", NOBODY, NOBODY);
	}
	EXPECT_EQ(0, grant_refused(cls, "refused", 0));
	EXPECT_EQ(0644u, st_of("refused", "constant_charge_current").st_mode & 07777);
	EXPECT_EQ(0644u, st_of("refused", "charge_behaviour").st_mode & 07777);
	/* and charge_behaviour's refused alone: still no bit on it */
	snprintf(cmd, sizeof(cmd), "%s/refused/constant_charge_current", root);
	ASSERT_EQ(0, unlink(cmd));
	EXPECT_EQ(0, grant_refused(cls, "refused", 0));
	EXPECT_EQ(0644u, st_of("refused", "charge_behaviour").st_mode & 07777);

	close(cls);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	EXPECT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
