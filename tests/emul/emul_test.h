/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the emulator's tests, run inside the virtual device: load
 * bq2589x_emul, turn its debugfs knobs, and talk to the chips on its bus
 * through i2c-dev, the way a driver would.
 */
#ifndef EMUL_TEST_H
#define EMUL_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>

/*
 * The harness kills a test after 30 s, a guard against hangs. Under TCG a
 * long test (thousands of writes, 50 module reloads) can need more; the
 * guard stays, at 10 minutes. (Include this after kselftest_harness.h.)
 */
#ifdef TEST_TIMEOUT_DEFAULT
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 600
#endif

#ifdef TEST_HARNESS_MAIN
/*
 * Whether TEST of FIXTURE is named in ONLY (space-separated, each entry
 * "name" or "fixture.name", as the TAP lines spell it); *HITS counts the
 * matches of each entry (an array of 64, entries past it are not counted).
 */
static inline int harness_named(const char *only, const char *fixture,
				const char *test, int *hits)
{
	char full[256];
	size_t len;
	int i, found = 0;

	snprintf(full, sizeof(full), "%s.%s", fixture, test);
	for (i = 0; *only; i++) {
		only += strspn(only, " ");
		len = strcspn(only, " ");
		if (len && ((len == strlen(test) && !strncmp(only, test, len)) ||
			    (len == strlen(full) && !strncmp(only, full, len)))) {
			found = 1;
			if (hits && i < 64)
				hits[i]++;
		}
		only += len;
	}
	return found;
}

/*
 * Two knobs of a test program, from the environment, for a run that
 * cannot afford every test or needs a longer guard (the debug kernel's
 * tier of make check, tests/debug/guest):
 *   CHARGERD_TESTS            the tests to run, space-separated, each
 *                             "name" or "fixture.name" (at most 64
 *                             entries; no fixture here has variants);
 *                             an entry that names no test is an error,
 *                             so a renamed test is never dropped in
 *                             silence;
 *   CHARGERD_HARNESS_TIMEOUT  every test's hang guard, in seconds (1 to
 *                             86400; TEST_TIMEOUT_DEFAULT above
 *                             otherwise). Not CHARGERD_TEST_TIMEOUT: the
 *                             run-suite scripts' guard of a whole suite.
 * Unset, or empty, each leaves the program as it is. Returns 0, or -1
 * with the reason on stdout as TAP's "Bail out!" (the run then fails)
 * and nothing changed.
 */
static inline int harness_select(const char *only, const char *guard)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t, *next, **link;
	int hits[64] = { 0 }, i, n, all;
	const char *p;
	long secs = 0;
	char *end;

	if (guard && *guard) {
		errno = 0;
		secs = strtol(guard, &end, 10);
		if (errno || *guard < '0' || *guard > '9' || *end || secs < 1 ||
		    secs > 86400) {
			printf("Bail out! CHARGERD_HARNESS_TIMEOUT=%s: not a number of seconds from 1 to 86400\n",
			       guard);
			return -1;
		}
	}
	all = !only || !*(only + strspn(only, " "));
	if (!all) {
		for (f = __fixture_list; f; f = f->next)
			for (t = f->tests; t; t = t->next)
				harness_named(only, f->name, t->name, hits);
		for (p = only, i = 0; *(p += strspn(p, " ")); i++) {
			n = strcspn(p, " ");
			if (i >= 64) {
				printf("Bail out! CHARGERD_TESTS: more than 64 names\n");
				return -1;
			}
			if (!hits[i]) {
				printf("Bail out! CHARGERD_TESTS: no test named '%.*s'\n", n, p);
				return -1;
			}
			p += n;
		}
	}

	/* Checked: now the lists change. */
	for (f = __fixture_list; f; f = f->next) {
		link = &f->tests;
		for (t = f->tests; t; t = next) {
			next = t->next;
			if (secs)
				t->timeout = secs;
			if (all || harness_named(only, f->name, t->name, NULL)) {
				*link = t;
				link = &t->next;
			}
		}
		*link = NULL;
	}
	return 0;
}

/* TEST_HARNESS_MAIN, with harness_select()'s knobs. */
#define CHARGERD_HARNESS_MAIN						\
	int main(int argc, char **argv)					\
	{								\
		if (harness_select(getenv("CHARGERD_TESTS"),		\
				   getenv("CHARGERD_HARNESS_TIMEOUT")))	\
			return KSFT_FAIL;				\
		return test_harness_run(argc, argv);			\
	}
#endif

#define EMUL_DBG	"/sys/kernel/debug/bq2589x_emul"
#define CHG		0x6a
#define GAUGE		0x0b

static inline int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/*
 * Load the emulator afresh with the given parameters. CHARGERD_EMUL_BOARD
 * (reference, speaker) and CHARGERD_EMUL_LED (the LED's name) pick the
 * board and its LED where the parameters do not (make soak's second board).
 * The emulator's own suites define EMUL_TEST_REFERENCE_BOARD: they check
 * the model against figures worked out for the reference board's cell and
 * network, and stay on it.
 */
