/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bq2589x_emul: a virtual BQ25895 charger and SBS gauge on an I2C bus of
 * their own, driven by one battery and source model in simulated time.
 */
#ifndef BQ2589X_EMUL_H
#define BQ2589X_EMUL_H

#include <linux/i2c.h>
#include <linux/leds.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define EMUL_CHG_ADDR		0x6a
#define EMUL_GAUGE_ADDR		0x0b
#define EMUL_NREGS		0x15
#define EMUL_WLOG_LEN		64

/*
 * Register fields used by the model (see bq25895-registers.md). The
 * emulator shares no definitions with driver/ on purpose: a wrong bit in
 * one must not hide the same wrong bit in the other.
 */
#define R00_EN_HIZ		BIT(7)
#define R00_IINLIM		GENMASK(5, 0)
#define R01_VINDPM_OS		GENMASK(4, 0)
#define R02_CONV_START		BIT(7)
#define R02_CONV_RATE		BIT(6)
#define R02_ICO_EN		BIT(4)
#define R02_HVDCP_EN		BIT(3)
#define R02_FORCE_DPDM		BIT(1)
#define R02_AUTO_DPDM_EN	BIT(0)
#define R03_WD_RST		BIT(6)
#define R03_OTG_CONFIG		BIT(5)
#define R03_CHG_CONFIG		BIT(4)
#define R03_SYS_MIN		GENMASK(3, 1)
#define R04_ICHG		GENMASK(6, 0)
#define R05_IPRECHG		GENMASK(7, 4)
#define R05_ITERM		GENMASK(3, 0)
#define R06_VREG		GENMASK(7, 2)
#define R06_BATLOWV		BIT(1)
#define R06_VRECHG		BIT(0)
#define R07_EN_TERM		BIT(7)
#define R07_WATCHDOG		GENMASK(5, 4)
#define R07_EN_TIMER		BIT(3)
#define R07_CHG_TIMER		GENMASK(2, 1)
#define R08_TREG		GENMASK(1, 0)
#define R09_FORCE_ICO		BIT(7)
#define R09_TMR2X_EN		BIT(6)
#define R09_BATFET_DIS		BIT(5)
#define R0A_BOOSTV		GENMASK(7, 4)
#define R0A_BOOST_LIM		GENMASK(2, 0)
#define R0B_VBUS_STAT		GENMASK(7, 5)
#define R0B_CHRG_STAT		GENMASK(4, 3)
#define R0B_PG_STAT		BIT(2)
#define R0B_SDP_STAT		BIT(1)
#define R0B_VSYS_STAT		BIT(0)
#define R0C_WATCHDOG_FAULT	BIT(7)
#define R0C_BOOST_FAULT		BIT(6)
#define R0C_CHRG_FAULT		GENMASK(5, 4)
#define R0C_BAT_FAULT		BIT(3)
#define R0C_NTC_FAULT		GENMASK(2, 0)
#define R0D_FORCE_VINDPM	BIT(7)
#define R0D_VINDPM		GENMASK(6, 0)
#define R0E_THERM_STAT		BIT(7)
#define R11_VBUS_GD		BIT(7)
#define R13_VDPM_STAT		BIT(7)
#define R13_IDPM_STAT		BIT(6)
#define R13_IDPM_LIM		GENMASK(5, 0)
#define R14_REG_RST		BIT(7)
#define R14_ICO_OPTIMIZED	BIT(6)

enum emul_src_kind {
	SRC_NONE, SRC_SDP, SRC_CDP, SRC_DCP, SRC_HVDCP, SRC_UNKNOWN,
	SRC_NONSTD, SRC_NKINDS,
};

enum emul_chrg_stat { CHRG_NONE, CHRG_PRE, CHRG_FAST, CHRG_DONE };
enum emul_chrg_fault { CF_NORMAL, CF_INPUT, CF_THERMAL, CF_TIMER };
enum emul_zone { JZ_COLD, JZ_COOL, JZ_NORMAL, JZ_WARM, JZ_HOT };

/* The TS network: as designed, the thermistor open, or TS shorted to ground. */
enum emul_ts_fault { TS_OK, TS_OPEN, TS_SHORT, TS_NFAULTS };

