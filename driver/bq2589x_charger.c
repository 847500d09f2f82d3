// SPDX-License-Identifier: GPL-2.0
/*
 * TI BQ25895 (and BQ25890/2/6) switch-mode battery charger
 *
 * The driver's first duty is the battery's safety envelope: no path
 * programs a charge current or voltage above the battery's limits, and a
 * chip that resets itself (watchdog expiry, power-on reset) is put back at
 * once. Its second is to report everything the chip knows, cheaply: an
 * interrupt costs two burst reads around the fault register, which the
 * chip cannot burst, and one single read of it (two when it latched a
 * fault), and the power supply's properties are served from that snapshot.
 */
#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/i2c.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/linear_range.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pm.h>
#include <linux/pm_wakeirq.h>
#include <linux/pm_wakeup.h>
#include <linux/power_supply.h>
#include <linux/property.h>
#include <linux/regmap.h>
#include <linux/regulator/driver.h>
#include <linux/regulator/machine.h>
#include <linux/workqueue.h>

#include "kcompat.h"

/* The registers (bq25895-registers.md), by what the driver uses them for. */
#define BQ_REG_INPUT_SRC	0x00	/* REG00: HiZ, input current limit */
#define BQ_REG_VINDPM_OS	0x01	/* REG01: NTC thresholds, VINDPM offset */
#define BQ_REG_ADC_CTRL		0x02	/* REG02: ADC, input detection, ICO */
#define BQ_REG_SYS_CTRL		0x03	/* REG03: WD_RST, OTG, CHG_CONFIG, SYS_MIN */
#define BQ_REG_ICHG		0x04	/* REG04: charge current */
#define BQ_REG_IPRE_ITERM	0x05	/* REG05: precharge and termination current */
#define BQ_REG_VREG		0x06	/* REG06: charge voltage, BATLOWV, VRECHG */
#define BQ_REG_TIMER		0x07	/* REG07: termination, watchdog, safety timer */
#define BQ_REG_IRCOMP_TREG	0x08	/* REG08: IR compensation, thermal regulation */
#define BQ_REG_MISC		0x09	/* REG09: ICO, BATFET, current pulse */
#define BQ_REG_BOOST		0x0a	/* REG0A: boost voltage and current limit */
#define BQ_REG_STATUS		0x0b	/* REG0B (RO): source, charge state, power good */
#define BQ_REG_FAULT		0x0c	/* REG0C (RO): faults, latched; never in a burst */
#define BQ_REG_VINDPM		0x0d	/* REG0D: absolute VINDPM */
#define BQ_REG_BATV		0x0e	/* REG0E (RO): ADC: thermal regulation, VBAT */
#define BQ_REG_SYSV		0x0f	/* REG0F (RO): ADC: VSYS */
#define BQ_REG_TSPCT		0x10	/* REG10 (RO): ADC: TS, % of REGN */
#define BQ_REG_VBUSV		0x11	/* REG11 (RO): ADC: VBUS good, VBUS */
#define BQ_REG_ICHGR		0x12	/* REG12 (RO): ADC: charge current */
#define BQ_REG_IDPM		0x13	/* REG13 (RO): DPM state, effective input limit */
#define BQ_REG_ID		0x14	/* REG14: REG_RST, part number, revision */

#define BQ_NREGS		(BQ_REG_ID + 1)
#define BQ_LAST_CFG		BQ_REG_BOOST

/* The defaults bq_soft_reset() puts back, whole registers (the bits set named). */
#define BQ_ADC_CTRL_DEFAULT	0x3d	/* BOOST_FREQ, ICO_EN, HVDCP_EN, MAXC_EN, AUTO_DPDM_EN */
#define BQ_MISC_DEFAULT		0x44	/* TMR2X_EN, BATFET_RST_EN */

enum { VBUS_NONE, VBUS_SDP, VBUS_CDP, VBUS_DCP, VBUS_HVDCP, VBUS_UNKNOWN, VBUS_NONSTD, VBUS_OTG };
enum { CHRG_NONE, CHRG_PRE, CHRG_FAST, CHRG_DONE };
enum { CF_NORMAL, CF_INPUT, CF_THERMAL, CF_TIMER };
enum { NTC_NORMAL = 0, NTC_WARM = 2, NTC_COOL = 3, NTC_COLD = 5, NTC_HOT = 6 };

/*
 * Every field the driver reads or writes. One table describes them for
 * both ways in: regmap_field for a single field on the bus, and
 * bq_snap_field() and friends for the bytes of a snapshot or of a
 * register written whole.
 */
enum bq_field {
	F_EN_HIZ, F_IINLIM,						/* REG00 */
	F_CONV_START, F_CONV_RATE,					/* REG02 */
	F_WD_RST, F_OTG_CONFIG, F_CHG_CONFIG, F_SYS_MIN,		/* REG03 */
	F_EN_PUMPX, F_ICHG,						/* REG04 */
	F_IPRECHG, F_ITERM,						/* REG05 */
	F_VREG, F_BATLOWV, F_VRECHG,					/* REG06 */
	F_EN_TERM, F_STAT_DIS, F_WATCHDOG, F_EN_TIMER, F_CHG_TIMER,	/* REG07 */
	F_BAT_COMP, F_VCLAMP, F_TREG,					/* REG08 */
	F_BOOSTV, F_BOOST_LIM,						/* REG0A */
	F_VBUS_STAT, F_CHRG_STAT, F_PG_STAT,				/* REG0B */
	F_WATCHDOG_FAULT, F_BOOST_FAULT, F_CHRG_FAULT, F_BAT_FAULT,	/* REG0C */
	F_NTC_FAULT,
	F_FORCE_VINDPM, F_VINDPM,					/* REG0D */
	F_BATV,								/* REG0E */
	F_SYSV,								/* REG0F */
	F_TSPCT,							/* REG10 */
	F_VBUS_GD, F_VBUSV,						/* REG11 */
	F_ICHGR,							/* REG12 */
	F_VDPM_STAT, F_IDPM_STAT, F_IDPM_LIM,				/* REG13 */
	F_PN,								/* REG14 */
	F_NUM_FIELDS
};

static const struct reg_field bq_reg_fields[F_NUM_FIELDS] = {
	[F_EN_HIZ]		= REG_FIELD(BQ_REG_INPUT_SRC, 7, 7),
	[F_IINLIM]		= REG_FIELD(BQ_REG_INPUT_SRC, 0, 5),
	[F_CONV_START]		= REG_FIELD(BQ_REG_ADC_CTRL, 7, 7),
	[F_CONV_RATE]		= REG_FIELD(BQ_REG_ADC_CTRL, 6, 6),
	[F_WD_RST]		= REG_FIELD(BQ_REG_SYS_CTRL, 6, 6),
	[F_OTG_CONFIG]		= REG_FIELD(BQ_REG_SYS_CTRL, 5, 5),
	[F_CHG_CONFIG]		= REG_FIELD(BQ_REG_SYS_CTRL, 4, 4),
	[F_SYS_MIN]		= REG_FIELD(BQ_REG_SYS_CTRL, 1, 3),
	[F_EN_PUMPX]		= REG_FIELD(BQ_REG_ICHG, 7, 7),
	[F_ICHG]		= REG_FIELD(BQ_REG_ICHG, 0, 6),
	[F_IPRECHG]		= REG_FIELD(BQ_REG_IPRE_ITERM, 4, 7),
	[F_ITERM]		= REG_FIELD(BQ_REG_IPRE_ITERM, 0, 3),
	[F_VREG]		= REG_FIELD(BQ_REG_VREG, 2, 7),
	[F_BATLOWV]		= REG_FIELD(BQ_REG_VREG, 1, 1),
	[F_VRECHG]		= REG_FIELD(BQ_REG_VREG, 0, 0),
	[F_EN_TERM]		= REG_FIELD(BQ_REG_TIMER, 7, 7),
	[F_STAT_DIS]		= REG_FIELD(BQ_REG_TIMER, 6, 6),
	[F_WATCHDOG]		= REG_FIELD(BQ_REG_TIMER, 4, 5),
	[F_EN_TIMER]		= REG_FIELD(BQ_REG_TIMER, 3, 3),
	[F_CHG_TIMER]		= REG_FIELD(BQ_REG_TIMER, 1, 2),
	[F_BAT_COMP]		= REG_FIELD(BQ_REG_IRCOMP_TREG, 5, 7),
	[F_VCLAMP]		= REG_FIELD(BQ_REG_IRCOMP_TREG, 2, 4),
	[F_TREG]		= REG_FIELD(BQ_REG_IRCOMP_TREG, 0, 1),
	[F_BOOSTV]		= REG_FIELD(BQ_REG_BOOST, 4, 7),
	[F_BOOST_LIM]		= REG_FIELD(BQ_REG_BOOST, 0, 2),
	[F_VBUS_STAT]		= REG_FIELD(BQ_REG_STATUS, 5, 7),
	[F_CHRG_STAT]		= REG_FIELD(BQ_REG_STATUS, 3, 4),
	[F_PG_STAT]		= REG_FIELD(BQ_REG_STATUS, 2, 2),
	[F_WATCHDOG_FAULT]	= REG_FIELD(BQ_REG_FAULT, 7, 7),
	[F_BOOST_FAULT]		= REG_FIELD(BQ_REG_FAULT, 6, 6),
	[F_CHRG_FAULT]		= REG_FIELD(BQ_REG_FAULT, 4, 5),
	[F_BAT_FAULT]		= REG_FIELD(BQ_REG_FAULT, 3, 3),
	[F_NTC_FAULT]		= REG_FIELD(BQ_REG_FAULT, 0, 2),
	[F_FORCE_VINDPM]	= REG_FIELD(BQ_REG_VINDPM, 7, 7),
	[F_VINDPM]		= REG_FIELD(BQ_REG_VINDPM, 0, 6),
	[F_BATV]		= REG_FIELD(BQ_REG_BATV, 0, 6),
	[F_SYSV]		= REG_FIELD(BQ_REG_SYSV, 0, 6),
	[F_TSPCT]		= REG_FIELD(BQ_REG_TSPCT, 0, 6),
	[F_VBUS_GD]		= REG_FIELD(BQ_REG_VBUSV, 7, 7),
	[F_VBUSV]		= REG_FIELD(BQ_REG_VBUSV, 0, 6),
	[F_ICHGR]		= REG_FIELD(BQ_REG_ICHGR, 0, 6),
	[F_VDPM_STAT]		= REG_FIELD(BQ_REG_IDPM, 7, 7),
	[F_IDPM_STAT]		= REG_FIELD(BQ_REG_IDPM, 6, 6),
	[F_IDPM_LIM]		= REG_FIELD(BQ_REG_IDPM, 0, 5),
	[F_PN]			= REG_FIELD(BQ_REG_ID, 3, 5),
};

/*
 * The fields' value ranges (uA, uV unless said): value = min + (selector -
 * min_sel) * step. A value to program is clamped to its range and rounded
 * down to a step (bq_range_sel()).
 */
/* ICHG: 0-5056 mA */
static const struct linear_range rng_ichg = LINEAR_RANGE(0, 0, 79, 64000);
/* VREG: 3.840-4.608 V */
static const struct linear_range rng_vreg = LINEAR_RANGE(3840000, 0, 48, 16000);
/* ITERM and IPRECHG: 64-1024 mA */
static const struct linear_range rng_iterm = LINEAR_RANGE(64000, 0, 15, 64000);
/* IINLIM, and IDPM_LIM (the effective limit): 100-3250 mA */
static const struct linear_range rng_iinlim = LINEAR_RANGE(100000, 0, 63, 50000);
/* VINDPM: 2.6 V + 100 mV a step, used from 3.9 V (selector 13) to 15.3 V */
static const struct linear_range rng_vindpm = LINEAR_RANGE(3900000, 13, 127, 100000);
/* SYS_MIN: 3.0-3.7 V */
static const struct linear_range rng_sysmin = LINEAR_RANGE(3000000, 0, 7, 100000);
/* BOOSTV: 4.550-5.510 V */
static const struct linear_range rng_boostv = LINEAR_RANGE(4550000, 0, 15, 64000);
/* TREG: 60-120 degC */
static const struct linear_range rng_treg = LINEAR_RANGE(60, 0, 3, 20);
/* The ADC: VBUSV 2.6-15.3 V, ICHGR 0-6350 mA, TSPCT 21-80.055 % (0.001 %) */
static const struct linear_range rng_vbusv = LINEAR_RANGE(2600000, 0, 127, 100000);
static const struct linear_range rng_ichgr = LINEAR_RANGE(0, 0, 127, 50000);
static const struct linear_range rng_tspct = LINEAR_RANGE(21000, 0, 127, 465);

static const u32 boost_lim_ua[] = {
	500000, 750000, 1200000, 1400000, 1650000, 1875000, 2150000, 2450000,
};

/*
 * The TS pin's network (datasheet 8.2.7.5, Thermistor Qualification):
 * RT1 from REGN to TS, then RT2 and the battery's NTC in parallel to
 * ground; TSPCT reads TS/REGN. The board describes it (ti,ts-pullup-ohms,
 * ti,ts-pulldown-ohms, ti,ntc-temperature-lookup-table). Without it, the
 * reference board's: RT1 5.23 kOhm, RT2 30.1 kOhm and a 10 kOhm NTC of
 * B 3435 K (103AT), its resistance from the beta equation every 5 degC
 * from -40 to 125 degC.
 */
#define BQ_REF_TS_RT1		5230
#define BQ_REF_TS_RT2		30100
#define BQ_REF_NTC_T0_DC	(-400)
static const u32 ref_ntc_ohms[] = {
	248277, 182221, 135452, 101898, 77523, 59606, 46290, 36290, 28704, 22897,
	18410, 14916, 12171, 10000, 8269, 6881, 5759, 4847, 4101, 3488,
	2981, 2559, 2207, 1912, 1662, 1451, 1272, 1118, 987, 874,
	776, 692, 618, 554,
};

/* The most points of a board's table (its rows), and the fewest. */
#define BQ_NTC_MAX		64
#define BQ_NTC_MIN		2
/* The largest resistance of the network the binding allows, ohms */
#define BQ_NTC_OHMS_MAX		10000000

/*
 * The chip's own JEITA thresholds (datasheet 7.5, VT1 rising and VT5
 * falling, typical), in 0.001 % of REGN: where it stops charging, cold
 * and hot, whatever the network. Only for the probe's message.
 */
#define BQ_VT1_COLD		73250
#define BQ_VT5_HOT		34375

/* The network as TS/REGN against temperature, from the board at probe. */
struct bq_ntc {
	unsigned int n;
	int temp_dc[BQ_NTC_MAX];	/* 0.1 degC, ascending */
	u32 ts[BQ_NTC_MAX];		/* TS/REGN in 0.001 %, descending */
};

/*
 * Timings, in ms. None is a board property: what depends on the board is
 * in the binding (the ti,* values and monitored-battery); these follow
 * from the chip and from the power budget of a battery device, and every
 * product runs the defaults below. debugfs (DEBUGFS/bq25895-charger/)
 * lets the tests change them; it is not an interface.
 */
struct bq_timings {
	/*
	 * At termination some chips flip CHRG_STAT between fast charge and
	 * done (TI E2E field reports on the BQ25890/5, periods of 10 ms to
	 * 2 s). Done is held through "fast" for this long after the chip
	 * last said done: a real recharge lasts minutes, a flap never gets
	 * there.
	 */
	u32 full_hold_ms;
	/* Serve properties from a snapshot at most this old. */
	u32 snapshot_ms;
	/* With an IRQ, re-read the chip this often while online (a reset raises no INT). */
	u32 backstop_ms;
	/*
	 * The chip raises INT for a new fault, not for its end (datasheet,
	 * "Interrupt to Host": good input, input removed, charge complete,
	 * fault events). While a fault is present, read this often to see
	 * it go.
	 */
	u32 fault_poll_ms;
	/* On battery, an ADC reading older than this starts a one-shot conversion. */
	u32 adc_max_age_ms;
	/*
	 * Continuous conversion (CONV_RATE 1, "start 1s continuous
	 * conversion") gives its first sample one period after it starts
	 * (assumed: the datasheet gives the period, not the first sample's
	 * time), plus a conversion's margin: in by this long. Until a sample
	 * moves an ADC register, or this long, the readings are the last
	 * one-shot's, from before the plug or the resume: not served.
	 */
	u32 adc_first_ms;
	/*
	 * While a register does not keep its value (bq_check_kept()), a
	 * restore is tried again this often: one that holds ends it, and
	 * each restarts the ADC (bq_soft_reset()).
	 */
	u32 unkept_retry_ms;
};

static const struct bq_timings bq_default_timings = {
	.full_hold_ms = 10000,
	.snapshot_ms = 500,
	.backstop_ms = 60000,
	.fault_poll_ms = 5000,
	.adc_max_age_ms = 5000,
	.adc_first_ms = 1200,
	.unkept_retry_ms = 60000,
};

/* Polling without an IRQ: faster while online, slower on battery. */
#define POLL_ONLINE_MS		1000
#define POLL_BATTERY_MS		10000
/*
 * Transfers the chip must take, at probe and in the last writes before
 * the driver lets go (a refusal, the hand-back): tries in all, and the
 * pause between two (a bus glitch, a chip busy after its power-on).
 */
#define BQ_REFUSE_TRIES		5
#define BQ_TRY_PAUSE_US		2000
/*
 * At probe, the reads and the configuration: tried again, each pause twice
 * the last (2 ms, 4 ms, ... at most 1 s), while the pause ends within
 * BQ_PROBE_WAIT_MS of the probe's start: a bus that does not answer costs
 * the probe about 3 s in all, whatever each failed transfer takes (an
 * adapter's own timeout; helper-92: counted in tries, a slow adapter's
 * timeouts came on top, for each of the three phases). A failed probe
 * leaves the chip on its power-on defaults, 2048 mA and 4.208 V, with no
 * driver until the next boot: five tries 2 ms apart gave up on a 100 ms
 * outage (helper-90). Only a failing probe waits.
 */
#define BQ_PROBE_WAIT_MS	3000
#define BQ_PROBE_PAUSE_MAX_US	1000000
/* After an interrupt whose read failed, read again this soon. */
#define BQ_RETRY_MS		100
/* At most one power_supply_changed() per this interval (see bq_announce()). */
#define CHANGED_MIN_MS		100
#define ADC_CONV_TIMEOUT_MS	1200
/* The ADC's readings: BATV, SYSV, TSPCT, VBUSV, ICHGR (bq_adc_values()). */
#define BQ_ADC_READINGS		5

