#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A 1 A adapter under a 1.5 A system load (a speaker playing loud): the
# BQ25895 powers the system first and the battery supplements it, so the
# battery drains while the charger's status may still say Charging (issue
# 18, item 3). chargerd goes by the battery's signed current: State
# "discharging", the LED not steady, and after 20 s of it the cause, with
# the input limit, VBUS and the load as evidence.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

BAT=$(grep -lx Battery /sys/class/power_supply/*/type | head -n1)
BAT=${BAT%/type}
draining() {
	[ "$(cat "$BAT/current_now")" -lt -50000 ]
}

emulctl temp 25 >/dev/null
emulctl battery capacity 50 >/dev/null
emulctl load 100 >/dev/null
emulctl plug dcp --max-ma 1000 >/dev/null
check "plugged in" until_ prop_is Online true
emulctl advance 1s >/dev/null	# the ADC's first sample
check "charging" until_ prop_is State charging
check "LED steady" until_ led_is steady

emulctl load 1500 >/dev/null
emulctl advance 1s >/dev/null
check "the gauge: the battery drains" until_ draining
check "the charger itself still says Charging" sysfs_is status Charging
check "State: discharging, from the battery's sign" until_ prop_is State discharging
check "the LED does not say charging" until_ led_is slow
check "no cause yet: a load peak is not a fault" not_ top_is source-overload
sleep 20	# the rule's 20 s of draining (DRAIN_SUSTAINED_USEC), in the agent's clock
expect_diagnosis source-overload CHARGER_CURRENT_MAX_UA=1000000
check "the evidence gives the drain, the input limit and the load" \
	bash -c "chargerctl diagnose | grep -q 'battery drains at [0-9]* mA; the input gives at most 1000 mA at .* V: the device uses about 1[45][0-9][0-9] mA'"
check "the fix names a stronger adapter or charging while idle" \
	bash -c "chargerctl diagnose | grep -q 'at least 2 A.*not playing'"

emulctl load 100 >/dev/null
emulctl advance 1s >/dev/null
check "the load gone: charging again" until_ prop_is State charging
check "LED steady again" until_ led_is steady
check "the cause is gone" until_ not_ top_is source-overload

scenario_end
