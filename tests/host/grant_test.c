// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd --grant-charger's work (grant.c) over a fake power_supply class
 * directory: which files it opens to the group, and that charge_behaviour's
 * group-write bit, udev's "granted", is never set unless both are granted.
 */
#include <dirent.h>
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
#include "../../agent/config.h"

/* nobody's uid and gid on Debian: the unprivileged caller below */
#define NOBODY	65534

static char root[64];

static void mk(const char *supply, const char *attr, mode_t mode)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, supply);
	mkdir(path, 0755);
	chmod(path, 0755);	/* whatever the umask: the unprivileged child looks in */
	if (!attr)
		return;
	snprintf(path, sizeof(path), "%s/%s/%s", root, supply, attr);
	close(open(path, O_CREAT | O_WRONLY, mode));
	chmod(path, mode);	/* whatever the umask */
}

/* What was written to the memory stream f since the last call, then emptied. */
static const char *said(FILE *f, char **text, size_t *len)
{
	static char copy[1024];

	fflush(f);
	snprintf(copy, sizeof(copy), "%.*s", (int)*len, *text ? *text : "");
	rewind(f);
	fflush(f);
	return copy;
}

/*
 * A fake power_supply class directory for one test, /tmp/chargerd-grant-
 * TAG-PID (any umask: the unprivileged child looks in): its open fd.
 */
static int fake_class(const char *tag)
{
	snprintf(root, sizeof(root), "/tmp/chargerd-grant-%s%d", tag, getpid());
	mkdir(root, 0755);
	chmod(root, 0755);
	return open(root, O_RDONLY | O_DIRECTORY);
}

/* Close and remove the fake class directory; 0, or system()'s status. */
static int fake_class_done(int cls)
{
	char cmd[96];

	close(cls);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd);
}

/* Which of a and b (entries of the fake class directory) readdir lists first. */
static const char *first_listed(const char *a, const char *b)
{
	const char *found = a;
	struct dirent *de;
	DIR *d = opendir(root);

	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, a) || !strcmp(de->d_name, b)) {
			found = !strcmp(de->d_name, a) ? a : b;
			break;
		}
	}
	if (d)
		closedir(d);
	return found;
}

/* attr of supply, made with text in it (whatever mode the umask gives) */
static void put(const char *supply, const char *attr, const char *text)
{
	char path[256];
	FILE *f;

	mk(supply, NULL, 0);
	snprintf(path, sizeof(path), "%s/%s/%s", root, supply, attr);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
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
 * charger_grant() as nobody, in a child (we are root): its result, as
 * a positive errno (0 for success; 255 if it could not become nobody).
 */
static int grant_as_nobody(int cls, const char *supply, gid_t gid)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(255);
		_exit(-charger_grant(cls, supply, gid, NULL));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 255;
	return WEXITSTATUS(status);
}

