// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd end to end in the virtual device, as a product runs it: the
 * service systemd started at boot, the emulator and the driver below it,
 * chargerctl and the journal above. Plug, a fault and unplug must each
 * leave structured journal records, D-Bus signals and a history entry;
 * chargerctl status must match sysfs; a non-root caller cannot change
 * settings; kill -9 mid-session loses nothing; a uevent flood that
 * overflows the socket ends in the right state.
 */
#include <json-c/json.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <time.h>

#include "kselftest_harness.h"
#include "../driver/driver_test.h"

/* a hung daemon fails the test instead of blocking it for D-Bus's 25 s a call */
#define CTL			"timeout 20 chargerctl"
#include "../../agent/msgid.h"
#define CONF			"/etc/chargerd/chargerd.conf"

/* Run a shell command; its output (stdout and stderr) into out. */
static int run(char *out, size_t len, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	size_t n = 0;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out) {
		n = fread(out, 1, len - 1, p);
		out[n] = '\0';
	} else {
		while (fgetc(p) != EOF)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Wait (a sync, not a measure) until the shell condition holds: at most a
 * minute, however long each try takes (a chargerctl call to a daemon that
 * does not answer takes its 20 s).
 */
static int until(const char *cond)
{
	return sh("end=$(($(date +%%s) + 60)); while [ $(date +%%s) -lt $end ]; do "
		  "%s && exit 0; sleep 0.2; done; exit 1", cond);
}

static struct json_object *ctl_json(const char *verb)
{
	static char out[65536];

	if (run(out, sizeof(out), CTL " --json %s 2>&1", verb))
		return NULL;
	return json_tokener_parse(out);
}

static long long jint(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -12345;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

/* The service's journal records with this MESSAGE_ID (and match), as JSON lines. */
static int journal(const char *mid, const char *match, char *buf, size_t len)
{
	sh("journalctl --sync 2>/dev/null");
	return run(buf, len, "journalctl --no-pager -o json _SYSTEMD_UNIT=chargerd.service "
		   "MESSAGE_ID=%s %s 2>/dev/null", mid, match);
}

static int wait_record(const char *mid, const char *match, char *buf, size_t len)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (!journal(mid, match, buf, len) && buf[0] == '{')
			return 0;
		usleep(200000);
	}
	return -1;
}

static int battery_up(void)
{
	return until("grep -qx Battery /sys/class/power_supply/*/type 2>/dev/null");
}

/* The service, on the emulated charger and gauge, unplugged. */
FIXTURE(svc) {
	char buf[65536];
};

FIXTURE_SETUP(svc)
{
	ASSERT_EQ(0, drv_up("create_clients=1", NULL));
	ASSERT_EQ(0, battery_up());
	ASSERT_EQ(0, sh("systemctl is-active --quiet chargerd"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Charger\": \"bq25895-charger\"'"));
}

FIXTURE_TEARDOWN(svc)
{
	knob_set("source", "none");
	until(CTL " --json status | grep -q '\"Online\": false'");
	/* the restarts a test made do not count against the next one's */
	sh("systemctl reset-failed chargerd 2>/dev/null");
	/* a test that stopped before its own clean-up: the defaults, running */
	sh("[ -e " CONF " ] && rm -f " CONF " && systemctl restart chargerd");
	sh("systemctl is-active --quiet chargerd || systemctl start chargerd");
	EXPECT_EQ(0, drv_down());
}

static long long session_now(void)
{
	struct json_object *s = ctl_json("status");
	long long id = jint(s, "Session");

	json_object_put(s);
	return id;
}

TEST_F(svc, a_session_end_to_end)
{
	struct json_object *s, *h, *first, *v;
	char match[64], sysfs[64];
	long long id;
	pid_t mon;
	int fd;

	/* follow the signals as a client would */
	mon = fork();
	ASSERT_LE(0, mon);
	if (!mon) {
		fd = open("/tmp/monitor.json", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		execlp("chargerctl", "chargerctl", "--json", "monitor", (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(0, until("grep -q . /tmp/monitor.json || pgrep -f 'chargerctl --json monitor' >/dev/null"));
	usleep(300000);	/* its match rules are in place once it runs */

	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": true'"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"SourceKind\": \"dcp\"'"));
	id = session_now();
	ASSERT_LT(0, id);
	snprintf(match, sizeof(match), "CHARGER_SESSION=%lld", id);

	/* chargerctl status matches sysfs */
	s = ctl_json("status");
	ASSERT_NE(NULL, s);
	EXPECT_STREQ("charging", jstr(s, "State"));
	EXPECT_STREQ("DCP", jstr(s, "UsbType"));
	prop("health", sysfs, sizeof(sysfs));
	EXPECT_STREQ(sysfs, jstr(s, "Health"));
	EXPECT_EQ(propn("constant_charge_current"), jint(s, "ChargeCurrentLimit"));
	EXPECT_EQ(propn("constant_charge_current_max"), jint(s, "ChargeCurrentMax"));
	EXPECT_EQ(propn("constant_charge_voltage"), jint(s, "ChargeVoltageLimit"));
	EXPECT_EQ(propn("input_current_limit"), jint(s, "InputCurrentLimit"));
	EXPECT_EQ(knob("capacity_pct"), jint(s, "Capacity"));
	json_object_put(s);

	/* the plug and the session start, in the journal */
	ASSERT_EQ(0, wait_record(MID_PLUG, match, self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_USB_TYPE\":\"DCP\"")) TH_LOG("%s", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_SOURCE_KIND\":\"dcp\""));
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_HEALTH\":\"Good\""));
	ASSERT_EQ(0, wait_record(MID_SESSION_START, match, self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "\"BATTERY_CAPACITY\":")) TH_LOG("%s", self->buf);

	/* charge for 20 simulated minutes, then the chip overheats */
	ASSERT_EQ(0, knob_set("advance_ms", "1200000"));
	ASSERT_EQ(0, knob_set("inject", "thermal-shutdown"));
	ASSERT_EQ(0, wait_record(MID_FAULT_RAISED, match, self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_FAULT\":\"thermal-shutdown\"")) TH_LOG("%s", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_HEALTH\":\"Overheat\""));
	EXPECT_NE(NULL, strstr(self->buf, "\"PRIORITY\":\"4\""));
	s = ctl_json("status");
	v = NULL;
	json_object_object_get_ex(s, "ActiveFaults", &v);
	EXPECT_STREQ("[ \"thermal-shutdown\" ]", v ? json_object_to_json_string(v) : "");
	EXPECT_STREQ("thermal-shutdown", jstr(s, "LastFault"));
	json_object_put(s);
	ASSERT_EQ(0, knob_set("inject", "clear"));
	ASSERT_EQ(0, wait_record(MID_FAULT_CLEARED, match, self->buf, sizeof(self->buf)));

	/* unplug: the summary record, the signal, the history entry */
	ASSERT_EQ(0, knob_set("source", "none"));
	ASSERT_EQ(0, wait_record(MID_SESSION_END, match, self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_SESSION_END_REASON\":\"unplugged\""))
		TH_LOG("%s", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_SESSION_FAULTS\":\"thermal-shutdown\""));
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_SESSION_FAULT_EVENTS\":\"1\""));
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_SOURCE_KIND\":\"dcp\""));
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGER_SESSION_PEAK_MA\":"));
	ASSERT_EQ(0, wait_record(MID_UNPLUG, match, self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "Charger unplugged")) TH_LOG("%s", self->buf);
	/* one plug, one record */
	journal(MID_PLUG, match, self->buf, sizeof(self->buf));
	EXPECT_EQ(NULL, strchr(strchr(self->buf, '\n') + 1, '{'));

	h = ctl_json("history");
	ASSERT_NE(NULL, h);
	first = json_object_array_get_idx(h, 0);
	EXPECT_EQ(id, jint(first, "id"));
	EXPECT_STREQ("unplugged", jstr(first, "end_reason"));
	EXPECT_STREQ("dcp", jstr(first, "source"));
	/* 20 simulated minutes at the gauge: charge went in */
	EXPECT_LT(0, jint(first, "charge_mah")) TH_LOG("%s", json_object_to_json_string(first));
	EXPECT_LT(0, jint(first, "peak_ma"));
	v = NULL;
	json_object_object_get_ex(first, "faults", &v);
	EXPECT_STREQ("[ \"thermal-shutdown\" ]", v ? json_object_to_json_string(v) : "");
	json_object_put(h);

	/* the monitor saw the signals and the property changes */
	ASSERT_EQ(0, until("grep -q SessionEnded /tmp/monitor.json"));
	kill(mon, SIGTERM);
	waitpid(mon, NULL, 0);
	EXPECT_EQ(0, sh("grep -q '\"signal\":\"FaultRaised\",\"code\":\"thermal-shutdown\"' /tmp/monitor.json"));
	EXPECT_EQ(0, sh("grep -q '\"signal\":\"FaultCleared\",\"code\":\"thermal-shutdown\"' /tmp/monitor.json"));
	EXPECT_EQ(0, sh("grep -q '\"signal\":\"SessionEnded\",\"id\":%lld,\"end_reason\":\"unplugged\"' /tmp/monitor.json", id));
	EXPECT_EQ(0, sh("grep -q '\"Online\":true' /tmp/monitor.json"));
	/* human output says the same */
	EXPECT_EQ(0, sh(CTL " history | grep -qE '^ +%lld .* unplugged +thermal-shutdown$'", id));
	EXPECT_EQ(0, sh(CTL " status | grep -q '^State: *discharging'"));

	/* the report as a page for a person: this session in the table and in its plot */
	EXPECT_EQ(0, sh("rm -f /tmp/report.html; [ -z \"$(" CTL " report --html /tmp/report.html)\" ]"));
	EXPECT_EQ(0, sh("grep -q '^<!DOCTYPE html>' /tmp/report.html"));
	EXPECT_EQ(0, sh("grep -q 'data-id=\"%lld\"' /tmp/report.html", id));
	EXPECT_EQ(0, sh("grep -q '<td class=\"faults\">thermal-shutdown</td>' /tmp/report.html"));
	EXPECT_EQ(0, sh("grep -q 'Charge session %lld<' /tmp/report.html", id));
	EXPECT_EQ(4, sh("exit $(grep -c 'class=\"series\"' /tmp/report.html)"));
	/* the fault, raised and cleared, is a shaded span with its label */
	EXPECT_EQ(0, sh("grep -q 'class=\"span\".*<title>fault: thermal-shutdown</title>' /tmp/report.html"));
	EXPECT_EQ(0, sh("grep -q '>fault cleared: thermal-shutdown<' /tmp/report.html"));
	/*
	 * a session asked for that has no samples fails as the plot does,
	 * saying which (the page was written without a plot, exit 0), and
	 * prints no report first; one that never was is not "not kept"
	 * (helper-59)
	 */
	EXPECT_EQ(1, sh(CTL " report --session 999999 --html /tmp/none.html >/dev/null 2>&1"));
	EXPECT_EQ(1, sh(CTL " report --session 999999 --plot /tmp/none.svg >/dev/null 2>&1"));
	EXPECT_EQ(0, sh(CTL " report --session 999999 --html /tmp/none.html 2>&1 >/dev/null | "
			"grep -q 'no session 999999 in the history'"));
	EXPECT_EQ(0, sh("[ -z \"$(" CTL " report --session 999999 --plot /tmp/none.svg 2>/dev/null)\" ]"));
	/* nor for a plot file that cannot be written (helper-90: the JSON, then exit 1) */
	EXPECT_EQ(1, sh(CTL " report --plot /nonexistent/dir/x.svg >/dev/null 2>&1"));
	EXPECT_EQ(0, sh("[ -z \"$(" CTL " report --plot /nonexistent/dir/x.svg 2>/dev/null)\" ]"));
	EXPECT_EQ(0, sh(CTL " report --plot /nonexistent/dir/x.svg 2>&1 >/dev/null | "
			"grep -q '/nonexistent/dir/x.svg: No such file or directory'"));
	/* one the history has, its samples gone */
	ASSERT_EQ(0, sh("rm /var/lib/chargerd/sessions/%lld.samples", id));
	EXPECT_EQ(0, sh(CTL " report --session %lld --plot /tmp/none.svg 2>&1 >/dev/null | "
			"grep -q 'no samples kept for session %lld'", id, id));
}

