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
#include <sys/stat.h>
#include <sys/wait.h>
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
	/* an error before the long line is said, and the long line after it */
	self->c = before;
	snprintf(text, sizeof(text), "[thermal]\nbogus = 1\n%.250s\n", pad);
	put(text);
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":2: unknown key 'bogus'")) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, ":3: a line longer than 199")) TH_LOG("%s", self->err);
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
	{ "[agent]\nresync_s = -1\n", ":2: [agent] resync_s: '-1' is out of range 0..86400" },
	{ "[agent]\nresync_s = 99999999999999999999\n",
	  ":2: [agent] resync_s: '99999999999999999999' is out of range 0..86400" },
	{ "[journal]\nratelimit_burst = 0\n", ":2: [journal] ratelimit_burst: '0' is out of range 1..1000" },
	{ "[agent]\nresync_s = 1\nresync_s = 2\n", ":3: [agent] resync_s is given twice (first on line 2)" },
	{ "[supplies]\ncharger = ../../etc\n", ":2: [supplies] charger: '../../etc' is not a power supply name" },
	{ "[supplies]\nbattery = ..\n", ":2: [supplies] battery: '..' is not a power supply name" },
	{ "[led]\nname = .\n", ":2: [led] name: '.' is not an LED name" },
	{ "[agent]\nthis line is wrong\n", ":2: not a [section], a comment or key = value" },
	{ "[agent\nresync_s = 1\n", ":1: not a [section]" },
	{ "[agent]\nresync_s =\n", ":2: [agent] resync_s: '' is not a number" },
	{ "[in-use]\nmode = sometimes\n", ":2: [in-use] mode: 'sometimes' is not one of auto, on, off" },
	{ "[in-use]\nstop_percent = 101\n", ":2: [in-use] stop_percent: '101' is out of range 50..100" },
	{ "[in-use]\nresume_percent = 85\n",
	  ":2: [in-use] resume_percent (85, line 2) must be below stop_percent (80, not in this file)" },
	{ "[in-use]\nresume_percent = 70\n\nstop_percent = 60\n",
	  ":4: [in-use] resume_percent (70, line 2) must be below stop_percent (60, line 4)" },
	/* the key the file gave is the line, not one it left at its default (helper-84: ":0:") */
	{ "[in-use]\nstop_percent = 60\n",
	  ":2: [in-use] resume_percent (75, not in this file) must be below stop_percent (60, line 2)" },
	{ "[agent]\nreceive_buffer_kb = 1\n", ":2: [agent] receive_buffer_kb: '1' is out of range 4..65536" },
	{ "[thermal]\nhot_c = 30\n",
	  ":2: [thermal] warm_c (35, not in this file) must be at most hot_c (30, line 2)" },
	{ "[thermal]\ncool_c = 20\nwarm_c = 20\n",
	  ":3: [thermal] cool_c (20, line 2) must be below warm_c (20, line 3)" },
	{ "[thermal]\nstop_c = 41\nhot_c = 42\n",
	  ":3: [thermal] hot_c (42, line 3) must be at most stop_c (41, line 2)" },
	{ "[thermal]\ncold_stop_c = 12\n",
	  ":2: [thermal] cold_stop_c (12, line 2) must be at most cool_c (10, not in this file)" },
	{ "[thermal]\nwarm_percent = 0\n", ":2: [thermal] warm_percent: '0' is out of range 1..100" },
	/* before any [section]: said so, not "in []"; a key of another section: which */
	{ "resync_s = 5\n[agent]\n", ":1: resync_s comes before any [section]: it belongs in [agent]" },
	{ "bogus = 1\n[agent]\n", ":1: unknown key 'bogus', before any [section]" },
	{ "[thermal]\nresync_s = 5\n", ":2: [thermal] has no resync_s: it belongs in [agent]" },
	{ "[agent]\nstop_c = 40\n", ":2: [agent] has no stop_c: it belongs in [thermal]" },
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

/* How many times needle is in hay. */
static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay += strlen(needle))
		n++;
	return n;
}

/*
 * Every error of a file is said at once, each "path:line: why" on a line
 * of its own (a user fixed the first, restarted, got the next, and so
 * on), the keys' order too where those keys parsed; nothing is applied.
 */
