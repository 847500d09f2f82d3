// SPDX-License-Identifier: GPL-2.0
/*
 * Discovery and snapshots from a fake /sys/class/power_supply tree: the
 * agent's reading of sysfs, without a kernel.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../agent/snapshot.h"

static void put(const char *root, const char *psy, const char *attr, const char *val)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, psy);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", root, psy, attr);
	f = fopen(path, "w");
	fprintf(f, "%s\n", val);
	fclose(f);
}

FIXTURE(sysfs) {
	char root[64];
	int fd;
	struct chargerd_config cfg;
};

FIXTURE_SETUP(sysfs)
{
	snprintf(self->root, sizeof(self->root), "/tmp/chargerd-sysfs-%d", getpid());
	mkdir(self->root, 0755);
	put(self->root, "bq25895-charger", "type", "USB");
	put(self->root, "bq25895-charger", "online", "1");
	put(self->root, "bq25895-charger", "status", "Charging");
	put(self->root, "bq25895-charger", "health", "Good");
	put(self->root, "bq25895-charger", "usb_type", "Unknown SDP CDP [DCP]");
	put(self->root, "bq25895-charger", "charge_behaviour", "[auto] inhibit-charge");
	put(self->root, "bq25895-charger", "voltage_now", "4800000");
	put(self->root, "bq25895-charger", "current_now", "950000");
	put(self->root, "bq25895-charger", "temp", "not-a-number");
	put(self->root, "bq25895-charger", "source_kind", "dcp");
	put(self->root, "bq25895-charger", "input_dpm", "iindpm");
	put(self->root, "bq25895-charger", "chip_resets", "2");
	put(self->root, "bq25895-charger", "power_good_rises", "5");
	put(self->root, "AC", "type", "Mains");
	put(self->root, "sbs-0-000b", "type", "Battery");
	put(self->root, "sbs-0-000b", "capacity", "42");
	put(self->root, "sbs-0-000b", "voltage_now", "3900000");
	put(self->root, "sbs-0-000b", "current_now", "-250000");
	put(self->root, "sbs-0-000b", "cycle_count", "412");
	put(self->root, "sbs-0-000b", "status", "Discharging");
	put(self->root, "zz-battery", "type", "Battery");
	self->fd = open(self->root, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, self->fd);
	config_defaults(&self->cfg);
}

FIXTURE_TEARDOWN(sysfs)
{
	close(self->fd);
	EXPECT_EQ(0, system("rm -rf /tmp/chargerd-sysfs-[0-9]*"));
}

TEST_F(sysfs, finds_our_charger_and_the_battery)
{
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];

	ASSERT_EQ(0, supplies_find(self->fd, &self->cfg, chg, bat));
	EXPECT_STREQ("bq25895-charger", chg);
	EXPECT_STREQ("sbs-0-000b", bat);	/* the first Battery by name */
}

TEST_F(sysfs, configuration_pins_names)
{
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];

	strcpy(self->cfg.charger, "AC");
	strcpy(self->cfg.battery, "zz-battery");
	ASSERT_EQ(0, supplies_find(self->fd, &self->cfg, chg, bat));
	EXPECT_STREQ("AC", chg);
	EXPECT_STREQ("zz-battery", bat);
	/* a pinned name that does not exist is not replaced by a guess */
	strcpy(self->cfg.charger, "missing-charger");
	EXPECT_EQ(-ENOENT, supplies_find(self->fd, &self->cfg, chg, bat));
	EXPECT_STREQ("", chg);
}

/*
 * A pinned name that is not there while a supply of its kind is: a typo
 * or a late driver, said (helper-61: "[supplies] charger =
 * bq25895-chrager" left every policy off without a record). Not said
 * with nothing to take instead (a driver still probing), nor unpinned.
 */
