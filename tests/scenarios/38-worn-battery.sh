#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A worn battery: full capacity well below design, many cycles.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
design=$(emulctl get design_uah)
emulctl battery full $((design * 65 / 100)) >/dev/null
emulctl battery cycles 700 >/dev/null
emulctl plug dcp >/dev/null
expect_diagnosis worn-battery
check "the evidence gives the share of design" \
	bash -c "chargerctl diagnose | grep -q 'holds 6[45] % of its design capacity'"

scenario_end
