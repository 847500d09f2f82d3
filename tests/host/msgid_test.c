// SPDX-License-Identifier: GPL-2.0
/*
 * The journal's MESSAGE_IDs exist once in code (agent/msgid.h) and once in
 * the catalog (agent/chargerd.catalog), and the two say the same: every
 * ID is a random version-4 id128 (what `systemd-id128 new` makes), no two
 * kinds share one, every ID in the header has a catalog entry and a
 * record in the agent's code, every catalog entry has an ID in the
 * header, and the IDs README.md shows are real ones. Run from the top of
 * the repository.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#define MAX_IDS	64

struct mid {
	char name[48];
	char id[33];
};

static struct mid mids[MAX_IDS];
static int nmids;

/* The whole of a file as a string to free(), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static bool is_id(const char *s)
{
	int i;

	for (i = 0; i < 32; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return !isxdigit((unsigned char)s[32]);
}

static const struct mid *find_id(const char *id)
{
	int i;

	for (i = 0; i < nmids; i++)
		if (!strncmp(mids[i].id, id, 32))
			return &mids[i];
	return NULL;
}

/* The #define MID_NAME "id" lines of msgid.h; -1 on a malformed one. */
static int load_header(void)
{
	char line[256], name[48], id[64];
	FILE *f = fopen("agent/msgid.h", "r");
	int bad = 0;

	if (!f)
		return -1;
	nmids = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "#define MID_", 12))
			continue;
		if (sscanf(line, "#define %47s \"%63[^\"]\"", name, id) != 2 ||
		    strlen(id) != 32 || !is_id(id) || nmids == MAX_IDS) {
			bad = 1;
			continue;
		}
		strcpy(mids[nmids].name, name);
		strcpy(mids[nmids].id, id);
		nmids++;
	}
	fclose(f);
	return bad ? -1 : 0;
}

FIXTURE(msgid) {
	char *catalog;
};

FIXTURE_SETUP(msgid)
{
	ASSERT_EQ(0, load_header());
	ASSERT_LT(20, nmids);
	self->catalog = slurp("agent/chargerd.catalog");
	ASSERT_NE(NULL, self->catalog);
}

FIXTURE_TEARDOWN(msgid)
{
	free(self->catalog);
}

/* Version 4 (random), variant 1: what systemd-id128 new makes; no two alike. */
TEST_F(msgid, every_id_is_random_and_unique)
{
	int i, j;

	for (i = 0; i < nmids; i++) {
		const char *id = mids[i].id;

		EXPECT_EQ('4', id[12]) {
			TH_LOG("%s: not a version-4 id128", mids[i].name);
		}
		EXPECT_NE(NULL, strchr("89ab", id[16])) {
			TH_LOG("%s: not an RFC 4122 variant", mids[i].name);
		}
		for (j = 0; j < i; j++)
			EXPECT_STRNE(mids[j].id, id) {
				TH_LOG("%s and %s share an id", mids[j].name, mids[i].name);
			}
	}
}

/* "-- ID" opens each catalog entry: the same set as the header's. */
TEST_F(msgid, catalog_and_header_list_the_same_ids)
{
	int entries = 0, i;
	const char *p;

	for (p = self->catalog; (p = strstr(p, "\n-- ")); p += 4) {
		entries++;
		EXPECT_TRUE(is_id(p + 4) && find_id(p + 4)) {
			TH_LOG("catalog entry '%.32s' has no MESSAGE_ID in agent/msgid.h", p + 4);
		}
	}
	for (i = 0; i < nmids; i++) {
		char key[40];

		snprintf(key, sizeof(key), "\n-- %s\n", mids[i].id);
		EXPECT_NE(NULL, strstr(self->catalog, key)) {
			TH_LOG("%s has no catalog entry", mids[i].name);
		}
	}
	EXPECT_EQ(nmids, entries);
}

/* Each MID_ name is used by the agent's code (a record exists for it). */
TEST_F(msgid, every_id_has_a_record_in_the_code)
{
	char *code[64] = { NULL };
	struct dirent *de;
	int n = 0, i, j;
	DIR *dir;

	dir = opendir("agent");
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		char path[300];

		if (len < 3 || strcmp(de->d_name + len - 2, ".c"))
			continue;
		/* every file is read: a bound met would hide the rest */
		ASSERT_GT(sizeof(code) / sizeof(code[0]), n);
		snprintf(path, sizeof(path), "agent/%s", de->d_name);
		code[n] = slurp(path);
		ASSERT_NE(NULL, code[n]);
		n++;
	}
	closedir(dir);
	ASSERT_LT(5, n);
	for (i = 0; i < nmids; i++) {
		bool used = false;

		for (j = 0; j < n && !used; j++) {
			const char *p = code[j];
			size_t len = strlen(mids[i].name);

			/* the whole name, not a prefix of a longer one */
			while (!used && (p = strstr(p, mids[i].name))) {
				used = !isalnum((unsigned char)p[len]) && p[len] != '_';
				p += len;
			}
		}
		EXPECT_TRUE(used) {
			TH_LOG("%s is in agent/msgid.h but no record uses it", mids[i].name);
		}
	}
	for (j = 0; j < n; j++)
		free(code[j]);
}

/* Every 32-hex-digit id the READMEs show is one of ours. */
TEST_F(msgid, readmes_show_only_real_ids)
{
	static const char * const files[] = { "README.md", "agent/README.md" };
	unsigned int f, shown = 0;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char *text = slurp(files[f]);
		const char *p;

		ASSERT_NE(NULL, text);
		for (p = text; *p; p++) {
			if ((p > text && isxdigit((unsigned char)p[-1])) || !is_id(p))
				continue;
			shown++;
			EXPECT_NE(NULL, find_id(p)) {
				TH_LOG("%s shows %.32s, which is no MESSAGE_ID of ours", files[f], p);
			}
			p += 31;
		}
		free(text);
	}
	EXPECT_LT(0, shown);
}

TEST_HARNESS_MAIN
