/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * listener_udp: one bound UDP socket.  Datagrams are read in batches
 * with recvmmsg() into the listener's receive slots (one batch of
 * buffers per listener, as unwind keeps one buffer), each is handed to
 * request_handle(), and the immediate answers of the batch (local data,
 * cache hits, errors) are sent back together with one sendmmsg(), each
 * from the address its query was sent to on a wildcard listener
 * (IP_PKTINFO).  With one query per wakeup that is epoll_wait, recvmmsg
 * and sendmmsg: a short batch means the queue was empty, so the read
 * that would only return EAGAIN is skipped.  Answers that wait upstream
 * are sent later through listener_udp_send().
 */
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "linkshim/log.h"
#include "io/io.h"

/* Read the destination address out of the IP_PKTINFO control data. */
static void
listener_udp_dst(struct msghdr *mh, struct io_dst *dst)
{
	struct cmsghdr *cm;
	struct in_pktinfo pi;
	struct in6_pktinfo pi6;

	memset(dst, 0, sizeof(*dst));
	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(pi))) {
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			dst->family = AF_INET;
			dst->a.v4 = pi.ipi_addr;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(pi6))) {
			memcpy(&pi6, CMSG_DATA(cm), sizeof(pi6));
			dst->family = AF_INET6;
			dst->a.v6 = pi6.ipi6_addr;
			dst->ifindex = pi6.ipi6_ifindex;
		}
	}
}

/* Re-arm receive slot i for the next recvmmsg() (the kernel wrote its
 * name and control lengths; msg_flags is only an output). */
static void
listener_udp_slot_reset(struct listener_udp *lu, int i)
{
	struct msghdr *mh = &lu->rmsg[i].msg_hdr;

	mh->msg_namelen = sizeof(lu->rss[i]);
	if (lu->wildcard)
		mh->msg_controllen = sizeof(lu->rcbuf[i]);
}

static void
listener_udp_slots_init(struct listener_udp *lu)
{
	struct msghdr *mh;
	int i;

	for (i = 0; i < IO_UDP_SLOTS; i++) {
		lu->riov[i].iov_base = lu->buf[i];
		lu->riov[i].iov_len = sizeof(lu->buf[i]);
		mh = &lu->rmsg[i].msg_hdr;
		mh->msg_name = &lu->rss[i];
		mh->msg_iov = &lu->riov[i];
		mh->msg_iovlen = 1;
		if (lu->wildcard)
			mh->msg_control = lu->rcbuf[i].buf;
		listener_udp_slot_reset(lu, i);
		lu->smsg[i].msg_hdr.msg_iov = &lu->siov[i];
		lu->smsg[i].msg_hdr.msg_iovlen = 1;
	}
}

/* Write the IP_PKTINFO / IPV6_PKTINFO that makes an answer leave from
 * dst into cb; returns the control length. */
static size_t
listener_udp_pktinfo(const struct io_dst *dst, union io_pktinfo_cbuf *cb)
{
	struct cmsghdr *cm = (struct cmsghdr *)(void *)cb->buf;
	struct in_pktinfo pi;
	struct in6_pktinfo pi6;

	memset(cb, 0, sizeof(*cb));
	if (dst->family == AF_INET) {
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = dst->a.v4;
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
	memset(&pi6, 0, sizeof(pi6));
	pi6.ipi6_addr = dst->a.v6;
	pi6.ipi6_ifindex = dst->ifindex;
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi6));
	memcpy(CMSG_DATA(cm), &pi6, sizeof(pi6));
	return CMSG_SPACE(sizeof(pi6));
}

/*
 * The rest of a batch after a sendmmsg() of smsg[0..n) that returned r
 * (short, or -1).  A partial send goes on with the rest; a message the
 * kernel refuses (a bad destination) is skipped; a full socket buffer
 * drops what is left (counted, logged at debug level: never per packet
 * above that).  Bounded: every retry but EINTR makes progress.
 */
