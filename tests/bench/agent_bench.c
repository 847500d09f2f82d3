// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, the agent half, in the virtual device:
 *
 *   agent_bench chargerd   chargerd as systemd runs it
 *   agent_bench upowerd    upowerd (Debian's upower), the reference a
 *                          distribution would otherwise run, on the same
 *                          emulated charger, gauge and driver
 *
 * For the agent: its memory (RSS and PSS, settled, and its peak), its
 * wakeups per hour over AGENT_WINDOW_S seconds (default 60; chargerd's 10
 * and 5 times that, its rates are too low for a minute) idle on battery
 * and while charging (the model runs in real time, so the gauge moves as a
 * real cell would), the bus transfers it causes in those windows, and the
 * CPU time it spends on 1000 uevents (its service's cgroup, so every thread
 * and child counts). A wakeup is a context switch of any of its threads:
 * each is a sleep that ended.
 *
 * For chargerd also the latency from a uevent to the journal record and to
 * the D-Bus signal it causes, over BENCH_EVENTS fault raises and clears
 * (default 1000): the fault is injected at the emulated chip, the bench's
 * own uevent socket timestamps the kernel's uevent, a D-Bus match the
 * signal, and journald its record (__REALTIME_TIMESTAMP, when journald
 * received it). p50 and p99 in ms, and whose time the slowest 1 % took
 * (attribute()). For the time of the bench the journal's
 * rate limit is opened (1000 a second), or it would fold the repeats.
 *
 * Prints one "BENCH key value" line a figure; a figure it cannot take stops
 * it with a message.
 */
#define _GNU_SOURCE	/* SCHED_RESET_ON_FORK */
#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <time.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-journal.h>

#include "../driver/driver_test.h"
#define BENCH_NAME	"agent_bench"
#include "bench.h"

#define BUS_IFACE_NAME	"org.chargerd.Charger1"
#define CONF		"/etc/chargerd/chargerd.conf"
#include "../../agent/msgid.h"
#define FAULT		"thermal-shutdown"
#define FAULT_POLL	"/sys/kernel/debug/bq25895-charger/fault_poll_ms"
#define EVENT_TIMEOUT_US	(20 * 1000000ULL)

static const char *agent;	/* "chargerd", "upowerd" or "floor" (uevent_relay) */
/* the unit whose latency is taken, and its process's name in the figures */
static const char *lat_unit = "chargerd.service", *lat_name = "chargerd";

static void figure(const char *name, double v)
{
	printf("BENCH agent.%s.%s %.6g\n", agent, name, v);
	fflush(stdout);
}

static uint64_t clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* Wait (a sync, not a measure) for a shell condition, a minute at most. */
static int until(const char *cond)
{
	return sh("end=$(($(date +%%s) + 60)); while [ $(date +%%s) -lt $end ]; do "
		  "%s && exit 0; sleep 0.2; done; exit 1", cond);
}

static pid_t agent_pid(void)
{
	char cmd[128], out[32] = "";
	FILE *p;

	if (!strcmp(agent, "chargerd"))
		snprintf(cmd, sizeof(cmd), "systemctl show -P MainPID chargerd");
	else
		snprintf(cmd, sizeof(cmd), "pidof -s upowerd");
	p = popen(cmd, "r");
	if (!p || !fgets(out, sizeof(out), p))
		out[0] = '\0';
	if (p)
		pclose(p);
	return atoi(out);
}

/* --- /proc ---------------------------------------------------------------- */

/* A "Key:  value" line of a /proc file, as a number (kB for sizes). */
static long long proc_field(const char *path, const char *key)
{
	char line[256];
	long long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/*
 * Wakeups: the context switches of every thread of the agent, threads
 * followed by id through a window (sampled each second), so that a thread
 * that starts within the window counts from 0, and one that ends keeps what
 * it had at the last sample. (A thread born and gone between two samples is
 * missed: an undercount, never an overcount.)
 */
#define MAX_THREADS	256

struct threads {
	int n;
	int tid[MAX_THREADS];
	long long first[MAX_THREADS], last[MAX_THREADS];
};

static void sample_threads(pid_t pid, struct threads *t, bool start)
{
	char dir[64], path[384];
	struct dirent *e;
	DIR *d;
	int i;

	snprintf(dir, sizeof(dir), "/proc/%d/task", pid);
	d = opendir(dir);
	if (!d)
		fail("%s is gone (pid %d)", agent, pid);
	while ((e = readdir(d))) {
		int tid = atoi(e->d_name);
		long long sw;

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/status", dir, e->d_name);
		sw = proc_field(path, "voluntary_ctxt_switches") +
		     proc_field(path, "nonvoluntary_ctxt_switches");
		if (sw < 0)
			continue;	/* it ended just now */
		for (i = 0; i < t->n && t->tid[i] != tid; i++)
			;
		if (i == t->n) {
			if (t->n == MAX_THREADS)
				fail("%s has more than %d threads", agent, MAX_THREADS);
			t->n++;
			t->tid[i] = tid;
			t->first[i] = start ? sw : 0;
		}
		t->last[i] = sw;
	}
	closedir(d);
}

static long long switches_over(pid_t pid, int window_s)
{
	struct threads t = { .n = 0 };
	long long sum = 0;
	int i;

	sample_threads(pid, &t, true);
	for (i = 0; i < window_s; i++) {
		sleep(1);
		sample_threads(pid, &t, false);
	}
	for (i = 0; i < t.n; i++)
		sum += t.last[i] - t.first[i];
	return sum;
}

/*
 * usage_usec of a cgroup's cpu.stat (µs): dead threads and children
 * included; -1 for a cgroup that is not there (a service not running).
 */
static long long cgroup_cpu_us_or_none(const char *path)
{
	char line[128];
	long long v = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "usage_usec %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* the same, for a cgroup that must be there */
static long long cgroup_cpu_us(const char *path)
{
	long long v = cgroup_cpu_us_or_none(path);

	if (v < 0)
		fail("no usage_usec in %s", path);
	return v;
}

/* CPU time of the agent's service (µs). */
static long long cpu_us(void)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/fs/cgroup/system.slice/%s.service/cpu.stat",
		 strcmp(agent, "chargerd") ? "upower" : "chargerd");
	return cgroup_cpu_us(path);
}

/*
 * CPU time of the whole system (µs): the root cgroup's, every process and
 * the kernel's own work (the uevents, udev's rules and what they run).
 */
static long long system_cpu_us(void)
{
	return cgroup_cpu_us("/sys/fs/cgroup/cpu.stat");
}

/*
 * Where the whole system's CPU goes besides the agent: the services on a
 * uevent's path and PID 1, each its own cgroup. The bench itself (it
 * writes the uevents, and the kernel builds each in its context) runs in
 * chargerd-vmrun.service. The kernel's own threads are in none of them;
 * their share is not printed: the root's usage_usec comes from the
 * scheduler's tick-sampled totals, the services' from their exact run
 * time, and a difference of the two went negative in trial runs.
 */
static const struct {
	const char *figure, *cgroup;
} cpu_services[] = {
	{ "dbus", "system.slice/dbus.service" },
	{ "journald", "system.slice/systemd-journald.service" },
	{ "udevd", "system.slice/systemd-udevd.service" },
	{ "init", "init.scope" },
	{ "bench", "system.slice/chargerd-vmrun.service" },
};
#define N_CPU_SERVICES	(sizeof(cpu_services) / sizeof(cpu_services[0]))

static void services_cpu_us(long long us[N_CPU_SERVICES])
{
	char path[128];
	size_t i;

	for (i = 0; i < N_CPU_SERVICES; i++) {
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/cpu.stat", cpu_services[i].cgroup);
		us[i] = cgroup_cpu_us_or_none(path);
	}
}

/* system_cpu_ms_per_1000_uevents_SERVICE between a and b (µs, services_cpu_us()) */
static void system_cpu_split(const long long a[N_CPU_SERVICES], const long long b[N_CPU_SERVICES])
{
	char name[96];
	size_t i;

	for (i = 0; i < N_CPU_SERVICES; i++) {
		if (a[i] < 0 || b[i] < 0)
			continue;
		snprintf(name, sizeof(name), "system_cpu_ms_per_1000_uevents_%s", cpu_services[i].figure);
		figure(name, (b[i] - a[i]) / 1e3);
	}
}

static void memory(pid_t pid, const char *when)
{
	char path[64], name[64];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	snprintf(name, sizeof(name), "rss_kib_%s", when);
	figure(name, proc_field(path, "VmRSS"));
	snprintf(name, sizeof(name), "rss_peak_kib_%s", when);
	figure(name, proc_field(path, "VmHWM"));
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	snprintf(name, sizeof(name), "pss_kib_%s", when);
	figure(name, proc_field(path, "Pss"));
}

/* Wakeups per hour, and bus transfers per minute, over a window. */
static void window(pid_t pid, const char *state, int window_s)
{
	long long sw, x;
	char name[64];

	sleep(10);	/* what the change of state itself set off (a plug's looks) */
	must(knob_set("stats", "0"), "zero the bus counters");
	sw = switches_over(pid, window_s);
	x = knob("xfers");
	snprintf(name, sizeof(name), "window_s_%s", state);
	figure(name, window_s);
	snprintf(name, sizeof(name), "wakeups_per_hour_%s", state);
	figure(name, sw * 3600.0 / window_s);
	snprintf(name, sizeof(name), "xfers_per_min_%s", state);
	figure(name, x * 60.0 / window_s);
}

/*
 * chargerd's looks so far and where their time went (wall µs), from one
 * GetReport (chargerctl report's "counters"). false when a counter is not
 * there (the relay has no report).
 */
struct looks {
	long long resyncs, snapshot_us, plan_us, apply_us;
	long long receive_us;	/* -1 from a chargerd before the counter */
	long long uevents;	/* received, every subsystem's */
	long long reader_looks;	/* resyncs a caller's read made (not counted in resyncs) */
};

static bool looks_read(struct looks *l)
{
	static const char *const names[] = { "resyncs", "snapshot_us", "plan_us", "apply_us",
					     "uevents", "receive_us", "reader_looks" };
	long long *vals[] = { &l->resyncs, &l->snapshot_us, &l->plan_us, &l->apply_us,
			      &l->uevents, &l->receive_us, &l->reader_looks };
	char line[1024], key[32];
	unsigned int found = 0;
	const char *at;
	size_t i;
	FILE *f;

	f = popen("chargerctl report 2>/dev/null", "re");
	if (!f)
		return false;
	l->receive_us = -1;
	l->reader_looks = 0;
	while (fgets(line, sizeof(line), f)) {
		for (i = 0; i < 7; i++) {
			snprintf(key, sizeof(key), "\"%s\":", names[i]);
			at = strstr(line, key);
			if (at && sscanf(at + strlen(key), " %lld", vals[i]) == 1)
				found |= 1U << i;
		}
	}
	pclose(f);
	/*
	 * The report's own look (chargerd looks before a read of state older
	 * than 2 s) is the reader's, not the burst's: not counted as one
	 * (an older chargerd has no reader_looks, and made none).
	 */
	l->resyncs -= l->reader_looks;
	return (found & 0x1f) == 0x1f;	/* receive_us, reader_looks may be missing */
}

/*
 * PREFIX_snapshot_us, _plan_us, _apply_us: each part's wall time per look
 * between a and b (looks_read()), if any look was made.
 */
static void looks_figures(const char *prefix, const struct looks *a, const struct looks *b)
{
	long long n = b->resyncs - a->resyncs;
	char name[64];

	if (n <= 0)
		return;
	snprintf(name, sizeof(name), "%s_snapshot_us", prefix);
	figure(name, (double)(b->snapshot_us - a->snapshot_us) / n);
	snprintf(name, sizeof(name), "%s_plan_us", prefix);
	figure(name, (double)(b->plan_us - a->plan_us) / n);
	snprintf(name, sizeof(name), "%s_apply_us", prefix);
	figure(name, (double)(b->apply_us - a->apply_us) / n);
}

/*
 * CPU time for 1000 uevents of the charger: written as fast as the kernel
 * takes them, then counted until the agent has been idle for 2 s. And the
 * whole system's, until udev is through them too: what a uevent costs the
 * device with this agent installed (its udev rule's work included).
 */
static void cpu_per_1000(void)
{
	bool counters = !strcmp(agent, "chargerd");
	long long a, b, last, sys_a, sys_b, svc_a[N_CPU_SERVICES], svc_b[N_CPU_SERVICES];
	struct looks la, lb;
	bool have_lb;
	int i, still = 0;

	sleep(3);
	/* before the count: chargerctl's own GetReport is work of chargerd's */
	counters = counters && looks_read(&la);
	services_cpu_us(svc_a);
	sys_a = system_cpu_us();
	a = cpu_us();
	for (i = 0; i < 1000; i++)
		must(write_file(PSY_DIR "/uevent", "change"), "write a uevent");
	last = cpu_us();
	while (still < 4) {
		usleep(500000);
		b = cpu_us();
		still = b == last ? still + 1 : 0;
		last = b;
	}
	figure("cpu_ms_per_1000_uevents", (b - a) / 1e3);
	must(sh("udevadm settle"), "wait for udev");
	sys_b = system_cpu_us();
	services_cpu_us(svc_b);
	figure("system_cpu_ms_per_1000_uevents", (sys_b - sys_a) / 1e3);
	system_cpu_split(svc_a, svc_b);
	/*
	 * chargerd reads once per batch of uevents it finds waiting: how many
	 * looks the 1000 made, and the CPU of one. A slower agent batches
	 * more, so the CPU per 1000 alone can fall as the code gets slower.
	 */
	have_lb = counters && looks_read(&lb);
	if (have_lb && lb.resyncs > la.resyncs) {
		figure("resyncs_per_1000_uevents", (double)(lb.resyncs - la.resyncs));
		figure("cpu_us_per_resync", (double)(b - a) / (lb.resyncs - la.resyncs));
		looks_figures("burst_resync", &la, &lb);
	}
	/* receiving and parsing the uevents, outside the looks */
	if (have_lb && la.receive_us >= 0 && lb.receive_us >= 0 && lb.uevents > la.uevents)
		figure("burst_receive_us_per_uevent",
		       (double)(lb.receive_us - la.receive_us) / (lb.uevents - la.uevents));
}

/* --- latency: uevent -> D-Bus signal, uevent -> journal record ------------ */

/*
 * Whose waiting makes the tail: each process on the event's path, its time
 * on a CPU and its time runnable but waiting for one (/proc/PID/schedstat's
 * first two fields, ns; the kernel's Documentation/scheduler/sched-stats),
 * taken from the fault's injection to the bench's receipt of the signal.
 */
#define SCHED_PROCS	4
static const char *sched_name[SCHED_PROCS] = { "chargerd", "dbus", "journald", "bench" };

struct sched {
	uint64_t run_ns[SCHED_PROCS], wait_ns[SCHED_PROCS];
};

static pid_t sched_pid[SCHED_PROCS];

static pid_t main_pid(const char *unit)
{
	char cmd[96];
	long v = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "systemctl show -P MainPID %s", unit);
	f = popen(cmd, "re");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = 0;
		pclose(f);
	}
	return v;
}

