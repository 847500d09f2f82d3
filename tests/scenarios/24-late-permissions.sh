#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# At boot chargerd can start before udev has run the rule that opens the
# charger's attributes and the LED's to its group (found by the packages'
# cold-boot test: "cannot set the LED ... Permission denied" at every
# boot). Its refused writes wait for udev's events instead of failing:
# once udev runs the rule, the state chargerd wants is applied, with no
# error logged. A refusal that lasts past the 30 s grace after its start
# is a real misconfiguration, and is logged. (The LED the configuration
# names, the unit opens itself before chargerd starts: only a late LED
# waits for udev.)
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }
LED=$(ls -d /sys/class/leds/*:charging /sys/class/leds/*:status 2>/dev/null | head -n1)

# The attributes as the kernel makes them, before udev's rule. udev first
# finishes what it has queued: a charger's change uevent it processes
# after the revoke runs the rule, which grants again (the stop's own
# hand-back writes auto, and the charger announces it); the revoke was
# undone before chargerd started, in some runs (a fresh clone's, once).
# The charger's own change uevent (the power_supply core sends it from a
# work item) can come after `udevadm settle` returned: revoked again until
# the revoke outlives a settle (it failed once in 2026-12-06's runs).
revoke() {
	local a try
	for try in 1 2 3 4 5; do
		udevadm settle
		for a in "$CHG/charge_behaviour" "$CHG/constant_charge_current" \
			"$LED/brightness" "$LED/delay_on" "$LED/delay_off"; do
			[ -e "$a" ] && chgrp root "$a" && chmod g-w "$a"
		done
		sleep 1
		udevadm settle
		[ "$(stat -c %G "$CHG/charge_behaviour")" = root ] && break
	done
	echo 0 > "$LED/brightness"
}
# What udev does for them at boot.
udev_runs_the_rule() {
	udevadm trigger --action=change --subsystem-match=power_supply --sysname-match=bq25895-charger
	udevadm trigger --action=add --subsystem-match=leds --sysname-match="${LED##*/}"
}
# At boot the charger's files can come after chargerd's start, when the
# unit's ExecStartPre= finds nothing to grant: the unit without those two
# (a drop-in in /run, gone at the end).
DROPIN=/run/systemd/system/chargerd.service.d/50-late-files.conf
start_grant() {
	if [ "$1" = off ]; then
		mkdir -p "${DROPIN%/*}"
		printf '[Service]\nExecStartPre=\nExecStartPre=-+/usr/sbin/chargerd --grant-led\n' > "$DROPIN"
	else
		rm -f "$DROPIN"
	fi
	systemctl daemon-reload
}
errors_since() {
	journalctl -u chargerd --since "$1" -p err -q --no-pager -o cat
}

plug_in_near_full
check "in use, set over D-Bus" chargerctl in-use on
check "paused in use" until_ behaviour_is inhibit-charge
check "the LED says so" until_ led_is slow

stopped=$(date '+%Y-%m-%d %H:%M:%S')
systemctl stop chargerd
check "stopped: charging handed back" behaviour_is auto
check "a stop is a clean exit, not a failure" \
	test "$(systemctl show -P Result chargerd) $(systemctl show -P ExecMainStatus chargerd)" = "success 0"
errors=$(errors_since "$stopped")
check "and logs no error" test -z "$errors"
[ -n "$errors" ] && sed 's/^/# /' <<< "$errors"
revoke
start_grant off
since=$(date '+%Y-%m-%d %H:%M:%S')
systemctl start chargerd
check "started with its writes refused" until_ prop_is Charger bq25895-charger
check "so charging is not held yet" behaviour_is auto
# what chargerd publishes is what the charger took (it said paused, the
# plan's, while the charger charged on)
check "nor said to be held: Paused empty" until_ prop_is Paused ""
check "the unit opened the LED itself before chargerd (ExecStartPre=+)" \
	test "$(stat -c %G "$LED/brightness")" = chargerd
udev_runs_the_rule
check "udev ran the rule: chargerd holds charging" until_ behaviour_is inhibit-charge
check "and shows it on the LED" until_ led_is slow
check "and publishes it: Paused in-use" until_ prop_is Paused in-use
check "on udev's event (its look, not the backstop's)" bash -c \
	"journalctl -u chargerd --since '$since' -o cat | grep -q 'resync (udev)'"
errors=$(errors_since "$since")
check "no error logged for the refusals within the grace" test -z "$errors"
[ -n "$errors" ] && sed 's/^/# /' <<< "$errors"

# Refused for longer than the grace: an error, for support to see.
systemctl stop chargerd
revoke
since=$(date '+%Y-%m-%d %H:%M:%S')
systemctl start chargerd
check "started again with its writes refused" until_ prop_is Charger bq25895-charger
sleep 25	# the grace is 30 s of the real clock from chargerd's start
check "past the grace, the refusal is logged" until_ bash -c \
	"journalctl -u chargerd --since '$since' -p err -o cat | grep -q 'Permission denied'"
