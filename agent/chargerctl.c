// SPDX-License-Identifier: GPL-2.0
/*
 * chargerctl: chargerd's command line, over D-Bus (org.chargerd.Charger1).
 * Human output by default, --json on every verb but hold (whose standard
 * output is its command's; errors are text on stderr). Exit codes: 0 done,
 * 1 failed, 2 bad usage or value, 3 chargerd not running or not
 * answering (or no system bus, or one that does not answer), 4 permission
 * denied.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "clock.h"
#include "ctl.h"
#include "report_html.h"
#include "ctl_text.h"
#include "faults.h"

bool json_out;
static const char *plot_path;	/* report --plot FILE */
static const char *html_path;	/* report --html FILE */
static uint64_t plot_session_id;	/* report --session ID */
static bool session_given;

static void usage(FILE *f)
{
	fputs("usage: chargerctl [--json] VERB [ARGS]\n"
	      "       chargerctl --help | --version\n"
	      "  status                  the charger and battery now\n"
	      "  history [-n N]          charge sessions, newest first\n"
	      "  diagnose                the likely causes of a charging problem, and what to do\n"
	      "  report [--plot FILE] [--html FILE] [--session N]\n"
	      "                          the support bundle (JSON); --plot also draws a\n"
	      "                          session (default: the current or last) as SVG;\n"
	      "                          --html writes it as one page for a person instead\n"
	      "  monitor                 follow faults, sessions and changes live\n"
	      "  in-use [on|off|auto]    show or set whether the device is in use\n"
	      "  thresholds [STOP RESUME]  show or set the in-use charge limits (%)\n"
	      "  hold [--] COMMAND [ARG...]\n"
	      "                          the device is in use while COMMAND runs (in auto\n"
	      "                          mode); its exit status is chargerctl's\n"
	      "exit: 0 ok, 1 failed, 2 usage, 3 chargerd or the bus not there or not answering,\n"
	      "      4 permission denied\n",
	      f);
}

static int cmd_status(sd_bus *bus)
{
	struct json_object *o;
	int r = get_all(bus, &o);

	if (r)
		return r;
	if (json_out)
		print_json(o);
	else
		status_text(stdout, o);
	json_object_put(o);
	return EXIT_OK;
}

static int cmd_history(sd_bus *bus, uint32_t max)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(json_putp) struct json_object *a = NULL;
	struct json_object *s;
	int r;

	r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE, "GetHistory", &e, &reply,
			       "u", max);
	if (r < 0)
		return fail(r, &e, "reading the history");
	a = json_object_new_array();
	r = sd_bus_message_enter_container(reply, 'a', "(txuuuuiiiasubsss)");
	while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'r', "txuuuuiiiasubsss")) > 0) {
		s = session_json(reply);
		if (!s) {
			r = -EBADMSG;
			break;
		}
		json_object_array_add(a, s);
		r = sd_bus_message_exit_container(reply);
	}
	if (r < 0)
		return fail(r, NULL, "decoding the history");
	if (json_out)
		print_json(a);
	else
		history_text(stdout, a);
	return EXIT_OK;
}

/*
 * GetPlot of session id (0: the one in progress, else the last): the SVG
 * in *svg, valid while *reply lives. Returns EXIT_OK or the failure's
 * status, said on stderr.
 */
static int get_plot(sd_bus *bus, uint64_t id, sd_bus_message **reply, const char **svg)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE, "GetPlot", &e, reply, "t", id);
	if (r >= 0)
		r = sd_bus_message_read(*reply, "s", svg);
	return r < 0 ? fail(r, &e, "plotting the session") : EXIT_OK;
}

/* The SVG plot svg into path. */
static int save_plot(const char *svg, const char *path)
{
	FILE *f;

	f = fopen(path, "w");
	if (!f || fputs(svg, f) < 0 || fclose(f)) {
		fprintf(stderr, "chargerctl: %s: %s\n", path, strerror(errno));
		return EXIT_FAIL;
	}
	fprintf(stderr, "chargerctl: the session plot is in %s\n", path);
	return EXIT_OK;
}