struct bq_snapshot {
	u8 regs[BQ_NREGS];	/* the register file; regs[BQ_REG_FAULT] is the latched read */
	u8 fault_now;		/* REG0C re-read: the present faults */
	u8 stat;		/* CHRG_STAT as reported: "done" held through a flap */
	bool ok;		/* the last read succeeded */
	bool unkept;		/* the chip did not keep a restore (bq_check_kept()) */
};

struct bq_config {
	u32 ichg, vreg, iprechg, iterm, sysmin, boostv, boosti;
	u8 treg;
	u8 wd;			/* WATCHDOG field; 0: off */
	u32 ichg_max, vreg_max;	/* the battery's (or board's) limits */
	u32 iinlim;		/* input_current_limit written, uA; 0: none */
	u32 vindpm;		/* input_voltage_limit written, uV; 0: none */
	u64 input_source;	/* power_good_rises of the source they are for */
	bool input_applied;	/* in the chip, for the source in, at the last look */
};

enum bq_fault_kind {
	FK_WATCHDOG, FK_BOOST, FK_INPUT, FK_THERMAL, FK_TIMER, FK_BAT_OVP, FK_NTC,
	FK_NUM
};

struct bq2589x {
	struct device *dev;
	struct regmap *rmap;
	struct regmap_field *f[F_NUM_FIELDS];
	struct power_supply_desc psy_desc;
	struct power_supply *psy;
	struct mutex lock;		/* snapshot, config, counters, chip access */
	struct bq_snapshot snap;
	unsigned long snap_at;		/* jiffies of the last burst */
	unsigned long adc_at;		/* jiffies of the last ADC sample or try */
	/*
	 * Our writes just ended default mode (the probe's, a restore's): the
	 * next latched WATCHDOG_FAULT may be the time before them, not a reset.
	 */
	bool left_default;
	/* continuous conversion began: announce its first sample at adc_first_at */
	bool adc_first_due;
	unsigned long adc_first_at;
	/* a look asked for at look_at (bq_look_again_soon()), not moved later */
	bool look_soon;
	unsigned long look_at;
	/*
	 * Continuous conversion began and no sample of it has been seen: the
	 * ADC registers (adc_before: BATV, SYSV, TSPCT, VBUSV, ICHGR) still
	 * hold the readings from before the plug or the resume.
	 */
	bool adc_stale;
	u8 adc_before[BQ_ADC_READINGS];
	struct bq_config cfg;
	struct bq_ntc ntc;
	bool configured;
	bool skip_reset;
	int behaviour;			/* POWER_SUPPLY_CHARGE_BEHAVIOUR_* */
	/*
	 * An auto charge_behaviour the bus refused, -1 none: made at the
	 * next refresh that reaches the chip, unless another write comes
	 * first (the last asked wins)
	 */
	int behaviour_pending;
	int irq;
	unsigned int wd_timeout_ms;
	struct bq_timings t;
	struct delayed_work poll_work;
	struct delayed_work wd_work;
	struct delayed_work changed_work;
	unsigned long changed_at;
	u32 status_sig;			/* what was last announced */
	u64 faults[FK_NUM];
	u64 i2c_errors;
	u64 chip_resets;
	u64 config_unkept;		/* episodes of a restore not kept */
	u64 config_overwritten;		/* someone else's writes undone (bq_config_whose()) */
	u64 power_good_rises;
	bool power_good;		/* PG_STAT at the last read that succeeded */
	bool reset_logged;
	bool overwrite_logged;
	bool restore_failed;		/* the last restore's transfers failed (bq_refresh()) */
	u8 tried[F_NUM_FIELDS];		/* the last value of a field written outside a restore */
	u64 tried_mask;			/* which fields tried holds (bq_tried()) */
	bool unkept;			/* restores do not hold (bq_check_kept()) */
	bool unkept_suspect;		/* one did not: looked at again soon */
	u8 unkept_reg, unkept_val;	/* the register that did not keep it, as read */
	unsigned long unkept_tried;	/* jiffies of the last restore that did not hold */
	bool unkept_unsafe;		/* and charging is off for it */
	bool hiz_safety;		/* and the input cut for it (bq_safety_hiz()) */
	u8 latch_pending;		/* REG0C latched bits read, not yet in a snapshot */
	bool stopping;			/* removal: no work is queued again */
	bool suspended;			/* system sleep: the bus is not ours */
	bool wd_paused;			/* the chip's watchdog is off while we sleep */
	bool otg_on;			/* the boost, as its consumer wants it */
	unsigned long done_at;		/* jiffies CHRG_STAT last read done; 0: not since */
	unsigned long probe_until;	/* jiffies: the probe's tries end (bq_probe_again()) */
};

/* --- small helpers ------------------------------------------------------ */

/* The selector for v: v clamped to the range and rounded down to a step. */
static unsigned int bq_range_sel(const struct linear_range *r, u32 v)
{
	unsigned int sel;

	linear_range_get_selector_within(r, v, &sel);
	return sel;
}

/* The value of a selector; one outside the range counts as its nearest end. */
static u32 bq_range_val(const struct linear_range *r, unsigned int sel)
{
	unsigned int v;

	/* cannot fail: the selector is in the range */
	linear_range_get_value(r, clamp(sel, r->min_sel, r->max_sel), &v);
	return v;
}

/* Clamp a board value to the chip's range, round it down, and say so. */
static u32 bq_fit(struct bq2589x *bq, const char *what, const struct linear_range *r, u32 v)
{
	u32 fit = bq_range_val(r, bq_range_sel(r, v));

	if (fit != v)
		dev_info(bq->dev, "%s: %u not representable, using %u\n", what, v, fit);
	return fit;
}

/*
 * A battery's limit, which the chip must not exceed: rounded down as any
 * board value, but a limit below the chip's lowest setting (VREG's
 * 3.84 V for a 3.6 V LiFePO4 cell; ICHG's and IPRECHG's 64 mA) cannot be
 * honoured. Returns the setting, or 0 for such a limit, said at error.
 */
static u32 bq_fit_limit(struct bq2589x *bq, const char *what, const struct linear_range *r,
			u32 v)
{
	u32 lowest = r->min ? : r->step;	/* the lowest setting that charges */

	if (v < lowest) {
		dev_err(bq->dev, "%s %u is below the charger's lowest setting, %u\n",
			what, v, lowest);
		return 0;
	}
	return bq_fit(bq, what, r, v);
}

/* A field's bits in its register. */
static u8 bq_field_mask(enum bq_field f)
{
	return GENMASK(bq_reg_fields[f].msb, bq_reg_fields[f].lsb);
}

/* A field's value in a byte of its register (a snapshot's, or a read's). */
static u8 bq_field_get(u8 regval, enum bq_field f)
{
	return (regval & bq_field_mask(f)) >> bq_reg_fields[f].lsb;
}

/* A byte of a field's register with the field set to v, the rest as it was. */
static u8 bq_field_set(u8 regval, enum bq_field f, unsigned int v)
{
	return (regval & ~bq_field_mask(f)) | ((v << bq_reg_fields[f].lsb) & bq_field_mask(f));
}

/* A field from the snapshot: no bus access. */
static u8 bq_snap_field(const struct bq_snapshot *s, enum bq_field f)
{
	return bq_field_get(s->regs[bq_reg_fields[f].reg], f);
}

/* The value a field of the snapshot encodes in the range r. */
static u32 bq_snap_val(const struct bq_snapshot *s, enum bq_field f,
		       const struct linear_range *r)
{
	return bq_range_val(r, bq_snap_field(s, f));
}

/*
 * TS/REGN (0.001 %) to temperature (0.1 degC) through the board's
 * network, linear between its points (TS/REGN is close to linear in
 * temperature over each step); clamped to the table's ends.
 */
static int ts_to_temp(const struct bq_ntc *t, u32 ts)
{
	unsigned int i;

	if (ts >= t->ts[0])
		return t->temp_dc[0];
	for (i = 1; i < t->n; i++)
		if (ts >= t->ts[i])
			return t->temp_dc[i - 1] +
			       (int)div_u64((u64)(t->ts[i - 1] - ts) *
					    (t->temp_dc[i] - t->temp_dc[i - 1]),
					    t->ts[i - 1] - t->ts[i]);
	return t->temp_dc[t->n - 1];
}

/* --- configuration image and restore ------------------------------------ */

/*
 * A write the chip must take before the driver lets go: the bits mask of
 * reg to val, tried BQ_REFUSE_TRIES times until a read shows them. Each
 * failure is counted. Called with bq->lock held; 0 or the last error.
 */
static int bq_write_last(struct bq2589x *bq, u8 reg, u8 mask, u8 val)
{
	unsigned int v;
	int ret, i;

	for (i = 0; ; i++) {
		ret = regmap_update_bits(bq->rmap, reg, mask, val);
		if (!ret)
			ret = regmap_read(bq->rmap, reg, &v);
		if (!ret && (v & mask) != val)
			ret = -EIO;
		if (!ret)
			return 0;
		bq->i2c_errors++;
		if (i + 1 == BQ_REFUSE_TRIES)
			return ret;
		usleep_range(BQ_TRY_PAUSE_US, 2 * BQ_TRY_PAUSE_US);
	}
}

/*
 * After the probe's failed try i (from 0): the pause (BQ_TRY_PAUSE_US,
 * doubled each time, at most BQ_PROBE_PAUSE_MAX_US) and true, or false,
 * at once, when it would end past the probe's deadline (probe_until).
 * Each phase has BQ_REFUSE_TRIES tries whatever the deadline (2 to 16 ms
 * apart): a bus back at the deadline's end, then one glitch, gave up at
 * once (helper-93). Sleeps: the caller holds no lock.
 */
static bool bq_probe_again(struct bq2589x *bq, unsigned int i)
{
	unsigned long us = BQ_PROBE_PAUSE_MAX_US;

	if (i < 9)
		us = min_t(unsigned long, (unsigned long)BQ_TRY_PAUSE_US << i, us);
	if (i + 1 >= BQ_REFUSE_TRIES && time_after(jiffies + usecs_to_jiffies(us), bq->probe_until))
		return false;
	fsleep(us);
	return true;
}

/* A read at probe, tried until the probe's deadline (bq_probe_again()): 0 or the error. */
static int bq_read_probe(struct bq2589x *bq, u8 reg, unsigned int *v)
{
	unsigned int i;
	int ret;

	for (i = 0; ; i++) {
		ret = regmap_read(bq->rmap, reg, v);
		if (!ret)
			return 0;
		bq->i2c_errors++;
		if (!bq_probe_again(bq, i))
			return ret;
	}
}

/* In the configuration image, field f at v, and owned. */
static void bq_image_put(u8 *img, u8 *own, enum bq_field f, unsigned int v)
{
	u8 r = bq_reg_fields[f].reg;

	img[r] = bq_field_set(img[r], f, v);
	own[r] |= bq_field_mask(f);
}

/*
 * The configuration registers as this driver wants them, and which bits of
 * each it owns (and so checks for a silent reset).
 */
static void bq_image(struct bq2589x *bq, u8 *img, u8 *own)
{
	const struct bq_config *c = &bq->cfg;
	bool chg = bq->behaviour != POWER_SUPPLY_CHARGE_BEHAVIOUR_INHIBIT_CHARGE &&
		   !bq->unkept_unsafe;
	unsigned int i;

	memset(img, 0, BQ_LAST_CFG + 1);
	memset(own, 0, BQ_LAST_CFG + 1);
	bq_image_put(img, own, F_OTG_CONFIG, bq->otg_on);
	bq_image_put(img, own, F_CHG_CONFIG, chg);
	bq_image_put(img, own, F_SYS_MIN, bq_range_sel(&rng_sysmin, c->sysmin));
	bq_image_put(img, own, F_EN_PUMPX, 0);
	bq_image_put(img, own, F_ICHG, bq_range_sel(&rng_ichg, c->ichg));
	bq_image_put(img, own, F_IPRECHG, bq_range_sel(&rng_iterm, c->iprechg));
	bq_image_put(img, own, F_ITERM, bq_range_sel(&rng_iterm, c->iterm));
	bq_image_put(img, own, F_VREG, bq_range_sel(&rng_vreg, c->vreg));
	/* BATLOWV 3.0 V, VRECHG 100 mV: the datasheet defaults */
	bq_image_put(img, own, F_BATLOWV, 1);
	bq_image_put(img, own, F_VRECHG, 0);
	/* EN_TERM, EN_TIMER, 12 h timer: the defaults; the watchdog: ours */
	bq_image_put(img, own, F_EN_TERM, 1);
	bq_image_put(img, own, F_STAT_DIS, 0);
	bq_image_put(img, own, F_WATCHDOG, bq->wd_paused ? 0 : c->wd);
	bq_image_put(img, own, F_EN_TIMER, 1);
	bq_image_put(img, own, F_CHG_TIMER, 2);
	/* no IR compensation: the defaults */
	bq_image_put(img, own, F_BAT_COMP, 0);
	bq_image_put(img, own, F_VCLAMP, 0);
	bq_image_put(img, own, F_TREG, c->treg);
	bq_image_put(img, own, F_BOOSTV, bq_range_sel(&rng_boostv, c->boostv));
	for (i = ARRAY_SIZE(boost_lim_ua); i > 1 && boost_lim_ua[i - 1] > c->boosti; i--)
		;
	bq_image_put(img, own, F_BOOST_LIM, i - 1);
}

/*
 * Program the configuration. The charge limits go first, in one write of
 * REG04 to REG06 (ICHG, IPRECHG/ITERM, VREG; the datasheet's multi-write,
 * registers in sequence): after a reset the chip sits at its defaults,
 * 2048 mA and 4.208 V, and the first write puts it back under the host's
 * control, so nothing may come before the limits; and a cell below both
 * defaults (4.2 V, under 2 A) would see one of them while the other is
 * written if they were two writes. For the same reason this driver never
 * sets REG_RST: that would program the defaults while we are in control.
 * A "reset" here is this function writing every register it owns.
 */
