/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "In use" in auto mode: is any ALSA playback substream running? The
 * truth is /proc/asound/card*\/pcm*p/sub*\/status: "closed" while the
 * substream is not open, else "state: NAME" (sound/core/pcm.c, the
 * substream's proc status). Which playback device node is opened or
 * closed, and so when to look, comes from inotify on /dev/snd
 * (pcm_watch.c): these are the pure parts, host-tested.
 */
#ifndef CHARGERD_ALSA_H
#define CHARGERD_ALSA_H

#include <stdbool.h>

enum alsa_playback {
	ALSA_PLAYBACK_CLOSED,	/* no playback substream open (or no card) */
	ALSA_PLAYBACK_OPEN,	/* one is open, none RUNNING */
	ALSA_PLAYBACK_RUNNING,	/* one is RUNNING: the device is in use */
};

/*
 * The playback substreams' state, from root ("/proc/asound"; tests pass
 * a fake tree). A status file that cannot be read counts as closed; a
 * state other than RUNNING (PREPARED, PAUSED, XRUN, DRAINING...) as open.
 */
enum alsa_playback alsa_playback_state(const char *root);

/* True if any playback substream is RUNNING (alsa_playback_state()). */
bool alsa_playing(const char *root);

/*
 * True if name (an entry of /dev/snd) is a playback PCM node: "pcmC<card>
 * D<device>p", as sound/core/pcm.c names them. Capture ("...c"), control,
 * timer and sequencer nodes are not: their opening says nothing of
 * playback.
 */
bool alsa_playback_node(const char *name);

#endif
