// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "file.h"
#include "history.h"

/*
 * A line, for example (one line on disk):
 *
 *   v=2 id=12 start=1764000000 clock=synced duration_s=3600 energy_mwh=5200
 *   charge_mah=1400 peak_ma=1500 start_capacity=12 end_capacity=100
 *   max_temp_dc=312 faults=0x0 fault_events=0 full=1 source=dcp usb_type=DCP
 *   end=unplugged crc=1a2b3c4d
 *
 * clock is "synced" or "unsynced" (enum start_clock). A v=1 line, as
 * chargerd wrote before it kept the start's clock, has no clock key: it
 * reads as START_CLOCK_LEGACY, and such a record is written back as v=1, so
 * that compacting a log changes none of its lines. Every other key is
 * always there, in this order, separated by one space. Numbers
 * are written as the C types hold them (INT32_MIN for an unknown temperature),
 * in the one form the encoder produces: no '+', no leading zero, no "-0",
 * lowercase hex. A word is 1 to 15 characters of [A-Za-z0-9_.-], and the
 * word "-" stands for the empty word (so "-" itself reads back as ""). The
 * crc is zlib's CRC-32 of every byte before " crc=", as 8 lowercase hex
 * digits. The decoder accepts exactly what the encoder writes: a line that
 * decodes re-encodes to the same bytes.
 */

#define LOG_TMP		HISTORY_LOG ".tmp"
#define CURRENT_TMP	HISTORY_CURRENT FILE_TMP_SUFFIX	/* file_replace()'s */

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* src need not be terminated: at most HISTORY_WORD_MAX - 1 bytes are read. */
static void put_word(char *dst, const char *src)
{
	size_t i, n = strnlen(src, HISTORY_WORD_MAX - 1);

	for (i = 0; i < n; i++)
		dst[i] = word_char(src[i]) ? src[i] : '_';
	if (!n)
		dst[n++] = '-';
	dst[n] = '\0';
}

bool history_start_known(const struct session_record *r, bool synced_now)
{
	return r->start_clock == START_CLOCK_SYNCED ||
	       (r->start_clock == START_CLOCK_LEGACY && synced_now);
}

static const char *const clock_words[] = {
	[START_CLOCK_LEGACY] = "legacy",
	[START_CLOCK_SYNCED] = "synced",
	[START_CLOCK_UNSYNCED] = "unsynced",
};

const char *start_clock_name(enum start_clock c)
{
	return (unsigned int)c <= START_CLOCK_UNSYNCED ? clock_words[c] : "unsynced";
}

int history_encode(const struct session_record *r, char *buf, size_t len)
{
	char src[HISTORY_WORD_MAX], type[HISTORY_WORD_MAX], end[HISTORY_WORD_MAX];
	char line[HISTORY_LINE_MAX], clock[24] = "";
	bool legacy = r->start_clock == START_CLOCK_LEGACY;
	int n;

	/* a value outside the enum would be a bug: unsynced is the safe side */
	if (!legacy)
		snprintf(clock, sizeof(clock), " clock=%s",
			 clock_words[r->start_clock == START_CLOCK_SYNCED ?
				     START_CLOCK_SYNCED : START_CLOCK_UNSYNCED]);

	put_word(src, r->source);
	put_word(type, r->usb_type);
	put_word(end, r->end_reason);
	/* At most about 350 bytes with every field at its widest: no truncation. */
	n = snprintf(line, sizeof(line),
		     "v=%d id=%" PRIu64 " start=%" PRId64 "%s duration_s=%" PRIu32
		     " energy_mwh=%" PRIu32 " charge_mah=%" PRIu32 " peak_ma=%" PRIu32
		     " start_capacity=%" PRId32 " end_capacity=%" PRId32 " max_temp_dc=%" PRId32
		     " faults=0x%" PRIx32 " fault_events=%" PRIu32 " full=%d source=%s"
		     " usb_type=%s end=%s",
		     legacy ? 1 : 2, r->id, r->start, clock, r->duration_s, r->energy_mwh,
		     r->charge_mah, r->peak_ma,
		     r->start_capacity, r->end_capacity, r->max_temp_dc, r->faults,
		     r->fault_events, r->reached_full ? 1 : 0, src, type, end);
	n += snprintf(line + n, sizeof(line) - n, " crc=%08lx\n",
		      crc32(0, (const Bytef *)line, n));
	/* Room for the NUL too, so that callers may treat buf as a string. */
	if ((size_t)n >= len)
		return -ENOSPC;
	memcpy(buf, line, n + 1);
	return n;
}

