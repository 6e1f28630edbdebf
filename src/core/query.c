/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * query: the request check of design.md §4 in style.md §9's order, one
 * condition per check (Unbound's worker_check_request list).  The whole
 * message is parsed first so that error answers can echo the question and
 * the OPT record when they are well formed; the verdicts are then taken
 * in the fixed order below.  Pure: no sockets, no allocation, no logging
 * above debug.
 *
 * QCLASS: IN is answered, CH passes (the resolver answers version.bind and
 * id.server; other CH names are forwarded), ANY passes and is looked up
 * like IN (RFC 1035 §3.2.5); every other class, including NONE (RFC 2136
 * uses it in updates only) and the reserved 0, is REFUSED: linkshim serves
 * no data in them and does not forward them.
 */
#include "linkshim/query.h"

#define QUERY_RCODE_FORMERR 1
#define QUERY_RCODE_NOTIMP 4
#define QUERY_RCODE_REFUSED 5

#define QUERY_OPCODE_QUERY 0

#define QUERY_TYPE_OPT 41
#define QUERY_TYPE_IXFR 251
#define QUERY_TYPE_AXFR 252
#define QUERY_TYPE_ANY 255

#define QUERY_CLASS_IN 1
#define QUERY_CLASS_CH 3
#define QUERY_CLASS_ANY 255

/* Types that may not be asked for (RFC 6895 §3.1): OPT is a pseudo-RR
 * (RFC 6891 §6.1.1), TKEY/TSIG are transaction meta-RRs (RFC 2930, RFC
 * 8945), and 128-255 is the QTYPE/meta range.  ANY (255) is the
 * exception: it is answered with one RRset (RFC 8482). */
static bool
query_is_meta_type(uint16_t t)
{
	if (t == QUERY_TYPE_ANY)
		return false;
	if (t == QUERY_TYPE_OPT)
		return true;
	return t >= 128 && t <= 255;
}

int
query_check(const uint8_t *pkt, size_t len, struct dns_msginfo *mi)
{
	int parsed;

	parsed = dnswire_parse_msg(pkt, len, mi);
	/* RFC 1035 §4.1.1: no header, nothing to answer to. */
	if (len < DNS_HDR_LEN)
		return QUERY_DROP;
	/* A response is never answered (RFC 1035 §4.1.1 QR; avoids
	 * reflection loops between servers). */
	if (mi->flags & DNS_FLAG_QR)
		return QUERY_DROP;
	if (parsed == -1)
		mi->edns.present = false; /* do not echo a broken OPT */
	/* TC in a query makes no sense (RFC 1035 §4.1.1): FORMERR. */
	if (mi->flags & DNS_FLAG_TC)
		return QUERY_RCODE_FORMERR;
	/* Only QUERY is implemented (RFC 1035 §4.1.1, RFC 6895 §2.2). */
	if (DNS_OPCODE(mi->flags) != QUERY_OPCODE_QUERY)
		return QUERY_RCODE_NOTIMP;
	/* Exactly one question (RFC 9619 made QDCOUNT > 1 an error). */
	if (mi->qdcount != 1)
		return QUERY_RCODE_FORMERR;
	/* A query carries no answer or authority records, and at most the
	 * OPT record in the additional section (RFC 6891 §6.1.1; TSIG and
	 * SIG(0) are not supported). */
	if (mi->ancount != 0 || mi->nscount != 0)
		return QUERY_RCODE_FORMERR;
	if (mi->arcount > 1)
		return QUERY_RCODE_FORMERR;
	/* Malformed question or RR, two OPTs, OPT with a non-root owner or
	 * broken options (RFC 6891 §6.1.1): FORMERR. */
	if (parsed == -1 || !mi->has_question)
		return QUERY_RCODE_FORMERR;
	/* An additional record that is not OPT (we checked arcount <= 1). */
	if (mi->arcount == 1 && !mi->edns.present)
		return QUERY_RCODE_FORMERR;
	/* RFC 6891 §6.1.3: we implement version 0 only. */
	if (mi->edns.present && mi->edns.version > 0)
		return QUERY_RCODE_BADVERS;
	/* Zone transfers are not offered (RFC 5936 §2.2, RFC 1995). */
	if (mi->q.qtype == QUERY_TYPE_AXFR || mi->q.qtype == QUERY_TYPE_IXFR)
		return QUERY_RCODE_REFUSED;
	if (query_is_meta_type(mi->q.qtype))
		return QUERY_RCODE_FORMERR;
	/* Classes: see the top of this file (RFC 6895 §3.2). */
	if (mi->q.qclass != QUERY_CLASS_IN && mi->q.qclass != QUERY_CLASS_CH &&
	    mi->q.qclass != QUERY_CLASS_ANY)
		return QUERY_RCODE_REFUSED;
	return 0;
}