TEST_F(svc, the_report_is_json_with_what_support_needs)
{
	struct json_object *r = ctl_json("report"), *v, *agent;
	long long n;

	ASSERT_NE(NULL, r);
	ASSERT_TRUE(json_object_object_get_ex(r, "agent", &agent));
	EXPECT_STRNE("", jstr(agent, "version"));
	EXPECT_TRUE(json_object_object_get_ex(agent, "config", &v));
	/* the period in force beside the key as set: 0 or above 120 is 120 */
	n = jint(v, "resync_s");
	EXPECT_EQ(n > 0 && n < 120 ? n : 120, jint(agent, "resync_period_s"));
	EXPECT_TRUE(json_object_object_get_ex(agent, "counters", &v));
	EXPECT_LT(0, jint(v, "uevents"));
	EXPECT_LT(0, jint(v, "wakeups"));
	EXPECT_TRUE(json_object_object_get_ex(r, "state", &v));
	EXPECT_TRUE(json_object_object_get_ex(v, "charger", &v));
	EXPECT_EQ(propn("i2c_errors"), jint(v, "i2c_errors"));
	EXPECT_EQ(propn("chip_resets"), jint(v, "chip_resets"));
	EXPECT_EQ(propn("power_good_rises"), jint(v, "power_good_rises"));
	EXPECT_TRUE(json_object_object_get_ex(r, "faults", &v));
	EXPECT_TRUE(json_object_object_get_ex(r, "sessions", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_array));
	EXPECT_TRUE(json_object_object_get_ex(r, "history", &v));
	EXPECT_EQ(0, jint(v, "corrupt_records_skipped"));
	EXPECT_STREQ("", jstr(v, "kept_aside"));
	json_object_put(r);
}

/*
 * On battery nothing makes chargerd look on its own (no timer: wakeups),
 * and a gauge's capacity moves with no uevent: what a caller reads is
 * looked at again when it is older than 2 s (helper-57 saw a status hours
 * old). Status and the report both show the gauge's capacity of now.
 */
TEST_F(svc, what_is_read_on_battery_is_the_gauges_now)
{
	long long cap = knob("capacity_pct");
	char cond[160];
	struct json_object *r, *v;

	ASSERT_LE(0, cap);
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": false'"));
	cap = cap > 50 ? cap - 23 : cap + 23;
	ASSERT_EQ(0, knob_set("capacity_pct", "%lld", cap));
	snprintf(cond, sizeof(cond),
		 CTL " --json status | grep -Eq '\"Capacity\": %lld([^0-9]|$)'", cap);
	EXPECT_EQ(0, until(cond));
	cap = cap > 50 ? cap - 11 : cap + 11;
	ASSERT_EQ(0, knob_set("capacity_pct", "%lld", cap));
	sleep(3);	/* older than the 2 s: the report looks again too */
	r = ctl_json("report");
	ASSERT_NE(NULL, r);
	ASSERT_TRUE(json_object_object_get_ex(r, "state", &v));
	ASSERT_TRUE(json_object_object_get_ex(v, "battery", &v));
	EXPECT_EQ(cap, jint(v, "capacity"));
	json_object_put(r);
}

/*
 * A plug starts a session at the gauge's capacity of the plug, not at a
 * reading up to a second older that a look for the charger's uevent
 * would reuse (make demo's first session began at the capacity before
 * the one it had just set, and "charged" from 50 to 48 %).
 */
TEST_F(svc, a_session_begins_at_the_capacity_of_its_plug)
{
	long long cap = knob("capacity_pct"), id;
	char match[64], want[64];

	ASSERT_LE(0, cap);
	sleep(3);	/* older than 2 s: the status below is a look at the gauge */
	ASSERT_EQ(0, sh(CTL " status >/dev/null"));
	cap = cap > 50 ? cap - 30 : cap + 30;
	ASSERT_EQ(0, knob_set("capacity_pct", "%lld", cap));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Session\": [1-9]'"));
	id = session_now();
	snprintf(match, sizeof(match), "CHARGER_SESSION=%lld", id);
	ASSERT_EQ(0, wait_record(MID_SESSION_START, match, self->buf, sizeof(self->buf)));
	snprintf(want, sizeof(want), "\"BATTERY_CAPACITY\":\"%lld\"", cap);
	EXPECT_NE(NULL, strstr(self->buf, want)) TH_LOG("want %s: %s", want, self->buf);
}

TEST_F(svc, only_root_and_the_chargerd_group_change_settings)
{
	char out[1024];

	/* nobody reads, */
	EXPECT_EQ(0, run(out, sizeof(out), "setpriv --reuid=nobody --regid=nogroup --clear-groups "
			 CTL " status 2>&1"));
	EXPECT_NE(NULL, strstr(out, "State:")) TH_LOG("%s", out);
	EXPECT_EQ(0, run(out, sizeof(out), "setpriv --reuid=nobody --regid=nogroup --clear-groups "
			 CTL " history 2>&1"));
	/*
	 * a uid with no passwd entry: the bus closes its connection. Exit 3
	 * (no bus to talk to), and why; it was 1, "Transport endpoint is not
	 * connected"
	 */
	EXPECT_EQ(3, run(out, sizeof(out), "setpriv --reuid=54321 --regid=54321 --clear-groups "
			 CTL " status 2>&1"));
	EXPECT_NE(NULL, strstr(out, "uid 54321 has no entry in the user database")) TH_LOG("%s", out);
	/* but may not set */
	EXPECT_EQ(4, run(out, sizeof(out), "setpriv --reuid=nobody --regid=nogroup --clear-groups "
			 CTL " in-use on 2>&1"));
	EXPECT_NE(NULL, strstr(out, "permission denied")) TH_LOG("%s", out);
	/* in the command's words and who may, not dbus-daemon's line (helper-86) */
	EXPECT_NE(NULL, strstr(out, "setting the in-use mode needs root or the chargerd group "
			       "(refused by the system bus's policy")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "Rejected send message")) TH_LOG("%s", out);
	EXPECT_EQ(4, run(out, sizeof(out), "setpriv --reuid=nobody --regid=nogroup --clear-groups "
			 CTL " thresholds 90 70 2>&1"));
	EXPECT_NE(NULL, strstr(out, "setting the in-use thresholds needs")) TH_LOG("%s", out);
	EXPECT_EQ(4, run(NULL, 0, "setpriv --reuid=nobody --regid=nogroup --clear-groups "
			 "busctl call " "org.chargerd.Charger1 /org/chargerd/Charger1 "
			 "org.chargerd.Charger1 SetInUse b true 2>/dev/null || exit 4"));
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUseMode\": \"auto\"'"));
	/* a member of the chargerd group may */
	ASSERT_EQ(0, sh("id operator-1 >/dev/null 2>&1 || useradd -M -G chargerd operator-1"));
	EXPECT_EQ(0, run(out, sizeof(out), "setpriv --reuid=operator-1 --regid=operator-1 "
			 "--init-groups " CTL " in-use on 2>&1"));
	EXPECT_NE(NULL, strstr(out, "In use: yes (mode on)")) TH_LOG("%s", out);

	/* bad values: a clear error, nothing changed */
	EXPECT_EQ(2, run(out, sizeof(out), CTL " thresholds 70 90 2>&1"));
	EXPECT_NE(NULL, strstr(out, "resume < stop")) TH_LOG("%s", out);
	EXPECT_EQ(2, run(out, sizeof(out), CTL " thresholds 80 lots 2>&1"));
	EXPECT_EQ(2, run(out, sizeof(out), CTL " in-use maybe 2>&1"));
	EXPECT_EQ(0, run(out, sizeof(out), CTL " thresholds 90 70 2>&1"));
	EXPECT_NE(NULL, strstr(out, "pauses at 90 % and resumes below 70 %")) TH_LOG("%s", out);

	/* settings survive a restart */
	EXPECT_EQ(0, sh("systemctl restart chargerd"));
	EXPECT_EQ(0, run(out, sizeof(out), CTL " --json in-use"));
	EXPECT_NE(NULL, strstr(out, "\"mode\": \"on\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"stop_percent\": 90"));
	EXPECT_EQ(0, sh(CTL " in-use auto >/dev/null && " CTL " thresholds 80 75 >/dev/null"));
}

/*
 * A setting that cannot be saved (helper-53; the settings file's place
 * taken by a directory here, as a read-only or full disk refuses it too):
 * an IOError that says so, exit 1, and nothing changed. It was applied,
 * said done (exit 0), and gone at the next start.
 */
TEST_F(svc, a_setting_that_cannot_be_saved_changes_nothing)
{
	char out[4096];

	ASSERT_EQ(0, sh(CTL " in-use auto >/dev/null && " CTL " thresholds 80 75 >/dev/null"));
	ASSERT_EQ(0, sh("rm -f /var/lib/chargerd/settings && mkdir /var/lib/chargerd/settings"));
	EXPECT_EQ(1, run(out, sizeof(out), CTL " in-use on 2>&1"));
	EXPECT_NE(NULL, strstr(out, "could not be saved")) TH_LOG("%s", out);
	EXPECT_EQ(1, run(out, sizeof(out), CTL " thresholds 90 70 2>&1"));
	EXPECT_NE(NULL, strstr(out, "nothing changed")) TH_LOG("%s", out);
	EXPECT_EQ(0, run(out, sizeof(out), CTL " --json in-use"));
	EXPECT_NE(NULL, strstr(out, "\"mode\": \"auto\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"stop_percent\": 80"));
	EXPECT_EQ(0, wait_record(MID_AGENT_ERROR, "CHARGERD_ERRNO=21", self->buf,
				 sizeof(self->buf)));	/* EISDIR */
	/* the place free again: saved, in force */
	EXPECT_EQ(0, sh("rmdir /var/lib/chargerd/settings"));
	EXPECT_EQ(0, sh(CTL " in-use on >/dev/null"));
	EXPECT_EQ(0, sh("grep -qx 'mode = on' /var/lib/chargerd/settings"));
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUseMode\": \"on\"'"));
	EXPECT_EQ(0, sh(CTL " in-use auto >/dev/null"));
}

/* How many times systemd restarted chargerd since its last reset-failed. *//* How many times systemd restarted chargerd since its last reset-failed. */
static int nrestarts(void)
{
	char out[32] = "";

	run(out, sizeof(out), "systemctl show -P NRestarts chargerd");
	return atoi(out);
}

