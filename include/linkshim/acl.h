/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * acl: who may query us (design.md §3 `allow`).  Pure: matches a client
 * address against the configured prefixes; IPv4-mapped IPv6 clients
 * (::ffff:a.b.c.d) are matched as IPv4 as well.
 */
#ifndef LINKSHIM_ACL_H
#define LINKSHIM_ACL_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>

#include "linkshim/conf.h"

/* True when sa (borrowed for the call) is inside one of the n prefixes
 * of allow.  An empty list allows nobody; an unknown family is refused. */
bool acl_allows(
    const struct conf_prefix *allow, size_t n, const struct sockaddr *sa);

/* True when addr/family is inside prefix p. */
bool acl_prefix_match(
    const struct conf_prefix *p, int family, const uint8_t *addr);

#endif
