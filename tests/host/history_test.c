// SPDX-License-Identifier: GPL-2.0
/*
 * The session history: the line codec against every corruption and
 * truncation of a line, and the log and the checkpoint against torn writes,
 * garbage, stale temporary files, failed writes and the bound.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "kselftest_harness.h"
#include "../../agent/history.h"

#define LOG_TMP		HISTORY_LOG ".tmp"
#define CURRENT_TMP	HISTORY_CURRENT ".tmp"

/* A plausible record whose every field depends on id. */
static struct session_record rec(uint64_t id)
{
	struct session_record r = {
		.id = id,
		.start = 1764000000 + (int64_t)id * 7200,
		.start_clock = (enum start_clock)(id % 3),	/* all three, in turn */
		.duration_s = 3600 + id,
		.energy_mwh = 5200 + id,
		.charge_mah = 1400 + id,
		.peak_ma = 1500 + id,
		.start_capacity = id % 100,
		.end_capacity = 100,
		.max_temp_dc = 300 + id,
		.faults = id % 3 ? 0 : 0x5,
		.fault_events = id % 3 ? 0 : 2,
		.reached_full = id % 2,
	};

	snprintf(r.source, sizeof(r.source), "dcp");
	snprintf(r.usb_type, sizeof(r.usb_type), "DCP");
	snprintf(r.end_reason, sizeof(r.end_reason), id % 2 ? "unplugged" : "removed");
	return r;
}

static void same(struct __test_metadata *_metadata, const struct session_record *a,
		 const struct session_record *b)
{
	EXPECT_EQ(a->id, b->id);
	EXPECT_EQ(a->start, b->start);
	EXPECT_EQ(a->start_clock, b->start_clock);
	EXPECT_EQ(a->duration_s, b->duration_s);
	EXPECT_EQ(a->energy_mwh, b->energy_mwh);
	EXPECT_EQ(a->charge_mah, b->charge_mah);
	EXPECT_EQ(a->peak_ma, b->peak_ma);
	EXPECT_EQ(a->start_capacity, b->start_capacity);
	EXPECT_EQ(a->end_capacity, b->end_capacity);
	EXPECT_EQ(a->max_temp_dc, b->max_temp_dc);
	EXPECT_EQ(a->faults, b->faults);
	EXPECT_EQ(a->fault_events, b->fault_events);
	EXPECT_EQ(a->reached_full, b->reached_full);
	EXPECT_STREQ(a->source, b->source);
	EXPECT_STREQ(a->usb_type, b->usb_type);
	EXPECT_STREQ(a->end_reason, b->end_reason);
}

/* Decode from an exactly sized heap copy, so that ASan sees any overread. */
static int decode(const char *line, size_t len, struct session_record *r)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	memcpy(copy, line, len);
	ret = history_decode(copy, len, r);
	free(copy);
	return ret;
}

/* Give an edited line a valid CRC again, so that only its syntax is judged. */
static void resign(char *line, size_t len)
{
	char *crc = memmem(line, len, " crc=", 5);
	char hex[9];

	if (!crc)
		return;
	snprintf(hex, sizeof(hex), "%08lx", crc32(0, (const Bytef *)line, crc - line));
	memcpy(crc + 5, hex, 8);
}

/* Replace the first from by to in line, and resign it; false if from is not there. */
static bool edit(char *line, const char *from, const char *to)
{
	char *p = strstr(line, from), tail[HISTORY_LINE_MAX * 2];

	if (!p)
		return false;
	strcpy(tail, p + strlen(from));
	strcpy(p, to);
	strcat(p, tail);
	resign(line, strlen(line));
	return true;
}

static ssize_t file_size(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, 0) ? -1 : st.st_size;
}

static void put_file(int dirfd, const char *name, const void *data, size_t len)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* The whole file, NUL-terminated; *len without the NUL. */
static char *get_file(int dirfd, const char *name, size_t *len)
{
	ssize_t size = file_size(dirfd, name);
	char *buf = malloc(size + 1);
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (size < 0 || fd < 0 || read(fd, buf, size) != size)
		abort();
	close(fd);
	buf[size] = '\0';
	*len = size;
	return buf;
}

static size_t count_lines(int dirfd, const char *name)
{
	size_t len, i, n = 0;
	char *buf = get_file(dirfd, name, &len);

	for (i = 0; i < len; i++)
		n += buf[i] == '\n';
	free(buf);
	return n;
}

/* The encoded lines of records first..last, for building logs by hand. */
static size_t lines_of(char *buf, size_t len, uint64_t first, uint64_t last)
{
	struct session_record r;
	size_t n = 0;
	uint64_t id;

	for (id = first; id <= last; id++) {
		r = rec(id);
		n += history_encode(&r, buf + n, len - n);
	}
	return n;
}

FIXTURE(hist) {
	char dir[32];
	int dirfd;
	struct history h;
};

