/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * cache_int.h: what cache.c (the table, store and lookup) and
 * cache_scan.c (walking a reply before it is stored) share: the entry
 * layout, the flattened key, the scan result and the slot accessors.
 * Private to src/core/cache*.c.
 */
#ifndef LINKSHIM_CACHE_INT_H
#define LINKSHIM_CACHE_INT_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "linkshim/dnswire.h"

#define CACHE_TYPE_SOA 6
#define CACHE_TYPE_OPT 41
#define CACHE_RCODE_NOERROR 0
#define CACHE_RCODE_NXDOMAIN 3
#define CACHE_STALE_TTL 30        /* RFC 8767 §4: recommended stale TTL */
#define CACHE_TTL_MAX 0x7fffffffU /* RFC 2181 §8: larger reads as 0 */
#define CACHE_BUCKETS_MIN 256
#define CACHE_BUCKETS_MAX (1U << 24)
#define CACHE_SLOT_BYTES 6 /* uint32 TTL + uint16 offset */

#define CACHE_F_DO 0x01
#define CACHE_F_CD 0x02
#define CACHE_F_PREFETCHED 0x04 /* the caller was told to refresh */

/*
 * One cached reply.  data[] holds, in order: the lower-cased key name,
 * the reply, then nttl slots of a TTL (uint32, clamped, host order) and
 * the offset of that TTL in the reply (uint16).  Slots are accessed with
 * memcpy, so no alignment is assumed.
 */
struct cache_entry {
	TAILQ_ENTRY(cache_entry) lru;
	struct cache_entry *hnext;
	uint64_t hash;
	uint64_t gen;      /* 0, or a composed answer's snapshot generation */
	uint64_t inserted; /* now at cache_store() */
	uint32_t ttl;      /* fresh for this many seconds after inserted */
	uint32_t cost;     /* bytes charged against conf_cache.size */
	uint16_t qtype, qclass;
	uint16_t replylen;
	uint16_t nttl;
	uint8_t namelen;
	uint8_t flags; /* CACHE_F_* */
	uint8_t data[];
};

/* What cache_scan() learns from walking a reply. */
struct cache_scan {
	uint32_t ttl;    /* the entry's TTL before clamping */
	size_t soa_slot; /* slot of the negative answer's SOA, or SIZE_MAX */
	size_t end;      /* offset just past the last RR */
	/* where the answer and the authority sections end, how many slots
	 * each took, and whether the authority holds an SOA */
	size_t ans_end, ans_n, auth_end, auth_n;
	bool auth_soa;
};

/* A lookup key flattened for hashing and comparison. */
struct cache_fkey {
	/* the folded name; the word holding its last byte is zero-padded
	 * to eight bytes, hence the spare room */
	uint8_t name[DNS_NAME_MAX + 8];
	size_t namelen;
	uint16_t qtype, qclass;
	uint8_t flags;
	uint64_t gen; /* 0 for upstream answers */
	uint64_t hash;
};

static inline uint8_t *
cache_entry_name(struct cache_entry *e)
{
	return e->data;
}

static inline uint8_t *
cache_entry_reply(struct cache_entry *e)
{
	return e->data + e->namelen;
}

static inline uint8_t *
cache_entry_slot(struct cache_entry *e, size_t i)
{
	return e->data + e->namelen + e->replylen + i * CACHE_SLOT_BYTES;
}

static inline void
cache_slot_put(struct cache_entry *e, size_t i, uint32_t ttl, uint16_t off)
{
	uint8_t *p = cache_entry_slot(e, i);

	memcpy(p, &ttl, 4);
	memcpy(p + 4, &off, 2);
}

static inline void
cache_slot_get(struct cache_entry *e, size_t i, uint32_t *ttl, uint16_t *off)
{
	const uint8_t *p = cache_entry_slot(e, i);

	memcpy(ttl, p, 4);
	memcpy(off, p + 4, 2);
}

/*
 * Walk every RR of e's reply and fill e's slots; sc gets the entry's TTL,
 * the negative answer's SOA and where the sections end.  1 cacheable, 0
 * not (a layout a hit could not relay safely).
 */
int cache_scan(struct cache_entry *e, const struct dns_msginfo *mi,
    bool negative, struct cache_scan *sc);

/* Cut e (as scanned into sc) to a minimal response: sc->end and e->nttl
 * lowered, the header's counts patched. */
void cache_entry_minimal(
    struct cache_entry *e, const struct cache_fkey *fk, struct cache_scan *sc);

#endif
