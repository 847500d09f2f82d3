// SPDX-License-Identifier: GPL-2.0
/*
 * emulctl: drive the virtual charger and battery (bq2589x_emul) with
 * human-friendly verbs. Every verb is a write or read of one file under
 * /sys/kernel/debug/bq2589x_emul (EMUL_DIR overrides it); `emulctl help`
 * lists them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *dir = "/sys/kernel/debug/bq2589x_emul";

static void usage(FILE *f)
{
	fputs("usage: emulctl VERB [ARGS]\n"
	      "  plug KIND [--mv MV] [--max-ma MA] [--cable-mohm MOHM]\n"
	      "       KIND: sdp cdp dcp hvdcp unknown nonstandard\n"
	      "  unplug\n"
	      "  temp DEGC                 battery/NTC temperature, e.g. 47.5 or -5\n"
	      "  advance DURATION          simulated time: 500ms 90s 10m 2h (plain: ms)\n"
	      "  rate N                    run N x real time (0: only on advance)\n"
	      "  load MA                   system load current\n"
	      "  otg-load MA               load on VBUS in OTG mode\n"
	      "  battery capacity PCT | charge UAH | full UAH | design UAH\n"
	      "          | cycles N | rint MOHM | remove | insert\n"
	      "  fault NAME | fault clear [NAME]\n"
	      "       NAME: vbus-ovp bat-ovp thermal-shutdown boost por watchdog safety-timer\n"
	      "  i2c fail-next N [ERRNO] | fail-rate PCT% [SEED] | errno E\n"
	      "      | corrupt REG MASK | stick REG VAL | unstick REG | off\n"
	      "       ERRNO, E: EIO, ENXIO, ETIMEDOUT, EAGAIN (or its number)\n"
	      "  irq N                     fire N spurious interrupts\n"
	      "  envelope ICHG_UA VREG_UV  the safety ceiling (and arm it)\n"
	      "  client charger|gauge on|off\n"
	      "  stats | regs | state | log | faults | stuck\n"
	      "  get KNOB | set KNOB VALUE raw access to any knob\n", f);
}

static int put(const char *knob, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, knob);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, len) != (ssize_t)len) {
		fprintf(stderr, "emulctl: %s <- '%s': %s\n", knob, val, strerror(errno));
		if (errno == ENOENT)
			fprintf(stderr, "emulctl: is bq2589x_emul loaded and debugfs mounted?\n");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int putf(const char *knob, const char *fmt, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), fmt, v);
	return put(knob, buf);
}

static int cat(const char *knob)
{
	char path[PATH_MAX], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, knob);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "emulctl: %s: %s\n", knob, strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* A whole number, or -1 for anything else. */
static long long number(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || *end || v < 0)
		return -1;
	return v;
}

/* "47.5", "-5", "30" degC to tenths; returns 0 on success. */
static int tenths(const char *s, long long *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || d < -100 || d > 200)
		return -1;
	*out = (long long)(d * 10 + (d < 0 ? -0.5 : 0.5));
	return 0;
}

/* "10m", "90s", "500ms", "2h", "1000" (ms) to ms; -1 on error. */
static long long duration(const char *s)
{
	static const struct { const char *suffix; long long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
	};
	char *end;
	unsigned int i;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -1;
	if (!*end)
		return (long long)v;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].suffix))
			return (long long)(v * units[i].ms + 0.5);
	return -1;
}

static int bad(const char *what)
{
	fprintf(stderr, "emulctl: %s\n", what);
	return 2;
}

static int do_plug(int argc, char **argv)
{
	int i;

	static const char * const kinds[] = {
		"sdp", "cdp", "dcp", "hvdcp", "unknown", "nonstandard",
	};
	unsigned int k;

	for (k = 0; argc >= 2 && k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (!strcmp(argv[1], kinds[k]))
			break;
	if (argc < 2 || k == sizeof(kinds) / sizeof(kinds[0]))
		return bad("plug: which kind? (sdp cdp dcp hvdcp unknown nonstandard)");
	/* Check every option before changing anything. */
	for (i = 2; i < argc; i += 2)
		if (i + 1 >= argc || number(argv[i + 1]) < 0)
			return bad("plug: options are --mv, --max-ma, --cable-mohm, each with a number");
	for (i = 2; i < argc; i++) {
		const char *knob = NULL;
		long long v;

		if (!strcmp(argv[i], "--mv"))
			knob = "source_mv";
		else if (!strcmp(argv[i], "--max-ma"))
			knob = "source_max_ma";
		else if (!strcmp(argv[i], "--cable-mohm"))
			knob = "cable_mohm";
		if (!knob || i + 1 >= argc)
			return bad("plug: options are --mv, --max-ma, --cable-mohm, each with a number");
		v = number(argv[++i]);
		if (v < 0)
			return bad("plug: not a number");
		/* Set before plugging, so detection and ICO see this adapter. */
		if (putf(knob, "%lld", v))
			return 1;
	}
	return put("source", argv[1]) ? 1 : 0;
}

static int do_battery(int argc, char **argv)
{
	static const struct { const char *verb, *knob; } map[] = {
		{ "capacity", "capacity_pct" }, { "charge", "charge_uah" },
		{ "full", "full_uah" }, { "design", "design_uah" },
		{ "cycles", "cycle_count" }, { "rint", "rint_mohm" },
	};
	unsigned int i;

	if (argc == 2 && !strcmp(argv[1], "remove"))
		return put("battery_present", "0") ? 1 : 0;
	if (argc == 2 && !strcmp(argv[1], "insert"))
		return put("battery_present", "1") ? 1 : 0;
	for (i = 0; argc == 3 && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(argv[1], map[i].verb))
			return put(map[i].knob, argv[2]) ? 1 : 0;
	return bad("battery: capacity|charge|full|design|cycles|rint VALUE, remove or insert");
}

/*
 * An errno for the fail_errno knob (ENXIO, EIO, ETIMEDOUT or EAGAIN, as a
 * number): a number, or its name (helper-71: "EIO" was refused, only "5"
 * worked).
 */
static int put_errno(const char *arg)
{
	static const struct { const char *name; int e; } names[] = {
		{ "EIO", EIO }, { "ENXIO", ENXIO }, { "ETIMEDOUT", ETIMEDOUT },
		{ "EAGAIN", EAGAIN },
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(arg, names[i].name))
			return putf("fail_errno", "%d", names[i].e);
	return put("fail_errno", arg);
}

static int do_i2c(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "fail-next")) {
		if (argc == 4 && put_errno(argv[3]))
			return 1;
		return put("fail_next", argv[2]) ? 1 : 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "fail-rate")) {
		char *end;
		double pct = strtod(argv[2], &end);

		if (end == argv[2] || (*end && strcmp(end, "%")) || pct < 0 || pct > 100)
			return bad("i2c fail-rate: a percentage, e.g. 1% or 0.5%");
		if (argc == 4 && put("seed", argv[3]))
			return 1;
		return putf("fail_rate_ppm", "%lld", (long long)(pct * 10000 + 0.5)) ? 1 : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "errno"))
		return put_errno(argv[2]) ? 1 : 0;
	if (argc == 4 && !strcmp(argv[1], "corrupt")) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%s %s", argv[2], argv[3]);
		return put("corrupt", buf) ? 1 : 0;
	}
	if (argc == 4 && !strcmp(argv[1], "stick")) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%s %s", argv[2], argv[3]);
		return put("stick", buf) ? 1 : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "unstick")) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%s none", argv[2]);
		return put("stick", buf) ? 1 : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "off"))
		return put("fail_next", "0") || put("fail_rate_ppm", "0") ? 1 : 0;
	return bad("i2c: fail-next N [ERRNO] | fail-rate PCT% [SEED] | errno E | corrupt REG MASK | stick REG VAL | unstick REG | off");
}

