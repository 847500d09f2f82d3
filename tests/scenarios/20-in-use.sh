#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In use while charging: charging pauses at 80 %, the battery is not
# charged past it while in use, the device stays on external power, and
# charging resumes to full when use ends. "In use" comes over D-Bus, then
# from ALSA playback in auto mode.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

cap() {
	local bat
	bat=$(grep -lx Battery /sys/class/power_supply/*/type | head -n1)
	cat "${bat%/type}/capacity"
}
# advance simulated time a minute at a time, letting chargerd look each time
charge_until() {
	local i
	for i in $(seq "$2"); do
		emulctl advance 1m >/dev/null
		until_ synced
		eval "$1" && return 0
	done
	return 1
}

emulctl temp 25 >/dev/null
emulctl battery capacity 76 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
check "in use, set over D-Bus" chargerctl in-use on
check "InUse on D-Bus" until_ prop_is InUse true

check "charged up to 80 %, then paused" \
	charge_until behaviour_is\ inhibit-charge 30
# the D-Bus answer comes after the resync that wrote it: no later resync needed
check "ChargeBehaviour published with the write, read back" \
	prop_is ChargeBehaviour inhibit-charge
c=$(cap)
check "paused at 80 % ($c %)" test "$c" -ge 80 -a "$c" -le 81
check "Paused in-use on D-Bus" until_ prop_is Paused in-use
check "LED slow blink (paused)" until_ led_is slow
check "chargerctl status says paused at 80 % while in use" \
	bash -c "chargerctl status | grep -q 'paused at 80 % while in use'"
check "journal record" journal_has $MID_IN_USE CHARGER_PAUSED=in-use
check "information, not a fault: the paused-in-use Diagnosis signal" \
	until_ signal_seen Diagnosis '"code":"paused-in-use","severity":"info"'
check "the device stays on external power" sysfs_is online 1

charge_until false 30
c=$(cap)
check "half an hour later, still not past the limit ($c %)" test "$c" -le 81

# issue 18, item 2: unplugged while paused, nothing says paused
emulctl unplug >/dev/null
check "unplugged while paused" until_ prop_is Online false
check "Paused is empty without a charger" until_ prop_is Paused ''
check "State is discharging" prop_is State discharging
check "chargerctl status says nothing of a pause" \
	bash -c "! chargerctl status | grep -qi paused"
check "chargerctl diagnose has no paused-in-use" \
	bash -c "! chargerctl --json diagnose | grep -q paused-in-use"
check "LED off" until_ led_is off
# nothing to pause without power; should chargerd be gone at the next
# plug, the device would not charge (it stayed inhibit-charge, helper-57)
check "the pause handed back to the charger (auto)" until_ behaviour_is auto
emulctl plug dcp >/dev/null
check "plugged again: paused again, still in use" until_ prop_is Paused in-use
check "and the charger holds again" until_ behaviour_is inhibit-charge

check "use ends" chargerctl in-use off
check "LED steady again" until_ led_is steady
check "charging resumes" until_ behaviour_is auto
check "journal record: resumed" journal_has $MID_IN_USE CHARGER_PAUSED=
check "and goes on past 80 %" charge_until '[ "$(cap)" -ge 90 ]' 40

# auto: music playing counts as in use, found without a poll (issue 19):
# inotify on /dev/snd, /proc/asound read only at an open or close of a
# playback node, or every 5 s while one is open (the report's alsa_looks)
alsa_looks() {
	chargerctl report | sed -n 's/.*"alsa_looks": *\([0-9]*\).*/\1/p'
}
# playback_comes_and_goes WHAT: a playback is seen as in use, and its end
playback_comes_and_goes() {
	local player
	aplay -q -D plughw:Loopback,0 -f S16_LE -r 48000 -c 2 /dev/zero 2>/dev/null &
	player=$!
	check "$1: its playback seen" until_ prop_is InUse true
	kill $player
	wait $player 2>/dev/null
	check "$1: and its end" until_ prop_is InUse false
}
check "auto mode" chargerctl in-use auto
modprobe snd-aloop
udevadm settle
sleep 2
looks=$(alsa_looks)
sleep 12
check "nothing playing: ALSA not read again in 12 s (no poll; was 5 s)" \
	test -n "$looks" -a "$(alsa_looks)" = "$looks"
aplay -q -D plughw:Loopback,0 -f S16_LE -r 48000 -c 2 /dev/zero 2>/dev/null &
player=$!
check "ALSA playback is seen as in use" until_ prop_is InUse true
check "at 90 %, in use: paused" until_ behaviour_is inhibit-charge
kill $player
wait $player 2>/dev/null
check "playback stopped: not in use" until_ prop_is InUse false
check "charging resumes" until_ behaviour_is auto
sleep 7
looks=$(alsa_looks)
sleep 12
check "closed again: no poll" test "$(alsa_looks)" = "$looks"
# a card that comes while on external power: /dev/snd made, then watched
rmmod snd-aloop 2>/dev/null
udevadm settle
sleep 1
modprobe snd-aloop
udevadm settle
playback_comes_and_goes "a sound card loaded while plugged in"
# No inotify for chargerd (its user's fs.inotify.max_user_instances used
# up from its start; system-wide, for the few seconds of these checks,
# which make no inotify instance): it says so once, a warning with its MESSAGE_ID that
# names the sysctl (it was a bare line), and looks at ALSA every 5 s
# instead: playback is seen. Once there is room again, it watches again
# (it used to poll until its next restart).
inotify_max=$(sysctl -n fs.inotify.max_user_instances)
sysctl -qw fs.inotify.max_user_instances=0
systemctl reset-failed chargerd 2>/dev/null
systemctl restart chargerd
pid=$(systemctl show -P MainPID chargerd)
agent_warned() {
	journalctl --sync
	journalctl -o json _PID="$pid" MESSAGE_ID="$MID_AGENT_ERROR" PRIORITY=4 \
		CHARGERD_ERRNO=24 | grep -q 'cannot watch /dev/snd (inotify: sysctl fs.inotify.max_user_instances'
}
check "no inotify: said once, a warning with its MESSAGE_ID (EMFILE)" until_ agent_warned
playback_comes_and_goes "no inotify, ALSA looked at every 5 s"
check "said once only" test "$(journalctl -o cat _PID="$pid" MESSAGE_ID="$MID_AGENT_ERROR" |
	grep -c 'cannot watch /dev/snd')" = 1
