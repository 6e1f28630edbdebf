/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * cache_scan: a reply walked before it becomes a cache entry.  Every RR's
 * TTL offset goes into the entry's slots (patched on every hit), the
 * entry's TTL is found (shortest answer TTL, RFC 2308 negative TTL), and
 * layouts a hit could not relay safely are refused: names that read
 * patched bytes through compression pointers, records after the OPT,
 * more RRs than the header counts.  cache_entry_minimal() then cuts the
 * entry to a minimal response.  No allocation, no clock.
 */
#include "core/cache_int.h"

/* RFC 2181 §8: a TTL with the top bit set is treated as zero. */
static uint32_t
cache_rr_ttl(uint32_t ttl)
{
	return ttl > CACHE_TTL_MAX ? 0 : ttl;
}

/*
 * RFC 2308 §5: the negative TTL is min(SOA TTL, SOA MINIMUM).  The SOA
 * RDATA is two (possibly compressed) names then five 32-bit fields;
 * MINIMUM is the last.  -1 if the RDATA does not hold that.
 */
static int
cache_soa_negttl(const struct dns_rr_iter *it, uint32_t *negttl)
{
	size_t off = it->rdata_off, end = it->rdata_off + it->rdlen;
	uint32_t minimum;

	if (dnswire_read_name(it->pkt, end, &off, NULL, NULL) == -1 ||
	    dnswire_read_name(it->pkt, end, &off, NULL, NULL) == -1 ||
	    end - off != 20)
		return -1;
	minimum = cache_rr_ttl(dnswire_get32(it->pkt + off + 16));
	*negttl =
	    cache_rr_ttl(it->ttl) < minimum ? cache_rr_ttl(it->ttl) : minimum;
	return 0;
}

/* Whether [off, off + n) of e's reply overlaps one of its first nslots
 * TTL fields (the slots ascend by offset). */
static bool
cache_hits_ttl(struct cache_entry *e, size_t nslots, size_t off, size_t n)
{
	size_t lo = 0, hi = nslots, mid;
	uint32_t t;
	uint16_t o;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cache_slot_get(e, mid, &t, &o);
		if ((size_t)o + 4 <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == nslots)
		return false;
	cache_slot_get(e, lo, &t, &o);
	return o < off + n;
}

/*
 * Whether the name at off (its inline labels ending by limit) reads only
 * bytes that stay as stored.  A compression pointer may land on any
 * earlier byte, so a crafted reply can run a label over a TTL field,
 * rewritten on every hit (the name then changes, or a TTL byte read as a
 * label length breaks the message), or over the header, patched on
 * relay.  A real compressor points at names it wrote earlier, so what is
 * read after the first pointer must lie before that pointer, off the
 * header and off the nslots TTL fields recorded so far (the only ones
 * before it).  A pointer to the start of a label of the question name
 * (pointer-free, checked by the caller) is stable at once: what it reads
 * is a suffix of that name (owners and targets below the question name,
 * e.g. an authority NS, point there).
 */
static bool
cache_qname_label(const struct cache_entry *e, const uint8_t *pkt, size_t ptr)
{
	size_t off = DNS_HDR_LEN, end = DNS_HDR_LEN + e->namelen;

	while (off < ptr && off < end)
		off += 1 + (size_t)pkt[off];
	return off == ptr && ptr < end;
}

static bool
cache_name_is_stable(
    struct cache_entry *e, size_t nslots, size_t off, size_t limit)
{
	const uint8_t *pkt = cache_entry_reply(e);
	size_t ptr;
	bool jumped = false;
	uint8_t c;

	for (;;) {
		if (off >= limit)
			return false;
		c = pkt[off];
		if ((c & 0xc0) == 0xc0) {
			if (limit - off < 2 ||
			    (jumped && cache_hits_ttl(e, nslots, off, 2)))
				return false;
			ptr = (size_t)((c & 0x3f) << 8) | pkt[off + 1];
			if (cache_qname_label(e, pkt, ptr))
				return true;
			if (ptr < DNS_HDR_LEN || ptr >= off)
				return false;
			if (!jumped)
				limit = off;
			jumped = true;
			off = ptr;
			continue;
		}
		if ((c & 0xc0) != 0 || limit - off < 1 + (size_t)c ||
		    (jumped && cache_hits_ttl(e, nslots, off, 1 + (size_t)c)))
			return false;
		if (c == 0)
			return true;
		off += 1 + (size_t)c;
	}
}

