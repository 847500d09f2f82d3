// SPDX-License-Identifier: GPL-2.0
/*
 * The model behind the virtual BQ25895 and its SBS gauge: the register file
 * with its datasheet semantics, and the source, charger and battery physics
 * that fill the status and ADC registers, in integer units and simulated
 * time. Every function here runs with emu->lock held.
 *
 * Units: uV, uA, mOhm, ms, 0.1 degC; charge in uA*ms.
 * Where the datasheet is silent, tests/emul/README.md lists what we assumed.
 */
#include <linux/bitfield.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "emul.h"

#define UAMS_PER_UAH		3600000LL
#define STEP_MS			100
#define BUCK_EFF_PCT		90
#define TSHUT_DC		1500	/* thermal shutdown, die at 150 degC */
#define VBUS_OVP_UV		14000000
#define VBUS_POOR_UV		3800000
#define BATOVP_PCT		104

static const u8 emul_defaults[EMUL_NREGS] = {
	[0x00] = 0x48, [0x01] = 0x06, [0x02] = 0x3d, [0x03] = 0x1a,
	[0x04] = 0x20, [0x05] = 0x13, [0x06] = 0x5e, [0x07] = 0x9c,
	[0x08] = 0x03, [0x09] = 0x44, [0x0a] = 0x73, [0x0d] = 0x12,
	[0x14] = 0x3d,	/* PN 111 (BQ25895), TS_PROFILE, DEV_REV 01 */
};

/* Bits the host may write; the rest are read-only or reserved. */
static const u8 emul_wmask[EMUL_NREGS] = {
	[0x00] = 0xff, [0x01] = 0xff, [0x02] = 0xff, [0x03] = 0xfe,
	[0x04] = 0xff, [0x05] = 0xff, [0x06] = 0xff, [0x07] = 0xfe,
	[0x08] = 0xff, [0x09] = 0xef, [0x0a] = 0xff, [0x0d] = 0xff,
	[0x14] = R14_REG_RST,
};

/* Watchdog expiry keeps the input settings and BATFET control (assumed). */
static const u8 emul_wd_keep[EMUL_NREGS] = {
	[0x00] = 0xff, [0x01] = 0xff, [0x09] = 0x2f, [0x0d] = 0xff,
};

static const u32 wd_period_ms[] = { 0, 40000, 80000, 160000 };
static const u32 chg_timer_ms[] = { 5 * 3600000, 8 * 3600000, 12 * 3600000, 20 * 3600000 };
static const u32 treg_dc[] = { 600, 800, 1000, 1200 };
static const u32 boost_lim_ua[] = {
	500000, 750000, 1200000, 1400000, 1650000, 1875000, 2150000, 2450000,
};

static const struct {
	const char *name;
	u8 vbus_stat;
	u32 iinlim_ua;		/* what detection programs */
	u32 uv;			/* typical adapter voltage */
	u32 max_ua;		/* typical adapter capability */
} src_info[SRC_NKINDS] = {
	[SRC_NONE]	= { "none", 0, 0, 0, 0 },
	[SRC_SDP]	= { "sdp", 1, 500000, 5000000, 500000 },
	[SRC_CDP]	= { "cdp", 2, 1500000, 5000000, 1500000 },
	[SRC_DCP]	= { "dcp", 3, 3250000, 5000000, 2000000 },
	[SRC_HVDCP]	= { "hvdcp", 4, 1500000, 9000000, 2000000 },
	[SRC_UNKNOWN]	= { "unknown", 5, 500000, 5000000, 1000000 },
	[SRC_NONSTD]	= { "nonstandard", 6, 2000000, 5000000, 2000000 },
};

const char *const emul_zone_names[] = {
	[JZ_COLD] = "cold", [JZ_COOL] = "cool", [JZ_NORMAL] = "normal",
	[JZ_WARM] = "warm", [JZ_HOT] = "hot",
};

const char *const emul_ts_fault_names[TS_NFAULTS] = {
	[TS_OK] = "none", [TS_OPEN] = "open", [TS_SHORT] = "short",
};

/*
 * The chip's JEITA comparators (datasheet 7.5, Electrical Characteristics:
 * VT1 rising, VT2 rising, VT3 falling, VT5 falling, typical values), in
 * 0.001 % of REGN. They are fixed in the chip: the board's RT1 and RT2 choose
 * which temperatures they fall on (8.2.7.5). Their hysteresis is not
 * modelled (assumed small against the bench's temperature steps).
 */
#define VT1_COLD_PCT_MILLI	73250
#define VT2_COOL_PCT_MILLI	68250
#define VT3_WARM_PCT_MILLI	44750
#define VT5_HOT_PCT_MILLI	34375

static const u8 zone_ntc_fault[] = {
	[JZ_COLD] = 5, [JZ_COOL] = 3, [JZ_NORMAL] = 0, [JZ_WARM] = 2, [JZ_HOT] = 6,
};

static u8 fget(const struct emul *emu, u8 reg, u8 mask)
{
	return (emu->regs[reg] & mask) >> __bf_shf(mask);
}

static u32 interp(s64 x, s64 x0, s64 x1, s64 y0, s64 y1)
{
	if (x1 == x0)
		return y0;
	return y0 + div64_s64((x - x0) * (y1 - y0), x1 - x0);
}

/*
 * y at x from one of the board's tables, n rows with x rising: linear
 * between rows (assumed: the datasheets' rows are close enough for
 * that), the end rows' values beyond them; 0 for an empty table.
 */
static u32 table_at(const s32 *xs, const u32 *ys, unsigned int n, s64 x)
{
	unsigned int i;

	if (!n)
		return 0;
	if (x <= xs[0])
		return ys[0];
	for (i = 1; i < n; i++)
		if (x <= xs[i])
			return interp(x, xs[i - 1], xs[i], ys[i - 1], ys[i]);
	return ys[n - 1];
}

/*
 * The cell's OCV at soc_pm, from its board's curve (ocv-capacity-table-0,
 * emul_board_cell(), which the board must give). Below 1 % the bench cells
 * sit under the charger's BATLOWV, so they precharge.
 */
static u32 ocv_uv(const struct emul *emu, u32 soc_pm)
{
	return table_at(emu->ocv_soc_pm, emu->ocv_tab_uv, emu->ocv_n, soc_pm);
}

/* The NTC's resistance at temp_dc (0.1 degC), from the board's table. */
static u32 ntc_ohms(const struct emul *emu, int temp_dc)
{
	return table_at(emu->ntc_mdc, emu->ntc_ohms, emu->ntc_n, (s64)temp_dc * 100);
}

/*
 * TS/REGN in 0.001 % with ntc ohms below RT2 (U32_MAX: the thermistor
 * open): the divider REGN - RT1 - TS - (RT2 || NTC) - ground (8.2.7.5).
 */