TEST(charger)
{
	const char *attr = "unset";
	gid_t gid = getegid();
	char cmd[96];
	int cls;

	cls = fake_class("");
	ASSERT_LE(0, cls);
	EXPECT_EQ(-EINVAL, charger_grant(cls, "", gid, NULL));
	EXPECT_EQ(-EINVAL, charger_grant(cls, ".", gid, NULL));
	EXPECT_EQ(-EINVAL, charger_grant(cls, "..", gid, NULL));
	EXPECT_EQ(-EINVAL, charger_grant(cls, "../etc", gid, NULL));
	EXPECT_EQ(-ENOENT, charger_grant(cls, "bq25895-charger", gid, NULL));

	/* the files as the kernel makes them: both granted, other bits kept */
	mk("bq25895-charger", "constant_charge_current", 0644);
	mk("bq25895-charger", "charge_behaviour", 0644);
	mk("bq25895-charger", "input_current_limit", 0644);
	ASSERT_EQ(0, charger_grant(cls, "bq25895-charger", gid, NULL));
	EXPECT_EQ(0664u, st_of("bq25895-charger", "constant_charge_current").st_mode & 07777);
	EXPECT_EQ(0664u, st_of("bq25895-charger", "charge_behaviour").st_mode & 07777);
	EXPECT_EQ(0644u, st_of("bq25895-charger", "input_current_limit").st_mode & 07777);
	/* again: nothing changes, no error */
	ASSERT_EQ(0, charger_grant(cls, "bq25895-charger", gid, NULL));
	EXPECT_EQ(0664u, st_of("bq25895-charger", "charge_behaviour").st_mode & 07777);

	/* a charger without one of them: the other alone; without both, nothing */
	mk("usb-pd", "charge_behaviour", 0444);
	ASSERT_EQ(0, charger_grant(cls, "usb-pd", gid, NULL));
	EXPECT_EQ(0464u, st_of("usb-pd", "charge_behaviour").st_mode & 07777);
	mk("ac", NULL, 0);
	EXPECT_EQ(0, charger_grant(cls, "ac", gid, NULL));
	/* sysfs attributes are regular files: a link or a directory is refused */
	mk("odd", NULL, 0);
	snprintf(cmd, sizeof(cmd), "%s/odd/constant_charge_current", root);
	ASSERT_EQ(0, symlink("/etc/hostname", cmd));
	mk("odd", "charge_behaviour", 0644);
	EXPECT_EQ(-ELOOP, charger_grant(cls, "odd", gid, &attr));
	EXPECT_STREQ("constant_charge_current", attr);	/* which one, for the message */
	EXPECT_EQ(0644u, st_of("odd", "charge_behaviour").st_mode & 07777);
	snprintf(cmd, sizeof(cmd), "%s/odd/constant_charge_current", root);
	ASSERT_EQ(0, unlink(cmd));
	ASSERT_EQ(0, mkdir(cmd, 0755));
	EXPECT_EQ(-EISDIR, charger_grant(cls, "odd", gid, &attr));
	EXPECT_STREQ("constant_charge_current", attr);
	EXPECT_EQ(0644u, st_of("odd", "charge_behaviour").st_mode & 07777);
	/* a FIFO: refused at once (a blocking open would wait for a writer) */
	ASSERT_EQ(0, rmdir(cmd));
	ASSERT_EQ(0, mkfifo(cmd, 0644));
	EXPECT_EQ(-EBADFD, charger_grant(cls, "odd", gid, &attr));
	EXPECT_STREQ("constant_charge_current", attr);
	EXPECT_EQ(0644u, st_of("odd", "charge_behaviour").st_mode & 07777);
	/* the supply itself: no attribute named */
	EXPECT_EQ(-ENOENT, charger_grant(cls, "gone", gid, &attr));
	EXPECT_EQ(NULL, attr);
	ASSERT_EQ(0, charger_grant(cls, "bq25895-charger", gid, &attr));
	EXPECT_EQ(NULL, attr);

	EXPECT_EQ(0, fake_class_done(cls));
}

/*
 * At a start or a reload (--grant-charger without a name): every supply
 * chargerd may switch to, and no other. With no charger pinned, each USB
 * or Mains supply of the device's own, so that one udev's rule marked
 * "other" under an earlier configuration is granted all the same; with a
 * pin, that one alone. Never a battery nor a peripheral's supply.
 */
