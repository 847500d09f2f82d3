// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd.conf: defaults, good files, and every way a file can be wrong,
 * each named by file, line and key, with the configuration left untouched.
 */
#include <errno.h>
#include <fcntl.h>
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
	EXPECT_EQ(120, self->c.resync_s);
	EXPECT_EQ(60, self->c.ratelimit_interval_s);
	EXPECT_EQ(5, self->c.ratelimit_burst);
	EXPECT_EQ(500, self->c.max_sessions);
	EXPECT_STREQ("", self->c.charger);
	EXPECT_EQ(IN_USE_AUTO, self->c.in_use_mode);
	EXPECT_EQ(80, self->c.policy.in_use_stop_percent);
	EXPECT_EQ(75, self->c.policy.in_use_resume_percent);
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

/*
 * The file at path (from the top of the tree) into buf, len bytes, after a
 * newline (so that "\n[section]" finds the first line too). 0, or -1.
 */
static int read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	buf[0] = '\n';
	n = fread(buf + 1, 1, len - 2, f);
	fclose(f);
	buf[n + 1] = '\0';
	return 0;
}

struct example_check {
	struct __test_metadata *meta;
	const char *text;
	unsigned int keys;
};

/* The example states this key, in its section, at the default value. */
static void stated(const char *section, const char *name, const char *value, bool is_number,
		   void *data)
{
	struct example_check *ex = data;
	struct __test_metadata *_metadata = ex->meta;
	char head[64], want[160];
	const char *sec, *end, *line;

	ex->keys++;
	snprintf(head, sizeof(head), "\n[%s]\n", section);
	snprintf(want, sizeof(want), "\n%s =%s%s\n", name, *value ? " " : "", value);
	sec = strstr(ex->text, head);
	ASSERT_NE(NULL, sec) TH_LOG("the example has no [%s]", section);
	end = strstr(sec + 1, "\n[");
	line = strstr(sec, want);
	EXPECT_TRUE(line && (!end || line < end)) {
		TH_LOG("the example does not state [%s] %s = %s", section, name, value);
	}
	(void)is_number;
}

/* One table: every key is in the example at its default; ranges from it too. */
TEST_F(conf, one_table_for_defaults_example_and_limits)
{
	struct example_check ex = { .meta = _metadata };
	unsigned long lo, hi;
	char text[8192];

	ASSERT_EQ(0, read_text("agent/dist/chargerd.conf.example", text, sizeof(text)));
	ex.text = text;
	config_foreach(&self->c, stated, &ex);
	EXPECT_LT(25, ex.keys);

	ASSERT_EQ(0, config_range("in-use", "stop_percent", &lo, &hi));
	EXPECT_EQ(50, lo);
	EXPECT_EQ(100, hi);
	ASSERT_EQ(0, config_range("in-use", "resume_percent", &lo, &hi));
	EXPECT_EQ(40, lo);
	EXPECT_EQ(99, hi);
	EXPECT_EQ(-1, config_range("in-use", "mode", &lo, &hi));	/* a word */
	EXPECT_EQ(-1, config_range("supplies", "charger", &lo, &hi));	/* a string */
	EXPECT_EQ(-1, config_range("thermal", "no_such_key", &lo, &hi));
}

struct range_check {
	struct __test_metadata *meta;
	const char *text;
	unsigned int numbers;
};

/* chargerd.conf(5)'s RANGES states this number's range as config.c has it. */
static void range_stated(const char *section, const char *name, const char *value,
			 bool is_number, void *data)
{
	struct range_check *rc = data;
	struct __test_metadata *_metadata = rc->meta;
	char sec[32], want[128];
	unsigned long lo, hi;
	const char *at;
	size_t i, j;

	(void)value;
	if (!is_number || config_range(section, name, &lo, &hi))
		return;
	rc->numbers++;
	/* groff's minus in the page: [in\-use] */
	for (i = j = 0; section[i] && j + 2 < sizeof(sec); i++) {
		if (section[i] == '-')
			sec[j++] = '\\';
		sec[j++] = section[i];
	}
	sec[j] = '\0';
	snprintf(want, sizeof(want), "\n[%s] %s ", sec, name);
	at = strstr(rc->text, want);
	ASSERT_NE(NULL, at) TH_LOG("chargerd.conf(5) RANGES lacks [%s] %s", section, name);
	at += strlen(want);
	at += strspn(at, " ");
	snprintf(want, sizeof(want), "%lu to %lu\n", lo, hi);
	EXPECT_EQ(0, strncmp(at, want, strlen(want)))
		TH_LOG("[%s] %s: the page says %.20s, config.c %s", section, name, at, want);
}

