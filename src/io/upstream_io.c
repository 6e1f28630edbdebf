/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * upstream_io: the transport half of forwarding (design.md §4, style.md
 * §9).  A struct fetch is one question on its way upstream, shared by
 * every client asking the same question (coalescing, keyed like the
 * cache).  Each try uses a fresh random ID on a pooled connected UDP
 * socket on a kernel-chosen ephemeral port (upstream_pool.c: socket, ID
 * and question must match), has its own timer, and only accepts replies
 * read from that socket under that ID that pass upstream_reply_check().  TC
 * moves the try to TCP, FORMERR to an EDNS query drops EDNS, a timeout or
 * SERVFAIL moves to the next server, and the whole fetch is bounded by
 * timeouts.total_ms, after which the waiters get a stale cache entry (RFC 8767)
 * or SERVFAIL.  Every terminal path goes through fetch_complete() and then
 * fetch_free() (the dnscrypt v1 single kill path, guarded by is_dying).
 */
#include <sys/socket.h>
#include <sys/queue.h>
#include <sys/tree.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/event_struct.h>

#include <ldns/ldns.h>

#include "linkshim/freelist.h"
#include "linkshim/log.h"
#include "linkshim/rnd.h"
#include "io/io.h"

#define FETCH_ID_TRIES 64

struct fetch {
	RB_ENTRY(fetch) node; /* in ls->fetches while linked */
	/* fetch_cmp() reads these, next to the node, before q.lname: a
	 * tree walk mostly touches one cache line per node */
	int set;        /* IO_FWD_DEFAULT or an index into ls->fwdsets */
	uint64_t kmeta; /* qtype, qclass, DO, CD and namelen, packed */
	uint64_t kpfx;  /* the first 8 bytes of q.lname, zero-padded */
	TAILQ_ENTRY(fetch) age; /* in ls->age while linked */
	struct linkshim *ls;
	bool do_bit, cd;
	unsigned gen; /* ls->set_gen when the servers were copied */
	struct waiter_list waiters;
	size_t nservers, pos;
	unsigned tries, servfails;
	uint64_t start_ms, try_ms;
	uint16_t id;
	bool id_owned; /* our bit in ls->idmap */
	bool tcp;      /* this server over TCP (after TC) */
	bool noedns;   /* this server without EDNS (after FORMERR) */
	bool sent_edns;
	bool linked;
	bool is_dying;
	struct upool_sock *psock; /* UDP: registered there under id */
	struct event timer;       /* event_assign()ed, never freed */
	struct bufferevent *bev;
	size_t qlen;
	/* From here on only what is written is read (q: namelen bytes of
	 * name and lname; the first nservers servers and sidx; qlen bytes of
	 * qbuf): a fetch is zeroed only up to q (upstream_io_get). */
	struct dns_question q; /* the key: lname, qtype, qclass ... */
	struct conf_addr servers[UPSTREAM_MAX_SERVERS]; /* in try order */
	size_t sidx[UPSTREAM_MAX_SERVERS]; /* their index in the set */
	uint8_t qbuf[DNS_NAME_MAX + 64];
};

/* Any total order will do: (set, kmeta, kpfx, lname).  kmeta holds
 * namelen, so equal kmeta means equal name lengths. */
static int
fetch_cmp(const struct fetch *a, const struct fetch *b)
{
	if (a->set != b->set)
		return a->set < b->set ? -1 : 1;
	if (a->kmeta != b->kmeta)
		return a->kmeta < b->kmeta ? -1 : 1;
	if (a->kpfx != b->kpfx)
		return a->kpfx < b->kpfx ? -1 : 1;
	return memcmp(a->q.lname, b->q.lname, a->q.namelen);
}

/* sys/tree.h generates every operation; not all of them are used (and
 * libbsd's RB_GENERATE_STATIC relies on a __unused we do not have). */
RB_GENERATE_INTERNAL(
    fetch_tree, fetch, node, fetch_cmp, __attribute__((unused)) static)

