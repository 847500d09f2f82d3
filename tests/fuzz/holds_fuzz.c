// SPDX-License-Identifier: GPL-2.0
/*
 * The in-use holds' file (agent/holds.c) against any bytes, as a damaged
 * /run/chargerd/holds would give them: what parses is a set of valid
 * holds (unique names, each once; a printable who), no more than asked,
 * and it writes back into a file that reads back the same.
 */
#include "../../agent/holds.h"
#include "fuzz.h"

#define BUS	"0123456789abcdef0123456789abcdef"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[1 << 16], again[HOLDS_TEXT_MAX];
	struct hold_record r[IN_USE_HOLDS_MAX], back[IN_USE_HOLDS_MAX];
	size_t n, m, i, j, max;
	int len;

	if (size < 1 || size >= sizeof(text))
		return 0;
	/* the first byte: how many the caller has room for */
	max = data[0] % (IN_USE_HOLDS_MAX + 1);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	n = holds_parse(text, BUS, r, max);
	CHECK(n <= max);
	for (i = 0; i < n; i++) {
		CHECK(hold_name_valid(r[i].name));
		CHECK(r[i].who[0] && memchr(r[i].who, '\0', sizeof(r[i].who)));
		for (j = 0; r[i].who[j]; j++)
			CHECK(r[i].who[j] >= ' ' && r[i].who[j] <= '~');
		for (j = 0; j < i; j++)
			CHECK(strcmp(r[i].name, r[j].name));
	}
	len = holds_format(BUS, r, n, again, sizeof(again));
	CHECK(len >= 0 && (size_t)len == strlen(again));
	m = holds_parse(again, BUS, back, IN_USE_HOLDS_MAX);
	CHECK(m == n);
	for (i = 0; i < n; i++) {
		CHECK(!strcmp(r[i].name, back[i].name) && r[i].uid == back[i].uid);
		CHECK(!strcmp(r[i].who, back[i].who));
	}
	return 0;
}
