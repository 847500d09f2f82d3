// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "ratelimit.h"

void ratelimit_init(struct ratelimit *rl, uint64_t interval_usec, unsigned int burst)
{
	memset(rl, 0, sizeof(*rl));
	rl->interval_usec = interval_usec;
	rl->burst = burst;
}

/*
 * Summarise the held records of each key whose window ended by now, or,
 * with all, of every key, a window still open then cut short at now: the
 * key's next window starts there, with its burst whole. Returns the
 * earliest end of a window still open with records held back, or 0.
 */
static uint64_t flush(struct ratelimit *rl, uint64_t now, bool all, ratelimit_summary_fn fn,
		      void *data)
{
	uint64_t next = 0, end;
	struct ratelimit_key *k;
	bool cut;

	for (k = rl->keys; k < rl->keys + RATELIMIT_KEYS; k++) {
		if (!k->key[0] || !k->held)
			continue;
		end = k->window_start + rl->interval_usec;
		if (all || now >= end) {
			cut = now < end;
			if (cut)
				end = now;
			fn(k->key, k->held, end > k->window_start ? end - k->window_start : 0,
			   k->last, data);
			/* the key stays; its next record opens a new window */
			k->held = 0;
			if (cut) {
				/* from here: what follows is not counted twice */
				k->window_start = now;
				k->count = 0;
			}
		} else if (!next || end < next) {
			next = end;
		}
	}
	return next;
}

uint64_t ratelimit_flush(struct ratelimit *rl, uint64_t now, ratelimit_summary_fn fn, void *data)
{
	return flush(rl, now, false, fn, data);
}

void ratelimit_flush_all(struct ratelimit *rl, uint64_t now, ratelimit_summary_fn fn, void *data)
{
	flush(rl, now, true, fn, data);
}

bool ratelimit_allow(struct ratelimit *rl, const char *key, const char *message,
		     uint64_t now, ratelimit_summary_fn fn, void *data)
{
	struct ratelimit_key *k, *slot = NULL, *oldest = NULL;

	if (!rl->interval_usec)
		return true;
	ratelimit_flush(rl, now, fn, data);
	for (k = rl->keys; k < rl->keys + RATELIMIT_KEYS; k++) {
		if (!strncmp(k->key, key, RATELIMIT_KEY_MAX - 1) && k->key[0]) {
			slot = k;
			break;
		}
		/* a free slot, or else the quiet key idle the longest */
		if (!k->held && (!oldest || !k->key[0] ||
				 (oldest->key[0] && k->window_start < oldest->window_start)))
			oldest = k;
	}
	if (!slot) {
		if (!oldest)
			return true;
		slot = oldest;
		memset(slot, 0, sizeof(*slot));
		snprintf(slot->key, sizeof(slot->key), "%s", key);
		slot->window_start = now;
	}
	if (now - slot->window_start >= rl->interval_usec) {
		slot->window_start = now;
		slot->count = 0;
	}
	if (slot->count < rl->burst) {
		slot->count++;
		return true;
	}
	slot->held++;
	snprintf(slot->last, sizeof(slot->last), "%s", message ? message : "");
	return false;
}
