// SPDX-License-Identifier: GPL-2.0
/*
 * The one way the agent walks a fault mask (for_each_fault) and writes
 * one as words (faults_join): every set bit once, in enum order, nothing
 * else, and a short buffer cut at a whole code.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
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

/* A charger's snapshot whose health reads h, its bus errors as given. */
static void health(struct snapshot *s, const char *h, long long i2c_errors)
{
	memset(s, 0, sizeof(*s));
	s->charger.present = true;
	snprintf(s->charger.health, sizeof(s->charger.health), "%s", h);
	s->charger.i2c_errors = i2c_errors;
	s->charger.voltage_now = 5000000;
}

/*
 * health is one value, the gravest (the driver's ranking): a fault ranked
 * below the one it shows cannot be read, and is kept, not ended; one
 * ranked above it would show, so it ended. Nothing read, nothing ends
 * (helper-78's class: a thermal shutdown said a safety timer's expiry
 * cleared, then raised it again, a second event; a bus error cleared
 * them all).
 */
TEST(a_fault_hidden_by_a_graver_one_is_kept)
{
	const uint32_t timer = FAULT_BIT(FAULT_SAFETY_TIMER), thermal = FAULT_BIT(FAULT_THERMAL_SHUTDOWN),
		       hot = FAULT_BIT(FAULT_HOT), nr = FAULT_BIT(FAULT_NO_RESPONSE);
	struct snapshot s;

	health(&s, "Overheat", 0);
	EXPECT_EQ(thermal | timer, faults_present(NULL, &s, timer));
	EXPECT_EQ(thermal | timer | hot, faults_present(NULL, &s, timer | hot));
	/*
	 * the timer shows again: CHRG_FAULT holds one of the two, so the
	 * shutdown is not known to have ended (the emulator keeps the latest)
	 */
	health(&s, "Safety timer expire", 0);
	EXPECT_EQ(timer | thermal, faults_present(NULL, &s, thermal | timer));
	EXPECT_EQ(timer | hot, faults_present(NULL, &s, timer | hot));
	/*
	 * read going from the shutdown back to the expiry it had before:
	 * the field holds the latest, so the shutdown ended
	 */
	{
		struct snapshot old;

		health(&old, "Overheat", 0);
		EXPECT_EQ(timer, faults_present(&old, &s, thermal | timer));
		/* a new one over it: the one before is hidden, kept */
		EXPECT_EQ(timer | thermal, faults_present(&old, &s, thermal));
	}
	/* the battery's over-voltage would show above an input fault: ended */
	health(&s, "Unspecified failure", 0);
	s.charger.voltage_now = 3000000;
	EXPECT_EQ(FAULT_BIT(FAULT_INPUT_COLLAPSE),
		  faults_present(NULL, &s, FAULT_BIT(FAULT_BATTERY_OVP)));
	/*
	 * one input fault read as another kind (VBUS gone under the latched
	 * value): CHRG_FAULT's same value, so the old kind ended, not two
	 * faults for one event (helper-82)
	 */
	{
		struct snapshot old;

		health(&old, "Over voltage", 0);
		EXPECT_EQ(FAULT_BIT(FAULT_INPUT_COLLAPSE),
			  faults_present(&old, &s, FAULT_BIT(FAULT_INPUT_OVP)));
		EXPECT_EQ(FAULT_BIT(FAULT_INPUT_COLLAPSE),
			  faults_present(NULL, &s, FAULT_BIT(FAULT_INPUT)));
	}
	/* and an input fault under it is hidden (helper-80: cleared, raised again) */
	EXPECT_EQ(FAULT_BIT(FAULT_INPUT_COLLAPSE) | thermal, faults_present(NULL, &s, thermal));
	health(&s, "Over voltage", 0);
	s.charger.faults_battery_ovp = 1;
	{
		struct snapshot old = s;

		old.charger.faults_battery_ovp = 0;
		EXPECT_EQ(FAULT_BIT(FAULT_BATTERY_OVP) | FAULT_BIT(FAULT_INPUT_COLLAPSE),
			  faults_present(&old, &s, FAULT_BIT(FAULT_INPUT_COLLAPSE)));
		/* a thermal shutdown would show above it: ended */
		EXPECT_EQ(FAULT_BIT(FAULT_BATTERY_OVP), faults_present(&old, &s, thermal));
	}
	/* the NTC's zone shows: the timer would show above it, so it ended */
	health(&s, "Hot", 0);
	EXPECT_EQ(hot, faults_present(NULL, &s, timer | hot));
	/* good, or a zone that is no fault: all ended */
	health(&s, "Good", 0);
	EXPECT_EQ(0u, faults_present(NULL, &s, thermal | timer | hot));
	health(&s, "Warm", 0);
	EXPECT_EQ(0u, faults_present(NULL, &s, hot | timer));
	/* not read: the bus not answering, or the read failed */
	health(&s, "Unknown", 3);
	EXPECT_EQ(nr | timer, faults_present(NULL, &s, timer));
	EXPECT_EQ(nr, faults_present(NULL, &s, 0));
	health(&s, "", 3);
	EXPECT_EQ(nr | thermal, faults_present(NULL, &s, thermal | nr));
	health(&s, "Unknown", 0);
	EXPECT_EQ(timer, faults_present(NULL, &s, timer));
	EXPECT_EQ(0u, faults_present(NULL, &s, 0));
	EXPECT_FALSE(faults_readable(&s.charger));
	/*
	 * a driver without the bus-error count: "Unknown" is its reading
	 * (no VBUS, say), nothing kept (helper-80: an input fault held a
	 * session open an hour on battery)
	 */
	health(&s, "Unknown", PSY_NONE);
	EXPECT_TRUE(faults_readable(&s.charger));
	EXPECT_EQ(0u, faults_present(NULL, &s, FAULT_BIT(FAULT_INPUT_COLLAPSE) | hot));
	/* no charger: none (its own rule, session.c's, keeps them) */
	s.charger.present = false;
	EXPECT_EQ(0u, faults_present(NULL, &s, timer));
}

