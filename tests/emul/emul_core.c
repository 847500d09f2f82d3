// SPDX-License-Identifier: GPL-2.0
/*
 * bq2589x_emul - the virtual audio device's charger and gauge
 *
 * An I2C adapter of its own carries a BQ25895 (0x6a) and an SBS 1.1 gauge
 * (0x0b). The charger's INT line is an interrupt of the emulator's own
 * irq_domain. Both chips are views of one battery and source model
 * (emul_chip.c), in simulated time that moves only when told to, or at a
 * chosen multiple of real time. debugfs (emul_debugfs.c) is the control
 * panel; `emulctl` is the friendly way to use it.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/i2c.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kernel.h>
#include <linux/leds.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/random.h>
#include <linux/regulator/consumer.h>
#include <linux/slab.h>

#include "emul.h"
#include "kcompat.h"

static bool create_clients = true;
module_param(create_clients, bool, 0444);
MODULE_PARM_DESC(create_clients,
		 "Create the charger and gauge clients at load (default); otherwise the test does");

static bool charger_irq = true;
module_param(charger_irq, bool, 0444);
MODULE_PARM_DESC(charger_irq, "Wire the charger's INT line (0: the driver must poll)");

static bool charger_irq_taken;
module_param(charger_irq_taken, bool, 0444);
MODULE_PARM_DESC(charger_irq_taken,
		 "Hold the charger's INT line with a handler of the bench's own, not shared (1: the driver's request fails)");

/*
 * The board, where there is no device tree (the x86 bench): software nodes
 * whose properties are generated from dts/ at build time (mkboard), so the
 * bench runs what the product ships. A 1000 mAh lithium-ion polymer
 * headphone cell charged to at most 4.35 V at 1 A.
 */
static struct software_node emul_battery_node;

#include "emul_board.h"
#include "emul_board_speaker.h"

/*
 * The boards the bench can be (module parameter board): the reference
 * board (dts/reference-board.dts, the product) and a second one with
 * another cell and another NTC network (dts/example-speaker.dts), so that
 * a value that only holds for one board shows.
 */
struct emul_board {
	const char *name;
	const struct property_entry *battery;
	struct property_entry *charger;
	size_t ncharger;		/* with the spare and the terminator */
	const struct property_entry *gauge;
	bool wakeup;			/* wakeup-source on the charger */
};

static const struct emul_board emul_boards[] = {
	{ "reference", emul_battery_props, emul_charger_props, ARRAY_SIZE(emul_charger_props),
	  emul_gauge_props, EMUL_BOARD_CHARGER_WAKEUP },
	{ "speaker", emul_speaker_battery_props, emul_speaker_charger_props,
	  ARRAY_SIZE(emul_speaker_charger_props), emul_speaker_gauge_props,
	  EMUL_SPEAKER_BOARD_CHARGER_WAKEUP },
};

static char *board_name = "reference";
module_param_named(board, board_name, charp, 0444);
MODULE_PARM_DESC(board, "The board on x86: reference (default) or speaker");

static const struct emul_board *board = &emul_boards[0];

static struct software_node emul_battery_node = {
	.name = "bq2589x-emul-battery",
};

/*
 * The board's status LED, an LED class device the emulator registers on
 * its adapter (a board would describe it under gpio-leds or its PMIC).
 */
static char *led_name = "red:status";
module_param(led_name, charp, 0444);
MODULE_PARM_DESC(led_name, "The status LED's name (default red:status)");

static unsigned int board_watchdog_ms;
module_param(board_watchdog_ms, uint, 0444);
MODULE_PARM_DESC(board_watchdog_ms,
		 "Give the charger's node ti,watchdog-timeout-ms (0: the board has none)");

static struct software_node emul_charger_node = {
	.name = "bq2589x-emul-charger",
};

/*
 * A cell with other limits than the board's (x86 only): what a test needs
 * to see the driver meet a battery it cannot charge within its limits, a
 * LiFePO4 cell at 3.6 V say, below VREG's lowest setting. Both the driver
 * (monitored-battery) and the emulator's envelope read the changed node.
 */
