#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The porting guide's device-side commands (dts/PORTING.md, its ```sh
# porting-vm blocks), each block one test, in order, as root, in a folder
# with the packages the image was made of (as the guide's "in the folder
# that has the packages"). The device is the reference board with the
# adapter in, the battery at 50 % and 25 degC: the guide's expected
# values are that board's, so make soak's second board skips it.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
GUIDE=$TOP/dts/PORTING.md
if [ -n "${CHARGERD_EMUL_BOARD:-}" ] && [ "$CHARGERD_EMUL_BOARD" != reference ]; then
	echo "1..0 # SKIP the guide's values are the reference board's, not $CHARGERD_EMUL_BOARD"
	exit 0
fi
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }
emulctl temp 25 >/dev/null
emulctl battery capacity 50 >/dev/null
emulctl plug dcp --max-ma 2000 >/dev/null
check "plugged in" until_ prop_is Online true

# The guide's install must be a real one: the image has the packages
# already, so the agent's goes first (its removal hands charging back).
check "chargerd removed before the guide installs it" dpkg -r chargerd
work=$(mktemp -d)
cp "$TOP"/build/deb/*.deb "$work"/ 2>/dev/null
check "the image's packages are on the device" ls "$work"/chargerd_*.deb
check "the guide has device-side blocks" \
	test -n "$("$TOP/tests/porting/blocks" --list porting-vm "$GUIDE")"
while IFS=$'\t' read -r i title; do
	if out=$(cd "$work" && "$TOP/tests/porting/blocks" --run porting-vm "$i" "$GUIDE" 2>&1); then
		ok "guide: $title"
	else
		not_ok "guide: $title"
		tail -n 30 <<< "$out" | sed 's/^/# /'
	fi
done < <("$TOP/tests/porting/blocks" --list porting-vm "$GUIDE")
rm -rf "$work"
scenario_end
