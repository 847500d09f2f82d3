// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-file writes by rename (agent/file.c): the new text replaces the
 * old whole; a writer's failure, or a directory that refuses the rename,
 * leaves the old file and no temporary one. Whole-file reads and their
 * bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "../../agent/file.h"

FIXTURE(f) {
	char dir[64];
	int dirfd;
};

FIXTURE_SETUP(f)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/chargerd-file-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	self->dirfd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, self->dirfd);
}

FIXTURE_TEARDOWN(f)
{
	unlinkat(self->dirfd, "a", 0);
	unlinkat(self->dirfd, "a.tmp", 0);
	unlinkat(self->dirfd, "d", AT_REMOVEDIR);
	close(self->dirfd);
	rmdir(self->dir);
}

/* The file's text, or "" if it cannot be read. */
static const char *text_of(int dirfd, const char *name)
{
	static char buf[256];
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

TEST_F(f, the_new_text_replaces_the_old_whole)
{
	struct stat st;

	ASSERT_EQ(0, file_replace(self->dirfd, "a", "first, and longer\n", 18, true));
	EXPECT_STREQ("first, and longer\n", text_of(self->dirfd, "a"));
	ASSERT_EQ(0, file_replace(self->dirfd, "a", "second\n", 7, false));
	EXPECT_STREQ("second\n", text_of(self->dirfd, "a"));
	EXPECT_EQ(-1, fstatat(self->dirfd, "a.tmp", &st, 0));
	ASSERT_EQ(0, fstatat(self->dirfd, "a", &st, 0));
	EXPECT_EQ(0600, st.st_mode & 0777);
}

TEST_F(f, a_failure_leaves_the_old_file_and_no_temporary)
{
	struct stat st;
	int fd;

	ASSERT_EQ(0, file_replace(self->dirfd, "a", "old\n", 4, true));
	/* the writer failed half way: nothing of it is seen */
	fd = file_replace_open(self->dirfd, "a");
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, write(fd, "new", 3));
	EXPECT_EQ(-ENOSPC, file_replace_commit(self->dirfd, "a", fd, -ENOSPC, true));
	EXPECT_STREQ("old\n", text_of(self->dirfd, "a"));
	EXPECT_EQ(-1, fstatat(self->dirfd, "a.tmp", &st, 0));
	/* the rename refused (a directory in the way): the same */
	ASSERT_EQ(0, mkdirat(self->dirfd, "d", 0700));
	EXPECT_GT(0, file_replace(self->dirfd, "d", "x", 1, false));
	EXPECT_EQ(-1, fstatat(self->dirfd, "d.tmp", &st, 0));
	/* no directory: -ENOENT, nothing written anywhere */
	EXPECT_EQ(-ENOENT, file_replace(-1, "a", "x", 1, false));
}

TEST_F(f, a_whole_file_read_and_its_bound)
{
	char big[100000], *text = NULL;
	size_t len = 0;
	int fd;

	memset(big, 'x', sizeof(big));
	ASSERT_EQ(0, file_replace(self->dirfd, "a", big, sizeof(big), false));
	fd = openat(self->dirfd, "a", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, file_read_all(fd, sizeof(big), &text, &len));
	EXPECT_EQ(sizeof(big), len);
	EXPECT_EQ('\0', text[len]);
	EXPECT_EQ(0, memcmp(text, big, len));
	free(text);
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	text = NULL;
	EXPECT_EQ(-EFBIG, file_read_all(fd, sizeof(big) - 1, &text, &len));
	EXPECT_EQ(NULL, text);
	close(fd);
}

TEST_HARNESS_MAIN
