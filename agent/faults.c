// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"

static const struct {
	const char *code;
	const char *text;
} faults[FAULT__COUNT] = {
	[FAULT_INPUT_OVP] = { "input-ovp",
		"The adapter's voltage is too high; the charger disconnected it." },
	[FAULT_INPUT_COLLAPSE] = { "input-collapse",
		"The input voltage collapsed under load: the adapter, port or cable cannot supply the current." },
	[FAULT_BATTERY_OVP] = { "battery-ovp",
		"The battery voltage went above its limit; charging stopped." },
	[FAULT_THERMAL_SHUTDOWN] = { "thermal-shutdown",
		"The charger chip overheated and shut down." },
	[FAULT_SAFETY_TIMER] = { "safety-timer",
		"Charging took longer than the safety timer allows; charging stopped." },
	[FAULT_HOT] = { "hot",
		"The battery is too hot to charge; charging stopped until it cools." },
	[FAULT_COLD] = { "cold",
		"The battery is too cold to charge; charging stopped until it warms." },
	[FAULT_WATCHDOG] = { "watchdog",
		"The charger chip reset to its defaults; its settings were restored." },
	[FAULT_BOOST] = { "boost",
		"The charger's boost (power out) mode failed: overload or low battery." },
	[FAULT_NO_RESPONSE] = { "no-response",
		"The charger chip does not answer on its bus." },
	[FAULT_INPUT] = { "input-fault",
		"The charger refused its input: the adapter's voltage was too high, or the source could not hold its voltage; the chip reports both the same way." },
	[FAULT_CHIP_RESET] = { "chip-reset",
		"The charger chip went back to its power-on defaults (its supply dipped, or it was reset); its settings were restored." },
	[FAULT_SETTINGS_UNKEPT] = { "settings-unkept",
		"The charger chip does not keep the settings its driver writes; charging is off if it would go beyond the battery's limits." },
	[FAULT_SETTINGS_OVERWRITTEN] = { "settings-overwritten",
		"Something other than the charger's driver changed the charger chip's settings (a program or another processor on its bus); the driver put them back." },
};

const char *fault_code(enum fault f)
{
	return (unsigned int)f < FAULT__COUNT ? faults[f].code : NULL;
}

const char *fault_text(enum fault f)
{
	return (unsigned int)f < FAULT__COUNT ? faults[f].text : NULL;
}

int fault_from_code(const char *code)
{
	int f;

	for (f = 0; f < FAULT__COUNT; f++)
		if (code && !strcmp(code, faults[f].code))
			return f;
	return -1;
}

static int rose(long long before, long long now)
{
	return before != PSY_NONE && now != PSY_NONE && now > before;
}

/*
 * An input fault's two sides by VBUS (BQ25895 datasheet, 8.3.1.1 and the
 * electrical characteristics): over-voltage past VACOV, 14 V typical (an
 * HVDCP adapter goes to 12 V at most, so 13.5 V is past any legitimate
 * source); a poor source below VVBUSMIN, 3.8 V typical. Between the two,
 * the reading is from after the event: either side.
 */
#define VBUS_OVP_UV	13500000LL
#define VBUS_POOR_UV	3800000LL

/*
 * The battery plainly below its over-voltage threshold: VBATOVP is 104 %
 * of the charge voltage (BQ25895 datasheet, electrical characteristics);
 * 102 % leaves the ADC's and the gauge's error. False when either is
 * unknown.
 */
static bool battery_below_ovp(const struct snapshot *s)
{
	long long vbat = s->battery.voltage_now, vreg = s->charger.constant_charge_voltage;

	/* a cell is under 10 V: beyond, junk (and no overflow below) */
	return vbat != PSY_NONE && vbat > 0 && vbat < 10000000 && vreg != PSY_NONE && vreg > 0 &&
	       vreg < 10000000 && vbat * 100 < vreg * 102;
}

