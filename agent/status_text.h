/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chargerctl status as text for a person (status_text.c), from chargerd's
 * properties as JSON (org.chargerd.Charger1's names, as GetAll gives them).
 * Pure: no bus, so the host tests run it on any set of values.
 */
#ifndef CHARGERD_STATUS_TEXT_H
#define CHARGERD_STATUS_TEXT_H

#include <json-c/json.h>
#include <stdio.h>

/* The number at key, or -1 if there is none (the properties' "unknown"). */
long long jnum(struct json_object *o, const char *key);
/* The string at key, or "-" if there is none or it is empty. */
const char *jstr(struct json_object *o, const char *key);

/*
 * Writes the status, one "Name:  value" line per subject, to f. A value
 * chargerd publishes as unknown (-1 for the voltages, currents and limits,
 * INT32_MIN for the temperature, -1 for the capacity) shows as "unknown",
 * never as a number; a key that is absent counts as unknown.
 */
void status_text(FILE *f, struct json_object *props);

#endif
