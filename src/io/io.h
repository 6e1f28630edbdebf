/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * io: the internal seams of the libevent shell (src/io/): the resolver
 * context (struct linkshim), the listeners, the client requests waiting
 * for an upstream answer (struct waiter) and the upstream queries
 * (struct fetch, upstream_io.c).  Not installed; the public API is
 * include/linkshim/linkshim.h.
 *
 * Ownership: struct linkshim owns the conf, the zonetab snapshot, the
 * cache, the upstream sets, the listeners and every fetch.  A fetch owns
 * its waiters.  A TCP connection and a UDP listener only point at the
 * waiters that will answer through them; when they close first they clear
 * the waiter's back pointer (the answer is then dropped), they never free
 * a waiter.
 */
#ifndef LINKSHIM_IO_H
#define LINKSHIM_IO_H

#include <sys/queue.h>
#include <sys/tree.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/cache.h"
#include "linkshim/conf.h"
#include "linkshim/dnswire.h"
#include "linkshim/errbuf.h"
#include "linkshim/freelist.h"
#include "linkshim/linkshim.h"
#include "linkshim/upstream.h"
#include "linkshim/zonetab.h"

struct event;
struct event_base;
struct bufferevent;
struct evconnlistener;
struct fetch;
struct tcp_conn;
struct upool;
struct upool_sock;
struct reload;

#define IO_TCP_PIPELINE_MAX 64         /* pending queries per TCP connection */
#define IO_TCP_OUTPUT_MAX (256 * 1024) /* unsent bytes before reading stops */
#define IO_UDP_BATCH 64 /* upstream replies read per wakeup (upool) */
/* The UDP listener reads with recvmmsg() into IO_UDP_SLOTS receive
 * slots and sends the immediate answers of a batch with one sendmmsg().
 * A query longer than IO_UDP_RECV_SLOT (a real one is under 600 bytes,
 * padded or not) arrives cut (MSG_TRUNC) and is answered FORMERR.  The
 * answers are packed one after the other into an arena where each gets
 * at least DNS_MSG_MAX of room (request_handle() may copy a whole cached
 * reply before cutting it to the client's UDP limit, <= 1232 bytes). */
#define IO_UDP_SLOTS 64
#define IO_UDP_RECV_SLOT 2048
#define IO_UDP_OUT_ARENA (DNS_MSG_MAX + IO_UDP_SLOTS * DNS_EDNS_ADVERTISE)
#define IO_UDP_ROUNDS 2             /* full batches read per wakeup at most */
#define IO_UDP_RCVBUF (1024 * 1024) /* SO_RCVBUF asked for a listener */
#define IO_FWD_DEFAULT (-1)         /* fetch set: the default upstreams */
/* Clients that may wait upstream at once, per limits.inflight: beyond it
 * a query that would wait gets SERVFAIL (memory stays bounded when one
 * name is flooded while its upstream is dead). */
#define IO_WAITERS_PER_INFLIGHT 4
#define IO_FREELIST_MAX 256 /* freed fetches/waiters kept for reuse */
#define IO_WAITER_QMAX 512  /* queries up to this size: pooled waiters */

/*
 * The local address a datagram was sent to, read with IP_PKTINFO /
 * IPV6_RECVPKTINFO on a wildcard listener, so that the answer leaves
 * from the address the client asked (RFC 1122 §4.1.3.5; Unbound's
 * interface-automatic).  family 0: not known, let the kernel choose.
 */
struct io_dst {
	int family;
	unsigned ifindex;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} a;
};

/* Control data room for one IP_PKTINFO or IPV6_PKTINFO. */
union io_pktinfo_cbuf {
	size_t align; /* struct cmsghdr's alignment */
	uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
};

/*
 * A UDP listener and its one batch of buffers (style.md §7: per
 * listener, not on the stack): receive slot i holds datagram i of a
 * recvmmsg(), its client address and (wildcard listeners) its
 * destination; the immediate answers of the batch are packed into out
 * in order and sent with one sendmmsg().
 */
