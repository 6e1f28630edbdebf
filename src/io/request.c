/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * request: the query path shared by the UDP and TCP listeners (design.md
 * §4).  A client query is checked (query_check), matched against the
 * `allow` ACL (refusals are counted, never logged per packet), then
 * answered from the zone snapshot (local data), from the cache, or sent
 * upstream: forwarded as is, or, for a link whose target must be chased,
 * as a question for the target whose answer is spliced in by
 * answer_chased().  Local answers and cache hits are written into the
 * caller's buffer without allocating; only a query that waits upstream
 * is copied into a struct waiter.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#include "linkshim/acl.h"
#include "linkshim/answer.h"
#include "linkshim/chaos.h"
#include "linkshim/log.h"
#include "linkshim/query.h"
#include "io/io.h"

uint64_t
io_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Now.  Inside a UDP listener's batch of datagrams the clock is read
 * once, by the first query that needs it (as libevent caches its time
 * per loop); elsewhere (TCP, deliveries) every time. */
static uint64_t
request_now_ms(struct linkshim *ls)
{
	if (!ls->in_batch)
		return io_now_ms();
	if (ls->now_ms == 0)
		ls->now_ms = io_now_ms();
	return ls->now_ms;
}

static void
request_count(struct linkshim *ls, const uint8_t *out, int n)
{
	if (n >= DNS_HDR_LEN)
		ls->stats.rcode[DNS_RCODE(dnswire_get16(out + 2))]++;
}

/* conf query_log (or -vv): one line per answered query (querylog.c). */
static bool
request_qlog(const struct linkshim *ls)
{
	return ls->conf->query_log || log_getverbose() >= 2;
}

/* A zeroed waiter with room for a query of len bytes: the usual (small)
 * ones come from the worker's free list. */
static struct waiter *
request_waiter_alloc(struct linkshim *ls, size_t len)
{
	struct waiter *w;

	if (len > IO_WAITER_QMAX)
		return calloc(1, sizeof(*w) + len);
	if (ls->waiter_fl.size == 0)
		freelist_init(&ls->waiter_fl, sizeof(*w) + IO_WAITER_QMAX,
		    IO_FREELIST_MAX);
	if ((w = freelist_get(&ls->waiter_fl)) == NULL)
		return NULL;
	memset(w, 0, sizeof(*w));
	w->pooled = true;
	return w;
}

static struct waiter *
request_waiter_new(struct linkshim *ls, const uint8_t *pkt, size_t len,
    const struct dns_msginfo *mi, const struct io_client *from)
{
	struct waiter *w;

	if (ls->nwaiters >=
	    (size_t)ls->conf->limits.inflight * IO_WAITERS_PER_INFLIGHT) {
		ls->stats.dropped++;
		return NULL;
	}
	if ((w = request_waiter_alloc(ls, len)) == NULL) {
		log_debug("%s: out of memory", __func__);
		return NULL;
	}
	w->ls = ls;
	ls->nwaiters++;
	memcpy(w->query, pkt, len);
	w->qlen = len;
	w->mi = *mi;
	if (request_qlog(ls))
		w->start_us = querylog_now_us();
	if (from->salen <= sizeof(w->ss)) { /* the query log's client */
		memcpy(&w->ss, from->sa, from->salen);
		w->sslen = from->salen;
	}
	if (from->tcp != NULL) {
		w->is_tcp = true;
		w->tcp = from->tcp;
		listener_tcp_track(from->tcp, w);
	} else {
		w->udp = from->udp;
		if (from->dst != NULL)
			w->dst = *from->dst;
	}
	return w;
}

void
waiter_free(struct waiter *w)
{
	if (w == NULL)
		return;
	if (w->tcp != NULL)
		listener_tcp_done(w->tcp, w);
	w->ls->nwaiters--;
	if (w->pooled)
		freelist_put(&w->ls->waiter_fl, w);
	else
		free(w);
}

/* Start (or join) the fetch for q; the client waits on it.  -1 when the
 * query cannot wait (the caller answers SERVFAIL). */
static int
request_wait(struct linkshim *ls, const struct dns_question *q, bool do_bit,
    bool cd, int set, struct waiter *w)
{
	struct fetch *f;
	bool created;

	if ((f = upstream_io_get(ls, q, do_bit, cd, set, &created)) == NULL)
		return -1;
	upstream_io_attach(f, w);
	if (created)
		upstream_io_start(f);
	return 0;
}

