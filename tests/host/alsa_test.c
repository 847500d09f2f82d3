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
	if (!strcmp(state, "closed"))
		fprintf(f, "closed\n");
	else
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

/* Open but not running is told from closed: it decides whether to poll. */
TEST(open_closed_running)
{
	char root[] = "/tmp/chargerd-asound-XXXXXX", cmd[64];

	ASSERT_NE(NULL, mkdtemp(root));
	EXPECT_EQ(ALSA_PLAYBACK_CLOSED, alsa_playback_state(root));
	put(root, "card0/pcm0p/sub0", "closed");
	put(root, "card0/pcm0c/sub0", "RUNNING");	/* capture: not playback */
	EXPECT_EQ(ALSA_PLAYBACK_CLOSED, alsa_playback_state(root));
	put(root, "card0/pcm1p/sub0", "PREPARED");
	EXPECT_EQ(ALSA_PLAYBACK_OPEN, alsa_playback_state(root));
	put(root, "card1/pcm0p/sub3", "DRAINING");
	EXPECT_EQ(ALSA_PLAYBACK_OPEN, alsa_playback_state(root));
	put(root, "card1/pcm0p/sub2", "RUNNING");
	EXPECT_EQ(ALSA_PLAYBACK_RUNNING, alsa_playback_state(root));
	put(root, "card1/pcm0p/sub2", "closed");
	put(root, "card1/pcm0p/sub3", "closed");
	put(root, "card0/pcm1p/sub0", "closed");
	EXPECT_EQ(ALSA_PLAYBACK_CLOSED, alsa_playback_state(root));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	EXPECT_EQ(0, system(cmd));
}

/* Only playback PCM nodes of /dev/snd wake a look; nothing else parses as one. */
TEST(playback_nodes)
{
	EXPECT_TRUE(alsa_playback_node("pcmC0D0p"));
	EXPECT_TRUE(alsa_playback_node("pcmC12D31p"));
	EXPECT_FALSE(alsa_playback_node("pcmC0D0c"));	/* capture */
	EXPECT_FALSE(alsa_playback_node("controlC0"));
	EXPECT_FALSE(alsa_playback_node("timer"));
	EXPECT_FALSE(alsa_playback_node("seq"));
	EXPECT_FALSE(alsa_playback_node("by-path"));
	EXPECT_FALSE(alsa_playback_node("pcmC0D0p~"));
	EXPECT_FALSE(alsa_playback_node("pcmC0D0pp"));
	EXPECT_FALSE(alsa_playback_node("pcmCD0p"));
	EXPECT_FALSE(alsa_playback_node("pcmC0Dp"));
	EXPECT_FALSE(alsa_playback_node("pcmC-1D0p"));
	EXPECT_FALSE(alsa_playback_node("pcmC+1D0p"));
	EXPECT_FALSE(alsa_playback_node("pcmC 1D0p"));
	EXPECT_FALSE(alsa_playback_node("pcmC0D 0p"));
	EXPECT_FALSE(alsa_playback_node(""));
	EXPECT_FALSE(alsa_playback_node("pcm"));
}

TEST_HARNESS_MAIN
