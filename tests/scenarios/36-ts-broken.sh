#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A broken temperature sensor: the charger's thermistor comes loose (TS
# open), so the chip sees "cold" and stops charging while the battery,
# by its gauge, is at 25 degC. Then TS shorted to ground: "hot". That is
# the charging circuit's fault, not the room's.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl set ts_fault open >/dev/null
check "the chip says cold" until_ sysfs_is health Cold
check "the gauge still says 25 degC" until_ prop_is Temperature 250
expect_diagnosis charger-fault CHARGER_EVIDENCE="the charger's temperature sensor reads cold while the battery is at 25.0 degC"
check "not blamed on the room" not_ top_is too-cold
emulctl set ts_fault short >/dev/null
check "the chip says hot" until_ sysfs_is health Hot
check "the sensor still blamed" until_ bash -c "chargerctl diagnose | grep -q 'temperature sensor reads hot'"
emulctl set ts_fault none >/dev/null
check "the chip agrees again" until_ sysfs_is health Good

scenario_end