static enum fault input_fault_by_vbus(const struct psy_snapshot *c)
{
	if (c->voltage_now == PSY_NONE || c->voltage_now <= 0)
		return FAULT_INPUT;
	if (c->voltage_now >= VBUS_OVP_UV)
		return FAULT_INPUT_OVP;
	return c->voltage_now < VBUS_POOR_UV ? FAULT_INPUT_COLLAPSE : FAULT_INPUT;
}

/*
 * The faults health names, by how the driver ranks them into its one
 * value (bq2589x_charger's bq_health(), from the BQ25895's REG0C: a
 * thermal shutdown, then battery over-voltage, then CHRG_FAULT's input
 * and timer values, then settings the chip does not keep, then the
 * watchdog, then the NTC's zone): one ranked lower cannot show while one
 * above it does. 0: not one health shows.
 */
static unsigned int health_rank(int f)
{
	switch (f) {
	case FAULT_THERMAL_SHUTDOWN:
		return 1;
	case FAULT_BATTERY_OVP:
		return 2;
	case FAULT_INPUT_OVP:
	case FAULT_INPUT_COLLAPSE:
	case FAULT_INPUT:
		return 3;
	case FAULT_SAFETY_TIMER:
		return 4;
	case FAULT_SETTINGS_UNKEPT:
		return 5;
	case FAULT_WATCHDOG:
		return 6;
	case FAULT_HOT:
	case FAULT_COLD:
		return 7;
	default:
		return 0;
	}
}

/*
 * CHRG_FAULT (REG0C[5:4]) holds one value of three: input, thermal
 * shutdown, safety timer. Which one when two happen the datasheet does
 * not say (assumed: the latest, as the emulator keeps it), so while a new
 * one shows, the others are not known; the field back at one that was
 * there before says the one it showed ended.
 */
static bool in_chrg_fault(int f)
{
	return f == FAULT_THERMAL_SHUTDOWN || f == FAULT_SAFETY_TIMER || health_rank(f) == 3;
}

/*
 * Of prev, those health cannot show now beside shown (its fault, the
 * gravest): ranked below it, or another of CHRG_FAULT's values. Kept,
 * not ended (a fault not read is no fault's end: a thermal shutdown said
 * a safety timer's expiry cleared, then raised it again, a second event).
 */
static uint32_t hidden_by(uint32_t shown, uint32_t before, uint32_t prev)
{
	bool back = (shown & prev) != 0;	/* the field back at one it had */
	int top = -1, f;
	uint32_t kept = 0;

	for_each_fault(f, shown)
		if (health_rank(f) && (top < 0 || health_rank(f) < health_rank(top)))
			top = f;
	if (top < 0)
		return 0;
	for_each_fault(f, prev & ~shown)
		if (health_rank(f) > health_rank(top) ||
		    (health_rank(f) && health_rank(f) != health_rank(top) && in_chrg_fault(f) &&
		     in_chrg_fault(top) && !(back && before & FAULT_BIT(f))))
			kept |= FAULT_BIT(f);
	return kept;
}

/* The CHRG_FAULT value health h shows, as a fault mask (0: none of them). */
static uint32_t health_shown(const char *h)
{
	if (!strcmp(h, "Overheat"))
		return FAULT_BIT(FAULT_THERMAL_SHUTDOWN);
	if (!strcmp(h, "Safety timer expire"))
		return FAULT_BIT(FAULT_SAFETY_TIMER);
	if (!strcmp(h, "Unspecified failure") || !strcmp(h, "Over voltage"))
		return FAULT_BIT(FAULT_INPUT_COLLAPSE) | FAULT_BIT(FAULT_INPUT_OVP) |
		       FAULT_BIT(FAULT_INPUT);
	return 0;
}