sysctl -qw fs.inotify.max_user_instances="$inotify_max"
sleep 6
looks=$(alsa_looks)
sleep 6
check "room again: watched again, no poll (it polled until a restart)" \
	test -n "$looks" -a "$(alsa_looks)" = "$looks"
check "and the journal says so (after the warning, nothing said it ended)" \
	bash -c "journalctl --sync; journalctl -o cat _PID=$pid -p info |
		grep -q 'watching /dev/snd again'"
rmmod snd-aloop 2>/dev/null

# a client's hold: in use while the client lives, gone when it dies, and
# shown meanwhile (not a cap at 80 % forever without a visible reason)
chargerctl hold sleep 600 &
holder=$!
check "a client holds in use (SetInUse true)" until_ prop_is InUse true
check "paused for it" until_ behaviour_is inhibit-charge
check "who holds it is shown (its pid)" \
	until_ bash -c "chargerctl status | grep -q 'held by .*\b$holder\b'"
check "the mode is not changed by a hold" prop_is InUseMode auto
kill -9 $holder
wait $holder 2>/dev/null
pkill -x -f 'sleep 600'
check "the client died: not in use any more" until_ prop_is InUse false
check "charging resumes without it" until_ behaviour_is auto
check "nobody shown as holding" bash -c "! chargerctl status | grep -q 'held by'"

# A restart of chargerd (an upgrade, a crash, the watchdog) keeps the holds
# of clients still on the bus (/run/chargerd/holds, agent/holds.h): it
# used to drop them, and charging ran past the in-use limit while the
# player still played. A holder gone meanwhile is not adopted. (chargerctl
# also asks each new chargerd for its hold: the journal's line is
# chargerd's own adoption; chargerd_test's raw D-Bus holder never asks
# again.)
chargerctl hold sleep 600 &
holder=$!
check "a hold before chargerd restarts" until_ prop_is InUse true
check "paused for it" until_ behaviour_is inhibit-charge
check "kept in the runtime directory for a restart" \
	grep -q "^:[0-9.]* 0 .*\b$holder\b" /run/chargerd/holds
