// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection on the charger driver's probe path, run in the debug
 * kernel's VM (tests/debug/check). TAP on stdout.
 *
 * The kernel's per-task fault counter (/proc/thread-self/fail-nth, with
 * failslab taking GFP_KERNEL allocations too) makes the Nth slab
 * allocation of this thread fail. For N = 1, 2, ... this program does one
 * operation that probes the driver, with the Nth allocation failing,
 * until N is past the last allocation of the operation (it then succeeds
 * without the fault ever being used); CHARGERD_FAULT_STEP=K tries every Kth
 * N only. After each injected failure: the
 * device is unbound and its power supply gone (or, when the fault was
 * absorbed, bound and working), and a clean probe then works and its
 * unbind or unload is clean. The kernel's own checkers (lockdep, KASAN,
 * debugobjects, SLUB) and panic_on_warn watch every step; the caller runs
 * kmemleak after.
 *
 * Two operations:
 *   bind:   the driver loaded, the chip's client present: write the client
 *           to the driver's bind file (the probe runs in this thread);
 *   insmod: the client present, the driver not loaded: finit_module() of
 *           bq2589x_charger.ko: the module loader and the driver's
 *           registration, up to the first fault inside the probe (from
 *           there on the bind loop covers the same points).
 *
 * Needs bq2589x_emul and bq2589x_charger installed where modprobe finds
 * them, and chargerd stopped. Stops udevd while it runs (and starts it
 * again on the way out).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define DRV		"/sys/bus/i2c/drivers/bq2589x-charger"
#define PSY_DIR		"/sys/class/power_supply/bq25895-charger"
#define EMUL_DBG	"/sys/kernel/debug/bq2589x_emul"
#define FAILSLAB	"/sys/kernel/debug/failslab"
#define MAX_N		3000

static int test_no, failed;
static char client[64];		/* "N-006a" */
static char kmod_path[512];
static int kmsg = -1;

static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failed++;
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int sh(const char *fmt, ...)
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

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int bound(void)
{
	char path[128];

	snprintf(path, sizeof(path), DRV "/%s", client);
	return exists(path);
}

static int module_loaded(void)
{
	return exists("/sys/module/bq2589x_charger");
}

static unsigned long tainted(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/kernel/tainted", O_RDONLY);

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = '\0';
		close(fd);
	}
	return strtoul(buf, NULL, 10);
}

/*
 * The kernel log since the last call: the failing call site, that is the
 * first frame of the stack that fail_dump() printed which is not the
 * allocator or the fault injection itself, and the first frame in one of
 * our modules. Also flags a report of the kernel's checkers.
 */
static const char *const skip_frames[] = {
	"dump_stack", "should_fail", "__should_fail", "fail_dump", "slab_",
	"__slab", "kmem_cache_alloc", "__kmem_cache", "__kmalloc", "kmalloc",
	"kzalloc", "kcalloc", "kmemdup", "kstrdup", "kvasprintf", "kvmalloc",
	"__kvmalloc", "krealloc", "__do_krealloc", "__alloc", "alloc_",
	NULL,
};

/* An allocator frame (a prefix of the list above). */
static int skipped_frame(const char *fn)
{
	int i;

	for (i = 0; skip_frames[i]; i++)
		if (!strncmp(fn, skip_frames[i], strlen(skip_frames[i])))
			return 1;
	return 0;
}

/* What the kernel's checkers print (not stack frames: no "locking" alone). */
static const char *const reports[] = {
	"WARNING:", "BUG:", "KASAN:", "UBSAN:", "ODEBUG:", "Oops",
	"possible circular locking dependency", "possible recursive locking",
	"inconsistent lock state", "lock held when returning", "bad unlock balance",
	"suspicious RCU usage", "non-static key", "refcount_t:", "unreferenced object",
	NULL,
};

static int checker_report(const char *msg)
{
	int i;

	for (i = 0; reports[i]; i++)
		if (strstr(msg, reports[i]))
			return 1;
	return 0;
}

