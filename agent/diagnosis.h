/* SPDX-License-Identifier: GPL-2.0 */
/*
 * On-device diagnosis: from a snapshot, the evidence gathered over time,
 * the faults and the policies' state, the likely causes of a charging
 * problem, ranked, each with its evidence and the fix in plain words.
 * Pure (times come in as arguments), so host tests cover every rule.
 */
#ifndef CHARGERD_DIAGNOSIS_H
#define CHARGERD_DIAGNOSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "faults.h"
#include "policy.h"
#include "snapshot.h"

enum cause {
	CAUSE_CONNECTOR,		/* loose, dirty or damaged connector */
	CAUSE_CABLE,			/* resistive cable or port */
	CAUSE_WEAK_SOURCE,		/* a computer port, hub or small adapter */
	CAUSE_NO_POWER,			/* nothing on VBUS */
	CAUSE_ADAPTER_OVERVOLTAGE,	/* VBUS over-voltage */
	CAUSE_TOO_HOT,
	CAUSE_TOO_COLD,
	CAUSE_DEEP_DISCHARGE,		/* a long precharge */
	CAUSE_WORN_BATTERY,		/* capacity fade, many cycles */
	CAUSE_BATTERY_FAULT,		/* safety timer, battery OVP */
	CAUSE_CHARGER_FAULT,		/* no answer on I2C, thermal shutdown */
	CAUSE_PAUSED_HEAT,		/* information: paused or derated for heat */
	CAUSE_PAUSED_IN_USE,		/* information: paused while in use */
	CAUSE_BATTERY_NOT_DETECTED,	/* the gauge seen before is gone or silent */
	CAUSE_SOURCE_OVERLOAD,		/* plugged in, the battery drains: load > source */
	CAUSE_TEMPERATURE_SENSOR,	/* two sensors disagree, or one reads nonsense */
	CAUSE_INPUT_FAULT,		/* an input fault: over-voltage or a poor source */
	CAUSE_CURRENT_LIMITED,		/* information: another program lowered the current */
	CAUSE_VOLTAGE_LIMITED,		/* information: another program lowered the charge voltage */
	CAUSE__COUNT
};

enum severity { SEV_INFO, SEV_WARNING, SEV_FAULT };

#define CAUSE_BIT(c)	(1u << (c))
#define DIAG_TEXT_MAX	224	/* a [supplies] pin's words with two names (supplies_pin_check()) */

