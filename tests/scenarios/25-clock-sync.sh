#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A device without an RTC charges before its clock is synchronised: its
# sessions' starts are stamped by a clock three years off. A session that
# is still going on when the clock is synchronised (the clock steps, then
# systemd-timesyncd's flag appears) has its start re-dated from
# CLOCK_BOOTTIME; one that ends before is dated in its record once the
# clock is synchronised (its row says "clock not set" until then). Before,
# every start was judged by the clock at display time: once synchronised,
# the stale starts showed as real dates three years off; and then one that
# ended before the sync kept an unknown start for good.
. "$(dirname "$0")/lib.sh"

# the clock back three years (undone by the end, or on the way out)
clock_flag_save
rm -f "$FLAG"
clock_step_days -1096
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl battery capacity 40 >/dev/null
u0=$(uptime_s)
emulctl plug dcp >/dev/null
check "plugged in" until_ prop_is Online true
check "a session in progress" until_ bash -c "[ \"\$(timeout 20 busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 org.chargerd.Charger1 Session | cut -d' ' -f2)\" != 0 ]"
u1=$(uptime_s)
ID=$(busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 org.chargerd.Charger1 Session | cut -d' ' -f2)
check "its start is not a time yet: GetHistory gives 0" newest_start_is 0
check "chargerctl history: clock not set" bash -c "chargerctl history | awk '\$1 == $ID' | grep -q 'clock not set'"
sleep 3
# what timesyncd does: step the clock, then say so
clock_step_days 1096
mkdir -p "${FLAG%/*}"
touch "$FLAG"
# the session started between u0 and u1 on CLOCK_BOOTTIME (a second's slack each side)
low=$(($(wall_at "$u0") - 1))
high=$(($(wall_at "$u1") + 1))
check "synchronised: the start re-dated from CLOCK_BOOTTIME ($low to $high)" \
	until_ newest_start_within "$low" "$high"
first_low=$low first_high=$high
set -- $(newest)
start=$2
day=$(date -d "@$start" '+%Y-%m-%d %H:%M')
check "chargerctl history shows it ($day)" bash -c "chargerctl history | awk '\$1 == $ID' | grep -q '$day'"
emulctl unplug >/dev/null
check "unplugged" until_ prop_is Online false
check "the session ended" until_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$ID"
check "its record keeps the re-dated start, clock=synced" \
	bash -c "grep ' id=$ID ' /var/lib/chargerd/sessions.log | grep -q ' start=$start clock=synced '"
check "GetHistory: the same start" newest_start_is "$start"

# the next one starts and ends unsynchronised: dated when the clock is
# synchronised later, from its CLOCK_BOOTTIME (before, unknown for good)
rm -f "$FLAG"
clock_step_days -1096
first=$ID
u0=$(uptime_s)
emulctl plug dcp >/dev/null
check "plugged in again" until_ prop_is Online true
check "a second session" until_ bash -c "[ \"\$(busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 org.chargerd.Charger1 Session | cut -d' ' -f2)\" != $first ]"
u1=$(uptime_s)
ID=$(busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 org.chargerd.Charger1 Session | cut -d' ' -f2)
sleep 2
emulctl unplug >/dev/null
check "unplugged again" until_ prop_is Online false
check "the second session ended" until_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$ID"
check "its record says clock=unsynced" bash -c "grep ' id=$ID ' /var/lib/chargerd/sessions.log | grep -q ' clock=unsynced '"
check "the journal's record says so" \
	journal_has "$MID_SESSION_END" CHARGER_SESSION="$ID" CHARGER_SESSION_START_CLOCK=unsynced
check "not synchronised: GetHistory gives 0" newest_start_is 0
check "chargerctl history: clock not set on its row" \
	bash -c "chargerctl history | awk '\$1 == $ID' | grep -q 'clock not set'"
check "the report: start null, start_clock unsynced" \
	bash -c "chargerctl report | tr -d ' \n' | grep -q '\"id\":$ID,\"start\":null,\"start_clock\":\"unsynced\"'"
check "and the first's journal record: synced" \
	journal_has "$MID_SESSION_END" CHARGER_SESSION="$first" CHARGER_SESSION_START_CLOCK=synced
# chargerd restarted before the sync: its runtime directory keeps the session's clock
check "the ended session's clock kept for dating" grep -q "^$ID " /run/chargerd/undated
systemctl restart chargerd
check "chargerd restarted" until_ prop_is Charger bq25895-charger
PID=$(systemctl show -P MainPID chargerd)
# synchronised, on battery: timesyncd steps the clock, then touches its flag
clock_step_days 1096
touch "$FLAG"
low=$(($(wall_at "$u0") - 1))
high=$(($(wall_at "$u1") + 1))
check "synchronised later: the ended session dated from CLOCK_BOOTTIME ($low to $high)" \
	until_ newest_start_within "$low" "$high"
set -- $(newest)
start=$2
check "its record rewritten: start=$start clock=synced" \
	bash -c "grep ' id=$ID ' /var/lib/chargerd/sessions.log | grep -q ' start=$start clock=synced '"
check "one line for it" bash -c "[ \$(grep -c ' id=$ID ' /var/lib/chargerd/sessions.log) = 1 ]"
# its clock kept for this boot: a later step undates it, the next
# synchronisation dates it again (scenario 26's (4))
check "its clock kept for a later step" grep -q "^$ID " /run/chargerd/undated
day2=$(date -d "@$start" '+%Y-%m-%d %H:%M')
check "chargerctl history shows it ($day2)" \
	bash -c "chargerctl history | awk '\$1 == $ID' | grep -q '$day2'"
# The step back undated the first session too (it was dated from
# CLOCK_BOOTTIME in this boot), and this synchronisation dated it again
# from CLOCK_BOOTTIME: each of the scenario's steps costs the wall clock
# a few milliseconds, so its start may be a second off the first dating
# (CI's stop 55 saw 12:59:00 become 12:58:59): its range, not its second.
first_start=$(grep " id=$first " /var/lib/chargerd/sessions.log | tail -n 1 |
	sed -n 's/.* start=\(-\?[0-9]*\) clock=synced .*/\1/p')
check "the first session dated again ($first_low to $first_high)" \
	bash -c "[ -n '$first_start' ] && [ '$first_start' -ge $first_low ] && [ '$first_start' -le $first_high ]"
day1=$(date -d "@${first_start:-0}" '+%Y-%m-%d %H:%M')
check "and the first session's date on its own ($day1)" \
	bash -c "chargerctl history | awk '\$1 == $first' | grep -q '$day1'"
check "the report: start_clock synced" \
	bash -c "chargerctl report | tr -d ' \n' | grep -q '\"id\":$ID,\"start\":$start,\"start_clock\":\"synced\"'"
clock_flag_restore
scenario_end
