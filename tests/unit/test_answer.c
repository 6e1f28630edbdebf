/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for answer: every output is parsed back with ldns_wire2pkt
 * and its sections, flags, TTLs, question case and OPT checked.
 * Upstream replies for chased links are built with ldns (which
 * compresses names, so the re-encoding is exercised).
 *
 * Corner cases: UDP limits (no EDNS, small, large); error answers with
 * and without a question, opcode echo, BADVERS in the OPT; local answers
 * with the client's 0x20 case echoed in the question and every owner;
 * NXDOMAIN/NODATA SOA owner (the apex suffix of the question) and TTL
 * min(SOA TTL, MINIMUM); OPT only when asked, DO echoed; truncation to
 * max_size with TC; a buffer too small (-1); alias flattening through a
 * CNAME chain with TTL = min over the chain; alias NXDOMAIN -> NODATA
 * with the link's SOA; target SERVFAIL -> SERVFAIL; cname mode with the
 * target's rcode and SOA; a compressed MX in a chased answer; relay ID,
 * case, RD/CD, OPT stripped or added, truncation, wrong question.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <ldns/ldns.h>

#include "linkshim/answer.h"
#include "linkshim/query.h"

#define TARGET "vpce-1.svc.us-west-2.vpce.amazonaws.com."

static char *v_www[] = {"10.0.0.1", "10.0.0.2"};
static char *v_mx[] = {"10 mx"}; /* relative: mx.corp.example. */
static char *v_cn[] = {"WWW.corp.example."};
static char *v_cnx[] = {"elsewhere.example.net."};
static struct conf_rrset rrsets[] = {
    {"www.corp.example.", 1, 300, v_www, 2, ""},
    {"a.b.corp.example.", 15, 300, v_mx, 1, ""},
    {"cn.corp.example.", 5, 120, v_cn, 1, ""},
    {"cnx.corp.example.", 5, 120, v_cnx, 1, ""},
};
static struct conf_zone zones[] = {
    {"corp.example.", "Z1", "", 30, 900, rrsets, 4},
};
static struct conf_ip addrs[1];
static struct conf_link links[] = {
    {"alias.link.test.", TARGET, LINK_MODE_ALIAS, 60, NULL, 0, NULL, 0},
    {"cname.link.test.", TARGET, LINK_MODE_CNAME, 30, NULL, 0, NULL, 0},
    {"static.link.test.", "", LINK_MODE_STATIC, 10, NULL, 0, addrs, 1},
    {"db.corp.example.", TARGET, LINK_MODE_ALIAS, 45, NULL, 0, NULL, 0},
};

struct msg {
	uint8_t b[4096];
	size_t len;
	struct dns_msginfo mi;
};

static int
setup(void **state)
{
	struct zonetab *zt = NULL;
	struct errbuf err = {""};

	addrs[0].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.7", addrs[0].addr);
	if (zonetab_build(links, 4, zones, 1, NULL, 0, "", &zt, &err) != 0)
		fail_msg("build: %s", err.msg);
	*state = zt;
	return 0;
}

static int
teardown(void **state)
{
	zonetab_free(*state);
	return 0;
}

/* A client query, checked; flags: extra header flags (RD, CD). */
static void
mkq(struct msg *m, const char *name, ldns_rr_type t, bool edns, bool do_bit,
    uint16_t flags)
{
	ldns_pkt *p = NULL;
	uint8_t *w = NULL;
	size_t n = 0;

	assert_int_equal(
	    ldns_pkt_query_new_frm_str(&p, name, t, LDNS_RR_CLASS_IN, 0),
	    LDNS_STATUS_OK);
	ldns_pkt_set_id(p, 0x4242);
	ldns_pkt_set_rd(p, (flags & DNS_FLAG_RD) != 0);
	ldns_pkt_set_cd(p, (flags & DNS_FLAG_CD) != 0);
	if (edns) {
		ldns_pkt_set_edns_udp_size(p, 4096);
		ldns_pkt_set_edns_do(p, do_bit);
		ldns_pkt_set_edns_data(
		    p, ldns_rdf_new_frm_str(LDNS_RDF_TYPE_HEX, ""));
	}
	assert_int_equal(ldns_pkt2wire(&w, p, &n), LDNS_STATUS_OK);
	memcpy(m->b, w, n);
	m->len = n;
	free(w);
	ldns_pkt_free(p);
	assert_int_equal(query_check(m->b, m->len, &m->mi), 0);
	assert_int_equal(m->mi.edns.present, edns);
}