/*
 * bq2589x_charger's "Unspecified failure" is an input fault with VBUS low
 * or settings the chip does not keep (config_unkept counts those): VBUS
 * low is the weak source; else the settings when the counter rose, or
 * they were the fault before, or one was counted and VBUS reads normal
 * (a restart in the middle of one); the weak source otherwise, and for a
 * driver without the counter. Ranked below
 * the timer's expiry and above the watchdog (bq_health()).
 */
TEST(unspecified_failure_is_settings_unkept_where_counted)
{
	const uint32_t unkept = FAULT_BIT(FAULT_SETTINGS_UNKEPT),
		       collapse = FAULT_BIT(FAULT_INPUT_COLLAPSE);
	struct snapshot s, old;

	health(&old, "Good", 0);
	health(&s, "Unspecified failure", 0);
	s.charger.config_unkept = 1;
	EXPECT_EQ(unkept, faults_present(&old, &s, 0));		/* rose */
	old = s;
	EXPECT_EQ(unkept, faults_present(&old, &s, unkept));	/* held */
	EXPECT_EQ(unkept, faults_present(NULL, &s, 0));		/* a restart */
	/* VBUS not read: the counter's rise or the fault before tell */
	s.charger.voltage_now = PSY_NONE;
	EXPECT_EQ(unkept, faults_present(&old, &s, unkept));
	EXPECT_EQ(collapse, faults_present(&old, &s, 0));
	/* VBUS low: the weak source, whatever came before */
	s.charger.voltage_now = 3000000;
	old = s;
	EXPECT_EQ(collapse, faults_present(&old, &s, 0));
	/* and the settings before it, ranked below it, hidden: kept, not ended */
	EXPECT_EQ(collapse | unkept, faults_present(&old, &s, unkept));
	/* no counter (another driver), or none counted: the weak source */
	s.charger.voltage_now = 5000000;
	s.charger.config_unkept = PSY_NONE;
	EXPECT_EQ(collapse, faults_present(NULL, &s, 0));
	s.charger.config_unkept = 0;
	EXPECT_EQ(collapse, faults_present(NULL, &s, 0));
	/* a timer's expiry would show above it: ended; the watchdog and hot under it: kept */
	s.charger.config_unkept = 1;
	old = s;
	EXPECT_EQ(unkept | FAULT_BIT(FAULT_WATCHDOG) | FAULT_BIT(FAULT_HOT),
		  faults_present(&old, &s, unkept | FAULT_BIT(FAULT_SAFETY_TIMER) |
			       FAULT_BIT(FAULT_WATCHDOG) | FAULT_BIT(FAULT_HOT)));
	EXPECT_STREQ("settings-unkept", fault_code(FAULT_SETTINGS_UNKEPT));
	EXPECT_EQ(FAULT_SETTINGS_UNKEPT, fault_from_code("settings-unkept"));
}

