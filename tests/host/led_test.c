// SPDX-License-Identifier: GPL-2.0
/*
 * The status LED: the pattern for each state, finding the LED, and what is
 * written to a (fake) leds class directory.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../agent/grant.h"
#include "../../agent/led.h"

static void charger(struct snapshot *s, int online, const char *status)
{
	memset(s, 0, sizeof(*s));
	s->charger.present = true;
	s->charger.online = online;
	strcpy(s->charger.status, status);
}

TEST(patterns)
{
	struct snapshot s;

	charger(&s, 1, "Charging");
	EXPECT_EQ(LED_STEADY, led_pattern_for(&s, false, PAUSE_NONE));
	EXPECT_EQ(LED_SLOW_BLINK, led_pattern_for(&s, false, PAUSE_IN_USE));
	EXPECT_EQ(LED_SLOW_BLINK, led_pattern_for(&s, false, PAUSE_HEAT));
	EXPECT_EQ(LED_FAST_BLINK, led_pattern_for(&s, true, PAUSE_HEAT));
	charger(&s, 1, "Full");
	EXPECT_EQ(LED_OFF, led_pattern_for(&s, false, PAUSE_NONE));
	charger(&s, 0, "Discharging");
	EXPECT_EQ(LED_OFF, led_pattern_for(&s, false, PAUSE_NONE));
	EXPECT_EQ(LED_OFF, led_pattern_for(&s, false, PAUSE_HEAT));
	/* a fault shows even with the input cut */
	EXPECT_EQ(LED_FAST_BLINK, led_pattern_for(&s, true, PAUSE_NONE));
	EXPECT_STREQ("slow-blink", led_pattern_name(LED_SLOW_BLINK));
}

static char root[64];

static void mk(const char *led, bool timer)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, led);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/brightness", root, led);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	if (!timer)
		return;
	snprintf(path, sizeof(path), "%s/%s/delay_on", root, led);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	close(fd);
	snprintf(path, sizeof(path), "%s/%s/delay_off", root, led);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	close(fd);
}

static void rd(const char *led, const char *attr, char *buf, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", root, led, attr);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (f) {
		if (!fgets(buf, len, f))
			buf[0] = '\0';
		fclose(f);
	}
}

TEST(find_and_show)
{
	char name[64], on[16], off[16], cmd[96];
	int cls, fd;

	snprintf(root, sizeof(root), "/tmp/chargerd-leds-%d", getpid());
	mkdir(root, 0755);
	cls = open(root, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, cls);
	EXPECT_EQ(-ENOENT, led_find(cls, "", name, sizeof(name)));
	mk("input3::capslock", false);
	mk("red:status", true);
	ASSERT_EQ(0, led_find(cls, "", name, sizeof(name)));
	EXPECT_STREQ("red:status", name);
	mk("green:charging", false);
	ASSERT_EQ(0, led_find(cls, "", name, sizeof(name)));
	EXPECT_STREQ("green:charging", name);
	EXPECT_EQ(0, led_find(cls, "input3::capslock", name, sizeof(name)));
	EXPECT_EQ(-ENOENT, led_find(cls, "none", name, sizeof(name)));
	EXPECT_EQ(-ENOENT, led_find(cls, "../etc", name, sizeof(name)));
	EXPECT_EQ(-ENOENT, led_find(cls, "..", name, sizeof(name)));
	EXPECT_EQ(-ENOENT, led_find(cls, ".", name, sizeof(name)));
	EXPECT_EQ(-ENOENT, led_find(cls, "missing", name, sizeof(name)));

	/* with the timer trigger: the delays */
	fd = openat(cls, "red:status", O_RDONLY | O_DIRECTORY);
	ASSERT_EQ(0, led_show(fd, LED_FAST_BLINK));
	rd("red:status", "delay_on", on, sizeof(on));
	rd("red:status", "delay_off", off, sizeof(off));
	EXPECT_STREQ("125", on);
	EXPECT_STREQ("125", off);
	ASSERT_EQ(0, led_show(fd, LED_STEADY));
	rd("red:status", "delay_off", off, sizeof(off));
	EXPECT_STREQ("0", off);
	close(fd);
	/* without: a level */
	fd = openat(cls, "green:charging", O_RDONLY | O_DIRECTORY);
	ASSERT_EQ(0, led_show(fd, LED_SLOW_BLINK));
	rd("green:charging", "brightness", on, sizeof(on));
	EXPECT_STREQ("255", on);
	ASSERT_EQ(0, led_show(fd, LED_OFF));
	rd("green:charging", "brightness", on, sizeof(on));
	EXPECT_STREQ("0", on);
	close(fd);
	close(cls);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	EXPECT_EQ(0, system(cmd));
}

