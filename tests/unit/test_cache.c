/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for the answer cache (src/core/cache.c), time injected.
 * Corner cases: TTL decrement on every section but OPT; positive TTL from
 * the shortest answer RR; negative TTL = min(SOA TTL, MINIMUM) for
 * NXDOMAIN and NODATA; no SOA, referrals, TC, SERVFAIL/REFUSED/FORMERR
 * never cached; TTL 0 and top-bit TTLs; min/max clamps; expiry at exactly
 * the TTL; the serve-stale window and its 30 s TTL; prefetch signalled
 * once in the last 10%; keys split by DO, CD, type, class but not by
 * case; LRU eviction by bytes; replace; flush; stats; table growth.
 * The key's case folding and the wire layouts the cache refuses or
 * accepts are in test_cache_wire.c; the fixture is cache_fx.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ldns/ldns.h>

#include "cache_fx.h"

static void
test_positive_ttl_decrement(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	size_t toff;

	(void)state;
	toff = build_a(&w, "www.example.com.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	assert_int_equal(f->outlen, w.len);
	assert_memory_equal(f->out, w.buf, w.len);
	assert_int_equal(fx_lookup(f, T0 + 100, false), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, toff), 200);
	/* only the TTL changed */
	dnswire_put32(f->out + toff, 300);
	assert_memory_equal(f->out, w.buf, w.len);
	assert_int_equal(fx_lookup(f, T0 + 299, false), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, toff), 1);
	fx_free(f);
}

/* CNAME 3600 + A 60: the entry lives 60 s, each RR counts down its own
 * TTL; authority and additional too; the OPT is not kept. */
static void
test_positive_min_answer_ttl_all_sections(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	size_t cn, a, ns, add, opt;
	const uint8_t nsip[4] = {192, 0, 2, 53};
	uint8_t nsrd[DNS_NAME_MAX];

	(void)state;
	wb_header(&w, 1, F_NOERROR, 1, 2, 1, 2);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	cn = wb_cname(&w, "www.example.com.", 3600, "web.example.net.");
	a = wb_a(&w, "web.example.net.", 60, 7);
	ns = wb_rr(&w, "example.net.", WB_NS, 86400, nsrd,
	    (uint16_t)wb_wire_name("ns.example.net.", nsrd));
	add = wb_rr(&w, "ns.example.net.", WB_A, 40, nsip, 4);
	opt = wb_opt(&w, 1232, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 50, false), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, cn), 3550);
	assert_int_equal(fx_ttl_at(f, a), 10);
	assert_int_equal(fx_ttl_at(f, ns), 86350);
	assert_int_equal(fx_ttl_at(f, add), 0); /* shorter than its age */
	/* the OPT is not kept (RFC 6891 §6.1.1): the relay adds ours */
	assert_int_equal(f->outlen, opt - 5);
	assert_int_equal(dnswire_get16(f->out + 10), 1);
	assert_int_equal(fx_lookup(f, T0 + 60, false), CACHE_MISS);
	fx_free(f);
}

static void
test_nxdomain_soa_ttl(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	size_t soa;

	(void)state;
	/* RFC 2308 §5: min(SOA TTL 3600, MINIMUM 60) = 60 */
	soa = build_neg(&w, F_NXDOMAIN, 3600, 60);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 10, false), CACHE_HIT);
	assert_int_equal(f->out[3] & 0xf, 3);
	assert_int_equal(fx_ttl_at(f, soa), 50);
	assert_int_equal(fx_lookup(f, T0 + 59, false), CACHE_HIT);
	assert_int_equal(fx_lookup(f, T0 + 60, false), CACHE_MISS);
	/* and min(SOA TTL 30, MINIMUM 600) = 30 */
	soa = build_neg(&w, F_NXDOMAIN, 30, 600);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, soa), 30);
	assert_int_equal(fx_lookup(f, T0 + 30, false), CACHE_MISS);
	fx_free(f);
}

