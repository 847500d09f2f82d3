/* SPDX-License-Identifier: GPL-2.0 */
/*
 * systemd's cleanup idiom: _cleanup_(fn) runs fn(&var) when var goes out
 * of scope. With libsystemd's own (sd_bus_message_unrefp,
 * sd_bus_error_free, sd_event_unrefp, ...) and these.
 */
#ifndef CHARGERD_CLEANUP_H
#define CHARGERD_CLEANUP_H

#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f)	__attribute__((cleanup(f)))

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#endif
