/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * zonetab_build: turns links, zones and forward zones into the immutable
 * name table that zonetab.c looks names up in.  Order: configured zones
 * (apex with synthesized SOA/NS), then their record sets (with the empty
 * non-terminals up to the apex; a parent's records at or below a nested
 * zone's apex are ignored: the child answers), links (records of the zone they
 * fall in, or zones of their own), forward zones (ignored inside local zones: a
 * local name is never forwarded), then one pass that gives every node its
 * enclosing zone, longest forward zone and wildcard child.  Everything
 * lives in one arena freed at once by zonetab_free(); record values are
 * rendered to wire here (zonetab_render.c) so that answering needs none.
 */
#include <stdlib.h>
#include <string.h>

#include "core/zonetab_int.h"
#include "core/zonetab_render.h"
#include "linkshim/zonetab.h"

#define ZT_CHUNK 65536

struct zt_chunk {
	struct zt_chunk *next;
	size_t used, cap;
	_Alignas(16) uint8_t data[];
};

void *
zonetab_alloc(struct zonetab *zt, size_t size)
{
	struct zt_chunk *c = zt->arena;
	size_t need = (size + 15) & ~(size_t)15, cap;
	void *p;

	if (c == NULL || c->cap - c->used < need) {
		cap = need > ZT_CHUNK ? need : ZT_CHUNK;
		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			return NULL;
		c->cap = cap;
		c->used = 0;
		c->next = zt->arena;
		zt->arena = c;
	}
	p = c->data + c->used;
	c->used += need;
	memset(p, 0, size);
	return p;
}