static int bq_program(struct bq2589x *bq)
{
	static const u8 order[] = {
		BQ_REG_SYS_CTRL, BQ_REG_TIMER, BQ_REG_IRCOMP_TREG, BQ_REG_BOOST,
	};
	u8 img[BQ_LAST_CFG + 1], own[BQ_LAST_CFG + 1], lim[3];
	unsigned int i;
	int ret;

	BUILD_BUG_ON(BQ_REG_IPRE_ITERM != BQ_REG_ICHG + 1 || BQ_REG_VREG != BQ_REG_ICHG + 2);
	bq_image(bq, img, own);
	ret = regmap_bulk_read(bq->rmap, BQ_REG_ICHG, lim, sizeof(lim));
	if (ret)
		return ret;
	for (i = 0; i < sizeof(lim); i++) {
		u8 r = BQ_REG_ICHG + i;

		lim[i] = (lim[i] & ~own[r]) | (img[r] & own[r]);
	}
	ret = regmap_bulk_write(bq->rmap, BQ_REG_ICHG, lim, sizeof(lim));
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		u8 r = order[i];

		ret = regmap_update_bits(bq->rmap, r, own[r], img[r]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Without linux,skip-reset, also put back to their defaults the registers a
 * firmware may have changed and that no property describes: HiZ off, the
 * ADC, detection and ICO settings, BATFET on. Never REG_RST (see above).
 */
static int bq_soft_reset(struct bq2589x *bq)
{
	int ret;

	if (bq->skip_reset)
		return 0;
	ret = regmap_field_write(bq->f[F_EN_HIZ], bq->hiz_safety);
	if (!ret)
		ret = regmap_write(bq->rmap, BQ_REG_ADC_CTRL, BQ_ADC_CTRL_DEFAULT);
	if (!ret)
		ret = regmap_write(bq->rmap, BQ_REG_MISC, BQ_MISC_DEFAULT);
	return ret;
}

/*
 * The first configuration register (REG00-REG0A) whose owned bits regs
 * shows off the driver's image, or -1; want, if not NULL, gets what the
 * image has there.
 */
static int bq_config_differs(struct bq2589x *bq, const u8 *regs, u8 *want)
{
	u8 img[BQ_LAST_CFG + 1], own[BQ_LAST_CFG + 1];
	unsigned int r;

	bq_image(bq, img, own);
	for (r = 0; r <= BQ_LAST_CFG; r++) {
		if ((regs[r] ^ img[r]) & own[r]) {
			if (want)
				*want = (regs[r] & ~own[r]) | (img[r] & own[r]);
			return r;
		}
	}
	return -1;
}

/*
 * The chip's power-on values of the fields the driver owns: what a reset
 * (power-on, REG_RST, watchdog expiry) leaves there (SLUSC88A 8.5, the
 * register tables). Where the sheets of the family and field dumps
 * disagree, both: REG03 OTG_CONFIG (0 in the BQ25892's table, 1 in
 * BQ25895 dumps), REG06 VREG (4.208 V; 4.352 V in the BQ25895M's) and
 * REG0A BOOSTV (4.998 V; 5.126 V in the BQ25895M's).
 */
static const struct {
	u8 f, v, alt;
} bq_por[] = {
	{ F_OTG_CONFIG, 0, 1 }, { F_CHG_CONFIG, 1, 1 }, { F_SYS_MIN, 5, 5 },	/* 3.5 V */
	{ F_EN_PUMPX, 0, 0 }, { F_ICHG, 0x20, 0x20 },			/* 2048 mA */
	{ F_IPRECHG, 1, 1 }, { F_ITERM, 3, 3 },				/* 128, 256 mA */
	{ F_VREG, 0x17, 0x20 }, { F_BATLOWV, 1, 1 }, { F_VRECHG, 0, 0 },
	{ F_EN_TERM, 1, 1 }, { F_STAT_DIS, 0, 0 }, { F_WATCHDOG, 1, 1 },	/* 40 s */
	{ F_EN_TIMER, 1, 1 }, { F_CHG_TIMER, 2, 2 },			/* 12 h */
	{ F_BAT_COMP, 0, 0 }, { F_VCLAMP, 0, 0 }, { F_TREG, 3, 3 },	/* 120 degC */
	{ F_BOOSTV, 7, 9 }, { F_BOOST_LIM, 3, 3 },				/* 1.4 A */
};

/*
 * A write of field f at v outside the image's restore is about to be
 * tried: the chip may hold v whatever the bus answers (bq_config_whose()).
 */
static void bq_tried(struct bq2589x *bq, enum bq_field f, unsigned int v)
{
	BUILD_BUG_ON(F_NUM_FIELDS > 64);
	bq->tried[f] = v;
	bq->tried_mask |= BIT_ULL(f);
}

/* What a read off the driver's configuration shows (bq_config_whose()). */
enum bq_whose {
	BQ_WHOSE_RESET,		/* the chip's: fields at their power-on values */
	BQ_WHOSE_FOREIGN,	/* another bus master's write */
	BQ_WHOSE_OWN,		/* a write of ours the bus said failed, landed */
};

/*
 * A read off the driver's configuration with no reset shown: whose is
 * it? Someone else's write (a program using i2c-dev with forced access,
 * another processor on the bus: helper-97) if an owned field reads
 * neither what the driver wants there, nor its power-on value (a reset
 * leaves every field at that), nor the last value the driver itself tried
 * there. The driver's own if every field off its value holds the value
 * the driver last tried there since the chip last held the image (a
 * read showing it clears them): a write the bus said failed reached the
 * chip (helper-102; a controller that reports an error after the last
 * ACK). A reset looks so only where every field it moved is at a value
 * the driver tried there and the board's settings equal the power-on
 * values everywhere else. *reg, *val, *want: for another master, the
 * first register it wrote, as read, and what the driver wants there. A
 * writer that leaves each field at its default is taken for a reset
 * (REG_RST, or a power-on reset whose WATCHDOG_FAULT another reader
 * took); one that leaves them at the driver's tried values, for the
 * driver's own write.
 */
static enum bq_whose bq_config_whose(struct bq2589x *bq, const u8 *regs, u8 *reg, u8 *val,
				     u8 *want)
{
	u8 img[BQ_LAST_CFG + 1], own[BQ_LAST_CFG + 1];
	bool ours = false, theirs = false;
	unsigned int i;

	bq_image(bq, img, own);
	for (i = 0; i < ARRAY_SIZE(bq_por); i++) {
		enum bq_field f = bq_por[i].f;
		u8 r = bq_reg_fields[f].reg, v = bq_field_get(regs[r], f);
		bool tried = (bq->tried_mask & BIT_ULL(f)) && v == bq->tried[f];

		if (v == bq_field_get(img[r], f))
			continue;
		if (v != bq_por[i].v && v != bq_por[i].alt && !tried) {
			*reg = r;
			*val = regs[r];
			*want = (regs[r] & ~own[r]) | (img[r] & own[r]);
			return BQ_WHOSE_FOREIGN;
		}
		if (tried)
			ours = true;
		else
			theirs = true;	/* at its power-on value */
	}
	return ours && !theirs ? BQ_WHOSE_OWN : BQ_WHOSE_RESET;
}

/*
 * Does the read show our configuration lost (watchdog expiry, POR)? The
 * chip is in default mode for as long as the present WATCHDOG_FAULT is
 * high (SLUSC88A 8.3.1). A latched one alone is bq_refresh()'s to judge:
 * after our own writes ended default mode it may be the time before them.
 */
static bool bq_config_lost(struct bq2589x *bq, const struct bq_snapshot *s)
{
	if (bq_field_get(s->fault_now, F_WATCHDOG_FAULT))
		return true;
	return bq_config_differs(bq, s->regs, NULL) >= 0;
}

/*
 * REG0D for an absolute input voltage limit (uV, within rng_vindpm: from
 * 3.9 V, selector 13): FORCE_VINDPM set, VINDPM. The register is all ours,
 * so it is written whole.
 */
static u8 bq_vindpm_reg(u32 vindpm_uv)
{
	return bq_field_set(bq_field_set(0, F_FORCE_VINDPM, 1), F_VINDPM,
			    bq_range_sel(&rng_vindpm, vindpm_uv));
}

/*
 * The input limits written through sysfs are the input source's, as the
 * chip's own are: at each plug-in its detection sets IINLIM and REG0D goes
 * back to its default, the relative threshold (datasheet, "Input Source
 * Type Detection"; REG0D: "reset to default value when input source is
 * plugged-in"). A limit right for one source can starve another (an
 * absolute VINDPM of 8.4 V for a 9 V adapter holds a 5 V one at almost
 * nothing: helper-84), so a new source ends them: a power-good rise
 * counted since the write, or, with no reset seen (lost), what only the
 * chip's detection does, REG0D back in relative mode or IINLIM above the
 * ceiling (a plug and an unplug between two reads, or during a suspend),
 * where the limits were in the chip for the source in at the last look
 * (not after a put-back the bus refused, nor when the source they were
 * written for ahead of it arrives: the chip's detection is expected then).
 * For the same source they outlive what the chip does on its own: a
 * power-on reset clears IINLIM and VINDPM, and the detection it runs sets
 * IINLIM again. The written input current limit stays a ceiling: put back
 * when the chip holds more, never raised above what detection chose. The
 * written VINDPM is put back as it was. Neither is a reset of ours:
 * nothing is counted. regs is the snapshot's register file, updated with
 * what was written.
 */
static void bq_keep_input_limits(struct bq2589x *bq, u8 *regs, bool lost)
{
	struct bq_config *c = &bq->cfg;
	u32 iinlim = bq_range_val(&rng_iinlim, bq_field_get(regs[BQ_REG_INPUT_SRC], F_IINLIM));
	u8 v;
	bool seen = c->input_applied && !lost;
	bool ok = true;
	unsigned int r0d;

	/*
	 * HiZ set behind us (a firmware's or a tool's write: the chip sets
	 * it only on request; the probe cleared it) leaves the input
	 * unused, the device draining its battery plugged in, with health
	 * Good: off again, without linux,skip-reset, and counted as another
	 * bus master's write (config_overwritten). Not while charging is to
	 * be off for the battery's limits (a cut of the safety's whose
	 * write the bus reported failed may have landed).
	 */
	if (!bq->skip_reset && !bq->hiz_safety && !bq->unkept_unsafe &&
	    bq_field_get(regs[BQ_REG_INPUT_SRC], F_EN_HIZ)) {
		v = bq_field_set(regs[BQ_REG_INPUT_SRC], F_EN_HIZ, 0);
		if (regmap_write(bq->rmap, BQ_REG_INPUT_SRC, v)) {
			bq->i2c_errors++;
		} else {
			regs[BQ_REG_INPUT_SRC] = v;
			bq->config_overwritten++;
			dev_warn_ratelimited(bq->dev, "HiZ mode was set behind the driver: cleared, the input is used again\n");
		}
	}
	/*
	 * An absolute VINDPM not written through us (a driver bound before,
	 * a firmware's, without linux,skip-reset): the chip's relative one,
	 * as at a plug-in, and read again (the chip sets the threshold).
	 */
	if (!c->vindpm && !bq->skip_reset && bq_field_get(regs[BQ_REG_VINDPM], F_FORCE_VINDPM)) {
		if (regmap_write(bq->rmap, BQ_REG_VINDPM, 0) ||
		    regmap_read(bq->rmap, BQ_REG_VINDPM, &r0d))
			bq->i2c_errors++;
		else
			regs[BQ_REG_VINDPM] = r0d;
	}
	if (!c->iinlim && !c->vindpm)
		return;
	if (bq->power_good_rises > c->input_source ||
	    (seen && c->vindpm && !bq_field_get(regs[BQ_REG_VINDPM], F_FORCE_VINDPM)) ||
	    (seen && c->iinlim && iinlim > c->iinlim)) {
		dev_dbg(bq->dev, "a new input source: the input limits written end\n");
		c->iinlim = 0;
		c->vindpm = 0;
		c->input_applied = false;
		return;
	}
	if (c->iinlim && iinlim > c->iinlim) {
		v = bq_field_set(regs[BQ_REG_INPUT_SRC], F_IINLIM,
				 bq_range_sel(&rng_iinlim, c->iinlim));
		ok = !regmap_write(bq->rmap, BQ_REG_INPUT_SRC, v);
		if (ok)
			regs[BQ_REG_INPUT_SRC] = v;
	}
	v = bq_vindpm_reg(c->vindpm);
	if (ok && c->vindpm && regs[BQ_REG_VINDPM] != v) {
		ok = !regmap_write(bq->rmap, BQ_REG_VINDPM, v);
		if (ok)
			regs[BQ_REG_VINDPM] = v;
	}
	if (!ok)
		bq->i2c_errors++;
	c->input_applied = ok && bq->power_good;
}

/*
 * The input limit just written (vindpm: input_voltage_limit, else
 * input_current_limit) is the present source's, or with none in, the
 * next one's (bq_keep_input_limits()). The other, written for a source
 * gone since, ends now: carried to the next source with this one, an
 * 8.4 V VINDPM written for a 9 V adapter came back for a 5 V one
 * (helper-88). Called with bq->lock held.
 */
static void bq_input_limits_for(struct bq2589x *bq, bool vindpm)
{
	u64 source = bq->power_good_rises + !bq->power_good;

	if (source != bq->cfg.input_source) {
		if (vindpm)
			bq->cfg.iinlim = 0;
		else
			bq->cfg.vindpm = 0;
	}
	bq->cfg.input_source = source;
	bq->cfg.input_applied = bq->power_good;
}

/*
 * A REG_RST between a refresh's burst of the configuration (REG00-REG0B)
 * and its burst from REG0D: it puts VINDPM back at the chip's relative
 * threshold, as its detection does for a new source
 * (bq_keep_input_limits()), so REG0D alone would end the input limits
 * written for the source still in. A power-on reset in that gap shows
 * in REG0C, read last (WATCHDOG_FAULT latched: bq_refresh()); a REG_RST
 * leaves the chip in host mode and REG0C low (emulator's assumption, the
 * datasheet is silent), so REG0D is all there is. When REG0D so
 * contradicts an input voltage limit applied, the configuration is read
 * again (one burst, only then): lost now, a reset (true); still ours, a
 * new source. A bus error: false, as read (the limits end; the chip's
 * own suit any source). Called with bq->lock held.
 */
static bool bq_reset_after_read(struct bq2589x *bq, const struct bq_snapshot *s)
{
	struct bq_snapshot now = { };

	lockdep_assert_held(&bq->lock);
	if (!bq->cfg.vindpm || !bq->cfg.input_applied ||
	    bq_field_get(s->regs[BQ_REG_VINDPM], F_FORCE_VINDPM))
		return false;
	if (regmap_bulk_read(bq->rmap, BQ_REG_INPUT_SRC, now.regs, BQ_LAST_CFG + 1)) {
		bq->i2c_errors++;
		return false;
	}
	return bq_config_lost(bq, &now);
}

/*
 * A poll delay (jiffies) no later than a look asked for soon
 * (bq_look_again_soon()): each scheduler that moves the poll later (a
 * fault's, the ADC's first sample's, the debounce's) keeps that look.
 * Called with bq->lock held.
 */
static unsigned long bq_sooner(struct bq2589x *bq, unsigned long delay)
{
	if (!bq->look_soon || !time_after(bq->look_at, jiffies))
		return bq->look_soon ? 0 : delay;
	return min(delay, bq->look_at - jiffies);
}

/*
 * CHRG_STAT as reported: "done" stays done through a return to "fast"
 * shorter than the full hold (a flap at termination); a longer one is a
 * recharge, announced when the hold ends (the poll reads again then:
 * the chip may raise no interrupt for it).
 */
static void bq_debounce_done(struct bq2589x *bq, struct bq_snapshot *s)
{
	u8 raw = bq_snap_field(s, F_CHRG_STAT);
	unsigned long until;

	s->stat = raw;
	if (raw == CHRG_DONE && bq_snap_field(s, F_PG_STAT)) {
		bq->done_at = jiffies ? : 1;
		return;
	}
	if (raw != CHRG_FAST || !bq->done_at || !bq_snap_field(s, F_PG_STAT)) {
		bq->done_at = 0;
		return;
	}
	until = bq->done_at + msecs_to_jiffies(bq->t.full_hold_ms);
	if (!time_before(jiffies, until)) {
		bq->done_at = 0;	/* a recharge */
		return;
	}
	s->stat = CHRG_DONE;
	/* polling reads every second online anyway */
	if (bq->irq > 0 && !bq->stopping && !bq->suspended)
		mod_delayed_work(system_freezable_wq, &bq->poll_work,
				 bq_sooner(bq, until - jiffies + 1));
}

/* --- the snapshot --------------------------------------------------------- */

static u32 bq_status_sig(const struct bq_snapshot *s)
{
	if (!s->ok)
		return U32_MAX;
	return bq_field_set(s->regs[BQ_REG_STATUS], F_CHRG_STAT, s->stat) | s->fault_now << 8 |
	       (s->regs[BQ_REG_IDPM] &
		(bq_field_mask(F_VDPM_STAT) | bq_field_mask(F_IDPM_STAT))) << 16 |
	       (u32)s->unkept << 24;
}

/*
 * Count the faults a refresh found: latched, REG0C's first read; prev_now,
 * the present faults of the last refresh that read them (a failed refresh
 * in between knows nothing new: a fault held across it is not new).
 * WATCHDOG_FAULT is in latched only with a reset found (bq_refresh()).
 */
static void bq_count_faults(struct bq2589x *bq, u8 latched, u8 prev_now)
{
	u8 cf = bq_field_get(latched, F_CHRG_FAULT);
	u8 ntc = bq_field_get(latched, F_NTC_FAULT);

	/* With our watchdog off, WATCHDOG_FAULT can only be a power-on reset. */
	if (bq_field_get(latched, F_WATCHDOG_FAULT) && bq->cfg.wd)
		bq->faults[FK_WATCHDOG]++;
	if (bq_field_get(latched, F_BOOST_FAULT))
		bq->faults[FK_BOOST]++;
	/* A held fault counts once, when it appears (or reappears). */
	if (cf && cf != bq_field_get(prev_now, F_CHRG_FAULT))
		bq->faults[cf == CF_INPUT ? FK_INPUT : cf == CF_THERMAL ? FK_THERMAL : FK_TIMER]++;
	if (bq_field_get(latched, F_BAT_FAULT) && !bq_field_get(prev_now, F_BAT_FAULT))
		bq->faults[FK_BAT_OVP]++;
	if (ntc && ntc != bq_field_get(prev_now, F_NTC_FAULT))
		bq->faults[FK_NTC]++;
}

static void bq_changed_work(struct work_struct *work)
{
	struct bq2589x *bq = container_of(to_delayed_work(work), struct bq2589x, changed_work);

	mutex_lock(&bq->lock);
	bq->changed_at = jiffies;
	mutex_unlock(&bq->lock);
	power_supply_changed(bq->psy);
}

/*
 * Announce a change, at most once per CHANGED_MIN_MS. Not a second
 * coalescing layer but a bound on a loop the core cannot see: the uevent
 * reads every property, a read may refresh the snapshot, and on a failing
 * bus a refresh may find a change (health Unknown, then Good), which
 * announces another uevent. Unbounded, a bus at 1 % errors with fresh
 * reads kept the system busy with uevents (driver_test,
 * bus_errors_give_unknown_then_recover, on 6.1). Not before the supply
 * exists: its registration reads us too.
 */
static void bq_announce(struct bq2589x *bq)
{
	unsigned long next = bq->changed_at + msecs_to_jiffies(CHANGED_MIN_MS);

	if (!bq->psy || bq->stopping)
		return;

	if (time_after_eq(jiffies, next) && !delayed_work_pending(&bq->changed_work)) {
		bq->changed_at = jiffies;
		power_supply_changed(bq->psy);
	} else {
		schedule_delayed_work(&bq->changed_work,
				      time_after(next, jiffies) ? next - jiffies : 0);
	}
}

/* The ADC's readings in s: BATV, SYSV, TSPCT, VBUSV, ICHGR. */
static void bq_adc_values(const struct bq_snapshot *s, u8 v[BQ_ADC_READINGS])
{
	v[0] = bq_snap_field(s, F_BATV);
	v[1] = bq_snap_field(s, F_SYSV);
	v[2] = bq_snap_field(s, F_TSPCT);
	v[3] = bq_snap_field(s, F_VBUSV);
	v[4] = bq_snap_field(s, F_ICHGR);
}

/*
 * Continuous conversion just began (on), or ended: the readings in s, the
 * ones a plug's or a resume's uevent would carry, are the last one-shot's,
 * from before it (VBUS 2.6 V, the last session's current). They are not
 * served (adc_stale) until a sample moves one of them (bq_adc_seen()) or
 * adc_first_ms passes. The poll comes when the first continuous sample
 * is in, reads it and announces it (bq_poll_work()), so that a consumer
 * that reads on uevents sees the input it charges from. Called with
 * bq->lock held.
 */
static void bq_adc_first_due(struct bq2589x *bq, bool on, const struct bq_snapshot *s)
{
	bq->adc_first_due = on;
	bq->adc_stale = on;
	if (!on)
		return;
	bq_adc_values(s, bq->adc_before);
	if (bq->stopping || bq->suspended)
		return;
	bq->adc_first_at = jiffies + msecs_to_jiffies(bq->t.adc_first_ms);
	/*
	 * A second look this refresh asked for (a first miss of a restore)
	 * stays as soon; its poll then waits for the sample (bq_poll_delay()).
	 * It was pushed to the sample's time.
	 */
	mod_delayed_work(system_freezable_wq, &bq->poll_work,
			 bq_sooner(bq, msecs_to_jiffies(bq->t.adc_first_ms)));
}

/* A sample since continuous conversion began: one of the readings moved. */
static void bq_adc_seen(struct bq2589x *bq, const struct bq_snapshot *s)
{
	u8 v[BQ_ADC_READINGS];

	if (!bq->adc_stale)
		return;
	bq_adc_values(s, v);
	if (memcmp(v, bq->adc_before, sizeof(v)))
		bq->adc_stale = false;
}

/*
 * A poll delay (jiffies; 0: none) no later than the first continuous
 * sample's announcement, while that is still to come: a fault's 5 s
 * watch, a retry or the backstop must not push it back or skip it. Read
 * adc_first_due and adc_first_at under bq->lock and pass them.
 */
static unsigned long bq_poll_delay(bool first_due, unsigned long first_at, unsigned long delay)
{
	unsigned long left;

	if (!first_due || !time_after(first_at, jiffies))
		return delay;
	left = first_at - jiffies;
	return delay ? min(delay, left) : left;
}

/*
 * The register file but REG0C, in two bursts around it: the datasheet
 * ("Multi-Read and Multi-Write") allows multi-byte reads of REG00-REG14
 * except REG0C, and a burst across it returns a meaningless byte.
 */
static int bq_read_regs(struct bq2589x *bq, u8 *regs)
{
	int ret;

	ret = regmap_bulk_read(bq->rmap, BQ_REG_INPUT_SRC, regs,
			       BQ_REG_FAULT - BQ_REG_INPUT_SRC);
	if (!ret)
		ret = regmap_bulk_read(bq->rmap, BQ_REG_VINDPM, regs + BQ_REG_VINDPM,
				       BQ_NREGS - BQ_REG_VINDPM);
	return ret;
}

/*
 * Two latched reads of REG0C as one: the flags of both, and of the two
 * enumerated fields (CHRG_FAULT, NTC_FAULT) the newer one if it shows a
 * fault, since or-ing two codes would make a third.
 */
static u8 bq_merge_latch(u8 older, u8 newer)
{
	u8 flags = bq_field_mask(F_WATCHDOG_FAULT) | bq_field_mask(F_BOOST_FAULT) |
		   bq_field_mask(F_BAT_FAULT);
	u8 v = (older | newer) & flags;

	v = bq_field_set(v, F_CHRG_FAULT, bq_field_get(newer, F_CHRG_FAULT) ? :
			 bq_field_get(older, F_CHRG_FAULT));
	v = bq_field_set(v, F_NTC_FAULT, bq_field_get(newer, F_NTC_FAULT) ? :
			 bq_field_get(older, F_NTC_FAULT));
	return v;
}

/*
 * REG0C, in single-byte reads only: the latched read (every fault since the
 * previous read, the present ones included), then, only if it showed
 * anything, a second read for the present faults. A latched read of 0 means
 * nothing is present either (datasheet, REG0C: the first read reports the
 * status since the last read, and now is part of that).
 *
 * A latched read clears the latch on the chip, so what it returned is kept
 * in latch_pending until a complete snapshot holds it: a bus error later in
 * the same refresh must not lose a fault.
 */
static int bq_read_faults(struct bq2589x *bq, struct bq_snapshot *s)
{
	unsigned int v;
	int ret;

	ret = regmap_read(bq->rmap, BQ_REG_FAULT, &v);
	if (ret)
		return ret;
	bq->latch_pending = bq_merge_latch(bq->latch_pending, v);
	s->regs[BQ_REG_FAULT] = bq->latch_pending;
	s->fault_now = 0;
	if (!v)
		return 0;
	ret = regmap_read(bq->rmap, BQ_REG_FAULT, &v);
	if (!ret)
		s->fault_now = v;
	return ret;
}

/*
 * An input source arrived: PG_STAT (REG0B bit 2) read set after a read
 * that had it clear, or the first read (a source in at probe is one). A
 * read the bus failed is no "clear", nor is one with an input fault
 * present (REG0C CHRG_FAULT 01): over-voltage or a source too weak clears
 * PG_STAT with the adapter still in (datasheet, "Poor Source
 * Qualification" and the input over-voltage protection). An unplug and
 * a plug between two reads (faster than the interrupt's thread, or
 * during a suspend) are not seen. From the first read of a refresh,
 * before a reset's restore reads the registers again.
 */
static void bq_count_arrival(struct bq2589x *bq, const struct bq_snapshot *s)
{
	bool pg = bq_snap_field(s, F_PG_STAT);

	if (pg && !bq->power_good)
		bq->power_good_rises++;
	if (pg || bq_field_get(s->fault_now, F_CHRG_FAULT) != CF_INPUT)
		bq->power_good = pg;
}

/*
 * A charge_behaviour the bus refused, written now that it answers (s: the
 * registers just read, updated with the write). A hand-back to auto
 * during a bus outage is so not lost with the program that asked for it:
 * inhibit-charge stayed, through replugs and chip resets, until a reboot
 * (helper-83). Called with bq->lock held.
 */
static void bq_behaviour_retry(struct bq2589x *bq, struct bq_snapshot *s)
{
	u8 r = bq_reg_fields[F_CHG_CONFIG].reg;
	/* only auto is kept; not on while the chip holds limits above the battery's */
	u8 v = bq_field_set(s->regs[r], F_CHG_CONFIG, !bq->unkept_unsafe);

	if (v != s->regs[r] && regmap_write(bq->rmap, r, v)) {
		bq->i2c_errors++;
		return;
	}
	s->regs[r] = v;
	bq->behaviour = bq->behaviour_pending;
	bq->behaviour_pending = -1;
}

/*
 * Would the chip, holding regs (REG00-REG0A), charge beyond the battery's
 * limits (ichg_max, vreg_max)? ICHG or IPRECHG above the current limit
 * (IPRECHG: or above the board's own precharge current, if higher),
 * VREG above the voltage limit, or IR compensation on (BAT_COMP) with
 * VREG plus its clamp (VCLAMP, 32 mV a step: SLUSC88A, REG08) above it.
 */
static bool bq_limits_unsafe(struct bq2589x *bq, const u8 *regs)
{
	u32 ichg = bq_range_val(&rng_ichg, bq_field_get(regs[BQ_REG_ICHG], F_ICHG));
	u32 ipre = bq_range_val(&rng_iterm, bq_field_get(regs[BQ_REG_IPRE_ITERM], F_IPRECHG));
	u32 vreg = bq_range_val(&rng_vreg, bq_field_get(regs[BQ_REG_VREG], F_VREG));
	u8 r08 = regs[BQ_REG_IRCOMP_TREG];

	return ichg > bq->cfg.ichg_max || ipre > max(bq->cfg.ichg_max, bq->cfg.iprechg) ||
	       vreg > bq->cfg.vreg_max ||
	       (bq_field_get(r08, F_BAT_COMP) &&
		vreg + bq_field_get(r08, F_VCLAMP) * 32000 > bq->cfg.vreg_max);
}

/*
 * The input cut (REG00 EN_HIZ 1: the converter off, neither charging nor
 * powering the system from VBUS; the battery powers it: SLUSC88A REG00)
 * or used again (on false): the last way to stop charging when REG03
 * does not keep CHG_CONFIG 0 and the chip holds limits beyond the
 * battery's. Checked by a read (bq_write_last()). Returns 0 or the error.
 * Called with bq->lock held.
 */
static int bq_safety_hiz(struct bq2589x *bq, bool on)
{
	u8 mask = bq_field_mask(F_EN_HIZ);
	bool was = bq->hiz_safety;
	int ret;

	/* a cut the bus reports failed may have landed: released once safe */
	if (on)
		bq->hiz_safety = true;
	ret = bq_write_last(bq, BQ_REG_INPUT_SRC, mask, on ? mask : 0);
	if (ret || was == on)
		return ret;
	bq->hiz_safety = on;
	if (on)
		dev_crit(bq->dev, "REG03 does not keep charging off: the input is cut (HiZ) instead\n");
	else
		dev_info(bq->dev, "the input is used again (HiZ off)\n");
	return 0;
}

/*
 * While the chip does not keep its configuration: charging off (CHG_CONFIG
 * 0, checked by a read: bq_write_last()) for as long as what it holds is
 * beyond the battery's limits, back as charge_behaviour has it once it is
 * not. Where REG03 does not keep charging off either, the input is cut
 * (bq_safety_hiz()) until the limits are within the battery's again. s:
 * the registers just read, updated. Returns 0 or the bus error (the
 * caller's retry comes soon). Called with bq->lock held.
 */
static int bq_unkept_safety(struct bq2589x *bq, struct bq_snapshot *s)
{
	u8 r03 = bq_reg_fields[F_CHG_CONFIG].reg, mask = bq_field_mask(F_CHG_CONFIG);
	u8 r00 = bq_reg_fields[F_EN_HIZ].reg;
	bool unsafe = bq_limits_unsafe(bq, s->regs), chg;
	int ret;

	if (unsafe && !bq->unkept_unsafe)
		dev_err(bq->dev, "charging off: the chip holds ICHG %u uA, VREG %u uV, beyond the battery's %u uA, %u uV\n",
			bq_snap_val(s, F_ICHG, &rng_ichg), bq_snap_val(s, F_VREG, &rng_vreg),
			bq->cfg.ichg_max, bq->cfg.vreg_max);
	/*
	 * The cut released once the limits are safe, or once REG03 keeps
	 * charging off again (the device on VBUS, not draining its battery).
	 */
	if (bq->hiz_safety && (!unsafe || !bq_snap_field(s, F_CHG_CONFIG))) {
		ret = bq_safety_hiz(bq, false);
		if (ret)
			return ret;
		s->regs[r00] = bq_field_set(s->regs[r00], F_EN_HIZ, 0);
	}
	chg = !unsafe && bq->behaviour != POWER_SUPPLY_CHARGE_BEHAVIOUR_INHIBIT_CHARGE;
	/*
	 * While cut, REG03 is still tried at each look: the cut may have
	 * come from the bus failing that write, not from REG03.
	 */
	if (unsafe == bq->unkept_unsafe && (!unsafe || !bq_snap_field(s, F_CHG_CONFIG)))
		return 0;
	bq_tried(bq, F_CHG_CONFIG, chg);
	ret = bq_write_last(bq, r03, mask, chg ? mask : 0);
	if (ret && unsafe) {
		if (!bq_safety_hiz(bq, true)) {
			s->regs[r00] = bq_field_set(s->regs[r00], F_EN_HIZ, 1);
			bq->unkept_unsafe = true;
			return 0;
		}
	}
	if (ret) {
		if (unsafe)
			dev_crit_ratelimited(bq->dev, "cannot turn charging off (%d)\n", ret);
		bq->unkept_unsafe = true;	/* tried again at the next refresh */
		return ret;
	}
	s->regs[r03] = bq_field_set(s->regs[r03], F_CHG_CONFIG, chg);
	/* REG03 keeps charging off now: the cut is not needed */
	if (bq->hiz_safety && !bq_safety_hiz(bq, false))
		s->regs[r00] = bq_field_set(s->regs[r00], F_EN_HIZ, 0);
	bq->unkept_unsafe = unsafe;
	return 0;
}

/*
 * The read s shows the episode as it was (bq->unkept): the same register
 * at the same value, every other one the driver's, and the last restore
 * tried less than unkept_retry_ms ago. Nothing to restore: a restore the
 * chip does not keep would only start the ADC again.
 */
static bool bq_same_unkept(struct bq2589x *bq, const struct bq_snapshot *s)
{
	u8 regs[BQ_LAST_CFG + 1], want;

	if (!bq->unkept || s->regs[bq->unkept_reg] != bq->unkept_val ||
	    !time_before(jiffies, bq->unkept_tried + msecs_to_jiffies(bq->t.unkept_retry_ms)))
		return false;
	memcpy(regs, s->regs, sizeof(regs));
	if (bq_config_differs(bq, regs, &want) != bq->unkept_reg)
		return false;
	regs[bq->unkept_reg] = want;
	return bq_config_differs(bq, regs, NULL) < 0;
}

/*
 * The next refresh soon (BQ_RETRY_MS): a restore that missed, looked at
 * again. With no IRQ, the poll's own period (1 s online) does it.
 */
static void bq_look_again_soon(struct bq2589x *bq)
{
	if (bq->irq <= 0 || bq->stopping || bq->suspended)
		return;
	bq->look_soon = true;
	bq->look_at = jiffies + msecs_to_jiffies(BQ_RETRY_MS);
	mod_delayed_work(system_freezable_wq, &bq->poll_work, msecs_to_jiffies(BQ_RETRY_MS));
}

/*
 * After a restore, the registers in s read back: did the chip keep what
 * was written? A register that does not take writes (another bus master
 * writing it back, a damaged part: the datasheet knows no such state, so
 * this is the driver's assumption of how one shows) makes every refresh
 * find the configuration "lost"; that is no chip reset, and restores do
 * not mend it. A first miss may be a second reset during the restore:
 * the chip is read again soon, and the same register at the same value
 * then is an episode, said once (the register, what it reads, what was
 * written) and counted in config_unkept; health is "Unspecified failure"
 * while it lasts (s->unkept), and charging is off while what the chip
 * holds is beyond the battery's limits (bq_unkept_safety()). It ends
 * when a restore holds. Returns true if the configuration is the
 * driver's; *err, a bus error of the safety's write. Called with
 * bq->lock held.
 */
static bool bq_check_kept(struct bq2589x *bq, struct bq_snapshot *s, int *err)
{
	u8 want;
	int r;

	r = bq_config_differs(bq, s->regs, &want);
	if (r < 0) {
		bool was = bq->unkept;

		bq->unkept_suspect = false;
		if (!bq->unkept && !bq->unkept_unsafe)
			return true;
		*err = bq_unkept_safety(bq, s);		/* charging back, if it was off */
		if (*err)
			return true;
		bq->unkept = false;
		if (was)
			dev_info(bq->dev, "the chip keeps its configuration again\n");
		return true;
	}
	bq->unkept_tried = jiffies;
	if (!bq->unkept && (!bq->unkept_suspect || bq->unkept_reg != r ||
			    bq->unkept_val != s->regs[r])) {
		bq->unkept_suspect = true;
		bq->unkept_reg = r;
		bq->unkept_val = s->regs[r];
		bq_look_again_soon(bq);
		/*
		 * Safe meanwhile: what the chip holds now is what it charges
		 * at until then, or for good if this is the unbind's or the
		 * suspend's look (helper-100: handed back at 3 A).
		 */
		*err = bq_unkept_safety(bq, s);
		return false;
	}
	if (!bq->unkept) {
		bq->config_unkept++;
		dev_err(bq->dev, "REG%02X reads 0x%02x after 0x%02x was written: the chip does not keep its configuration\n",
			r, s->regs[r], want);
	}
	bq->unkept = true;
	bq->unkept_suspect = false;
	bq->unkept_reg = r;
	bq->unkept_val = s->regs[r];
	*err = bq_unkept_safety(bq, s);
	return false;
}

/*
 * Read the chip: REG00-REG0B (configuration and status), REG0D-REG14
 * (ADC, ICO, part number), then REG0C latched (and present, if anything
 * was latched): 3 transfers with nothing new, 4 with a fault, one more
 * when REG0D contradicts the input voltage limit (bq_reset_after_read()).
 * REG0C comes last so that it vouches for every byte before it: a
 * power-on reset at any point of the reads latches WATCHDOG_FAULT (SLUSC88A
 * 8.3.1), so it is found in the refresh it tore, also on a board whose
 * settings equal the chip's defaults and whatever REG0D shows. Restore the
 * configuration if the chip lost it. Announce a real change. Called with
 * bq->lock held; returns 0 or the bus error.
 */
static int bq_refresh(struct bq2589x *bq)
{
	u64 found = bq->chip_resets + bq->config_overwritten + bq->config_unkept;
	struct bq_snapshot s = { };
	bool lost, wd, after_restore, configured = bq->configured, again = false;
	u32 sig;
	int ret;

	ret = bq_read_regs(bq, s.regs);
	if (!ret)
		ret = bq_read_faults(bq, &s);
	if (ret) {
		bq->i2c_errors++;
		sig = bq->status_sig;
		bq->snap.ok = false;	/* never a stale "Good" */
		bq->snap_at = jiffies;
		if (sig != U32_MAX) {
			bq->status_sig = U32_MAX;
			bq_announce(bq);
		}
		return ret;
	}
	s.ok = true;
	bq->latch_pending = 0;	/* the snapshot holds it now */
	bq_count_arrival(bq, &s);

	/*
	 * A chip that switched its boost off after a boost fault did so for
	 * a reason: the consumer is told, and the boost is not forced back.
	 */
	if (bq->otg_on && bq_snap_field(&s, F_BOOST_FAULT) && !bq_snap_field(&s, F_OTG_CONFIG)) {
		bq->otg_on = false;
		dev_warn(bq->dev, "the chip turned the OTG boost off after a boost fault\n");
	}

	/*
	 * A refused charge_behaviour that reached the chip all the same (the
	 * bus failed after it took the write): in force, not a lost
	 * configuration to restore (a false chip reset, the old value
	 * written back: helper-85)
	 */
	if (bq->behaviour_pending == POWER_SUPPLY_CHARGE_BEHAVIOUR_AUTO &&
	    bq_snap_field(&s, F_CHG_CONFIG)) {
		bq->behaviour = bq->behaviour_pending;
		bq->behaviour_pending = -1;
	}
	/*
	 * WATCHDOG_FAULT latched, not present, right after a restore: the
	 * default mode our own writes ended (the first read reports the
	 * status since the last one: SLUSC88A 8.2.9.2), not a new reset.
	 */
	after_restore = bq->left_default;
	bq->left_default = false;
	if (after_restore && bq_snap_field(&s, F_WATCHDOG_FAULT) &&
	    !bq_field_get(s.fault_now, F_WATCHDOG_FAULT))
		s.regs[BQ_REG_FAULT] = bq_field_set(s.regs[BQ_REG_FAULT], F_WATCHDOG_FAULT, 0);
	wd = bq_snap_field(&s, F_WATCHDOG_FAULT);
	lost = bq->configured && bq_config_lost(bq, &s);
	if (!lost && wd) {
		/*
		 * Latched only: default mode came since the last read: a
		 * reset during this refresh's reads (registers read before
		 * it), or one that someone's write (a kick, a sysfs write)
		 * ended before we looked, with registers that happen to match.
		 */
		if (bq->configured)
			lost = true;
		else
			s.regs[BQ_REG_FAULT] = bq_field_set(s.regs[BQ_REG_FAULT],
							    F_WATCHDOG_FAULT, 0);
	}
	if (!lost && bq->configured)
		lost = bq_reset_after_read(bq, &s);
	/* a register that does not keep its value, as it was: nothing new */
	if (lost && !wd && bq_same_unkept(bq, &s)) {
		lost = false;
		ret = bq_unkept_safety(bq, &s);
	} else if (!lost && (bq->unkept || bq->unkept_suspect || bq->unkept_unsafe) &&
		   bq->configured) {
		bq_check_kept(bq, &s, &ret);	/* the register took its value again */
	}
	if (!lost) {
		bq->restore_failed = false;	/* what failed got through since */
		bq->tried_mask = 0;		/* the chip holds the image: tried or not */
	}
	if (lost) {
		bool was_unkept = bq->unkept, retried = bq->restore_failed, kept, undone;
		enum bq_whose whose = BQ_WHOSE_RESET;
		u8 freg = 0, fval = 0, fwant = 0;

		again = retried;	/* its WATCHDOG_FAULT counted too */

		if (!wd)
			whose = bq_config_whose(bq, s.regs, &freg, &fval, &fwant);
		ret = bq_program(bq);
		if (!ret)
			ret = bq_soft_reset(bq);
		bq->left_default = true;
		/*
		 * What the snapshot shows must be what the chip now holds:
		 * the registers read again, and host mode since our writes
		 * (REG0C itself is not read again: that would take a latch).
		 */
		if (!ret)
			ret = bq_read_regs(bq, s.regs);
		if (ret)
			bq->i2c_errors++;
		else
			s.fault_now = bq_field_set(s.fault_now, F_WATCHDOG_FAULT, 0);
		/*
		 * A restore the bus cut short: tried again soon (whoever
		 * called, helper-100: a property read's refresh left the chip
		 * at its defaults until the backstop); after that at the
		 * poll's pace, as a bus that keeps failing is.
		 */
		bq->restore_failed = ret != 0;
		if (ret && !retried)
			bq_look_again_soon(bq);
		/*
		 * A reset: the chip said so (WATCHDOG_FAULT), or a restore
		 * held where the last one did too (a bus error: as before,
		 * unless the chip was known not to keep it). A register that
		 * does not keep it is no reset, however often a refresh finds
		 * it off, nor is its release (bq_check_kept()).
		 */
		kept = !ret && bq_check_kept(bq, &s, &ret);
		if (kept)
			bq->tried_mask = 0;
		/*
		 * Counted at the restore that failed: its retry finds the
		 * same reset (the chip still in default mode), not another
		 * (helper-100: twice; one between the two is not counted).
		 */
		undone = !was_unkept && !retried &&
			 (kept || (ret && !bq->unkept && !bq->unkept_suspect));
		if (whose == BQ_WHOSE_OWN && undone) {
			/* counted when the bus failed it (i2c_errors) */
			dev_dbg(bq->dev, "a write the bus failed had landed; restoring\n");
		} else if (whose == BQ_WHOSE_FOREIGN && undone) {
			/* someone else's write: no reset (whose cause is the chip's supply) */
			bq->config_overwritten++;
			if (!bq->overwrite_logged)
				dev_warn(bq->dev, "REG%02X read 0x%02x, not the 0x%02x written nor the chip's default: another bus master wrote it; restoring\n",
					 freg, fval, fwant);
			bq->overwrite_logged = true;
		} else if ((wd && !retried) || undone) {
			bq->chip_resets++;
			if (!bq->reset_logged)
				dev_warn(bq->dev, "chip reset detected (%s); restoring the configuration\n",
					 !wd ? "registers off the configuration" :
					 bq->cfg.wd ? "watchdog expiry or power-on reset" :
					 "power-on reset");
			bq->reset_logged = true;
		}
	}
	s.unkept = bq->unkept;
	/*
	 * A reset whose restore failed: no other write until one holds.
	 * Any write ends default mode, and the chip would charge under the
	 * host's control at its 2048 mA and 4.208 V (the ADC's below did,
	 * in driver_test's a_reset_whose_restore_fails_is_counted_once).
	 */
	if (lost && bq->restore_failed)
		configured = false;

	if (configured && bq->behaviour_pending >= 0)
		bq_behaviour_retry(bq, &s);

	/*
	 * Continuous ADC while VBUS is present, one-shot on battery. REG02 is
	 * in the burst, so one plain write does it (a field write would read
	 * it again).
	 */
	if (configured && bq_snap_field(&s, F_PG_STAT) != bq_snap_field(&s, F_CONV_RATE)) {
		u8 r02 = bq_field_set(bq_field_set(s.regs[BQ_REG_ADC_CTRL], F_CONV_START, 0),
				      F_CONV_RATE, bq_snap_field(&s, F_PG_STAT));

		if (regmap_write(bq->rmap, BQ_REG_ADC_CTRL, r02)) {
			bq->i2c_errors++;
		} else {
			s.regs[BQ_REG_ADC_CTRL] = r02;
			bq_adc_first_due(bq, bq_field_get(r02, F_CONV_RATE), &s);
		}
	}

	if (configured)
		bq_keep_input_limits(bq, s.regs, lost);
	bq_debounce_done(bq, &s);

	/*
	 * An input fault is told apart (over-voltage, or a source too weak)
	 * by VBUS: a reading from before it is no evidence. The next read
	 * that needs it converts again, however recent the last sample.
	 */
	if (bq_field_get(s.fault_now, F_CHRG_FAULT) == CF_INPUT &&
	    (!bq->snap.ok || bq_field_get(bq->snap.fault_now, F_CHRG_FAULT) != CF_INPUT) &&
	    !bq_snap_field(&s, F_CONV_RATE))
		bq->adc_at = 0;

	bq_count_faults(bq, again ? bq_field_set(s.regs[BQ_REG_FAULT], F_WATCHDOG_FAULT, 0) :
			    s.regs[BQ_REG_FAULT], bq->snap.fault_now);
	if (bq_snap_field(&s, F_CONV_RATE))
		bq->adc_at = jiffies;
	bq_adc_seen(bq, &s);
	bq->snap = s;
	bq->snap_at = jiffies;

	/*
	 * A fault that came and went differs from the present state: announce
	 * it; and a reset, a write of someone else's or a register not kept
	 * that this refresh found, whatever REG0C says (a REG_RST, another bus
	 * master's write: nothing latched, and no uevent told of them).
	 */
	sig = bq_status_sig(&s);
	if (sig != bq->status_sig || (s.regs[BQ_REG_FAULT] & ~s.fault_now) ||
	    bq->chip_resets + bq->config_overwritten + bq->config_unkept != found) {
		bq->status_sig = sig;
		bq_announce(bq);
	}
	/* a restore that failed: the caller's retry must come, as for a read */
	return ret;
}

/*
 * Before any write outside bq_refresh() (a sysfs write, the OTG boost, a
 * watchdog kick, an ADC start, suspend, hand-back): REG00-REG0A in one
 * burst, into regs. Any write ends default mode (SLUSC88A 8.3.1), so one
 * that reached a chip reset since the driver last looked would put it
 * under host control at its defaults, 2048 mA and 4.208 V (and at
 * suspend or hand-back, leave it there). If the burst shows the
 * configuration lost, restore it first (bq_refresh()); regs is then what
 * the chip holds after that (regs may be NULL: the check alone). For a
 * field write the burst replaces its own read: no transfer is added. A
 * reset in the microseconds between this and the write stays possible;
 * the next refresh finds it. Called with bq->lock held; returns 0 or the
 * bus error (counted).
 */
static int bq_regs_for_write(struct bq2589x *bq, u8 regs[BQ_LAST_CFG + 1])
{
	struct bq_snapshot s = { };
	int ret;

	lockdep_assert_held(&bq->lock);
	ret = regmap_bulk_read(bq->rmap, BQ_REG_INPUT_SRC, s.regs, BQ_LAST_CFG + 1);
	if (ret) {
		bq->i2c_errors++;
		return ret;
	}
	if (bq->configured && bq_config_lost(bq, &s)) {
		ret = bq_refresh(bq);
		if (ret)
			return ret;
		memcpy(s.regs, bq->snap.regs, BQ_LAST_CFG + 1);
	}
	if (regs)
		memcpy(regs, s.regs, BQ_LAST_CFG + 1);
	return 0;
}

/*
 * Write field f (of REG00-REG0A) to v, the chip's configuration checked
 * first (bq_regs_for_write()): 2 transfers, 1 if the field already holds v
 * (as regmap_field_write() would). Returns 0 or the bus error, counted.
 */
static int bq_write_field(struct bq2589x *bq, enum bq_field f, unsigned int v)
{
	u8 regs[BQ_LAST_CFG + 1];
	u8 r = bq_reg_fields[f].reg;
	int ret;

	BUILD_BUG_ON(BQ_REG_INPUT_SRC != 0);
	if (WARN_ON_ONCE(r > BQ_LAST_CFG))
		return -EINVAL;
	ret = bq_regs_for_write(bq, regs);
	if (ret || bq_field_set(regs[r], f, v) == regs[r])
		return ret;
	bq_tried(bq, f, v);
	ret = regmap_write(bq->rmap, r, bq_field_set(regs[r], f, v));
	if (ret)
		bq->i2c_errors++;
	return ret;
}

/* While suspended, the snapshot as it is: the adapter refuses transfers. */
static int bq_refresh_if_stale(struct bq2589x *bq)
{
	if (bq->suspended)
		return 0;
	if (bq->snap.ok &&
	    time_before(jiffies, bq->snap_at + msecs_to_jiffies(bq->t.snapshot_ms)))
		return 0;
	return bq_refresh(bq);
}

/*
 * On battery the ADC runs one-shot: start a conversion if the last one is
 * old, and wait for it, sleeping, for about one conversion at most. The
 * wait drops bq->lock: the interrupt thread and the other readers must not
 * wait a conversion for it (they serve the snapshot as it is meanwhile,
 * and do not start another). A conversion that never ends counts as one
 * too: the readings stay as they were (or absent) until the next is due,
 * rather than every property read waiting the whole timeout again.
 * Called with bq->lock held; returns with it held.
 */
static void bq_adc_fresh(struct bq2589x *bq)
{
	unsigned long deadline;
	unsigned int v;
	int ret;

	lockdep_assert_held(&bq->lock);
	if (!bq->configured || bq->suspended || bq_snap_field(&bq->snap, F_CONV_RATE))
		return;
	if (bq->adc_at && time_before(jiffies, bq->adc_at + msecs_to_jiffies(bq->t.adc_max_age_ms)))
		return;
	/* a restore before the write may have found power good: continuous */
	if (bq_write_field(bq, F_CONV_START, 1) || bq_snap_field(&bq->snap, F_CONV_RATE))
		return;
	bq->adc_at = jiffies ? : 1;
	deadline = jiffies + msecs_to_jiffies(ADC_CONV_TIMEOUT_MS);
	/*
	 * Each read under the lock, to see a suspend that began in the
	 * sleep before it: from then on the bus is not ours.
	 */
	for (;;) {
		ret = regmap_field_read(bq->f[F_CONV_START], &v);
		if (ret || !v)
			break;
		if (time_after(jiffies, deadline)) {
			ret = -ETIMEDOUT;
			break;
		}
		mutex_unlock(&bq->lock);
		usleep_range(20000, 25000);
		mutex_lock(&bq->lock);
		if (bq->suspended || bq->stopping)
			return;		/* the system went to sleep, or we go */
	}
	bq->adc_at = jiffies ? : 1;
	if (ret) {
		dev_warn_ratelimited(bq->dev,
				     "ADC conversion not done after %u ms (%d); readings stale for %u ms\n",
				     ADC_CONV_TIMEOUT_MS, ret, bq->t.adc_max_age_ms);
		return;
	}
	if (bq->configured)
		bq_refresh(bq);
}

/* --- interrupt and polling ------------------------------------------------ */

static irqreturn_t bq_irq(int irq, void *data)
{
	struct bq2589x *bq = data;
	bool online, retry, faulty, first_due;
	unsigned long first_at, fault_delay;
	int ret;

	mutex_lock(&bq->lock);
	/*
	 * An event as the system goes to sleep, or a wake-up replayed before
	 * the adapter resumed: resume reads the chip; nothing to do here.
	 */
	if (bq->suspended) {
		mutex_unlock(&bq->lock);
		return IRQ_HANDLED;
	}
	ret = bq_refresh(bq);
	online = bq->snap.ok && bq_snap_field(&bq->snap, F_PG_STAT) && !bq->stopping;
	faulty = bq->snap.ok && bq->snap.fault_now && !bq->stopping;
	retry = ret && !bq->stopping;
	first_due = bq->adc_first_due;
	first_at = bq->adc_first_at;
	fault_delay = bq_sooner(bq, bq_poll_delay(first_due, first_at,
						  msecs_to_jiffies(bq->t.fault_poll_ms)));
	mutex_unlock(&bq->lock);
	/*
	 * The bus failed: what this interrupt announced is still latched in
	 * the chip (or held in latch_pending); read again soon rather than at
	 * the next interrupt, which may never come.
	 */
	if (retry)
		mod_delayed_work(system_freezable_wq, &bq->poll_work,
				 msecs_to_jiffies(BQ_RETRY_MS));
	/* a fault: no INT will say when it ends */
	else if (faulty)
		mod_delayed_work(system_freezable_wq, &bq->poll_work, fault_delay);
	/* Plugged in: arm the backstop, if it is not running already. */
	else if (online)
		queue_delayed_work(system_freezable_wq, &bq->poll_work,
				   bq_poll_delay(first_due, first_at,
						 msecs_to_jiffies(bq->t.backstop_ms)));
	/*
	 * Handled even when the bus failed: the line was ours, and IRQ_NONE
	 * would let the spurious-interrupt detector disable it on a flaky bus.
	 * The failure is counted (i2c_errors) and reported (health Unknown).
	 */
	return IRQ_HANDLED;
}

/*
 * The board's watchdog back on after a suspend, once a read has shown the
 * chip (restored if it reset while asleep): a write before that could end
 * a default mode at the chip's 2048 mA (SLUSC88A 8.3.1). Returns whether
 * it is armed now; if the write failed it stays paused, for the next poll
 * to try. Called with bq->lock held.
 */
static bool bq_wd_rearm(struct bq2589x *bq)
{
	/* handed back (unbind, shutdown): nobody would kick it (helper-88) */
	if (!bq->wd_paused || !bq->configured || bq->suspended || bq->stopping)
		return false;
	bq_tried(bq, F_WATCHDOG, bq->cfg.wd);
	if (regmap_field_write(bq->f[F_WATCHDOG], bq->cfg.wd)) {
		bq->i2c_errors++;
		return false;
	}
	bq->wd_paused = false;
	return true;
}

static void bq_poll_work(struct work_struct *work)
{
	struct bq2589x *bq = container_of(to_delayed_work(work), struct bq2589x, poll_work);
	unsigned long first_at, delay;
	bool online, failed, faulty, first_due, pending, wd = false;
	unsigned int ms;
	int irq;

	mutex_lock(&bq->lock);
	bq->look_soon = false;		/* this is that look (or a sooner one) */
	failed = bq_refresh(bq);
	if (!failed)
		wd = bq_wd_rearm(bq);
	online = bq->snap.ok && bq_snap_field(&bq->snap, F_PG_STAT);
	faulty = bq->snap.ok && bq->snap.fault_now;
	if (!failed && bq->adc_first_due && time_after_eq(jiffies, bq->adc_first_at)) {
		bq->adc_first_due = false;
		bq->adc_stale = false;	/* in by now, moved or not (a resume's may not) */
		bq_announce(bq);	/* the first continuous sample */
	}
	first_due = bq->adc_first_due;
	first_at = bq->adc_first_at;
	pending = (bq->behaviour_pending >= 0 || bq->wd_paused) && !bq->stopping;
	irq = bq->irq;
	mutex_unlock(&bq->lock);
	if (wd)
		schedule_delayed_work(&bq->wd_work, msecs_to_jiffies(bq->wd_timeout_ms / 2));

	/*
	 * With an IRQ: a bus that keeps failing is retried slowly, a present
	 * fault watched until it ends, and online the backstop.
	 */
	if (irq > 0)
		ms = failed ? POLL_BATTERY_MS : faulty ? bq->t.fault_poll_ms :
		     online ? bq->t.backstop_ms : 0;
	else
		ms = online ? POLL_ONLINE_MS : POLL_BATTERY_MS;
	/* a kept charge_behaviour still refused, the watchdog still paused: tried again */
	if (pending && (!ms || ms > POLL_BATTERY_MS))
		ms = POLL_BATTERY_MS;
	delay = bq_poll_delay(first_due, first_at, ms ? msecs_to_jiffies(ms) : 0);
	if (delay)
		queue_delayed_work(system_freezable_wq, &bq->poll_work, delay);
}

/* The watchdog, when the board asks for it: kick it at half its period. */
static void bq_wd_work(struct work_struct *work)
{
	struct bq2589x *bq = container_of(to_delayed_work(work), struct bq2589x, wd_work);

	bool paused;

	mutex_lock(&bq->lock);
	paused = bq->wd_paused;
	if (!paused)
		bq_write_field(bq, F_WD_RST, 1);	/* a failure is counted */
	mutex_unlock(&bq->lock);
	/* paused: resume re-arms the chip's watchdog and this work */
	if (!paused)
		schedule_delayed_work(&bq->wd_work, msecs_to_jiffies(bq->wd_timeout_ms / 2));
}

/* --- power supply -------------------------------------------------------- */

/* What VBUS_STAT can tell apart (REG0B): the USB types usb_type reports. */
#define BQ_USB_TYPES	(BIT(POWER_SUPPLY_USB_TYPE_UNKNOWN) | BIT(POWER_SUPPLY_USB_TYPE_SDP) | \
			 BIT(POWER_SUPPLY_USB_TYPE_CDP) | BIT(POWER_SUPPLY_USB_TYPE_DCP))
/* charge_behaviour: CHG_CONFIG on or off; the chip cannot discharge on demand. */
#define BQ_CHARGE_BEHAVIOURS	(BIT(POWER_SUPPLY_CHARGE_BEHAVIOUR_AUTO) | \
				 BIT(POWER_SUPPLY_CHARGE_BEHAVIOUR_INHIBIT_CHARGE))