struct listener_udp {
	TAILQ_ENTRY(listener_udp) entry;
	struct linkshim *ls;
	struct conf_addr addr;
	bool wildcard; /* bound to 0.0.0.0 or ::: track the destination */
	int fd;
	struct event *ev;
	uint64_t send_dropped; /* answers sendmmsg() could not send */
	struct mmsghdr rmsg[IO_UDP_SLOTS];
	struct iovec riov[IO_UDP_SLOTS];
	struct sockaddr_storage rss[IO_UDP_SLOTS];
	union io_pktinfo_cbuf rcbuf[IO_UDP_SLOTS]; /* wildcard only */
	struct mmsghdr smsg[IO_UDP_SLOTS];
	struct iovec siov[IO_UDP_SLOTS];
	union io_pktinfo_cbuf scbuf[IO_UDP_SLOTS]; /* wildcard only */
	uint8_t buf[IO_UDP_SLOTS][IO_UDP_RECV_SLOT];
	uint8_t out[IO_UDP_OUT_ARENA]; /* the batch's answers, packed */
};
TAILQ_HEAD(listener_udp_list, listener_udp);

/* A TCP listener and its connections. */
struct listener_tcp {
	TAILQ_ENTRY(listener_tcp) entry;
	struct linkshim *ls;
	struct conf_addr addr;
	struct evconnlistener *evl;
	TAILQ_HEAD(, tcp_conn) conns;
	uint8_t buf[DNS_MSG_MAX]; /* one query at a time is copied here */
	uint8_t out[DNS_MSG_MAX]; /* immediate answers */
};
TAILQ_HEAD(listener_tcp_list, listener_tcp);

/*
 * A client query waiting for an upstream answer (forwarded, or the
 * target of a link chase).  Owned by its fetch; freed with waiter_free()
 * after it was answered or when the fetch dies.
 */
struct waiter {
	TAILQ_ENTRY(waiter) fetch_entry; /* in fetch->waiters */
	struct linkshim *ls;
	TAILQ_ENTRY(waiter) conn_entry; /* in tcp->waiters (TCP only) */
	struct listener_udp *udp;       /* UDP: answer through it; NULL
	                                   once it closed */
	struct tcp_conn *tcp;           /* TCP: NULL once it closed */
	bool is_tcp;
	struct sockaddr_storage ss; /* UDP client address */
	socklen_t sslen;
	struct io_dst dst; /* UDP: the address it asked */
	struct dns_msginfo mi;
	bool chase;                 /* answer with answer_chased() */
	struct zt_result chase_res; /* copied; node is NULL */
	uint64_t chase_gen;         /* zonetab_generation() when asked */
	uint64_t start_us;          /* querylog_now_us(), only when it is on */
	size_t qlen;
	bool pooled;     /* from ls->waiter_fl (room for IO_WAITER_QMAX) */
	uint8_t query[]; /* the client's bytes, exactly qlen */
};
TAILQ_HEAD(waiter_list, waiter);

/* Where a client query came from (borrowed for one call). */
struct io_client {
	struct listener_udp *udp;
	struct tcp_conn *tcp;
	const struct sockaddr *sa;
	socklen_t salen;
	const struct io_dst *dst; /* UDP on a wildcard listener, else NULL */
	bool truncated; /* UDP: the datagram was cut (MSG_TRUNC): FORMERR */
};

struct fetch;
RB_HEAD(fetch_tree, fetch);
TAILQ_HEAD(fetch_list, fetch);

struct linkshim {
	struct event_base *base; /* the caller's */
	struct conf *conf;
	struct zonetab *zt;
	struct cache *cache;

	struct upstream_set defset;                 /* conf->upstreams */
	struct upstream_set *fwdsets;               /* one per conf->forward */
	uint64_t def_last_ms[UPSTREAM_MAX_SERVERS]; /* last good answer,
	                                               io_now_ms(); 0 never */
	uint64_t (*fwd_last_ms)[UPSTREAM_MAX_SERVERS]; /* per fwdsets[i] */
	size_t nfwdsets;
	unsigned set_gen; /* bumped when the sets are rebuilt (reload) */