static void
test_nodata_soa_ttl(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	size_t soa;

	(void)state;
	soa = build_neg(&w, F_NOERROR, 900, 300);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 100, false), CACHE_HIT);
	assert_int_equal(f->out[3] & 0xf, 0);
	assert_int_equal(fx_ttl_at(f, soa), 200);
	assert_int_equal(fx_lookup(f, T0 + 300, false), CACHE_MISS);
	fx_free(f);
}

/* CNAME to a name that does not exist: the CNAME's TTL bounds it. */
static void
test_nxdomain_after_cname(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;

	(void)state;
	wb_header(&w, 1, F_NXDOMAIN, 1, 1, 1, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_cname(&w, "www.example.com.", 20, "gone.example.net.");
	wb_soa(&w, "example.net.", 3600, 600);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 19, false), CACHE_HIT);
	assert_int_equal(fx_lookup(f, T0 + 20, false), CACHE_MISS);
	fx_free(f);
}

/* RFC 2308 §5: no SOA, no negative caching; a referral is not an answer. */
static void
test_negative_without_soa_not_cached(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	uint8_t rd[DNS_NAME_MAX];

	(void)state;
	wb_header(&w, 1, F_NXDOMAIN, 1, 0, 0, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	wb_header(&w, 1, F_NOERROR, 1, 0, 0, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	wb_header(&w, 1, F_NOERROR, 1, 0, 1, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_rr(&w, "example.com.", WB_NS, 3600, rd,
	    (uint16_t)wb_wire_name("ns.example.com.", rd));
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	fx_free(f);
}

static void
test_tc_and_error_rcodes_not_cached(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	const uint16_t bad[] = {F_NOERROR | F_TC, F_NXDOMAIN | F_TC, F_SERVFAIL,
	    F_REFUSED, F_FORMERR, 0x8184 /* NOTIMP */, 0x0180 /* no QR */,
	    0x8980 /* opcode 1 */};
	struct cache_stats st;
	struct wb w;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wb_header(&w, 1, bad[i], 1, 1, 1, 0);
		wb_question(&w, "www.example.com.", WB_A, WB_IN);
		wb_a(&w, "www.example.com.", 300, 1);
		wb_soa(&w, "example.com.", 300, 300);
		assert_int_equal(
		    cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	}
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.inserts, 0);
	fx_free(f);
}

static void
test_ttl_zero_and_top_bit(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	size_t toff;

	(void)state;
	build_a(&w, "www.example.com.", 0, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	/* RFC 2181 §8: a TTL with the top bit set reads as 0 */
	build_a(&w, "www.example.com.", 0x80000000U, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	/* 0x7fffffff is legal, clamped to max_ttl */
	toff = build_a(&w, "www.example.com.", 0x7fffffffU, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, toff), 86400);
	fx_free(f);
}

static void
test_min_max_clamp(void **state)
{
	struct fx *f = fx_new(1 << 20, 60, 100, 0);
	struct wb w;
	size_t toff;

	(void)state;
	toff = build_a(&w, "www.example.com.", 5, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 30, false), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, toff), 30);
	assert_int_equal(fx_lookup(f, T0 + 60, false), CACHE_MISS);
	toff = build_a(&w, "www.example.com.", 86400, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, toff), 100);
	assert_int_equal(fx_lookup(f, T0 + 100, false), CACHE_MISS);
	/* min_ttl makes a TTL-0 answer cacheable (operator's choice) */
	build_a(&w, "www.example.com.", 0, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	fx_free(f);
}

/*
 * cache_store_copy: the copy is what a lookup at the same time returns
 * (TTLs clamped by min/max_ttl), byte for byte, and counts no hit, with
 * the reply parsed here or by the caller; a buffer too small stores but
 * copies nothing; an uncacheable reply copies nothing either.
 */
static void
test_store_copy(void **state)
{
	struct fx *f = fx_new(1 << 20, 60, 100, 0);
	struct cache_stats st;
	uint8_t copy[4096];
	struct dns_msginfo mi;
	struct wb w;
	size_t toff, clen = 99;

	(void)state;
	toff = build_a(&w, "www.example.com.", 5, 1);
	assert_int_equal(cache_store_copy(f->c, &f->key, w.buf, w.len, NULL, T0,
	                     copy, sizeof(copy), &clen),
	    1);
	assert_int_equal(dnswire_get32(copy + toff), 60); /* min_ttl */
	cache_get_stats(f->c, &st);
	assert_int_equal(st.hits, 0);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	assert_int_equal(f->outlen, clen);
	assert_memory_equal(f->out, copy, clen);
	toff = build_a(&w, "www.example.com.", 86400, 2);
	/* the caller's parse of the reply is used as is */
	assert_int_equal(dnswire_parse_msg(w.buf, w.len, &mi), 0);
	assert_int_equal(cache_store_copy(f->c, &f->key, w.buf, w.len, &mi, T0,
	                     copy, sizeof(copy), &clen),
	    1);
	assert_int_equal(dnswire_get32(copy + toff), 100); /* max_ttl */
	assert_int_equal(copy[clen - 1], 2);               /* the new entry */
	/* too small: stored all the same, nothing copied */
	assert_int_equal(cache_store_copy(f->c, &f->key, w.buf, w.len, NULL, T0,
	                     copy, clen - 1, &clen),
	    1);
	assert_int_equal(clen, 0);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	/* TC: not cacheable */
	clen = 99;
	wb_header(&w, 0x1234, F_NOERROR | F_TC, 1, 1, 0, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_a(&w, "www.example.com.", 300, 3);
	assert_int_equal(cache_store_copy(f->c, &f->key, w.buf, w.len, NULL, T0,
	                     copy, sizeof(copy), &clen),
	    0);
	assert_int_equal(clen, 0);
	fx_free(f);
}

static void
test_expiry_removes(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct cache_stats st;
	struct wb w;

	(void)state;
	build_a(&w, "www.example.com.", 10, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 9, false), CACHE_HIT);
	/* even with allow_stale: serve_stale is 0 */
	assert_int_equal(fx_lookup(f, T0 + 10, true), CACHE_MISS);
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, 0);
	/* a clock that goes backwards reads as age 0 */
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 - 5, false), CACHE_HIT);
	fx_free(f);
}