TEST_F(sysfs, a_pinned_name_not_here_is_said)
{
	char text[256] = "untouched", cmd[256];

	EXPECT_FALSE(supplies_pin_missing(self->fd, &self->cfg, text, sizeof(text)));
	strcpy(self->cfg.charger, "bq25895-chrager");
	ASSERT_TRUE(supplies_pin_missing(self->fd, &self->cfg, text, sizeof(text)));
	EXPECT_STREQ("[supplies] charger = bq25895-chrager is not here (a charger that is here: bq25895-charger)",
		     text);
	strcpy(self->cfg.battery, "sbs-0-000c");
	ASSERT_TRUE(supplies_pin_missing(self->fd, &self->cfg, text, sizeof(text)));
	EXPECT_NE(NULL, strstr(text, "; [supplies] battery = sbs-0-000c is not here (a battery that is here: sbs-0-000b)"))
		TH_LOG("%s", text);
	/*
	 * each pinned to a supply of the other kind (helper-90: the gauge
	 * taken for the charger, no limit applied while it charged): no pin,
	 * said
	 */
	strcpy(self->cfg.charger, "sbs-0-000b");
	strcpy(self->cfg.battery, "bq25895-charger");
	ASSERT_TRUE(supplies_pin_missing(self->fd, &self->cfg, text, sizeof(text)));
	EXPECT_STREQ("[supplies] charger = sbs-0-000b is a battery, not a charger (a charger that is "
		     "here: bq25895-charger); [supplies] battery = bq25895-charger is a charger, not a "
		     "battery (a battery that is here: sbs-0-000b)", text);
	{
		char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];

		EXPECT_EQ(-ENOENT, supplies_find(self->fd, &self->cfg, chg, bat));
		EXPECT_STREQ("", chg);
		EXPECT_STREQ("", bat);
	}
	/* pinned right: nothing to say */
	strcpy(self->cfg.charger, "AC");
	strcpy(self->cfg.battery, "zz-battery");
	EXPECT_FALSE(supplies_pin_missing(self->fd, &self->cfg, text, sizeof(text)));
	/* no charger at all yet: a driver still probing, not a typo */
	strcpy(self->cfg.charger, "bq25895-chrager");
	snprintf(cmd, sizeof(cmd), "rm -rf %s/bq25895-charger %s/AC", self->root, self->root);
	ASSERT_EQ(0, system(cmd));
	EXPECT_FALSE(supplies_pin_missing(self->fd, &self->cfg, text, sizeof(text)));
}

/*
 * Issue 18, item 9: a Bluetooth or HID peripheral's battery (scope
 * Device) sorts before the gauge; chargerd follows the device's own.
 */
TEST_F(sysfs, a_peripherals_battery_is_never_ours)
{
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];

	put(self->root, "hid-0005:046D:B01A.0001-battery", "type", "Battery");
	put(self->root, "hid-0005:046D:B01A.0001-battery", "scope", "Device");
	put(self->root, "hid-0005:046D:B01A.0001-battery", "capacity", "5");
	put(self->root, "a-usb-device-charger", "type", "USB");
	put(self->root, "a-usb-device-charger", "scope", "Device");
	ASSERT_EQ(0, system("rm -rf /tmp/chargerd-sysfs-[0-9]*/bq25895-charger"));
	ASSERT_EQ(0, supplies_find(self->fd, &self->cfg, chg, bat));
	EXPECT_STREQ("sbs-0-000b", bat);
	EXPECT_STREQ("AC", chg);
	/* a System-scope one counts as the device's */
	put(self->root, "a-system-battery", "type", "Battery");
	put(self->root, "a-system-battery", "scope", "System");
	ASSERT_EQ(0, supplies_find(self->fd, &self->cfg, chg, bat));
	EXPECT_STREQ("a-system-battery", bat);
	/* only a peripheral's battery: none at all, not the peripheral's */
	ASSERT_EQ(0, system("rm -rf /tmp/chargerd-sysfs-[0-9]*/sbs-0-000b "
			    "/tmp/chargerd-sysfs-[0-9]*/zz-battery /tmp/chargerd-sysfs-[0-9]*/a-system-battery"));
	EXPECT_EQ(-ENOENT, supplies_find(self->fd, &self->cfg, chg, bat));
	EXPECT_STREQ("", bat);
}

