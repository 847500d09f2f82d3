// SPDX-License-Identifier: GPL-2.0
/*
 * The emulator's control panel: /sys/kernel/debug/bq2589x_emul/, one file
 * per knob or counter (README.md documents each). Numbers are in the units
 * their names say; a bad value is refused with -EINVAL and changes nothing.
 */
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "emul.h"

#define UAMS_PER_UAH	3600000LL

static DEFINE_MUTEX(emul_client_lock);
static struct emul *dbg_emul;

/* --- numeric knobs ----------------------------------------------------- */

enum knob_type { K_U32, K_S32, K_U64, K_BOOL };

struct emul_knob {
	const char *name;
	size_t off;		/* field in struct emul, unless get/set */
	enum knob_type type;
	u32 scale;		/* field = file value * scale */
	s64 min, max;		/* accepted file values; min > max: read-only */
	void (*changed)(struct emul *emu);
	int (*get)(struct emul *emu, s64 *val);
	int (*set)(struct emul *emu, s64 val);
	bool nolock;		/* set() takes its own locks (client creation) */
};

static s64 knob_read_field(struct emul *emu, const struct emul_knob *k)
{
	void *p = (u8 *)emu + k->off;

	switch (k->type) {
	case K_U32:
		return *(u32 *)p / k->scale;
	case K_S32:
		return *(s32 *)p / (s32)k->scale;
	case K_U64:
		return div_u64(*(u64 *)p, k->scale);
	case K_BOOL:
		return *(bool *)p;
	}
	return 0;
}

static void knob_write_field(struct emul *emu, const struct emul_knob *k, s64 v)
{
	void *p = (u8 *)emu + k->off;

	switch (k->type) {
	case K_U32:
		*(u32 *)p = v * k->scale;
		break;
	case K_S32:
		*(s32 *)p = v * k->scale;
		break;
	case K_U64:
		*(u64 *)p = v * k->scale;
		break;
	case K_BOOL:
		*(bool *)p = v;
		break;
	}
}

static ssize_t knob_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	const struct emul_knob *k = file->private_data;
	struct emul *emu = dbg_emul;
	char buf[32];
	s64 v = 0;
	int ret = 0, n;

	mutex_lock(&emu->lock);
	if (k->get)
		ret = k->get(emu, &v);
	else
		v = knob_read_field(emu, k);
	mutex_unlock(&emu->lock);
	if (ret)
		return ret;
	n = scnprintf(buf, sizeof(buf), "%lld\n", v);
	return simple_read_from_buffer(ubuf, count, ppos, buf, n);
}

static ssize_t knob_write(struct file *file, const char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	const struct emul_knob *k = file->private_data;
	struct emul *emu = dbg_emul;
	s64 v;
	int ret;

	if (k->min > k->max)
		return -EPERM;
	ret = kstrtoll_from_user(ubuf, count, 0, &v);
	if (ret)
		return -EINVAL;
	if (v < k->min || v > k->max)
		return -EINVAL;

	if (k->nolock) {
		ret = k->set(emu, v);
		return ret ? ret : count;
	}
	mutex_lock(&emu->lock);
	if (k->set) {
		ret = k->set(emu, v);
	} else {
		knob_write_field(emu, k, v);
		if (k->changed)
			k->changed(emu);
	}
	mutex_unlock(&emu->lock);
	return ret ? ret : count;
}

static const struct file_operations knob_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = knob_read,
	.write = knob_write,
	.llseek = default_llseek,
};

static void changed_update(struct emul *emu)
{
	emul_update(emu);
}

/* Released: the pulses held meanwhile reach the host now. */
static void changed_irq_hold(struct emul *emu)
{
	if (!emu->irq_hold && emu->irq_pending)
		schedule_work(&emu->irq_work);
}

/*
 * A shorter conversion time applies to the conversion in progress too: a
 * test that sets adc_ms to 0 right after loading must not find one that a
 * driver, quicker than the test, started with the default and that would
 * only end when simulated time moves.
 */
static void changed_adc(struct emul *emu)
{
	if (emu->adc_pending)
		emu->adc_done_ms = min(emu->adc_done_ms, emu->now_ms + emu->adc_ms);
	emul_update(emu);
}