/* Every number's range is in chargerd.conf(5) (helper-59: none was). */
TEST_F(conf, the_man_page_states_every_range)
{
	struct range_check rc = { .meta = _metadata };
	char text[32768];

	ASSERT_EQ(0, read_text("agent/dist/man/chargerd.conf.5", text, sizeof(text)));
	rc.text = strstr(text, "\n.SH RANGES\n");
	ASSERT_NE(NULL, rc.text);
	config_foreach(&self->c, range_stated, &rc);
	EXPECT_LT(20, rc.numbers);
}

TEST_F(conf, in_use_settings)
{
	put("[in-use]\nmode = off\nstop_percent = 90\nresume_percent = 60\n");
	ASSERT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_EQ(IN_USE_OFF, self->c.in_use_mode);
	EXPECT_EQ(90, self->c.policy.in_use_stop_percent);
	EXPECT_EQ(60, self->c.policy.in_use_resume_percent);
}

/* What D-Bus sets is saved whole and loads back over any chargerd.conf. */
TEST_F(conf, saved_settings_load_back)
{
	char dir[] = "/tmp/chargerd-settings-XXXXXX", file[64];
	struct chargerd_config back;
	int dirfd;

	ASSERT_NE(NULL, mkdtemp(dir));
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dirfd);
	self->c.in_use_mode = IN_USE_ON;
	self->c.policy.in_use_stop_percent = 95;
	self->c.policy.in_use_resume_percent = 41;
	ASSERT_EQ(0, config_save_settings(&self->c, dirfd, "settings"));
	snprintf(file, sizeof(file), "%s/settings", dir);
	config_defaults(&back);
	back.resync_s = 7;	/* a key D-Bus does not set stays as loaded */
	ASSERT_EQ(0, config_load(&back, file, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(IN_USE_ON, back.in_use_mode);
	EXPECT_EQ(95, back.policy.in_use_stop_percent);
	EXPECT_EQ(41, back.policy.in_use_resume_percent);
	EXPECT_EQ(7, back.resync_s);
	/* the temporary file is gone: renamed over the old one */
	EXPECT_NE(0, faccessat(dirfd, "settings.tmp", F_OK, 0));
	/* no directory: an error, nothing written */
	EXPECT_EQ(-ENOENT, config_save_settings(&self->c, -1, "settings"));
	unlink(file);
	close(dirfd);
	rmdir(dir);
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

/*
 * Keys indented under their section, with spaces or tabs: each is its own
 * key (libinih took the second for a continuation of the first, "warm_c
 * is given twice" on hot_c's line).
 */
TEST_F(conf, indented_keys_are_keys)
{
	put("[thermal]\n    warm_c = 33\n    hot_c = 41\n\t stop_c = 42\n  ; a comment\n"
	    "  [agent]\n  resync_s = 30\n");
	ASSERT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(33, self->c.policy.warm_c);
	EXPECT_EQ(41, self->c.policy.hot_c);
	EXPECT_EQ(42, self->c.policy.stop_c);
	EXPECT_EQ(30, self->c.resync_s);
}

/*
 * A line as long as libinih holds (199 characters and its newline) is
 * read whole; one longer is refused, by its line: libinih took its tail
 * for a line of its own, so a long comment ending in "stop_c = 60" set
 * stop_c to 60 degC.
 */
TEST_F(conf, a_line_too_long_is_refused_not_split)
{
	char text[512], pad[256];
	struct chargerd_config before = self->c;

	memset(pad, '#', sizeof(pad));
	/* 188 + "stop_c = 42" = 199 characters: the longest line there is */
	snprintf(text, sizeof(text), "[thermal]\n%.188sstop_c = 42\nhot_c = 41\n", pad);
	put(text);
	ASSERT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(43, self->c.policy.stop_c);	/* a comment, whole */
	EXPECT_EQ(41, self->c.policy.hot_c);
	/* one more */
	self->c = before;
	snprintf(text, sizeof(text), "[thermal]\nhot_c = 41\n%.200sstop_c = 60\n", pad);
	put(text);
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":3: a line longer than 199 characters")) TH_LOG("%s", self->err);
	EXPECT_EQ(0, memcmp(&before, &self->c, sizeof(before)));
	/* the longest line as the last, without a newline */
	snprintf(text, sizeof(text), "[thermal]\n%.188sstop_c = 42", pad);
	put(text);
	EXPECT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	/* CRLF: the CR is the line's end, not a 200th character (helper-55) */
	snprintf(text, sizeof(text), "[thermal]\r\n%.188sstop_c = 42\r\nhot_c = 41\r\n", pad);
	put(text);
	self->c = before;
	EXPECT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(41, self->c.policy.hot_c);
	/* a NUL in a line is not its end: the next line is read as before */
	{
		static const char nul[] = "[thermal]\nhot_c = 41\0junk\nstop_c = 42\n";
		FILE *f = fopen(path, "w");

		ASSERT_NE(NULL, f);
		fwrite(nul, 1, sizeof(nul) - 1, f);
		fclose(f);
	}
	self->c = before;
	EXPECT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(41, self->c.policy.hot_c);
	EXPECT_EQ(42, self->c.policy.stop_c);
	/* an error before the long line is the one said */
	self->c = before;
	snprintf(text, sizeof(text), "[thermal]\nbogus = 1\n%.250s\n", pad);
	put(text);
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":2: unknown key 'bogus'")) TH_LOG("%s", self->err);
}

