#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The charger's driver bound again during a heat pause (a module reloaded,
# a driver rebound by an update): the new device starts at auto with its
# files root's until udev runs the rule. chargerd pauses it again as soon
# as udev has granted them: no write error, no "paused again behind its
# back" (it was another device, not a lost pause), and a rebind is no
# bouncing connector (helper-61: the pause was refused, charging went on
# for 8 s until a later look; three rebinds made "connector"). Bound
# again while unplugged, it gets the stop before the plug; unbound for
# good, it is a charger-fault, said back once bound again.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

DRV=/sys/bus/i2c/drivers/bq2589x-charger
emulctl temp 25 >/dev/null
emulctl battery capacity 30 >/dev/null
emulctl plug dcp >/dev/null
check "plugged in" until_ prop_is Online true
emulctl advance 1s >/dev/null	# the ADC's first sample
emulctl temp 45 >/dev/null
check "paused for heat" until_ behaviour_is inhibit-charge
DEV=$(basename "$(readlink -f "$CHG/device")")
# rebinds 1 and 2: chargerd sees the charger gone before it comes back
# (the session waits for it: helper-69, it ended as removed and another
# started with a plug record and no unplug); 3: unbound and bound at
# once, so that chargerd may see only a new device in its place (what it
# wrote to the old one must not count: helper-62)
SID=$(prop Session)
thermal_records() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _PID="$PID" MESSAGE_ID="$MID_THERMAL" 2>/dev/null | wc -l
}
more_thermal_records() {
	[ "$(thermal_records)" -gt "$1" ]
}
too_hot_records() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _PID="$PID" MESSAGE_ID="${MID_DIAG[too-hot]}" 2>/dev/null | wc -l
}
at_most_one_more_too_hot() {
	[ "$(too_hot_records)" -le $(($1 + 1)) ]
}
one_more_too_hot() {
	[ "$(too_hot_records)" -eq $(($1 + 1)) ]
}
for rebind in 1 2 3; do
	before=$(thermal_records)
	before_hot=$(too_hot_records)
	echo "$DEV" > "$DRV/unbind"
	if [ $rebind -lt 3 ]; then
		until_ bash -c "! test -e $CHG"
		until_ prop_is Online false
	fi
	echo "$DEV" > "$DRV/bind"
	check "rebind $rebind: paused again" until_ behaviour_is inhibit-charge
	# the band's record again, for the new device (the last named the old one's)
	check "rebind $rebind: the band said again" until_ more_thermal_records "$before"
	sleep 11	# past the 10 s after which a lost pause would be said
	# said for the new device once, when it took the stop (helper-69:
	# once as the write went out, refused until udev's grant, and again);
	# rebind 3 may not be seen as one (then it is not said again)
	if [ $rebind -lt 3 ]; then
		check "rebind $rebind: too-hot said once" one_more_too_hot "$before_hot"
	else
		check "rebind $rebind: too-hot said at most once" \
			at_most_one_more_too_hot "$before_hot"
	fi
done
check "no write refused for its permissions was logged" \
	not_ journal_has "$MID_AGENT_ERROR" CHARGERD_ERROR="policy write"
check "no pause said lost behind chargerd's back" \
	not_ journal_has "$MID_THERMAL" CHARGER_PAUSE_LOST=1
check "the rebinds are no bouncing connector" \
	not_ journal_has "${MID_DIAG[connector]}"
check "nor a broken charger (back within seconds: helper-69)" \
	not_ journal_has "${MID_DIAG[charger-fault]}"
