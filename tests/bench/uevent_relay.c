// SPDX-License-Identifier: GPL-2.0
/*
 * uevent_relay: the floor under make bench's latency figures. The least a
 * program can do between the kernel's uevent and the two things the bench
 * times: it takes the charger's uevents from a plain NETLINK_KOBJECT_UEVENT
 * socket, and when POWER_SUPPLY_HEALTH enters or leaves "Overheat" (the
 * thermal shutdown the bench injects) it emits chargerd's FaultRaised or
 * FaultCleared signal, then sends a journal record with chargerd's
 * MESSAGE_ID and CHARGER_FAULT. It reads no sysfs file, decides nothing
 * and keeps no state but the last health. Whatever chargerd's latency has
 * above this relay's, in the same run, is chargerd's own work; what both
 * have is the path: the kernel, dbus-daemon, journald, the bench and the
 * scheduler of the machine they share.
 *
 * Run by agent_bench floor as a transient unit (uevent-relay.service), as
 * the chargerd user, with chargerd stopped: it owns chargerd's bus name,
 * which the bench's match names as the signals' sender.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-journal.h>

#define BENCH_NAME	"uevent_relay"
#include "bench.h"
#include "../../agent/msgid.h"

#define PSY		"bq25895-charger"
#define FAULT		"thermal-shutdown"
#define BUS_PATH	"/org/chargerd/Charger1"
#define BUS_IFACE	"org.chargerd.Charger1"

int main(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	bool overheat = false;
	sd_bus *bus = NULL;
	char buf[8192];
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		fail("uevent socket: %s", strerror(errno));
	must(sd_bus_open_system(&bus) < 0, "connect to the system bus");
	must(sd_bus_request_name(bus, BUS_IFACE, 0) < 0, "own " BUS_IFACE " (as chargerd?)");
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
		bool hot;
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("recv: %s", strerror(errno));
		buf[n] = '\0';
		hot = uevent_has(buf, n, "POWER_SUPPLY_HEALTH=Overheat");
		if (!uevent_has(buf, n, "POWER_SUPPLY_NAME=" PSY) || hot == overheat)
			continue;
		overheat = hot;
		if (hot)
			r = sd_bus_emit_signal(bus, BUS_PATH, BUS_IFACE, "FaultRaised", "sstb",
					       FAULT, "relay", (uint64_t)0, 0);
		else
			r = sd_bus_emit_signal(bus, BUS_PATH, BUS_IFACE, "FaultCleared", "st",
					       FAULT, (uint64_t)0);
		if (r < 0 || sd_bus_flush(bus) < 0)
			fail("emit the signal: %s", strerror(r < 0 ? -r : EIO));
		r = sd_journal_send("MESSAGE=relay: fault %s", hot ? "raised" : "cleared",
				    "MESSAGE_ID=%s", hot ? MID_FAULT_RAISED : MID_FAULT_CLEARED,
				    "CHARGER_FAULT=" FAULT, NULL);
		if (r < 0)
			fail("send the record: %s", strerror(-r));
	}
}