	struct listener_udp_list udp;
	struct listener_tcp_list tcp;
	unsigned ntcp_conns;
	struct event *accept_ev; /* re-enables accepting after EMFILE */

	struct fetch_tree fetches; /* by question: coalescing */
	struct fetch_list age;     /* oldest first: eviction */
	size_t nfetches;
	size_t nwaiters;           /* clients waiting upstream */
	uint8_t idmap[65536 / 8];  /* ids in use by fetches over TCP */
	struct upool *upool;       /* upstream UDP sockets; NULL until used */
	struct freelist fetch_fl;  /* freed fetches (size 0 until first use) */
	struct freelist waiter_fl; /* freed pooled waiters (likewise) */
	const struct timeval *upstream_tv; /* libevent common timeout for */
	uint64_t upstream_tv_ms;           /* timeouts.upstream_ms, or NULL */
	struct reload *reloader; /* reload thread (worker 0); NULL until
	                            the first asynchronous rebuild */
	struct workers *workers; /* workers 1..N-1 (worker 0 only) */
	bool borrowed;           /* a worker: conf and zt are worker 0's */
	bool reuseport;          /* listeners bind with SO_REUSEPORT */

	struct conf_link *dyn_links; /* linkshim_set_dynamic() copies */
	size_t ndyn_links;
	struct conf_zone *dyn_zones;
	size_t ndyn_zones;

	struct linkshim_stats stats;
	bool in_batch;   /* the UDP listener is handling a batch */
	uint64_t now_ms; /* in a batch: io_now_ms() once read, else 0 */
	uint8_t out[DNS_MSG_MAX + 2]; /* answers to waiters */
	uint8_t scratch[DNS_MSG_MAX]; /* cache copies, upstream reads */
	uint8_t cached[DNS_MSG_MAX];  /* a fresh answer read back, or a kept
	                                 link answer (request_chase) */
};

/* Monotonic clock in milliseconds. */
uint64_t io_now_ms(void);

/* request.c: the query path shared by both listeners. */

/*
 * Handle one client query pkt[0..len) from *from.  Returns the length of
 * an answer written to out[0..cap) to send now, 0 when nothing is to be
 * sent now (dropped, or waiting for an upstream: it will be delivered
 * later through from->udp / from->tcp).
 */
size_t request_handle(struct linkshim *ls, const uint8_t *pkt, size_t len,
    const struct io_client *from, uint8_t *out, size_t cap);

/* Answer waiter w (borrowed) with an upstream (or cached, or stale)
 * reply, or with rcode.  reply is borrowed for the call; cached: it was
 * read from the cache (relayed without a parse).  Does not free w;
 * nothing is sent when w's transport is gone. */
void request_deliver(struct linkshim *ls, struct waiter *w,
    const uint8_t *reply, size_t rlen, bool cached, bool stale);
void request_deliver_error(struct linkshim *ls, struct waiter *w, int rcode);

/* Unlink w from its TCP connection and free it.  NULL-safe.  Only the
 * owner of w (its fetch, or request.c before it was attached) calls it. */
void waiter_free(struct waiter *w);

/* upstream_io.c */

/*
 * Find the in-flight fetch for (q, do_bit, cd, set) or create one; set
 * *created.  A created fetch is not started: attach waiters, then call
 * upstream_io_start().  Returns a fetch borrowed until it completes, or
 * NULL on allocation failure.
 */
struct fetch *upstream_io_get(struct linkshim *ls, const struct dns_question *q,
    bool do_bit, bool cd, int set, bool *created);
