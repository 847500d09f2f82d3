// SPDX-License-Identifier: GPL-2.0
/*
 * The policies and the diagnosis over a run of arbitrary snapshots (any
 * number sysfs could show, absent ones, junk strings), plugs, unplugs and
 * load tests, with any configuration the config loader accepts. The
 * safety and ranking invariants hold at every step.
 */
#include <limits.h>

#include "../../agent/diagnosis.h"
#include "../../agent/policy.h"
#include "fuzz.h"

static void take_psy(struct bytes *b, struct psy_snapshot *p)
{
	long long *nums[] = {
		&p->online, &p->voltage_now, &p->current_now, &p->current_max, &p->temp,
		&p->capacity, &p->constant_charge_current, &p->constant_charge_current_max,
		&p->constant_charge_voltage, &p->constant_charge_voltage_max,
		&p->input_current_limit, &p->charge_now, &p->charge_full,
		&p->charge_full_design, &p->cycle_count, &p->i2c_errors, &p->chip_resets,
		&p->faults_watchdog, &p->faults_boost, &p->faults_input,
		&p->faults_thermal_shutdown, &p->faults_safety_timer, &p->faults_battery_ovp,
		&p->faults_ntc, &p->power_good_rises,	/* last: the corpus keeps its meaning */
	};
	size_t i;

	p->present = take(b, 1) & 1;
	take_string(b, p->status, sizeof(p->status));
	take_string(b, p->health, sizeof(p->health));
	take_string(b, p->charge_type, sizeof(p->charge_type));
	take_string(b, p->usb_type, sizeof(p->usb_type));
	take_string(b, p->source_kind, sizeof(p->source_kind));
	take_string(b, p->input_dpm, sizeof(p->input_dpm));
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		*nums[i] = take_number(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes b = { data, size };
	struct chargerd_config cfg;
	struct policy_config pc;
	struct diag_config dc;
	bool in_use;
	struct policy_state st = { 0 };
	struct policy_result res;
	struct evidence ev = { 0 };
	struct diagnosis d[CAUSE__COUNT];
	static struct snapshot s;
	uint64_t usec = 0;
	long long base;
	int i, j, n, steps;

	/* a configuration within what config_load accepts */
	config_defaults(&cfg);
	pc = cfg.policy;
	dc = cfg.diag;
	pc.cold_stop_c = take_range(&b, 0, 30);
	pc.cool_c = take_range(&b, pc.cold_stop_c, 30);
	pc.warm_c = take_range(&b, pc.cool_c + 1 > 20 ? pc.cool_c + 1 : 20, 60);
	pc.hot_c = take_range(&b, pc.warm_c, 60);
	pc.stop_c = take_range(&b, pc.hot_c, 60);
	pc.cool_percent = take_range(&b, 1, 100);
	pc.warm_percent = take_range(&b, 1, 100);
	pc.hot_percent = take_range(&b, 1, 100);
	pc.hysteresis_c = take_range(&b, 0, 10);
	pc.in_use_stop_percent = take_range(&b, 50, 100);
	pc.in_use_resume_percent = take_range(&b, 40, pc.in_use_stop_percent - 1);
	dc.bounce_window_s = take_range(&b, 1, 600);
	dc.bounce_count = take_range(&b, 1, 100);
	dc.bounce_stay_s = take_range(&b, 1, 3600);
	dc.cable_max_mohm = take_range(&b, 50, 10000);
	dc.weak_source_ma = take_range(&b, 100, 5000);

	for (steps = 0; b.n && steps < 64; steps++) {
		in_use = take(&b, 1) & 1;
		usec += take(&b, 4);
		switch (take(&b, 1) % 4) {
		case 0:
			evidence_plug(&ev, &dc, usec);
			break;
		case 1:
			evidence_unplug(&ev, usec, take(&b, 1) % 3);
			break;
		case 2:
			evidence_load_test(&ev, take_number(&b), take_number(&b),
					   take_number(&b), take_number(&b));
			break;
		}
		s.seq++;
		s.usec = usec;
		take_psy(&b, &s.charger);
		take_psy(&b, &s.battery);

		base = take(&b, 1) & 1 ? take_number(&b) : -1;
		policy_eval(&pc, in_use, base, &st, &s, &res);
		CHECK(res.percent <= 100);
		CHECK(res.inhibit == (res.pause != PAUSE_NONE));
		/* never more than the battery allows */
		if (res.charge_current_ua != -1)
			CHECK(res.charge_current_ua >= 0 &&
			      res.charge_current_ua <= s.charger.constant_charge_current_max);
		/* nor above what the board set */
		if (res.charge_current_ua != -1 && base > 0)
			CHECK(res.charge_current_ua <= base);
		CHECK(st.band < BAND__COUNT);
		if (st.band == BAND_HOT_STOP || st.band == BAND_COLD_STOP)
			CHECK(res.inhibit);

		n = diagnose(&dc, &s, &ev, (uint32_t)take(&b, 4), res.pause, res.percent, st.band,
			     take(&b, 1) & 1, d, CAUSE__COUNT);
		CHECK(n >= 0 && n <= CAUSE__COUNT);
		for (i = 0; i < n; i++) {
			CHECK(d[i].cause < CAUSE__COUNT && d[i].severity <= SEV_FAULT);
			CHECK(memchr(d[i].evidence, '\0', sizeof(d[i].evidence)));
			CHECK(cause_code(d[i].cause) && cause_fix(d[i].cause));
			if (i)
				CHECK(d[i - 1].score >= d[i].score);
			for (j = 0; j < i; j++)
				CHECK(d[j].cause != d[i].cause);
		}
	}
	return 0;
}
