/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for composed link answers in the answer cache
 * (cache_store_composed(), cache_lookup_composed(), cache_ttl_left() in
 * src/core/cache.c), time injected.  Corner cases: a composed entry is
 * found only under its own generation, never by an ordinary lookup (nor
 * an ordinary entry by a composed lookup); generation 0 and a target
 * with no time left store nothing; the entry lives min(smallest TTL in
 * it, the target's time left), every TTL counting down, and min_ttl /
 * max_ttl do not apply; DO and CD split the key; TC and SERVFAIL are
 * never stored; a negative composition lives its RFC 2308 TTL; prefetch
 * is signalled once in the last 10%; a composed entry is never served
 * stale; a composed miss is not counted; cache_ttl_left() of absent,
 * fresh and stale entries.  The fixture is cache_fx.h.
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

#define F_AA_NOERROR 0x8580 /* QR AA RD RA */
#define F_AA_NXDOMAIN 0x8583
#define GEN1 0x1111222233334444ULL
#define GEN2 0x5555666677778888ULL

/* The TTL offsets of a composed cname-mode answer. */
struct comp {
	size_t cname_ttl, a_ttl;
};

/* link.example. CNAME target.example. (cttl), target.example. A (attl):
 * what answer_chased() writes in cname mode (flags may add TC). */
static struct comp
build_comp(struct wb *w, uint16_t flags, uint32_t cttl, uint32_t attl)
{
	struct comp c;

	wb_header(w, 0x4242, flags, 1, 2, 0, 0);
	wb_question(w, "Link.Example.", WB_A, WB_IN);
	c.cname_ttl = wb_cname(w, "link.example.", cttl, "target.example.");
	c.a_ttl = wb_a(w, "target.example.", attl, 9);
	return c;
}

static struct fx *
fx_comp(uint32_t min_ttl, uint32_t max_ttl, uint32_t stale)
{
	struct fx *f = fx_new(1 << 20, min_ttl, max_ttl, stale);

	fx_key(f, "link.example.", WB_A);
	return f;
}

static enum cache_result
fx_clookup(struct fx *f, uint64_t gen, uint64_t now)
{
	f->outlen = 0;
	return cache_lookup_composed(f->c, &f->key, gen, now, f->out,
	    sizeof(f->out), &f->outlen, &f->prefetch);
}

static void
test_composed_hit_and_generation(void **state)
{
	struct fx *f = fx_comp(0, 86400, 0);
	struct cache_stats st;
	struct wb w;

	(void)state;
	build_comp(&w, F_AA_NOERROR, 60, 300);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 300),
	    1);
	assert_int_equal(fx_clookup(f, GEN1, T0), CACHE_HIT);
	assert_int_equal(f->outlen, w.len);
	assert_memory_equal(f->out, w.buf, w.len); /* AA and case kept */
	/* another snapshot, or an ordinary lookup: not found */
	assert_int_equal(fx_clookup(f, GEN2, T0), CACHE_MISS);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	cache_get_stats(f->c, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.misses, 1); /* the ordinary lookup only */
	assert_int_equal(st.entries, 1);
	/* generation 0 and no time left store nothing */
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, 0, w.buf, w.len, T0, 300), 0);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN2, w.buf, w.len, T0, 0), 0);
	assert_int_equal(fx_clookup(f, GEN2, T0), CACHE_MISS);
	fx_free(f);
}

/* An ordinary entry under the link's name (forwarded before a reload
 * made it a link) is never taken for a composed one, and both live. */
static void
test_composed_apart_from_ordinary(void **state)
{
	struct fx *f = fx_comp(0, 86400, 0);
	struct wb w, o;
	struct cache_stats st;

	(void)state;
	build_a(&o, "link.example.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, o.buf, o.len, T0), 1);
	assert_int_equal(fx_clookup(f, GEN1, T0), CACHE_MISS);
	build_comp(&w, F_AA_NOERROR, 60, 300);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 300),
	    1);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	assert_memory_equal(f->out, o.buf, o.len);
	assert_int_equal(fx_clookup(f, GEN1, T0), CACHE_HIT);
	assert_memory_equal(f->out, w.buf, w.len);
	cache_get_stats(f->c, &st);
	assert_int_equal(st.entries, 2);
	fx_free(f);
}

/* Lifetime min(CNAME 60, A 300, target left 40) = 40; every TTL counts
 * down; min_ttl 100 does not raise them (the clamp applied upstream). */