check "still paused for heat" prop_is Paused heat
check "the rebinds kept the session ($SID)" prop_is Session "$SID"
check "none ended" not_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$SID"
# unplugged during the heat: the stop stays; a charger bound again while
# unplugged gets it before the plug (helper-69: it waited for the plug's
# look, and the charger charged 0.35 to 0.7 s at 45 degC at the plug)
emulctl unplug >/dev/null
check "unplugged: the heat stop stays" until_ prop_is Online false
check "the charger holds it" behaviour_is inhibit-charge
echo "$DEV" > "$DRV/unbind"
until_ bash -c "! test -e $CHG"
echo "$DEV" > "$DRV/bind"
check "bound again while unplugged: the stop before the plug" until_ behaviour_is inhibit-charge
check "still unplugged" prop_is Online false
check "nothing said paused while nothing charges" prop_is Paused ""
# REG03 CHG_CONFIG (bit 4) clear in the chip: it will not charge at the plug
chg_config_clear() {
	local v
	v=$(emulctl regs | sed -n 's/^03: //p')
	[ -n "$v" ] && (((0x$v & 0x10) == 0))
}
check "the chip holds charging off before the plug" chg_config_clear
emulctl plug dcp >/dev/null
check "plugged in: paused for heat" until_ prop_is Paused heat
emulctl temp 25 >/dev/null
check "cooled: charging again" until_ behaviour_is auto
# unbound for good (10 s): a broken charger; bound again: said back
# (helper-69: the gauge and the sensors had such a record, the charger none)
emulctl unplug >/dev/null
check "unplugged" until_ prop_is Online false
echo "$DEV" > "$DRV/unbind"
# asked within the 10 s: a warning in a reload's words, not "needs
# repair" while `chargerctl status` says nothing (helper-71)
check "asked at once: a warning, the driver may be reloading" until_ bash -c \
	"chargerctl --json diagnose | tr -d ' \n' | grep -q '\"code\":\"charger-fault\",\"severity\":\"warning\",\"summary\":\"[^\"]*reload'"
check "unbound for longer than 10 s: charger-fault" \
	until_ journal_has "${MID_DIAG[charger-fault]}" CHARGER_DIAGNOSIS=charger-fault
check "asked then: a fault, the driver stopped (restart: not let it cool)" until_ bash -c \
	"chargerctl --json diagnose | tr -d ' \n' | grep -q '\"code\":\"charger-fault\",\"severity\":\"fault\",\"summary\":\"Thechargingcircuit.sdriverstopped'"
echo "$DEV" > "$DRV/bind"
check "bound again: the charger said back" \
	until_ journal_has "$MID_DIAGNOSIS_GONE" CHARGER_DIAGNOSIS=charger-fault
check "and no longer diagnosed" \
	until_ not_ bash -c "chargerctl --json diagnose | grep -q '\"code\": \"charger-fault\"'"

# chargerd restarted 6 s into the wait (an upgrade): the wait goes on
# from when the supply went, not from the restart (helper-73: each
# restart started it again and dated the session's end there)
emulctl plug dcp >/dev/null
check "plugged again" until_ prop_is Online true
plugged=$(uptime_s)
SID2=$(prop Session)
echo "$DEV" > "$DRV/unbind"
gone=$(uptime_s)
sleep 6
systemctl restart chargerd
PID=$(systemctl show -P MainPID chargerd)
check "the session ends as removed" \
	until_ journal_has "$MID_SESSION_END" CHARGER_SESSION="$SID2" CHARGER_SESSION_END_REASON=removed
dur=$(journalctl --no-pager -o export _PID="$PID" MESSAGE_ID="$MID_SESSION_END" \
	CHARGER_SESSION="$SID2" | sed -n 's/^CHARGER_SESSION_DURATION_S=//p' | tail -n1)
check "dated when the supply went, not at the restart ($dur s)" \
	awk -v d="$dur" -v p="$plugged" -v g="$gone" 'BEGIN { exit !(d != "" && d <= g - p + 2) }'
echo "$DEV" > "$DRV/bind"
check "bound again" until_ prop_is Charger bq25895-charger
# with the adapter in all along: its session starts as the charger's
# return, not a plug (helper-79: "Charger plugged in")
check "back with power: not 'plugged in'" \
	until_ journal_has "$MID_PLUG" CHARGER_PLUG=returned

# a charger that keeps going and coming back (its driver failing again
# and again), each absence shorter than the 10 s wait: a charger-fault
# while it does (gone 7 s of every 8, nothing was said); over once it stays
flap_records() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o export _PID="$PID" MESSAGE_ID="${MID_DIAG[charger-fault]}" |
		grep -c '^CHARGER_EVIDENCE=.*in a row'
}
flap_said() {
	[ "$(flap_records)" -ge 1 ]
}
check "no such record yet" not_ flap_said
for flap in 1 2 3 4 5; do
	echo "$DEV" > "$DRV/unbind"
	sleep 2
	echo "$DEV" > "$DRV/bind"
	until_ test -e "$CHG"
	sleep 2
done
check "going and coming back: charger-fault, said" until_ flap_said
check "staying: over" until_ not_ bash -c "chargerctl --json diagnose | grep -q 'in a row'"

scenario_end