/* The source changed while plugged: ICO follows it, as the chip's does. */
static void changed_source(struct emul *emu)
{
	if (emu->src != SRC_NONE)
		emul_plug(emu, emu->src);
	else
		emul_update(emu);
}

static void changed_rate(struct emul *emu)
{
	if (emu->rate)
		schedule_delayed_work(&emu->rt_work, 0);
}

static int get_time(struct emul *emu, s64 *v)
{
	*v = emu->now_ms;
	return 0;
}

static int set_advance(struct emul *emu, s64 v)
{
	emul_advance(emu, v);
	return 0;
}

static int get_capacity(struct emul *emu, s64 *v)
{
	*v = emul_soc_pct(emu);
	return 0;
}

static int set_capacity(struct emul *emu, s64 v)
{
	emu->charge_uams = div_s64((s64)emu->full_uah * UAMS_PER_UAH * v, 100);
	emul_update(emu);
	return 0;
}

static int get_charge(struct emul *emu, s64 *v)
{
	*v = div_s64(emu->charge_uams, UAMS_PER_UAH);
	return 0;
}

static int set_charge(struct emul *emu, s64 v)
{
	if (v > emu->full_uah)
		return -EINVAL;
	emu->charge_uams = v * UAMS_PER_UAH;
	emul_update(emu);
	return 0;
}

static int set_full(struct emul *emu, s64 v)
{
	s64 full;

	if (v > emu->design_uah)
		return -EINVAL;
	emu->full_uah = v;
	full = v * UAMS_PER_UAH;
	emu->charge_uams = min(emu->charge_uams, full);
	emul_update(emu);
	return 0;
}

/* Reconnecting the battery is a power-on reset of the charger. */
static int set_battery_present(struct emul *emu, s64 v)
{
	bool was = emu->bat_present;

	emu->bat_present = v;
	if (v && !was)
		emul_chip_por(emu);
	else
		emul_update(emu);
	return 0;
}

static int get_fail_errno(struct emul *emu, s64 *v)
{
	*v = -emu->fail_errno;
	return 0;
}

static int set_fail_errno(struct emul *emu, s64 v)
{
	if (v != ENXIO && v != EIO && v != ETIMEDOUT && v != EAGAIN)
		return -EINVAL;
	emu->fail_errno = -v;
	return 0;
}

static int set_seed(struct emul *emu, s64 v)
{
	emu->rng = v ? v : 1;
	return 0;
}

static int set_irq_fire(struct emul *emu, s64 v)
{
	emul_irq_pulse(emu, v);
	return 0;
}

static int get_bus_us(struct emul *emu, s64 *v)
{
	/* 400 kHz: 2.5 us a bit */
	*v = div_u64(emu->bus_bits * 5, 2);
	return 0;
}

static int get_bus(struct emul *emu, s64 *v)
{
	*v = emu->adap.nr;
	return 0;
}

static int get_charger_irq(struct emul *emu, s64 *v)
{
	*v = emu->chg_client ? emu->chg_client->init_irq : -1;
	return 0;
}

static int get_charger_client(struct emul *emu, s64 *v)
{
	*v = !!emu->chg_client;
	return 0;
}

static int get_gauge_client(struct emul *emu, s64 *v)
{
	*v = !!emu->gauge_client;
	return 0;
}

static int set_client(struct emul *emu, bool gauge, s64 v)
{
	int ret;

	mutex_lock(&emul_client_lock);
	if (!v && !(gauge ? emu->gauge_client : emu->chg_client))
		ret = 0;
	else
		ret = emul_set_client(emu, gauge, v);
	mutex_unlock(&emul_client_lock);
	return ret;
}

static int get_otg_consumer(struct emul *emu, s64 *v)
{
	*v = !!emu->otg_reg;
	return 0;
}

static int set_otg_consumer(struct emul *emu, s64 v)
{
	int ret;

	mutex_lock(&emul_client_lock);
	ret = emul_otg_consumer(emu, v);
	mutex_unlock(&emul_client_lock);
	return ret;
}

