#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The wall clock steps three years while a session is in progress (a
# device without an RTC getting its time late), and chargerd is killed
# and restarted meanwhile (issue 18, item 5): the session's duration
# comes from CLOCK_BOOTTIME across the restart, never from the wall clock.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

restarted() {
	local pid
	pid=$(systemctl show -P MainPID chargerd)
	[ "$pid" != 0 ] && [ "$pid" != "$1" ] && prop_is Charger bq25895-charger
}
duration() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _SYSTEMD_UNIT=chargerd.service _PID="$PID" \
		MESSAGE_ID="$MID_SESSION_END" 2>/dev/null |
		grep -o '"CHARGER_SESSION_DURATION_S":"[0-9]*"' | grep -o '[0-9]*' | tail -n 1
}

emulctl temp 25 >/dev/null
emulctl battery capacity 40 >/dev/null
emulctl plug dcp >/dev/null
check "plugged in" until_ prop_is Online true
check "a session in progress" until_ bash -c "[ \"\$(timeout 20 busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 org.chargerd.Charger1 Session | cut -d' ' -f2)\" != 0 ]"
sleep 3
clock_step_days 1096
kill -9 "$PID"
check "restarted" until_ restarted "$PID"
PID=$(systemctl show -P MainPID chargerd)
sleep 2
emulctl unplug >/dev/null
check "unplugged" until_ prop_is Online false
check "the session ended" until_ journal_has "$MID_SESSION_END"
d=$(duration)
check "its duration is seconds, not three years (${d:-none} s)" test -n "$d" -a "${d:-0}" -lt 600
synced=0
[ -e /run/systemd/timesync/synchronized ] && synced=1
check "and says whether the wall clock was synchronised ($synced)" \
	journal_has "$MID_SESSION_END" CHARGER_WALL_CLOCK_SYNCED=$synced
clock_step_days -1096

scenario_end