/* Takes ownership of w. */
void upstream_io_attach(struct fetch *f, struct waiter *w);
/* Send the first try.  May complete f (and answer its waiters) at once. */
void upstream_io_start(struct fetch *f);
/* Cancel every fetch without answering (shutdown). */
void upstream_io_cancel_all(struct linkshim *ls);
/* Clear every waiter's pointer to udp (that listener is closing). */
void upstream_io_forget_udp(struct linkshim *ls, struct listener_udp *udp);

/* A reply read for f from its pool socket (borrowed for the call), or
 * an error (ICMP unreachable) on that socket.  Either may free f. */
void upstream_io_udp_reply(struct fetch *f, const uint8_t *buf, size_t len);
void upstream_io_udp_error(struct fetch *f);

/* upstream_pool.c: pooled connected UDP sockets per upstream server. */

/* Returns a new empty pool (free with upool_free(), NULL-safe, after
 * every fetch is gone), or NULL.  base must outlive it. */
struct upool *upool_new(struct event_base *base);
void upool_free(struct upool *p);
/*
 * Send qbuf[0..qlen) for f to a on a pool socket, under a fresh random
 * ID (written into qbuf and *id) not in flight on that socket; now is
 * io_now_ms() (socket rotation by age).  Returns the socket (borrowed; f
 * is registered on it under *id until upool_release()) or NULL when
 * nothing could be sent.
 */
struct upool_sock *upool_send(struct upool *p, const struct conf_addr *a,
    struct fetch *f, uint8_t *qbuf, size_t qlen, uint64_t now, uint16_t *id);
/* Unregister id on s: a later reply with it is dropped.  s may close. */
void upool_release(struct upool_sock *s, uint16_t id);

/* workers.c: workers 1..N-1, each a struct linkshim on its own base and
 * thread, borrowing worker 0's conf and zt. */

/* conf asks for more than one worker. */
bool workers_wanted(const struct conf *c);
/* Start the workers of ls (worker 0).  Returns a new set, freed with
 * workers_free() (NULL-safe; stops and joins the threads), or NULL with
 * err filled. */
struct workers *workers_new(struct linkshim *ls, struct errbuf *err);
void workers_free(struct workers *ws);
/* Every worker switches to conf and zt (borrowed; the caller frees the
 * old ones after this returns).  ws may be NULL. */
void workers_adopt(struct workers *ws, struct conf *conf, struct zonetab *zt);
/* Add every worker's counters to st.  ws may be NULL. */
void workers_add_stats(struct workers *ws, struct linkshim_stats *st);

/* Everything a reload or a dynamic update builds before the swap (or,
 * after the swap, the objects it replaced). */
struct resolver_next {
	struct conf *conf;
	struct zonetab *zt;
	struct cache *cache; /* NULL: keep the current one */
	struct upstream_set defset;
	struct upstream_set *fwdsets;
	uint64_t (*fwd_last_ms)[UPSTREAM_MAX_SERVERS];
	size_t nfwdsets;
};

/* resolver.c, for reload.c.  The builds run in the reload thread and
 * only read ls (its conf, cache and dynamic entries, which change only
 * in an apply, and applies never overlap a build); the applies run on
 * ls's loop. */

/* Free everything nx holds (NULL-safe fields) and zero it. */
void resolver_next_clear(struct resolver_next *nx);
/* Load path and build *nx (filled on success, cleared on failure).
 * 0, or -1 with err filled (file:line:col for config errors). */
int resolver_build_file(const struct linkshim *ls, const char *path,
    struct resolver_next *nx, struct errbuf *err);
/* Bind new listen addresses, swap nx in and move what it replaced into
 * *old (empty on entry; the caller frees it).  -1 with err filled when a
 * listener cannot be bound (nothing changed; nx still owned by the
 * caller).  Counts and logs the reload. */
int resolver_apply_file(struct linkshim *ls, struct resolver_next *nx,
    struct resolver_next *old, struct errbuf *err);
/* Check dl/dz (borrowed) against the conf in force and build the
 * snapshot with them.  Returns 0 and a new *zt, or -1 with err. */