/* RFC 8767: expired entries answer only when allowed, with TTL 30, and
 * only within serve_stale seconds of expiry. */
static void
test_stale_window(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 3600);
	struct cache_stats st;
	struct wb w;
	size_t toff;

	(void)state;
	toff = build_a(&w, "www.example.com.", 60, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 70, false), CACHE_MISS);
	assert_int_equal(fx_lookup(f, T0 + 70, true), CACHE_STALE);
	assert_int_equal(fx_ttl_at(f, toff), 30);
	assert_false(f->prefetch);
	assert_int_equal(fx_lookup(f, T0 + 60 + 3599, true), CACHE_STALE);
	assert_int_equal(fx_lookup(f, T0 + 60 + 3600, true), CACHE_MISS);
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.stale_hits, 2);
	/* a fresh lookup with allow_stale is an ordinary hit */
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 1, true), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, toff), 59);
	fx_free(f);
}

static void
test_prefetch_once(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;

	(void)state;
	build_a(&w, "www.example.com.", 100, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 50, false), CACHE_HIT);
	assert_false(f->prefetch);
	assert_int_equal(fx_lookup(f, T0 + 90, false), CACHE_HIT);
	assert_false(f->prefetch); /* 10 left: not below 10% */
	assert_int_equal(fx_lookup(f, T0 + 91, false), CACHE_HIT);
	assert_true(f->prefetch);
	assert_int_equal(fx_lookup(f, T0 + 92, false), CACHE_HIT);
	assert_false(f->prefetch);
	/* the refreshed entry may ask again */
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0 + 92), 1);
	assert_int_equal(fx_lookup(f, T0 + 92 + 95, false), CACHE_HIT);
	assert_true(f->prefetch);
	fx_free(f);
}

