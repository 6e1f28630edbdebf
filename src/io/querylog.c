/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * querylog: the optional query log (conf query_log, or -vv; issue 6):
 * one line per answered query with the transport, the question name
 * (escaped), type and class, the client address, the rcode, where the
 * answer came from (local data, the cache, upstream, stale cache data)
 * and the time from the query's arrival to the answer in microseconds.
 * The request path calls in here only when the log is on, and takes the
 * start time only then: with the log off a query pays one test.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#include "linkshim/log.h"
#include "io/io.h"

uint64_t
querylog_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The question name in presentation format, unprintable bytes escaped. */
static void
querylog_name(const struct dns_question *q, char *name)
{
	size_t i = 0, o = 0, l;

	while (i < q->namelen && q->name[i] != 0) {
		l = q->name[i++];
		while (l-- > 0 && i < q->namelen) {
			if (q->name[i] > 0x20 && q->name[i] < 0x7f &&
			    q->name[i] != '.')
				name[o++] = (char)q->name[i];
			else
				o += (size_t)snprintf(
				    name + o, 5, "\\%03u", q->name[i]);
			i++;
		}
		name[o++] = '.';
	}
	if (o == 0)
		name[o++] = '.';
	name[o] = '\0';
}

static void
querylog_client(const struct sockaddr *sa, char *buf, size_t cap)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
	char a[INET6_ADDRSTRLEN];

	if (sa != NULL && sa->sa_family == AF_INET &&
	    inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a)) != NULL)
		snprintf(buf, cap, "%s#%u", a, ntohs(s4->sin_port));
	else if (sa != NULL && sa->sa_family == AF_INET6 &&
	    inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a)) != NULL)
		snprintf(buf, cap, "%s#%u", a, ntohs(s6->sin6_port));
	else
		strlcpy(buf, "-", cap);
}

static void
querylog_type(uint16_t t, char *buf, size_t cap)
{
	const ldns_rr_descriptor *d = ldns_rr_descript(t);

	if (d != NULL && d->_type == t && d->_name != NULL)
		strlcpy(buf, d->_name, cap);
	else
		snprintf(buf, cap, "TYPE%u", t);
}

void
querylog_line(const struct dns_msginfo *mi, bool tcp, const struct sockaddr *sa,
    const char *source, const uint8_t *out, uint64_t start_us)
{
	char name[DNS_NAME_MAX * 4 + 1], client[INET6_ADDRSTRLEN + 8];
	char type[16], class[16], rcode[16];
	unsigned rc = DNS_RCODE(dnswire_get16(out + 2));
	const ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rc);

	querylog_name(&mi->q, name);
	querylog_client(sa, client, sizeof(client));
	querylog_type(mi->q.qtype, type, sizeof(type));
	if (mi->q.qclass == LDNS_RR_CLASS_IN)
		strlcpy(class, "IN", sizeof(class));
	else if (mi->q.qclass == LDNS_RR_CLASS_CH)
		strlcpy(class, "CH", sizeof(class));
	else
		snprintf(class, sizeof(class), "CLASS%u", mi->q.qclass);
	if (lt != NULL && lt->name != NULL)
		strlcpy(rcode, lt->name, sizeof(rcode));
	else
		snprintf(rcode, sizeof(rcode), "RCODE%u", rc);
	log_info("query %s %s %s %s from %s: %s %s %lluus", tcp ? "tcp" : "udp",
	    name, type, class, client, rcode, source,
	    (unsigned long long)(querylog_now_us() - start_us));
}
