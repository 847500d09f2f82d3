#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What changed while chargerd was away (stopped, restarting, upgraded): a
# restart with the same adapter in goes on with the same session; another
# kind of port in its place is another session (helper-61: chargerd
# stopped, the wall adapter unplugged, a computer's port plugged 600 s
# later, chargerd started: the wall adapter's session went on, relabelled
# sdp, and the computer's was never recorded); so is the same kind of port
# plugged again, as the charger's driver counts the arrivals.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

main_pid() {
	systemctl show -P MainPID chargerd
}
session_is_not() {
	local s
	s=$(prop Session)
	[ -n "$s" ] && [ "$s" != 0 ] && [ "$s" != "$1" ]
}

emulctl temp 25 >/dev/null
emulctl battery capacity 40 >/dev/null
emulctl plug dcp --max-ma 2000 >/dev/null
check "plugged into a wall adapter" until_ prop_is Online true
check "a session" until_ session_is_not 0
ID=$(prop Session)

systemctl restart chargerd
PID=$(main_pid)
check "restarted, the same adapter in: the same session" until_ prop_is Session "$ID"
check "and no session ended" not_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$ID"

systemctl stop chargerd
emulctl unplug >/dev/null
sleep 1
emulctl plug sdp >/dev/null
systemctl start chargerd
PID=$(main_pid)
check "started on a computer's port: a new session" until_ session_is_not "$ID"
check "the wall adapter's ended as agent-restart, still dcp" \
	until_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$ID" \
	CHARGER_SESSION_END_REASON=agent-restart CHARGER_SOURCE_KIND=dcp
check "the new one's start says sdp" \
	until_ journal_has "$MID_SESSION_START" CHARGER_SESSION="$(prop Session)" \
	CHARGER_SOURCE_KIND=sdp
check "chargerctl history lists both" \
	bash -c "chargerctl history | awk '\$1 == $ID' | grep -q agent-restart"

# the same kind of port plugged again while chargerd was away (the battery
# may have drained meanwhile): the driver counted the arrival
# (power_good_rises), another session; it went on as the saved one
ID2=$(prop Session)
rises=$(sysfs power_good_rises)
systemctl stop chargerd
emulctl unplug >/dev/null
sleep 1
emulctl plug sdp >/dev/null
check "the driver counted the arrival" until_ sysfs_is power_good_rises $((rises + 1))
systemctl start chargerd
PID=$(main_pid)
check "plugged again into the same kind of port: a new session" until_ session_is_not "$ID2"
check "the one before ended as agent-restart" \
	until_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$ID2" \
	CHARGER_SESSION_END_REASON=agent-restart CHARGER_SOURCE_KIND=sdp

scenario_end