void
zonetab_free(struct zonetab *zt)
{
	struct zt_chunk *c, *next;

	if (zt == NULL)
		return;
	for (c = zt->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(zt->slots);
	free(zt->nodes);
	free(zt);
}

static int
table_grow(struct zonetab *zt)
{
	struct zt_node **slots, *n;
	size_t ns = zt->nslots ? zt->nslots * 2 : 1024, i, j;

	if ((slots = calloc(ns, sizeof(*slots))) == NULL)
		return -1;
	for (i = 0; i < zt->nnodes; i++) {
		n = zt->nodes[i];
		j = (n->hash ^ (n->hash >> 15)) & (ns - 1);
		while (slots[j] != NULL)
			j = (j + 1) & (ns - 1);
		slots[j] = n;
	}
	free(zt->slots);
	zt->slots = slots;
	zt->nslots = ns;
	return 0;
}

/* The node for suffix i of name nm, created when missing. */
struct zt_node *
zonetab_node_get(struct zonetab *zt, const struct zt_name *nm, unsigned i)
{
	struct zt_node *n, **nodes;
	const uint8_t *name = nm->w + nm->offs[i];
	size_t len = nm->len - nm->offs[i], j, cap;
	uint8_t *copy;

	if ((n = zonetab_find(zt, name, len, nm->h[i])) != NULL)
		return n;
	if ((zt->nnodes + 1) * 2 > zt->nslots && table_grow(zt) == -1)
		return NULL;
	if (zt->nnodes == zt->nodecap) {
		cap = zt->nodecap ? zt->nodecap * 2 : 256;
		if ((nodes = reallocarray(zt->nodes, cap, sizeof(*nodes))) ==
		    NULL)
			return NULL;
		zt->nodes = nodes;
		zt->nodecap = cap;
	}
	if ((n = zonetab_alloc(zt, sizeof(*n) + len)) == NULL)
		return NULL;
	copy = (uint8_t *)(n + 1);
	memcpy(copy, name, len);
	n->name = copy;
	n->namelen = len;
	n->hash = nm->h[i];
	n->fwd = n->fwd_self = -1;
	n->src_zone = n->src_item = -1;
	zt->nodes[zt->nnodes++] = n;
	j = (n->hash ^ (n->hash >> 15)) & (zt->nslots - 1);
	while (zt->slots[j] != NULL)
		j = (j + 1) & (zt->nslots - 1);
	zt->slots[j] = n;
	return n;
}

/* Index of the suffix of nm that is the apex of a configured zone (the
 * closest), or -1. */
static int
configured_apex(const struct zonetab *zt, const struct zt_name *nm)
{
	const struct zt_node *n;
	unsigned i;

	for (i = 0; i <= nm->nl; i++) {
		n = zonetab_find(
		    zt, nm->w + nm->offs[i], nm->len - nm->offs[i], nm->h[i]);
		if (n != NULL && (n->flags & ZT_NODE_APEX) &&
		    n->own_zone->configured)
			return (int)i;
	}
	return -1;
}

/* The label index at which suffix sfx starts in nm, or -1. */
static int
suffix_index(const struct zt_name *nm, const struct zt_name *sfx)
{
	unsigned i;

	for (i = 0; i <= nm->nl; i++)
		if (nm->len - nm->offs[i] == sfx->len)
			return memcmp(nm->w + nm->offs[i], sfx->w, sfx->len) ==
			        0
			    ? (int)i
			    : -1;
	return -1;
}

/* Create nm's node and every empty non-terminal up to suffix apex. */
static struct zt_node *
node_with_path(struct zonetab *zt, const struct zt_name *nm, unsigned apex)
{
	unsigned i;

	for (i = 1; i < apex; i++)
		if (zonetab_node_get(zt, nm, i) == NULL)
			return NULL;
	return zonetab_node_get(zt, nm, 0);
}

/* The apex of configured zone z (its SOA/NS synthesized). */
static int
build_apex(struct zonetab *zt, const struct conf_zone *z, struct errbuf *err)
{
	struct zt_name nm;
	struct zt_node *apex;

	if (zonetab_name(z->name, &nm) == -1)
		return errbuf_set(err, "zone %s: bad name", z->name);
	if ((apex = zonetab_node_get(zt, &nm, 0)) == NULL)
		return errbuf_set(err, "out of memory");
	if (apex->flags & ZT_NODE_APEX)
		return errbuf_set(err, "zone %s: defined twice", z->name);
	if (zonetab_make_zone(zt, apex, z->ttl, z->soa_minimum, true) == -1)
		return errbuf_set(err, "out of memory");
	zt->nzones++;
	return 0;
}

/*
 * Record set rs of zone z (every apex exists).  A record at or below the
 * apex of a zone nested in z (sub.z configured too) is occluded and
 * ignored: the longest zone answers its names, as Route 53 does with a
 * separate hosted zone for the child.  *occluded says so.
 */
static int
build_rrset(struct zonetab *zt, const struct conf_zone *z,
    const struct conf_rrset *rs, struct zt_node **np, bool *occluded,
    struct errbuf *err)
{
	struct zt_name nm, zn;
	struct zt_node *n;
	int a, k;

	*occluded = false;
	if (zonetab_name(rs->name, &nm) == -1)
		return errbuf_set(
		    err, "zone %s: record %s: bad name", z->name, rs->name);
	if (zonetab_name(z->name, &zn) == -1 ||
	    (k = suffix_index(&nm, &zn)) < 0 ||
	    (a = configured_apex(zt, &nm)) < 0)
		return errbuf_set(err,
		    "zone %s: record %s: not inside the zone", z->name,
		    rs->name);
	if (a < k) {
		*occluded = true; /* at or below a nested zone's apex */
		return 0;
	}
	if ((n = node_with_path(zt, &nm, (unsigned)a)) == NULL)
		return errbuf_set(err, "out of memory");
	if (zonetab_add_conf_rrset(zt, n, rs, z->name, err) == -1) {
		errbuf_prefix(err, z->name);
		return -1;
	}
	*np = n;
	return 0;
}

static const char *
link_target(const struct conf_link *l, const char *az)
{
	size_t i;

	if (az != NULL && az[0] != '\0')
		for (i = 0; i < l->nzonal; i++)
			if (strcmp(l->zonal[i].az, az) == 0)
				return l->zonal[i].target;
	return l->target;
}

static int
build_link(struct zonetab *zt, const struct conf_link *l, const char *az,
    struct zt_node **np, struct errbuf *err)
{
	struct zt_name nm;
	struct zt_node *n;
	int a;
	bool wild;

	if (zonetab_name(l->name, &nm) == -1)
		return errbuf_set(err, "link %s: bad name", l->name);
	wild = nm.nl > 0 && nm.w[0] == 1 && nm.w[1] == '*';
	a = configured_apex(zt, &nm);
	if (a >= 0)
		n = node_with_path(zt, &nm, (unsigned)a);
	else if (wild) /* the parent carries the wildcard pointer */
		n = zonetab_node_get(zt, &nm, 1) ? zonetab_node_get(zt, &nm, 0)
		                                 : NULL;
	else
		n = zonetab_node_get(zt, &nm, 0);
	if (n == NULL)
		return errbuf_set(err, "out of memory");
	if (n->flags & ZT_NODE_DATA)
		return errbuf_set(
		    err, "link %s: name already defined", l->name);
	if (a < 0 && l->mode != LINK_MODE_CNAME) {
		/* design.md §2: an alias/static link outside every zone is
		 * the apex of a zone of its own (for a wildcard: each name
		 * it matches). */
		if (n->flags & ZT_NODE_APEX)
			return errbuf_set(
			    err, "link %s: name already defined", l->name);
		if (zonetab_make_zone(zt, n, l->ttl, l->ttl, false) == -1)
			return errbuf_set(err, "out of memory");
		n->own_zone->apex_is_qname = wild;
	}
	if (zonetab_add_link(zt, n, l, link_target(l, az), err) == -1)
		return -1;
	zt->nlinks++;
	*np = n;
	return 0;
}

static int
build_forward(struct zonetab *zt, const struct conf_forward *f, int idx,
    struct errbuf *err)
{
	struct zt_name nm;
	const struct zt_node *x;
	struct zt_node *n;
	unsigned i;

	if (zonetab_name(f->zone, &nm) == -1)
		return errbuf_set(err, "forward %s: bad name", f->zone);
	for (i = 0; i <= nm.nl; i++) {
		x = zonetab_find(
		    zt, nm.w + nm.offs[i], nm.len - nm.offs[i], nm.h[i]);
		/* A local name is never forwarded: skip, do not fail. */
		if (x != NULL && (x->flags & ZT_NODE_APEX) &&
		    (i == 0 || !x->own_zone->apex_is_qname))
			return 0;
	}
	if ((n = zonetab_node_get(zt, &nm, 0)) == NULL)
		return errbuf_set(err, "out of memory");
	if (n->flags & ZT_NODE_FWD)
		return errbuf_set(err, "forward %s: defined twice", f->zone);
	n->flags |= ZT_NODE_FWD;
	n->fwd_self = idx;
	return 0;
}

/* The node of n's CNAME target when it is in the same configured zone. */
static void
link_cname_target(const struct zonetab *zt, struct zt_node *n)
{
	const struct zt_rrset *rs = zonetab_node_rrset(n, ZT_TYPE_CNAME);
	struct zt_name nm;
	const struct zt_node *t;
	uint8_t w[DNS_NAME_MAX];
	size_t rdlen;

	if (rs == NULL || rs->type != ZT_TYPE_CNAME || n->chase != NULL ||
	    n->zone == NULL || !n->zone->configured || rs->len < 13)
		return;
	/* rdata of the one RR: [C0 0C][type class ttl rdlen] name */
	rdlen = dnswire_get16(rs->wire + 10);
	if (rdlen > DNS_NAME_MAX || rs->len < 12 + rdlen)
		return;
	memcpy(w, rs->wire + 12, rdlen);
	dnswire_name_lower(w, rdlen);
	zonetab_name_wire(w, rdlen, &nm);
	t = zonetab_find(zt, nm.w, nm.len, nm.h[0]);
	if (t != NULL && t != n && t->zone == n->zone)
		n->cname_target = t;
}

/* Zone, forward zone and wildcard child of node n (all nodes exist). */
static int
finish_node(struct zonetab *zt, struct zt_node *n, struct errbuf *err)
{
	struct zt_name nm;
	struct zt_node *x, *parent;
	unsigned i;

	zonetab_name_wire(n->name, n->namelen, &nm);
	for (i = 0; i <= nm.nl; i++) {
		x = zonetab_find(
		    zt, nm.w + nm.offs[i], nm.len - nm.offs[i], nm.h[i]);
		if (x == NULL)
			continue;
		if (n->zone == NULL && (x->flags & ZT_NODE_APEX) &&
		    (i == 0 || !x->own_zone->apex_is_qname))
			n->zone = x->own_zone;
		if (n->fwd < 0 && (x->flags & ZT_NODE_FWD))
			n->fwd = x->fwd_self;
	}
	if (nm.nl > 0 && nm.w[0] == 1 && nm.w[1] == '*') {
		if ((parent = zonetab_node_get(zt, &nm, 1)) == NULL)
			return errbuf_set(err, "out of memory");
		parent->wild = n;
	}
	return zonetab_check_node(n, err);
}

/* Zones (every apex first, so that a nested zone is known before its
 * parent's records), their records, then links; *where names the input
 * an error is about. */
static int
build_local(struct zonetab *zt, const struct conf_link *links, size_t nlinks,
    const struct conf_zone *zones, size_t nzones, const char *az,
    struct zt_where *where, struct errbuf *err)
{
	struct zt_node *n;
	size_t i, j;
	bool occluded;

	for (i = 0; i < nzones; i++) {
		where->zone = (int)i;
		if (build_apex(zt, &zones[i], err) == -1)
			return -1;
	}
	for (i = 0; i < nzones; i++)
		for (j = 0; j < zones[i].nrrsets; j++) {
			where->zone = (int)i;
			where->rrset = (int)j;
			if (build_rrset(zt, &zones[i], &zones[i].rrsets[j], &n,
			        &occluded, err) == -1)
				return -1;
			if (!occluded) {
				n->src_zone = (int)i;
				n->src_item = (int)j;
			}
		}
	where->zone = where->rrset = -1;
	for (i = 0; i < nlinks; i++) {
		where->link = (int)i;
		if (build_link(zt, &links[i], az, &n, err) == -1)
			return -1;
		n->src_zone = -1;
		n->src_item = (int)i;
	}
	where->link = -1;
	return 0;
}

int
zonetab_build_at(const struct conf_link *links, size_t nlinks,
    const struct conf_zone *zones, size_t nzones,
    const struct conf_forward *forward, size_t nforward, const char *az,
    struct zonetab **out, struct errbuf *err, struct zt_where *where)
{
	struct zonetab *zt;
	struct zt_node *n;
	size_t i;

	where->zone = where->rrset = where->link = -1;
	if ((zt = calloc(1, sizeof(*zt))) == NULL)
		return errbuf_set(err, "out of memory");
	if (table_grow(zt) == -1) {
		errbuf_set(err, "out of memory");
		goto fail;
	}
	if (build_local(zt, links, nlinks, zones, nzones, az, where, err) == -1)
		goto fail;
	for (i = 0; i < nforward; i++)
		if (build_forward(zt, &forward[i], (int)i, err) == -1)
			goto fail;
	/* finish_node() may add wildcard parents: they are appended and
	 * finished too, as nnodes is re-read. */
	for (i = 0; i < zt->nnodes; i++) {
		n = zt->nodes[i];
		if (finish_node(zt, n, err) == -1) {
			/* the input that last gave the node data */
			where->zone = n->src_zone;
			where->rrset = n->src_zone >= 0 ? n->src_item : -1;
			where->link = n->src_zone < 0 ? n->src_item : -1;
			goto fail;
		}
	}
	for (i = 0; i < zt->nnodes; i++)
		link_cname_target(zt, zt->nodes[i]);
	do /* 64 random bits: two snapshots never share one */
		arc4random_buf(&zt->gen, sizeof(zt->gen));
	while (zt->gen == 0);
	*out = zt;
	return 0;
fail:
	zonetab_free(zt);
	return -1;
}

int
zonetab_build(const struct conf_link *links, size_t nlinks,
    const struct conf_zone *zones, size_t nzones,
    const struct conf_forward *forward, size_t nforward, const char *az,
    struct zonetab **out, struct errbuf *err)
{
	struct zt_where where;

	return zonetab_build_at(links, nlinks, zones, nzones, forward, nforward,
	    az, out, err, &where);
}
