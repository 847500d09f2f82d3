// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd.conf: defaults, good files, and every way a file can be wrong,
 * each named by file, line and key, with the configuration left untouched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../agent/config.h"

static char path[64];

static void put(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/chargerd-conf-%d.conf", getpid());
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

FIXTURE(conf) {
	struct chargerd_config c;
	char err[256];
};

FIXTURE_SETUP(conf)
{
	config_defaults(&self->c);
	self->err[0] = '\0';
}

FIXTURE_TEARDOWN(conf)
{
	unlink(path);
}

TEST_F(conf, missing_file_means_defaults)
{
	EXPECT_EQ(0, config_load(&self->c, "/nonexistent/chargerd.conf", self->err,
				 sizeof(self->err)));
	EXPECT_EQ(60, self->c.resync_s);
	EXPECT_EQ(60, self->c.ratelimit_interval_s);
	EXPECT_EQ(5, self->c.ratelimit_burst);
	EXPECT_EQ(500, self->c.max_sessions);
	EXPECT_STREQ("", self->c.charger);
	EXPECT_EQ(IN_USE_AUTO, self->c.in_use_mode);
	EXPECT_EQ(80, self->c.in_use_stop_percent);
	EXPECT_EQ(75, self->c.in_use_resume_percent);
	EXPECT_EQ(1024, self->c.receive_buffer_kb);
}

/* The shipped example is a valid file and states the defaults. */
TEST_F(conf, the_example_config_is_the_defaults)
{
	struct chargerd_config defaults = self->c;

	ASSERT_EQ(0, config_load(&self->c, "agent/dist/chargerd.conf.example", self->err,
				 sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(0, memcmp(&defaults, &self->c, sizeof(defaults)));
}

TEST_F(conf, in_use_settings)
{
	put("[in-use]\nmode = off\nstop_percent = 90\nresume_percent = 60\n");
	ASSERT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_EQ(IN_USE_OFF, self->c.in_use_mode);
	EXPECT_EQ(90, self->c.in_use_stop_percent);
	EXPECT_EQ(60, self->c.in_use_resume_percent);
}

TEST_F(conf, a_good_file)
{
	put("# comment\n[supplies]\ncharger = bq25895-charger\nbattery=sbs-0-000b\n\n"
	    "[agent]\nresync_s = 0\n[history]\nmax_sessions=20\n");
	ASSERT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_STREQ("bq25895-charger", self->c.charger);
	EXPECT_STREQ("sbs-0-000b", self->c.battery);
	EXPECT_EQ(0, self->c.resync_s);
	EXPECT_EQ(20, self->c.max_sessions);
	EXPECT_EQ(5, self->c.ratelimit_burst);
}

static const struct {
	const char *text, *expect;
} broken[] = {
	{ "[agent]\nresync_s = 10\nbogus = 1\n", ":3: unknown key 'bogus' in [agent]" },
	{ "[nowhere]\nx = 1\n", ":2: unknown key 'x' in [nowhere]" },
	{ "[agent]\nresync_s = ten\n", ":2: [agent] resync_s: 'ten' is not a number in 0..86400" },
	{ "[agent]\nresync_s = -1\n", ":2: [agent] resync_s: '-1' is not a number" },
	{ "[agent]\nresync_s = 99999999999999999999\n", ":2: [agent] resync_s:" },
	{ "[journal]\nratelimit_burst = 0\n", ":2: [journal] ratelimit_burst: '0' is not a number in 1..1000" },
	{ "[agent]\nresync_s = 1\nresync_s = 2\n", ":3: [agent] resync_s is given twice" },
	{ "[supplies]\ncharger = ../../etc\n", ":2: [supplies] charger: '../../etc' is not a power supply name" },
	{ "[agent]\nthis line is wrong\n", ":2: not a [section], a comment or key = value" },
	{ "[agent\nresync_s = 1\n", ":1: not a [section]" },
	{ "[agent]\nresync_s =\n", ":2: [agent] resync_s: '' is not a number" },
	{ "[in-use]\nmode = sometimes\n", ":2: [in-use] mode: 'sometimes' is not one of auto, on, off" },
	{ "[in-use]\nstop_percent = 101\n", ":2: [in-use] stop_percent: '101' is not a number in 50..100" },
	{ "[in-use]\nresume_percent = 85\n", ":2: [in-use] resume_percent (85) must be below stop_percent (80)" },
	{ "[in-use]\nresume_percent = 70\n\nstop_percent = 60\n",
	  ":2: [in-use] resume_percent (70) must be below stop_percent (60)" },
	{ "[agent]\nreceive_buffer_kb = 1\n", ":2: [agent] receive_buffer_kb: '1' is not a number in 4..65536" },
	{ "[thermal]\nhot_c = 30\n", "[thermal] needs cold_stop_c <= cool_c < warm_c <= hot_c <= stop_c (5, 10, 35, 30, 43)" },
	{ "[thermal]\nwarm_percent = 0\n", ":2: [thermal] warm_percent: '0' is not a number in 1..100" },
};

TEST_F(conf, broken_files_are_refused_with_file_line_and_key)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(broken); i++) {
		struct chargerd_config before = self->c;

		put(broken[i].text);
		EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
		EXPECT_EQ(0, strncmp(self->err, path, strlen(path))) TH_LOG("%s", self->err);
		EXPECT_NE(NULL, strstr(self->err, broken[i].expect))
			TH_LOG("got '%s', want '%s'", self->err, broken[i].expect);
		EXPECT_EQ(0, memcmp(&before, &self->c, sizeof(before)));	/* untouched */
	}
}

TEST_F(conf, unreadable_path_is_an_error)
{
	EXPECT_EQ(-1, config_load(&self->c, "/", self->err, sizeof(self->err)));
}

TEST_HARNESS_MAIN