TEST_F(svc, kill_9_mid_session_keeps_the_history)
{
	char before[65536], after[65536];
	struct json_object *h, *hb;
	unsigned int seed = 20261124;
	int i, kills, base, restarts = 0;
	long long id;

	/* a few finished sessions, then one in progress */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, knob_set("source", "sdp"));
		ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Session\": [1-9]'"));
		ASSERT_EQ(0, knob_set("source", "none"));
		ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Session\": 0'"));
	}
	ASSERT_EQ(0, run(before, sizeof(before), CTL " --json history"));
	ASSERT_EQ(0, knob_set("source", "cdp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Session\": [1-9]'"));
	id = session_now();
	base = nrestarts();

	kills = rounds(5, 100);
	for (i = 0; i < kills; i++) {
		/* at a random moment of its work (seeded: the same run each time) */
		usleep(rand_r(&seed) % 500000);
		/*
		 * A crash loop this fast is the test's doing, not the unit's:
		 * clear its start limit (which also zeroes NRestarts).
		 */
		if (i && i % 5 == 0) {
			restarts += nrestarts() - base;
			sh("systemctl reset-failed chargerd");
			base = nrestarts();
		}
		ASSERT_EQ(0, sh("old=$(systemctl show -P MainPID chargerd) && "
				"systemctl kill -s KILL chargerd && "
				"for i in $(seq 100); do sleep 0.2; new=$(systemctl show -P MainPID chargerd); "
				"[ \"$new\" != 0 ] && [ \"$new\" != \"$old\" ] && "
				"systemctl is-active --quiet chargerd && exit 0; done; exit 1"));
		ASSERT_EQ(0, until(CTL " status >/dev/null 2>&1"));
		/* the session goes on under the same id */
		EXPECT_EQ(id, session_now());
	}
	/* systemd restarted it each time (and did not give up) */
	restarts += nrestarts() - base;
	EXPECT_EQ(kills, restarts);
	/* the finished sessions are all there, unchanged */
	ASSERT_EQ(0, run(after, sizeof(after), CTL " --json history"));
	h = json_tokener_parse(after);
	ASSERT_NE(NULL, h);
	EXPECT_EQ(id, jint(json_object_array_get_idx(h, 0), "id"));
	EXPECT_STREQ("in-progress", jstr(json_object_array_get_idx(h, 0), "end_reason"));
	/* after the one in progress, the finished ones, identical */
	hb = json_tokener_parse(before);
	ASSERT_NE(NULL, hb);
	ASSERT_EQ(json_object_array_length(hb) + 1, json_object_array_length(h));
	for (i = 0; i < (int)json_object_array_length(hb); i++)
		EXPECT_STREQ(json_object_to_json_string(json_object_array_get_idx(hb, i)),
			     json_object_to_json_string(json_object_array_get_idx(h, i + 1)));
	json_object_put(hb);
	json_object_put(h);
	/* every stored line is whole */
	EXPECT_EQ(0, sh("f=/var/lib/chargerd/sessions.log; test -z \"$(tail -c1 $f)\" && "
			"! grep -vq ' crc=[0-9a-f]\\{8\\}$' $f"));

	ASSERT_EQ(0, knob_set("source", "none"));
	ASSERT_EQ(0, until(CTL " --json history -n 1 | grep -q '\"end_reason\": \"unplugged\"'"));
	ASSERT_EQ(0, run(after, sizeof(after), CTL " --json history -n 1"));
	h = json_tokener_parse(after);
	EXPECT_EQ(id, jint(json_object_array_get_idx(h, 0), "id"));
	json_object_put(h);
}

/* After a flood: chargerd, online, agrees with the driver. */
#define EXPECT_ONLINE_AND_AGREES() do {						\
	struct json_object *st_ = ctl_json("status");				\
	char drv_[64];								\
										\
	EXPECT_EQ(1, jint(st_, "Online"));					\
	prop("status", drv_, sizeof(drv_));					\
	EXPECT_EQ(0, strncasecmp(drv_, jstr(st_, "State"), strlen(drv_)));	\
	EXPECT_EQ(propn("input_current_limit"), jint(st_, "InputCurrentLimit")); \
	json_object_put(st_);							\
} while (0)

/*
 * A fault is checkpointed with the resync that found it (manager.c, not
 * left for the minute's checkpoint or the backstop): with no further
 * event (the model's clock is stopped), the session in progress on disk
 * counts the fault, and a kill -9 then keeps it.
 */
TEST_F(svc, a_faults_checkpoint_lands_without_a_further_event)
{
	struct json_object *h, *first, *v = NULL;
	long long id;

	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Session\": [1-9]'"));
	id = session_now();
	/* the session's start is on disk, without the fault */
	ASSERT_EQ(0, until("grep -q 'fault_events=0 ' /var/lib/chargerd/current"));
	ASSERT_EQ(0, knob_set("inject", "thermal-shutdown"));
	ASSERT_EQ(0, wait_record(MID_FAULT_RAISED, "CHARGER_FAULT=thermal-shutdown",
				 self->buf, sizeof(self->buf)));
	EXPECT_EQ(0, until("grep -q 'fault_events=1 ' /var/lib/chargerd/current"))
		sh("cat /var/lib/chargerd/current >&2");
	ASSERT_EQ(0, sh("systemctl kill -s KILL chargerd"));
	ASSERT_EQ(0, until(CTL " status >/dev/null 2>&1"));
	EXPECT_EQ(id, session_now());
	h = ctl_json("history");
	ASSERT_NE(NULL, h);
	first = json_object_array_get_idx(h, 0);
	EXPECT_EQ(id, jint(first, "id"));
	json_object_object_get_ex(first, "faults", &v);
	EXPECT_STREQ("[ \"thermal-shutdown\" ]", v ? json_object_to_json_string(v) : "")
		TH_LOG("%s", json_object_to_json_string(first));
	json_object_put(h);
	ASSERT_EQ(0, knob_set("inject", "clear"));
}

TEST_F(svc, a_uevent_flood_overflows_and_resyncs)
{
	struct json_object *r, *v;
	char out[4096];
	long long overflows;
	pid_t writer;
	time_t t0;
	int i, st;

	/* a socket far too small for what follows */
	ASSERT_EQ(0, sh("mkdir -p /etc/chargerd && printf '[agent]\\nreceive_buffer_kb = 4\\n' > " CONF
			" && systemctl restart chargerd"));
	ASSERT_EQ(0, until(CTL " status >/dev/null 2>&1"));
	/* an interrupt storm on the charger */
	ASSERT_EQ(0, knob_set("irq_fire", "1000"));
	/*
	 * chargerd stopped (briefly: its watchdog is 30 s) while the kernel
	 * sends hundreds of uevents and the charger is plugged; it is let go
	 * whatever happens in between.
	 */
	ASSERT_EQ(0, sh("systemctl kill -s STOP chargerd"));
	t0 = time(NULL);
	writer = fork();
	ASSERT_LE(0, writer);
	if (!writer) {
		for (i = 0; i < 300; i++)
			if (write_file(PSY_DIR "/uevent", "change"))
				_exit(1);
		_exit(knob_set("source", "hvdcp") ? 2 : 0);
	}
	/* two minutes at most; if it is stuck, say where, then let go */
	for (i = 0; i < 600 && !waitpid(writer, &st, WNOHANG); i++)
		usleep(200000);
	if (i == 600) {
		run(out, sizeof(out), "cat /proc/%d/wchan; echo; cat /proc/%d/stack", writer, writer);
		TH_LOG("the uevent writer is stuck in: %s", out);
		kill(writer, SIGKILL);
		waitpid(writer, &st, 0);
	}
	sh("systemctl kill -s CONT chargerd");
	printf("# chargerd was stopped for %lld s\n", (long long)(time(NULL) - t0));
	ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st)) TH_LOG("writer status %#x", st);

	/* it lost uevents, knew it, and read everything again */
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"SourceKind\": \"hvdcp\"'"));
	r = ctl_json("report");
	ASSERT_TRUE(json_object_object_get_ex(r, "agent", &v));
	ASSERT_TRUE(json_object_object_get_ex(v, "counters", &v));
	overflows = jint(v, "netlink_overflows");
	EXPECT_LT(0, overflows) TH_LOG("%s", json_object_to_json_string(v));
	json_object_put(r);
	EXPECT_ONLINE_AND_AGREES();
	EXPECT_EQ(0, sh("rm -f " CONF " && systemctl restart chargerd"));
}

/* chargerd's MainPID, as systemd sees it. */
static long long main_pid(void)
{
	char out[32] = "";

	run(out, sizeof(out), "systemctl show -P MainPID chargerd");
	return atoll(out);
}

/* A counter of chargerd's report ("netlink_overflows", "uevents", ...). */
static long long agent_counter(const char *name)
{
	struct json_object *r = ctl_json("report"), *v;
	long long n = -1;

	if (r && json_object_object_get_ex(r, "agent", &v) &&
	    json_object_object_get_ex(v, "counters", &v))
		n = jint(v, name);
	json_object_put(r);
	return n;
}

/*
 * A flood while chargerd runs: two writers and an interrupt storm, 1000
 * uevents (10 000 under make soak), with the default socket. chargerd keeps
 * up or knows it did not (an overflow, then a resync); it is the same
 * process afterwards, and it agrees with the driver.
 */
TEST_F(svc, a_uevent_flood_while_running_is_survived)
{
	int n = rounds(1000, 10000), w, i, st, bad = 0;
	long long pid = main_pid(), seen, overflows, looks, bat_reads;
	pid_t writers[2];

	ASSERT_LT(0, pid);
	looks = agent_counter("snapshots");
	bat_reads = agent_counter("battery_reads");
	seen = agent_counter("uevents");
	overflows = agent_counter("netlink_overflows");
	ASSERT_LE(0, seen);
	ASSERT_LE(0, overflows);
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": true'"));
	for (w = 0; w < 2; w++) {
		writers[w] = fork();
		ASSERT_LE(0, writers[w]);
		if (!writers[w]) {
			for (i = 0; i < n / 2; i++)
				if (write_file(PSY_DIR "/uevent", "change"))
					_exit(1);
			_exit(0);
		}
	}
	ASSERT_EQ(0, knob_set("irq_fire", "%d", n / 10));
	for (w = 0; w < 2; w++) {
		ASSERT_EQ(writers[w], waitpid(writers[w], &st, 0));
		bad |= !WIFEXITED(st) || WEXITSTATUS(st);
	}
	EXPECT_EQ(0, bad);
	/* the end of the flood: a change chargerd must pick up */
	ASSERT_EQ(0, knob_set("source", "hvdcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"SourceKind\": \"hvdcp\"'"));

	EXPECT_EQ(pid, main_pid());
	overflows = agent_counter("netlink_overflows") - overflows;
	seen = agent_counter("uevents") - seen;
	printf("# %d uevents written; chargerd received %lld, overflowed %lld times\n",
	       n, seen, overflows);
	/* all of them, or it knows it lost some */
	EXPECT_TRUE(seen >= n || overflows > 0) TH_LOG("%lld of %d, %lld overflows", seen, n, overflows);
	/* the charger's uevents alone read the gauge at most once a second (before: every look) */
	looks = agent_counter("snapshots") - looks;
	bat_reads = agent_counter("battery_reads") - bat_reads;
	printf("# %lld looks, %lld of them at the battery\n", looks, bat_reads);
	EXPECT_LT(0, bat_reads);
	EXPECT_LT(bat_reads, looks) TH_LOG("%lld looks, %lld battery reads", looks, bat_reads);
	EXPECT_ONLINE_AND_AGREES();
}

/*
 * The system bus goes away (dbus restarted, as by a package upgrade):
 * chargerd says so in the journal and exits with a failure; systemd starts
 * it again, and it is on the new bus, answering, with the charger online.
 */
TEST_F(svc, a_lost_bus_restarts_chargerd_connected)
{
	long long pid = main_pid();
	int base = nrestarts();
	char cond[256];

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": true'"));
	ASSERT_EQ(0, sh("systemctl restart dbus.service"));
	/* a new process, started by systemd, not the old one reconnected */
	snprintf(cond, sizeof(cond), "p=$(systemctl show -P MainPID chargerd) && "
		 "[ \"$p\" != 0 ] && [ \"$p\" != %lld ] && "
		 "systemctl is-active --quiet chargerd", pid);
	ASSERT_EQ(0, until(cond));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": true'"));
	EXPECT_LT(base, nrestarts());
	EXPECT_EQ(0, wait_record(MID_AGENT_ERROR, "CHARGERD_ERRNO=104", self->buf,
				 sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "lost the system bus")) TH_LOG("%s", self->buf);
	EXPECT_ONLINE_AND_AGREES();
}

