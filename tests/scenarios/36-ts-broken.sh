#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A broken temperature sensor: the charger's thermistor comes loose (TS
# open), so the chip sees "cold" and stops charging while the battery,
# by its gauge, is at 25 degC. Then TS shorted to ground: "hot". That is
# a temperature sensor to repair, not the room (issue 18, item 4).
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl set ts_fault open >/dev/null
check "the chip says cold" until_ sysfs_is health Cold
check "the gauge still says 25 degC" until_ prop_is Temperature 250
expect_diagnosis temperature-sensor
check "both readings in the evidence" bash -c \
	"chargerctl diagnose | grep -q \"thermistor reads its cold zone.*, the battery's gauge 25.0 degC\""
check "not blamed on the room" bash -c "! chargerctl diagnose | grep -q 'too cold'"
# the 15 s before it is a sensor fault are no weather report either: a
# too-cold record came first each time
check "no too-cold record before it" not_ journal_has "${MID_DIAG[too-cold]}"
check "the fix says warming will not help" \
	bash -c "chargerctl diagnose | grep -q 'warming or cooling the device may not help'"
# the fault record, read on its own, does not say "too cold" of a battery
# at 25 degC (helper-83: logged and kept as "cold" on a hot day)
fault_says_thermistor() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o cat _PID="$PID" MESSAGE_ID="$MID_FAULT_RAISED" CHARGER_FAULT=cold |
		grep -q "thermistor reads the battery too cold.*gauge reads 25.0 degC"
}
check "the fault record names the thermistor, with the gauge's 25 degC" \
	until_ fault_says_thermistor
emulctl set ts_fault short >/dev/null
check "the chip says hot" until_ sysfs_is health Hot
check "the sensor still blamed" until_ bash -c "chargerctl diagnose | grep -q 'thermistor reads its hot zone'"
check "not blamed on the room" bash -c "! chargerctl diagnose | grep -q 'too warm'"
emulctl set ts_fault none >/dev/null
check "the chip agrees again" until_ sysfs_is health Good
check "said: the sensors agree again" \
	until_ journal_has "$MID_DIAGNOSIS_GONE" CHARGER_DIAGNOSIS=temperature-sensor

scenario_end
