/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * upstream: the pure half of forwarding (include/linkshim/upstream.h).
 * Builds the query we send (lower-cased name, RD, EDNS OPT with our
 * advertised size), decides whether a reply is the answer to that query
 * before anything believes it (the checks of Unbound's outside_network.c:
 * same ID, QR, question; everything else is ignored so that a spoofed or
 * broken packet cannot end the wait), and orders servers by smoothed RTT
 * with exponential back-off for the ones that fail.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/rnd.h"
#include "linkshim/upstream.h"

#define UPSTREAM_TYPE_OPT 41
#define UPSTREAM_OPT_LEN 11           /* root, type, class, ttl, rdlen */
#define UPSTREAM_EDNS_DO 0x00008000U  /* DO in the OPT TTL (RFC 3225) */
#define UPSTREAM_SRTT_INIT 50         /* ms, before any measurement */
#define UPSTREAM_SRTT_MAX 60000       /* ms */
#define UPSTREAM_BACKOFF_MIN_MS 200   /* first failure */
#define UPSTREAM_BACKOFF_MAX_MS 30000 /* cap, then probed again */
#define UPSTREAM_LIVE_WINDOW_MS                                                \
	2000 /* failures of an answering server                                \
	        forgiven this long */

#define UPSTREAM_RCODE_NOERROR 0
#define UPSTREAM_RCODE_FORMERR 1
#define UPSTREAM_RCODE_SERVFAIL 2
#define UPSTREAM_RCODE_NXDOMAIN 3
#define UPSTREAM_RCODE_NOTIMP 4
#define UPSTREAM_RCODE_REFUSED 5

int
upstream_query_build(uint16_t id, const struct dns_question *q, bool edns,
    bool do_bit, bool cd, uint8_t *out, size_t cap)
{
	size_t need, off;

	if (q->namelen == 0 || q->namelen > DNS_NAME_MAX)
		return -1;
	need = DNS_HDR_LEN + q->namelen + 4 + (edns ? UPSTREAM_OPT_LEN : 0);
	if (cap < need)
		return -1;
	memset(out, 0, DNS_HDR_LEN);
	dnswire_put16(out, id);
	dnswire_put16(
	    out + 2, (uint16_t)(DNS_FLAG_RD | (cd ? DNS_FLAG_CD : 0)));
	dnswire_put16(out + 4, 1);
	dnswire_put16(out + 10, edns ? 1 : 0);
	off = DNS_HDR_LEN;
	/* Lower case on the way out: the cache key is lower-cased, and the
	 * client's 0x20 pattern is restored by the relay. */
	memcpy(out + off, q->lname, q->namelen);
	off += q->namelen;
	dnswire_put16(out + off, q->qtype);
	dnswire_put16(out + off + 2, q->qclass);
	off += 4;
	if (edns) {
		/* RFC 6891 §6.1.2: root owner, class = our UDP payload size,
		 * TTL = extended rcode, version 0, flags (DO). */
		out[off] = 0;
		dnswire_put16(out + off + 1, UPSTREAM_TYPE_OPT);
		dnswire_put16(out + off + 3, DNS_EDNS_ADVERTISE);
		dnswire_put32(out + off + 5, do_bit ? UPSTREAM_EDNS_DO : 0);
		dnswire_put16(out + off + 9, 0);
		off += UPSTREAM_OPT_LEN;
	}
	return (int)off;
}

enum upstream_verdict
upstream_reply_check(const uint8_t *reply, size_t len, uint16_t id,
    const struct dns_question *q, bool sent_edns)
{
	struct dns_msginfo mi;

	return upstream_reply_check_mi(reply, len, id, q, sent_edns, &mi);
}

