// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, the bus half: our bq2589x_charger and upstream's
 * bq25890_charger (built from Debian's linux-source), each bound in turn to
 * the same emulated chip, and what each costs on the I2C bus:
 *
 *   - probe: wall time of a bind through the driver's sysfs bind file (the
 *     write returns when the probe has), ours and upstream's alternating,
 *     the median of each, the fastest, and the median of the rounds'
 *     differences with its 95 % confidence interval; the transfers it
 *     makes; and where a probe's time goes, from a few more binds under
 *     the function_graph tracer (each callee of the probe function);
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
 * benchmark with a hole is not a result. The probe's breakdown is the
 * exception, an explanation rather than a figure: a tracer that is
 * missing or fails, or a trace it cannot read, leaves it out with a
 * "no breakdown of the probe" line saying why.
 */
#include <ctype.h>
#include <fcntl.h>
#include <time.h>

#include "../driver/driver_test.h"
#define BENCH_NAME	"i2c_bench"
#include "bench.h"

#define UPSTREAM_KO	"/opt/chargerd/build/upstream/bq25890_charger.ko"
#define PROBES		41	/* timed binds of each driver */
_Static_assert(PROBES >= 6, "median_ci() needs 6 rounds or more");
#define TRACED		5	/* traced binds of each driver */
#define TRACEFS		"/sys/kernel/tracing"
#define FN_MAX		64	/* distinct callees of the two probes */
#define FN_SHOWN_US	100	/* a callee with less, in both, goes in "rest" */
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
 * The 95 % confidence interval of the median of n sorted values, without
 * assuming their distribution: the k-th smallest to the k-th largest
 * for the largest k with P(B <= k - 1) <= 0.025, B binomial (n, 1/2)
 * (the sign test's interval, covering 95 % or more: 97.2 % for n = 41,
 * where k = 14). Needs n >= 6.
 */
static void median_ci(const double *v, int n, double *lo, double *hi)
{
	double p = 1, cdf = 0;	/* P(B = j) and P(B <= j - 1) */
	int j, k = 0;

	for (j = 0; j < n; j++)
		p /= 2;
	for (j = 0; j < n / 2; j++) {
		cdf += p;		/* now P(B <= j) */
		if (cdf > 0.025)
			break;
		k = j + 1;
		p = p * (n - j) / (j + 1);
	}
	*lo = v[k - 1];
	*hi = v[n - k];
}

/* The callees of the traced probes: per-bind sums, us. */
struct probe_fn {
	char name[64];
	double us[NDRV][TRACED];
};

/*
 * Write all of val to a tracefs file: its parser takes one word per
 * write(2) and says so with a short count. 0, or -errno.
 */
static int write_all(int fd, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;

	for (; len; val += n, len -= n) {
		n = write(fd, val, len);
		if (n <= 0)
			return n ? -errno : -EIO;
	}
	return 0;
}

/* Set a tracefs file (opened truncated) to val: 0, or -errno. */
static int tracefs_write(const char *file, const char *val)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, val);
	close(fd);
	return ret;
}

/*
 * The tracer set to time each call the probe functions make, with every
 * return line naming its function (funcgraph-tail: a call that moved
 * CPU otherwise ends in a bare "}"), hard interrupts left out. The names
 * end in a newline: the kernel applies the last one in the write, not
 * at close(), where an error would go unseen. 0, or -errno after saying
 * which step failed.
 */
static int trace_probes(void)
{
	static const char *const steps[][2] = {
		{ "tracing_on", "0" },
		{ "set_ftrace_filter", "" },	/* a killed run in this boot may have left one */
		{ "current_tracer", "function_graph" },
		{ "max_graph_depth", "2" },
		{ "trace_options", "nofuncgraph-irqs" },
		{ "trace_options", "funcgraph-tail" },
		{ "set_graph_function", "bq_probe bq25890_probe\n" },
	};
	size_t i;
	int r;

	sh("mount -t tracefs nodev " TRACEFS " 2>/dev/null");
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		r = tracefs_write(steps[i][0], steps[i][1]);
		if (r) {
			printf("# i2c_bench: %s \"%s\": %s: no breakdown of the probe\n",
			       steps[i][0], steps[i][1], strerror(-r));
			return r;
		}
	}
	return 0;
}

/*
 * The tracer off, unfiltered and as the kernel boots it; also at exit,
 * after a fail() while tracing. The function_graph options exist only
 * while that tracer is current: they go back before it does.
 */
static void trace_off(void)
{
	tracefs_write("tracing_on", "0");
	tracefs_write("trace_options", "nofuncgraph-tail");
	tracefs_write("trace_options", "funcgraph-irqs");
	tracefs_write("current_tracer", "nop");
	tracefs_write("max_graph_depth", "0");
	tracefs_write("set_graph_function", "");
	tracefs_write("set_ftrace_filter", "");
	tracefs_write("tracing_on", "1");
}

/* Why the breakdown was left out, for the bench's log; NULL while it stands. */
static const char *no_breakdown;