since=$(date '+%Y-%m-%d %H:%M:%S')
systemctl restart chargerd
check "restarted (systemctl restart): still in use" prop_is InUse true
check "the same holder shown" bash -c "chargerctl status | grep -q 'held by .*\b$holder\b'"
check "still paused" until_ behaviour_is inhibit-charge
check "the journal says the hold was kept" until_ bash -c \
	"journalctl -u chargerd --since '$since' -o cat | grep -q 'in-use hold of .*\b$holder\b.* kept'"
main_pid() {
	systemctl show -P MainPID chargerd
}
restarted_from() {
	local p
	p=$(main_pid)
	[ "$p" != 0 ] && [ "$p" != "$1" ] && [ "$(systemctl show -P ActiveState chargerd)" = active ]
}
old=$(main_pid)
kill -9 "$old"
check "killed (kill -9): systemd starts chargerd again" until_ restarted_from "$old"
check "still in use after the crash" until_ prop_is InUse true
check "the new chargerd kept the hold too (its journal line)" until_ bash -c \
	"[ \$(journalctl -u chargerd --since '$since' -o cat | grep -c 'in-use hold of .*\b$holder\b.* kept') -ge 2 ]"
check "still paused after the crash" until_ behaviour_is inhibit-charge
systemctl stop chargerd
kill -9 $holder
wait $holder 2>/dev/null
pkill -x -f 'sleep 600'
systemctl start chargerd
check "a holder gone while chargerd was stopped is not adopted" prop_is InUse false
check "charging resumes" until_ behaviour_is auto
check "and no hold is kept for it" test ! -s /run/chargerd/holds

# chargerd stopped (or failed): a player's `chargerctl hold` plays all the
# same, and the hold is taken when chargerd starts
systemctl stop chargerd
chargerctl hold sleep 600 2>/tmp/hold-20.err &
holder=$!
check "chargerd stopped: hold runs its command all the same" until_ pgrep -x -P $holder sleep
check "and says the hold waits for chargerd" \
	grep -q "sleep runs without the hold; it is taken when chargerd starts" /tmp/hold-20.err
sed 's/^/# /' /tmp/hold-20.err
systemctl start chargerd
check "chargerd started: the hold is taken" until_ prop_is InUse true
check "paused for it" until_ behaviour_is inhibit-charge
check "the holder shown" until_ bash -c "chargerctl status | grep -q 'held by .*\b$holder\b'"
check "the hold says it was taken" until_ grep -q "chargerd started: in use held" /tmp/hold-20.err
kill $holder
wait $holder 2>/dev/null
pkill -x -f 'sleep 600'
check "let go when it ends" until_ prop_is InUse false

# chargerd hung (SIGSTOP): hold waits 5 s for it, then runs its command;
# the hold asked meanwhile is not left behind once chargerd goes on
systemctl kill -s STOP chargerd
out=$(chargerctl hold sh -c 'echo played; exit 7' 2>&1)
rc=$?
systemctl kill -s CONT chargerd
check "chargerd hung: hold runs its command all the same" test $rc = 7
check "and says chargerd does not answer" grep -q "chargerd does not answer" <<< "$out"
[[ $out == *"does not answer"* ]] || sed 's/^/# /' <<< "$out"
check "chargerd goes on: no hold left of the call it answered late" prop_is InUse false
check "hold runs its command and gives its exit status" \
	bash -c "chargerctl hold sh -c 'exit 7'; [ \$? = 7 ]"
check "and lets go when it ends" until_ prop_is InUse false

# chargerctl stands in for its command: a reload's SIGHUP (a unit's
# ExecReload=kill -HUP $MAINPID) is passed on and the hold stays; it used
# to end chargerctl, the hold, and the player with it. SIGTERM is passed
# on too, and hold ends when the command does, with its status.
chargerctl hold sh -c 'trap "echo reloaded" HUP; trap "exit 9" TERM; echo ready
	while :; do sleep 0.2; done' > /tmp/hold-sig.out 2>&1 &
