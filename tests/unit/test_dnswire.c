/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for dnswire: name reading (compression, loops, forward
 * pointers, overruns, label and name limits), case folding and compare,
 * label counting, message parsing (question, OPT found by walking every
 * RR, malformed OPT placements) and the RR iterator.
 *
 * Corner cases: pointer to itself; pointer loop of two; forward pointer;
 * pointer past the end; truncated pointer; label running past the end;
 * 0x40/0x80 label types; name of exactly 255 bytes (ok) and 256 (bad);
 * OPT in the answer section; two OPTs; OPT with a non-root owner; OPT
 * with an option overrunning its RDATA; RDLENGTH past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/dnswire.h"

static const uint8_t hdr_q1[] = {
    0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};

static size_t
put(uint8_t *b, size_t off, const void *p, size_t n)
{
	memcpy(b + off, p, n);
	return off + n;
}

static void
test_read_name_plain(void **state)
{
	uint8_t pkt[] = {
	    3, 'w', 'W', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 0};
	uint8_t out[DNS_NAME_MAX];
	size_t off = 0, len = 0;

	(void)state;
	assert_int_equal(
	    dnswire_read_name(pkt, sizeof(pkt), &off, out, &len), 0);
	assert_int_equal(len, sizeof(pkt));
	assert_int_equal(off, sizeof(pkt));
	assert_memory_equal(out, pkt, len);
	assert_int_equal(dnswire_name_labels(out, len), 2);
	dnswire_name_lower(out, len);
	assert_memory_equal(out, "\3www\7example\0", 13);
	assert_true(dnswire_name_equal(out, len, pkt, sizeof(pkt)));
}

/* The word-at-a-time fold agrees with a byte-wise fold on every byte
 * value, at every position and length (the bytes around 'A'..'Z', high
 * bytes, and a tail shorter than a word). */
static void
test_name_lower_all_bytes(void **state)
{
	uint8_t name[DNS_NAME_MAX], want[DNS_NAME_MAX];
	size_t len, i, start;

	(void)state;
	for (start = 0; start < 256; start += 37) {
		for (len = 1; len <= DNS_NAME_MAX; len += 13) {
			for (i = 0; i < len; i++) {
				name[i] = (uint8_t)(start + i * 7);
				want[i] = name[i] >= 'A' && name[i] <= 'Z'
				    ? (uint8_t)(name[i] + 32)
				    : name[i];
			}
			dnswire_name_lower(name, len);
			assert_memory_equal(name, want, len);
		}
	}
}

static void
test_read_name_compressed(void **state)
{
	/* "example." at 0, then "www" + pointer to 0 */
	uint8_t pkt[] = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 3, 'w', 'w',
	    'w', 0xc0, 0x00, 0xff};
	uint8_t out[DNS_NAME_MAX];
	size_t off = 9, len = 0;

	(void)state;
	assert_int_equal(
	    dnswire_read_name(pkt, sizeof(pkt), &off, out, &len), 0);
	assert_int_equal(off, 15); /* just past the pointer */
	assert_int_equal(len, 13);
	assert_memory_equal(out, "\3www\7example\0", 13);
	/* skip only */
	off = 9;
	assert_int_equal(
	    dnswire_read_name(pkt, sizeof(pkt), &off, NULL, NULL), 0);
	assert_int_equal(off, 15);
}

