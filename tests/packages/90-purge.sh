#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Purging chargerd while it holds charging (in use, charge paused): the
# stop hands the charger back (charge_behaviour auto, the board's current),
# and the purge removes what the package and the daemon own (programs,
# unit, state, runtime files; the journal upload, enabled, and its cursor
# from 30-journal-upload) and leaves the driver's packages and the charger
# as they were. Last of the packages' tests: chargerd is gone after.
. "$(dirname "$0")/../scenarios/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }
STATE=/var/lib/chargerd

plug_in_near_full
ua=$(sysfs constant_charge_current)
check "in use, set over D-Bus" chargerctl in-use on
check "charging held: inhibit-charge" until_ behaviour_is inhibit-charge
check "chargerd has state to lose" test -s "$STATE/settings"
UPSTATE=/var/lib/private/chargerd-upload
check "the journal upload is enabled" systemctl enable --now chargerd-upload.timer
check "and has its cursor (30-journal-upload ran)" test -s "$UPSTATE/cursor"

out=$(dpkg --purge chargerd 2>&1)
check "dpkg --purge chargerd succeeds" test $? = 0
echo "$out" | sed 's/^/# /'
check "the charger is handed back: auto" behaviour_is auto
check "at the board's current" sysfs_is constant_charge_current "$ua"
check "charging again" until_ sysfs_is status Charging
check "the service is gone" not_ systemctl -q is-active chargerd
check "its unit is gone" test ! -e /lib/systemd/system/chargerd.service
check "its programs are gone" test ! -e /usr/sbin/chargerd -a ! -e /usr/bin/chargerctl
check "its state is gone" test ! -e "$STATE"
check "its runtime files are gone" test ! -e /run/chargerd
check "the upload's timer is stopped" not_ systemctl -q is-active chargerd-upload.timer
check "its units are gone" test ! -e /lib/systemd/system/chargerd-upload.timer \
	-a ! -e /lib/systemd/system/chargerd-upload.service
check "and its enablement" test ! -e /etc/systemd/system/timers.target.wants/chargerd-upload.timer
check "its cursor is gone" test ! -e "$UPSTATE" -a ! -e /var/lib/chargerd-upload
check "dpkg knows it no more" not_ dpkg-query -W chargerd
check "the driver's packages stay" dpkg-query -W bq2589x-common "bq2589x-modules-$(uname -r)"
check "and the driver still drives the charger" test -d "$CHG"

kill "$MON_PID" 2>/dev/null
emulctl unplug >/dev/null
rm -f "$CONF"
udevadm settle
rmmod bq2589x_charger bq2589x_emul 2>/dev/null
echo "1..$CHECKS_RUN"
[ "$failed" = 0 ]
