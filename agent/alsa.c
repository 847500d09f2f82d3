// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "alsa.h"

/* One substream's status file: closed, open, or running. */
static enum alsa_playback substream_state(const char *path)
{
	enum alsa_playback st = ALSA_PLAYBACK_CLOSED;
	char line[128];
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return ALSA_PLAYBACK_CLOSED;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "state:", 6)) {
			st = strstr(line + 6, "RUNNING") ? ALSA_PLAYBACK_RUNNING :
							   ALSA_PLAYBACK_OPEN;
			break;
		}
	}
	fclose(f);
	return st;
}

enum alsa_playback alsa_playback_state(const char *root)
{
	enum alsa_playback st = ALSA_PLAYBACK_CLOSED, one;
	char pattern[256];
	glob_t g;
	size_t i;

	snprintf(pattern, sizeof(pattern), "%s/card*/pcm*p/sub*/status", root);
	if (glob(pattern, GLOB_NOSORT, NULL, &g))
		return ALSA_PLAYBACK_CLOSED;
	for (i = 0; i < g.gl_pathc && st != ALSA_PLAYBACK_RUNNING; i++) {
		one = substream_state(g.gl_pathv[i]);
		if (one > st)
			st = one;
	}
	globfree(&g);
	return st;
}

bool alsa_playing(const char *root)
{
	return alsa_playback_state(root) == ALSA_PLAYBACK_RUNNING;
}

/* Past the decimal digits at s, or NULL if there are none. */
static const char *skip_digits(const char *s)
{
	const char *p = s;

	while (*p >= '0' && *p <= '9')
		p++;
	return p == s ? NULL : p;
}

bool alsa_playback_node(const char *name)
{
	const char *p;

	if (strncmp(name, "pcmC", 4))
		return false;
	p = skip_digits(name + 4);
	if (!p || *p != 'D')
		return false;
	p = skip_digits(p + 1);
	return p && p[0] == 'p' && !p[1];
}
