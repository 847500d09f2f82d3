#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A healthy charge: a good wall adapter and cable, room temperature, from
# 20 % to full. No fault, no diagnosis, no record but the plug, the
# session and the unplug.
. "$(dirname "$0")/lib.sh"
scenario_start '[diagnosis]\nload_test = 1\n' || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl battery capacity 20 >/dev/null
# real time while the load test runs: its two halves need the ADC's
# conversions between them, as on the chip (a stale reading is no result)
emulctl rate 1 >/dev/null
emulctl plug dcp --max-ma 2000 --cable-mohm 150 >/dev/null
check "plugged in" until_ prop_is Online true
check "LED steady while charging" until_ led_is steady
emulctl advance 1s >/dev/null	# the ADC's first sample
check "the load test measured the cable" until_ load_test_done
check "and journalled it" until_ journal_has $MID_LOAD_TEST
emulctl rate 0 >/dev/null
check "and charging went on" until_ behaviour_is auto
for i in $(seq 8); do
	emulctl advance 10m >/dev/null
	until_ synced
done
check "charged to full" until_ prop_is State full
check "LED off when full" until_ led_is off
check "chargerctl diagnose: no problem" \
	bash -c "chargerctl diagnose | grep -qx 'No charging problem found.'"
emulctl unplug >/dev/null
check "unplugged" until_ prop_is Online false
check "the session ended without faults" \
	until_ journal_has $MID_SESSION_END CHARGER_SESSION_FAULTS= CHARGER_SESSION_FULL=1
# CODE_FUNC is where a record was made, for whoever reads the code next
check "each record names the function that made it" \
	journal_has $MID_PLUG CODE_FUNC=log_plug
check "not the helper that sent it" not_ journal_has $MID_PLUG CODE_FUNC=record_send
check "no fault raised" bash -c "! journal_has $MID_FAULT_RAISED"
check "no Diagnosis signal" bash -c "! grep -q '\"signal\":\"Diagnosis\"' $MON"
check "no FaultRaised signal" bash -c "! grep -q '\"signal\":\"FaultRaised\"' $MON"
for code in "${!MID_DIAG[@]}"; do
	journal_has "${MID_DIAG[$code]}" && not_ok "no $code record" && continue
done
ok "no diagnosis record"

scenario_end