static void sched_find(void)
{
	sched_name[0] = lat_name;
	sched_pid[0] = main_pid(lat_unit);
	sched_pid[1] = main_pid("dbus");
	sched_pid[2] = main_pid("systemd-journald");
	sched_pid[3] = getpid();
}

/* The counters now; a process without schedstat counts 0. */
static void sched_sample(struct sched *s)
{
	int i;

	for (i = 0; i < SCHED_PROCS; i++) {
		char path[48];
		unsigned long long run = 0, wait = 0;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/schedstat", sched_pid[i]);
		f = sched_pid[i] > 0 ? fopen(path, "re") : NULL;
		if (f) {
			if (fscanf(f, "%llu %llu", &run, &wait) != 2)
				run = wait = 0;
			fclose(f);
		}
		s->run_ns[i] = run;
		s->wait_ns[i] = wait;
	}
}

struct lat {
	int uevent_fd;
	sd_bus *bus;
	sd_journal *j;
	int index;		/* the event in flight: its number, */
	bool want_raised;	/* raised or cleared */
	bool got_uevent, got_signal, got_record;
	bool same_wakeup;	/* its uevent and its signal came to one wakeup */
	uint64_t trigger_real, ue_mono, ue_real, sig_mono, rec_real;
	struct sched *at_signal;	/* where to sample the run queues at the signal */
	int policy;			/* the bench's scheduling outside the stamps */
	struct sched_param param;
};

