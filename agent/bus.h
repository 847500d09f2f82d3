/* SPDX-License-Identifier: GPL-2.0 */
/*
 * org.chargerd.Charger1 on the system bus (bus.c): a vtable over what the
 * manager published (published.h), and its signals.
 */
#ifndef CHARGERD_BUS_H
#define CHARGERD_BUS_H

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "diagnosis.h"
#include "faults.h"
#include "history.h"
#include "published.h"

#define BUS_NAME		"org.chargerd.Charger1"
#define BUS_PATH		"/org/chargerd/Charger1"
#define BUS_IFACE		"org.chargerd.Charger1"

struct bus {
	sd_bus *bus;			/* NULL while D-Bus is unavailable */
	struct published *pub;		/* the manager's; read only */
	struct public_state sent;	/* the properties as last announced */
};

/*
 * Connect, publish the object and take the name, then adopt the in-use
 * holds a chargerd before this one kept in rundirfd (the runtime
 * directory, -1 for none: then holds are neither kept nor adopted); 0 or
 * -errno (then b->bus is NULL): -EEXIST, the name has another owner
 * (another chargerd runs).
 */
int bus_setup(struct bus *b, sd_event *ev, struct published *pub, int rundirfd);
void bus_done(struct bus *b);
void bus_publish(struct bus *b);	/* PropertiesChanged for what changed */
void bus_fault_raised(struct bus *b, enum fault f, bool transient);
void bus_fault_cleared(struct bus *b, enum fault f);
void bus_session_ended(struct bus *b, const struct session_record *r);
void bus_diagnosis(struct bus *b, const struct diagnosis *g);

#endif
