#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The wall clock set while systemd-timesyncd's flag says it is
# synchronised. Two orders the flag alone cannot tell apart from a good
# clock: (1) the clock set by hand 300 days back after a sync; (2) the
# flag there early, while the clock is 300 days behind, and the clock
# stepped after it. (300 days, not three years: a clock before 2026,
# before chargerd existed, is never trusted, flag or not, and the flag's
# rules would go untested. (3) is that floor: a "synchronised" step to
# 1970 re-dated the sessions before it to 1970, helper-61.) chargerd sees each step (a timer cancelled when the
# clock is set), trusts the clock again only once the flag is touched
# after the step, re-dates the session in progress from CLOCK_BOOTTIME
# then, and keeps this across its own restart. Before, the flag's presence
# was trusted: (1) stored a start three years off as clock=synced, and (2)
# kept the start stamped before the step, three years off.
. "$(dirname "$0")/lib.sh"

clock_flag_save
mkdir -p "${FLAG%/*}"
touch "$FLAG"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

session_id() {
	timeout 20 busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 \
		org.chargerd.Charger1 Session | cut -d' ' -f2
}
# clock_set_seen SYNCED: a record of a step, the clock trusted after it or not
clock_set_seen() {
	journal_has "$MID_CLOCK_SET" CHARGER_WALL_CLOCK_SYNCED="$1"
}
# the last such record says SYNCED, and there are more than COUNT
clock_set_after() {
	[ "$(clock_set_records)" -gt "$1" ] &&
		journalctl --no-pager -o json _SYSTEMD_UNIT=chargerd.service _PID="$PID" \
			MESSAGE_ID="$MID_CLOCK_SET" 2>/dev/null | tail -n 1 |
		grep -q "\"CHARGER_WALL_CLOCK_SYNCED\":\"$2\""
}
clock_set_records() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o cat _SYSTEMD_UNIT=chargerd.service _PID="$PID" \
		MESSAGE_ID="$MID_CLOCK_SET" 2>/dev/null | wc -l
}
# record_start_within ID LOW HIGH CLOCK: its line in sessions.log, once
# a reader asked for the history (GetHistory has chargerd look at the
# clock first: a flag touched with no step makes no event)
record_start_within() {
	local start
	chargerctl history >/dev/null 2>&1
	start=$(grep " id=$1 " /var/lib/chargerd/sessions.log | tail -n 1 |
		grep " clock=$4 " | sed -n 's/.* start=\(-\?[0-9]*\) .*/\1/p')
	[ -n "$start" ] && [ "$start" -ge "$2" ] && [ "$start" -le "$3" ]
}
plug_session() {
	local before
	before=$(session_id)
	u0=$(uptime_s)
	emulctl plug dcp >/dev/null
	until_ prop_is Online true &&
		until_ bash -c "s=\$(timeout 20 busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 org.chargerd.Charger1 Session | cut -d' ' -f2); [ \"\$s\" != 0 ] && [ \"\$s\" != '$before' ]" || return 1
	u1=$(uptime_s)
	ID=$(session_id)
}

emulctl temp 25 >/dev/null
emulctl battery capacity 40 >/dev/null

# (1) synchronised, then set 300 days back by hand; the flag stays
BACK=300
clock_step_days -$BACK
check "(1) the step is journalled: not synchronised" until_ clock_set_seen 0
# in words (it said "by -25920000 s": helper-86), the seconds in a field
check "(1) said in days: set back by $BACK d" bash -c \
	"journalctl -o cat _PID=$PID MESSAGE_ID=$MID_CLOCK_SET | grep -q '^Wall clock set back by $BACK d: '"
check "(1) the report says the clock is not synchronised" \
	until_ bash -c "chargerctl report | tr -d ' \n' | grep -q '\"wall_clock_synced\":false'"
check "(1) plugged in, a session" plug_session
check "(1) its start is not a time: GetHistory gives 0" newest_start_is 0
check "(1) chargerctl history: clock not set" \
	bash -c "chargerctl history | awk '\$1 == $ID' | grep -q 'clock not set'"
sleep 2
# timesyncd's next synchronisation: the clock right again, the flag touched
records=$(clock_set_records)
clock_step_days $BACK
touch "$FLAG"
check "(1) that step is journalled: synchronised (the flag touched after it)" \
	until_ clock_set_after "$records" 1
low=$(($(wall_at "$u0") - 1))
high=$(($(wall_at "$u1") + 1))
check "(1) synchronised again: the start re-dated ($low to $high)" \
	until_ newest_start_within "$low" "$high"
emulctl unplug >/dev/null
check "(1) unplugged" until_ prop_is Online false
check "(1) the session ended" until_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$ID"
set -- $(newest)
check "(1) its record: the re-dated start, clock=synced" \
	bash -c "grep ' id=$ID ' /var/lib/chargerd/sessions.log | grep -q ' start=$2 clock=synced '"

# (2) the flag created while the clock is 300 days behind, then the step
rm -f "$FLAG"
clock_step_days -$BACK
touch "$FLAG"
check "(2) plugged in, a session" plug_session
wrong_low=$(($(wall_at "$u0") - 1))
wrong_high=$(($(wall_at "$u1") + 1))
check "(2) stamped by the clock 300 days behind (nothing could tell yet)" \
	newest_start_within "$wrong_low" "$wrong_high"
