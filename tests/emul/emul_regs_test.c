// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual BQ25895's register semantics, seen over i2c-dev the way a
 * driver sees them: identity, defaults, read-only and reserved bits, the
 * REG0C latch, self-clearing bits, resets, the watchdog, the ADC and the
 * bus itself. The emulator is loaded without clients, so no driver talks
 * to the chip behind the test's back.
 */
#include "kselftest_harness.h"
#define EMUL_TEST_REFERENCE_BOARD	/* see emul_load() */
#include "emul_test.h"

static const unsigned char defaults[] = {
	0x48, 0x06, 0x3d, 0x1a, 0x20, 0x13, 0x5e, 0x9c, 0x03, 0x44, 0x73,
};

FIXTURE(regs) {
	int fd;
};

FIXTURE_SETUP(regs)
{
	ASSERT_EQ(0, emul_load("create_clients=0"));
	self->fd = i2c_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(regs)
{
	close(self->fd);
	EXPECT_EQ(0, emul_unload());
}

TEST_F(regs, identifies_as_bq25895)
{
	int v = rd(self->fd, 0x14);

	ASSERT_LE(0, v);
	EXPECT_EQ(7, (v >> 3) & 7);	/* PN */
	EXPECT_EQ(1, v & 3);		/* DEV_REV */
}

TEST_F(regs, power_on_defaults)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(defaults); i++)
		EXPECT_EQ(defaults[i], rd(self->fd, i)) {
			TH_LOG("REG%02X", i);
		}
	EXPECT_EQ(0x12, rd(self->fd, 0x0d));
	/* Nothing plugged: no VBUS, not charging. */
	EXPECT_EQ(0, rd(self->fd, 0x0b));
	/* Default mode after power-up: WATCHDOG_FAULT high until a write. */
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
}

/*
 * SLUSC88A 8.3.1, "Host Mode and Default Mode": "When the charger is in
 * default mode, WATCHDOG_FAULT bit is HIGH. When the charger is in host
 * mode, WATCHDOG_FAULT bit is LOW", and "any write command to device
 * transitions the charger from default mode to host mode". It is the
 * mode, on every read, not a latch that one read clears. The first read
 * after the write still reports it: it gives the status since the last
 * read (8.2.9.2, "Interrupt to Host"), and the chip was in default mode
 * until the write. REG_RST, a write too, leaves the chip in host mode
 * (assumed, see emul_chip.c).
 */
TEST_F(regs, watchdog_fault_is_high_for_as_long_as_default_mode)
{
	int i;

	for (i = 0; i < 3; i++)
		EXPECT_EQ(0x80, rd(self->fd, 0x0c)) TH_LOG("read %d", i);
	EXPECT_EQ(0, state("host_mode"));
	EXPECT_EQ(0, wr(self->fd, 0x07, 0x8c));		/* any write */
	EXPECT_EQ(1, state("host_mode"));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));		/* since the last read */
	EXPECT_EQ(0, rd(self->fd, 0x0c));		/* the present */
	EXPECT_EQ(0, rd(self->fd, 0x0c));
	ASSERT_EQ(0, knob_set("inject", "por"));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
	EXPECT_EQ(0, wr(self->fd, 0x14, 0x80));		/* REG_RST */
	EXPECT_EQ(1, state("host_mode"));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
	EXPECT_EQ(0, rd(self->fd, 0x0c));
	/* a write in host mode leaves nothing to report */
	EXPECT_EQ(0, wr(self->fd, 0x07, 0x8c));
	EXPECT_EQ(0, rd(self->fd, 0x0c));
}

/*
 * Datasheet, "Multi-Read and Multi-Write": REG0C is the one register that
 * cannot be burst. Inside any multi-byte read it reads 0x00 and the latch
 * stays as it was; the bytes around it are right.
 */
