/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * cache: upstream answers, positive and negative (RFC 2308), keyed by
 * case-folded name, type, class, DO and CD (design.md §4).  Entries are
 * stored as the reply's wire bytes plus the offsets of its TTL fields, so
 * that a hit is a copy and a TTL patch, with no parse and no allocation.
 * Bounded by bytes; least-recently-used eviction.  Also holds the link
 * answers composed from cached targets (answer_chased() output), under
 * the zone snapshot's generation.  Time is passed in
 * (seconds); nothing here reads a clock or touches a socket.
 * One cache per worker thread: not thread-safe.
 */
#ifndef LINKSHIM_CACHE_H
#define LINKSHIM_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/conf.h"
#include "linkshim/dnswire.h"

struct cache;
struct dns_msginfo; /* linkshim/dnswire.h */

struct cache_key {
	const uint8_t *lname; /* lower-cased wire name; borrowed for the call */
	size_t namelen;
	uint16_t qtype;
	uint16_t qclass;
	bool do_bit;
	bool cd;
};

/* key for question q (borrowed: key->lname points into q), DO and CD as
 * given. */
static inline void
cache_key_set(
    struct cache_key *key, const struct dns_question *q, bool do_bit, bool cd)
{
	key->lname = q->lname;
	key->namelen = q->namelen;
	key->qtype = q->qtype;
	key->qclass = q->qclass;
	key->do_bit = do_bit;
	key->cd = cd;
}

enum cache_result {
	CACHE_MISS = 0,
	CACHE_HIT,   /* fresh */
	CACHE_STALE, /* expired, within serve_stale; only when allowed */
};

struct cache_stats {
	uint64_t hits, misses, inserts, evictions, stale_hits;
	size_t entries;
	size_t bytes;
};

/* Returns a new cache sized by cc (copied); caller frees with
 * cache_free().  NULL on allocation failure. */
struct cache *cache_new(const struct conf_cache *cc);
void cache_free(struct cache *c); /* NULL-safe */

/*
 * Store reply (already validated against key) at time now.  Cached: rcode
 * NOERROR (positive, or NODATA with SOA) and NXDOMAIN; TTL = the minimum
 * TTL of the answer RRs (positive) or min(SOA TTL, SOA MINIMUM) (negative,
 * RFC 2308 §5), clamped to [min_ttl, max_ttl].  Not cached: TC set,
 * SERVFAIL and other rcodes, negative answers without SOA (beyond a short
 * default).  The bytes are copied, without the OPT record (RFC 6891
 * §6.1.1: per hop, never cached; it must be the last RR, and one with
 * extended rcode bits is not cached).  Returns 1 stored, 0 not
 * cacheable, -1 on allocation failure.
 */
int cache_store(struct cache *c, const struct cache_key *key,
    const uint8_t *reply, size_t len, uint64_t now);
/*
 * cache_store(), and when it returns 1 the stored reply copied into
 * out[0..cap) as cache_lookup() at now would return it (TTLs clamped),
 * with *outlen set; *outlen is 0 otherwise (also when cap is too small).
 * mi, when not NULL, is a successful dnswire_parse_msg() of these very
 * bytes (upstream_reply_check_mi() gives it): the reply is not parsed
 * again.  Saves the caller a second parse and a lookup; counts no hit.
 */
int cache_store_copy(struct cache *c, const struct cache_key *key,
    const uint8_t *reply, size_t len, const struct dns_msginfo *mi,
    uint64_t now, uint8_t *out, size_t cap, size_t *outlen);

/*
 * Look key up at time now.  On CACHE_HIT (or CACHE_STALE when allow_stale)
 * the reply is copied into out[0..cap) with every TTL decremented by its
 * age (stale: set to 30 s, RFC 8767 §4), *outlen set, and *prefetch set
 * when the entry is in the last 10% of its TTL (the caller refreshes it
 * once).  The ID and question are the stored ones and there is no OPT:
 * pass the result through answer_relay_cached() (or answer_relay()).
 */
enum cache_result cache_lookup(struct cache *c, const struct cache_key *key,
    uint64_t now, bool allow_stale, uint8_t *out, size_t cap, size_t *outlen,
    bool *prefetch);

/*
 * Composed link answers (answer_chased() output, design.md §4): stored
 * under the client's question (key) and gen, the generation of the zone
 * snapshot that composed it (non-zero; upstream entries have none), so
 * that an entry composed from another snapshot is never found.  The TTLs
 * are kept as composed (no min_ttl/max_ttl clamp: the answer's TTLs
 * already came through the cache) and decremented on a hit like any
 * entry's; the entry lives no longer than its smallest TTL nor than
 * maxttl, the target entry's cache_ttl_left().  Same rules otherwise
 * (no OPT kept, TC and SERVFAIL not stored, RFC 2308 negative TTL).
 * Returns as cache_store(); 0 when gen or maxttl is 0.
 */
int cache_store_composed(struct cache *c, const struct cache_key *key,
    uint64_t gen, const uint8_t *reply, size_t len, uint64_t now,
    uint32_t maxttl);

/*
 * cache_lookup() of a composed answer: never stale, and a miss is not
 * counted (the caller looks the target up next, which counts).  The
 * result has no OPT and keeps the composed AA and rcode: pass it through
 * answer_relay_cached(.., true).  *prefetch in its last 10%: the caller
 * composes it again from the target, whose own lookup then asks for its
 * prefetch.
 */
enum cache_result cache_lookup_composed(struct cache *c,
    const struct cache_key *key, uint64_t gen, uint64_t now, uint8_t *out,
    size_t cap, size_t *outlen, bool *prefetch);

/* Seconds that key's (upstream) entry stays fresh at now; 0 when it is
 * absent or stale.  Not counted as a lookup. */
uint32_t cache_ttl_left(
    struct cache *c, const struct cache_key *key, uint64_t now);

void cache_get_stats(const struct cache *c, struct cache_stats *st);

/* Drop every entry (e.g. on reload if forwarding changed). */
void cache_flush(struct cache *c);

#endif
