# SPDX-License-Identifier: GPL-2.0
# Sourced by each scenario in the VM: TAP output, the emulated device
# brought up under the running chargerd service, and helpers to wait for
# and check what chargerd, the journal, D-Bus and sysfs show.
#
# A scenario sets the physical situation with emulctl, lets simulated
# time pass, and checks the outcome; waits are syncs (until the state is
# reached, with a bound), never measurements.

CHG=/sys/class/power_supply/bq25895-charger
CONF=/etc/chargerd/chargerd.conf
MID_PLUG=3f1b9a6c2e4d4b7e9a1c5d8e7f60a1b2
MID_UNPLUG=6d2c8b1a9f3e4c5d8b7a6e5f4d3c2b1a
MID_SESSION_END=2cc3d207b1b84742be29f411534f06ec
MID_FAULT_RAISED=b6eedcaf700b46d9b6577c905680f1e1
MID_FAULT_CLEARED=323aa9670d0545869f540246bd6015ae
MID_THERMAL=88d42a4da9ea4e379a833e2ea985d6d7
MID_IN_USE=060c872a33a14dba8aa009e8f38bfe61
MON=/tmp/scenario-monitor.json

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

# check DESCRIPTION COMMAND...: one TAP result
check() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc"; fi
}

# until_ COMMAND...: wait (up to about 30 s) until it succeeds
until_() {
	local i
	for i in $(seq 150); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# A D-Bus property of chargerd, as a bare value.
prop() {
	timeout 20 busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 \
		org.chargerd.Charger1 "$1" 2>/dev/null | sed -E 's/^[a-z]+ //; s/^"(.*)"$/\1/'
}

prop_is() {
	[ "$(prop "$1")" = "$2" ]
}

sysfs() {
	cat "$CHG/$1"
}

# charge_behaviour as one word, whichever way the kernel lists the choices
behaviour() {
	sed -E 's/.*\[([^]]*)\].*/\1/' "$CHG/charge_behaviour"
}

behaviour_is() {
	[ "$(behaviour)" = "$1" ]
}

sysfs_is() {
	[ "$(sysfs "$1")" = "$2" ]
}

# chargerd has read the state after the last change: its capacity and
# temperature agree with the gauge's.
synced() {
	local bat
	bat=$(grep -lx Battery /sys/class/power_supply/*/type | head -n1)
	bat=${bat%/type}
	[ "$(prop Capacity)" = "$(cat "$bat/capacity")" ] &&
		[ "$(prop Temperature)" = "$(cat "$bat/temp")" ]
}

# journal_has MESSAGE_ID [FIELD=VALUE...]: a record of this chargerd
journal_has() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _SYSTEMD_UNIT=chargerd.service _PID="$PID" \
		MESSAGE_ID="$@" 2>/dev/null | grep -q .
}

# signal_seen NAME [TEXT]: chargerctl monitor saw it
signal_seen() {
	grep "\"signal\":\"$1\"" "$MON" | grep -q -- "${2:-}"
}

# The device on the bench: emulator with charger and gauge, our driver,
# and chargerd restarted with a config fit for simulated time.
scenario_start() {
	local conf=${1:-}
	udevadm settle
	rmmod bq2589x_charger bq25890_charger 2>/dev/null
	modprobe bq2589x_emul create_clients=1 || return 1
	emulctl set adc_ms 0
	modprobe bq2589x_charger
	mkdir -p /etc/chargerd
	printf '[agent]\nresync_s = 1\n%b' "$conf" > "$CONF"
	systemctl restart chargerd
	until_ prop_is Charger bq25895-charger || return 1
	until_ grep -qx Battery /sys/class/power_supply/*/type || return 1
	PID=$(systemctl show -P MainPID chargerd)
	chargerctl --json monitor > "$MON" 2>&1 &
	MON_PID=$!
	until_ grep -q . /proc/$MON_PID/status
	sleep 0.5
}

scenario_end() {
	kill "$MON_PID" 2>/dev/null
	wait "$MON_PID" 2>/dev/null
	emulctl unplug >/dev/null 2>&1
	until_ prop_is Online false
	chargerctl in-use auto >/dev/null 2>&1
	rm -f "$CONF"
	systemctl restart chargerd
	udevadm settle
	rmmod bq2589x_charger 2>/dev/null
	rmmod bq2589x_emul 2>/dev/null
	echo "1..$n"
	[ "$failed" = 0 ]
}
