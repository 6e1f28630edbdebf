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
 * with the header unchanged but for the OPT left out, and parses again;
 * relayed in place (answer_relay_cached) it parses and answers the
 * client's ID and question.
 * Replayed from tests/fuzz/corpus/reply/ by driver.c in the test run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/answer.h"
#include "linkshim/cache.h"
#include "linkshim/query.h"
#include "linkshim/upstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fuzz_qname[] = "\3www\7example\3com";

/* The hit relayed in place to a client with and without EDNS: the
 * result parses, fits, and answers the client's question and ID. */
static void
fuzz_relay(const uint8_t *hit, size_t len)
{
	static const uint8_t qs[2][44] = {
	    {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'W', 'w', 'W', 7, 'e',
	        'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1},
	    {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 3, 'w', 'w', 'w', 7, 'e',
	        'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
	        0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0},
	};
	static const size_t qlen[2] = {33, 44};
	static uint8_t out[DNS_MSG_MAX];
	struct dns_msginfo qmi, omi;
	size_t i;
	int n;

	for (i = 0; i < 2; i++) {
		if (query_check(qs[i], qlen[i], &qmi) != 0)
			abort();
		memcpy(out, hit, len);
		n = answer_relay_cached(
		    &qmi, out, len, sizeof(out), answer_udp_limit(&qmi));
		if (n < DNS_HDR_LEN || (size_t)n > answer_udp_limit(&qmi) ||
		    dnswire_parse_msg(out, (size_t)n, &omi) != 0 ||
		    dnswire_get16(out) != 0x1234 || !omi.has_question ||
		    memcmp(out + DNS_HDR_LEN, qs[i] + DNS_HDR_LEN, 17) != 0 ||
		    (omi.opt_off != 0) != qmi.edns.present)
			abort();
	}
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
	/* the header is the reply's but for ARCOUNT, one lower when the
	 * OPT was left out; no OPT is stored */
	if (outlen > size || outlen < DNS_HDR_LEN ||
	    memcmp(out, data, 10) != 0 ||
	    dnswire_parse_msg(out, outlen, &mi) != 0 || mi.opt_off != 0 ||
	    (dnswire_get16(out + 10) != dnswire_get16(data + 10) &&
	        dnswire_get16(out + 10) + 1 != dnswire_get16(data + 10)))
		abort();
	fuzz_relay(out, outlen);
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