FIXTURE_SETUP(hist)
{
	strcpy(self->dir, "/tmp/chargerd-hist-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	self->dirfd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, self->dirfd);
	self->h.logfd = -1;
}

FIXTURE_TEARDOWN(hist)
{
	DIR *d;
	struct dirent *e;

	history_close(&self->h);
	d = fdopendir(self->dirfd);
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			unlinkat(self->dirfd, e->d_name, 0);
	if (d)
		closedir(d);
	EXPECT_EQ(0, rmdir(self->dir));
}

static const struct session_record example = {
	.id = 12, .start = 1764000000, .duration_s = 3600, .energy_mwh = 5200,
	.charge_mah = 1400, .peak_ma = 1500, .start_capacity = 12, .end_capacity = 100,
	.max_temp_dc = 312, .faults = 0, .fault_events = 0, .reached_full = true,
	.source = "dcp", .usb_type = "DCP", .end_reason = "unplugged",
};

TEST(the_documented_format)
{
	const char *body = "v=1 id=12 start=1764000000 duration_s=3600 energy_mwh=5200 "
			   "charge_mah=1400 peak_ma=1500 start_capacity=12 end_capacity=100 "
			   "max_temp_dc=312 faults=0x0 fault_events=0 full=1 source=dcp "
			   "usb_type=DCP end=unplugged";
	char line[HISTORY_LINE_MAX], want[HISTORY_LINE_MAX];
	int n;

	snprintf(want, sizeof(want), "%s crc=%08lx\n", body,
		 crc32(0, (const Bytef *)body, strlen(body)));
	n = history_encode(&example, line, sizeof(line));
	ASSERT_EQ((int)strlen(want), n);
	EXPECT_STREQ(want, line);
}

/*
 * A record that knows its start's clock is a v=2 line with a clock key
 * after start; one that does not (written before it did) stays v=1, so
 * that rewriting a log (compaction, keeping aside) changes none of its
 * lines. Before, no line said whether its start was a time at all.
 */
TEST(the_start_clock)
{
	static const struct { const char *from, *to; } bad[] = {
		{ " clock=synced", "" },		/* v=2 needs it */
		{ " clock=synced", " clock=" },
		{ " clock=synced", " clock=legacy" },
		{ " clock=synced", " clock=Synced" },
		{ " clock=synced", " clock=synced-" },
		{ " clock=synced", " clock=-" },
		{ "v=2 ", "v=1 " },			/* v=1 has none */
		{ "v=2 ", "v=3 " },
		{ "v=2 ", "v=0 " },
		{ " start=1764000000 clock=synced", " clock=synced start=1764000000" },
	};
	struct session_record r = example, back;
	char line[HISTORY_LINE_MAX], edited[HISTORY_LINE_MAX * 2];
	size_t i;
	int n;

	r.start_clock = START_CLOCK_SYNCED;
	n = history_encode(&r, line, sizeof(line));
	ASSERT_LT(0, n);
	EXPECT_EQ(0, strncmp(line, "v=2 id=12 start=1764000000 clock=synced duration_s=3600 ", 55))
		TH_LOG("%s", line);
	ASSERT_EQ(0, decode(line, n, &back));
	same(_metadata, &r, &back);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strcpy(edited, line);
		ASSERT_TRUE(edit(edited, bad[i].from, bad[i].to));
		EXPECT_EQ(-EINVAL, decode(edited, strlen(edited), &back)) TH_LOG("%s", edited);
	}
	strcpy(edited, line);
	ASSERT_TRUE(edit(edited, " clock=synced", " clock=unsynced"));
	ASSERT_EQ(0, decode(edited, strlen(edited), &back));
	EXPECT_EQ(START_CLOCK_UNSYNCED, back.start_clock);

	/* a v=1 line reads as legacy and is written back byte for byte */
	r.start_clock = START_CLOCK_LEGACY;
	n = history_encode(&r, line, sizeof(line));
	EXPECT_EQ(0, strncmp(line, "v=1 id=12 start=1764000000 duration_s=3600 ", 43));
	ASSERT_EQ(0, decode(line, n, &back));
	EXPECT_EQ(START_CLOCK_LEGACY, back.start_clock);
	ASSERT_EQ(n, history_encode(&back, edited, sizeof(edited)));
	EXPECT_EQ(0, memcmp(line, edited, n));

	/* which starts are times */
	EXPECT_TRUE(history_start_known(&back, true));	/* legacy: the clock now */
	EXPECT_FALSE(history_start_known(&back, false));
	back.start_clock = START_CLOCK_SYNCED;
	EXPECT_TRUE(history_start_known(&back, false));
	back.start_clock = START_CLOCK_UNSYNCED;
	EXPECT_FALSE(history_start_known(&back, true));
}

TEST(round_trip_with_edge_values)
{
	struct session_record recs[5] = { example }, back;
	char line[HISTORY_LINE_MAX];
	size_t i;
	int n;

	/* [1]: all zero, words empty. */
	recs[2] = (struct session_record){
		.id = UINT64_MAX, .start = INT64_MAX, .duration_s = UINT32_MAX,
		.energy_mwh = UINT32_MAX, .charge_mah = UINT32_MAX, .peak_ma = UINT32_MAX,
		.start_capacity = INT32_MAX, .end_capacity = INT32_MAX, .max_temp_dc = INT32_MAX,
		.faults = UINT32_MAX, .fault_events = UINT32_MAX, .reached_full = true,
		.source = "abcdefghijklmno", .usb_type = "ABC.DEF-GHI_JKL", .end_reason = "x",
	};
	recs[3] = (struct session_record){
		.id = 1, .start = INT64_MIN, .start_capacity = -1, .end_capacity = -1,
		.max_temp_dc = INT32_MIN, .faults = 0xdeadbeef, .usb_type = "Unknown",
	};
	recs[4] = rec(3);
	recs[4].start = -1;
	recs[4].start_capacity = INT32_MIN;
	recs[4].end_capacity = 0;
	recs[4].max_temp_dc = -55;
	for (i = 0; i < 5; i++) {
		n = history_encode(&recs[i], line, sizeof(line));
		ASSERT_LT(0, n);
		ASSERT_EQ((size_t)n, strlen(line));
		EXPECT_EQ('\n', line[n - 1]);
		EXPECT_EQ(line + n - 1, strchr(line, '\n'));
		memset(&back, 0x5a, sizeof(back));
		ASSERT_EQ(0, decode(line, n, &back)) TH_LOG("%s", line);
		same(_metadata, &recs[i], &back);
		/* Without its newline, too. */
		memset(&back, 0x5a, sizeof(back));
		ASSERT_EQ(0, decode(line, n - 1, &back));
		same(_metadata, &recs[i], &back);
	}
}

TEST(words_are_cleaned_and_cut)
{
	struct session_record r = example, back;
	char line[HISTORY_LINE_MAX];
	int n;

	snprintf(r.source, sizeof(r.source), "a b/c=d\txy");
	/* Not terminated: all 16 bytes are used. */
	memset(r.usb_type, 'u', sizeof(r.usb_type));
	r.end_reason[0] = (char)0xff;
	r.end_reason[1] = '\0';
	n = history_encode(&r, line, sizeof(line));
	ASSERT_LT(0, n);
	EXPECT_NE(NULL, strstr(line, " source=a_b_c_d_xy usb_type=uuuuuuuuuuuuuuu end=_ crc="))
		TH_LOG("%s", line);
	ASSERT_EQ(0, decode(line, n, &back));
	EXPECT_STREQ("a_b_c_d_xy", back.source);
	EXPECT_STREQ("uuuuuuuuuuuuuuu", back.usb_type);
	EXPECT_STREQ("_", back.end_reason);

	/* "-" stands for the empty word, both ways. */
	snprintf(r.source, sizeof(r.source), "-");
	r.usb_type[0] = '\0';
	n = history_encode(&r, line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " source=- usb_type=- end=_ crc="));
	ASSERT_EQ(0, decode(line, n, &back));
	EXPECT_STREQ("", back.source);
	EXPECT_STREQ("", back.usb_type);
}

TEST(encode_needs_room)
{
	char line[HISTORY_LINE_MAX], small[HISTORY_LINE_MAX];
	size_t len;
	int n;

	n = history_encode(&example, line, sizeof(line));
	ASSERT_LT(0, n);
	for (len = 0; len <= (size_t)n; len++)
		EXPECT_EQ(-ENOSPC, history_encode(&example, small, len)) TH_LOG("len %zu", len);
	EXPECT_EQ(n, history_encode(&example, small, n + 1));
	EXPECT_STREQ(line, small);
}

TEST(every_byte_change_is_caught)
{
	char line[HISTORY_LINE_MAX];
	struct session_record back;
	int n, i, v, missed = 0;
	char old;

	n = history_encode(&example, line, sizeof(line));
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		old = line[i];
		for (v = 0; v < 256; v++) {
			if ((char)v == old)
				continue;
			line[i] = (char)v;
			if (decode(line, n, &back) != -EINVAL) {
				missed++;
				TH_LOG("byte %d set to 0x%02x was accepted", i, v);
			}
		}
		line[i] = old;
	}
	EXPECT_EQ(0, missed);
	EXPECT_EQ(0, decode(line, n, &back));
}

