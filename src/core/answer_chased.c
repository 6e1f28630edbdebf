/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * answer_chased: the answer for a link (or Route 53 alias) whose target
 * was resolved upstream.  Alias mode flattens: the target's final A/AAAA
 * RRset (after following its CNAME chain) is written under the client's
 * name with TTL min(link TTL, every TTL on the chain), a negative target
 * becomes NODATA with the link's SOA.  CNAME mode writes "qname CNAME
 * target" followed by the target reply's answer section, re-encoded
 * (names decompressed, the target name pointed at), with the target's
 * rcode (RFC 6604: NXDOMAIN applies to the end of the chain).  Writes
 * into the caller's buffer only.
 */
#include <string.h>

#include "core/answer_int.h"
#include "core/zonetab_int.h"
#include "linkshim/answer.h"

#define ANSWER_MAX_CHAIN 16 /* CNAME hops followed inside one reply */
#define ANSWER_RCODE_SERVFAIL 2
#define ANSWER_RCODE_NXDOMAIN 3

struct wr {
	uint8_t *out;
	size_t len, cap;
	bool overflow;
};

static void
wr_put(struct wr *w, const void *p, size_t n)
{
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return;
	}
	memcpy(w->out + w->len, p, n);
	w->len += n;
}

static void
wr_put16(struct wr *w, uint16_t v)
{
	uint8_t b[2];

	dnswire_put16(b, v);
	wr_put(w, b, 2);
}

/* The RR at it, owner replaced by ownerptr (0 = write owner in full),
 * RDATA names decompressed.  -1 when the RDATA is malformed. */
static int
wr_rr(
    struct wr *w, const struct dns_rr_iter *it, uint16_t ownerptr, uint32_t ttl)
{
	uint8_t name[DNS_NAME_MAX], b[4];
	size_t nlen, off = it->owner_off, end, pre, rdlen_at;
	unsigned names, i;

	if (ownerptr != 0)
		wr_put16(w, ownerptr);
	else {
		if (dnswire_read_name(it->pkt, it->len, &off, name, &nlen) ==
		    -1)
			return -1;
		wr_put(w, name, nlen);
	}
	wr_put16(w, it->type);
	wr_put16(w, it->rclass);
	dnswire_put32(b, ttl);
	wr_put(w, b, 4);
	rdlen_at = w->len;
	wr_put16(w, 0);
	names = dnswire_rdata_names(it->type, &pre);
	off = it->rdata_off;
	end = off + it->rdlen;
	if (pre > it->rdlen)
		return -1;
	wr_put(w, it->pkt + off, pre);
	off += pre;
	for (i = 0; i < names; i++) {
		if (dnswire_read_name(it->pkt, end, &off, name, &nlen) == -1)
			return -1;
		wr_put(w, name, nlen);
	}
	wr_put(w, it->pkt + off, end - off);
	if (!w->overflow) {
		if (w->len - rdlen_at - 2 > 0xffff)
			return -1;
		dnswire_put16(
		    w->out + rdlen_at, (uint16_t)(w->len - rdlen_at - 2));
	}
	return 0;
}

/* Whether the owner of the RR at it is name.  An owner that is a
 * pointer to offset 12 is the reply's question name (parsed and checked
 * already), so it is compared without decompressing it again. */
static bool
owner_is(const struct dns_rr_iter *it, const struct dns_msginfo *tmi,
    const uint8_t *name, size_t len)
{
	uint8_t o[DNS_NAME_MAX];
	size_t olen, off = it->owner_off;

	if (it->len - off >= 2 && it->pkt[off] == 0xc0 &&
	    it->pkt[off + 1] == DNS_HDR_LEN && tmi->has_question)
		return dnswire_name_equal(
		    tmi->q.name, tmi->q.namelen, name, len);
	if (dnswire_read_name(it->pkt, it->len, &off, o, &olen) == -1)
		return false;
	return dnswire_name_equal(o, olen, name, len);
}

/* Follow the CNAME chain from the target inside the reply's answer
 * section; cur/curlen: the owner of the final RRset.  Returns the number
 * of final RRs of type (0: NODATA), *ttl lowered along the way. */
static unsigned
chase_chain(const uint8_t *pkt, size_t len, const struct dns_msginfo *tmi,
    uint16_t type, uint8_t *cur, size_t *curlen, uint32_t *ttl)
{
	struct dns_rr_iter it;
	uint8_t next[DNS_NAME_MAX];
	size_t nlen = 0, off;
	unsigned hops, found;
	uint32_t cttl = 0, fttl = UINT32_MAX;

	for (hops = 0; hops < ANSWER_MAX_CHAIN; hops++) {
		found = 0;
		nlen = 0;
		dnswire_rr_iter_init(&it, pkt, len, tmi);
		while (dnswire_rr_next(&it) == 1 && it.section == 1) {
			if (!owner_is(&it, tmi, cur, *curlen))
				continue;
			if (it.type == type) {
				found++;
				fttl = it.ttl < fttl ? it.ttl : fttl;
			} else if (it.type == ZT_TYPE_CNAME && nlen == 0) {
				off = it.rdata_off;
				if (dnswire_read_name(pkt,
				        it.rdata_off + it.rdlen, &off, next,
				        &nlen) == -1)
					nlen = 0;
				cttl = it.ttl;
			}
		}
		if (found) {
			*ttl = fttl < *ttl ? fttl : *ttl;
			return found;
		}
		if (nlen == 0)
			return 0;
		memcpy(cur, next, nlen);
		*curlen = nlen;
		*ttl = cttl < *ttl ? cttl : *ttl;
	}
	return 0;
}