static int read_log(char *site, size_t slen, int *report, int *probe)
{
	char rec[8192], ours[128] = "", first[160] = "";
	int in_dump = 0, injected = 0, frames = 0;
	ssize_t n;

	*report = 0;
	*probe = 0;
	while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0) {
		char *msg, *nl;

		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		if (strstr(msg, "FAULT_INJECTION: forcing a failure")) {
			injected = 1;
			in_dump = 1;
			continue;
		}
		if (checker_report(msg)) {
			*report = 1;
			diag("kernel: %s", msg);
		}
		if (!in_dump)
			continue;
		/* " fn+0x12/0x34 [module]" frames of the Call Trace; not the
		 * unreliable " ? fn+..." ones
		 */
		while (*msg == ' ')
			msg++;
		if (!strncmp(msg, "? ", 2))
			continue;
		if (!strchr(msg, '+') || !strstr(msg, "/0x")) {
			if (!strncmp(msg, "</TASK>", 7))
				in_dump = 0;
			continue;
		}
		if (frames < 2 && (frames || !skipped_frame(msg))) {
			size_t l = strlen(first);

			snprintf(first + l, sizeof(first) - l, "%s%.*s", frames ? " < " : "",
				 (int)strcspn(msg, "+/ "), msg);
			frames++;
		}
		if (strstr(msg, "really_probe") || strstr(msg, "[bq2589x_charger]"))
			*probe = 1;
		if (!ours[0] && strstr(msg, "[bq2589x_"))
			snprintf(ours, sizeof(ours), "%.*s", (int)strcspn(msg, "+/ "), msg);
	}
	snprintf(site, slen, "%s%s%.*s", first[0] ? first : "no stack: __GFP_NOWARN",
		 ours[0] && !strstr(first, ours) ? " ... " : "",
		 ours[0] && !strstr(first, ours) ? (int)strcspn(ours, "+/ ") : 0, ours);
	return injected;
}

/* fail-nth of this thread: arm, and read back what is left (0: it fired). */
static int nth_fd = -1;

static int nth_arm(int n)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", n);
	return pwrite(nth_fd, buf, strlen(buf), 0) < 0 ? -errno : 0;
}

static int nth_left(void)
{
	char buf[16] = "";
	ssize_t r = pread(nth_fd, buf, sizeof(buf) - 1, 0);

	if (r <= 0)
		return -1;
	buf[r] = '\0';
	return atoi(buf);
}

static int find_client(void)
{
	glob_t g;
	size_t i;
	int ret = -1;

	if (glob("/sys/bus/i2c/devices/*-006a", 0, NULL, &g))
		return -1;
	for (i = 0; i < g.gl_pathc; i++) {
		char path[256], name[64] = "";
		FILE *f;

		snprintf(path, sizeof(path), "%s/name", g.gl_pathv[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) && !strncmp(name, "bq2589", 6)) {
			snprintf(client, sizeof(client), "%s", strrchr(g.gl_pathv[i], '/') + 1);
			ret = 0;
		}
		fclose(f);
	}
	globfree(&g);
	return ret;
}

