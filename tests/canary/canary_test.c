// SPDX-License-Identifier: GPL-2.0
/*
 * Bench self-test, run inside the virtual device: load chargerd_canary.ko
 * with modprobe (so the bench's module index is proven too), check what it
 * does through sysfs and the kernel log, and unload it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define CANARY_DIR "/sys/kernel/chargerd_canary"

static int run(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static int read_attr(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), CANARY_DIR "/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Returns 0 or -errno of the write, as userspace sees it. */
static int write_attr(const char *name, const char *val)
{
	char path[128];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), CANARY_DIR "/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Is @needle in the kernel log (read without consuming it)? */
static int kmsg_has(const char *needle)
{
	char rec[2048];
	int fd, found = 0;
	ssize_t n;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;	/* EPIPE: records were overwritten */
		rec[n] = '\0';
		if (strstr(rec, needle))
			found = 1;
	}
	close(fd);
	return found;
}

FIXTURE(canary) {
	int unused;
};

FIXTURE_SETUP(canary)
{
	run("rmmod chargerd_canary 2>/dev/null");
	ASSERT_EQ(0, run("modprobe chargerd_canary"));
}

FIXTURE_TEARDOWN(canary)
{
	EXPECT_EQ(0, run("rmmod chargerd_canary"));
}

TEST_F(canary, loads_and_logs)
{
	struct stat st;

	ASSERT_EQ(0, stat(CANARY_DIR, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(1, kmsg_has("chargerd_canary: loaded, limit 500000 uA"));
}

TEST_F(canary, limit_round_trip)
{
	char buf[64];

	ASSERT_EQ(0, read_attr("limit_ua", buf, sizeof(buf)));
	EXPECT_STREQ("500000\n", buf);
	ASSERT_EQ(0, write_attr("limit_ua", "250000"));
	ASSERT_EQ(0, read_attr("limit_ua", buf, sizeof(buf)));
	EXPECT_STREQ("250000\n", buf);
	ASSERT_EQ(0, read_attr("writes", buf, sizeof(buf)));
	EXPECT_STREQ("1\n", buf);
}

TEST_F(canary, bad_writes_are_refused_and_change_nothing)
{
	static const char * const bad[] = {
		"-1", "1000001", "4294967296", "abc", "12abc", "\n", " ",
		"99999999999999999999",
	};
	char buf[64];
	unsigned int i;

	/* A zero-length write never reaches the driver; "\n" does. */
	ASSERT_EQ(0, write_attr("limit_ua", "300000"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, write_attr("limit_ua", bad[i])) {
			TH_LOG("write of '%s' was not refused", bad[i]);
		}
	}
	ASSERT_EQ(0, read_attr("limit_ua", buf, sizeof(buf)));
	EXPECT_STREQ("300000\n", buf);
	ASSERT_EQ(0, read_attr("writes", buf, sizeof(buf)));
	EXPECT_STREQ("1\n", buf);
	/* Read-only attribute. */
	EXPECT_EQ(-EACCES, write_attr("writes", "5"));
}

TEST(unload_removes_sysfs)
{
	struct stat st;

	run("rmmod chargerd_canary 2>/dev/null");
	ASSERT_EQ(0, run("modprobe chargerd_canary"));
	ASSERT_EQ(0, stat(CANARY_DIR, &st));
	ASSERT_EQ(0, run("rmmod chargerd_canary"));
	EXPECT_EQ(-1, stat(CANARY_DIR, &st));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(1, kmsg_has("chargerd_canary: unloaded after 0 writes"));
}

TEST_HARNESS_MAIN