static void fetch_try(struct fetch *f);
static void fetch_free(struct fetch *f);

static struct upstream_set *
fetch_set(const struct fetch *f)
{
	struct linkshim *ls = f->ls;

	if (f->gen != ls->set_gen)
		return NULL;
	if (f->set == IO_FWD_DEFAULT)
		return &ls->defset;
	if (f->set >= 0 && (size_t)f->set < ls->nfwdsets)
		return &ls->fwdsets[f->set];
	return NULL;
}

/* When the set's servers last answered (same validity as fetch_set()). */
static uint64_t *
fetch_last_ms(const struct fetch *f)
{
	struct linkshim *ls = f->ls;

	if (fetch_set(f) == NULL)
		return NULL;
	if (f->set == IO_FWD_DEFAULT)
		return ls->def_last_ms;
	return ls->fwd_last_ms != NULL ? ls->fwd_last_ms[f->set] : NULL;
}

static void
fetch_cache_key(const struct fetch *f, struct cache_key *key)
{
	cache_key_set(key, &f->q, f->do_bit, f->cd);
}

static void
fetch_take_id(struct fetch *f)
{
	uint8_t *map = f->ls->idmap;
	uint16_t id = 0;
	int i;

	for (i = 0; i < FETCH_ID_TRIES; i++) {
		id = (uint16_t)rnd_u32();
		if ((map[id >> 3] & (1u << (id & 7))) == 0)
			break;
	}
	f->id = id;
	f->id_owned = i < FETCH_ID_TRIES;
	if (f->id_owned)
		map[id >> 3] |= (uint8_t)(1u << (id & 7));
}

static void
fetch_put_id(struct fetch *f)
{
	if (f->id_owned)
		f->ls->idmap[f->id >> 3] &= (uint8_t) ~(1u << (f->id & 7));
	f->id_owned = false;
}

static void
fetch_close_transport(struct fetch *f)
{
	if (f->psock != NULL) {
		upool_release(f->psock, f->id);
		f->psock = NULL;
	}
	if (f->bev != NULL) {
		bufferevent_free(f->bev);
		f->bev = NULL;
	}
	evtimer_del(&f->timer);
	fetch_put_id(f);
}

static void
fetch_unlink(struct fetch *f)
{
	struct linkshim *ls = f->ls;

	if (!f->linked)
		return;
	RB_REMOVE(fetch_tree, &ls->fetches, f);
	TAILQ_REMOVE(&ls->age, f, age);
	ls->nfetches--;
	f->linked = false;
}

/* The only release point of a fetch and its waiters. */
static void
fetch_free(struct fetch *f)
{
	struct waiter *w;

	if (f == NULL)
		return;
	fetch_unlink(f);
	fetch_close_transport(f);
	while ((w = TAILQ_FIRST(&f->waiters)) != NULL) {
		TAILQ_REMOVE(&f->waiters, w, fetch_entry);
		waiter_free(w);
	}
	freelist_put(&f->ls->fetch_fl, f);
}

/*
 * Finish f: answer every waiter with reply (or stale data, or rcode when
 * reply is NULL; rcode -1 answers nothing), then free it.  cached: reply
 * is a copy read from the cache (its layout, no OPT).  Guarded by
 * is_dying so that a second terminal event cannot free it twice.
 */
static void
fetch_complete(struct fetch *f, const uint8_t *reply, size_t rlen, bool cached,
    bool stale, int rcode)
{
	struct linkshim *ls = f->ls;
	struct waiter *w;

	if (f->is_dying)
		return;
	f->is_dying = true;
	/* New clients asking the same question start a new fetch.  The
	 * transport is closed by fetch_free(), after the answers: reply may
	 * point into its input buffer (TCP). */
	fetch_unlink(f);
	while ((w = TAILQ_FIRST(&f->waiters)) != NULL) {
		TAILQ_REMOVE(&f->waiters, w, fetch_entry);
		if (reply != NULL)
			request_deliver(ls, w, reply, rlen, cached, stale);
		else if (rcode >= 0)
			request_deliver_error(ls, w, rcode);
		waiter_free(w);
	}
	fetch_free(f);
}

