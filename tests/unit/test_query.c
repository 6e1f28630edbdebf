/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for query_check: every verdict and the order of the checks
 * (style.md §9).
 *
 * Corner cases: 0 and 11 bytes (drop); header only; QR with garbage
 * after it (drop, not FORMERR); TC with a bad opcode (FORMERR wins);
 * NOTIFY/UPDATE opcodes (NOTIMP) with QDCOUNT 0; QDCOUNT 0 and 2;
 * ANCOUNT/NSCOUNT 1; ARCOUNT 2; a non-OPT additional record; two OPTs
 * (ARCOUNT 2 -> FORMERR either way); OPT with a non-root owner; broken
 * OPT option; EDNS version 1 (BADVERS) and version 1 with AXFR (BADVERS
 * first); AXFR/IXFR (REFUSED); OPT/TSIG/TKEY/MAILA/128 as qtype
 * (FORMERR); ANY (ok); classes IN/CH/ANY ok, HS/NONE/0 REFUSED; label
 * overrun and pointer loop in the question (FORMERR); EDNS echoed only
 * when well formed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/query.h"

#define FORMERR 1
#define NOTIMP 4
#define REFUSED 5

struct q {
	uint8_t b[512];
	size_t len;
};

/* www.example. qtype qclass, counts patched by the tests */
static void
mk(struct q *q, uint16_t qtype, uint16_t qclass)
{
	static const uint8_t h[] = {
	    0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};

	memcpy(q->b, h, 12);
	memcpy(q->b + 12, "\3www\7example\0", 13);
	dnswire_put16(q->b + 25, qtype);
	dnswire_put16(q->b + 27, qclass);
	q->len = 29;
}

static void
add_opt(struct q *q, uint8_t version)
{
	static const uint8_t opt[] = {0, 0, 41, 0x10, 0, 0, 0, 0x80, 0, 0, 0};

	memcpy(q->b + q->len, opt, sizeof(opt));
	q->b[q->len + 6] = version;
	q->len += sizeof(opt);
	q->b[11]++;
}

static int
check(struct q *q, struct dns_msginfo *mi)
{
	return query_check(q->b, q->len, mi);
}

static void
test_ok(void **state)
{
	struct q q;
	struct dns_msginfo mi;

	(void)state;
	mk(&q, 1, 1);
	assert_int_equal(check(&q, &mi), 0);
	assert_true(mi.has_question);
	assert_false(mi.edns.present);
	add_opt(&q, 0);
	assert_int_equal(check(&q, &mi), 0);
	assert_true(mi.edns.present);
	assert_int_equal(mi.edns.udp_size, 4096);
	assert_true(mi.edns.do_bit);
	mk(&q, 255, 1); /* ANY: answered per RFC 8482 */
	assert_int_equal(check(&q, &mi), 0);
	mk(&q, 28, 3); /* CH passes */
	assert_int_equal(check(&q, &mi), 0);
	mk(&q, 16, 255); /* class ANY passes */
	assert_int_equal(check(&q, &mi), 0);
}

static void
test_drop(void **state)
{
	struct q q;
	struct dns_msginfo mi;

	(void)state;
	mk(&q, 1, 1);
	assert_int_equal(query_check(q.b, 0, &mi), QUERY_DROP);
	assert_int_equal(query_check(q.b, 11, &mi), QUERY_DROP);
	q.b[2] |= 0x80; /* QR */
	assert_int_equal(check(&q, &mi), QUERY_DROP);
	q.b[5] = 9; /* and a broken body: still a drop */
	assert_int_equal(query_check(q.b, 14, &mi), QUERY_DROP);
	/* header only, QDCOUNT 0: FORMERR, not a drop */
	mk(&q, 1, 1);
	q.b[5] = 0;
	assert_int_equal(query_check(q.b, 12, &mi), FORMERR);
	assert_false(mi.has_question);
}

static void
test_tc_and_opcode(void **state)
{
	struct q q;
	struct dns_msginfo mi;

	(void)state;
	mk(&q, 1, 1);
	q.b[2] |= 0x02; /* TC */
	assert_int_equal(check(&q, &mi), FORMERR);
	assert_true(mi.has_question); /* echoed in the error */
	q.b[2] |= 0x20;               /* TC and opcode 4: TC is checked first */
	assert_int_equal(check(&q, &mi), FORMERR);
	mk(&q, 6, 1);
	q.b[2] = (uint8_t)((q.b[2] & 0x87) | (4 << 3)); /* NOTIFY */
	assert_int_equal(check(&q, &mi), NOTIMP);
	q.b[2] = (uint8_t)((q.b[2] & 0x87) | (5 << 3)); /* UPDATE */
	q.b[5] = 0;
	q.b[7] = 3; /* odd counts do not matter: NOTIMP first */
	assert_int_equal(check(&q, &mi), NOTIMP);
	mk(&q, 1, 1);
	q.b[2] = (uint8_t)((q.b[2] & 0x87) | (2 << 3)); /* STATUS */
	assert_int_equal(check(&q, &mi), NOTIMP);
}