enum upstream_verdict
upstream_reply_check_mi(const uint8_t *reply, size_t len, uint16_t id,
    const struct dns_question *q, bool sent_edns, struct dns_msginfo *mi)
{
	uint16_t flags;
	int parsed;

	/* One condition per check, cheapest first; anything that is not
	 * an answer to exactly our question is ignored, never acted on. */
	if (len < DNS_HDR_LEN || len > DNS_MSG_MAX)
		return UPSTREAM_IGNORE;
	if (dnswire_get16(reply) != id)
		return UPSTREAM_IGNORE;
	flags = dnswire_get16(reply + 2);
	if (!(flags & DNS_FLAG_QR))
		return UPSTREAM_IGNORE;
	if (DNS_OPCODE(flags) != 0)
		return UPSTREAM_IGNORE;
	if (dnswire_get16(reply + 4) != 1)
		return UPSTREAM_IGNORE;
	parsed = dnswire_parse_msg(reply, len, mi); /* resets what it fills */
	if (!mi->has_question)
		return UPSTREAM_IGNORE;
	if (mi->q.qtype != q->qtype || mi->q.qclass != q->qclass)
		return UPSTREAM_IGNORE;
	/* The name is compared case-insensitively: some servers do not
	 * echo the case we sent. */
	if (!dnswire_name_equal(
	        mi->q.name, mi->q.namelen, q->lname, q->namelen))
		return UPSTREAM_IGNORE;
	/* RFC 2181 §9 / RFC 1035 §4.1.1: a truncated reply is retried over
	 * TCP whatever follows the question (it may be cut mid-record). */
	if (flags & DNS_FLAG_TC)
		return UPSTREAM_TRUNCATED;
	if (parsed == -1)
		return UPSTREAM_IGNORE;
	switch (DNS_RCODE(flags)) {
	case UPSTREAM_RCODE_FORMERR:
	case UPSTREAM_RCODE_NOTIMP:
		/* RFC 6891 §7: a server that does not do EDNS may answer
		 * FORMERR or NOTIMP; retry it without the OPT. */
		return sent_edns ? UPSTREAM_FORMERR : UPSTREAM_SERVFAIL;
	case UPSTREAM_RCODE_SERVFAIL:
	case UPSTREAM_RCODE_REFUSED:
		return UPSTREAM_SERVFAIL;
	case UPSTREAM_RCODE_NOERROR:
	case UPSTREAM_RCODE_NXDOMAIN:
		return UPSTREAM_ACCEPT;
	default:
		/* YXDOMAIN, NOTAUTH and friends make no sense for a
		 * recursive query: treat as a broken server. */
		return UPSTREAM_SERVFAIL;
	}
}

void
upstream_set_init(
    struct upstream_set *set, const struct conf_addr *addrs, size_t n)
{
	size_t i;

	memset(set, 0, sizeof(*set));
	if (n > UPSTREAM_MAX_SERVERS)
		n = UPSTREAM_MAX_SERVERS;
	for (i = 0; i < n; i++) {
		set->servers[i].addr = addrs[i];
		set->servers[i].srtt_ms = UPSTREAM_SRTT_INIT;
	}
	set->nservers = n;
}

/* Sort idx[0..n) by key[] ascending (n <= UPSTREAM_MAX_SERVERS). */
static void
upstream_sort(size_t *idx, const uint64_t *key, size_t n)
{
	size_t i, j, t;

	for (i = 1; i < n; i++) {
		t = idx[i];
		for (j = i; j > 0 && key[idx[j - 1]] > key[t]; j--)
			idx[j] = idx[j - 1];
		idx[j] = t;
	}
}

size_t
upstream_set_order(
    const struct upstream_set *set, uint64_t now_ms, size_t *order, size_t max)
{
	size_t up[UPSTREAM_MAX_SERVERS], down[UPSTREAM_MAX_SERVERS];
	uint64_t key[UPSTREAM_MAX_SERVERS] = {0};
	size_t i, nup = 0, ndown = 0, n = 0;

	for (i = 0; i < set->nservers && i < UPSTREAM_MAX_SERVERS; i++) {
		const struct upstream_server *s = &set->servers[i];

		if (s->down_until_ms > now_ms) {
			/* Last resort: the one that comes back first. */
			key[i] = s->down_until_ms;
			down[ndown++] = i;
		} else {
			/* Jitter of up to 1/4 of the srtt spreads load among
			 * servers that are about as fast (Unbound picks at
			 * random within an RTT band) but never reorders a
			 * clearly faster one behind a slow one. */
			key[i] = s->srtt_ms + rnd_uniform(s->srtt_ms / 4 + 1);
			up[nup++] = i;
		}
	}
	upstream_sort(up, key, nup);
	upstream_sort(down, key, ndown);
	for (i = 0; i < nup && n < max; i++)
		order[n++] = up[i];
	for (i = 0; i < ndown && n < max; i++)
		order[n++] = down[i];
	return n;
}