TEST_F(regs, reg0c_in_a_burst_reads_zero_and_keeps_the_latch)
{
	unsigned char r[0x15];

	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* the power-up latch */
	ASSERT_EQ(0, wr(self->fd, 0x07, 0x8c));		/* host mode */
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* default mode until then */
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, knob_set("inject", "bat-ovp"));
	ASSERT_EQ(0, knob_set("inject", "clear bat-ovp"));
	ASSERT_EQ(0, knob_set("stats", "0"));

	/* across it, starting at it, ending at it, the whole file */
	ASSERT_EQ(0, i2c_read(self->fd, CHG, 0x0b, r, 3));
	EXPECT_EQ(rd(self->fd, 0x0b), r[0]);
	EXPECT_EQ(0x00, r[1]);
	EXPECT_EQ(rd(self->fd, 0x0d), r[2]);
	ASSERT_EQ(0, i2c_read(self->fd, CHG, 0x0c, r, 2));
	EXPECT_EQ(0x00, r[0]);
	ASSERT_EQ(0, i2c_read(self->fd, CHG, 0x0a, r, 3));
	EXPECT_EQ(0x00, r[2]);
	ASSERT_EQ(0, i2c_read(self->fd, CHG, 0x00, r, sizeof(r)));
	EXPECT_EQ(0x00, r[0x0c]);
	EXPECT_EQ(0x3d | 0x40, r[0x14]);
	EXPECT_EQ(4, knob("reg0c_burst_reads"));

	/* the latch is still there for the single read, then the present */
	EXPECT_EQ(0x08, rd(self->fd, 0x0c));
	EXPECT_EQ(0x00, rd(self->fd, 0x0c));
	EXPECT_EQ(4, knob("reg0c_burst_reads"));
}

/*
 * A power-on reset, injected or by putting the battery back, starts the
 * chip in default mode with WATCHDOG_FAULT latched ("Host Mode and Default
 * Mode"): the watchdog does not run until the host writes.
 */
TEST_F(regs, power_on_reset_starts_in_default_mode_with_the_watchdog_fault)
{
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
	EXPECT_EQ(0, wr(self->fd, 0x04, 0x0f));		/* host mode */
	EXPECT_EQ(1, state("host_mode"));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));		/* default mode until the write */
	EXPECT_EQ(0, rd(self->fd, 0x0c));

	ASSERT_EQ(0, knob_set("inject", "por"));
	EXPECT_EQ(0, state("host_mode"));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
	ASSERT_EQ(0, knob_set("advance_ms", "200000"));	/* default mode: no expiry */
	EXPECT_EQ(1, knob("resets"));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));

	ASSERT_EQ(0, wr(self->fd, 0x04, 0x0f));		/* host mode */
	ASSERT_EQ(0, knob_set("battery_present", "0"));
	ASSERT_EQ(0, knob_set("battery_present", "1"));
	EXPECT_EQ(0x20, rd(self->fd, 0x04));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
}

TEST_F(regs, read_only_registers_ignore_writes)
{
	static const int ro[] = { 0x0b, 0x0c, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13 };
	unsigned int i;

	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* the power-up latch */
	ASSERT_EQ(0, wr(self->fd, 0x07, 0x8c));		/* host mode */
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* default mode until then */
	ASSERT_EQ(0, knob_set("source", "dcp"));
	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		int before = rd(self->fd, ro[i]);

		/* The chip acknowledges the write and keeps its value. */
		EXPECT_EQ(0, wr(self->fd, ro[i], 0xff ^ before));
		EXPECT_EQ(before, rd(self->fd, ro[i])) {
			TH_LOG("REG%02X", ro[i]);
		}
	}
	/* REG14: only REG_RST is writable. */
	EXPECT_EQ(0, wr(self->fd, 0x14, 0x07));
	EXPECT_EQ(0x3d | 0x40, rd(self->fd, 0x14));	/* ICO_OPTIMIZED after plug */
}

TEST_F(regs, reserved_bits_stay_zero)
{
	EXPECT_EQ(0, wr(self->fd, 0x07, 0xff));
	EXPECT_EQ(0xfe, rd(self->fd, 0x07));
	EXPECT_EQ(0, wr(self->fd, 0x03, 0xff));
	EXPECT_EQ(0xbe, rd(self->fd, 0x03));	/* bit 0 reserved, WD_RST clears */
	EXPECT_EQ(0, wr(self->fd, 0x09, 0x7f));
	EXPECT_EQ(0x6f, rd(self->fd, 0x09));	/* bit 4 reserved */
	EXPECT_EQ(0, wr(self->fd, 0x04, 0xa5));
	EXPECT_EQ(0xa5, rd(self->fd, 0x04));
}