/* Every server failed or time ran out: RFC 8767 stale data, or SERVFAIL. */
static void
fetch_fail(struct fetch *f)
{
	struct linkshim *ls = f->ls;
	struct cache_key key;
	enum cache_result cr = CACHE_MISS;
	size_t len = 0;
	bool prefetch;

	if (ls->conf->cache.serve_stale > 0 && !TAILQ_EMPTY(&f->waiters)) {
		fetch_cache_key(f, &key);
		cr = cache_lookup(ls->cache, &key, io_now_ms() / 1000, true,
		    ls->scratch, sizeof(ls->scratch), &len, &prefetch);
	}
	if (cr != CACHE_MISS)
		fetch_complete(f, ls->scratch, len, true, cr == CACHE_STALE, 0);
	else
		fetch_complete(f, NULL, 0, false, false, LDNS_RCODE_SERVFAIL);
}

/*
 * Store the answer, then relay what the cache holds: its TTLs are
 * clamped to cache.min_ttl/max_ttl, so that the first client sees the
 * same TTLs as the ones answered from the cache later.
 */
static void
fetch_succeed(struct fetch *f, const uint8_t *reply, size_t len,
    const struct dns_msginfo *mi, uint64_t now_s)
{
	struct linkshim *ls = f->ls;
	struct cache_key key;
	size_t clen;
	int rv;

	fetch_cache_key(f, &key);
	rv = cache_store_copy(ls->cache, &key, reply, len, mi, now_s,
	    ls->cached, sizeof(ls->cached), &clen);
	if (rv < 0)
		log_debug("%s: cache_store: out of memory", __func__);
	if (rv == 1 && clen > 0)
		fetch_complete(f, ls->cached, clen, true, false, 0);
	else
		fetch_complete(f, reply, len, false, false, 0);
}

/* The current server failed (timeout, error, SERVFAIL): move on. */
static void
fetch_next_server(struct fetch *f, bool servfail, bool timeout)
{
	struct upstream_set *set = fetch_set(f);
	struct upstream_server *s;

	if (set != NULL) {
		upstream_set_failure(set, f->sidx[f->pos], io_now_ms());
		s = &set->servers[f->sidx[f->pos]];
		if (timeout && s->errors > 0) { /* counted as an error */
			s->errors--;
			s->timeouts++;
		}
	}
	if (servfail)
		f->servfails++;
	f->pos = (f->pos + 1) % f->nservers;
	f->tcp = false;
	f->noedns = false;
}

/*
 * A reply arrived over the current transport.  Returns true when f keeps
 * waiting on this transport, false when it moved on (it may be freed).
 */
static bool
fetch_reply(struct fetch *f, const uint8_t *buf, size_t len)
{
	struct upstream_set *set = fetch_set(f);
	struct dns_msginfo mi; /* the reply's parse, read on ACCEPT */
	enum upstream_verdict v;
	uint64_t now, *last;

	v = upstream_reply_check_mi(buf, len, f->id, &f->q, f->sent_edns, &mi);
	switch (v) {
	case UPSTREAM_IGNORE:
		log_query("%s: ignored a reply (id %u)", __func__, f->id);
		return true;
	case UPSTREAM_ACCEPT:
		now = io_now_ms();
		if (set != NULL)
			upstream_set_success(
			    set, f->sidx[f->pos], (uint32_t)(now - f->try_ms));
		if ((last = fetch_last_ms(f)) != NULL)
			last[f->sidx[f->pos]] = now;
		fetch_succeed(f, buf, len, &mi, now / 1000);
		return false;
	case UPSTREAM_TRUNCATED:
		if (f->tcp)
			break;
		f->tcp = true; /* RFC 7766 §5: same server over TCP */
		fetch_try(f);
		return false;
	case UPSTREAM_FORMERR:
		if (!f->sent_edns)
			break;
		/* RFC 6891 §7: retry without EDNS, remember it (for 900 s,
		 * as Unbound does, so that a fixed server gets EDNS back) */
		f->noedns = true;
		if (set != NULL)
			upstream_set_no_edns(set, f->sidx[f->pos], io_now_ms());
		fetch_try(f);
		return false;
	case UPSTREAM_SERVFAIL:
		break;
	}
	fetch_next_server(f, true, false);
	fetch_try(f);
	return false;
}

