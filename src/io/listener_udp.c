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
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "linkshim/log.h"
#include "io/io.h"

static void
listener_udp_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct listener_udp *lu = arg;
	struct linkshim *ls = lu->ls;
	struct sockaddr_storage ss;
	struct io_client from;
	socklen_t sslen;
	ssize_t n;
	size_t alen;
	int i;

	(void)what;
	for (i = 0; i < IO_UDP_BATCH; i++) {
		sslen = sizeof(ss);
		n = recvfrom(fd, lu->buf, sizeof(lu->buf), 0,
		    (struct sockaddr *)&ss, &sslen);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_debug("%s: recvfrom: %s", __func__,
				    strerror(errno));
			return;
		}
		memset(&from, 0, sizeof(from));
		from.udp = lu;
		from.sa = (const struct sockaddr *)&ss;
		from.salen = sslen;
		alen = request_handle(
		    ls, lu->buf, (size_t)n, &from, lu->out, sizeof(lu->out));
		if (alen > 0)
			listener_udp_send(lu, from.sa, sslen, lu->out, alen);
	}
}

void
listener_udp_send(struct listener_udp *lu, const struct sockaddr *sa,
    socklen_t salen, const uint8_t *buf, size_t len)
{
	if (sendto(lu->fd, buf, len, 0, sa, salen) == -1)
		log_debug("%s: sendto: %s", __func__, strerror(errno));
}

static int
listener_udp_bind(const struct conf_addr *addr, struct errbuf *err)
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
	if ((lu->fd = listener_udp_bind(addr, err)) == -1) {
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
