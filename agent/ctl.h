/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chargerctl's parts: chargerctl.c (the verbs and main), ctl_bus.c (the
 * bus, chargerd's properties and sessions as JSON, errors to exit codes)
 * and ctl_monitor.c (monitor: chargerd's signals as they come).
 */
#ifndef CHARGERD_CTL_H
#define CHARGERD_CTL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "cleanup.h"
#include "ctl_text.h"	/* jnum(), jstr() */

#define JSON_PRETTY	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
			 JSON_C_TO_STRING_NOSLASHESCAPE)

#define BUS_NAME	"org.chargerd.Charger1"
#define BUS_PATH	"/org/chargerd/Charger1"
#define BUS_IFACE	"org.chargerd.Charger1"

enum { EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_NOT_RUNNING, EXIT_DENIED };

extern bool json_out;		/* --json: JSON lines instead of text */

static inline void json_putp(struct json_object **o)
{
	json_object_put(*o);
}

/* ctl_bus.c */
int fail(int r, const sd_bus_error *e, const char *what);	/* prints; an exit code */
int connect_bus(sd_bus **bus);
int properties_json(sd_bus_message *m, struct json_object *o);
int invalidated_json(sd_bus_message *m, struct json_object *o);
int get_all(sd_bus *bus, struct json_object **out);
struct json_object *session_json(sd_bus_message *m);
void print_json(struct json_object *o);

/* ctl_monitor.c */
int cmd_monitor(sd_bus *bus);

#endif