static void
test_prefetch_disabled(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;

	(void)state;
	f->cc.prefetch = false;
	cache_free(f->c);
	f->c = cache_new(&f->cc);
	assert_non_null(f->c);
	build_a(&w, "www.example.com.", 100, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 99, false), CACHE_HIT);
	assert_false(f->prefetch);
	fx_free(f);
}

/* DO, CD, type and class split the key; case does not. */
static void
test_key_fields(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	uint8_t upper[DNS_NAME_MAX];

	(void)state;
	build_a(&w, "www.example.com.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	f->key.do_bit = true;
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	f->key.do_bit = false;
	f->key.cd = true;
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	f->key.cd = false;
	f->key.qclass = 3;
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	f->key.qclass = WB_IN;
	f->key.qtype = WB_AAAA;
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	f->key.qtype = WB_A;
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	/* a key not lower-cased by the caller still finds the entry */
	f->key.namelen = wb_wire_name("WWW.Example.COM.", upper);
	f->key.lname = upper;
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	/* DO and CD entries are separate entries */
	f->key.do_bit = true;
	build_a(&w, "www.example.com.", 300, 2);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	assert_int_equal(f->out[f->outlen - 1], 2);
	f->key.do_bit = false;
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	assert_int_equal(f->out[f->outlen - 1], 1);
	fx_free(f);
}

/* A reply for another question is never stored under this key, and a
 * reply whose question differs only in case is. */
static void
test_question_must_match_key(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;

	(void)state;
	build_a(&w, "evil.example.com.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	wb_header(&w, 1, F_NOERROR, 1, 1, 0, 0);
	wb_question(&w, "www.example.com.", WB_AAAA, WB_IN);
	wb_a(&w, "www.example.com.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	build_a(&w, "wWw.ExAmple.com.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	fx_free(f);
}

static void
test_malformed_not_stored(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;

	(void)state;
	build_a(&w, "www.example.com.", 300, 1);
	/* rdlen past the end */
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len - 1, T0), 0);
	/* counts larger than the data */
	dnswire_put16(w.buf + 6, 2);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, 5, T0), 0);
	/* an SOA whose RDATA is too short */
	wb_header(&w, 1, F_NXDOMAIN, 1, 0, 1, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_rr(&w, "example.com.", WB_SOA, 300, "\0\0\0\0", 4);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	fx_free(f);
}

static void
test_small_output_buffer_misses(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	size_t outlen = 0;
	bool pf;

	(void)state;
	build_a(&w, "www.example.com.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(cache_lookup(f->c, &f->key, T0, false, f->out,
	                     w.len - 1, &outlen, &pf),
	    CACHE_MISS);
	assert_int_equal(outlen, 0);
	fx_free(f);
}

static size_t
entry_cost(struct fx *f, struct wb *w)
{
	struct cache_stats st;
	size_t cost;

	build_a(w, "probe.example.com.", 300, 1);
	fx_key(f, "probe.example.com.", WB_A);
	assert_int_equal(cache_store(f->c, &f->key, w->buf, w->len, T0), 1);
	cache_get_stats(f->c, &st);
	cost = st.bytes;
	cache_flush(f->c);
	return cost;
}

/* Names of equal length so that every entry costs the same. */
static void
store_name(struct fx *f, const char *name, uint64_t now)
{
	struct wb w;

	build_a(&w, name, 300, 1);
	fx_key(f, name, WB_A);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, now), 1);
}

