#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A laptop's USB port behind a hub: an SDP, 500 mA.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl battery capacity 30 >/dev/null
emulctl plug sdp >/dev/null
expect_diagnosis weak-source CHARGER_SOURCE_KIND=sdp
# found at the plug itself: its record belongs to the session the plug began
check "the diagnosis record carries this session" \
	journal_has "${MID_DIAG[weak-source]}" CHARGER_SESSION="$(prop Session)"
check "and no record of it says no session" \
	not_ journal_has "${MID_DIAG[weak-source]}" CHARGER_SESSION=0
check "the fix names a wall adapter of at least 2 A, and hubs" \
	bash -c "chargerctl diagnose | grep -q 'wall adapter rated 5 V and at least 2 A.*USB hubs'"
emulctl unplug >/dev/null
until_ prop_is Online false
# a wall adapter that cannot hold up: input DPM at a low ICO result
emulctl plug dcp --max-ma 600 >/dev/null
emulctl advance 1s >/dev/null
check "a 600 mA adapter: weak too" until_ top_is weak-source

scenario_end