/* Refresh a cache entry in its last 10% of TTL (design.md §4). */
static void
request_prefetch(struct linkshim *ls, const struct dns_question *q, bool do_bit,
    bool cd, int set)
{
	struct fetch *f;
	bool created;

	if (!ls->conf->cache.prefetch)
		return;
	f = upstream_io_get(ls, q, do_bit, cd, set, &created);
	if (f != NULL && created)
		upstream_io_start(f);
}

/* The cache key of the client's own question (DO and CD as asked). */
static void
request_client_key(const struct dns_msginfo *mi, struct cache_key *key)
{
	cache_key_set(key, &mi->q, mi->edns.present && mi->edns.do_bit,
	    (mi->flags & DNS_FLAG_CD) != 0);
}

static int
request_forward(struct linkshim *ls, const uint8_t *pkt, size_t len,
    const struct dns_msginfo *mi, int set, const struct io_client *from,
    uint8_t *out, size_t cap, size_t max)
{
	struct cache_key key;
	struct waiter *w;
	bool prefetch = false;
	size_t clen;
	int n;

	request_client_key(mi, &key);
	if (cache_lookup(ls->cache, &key, request_now_ms(ls) / 1000, false,
	        ls->scratch, sizeof(ls->scratch), &clen,
	        &prefetch) == CACHE_HIT) {
		ls->stats.answers_cache++;
		/* render first: a prefetch may reuse ls->scratch */
		n = answer_relay_cached(
		    pkt, len, mi, ls->scratch, clen, false, out, cap, max);
		if (prefetch)
			request_prefetch(ls, &mi->q, key.do_bit, key.cd, set);
		return n;
	}
	if ((w = request_waiter_new(ls, pkt, len, mi, from)) == NULL)
		return -1;
	if (request_wait(ls, &mi->q, key.do_bit, key.cd, set, w) == -1) {
		waiter_free(w);
		return -1;
	}
	return 0;
}

/* The question a chase asks upstream for res, and its cache key (a
 * target is always asked without DO and CD).  key borrows tq. */
static int
request_target(
    const struct zt_result *res, struct dns_question *tq, struct cache_key *key)
{
	if (res->target_len == 0 || res->target_len > DNS_NAME_MAX)
		return -1;
	memset(tq, 0, sizeof(*tq));
	memcpy(tq->name, res->target, res->target_len);
	memcpy(tq->lname, res->target, res->target_len);
	tq->namelen = res->target_len;
	tq->qtype = res->chase_type;
	tq->qclass = LDNS_RR_CLASS_IN;
	cache_key_set(key, tq, false, false);
	return 0;
}

/*
 * Keep the link answer just composed, out[0..n), for the next client
 * asking the same (design.md §4): under the client's question and the
 * snapshot generation gen, for no longer than the target's entry stays
 * fresh (so that its prefetch and expiry still drive the link answer).
 * Nothing is kept when the target is not cached; cache_store_composed()
 * refuses TC, SERVFAIL and the rest.
 */
static void
request_keep_composed(struct linkshim *ls, const struct dns_msginfo *mi,
    uint64_t gen, const struct cache_key *tkey, const uint8_t *out, int n,
    uint64_t now)
{
	struct cache_key ckey;
	uint32_t left;

	if (n <= 0 || (left = cache_ttl_left(ls->cache, tkey, now)) == 0)
		return;
	request_client_key(mi, &ckey);
	if (cache_store_composed(
	        ls->cache, &ckey, gen, out, (size_t)n, now, left) == -1)
		log_debug("%s: cache_store_composed: out of memory", __func__);
}

/* A composed answer read back into ls->cached (klen bytes). */
static int
request_answer_kept(struct linkshim *ls, const uint8_t *pkt, size_t len,
    const struct dns_msginfo *mi, size_t klen, uint8_t *out, size_t cap,
    size_t max)
{
	ls->stats.answers_cache++;
	return answer_relay_cached(
	    pkt, len, mi, ls->cached, klen, true, out, cap, max);
}

