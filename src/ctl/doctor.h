/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * doctor.h: the network probes doctor uses (doctor_net.c).  They take
 * their deadlines as arguments and never block longer.
 */
#ifndef LINKSHIM_CTL_DOCTOR_H
#define LINKSHIM_CTL_DOCTOR_H

#include <sys/socket.h>

#include <stddef.h>

#define DOCTOR_MAX_ADDRS 16

struct doctor_addrs {
	char a[DOCTOR_MAX_ADDRS][46]; /* presentation form */
	size_t n;
};

enum doctor_tcp {
	DOCTOR_TCP_OK = 0,
	DOCTOR_TCP_REFUSED,     /* RST: host reachable, nothing listening */
	DOCTOR_TCP_TIMEOUT,     /* no answer: SYN dropped on the way */
	DOCTOR_TCP_UNREACHABLE, /* no route / ICMP unreachable */
	DOCTOR_TCP_ERROR,
};

/* "1.2.3.4", "1.2.3.4:5353", "[::1]:53", "::1" (port 53 by default). */
int doctor_parse_server(
    const char *s, struct sockaddr_storage *ss, socklen_t *len);
/* One UDP question (type LDNS_RR_TYPE_A/AAAA) to ss; appends the answer's
 * addresses.  0 answered (*rcode set), 1 no answer in timeout_ms, -1
 * local error. */
int doctor_dns_query(const struct sockaddr_storage *ss, socklen_t sslen,
    const char *name, int type, long timeout_ms, struct doctor_addrs *addrs,
    int *rcode);
/* getaddrinfo(name); 0 with addrs appended, -1 with err filled. */
int doctor_system_resolve(
    const char *name, struct doctor_addrs *addrs, char *err, size_t errlen);
/* Connect to addr:port within timeout_ms; *err_out gets the errno. */
enum doctor_tcp doctor_tcp_connect(
    const char *addr, unsigned port, long timeout_ms, int *err_out);

#endif
