// SPDX-License-Identifier: GPL-2.0
/*
 * The in-use holds' file (agent/holds.c), which lets a restart of
 * chargerd keep its clients' holds: what is written reads back the same,
 * only on the same bus, and a damaged file gives the lines that parse and
 * nothing else.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/holds.h"

#define BUS	"0123456789abcdef0123456789abcdef"
#define OTHER	"fedcba9876543210fedcba9876543210"

static struct hold_record rec(const char *name, uid_t uid, const char *who)
{
	struct hold_record r;

	memset(&r, 0, sizeof(r));
	strcpy(r.name, name);
	r.uid = uid;
	strcpy(r.who, who);
	return r;
}

TEST(what_is_written_reads_back_on_the_same_bus)
{
	struct hold_record in[3], out[IN_USE_HOLDS_MAX];
	char text[4096];
	size_t i;

	in[0] = rec(":1.42", 0, "aplay[123]");
	in[1] = rec(":1.7", 1001, "pid 99 of user listener");
	in[2] = rec(":1.1000", (uid_t)-1, "pid 5 of uid -1");
	ASSERT_LT(0, holds_format(BUS, in, 3, text, sizeof(text)));
	EXPECT_EQ(0, strncmp(text, "chargerd-holds 1 " BUS "\n", 50));
	ASSERT_EQ(3, holds_parse(text, BUS, out, IN_USE_HOLDS_MAX));
	for (i = 0; i < 3; i++) {
		EXPECT_STREQ(in[i].name, out[i].name);
		EXPECT_EQ(in[i].uid, out[i].uid);
		EXPECT_STREQ(in[i].who, out[i].who);
	}
	/* the bus id's digits in either case name the same bus */
	text[17 + 10] = 'A';
	text[17 + 11] = 'B';
	EXPECT_EQ(3, holds_parse(text, BUS, out, IN_USE_HOLDS_MAX));
}

/* Another bus (dbus restarted since): its unique names are not these. */
TEST(another_bus_or_no_header_gives_none)
{
	struct hold_record in = rec(":1.42", 0, "aplay[123]"), out[4];
	char text[512];

	ASSERT_LT(0, holds_format(BUS, &in, 1, text, sizeof(text)));
	EXPECT_EQ(0, holds_parse(text, OTHER, out, 4));
	EXPECT_EQ(0, holds_parse(":1.42 0 aplay[123]\n", BUS, out, 4));
	EXPECT_EQ(0, holds_parse("chargerd-holds 2 " BUS "\n:1.42 0 a\n", BUS, out, 4));
	EXPECT_EQ(0, holds_parse("chargerd-holds 1 " BUS, BUS, out, 4));
	EXPECT_EQ(0, holds_parse("chargerd-holds 1 " BUS "0\n:1.42 0 a\n", BUS, out, 4));
	EXPECT_EQ(0, holds_parse("", BUS, out, 4));
	/* a bus id that is not one is no match for anything */
	EXPECT_EQ(0, holds_parse("chargerd-holds 1 xyz\n:1.42 0 a\n", "xyz", out, 4));
}

TEST(no_holds_is_no_file)
{
	char text[64] = "stale";

	EXPECT_EQ(0, holds_format(BUS, NULL, 0, text, sizeof(text)));
	EXPECT_STREQ("", text);
}

/*
 * Only what the file can carry: a record that would not read back is left
 * out, the others kept (one bad hold must not keep the file stale); and
 * only what fits.
 */
