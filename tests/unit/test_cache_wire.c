/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for the answer cache's handling of wire details
 * (src/core/cache.c): the key's ASCII case folding (eight bytes at a time
 * and the byte tail, names under eight bytes and of whole words), bytes
 * after the last RR dropped, replies refused because a name could read
 * bytes that change after the store (a TTL, the header) or because the
 * relay would break them (pointer question name, a record after the OPT),
 * and compressed replies written by ldns accepted, RDATA names included.
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

/* The key fold touches 'A'..'Z' only: the neighbours '@' '[' '`' '{'
 * and high-bit bytes whose low seven bits are letters (0xc1 = 0x80|'A')
 * stay distinct, both in the eight-byte and the byte-at-a-time parts of
 * the fold. */
static void
test_key_fold_boundaries(void **state)
{
	/* 23 wire bytes: 16 folded eight at a time, the last label and the
	 * root byte at a time */
	static const char base[] = "\xc1@[`{aZ\xda.Mixed.[`{@\xc1Z.";
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	uint8_t name[DNS_NAME_MAX], alt[DNS_NAME_MAX];
	size_t i, n;

	(void)state;
	n = wb_wire_name(base, name);
	f->key.namelen = n;
	f->key.lname = name;
	build_a(&w, base, 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	f->key.lname = alt;
	for (i = 0; i < n; i++) {
		uint8_t ch = name[i], low = (uint8_t)(ch | 0x20);
		bool letter = low >= 'a' && low <= 'z';

		if (ch < 0x20)
			continue; /* length octets (every data byte is >= '@')
			           */
		memcpy(alt, name, n);
		alt[i] = (uint8_t)(ch ^ 0x20);
		assert_int_equal(fx_lookup(f, T0, false),
		    letter && ch < 0x80 ? CACHE_HIT : CACHE_MISS);
	}
	fx_free(f);
}

/* Names shorter than eight bytes (the root, "ab."), and a name that is
 * exactly two words long, each stored, found in any case, and kept apart
 * from a name one byte different at the end. */
static void
test_key_short_and_aligned(void **state)
{
	static const char *names[][3] = {
	    {".", ".", NULL},
	    {"ab.", "AB.", "ac."},
	    {"abcdef.abcdefg.", "ABCDEF.abcdeFG.", "abcdef.abcdefh."},
	};
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		fx_key(f, names[i][0], WB_A);
		build_a(&w, names[i][0], 300, (uint8_t)i);
		assert_int_equal(
		    cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
		fx_key(f, names[i][1], WB_A);
		/* not lower-cased: the cache folds */
		f->key.namelen = wb_wire_name(names[i][1], f->lname);
		assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
		assert_int_equal(f->out[f->outlen - 1], i);
		if (names[i][2] == NULL)
			continue;
		fx_key(f, names[i][2], WB_A);
		assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	}
	assert_int_equal(wb_wire_name(names[2][0], f->lname), 16);
	fx_free(f);
}

/* Bytes after the last RR are not kept: the hit ends with the records. */
static void
test_trailing_bytes_dropped(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;
	size_t len, ttloff;

	(void)state;
	ttloff = build_a(&w, "www.example.com.", 300, 9);
	len = w.len;
	wb_bytes(&w, "\xde\xad\xbe\xef\x01", 5);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 10, false), CACHE_HIT);
	assert_int_equal(f->outlen, len);
	assert_int_equal(f->out[len - 1], 9);
	assert_int_equal(fx_ttl_at(f, ttloff), 290);
	fx_free(f);
}

/* A compression pointer may land on any earlier byte: here the second
 * RR's owner points at a label-length byte in the first RR's RDATA, so
 * its 14-byte label runs over the owner's own TTL field.  Every hit
 * rewrites TTLs, which would rewrite that name (or break the message):
 * not cached.  (fuzz_reply found it; ldns-compressed replies still are,
 * see test_ldns_compressed_reply.) */
