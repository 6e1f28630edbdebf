/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * listener_udp: one bound UDP socket.  Datagrams are read in batches into
 * the listener's one receive buffer (unwind's udp_receive), handed to
 * request_handle(), and an immediate answer (local data, cache hit,
 * error) is sent back at once from the listener's output buffer.  Answers
 * that wait upstream are sent later through listener_udp_send().
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

/* One datagram into lu->buf: recvfrom, or recvmsg with the destination
 * address on a wildcard listener.  Returns the length or -1. */
static ssize_t
listener_udp_recv(struct listener_udp *lu, struct sockaddr_storage *ss,
    socklen_t *sslen, struct io_dst *dst)
{
	union {
		struct cmsghdr hdr;
		uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	*sslen = sizeof(*ss);
	if (!lu->wildcard)
		return recvfrom(lu->fd, lu->buf, sizeof(lu->buf), 0,
		    (struct sockaddr *)ss, sslen);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = lu->buf;
	iov.iov_len = sizeof(lu->buf);
	mh.msg_name = ss;
	mh.msg_namelen = *sslen;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf.buf;
	mh.msg_controllen = sizeof(cbuf.buf);
	if ((n = recvmsg(lu->fd, &mh, 0)) == -1)
		return -1;
	*sslen = mh.msg_namelen;
	listener_udp_dst(&mh, dst);
	return n;
}

static void
listener_udp_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct listener_udp *lu = arg;
	struct linkshim *ls = lu->ls;
	struct sockaddr_storage ss;
	struct io_client from;
	struct io_dst dst;
	socklen_t sslen;
	ssize_t n;
	size_t alen;
	int i;

	(void)fd;
	(void)what;
	for (i = 0; i < IO_UDP_BATCH; i++) {
		if ((n = listener_udp_recv(lu, &ss, &sslen, &dst)) == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_debug(
				    "%s: recv: %s", __func__, strerror(errno));
			break;
		}
		/* at most one clock read for the batch, when a query needs
		 * it (TTLs count in seconds; request_now_ms()) */
		ls->in_batch = true;
		memset(&from, 0, sizeof(from));
		from.udp = lu;
		from.sa = (const struct sockaddr *)&ss;
		from.salen = sslen;
		from.dst = lu->wildcard ? &dst : NULL;
		alen = request_handle(
		    ls, lu->buf, (size_t)n, &from, lu->out, sizeof(lu->out));
		if (alen > 0)
			listener_udp_send(
			    lu, from.sa, sslen, from.dst, lu->out, alen);
	}
	ls->in_batch = false;
	ls->now_ms = 0;
}

/* sendmsg from the address the client asked (wildcard listeners). */
static ssize_t
listener_udp_sendmsg(struct listener_udp *lu, const struct sockaddr *sa,
    socklen_t salen, const struct io_dst *dst, const uint8_t *buf, size_t len)
{
	union {
		struct cmsghdr hdr;
		uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct in_pktinfo pi;
	struct in6_pktinfo pi6;
	struct cmsghdr *cm;
	struct iovec iov;
	struct msghdr mh;

	memset(&mh, 0, sizeof(mh));
	memset(&cbuf, 0, sizeof(cbuf));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	mh.msg_name = (void *)(uintptr_t)sa;
	mh.msg_namelen = salen;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf.buf;
	cm = &cbuf.hdr;
	if (dst->family == AF_INET) {
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = dst->a.v4;
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	} else {
		memset(&pi6, 0, sizeof(pi6));
		pi6.ipi6_addr = dst->a.v6;
		pi6.ipi6_ifindex = dst->ifindex;
		mh.msg_controllen = CMSG_SPACE(sizeof(pi6));
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi6));
		memcpy(CMSG_DATA(cm), &pi6, sizeof(pi6));
	}
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
	int fd, on = 1;

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