static void
listener_udp_flush_rest(struct listener_udp *lu, int n, int r)
{
	int done = 0, tries = 0;

	for (;;) {
		if (r > 0)
			done += r;
		else if (r == -1 && errno == EINTR)
			;
		else if (r == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != ENOBUFS) {
			log_debug("%s: send: %s", __func__, strerror(errno));
			lu->send_dropped++;
			done++; /* this one cannot go: try the next */
		} else
			break;
		if (done >= n || ++tries >= 2 * IO_UDP_SLOTS)
			break;
		r = sendmmsg(lu->fd, lu->smsg + done, (unsigned)(n - done), 0);
	}
	if (done < n) {
		lu->send_dropped += (uint64_t)(n - done);
		log_debug("%s: %d answers dropped (%s), %llu so far", __func__,
		    n - done, strerror(errno),
		    (unsigned long long)lu->send_dropped);
	}
}

/* Send the n (> 0) answers queued in smsg[0..n) with one sendmmsg(). */
static void
listener_udp_flush(struct listener_udp *lu, int n)
{
	int r;

	r = sendmmsg(lu->fd, lu->smsg, (unsigned)n, 0);
	if (r != n)
		listener_udp_flush_rest(lu, n, r);
}

/* The answers of a batch queued so far: smsg[0..n), out[0..pos). */
struct listener_udp_batch {
	int n;
	size_t pos;
};

/* Handle datagram i of the batch; queue its immediate answer, if any. */
static void
listener_udp_one(struct listener_udp *lu, int i, struct listener_udp_batch *b)
{
	struct msghdr *rh = &lu->rmsg[i].msg_hdr, *sh;
	struct io_client from;
	struct io_dst dst;
	size_t alen;

	if (sizeof(lu->out) - b->pos < DNS_MSG_MAX) { /* not with <= 1232 */
		if (b->n > 0)
			listener_udp_flush(lu, b->n);
		b->n = 0;
		b->pos = 0;
	}
	memset(&from, 0, sizeof(from));
	from.udp = lu;
	from.sa = (const struct sockaddr *)&lu->rss[i];
	from.salen = rh->msg_namelen;
	from.truncated = (rh->msg_flags & MSG_TRUNC) != 0;
	if (lu->wildcard) {
		listener_udp_dst(rh, &dst);
		from.dst = &dst;
	}
	alen = request_handle(lu->ls, lu->buf[i], lu->rmsg[i].msg_len, &from,
	    lu->out + b->pos, sizeof(lu->out) - b->pos);
	if (alen == 0)
		return;
	sh = &lu->smsg[b->n].msg_hdr;
	sh->msg_name = &lu->rss[i];
	sh->msg_namelen = rh->msg_namelen;
	lu->siov[b->n].iov_base = lu->out + b->pos;
	lu->siov[b->n].iov_len = alen;
	sh->msg_control = NULL;
	sh->msg_controllen = 0;
	if (lu->wildcard && dst.family == lu->addr.ss.ss_family) {
		sh->msg_control = lu->scbuf[b->n].buf;
		sh->msg_controllen =
		    listener_udp_pktinfo(&dst, &lu->scbuf[b->n]);
	}
	b->n++;
	b->pos += alen;
}

/*
 * Read up to IO_UDP_SLOTS datagrams with one recvmmsg(), answer them and
 * send the immediate answers with one sendmmsg().  A batch that came back
 * short means the queue was empty: back to epoll without the EAGAIN
 * read.  At most IO_UDP_ROUNDS full batches per wakeup, so that TCP and
 * upstream events get their turn (epoll is level-triggered: the rest
 * waits for the next round of the loop).
 */
static void
listener_udp_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct listener_udp *lu = arg;
	struct linkshim *ls = lu->ls;
	struct listener_udp_batch b;
	int i, n, round;

	(void)what;
	for (round = 0; round < IO_UDP_ROUNDS; round++) {
		n = recvmmsg(fd, lu->rmsg, IO_UDP_SLOTS, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			if (n == -1 && errno != EAGAIN &&
			    errno != EWOULDBLOCK && errno != EINTR)
				log_debug(
				    "%s: recv: %s", __func__, strerror(errno));
			break;
		}
		/* at most one clock read for the batch, when a query needs
		 * it (TTLs count in seconds; request_now_ms()) */
		ls->in_batch = true;
		b.n = 0;
		b.pos = 0;
		for (i = 0; i < n; i++)
			listener_udp_one(lu, i, &b);
		if (b.n > 0)
			listener_udp_flush(lu, b.n);
		for (i = 0; i < n; i++)
			listener_udp_slot_reset(lu, i);
		if (n < IO_UDP_SLOTS)
			break;
	}
	ls->in_batch = false;
	ls->now_ms = 0;
}