/* The most rows of a board's NTC table the emulator takes. */
#define EMUL_NTC_MAX	64
/* The binding's most rows of a cell's OCV table (ocv-capacity-table-N). */
#define EMUL_OCV_MAX	100
extern const char *const emul_ts_fault_names[TS_NFAULTS];

/* Faults that a test can inject; they hold until cleared. */
#define INJ_VBUS_OVP		BIT(0)
#define INJ_BAT_OVP		BIT(1)
#define INJ_TSHUT		BIT(2)
#define INJ_BOOST		BIT(3)

struct emul_wlog {
	u64 t_ms;
	u8 addr;
	u8 reg;
	u8 val;
};

struct emul {
	struct mutex lock;		/* everything below; the xfer path holds it */
	struct i2c_adapter adap;
	struct device_node *np;		/* the bench's DT node (arm64), or NULL */
	struct irq_domain *domain;
	int irq;			/* the charger's INT line (virq) */
	struct work_struct irq_work;
	unsigned int irq_pending;	/* pulses queued for irq_work */
	bool irq_hold;			/* a slow host: pulses wait until released */
	bool suspended;			/* the adapter refuses transfers */
	struct regulator *otg_reg;	/* the boost, held by otg_consumer */
	bool suspend_irq;		/* raise INT as the adapter suspends */
	u32 sleep_ms;			/* chip time the system sleeps, ms */
	u64 suspends, xfers_suspended;	/* adapter suspends; transfers refused */
	struct delayed_work rt_work;
	struct led_classdev led;
	/* what the LED shows: set from atomic context, so no lock */
	unsigned int led_level;		/* brightness while not blinking */
	unsigned long led_on_ms, led_off_ms;	/* hardware blink, when led_blink */
	bool led_blink;
	struct i2c_client *chg_client;
	struct i2c_client *gauge_client;
	struct dentry *dbg;

	/* the chip */
	u8 regs[EMUL_NREGS];
	u8 vbus_stat;			/* what D+/D- detection found */
	u8 ptr;				/* register pointer (auto-increment) */
	u8 gauge_cmd;
	bool host_mode;			/* a host wrote since reset: watchdog runs */
	u64 wd_ms;			/* watchdog: time since the last kick */
	u8 fault_now;			/* REG0C present state */
	u8 fault_latch;			/* REG0C bits seen since the last read */
	u8 latched_chrg_fault;		/* most recent CHRG_FAULT since last read */
	u8 last_reg0b, last_fault;	/* the status and faults at the last evaluation */
	bool last_vbus;			/* VBUS was there at the last evaluation */
	bool int_event;			/* a fault event (watchdog, boost) to report */
	bool fault_unread;		/* a fault raised INT; REG0C not read since */
	u16 gauge_mode, gauge_access;	/* SBS BatteryMode, ManufacturerAccess */
	bool adc_pending;
	u64 adc_done_ms;
	u64 adc_next_ms;		/* continuous mode: next conversion */
	u32 ico_ua;			/* ICO result, 0 = not run */
	enum emul_chrg_stat stat;
	bool charge_done;
	u64 done_ms;			/* when the charge last terminated */
	u32 term_flap_ms;		/* CHRG_STAT flaps done/fast at this period; 0: off */
	bool timer_expired;
	u64 timer_ms;			/* safety timer, in full-speed ms */
	bool tshut;
	bool boost_fault_hold;		/* boost off until OTG_CONFIG is toggled */
	u8 prev_reg03;

	/* the world */
	u64 now_ms;
	unsigned int rate;		/* x real time; 0: only on "advance" */
	enum emul_src_kind src;
	u32 src_uv;			/* adapter open-circuit voltage */
	u32 src_max_ua;			/* adapter current capability */
	u32 cable_mohm;			/* cable + connector resistance */
	u32 sys_load_ua;
	u32 otg_load_ua;
	int temp_dc;			/* battery (and NTC) temperature, 0.1 degC */
	u32 die_heat_mc_per_a;		/* die rise over battery, mdegC per A */
	bool bat_present;
	u32 design_uah;
	u32 full_uah;			/* aged full-charge capacity */
	s64 charge_uams;		/* charge, in uA*ms */
	u32 rint_mohm;
	/* the cell's OCV curve, from its board (emul_board_cell()) */
	unsigned int ocv_n;
	s32 ocv_soc_pm[EMUL_OCV_MAX];	/* per mille, rising */
	u32 ocv_tab_uv[EMUL_OCV_MAX];	/* the open-circuit voltage there */
	u32 adc_ms;			/* one-shot conversion time */
	u32 cycles;
	u64 discharged_uams;		/* towards the next cycle */
	unsigned int inject;		/* INJ_* */