static const enum power_supply_property bq_props[] = {
	POWER_SUPPLY_PROP_STATUS,
	POWER_SUPPLY_PROP_CHARGE_TYPE,
	POWER_SUPPLY_PROP_ONLINE,
	POWER_SUPPLY_PROP_HEALTH,
	POWER_SUPPLY_PROP_USB_TYPE,
	POWER_SUPPLY_PROP_VOLTAGE_NOW,
	POWER_SUPPLY_PROP_CURRENT_NOW,
	POWER_SUPPLY_PROP_CURRENT_MAX,
	POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT,
	POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT_MAX,
	POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE,
	POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE_MAX,
	POWER_SUPPLY_PROP_PRECHARGE_CURRENT,
	POWER_SUPPLY_PROP_CHARGE_TERM_CURRENT,
	POWER_SUPPLY_PROP_INPUT_CURRENT_LIMIT,
	POWER_SUPPLY_PROP_INPUT_VOLTAGE_LIMIT,
	POWER_SUPPLY_PROP_CHARGE_BEHAVIOUR,
	POWER_SUPPLY_PROP_TEMP,
	POWER_SUPPLY_PROP_MODEL_NAME,
	POWER_SUPPLY_PROP_MANUFACTURER,
};

static const char *const bq_model_names[] = {
	[0] = "BQ25892/6", [3] = "BQ25890", [7] = "BQ25895",
};

