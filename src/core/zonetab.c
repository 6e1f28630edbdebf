/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * zonetab: lookup in the immutable name table (the rules are in
 * zonetab.h).  Every name the snapshot knows (zone apexes, record owners,
 * the empty non-terminals between them, links, forward zones, parents of
 * wildcards) is a node in one open-addressing hash table keyed by its
 * lower-case wire name.  A lookup hashes every suffix of the question
 * name in one right-to-left pass and probes from the longest suffix
 * down: the first hit is the closest encloser (RFC 4592 §3.3.1), and the
 * zone, forward zone and wildcard child it carries were precomputed at
 * build time.  Cost: O(name length) plus one probe per label, no
 * allocation.  The builder is in zonetab_build.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/zonetab_int.h"
#include "linkshim/zonetab.h"

#define ZT_FNV_BASIS 2166136261u
#define ZT_FNV_PRIME 16777619u

unsigned
zonetab_label_offsets(const uint8_t *name, size_t namelen, uint8_t *offs)
{
	size_t i = 0;
	unsigned n = 0;

	while (i < namelen && name[i] != 0 && n < 128) {
		offs[n++] = (uint8_t)i;
		i += (size_t)name[i] + 1;
	}
	offs[n] = (uint8_t)(i < namelen ? i : namelen - 1);
	return n;
}

void
zonetab_suffix_hashes(
    const uint8_t *name, const uint8_t *offs, unsigned nlabels, uint32_t *h)
{
	uint32_t x = ZT_FNV_BASIS;
	unsigned i;
	size_t j;

	h[nlabels] = x;
	for (i = nlabels; i-- > 0;) {
		for (j = offs[i]; j < offs[i + 1]; j++)
			x = (x ^ name[j]) * ZT_FNV_PRIME;
		h[i] = x;
	}
}

struct zt_node *
zonetab_find(
    const struct zonetab *zt, const uint8_t *name, size_t len, uint32_t hash)
{
	size_t mask = zt->nslots - 1, i;
	struct zt_node *n;

	if (zt->nslots == 0)
		return NULL;
	i = (hash ^ (hash >> 15)) & mask;
	while ((n = zt->slots[i]) != NULL) {
		if (n->hash == hash && n->namelen == len &&
		    memcmp(n->name, name, len) == 0)
			return n;
		i = (i + 1) & mask;
	}
	return NULL;
}

const struct zt_rrset *
zonetab_node_rrset(const struct zt_node *n, uint16_t qtype)
{
	const struct zt_rrset *any = NULL;
	size_t i;

	for (i = 0; i < n->nrrsets; i++)
		if (n->rrsets[i].type == ZT_TYPE_CNAME)
			return &n->rrsets[i]; /* RFC 1034 §3.6.2 */
	for (i = 0; i < n->nrrsets; i++) {
		if (n->rrsets[i].type == qtype)
			return &n->rrsets[i];
		/* RFC 8482 §4.2: one RRset, preferably real data over the
		 * synthesized SOA/NS. */
		if (any == NULL ||
		    (any->type == ZT_TYPE_SOA || any->type == ZT_TYPE_NS))
			any = &n->rrsets[i];
	}
	return qtype == ZT_TYPE_ANY ? any : NULL;
}

static void
set_local(struct zt_result *res, const struct zt_node *n, uint16_t rcode)
{
	res->action = ZT_LOCAL;
	res->node = n;
	res->rcode = rcode;
}

static void
set_chase(struct zt_result *res, const struct zt_node *n, unsigned i,
    uint16_t chase_type, size_t qnamelen)
{
	const struct zt_chase *c = n->chase;

	res->action = ZT_CHASE;
	res->node = n;
	res->mode = c->mode;
	memcpy(res->target, c->target[i], c->target_len[i]);
	res->target_len = c->target_len[i];
	res->chase_type = chase_type;
	res->ttl = c->ttl[i];
	if (n->zone != NULL) {
		res->apex_off =
		    n->zone->apex_is_qname ? 0 : qnamelen - n->zone->apexlen;
		res->soa_ttl = n->zone->soa_ttl;
		res->soa_minimum = n->zone->soa_minimum;
	}
}

/* The question name is (or, for a wildcard, is synthesized from) node n. */
static void
answer_at(const struct zt_node *n, uint16_t qtype, size_t qnamelen,
    struct zt_result *res)
{
	const struct zt_chase *c = n->chase;

	if (c != NULL && c->mode == LINK_MODE_CNAME) {
		/* design.md §2: the CNAME alone for CNAME (and ANY, one
		 * RRset, RFC 8482), else the CNAME plus the target's data. */
		if (qtype == ZT_TYPE_CNAME || qtype == ZT_TYPE_ANY)
			set_local(res, n, 0);
		else
			set_chase(res, n, 0, qtype, qnamelen);
		return;
	}
	if (c != NULL && (qtype == ZT_TYPE_A || qtype == ZT_TYPE_ANY) &&
	    c->target_len[0] != 0) {
		set_chase(res, n, 0, ZT_TYPE_A, qnamelen);
		return;
	}
	if (c != NULL && qtype == ZT_TYPE_AAAA && c->target_len[1] != 0) {
		set_chase(res, n, 1, ZT_TYPE_AAAA, qnamelen);
		return;
	}
	set_local(res, n, 0);
}

void
zonetab_lookup(const struct zonetab *zt, const struct dns_question *q,
    struct zt_result *res)
{
	uint8_t offs[130];
	uint32_t h[130];
	unsigned nl, i;
	const struct zt_node *x = NULL;

	res->action = ZT_FORWARD;
	res->fwd_index = -1;
	res->mode = LINK_MODE_ALIAS;
	res->target_len = 0;
	res->chase_type = 0;
	res->ttl = 0;
	res->apex_off = 0;
	res->soa_ttl = 0;
	res->soa_minimum = 0;
	res->node = NULL;
	res->rcode = 0;
	/* Local data is class IN (query.c lets ANY through too); other
	 * classes (CH) are not ours. */
	if (zt == NULL || q->namelen == 0 ||
	    (q->qclass != ZT_CLASS_IN && q->qclass != ZT_CLASS_ANY))
		return;
	nl = zonetab_label_offsets(q->lname, q->namelen, offs);
	zonetab_suffix_hashes(q->lname, offs, nl, h);
	for (i = 0; i <= nl; i++) {
		x = zonetab_find(
		    zt, q->lname + offs[i], q->namelen - offs[i], h[i]);
		if (x != NULL)
			break;
	}
	if (x == NULL)
		return;
	res->fwd_index = x->fwd;
	if (i == 0 && (x->zone != NULL || (x->flags & ZT_NODE_CNAME_LINK))) {
		answer_at(x, q->qtype, q->namelen, res);
		return;
	}
	if (i > 0 && x->wild != NULL &&
	    (x->zone != NULL || (x->wild->flags & ZT_NODE_DATA))) {
		/* RFC 4592 §3.3.1: the closest encloser has a wildcard. */
		answer_at(x->wild, q->qtype, q->namelen, res);
		return;
	}
	if (x->zone != NULL)
		set_local(res, x, 3); /* NXDOMAIN, RFC 2308 §2.1 */
	/* else: outside every zone, below a cname link or a forward zone */
}

uint64_t
zonetab_generation(const struct zonetab *zt)
{
	return zt == NULL ? 0 : zt->gen;
}

size_t
zonetab_nlinks(const struct zonetab *zt)
{
	return zt == NULL ? 0 : zt->nlinks;
}

size_t
zonetab_nzones(const struct zonetab *zt)
{
	return zt == NULL ? 0 : zt->nzones;
}