static unsigned int cell_vmax_uv;
module_param(cell_vmax_uv, uint, 0444);
MODULE_PARM_DESC(cell_vmax_uv,
		 "The battery node's constant-charge-voltage-max-microvolt (0: the board's)");

static unsigned int cell_imax_ua;
module_param(cell_imax_ua, uint, 0444);
MODULE_PARM_DESC(cell_imax_ua,
		 "The battery node's constant-charge-current-max-microamp (0: the board's)");

static char *cell_compatible;
module_param(cell_compatible, charp, 0444);
MODULE_PARM_DESC(cell_compatible,
		 "The battery node's compatible (NULL: simple-battery), one the power_supply core cannot read");

static struct property_entry *emul_cell_props;

/*
 * The board's battery properties with cell_vmax_uv and cell_imax_ua put
 * in, in a copy freed at exit. Returns 0 or -ENOMEM.
 */
static int emul_cell_override(const struct emul_board *b)
{
	size_t n = 0, i;

	if (!cell_vmax_uv && !cell_imax_ua && !cell_compatible)
		return 0;
	while (b->battery[n].name)
		n++;
	emul_cell_props = kcalloc(n + 1, sizeof(*emul_cell_props), GFP_KERNEL);
	if (!emul_cell_props)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const char *name = b->battery[i].name;

		if (cell_vmax_uv && !strcmp(name, "constant-charge-voltage-max-microvolt"))
			emul_cell_props[i] =
				PROPERTY_ENTRY_U32("constant-charge-voltage-max-microvolt",
						   cell_vmax_uv);
		else if (cell_imax_ua && !strcmp(name, "constant-charge-current-max-microamp"))
			emul_cell_props[i] =
				PROPERTY_ENTRY_U32("constant-charge-current-max-microamp",
						   cell_imax_ua);
		else if (cell_compatible && !strcmp(name, "compatible"))
			emul_cell_props[i] = PROPERTY_ENTRY_STRING("compatible", cell_compatible);
		else
			emul_cell_props[i] = b->battery[i];
	}
	return 0;
}

static struct software_node emul_gauge_node = {
	.name = "bq2589x-emul-gauge",
};

/*
 * On a device tree, what a test adds to the board (board_watchdog_ms)
 * goes in a secondary node: device_property_*() reads the DT node first,
 * then this one.
 */
static struct property_entry emul_dt_extra_props[2];

/*
 * Named anew at each load: on the arm64 bench a node of an earlier load
 * was once still registered at the next (the i2c core adds and removes
 * it with the client; what kept it is not known, see the session notes),
 * and a second load with the same name failed with -EEXIST.
 */
static char emul_dt_extra_name[40] = "bq2589x-emul-charger-extra";

static const struct software_node emul_dt_extra_node = {
	.name = emul_dt_extra_name,
	.properties = emul_dt_extra_props,
};

static struct emul *the_emul;

/* --- the charger's INT line -------------------------------------------- */

/*
 * Raise n pulses on INT. Called with emu->lock held; they are counted here
 * (so a test can rely on the count) and delivered from a work item.
 */
void emul_irq_pulse(struct emul *emu, unsigned int n)
{
	emu->irqs += n;
	emu->irq_pending = min(emu->irq_pending + n, 1000000U);
	schedule_work(&emu->irq_work);
}

static void emul_irq_work(struct work_struct *work)
{
	struct emul *emu = container_of(work, struct emul, irq_work);
	unsigned int n;

	for (;;) {
		mutex_lock(&emu->lock);
		n = emu->irq_hold ? 0 : emu->irq_pending;
		emu->irq_pending -= n;
		mutex_unlock(&emu->lock);
		if (!n)
			break;
		/* Never under emu->lock: the handler will talk on the bus. */
		while (n--) {
			generic_handle_irq_safe(emu->irq);
			cond_resched();
		}
	}
}

