/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * upstream_pool: the connected UDP sockets that upstream queries go out
 * on (issue 3, "Upstream path"; docs/perf-notes.md).  Per upstream server
 * a pool of UPOOL_SOCKS sockets, each connect(2)ed to that server (so the
 * kernel drops datagrams from any other source) from a kernel-chosen
 * random ephemeral port, with one persistent read event.  A query goes
 * out on a socket picked at random, under a fresh random ID that is not
 * in flight on that socket (collision retry); a reply is matched by
 * (socket, ID) through the socket's ID-indexed open-addressing table,
 * then checked by the fetch against its question (upstream_reply_check).
 * A socket is retired after UPOOL_ROTATE_QUERIES queries or
 * UPOOL_ROTATE_MS: it takes no new query, stays readable until its last
 * query is answered or gives up, then closes; a fresh socket on a new
 * port takes its slot.  Replaces one socket (socket, connect, two
 * epoll_ctl, close) per upstream try.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "linkshim/log.h"
#include "linkshim/rnd.h"
#include "io/io.h"

#define UPOOL_SOCKS 32            /* sockets per server */
#define UPOOL_SLOTS 256           /* ID table size per socket (2^n) */
#define UPOOL_INFLIGHT_MAX 192    /* queries in flight per socket */
#define UPOOL_ROTATE_QUERIES 1024 /* queries before a socket retires */
#define UPOOL_ROTATE_MS 60000     /* age at which a socket retires */
#define UPOOL_SERVERS_MAX 64      /* distinct servers remembered */
#define UPOOL_ID_TRIES 16
#define UPOOL_SOCK_TRIES 4
#define UPOOL_RECV_BATCH 8 /* datagrams per recvmmsg(2) */

struct upool_ent {
	struct fetch *f; /* NULL: free slot */
	uint32_t seq;    /* the socket's nsent when inserted */
	uint16_t id;
};

struct upool_srv;

struct upool_sock {
	TAILQ_ENTRY(upool_sock) entry; /* in pool->retired when retired */
	struct upool *pool;
	struct upool_srv *srv; /* NULL once retired */
	int fd;
	struct event *ev;
	uint32_t nsent;
	unsigned ninflight;
	uint64_t opened_ms;
	bool retired;
	bool busy; /* inside its read callback: do not free */
	struct upool_ent slots[UPOOL_SLOTS];
};
TAILQ_HEAD(upool_sock_list, upool_sock);

struct upool_srv {
	struct upool *pool;
	struct conf_addr addr;
	struct upool_sock *socks[UPOOL_SOCKS];
	size_t nopen;          /* slots in use */
	uint64_t open_fail_ms; /* last failed open: no new one for 1 s */
};

struct upool {
	struct event_base *base;
	struct upool_srv *srv[UPOOL_SERVERS_MAX];
	size_t nsrv;
	struct upool_sock_list retired;
	uint64_t unmatched; /* replies for nothing in flight */
	struct mmsghdr msgs[UPOOL_RECV_BATCH]; /* point at bufs, set once */
	struct iovec iov[UPOOL_RECV_BATCH];
	uint8_t bufs[UPOOL_RECV_BATCH][DNS_MSG_MAX];
};

static struct upool_ent *
upool_find(struct upool_sock *s, uint16_t id)
{
	size_t i = id & (UPOOL_SLOTS - 1);

	while (s->slots[i].f != NULL) {
		if (s->slots[i].id == id)
			return &s->slots[i];
		i = (i + 1) & (UPOOL_SLOTS - 1);
	}
	return NULL;
}

static void
upool_insert(struct upool_sock *s, uint16_t id, struct fetch *f)
{
	size_t i = id & (UPOOL_SLOTS - 1);

	while (s->slots[i].f != NULL)
		i = (i + 1) & (UPOOL_SLOTS - 1);
	s->slots[i].f = f;
	s->slots[i].id = id;
	s->slots[i].seq = s->nsent;
	s->ninflight++;
}

