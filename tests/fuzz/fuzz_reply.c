/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * libFuzzer target for the upstream-reply path: the input is a reply to a
 * fixed question (www.example.com A IN, ID taken from the input so that
 * the checks past the ID are reached).  It goes through
 * upstream_reply_check_mi(), then cache_store() whatever the verdict (the
 * cache must be safe on any bytes), then cache_lookup() fresh and stale.
 * Invariants checked: only an ACCEPTed reply is ever stored, and a hit
 * returns the stored bytes up to the last RR (trailing junk and the OPT
 * are dropped), with the header unchanged but ARCOUNT, and parses again;
 * so does answer_relay_cached()'s answer to a client (with and without
 * EDNS), which trusts that layout without parsing it.  The same bytes
 * stored as a composed answer (cache_store_composed()) obey the same.
 * An ACCEPTed reply stored with the check's parse (cache_store_copy(),
 * the daemon's path) gives the same result, and its copy is what the
 * lookup returns.
 * Replayed from tests/fuzz/corpus/reply/ by driver.c in the test run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/answer.h"
#include "linkshim/cache.h"
#include "linkshim/upstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fuzz_qname[] = "\3www\7example\3com";

/* Relay out[0..outlen) to a client asking the fixed question (EDNS as
 * edns says); the answer must parse. */
static void
fuzz_relay(const uint8_t *out, size_t outlen, bool ours, bool edns)
{
	static uint8_t ans[DNS_MSG_MAX];
	static const uint8_t query[] = "\x12\x34\x01\x00\0\1\0\0\0\0\0\0"
	                               "\3www\7example\3com\0\0\1\0\1";
	struct dns_msginfo cmi, ami;
	int n;

	memset(&cmi, 0, sizeof(cmi));
	if (dnswire_parse_msg(query, sizeof(query) - 1, &cmi) != 0)
		abort();
	cmi.edns.present = edns;
	cmi.edns.udp_size = 1232;
	n = answer_relay_cached(query, sizeof(query) - 1, &cmi, out, outlen,
	    ours, ans, sizeof(ans), edns ? 1232 : 512);
	if (n < DNS_HDR_LEN || dnswire_parse_msg(ans, (size_t)n, &ami) != 0 ||
	    ami.id != 0x1234 || ami.edns.present != edns)
		abort();
}

static void
fuzz_lookup(struct cache *c, const struct cache_key *key, const uint8_t *data,
    size_t size)
{
	static uint8_t out[DNS_MSG_MAX];
	struct dns_msginfo mi;
	size_t outlen = 0;
	bool prefetch;

	if (cache_lookup(c, key, 1000, false, out, sizeof(out), &outlen,
	        &prefetch) != CACHE_HIT)
		abort();
	/* the header as stored but ARCOUNT (the OPT is not kept) */
	if (outlen > size || outlen < DNS_HDR_LEN ||
	    memcmp(out, data, DNS_HDR_LEN - 2) != 0 ||
	    dnswire_get16(out + 10) > dnswire_get16(data + 10) ||
	    dnswire_parse_msg(out, outlen, &mi) != 0 || mi.opt_off != 0)
		abort();
	fuzz_relay(out, outlen, false, false);
	fuzz_relay(out, outlen, false, true);
	/* past the TTL: only the stale window, whatever it holds */
	(void)cache_lookup(c, key, 1000 + 86400 + 10, true, out, sizeof(out),
	    &outlen, &prefetch);
	(void)cache_lookup(c, key, 1000 + 86400 + 20, false, out, sizeof(out),
	    &outlen, &prefetch);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_cache cc = {.size = 1 << 20,
	    .min_ttl = 0,
	    .max_ttl = 86400,
	    .serve_stale = 3600,
	    .prefetch = true};
	static uint8_t copy[DNS_MSG_MAX];
	struct dns_msginfo rmi; /* the check's parse */
	struct dns_question q;
	struct cache_key key;
	struct cache *c;
	size_t clen;
	enum upstream_verdict v;
	uint16_t id = size >= 2 ? dnswire_get16(data) : 0;
	int stored;

	memset(&q, 0, sizeof(q));
	q.namelen = sizeof(fuzz_qname);
	memcpy(q.name, fuzz_qname, q.namelen);
	memcpy(q.lname, fuzz_qname, q.namelen);
	q.qtype = 1;
	q.qclass = 1;
	v = upstream_reply_check_mi(data, size, id, &q, true, &rmi);

	if ((c = cache_new(&cc)) == NULL)
		return 0;
	cache_key_set(&key, &q, size > 0 && (data[size - 1] & 1), false);
	stored = cache_store(c, &key, data, size, 1000);
	if (stored == 1) {
		if (v != UPSTREAM_ACCEPT)
			abort();
		fuzz_lookup(c, &key, data, size);
	}
	/* the same bytes as a composed link answer (generation 1) */
	if (cache_store_composed(c, &key, 1, data, size, 1000, 3600) == 1) {
		static uint8_t out[DNS_MSG_MAX];
		struct dns_msginfo mi;
		size_t outlen = 0;
		bool prefetch;

		if (stored != 1 ||
		    cache_lookup_composed(c, &key, 1, 1000, out, sizeof(out),
		        &outlen, &prefetch) != CACHE_HIT ||
		    dnswire_parse_msg(out, outlen, &mi) != 0 || mi.opt_off != 0)
			abort();
		fuzz_relay(out, outlen, true, true);
	}
	cache_free(c);
	if (v != UPSTREAM_ACCEPT || (c = cache_new(&cc)) == NULL)
		return 0;
	if (cache_store_copy(c, &key, data, size, &rmi, 1000, copy,
	        sizeof(copy), &clen) != stored ||
	    (stored == 1) != (clen > 0))
		abort();
	if (stored == 1) {
		static uint8_t out[DNS_MSG_MAX];
		size_t outlen = 0;
		bool prefetch;

		if (cache_lookup(c, &key, 1000, false, out, sizeof(out),
		        &outlen, &prefetch) != CACHE_HIT ||
		    outlen != clen || memcmp(out, copy, clen) != 0)
			abort();
	}
	cache_free(c);
	return 0;
}
