/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * The fixture shared by test_cache.c and test_cache_wire.c: a cache with
 * a key, an output buffer, and builders for a one-A reply and a negative
 * reply with an SOA.  Header-only (static functions), included once per
 * test binary after cmocka.h.
 */
#ifndef LINKSHIM_TEST_CACHE_FX_H
#define LINKSHIM_TEST_CACHE_FX_H

#include "linkshim/cache.h"
#include "wirebuild.h"

#define F_NOERROR 0x8180 /* QR RD RA */
#define F_NXDOMAIN 0x8183
#define F_SERVFAIL 0x8182
#define F_REFUSED 0x8185
#define F_FORMERR 0x8181
#define F_TC 0x0200
#define T0 1000000

struct fx {
	struct conf_cache cc;
	struct cache *c;
	uint8_t lname[DNS_NAME_MAX];
	struct cache_key key;
	uint8_t out[4096];
	size_t outlen;
	bool prefetch;
};

static inline void
fx_key(struct fx *f, const char *name, uint16_t type)
{
	f->key.namelen = wb_wire_name(name, f->lname);
	dnswire_name_lower(f->lname, f->key.namelen);
	f->key.lname = f->lname;
	f->key.qtype = type;
	f->key.qclass = WB_IN;
	f->key.do_bit = false;
	f->key.cd = false;
}

static inline struct fx *
fx_new(size_t size, uint32_t min_ttl, uint32_t max_ttl, uint32_t stale)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->cc.size = size;
	f->cc.min_ttl = min_ttl;
	f->cc.max_ttl = max_ttl;
	f->cc.serve_stale = stale;
	f->cc.prefetch = true;
	f->c = cache_new(&f->cc);
	assert_non_null(f->c);
	fx_key(f, "www.example.com.", WB_A);
	return f;
}

static inline void
fx_free(struct fx *f)
{
	cache_free(f->c);
	free(f);
}

static inline enum cache_result
fx_lookup(struct fx *f, uint64_t now, bool stale)
{
	f->outlen = 0;
	return cache_lookup(f->c, &f->key, now, stale, f->out, sizeof(f->out),
	    &f->outlen, &f->prefetch);
}

static inline uint32_t
fx_ttl_at(const struct fx *f, size_t off)
{
	return dnswire_get32(f->out + off);
}

/* www.example.com A: one A RR with ttl, last octet `last`; returns the
 * answer's TTL offset. */
static inline size_t
build_a(struct wb *w, const char *name, uint32_t ttl, uint8_t last)
{
	wb_header(w, 0x1234, F_NOERROR, 1, 1, 0, 0);
	wb_question(w, name, WB_A, WB_IN);
	return wb_a(w, name, ttl, last);
}

/* Negative answer (flags decide NXDOMAIN or NODATA) with an SOA. */
static inline size_t
build_neg(struct wb *w, uint16_t flags, uint32_t soattl, uint32_t minimum)
{
	wb_header(w, 0x1234, flags, 1, 0, 1, 0);
	wb_question(w, "www.example.com.", WB_A, WB_IN);
	return wb_soa(w, "example.com.", soattl, minimum);
}

#endif
