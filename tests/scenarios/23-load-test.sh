#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The load test measures with readings of its own moment (issue 18, item
# 6): a computer port's session, then a 2 A adapter. At the second plug
# the charger still shows the first session's current until its ADC has
# converted again; the second session's test uses its own, and a test
# without a valid result (no sag) is never reported. The emulator runs in
# real time here, as the chip's ADC does.
. "$(dirname "$0")/lib.sh"
scenario_start '[diagnosis]\nload_test = 1\n' || { echo "Bail out! the bench did not come up"; exit 1; }

# the load test records of this chargerd, one JSON object a line
records() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _SYSTEMD_UNIT=chargerd.service _PID="$PID" \
		MESSAGE_ID="$MID_LOAD_TEST" 2>/dev/null
}
count_is() {
	[ "$(records | wc -l)" = "$1" ]
}
# FIELD of the last record
last() {
	records | tail -n 1 | sed -nE "s/.*\"$1\":\"(-?[0-9]+)\".*/\1/p"
}

emulctl rate 1 >/dev/null
emulctl temp 25 >/dev/null
emulctl battery capacity 40 >/dev/null
emulctl plug sdp --cable-mohm 300 >/dev/null
check "a computer port" until_ prop_is Online true
check "its load test" until_ count_is 1
# charging held for it was said: Paused (helper-57: pauses with no reason)
check "the hold said: Paused load-test" signal_seen PropertiesChanged '"Paused":"load-test"'
check "and charging again after it" until_ prop_is Paused ""
sdp_ua=$(last CHARGER_CURRENT_UA)
emulctl unplug >/dev/null
check "unplugged" until_ prop_is Online false
emulctl plug dcp --max-ma 2000 --cable-mohm 150 >/dev/null
check "a 2 A adapter" until_ prop_is Online true
check "the second session's load test" until_ count_is 2
dcp_ua=$(last CHARGER_CURRENT_UA)
check "measured at this session's current (${dcp_ua:-none} uA, the port's was ${sdp_ua:-none} uA)" \
	test -n "$dcp_ua" -a -n "$sdp_ua" -a "${dcp_ua:-0}" -gt $((${sdp_ua:-0} + 200000))
sag=$(last CHARGER_SAG_MOHM)
iin=$(last CHARGER_IIN_UA)
# the sag is over the input current, which a buck makes less than the battery's
check "the input current (${iin:-none} uA) below the battery's (${dcp_ua:-none} uA)" \
	test "${iin:-0}" -gt 0 -a "${iin:-0}" -lt "${dcp_ua:-0}"
check "and the message shows it" \
	bash -c "journalctl --no-pager -o cat _PID=$PID MESSAGE_ID=$MID_LOAD_TEST | tail -n 1 | grep -q 'drawing about $((${iin:-0} / 1000)) mA'"
check "with a sag, never 0 mOhm (${sag:-none} mOhm)" test "${sag:-0}" -gt 0
emulctl rate 0 >/dev/null

scenario_end