	/* derived each step, reported by the ADC, the gauge and "state" */
	u32 vbus_uv;
	u32 vbat_uv;
	u32 vsys_uv;
	s32 ibat_ua;			/* > 0 while charging */
	u32 iin_ua;
	bool vdpm, idpm, therm;
	enum emul_zone zone;
	enum emul_ts_fault ts_fault;	/* a broken TS network: the chip's view only */
	/* the board's TS network (its charger node; emul_board_ts()) */
	u32 ts_rt1_ohms, ts_rt2_ohms;	/* REGN to TS; TS to ground beside the NTC */
	unsigned int ntc_n;
	s32 ntc_mdc[EMUL_NTC_MAX];	/* milli-degC, rising */
	u32 ntc_ohms[EMUL_NTC_MAX];	/* the NTC's resistance there */
	u32 ts_pct_milli;		/* TS / REGN in 0.001 % */

	/* fault injection on the bus */
	u32 fail_next;
	u32 fail_skip;			/* transfers that pass before fail_next starts */
	u32 fail_after_write;		/* charger writes that land, then report fail_errno */
	int fail_errno;
	u32 fail_rate_ppm;
	u32 xfer_delay_ms;		/* a slow host bus: each transfer waits this long first */
	u32 rng;
	int corrupt_reg;		/* -1: none */
	u8 corrupt_mask;
	/*
	 * A power-on reset just before the host's next read from this
	 * register (its pointer write), then -1: the instant a test needs,
	 * inside a driver's sequence of reads. The bench's, not the chip's.
	 */
	int por_before_read;
	u32 por_read_skip;		/* reads of that register that pass first */
	bool stuck[EMUL_NREGS];
	u8 stuck_val[EMUL_NREGS];

	/* observation */
	u64 xfers, xfer_errors, bytes, bus_bits;
	u64 reads[EMUL_NREGS], writes[EMUL_NREGS];
	u64 reg0c_burst_reads;		/* REG0C bytes read inside a multi-byte read */
	u64 irqs;
	struct emul_wlog wlog[EMUL_WLOG_LEN];
	unsigned int wlog_head, wlog_count;
	bool env_armed;
	bool write_burst;		/* inside a multi-byte write: no envelope check */
	u32 env_ichg_ua, env_vreg_uv;
	bool env_violating;
	u64 env_violations, env_violation_ms;
	u64 resets;
};

/* emul_chip.c: the model. All take emu->lock. */
void emul_chip_init(struct emul *emu);
struct fwnode_handle;
int emul_board_ts(struct emul *emu, struct fwnode_handle *fw);
int emul_board_cell(struct emul *emu, struct fwnode_handle *fw);
void emul_chip_por(struct emul *emu);
void emul_chip_stick(struct emul *emu, u8 reg, bool stick, u8 val);
void emul_advance(struct emul *emu, u64 ms);
void emul_update(struct emul *emu);
void emul_plug(struct emul *emu, enum emul_src_kind kind);
int emul_chg_read(struct emul *emu, u8 reg, u8 *val, bool burst);
int emul_otg_consumer(struct emul *emu, bool on);
void emul_chg_write(struct emul *emu, u8 reg, u8 val);
int emul_gauge_read(struct emul *emu, u8 cmd, u8 *buf, u16 *len, bool block);
int emul_gauge_write(struct emul *emu, u8 cmd, const u8 *buf, u16 len);
u32 emul_ichg_ua(const struct emul *emu);
u32 emul_vreg_uv(const struct emul *emu);
u32 emul_soc_pct(const struct emul *emu);
const char *emul_src_name(enum emul_src_kind kind);
int emul_src_parse(const char *s, enum emul_src_kind *kind);
extern const char *const emul_zone_names[];

/* emul_core.c */
void emul_irq_pulse(struct emul *emu, unsigned int n);
int emul_set_client(struct emul *emu, bool gauge, bool on);

/* emul_debugfs.c */
void emul_debugfs_init(struct emul *emu);

#endif
