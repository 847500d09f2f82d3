#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A kernel with no bq2589x_charger (an upgrade the prebuilt module package
# was not built for, or DKMS without the new kernel's headers), or one
# that cannot be loaded: the packages' modprobe policy lets udev load
# Linux's own bq25890_charger for the charger rather than leave the chip
# on its power-on defaults (2 A, 4.208 V: over a small cell's limits), and
# chargerd drives it as another charger. Where ours loads, and in an
# initramfs, upstream's is never loaded. Ours installed later (its
# package) says that it takes over at the next boot; put back at the end.
. "$(dirname "$0")/../scenarios/lib.sh"

dev=
for d in /sys/bus/i2c/devices/*; do
	[[ -f $d/name && $(cat "$d/name") == bq25895 ]] && dev=$d
done
if [[ -z $dev ]]; then
	echo "Bail out! no emulated charger on the bus (tests/vm/run with CHARGERD_VM_COLDPLUG=1)"
	exit 1
fi
ko=$(modinfo -n bq2589x_charger 2>/dev/null)
if [[ -z $ko ]]; then
	echo "Bail out! bq2589x_charger is not in this kernel's module tree"
	exit 1
fi
aside=/var/tmp/${ko##*/}
driver_of() {
	basename "$(readlink "$dev/driver")"
}
# the power supply registered on the charger's device, by whichever driver
supply_of() {
	local p
	for p in /sys/class/power_supply/*; do
		[[ $(readlink -f "$p/device") == $(readlink -f "$dev") ]] && echo "${p##*/}"
	done
}
state() {
	emulctl state | sed -n "s/^$1=//p"
}
rebind() {
	udevadm trigger --action=add "$dev"
	udevadm settle
}
# Ours back in the tree, whatever happened above.
restore() {
	[[ -f $aside && ! -e $ko ]] && mv "$aside" "$ko" && depmod
	rm -f "$aside"		# the package put it back: the copy set aside goes
	rm -f /conf/initramfs.conf /etc/initrd-release /etc/modprobe.d/zz-chargerd-test.conf
	rmdir /conf 2>/dev/null
}
trap restore EXIT

check "bq2589x_charger is in this kernel's module tree" test -f "$ko"
check "and drives the charger" until_ test "$(driver_of)" = bq2589x-charger
ichg_max=$(sysfs constant_charge_current_max)
vreg_max=$(sysfs constant_charge_voltage_max)
check "the board's limits are below the chip's power-on 2048 mA ($ichg_max uA)" \
	test "${ichg_max:-0}" -gt 0 -a "${ichg_max:-0}" -lt 2048000

check "modprobe bq25890_charger by name, with ours in the tree, loads nothing" \
	bash -c 'modprobe bq25890_charger && test ! -e /sys/module/bq25890_charger'

# A user's blacklist of ours is kept (the rule loads ours by name, which a
# blacklist alone does not stop: helper-92), and upstream's drives the
# charger rather than none.
echo "blacklist bq2589x_charger" > /etc/modprobe.d/zz-chargerd-test.conf
rmmod bq2589x_charger
rebind
check "ours blacklisted: udev bound Linux's bq25890_charger" until_ test "$(driver_of)" = bq25890-charger
check "and ours stayed out" test ! -e /sys/module/bq2589x_charger
rmmod bq25890_charger
rm -f /etc/modprobe.d/zz-chargerd-test.conf
modprobe bq2589x_charger
rebind
check "the blacklist gone: ours again" until_ test "$(driver_of)" = bq2589x-charger

# Ours unbound and unloaded, its file gone but still in the index (as a
# module the kernel refuses: another kernel's, unsigned under lockdown):
# "modprobe -n" finds it, a load fails (helper-91: the policy asked -n).
rmmod bq2589x_charger
mv "$ko" "$aside"
check "bq2589x_charger is in the index but does not load" \
	bash -c '! modprobe -q bq2589x_charger && modprobe -q -n bq2589x_charger'
check "the charger has no driver" test -z "$(driver_of)"

mkdir -p /conf && touch /conf/initramfs.conf
check "in an initramfs-tools initramfs, bq25890_charger is not loaded" \
	bash -c 'modprobe bq25890_charger && test ! -e /sys/module/bq25890_charger'
rm -f /conf/initramfs.conf && rmdir /conf
touch /etc/initrd-release
check "nor in a systemd initrd" \
	bash -c 'modprobe bq25890_charger && test ! -e /sys/module/bq25890_charger'
rm -f /etc/initrd-release

rebind
check "ours unloadable: udev bound Linux's bq25890_charger" until_ test "$(driver_of)" = bq25890-charger
# and with ours out of the index as well (the kernel upgrade's case)
rmmod bq25890_charger
depmod
check "this kernel has no bq2589x_charger now" not_ modprobe -q -n bq2589x_charger

# udev's coldplug at boot, for the charger: its modalias.
rebind
check "ours not in the kernel: udev bound Linux's bq25890_charger" until_ test "$(driver_of)" = bq25890-charger
up=$(supply_of)
check "its supply is registered ($up)" test -n "$up"
ichg=$(state ichg_ua)
vreg=$(state vreg_uv)
check "the chip charges at the board's current at most ($ichg <= $ichg_max uA)" \
	test "${ichg:-9999999}" -le "$ichg_max"
check "and to the board's voltage at most ($vreg <= $vreg_max uV)" \
	test "${vreg:-9999999}" -le "$vreg_max"
check "chargerd drives it" until_ prop_is Charger "$up"
# and says what it cannot apply: Linux's driver takes no charge_behaviour
# and no constant_charge_current (helper-92: every stop gone, unsaid)
said_controls() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o cat -u chargerd CHARGERD_ERROR="charger controls not writable" \
		CHARGER_DRIVER=bq25890-charger 2>/dev/null |
		grep -q "takes no charge_behaviour or constant_charge_current from chargerd: heat, cold and in-use stops are said, not applied.*bq2589x-modules package"
}
check "chargerd says it cannot stop or slow Linux's driver, and why" until_ said_controls
emulctl plug dcp --max-ma 2000 >/dev/null
check "a charger plugged in charges the battery" \
	until_ grep -qx Charging "/sys/class/power_supply/$up/status"
check "chargerd sees it online" until_ prop_is Online true
emulctl unplug >/dev/null

# The kernel's bq2589x-modules package installed after all: it says that
# ours takes over at the next boot, and leaves upstream's bound (its
# remove would reset the chip to 2 A until ours probes).
deb=$(ls /opt/chargerd/build/deb/bq2589x-modules-"$(uname -r)"_*.deb 2>/dev/null | head -n1)
if [[ -n $deb ]]; then
	said=$(dpkg -i "$deb" 2>&1 >/dev/null)
	check "installed: ours is in the tree again" test -f "$ko"
	check "its postinst says ours takes over at the next boot" \
		grep -q "bq25890_charger drives the charger .* until the next boot" <<< "$said"
	check "and leaves bq25890_charger bound" test "$(driver_of)" = bq25890-charger
else
	not_ok "no bq2589x-modules package for $(uname -r) in /opt/chargerd/build/deb"
fi

# The next boot's coldplug: ours again.
rmmod bq25890_charger
restore
rebind
check "with ours back, udev binds bq2589x_charger" until_ test "$(driver_of)" = bq2589x-charger
check "and not bq25890_charger" test ! -e /sys/module/bq25890_charger
check "chargerd drives it again" until_ prop_is Charger bq25895-charger
echo "1..$CHECKS_RUN"
[ "$failed" = 0 ]