TEST_F(regs, auto_increment_across_registers)
{
	unsigned char b[4] = { 0x04, 0x10, 0x21, 0x7e };
	struct i2c_msg msg = { .addr = CHG, .flags = 0, .len = 4, .buf = b };
	struct i2c_rdwr_ioctl_data x = { .msgs = &msg, .nmsgs = 1 };
	unsigned char r[3];

	ASSERT_LE(0, ioctl(self->fd, I2C_RDWR, &x));
	ASSERT_EQ(0, i2c_read(self->fd, CHG, 0x04, r, 3));
	EXPECT_EQ(0x10, r[0]);
	EXPECT_EQ(0x21, r[1]);
	EXPECT_EQ(0x7e, r[2]);
}

TEST_F(regs, reg0c_latches_then_reports_present)
{
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* the power-up latch */
	ASSERT_EQ(0, wr(self->fd, 0x07, 0x8c));		/* host mode */
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* default mode until then */
	ASSERT_EQ(0, knob_set("inject", "bat-ovp"));
	ASSERT_EQ(0, knob_set("inject", "clear bat-ovp"));
	/* The fault came and went before the host looked. */
	EXPECT_EQ(0x08, rd(self->fd, 0x0c));
	EXPECT_EQ(0x00, rd(self->fd, 0x0c));

	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, knob_set("inject", "vbus-ovp"));
	ASSERT_EQ(0, knob_set("inject", "clear vbus-ovp"));
	EXPECT_EQ(0x10, rd(self->fd, 0x0c));	/* CHRG_FAULT 01: input */
	EXPECT_EQ(0x00, rd(self->fd, 0x0c));

	/* A fault still present shows on both reads. */
	ASSERT_EQ(0, knob_set("inject", "bat-ovp"));
	EXPECT_EQ(0x08, rd(self->fd, 0x0c));
	EXPECT_EQ(0x08, rd(self->fd, 0x0c));
}

/*
 * An adapter above the over-voltage threshold ("Input Overvoltage"): the
 * input is not qualified, so detection does not run (VBUS_STAT 000), no
 * power good, VBUS_GD 0, CHRG_FAULT input; the VBUS ADC reads its top,
 * 15.3 V (REG11), not 0.
 */
TEST_F(regs, an_over_voltage_adapter)
{
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* the power-up latch */
	ASSERT_EQ(0, wr(self->fd, 0x07, 0x8c));		/* host mode */
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* default mode until then */
	ASSERT_EQ(0, knob_set("source_mv", "16000"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	EXPECT_EQ(0, rd(self->fd, 0x0b) & 0xe4);	/* VBUS_STAT 000, PG 0 */
	EXPECT_EQ(0x10, rd(self->fd, 0x0c));		/* input fault, latched */
	EXPECT_EQ(0x10, rd(self->fd, 0x0c));		/* and present */
	EXPECT_EQ(0x48, rd(self->fd, 0x00));		/* detection did not set IINLIM */
	EXPECT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x80));	/* one-shot conversion */
	ASSERT_EQ(0, knob_set("advance_ms", "1000"));
	EXPECT_EQ(0x7f, rd(self->fd, 0x11));		/* 15.3 V, VBUS_GD 0 */

	/* back under the threshold: qualified, detected, good */
	ASSERT_EQ(0, knob_set("source_mv", "5000"));
	EXPECT_EQ(0x64, rd(self->fd, 0x0b) & 0xe4);	/* DCP, PG */
	EXPECT_EQ(0x80, rd(self->fd, 0x11) & 0x80);	/* VBUS_GD, live */

	/* over-voltage after detection: the source's kind stays, PG goes */
	ASSERT_EQ(0, knob_set("inject", "vbus-ovp"));
	EXPECT_EQ(0x60, rd(self->fd, 0x0b) & 0xe4);
	EXPECT_EQ(0, rd(self->fd, 0x11) & 0x80);
}