static void
test_composed_ttl_bounds(void **state)
{
	struct fx *f = fx_comp(100, 86400, 0);
	struct comp c;
	struct wb w;

	(void)state;
	c = build_comp(&w, F_AA_NOERROR, 60, 300);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 40), 1);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 10), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, c.cname_ttl), 50);
	assert_int_equal(fx_ttl_at(f, c.a_ttl), 290);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 39), CACHE_HIT);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 40), CACHE_MISS);
	/* bounded by its own smallest TTL when the target has longer */
	c = build_comp(&w, F_AA_NOERROR, 60, 30);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 3600),
	    1);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 29), CACHE_HIT);
	assert_int_equal(fx_ttl_at(f, c.a_ttl), 1);
	assert_int_equal(fx_ttl_at(f, c.cname_ttl), 31);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 30), CACHE_MISS);
	fx_free(f);
}

static void
test_composed_do_cd_split(void **state)
{
	struct fx *f = fx_comp(0, 86400, 0);
	struct wb w;

	(void)state;
	build_comp(&w, F_AA_NOERROR, 60, 300);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 300),
	    1);
	f->key.do_bit = true;
	assert_int_equal(fx_clookup(f, GEN1, T0), CACHE_MISS);
	f->key.do_bit = false;
	f->key.cd = true;
	assert_int_equal(fx_clookup(f, GEN1, T0), CACHE_MISS);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 300),
	    1);
	assert_int_equal(fx_clookup(f, GEN1, T0), CACHE_HIT);
	f->key.cd = false;
	assert_int_equal(fx_clookup(f, GEN1, T0), CACHE_HIT);
	fx_free(f);
}

static void
test_composed_tc_servfail_not_stored(void **state)
{
	struct fx *f = fx_comp(0, 86400, 0);
	struct wb w;

	(void)state;
	build_comp(&w, F_AA_NOERROR | F_TC, 60, 300);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 300),
	    0);
	wb_header(&w, 0x4242, 0x8582 | 0x0400, 1, 0, 0, 0);
	wb_question(&w, "link.example.", WB_A, WB_IN);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 300),
	    0);
	assert_int_equal(fx_clookup(f, GEN1, T0), CACHE_MISS);
	fx_free(f);
}

/* cname mode, target NXDOMAIN: CNAME 600 + the target's SOA (TTL 900,
 * MINIMUM 120): lives min(600, 120) = 120 (RFC 2308 §5). */
static void
test_composed_negative(void **state)
{
	struct fx *f = fx_comp(0, 86400, 0);
	struct wb w;

	(void)state;
	wb_header(&w, 0x4242, F_AA_NXDOMAIN, 1, 1, 1, 0);
	wb_question(&w, "link.example.", WB_A, WB_IN);
	wb_cname(&w, "link.example.", 600, "target.example.");
	wb_soa(&w, "example.", 900, 120);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 3600),
	    1);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 119), CACHE_HIT);
	assert_int_equal(DNS_RCODE(dnswire_get16(f->out + 2)), 3);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 120), CACHE_MISS);
	fx_free(f);
}

/* Prefetch once in the last 10%; past its TTL a composed entry is not
 * served stale even with serve_stale on (its target is). */
static void
test_composed_prefetch_never_stale(void **state)
{
	struct fx *f = fx_comp(0, 86400, 3600);
	struct wb w;

	(void)state;
	build_comp(&w, F_AA_NOERROR, 100, 300);
	assert_int_equal(
	    cache_store_composed(f->c, &f->key, GEN1, w.buf, w.len, T0, 300),
	    1);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 90), CACHE_HIT);
	assert_false(f->prefetch);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 91), CACHE_HIT);
	assert_true(f->prefetch);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 92), CACHE_HIT);
	assert_false(f->prefetch);
	assert_int_equal(fx_clookup(f, GEN1, T0 + 100), CACHE_MISS);
	fx_free(f);
}

static void
test_ttl_left(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 3600);
	struct wb w;

	(void)state;
	assert_int_equal(cache_ttl_left(f->c, &f->key, T0), 0);
	build_a(&w, "www.example.com.", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(cache_ttl_left(f->c, &f->key, T0), 300);
	assert_int_equal(cache_ttl_left(f->c, &f->key, T0 + 299), 1);
	assert_int_equal(cache_ttl_left(f->c, &f->key, T0 + 300), 0);
	/* stale but kept for serve_stale: still found by a stale lookup */
	assert_int_equal(fx_lookup(f, T0 + 301, true), CACHE_STALE);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_composed_hit_and_generation),
	    cmocka_unit_test(test_composed_apart_from_ordinary),
	    cmocka_unit_test(test_composed_ttl_bounds),
	    cmocka_unit_test(test_composed_do_cd_split),
	    cmocka_unit_test(test_composed_tc_servfail_not_stored),
	    cmocka_unit_test(test_composed_negative),
	    cmocka_unit_test(test_composed_prefetch_never_stale),
	    cmocka_unit_test(test_ttl_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
