// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, growth: how chargerd's costs grow with what the device has
 * accumulated. For each of 10, 100, 1000 and 10000 recorded sessions
 * (GROWTH_SIZES overrides; [history] max_sessions raised to hold them):
 *
 *   start_ms               systemctl start chargerd until it is ready
 *                          (Type=notify: the history is loaded by then)
 *   get_history_ms         GetHistory(0), every session, median of 5 calls
 *   get_report_ms          GetReport, median of 5
 *   get_plot_ms            GetPlot(0), the last session (its samples file
 *                          is the same size at every N), median of 5
 *   ctl_history_ms         chargerctl history (every session, as a table),
 *   ctl_history_peak_kib   its wall time (median of 5) and peak RSS
 *   chargerd_peak_kib      chargerd's peak RSS (VmHWM) after all the calls
 *
 * The history is written as chargerd writes it (history_encode(), one
 * line a session) into a state directory emptied first, then handed to
 * the chargerd user. Prints "BENCH growth.N.key value" lines; at the end
 * the state directory and the configuration are removed and chargerd is
 * started again as before.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>

#define BENCH_NAME	"growth_bench"
#include "bench.h"
#include "../../agent/history.h"
#include "../../agent/plot.h"

#define STATE_DIR	"/var/lib/chargerd"
#define CONF		"/etc/chargerd/chargerd.conf"
#define CALLS		5
#define PLOT_SAMPLES	2000

static int sh(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* n sessions, an hour apart, ending now; the last one's samples file too. */
static void write_history(unsigned int n)
{
	char line[HISTORY_LINE_MAX], path[128];
	time_t t0 = time(NULL) - (time_t)n * 3600;
	struct session_record r;
	unsigned int i;
	int fd, len;
	FILE *f;

	if (sh("systemctl stop chargerd && rm -rf " STATE_DIR " && mkdir -p " STATE_DIR
	       "/sessions /etc/chargerd"))
		fail("could not stop chargerd and empty its state");
	f = fopen(CONF, "we");
	if (!f)
		fail("cannot write %s", CONF);
	fprintf(f, "[history]\nmax_sessions = %u\n[diagnosis]\nload_test = 0\n", n);
	fclose(f);
	f = fopen(STATE_DIR "/" HISTORY_LOG, "we");
	if (!f)
		fail("cannot write the history");
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.id = i + 1;
		r.start = t0 + (int64_t)i * 3600;
		r.start_clock = START_CLOCK_SYNCED;	/* a v=2 line, as chargerd writes now */
		r.duration_s = 2400 + i % 1200;
		r.energy_mwh = 1500 + i % 700;
		r.charge_mah = 400 + i % 180;
		r.peak_ma = 1000 + i % 500;
		r.start_capacity = 20 + i % 30;
		r.end_capacity = 100 - i % 20;
		r.max_temp_dc = 300 + i % 80;
		r.faults = i % 50 ? 0 : 1;
		r.fault_events = r.faults ? 1 : 0;
		r.reached_full = r.end_capacity == 100;
		snprintf(r.source, sizeof(r.source), "%s", i % 3 ? "dcp" : "sdp");
		snprintf(r.usb_type, sizeof(r.usb_type), "%s", i % 3 ? "DCP" : "SDP");
		snprintf(r.end_reason, sizeof(r.end_reason), "unplugged");
		len = history_encode(&r, line, sizeof(line));
		if (len < 0 || fwrite(line, 1, len, f) != (size_t)len)
			fail("encoding session %u", i + 1);
	}
	if (fclose(f))
		fail("writing the history");
	snprintf(path, sizeof(path), STATE_DIR "/sessions/%u.samples", n);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fail("cannot write %s", path);
	for (i = 0; i < PLOT_SAMPLES; i++) {
		struct plot_sample s = {
			.t_s = i, .capacity = 20 + i * 80 / PLOT_SAMPLES, .current_ma = 1500 - i / 2,
			.voltage_mv = 3700 + i / 4, .temp_dc = 250 + i / 40,
		};

		if (plot_append_sample(fd, &s))
			fail("writing samples");
	}
	close(fd);
	if (sh("chown -R chargerd:chargerd " STATE_DIR))
		fail("cannot give the state to the chargerd user");
}