/*
 * Another driver on the line (a board whose INT is routed to a pin some
 * other driver claimed, a second node naming it): the line's only action
 * is ours, not shared, so the charger driver's request_threaded_irq()
 * fails (-EBUSY). The pulses still arrive and are counted here.
 */
static irqreturn_t emul_irq_taken(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int emul_irq_take(struct emul *emu)
{
	if (!charger_irq_taken)
		return 0;
	return request_irq(emu->irq, emul_irq_taken, 0, "bq2589x-emul-taken", emu);
}

/*
 * On a device tree, the domain belongs to the bench's node, which is
 * what the charger's interrupt-parent names; its two cells are the line
 * (0) and the trigger.
 */
static int emul_irq_init(struct emul *emu)
{
	int ret;

	emu->domain = irq_domain_create_linear(of_fwnode_handle(emu->np), 1,
					       &irq_domain_simple_ops, NULL);
	if (!emu->domain)
		return -ENOMEM;
	emu->irq = irq_create_mapping(emu->domain, 0);
	if (!emu->irq) {
		irq_domain_remove(emu->domain);
		return -ENOMEM;
	}
	irq_set_chip_and_handler(emu->irq, &dummy_irq_chip, handle_simple_irq);
	INIT_WORK(&emu->irq_work, emul_irq_work);
	ret = emul_irq_take(emu);
	if (ret) {
		irq_dispose_mapping(emu->irq);
		irq_domain_remove(emu->domain);
	}
	return ret;
}

static void emul_irq_exit(struct emul *emu)
{
	if (charger_irq_taken)
		free_irq(emu->irq, emu);
	cancel_work_sync(&emu->irq_work);
	irq_dispose_mapping(emu->irq);
	irq_domain_remove(emu->domain);
}

/* --- the bus ----------------------------------------------------------- */

/* xorshift32: a seeded, reproducible error pattern. */
static u32 emul_rand(struct emul *emu)
{
	u32 x = emu->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	emu->rng = x;
	return x;
}

static int emul_inject_error(struct emul *emu)
{
	if (emu->fail_next && emu->fail_skip) {
		emu->fail_skip--;
	} else if (emu->fail_next) {
		emu->fail_next--;
		return emu->fail_errno;
	}
	if (emu->fail_rate_ppm && emul_rand(emu) % 1000000 < emu->fail_rate_ppm)
		return emu->fail_errno;
	return 0;
}

static int emul_chg_msg(struct emul *emu, struct i2c_msg *msg)
{
	u16 i;

	if (msg->flags & I2C_M_RD) {
		for (i = 0; i < msg->len; i++)
			emul_chg_read(emu, emu->ptr++, &msg->buf[i], msg->len > 1);
		return 0;
	}
	if (!msg->len)
		return 0;	/* SMBus quick: just the address */
	if (msg->len == 1 && msg->buf[0] == emu->por_before_read) {
		/* before the read this pointer starts (por_before_read) */
		if (emu->por_read_skip) {
			emu->por_read_skip--;
		} else {
			emu->por_before_read = -1;
			emul_chip_por(emu);
		}
	}
	emu->ptr = msg->buf[0];
	/*
	 * Each byte lands at its ACK (datasheet, "Multi-Write"); what the
	 * cell may receive is judged once the write ends: a setting that
	 * lasts part of one transaction (under 100 us at 400 kHz) cannot
	 * reach it (assumed: the charge loops settle in milliseconds).
	 */
	emu->write_burst = msg->len > 2;
	for (i = 1; i < msg->len; i++)
		emul_chg_write(emu, emu->ptr++, msg->buf[i]);
	if (emu->write_burst) {
		emu->write_burst = false;
		emul_update(emu);
	}
	return 0;
}

static int emul_gauge_msg(struct emul *emu, struct i2c_msg *msg)
{
	if (!emu->bat_present)
		return -ENXIO;	/* no battery, no gauge */
	if (msg->flags & I2C_M_RD) {
		bool block = msg->flags & I2C_M_RECV_LEN;
		u16 len = msg->len;
		int ret;

		ret = emul_gauge_read(emu, emu->gauge_cmd, msg->buf, &len, block);
		if (ret)
			return ret;
		if (block) {
			if (len - 1 > I2C_SMBUS_BLOCK_MAX)
				return -EPROTO;
			msg->len = len;
		}
		return 0;
	}
	if (!msg->len)
		return 0;
	emu->gauge_cmd = msg->buf[0];
	if (msg->len > 1)
		return emul_gauge_write(emu, msg->buf[0], msg->buf + 1, msg->len - 1);
	return 0;
}

static int emul_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	struct emul *emu = i2c_get_adapdata(adap);
	u32 delay_ms = READ_ONCE(emu->xfer_delay_ms);
	int i, ret;

	/*
	 * A slow host bus (a controller shared with other devices, or a
	 * client stretching the clock): not the chip's, whose transfers take
	 * what 400 kHz takes. Each waits first, outside the lock.
	 */
	if (delay_ms)
		msleep(delay_ms);
	mutex_lock(&emu->lock);
	if (emu->suspended) {
		/*
		 * A controller refuses transfers while suspended (the I2C
		 * core's -ESHUTDOWN). Counted, so a test can assert none.
		 */
		emu->xfers_suspended++;
		mutex_unlock(&emu->lock);
		dev_warn_ratelimited(&adap->dev, "transfer while the adapter is suspended\n");
		return -ESHUTDOWN;
	}
	emu->xfers++;
	emu->bus_bits += 1;			/* stop */
	for (i = 0; i < num; i++) {
		/* start or repeated start, address + ack, data + ack */
		emu->bus_bits += 1 + 9 + 9 * msgs[i].len;
		emu->bytes += 1 + msgs[i].len;
	}
	ret = emul_inject_error(emu);
	for (i = 0; !ret && i < num; i++) {
		if (msgs[i].flags & I2C_M_TEN)
			ret = -EOPNOTSUPP;
		else if (msgs[i].addr == EMUL_CHG_ADDR)
			ret = emul_chg_msg(emu, &msgs[i]);
		else if (msgs[i].addr == EMUL_GAUGE_ADDR)
			ret = emul_gauge_msg(emu, &msgs[i]);
		else
			ret = -ENXIO;	/* nobody acknowledged the address */
	}
	/*
	 * A write that reached the chip, every byte acknowledged (each
	 * lands at its ACK: datasheet, "Multi-Write"), which the host's
	 * controller still reports failed: a timeout on the STOP, an error
	 * it latched late. The datasheet is silent; assumed of hosts.
	 */
	for (i = 0; !ret && emu->fail_after_write && i < num; i++) {
		if (msgs[i].addr == EMUL_CHG_ADDR && !(msgs[i].flags & I2C_M_RD) &&
		    msgs[i].len > 1) {
			emu->fail_after_write--;
			ret = emu->fail_errno;
		}
	}
	if (ret)
		emu->xfer_errors++;
	mutex_unlock(&emu->lock);
	return ret ? ret : num;
}