static int bq_health(const struct bq_snapshot *s, bool wd_on)
{
	u8 cf = bq_field_get(s->fault_now, F_CHRG_FAULT);
	u32 vbus;

	if (!s->ok)
		return POWER_SUPPLY_HEALTH_UNKNOWN;
	if (cf == CF_THERMAL)
		return POWER_SUPPLY_HEALTH_OVERHEAT;
	if (bq_field_get(s->fault_now, F_BAT_FAULT))
		return POWER_SUPPLY_HEALTH_OVERVOLTAGE;
	if (cf == CF_INPUT) {
		/* An input fault is VBUS over-voltage, or a source too weak. */
		vbus = bq_snap_val(s, F_VBUSV, &rng_vbusv);
		return vbus < 3800000 ? POWER_SUPPLY_HEALTH_UNSPEC_FAILURE :
					POWER_SUPPLY_HEALTH_OVERVOLTAGE;
	}
	if (cf == CF_TIMER)
		return POWER_SUPPLY_HEALTH_SAFETY_TIMER_EXPIRE;
	/* a register that does not keep its value: no fault bit tells it */
	if (s->unkept)
		return POWER_SUPPLY_HEALTH_UNSPEC_FAILURE;
	/* without our watchdog, WATCHDOG_FAULT was a power-on reset */
	if (bq_snap_field(s, F_WATCHDOG_FAULT) && wd_on)
		return POWER_SUPPLY_HEALTH_WATCHDOG_TIMER_EXPIRE;
	switch (bq_field_get(s->fault_now, F_NTC_FAULT)) {
	case NTC_COLD:
		return POWER_SUPPLY_HEALTH_COLD;
	case NTC_COOL:
		return POWER_SUPPLY_HEALTH_COOL;
	case NTC_WARM:
		return POWER_SUPPLY_HEALTH_WARM;
	case NTC_HOT:
		return POWER_SUPPLY_HEALTH_HOT;
	}
	return POWER_SUPPLY_HEALTH_GOOD;
}

