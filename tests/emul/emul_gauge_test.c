// SPDX-License-Identifier: GPL-2.0
/*
 * The upstream sbs-battery driver, which nobody here wrote, binds to the
 * emulated gauge and reports the same battery as the model.
 */
#include "kselftest_harness.h"
#define EMUL_TEST_REFERENCE_BOARD	/* see emul_load() */
#include "emul_test.h"

FIXTURE(gauge) {
	char psy[32];
};

FIXTURE_SETUP(gauge)
{
	ASSERT_EQ(0, sh("modprobe sbs-battery"));
	ASSERT_EQ(0, emul_load("create_clients=0"));
	ASSERT_EQ(0, knob_set("gauge_client", "1"));
	snprintf(self->psy, sizeof(self->psy), "sbs-%lld-000b", knob("bus"));
	ASSERT_EQ(1, psy_get(self->psy, "present")) {
		TH_LOG("no %s: did sbs-battery bind?", self->psy);
	}
}

FIXTURE_TEARDOWN(gauge)
{
	EXPECT_EQ(0, emul_unload());
}

/* Every figure sbs-battery reports, against the model (mA/mAh granularity). */
static void expect_same_battery(struct __test_metadata *_metadata, const char *psy)
{
	EXPECT_EQ(state("vbat_uv") / 1000 * 1000, psy_get(psy, "voltage_now"));
	EXPECT_EQ(state("ibat_ua") / 1000 * 1000, psy_get(psy, "current_now"));
	EXPECT_EQ(state("capacity_pct"), psy_get(psy, "capacity"));
	EXPECT_EQ(state("temp_dc"), psy_get(psy, "temp"));
	EXPECT_EQ(state("charge_uah") / 1000 * 1000, psy_get(psy, "charge_now"));
	EXPECT_EQ(state("full_uah") / 1000 * 1000, psy_get(psy, "charge_full"));
	EXPECT_EQ(state("cycle_count"), psy_get(psy, "cycle_count"));
}

TEST_F(gauge, charging_from_a_dcp)
{
	char st[32];

	ASSERT_EQ(0, knob_set("capacity_pct", "30"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, knob_set("advance_ms", "600000"));
	ASSERT_LT(0, state("ibat_ua"));
	expect_same_battery(_metadata, self->psy);
	psy_str(self->psy, "status", st, sizeof(st));
	EXPECT_STREQ("Charging", st);
	EXPECT_EQ(1000000, psy_get(self->psy, "charge_full_design"));
	EXPECT_EQ(1000000, psy_get(self->psy, "constant_charge_current_max"));
	EXPECT_EQ(4350000, psy_get(self->psy, "constant_charge_voltage_max"));
}

TEST_F(gauge, discharging_on_battery)
{
	char st[32];

	ASSERT_EQ(0, knob_set("sys_load_ma", "250"));
	ASSERT_EQ(0, knob_set("advance_ms", "600000"));
	EXPECT_EQ(-250000, psy_get(self->psy, "current_now"));
	expect_same_battery(_metadata, self->psy);
	psy_str(self->psy, "status", st, sizeof(st));
	EXPECT_STREQ("Discharging", st);
}

TEST_F(gauge, full_hot_and_aged)
{
	char st[32];

	ASSERT_EQ(0, knob_set("capacity_pct", "100"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_STREQ("done", state_str("charge"));
	psy_str(self->psy, "status", st, sizeof(st));
	EXPECT_STREQ("Full", st);

	ASSERT_EQ(0, knob_set("temp_dc", "475"));
	ASSERT_EQ(0, knob_set("full_uah", "720000"));
	ASSERT_EQ(0, knob_set("cycle_count", "412"));
	expect_same_battery(_metadata, self->psy);
	EXPECT_EQ(475, psy_get(self->psy, "temp"));
	EXPECT_EQ(720000, psy_get(self->psy, "charge_full"));
	EXPECT_EQ(412, psy_get(self->psy, "cycle_count"));
}

TEST_F(gauge, battery_removed_and_back)
{
	ASSERT_EQ(0, knob_set("battery_present", "0"));
	EXPECT_EQ(0, psy_get(self->psy, "present"));
	ASSERT_EQ(0, knob_set("battery_present", "1"));
	EXPECT_EQ(1, psy_get(self->psy, "present"));
	expect_same_battery(_metadata, self->psy);
}

CHARGERD_HARNESS_MAIN