static ldns_pkt *
parse(const uint8_t *b, int n)
{
	ldns_pkt *p = NULL;

	assert_true(n > 0);
	assert_int_equal(ldns_wire2pkt(&p, b, (size_t)n), LDNS_STATUS_OK);
	return p;
}

static void
assert_owner(const ldns_rr *rr, const char *want)
{
	char *s = ldns_rdf2str(ldns_rr_owner(rr));

	assert_string_equal(s, want);
	free(s);
}

static void
assert_rdf(const ldns_rr *rr, size_t i, const char *want)
{
	char *s = ldns_rdf2str(ldns_rr_rdf(rr, i));

	assert_string_equal(s, want);
	free(s);
}

static void
local(const struct zonetab *zt, struct msg *q, uint8_t *out, size_t cap,
    size_t max, int *n)
{
	struct zt_result r;

	zonetab_lookup(zt, &q->mi.q, &r);
	assert_int_equal(r.action, ZT_LOCAL);
	*n = answer_local(q->b, q->len, &q->mi, &r, out, cap, max);
}

static void
test_udp_limit(void **state)
{
	struct dns_msginfo mi;

	(void)state;
	memset(&mi, 0, sizeof(mi));
	assert_int_equal(answer_udp_limit(&mi), 512);
	mi.edns.present = true;
	mi.edns.udp_size = 4096;
	assert_int_equal(answer_udp_limit(&mi), 1232);
	mi.edns.udp_size = 700;
	assert_int_equal(answer_udp_limit(&mi), 700);
	mi.edns.udp_size = 100;
	assert_int_equal(answer_udp_limit(&mi), 512);
}

static void
test_error(void **state)
{
	struct msg q;
	uint8_t out[512];
	ldns_pkt *p;
	int n;

	(void)state;
	mkq(&q, "WwW.Example.", LDNS_RR_TYPE_A, false, false, DNS_FLAG_RD);
	n = answer_error(q.b, q.len, &q.mi, 1, out, sizeof(out));
	p = parse(out, n);
	assert_int_equal(ldns_pkt_id(p), 0x4242);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_FORMERR);
	assert_true(ldns_pkt_qr(p) && ldns_pkt_ra(p) && ldns_pkt_rd(p));
	assert_false(ldns_pkt_aa(p));
	assert_int_equal(ldns_pkt_qdcount(p), 1);
	assert_owner(ldns_rr_list_rr(ldns_pkt_question(p), 0), "WwW.Example.");
	assert_false(ldns_pkt_edns(p));
	ldns_pkt_free(p);
	/* BADVERS: extended rcode 16 = OPT upper bits 1, header 0 */
	mkq(&q, "x.example.", LDNS_RR_TYPE_A, true, true, 0);
	n = answer_error(
	    q.b, q.len, &q.mi, QUERY_RCODE_BADVERS, out, sizeof(out));
	p = parse(out, n);
	assert_int_equal(ldns_pkt_get_rcode(p), 0);
	assert_true(ldns_pkt_edns(p));
	assert_int_equal(ldns_pkt_edns_extended_rcode(p), 1);
	assert_int_equal(ldns_pkt_edns_udp_size(p), 1232);
	assert_true(ldns_pkt_edns_do(p));
	ldns_pkt_free(p);
	/* NOTIMP echoes the opcode; no question when none parsed */
	q.b[2] = (uint8_t)((q.b[2] & 0x87) | (4 << 3));
	q.mi.flags = dnswire_get16(q.b + 2);
	q.mi.has_question = false;
	q.mi.edns.present = false;
	n = answer_error(q.b, q.len, &q.mi, 4, out, sizeof(out));
	assert_int_equal(n, 12);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_get_opcode(p), LDNS_PACKET_NOTIFY);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NOTIMPL);
	assert_int_equal(ldns_pkt_qdcount(p), 0);
	ldns_pkt_free(p);
	assert_int_equal(answer_error(q.b, 5, &q.mi, 1, out, sizeof(out)), -1);
	assert_int_equal(answer_error(q.b, q.len, &q.mi, 1, out, 11), -1);
}