/* The same for the names in the RDATA of the RR at it. */
static bool
cache_rdata_is_stable(
    struct cache_entry *e, size_t nslots, const struct dns_rr_iter *it)
{
	size_t pre, off, end = it->rdata_off + it->rdlen;
	unsigned i, names = dnswire_rdata_names(it->type, &pre);

	off = it->rdata_off + pre;
	for (i = 0; i < names && off < end; i++) {
		if (!cache_name_is_stable(e, nslots, off, end) ||
		    dnswire_read_name(it->pkt, end, &off, NULL, NULL) == -1)
			return false;
	}
	return true;
}

/*
 * Walk every RR of e's reply and fill e's slots with the offset and TTL
 * of each (OPT excepted: its "TTL" carries EDNS flags, RFC 6891 §6.1.3);
 * find the minimum answer TTL and, for a negative answer, the SOA.
 * Returns 1 cacheable (sc filled), 0 not.
 */
int
cache_scan(struct cache_entry *e, const struct dns_msginfo *mi, bool negative,
    struct cache_scan *sc)
{
	struct dns_rr_iter it;
	uint32_t ansttl = UINT32_MAX, negttl = 0;
	bool have_soa = false, opt = false;
	size_t n = 0;
	int rv;

	sc->soa_slot = SIZE_MAX;
	sc->ans_end = sc->auth_end = mi->question_end;
	sc->ans_n = sc->auth_n = 0;
	sc->auth_soa = false;
	dnswire_rr_iter_init(&it, cache_entry_reply(e), e->replylen, mi);
	while ((rv = dnswire_rr_next(&it)) == 1) {
		/* The relay drops the OPT and closes the gap: a record
		 * after it could point into moved bytes. */
		if (opt)
			return 0;
		if (it.type == CACHE_TYPE_OPT) {
			opt = true;
			continue;
		}
		if (n == e->nttl)
			return 0; /* more RRs than the header counted */
		if (!cache_name_is_stable(e, n, it.owner_off, e->replylen))
			return 0;
		if (it.section == 1 && cache_rr_ttl(it.ttl) < ansttl)
			ansttl = cache_rr_ttl(it.ttl);
		if (negative && !have_soa && it.section == 2 &&
		    it.type == CACHE_TYPE_SOA) {
			if (cache_soa_negttl(&it, &negttl) == -1)
				return 0;
			have_soa = true;
			sc->soa_slot = n;
		}
		cache_slot_put(
		    e, n++, cache_rr_ttl(it.ttl), (uint16_t)it.ttl_off);
		if (!cache_rdata_is_stable(e, n, &it))
			return 0;
		if (it.section == 1) {
			sc->ans_end = sc->auth_end = it.off;
			sc->ans_n = n;
		} else if (it.section == 2) {
			sc->auth_end = it.off;
			sc->auth_n = n - sc->ans_n;
			sc->auth_soa |= it.type == CACHE_TYPE_SOA;
		}
	}
	if (rv != 0)
		return 0;
	e->nttl = (uint16_t)n;
	sc->end = it.off;
	if (!negative) {
		sc->ttl = ansttl;
		return 1;
	}
	/* RFC 2308 §5: negative answers without an SOA are not cached. */
	if (!have_soa)
		return 0;
	/* A CNAME chain ending in NXDOMAIN expires with its shortest link. */
	sc->ttl = negttl < ansttl ? negttl : ansttl;
	return 1;
}

/*
 * Minimal responses (Unbound's minimal-responses, BIND's
 * minimal-responses): the additional section is not kept (glue and
 * hints a stub does not need), nor the authority section of a positive
 * answer unless it holds an SOA (a CNAME ending in NODATA) or the query
 * had DO (DNSSEC proofs, e.g. the NSEC of a wildcard answer).  What is
 * left is the answer (and its SOA); fewer bytes on every hit.
 */
void
cache_entry_minimal(
    struct cache_entry *e, const struct cache_fkey *fk, struct cache_scan *sc)
{
	uint8_t *r = cache_entry_reply(e);
	bool auth = sc->auth_soa || (fk->flags & CACHE_F_DO);

	sc->end = auth ? sc->auth_end : sc->ans_end;
	e->nttl = (uint16_t)(sc->ans_n + (auth ? sc->auth_n : 0));
	if (!auth)
		dnswire_put16(r + 8, 0);
	dnswire_put16(r + 10, 0);
}
