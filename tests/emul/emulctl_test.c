// SPDX-License-Identifier: GPL-2.0
/*
 * emulctl, the friendly front of the emulator's debugfs panel: each verb
 * lands in the right knob with the right units, and a bad command changes
 * nothing and says why.
 */
#include "kselftest_harness.h"
#define EMUL_TEST_REFERENCE_BOARD	/* see emul_load() */
#include "emul_test.h"

FIXTURE(ctl) {
	int unused;
};

FIXTURE_SETUP(ctl)
{
	ASSERT_EQ(0, emul_load("create_clients=0"));
}

FIXTURE_TEARDOWN(ctl)
{
	EXPECT_EQ(0, emul_unload());
}

TEST_F(ctl, plug_with_adapter_and_cable)
{
	ASSERT_EQ(0, sh("emulctl plug dcp --max-ma 1500 --cable-mohm 150"));
	EXPECT_STREQ("dcp", state_str("source"));
	EXPECT_EQ(1500, knob("source_max_ma"));
	EXPECT_EQ(150, knob("cable_mohm"));
	EXPECT_EQ(5000, knob("source_mv"));
	ASSERT_EQ(0, sh("emulctl unplug"));
	EXPECT_STREQ("none", state_str("source"));
}

TEST_F(ctl, units)
{
	ASSERT_EQ(0, sh("emulctl temp 47.5"));
	EXPECT_EQ(475, knob("temp_dc"));
	ASSERT_EQ(0, sh("emulctl temp -5"));
	EXPECT_EQ(-50, knob("temp_dc"));
	ASSERT_EQ(0, sh("emulctl advance 10m"));
	EXPECT_EQ(600000, knob("time_ms"));
	ASSERT_EQ(0, sh("emulctl advance 1.5s"));
	EXPECT_EQ(601500, knob("time_ms"));
	ASSERT_EQ(0, sh("emulctl i2c fail-rate 1%% 42"));
	EXPECT_EQ(10000, knob("fail_rate_ppm"));
	ASSERT_EQ(0, sh("emulctl i2c off"));
	EXPECT_EQ(0, knob("fail_rate_ppm"));
	/* an errno by name or number (helper-71: names were refused) */
	ASSERT_EQ(0, sh("emulctl i2c errno EIO"));
	EXPECT_EQ(5, knob("fail_errno"));
	ASSERT_EQ(0, sh("emulctl i2c fail-next 0 etimedout"));
	EXPECT_EQ(110, knob("fail_errno"));
	ASSERT_EQ(0, sh("emulctl i2c errno 6"));
	EXPECT_EQ(6, knob("fail_errno"));
	ASSERT_EQ(0, sh("emulctl battery capacity 35"));
	EXPECT_EQ(35, knob("capacity_pct"));
	ASSERT_EQ(0, sh("emulctl load 120"));
	EXPECT_EQ(120, knob("sys_load_ma"));
}

TEST_F(ctl, faults_and_views)
{
	ASSERT_EQ(0, sh("emulctl fault bat-ovp"));
	EXPECT_EQ(0, sh("emulctl faults | grep -qx bat-ovp"));
	ASSERT_EQ(0, sh("emulctl fault clear bat-ovp"));
	EXPECT_EQ(1, sh("emulctl faults | grep -q ."));
	EXPECT_EQ(0, sh("emulctl regs | grep -qx '14: 3d'"));
	EXPECT_EQ(0, sh("emulctl stats | grep -q '^xfers='"));
	EXPECT_EQ(0, sh("emulctl state | grep -qx 'zone=normal'"));
	ASSERT_EQ(0, sh("emulctl i2c stick 04 55"));
	EXPECT_EQ(0, sh("emulctl stuck | grep -qx '04 55'"));
}

/* Time runs at a multiple of real time when asked, and only then. */
TEST_F(ctl, real_time_rate)
{
	long long t0, t1;

	ASSERT_EQ(0, sh("emulctl rate 10"));
	usleep(1000000);
	ASSERT_EQ(0, sh("emulctl rate 0"));
	t0 = knob("time_ms");
	EXPECT_LT(0, t0);
	usleep(300000);
	t1 = knob("time_ms");
	EXPECT_EQ(t0, t1);
}

TEST_F(ctl, bad_commands_fail_and_change_nothing)
{
	static const char * const bad[] = {
		"emulctl", "emulctl frobnicate", "emulctl temp hot", "emulctl advance 5x",
		"emulctl plug", "emulctl plug usb4", "emulctl plug dcp --max-ma lots",
		"emulctl i2c fail-rate 150%", "emulctl battery capacity 101",
		"emulctl fault meltdown", "emulctl set time_ms 5",
	};
	char before[4096], after[4096];
	unsigned int i;

	ASSERT_EQ(0, knob_text("state", before, sizeof(before)));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_NE(0, sh("%s 2>/dev/null", bad[i])) {
			TH_LOG("'%s' succeeded", bad[i]);
		}
	ASSERT_EQ(0, knob_text("state", after, sizeof(after)));
	EXPECT_STREQ(before, after);
	EXPECT_EQ(0, knob("fail_rate_ppm"));
}

CHARGERD_HARNESS_MAIN
