// SPDX-License-Identifier: GPL-2.0
/*
 * chargerctl's side of the bus: connecting, chargerd's properties and
 * sessions as JSON, and a failed call as a message and an exit code.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "ctl.h"
#include "history.h"

static sd_bus *ctl_bus;	/* connect_bus()'s, for fail() to ask whether it is still open */

/*
 * The bus closed this connection: r or e (sd-bus names a local failure
 * after its errno) says so, and the connection is no longer open. The
 * second test keeps a reply of chargerd's that carries the same errno
 * name (a method's -EPIPE) from reading as the bus's.
 */
static bool bus_closed(int r, const sd_bus_error *e)
{
	int err = sd_bus_error_is_set(e) ? sd_bus_error_get_errno(e) : -r;

	if (err != ENOTCONN && err != ECONNRESET && err != EPIPE)
		return false;
	return !ctl_bus || sd_bus_is_open(ctl_bus) <= 0;
}

/* The user has no entry in the user database (getpwuid(3)'s "not found" errors). */
static bool user_unknown(void)
{
	errno = 0;
	if (getpwuid(getuid()))
		return false;
	return errno == 0 || errno == ENOENT || errno == ESRCH || errno == EBADF || errno == EPERM;
}

/*
 * A call went unanswered: whose fault? The bus itself answers GetId at
 * once unless it hangs; then it is the bus, else chargerd. Any answer
 * counts, an error too (a policy may refuse the call: the system bus's
 * refuses org.freedesktop.DBus.Peer), only silence does not.
 */
static bool bus_answers(void)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	if (!ctl_bus || sd_bus_is_open(ctl_bus) <= 0)
		return false;
	r = sd_bus_message_new_method_call(ctl_bus, &m, "org.freedesktop.DBus",
					   "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId");
	if (r < 0)
		return true;	/* not asked: chargerd's, as before */
	r = sd_bus_call(ctl_bus, m, 1000000, &e, NULL);
	return r >= 0 || (!sd_bus_error_has_names(&e, SD_BUS_ERROR_NO_REPLY, SD_BUS_ERROR_TIMEOUT) &&
			  sd_bus_is_open(ctl_bus) > 0);
}

/* A setter's D-Bus method (what fail() is given) as the command's words. */
static const char *setting_words(const char *what)
{
	static const char *const words[][2] = {
		{ "SetInUseMode", "setting the in-use mode" },
		{ "SetInUseThresholds", "setting the in-use thresholds" },
		{ "SetInUse", "holding charging while in use (chargerctl hold)" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(what, words[i][0]))
			return words[i][1];
	return what;
}

/* One message per failure, and the exit code that goes with it. */
int fail(int r, const sd_bus_error *e, const char *what)
{
	/*
	 * sd-bus's own timeout comes as Timeout (or a bare -ETIMEDOUT, for a
	 * call without an error to fill: AddMatch), the bus's as NoReply.
	 */
	if ((e && sd_bus_error_has_names(e, SD_BUS_ERROR_NO_REPLY, SD_BUS_ERROR_TIMEOUT)) ||
	    (!sd_bus_error_is_set(e) && r == -ETIMEDOUT)) {
		bool bus = !bus_answers();

		fprintf(stderr, "chargerctl: %s does not answer (%s); see: systemctl status %s\n",
			bus ? "the system bus" : "chargerd",
			sd_bus_error_is_set(e) ? e->message : strerror(-r),
			bus ? "dbus" : "chargerd");
		return EXIT_NOT_RUNNING;
	}
	if (e && sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN,
					SD_BUS_ERROR_NAME_HAS_NO_OWNER, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
		fprintf(stderr, "chargerctl: chargerd is not running (%s); see: systemctl status chargerd\n",
			e->message);
		return EXIT_NOT_RUNNING;
	}
	if (e && sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED)) {
		/*
		 * A setter refused by chargerd ("METHOD needs ...") or by the
		 * bus's policy (dbus-daemon's line for a developer, "Rejected
		 * send message, 2 matched rules; type=...": helper-86): said in
		 * the command's words, with who may. Anything else (another
		 * method, a security module's refusal) as the bus says it: the
		 * rule above would tell root that it needs root (helper-91).
		 */
		bool by_chargerd = e->message && strstr(e->message, " needs ");
		bool by_policy = e->message && !strncmp(e->message, "Rejected send message", 21);

		if (strcmp(setting_words(what), what) && (by_chargerd || by_policy))
			fprintf(stderr, "chargerctl: permission denied: %s needs %s (refused by %s)\n",
				setting_words(what), !strcmp(what, "SetInUse") ?
				"root, the chargerd group or the audio group" :
				"root or the chargerd group",
				by_chargerd ? "chargerd" : "the system bus's policy for org.chargerd.Charger1");
		else
			fprintf(stderr, "chargerctl: permission denied: %s: %s\n", setting_words(what),
				e->message ? e->message : "no reason given");
		return EXIT_DENIED;
	}
	/*
	 * No reply: the bus closed the connection. dbus-daemon does so, after
	 * the connect went through, to a uid it cannot look up (a
	 * container's or a service's user without a passwd entry).
	 */
	if (bus_closed(r, e)) {
		if (user_unknown())
			fprintf(stderr, "chargerctl: the system bus refused this user: uid %u "
				"has no entry in the user database (getent passwd %u)\n",
				(unsigned int)getuid(), (unsigned int)getuid());
		else
			fprintf(stderr, "chargerctl: the system bus closed the connection; "
				"see: systemctl status dbus\n");
		return EXIT_NOT_RUNNING;
	}
	if (e && sd_bus_error_has_name(e, SD_BUS_ERROR_INVALID_ARGS)) {
		fprintf(stderr, "chargerctl: %s\n", e->message);
		return EXIT_USAGE;
	}
	fprintf(stderr, "chargerctl: %s: %s\n", what,
		e && e->message ? e->message : strerror(-r));
	return EXIT_FAIL;
}

