// SPDX-License-Identifier: GPL-2.0
/*
 * The one way the agent walks a fault mask (for_each_fault) and writes
 * one as words (faults_join): every set bit once, in enum order, nothing
 * else, and a short buffer cut at a whole code.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/faults.h"

TEST(for_each_fault_visits_each_set_bit_once_in_order)
{
	static const uint32_t masks[] = {
		0, FAULT_BIT(FAULT_INPUT_OVP), FAULT_BIT(FAULT_NO_RESPONSE),
		FAULT_BIT(FAULT_HOT) | FAULT_BIT(FAULT_BOOST) | FAULT_BIT(FAULT_INPUT_COLLAPSE),
		(1u << FAULT__COUNT) - 1,
		0xffffffffu,	/* bits past the last fault are not faults */
	};
	unsigned int i;

	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		uint32_t seen = 0;
		int f, last = -1;

		for_each_fault(f, masks[i]) {
			EXPECT_LT(last, f);
			EXPECT_LT(f, FAULT__COUNT);
			EXPECT_EQ(0, seen & FAULT_BIT(f));
			seen |= FAULT_BIT(f);
			last = f;
		}
		EXPECT_EQ(masks[i] & ((1u << FAULT__COUNT) - 1), seen);
	}
}

TEST(faults_join_writes_whole_codes)
{
	char buf[64];

	faults_join(0, buf, sizeof(buf));
	EXPECT_STREQ("", buf);
	faults_join(FAULT_BIT(FAULT_HOT) | FAULT_BIT(FAULT_INPUT_OVP), buf, sizeof(buf));
	EXPECT_STREQ("input-ovp,hot", buf);
	/* room for "input-ovp" only: the second code is left out whole */
	faults_join(FAULT_BIT(FAULT_HOT) | FAULT_BIT(FAULT_INPUT_OVP), buf, 12);
	EXPECT_STREQ("input-ovp", buf);
	faults_join(FAULT_BIT(FAULT_INPUT_OVP), buf, 4);
	EXPECT_STREQ("", buf);
}

TEST_HARNESS_MAIN