/*
 * Which fault health "Unspecified failure" is: bq2589x_charger says it
 * for an input fault with VBUS below VVBUSMIN (a source too weak) and
 * for settings the chip does not keep (config_unkept counts those
 * episodes, since probe: no present state). VBUS read low: the weak
 * source, whatever came before. Else the settings when the counter rose,
 * or they were the fault before, or VBUS reads normal with one counted
 * (a restart in the middle of one); the weak source otherwise, and for
 * any other driver.
 */
static enum fault unspecified_fault(const struct snapshot *old, const struct psy_snapshot *c,
				    uint32_t prev)
{
	bool vbus_known = c->voltage_now != PSY_NONE && c->voltage_now > 0;

	if (c->config_unkept == PSY_NONE || c->config_unkept <= 0 ||
	    (vbus_known && c->voltage_now < VBUS_POOR_UV))
		return FAULT_INPUT_COLLAPSE;
	if ((old && !strcmp(old->charger.name, c->name) &&
	     rose(old->charger.config_unkept, c->config_unkept)) ||
	    prev & FAULT_BIT(FAULT_SETTINGS_UNKEPT) || vbus_known)
		return FAULT_SETTINGS_UNKEPT;
	return FAULT_INPUT_COLLAPSE;
}

bool faults_readable(const struct psy_snapshot *c)
{
	/*
	 * "Unknown" is the bq2589x driver's unread health (its bus not
	 * answering: it counts i2c_errors); a driver without the count may
	 * say it as a reading (no VBUS, say), taken as one (helper-80: an
	 * input fault held a session open an hour on battery). "": the read
	 * failed.
	 */
	return c->present && c->health[0] &&
	       (strcmp(c->health, "Unknown") || c->i2c_errors == PSY_NONE);
}

bool health_stops_charging(const char *h)
{
	static const char *const stops[] = {
		"Overheat", "Over voltage", "Unspecified failure", "Safety timer expire",
		"Hot", "Cold", "Dead", "Over current", "No battery",
	};
	unsigned int i;

	for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		if (!strcmp(h, stops[i]))
			return true;
	return false;
}

uint32_t faults_present(const struct snapshot *old, const struct snapshot *s, uint32_t prev)
{
	const struct psy_snapshot *c = &s->charger;
	const char *h = c->health;
	uint32_t f = 0, health_faults = 0;
	int i;

	if (!c->present)
		return 0;
	for (i = 0; i < FAULT__COUNT; i++)
		if (health_rank(i))
			health_faults |= FAULT_BIT(i);
	/*
	 * health not read (the bus not answering, the read failed): what it
	 * showed stays, nothing ends unread
	 */
	if (!faults_readable(c)) {
		f = prev & health_faults;
		if (c->i2c_errors != PSY_NONE && c->i2c_errors > 0)
			f |= FAULT_BIT(FAULT_NO_RESPONSE);
		else
			f |= prev & FAULT_BIT(FAULT_NO_RESPONSE);
		return f;
	}
	if (!strcmp(h, "Overheat"))
		f |= FAULT_BIT(FAULT_THERMAL_SHUTDOWN);
	else if (!strcmp(h, "Unspecified failure"))
		f |= FAULT_BIT(unspecified_fault(old, c, prev));
	else if (!strcmp(h, "Safety timer expire"))
		f |= FAULT_BIT(FAULT_SAFETY_TIMER);
	else if (!strcmp(h, "Watchdog timer expire"))
		f |= FAULT_BIT(FAULT_WATCHDOG);
	else if (!strcmp(h, "Hot"))
		f |= FAULT_BIT(FAULT_HOT);
	else if (!strcmp(h, "Cold"))
		f |= FAULT_BIT(FAULT_COLD);
	else if (!strcmp(h, "Over voltage")) {
		/* battery or input: the counter that rose, else as before, else VBUS */
		const uint32_t ov = FAULT_BIT(FAULT_BATTERY_OVP) | FAULT_BIT(FAULT_INPUT_OVP) |
				    FAULT_BIT(FAULT_INPUT);

		if (old && rose(old->charger.faults_battery_ovp, c->faults_battery_ovp))
			f |= FAULT_BIT(FAULT_BATTERY_OVP);
		else if (old && rose(old->charger.faults_input, c->faults_input))
			f |= FAULT_BIT(input_fault_by_vbus(c));
		else if (prev & ov)
			f |= prev & ov;
		else if (c->voltage_now != PSY_NONE && c->voltage_now >= VBUS_OVP_UV)
			f |= FAULT_BIT(FAULT_INPUT_OVP);
		else if (battery_below_ovp(s))
			f |= FAULT_BIT(FAULT_INPUT);	/* not the battery: the input, either side */
		else
			f |= FAULT_BIT(FAULT_BATTERY_OVP);
	}
	return f | hidden_by(f, old && !strcmp(old->charger.name, c->name) ?
			       health_shown(old->charger.health) : 0, prev);
}

