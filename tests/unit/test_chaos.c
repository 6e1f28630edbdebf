/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for src/core/chaos.c.  Corner cases: version.bind and
 * version.server (any case: the question's lname is compared), other
 * names, other types and class IN are not version queries; the answer
 * echoes ID and question case, sets QR/AA/RA, copies RD/CD, holds one CH
 * TXT record with the string, has an OPT only when the query had one (DO
 * copied), parses with ldns, and a too small buffer fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <ldns/ldns.h>

#include "linkshim/chaos.h"

/* A query for name (dotted, no trailing dot) CH TXT, optional OPT. */
static size_t
mkquery(uint8_t *buf, const char *name, uint16_t qclass, bool edns,
    struct dns_msginfo *mi)
{
	size_t off = DNS_HDR_LEN, qstart;
	const char *p = name, *dot;

	memset(buf, 0, 512);
	dnswire_put16(buf, 0x1234);
	dnswire_put16(buf + 2, DNS_FLAG_RD | DNS_FLAG_CD);
	dnswire_put16(buf + 4, 1);
	dnswire_put16(buf + 10, edns ? 1 : 0);
	qstart = off;
	while (*p != '\0') {
		dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		buf[off++] = (uint8_t)l;
		memcpy(buf + off, p, l);
		off += l;
		p += l + (dot ? 1 : 0);
	}
	buf[off++] = 0;
	memset(mi, 0, sizeof(*mi));
	mi->id = 0x1234;
	mi->flags = DNS_FLAG_RD | DNS_FLAG_CD;
	mi->qdcount = 1;
	mi->has_question = true;
	mi->q.namelen = off - qstart;
	memcpy(mi->q.name, buf + qstart, mi->q.namelen);
	memcpy(mi->q.lname, buf + qstart, mi->q.namelen);
	for (size_t i = 0; i < mi->q.namelen; i++)
		if (mi->q.lname[i] >= 'A' && mi->q.lname[i] <= 'Z')
			mi->q.lname[i] = (uint8_t)(mi->q.lname[i] + 32);
	mi->q.qtype = 16;
	mi->q.qclass = qclass;
	dnswire_put16(buf + off, 16);
	dnswire_put16(buf + off + 2, qclass);
	off += 4;
	mi->question_end = off;
	if (edns) {
		buf[off++] = 0;
		dnswire_put16(buf + off, 41);
		dnswire_put16(buf + off + 2, 1232);
		dnswire_put32(buf + off + 4, 0x8000);
		dnswire_put16(buf + off + 8, 0);
		off += 10;
		mi->arcount = 1;
		mi->edns.present = true;
		mi->edns.do_bit = true;
		mi->edns.udp_size = 1232;
	}
	return off;
}

static void
test_is_version(void **state)
{
	uint8_t q[512];
	struct dns_msginfo mi;

	(void)state;
	mkquery(q, "version.bind", 3, false, &mi);
	assert_true(chaos_is_version(&mi.q));
	mkquery(q, "VERSION.Server", 3, false, &mi);
	assert_true(chaos_is_version(&mi.q));
	mkquery(q, "hostname.bind", 3, false, &mi);
	assert_false(chaos_is_version(&mi.q));
	mkquery(q, "version.bind", 1, false, &mi);
	assert_false(chaos_is_version(&mi.q));
	mkquery(q, "version.bind", 3, false, &mi);
	mi.q.qtype = 1;
	assert_false(chaos_is_version(&mi.q));
}

static void
check_answer(bool edns)
{
	uint8_t q[512], out[512];
	struct dns_msginfo mi;
	ldns_pkt *pkt = NULL;
	ldns_rr *rr;
	size_t qlen;
	int n;
	char *txt;

	qlen = mkquery(q, "Version.BIND", 3, edns, &mi);
	n = chaos_answer_version(
	    q, qlen, &mi, "linkshim 1.0", out, sizeof(out));
	assert_true(n > 0);
	assert_int_equal(dnswire_get16(out), 0x1234);
	assert_int_equal(dnswire_get16(out + 2),
	    DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_RA | DNS_FLAG_RD |
	        DNS_FLAG_CD);
	assert_memory_equal(out + 12, "\7Version\4BIND", 13);
	assert_int_equal(ldns_wire2pkt(&pkt, out, (size_t)n), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_ancount(pkt), 1);
	rr = ldns_rr_list_rr(ldns_pkt_answer(pkt), 0);
	assert_int_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_TXT);
	assert_int_equal(ldns_rr_get_class(rr), LDNS_RR_CLASS_CH);
	txt = ldns_rdf2str(ldns_rr_rdf(rr, 0));
	assert_string_equal(txt, "\"linkshim 1.0\"");
	LDNS_FREE(txt);
	assert_int_equal(ldns_pkt_edns(pkt) ? 1 : 0, edns ? 1 : 0);
	if (edns)
		assert_true(ldns_pkt_edns_do(pkt));
	ldns_pkt_free(pkt);
}

static void
test_answer_plain(void **state)
{
	(void)state;
	check_answer(false);
}

static void
test_answer_edns(void **state)
{
	(void)state;
	check_answer(true);
}

static void
test_small_buffer(void **state)
{
	uint8_t q[512], out[40];
	struct dns_msginfo mi;
	size_t qlen;

	(void)state;
	qlen = mkquery(q, "version.bind", 3, true, &mi);
	assert_int_equal(
	    chaos_answer_version(q, qlen, &mi, "x", out, sizeof(out)), -1);
	mi.has_question = false;
	assert_int_equal(chaos_answer_version(q, qlen, &mi, "x", out, 40), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_is_version),
	    cmocka_unit_test(test_answer_plain),
	    cmocka_unit_test(test_answer_edns),
	    cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
