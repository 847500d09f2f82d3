#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The charger's driver bound again during a heat pause (a module reloaded,
# a driver rebound by an update): the new device starts at auto with its
# files root's until udev runs the rule. chargerd pauses it again as soon
# as udev has granted them: no write error, no "paused again behind its
# back" (it was another device, not a lost pause), and a rebind is no
# bouncing connector (helper-61: the pause was refused, charging went on
# for 8 s until a later look; three rebinds made "connector").
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
# rebinds 1 and 2: chargerd sees the charger gone (the session ends,
# removed) before it comes back; 3: unbound and bound at once, so that
# chargerd may see only a new device in its place (the same session;
# what it wrote to the old one must not count: helper-62)
thermal_records() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _PID="$PID" MESSAGE_ID="$MID_THERMAL" 2>/dev/null | wc -l
}
more_thermal_records() {
	[ "$(thermal_records)" -gt "$1" ]
}
for rebind in 1 2 3; do
	before=$(thermal_records)
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
emulctl temp 25 >/dev/null
check "cooled: charging again" until_ behaviour_is auto

scenario_end