/*
 * A link whose target is resolved upstream: answer with the composed
 * answer kept from an earlier query (a copy, as for a cache hit), else
 * compose it from the cached target (and keep it), else wait for the
 * target.  A composed answer in its last 10% is composed again, so that
 * the target's lookup sees its own last 10% and prefetches; if the target
 * was evicted meanwhile, the kept answer (still within the target's TTL)
 * is served and the target fetched.  Only the copied fields of res travel
 * with the waiter: its node belongs to the snapshot.
 */
static int
request_chase(struct linkshim *ls, const uint8_t *pkt, size_t len,
    const struct dns_msginfo *mi, const struct zt_result *res,
    const struct io_client *from, uint8_t *out, size_t cap, size_t max)
{
	struct dns_question tq;
	struct cache_key key;
	struct waiter *w;
	uint64_t now = request_now_ms(ls) / 1000;
	uint64_t gen = zonetab_generation(ls->zt);
	bool prefetch = false;
	size_t clen, klen = 0;
	int n;

	request_client_key(mi, &key);
	if (cache_lookup_composed(ls->cache, &key, gen, now, ls->cached,
	        sizeof(ls->cached), &clen, &prefetch) == CACHE_HIT) {
		klen = clen;
		if (!prefetch)
			return request_answer_kept(
			    ls, pkt, len, mi, klen, out, cap, max);
	}
	if (request_target(res, &tq, &key) == -1)
		return -1;
	if (cache_lookup(ls->cache, &key, now, false, ls->scratch,
	        sizeof(ls->scratch), &clen, &prefetch) == CACHE_HIT) {
		ls->stats.answers_cache++;
		n = answer_chased(
		    pkt, len, mi, res, ls->scratch, clen, out, cap, max);
		request_keep_composed(ls, mi, gen, &key, out, n, now);
		if (prefetch)
			request_prefetch(ls, &tq, false, false, IO_FWD_DEFAULT);
		return n;
	}
	if (klen > 0) {
		/* render first: the prefetch may complete at once */
		n = request_answer_kept(ls, pkt, len, mi, klen, out, cap, max);
		request_prefetch(ls, &tq, false, false, IO_FWD_DEFAULT);
		return n;
	}
	if ((w = request_waiter_new(ls, pkt, len, mi, from)) == NULL)
		return -1;
	w->chase = true;
	w->chase_res = *res;
	w->chase_res.node = NULL;
	w->chase_gen = gen;
	if (request_wait(ls, &tq, false, false, IO_FWD_DEFAULT, w) == -1) {
		waiter_free(w);
		return -1;
	}
	return 0;
}

static int
request_lookup(struct linkshim *ls, const uint8_t *pkt, size_t len,
    const struct dns_msginfo *mi, const struct io_client *from, uint8_t *out,
    size_t cap, size_t max)
{
	struct zt_result res;
	const char *v = ls->conf->version;

	if (mi->q.qclass == LDNS_RR_CLASS_CH) {
		if (chaos_is_version(&mi->q) && v[0] != '\0')
			return chaos_answer_version(pkt, len, mi, v, out, cap);
		return answer_error(pkt, len, mi, LDNS_RCODE_REFUSED, out, cap);
	}
	zonetab_lookup(ls->zt, &mi->q, &res); /* sets every field */
	switch (res.action) {
	case ZT_LOCAL:
		ls->stats.answers_local++;
		return answer_local(pkt, len, mi, &res, out, cap, max);
	case ZT_CHASE:
		return request_chase(
		    ls, pkt, len, mi, &res, from, out, cap, max);
	case ZT_FORWARD:
	default:
		if (res.fwd_index >= 0 && (size_t)res.fwd_index >= ls->nfwdsets)
			res.fwd_index = IO_FWD_DEFAULT;
		return request_forward(
		    ls, pkt, len, mi, res.fwd_index, from, out, cap, max);
	}
}

