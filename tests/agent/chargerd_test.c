// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd's core loop end to end in the virtual device: emulator, driver,
 * uevent, chargerd, journal. Plug and unplug must each leave one structured
 * record with the right MESSAGE_ID and fields; a broken config must stop it
 * with file, line and key.
 */
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "../driver/driver_test.h"

#define CHARGERD	"/opt/chargerd/build/bin/chargerd"
#define MID_PLUG	"3f1b9a6c2e4d4b7e9a1c5d8e7f60a1b2"
#define MID_UNPLUG	"6d2c8b1a9f3e4c5d8b7a6e5f4d3c2b1a"

/* The daemon's records with this MESSAGE_ID, as JSON lines, into buf. */
static int journal(pid_t pid, const char *mid, char *buf, size_t len)
{
	char cmd[256];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd),
		 "journalctl --no-pager -o json MESSAGE_ID=%s _PID=%d 2>/dev/null", mid, pid);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(buf, 1, len - 1, p);
	buf[n] = '\0';
	pclose(p);
	return (int)n;
}

/* Wait (a sync, not a measure) for the record to reach the journal. */
static int wait_record(pid_t pid, const char *mid, char *buf, size_t len)
{
	int i;

	for (i = 0; i < 100; i++) {
		sh("journalctl --sync 2>/dev/null");
		if (journal(pid, mid, buf, len) > 0)
			return 0;
		usleep(200000);
	}
	return -1;
}

FIXTURE(agent) {
	pid_t pid;
};

FIXTURE_SETUP(agent)
{
	ASSERT_EQ(0, drv_up(NULL, NULL));
	self->pid = fork();
	ASSERT_LE(0, self->pid);
	if (!self->pid) {
		execl(CHARGERD, CHARGERD, "--config", "/dev/null", (char *)NULL);
		_exit(127);
	}
	usleep(500000);
	ASSERT_EQ(0, kill(self->pid, 0));	/* it is running */
}

FIXTURE_TEARDOWN(agent)
{
	int status;

	kill(self->pid, SIGTERM);
	waitpid(self->pid, &status, 0);
	EXPECT_EQ(0, drv_down());
}

TEST_F(agent, plug_and_unplug_are_journalled)
{
	char rec[16384];

	ASSERT_EQ(0, knob_set("source", "dcp"));
	ASSERT_EQ(0, wait_record(self->pid, MID_PLUG, rec, sizeof(rec)));
	EXPECT_NE(NULL, strstr(rec, "\"CHARGER_USB_TYPE\":\"DCP\"")) TH_LOG("%s", rec);
	EXPECT_NE(NULL, strstr(rec, "\"CHARGER_SOURCE_KIND\":\"dcp\""));
	EXPECT_NE(NULL, strstr(rec, "\"CHARGER_NAME\":\"bq25895-charger\""));
	EXPECT_NE(NULL, strstr(rec, "\"CHARGER_HEALTH\":\"Good\""));
	EXPECT_NE(NULL, strstr(rec, "\"PRIORITY\":\"6\""));

	ASSERT_EQ(0, knob_set("source", "none"));
	ASSERT_EQ(0, wait_record(self->pid, MID_UNPLUG, rec, sizeof(rec)));
	EXPECT_NE(NULL, strstr(rec, "Charger unplugged")) TH_LOG("%s", rec);
	/* exactly one plug record for one plug */
	journal(self->pid, MID_PLUG, rec, sizeof(rec));
	EXPECT_EQ(NULL, strchr(strchr(rec, '\n') + 1, '{'));
}

TEST(broken_config_refuses_to_start)
{
	char out[512] = "";
	FILE *p;
	int status;

	ASSERT_EQ(0, sh("printf '[agent]\\nresync_s = soon\\n' > /tmp/bad.conf"));
	p = popen(CHARGERD " --config /tmp/bad.conf 2>&1", "r");
	ASSERT_NE(NULL, p);
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	status = pclose(p);
	EXPECT_EQ(1, WEXITSTATUS(status));
	EXPECT_NE(NULL, strstr(out, "/tmp/bad.conf:2: [agent] resync_s: 'soon' is not a number"))
		TH_LOG("%s", out);
}

/* Installed as on a product: started at boot, as its own user, hardened. */
TEST(the_service)
{
	char out[256] = "";
	FILE *p;

	EXPECT_EQ(0, sh("systemctl is-active --quiet chargerd"));
	EXPECT_EQ(0, sh("ps -o user= -C chargerd | grep -qx chargerd"));
	EXPECT_EQ(0, sh("systemd-analyze verify /usr/lib/systemd/system/chargerd.service"));
	p = popen("systemd-analyze security chargerd.service 2>&1 | tail -n 1", "r");
	ASSERT_NE(NULL, p);
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	pclose(p);
	TH_LOG("systemd-analyze security: %s", out);
	printf("# chargerd.service security: %s", out);
	EXPECT_NE(NULL, strstr(out, "exposure level"));
	/* killed hard, it comes back (Restart=on-failure) */
	EXPECT_EQ(0, sh("old=$(systemctl show -P MainPID chargerd) && "
			"systemctl kill -s KILL chargerd && "
			"for i in $(seq 50); do sleep 0.2; new=$(systemctl show -P MainPID chargerd); "
			"[ \"$new\" != 0 ] && [ \"$new\" != \"$old\" ] && "
			"systemctl is-active --quiet chargerd && exit 0; done; exit 1"));
	/* the catalog explains the plug record */
	EXPECT_EQ(0, sh("journalctl --update-catalog && journalctl --list-catalog "
			"| grep -q 3f1b9a6c2e4d4b7e9a1c5d8e7f60a1b2"));
}

TEST_HARNESS_MAIN