/*
 * The report as one HTML page in path: GetReport, Diagnose and the plot
 * of session id (0: the current or last; none yet is not an error), or
 * plot when the caller fetched it already (report --plot too: one
 * GetPlot, so both show the same session).
 */
static int get_diagnoses(sd_bus *bus, struct json_object **out);

static int write_html(sd_bus *bus, const char *text, uint64_t id, const char *plot,
		      const char *path)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(json_putp) struct json_object *report = NULL, *diag = NULL;
	_cleanup_(freep) char *html = NULL;
	struct report_html_opts o = { 0 };
	struct json_object *synced;
	const char *svg = NULL;
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;
	int r;

	report = json_tokener_parse(text);
	if (!report) {
		fprintf(stderr, "chargerctl: the report from chargerd is not JSON\n");
		return EXIT_FAIL;
	}
	r = get_diagnoses(bus, &diag);
	if (r)
		return r;
	svg = plot;
	r = 0;
	if (!svg) {
		r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE, "GetPlot", &e, &reply,
				       "t", id);
		if (r >= 0)
			r = sd_bus_message_read(reply, "s", &svg);
	}
	/* no session yet is a page without a plot; a session asked for must be there */
	if (r < 0 && (id || !sd_bus_error_has_name(&e, SD_BUS_ERROR_FILE_NOT_FOUND)))
		return fail(r, &e, "plotting the session");
	/*
	 * times as the device's clock shows them, if chargerd trusts it
	 * (it saw the clock set, chargerctl did not); an older chargerd's
	 * report does not say: timesyncd's flag
	 */
	o.wall_clock = json_object_object_get_ex(report, "wall_clock_synced", &synced) ?
		       json_object_get_boolean(synced) : wall_clock_synced();
	if (localtime_r(&now, &tm))
		o.utc_offset_s = tm.tm_gmtoff;
	html = report_html(report, diag, r < 0 ? NULL : svg, &o);
	if (!html)
		return fail(-ENOMEM, NULL, "writing the page");
	f = fopen(path, "w");
	if (!f || fputs(html, f) < 0 || fclose(f)) {
		fprintf(stderr, "chargerctl: %s: %s\n", path, strerror(errno));
		return EXIT_FAIL;
	}
	fprintf(stderr, "chargerctl: the report is in %s\n", path);
	return EXIT_OK;
}

static int cmd_report(sd_bus *bus)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL, *plot = NULL;
	const char *text, *svg = NULL;
	int r;

	/*
	 * the plot first, saved: a plot that fails, or a file that cannot be
	 * written, is the report's failure, before any output (helper-90:
	 * the whole JSON printed, then exit 1 for a folder that is not there)
	 */
	if (plot_path) {
		r = get_plot(bus, plot_session_id, &plot, &svg);
		if (!r)
			r = save_plot(svg, plot_path);
		if (r)
			return r;
	}
	r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE, "GetReport", &e, &reply, "");
	if (r >= 0)
		r = sd_bus_message_read(reply, "s", &text);
	if (r < 0)
		return fail(r, &e, "reading the report");
	if (html_path) {
		r = write_html(bus, text, plot_session_id, svg, html_path);
		if (r)
			return r;
	} else {
		printf("%s\n", text);	/* it is JSON either way */
	}
	return EXIT_OK;
}

/* Diagnose's results as a JSON array of {code, severity, summary, evidence, fix}. */
static int get_diagnoses(sd_bus *bus, struct json_object **out)
{
	static const char *const keys[] = { "code", "severity", "summary", "evidence", "fix" };
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(json_putp) struct json_object *a = NULL;
	struct json_object *o;
	const char *v[5];
	size_t k;
	int r;

	r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE, "Diagnose", &e, &reply, "");
	if (r < 0)
		return fail(r, &e, "diagnosing");
	a = json_object_new_array();
	r = sd_bus_message_enter_container(reply, 'a', "(sssss)");
	while (r >= 0 && (r = sd_bus_message_read(reply, "(sssss)", &v[0], &v[1], &v[2], &v[3],
						  &v[4])) > 0) {
		o = json_object_new_object();
		for (k = 0; k < 5; k++)
			json_object_object_add(o, keys[k], json_object_new_string(v[k]));
		json_object_array_add(a, o);
	}
	if (r < 0)
		return fail(r, NULL, "decoding the diagnosis");
	*out = a;
	a = NULL;
	return EXIT_OK;
}