static u32 ts_divider(const struct emul *emu, u32 ntc)
{
	u64 rt1 = emu->ts_rt1_ohms, rt2 = emu->ts_rt2_ohms, low;

	if (ntc == U32_MAX)
		low = rt2;		/* 0 (none fitted): TS reads REGN */
	else
		low = rt2 ? div64_u64((u64)ntc * rt2, (u64)ntc + rt2) : ntc;
	if (!low && ntc == U32_MAX)
		return 100000;
	return div64_u64(low * 100000, low + rt1);
}

static u32 ts_pct_milli(const struct emul *emu, int temp_dc)
{
	return ts_divider(emu, ntc_ohms(emu, temp_dc));
}

/* JEITA zone as the chip sees it: TS against its fixed thresholds. */
static enum emul_zone ts_zone(u32 ts)
{
	if (ts >= VT1_COLD_PCT_MILLI)
		return JZ_COLD;
	if (ts >= VT2_COOL_PCT_MILLI)
		return JZ_COOL;
	if (ts > VT3_WARM_PCT_MILLI)
		return JZ_NORMAL;
	if (ts > VT5_HOT_PCT_MILLI)
		return JZ_WARM;
	return JZ_HOT;
}

/*
 * The cell's OCV curve from its battery node's ocv-capacity-table-0
 * (simple-battery: <uV percent> rows, any order here), which the bench
 * boards give. Rows must give distinct percentages of 0-100 and a voltage
 * that does not fall as the charge rises. Returns 0 or -EINVAL.
 */
static int board_ocv(struct emul *emu, struct fwnode_handle *fw)
{
	static const char table[] = "ocv-capacity-table-0";
	int n = fwnode_property_count_u32(fw, table), ret;
	unsigned int i, j, rows;
	u32 *cells;

	if (n < 4 || n % 2 || n > 2 * EMUL_OCV_MAX)
		goto bad;
	cells = kcalloc(n, sizeof(*cells), GFP_KERNEL);
	if (!cells)
		return -ENOMEM;
	ret = fwnode_property_read_u32_array(fw, table, cells, n);
	rows = n / 2;
	/* insertion by capacity: the binding's tables run from full to empty */
	for (i = 0; !ret && i < rows; i++) {
		u32 uv = cells[2 * i], pct = cells[2 * i + 1];

		if (pct > 100) {
			ret = -EINVAL;
			break;
		}
		for (j = i; j > 0 && emu->ocv_soc_pm[j - 1] > (s32)pct * 10; j--) {
			emu->ocv_soc_pm[j] = emu->ocv_soc_pm[j - 1];
			emu->ocv_tab_uv[j] = emu->ocv_tab_uv[j - 1];
		}
		emu->ocv_soc_pm[j] = pct * 10;
		emu->ocv_tab_uv[j] = uv;
	}
	kfree(cells);
	for (i = 1; !ret && i < rows; i++)
		if (emu->ocv_soc_pm[i] == emu->ocv_soc_pm[i - 1] ||
		    emu->ocv_tab_uv[i] < emu->ocv_tab_uv[i - 1])
			ret = -EINVAL;
	if (!ret) {
		emu->ocv_n = rows;
		return 0;
	}
bad:
	pr_err("bq2589x_emul: the board's battery node must give its cell's %s: <uV percent> rows, 2 to %d, one per percentage, the voltage rising with it\n",
	       table, EMUL_OCV_MAX);
	return -EINVAL;
}

/*
 * The board's cell from its battery node (fw, simple-battery): its
 * capacity, internal resistance and OCV curve for the physics, its limits
 * as the safety envelope. What the node leaves out but the OCV curve keeps
 * emul_chip_init()'s. Returns 0 or -EINVAL (no OCV table, or a malformed one).
 */
int emul_board_cell(struct emul *emu, struct fwnode_handle *fw)
{
	u32 v;

	if (!fwnode_property_read_u32(fw, "charge-full-design-microamp-hours", &v) && v)
		emu->design_uah = v;
	if (!fwnode_property_read_u32(fw, "factory-internal-resistance-micro-ohms", &v) && v)
		emu->rint_mohm = max(v / 1000, 1U);
	if (!fwnode_property_read_u32(fw, "constant-charge-current-max-microamp", &v) && v)
		emu->env_ichg_ua = v;
	if (!fwnode_property_read_u32(fw, "constant-charge-voltage-max-microvolt", &v) && v)
		emu->env_vreg_uv = v;
	return board_ocv(emu, fw);
}

/*
 * The board's TS network from its charger node (fw): RT1, RT2 and the
 * NTC's table, as the board's DTS describes them for the driver. The bench
 * boards state all three. Returns 0 or -EINVAL.
 */
int emul_board_ts(struct emul *emu, struct fwnode_handle *fw)
{
	static const char table[] = "ti,ntc-temperature-lookup-table";
	int n = fwnode_property_count_u32(fw, table), ret;
	unsigned int i;
	u32 *cells;

	if (fwnode_property_read_u32(fw, "ti,ts-pullup-ohms", &emu->ts_rt1_ohms) ||
	    fwnode_property_read_u32(fw, "ti,ts-pulldown-ohms", &emu->ts_rt2_ohms) ||
	    !emu->ts_rt1_ohms || n < 4 || n % 2 || n > 2 * EMUL_NTC_MAX) {
		pr_err("bq2589x_emul: the board's charger node must give its TS network (ti,ts-pullup-ohms, ti,ts-pulldown-ohms, %s)\n",
		       table);
		return -EINVAL;
	}
	cells = kcalloc(n, sizeof(*cells), GFP_KERNEL);
	if (!cells)
		return -ENOMEM;
	ret = fwnode_property_read_u32_array(fw, table, cells, n);
	for (i = 0; !ret && i < n / 2; i++) {
		emu->ntc_mdc[i] = (s32)cells[2 * i];
		emu->ntc_ohms[i] = cells[2 * i + 1];
	}
	kfree(cells);
	emu->ntc_n = ret ? 0 : n / 2;
	return ret;
}

u32 emul_ichg_ua(const struct emul *emu)
{
	return min_t(u32, fget(emu, 0x04, R04_ICHG) * 64000, 5056000);
}

u32 emul_vreg_uv(const struct emul *emu)
{
	return min_t(u32, 3840000 + fget(emu, 0x06, R06_VREG) * 16000, 4608000);
}

static u32 iinlim_ua(const struct emul *emu)
{
	return 100000 + fget(emu, 0x00, R00_IINLIM) * 50000;
}