TEST_F(conf, every_error_of_a_file_is_said)
{
	struct chargerd_config before = self->c;
	char err[1024], want[192];

	put("[agent]\nresync_s = soon\nbogus = 1\nthis line is wrong\n"
	    "[thermal]\nhot_c = 30\n[in-use]\nmode = sometimes\n");
	EXPECT_EQ(-1, config_load(&self->c, path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:2: [agent] resync_s: 'soon' is not a number", path);
	EXPECT_EQ(0, strncmp(err, want, strlen(want))) TH_LOG("%s", err);
	snprintf(want, sizeof(want), "\n%s:3: unknown key 'bogus' in [agent]\n", path);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);
	snprintf(want, sizeof(want), "\n%s:4: not a [section], a comment or key = value\n", path);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);
	/* the order, at its line: between the others, as a compiler says them */
	snprintf(want, sizeof(want), "\n%s:6: [thermal] warm_c (35, not in this file) must be "
		 "at most hot_c (30, line 6)\n", path);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);
	snprintf(want, sizeof(want), "\n%s:8: [in-use] mode: 'sometimes' is not one of", path);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);
	EXPECT_EQ(5, count_of(err, path)) TH_LOG("%s", err);
	EXPECT_EQ(4, count_of(err, "\n")) TH_LOG("%s", err);	/* no newline at the end */
	EXPECT_EQ(0, memcmp(&before, &self->c, sizeof(before)));

	/* one error: the one line, as before (the journal's tests quote it) */
	put("[agent]\nresync_s = soon\n");
	EXPECT_EQ(-1, config_load(&self->c, path, err, sizeof(err)));
	EXPECT_EQ(NULL, strchr(err, '\n')) TH_LOG("%s", err);
}

/*
 * An order is checked only between keys that parsed: a bad value left
 * the key at its default, and "warm_c (35, not in this file)" beside
 * "hot_c: 'x' is not a number" would blame a key the file did not give.
 */
TEST_F(conf, the_order_is_checked_between_keys_that_parsed)
{
	char err[1024];

	put("[thermal]\nhot_c = x\nstop_c = 30\n[in-use]\nstop_percent = 60\n");
	EXPECT_EQ(-1, config_load(&self->c, path, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":2: [thermal] hot_c: 'x' is not a number")) TH_LOG("%s", err);
	/* hot_c did not parse: not compared; the rest are */
	EXPECT_EQ(NULL, strstr(err, "hot_c (")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, ":5: [in-use] resume_percent (75, not in this file) must be "
			       "below stop_percent (60, line 5)")) TH_LOG("%s", err);
	EXPECT_EQ(2, count_of(err, path)) TH_LOG("%s", err);
}

/*
 * A line too long and an unknown section no longer end the parse: what
 * follows them is checked too. The keys of an unknown section (or after
 * a "[section" without its ']') are not said one by one: the section
 * line said it, and "unknown key" for each of a misspelt section's keys
 * would bury it.
 */
TEST_F(conf, the_parse_goes_on_after_a_long_line_and_an_unknown_section)
{
	struct chargerd_config before = self->c;
	char text[1024], pad[256], err[1024];

	memset(pad, '#', sizeof(pad));
	snprintf(text, sizeof(text), "[thermal]\n%.250s\nstop_c = hot\n[thermla]\nhot_c = 41\n"
		 "warm_c = 30\n[agent]\nresync_s = soon\n[agent\nbogus = 1\n[history]\n"
		 "max_sessions = 0\n", pad);
	put(text);
	EXPECT_EQ(-1, config_load(&self->c, path, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":2: a line longer than 199 characters")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, ":3: [thermal] stop_c: 'hot'")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, ":4: unknown section [thermla]")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, ":8: [agent] resync_s: 'soon'")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, ":9: not a [section]")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, ":12: [history] max_sessions: '0'")) TH_LOG("%s", err);
	EXPECT_EQ(NULL, strstr(err, "hot_c")) TH_LOG("%s", err);
	EXPECT_EQ(NULL, strstr(err, "bogus")) TH_LOG("%s", err);
	EXPECT_EQ(6, count_of(err, path)) TH_LOG("%s", err);
	EXPECT_EQ(0, memcmp(&before, &self->c, sizeof(before)));
	/* nothing else wrong: the long line alone still refuses the file */
	snprintf(text, sizeof(text), "[thermal]\n%.250s\nstop_c = 42\n", pad);
	put(text);
	EXPECT_EQ(-1, config_load(&self->c, path, err, sizeof(err)));
	EXPECT_EQ(0, memcmp(&before, &self->c, sizeof(before)));
}

