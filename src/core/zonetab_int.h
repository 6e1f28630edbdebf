/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * zonetab internals shared by zonetab.c (lookup), zonetab_build.c (the
 * builder) and answer.c (which renders a ZT_LOCAL result from a node).
 * Not a public seam: nothing outside src/core includes this.
 *
 * Every record is stored as answer wire with the owner written as the
 * compression pointer 0xC00C (the question name, RFC 1035 §4.1.4), so an
 * answer at the question name is one memcpy.  A zone's SOA for a negative
 * answer is written with a pointer to the apex suffix of the question
 * name instead (the apex is always a suffix of the question name).
 */
#ifndef LINKSHIM_ZONETAB_INT_H
#define LINKSHIM_ZONETAB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/conf.h"
#include "linkshim/dnswire.h"

#define ZT_TYPE_A 1
#define ZT_TYPE_NS 2
#define ZT_TYPE_CNAME 5
#define ZT_TYPE_SOA 6
#define ZT_TYPE_AAAA 28
#define ZT_TYPE_ANY 255
#define ZT_CLASS_IN 1
#define ZT_CLASS_ANY 255

/* Fixed SOA/NS contents of every synthesized apex (RFC 1035 §3.3.13;
 * the .invalid TLD of RFC 6761 §6.4 says "not a real server"). */
#define ZT_SOA_MNAME "ns.linkshim.invalid."
#define ZT_SOA_RNAME "hostmaster.linkshim.invalid."
#define ZT_SOA_SERIAL 1
#define ZT_SOA_REFRESH 7200
#define ZT_SOA_RETRY 900
#define ZT_SOA_EXPIRE 1209600

/* One RRset, pre-rendered: count RRs, each [C0 0C][type class ttl rdlen
 * rdata].  Borrowed from the zonetab (arena). */
struct zt_rrset {
	uint16_t type;
	uint16_t count;
	uint32_t ttl;
	const uint8_t *wire;
	size_t len;
};

struct zt_zone {
	size_t apexlen;     /* wire length of the apex */
	bool apex_is_qname; /* a wildcard link's zone: the matched name is
	                       the apex */
	bool configured;    /* from `zones:` (else a link's own zone) */
	uint32_t soa_ttl;   /* SOA and NS TTL */
	uint32_t soa_minimum;
	const struct zt_rrset *soa; /* one RR, owner 0xC00C */
};

/* What a link or Route 53 alias at a name resolves upstream. */
struct zt_chase {
	enum link_mode mode; /* LINK_MODE_ALIAS or LINK_MODE_CNAME */
	/* ALIAS: per type (A, AAAA), empty target_len = none; CNAME: [0],
	 * pointing into the CNAME record's own RDATA.  Borrowed from the
	 * zonetab (arena). */
	const uint8_t *target[2];
	size_t target_len[2];
	uint32_t ttl[2];
};

#define ZT_NODE_APEX 0x01       /* has a zone of its own (zone != NULL) */
#define ZT_NODE_FWD 0x02        /* a `forward:` zone; fwd is its index */
#define ZT_NODE_DATA 0x04       /* has records, a chase or is a link */
#define ZT_NODE_CNAME_LINK 0x08 /* a link in cname mode */

struct zt_node {
	const uint8_t *name; /* lower-case wire */
	size_t namelen;
	uint32_t hash;
	unsigned flags;
	int fwd_self;             /* ZT_NODE_FWD: index into forward */
	int fwd;                  /* longest forward zone at or above, or -1 */
	struct zt_zone *own_zone; /* ZT_NODE_APEX */
	const struct zt_zone *zone; /* closest enclosing zone or NULL */
	const struct zt_node *wild; /* the "*.<name>" node, if any */
	struct zt_rrset *rrsets;
	size_t nrrsets, rrcap;
	struct zt_chase *chase;
	/* a CNAME record set whose target is a name of the same zone: that
	 * node, so its records can follow the CNAME (RFC 1034 §4.3.2 3a) */
	const struct zt_node *cname_target;
	/* the input that last gave the node data (for error positions):
	 * zones[src_zone].rrsets[src_item], or links[src_item] when
	 * src_zone is -1 */
	int src_zone, src_item;
};

struct zt_chunk;

struct zonetab {
	struct zt_node **slots; /* open addressing, power of two */
	size_t nslots, nnodes;
	struct zt_node **nodes; /* every node, in creation order */
	size_t nodecap;
	size_t nlinks, nzones;
	struct zt_chunk *arena;
	uint64_t gen; /* zonetab_generation() */
};

/* Which input a zonetab_build_at() error is about: zones[zone].rrsets
 * [rrset], zones[zone] itself (rrset -1), links[link], or none (all -1:
 * out of memory, a forward zone). */
struct zt_where {
	int zone, rrset, link;
};

/* zonetab_build() that also says where an error is (conf_validate()
 * runs it on the config alone, so that -n finds every conflict the
 * daemon would, with its file:line:col).  where is always filled. */
int zonetab_build_at(const struct conf_link *links, size_t nlinks,
    const struct conf_zone *zones, size_t nzones,
    const struct conf_forward *forward, size_t nforward, const char *az,
    struct zonetab **out, struct errbuf *err, struct zt_where *where);

/* The RRset of node n to answer a question of type qtype with (the
 * CNAME when the node has one, one RRset for ANY per RFC 8482), or NULL
 * for NODATA.  Borrowed from the zonetab. */
const struct zt_rrset *zonetab_node_rrset(
    const struct zt_node *n, uint16_t qtype);

/* Hash of the suffix of a lower-case wire name; the builder and the
 * lookup must agree.  offs: label offsets (nlabels entries, then the
 * root's), h: out, nlabels + 1 entries. */
void zonetab_suffix_hashes(
    const uint8_t *name, const uint8_t *offs, unsigned nlabels, uint32_t *h);
/* Label offsets of a wire name into offs (at most 128 + 1); returns the
 * number of labels. */
unsigned zonetab_label_offsets(
    const uint8_t *name, size_t namelen, uint8_t *offs);
/* Find the node with exactly this lower-case wire name. */
struct zt_node *zonetab_find(
    const struct zonetab *zt, const uint8_t *name, size_t len, uint32_t hash);

#endif