static void
test_lru_eviction_by_bytes(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct cache_stats st;
	struct wb w;
	size_t cost;

	(void)state;
	cost = entry_cost(f, &w);
	assert_true(cost > w.len);
	/* room for exactly three entries */
	f->cc.size = 3 * cost + cost / 2;
	cache_free(f->c);
	f->c = cache_new(&f->cc);
	assert_non_null(f->c);
	store_name(f, "aaaaa.example.com.", T0);
	store_name(f, "bbbbb.example.com.", T0);
	store_name(f, "ccccc.example.com.", T0);
	fx_key(f, "aaaaa.example.com.", WB_A);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT); /* a is young */
	store_name(f, "ddddd.example.com.", T0);
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 3);
	assert_int_equal(st.evictions, 1);
	assert_true(st.bytes <= f->cc.size);
	fx_key(f, "bbbbb.example.com.", WB_A);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	fx_key(f, "aaaaa.example.com.", WB_A);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	store_name(f, "eeeee.example.com.", T0);
	fx_key(f, "ccccc.example.com.", WB_A); /* now the oldest */
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	fx_key(f, "ddddd.example.com.", WB_A);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	fx_free(f);
}

static void
test_entry_larger_than_cache(void **state)
{
	struct fx *f = fx_new(64, 0, 86400, 0);
	struct wb w;

	(void)state;
	build_a(&w, "www.example.com.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	fx_free(f);
	f = fx_new(0, 0, 86400, 0); /* size 0: cache off */
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	fx_free(f);
}

static void
test_replace_frees_old(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct cache_stats st1, st2;
	struct wb w;

	(void)state;
	build_a(&w, "www.example.com.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	cache_get_stats(f->c, &st1);
	build_a(&w, "www.example.com.", 300, 9);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0 + 5), 1);
	cache_get_stats(f->c, &st2);
	assert_int_equal(st2.entries, 1);
	assert_int_equal(st2.bytes, st1.bytes);
	assert_int_equal(st2.evictions, 0);
	assert_int_equal(fx_lookup(f, T0 + 5, false), CACHE_HIT);
	assert_int_equal(f->out[f->outlen - 1], 9);
	fx_free(f);
}

static void
test_flush_and_stats(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct cache_stats st;

	(void)state;
	store_name(f, "aaaaa.example.com.", T0);
	store_name(f, "bbbbb.example.com.", T0);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	fx_key(f, "zzzzz.example.com.", WB_A);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	cache_get_stats(f->c, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.misses, 1);
	assert_int_equal(st.inserts, 2);
	assert_int_equal(st.entries, 2);
	assert_true(st.bytes > 0);
	cache_flush(f->c);
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, 0);
	fx_key(f, "aaaaa.example.com.", WB_A);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	/* usable after a flush */
	store_name(f, "aaaaa.example.com.", T0);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	fx_free(f);
}

/* Enough entries to grow the table several times; all still found. */
static void
test_many_entries(void **state)
{
	struct fx *f = fx_new(64 << 20, 0, 86400, 0);
	struct cache_stats st;
	char name[64];
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "h%d.example.com.", i);
		store_name(f, name, T0);
	}
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "h%d.example.com.", i);
		fx_key(f, name, WB_A);
		assert_int_equal(fx_lookup(f, T0 + 1, false), CACHE_HIT);
	}
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 5000);
	assert_int_equal(st.hits, 5000);
	fx_free(f);
}

/*
 * Chains of every length (5,000 entries at a load factor up to 1): names
 * that are not there miss (the one-entry-chain tag shortcut must not
 * hide a longer chain), replacing entries unlinks them from the middle
 * of chains, and in a cache of half the size LRU eviction empties
 * chains; every survivor is still found and every evicted one misses.
 */