static void
test_counts(void **state)
{
	struct q q;
	struct dns_msginfo mi;

	(void)state;
	mk(&q, 1, 1);
	q.b[5] = 2; /* QDCOUNT 2 with one question present */
	assert_int_equal(check(&q, &mi), FORMERR);
	memcpy(q.b + q.len, q.b + 12, 17);
	q.len += 17; /* and with both present */
	assert_int_equal(check(&q, &mi), FORMERR);
	assert_false(mi.has_question);
	mk(&q, 1, 1);
	q.b[7] = 1; /* ANCOUNT */
	assert_int_equal(check(&q, &mi), FORMERR);
	mk(&q, 1, 1);
	q.b[9] = 1; /* NSCOUNT */
	assert_int_equal(check(&q, &mi), FORMERR);
	mk(&q, 1, 1);
	add_opt(&q, 0);
	add_opt(&q, 0); /* two OPTs: ARCOUNT 2 */
	assert_int_equal(check(&q, &mi), FORMERR);
	assert_false(mi.edns.present); /* broken EDNS is not echoed */
	mk(&q, 1, 1);
	/* a non-OPT additional record: an A record for the qname */
	memcpy(q.b + q.len, "\xc0\x0c\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 16);
	q.len += 16;
	q.b[11] = 1;
	assert_int_equal(check(&q, &mi), FORMERR);
	mk(&q, 1, 1);
	q.b[11] = 1; /* ARCOUNT 1 but no record */
	assert_int_equal(check(&q, &mi), FORMERR);
}

static void
test_malformed(void **state)
{
	struct q q;
	struct dns_msginfo mi;

	(void)state;
	mk(&q, 1, 1);
	q.b[12] = 40; /* label runs past the end */
	assert_int_equal(check(&q, &mi), FORMERR);
	assert_false(mi.has_question);
	mk(&q, 1, 1);
	q.b[12] = 0xc0; /* pointer to itself */
	q.b[13] = 12;
	assert_int_equal(check(&q, &mi), FORMERR);
	mk(&q, 1, 1);
	assert_int_equal(query_check(q.b, q.len - 1, &mi), FORMERR);
	mk(&q, 1, 1);
	q.b[12] = 0x40; /* extended label type */
	assert_int_equal(check(&q, &mi), FORMERR);
}

static void
test_edns(void **state)
{
	struct q q;
	struct dns_msginfo mi;

	(void)state;
	mk(&q, 1, 1);
	add_opt(&q, 1);
	assert_int_equal(check(&q, &mi), QUERY_RCODE_BADVERS);
	assert_true(mi.edns.present); /* BADVERS goes in our OPT */
	mk(&q, 252, 1);
	add_opt(&q, 2); /* BADVERS before REFUSED */
	assert_int_equal(check(&q, &mi), QUERY_RCODE_BADVERS);
	mk(&q, 1, 1);
	add_opt(&q, 0);
	q.b[q.len - 11] = 3; /* non-root owner: a label overrunning */
	assert_int_equal(check(&q, &mi), FORMERR);
	mk(&q, 1, 1);
	add_opt(&q, 0);
	q.b[q.len - 1] = 2; /* RDLENGTH 2, nothing there */
	assert_int_equal(check(&q, &mi), FORMERR);
	mk(&q, 1, 1);
	add_opt(&q, 0);
	q.b[q.len - 1] = 2; /* RDLENGTH 2: a truncated option header */
	q.b[q.len++] = 0;
	q.b[q.len++] = 8;
	assert_int_equal(check(&q, &mi), FORMERR);
	assert_false(mi.edns.present);
	mk(&q, 1, 1);
	add_opt(&q, 0);
	q.b[q.len - 8] = 0; /* udp size 0 reads as 512 */
	q.b[q.len - 7] = 0;
	assert_int_equal(check(&q, &mi), 0);
	assert_int_equal(mi.edns.udp_size, 512);
}

static void
test_types(void **state)
{
	struct q q;
	struct dns_msginfo mi;
	static const uint16_t formerr[] = {41, 249, 250, 253, 254, 128, 200};
	size_t i;

	(void)state;
	mk(&q, 252, 1);
	assert_int_equal(check(&q, &mi), REFUSED);
	mk(&q, 251, 1);
	assert_int_equal(check(&q, &mi), REFUSED);
	for (i = 0; i < sizeof(formerr) / sizeof(formerr[0]); i++) {
		mk(&q, formerr[i], 1);
		assert_int_equal(check(&q, &mi), FORMERR);
	}
	mk(&q, 127, 1);
	assert_int_equal(check(&q, &mi), 0);
	mk(&q, 256, 1); /* URI */
	assert_int_equal(check(&q, &mi), 0);
	mk(&q, 41, 3); /* the meta check comes before the class check */
	assert_int_equal(check(&q, &mi), FORMERR);
}

static void
test_classes(void **state)
{
	struct q q;
	struct dns_msginfo mi;

	(void)state;
	mk(&q, 1, 4); /* HS */
	assert_int_equal(check(&q, &mi), REFUSED);
	mk(&q, 1, 254); /* NONE */
	assert_int_equal(check(&q, &mi), REFUSED);
	mk(&q, 1, 0);
	assert_int_equal(check(&q, &mi), REFUSED);
	mk(&q, 1, 2); /* CS */
	assert_int_equal(check(&q, &mi), REFUSED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ok),
	    cmocka_unit_test(test_drop),
	    cmocka_unit_test(test_tc_and_opcode),
	    cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_edns),
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