void
upstream_set_success(struct upstream_set *set, size_t i, uint32_t rtt_ms)
{
	struct upstream_server *s;

	if (i >= set->nservers)
		return;
	s = &set->servers[i];
	if (rtt_ms > UPSTREAM_SRTT_MAX)
		rtt_ms = UPSTREAM_SRTT_MAX;
	/* RFC 6298-style EWMA with alpha 1/8. */
	s->srtt_ms = (uint32_t)(((uint64_t)s->srtt_ms * 7 + rtt_ms) / 8);
	s->fails = 0;
	s->down_until_ms = 0;
	s->queries++;
}

/*
 * Is server s still to be taken as live at a failure at now_ms?  A server
 * that was answering when its failures began is not backed off for
 * UPSTREAM_LIVE_WINDOW_MS: the timeouts are then of names it does not
 * answer (slow or broken authorities behind it), not its own, and backing
 * it off would send unrelated names to a server that is really dead (head-
 * of-line blocking).  A server that never answered, or keeps failing past
 * the window without one answer, is backed off as before.
 */
static bool
upstream_is_live(struct upstream_server *s, uint64_t now_ms)
{
	if (s->fails == 0) /* the first failure since its last answer */
		s->fail_since_ms = s->queries > 0 ? now_ms : 0;
	return s->fail_since_ms != 0 && now_ms >= s->fail_since_ms &&
	    now_ms - s->fail_since_ms < UPSTREAM_LIVE_WINDOW_MS;
}

void
upstream_set_failure(struct upstream_set *set, size_t i, uint64_t now_ms)
{
	struct upstream_server *s;
	uint64_t backoff = UPSTREAM_BACKOFF_MIN_MS;
	unsigned k;
	bool live;

	if (i >= set->nservers)
		return;
	s = &set->servers[i];
	live = upstream_is_live(s, now_ms);
	s->queries++;
	s->errors++;
	if (s->fails < UINT_MAX)
		s->fails++;
	if (live)
		return; /* counted, neither backed off nor slowed down */
	/* Exponential back-off, 200 ms doubling up to 30 s for as long as
	 * it keeps failing (fails is reset by an answer only); the server
	 * stays in the order as a last resort so a dead set is probed. */
	for (k = 1; k < s->fails && backoff < UPSTREAM_BACKOFF_MAX_MS; k++)
		backoff *= 2;
	if (backoff > UPSTREAM_BACKOFF_MAX_MS)
		backoff = UPSTREAM_BACKOFF_MAX_MS;
	s->down_until_ms = now_ms + backoff;
	/* A timeout is also a (lower bound of a) slow RTT. */
	s->srtt_ms = s->srtt_ms * 2 > UPSTREAM_SRTT_MAX ? UPSTREAM_SRTT_MAX
	                                                : s->srtt_ms * 2;
}

void
upstream_set_no_edns(struct upstream_set *set, size_t i, uint64_t now_ms)
{
	if (i >= set->nservers)
		return;
	set->servers[i].no_edns = true;
	set->servers[i].no_edns_until_ms = now_ms + UPSTREAM_NO_EDNS_MS;
}

bool
upstream_set_has_edns(const struct upstream_set *set, size_t i, uint64_t now_ms)
{
	const struct upstream_server *s;

	if (i >= set->nservers)
		return true;
	s = &set->servers[i];
	return !s->no_edns ||
	    (s->no_edns_until_ms != 0 && now_ms >= s->no_edns_until_ms);
}