static void
test_many_entries_churn(void **state)
{
	struct fx *f = fx_new(64 << 20, 0, 86400, 0);
	struct cache_stats st;
	char name[64];
	size_t half;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "c%d.example.com.", i);
		store_name(f, name, T0);
	}
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "absent%d.example.com.", i);
		fx_key(f, name, WB_A);
		assert_int_equal(fx_lookup(f, T0 + 1, false), CACHE_MISS);
	}
	for (i = 1; i < 5000; i += 2) { /* replace the odd ones */
		snprintf(name, sizeof(name), "c%d.example.com.", i);
		store_name(f, name, T0 + 2);
	}
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 5000);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "c%d.example.com.", i);
		fx_key(f, name, WB_A);
		assert_int_equal(fx_lookup(f, T0 + 3, false), CACHE_HIT);
	}
	/* a cache of half the bytes: the older half is evicted */
	half = st.bytes / 2;
	fx_free(f);
	f = fx_new(half, 0, 86400, 0);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "c%d.example.com.", i);
		store_name(f, name, T0);
	}
	cache_get_stats(f->c, &st);
	assert_true(st.entries > 2300);
	assert_true(st.entries < 2700);
	assert_true(st.evictions == 5000 - st.entries);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "c%d.example.com.", i);
		fx_key(f, name, WB_A);
		assert_int_equal(fx_lookup(f, T0 + 1, false),
		    (size_t)i < 5000 - st.entries ? CACHE_MISS : CACHE_HIT);
	}
	fx_free(f);
}

/* 140,000 entries (the table grows to 262,144 buckets): every entry is
 * still found, absent names miss, and a flush empties it. */
static void
test_huge_table(void **state)
{
	struct fx *f = fx_new(256 << 20, 0, 86400, 0);
	struct cache_stats st;
	char name[64];
	int i;

	(void)state;
	for (i = 0; i < 140000; i++) {
		snprintf(name, sizeof(name), "x%d.example.com.", i);
		store_name(f, name, T0);
	}
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 140000);
	for (i = 0; i < 140000; i += 7) {
		snprintf(name, sizeof(name), "x%d.example.com.", i);
		fx_key(f, name, WB_A);
		assert_int_equal(fx_lookup(f, T0 + 1, false), CACHE_HIT);
		snprintf(name, sizeof(name), "y%d.example.com.", i);
		fx_key(f, name, WB_A);
		assert_int_equal(fx_lookup(f, T0 + 1, false), CACHE_MISS);
	}
	cache_flush(f->c);
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 0);
	fx_free(f);
}

/* The fixture's cache again, with minimal_responses on. */
static void
fx_minimal(struct fx *f)
{
	cache_free(f->c);
	f->cc.minimal_responses = true;
	f->c = cache_new(&f->cc);
	assert_non_null(f->c);
}

/* A positive answer with an NS in authority, glue and an OPT. */
static size_t
build_full(struct wb *w, size_t *ns)
{
	uint8_t nsrd[DNS_NAME_MAX];
	const uint8_t nsip[4] = {192, 0, 2, 53};
	size_t a;

	wb_header(w, 1, F_NOERROR, 1, 1, 1, 2);
	wb_question(w, "www.example.com.", WB_A, WB_IN);
	a = wb_a(w, "www.example.com.", 300, 7);
	*ns = w->len;
	(void)wb_rr(w, "example.com.", WB_NS, 3600, nsrd,
	    (uint16_t)wb_wire_name("ns.example.com.", nsrd));
	(void)wb_rr(w, "ns.example.com.", WB_A, 3600, nsip, 4);
	(void)wb_opt(w, 1232, 0);
	return a;
}

/* minimal_responses: a positive answer is kept as its answer section;
 * with DO its authority too; additional records never. */