static void
test_local_positive(void **state)
{
	struct msg q;
	uint8_t out[512];
	ldns_pkt *p;
	ldns_rr *rr;
	int n;

	mkq(&q, "WwW.Corp.EXAMPLE.", LDNS_RR_TYPE_A, false, false,
	    DNS_FLAG_RD | DNS_FLAG_CD);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_id(p), 0x4242);
	assert_true(ldns_pkt_qr(p) && ldns_pkt_aa(p) && ldns_pkt_ra(p));
	assert_true(ldns_pkt_rd(p) && ldns_pkt_cd(p));
	assert_false(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_get_rcode(p), 0);
	assert_int_equal(ldns_pkt_ancount(p), 2);
	assert_int_equal(ldns_pkt_nscount(p), 0);
	assert_false(ldns_pkt_edns(p));
	assert_owner(
	    ldns_rr_list_rr(ldns_pkt_question(p), 0), "WwW.Corp.EXAMPLE.");
	rr = ldns_rr_list_rr(ldns_pkt_answer(p), 1);
	assert_owner(rr, "WwW.Corp.EXAMPLE.");
	assert_int_equal(ldns_rr_ttl(rr), 300);
	assert_rdf(rr, 0, "10.0.0.2");
	ldns_pkt_free(p);
	/* with EDNS: OPT echoed, DO copied */
	mkq(&q, "www.corp.example.", LDNS_RR_TYPE_A, true, true, 0);
	local(*state, &q, out, sizeof(out), 1232, &n);
	p = parse(out, n);
	assert_true(ldns_pkt_edns(p));
	assert_true(ldns_pkt_edns_do(p));
	assert_int_equal(ldns_pkt_edns_udp_size(p), 1232);
	assert_false(ldns_pkt_rd(p));
	ldns_pkt_free(p);
	/* static link, apex SOA of a link's own zone, zone MX */
	mkq(&q, "Static.Link.Test.", LDNS_RR_TYPE_A, false, false, 0);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	rr = ldns_rr_list_rr(ldns_pkt_answer(p), 0);
	assert_rdf(rr, 0, "192.0.2.7");
	assert_int_equal(ldns_rr_ttl(rr), 10);
	ldns_pkt_free(p);
	mkq(&q, "alias.link.test.", LDNS_RR_TYPE_SOA, false, false, 0);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	rr = ldns_rr_list_rr(ldns_pkt_answer(p), 0);
	assert_int_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_SOA);
	assert_owner(rr, "alias.link.test.");
	assert_rdf(rr, 0, "ns.linkshim.invalid.");
	assert_rdf(rr, 6, "60");
	ldns_pkt_free(p);
	mkq(&q, "A.B.corp.example.", LDNS_RR_TYPE_MX, false, false, 0);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	assert_rdf(
	    ldns_rr_list_rr(ldns_pkt_answer(p), 0), 1, "mx.corp.example.");
	ldns_pkt_free(p);
}

static void
test_local_cname_chain(void **state)
{
	struct msg q;
	uint8_t out[512];
	ldns_pkt *p;
	ldns_rr *rr;
	int n;

	/* target in the same zone: its A RRset follows the CNAME */
	mkq(&q, "CN.corp.example.", LDNS_RR_TYPE_A, false, false, 0);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_ancount(p), 3);
	rr = ldns_rr_list_rr(ldns_pkt_answer(p), 0);
	assert_int_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_CNAME);
	assert_owner(rr, "CN.corp.example.");
	assert_rdf(rr, 0, "WWW.corp.example.");
	rr = ldns_rr_list_rr(ldns_pkt_answer(p), 2);
	assert_int_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_A);
	assert_owner(rr, "WWW.corp.example.");
	assert_rdf(rr, 0, "10.0.0.2");
	ldns_pkt_free(p);
	/* the target has no AAAA, or CNAME asked, or target elsewhere:
	 * the CNAME alone */
	mkq(&q, "cn.corp.example.", LDNS_RR_TYPE_AAAA, false, false, 0);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	ldns_pkt_free(p);
	mkq(&q, "cn.corp.example.", LDNS_RR_TYPE_CNAME, false, false, 0);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	ldns_pkt_free(p);
	mkq(&q, "cnx.corp.example.", LDNS_RR_TYPE_A, false, false, 0);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	assert_rdf(ldns_rr_list_rr(ldns_pkt_answer(p), 0), 0,
	    "elsewhere.example.net.");
	ldns_pkt_free(p);
}