TEST_F(sysfs, any_usb_or_mains_supply_without_ours)
{
	char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];

	ASSERT_EQ(0, system("rm -rf /tmp/chargerd-sysfs-[0-9]*/bq25895-charger"));
	ASSERT_EQ(0, supplies_find(self->fd, &self->cfg, chg, bat));
	EXPECT_STREQ("AC", chg);
}

/* 70 characters: more than CONFIG_NAME_MAX - 1 */
#define LONG_NAME "a-usb-charger-with-a-name-of-seventy-characters-which-no-snapshot-hold"
_Static_assert(sizeof(LONG_NAME) - 1 >= CONFIG_NAME_MAX, "LONG_NAME must be too long for a snapshot");

/*
 * --grant-charger=NAME's question: with none pinned, any USB or Mains
 * supply of the device's own (chargerd picks another when its charger
 * goes, so udev's "other" must never be said of one); with a pin, the pin
 * alone.
 */
TEST_F(sysfs, supplies_chargerd_may_drive)
{
	put(self->root, "a-usb-device-charger", "type", "USB");
	put(self->root, "a-usb-device-charger", "scope", "Device");
	EXPECT_TRUE(supply_may_drive(self->fd, &self->cfg, "bq25895-charger"));
	EXPECT_TRUE(supply_may_drive(self->fd, &self->cfg, "AC"));
	EXPECT_FALSE(supply_may_drive(self->fd, &self->cfg, "sbs-0-000b"));
	EXPECT_FALSE(supply_may_drive(self->fd, &self->cfg, "a-usb-device-charger"));
	EXPECT_FALSE(supply_may_drive(self->fd, &self->cfg, "missing"));
	EXPECT_FALSE(supply_may_drive(self->fd, &self->cfg, ".."));
	EXPECT_FALSE(supply_may_drive(self->fd, &self->cfg, ""));
	/*
	 * A USB supply with a name longer than supplies_find() holds: never
	 * picked, so never granted (a grant cut to 63 characters would open
	 * another supply's files).
	 */
	put(self->root, LONG_NAME, "type", "USB");
	EXPECT_FALSE(supply_may_drive(self->fd, &self->cfg, LONG_NAME));
	strcpy(self->cfg.charger, "AC");
	EXPECT_TRUE(supply_may_drive(self->fd, &self->cfg, "AC"));
	EXPECT_FALSE(supply_may_drive(self->fd, &self->cfg, "bq25895-charger"));
	/* a battery pinned as the charger: no pin (helper-90) */
	strcpy(self->cfg.charger, "sbs-0-000b");
	EXPECT_FALSE(supply_may_drive(self->fd, &self->cfg, "sbs-0-000b"));
}

TEST_F(sysfs, snapshot_of_the_charger)
{
	struct psy_snapshot s;

	psy_read(self->fd, "bq25895-charger", &s);
	ASSERT_TRUE(s.present);
	EXPECT_STREQ("USB", s.type);
	EXPECT_EQ(1, s.online);
	EXPECT_STREQ("Charging", s.status);
	EXPECT_STREQ("DCP", s.usb_type);
	EXPECT_STREQ("auto", s.charge_behaviour);
	EXPECT_EQ(4800000, s.voltage_now);
	EXPECT_EQ(950000, s.current_now);
	EXPECT_EQ(PSY_NONE, s.temp);		/* garbage is not a number */
	EXPECT_EQ(PSY_NONE, s.capacity);	/* absent */
	EXPECT_STREQ("dcp", s.source_kind);
	EXPECT_STREQ("iindpm", s.input_dpm);
	EXPECT_EQ(2, s.chip_resets);
	EXPECT_EQ(5, s.power_good_rises);
	EXPECT_NE(0, s.ino);			/* the device's identity */
}

