// SPDX-License-Identifier: GPL-2.0
/*
 * A journal record's fields (agent/record.c): a number chargerd does not
 * know is left out, never written as its stand-in (it was: a gauge that
 * gave no charge made BATTERY_CAPACITY=-9223372036854775808, a session
 * with no charge level BATTERY_CAPACITY_START=-1, one with no temperature
 * BATTERY_TEMP_MAX_DC=-2147483648); a field that does not fit is left out
 * whole; and every number journal.c writes goes through record_number().
 * Run from the top of the repository.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../agent/record.h"
#include "../../agent/snapshot.h"

/* Field i of r as a string (the text holds each field's NUL). */
static const char *field_at(const struct record *r, unsigned int i)
{
	return r->iov[i].iov_base;
}

TEST(a_known_number_is_written_in_decimal)
{
	struct record r;

	record_reset(&r);
	record_number(&r, "BATTERY_CAPACITY", 0);
	record_number(&r, "CHARGER_CURRENT_UA", -1500000);
	record_number(&r, "CHARGER_CLOCK_STEP_S", LLONG_MAX);
	ASSERT_EQ(3, r.n);
	EXPECT_STREQ("BATTERY_CAPACITY=0", field_at(&r, 0));
	EXPECT_EQ(strlen("BATTERY_CAPACITY=0"), r.iov[0].iov_len);
	EXPECT_STREQ("CHARGER_CURRENT_UA=-1500000", field_at(&r, 1));
	EXPECT_STREQ("CHARGER_CLOCK_STEP_S=9223372036854775807", field_at(&r, 2));
}

TEST(an_unknown_number_is_left_out)
{
	struct record r;

	record_reset(&r);
	record_field(&r, "MESSAGE=%s", "Charger unplugged, the battery's charge unknown");
	record_number(&r, "BATTERY_CAPACITY", PSY_NONE);
	record_number(&r, "BATTERY_TEMP_DC", -1);	/* -0.1 degC: a reading */
	ASSERT_EQ(2, r.n);
	EXPECT_STREQ("BATTERY_TEMP_DC=-1", field_at(&r, 1));
	EXPECT_EQ(NULL, memmem(r.text, r.used, "-9223372036854775808", 20));
}

TEST(a_field_past_the_room_is_left_out_whole)
{
	struct record r;
	char big[RECORD_TEXT];
	unsigned int i;

	record_reset(&r);
	memset(big, 'x', sizeof(big) - 64);
	big[sizeof(big) - 64] = '\0';
	record_field(&r, "CHARGERD_ERROR=%s", big);
	ASSERT_EQ(1, r.n);
	/* too long for what is left: out, and nothing after it is cut */
	record_field(&r, "CHARGER_EVIDENCE=%s", big);
	EXPECT_EQ(1, r.n);
	record_number(&r, "BATTERY_CAPACITY", 40);
	ASSERT_EQ(2, r.n);
	EXPECT_STREQ("BATTERY_CAPACITY=40", field_at(&r, 1));
	/* the field count: RECORD_FIELDS, then no more */
	record_reset(&r);
	for (i = 0; i < RECORD_FIELDS + 5; i++)
		record_number(&r, "N", i);
	EXPECT_EQ(RECORD_FIELDS, r.n);
	EXPECT_STREQ("N=39", field_at(&r, RECORD_FIELDS - 1));
}

/*
 * journal.c writes no number itself: a "%lld" or "%d" conversion of a
 * reading in a record_field() call is how the stand-ins got out. Its
 * record_field() calls may format only strings, unsigned counts and the
 * few signed numbers that are always known (PRIORITY, errno, flags).
 */
TEST(journal_c_writes_numbers_only_through_record_number)
{
	static const char *const known[] = {
		"PRIORITY=%d", "CHARGERD_ERRNO=%d", "CHARGER_FAULT_TRANSIENT=%d",
		"CHARGER_WALL_CLOCK_SYNCED=%d", "CHARGER_SESSION_FULL=%d", "CHARGER_IN_USE=%d",
	};
	FILE *f = fopen("agent/journal.c", "r");
	char *text = NULL, *call, *end;
	size_t size = 0;
	int calls = 0;

	ASSERT_NE(NULL, f);
	ASSERT_LT(0, getdelim(&text, &size, '\0', f));
	fclose(f);
	/* each call whole, from "record_field(" to its ");", over lines */
	for (call = text; (call = strstr(call, "record_field(")); call = end) {
		unsigned int i;
		bool ok = false;
		char saved;

		end = strstr(call, ");");
		ASSERT_NE(NULL, end);
		saved = *end;
		*end = '\0';
		calls++;
		EXPECT_EQ(NULL, strstr(call, "%lld")) TH_LOG("%s", call);
		if (strstr(call, "%d")) {
			for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
				ok |= strstr(call, known[i]) != NULL;
			EXPECT_TRUE(ok) TH_LOG("%s", call);
		}
		*end = saved;
	}
	free(text);
	/* the file was read: it builds its records with record_field() */
	EXPECT_LT(20, calls);
}

TEST_HARNESS_MAIN