int main(int argc, char **argv)
{
	const char *verb;
	long long v;

	if (getenv("EMUL_DIR"))
		dir = getenv("EMUL_DIR");
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	verb = argv[1];
	argc--;
	argv++;

	if (!strcmp(verb, "help") || !strcmp(verb, "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(verb, "plug"))
		return do_plug(argc, argv);
	if (!strcmp(verb, "unplug") && argc == 1)
		return put("source", "none") ? 1 : 0;
	if (!strcmp(verb, "temp") && argc == 2) {
		if (tenths(argv[1], &v))
			return bad("temp: degrees Celsius, e.g. 25 or 47.5");
		return putf("temp_dc", "%lld", v) ? 1 : 0;
	}
	if (!strcmp(verb, "advance") && argc == 2) {
		v = duration(argv[1]);
		if (v < 0)
			return bad("advance: a duration such as 500ms, 90s, 10m, 2h");
		return putf("advance_ms", "%lld", v) ? 1 : 0;
	}
	if (!strcmp(verb, "rate") && argc == 2)
		return put("rate", argv[1]) ? 1 : 0;
	if (!strcmp(verb, "load") && argc == 2)
		return put("sys_load_ma", argv[1]) ? 1 : 0;
	if (!strcmp(verb, "otg-load") && argc == 2)
		return put("otg_load_ma", argv[1]) ? 1 : 0;
	if (!strcmp(verb, "battery"))
		return do_battery(argc, argv);
	if (!strcmp(verb, "fault") && argc == 2)
		return put("inject", argv[1]) ? 1 : 0;
	if (!strcmp(verb, "fault") && argc == 3 && !strcmp(argv[1], "clear")) {
		char buf[64];

		snprintf(buf, sizeof(buf), "clear %s", argv[2]);
		return put("inject", buf) ? 1 : 0;
	}
	if (!strcmp(verb, "i2c"))
		return do_i2c(argc, argv);
	if (!strcmp(verb, "irq") && argc == 2)
		return put("irq_fire", argv[1]) ? 1 : 0;
	if (!strcmp(verb, "envelope") && argc == 3)
		return put("envelope_ichg_ua", argv[1]) || put("envelope_vreg_uv", argv[2]) ||
		       put("envelope_armed", "1") ? 1 : 0;
	if (!strcmp(verb, "client") && argc == 3 &&
	    (!strcmp(argv[1], "charger") || !strcmp(argv[1], "gauge")) &&
	    (!strcmp(argv[2], "on") || !strcmp(argv[2], "off")))
		return put(!strcmp(argv[1], "charger") ? "charger_client" : "gauge_client",
			   !strcmp(argv[2], "on") ? "1" : "0") ? 1 : 0;
	if (argc == 1) {
		static const struct { const char *verb, *file; } show[] = {
			{ "stats", "stats" }, { "regs", "regs" }, { "state", "state" },
			{ "log", "write_log" }, { "faults", "inject" }, { "stuck", "stick" },
		};
		unsigned int i;

		for (i = 0; i < sizeof(show) / sizeof(show[0]); i++)
			if (!strcmp(verb, show[i].verb))
				return cat(show[i].file) ? 1 : 0;
	}
	if (!strcmp(verb, "get") && argc == 2)
		return cat(argv[1]) ? 1 : 0;
	if (!strcmp(verb, "set") && argc == 3)
		return put(argv[1], argv[2]) ? 1 : 0;

	fprintf(stderr, "emulctl: unknown or incomplete command '%s' (see: emulctl help)\n", verb);
	return 2;
}