static void
test_read_name_bad(void **state)
{
	uint8_t self[] = {0xc0, 0x00};
	uint8_t loop[] = {1, 'a', 0xc0, 0x04, 1, 'b', 0xc0, 0x00};
	uint8_t fwd[] = {0xc0, 0x02, 0};
	uint8_t past[] = {1, 'a', 0xc0, 0x40};
	uint8_t cut_ptr[] = {1, 'a', 0xc0};
	uint8_t overrun[] = {5, 'a', 'b'};
	uint8_t ext40[] = {0x41, 'a', 0};
	uint8_t ext80[] = {0x81, 'a', 0};
	uint8_t noterm[] = {1, 'a'};
	size_t off;

	(void)state;
	off = 0;
	assert_int_equal(dnswire_read_name(self, 2, &off, NULL, NULL), -1);
	off = 4; /* b -> ptr 0 -> a -> ptr 4: backward only, so the second
	            jump (forward) is refused */
	assert_int_equal(
	    dnswire_read_name(loop, sizeof(loop), &off, NULL, NULL), -1);
	off = 0;
	assert_int_equal(dnswire_read_name(fwd, 3, &off, NULL, NULL), -1);
	off = 0;
	assert_int_equal(dnswire_read_name(past, 4, &off, NULL, NULL), -1);
	off = 0;
	assert_int_equal(dnswire_read_name(cut_ptr, 3, &off, NULL, NULL), -1);
	off = 0;
	assert_int_equal(dnswire_read_name(overrun, 3, &off, NULL, NULL), -1);
	off = 0;
	assert_int_equal(dnswire_read_name(ext40, 3, &off, NULL, NULL), -1);
	off = 0;
	assert_int_equal(dnswire_read_name(ext80, 3, &off, NULL, NULL), -1);
	off = 0;
	assert_int_equal(dnswire_read_name(noterm, 2, &off, NULL, NULL), -1);
	off = 5; /* offset beyond the end */
	assert_int_equal(dnswire_read_name(noterm, 2, &off, NULL, NULL), -1);
}

static void
test_read_name_limits(void **state)
{
	uint8_t pkt[300], out[DNS_NAME_MAX];
	size_t off, len, i, p = 0;

	(void)state;
	/* 4 labels of 63 = 256 + root = 257: too long */
	for (i = 0; i < 4; i++) {
		pkt[p++] = 63;
		memset(pkt + p, 'a', 63);
		p += 63;
	}
	pkt[p++] = 0;
	off = 0;
	assert_int_equal(dnswire_read_name(pkt, p, &off, out, &len), -1);
	/* 3 x 63 + 61 = 255 exactly */
	pkt[192] = 61;
	pkt[192 + 62] = 0;
	off = 0;
	assert_int_equal(dnswire_read_name(pkt, 255, &off, out, &len), 0);
	assert_int_equal(len, 255);
	/* a chain of backward pointers longer than the jump limit */
	pkt[0] = 0;
	for (i = 1; i + 1 < 300; i += 2) {
		size_t to = i == 1 ? 0 : i - 2;

		pkt[i] = (uint8_t)(0xc0 | (to >> 8));
		pkt[i + 1] = (uint8_t)to;
	}
	off = 297;
	assert_int_equal(dnswire_read_name(pkt, 299, &off, out, &len), -1);
	off = 5;
	assert_int_equal(dnswire_read_name(pkt, 299, &off, out, &len), 0);
	assert_int_equal(len, 1);
}

static void
test_name_equal(void **state)
{
	(void)state;
	assert_true(dnswire_name_equal(
	    (const uint8_t *)"\1A\0", 3, (const uint8_t *)"\1a\0", 3));
	assert_false(dnswire_name_equal(
	    (const uint8_t *)"\1a\0", 3, (const uint8_t *)"\1b\0", 3));
	assert_false(dnswire_name_equal(
	    (const uint8_t *)"\1a\0", 3, (const uint8_t *)"\2aa\0", 4));
	assert_int_equal(dnswire_name_labels((const uint8_t *)"\0", 1), 0);
}

/* The word-at-a-time compare against a byte reference, every length
 * 1..40 and every position: each ASCII letter folds, '@' '[' '`' '{'
 * (the neighbours of the ranges) and bytes >= 0x80 (0xC1 is 'A' | 0x80)
 * do not. */