/*
 * What the chip charges through (the LED's hand-back asks): only a charge
 * fault or a thermistor limit stops it; an unread health stops nothing.
 */
TEST(health_that_stops_charging)
{
	static const struct {
		const char *health;
		bool stops;
	} cases[] = {
		{ "Overheat", true }, { "Over voltage", true },
		{ "Unspecified failure", true }, { "Safety timer expire", true },
		{ "Hot", true }, { "Cold", true }, { "Dead", true },
		{ "Over current", true }, { "No battery", true },
		{ "Good", false }, { "Warm", false }, { "Cool", false },
		{ "Watchdog timer expire", false }, { "Calibration required", false },
		{ "Unknown", false }, { "", false },
		{ "safety timer expire", false }, { "Cold ", false },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		EXPECT_EQ(cases[i].stops, health_stops_charging(cases[i].health)) {
			TH_LOG("case %u", i);
		}
}

/* The faults as a restart finds them: back as they were, or refused whole. */
TEST(the_faults_line)
{
	static const char *const bad[] = {
		"", "\n", "0", "0 ", "0 -\n\n", " 0 -", "0  -", "-1 -", "+1 -", "0 nonsense",
		"0 - ", "0 -x", "0 hot\nx", "18446744073709551616 -", "x -",
	};
	char line[FAULTS_STATE_LINE_MAX], bits[32];
	uint32_t active = 0, all = (1u << FAULT__COUNT) - 1;
	int last = -1;
	unsigned int i;

	faults_state_format(FAULT_BIT(FAULT_HOT) | FAULT_BIT(FAULT_SAFETY_TIMER), FAULT_HOT, line,
			    sizeof(line));
	ASSERT_EQ(0, faults_state_parse(line, &active, &last));
	EXPECT_EQ(FAULT_BIT(FAULT_HOT) | FAULT_BIT(FAULT_SAFETY_TIMER), active);
	EXPECT_EQ(FAULT_HOT, last);
	faults_state_format(0, FAULT__COUNT, line, sizeof(line));
	EXPECT_STREQ("0 -\n", line);
	ASSERT_EQ(0, faults_state_parse(line, &active, &last));
	EXPECT_EQ(0u, active);
	EXPECT_EQ(FAULT__COUNT, last);
	/* every fault, the longest code: it fits */
	for (i = 0; i < FAULT__COUNT; i++) {
		faults_state_format(all, i, line, sizeof(line));
		ASSERT_EQ(0, faults_state_parse(line, &active, &last)) TH_LOG("%s", line);
		EXPECT_EQ(all, active);
		EXPECT_EQ((int)i, last);
	}
	/* a bit this version does not know: another version's */
	snprintf(bits, sizeof(bits), "%u -\n", 1u << FAULT__COUNT);
	EXPECT_EQ(-EINVAL, faults_state_parse(bits, &active, &last));
	active = 7;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *l = bad[i];

		EXPECT_EQ(-EINVAL, faults_state_parse(l, &active, &last)) {
			TH_LOG("\"%s\"", l);
		}
	}
	EXPECT_EQ(7u, active);
}

/*
 * The charger's fault counters as a restart finds them: the same device's
 * rises are the faults that came and went while chargerd was down
 * (helper-79: none was said); another device's (a rebind, counting from
 * 0 again) say nothing. The line an older chargerd left (no
 * CONFIG_OVERWRITTEN) still reads, that counter unread: an upgrade keeps
 * what came and went meanwhile.
 */
