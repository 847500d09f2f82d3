// SPDX-License-Identifier: GPL-2.0
/*
 * The emulator's INT line, its fault injection on the bus, and its control
 * panel's refusal of bad input.
 */
#include "kselftest_harness.h"
#define EMUL_TEST_REFERENCE_BOARD	/* see emul_load() */
#include "emul_test.h"

FIXTURE(fault) {
	int fd;
};

FIXTURE_SETUP(fault)
{
	ASSERT_EQ(0, emul_load("create_clients=0"));
	self->fd = i2c_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(fault)
{
	close(self->fd);
	EXPECT_EQ(0, emul_unload());
}

/*
 * INT as the datasheet's "Interrupt to Host" lists it: a good input
 * source, the input removed, charge complete, a fault event. Not a
 * recovery (the NTC back to normal), not a status change between those,
 * not a steady state, not a register write.
 */
TEST_F(fault, int_fires_for_the_datasheet_events_only)
{
	long long n = knob("irq_count");

	EXPECT_EQ(0, n);
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* the power-up latch */
	ASSERT_EQ(0, knob_set("source", "dcp"));	/* a good input source */
	EXPECT_EQ(n + 1, knob("irq_count"));
	ASSERT_EQ(0, knob_set("advance_ms", "60000"));	/* nothing changes */
	EXPECT_EQ(n + 1, knob("irq_count"));
	ASSERT_EQ(0, knob_set("temp_dc", "650"));	/* a fault: NTC hot */
	EXPECT_EQ(n + 2, knob("irq_count"));
	ASSERT_EQ(0x06, rd(self->fd, 0x0c) & 0x07);	/* the host answers */
	ASSERT_EQ(0, knob_set("temp_dc", "250"));	/* the end of a fault */
	EXPECT_EQ(n + 2, knob("irq_count"));
	ASSERT_EQ(0, knob_set("capacity_pct", "100"));	/* charge complete */
	EXPECT_EQ(n + 3, knob("irq_count"));
	ASSERT_EQ(0, knob_set("capacity_pct", "80"));	/* a recharge: no INT */
	EXPECT_STREQ("fast", state_str("charge"));
	EXPECT_EQ(n + 3, knob("irq_count"));
	ASSERT_EQ(0, knob_set("source", "none"));	/* the input removed */
	EXPECT_EQ(n + 4, knob("irq_count"));
	/* A register write that changes no status raises nothing. */
	ASSERT_EQ(0, wr(self->fd, 0x07, 0x8c));
	EXPECT_EQ(n + 4, knob("irq_count"));
}

/*
 * A fault's INT holds back the INT of the next fault until the host has
 * read REG0C ("Interrupt to Host"); the latch keeps both meanwhile.
 */
TEST_F(fault, int_on_fault_events)
{
	long long n = knob("irq_count");

	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* the power-up latch */
	ASSERT_EQ(0, wr(self->fd, 0x04, 0x0f));
	ASSERT_EQ(0, knob_set("inject", "watchdog"));
	EXPECT_EQ(n + 1, knob("irq_count"));
	ASSERT_EQ(0, knob_set("inject", "bat-ovp"));	/* REG0C not read yet */
	EXPECT_EQ(n + 1, knob("irq_count"));
	EXPECT_EQ(0x88, rd(self->fd, 0x0c));		/* both, latched */
	ASSERT_EQ(0, knob_set("inject", "clear bat-ovp"));
	ASSERT_EQ(0, knob_set("inject", "thermal-shutdown"));
	EXPECT_EQ(n + 2, knob("irq_count"));
	/* a burst across REG0C is not the host's read of it */
	{
		unsigned char r[3];

		ASSERT_EQ(0, i2c_read(self->fd, CHG, 0x0b, r, 3));
	}
	ASSERT_EQ(0, knob_set("inject", "bat-ovp"));
	EXPECT_EQ(n + 2, knob("irq_count"));
	/* thermal, battery OVP, and default mode since the expiry */
	EXPECT_EQ(0xa8, rd(self->fd, 0x0c));
}

TEST_F(fault, spurious_interrupts_and_storms)
{
	long long n = knob("irq_count");

	ASSERT_EQ(0, knob_set("irq_fire", "3"));
	EXPECT_EQ(n + 3, knob("irq_count"));
	ASSERT_EQ(0, knob_set("irq_fire", "20000"));
	EXPECT_EQ(n + 20003, knob("irq_count"));
	/* The bus still works in the middle of it. */
	EXPECT_EQ(0x3d, rd(self->fd, 0x14));
}

TEST_F(fault, fail_next_n_with_each_errno)
{
	static const int codes[] = { ETIMEDOUT, EIO, ENXIO };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		ASSERT_EQ(0, knob_set("fail_errno", "%d", codes[i]));
		ASSERT_EQ(0, knob_set("fail_next", "2"));
		EXPECT_EQ(-codes[i], rd(self->fd, 0x14));
		EXPECT_EQ(-codes[i], wr(self->fd, 0x04, 0x0f));
		EXPECT_EQ(0x3d, rd(self->fd, 0x14));
	}
	/* The failed write changed nothing. */
	EXPECT_EQ(0x20, rd(self->fd, 0x04));
	EXPECT_EQ(6, knob("xfer_errors"));
}