TEST(candidates)
{
	struct chargerd_config cfg;
	char cmd[160], want[512], *errtext = NULL;
	const char *first, *second;
	gid_t gid = getegid();
	size_t errlen = 0;
	FILE *err;
	int cls;

	cls = fake_class("c");
	ASSERT_LE(0, cls);
	err = open_memstream(&errtext, &errlen);
	ASSERT_NE(NULL, err);
	config_defaults(&cfg);
	put("bq25895-charger", "type", "USB\n");
	mk("bq25895-charger", "constant_charge_current", 0644);
	mk("bq25895-charger", "charge_behaviour", 0644);
	put("ac", "type", "Mains\n");
	mk("ac", "charge_behaviour", 0644);
	put("usb-c", "type", "USB\n");		/* a port with neither: nothing to open */
	put("battery", "type", "Battery\n");
	mk("battery", "charge_behaviour", 0644);
	put("headset", "type", "USB\n");
	put("headset", "scope", "Device\n");
	mk("headset", "charge_behaviour", 0644);

	/*
	 * Each on its own (udev's named run asks before the group): either
	 * file is something to open, a link in a file's place too (the grant
	 * refuses it aloud); neither is nothing; a supply not there and a
	 * name that is not one entry are errors.
	 */
	EXPECT_EQ(1, charger_grantable(cls, "bq25895-charger", NULL));
	EXPECT_EQ(1, charger_grantable(cls, "ac", NULL));		/* charge_behaviour alone */
	EXPECT_EQ(0, charger_grantable(cls, "usb-c", NULL));
	put("gauge", "type", "Battery\n");	/* not a candidate: the rest stays */
	mk("gauge", "constant_charge_current", 0644);
	/* constant_charge_current alone */
	EXPECT_EQ(1, charger_grantable(cls, "gauge", NULL));
	snprintf(cmd, sizeof(cmd), "%s/gauge/constant_charge_current", root);
	ASSERT_EQ(0, unlink(cmd));
	ASSERT_EQ(0, symlink("/nonexistent", cmd));	/* the link itself, not its target */
	EXPECT_EQ(1, charger_grantable(cls, "gauge", NULL));
	EXPECT_EQ(-ENOENT, charger_grantable(cls, "bq25890-charger", NULL));
	EXPECT_EQ(-EINVAL, charger_grantable(cls, "..", NULL));
	EXPECT_EQ(-EINVAL, charger_grantable(cls, "ac/type", NULL));

	/* pinned: that one alone */
	snprintf(cfg.charger, sizeof(cfg.charger), "ac");
	EXPECT_EQ(1, charger_candidates(cls, &cfg));
	ASSERT_EQ(0, charger_grant_candidates(cls, &cfg, gid, err));
	EXPECT_STREQ("", said(err, &errtext, &errlen));
	EXPECT_EQ(0664u, st_of("ac", "charge_behaviour").st_mode & 07777);
	EXPECT_EQ(0644u, st_of("bq25895-charger", "charge_behaviour").st_mode & 07777);

	/* pinned to one that is not there: none (the group is not asked for) */
	snprintf(cfg.charger, sizeof(cfg.charger), "bq25890-charger");
	EXPECT_EQ(0, charger_candidates(cls, &cfg));

	/* pinned to one that cannot be looked at: counted, and the grant says why */
	snprintf(cmd, sizeof(cmd), "%s/plain", root);
	ASSERT_EQ(0, close(creat(cmd, 0644)));
	snprintf(cfg.charger, sizeof(cfg.charger), "plain");
	EXPECT_EQ(-ENOTDIR, charger_grantable(cls, "plain", NULL));
	EXPECT_EQ(1, charger_candidates(cls, &cfg));
	EXPECT_EQ(-ENOTDIR, charger_grant_candidates(cls, &cfg, gid, err));
	snprintf(want, sizeof(want), "chargerd: --grant-charger: plain: %s\n", strerror(ENOTDIR));
	EXPECT_STREQ(want, said(err, &errtext, &errlen));
	ASSERT_EQ(0, unlink(cmd));

	/* none pinned: every USB or Mains supply of the device's own */
	cfg.charger[0] = '\0';
	EXPECT_EQ(2, charger_candidates(cls, &cfg));	/* not usb-c: it has neither file */
	ASSERT_EQ(0, charger_grant_candidates(cls, &cfg, gid, err));
	EXPECT_EQ(0664u, st_of("bq25895-charger", "constant_charge_current").st_mode & 07777);
	EXPECT_EQ(0664u, st_of("bq25895-charger", "charge_behaviour").st_mode & 07777);
	EXPECT_EQ(0644u, st_of("battery", "charge_behaviour").st_mode & 07777);
	EXPECT_EQ(0644u, st_of("headset", "charge_behaviour").st_mode & 07777);

	/*
	 * One that fails is named, and the one listed after it is granted all
	 * the same: the first of the two in the directory's own order fails
	 * (a stop at the first failure would leave the second root's).
	 */
	first = first_listed("ac", "bq25895-charger");
	second = strcmp(first, "ac") ? "ac" : "bq25895-charger";
	snprintf(cmd, sizeof(cmd), "%s/%s/charge_behaviour", root, first);
	ASSERT_EQ(0, unlink(cmd));
	ASSERT_EQ(0, symlink("/etc/hostname", cmd));
	mk(second, "charge_behaviour", 0644);
	EXPECT_EQ(-ELOOP, charger_grant_candidates(cls, &cfg, gid, err));
	snprintf(cmd, sizeof(cmd), "chargerd: --grant-charger: %s/charge_behaviour: %s\n", first,
		 "a symbolic link where sysfs has a file: left alone");
	EXPECT_STREQ(cmd, said(err, &errtext, &errlen));
	EXPECT_EQ(0664u, st_of(second, "charge_behaviour").st_mode & 07777);

	/* both fail: both named, each on its line; the first's error returned */
	snprintf(cmd, sizeof(cmd), "%s/%s/charge_behaviour", root, second);
	ASSERT_EQ(0, unlink(cmd));
	ASSERT_EQ(0, mkdir(cmd, 0755));
	EXPECT_EQ(-ELOOP, charger_grant_candidates(cls, &cfg, gid, err));
	snprintf(want, sizeof(want), "chargerd: --grant-charger: %s/charge_behaviour: %s\n"
		 "chargerd: --grant-charger: %s/charge_behaviour: %s\n",
		 first, "a symbolic link where sysfs has a file: left alone",
		 second, "a directory where sysfs has a file: left alone");
	EXPECT_STREQ(want, said(err, &errtext, &errlen));

	/* with no stream, the same result, nothing said */
	EXPECT_EQ(-ELOOP, charger_grant_candidates(cls, &cfg, gid, NULL));
	fclose(err);
	free(errtext);

	EXPECT_EQ(0, fake_class_done(cls));
}

