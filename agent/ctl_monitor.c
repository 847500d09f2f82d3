// SPDX-License-Identifier: GPL-2.0
/* chargerctl monitor: chargerd's signals and property changes as they come. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "history.h"

static volatile sig_atomic_t stop;

/* The properties in props on one line, as a change of them all (text mode). */
static void print_properties(struct json_object *props)
{
	json_object_object_foreach(props, key, val) {
		property_text(stdout, key, val);
		putchar(' ');
	}
	printf("\n");
}

static int on_signal(sd_bus_message *m, void *data,
		     sd_bus_error *err)
{
	const char *member = sd_bus_message_get_member(m), *code, *text, *reason, *sev, *fix;
	struct json_object *o = json_object_new_object(), *props;
	uint32_t dur, mwh, mah;
	uint64_t session;
	int transient;

	json_object_object_add(o, "signal", json_object_new_string(member));
	if (!strcmp(member, "FaultRaised") &&
	    sd_bus_message_read(m, "sstb", &code, &text, &session, &transient) >= 0) {
		json_object_object_add(o, "code", json_object_new_string(code));
		json_object_object_add(o, "message", json_object_new_string(text));
		json_object_object_add(o, "session", json_object_new_uint64(session));
		json_object_object_add(o, "transient", json_object_new_boolean(transient));
		if (!json_out)
			printf("fault %s%s: %s\n", code, transient ? " (came and went)" : "", text);
	} else if (!strcmp(member, "Diagnosis") &&
		   sd_bus_message_read(m, "sssss", &code, &reason, &text, &sev, &fix) >= 0) {
		json_object_object_add(o, "code", json_object_new_string(code));
		json_object_object_add(o, "severity", json_object_new_string(reason));
		json_object_object_add(o, "summary", json_object_new_string(text));
		json_object_object_add(o, "evidence", json_object_new_string(sev));
		json_object_object_add(o, "fix", json_object_new_string(fix));
		if (!json_out)
			printf("diagnosis %s (%s): %s (%s)\n", code, reason, text, sev);
	} else if (!strcmp(member, "FaultCleared") &&
		   sd_bus_message_read(m, "st", &code, &session) >= 0) {
		json_object_object_add(o, "code", json_object_new_string(code));
		json_object_object_add(o, "session", json_object_new_uint64(session));
		if (!json_out)
			printf("fault %s cleared\n", code);
	} else if (!strcmp(member, "SessionEnded") &&
		   sd_bus_message_read(m, "tsuuu", &session, &reason, &dur, &mwh, &mah) >= 0) {
		json_object_object_add(o, "id", json_object_new_uint64(session));
		json_object_object_add(o, "end_reason", json_object_new_string(reason));
		json_object_object_add(o, "duration_s", json_object_new_int64(dur));
		/* HISTORY_UNKNOWN: never measured */
		json_object_object_add(o, "energy_mwh", mwh == HISTORY_UNKNOWN ? NULL :
				       json_object_new_int64(mwh));
		json_object_object_add(o, "charge_mah", mah == HISTORY_UNKNOWN ? NULL :
				       json_object_new_int64(mah));
		if (!json_out) {
			char e[16] = "?", c[16] = "?";

			if (mwh != HISTORY_UNKNOWN)
				snprintf(e, sizeof(e), "%u", mwh);
			if (mah != HISTORY_UNKNOWN)
				snprintf(c, sizeof(c), "%u", mah);
			printf("session %llu ended (%s): %u s, %s mWh, %s mAh\n",
			       (unsigned long long)session, reason, dur, e, c);
		}
	} else if (!strcmp(member, "PropertiesChanged") &&
		   sd_bus_message_skip(m, "s") >= 0) {
		props = json_object_new_object();
		/* the values, then those only named (InUseHeldBy): read now */
		if (properties_json(m, props) >= 0)
			invalidated_json(m, props);
		json_object_object_add(o, "changed", props);
		if (!json_out && json_object_object_length(props))
			print_properties(props);
	}
	if (json_out)
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	fflush(stdout);
	return 0;
}

/*
 * chargerd's bus name changing hands: it stopped (crashed, killed, a
 * restart's first half) or started. Said, and at a start its state
 * whole, read again: nothing it sent while away is known, and a failed
 * unit would have looked like a quiet one (helper-84).
 */
static int on_owner(sd_bus_message *m, void *data, sd_bus_error *err)
{
	const char *name, *old_owner, *new_owner;
	struct json_object *o, *props = NULL;
	bool up;

	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 ||
	    strcmp(name, BUS_NAME))
		return 0;
	up = new_owner[0] != '\0';
	o = json_object_new_object();
	json_object_object_add(o, "signal", json_object_new_string(up ? "Started" : "Stopped"));
	if (up && get_all(sd_bus_message_get_bus(m), &props) == EXIT_OK)
		json_object_object_add(o, "state", json_object_get(props));
	if (json_out) {
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	} else {
		printf("chargerd %s\n", up ? "started" : "stopped");
		if (props)
			print_properties(props);
	}
	json_object_put(props);
	json_object_put(o);
	fflush(stdout);
	return 0;
}

static void on_term(int sig)
{
	stop = 1;
}

int cmd_monitor(sd_bus *bus)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	struct sigaction sa = { .sa_handler = on_term };
	int r;

	r = sd_bus_match_signal(bus, NULL, BUS_NAME, BUS_PATH, BUS_IFACE, NULL, on_signal, NULL);
	if (r >= 0)
		r = sd_bus_match_signal(bus, NULL, BUS_NAME, BUS_PATH,
					"org.freedesktop.DBus.Properties", "PropertiesChanged",
					on_signal, NULL);
	if (r >= 0)
		r = sd_bus_add_match(bus, NULL,
				     "type='signal',sender='org.freedesktop.DBus',"
				     "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
				     "member='NameOwnerChanged',arg0='" BUS_NAME "'",
				     on_owner, NULL);
	if (r < 0)
		return fail(r, NULL, "subscribing to chargerd's signals");
	/* a dead daemon should say so now, not after the first missing signal */
	r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, "org.freedesktop.DBus.Peer", "Ping",
			       &e, NULL, "");
	if (r < 0)
		return fail(r, &e, "Ping");
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!json_out)
		printf("Following chargerd (Ctrl-C to stop).\n");
	fflush(stdout);
	while (!stop) {
		r = sd_bus_process(bus, NULL);
		if (r < 0)
			return fail(r, NULL, "following chargerd");
		/* sd-bus's -errno (errno may say "Success") */
		if (r == 0 && (r = sd_bus_wait(bus, UINT64_MAX)) < 0 && !stop)
			return fail(r, NULL, "following chargerd");
	}
	return EXIT_OK;
}