/* Linear probing, deletion by backward shift (no tombstones). */
static void
upool_delete(struct upool_sock *s, struct upool_ent *e)
{
	size_t i = (size_t)(e - s->slots), j = i, k;
	const size_t m = UPOOL_SLOTS - 1;

	s->ninflight--;
	for (;;) {
		j = (j + 1) & m;
		if (s->slots[j].f == NULL)
			break;
		k = s->slots[j].id & m;
		/* slot j may move to i unless its home k lies in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		s->slots[i] = s->slots[j];
		i = j;
	}
	s->slots[i].f = NULL;
}

static void
upool_sock_free(struct upool *p, struct upool_sock *s)
{
	if (s->retired)
		TAILQ_REMOVE(&p->retired, s, entry);
	if (s->ev != NULL)
		event_free(s->ev);
	close(s->fd);
	free(s);
}

/* Take s out of its slot; it closes once nothing is in flight on it. */
static void
upool_retire(struct upool *p, struct upool_sock *s)
{
	size_t i;

	if (s->retired)
		return;
	for (i = 0; i < UPOOL_SOCKS; i++)
		if (s->srv->socks[i] == s) {
			s->srv->socks[i] = NULL;
			s->srv->nopen--;
		}
	s->retired = true;
	s->srv = NULL;
	TAILQ_INSERT_TAIL(&p->retired, s, entry);
	if (s->ninflight == 0 && !s->busy)
		upool_sock_free(p, s);
}

/*
 * ECONNREFUSED and the like (ICMP) on a connected socket: the server is
 * not listening.  Every query in flight on s went to it, so each moves
 * on now rather than at its timer; s retires.  Entries inserted while
 * this runs (a retry that picked another socket of the same server
 * cannot land on s: it is retired first) are left alone via seq.
 */
static void
upool_sock_error(struct upool *p, struct upool_sock *s)
{
	struct upool_ent todo[UPOOL_SLOTS], *e;
	size_t i, n = 0;

	upool_retire(p, s);
	for (i = 0; i < UPOOL_SLOTS; i++)
		if (s->slots[i].f != NULL)
			todo[n++] = s->slots[i];
	for (i = 0; i < n; i++) {
		e = upool_find(s, todo[i].id);
		if (e != NULL && e->f == todo[i].f && e->seq == todo[i].seq)
			upstream_io_udp_error(e->f);
	}
}

/*
 * Match each datagram of a batch by (s, ID) when its turn comes (an
 * earlier one may have released or re-sent a fetch) and hand it over.
 */
static void
upool_deliver(struct upool *p, struct upool_sock *s, int n)
{
	struct upool_ent *e;
	size_t len;
	int i;

	for (i = 0; i < n; i++) {
		len = p->msgs[i].msg_len;
		if (len < DNS_HDR_LEN ||
		    (e = upool_find(s, dnswire_get16(p->bufs[i]))) == NULL) {
			p->unmatched++;
			continue;
		}
		upstream_io_udp_reply(e->f, p->bufs[i], len);
	}
}

/*
 * Readable: one recvmmsg(2) takes what is queued (usually one reply) and
 * a short count ends the read, so that a reply costs one system call,
 * not a recv(2) plus a recv(2) that fails with EAGAIN.
 */
static void
upool_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct upool_sock *s = arg;
	struct upool *p = s->pool;
	int n, total = 0;

	(void)what;
	s->busy = true;
	while (total < IO_UDP_BATCH) {
		n = recvmmsg(fd, p->msgs, UPOOL_RECV_BATCH, MSG_DONTWAIT, NULL);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR) {
				log_debug("%s: recvmmsg: %s", __func__,
				    strerror(errno));
				upool_sock_error(p, s);
			}
			break;
		}
		upool_deliver(p, s, n);
		total += n;
		if (n < UPOOL_RECV_BATCH)
			break;
	}
	s->busy = false;
	if (s->retired && s->ninflight == 0)
		upool_sock_free(p, s);
}

static struct upool_sock *
upool_sock_open(struct upool *p, struct upool_srv *srv, uint64_t now)
{
	const struct conf_addr *a = &srv->addr;
	struct upool_sock *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("%s: calloc", __func__);
		return NULL;
	}
	s->pool = p;
	s->srv = srv;
	s->opened_ms = now;
	s->fd = socket(
	    a->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd == -1) {
		log_warn("%s: socket", __func__);
		free(s);
		return NULL;
	}
	/* connect(2) picks a random ephemeral port and makes the kernel
	 * drop datagrams from any other source. */
	if (connect(s->fd, (const struct sockaddr *)&a->ss, a->len) == -1 ||
	    (s->ev = event_new(p->base, s->fd, EV_READ | EV_PERSIST,
	         upool_read_cb, s)) == NULL ||
	    event_add(s->ev, NULL) == -1) {
		log_debug("%s: connect/event: %s", __func__, strerror(errno));
		upool_sock_free(p, s);
		return NULL;
	}
	return s;
}

/* Retire every socket of srv and forget it (a server gone after a
 * reload); its sockets close when their last query finishes. */
static void
upool_srv_free(struct upool *p, struct upool_srv *srv)
{
	size_t i;

	for (i = 0; i < UPOOL_SOCKS; i++)
		if (srv->socks[i] != NULL)
			upool_retire(p, srv->socks[i]);
	free(srv);
}

/* The few servers (one pool each) are found by a short linear search. */
static struct upool_srv *
upool_srv_get(struct upool *p, const struct conf_addr *a)
{
	struct upool_srv *srv;
	size_t i;

	for (i = 0; i < p->nsrv; i++)
		if (conf_addr_equal(&p->srv[i]->addr, a))
			return p->srv[i];
	if (p->nsrv == UPOOL_SERVERS_MAX) { /* forget the oldest */
		upool_srv_free(p, p->srv[0]);
		memmove(p->srv, p->srv + 1, (p->nsrv - 1) * sizeof(*p->srv));
		p->nsrv--;
	}
	if ((srv = calloc(1, sizeof(*srv))) == NULL) {
		log_warn("%s: calloc", __func__);
		return NULL;
	}
	srv->pool = p;
	srv->addr = *a;
	p->srv[p->nsrv++] = srv;
	return srv;
}

