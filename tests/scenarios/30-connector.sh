#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A loose or dirty connector: power comes and goes within seconds.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
for i in 1 2 3 4 5; do
	emulctl plug dcp >/dev/null
	until_ prop_is Online true
	emulctl unplug >/dev/null
	until_ prop_is Online false
done
emulctl plug dcp >/dev/null
until_ prop_is Online true
expect_diagnosis connector CHARGER_BOUNCES=3
check "the evidence counts the reconnects" \
	bash -c "chargerctl diagnose | grep -q 'power went and came back 5 times'"

scenario_end