static int cmd_diagnose(sd_bus *bus)
{
	_cleanup_(json_putp) struct json_object *a = NULL;
	struct json_object *o;
	size_t i;
	int r;

	r = get_diagnoses(bus, &a);
	if (r)
		return r;
	if (json_out) {
		print_json(a);
	} else if (!json_object_array_length(a)) {
		printf("No charging problem found.\n");
	} else {
		printf("Likely causes, the most likely first:\n");
		for (i = 0; i < json_object_array_length(a); i++) {
			o = json_object_array_get_idx(a, i);
			printf("\n%zu. %s (%s)\n   %s\n   Evidence: %s\n   What to do: %s\n", i + 1,
			       jstr(o, "code"), jstr(o, "severity"), jstr(o, "summary"),
			       jstr(o, "evidence"), jstr(o, "fix"));
		}
	}
	return EXIT_OK;
}

static int call_setter(sd_bus *bus, const char *method, const char *sig, ...)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	va_list ap;
	int r;

	r = sd_bus_message_new_method_call(bus, &m, BUS_NAME, BUS_PATH, BUS_IFACE, method);
	if (r >= 0) {
		va_start(ap, sig);
		r = sd_bus_message_appendv(m, sig, ap);
		va_end(ap);
	}
	if (r >= 0)
		r = sd_bus_call(bus, m, 0, &e, NULL);
	if (r < 0)
		return fail(r, &e, method);
	return EXIT_OK;
}

/* The answer of a chargerd that came on the bus to the hold asked of it. */
static int on_hold_reply(sd_bus_message *m, void *data, sd_bus_error *unused)
{
	const sd_bus_error *e = sd_bus_message_get_error(m);

	/* no answer (yet): a chargerd that answers later holds all the same */
	if (e && sd_bus_error_has_names(e, SD_BUS_ERROR_NO_REPLY, SD_BUS_ERROR_TIMEOUT))
		return 0;
	if (e)
		fprintf(stderr, "chargerctl: chargerd started, but did not take the hold: %s\n",
			e->message ? e->message : e->name);
	else
		fprintf(stderr, "chargerctl: chargerd started: in use held\n");
	return 0;
}

/*
 * org.chargerd.Charger1 has a new owner: a chargerd started (after a stop,
 * a crash, a restart). The hold is asked of it; one that kept it across its
 * restart (agent/holds.h) answers as for a hold it has.
 */
static int on_chargerd_owner(sd_bus_message *m, void *data, sd_bus_error *unused)
{
	const char *name, *from, *to;

	if (sd_bus_message_read(m, "sss", &name, &from, &to) < 0 || !to[0])
		return 0;
	sd_bus_call_method_async(sd_bus_message_get_bus(m), NULL, BUS_NAME, BUS_PATH, BUS_IFACE,
				 "SetInUse", on_hold_reply, NULL, "b", 1);
	return 0;
}

/* The NameOwnerChanged match is in place (m's reply), or not (m NULL or an error). */
static int on_watch_added(sd_bus_message *m, void *data, sd_bus_error *unused)
{
	if (!m || sd_bus_message_is_method_error(m, NULL))
		fprintf(stderr, "chargerctl: cannot watch the bus for chargerd: "
			"a chargerd that starts later is not asked for the hold\n");
	return 0;
}

/* The bus closed the connection while the command runs: the hold is gone. */
static int on_bus_lost(sd_bus_message *m, void *data, sd_bus_error *unused)
{
	fprintf(stderr, "chargerctl: lost the system bus: the hold is gone, the command runs on\n");
	return 0;
}