size_t
request_handle(struct linkshim *ls, const uint8_t *pkt, size_t len,
    const struct io_client *from, uint8_t *out, size_t cap)
{
	struct dns_msginfo mi;
	bool qlog = request_qlog(ls);
	uint64_t t0 = 0, ncache = 0;
	size_t max;
	int rc, n;

	if (qlog) {
		t0 = querylog_now_us();
		ncache = ls->stats.answers_cache;
	}
	if (from->tcp != NULL)
		ls->stats.queries_tcp++;
	else
		ls->stats.queries_udp++;
	rc = query_check(pkt, len, &mi); /* resets every field it fills */
	if (rc == QUERY_DROP) {
		ls->stats.dropped++;
		return 0;
	}
	if (from->truncated && rc == LDNS_RCODE_NOERROR)
		rc = LDNS_RCODE_FORMERR; /* longer than any sane query */
	if (!acl_allows(ls->conf->allow, ls->conf->nallow, from->sa)) {
		ls->stats.refused_acl++;
		rc = LDNS_RCODE_REFUSED;
	}
	max = from->tcp != NULL ? DNS_MSG_MAX : answer_udp_limit(&mi);
	if (rc != LDNS_RCODE_NOERROR)
		n = answer_error(pkt, len, &mi, rc, out, cap);
	else
		n = request_lookup(ls, pkt, len, &mi, from, out, cap, max);
	if (n < 0) {
		n = answer_error(pkt, len, &mi, LDNS_RCODE_SERVFAIL, out, cap);
		if (n < 0) {
			ls->stats.dropped++;
			return 0;
		}
	}
	if (n > 0)
		request_count(ls, out, n);
	if (qlog && n > 0 && mi.has_question)
		querylog_line(&mi, from->tcp != NULL, from->sa,
		    ls->stats.answers_cache != ncache ? "cache" : "local", out,
		    t0);
	return (size_t)n;
}

static void
request_send(struct linkshim *ls, struct waiter *w, int n, const char *source)
{
	const uint8_t *out = ls->out;

	request_count(ls, out, n);
	if (request_qlog(ls))
		querylog_line(&w->mi, w->is_tcp,
		    w->sslen > 0 ? (const struct sockaddr *)&w->ss : NULL,
		    source, out, w->start_us);
	if (w->is_tcp) {
		if (w->tcp != NULL)
			listener_tcp_send(w->tcp, out, (size_t)n);
	} else if (w->udp != NULL) {
		listener_udp_send(w->udp, (const struct sockaddr *)&w->ss,
		    w->sslen, &w->dst, out, (size_t)n);
	}
}

/* A chased answer just delivered to w: keep it (request_keep_composed). */
static void
request_deliver_keep(struct linkshim *ls, struct waiter *w, int n)
{
	struct dns_question tq;
	struct cache_key tkey;

	if (n > 0 && request_target(&w->chase_res, &tq, &tkey) == 0)
		request_keep_composed(ls, &w->mi, w->chase_gen, &tkey, ls->out,
		    n, io_now_ms() / 1000);
}

void
request_deliver(struct linkshim *ls, struct waiter *w, const uint8_t *reply,
    size_t rlen, bool cached, bool stale)
{
	size_t max;
	int n;

	if (w->is_tcp ? w->tcp == NULL : w->udp == NULL)
		return; /* the client's transport is gone */
	max = w->is_tcp ? DNS_MSG_MAX : answer_udp_limit(&w->mi);
	if (w->chase) {
		n = answer_chased(w->query, w->qlen, &w->mi, &w->chase_res,
		    reply, rlen, ls->out, DNS_MSG_MAX, max);
		/* not from stale data, nor for a snapshot since replaced */
		if (!stale && w->chase_gen == zonetab_generation(ls->zt))
			request_deliver_keep(ls, w, n);
	} else if (cached) /* the cache's layout: no parse needed */
		n = answer_relay_cached(w->query, w->qlen, &w->mi, reply, rlen,
		    false, ls->out, DNS_MSG_MAX, max);
	else
		n = answer_relay(w->query, w->qlen, &w->mi, reply, rlen,
		    ls->out, DNS_MSG_MAX, max);
	if (n <= 0) {
		request_deliver_error(ls, w, LDNS_RCODE_SERVFAIL);
		return;
	}
	if (stale)
		ls->stats.answers_stale++;
	else
		ls->stats.answers_forwarded++;
	request_send(ls, w, n, stale ? "stale" : "upstream");
}

void
request_deliver_error(struct linkshim *ls, struct waiter *w, int rcode)
{
	int n;

	if (w->is_tcp ? w->tcp == NULL : w->udp == NULL)
		return;
	n = answer_error(
	    w->query, w->qlen, &w->mi, rcode, ls->out, DNS_MSG_MAX);
	if (n > 0)
		request_send(ls, w, n, "upstream");
}
