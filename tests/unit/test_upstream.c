/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for src/core/upstream.c.  Corner cases: the query we build
 * (ID, RD, CD, lower-cased name, OPT size and DO, no OPT on fallback, too
 * small a buffer, and ldns agrees it is well formed); reply verdicts:
 * accept (NOERROR, NXDOMAIN, name case differs), ignore (short, wrong ID,
 * no QR, other opcode, QDCOUNT != 1, wrong name/type/class, records cut
 * off, pointer loop, garbage), TC even when cut off, FORMERR/NOTIMP to
 * EDNS vs without, SERVFAIL/REFUSED/other rcodes; server order by srtt,
 * EWMA, back-off doubling to its cap, last resort, recovery.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ldns/ldns.h>

#include "linkshim/upstream.h"
#include "wirebuild.h"

#define ID 0xbeef

static void
make_question(struct dns_question *q, const char *name, uint16_t type)
{
	memset(q, 0, sizeof(*q));
	q->namelen = wb_wire_name(name, q->name);
	memcpy(q->lname, q->name, q->namelen);
	dnswire_name_lower(q->lname, q->namelen);
	q->qtype = type;
	q->qclass = WB_IN;
}

/* A reply to www.example.com A with the given flags and one A RR. */
static void
build_reply(struct wb *w, uint16_t id, uint16_t flags, const char *qname,
    uint16_t qtype, uint16_t qclass)
{
	wb_header(w, id, flags, 1, 1, 0, 0);
	wb_question(w, qname, qtype, qclass);
	wb_a(w, qname, 300, 1);
}

static enum upstream_verdict
check(const struct wb *w, bool edns)
{
	struct dns_question q;

	make_question(&q, "www.Example.com.", WB_A);
	return upstream_reply_check(w->buf, w->len, ID, &q, edns);
}

static void
test_query_build_edns(void **state)
{
	struct dns_question q;
	uint8_t out[512];
	ldns_pkt *p = NULL;
	ldns_rdf *owner;
	char *s;
	int n;

	(void)state;
	make_question(&q, "WWW.Example.COM.", WB_AAAA);
	n = upstream_query_build(
	    0x1234, &q, true, true, false, out, sizeof(out));
	assert_int_equal(n, 12 + 17 + 4 + 11);
	assert_int_equal(dnswire_get16(out), 0x1234);
	assert_int_equal(dnswire_get16(out + 2), DNS_FLAG_RD);
	assert_int_equal(dnswire_get16(out + 4), 1);
	assert_int_equal(dnswire_get16(out + 6), 0);
	assert_int_equal(dnswire_get16(out + 8), 0);
	assert_int_equal(dnswire_get16(out + 10), 1);
	assert_memory_equal(out + 12, "\3www\7example\3com\0", 17);
	assert_int_equal(ldns_wire2pkt(&p, out, (size_t)n), LDNS_STATUS_OK);
	assert_true(ldns_pkt_edns(p));
	assert_true(ldns_pkt_edns_do(p));
	assert_int_equal(ldns_pkt_edns_udp_size(p), DNS_EDNS_ADVERTISE);
	assert_int_equal(ldns_pkt_edns_version(p), 0);
	assert_false(ldns_pkt_cd(p));
	owner = ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(p), 0));
	s = ldns_rdf2str(owner);
	assert_string_equal(s, "www.example.com.");
	free(s);
	ldns_pkt_free(p);
}

static void
test_query_build_no_edns_cd(void **state)
{
	struct dns_question q;
	uint8_t out[512];
	int n;

	(void)state;
	make_question(&q, "example.org.", WB_A);
	n = upstream_query_build(7, &q, false, true, true, out, sizeof(out));
	assert_int_equal(n, 12 + 13 + 4);
	assert_int_equal(dnswire_get16(out + 2), DNS_FLAG_RD | DNS_FLAG_CD);
	assert_int_equal(dnswire_get16(out + 10), 0);
	/* exactly enough room, then one byte short */
	assert_int_equal(
	    upstream_query_build(7, &q, false, false, false, out, (size_t)n),
	    n);
	assert_int_equal(upstream_query_build(
	                     7, &q, false, false, false, out, (size_t)n - 1),
	    -1);
	assert_int_equal(
	    upstream_query_build(7, &q, true, false, false, out, (size_t)n),
	    -1);
}

