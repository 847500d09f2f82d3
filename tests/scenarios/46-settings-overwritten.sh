#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Another program writes the charger chip behind its driver's back
# (i2cset -f, as a tool left in an image would, or another processor on
# the bus): a charge current, then charging off, values that are
# neither the driver's nor the chip's defaults. The driver puts its
# settings back and counts the writes apart from chip resets; chargerd
# says so, and diagnoses a writer to find, not a chip whose supply drops
# (helper-97: each such write was a chip reset, and three were "went back
# to its power-on defaults 3 times since the plug: its supply drops").
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

modprobe i2c-dev
bus=$(emulctl get bus)
chip_get() {	# forced, as any program would with the driver bound
	i2cget -f -y "$bus" 0x6a "$1"
}
chip_set() {
	i2cset -f -y "$bus" 0x6a "$1" "$2"
}
# the driver has looked (a read of its counter refreshes a stale
# snapshot) and the chip holds $2 in the bits $3 of register $1
looked_and() {
	sysfs config_overwritten >/dev/null &&
		[ $(($(chip_get "$1") & $3)) = $(($2 & $3)) ]
}

emulctl temp 25 >/dev/null
emulctl battery capacity 30 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl advance 1s >/dev/null
ichg=$(chip_get 0x04)
resets=$(sysfs chip_resets)
check "the bus is there for another program" test -n "$ichg"
chip_set 0x04 0x05	# ICHG 320 mA
check "the driver put it back" until_ looked_and 0x04 "$ichg" 0xff
check "counted as another's write" until_ sysfs_is config_overwritten 1
check "not as a chip reset" sysfs_is chip_resets "$resets"
check "fault said: settings-overwritten" until_ journal_has $MID_FAULT_RAISED \
	CHARGER_FAULT=settings-overwritten CHARGER_CONFIG_OVERWRITTEN=1
check "FaultRaised signal" until_ signal_seen FaultRaised '"code":"settings-overwritten"'
check "no chip-reset fault" not_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=chip-reset
check "diagnosed: another writer" until_ bash -c \
	"chargerctl diagnose | grep -q 'other than its driver changed the charger'"
# charging off, then a current again: three writes, still no supply fault
r03=$(chip_get 0x03)
chip_set 0x03 $((r03 & ~0x10))
check "charging on again" until_ looked_and 0x03 0x10 0x10
check "two writes" until_ sysfs_is config_overwritten 2
chip_set 0x04 0x06
check "three writes" until_ sysfs_is config_overwritten 3
check "3 times, said" until_ bash -c \
	"chargerctl diagnose | grep -q 'settings 3 times since the plug'"
check "no supply fault said" not_ bash -c "chargerctl diagnose | grep -q 'supply drops'"
check "the same chip resets" sysfs_is chip_resets "$resets"
check "charging" until_ prop_is Online true

scenario_end