/* Many errors: the first few, then how many more; never past err's end. */
TEST_F(conf, many_errors_are_bounded)
{
	char text[2048], err[1024], more[32];
	size_t used = 0;
	int i;

	for (i = 0; i < 40; i++)
		used += snprintf(text + used, sizeof(text) - used, "bogus%d = 1\n", i);
	put(text);
	EXPECT_EQ(-1, config_load(&self->c, path, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":1: unknown key 'bogus0'")) TH_LOG("%s", err);
	EXPECT_EQ(CONFIG_ERRORS_SHOWN, count_of(err, path)) TH_LOG("%s", err);
	snprintf(more, sizeof(more), "\nand %d more errors", 40 - CONFIG_ERRORS_SHOWN);
	EXPECT_NE(NULL, strstr(err, more)) TH_LOG("%s", err);
	EXPECT_EQ(0, strcmp(err + strlen(err) - strlen(more), more)) TH_LOG("%s", err);
	/* a small buffer: fewer shown, the rest counted, the text whole */
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, 200));
	EXPECT_LE(1, count_of(self->err, path)) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, " more errors")) TH_LOG("%s", self->err);
	EXPECT_GT(200, strlen(self->err));
}

/*
 * Where a run says that the configuration does not parse: the daemon
 * once, as its journal record, and on stderr only when stderr is not
 * the journal already (a hand run: that is where the person looks); the
 * unit's other runs (the grants before a start, the hand-back after a
 * stop) say nothing the daemon says (a failed start logged it three
 * times, and once more at the stop), unless run by hand.
 */
TEST(a_config_error_is_told_once)
{
	int fds[2], nul;
	struct stat st;
	char stream[64];

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, fstat(fds[1], &st));
	snprintf(stream, sizeof(stream), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	unsetenv("JOURNAL_STREAM");
	EXPECT_FALSE(config_fd_is_journal(fds[1]));
	EXPECT_EQ(CONFIG_TELL_JOURNAL | CONFIG_TELL_STDERR, config_error_sinks(true, fds[1]));
	EXPECT_EQ(CONFIG_TELL_STDERR, config_error_sinks(false, fds[1]));
	setenv("JOURNAL_STREAM", stream, 1);
	EXPECT_TRUE(config_fd_is_journal(fds[1]));
	nul = open("/dev/null", O_WRONLY);
	ASSERT_LE(0, nul);
	EXPECT_FALSE(config_fd_is_journal(nul));	/* another file */
	EXPECT_EQ(CONFIG_TELL_JOURNAL | CONFIG_TELL_STDERR, config_error_sinks(true, nul));
	close(nul);
	EXPECT_EQ(CONFIG_TELL_JOURNAL, config_error_sinks(true, fds[1]));
	EXPECT_EQ(0, config_error_sinks(false, fds[1]));
	setenv("JOURNAL_STREAM", "garbage", 1);
	EXPECT_FALSE(config_fd_is_journal(fds[1]));
	unsetenv("JOURNAL_STREAM");
	close(fds[0]);
	close(fds[1]);
}

/* Each error on its own line, each line with the program's prefix. */
TEST(a_config_error_prints_a_line_each)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ASSERT_NE(NULL, f);
	config_error_print(f, "chargerd: ", "a.conf:2: one\na.conf:3: two\nand 1 more error");
	fclose(f);
	EXPECT_STREQ("chargerd: a.conf:2: one\nchargerd: a.conf:3: two\nchargerd: and 1 more error\n",
		     text);
	free(text);
}

/*
 * The real program, for the runs a unit makes beside the daemon: a
 * grant with a file that does not parse says nothing of it on a stderr
 * that is the journal (the daemon's start does), and says it on one
 * that is not; --check-config says every error, a line each.
 */