static void
test_reply_accept(void **state)
{
	struct wb w;

	(void)state;
	build_reply(&w, ID, 0x8180, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_ACCEPT);
	/* the server echoed our case or not: both fine */
	build_reply(&w, ID, 0x8180, "WWW.EXAMPLE.COM.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_ACCEPT);
	/* NXDOMAIN is an answer */
	wb_header(&w, ID, 0x8183, 1, 0, 1, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_soa(&w, "example.com.", 300, 60);
	assert_int_equal(check(&w, true), UPSTREAM_ACCEPT);
	/* with an OPT in the additional section */
	wb_header(&w, ID, 0x8180, 1, 1, 0, 1);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_a(&w, "www.example.com.", 300, 1);
	wb_opt(&w, 1232, 0);
	assert_int_equal(check(&w, true), UPSTREAM_ACCEPT);
}

/* upstream_reply_check_mi: on ACCEPT, *mi is exactly what
 * dnswire_parse_msg() makes of the reply (cache_store_copy() trusts it). */
static void
test_reply_check_mi(void **state)
{
	struct dns_msginfo mi, ref;
	struct dns_question q;
	struct wb w;

	(void)state;
	make_question(&q, "www.Example.com.", WB_A);
	wb_header(&w, ID, 0x8180, 1, 1, 0, 1);
	wb_question(&w, "WWW.example.com.", WB_A, WB_IN);
	wb_a(&w, "www.example.com.", 300, 1);
	wb_opt(&w, 1232, 0);
	memset(&mi, 0xa5, sizeof(mi));
	assert_int_equal(
	    upstream_reply_check_mi(w.buf, w.len, ID, &q, true, &mi),
	    UPSTREAM_ACCEPT);
	assert_int_equal(dnswire_parse_msg(w.buf, w.len, &ref), 0);
	assert_int_equal(mi.ancount, 1);
	assert_int_equal(mi.arcount, 1);
	assert_int_equal(mi.question_end, ref.question_end);
	assert_int_equal(mi.q.namelen, ref.q.namelen);
	assert_memory_equal(mi.q.name, ref.q.name, ref.q.namelen);
	assert_true(mi.edns.present);
	assert_int_equal(mi.edns.udp_size, 1232);
	assert_int_equal(mi.flags, ref.flags);
	/* the same verdicts as upstream_reply_check */
	assert_int_equal(
	    upstream_reply_check_mi(w.buf, w.len, ID + 1, &q, true, &mi),
	    UPSTREAM_IGNORE);
	build_reply(&w, ID, 0x8182, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(
	    upstream_reply_check_mi(w.buf, w.len, ID, &q, true, &mi),
	    UPSTREAM_SERVFAIL);
}

static void
test_reply_wrong_id(void **state)
{
	struct wb w;

	(void)state;
	build_reply(&w, ID ^ 1, 0x8180, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
}

static void
test_reply_missing_qr_or_opcode(void **state)
{
	struct wb w;

	(void)state;
	build_reply(&w, ID, 0x0180, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
	build_reply(
	    &w, ID, 0x8180 | (2 << 11), "www.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
}

static void
test_reply_wrong_question(void **state)
{
	struct wb w;

	(void)state;
	build_reply(&w, ID, 0x8180, "www.example.org.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
	build_reply(&w, ID, 0x8180, "ww.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
	build_reply(&w, ID, 0x8180, "www.example.com.", WB_AAAA, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
	build_reply(&w, ID, 0x8180, "www.example.com.", WB_A, 3);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
	/* no question at all, even as FORMERR */
	wb_header(&w, ID, 0x8181, 0, 0, 0, 0);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
	/* two questions */
	wb_header(&w, ID, 0x8180, 2, 0, 0, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
}

static void
test_reply_truncated_or_garbage(void **state)
{
	struct wb w;
	size_t i;
	uint8_t junk[64];

	(void)state;
	build_reply(&w, ID, 0x8180, "www.example.com.", WB_A, WB_IN);
	/* every proper prefix is ignored */
	for (i = 0; i < w.len; i++) {
		struct wb cut = w;

		cut.len = i;
		assert_int_equal(check(&cut, true), UPSTREAM_IGNORE);
	}
	/* counts larger than the data */
	dnswire_put16(w.buf + 6, 3);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
	/* random bytes with our id */
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	dnswire_put16(junk, ID);
	assert_int_equal(upstream_reply_check(junk, sizeof(junk), ID,
	                     &(struct dns_question){0}, true),
	    UPSTREAM_IGNORE);
	/* an answer whose owner is a pointer to itself */
	wb_header(&w, ID, 0x8180, 1, 1, 0, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	wb_ptr(&w, (uint16_t)w.len);
	wb_rr_tail(&w, WB_A, WB_IN, 300, "\300\0\2\1", 4);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
}

static void
test_reply_tc(void **state)
{
	struct wb w;

	(void)state;
	build_reply(&w, ID, 0x8380, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_TRUNCATED);
	/* cut off mid-record: still ours, still retried over TCP */
	w.len -= 3;
	assert_int_equal(check(&w, true), UPSTREAM_TRUNCATED);
	/* but never for someone else's question */
	build_reply(&w, ID, 0x8380, "evil.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_IGNORE);
}

static void
test_reply_formerr_notimp(void **state)
{
	struct wb w;

	(void)state;
	wb_header(&w, ID, 0x8181, 1, 0, 0, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_FORMERR);
	assert_int_equal(check(&w, false), UPSTREAM_SERVFAIL);
	wb_header(&w, ID, 0x8184, 1, 0, 0, 0);
	wb_question(&w, "www.example.com.", WB_A, WB_IN);
	assert_int_equal(check(&w, true), UPSTREAM_FORMERR);
	assert_int_equal(check(&w, false), UPSTREAM_SERVFAIL);
}

static void
test_reply_servfail_refused(void **state)
{
	struct wb w;
	const uint16_t rcodes[] = {2, 5, 6, 9, 15};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rcodes) / sizeof(rcodes[0]); i++) {
		wb_header(&w, ID, (uint16_t)(0x8180 | rcodes[i]), 1, 0, 0, 0);
		wb_question(&w, "www.example.com.", WB_A, WB_IN);
		assert_int_equal(check(&w, true), UPSTREAM_SERVFAIL);
	}
}

static void
make_set(struct upstream_set *set, size_t n)
{
	struct conf_addr addrs[UPSTREAM_MAX_SERVERS + 2];
	size_t i;

	memset(addrs, 0, sizeof(addrs));
	for (i = 0; i < n; i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&addrs[i].ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(53);
		sin->sin_addr.s_addr = htonl(0x7f000001 + (uint32_t)i);
		addrs[i].len = sizeof(*sin);
	}
	upstream_set_init(set, addrs, n);
}

static void
test_set_init(void **state)
{
	struct upstream_set set;
	size_t order[UPSTREAM_MAX_SERVERS];
	const struct sockaddr_in *sin;

	(void)state;
	make_set(&set, UPSTREAM_MAX_SERVERS + 2);
	assert_int_equal(set.nservers, UPSTREAM_MAX_SERVERS);
	assert_int_equal(set.servers[0].srtt_ms, 50);
	sin = (const struct sockaddr_in *)&set.servers[3].addr.ss;
	assert_int_equal(ntohl(sin->sin_addr.s_addr), 0x7f000004);
	assert_int_equal(upstream_set_order(&set, 0, order, 4), 4);
	make_set(&set, 0);
	assert_int_equal(upstream_set_order(&set, 0, order, 4), 0);
}

static void
test_set_srtt_order_and_ewma(void **state)
{
	struct upstream_set set;
	size_t order[3];
	int i;

	(void)state;
	make_set(&set, 3);
	set.servers[0].srtt_ms = 200;
	set.servers[1].srtt_ms = 10;
	set.servers[2].srtt_ms = 80;
	for (i = 0; i < 50; i++) {
		assert_int_equal(upstream_set_order(&set, 1000, order, 3), 3);
		assert_int_equal(order[0], 1);
		assert_int_equal(order[1], 2);
		assert_int_equal(order[2], 0);
	}
	/* EWMA 7/8: 200 -> (7*200 + 40)/8 = 180 */
	upstream_set_success(&set, 0, 40);
	assert_int_equal(set.servers[0].srtt_ms, 180);
	for (i = 0; i < 40; i++)
		upstream_set_success(&set, 0, 2);
	assert_true(set.servers[0].srtt_ms < 10);
	assert_int_equal(upstream_set_order(&set, 1000, order, 1), 1);
	assert_int_equal(order[0], 0);
	/* an out-of-range index is ignored */
	upstream_set_success(&set, 7, 1);
	upstream_set_failure(&set, 7, 1000);
}

/* Servers with equal srtt share the load: each comes first sometimes. */
static void
test_set_close_ones_randomised(void **state)
{
	struct upstream_set set;
	size_t order[2];
	int i, first[2] = {0, 0};

	(void)state;
	make_set(&set, 2);
	for (i = 0; i < 200; i++) {
		upstream_set_order(&set, 0, order, 2);
		first[order[0]]++;
	}
	assert_true(first[0] > 10);
	assert_true(first[1] > 10);
}

static void
test_set_backoff_and_recovery(void **state)
{
	struct upstream_set set;
	size_t order[2];
	uint64_t now = 100000, span;
	int i;

	(void)state;
	make_set(&set, 2);
	set.servers[0].srtt_ms = 5;
	set.servers[1].srtt_ms = 500;
	upstream_set_failure(&set, 0, now);
	assert_int_equal(set.servers[0].fails, 1);
	assert_int_equal(set.servers[0].down_until_ms, now + 200);
	/* down: the slow one first, the dead one as last resort */
	assert_int_equal(upstream_set_order(&set, now + 1, order, 2), 2);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
	/* back-off doubles: 200, 400, 800 ... capped at 30 s */
	upstream_set_failure(&set, 0, now);
	assert_int_equal(set.servers[0].down_until_ms, now + 400);
	upstream_set_failure(&set, 0, now);
	assert_int_equal(set.servers[0].down_until_ms, now + 800);
	for (i = 0; i < 40; i++)
		upstream_set_failure(&set, 0, now);
	span = set.servers[0].down_until_ms - now;
	assert_int_equal(span, 30000);
	assert_int_equal(set.servers[0].errors, 43);
	/* after the back-off it is probed again (healthy, by srtt) */
	upstream_set_order(&set, now + 30000, order, 2);
	assert_int_equal(set.servers[0].down_until_ms, now + 30000);
	assert_int_equal(order[1] + order[0], 1);
	/* one answer clears the failure state */
	upstream_set_success(&set, 0, 5);
	assert_int_equal(set.servers[0].fails, 0);
	assert_int_equal(set.servers[0].down_until_ms, 0);
	/* both down (0 failing for longer than the 2 s grace it gets for
	 * having answered): the one back first leads */
	upstream_set_failure(&set, 0, now);
	upstream_set_failure(&set, 0, now + 2500);
	assert_int_equal(set.servers[0].down_until_ms, now + 2500 + 400);
	upstream_set_failure(&set, 1, now + 2500);
	assert_int_equal(upstream_set_order(&set, now + 2500, order, 2), 2);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
}

/*
 * Head-of-line blocking (upfail): server 0 answers, server 1 is dead.
 *  - a burst of per-name timeouts at 0, right after it answered, only
 *    counts (no back-off, srtt kept), so 0 still leads once 1's back-off
 *    expired;
 *  - an answer starts a new grace; failures within 2 s of the first one
 *    are forgiven, the next one after that backs off (it stopped
 *    answering);
 *  - a server that never answered is backed off at once, and its back-off
 *    keeps doubling while it keeps failing.
 */
static void
test_set_no_head_of_line(void **state)
{
	struct upstream_set set;
	size_t order[2];
	uint64_t now = 500000;
	uint32_t srtt;
	int i;

	(void)state;
	make_set(&set, 2);
	upstream_set_failure(&set, 1, now - 1000); /* never answered */
	assert_int_equal(set.servers[1].down_until_ms, now - 1000 + 200);
	upstream_set_failure(&set, 1, now - 500);
	assert_int_equal(set.servers[1].down_until_ms, now - 500 + 400);
	for (i = 0; i < 5; i++)
		upstream_set_success(&set, 0, 2);
	srtt = set.servers[0].srtt_ms;
	for (i = 0; i < 11; i++)
		upstream_set_failure(&set, 0, now + (uint64_t)i);
	assert_int_equal(set.servers[0].down_until_ms, 0);
	assert_int_equal(set.servers[0].fails, 11);
	assert_int_equal(set.servers[0].errors, 11);
	assert_int_equal(set.servers[0].srtt_ms, srtt);
	for (i = 0; i < 20; i++) {
		upstream_set_order(&set, now + 200, order, 2);
		assert_int_equal(order[0], 0);
	}
	/* still within 2 s of the first failure: forgiven */
	upstream_set_failure(&set, 0, now + 1999);
	assert_int_equal(set.servers[0].down_until_ms, 0);
	/* no answer for longer: backed off, 11 doublings capped at 30 s */
	upstream_set_failure(&set, 0, now + 2000);
	assert_int_equal(set.servers[0].down_until_ms, now + 2000 + 30000);
	upstream_set_order(&set, now + 2001, order, 2);
	assert_int_equal(order[0], 1);
	/* one answer: a new grace from the next failure on */
	upstream_set_success(&set, 0, 2);
	upstream_set_failure(&set, 0, now + 60000);
	upstream_set_failure(&set, 0, now + 60100);
	assert_int_equal(set.servers[0].down_until_ms, 0);
	/* the dead one: still doubling while it keeps failing */
	upstream_set_failure(&set, 1, now + 60000);
	assert_int_equal(set.servers[1].down_until_ms, now + 60000 + 800);
	upstream_set_failure(&set, 1, now + 61000);
	assert_int_equal(set.servers[1].down_until_ms, now + 61000 + 1600);
	/* a time going backwards is not a reason to forgive */
	upstream_set_success(&set, 0, 2);
	upstream_set_failure(&set, 0, now + 70000);
	upstream_set_failure(&set, 0, now + 10);
	assert_int_equal(set.servers[0].down_until_ms, now + 10 + 400);
}

/* EDNS fallback (RFC 6891 §7) expires after 900 s, then EDNS is tried
 * again; a second FORMERR starts a new period; a flag set directly (no
 * expiry recorded) stays; out-of-range indices are harmless. */
static void
test_set_no_edns_expiry(void **state)
{
	struct upstream_set set;
	uint64_t now = 1000000;

	(void)state;
	make_set(&set, 2);
	assert_true(upstream_set_has_edns(&set, 0, now));
	upstream_set_no_edns(&set, 0, now);
	assert_true(set.servers[0].no_edns);
	assert_false(upstream_set_has_edns(&set, 0, now));
	assert_false(upstream_set_has_edns(&set, 0, now + 899999));
	assert_true(upstream_set_has_edns(&set, 0, now + 900000));
	assert_true(upstream_set_has_edns(&set, 1, now)); /* per server */
	upstream_set_no_edns(&set, 0, now + 900000);
	assert_false(upstream_set_has_edns(&set, 0, now + 900001));
	assert_true(upstream_set_has_edns(&set, 0, now + 1800000));
	set.servers[1].no_edns = true;
	assert_false(upstream_set_has_edns(&set, 1, now + 100000000));
	upstream_set_no_edns(&set, 9, now);
	assert_true(upstream_set_has_edns(&set, 9, now));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query_build_edns),
	    cmocka_unit_test(test_query_build_no_edns_cd),
	    cmocka_unit_test(test_reply_accept),
	    cmocka_unit_test(test_reply_check_mi),
	    cmocka_unit_test(test_reply_wrong_id),
	    cmocka_unit_test(test_reply_missing_qr_or_opcode),
	    cmocka_unit_test(test_reply_wrong_question),
	    cmocka_unit_test(test_reply_truncated_or_garbage),
	    cmocka_unit_test(test_reply_tc),
	    cmocka_unit_test(test_reply_formerr_notimp),
	    cmocka_unit_test(test_reply_servfail_refused),
	    cmocka_unit_test(test_set_init),
	    cmocka_unit_test(test_set_srtt_order_and_ewma),
	    cmocka_unit_test(test_set_close_ones_randomised),
	    cmocka_unit_test(test_set_backoff_and_recovery),
	    cmocka_unit_test(test_set_no_head_of_line),
	    cmocka_unit_test(test_set_no_edns_expiry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