static u32 emul_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL | I2C_FUNC_SMBUS_READ_BLOCK_DATA;
}

static const struct i2c_algorithm emul_algo = {
	KCOMPAT_I2C_XFER(emul_xfer),
	.functionality = emul_func,
};

/* --- clients ----------------------------------------------------------- */

/* The child of the bench's DT node at this address, or NULL. */
static struct device_node *emul_dt_child(struct emul *emu, u16 addr)
{
	struct device_node *child;
	u32 reg;

	for_each_available_child_of_node(emu->np, child)
		if (!of_property_read_u32(child, "reg", &reg) && reg == addr)
			return child;
	return NULL;
}

/*
 * Describe a client from the device tree: its properties, its battery
 * and, through of_node, its interrupt.
 * For a charger whose INT line is not wired, the properties only (fwnode),
 * as on a board whose INT pin is not connected.
 */
static int emul_dt_info(struct emul *emu, struct i2c_board_info *info, bool irq)
{
	struct device_node *np = emul_dt_child(emu, info->addr);

	if (!np) {
		dev_err(&emu->adap.dev, "no node at 0x%02x in the device tree\n", info->addr);
		return -ENODEV;
	}
	info->fwnode = of_fwnode_handle(np);
	if (irq) {
		info->of_node = np;
		/* as of_i2c_register_device() does */
		if (of_property_read_bool(np, "wakeup-source"))
			info->flags |= I2C_CLIENT_WAKE;
		/* as the I2C core would at probe, but visible before a driver binds */
		if (of_property_present(np, "interrupts")) {
			info->irq = of_irq_get(np, 0);
			if (info->irq <= 0) {
				of_node_put(np);
				return info->irq ? info->irq : -EINVAL;
			}
		}
	}
	of_node_put(np);	/* the emulator's own node keeps it */
	return 0;
}

