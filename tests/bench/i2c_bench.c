// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, the bus half: our bq2589x_charger and upstream's
 * bq25890_charger (built from Debian's linux-source), each bound in turn to
 * the same emulated chip, and what each costs on the I2C bus:
 *
 *   - probe: wall time of a bind through the driver's sysfs bind file (the
 *     write returns when the probe has), ours and upstream's alternating,
 *     and the transfers it makes;
 *   - one interrupt with nothing new, one with a fault REG0C shows (the
 *     NTC in its hot zone), and one status change with its full
 *     uevent (the kernel reads every property for the uevent's
 *     environment): transfers, and bus time at 400 kHz as the emulator
 *     counts it (every bit on the wire, start, address, ack and stop
 *     included);
 *   - transfers per minute in three states nobody reads: on battery since
 *     the probe (playing at 150 mA), online (charging) and idle (plugged
 *     in, charge done), over BENCH_WINDOW_S seconds of real time each
 *     (default 60).
 *
 * Runs in the virtual device with chargerd stopped (it would read the
 * supplies on every uevent). Prints one "BENCH key value" line a figure;
 * tests/bench/bench collects them. A figure it could not take stops it: a
 * benchmark with a hole is not a result.
 */
#include <fcntl.h>
#include <time.h>

#include "../driver/driver_test.h"
#define BENCH_NAME	"i2c_bench"
#include "bench.h"

#define UPSTREAM_KO	"/opt/chargerd/build/upstream/bq25890_charger.ko"
#define PROBES		21
#define EVENTS		10

struct drv {
	const char *key;	/* in the figures' names */
	const char *driver;	/* under /sys/bus/i2c/drivers */
	const char *psy;
	const char *load;
	const char *unload;
};

static const struct drv drivers[] = {
	{ "ours", "bq2589x-charger", "bq25895-charger", "modprobe bq2589x_charger", "rmmod bq2589x_charger" },
	{ "upstream", "bq25890-charger", "bq25890-charger", "insmod " UPSTREAM_KO, "rmmod bq25890_charger" },
};

static void figure(const struct drv *d, const char *name, double v)
{
	printf("BENCH i2c.%s.%s %.6g\n", d->key, name, v);
	fflush(stdout);
}

/* Transfers and bus time since the counters were zeroed, once the bus is quiet. */
static void bus_cost(long long *xfers, long long *bus_us)
{
	*xfers = quiet_xfers();
	*bus_us = knob("bus_us");
}

#define NDRV	(sizeof(drivers) / sizeof(drivers[0]))

/* Write dev's name to the driver's bind or unbind file; the write's -errno, or 0. */
static int bind_file(const char *driver, const char *what, const char *dev)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/i2c/drivers/%s/%s", driver, what);
	return write_file(path, dev);
}

/* One probe of driver d on the client dev: its wall time in ms; its transfers added to *xfers. */
static double bind_once(const struct drv *d, const char *dev, double *xfers)
{
	char path[128];
	double t0, ms;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/i2c/drivers/%s/bind", d->driver);
	sh("udevadm settle");
	quiet_xfers();
	must(knob_set("stats", "0"), "zero the counters");
	fd = open(path, O_WRONLY | O_CLOEXEC);
	must(fd < 0, path);
	t0 = now_ms();
	if (write(fd, dev, strlen(dev)) < 0)
		fail("%s: %s does not bind %s: %s", d->key, d->driver, dev, strerror(errno));
	ms = now_ms() - t0;
	close(fd);
	*xfers += knob("xfers");
	snprintf(path, sizeof(path), "/sys/class/power_supply/%s", d->psy);
	if (access(path, F_OK))
		fail("%s: the driver did not register its power supply", d->key);
	sh("udevadm settle");
	must(bind_file(d->driver, "unbind", dev) != 0, "unbind the charger's client");
	return ms;
}

/*
 * The probe's wall time: both drivers loaded, the client bound to each in
 * turn through the driver's bind file (the probe returns before the
 * write does), the order swapping every round. What else the virtual
 * machine does meanwhile (udev, journald, the host's load) then falls on
 * both alike, not on whichever block of binds ran at the time. The modules
 * stay loaded: only each driver's first probe runs code that TCG has not
 * translated yet, one bind in PROBES.
 */
static void probe_times(void)
{
	double ms[NDRV][PROBES], xfers[NDRV] = { 0 };
	char dev[32];
	size_t i, k, n;

	sh("udevadm settle");
	sh("rmmod bq2589x_charger bq25890_charger 2>/dev/null");
	must(emul_load("create_clients=0"), "load the emulator");
	must(knob_set("adc_ms", "0"), "make conversions instant");
	for (k = 0; k < NDRV; k++)
		must(sh("%s", drivers[k].load), drivers[k].load);
	must(knob_set("charger_client", "1"), "create the charger's client");
	sh("udevadm settle");
	snprintf(dev, sizeof(dev), "%lld-006a", knob("bus"));
	for (k = 0; k < NDRV; k++)
		bind_file(drivers[k].driver, "unbind", dev);	/* whichever bound it */
	for (i = 0; i < PROBES; i++)
		for (k = 0; k < NDRV; k++) {
			n = (i + k) % NDRV;
			ms[n][i] = bind_once(&drivers[n], dev, &xfers[n]);
		}
	for (n = 0; n < NDRV; n++) {
		qsort(ms[n], PROBES, sizeof(ms[n][0]), cmp_double);
		figure(&drivers[n], "probe_ms_p50", ms[n][PROBES / 2]);
		figure(&drivers[n], "probe_ms_max", ms[n][PROBES - 1]);
		figure(&drivers[n], "probe_xfers", xfers[n] / PROBES);
	}
	must(knob_set("charger_client", "0"), "remove the charger's client");
	for (k = 0; k < NDRV; k++)
		must(sh("%s", drivers[k].unload), drivers[k].unload);
	must(emul_unload(), "unload the emulator");
}

