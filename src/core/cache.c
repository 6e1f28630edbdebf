/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * cache: the answer cache (design.md §4, include/linkshim/cache.h).  A
 * chained hash table keyed by SipHash-1-3 of (lower-cased wire name, type,
 * class, DO, CD) with a per-cache random key, so that remote clients who
 * choose names cannot flood one chain; an intrusive TAILQ keeps entries in
 * least-recently-used order.  Each entry is a single allocation holding
 * the reply's wire bytes and a table of (offset, TTL) pairs, one per RR
 * outside the OPT record: a hit copies the bytes and rewrites those TTLs,
 * with no parse and no allocation.  The accounting is modelled on c-ares'
 * ares_qcache.c (cached rcodes, RFC 2308 negative TTL, injected now).
 */
#include <sys/queue.h>

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/cache.h"
#include "linkshim/dnswire.h"
#include "linkshim/hugemem.h"
#include "core/cache_int.h"

TAILQ_HEAD(cache_lru, cache_entry);

/*
 * A hash chain.  Most lookups of a cache-miss flood are for names not in
 * the table: the chain length and the head's hash tag let a lookup that
 * meets an empty chain or a one-entry chain with another tag return
 * without reading an entry (a cache miss of its own, on top of the
 * bucket's).
 */
struct cache_bucket {
	struct cache_entry *head;
	uint32_t tag; /* cache_tag() of head's hash, when head != NULL */
	uint32_t n;   /* entries on the chain */
};

struct cache {
	struct conf_cache cc;
	uint64_t seed[2]; /* SipHash key, from arc4random */
	struct cache_bucket *buckets;
	size_t nbuckets;      /* power of two */
	struct cache_lru lru; /* head: most recently used */
	struct cache_stats st;
};

/* SipHash-1-3 state (Aumasson and Bernstein; the variant Rust and Python
 * use for hash tables): a keyed PRF, so chain lengths cannot be predicted
 * by someone who does not know the seed. */
struct cache_sip {
	uint64_t v0, v1, v2, v3;
};

