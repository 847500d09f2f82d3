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

scenario_end