/*
 * The board's USB host side, as the boost's consumer: it gets the charger
 * driver's "usb-otg-vbus" regulator by name and enables it (on), or
 * disables and releases it. The caller serialises (the client lock).
 */
int emul_otg_consumer(struct emul *emu, bool on)
{
	struct device *dev = emu->adap.dev.parent ? : &emu->adap.dev;
	struct regulator *r;
	int ret;

	if (!on) {
		if (emu->otg_reg) {
			regulator_disable(emu->otg_reg);
			regulator_put(emu->otg_reg);
			emu->otg_reg = NULL;
		}
		return 0;
	}
	if (emu->otg_reg)
		return 0;
	r = regulator_get_optional(dev, "usb-otg-vbus");
	if (IS_ERR(r))
		return PTR_ERR(r);
	ret = regulator_enable(r);
	if (ret) {
		regulator_put(r);
		return ret;
	}
	emu->otg_reg = r;
	return 0;
}

int emul_set_client(struct emul *emu, bool gauge, bool on)
{
	struct i2c_client **slot = gauge ? &emu->gauge_client : &emu->chg_client;
	struct i2c_board_info info = { };
	struct i2c_client *c;
	int ret;

	if (!on) {
		/* a supply must not go while its consumer holds it */
		if (!gauge)
			emul_otg_consumer(emu, false);
		c = *slot;
		*slot = NULL;
		i2c_unregister_device(c);
		return 0;
	}
	if (*slot)
		return -EBUSY;
	if (gauge) {
		strscpy(info.type, "sbs-battery", sizeof(info.type));
		info.addr = EMUL_GAUGE_ADDR;
		info.swnode = &emul_gauge_node;
	} else {
		strscpy(info.type, "bq25895", sizeof(info.type));
		info.addr = EMUL_CHG_ADDR;
		info.swnode = &emul_charger_node;
		info.irq = charger_irq ? emu->irq : 0;
		/*
		 * What of_i2c_register_device() makes of wakeup-source: the
		 * I2C core then makes the client a wakeup source with its
		 * IRQ as the wake IRQ, before any driver probes.
		 */
		if (board->wakeup && info.irq)
			info.flags |= I2C_CLIENT_WAKE;
	}
	if (emu->np) {
		info.swnode = !gauge && board_watchdog_ms ? &emul_dt_extra_node : NULL;
		info.irq = 0;
		ret = emul_dt_info(emu, &info, gauge || charger_irq);
		if (ret)
			return ret;
	}
	c = i2c_new_client_device(&emu->adap, &info);
	if (IS_ERR(c))
		return PTR_ERR(c);
	*slot = c;
	return 0;
}

/* --- the status LED and real time ---------------------------------------- */

/*
 * The LED as a board's would be: a level, or a hardware blink with its own
 * on and off times (what the timer trigger asks for through blink_set).
 * The debugfs file "led" says what a person would see.
 */
static void emul_led_set(struct led_classdev *led, enum led_brightness b)
{
	struct emul *emu = container_of(led, struct emul, led);

	WRITE_ONCE(emu->led_blink, false);
	WRITE_ONCE(emu->led_level, b);
}

