#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A faulty charging circuit: the charger stops answering on I2C.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl advance 1s >/dev/null	# the ADC's first sample
emulctl i2c fail-rate 100% 1 >/dev/null
emulctl irq 1 >/dev/null
check "fault raised: no-response" until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=no-response
expect_diagnosis charger-fault
check "LED fast blink (fault)" until_ led_is fast
emulctl i2c off >/dev/null
check "the bus recovers: the fault clears" \
	until_ journal_has $MID_FAULT_CLEARED CHARGER_FAULT=no-response

scenario_end