static bool bq_is_adc_prop(enum power_supply_property psp)
{
	return psp == POWER_SUPPLY_PROP_VOLTAGE_NOW || psp == POWER_SUPPLY_PROP_CURRENT_NOW ||
	       psp == POWER_SUPPLY_PROP_TEMP;
}

/* ADC readings, and health when it must tell VBUS OVP from a weak source. */
static bool bq_needs_adc(struct bq2589x *bq, enum power_supply_property psp)
{
	if (!bq->snap.ok)
		return false;
	if (psp == POWER_SUPPLY_PROP_HEALTH)
		return bq_field_get(bq->snap.fault_now, F_CHRG_FAULT) == CF_INPUT;
	return bq_is_adc_prop(psp);
}

/* What we hold, not the chip: read without the bus (bq_get_property()). */
static bool bq_is_held_prop(enum power_supply_property psp)
{
	switch (psp) {
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT:
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT_MAX:
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE:
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE_MAX:
	case POWER_SUPPLY_PROP_CHARGE_BEHAVIOUR:
	case POWER_SUPPLY_PROP_MANUFACTURER:
		return true;
	default:
		return false;
	}
}

static int bq_get_property(struct power_supply *psy, enum power_supply_property psp,
			   union power_supply_propval *val)
{
	struct bq2589x *bq = power_supply_get_drvdata(psy);
	struct bq_snapshot s;
	struct bq_config c;
	int behaviour;
	bool online, adc_stale, configured;
	u8 stat;

	mutex_lock(&bq->lock);
	if (!bq_is_held_prop(psp)) {
		bq_refresh_if_stale(bq);
		if (bq_needs_adc(bq, psp))
			bq_adc_fresh(bq);
	}
	s = bq->snap;
	c = bq->cfg;
	behaviour = bq->behaviour;
	adc_stale = bq->adc_stale;
	configured = bq->configured;
	mutex_unlock(&bq->lock);

	/*
	 * The limits are read and programmed after the supply's registration
	 * and handed back before its removal: outside that, none is in force
	 * that we know of.
	 */
	switch (psp) {
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT:
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT_MAX:
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE:
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE_MAX:
		if (!configured)
			return -ENODATA;
		break;
	default:
		break;
	}

	/* What we hold (bq_is_held_prop()), and health from the snapshot. */
	switch (psp) {
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT:
		val->intval = c.ichg;
		return 0;
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT_MAX:
		val->intval = c.ichg_max;
		return 0;
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE:
		val->intval = c.vreg;
		return 0;
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE_MAX:
		val->intval = c.vreg_max;
		return 0;
	case POWER_SUPPLY_PROP_CHARGE_BEHAVIOUR:
		val->intval = behaviour;
		return 0;
	case POWER_SUPPLY_PROP_MANUFACTURER:
		val->strval = "Texas Instruments";
		return 0;
	case POWER_SUPPLY_PROP_HEALTH:
		val->intval = bq_health(&s, c.wd);
		return 0;
	default:
		break;
	}
	/*
	 * On a bus failure there is nothing to report but health (Unknown);
	 * -ENODATA keeps the uevent going, so that it carries that health.
	 */
	if (!s.ok)
		return -ENODATA;
	/*
	 * SYSV reads 0 (2.304 V) only before the first conversion; after a
	 * plug or a resume, until the first continuous sample, the readings
	 * are from before it (bq_adc_first_due()).
	 */
	if (bq_is_adc_prop(psp) && (!bq_snap_field(&s, F_SYSV) || adc_stale))
		return -ENODATA;

	online = bq_snap_field(&s, F_PG_STAT);
	stat = s.stat;
	switch (psp) {
	case POWER_SUPPLY_PROP_STATUS:
		if (!online)
			val->intval = POWER_SUPPLY_STATUS_DISCHARGING;
		else if (stat == CHRG_PRE || stat == CHRG_FAST)
			val->intval = POWER_SUPPLY_STATUS_CHARGING;
		else if (stat == CHRG_DONE)
			val->intval = POWER_SUPPLY_STATUS_FULL;
		else
			val->intval = POWER_SUPPLY_STATUS_NOT_CHARGING;
		break;
	case POWER_SUPPLY_PROP_CHARGE_TYPE:
		if (online && stat == CHRG_PRE)
			val->intval = POWER_SUPPLY_CHARGE_TYPE_TRICKLE;
		else if (online && stat == CHRG_FAST)
			val->intval = POWER_SUPPLY_CHARGE_TYPE_FAST;
		else
			val->intval = POWER_SUPPLY_CHARGE_TYPE_NONE;
		break;
	case POWER_SUPPLY_PROP_ONLINE:
		val->intval = online;
		break;
	case POWER_SUPPLY_PROP_USB_TYPE:
		switch (bq_snap_field(&s, F_VBUS_STAT)) {
		case VBUS_SDP:
			val->intval = POWER_SUPPLY_USB_TYPE_SDP;
			break;
		case VBUS_CDP:
			val->intval = POWER_SUPPLY_USB_TYPE_CDP;
			break;
		case VBUS_DCP:
		case VBUS_HVDCP:
			val->intval = POWER_SUPPLY_USB_TYPE_DCP;
			break;
		default:
			val->intval = POWER_SUPPLY_USB_TYPE_UNKNOWN;
		}
		break;
	case POWER_SUPPLY_PROP_VOLTAGE_NOW:
		/*
		 * VBUS; 0 when there is none. An input fault clears VBUS_GD
		 * but VBUS is there: over-voltage reads up to the ADC's top,
		 * 15.3 V (so at least that), a weak source what it sagged to.
		 * With VBUS good, a code of 0 (2.6 V or less) is a sample from
		 * before VBUS came (the plug's uevent, before the first
		 * continuous sample): no reading yet, not 2.6 V.
		 */
		if (bq_snap_field(&s, F_VBUS_GD) && !bq_snap_field(&s, F_VBUSV))
			return -ENODATA;
		if (bq_snap_field(&s, F_VBUS_GD) ||
		    (bq_field_get(s.fault_now, F_CHRG_FAULT) == CF_INPUT &&
		     bq_snap_field(&s, F_VBUSV)))
			val->intval = bq_snap_val(&s, F_VBUSV, &rng_vbusv);
		else
			val->intval = 0;
		break;
	case POWER_SUPPLY_PROP_CURRENT_NOW:
		/*
		 * Battery charge current, positive while charging. Not
		 * charging, or charge done (CHRG_STAT, read with every
		 * snapshot), the chip charges nothing: 0, not the ADC's last
		 * sample (up to a second old while continuous: a pause read
		 * the current from before it).
		 */
		stat = bq_snap_field(&s, F_CHRG_STAT);
		val->intval = stat == CHRG_NONE || stat == CHRG_DONE ? 0 :
			      bq_snap_val(&s, F_ICHGR, &rng_ichgr);
		break;
	case POWER_SUPPLY_PROP_CURRENT_MAX:
		val->intval = online ? bq_snap_val(&s, F_IDPM_LIM, &rng_iinlim) : 0;
		break;
	case POWER_SUPPLY_PROP_PRECHARGE_CURRENT:
		val->intval = bq_snap_val(&s, F_IPRECHG, &rng_iterm);
		break;
	case POWER_SUPPLY_PROP_CHARGE_TERM_CURRENT:
		val->intval = bq_snap_val(&s, F_ITERM, &rng_iterm);
		break;
	case POWER_SUPPLY_PROP_INPUT_CURRENT_LIMIT:
		val->intval = bq_snap_val(&s, F_IINLIM, &rng_iinlim);
		break;
	case POWER_SUPPLY_PROP_INPUT_VOLTAGE_LIMIT:
		/* below 3.9 V (selector 13), as 3.9 V */
		val->intval = bq_snap_val(&s, F_VINDPM, &rng_vindpm);
		break;
	case POWER_SUPPLY_PROP_TEMP:
		val->intval = ts_to_temp(&bq->ntc, bq_snap_val(&s, F_TSPCT, &rng_tspct));
		break;
	case POWER_SUPPLY_PROP_MODEL_NAME:
		val->strval = bq_model_names[bq_snap_field(&s, F_PN)] ?: "BQ2589x";
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/*
 * A write is checked against the limits before anything reaches the chip.
 * The range excludes 0 on purpose: the power_supply core truncates the
 * written number to an int, so "4294967296" arrives here as 0.
 */
static int bq_check(int v, u32 lo, u32 hi)
{
	if (v <= 0 || (u32)v < lo || (u32)v > hi)
		return -EINVAL;
	return 0;
}

static int bq_set_property(struct power_supply *psy, enum power_supply_property psp,
			   const union power_supply_propval *val)
{
	struct bq2589x *bq = power_supply_get_drvdata(psy);
	enum bq_field kept = F_NUM_FIELDS;	/* a field read back after the write */
	int v = val->intval, ret, was_behaviour;
	unsigned int sel;
	u32 was_ichg, was_vreg;

	mutex_lock(&bq->lock);
	was_ichg = bq->cfg.ichg;
	was_vreg = bq->cfg.vreg;
	was_behaviour = bq->behaviour;
	if (!bq->configured || bq->suspended) {
		ret = -EAGAIN;
		goto out;
	}
	switch (psp) {
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT:
		ret = bq_check(v, rng_ichg.step, bq->cfg.ichg_max);
		if (ret)
			goto out;
		sel = bq_range_sel(&rng_ichg, v);
		ret = bq_write_field(bq, F_ICHG, sel);
		if (!ret)
			bq->cfg.ichg = bq_range_val(&rng_ichg, sel);
		kept = F_ICHG;
		break;
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE:
		ret = bq_check(v, rng_vreg.min, bq->cfg.vreg_max);
		if (ret)
			goto out;
		sel = bq_range_sel(&rng_vreg, v);
		ret = bq_write_field(bq, F_VREG, sel);
		if (!ret)
			bq->cfg.vreg = bq_range_val(&rng_vreg, sel);
		kept = F_VREG;
		break;
	case POWER_SUPPLY_PROP_INPUT_CURRENT_LIMIT:
		ret = bq_check(v, rng_iinlim.min, linear_range_get_max_value(&rng_iinlim));
		if (ret)
			goto out;
		sel = bq_range_sel(&rng_iinlim, v);
		ret = bq_write_field(bq, F_IINLIM, sel);
		if (!ret) {
			bq->cfg.iinlim = bq_range_val(&rng_iinlim, sel);
			bq_input_limits_for(bq, false);
		}
		break;
	case POWER_SUPPLY_PROP_INPUT_VOLTAGE_LIMIT:
		ret = bq_check(v, rng_vindpm.min, linear_range_get_max_value(&rng_vindpm));
		if (ret)
			goto out;
		/* REG0D is outside the burst: checked by it, written whole */
		ret = bq_regs_for_write(bq, NULL);
		if (ret)
			break;
		ret = regmap_write(bq->rmap, BQ_REG_VINDPM, bq_vindpm_reg(v));
		if (ret)
			bq->i2c_errors++;
		else
			bq->cfg.vindpm = bq_range_val(&rng_vindpm,
						      bq_range_sel(&rng_vindpm, v));
		if (!ret)
			bq_input_limits_for(bq, true);
		break;
	case POWER_SUPPLY_PROP_CHARGE_BEHAVIOUR:
		if (v != POWER_SUPPLY_CHARGE_BEHAVIOUR_AUTO &&
		    v != POWER_SUPPLY_CHARGE_BEHAVIOUR_INHIBIT_CHARGE) {
			ret = -EINVAL;
			goto out;
		}
		/*
		 * CHG_CONFIG only: the device stays powered from VBUS. Not
		 * on while the chip holds limits above the battery's.
		 */
		sel = v == POWER_SUPPLY_CHARGE_BEHAVIOUR_AUTO && !bq->unkept_unsafe;
		ret = bq_write_field(bq, F_CHG_CONFIG, sel);
		kept = F_CHG_CONFIG;
		/*
		 * Refused by the bus: auto is kept, and the poll tries again
		 * soon. Only auto, the safe way: an inhibit made later, its
		 * writer gone or changed its mind meanwhile (a stop, a load
		 * test given up), would hold charging with nobody to end it
		 * (helper-85); a refused inhibit is the writer's to retry.
		 */
		bq->behaviour_pending = ret && v == POWER_SUPPLY_CHARGE_BEHAVIOUR_AUTO ? v : -1;
		if (!ret)
			bq->behaviour = v;
		else if (!bq->stopping && bq->behaviour_pending >= 0)
			mod_delayed_work(system_freezable_wq, &bq->poll_work,
					 msecs_to_jiffies(BQ_RETRY_MS));
		break;
	default:
		ret = -EINVAL;
		goto out;
	}
	if (!ret)
		bq_refresh(bq);
	/*
	 * Read back by that refresh (which restored it, were it lost): a
	 * chip that does not keep it has not taken it, whatever the bus
	 * said (helper-100: an inhibit reported done, the chip charging).
	 * Refused as a bus refusal is, the old value kept; an auto as
	 * there (the safe way, as above), made once the chip keeps it.
	 */
	if (kept == F_CHG_CONFIG)	/* as the refresh left it (its safety may have moved) */
		sel = v == POWER_SUPPLY_CHARGE_BEHAVIOUR_AUTO && !bq->unkept_unsafe;
	if (!ret && kept != F_NUM_FIELDS && bq->snap.ok && bq_snap_field(&bq->snap, kept) != sel) {
		dev_warn_ratelimited(bq->dev, "REG%02X did not keep the value written\n",
				     bq_reg_fields[kept].reg);
		bq->cfg.ichg = was_ichg;
		bq->cfg.vreg = was_vreg;
		/* only this write's (a pending auto the refresh made stays: helper-102) */
		if (kept == F_CHG_CONFIG && v != POWER_SUPPLY_CHARGE_BEHAVIOUR_AUTO)
			bq->behaviour = was_behaviour;
		ret = -EIO;
	}
	/*
	 * An input limit is no status change, and the power_supply core
	 * raises no uevent for a write: its readers would learn of it at
	 * their next look (chargerd's diagnosis current-limited, minutes
	 * later: helper-99).
	 */
	if (!ret && (psp == POWER_SUPPLY_PROP_INPUT_CURRENT_LIMIT ||
		     psp == POWER_SUPPLY_PROP_INPUT_VOLTAGE_LIMIT))
		bq_announce(bq);
out:
	mutex_unlock(&bq->lock);
	return ret;
}

static int bq_property_is_writeable(struct power_supply *psy, enum power_supply_property psp)
{
	switch (psp) {
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_CURRENT:
	case POWER_SUPPLY_PROP_CONSTANT_CHARGE_VOLTAGE:
	case POWER_SUPPLY_PROP_INPUT_CURRENT_LIMIT:
	case POWER_SUPPLY_PROP_INPUT_VOLTAGE_LIMIT:
	case POWER_SUPPLY_PROP_CHARGE_BEHAVIOUR:
		return 1;
	default:
		return 0;
	}
}

/* --- extra attributes (driver/ABI.md) ------------------------------------ */

static struct bq2589x *dev_to_bq(struct device *dev)
{
	return power_supply_get_drvdata(to_power_supply(dev));
}

static ssize_t input_dpm_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	static const char *const names[] = { "none", "iindpm", "vindpm", "both" };
	struct bq2589x *bq = dev_to_bq(dev);
	unsigned int i = 0;
	u8 r13;

	mutex_lock(&bq->lock);
	bq_refresh_if_stale(bq);
	r13 = bq->snap.ok ? bq->snap.regs[BQ_REG_IDPM] : 0;
	mutex_unlock(&bq->lock);
	if (bq_field_get(r13, F_IDPM_STAT))
		i |= 1;
	if (bq_field_get(r13, F_VDPM_STAT))
		i |= 2;
	return sysfs_emit(buf, "%s\n", names[i]);
}
static DEVICE_ATTR_RO(input_dpm);

/*
 * Which input limits in force were written through sysfs
 * (bq_keep_input_limits(): for the source in, or the next one): chargerd
 * tells a limit set on the device from a weak source by it.
 */
static ssize_t input_limits_written_show(struct device *dev, struct device_attribute *attr,
					 char *buf)
{
	static const char *const names[] = { "none", "current", "voltage", "both" };
	struct bq2589x *bq = dev_to_bq(dev);
	unsigned int i;

	mutex_lock(&bq->lock);
	bq_refresh_if_stale(bq);	/* a plug since ends them */
	i = (bq->cfg.iinlim ? 1 : 0) | (bq->cfg.vindpm ? 2 : 0);
	mutex_unlock(&bq->lock);
	return sysfs_emit(buf, "%s\n", names[i]);
}
static DEVICE_ATTR_RO(input_limits_written);

static ssize_t source_kind_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	static const char *const names[] = {
		"none", "sdp", "cdp", "dcp", "hvdcp", "unknown", "nonstandard", "otg",
	};
	struct bq2589x *bq = dev_to_bq(dev);
	u8 k;

