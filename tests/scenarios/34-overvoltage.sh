#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An adapter with too high a voltage: VBUS over-voltage.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl advance 1s >/dev/null	# the ADC's first sample
emulctl fault vbus-ovp >/dev/null
check "fault raised: input-ovp" until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=input-ovp
check "FaultRaised signal" until_ signal_seen FaultRaised '"code":"input-ovp"'
expect_diagnosis adapter-overvoltage
check "LED fast blink (fault)" until_ led_is fast
emulctl fault clear >/dev/null
check "fault cleared" until_ journal_has $MID_FAULT_CLEARED CHARGER_FAULT=input-ovp
check "LED back to charging" until_ led_is steady

scenario_end
