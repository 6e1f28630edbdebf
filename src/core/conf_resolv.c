/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf_resolv: default upstreams from resolv.conf when the config names
 * none (what users of dnsmasq and unwind expect).  A "nameserver
 * 127.0.0.53" line is systemd-resolved's stub, which only forwards to the
 * servers listed in /run/systemd/resolve/resolv.conf, so that file is read
 * instead.  An address we listen on ourselves is dropped: forwarding to
 * ourselves is a loop.  No usable server left is an error.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf_internal.h"

#define RESOLV_STUB "127.0.0.53"

/* Would a query sent to a (port 53) reach one of our own listeners? */
static bool
resolv_is_ours(const struct conf *c, const struct conf_addr *a)
{
	const struct sockaddr_in *l4, *a4 = (const void *)&a->ss;
	const struct sockaddr_in6 *l6, *a6 = (const void *)&a->ss;
	size_t i;

	for (i = 0; i < c->nlisten; i++) {
		if (conf_addr_equal(&c->listen[i], a))
			return true;
		if (c->listen[i].ss.ss_family != a->ss.ss_family)
			continue;
		/* a wildcard listener on port 53 answers on loopback too */
		if (a->ss.ss_family == AF_INET) {
			l4 = (const void *)&c->listen[i].ss;
			if (l4->sin_port == a4->sin_port &&
			    l4->sin_addr.s_addr == htonl(INADDR_ANY) &&
			    (ntohl(a4->sin_addr.s_addr) >> 24) == 127)
				return true;
		} else {
			l6 = (const void *)&c->listen[i].ss;
			if (l6->sin6_port == a6->sin6_port &&
			    IN6_IS_ADDR_UNSPECIFIED(&l6->sin6_addr) &&
			    IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr))
				return true;
		}
	}
	return false;
}

/* The nameserver addresses of one file, in order; *stub set when the
 * systemd-resolved stub is among them. */
static int
resolv_read(const char *path, struct conf_addr *out, size_t *n, bool *stub,
    struct errbuf *err)
{
	char line[512], buf[INET6_ADDRSTRLEN + 2], *p, *tok, *save;
	struct conf_addr a;
	struct conf_ip ip;
	FILE *fp;

	*n = 0;
	*stub = false;
	if ((fp = fopen(path, "re")) == NULL)
		return errbuf_set(err,
		    "%s: %s, expected a resolv.conf with "
		    "nameserver lines or upstreams: in the config",
		    path, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if ((tok = strtok_r(p, " \t\r\n", &save)) == NULL ||
		    strcmp(tok, "nameserver") != 0)
			continue;
		if ((tok = strtok_r(NULL, " \t\r\n", &save)) == NULL)
			continue;
		if (strcmp(tok, RESOLV_STUB) == 0) {
			*stub = true;
			continue;
		}
		/* a bare address, never address:port; an IPv6 scope
		 * (fe80::1%eth0) is not supported and is skipped */
		if (conf_parse_ip(tok, &ip) == -1)
			continue;
		snprintf(buf, sizeof(buf),
		    ip.family == AF_INET6 ? "[%s]" : "%s", tok);
		if (conf_parse_addr(buf, 53, &a) == -1)
			continue;
		if (*n < CONF_MAX_NAMESERVERS)
			out[(*n)++] = a;
	}
	fclose(fp);
	return 0;
}

int
conf_resolve_upstreams_from(struct conf *conf, const char *resolv,
    const char *systemd_resolv, struct errbuf *err)
{
	struct conf_addr found[CONF_MAX_NAMESERVERS], *keep;
	const char *path = resolv;
	size_t n, i, k = 0;
	bool stub;

	if (conf->nupstreams > 0)
		return 0;
	if (resolv_read(resolv, found, &n, &stub, err) == -1)
		return -1;
	if (stub) {
		/* systemd-resolved: its own upstreams are in this file */
		path = systemd_resolv;
		if (resolv_read(systemd_resolv, found, &n, &stub, err) == -1)
			return -1;
	}
	if ((keep = calloc(n ? n : 1, sizeof(*keep))) == NULL)
		return errbuf_set(err, "%s: out of memory", path);
	for (i = 0; i < n; i++)
		if (!resolv_is_ours(conf, &found[i]))
			keep[k++] = found[i];
	if (k == 0) {
		free(keep);
		return errbuf_set(err,
		    "%s: no usable nameserver (%zu found, "
		    "none that is not our own listen address or the "
		    "systemd-resolved stub), expected a nameserver line or "
		    "upstreams: in the config",
		    path, n);
	}
	free(conf->upstreams);
	conf->upstreams = keep;
	conf->nupstreams = k;
	return 0;
}

int
conf_resolve_upstreams(struct conf *conf, struct errbuf *err)
{
	return conf_resolve_upstreams_from(
	    conf, conf->resolv_conf, CONF_SYSTEMD_RESOLV, err);
}
