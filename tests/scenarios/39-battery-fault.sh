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

# A pause, then its end, would turn charging off and on: a new charge
# cycle, and the battery just called faulty charged at full current again
# (helper-86). While the chip holds, chargerd writes no pause.
H=/sys/class/power_supply/bq25895-charger
emulctl battery capacity 85 >/dev/null
check "in use on" chargerctl in-use on
sleep 3
check "in use off" chargerctl in-use auto
sleep 3
check "the chip still holds charging" grep -qx "Safety timer expire" $H/health
check "no pause written, none said" not_ journal_has $MID_IN_USE
check "not charging" bash -c "[ \"\$(emulctl state | sed -n 's/^ibat_ua=//p')\" -le 0 ]"
check "still battery-fault" bash -c "chargerctl --json diagnose | grep -q '\"code\": \"battery-fault\"'"

# A fault kept for the session (a thermal shutdown that came and went,
# the adapter still in) outlives chargerd's restart (an upgrade): it hid
# it, with a steady LED and "no charging problem found" while the
# history listed it (helper-73).
session=$(prop Session)
emulctl fault thermal-shutdown >/dev/null
check "fault raised: thermal-shutdown" \
	until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=thermal-shutdown
emulctl fault clear thermal-shutdown >/dev/null
check "and cleared" until_ journal_has $MID_FAULT_CLEARED CHARGER_FAULT=thermal-shutdown
check "kept: charger-fault" until_ bash -c "chargerctl --json diagnose | grep -q '\"code\": \"charger-fault\"'"
last=$(prop LastFault)
check "a last fault ($last)" test -n "$last"
systemctl restart chargerd
check "restarted" until_ prop_is Charger bq25895-charger
PID=$(systemctl show -P MainPID chargerd)
check "the same session" prop_is Session "$session"
# and the last fault with it: status said no "(last: ...)" after an upgrade
check "the last fault kept" prop_is LastFault "$last"
check "status says it" bash -c "chargerctl status | grep -q '(last: $last)'"
check "after the restart: still charger-fault" \
	until_ bash -c "chargerctl --json diagnose | grep -q '\"code\": \"charger-fault\"'"
# a thermal shutdown that comes and goes while chargerd is stopped: the
# driver counted it, the next chargerd says it, once (helper-79: a fault
# gone by while it was down was never said)
F=/sys/class/power_supply/bq25895-charger/faults/thermal_shutdown
systemctl stop chargerd
# stopped with the safety timer expired, the adapter in and the battery
# not full: the chip charges nothing, and the LED handed back must not say
# it does (helper-88: lit as for a charge)
check "stopped over the expired safety timer: the LED is not on" \
	not_ grep -qx on /sys/kernel/debug/bq2589x_emul/led
before=$(cat $F)
emulctl fault thermal-shutdown >/dev/null
count_rose() { [ "$(cat $F)" -gt "$before" ]; }
check "counted by the driver" until_ count_rose
emulctl fault clear thermal-shutdown >/dev/null
systemctl start chargerd
PID=$(systemctl show -P MainPID chargerd)
check "gone by while stopped: said at the start, as came and went" \
	until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=thermal-shutdown \
	CHARGER_FAULT_TRANSIENT=1
# a restart with nothing new says nothing again
systemctl restart chargerd
check "restarted" until_ prop_is Charger bq25895-charger
PID=$(systemctl show -P MainPID chargerd)
check "nothing new: not said again" not_ journal_has $MID_FAULT_RAISED \
	CHARGER_FAULT=thermal-shutdown
# the expiry ends while chargerd is stopped (unplugged: the emulator keeps
# the timer's fault until then): said cleared when it starts
# (helper-79: never closed, "Faults: none" with no record)
systemctl stop chargerd
emulctl fault clear >/dev/null
emulctl unplug >/dev/null
systemctl start chargerd
PID=$(systemctl show -P MainPID chargerd)
check "ended while stopped: said cleared at the start" \
	until_ journal_has $MID_FAULT_CLEARED CHARGER_FAULT=safety-timer
check "and not raised again" not_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=safety-timer
check "unplugged: the kept faults end with the session" \
	until_ not_ bash -c "chargerctl --json diagnose | grep -q '\"code\": \"charger-fault\"'"

scenario_end