int resolver_build_dynamic(const struct linkshim *ls,
    const struct conf_link *dl, size_t ndl, const struct conf_zone *dz,
    size_t ndz, struct zonetab **zt, struct errbuf *err);
/* Swap in *zt and the dynamic arrays (taken); on return they hold the
 * replaced ones, which the caller frees. */
void resolver_apply_dynamic(struct linkshim *ls, struct zonetab **zt,
    struct conf_link **dl, size_t *ndl, struct conf_zone **dz, size_t *ndz);

/*
 * reload.c: the reload thread of worker 0 (the public side is
 * linkshim_reload_async() and linkshim_set_dynamic_async()).
 */
/* Wait for the rebuild in progress, if any, and apply it (its callbacks
 * run).  Used by the synchronous linkshim_reload/set_dynamic. */
void reload_wait(struct linkshim *ls);
/* Stop and join the thread; queued rebuilds are dropped without their
 * callbacks.  NULL-safe. */
void reload_free(struct reload *rl);

/* resolver.c, for workers.c */
struct linkshim *resolver_worker_new(
    struct event_base *base, struct linkshim *main, struct errbuf *err);
void resolver_worker_adopt(
    struct linkshim *ls, struct conf *conf, struct zonetab *zt);

/* querylog.c: the query log (conf query_log, or -vv). */
uint64_t querylog_now_us(void);
/* One line for the answer out to mi from sa (may be NULL); source is
 * "local", "cache", "upstream" or "stale"; start_us from
 * querylog_now_us() when the query arrived. */
void querylog_line(const struct dns_msginfo *mi, bool tcp,
    const struct sockaddr *sa, const char *source, const uint8_t *out,
    uint64_t start_us);

/* dynamic.c: deep copies of API-registered links and zones. */

/* Returns 0 and sets *out to a new array (free with dynamic_links_free()),
 * or -1 on allocation failure.  n == 0 gives *out = NULL. */
int dynamic_links_copy(
    const struct conf_link *in, size_t n, struct conf_link **out);
void dynamic_links_free(struct conf_link *links, size_t n);
int dynamic_zones_copy(
    const struct conf_zone *in, size_t n, struct conf_zone **out);
void dynamic_zones_free(struct conf_zone *zones, size_t n);

/* listener_udp.c */

/* Bind a UDP socket on addr (borrowed for the call) and arm it on
 * ls->base.  Returns a new listener, caller frees with listener_udp_free()
 * (NULL-safe; waiters answering through it are told first), or NULL with
 * err filled.  ls is borrowed and must outlive the listener. */
struct listener_udp *listener_udp_new(
    struct linkshim *ls, const struct conf_addr *addr, struct errbuf *err);
void listener_udp_free(struct listener_udp *lu);
/* Send buf to sa, from dst's address when dst is known (may be NULL). */
void listener_udp_send(struct listener_udp *lu, const struct sockaddr *sa,
    socklen_t salen, const struct io_dst *dst, const uint8_t *buf, size_t len);

/* listener_tcp.c */

/* Listen on addr over TCP (RFC 7766).  Returns a new listener, caller
 * frees with listener_tcp_free() (NULL-safe; closes its connections), or
 * NULL with err filled.  ls is borrowed and must outlive the listener. */
struct listener_tcp *listener_tcp_new(
    struct linkshim *ls, const struct conf_addr *addr, struct errbuf *err);
void listener_tcp_free(struct listener_tcp *lt);
/* Queue one answer (the 2-byte length is added). */
void listener_tcp_send(struct tcp_conn *tc, const uint8_t *buf, size_t len);
/* Attach w to tc (a query of tc waits upstream) and detach it again once
 * answered or dropped. */
void listener_tcp_track(struct tcp_conn *tc, struct waiter *w);
void listener_tcp_done(struct tcp_conn *tc, struct waiter *w);
/* Resume accepting on every TCP listener (below the cap again). */
void listener_tcp_resume(struct linkshim *ls);

#endif