static void
test_local_negative(void **state)
{
	struct msg q;
	uint8_t out[512];
	ldns_pkt *p;
	ldns_rr *rr;
	int n;

	mkq(&q, "Nope.CORP.example.", LDNS_RR_TYPE_A, true, false, 0);
	local(*state, &q, out, sizeof(out), 1232, &n);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	assert_true(ldns_pkt_aa(p));
	assert_int_equal(ldns_pkt_ancount(p), 0);
	assert_int_equal(ldns_pkt_nscount(p), 1);
	rr = ldns_rr_list_rr(ldns_pkt_authority(p), 0);
	assert_int_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_SOA);
	assert_owner(rr, "CORP.example.");
	assert_int_equal(ldns_rr_ttl(rr), 30); /* min(900, 30) */
	assert_rdf(rr, 6, "30");
	assert_true(ldns_pkt_edns(p));
	ldns_pkt_free(p);
	/* empty non-terminal: NODATA */
	mkq(&q, "b.corp.example.", LDNS_RR_TYPE_MX, false, false, 0);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_get_rcode(p), 0);
	assert_int_equal(ldns_pkt_ancount(p), 0);
	assert_int_equal(ldns_pkt_nscount(p), 1);
	ldns_pkt_free(p);
	/* NXDOMAIN below an alias link: SOA owner is the link */
	mkq(&q, "x.y.Alias.link.test.", LDNS_RR_TYPE_A, false, false, 0);
	local(*state, &q, out, sizeof(out), 512, &n);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	assert_owner(
	    ldns_rr_list_rr(ldns_pkt_authority(p), 0), "Alias.link.test.");
	ldns_pkt_free(p);
}

static void
test_local_truncation(void **state)
{
	struct msg q;
	uint8_t out[512];
	ldns_pkt *p;
	int n;

	mkq(&q, "www.corp.example.", LDNS_RR_TYPE_A, true, false, 0);
	local(*state, &q, out, sizeof(out), 60, &n);
	p = parse(out, n);
	assert_true(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_qdcount(p), 1);
	assert_int_equal(ldns_pkt_ancount(p), 0);
	assert_true(ldns_pkt_edns(p));
	ldns_pkt_free(p);
	/* the buffer cannot even hold header + question */
	local(*state, &q, out, 20, 512, &n);
	assert_int_equal(n, -1);
}

