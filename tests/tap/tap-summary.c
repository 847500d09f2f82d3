// SPDX-License-Identifier: GPL-2.0
/*
 * tap-summary FILE...: gather the TAP of every suite in FILEs, name each
 * failure and skip, and end with the line "N passed, N failed[, N skipped]".
 * Exits 0 only when something passed and nothing failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

int main(int argc, char **argv)
{
	struct tap_parser p;
	char *line = NULL;
	size_t cap = 0;
	int i;

	tap_init(&p, stdout);
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		char *copy = strdup(argv[i]);

		if (!f || !copy) {
			fprintf(stderr, "tap-summary: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		tap_begin_file(&p, basename(copy));
		while (getline(&line, &cap, f) >= 0)
			tap_line(&p, line);
		tap_end_file(&p);
		fclose(f);
		free(copy);
	}
	free(line);
	tap_summary(&p, stdout);
	return tap_exit_status(&p);
}