static int emul_led_blink(struct led_classdev *led, unsigned long *on, unsigned long *off)
{
	struct emul *emu = container_of(led, struct emul, led);

	/* nothing asked: the hardware's own default, 1 Hz */
	if (!*on && !*off)
		*on = *off = 500;
	WRITE_ONCE(emu->led_on_ms, *on);
	WRITE_ONCE(emu->led_off_ms, *off);
	WRITE_ONCE(emu->led_blink, true);
	return 0;
}

/*
 * Unregister the LED with its sysfs closed first. led_classdev_unregister()
 * drops the LED's trigger and only then removes the sysfs files, so a
 * "trigger" write in between (the udev rule's `echo timer > trigger` for
 * the LED that was just added, when a test unloads the bench at once) sets
 * the trigger again, and the freed LED stays on the timer trigger's list:
 * the next LED to join it writes into freed memory (KASAN: use-after-free
 * in a 6-byte write(), "timer\n"). The core refuses sysfs writes with
 * -EBUSY once LED_SYSFS_DISABLE is set under led_access.
 */
static void emul_led_unregister(struct emul *emu)
{
	mutex_lock(&emu->led.led_access);
	led_sysfs_disable(&emu->led);
	mutex_unlock(&emu->led.led_access);
	led_classdev_unregister(&emu->led);
}

#define EMUL_RT_TICK_MS		100

static void emul_rt_work(struct work_struct *work)
{
	struct emul *emu = container_of(to_delayed_work(work), struct emul, rt_work);
	unsigned int rate;

	mutex_lock(&emu->lock);
	rate = emu->rate;
	if (rate)
		emul_advance(emu, (u64)EMUL_RT_TICK_MS * rate);
	mutex_unlock(&emu->lock);
	if (rate)
		schedule_delayed_work(&emu->rt_work, msecs_to_jiffies(EMUL_RT_TICK_MS));
}

/* --- module ------------------------------------------------------------ */

/*
 * The board's charger node, where the TS network is (emul_board_ts()): the
 * device tree's on arm64, a copy of the generated software node's
 * properties on x86 (read before the chip's first step, before any node
 * is registered).
 */
static int emul_read_board(struct emul *emu)
{
	struct fwnode_handle *fw;
	struct device_node *chg, *bat;
	int ret;

	if (emu->np) {
		chg = emul_dt_child(emu, EMUL_CHG_ADDR);
		if (!chg)
			return -ENODEV;
		ret = emul_board_ts(emu, of_fwnode_handle(chg));
		bat = of_parse_phandle(chg, "monitored-battery", 0);
		if (!ret)
			ret = bat ? emul_board_cell(emu, of_fwnode_handle(bat)) : -EINVAL;
		of_node_put(bat);
		of_node_put(chg);
		return ret;
	}
	fw = fwnode_create_software_node(board->charger, NULL);
	if (IS_ERR(fw))
		return PTR_ERR(fw);
	ret = emul_board_ts(emu, fw);
	fwnode_remove_software_node(fw);
	fw = fwnode_create_software_node(emul_battery_node.properties, NULL);
	if (IS_ERR(fw))
		return PTR_ERR(fw);
	if (!ret)
		ret = emul_board_cell(emu, fw);
	fwnode_remove_software_node(fw);
	return ret;
}

/*
 * The bench: on x86 it hangs off nothing; on a device tree it is the node
 * the board overlay put the charger under (parent and np).
 */