/*
 * REG0D: "reset to default value when input source is plugged-in", and its
 * VINDPM "read only when FORCE_VINDPM=0" (datasheet, REG0D). An absolute
 * threshold written for one adapter is gone at the next plug-in, where the
 * relative one (VBUS less VINDPM_OS, 600 mV) is in force.
 */
TEST_F(regs, a_plug_in_resets_reg0d)
{
	ASSERT_EQ(0, knob_set("source", "dcp"));
	EXPECT_EQ((5000 - 600 - 2600) / 100, rd(self->fd, 0x0d));	/* relative */
	/* relative mode: a threshold written alone is not taken */
	ASSERT_EQ(0, wr(self->fd, 0x0d, 60));
	EXPECT_EQ((5000 - 600 - 2600) / 100, rd(self->fd, 0x0d));
	/* absolute: taken, and kept while the adapter stays */
	ASSERT_EQ(0, wr(self->fd, 0x0d, 0x80 | 58));		/* 8.4 V */
	EXPECT_EQ(0x80 | 58, rd(self->fd, 0x0d));
	ASSERT_EQ(0, knob_set("advance_ms", "1000"));
	EXPECT_EQ(0x80 | 58, rd(self->fd, 0x0d));
	/* another adapter: back to the relative threshold */
	ASSERT_EQ(0, knob_set("source", "none"));
	EXPECT_EQ(0x80 | 58, rd(self->fd, 0x0d));		/* nothing plugged in yet */
	ASSERT_EQ(0, knob_set("source", "sdp"));
	EXPECT_EQ((5000 - 600 - 2600) / 100, rd(self->fd, 0x0d));
	/* and from absolute back to relative by a write */
	ASSERT_EQ(0, wr(self->fd, 0x0d, 0x80 | 58));
	ASSERT_EQ(0, wr(self->fd, 0x0d, 0));
	EXPECT_EQ((5000 - 600 - 2600) / 100, rd(self->fd, 0x0d));
}

TEST_F(regs, ntc_fault_is_always_present_state)
{
	ASSERT_EQ(0, knob_set("temp_dc", "650"));
	EXPECT_EQ(6, rd(self->fd, 0x0c) & 7);	/* hot */
	EXPECT_EQ(6, rd(self->fd, 0x0c) & 7);
	ASSERT_EQ(0, knob_set("temp_dc", "250"));
	EXPECT_EQ(0, rd(self->fd, 0x0c) & 7);	/* not latched */
}

TEST_F(regs, self_clearing_bits)
{
	EXPECT_EQ(0, wr(self->fd, 0x03, 0x1a | 0x40));	/* WD_RST */
	EXPECT_EQ(0x1a, rd(self->fd, 0x03));
	EXPECT_EQ(0, wr(self->fd, 0x09, 0x44 | 0x80));	/* FORCE_ICO */
	EXPECT_EQ(0x44, rd(self->fd, 0x09));
	EXPECT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x02));	/* FORCE_DPDM */
	EXPECT_EQ(0x3d, rd(self->fd, 0x02));

	/* CONV_START holds for the conversion time, then clears. */
	ASSERT_EQ(1000, knob("adc_ms"));
	EXPECT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x80));
	EXPECT_EQ(0x3d | 0x80, rd(self->fd, 0x02));
	ASSERT_EQ(0, knob_set("advance_ms", "999"));
	EXPECT_EQ(0x3d | 0x80, rd(self->fd, 0x02));
	ASSERT_EQ(0, knob_set("advance_ms", "1"));
	EXPECT_EQ(0x3d, rd(self->fd, 0x02));
}

TEST_F(regs, reg_rst_restores_defaults)
{
	unsigned int i;

	EXPECT_EQ(0, wr(self->fd, 0x04, 0x0f));
	EXPECT_EQ(0, wr(self->fd, 0x06, 0x7e));
	EXPECT_EQ(0, wr(self->fd, 0x07, 0x8c));
	EXPECT_EQ(0, wr(self->fd, 0x14, 0x80));
	for (i = 0; i < ARRAY_SIZE(defaults); i++)
		EXPECT_EQ(defaults[i], rd(self->fd, i)) {
			TH_LOG("REG%02X", i);
		}
	EXPECT_EQ(0x3d, rd(self->fd, 0x14));	/* REG_RST cleared itself */
	EXPECT_EQ(1, knob("resets"));
}

