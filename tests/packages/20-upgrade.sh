#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A newer chargerd installed over the running one (dpkg -i, as an image's
# update would): the history and the settings stay, the service restarts
# on the new binary, charging stays on. Then a history file that does not
# read back, found by the upgraded chargerd: kept aside and reported,
# never deleted. The newer package is build/deb-next (tests/vm/mkproduct
# builds it with DEB_VERSION).
. "$(dirname "$0")/../scenarios/lib.sh"
next=$(ls /opt/chargerd/build/deb-next/chargerd_*_amd64.deb 2>/dev/null | head -n1)
if [[ -z $next ]]; then
	echo "Bail out! no newer chargerd in build/deb-next (tests/vm/mkproduct builds it)"
	exit 1
fi
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }
STATE=/var/lib/chargerd
ids() {
	chargerctl --json history | grep -o '"id": *[0-9]*' | tr -d ' '
}
version() {
	dpkg-query -W -f='${Version}' chargerd
}

check "settings: in-use thresholds 75/65 (not the defaults)" chargerctl thresholds 75 65
thresholds=$(chargerctl thresholds)
for i in 1 2; do
	emulctl plug dcp --max-ma 2000 >/dev/null
	until_ prop_is Online true
	emulctl advance 120s >/dev/null
	emulctl unplug >/dev/null
	until_ prop_is Online false
done
before=$(ids)
check "two sessions recorded" test "$(wc -l <<< "$before")" -ge 2
conf=$(md5sum < "$CONF")
emulctl plug dcp --max-ma 2000 >/dev/null
check "charging before the upgrade" until_ sysfs_is status Charging
ua=$(sysfs constant_charge_current)
old=$(version)
pid=$(systemctl show -P MainPID chargerd)
# The charger's attributes as the kernel makes them (root's, 0644): the
# package's configure replays no udev event, the restart's
# `chargerd --grant-charger` (ExecStartPre=+) opens them.
chgrp root "$CHG/constant_charge_current" "$CHG/charge_behaviour"
chmod g-w "$CHG/constant_charge_current" "$CHG/charge_behaviour"

out=$(dpkg -i "$next" 2>&1)
check "dpkg -i of the newer package succeeds" test $? = 0
echo "$out" | sed 's/^/# /'
check "the newer version is installed ($old -> $(version))" \
	dpkg --compare-versions "$(version)" gt "$old"
restarted() {
	local p
	p=$(systemctl show -P MainPID chargerd)
	[ "$p" != 0 ] && [ "$p" != "$pid" ] && systemctl -q is-active chargerd
}
check "the service was restarted" until_ restarted
check "and its start opened the charger's two attributes to its group" test \
	"$(stat -c %G:%A "$CHG/constant_charge_current" "$CHG/charge_behaviour" | sort -u)" = chargerd:-rw-rw-r--
check "the new chargerd drives the charger" until_ prop_is Charger bq25895-charger
check "charging stays on" behaviour_is auto
check "still charging" sysfs_is status Charging
check "at the same current" sysfs_is constant_charge_current "$ua"
after=$(ids)
check "the history is kept" bash -c "grep -qxF -f <(echo \"$before\") <<< \"$after\" &&
	test \$(grep -cxF -f <(echo \"$before\") <<< \"$after\") = $(wc -l <<< "$before")"
check "the thresholds are kept ($thresholds)" test "$(chargerctl thresholds)" = "$thresholds"
check "the configuration is untouched" test "$(md5sum < "$CONF")" = "$conf"

# An update installed with chargerd stopped (an image updated offline)
# finds the log with a line it cannot read and the checkpoint of a
# session in progress in someone else's format.
emulctl unplug >/dev/null
until_ prop_is Online false
good=$(ids)
systemctl stop chargerd
printf 'not a session of ours\n' >> "$STATE/sessions.log"
printf 'foreign\n' > "$STATE/current"
since=$(date '+%Y-%m-%d %H:%M:%S')
check "reinstalled over a stopped chargerd, it starts" dpkg -i "$next"
check "running" until_ prop_is Charger bq25895-charger
check "the log was kept aside as found" grep -qx 'not a session of ours' "$STATE/sessions.log.bad-1"
check "and the checkpoint" grep -qx foreign "$STATE/current.bad-1"
check "the log goes on with its good records" test "$(ids)" = "$good"
check "no foreign line left in the log" not_ grep -q 'not a session' "$STATE/sessions.log"
check "the journal says which file was kept" until_ bash -c \
	"journalctl -u chargerd --since '$since' -o verbose | grep -qx '    CHARGERD_HISTORY_KEPT=sessions.log.bad-1'"
check "and the checkpoint's" until_ bash -c \
	"journalctl -u chargerd --since '$since' -o cat | grep -q 'kept as current.bad-1'"
check "the report names it" bash -c "chargerctl report | grep -q '\"kept_aside\": \"sessions.log.bad-1\"'"
check "charging on" behaviour_is auto
scenario_end
