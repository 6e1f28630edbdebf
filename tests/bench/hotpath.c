/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * hotpath: a pure-core driver for counting the instructions one query
 * costs on linkshim's allocation-free paths (issue 3), with no sockets,
 * no event loop and no clock, so that valgrind --tool=callgrind gives a
 * deterministic count.  It builds a zonetab like the bench's (NLINKS cname
 * links to VPC endpoint names and NLINKS static links), fills a cache with
 * the endpoints' replies and with 100 forwarded names (the bench's
 * q-hits set), then runs N pre-built client queries through one path:
 *
 *   local   query_check, zonetab_lookup, answer_local (static link)
 *   hit     query_check, cache_lookup, answer_relay_cached (cache hit)
 *   fwdhit  as hit, with the zonetab_lookup the daemon does first
 *   cname   query_check, zonetab_lookup, cache_lookup_composed,
 *           answer_relay_cached (cname link, the composed answer kept
 *           by the name's first query)
 *   compose query_check, zonetab_lookup, cache_lookup of the target,
 *           answer_chased (cname link composed from the target's cached
 *           reply: every query, as before composed answers were kept)
 *   miss    query_check, zonetab_lookup, cache_lookup (a miss: every
 *           query is a new name), upstream_query_build, a fake upstream
 *           that turns the query into a one-A reply (hp_upstream, not
 *           linkshim's cost), upstream_reply_check, cache_store,
 *           answer_relay: the user-space work of a cache miss
 *
 * Startup is subtracted by differencing two run lengths (tests/bench/
 * hotpath.sh does it: N=10000 and N=20000).  The first answer of every
 * query name is checked (rcode, answer count), so a broken path cannot
 * pass as a fast one.  Not a test: nothing asserts a number.  Build:
 *
 *   make bench-hotpath        (builds build/bench/hotpath and runs the
 *                              callgrind differencing)
 *   build/bench/hotpath MODE N [NLINKS] [edns]
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/answer.h"
#include "linkshim/cache.h"
#include "linkshim/query.h"
#include "linkshim/upstream.h"
#include "linkshim/zonetab.h"

#define HP_NQ 100      /* distinct query names per path (q-hits size) */
#define HP_NMISS 20000 /* distinct names for misses: N may not exceed */
#define HP_NOW 1000000 /* injected time, seconds */
#define HP_TYPE_A 1
#define HP_CLASS_IN 1

struct hp_query {
	uint8_t b[512];
	size_t len;
	bool checked;
};

struct hp {
	struct zonetab *zt;
	struct cache *cache;
	struct conf_link *links;
	struct conf_ip *addrs;
	size_t nlinks;
	bool edns;
	struct hp_query q[HP_NQ];
	struct hp_query *miss; /* HP_NMISS unique names, built for any N */
	uint8_t scratch[DNS_MSG_MAX];
	uint8_t out[DNS_MSG_MAX];
};

/* Deterministic names: a small LCG, so every run builds the same data. */
static uint32_t
hp_rand(uint32_t *s)
{
	*s = *s * 1103515245U + 12345U;
	return *s >> 8;
}

/* A heap copy of a link name (conf_link names are heap strings). */
static char *
hp_strdup(const char *s)
{
	char *d;

	if ((d = strdup(s)) == NULL) {
		fprintf(stderr, "hotpath: out of memory\n");
		exit(1);
	}
	return d;
}

static void
hp_hex(uint32_t *s, char *out, size_t n, const char *alphabet, size_t na)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = alphabet[hp_rand(s) % na];
	out[n] = '\0';
}

/* Presentation name (with the final dot, no escapes) to wire. */
static size_t
hp_wire(const char *name, uint8_t *out)
{
	size_t len = 0;
	const char *p = name, *dot;

	while (*p != '\0') {
		dot = strchr(p, '.');
		out[len++] = (uint8_t)(dot - p);
		memcpy(out + len, p, (size_t)(dot - p));
		len += (size_t)(dot - p);
		p = dot + 1;
	}
	out[len++] = 0;
	return len;
}

/* A client query as dnsperf sends it: RD, one question, OPT if edns. */
static void
hp_query_make(struct hp_query *q, const char *name, uint16_t id, bool edns)
{
	size_t off = DNS_HDR_LEN;

	memset(q, 0, sizeof(*q));
	dnswire_put16(q->b, id);
	dnswire_put16(q->b + 2, DNS_FLAG_RD);
	dnswire_put16(q->b + 4, 1);
	dnswire_put16(q->b + 10, edns ? 1 : 0);
	off += hp_wire(name, q->b + off);
	dnswire_put16(q->b + off, HP_TYPE_A);
	dnswire_put16(q->b + off + 2, HP_CLASS_IN);
	off += 4;
	if (edns) {
		memcpy(q->b + off, "\0\0\x29\x10\0\0\0\0\0\0\0", 11);
		off += 11;
	}
	q->len = off;
}

/* An upstream reply to name/A: naddr A RRs (owner a pointer to the
 * question), ttl each, then the OPT our upstream query asked for. */
static size_t
hp_reply_make(
    const char *name, unsigned naddr, uint32_t ttl, uint32_t k, uint8_t *out)
{
	size_t off = DNS_HDR_LEN;
	unsigned i;

	memset(out, 0, DNS_HDR_LEN);
	dnswire_put16(out, 0x1234);
	dnswire_put16(out + 2, 0x8180);
	dnswire_put16(out + 4, 1);
	dnswire_put16(out + 6, (uint16_t)naddr);
	dnswire_put16(out + 10, 1);
	off += hp_wire(name, out + off);
	dnswire_put16(out + off, HP_TYPE_A);
	dnswire_put16(out + off + 2, HP_CLASS_IN);
	off += 4;
	for (i = 0; i < naddr; i++) {
		dnswire_put16(out + off, 0xc00c);
		dnswire_put16(out + off + 2, HP_TYPE_A);
		dnswire_put16(out + off + 4, HP_CLASS_IN);
		dnswire_put32(out + off + 6, ttl);
		dnswire_put16(out + off + 10, 4);
		out[off + 12] = 10;
		out[off + 13] = (uint8_t)(1 + i);
		out[off + 14] = (uint8_t)(k >> 8);
		out[off + 15] = (uint8_t)k;
		off += 16;
	}
	memcpy(out + off, "\0\0\x29\x04\xd0\0\0\0\0\0\0", 11);
	return off + 11;
}

static void
hp_cache_put(
    struct hp *hp, const char *name, unsigned naddr, uint32_t ttl, uint32_t k)
{
	uint8_t reply[512], lname[DNS_NAME_MAX];
	struct cache_key key;
	size_t len = hp_reply_make(name, naddr, ttl, k, reply);

	key.namelen = hp_wire(name, lname);
	dnswire_name_lower(lname, key.namelen);
	key.lname = lname;
	key.qtype = HP_TYPE_A;
	key.qclass = HP_CLASS_IN;
	key.do_bit = false;
	key.cd = false;
	if (cache_store(hp->cache, &key, reply, len, HP_NOW) != 1) {
		fprintf(stderr, "hotpath: cache_store %s failed\n", name);
		exit(1);
	}
}

/* NLINKS cname links (bench names), NLINKS static links, the targets'
 * replies and the forwarded names in the cache. */
static void
hp_setup(struct hp *hp, size_t nlinks)
{
	static const char hex[] = "0123456789abcdef";
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct conf_cache cc = {
	    .size = 64 << 20, .max_ttl = 86400, .prefetch = true};
	struct errbuf err = {""};
	char a[20], b[20], c[20], name[DNS_NAME_MAX + 1];
	uint32_t s = 20240601;
	size_t i;

	hp->nlinks = nlinks;
	hp->links = calloc(2 * nlinks, sizeof(*hp->links));
	hp->addrs = calloc(nlinks, sizeof(*hp->addrs));
	if (hp->links == NULL || hp->addrs == NULL ||
	    (hp->cache = cache_new(&cc)) == NULL) {
		fprintf(stderr, "hotpath: out of memory\n");
		exit(1);
	}
	for (i = 0; i < nlinks; i++) {
		char nm[CONF_NAME_MAX];
		struct conf_link *cl = &hp->links[i],
		                 *sl = &hp->links[nlinks + i];

		hp_hex(&s, a, 15, hex, 16);
		snprintf(nm, sizeof(nm),
		    "in01-%s.aws-us-west-2.vectordb.zillizcloud.com.", a);
		cl->name = hp_strdup(nm);
		hp_hex(&s, a, 16, hex, 16);
		hp_hex(&s, b, 8, alnum, 36);
		hp_hex(&s, c, 16, hex, 16);
		snprintf(nm, sizeof(nm),
		    "vpce-0%s-%s.vpce-svc-0%s.us-west-2.vpce.amazonaws.com.", a,
		    b, c);
		cl->target = hp_strdup(nm);
		cl->mode = LINK_MODE_CNAME;
		cl->ttl = 60;
		hp_cache_put(
		    hp, cl->target, 1 + (unsigned)(i % 2), 60, (uint32_t)i + 1);
		hp_hex(&s, a, 15, hex, 16);
		snprintf(nm, sizeof(nm),
		    "st01-%s.aws-us-west-2.vectordb.zillizcloud.com.", a);
		sl->name = hp_strdup(nm);
		sl->target = hp_strdup("");
		sl->mode = LINK_MODE_STATIC;
		sl->ttl = 60;
		hp->addrs[i].family = AF_INET;
		inet_pton(AF_INET, "10.2.0.1", hp->addrs[i].addr);
		hp->addrs[i].addr[3] = (uint8_t)i;
		sl->addrs = &hp->addrs[i];
		sl->naddrs = 1;
	}
	if (zonetab_build(hp->links, 2 * nlinks, NULL, 0, NULL, 0, "", &hp->zt,
	        &err) != 0) {
		fprintf(stderr, "hotpath: zonetab_build: %s\n", err.msg);
		exit(1);
	}
	for (i = 0; i < 100000; i += 1000) {
		snprintf(name, sizeof(name), "h%zu.example.test.", i + 7);
		hp_cache_put(hp, name, 1, 300, (uint32_t)i);
	}
}

/* The HP_NQ query names of a path, spread over the link table. */
static void
hp_queries(struct hp *hp, const char *mode)
{
	char name[DNS_NAME_MAX + 1];
	size_t i, k;

	for (i = 0; i < HP_NQ; i++) {
		k = (i * 7919) % hp->nlinks;
		if (strcmp(mode, "local") == 0)
			snprintf(name, sizeof(name), "%s",
			    hp->links[hp->nlinks + k].name);
		else if (strcmp(mode, "cname") == 0 ||
		    strcmp(mode, "compose") == 0)
			snprintf(name, sizeof(name), "%s", hp->links[k].name);
		else
			snprintf(name, sizeof(name), "h%zu.example.test.",
			    i * 1000 + 7);
		hp_query_make(&hp->q[i], name, (uint16_t)(i + 1), hp->edns);
	}
}

/* HP_NMISS unique forwarded names, whatever n is, so that both run
 * lengths pay the same setup. */
static int
hp_miss_queries(struct hp *hp, unsigned long n)
{
	char name[DNS_NAME_MAX + 1];
	size_t i;

	if (n > HP_NMISS) {
		fprintf(stderr, "hotpath: miss: N at most %d\n", HP_NMISS);
		return -1;
	}
	if ((hp->miss = calloc(HP_NMISS, sizeof(*hp->miss))) == NULL)
		return -1;
	for (i = 0; i < HP_NMISS; i++) {
		snprintf(name, sizeof(name), "u%zu.example.test.", i);
		hp_query_make(&hp->miss[i], name, (uint16_t)i, hp->edns);
	}
	return 0;
}

static struct cache_key
hp_key(const struct dns_question *q, const struct dns_msginfo *mi)
{
	struct cache_key key;

	cache_key_set(&key, q,
	    mi != NULL && mi->edns.present && mi->edns.do_bit,
	    mi != NULL && (mi->flags & DNS_FLAG_CD) != 0);
	return key;
}

/* The daemon's cache-hit path (request_forward), without the zonetab
 * lookup when fwd is false. */
static int
hp_hit(struct hp *hp, const struct hp_query *q, bool fwd)
{
	struct dns_msginfo mi;
	struct zt_result res;
	struct cache_key key;
	size_t clen;
	bool prefetch;

	memset(&mi, 0, sizeof(mi));
	if (query_check(q->b, q->len, &mi) != 0)
		return -1;
	if (fwd) {
		memset(&res, 0, sizeof(res));
		zonetab_lookup(hp->zt, &mi.q, &res);
		if (res.action != ZT_FORWARD)
			return -1;
	}
	key = hp_key(&mi.q, &mi);
	if (cache_lookup(hp->cache, &key, HP_NOW + 1, false, hp->scratch,
	        sizeof(hp->scratch), &clen, &prefetch) != CACHE_HIT)
		return -1;
	return answer_relay_cached(q->b, q->len, &mi, hp->scratch, clen, false,
	    hp->out, sizeof(hp->out), answer_udp_limit(&mi));
}

static int
hp_local(struct hp *hp, const struct hp_query *q)
{
	struct dns_msginfo mi;
	struct zt_result res;

	memset(&mi, 0, sizeof(mi));
	if (query_check(q->b, q->len, &mi) != 0)
		return -1;
	memset(&res, 0, sizeof(res));
	zonetab_lookup(hp->zt, &mi.q, &res);
	if (res.action != ZT_LOCAL)
		return -1;
	return answer_local(q->b, q->len, &mi, &res, hp->out, sizeof(hp->out),
	    answer_udp_limit(&mi));
}

/* The daemon's request_chase with the target's reply in the cache:
 * the composed answer kept by an earlier query (keep), else composed
 * from the target (and kept when keep). */
static int
hp_cname(struct hp *hp, const struct hp_query *q, bool keep)
{
	struct dns_msginfo mi;
	struct zt_result res;
	struct dns_question tq;
	struct cache_key key, ckey;
	uint64_t gen = zonetab_generation(hp->zt);
	size_t clen;
	bool prefetch;
	int n;

	memset(&mi, 0, sizeof(mi));
	if (query_check(q->b, q->len, &mi) != 0)
		return -1;
	memset(&res, 0, sizeof(res));
	zonetab_lookup(hp->zt, &mi.q, &res);
	if (res.action != ZT_CHASE || res.target_len > DNS_NAME_MAX)
		return -1;
	ckey = hp_key(&mi.q, &mi);
	if (keep &&
	    cache_lookup_composed(hp->cache, &ckey, gen, HP_NOW + 1,
	        hp->scratch, sizeof(hp->scratch), &clen,
	        &prefetch) == CACHE_HIT)
		return answer_relay_cached(q->b, q->len, &mi, hp->scratch, clen,
		    true, hp->out, sizeof(hp->out), answer_udp_limit(&mi));
	memcpy(tq.lname, res.target, res.target_len);
	tq.namelen = res.target_len;
	tq.qtype = res.chase_type;
	tq.qclass = HP_CLASS_IN;
	key = hp_key(&tq, NULL);
	if (cache_lookup(hp->cache, &key, HP_NOW + 1, false, hp->scratch,
	        sizeof(hp->scratch), &clen, &prefetch) != CACHE_HIT)
		return -1;
	n = answer_chased(q->b, q->len, &mi, &res, hp->scratch, clen, hp->out,
	    sizeof(hp->out), answer_udp_limit(&mi));
	if (keep && n > 0 &&
	    cache_store_composed(hp->cache, &ckey, gen, hp->out, (size_t)n,
	        HP_NOW + 1, cache_ttl_left(hp->cache, &key, HP_NOW + 1)) != 1)
		return -1;
	return n;
}

/* A fake upstream: the query we sent, answered with one A RR (owner a
 * pointer to the question), TTL 300, and an OPT. */
static size_t
hp_upstream(const uint8_t *uq, size_t ulen, uint8_t *out)
{
	size_t qend = ulen - 11; /* our query ends with its 11-byte OPT */

	memcpy(out, uq, qend);
	dnswire_put16(out + 2, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA);
	dnswire_put16(out + 6, 1);
	memcpy(out + qend, "\xc0\x0c\0\1\0\1\0\0\1\x2c\0\4\xc6\x12\0\1", 16);
	memcpy(out + qend + 16, "\0\0\x29\x04\xd0\0\0\0\0\0\0", 11);
	return qend + 27;
}

/* The daemon's miss path, minus the sockets: the reply arrives at once. */
static int
hp_miss(struct hp *hp, const struct hp_query *q, unsigned long i)
{
	struct dns_msginfo mi;
	struct zt_result res;
	struct cache_key key;
	uint8_t uq[512], reply[512];
	uint16_t id = (uint16_t)(i * 40503U + 1);
	size_t clen, rlen;
	bool prefetch;
	int ulen;

	memset(&mi, 0, sizeof(mi));
	if (query_check(q->b, q->len, &mi) != 0)
		return -1;
	memset(&res, 0, sizeof(res));
	zonetab_lookup(hp->zt, &mi.q, &res);
	if (res.action != ZT_FORWARD)
		return -1;
	key = hp_key(&mi.q, &mi);
	if (cache_lookup(hp->cache, &key, HP_NOW + 1, false, hp->scratch,
	        sizeof(hp->scratch), &clen, &prefetch) != CACHE_MISS)
		return -1;
	ulen = upstream_query_build(
	    id, &mi.q, true, key.do_bit, key.cd, uq, sizeof(uq));
	if (ulen < 0)
		return -1;
	rlen = hp_upstream(uq, (size_t)ulen, reply);
	if (upstream_reply_check(reply, rlen, id, &mi.q, true) !=
	    UPSTREAM_ACCEPT)
		return -1;
	if (cache_store(hp->cache, &key, reply, rlen, HP_NOW + 1) != 1)
		return -1;
	return answer_relay(q->b, q->len, &mi, reply, rlen, hp->out,
	    sizeof(hp->out), answer_udp_limit(&mi));
}

/* First answer of each name: NOERROR, and the answers the path gives
 * (local 1 A; hit 1 A; cname the CNAME plus the target's 1 or 2 A). */
static void
hp_check(const struct hp *hp, struct hp_query *q, const char *mode, int n)
{
	unsigned an;

	if (n < DNS_HDR_LEN || DNS_RCODE(dnswire_get16(hp->out + 2)) != 0 ||
	    memcmp(hp->out, q->b, 2) != 0) {
		fprintf(stderr, "hotpath: %s: bad answer (%d)\n", mode, n);
		exit(1);
	}
	an = dnswire_get16(hp->out + 6);
	if (strcmp(mode, "cname") == 0 || strcmp(mode, "compose") == 0
	        ? an < 2
	        : an != 1) {
		fprintf(stderr, "hotpath: %s: %u answers\n", mode, an);
		exit(1);
	}
	q->checked = true;
}

enum hp_mode { HP_LOCAL, HP_HIT, HP_FWDHIT, HP_CNAME, HP_MISS, HP_COMPOSE };

static int
hp_mode(const char *mode)
{
	static const char *names[] = {
	    "local", "hit", "fwdhit", "cname", "miss", "compose"};
	int m;

	for (m = 0; m < 6; m++)
		if (strcmp(mode, names[m]) == 0)
			return m;
	return -1;
}

int
main(int argc, char **argv)
{
	static struct hp hp;
	const char *mode;
	unsigned long i, n;
	uint64_t bytes = 0;
	int len, m;

	if (argc < 3) {
		fprintf(stderr,
		    "usage: hotpath local|hit|fwdhit|cname|compose|miss N "
		    "[NLINKS] [edns]\n");
		return 2;
	}
	mode = argv[1];
	if ((m = hp_mode(mode)) == -1) {
		fprintf(stderr, "hotpath: unknown path %s\n", mode);
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	hp.edns = argc > 4 && strcmp(argv[4], "edns") == 0;
	hp_setup(&hp, argc > 3 ? strtoul(argv[3], NULL, 10) : 1000);
	hp_queries(&hp, mode);
	if (m == HP_MISS && hp_miss_queries(&hp, n) == -1)
		return 2;
	for (i = 0; i < n; i++) {
		struct hp_query *q = &hp.q[i % HP_NQ];

		if (m == HP_MISS) {
			q = &hp.miss[i];
			len = hp_miss(&hp, q, i);
		} else if (m == HP_LOCAL)
			len = hp_local(&hp, q);
		else if (m == HP_CNAME || m == HP_COMPOSE)
			len = hp_cname(&hp, q, m == HP_CNAME);
		else
			len = hp_hit(&hp, q, m == HP_FWDHIT);
		if (len < 0) {
			fprintf(
			    stderr, "hotpath: %s: query %lu failed\n", mode, i);
			return 1;
		}
		if (!q->checked && (m != HP_MISS || i < HP_NQ))
			hp_check(&hp, q, mode, len);
		bytes += (uint64_t)len;
	}
	printf("%s: %lu queries, %llu answer bytes\n", mode, n,
	    (unsigned long long)bytes);
	cache_free(hp.cache);
	zonetab_free(hp.zt);
	free(hp.links);
	free(hp.addrs);
	free(hp.miss);
	return 0;
}