TEST(every_truncation_is_caught)
{
	char line[HISTORY_LINE_MAX];
	struct session_record back;
	int n, len;

	n = history_encode(&example, line, sizeof(line));
	ASSERT_LT(0, n);
	for (len = 0; len < n - 1; len++)
		EXPECT_EQ(-EINVAL, decode(line, len, &back)) TH_LOG("length %d", len);
	/* Only the newline missing: a whole line still. */
	EXPECT_EQ(0, decode(line, n - 1, &back));
	EXPECT_EQ(example.id, back.id);
}

TEST(nul_bytes_and_newlines)
{
	char line[HISTORY_LINE_MAX + 2];
	struct session_record back;
	char *p;
	int n;

	n = history_encode(&example, line, sizeof(line));
	ASSERT_LT(0, n);
	/* A second newline, or a NUL after the first (as when len counts it). */
	line[n] = '\n';
	EXPECT_EQ(-EINVAL, decode(line, n + 1, &back));
	line[n] = '\0';
	EXPECT_EQ(-EINVAL, decode(line, n + 1, &back));
	/* A NUL instead of the newline. */
	line[n - 1] = '\0';
	EXPECT_EQ(-EINVAL, decode(line, n, &back));
	line[n - 1] = '\n';
	/* A newline in front. */
	memmove(line + 1, line, n);
	line[0] = '\n';
	EXPECT_EQ(-EINVAL, decode(line, n + 1, &back));
	memmove(line, line + 1, n);
	ASSERT_EQ(0, decode(line, n, &back));

	/* A NUL or a newline inside a word, with a CRC that matches. */
	p = strstr(line, "dcp");
	ASSERT_NE(NULL, p);
	p[1] = '\0';
	resign(line, n);
	EXPECT_EQ(-EINVAL, decode(line, n, &back));
	p[1] = '\n';
	resign(line, n);
	EXPECT_EQ(-EINVAL, decode(line, n, &back));
	p[1] = 'c';
	resign(line, n);
	EXPECT_EQ(0, decode(line, n, &back));
}

/* Lines that are wrong only in their syntax: each is given a CRC that matches. */
static const struct { const char *from, *to; } bad_edits[] = {
	{ "v=1 ", "v=2 " },
	{ "v=1 ", "v=01 " },
	{ "v=1 ", "v=1  " },
	{ "v=1 ", "" },
	{ "v=1 id", "v=1\tid" },
	{ " peak_ma=1500", "" },
	{ " peak_ma=1500", " peak_ma=1500 peak_ma=1500" },
	{ " energy_mwh=5200 charge_mah=1400", " charge_mah=1400 energy_mwh=5200" },
	{ " full=1", " full=1 extra=1" },
	{ "id=12", "id=18446744073709551616" },
	{ "id=12", "id=-12" },
	{ "id=12", "ID=12" },
	{ "start=1764000000", "start=9223372036854775808" },
	{ "start=1764000000", "start=-9223372036854775809" },
	{ "duration_s=3600", "duration_s=4294967296" },
	{ "duration_s=3600", "duration_s=-1" },
	{ "duration_s=3600", "duration_s=99999999999999999999999" },
	{ "duration_s=3600", "duration_s=03600" },
	{ "duration_s=3600", "duration_s=+3600" },
	{ "duration_s=3600", "duration_s=3600.0" },
	{ "duration_s=3600", "duration_s=" },
	{ "duration_s=3600", "duration_s= 3600" },
	{ "duration_s=3600", "duration_s=0x3600" },
	{ "start_capacity=12", "start_capacity=2147483648" },
	{ "start_capacity=12", "start_capacity=-2147483649" },
	{ "start_capacity=12", "start_capacity=-0" },
	{ "start_capacity=12", "start_capacity=--1" },
	{ "max_temp_dc=312", "max_temp_dc=none" },
	{ "full=1", "full=2" },
	{ "full=1", "full=true" },
	{ "faults=0x0", "faults=0x100000000" },
	{ "faults=0x0", "faults=0" },
	{ "faults=0x0", "faults=0x" },
	{ "faults=0x0", "faults=0x00" },
	{ "faults=0x0", "faults=0xA" },
	{ "faults=0x0", "faults=0X0" },
	{ "source=dcp", "source=" },
	{ "source=dcp", "source=d/p" },
	{ "source=dcp", "source=abcdefghijklmnop" },
	{ "usb_type=DCP ", "usb_type=DCP  " },
	{ "end=unplugged", "end=unplugged " },
	{ " crc=", " crc= " },
	{ " crc=", " crc=0" },
	{ " crc=", " CRC=" },
};

/* The edges that must still be accepted: the checks above are exact. */
static const struct { const char *from, *to; } good_edits[] = {
	{ "id=12", "id=18446744073709551615" },
	{ "id=12", "id=0" },
	{ "start=1764000000", "start=9223372036854775807" },
	{ "start=1764000000", "start=-9223372036854775808" },
	{ "duration_s=3600", "duration_s=4294967295" },
	{ "start_capacity=12", "start_capacity=-2147483648" },
	{ "end_capacity=100", "end_capacity=2147483647" },
	{ "full=1", "full=0" },
	{ "faults=0x0", "faults=0xffffffff" },
	{ "source=dcp", "source=abcdefghijklmno" },
	{ "source=dcp", "source=-" },
};

TEST(syntax_errors_with_a_valid_crc)
{
	char base[HISTORY_LINE_MAX], line[HISTORY_LINE_MAX * 2];
	struct session_record back;
	size_t i;

	ASSERT_LT(0, history_encode(&example, base, sizeof(base)));
	for (i = 0; i < ARRAY_SIZE(bad_edits); i++) {
		strcpy(line, base);
		ASSERT_TRUE(edit(line, bad_edits[i].from, bad_edits[i].to));
		EXPECT_EQ(-EINVAL, decode(line, strlen(line), &back)) TH_LOG("%s", line);
	}
	for (i = 0; i < ARRAY_SIZE(good_edits); i++) {
		strcpy(line, base);
		ASSERT_TRUE(edit(line, good_edits[i].from, good_edits[i].to));
		EXPECT_EQ(0, decode(line, strlen(line), &back)) TH_LOG("%s", line);
	}
	strcpy(line, base);
	edit(line, "start=1764000000", "start=-9223372036854775808");
	ASSERT_EQ(0, decode(line, strlen(line), &back));
	EXPECT_EQ(INT64_MIN, back.start);
	strcpy(line, base);
	edit(line, "start_capacity=12", "start_capacity=-2147483648");
	ASSERT_EQ(0, decode(line, strlen(line), &back));
	EXPECT_EQ(INT32_MIN, back.start_capacity);
}