/*
 * Add one traced probe to fns: function_graph lines "CPU) [flag] T us |
 * INDENT TEXT", where the probe function is at an indent of 2 and its
 * callees at 4, each either "name();" with its time or, when the call
 * moved CPU, "name() {" first and "} / * name * /" with the time later.
 * Returns the probe's whole time, us, or -1 with no_breakdown set: the
 * trace holds no probe, a timed callee line it cannot name (time that
 * would go uncounted), a name longer than struct probe_fn holds, or more
 * callees than FN_MAX.
 */
static double trace_parse(FILE *f, struct probe_fn *fns, size_t *nfns, size_t d, int bind)
{
	char line[512], name[sizeof(fns->name)];
	double total = -1;
	int len;

	while (fgets(line, sizeof(line), f)) {
		char *bar = strchr(line, '|'), *t = strchr(line, ')'), *text, *end;
		size_t indent, i;
		double us;

		if (line[0] == '#' || !bar || !t || t > bar)
			continue;
		for (t++; *t == ' ' || strchr("+!#*@$", *t); t++)
			;
		us = strtod(t, &end);
		if (end == t || strncmp(end, " us", 3))
			continue;	/* an opening line: no time */
		for (text = bar + 1, indent = 0; text[indent] == ' '; indent++)
			;
		text += indent;
		if (indent == 2) {
			total = us;
			continue;
		}
		if (indent != 4)
			continue;
		if (!strncmp(text, "} /* ", 5))
			text += 5;
		len = 0;
		_Static_assert(sizeof(name) == 64, "the conversion's width is sizeof(name) - 1");
		if (sscanf(text, "%63[A-Za-z0-9_.]%n", name, &len) != 1 || !text[len]) {
			printf("# i2c_bench: %s: a timed call it cannot name: %s", drivers[d].key, line);
			no_breakdown = "a callee without its name";
			return -1;
		}
		if (strchr("_.", text[len]) || isalnum((unsigned char)text[len])) {
			printf("# i2c_bench: %s: a callee's name is longer than %zu: %s",
			       drivers[d].key, sizeof(name) - 1, line);
			no_breakdown = "a callee's name too long to hold";
			return -1;
		}
		for (i = 0; i < *nfns && strcmp(fns[i].name, name); i++)
			;
		if (i == *nfns) {
			if (*nfns == FN_MAX) {
				no_breakdown = "more callees than FN_MAX";
				return -1;
			}
			memset(&fns[i], 0, sizeof(fns[i]));
			snprintf(fns[i].name, sizeof(fns[i].name), "%s", name);
			(*nfns)++;
		}
		fns[i].us[d][bind] += us;
	}
	if (total < 0)
		no_breakdown = "a trace without the probe";
	return total;
}

/*
 * Bind d once with the tracer on; what the trace holds is added to fns.
 * The probe's whole time, us, or -1 with no_breakdown set.
 */
static double traced_bind(size_t d, const char *dev, struct probe_fn *fns, size_t *nfns, int bind)
{
	double xfers = 0, total;
	FILE *f;

	if (tracefs_write("trace", "") || tracefs_write("tracing_on", "1")) {
		no_breakdown = "the tracer does not start";
		return -1;
	}
	bind_once(&drivers[d], dev, &xfers);
	tracefs_write("tracing_on", "0");
	f = fopen(TRACEFS "/trace", "re");
	if (!f) {
		no_breakdown = "the trace cannot be read";
		return -1;
	}
	total = trace_parse(f, fns, nfns, d, bind);
	fclose(f);
	if (total < 0)
		sh("head -c 4000 " TRACEFS "/trace >&2");
	return total;
}

/*
 * Hook only the probe functions and the functions they call, found by
 * one traced bind of each: the tracer otherwise hooks every function of
 * the kernel, and a callee that makes many calls of its own (the power
 * supply's registration) would take several times its time. 0 or -errno.
 */
static int trace_only_callees(const char *dev)
{
	static struct probe_fn found[FN_MAX];
	char path[128], name[80];
	size_t nfound = 0, i, n;
	int fd, ret = 0;

	for (n = 0; n < NDRV; n++)
		if (traced_bind(n, dev, found, &nfound, 0) < 0)
			return -EINVAL;
	snprintf(path, sizeof(path), TRACEFS "/set_ftrace_filter");
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, "bq_probe bq25890_probe\n");
	/* each name its own write: one the filter refuses leaves the others */
	for (i = 0; !ret && i < nfound; i++) {
		snprintf(name, sizeof(name), "%.*s\n", (int)sizeof(found[i].name) - 1, found[i].name);
		if (write_all(fd, name))
			printf("# i2c_bench: %s is not traceable: left in the probe's own time\n",
			       found[i].name);
	}
	close(fd);
	return ret;
}

