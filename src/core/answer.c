/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * answer: every reply linkshim writes to a client (design.md §4, the
 * common rules are in answer.h): error answers, local answers from the
 * zone table's pre-rendered wire (answer_local: a header, the echoed
 * question and one or two memcpys, no allocation), alias/cname answers
 * assembled from an upstream reply for the link's target
 * (answer_chased.c), and relayed upstream replies (answer_relay.c).
 * The helpers shared by those files are in answer_int.h.
 */
#include <string.h>

#include "core/answer_int.h"
#include "core/zonetab_int.h"
#include "linkshim/answer.h"

size_t
answer_udp_limit(const struct dns_msginfo *mi)
{
	/* RFC 6891 §6.2.5: never more than the requestor's size, and (DNS
	 * flag day 2020) never more than our own 1232 to avoid IP
	 * fragmentation; without EDNS, 512 (RFC 1035 §4.2.1). */
	if (!mi->edns.present)
		return DNS_UDP_MIN;
	if (mi->edns.udp_size < DNS_UDP_MIN)
		return DNS_UDP_MIN;
	if (mi->edns.udp_size > DNS_EDNS_ADVERTISE)
		return DNS_EDNS_ADVERTISE;
	return mi->edns.udp_size;
}

size_t
answer_head(uint8_t *out, const struct dns_msginfo *mi, uint16_t flags)
{
	size_t p = DNS_HDR_LEN;

	dnswire_put16(out, mi->id);
	/* RD and CD copied (RFC 1035 §4.1.1, RFC 4035 §3.2.2), RA set. */
	flags |= DNS_FLAG_QR | DNS_FLAG_RA;
	flags |= mi->flags & (DNS_FLAG_RD | DNS_FLAG_CD);
	dnswire_put16(out + 2, flags);
	memset(out + 4, 0, 8);
	if (mi->has_question) {
		dnswire_put16(out + 4, 1);
		/* the client's bytes, case kept (0x20, RFC 5452 §9) */
		memcpy(out + p, mi->q.name, mi->q.namelen);
		p += mi->q.namelen;
		dnswire_put16(out + p, mi->q.qtype);
		dnswire_put16(out + p + 2, mi->q.qclass);
		p += 4;
	}
	return p;
}

size_t
answer_head_len(const struct dns_msginfo *mi)
{
	return DNS_HDR_LEN + (mi->has_question ? mi->q.namelen + 4 : 0);
}

size_t
answer_opt(uint8_t *p, const struct dns_msginfo *mi, int rcode)
{
	/* RFC 6891 §6.1.2-6.1.3: root owner, our payload size, the upper
	 * 8 bits of the extended rcode, version 0, DO echoed (RFC 3225). */
	p[0] = 0;
	dnswire_put16(p + 1, ANSWER_TYPE_OPT);
	dnswire_put16(p + 3, DNS_EDNS_ADVERTISE);
	p[5] = (uint8_t)(rcode >> 4);
	p[6] = 0;
	dnswire_put16(p + 7, mi->edns.do_bit ? 0x8000 : 0);
	dnswire_put16(p + 9, 0);
	return ANSWER_OPT_LEN;
}

int
answer_truncated(const struct dns_msginfo *mi, uint16_t flags, int rcode,
    uint8_t *out, size_t cap)
{
	size_t p, need;

	need = answer_head_len(mi) + (mi->edns.present ? ANSWER_OPT_LEN : 0);
	if (need > cap)
		return -1;
	p = answer_head(
	    out, mi, (uint16_t)(flags | DNS_FLAG_TC | (rcode & 0xf)));
	if (mi->edns.present) {
		p += answer_opt(out + p, mi, rcode);
		dnswire_put16(out + 10, 1);
	}
	return (int)p;
}

int
answer_error(const uint8_t *query, size_t qlen, const struct dns_msginfo *mi,
    int rcode, uint8_t *out, size_t cap)
{
	size_t p, need;
	uint16_t flags;

	if (query == NULL || qlen < DNS_HDR_LEN || rcode < 0 || rcode > 0xfff)
		return -1;
	need = answer_head_len(mi) + (mi->edns.present ? ANSWER_OPT_LEN : 0);
	if (need > cap)
		return -1;
	/* RFC 6895 §2.2: the opcode is echoed. */
	flags = (uint16_t)((mi->flags & 0x7800) | (rcode & 0xf));
	p = answer_head(out, mi, flags);
	if (mi->edns.present) {
		p += answer_opt(out + p, mi, rcode);
		dnswire_put16(out + 10, 1);
	}
	return (int)p;
}