/*
 * The signals hold passes on to its command: chargerctl stands in for it
 * (a unit's ExecReload=kill -HUP $MAINPID, a kill by pid), and the hold
 * lasts as long as the command does. They are blocked from before the
 * fork until chargerctl exits; the command gets its own mask back.
 */
static const int hold_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2 };

/*
 * Pass a signal sent by a process (kill(2), sigqueue(3)) on to the
 * command. One the kernel sent (a terminal's ^C, ^\ or hangup) went to
 * the whole foreground process group, the command included: not twice.
 */
static int on_hold_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *data)
{
	pid_t pid = *(pid_t *)data;

	if ((si->ssi_code == SI_USER || si->ssi_code == SI_QUEUE || si->ssi_code == SI_TKILL) &&
	    (pid_t)si->ssi_pid != pid)
		kill(pid, si->ssi_signo);
	return 0;
}

/* set = hold_signals */
static void hold_signal_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < sizeof(hold_signals) / sizeof(hold_signals[0]); i++)
		sigaddset(set, hold_signals[i]);
}

/* The signal that ended hold's command, for chargerctl to end by (hold_exit()). */
static int hold_died_of;

static int on_command_exit(sd_event_source *s, const siginfo_t *si, void *data)
{
	int *status = data;

	*status = si->si_code == CLD_EXITED ? si->si_status : 128 + si->si_status;
	if (si->si_code != CLD_EXITED)
		hold_died_of = si->si_status;
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

/*
 * End as hold's command ended: by the same signal, when a signal ended
 * it, as timeout(1) does. A unit's stop (SIGTERM passed on) is then a
 * clean stop to systemd, not a failure with status 143, and a calling
 * shell's ^C stops the shell's script too. No core of chargerctl's own.
 */
static int hold_exit(int status)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t set;

	if (!hold_died_of)
		return status;
	setrlimit(RLIMIT_CORE, &no_core);
	signal(hold_died_of, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, hold_died_of);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(hold_died_of);
	return status;	/* a signal whose default is not to end (SIGCHLD, SIGWINCH) */
}

/*
 * Wait for the command pid (SIGCHLD and hold_signals blocked), answering
 * chargerd's comings on bus (NULL: none) and passing signals on
 * meanwhile; its exit status, or 128 + the signal that ended it.
 */
static int hold_wait(sd_bus *bus, pid_t pid)
{
	_cleanup_(sd_event_unrefp) sd_event *ev = NULL;
	int r, status = -1;
	sigset_t set;
	size_t i;

	r = sd_event_new(&ev);
	if (r >= 0)
		r = sd_event_add_child(ev, NULL, pid, WEXITED, on_command_exit, &status);
	for (i = 0; r >= 0 && i < sizeof(hold_signals) / sizeof(hold_signals[0]); i++)
		r = sd_event_add_signal(ev, NULL, hold_signals[i], on_hold_signal, &pid);
	if (r >= 0 && bus) {
		/* the hold is let go below, not by closing the bus at the loop's end */
		sd_bus_set_close_on_exit(bus, 0);
		sd_bus_match_signal(bus, NULL, NULL, "/org/freedesktop/DBus/Local",
				    "org.freedesktop.DBus.Local", "Disconnected", on_bus_lost, NULL);
		r = sd_bus_attach_event(bus, ev, SD_EVENT_PRIORITY_NORMAL);
	}
	if (r >= 0)
		r = sd_event_loop(ev);
	if (bus)
		sd_bus_detach_event(bus);
	if (status >= 0)
		return status;
	/* no event loop: wait without the bus, and with the signals' own actions */
	ev = sd_event_unref(ev);
	hold_signal_set(&set);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAIL;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	hold_died_of = WTERMSIG(status);
	return 128 + WTERMSIG(status);
}

/*
 * Let go of the hold without waiting for an answer: closing the connection
 * would end it too, but a SetInUse(false) queued ahead of the disconnect
 * ends it as soon as chargerd reads it (a release asks no permission, so
 * the sender being gone by then does not matter). A hung chargerd (or
 * bus) does not keep the player's exit waiting: no reply is asked for,
 * and a failure is of no consequence, as the connection closes next.
 */