TEST(crc_digits_are_lowercase)
{
	struct session_record r;
	char line[HISTORY_LINE_MAX], *crc;
	uint64_t id;
	int n, i;

	/* Find a record whose CRC has a letter in it. */
	for (id = 1; id < 100; id++) {
		r = rec(id);
		n = history_encode(&r, line, sizeof(line));
		crc = strstr(line, " crc=") + 5;
		if (strcspn(crc, "abcdef") < 8)
			break;
	}
	ASSERT_LT(id, 100);
	ASSERT_EQ(0, decode(line, n, &r));
	for (i = 0; i < 8; i++)
		crc[i] = toupper(crc[i]);
	EXPECT_EQ(-EINVAL, decode(line, n, &r));
}

TEST(what_decodes_reencodes_to_the_same_bytes)
{
	static const char alphabet[] = "0123456789 -+x_aZ=.\n";
	char base[HISTORY_LINE_MAX], line[HISTORY_LINE_MAX], again[HISTORY_LINE_MAX];
	struct session_record r;
	int n, i, k, body, accepted = 0, differ = 0, garbage = 0;

	n = history_encode(&example, base, sizeof(base));
	body = strstr(base, " crc=") - base;
	srand(1);
	for (i = 0; i < 20000; i++) {
		memcpy(line, base, n);
		for (k = 0; k < 1 + rand() % 3; k++)
			line[rand() % body] = alphabet[rand() % (sizeof(alphabet) - 1)];
		resign(line, n);
		if (decode(line, n, &r))
			continue;
		accepted++;
		if (history_encode(&r, again, sizeof(again)) != n || memcmp(line, again, n))
			differ++;
	}
	EXPECT_EQ(0, differ);
	EXPECT_LT(100, accepted);

	/* Random bytes never make a line. */
	for (i = 0; i < 20000; i++) {
		n = rand() % sizeof(line);
		for (k = 0; k < n; k++)
			line[k] = rand();
		garbage += decode(line, n, &r) != -EINVAL;
	}
	EXPECT_EQ(0, garbage);
}

TEST_F(hist, append_and_reopen)
{
	struct session_record r;
	uint64_t id;

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(1, self->h.next_id);
	EXPECT_EQ(0, self->h.n);
	EXPECT_EQ(0, file_size(self->dirfd, HISTORY_LOG));
	for (id = 1; id <= 4; id++) {
		r = rec(id);
		ASSERT_EQ(0, history_append(&self->h, &r));
	}
	EXPECT_EQ(5, self->h.next_id);
	EXPECT_EQ(4, count_lines(self->dirfd, HISTORY_LOG));
	history_close(&self->h);
	EXPECT_EQ(-1, self->h.logfd);
	EXPECT_EQ(NULL, self->h.recs);

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	ASSERT_EQ(4, self->h.n);
	EXPECT_EQ(4, self->h.lines);
	EXPECT_EQ(0, self->h.torn);
	EXPECT_EQ(0, self->h.corrupt);
	for (id = 1; id <= 4; id++) {
		r = rec(id);
		same(_metadata, &r, &self->h.recs[id - 1]);
	}
}

/*
 * Records dated by a clock that was set since (history_undate()): a
 * "synchronised" clock in 2030 (a server's bogus answer) dated them, and
 * they kept that date for good after the clock was set right. Only the
 * synced ones lose their date, their start kept as a label; a failed
 * rewrite changes nothing; the next synchronisation dates them again.
 */
TEST_F(hist, synced_records_are_undated_when_the_clock_is_set)
{
	const struct history_date ids[] = { { .id = 1 }, { .id = 2 }, { .id = 3 }, { .id = 9 } };
	struct session_record r, want[4];
	char *before, *after;
	size_t len, len2;
	uint64_t id;

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	for (id = 1; id <= 3; id++) {
		r = rec(id);
		r.start = 1900000000 + id;	/* 2030 */
		r.start_clock = id == 2 ? START_CLOCK_UNSYNCED : id == 3 ? START_CLOCK_LEGACY :
				START_CLOCK_SYNCED;
		want[id] = r;
		ASSERT_EQ(0, history_append(&self->h, &r));
	}
	before = get_file(self->dirfd, HISTORY_LOG, &len);
	ASSERT_EQ(0, mkdirat(self->dirfd, HISTORY_LOG ".tmp", 0700));
	EXPECT_GT(0, history_undate(&self->h, ids, 4));
	ASSERT_EQ(0, unlinkat(self->dirfd, HISTORY_LOG ".tmp", AT_REMOVEDIR));
	for (id = 1; id <= 3; id++)
		same(_metadata, &want[id], &self->h.recs[id - 1]);
	after = get_file(self->dirfd, HISTORY_LOG, &len2);
	ASSERT_EQ(len, len2);
	EXPECT_EQ(0, memcmp(before, after, len));
	free(before);
	free(after);

	EXPECT_EQ(1, history_undate(&self->h, ids, 4));
	want[1].start_clock = START_CLOCK_UNSYNCED;
	for (id = 1; id <= 3; id++)
		same(_metadata, &want[id], &self->h.recs[id - 1]);
	EXPECT_EQ(0, history_undate(&self->h, ids, 4));	/* once */
	history_close(&self->h);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	for (id = 1; id <= 3; id++)
		same(_metadata, &want[id], &self->h.recs[id - 1]);
	/* synchronised again: dated from it, with the other undated one */
	EXPECT_EQ(2, history_redate(&self->h, (const struct history_date[]){
		{ .id = 1, .start = 1796385600 }, { .id = 2, .start = 1796389200 } }, 2));
	EXPECT_EQ(1796385600, self->h.recs[0].start);
	EXPECT_EQ(START_CLOCK_SYNCED, self->h.recs[0].start_clock);
	EXPECT_EQ(1796389200, self->h.recs[1].start);
	same(_metadata, &want[3], &self->h.recs[2]);
}

/*
 * Sessions that ended before the clock was synchronised, dated once it
 * is (history_redate()): only unsynced records change, the file is
 * rewritten and reads back so, and a failed rewrite changes nothing.
 * Before, such a record kept an unknown start for good.
 */
