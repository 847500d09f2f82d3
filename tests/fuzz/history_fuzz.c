// SPDX-License-Identifier: GPL-2.0
/*
 * The history-record decoder against any line, torn or forged: it accepts
 * a record only if encoding it again gives the same line, byte for byte.
 */
#include "../../agent/history.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session_record r, again;
	char line[1024];
	int n;

	if (history_decode((const char *)data, size, &r))
		return 0;
	CHECK(memchr(r.source, '\0', sizeof(r.source)));
	CHECK(memchr(r.usb_type, '\0', sizeof(r.usb_type)));
	CHECK(memchr(r.end_reason, '\0', sizeof(r.end_reason)));
	n = history_encode(&r, line, sizeof(line));
	CHECK(n > 0 && line[n - 1] == '\n');
	/* the same line, with or without its newline */
	CHECK((size_t)n == size || (size_t)n == size + 1);
	CHECK(!memcmp(line, data, size < (size_t)n ? size : (size_t)n));
	CHECK(!history_decode(line, n, &again));
	CHECK(again.id == r.id && again.start == r.start && again.start_clock == r.start_clock &&
	      again.duration_s == r.duration_s &&
	      again.faults == r.faults && !strcmp(again.end_reason, r.end_reason));
	return 0;
}