#define CACHE_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static inline void
cache_sip_round(struct cache_sip *s)
{
	s->v0 += s->v1;
	s->v1 = CACHE_ROTL(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = CACHE_ROTL(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = CACHE_ROTL(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = CACHE_ROTL(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = CACHE_ROTL(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = CACHE_ROTL(s->v2, 32);
}

/* One message word (the little-endian value of eight message bytes). */
static inline void
cache_sip_word(struct cache_sip *s, uint64_t m)
{
	s->v3 ^= m;
	cache_sip_round(s);
	s->v0 ^= m;
}

/* The last r (1..7) bytes of name[0..n), as a little-endian word with
 * zeros above them, reading only inside the name. */
static inline uint64_t
cache_tail_word(const uint8_t *name, size_t n, size_t r)
{
	uint64_t x = 0;
	size_t j;

	if (n >= 8) {
		memcpy(&x, name + n - 8, 8);
		return le64toh(x) >> (8 * (8 - r));
	}
	for (j = 0; j < r; j++)
		x |= (uint64_t)name[n - r + j] << (8 * j);
	return x;
}

/*
 * Flatten and hash key in one pass over the name.  The name is folded
 * again here (length octets are < 64 so they are never touched) so that a
 * caller's slip cannot split the cache by case.  The hash is SipHash-1-3
 * of: the folded name zero-padded to a multiple of eight bytes, then one
 * word of namelen, type, class and flags (namelen makes the padding
 * unambiguous).  -1 if the name length is impossible.
 */
static int
cache_fkey_make(const struct cache *c, const struct cache_key *key,
    uint64_t gen, struct cache_fkey *fk)
{
	struct cache_sip s;
	size_t i, n = key->namelen, words;
	uint64_t x;

	if (n == 0 || n > DNS_NAME_MAX)
		return -1;
	s.v0 = 0x736f6d6570736575ULL ^ c->seed[0];
	s.v1 = 0x646f72616e646f6dULL ^ c->seed[1];
	s.v2 = 0x6c7967656e657261ULL ^ c->seed[0];
	s.v3 = 0x7465646279746573ULL ^ c->seed[1];
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, key->lname + i, 8);
		x = dnswire_fold8(x);
		memcpy(fk->name + i, &x, 8);
		cache_sip_word(&s, le64toh(x));
	}
	if (i < n) {
		x = dnswire_fold8(cache_tail_word(key->lname, n, n - i));
		cache_sip_word(&s, x);
		x = htole64(x);
		memcpy(fk->name + i, &x, 8);
	}
	fk->namelen = n;
	fk->qtype = key->qtype;
	fk->qclass = key->qclass;
	fk->flags = (uint8_t)((key->do_bit ? CACHE_F_DO : 0) |
	    (key->cd ? CACHE_F_CD : 0));
	cache_sip_word(&s,
	    (uint64_t)n | (uint64_t)fk->qtype << 16 |
	        (uint64_t)fk->qclass << 32 | (uint64_t)fk->flags << 48);
	words = (n + 7) / 8 + 1;
	/* A composed answer's generation is one more word (the flags word
	 * ends the message either way, so lengths stay unambiguous). */
	fk->gen = gen;
	if (gen != 0) {
		cache_sip_word(&s, gen);
		words++;
	}
	/* finalization: the message is words * 8 bytes long, no tail */
	cache_sip_word(&s, (uint64_t)(words * 8) << 56);
	s.v2 ^= 0xff;
	cache_sip_round(&s);
	cache_sip_round(&s);
	cache_sip_round(&s);
	fk->hash = s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
	return 0;
}

static bool
cache_entry_matches(struct cache_entry *e, const struct cache_fkey *fk)
{
	return e->hash == fk->hash && e->gen == fk->gen &&
	    e->namelen == fk->namelen && e->qtype == fk->qtype &&
	    e->qclass == fk->qclass &&
	    (e->flags & (CACHE_F_DO | CACHE_F_CD)) == fk->flags &&
	    memcmp(cache_entry_name(e), fk->name, fk->namelen) == 0;
}

static struct cache_bucket *
cache_bucket(const struct cache *c, uint64_t hash)
{
	return &c->buckets[hash & (c->nbuckets - 1)];
}

/* The bucket index uses the low bits of the hash, the tag the high ones. */
static uint32_t
cache_tag(uint64_t hash)
{
	return (uint32_t)(hash >> 32);
}

static struct cache_entry *
cache_find(const struct cache *c, const struct cache_fkey *fk)
{
	const struct cache_bucket *b = cache_bucket(c, fk->hash);
	struct cache_entry *e;

	if (b->n == 0 || (b->n == 1 && b->tag != cache_tag(fk->hash)))
		return NULL;
	for (e = b->head; e != NULL; e = e->hnext)
		if (cache_entry_matches(e, fk))
			return e;
	return NULL;
}

static void
cache_bucket_push(struct cache_bucket *b, struct cache_entry *e)
{
	e->hnext = b->head;
	b->head = e;
	b->tag = cache_tag(e->hash);
	b->n++;
}

/* Unlink e from its chain and the LRU list, uncharge and free it. */
static void
cache_remove(struct cache *c, struct cache_entry *e)
{
	struct cache_bucket *b = cache_bucket(c, e->hash);
	struct cache_entry **pp = &b->head;

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	b->n--;
	if (b->head != NULL)
		b->tag = cache_tag(b->head->hash);
	TAILQ_REMOVE(&c->lru, e, lru);
	c->st.entries--;
	c->st.bytes -= e->cost;
	free(e);
}

/* Double the table when the load factor passes 1.  Failure to allocate
 * only makes chains longer, so it is not an error. */
static void
cache_grow(struct cache *c)
{
	struct cache_bucket *nb;
	struct cache_entry *e, *next;
	size_t i, n = c->nbuckets * 2;

	if (c->st.entries <= c->nbuckets || n > CACHE_BUCKETS_MAX)
		return;
	if ((nb = hugemem_calloc(n, sizeof(*nb))) == NULL)
		return;
	for (i = 0; i < c->nbuckets; i++) {
		for (e = c->buckets[i].head; e != NULL; e = next) {
			next = e->hnext;
			cache_bucket_push(&nb[e->hash & (n - 1)], e);
		}
	}
	hugemem_free(c->buckets, c->nbuckets, sizeof(*c->buckets));
	c->buckets = nb;
	c->nbuckets = n;
}

struct cache *
cache_new(const struct conf_cache *cc)
{
	struct cache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->cc = *cc;
	arc4random_buf(c->seed, sizeof(c->seed));
	c->nbuckets = CACHE_BUCKETS_MIN;
	if ((c->buckets = hugemem_calloc(c->nbuckets, sizeof(*c->buckets))) ==
	    NULL) {
		free(c);
		return NULL;
	}
	TAILQ_INIT(&c->lru);
	return c;
}

void
cache_flush(struct cache *c)
{
	struct cache_entry *e;

	while ((e = TAILQ_FIRST(&c->lru)) != NULL)
		cache_remove(c, e);
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	cache_flush(c);
	hugemem_free(c->buckets, c->nbuckets, sizeof(*c->buckets));
	free(c);
}

void
cache_get_stats(const struct cache *c, struct cache_stats *st)
{
	*st = c->st;
}

static uint32_t
cache_clamp(const struct cache *c, uint32_t ttl)
{
	if (ttl < c->cc.min_ttl)
		ttl = c->cc.min_ttl;
	if (ttl > c->cc.max_ttl)
		ttl = c->cc.max_ttl;
	return ttl;
}

/* The reply must answer key's question (the caller checked, but a slip
 * here would poison the cache, so it is cheap insurance). */
static bool
cache_reply_matches(const struct dns_msginfo *mi, const struct cache_fkey *fk)
{
	return mi->has_question && mi->q.qtype == fk->qtype &&
	    mi->q.qclass == fk->qclass && mi->q.namelen == fk->namelen &&
	    dnswire_name_equal(
	        mi->q.name, mi->q.namelen, fk->name, fk->namelen);
}

/* Whether reply may be cached at all and, if so, whether it is negative
 * (RFC 2308 §2.1 NXDOMAIN, §2.2 NODATA). */
static bool
cache_is_cacheable(const struct dns_msginfo *mi, bool *negative)
{
	unsigned rcode = DNS_RCODE(mi->flags);

	/* A truncated answer is incomplete (RFC 2181 §9); SERVFAIL,
	 * REFUSED, FORMERR and the rest say nothing about the name. */
	if (!(mi->flags & DNS_FLAG_QR) || (mi->flags & DNS_FLAG_TC) ||
	    DNS_OPCODE(mi->flags) != 0)
		return false;
	if (rcode == CACHE_RCODE_NXDOMAIN)
		*negative = true;
	else if (rcode == CACHE_RCODE_NOERROR)
		*negative = mi->ancount == 0;
	else
		return false;
	return true;
}

/* A new entry holding key and reply, with room for nslots TTL slots. */
static struct cache_entry *
cache_entry_new(const struct cache_fkey *fk, const uint8_t *reply, size_t len,
    size_t nslots, uint64_t now)
{
	struct cache_entry *e;
	size_t datalen = fk->namelen + len + nslots * CACHE_SLOT_BYTES;

	if ((e = calloc(1, sizeof(*e) + datalen)) == NULL)
		return NULL;
	e->hash = fk->hash;
	e->gen = fk->gen;
	e->inserted = now;
	/* Charged: the struct, its data and its share of the hash index
	 * (two slots: the table doubles at load factor 1). */
	e->cost = (uint32_t)(sizeof(*e) + datalen + 2 * sizeof(void *));
	e->qtype = fk->qtype;
	e->qclass = fk->qclass;
	e->namelen = (uint8_t)fk->namelen;
	e->replylen = (uint16_t)len;
	e->nttl = (uint16_t)nslots;
	e->flags = fk->flags;
	memcpy(cache_entry_name(e), fk->name, fk->namelen);
	memcpy(cache_entry_reply(e), reply, len);
	return e;
}

/* Bytes after the last RR the header counts are no part of the answer
 * (and a relay that appends an OPT after them would send a malformed
 * message): keep the reply up to end only, moving the slots down. */
static void
cache_entry_trim(struct cache_entry *e, size_t end)
{
	uint8_t *slots = cache_entry_slot(e, 0);

	if (end >= e->replylen)
		return;
	e->replylen = (uint16_t)end;
	memmove(
	    cache_entry_slot(e, 0), slots, (size_t)e->nttl * CACHE_SLOT_BYTES);
}

/* Clamp every slot's TTL; the entry lives ttl seconds. */
static void
cache_entry_set_ttl(const struct cache *c, struct cache_entry *e,
    const struct cache_scan *sc, uint32_t ttl)
{
	uint32_t t;
	uint16_t off;
	size_t i;

	e->ttl = ttl;
	for (i = 0; i < e->nttl; i++) {
		cache_slot_get(e, i, &t, &off);
		/* RFC 2308 §5: the SOA's TTL counts down the negative TTL. */
		cache_slot_put(
		    e, i, i == sc->soa_slot ? ttl : cache_clamp(c, t), off);
	}
}

static void
cache_insert(struct cache *c, struct cache_entry *e)
{
	struct cache_entry *old;

	while (c->st.bytes + e->cost > c->cc.size &&
	    (old = TAILQ_LAST(&c->lru, cache_lru)) != NULL) {
		cache_remove(c, old);
		c->st.evictions++;
	}
	cache_bucket_push(cache_bucket(c, e->hash), e);
	TAILQ_INSERT_HEAD(&c->lru, e, lru);
	c->st.entries++;
	c->st.bytes += e->cost;
	c->st.inserts++;
	cache_grow(c);
}

/* The smallest TTL of e's slots (UINT32_MAX when it has none). */
static uint32_t
cache_entry_min_slot(struct cache_entry *e)
{
	uint32_t t, min = UINT32_MAX;
	uint16_t off;
	size_t i;

	for (i = 0; i < e->nttl; i++) {
		cache_slot_get(e, i, &t, &off);
		if (t < min)
			min = t;
	}
	return min;
}

/*
 * An entry is kept without the reply's OPT record (RFC 6891 §6.1.1: it
 * is per hop and never cached), which must be the last RR: the relay
 * appends the client's own, so that nothing needs parsing on a hit.  An
 * OPT with extended rcode bits is not cached (the rcode is then neither
 * NOERROR nor NXDOMAIN).  Cuts e's reply and updates mi to match.  -1
 * when it cannot.
 */
static int
cache_entry_cut_opt(struct cache_entry *e, struct dns_msginfo *mi)
{
	uint8_t *r = cache_entry_reply(e);

	if (mi->opt_off == 0)
		return 0;
	/* parse_msg checked the owner is the root: byte 5 is EXTENDED-RCODE */
	if (mi->opt_end != mi->msg_end || mi->arcount == 0 ||
	    r[mi->opt_off + 5] != 0)
		return -1;
	e->replylen = (uint16_t)mi->opt_off;
	dnswire_put16(r + 10, (uint16_t)(mi->arcount - 1));
	/* what a parse of the shorter reply would say (the OPT was last) */
	mi->arcount--;
	mi->msg_end = mi->opt_off;
	mi->opt_off = mi->opt_end = 0;
	memset(&mi->edns, 0, sizeof(mi->edns));
	return 0;
}

/*
 * Store reply under fk.  An upstream answer (fk->gen 0) has its TTLs
 * clamped to [min_ttl, max_ttl]; a composed one keeps the TTLs it was
 * sent with and lives no longer than the smallest of them, nor than
 * maxttl (its target's time left).  Neither keeps an OPT.  parsed is the
 * caller's dnswire_parse_msg() of reply (copied: it is updated as the
 * entry is cut), or NULL.  *stored is the new entry when 1 is returned.
 */
static int
cache_store_fk(struct cache *c, const struct cache_fkey *fk,
    const uint8_t *reply, size_t len, const struct dns_msginfo *parsed,
    uint64_t now, uint32_t maxttl, struct cache_entry **stored)
{
	struct dns_msginfo mi;
	struct cache_scan sc;
	struct cache_entry *e = NULL, *old;
	bool negative = false;
	uint32_t ttl;
	int rv = 0;

	if (parsed != NULL)
		mi = *parsed;
	else if (dnswire_parse_msg(reply, len, &mi) == -1)
		return 0;
	if (!cache_is_cacheable(&mi, &negative) ||
	    !cache_reply_matches(&mi, fk))
		return 0;
	/* Other names may point at the question name, so it must not point
	 * anywhere itself (the header: patched on relay). */
	if (mi.question_end != DNS_HDR_LEN + mi.q.namelen + 4)
		return 0;
	/* The header counts bound the slots (parse_msg walked them all). */
	e = cache_entry_new(
	    fk, reply, len, (size_t)mi.ancount + mi.nscount + mi.arcount, now);
	if (e == NULL)
		return -1;
	if (cache_entry_cut_opt(e, &mi) == -1)
		goto done;
	if (e->cost > c->cc.size || cache_scan(e, &mi, negative, &sc) == 0)
		goto done;
	if (c->cc.minimal_responses)
		cache_entry_minimal(e, fk, &sc);
	cache_entry_trim(e, sc.end);
	if (fk->gen != 0) {
		ttl = cache_entry_min_slot(e);
		ttl = sc.ttl < ttl ? sc.ttl : ttl;
		e->ttl = maxttl < ttl ? maxttl : ttl;
		if (e->ttl == 0)
			goto done;
	} else {
		/* RFC 1035 §3.2.1: TTL 0 means "do not cache" (unless
		 * min_ttl). */
		if ((ttl = cache_clamp(c, sc.ttl)) == 0)
			goto done;
		cache_entry_set_ttl(c, e, &sc, ttl);
	}
	if ((old = cache_find(c, fk)) != NULL)
		cache_remove(c, old);
	cache_insert(c, e);
	*stored = e;
	e = NULL;
	rv = 1;
done:
	free(e);
	return rv;
}

int
cache_store(struct cache *c, const struct cache_key *key, const uint8_t *reply,
    size_t len, uint64_t now)
{
	struct cache_fkey fk;
	struct cache_entry *e;

	if (len < DNS_HDR_LEN || len > DNS_MSG_MAX || c->cc.size == 0 ||
	    cache_fkey_make(c, key, 0, &fk) == -1)
		return 0;
	return cache_store_fk(c, &fk, reply, len, NULL, now, UINT32_MAX, &e);
}

int
cache_store_composed(struct cache *c, const struct cache_key *key, uint64_t gen,
    const uint8_t *reply, size_t len, uint64_t now, uint32_t maxttl)
{
	struct cache_fkey fk;
	struct cache_entry *e;

	if (gen == 0 || maxttl == 0 || len < DNS_HDR_LEN || len > DNS_MSG_MAX ||
	    c->cc.size == 0 || cache_fkey_make(c, key, gen, &fk) == -1)
		return 0;
	return cache_store_fk(c, &fk, reply, len, NULL, now, maxttl, &e);
}

/* Copy e's reply into out with every TTL rewritten: decremented by age
 * (never below 0), or a flat stale TTL. */
static void
cache_copy_patched(
    struct cache_entry *e, uint64_t age, bool stale, uint8_t *out)
{
	size_t i;

	memcpy(out, cache_entry_reply(e), e->replylen);
	for (i = 0; i < e->nttl; i++) {
		uint32_t t;
		uint16_t off;

		cache_slot_get(e, i, &t, &off);
		if (stale)
			t = CACHE_STALE_TTL;
		else
			t = t > age ? (uint32_t)(t - age) : 0;
		dnswire_put32(out + off, t);
	}
}

int
cache_store_copy(struct cache *c, const struct cache_key *key,
    const uint8_t *reply, size_t len, const struct dns_msginfo *mi,
    uint64_t now, uint8_t *out, size_t cap, size_t *outlen)
{
	struct cache_fkey fk;
	struct cache_entry *e = NULL;
	int rv;

	*outlen = 0;
	if (len < DNS_HDR_LEN || len > DNS_MSG_MAX || c->cc.size == 0 ||
	    cache_fkey_make(c, key, 0, &fk) == -1)
		return 0;
	rv = cache_store_fk(c, &fk, reply, len, mi, now, UINT32_MAX, &e);
	if (rv == 1 && e->replylen <= cap) { /* as a lookup at age 0 */
		cache_copy_patched(e, 0, false, out);
		*outlen = e->replylen;
	}
	return rv;
}

/*
 * The entry for fk at now, or NULL (then *stale is meaningless).  An
 * entry past its stale window (RFC 8767 §5) is removed: gone for good.
 */
static inline __attribute__((always_inline)) struct cache_entry *
cache_get(struct cache *c, const struct cache_fkey *fk, uint64_t now,
    uint64_t *age, bool *stale)
{
	struct cache_entry *e;

	if ((e = cache_find(c, fk)) == NULL)
		return NULL;
	*age = now > e->inserted ? now - e->inserted : 0;
	*stale = *age >= e->ttl;
	if (*stale && *age - e->ttl >= c->cc.serve_stale) {
		cache_remove(c, e);
		return NULL;
	}
	return e;
}

/* cache_lookup() for a flattened key; a miss is not counted here. */
static inline __attribute__((always_inline)) enum cache_result
cache_lookup_fk(struct cache *c, const struct cache_fkey *fk, uint64_t now,
    bool allow_stale, uint8_t *out, size_t cap, size_t *outlen, bool *prefetch)
{
	struct cache_entry *e;
	uint64_t age;
	bool stale;

	*prefetch = false;
	if ((e = cache_get(c, fk, now, &age, &stale)) == NULL ||
	    (stale && !allow_stale) || cap < e->replylen)
		return CACHE_MISS;
	cache_copy_patched(e, age, stale, out);
	*outlen = e->replylen;
	TAILQ_REMOVE(&c->lru, e, lru);
	TAILQ_INSERT_HEAD(&c->lru, e, lru);
	if (stale) {
		c->st.stale_hits++;
		return CACHE_STALE;
	}
	/* Last 10% of the TTL: ask the caller to refresh, once per entry. */
	if (c->cc.prefetch && !(e->flags & CACHE_F_PREFETCHED) &&
	    (e->ttl - age) * 10 < e->ttl) {
		e->flags |= CACHE_F_PREFETCHED;
		*prefetch = true;
	}
	c->st.hits++;
	return CACHE_HIT;
}

enum cache_result
cache_lookup(struct cache *c, const struct cache_key *key, uint64_t now,
    bool allow_stale, uint8_t *out, size_t cap, size_t *outlen, bool *prefetch)
{
	struct cache_fkey fk;
	enum cache_result r = CACHE_MISS;

	*prefetch = false;
	if (cache_fkey_make(c, key, 0, &fk) == 0)
		r = cache_lookup_fk(
		    c, &fk, now, allow_stale, out, cap, outlen, prefetch);
	if (r == CACHE_MISS)
		c->st.misses++;
	return r;
}

enum cache_result
cache_lookup_composed(struct cache *c, const struct cache_key *key,
    uint64_t gen, uint64_t now, uint8_t *out, size_t cap, size_t *outlen,
    bool *prefetch)
{
	struct cache_fkey fk;

	/* Not counted as a miss: the caller goes on to the target, whose
	 * lookup counts.  Never stale: a stale link answer is composed
	 * again from its target (which serve_stale covers). */
	*prefetch = false;
	if (gen == 0 || cache_fkey_make(c, key, gen, &fk) == -1)
		return CACHE_MISS;
	return cache_lookup_fk(c, &fk, now, false, out, cap, outlen, prefetch);
}

uint32_t
cache_ttl_left(struct cache *c, const struct cache_key *key, uint64_t now)
{
	struct cache_fkey fk;
	struct cache_entry *e;
	uint64_t age;
	bool stale;

	if (cache_fkey_make(c, key, 0, &fk) == -1 ||
	    (e = cache_get(c, &fk, now, &age, &stale)) == NULL || stale)
		return 0;
	return (uint32_t)(e->ttl - age);
}
