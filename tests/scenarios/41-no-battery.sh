#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The battery's fuel gauge vanishes while charging is paused in use (issue
# 18, item 7): the cause is a battery that is not detected, not "paused
# at -1 %", and the in-use pause does not hold on a charge nobody knows.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl battery capacity 85 >/dev/null
emulctl plug dcp >/dev/null
check "plugged in" until_ prop_is Online true
# a gauge's driver reloaded: back within seconds, no fault (helper-69:
# each reload said "needs repair")
emulctl client gauge off >/dev/null
sleep 2
emulctl client gauge on >/dev/null
check "the gauge back" until_ synced
sleep 1
check "a gauge back within seconds is no fault" \
	not_ journal_has "${MID_DIAG[battery-not-detected]}"
check "in use" chargerctl in-use on
check "paused in use" until_ prop_is Paused in-use
# the gauge reloaded during the pause: it holds (it let go, and charged
# for a second: helper-71)
resumes() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _SYSTEMD_UNIT=chargerd.service _PID="$PID" \
		MESSAGE_ID="$MID_IN_USE" CHARGER_PAUSED= 2>/dev/null | grep -c .
}
before=$(resumes)
emulctl client gauge off >/dev/null
sleep 2
check "the gauge gone a moment: still paused" prop_is Paused in-use
emulctl client gauge on >/dev/null
check "the gauge back" until_ synced
sleep 4
check "a gauge reloaded: the pause held, no resume" test "$(resumes)" = "$before"
check "and the charger held it" behaviour_is inhibit-charge
emulctl client gauge off >/dev/null
check "asked at once: a warning, the gauge's driver may be reloading" until_ bash -c \
	"chargerctl --json diagnose | tr -d ' \n' | grep -q '\"code\":\"battery-not-detected\",\"severity\":\"warning\"'"
expect_diagnosis battery-not-detected
check "once it lasts: a fault" until_ bash -c \
	"chargerctl --json diagnose | tr -d ' \n' | grep -q '\"code\":\"battery-not-detected\",\"severity\":\"fault\"'"
check "no \"paused at -1 %\"" bash -c "! chargerctl diagnose | grep -q 'paused at -1'"
check "the in-use pause let go of the unknown charge" until_ behaviour_is auto
check "Paused is empty" until_ prop_is Paused ''
# the fix says "restart the device": chargerd restarted (so does a crash,
# an upgrade) still knows the gauge answered in this boot (it said no
# problem found, helper-66)
systemctl restart chargerd
check "restarted" until_ prop_is Charger bq25895-charger
PID=$(systemctl show -P MainPID chargerd)
check "after chargerd's restart: still battery-not-detected" \
	until_ bash -c "chargerctl --json diagnose | grep -q battery-not-detected"
check "and said again by the new chargerd" \
	until_ journal_has "${MID_DIAG[battery-not-detected]}"
emulctl client gauge on >/dev/null
check "the gauge is back: paused in use again" until_ prop_is Paused in-use
check "and the cause is gone" \
	until_ bash -c "! chargerctl --json diagnose | grep -q battery-not-detected"
check "and said so: a record that the gauge answers again" \
	until_ journal_has "$MID_DIAGNOSIS_GONE" CHARGER_DIAGNOSIS=battery-not-detected
check "in use off" chargerctl in-use auto

scenario_end