/* An online that could not be read keeps the same supply's last reading, and only that. */
TEST(unknown_online_keeps_the_last_reading)
{
	struct psy_snapshot before = { .present = true, .name = "bq25895-charger", .online = 1 };
	struct psy_snapshot now = before;

	now.online = PSY_NONE;
	snapshot_keep_online(&now, &before, 10 * 1000000ULL);
	EXPECT_EQ(1, now.online);
	/* a reading is a reading */
	now.online = 0;
	snapshot_keep_online(&now, &before, 10 * 1000000ULL);
	EXPECT_EQ(0, now.online);
	/* another supply's, or none, is nothing to keep */
	now.online = PSY_NONE;
	strcpy(before.name, "usb");
	snapshot_keep_online(&now, &before, 10 * 1000000ULL);
	EXPECT_EQ(PSY_NONE, now.online);
	strcpy(before.name, now.name);
	before.present = false;
	snapshot_keep_online(&now, &before, 10 * 1000000ULL);
	EXPECT_EQ(PSY_NONE, now.online);
	/* gone now: not present, nothing kept */
	before.present = true;
	now.present = false;
	snapshot_keep_online(&now, &before, 10 * 1000000ULL);
	EXPECT_EQ(PSY_NONE, now.online);
	/* kept, it is said so, and dated from the reading */
	now.present = true;
	snapshot_keep_online(&now, &before, 10 * 1000000ULL);
	EXPECT_TRUE(now.online_kept);
	EXPECT_EQ(0, now.online_usec);
	/* not for longer than ONLINE_KEEP_USEC after it was read: a bus stuck for good */
	now.online = PSY_NONE;
	snapshot_keep_online(&now, &before, ONLINE_KEEP_USEC);
	EXPECT_EQ(PSY_NONE, now.online);
	EXPECT_FALSE(now.online_kept);
	EXPECT_EQ(ONLINE_KEEP_USEC, now.online_usec);
}

/*
 * charge_behaviour as each kernel formats it: 6.1 the value alone, 6.12
 * the list with the current one bracketed, wherever the bracket falls.
 */
TEST_F(sysfs, charge_behaviour_in_each_kernel_format)
{
	static const struct {
		const char *sysfs, *want;
	} cases[] = {
		{ "auto", "auto" },				/* 6.1 */
		{ "inhibit-charge", "inhibit-charge" },		/* 6.1 */
		{ "[auto] inhibit-charge", "auto" },		/* 6.12 */
		{ "auto [inhibit-charge]", "inhibit-charge" },	/* 6.12 */
		{ "auto inhibit-charge [force-discharge]", "force-discharge" },
	};
	struct psy_snapshot s;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put(self->root, "bq25895-charger", "charge_behaviour", cases[i].sysfs);
		psy_read(self->fd, "bq25895-charger", &s);
		EXPECT_STREQ(cases[i].want, s.charge_behaviour) TH_LOG("'%s'", cases[i].sysfs);
	}
}

TEST_F(sysfs, snapshot_of_the_battery)
{
	struct psy_snapshot s;

	psy_read(self->fd, "sbs-0-000b", &s);
	ASSERT_TRUE(s.present);
	EXPECT_EQ(42, s.capacity);
	EXPECT_EQ(-250000, s.current_now);
	EXPECT_EQ(412, s.cycle_count);
	EXPECT_STREQ("", s.usb_type);
}

TEST_F(sysfs, missing_or_bad_names_are_not_present)
{
	struct psy_snapshot s;

	psy_read(self->fd, "nope", &s);
	EXPECT_FALSE(s.present);
	EXPECT_EQ(PSY_NONE, s.online);
	psy_read(self->fd, "../../etc", &s);
	EXPECT_FALSE(s.present);
	psy_read(self->fd, "", &s);
	EXPECT_FALSE(s.present);
}

/* The kept-open reader gives the same snapshot as psy_read(), byte for byte. */
static void expect_same(struct __test_metadata *_metadata, int fd, const char *name,
			struct psy_files *f)
{
	struct psy_snapshot a, b;

	psy_read(fd, name, &a);
	psy_read_files(fd, name, f, &b);
	EXPECT_EQ(0, memcmp(&a, &b, sizeof(a))) TH_LOG("%s", name);
}

/*
 * Issue 19: the daemon keeps each attribute open and re-reads it. A value
 * changed in place is read; a supply made again under its name (a driver
 * bound again: a new directory) is opened afresh; one that goes is not
 * present, and nothing stays open for it.
 */