static void wr(const char *led, const char *attr, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", root, led, attr);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static unsigned int mode_of(const char *led, const char *attr)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s/%s", root, led, attr);
	return stat(path, &st) ? 0 : st.st_mode & 07777;
}

/*
 * chargerd --grant-led's work: the timer trigger, then the three files
 * group-writable (to our own group here: chown to it needs no privilege).
 * A trigger already on timer is not written again: that would restart
 * the blink under the pattern shown.
 */
TEST(grant)
{
	char buf[64], cmd[192], *said = NULL;
	const char *attr;
	size_t len = 0;
	FILE *err;
	int cls;

	snprintf(root, sizeof(root), "/tmp/chargerd-grant-%d", getpid());
	mkdir(root, 0755);
	cls = open(root, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, cls);
	EXPECT_EQ(-EINVAL, led_grant(cls, "", getegid(), NULL));
	EXPECT_EQ(-EINVAL, led_grant(cls, "none", getegid(), NULL));
	EXPECT_EQ(-EINVAL, led_grant(cls, "../etc", getegid(), NULL));
	EXPECT_EQ(-EINVAL, led_grant(cls, "..", getegid(), NULL));
	EXPECT_EQ(-EINVAL, led_grant(cls, ".", getegid(), NULL));
	EXPECT_EQ(-ENOENT, led_grant(cls, "amber:power", getegid(), NULL));

	/* trigger none: set to timer; the delays as the trigger made them */
	mk("amber:power", true);
	wr("amber:power", "trigger", "[none] timer heartbeat\n");
	ASSERT_EQ(0, led_grant(cls, "amber:power", getegid(), NULL));
	rd("amber:power", "trigger", buf, sizeof(buf));
	EXPECT_STREQ("timer", buf);
	EXPECT_EQ(0664u, mode_of("amber:power", "brightness"));
	EXPECT_EQ(0664u, mode_of("amber:power", "delay_on"));
	EXPECT_EQ(0664u, mode_of("amber:power", "delay_off"));
	EXPECT_EQ(0664u, mode_of("amber:power", "trigger"));	/* for the hand-back */

	/* already timer: the trigger is left as it is */
	wr("amber:power", "trigger", "none [timer] heartbeat\n");
	ASSERT_EQ(0, led_grant(cls, "amber:power", getegid(), NULL));
	rd("amber:power", "trigger", buf, sizeof(buf));
	EXPECT_STREQ("none [timer] heartbeat\n", buf);

	/* no timer trigger in the kernel: brightness only, still granted */
	mk("blue:level", false);
	wr("blue:level", "trigger", "[none]\n");
	ASSERT_EQ(0, led_grant(cls, "blue:level", getegid(), NULL));
	EXPECT_EQ(0664u, mode_of("blue:level", "brightness"));

	/* no brightness: not an LED chargerd can drive */
	snprintf(cmd, sizeof(cmd), "%s/odd", root);
	mkdir(cmd, 0755);
	wr("odd", "trigger", "none [timer]\n");
	EXPECT_EQ(-ENOENT, led_grant(cls, "odd", getegid(), &attr));
	EXPECT_STREQ("brightness", attr);	/* named, for grant_say() */
	/* a link in delay_on's place: refused, named, said in words */
	mk("green:charge", true);
	wr("green:charge", "trigger", "none [timer]\n");
	snprintf(cmd, sizeof(cmd), "%s/green:charge/delay_on", root);
	ASSERT_EQ(0, unlink(cmd));
	ASSERT_EQ(0, symlink("/etc/hostname", cmd));
	EXPECT_EQ(-ELOOP, led_grant(cls, "green:charge", getegid(), &attr));
	EXPECT_STREQ("delay_on", attr);
	err = open_memstream(&said, &len);
	ASSERT_NE(NULL, err);
	grant_say(err, "--grant-led", "green:charge", attr, -ELOOP);
	grant_say(err, "--grant-led", "gone", NULL, -ENOENT);
	grant_say(NULL, "--grant-led", "gone", NULL, -ENOENT);	/* no stream: nothing */
	fclose(err);
	snprintf(cmd, sizeof(cmd), "chargerd: --grant-led: green:charge/delay_on: a symbolic link "
		 "where sysfs has a file: left alone\nchargerd: --grant-led: gone: %s\n",
		 strerror(ENOENT));
	EXPECT_STREQ(cmd, said);
	free(said);
	EXPECT_EQ(-ENOENT, led_grant(cls, "gone", getegid(), &attr));
	EXPECT_EQ(NULL, attr);
	close(cls);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	EXPECT_EQ(0, system(cmd));
}