static void
wr_finish(struct wr *w, const struct dns_msginfo *mi)
{
	if (mi->edns.present && w->cap - w->len >= ANSWER_OPT_LEN) {
		w->len += answer_opt(w->out + w->len, mi, 0);
		dnswire_put16(w->out + 10, 1);
	} else if (mi->edns.present)
		w->overflow = true;
}

static int
chased_alias(const struct dns_msginfo *mi, const struct zt_result *res,
    const uint8_t *pkt, size_t len, const struct dns_msginfo *tmi, struct wr *w)
{
	struct dns_rr_iter it;
	uint8_t cur[DNS_NAME_MAX];
	size_t curlen = res->target_len;
	uint32_t ttl = res->ttl;
	unsigned n = 0;

	memcpy(cur, res->target, curlen);
	if (DNS_RCODE(tmi->flags) == 0)
		n = chase_chain(
		    pkt, len, tmi, res->chase_type, cur, &curlen, &ttl);
	w->len = answer_head(w->out, mi, DNS_FLAG_AA);
	if (n == 0) {
		/* NODATA with the link's SOA (RFC 2308 §2.2): the name
		 * exists here even when the target does not. */
		if (w->cap - w->len < ANSWER_SOA_LEN) {
			w->overflow = true;
			return 0;
		}
		answer_soa(w->out + w->len, res->apex_off, res->soa_ttl,
		    res->soa_minimum);
		w->len += ANSWER_SOA_LEN;
		dnswire_put16(w->out + 8, 1);
		return 0;
	}
	n = 0;
	dnswire_rr_iter_init(&it, pkt, len, tmi);
	while (dnswire_rr_next(&it) == 1 && it.section == 1) {
		if (it.type != res->chase_type ||
		    !owner_is(&it, tmi, cur, curlen))
			continue;
		/* RFC 2181 §5.2: one TTL for the whole RRset. */
		if (wr_rr(w, &it, 0xc00c, ttl) == -1)
			return -1;
		n++;
	}
	dnswire_put16(w->out + 6, (uint16_t)n);
	return 0;
}

static int
chased_cname(const struct dns_msginfo *mi, const struct zt_result *res,
    const uint8_t *pkt, size_t len, const struct dns_msginfo *tmi, struct wr *w)
{
	struct dns_rr_iter it;
	size_t tpos;
	unsigned an = 1, ns = 0, data = 0;
	uint16_t tptr;
	uint8_t b[4];

	w->len = answer_head(
	    w->out, mi, (uint16_t)(DNS_FLAG_AA | DNS_RCODE(tmi->flags)));
	wr_put16(w, 0xc00c);
	wr_put16(w, ZT_TYPE_CNAME);
	wr_put16(w, ZT_CLASS_IN);
	dnswire_put32(b, res->ttl);
	wr_put(w, b, 4);
	wr_put16(w, (uint16_t)res->target_len);
	tpos = w->len;
	wr_put(w, res->target, res->target_len);
	tptr = tpos < 0x4000 ? (uint16_t)(0xc000 | tpos) : 0;
	dnswire_rr_iter_init(&it, pkt, len, tmi);
	while (dnswire_rr_next(&it) == 1 && it.section < 3) {
		if (it.section == 1) {
			if (wr_rr(w, &it,
			        owner_is(&it, tmi, res->target, res->target_len)
			            ? tptr
			            : 0,
			        it.ttl) == -1)
				return -1;
			an++;
			data += it.type == res->chase_type;
		} else if (data == 0 && it.type == ZT_TYPE_SOA) {
			/* Negative: keep the target zone's SOA for
			 * negative caching (RFC 2308 §3). */
			if (wr_rr(w, &it, 0, it.ttl) == -1)
				return -1;
			ns++;
		}
	}
	if (!w->overflow) {
		dnswire_put16(w->out + 6, (uint16_t)an);
		dnswire_put16(w->out + 8, (uint16_t)ns);
	}
	return 0;
}

int
answer_chased(const uint8_t *query, size_t qlen, const struct dns_msginfo *mi,
    const struct zt_result *res, const uint8_t *treply, size_t tlen,
    uint8_t *out, size_t cap, size_t max_size)
{
	struct dns_msginfo tmi;
	struct wr w;
	int rc, rv;

	if (query == NULL || qlen < DNS_HDR_LEN || !mi->has_question ||
	    answer_head_len(mi) > cap)
		return -1;
	if (treply == NULL || dnswire_parse_msg(treply, tlen, &tmi) == -1)
		return answer_error(
		    query, qlen, mi, ANSWER_RCODE_SERVFAIL, out, cap);
	rc = DNS_RCODE(tmi.flags);
	if (rc != 0 && rc != ANSWER_RCODE_NXDOMAIN)
		return answer_error(
		    query, qlen, mi, ANSWER_RCODE_SERVFAIL, out, cap);
	w.out = out;
	w.cap = cap;
	w.len = 0;
	w.overflow = false;
	if (res->mode == LINK_MODE_CNAME)
		rv = chased_cname(mi, res, treply, tlen, &tmi, &w);
	else
		rv = chased_alias(mi, res, treply, tlen, &tmi, &w);
	if (rv == -1)
		return answer_error(
		    query, qlen, mi, ANSWER_RCODE_SERVFAIL, out, cap);
	wr_finish(&w, mi);
	if (w.overflow || w.len > max_size)
		return answer_truncated(mi,
		    (uint16_t)(DNS_FLAG_AA |
		        (res->mode == LINK_MODE_CNAME ? rc : 0)),
		    0, out, cap);
	return (int)w.len;
}
