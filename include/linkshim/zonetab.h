/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * zonetab: the immutable snapshot of everything linkshim answers itself:
 * private zones with their record sets, and links (design.md §2).  Built
 * once per (re)load from the config's links and zones plus the API
 * registrations, then only read; the resolver swaps the whole snapshot
 * on reload.  Every record is pre-rendered to wire at build time so that
 * answering a local name needs no allocation (answer_local()).
 *
 * Lookup rules:
 *  - longest matching zone wins; a link in alias/static mode outside every
 *    configured zone is the apex of a zone of its own; a zone's records at
 *    or below the apex of a zone nested in it are ignored (the child
 *    answers its names, as a separate Route 53 hosted zone does);
 *  - inside a zone: exact name, then the closest-encloser wildcard (RFC
 *    4592); unknown names NXDOMAIN, empty non-terminals and missing types
 *    NODATA (RFC 8020, RFC 2308), both with the apex SOA; SOA and NS are
 *    synthesized at every apex;
 *  - a link in cname mode outside every zone is a single CNAME node; names
 *    below it are forwarded;
 *  - everything else is forwarded, to the longest matching `forward:`
 *    zone's servers or the default upstreams;
 *  - local data is class IN: class ANY questions are looked up like IN,
 *    any other class (CH) is ZT_FORWARD (the resolver answers
 *    version.bind/id.server before looking up).
 */
#ifndef LINKSHIM_ZONETAB_H
#define LINKSHIM_ZONETAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/conf.h"
#include "linkshim/dnswire.h"
#include "linkshim/errbuf.h"

struct zonetab;

enum zt_action {
	ZT_FORWARD = 0, /* not ours: forward (see fwd_index) */
	ZT_LOCAL,       /* fully answered from the snapshot: answer_local() */
	ZT_CHASE,       /* resolve target/chase_type upstream, then
	                   answer_chased() */
};

struct zt_result {
	enum zt_action action;
	int fwd_index; /* FORWARD: index into conf->forward, -1 =
	                  default upstreams */
	/* CHASE: */
	enum link_mode mode;          /* ALIAS (flatten) or CNAME */
	uint8_t target[DNS_NAME_MAX]; /* target name, wire, lower-case (a copy:
	                                 safe across a reload) */
	size_t target_len;
	uint16_t chase_type; /* type to ask for the target */
	uint32_t ttl;        /* the link's TTL: upper bound of the answer */
	/* CHASE, ALIAS mode: what a NODATA answer needs for the apex SOA in
	 * its authority section (RFC 2308 §2.2), copied like target: the
	 * apex is the suffix of the question name that starts apex_off
	 * bytes into it; the SOA's TTL and MINIMUM. */
	size_t apex_off;
	uint32_t soa_ttl;
	uint32_t soa_minimum;
	/* LOCAL and CHASE: borrowed from the zonetab, valid until
	 * zonetab_free() of the snapshot it came from; the resolver must not
	 * keep it across an event-loop turn (copy what a chase needs, as the
	 * fields above do). */
	const void *node;
	uint16_t rcode; /* LOCAL: NOERROR or NXDOMAIN */
};

/*
 * Build a snapshot from links and zones (usually conf->links/zones
 * followed by the API registrations).  az picks zonal targets
 * (conf->availability_zone, may be "").  forward/nforward are the
 * conditional forwarding zones (conf->forward), matched for ZT_FORWARD.
 * On success *out is a new zonetab, caller frees with zonetab_free(), and
 * 0 is returned; on a conflict (the same name twice, a record that cannot
 * be rendered) -1 with err filled.  The inputs are copied; nothing is
 * borrowed from them.
 */
int zonetab_build(const struct conf_link *links, size_t nlinks,
    const struct conf_zone *zones, size_t nzones,
    const struct conf_forward *forward, size_t nforward, const char *az,
    struct zonetab **out, struct errbuf *err);

/* NULL-safe. */
void zonetab_free(struct zonetab *zt);

/*
 * Decide what to do with question q (lname is used; no allocation).
 * Always succeeds; fills *res.
 */
void zonetab_lookup(const struct zonetab *zt, const struct dns_question *q,
    struct zt_result *res);

/* The snapshot's generation: random, non-zero, drawn at build, so that
 * data derived from one snapshot (composed link answers in the cache)
 * can be told from another's without holding a pointer to it. */
uint64_t zonetab_generation(const struct zonetab *zt);

/* Number of links and zones in the snapshot (status, metrics). */
size_t zonetab_nlinks(const struct zonetab *zt);
size_t zonetab_nzones(const struct zonetab *zt);

#endif
