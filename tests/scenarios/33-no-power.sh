#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "It won't charge" with nothing on VBUS: asked, chargerd says what to check.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

check "unplugged" prop_is Online false
check "no-power: the top diagnosis when asked" top_is no-power
check "it says what to check" \
	bash -c "chargerctl diagnose | grep -q 'working socket.*another cable'"
check "but nothing is logged unasked" bash -c "! journal_has ${MID_DIAG[no-power]}"

scenario_end