static const struct {
	const char *text, *expect;
} broken[] = {
	{ "[agent]\nresync_s = 10\nbogus = 1\n", ":3: unknown key 'bogus' in [agent]" },
	{ "[nowhere]\nx = 1\n", ":1: unknown section [nowhere]" },
	{ "[agent]\nresync_s = 10\n[bogus]\n", ":3: unknown section [bogus]" },
	{ "[Agent]\n", ":1: unknown section [Agent]" },
	{ "[supplies]\ncharger = \"bq25895-charger\"\n",
	  ":2: [supplies] charger: '\"bq25895-charger\"' is not a power supply name (no quotes" },
	{ "[led]\nname = my led\n", ":2: [led] name: 'my led' is not an LED name" },
	{ "[agent]\nresync_s = ten\n", ":2: [agent] resync_s: 'ten' is not a number in 0..86400" },
	{ "[agent]\nresync_s = -1\n", ":2: [agent] resync_s: '-1' is not a number" },
	{ "[agent]\nresync_s = 99999999999999999999\n", ":2: [agent] resync_s:" },
	{ "[journal]\nratelimit_burst = 0\n", ":2: [journal] ratelimit_burst: '0' is not a number in 1..1000" },
	{ "[agent]\nresync_s = 1\nresync_s = 2\n", ":3: [agent] resync_s is given twice (first on line 2)" },
	{ "[supplies]\ncharger = ../../etc\n", ":2: [supplies] charger: '../../etc' is not a power supply name" },
	{ "[supplies]\nbattery = ..\n", ":2: [supplies] battery: '..' is not a power supply name" },
	{ "[led]\nname = .\n", ":2: [led] name: '.' is not an LED name" },
	{ "[agent]\nthis line is wrong\n", ":2: not a [section], a comment or key = value" },
	{ "[agent\nresync_s = 1\n", ":1: not a [section]" },
	{ "[agent]\nresync_s =\n", ":2: [agent] resync_s: '' is not a number" },
	{ "[in-use]\nmode = sometimes\n", ":2: [in-use] mode: 'sometimes' is not one of auto, on, off" },
	{ "[in-use]\nstop_percent = 101\n", ":2: [in-use] stop_percent: '101' is not a number in 50..100" },
	{ "[in-use]\nresume_percent = 85\n",
	  ":2: [in-use] resume_percent (85, line 2) must be below stop_percent (80, not in this file)" },
	{ "[in-use]\nresume_percent = 70\n\nstop_percent = 60\n",
	  ":4: [in-use] resume_percent (70, line 2) must be below stop_percent (60, line 4)" },
	/* the key the file gave is the line, not one it left at its default (helper-84: ":0:") */
	{ "[in-use]\nstop_percent = 60\n",
	  ":2: [in-use] resume_percent (75, not in this file) must be below stop_percent (60, line 2)" },
	{ "[agent]\nreceive_buffer_kb = 1\n", ":2: [agent] receive_buffer_kb: '1' is not a number in 4..65536" },
	{ "[thermal]\nhot_c = 30\n",
	  ":2: [thermal] warm_c (35, not in this file) must be at most hot_c (30, line 2)" },
	{ "[thermal]\ncool_c = 20\nwarm_c = 20\n",
	  ":3: [thermal] cool_c (20, line 2) must be below warm_c (20, line 3)" },
	{ "[thermal]\nstop_c = 41\nhot_c = 42\n",
	  ":3: [thermal] hot_c (42, line 3) must be at most stop_c (41, line 2)" },
	{ "[thermal]\ncold_stop_c = 12\n",
	  ":2: [thermal] cold_stop_c (12, line 2) must be at most cool_c (10, not in this file)" },
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

/*
 * The configuration in force, written out as a file, reads back as the
 * same: what a start whose file does not parse runs on (helper-85: the
 * defaults instead lost a product's limits, pins and history bound).
 */
TEST_F(conf, the_configuration_in_force_reads_back_as_itself)
{
	struct chargerd_config c, back;
	char text[4096];
	int len;

	config_defaults(&c);
	strcpy(c.charger, "bq25895-charger");
	strcpy(c.battery, "sbs-0-000b");
	c.policy.stop_c = 40;
	c.policy.hot_c = 39;
	c.policy.warm_c = 30;
	c.max_sessions = 20000;
	c.in_use_mode = IN_USE_OFF;
	c.resync_s = 0;
	strcpy(c.led, "");
	len = config_format(&c, text, sizeof(text));
	ASSERT_LT(0, len);
	EXPECT_EQ((size_t)len, strlen(text));
	put(text);
	config_defaults(&back);
	ASSERT_EQ(0, config_load(&back, path, self->err, sizeof(self->err)))
		TH_LOG("%s\n%s", self->err, text);
	EXPECT_EQ(0, memcmp(&c, &back, sizeof(c))) TH_LOG("%s", text);
	/* too small a buffer: said, nothing half written taken for whole */
	EXPECT_EQ(-ENOSPC, config_format(&c, text, 64));
}

/*
 * The slow resync is how the thermal limits follow the temperature while
 * charging: no value stretches it past RESYNC_MAX_S (helper-83:
 * resync_s = 0, "never", left a 44 degC cell charging).
 */
TEST(the_resync_period_has_a_ceiling)
{
	static const struct {
		unsigned int set, period;
	} cases[] = { { 0, 120 }, { 1, 1 }, { 30, 30 }, { 119, 119 }, { 120, 120 },
		      { 121, 120 }, { 86400, 120 } };
	struct chargerd_config c;
	unsigned int i;

	config_defaults(&c);
	EXPECT_EQ(RESYNC_MAX_S, c.resync_s);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		c.resync_s = cases[i].set;
		EXPECT_EQ(cases[i].period, resync_period_s(&c)) TH_LOG("resync_s = %u", cases[i].set);
	}
}

TEST_HARNESS_MAIN