static void
test_name_over_ttl_not_cached(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;

	(void)state;
	wb_header(&w, 0x1234, F_NOERROR, 1, 2, 0, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_ptr(&w, DNS_HDR_LEN); /* RR 1 at 33: type NULL, RDATA 0x0e */
	wb_u16(&w, 10);
	wb_u16(&w, WB_IN);
	wb_u32(&w, 300);
	wb_u16(&w, 1);
	wb_u8(&w, 14);  /* offset 45 */
	wb_ptr(&w, 45); /* RR 2: owner = 14 bytes from 46, then byte 60 */
	wb_u16(&w, WB_A);
	wb_u16(&w, WB_IN);
	wb_u32(&w, 300); /* 52..55: inside that label */
	wb_u16(&w, 4);
	wb_bytes(&w, "\x0a\x01\x00\x01", 4); /* byte 60 = 0: the root */
	assert_int_equal(w.len, 62);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	assert_int_equal(fx_lookup(f, T0, false), CACHE_MISS);
	fx_free(f);
}

/* Layouts a relay would break: a question name that is a pointer (into
 * the header, patched on relay), and a record after the OPT (the relay
 * removes the OPT and closes the gap).  Both parse; neither is cached. */
static void
test_layouts_not_cached(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	struct wb w;

	(void)state;
	fx_key(f, ".", WB_A);
	wb_header(&w, 0x1234, F_NOERROR, 1, 1, 0, 0);
	wb_ptr(&w, 4); /* QDCOUNT's high byte, 0: the root name */
	wb_u16(&w, WB_A);
	wb_u16(&w, WB_IN);
	wb_a(&w, ".", 300, 1);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	fx_key(f, "www.example.com.", WB_A);
	wb_header(&w, 0x1234, F_NOERROR, 1, 1, 0, 2);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_a(&w, "www.example.com.", 300, 1);
	wb_opt(&w, 1232, 0);
	wb_a(&w, "www.example.com.", 300, 2);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	/* the same with the OPT last is cached */
	wb_header(&w, 0x1234, F_NOERROR, 1, 1, 0, 2);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_a(&w, "www.example.com.", 300, 1);
	wb_a(&w, "www.example.com.", 300, 2);
	wb_opt(&w, 1232, 0);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 1);
	/* kept without the OPT (RFC 6891 §6.1.1) */
	assert_int_equal(fx_lookup(f, T0, false), CACHE_HIT);
	assert_int_equal(f->outlen, w.len - 11);
	assert_int_equal(dnswire_get16(f->out + 10), 1);
	/* an OPT with EXTENDED-RCODE bits: the rcode is not NOERROR */
	wb_header(&w, 0x1234, F_NOERROR, 1, 1, 0, 1);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_a(&w, "www.example.com.", 300, 1);
	wb_u8(&w, 0);
	wb_rr_tail(&w, WB_OPT, 1232, 0x01000000, NULL, 0);
	assert_int_equal(cache_store(f->c, &f->key, w.buf, w.len, T0), 0);
	fx_free(f);
}

/* A compressed reply written by ldns: every TTL is found and patched. */
static void
test_ldns_compressed_reply(void **state)
{
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	ldns_pkt *p = NULL, *back = NULL;
	ldns_rr *rr = NULL;
	uint8_t *wire = NULL;
	size_t wlen, i;
	const char *rrs[] = {"www.example.com. 600 IN CNAME web.example.com.",
	    "web.example.com. 120 IN A 192.0.2.1",
	    "web.example.com. 120 IN A 192.0.2.2"};

	(void)state;
	p = ldns_pkt_query_new(ldns_dname_new_frm_str("www.example.com."),
	    LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, LDNS_RD);
	assert_non_null(p);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_id(p, 77);
	for (i = 0; i < 3; i++) {
		assert_int_equal(
		    ldns_rr_new_frm_str(&rr, rrs[i], 0, NULL, NULL),
		    LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	assert_int_equal(ldns_pkt2wire(&wire, p, &wlen), LDNS_STATUS_OK);
	assert_int_equal(cache_store(f->c, &f->key, wire, wlen, T0), 1);
	assert_int_equal(fx_lookup(f, T0 + 100, false), CACHE_HIT);
	assert_int_equal(
	    ldns_wire2pkt(&back, f->out, f->outlen), LDNS_STATUS_OK);
	assert_int_equal(
	    ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(back), 0)), 500);
	assert_int_equal(
	    ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(back), 1)), 20);
	assert_int_equal(
	    ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(back), 2)), 20);
	assert_int_equal(fx_lookup(f, T0 + 120, false), CACHE_MISS);
	ldns_pkt_free(back);
	ldns_pkt_free(p);
	free(wire);
	fx_free(f);
}

