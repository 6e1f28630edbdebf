/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * sockpool: what a new upstream socket per query costs, against reusing
 * a pool of connected sockets (issue 3, "Upstream path"; the design note
 * is in docs/perf-notes.md).  One process, loopback only: a UDP "server"
 * socket on 127.0.0.1 reflects each datagram synchronously, and the
 * client side does N round trips either
 *   fresh   socket, connect (kernel-chosen ephemeral port), epoll_ctl ADD,
 *           send, recv, epoll_ctl DEL, close: what upstream_io.c does
 *           today through libevent, per try;
 *   pool    send and recv on one of P connected sockets (round robin),
 *           each registered with epoll once.
 * Prints CPU time (user + system, getrusage) per round trip, which a busy
 * machine disturbs far less than wall time.  The server half is the same
 * in both modes, so the difference is the socket life cycle.  Not a test.
 *
 *   cc -O2 -o build/bench/sockpool tests/bench/sockpool.c
 *   unshare -n sh -c 'ip link set lo up; build/bench/sockpool 20000 64'
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Noreturn void
sp_fail(const char *what)
{
	perror(what);
	exit(1);
}

static double
sp_cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static int
sp_client(const struct sockaddr_in *srv)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd == -1)
		sp_fail("socket");
	if (connect(fd, (const struct sockaddr *)srv, sizeof(*srv)) == -1)
		sp_fail("connect");
	return fd;
}

/* One round trip on fd: query out, the server reflects it, reply in. */
static void
sp_round_trip(int fd, int sfd, const unsigned char *q, size_t qlen)
{
	unsigned char buf[512];
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	ssize_t n;

	if (send(fd, q, qlen, 0) != (ssize_t)qlen)
		sp_fail("send");
	n = recvfrom(sfd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	if (n <= 0 ||
	    sendto(sfd, buf, (size_t)n, 0, (struct sockaddr *)&from, flen) != n)
		sp_fail("server");
	if (recv(fd, buf, sizeof(buf), 0) != n)
		sp_fail("recv");
}

int
main(int argc, char **argv)
{
	static const unsigned char q[] =
	    "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x01"
	    "\x02h7\x07"
	    "example\x04test\x00\x00\x01\x00\x01"
	    "\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00";
	struct sockaddr_in srv;
	struct epoll_event ev;
	socklen_t slen = sizeof(srv);
	unsigned long i, n = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
	size_t p, npool = argc > 2 ? strtoul(argv[2], NULL, 10) : 64;
	int sfd, ep, fd, *pool;
	double t0, fresh, pooled;

	if (npool == 0 || (pool = calloc(npool, sizeof(*pool))) == NULL)
		return 2;
	memset(&srv, 0, sizeof(srv));
	srv.sin_family = AF_INET;
	srv.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((sfd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(sfd, (struct sockaddr *)&srv, sizeof(srv)) == -1 ||
	    getsockname(sfd, (struct sockaddr *)&srv, &slen) == -1)
		sp_fail("server socket");
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		sp_fail("epoll_create1");
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;

	t0 = sp_cpu_us();
	for (i = 0; i < n; i++) {
		fd = sp_client(&srv);
		ev.data.fd = fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1)
			sp_fail("epoll_ctl");
		sp_round_trip(fd, sfd, q, sizeof(q) - 1);
		epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
		close(fd);
	}
	fresh = (sp_cpu_us() - t0) / (double)n;

	for (p = 0; p < npool; p++) {
		pool[p] = sp_client(&srv);
		ev.data.fd = pool[p];
		if (epoll_ctl(ep, EPOLL_CTL_ADD, pool[p], &ev) == -1)
			sp_fail("epoll_ctl");
	}
	t0 = sp_cpu_us();
	for (i = 0; i < n; i++)
		sp_round_trip(pool[i % npool], sfd, q, sizeof(q) - 1);
	pooled = (sp_cpu_us() - t0) / (double)n;

	printf("round trips %lu: fresh socket %.2f us CPU each, pool of %zu "
	       "%.2f us (difference %.2f us)\n",
	    n, fresh, npool, pooled, fresh - pooled);
	for (p = 0; p < npool; p++)
		close(pool[p]);
	free(pool);
	close(ep);
	close(sfd);
	return 0;
}
