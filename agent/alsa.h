/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "In use" in auto mode: is any ALSA playback substream running? Read from
 * /proc/asound/card*\/pcm*p/sub*\/status ("state: RUNNING"). chargerd asks
 * only while on external power, so it costs no wakeup on battery.
 */
#ifndef CHARGERD_ALSA_H
#define CHARGERD_ALSA_H

#include <stdbool.h>

/* root: "/proc/asound" (tests pass a fake tree). */
bool alsa_playing(const char *root);

#endif