	mutex_lock(&bq->lock);
	bq_refresh_if_stale(bq);
	k = bq->snap.ok ? bq_snap_field(&bq->snap, F_VBUS_STAT) : 0;
	mutex_unlock(&bq->lock);
	return sysfs_emit(buf, "%s\n", names[k]);
}
static DEVICE_ATTR_RO(source_kind);

static ssize_t fault_latched_show(struct device *dev, struct device_attribute *attr,
				  char *buf)
{
	struct bq2589x *bq = dev_to_bq(dev);
	u8 v;

	mutex_lock(&bq->lock);
	bq_refresh_if_stale(bq);
	v = bq->snap.regs[BQ_REG_FAULT];
	mutex_unlock(&bq->lock);
	return sysfs_emit(buf, "0x%02x\n", v);
}
static DEVICE_ATTR_RO(fault_latched);

#define BQ_COUNTER_ATTR(_name, _expr)						\
static ssize_t _name##_show(struct device *dev, struct device_attribute *attr,	\
			    char *buf)						\
{										\
	struct bq2589x *bq = dev_to_bq(dev);					\
	u64 v;									\
										\
	mutex_lock(&bq->lock);							\
	bq_refresh_if_stale(bq);						\
	v = (_expr);								\
	mutex_unlock(&bq->lock);						\
	return sysfs_emit(buf, "%llu\n", v);					\
}										\
static DEVICE_ATTR_RO(_name)

BQ_COUNTER_ATTR(i2c_errors, bq->i2c_errors);
BQ_COUNTER_ATTR(chip_resets, bq->chip_resets);
BQ_COUNTER_ATTR(config_unkept, bq->config_unkept);
BQ_COUNTER_ATTR(config_overwritten, bq->config_overwritten);
BQ_COUNTER_ATTR(power_good_rises, bq->power_good_rises);
BQ_COUNTER_ATTR(watchdog, bq->faults[FK_WATCHDOG]);
BQ_COUNTER_ATTR(boost, bq->faults[FK_BOOST]);
BQ_COUNTER_ATTR(input, bq->faults[FK_INPUT]);
BQ_COUNTER_ATTR(thermal_shutdown, bq->faults[FK_THERMAL]);
BQ_COUNTER_ATTR(safety_timer, bq->faults[FK_TIMER]);
BQ_COUNTER_ATTR(battery_ovp, bq->faults[FK_BAT_OVP]);
BQ_COUNTER_ATTR(ntc, bq->faults[FK_NTC]);

static struct attribute *bq_attrs[] = {
	&dev_attr_input_dpm.attr,
	&dev_attr_input_limits_written.attr,
	&dev_attr_source_kind.attr,
	&dev_attr_fault_latched.attr,
	&dev_attr_i2c_errors.attr,
	&dev_attr_chip_resets.attr,
	&dev_attr_config_unkept.attr,
	&dev_attr_config_overwritten.attr,
	&dev_attr_power_good_rises.attr,
	NULL
};

static const struct attribute_group bq_attr_group = {
	.attrs = bq_attrs,
};

static struct attribute *bq_fault_attrs[] = {
	&dev_attr_watchdog.attr,
	&dev_attr_boost.attr,
	&dev_attr_input.attr,
	&dev_attr_thermal_shutdown.attr,
	&dev_attr_safety_timer.attr,
	&dev_attr_battery_ovp.attr,
	&dev_attr_ntc.attr,
	NULL
};

static const struct attribute_group bq_fault_group = {
	.name = "faults",
	.attrs = bq_fault_attrs,
};

static const struct attribute_group *bq_attr_groups[] = {
	&bq_attr_group,
	&bq_fault_group,
	NULL
};

/*
 * The supply's name is a contract with userspace (driver/ABI.md): the first
 * charger is "bq25895-charger" whatever its part, a second one on the
 * same board (a BQ25892 as the secondary charger) "bq25895-charger-1",
 * and so on, numbered in probe order.
 */
#define BQ_PSY_NAME	"bq25895-charger"
static DEFINE_IDA(bq_psy_ida);

/*
 * No thermal zone: TS is the pack's NTC seen through an ADC that runs
 * one-shot on battery and reads nothing until its first conversion after
 * a power-up or a chip reset. A zone (without trips, so no governor acts
 * on it) would read temp at every change, starting a conversion each time
 * on battery, and log and re-poll each unanswered read (6.12 backs off,
 * then disables the zone). temp and the hwmon device stay.
 */
static const struct power_supply_desc bq_psy_desc_template = {
	.type = POWER_SUPPLY_TYPE_USB,
	.no_thermal = true,
	.properties = bq_props,
	.num_properties = ARRAY_SIZE(bq_props),
	.get_property = bq_get_property,
	.set_property = bq_set_property,
	.property_is_writeable = bq_property_is_writeable,
};

static void bq_psy_ida_free(void *data)
{
	ida_free(&bq_psy_ida, (int)(uintptr_t)data);
}

/* The descriptor of this instance: its name, its USB types and behaviours. */
static int bq_psy_desc_init(struct bq2589x *bq)
{
	struct power_supply_desc *desc = &bq->psy_desc;
	int id, ret;

	id = ida_alloc(&bq_psy_ida, GFP_KERNEL);
	if (id < 0)
		return id;
	ret = devm_add_action_or_reset(bq->dev, bq_psy_ida_free, (void *)(uintptr_t)id);
	if (ret)
		return ret;

	*desc = bq_psy_desc_template;
	desc->name = id ? devm_kasprintf(bq->dev, GFP_KERNEL, BQ_PSY_NAME "-%d", id) :
			  BQ_PSY_NAME;
	if (!desc->name)
		return -ENOMEM;
	kcompat_psy_set_charge_behaviours(desc, BQ_CHARGE_BEHAVIOURS);
	return kcompat_psy_set_usb_types(bq->dev, desc, BQ_USB_TYPES);
}

static void bq_debugfs_remove(void *data)
{
	debugfs_remove_recursive(data);
}

/* The timings, for the tests: DEBUGFS/<supply name>/<timing>_ms. */
static int bq_debugfs_init(struct bq2589x *bq)
{
	struct dentry *d = debugfs_create_dir(bq->psy_desc.name, NULL);

	debugfs_create_u32("full_hold_ms", 0644, d, &bq->t.full_hold_ms);
	debugfs_create_u32("snapshot_ms", 0644, d, &bq->t.snapshot_ms);
	debugfs_create_u32("backstop_ms", 0644, d, &bq->t.backstop_ms);
	debugfs_create_u32("fault_poll_ms", 0644, d, &bq->t.fault_poll_ms);
	debugfs_create_u32("adc_max_age_ms", 0644, d, &bq->t.adc_max_age_ms);
	debugfs_create_u32("adc_first_ms", 0644, d, &bq->t.adc_first_ms);
	debugfs_create_u32("unkept_retry_ms", 0644, d, &bq->t.unkept_retry_ms);
	return devm_add_action_or_reset(bq->dev, bq_debugfs_remove, d);
}

/* --- the OTG boost regulator ----------------------------------------------- */

static int bq_otg_get_voltage(struct regulator_dev *rdev)
{
	struct bq2589x *bq = rdev_get_drvdata(rdev);

	return bq->cfg.boostv;
}

/*
 * The boost is part of our configuration image (otg_on): a chip reset,
 * which clears OTG_CONFIG, gets it back on for a consumer that still has
 * it enabled, and a chip whose power-on default is OTG_CONFIG set gets it
 * off until a consumer asks.
 */
static int bq_otg_set(struct regulator_dev *rdev, bool on)
{
	struct bq2589x *bq = rdev_get_drvdata(rdev);
	int ret;

	mutex_lock(&bq->lock);
	if (bq->suspended || !bq->configured) {
		ret = -EAGAIN;
	} else {
		ret = bq_write_field(bq, F_OTG_CONFIG, on);
		if (!ret)
			bq->otg_on = on;
	}
	mutex_unlock(&bq->lock);
	return ret;
}

static int bq_otg_enable(struct regulator_dev *rdev)
{
	return bq_otg_set(rdev, true);
}

static int bq_otg_disable(struct regulator_dev *rdev)
{
	return bq_otg_set(rdev, false);
}

static int bq_otg_is_enabled(struct regulator_dev *rdev)
{
	struct bq2589x *bq = rdev_get_drvdata(rdev);
	int on;

	mutex_lock(&bq->lock);
	on = bq->otg_on;
	mutex_unlock(&bq->lock);
	return on;
}

static const struct regulator_ops bq_otg_ops = {
	.enable = bq_otg_enable,
	.disable = bq_otg_disable,
	.is_enabled = bq_otg_is_enabled,
	.get_voltage = bq_otg_get_voltage,
};

static const struct regulator_desc bq_otg_desc = {
	.name = "usb-otg-vbus",
	.of_match = "usb-otg-vbus",
	.type = REGULATOR_VOLTAGE,
	.owner = THIS_MODULE,
	.ops = &bq_otg_ops,
};

/*
 * Without a device-tree node for the boost (ACPI, software nodes), its
 * consumer may still switch it: the constraints a node would give.
 */
static const struct regulator_init_data bq_otg_init = {
	.constraints = {
		.valid_ops_mask = REGULATOR_CHANGE_STATUS,
	},
};

/* --- probe ----------------------------------------------------------------- */

static bool bq_volatile_reg(struct device *dev, unsigned int reg)
{
	return true;	/* no cache: a reset must show as it is */
}

static bool bq_precious_reg(struct device *dev, unsigned int reg)
{
	return reg == BQ_REG_FAULT;	/* reading it clears the latch */
}

static const struct regmap_config bq_regmap_config = {
	.reg_bits = 8,
	.val_bits = 8,
	.max_register = BQ_NREGS - 1,
	.cache_type = REGCACHE_NONE,
	.volatile_reg = bq_volatile_reg,
	.precious_reg = bq_precious_reg,
};

/* A board property, or the given default when the board says nothing. */
static u32 bq_prop(struct bq2589x *bq, const char *name, u32 def)
{
	u32 v;

	return device_property_read_u32(bq->dev, name, &v) ? def : v;
}

/* The tighter of a board value and a battery limit (<= 0: none). */
static u32 bq_tighter(u32 board, int battery)
{
	return battery > 0 ? min_t(u32, board, battery) : board;
}

/* TS/REGN (0.001 %) of an NTC of r ohms in the network rt1, rt2 (0: none). */
static u32 bq_ntc_ts(u32 r, u32 rt1, u32 rt2)
{
	u64 low = rt2 ? div64_u64((u64)r * rt2, (u64)r + rt2) : r;

	return div64_u64(low * 100000, low + rt1);
}

/*
 * The TS network from the board, or the reference board's (see
 * ref_ntc_ohms). ti,ntc-temperature-lookup-table is <milli-degC ohms>
 * rows, temperature rising and resistance falling (an NTC), BQ_NTC_MIN
 * to BQ_NTC_MAX rows. Returns 0, or -EINVAL with the reason logged.
 */