/* An interrupt with nothing new: its transfers and bus time, added up. */
static void one_irq(long long *x_sum, long long *us_sum)
{
	long long x, us;

	quiet_xfers();
	must(knob_set("stats", "0"), "zero the counters");
	must(knob_set("irq_fire", "1"), "fire an interrupt");
	bus_cost(&x, &us);
	*x_sum += x;
	*us_sum += us;
}

/* A temperature change (a fault, a status change) with its uevent. */
static void one_change(const char *temp_dc, long long *x_sum, long long *us_sum)
{
	long long x, us;

	must(knob_set("stats", "0"), "zero the counters");
	must(knob_set("temp_dc", "%s", temp_dc), "change the temperature");
	bus_cost(&x, &us);
	*x_sum += x;
	*us_sum += us;
}

static void per_event(const struct drv *d)
{
	long long irq_x = 0, irq_us = 0, fault_x = 0, fault_us = 0, ch_x = 0, ch_us = 0;
	int i;

	for (i = 0; i < EVENTS; i++) {
		one_irq(&irq_x, &irq_us);
		/* into the NTC's hot zone: REG0C shows a fault while it lasts */
		one_change("620", &ch_x, &ch_us);
		one_irq(&fault_x, &fault_us);
		one_change("250", &ch_x, &ch_us);
	}
	figure(d, "irq_xfers", (double)irq_x / EVENTS);
	figure(d, "irq_bus_us", (double)irq_us / EVENTS);
	figure(d, "irq_fault_xfers", (double)fault_x / EVENTS);
	figure(d, "uevent_xfers", (double)ch_x / (2 * EVENTS));
	figure(d, "uevent_bus_us", (double)ch_us / (2 * EVENTS));
}

/* Transfers per minute of real time in the state the knobs set up. */
static void per_minute(const struct drv *d, const char *state, int window_s)
{
	char name[64], status[32];
	long long x;

	quiet_xfers();
	psy_str(d->psy, "status", status, sizeof(status));
	printf("# %s, %s: the charger says %s\n", d->key, state, status);
	must(knob_set("stats", "0"), "zero the counters");
	sleep(window_s);
	x = knob("xfers");
	snprintf(name, sizeof(name), "xfers_per_min_%s", state);
	figure(d, name, x * 60.0 / window_s);
}

static void bench(const struct drv *d, int window_s)
{
	sh("udevadm settle");
	sh("rmmod bq2589x_charger bq25890_charger 2>/dev/null");
	must(emul_load("create_clients=0"), "load the emulator");
	must(knob_set("adc_ms", "0"), "make conversions instant");
	must(sh("%s", d->load), d->load);

	/* on battery since the probe, playing; the model in real time */
	must(knob_set("charger_client", "1"), "create the charger's client");
	must(knob_set("sys_load_ma", "150"), "play");
	must(knob_set("capacity_pct", "60"), "a part-charged cell");
	must(knob_set("rate", "1"), "run the model in real time");
	per_minute(d, "battery", window_s);

	must(knob_set("rate", "0"), "stop the model's clock");
	must(knob_set("sys_load_ma", "0"), "stop playing");
	must(knob_set("source", "dcp"), "plug a DCP");
	per_event(d);

	must(knob_set("temp_dc", "250"), "a room-temperature cell");
	must(knob_set("rate", "1"), "run the model in real time");
	per_minute(d, "online", window_s);

	must(knob_set("capacity_pct", "100"), "fill the cell");
	must(knob_set("advance_ms", "600000"), "let the charge terminate");
	per_minute(d, "idle", window_s);

	must(knob_set("rate", "0"), "stop the model's clock");
	sh("udevadm settle");
	must(knob_set("charger_client", "0"), "remove the charger's client");
	must(sh("%s", d->unload), d->unload);
	must(emul_unload(), "unload the emulator");
}

int main(void)
{
	const char *w = getenv("BENCH_WINDOW_S");
	int window_s = w ? atoi(w) : 60;
	size_t i;

	if (window_s < 1)
		fail("BENCH_WINDOW_S must be a number of seconds");
	if (access(UPSTREAM_KO, F_OK))
		fail(UPSTREAM_KO " is missing (make upstream)");
	probe_times();
	for (i = 0; i < NDRV; i++)
		bench(&drivers[i], window_s);
	return 0;
}