static void
test_minimal_positive(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	size_t a, ns;

	(void)state;
	fx_minimal(f);
	a = build_full(&w, &ns);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 10, false), CACHE_HIT);
	assert_int_equal(f->outlen, ns);
	assert_int_equal(dnswire_get16(f->out + 6), 1);
	assert_int_equal(dnswire_get16(f->out + 8), 0);
	assert_int_equal(dnswire_get16(f->out + 10), 0);
	assert_int_equal(fx_ttl_at(f, a), 290);
	assert_memory_equal(f->out + 12, w.buf + 12, a - 12);
	/* DO: the authority stays (DNSSEC proofs live there) */
	f->key.do_bit = true;
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 10, false), CACHE_HIT);
	assert_int_equal(dnswire_get16(f->out + 8), 1);
	assert_int_equal(dnswire_get16(f->out + 10), 0);
	assert_true(f->outlen > ns);
	assert_int_equal(fx_ttl_at(f, ns + 13 + 4), 3590); /* NS TTL */
	fx_free(f);
}

/* minimal_responses keeps an SOA in authority: a CNAME ending in no
 * data, and negative answers (RFC 2308); their additional goes. */
static void
test_minimal_keeps_soa(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	const uint8_t ip[4] = {192, 0, 2, 1};
	struct wb w;
	size_t soa;

	(void)state;
	fx_minimal(f);
	wb_header(&w, 1, F_NOERROR, 1, 1, 1, 1);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	(void)wb_cname(&w, "www.example.com.", 300, "nodata.example.net.");
	soa = wb_soa(&w, "example.net.", 600, 60);
	(void)wb_rr(&w, "ns.example.net.", WB_A, 300, ip, 4);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 1, false), CACHE_HIT);
	assert_int_equal(dnswire_get16(f->out + 8), 1);
	assert_int_equal(dnswire_get16(f->out + 10), 0);
	assert_int_equal(fx_ttl_at(f, soa), 599);
	assert_int_equal(
	    f->outlen, soa + 4 + 2 + dnswire_get16(f->out + soa + 4));
	/* NXDOMAIN: the SOA stays, the additional goes */
	wb_header(&w, 1, F_NXDOMAIN, 1, 0, 1, 1);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	soa = wb_soa(&w, "example.com.", 600, 60);
	(void)wb_rr(&w, "ns.example.com.", WB_A, 300, ip, 4);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 1, false), CACHE_HIT);
	assert_int_equal(f->out[3] & 0xf, 3);
	assert_int_equal(dnswire_get16(f->out + 8), 1);
	assert_int_equal(dnswire_get16(f->out + 10), 0);
	assert_int_equal(fx_ttl_at(f, soa), 59);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_positive_ttl_decrement),
	    cmocka_unit_test(test_positive_min_answer_ttl_all_sections),
	    cmocka_unit_test(test_minimal_positive),
	    cmocka_unit_test(test_minimal_keeps_soa),
	    cmocka_unit_test(test_nxdomain_soa_ttl),
	    cmocka_unit_test(test_nodata_soa_ttl),
	    cmocka_unit_test(test_nxdomain_after_cname),
	    cmocka_unit_test(test_negative_without_soa_not_cached),
	    cmocka_unit_test(test_tc_and_error_rcodes_not_cached),
	    cmocka_unit_test(test_ttl_zero_and_top_bit),
	    cmocka_unit_test(test_min_max_clamp),
	    cmocka_unit_test(test_store_copy),
	    cmocka_unit_test(test_expiry_removes),
	    cmocka_unit_test(test_stale_window),
	    cmocka_unit_test(test_prefetch_once),
	    cmocka_unit_test(test_prefetch_disabled),
	    cmocka_unit_test(test_key_fields),
	    cmocka_unit_test(test_question_must_match_key),
	    cmocka_unit_test(test_malformed_not_stored),
	    cmocka_unit_test(test_small_output_buffer_misses),
	    cmocka_unit_test(test_lru_eviction_by_bytes),
	    cmocka_unit_test(test_entry_larger_than_cache),
	    cmocka_unit_test(test_replace_frees_old),
	    cmocka_unit_test(test_flush_and_stats),
	    cmocka_unit_test(test_many_entries),
	    cmocka_unit_test(test_many_entries_churn),
	    cmocka_unit_test(test_huge_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
