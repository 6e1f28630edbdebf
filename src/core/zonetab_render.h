/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * zonetab_render: the builder's helpers (zonetab_build.c and
 * zonetab_render.c): names from presentation to wire, the arena, node
 * creation, and rendering of record sets, links and synthesized SOA/NS
 * to answer wire.  Internal to src/core.
 */
#ifndef LINKSHIM_ZONETAB_RENDER_H
#define LINKSHIM_ZONETAB_RENDER_H

#include "core/zonetab_int.h"
#include "linkshim/errbuf.h"

/* A lower-case wire name with its label offsets and suffix hashes. */
struct zt_name {
	uint8_t w[DNS_NAME_MAX];
	size_t len;
	unsigned nl;       /* labels (root = 0) */
	uint8_t offs[130]; /* label offsets, then the root's */
	uint32_t h[130];   /* suffix hashes, h[nl] = root */
};

/* Presentation ("a.b.", "\065.b", "." ) to *nm; 0 or -1 (bad name). */
int zonetab_name(const char *str, struct zt_name *nm);
/* Wire (already lower-case) to *nm. */
void zonetab_name_wire(const uint8_t *w, size_t len, struct zt_name *nm);

/* Zeroed arena memory, freed by zonetab_free(); NULL when out of memory. */
void *zonetab_alloc(struct zonetab *zt, size_t size);
/* The node of suffix i of nm (0 = nm itself), created when missing;
 * NULL when out of memory. */
struct zt_node *zonetab_node_get(
    struct zonetab *zt, const struct zt_name *nm, unsigned i);

/* Make n an apex: its zone and synthesized SOA and NS. 0 or -1 (OOM). */
int zonetab_make_zone(struct zonetab *zt, struct zt_node *n, uint32_t ttl,
    uint32_t minimum, bool configured);
/* A zone record set at n (values rendered with ldns, relative names
 * completed with zone, or a Route 53 alias).  0, or -1 with err filled. */
int zonetab_add_conf_rrset(struct zonetab *zt, struct zt_node *n,
    const struct conf_rrset *rs, const char *zone, struct errbuf *err);
/* Link l at n with the chosen target (regional or zonal). */
int zonetab_add_link(struct zonetab *zt, struct zt_node *n,
    const struct conf_link *l, const char *target, struct errbuf *err);
/* Final consistency checks of a node (CNAME and other data). */
int zonetab_check_node(const struct zt_node *n, struct errbuf *err);

#endif