TEST(fault_counters_round_trip_and_compare)
{
	static const char *const bad[] = {
		"", "\n", "0 1 2 3 4 5 6 7\n", "7 1 2 3 4 5 6\n", "7 1 2 3 4 5 6 7",
		"7 1 2 3 4 5 6 7 8 9\n", "7 1 2 3 4 5 6 -1\n", "7 +1 2 3 4 5 6 7\n",
		"7 1 2 3 4 5 6 7 x\n", "7 1 2 3 4 5 6 7 8 \n", "7 1 2 3 4 5 6 7 -1\n",
		"7  1 2 3 4 5 6 7\n", "7 1 2 3 4 5 6 7\n\n", "7 1 2 3 4 5 6 x\n",
		"7 1 2 3 4 5 6 9223372036854775808\n", "-7 1 2 3 4 5 6 7\n",
		"7 1 2 3 4 5 6 7 \n", " 7 1 2 3 4 5 6 7\n", "7 -- 2 3 4 5 6 7\n",
	};
	struct snapshot s;
	struct fault_counters c, back;
	char line[FAULT_COUNTERS_LINE_MAX];
	unsigned int i;

	memset(&s, 0, sizeof(s));
	s.charger.present = true;
	s.charger.ino = 4242;
	s.charger.faults_watchdog = 1;
	s.charger.chip_resets = 1;
	s.charger.faults_boost = PSY_NONE;
	s.charger.faults_input = 2;
	s.charger.faults_thermal_shutdown = 0;
	s.charger.faults_safety_timer = 0;
	s.charger.faults_battery_ovp = LLONG_MAX;
	s.charger.config_overwritten = 3;
	fault_counters_of(&s.charger, &c);
	fault_counters_format(&c, line, sizeof(line));
	EXPECT_STREQ("4242 1 1 - 2 0 0 9223372036854775807 3\n", line);
	ASSERT_EQ(0, fault_counters_parse(line, &back));
	EXPECT_EQ(0, memcmp(&c, &back, sizeof(c)));
	/* nothing rose: nothing */
	EXPECT_EQ(0u, faults_occurred_since(&c, &s));
	/* a safety timer and an input fault came and went; boost unread before */
	s.charger.faults_safety_timer = 1;
	s.charger.faults_input = 3;
	s.charger.faults_boost = 1;
	EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER) | FAULT_BIT(FAULT_INPUT),
		  faults_occurred_since(&c, &s));
	/* a chip reset with no watchdog expiry is a chip reset */
	s.charger.chip_resets = 2;
	EXPECT_TRUE(faults_occurred_since(&c, &s) & FAULT_BIT(FAULT_CHIP_RESET));
	/* another bus master's write, undone */
	EXPECT_FALSE(faults_occurred_since(&c, &s) & FAULT_BIT(FAULT_SETTINGS_OVERWRITTEN));
	s.charger.config_overwritten = 4;
	EXPECT_TRUE(faults_occurred_since(&c, &s) & FAULT_BIT(FAULT_SETTINGS_OVERWRITTEN));
	EXPECT_STREQ("settings-overwritten", fault_code(FAULT_SETTINGS_OVERWRITTEN));
	/* an older chargerd's line: that counter unread, the rest as it was */
	ASSERT_EQ(0, fault_counters_parse("4242 1 2 - 2 0 0 9223372036854775807\n", &back));
	EXPECT_EQ(PSY_NONE, back.config_overwritten);
	EXPECT_EQ(2, back.chip_resets);
	EXPECT_EQ(LLONG_MAX, back.battery_ovp);
	EXPECT_EQ(FAULT_BIT(FAULT_SAFETY_TIMER) | FAULT_BIT(FAULT_INPUT),
		  faults_occurred_since(&back, &s));
	/* another device (rebound), or none, or none saved: nothing */
	s.charger.ino = 4243;
	EXPECT_EQ(0u, faults_occurred_since(&c, &s));
	s.charger.ino = 4242;
	s.charger.present = false;
	EXPECT_EQ(0u, faults_occurred_since(&c, &s));
	s.charger.present = true;
	c.ino = 0;
	EXPECT_EQ(0u, faults_occurred_since(&c, &s));
	/* not known: none saved */
	s.charger.ino = 0;
	fault_counters_of(&s.charger, &c);
	EXPECT_EQ(0u, c.ino);
	back.ino = 9;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, fault_counters_parse(bad[i], &back)) {
			TH_LOG("\"%s\"", bad[i]);
		}
	}
	EXPECT_EQ(9u, back.ino);
}

TEST_HARNESS_MAIN