/*
 * Whether charging goes on once handed back, from the supplies' files: the
 * LED's hand-back lights by it. A health that stops charging holds it
 * unless the charger says it charges: bq2589x_charger's "Unspecified
 * failure" for a register that does not keep its value, charging on
 * within the limits, once left the LED off over a charging battery.
 */
TEST(charging_once_handed_back)
{
	char cmd[96];
	int psy;

	snprintf(root, sizeof(root), "/tmp/chargerd-psy-%d", getpid());
	mkdir(root, 0755);
	psy = open(root, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, psy);
	EXPECT_FALSE(led_charging_handed_back(psy, "chg", "bat"));	/* none there */
	snprintf(cmd, sizeof(cmd), "%s/chg", root);
	mkdir(cmd, 0755);
	snprintf(cmd, sizeof(cmd), "%s/bat", root);
	mkdir(cmd, 0755);
	wr("chg", "online", "1\n");
	wr("chg", "health", "Good\n");
	wr("chg", "status", "Not charging\n");	/* lagging the hand-back's write */
	wr("bat", "status", "Discharging\n");
	EXPECT_TRUE(led_charging_handed_back(psy, "chg", "bat"));
	EXPECT_FALSE(led_charging_handed_back(psy, "", "bat"));
	EXPECT_FALSE(led_charging_handed_back(psy, "chg", ""));
	wr("bat", "status", "Full\n");
	EXPECT_FALSE(led_charging_handed_back(psy, "chg", "bat"));
	wr("bat", "status", "Charging\n");
	/* a health that stops charging, the charger not charging */
	wr("chg", "health", "Safety timer expire\n");
	EXPECT_FALSE(led_charging_handed_back(psy, "chg", "bat"));
	wr("chg", "health", "Unspecified failure\n");
	EXPECT_FALSE(led_charging_handed_back(psy, "chg", "bat"));
	/* the same health, the charger charging: on */
	wr("chg", "status", "Charging\n");
	EXPECT_TRUE(led_charging_handed_back(psy, "chg", "bat"));
	/* no status file (another driver): the health decides */
	snprintf(cmd, sizeof(cmd), "%s/chg/status", root);
	unlink(cmd);
	EXPECT_FALSE(led_charging_handed_back(psy, "chg", "bat"));
	wr("chg", "health", "Good\n");
	EXPECT_TRUE(led_charging_handed_back(psy, "chg", "bat"));
	wr("chg", "online", "0\n");
	EXPECT_FALSE(led_charging_handed_back(psy, "chg", "bat"));
	close(psy);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	EXPECT_EQ(0, system(cmd));
}