static int emul_create(struct device *parent, struct device_node *np)
{
	struct emul *emu;
	int ret;

	emu = kzalloc(sizeof(*emu), GFP_KERNEL);
	if (!emu)
		return -ENOMEM;
	emu->np = np;
	mutex_init(&emu->lock);
	INIT_DELAYED_WORK(&emu->rt_work, emul_rt_work);

	ret = emul_irq_init(emu);
	if (ret)
		goto err_free;

	ret = emul_read_board(emu);
	if (ret)
		goto err_irq;
	mutex_lock(&emu->lock);
	emul_chip_init(emu);
	mutex_unlock(&emu->lock);

	emu->adap.owner = THIS_MODULE;
	emu->adap.dev.parent = parent;
	emu->adap.algo = &emul_algo;
	emu->adap.class = I2C_CLASS_HWMON;
	strscpy(emu->adap.name, "bq2589x-emul", sizeof(emu->adap.name));
	i2c_set_adapdata(&emu->adap, emu);
	ret = i2c_add_adapter(&emu->adap);
	if (ret)
		goto err_irq;

	emu->led.name = led_name;
	emu->led.max_brightness = 255;
	emu->led.brightness_set = emul_led_set;
	emu->led.blink_set = emul_led_blink;
	ret = led_classdev_register(&emu->adap.dev, &emu->led);
	if (ret)
		goto err_adap;

	if (board_watchdog_ms) {
		board->charger[board->ncharger - 2] =
			PROPERTY_ENTRY_U32("ti,watchdog-timeout-ms", board_watchdog_ms);
		emul_dt_extra_props[0] = board->charger[board->ncharger - 2];
		snprintf(emul_dt_extra_name, sizeof(emul_dt_extra_name),
			 "bq2589x-emul-charger-extra-%08x", get_random_u32());
	}

	ret = software_node_register(&emul_battery_node);
	if (ret)
		goto err_led;

	the_emul = emu;
	emul_debugfs_init(emu);

	if (create_clients) {
		ret = emul_set_client(emu, false, true);
		if (!ret)
			ret = emul_set_client(emu, true, true);
		if (ret)
			goto err_clients;
	}
	pr_info("bq2589x_emul: BQ25895 at 0x%02x and SBS gauge at 0x%02x on i2c-%d, INT %s, board from %s\n",
		EMUL_CHG_ADDR, EMUL_GAUGE_ADDR, emu->adap.nr,
		!charger_irq ? "not wired" : charger_irq_taken ? "wired, taken" : "wired",
		np ? "the device tree" : "software nodes");
	return 0;

err_clients:
	emul_set_client(emu, true, false);
	emul_set_client(emu, false, false);
	debugfs_remove_recursive(emu->dbg);
	the_emul = NULL;
	software_node_unregister(&emul_battery_node);
err_led:
	emul_led_unregister(emu);
err_adap:
	i2c_del_adapter(&emu->adap);
err_irq:
	emul_irq_exit(emu);
err_free:
	kfree(emu);
	return ret;
}

static void emul_destroy(struct emul *emu)
{
	debugfs_remove_recursive(emu->dbg);
	mutex_lock(&emu->lock);
	emu->rate = 0;
	mutex_unlock(&emu->lock);
	cancel_delayed_work_sync(&emu->rt_work);
	emul_set_client(emu, true, false);
	emul_set_client(emu, false, false);
	software_node_unregister(&emul_battery_node);
	emul_led_unregister(emu);
	i2c_del_adapter(&emu->adap);
	emul_irq_exit(emu);
	kfree(emu);
	the_emul = NULL;
}

/* --- the platform device: the adapter's parent, and its suspend ---------- */

static int emul_probe(struct platform_device *pdev)
{
	if (the_emul)
		return -EBUSY;	/* one bench: the debugfs panel is global */
	return emul_create(&pdev->dev, pdev->dev.of_node);
}

static void emul_remove(struct platform_device *pdev)
{
	emul_destroy(the_emul);
}

KCOMPAT_PLATFORM_REMOVE_DEFINE(emul_remove)

