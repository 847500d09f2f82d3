#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A faulty charging circuit: the charger stops answering on I2C.
. "$(dirname "$0")/lib.sh"
scenario_start || { echo "Bail out! the bench did not come up"; exit 1; }

emulctl temp 25 >/dev/null
emulctl plug dcp >/dev/null
until_ prop_is Online true
emulctl advance 1s >/dev/null	# the ADC's first sample
session=$(prop Session)
emulctl i2c fail-rate 100% 1 >/dev/null
emulctl irq 1 >/dev/null
check "fault raised: no-response" until_ journal_has $MID_FAULT_RAISED CHARGER_FAULT=no-response
expect_diagnosis charger-fault
check "LED fast blink (fault)" until_ led_is fast
emulctl i2c off >/dev/null
check "the bus recovers: the fault clears" \
	until_ journal_has $MID_FAULT_CLEARED CHARGER_FAULT=no-response
# It charges again: a warning for support, no fault's fast blink for the
# rest of the session (helper-61: a 12 s burst of bus errors kept both)
check "answering again: the LED shows charging (steady)" until_ led_is steady
check "charger-fault is now a warning" \
	bash -c "chargerctl --json diagnose | tr -d ' \n' | grep -q '\"code\":\"charger-fault\",\"severity\":\"warning\"'"
check "and says it works again, nothing to do now (not: let it cool)" \
	bash -c "chargerctl diagnose | grep -q 'it works again' && ! chargerctl diagnose | grep -q 'let it cool'"
# While the chip did not answer, its driver could not say whether power
# was there (online: -ENODATA). Unknown is not unplugged: no unplug was
# recorded, and the session went on (it ended as "unplugged" and a new
# one began; a few glitches made a "connector" diagnosis).
check "no answer is not an unplug: no unplug record" not_ journal_has $MID_UNPLUG
check "the same session goes on" prop_is Session "$session"
for i in 1 2 3 4 5; do
	emulctl i2c fail-next 1 >/dev/null
	emulctl irq 1 >/dev/null
	sleep 1
done
check "five single bus errors: still no unplug" not_ journal_has $MID_UNPLUG
check "still the same session" prop_is Session "$session"
check "and no connector diagnosis" not_ bash -c "chargerctl --json diagnose | grep -q '\"code\": \"connector\"'"

# A stop during a burst of bus errors (an upgrade's restart on a flaky
# bus): charging is handed back once the bus answers again (helper-64: 2
# stops in 12 at 20 % errors left inhibit-charge for good, through unplug
# and replug, with no chargerd to take it back).
emulctl battery capacity 85 >/dev/null
chargerctl in-use on >/dev/null
check "held in use" until_ behaviour_is inhibit-charge
emulctl i2c fail-rate 100% 1 >/dev/null
systemctl stop chargerd &
stopping=$!
sleep 0.5
emulctl i2c off >/dev/null
wait "$stopping"
check "stopped during a burst of bus errors: charging handed back" until_ behaviour_is auto
systemctl start chargerd
check "running again" until_ prop_is Charger bq25895-charger
PID=$(systemctl show -P MainPID chargerd)

# The bus failing for longer than the hand-back's 2 s of tries: the
# driver keeps the "auto" it could not write and writes it once the bus
# answers, nobody asking (helper-83: inhibit-charge stayed until a
# reboot, through a replug)
check "held in use again" until_ behaviour_is inhibit-charge
emulctl i2c fail-rate 100% 1 >/dev/null
systemctl stop chargerd
sleep 1
emulctl i2c off >/dev/null
check "the bus back: handed back with no chargerd and no replug" until_ behaviour_is auto
# said in words for support, what it means and who ends it (helper-90:
# "handing charging back: ...: Input/output error", "20 tries")
hand_back_said() {
	journalctl --sync 2>/dev/null
	journalctl -b -u chargerd -o cat CHARGERD_ERROR="hand-back refused" 2>/dev/null |
		grep "could not hand charging back to bq25895-charger: charge_behaviour = auto refused (the charger's bus did not answer; 20 tries in 1.9 s)" |
		grep -q "charging may stay held until chargerd runs again, or bq2589x_charger writes it once its bus answers"
}
check "the failed hand-back said, and who ends it" hand_back_said
systemctl start chargerd
check "running again" until_ prop_is Charger bq25895-charger
PID=$(systemctl show -P MainPID chargerd)
chargerctl in-use auto >/dev/null

scenario_end