/*
 * REG_RST resets the registers, not REG0C's latch (TI's answer on E2E,
 * "BQ25895: Reset bit behavior": REG0C has no reset value), and it is not
 * a power-on reset: no WATCHDOG_FAULT either.
 */
TEST_F(regs, reg_rst_keeps_the_fault_latch)
{
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* the power-up latch */
	ASSERT_EQ(0, wr(self->fd, 0x07, 0x8c));		/* host mode */
	ASSERT_EQ(0x80, rd(self->fd, 0x0c));		/* default mode until then */
	ASSERT_EQ(0, knob_set("inject", "bat-ovp"));
	ASSERT_EQ(0, knob_set("inject", "clear bat-ovp"));
	EXPECT_EQ(0, wr(self->fd, 0x14, 0x80));
	EXPECT_EQ(0x08, rd(self->fd, 0x0c));
	EXPECT_EQ(0x00, rd(self->fd, 0x0c));
}

TEST_F(regs, injected_power_on_reset_restores_defaults)
{
	EXPECT_EQ(0, wr(self->fd, 0x04, 0x0f));
	EXPECT_EQ(0, wr(self->fd, 0x07, 0x8c));
	ASSERT_EQ(0, knob_set("inject", "por"));
	EXPECT_EQ(0x20, rd(self->fd, 0x04));
	EXPECT_EQ(0x9c, rd(self->fd, 0x07));
}

TEST_F(regs, watchdog_expiry_resets_and_breaks_the_envelope)
{
	/* The host takes over (960 mA); the 40 s watchdog runs. */
	EXPECT_EQ(0, wr(self->fd, 0x04, 0x0f));
	EXPECT_EQ(0, knob("envelope_violations"));
	ASSERT_EQ(0, knob_set("advance_ms", "39999"));
	EXPECT_EQ(0x0f, rd(self->fd, 0x04));
	ASSERT_EQ(0, knob_set("advance_ms", "1"));
	EXPECT_EQ(0x20, rd(self->fd, 0x04));		/* back to 2048 mA */
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));		/* WATCHDOG_FAULT: default mode */
	EXPECT_EQ(0x80, rd(self->fd, 0x0c));
	EXPECT_EQ(1, knob("resets"));
	/* Back in default mode the watchdog does not run ... */
	ASSERT_EQ(0, knob_set("advance_ms", "200000"));
	EXPECT_EQ(1, knob("resets"));
	/* ... and the host is not in control: no violation yet. */
	EXPECT_EQ(0, knob("envelope_violations"));
	/*
	 * A host that writes anything but the limits first takes control of
	 * a chip at 2048 mA, above the 1 A cell's limit.
	 */
	EXPECT_EQ(0, wr(self->fd, 0x07, 0x8c));
	EXPECT_EQ(1, knob("envelope_violations"));
	EXPECT_EQ(0, wr(self->fd, 0x04, 0x0f));
	EXPECT_EQ(0, wr(self->fd, 0x07, 0x8c));
	EXPECT_EQ(1, knob("envelope_violations"));
}

TEST_F(regs, watchdog_kicked_or_off_does_not_expire)
{
	EXPECT_EQ(0, wr(self->fd, 0x04, 0x0f));
	ASSERT_EQ(0, knob_set("advance_ms", "30000"));
	EXPECT_EQ(0, wr(self->fd, 0x03, 0x1a | 0x40));	/* WD_RST */
	ASSERT_EQ(0, knob_set("advance_ms", "30000"));
	EXPECT_EQ(0x0f, rd(self->fd, 0x04));
	EXPECT_EQ(0, wr(self->fd, 0x07, 0x8c));		/* WATCHDOG off */
	ASSERT_EQ(0, knob_set("advance_ms", "600000"));
	EXPECT_EQ(0x0f, rd(self->fd, 0x04));
	EXPECT_EQ(0, knob("resets"));
	EXPECT_EQ(0, knob("envelope_violations"));
}

