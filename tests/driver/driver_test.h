/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the charger driver's tests, on top of the emulator's: bind
 * bq2589x_charger to the virtual chip, read and write its power supply,
 * listen to its uevents.
 */
#ifndef DRIVER_TEST_H
#define DRIVER_TEST_H

#include <poll.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "../emul/emul_test.h"

#define PSY		"bq25895-charger"
#define PSY_DIR		"/sys/class/power_supply/" PSY

/*
 * How many rounds of a repeated check: the quick count for make check, the
 * full one under make soak (CHARGERD_SOAK=1). CHARGERD_ROUNDS_DIV=N (2 to
 * 100) divides the quick count, at least 1 round: the debug kernel's tier
 * of make check, where each round costs 5 to 10 times more (a malformed
 * value is ignored).
 */
static inline int rounds(int quick, int soak)
{
	const char *div = getenv("CHARGERD_ROUNDS_DIV");
	char *end;
	long n;

	if (getenv("CHARGERD_SOAK"))
		return soak;
	if (!div)
		return quick;
	n = strtol(div, &end, 10);
	if (end == div || *end || n < 2 || n > 100)
		return quick;
	return quick / n > 0 ? quick / n : 1;
}

/* Emulator (with params), then our driver, the client, and the driver's tuning. */
/*
 * The driver's timings, for tests (DEBUGFS/bq25895-charger/NAME_ms; the
 * driver has no module parameters). TUNING is "name=value ..." with the
 * names of the files, for example "snapshot_ms=0 adc_max_age_ms=0".
 */
#define DRV_TUNE_DIR	"/sys/kernel/debug/" PSY "/"

static inline int drv_tune(const char *tuning)
{
	char buf[256], *tok, *save = NULL, *eq, path[128];

	snprintf(buf, sizeof(buf), "%s", tuning);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq = '\0';
		snprintf(path, sizeof(path), DRV_TUNE_DIR "%s", tok);
		if (write_file(path, eq + 1))
			return -1;
	}
	return 0;
}

static inline int drv_up(const char *emul_params, const char *drv_tuning)
{
	/*
	 * udev loads drivers for new devices behind our back: let it finish
	 * before unloading, or it loads ours again with default parameters.
	 * And upstream's driver matches the same device: not that one.
	 */
	sh("udevadm settle");
	sh("rmmod bq2589x_charger bq25890_charger 2>/dev/null");
	if (emul_load(emul_params ? emul_params : "create_clients=0"))
		return -1;
	/* One-shot conversions end at once; time only moves when told. */
	if (knob_set("adc_ms", "0"))
		return -1;
	if (sh("modprobe bq2589x_charger"))
		return -1;
	if (!emul_params || strstr(emul_params, "create_clients=0"))
		if (knob_set("charger_client", "1"))
			return -1;
	/*
	 * The new client's modalias load, done: a test that unloads ours
	 * next (load_unload_cycles_with_readers_and_storms) would otherwise
	 * race it, and the packaged policy's fallback loads upstream's
	 * driver while ours goes, which takes the chip (CI's intermittent
	 * failure: the client bound to bq25890-charger, both loaded).
	 */
	sh("command -v udevadm >/dev/null || exit 0; udevadm settle --timeout=120");
	if (access(PSY_DIR, F_OK))
		return -1;
	return drv_tuning ? drv_tune(drv_tuning) : 0;
}

static inline int drv_down(void)
{
	int ret = 0;

	if (knob("charger_client") == 1)
		ret |= knob_set("charger_client", "0");
	sh("udevadm settle");
	ret |= sh("rmmod bq2589x_charger");
	ret |= emul_unload();
	return ret;
}

static inline void prop(const char *name, char *buf, size_t len)
{
	psy_str(PSY, name, buf, len);
}

static inline long long propn(const char *name)
{
	return psy_get(PSY, name);
}

/* Write a property; 0 or -errno. */
static inline int prop_set(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), PSY_DIR "/%s", name);
	return write_file(path, val);
}

/* Reads or writes ("reads", "writes") of one register since the counters
 * were zeroed.
 */
static inline long long reg_count(int reg, const char *what)
{
	char buf[4096], key[16], *p;

	if (knob_text("stats", buf, sizeof(buf)))
		return -1;
	snprintf(key, sizeof(key), "reg%02x ", reg);
	p = strstr(buf, key);
	if (!p)
		return -1;
	p = strstr(p, what);
	return p ? strtoll(p + strlen(what) + 1, NULL, 10) : -1;
}

/* --- uevents ------------------------------------------------------------- */

static inline int uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	int sz = 1 << 20;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The next kernel uevent of our power supply, within timeout_ms: its
 * KEY=VALUE pairs joined by '\n' into buf. Returns 0, or -1 if none came.
 */
static inline int uevent_next(int fd, char *buf, size_t len, int timeout_ms)
{
	char msg[8192];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		size_t i, o = 0;

		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		n = recv(fd, msg, sizeof(msg) - 1, 0);
		if (n <= 0)
			return -1;
		msg[n] = '\0';
		if (!strncmp(msg, "libudev", 7))
			continue;	/* udev's re-broadcast, not the kernel's */
		for (i = strlen(msg) + 1; i < (size_t)n && o + 1 < len; i++)
			buf[o++] = msg[i] ? msg[i] : '\n';
		buf[o] = '\0';
		if (strstr(buf, "SUBSYSTEM=power_supply\n") &&
		    strstr(buf, "POWER_SUPPLY_NAME=" PSY "\n"))
			return 0;
	}
}

/* The next uevent of our supply that contains needle, within timeout_ms. */
static inline int uevent_wait(int fd, const char *needle, char *buf, size_t len,
			      int timeout_ms)
{
	int waited;

	for (waited = 0; waited < timeout_ms; waited += 100)
		if (!uevent_next(fd, buf, len, 100) && strstr(buf, needle))
			return 0;
	return -1;
}

#endif