void fault_counters_of(const struct psy_snapshot *c, struct fault_counters *out)
{
	*out = (struct fault_counters){
		.ino = c->present ? c->ino : 0,
		.watchdog = c->faults_watchdog,
		.chip_resets = c->chip_resets,
		.boost = c->faults_boost,
		.input = c->faults_input,
		.thermal_shutdown = c->faults_thermal_shutdown,
		.safety_timer = c->faults_safety_timer,
		.battery_ovp = c->faults_battery_ovp,
		.config_overwritten = c->config_overwritten,
	};
}

static uint32_t counters_rose(const struct fault_counters *o, const struct fault_counters *c)
{
	uint32_t f = 0;

	if (rose(o->watchdog, c->watchdog))
		f |= FAULT_BIT(FAULT_WATCHDOG);
	/*
	 * a reset the driver found and undid: said (it was nowhere in the
	 * journal); a watchdog expiry counts in both, and is named as such
	 */
	else if (rose(o->chip_resets, c->chip_resets))
		f |= FAULT_BIT(FAULT_CHIP_RESET);
	if (rose(o->boost, c->boost))
		f |= FAULT_BIT(FAULT_BOOST);
	/* an input fault that came and went: a spike or a dip, unknown which */
	if (rose(o->input, c->input))
		f |= FAULT_BIT(FAULT_INPUT);
	if (rose(o->thermal_shutdown, c->thermal_shutdown))
		f |= FAULT_BIT(FAULT_THERMAL_SHUTDOWN);
	if (rose(o->safety_timer, c->safety_timer))
		f |= FAULT_BIT(FAULT_SAFETY_TIMER);
	if (rose(o->battery_ovp, c->battery_ovp))
		f |= FAULT_BIT(FAULT_BATTERY_OVP);
	if (rose(o->config_overwritten, c->config_overwritten))
		f |= FAULT_BIT(FAULT_SETTINGS_OVERWRITTEN);
	return f;
}

uint32_t faults_occurred(const struct snapshot *old, const struct snapshot *s)
{
	struct fault_counters o, c;

	if (!old || !s->charger.present || !old->charger.present ||
	    strcmp(old->charger.name, s->charger.name))
		return 0;
	fault_counters_of(&old->charger, &o);
	fault_counters_of(&s->charger, &c);
	return counters_rose(&o, &c);
}

uint32_t faults_occurred_since(const struct fault_counters *before, const struct snapshot *s)
{
	struct fault_counters c;

	fault_counters_of(&s->charger, &c);
	if (!before->ino || c.ino != before->ino)
		return 0;
	return counters_rose(before, &c);
}

