/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chargerd's journal MESSAGE_IDs: one per kind of record, each made with
 * `systemd-id128 new` (random, version 4) and never reused for another
 * kind. chargerd.catalog explains every one of them; tests/host's
 * msgid_test keeps this file, the catalog and README.md in step. The VM
 * tests and the scenarios read the values from this file, not from
 * copies (tests/scenarios/lib.sh parses the #defines).
 *
 * Keep the form `#define MID_NAME "32 hex digits"`, one per line.
 */
#ifndef CHARGERD_MSGID_H
#define CHARGERD_MSGID_H

/* events */
#define MID_PLUG			"3c9d44c29a5c4887863c42787e34f835"
#define MID_UNPLUG			"309b3d58ac5c4185987744a480b50da6"
#define MID_SESSION_START		"50aa348c01654613bbaa829cfb07505d"
#define MID_SESSION_END			"2cc3d207b1b84742be29f411534f06ec"
#define MID_FAULT_RAISED		"b6eedcaf700b46d9b6577c905680f1e1"
#define MID_FAULT_CLEARED		"323aa9670d0545869f540246bd6015ae"
#define MID_SUPPRESSED			"74ddd081ec92414e927a02917b7ce971"
#define MID_AGENT_ERROR			"a594e9ca140e4ec698d6a6378265e9ce"
#define MID_THERMAL			"88d42a4da9ea4e379a833e2ea985d6d7"
#define MID_IN_USE			"060c872a33a14dba8aa009e8f38bfe61"
#define MID_LOAD_TEST			"4e3208656a6f4dd19c6d37ca582608f4"
#define MID_CONFIG_RELOADED		"a85007bc775845ef90321622ec5776ce"
#define MID_CLOCK_SET			"cd867643334c4b0686d0080b7d760425"
#define MID_CURRENT_LOWERED		"942f6449230b43a5b094cf1b86573075"
#define MID_CURRENT_RAISED		"9bb9425239db4c6d98ed6a7caf74f00b"
#define MID_CURRENT_UNDONE		"9ae4dd80752e466ca12db4c428c9798f"
#define MID_DIAGNOSIS_GONE		"05b44b7e73ea4e758a7505a6fb533014"

/* diagnoses: one per cause (diagnosis.c's table), MID_DIAG_ + the code */
#define MID_DIAG_CONNECTOR		"436a3b85fc404380a3c31758ffa3b8db"
#define MID_DIAG_CABLE			"d8f9d826f9484232bf6e5a42ecac9a3d"
#define MID_DIAG_WEAK_SOURCE		"4f3b5a4ce5364f18b6293dd099a2708b"
#define MID_DIAG_NO_POWER		"48bb5b8d96454091b3c0035b21011cde"
#define MID_DIAG_ADAPTER_OVERVOLTAGE	"e37b4d57a1f249968c595abf2bd5b326"
#define MID_DIAG_TOO_HOT		"f81b485cf415411392f8422afbc80daf"
#define MID_DIAG_TOO_COLD		"ac470192aba44dc5a2da0564d00646e3"
#define MID_DIAG_DEEP_DISCHARGE		"6e7660e0971e4b9fa347abbf15bbb9ac"
#define MID_DIAG_WORN_BATTERY		"235b36ab35de4385af2f7af51c040e10"
#define MID_DIAG_BATTERY_FAULT		"88dd6e477efc4bd68e9025b2fd1409c4"
#define MID_DIAG_CHARGER_FAULT		"ae736a4a66c64551a924ba0e663507fa"
#define MID_DIAG_PAUSED_HEAT		"43fa37533fc94ef0aff8df0eda283fce"
#define MID_DIAG_PAUSED_IN_USE		"a3067c1011c640c6b0a47deac91871e8"
#define MID_DIAG_BATTERY_NOT_DETECTED	"b1727e44c49d4448ab50883a4a81e4ad"
#define MID_DIAG_SOURCE_OVERLOAD	"413f92187aa44f9e91d75e4529f90776"
#define MID_DIAG_TEMPERATURE_SENSOR	"ab699a166cda498a8327aa09831fc6e6"
#define MID_DIAG_INPUT_FAULT		"45f1ea06f7594e86aea315f74be46aeb"
#define MID_DIAG_CURRENT_LIMITED	"d079417fc7094f07a06c87e6c539792b"
#define MID_DIAG_VOLTAGE_LIMITED	"2204ce46e5c54fa2833b1807baecc9aa"

#endif