static void hold_let_go(sd_bus *bus)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;

	if (sd_bus_message_new_method_call(bus, &m, BUS_NAME, BUS_PATH, BUS_IFACE,
					   "SetInUse") < 0 ||
	    sd_bus_message_set_expect_reply(m, 0) < 0 ||
	    sd_bus_message_append(m, "b", 0) < 0 ||
	    sd_bus_send(bus, m, NULL) < 0)
		return;
	sd_bus_flush(bus);
}

/*
 * hold: SetInUse(true) on this connection, run COMMAND, and exit with its
 * status. The hold is the connection's: it ends when chargerctl does,
 * however it ends (chargerd sees the connection go), as systemd-inhibit's.
 * chargerctl stands in for COMMAND: the signals a unit or kill(1) sends
 * it are passed on (hold_signals), and it ends when COMMAND does.
 * A chargerd that is not there (stopped, failed, not answering; bus NULL:
 * no system bus, or one that did not answer its handshake) does not keep
 * COMMAND from running: a player plays
 * whatever becomes of the charger's daemon. The hold is then asked of the
 * next chargerd to come on the bus. A refusal (permission, limits) is an
 * answer: COMMAND does not run.
 */
/* hold's first calls: a player waits at most this long for each, should the bus or chargerd hang */
#define HOLD_CALL_TIMEOUT_USEC	(5 * 1000000ULL)

static int cmd_hold(sd_bus *bus, char **cmd)
{
	struct json_object *o;
	pid_t pid, parent = getpid();
	sigset_t block, old;
	int r = EXIT_NOT_RUNNING;

	/*
	 * Watched before asking (the bus adds the match before it passes on
	 * the call after it): a chargerd that comes after the answer is seen.
	 * Not waited for: a bus that hangs costs the player one wait, not two.
	 * Sent with sd-bus's default timeout (25 s), before the 5 s below: its
	 * answer, read only once the loop runs, must not be timed out by then
	 * (sd-bus would drop the match with it).
	 */
	if (bus && sd_bus_add_match_async(bus, NULL,
					  "type='signal',sender='org.freedesktop.DBus',"
					  "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
					  "member='NameOwnerChanged',arg0='" BUS_NAME "'",
					  on_chargerd_owner, on_watch_added, NULL) < 0 &&
	    sd_bus_is_open(bus) > 0)
		on_watch_added(NULL, NULL, NULL);
	/* a player waits this long at most for each call a hung chargerd leaves unanswered */
	if (bus)
		sd_bus_set_method_call_timeout(bus, HOLD_CALL_TIMEOUT_USEC);
	if (bus && sd_bus_is_open(bus) > 0) {
		r = call_setter(bus, "SetInUse", "b", 1);
	} else if (bus) {
		/* the bus closed the connection (a user it cannot look up) */
		r = fail(-ECONNRESET, NULL, "SetInUse");
	}
	if (r == EXIT_NOT_RUNNING) {
		if (bus && sd_bus_is_open(bus) <= 0)
			bus = NULL;
		fprintf(stderr, "chargerctl: %s runs without the hold%s\n", cmd[0],
			bus ? "; it is taken when chargerd starts" : "");
	} else if (r) {
		return r;
	} else if (!get_all(bus, &o)) {
		if (!strcmp(jstr(o, "InUseMode"), "on"))
			fprintf(stderr, "chargerctl: in-use mode is on: the in-use limit applies "
				"with or without the hold\n");
		else if (strcmp(jstr(o, "InUseMode"), "auto"))
			fprintf(stderr, "chargerctl: in-use mode is %s: the hold has no effect "
				"until the mode is auto\n", jstr(o, "InUseMode"));
		json_object_put(o);
	}
	/* the calls while the command runs: sd-bus's default (0), 25 s */
	if (bus)
		sd_bus_set_method_call_timeout(bus, 0);
	hold_signal_set(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "chargerctl: fork: %s\n", strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		return EXIT_FAIL;
	}
	if (!pid) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		/* the hold ends with chargerctl, however it ends: so does the command */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
			_exit(127);
		execvp(cmd[0], cmd);
		r = errno;
		fprintf(stderr, "chargerctl: %s: %s\n", cmd[0], strerror(r));
		/* as env(1) and timeout(1): 127 not found, 126 found but not run */
		_exit(r == ENOENT ? 127 : 126);
	}
	r = hold_wait(bus, pid);
	if (bus)
		hold_let_go(bus);
	return r;
}

