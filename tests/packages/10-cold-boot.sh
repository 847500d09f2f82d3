#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The product from its packages, after a cold boot with the charger there
# from the start (tests/vm/run with CHARGERD_VM_COLDPLUG=1): udev loaded
# the drivers that claim it. Both bq2589x_charger (bq2589x-modules) and
# Linux's bq25890_charger (in the module tree, where Debian's arm64 kernel
# has it) claim its modalias; the packages' modprobe policy keeps udev to
# ours (upstream's only where this kernel has no bq2589x_charger:
# 15-no-module.sh), and chargerd, enabled by its package, drives it.
. "$(dirname "$0")/../scenarios/lib.sh"

dev=
for d in /sys/bus/i2c/devices/*; do
	[[ -f $d/name && $(cat "$d/name") == bq25895 ]] && dev=$d
done
check "the emulated charger is on the bus from boot" test -n "$dev"
alias=$(cat "$dev/modalias" 2>/dev/null)
cands=$(modprobe -R "$alias" 2>/dev/null | sort | tr '\n' ' ')
check "both drivers claim its modalias ($alias: $cands)" \
	test "$cands" = "bq25890_charger bq2589x_charger "
check "the packaged policy loads bq25890_charger only without bq2589x_charger" \
	bash -c "modprobe -c | grep -q '^install bq25890_charger .*modprobe -q -b bq2589x_charger && test -e /sys/module/bq2589x_charger;'"
check "bq2589x_charger is the bq2589x-modules package's" \
	bash -c "dpkg -S \"\$(modinfo -n bq2589x_charger)\" | grep -q '^bq2589x-modules-$(uname -r):'"
check "udev bound our driver to the charger" \
	until_ test "$(basename "$(readlink "$dev/driver")")" = bq2589x-charger
check "and did not load bq25890_charger" test ! -e /sys/module/bq25890_charger
check "the charger's supply is there" test -d "$CHG"
check "chargerd is enabled by its package" test "$(systemctl is-enabled chargerd)" = enabled
check "and running" systemctl -q is-active chargerd
check "chargerd drives the charger" until_ prop_is Charger bq25895-charger
check "the udev rule opened the charger's attributes to chargerd" \
	test "$(stat -c %G "$CHG/charge_behaviour")" = chargerd
LED=$(ls -d /sys/class/leds/*:status | head -n1)
check "and the status LED's" test "$(stat -c %G "$LED/brightness")" = chargerd
check "chargerd drives the LED" until_ prop_is Led off
check "charging is on" behaviour_is auto
# Refused writes are not errors in chargerd's first 30 s (it waits for
# udev): look past them.
up=$(systemctl show -P ActiveEnterTimestampMonotonic chargerd)
now=$(cut -d' ' -f1 /proc/uptime | tr -d .)0000
[ "$up" -gt 0 ] && [ $(( (now - up) / 1000000 )) -lt 32 ] && sleep $((32 - (now - up) / 1000000))
errors=$(journalctl -b -u chargerd -p err -q --no-pager -o cat)
check "no error in chargerd's journal since boot" test -z "$errors"
[[ -n $errors ]] && sed 's/^/# /' <<< "$errors"
# our driver takes chargerd's stops and currents: nothing said otherwise
# (the record 15-no-module.sh sees for Linux's bq25890_charger)
controls=$(journalctl -b -u chargerd -q --no-pager -o cat CHARGERD_ERROR="charger controls not writable")
check "chargerd finds the charger's controls writable" test -z "$controls"
echo "1..$CHECKS_RUN"
[ "$failed" = 0 ]