static long chargerd_hwm_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f;

	f = popen("cat /proc/$(systemctl show -P MainPID chargerd)/status", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld", &kib) == 1)
			break;
	pclose(f);
	return kib;
}

/* One method call's wall time in ms (median of CALLS); fails on an error. */
static double call_ms(sd_bus *bus, const char *method, const char *sig, ...)
{
	double t[CALLS];
	int i, r;

	for (i = 0; i < CALLS; i++) {
		sd_bus_error e = SD_BUS_ERROR_NULL;
		sd_bus_message *m = NULL, *reply = NULL;
		double t0;

		r = sd_bus_message_new_method_call(bus, &m, "org.chargerd.Charger1",
						   "/org/chargerd/Charger1", "org.chargerd.Charger1",
						   method);
		if (r >= 0 && !strcmp(sig, "u"))
			r = sd_bus_message_append(m, "u", 0);
		else if (r >= 0 && !strcmp(sig, "t"))
			r = sd_bus_message_append(m, "t", (uint64_t)0);
		t0 = now_ms();
		if (r >= 0)
			r = sd_bus_call(bus, m, 60 * 1000000ULL, &e, &reply);
		t[i] = now_ms() - t0;
		if (r < 0)
			fail("%s: %s", method, e.message ? e.message : strerror(-r));
		sd_bus_error_free(&e);
		sd_bus_message_unref(m);
		sd_bus_message_unref(reply);
	}
	return median(t, CALLS);
}

/* chargerctl history: wall time (median of CALLS) and the peak RSS. */
static double ctl_history_ms(long *peak_kib)
{
	double t[CALLS];
	struct rusage ru;
	int i, status;
	pid_t pid;

	*peak_kib = 0;
	for (i = 0; i < CALLS; i++) {
		double t0 = now_ms();

		pid = fork();
		if (pid < 0)
			fail("fork");
		if (!pid) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			execlp("chargerctl", "chargerctl", "history", (char *)NULL);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			fail("chargerctl history failed");
		t[i] = now_ms() - t0;
		if (ru.ru_maxrss > *peak_kib)
			*peak_kib = ru.ru_maxrss;
	}
	return median(t, CALLS);
}

int main(void)
{
	const char *sizes = getenv("GROWTH_SIZES");
	char *list = strdup(sizes ? sizes : "10 100 1000 10000"), *tok, *save = NULL;
	sd_bus *bus = NULL;

	for (tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		unsigned int n = strtoul(tok, NULL, 10);
		double t0, start;
		long peak;

		if (n < 1 || n > 100000)
			fail("GROWTH_SIZES: 1 to 100000 sessions");
		write_history(n);
		t0 = now_ms();
		if (sh("systemctl start chargerd"))
			fail("chargerd did not start with %u sessions", n);
		start = now_ms() - t0;
		if (sd_bus_open_system(&bus) < 0)
			fail("no system bus");
		printf("BENCH growth.%u.start_ms %.1f\n", n, start);
		printf("BENCH growth.%u.get_history_ms %.1f\n", n, call_ms(bus, "GetHistory", "u"));
		printf("BENCH growth.%u.get_report_ms %.1f\n", n, call_ms(bus, "GetReport", ""));
		printf("BENCH growth.%u.get_plot_ms %.1f\n", n, call_ms(bus, "GetPlot", "t"));
		printf("BENCH growth.%u.ctl_history_ms %.1f\n", n, ctl_history_ms(&peak));
		printf("BENCH growth.%u.ctl_history_peak_kib %ld\n", n, peak);
		printf("BENCH growth.%u.chargerd_peak_kib %ld\n", n, chargerd_hwm_kib());
		fflush(stdout);
		bus = sd_bus_flush_close_unref(bus);
	}
	free(list);
	if (sh("systemctl stop chargerd && rm -rf " STATE_DIR " " CONF " && systemctl start chargerd"))
		fail("could not put chargerd back as it was");
	return 0;
}
