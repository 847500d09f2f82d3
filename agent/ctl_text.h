/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chargerctl's text for a person (ctl_text.c): status, from chargerd's
 * properties as JSON (org.chargerd.Charger1's names, as GetAll gives
 * them), and history, from its sessions (GetHistory's, by the keys
 * chargerctl --json history prints). Pure: no bus, so the host tests run
 * them on any set of values.
 */
#ifndef CHARGERD_CTL_TEXT_H
#define CHARGERD_CTL_TEXT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

/* The number at key, or -1 if there is none (the properties' "unknown"). */
long long jnum(struct json_object *o, const char *key);
/* The string at key, or "-" if there is none or it is empty. */
const char *jstr(struct json_object *o, const char *key);

/*
 * Writes the status, one "Name:  value" line per subject, to f. A value
 * chargerd publishes as unknown (-1 for the voltages, currents and limits,
 * INT32_MIN for the temperature, -1 for the capacity) shows as "unknown",
 * never as a number; a key that is absent counts as unknown. The charger's
 * values show only while on external power, but for input limits written
 * on the device for the next source; an input limit the charger does not
 * report is left out (the "Input:" line with it, if none is left).
 */
void status_text(FILE *f, struct json_object *props);

/*
 * Writes chargerctl history's table to f: a header, then one line per
 * session of the array sessions (newest first, as GetHistory gives them),
 * or "No charge sessions yet." for none. A capacity chargerd did not know
 * (-1) shows as "?". A start is the device's local time, or "clock not
 * set" where GetHistory gives 0: chargerd gives a start only if it was
 * stamped (or re-dated) by a synchronised clock (history.h's enum
 * start_clock); a device without an RTC counts from 1970 or its image's
 * date until then.
 */
void history_text(FILE *f, struct json_object *sessions);

/*
 * Writes one changed property as "Key=value" (monitor's text), the value
 * as JSON, or "unknown" for the value chargerd publishes as such (as
 * status_text() reads them).
 */
void property_text(FILE *f, const char *key, struct json_object *val);

#endif
