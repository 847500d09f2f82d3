// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's uevent parser against what the socket can hand it: real
 * messages, truncated ones, no terminator, junk, 64 KiB of it, duplicates.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/uevent.h"

static struct uevent ev;

#define MSG(s)	s, sizeof(s) - 1	/* without the final NUL, as on the wire */

static const char plug[] =
	"change@/devices/virtual/i2c-0/0-006a/power_supply/bq25895-charger\0"
	"ACTION=change\0DEVPATH=/devices/virtual/i2c-0/0-006a/power_supply/bq25895-charger\0"
	"SUBSYSTEM=power_supply\0POWER_SUPPLY_NAME=bq25895-charger\0"
	"POWER_SUPPLY_ONLINE=1\0POWER_SUPPLY_STATUS=Charging\0SEQNUM=4242\0";

TEST(a_real_message)
{
	ASSERT_EQ(0, uevent_parse(MSG(plug), &ev));
	EXPECT_STREQ("change", ev.action);
	EXPECT_STREQ("/devices/virtual/i2c-0/0-006a/power_supply/bq25895-charger", ev.devpath);
	EXPECT_STREQ("power_supply", ev.subsystem);
	EXPECT_TRUE(ev.has_seqnum);
	EXPECT_EQ(4242, ev.seqnum);
	EXPECT_STREQ("1", uevent_get(&ev, "POWER_SUPPLY_ONLINE"));
	EXPECT_STREQ("Charging", uevent_get(&ev, "POWER_SUPPLY_STATUS"));
	EXPECT_EQ(NULL, uevent_get(&ev, "POWER_SUPPLY_HEALTH"));
	EXPECT_EQ(0, ev.dropped);
}

TEST(every_truncation_is_safe)
{
	size_t n;

	/* Any prefix parses or fails cleanly; a parse never reads past it. */
	for (n = 0; n <= sizeof(plug) - 1; n++) {
		int ret = uevent_parse(plug, n, &ev);

		EXPECT_TRUE(ret == 0 || ret == -EINVAL) TH_LOG("at %zu: %d", n, ret);
		if (!ret) {
			EXPECT_STREQ("change", ev.action);
			EXPECT_GE(n, strlen(ev.devpath));
		}
	}
}

TEST(no_terminator_and_a_value_cut_short)
{
	static const char m[] = "add@/x\0SUBSYSTEM=power_supply\0POWER_SUPPLY_NAME=ab";

	ASSERT_EQ(0, uevent_parse(m, sizeof(m) - 1, &ev));
	EXPECT_STREQ("ab", uevent_get(&ev, "POWER_SUPPLY_NAME"));
}

TEST(bad_headers_are_refused)
{
	EXPECT_EQ(-EINVAL, uevent_parse(MSG("ACTION=change\0SUBSYSTEM=x"), &ev));
	EXPECT_EQ(-EINVAL, uevent_parse(MSG("@/devices/x\0"), &ev));
	EXPECT_EQ(-EINVAL, uevent_parse(MSG("change@\0"), &ev));
	EXPECT_EQ(-EINVAL, uevent_parse(MSG("libudev\0\xfe\xed\xca\xfe"), &ev));
	EXPECT_EQ(-EINVAL, uevent_parse("", 0, &ev));
	/* the ACTION pair must agree with the header */
	EXPECT_EQ(-EINVAL, uevent_parse(MSG("add@/x\0ACTION=remove\0"), &ev));
	EXPECT_EQ(-EINVAL, uevent_parse(MSG("add@/x\0SEQNUM=12x\0"), &ev));
	EXPECT_EQ(-EINVAL, uevent_parse(MSG("add@/x\0SEQNUM=-1\0"), &ev));
}

TEST(duplicates_and_malformed_pairs_are_dropped)
{
	ASSERT_EQ(0, uevent_parse(MSG("change@/x\0K=first\0K=second\0novalue\0=nokey\0\0\0E=\0"),
				  &ev));
	EXPECT_STREQ("first", uevent_get(&ev, "K"));
	EXPECT_STREQ("", uevent_get(&ev, "E"));
	EXPECT_EQ(3, ev.dropped);
	EXPECT_EQ(2, ev.nvars);
}

TEST(oversized_and_junk)
{
	static char big[65536];
	unsigned int i, seed = 1;

	memset(big, 'A', sizeof(big));
	EXPECT_EQ(-EMSGSIZE, uevent_parse(big, sizeof(big), &ev));
	/* junk of every size up to the limit: no crash, a clean answer */
	for (i = 0; i < sizeof(big); i++)
		big[i] = rand_r(&seed);
	for (i = 0; i < 2000; i++) {
		size_t n = rand_r(&seed) % (UEVENT_BUF_MAX + 1);
		int ret = uevent_parse(big + (rand_r(&seed) % 1000), n, &ev);

		ASSERT_TRUE(ret == 0 || ret == -EINVAL);
	}
	/* and the most pairs we keep */
	{
		char *m = big;
		size_t o = (size_t)sprintf(m, "change@/x") + 1;

		for (i = 0; i < UEVENT_VARS_MAX + 10; i++)
			o += (size_t)sprintf(m + o, "K%u=v", i) + 1;
		ASSERT_EQ(0, uevent_parse(m, o, &ev));
		EXPECT_EQ(UEVENT_VARS_MAX, ev.nvars);
		EXPECT_EQ(10, ev.dropped);
	}
}

TEST_HARNESS_MAIN
