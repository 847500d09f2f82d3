#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Too hot to charge: charging stops; the diagnosis says why and what to do.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl advance 1s >/dev/null	# the ADC's first sample
emulctl temp 48 >/dev/null
check "paused for heat" until_ prop_is Paused heat
expect_diagnosis too-hot
check "the fix says to let it cool" bash -c "chargerctl diagnose | grep -q 'let it cool'"

scenario_end
