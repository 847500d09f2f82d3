// SPDX-License-Identifier: GPL-2.0
/*
 * The emulator's physics against figures worked out by hand from the
 * datasheet and the board (a 1000 mAh cell, 150 mOhm, the OCV table in
 * emul_chip.c, the 103AT NTC network). Each test says where its numbers
 * come from.
 */
#include "kselftest_harness.h"
#define EMUL_TEST_REFERENCE_BOARD	/* see emul_load() */
#include "emul_test.h"

#define MIN_MS	60000

/* What a driver programs for this board: 960 mA, 4.336 V, 128/64 mA, WD off. */
static void host_setup(int fd)
{
	wr(fd, 0x04, 0x0f);
	wr(fd, 0x06, 0x7e);
	wr(fd, 0x05, 0x10);
	wr(fd, 0x07, 0x8c);
}

static int chrg_stat(int fd)
{
	return (rd(fd, 0x0b) >> 3) & 3;
}

FIXTURE(phys) {
	int fd;
};

FIXTURE_SETUP(phys)
{
	ASSERT_EQ(0, emul_load("create_clients=0"));
	self->fd = i2c_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(phys)
{
	close(self->fd);
	EXPECT_EQ(0, emul_unload());
}

/*
 * CC at 960 mA until OCV = 4.336 V - 0.96 A * 0.15 Ohm = 4.192 V, which the
 * OCV table puts at 89.7 %: 697 mAh from 20 %, 43.6 min. Then CV, the
 * current tapering with a time constant of about 6 min (0.15 Ohm over
 * 14.5 mV per 10 mAh), down to ITERM (64 mA) some 17 min later.
 */
TEST_F(phys, one_amp_from_20_pct_cc_cv_then_done)
{
	long long ib, prev = 960000;
	int t_cv = -1, t_done = -1, m;

	ASSERT_EQ(0, knob_set("capacity_pct", "20"));
	host_setup(self->fd);
	ASSERT_EQ(0, knob_set("source", "dcp"));
	EXPECT_EQ(2, chrg_stat(self->fd));
	for (m = 1; m <= 180; m++) {
		ASSERT_EQ(0, knob_set("advance_ms", "%d", MIN_MS));
		ib = state("ibat_ua");
		if (!strcmp(state_str("charge"), "done")) {
			t_done = m;
			break;
		}
		ASSERT_STREQ("fast", state_str("charge"));
		if (t_cv < 0 && ib < 960000)
			t_cv = m;
		if (t_cv < 0) {
			ASSERT_EQ(960000, ib);
		} else {
			ASSERT_GE(prev, ib);	/* the taper never rises */
		}
		prev = ib;
	}
	TH_LOG("CV from minute %d, done at minute %d", t_cv, t_done);
	EXPECT_LE(42, t_cv);
	EXPECT_GE(46, t_cv);
	EXPECT_LE(52, t_done);
	EXPECT_GE(72, t_done);
	/* The last minute of taper was just above ITERM (64 mA). */
	EXPECT_LE(64000, prev);
	EXPECT_GE(90000, prev);
	EXPECT_EQ(3, chrg_stat(self->fd));
	EXPECT_EQ(0, state("ibat_ua"));
	/* OCV at termination: 4.336 V - 64 mA * 0.15 Ohm, 99 % by the table */
	EXPECT_EQ(99, knob("capacity_pct"));
}

/* Below BATLOWV (3.0 V, 1 % by the table) it precharges at IPRECHG:
 * 10 mAh at 128 mA is 281 s.
 */
TEST_F(phys, deep_discharge_precharges_then_fast_charges)
{
	int s;

	ASSERT_EQ(0, knob_set("capacity_pct", "0"));
	host_setup(self->fd);
	ASSERT_EQ(0, knob_set("source", "dcp"));
	EXPECT_EQ(1, chrg_stat(self->fd));
	EXPECT_EQ(128000, state("ibat_ua"));
	EXPECT_EQ(1, rd(self->fd, 0x0b) & 1);	/* VSYS_STAT: in SYS_MIN regulation */
	for (s = 10; s <= 600; s += 10) {
		ASSERT_EQ(0, knob_set("advance_ms", "10000"));
		if (chrg_stat(self->fd) == 2)
			break;
	}
	EXPECT_LE(280, s);
	EXPECT_GE(290, s);
	EXPECT_EQ(960000, state("ibat_ua"));
}

/* Recharge starts once OCV falls VRECHG (100 mV) below VREG: 4.236 V. */
TEST_F(phys, recharge_threshold)
{
	int r0;

	ASSERT_EQ(0, knob_set("capacity_pct", "100"));
	host_setup(self->fd);
	ASSERT_EQ(0, knob_set("source", "dcp"));
	EXPECT_EQ(3, chrg_stat(self->fd));
	r0 = rd(self->fd, 0x00);
	ASSERT_EQ(0, knob_set("sys_load_ma", "500"));
	/* HiZ: the battery carries the system. 8 mAh: 4.327 V, still full. */
	ASSERT_EQ(0, wr(self->fd, 0x00, r0 | 0x80));
	EXPECT_EQ(-500000, state("ibat_ua"));
	EXPECT_EQ(0, state("iin_ua"));
	ASSERT_EQ(0, knob_set("advance_ms", "%d", MIN_MS));
	ASSERT_EQ(0, wr(self->fd, 0x00, r0));
	EXPECT_EQ(3, chrg_stat(self->fd));
	/* 83 mAh more: 91 %, 4.21 V: below the threshold. */
	ASSERT_EQ(0, wr(self->fd, 0x00, r0 | 0x80));
	ASSERT_EQ(0, knob_set("advance_ms", "%d", 9 * MIN_MS));
	ASSERT_EQ(0, wr(self->fd, 0x00, r0));
	EXPECT_EQ(2, chrg_stat(self->fd));
	EXPECT_LT(0, state("ibat_ua"));
}

/* SDP: 500 mA in. 800 mA of system load is more than that, so the input
 * sits at its limit (IDPM) and the battery makes up the rest.
 */
TEST_F(phys, sdp_under_heavy_load_shows_idpm)
{
	int r13;

	host_setup(self->fd);
	ASSERT_EQ(0, knob_set("sys_load_ma", "800"));
	ASSERT_EQ(0, knob_set("source", "sdp"));
	EXPECT_EQ(500000, state("iin_ua"));
	EXPECT_EQ(1, state("idpm"));
	EXPECT_EQ(0, state("vdpm"));
	EXPECT_GT(0, state("ibat_ua"));
	r13 = rd(self->fd, 0x13);
	EXPECT_EQ(0x40, r13 & 0xc0);		/* IDPM_STAT */
	EXPECT_EQ((500 - 100) / 50, r13 & 0x3f);
	EXPECT_EQ(0x22 | 0x04, rd(self->fd, 0x0b) & 0xe6);	/* SDP, PG */
	EXPECT_EQ(0x02, rd(self->fd, 0x0b) & 0x02);		/* SDP_STAT */
}

/* 500 mOhm of cable: VBUS = 5 V - I_in * 0.5 Ohm; ICO finds the most the
 * cable allows above VINDPM: (5.0 - 4.4) V / 0.5 Ohm = 1.2 A.
 */
TEST_F(phys, cable_resistance_sags_vbus_and_limits_ico)
{
	long long vbus, iin;

	host_setup(self->fd);
	ASSERT_EQ(0, wr(self->fd, 0x04, 0x08));		/* 512 mA */
	ASSERT_EQ(0, knob_set("cable_mohm", "500"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	vbus = state("vbus_uv");
	iin = state("iin_ua");
	EXPECT_EQ(5000000 - iin * 500 / 1000, vbus);
	EXPECT_LE(150000, 5000000 - vbus);
	EXPECT_GE(300000, 5000000 - vbus);
	EXPECT_EQ(1200000, state("ico_ua"));
	EXPECT_EQ((1200 - 100) / 50, rd(self->fd, 0x13) & 0x3f);
	/* and the ADC sees the sagged VBUS */
	ASSERT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x80));
	ASSERT_EQ(0, knob_set("advance_ms", "1000"));
	EXPECT_EQ((state("vbus_uv") - 2600000) / 100000, rd(self->fd, 0x11) & 0x7f);
}

/* A 1 A adapter asked for more collapses to VINDPM (4.4 V, relative to
 * its 5 V); with ICO on, ICO finds that 1 A instead.
 */
TEST_F(phys, weak_adapter_vdpm_or_ico)
{
	host_setup(self->fd);
	ASSERT_EQ(0, knob_set("sys_load_ma", "500"));
	ASSERT_EQ(0, wr(self->fd, 0x02, 0x2d));		/* ICO off */
	ASSERT_EQ(0, knob_set("source_max_ma", "1000"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	EXPECT_EQ(1000000, state("iin_ua"));
	EXPECT_EQ(1, state("vdpm"));
	EXPECT_EQ(4400000, state("vbus_uv"));
	EXPECT_EQ(0x80, rd(self->fd, 0x13) & 0xc0);	/* VDPM_STAT */

	ASSERT_EQ(0, wr(self->fd, 0x02, 0x3d));		/* ICO on ... */
	ASSERT_EQ(0, wr(self->fd, 0x09, 0x44 | 0x80));	/* ... and run now */
	EXPECT_EQ(1000000, state("ico_ua"));
	EXPECT_EQ((1000 - 100) / 50, rd(self->fd, 0x13) & 0x3f);
	EXPECT_EQ(0x40, rd(self->fd, 0x13) & 0xc0);	/* IDPM_STAT */
	EXPECT_EQ(0x40, rd(self->fd, 0x14) & 0x40);	/* ICO_OPTIMIZED */
}

/* JEITA at 80 % (OCV 4.09 V): normal CC at 960 mA; warm (47 degC) lowers
 * VREG to 4.136 V, so CV at (4.136 - 4.09) V / 0.15 Ohm = 306.666 mA; cool
 * (5 degC) charges at a fifth; cold and hot suspend.
 */
TEST_F(phys, jeita_zones)
{
	host_setup(self->fd);
	ASSERT_EQ(0, knob_set("capacity_pct", "80"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	EXPECT_EQ(960000, state("ibat_ua"));
	EXPECT_EQ(0, rd(self->fd, 0x0c) & 7);

	ASSERT_EQ(0, knob_set("temp_dc", "470"));
	EXPECT_STREQ("warm", state_str("zone"));
	EXPECT_EQ(2, rd(self->fd, 0x0c) & 7);
	EXPECT_EQ(306666, state("ibat_ua"));
	EXPECT_LE(4135900, state("vbat_uv"));
	EXPECT_GE(4136000, state("vbat_uv"));
	/* TS: 42.967 % of REGN at 47 degC, (42.967 - 21) / 0.465 = 47 */
	ASSERT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x80));
	ASSERT_EQ(0, knob_set("advance_ms", "1000"));
	EXPECT_EQ(47, rd(self->fd, 0x10));

	ASSERT_EQ(0, knob_set("temp_dc", "620"));
	EXPECT_EQ(6, rd(self->fd, 0x0c) & 7);
	EXPECT_EQ(0, chrg_stat(self->fd));
	EXPECT_EQ(0, state("ibat_ua"));

	ASSERT_EQ(0, knob_set("temp_dc", "50"));
	EXPECT_EQ(3, rd(self->fd, 0x0c) & 7);
	EXPECT_EQ(960000 / 5, state("ibat_ua"));

	ASSERT_EQ(0, knob_set("temp_dc", "-50"));
	EXPECT_EQ(5, rd(self->fd, 0x0c) & 7);
	EXPECT_EQ(0, chrg_stat(self->fd));
	/*
	 * TS at -5 degC through the reference board's network (its DTS): the
	 * NTC's 36290 Ohm beside RT2 30.1 k, under RT1 5.23 k: 75.879 % of
	 * REGN (integer ohms), (75.879 - 21) / 0.465 = 118
	 */
	EXPECT_EQ(75879, state("ts_pct_milli"));
	ASSERT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x80));
	ASSERT_EQ(0, knob_set("advance_ms", "1000"));
	EXPECT_EQ(118, rd(self->fd, 0x10));
	/*
	 * between the table's rows (-20 and -15 degC: 77523 and 59606 Ohm),
	 * the NTC's resistance is interpolated: 68565 Ohm, 79.997 %
	 */
	ASSERT_EQ(0, knob_set("temp_dc", "-175"));
	EXPECT_EQ(79997, state("ts_pct_milli"));
	/* below the table's first row, its resistance: 80.565 % at -20 and -30 */
	ASSERT_EQ(0, knob_set("temp_dc", "-300"));
	EXPECT_EQ(80565, state("ts_pct_milli"));

	ASSERT_EQ(0, knob_set("temp_dc", "250"));
	EXPECT_EQ(960000, state("ibat_ua"));
}

/*
 * A broken TS network: the chip's zone follows TS, the gauge the cell.
 * Open (85 % of REGN) is colder than cold, shorted (0 %) hotter than hot;
 * either stops charging, and the TS ADC sits at its rail (21-80 %).
 */
TEST_F(phys, a_broken_ts_network_misleads_only_the_chip)
{
	static const struct {
		const char *fault;
		int ntc, tspct;
	} c[] = { { "open", 5, 0x7f }, { "short", 6, 0x00 } };
	char buf[16];
	unsigned int i;

	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, knob_set("temp_dc", "250"));
	EXPECT_STREQ("fast", state_str("charge"));
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		ASSERT_EQ(0, knob_set("ts_fault", "%s", c[i].fault));
		ASSERT_EQ(0, knob_text("ts_fault", buf, sizeof(buf)));
		EXPECT_EQ(0, strncmp(buf, c[i].fault, strlen(c[i].fault)));
		EXPECT_EQ(c[i].ntc, rd(self->fd, 0x0c) & 7) TH_LOG("%s", c[i].fault);
		EXPECT_STREQ("not-charging", state_str("charge")) TH_LOG("%s", c[i].fault);
		EXPECT_EQ(2731 + 250, gauge_word(self->fd, 0x08)) TH_LOG("%s", c[i].fault);
		EXPECT_EQ(0, wr(self->fd, 0x02, 0x3d | 0x80));
		ASSERT_EQ(0, knob_set("advance_ms", "1000"));
		EXPECT_EQ(c[i].tspct, rd(self->fd, 0x10)) TH_LOG("%s", c[i].fault);
	}
	ASSERT_EQ(0, knob_set("ts_fault", "none"));
	EXPECT_EQ(0, rd(self->fd, 0x0c) & 7);
	EXPECT_STREQ("fast", state_str("charge"));
	EXPECT_EQ(-EINVAL, knob_set("ts_fault", "broken"));
}

