#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Field logs to support: the chargerd package's journal upload, off by
# default, turned on the way an integrator would (a server named in a
# journal-upload.conf.d drop-in, the timer enabled), sends a charge
# session with a fault to systemd-journal-remote listening on loopback,
# the support server's stand-in. Support reads the records there by
# MESSAGE_ID with their fields. A server that is down loses nothing; what
# the server accepted is not sent twice; a cursor the journal lost or
# cannot read skips nothing; an upgrade keeps the timer running; nothing
# but chargerd's records leaves the device. Leaves its state (the cursor)
# for 90-purge.
. "$(dirname "$0")/../scenarios/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }
RECV=/var/tmp/support
PORT=19532
UPSTATE=/var/lib/private/chargerd-upload
DROPIN=/etc/systemd/journal-upload.conf.d/support.conf

# received [MATCH...]: the support server's journal has such a record
received() {
	journalctl --directory="$RECV" -o json "$@" 2>/dev/null | grep -q .
}
# count_received MATCH...: how many such records the server holds
count_received() {
	journalctl --directory="$RECV" -o json "$@" 2>/dev/null | grep -c .
}
# fields DIR-OPTION MATCH...: the first such record's fields, without the
# journal's own bookkeeping (the cursor and sequence numbers, which the
# receiving journal gives anew); a binary field's length and bytes shown
# with cat -v
fields() {
	journalctl "$@" -o export -n 1 2>/dev/null | LC_ALL=C grep -av '^__' | cat -v | LC_ALL=C sort
}
upload_log() {
	journalctl --no-pager -q -o cat -u chargerd-upload.service -n 20
}

check "the upload ships with chargerd" dpkg-query -S /usr/libexec/chargerd/upload
check "it is off by default" test "$(systemctl is-enabled chargerd-upload.timer)" = disabled
check "and does not run" not_ systemctl -q is-active chargerd-upload.timer

# A session with a fault: the charger stops answering for a moment.
emulctl temp 25 >/dev/null
emulctl plug dcp >/dev/null
check "plugged in" until_ prop_is Online true
emulctl advance 1s >/dev/null
emulctl i2c fail-rate 100% 1 >/dev/null
emulctl irq 1 >/dev/null
check "fault raised: no-response" until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=no-response
emulctl i2c off >/dev/null
check "and cleared" until_ journal_has $MID_FAULT_CLEARED CHARGER_FAULT=no-response
logger -t not-chargerd "another program's record $$"

# Started before a server is named: the setup to finish, not a refusal.
systemctl reset-failed chargerd-upload.service 2>/dev/null
check "with no server named, the upload fails" not_ systemctl start chargerd-upload.service
check "and says no server is named" \
	bash -c "journalctl --no-pager -q -o cat -u chargerd-upload.service | grep -q 'no server named'"

# The integrator names the server and turns the upload on.
mkdir -p "${DROPIN%/*}"
printf '[Upload]\nURL=http://127.0.0.1:%s\n' "$PORT" > "$DROPIN"
check "systemctl enable --now chargerd-upload.timer" systemctl enable --now chargerd-upload.timer
check "the timer is waiting" systemctl -q is-active chargerd-upload.timer

# The server is down: the run fails, says so, and its position stays.
systemctl reset-failed chargerd-upload.service 2>/dev/null
check "with the server down, the upload fails" not_ systemctl start chargerd-upload.service
check "and says the records are sent again at the next run" \
	bash -c "journalctl --no-pager -q -o cat -u chargerd-upload.service | grep -q 'sent again at the next run'"
check "its position did not move" test ! -e "$UPSTATE/cursor"

# The support server comes up.
rm -rf "$RECV"
mkdir -p "$RECV"
systemd-run -q --unit=support-server /lib/systemd/systemd-journal-remote \
	--listen-http=127.0.0.1:$PORT --output="$RECV/"
check "the support server listens on loopback" \
	until_ bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT"
journalctl --sync
check "the upload succeeds" systemctl start chargerd-upload.service
upload_log | sed 's/^/# /'
check "the fault's record reached support (MESSAGE_ID $MID_FAULT_RAISED)" \
	received MESSAGE_ID=$MID_FAULT_RAISED CHARGER_FAULT=no-response _PID="$PID"