/*
 * The bus's handshake (AUTH, then Hello) within this long. sd-bus's own
 * limit for it is its default timeout, 90 s on Debian's systemd 252: a
 * dbus-daemon that takes the connection and never answers (hung, or
 * stopped) kept every command, and a held player's start, waiting for it.
 */
#define BUS_READY_TIMEOUT_USEC	(5 * 1000000ULL)

/*
 * Drive the handshake until the connection is up: 0, -ETIMEDOUT after
 * timeout_usec (CLOCK_BOOTTIME, clock.h), or sd-bus's error (the bus closed the
 * connection: -ENOTCONN, -ECONNRESET).
 */
static int bus_wait_ready(sd_bus *bus, uint64_t timeout_usec)
{
	uint64_t end = now_usec() + timeout_usec, t;
	int r;

	while ((r = sd_bus_is_ready(bus)) == 0) {
		r = sd_bus_process(bus, NULL);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		t = now_usec();
		if (t >= end)
			return -ETIMEDOUT;
		r = sd_bus_wait(bus, end - t);
		if (r < 0 && r != -EINTR)
			return r;
	}
	return r < 0 ? r : 0;
}

int connect_bus(sd_bus **bus)
{
	int r = sd_bus_default_system(bus);

	ctl_bus = r < 0 ? NULL : *bus;
	if (r < 0) {
		fprintf(stderr, "chargerctl: cannot reach the system bus: %s\n", strerror(-r));
		return EXIT_NOT_RUNNING;
	}
	r = bus_wait_ready(*bus, BUS_READY_TIMEOUT_USEC);
	if (r == -ETIMEDOUT) {
		fprintf(stderr, "chargerctl: the system bus does not answer (no handshake in %llu s); "
			"see: systemctl status dbus\n", BUS_READY_TIMEOUT_USEC / 1000000);
		/* closed, not flushed: a flush would wait for the handshake again */
		*bus = sd_bus_close_unref(*bus);
		ctl_bus = NULL;
		return EXIT_NOT_RUNNING;
	}
	/* any other failure (the bus closed the connection) is the first call's to tell */
	return EXIT_OK;
}

/* Read one basic or "as" variant into JSON; NULL if the type is unknown. */
static struct json_object *variant_json(sd_bus_message *m, const char *type)
{
	struct json_object *a;
	const char *s;
	int64_t x;
	uint64_t t;
	uint32_t u;
	int32_t i;
	int b;