TEST_F(svc, repeated_events_are_summarised_not_dropped)
{
	char pid[32], match[96], *p;
	int i, plugs = 0, held = 0;

	/* a window long enough for the six plugs, short enough to see it close */
	ASSERT_EQ(0, sh("mkdir -p /etc/chargerd && printf '[journal]\\nratelimit_interval_s = 20\\n"
			"ratelimit_burst = 2\\n' > " CONF " && systemctl restart chargerd"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Charger\": \"bq25895-charger\"'"));
	/* this instance's records only */
	ASSERT_EQ(0, run(pid, sizeof(pid), "systemctl show -P MainPID chargerd"));
	/* a connector that bounces: six plugs, each seen */
	for (i = 0; i < 6; i++) {
		ASSERT_EQ(0, knob_set("source", "dcp"));
		ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": true'"));
		ASSERT_EQ(0, knob_set("source", "none"));
		ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": false'"));
	}
	/*
	 * The first two of a window go out one by one, the rest are counted
	 * in a summary at the window's end. How the six fall into windows
	 * depends on the machine's speed; that all six are accounted for does
	 * not: wait for the last summary, then check the sum.
	 */
	for (i = 0; i < 300; i++) {
		held = 0;
		snprintf(match, sizeof(match), "_PID=%d CHARGERD_EVENT=plug", atoi(pid));
		journal(MID_SUPPRESSED, match, self->buf, sizeof(self->buf));
		for (p = self->buf; (p = strstr(p, "\"CHARGERD_SUPPRESSED\":\"")); p++)
			held += atoi(p + strlen("\"CHARGERD_SUPPRESSED\":\""));
		plugs = 0;
		snprintf(match, sizeof(match), "_PID=%d", atoi(pid));
		journal(MID_PLUG, match, self->buf, sizeof(self->buf));
		for (p = self->buf; (p = strchr(p, '{')); p++)
			plugs++;
		if (held && plugs + held >= 6)
			break;
		usleep(200000);
	}
	EXPECT_LT(0, held);
	EXPECT_LE(2, plugs);
	EXPECT_EQ(6, plugs + held);
	/*
	 * each session's start and summary are there, one by one: never
	 * folded (helper-83: three of seven sessions had none)
	 */
	for (i = 0; i < 2; i++) {
		int n = 0;

		snprintf(match, sizeof(match), "_PID=%d", atoi(pid));
		journal(i ? MID_SESSION_END : MID_SESSION_START, match, self->buf,
			sizeof(self->buf));
		for (p = self->buf; (p = strchr(p, '{')); p++)
			n++;
		EXPECT_EQ(6, n) TH_LOG("%s records", i ? "session-end" : "session-start");
	}
	snprintf(match, sizeof(match), "_PID=%d CHARGERD_EVENT=plug", atoi(pid));
	ASSERT_EQ(0, wait_record(MID_SUPPRESSED, match, self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "Charger plugged in")) TH_LOG("%s", self->buf);
	/* what support reads says what was held, not the limiter's key (its field's) */
	EXPECT_NE(NULL, strstr(self->buf, "more records of the same kind")) TH_LOG("%s", self->buf);
	EXPECT_EQ(NULL, strstr(self->buf, "\\\"plug\\\"")) TH_LOG("%s", self->buf);
	EXPECT_EQ(0, sh("rm -f " CONF " && systemctl restart chargerd"));
}

/* n plug-in and unplug cycles, each seen by chargerd. */
static int bounce(int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (knob_set("source", "dcp") ||
		    until(CTL " --json status | grep -q '\"Online\": true'") ||
		    knob_set("source", "none") ||
		    until(CTL " --json status | grep -q '\"Online\": false'"))
			return -1;
	return 0;
}

/*
 * A window far longer than the test: what the rate limiter holds back is
 * summarised when a reload changes its settings and when chargerd stops,
 * not lost with the old limiter or the process.
 */
TEST_F(svc, held_records_are_summarised_at_a_reload_and_a_stop)
{
	char pid[32], inv[64], match[128], *p;
	int summaries = 0, held = 0, spans = 0;

	ASSERT_EQ(0, sh("mkdir -p /etc/chargerd && printf '[journal]\\nratelimit_interval_s = 3600\\n"
			"ratelimit_burst = 1\\n' > " CONF " && systemctl restart chargerd"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Charger\": \"bq25895-charger\"'"));
	ASSERT_EQ(0, run(pid, sizeof(pid), "systemctl show -P MainPID chargerd"));
	ASSERT_EQ(0, run(inv, sizeof(inv), "systemctl show -P InvocationID chargerd"));
	inv[strcspn(inv, "\n")] = 0;
	ASSERT_EQ(32, strlen(inv)) TH_LOG("InvocationID: \"%s\"", inv);
	/* this run of the service alone (a reload keeps it), whatever PIDs earlier ones had */
	snprintf(match, sizeof(match), "_SYSTEMD_INVOCATION_ID=%s CHARGERD_EVENT=plug", inv);
	/* three plugs: one goes out, two are held */
	ASSERT_EQ(0, bounce(3));
	ASSERT_EQ(0, sh("printf '[journal]\\nratelimit_interval_s = 3600\\nratelimit_burst = 2\\n' > "
			CONF " && systemctl reload chargerd"));
	ASSERT_EQ(0, wait_record(MID_SUPPRESSED, match, self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGERD_SUPPRESSED\":\"2\"")) TH_LOG("%s", self->buf);
	/* a reload, not a restart */
	EXPECT_EQ(0, sh("[ \"$(systemctl show -P MainPID chargerd)\" = %d ]", atoi(pid)));
	/* three more under the new limiter: two go out, one is held */
	ASSERT_EQ(0, bounce(3));
	ASSERT_EQ(0, sh("systemctl stop chargerd"));
	EXPECT_EQ(0, journal(MID_SUPPRESSED, match, self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "\"CHARGERD_SUPPRESSED\":\"1\"")) TH_LOG("%s", self->buf);
	/* each held record summarised once: two summaries, three records */
	for (p = self->buf; (p = strstr(p, "\"CHARGERD_SUPPRESSED\":\"")); p++) {
		summaries++;
		held += atoi(p + strlen("\"CHARGERD_SUPPRESSED\":\""));
	}
	EXPECT_EQ(2, summaries) TH_LOG("%s", self->buf);
	EXPECT_EQ(3, held);
	/* each over the time its window ran, cut short: not the 3600 s configured */
	for (p = self->buf; (p = strstr(p, "\"CHARGERD_SPAN_S\":\"")); p++) {
		spans++;
		EXPECT_GT(3600, atoi(p + strlen("\"CHARGERD_SPAN_S\":\""))) TH_LOG("%s", self->buf);
		EXPECT_LT(0, atoi(p + strlen("\"CHARGERD_SPAN_S\":\"")));
	}
	EXPECT_EQ(2, spans);
	EXPECT_EQ(0, sh("rm -f " CONF " && systemctl start chargerd"));
}

/* Garbage over D-Bus, privileged or not: a clear error, nothing changed. */
TEST_F(svc, bad_dbus_calls_get_an_error_and_change_nothing)
{
#define CALL	"busctl call org.chargerd.Charger1 /org/chargerd/Charger1 org.chargerd.Charger1 "
#define NOBODY	"setpriv --reuid=nobody --regid=nogroup --clear-groups "
	char pid[32], out[1024];

	ASSERT_EQ(0, run(pid, sizeof(pid), "systemctl show -P MainPID chargerd"));
	ASSERT_EQ(0, sh(CTL " in-use auto >/dev/null && " CTL " thresholds 80 75 >/dev/null"));

	EXPECT_NE(0, run(out, sizeof(out), NOBODY CALL "SetInUseMode s on 2>&1"));
	EXPECT_NE(NULL, strstr(out, "ccess denied")) TH_LOG("%s", out);
	EXPECT_NE(0, run(out, sizeof(out), NOBODY CALL "SetInUseThresholds uu 90 70 2>&1"));
	EXPECT_NE(0, run(out, sizeof(out), CALL "SetInUseMode s sometimes 2>&1"));
	EXPECT_NE(NULL, strstr(out, "sometimes")) TH_LOG("%s", out);
	EXPECT_NE(0, run(out, sizeof(out), CALL "SetInUseThresholds uu 70 90 2>&1"));
	EXPECT_NE(0, run(out, sizeof(out), CALL "SetInUseThresholds uu 4294967295 0 2>&1"));
	EXPECT_NE(0, run(out, sizeof(out), CALL "GetPlot t 18446744073709551615 2>&1"));
	/* the wrong types, a method that does not exist */
	EXPECT_NE(0, run(out, sizeof(out), CALL "SetInUse s yes 2>&1"));
	EXPECT_NE(0, run(out, sizeof(out), CALL "SetInUseThresholds s 80 2>&1"));
	EXPECT_NE(0, run(out, sizeof(out), CALL "Frobnicate 2>&1"));
	/* a huge but valid request is simply bounded */
	EXPECT_EQ(0, run(out, sizeof(out), NOBODY CALL "GetHistory u 4294967295 >/dev/null 2>&1"));

	/* the same daemon, the same settings */
	EXPECT_EQ(0, sh("[ \"$(systemctl show -P MainPID chargerd)\" = %d ]", atoi(pid)));
	EXPECT_EQ(0, run(out, sizeof(out), CTL " --json in-use"));
	EXPECT_NE(NULL, strstr(out, "\"mode\": \"auto\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"stop_percent\": 80"));
	EXPECT_NE(NULL, strstr(out, "\"resume_percent\": 75"));
#undef CALL
#undef NOBODY
}

/*
 * One chargerd drives the charger: a second, run by hand beside the
 * service, refuses to start, and a hand-back (what a failed start runs)
 * leaves the running one's pause alone (helper-84: both wrote the same
 * attributes, the second's stop handed back over the first's pause).
 */
TEST_F(svc, a_second_chargerd_leaves_the_first_alone)
{
#define BEHAVIOUR	"/sys/class/power_supply/bq25895-charger/charge_behaviour"
	char pid[32], out[1024];

	ASSERT_EQ(0, run(pid, sizeof(pid), "systemctl show -P MainPID chargerd"));
	ASSERT_EQ(0, sh("emulctl battery capacity 90 >/dev/null"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, sh(CTL " in-use on >/dev/null"));
	ASSERT_EQ(0, until("grep -q '\\[inhibit-charge\\]\\|^inhibit-charge$' " BEHAVIOUR));

	EXPECT_EQ(1, run(out, sizeof(out), "timeout 20 /usr/sbin/chargerd 2>&1"));
	EXPECT_NE(NULL, strstr(out, "another chargerd is running")) TH_LOG("%s", out);
	/* another runtime directory: the bus name is the second guard */
	EXPECT_EQ(1, run(out, sizeof(out), "mkdir -p /tmp/other-run && RUNTIME_DIRECTORY=/tmp/other-run "
			 "STATE_DIRECTORY=/tmp/other-run timeout 20 /usr/sbin/chargerd 2>&1"));
	EXPECT_NE(NULL, strstr(out, "another chargerd owns the bus name")) TH_LOG("%s", out);
	EXPECT_EQ(0, run(out, sizeof(out), "/usr/sbin/chargerd --hand-back 2>&1"));
	EXPECT_NE(NULL, strstr(out, "nothing handed back")) TH_LOG("%s", out);
	EXPECT_EQ(0, sh("grep -q '\\[inhibit-charge\\]\\|^inhibit-charge$' " BEHAVIOUR));
	/* the same daemon, still pausing */
	EXPECT_EQ(0, sh("[ \"$(systemctl show -P MainPID chargerd)\" = %d ]", atoi(pid)));
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUse\": true'"));
	ASSERT_EQ(0, sh(CTL " in-use auto >/dev/null"));
	/* stopped, the hand-back is the service's again */
	ASSERT_EQ(0, sh(CTL " in-use on >/dev/null"));
	ASSERT_EQ(0, until("grep -q '\\[inhibit-charge\\]\\|^inhibit-charge$' " BEHAVIOUR));
	ASSERT_EQ(0, sh("systemctl stop chargerd"));
	EXPECT_EQ(0, sh("grep -q '\\[auto\\]\\|^auto$' " BEHAVIOUR));
	ASSERT_EQ(0, sh("systemctl start chargerd"));
	ASSERT_EQ(0, sh(CTL " in-use auto >/dev/null"));