void
answer_soa(uint8_t *p, size_t apex_off, uint32_t ttl, uint32_t minimum)
{
	static const uint8_t names[] = ANSWER_SOA_NAMES;
	size_t q = 0;

	dnswire_put16(p, (uint16_t)(0xc000 | (DNS_HDR_LEN + apex_off)));
	dnswire_put16(p + 2, ZT_TYPE_SOA);
	dnswire_put16(p + 4, ZT_CLASS_IN);
	dnswire_put32(p + 6, ttl < minimum ? ttl : minimum);
	dnswire_put16(p + 10, (uint16_t)(sizeof(names) + 20));
	q = 12;
	memcpy(p + q, names, sizeof(names));
	q += sizeof(names);
	dnswire_put32(p + q, ZT_SOA_SERIAL);
	dnswire_put32(p + q + 4, ZT_SOA_REFRESH);
	dnswire_put32(p + q + 8, ZT_SOA_RETRY);
	dnswire_put32(p + q + 12, ZT_SOA_EXPIRE);
	dnswire_put32(p + q + 16, minimum);
}

/* RFC 1034 §4.3.2 step 3a: after a CNAME whose target is in the same
 * zone, the target's RRset of the asked type follows (*trs), its owners
 * pointing at the CNAME's RDATA.  Returns the bytes it adds. */
static size_t
cname_chain_len(
    const struct zt_node *n, uint16_t qtype, const struct zt_rrset **trs)
{
	*trs = NULL;
	if (n->cname_target == NULL || qtype == ZT_TYPE_CNAME ||
	    qtype == ZT_TYPE_ANY)
		return 0;
	*trs = zonetab_node_rrset(n->cname_target, qtype);
	if (*trs == NULL || (*trs)->type != qtype) {
		*trs = NULL;
		return 0;
	}
	return (*trs)->len;
}

/* Write trs at out + p with every owner a pointer to cname_rdata. */
static size_t
cname_chain_write(
    uint8_t *out, size_t p, size_t cname_rdata, const struct zt_rrset *trs)
{
	size_t i = 0, rdlen;

	memcpy(out + p, trs->wire, trs->len);
	while (i + 12 <= trs->len) {
		dnswire_put16(out + p + i, (uint16_t)(0xc000 | cname_rdata));
		rdlen = dnswire_get16(trs->wire + i + 10);
		i += 12 + rdlen;
	}
	return trs->len;
}

int
answer_local(const uint8_t *query, size_t qlen, const struct dns_msginfo *mi,
    const struct zt_result *res, uint8_t *out, size_t cap, size_t max_size)
{
	const struct zt_node *n = res->node;
	const struct zt_rrset *rs = NULL, *trs = NULL;
	const struct zt_zone *z;
	size_t p, len, apex_off = 0;
	uint16_t flags;

	if (query == NULL || qlen < DNS_HDR_LEN || n == NULL ||
	    !mi->has_question)
		return -1;
	z = n->zone;
	if (res->rcode == 0)
		rs = zonetab_node_rrset(n, mi->q.qtype);
	if (rs == NULL && z == NULL)
		return -1; /* cannot happen: data outside zones is a CNAME */
	len = answer_head_len(mi) + (mi->edns.present ? ANSWER_OPT_LEN : 0);
	len += rs != NULL ? rs->len : z->soa->len;
	if (rs != NULL && rs->type == ZT_TYPE_CNAME)
		len += cname_chain_len(n, mi->q.qtype, &trs);
	/* AA: this is our own data (RFC 1035 §4.1.1). */
	flags = (uint16_t)(DNS_FLAG_AA | (res->rcode & 0xf));
	if (len > max_size || len > cap)
		return answer_truncated(mi, flags, res->rcode, out, cap);
	p = answer_head(out, mi, flags);
	if (rs != NULL) {
		memcpy(out + p, rs->wire, rs->len);
		dnswire_put16(out + 6, rs->count);
		p += rs->len;
		if (trs != NULL) { /* the CNAME's RDATA is 12 bytes in */
			p += cname_chain_write(out, p, p - rs->len + 12, trs);
			dnswire_put16(out + 6, (uint16_t)(1 + trs->count));
		}
	} else {
		/* NXDOMAIN or NODATA: the apex SOA in the authority
		 * section, TTL min(SOA TTL, MINIMUM) (RFC 2308 §3, §5). */
		if (!z->apex_is_qname)
			apex_off = mi->q.namelen - z->apexlen;
		memcpy(out + p, z->soa->wire, z->soa->len);
		dnswire_put16(
		    out + p, (uint16_t)(0xc000 | (DNS_HDR_LEN + apex_off)));
		dnswire_put32(out + p + 6,
		    z->soa_ttl < z->soa_minimum ? z->soa_ttl : z->soa_minimum);
		p += z->soa->len;
		dnswire_put16(out + 8, 1);
	}
	if (mi->edns.present) {
		p += answer_opt(out + p, mi, 0);
		dnswire_put16(out + 10, 1);
	}
	return (int)p;
}