/* The supply works: a property reads. */
static int psy_works(void)
{
	char buf[64];
	int fd = open(PSY_DIR "/status", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0;
}

/* --- the operations ------------------------------------------------------ */

/* Opened once: an open() under fault injection would only test open(). */
static int bind_fd = -1;

static int op_bind(void)
{
	return pwrite(bind_fd, client, strlen(client), 0) < 0 ? -errno : 0;
}

static int op_unbind(void)
{
	return write_str(DRV "/unbind", client);
}

static int kmod_fd = -1;

static int op_insmod(void)
{
	return syscall(SYS_finit_module, kmod_fd, "", 0) ? -errno : 0;
}

static int op_rmmod(void)
{
	return syscall(SYS_delete_module, "bq2589x_charger", O_NONBLOCK) ? -errno : 0;
}

/*
 * Run op with its Nth allocation failing; returns 1 if the fault fired, 0
 * if op finished before its Nth allocation, -1 if fail-nth is unusable.
 * *rc is op's result.
 */
static int inject(int n, int (*op)(void), int *rc)
{
	int left;

	if (nth_arm(n))
		return -1;
	*rc = op();
	left = nth_left();
	if (left != 0) {
		nth_arm(0);
		return left < 0 ? -1 : 0;
	}
	return 1;
}

/* What an operation left behind. */
enum { DOWN, UP, LOADED, MIXED };

static const char *const state_names[] = { "down", "up", "loaded, unbound", "inconsistent" };

/*
 * One loop: N = 1.. until op runs clean. state() says what is up; down()
 * undoes op. Each N where the fault fired is one TAP test: op either
 * failed and left nothing (DOWN), or absorbed the fault and works (UP),
 * or, for insmod, loaded with the probe failed (LOADED); then the undo
 * works, a clean op works and its undo works, and the kernel said nothing.
 */
static int run_loop(const char *what, int (*op)(void), int (*state)(void),
		    int (*down)(void), int stop_at_probe)
{
	int n, points = 0, in_probe = 0, absorbed = 0;
	/* CHARGERD_FAULT_STEP=K: every Kth allocation only, for a quicker run */
	int step = getenv("CHARGERD_FAULT_STEP") ? atoi(getenv("CHARGERD_FAULT_STEP")) : 1;

	for (n = 1; n <= MAX_N; n += step) {
		unsigned long taint_before = tainted();
		int fired, rc, st, report, rep2, probe, in_op_probe, ok = 1;
		char site[256], s2[256], why[256] = "";

		read_log(site, sizeof(site), &report, &probe);	/* drain */
		if (step < 1)
			step = 1;
		fired = inject(n, op, &rc);
		if (fired < 0) {
			tap(0, "%s: fail-nth=%d could not be armed", what, n);
			return -1;
		}
		read_log(site, sizeof(site), &report, &probe);
		in_op_probe = probe;
		st = state();
		if (!fired) {
			tap(rc == 0 && st == UP && psy_works() && !report,
			    "%s: no fault past allocation %d: clean %s works (rc %d, %s)",
			    what, n - 1, what, rc, state_names[st]);
			if (down() || state() != DOWN)
				tap(0, "%s: the clean undo failed", what);
			diag("%s: %d injection points, %d of them inside the probe, %d absorbed",
			     what, points, in_probe, absorbed);
			return points;
		}
		points++;
		in_probe += in_op_probe;
		if (rc == 0 && st == UP && psy_works())
			absorbed++;
		else if (!((rc != 0 && st == DOWN) || (rc == 0 && st == LOADED))) {
			ok = 0;
			snprintf(why, sizeof(why), "; left %s", state_names[st]);
		}
		if (st != DOWN && (down() || state() != DOWN)) {
			ok = 0;
			strncat(why, "; the undo failed", sizeof(why) - strlen(why) - 1);
		}
		/* A clean run then works, and undoes. */
		if (op() || state() != UP || !psy_works()) {
			ok = 0;
			strncat(why, "; the clean retry failed", sizeof(why) - strlen(why) - 1);
		}
		if (down() || state() != DOWN) {
			ok = 0;
			strncat(why, "; the undo after the retry failed",
				sizeof(why) - strlen(why) - 1);
		}
		read_log(s2, sizeof(s2), &rep2, &probe);
		if (report || rep2) {
			ok = 0;
			strncat(why, "; the kernel reported a bug", sizeof(why) - strlen(why) - 1);
		}
		if (tainted() != taint_before) {
			ok = 0;
			strncat(why, "; the taint changed", sizeof(why) - strlen(why) - 1);
		}
		tap(ok, "%s: allocation %d fails (%s%s): %s (%d), %s%s", what, n, site,
		    in_op_probe ? ", in the probe" : "", rc ? "failed" : "succeeded", rc,
		    state_names[st], ok ? "; unwound, the clean retry works" : why);
		if (in_op_probe && stop_at_probe) {
			diag("%s: %d injection points up to the probe, whose own the bind loop covers",
			     what, points);
			return points;
		}
	}
	tap(0, "%s: still failing after %d allocations", what, MAX_N);
	return -1;
}

static int bind_state(void)
{
	int b = bound(), p = exists(PSY_DIR);

	return b && p ? UP : !b && !p ? DOWN : MIXED;
}

static int insmod_state(void)
{
	int m = module_loaded(), b = bound(), p = exists(PSY_DIR);

	if (m && b && p)
		return UP;
	if (!b && !p)
		return m ? LOADED : DOWN;
	return MIXED;
}

/*
 * fail-nth alone decides; GFP_KERNEL allocations are candidates too. Only
 * caches marked for failslab (tests/vm/run boots the debug kernel with
 * slub_debug=FZPUA for all but kmemleak's own caches): kmemleak allocates
 * its metadata after each allocation and falls back to a pool when that
 * fails, which would double the points without testing anything of ours.
 */
static int failslab_setup(int *marked, int *unmarked)
{
	glob_t g;
	size_t i;

	*marked = *unmarked = 0;
	if (write_str(FAILSLAB "/probability", "0") |
	    write_str(FAILSLAB "/ignore-gfp-wait", "N") |
	    write_str(FAILSLAB "/verbose", "2") |
	    write_str(FAILSLAB "/times", "-1") |
	    write_str(FAILSLAB "/cache-filter", "Y"))
		return -1;
	if (glob("/sys/kernel/slab/*/failslab", 0, NULL, &g))
		return -1;
	for (i = 0; i < g.gl_pathc; i++) {
		char buf[8] = "";
		FILE *f = fopen(g.gl_pathv[i], "r");

		if (f && fgets(buf, sizeof(buf), f) && buf[0] == '1')
			++*marked;
		else
			++*unmarked;
		if (f)
			fclose(f);
	}
	globfree(&g);
	return 0;
}

static int udev_stopped;

/* udevd back, on every way out once main() has stopped it. */
static int udev_start(void)
{
	if (udev_stopped &&
	    !sh("systemctl start systemd-udevd-control.socket systemd-udevd-kernel.socket"
		" systemd-udevd.service"))
		udev_stopped = 0;
	return udev_stopped;
}

static void udev_start_at_exit(void)
{
	udev_start();
}

int main(void)
{
	struct utsname u;
	int bind_points, load_points, marked, unmarked;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");

	uname(&u);
	snprintf(kmod_path, sizeof(kmod_path),
		 "/lib/modules/%s/updates/chargerd/bq2589x_charger.ko", u.release);
	if (failslab_setup(&marked, &unmarked)) {
		printf("1..0 # SKIP no failslab in debugfs (not the debug kernel?)\n");
		return 0;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	kmod_fd = open(kmod_path, O_RDONLY | O_CLOEXEC);
	if (nth_fd < 0 || kmsg < 0 || kmod_fd < 0) {
		printf("Bail out! cannot open fail-nth, /dev/kmsg or %s: %s\n",
		       kmod_path, strerror(errno));
		return 1;
	}
	lseek(kmsg, 0, SEEK_END);
	diag("failslab on %d slab caches, not on %d (kmemleak's)", marked, unmarked);

	/* The chip, then the driver: it probes the client. */
	sh("udevadm settle; rmmod bq2589x_charger bq25890_charger 2>/dev/null;"
	   " rmmod bq2589x_emul 2>/dev/null");
	if (sh("modprobe i2c-dev && modprobe bq2589x_emul create_clients=0") ||
	    write_str(EMUL_DBG "/adc_ms", "0") || sh("modprobe bq2589x_charger") ||
	    write_str(EMUL_DBG "/charger_client", "1") || sh("udevadm settle") ||
	    find_client() || !bound()) {
		printf("Bail out! cannot bring up the emulator and the driver\n");
		return 1;
	}
	diag("client %s, module %s", client, kmod_path);

	/*
	 * udevd is stopped while the loops run: each of the ~1800 probes and
	 * removals sends uevents, and on the debug kernel under TCG udevd
	 * falls minutes behind (its queue was still full at the end). Its
	 * rules have no part in what is tested here; the modules are loaded
	 * by hand.
	 */
	if (sh("systemctl stop systemd-udevd.service systemd-udevd-control.socket"
	       " systemd-udevd-kernel.socket")) {
		printf("Bail out! cannot stop udevd\n");
		return 1;
	}
	udev_stopped = 1;
	atexit(udev_start_at_exit);

	/* bind: the probe alone. */
	bind_fd = open(DRV "/bind", O_WRONLY | O_CLOEXEC);
	if (bind_fd < 0 || op_unbind() || bound()) {
		printf("Bail out! cannot unbind %s\n", client);
		return 1;
	}
	bind_points = run_loop("bind", op_bind, bind_state, op_unbind, 0);
	close(bind_fd);

	/* insmod: the module loader, the registration and the probe. */
	if (op_rmmod() || module_loaded()) {
		printf("Bail out! cannot unload bq2589x_charger\n");
		return 1;
	}
	load_points = run_loop("insmod", op_insmod, insmod_state, op_rmmod, 1);

	/* Leave things as found: udevd running, both modules gone. */
	write_str(EMUL_DBG "/charger_client", "0");
	tap(!udev_start(), "udevd starts again");
	sh("udevadm settle; rmmod bq2589x_charger 2>/dev/null; rmmod bq2589x_emul");
	tap(!exists("/sys/module/bq2589x_emul") && !module_loaded(),
	    "both modules unload at the end");
	tap(bind_points > 0 && load_points > 0,
	    "faults were injected: %d points in bind, %d in insmod", bind_points, load_points);
	printf("1..%d\n", test_no);
	return failed ? 1 : 0;
}