TEST_F(regs, adc_registers_filled_only_by_a_conversion)
{
	int i, batv;

	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, knob_set("advance_ms", "5000"));
	for (i = 0x0e; i <= 0x12; i++)
		EXPECT_EQ(0, rd(self->fd, i) & 0x7f) {
			TH_LOG("REG%02X before any conversion", i);
		}
	/* One-shot */
	EXPECT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x80));
	ASSERT_EQ(0, knob_set("advance_ms", "1000"));
	batv = rd(self->fd, 0x0e) & 0x7f;
	EXPECT_EQ((state("vbat_uv") - 2304000) / 20000, batv);
	EXPECT_EQ((5000000 - 2600000) / 100000 | 0x80, rd(self->fd, 0x11));
	EXPECT_EQ((58936 - 21000) / 465, rd(self->fd, 0x10));	/* 25 degC */
	EXPECT_EQ(state("ibat_ua") / 50000, rd(self->fd, 0x12));

	/* A later change shows only after the next conversion. */
	ASSERT_EQ(0, knob_set("capacity_pct", "90"));
	EXPECT_EQ(batv, rd(self->fd, 0x0e) & 0x7f);
	EXPECT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x40));	/* continuous */
	ASSERT_EQ(0, knob_set("advance_ms", "1000"));
	EXPECT_NE(batv, rd(self->fd, 0x0e) & 0x7f);
	EXPECT_EQ((state("vbat_uv") - 2304000) / 20000, rd(self->fd, 0x0e) & 0x7f);
}

/* A test that shortens the conversion time also ends the one in progress. */
TEST_F(regs, adc_ms_applies_to_the_conversion_in_progress)
{
	ASSERT_EQ(0, knob_set("adc_ms", "1000"));
	EXPECT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x80));	/* one-shot, started */
	ASSERT_EQ(0, knob_set("advance_ms", "500"));
	EXPECT_EQ(0x80, rd(self->fd, 0x02) & 0x80);	/* still converting */
	ASSERT_EQ(0, knob_set("adc_ms", "0"));
	EXPECT_EQ(0, rd(self->fd, 0x02) & 0x80);	/* done, without time moving */
	EXPECT_NE(0, rd(self->fd, 0x0e) & 0x7f);
}

TEST_F(regs, unmapped_registers_read_zero)
{
	EXPECT_EQ(0, rd(self->fd, 0x15));
	EXPECT_EQ(0, rd(self->fd, 0x7f));
}

TEST_F(regs, absent_address_is_a_nak)
{
	unsigned char v;

	EXPECT_EQ(-ENXIO, i2c_read(self->fd, 0x50, 0x00, &v, 1));
}

TEST_F(regs, bus_cost_is_counted_at_400khz)
{
	ASSERT_EQ(0, knob_set("stats", "0"));
	ASSERT_LE(0, rd(self->fd, 0x0b));
	EXPECT_EQ(1, knob("xfers"));
	EXPECT_EQ(4, knob("bytes"));
	/* start + addr + reg, repeated start + addr + data, stop: 39 bits */
	EXPECT_EQ(97, knob("bus_us"));
	ASSERT_EQ(0, wr(self->fd, 0x04, 0x10));
	EXPECT_EQ(2, knob("xfers"));
}

TEST_F(regs, i2c_tools_work_on_the_bus)
{
	long long bus = knob("bus");

	EXPECT_EQ(0, sh("i2cget -f -y %lld 0x6a 0x14 | grep -qx 0x3d", bus));
	EXPECT_EQ(0, sh("i2cset -f -y %lld 0x6a 0x04 0x12", bus));
	EXPECT_EQ(0x12, rd(self->fd, 0x04));
	EXPECT_EQ(0, sh("i2cdetect -y %lld | grep -q ' 6a'", bus));
	EXPECT_EQ(0, sh("i2cdetect -y %lld | grep -q ' 0b'", bus));
}