/* What the agent gathers over time for the rules that need more than a snapshot. */
struct evidence {
	uint64_t last_unplug_usec;	/* 0: none yet */
	bool in_use_forced;		/* in-use mode on: in use whatever the device does */
	bool end_not_unplug;		/* the last session ended without power going (removed) */
	/* and with the chip not answering: its no-response goes on to the next plug */
	bool carry_no_response;
	unsigned int bounces;		/* replugs within the window, in a row */
	unsigned int bounce_window_max_s;	/* the longest gap among them */
	/*
	 * CLOCK_BOOTTIME of the last plug (0: none seen), and how long power
	 * then stayed until the unplug (UINT64_MAX: not known): a run of
	 * bounces is one only while the power between them stays briefly
	 */
	uint64_t last_plug_usec, last_stay_usec;
	bool have_sag;			/* a VBUS load test was done this session */
	long long vbus_unloaded_uv, vbus_loaded_uv, iin_ua;
	long long sag_mohm;		/* (unloaded - loaded) / iin */
	uint32_t session_faults;	/* faults seen this session (or since unplug) */
	/*
	 * The faults raised or come and gone in this look: said with it,
	 * though the look ends the session (or is on battery) and so ends
	 * session_faults; the next look drops them. Set at each look.
	 */
	uint32_t look_faults;
	/*
	 * A heat or cold stop (PAUSE_HEAT, PAUSE_COLD) the charger refused
	 * at the last write, so not in force; PAUSE_NONE otherwise. Set at
	 * each look (resync_plan()).
	 */
	enum pause_reason stop_refused;
	/* the charger's chip resets (its chip_resets rose) since the plug or unplug */
	unsigned int chip_resets;
	/* another bus master's writes its driver undid (config_overwritten rose), as long */
	unsigned int config_overwritten;
	bool battery_seen;		/* a battery supply answered since chargerd started */
	bool charger_seen;		/* a charger supply was there since chargerd started */
	/* the charger, seen before, gone since (GONE_CONFIRM_USEC) */
	bool charger_gone, charger_gone_sustained;
	uint64_t charger_gone_since_usec;	/* CLOCK_BOOTTIME */
	/*
	 * The charger's supply back (CLOCK_BOOTTIME of its last return; 0
	 * none) and how many times in a row it went again within
	 * CHARGER_FLAP_STAY_USEC of coming back (CHARGER_FLAPS_MANY)
	 */
	uint64_t charger_return_usec;
	unsigned int charger_flaps;
	/* the gauge, seen before, not answering since, the charger there */
	bool gauge_gone, gauge_gone_sustained;
	uint64_t gauge_gone_since_usec;		/* CLOCK_BOOTTIME */
	/* on external power, the battery draining (snapshot_draining()) since */
	bool draining;
	uint64_t drain_since_usec;	/* CLOCK_BOOTTIME */
	bool drain_sustained;		/* for DRAIN_SUSTAINED_USEC at least */
	/* the two temperature sensors apart (TEMP_DISAGREE_DC) since */
	bool disagree;
	uint64_t disagree_since_usec;	/* CLOCK_BOOTTIME */
	bool disagree_sustained;	/* for TEMP_CONFIRM_USEC at least */
	/*
	 * the charger's NTC zone (health Hot or Cold) while the gauge reads
	 * the cell well inside the charging window, since
	 */
	bool zone_disagree;
	uint64_t zone_disagree_since_usec;	/* CLOCK_BOOTTIME */
	bool zone_disagree_sustained;	/* for TEMP_CONFIRM_USEC at least */
	/* a reading out of a sensor's range (!temp_plausible()) since */
	bool implausible;
	uint64_t implausible_since_usec;	/* CLOCK_BOOTTIME */
	bool implausible_sustained;	/* for TEMP_CONFIRM_USEC at least */
	/* a step on one sensor, waiting for the other to follow (or not) */
	bool step_pending;
	uint64_t step_usec;		/* when it was seen (CLOCK_BOOTTIME) */
	long long step_other_dc;	/* the other sensor before it */
	/* a temperature step no battery can make, since the plug */
	bool temp_step;
	bool temp_step_charger;		/* the charger's thermistor (else the gauge) */
	long long temp_step_from_dc, temp_step_to_dc;
	unsigned int temp_step_s;
	/*
	 * chargerd's ceiling for constant_charge_current (uA; what the
	 * policies scale) and the charger's own value when chargerd first
	 * read it (the board's): <= 0 unknown. A ceiling below it was set by
	 * another program (resync.c's ceiling_from()).
	 */
	long long ceiling_ua, board_ua;
	/*
	 * The charger's constant_charge_voltage when chargerd first read
	 * this device (the board's, uV; <= 0 unknown): a value below it was
	 * set by another program, as chargerd writes none
	 */
	long long board_uv;
	/*
	 * A [supplies] pin naming no supply of its kind here while another
	 * is (supplies_pin_check(): a typo, or a driver not probed yet), set
	 * at each look until the supplies are found, and since when
	 * (CLOCK_BOOTTIME; 0 none)
	 */
	struct pin_check pins;
	uint64_t pins_since_usec;
};

/*
 * A pin missing for this long is the configuration's, not a driver's
 * late probe: said as a finding (at once when asked). Assumed: a boot's
 * modules and deferred probes are done within it (under TCG, our probe
 * and upstream's take milliseconds, a boot's udev settle about 10 s).
 */
#define PIN_CONFIRM_USEC	(60ULL * 1000000)

/* Whether a pin of e has been missing for PIN_CONFIRM_USEC, as of s. */
bool pins_confirmed(const struct snapshot *s, const struct evidence *e);

/*
 * This many power-on resets of the charger chip since the plug or unplug
 * is no passing dip: its supply (the battery's connection, or VBUS and the
 * battery both) drops, for repair. One is a dip the driver undid (fault
 * chip-reset); the chip's supply rails (SLUSC88A, "Power-On Reset") keep
 * it powered from either source, so even two in one plug are unusual.
 */
#define CHIP_RESETS_MANY	3

/*
 * Draining on external power for this long is the source failing the
 * load, not a load peak (a speaker's bass, a radio burst: well under a
 * second; a gauge's current_now averages over about a second).
 */
#define DRAIN_SUSTAINED_USEC	(20ULL * 1000000)
/*
 * A step no battery can make: this much (0.1 degC) within TEMP_STEP_USEC.
 * A cell inside a product's housing has a thermal time constant of many
 * minutes (10 or more): even carried from -10 into 20 degC air it moves
 * under 10 degC in 2.5 minutes; a glitch, a bad joint or a sensor failing
 * does. Consecutive looks are compared, so 2.5 minutes spans two of the
 * slow resyncs on external power (resync_s, 120 s by default) with room
 * for the timer's slack.
 */