/* The bench SCHED_FIFO (on) while it times the events, else as it was. */
static void bench_fifo(const struct lat *l, bool on)
{
	static const struct sched_param fifo = { .sched_priority = 1 };

	/* what it runs (overdue()'s journalctl) not FIFO */
	must(sched_setscheduler(0, on ? SCHED_FIFO | SCHED_RESET_ON_FORK : l->policy,
				on ? &fifo : &l->param) != 0,
	     "set the bench's scheduling");
}

static int on_signal(sd_bus_message *m, void *data, sd_bus_error *err __attribute__((unused)))
{
	struct lat *l = data;
	const char *code = NULL;

	if (!sd_bus_message_is_signal(m, BUS_IFACE_NAME,
				      l->want_raised ? "FaultRaised" : "FaultCleared"))
		return 0;
	if (sd_bus_message_read_basic(m, 's', &code) < 0 || strcmp(code, FAULT))
		return 0;
	if (!l->got_signal) {
		l->got_signal = true;
		l->sig_mono = clock_us(CLOCK_MONOTONIC);
	}
	return 0;
}

static bool field_is(sd_journal *j, const char *field, const char *value)
{
	const void *data;
	size_t len, n = strlen(field);

	if (sd_journal_get_data(j, field, &data, &len) < 0)
		return false;
	return len == n + 1 + strlen(value) && !memcmp((const char *)data + n + 1, value, len - n - 1);
}