/*
 * chargerd --hand-back gives the LED to the kernel's trigger for the
 * battery's charging when it has one, else turns it off: a "paused" blink
 * stayed over a charger charging again while chargerd was down
 * (helper-79). chargerd takes it back to the timer trigger when it finds
 * it again.
 */
TEST(hand_back)
{
	struct status_led l = { .shown = LED__COUNT };
	char buf[64], cmd[96];
	int cls;

	snprintf(root, sizeof(root), "/tmp/chargerd-handback-%d", getpid());
	mkdir(root, 0755);
	cls = open(root, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, cls);
	EXPECT_EQ(-ENOENT, led_hand_back(cls, "", "sbs-0-000b", false));
	EXPECT_EQ(-ENOENT, led_hand_back(-1, "", "sbs-0-000b", false));
	mk("red:status", true);
	wr("red:status", "brightness", "255");
	wr("red:status", "trigger", "none [timer] sbs-0-000b-charging-or-full sbs-0-000b-charging\n");
	ASSERT_EQ(0, led_hand_back(cls, "", "sbs-0-000b", false));
	rd("red:status", "trigger", buf, sizeof(buf));
	EXPECT_STREQ("sbs-0-000b-charging", buf);
	/*
	 * charging: on at once, whatever the trigger last heard (helper-86:
	 * off while charging, a gauge announcing no change)
	 */
	wr("red:status", "trigger", "none [timer] sbs-0-000b-charging\n");
	wr("red:status", "brightness", "0");
	wr("red:status", "max_brightness", "255");
	ASSERT_EQ(0, led_hand_back(cls, "", "sbs-0-000b", true));
	rd("red:status", "brightness", buf, sizeof(buf));
	EXPECT_STREQ("255", buf);
	wr("red:status", "trigger", "none [timer] sbs-0-000b-charging-or-full sbs-0-000b-charging\n");
	/* no such trigger (another battery, none, a kernel without them): off */
	wr("red:status", "trigger", "none [timer] sbs-0-000b-charging-or-full\n");
	ASSERT_EQ(0, led_hand_back(cls, "", "sbs-0-000b", false));
	rd("red:status", "trigger", buf, sizeof(buf));
	EXPECT_STREQ("none [timer] sbs-0-000b-charging-or-full\n", buf);
	rd("red:status", "brightness", buf, sizeof(buf));
	EXPECT_STREQ("0", buf);
	wr("red:status", "brightness", "255");
	ASSERT_EQ(0, led_hand_back(cls, "", "", true));
	rd("red:status", "brightness", buf, sizeof(buf));
	EXPECT_STREQ("0", buf);
	EXPECT_EQ(-ENOENT, led_hand_back(cls, "none", "sbs-0-000b", true));
	/*
	 * chargerd again: --grant-led (root, ExecStartPre) takes it back to
	 * the timer trigger, off until chargerd shows its pattern (not the
	 * timer's default blink)
	 */
	wr("red:status", "trigger", "none timer [sbs-0-000b-charging]\n");
	ASSERT_EQ(0, led_grant(cls, "red:status", getegid(), NULL));
	rd("red:status", "trigger", buf, sizeof(buf));
	EXPECT_STREQ("timer", buf);
	rd("red:status", "delay_on", buf, sizeof(buf));
	EXPECT_STREQ("0", buf);
	rd("red:status", "delay_off", buf, sizeof(buf));
	EXPECT_STREQ("1000", buf);
	l.classfd = cls;
	ASSERT_EQ(0, status_led_show(&l, "", LED_STEADY));
	rd("red:status", "delay_on", buf, sizeof(buf));
	EXPECT_STREQ("1000", buf);
	/* granted again with timer in force (a reload): its pattern left alone */
	wr("red:status", "trigger", "none [timer] sbs-0-000b-charging\n");
	ASSERT_EQ(0, led_grant(cls, "red:status", getegid(), NULL));
	rd("red:status", "delay_on", buf, sizeof(buf));
	EXPECT_STREQ("1000", buf);
	close(cls);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	EXPECT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