void
upstream_io_udp_reply(struct fetch *f, const uint8_t *buf, size_t len)
{
	(void)fetch_reply(f, buf, len);
}

void
upstream_io_udp_error(struct fetch *f)
{
	/* ECONNREFUSED (ICMP unreachable) and the like */
	fetch_next_server(f, false, false);
	fetch_try(f);
}

static void
upstream_io_tcp_read_cb(struct bufferevent *bev, void *arg)
{
	struct fetch *f = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t hdr[2];
	const uint8_t *p;
	size_t rlen;

	for (;;) {
		if (evbuffer_copyout(in, hdr, 2) != 2)
			return;
		rlen = dnswire_get16(hdr);
		if (evbuffer_get_length(in) < rlen + 2)
			return;
		if ((p = evbuffer_pullup(in, (ev_ssize_t)(rlen + 2))) == NULL)
			return;
		if (!fetch_reply(f, p + 2, rlen))
			return;
		evbuffer_drain(in, rlen + 2);
	}
}

static void
upstream_io_tcp_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct fetch *f = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		return;
	log_debug("%s: tcp to upstream closed (0x%x)", __func__, what);
	fetch_next_server(f, false, false);
	fetch_try(f);
}

static void
upstream_io_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fetch *f = arg;

	(void)fd;
	(void)what;
	fetch_next_server(f, false, true);
	fetch_try(f);
}

static int
fetch_send_udp(struct fetch *f, const struct conf_addr *a, uint64_t now)
{
	struct linkshim *ls = f->ls;

	if (ls->upool == NULL && (ls->upool = upool_new(ls->base)) == NULL)
		return -1;
	f->psock = upool_send(ls->upool, a, f, f->qbuf, f->qlen, now, &f->id);
	return f->psock != NULL ? 0 : -1;
}

