#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Too cold to charge.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 2 >/dev/null
emulctl plug dcp >/dev/null
check "paused for cold" until_ prop_is Paused cold
check "charging inhibited" until_ behaviour_is inhibit-charge
expect_diagnosis too-cold
check "the fix says room temperature" bash -c "chargerctl diagnose | grep -q 'room temperature'"

scenario_end