/* Parsing state: a failure sticks, so that the steps can simply follow each other. */
struct cursor {
	const char *p, *end;
	bool ok;
};

static void expect(struct cursor *c, const char *s)
{
	size_t n = strlen(s);

	if (c->ok && (size_t)(c->end - c->p) >= n && !memcmp(c->p, s, n))
		c->p += n;
	else
		c->ok = false;
}

static int digit(char ch, bool hex)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (hex && ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* A number in the encoder's form; its magnitude, and whether it had a '-'. */
static uint64_t integer(struct cursor *c, bool hex, bool *neg)
{
	unsigned int base = hex ? 16 : 10;
	const char *start;
	uint64_t v = 0;
	int d;

	*neg = false;
	if (!c->ok)
		return 0;
	if (!hex && c->p < c->end && *c->p == '-') {
		*neg = true;
		c->p++;
	}
	start = c->p;
	for (; c->p < c->end && (d = digit(*c->p, hex)) >= 0; c->p++) {
		if (v > (UINT64_MAX - d) / base) {
			c->ok = false;
			return 0;
		}
		v = v * base + d;
	}
	if (c->p == start || (*start == '0' && c->p - start > 1) || (*neg && !v))
		c->ok = false;
	return v;
}

static uint64_t get_u(struct cursor *c, const char *key, uint64_t max)
{
	uint64_t v;
	bool neg;

	expect(c, key);
	v = integer(c, false, &neg);
	if (neg || v > max)
		c->ok = false;
	return c->ok ? v : 0;
}

static int64_t get_s(struct cursor *c, const char *key, int64_t min, int64_t max)
{
	uint64_t v;
	bool neg;

	expect(c, key);
	v = integer(c, false, &neg);
	/* -(min + 1) + 1 is |min| without overflowing int64_t. */
	if (neg ? v > (uint64_t)-(min + 1) + 1 : v > (uint64_t)max)
		c->ok = false;
	if (!c->ok)
		return 0;
	return neg ? -(int64_t)(v - 1) - 1 : (int64_t)v;
}

static uint32_t get_hex(struct cursor *c, const char *key)
{
	uint64_t v;
	bool neg;

	expect(c, key);
	expect(c, "0x");
	v = integer(c, true, &neg);
	if (v > UINT32_MAX)
		c->ok = false;
	return c->ok ? v : 0;
}

static void get_word(struct cursor *c, const char *key, char *w)
{
	size_t n = 0;

	expect(c, key);
	while (c->ok && c->p < c->end && n < HISTORY_WORD_MAX - 1 && word_char(*c->p))
		w[n++] = *c->p++;
	w[n] = '\0';
	if (!n)
		c->ok = false;
	if (n == 1 && w[0] == '-')
		w[0] = '\0';
}

int history_decode(const char *line, size_t len, struct session_record *r)
{
	struct cursor c = { line, line + len, true };
	struct session_record t;
	char w[HISTORY_WORD_MAX];
	uint64_t version;
	uint32_t crc = 0;
	size_t body;
	int i, d;

	if (len && line[len - 1] == '\n')
		c.end--;
	memset(&t, 0, sizeof(t));
	version = get_u(&c, "v=", 2);
	if (version < 1)
		c.ok = false;
	t.id = get_u(&c, " id=", UINT64_MAX);
	t.start = get_s(&c, " start=", INT64_MIN, INT64_MAX);
	t.start_clock = START_CLOCK_LEGACY;
	if (version == 2) {
		get_word(&c, " clock=", w);
		for (i = START_CLOCK_SYNCED; i <= START_CLOCK_UNSYNCED; i++)
			if (c.ok && !strcmp(w, clock_words[i]))
				t.start_clock = i;
		if (t.start_clock == START_CLOCK_LEGACY)
			c.ok = false;
	}
	t.duration_s = get_u(&c, " duration_s=", UINT32_MAX);
	t.energy_mwh = get_u(&c, " energy_mwh=", UINT32_MAX);
	t.charge_mah = get_u(&c, " charge_mah=", UINT32_MAX);
	t.peak_ma = get_u(&c, " peak_ma=", UINT32_MAX);
	t.start_capacity = get_s(&c, " start_capacity=", INT32_MIN, INT32_MAX);
	t.end_capacity = get_s(&c, " end_capacity=", INT32_MIN, INT32_MAX);
	t.max_temp_dc = get_s(&c, " max_temp_dc=", INT32_MIN, INT32_MAX);
	t.faults = get_hex(&c, " faults=");
	t.fault_events = get_u(&c, " fault_events=", UINT32_MAX);
	t.reached_full = get_u(&c, " full=", 1);
	get_word(&c, " source=", t.source);
	get_word(&c, " usb_type=", t.usb_type);
	get_word(&c, " end=", t.end_reason);
	body = c.p - line;
	expect(&c, " crc=");
	/* Exactly 8 digits here: the leading zeros are part of the form. */
	for (i = 0; i < 8 && c.ok; i++) {
		d = c.p < c.end ? digit(*c.p, true) : -1;
		if (d < 0) {
			c.ok = false;
			break;
		}
		crc = crc << 4 | d;
		c.p++;
	}
	if (!c.ok || c.p != c.end || crc != crc32(0, (const Bytef *)line, body))
		return -EINVAL;
	*r = t;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	for (; len; buf += n, len -= n) {
		n = write(fd, buf, len);
		if (n < 0)
			return -errno;
	}
	return 0;
}

static void see_id(struct history *h, uint64_t id)
{
	/* Saturate rather than wrap to 0, which means "no id". */
	if (id >= h->next_id)
		h->next_id = id == UINT64_MAX ? id : id + 1;
}

const struct session_record *history_find(const struct history *h, uint64_t id)
{
	size_t i;

	for (i = h->n; id && i > 0; i--)
		if (h->recs[i - 1].id == id)
			return &h->recs[i - 1];
	return NULL;
}

/*
 * The ids the samples files (HISTORY_SAMPLES_DIR/ID.samples) were named
 * by count as seen: a session whose record was lost (a "current" that did
 * not decode, kept aside) never lends its id, and so its samples, to the
 * next one. A directory that cannot be read adds nothing.
 */
static void see_samples(struct history *h)
{
	unsigned long long id;
	struct dirent *e;
	char *end;
	DIR *dir;
	int fd;

	fd = openat(h->dirfd, HISTORY_SAMPLES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((e = readdir(dir))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		errno = 0;
		id = strtoull(e->d_name, &end, 10);
		if (!errno && !strcmp(end, ".samples"))
			see_id(h, id);
	}
	closedir(dir);
}

/* The whole file; *buf is to be freed, even when empty. */
static int read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 0, n = 0;
	char *b = NULL, *nb;
	ssize_t r;

	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
		}
		r = pread(fd, b + n, cap - n, n);
		if (r < 0) {
			r = -errno;
			free(b);
			return r;
		}
		n += r;
	} while (r);
	*buf = b;
	*len = n;
	return 0;
}