static void
test_name_equal_words(void **state)
{
	static const uint8_t pairs[][2] = {{'A', 'a'}, {'Z', 'z'}, {'M', 'm'},
	    {'@', '`'}, {'[', '{'}, {0xc1, 0xe1}, {0xc1, 'a'}, {'a', 'b'},
	    {0x80, 0x00}, {0x3f, 0x1f}};
	uint8_t a[40], b[40];
	size_t len, pos, k;
	bool want;

	(void)state;
	for (len = 1; len <= sizeof(a); len++)
		for (pos = 0; pos < len; pos++)
			for (k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
				memset(a, 'x', len);
				memset(b, 'X', len);
				a[pos] = pairs[k][0];
				b[pos] = pairs[k][1];
				want = k < 3;
				if (dnswire_name_equal(a, len, b, len) != want)
					fail_msg("len %zu pos %zu pair %zu",
					    len, pos, k);
				assert_true(dnswire_name_equal(a, len, a, len));
			}
}

/* query for www.example. A IN, optional OPT (version, udp size) */
static size_t
mkquery(uint8_t *b, bool opt, uint8_t version, uint16_t udp)
{
	size_t p = put(b, 0, hdr_q1, 12);

	p = put(b, p, "\3www\7example\0\0\1\0\1", 17);
	if (opt) {
		b[11] = 1;
		p = put(b, p, "\0\0\51", 3);
		dnswire_put16(b + p, udp);
		b[p + 2] = 0;
		b[p + 3] = version;
		p = put(b, p + 4, "\x80\0\0\0", 4);
	}
	return p;
}

static void
test_parse_msg(void **state)
{
	uint8_t b[512];
	struct dns_msginfo mi;
	size_t n;

	(void)state;
	n = mkquery(b, false, 0, 0);
	assert_int_equal(dnswire_parse_msg(b, n, &mi), 0);
	assert_int_equal(mi.id, 0x1234);
	assert_true(mi.has_question);
	assert_int_equal(mi.q.qtype, 1);
	assert_int_equal(mi.q.qclass, 1);
	assert_int_equal(mi.q.namelen, 13);
	assert_int_equal(mi.question_end, 12 + 13 + 4);
	assert_false(mi.edns.present);
	n = mkquery(b, true, 1, 100);
	b[12 + 1] = 'W';
	assert_int_equal(dnswire_parse_msg(b, n, &mi), 0);
	assert_true(mi.edns.present);
	assert_int_equal(mi.edns.version, 1);
	assert_int_equal(mi.edns.udp_size, 512); /* < 512 reads as 512 */
	assert_true(mi.edns.do_bit);
	assert_int_equal(mi.q.name[1], 'W');
	assert_int_equal(mi.q.lname[1], 'w');
	/* the OPT's place and the end of the records are recorded */
	assert_int_equal(mi.opt_off, 12 + 17);
	assert_int_equal(mi.opt_end, n);
	assert_int_equal(mi.msg_end, n);
	assert_int_equal(dnswire_parse_msg(b, n + 3, &mi), 0); /* junk after */
	assert_int_equal(mi.msg_end, n);
	n = mkquery(b, false, 0, 0);
	assert_int_equal(dnswire_parse_msg(b, n, &mi), 0);
	assert_int_equal(mi.opt_off, 0);
	assert_int_equal(mi.opt_end, 0);
	assert_int_equal(mi.msg_end, n);
	n = mkquery(b, true, 1, 100);
	/* short and truncated */
	assert_int_equal(dnswire_parse_msg(b, 11, &mi), -1);
	assert_int_equal(dnswire_parse_msg(b, 12 + 13 + 3, &mi), -1);
	/* ARCOUNT says 2 but only one RR */
	b[11] = 2;
	assert_int_equal(dnswire_parse_msg(b, n, &mi), -1);
}