/*
 * Where a probe's time goes: TRACED more binds of each driver, in turn,
 * with the function_graph tracer hooked to the probe functions and their
 * callees alone (trace_only_callees()), each callee's time taken (the
 * tracer's entry and exit of each hooked call included). Prints the
 * median per bind of each callee that takes FN_SHOWN_US or more in either
 * driver, the rest together, the probe's own time (the whole less its
 * callees) and the whole; the medians of the parts do not add up to the
 * whole's. Without a tracer (a kernel built without function_graph), or
 * when a step fails or a trace cannot be read whole (trace_parse()), it
 * says why, puts the tracer back and prints none of these figures.
 */
static void probe_trace(const char *dev)
{
	static struct probe_fn fns[FN_MAX];
	double total[NDRV][TRACED], rest[NDRV][TRACED] = { { 0 } }, own[NDRV][TRACED], v[TRACED];
	bool shown[FN_MAX];
	size_t nfns = 0, i, k, n;
	int r;

	if (trace_probes()) {
		trace_off();
		return;
	}
	atexit(trace_off);
	r = trace_only_callees(dev);
	if (r) {
		if (no_breakdown)
			printf("# i2c_bench: %s: no breakdown of the probe\n", no_breakdown);
		else
			printf("# i2c_bench: set_ftrace_filter: %s: no breakdown of the probe\n",
			       strerror(-r));
		trace_off();
		return;
	}
	for (i = 0; i < TRACED; i++)
		for (k = 0; k < NDRV; k++) {
			n = (i + k) % NDRV;
			total[n][i] = traced_bind(n, dev, fns, &nfns, i);
			if (total[n][i] < 0) {
				printf("# i2c_bench: %s: no breakdown of the probe\n", no_breakdown);
				trace_off();
				return;
			}
		}
	trace_off();
	for (n = 0; n < NDRV; n++)
		memcpy(own[n], total[n], sizeof(own[n]));
	for (k = 0; k < nfns; k++) {
		shown[k] = false;
		for (n = 0; n < NDRV; n++) {
			memcpy(v, fns[k].us[n], sizeof(v));
			shown[k] |= median(v, TRACED) >= FN_SHOWN_US;
		}
		for (n = 0; n < NDRV; n++)
			for (i = 0; i < TRACED; i++) {
				own[n][i] -= fns[k].us[n][i];
				if (!shown[k])
					rest[n][i] += fns[k].us[n][i];
			}
	}
	for (n = 0; n < NDRV; n++) {
		for (k = 0; k < nfns; k++) {
			memcpy(v, fns[k].us[n], sizeof(v));
			if (!shown[k] || (!median(v, TRACED) && !v[TRACED - 1]))
				continue;	/* not shown, or not a call of this driver's */
			printf("BENCH i2c.%s.probe_fn.%s %.6g\n", drivers[n].key, fns[k].name,
			       median(v, TRACED));
		}
		figure(&drivers[n], "probe_fn_rest_us", median(rest[n], TRACED));
		figure(&drivers[n], "probe_own_us", median(own[n], TRACED));
		figure(&drivers[n], "probe_traced_us", median(total[n], TRACED));
	}
	printf("BENCH i2c.probes_traced %d\n", TRACED);
}

/*
 * The probe's wall time: both drivers loaded, the client bound to each in
 * turn through the driver's bind file (the probe returns before the
 * write does), the order swapping every round. What else the virtual
 * machine does meanwhile (udev, journald, the host's load) then falls on
 * both alike, not on whichever block of binds ran at the time. The modules
 * stay loaded: only each driver's first probe runs code that TCG has not
 * translated yet, one bind in PROBES. Under TCG one bind takes from a
 * fifth of its median to several times it, so beside each driver's
 * median are its fastest bind (the least disturbed) and the median of
 * the rounds' differences, ours minus upstream's, with its 95 %
 * confidence interval: an interval below 0 says ours is faster in that
 * run whatever the spread.
 */
static void probe_times(void)
{
	double ms[NDRV][PROBES], diff[PROBES], xfers[NDRV] = { 0 }, lo, hi;
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
	for (i = 0; i < PROBES; i++)
		diff[i] = ms[0][i] - ms[1][i];
	qsort(diff, PROBES, sizeof(diff[0]), cmp_double);
	median_ci(diff, PROBES, &lo, &hi);
	printf("BENCH i2c.probe_diff_ms_p50 %.6g\nBENCH i2c.probe_diff_ms_ci_lo %.6g\n"
	       "BENCH i2c.probe_diff_ms_ci_hi %.6g\nBENCH i2c.probes %d\n",
	       diff[PROBES / 2], lo, hi, PROBES);
	for (n = 0; n < NDRV; n++) {
		qsort(ms[n], PROBES, sizeof(ms[n][0]), cmp_double);
		figure(&drivers[n], "probe_ms_p50", ms[n][PROBES / 2]);
		figure(&drivers[n], "probe_ms_min", ms[n][0]);
		figure(&drivers[n], "probe_ms_max", ms[n][PROBES - 1]);
		figure(&drivers[n], "probe_xfers", xfers[n] / PROBES);
	}
	probe_trace(dev);
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
	/* past the plug's own reads (ours reads again 1.2 s later, for the first continuous sample) */
	sleep(2);
	quiet_xfers();
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
