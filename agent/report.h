/* SPDX-License-Identifier: GPL-2.0 */
/* The support bundle (report.c), from what the manager published. */
#ifndef CHARGERD_REPORT_H
#define CHARGERD_REPORT_H

#include "history.h"
#include "published.h"

/* The report as a JSON text to free(); NULL if out of memory. */
char *report_json(const struct published *p);
/*
 * One record as the report's JSON object. start is null unless it is a
 * time (history_start_known(r, synced_now)); start_clock says why:
 * "synced", "unsynced" or "legacy" (history.h's enum start_clock).
 */
struct json_object *session_json(const struct session_record *r, bool synced_now);

#endif