TEST_F(hist, unsynced_records_are_dated_later)
{
	const struct history_date dates[] = {
		{ .id = 2, .start = 1796385600 },	/* unsynced: dated */
		{ .id = 3, .start = 1 },		/* synced: left */
		{ .id = 4, .start = 2 },		/* legacy: left */
		{ .id = 9, .start = 3 },		/* not in the log */
		{ .id = 5, .start = 1796389200 },	/* unsynced: dated */
	};
	struct session_record r, want[6];
	char *before, *after, *line, *save;
	size_t len, len2;
	uint64_t id;

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	for (id = 1; id <= 5; id++) {
		r = rec(id);
		r.start_clock = id == 3 ? START_CLOCK_SYNCED : id == 4 ? START_CLOCK_LEGACY :
				START_CLOCK_UNSYNCED;
		want[id] = r;
		ASSERT_EQ(0, history_append(&self->h, &r));
	}
	EXPECT_EQ(0, history_redate(&self->h, dates, 0));
	EXPECT_EQ(0, history_redate(&self->h, dates + 1, 3));	/* nothing to date */

	/* a rewrite that fails (its temporary name taken by a directory): as it was */
	before = get_file(self->dirfd, HISTORY_LOG, &len);
	ASSERT_EQ(0, mkdirat(self->dirfd, HISTORY_LOG ".tmp", 0700));
	EXPECT_GT(0, history_redate(&self->h, dates, 5));
	ASSERT_EQ(0, unlinkat(self->dirfd, HISTORY_LOG ".tmp", AT_REMOVEDIR));
	for (id = 1; id <= 5; id++)
		same(_metadata, &want[id], &self->h.recs[id - 1]);
	after = get_file(self->dirfd, HISTORY_LOG, &len2);
	ASSERT_EQ(len, len2);
	EXPECT_EQ(0, memcmp(before, after, len));
	free(after);

	EXPECT_EQ(2, history_redate(&self->h, dates, 5));
	want[2].start = 1796385600;
	want[2].start_clock = START_CLOCK_SYNCED;
	want[5].start = 1796389200;
	want[5].start_clock = START_CLOCK_SYNCED;
	for (id = 1; id <= 5; id++)
		same(_metadata, &want[id], &self->h.recs[id - 1]);
	/* once: they are synced now */
	EXPECT_EQ(0, history_redate(&self->h, dates, 5));
	/* the other lines are as they were, byte for byte; the dated two are not */
	after = get_file(self->dirfd, HISTORY_LOG, &len2);
	ASSERT_NE(NULL, after);
	for (line = strtok_r(before, "\n", &save), id = 1; line && id <= 5;
	     line = strtok_r(NULL, "\n", &save), id++) {
		bool dated = id == 2 || id == 5;

		EXPECT_EQ(!dated, strstr(after, line) != NULL) {
			TH_LOG("id %llu", (unsigned long long)id);
		}
	}
	EXPECT_EQ(6, id);
	free(before);
	free(after);
	history_close(&self->h);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	ASSERT_EQ(5, self->h.n);
	for (id = 1; id <= 5; id++)
		same(_metadata, &want[id], &self->h.recs[id - 1]);
	/* appends go on after the rewrite */
	r = rec(6);
	ASSERT_EQ(0, history_append(&self->h, &r));
	EXPECT_EQ(6, count_lines(self->dirfd, HISTORY_LOG));

	/*
	 * An id twice (chargerd killed between the append and the clear, the
	 * session stored again, dated, at the restart): only the unsynced one
	 * is dated, and a failed rewrite puts each back where it was.
	 */
	r = rec(7);
	r.start_clock = START_CLOCK_UNSYNCED;
	want[0] = r;
	ASSERT_EQ(0, history_append(&self->h, &r));
	r.start = 1796385600;
	r.start_clock = START_CLOCK_SYNCED;
	ASSERT_EQ(0, history_append(&self->h, &r));
	ASSERT_EQ(0, mkdirat(self->dirfd, HISTORY_LOG ".tmp", 0700));
	EXPECT_GT(0, history_redate(&self->h, &(struct history_date){ .id = 7, .start = 5 }, 1));
	ASSERT_EQ(0, unlinkat(self->dirfd, HISTORY_LOG ".tmp", AT_REMOVEDIR));
	same(_metadata, &want[0], &self->h.recs[6]);
	same(_metadata, &r, &self->h.recs[7]);
	EXPECT_EQ(1, history_redate(&self->h, &(struct history_date){ .id = 7, .start = 5 }, 1));
	EXPECT_EQ(5, self->h.recs[6].start);
	EXPECT_EQ(START_CLOCK_SYNCED, self->h.recs[6].start_clock);
	same(_metadata, &r, &self->h.recs[7]);
}

TEST_F(hist, torn_last_line_at_every_offset)
{
	struct session_record r;
	size_t len, len2, off;
	ssize_t end4, end5;
	char *orig, *now;
	uint64_t id;
	int fd;

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	for (id = 1; id <= 5; id++) {
		r = rec(id);
		ASSERT_EQ(0, history_append(&self->h, &r));
		if (id == 4)
			end4 = file_size(self->dirfd, HISTORY_LOG);
	}
	end5 = file_size(self->dirfd, HISTORY_LOG);
	history_close(&self->h);
	orig = get_file(self->dirfd, HISTORY_LOG, &len);
	ASSERT_EQ(end5, (ssize_t)len);

	for (off = end4; off < len; off++) {
		put_file(self->dirfd, HISTORY_LOG, orig, len);
		fd = openat(self->dirfd, HISTORY_LOG, O_WRONLY | O_CLOEXEC);
		ASSERT_EQ(0, ftruncate(fd, off));
		close(fd);

		ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10)) TH_LOG("at %zu", off);
		ASSERT_EQ(4, self->h.n) TH_LOG("at %zu", off);
		EXPECT_EQ(4, self->h.lines);
		EXPECT_EQ(off - end4, self->h.torn);
		EXPECT_EQ(0, self->h.corrupt);
		/* a torn last line is ours, cut short: dropped, nothing kept */
		EXPECT_STREQ("", self->h.kept);
		EXPECT_EQ(-1, file_size(self->dirfd, HISTORY_LOG ".bad-1"));
		EXPECT_EQ(end4, file_size(self->dirfd, HISTORY_LOG));
		EXPECT_EQ(4, self->h.recs[3].id);
		EXPECT_EQ(5, self->h.next_id);

		r = rec(5);
		ASSERT_EQ(0, history_append(&self->h, &r));
		history_close(&self->h);
		ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
		ASSERT_EQ(5, self->h.n);
		EXPECT_EQ(0, self->h.torn);
		EXPECT_EQ(0, self->h.corrupt);
		same(_metadata, &r, &self->h.recs[4]);
		history_close(&self->h);
		now = get_file(self->dirfd, HISTORY_LOG, &len2);
		EXPECT_EQ(len, len2);
		EXPECT_EQ(0, memcmp(orig, now, len));
		free(now);
	}
	free(orig);
}

/* The file kept aside holds exactly these bytes. */
static void kept_is(struct __test_metadata *_metadata, int dirfd, const char *name,
		    const char *want, size_t want_len)
{
	size_t len;
	char *got;

	ASSERT_LE(0, file_size(dirfd, name)) TH_LOG("%s was not kept", name);
	got = get_file(dirfd, name, &len);
	EXPECT_EQ(want_len, len);
	EXPECT_EQ(0, memcmp(want, got, len < want_len ? len : want_len));
	free(got);
}