/* An upstream reply for qname/qtype with the given answer RRs. */
static size_t
mkreply(uint8_t *b, const char *qname, ldns_rr_type t, ldns_pkt_rcode rc,
    const char **an, const char **ns)
{
	ldns_pkt *p = NULL;
	ldns_rr *rr;
	uint8_t *w = NULL;
	size_t n = 0;

	assert_int_equal(
	    ldns_pkt_query_new_frm_str(&p, qname, t, LDNS_RR_CLASS_IN, 0),
	    LDNS_STATUS_OK);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_rcode(p, (uint8_t)rc);
	for (; an && *an; an++) {
		assert_int_equal(ldns_rr_new_frm_str(&rr, *an, 0, NULL, NULL),
		    LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	for (; ns && *ns; ns++) {
		assert_int_equal(ldns_rr_new_frm_str(&rr, *ns, 0, NULL, NULL),
		    LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, rr);
	}
	assert_int_equal(ldns_pkt2wire(&w, p, &n), LDNS_STATUS_OK);
	memcpy(b, w, n);
	free(w);
	ldns_pkt_free(p);
	return n;
}

static int
chased(const struct zonetab *zt, struct msg *q, const uint8_t *tr, size_t tl,
    uint8_t *out, size_t max)
{
	struct zt_result r;

	zonetab_lookup(zt, &q->mi.q, &r);
	assert_int_equal(r.action, ZT_CHASE);
	return answer_chased(q->b, q->len, &q->mi, &r, tr, tl, out, 4096, max);
}

static void
test_chased_alias(void **state)
{
	static const char *an[] = {
	    TARGET " 100 IN CNAME t2.elb.example.",
	    "t2.elb.example. 20 IN CNAME t3.elb.example.",
	    "t3.elb.example. 50 IN A 10.1.0.1",
	    "t3.elb.example. 40 IN A 10.1.0.2",
	    "other.example. 5 IN A 10.9.9.9",
	    NULL,
	};
	struct msg q;
	uint8_t tr[1024], out[4096];
	ldns_pkt *p;
	ldns_rr *rr;
	size_t tl;
	int n, i;

	mkq(&q, "ALIAS.link.test.", LDNS_RR_TYPE_A, true, false, DNS_FLAG_RD);
	tl = mkreply(tr, TARGET, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, an, NULL);
	n = chased(*state, &q, tr, tl, out, 1232);
	p = parse(out, n);
	assert_true(ldns_pkt_aa(p) && ldns_pkt_rd(p) && ldns_pkt_ra(p));
	assert_int_equal(ldns_pkt_ancount(p), 2);
	for (i = 0; i < 2; i++) {
		rr = ldns_rr_list_rr(ldns_pkt_answer(p), (size_t)i);
		assert_owner(rr, "ALIAS.link.test.");
		assert_int_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_A);
		assert_int_equal(ldns_rr_ttl(rr), 20);
	}
	assert_true(ldns_pkt_edns(p));
	ldns_pkt_free(p);
	/* target NXDOMAIN: NODATA with the link's SOA */
	tl = mkreply(
	    tr, TARGET, LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, NULL, NULL);
	n = chased(*state, &q, tr, tl, out, 1232);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_get_rcode(p), 0);
	assert_int_equal(ldns_pkt_ancount(p), 0);
	rr = ldns_rr_list_rr(ldns_pkt_authority(p), 0);
	assert_owner(rr, "ALIAS.link.test.");
	assert_int_equal(ldns_rr_ttl(rr), 60);
	ldns_pkt_free(p);
	/* in-zone alias link, NODATA: the zone's apex SOA */
	mkq(&q, "db.Corp.example.", LDNS_RR_TYPE_AAAA, false, false, 0);
	tl = mkreply(
	    tr, TARGET, LDNS_RR_TYPE_AAAA, LDNS_RCODE_NOERROR, NULL, NULL);
	n = chased(*state, &q, tr, tl, out, 512);
	p = parse(out, n);
	rr = ldns_rr_list_rr(ldns_pkt_authority(p), 0);
	assert_owner(rr, "Corp.example.");
	assert_int_equal(ldns_rr_ttl(rr), 30);
	ldns_pkt_free(p);
	/* SERVFAIL upstream, garbage upstream */
	tl = mkreply(
	    tr, TARGET, LDNS_RR_TYPE_AAAA, LDNS_RCODE_SERVFAIL, NULL, NULL);
	n = chased(*state, &q, tr, tl, out, 512);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_SERVFAIL);
	ldns_pkt_free(p);
	n = chased(*state, &q, tr, 7, out, 512);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_SERVFAIL);
	ldns_pkt_free(p);
}

