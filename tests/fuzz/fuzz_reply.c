/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * libFuzzer target for the upstream-reply path: the input is a reply to a
 * fixed question (www.example.com A IN, ID taken from the input so that
 * the checks past the ID are reached).  It goes through
 * upstream_reply_check(), then cache_store() whatever the verdict (the
 * cache must be safe on any bytes), then cache_lookup() fresh and stale.
 * Invariants checked: only an ACCEPTed reply is ever stored, and a hit
 * returns the stored bytes up to the last RR (trailing junk is dropped),
 * with the header unchanged, and parses again.
 * Replayed from tests/fuzz/corpus/reply/ by driver.c in the test run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/cache.h"
#include "linkshim/upstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fuzz_qname[] = "\3www\7example\3com";

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
	    dnswire_parse_msg(out, outlen, &mi) != 0)
		abort();
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
	struct dns_question q;
	struct cache_key key;
	struct cache *c;
	enum upstream_verdict v;
	uint16_t id = size >= 2 ? dnswire_get16(data) : 0;
	int stored;

	memset(&q, 0, sizeof(q));
	q.namelen = sizeof(fuzz_qname);
	memcpy(q.name, fuzz_qname, q.namelen);
	memcpy(q.lname, fuzz_qname, q.namelen);
	q.qtype = 1;
	q.qclass = 1;
	v = upstream_reply_check(data, size, id, &q, true);

	if ((c = cache_new(&cc)) == NULL)
		return 0;
	key.lname = q.lname;
	key.namelen = q.namelen;
	key.qtype = q.qtype;
	key.qclass = q.qclass;
	key.do_bit = size > 0 && (data[size - 1] & 1);
	key.cd = false;
	stored = cache_store(c, &key, data, size, 1000);
	if (stored == 1) {
		if (v != UPSTREAM_ACCEPT)
			abort();
		fuzz_lookup(c, &key, data, size);
	}
	cache_free(c);
	return 0;
}
