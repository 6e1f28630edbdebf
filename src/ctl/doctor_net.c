/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * doctor_net: the network probes behind "linkshimctl doctor": one DNS
 * question to a given server over UDP (ldns for the wire format, with a
 * random ID and a bounded wait), the system resolver (getaddrinfo), and
 * a TCP connect with a deadline that tells "accepted", "refused" and
 * "no answer" apart (the last one is what a security group or NACL
 * that drops SYNs looks like).
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "ctl/doctor.h"

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int
doctor_parse_server(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	const char *port = "53", *p;
	struct addrinfo hints, *res = NULL;
	size_t l;

	if (s[0] == '[') {
		if ((p = strchr(s, ']')) == NULL)
			return -1;
		l = (size_t)(p - s - 1);
		if (p[1] == ':')
			port = p + 2;
		s++;
	} else if ((p = strchr(s, ':')) != NULL && strchr(p + 1, ':') == NULL) {
		l = (size_t)(p - s);
		port = p + 1;
	} else
		l = strlen(s);
	if (l == 0 || l >= sizeof(host))
		return -1;
	memcpy(host, s, l);
	host[l] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* Collect the A/AAAA of the answer section into addrs. */
static void
collect(ldns_pkt *p, ldns_rr_type t, struct doctor_addrs *addrs)
{
	ldns_rr_list *an = ldns_pkt_answer(p);
	ldns_rr *rr;
	ldns_rdf *rd;
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(an); i++) {
		rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) != t || addrs->n == DOCTOR_MAX_ADDRS)
			continue;
		rd = ldns_rr_rdf(rr, 0);
		if (rd == NULL)
			continue;
		inet_ntop(t == LDNS_RR_TYPE_A ? AF_INET : AF_INET6,
		    ldns_rdf_data(rd), addrs->a[addrs->n], sizeof(addrs->a[0]));
		addrs->n++;
	}
}

/* Send one query and wait for the matching reply (same ID). */
static int
udp_ask(int fd, const uint8_t *wire, size_t wlen, uint16_t id, long deadline,
    ldns_pkt **out)
{
	uint8_t buf[4096];
	struct pollfd pfd = {fd, POLLIN, 0};
	ssize_t n;
	ldns_pkt *p;
	long left;

	if (send(fd, wire, wlen, 0) != (ssize_t)wlen)
		return -1;
	while ((left = deadline - now_ms()) > 0) {
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if ((n = recv(fd, buf, sizeof(buf), 0)) < 12)
			return n < 0 ? -1 : 0;
		if (ldns_wire2pkt(&p, buf, (size_t)n) != LDNS_STATUS_OK)
			continue;
		if (ldns_pkt_id(p) == id && ldns_pkt_qr(p)) {
			*out = p;
			return 1;
		}
		ldns_pkt_free(p);
	}
	return 0;
}

int
doctor_dns_query(const struct sockaddr_storage *ss, socklen_t sslen,
    const char *name, int type, long timeout_ms, struct doctor_addrs *addrs,
    int *rcode)
{
	ldns_rdf *qn = ldns_dname_new_frm_str(name);
	ldns_pkt *q = NULL, *r = NULL;
	uint8_t *wire = NULL;
	size_t wlen = 0;
	uint16_t id;
	int fd = -1, rc = -1;

	*rcode = -1;
	if (qn == NULL)
		return -1;
	q = ldns_pkt_query_new(
	    qn, (ldns_rr_type)type, LDNS_RR_CLASS_IN, LDNS_RD);
	if (q == NULL) {
		ldns_rdf_deep_free(qn);
		return -1;
	}
	id = (uint16_t)arc4random_uniform(65536);
	ldns_pkt_set_id(q, id);
	if (ldns_pkt2wire(&wire, q, &wlen) != LDNS_STATUS_OK)
		goto done;
	if ((fd = socket(ss->ss_family, SOCK_DGRAM, 0)) == -1 ||
	    connect(fd, (const struct sockaddr *)ss, sslen) == -1)
		goto done;
	switch (udp_ask(fd, wire, wlen, id, now_ms() + timeout_ms, &r)) {
	case 1:
		*rcode = ldns_pkt_get_rcode(r);
		collect(r, (ldns_rr_type)type, addrs);
		rc = 0;
		break;
	case 0:
		rc = 1; /* no answer in time */
		break;
	default:
		break;
	}
done:
	if (fd != -1)
		close(fd);
	free(wire);
	ldns_pkt_free(q);
	ldns_pkt_free(r);
	return rc;
}

int
doctor_system_resolve(
    const char *name, struct doctor_addrs *addrs, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char a[INET6_ADDRSTRLEN];
	size_t i;
	int e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(name, NULL, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s", gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL && addrs->n < DOCTOR_MAX_ADDRS;
	     ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			inet_ntop(AF_INET,
			    &((struct sockaddr_in *)ai->ai_addr)->sin_addr, a,
			    sizeof(a));
		else if (ai->ai_family == AF_INET6)
			inet_ntop(AF_INET6,
			    &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, a,
			    sizeof(a));
		else
			continue;
		for (i = 0; i < addrs->n; i++)
			if (strcmp(addrs->a[i], a) == 0)
				break;
		if (i == addrs->n)
			strlcpy(addrs->a[addrs->n++], a, sizeof(addrs->a[0]));
	}
	freeaddrinfo(res);
	return 0;
}

enum doctor_tcp
doctor_tcp_connect(
    const char *addr, unsigned port, long timeout_ms, int *err_out)
{
	struct sockaddr_storage ss;
	struct pollfd pfd;
	socklen_t len, elen = sizeof(int);
	char ps[80];
	int fd, r, soerr = 0;

	*err_out = 0;
	snprintf(ps, sizeof(ps), "[%s]:%u", addr, port);
	if (doctor_parse_server(strchr(addr, ':') ? ps : addr, &ss, &len) == -1)
		return DOCTOR_TCP_ERROR;
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return DOCTOR_TCP_ERROR;
	r = connect(fd, (struct sockaddr *)&ss, len);
	if (r == -1 && errno != EINPROGRESS) {
		soerr = errno;
		goto verdict;
	}
	if (r == 0)
		goto verdict;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if ((r = poll(&pfd, 1, (int)timeout_ms)) == 0) {
		close(fd);
		return DOCTOR_TCP_TIMEOUT;
	}
	if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &elen) == -1)
		soerr = errno;
verdict:
	close(fd);
	*err_out = soerr;
	if (soerr == 0)
		return DOCTOR_TCP_OK;
	if (soerr == ECONNREFUSED)
		return DOCTOR_TCP_REFUSED;
	if (soerr == ETIMEDOUT)
		return DOCTOR_TCP_TIMEOUT;
	if (soerr == EHOSTUNREACH || soerr == ENETUNREACH)
		return DOCTOR_TCP_UNREACHABLE;
	return DOCTOR_TCP_ERROR;
}