	switch (type[0]) {
	case 's':
		return sd_bus_message_read(m, "s", &s) < 0 ? NULL : json_object_new_string(s);
	case 'b':
		return sd_bus_message_read(m, "b", &b) < 0 ? NULL : json_object_new_boolean(b);
	case 'i':
		return sd_bus_message_read(m, "i", &i) < 0 ? NULL : json_object_new_int(i);
	case 'u':
		return sd_bus_message_read(m, "u", &u) < 0 ? NULL : json_object_new_int64(u);
	case 'x':
		return sd_bus_message_read(m, "x", &x) < 0 ? NULL : json_object_new_int64(x);
	case 't':
		return sd_bus_message_read(m, "t", &t) < 0 ? NULL : json_object_new_uint64(t);
	case 'a':
		if (strcmp(type, "as"))
			return NULL;
		a = json_object_new_array();
		if (sd_bus_message_enter_container(m, 'a', "s") < 0)
			return a;
		while (sd_bus_message_read(m, "s", &s) > 0)
			json_object_array_add(a, json_object_new_string(s));
		sd_bus_message_exit_container(m);
		return a;
	}
	return NULL;
}

/* a{sv} -> a JSON object; the message is positioned at the array. */
int properties_json(sd_bus_message *m, struct json_object *o)
{
	const char *name, *type;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &name);
		if (r >= 0)
			r = sd_bus_message_peek_type(m, NULL, &type);
		if (r >= 0)
			r = sd_bus_message_enter_container(m, 'v', type);
		if (r >= 0) {
			struct json_object *v = variant_json(m, type);

			if (v)
				json_object_object_add(o, name, v);
			else
				sd_bus_message_skip(m, type);
			r = sd_bus_message_exit_container(m);
		}
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	return r;
}

/* How long monitor waits for a named property's value: then it is unknown. */
#define INVALIDATED_GET_USEC	(2 * 1000000ULL)

/*
 * The properties a PropertiesChanged signal names as invalidated (its
 * "as", where m is positioned), each read with Get into o; one that
 * cannot be read is null. Returns 0 or sd-bus's -errno for the signal.
 */
int invalidated_json(sd_bus_message *m, struct json_object *o)
{
	sd_bus *bus = sd_bus_message_get_bus(m);
	const char *name, *type;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "s");
	while (r >= 0 && (r = sd_bus_message_read(m, "s", &name)) > 0) {
		_cleanup_(sd_bus_message_unrefp) sd_bus_message *call = NULL, *reply = NULL;
		struct json_object *v = NULL;

		/* a chargerd that just sent the signal answers at once, or is hung */
		if (sd_bus_message_new_method_call(bus, &call, BUS_NAME, BUS_PATH,
						   "org.freedesktop.DBus.Properties", "Get") >= 0 &&
		    sd_bus_message_append(call, "ss", BUS_IFACE, name) >= 0 &&
		    sd_bus_call(bus, call, INVALIDATED_GET_USEC, NULL, &reply) >= 0 &&
		    sd_bus_message_peek_type(reply, NULL, &type) >= 0 &&
		    sd_bus_message_enter_container(reply, 'v', type) >= 0)
			v = variant_json(reply, type);
		json_object_object_add(o, name, v);
	}
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	return r;
}

int get_all(sd_bus *bus, struct json_object **out)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	int r;

	r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, "org.freedesktop.DBus.Properties",
			       "GetAll", &e, &reply, "s", BUS_IFACE);
	if (r < 0)
		return fail(r, &e, "reading the state");
	*out = json_object_new_object();
	r = properties_json(reply, *out);
	if (r < 0) {
		json_object_put(*out);
		return fail(r, NULL, "decoding the state");
	}
	return EXIT_OK;
}

/* One (txuuuuiiiasubsss) as JSON. */
struct json_object *session_json(sd_bus_message *m)
{
	static const char *const keys[] = { "id", "start", "duration_s", "energy_mwh", "charge_mah",
		"peak_ma", "start_capacity", "end_capacity", "max_temp_dc", "faults",
		"fault_events", "reached_full", "source", "usb_type", "end_reason" };
	static const char *const types[] = { "t", "x", "u", "u", "u", "u", "i", "i", "i", "as",
		"u", "b", "s", "s", "s" };
	struct json_object *o = json_object_new_object(), *v;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = variant_json(m, types[i]);
		if (!v) {
			json_object_put(o);
			return NULL;
		}
		/* energy, charge, peak: HISTORY_UNKNOWN is null, as in the report */
		if (i >= 3 && i <= 5 && json_object_get_int64(v) == HISTORY_UNKNOWN) {
			json_object_put(v);
			v = NULL;
		}
		json_object_object_add(o, keys[i], v);
	}
	return o;
}

void print_json(struct json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o, JSON_PRETTY));
}
