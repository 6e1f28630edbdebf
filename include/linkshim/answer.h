/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * answer: writing replies to clients (design.md §4).  Every function
 * writes a complete DNS message into out[0..cap) and returns its length,
 * or -1 when it cannot (then the caller answers SERVFAIL via
 * answer_error(), or drops).  Common rules, applied by all:
 *  - ID and question echoed as the client sent them (case kept, 0x20);
 *  - QR and RA set; RD and CD copied from the query; AA on local data;
 *  - an OPT RR (udp size DNS_EDNS_ADVERTISE, DO copied) only when the
 *    query had one (RFC 6891 §7);
 *  - when the message would exceed max_size (the client's UDP limit, or
 *    DNS_MSG_MAX for TCP) it is cut to header + question (+ OPT) with TC
 *    set (RFC 2181 §9, RFC 7766 §5).
 * No allocation: callers pass a buffer (a per-listener scratch buffer).
 */
#ifndef LINKSHIM_ANSWER_H
#define LINKSHIM_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/dnswire.h"
#include "linkshim/zonetab.h"

/* The client's payload limit for UDP from its EDNS (or 512). */
size_t answer_udp_limit(const struct dns_msginfo *mi);

/* An answer carrying only rcode (FORMERR, SERVFAIL, NOTIMP, REFUSED,
 * BADVERS as extended rcode in the OPT).  The question is echoed when
 * mi->has_question.  query/qlen are the client's bytes. */
int answer_error(const uint8_t *query, size_t qlen,
    const struct dns_msginfo *mi, int rcode, uint8_t *out, size_t cap);

/* A ZT_LOCAL result rendered from the snapshot's pre-rendered records. */
int answer_local(const uint8_t *query, size_t qlen,
    const struct dns_msginfo *mi, const struct zt_result *res, uint8_t *out,
    size_t cap, size_t max_size);

/*
 * A ZT_CHASE result, given the upstream (or cached) reply for the target
 * (treply, already validated).  ALIAS: the target's final A/AAAA records
 * under the client's name (AA set), TTL = min(link TTL, target TTLs);
 * CNAME: link CNAME target, then the reply's answer section.  A target
 * NXDOMAIN/NODATA gives NODATA (alias) or the CNAME plus the target's
 * rcode (cname mode).
 */
int answer_chased(const uint8_t *query, size_t qlen,
    const struct dns_msginfo *mi, const struct zt_result *res,
    const uint8_t *treply, size_t tlen, uint8_t *out, size_t cap,
    size_t max_size);

/*
 * A forwarded (or cached) reply relayed to the client: ID and question
 * case patched to the client's, RD/CD copied, AA cleared (RFC 1035
 * §4.1.1: we are not the authority), OPT removed when the client
 * sent none (and DO-only data left as it is), truncated to max_size.
 * The reply is relayed as bytes, not re-encoded.
 */
int answer_relay(const uint8_t *query, size_t qlen,
    const struct dns_msginfo *mi, const uint8_t *reply, size_t rlen,
    uint8_t *out, size_t cap, size_t max_size);

/*
 * answer_relay() of a reply read back from the cache (cache_lookup() or
 * cache_lookup_composed(): no OPT, layout checked when it was stored,
 * question name equal to the client's but for case), without parsing it
 * again: ID, RD/CD, RA and the question's case patched, the rcode kept,
 * AA cleared unless ours (a composed link answer: we are the authority
 * for the link's name), the client's OPT appended, TC past max_size.
 */
int answer_relay_cached(const uint8_t *query, size_t qlen,
    const struct dns_msginfo *mi, const uint8_t *reply, size_t rlen, bool ours,
    uint8_t *out, size_t cap, size_t max_size);

#endif