static int run_chargerd(const char *args, bool journal, char *out, size_t len)
{
	char cmd[512], stream[64];
	struct stat st;
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	if (access("build/bin/chargerd", X_OK))
		return -2;
	if (pipe(fds))
		return -1;
	fstat(fds[1], &st);
	snprintf(stream, sizeof(stream), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	snprintf(cmd, sizeof(cmd), "exec build/bin/chargerd %s 2>&%d >/dev/null", args, fds[1]);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(fds[0]);
		if (journal)
			setenv("JOURNAL_STREAM", stream, 1);
		else
			unsetenv("JOURNAL_STREAM");
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(conf, the_unit_s_other_runs_do_not_say_it_again)
{
	char dir[] = "/tmp/chargerd-state-XXXXXX", args[256], out[2048];
	int r;

	ASSERT_NE(NULL, mkdtemp(dir));
	put("[agent]\nresync_s = soon\nbogus = 1\n");
	snprintf(args, sizeof(args), "--config %s --grant-charger=bq25895-charger", path);
	setenv("STATE_DIRECTORY", dir, 1);
	r = run_chargerd(args, true, out, sizeof(out));
	if (r == -2) {
		rmdir(dir);
		SKIP(return, "build/bin/chargerd is not built (make programs)");
	}
	EXPECT_EQ(0, r);
	EXPECT_STREQ("", out);
	EXPECT_EQ(0, run_chargerd(args, false, out, sizeof(out)));
	EXPECT_EQ(1, count_of(out, ":2: [agent] resync_s")) TH_LOG("%s", out);
	EXPECT_EQ(1, count_of(out, ":3: unknown key 'bogus'")) TH_LOG("%s", out);
	snprintf(args, sizeof(args), "--config %s --check-config", path);
	EXPECT_EQ(1, run_chargerd(args, false, out, sizeof(out)));
	EXPECT_EQ(2, count_of(out, "chargerd: /tmp/chargerd-conf-")) TH_LOG("%s", out);
	EXPECT_EQ(1, count_of(out, "\nchargerd: /tmp/chargerd-conf-")) TH_LOG("%s", out);
	/* the reload's check, under the journal: at error priority, each line */
	EXPECT_EQ(1, run_chargerd(args, true, out, sizeof(out)));
	EXPECT_EQ(2, count_of(out, "<3>chargerd: ")) TH_LOG("%s", out);
	/* no file: the defaults, said (helper-104: a mistyped path passed unsaid) */
	EXPECT_EQ(0, run_chargerd("--config /nonexistent/chargerd.conf --check-config", false,
				  out, sizeof(out)));
	EXPECT_EQ(1, count_of(out, "/nonexistent/chargerd.conf: no such file: the defaults apply"))
		TH_LOG("%s", out);
	EXPECT_EQ(0, run_chargerd("--config /nonexistent/chargerd.conf --check-config", true,
				  out, sizeof(out)));
	EXPECT_EQ(1, count_of(out, "<5>chargerd: ")) TH_LOG("%s", out);
	unsetenv("STATE_DIRECTORY");
	rmdir(dir);
}

TEST_F(conf, unreadable_path_is_an_error)
{
	EXPECT_EQ(-1, config_load(&self->c, "/", self->err, sizeof(self->err)));
}

/*
 * helper-98's trial: only a regular file is read (a FIFO blocked the
 * open for ever, /dev/zero the read: `systemctl reload` runs the check);
 * a symbolic link to nothing is said, not taken for no file (the
 * defaults, silently).
 */
TEST_F(conf, only_a_regular_file_is_read)
{
	char fifo[64], link[64];
	pid_t pid = fork();
	int st;

	ASSERT_LE(0, pid);
	if (!pid) {
		char err[256];
		struct chargerd_config c;

		alarm(10);	/* a hang is a failure, not a stuck test */
		config_defaults(&c);
		snprintf(fifo, sizeof(fifo), "/tmp/chargerd-fifo-%d.conf", getpid());
		if (mkfifo(fifo, 0600))
			_exit(2);
		st = config_load(&c, fifo, err, sizeof(err));
		unlink(fifo);
		if (st != -1 || !strstr(err, "not a regular file"))
			_exit(3);
		if (config_load(&c, "/dev/zero", err, sizeof(err)) != -1 ||
		    !strstr(err, "not a regular file"))
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st)) TH_LOG("killed: a hang (signal %d)", WTERMSIG(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	snprintf(link, sizeof(link), "/tmp/chargerd-link-%d.conf", getpid());
	ASSERT_EQ(0, symlink("/nonexistent/chargerd.conf", link));
	EXPECT_EQ(-1, config_load(&self->c, link, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "symbolic link")) TH_LOG("%s", self->err);
	unlink(link);
}

/*
 * What follows a [section]'s ']' on its line is no comment: libinih
 * dropped it, a key there lost without a word, and a file whose lines
 * end in CR alone (one line to libinih) was taken whole (helper-98).
 */
TEST_F(conf, text_after_a_section_is_an_error)
{
	put("[agent] resync_s = 5\n");
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":1: text after [agent]")) TH_LOG("%s", self->err);
	put("[agent]\rresync_s = 5\r");
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_EQ(120, self->c.resync_s);
	/* lines ended by a CR alone: said, also where the first is a comment (helper-99) */
	put("# chargerd\r[thermal]\rstop_c = 10\rhot_c = 99\r");
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":1: a carriage return alone")) TH_LOG("%s", self->err);
	EXPECT_EQ(NULL, strstr(strstr(self->err, "carriage return") + 1, "carriage return"))
		TH_LOG("said once: %s", self->err);
	/* a CRLF file whose last line has its CR only: as good as whole */
	put("[agent]\r\nresync_s = 5\r\n[thermal]\r");
	EXPECT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	put("[agent] ; the daemon's own\nresync_s = 5\n[thermal] # limits\n");
	EXPECT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(5, self->c.resync_s);
}

