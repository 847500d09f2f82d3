# SPDX-License-Identifier: GPL-2.0
# Sourced by each scenario in the VM: TAP output, the emulated device
# brought up under the running chargerd service, and helpers to wait for
# and check what chargerd, the journal, D-Bus and sysfs show.
#
# A scenario sets the physical situation with emulctl, lets simulated
# time pass, and checks the outcome; waits are syncs (until the state is
# reached, with a bound), never measurements.

CHG=/sys/class/power_supply/bq25895-charger
CONF=/etc/chargerd/chargerd.conf
MON=/tmp/scenario-monitor.json
# The MESSAGE_IDs, from the one place they are defined (agent/msgid.h, put
# beside tests/ in the VM): MID_PLUG=..., and MID_DIAG[code] for each
# diagnosis (MID_DIAG_WEAK_SOURCE is MID_DIAG[weak-source], and is set
# too: helper-71 found it empty).
MSGID_H=${MSGID_H:-$(dirname "${BASH_SOURCE[0]}")/../../agent/msgid.h}
declare -A MID_DIAG=()
while read -r name id; do
	if [[ $name == MID_DIAG_* ]]; then
		code=${name#MID_DIAG_}
		code=${code//_/-}
		MID_DIAG[${code,,}]=$id
	fi
	printf -v "$name" %s "$id"
done < <(sed -nE 's/^#define (MID_[A-Z_]+)[[:space:]]+"([0-9a-f]{32})".*/\1 \2/p' "$MSGID_H")
if [[ -z ${MID_PLUG:-} || ${#MID_DIAG[@]} -eq 0 ]]; then
	echo "Bail out! no MESSAGE_IDs in $MSGID_H"
	exit 1
fi

# The checks run so far: a name no scenario's own loop takes (an "n" did
# in 43-chip-reset, and its plan came out short).
CHECKS_RUN=0
failed=0

ok() {
	CHECKS_RUN=$((CHECKS_RUN + 1))
	echo "ok $CHECKS_RUN - $*"
}

not_ok() {
	CHECKS_RUN=$((CHECKS_RUN + 1))
	failed=$((failed + 1))
	echo "not ok $CHECKS_RUN - $*"
}

# clock_step_days DAYS: step the wall clock by DAYS whole days (negative:
# back), in seconds and keeping the fraction, so that a step and its
# opposite always cancel. Not `date -s '+3 years'`: from 29 February that
# lands on 1 March, and the way back on 1 March too, a day late. 1096
# days are three years with one 29 February.
# The net days stepped are kept: on any way out of the scenario (a bail
# out, an exit, SIGTERM or SIGINT), the EXIT trap steps them back, so
# that the VM's next scenarios see the clock it had.
clock_days_stepped=0
clock_step_days() {
	local now
	scenario_trap
	# counted first: a signal during the step still steps back
	clock_days_stepped=$((clock_days_stepped + $1))
	now=$(date +%s.%N)
	if ! date -s "@$((${now%.*} + $1 * 86400)).${now#*.}" >/dev/null; then
		clock_days_stepped=$((clock_days_stepped - $1))
		return 1
	fi
}
# clock_step_undo: step back what clock_step_days stepped
clock_step_undo() {
	((clock_days_stepped == 0)) || clock_step_days $((-clock_days_stepped))
}

# check DESCRIPTION COMMAND...: one TAP result
check() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		ok "$desc"
	else
		not_ok "$desc"
		# what chargerd and the charger said then, for whoever reads the log
		{
			timeout 5 chargerctl status
			cat /sys/kernel/debug/bq2589x_emul/led 2>/dev/null
			journalctl -u chargerd -n 8 -o cat --no-pager
		} 2>&1 | sed 's/^/#   /'
	fi
}

# not_ COMMAND...: it fails
not_() {
	! "$@"
}

# until_ COMMAND...: wait (up to about 30 s) until it succeeds
until_() {
	local i
	for i in $(seq 150); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# A D-Bus property of chargerd, as a bare value.
prop() {
	timeout 20 busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 \
		org.chargerd.Charger1 "$1" 2>/dev/null | sed -E 's/^[a-z]+ //; s/^"(.*)"$/\1/'
}

prop_is() {
	[ "$(prop "$1")" = "$2" ]
}

sysfs() {
	cat "$CHG/$1"
}

# charge_behaviour as one word, whichever way the kernel lists the choices
behaviour() {
	sed -E 's/.*\[([^]]*)\].*/\1/' "$CHG/charge_behaviour"
}

behaviour_is() {
	[ "$(behaviour)" = "$1" ]
}

# What the status LED shows (the emulator's view): off, on, or
# "blink ON OFF"; led_is steady|off|slow|fast
led_is() {
	local want
	case $1 in
	steady) want=on ;;
	off) want=off ;;
	slow) want="blink 1000 1000" ;;
	fast) want="blink 125 125" ;;
	esac
	[ "$(cat /sys/kernel/debug/bq2589x_emul/led)" = "$want" ]
}

sysfs_is() {
	[ "$(sysfs "$1")" = "$2" ]
}

# chargerd has read the state after the last change: its capacity and
# temperature agree with the gauge's.
synced() {
	local bat
	bat=$(grep -lx Battery /sys/class/power_supply/*/type | head -n1)
	bat=${bat%/type}
	[ "$(prop Capacity)" = "$(cat "$bat/capacity")" ] &&
		[ "$(prop Temperature)" = "$(cat "$bat/temp")" ]
}

# journal_has MESSAGE_ID [FIELD=VALUE...]: a record of this chargerd
journal_has() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _SYSTEMD_UNIT=chargerd.service _PID="$PID" \
		MESSAGE_ID="$@" 2>/dev/null | grep -q .
}

# evidence_whole: every diagnosis record of this chargerd has its evidence
# (CHARGER_EVIDENCE) whole in MESSAGE, what journalctl -x and a support
# person see: never cut (helper-57: cut at 159 characters).
evidence_whole() {
	local line msg ev bad=0
	journalctl --sync 2>/dev/null
	while IFS= read -r line; do
		[[ $line == *'"CHARGER_EVIDENCE":"'* ]] || continue
		msg=$(sed -n 's/.*"MESSAGE":"\([^"]*\)".*/\1/p' <<< "$line")
		ev=$(sed -n 's/.*"CHARGER_EVIDENCE":"\([^"]*\)".*/\1/p' <<< "$line")
		[[ -n $ev && $msg != *"$ev"* ]] && bad=1
	done < <(journalctl --no-pager -o json --output-fields=MESSAGE,CHARGER_EVIDENCE \
		_SYSTEMD_UNIT=chargerd.service _PID="$PID" 2>/dev/null)
	return $bad
}

# no_stand_ins: no record of this chargerd writes a stand-in for a number
# it does not know (PSY_NONE's -9223372036854775808, INT32_MIN, a charge
# level's -1): agent/record.c leaves such a field out. It did not: a gauge
# gone made BATTERY_CAPACITY=-9223372036854775808 (41-no-battery).
no_stand_ins() {
	journalctl --sync 2>/dev/null
	! journalctl --no-pager -o json _SYSTEMD_UNIT=chargerd.service _PID="$PID" 2>/dev/null |
		grep -E -q '"(BATTERY|CHARGER)_[A-Z_]*":"(-9223372036854775808|-2147483648)"|"BATTERY_CAPACITY[A-Z_]*":"-1"|"CHARGER_(CURRENT_(ASKED|LIMIT)_UA|SAG_MOHM|IIN_UA|VBUS_(UN)?LOADED_UV)":"-1"'
}

# signal_seen NAME [TEXT]: chargerctl monitor saw it
signal_seen() {
	grep "\"signal\":\"$1\"" "$MON" | grep -q -- "${2:-}"
}

# The once-per-session load test has measured the cable.
load_test_done() {
	chargerctl report | grep -q '"load_test_sag_mohm": [0-9]'
}

# The top cause chargerctl diagnose gives now.
top_cause() {
	timeout 20 chargerctl --json diagnose 2>/dev/null |
		sed -n 's/^ *"code": "\(.*\)",\{0,1\}$/\1/p' | head -n1
}

top_is() {
	[ "$(top_cause)" = "$1" ]
}

# expect_diagnosis CODE [FIELD=VALUE...]: the top cause, its journal record
# (with these evidence fields) and its D-Bus signal
expect_diagnosis() {
	local code=$1
	shift
	check "$code: the top diagnosis" until_ top_is "$code"
	check "$code: journal record ${MID_DIAG[$code]} $*" \
		until_ journal_has "${MID_DIAG[$code]}" CHARGER_DIAGNOSIS="$code" "$@"
	check "$code: Diagnosis signal" until_ signal_seen Diagnosis "\"code\":\"$code\""
}

# plug_in_near_full: a cell at 25 degC (the normal band) and 85 %, a 2 A
# wall adapter plugged in, and chargerd seeing it: the start of the
# scenarios that then hold charging (in use) and check what a stop, a
# restart or a purge does.
plug_in_near_full() {
	emulctl temp 25 >/dev/null
	emulctl battery capacity 85 >/dev/null
	emulctl plug dcp --max-ma 2000 >/dev/null
	check "plugged in" until_ prop_is Online true
}

# Session dates (scenarios 25 and 26): $ID is the session they follow.
# GetHistory's newest session: "ID START"
newest() {
	timeout 20 busctl call org.chargerd.Charger1 /org/chargerd/Charger1 \
		org.chargerd.Charger1 GetHistory u 1 | awk '{ print $3, $4 }'
}
newest_start_is() {
	local want=$1
	set -- $(newest)
	[ "$1" = "$ID" ] && [ "$2" = "$want" ]
}
# newest_start_within LOW HIGH (s since the epoch)
newest_start_within() {
	local low=$1 high=$2
	set -- $(newest)
	[ "$1" = "$ID" ] && [ "$2" -ge "$low" ] && [ "$2" -le "$high" ]
}
# The wall clock and systemd-timesyncd's flag as the scenario found them:
# clock_flag_save at its start, clock_flag_restore at its end, and on any
# way out before (the EXIT trap). $FLAG is the flag.
FLAG=/run/systemd/timesync/synchronized
flag_saved=0
clock_flag_save() {
	had_flag=0
	[ -e "$FLAG" ] && had_flag=1
	flag_saved=1
	scenario_trap
}
clock_flag_restore() {
	clock_step_undo
	((flag_saved)) || return 0
	flag_saved=0
	if [ "$had_flag" = 1 ]; then
		mkdir -p "${FLAG%/*}" && touch "$FLAG"
	else
		rm -f "$FLAG"
	fi
}
# The EXIT trap of a scenario that changed the clock or the flag; a
# signal that ends it exits through it too.
scenario_exit() {
	trap - EXIT
	clock_flag_restore
}
scenario_trap() {
	trap scenario_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
# CLOCK_BOOTTIME, s with its fraction
uptime_s() {
	cut -d' ' -f1 /proc/uptime
}
# the wall clock at CLOCK_BOOTTIME (s): the wall clock now minus uptime now, plus it
wall_at() {
	awk -v w="$(date +%s.%N)" -v u="$(uptime_s)" -v at="$1" \
		'BEGIN { t = w - u + at; printf "%d\n", t - (t < int(t)) }'
}

# The device on the bench: emulator with charger and gauge, our driver,
# and chargerd restarted with a config fit for simulated time.
# The load test pauses charging for a moment, which scenarios that are not
# about it turn off: scenario_start [CONFIG], default no load test.
scenario_start() {
	local conf=${1:-'[diagnosis]\nload_test = 0\n'}
	udevadm settle
	rmmod bq2589x_charger bq25890_charger 2>/dev/null
	# make soak's second board: CHARGERD_EMUL_BOARD, CHARGERD_EMUL_LED
	modprobe bq2589x_emul create_clients=1 ${CHARGERD_EMUL_BOARD:+board=$CHARGERD_EMUL_BOARD} \
		${CHARGERD_EMUL_LED:+led_name=$CHARGERD_EMUL_LED} || return 1
	emulctl set adc_ms 0
	modprobe bq2589x_charger
	mkdir -p /etc/chargerd
	printf '[agent]\nresync_s = 1\n%b' "$conf" > "$CONF"
	# Two restarts a scenario, on purpose: not a crash loop for the
	# unit's start limit (10 a minute) to stop.
	systemctl reset-failed chargerd 2>/dev/null
	systemctl restart chargerd
	until_ prop_is Charger bq25895-charger || return 1
	until_ grep -qx Battery /sys/class/power_supply/*/type || return 1
	PID=$(systemctl show -P MainPID chargerd)
	chargerctl --json monitor > "$MON" 2>&1 &
	MON_PID=$!
	until_ grep -q . /proc/$MON_PID/status
	sleep 0.5
}

scenario_end() {
	check "each diagnosis record's message has its evidence whole" evidence_whole
	kill "$MON_PID" 2>/dev/null
	wait "$MON_PID" 2>/dev/null
	emulctl unplug >/dev/null 2>&1
	until_ prop_is Online false
	# after the unplug: its record and the session's end are written
	check "no record writes a stand-in for an unknown number" no_stand_ins
	chargerctl in-use auto >/dev/null 2>&1
	rm -f "$CONF"
	systemctl reset-failed chargerd 2>/dev/null
	systemctl restart chargerd
	udevadm settle
	rmmod bq2589x_charger 2>/dev/null
	rmmod bq2589x_emul 2>/dev/null
	echo "1..$CHECKS_RUN"
	[ "$failed" = 0 ]
}