static int
fetch_send_tcp(struct fetch *f, const struct conf_addr *a)
{
	uint8_t hdr[2];

	f->bev = bufferevent_socket_new(f->ls->base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (f->bev == NULL)
		return -1;
	bufferevent_setcb(
	    f->bev, upstream_io_tcp_read_cb, NULL, upstream_io_tcp_event_cb, f);
	dnswire_put16(hdr, (uint16_t)f->qlen);
	if (bufferevent_write(f->bev, hdr, 2) == -1 ||
	    bufferevent_write(f->bev, f->qbuf, f->qlen) == -1 ||
	    bufferevent_enable(f->bev, EV_READ | EV_WRITE) == -1)
		return -1;
	if (bufferevent_socket_connect(
	        f->bev, (const struct sockaddr *)&a->ss, (int)a->len) == -1) {
		log_debug("%s: connect failed", __func__);
		return -1;
	}
	return 0;
}

/*
 * A timeval for ms.  The usual try timeout (timeouts.upstream_ms) is one
 * of libevent's common timeouts: same-duration timers go on a FIFO queue
 * (O(1) add and delete) instead of the timer heap.
 */
static const struct timeval *
fetch_timeout_tv(struct linkshim *ls, uint64_t ms, struct timeval *tv)
{
	const struct timeval *c;

	tv->tv_sec = (time_t)(ms / 1000);
	tv->tv_usec = (suseconds_t)((ms % 1000) * 1000);
	if (ms != ls->conf->timeouts.upstream_ms)
		return tv;
	if (ls->upstream_tv == NULL || ls->upstream_tv_ms != ms) {
		/* NULL past libevent's 256 durations: use the heap */
		if ((c = event_base_init_common_timeout(ls->base, tv)) == NULL)
			return tv;
		ls->upstream_tv = c;
		ls->upstream_tv_ms = ms;
	}
	return ls->upstream_tv;
}

/* Send one try to the current server and arm its timer. */
static int
fetch_send(struct fetch *f, uint64_t now)
{
	struct linkshim *ls = f->ls;
	const struct conf_timeouts *to = &ls->conf->timeouts;
	struct upstream_set *set = fetch_set(f);
	const struct conf_addr *a = &f->servers[f->pos];
	struct timeval tv;
	uint64_t left, ms;
	int n;

	fetch_close_transport(f);
	if (f->tcp)
		fetch_take_id(f); /* UDP: the pool picks it per socket */
	f->sent_edns = !f->noedns &&
	    !(set != NULL && !upstream_set_has_edns(set, f->sidx[f->pos], now));
	n = upstream_query_build(f->id, &f->q, f->sent_edns, f->do_bit, f->cd,
	    f->qbuf, sizeof(f->qbuf));
	if (n < 0)
		return -1;
	f->qlen = (size_t)n;
	f->try_ms = now;
	if ((f->tcp ? fetch_send_tcp(f, a) : fetch_send_udp(f, a, now)) == -1)
		return -1;
	left = to->total_ms - (now - f->start_ms);
	ms = to->upstream_ms < left ? to->upstream_ms : left;
	return evtimer_add(&f->timer, fetch_timeout_tv(ls, ms, &tv));
}

static void
fetch_try(struct fetch *f)
{
	const struct conf_timeouts *to = &f->ls->conf->timeouts;
	uint64_t now;

	for (;;) {
		now = io_now_ms();
		if (f->nservers == 0 || now - f->start_ms >= to->total_ms ||
		    f->servfails >= f->nservers ||
		    f->tries >= 4 * f->nservers + 4) {
			fetch_fail(f);
			return;
		}
		f->tries++;
		if (fetch_send(f, now) == 0)
			return;
		fetch_next_server(f, false, false);
	}
}

/*
 * Servers that have answered and whose last try did not fail keep
 * upstream_set_order()'s order (srtt) and go first; the others (failed
 * lately, or never answered) follow in the order of their last good
 * answer, most recent first.  Timeouts of names that a live server never
 * answers (a lame delegation, a dropped name) mark it down and inflate
 * its srtt too; that must not send other names to a server that is
 * really dead (never or long not answering), where each would wait a
 * whole upstream timeout first.  A failed server is tried again when the
 * ones ahead of it fail, and is back in the srtt order once it answers.
 */
static void
fetch_prefer_alive(const struct upstream_set *set, const uint64_t *last,
    size_t *order, size_t n)
{
	size_t bad[UPSTREAM_MAX_SERVERS]; /* written before it is read */
	size_t i, j, t, nok = 0, nbad = 0;

	for (i = 0; i < n; i++) {
		t = order[i];
		if (set->servers[t].fails == 0 && last[t] != 0) {
			order[nok++] = t; /* nok <= i: in place, order kept */
			continue;
		}
		for (j = nbad; j > 0 && last[bad[j - 1]] < last[t]; j--)
			bad[j] = bad[j - 1];
		bad[j] = t;
		nbad++;
	}
	for (i = 0; i < nbad; i++)
		order[nok + i] = bad[i];
}

static void
fetch_pick_servers(struct fetch *f, uint64_t now)
{
	struct upstream_set *set = fetch_set(f);
	const uint64_t *last = fetch_last_ms(f);
	size_t order[UPSTREAM_MAX_SERVERS];
	size_t i, n;

	f->nservers = 0;
	if (set == NULL)
		return;
	n = upstream_set_order(set, now, order, UPSTREAM_MAX_SERVERS);
	if (last != NULL)
		fetch_prefer_alive(set, last, order, n);
	for (i = 0; i < n && i < set->nservers; i++) {
		f->servers[f->nservers] = set->servers[order[i]].addr;
		f->sidx[f->nservers] = order[i];
		f->nservers++;
	}
}

/* The in-flight cap (conf limits.inflight): evict the oldest fetch. */
static void
upstream_io_evict(struct linkshim *ls)
{
	struct fetch *old;

	while (ls->nfetches > 0 && ls->nfetches >= ls->conf->limits.inflight &&
	    (old = TAILQ_FIRST(&ls->age)) != NULL) {
		log_debug("%s: in-flight limit reached, evicting", __func__);
		ls->stats.dropped++;
		fetch_complete(old, NULL, 0, false, false, LDNS_RCODE_SERVFAIL);
	}
}

/* The fields of f that fetch_cmp() reads. */
static void
fetch_set_key(struct fetch *f, const struct dns_question *q, bool do_bit,
    bool cd, int set)
{
	memcpy(f->q.lname, q->lname, q->namelen);
	f->q.namelen = q->namelen;
	f->q.qtype = q->qtype;
	f->q.qclass = q->qclass;
	f->do_bit = do_bit;
	f->cd = cd;
	f->set = set;
	f->kmeta = (uint64_t)q->qtype << 32 | (uint64_t)q->qclass << 16 |
	    (uint64_t)do_bit << 13 | (uint64_t)cd << 12 | q->namelen;
	f->kpfx = 0;
	memcpy(&f->kpfx, q->lname, q->namelen < 8 ? q->namelen : 8);
}

struct fetch *
upstream_io_get(struct linkshim *ls, const struct dns_question *q, bool do_bit,
    bool cd, int set, bool *created)
{
	struct fetch key, *f;

	*created = false;
	fetch_set_key(&key, q, do_bit, cd, set); /* the rest is not read */
	if ((f = RB_FIND(fetch_tree, &ls->fetches, &key)) != NULL)
		return f;
	upstream_io_evict(ls);
	if (ls->fetch_fl.size == 0)
		freelist_init(&ls->fetch_fl, sizeof(*f), IO_FREELIST_MAX);
	if ((f = freelist_get(&ls->fetch_fl)) == NULL) {
		log_warn("%s: out of memory", __func__);
		return NULL;
	}
	memset(f, 0, offsetof(struct fetch, q));
	fetch_set_key(f, q, do_bit, cd, set);
	/* the question goes out as lname; name mirrors it */
	memcpy(f->q.name, q->lname, q->namelen);
	f->ls = ls;
	f->gen = ls->set_gen;
	TAILQ_INIT(&f->waiters);
	evtimer_assign(&f->timer, ls->base, upstream_io_timeout_cb, f);
	f->start_ms = io_now_ms();
	fetch_pick_servers(f, f->start_ms);
	RB_INSERT(fetch_tree, &ls->fetches, f);
	TAILQ_INSERT_TAIL(&ls->age, f, age);
	ls->nfetches++;
	f->linked = true;
	*created = true;
	return f;
}

void
upstream_io_attach(struct fetch *f, struct waiter *w)
{
	TAILQ_INSERT_TAIL(&f->waiters, w, fetch_entry);
}

void
upstream_io_start(struct fetch *f)
{
	fetch_try(f);
}

void
upstream_io_cancel_all(struct linkshim *ls)
{
	struct fetch *f;

	while ((f = TAILQ_FIRST(&ls->age)) != NULL)
		fetch_complete(f, NULL, 0, false, false, -1);
}

void
upstream_io_forget_udp(struct linkshim *ls, struct listener_udp *udp)
{
	struct fetch *f;
	struct waiter *w;

	TAILQ_FOREACH(f, &ls->age, age)
	TAILQ_FOREACH(w, &f->waiters, fetch_entry)
	if (w->udp == udp)
		w->udp = NULL;
}