static void
test_parse_opt_bad(void **state)
{
	uint8_t b[512];
	struct dns_msginfo mi;
	size_t n, o;

	(void)state;
	/* two OPTs */
	n = mkquery(b, true, 0, 1232);
	memcpy(b + n, b + n - 11, 11);
	b[11] = 2;
	assert_int_equal(dnswire_parse_msg(b, n + 11, &mi), -1);
	/* OPT in the answer section */
	n = mkquery(b, true, 0, 1232);
	b[7] = 1;
	b[11] = 0;
	assert_int_equal(dnswire_parse_msg(b, n, &mi), -1);
	/* OPT with a non-root owner (pointer to the qname) */
	n = mkquery(b, false, 0, 0);
	b[11] = 1;
	o = put(b, n, "\xc0\x0c\0\51\4\xd0\0\0\0\0\0\0", 12);
	assert_int_equal(dnswire_parse_msg(b, o, &mi), -1);
	/* option longer than the RDATA */
	n = mkquery(b, true, 0, 1232);
	b[n - 1] = 4;
	o = put(b, n, "\0\12\0\10", 4);
	assert_int_equal(dnswire_parse_msg(b, o, &mi), -1);
	/* a well-formed option (cookie, 8 bytes) */
	b[n - 1] = 12;
	o = put(b, n, "\0\12\0\10abcdefgh", 12);
	assert_int_equal(dnswire_parse_msg(b, o, &mi), 0);
	assert_true(mi.edns.present);
	/* RDLENGTH past the end */
	b[n - 1] = 40;
	assert_int_equal(dnswire_parse_msg(b, o, &mi), -1);
}

static void
test_rr_iter(void **state)
{
	/* reply: www.example. A with 2 answers (compressed owner), 1 NS */
	uint8_t b[512];
	struct dns_msginfo mi;
	struct dns_rr_iter it;
	size_t p;
	unsigned n = 0, sec[4] = {0};

	(void)state;
	p = put(b, 0, "\x12\x34\x81\x80\0\1\0\2\0\1\0\0", 12);
	p = put(b, p, "\3www\7example\0\0\1\0\1", 17);
	p = put(b, p, "\xc0\x0c\0\1\0\1\0\0\0\x3c\0\4\1\2\3\4", 16);
	p = put(b, p, "\xc0\x0c\0\1\0\1\0\0\0\x3d\0\4\1\2\3\5", 16);
	p = put(b, p, "\xc0\x10\0\2\0\1\0\0\1\0\0\2\xc0\x0c", 14);
	assert_int_equal(dnswire_parse_msg(b, p, &mi), 0);
	dnswire_rr_iter_init(&it, b, p, &mi);
	while (dnswire_rr_next(&it) == 1) {
		sec[it.section]++;
		if (n == 1) {
			assert_int_equal(it.ttl, 0x3d);
			assert_int_equal(it.ttl_off, 12 + 17 + 16 + 6);
			assert_int_equal(it.rdlen, 4);
			assert_int_equal(b[it.rdata_off + 3], 5);
		}
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(sec[1], 2);
	assert_int_equal(sec[2], 1);
	/* an owner pointer to the question is skipped only when the
	 * question was parsed: without it the pointer is followed */
	mi.has_question = false;
	dnswire_rr_iter_init(&it, b, p, &mi);
	assert_int_equal(dnswire_rr_next(&it), 1);
	assert_int_equal(it.owner_off, 12 + 17);
	assert_int_equal(it.rdata_off, 12 + 17 + 12);
	mi.has_question = true;
	/* truncated last RR */
	mi.nscount = 1;
	dnswire_rr_iter_init(&it, b, p - 1, &mi);
	assert_int_equal(dnswire_rr_next(&it), 1);
	assert_int_equal(dnswire_rr_next(&it), 1);
	assert_int_equal(dnswire_rr_next(&it), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_name_plain),
	    cmocka_unit_test(test_name_lower_all_bytes),
	    cmocka_unit_test(test_read_name_compressed),
	    cmocka_unit_test(test_read_name_bad),
	    cmocka_unit_test(test_read_name_limits),
	    cmocka_unit_test(test_name_equal),
	    cmocka_unit_test(test_name_equal_words),
	    cmocka_unit_test(test_parse_msg),
	    cmocka_unit_test(test_parse_opt_bad),
	    cmocka_unit_test(test_rr_iter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
