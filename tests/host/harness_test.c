// SPDX-License-Identifier: GPL-2.0
/*
 * The VM test programs' main (tests/emul/emul_test.h, harness_select()):
 * CHARGERD_TESTS picks the tests a run can afford (the debug kernel's tier
 * of make check), CHARGERD_HARNESS_TIMEOUT sets their hang guard. A name that
 * matches no test, or a guard that is not a number of seconds, is refused
 * with nothing changed: a renamed test must not drop out of a run in
 * silence. Each test runs in the harness's own child, so the lists it
 * prunes are its own copy.
 */
#include "kselftest_harness.h"
#include "../emul/emul_test.h"

/* The tests left in the harness's lists, as "fixture.name ..." */
static void listed(char *buf, size_t len, int *guard)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t;
	size_t at = 0;

	buf[0] = '\0';
	*guard = -1;
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next) {
			at += snprintf(buf + at, at < len ? len - at : 0, "%s%s.%s",
				       at ? " " : "", f->name, t->name);
			if (*guard == -1)
				*guard = t->timeout;
			else if (*guard != t->timeout)
				*guard = -2;
		}
}

FIXTURE(sel) {
	char before[1024];
	int guard;
};

FIXTURE_SETUP(sel)
{
	listed(self->before, sizeof(self->before), &self->guard);
}

FIXTURE_TEARDOWN(sel)
{
}

TEST_F(sel, unknown_names_are_refused_and_nothing_changes)
{
	const char *bad[] = {
		"no_such_test",
		"sel.unknown_names_are_refused_and_nothing_changes no_such_test",
		"global.unknown_names_are_refused_and_nothing_changes",	/* wrong fixture */
		"sel.unknown_names",					/* a prefix */
		"unknown_names_are_refused_and_nothing_changesX",
	};
	char after[1024];
	unsigned int i;
	int guard;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, harness_select(bad[i], "30")) TH_LOG("%s", bad[i]);
		listed(after, sizeof(after), &guard);
		EXPECT_STREQ(self->before, after);
		EXPECT_EQ(self->guard, guard) TH_LOG("the guard changed on a refusal");
	}
}

TEST_F(sel, bad_guards_are_refused_and_nothing_changes)
{
	const char *bad[] = { "0", "-5", "12x", "x", " 30", "86401", "99999999999999999999" };
	char after[1024];
	unsigned int i;
	int guard;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, harness_select("sel.bad_guards_are_refused_and_nothing_changes",
					     bad[i])) TH_LOG("'%s'", bad[i]);
		listed(after, sizeof(after), &guard);
		EXPECT_STREQ(self->before, after);
		EXPECT_EQ(self->guard, guard);
	}
}

TEST_F(sel, unset_or_empty_keeps_every_test)
{
	const char *none[] = { NULL, "", "   " };
	char after[1024];
	unsigned int i;
	int guard;

	for (i = 0; i < ARRAY_SIZE(none); i++) {
		ASSERT_EQ(0, harness_select(none[i], i < 2 ? none[i] : NULL));
		listed(after, sizeof(after), &guard);
		EXPECT_STREQ(self->before, after);
		EXPECT_EQ(self->guard, guard);
	}
	EXPECT_EQ(TEST_TIMEOUT_DEFAULT, self->guard);
}

TEST_F(sel, names_pick_tests_by_name_or_fixture_and_set_the_guard)
{
	char after[1024];
	int guard;

	/* Order and spacing as given do not matter; the harness's order stays. */
	ASSERT_EQ(0, harness_select("  sel.unset_or_empty_keeps_every_test  "
				    "a_plain_test unknown_names_are_refused_and_nothing_changes",
				    "1800"));
	listed(after, sizeof(after), &guard);
	EXPECT_STREQ("global.a_plain_test "
		     "sel.unknown_names_are_refused_and_nothing_changes "
		     "sel.unset_or_empty_keeps_every_test", after);
	EXPECT_EQ(1800, guard);
}

TEST(a_plain_test)
{
	char all[1024];
	int guard;

	listed(all, sizeof(all), &guard);
	EXPECT_NE(NULL, strstr(all, "global.a_plain_test"));
}

CHARGERD_HARNESS_MAIN