static void
test_chased_cname(void **state)
{
	static const char *an[] = {
	    TARGET " 100 IN A 10.1.0.1",
	    TARGET " 100 IN A 10.1.0.2",
	    NULL,
	};
	static const char *mx[] = {
	    TARGET " 100 IN MX 5 mail.svc.us-west-2.vpce.amazonaws.com.",
	    NULL,
	};
	static const char *soa[] = {
	    "amazonaws.com. 900 IN SOA ns.amazonaws.com. h.amazonaws.com. "
	    "1 2 3 4 60",
	    NULL,
	};
	struct msg q;
	uint8_t tr[1024], out[4096];
	ldns_pkt *p;
	ldns_rr *rr;
	size_t tl;
	int n;

	mkq(&q, "CName.link.test.", LDNS_RR_TYPE_A, false, false, 0);
	tl = mkreply(tr, TARGET, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, an, NULL);
	n = chased(*state, &q, tr, tl, out, 512);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_ancount(p), 3);
	rr = ldns_rr_list_rr(ldns_pkt_answer(p), 0);
	assert_int_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_CNAME);
	assert_owner(rr, "CName.link.test.");
	assert_int_equal(ldns_rr_ttl(rr), 30);
	assert_rdf(rr, 0, TARGET);
	rr = ldns_rr_list_rr(ldns_pkt_answer(p), 2);
	assert_owner(rr, TARGET);
	assert_int_equal(ldns_rr_ttl(rr), 100);
	assert_rdf(rr, 0, "10.1.0.2");
	assert_true(ldns_pkt_aa(p));
	ldns_pkt_free(p);
	/* MX with a compressed exchange: decompressed on the way */
	mkq(&q, "cname.link.test.", LDNS_RR_TYPE_MX, false, false, 0);
	tl = mkreply(tr, TARGET, LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, mx, NULL);
	n = chased(*state, &q, tr, tl, out, 512);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_ancount(p), 2);
	assert_rdf(ldns_rr_list_rr(ldns_pkt_answer(p), 1), 1,
	    "mail.svc.us-west-2.vpce.amazonaws.com.");
	ldns_pkt_free(p);
	/* NXDOMAIN stays NXDOMAIN (RFC 6604), target SOA kept */
	tl = mkreply(
	    tr, TARGET, LDNS_RR_TYPE_MX, LDNS_RCODE_NXDOMAIN, NULL, soa);
	n = chased(*state, &q, tr, tl, out, 512);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	assert_int_equal(ldns_pkt_ancount(p), 1);
	assert_int_equal(ldns_pkt_nscount(p), 1);
	assert_owner(
	    ldns_rr_list_rr(ldns_pkt_authority(p), 0), "amazonaws.com.");
	ldns_pkt_free(p);
	/* truncation */
	mkq(&q, "cname.link.test.", LDNS_RR_TYPE_A, true, false, 0);
	tl = mkreply(tr, TARGET, LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, an, NULL);
	n = chased(*state, &q, tr, tl, out, 80);
	p = parse(out, n);
	assert_true(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_ancount(p), 0);
	assert_true(ldns_pkt_edns(p));
	ldns_pkt_free(p);
}

static void
test_relay(void **state)
{
	static const char *an[] = {
	    "www.example.org. 300 IN A 10.2.0.1",
	    "www.example.org. 300 IN A 10.2.0.2",
	    NULL,
	};
	struct msg q, up;
	uint8_t tr[1024], out[1024];
	ldns_pkt *p;
	size_t tl;
	int n;

	(void)state;
	mkq(&q, "WWW.example.ORG.", LDNS_RR_TYPE_A, false, false,
	    DNS_FLAG_RD | DNS_FLAG_CD);
	/* the upstream reply carries an OPT: build it from an EDNS query */
	mkq(&up, "www.example.org.", LDNS_RR_TYPE_A, true, false, 0);
	tl = mkreply(tr, "www.example.org.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR,
	    an, NULL);
	memcpy(tr + tl, "\0\0\51\x10\0\0\0\0\0\0\0", 11);
	tr[11] = 1;
	tl += 11;
	n = answer_relay(q.b, q.len, &q.mi, tr, tl, out, sizeof(out), 512);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_id(p), 0x4242);
	assert_true(ldns_pkt_rd(p) && ldns_pkt_cd(p) && ldns_pkt_ra(p));
	assert_false(ldns_pkt_edns(p)); /* stripped */
	assert_int_equal(ldns_pkt_arcount(p), 0);
	assert_int_equal(ldns_pkt_ancount(p), 2);
	assert_owner(
	    ldns_rr_list_rr(ldns_pkt_question(p), 0), "WWW.example.ORG.");
	/* answer owners compressed to the question follow its case */
	assert_owner(
	    ldns_rr_list_rr(ldns_pkt_answer(p), 0), "WWW.example.ORG.");
	ldns_pkt_free(p);
	/* client with EDNS, reply without OPT: ours is added */
	tl -= 11;
	tr[11] = 0;
	n = answer_relay(up.b, up.len, &up.mi, tr, tl, out, sizeof(out), 1232);
	p = parse(out, n);
	assert_true(ldns_pkt_edns(p));
	assert_int_equal(ldns_pkt_edns_udp_size(p), 1232);
	ldns_pkt_free(p);
	/* the upstream's AA is not relayed (RFC 1035 §4.1.1) */
	tr[2] |= DNS_FLAG_AA >> 8;
	n = answer_relay(up.b, up.len, &up.mi, tr, tl, out, sizeof(out), 1232);
	p = parse(out, n);
	assert_false(ldns_pkt_aa(p));
	assert_true(ldns_pkt_qr(p) && ldns_pkt_ra(p));
	assert_int_equal(ldns_pkt_ancount(p), 2);
	ldns_pkt_free(p);
	/* truncation (AA still set upstream: cleared here too) */
	n = answer_relay(up.b, up.len, &up.mi, tr, tl, out, sizeof(out), 60);
	p = parse(out, n);
	assert_false(ldns_pkt_aa(p));
	assert_true(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_ancount(p), 0);
	assert_int_equal(ldns_pkt_qdcount(p), 1);
	ldns_pkt_free(p);
	/* a reply for another name is not relayed */
	mkq(&q, "www.example.com.", LDNS_RR_TYPE_A, false, false, 0);
	assert_int_equal(
	    answer_relay(q.b, q.len, &q.mi, tr, tl, out, sizeof(out), 512), -1);
	assert_int_equal(
	    answer_relay(q.b, q.len, &q.mi, tr, 9, out, sizeof(out), 512), -1);
}

