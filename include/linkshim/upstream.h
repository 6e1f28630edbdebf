/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * upstream: the pure half of forwarding (design.md §4): building the query
 * we send, checking a reply before we believe it, and choosing which
 * server to ask next from smoothed RTTs and recent failures.  No sockets;
 * time is passed in milliseconds.  upstream_io.c does the I/O.
 */
#ifndef LINKSHIM_UPSTREAM_H
#define LINKSHIM_UPSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/conf.h"
#include "linkshim/dnswire.h"

#define UPSTREAM_MAX_SERVERS 16

/* Build the upstream query for q: fresh id, RD set, CD as given, EDNS OPT
 * (size DNS_EDNS_ADVERTISE, DO as given) unless edns is false (fallback
 * for servers that reject EDNS).  The question name is sent lower-cased.
 * Returns the length or -1 if cap is too small. */
int upstream_query_build(uint16_t id, const struct dns_question *q, bool edns,
    bool do_bit, bool cd, uint8_t *out, size_t cap);

enum upstream_verdict {
	UPSTREAM_ACCEPT = 0, /* the answer to our question */
	UPSTREAM_IGNORE,     /* not ours (wrong id/question, no QR,
	                        malformed): keep waiting */
	UPSTREAM_TRUNCATED,  /* ours, TC set: retry over TCP */
	UPSTREAM_FORMERR,    /* ours, FORMERR/NOTIMP to an EDNS query:
	                        retry without EDNS (RFC 6891 §7) */
	UPSTREAM_SERVFAIL,   /* ours, SERVFAIL/REFUSED: try the next
	                        server */
};

/* Check reply against the query we sent (id, q).  Every length is checked;
 * a reply whose records cannot be walked is IGNOREd. */
enum upstream_verdict upstream_reply_check(const uint8_t *reply, size_t len,
    uint16_t id, const struct dns_question *q, bool sent_edns);
/* The same; on UPSTREAM_ACCEPT *mi holds the reply's dnswire_parse_msg()
 * (for cache_store_copy()), otherwise its contents are undefined. */
enum upstream_verdict upstream_reply_check_mi(const uint8_t *reply, size_t len,
    uint16_t id, const struct dns_question *q, bool sent_edns,
    struct dns_msginfo *mi);

/* Per-server health for one set of servers (default or one forward zone).
 * Mutable; owned by one worker. */
struct upstream_server {
	struct conf_addr addr;
	uint32_t srtt_ms;          /* smoothed RTT, starts at 50 */
	unsigned fails;            /* consecutive timeouts/failures */
	uint64_t down_until_ms;    /* skipped (except as last resort) until */
	uint64_t fail_since_ms;    /* first of the current failures, when the
	                              server had answered before them; 0 none */
	bool no_edns;              /* answered FORMERR to EDNS */
	uint64_t no_edns_until_ms; /* no_edns set by upstream_set_no_edns():
	                              EDNS is tried again from then on; 0 =
	                              no expiry (no_edns set directly) */
	uint64_t queries, timeouts, errors;
};

struct upstream_set {
	struct upstream_server servers[UPSTREAM_MAX_SERVERS];
	size_t nservers;
};

/* Initialise from addresses (at most UPSTREAM_MAX_SERVERS used). */
void upstream_set_init(
    struct upstream_set *set, const struct conf_addr *addrs, size_t n);

/* Order the servers to try at time now: healthy ones by srtt, then those
 * marked down (so a dead set is still probed).  Writes indices into order
 * and returns how many. */
size_t upstream_set_order(
    const struct upstream_set *set, uint64_t now_ms, size_t *order, size_t max);

/* Server i answered FORMERR/NOTIMP to an EDNS query at now_ms (RFC 6891
 * §7): query it without EDNS for UPSTREAM_NO_EDNS_MS (900 s, Unbound's
 * EDNS_LAME_PROBE period), then try EDNS again (the server may have been
 * fixed, or the FORMERR was a middlebox's one-off). */
#define UPSTREAM_NO_EDNS_MS 900000
void upstream_set_no_edns(struct upstream_set *set, size_t i, uint64_t now_ms);

/* Whether a query to server i at now_ms carries EDNS: false while a
 * fallback is in force (forever if no_edns was set without expiry). */
bool upstream_set_has_edns(
    const struct upstream_set *set, size_t i, uint64_t now_ms);

/* Record an answer (rtt) or a failure (timeout/servfail) for server i.
 * A failure backs the server off (exponentially, while it keeps failing)
 * unless it answered before its current run of failures and that run is
 * younger than 2 s: then it is only counted (a per-name timeout at a live
 * server must not push other names onto a dead one). */
void upstream_set_success(struct upstream_set *set, size_t i, uint32_t rtt_ms);
void upstream_set_failure(struct upstream_set *set, size_t i, uint64_t now_ms);

#endif