TEST_F(hist, torn_line_and_garbage_at_the_tail)
{
	char buf[4096], kept[HISTORY_KEPT_MAX];
	size_t good, len, i, n;
	unsigned int seed, nkept = 0;
	bool newline;

	good = lines_of(buf, sizeof(buf), 1, 3);
	for (seed = 1; seed <= 50; seed++) {
		srand(seed);
		/* Part of a fourth line, then bytes of anything (newlines too). */
		len = good + lines_of(buf + good, sizeof(buf) - good, 4, 4) / 2;
		n = 1 + rand() % 400;
		newline = false;
		for (i = 0; i < n; i++) {
			buf[len] = rand() % 8 ? rand() : '\n';
			newline |= buf[len++] == '\n';
		}
		put_file(self->dirfd, HISTORY_LOG, buf, len);

		ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
		ASSERT_EQ(3, self->h.n) TH_LOG("seed %u", seed);
		EXPECT_EQ(3, self->h.recs[2].id);
		EXPECT_EQ(len - good, self->h.torn);
		EXPECT_EQ(0, self->h.corrupt);
		EXPECT_EQ((ssize_t)good, file_size(self->dirfd, HISTORY_LOG));
		/* More than a torn last line: the whole file kept first. */
		if (newline) {
			snprintf(kept, sizeof(kept), HISTORY_LOG ".bad-%u", ++nkept);
			EXPECT_STREQ(kept, self->h.kept) TH_LOG("seed %u", seed);
			kept_is(_metadata, self->dirfd, kept, buf, len);
		} else {
			EXPECT_STREQ("", self->h.kept) TH_LOG("seed %u", seed);
		}
		history_close(&self->h);
	}
	EXPECT_LT(10, nkept);

	/* Nothing good at all (another program's file): kept, then emptied. */
	put_file(self->dirfd, HISTORY_LOG, "garbage\nmore\n", 13);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(0, self->h.n);
	EXPECT_EQ(13, self->h.torn);
	EXPECT_EQ(0, file_size(self->dirfd, HISTORY_LOG));
	snprintf(kept, sizeof(kept), HISTORY_LOG ".bad-%u", ++nkept);
	EXPECT_STREQ(kept, self->h.kept);
	kept_is(_metadata, self->dirfd, kept, "garbage\nmore\n", 13);
	history_close(&self->h);

	/* Not even a newline: still not ours to drop. */
	put_file(self->dirfd, HISTORY_LOG, "\x7f" "ELF\x02\x01", 6);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(0, file_size(self->dirfd, HISTORY_LOG));
	snprintf(kept, sizeof(kept), HISTORY_LOG ".bad-%u", ++nkept);
	EXPECT_STREQ(kept, self->h.kept);
	kept_is(_metadata, self->dirfd, kept, "\x7f" "ELF\x02\x01", 6);
}

/*
 * When the file cannot be kept aside, nothing of it is touched, and the
 * history still works: records go after the bad lines, never compacted.
 */
TEST_F(hist, a_file_that_cannot_be_kept_is_left_alone)
{
	char name[HISTORY_KEPT_MAX], line[HISTORY_LINE_MAX];
	struct session_record r;
	size_t len;
	char *back;
	int i, n;

	for (i = 1; i <= HISTORY_KEEP_MAX; i++) {
		snprintf(name, sizeof(name), HISTORY_LOG ".bad-%d", i);
		put_file(self->dirfd, name, "x", 1);
	}
	put_file(self->dirfd, HISTORY_LOG, "garbage\nmore\n", 13);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 2));
	EXPECT_EQ(EEXIST, self->h.keep_error);
	EXPECT_STREQ("", self->h.kept);
	EXPECT_EQ(0, self->h.n);
	EXPECT_EQ(13, file_size(self->dirfd, HISTORY_LOG));
	/* more than twice the bound: a compaction would drop the bad lines */
	for (i = 1; i <= 5; i++) {
		r = rec(i);
		ASSERT_EQ(0, history_append(&self->h, &r));
	}
	history_close(&self->h);
	back = get_file(self->dirfd, HISTORY_LOG, &len);
	EXPECT_EQ(0, memcmp(back, "garbage\nmore\n", 13));
	n = history_encode(&r, line, sizeof(line));
	EXPECT_EQ(0, memcmp(back + len - n, line, n));
	free(back);
	EXPECT_EQ(-1, file_size(self->dirfd, HISTORY_LOG ".bad-1000"));

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 2));
	EXPECT_EQ(2, self->h.corrupt);
	ASSERT_EQ(2, self->h.n);
	EXPECT_EQ(5, self->h.recs[1].id);
}

/* Corrupt lines in the middle and a torn last line: kept, then rewritten. */
TEST_F(hist, corrupt_middle_and_a_torn_tail)
{
	char buf[4096];
	size_t len, good;

	len = lines_of(buf, sizeof(buf), 1, 2);
	len += snprintf(buf + len, sizeof(buf) - len, "garbage line\n");
	len += lines_of(buf + len, sizeof(buf) - len, 3, 4);
	good = len;
	len += lines_of(buf + len, sizeof(buf) - len, 5, 5) / 2;
	put_file(self->dirfd, HISTORY_LOG, buf, len);

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(4, self->h.n);
	EXPECT_EQ(1, self->h.corrupt);
	EXPECT_EQ(len - good, self->h.torn);
	EXPECT_STREQ(HISTORY_LOG ".bad-1", self->h.kept);
	kept_is(_metadata, self->dirfd, HISTORY_LOG ".bad-1", buf, len);
	EXPECT_EQ(4, count_lines(self->dirfd, HISTORY_LOG));
}

TEST_F(hist, corrupt_middle_lines_are_kept_aside)
{
	static const uint64_t ids[] = { 1, 3, 4, 5, 6 };
	char buf[4096], *p, *back;
	struct session_record r;
	size_t len, len2, i;

	len = lines_of(buf, sizeof(buf), 1, 3);
	len += snprintf(buf + len, sizeof(buf) - len, "garbage line\n");
	len += lines_of(buf + len, sizeof(buf) - len, 4, 5);
	/* A digit changed in line 2. */
	p = strstr(buf, "id=2 ");
	ASSERT_NE(NULL, p);
	p[3] = '7';
	put_file(self->dirfd, HISTORY_LOG, buf, len);

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	ASSERT_EQ(4, self->h.n);
	EXPECT_EQ(1, self->h.recs[0].id);
	EXPECT_EQ(3, self->h.recs[1].id);
	EXPECT_EQ(4, self->h.recs[2].id);
	EXPECT_EQ(5, self->h.recs[3].id);
	r = rec(5);
	same(_metadata, &r, &self->h.recs[3]);
	EXPECT_EQ(2, self->h.corrupt);
	EXPECT_EQ(0, self->h.torn);
	EXPECT_EQ(4, self->h.lines);
	EXPECT_EQ(6, self->h.next_id);
	/* the file as it was, kept aside; the log is its good records */
	EXPECT_STREQ(HISTORY_LOG ".bad-1", self->h.kept);
	kept_is(_metadata, self->dirfd, HISTORY_LOG ".bad-1", buf, len);
	back = get_file(self->dirfd, HISTORY_LOG, &len2);
	EXPECT_EQ(4, count_lines(self->dirfd, HISTORY_LOG));
	EXPECT_EQ(NULL, strstr(back, "garbage"));
	free(back);

	/* Appending goes on; the bad lines are reported once, not at every open. */
	r = rec(6);
	ASSERT_EQ(0, history_append(&self->h, &r));
	history_close(&self->h);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	ASSERT_EQ(5, self->h.n);
	EXPECT_EQ(0, self->h.corrupt);
	EXPECT_STREQ("", self->h.kept);
	EXPECT_EQ(-1, file_size(self->dirfd, HISTORY_LOG ".bad-2"));
	for (i = 0; i < 5; i++)
		EXPECT_EQ(ids[i], self->h.recs[i].id);
	kept_is(_metadata, self->dirfd, HISTORY_LOG ".bad-1", buf, len);
}

