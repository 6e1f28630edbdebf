/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * bench_cache: a micro-benchmark of cache_lookup() hits and misses (not a
 * test; nothing asserts a number).  Fills a cache with N replies of one
 * A RR each (plus an OPT), then times lookups of random present names
 * and of absent names, and prints nanoseconds per call.  Build and run:
 *
 *   make build/libcore.a
 *   cc -O2 -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Iinclude \
 *     $(pkg-config --cflags libbsd-overlay) -o build/bench_cache \
 *     tests/bench/bench_cache.c build/libcore.a \
 *     $(pkg-config --libs ldns libbsd-overlay)
 *   build/bench_cache [entries] [lookups]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "linkshim/cache.h"
#include "linkshim/dnswire.h"

struct bench_name {
	uint8_t wire[DNS_NAME_MAX];
	size_t len;
};

static uint64_t
bench_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* "h<i>.bench.example.com." in wire form. */
static void
bench_make_name(struct bench_name *n, unsigned i, char tag)
{
	char label[16];
	int l = snprintf(label, sizeof(label), "%c%u", tag, i);

	n->len = 0;
	n->wire[n->len++] = (uint8_t)l;
	memcpy(n->wire + n->len, label, (size_t)l);
	n->len += (size_t)l;
	memcpy(n->wire + n->len, "\5bench\7example\3com", 19);
	n->len += 19;
}

/* A reply: header, question, one A RR pointing at the question, OPT. */
static size_t
bench_reply(const struct bench_name *n, uint8_t *out)
{
	size_t off = DNS_HDR_LEN;

	memset(out, 0, DNS_HDR_LEN);
	dnswire_put16(out + 2, 0x8180);
	dnswire_put16(out + 4, 1);
	dnswire_put16(out + 6, 1);
	dnswire_put16(out + 10, 1);
	memcpy(out + off, n->wire, n->len);
	off += n->len;
	dnswire_put16(out + off, 1);
	dnswire_put16(out + off + 2, 1);
	off += 4;
	dnswire_put16(out + off, 0xc00c);
	dnswire_put16(out + off + 2, 1);
	dnswire_put16(out + off + 4, 1);
	dnswire_put32(out + off + 6, 300);
	dnswire_put16(out + off + 10, 4);
	memcpy(out + off + 12, "\xc0\x00\x02\x01", 4);
	off += 16;
	memcpy(out + off, "\0\0\x29\x04\xd0\0\0\0\0\0\0", 11);
	return off + 11;
}

static double
bench_run(struct cache *c, const struct bench_name *names, unsigned n,
    unsigned lookups, enum cache_result want)
{
	struct cache_key key = {.qtype = 1, .qclass = 1};
	uint8_t out[512];
	size_t outlen;
	bool pf;
	unsigned i, bad = 0, x = 12345;
	uint64_t t0 = bench_ns();

	for (i = 0; i < lookups; i++) {
		x = x * 1103515245 + 12345;
		key.lname = names[(x >> 8) % n].wire;
		key.namelen = names[(x >> 8) % n].len;
		if (cache_lookup(c, &key, 1000 + i / (lookups / 100 + 1), false,
		        out, sizeof(out), &outlen, &pf) != want)
			bad++;
	}
	if (bad)
		fprintf(stderr, "bench_cache: %u unexpected results\n", bad);
	return (double)(bench_ns() - t0) / lookups;
}

int
main(int argc, char *argv[])
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
	unsigned lookups = argc > 2 ? (unsigned)atoi(argv[2]) : 10000000;
	struct conf_cache cc = {.size = 256 << 20, .max_ttl = 86400};
	struct bench_name *names, *absent;
	struct cache_key key = {.qtype = 1, .qclass = 1};
	uint8_t reply[512];
	struct cache *c;
	unsigned i;

	if (n == 0 || lookups == 0 || (c = cache_new(&cc)) == NULL)
		return 1;
	names = calloc(n, sizeof(*names));
	absent = calloc(n, sizeof(*absent));
	if (names == NULL || absent == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		bench_make_name(&names[i], i, 'h');
		bench_make_name(&absent[i], i, 'x');
		key.lname = names[i].wire;
		key.namelen = names[i].len;
		if (cache_store(c, &key, reply, bench_reply(&names[i], reply),
		        1000) != 1)
			return 1;
	}
	printf("bench_cache: %u entries, %u lookups: hit %.1f ns, miss %.1f "
	       "ns\n",
	    n, lookups, bench_run(c, names, n, lookups, CACHE_HIT),
	    bench_run(c, absent, n, lookups, CACHE_MISS));
	free(names);
	free(absent);
	cache_free(c);
	return 0;
}
