#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A faulty battery: the safety timer expires before it is full.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl advance 1s >/dev/null	# the ADC's first sample
emulctl fault safety-timer >/dev/null
check "fault raised: safety-timer" until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=safety-timer
expect_diagnosis battery-fault

scenario_end
