#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# On the arm64 bench, the driver probes from the DTS itself: QEMU's virt
# DTB with tests/arm64/bench.dtso and dts/chargerd-audio.dtso applied.
# Each value is read from the live device tree (/sys/firmware/devicetree)
# and compared with what the driver and its neighbours made of it. TAP.
dt=/sys/firmware/devicetree/base
bus=$dt/i2c-emul
psy=/sys/class/power_supply/bq25895-charger
dbg=/sys/kernel/debug/bq2589x_emul
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}
check() {
	name=$1
	shift
	"$@"
	ok $? "$name"
}
# A one-cell property, as a number.
cell() {
	echo $((0x$(od -An -tx1 "$1" | tr -d ' \n')))
}
# What the driver programs for a board value and a battery ceiling: the
# tighter, rounded down to the chip's step from its base.
fit() {
	v=$1
	[ "$2" -lt "$v" ] && v=$2
	echo $(($3 + (v - $3) / $4 * $4))
}
same() {
	[ "$1" = "$2" ] && return 0
	echo "# expected '$2', got '$1'"
	return 1
}

rmmod bq2589x_charger bq2589x_emul 2>/dev/null
modprobe i2c-dev
modprobe sbs-battery
modprobe bq2589x_emul create_clients=0
modprobe bq2589x_charger
echo 0 > $dbg/adc_ms
echo 1 > $dbg/charger_client
echo 1 > $dbg/gauge_client 2>/dev/null

check "the bench node carries the board overlay" test -f "$bus/charger@6a/compatible"
check "the charger device is the DTS's charger node" \
	same "$(readlink -f $psy/device/of_node)" "$(readlink -f $bus/charger@6a)"
bat=$(readlink -f $dt/__symbols__/chargerd_battery 2>/dev/null)
[ -d "$bat" ] || bat=$dt/battery
chg=$bus/charger@6a
check "the charge current ceiling is the DTS cell's, fitted to the chip" \
	same "$(cat $psy/constant_charge_current_max)" \
	"$(fit "$(cell $chg/ti,charge-current)" \
		"$(cell $bat/constant-charge-current-max-microamp)" 0 64000)"
check "the charge voltage ceiling is the DTS cell's, fitted to the chip" \
	same "$(cat $psy/constant_charge_voltage_max)" \
	"$(fit "$(cell $chg/ti,battery-regulation-voltage)" \
		"$(cell $bat/constant-charge-voltage-max-microvolt)" 3840000 16000)"
check "the termination current is the DTS's" \
	same "$(cat $psy/charge_term_current)" \
	"$(fit "$(cell $chg/ti,termination-current)" \
		"$(cell $bat/charge-term-current-microamp)" 64000 64000)"

# The IRQ the I2C core resolved from interrupts/interrupt-parent: the
# emulator's line, and interrupts it fires reach the driver.
dev=$(basename "$(readlink -f $psy/device)")
irqs() { awk -v d="$dev" '$NF == d { s = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; else break; print s }' /proc/interrupts; }
before=$(irqs)
check "the charger's IRQ, from the DTS, is requested" test -n "$before"
echo 3 > $dbg/irq_fire
sleep 1
after=$(irqs)
check "interrupts on the DTS's line reach the driver" test "${after:-0}" -ge $((${before:-0} + 3))

reg=
for r in /sys/class/regulator/*; do
	[ "$(cat $r/name 2>/dev/null)" = usb-otg-vbus ] && reg=$r
done
check "the OTG regulator is the DTS's child node" \
	same "$(readlink -f "$reg/of_node" 2>/dev/null)" "$(readlink -f $chg/usb-otg-vbus)"
check "its voltage is the one the DTS gives it" \
	same "$(cat "$reg/microvolts" 2>/dev/null)" "$(cell $chg/usb-otg-vbus/regulator-min-microvolt)"

gauge=
for s in /sys/class/power_supply/*; do
	[ "$(readlink -f $s/device/of_node 2>/dev/null)" = "$(readlink -f $bus/fuel-gauge@b)" ] && gauge=$s
done
check "the SBS gauge is the DTS's node" test -n "$gauge"

echo 0 > $dbg/gauge_client
echo 0 > $dbg/charger_client
rmmod bq2589x_charger
check "the emulator unloads cleanly" rmmod bq2589x_emul
echo "1..$n"
[ $failed = 0 ]
