#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A 16 V adapter plugged in: the chip refuses it from the start (no
# detection, no power good) and its ADC reads VBUS at its top, 15.3 V.
# chargerd must name the adapter, not the battery, a cable or no power.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl plug dcp --mv 16000 >/dev/null
check "fault raised: input-ovp" until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=input-ovp
check "no battery-ovp fault" not_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=battery-ovp
check "VBUS reads 15.3 V" sysfs_is voltage_now 15300000
expect_diagnosis adapter-overvoltage
emulctl unplug >/dev/null
check "fault cleared" until_ journal_has $MID_FAULT_CLEARED CHARGER_FAULT=input-ovp
# taken away, the adapter's fault is over: the fast blink ends, the
# diagnosis no longer names it, and the same adapter plugged again is
# said again (helper-71: the blink went on, no second record nor signal)
check "unplugged: the LED stops blinking" until_ led_is off
check "the diagnosis no longer names the adapter" \
	until_ not_ bash -c "chargerctl --json diagnose | grep -q '\"code\": \"adapter-overvoltage\"'"
records() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _PID="$PID" MESSAGE_ID="$1" 2>/dev/null | wc -l
}
records_are() {
	[ "$(records "$1")" = "$2" ]
}
signals_are() {
	[ "$(grep '"signal":"Diagnosis"' "$MON" | grep -c "$1")" = "$2" ]
}
emulctl plug dcp --mv 16000 >/dev/null
check "plugged again: a second record" until_ records_are "${MID_DIAG[adapter-overvoltage]}" 2
check "and a second Diagnosis signal" until_ signals_are '"code":"adapter-overvoltage"' 2
emulctl unplug >/dev/null
check "unplugged again: the LED stops blinking" until_ led_is off

scenario_end