static int set_charger_client(struct emul *emu, s64 v)
{
	return set_client(emu, false, v);
}

static int set_gauge_client(struct emul *emu, s64 v)
{
	return set_client(emu, true, v);
}

#define F(f)	offsetof(struct emul, f)
/* A field read and written as is; read-only; a field with its own set();
 * get() and set() only (write-only without get()); a client switch.
 */
#define RW(n, f, t, sc, lo, hi, cb)	{ n, F(f), t, sc, lo, hi, cb, NULL, NULL, false }
#define RO(n, f, t)			{ n, F(f), t, 1, 1, 0, NULL, NULL, NULL, false }
#define FS(n, f, t, lo, hi, s)		{ n, F(f), t, 1, lo, hi, NULL, NULL, s, false }
#define FN(n, lo, hi, g, s)		{ n, 0, K_S32, 1, lo, hi, NULL, g, s, false }
#define CLIENT(n, g, s)			{ n, 0, K_BOOL, 1, 0, 1, NULL, g, s, true }

static const struct emul_knob emul_knobs[] = {
	FN("time_ms", 1, 0, get_time, NULL),
	FN("advance_ms", 0, 100LL * 24 * 3600 * 1000, NULL, set_advance),
	RW("rate", rate, K_U32, 1, 0, 10000, changed_rate),
	RW("source_mv", src_uv, K_U32, 1000, 0, 20000, changed_source),
	RW("source_max_ma", src_max_ua, K_U32, 1000, 0, 5000, changed_source),
	RW("cable_mohm", cable_mohm, K_U32, 1, 0, 10000, changed_source),
	RW("sys_load_ma", sys_load_ua, K_U32, 1000, 0, 5000, changed_update),
	RW("otg_load_ma", otg_load_ua, K_U32, 1000, 0, 5000, changed_update),
	RW("temp_dc", temp_dc, K_S32, 1, -400, 1600, changed_update),
	RW("die_heat_mc_per_a", die_heat_mc_per_a, K_U32, 1, 0, 1000000, changed_update),
	FS("battery_present", bat_present, K_BOOL, 0, 1, set_battery_present),
	FN("capacity_pct", 0, 100, get_capacity, set_capacity),
	FN("charge_uah", 0, 10000000, get_charge, set_charge),
	FS("full_uah", full_uah, K_U32, 0, 10000000, set_full),
	RW("design_uah", design_uah, K_U32, 1, 1000, 10000000, changed_update),
	RW("cycle_count", cycles, K_U32, 1, 0, 65535, NULL),
	RW("rint_mohm", rint_mohm, K_U32, 1, 1, 10000, changed_update),
	RW("adc_ms", adc_ms, K_U32, 1, 0, 10000, changed_adc),
	RW("fail_next", fail_next, K_U32, 1, 0, 1000000, NULL),
	RW("fail_skip", fail_skip, K_U32, 1, 0, 1000000, NULL),
	RW("fail_after_write", fail_after_write, K_U32, 1, 0, 1000000, NULL),
	FN("fail_errno", 1, 200, get_fail_errno, set_fail_errno),
	RW("fail_rate_ppm", fail_rate_ppm, K_U32, 1, 0, 1000000, NULL),
	RW("xfer_delay_ms", xfer_delay_ms, K_U32, 1, 0, 1000, NULL),
	RW("por_before_read", por_before_read, K_S32, 1, -1, 0x14, NULL),
	RW("por_read_skip", por_read_skip, K_U32, 1, 0, 1000, NULL),
	FN("seed", 0, U32_MAX, NULL, set_seed),
	FN("irq_fire", 1, 1000000, NULL, set_irq_fire),
	RO("irq_count", irqs, K_U64),
	RW("irq_hold", irq_hold, K_BOOL, 1, 0, 1, changed_irq_hold),
	RW("suspend_irq", suspend_irq, K_BOOL, 1, 0, 1, NULL),
	RW("sleep_ms", sleep_ms, K_U32, 1, 0, 3600000, NULL),
	RW("term_flap_ms", term_flap_ms, K_U32, 1, 0, 10000, changed_update),
	RO("suspends", suspends, K_U64),
	RO("xfers_suspended", xfers_suspended, K_U64),
	RW("envelope_ichg_ua", env_ichg_ua, K_U32, 1, 0, 5056000, changed_update),
	RW("envelope_vreg_uv", env_vreg_uv, K_U32, 1, 0, 4608000, changed_update),
	RW("envelope_armed", env_armed, K_BOOL, 1, 0, 1, changed_update),
	RO("envelope_violations", env_violations, K_U64),
	RO("envelope_violation_ms", env_violation_ms, K_U64),
	RO("xfers", xfers, K_U64),
	RO("xfer_errors", xfer_errors, K_U64),
	RO("bytes", bytes, K_U64),
	FN("bus_us", 1, 0, get_bus_us, NULL),
	RO("resets", resets, K_U64),
	RO("reg0c_burst_reads", reg0c_burst_reads, K_U64),
	FN("bus", 1, 0, get_bus, NULL),
	CLIENT("charger_client", get_charger_client, set_charger_client),
	FN("charger_irq", 1, 0, get_charger_irq, NULL),
	CLIENT("gauge_client", get_gauge_client, set_gauge_client),
	CLIENT("otg_consumer", get_otg_consumer, set_otg_consumer),
};