/*
 * The adapter refuses transfers from its controller's suspend to its
 * resume. The PM core suspends the charger (the adapter's grandchild)
 * first and resumes it last, so a driver that keeps off the bus between
 * its own suspend and resume never sees a refusal. Real controllers mostly
 * refuse from their noirq phase; refusing from the normal phase is
 * stricter (assumed: a driver's interrupt thread must not depend on the
 * gap). With suspend_irq set, the chip raises INT just as the adapter
 * suspends: an event that arrives while the system goes to sleep. With
 * sleep_ms set, the chip then lives that long, in one step, while the
 * system sleeps: its timers (the I2C watchdog's expiry above all) run as
 * in a long sleep, however long the PM core took to get there; time
 * sped up with rate would also run before the charger's suspend.
 */
static int emul_suspend(struct device *dev)
{
	struct emul *emu = the_emul;

	mutex_lock(&emu->lock);
	emu->suspended = true;
	emu->suspends++;
	if (emu->suspend_irq)
		emul_irq_pulse(emu, 1);
	if (emu->sleep_ms)
		emul_advance(emu, emu->sleep_ms);
	mutex_unlock(&emu->lock);
	return 0;
}

static int emul_resume(struct device *dev)
{
	struct emul *emu = the_emul;

	mutex_lock(&emu->lock);
	emu->suspended = false;
	mutex_unlock(&emu->lock);
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(emul_pm_ops, emul_suspend, emul_resume);

static const struct of_device_id emul_of_match[] = {
	{ .compatible = "chargerd,bq2589x-emul" },
	{ }
};
MODULE_DEVICE_TABLE(of, emul_of_match);

static struct platform_driver emul_driver = {
	.driver = {
		.name = "bq2589x-emul",
		.of_match_table = emul_of_match,
		.pm = pm_sleep_ptr(&emul_pm_ops),
	},
	.probe = emul_probe,
	KCOMPAT_PLATFORM_REMOVE(emul_remove),
};

static struct platform_device *emul_pdev;

/*
 * On a device tree the bench's node makes the platform device; elsewhere
 * we make one, so that the adapter has a parent that suspends.
 */
static int __init emul_init(void)
{
	struct device_node *np = of_find_matching_node(NULL, emul_of_match);
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(emul_boards); i++)
		if (!strcmp(board_name, emul_boards[i].name))
			break;
	if (i == ARRAY_SIZE(emul_boards)) {
		pr_err("bq2589x_emul: no board '%s' (reference, speaker)\n", board_name);
		of_node_put(np);
		return -EINVAL;
	}
	if (np && i) {
		pr_err("bq2589x_emul: board=%s: the device tree describes the board here\n",
		       board_name);
		of_node_put(np);
		return -EINVAL;
	}
	if (np && (cell_vmax_uv || cell_imax_ua || cell_compatible)) {
		pr_err("bq2589x_emul: cell_*: the device tree describes the cell here\n");
		of_node_put(np);
		return -EINVAL;
	}
	board = &emul_boards[i];
	ret = emul_cell_override(board);
	if (ret) {
		of_node_put(np);
		return ret;
	}
	emul_battery_node.properties = emul_cell_props ? : board->battery;
	emul_charger_node.properties = board->charger;
	emul_gauge_node.properties = board->gauge;

	of_node_put(np);
	ret = platform_driver_register(&emul_driver);
	if (ret)
		kfree(emul_cell_props);
	if (ret || np)
		return ret;
	emul_pdev = platform_device_register_simple("bq2589x-emul", PLATFORM_DEVID_NONE,
						    NULL, 0);
	ret = PTR_ERR_OR_ZERO(emul_pdev);
	if (!ret && !the_emul) {
		platform_device_unregister(emul_pdev);
		ret = -ENODEV;	/* the probe failed: see its message */
	}
	if (ret) {
		platform_driver_unregister(&emul_driver);
		kfree(emul_cell_props);
	}
	return ret;
}

static void __exit emul_exit(void)
{
	if (emul_pdev)
		platform_device_unregister(emul_pdev);
	platform_driver_unregister(&emul_driver);
	kfree(emul_cell_props);
}

module_init(emul_init);
module_exit(emul_exit);

MODULE_DESCRIPTION("Virtual BQ25895 charger and SBS gauge for the chargerd test bench");
MODULE_LICENSE("GPL");