/*
 * The event's record: the newest entries, back to the trigger, read afresh
 * each time (an entry caught half-written by journald is read again, not
 * skipped for good).
 */
static void read_journal(struct lat *l)
{
	uint64_t t;
	int i;

	sd_journal_process(l->j);
	if (l->got_record || sd_journal_seek_tail(l->j) < 0)
		return;
	for (i = 0; i < 16 && sd_journal_previous(l->j) > 0; i++) {
		if (sd_journal_get_realtime_usec(l->j, &t) < 0 || t < l->trigger_real)
			break;
		if (field_is(l->j, "MESSAGE_ID", l->want_raised ? MID_FAULT_RAISED : MID_FAULT_CLEARED) &&
		    field_is(l->j, "CHARGER_FAULT", FAULT)) {
			l->got_record = true;
			l->rec_real = t;
			break;
		}
	}
}

/* The kernel's uevents: is this one a change of our charger? */
static void read_uevents(struct lat *l)
{
	char buf[8192];
	ssize_t n;

	while ((n = recv(l->uevent_fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		uint64_t mono = clock_us(CLOCK_MONOTONIC), real = clock_us(CLOCK_REALTIME);

		buf[n] = '\0';
		if (uevent_has(buf, n, "SUBSYSTEM=power_supply") &&
		    uevent_has(buf, n, "POWER_SUPPLY_NAME=" PSY) && !l->got_uevent) {
			l->got_uevent = true;
			l->ue_mono = mono;
			l->ue_real = real;
		}
	}
}

/* The event took too long: say what is missing, with chargerd's last words. */
static void overdue(const struct lat *l)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "journalctl --no-pager -n 12 -u %s; "
		 "journalctl --no-pager -n 5 -u systemd-journald", lat_unit);
	sh(cmd);
	fail("event %d: no %s%s%s for a fault %s within 20 s", l->index,
	     l->got_uevent ? "" : "uevent ", l->got_signal ? "" : "signal ",
	     l->got_record ? "" : "record", l->want_raised ? "raised" : "cleared");
}