/* Replies as a compressing server writes them, with names inside RDATA
 * (MX, NS, SOA) pointing back at owners and at each other: the name
 * stability rule must let every one of them in. */
static void
test_ldns_rdata_compression_cached(void **state)
{
	static const char *mx[] = {
	    "www.example.com. 300 IN MX 10 mail.www.example.com.",
	    "www.example.com. 300 IN MX 20 mx2.example.com.", NULL,
	    "example.com. 900 IN NS ns1.example.com.",
	    "example.com. 900 IN NS ns2.example.com.", NULL,
	    "mail.www.example.com. 300 IN A 192.0.2.25",
	    "ns1.example.com. 900 IN A 192.0.2.53", NULL};
	static const char *nx[] = {NULL,
	    "example.com. 900 IN SOA ns1.example.com. "
	    "hostmaster.example.com. 1 3600 900 604800 300",
	    NULL, NULL};
	const char **set[] = {mx, nx};
	struct fx *f = fx_new(1 << 20, 0, 86400, 0);
	ldns_pkt *p;
	ldns_rr *rr;
	uint8_t *wire;
	size_t wlen, i, sec;
	const char **r;

	(void)state;
	for (i = 0; i < 2; i++) {
		p = ldns_pkt_query_new(
		    ldns_dname_new_frm_str("www.example.com."),
		    i == 0 ? LDNS_RR_TYPE_MX : LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN,
		    LDNS_RD);
		assert_non_null(p);
		ldns_pkt_set_qr(p, true);
		ldns_pkt_set_rcode(p, i == 0 ? 0 : LDNS_RCODE_NXDOMAIN);
		for (r = set[i], sec = LDNS_SECTION_ANSWER;
		     sec <= LDNS_SECTION_ADDITIONAL; sec++, r++) {
			for (; *r != NULL; r++) {
				assert_int_equal(
				    ldns_rr_new_frm_str(&rr, *r, 0, NULL, NULL),
				    LDNS_STATUS_OK);
				ldns_pkt_push_rr(p, (ldns_pkt_section)sec, rr);
			}
		}
		wire = NULL;
		assert_int_equal(
		    ldns_pkt2wire(&wire, p, &wlen), LDNS_STATUS_OK);
		fx_key(f, "www.example.com.",
		    i == 0 ? (uint16_t)LDNS_RR_TYPE_MX : WB_A);
		assert_int_equal(cache_store(f->c, &f->key, wire, wlen, T0), 1);
		assert_int_equal(fx_lookup(f, T0 + 10, false), CACHE_HIT);
		assert_int_equal(f->outlen, wlen);
		ldns_pkt_free(p);
		free(wire);
	}
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_fold_boundaries),
	    cmocka_unit_test(test_key_short_and_aligned),
	    cmocka_unit_test(test_trailing_bytes_dropped),
	    cmocka_unit_test(test_name_over_ttl_not_cached),
	    cmocka_unit_test(test_layouts_not_cached),
	    cmocka_unit_test(test_ldns_compressed_reply),
	    cmocka_unit_test(test_ldns_rdata_compression_cached),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