#undef BEHAVIOUR
}

/*
 * The bus not there when chargerd starts (dbus-daemon late, or not yet
 * reading the package's policy): it runs, and connects once the bus is
 * there (helper-84: it ran without D-Bus for good, chargerctl saying
 * "not running" while it ran).
 */
TEST_F(svc, a_bus_there_after_the_start_is_connected_to)
{
	char out[1024];
	pid_t pid;

	ASSERT_EQ(0, sh("systemctl stop chargerd"));
	ASSERT_EQ(0, sh("rm -f /run/chargerd-late-bus"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/run/chargerd-late-bus", 1);
		setenv("RUNTIME_DIRECTORY", "/run/chargerd", 1);
		setenv("STATE_DIRECTORY", "/var/lib/chargerd", 1);
		execlp("setpriv", "setpriv", "--reuid=chargerd", "--regid=chargerd",
		       "--init-groups", "/usr/sbin/chargerd", (char *)NULL);
		_exit(127);
	}
	/* up, without D-Bus: said so */
	EXPECT_EQ(0, until("journalctl -b --no-pager -o cat | grep -q "
			   "'running without D-Bus, trying again'"));
	EXPECT_EQ(3, run(out, sizeof(out), CTL " status 2>&1"));
	/* the bus there now: connected at the next try, within 5 s */
	ASSERT_EQ(0, sh("ln -s /run/dbus/system_bus_socket /run/chargerd-late-bus"));
	EXPECT_EQ(0, until(CTL " --json status | grep -q '\"Charger\": \"bq25895-charger\"'"));
	EXPECT_EQ(0, sh("journalctl -b --no-pager -o cat | grep -q "
			"'chargerd: connected to the system bus'"));
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	sh("rm -f /run/chargerd-late-bus");
	ASSERT_EQ(0, sh("systemctl start chargerd"));
}

/*
 * A file that does not parse at a start: chargerd runs on the
 * configuration the last file that parsed gave (the product's stricter
 * heat stop among it) and says why, until a reload with a file that
 * parses (helper-83: one typo stopped chargerd, and with it the heat
 * stop; helper-85: the defaults' 43 degC was laxer than a product's).
 */
TEST_F(svc, a_broken_config_at_the_start_runs_on_the_last_in_force)
{
	ASSERT_EQ(0, sh("printf '[thermal]\\nhot_c = 38\\nstop_c = 40\\n' > " CONF
			" && systemctl restart chargerd"));
	ASSERT_EQ(0, until(CTL " --json report | grep -q '\"thermal_stop_c\": 40'"));
	ASSERT_EQ(0, sh("printf '[thermal]\\nstop_c = hot\\n' > " CONF));
	ASSERT_EQ(0, sh("systemctl restart chargerd"));
	EXPECT_EQ(0, sh("systemctl is-active --quiet chargerd"));
	EXPECT_EQ(0, wait_record(MID_AGENT_ERROR, "CHARGERD_ERROR='the configuration does not parse; "
				 "running on the one last in force (config-in-force) until it is "
				 "mended (systemctl reload chargerd; the supplies and the history'"
				 "\"'\"'s bound at the next start): " CONF ":2: [thermal] stop_c: "
				 "'\"'\"'hot'\"'\"' is not a number in 20..60'",
				 self->buf, sizeof(self->buf)));
	EXPECT_EQ(0, until(CTL " --json report | grep -q '\"thermal_stop_c\": 40'"));
	/* too hot for the product's 40 degC (the defaults' stop is 43): held */
	ASSERT_EQ(0, sh("emulctl temp 41 >/dev/null"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	EXPECT_EQ(0, until("grep -q '\\[inhibit-charge\\]\\|^inhibit-charge$' "
			   "/sys/class/power_supply/bq25895-charger/charge_behaviour"));
	/* mended and reloaded: in force */
	ASSERT_EQ(0, sh("printf '[thermal]\\nstop_c = 44\\n' > " CONF " && systemctl reload chargerd"));
	EXPECT_EQ(0, until(CTL " --json report | grep -q '\"thermal_stop_c\": 44'"));
	ASSERT_EQ(0, sh("emulctl temp 25 >/dev/null"));
}

/*
 * A person following chargerd sees it go and come back, its state read
 * again (helper-84: kill -9 printed nothing; the new one's properties
 * came as ordinary changes).
 */
TEST_F(svc, monitor_says_chargerd_stopped_and_started)
{
	pid_t mon;
	int fd;

	mon = fork();
	ASSERT_LE(0, mon);
	if (!mon) {
		fd = open("/tmp/monitor-restart.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		execlp("chargerctl", "chargerctl", "monitor", (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(0, until("grep -q Following /tmp/monitor-restart.txt"));
	ASSERT_EQ(0, sh("systemctl kill -s KILL chargerd"));
	EXPECT_EQ(0, until("grep -qx 'chargerd stopped' /tmp/monitor-restart.txt"));
	EXPECT_EQ(0, until("grep -qx 'chargerd started' /tmp/monitor-restart.txt"));
	/* and its state whole on the line after */
	EXPECT_EQ(0, until("grep -A1 -x 'chargerd started' /tmp/monitor-restart.txt | "
			   "grep -q 'Charger=\"bq25895-charger\"'"));
	kill(mon, SIGTERM);
	waitpid(mon, NULL, 0);
	EXPECT_EQ(0, until(CTL " --json status | grep -q '\"Charger\": \"bq25895-charger\"'"));
}

/*
 * "In use" for the audio stack: a member of the audio group (a player, the
 * user's PipeWire) holds it for as long as its connection lives, and
 * cannot change the product's settings; outside both groups, nothing.
 * Killed, its hold goes with it.
 */
TEST_F(svc, the_audio_group_holds_in_use_while_it_lives)
{
#define CALL	"busctl call org.chargerd.Charger1 /org/chargerd/Charger1 org.chargerd.Charger1 "
#define NOBODY	"setpriv --reuid=nobody --regid=nogroup --clear-groups "
/* a player's system user, in the audio group in the user database as on a product */
#define AUDIO	"setpriv --reuid=player --regid=nogroup --init-groups "
	char out[1024], pid[32], held[96];

	ASSERT_EQ(0, sh("id player >/dev/null 2>&1 || "
			"useradd --system --no-create-home --groups audio player"));
	ASSERT_EQ(0, sh(CTL " in-use auto >/dev/null"));
	EXPECT_NE(0, run(out, sizeof(out), NOBODY CALL "SetInUse b true 2>&1"));
	EXPECT_NE(NULL, strstr(out, "ccess denied")) TH_LOG("%s", out);
	EXPECT_NE(0, run(out, sizeof(out), AUDIO CALL "SetInUseMode s on 2>&1"));
	EXPECT_NE(NULL, strstr(out, "ccess denied")) TH_LOG("%s", out);
	EXPECT_NE(0, run(out, sizeof(out), AUDIO CALL "SetInUseThresholds uu 90 70 2>&1"));
	EXPECT_NE(NULL, strstr(out, "ccess denied")) TH_LOG("%s", out);

	/* setpriv execs chargerctl: $! is the holder's pid */
	ASSERT_EQ(0, run(pid, sizeof(pid), AUDIO "chargerctl hold sleep 600 >/dev/null 2>&1 & echo $!"));
	/* its process is hidden from chargerd (ProtectProc=): its pid and user show */
	snprintf(held, sizeof(held), CTL " status | grep -q 'held by .*pid %d of user player'",
		 atoi(pid));
	EXPECT_EQ(0, until(held));
	EXPECT_EQ(0, until(CTL " --json status | grep -q '\"InUse\": true'"));
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUseMode\": \"auto\"'"));

	EXPECT_EQ(0, sh("kill -9 %d", atoi(pid)));
	EXPECT_EQ(0, until(CTL " --json status | grep -q '\"InUse\": false'"));
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUseLingers\": false'"));
	EXPECT_NE(0, sh("%s", held));
	/* the command it ran goes with it (PR_SET_PDEATHSIG) */
	EXPECT_EQ(0, until("! pgrep -x -u player sleep >/dev/null"));
#undef CALL
#undef NOBODY
#undef AUDIO
}

/*
 * A D-Bus client that holds "in use" (SetInUse(true)) and then only waits,
 * as an audio server may: it never asks again, so a hold it has after a
 * restart of chargerd is one chargerd kept. Its pid, or -1. It dies with
 * the test. Its exit status 1: the hold was refused.
 */
static pid_t raw_holder(void)
{
	sd_bus *bus = NULL;
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (sd_bus_open_system(&bus) < 0 ||
	    sd_bus_call_method(bus, "org.chargerd.Charger1", "/org/chargerd/Charger1",
			       "org.chargerd.Charger1", "SetInUse", NULL, NULL, "b", 1) < 0)
		_exit(1);
	for (;;)
		pause();
}

/*
 * A hung chargerd (SIGSTOP, a deadlock) holds no heat stop: charging warm,
 * the service manager's watchdog is 1 min, not the unit's 15 (helper-90),
 * and a hang then is ended by systemd (SIGABRT, SIGKILL after the unit's
 * TimeoutAbortSec=) and the chargerd it starts again stops the charge the
 * heat asks to stop. Charging at room temperature, 8 min (the heat may
 * come after the hang; its pings ride on the resync's wakeups). Not
 * charging (unplugged), the unit's 15 min (the pings cost wakeups on
 * battery).
 */
TEST_F(svc, a_hang_while_charging_is_ended_within_minutes)
{
#define WATCHDOG_IS(v)	"test \"$(systemctl show -P WatchdogUSec chargerd)\" = " v
	char pid[32], cond[512];

	ASSERT_EQ(0, sh("emulctl battery capacity 50 >/dev/null"));
	ASSERT_EQ(0, sh("emulctl temp 25 >/dev/null"));
	ASSERT_EQ(0, knob_set("source", "none"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": false'"));
	EXPECT_EQ(0, until(WATCHDOG_IS("15min")));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": true'"));
	EXPECT_EQ(0, until(WATCHDOG_IS("8min")));
	ASSERT_EQ(0, sh("emulctl temp 38 >/dev/null"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"ChargeCurrentPercent\": 50'"));
	EXPECT_EQ(0, until(WATCHDOG_IS("1min")));
	ASSERT_EQ(0, sh("emulctl temp 25 >/dev/null"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"ChargeCurrentPercent\": 100'"));
	EXPECT_EQ(0, until(WATCHDOG_IS("8min")));
	ASSERT_EQ(0, knob_set("source", "none"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": false'"));
	EXPECT_EQ(0, until(WATCHDOG_IS("15min")));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": true'"));

	/*
	 * warm again (a caller's read has chargerd look: nothing announces a
	 * temperature), then hung, then hot: no chargerd to stop it but systemd's
	 */
	ASSERT_EQ(0, sh("emulctl temp 38 >/dev/null"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"ChargeCurrentPercent\": 50'"));
	ASSERT_EQ(0, until(WATCHDOG_IS("1min")));
	ASSERT_EQ(0, run(pid, sizeof(pid), "systemctl show -P MainPID chargerd"));
	ASSERT_LT(0, atoi(pid));
	ASSERT_EQ(0, sh("kill -STOP %d", atoi(pid)));
	ASSERT_EQ(0, sh("emulctl temp 47 >/dev/null"));
	/* 1 min of watchdog, the abort's 10 s, a restart: within 3 min */
	snprintf(cond, sizeof(cond),
		 "end=$(($(date +%%s) + 180)); while [ $(date +%%s) -lt $end ]; do "
		 "p=$(systemctl show -P MainPID chargerd); [ \"$p\" != 0 ] && [ \"$p\" != %d ] && "
		 "grep -q '\\[inhibit-charge\\]\\|^inhibit-charge$' "
		 "/sys/class/power_supply/bq25895-charger/charge_behaviour && exit 0; sleep 1; done; exit 1",
		 atoi(pid));
	EXPECT_EQ(0, sh("%s", cond));
	EXPECT_EQ(0, sh("journalctl -b -u chargerd -o cat | grep -qi 'watchdog timeout'"));
	sh("kill -CONT %d 2>/dev/null", atoi(pid));
	ASSERT_EQ(0, sh("emulctl temp 25 >/dev/null"));
	ASSERT_EQ(0, sh("systemctl reset-failed chargerd 2>/dev/null; systemctl is-active -q chargerd"));