/* --- text files -------------------------------------------------------- */

static int read_line(const char __user *ubuf, size_t count, char *buf, size_t len)
{
	if (!count || count >= len)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	strim(buf);
	return 0;
}

static int source_show(struct seq_file *s, void *unused)
{
	struct emul *emu = s->private;

	mutex_lock(&emu->lock);
	seq_printf(s, "%s\n", emul_src_name(emu->src));
	mutex_unlock(&emu->lock);
	return 0;
}

static int source_open(struct inode *inode, struct file *file)
{
	return single_open(file, source_show, inode->i_private);
}

static ssize_t source_write(struct file *file, const char __user *ubuf, size_t count,
			    loff_t *ppos)
{
	struct emul *emu = dbg_emul;
	enum emul_src_kind kind;
	char buf[32];
	int ret;

	ret = read_line(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	if (emul_src_parse(buf, &kind))
		return -EINVAL;
	mutex_lock(&emu->lock);
	if (kind == SRC_NONE) {
		/* The next adapter starts from its kind's typical values. */
		emu->src_uv = 0;
		emu->src_max_ua = 0;
	}
	emul_plug(emu, kind);
	mutex_unlock(&emu->lock);
	return count;
}

static const struct file_operations source_fops = {
	.owner = THIS_MODULE,
	.open = source_open,
	.read = seq_read,
	.write = source_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int ts_fault_show(struct seq_file *s, void *unused)
{
	struct emul *emu = s->private;

	mutex_lock(&emu->lock);
	seq_printf(s, "%s\n", emul_ts_fault_names[emu->ts_fault]);
	mutex_unlock(&emu->lock);
	return 0;
}

static int ts_fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, ts_fault_show, inode->i_private);
}