/* The file is text bytes exactly: put() with a NUL in it. */
static void put_bytes(const char *text, size_t len)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/chargerd-conf-%d.conf", getpid());
	f = fopen(path, "w");
	fwrite(text, 1, len, f);
	fclose(f);
}

/*
 * A NUL byte ends the line for libinih: the rest of it was dropped
 * without a word ("hot_c = 41\0junk" gave 41, "stop_c = 4\02" 4). It
 * is an error at its line, wherever it is; the lines after it are read
 * as before, and nothing is applied.
 */
TEST_F(conf, a_nul_byte_is_an_error)
{
	static const char nul[] = "[thermal]\nhot_c = 41\0junk\nstop_c = 4\0002\n# a\0b\n"
				  "warm_c = x\n";
	struct chargerd_config before = self->c;
	char err[1024];

	put_bytes(nul, sizeof(nul) - 1);
	EXPECT_EQ(-1, config_load(&self->c, path, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":2: a NUL byte")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, ":3: a NUL byte")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, ":4: a NUL byte")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, ":5: [thermal] warm_c: 'x'")) TH_LOG("%s", err);
	EXPECT_EQ(4, count_of(err, path)) TH_LOG("%s", err);
	EXPECT_EQ(0, memcmp(&before, &self->c, sizeof(before)));
	/* one alone refuses the file, the first line too; what it names is still known */
	put_bytes("\0[agent]\nresync_s = 5\n", 22);
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":1: a NUL byte")) TH_LOG("%s", self->err);
	EXPECT_EQ(NULL, strchr(self->err, '\n')) TH_LOG("%s", self->err);	/* that alone */
	EXPECT_EQ(0, memcmp(&before, &self->c, sizeof(before)));
}

/*
 * libinih (Debian's as upstream's) takes ';' after a blank for an inline
 * comment, and '#' only at a line's start: "max_sessions = 100 # comment"
 * gave the value "100 # comment", said as "not a number". The error names
 * the '#' and what to write instead; ';' after a value is a comment.
 */
TEST_F(conf, a_hash_after_a_value_is_no_comment)
{
	put("[history]\nmax_sessions = 100 ; sessions\n[in-use] ; D-Bus may change these\n"
	    "mode = off\t; in use never\n");
	ASSERT_EQ(0, config_load(&self->c, path, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(100, self->c.max_sessions);
	EXPECT_EQ(IN_USE_OFF, self->c.in_use_mode);

	config_defaults(&self->c);
	put("[history]\nmax_sessions = 100 # sessions\n");
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":2: [history] max_sessions: '100 # sessions': '#' "
			       "starts no comment after a value, ';' does")) TH_LOG("%s", self->err);
	EXPECT_EQ(NULL, strstr(self->err, "not a number")) TH_LOG("%s", self->err);
	EXPECT_EQ(500, self->c.max_sessions);
	/* the same where a word or a name was refused for it */
	put("[in-use]\nmode = off # never\n");
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":2: [in-use] mode: 'off # never': '#' starts no comment"))
		TH_LOG("%s", self->err);
	put("[supplies]\ncharger = bq25895-charger # the PMIC\n");
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":2: [supplies] charger: 'bq25895-charger # the PMIC': "
			       "'#' starts no comment")) TH_LOG("%s", self->err);
	put("[led]\nname = green:status#1\n");
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":2: [led] name: 'green:status#1': '#' starts no comment"))
		TH_LOG("%s", self->err);
	/* a ';' with no blank before it is no comment either: said so */
	put("[history]\nmax_sessions = 100;sessions\n");
	EXPECT_EQ(-1, config_load(&self->c, path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ":2: [history] max_sessions: '100;sessions': ';' starts "
			       "a comment only after a space or tab")) TH_LOG("%s", self->err);
}