TEST(format_leaves_out_what_would_not_read_back)
{
	struct hold_record r[5], out[5];
	char text[512];

	r[0] = rec("org.chargerd.Charger1", 0, "well-known[1]");
	r[1] = rec(":1.42", 0, "aplay[123]");
	r[2] = rec(":1.43", 0, "");
	r[3] = rec(":1.44", 0, "two\nlines");
	r[4] = rec(":1.45", 7, "mpv[45]");
	ASSERT_LT(0, holds_format(BUS, r, 5, text, sizeof(text)));
	ASSERT_EQ(2, holds_parse(text, BUS, out, 5));
	EXPECT_STREQ(":1.42", out[0].name);
	EXPECT_STREQ(":1.45", out[1].name);
	/* none left: no file */
	strcpy(text, "stale");
	EXPECT_EQ(0, holds_format(BUS, r + 2, 2, text, sizeof(text)));
	EXPECT_STREQ("", text);
	strcpy(text, "stale");
	EXPECT_EQ(-EINVAL, holds_format("0123", r + 1, 1, text, sizeof(text)));
	EXPECT_STREQ("", text);
	EXPECT_EQ(-ENOSPC, holds_format(BUS, r + 1, 1, text, 60));
	EXPECT_STREQ("", text);
	EXPECT_LT(0, holds_format(BUS, r + 1, 1, text, 128));
}

/* A damaged file: the lines that parse, each name once, no more than room. */
TEST(damaged_lines_are_skipped)
{
	static const char text[] =
		"chargerd-holds 1 " BUS "\n"
		":1.1 0 good[1]\n"
		"1.2 0 no-colon[2]\n"
		":1.3 zero not-a-uid[3]\n"
		":1.4 -1 negative[4]\n"
		":1.5 4294967296 too-big[5]\n"
		":1.6 0\n"
		":1.7 0 \n"
		":1..8 0 empty-element[8]\n"
		":1 0 one-element[9]\n"
		"\n"
		":1.1 0 twice[1]\n"
		":1.10 4294967295 unknown-uid[10]\n"
		":1.11 1000 bytes \x01\x7f\xc3\xa9 made printable";
	struct hold_record out[IN_USE_HOLDS_MAX];

	ASSERT_EQ(3, holds_parse(text, BUS, out, IN_USE_HOLDS_MAX));
	EXPECT_STREQ(":1.1", out[0].name);
	EXPECT_STREQ("good[1]", out[0].who);
	EXPECT_STREQ(":1.10", out[1].name);
	EXPECT_EQ((uid_t)-1, out[1].uid);
	EXPECT_STREQ(":1.11", out[2].name);
	EXPECT_EQ(1000, out[2].uid);
	EXPECT_STREQ("bytes ???? made printable", out[2].who);
	EXPECT_EQ(2, holds_parse(text, BUS, out, 2));
}

/* A line longer than any written one, and a who cut to its field. */
TEST(long_lines)
{
	char text[2048], who[PUB_STR + 20];
	struct hold_record out[2];
	int n;

	memset(who, 'w', sizeof(who) - 1);
	who[sizeof(who) - 1] = '\0';
	n = snprintf(text, sizeof(text), "chargerd-holds 1 " BUS "\n:1.1 0 %s\n:1.", who);
	memset(text + n, '9', 600);
	strcpy(text + n + 600, " 0 long\n:1.2 0 after\n");
	ASSERT_EQ(2, holds_parse(text, BUS, out, 2));
	EXPECT_EQ(PUB_STR - 1, strlen(out[0].who));
	EXPECT_STREQ(":1.2", out[1].name);
}

TEST(unique_names)
{
	char name[300];

	EXPECT_TRUE(hold_name_valid(":1.42"));
	EXPECT_TRUE(hold_name_valid(":a-b.c_d.0"));
	EXPECT_FALSE(hold_name_valid(":1"));
	EXPECT_FALSE(hold_name_valid(":"));
	EXPECT_FALSE(hold_name_valid(""));
	EXPECT_FALSE(hold_name_valid(":.1"));
	EXPECT_FALSE(hold_name_valid(":1."));
	EXPECT_FALSE(hold_name_valid(":1.4 2"));
	EXPECT_FALSE(hold_name_valid("org.chargerd.Charger1"));
	memset(name, '1', sizeof(name));
	name[0] = ':';
	name[2] = '.';
	name[255] = '\0';
	EXPECT_TRUE(hold_name_valid(name));
	name[255] = '1';
	name[256] = '\0';
	EXPECT_FALSE(hold_name_valid(name));
}

TEST_HARNESS_MAIN