#define TEMP_STEP_DC		100
#define TEMP_STEP_USEC		(150ULL * 1000000)
/*
 * How long two sensors may disagree (their readings, or the charger's NTC
 * zone and the gauge's reading), one may step without the other
 * following, or a reading may be out of range, before it is a fault (one
 * bad read is not): the charger's TS reading is up to 5 s old
 * (bq2589x_charger's ADC max age, the next read converts again), the
 * gauge's about 1 s; 15 s leaves a margin. Checked at each look, so on
 * external power it is found at the first look after (resync_s).
 * With one sensor alone a step cannot be told from the battery's own
 * change: only the range check applies (temp_plausible()).
 */
#define TEMP_CONFIRM_USEC	(15ULL * 1000000)

/*
 * How long a supply seen before must stay gone before it is a fault
 * (charger-fault, battery-not-detected): a driver reloaded or bound again
 * (a firmware update, a module reload) is back within a second or two,
 * and each was said as a broken part needing repair (helper-69: 21 error
 * records in one boot of reloads). Shown at once when asked. Assumed, as
 * the reload's time on the devices measured (under TCG: 1 s at most).
 */
#define GONE_CONFIRM_USEC	(10ULL * 1000000)

/*
 * A charger's supply that goes again within CHARGER_FLAP_STAY_USEC of
 * coming back, CHARGER_FLAPS_MANY times in a row, is a charger-fault while
 * it does, though each absence is shorter than GONE_CONFIRM_USEC (its
 * driver failing, or the chip resetting, again and again: gone 7 s of
 * every 8, it charged 1 s in 8 and nothing was said). A reload, an
 * upgrade or a person's rebind stays longer than that between two.
 * Assumed: no source names a figure; the same 10 s as GONE_CONFIRM_USEC.
 */
#define CHARGER_FLAP_STAY_USEC	(10ULL * 1000000)
#define CHARGER_FLAPS_MANY	3

/*
 * Whether the charger's supply goes and comes back, as of s
 * (evidence_snapshot()'s charger_flaps): CHARGER_FLAPS_MANY times in a
 * row, and not over yet (over once it stays CHARGER_FLAP_STAY_USEC, or
 * goes for good: then it is missing).
 */
bool charger_flapping(const struct snapshot *s, const struct evidence *e);

struct diagnosis {
	enum cause cause;
	enum severity severity;
	int score;			/* ranking: higher first */
	char evidence[DIAG_TEXT_MAX];
	/* a fault that went by (it charges again): its own summary and fix */
	bool passed;
	/*
	 * A part gone for less than GONE_CONFIRM_USEC, said only when asked:
	 * a reload may bring it back; its own summary and fix.
	 */
	bool pending;
	/* a part gone for good (GONE_CONFIRM_USEC): its own summary and fix */
	bool missing;
	/* a part never seen since chargerd started (its driver never probed): its own words */
	bool absent;
	/* a charger chip that does not keep its settings (a repair, not a cool-down): its own words */
	bool unkept;
	/* settings another writer changes (nothing broken, a program to find): its own words */
	bool overwritten;
	/* a setting in force whatever happens (in-use mode on): its own words */
	bool forced;
	/* chargerd's configuration names a part not here (pins): its own words */
	bool configured;
};

const char *cause_code(enum cause c);		/* stable: "weak-source", ... */
const char *cause_summary(enum cause c);	/* one line: what it is */
const char *cause_fix(enum cause c);		/* what to do, in plain words */
const char *severity_name(enum severity s);	/* info, warning, fault */
/* A finding's summary and fix: its cause's, or the cause's for one that went by or is pending. */
const char *diagnosis_summary(const struct diagnosis *g);
const char *diagnosis_fix(const struct diagnosis *g);
const char *cause_message_id(enum cause c);	/* its journal MESSAGE_ID */
/*
 * For a part of the device that failed and works again (the battery's
 * gauge, a temperature sensor, the charger's power supply: only as
 * cause_missing() says), what to say when its cause goes; NULL for
 * the others (a fault's end has its own record; a session's causes go
 * with it).
 */
const char *cause_gone(enum cause c);
/*
 * Whether a finding of cause c in s (with evidence e) is of a part
 * missing or failing that can come back (its cause_gone() said once
 * cause_cleared()): the charger's only as its power supply gone for good
 * (charger_gone_sustained); its other findings (no answer on the bus, a
 * thermal shutdown kept while the supply is gone, resets) are the
 * session's (helper-76: a kept thermal shutdown ended at the unplug was
 * said as "its driver is bound again").
 */