/* After a setter, or without arguments: show the in-use settings. */
static int show_in_use(sd_bus *bus)
{
	struct json_object *o, *out;
	int r = get_all(bus, &o);

	if (r)
		return r;
	if (json_out) {
		out = json_object_new_object();
		json_object_object_add(out, "in_use", json_object_new_boolean(jnum(o, "InUse") == 1));
		json_object_object_add(out, "mode", json_object_new_string(jstr(o, "InUseMode")));
		json_object_object_add(out, "stop_percent",
				       json_object_new_int64(jnum(o, "InUseStopPercent")));
		json_object_object_add(out, "resume_percent",
				       json_object_new_int64(jnum(o, "InUseResumePercent")));
		print_json(out);
		json_object_put(out);
	} else {
		printf("In use: %s (mode %s); while in use, charging pauses at %lld %% and resumes below %lld %%\n",
		       jnum(o, "InUse") == 1 ? "yes" : "no", jstr(o, "InUseMode"),
		       jnum(o, "InUseStopPercent"), jnum(o, "InUseResumePercent"));
	}
	json_object_put(o);
	return EXIT_OK;
}

static int percent_arg(const char *s, uint32_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < 0 || v > 100) {
		fprintf(stderr, "chargerctl: '%s' is not a percentage (0..100)\n", s);
		return EXIT_USAGE;
	}
	*out = v;
	return EXIT_OK;
}

/*
 * A verb with the wrong arguments says which and what it takes; a word
 * that is no verb says so, with the usage. (Both once read "unknown verb
 * or wrong arguments: status" for "status extra": helper-57.)
 */