static void counter_format(long long v, char *buf, size_t len)
{
	if (v == PSY_NONE || v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%lld", v);
}

void fault_counters_format(const struct fault_counters *c, char *line, size_t len)
{
	const long long v[] = { c->watchdog, c->chip_resets, c->boost, c->input,
				c->thermal_shutdown, c->safety_timer, c->battery_ovp,
				c->config_overwritten };
	char f[sizeof(v) / sizeof(v[0])][24];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		counter_format(v[i], f[i], sizeof(f[i]));
	snprintf(line, len, "%" PRIu64 " %s %s %s %s %s %s %s %s\n", c->ino, f[0], f[1], f[2],
		 f[3], f[4], f[5], f[6], f[7]);
}

/* One field of a counters line at *p: digits (into *v) or "-" (PSY_NONE), then sep. */
static int counter_parse(const char **p, char sep, unsigned long long max, long long *v)
{
	unsigned long long n;
	char *end;

	if (**p == '-') {
		*v = PSY_NONE;
		end = (char *)*p + 1;
	} else {
		if (!isdigit((unsigned char)**p))
			return -EINVAL;
		errno = 0;
		n = strtoull(*p, &end, 10);
		if (errno || n > max)
			return -EINVAL;
		*v = (long long)n;
	}
	if (*end != sep)
		return -EINVAL;
	*p = end + 1;
	return 0;
}

int fault_counters_parse(const char *line, struct fault_counters *c)
{
	struct fault_counters out;
	long long *v[] = { &out.watchdog, &out.chip_resets, &out.boost, &out.input,
			   &out.thermal_shutdown, &out.safety_timer, &out.battery_ovp,
			   &out.config_overwritten };
	const size_t count = sizeof(v) / sizeof(v[0]);
	const char *p = line;
	unsigned long long n;
	char *end;
	size_t i;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	n = strtoull(p, &end, 10);
	if (errno || !n || *end != ' ')
		return -EINVAL;
	out.ino = n;
	p = end + 1;
	out.config_overwritten = PSY_NONE;
	for (i = 0; i < count; i++) {
		/* an older chargerd's line ends before CONFIG_OVERWRITTEN */
		bool older = i + 2 == count && !counter_parse(&p, '\n', LLONG_MAX, v[i]);

		if (older)
			break;
		if (counter_parse(&p, i + 1 < count ? ' ' : '\n', LLONG_MAX, v[i]))
			return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	*c = out;
	return 0;
}

enum fault fault_next(uint32_t mask, int from)
{
	int f;

	for (f = from < 0 ? 0 : from; f < FAULT__COUNT; f++)
		if (mask & FAULT_BIT(f))
			return f;
	return FAULT__COUNT;
}

void faults_join(uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;
	int f;

	if (!len)
		return;
	buf[0] = '\0';
	for_each_fault(f, mask) {
		int w = snprintf(buf + n, len - n, "%s%s", n ? "," : "", fault_code(f));

		if (w < 0 || (size_t)w >= len - n)
			break;	/* cut at a whole code */
		n += w;
	}
	buf[n] = '\0';
}

void faults_state_format(uint32_t active, int last, char *line, size_t len)
{
	snprintf(line, len, "%" PRIu32 " %s\n", active,
		 last >= 0 && last < FAULT__COUNT ? fault_code(last) : "-");
}

int faults_state_parse(const char *line, uint32_t *active, int *last)
{
	char code[FAULTS_STATE_LINE_MAX];
	unsigned long long mask;
	const char *sp, *nl;
	char *end;
	size_t n;
	int f;

	if (!isdigit((unsigned char)line[0]))
		return -EINVAL;
	errno = 0;
	mask = strtoull(line, &end, 10);
	if (errno || *end != ' ' || mask >> FAULT__COUNT)
		return -EINVAL;
	sp = end + 1;
	nl = strchr(sp, '\n');
	n = nl ? (size_t)(nl - sp) : strlen(sp);
	if (!n || n >= sizeof(code) || (nl && nl[1]))
		return -EINVAL;
	memcpy(code, sp, n);
	code[n] = '\0';
	f = strcmp(code, "-") ? fault_from_code(code) : FAULT__COUNT;
	if (f < 0)
		return -EINVAL;
	*active = (uint32_t)mask;
	*last = f;
	return 0;
}