#undef WATCHDOG_IS
}

/*
 * systemd-sleep's hook: before the system sleeps, the in-use pause is let
 * go (nothing plays, nobody uses a sleeping device), written before the
 * hook returns; after, it is back (helper-87: the in-use pause held
 * charging at 80 % through a night's sleep on the charger). A heat stop
 * stays through the sleep, with a wake alarm to look again. Only root
 * and the chargerd group may say so; without chargerd the hook holds
 * nothing up.
 */
TEST_F(svc, a_sleep_lets_go_of_the_in_use_pause_not_of_a_heat_stop)
{
#define BEHAVIOUR	"/sys/class/power_supply/bq25895-charger/charge_behaviour"
#define INHIBITED	"grep -q '\\[inhibit-charge\\]\\|^inhibit-charge$' " BEHAVIOUR
#define AUTO		"grep -q '\\[auto\\]\\|^auto$' " BEHAVIOUR
#define HOOK		"/usr/lib/systemd/system-sleep/chargerd"
/*
 * one of chargerd's fds a timerfd on CLOCK_BOOTTIME_ALARM, armed (proc(5)'s
 * fdinfo). chargerd closes it when the alarm is not wanted: the fdinfo of
 * a stopped alarm timerfd still shows the time it had left (6.1's
 * alarm_expires_remaining()), so "none" is the only sure "off".
 */
#define ALARM_ARMED	"p=$(systemctl show -P MainPID chargerd); for f in /proc/$p/fdinfo/*; do " \
			"grep -qx 'clockid: 9' $f && ! grep -q 'it_value: (0, 0)' $f && exit 0; " \
			"done; exit 1"
	char pid[32], out[1024];

	ASSERT_EQ(0, sh("emulctl battery capacity 90 >/dev/null"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, sh(CTL " in-use auto >/dev/null"));
	ASSERT_EQ(0, run(pid, sizeof(pid), "chargerctl hold sleep 600 >/dev/null 2>&1 & echo $!"));
	ASSERT_EQ(0, until(INHIBITED));

	EXPECT_EQ(0, sh(HOOK " pre suspend"));
	EXPECT_EQ(0, sh(AUTO));			/* written before the hook returned */
	EXPECT_NE(0, sh(ALARM_ARMED));		/* no thermal stop: no wake alarm */
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUse\": false'"));
	EXPECT_EQ(0, sh(HOOK " post suspend"));
	EXPECT_EQ(0, until(INHIBITED));
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUse\": true'"));
	EXPECT_EQ(0, sh("kill %d", atoi(pid)));
	EXPECT_EQ(0, until(AUTO));

	/*
	 * too hot: the stop stays through the sleep. The cell is full: no
	 * interrupt says the temperature; a caller's read looks again.
	 */
	ASSERT_EQ(0, sh("emulctl temp 47 >/dev/null"));
	ASSERT_EQ(0, until(CTL " status >/dev/null && " INHIBITED));
	EXPECT_EQ(0, sh(HOOK " pre suspend"));
	EXPECT_EQ(0, sh(INHIBITED));
	/*
	 * and a wake alarm looks again while it sleeps (helper-87: a cell
	 * that cooled in the night charged only at the wake): chargerd holds
	 * an armed CLOCK_BOOTTIME_ALARM (9) timerfd, said in the journal
	 */
	EXPECT_EQ(0, sh(ALARM_ARMED));
	EXPECT_EQ(0, sh("journalctl -b -u chargerd -o cat | grep -q "
			"'charging stays paused for the temperature through the sleep: a wake alarm'"));
	EXPECT_EQ(0, sh(HOOK " post suspend"));
	EXPECT_NE(0, sh(ALARM_ARMED));		/* awake: off again */
	/*
	 * no alarm in a suspend-then-hibernate: systemd-sleep takes a wake
	 * before its own alarm for the user's, stays awake and never
	 * hibernates (helper-92); the stop stays, said
	 */
	EXPECT_EQ(0, sh(HOOK " pre suspend-then-hibernate"));
	EXPECT_EQ(0, sh(INHIBITED));
	EXPECT_NE(0, sh(ALARM_ARMED));
	EXPECT_EQ(0, sh("journalctl -b -u chargerd -o cat | grep -q "
			"'no wake alarm in a suspend-then-hibernate'"));
	EXPECT_EQ(0, sh(HOOK " post suspend-then-hibernate"));
	/*
	 * a second "before" with no "after" between (a hook killed), the
	 * stop gone meanwhile: the first's alarm does not stay (helper-92)
	 */
	EXPECT_EQ(0, sh(HOOK " pre suspend"));
	EXPECT_EQ(0, sh(ALARM_ARMED));
	ASSERT_EQ(0, sh("emulctl temp 25 >/dev/null"));
	EXPECT_EQ(0, until(CTL " status >/dev/null && " AUTO));
	EXPECT_EQ(0, sh(HOOK " pre suspend"));
	EXPECT_NE(0, sh(ALARM_ARMED));
	EXPECT_EQ(0, sh(HOOK " post suspend"));
	/*
	 * warm on the charger: a band's lower current charges through the
	 * sleep, and the cell may warm on past chargerd's stop (the chip's
	 * own zone stops it near 60 degC: helper-93): looked at again; full,
	 * not (helper-92: a full battery in a warm room woke the system every
	 * 30 min all night)
	 */
	ASSERT_EQ(0, sh("emulctl temp 38 >/dev/null"));
	EXPECT_EQ(0, until(CTL " --json status | grep -q '\"ChargeCurrentPercent\": 50'"));
	EXPECT_EQ(0, sh(HOOK " pre suspend"));
	EXPECT_EQ(0, sh(ALARM_ARMED));
	EXPECT_EQ(0, sh("journalctl -b -u chargerd -o cat | grep -q "
			"'the charge current stays lowered for the temperature through the sleep: a wake alarm'"));
	EXPECT_EQ(0, sh(HOOK " post suspend"));
	ASSERT_EQ(0, sh("emulctl battery capacity 100 >/dev/null"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Capacity\": 100'"));
	EXPECT_EQ(0, sh(HOOK " pre suspend"));
	EXPECT_NE(0, sh(ALARM_ARMED));
	EXPECT_EQ(0, sh(HOOK " post suspend"));
	ASSERT_EQ(0, sh("emulctl battery capacity 90 >/dev/null"));
	/* the sleep's kind as the hook's old method gives it: a suspend */
	ASSERT_EQ(0, sh("emulctl temp 47 >/dev/null"));
	ASSERT_EQ(0, until(CTL " status >/dev/null && " INHIBITED));
	EXPECT_EQ(0, sh("busctl call org.chargerd.Charger1 /org/chargerd/Charger1 "
			"org.chargerd.Charger1 PrepareForSleep b true"));
	EXPECT_EQ(0, sh(ALARM_ARMED));
	EXPECT_NE(0, run(out, sizeof(out), "busctl call org.chargerd.Charger1 /org/chargerd/Charger1 "
			 "org.chargerd.Charger1 PrepareForSleepAction bs true '' 2>&1"));
	EXPECT_NE(NULL, strstr(out, "the sleep's kind must be")) TH_LOG("%s", out);
	EXPECT_EQ(0, sh(HOOK " post suspend"));
	/* a full battery has nothing to gain from a cooler cell: no alarm */
	ASSERT_EQ(0, sh("emulctl battery capacity 100 >/dev/null"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Capacity\": 100'"));
	EXPECT_EQ(0, sh(HOOK " pre suspend"));
	EXPECT_NE(0, sh(ALARM_ARMED));
	EXPECT_EQ(0, sh(HOOK " post suspend"));
	ASSERT_EQ(0, sh("emulctl battery capacity 90 >/dev/null"));
	ASSERT_EQ(0, sh("emulctl temp 25 >/dev/null"));
	EXPECT_EQ(0, until(CTL " status >/dev/null && " AUTO));
	/*
	 * on battery, warm: the band lingers in the policy with no charging
	 * to hold, and no wake alarm comes (helper-91: every 30 min of a
	 * sleep on battery)
	 */
	ASSERT_EQ(0, knob_set("source", "none"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Online\": false'"));
	ASSERT_EQ(0, sh("emulctl temp 38 >/dev/null"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Temperature\": 38[0-9]'"));
	EXPECT_EQ(0, sh(HOOK " pre suspend"));
	EXPECT_NE(0, sh(ALARM_ARMED));
	EXPECT_EQ(0, sh(HOOK " post suspend"));
	ASSERT_EQ(0, sh("emulctl temp 25 >/dev/null"));
	ASSERT_EQ(0, knob_set("source", "dcp"));

	/* nobody else may say the system sleeps */
	EXPECT_NE(0, run(out, sizeof(out), "setpriv --reuid=nobody --regid=nogroup --clear-groups "
			 "busctl call org.chargerd.Charger1 /org/chargerd/Charger1 "
			 "org.chargerd.Charger1 PrepareForSleep b true 2>&1"));
	EXPECT_NE(NULL, strstr(out, "ccess denied")) TH_LOG("%s", out);
	/* chargerd stopped: the hook returns, quietly */
	ASSERT_EQ(0, sh("systemctl stop chargerd"));
	EXPECT_EQ(0, run(out, sizeof(out), "timeout 10 " HOOK " pre suspend 2>&1"));
	EXPECT_STREQ("", out);
	ASSERT_EQ(0, sh("systemctl start chargerd"));
#undef BEHAVIOUR
#undef INHIBITED
#undef AUTO
#undef HOOK
#undef ALARM_ARMED
}

/*
 * A restart of chargerd (systemctl restart, a crash) keeps the hold of a
 * client still on the bus: it is there from the new chargerd's start. A
 * client that left while chargerd was stopped is not adopted.
 */
TEST_F(svc, a_restart_keeps_a_clients_hold)
{
	char held[128], back[256];
	long long old;
	pid_t holder;
	int status;

	ASSERT_EQ(0, sh(CTL " in-use auto >/dev/null"));
	holder = raw_holder();
	ASSERT_LT(0, holder);
	snprintf(held, sizeof(held), CTL " status | grep -q 'held by .*\\b%d\\b'", holder);
	ASSERT_EQ(0, until(held));
	EXPECT_EQ(0, sh("grep -q ' .*\\b%d\\b' /run/chargerd/holds", holder));

	ASSERT_EQ(0, sh("systemctl restart chargerd"));
	/* no until(): the hold is adopted before READY=1 */
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUse\": true'"));
	EXPECT_EQ(0, sh("%s", held));

	old = main_pid();
	ASSERT_LT(0, old);
	ASSERT_EQ(0, sh("kill -9 %lld", old));
	snprintf(back, sizeof(back), "[ \"$(systemctl show -P ActiveState chargerd)\" = active ] && "
		 "p=$(systemctl show -P MainPID chargerd) && [ $p != 0 ] && [ $p != %lld ]", old);
	EXPECT_EQ(0, until(back)) TH_LOG("systemd did not start chargerd again after kill -9");
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUse\": true'"));
	EXPECT_EQ(0, sh("%s", held));

	/* gone while no chargerd was there to see it */
	ASSERT_EQ(0, sh("systemctl stop chargerd"));
	kill(holder, SIGKILL);
	waitpid(holder, &status, 0);
	ASSERT_EQ(0, sh("systemctl start chargerd"));
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUse\": false'"));
	EXPECT_NE(0, sh("%s", held));
	EXPECT_EQ(0, sh("test ! -e /run/chargerd/holds"));
}