/*
 * A symbolic link to nothing above the file (/etc/chargerd a link to a
 * partition not mounted yet) is said like one as the file itself: it was
 * taken for no file, the defaults silently. A path with no link that is
 * not there is still no file: the defaults.
 */
TEST_F(conf, a_link_to_nothing_above_the_file_is_an_error)
{
	char dir[] = "/tmp/chargerd-etc-XXXXXX", link[64], file[128], real[64];
	FILE *f;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/chargerd", dir);
	snprintf(real, sizeof(real), "%s/real", dir);
	ASSERT_EQ(0, symlink("/nonexistent/chargerd", link));
	snprintf(file, sizeof(file), "%s/chargerd.conf", link);
	EXPECT_EQ(-1, config_load(&self->c, file, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "chargerd.conf: ")) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "/chargerd is a symbolic link to a directory that is not there"))
		TH_LOG("%s", self->err);
	/* deeper: the link, then a directory under what is not there */
	snprintf(file, sizeof(file), "%s/sub/chargerd.conf", link);
	EXPECT_EQ(-1, config_load(&self->c, file, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "symbolic link")) TH_LOG("%s", self->err);
	/* a link to a directory that is there, with no file in it: the defaults */
	ASSERT_EQ(0, unlink(link));
	ASSERT_EQ(0, mkdir(real, 0700));
	ASSERT_EQ(0, symlink("real", link));
	snprintf(file, sizeof(file), "%s/chargerd.conf", link);
	EXPECT_EQ(0, config_load(&self->c, file, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	/* and with one: read through the link */
	snprintf(file, sizeof(file), "%s/chargerd.conf", real);
	f = fopen(file, "w");
	ASSERT_NE(NULL, f);
	fputs("[agent]\nresync_s = 7\n", f);
	fclose(f);
	snprintf(file, sizeof(file), "%s//chargerd.conf", link);
	EXPECT_EQ(0, config_load(&self->c, file, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	EXPECT_EQ(7, self->c.resync_s);
	/* no link anywhere, nothing there: the defaults, silently */
	snprintf(file, sizeof(file), "%s/absent/chargerd.conf", dir);
	EXPECT_EQ(0, config_load(&self->c, file, self->err, sizeof(self->err))) TH_LOG("%s", self->err);
	snprintf(file, sizeof(file), "%s/chargerd.conf", real);
	unlink(file);
	unlink(link);
	rmdir(real);
	rmdir(dir);
}

/*
 * More errors than are shown: the earliest lines are, an order's error
 * (found after the parse) among them (helper-98: line 3's was never
 * shown behind lines 5 to 12); the file's bytes that are not printable
 * are said as '?' (an escape sequence cleared the screen).
 */
TEST_F(conf, the_earliest_errors_are_shown_and_printable)
{
	char text[1024], err[2048];
	size_t used;
	int i;

	used = snprintf(text, sizeof(text), "[thermal]\nstop_c = 30\nhot_c = 40\n[agent]\n");
	for (i = 0; i < 9; i++)
		used += snprintf(text + used, sizeof(text) - used, "bogus%d = 1\n", i);
	snprintf(text + used, sizeof(text) - used, "\x1b[2Jclear = 1\n");
	put(text);
	EXPECT_EQ(-1, config_load(&self->c, path, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":3: [thermal] hot_c")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "and 3 more errors")) TH_LOG("%s", err);
	put("[agent]\n\x1b[2J\x1b[31mPWNED = 1\n");
	EXPECT_EQ(-1, config_load(&self->c, path, err, sizeof(err)));
	EXPECT_EQ(NULL, strchr(err, '\x1b')) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "'?[2J?[31mPWNED'")) TH_LOG("%s", err);
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