static int bq_read_ntc(struct bq2589x *bq)
{
	static const char prop[] = "ti,ntc-temperature-lookup-table";
	struct bq_ntc *t = &bq->ntc;
	u32 rt1 = bq_prop(bq, "ti,ts-pullup-ohms", BQ_REF_TS_RT1);
	u32 rt2 = bq_prop(bq, "ti,ts-pulldown-ohms", BQ_REF_TS_RT2);
	u32 *rows = NULL;
	unsigned int i;
	int n, ret;

	if (!rt1 || rt1 > BQ_NTC_OHMS_MAX || rt2 > BQ_NTC_OHMS_MAX) {
		dev_err(bq->dev, "TS network RT1 %u, RT2 %u ohms: want 1 to %u\n",
			rt1, rt2, BQ_NTC_OHMS_MAX);
		return -EINVAL;
	}
	/* absent: the reference network; present but malformed: refused */
	if (!device_property_present(bq->dev, prop)) {
		t->n = ARRAY_SIZE(ref_ntc_ohms);
		for (i = 0; i < t->n; i++) {
			t->temp_dc[i] = BQ_REF_NTC_T0_DC + 50 * i;
			t->ts[i] = bq_ntc_ts(ref_ntc_ohms[i], rt1, rt2);
		}
		return 0;
	}
	n = device_property_count_u32(bq->dev, prop);
	if (n < 0 || n % 2 || n / 2 < BQ_NTC_MIN || n / 2 > BQ_NTC_MAX) {
		dev_err(bq->dev, "%s: %d cells; want %d to %d <milli-degC ohms> rows\n",
			prop, n, BQ_NTC_MIN, BQ_NTC_MAX);
		return -EINVAL;
	}
	rows = kcalloc(n, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;
	ret = device_property_read_u32_array(bq->dev, prop, rows, n);
	for (i = 0; !ret && i < n / 2; i++) {
		s32 milli = (s32)rows[2 * i];
		u32 ohms = rows[2 * i + 1];

		if (!ohms || ohms > BQ_NTC_OHMS_MAX ||
		    (i && (milli <= (s32)rows[2 * i - 2] || ohms >= rows[2 * i - 1]))) {
			dev_err(bq->dev, "%s: row %u <%d %u>: temperatures must rise and resistances fall, above 0\n",
				prop, i, milli, ohms);
			ret = -EINVAL;
			break;
		}
		t->temp_dc[i] = milli / 100;
		t->ts[i] = bq_ntc_ts(ohms, rt1, rt2);
	}
	kfree(rows);
	if (ret)
		return ret;
	t->n = n / 2;
	return 0;
}

/* The TS network, then what it makes of the chip's fixed JEITA window. */
static int bq_setup_ntc(struct bq2589x *bq)
{
	int ret = bq_read_ntc(bq), cold, hot;

	if (ret)
		return ret;
	cold = ts_to_temp(&bq->ntc, BQ_VT1_COLD);
	hot = ts_to_temp(&bq->ntc, BQ_VT5_HOT);
	dev_info(bq->dev, "TS network: the chip charges from %s%d.%d to %s%d.%d degC\n",
		 cold < 0 ? "-" : "", abs(cold) / 10, abs(cold) % 10,
		 hot < 0 ? "-" : "", abs(hot) / 10, abs(hot) % 10);
	/*
	 * A threshold at the table's end is only where the table stops; a
	 * window not around room temperature is a network (or a table in
	 * degrees, not milli-degrees) that does not fit the thermistor.
	 */
	if (cold > 100 || hot < 450 || cold == bq->ntc.temp_dc[0] ||
	    hot == bq->ntc.temp_dc[bq->ntc.n - 1])
		dev_warn(bq->dev, "TS network: that window is not 10 to 45 degC or lies beyond the table: check ti,ts-pullup-ohms, ti,ts-pulldown-ohms and the NTC's table\n");
	return 0;
}

static int bq_read_config(struct bq2589x *bq)
{
	struct power_supply_battery_info *bi = NULL;
	struct bq_config *c = &bq->cfg;
	u32 ichg, vreg, v;
	int ret;

	/* Without a board value, the chip's own defaults apply. */
	ichg = bq_prop(bq, "ti,charge-current", 2048000);
	vreg = bq_prop(bq, "ti,battery-regulation-voltage", 4208000);
	c->iterm = bq_prop(bq, "ti,termination-current", 256000);
	c->iprechg = bq_prop(bq, "ti,precharge-current", 128000);
	c->sysmin = bq_prop(bq, "ti,minimum-sys-voltage", 3500000);
	c->boostv = bq_prop(bq, "ti,boost-voltage", 4998000);
	c->boosti = bq_prop(bq, "ti,boost-max-current", 1400000);
	v = bq_prop(bq, "ti,thermal-regulation-threshold", 120);
	/* the highest threshold not above the board's, 60 degC at least */
	c->treg = bq_range_sel(&rng_treg, v);

	/*
	 * The ceiling is the battery's limit; without battery info, the
	 * board's value. What is programmed is the tighter of the two.
	 */
	c->ichg_max = ichg;
	c->vreg_max = vreg;
	ret = power_supply_get_battery_info(bq->psy, &bi);
	if (!ret) {
		if (bi->constant_charge_current_max_ua > 0)
			c->ichg_max = bi->constant_charge_current_max_ua;
		if (bi->constant_charge_voltage_max_uv > 0)
			c->vreg_max = bi->constant_charge_voltage_max_uv;
		c->iterm = bq_tighter(c->iterm, bi->charge_term_current_ua);
		c->iprechg = bq_tighter(c->iprechg, bi->precharge_current_ua);
		power_supply_put_battery_info(bq->psy, bi);
	} else if (!device_property_present(bq->dev, "monitored-battery")) {
		dev_warn(bq->dev, "no monitored-battery: the board's values are the limits\n");
	} else {
		/*
		 * A battery node that does not parse (not "simple-battery"
		 * first, a malformed table): its limits are unknown, and the
		 * board's values (or the chip's 2048 mA and 4.208 V) may be
		 * above them. No charging rather than a guess.
		 */
		dev_err(bq->dev, "monitored-battery cannot be read (%d): the battery's limits are unknown\n",
			ret);
		return -ERANGE;
	}

	/*
	 * A limit the chip cannot honour leaves nothing safe to program: the
	 * probe fails, and the caller stops charging first. A board value
	 * below the lowest setting is only raised to it when a limit still
	 * bounds it (VREG: min() with vreg_max; termination: ends sooner).
	 */
	c->ichg_max = bq_fit_limit(bq, "battery charge current limit", &rng_ichg, c->ichg_max);
	c->vreg_max = bq_fit_limit(bq, "battery charge voltage limit", &rng_vreg, c->vreg_max);
	c->iprechg = bq_fit_limit(bq, "precharge current limit", &rng_iterm, c->iprechg);
	c->ichg = min(bq_fit_limit(bq, "ti,charge-current", &rng_ichg, ichg), c->ichg_max);
	c->vreg = min(bq_fit(bq, "ti,battery-regulation-voltage", &rng_vreg, vreg),
		      c->vreg_max);
	c->iterm = bq_fit(bq, "termination current", &rng_iterm, c->iterm);
	c->sysmin = bq_fit(bq, "ti,minimum-sys-voltage", &rng_sysmin, c->sysmin);
	c->boostv = bq_fit(bq, "ti,boost-voltage", &rng_boostv, c->boostv);
	if (!c->ichg || !c->vreg || !c->iprechg)
		return -ERANGE;

	/*
	 * The watchdog stays off unless the board asks for it: when it
	 * expires the chip returns to its defaults, 2048 mA and 4.208 V, which
	 * is 2 C for a 1000 mAh cell. We restore at once, but only a host that
	 * is alive can; without a watchdog the chip simply keeps our limits.
	 */
	bq->wd_timeout_ms = bq_prop(bq, "ti,watchdog-timeout-ms", 0);
	if (bq->wd_timeout_ms) {
		c->wd = bq->wd_timeout_ms <= 40000 ? 1 : bq->wd_timeout_ms <= 80000 ? 2 : 3;
		bq->wd_timeout_ms = 40000U << (c->wd - 1);
	}
	bq->skip_reset = device_property_read_bool(bq->dev, "linux,skip-reset");
	return 0;
}

/*
 * The input cut by an earlier instance of the driver (bq_safety_hiz(),
 * left at its unbind) while the chip held limits beyond the battery's:
 * kept through this probe's configuration (bq_soft_reset() would clear
 * it, and the chip charge at what it holds until the probe's own look),
 * released by that look if the limits are safe. A HiZ with safe limits
 * is the soft reset's to clear, as before. A read that fails changes
 * nothing.
 */
static void bq_take_over_cut(struct bq2589x *bq)
{
	u8 regs[BQ_LAST_CFG + 1];

	if (regmap_bulk_read(bq->rmap, BQ_REG_INPUT_SRC, regs, sizeof(regs)))
		return;
	if (!bq_field_get(regs[BQ_REG_INPUT_SRC], F_EN_HIZ) || !bq_limits_unsafe(bq, regs))
		return;
	dev_warn(bq->dev, "the input was cut for limits above the battery's: kept cut until they are not\n");
	bq->hiz_safety = true;
	bq->unkept_unsafe = true;
}

/*
 * The battery's limits are below what the chip can be set to: charging
 * at the chip's defaults (2048 mA, 4.208 V) would break them. Charging
 * off (CHG_CONFIG 0) first, then the watchdog off so that no expiry turns
 * it back on (the first write ends default mode, SLUSC88A 8.3.1); the
 * system still runs from the input. Until the next power-on reset, or
 * a driver bound with limits it can honour. Each write is tried until a
 * read shows it (bq_write_last()): a bus error would leave charging on.
 * Returns -ERANGE
 * for the probe, or the bus error that kept charging on.
 */
static int bq_refuse_charging(struct bq2589x *bq)
{
	int ret;

	mutex_lock(&bq->lock);
	ret = bq_write_last(bq, BQ_REG_SYS_CTRL, bq_field_mask(F_CHG_CONFIG), 0);
	if (!ret)
		ret = bq_write_last(bq, bq_reg_fields[F_WATCHDOG].reg,
				    bq_field_mask(F_WATCHDOG), 0);
	mutex_unlock(&bq->lock);
	if (ret)
		return dev_err_probe(bq->dev, ret,
				     "cannot disable charging beyond a limit the chip cannot honour\n");
	dev_err(bq->dev, "charging disabled: the battery's limits cannot be honoured (above)\n");
	return -ERANGE;
}

static void bq_cancel_work(void *data)
{
	struct bq2589x *bq = data;

	/*
	 * A property read may still come before the supply goes: it must not
	 * queue a change announcement that would outlive us.
	 */
	mutex_lock(&bq->lock);
	bq->stopping = true;
	mutex_unlock(&bq->lock);
	cancel_delayed_work_sync(&bq->poll_work);
	cancel_delayed_work_sync(&bq->wd_work);
	cancel_delayed_work_sync(&bq->changed_work);
}

static int bq_probe(struct i2c_client *client)
{
	struct power_supply_config psy_cfg = { };
	struct regulator_config reg_cfg = { };
	struct device *dev = &client->dev;
	struct regulator_dev *otg;
	struct power_supply *psy;
	struct bq2589x *bq;
	unsigned int id, pn, latch;
	int ret, i;

	bq = devm_kzalloc(dev, sizeof(*bq), GFP_KERNEL);
	if (!bq)
		return -ENOMEM;
	bq->dev = dev;
	bq->irq = client->irq;
	bq->behaviour = POWER_SUPPLY_CHARGE_BEHAVIOUR_AUTO;
	bq->behaviour_pending = -1;
	bq->status_sig = U32_MAX;
	bq->t = bq_default_timings;
	mutex_init(&bq->lock);
	INIT_DELAYED_WORK(&bq->poll_work, bq_poll_work);
	INIT_DELAYED_WORK(&bq->wd_work, bq_wd_work);
	INIT_DELAYED_WORK(&bq->changed_work, bq_changed_work);
	i2c_set_clientdata(client, bq);

	bq->rmap = devm_regmap_init_i2c(client, &bq_regmap_config);
	if (IS_ERR(bq->rmap))
		return dev_err_probe(dev, PTR_ERR(bq->rmap), "regmap\n");
	ret = devm_regmap_field_bulk_alloc(dev, bq->rmap, bq->f, bq_reg_fields,
					   F_NUM_FIELDS);
	if (ret)
		return ret;

	bq->probe_until = jiffies + msecs_to_jiffies(BQ_PROBE_WAIT_MS);
	ret = bq_read_probe(bq, BQ_REG_ID, &id);
	if (ret)
		return dev_err_probe(dev, ret, "cannot read the part number\n");
	pn = bq_field_get(id, F_PN);
	if (pn != 7 && pn != 3 && pn != 0)
		return dev_err_probe(dev, -ENODEV,
				     "REG14 0x%02x: not a BQ25890/2/5/6 (part number %u)\n",
				     id, pn);

	/*
	 * After a power-on reset the chip is in default mode with
	 * WATCHDOG_FAULT latched (datasheet, "Host Mode and Default Mode"):
	 * that is the state we take over, not a reset behind our back, so it
	 * counts as neither. Any other fault latched before we came is kept
	 * for the first snapshot. Before the supply exists: its registration
	 * reads us.
	 */
	ret = bq_read_probe(bq, BQ_REG_FAULT, &latch);
	if (ret)
		return dev_err_probe(dev, ret, "cannot read the fault register\n");
	if (bq_field_get(latch, F_WATCHDOG_FAULT))
		dev_dbg(dev, "in default mode since power-up\n");
	bq->latch_pending = bq_field_set(latch, F_WATCHDOG_FAULT, 0);

	/* the temperature's table, before the supply can be read */
	ret = bq_setup_ntc(bq);
	if (ret)
		return ret;

	/* The work items go before the supply does (devm runs in reverse). */
	psy_cfg.drv_data = bq;
	psy_cfg.fwnode = dev_fwnode(dev);
	psy_cfg.attr_grp = bq_attr_groups;
	ret = bq_psy_desc_init(bq);
	if (!ret)
		ret = bq_debugfs_init(bq);
	if (ret)
		return ret;
	psy = devm_power_supply_register(dev, &bq->psy_desc, &psy_cfg);
	if (IS_ERR(psy))
		return dev_err_probe(dev, PTR_ERR(psy), "cannot register the power supply\n");
	mutex_lock(&bq->lock);
	bq->psy = psy;
	mutex_unlock(&bq->lock);
	ret = devm_add_action_or_reset(dev, bq_cancel_work, bq);
	if (ret)
		return ret;

	ret = bq_read_config(bq);
	if (ret == -ERANGE)
		return bq_refuse_charging(bq);
	if (ret)
		return ret;
	bq_take_over_cut(bq);

	/*
	 * A bus error here would leave the chip at its defaults, 2048 mA and
	 * 4.208 V, with no driver until the next boot: tried again, the
	 * whole configuration each time (a partial one ended default mode),
	 * until the probe's deadline (bq_probe_again()); the lock let go for
	 * each pause, so that a reader of the supply waits one try, not all.
	 */
	for (i = 0; ; i++) {
		mutex_lock(&bq->lock);
		ret = bq_program(bq);
		if (!ret)
			ret = bq_soft_reset(bq);
		if (ret)
			bq->i2c_errors++;
		bq->configured = !ret;
		bq->left_default = true;
		if (!ret)
			ret = bq_refresh(bq);	/* counts its own */
		/*
		 * not configured while the lock is let go: a write then
		 * (chargerd's inhibit-charge, a current) would be refused by
		 * the next try's image, or kept by a probe that fails (helper-93)
		 */
		if (ret)
			bq->configured = false;
		mutex_unlock(&bq->lock);
		if (!ret || !bq_probe_again(bq, i))
			break;
	}
	if (ret)
		return dev_err_probe(dev, ret, "cannot configure the chip\n");
	dev_info(dev, "%s: charge %u uA / %u uV (limits %u uA / %u uV), watchdog %s\n",
		 bq_model_names[pn], bq->cfg.ichg, bq->cfg.vreg,
		 bq->cfg.ichg_max, bq->cfg.vreg_max, bq->cfg.wd ? "on" : "off");

	reg_cfg.dev = dev;
	reg_cfg.regmap = bq->rmap;
	reg_cfg.driver_data = bq;
	reg_cfg.init_data = &bq_otg_init;
	otg = devm_regulator_register(dev, &bq_otg_desc, &reg_cfg);
	if (IS_ERR(otg))
		dev_warn(dev, "no OTG regulator: %ld\n", PTR_ERR(otg));

	if (bq->wd_timeout_ms)
		schedule_delayed_work(&bq->wd_work, msecs_to_jiffies(bq->wd_timeout_ms / 2));

	/*
	 * The supply exists and the chip is configured: now the interrupt.
	 * Whether it wakes the system is the board's to say (wakeup-source
	 * in the node): the I2C core has then made the client a wakeup
	 * source with this IRQ as its wake IRQ before the probe.
	 *
	 * Nothing may fail the probe from here on: the chip holds our
	 * configuration with its watchdog armed, and a driver that went away
	 * now would leave it to fall back to its defaults (2048 mA, 4.208 V)
	 * with nothing to restore ours. A line we cannot have (another
	 * driver holds it, a trigger it refuses) is polled instead, as a
	 * board without the line is.
	 */
	if (bq->irq > 0) {
		ret = devm_request_threaded_irq(dev, bq->irq, NULL, bq_irq,
						IRQF_TRIGGER_FALLING | IRQF_ONESHOT,
						dev_name(dev), bq);
		if (ret) {
			dev_warn(dev, "cannot request IRQ %d (%pe): polling\n", bq->irq,
				 ERR_PTR(ret));
			/* the refreshes so far ran under the lock and read it */
			mutex_lock(&bq->lock);
			bq->irq = 0;
			mutex_unlock(&bq->lock);
			/* not a wakeup source by another driver's line */
			if (device_can_wakeup(dev)) {
				dev_pm_clear_wake_irq(dev);
				device_init_wakeup(dev, false);
			}
		}
	} else {
		dev_info(dev, "no IRQ: polling\n");
	}
	queue_delayed_work(system_freezable_wq, &bq->poll_work, 0);
	return 0;
}

/*
 * Leave the chip as nobody's: its watchdog off, charging on (an inhibit set through
 * charge_behaviour must not outlive the driver, or a device whose system
 * is off would never charge; but not while the chip does not keep limits
 * and holds ones above the battery's: bq_check_kept(), the input left cut
 * if REG03 does not keep charging off), the OTG boost off (nothing is left to
 * switch it off), VINDPM relative, the ADC one-shot to save power. Our
 * limits stay programmed. Used at remove and at shutdown; the rest is devm.
 */
static void bq_hand_back(struct bq2589x *bq)
{
	u8 regs[BQ_LAST_CFG + 1];
	bool unsafe;
	int i, ret;

	mutex_lock(&bq->lock);
	unsafe = bq->unkept_unsafe;	/* as last read, if the bus fails now */
	/*
	 * A reset not seen yet: our limits back first, and handed back at
	 * them. A bus that keeps failing is tried again, as the refusal is;
	 * then the writes below are tried all the same: charging must be
	 * handed back. Not where the chip holds, as read after that (a
	 * register that does not keep what was restored, seen first now:
	 * helper-100), or as last read if the bus fails, limits beyond the
	 * battery's.
	 */
	for (i = 0; bq->configured && i < BQ_REFUSE_TRIES; i++) {
		if (!bq_regs_for_write(bq, regs)) {
			unsafe = bq_limits_unsafe(bq, regs);
			break;
		}
	}
	/*
	 * Each write tried until a read shows it (bq_write_last()): one bus
	 * error would otherwise leave it undone with nobody to retry. The
	 * board's watchdog off first: nobody will kick it now, and its
	 * expiry would put the chip back at its 2048 mA default. Then
	 * charging on and the boost off, in one write.
	 */
	if (bq->cfg.wd)
		bq_write_last(bq, bq_reg_fields[F_WATCHDOG].reg, bq_field_mask(F_WATCHDOG), 0);
	ret = bq_write_last(bq, BQ_REG_SYS_CTRL,
			    bq_field_mask(F_OTG_CONFIG) | bq_field_mask(F_CHG_CONFIG),
			    unsafe ? 0 : bq_field_mask(F_CHG_CONFIG));
	/*
	 * REG03 not keeping charging off: the input left cut (HiZ), the
	 * device on its battery, rather than charging beyond its limits.
	 * Within them, a cut of the safety's undone.
	 */
	if (unsafe && ret)
		bq_safety_hiz(bq, true);
	else if (bq->hiz_safety)
		bq_safety_hiz(bq, false);	/* charging off, or within limits */
	if (unsafe)
		dev_err(bq->dev, "charging left off: the chip holds limits above the battery's\n");
	/*
	 * An absolute VINDPM written through us back to the chip's relative
	 * one (its default, and what it takes at the next plug-in): right
	 * for the present source and any (bq_keep_input_limits()).
	 */
	if (bq->cfg.vindpm || !bq->skip_reset)
		bq_write_last(bq, BQ_REG_VINDPM, bq_field_mask(F_FORCE_VINDPM), 0);
	regmap_field_write(bq->f[F_CONV_RATE], 0);
	bq->wd_paused = false;		/* off for good: no re-arm after a resume */
	bq->behaviour = POWER_SUPPLY_CHARGE_BEHAVIOUR_AUTO;
	bq->behaviour_pending = -1;
	bq->otg_on = false;
	bq->configured = false;
	mutex_unlock(&bq->lock);
}

static void bq_remove(struct i2c_client *client)
{
	bq_hand_back(i2c_get_clientdata(client));
}

static void bq_shutdown(struct i2c_client *client)
{
	bq_hand_back(i2c_get_clientdata(client));
}

/*
 * From here to resume the bus is not ours: the adapter suspends after us
 * and resumes before us, and refuses transfers in between. Nothing of ours
 * touches it meanwhile: the poll is cancelled, properties are served from
 * the snapshot, an interrupt only waits for resume. With the board's
 * watchdog on, the chip's watchdog is turned off first: nobody could kick
 * it, and its expiry would put the chip back at its 2048 mA default while
 * we sleep. The limits themselves stay as they are.
 */
static int bq_suspend(struct device *dev)
{
	struct bq2589x *bq = dev_get_drvdata(dev);
	int ret = 0;

	cancel_delayed_work_sync(&bq->poll_work);
	mutex_lock(&bq->lock);
	/*
	 * A reset not seen yet: our limits back before the chip is left
	 * alone. A bus that fails here does not keep the system awake (a
	 * charger that stopped answering would never let it sleep): the
	 * chip is then at its defaults whether or not a write below ends
	 * its default mode. Only the watchdog's write below may refuse.
	 */
	if (bq->configured)
		bq_regs_for_write(bq, NULL);	/* a failure is counted */
	if (bq->cfg.wd) {
		bq->wd_paused = true;
		bq_tried(bq, F_WATCHDOG, 0);
		ret = regmap_field_write(bq->f[F_WATCHDOG], 0);
		if (ret) {
			/* it would expire while we sleep: do not sleep */
			bq->wd_paused = false;
			bq->i2c_errors++;
		}
	}
	/* One-shot ADC while asleep. */
	if (!ret && regmap_field_write(bq->f[F_CONV_RATE], 0))
		bq->i2c_errors++;
	bq->suspended = !ret;
	/* a restore's refresh above may have queued the poll again */
	if (bq->suspended)
		cancel_delayed_work(&bq->poll_work);
	mutex_unlock(&bq->lock);
	if (ret) {
		queue_delayed_work(system_freezable_wq, &bq->poll_work, 0);
		dev_err(dev, "cannot stop the chip's watchdog for suspend: %d\n", ret);
		return ret;
	}
	cancel_delayed_work_sync(&bq->wd_work);
	return 0;
}

/*
 * The chip may have reset while we slept: the refresh restores it, limits
 * first, with the watchdog still off. Only then is the watchdog re-armed
 * (bq_wd_rearm(); a refresh that failed leaves it to the poll's).
 */
static int bq_resume(struct device *dev)
{
	struct bq2589x *bq = dev_get_drvdata(dev);
	bool wd;

	mutex_lock(&bq->lock);
	bq->suspended = false;
	wd = !bq_refresh(bq) && bq_wd_rearm(bq);
	mutex_unlock(&bq->lock);
	if (wd)
		schedule_delayed_work(&bq->wd_work, msecs_to_jiffies(bq->wd_timeout_ms / 2));
	queue_delayed_work(system_freezable_wq, &bq->poll_work, 0);
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(bq_pm_ops, bq_suspend, bq_resume);

static const struct i2c_device_id bq_i2c_ids[] = {
	{ "bq25890" },
	{ "bq25892" },
	{ "bq25895" },
	{ "bq25896" },
	{ }
};
MODULE_DEVICE_TABLE(i2c, bq_i2c_ids);

static const struct of_device_id bq_of_match[] = {
	{ .compatible = "ti,bq25890" },
	{ .compatible = "ti,bq25892" },
	{ .compatible = "ti,bq25895" },
	{ .compatible = "ti,bq25896" },
	{ }
};
MODULE_DEVICE_TABLE(of, bq_of_match);

static struct i2c_driver bq_driver = {
	.driver = {
		.name = "bq2589x-charger",
		.of_match_table = bq_of_match,
		.pm = pm_sleep_ptr(&bq_pm_ops),
	},
	KCOMPAT_I2C_PROBE(bq_probe),
	.remove = bq_remove,
	.shutdown = bq_shutdown,
	.id_table = bq_i2c_ids,
};
module_i2c_driver(bq_driver);

MODULE_DESCRIPTION("TI BQ2589x charger driver with a battery safety envelope");
MODULE_LICENSE("GPL");