/*
 * Cut chargerd's own connection to the system bus, the bus itself living
 * on (as dbus-daemon does to a client past its limits): shutdown() of the
 * socket, through a copy of chargerd's descriptor (pidfd_getfd(), root's
 * ptrace right). Its connection is the one AF_UNIX socket whose peer is
 * the bus's path. 0 once cut, or -1.
 */
static int cut_bus_connection(pid_t pid)
{
	struct sockaddr_un a;
	socklen_t len;
	int pidfd, fd, i, cut = -1;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	for (i = 3; i < 256 && cut; i++) {
		fd = syscall(SYS_pidfd_getfd, pidfd, i, 0);
		if (fd < 0)
			continue;
		len = sizeof(a);
		memset(&a, 0, sizeof(a));
		if (!getpeername(fd, (struct sockaddr *)&a, &len) && a.sun_family == AF_UNIX &&
		    !strcmp(a.sun_path, "/run/dbus/system_bus_socket"))
			cut = shutdown(fd, SHUT_RDWR);
		close(fd);
	}
	close(pidfd);
	return cut;
}

/*
 * The bus drops chargerd's connection and lives on (B1): chargerd says
 * so and exits with a failure; systemd starts it again on the same bus,
 * where it adopts the hold of the client still there. Nothing between
 * lets charging past the limits in force (they stay, as after kill -9),
 * the session goes on under its id, and the adopted hold is released
 * when its client leaves.
 */
TEST_F(svc, a_dropped_bus_connection_keeps_holds_and_limits)
{
	char held[128], back[256], cc[32], cb[64], cc2[32], cb2[64];
	long long old, id;
	pid_t holder;
	int base, status;

	ASSERT_EQ(0, sh(CTL " in-use auto >/dev/null"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Session\": [1-9]'"));
	holder = raw_holder();
	ASSERT_LT(0, holder);
	snprintf(held, sizeof(held), CTL " status | grep -q 'held by .*\\b%d\\b'", holder);
	ASSERT_EQ(0, until(held));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"InUse\": true'"));
	/* settled: the limits the hold brought are what the charger has */
	ASSERT_EQ(0, until("c1=$(cat /sys/class/power_supply/bq25895-charger/constant_charge_current)"
			   " && sleep 1 && [ \"$c1\" = "
			   "\"$(cat /sys/class/power_supply/bq25895-charger/constant_charge_current)\" ]"));
	prop("constant_charge_current", cc, sizeof(cc));
	prop("charge_behaviour", cb, sizeof(cb));
	id = session_now();
	base = nrestarts();
	old = main_pid();
	ASSERT_LT(0, old);

	ASSERT_EQ(0, cut_bus_connection(old)) TH_LOG("no bus connection found in chargerd");
	snprintf(back, sizeof(back), "[ \"$(systemctl show -P ActiveState chargerd)\" = active ] && "
		 "p=$(systemctl show -P MainPID chargerd) && [ $p != 0 ] && [ $p != %lld ]", old);
	ASSERT_EQ(0, until(back)) TH_LOG("systemd did not start chargerd again");
	EXPECT_LT(base, nrestarts());
	EXPECT_EQ(0, wait_record(MID_AGENT_ERROR, "CHARGERD_ERRNO=104", self->buf,
				 sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "lost the system bus")) TH_LOG("%s", self->buf);
	/* the bus lived on: the client is there, and so is its hold */
	EXPECT_EQ(0, kill(holder, 0));
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUse\": true'"));
	EXPECT_EQ(0, sh("%s", held));
	EXPECT_EQ(id, session_now());
	prop("constant_charge_current", cc2, sizeof(cc2));
	prop("charge_behaviour", cb2, sizeof(cb2));
	EXPECT_STREQ(cc, cc2);
	EXPECT_STREQ(cb, cb2);
	EXPECT_ONLINE_AND_AGREES();

	/* the adopted hold is tracked on the new connection */
	kill(holder, SIGKILL);
	waitpid(holder, &status, 0);
	EXPECT_EQ(0, until(CTL " --json status | grep -q '\"InUse\": false'"));
	EXPECT_NE(0, sh("%s", held));
}

/*
 * A client that toggles its hold fast (a flood, or a hold per track or
 * per sound, helper-53): in use lasts 10 s past its end, so charging is
 * paused once and resumed once. Each toggle was a charge_behaviour write,
 * journal records and plot events: a thousand a second.
 */
TEST_F(svc, a_hold_toggled_fast_pauses_charging_once)
{
	sd_bus *bus = NULL;
	long long writes;
	pid_t mon;
	int i, fd;

	/* a person following it: the holders are shown, never a blank line */
	mon = fork();
	ASSERT_LE(0, mon);
	if (!mon) {
		fd = open("/tmp/monitor-hold.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		execlp("chargerctl", "chargerctl", "monitor", (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(0, until("grep -q Following /tmp/monitor-hold.txt"));
	ASSERT_EQ(0, sh(CTL " in-use auto >/dev/null"));
	ASSERT_EQ(0, sh("emulctl battery capacity 90 >/dev/null"));
	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Session\": [1-9]'"));
	ASSERT_EQ(0, until(CTL " --json status | grep -q '\"Capacity\": 90'"));
	writes = agent_counter("policy_writes");
	ASSERT_LE(0, writes);
	ASSERT_LE(0, sd_bus_open_system(&bus));
	for (i = 0; i < 200; i++)
		ASSERT_LE(0, sd_bus_call_method(bus, "org.chargerd.Charger1", "/org/chargerd/Charger1",
						"org.chargerd.Charger1", "SetInUse", NULL, NULL,
						"b", !(i % 2)));
	/* let go: still in use, and paused, for the linger, and it says so */
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUse\": true'"));
	EXPECT_EQ(0, sh(CTL " --json status | grep -q '\"InUseLingers\": true'"));
	EXPECT_EQ(0, sh(CTL " status | grep -q '^In use: *yes (ending: '"));
	EXPECT_EQ(0, until("grep -q '\\[inhibit-charge\\]\\|^inhibit-charge$' "
			   "/sys/class/power_supply/bq25895-charger/charge_behaviour"));
	EXPECT_EQ(0, until(CTL " --json status | grep -q '\"InUse\": false'"));
	EXPECT_EQ(0, until("grep -q '\\[auto\\]\\|^auto$' "
			   "/sys/class/power_supply/bq25895-charger/charge_behaviour"));
	/* paused once, resumed once: two writes (it was one per toggle) */
	writes = agent_counter("policy_writes") - writes;
	printf("# 200 toggles: %lld policy writes\n", writes);
	EXPECT_LE(writes, 4);
	sd_bus_flush_close_unref(bus);
	kill(mon, SIGTERM);
	waitpid(mon, NULL, 0);
	EXPECT_EQ(0, sh("grep -q 'InUseHeldBy=\\[\"' /tmp/monitor-hold.txt"));
	EXPECT_EQ(0, sh("grep -q 'InUseLingers=true' /tmp/monitor-hold.txt"));
	EXPECT_NE(0, sh("grep -q '^ *$' /tmp/monitor-hold.txt")) {
		sh("head -c 2000 /tmp/monitor-hold.txt >&2");
	}
}

/*
 * systemctl reload: the file is read again and applied by the same
 * process; a file that does not parse changes nothing and says why; what
 * a running chargerd cannot change is named for the next start.
 */
TEST_F(svc, systemctl_reload_rereads_the_config)
{
	char pid[32], out[4096];

	ASSERT_EQ(0, run(pid, sizeof(pid), "systemctl show -P MainPID chargerd"));
	ASSERT_EQ(0, sh("printf '[diagnosis]\\nbounce_count = 4\\n' > " CONF
			" && systemctl reload chargerd"));
	ASSERT_EQ(0, wait_record(MID_CONFIG_RELOADED,
				 "CHARGERD_CONFIG_CHANGED=diagnosis.bounce_count=4",
				 self->buf, sizeof(self->buf)));
	EXPECT_EQ(0, until(CTL " --json report | grep -q '\"diagnosis_bounce_count\": 4'"));

	/*
	 * broken: the reload fails, with why (helper-84: it said done), the
	 * configuration in force stays; signalled alone, chargerd refuses it
	 */
	ASSERT_EQ(0, sh("printf '[diagnosis]\\nbounce_count = many\\n' > " CONF));
	EXPECT_NE(0, sh("systemctl reload chargerd"));
	EXPECT_EQ(0, until("journalctl -u chargerd -p err --no-pager -o cat | grep -qF '" CONF
			   ":2: [diagnosis] bounce_count: '\"'\"'many'\"'\"' is not a number in 1..100'"));
	EXPECT_EQ(1, run(out, sizeof(out), "/usr/sbin/chargerd --check-config 2>&1"));
	EXPECT_NE(NULL, strstr(out, CONF ":2: [diagnosis] bounce_count")) TH_LOG("%s", out);
	ASSERT_EQ(0, sh("kill -HUP $(systemctl show -P MainPID chargerd)"));
	ASSERT_EQ(0, wait_record(MID_AGENT_ERROR, "CHARGERD_ERROR='reload: " CONF
				 ":2: [diagnosis] bounce_count: '\"'\"'many'\"'\"' is not a number in 1..100'",
				 self->buf, sizeof(self->buf)));
	EXPECT_EQ(0, run(out, sizeof(out), CTL " --json report"));
	EXPECT_NE(NULL, strstr(out, "\"diagnosis_bounce_count\": 4")) TH_LOG("%.2000s", out);
	EXPECT_EQ(0, sh("systemctl is-active --quiet chargerd"));

	/*
	 * The history's bound and the supplies wait for a start (the charger
	 * in use keeps chargerd's limits until then); the rest is applied.
	 */
	ASSERT_EQ(0, sh("printf '[history]\\nmax_sessions = 7\\n[diagnosis]\\nbounce_count = 5\\n"
			"[supplies]\\ncharger = other-charger\\n' > " CONF " && systemctl reload chargerd"));
	ASSERT_EQ(0, wait_record(MID_CONFIG_RELOADED,
				 "'CHARGERD_CONFIG_AT_RESTART=history.max_sessions supplies.charger'",
				 self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "diagnosis.bounce_count=5")) TH_LOG("%s", self->buf);
	EXPECT_EQ(NULL, strstr(self->buf, "supplies.charger=")) TH_LOG("%s", self->buf);
	EXPECT_EQ(0, until(CTL " --json status | grep -q '\"Charger\": \"bq25895-charger\"'"));
	EXPECT_EQ(0, sh("[ \"$(systemctl show -P MainPID chargerd)\" = %d ]", atoi(pid)));
	/*
	 * a key the settings set over D-Bus hold: the file's edit is named
	 * as kept from them, not "nothing changed" (helper-84)
	 */
	ASSERT_EQ(0, sh(CTL " thresholds 60 50 >/dev/null"));
	ASSERT_EQ(0, sh("printf '[in-use]\\nstop_percent = 95\\nresume_percent = 90\\n' > " CONF
			" && systemctl reload chargerd"));
	ASSERT_EQ(0, wait_record(MID_CONFIG_RELOADED,
				 "'CHARGERD_CONFIG_FROM_SETTINGS=in-use.stop_percent=60 "
				 "in-use.resume_percent=50'", self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "kept as set over D-Bus")) TH_LOG("%s", self->buf);
	EXPECT_EQ(0, sh(CTL " thresholds 80 75 >/dev/null"));
	EXPECT_EQ(0, sh("rm -f " CONF " && systemctl reload chargerd"));
}