check "and its clearing" received MESSAGE_ID=$MID_FAULT_CLEARED CHARGER_FAULT=no-response _PID="$PID"
check "and the session's start" received MESSAGE_ID=$MID_SESSION_START _PID="$PID"
check "and systemd's records about the unit" received UNIT=chargerd.service
local_f=$(fields MESSAGE_ID=$MID_FAULT_RAISED _PID="$PID")
recv_f=$(fields --directory="$RECV" MESSAGE_ID=$MID_FAULT_RAISED _PID="$PID")
check "the record arrives whole: every field and its value" \
	test -n "$local_f" -a "$local_f" = "$recv_f"
[[ $local_f != "$recv_f" ]] && diff <(echo "$local_f") <(echo "$recv_f") | sed 's/^/# /'
check "nothing of other programs leaves the device" not_ received SYSLOG_IDENTIFIER=not-chargerd
others=$(journalctl --directory="$RECV" -F _SYSTEMD_UNIT 2>/dev/null | grep -vx -e chargerd.service -e init.scope)
check "only chargerd's unit and systemd's about it" test -z "$others"
check "the position moved" test -s "$UPSTATE/cursor"

# Later records go at the next run, even when the server was away in
# between; accepted ones are not sent again.
faults=$(count_received MESSAGE_ID=$MID_FAULT_RAISED)
pos=$(cat "$UPSTATE/cursor")
emulctl unplug >/dev/null
check "unplugged: the session ends" until_ journal_has $MID_SESSION_END
journalctl --sync
systemctl stop support-server
check "the server away: the run fails" not_ systemctl start chargerd-upload.service
check "and the position stays where the server left it" test "$(cat "$UPSTATE/cursor")" = "$pos"
systemctl reset-failed support-server 2>/dev/null
systemd-run -q --unit=support-server /lib/systemd/systemd-journal-remote \
	--listen-http=127.0.0.1:$PORT --output="$RECV/"
until_ bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT"
check "back: the next upload succeeds" systemctl start chargerd-upload.service
check "it sends the session's end" received MESSAGE_ID=$MID_SESSION_END _PID="$PID"
check "and not the fault again ($faults)" \
	test "$(count_received MESSAGE_ID=$MID_FAULT_RAISED)" = "$faults"

# The last record sent is no longer in the journal (a cursor of another
# journal: rotated away, or the volatile journal of an earlier boot): the
# run starts from the oldest record and says so; nothing is skipped.
ends=$(count_received MESSAGE_ID=$MID_SESSION_END)
printf 's=0123456789abcdef0123456789abcdef;i=1;b=0123456789abcdef0123456789abcdef;m=1;t=1;x=1\n' \
	> "$UPSTATE/cursor"
check "a cursor the journal no longer has: the upload succeeds" systemctl start chargerd-upload.service
check "and says it sends from the oldest record" \
	bash -c "journalctl --no-pager -q -o cat -u chargerd-upload.service | grep -q 'no longer in the journal'"
check "the session's end is sent again, not skipped" \
	test "$(count_received MESSAGE_ID=$MID_SESSION_END)" -gt "$ends"
printf 'garbage\n' > "$UPSTATE/cursor"
check "a cursor journalctl cannot read: the upload succeeds" systemctl start chargerd-upload.service
upload_log | tail -n 6 | sed 's/^/# /'
check "and keeps it aside" test "$(cat "$UPSTATE/cursor.bad" 2>/dev/null)" = garbage
check "with a new position" bash -c "grep -q '^s=' '$UPSTATE/cursor'"

# An upgrade leaves the enabled timer running (debhelper would stop it).
next=$(ls /opt/chargerd/build/deb-next/chargerd_*_amd64.deb 2>/dev/null | head -n1)
check "reinstalling chargerd (dpkg -i, an upgrade's path)" dpkg -i "$next"
check "the upload's timer still runs" systemctl -q is-active chargerd-upload.timer

# Support reads them by MESSAGE_ID, in JSON (README.md, chargerd(8)).
out=$(journalctl --directory="$RECV" -o json MESSAGE_ID=$MID_FAULT_RAISED | head -n1)
check "journalctl --directory -o json shows the fault's fields" \
	bash -c "grep -q '\"CHARGER_FAULT\":\"no-response\"' <<< '$out'"

check "and by device and unit, as on the device" \
	bash -c "journalctl --directory='$RECV' _HOSTNAME='$(hostname)' -u chargerd -o cat | grep -q ."

systemctl disable --now chargerd-upload.timer 2>/dev/null
systemctl stop support-server 2>/dev/null
rm -f "$DROPIN"
scenario_end
