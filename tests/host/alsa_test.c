// SPDX-License-Identifier: GPL-2.0
/* "In use" from a fake /proc/asound: only a running playback substream counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../agent/alsa.h"

static void put(const char *root, const char *dir, const char *state)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "mkdir -p %s/%s", root, dir);
	if (system(path))
		return;
	snprintf(path, sizeof(path), "%s/%s/status", root, dir);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "state: %s\nowner_pid   : 1234\n", state);
	fclose(f);
}

TEST(only_running_playback_counts)
{
	char root[] = "/tmp/chargerd-asound-XXXXXX", cmd[64];

	ASSERT_NE(NULL, mkdtemp(root));
	EXPECT_FALSE(alsa_playing(root));		/* no cards */
	EXPECT_FALSE(alsa_playing("/nonexistent"));
	put(root, "card0/pcm0p/sub0", "PREPARED");
	put(root, "card0/pcm0c/sub0", "RUNNING");	/* capture: not playback */
	put(root, "card1/pcm3p/sub1", "PAUSED");
	EXPECT_FALSE(alsa_playing(root));
	put(root, "card1/pcm3p/sub2", "RUNNING");
	EXPECT_TRUE(alsa_playing(root));
	put(root, "card1/pcm3p/sub2", "XRUN");
	EXPECT_FALSE(alsa_playing(root));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	EXPECT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