records=$(clock_set_records)
clock_step_days $BACK
check "(2) the step is journalled: not synchronised, the session has no date" \
	until_ clock_set_after "$records" 0
check "(2) its start is no longer given: GetHistory gives 0" until_ newest_start_is 0
check "(2) the checkpoint says clock=unsynced" \
	bash -c "grep -q ' id=$ID .* clock=unsynced ' /var/lib/chargerd/current"
# chargerd restarted: the flag, still untouched, is still not trusted
systemctl restart chargerd
check "(2) chargerd restarted" until_ prop_is Charger bq25895-charger
PID=$(systemctl show -P MainPID chargerd)
check "(2) after the restart: the same session, still no date" \
	until_ bash -c "[ \"\$(timeout 20 busctl call org.chargerd.Charger1 /org/chargerd/Charger1 org.chargerd.Charger1 GetHistory u 1 | awk '{ print \$3, \$4 }')\" = '$ID 0' ]"
check "(2) and the report agrees" \
	bash -c "chargerctl report | tr -d ' \n' | grep -q '\"wall_clock_synced\":false'"
# timesyncd synchronises: it touches the flag
touch "$FLAG"
low=$(($(wall_at "$u0") - 1))
high=$(($(wall_at "$u1") + 1))
check "(2) the flag touched: the start re-dated ($low to $high)" \
	until_ newest_start_within "$low" "$high"
set -- $(newest)
day=$(date -d "@$2" '+%Y-%m-%d %H:%M')
check "(2) chargerctl history shows it ($day)" \
	bash -c "chargerctl history | awk '\$1 == $ID' | grep -q '$day'"
emulctl unplug >/dev/null
check "(2) unplugged" until_ prop_is Online false
check "(2) its record: the right start, clock=synced" \
	until_ bash -c "grep ' id=$ID ' /var/lib/chargerd/sessions.log | grep -q ' start=$2 clock=synced '"

# (3) a "synchronised" step to 1970 (a server's bogus answer, the flag
# touched at the epoch): never trusted, the session not dated 1970
check "(3) plugged in, a session" plug_session
low=$(($(wall_at "$u0") - 1))
high=$(($(wall_at "$u1") + 1))
check "(3) dated" until_ newest_start_within "$low" "$high"
records=$(clock_set_records)
epoch_days=$(($(date +%s) / 86400 - 30))
clock_step_days -$epoch_days
touch "$FLAG"
check "(3) the step to $(date +%Y-%m-%d) is journalled: not synchronised, flag or not" \
	until_ clock_set_after "$records" 0
check "(3) the session's start not re-dated to then: GetHistory gives 0" newest_start_is 0
check "(3) the report: not synchronised" \
	bash -c "chargerctl report | tr -d ' \n' | grep -q '\"wall_clock_synced\":false'"
records=$(clock_set_records)
clock_step_days $epoch_days
touch "$FLAG"
check "(3) the clock right again: synchronised" until_ clock_set_after "$records" 1
check "(3) the start dated right ($low to $high)" until_ newest_start_within "$low" "$high"
emulctl unplug >/dev/null
check "(3) unplugged" until_ prop_is Online false
check "(3) the session ended" until_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$ID"

# (4) a "synchronised" step 300 days ahead (a server's bogus answer, the
# flag touched): a session that starts and ends then is dated ahead, and
# so are this boot's sessions before it (the latest synchronisation dates
# them all, as it does the session in progress). timesyncd's next
# synchronisation sets the clock right: every one of them is dated again
# from it. Before, a finished session kept a synchronised date for good.
ID3=$ID
low3=$(($(wall_at "$u0") - 1))
high3=$(($(wall_at "$u1") + 1))
records=$(clock_set_records)
clock_step_days $BACK
touch "$FLAG"
check "(4) the step 300 days ahead: synchronised (the flag touched after it)" \
	until_ clock_set_after "$records" 1
check "(4) plugged in, a session" plug_session
emulctl unplug >/dev/null
check "(4) unplugged" until_ prop_is Online false
check "(4) the session ended" until_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$ID"
ahead_low=$(($(wall_at "$u0") - 1))
ahead_high=$(($(wall_at "$u1") + 1))
check "(4) its record: dated 300 days ahead ($ahead_low to $ahead_high), clock=synced" \
	until_ record_start_within "$ID" "$ahead_low" "$ahead_high" synced
records=$(clock_set_records)
clock_step_days -$BACK
check "(4) set right by hand, the flag untouched: not synchronised, both sessions undated" \
	until_ clock_set_after "$records" 0
check "(4) the session ahead: no date (clock=unsynced)" \
	until_ record_start_within "$ID" 0 9999999999 unsynced
check "(4) the one before it too" record_start_within "$ID3" 0 9999999999 unsynced
check "(4) chargerctl history: clock not set" \
	bash -c "chargerctl history | awk '\$1 == $ID' | grep -q 'clock not set'"
touch "$FLAG"
low=$(($(wall_at "$u0") - 1))
high=$(($(wall_at "$u1") + 1))
check "(4) synchronised again: the session ahead dated right ($low to $high)" \
	until_ record_start_within "$ID" "$low" "$high" synced
check "(4) and the one before it ($low3 to $high3)" \
	record_start_within "$ID3" "$low3" "$high3" synced

clock_flag_restore
scenario_end