TEST_F(hist, bounded_and_compacted)
{
	struct session_record r;
	uint64_t i;
	size_t lines;

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 3));
	for (i = 1; i <= 10; i++) {
		r = rec(self->h.next_id);
		ASSERT_EQ(i, r.id);
		ASSERT_EQ(0, history_append(&self->h, &r));
		lines = count_lines(self->dirfd, HISTORY_LOG);
		EXPECT_GE(6, lines) TH_LOG("after %ju", (uintmax_t)i);
		EXPECT_EQ(self->h.lines, lines);
		EXPECT_EQ(i < 3 ? i : 3, self->h.n);
		EXPECT_EQ(i, self->h.recs[self->h.n - 1].id);
		EXPECT_EQ(-1, file_size(self->dirfd, LOG_TMP));
	}
	ASSERT_EQ(3, self->h.n);
	for (i = 0; i < 3; i++) {
		r = rec(8 + i);
		same(_metadata, &r, &self->h.recs[i]);
	}
	history_close(&self->h);

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 3));
	ASSERT_EQ(3, self->h.n);
	for (i = 0; i < 3; i++) {
		r = rec(8 + i);
		same(_metadata, &r, &self->h.recs[i]);
	}
	EXPECT_EQ(11, self->h.next_id);
	EXPECT_EQ(0, self->h.torn);
	EXPECT_EQ(0, self->h.corrupt);
	history_close(&self->h);

	/* What the file holds: the newest, in order, at least max of them. */
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 100));
	EXPECT_LE(3, self->h.n);
	EXPECT_GE(6, self->h.n);
	for (i = 0; i < self->h.n; i++)
		EXPECT_EQ(10 - self->h.n + 1 + i, self->h.recs[i].id);
}

TEST_F(hist, the_newest_max_of_a_long_log)
{
	char buf[HISTORY_LINE_MAX * 16];
	unsigned int max;
	size_t count, len, i, n;

	for (max = 1; max <= 5; max++) {
		for (count = 0; count <= 12; count++) {
			len = lines_of(buf, sizeof(buf), 1, count);
			put_file(self->dirfd, HISTORY_LOG, buf, len);
			ASSERT_EQ(0, history_open(&self->h, self->dirfd, max));
			n = count < max ? count : max;
			ASSERT_EQ(n, self->h.n) TH_LOG("max %u count %zu", max, count);
			EXPECT_EQ(count, self->h.lines);
			EXPECT_EQ(count + 1, self->h.next_id);
			for (i = 0; i < n; i++)
				EXPECT_EQ(count - n + 1 + i, self->h.recs[i].id)
					TH_LOG("max %u count %zu at %zu", max, count, i);
			history_close(&self->h);
		}
	}
}

TEST_F(hist, failed_append_leaves_no_partial_line)
{
	struct session_record r;
	struct rlimit old, lim;
	ssize_t size;

	signal(SIGXFSZ, SIG_IGN);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	r = rec(1);
	ASSERT_EQ(0, history_append(&self->h, &r));
	r = rec(2);
	ASSERT_EQ(0, history_append(&self->h, &r));
	size = file_size(self->dirfd, HISTORY_LOG);

	/* Room for 20 bytes of the line: a short write. */
	ASSERT_EQ(0, getrlimit(RLIMIT_FSIZE, &old));
	lim = old;
	lim.rlim_cur = size + 20;
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
	r = rec(3);
	EXPECT_EQ(-EIO, history_append(&self->h, &r));
	EXPECT_EQ(size, file_size(self->dirfd, HISTORY_LOG));
	/* No room at all: the write fails. */
	lim.rlim_cur = size;
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
	EXPECT_EQ(-EFBIG, history_append(&self->h, &r));
	EXPECT_EQ(size, file_size(self->dirfd, HISTORY_LOG));
	EXPECT_EQ(2, self->h.n);
	EXPECT_EQ(2, self->h.lines);
	EXPECT_EQ(3, self->h.next_id);

	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &old));
	ASSERT_EQ(0, history_append(&self->h, &r));
	history_close(&self->h);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	ASSERT_EQ(3, self->h.n);
	EXPECT_EQ(0, self->h.torn);
	EXPECT_EQ(0, self->h.corrupt);
	same(_metadata, &r, &self->h.recs[2]);
}

TEST_F(hist, stale_temporary_files_are_removed)
{
	struct session_record r;
	char buf[2048];
	size_t len;

	put_file(self->dirfd, HISTORY_LOG, buf, lines_of(buf, sizeof(buf), 1, 2));
	/* A half-written compaction, and a whole but never renamed checkpoint. */
	len = lines_of(buf, sizeof(buf), 90, 99);
	put_file(self->dirfd, LOG_TMP, buf, len / 2);
	len = lines_of(buf, sizeof(buf), 50, 50);
	put_file(self->dirfd, CURRENT_TMP, buf, len);

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(-1, file_size(self->dirfd, LOG_TMP));
	EXPECT_EQ(-1, file_size(self->dirfd, CURRENT_TMP));
	ASSERT_EQ(2, self->h.n);
	EXPECT_EQ(2, self->h.recs[1].id);
	EXPECT_EQ(3, self->h.next_id);
	EXPECT_EQ(0, self->h.torn);
	EXPECT_EQ(0, self->h.corrupt);
	EXPECT_EQ(-ENOENT, history_load_current(&self->h, &r));
}

/*
 * chargerd stopped between the append of a finished session and the
 * clear of its checkpoint (helper-52): the checkpoint's id is in the log.
 * It is said (-EALREADY), to be cleared, not resumed and logged twice.
 */
TEST_F(hist, a_checkpoint_already_logged_is_not_resumed)
{
	struct session_record a = rec(4), back;

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	ASSERT_EQ(0, history_save_current(&self->h, &a, true));
	ASSERT_EQ(0, history_append(&self->h, &a));
	EXPECT_EQ(-EALREADY, history_load_current(&self->h, &back));
	EXPECT_EQ(4, back.id);
	history_close(&self->h);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(1, self->h.n);
	EXPECT_EQ(5, self->h.next_id);
	EXPECT_EQ(-EALREADY, history_load_current(&self->h, &back));
	EXPECT_NE(NULL, history_find(&self->h, 4));
	EXPECT_EQ(NULL, history_find(&self->h, 5));
	EXPECT_EQ(NULL, history_find(&self->h, 0));
	EXPECT_EQ(0, history_clear_current(&self->h));
}