/* No new socket could be opened (EMFILE ...): any open one will do. */
static struct upool_sock *
upool_any(struct upool_srv *srv)
{
	size_t i, k = rnd_uniform(UPOOL_SOCKS);

	for (i = 0; i < UPOOL_SOCKS; i++)
		if (srv->socks[(k + i) % UPOOL_SOCKS] != NULL)
			return srv->socks[(k + i) % UPOOL_SOCKS];
	return NULL;
}

/*
 * A live socket from srv's slot i (opened or rotated as needed).  While
 * the pool is not full an empty slot is taken instead, so that the first
 * queries (and every query at a low rate) each leave from a new port.
 */
static struct upool_sock *
upool_slot(struct upool *p, struct upool_srv *srv, size_t i, uint64_t now)
{
	struct upool_sock *s;
	size_t k;

	if (srv->nopen > 0 && srv->open_fail_ms != 0 &&
	    now - srv->open_fail_ms < 1000)
		return upool_any(srv); /* EMFILE lately: make do */
	for (k = 0; srv->nopen < UPOOL_SOCKS && k < UPOOL_SOCKS; k++)
		if (srv->socks[(i + k) % UPOOL_SOCKS] == NULL) {
			i = (i + k) % UPOOL_SOCKS;
			break;
		}
	s = srv->socks[i];

	if (s != NULL &&
	    (s->nsent >= UPOOL_ROTATE_QUERIES ||
	        now - s->opened_ms >= UPOOL_ROTATE_MS))
		upool_retire(p, s); /* clears the slot */
	if (srv->socks[i] == NULL) {
		if ((srv->socks[i] = upool_sock_open(p, srv, now)) == NULL)
			srv->open_fail_ms = now;
		else
			srv->nopen++;
	}
	return srv->socks[i];
}

struct upool *
upool_new(struct event_base *base)
{
	struct upool *p;
	size_t i;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->base = base;
	TAILQ_INIT(&p->retired);
	for (i = 0; i < UPOOL_RECV_BATCH; i++) {
		p->iov[i].iov_base = p->bufs[i];
		p->iov[i].iov_len = sizeof(p->bufs[i]);
		p->msgs[i].msg_hdr.msg_iov = &p->iov[i];
		p->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return p;
}

void
upool_free(struct upool *p)
{
	struct upool_sock *s;
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsrv; i++) {
		for (j = 0; j < UPOOL_SOCKS; j++)
			if (p->srv[i]->socks[j] != NULL)
				upool_sock_free(p, p->srv[i]->socks[j]);
		free(p->srv[i]);
	}
	while ((s = TAILQ_FIRST(&p->retired)) != NULL)
		upool_sock_free(p, s);
	free(p);
}

struct upool_sock *
upool_send(struct upool *p, const struct conf_addr *a, struct fetch *f,
    uint8_t *qbuf, size_t qlen, uint64_t now, uint16_t *idp)
{
	struct upool_srv *srv;
	struct upool_sock *s;
	uint16_t id = 0;
	int t, k;

	if ((srv = upool_srv_get(p, a)) == NULL)
		return NULL;
	for (t = 0; t < UPOOL_SOCK_TRIES; t++) {
		s = upool_slot(p, srv, rnd_uniform(UPOOL_SOCKS), now);
		if (s == NULL && (s = upool_any(srv)) == NULL)
			return NULL;
		if (s->ninflight >= UPOOL_INFLIGHT_MAX)
			continue;
		for (k = 0; k < UPOOL_ID_TRIES; k++) {
			id = (uint16_t)rnd_u32();
			if (upool_find(s, id) == NULL)
				break;
		}
		if (k == UPOOL_ID_TRIES)
			continue;
		dnswire_put16(qbuf, id);
		/* a pending ICMP error of an earlier query is reported
		 * once, by this send: try again once */
		if (send(s->fd, qbuf, qlen, 0) == -1 &&
		    (errno != ECONNREFUSED ||
		        send(s->fd, qbuf, qlen, 0) == -1)) {
			log_debug("%s: send: %s", __func__, strerror(errno));
			upool_retire(p, s);
			return NULL;
		}
		upool_insert(s, id, f);
		s->nsent++;
		*idp = id;
		return s;
	}
	return NULL;
}

void
upool_release(struct upool_sock *s, uint16_t id)
{
	struct upool *p = s->pool;
	struct upool_ent *e;

	if ((e = upool_find(s, id)) != NULL)
		upool_delete(s, e);
	if (s->retired && s->ninflight == 0 && !s->busy)
		upool_sock_free(p, s);
}
