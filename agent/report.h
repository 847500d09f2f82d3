/* SPDX-License-Identifier: GPL-2.0 */
/* The support bundle (report.c), from what the manager published. */
#ifndef CHARGERD_REPORT_H
#define CHARGERD_REPORT_H

#include "history.h"
#include "published.h"

/* The report as a JSON text to free(); NULL if out of memory. */
char *report_json(const struct published *p);
struct json_object *session_json(const struct session_record *r);

#endif
