/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * acl: matching client addresses against the `allow` prefixes.  A linear
 * scan: the list is a handful of prefixes in practice, and the check runs
 * before anything else touches the query.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include <string.h>

#include "linkshim/acl.h"

bool
acl_prefix_match(const struct conf_prefix *p, int family, const uint8_t *addr)
{
	unsigned full, rest, max;
	uint8_t mask;

	if (p->family != family)
		return false;
	max = family == AF_INET ? 32 : 128;
	if (p->bits > max)
		return false;
	full = p->bits / 8;
	rest = p->bits % 8;
	if (memcmp(p->addr, addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return (p->addr[full] & mask) == (addr[full] & mask);
}

static bool
acl_match_any(
    const struct conf_prefix *allow, size_t n, int family, const uint8_t *addr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (acl_prefix_match(&allow[i], family, addr))
			return true;
	return false;
}

bool
acl_allows(const struct conf_prefix *allow, size_t n, const struct sockaddr *sa)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;
	const uint8_t *a;

	if (sa == NULL)
		return false;
	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)sa;
		return acl_match_any(
		    allow, n, AF_INET, (const uint8_t *)&sin->sin_addr);
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)sa;
		a = (const uint8_t *)&sin6->sin6_addr;
		if (acl_match_any(allow, n, AF_INET6, a))
			return true;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			return acl_match_any(allow, n, AF_INET, a + 12);
		return false;
	default:
		return false;
	}
}