check "and not said to be paused" prop_is Paused ""
udev_runs_the_rule
check "and applied as soon as udev opens the attributes" until_ behaviour_is inhibit-charge
check "in use off again" chargerctl in-use auto
check "charging" until_ behaviour_is auto
start_grant on

# Unplugged, the charger is quiet: no change uevent of its own runs the
# rule between the checks below (near full, it would at charge done).
emulctl unplug >/dev/null
check "unplugged" until_ prop_is Online false

# The rule runs `chargerd --grant-charger` only while charge_behaviour
# lacks the group's write bit: the charger's change uevents (every status
# and fault change) spawn nothing once the grant holds. udevadm test runs
# the rules as for a change uevent, IMPORT{program} included (it grants),
# and names each program it runs.
grant_runs() {
	udevadm test --action=change "/sys/class/power_supply/$1" 2>&1 |
		grep -cF "Importing properties from results of '/usr/sbin/chargerd --grant-charger=$1'"
}
granted() {
	test "$(stat -c %G:%A "$CHG/constant_charge_current" "$CHG/charge_behaviour" | sort -u)" = \
		chargerd:-rw-rw-r--
}
not_granted() {
	test "$(stat -c %G:%A "$CHG/constant_charge_current" "$CHG/charge_behaviour" | sort -u)" = \
		root:-rw-r--r--
}
# the files as the kernel makes them
revoke_charger() {
	chgrp root "$CHG/constant_charge_current" "$CHG/charge_behaviour"
	chmod g-w "$CHG/constant_charge_current" "$CHG/charge_behaviour"
}
udev_marker() {
	udevadm info -q property -p "/class/power_supply/$1" | sed -n 's/^CHARGERD_GRANT=//p'
}
check "granted: a change uevent runs nothing" test "$(grant_runs "${CHG##*/}")" = 0
revoke_charger
check "the files as the kernel makes them: the grant runs" test "$(grant_runs "${CHG##*/}")" = 1
check "and grants both" granted
revoke_charger
udevadm trigger --settle --action=change --subsystem-match=power_supply --sysname-match=bq25895-charger
check "a change uevent grants both" granted
check "udev's database says granted" test "$(udev_marker "${CHG##*/}")" = granted
check "after which it runs nothing again" test "$(grant_runs "${CHG##*/}")" = 0
# Another supply: nothing (no charge_behaviour: the rule does not run;
# named by hand: not the configuration's charger, nothing granted).
BAT=$(grep -l '^Battery$' /sys/class/power_supply/*/type | head -n1 | cut -d/ -f5)
check "the battery's change uevents run nothing" test "$(grant_runs "$BAT")" = 0
revoke_charger
out=$(/usr/sbin/chargerd --grant-charger="$BAT")
check "--grant-charger=<the battery>: CHARGERD_GRANT=other" test "$out" = CHARGERD_GRANT=other
check "and the charger is left as it was" not_granted
# Another charger with charge_behaviour (here: this one, with the
# configuration pinning another): told "other" once, udev keeps it, and
# the charger's later change uevents run nothing (they would, each one,
# for the device's life).
cp "$CONF" "$CONF.24"
printf '[agent]\nresync_s = 1\n[diagnosis]\nload_test = 0\n[supplies]\ncharger = bq25895-charger-9\n' > "$CONF"
udevadm trigger --settle --action=change --subsystem-match=power_supply --sysname-match=bq25895-charger
check "a charger that is not chargerd's: left as it was" not_granted
check "and udev's database says other" test "$(udev_marker "${CHG##*/}")" = other
check "so its change uevents run nothing" test "$(grant_runs "${CHG##*/}")" = 0
mv "$CONF.24" "$CONF"
udevadm trigger --settle --action=add --subsystem-match=power_supply --sysname-match=bq25895-charger
check "chargerd's again: an add asks again and grants" granted
check "and udev's database says granted" test "$(udev_marker "${CHG##*/}")" = granted
# A grant half made (root's, group-writable: the rule of a package before
# --grant-charger ran chmod after a refused chgrp, or an administrator's
# hand). The rule sees the bit and leaves it; chargerd's start makes it
# whole.
chgrp root "$CHG/constant_charge_current" "$CHG/charge_behaviour"
check "half granted (root's, group-writable): the rule runs nothing" test "$(grant_runs "${CHG##*/}")" = 0
systemctl restart chargerd
check "a start of chargerd grants both again" granted
check "and chargerd runs" until_ prop_is Charger bq25895-charger
# The unit's start with nothing to open: the chargerd group need not
# exist (chargerd(8)), exit 0, nothing said. With something to open and
# no group, it fails and says why. The group
# is hidden in a mount namespace of its own (a copy of /etc/group
# without it, bound over the file for that one run).
nogroup() {
	unshare -m bash -c 'grep -v "^chargerd:" /etc/group > /run/group.24 &&
		mount --bind /run/group.24 /etc/group && exec "$@"' nogroup "$@"
}
printf '[supplies]\ncharger = no-such-charger\n' > /run/chargerd-24.conf
check "in its own namespace, no group chargerd (but the others)" \
	nogroup sh -c 'getent group root >/dev/null && ! getent group chargerd'
out=$(nogroup /usr/sbin/chargerd --config=/run/chargerd-24.conf --grant-charger 2>&1)
check "no group, nothing to open: --grant-charger exits 0" test $? = 0
check "and says nothing" test -z "$out"
[ -n "$out" ] && sed 's/^/# /' <<< "$out"
printf '[supplies]\ncharger = %s\n' "${CHG##*/}" > /run/chargerd-24.conf
out=$(nogroup /usr/sbin/chargerd --config=/run/chargerd-24.conf --grant-charger 2>&1)
check "no group, a charger to open: --grant-charger fails" test $? = 1
check "and says there is no group" test "$out" = "chargerd: --grant-charger: no group chargerd"
[ "$out" = "chargerd: --grant-charger: no group chargerd" ] || sed 's/^/# /' <<< "$out"
# Named (udev's form), the same: the candidate is asked about before the
# group. The pinned charger not there is an error of its own, and a
# supply with neither attribute (a USB port of a fake class directory, a
# tmpfs over the real one in the same namespace) has nothing to open:
# exit 0, nothing printed, so udev keeps no answer.
printf '[supplies]\ncharger = no-such-charger\n' > /run/chargerd-24.conf
out=$(nogroup /usr/sbin/chargerd --config=/run/chargerd-24.conf \
	--grant-charger=no-such-charger 2>&1)
check "no group, the pinned charger absent: --grant-charger=NAME fails" test $? = 1
want="chargerd: --grant-charger: no-such-charger: No such file or directory"
check "and says the charger is not there, not the group" test "$out" = "$want"
[ "$out" = "$want" ] || sed 's/^/# /' <<< "$out"
printf '[agent]\n' > /run/chargerd-24.conf
# shellcheck disable=SC2016 # expanded by the namespace's sh
bare_class='mount -t tmpfs none /sys/class/power_supply &&
	mkdir /sys/class/power_supply/usb-c &&
	echo USB > /sys/class/power_supply/usb-c/type && exec "$@"'
bare_port() {
	nogroup sh -c "$bare_class" bare_port "$@"
}
check "in its namespace, a USB port with neither attribute (and no group)" \
	bare_port sh -c 'test "$(ls /sys/class/power_supply)" = usb-c && ! getent group chargerd'
out=$(bare_port /usr/sbin/chargerd --config=/run/chargerd-24.conf --grant-charger=usb-c 2>&1)
check "no group, a port with nothing to open: --grant-charger=NAME exits 0" test $? = 0
check "and prints nothing (no answer for udev to keep)" test -z "$out"
[ -n "$out" ] && sed 's/^/# /' <<< "$out"
# with the group, the same: nothing opened is not "granted"
check "in its namespace, the same port, with the group" \
	unshare -m sh -c "$bare_class" bare_port sh -c \
	'test "$(ls /sys/class/power_supply)" = usb-c && getent group chargerd'
out=$(unshare -m sh -c "$bare_class" bare_port \
	/usr/sbin/chargerd --config=/run/chargerd-24.conf --grant-charger=usb-c 2>&1)
check "the group there, a port with nothing to open: exits 0" test $? = 0
check "and prints nothing" test -z "$out"
[ -n "$out" ] && sed 's/^/# /' <<< "$out"
# A link in an attribute's place (sysfs never has one): refused, and the
# error names the file and says what is wrong with it (it once said
# "usb-c: Too many levels of symbolic links", naming only the supply).
# shellcheck disable=SC2016 # expanded by the namespace's sh
linked_class='mount -t tmpfs none /sys/class/power_supply &&
	mkdir /sys/class/power_supply/usb-c &&
	echo USB > /sys/class/power_supply/usb-c/type &&
	ln -s /etc/passwd /sys/class/power_supply/usb-c/charge_behaviour && exec "$@"'
out=$(unshare -m sh -c "$linked_class" linked_port \
	/usr/sbin/chargerd --config=/run/chargerd-24.conf --grant-charger=usb-c 2>&1)
check "a link for charge_behaviour: --grant-charger=NAME fails" test $? = 1
want="chargerd: --grant-charger: usb-c/charge_behaviour: a symbolic link where sysfs has a file: left alone"
check "and names the file, and what is wrong with it" test "$out" = "$want"
[ "$out" = "$want" ] || sed 's/^/# /' <<< "$out"
check "and the link's target is left as it was" test "$(stat -c %G:%a /etc/passwd)" = root:644
rm -f /run/chargerd-24.conf /run/group.24
scenario_end