bool cause_missing(enum cause c, const struct snapshot *s, const struct evidence *e);
/*
 * Whether s shows the part of a cause_gone() cause working: the gauge
 * giving a reading with the charger there to check it; both temperature
 * sensors read on external power, in range, agreeing, no zone the gauge
 * contradicts; the charger's power supply there. Not found is not
 * cleared: unplugged, the thermistor is not read at all. False for the
 * other causes.
 */
bool cause_cleared(enum cause c, const struct snapshot *s);
/*
 * Whether the battery supply bat answers as a fuel gauge: there, and
 * giving its charge (capacity, %) or its voltage (voltage_now, uV). What
 * battery-not-detected needs to have seen once, and to see again.
 */
bool gauge_answers(const struct psy_snapshot *bat);

/*
 * Whether the battery's gauge (bat: its temp, 0.1 degC) denies the
 * charger's thermistor zone, cold or (!cold) hot: the cell 10 degC inside
 * the chip's charging window on that side or beyond it. One rule for the
 * temperature-sensor diagnosis and a hot or cold fault's record.
 */
bool ts_zone_denied(bool cold, const struct psy_snapshot *bat);

/*
 * How a session ended, for the evidence: END_UNPLUGGED, power went away
 * (a next plug soon after is a bounce); END_REMOVED, an end that says
 * nothing of the connector (the charger device removed: a driver unbound
 * or reloaded; or not answering), whose next plug is no bounce, nor ends
 * a run of them, and a no-response goes on to it; END_SWAPPED, another
 * source found at the charger's return (an adapter swapped while its
 * driver was unbound): a plug of another source, which ends a run of
 * bounces and carries nothing (helper-77: a run went on through it, a
 * no-response was carried to the new adapter); END_UNTIMED, power gone
 * at a time not known (found offline after the charger's supply was gone
 * or unread, a restart's first look among them), whose next plug is no
 * bounce, and which ends a run (helper-82: an unplug during a restart
 * was dated at the look after it, a bounce with the next plug).
 */
enum evidence_end { END_UNPLUGGED, END_REMOVED, END_SWAPPED, END_UNTIMED };

/* Evidence over time: a plug and a session's end at usec (CLOCK_BOOTTIME). */
void evidence_plug(struct evidence *e, const struct diag_config *c, uint64_t usec);
void evidence_unplug(struct evidence *e, uint64_t usec, enum evidence_end how);
/*
 * The faults kept for a session (session_faults) end: at its end, and on
 * battery with no fault present, with or without a session (a 16 V
 * adapter starts none); a no-response handed on to the next plug stays.
 * Before, the fault's fast blink went on after the unplug, a diagnosis
 * asked on battery named it instead of "no power", and the same bad
 * adapter plugged again was no new finding: no record, no signal
 * (helper-71).
 */
void evidence_faults_end(struct evidence *e);

/*
 * What a snapshot adds (old: the previous one, NULL at the first): how
 * long the battery has drained on external power, how long the two
 * temperature sensors have disagreed, and a step of one sensor the other
 * did not follow. Times from the snapshots' usec.
 */
void evidence_snapshot(struct evidence *e, const struct snapshot *old, const struct snapshot *s);

/*
 * A load test: VBUS with the charger drawing iin (estimated from the
 * battery side), then with charging inhibited. Stores the sag per ampere
 * and returns true; false, storing nothing, for a measurement that cannot
 * be valid: a reading a USB charger cannot show, no current, or no sag
 * (VBUS no higher unloaded: the source or the readings changed between
 * the two halves, or the sag is below the ADC's 100 mV step).
 */
bool evidence_load_test(struct evidence *e, long long vbus_loaded_uv, long long vbus_unloaded_uv,
			long long vbat_uv, long long ibat_ua);

/*
 * The likely causes now, ranked, at most max. pause, percent and band: the
 * policies' decision (percent of the battery's maximum current, the
 * thermal band it comes from), as in force: no pause and 100 % without
 * external power. asked: the user asked (chargerctl diagnose), so "no
 * power" is a finding even while unplugged. Returns how many.
 */
int diagnose(const struct diag_config *c, const struct snapshot *s, const struct evidence *e,
	     uint32_t active_faults, enum pause_reason pause, unsigned int percent,
	     enum thermal_band band, bool asked, struct diagnosis *out, int max);

#endif