TEST_F(sysfs, kept_open_files_read_as_fresh_ones)
{
	struct psy_files f;
	struct psy_snapshot s;
	char path[512];

	psy_files_init(&f);
	expect_same(_metadata, self->fd, "bq25895-charger", &f);
	EXPECT_LE(0, f.dirfd);
	put(self->root, "bq25895-charger", "voltage_now", "5100000");
	put(self->root, "bq25895-charger", "charge_behaviour", "auto [inhibit-charge]");
	psy_read_files(self->fd, "bq25895-charger", &f, &s);
	EXPECT_EQ(5100000, s.voltage_now);
	EXPECT_STREQ("inhibit-charge", s.charge_behaviour);
	expect_same(_metadata, self->fd, "bq25895-charger", &f);

	/* the same name, now another directory with other values */
	put(self->root, "new-charger", "type", "USB");
	put(self->root, "new-charger", "online", "0");
	put(self->root, "new-charger", "capacity", "7");
	snprintf(path, sizeof(path), "mv %s/bq25895-charger %s/old && mv %s/new-charger %s/bq25895-charger",
		 self->root, self->root, self->root, self->root);
	ASSERT_EQ(0, system(path));
	psy_read_files(self->fd, "bq25895-charger", &f, &s);
	EXPECT_TRUE(s.present);
	EXPECT_EQ(0, s.online);
	EXPECT_EQ(7, s.capacity);
	EXPECT_EQ(PSY_NONE, s.voltage_now);
	expect_same(_metadata, self->fd, "bq25895-charger", &f);

	/* another name through the same files: that supply's values */
	expect_same(_metadata, self->fd, "sbs-0-000b", &f);

	/* gone: not present, nothing left open */
	snprintf(path, sizeof(path), "rm -rf %s/sbs-0-000b", self->root);
	ASSERT_EQ(0, system(path));
	psy_read_files(self->fd, "sbs-0-000b", &f, &s);
	EXPECT_FALSE(s.present);
	EXPECT_EQ(PSY_NONE, s.capacity);
	EXPECT_EQ(-1, f.dirfd);
	EXPECT_EQ(-1, f.fd[0]);
	expect_same(_metadata, self->fd, "sbs-0-000b", &f);
	expect_same(_metadata, self->fd, "../../etc", &f);
	expect_same(_metadata, self->fd, "", &f);
	psy_files_close(&f);
	psy_files_close(&f);	/* idempotent */
	EXPECT_EQ(-1, f.dirfd);
}

/* A log line's number: never the PSY_NONE marker's value (helper-59 saw it). */
TEST(numbers_in_log_lines_say_unknown)
{
	char buf[24];

	EXPECT_STREQ("unknown", psy_number_text(PSY_NONE, buf, sizeof(buf)));
	EXPECT_STREQ("4800000", psy_number_text(4800000, buf, sizeof(buf)));
	EXPECT_STREQ("-1", psy_number_text(-1, buf, sizeof(buf)));
	EXPECT_STREQ("-9223372036854775807",
		     psy_number_text(PSY_NONE + 1, buf, sizeof(buf)));
}

/* And for a person, in the unit the diagnosis uses (helper-86: raw uV in a log line). */
TEST(scaled_numbers_in_log_lines)
{
	char buf[24];

	EXPECT_STREQ("4.80 V", psy_scaled_text(4800000, 1000000, 2, "V", buf, sizeof(buf)));
	EXPECT_STREQ("4.21 V", psy_scaled_text(4208000, 1000000, 2, "V", buf, sizeof(buf)));
	EXPECT_STREQ("512 mA", psy_scaled_text(512000, 1000, 0, "mA", buf, sizeof(buf)));
	EXPECT_STREQ("-64 mA", psy_scaled_text(-64000, 1000, 0, "mA", buf, sizeof(buf)));
	EXPECT_STREQ("unknown", psy_scaled_text(PSY_NONE, 1000, 0, "mA", buf, sizeof(buf)));
}

TEST_HARNESS_MAIN