/*
 * Wait for the event's uevent and signal, then for its record, or fail
 * after 20 s. The bench stamps the uevent and the signal itself, when it
 * receives them, so while they are in flight it waits on nothing else: a
 * bench busy reading the journal would stamp the signal late. The record
 * carries journald's own stamp (when journald received it), which does not
 * depend on when the bench reads it.
 */
static void await(struct lat *l)
{
	uint64_t deadline = clock_us(CLOCK_MONOTONIC) + EVENT_TIMEOUT_US;

	while (!(l->got_uevent && l->got_signal)) {
		struct pollfd p[2] = {
			{ .fd = l->uevent_fd, .events = POLLIN },
			{ .fd = sd_bus_get_fd(l->bus), .events = sd_bus_get_events(l->bus) },
		};

		bool had_uevent = l->got_uevent, had_signal = l->got_signal;
		int r;

		if (clock_us(CLOCK_MONOTONIC) > deadline)
			overdue(l);
		/* the uevent first: one queued with the signal is stamped before it */
		read_uevents(l);
		while ((r = sd_bus_process(l->bus, NULL)) > 0)
			;
		must(r < 0, "the bus connection failed");
		/* both waiting at one wakeup: the uevent's stamp was late as well */
		if (!had_uevent && !had_signal && l->got_uevent && l->got_signal)
			l->same_wakeup = true;
		if (!(l->got_uevent && l->got_signal))
			poll(p, 2, 50);
	}
	sched_sample(l->at_signal);
	for (;;) {
		struct pollfd p = { .fd = sd_journal_get_fd(l->j), .events = sd_journal_get_events(l->j) };

		read_journal(l);
		if (l->got_record)
			break;
		if (clock_us(CLOCK_MONOTONIC) > deadline)
			overdue(l);
		poll(&p, 1, 50);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void percentiles(const char *name, uint64_t *us, int n)
{
	char key[64];

	qsort(us, n, sizeof(us[0]), cmp_u64);
	snprintf(key, sizeof(key), "%s_ms_p50", name);
	figure(key, us[n / 2] / 1000.0);
	snprintf(key, sizeof(key), "%s_ms_p99", name);
	figure(key, us[n * 99 / 100] / 1000.0);
	snprintf(key, sizeof(key), "%s_ms_max", name);
	figure(key, us[n - 1] / 1000.0);
}

/* for sorting the events' numbers by their latency */
static const uint64_t *by_latency;

static int cmp_event(const void *a, const void *b)
{
	uint64_t x = by_latency[*(const int *)a], y = by_latency[*(const int *)b];

	return (x > y) - (x < y);
}

/*
 * Where the slowest 1 % of the events' signals spent their time against
 * the 1 % around the median: each process's mean time on a CPU and waiting
 * for one (us), and the two groups' mean latency (ms). A tail made of
 * waiting is the scheduler's; one made of running is work to remove.
 */
static void attribute(const uint64_t *to_sig, const struct sched *before,
		      const struct sched *after, int n)
{
	int *order = calloc(n, sizeof(*order)), k = n / 100 > 0 ? n / 100 : 1, g, i, p;
	static const char *const group[2] = { "mid", "tail" };

	if (!order)
		fail("no memory");
	for (i = 0; i < n; i++)
		order[i] = i;
	by_latency = to_sig;
	qsort(order, n, sizeof(*order), cmp_event);
	for (g = 0; g < 2; g++) {
		int first = g ? n - k : (n - k) / 2;
		double sig = 0, run[SCHED_PROCS] = { 0 }, wait[SCHED_PROCS] = { 0 };
		char key[64];

		for (i = first; i < first + k; i++) {
			int e = order[i];

			sig += to_sig[e];
			for (p = 0; p < SCHED_PROCS; p++) {
				run[p] += after[e].run_ns[p] - before[e].run_ns[p];
				wait[p] += after[e].wait_ns[p] - before[e].wait_ns[p];
			}
		}
		snprintf(key, sizeof(key), "%s_signal_ms", group[g]);
		figure(key, sig / k / 1000.0);
		for (p = 0; p < SCHED_PROCS; p++) {
			snprintf(key, sizeof(key), "%s_run_us_%s", group[g], sched_name[p]);
			figure(key, run[p] / k / 1000.0);
			snprintf(key, sizeof(key), "%s_wait_us_%s", group[g], sched_name[p]);
			figure(key, wait[p] / k / 1000.0);
		}
	}
	free(order);
}

static void latency(int events)
{
	uint64_t *to_sig = calloc(events, sizeof(*to_sig));
	uint64_t *to_rec = calloc(events, sizeof(*to_rec));
	struct sched *before = calloc(events, sizeof(*before));
	struct sched *at_sig = calloc(events, sizeof(*at_sig));
	struct lat l = { .uevent_fd = uevent_open() };
	/* chargerd's own counters; the relay has none */
	bool counters = !strcmp(lat_name, "chargerd");
	struct looks la, lb;
	char match[64];
	int i, late = 0;

	if (!to_sig || !to_rec || !before || !at_sig || l.uevent_fd < 0)
		fail("no memory or no uevent socket");
	must(sd_bus_open_system(&l.bus) < 0, "connect to the system bus");
	must(sd_bus_match_signal(l.bus, NULL, BUS_IFACE_NAME, "/org/chargerd/Charger1",
				 BUS_IFACE_NAME, NULL, on_signal, &l) < 0, "add a D-Bus match");
	must(sd_journal_open(&l.j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM) < 0, "open the journal");
	snprintf(match, sizeof(match), "_SYSTEMD_UNIT=%s", lat_unit);
	must(sd_journal_add_match(l.j, match, 0) < 0, "journal match");
	sd_journal_get_fd(l.j);	/* inotify from here on */
	/*
	 * The chip raises no INT when a fault ends (its datasheet): the
	 * driver sees the end at its fault poll, 5 s. The latency is taken
	 * from the kernel's uevent, so a quick poll only makes the run quick.
	 */
	must(write_file(FAULT_POLL, "50") != 0, "shorten the driver's fault poll");

	counters = counters && looks_read(&la);

	/*
	 * The uevent's stamp is the bench's receipt of it (netlink carries no
	 * time of its own). Run as it was, the bench often woke only after
	 * the agent had sent its signal (one vCPU: p50 0 ms; two: 130 of 1000
	 * events, 2026-12-03). SCHED_FIFO for the loop: it wakes at once at
	 * the uevent and at the signal, ahead of the agent and dbus-daemon
	 * (SCHED_OTHER), stamps, and sleeps again.
	 */
	must(sched_getparam(0, &l.param) != 0 || (l.policy = sched_getscheduler(0)) < 0,
	     "read the bench's scheduling");
	sched_find();
	bench_fifo(&l, true);
	for (i = 0; i < events; i++) {
		l.index = i;
		l.want_raised = !(i % 2);
		l.got_uevent = l.got_signal = l.got_record = l.same_wakeup = false;
		l.at_signal = &at_sig[i];
		sched_sample(&before[i]);
		l.trigger_real = clock_us(CLOCK_REALTIME);
		must(knob_set("inject", l.want_raised ? FAULT : "clear"), "inject the fault");
		await(&l);
		to_sig[i] = l.sig_mono > l.ue_mono ? l.sig_mono - l.ue_mono : 0;
		to_rec[i] = l.rec_real > l.ue_real ? l.rec_real - l.ue_real : 0;
		/* the bench got to the uevent with or after the signal, or after the record */
		late += l.same_wakeup || !to_sig[i] || !to_rec[i];
	}
	bench_fifo(&l, false);
	write_file(FAULT_POLL, "5000");
	figure("latency_events", events);
	/*
	 * Events whose uevent the bench got to only with or after their
	 * signal, or after journald stamped their record: their latency
	 * reads low (0 if after).
	 */
	figure("latency_stamped_late", late);
	/* where chargerd's time went in those resyncs (its report's counters) */
	if (counters && looks_read(&lb))
		looks_figures("resync", &la, &lb);
	attribute(to_sig, before, at_sig, events);
	percentiles("uevent_to_signal", to_sig, events);
	percentiles("uevent_to_journal", to_rec, events);
	sd_journal_close(l.j);
	sd_bus_flush_close_unref(l.bus);
	close(l.uevent_fd);
	free(to_sig);
	free(to_rec);
	free(before);
	free(at_sig);
}

/* --- the run -------------------------------------------------------------- */

static void start_agent(void)
{
	if (!strcmp(agent, "chargerd")) {
		/* the journal's rate limit open; no load test pausing a charge */
		must(sh("mkdir -p /etc/chargerd && printf '[journal]\\nratelimit_interval_s = 1\\n"
			"ratelimit_burst = 1000\\n[diagnosis]\\nload_test = 0\\n' > " CONF), CONF);
		must(sh("systemctl stop upower 2>/dev/null; systemctl reset-failed chargerd; "
			"systemctl restart chargerd"), "start chargerd");
		must(until("chargerctl --json status 2>/dev/null | grep -q '\"Charger\": \"" PSY "\"'"),
		     "chargerd did not find the charger");
	} else {
		must(sh("systemctl stop chargerd && systemctl start upower"), "start upower");
		must(until("upower -e 2>/dev/null | grep -q battery_"), "upowerd did not find the battery");
	}
}

static void stop_agent(void)
{
	if (!strcmp(agent, "chargerd"))
		sh("rm -f " CONF "; systemctl restart chargerd");
	else
		sh("systemctl stop upower; systemctl start chargerd");
}

/*
 * The latency's floor: uevent_relay (beside this program) in chargerd's
 * place, on the same emulated device charging from a DCP with the model's
 * clock stopped (brought up afresh), over as many fault raises and clears.
 * The relay owns chargerd's bus name (Type=dbus: a start that cannot own
 * it fails here, not as a missing signal later).
 */
static int floor_latency(const char *argv0, int events)
{
	char self[PATH_MAX], relay[PATH_MAX + 16], cmd[PATH_MAX + 256], *slash;

	slash = realpath(argv0, self) ? strrchr(self, '/') : NULL;
	if (!slash)
		fail("cannot find where agent_bench is: uevent_relay is beside it");
	*slash = '\0';
	snprintf(relay, sizeof(relay), "%s/uevent_relay", self);
	if (access(relay, X_OK))
		fail("no %s: make all", relay);
	lat_unit = "uevent-relay.service";
	lat_name = "relay";
	must(drv_up("create_clients=1", NULL), "bring up the emulator and the driver");
	must(until("grep -qx Battery /sys/class/power_supply/*/type 2>/dev/null"), "no battery");
	snprintf(cmd, sizeof(cmd), "systemctl stop chargerd upower 2>/dev/null; "
		 "systemctl reset-failed uevent-relay 2>/dev/null; "
		 "systemd-run -q --unit=uevent-relay -p Type=dbus -p BusName=org.chargerd.Charger1 "
		 "-p User=chargerd %s", relay);
	must(sh(cmd), "start uevent_relay");
	must(knob_set("source", "dcp"), "plug a DCP");
	sleep(5);
	must(knob_set("rate", "0"), "stop the model's clock");
	latency(events);
	sh("systemctl stop uevent-relay");
	must(knob_set("source", "none"), "unplug");
	sh("systemctl start chargerd");
	must(drv_down(), "take the driver and the emulator down");
	return 0;
}

/*
 * AGENT_PHASES: a comma-separated subset of "windows,latency,cpu" to run
 * (unset: all; memory is always taken), for tests/bench/ab's runs of the
 * CPU phase alone. Stops at a word it does not know.
 */
static bool phase(const char *name)
{
	const char *p = getenv("AGENT_PHASES"), *end;
	bool found = false;
	size_t n;

	if (!p)
		return true;
	for (;; p = end + 1) {
		n = strcspn(p, ",");
		end = p + n;
		if (!(n == 7 && !strncmp(p, "windows", n)) && !(n == 7 && !strncmp(p, "latency", n)) &&
		    !(n == 3 && !strncmp(p, "cpu", n)))
			fail("AGENT_PHASES='%s': a comma-separated subset of windows,latency,cpu",
			     getenv("AGENT_PHASES"));
		found |= strlen(name) == n && !strncmp(p, name, n);
		if (!*end)
			break;
	}
	return found;
}

int main(int argc, char **argv)
{
	const char *w = getenv("AGENT_WINDOW_S"), *e = getenv("BENCH_EVENTS");
	int window_s = w ? atoi(w) : 60, events = e ? atoi(e) : 1000;
	pid_t pid;

	if (argc != 2 || (strcmp(argv[1], "chargerd") && strcmp(argv[1], "upowerd") &&
			  strcmp(argv[1], "floor")))
		fail("usage: agent_bench chargerd|upowerd|floor");
	if (window_s < 1 || events < 2)
		fail("AGENT_WINDOW_S and BENCH_EVENTS must be positive numbers");
	phase("");	/* a bad AGENT_PHASES stops here, before anything is done */
	agent = argv[1];
	if (!strcmp(agent, "floor"))
		return floor_latency(argv[0], events);

	must(drv_up("create_clients=1", NULL), "bring up the emulator and the driver");
	must(until("grep -qx Battery /sys/class/power_supply/*/type 2>/dev/null"), "no battery");
	start_agent();
	pid = agent_pid();
	if (pid <= 0)
		fail("%s is not running", agent);

	sleep(5);
	memory(pid, "started");

	/*
	 * On battery, nothing happening; then charging from a DCP. chargerd
	 * wakes a few times an hour: one wakeup in a 60 s window is 60 an
	 * hour, so its windows are 10 and 5 times as long (one wakeup is 6
	 * and 12 an hour at the defaults).
	 */
	if (phase("windows")) {
		must(knob_set("rate", "1"), "run the model in real time");
		window(pid, "battery", strcmp(agent, "chargerd") ? window_s : 10 * window_s);
	}
	must(knob_set("source", "dcp"), "plug a DCP");
	if (phase("windows"))
		window(pid, "charging", strcmp(agent, "chargerd") ? window_s : 5 * window_s);
	must(knob_set("rate", "0"), "stop the model's clock");

	if (!strcmp(agent, "chargerd") && phase("latency"))
		latency(events);
	if (phase("cpu"))
		cpu_per_1000();
	memory(pid, "after");
	if (pid != agent_pid())
		fail("%s restarted during the bench", agent);

	must(knob_set("source", "none"), "unplug");
	stop_agent();
	must(drv_down(), "take the driver and the emulator down");
	return 0;
}
