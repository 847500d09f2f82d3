#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The charger chip loses its settings mid-charge (a power-on reset: its
# supply dipped) while chargerd derates a warm battery. The driver finds
# it and restores them; chargerd says so (it left nothing in the journal,
# helper-57) and its derating is in force again: the chip's defaults
# (2 A of charge current) never stay.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

max=$(sysfs constant_charge_current_max)
under() {	# the programmed current is at most $1 % of the maximum
	[ "$(sysfs constant_charge_current)" -le $((max * $1 / 100)) ]
}

emulctl temp 37 >/dev/null
emulctl battery capacity 30 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl advance 1s >/dev/null	# the ADC's first sample
check "37 degC: derated to half" until_ under 50
session=$(prop Session)
resets=$(sysfs chip_resets)
emulctl fault por >/dev/null
check "the driver found the reset" until_ sysfs_is chip_resets $((resets + 1))
check "fault said: chip-reset, came and went" \
	until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=chip-reset CHARGER_FAULT_TRANSIENT=1
check "FaultRaised signal" until_ signal_seen FaultRaised '"code":"chip-reset"'
check "not called a watchdog expiry" not_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=watchdog
check "the derating in force again" until_ under 50
check "charging on" until_ prop_is Online true
check "the same session" prop_is Session "$session"
check "LED steady (charging), not a fault's" until_ led_is steady
check "one reset is no diagnosis" bash -c "! chargerctl --json diagnose | grep -q charger-fault"
# Two more in the same plug: the chip's supply drops, for repair
# (helper-59: eight in a row and "No charging problem found").
# (not $n: lib.sh once counted its checks in it)
for k in 2 3; do
	emulctl fault por >/dev/null
	check "reset $k found" until_ sysfs_is chip_resets $((resets + k))
done
check "three resets: charger-fault diagnosed" until_ bash -c \
	"chargerctl diagnose | grep -q 'power-on defaults 3 times since the plug'"
check "charger-fault: journal record" \
	until_ journal_has "${MID_DIAG[charger-fault]}" CHARGER_DIAGNOSIS=charger-fault
check "charger-fault: Diagnosis signal" until_ signal_seen Diagnosis '"code":"charger-fault"'
check "and charging goes on, derated" until_ under 50

scenario_end