/* sendmsg from the address the client asked (wildcard listeners). */
static ssize_t
listener_udp_sendmsg(struct listener_udp *lu, const struct sockaddr *sa,
    socklen_t salen, const struct io_dst *dst, const uint8_t *buf, size_t len)
{
	union io_pktinfo_cbuf cbuf;
	struct iovec iov;
	struct msghdr mh;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	mh.msg_name = (void *)(uintptr_t)sa;
	mh.msg_namelen = salen;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf.buf;
	mh.msg_controllen = listener_udp_pktinfo(dst, &cbuf);
	return sendmsg(lu->fd, &mh, 0);
}

void
listener_udp_send(struct listener_udp *lu, const struct sockaddr *sa,
    socklen_t salen, const struct io_dst *dst, const uint8_t *buf, size_t len)
{
	ssize_t n;

	if (lu->wildcard && dst != NULL && dst->family == lu->addr.ss.ss_family)
		n = listener_udp_sendmsg(lu, sa, salen, dst, buf, len);
	else
		n = sendto(lu->fd, buf, len, 0, sa, salen);
	if (n == -1)
		log_debug("%s: send: %s", __func__, strerror(errno));
}

static bool
listener_udp_is_wildcard(const struct conf_addr *addr)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&addr->ss;
	const struct sockaddr_in6 *sin6 =
	    (const struct sockaddr_in6 *)&addr->ss;

	if (addr->ss.ss_family == AF_INET)
		return sin->sin_addr.s_addr == htonl(INADDR_ANY);
	if (addr->ss.ss_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr);
	return false;
}

static int
listener_udp_bind(
    const struct conf_addr *addr, bool reuseport, struct errbuf *err)
{
	char a[64];
	int fd, on = 1, rcvbuf = IO_UDP_RCVBUF;

	conf_format_addr(addr, a, sizeof(a));
	fd = socket(
	    addr->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		errbuf_set(err, "%s: socket: %s", a, strerror(errno));
		return -1;
	}
	if (addr->ss.ss_family == AF_INET6)
		(void)setsockopt(
		    fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	/* best effort, capped by net.core.rmem_max: room for a burst of
	 * ~1,200 queries (a small datagram takes ~830 bytes of it) while
	 * the loop is busy elsewhere; the default holds ~250 */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (reuseport && /* workers: one socket each (workers.c) */
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) == -1) {
		errbuf_set(err, "%s: SO_REUSEPORT: %s", a, strerror(errno));
		close(fd);
		return -1;
	}
	if (listener_udp_is_wildcard(addr) &&
	    (addr->ss.ss_family == AF_INET
	            ? setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on))
	            : setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	                  sizeof(on))) == -1) {
		errbuf_set(err, "%s: pktinfo: %s", a, strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, (const struct sockaddr *)&addr->ss, addr->len) == -1) {
		errbuf_set(err, "%s: bind (udp): %s", a, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct listener_udp *
listener_udp_new(
    struct linkshim *ls, const struct conf_addr *addr, struct errbuf *err)
{
	struct listener_udp *lu;

	if ((lu = calloc(1, sizeof(*lu))) == NULL) {
		errbuf_set(err, "out of memory");
		return NULL;
	}
	lu->ls = ls;
	lu->addr = *addr;
	lu->wildcard = listener_udp_is_wildcard(addr);
	listener_udp_slots_init(lu);
	if ((lu->fd = listener_udp_bind(addr, ls->reuseport, err)) == -1) {
		free(lu);
		return NULL;
	}
	lu->ev = event_new(
	    ls->base, lu->fd, EV_READ | EV_PERSIST, listener_udp_read_cb, lu);
	if (lu->ev == NULL || event_add(lu->ev, NULL) == -1) {
		errbuf_set(err, "udp listener: event_new failed");
		listener_udp_free(lu);
		return NULL;
	}
	return lu;
}

void
listener_udp_free(struct listener_udp *lu)
{
	if (lu == NULL)
		return;
	upstream_io_forget_udp(lu->ls, lu);
	if (lu->ev != NULL)
		event_free(lu->ev);
	if (lu->fd != -1)
		close(lu->fd);
	free(lu);
}