/* TREG 80 degC with the die 100 degC/A above a 25 degC battery: the current
 * settles at (80 - 25) / 100 = 550 mA, with THERM_STAT.
 */
TEST_F(phys, thermal_regulation)
{
	host_setup(self->fd);
	ASSERT_EQ(0, wr(self->fd, 0x08, 0x01));
	ASSERT_EQ(0, knob_set("die_heat_mc_per_a", "100000"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	EXPECT_EQ(550000, state("ibat_ua"));
	EXPECT_EQ(0x80, rd(self->fd, 0x0e) & 0x80);
	ASSERT_EQ(0, knob_set("die_heat_mc_per_a", "25000"));
	EXPECT_EQ(960000, state("ibat_ua"));
	EXPECT_EQ(0, rd(self->fd, 0x0e) & 0x80);
}

TEST_F(phys, chip_faults_stop_charging)
{
	host_setup(self->fd);
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(2, chrg_stat(self->fd));

	ASSERT_EQ(0, knob_set("inject", "thermal-shutdown"));
	EXPECT_EQ(0x20, rd(self->fd, 0x0c) & 0x30);
	EXPECT_EQ(0x20, rd(self->fd, 0x0c) & 0x30);	/* present, not only latched */
	EXPECT_EQ(0, chrg_stat(self->fd));
	ASSERT_EQ(0, knob_set("inject", "clear thermal-shutdown"));
	EXPECT_EQ(2, chrg_stat(self->fd));

	ASSERT_EQ(0, knob_set("inject", "bat-ovp"));
	EXPECT_EQ(0x08, rd(self->fd, 0x0c) & 0x08);
	EXPECT_EQ(0, chrg_stat(self->fd));
	ASSERT_EQ(0, knob_set("inject", "clear"));

	/* A 15 V adapter: VBUS over-voltage, an input fault, no power good. */
	ASSERT_EQ(0, knob_set("source_mv", "15000"));
	EXPECT_EQ(0x10, rd(self->fd, 0x0c) & 0x30);
	EXPECT_EQ(0, rd(self->fd, 0x0b) & 0x04);
	EXPECT_EQ(0, state("iin_ua"));
	EXPECT_EQ(0, chrg_stat(self->fd));
}

/* 10 Ah at 512 mA cannot finish in 5 h: the timer expires (CHRG_FAULT 11).
 * Under DPM, TMR2X_EN halves its pace.
 */
TEST_F(phys, safety_timer_and_its_slowdown)
{
	host_setup(self->fd);
	ASSERT_EQ(0, wr(self->fd, 0x07, 0x88));		/* 5 h */
	ASSERT_EQ(0, wr(self->fd, 0x04, 0x08));
	ASSERT_EQ(0, knob_set("design_uah", "10000000"));
	ASSERT_EQ(0, knob_set("full_uah", "10000000"));
	ASSERT_EQ(0, knob_set("capacity_pct", "10"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, knob_set("advance_ms", "%d", 299 * MIN_MS));
	EXPECT_EQ(2, chrg_stat(self->fd));
	ASSERT_EQ(0, knob_set("advance_ms", "%d", 2 * MIN_MS));
	EXPECT_EQ(0x30, rd(self->fd, 0x0c) & 0x30);
	EXPECT_EQ(0, chrg_stat(self->fd));
	EXPECT_EQ(0, state("ibat_ua"));
	/* Toggling CHG_CONFIG starts a new cycle. */
	ASSERT_EQ(0, wr(self->fd, 0x03, 0x0a));
	ASSERT_EQ(0, wr(self->fd, 0x03, 0x1a));
	EXPECT_EQ(2, chrg_stat(self->fd));

	/* SDP: IDPM all along, so 6 h count as 3 h. */
	ASSERT_EQ(0, knob_set("source", "none"));
	ASSERT_EQ(0, wr(self->fd, 0x04, 0x0f));
	ASSERT_EQ(0, knob_set("source", "sdp"));
	ASSERT_EQ(1, state("idpm"));
	ASSERT_EQ(0, knob_set("advance_ms", "%d", 360 * MIN_MS));
	EXPECT_EQ(2, chrg_stat(self->fd));
	EXPECT_EQ(180 * MIN_MS, state("timer_ms"));
	ASSERT_EQ(0, knob_set("advance_ms", "%d", 270 * MIN_MS));
	EXPECT_EQ(0x30, rd(self->fd, 0x0c) & 0x30);
}

TEST_F(phys, batfet_off_isolates_the_battery)
{
	host_setup(self->fd);
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, wr(self->fd, 0x09, 0x44 | 0x20));
	EXPECT_EQ(0, state("ibat_ua"));
	EXPECT_EQ(0, chrg_stat(self->fd));
	ASSERT_EQ(0, knob_set("sys_load_ma", "300"));
	ASSERT_EQ(0, knob_set("source", "none"));
	EXPECT_EQ(0, state("ibat_ua"));
	ASSERT_EQ(0, wr(self->fd, 0x09, 0x44));
	EXPECT_EQ(-300000, state("ibat_ua"));
}

/* OTG at BOOSTV 4.998 V with a 500 mA limit: 300 mA out costs the cell
 * 0.3 * 4.998 / (3.84 * 0.9) = 434 mA; 600 mA trips BOOST_FAULT.
 */
TEST_F(phys, otg_boost_and_its_current_limit)
{
	long long ib;

	host_setup(self->fd);
	ASSERT_EQ(0, wr(self->fd, 0x0a, 0x70));
	ASSERT_EQ(0, knob_set("otg_load_ma", "300"));
	ASSERT_EQ(0, wr(self->fd, 0x03, 0x1a | 0x20));
	EXPECT_EQ(7, rd(self->fd, 0x0b) >> 5);
	EXPECT_EQ(4998000, state("vbus_uv"));
	ib = state("ibat_ua");
	EXPECT_LE(-440000, ib);
	EXPECT_GE(-430000, ib);

	ASSERT_EQ(0, knob_set("otg_load_ma", "600"));
	EXPECT_EQ(0x40, rd(self->fd, 0x0c) & 0x40);
	EXPECT_EQ(0, rd(self->fd, 0x0b) >> 5);
	EXPECT_EQ(0, state("vbus_uv"));
	/* It stays off until the host asks again. */
	ASSERT_EQ(0, knob_set("otg_load_ma", "300"));
	EXPECT_EQ(0, rd(self->fd, 0x0b) >> 5);
	ASSERT_EQ(0, wr(self->fd, 0x03, 0x1a));
	ASSERT_EQ(0, wr(self->fd, 0x03, 0x1a | 0x20));
	EXPECT_EQ(7, rd(self->fd, 0x0b) >> 5);
}

TEST_F(phys, source_kinds_set_vbus_stat_and_input_limit)
{
	static const struct { const char *kind; int stat, iinlim_ma, mv; } k[] = {
		{ "sdp", 1, 500, 5000 }, { "cdp", 2, 1500, 5000 }, { "dcp", 3, 3250, 5000 },
		{ "hvdcp", 4, 1500, 9000 }, { "unknown", 5, 500, 5000 },
		{ "nonstandard", 6, 2000, 5000 },
	};
	unsigned int i;

	host_setup(self->fd);
	for (i = 0; i < ARRAY_SIZE(k); i++) {
		ASSERT_EQ(0, knob_set("source", "%s", k[i].kind));
		EXPECT_EQ(k[i].stat, rd(self->fd, 0x0b) >> 5) {
			TH_LOG("%s", k[i].kind);
		}
		EXPECT_EQ((k[i].iinlim_ma - 100) / 50, rd(self->fd, 0x00) & 0x3f);
		EXPECT_EQ(k[i].mv * 1000LL, state("vbus_uv"));
		/* relative VINDPM: VBUS less 600 mV */
		EXPECT_EQ((k[i].mv - 600 - 2600) / 100, rd(self->fd, 0x0d) & 0x7f);
		ASSERT_EQ(0, knob_set("source", "none"));
		EXPECT_EQ(0, rd(self->fd, 0x0b) >> 5);
	}
	/* Without HVDCP_EN the same adapter is a 5 V DCP. */
	ASSERT_EQ(0, knob_set("source", "hvdcp"));
	ASSERT_EQ(0, wr(self->fd, 0x02, 0x35 | 0x02));	/* HVDCP off, FORCE_DPDM */
	EXPECT_EQ(3, rd(self->fd, 0x0b) >> 5);
	EXPECT_EQ(5000000, state("vbus_uv"));
}

TEST_F(phys, ageing_and_cycle_count)
{
	int fd = self->fd;

	ASSERT_EQ(0, knob_set("full_uah", "800000"));
	ASSERT_EQ(0, knob_set("capacity_pct", "100"));
	EXPECT_EQ(800000, state("charge_uah"));
	EXPECT_EQ(800, gauge_word(fd, 0x10));		/* FullChargeCapacity */
	EXPECT_EQ(1000, gauge_word(fd, 0x18));		/* DesignCapacity */
	EXPECT_EQ(0, gauge_word(fd, 0x17));
	/* 800 mAh out at 1 A: one full cycle in 48 min. */
	ASSERT_EQ(0, knob_set("sys_load_ma", "1000"));
	EXPECT_EQ(-1000000, state("ibat_ua"));
	ASSERT_EQ(0, knob_set("advance_ms", "%d", 47 * MIN_MS));
	EXPECT_EQ(0, gauge_word(fd, 0x17));
	ASSERT_EQ(0, knob_set("advance_ms", "%d", MIN_MS));
	EXPECT_EQ(1, gauge_word(fd, 0x17));
	EXPECT_EQ(0, gauge_word(fd, 0x0d));
	/* Empty: the load browns out rather than drawing from nothing. */
	EXPECT_EQ(0, state("ibat_ua"));
}

CHARGERD_HARNESS_MAIN