static void bad_arguments(const char *verb, int argc, char **argv)
{
	static const struct { const char *verb, *takes; } verbs[] = {
		{ "status", "no arguments" }, { "history", "no arguments (only -n N)" },
		{ "diagnose", "no arguments" }, { "report", "no arguments (only its options)" },
		{ "monitor", "no arguments" }, { "in-use", "on, off or auto, or nothing" },
		{ "thresholds", "two percentages (stop, resume), or nothing" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(verb, verbs[i].verb))
			continue;
		fprintf(stderr, "chargerctl: %s takes %s; got %d argument%s ('%s'%s)\n",
			verb, verbs[i].takes, argc, argc == 1 ? "" : "s", argc ? argv[0] : "",
			argc > 1 ? ", ..." : "");
		return;
	}
	fprintf(stderr, "chargerctl: unknown verb '%s'\n", verb);
	usage(stderr);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "plot", required_argument, NULL, 'p' },
		{ "html", required_argument, NULL, 'H' },
		{ "session", required_argument, NULL, 's' },
		{ }
	};
	const char *verb;
	sd_bus *bus = NULL;
	uint32_t max = 0, a, b;
	char *end;
	int o, r;

	/* getopt's own messages name the program as ours do, however it was run */
	if (argc > 0)
		argv[0] = (char *)"chargerctl";
	while ((o = getopt_long(argc, argv, "+jhn:", opts, NULL)) != -1) {
		switch (o) {
		case 'j':
			json_out = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("chargerctl " CHARGERD_VERSION "\n");
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	verb = argv[optind++];
	if (!strcmp(verb, "hold")) {
		/* the rest is the command's, options too (a "--" first is skipped) */
		if (optind < argc && !strcmp(argv[optind], "--"))
			optind++;
		if (optind >= argc) {
			fprintf(stderr, "chargerctl: hold needs a command to run\n");
			return EXIT_USAGE;
		}
		/* no system bus, or a hung one: the command runs all the same (cmd_hold()) */
		r = cmd_hold(connect_bus(&bus) ? NULL : bus, argv + optind);
		sd_bus_flush_close_unref(bus);
		return hold_exit(r);
	}
	/*
	 * A percentage below 0 is a bad value, not an option: "thresholds -5
	 * -10" printed getopt's "invalid option -- '5'" and the usage
	 * (helper-86).
	 */
	if (!strcmp(verb, "thresholds"))
		for (o = optind; o < argc; o++)
			if (argv[o][0] == '-' && isdigit((unsigned char)argv[o][1])) {
				/* "-0" too: a sign is no percentage's (helper-91: exit 0, nothing set) */
				fprintf(stderr, "chargerctl: '%s' is not a percentage (0..100)\n", argv[o]);
				return EXIT_USAGE;
			}
	/* options may follow the verb too: chargerctl history -n 5 --json */
	while ((o = getopt_long(argc, argv, "jn:", opts, NULL)) != -1) {
		if (o == 'j') {
			json_out = true;
		} else if (o == 'p' && !strcmp(verb, "report")) {
			plot_path = optarg;
		} else if (o == 'H' && !strcmp(verb, "report")) {
			html_path = optarg;
		} else if (o == 's' && !strcmp(verb, "report")) {
			session_given = true;
			errno = 0;
			plot_session_id = strtoull(optarg, &end, 10);
			if (errno || !*optarg || *end || optarg[0] == '-') {
				fprintf(stderr, "chargerctl: --session '%s' is not a session number\n",
					optarg);
				return EXIT_USAGE;
			}
		} else if (o == 'n' && !strcmp(verb, "history")) {
			unsigned long long n;

			errno = 0;
			n = strtoull(optarg, &end, 10);
			/* GetHistory's count is a u: past it, not a count (it wrapped to 0, all) */
			if (errno || !*optarg || *end || optarg[0] == '-' || n > UINT32_MAX) {
				fprintf(stderr, "chargerctl: -n '%s' is not a count (0 to %u)\n",
					optarg, UINT32_MAX);
				return EXIT_USAGE;
			}
			max = n;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	/* it picks the session of a file: alone it was silently ignored */
	if (session_given && !plot_path && !html_path) {
		fprintf(stderr, "chargerctl: --session picks the session of --plot or --html: give one\n");
		return EXIT_USAGE;
	}

	if (!strcmp(verb, "status") && !argc) {
		r = connect_bus(&bus) ?: cmd_status(bus);
	} else if (!strcmp(verb, "history") && !argc) {
		r = connect_bus(&bus) ?: cmd_history(bus, max);
	} else if (!strcmp(verb, "diagnose") && !argc) {
		r = connect_bus(&bus) ?: cmd_diagnose(bus);
	} else if (!strcmp(verb, "report") && !argc) {
		r = connect_bus(&bus) ?: cmd_report(bus);
	} else if (!strcmp(verb, "monitor") && !argc) {
		r = connect_bus(&bus) ?: cmd_monitor(bus);
	} else if (!strcmp(verb, "in-use") && argc <= 1) {
		if (argc && strcmp(argv[0], "on") && strcmp(argv[0], "off") && strcmp(argv[0], "auto")) {
			fprintf(stderr, "chargerctl: in-use takes on, off or auto, not '%s'\n", argv[0]);
			return EXIT_USAGE;
		}
		r = connect_bus(&bus);
		if (!r && argc)
			r = call_setter(bus, "SetInUseMode", "s", argv[0]);
		if (!r)
			r = show_in_use(bus);
	} else if (!strcmp(verb, "thresholds") && (argc == 0 || argc == 2)) {
		if (argc && (percent_arg(argv[0], &a) || percent_arg(argv[1], &b)))
			return EXIT_USAGE;
		r = connect_bus(&bus);
		if (!r && argc)
			r = call_setter(bus, "SetInUseThresholds", "uu", a, b);
		if (!r)
			r = show_in_use(bus);
	} else {
		bad_arguments(verb, argc, argv);
		return EXIT_USAGE;
	}
	sd_bus_flush_close_unref(bus);
	return r;
}