TEST_F(regs, write_log_records_host_writes)
{
	char log[4096];

	ASSERT_EQ(0, knob_set("advance_ms", "1234"));
	ASSERT_EQ(0, wr(self->fd, 0x04, 0x0f));
	ASSERT_EQ(0, knob_text("write_log", log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "1234 6a 04 0f\n"));
}

TEST_F(regs, status_led)
{
	char buf[16];
	FILE *f;

	f = fopen("/sys/class/leds/red:status/brightness", "w");
	ASSERT_NE(NULL, f);
	fputs("255", f);
	fclose(f);
	f = fopen("/sys/class/leds/red:status/brightness", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	EXPECT_STREQ("255\n", buf);
}

#define LED_TRIGGER "/sys/class/leds/red:status/trigger"

/*
 * Write the LED's trigger ("timer", "none", ...) until the LED is gone.
 * Exits 0 when it went (open: ENOENT, or ENODEV while its files are being
 * removed); else with the errno of a write that failed with anything but
 * what a disappearing LED may answer (EBUSY while it is unregistered,
 * ENODEV or ENOENT once its files are going).
 */
static void __attribute__((noreturn)) hammer_led_trigger(void)
{
	static const char * const vals[] = { "timer", "none" };
	unsigned int i;

	for (i = 0;; i++) {
		int fd = open(LED_TRIGGER, O_WRONLY);
		const char *v = vals[i % 2];

		if (fd < 0)
			_exit(errno == ENOENT || errno == ENODEV ? 0 : errno);
		if (write(fd, v, strlen(v)) < 0 && errno != EBUSY && errno != ENODEV &&
		    errno != ENOENT)
			_exit(errno);
		close(fd);
	}
}

/*
 * The bench goes while userspace writes its LED's trigger, as the udev
 * rule does for every new LED: a write landing inside the removal must
 * not leave the freed LED on the timer trigger's list, where the next LED
 * to join it writes into freed memory. The kernel's checkers (KASAN on
 * the debug kernel) fail the run if it does; here each write either works
 * or is refused, and a new LED still joins the trigger.
 */
TEST(led_trigger_writes_race_the_removal)
{
	char buf[8192];	/* every trigger the kernel has, one of them ours */
	unsigned int i;
	int status;
	pid_t pid;

	ASSERT_EQ(0, sh("modprobe ledtrig-timer"));
	for (i = 0; i < 12; i++) {
		ASSERT_EQ(0, emul_load("create_clients=0"));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			hammer_led_trigger();
		usleep(5000 * (i % 4));
		ASSERT_EQ(0, emul_unload());
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			TH_LOG("round %u: a trigger write failed: %s", i,
			       WIFEXITED(status) ? strerror(WEXITSTATUS(status)) : "killed");
		}
	}
	ASSERT_EQ(0, emul_load("create_clients=0"));
	EXPECT_EQ(0, write_file(LED_TRIGGER, "timer"));
	ASSERT_EQ(0, read_text(LED_TRIGGER, buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "[timer]"));
	EXPECT_EQ(0, emul_unload());
}

/* The clients, with the INT line wired or not (for a polling driver). */
TEST(clients_and_irq_wiring)
{
	long long bus;
	char path[64];

	ASSERT_EQ(0, emul_load(NULL));
	bus = knob("bus");
	snprintf(path, sizeof(path), "/sys/bus/i2c/devices/%lld-006a/name", bus);
	EXPECT_EQ(0, access(path, F_OK));
	snprintf(path, sizeof(path), "/sys/bus/i2c/devices/%lld-000b/name", bus);
	EXPECT_EQ(0, access(path, F_OK));
	EXPECT_LT(0, knob("charger_irq"));
	ASSERT_EQ(0, knob_set("charger_client", "0"));
	EXPECT_EQ(-1, knob("charger_irq"));
	EXPECT_EQ(-EBUSY, knob_set("gauge_client", "1"));	/* already there */
	ASSERT_EQ(0, emul_unload());

	ASSERT_EQ(0, emul_load("charger_irq=0"));
	EXPECT_EQ(0, knob("charger_irq"));
	ASSERT_EQ(0, emul_unload());
}

CHARGERD_HARNESS_MAIN
