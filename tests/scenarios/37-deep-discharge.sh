#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A deeply discharged battery: precharge, and the advice to stay connected.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl battery capacity 0 >/dev/null
emulctl plug dcp >/dev/null
emulctl advance 1s >/dev/null
expect_diagnosis deep-discharge
check "the advice: one to two hours, even without a light" \
	bash -c "chargerctl diagnose | grep -q 'one to two hours, even if the light does not come on'"

scenario_end
