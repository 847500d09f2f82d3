#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An input fault while VBUS reads a normal 5 V (a spike past OVP, or a dip
# below the poor-source level, gone by the time the ADC reads): the chip
# reports both as one code, and VBUS cannot tell them apart. chargerd says
# so and names both, with both fixes (issue 18, item 8); an adapter whose
# VBUS reads at the OVP level is 34-overvoltage-16v.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl advance 1s >/dev/null	# the ADC's first sample
session=$(prop Session)
emulctl fault vbus-ovp >/dev/null
check "fault raised: input-fault" until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=input-fault
check "FaultRaised signal" until_ signal_seen FaultRaised '"code":"input-fault"'
check "not called over-voltage" not_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=input-ovp
expect_diagnosis input-fault
check "both causes named" \
	bash -c "chargerctl diagnose | grep -q 'over-voltage or a source too weak'"
check "not blamed on the adapter alone, nor the cable" \
	bash -c "! chargerctl --json diagnose | grep -Eq '\"(adapter-overvoltage|cable)\"'"
check "LED fast blink (fault)" until_ led_is fast
emulctl fault clear >/dev/null
check "fault cleared" until_ journal_has $MID_FAULT_CLEARED CHARGER_FAULT=input-fault
check "LED back to charging" until_ led_is steady
# The chip refused the input it still had (power good, so online, went
# with it): the adapter stayed in. It was recorded as an unplug, the
# session ended "unplugged" and a new one began (helper-57).
check "a refused input is no unplug: no unplug record" not_ journal_has $MID_UNPLUG
check "no session ended" not_ journal_has $MID_SESSION_END
check "the same session goes on" prop_is Session "$session"
# Its end's message names the faults it met, what journalctl -u shows
# support (helper-59: it said ", faults" and no more).
emulctl unplug >/dev/null
check "the session's end names its faults" until_ bash -c \
	"journalctl --sync; journalctl --no-pager -o cat _SYSTEMD_UNIT=chargerd.service \
	 _PID=$PID MESSAGE_ID=$MID_SESSION_END | grep -q 'faults: input-fault'"

scenario_end