/*
 * The bit says "granted": a refused chown (the chargerd group not there
 * yet, as between a package's unpack and its configure) sets no bit, and
 * charge_behaviour's comes last, only once constant_charge_current went
 * through. As nobody over files of root's and nobody's, granting to
 * nobody's group: only the chown of root's file is refused. (The rule
 * chargerd replaces ran chmod whatever chgrp did, and left root's files
 * group-writable, which udev's guard then took as granted.)
 */
TEST(refused)
{
	int cls;

	if (geteuid())
		SKIP(return, "needs root, to be nobody over root's and nobody's files");
	cls = fake_class("r");
	ASSERT_LE(0, cls);

	/* both root's: nothing changes */
	mk("both", "constant_charge_current", 0644);
	mk("both", "charge_behaviour", 0644);
	EXPECT_EQ(EPERM, grant_as_nobody(cls, "both", NOBODY));
	EXPECT_EQ(0644u, st_of("both", "constant_charge_current").st_mode & 07777);
	EXPECT_EQ(0644u, st_of("both", "charge_behaviour").st_mode & 07777);

	/* nobody's files, a group nobody is not in: the chown refused, the chmod not tried */
	mk("notin", "constant_charge_current", 0644);
	mk("notin", "charge_behaviour", 0644);
	own("notin", "constant_charge_current", NOBODY, NOBODY);
	own("notin", "charge_behaviour", NOBODY, NOBODY);
	EXPECT_EQ(EPERM, grant_as_nobody(cls, "notin", 0));
	EXPECT_EQ(0644u, st_of("notin", "constant_charge_current").st_mode & 07777);
	EXPECT_EQ(0644u, st_of("notin", "charge_behaviour").st_mode & 07777);

	/* constant_charge_current's refused, charge_behaviour's would go: not tried */
	mk("first", "constant_charge_current", 0644);
	mk("first", "charge_behaviour", 0644);
	own("first", "charge_behaviour", NOBODY, 0);
	EXPECT_EQ(EPERM, grant_as_nobody(cls, "first", NOBODY));
	EXPECT_EQ(0644u, st_of("first", "charge_behaviour").st_mode & 07777);
	EXPECT_EQ(0u, st_of("first", "charge_behaviour").st_gid);

	/* and the grant goes through once it may (the group there): both */
	own("first", "constant_charge_current", NOBODY, 0);
	EXPECT_EQ(0, grant_as_nobody(cls, "first", NOBODY));
	EXPECT_EQ(0664u, st_of("first", "constant_charge_current").st_mode & 07777);
	EXPECT_EQ(0664u, st_of("first", "charge_behaviour").st_mode & 07777);
	EXPECT_EQ((gid_t)NOBODY, st_of("first", "charge_behaviour").st_gid);
	EXPECT_EQ((gid_t)NOBODY, st_of("first", "constant_charge_current").st_gid);

	EXPECT_EQ(0, fake_class_done(cls));
}

TEST_HARNESS_MAIN