holder=$!
check "a player held" until_ prop_is InUse true
# its traps set: a signal before them ends the shell (a loaded VM is slow
# to start it), which says nothing of chargerctl
check "the player is ready" until_ grep -q ready /tmp/hold-sig.out
kill -HUP $holder
check "SIGHUP passed on to the command (a reload)" until_ grep -q reloaded /tmp/hold-sig.out
check "the player stays through it" kill -0 $holder
check "and so does the hold" prop_is InUse true
kill -TERM $holder
wait $holder
rc=$?
check "SIGTERM passed on: hold gives the command's status (9)" test $rc = 9
check "and lets go" until_ prop_is InUse false
# a player's unit (KillMode=mixed: the stop's SIGTERM to chargerctl only,
# passed on): chargerctl ends by the signal that ended the player, so the
# stop is a clean one; it used to exit 143 and leave the unit failed
systemctl reset-failed hold-20 2>/dev/null
systemd-run -q --unit=hold-20 -p KillMode=mixed chargerctl hold sleep 600
check "a player's unit holds" until_ prop_is InUse true
systemctl stop hold-20
check "its stop is a clean one, not a failure" bash -c "! systemctl is-failed -q hold-20"
check "and lets go" until_ prop_is InUse false
systemctl reset-failed hold-20 2>/dev/null

# Room for holds (published.h): at most 4 connections of one user, so
# that one program's runaway connections cannot take every place from
# another user's player; that user still holds.
holders=()
for _ in 1 2 3 4; do
	chargerctl hold sleep 600 &
	holders+=($!)
done
held_is() {
	[ "$(prop InUseHeldBy | cut -d' ' -f1)" = "$1" ]
}
check "four holds of one user (root's)" until_ held_is 4
out=$(chargerctl hold true 2>&1)
check "a fifth of the same user is refused" test $? != 0
check "and says why" grep -q "at most 4 connections of one user" <<< "$out"
[[ $out == *"at most 4"* ]] || sed 's/^/# /' <<< "$out"
id listener-20 >/dev/null 2>&1 || useradd -M -G audio listener-20
out=$(setpriv --reuid=listener-20 --regid=listener-20 --init-groups \
	chargerctl hold busctl get-property org.chargerd.Charger1 /org/chargerd/Charger1 \
	org.chargerd.Charger1 InUseHeldBy 2>&1)
check "another user's (the audio group's) hold is taken" test $? = 0
check "and counted: five holders while it runs" test "${out%% \"*}" = "as 5"
[[ $out == "as 5 "* ]] || sed 's/^/# /' <<< "$out"
# each user counted apart, up to 16 in all: three users of the audio
# group take 4 each; a fifth of one of them is refused, and so is a first
# of a fourth (the table full)
hold_as() {
	setpriv --reuid="$1" --regid="$1" --init-groups chargerctl hold sleep 600 &
	holders+=($!)
}
for u in listener-20 listener-21 listener-22 listener-23; do
	id "$u" >/dev/null 2>&1 || useradd -M -G audio "$u"
done
for u in listener-20 listener-21 listener-22; do
	for _ in 1 2 3 4; do
		hold_as "$u"
	done
done
check "sixteen holds: root's four and three other users' four each" until_ held_is 16
out=$(setpriv --reuid=listener-21 --regid=listener-21 --init-groups chargerctl hold true 2>&1)
check "another user's fifth is refused" test $? = 1
check "and says why" grep -q "at most 4 connections of one user" <<< "$out"
[[ $out == *"at most 4 connections"* ]] || sed 's/^/# /' <<< "$out"
out=$(setpriv --reuid=listener-23 --regid=listener-23 --init-groups chargerctl hold true 2>&1)
check "a first hold with the table full is refused" test $? = 1
check "and says why" grep -q "at most 16 connections may hold" <<< "$out"
[[ $out == *"at most 16 connections"* ]] || sed 's/^/# /' <<< "$out"
# a restart keeps them all, each counted to its own user still (the
# journal's lines are chargerd's adoption, not the holders' asking again)
since=$(date '+%Y-%m-%d %H:%M:%S')
systemctl restart chargerd
check "a restart keeps all sixteen holds" held_is 16
check "chargerd adopted each of them (sixteen journal lines)" until_ bash -c \
	"[ \$(journalctl -u chargerd --since '$since' -o cat | grep -c 'in-use hold of .* kept') = 16 ]"
out=$(setpriv --reuid=listener-22 --regid=listener-22 --init-groups chargerctl hold true 2>&1)
check "and a user's fifth is still refused after it" test $? = 1
[[ $out == *"at most 4 connections of one user"* ]] || sed 's/^/# /' <<< "$out"
kill "${holders[@]}"
wait "${holders[@]}" 2>/dev/null
check "all let go: not in use any more" until_ prop_is InUse false
check "nobody holds" held_is 0
check "no fault raised by the in-use policy" bash -c "! journal_has $MID_FAULT_RAISED"

scenario_end