static void reverse(struct session_record *a, size_t n)
{
	struct session_record t;
	size_t i;

	for (i = 0; i < n / 2; i++) {
		t = a[i];
		a[i] = a[n - 1 - i];
		a[n - 1 - i] = t;
	}
}

static int compact(struct history *h, bool *renamed);

int history_keep_aside(int dirfd, const char *name, char *kept, size_t len)
{
	char buf[4096];
	int in, out = -1, i, ret = 0;
	ssize_t n;

	/*
	 * A copy, not a link: the file may be another user's (restored by an
	 * image tool, written by root), which protected_hardlinks keeps
	 * chargerd from linking.
	 */
	in = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		goto fail;
	for (i = 1; i <= HISTORY_KEEP_MAX && out < 0; i++) {
		snprintf(kept, len, "%s.bad-%d", name, i);
		out = openat(dirfd, kept, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (out < 0 && errno != EEXIST)
			goto fail;
	}
	if (out < 0) {
		errno = EEXIST;
		goto fail;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0 && !ret)
		ret = write_all(out, buf, n);
	if (n < 0 && !ret)
		ret = -errno;
	if (!ret && fsync(out) < 0)
		ret = -errno;
	close(out);
	close(in);
	if (!ret && fsync(dirfd) < 0)
		ret = -errno;
	if (ret) {
		unlinkat(dirfd, kept, 0);
		kept[0] = '\0';
	}
	return ret;
fail:
	ret = -errno;
	if (in >= 0)
		close(in);
	kept[0] = '\0';
	return ret;
}

/*
 * Load the good lines, the newest max of them, into a ring (so that a long
 * log is read in linear time), then turn the ring oldest first. A bad line
 * is only known to be a corrupt middle once a good line follows it; the bad
 * bytes after the last good line are the torn tail. A last line without its
 * newline is torn even if it decodes: its write() never completed.
 */
static int load(struct history *h)
{
	size_t size = 0, pos, end, good = 0, k;
	unsigned int bad = 0;
	const char *nl;
	char *buf = NULL;
	bool only_torn;
	int ret;

	ret = read_all(h->logfd, &buf, &size);
	if (ret)
		return ret;
	for (pos = 0; pos < size; pos = end) {
		nl = memchr(buf + pos, '\n', size - pos);
		end = nl ? (size_t)(nl - buf) + 1 : size;
		if (!nl || history_decode(buf + pos, end - pos, &h->recs[h->lines % h->max])) {
			bad++;
			continue;
		}
		see_id(h, h->recs[h->lines % h->max].id);
		h->lines++;
		h->corrupt += bad;
		bad = 0;
		good = end;
	}
	/* more than one torn last line: a newline among the bad tail's bytes */
	only_torn = good > 0 && !memchr(buf + good, '\n', size - good);
	free(buf);
	h->n = h->lines < h->max ? h->lines : h->max;
	k = h->lines % h->max;
	if (h->lines > h->max && k) {
		reverse(h->recs, k);
		reverse(h->recs + k, h->max - k);
		reverse(h->recs, h->max);
	}
	if (good == size && !h->corrupt)
		return 0;
	if (h->read_only)
		return 0;	/* what decodes is shown; nothing repaired */
	h->torn = size - good > UINT_MAX ? UINT_MAX : size - good;
	if (h->corrupt || !only_torn) {
		h->keep_error = -history_keep_aside(h->dirfd, HISTORY_LOG, h->kept, sizeof(h->kept));
		/*
		 * Not kept: the file stays as it is, its bad lines skipped at
		 * each open; appends go on after them; never compacted.
		 */
		return h->keep_error ? 0 : compact(h, NULL);
	}
	if (ftruncate(h->logfd, good) < 0 || fdatasync(h->logfd) < 0)
		return -errno;
	return 0;
}

int history_open(struct history *h, int dirfd, unsigned int max)
{
	struct session_record cur;
	int ret;

	memset(h, 0, sizeof(*h));
	h->dirfd = dirfd;
	h->logfd = -1;
	h->max = max;
	h->next_id = 1;
	if (!max)
		return -EINVAL;
	/* Leftovers of a crash before a rename; O_TRUNC would reuse them anyway. */
	unlinkat(dirfd, LOG_TMP, 0);
	unlinkat(dirfd, CURRENT_TMP, 0);
	h->recs = calloc(max, sizeof(*h->recs));
	if (!h->recs)
		return -ENOMEM;
	h->logfd = openat(dirfd, HISTORY_LOG, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (h->logfd < 0 && (errno == EROFS || errno == EACCES)) {
		/* a file system remounted read-only after an error: shown all the same */
		ret = errno;
		h->logfd = openat(dirfd, HISTORY_LOG, O_RDONLY | O_CLOEXEC);
		h->read_only = ret;
		errno = ret;
	}
	ret = h->logfd < 0 ? -errno : load(h);
	if (!ret) {
		/* The session in progress already has its id: never hand it out again. */
		ret = history_load_current(h, &cur);
		if (!ret || ret == -EALREADY)
			see_id(h, cur.id);
		if (ret == -ENOENT || ret == -EINVAL || ret == -EALREADY)
			ret = 0;
	}
	if (!ret)
		see_samples(h);
	if (ret)
		history_close(h);
	return ret;
}

/*
 * Rewrite the log as the records in memory. The temporary file becomes the
 * log by the rename, so its descriptor is kept as the new logfd: there is no
 * reopen that could fail once the rename is done. *renamed (if not NULL):
 * the new file is the log, also when the directory's fsync after it fails.
 */
static int compact(struct history *h, bool *renamed)
{
	char line[HISTORY_LINE_MAX];
	int fd, ret = 0, n;
	size_t i;

	if (renamed)
		*renamed = false;

	fd = openat(h->dirfd, LOG_TMP, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	for (i = 0; i < h->n && !ret; i++) {
		n = history_encode(&h->recs[i], line, sizeof(line));
		ret = n < 0 ? n : write_all(fd, line, n);
	}
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (!ret && renameat(h->dirfd, LOG_TMP, h->dirfd, HISTORY_LOG) < 0)
		ret = -errno;
	if (ret) {
		close(fd);
		unlinkat(h->dirfd, LOG_TMP, 0);
		return ret;
	}
	close(h->logfd);
	h->logfd = fd;
	h->lines = h->n;
	if (renamed)
		*renamed = true;	/* the new file is the log, durable or not */
	return fsync(h->dirfd) < 0 ? -errno : 0;
}

int history_append(struct history *h, const struct session_record *r)
{
	char line[HISTORY_LINE_MAX];
	struct stat st;
	ssize_t w;
	int n, ret;

	if (h->read_only)
		return -EROFS;
	n = history_encode(r, line, sizeof(line));
	if (n < 0)
		return n;
	if (fstat(h->logfd, &st) < 0)
		return -errno;
	/* One write() with O_APPEND: a crash leaves at worst a torn last line. */
	w = write(h->logfd, line, n);
	if (w != n || fdatasync(h->logfd) < 0) {
		ret = w < 0 || w == n ? -errno : -EIO;
		/* Not appended, as the caller is told: no torn line left behind. */
		if (ftruncate(h->logfd, st.st_size) == 0)
			fdatasync(h->logfd);
		return ret;
	}
	if (h->n == h->max) {
		memmove(h->recs, h->recs + 1, (h->n - 1) * sizeof(*h->recs));
		h->n--;
	}
	h->recs[h->n++] = *r;
	h->lines++;
	see_id(h, r->id);
	/*
	 * The record is safe whatever compact() does: on failure the log stays
	 * longer and the next append tries again.
	 */
	if (h->lines >= 2 * (size_t)h->max && !h->keep_error)
		compact(h, NULL);
	return 0;
}

/*
 * The newest record of each id in dates with start_clock from gets the
 * other clock: from UNSYNCED, its date's start and SYNCED (a date);
 * from SYNCED, UNSYNCED (its start kept as a label: no date). Then the
 * log is rewritten. See history_redate().
 */
static int set_start_clocks(struct history *h, const struct history_date *dates, size_t n,
			    enum start_clock from)
{
	struct undo {
		size_t at;			/* its index in h->recs */
		struct session_record was;
	} *undo;
	size_t i, j, changed = 0;
	bool renamed = false;
	int ret;

	if (h->keep_error)
		return -EPERM;
	undo = malloc(n * sizeof(*undo) + 1);
	if (!undo)
		return -ENOMEM;
	/* newest first, each id once (an id twice in the log: a crash between append and clear) */
	for (i = h->n; i-- > 0 && changed < n;) {
		struct session_record *r = &h->recs[i];

		if (r->start_clock != from)
			continue;
		for (j = 0; j < n; j++) {
			if (r->id != dates[j].id)
				continue;
			undo[changed].at = i;
			undo[changed++].was = *r;
			if (from == START_CLOCK_UNSYNCED) {
				r->start = dates[j].start;
				r->start_clock = START_CLOCK_SYNCED;
			} else {
				r->start_clock = START_CLOCK_UNSYNCED;
			}
			break;
		}
	}
	ret = changed ? compact(h, &renamed) : 0;
	/* as the file still says, unless the new one is in place */
	if (ret < 0 && !renamed)
		for (j = 0; j < changed; j++)
			h->recs[undo[j].at] = undo[j].was;
	free(undo);
	return ret < 0 && !renamed ? ret : (int)changed;
}

int history_redate(struct history *h, const struct history_date *dates, size_t n)
{
	return set_start_clocks(h, dates, n, START_CLOCK_UNSYNCED);
}

int history_undate(struct history *h, const struct history_date *ids, size_t n)
{
	return set_start_clocks(h, ids, n, START_CLOCK_SYNCED);
}

int history_save_current(struct history *h, const struct session_record *r, bool durable)
{
	char line[HISTORY_LINE_MAX];
	int n;

	n = history_encode(r, line, sizeof(line));
	if (n < 0)
		return n;
	see_id(h, r->id);
	return file_replace(h->dirfd, HISTORY_CURRENT, line, n, durable);
}

int history_load_current(struct history *h, struct session_record *r)
{
	char line[HISTORY_LINE_MAX];
	ssize_t n;
	int fd, ret;

	fd = openat(h->dirfd, HISTORY_CURRENT, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* A line is shorter than the buffer: whatever follows it is seen, and refused. */
	n = read(fd, line, sizeof(line));
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	if (history_decode(line, n, r))
		return -EINVAL;
	return history_find(h, r->id) ? -EALREADY : 0;
}

int history_clear_current(struct history *h)
{
	if (unlinkat(h->dirfd, HISTORY_CURRENT, 0) < 0 && errno != ENOENT)
		return -errno;
	return fsync(h->dirfd) < 0 ? -errno : 0;
}

void history_close(struct history *h)
{
	if (h->logfd >= 0)
		close(h->logfd);
	free(h->recs);
	memset(h, 0, sizeof(*h));
	h->logfd = -1;
	h->dirfd = -1;
}