/* "none", "open" (the thermistor disconnected) or "short" (TS to ground). */
static ssize_t ts_fault_write(struct file *file, const char __user *ubuf, size_t count,
			      loff_t *ppos)
{
	struct emul *emu = dbg_emul;
	char buf[16];
	int ret, i;

	ret = read_line(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	i = match_string(emul_ts_fault_names, TS_NFAULTS, buf);
	if (i < 0)
		return -EINVAL;
	mutex_lock(&emu->lock);
	emu->ts_fault = i;
	emul_update(emu);
	mutex_unlock(&emu->lock);
	return count;
}

static const struct file_operations ts_fault_fops = {
	.owner = THIS_MODULE,
	.open = ts_fault_open,
	.read = seq_read,
	.write = ts_fault_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct {
	const char *name;
	unsigned int bit;
} inj_names[] = {
	{ "vbus-ovp", INJ_VBUS_OVP },
	{ "bat-ovp", INJ_BAT_OVP },
	{ "thermal-shutdown", INJ_TSHUT },
	{ "boost", INJ_BOOST },
};

static int inject_show(struct seq_file *s, void *unused)
{
	struct emul *emu = s->private;
	unsigned int i;

	mutex_lock(&emu->lock);
	for (i = 0; i < ARRAY_SIZE(inj_names); i++)
		if (emu->inject & inj_names[i].bit)
			seq_printf(s, "%s\n", inj_names[i].name);
	mutex_unlock(&emu->lock);
	return 0;
}

static int inject_open(struct inode *inode, struct file *file)
{
	return single_open(file, inject_show, inode->i_private);
}

/*
 * "NAME" raises a held fault, "clear NAME" or "clear" lowers them; "por",
 * "watchdog" and "safety-timer" are one-off events.
 */
static ssize_t inject_write(struct file *file, const char __user *ubuf, size_t count,
			    loff_t *ppos)
{
	struct emul *emu = dbg_emul;
	char buf[48], *name;
	bool clear = false;
	unsigned int i;
	int ret = -EINVAL;

	ret = read_line(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	name = buf;
	if (!strncmp(buf, "clear", 5) && (!buf[5] || isspace(buf[5]))) {
		clear = true;
		name = skip_spaces(buf + 5);
	}

	mutex_lock(&emu->lock);
	ret = -EINVAL;
	if (clear && !*name) {
		emu->inject = 0;
		emu->tshut = false;
		ret = 0;
	}
	for (i = 0; *name && i < ARRAY_SIZE(inj_names); i++) {
		if (strcmp(name, inj_names[i].name))
			continue;
		if (clear) {
			emu->inject &= ~inj_names[i].bit;
			if (inj_names[i].bit == INJ_TSHUT)
				emu->tshut = false;
		} else {
			emu->inject |= inj_names[i].bit;
		}
		ret = 0;
	}
	if (!clear && !strcmp(name, "por")) {
		emul_chip_por(emu);
		ret = 0;
	} else if (!clear && !strcmp(name, "watchdog")) {
		/* Expire now, whatever the watchdog setting. */
		emu->host_mode = true;
		emu->regs[0x07] |= R07_WATCHDOG;
		emu->wd_ms = U32_MAX;
		emul_advance(emu, 1);
		ret = 0;
	} else if (!clear && !strcmp(name, "safety-timer")) {
		emu->timer_ms = U32_MAX;
		emul_advance(emu, 1);
		ret = 0;
	}
	if (!ret)
		emul_update(emu);
	mutex_unlock(&emu->lock);
	return ret ? ret : count;
}

static const struct file_operations inject_fops = {
	.owner = THIS_MODULE,
	.open = inject_open,
	.read = seq_read,
	.write = inject_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int stick_show(struct seq_file *s, void *unused)
{
	struct emul *emu = s->private;
	unsigned int i;

	mutex_lock(&emu->lock);
	for (i = 0; i < EMUL_NREGS; i++)
		if (emu->stuck[i])
			seq_printf(s, "%02x %02x\n", i, emu->stuck_val[i]);
	mutex_unlock(&emu->lock);
	return 0;
}

static int stick_open(struct inode *inode, struct file *file)
{
	return single_open(file, stick_show, inode->i_private);
}

/*
 * "REG VALUE": REG holds VALUE (reads it, acts on it) and ignores writes;
 * "REG none" frees it, at the value it holds (emul_chip_stick()).
 */
static ssize_t stick_write(struct file *file, const char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	struct emul *emu = dbg_emul;
	char buf[32], *val;
	u8 reg, v = 0;
	bool stick;
	int ret;

	ret = read_line(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	val = strchr(buf, ' ');
	if (!val)
		return -EINVAL;
	*val++ = '\0';
	val = skip_spaces(val);
	if (kstrtou8(buf, 16, &reg) || reg >= EMUL_NREGS)
		return -EINVAL;
	stick = strcmp(val, "none");
	if (stick && kstrtou8(val, 16, &v))
		return -EINVAL;
	mutex_lock(&emu->lock);
	emul_chip_stick(emu, reg, stick, v);
	mutex_unlock(&emu->lock);
	return count;
}

static const struct file_operations stick_fops = {
	.owner = THIS_MODULE,
	.open = stick_open,
	.read = seq_read,
	.write = stick_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* "REG MASK": the next read of REG is XORed with MASK. */
static ssize_t corrupt_write(struct file *file, const char __user *ubuf, size_t count,
			     loff_t *ppos)
{
	struct emul *emu = dbg_emul;
	unsigned int reg, mask;
	char buf[32];
	int ret;

	ret = read_line(ubuf, count, buf, sizeof(buf));
	if (ret)
		return ret;
	if (sscanf(buf, "%x %x", &reg, &mask) != 2 || reg >= EMUL_NREGS || !mask || mask > 0xff)
		return -EINVAL;
	mutex_lock(&emu->lock);
	emu->corrupt_reg = reg;
	emu->corrupt_mask = mask;
	mutex_unlock(&emu->lock);
	return count;
}

static const struct file_operations corrupt_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = corrupt_write,
	.llseek = noop_llseek,
};

/* The register file as the chip holds it (no side effects, unlike a bus read). */
static int regs_show(struct seq_file *s, void *unused)
{
	struct emul *emu = s->private;
	unsigned int i;

	mutex_lock(&emu->lock);
	for (i = 0; i < EMUL_NREGS; i++) {
		u8 v = emu->regs[i];

		if (i == 0x0c)
			v = emu->fault_now;
		seq_printf(s, "%02x: %02x\n", i, v);
	}
	mutex_unlock(&emu->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(regs);

static const char *const stat_names[] = { "not-charging", "precharge", "fast", "done" };

/* The model, in the units a test compares with. */
static int state_show(struct seq_file *s, void *unused)
{
	struct emul *emu = s->private;

	mutex_lock(&emu->lock);
	seq_printf(s, "time_ms=%llu\n", emu->now_ms);
	seq_printf(s, "source=%s\n", emul_src_name(emu->src));
	seq_printf(s, "vbus_uv=%u\n", emu->vbus_uv);
	seq_printf(s, "iin_ua=%u\n", emu->iin_ua);
	seq_printf(s, "vbat_uv=%u\n", emu->vbat_uv);
	seq_printf(s, "vsys_uv=%u\n", emu->vsys_uv);
	seq_printf(s, "ibat_ua=%d\n", emu->ibat_ua);
	seq_printf(s, "ichg_ua=%u\n", emul_ichg_ua(emu));
	seq_printf(s, "vreg_uv=%u\n", emul_vreg_uv(emu));
	seq_printf(s, "charge=%s\n", stat_names[emu->stat]);
	seq_printf(s, "capacity_pct=%u\n", emul_soc_pct(emu));
	seq_printf(s, "charge_uah=%lld\n", div_s64(emu->charge_uams, UAMS_PER_UAH));
	seq_printf(s, "full_uah=%u\n", emu->full_uah);
	seq_printf(s, "temp_dc=%d\n", emu->temp_dc);
	seq_printf(s, "zone=%s\n", emul_zone_names[emu->zone]);
	seq_printf(s, "ts_pct_milli=%u\n", emu->ts_pct_milli);
	seq_printf(s, "ts_fault=%s\n", emul_ts_fault_names[emu->ts_fault]);
	seq_printf(s, "vdpm=%d\nidpm=%d\ntherm=%d\n", emu->vdpm, emu->idpm, emu->therm);
	seq_printf(s, "ico_ua=%u\n", emu->ico_ua);
	seq_printf(s, "timer_ms=%llu\ntimer_expired=%d\n", emu->timer_ms, emu->timer_expired);
	seq_printf(s, "host_mode=%d\nwatchdog_ms=%llu\n", emu->host_mode, emu->wd_ms);
	seq_printf(s, "tshut=%d\n", emu->tshut);
	seq_printf(s, "cycle_count=%u\n", emu->cycles);
	mutex_unlock(&emu->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

static int stats_show(struct seq_file *s, void *unused)
{
	struct emul *emu = s->private;
	unsigned int i;

	mutex_lock(&emu->lock);
	seq_printf(s, "xfers=%llu\nxfer_errors=%llu\nbytes=%llu\nbus_us=%llu\n",
		   emu->xfers, emu->xfer_errors, emu->bytes, div_u64(emu->bus_bits * 5, 2));
	seq_printf(s, "irqs=%llu\nresets=%llu\nreg0c_burst_reads=%llu\n", emu->irqs,
		   emu->resets, emu->reg0c_burst_reads);
	seq_printf(s, "envelope_violations=%llu\nenvelope_violation_ms=%llu\n",
		   emu->env_violations, emu->env_violation_ms);
	for (i = 0; i < EMUL_NREGS; i++)
		seq_printf(s, "reg%02x reads=%llu writes=%llu\n", i, emu->reads[i],
			   emu->writes[i]);
	mutex_unlock(&emu->lock);
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, stats_show, inode->i_private);
}

/* Any write zeroes the counters (not the model, not the write log). */
static ssize_t stats_write(struct file *file, const char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	struct emul *emu = dbg_emul;

	mutex_lock(&emu->lock);
	emu->xfers = 0;
	emu->xfer_errors = 0;
	emu->bytes = 0;
	emu->bus_bits = 0;
	emu->irqs = 0;
	emu->resets = 0;
	emu->reg0c_burst_reads = 0;
	emu->env_violations = 0;
	emu->env_violation_ms = 0;
	memset(emu->reads, 0, sizeof(emu->reads));
	memset(emu->writes, 0, sizeof(emu->writes));
	mutex_unlock(&emu->lock);
	return count;
}

static const struct file_operations stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.read = seq_read,
	.write = stats_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* The last writes, oldest first: "time_ms addr reg value". */
static int write_log_show(struct seq_file *s, void *unused)
{
	struct emul *emu = s->private;
	unsigned int i, start;

	mutex_lock(&emu->lock);
	start = (emu->wlog_head + EMUL_WLOG_LEN - emu->wlog_count) % EMUL_WLOG_LEN;
	for (i = 0; i < emu->wlog_count; i++) {
		const struct emul_wlog *w = &emu->wlog[(start + i) % EMUL_WLOG_LEN];

		seq_printf(s, "%llu %02x %02x %02x\n", w->t_ms, w->addr, w->reg, w->val);
	}
	mutex_unlock(&emu->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(write_log);

/* What the status LED shows: "off", "on", or "blink ON_MS OFF_MS". */
static int led_show(struct seq_file *s, void *unused)
{
	struct emul *emu = s->private;
	unsigned long on = READ_ONCE(emu->led_on_ms), off = READ_ONCE(emu->led_off_ms);

	if (!READ_ONCE(emu->led_blink))
		seq_puts(s, READ_ONCE(emu->led_level) ? "on\n" : "off\n");
	else if (!on)
		seq_puts(s, "off\n");
	else if (!off)
		seq_puts(s, "on\n");
	else
		seq_printf(s, "blink %lu %lu\n", on, off);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(led);

void emul_debugfs_init(struct emul *emu)
{
	unsigned int i;

	dbg_emul = emu;
	emu->dbg = debugfs_create_dir("bq2589x_emul", NULL);
	for (i = 0; i < ARRAY_SIZE(emul_knobs); i++) {
		const struct emul_knob *k = &emul_knobs[i];
		umode_t mode = 0644;

		if (k->min > k->max)
			mode = 0444;
		else if (!k->off && !k->get)
			mode = 0200;

		debugfs_create_file(k->name, mode, emu->dbg, (void *)k, &knob_fops);
	}
	debugfs_create_file("source", 0644, emu->dbg, emu, &source_fops);
	debugfs_create_file("ts_fault", 0644, emu->dbg, emu, &ts_fault_fops);
	debugfs_create_file("inject", 0644, emu->dbg, emu, &inject_fops);
	debugfs_create_file("stick", 0644, emu->dbg, emu, &stick_fops);
	debugfs_create_file("corrupt", 0200, emu->dbg, emu, &corrupt_fops);
	debugfs_create_file("regs", 0444, emu->dbg, emu, &regs_fops);
	debugfs_create_file("state", 0444, emu->dbg, emu, &state_fops);
	debugfs_create_file("stats", 0644, emu->dbg, emu, &stats_fops);
	debugfs_create_file("write_log", 0444, emu->dbg, emu, &write_log_fops);
	debugfs_create_file("led", 0444, emu->dbg, emu, &led_fops);
}
