/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The history of charge sessions, kept in the state directory
 * (/var/lib/chargerd/): crash-safe and bounded.
 *
 *   sessions.log   one text line per finished session, appended with
 *                  O_APPEND and fdatasync'ed. Each line ends with a CRC-32
 *                  of everything before it, so a line cut by a power loss or
 *                  a kill -9 is recognised; on open, a torn last line (the
 *                  bytes after the last good line, with no newline among
 *                  them) is dropped (the file is truncated after the last
 *                  good line) and counted. Anything else that does not
 *                  decode (a bad line in the middle, several at the tail, a
 *                  file with no good line: corrupt, or another program's or
 *                  version's) is never deleted: the file is first kept
 *                  aside as it is, as sessions.log.bad-N (a copy, the first
 *                  free N), then rewritten with its good records.
 *   current        the session in progress, replaced as a whole (write a
 *                  temporary file, fsync, rename, fsync the directory), so
 *                  it is always either the old or the new checkpoint.
 *
 * When the log holds twice the bound, it is compacted the same way: the
 * newest max records are written to a temporary file which is renamed over
 * the log. The oldest go first.
 */
#ifndef CHARGERD_HISTORY_H
#define CHARGERD_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HISTORY_LOG		"sessions.log"
#define HISTORY_CURRENT		"current"
#define HISTORY_LINE_MAX	512
#define HISTORY_WORD_MAX	16
/* "NAME.bad-N" for the files of this header, N up to HISTORY_KEEP_MAX */
#define HISTORY_KEPT_MAX	32
#define HISTORY_KEEP_MAX	999

/*
 * What a record's start was stamped by. A device without an RTC counts
 * from 1970, its image's date or the last time timesyncd saved, until its
 * clock is synchronised (clock.h's wall_clock_synced()); a start stamped
 * before that is a label, not a time, whatever the clock says later.
 */
enum start_clock {
	START_CLOCK_LEGACY,		/* written before chargerd kept this (a v=1 line) */
	START_CLOCK_SYNCED,		/* a synchronised clock (or re-dated from one) */
	START_CLOCK_UNSYNCED,		/* a clock not synchronised (yet) */
};

/*
 * The samples of session ID are HISTORY_SAMPLES_DIR/ID.samples in the
 * same directory (samples.c); history_open() sees their ids.
 */
#define HISTORY_SAMPLES_DIR	"sessions"

/*
 * energy_mwh, charge_mah or peak_ma not measured: no current (or battery
 * voltage) was ever read in the session (a charger or gauge without
 * current_now, voltage_now or charge_now). Not 0, which is measured.
 */
#define HISTORY_UNKNOWN		UINT32_MAX

/* A charge session: from plug-in to unplug (or what ended it). */
struct session_record {
	uint64_t id;			/* increasing, never reused; 0 = none */
	int64_t start;			/* CLOCK_REALTIME, seconds since the epoch */
	enum start_clock start_clock;	/* whether start is a time (see above) */
	uint32_t duration_s;
	/* these three: HISTORY_UNKNOWN if never measured */
	uint32_t energy_mwh;		/* into the battery (V x I over time) */
	uint32_t charge_mah;		/* into the battery */
	uint32_t peak_ma;		/* highest charge current seen */
	int32_t start_capacity;		/* %, -1 = unknown */
	int32_t end_capacity;		/* %, -1 = unknown */
	int32_t max_temp_dc;		/* deci-degC, INT32_MIN = unknown */
	uint32_t faults;		/* bit (1 << enum fault) for each fault seen */
	uint32_t fault_events;		/* how many faults were raised */
	bool reached_full;
	char source[HISTORY_WORD_MAX];	/* source kind: sdp, dcp, ... ("" unknown) */
	char usb_type[HISTORY_WORD_MAX];	/* SDP, DCP, ... */
	char end_reason[HISTORY_WORD_MAX];	/* unplugged, removed, stopped, ... */
};

struct history {
	int dirfd;			/* the state directory (borrowed) */
	int logfd;			/* sessions.log, O_APPEND */
	unsigned int max;		/* the bound, >= 1 */
	struct session_record *recs;	/* oldest first, at most max */
	size_t n;
	size_t lines;			/* good lines in the file */
	uint64_t next_id;		/* 1 + the largest id seen (log or current) */
	unsigned int torn;		/* bytes of a torn tail dropped at open */
	unsigned int corrupt;		/* bad lines skipped at open */
	char kept[HISTORY_KEPT_MAX];	/* the log kept aside at open, or "" */
	int keep_error;			/* errno: it could not be, left as it was */
	int read_only;			/* errno (EROFS, EACCES): opened to read only */
};

/*
 * Whether r->start is a real time: stamped or re-dated by a synchronised
 * clock. A legacy record's (a v=1 line: chargerd did not say then) is
 * taken as it was then: real if the clock is synchronised now (synced_now).
 */
bool history_start_known(const struct session_record *r, bool synced_now);

/* "legacy", "synced" or "unsynced": the report's and the journal's word */
const char *start_clock_name(enum start_clock c);

/*
 * One record as one line, with its trailing newline and CRC. Returns the
 * length, or -ENOSPC if len is too small. Words are cut to fit and may hold
 * only [A-Za-z0-9_.-] (anything else becomes '_').
 */
int history_encode(const struct session_record *r, char *buf, size_t len);

/*
 * Decode one line (len bytes, with or without its newline). Returns 0, or
 * -EINVAL for anything but a whole, well-formed line whose CRC matches.
 * Never reads past len; any input is safe.
 */
int history_decode(const char *line, size_t len, struct session_record *r);

/*
 * Open (creating) the log in dirfd, load the newest max records, drop a
 * torn last line, keep a file with anything else that does not decode
 * aside (h->kept names it) and rewrite it, remove a stale temporary file.
 * Returns 0 or -errno. When the file cannot be kept aside (h->keep_error),
 * it is left as it is: its bad lines are skipped, records are appended
 * after them, and it is never compacted. A log that cannot be written
 * (EROFS: its file system remounted read-only after an error; EACCES) is
 * opened to be read: its records are there, nothing is repaired, and
 * h->read_only says why appends fail (-EROFS). next_id is past every id
 * of the log, of the session in progress and of the samples files.
 */
int history_open(struct history *h, int dirfd, unsigned int max);

/*
 * Keep the file name of dirfd as it is now under the first free
 * "name.bad-N" (N from 1 to HISTORY_KEEP_MAX), a copy made durable (the
 * copy and the directory fsync'ed), so that replacing or removing name
 * loses nothing. The name used goes to kept (len bytes, HISTORY_KEPT_MAX
 * will do; "" on failure). Returns 0, -EEXIST when every N is taken, or
 * the -errno of the read, the write or the fsync (no partial copy left).
 */
int history_keep_aside(int dirfd, const char *name, char *kept, size_t len);

/* The record of id among those loaded, or NULL. */
const struct session_record *history_find(const struct history *h, uint64_t id);

/* Append one finished record (its id set by the caller); 0 or -errno (-EROFS: read_only). */
int history_append(struct history *h, const struct session_record *r);

/*
 * Date finished records whose start was stamped by a clock not
 * synchronised then: each of the n pairs whose id is a record with
 * START_CLOCK_UNSYNCED gets its start (s since the epoch) and
 * START_CLOCK_SYNCED, and the log is rewritten as compaction does it (a
 * new file, fsync'ed, renamed over; only the newest max records kept).
 * Ids not found (dropped by compaction) or not unsynced are skipped.
 * Returns the number of records dated (0: nothing written; also when the
 * new file is in place but the directory's fsync failed), or -errno with
 * the records and the file as they were; -EPERM for a log that is never
 * rewritten (h->keep_error).
 */
struct history_date {
	uint64_t id;
	int64_t start;
};
int history_redate(struct history *h, const struct history_date *dates, size_t n);

/*
 * The other way: finished records dated by a clock that was set since
 * (a "synchronised" clock can be wrong: a server's bogus answer, a flag
 * left over; the clock set again says one of the two was). Each id of
 * the n (their start unused) that is a record with START_CLOCK_SYNCED
 * gets START_CLOCK_UNSYNCED, its start kept as a label, until
 * history_redate() dates it from a clock synchronised again; the log is
 * rewritten the same way. Returns as history_redate() does.
 */
int history_undate(struct history *h, const struct history_date *ids, size_t n);

/*
 * The session in progress: save (atomically; durable: fsync'd, else it
 * survives chargerd's restart but maybe not a power loss), load, clear.
 */
int history_save_current(struct history *h, const struct session_record *r, bool durable);
/*
 * history_load_current(): 0, -ENOENT (none), -EINVAL (does not decode),
 * or -EALREADY: its id is in the log already (chargerd stopped between
 * the append and the clear), *r filled: to clear, not to resume.
 */
int history_load_current(struct history *h, struct session_record *r);
int history_clear_current(struct history *h);

void history_close(struct history *h);

#endif