/*
 * A supply the configuration names that is not there while another of
 * its kind is (a typo: helper-61's "bq25895-chrager" left every policy
 * off with no record): a warning that names both, once.
 */
TEST_F(svc, a_configured_charger_not_there_is_said)
{
	char pid[32], field[64];
	const char *p;
	int n = 0;

	ASSERT_EQ(0, sh("printf '[supplies]\\ncharger = bq25895-chrager\\n' > " CONF
			" && systemctl restart chargerd"));
	ASSERT_EQ(0, run(pid, sizeof(pid), "systemctl show -P MainPID chargerd"));
	pid[strcspn(pid, "\n")] = '\0';
	ASSERT_EQ(0, wait_record(MID_AGENT_ERROR, "'CHARGERD_ERROR=configured supply missing'",
				 self->buf, sizeof(self->buf)));
	EXPECT_NE(NULL, strstr(self->buf, "[supplies] charger = bq25895-chrager is not here "
			       "(a charger that is here: bq25895-charger)")) TH_LOG("%.2000s", self->buf);
	EXPECT_NE(NULL, strstr(self->buf, "\"PRIORITY\":\"4\"")) TH_LOG("%.2000s", self->buf);
	/* once: the looks a plug makes do not say it again */
	ASSERT_EQ(0, knob_set("source", "dcp"));
	sleep(3);
	ASSERT_EQ(0, journal(MID_AGENT_ERROR, "'CHARGERD_ERROR=configured supply missing'",
			     self->buf, sizeof(self->buf)));
	snprintf(field, sizeof(field), "\"_PID\":\"%s\"", pid);
	for (p = self->buf; (p = strstr(p, field)); p++)
		n++;
	EXPECT_EQ(1, n) TH_LOG("%.2000s", self->buf);
	EXPECT_EQ(0, sh("rm -f " CONF " && systemctl restart chargerd"));
}

/*
 * The status LED the configuration names is the one opened to chargerd,
 * whatever its name and whichever comes first: the LED (the unit's reload
 * opens it) or the configuration (udev's rule, when the LED appears).
 * Another LED is left as the kernel made it.
 */
TEST(the_configured_led_is_opened_to_chargerd)
{
#define LEDS	"/sys/class/leds/"
	char out[256];

	ASSERT_EQ(0, drv_up("create_clients=1 led_name=amber:power", NULL));
	ASSERT_EQ(0, battery_up());
	ASSERT_EQ(0, until("udevadm settle && [ -e " LEDS "amber:power ]"));
	/* not *:charging or *:status, not configured: nobody's */
	EXPECT_EQ(0, sh("[ \"$(stat -c %%G " LEDS "amber:power/brightness)\" = root ]"));

	/* configured, then reloaded: the unit opens it, chargerd drives it */
	ASSERT_EQ(0, sh("printf '[led]\\nname = amber:power\\n' > " CONF
			" && systemctl reload chargerd"));
	EXPECT_EQ(0, until("[ \"$(stat -c %G " LEDS "amber:power/delay_on)\" = chargerd ]"));
	EXPECT_EQ(0, sh("grep -q '\\[timer\\]' " LEDS "amber:power/trigger"));
	knob_set("source", "dcp");
	EXPECT_EQ(0, until("[ \"$(cat /sys/kernel/debug/bq2589x_emul/led)\" != off ]"));
	run(out, sizeof(out), "journalctl -u chargerd -p err --since -2min -q -o cat | grep -i led");
	EXPECT_STREQ("", out);
	knob_set("source", "none");
	EXPECT_EQ(0, drv_down());

	/* the LED appears after the configuration: udev's rule opens it */
	ASSERT_EQ(0, drv_up("create_clients=1 led_name=amber:power", NULL));
	EXPECT_EQ(0, until("udevadm settle && [ \"$(stat -c %G " LEDS "amber:power/delay_on)\" = chargerd ]"));
	EXPECT_EQ(0, sh("[ \"$(stat -c %%a " LEDS "amber:power/brightness)\" = 664 ]"));
	EXPECT_EQ(0, drv_down());
	EXPECT_EQ(0, sh("rm -f " CONF " && systemctl reload chargerd"));
#undef LEDS
}

/* Both programs say the package's version. */
TEST(the_programs_say_their_version)
{
	char want[64], out[128];

	ASSERT_EQ(0, run(want, sizeof(want), "dpkg-query -W -f '${Version}' chargerd"));
	EXPECT_EQ(0, run(out, sizeof(out), "/usr/sbin/chargerd --version"));
	EXPECT_EQ(0, sh("[ \"$(/usr/sbin/chargerd --version)\" = 'chargerd %s' ]", want)) TH_LOG("%s", out);
	EXPECT_EQ(0, sh("[ \"$(chargerctl --version)\" = 'chargerctl %s' ]", want));
}

/*
 * On the device, whoever edits the configuration finds the manuals and
 * the example (the image left out every package's documentation, the
 * product's too: helper-57).
 */
TEST(the_manuals_and_the_example_are_on_the_device)
{
	EXPECT_EQ(0, sh("man -w chargerctl >/dev/null && man -w 8 chargerd >/dev/null && "
			"man -w 5 chargerd.conf >/dev/null"));
	EXPECT_EQ(0, sh("MANPAGER=cat man chargerctl 2>/dev/null | grep -q monitor"));
	/* dh_compress would compress it past 4 KiB */
	EXPECT_EQ(0, sh("zcat -f /usr/share/doc/chargerd/chargerd.conf.example* | "
			"grep -q '^\\[thermal\\]'"));
}

/*
 * The interface as introspection XML where D-Bus tools look
 * (/usr/share/dbus-1/interfaces): what the running chargerd serves,
 * member for member, signature for signature.
 */
TEST(the_installed_interface_is_the_served_one)
{
#define IFACE	"/<interface name=\"org.chargerd.Charger1\">/,/<\\/interface>/p"
	EXPECT_EQ(0, sh("busctl introspect --xml-interface org.chargerd.Charger1 /org/chargerd/Charger1"
			" | sed -n '" IFACE "' > /tmp/served.xml"));
	/* less its comments, one line each: the documentation */
	EXPECT_EQ(0, sh("sed -n '" IFACE "' /usr/share/dbus-1/interfaces/org.chargerd.Charger1.xml"
			" | grep -v '^ *<!--.*-->$' > /tmp/installed.xml"));
	EXPECT_EQ(0, sh("grep -q SetInUse /tmp/served.xml && diff -u /tmp/served.xml /tmp/installed.xml >&2"));
#undef IFACE
}

TEST(chargerctl_without_chargerd)
{
	char out[512];

	ASSERT_EQ(0, sh("systemctl stop chargerd"));
	EXPECT_EQ(3, run(out, sizeof(out), CTL " status 2>&1"));
	EXPECT_NE(NULL, strstr(out, "chargerd is not running")) TH_LOG("%s", out);
	EXPECT_EQ(3, run(out, sizeof(out), CTL " monitor 2>&1"));
	EXPECT_EQ(2, run(out, sizeof(out), CTL " frobnicate 2>&1"));
	/* getopt's messages name the program as its own do, not by its path */
	EXPECT_EQ(2, run(out, sizeof(out), "timeout 20 $(command -v chargerctl) history -n 2>&1"));
	EXPECT_EQ(0, strncmp(out, "chargerctl: option requires an argument", 39)) TH_LOG("%s", out);
	/* a player plays whatever became of chargerd: hold runs its command */
	EXPECT_EQ(7, run(out, sizeof(out), CTL " hold sh -c 'echo played; exit 7' 2>&1"));
	EXPECT_NE(NULL, strstr(out, "played")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "sh runs without the hold; it is taken when chargerd starts"))
		TH_LOG("%s", out);
	/* a command that cannot run: env(1)'s statuses, not one of chargerctl's */
	EXPECT_EQ(127, run(out, sizeof(out), CTL " hold no-such-player 2>&1"));
	EXPECT_NE(NULL, strstr(out, "no-such-player: No such file or directory")) TH_LOG("%s", out);
	EXPECT_EQ(126, run(out, sizeof(out), CTL " hold /etc/passwd 2>&1"));
	EXPECT_EQ(0, sh("systemctl start chargerd"));
}

#define SILENT_BUS	"/run/chargerd-test-silent-bus"

/*
 * A system bus that takes the connection and never answers (a hung or
 * stopped dbus-daemon): chargerctl says so after its 5 s, not sd-bus's
 * 90 s with "the bus closed the connection", and hold runs its command.
 */
TEST(chargerctl_on_a_bus_that_does_not_answer)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = SILENT_BUS };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char out[512] = "";

	ASSERT_LE(0, s);
	unlink(SILENT_BUS);
	ASSERT_EQ(0, bind(s, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, listen(s, 8));	/* connects go through; nothing is read */
	EXPECT_EQ(7, run(out, sizeof(out), "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" SILENT_BUS " "
			 CTL " hold sh -c 'echo played; exit 7' 2>&1"));
	EXPECT_NE(NULL, strstr(out, "played")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "the system bus does not answer")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "sh runs without the hold\n")) TH_LOG("%s", out);
	EXPECT_EQ(3, run(out, sizeof(out), "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" SILENT_BUS " "
			 CTL " status 2>&1"));
	EXPECT_NE(NULL, strstr(out, "the system bus does not answer")) TH_LOG("%s", out);
	close(s);
	unlink(SILENT_BUS);
}

TEST(a_broken_config_is_checked_with_its_line)
{
	char out[512] = "";

	ASSERT_EQ(0, sh("printf '[agent]\\nresync_s = soon\\n' > /tmp/bad.conf"));
	EXPECT_EQ(1, run(out, sizeof(out), "/usr/sbin/chargerd --check-config --config /tmp/bad.conf 2>&1"));
	EXPECT_NE(NULL, strstr(out, "/tmp/bad.conf:2: [agent] resync_s: 'soon' is not a number"))
		TH_LOG("%s", out);
	EXPECT_EQ(0, run(out, sizeof(out), "/usr/sbin/chargerd --check-config --config /nonexistent 2>&1"));
	EXPECT_NE(NULL, strstr(out, "/nonexistent: no such file: the defaults apply")) TH_LOG("%s", out);
}

/*
 * Installed as on a product, from its package: started at boot, as its
 * own user, hardened. The image has no man pages (a product image drops
 * them), so the unit's Documentation= is not looked up.
 */
TEST(the_service)
{
	char out[256] = "";

	EXPECT_EQ(0, sh("[ \"$(dpkg-query -S /usr/sbin/chargerd /lib/systemd/system/chargerd.service "
			"| cut -d: -f1 | sort -u)\" = chargerd ]"));
	EXPECT_EQ(0, sh("systemctl is-active --quiet chargerd"));
	EXPECT_EQ(0, sh("ps -o user= -C chargerd | grep -qx chargerd"));
	EXPECT_EQ(0, sh("systemd-analyze verify --man=no /lib/systemd/system/chargerd.service"));
	/* it owns its bus name, as its own user */
	EXPECT_EQ(0, sh("busctl list | grep -Eq '^org\\.chargerd\\.Charger1 +[0-9]+ +chargerd +chargerd '"));
	run(out, sizeof(out), "systemd-analyze security chargerd.service 2>&1 | tail -n 1");
	TH_LOG("systemd-analyze security: %s", out);
	printf("# chargerd.service security: %s", out);
	EXPECT_NE(NULL, strstr(out, "exposure level"));
	/* the catalog explains the records */
	EXPECT_EQ(0, sh("journalctl --update-catalog && journalctl --list-catalog "
			"| grep -c -e " MID_PLUG " -e " MID_UNPLUG " -e " MID_SESSION_START
			" -e " MID_SESSION_END " -e " MID_FAULT_RAISED " -e " MID_FAULT_CLEARED
			" | grep -qx 6"));
}

TEST_HARNESS_MAIN