/* A cache hit relayed without a parse: the stored reply has no OPT and
 * the client's question up to case; AA is kept only on our own answers. */
static void
test_relay_cached(void **state)
{
	const char *an[] = {
	    "www.example.org. 300 IN A 10.2.0.1",
	    NULL,
	};
	struct msg q, e;
	uint8_t tr[1024], out[1024];
	ldns_pkt *p;
	size_t tl;
	int n;

	(void)state;
	tl = mkreply(tr, "www.example.org.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR,
	    an, NULL);
	tr[2] |= DNS_FLAG_AA >> 8;
	mkq(&q, "WWW.example.ORG.", LDNS_RR_TYPE_A, false, false,
	    DNS_FLAG_RD | DNS_FLAG_CD);
	n = answer_relay_cached(
	    q.b, q.len, &q.mi, tr, tl, false, out, sizeof(out), 512);
	assert_int_equal(n, (int)tl);
	p = parse(out, n);
	assert_int_equal(ldns_pkt_id(p), 0x4242);
	assert_true(ldns_pkt_rd(p) && ldns_pkt_cd(p) && ldns_pkt_ra(p));
	assert_false(ldns_pkt_aa(p));
	assert_false(ldns_pkt_edns(p));
	assert_owner(
	    ldns_rr_list_rr(ldns_pkt_question(p), 0), "WWW.example.ORG.");
	assert_owner(
	    ldns_rr_list_rr(ldns_pkt_answer(p), 0), "WWW.example.ORG.");
	ldns_pkt_free(p);
	/* an EDNS client gets our OPT */
	mkq(&e, "www.example.org.", LDNS_RR_TYPE_A, true, false, 0);
	n = answer_relay_cached(
	    e.b, e.len, &e.mi, tr, tl, false, out, sizeof(out), 1232);
	assert_int_equal(n, (int)tl + 11);
	p = parse(out, n);
	assert_true(ldns_pkt_edns(p));
	assert_int_equal(ldns_pkt_edns_udp_size(p), 1232);
	assert_int_equal(ldns_pkt_arcount(p), 0); /* ldns counts OPT apart */
	assert_int_equal(ldns_pkt_ancount(p), 1);
	ldns_pkt_free(p);
	/* too big for the client: TC, no records, question kept */
	n = answer_relay_cached(
	    e.b, e.len, &e.mi, tr, tl, false, out, sizeof(out), 40);
	p = parse(out, n);
	assert_true(ldns_pkt_tc(p));
	assert_int_equal(ldns_pkt_ancount(p), 0);
	assert_int_equal(ldns_pkt_qdcount(p), 1);
	ldns_pkt_free(p);
	/* our own (composed) answer keeps AA */
	n = answer_relay_cached(
	    q.b, q.len, &q.mi, tr, tl, true, out, sizeof(out), 512);
	p = parse(out, n);
	assert_true(ldns_pkt_aa(p));
	ldns_pkt_free(p);
	/* shorter than its question: refused */
	assert_int_equal(answer_relay_cached(q.b, q.len, &q.mi, tr, 20, false,
	                     out, sizeof(out), 512),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_udp_limit),
	    cmocka_unit_test(test_error),
	    cmocka_unit_test(test_relay_cached),
	    cmocka_unit_test_setup_teardown(
	        test_local_positive, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_local_cname_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_local_negative, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_local_truncation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chased_alias, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chased_cname, setup, teardown),
	    cmocka_unit_test(test_relay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