static u32 vindpm_uv(const struct emul *emu)
{
	return clamp_t(u32, 2600000 + fget(emu, 0x0d, R0D_VINDPM) * 100000,
		       3900000, 15300000);
}

u32 emul_soc_pct(const struct emul *emu)
{
	if (!emu->full_uah)
		return 0;
	return div64_s64(emu->charge_uams * 100, (s64)emu->full_uah * UAMS_PER_UAH);
}

static u32 soc_pm(const struct emul *emu)
{
	if (!emu->full_uah)
		return 0;
	return div64_s64(emu->charge_uams * 1000, (s64)emu->full_uah * UAMS_PER_UAH);
}

const char *emul_src_name(enum emul_src_kind kind)
{
	return kind < SRC_NKINDS ? src_info[kind].name : "?";
}

int emul_src_parse(const char *s, enum emul_src_kind *kind)
{
	int i;

	for (i = 0; i < SRC_NKINDS; i++) {
		if (sysfs_streq(s, src_info[i].name)) {
			*kind = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* --- events ------------------------------------------------------------ */

static void env_check(struct emul *emu)
{
	/*
	 * Only while the host is in control: after a reset the chip is in
	 * default mode until the host writes again, and that first write had
	 * better be the limits. And only while charging is enabled
	 * (REG03 CHG_CONFIG, "0 - Charge Disable"): limits the chip cannot
	 * reach for a cell are harmless with charging off, which is how a
	 * driver that cannot honour them leaves it. Nor in HiZ (REG00
	 * EN_HIZ): the converter is off, nothing reaches the cell (SLUSC88A
	 * REG00; modelled below as no converter).
	 */
	bool bad = emu->env_armed && emu->host_mode && (emu->regs[0x03] & R03_CHG_CONFIG) &&
		   !(emu->regs[0x00] & R00_EN_HIZ) &&
		   (emul_ichg_ua(emu) > emu->env_ichg_ua || emul_vreg_uv(emu) > emu->env_vreg_uv);

	if (emu->write_burst)
		return;		/* judged at the end of the write */
	if (bad && !emu->env_violating) {
		emu->env_violations++;
		dev_warn(&emu->adap.dev,
			 "safety envelope broken at %llu ms: ICHG %u uA, VREG %u uV (ceiling %u uA, %u uV)\n",
			 emu->now_ms, emul_ichg_ua(emu), emul_vreg_uv(emu),
			 emu->env_ichg_ua, emu->env_vreg_uv);
	}
	emu->env_violating = bad;
}

static void new_charge_cycle(struct emul *emu)
{
	emu->timer_ms = 0;
	emu->timer_expired = false;
	emu->charge_done = false;
}

static void run_ico(struct emul *emu)
{
	u32 cap = emu->src_max_ua;
	u32 vindpm = vindpm_uv(emu);

	if (emu->cable_mohm) {
		u32 headroom = emu->src_uv > vindpm ? emu->src_uv - vindpm : 0;

		cap = min_t(u64, cap, div_u64((u64)headroom * 1000, emu->cable_mohm));
	}
	cap = max_t(u32, cap, 100000);
	emu->ico_ua = cap - cap % 50000;
	emu->regs[0x14] |= R14_ICO_OPTIMIZED;
}

/* D+/D- detection: sets VBUS_STAT and the default input limit. */
static void detect_source(struct emul *emu)
{
	enum emul_src_kind k = emu->src;
	u32 lim;

	if (k == SRC_HVDCP && !(emu->regs[0x02] & R02_HVDCP_EN))
		k = SRC_DCP;
	emu->vbus_stat = src_info[k].vbus_stat;
	lim = src_info[k].iinlim_ua;
	emu->regs[0x00] &= ~R00_IINLIM;
	emu->regs[0x00] |= FIELD_PREP(R00_IINLIM, (lim - 100000) / 50000);
}

static u32 src_uv_eff(const struct emul *emu)
{
	/* An HVDCP adapter stays at 5 V unless the chip asks for more. */
	if (emu->src == SRC_HVDCP && emu->vbus_stat != 4)
		return min_t(u32, emu->src_uv, 5000000);
	return emu->src_uv;
}

static void set_relative_vindpm(struct emul *emu)
{
	u32 os = fget(emu, 0x01, R01_VINDPM_OS) * 100000;
	u32 v = src_uv_eff(emu) > os ? src_uv_eff(emu) - os : 0;

	if (emu->regs[0x0d] & R0D_FORCE_VINDPM)
		return;
	v = clamp_t(u32, v, 3900000, 15300000);
	emu->regs[0x0d] = FIELD_PREP(R0D_VINDPM, (v - 2600000) / 100000);
}

void emul_plug(struct emul *emu, enum emul_src_kind kind)
{
	emu->src = kind;
	emu->ico_ua = 0;
	emu->regs[0x14] &= ~R14_ICO_OPTIMIZED;
	new_charge_cycle(emu);
	if (kind == SRC_NONE) {
		emu->vbus_stat = 0;
		emul_update(emu);
		return;
	}
	if (!emu->src_uv)
		emu->src_uv = src_info[kind].uv;
	if (!emu->src_max_ua)
		emu->src_max_ua = src_info[kind].max_ua;
	/*
	 * Power-up from VBUS ("Power-Up from Input Source"): the input is
	 * qualified before D+/D- detection runs; above the over-voltage
	 * threshold it is not, so nothing is detected: VBUS_STAT stays 000
	 * and IINLIM, VINDPM and ICO stay as they were.
	 */
	if (emu->src_uv > VBUS_OVP_UV) {
		emu->vbus_stat = 0;
		emul_update(emu);
		return;
	}
	if (emu->regs[0x02] & R02_AUTO_DPDM_EN)
		detect_source(emu);
	else
		emu->vbus_stat = src_info[SRC_UNKNOWN].vbus_stat;
	/*
	 * REG0D, FORCE_VINDPM and VINDPM: "Register is reset to default value
	 * when input source is plugged-in" (datasheet, REG0D): an absolute
	 * threshold written for the last source is gone. Assumed at the
	 * input's qualification, with detection (the datasheet does not say
	 * when in the power-up sequence).
	 */
	emu->regs[0x0d] = emul_defaults[0x0d];
	set_relative_vindpm(emu);
	if (emu->regs[0x02] & R02_ICO_EN)
		run_ico(emu);
	emul_update(emu);
}

static void adc_convert(struct emul *emu)
{
	u32 v;

	v = emu->vbat_uv > 2304000 ? (emu->vbat_uv - 2304000) / 20000 : 0;
	emu->regs[0x0e] = (emu->regs[0x0e] & R0E_THERM_STAT) | min_t(u32, v, 127);
	v = emu->vsys_uv > 2304000 ? (emu->vsys_uv - 2304000) / 20000 : 0;
	emu->regs[0x0f] = min_t(u32, v, 127);
	v = emu->ts_pct_milli > 21000 ? (emu->ts_pct_milli - 21000) / 465 : 0;
	emu->regs[0x10] = min_t(u32, v, 127);
	/*
	 * VBUSV: 2.6 V + 100 mV a step, saturating at 15.3 V (REG11); an
	 * adapter above that, as in over-voltage, reads 15.3 V. VBUS_GD is
	 * a live status, not a conversion result (see emul_settle()).
	 */
	v = emu->vbus_uv > 2600000 ? (emu->vbus_uv - 2600000) / 100000 : 0;
	emu->regs[0x11] = (emu->regs[0x11] & R11_VBUS_GD) | min_t(u32, v, 127);
	emu->regs[0x12] = emu->ibat_ua > 0 ? min_t(u32, emu->ibat_ua / 50000, 127) : 0;
}

static void reset_registers(struct emul *emu, const u8 *keep)
{
	unsigned int i;

	for (i = 0; i < EMUL_NREGS; i++) {
		u8 k = keep ? keep[i] : 0;

		emu->regs[i] = (emu->regs[i] & k) | (emul_defaults[i] & ~k);
	}
	emu->host_mode = false;
	emu->wd_ms = 0;
	emu->adc_pending = false;
	emu->resets++;
	if (emu->src != SRC_NONE && !keep) {
		/* Detection runs again with the default settings. */
		detect_source(emu);
		set_relative_vindpm(emu);
		if (emu->regs[0x02] & R02_ICO_EN)
			run_ico(emu);
	}
}

/*
 * Power-on reset: the chip loses everything, latches and ADC included, and
 * starts in default mode as if its watchdog had expired (datasheet, "Host
 * Mode and Default Mode"): WATCHDOG_FAULT reads 1 until the host writes.
 * No INT pulse announces it (assumed: the datasheet does not say; a driver
 * must find a reset from the registers themselves).
 */
void emul_chip_por(struct emul *emu)
{
	memset(emu->regs, 0, sizeof(emu->regs));
	reset_registers(emu, NULL);
	emu->fault_latch = R0C_WATCHDOG_FAULT;
	emu->latched_chrg_fault = 0;
	emu->ptr = 0;
	new_charge_cycle(emu);
	emu->tshut = false;
	emu->boost_fault_hold = false;
	emu->prev_reg03 = emu->regs[0x03];
	emul_update(emu);
}

static void watchdog_expire(struct emul *emu)
{
	reset_registers(emu, emul_wd_keep);
	emu->fault_latch |= R0C_WATCHDOG_FAULT;
	emu->int_event = true;
	new_charge_cycle(emu);
	emu->prev_reg03 = emu->regs[0x03];
}

/* --- physics ----------------------------------------------------------- */

/* The adapter's voltage less the drop of iin along the cable. */
static u32 vbus_at(u32 src_uv, u32 iin, u32 cable_mohm)
{
	u64 drop = div_u64((u64)iin * cable_mohm, 1000);

	return src_uv - min_t(u64, src_uv, drop);
}

/* Input current drawn for the given system and battery power. */
static u32 input_ua(u32 vbus, u32 vsys, u32 isys, u32 vbat, s32 ibat)
{
	s64 pw = (s64)vsys * isys + (s64)vbat * max(ibat, 0);

	if (!vbus)
		return 0;
	return div64_s64(pw * 100, (s64)vbus * BUCK_EFF_PCT);
}

/*
 * Let dt ms pass with the currents and states of the last evaluation:
 * charge flows and the timers run. The caller then re-evaluates.
 */
static void emul_integrate(struct emul *emu, u32 dt)
{
	s64 full = (s64)emu->full_uah * UAMS_PER_UAH;
	s64 dq = clamp_t(s64, (s64)emu->ibat_ua * dt, -emu->charge_uams,
			 full - emu->charge_uams);

	emu->charge_uams += dq;
	if (dq < 0) {
		emu->discharged_uams += -dq;
		if (full && emu->discharged_uams >= full) {
			emu->discharged_uams -= full;
			emu->cycles++;
		}
	}
	if (emu->stat == CHRG_FAST && (emu->regs[0x07] & R07_EN_TIMER)) {
		bool slow = (emu->regs[0x09] & R09_TMR2X_EN) &&
			    (emu->vdpm || emu->idpm || emu->therm);

		emu->timer_ms += slow ? dt / 2 : dt;
		if (emu->timer_ms >= chg_timer_ms[fget(emu, 0x07, R07_CHG_TIMER)])
			emu->timer_expired = true;
	}
	if (emu->host_mode && fget(emu, 0x07, R07_WATCHDOG)) {
		emu->wd_ms += dt;
		if (emu->wd_ms >= wd_period_ms[fget(emu, 0x07, R07_WATCHDOG)])
			watchdog_expire(emu);
	}
	if (emu->env_violating)
		emu->env_violation_ms += dt;
	emu->now_ms += dt;
}

/* A fault that was not there before: a new flag, or a new code in a field. */
static bool new_fault(u8 before, u8 now)
{
	u8 cf = FIELD_GET(R0C_CHRG_FAULT, now), ntc = FIELD_GET(R0C_NTC_FAULT, now);

	return (now & ~before & (R0C_WATCHDOG_FAULT | R0C_BOOST_FAULT | R0C_BAT_FAULT)) ||
	       (cf && cf != FIELD_GET(R0C_CHRG_FAULT, before)) ||
	       (ntc && ntc != FIELD_GET(R0C_NTC_FAULT, before));
}

/*
 * INT, as the datasheet's "Interrupt to Host" lists it: a good input
 * source detected (power good rises), the input removed, charge complete,
 * and a fault event in REG0C. Nothing else: not a recovery from a fault,
 * not the NTC back to normal, not precharge to fast charge or a recharge.
 * And "before the host reads REG0C", no INT for a new fault: a fault's
 * INT holds further fault INTs back until a single-byte REG0C read
 * (assumed: the datasheet adds "and all the faults are cleared", which
 * we do not require).
 */
static void emul_int(struct emul *emu, u8 reg0b, u8 fault, bool vbus)
{
	bool pg_rise = (reg0b & R0B_PG_STAT) && !(emu->last_reg0b & R0B_PG_STAT);
	bool removed = emu->last_vbus && !vbus;
	bool done = FIELD_GET(R0B_CHRG_STAT, reg0b) == CHRG_DONE &&
		    FIELD_GET(R0B_CHRG_STAT, emu->last_reg0b) != CHRG_DONE;
	bool fault_ev = (emu->int_event || new_fault(emu->last_fault, fault)) &&
			!emu->fault_unread;

	emu->last_reg0b = reg0b;
	emu->last_fault = fault;
	emu->last_vbus = vbus;
	if (fault_ev)
		emu->fault_unread = true;
	emu->int_event = false;
	if (pg_rise || removed || done || fault_ev)
		emul_irq_pulse(emu, 1);
}

/*
 * Evaluate the chip and the world at this moment: what flows, what the
 * status and fault registers say, the ADC, the envelope, and INT.
 */
/*
 * A stuck register (the stick knob) holds its value in the bits a host
 * could write, whatever wrote them: the chip acts on what it reads back.
 * The datasheet knows no such state; assumed: a damaged part or another
 * master writing it back, not a fault of the read path alone (the chip
 * charging at a value the host cannot see would hide what a driver must
 * catch, a limit it cannot set).
 */
static void apply_stuck(struct emul *emu)
{
	unsigned int i;

	for (i = 0; i < EMUL_NREGS; i++)
		if (emu->stuck[i])
			emu->regs[i] = (emu->regs[i] & ~emul_wmask[i]) |
				       (emu->stuck_val[i] & emul_wmask[i]);
}

void emul_chip_stick(struct emul *emu, u8 reg, bool stick, u8 val)
{
	emu->stuck[reg] = stick;
	emu->stuck_val[reg] = val;
	emul_update(emu);	/* the chip acts on it now; freed, it keeps it */
}

static void emul_settle(struct emul *emu)
{
	apply_stuck(emu);
	u32 ocv = ocv_uv(emu, soc_pm(emu));
	u32 sysmin = 3000000 + fget(emu, 0x03, R03_SYS_MIN) * 100000;
	u32 vreg = emul_vreg_uv(emu), ichg = emul_ichg_ua(emu);
	u32 batlowv = emu->regs[0x06] & R06_BATLOWV ? 3000000 : 2800000;
	u32 vrechg = emu->regs[0x06] & R06_VRECHG ? 200000 : 100000;
	u32 iterm = 64000 + fget(emu, 0x05, R05_ITERM) * 64000;
	u32 iprechg = 64000 + fget(emu, 0x05, R05_IPRECHG) * 64000;
	u32 treg = treg_dc[fget(emu, 0x08, R08_TREG)];
	u32 src_uv = src_uv_eff(emu);
	bool batfet = emu->bat_present && !(emu->regs[0x09] & R09_BATFET_DIS);
	bool vbus_present = emu->src != SRC_NONE;
	bool ovp = vbus_present && (src_uv > VBUS_OVP_UV || (emu->inject & INJ_VBUS_OVP));
	bool poor = vbus_present && !ovp && src_uv < VBUS_POOR_UV;
	bool input_ok = vbus_present && !ovp && !poor;
	bool converter = input_ok && !(emu->regs[0x00] & R00_EN_HIZ);
	bool otg = !vbus_present && (emu->regs[0x03] & R03_OTG_CONFIG) &&
		   !emu->boost_fault_hold && batfet && ocv > 2900000;
	bool batovp, can_charge, cv = false;
	u8 chrg_fault = CF_NORMAL, fault, reg0b;
	s32 ibat = 0;
	u32 vbus = 0, iin = 0, vsys, vbat;
	int die_dc;

	/* the cell's temperature through the TS network, or a broken network */
	emu->ts_pct_milli = emu->ts_fault == TS_OPEN ? ts_divider(emu, U32_MAX) :
			    emu->ts_fault == TS_SHORT ? 0 : ts_pct_milli(emu, emu->temp_dc);
	emu->zone = ts_zone(emu->ts_pct_milli);
	if (emu->zone == JZ_COOL)
		ichg /= 5;
	if (emu->zone == JZ_WARM)
		vreg -= 200000;

	batovp = (emu->inject & INJ_BAT_OVP) ||
		 (emu->bat_present && (u64)ocv * 100 > (u64)emul_vreg_uv(emu) * BATOVP_PCT);
	if (emu->inject & INJ_TSHUT)
		emu->tshut = true;

	can_charge = converter && batfet && (emu->regs[0x03] & R03_CHG_CONFIG) && ichg &&
		     !emu->timer_expired && !emu->tshut && !batovp &&
		     emu->zone != JZ_COLD && emu->zone != JZ_HOT;

	/* The charge phase and the current the cell would take. */
	emu->stat = CHRG_NONE;
	if (can_charge && emu->charge_done && ocv < vreg - vrechg)
		new_charge_cycle(emu);		/* recharge */
	if (can_charge && emu->charge_done) {
		emu->stat = CHRG_DONE;
	} else if (can_charge && ocv < batlowv) {
		emu->stat = CHRG_PRE;
		ibat = iprechg;
	} else if (can_charge) {
		s64 icv = ocv < vreg ? div_u64((u64)(vreg - ocv) * 1000, emu->rint_mohm) : 0;

		emu->stat = CHRG_FAST;
		ibat = min_t(s64, icv, ichg);
		cv = icv < ichg;
	}

	/* TREG: the die, warmed by the charge current, caps it. */
	emu->therm = false;
	die_dc = emu->temp_dc + (int)div_u64((u64)max(ibat, 0) * emu->die_heat_mc_per_a,
					     100000000);
	if (ibat > 0 && die_dc > (int)treg) {
		s64 cap = 0;

		if (emu->temp_dc < (int)treg && emu->die_heat_mc_per_a)
			cap = div_u64((u64)(treg - emu->temp_dc) * 100000000,
				      emu->die_heat_mc_per_a);

		emu->therm = true;
		ibat = min_t(s64, ibat, cap);
	}
	if (emu->temp_dc >= TSHUT_DC)
		emu->tshut = true;

	/* The input: limits, DPM and the voltage drop along the cable. */
	emu->vdpm = false;
	emu->idpm = false;
	vbat = emu->bat_present ? ocv : 0;
	vsys = converter ? max(vbat, sysmin + 150000) : vbat;
	if (converter) {
		u32 lim_in = iinlim_ua(emu);
		u32 vindpm = vindpm_uv(emu);
		u32 lim_vdpm = U32_MAX, lim;
		u32 sysload = emu->sys_load_ua;
		int i;

		if ((emu->regs[0x02] & R02_ICO_EN) && emu->ico_ua)
			lim_in = min(lim_in, emu->ico_ua);
		if (emu->cable_mohm)
			lim_vdpm = src_uv > vindpm ?
				   div_u64((u64)(src_uv - vindpm) * 1000, emu->cable_mohm) : 0;
		lim = min3(lim_in, emu->src_max_ua, lim_vdpm);

		vbus = src_uv;
		for (i = 0; i < 3; i++) {
			vbat = ocv + (s32)div_s64((s64)ibat * emu->rint_mohm, 1000);
			vsys = max(vbat, sysmin + 150000);
			iin = input_ua(vbus, vsys, sysload, vbat, ibat);
			vbus = vbus_at(src_uv, iin, emu->cable_mohm);
		}
		if (iin > lim) {
			s64 pavail, psys;
			s32 want;

			emu->idpm = lim == lim_in;
			emu->vdpm = !emu->idpm;
			iin = lim;
			vbus = vbus_at(src_uv, iin, emu->cable_mohm);
			if (emu->vdpm)
				vbus = min(vbus, vindpm);
			pavail = div_s64((s64)iin * vbus * BUCK_EFF_PCT, 100);
			/*
			 * The system comes first; the battery gets the rest, or
			 * helps. Its voltage depends on its current: iterate.
			 */
			want = ibat;
			for (i = 0; i < 4; i++) {
				vbat = ocv + (s32)div_s64((s64)ibat * emu->rint_mohm, 1000);
				vsys = max(vbat, sysmin + 150000);
				psys = (s64)vsys * sysload;
				ibat = batfet ? div_s64(pavail - psys, max(vbat, 1U)) : 0;
				ibat = min(ibat, want);
			}
			if (ibat > 0 && emu->stat == CHRG_NONE)
				ibat = 0;
		}
		cv = cv && !emu->idpm && !emu->vdpm && !emu->therm;
		if (emu->stat == CHRG_FAST && cv && (emu->regs[0x07] & R07_EN_TERM) &&
		    ibat <= (s32)iterm) {
			emu->charge_done = true;
			emu->done_ms = emu->now_ms;
			emu->stat = CHRG_DONE;
			ibat = 0;
		}
		if (emu->stat == CHRG_DONE && ibat > 0)
			ibat = 0;
	} else {
		u32 drain = emu->sys_load_ua;

		if (otg) {
			u32 lim = boost_lim_ua[fget(emu, 0x0a, R0A_BOOST_LIM)];
			u32 boostv = 4550000 + fget(emu, 0x0a, R0A_BOOSTV) * 64000;

			if (emu->otg_load_ua > lim || (emu->inject & INJ_BOOST)) {
				emu->fault_latch |= R0C_BOOST_FAULT;
				emu->int_event = true;
				emu->boost_fault_hold = true;
				otg = false;
			} else {
				vbus = boostv;
				drain += div_u64((u64)emu->otg_load_ua * boostv * 100,
						 (u64)max(ocv, 1U) * BUCK_EFF_PCT);
			}
		}
		if (vbus_present)
			vbus = src_uv;	/* present but unusable: OVP, poor, HiZ */
		/* An empty cell cannot carry the load: the system browns out. */
		ibat = batfet && emu->charge_uams > 0 ? -(s32)drain : 0;
		vbat = emu->bat_present ? ocv : 0;
		vsys = vbat;
	}
	if (emu->bat_present)
		vbat = ocv + (s32)div_s64((s64)ibat * emu->rint_mohm, 1000);

	emu->vbus_uv = vbus;
	emu->vbat_uv = vbat;
	emu->vsys_uv = vsys;
	emu->ibat_ua = ibat;
	emu->iin_ua = iin;

	/* Status and faults, as the registers show them. */
	if (ovp || poor)
		chrg_fault = CF_INPUT;
	else if (emu->tshut)
		chrg_fault = CF_THERMAL;
	else if (emu->timer_expired)
		chrg_fault = CF_TIMER;
	fault = FIELD_PREP(R0C_CHRG_FAULT, chrg_fault) |
		(batovp ? R0C_BAT_FAULT : 0) |
		FIELD_PREP(R0C_NTC_FAULT, zone_ntc_fault[emu->zone]);
	emu->fault_latch |= fault & R0C_BAT_FAULT;
	if (chrg_fault)
		emu->latched_chrg_fault = chrg_fault;
	/*
	 * WATCHDOG_FAULT is the mode, not only an event (SLUSC88A 8.3.1,
	 * "Host Mode and Default Mode": "When the charger is in default
	 * mode, WATCHDOG_FAULT bit is HIGH. When the charger is in host
	 * mode, WATCHDOG_FAULT bit is LOW."): it reads 1 on every read from
	 * a power-on reset or an expiry until the host's next write (and
	 * at the first read after it: see emul_chg_write()). Its
	 * interrupt is the expiry's (int_event), so it stays out of the
	 * new-fault comparison: no INT at a power-on reset (see
	 * emul_chip_por()).
	 */
	emu->fault_now = fault | (emu->host_mode ? 0 : R0C_WATCHDOG_FAULT);

	/*
	 * Field reports on the BQ25890/5 (TI E2E, "charge termination
	 * oscillation"): at termination CHRG_STAT can flip between fast
	 * charge and done, at periods from 10 ms to 2 s, each flip with INT.
	 * The datasheet is silent; term_flap_ms models it (the reported
	 * state only: no current flows).
	 */
	if (emu->stat == CHRG_DONE && emu->term_flap_ms &&
	    div_u64(emu->now_ms - emu->done_ms, emu->term_flap_ms) & 1)
		emu->stat = CHRG_FAST;

	reg0b = FIELD_PREP(R0B_VBUS_STAT, otg ? 7 : (vbus_present ? emu->vbus_stat : 0)) |
		FIELD_PREP(R0B_CHRG_STAT, emu->stat) |
		(input_ok ? R0B_PG_STAT : 0) |
		(vbus_present && emu->vbus_stat == 1 ? R0B_SDP_STAT : 0) |
		(emu->bat_present && vbat < sysmin ? R0B_VSYS_STAT : 0);
	emu->regs[0x0b] = reg0b;
	/* VBUS_GD: VBUS attached and under the over-voltage threshold (assumed: live, as PG) */
	emu->regs[0x11] &= ~R11_VBUS_GD;
	if (vbus_present && !ovp)
		emu->regs[0x11] |= R11_VBUS_GD;
	emu->regs[0x0e] = (emu->regs[0x0e] & ~R0E_THERM_STAT) | (emu->therm ? R0E_THERM_STAT : 0);
	{
		u32 eff = iinlim_ua(emu);

		if ((emu->regs[0x02] & R02_ICO_EN) && emu->ico_ua)
			eff = min(eff, emu->ico_ua);
		emu->regs[0x13] = (emu->vdpm ? R13_VDPM_STAT : 0) |
				  (emu->idpm ? R13_IDPM_STAT : 0) |
				  FIELD_PREP(R13_IDPM_LIM, (eff - 100000) / 50000);
	}

	/* The ADC: one-shot, or every second in continuous mode. */
	if (emu->regs[0x02] & R02_CONV_RATE) {
		emu->regs[0x02] |= R02_CONV_START;
		if (emu->now_ms >= emu->adc_next_ms) {
			adc_convert(emu);
			emu->adc_next_ms = emu->now_ms + 1000;
		}
	} else if (emu->adc_pending && emu->now_ms >= emu->adc_done_ms) {
		adc_convert(emu);
		emu->adc_pending = false;
		emu->regs[0x02] &= ~R02_CONV_START;
	}

	env_check(emu);

	emul_int(emu, reg0b, fault, vbus_present);
}

/* Let dt ms pass (if any), then settle at the new moment. */
static void emul_eval(struct emul *emu, u32 dt)
{
	if (dt)
		emul_integrate(emu, dt);
	emul_settle(emu);
}

void emul_update(struct emul *emu)
{
	emul_eval(emu, 0);
}

void emul_advance(struct emul *emu, u64 ms)
{
	while (ms) {
		u32 step = emu->term_flap_ms ? min_t(u32, emu->term_flap_ms, STEP_MS) : STEP_MS;
		u32 dt = min_t(u64, ms, step);

		emul_eval(emu, dt);
		ms -= dt;
	}
}

/* --- the register interface -------------------------------------------- */

/*
 * One byte of a read transaction. burst is true when the transaction reads
 * more than one byte: the datasheet's "Multi-Read and Multi-Write" allows
 * multi-byte reads of REG00-REG14 except REG0C, and says nothing of what
 * such a read returns for it. We return 0x00 (what a BQ25896 returned in
 * the field) and leave the latch as it was (assumed: the datasheet does
 * not say; leaving it is the case in which a driver that trusts the byte
 * loses a fault for good).
 */
int emul_chg_read(struct emul *emu, u8 reg, u8 *val, bool burst)
{
	if (reg >= EMUL_NREGS) {
		*val = 0;	/* unmapped: reads as zero (assumed) */
		return 0;
	}
	emu->reads[reg]++;
	if (reg == 0x0c && burst) {
		emu->reg0c_burst_reads++;
		*val = 0;
	} else if (reg == 0x0c) {
		/* Latched, then present: the latch clears on read. */
		u8 v = emu->fault_now | (emu->fault_latch & ~R0C_CHRG_FAULT);

		if (emu->latched_chrg_fault) {
			v &= ~R0C_CHRG_FAULT;
			v |= FIELD_PREP(R0C_CHRG_FAULT, emu->latched_chrg_fault);
		}
		emu->fault_latch = 0;
		emu->latched_chrg_fault = 0;
		emu->fault_unread = false;
		*val = v;
	} else {
		*val = emu->regs[reg];
	}
	if (emu->stuck[reg])
		*val = emu->stuck_val[reg];
	if (emu->corrupt_reg == reg) {
		*val ^= emu->corrupt_mask;
		emu->corrupt_reg = -1;
	}
	return 0;
}

void emul_chg_write(struct emul *emu, u8 reg, u8 val)
{
	struct emul_wlog *w = &emu->wlog[emu->wlog_head];
	u8 old;

	w->t_ms = emu->now_ms;
	w->addr = EMUL_CHG_ADDR;
	w->reg = reg;
	w->val = val;
	emu->wlog_head = (emu->wlog_head + 1) % EMUL_WLOG_LEN;
	emu->wlog_count = min(emu->wlog_count + 1, (unsigned int)EMUL_WLOG_LEN);

	if (reg >= EMUL_NREGS)
		return;
	emu->writes[reg]++;
	if (emu->stuck[reg])
		return;
	/*
	 * The write ends default mode (SLUSC88A 8.3.1). REG0C's first read
	 * reports the status since the last read (8.2.9.2, "Interrupt to
	 * Host": "The 1st reads fault register status from the last read"),
	 * and the chip was in default mode, WATCHDOG_FAULT high, from that
	 * read until this write: the next read still reports it, the one
	 * after reads the present, low.
	 */
	if (!emu->host_mode)
		emu->fault_latch |= R0C_WATCHDOG_FAULT;
	emu->host_mode = true;
	emu->env_armed = true;
	old = emu->regs[reg];
	emu->regs[reg] = (old & ~emul_wmask[reg]) | (val & emul_wmask[reg]);

	switch (reg) {
	case 0x02:
		if ((val & R02_CONV_START) && !(emu->regs[0x02] & R02_CONV_RATE) &&
		    !emu->adc_pending) {
			emu->adc_pending = true;
			emu->adc_done_ms = emu->now_ms + emu->adc_ms;
		}
		if ((emu->regs[0x02] & R02_CONV_RATE) && !(old & R02_CONV_RATE))
			emu->adc_next_ms = emu->now_ms + 1000;
		if (!(emu->regs[0x02] & R02_CONV_RATE) && (old & R02_CONV_RATE) &&
		    !emu->adc_pending)
			emu->regs[0x02] &= ~R02_CONV_START;
		if (val & R02_FORCE_DPDM) {
			emu->regs[0x02] &= ~R02_FORCE_DPDM;
			if (emu->src != SRC_NONE) {
				detect_source(emu);
				set_relative_vindpm(emu);
			}
		}
		break;
	case 0x03:
		if (val & R03_WD_RST) {
			emu->regs[0x03] &= ~R03_WD_RST;
			emu->wd_ms = 0;
		}
		if ((emu->regs[0x03] ^ emu->prev_reg03) & R03_CHG_CONFIG)
			new_charge_cycle(emu);
		if ((emu->regs[0x03] ^ emu->prev_reg03) & R03_OTG_CONFIG)
			emu->boost_fault_hold = false;
		emu->prev_reg03 = emu->regs[0x03];
		break;
	case 0x0d:
		/*
		 * VINDPM "is read only when FORCE_VINDPM=0 and can be written
		 * by internal control based on relative VINDPM threshold
		 * setting" (datasheet, REG0D): in relative mode the write's
		 * threshold is ignored, and the chip's own is set again from
		 * the source in (assumed at once: the datasheet does not say
		 * when a return to relative mode takes effect).
		 */
		if (!(emu->regs[0x0d] & R0D_FORCE_VINDPM)) {
			emu->regs[0x0d] = old & R0D_VINDPM;
			if (emu->src != SRC_NONE)
				set_relative_vindpm(emu);
		}
		break;
	case 0x07:
		if ((old ^ emu->regs[0x07]) & R07_WATCHDOG)
			emu->wd_ms = 0;
		break;
	case 0x09:
		if (val & R09_FORCE_ICO) {
			emu->regs[0x09] &= ~R09_FORCE_ICO;
			if (emu->src != SRC_NONE)
				run_ico(emu);
		}
		break;
	case 0x14:
		if (val & R14_REG_RST) {
			reset_registers(emu, NULL);
			new_charge_cycle(emu);
			emu->prev_reg03 = emu->regs[0x03];
			/*
			 * The reset came in a write, and "any write command to
			 * device transitions the charger from default mode to
			 * host mode" (SLUSC88A 8.3.1): the registers are the
			 * defaults, the watchdog (40 s by default) runs from
			 * now, and WATCHDOG_FAULT stays low. Assumed: the
			 * datasheet does not say which of the two REG_RST
			 * leaves the chip in.
			 */
			emu->host_mode = true;
		}
		break;
	}
	emul_update(emu);
}

/* --- the SBS gauge ----------------------------------------------------- */

#define SBS_INITIALIZED		0x0080
#define SBS_DISCHARGING		0x0040
#define SBS_FULLY_CHARGED	0x0020
#define SBS_FULLY_DISCHARGED	0x0010
#define SBS_TERMINATE_DISCHARGE	0x0800
#define SBS_OVER_TEMP		0x1000
#define SBS_TERMINATE_CHARGE	0x4000
#define SBS_OVER_CHARGED	0x8000

static int gauge_word(struct emul *emu, u8 cmd, u16 *w)
{
	u32 mah = div64_s64(emu->charge_uams, UAMS_PER_UAH * 1000);
	u32 full_mah = emu->full_uah / 1000;
	s32 ma = emu->ibat_ua / 1000;
	u16 st;

	switch (cmd) {
	case 0x00:	/* ManufacturerAccess */
	case 0x03:	/* BatteryMode */
		*w = cmd ? emu->gauge_mode : emu->gauge_access;
		return 0;
	case 0x08:
		*w = emu->temp_dc + 2731;
		return 0;
	case 0x09:
		*w = emu->vbat_uv / 1000;
		return 0;
	case 0x0a:
	case 0x0b:
		*w = (u16)(s16)ma;
		return 0;
	case 0x0c:
		*w = 1;
		return 0;
	case 0x0d:
		*w = emul_soc_pct(emu);
		return 0;
	case 0x0e:
		*w = emu->design_uah ? mah * 100 / (emu->design_uah / 1000) : 0;
		return 0;
	case 0x0f:
		*w = mah;
		return 0;
	case 0x10:
		*w = full_mah;
		return 0;
	case 0x11:
	case 0x12:
		*w = ma < 0 ? min_t(u32, mah * 60 / -ma, 65534) : 65535;
		return 0;
	case 0x13:
		*w = ma > 0 ? min_t(u32, (full_mah - min(mah, full_mah)) * 60 / ma, 65534) : 65535;
		return 0;
	case 0x14:
		*w = emu->env_ichg_ua / 1000;
		return 0;
	case 0x15:
		*w = emu->env_vreg_uv / 1000;
		return 0;
	case 0x16:
		st = SBS_INITIALIZED;
		if (emu->ibat_ua <= 0)
			st |= SBS_DISCHARGING;
		if (emu->stat == CHRG_DONE || emul_soc_pct(emu) >= 100)
			st |= SBS_FULLY_CHARGED | SBS_TERMINATE_CHARGE;
		if (!mah)
			st |= SBS_FULLY_DISCHARGED | SBS_TERMINATE_DISCHARGE;
		if (emu->temp_dc > 600)
			st |= SBS_OVER_TEMP | SBS_TERMINATE_CHARGE;
		if (emu->inject & INJ_BAT_OVP)
			st |= SBS_OVER_CHARGED | SBS_TERMINATE_CHARGE;
		*w = st;
		return 0;
	case 0x17:
		*w = emu->cycles;
		return 0;
	case 0x18:
		*w = emu->design_uah / 1000;
		return 0;
	case 0x19:
		*w = 3850;
		return 0;
	case 0x1a:	/* SpecificationInfo: SBS 1.1, no PEC */
		*w = 0x0021;
		return 0;
	case 0x1b:	/* ManufactureDate: 2026-01-15 */
		*w = (46 << 9) | (1 << 5) | 15;
		return 0;
	case 0x1c:
		*w = 0x2589;
		return 0;
	}
	return -EIO;	/* an unsupported command is not acknowledged */
}

static const char *gauge_string(u8 cmd)
{
	switch (cmd) {
	case 0x20:
		return "chargerd";
	case 0x21:
		return "emul-1000mAh";
	case 0x22:
		return "LION";
	}
	return NULL;
}

/*
 * A read of *len bytes after command cmd. For an SMBus block read (block),
 * the first byte is the count and *len is set to what was sent.
 */
int emul_gauge_read(struct emul *emu, u8 cmd, u8 *buf, u16 *len, bool block)
{
	const char *s = gauge_string(cmd);
	u16 w;
	int ret;

	if (s) {
		size_t n = strlen(s);

		if (block) {
			buf[0] = n;
			memcpy(buf + 1, s, n);
			*len = n + 1;
		} else {
			memset(buf, 0, *len);
			buf[0] = n;
			memcpy(buf + 1, s, min_t(size_t, n, *len ? *len - 1 : 0));
		}
		return 0;
	}
	ret = gauge_word(emu, cmd, &w);
	if (ret)
		return ret;
	if (block)
		return -EIO;
	if (*len > 0)
		buf[0] = w & 0xff;
	if (*len > 1)
		buf[1] = w >> 8;
	return 0;
}

int emul_gauge_write(struct emul *emu, u8 cmd, const u8 *buf, u16 len)
{
	u16 w;

	if (len != 2)
		return -EIO;
	w = buf[0] | (buf[1] << 8);
	if (cmd == 0x00)
		emu->gauge_access = w;
	else if (cmd == 0x03)
		emu->gauge_mode = w & 0xe000;	/* the writable mode bits */
	else
		return -EIO;
	return 0;
}

void emul_chip_init(struct emul *emu)
{
	emu->adc_ms = 1000;
	emu->temp_dc = 250;
	emu->die_heat_mc_per_a = 25000;
	emu->bat_present = true;
	/* the cell: the board's (emul_board_cell()), else the reference's */
	if (!emu->design_uah)
		emu->design_uah = 1000000;
	emu->full_uah = emu->design_uah;
	if (!emu->rint_mohm)
		emu->rint_mohm = 150;
	emu->charge_uams = (s64)emu->full_uah * UAMS_PER_UAH / 2;
	if (!emu->env_ichg_ua)
		emu->env_ichg_ua = 1000000;
	if (!emu->env_vreg_uv)
		emu->env_vreg_uv = 4350000;
	emu->corrupt_reg = -1;
	emu->por_before_read = -1;
	emu->fail_errno = -EIO;
	emu->rng = 1;
	emul_chip_por(emu);
	emu->resets = 0;	/* count resets from here on */
}