/* A write that lands and still reports the failure; reads pass it by. */
TEST_F(fault, fail_after_write_lands_then_fails)
{
	ASSERT_EQ(0, knob_set("fail_after_write", "1"));
	EXPECT_EQ(0x3d, rd(self->fd, 0x14));		/* a read: not counted */
	EXPECT_EQ(1, knob("fail_after_write"));
	EXPECT_EQ(-EIO, wr(self->fd, 0x04, 0x0f));
	EXPECT_EQ(0, knob("fail_after_write"));
	EXPECT_EQ(0x0f, rd(self->fd, 0x04));		/* it landed */
	EXPECT_EQ(0, wr(self->fd, 0x04, 0x10));		/* once only */
	EXPECT_EQ(0x10, rd(self->fd, 0x04));
	EXPECT_EQ(1, knob("xfer_errors"));
}

static int count_failures(int fd, int n)
{
	int i, f = 0;

	for (i = 0; i < n; i++)
		if (rd(fd, 0x0b) < 0)
			f++;
	return f;
}

TEST_F(fault, seeded_error_rate_is_reproducible)
{
	int f1, f2;

	ASSERT_EQ(0, knob_set("fail_errno", "%d", EIO));
	ASSERT_EQ(0, knob_set("seed", "42"));
	ASSERT_EQ(0, knob_set("fail_rate_ppm", "10000"));	/* 1 % */
	f1 = count_failures(self->fd, 2000);
	ASSERT_EQ(0, knob_set("seed", "42"));
	f2 = count_failures(self->fd, 2000);
	EXPECT_EQ(f1, f2);
	/* 2000 draws at 1 %: 20 expected; this seed is well inside 5..45. */
	EXPECT_LE(5, f1);
	EXPECT_GE(45, f1);
	ASSERT_EQ(0, knob_set("fail_rate_ppm", "0"));
	EXPECT_EQ(0, count_failures(self->fd, 200));
}

TEST_F(fault, corrupt_the_next_read)
{
	ASSERT_EQ(0, knob_set("corrupt", "04 ff"));
	EXPECT_EQ(0x20 ^ 0xff, rd(self->fd, 0x04));
	EXPECT_EQ(0x20, rd(self->fd, 0x04));
}

/*
 * A stuck register holds its value: reads show it, the chip charges by
 * it (ICHG 0x30: 3072 mA), writes are acknowledged and ignored, a
 * power-on reset does not free it; freed, it keeps the value until a
 * write (README row 53).
 */
TEST_F(fault, stuck_register)
{
	char buf[64];

	ASSERT_EQ(0, knob_set("stick", "04 30"));
	EXPECT_EQ(0x30, rd(self->fd, 0x04));
	EXPECT_EQ(3072000, state("ichg_ua"));
	EXPECT_EQ(0, wr(self->fd, 0x04, 0x10));		/* acknowledged, ignored */
	EXPECT_EQ(0x30, rd(self->fd, 0x04));
	EXPECT_EQ(3072000, state("ichg_ua"));
	ASSERT_EQ(0, knob_set("inject", "por"));
	EXPECT_EQ(0x30, rd(self->fd, 0x04));
	EXPECT_EQ(3072000, state("ichg_ua"));
	ASSERT_EQ(0, knob_text("stick", buf, sizeof(buf)));
	EXPECT_STREQ("04 30\n", buf);
	ASSERT_EQ(0, knob_set("stick", "04 none"));
	EXPECT_EQ(0x30, rd(self->fd, 0x04));
	EXPECT_EQ(0, wr(self->fd, 0x04, 0x10));
	EXPECT_EQ(0x10, rd(self->fd, 0x04));
	EXPECT_EQ(1024000, state("ichg_ua"));
}

TEST_F(fault, bad_control_input_is_refused_and_changes_nothing)
{
	static const struct { const char *knob, *val; } bad[] = {
		{ "temp_dc", "abc" }, { "temp_dc", "-9999" }, { "temp_dc", "\n" },
		{ "source", "usb4" }, { "source", "\n" }, { "stick", "zz 01" },
		{ "stick", "04" }, { "stick", "99 01" }, { "inject", "bogus" },
		{ "fail_errno", "7" }, { "advance_ms", "-1" }, { "capacity_pct", "101" },
		{ "corrupt", "04 00" }, { "rate", "1e3" }, { "cable_mohm", "12abc" },
		{ "time_ms", "5" }, { "charge_uah", "2000000" }, { "full_uah", "2000000" },
		{ "irq_hold", "2" }, { "irq_hold", "on" }, { "fail_skip", "-1" },
		{ "fail_after_write", "-1" }, { "por_read_skip", "1001" },
		{ "suspend_irq", "-1" }, { "suspends", "0" }, { "xfers_suspended", "0" },
		{ "reg0c_burst_reads", "0" }, { "ts_fault", "broken" }, { "ts_fault", "" },
		{ "otg_consumer", "2" }, { "sleep_ms", "3600001" }, { "sleep_ms", "-5" },
	};
	char before[4096], after[4096];
	unsigned int i;

	ASSERT_EQ(0, knob_set("source", "sdp"));
	ASSERT_EQ(0, knob_text("state", before, sizeof(before)));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = knob_set(bad[i].knob, "%s", bad[i].val);

		EXPECT_TRUE(ret == -EINVAL || ret == -EPERM || ret == -EACCES) {
			TH_LOG("%s <- '%s' gave %d", bad[i].knob, bad[i].val, ret);
		}
	}
	ASSERT_EQ(0, knob_text("state", after, sizeof(after)));
	EXPECT_STREQ(before, after);
	EXPECT_EQ(0, knob("fail_next"));
	EXPECT_EQ(0, knob("fail_skip"));
	EXPECT_EQ(0, knob("fail_after_write"));
	EXPECT_EQ(0, knob("irq_hold"));
	EXPECT_EQ(0, knob("suspend_irq"));
	EXPECT_EQ(0, knob("sleep_ms"));
}

CHARGERD_HARNESS_MAIN
