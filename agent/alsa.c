// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "alsa.h"

bool alsa_playing(const char *root)
{
	char pattern[256], line[128];
	bool running = false;
	glob_t g;
	size_t i;
	FILE *f;

	snprintf(pattern, sizeof(pattern), "%s/card*/pcm*p/sub*/status", root);
	if (glob(pattern, GLOB_NOSORT, NULL, &g))
		return false;
	for (i = 0; i < g.gl_pathc && !running; i++) {
		f = fopen(g.gl_pathv[i], "re");
		if (!f)
			continue;
		while (!running && fgets(line, sizeof(line), f))
			running = !strncmp(line, "state: RUNNING", 14);
		fclose(f);
	}
	globfree(&g);
	return running;
}