/*
 * A checkpoint that does not decode is kept aside, its id unknown: the
 * samples file it wrote (sessions/ID.samples) still counts, so the next
 * session does not take its id and append to its samples (helper-52).
 * Only names that are an id and ".samples" count.
 */
TEST_F(hist, a_samples_files_id_is_never_reused)
{
	static const char *const names[] = {
		"9.samples", "3.samples", "12.samples.tmp", "13x.samples", "014.samples",
		"x.samples", "15", "99999999999999999999999.samples",
	};
	unsigned int i;
	int sub;

	ASSERT_EQ(0, mkdirat(self->dirfd, HISTORY_SAMPLES_DIR, 0700));
	sub = openat(self->dirfd, HISTORY_SAMPLES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, sub);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		put_file(sub, names[i], "", 0);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(10, self->h.next_id);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		unlinkat(sub, names[i], 0);
	close(sub);
	EXPECT_EQ(0, unlinkat(self->dirfd, HISTORY_SAMPLES_DIR, AT_REMOVEDIR));
}

/*
 * The state directory's file system remounted read-only (ext4's
 * errors=remount-ro after a storage error): the history is read and
 * shown all the same, with a torn tail skipped, not repaired; appends
 * say -EROFS (helper-52: it was hidden whole, "No charge sessions yet").
 * In a mount namespace of the test's own (root only).
 */
TEST_F(hist, a_read_only_directory_still_shows_the_history)
{
	struct session_record a = rec(1), b = rec(2), c = rec(3), back;
	char line[HISTORY_LINE_MAX];
	int fd, log, n;

	if (geteuid())
		SKIP(return, "needs root, for a read-only mount of its own");
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("tmpfs", self->dir, "tmpfs", 0, "size=1m"));
	fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, history_open(&self->h, fd, 10));
	ASSERT_EQ(0, history_append(&self->h, &a));
	ASSERT_EQ(0, history_append(&self->h, &b));
	ASSERT_EQ(0, history_save_current(&self->h, &c, true));
	history_close(&self->h);
	/* a torn last line */
	n = history_encode(&c, line, sizeof(line));
	ASSERT_LT(10, n);
	log = openat(fd, HISTORY_LOG, O_WRONLY | O_APPEND | O_CLOEXEC);
	ASSERT_LE(0, log);
	ASSERT_EQ(10, write(log, line, 10));
	close(log);
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_REMOUNT | MS_RDONLY, NULL));

	ASSERT_EQ(0, history_open(&self->h, fd, 10));
	EXPECT_EQ(EROFS, self->h.read_only);
	ASSERT_EQ(2, self->h.n);
	same(_metadata, &a, &self->h.recs[0]);
	same(_metadata, &b, &self->h.recs[1]);
	EXPECT_EQ(4, self->h.next_id);
	EXPECT_EQ(0, self->h.torn);	/* not repaired: not said repaired */
	ASSERT_EQ(0, history_load_current(&self->h, &back));
	same(_metadata, &c, &back);
	EXPECT_EQ(-EROFS, history_append(&self->h, &c));
	EXPECT_EQ(2, self->h.n);
	history_close(&self->h);
	close(fd);
	/* the teardown empties the directory, under the mount: gone with it */
	EXPECT_EQ(0, umount(self->dir));
}

TEST_F(hist, current_checkpoint)
{
	struct session_record a = rec(7), b = rec(8), back;
	char line[HISTORY_LINE_MAX], *text;
	size_t len;
	int n;

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(-ENOENT, history_load_current(&self->h, &back));
	a.reached_full = false;
	a.end_reason[0] = '\0';
	ASSERT_EQ(0, history_save_current(&self->h, &a, true));
	ASSERT_EQ(0, history_load_current(&self->h, &back));
	same(_metadata, &a, &back);
	EXPECT_EQ(8, self->h.next_id);

	/* The second save wins, and it is the whole file. */
	ASSERT_EQ(0, history_save_current(&self->h, &b, false));
	ASSERT_EQ(0, history_load_current(&self->h, &back));
	same(_metadata, &b, &back);
	EXPECT_EQ(-1, file_size(self->dirfd, CURRENT_TMP));
	n = history_encode(&b, line, sizeof(line));
	text = get_file(self->dirfd, HISTORY_CURRENT, &len);
	EXPECT_EQ((size_t)n, len);
	EXPECT_STREQ(line, text);
	free(text);

	/* Its id is never handed out again, even with an empty log. */
	history_close(&self->h);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(0, self->h.n);
	EXPECT_EQ(9, self->h.next_id);

	ASSERT_EQ(0, history_clear_current(&self->h));
	EXPECT_EQ(-ENOENT, history_load_current(&self->h, &back));
	EXPECT_EQ(0, history_clear_current(&self->h));

	/* A bad checkpoint is reported and left for the caller. */
	put_file(self->dirfd, HISTORY_CURRENT, "v=1 id=3 garbage\n", 17);
	EXPECT_EQ(-EINVAL, history_load_current(&self->h, &back));
	EXPECT_EQ(17, file_size(self->dirfd, HISTORY_CURRENT));
	put_file(self->dirfd, HISTORY_CURRENT, "", 0);
	EXPECT_EQ(-EINVAL, history_load_current(&self->h, &back));
	/* Two good lines are not one. */
	memcpy(line + n, line, n);
	put_file(self->dirfd, HISTORY_CURRENT, line, 2 * n);
	EXPECT_EQ(-EINVAL, history_load_current(&self->h, &back));
	history_close(&self->h);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(1, self->h.next_id);
	EXPECT_EQ(0, history_clear_current(&self->h));
	EXPECT_EQ(-1, file_size(self->dirfd, HISTORY_CURRENT));
}

TEST_F(hist, next_id_is_one_more_than_the_largest)
{
	static const uint64_t ids[] = { 5, 2, 9, 3 };
	struct session_record r;
	size_t i;

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(1, self->h.next_id);
	for (i = 0; i < 4; i++) {
		r = rec(ids[i]);
		ASSERT_EQ(0, history_append(&self->h, &r));
	}
	EXPECT_EQ(10, self->h.next_id);
	history_close(&self->h);

	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(10, self->h.next_id);
	ASSERT_EQ(4, self->h.n);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(ids[i], self->h.recs[i].id);
	/* An older id in the checkpoint changes nothing; a newer one does. */
	r = rec(4);
	ASSERT_EQ(0, history_save_current(&self->h, &r, true));
	history_close(&self->h);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(10, self->h.next_id);
	r = rec(20);
	ASSERT_EQ(0, history_save_current(&self->h, &r, true));
	EXPECT_EQ(21, self->h.next_id);
	history_close(&self->h);
	ASSERT_EQ(0, history_open(&self->h, self->dirfd, 10));
	EXPECT_EQ(21, self->h.next_id);
}

TEST_HARNESS_MAIN