static inline int emul_load(const char *params)
{
#ifdef EMUL_TEST_REFERENCE_BOARD
	const char *board = NULL;
#else
	const char *board = getenv("CHARGERD_EMUL_BOARD");
#endif
	const char *led = getenv("CHARGERD_EMUL_LED");
	char extra[128] = "";

	sh("rmmod bq2589x_emul 2>/dev/null");
	if (sh("modprobe i2c-dev"))
		return -1;
	if (board && *board && !(params && strstr(params, "board=")))
		snprintf(extra, sizeof(extra), " board=%s", board);
	if (led && *led && !(params && strstr(params, "led_name=")))
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), " led_name=%s", led);
	return sh("modprobe bq2589x_emul %s%s", params ? params : "", extra);
}

static inline int emul_unload(void)
{
	return sh("rmmod bq2589x_emul");
}

/* Write a file in one write(); returns 0 or -errno, as the write reported it. */
static inline int write_file(const char *path, const char *val)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Write a knob. */
static inline int knob_set(const char *knob, const char *fmt, ...)
{
	char path[256], val[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), EMUL_DBG "/%s", knob);
	return write_file(path, val);
}

/* Read a file (up to len - 1 bytes, NUL-terminated); 0 or -errno. */
static inline int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static inline int knob_text(const char *knob, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), EMUL_DBG "/%s", knob);
	return read_text(path, buf, len);
}

/* A numeric knob, or LLONG_MIN if it cannot be read. */
static inline long long knob(const char *name)
{
	char buf[64];

	if (knob_text(name, buf, sizeof(buf)))
		return -0x7fffffffffffffffLL - 1;
	return strtoll(buf, NULL, 0);
}

/* One "key=value" of the model's state file, as a number. */
static inline long long state(const char *key)
{
	static char buf[4096];
	size_t klen = strlen(key);
	char *p;

	if (knob_text("state", buf, sizeof(buf)))
		return -0x7fffffffffffffffLL - 1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return strtoll(p + klen + 1, NULL, 0);
	}
	return -0x7fffffffffffffffLL - 1;
}

/* The same, for a textual value; returns a static buffer. */
static inline const char *state_str(const char *key)
{
	static char buf[4096], out[64];
	size_t klen = strlen(key);
	char *p;

	out[0] = '\0';
	if (knob_text("state", buf, sizeof(buf)))
		return out;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			sscanf(p + klen + 1, "%63s", out);
			break;
		}
	}
	return out;
}

static inline int i2c_open(void)
{
	char path[32];
	long long bus = knob("bus");

	if (bus < 0)
		return -1;
	snprintf(path, sizeof(path), "/dev/i2c-%lld", bus);
	return open(path, O_RDWR);
}

/* Register read as a driver does it: write the pointer, repeated start, read. */
static inline int i2c_read(int fd, int addr, int reg, unsigned char *buf, int len)
{
	unsigned char r = reg;
	struct i2c_msg msgs[2] = {
		{ .addr = addr, .flags = 0, .len = 1, .buf = &r },
		{ .addr = addr, .flags = I2C_M_RD, .len = len, .buf = buf },
	};
	struct i2c_rdwr_ioctl_data x = { .msgs = msgs, .nmsgs = 2 };

	return ioctl(fd, I2C_RDWR, &x) < 0 ? -errno : 0;
}

static inline int rd(int fd, int reg)
{
	unsigned char v;
	int ret = i2c_read(fd, CHG, reg, &v, 1);

	return ret ? ret : v;
}

static inline int wr(int fd, int reg, int val)
{
	unsigned char b[2] = { reg, val };
	struct i2c_msg msg = { .addr = CHG, .flags = 0, .len = 2, .buf = b };
	struct i2c_rdwr_ioctl_data x = { .msgs = &msg, .nmsgs = 1 };

	return ioctl(fd, I2C_RDWR, &x) < 0 ? -errno : 0;
}

/* An SBS word read from the gauge. */
static inline int gauge_word(int fd, int cmd)
{
	unsigned char b[2];
	int ret = i2c_read(fd, GAUGE, cmd, b, 2);

	return ret ? ret : b[0] | b[1] << 8;
}

static inline long long psy_get(const char *psy, const char *prop)
{
	char path[256], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/power_supply/%s/%s", psy, prop);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -0x7fffffffffffffffLL - 1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -0x7fffffffffffffffLL - 1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 0);
}

/* Wait until nobody has used the bus for a while (a sync, not a measure). */
static inline long long quiet_xfers(void)
{
	long long last = -1, now = 0;
	int still = 0;

	while (still < 5) {
		usleep(100000);
		now = knob("xfers");
		still = now == last ? still + 1 : 0;
		last = now;
	}
	return now;
}

/* A power_supply property as text, without the newline ("" if absent). */
static inline void psy_str(const char *psy, const char *prop, char *buf, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/power_supply/%s/%s", psy, prop);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

#endif
