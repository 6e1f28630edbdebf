/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for the zone table: build from hand-filled conf structs
 * (the YAML loader is another module), then lookups.
 *
 * Corner cases: case folding of the question; longest zone and forward
 * match; a forward zone inside a local zone is ignored; the apex SOA/NS
 * are synthesized; NXDOMAIN below an existing name; empty non-terminal
 * NODATA; missing type NODATA; wildcard at the closest encloser, several
 * labels deep, and not for the wildcard's parent itself; links outside
 * zones (alias: own apex, NXDOMAIN below; cname: CNAME node, names below
 * forwarded; static: local A/AAAA); a wildcard link outside zones (apex =
 * the name asked); links inside a zone are records of it; zonal target
 * chosen by az; Route 53 alias record sets; a zone CNAME answers every
 * type; ANY picks one RRset; non-IN classes are not ours; conflicts
 * (same link twice, CNAME and other data, a record outside its zone, a
 * value that does not parse) fail the build with a message.
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

#include "core/zonetab_int.h"
#include "linkshim/zonetab.h"

#define LINK_TARGET "vpce-0ce9-ngbq.vpce-svc-0b62.us-west-2.vpce.amazonaws.com."
#define ZONAL_TARGET                                                           \
	"vpce-0ce9-ngbq-us-west-2a.vpce-svc-0b62.us-west-2.vpce.amazonaws."    \
	"com."

static char *v_www[] = {"10.0.0.1", "10.0.0.2"};
static char *v_txt[] = {"\"hello world\""};
static char *v_wild[] = {"10.9.9.9"};
static char *v_mx[] = {"10 mx"}; /* relative to the zone */
static char *v_cn[] = {"www.corp.example."};

static struct conf_rrset rrsets[] = {
    {"www.corp.example.", 1, 300, v_www, 2, ""},
    {"a.b.corp.example.", 16, 300, v_txt, 1, ""},
    {"*.wild.corp.example.", 1, 120, v_wild, 1, ""},
    {"mail.corp.example.", 15, 300, v_mx, 1, ""},
    {"alias.corp.example.", 1, 60, NULL, 0, "lb.elb.example."},
    {"cn.corp.example.", 5, 300, v_cn, 1, ""},
};

static struct conf_zone zones[] = {
    {"corp.example.", "Z1", "", 30, 900, rrsets,
        sizeof(rrsets) / sizeof(rrsets[0])},
};

static struct conf_zonal zonal[] = {{"us-west-2a", ZONAL_TARGET}};
static struct conf_ip addrs[2];

static struct conf_link links[] = {
    {"in01-abc.vectordb.example.com.", LINK_TARGET, LINK_MODE_ALIAS, 60, zonal,
        1, NULL, 0},
    {"in02.vectordb.example.com.", "vpce-x.amazonaws.com.", LINK_MODE_CNAME, 30,
        NULL, 0, NULL, 0},
    {"in01-dev.local.test.", "", LINK_MODE_STATIC, 10, NULL, 0, addrs, 2},
    {"*.wild.example.net.", LINK_TARGET, LINK_MODE_ALIAS, 60, NULL, 0, NULL, 0},
    {"db.corp.example.", LINK_TARGET, LINK_MODE_ALIAS, 45, NULL, 0, NULL, 0},
    {"st.corp.example.", "", LINK_MODE_STATIC, 20, NULL, 0, addrs, 1},
    {"cl.corp.example.", "vpce-y.amazonaws.com.", LINK_MODE_CNAME, 25, NULL, 0,
        NULL, 0},
};

static struct conf_forward fwds[] = {
    {"consul.", NULL, 0},
    {"service.consul.", NULL, 0},
    {"corp.example.", NULL, 0},
    {"example.com.", NULL, 0},
    {"b.corp.example.", NULL, 0},
};

static struct zonetab *
build(const char *az)
{
	struct zonetab *zt = NULL;
	struct errbuf err = {""};

	addrs[0].family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", addrs[0].addr);
	addrs[1].family = AF_INET6;
	inet_pton(AF_INET6, "::1", addrs[1].addr);
	if (zonetab_build(links, sizeof(links) / sizeof(links[0]), zones, 1,
	        fwds, sizeof(fwds) / sizeof(fwds[0]), az, &zt, &err) != 0)
		fail_msg("build: %s", err.msg);
	return zt;
}

static int
setup(void **state)
{
	*state = build("");
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	zonetab_free(*state);
	return 0;
}

/* presentation to wire without escapes (test names are plain) */
static size_t
wire(const char *s, uint8_t *w)
{
	size_t n = 0, l;
	const char *dot;

	while (*s != '\0' && strcmp(s, ".") != 0) {
		dot = strchr(s, '.');
		l = dot ? (size_t)(dot - s) : strlen(s);
		w[n++] = (uint8_t)l;
		memcpy(w + n, s, l);
		n += l;
		s += l + (dot ? 1 : 0);
	}
	w[n++] = 0;
	return n;
}

static void
lookup(const struct zonetab *zt, const char *name, uint16_t qtype,
    uint16_t qclass, struct zt_result *res)
{
	struct dns_question q;

	memset(&q, 0, sizeof(q));
	q.namelen = wire(name, q.name);
	memcpy(q.lname, q.name, q.namelen);
	dnswire_name_lower(q.lname, q.namelen);
	q.qtype = qtype;
	q.qclass = qclass;
	zonetab_lookup(zt, &q, res);
}

/* LOCAL result: the RRset type answered (0 = NODATA/NXDOMAIN) */
static uint16_t
local_type(
    const struct zonetab *zt, const char *name, uint16_t qtype, uint16_t *rcode)
{
	struct zt_result r;
	const struct zt_rrset *rs;

	lookup(zt, name, qtype, 1, &r);
	assert_int_equal(r.action, ZT_LOCAL);
	assert_non_null(r.node);
	*rcode = r.rcode;
	if (r.rcode != 0)
		return 0;
	rs = zonetab_node_rrset(r.node, qtype);
	return rs ? rs->type : 0;
}

static void
test_counts(void **state)
{
	assert_int_equal(zonetab_nlinks(*state), 7);
	assert_int_equal(zonetab_nzones(*state), 1);
	assert_int_equal(zonetab_nlinks(NULL), 0);
}

static void
test_zone_basics(void **state)
{
	const struct zonetab *zt = *state;
	uint16_t rc;
	struct zt_result r;
	const struct zt_rrset *rs;

	assert_int_equal(local_type(zt, "WWW.Corp.EXAMPLE.", 1, &rc), 1);
	assert_int_equal(rc, 0);
	lookup(zt, "www.corp.example.", 1, 1, &r);
	rs = zonetab_node_rrset(r.node, 1);
	assert_int_equal(rs->count, 2);
	assert_int_equal(rs->ttl, 300);
	assert_int_equal(rs->wire[0], 0xc0);
	assert_int_equal(rs->wire[1], 0x0c);
	/* missing type */
	assert_int_equal(local_type(zt, "www.corp.example.", 28, &rc), 0);
	assert_int_equal(rc, 0);
	/* apex: synthesized SOA and NS */
	assert_int_equal(local_type(zt, "corp.example.", 6, &rc), 6);
	assert_int_equal(local_type(zt, "corp.example.", 2, &rc), 2);
	assert_int_equal(local_type(zt, "corp.example.", 1, &rc), 0);
	/* NXDOMAIN */
	assert_int_equal(local_type(zt, "nope.corp.example.", 1, &rc), 0);
	assert_int_equal(rc, 3);
	assert_int_equal(local_type(zt, "x.www.corp.example.", 1, &rc), 0);
	assert_int_equal(rc, 3);
	/* empty non-terminal: NODATA (RFC 8020), even though a forward
	 * zone of that name was configured */
	assert_int_equal(local_type(zt, "b.corp.example.", 16, &rc), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(local_type(zt, "a.b.corp.example.", 16, &rc), 16);
	assert_int_equal(local_type(zt, "mail.corp.example.", 15, &rc), 15);
}

static void
test_zone_wildcard(void **state)
{
	const struct zonetab *zt = *state;
	uint16_t rc;

	assert_int_equal(local_type(zt, "x.wild.corp.example.", 1, &rc), 1);
	assert_int_equal(local_type(zt, "y.X.wild.corp.example.", 1, &rc), 1);
	assert_int_equal(local_type(zt, "x.wild.corp.example.", 16, &rc), 0);
	assert_int_equal(rc, 0);
	/* the wildcard's parent is an empty non-terminal */
	assert_int_equal(local_type(zt, "wild.corp.example.", 1, &rc), 0);
	assert_int_equal(rc, 0);
	/* the wildcard name itself */
	assert_int_equal(local_type(zt, "*.wild.corp.example.", 1, &rc), 1);
}

static void
test_zone_cname_alias(void **state)
{
	const struct zonetab *zt = *state;
	struct zt_result r;
	uint16_t rc;

	/* a CNAME record set answers every type (RFC 1034 §3.6.2) */
	assert_int_equal(local_type(zt, "cn.corp.example.", 1, &rc), 5);
	assert_int_equal(local_type(zt, "cn.corp.example.", 5, &rc), 5);
	/* Route 53 alias A: chased; no AAAA alias: NODATA */
	lookup(zt, "Alias.corp.example.", 1, 1, &r);
	assert_int_equal(r.action, ZT_CHASE);
	assert_int_equal(r.mode, LINK_MODE_ALIAS);
	assert_int_equal(r.chase_type, 1);
	assert_int_equal(r.ttl, 60);
	assert_int_equal(r.target_len, 16);
	assert_memory_equal(r.target, "\2lb\3elb\7example\0", 16);
	assert_int_equal(r.apex_off, 6); /* "alias." */
	assert_int_equal(r.soa_ttl, 900);
	assert_int_equal(r.soa_minimum, 30);
	assert_int_equal(local_type(zt, "alias.corp.example.", 28, &rc), 0);
}

static void
test_links_in_zone(void **state)
{
	const struct zonetab *zt = *state;
	struct zt_result r;
	uint16_t rc;

	lookup(zt, "db.corp.example.", 28, 1, &r);
	assert_int_equal(r.action, ZT_CHASE);
	assert_int_equal(r.chase_type, 28);
	assert_int_equal(r.ttl, 45);
	assert_int_equal(r.apex_off, 3);
	assert_int_equal(local_type(zt, "db.corp.example.", 16, &rc), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(local_type(zt, "db.corp.example.", 6, &rc), 0);
	assert_int_equal(local_type(zt, "st.corp.example.", 1, &rc), 1);
	assert_int_equal(local_type(zt, "st.corp.example.", 28, &rc), 0);
	lookup(zt, "cl.corp.example.", 16, 1, &r);
	assert_int_equal(r.action, ZT_CHASE);
	assert_int_equal(r.mode, LINK_MODE_CNAME);
	assert_int_equal(r.chase_type, 16);
	assert_int_equal(local_type(zt, "cl.corp.example.", 5, &rc), 5);
	assert_int_equal(local_type(zt, "x.cl.corp.example.", 5, &rc), 0);
	assert_int_equal(rc, 3);
}

static void
test_alias_link(void **state)
{
	const struct zonetab *zt = *state;
	struct zonetab *zt2;
	struct zt_result r;
	uint16_t rc;

	lookup(zt, "IN01-abc.vectordb.example.com.", 1, 1, &r);
	assert_int_equal(r.action, ZT_CHASE);
	assert_int_equal(r.mode, LINK_MODE_ALIAS);
	assert_int_equal(r.chase_type, 1);
	assert_int_equal(r.ttl, 60);
	assert_int_equal(r.apex_off, 0);
	assert_int_equal(r.soa_ttl, 60);
	assert_int_equal(r.soa_minimum, 60);
	assert_int_equal(r.target_len, strlen(LINK_TARGET) + 1);
	assert_memory_equal(r.target + 1, "vpce-0ce9-ngbq\x0d", 15);
	lookup(zt, "in01-abc.vectordb.example.com.", 28, 1, &r);
	assert_int_equal(r.action, ZT_CHASE);
	assert_int_equal(r.chase_type, 28);
	lookup(zt, "in01-abc.vectordb.example.com.", 255, 1, &r);
	assert_int_equal(r.action, ZT_CHASE); /* ANY: the A RRset */
	assert_int_equal(r.chase_type, 1);
	/* own apex: SOA, NS, NODATA for others, NXDOMAIN below */
	assert_int_equal(
	    local_type(zt, "in01-abc.vectordb.example.com.", 6, &rc), 6);
	assert_int_equal(
	    local_type(zt, "in01-abc.vectordb.example.com.", 2, &rc), 2);
	assert_int_equal(
	    local_type(zt, "in01-abc.vectordb.example.com.", 16, &rc), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(
	    local_type(zt, "x.in01-abc.vectordb.example.com.", 1, &rc), 0);
	assert_int_equal(rc, 3);
	/* zonal choice */
	zt2 = build("us-west-2a");
	lookup(zt2, "in01-abc.vectordb.example.com.", 1, 1, &r);
	assert_int_equal(r.target_len, strlen(ZONAL_TARGET) + 1);
	zonetab_free(zt2);
	zt2 = build("eu-central-1a"); /* no zonal name for it: regional */
	lookup(zt2, "in01-abc.vectordb.example.com.", 1, 1, &r);
	assert_int_equal(r.target_len, strlen(LINK_TARGET) + 1);
	zonetab_free(zt2);
}

static void
test_cname_link(void **state)
{
	const struct zonetab *zt = *state;
	struct zt_result r;
	uint16_t rc;

	assert_int_equal(
	    local_type(zt, "in02.vectordb.example.com.", 5, &rc), 5);
	assert_int_equal(
	    local_type(zt, "in02.vectordb.example.com.", 255, &rc), 5);
	lookup(zt, "in02.vectordb.example.com.", 1, 1, &r);
	assert_int_equal(r.action, ZT_CHASE);
	assert_int_equal(r.mode, LINK_MODE_CNAME);
	assert_int_equal(r.chase_type, 1);
	assert_int_equal(r.ttl, 30);
	lookup(zt, "in02.vectordb.example.com.", 15, 1, &r);
	assert_int_equal(r.action, ZT_CHASE);
	assert_int_equal(r.chase_type, 15);
	/* names below a cname link outside zones are forwarded */
	lookup(zt, "x.in02.vectordb.example.com.", 1, 1, &r);
	assert_int_equal(r.action, ZT_FORWARD);
	assert_int_equal(r.fwd_index, 3);
}

static void
test_static_and_wild_links(void **state)
{
	const struct zonetab *zt = *state;
	struct zt_result r;
	uint16_t rc;

	assert_int_equal(local_type(zt, "in01-dev.local.test.", 1, &rc), 1);
	assert_int_equal(local_type(zt, "in01-dev.local.test.", 28, &rc), 28);
	assert_int_equal(local_type(zt, "in01-dev.local.test.", 255, &rc), 1);
	assert_int_equal(local_type(zt, "in01-dev.local.test.", 15, &rc), 0);
	lookup(zt, "a.wild.example.net.", 1, 1, &r);
	assert_int_equal(r.action, ZT_CHASE);
	assert_int_equal(r.apex_off, 0);
	lookup(zt, "b.a.wild.example.net.", 28, 1, &r);
	assert_int_equal(r.action, ZT_CHASE);
	assert_int_equal(r.apex_off, 0);
	assert_int_equal(local_type(zt, "a.wild.example.net.", 6, &rc), 6);
	assert_int_equal(local_type(zt, "a.wild.example.net.", 16, &rc), 0);
	assert_int_equal(rc, 0);
	/* the parent of a wildcard link is not ours */
	lookup(zt, "wild.example.net.", 1, 1, &r);
	assert_int_equal(r.action, ZT_FORWARD);
	assert_int_equal(r.fwd_index, -1);
}

static void
test_forward(void **state)
{
	const struct zonetab *zt = *state;
	struct zt_result r;

	lookup(zt, "a.b.Service.consul.", 1, 1, &r);
	assert_int_equal(r.action, ZT_FORWARD);
	assert_int_equal(r.fwd_index, 1);
	lookup(zt, "service.consul.", 1, 1, &r);
	assert_int_equal(r.fwd_index, 1);
	lookup(zt, "x.consul.", 1, 1, &r);
	assert_int_equal(r.fwd_index, 0);
	lookup(zt, "consul.", 1, 1, &r);
	assert_int_equal(r.fwd_index, 0);
	lookup(zt, "xconsul.", 1, 1, &r);
	assert_int_equal(r.fwd_index, -1);
	lookup(zt, "www.example.com.", 1, 1, &r);
	assert_int_equal(r.fwd_index, 3);
	lookup(zt, "google.com.", 1, 1, &r);
	assert_int_equal(r.action, ZT_FORWARD);
	assert_int_equal(r.fwd_index, -1);
	lookup(zt, ".", 2, 1, &r);
	assert_int_equal(r.action, ZT_FORWARD);
	/* a forward zone inside a local zone never wins */
	lookup(zt, "zz.corp.example.", 1, 1, &r);
	assert_int_equal(r.action, ZT_LOCAL);
	assert_int_equal(r.rcode, 3);
	/* other classes are not ours */
	lookup(zt, "www.corp.example.", 16, 3, &r);
	assert_int_equal(r.action, ZT_FORWARD);
	lookup(zt, "www.corp.example.", 1, 255, &r);
	assert_int_equal(r.action, ZT_LOCAL);
}

static void
expect_fail(const struct conf_link *l, size_t nl, const struct conf_zone *z,
    size_t nz, const char *msg)
{
	struct zonetab *zt = NULL;
	struct errbuf err = {""};

	assert_int_equal(
	    zonetab_build(l, nl, z, nz, NULL, 0, "", &zt, &err), -1);
	assert_null(zt);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err.msg, msg);
}

static void
test_conflicts(void **state)
{
	struct conf_link two[2] = {links[0], links[0]};
	static char *bad[] = {"not-an-address"};
	static char *ip[] = {"10.1.1.1"};
	struct conf_rrset rs[2];
	struct conf_zone z = zones[0];

	(void)state;
	expect_fail(two, 2, NULL, 0, "already defined");
	memset(rs, 0, sizeof(rs));
	strcpy(rs[0].name, "x.corp.example.");
	rs[0].type = 5;
	rs[0].values = v_cn;
	rs[0].nvalues = 1;
	rs[1] = rs[0];
	rs[1].type = 1;
	rs[1].values = ip;
	z.rrsets = rs;
	z.nrrsets = 2;
	expect_fail(NULL, 0, &z, 1, "CNAME and other data");
	strcpy(rs[0].name, "x.other.example.");
	z.nrrsets = 1;
	expect_fail(NULL, 0, &z, 1, "not inside the zone");
	strcpy(rs[0].name, "x.corp.example.");
	rs[0].type = 1;
	rs[0].values = bad;
	expect_fail(NULL, 0, &z, 1, "cannot parse");
	rs[0].values = ip;
	rs[1] = rs[0];
	z.nrrsets = 2;
	expect_fail(NULL, 0, &z, 1, "defined twice");
	strcpy(rs[0].name, "corp.example.");
	rs[0].type = 6;
	z.nrrsets = 1;
	expect_fail(NULL, 0, &z, 1, "synthesized");
	two[1] = links[2];
	two[1].name = "bad..name.";
	expect_fail(two, 2, NULL, 0, "bad name");
}

/*
 * Nested zones (corp.internal and sub.corp.internal), listed in both
 * orders: the parent's records at the child apex and below it are
 * ignored (the child answers: NODATA at its apex, NXDOMAIN below, both
 * from the child's zone), the parent's other records and the child's own
 * records are answered; a record outside its zone is still an error.
 */
static void
test_nested_zones(void **state)
{
	static char *ip[] = {"10.1.1.1"};
	struct conf_rrset prs[3], crs[1];
	struct conf_zone z[2];
	struct zonetab *zt;
	struct zt_result r;
	struct errbuf err = {""};
	uint16_t rc;
	int order;

	(void)state;
	memset(prs, 0, sizeof(prs));
	memset(crs, 0, sizeof(crs));
	strcpy(prs[0].name, "sub.corp.internal.");
	strcpy(prs[1].name, "x.sub.corp.internal.");
	strcpy(prs[2].name, "www.corp.internal.");
	strcpy(crs[0].name, "db.sub.corp.internal.");
	prs[0].type = prs[1].type = prs[2].type = crs[0].type = 1;
	prs[0].ttl = prs[1].ttl = prs[2].ttl = crs[0].ttl = 300;
	prs[0].values = prs[1].values = prs[2].values = crs[0].values = ip;
	prs[0].nvalues = prs[1].nvalues = prs[2].nvalues = crs[0].nvalues = 1;
	for (order = 0; order < 2; order++) {
		memset(z, 0, sizeof(z));
		strcpy(z[order].name, "corp.internal.");
		z[order].rrsets = prs;
		z[order].nrrsets = 3;
		strcpy(z[!order].name, "sub.corp.internal.");
		z[!order].rrsets = crs;
		z[!order].nrrsets = 1;
		z[0].ttl = z[1].ttl = 900;
		z[0].soa_minimum = z[1].soa_minimum = 60;
		zt = NULL;
		if (zonetab_build(NULL, 0, z, 2, NULL, 0, "", &zt, &err) != 0)
			fail_msg("build: %s", err.msg);
		assert_int_equal(zonetab_nzones(zt), 2);
		/* the child's apex: NODATA for A (not the parent's A) */
		assert_int_equal(
		    local_type(zt, "sub.corp.internal.", 1, &rc), 0);
		assert_int_equal(rc, 0);
		lookup(zt, "sub.corp.internal.", 1, 1, &r);
		assert_int_equal(
		    ((const struct zt_node *)r.node)->zone->apexlen,
		    strlen("sub.corp.internal.") + 1);
		assert_int_equal(
		    local_type(zt, "sub.corp.internal.", 6, &rc), 6);
		/* below the child apex: the parent's record is not there */
		assert_int_equal(
		    local_type(zt, "x.sub.corp.internal.", 1, &rc), 0);
		assert_int_equal(rc, 3);
		lookup(zt, "x.sub.corp.internal.", 1, 1, &r);
		assert_int_equal(
		    ((const struct zt_node *)r.node)->zone->apexlen,
		    strlen("sub.corp.internal.") + 1);
		assert_int_equal(
		    local_type(zt, "db.sub.corp.internal.", 1, &rc), 1);
		assert_int_equal(
		    local_type(zt, "www.corp.internal.", 1, &rc), 1);
		zonetab_free(zt);
	}
	strcpy(prs[2].name, "www.other.internal.");
	expect_fail(NULL, 0, z, 2, "not inside the zone");
}

/* zonetab_build_at() names the input an error is about. */
static void
test_build_where(void **state)
{
	struct conf_link two[2] = {links[0], links[0]};
	struct conf_link st = links[5]; /* st.corp.example., static */
	struct conf_zone z[2] = {zones[0], zones[0]};
	struct zonetab *zt = NULL;
	struct zt_where w;
	struct errbuf err = {""};

	(void)state;
	addrs[0].family = AF_INET;
	assert_int_equal(
	    zonetab_build_at(two, 2, NULL, 0, NULL, 0, "", &zt, &err, &w), -1);
	assert_int_equal(w.link, 1);
	assert_int_equal(w.zone, -1);
	/* a link at a record's name */
	st.name = "www.corp.example.";
	assert_int_equal(
	    zonetab_build_at(&st, 1, zones, 1, NULL, 0, "", &zt, &err, &w), -1);
	assert_int_equal(w.link, 0);
	assert_int_equal(w.zone, -1);
	/* a zone twice */
	assert_int_equal(
	    zonetab_build_at(NULL, 0, z, 2, NULL, 0, "", &zt, &err, &w), -1);
	assert_int_equal(w.zone, 1);
	assert_int_equal(w.rrset, -1);
	assert_int_equal(w.link, -1);
	/* a cname-mode link at a zone apex: CNAME beside SOA/NS */
	st = links[6];
	st.name = "corp.example.";
	assert_int_equal(
	    zonetab_build_at(&st, 1, zones, 1, NULL, 0, "", &zt, &err, &w), -1);
	assert_int_equal(w.link, 0);
	assert_null(zt);
	assert_int_equal(
	    zonetab_build_at(links, 7, zones, 1, NULL, 0, "", &zt, &err, &w),
	    0);
	assert_int_equal(w.link, -1);
	assert_int_equal(w.zone, -1);
	zonetab_free(zt);
}

static void
test_many_links(void **state)
{
	enum { N = 20000 };
	struct conf_link *l = calloc(N, sizeof(*l));
	struct zonetab *zt = NULL;
	struct errbuf err = {""};
	struct zt_result r;
	char name[128];
	size_t i;

	(void)state;
	assert_non_null(l);
	for (i = 0; i < N; i++) {
		assert_true(
		    asprintf(&l[i].name,
		        "in01-%zu.aws-us-west-2.vectordb.zillizcloud.com.",
		        i) > 0);
		assert_true(
		    asprintf(&l[i].target,
		        "vpce-%zu.vpce-svc-1.us-west-2.vpce.amazonaws.com.",
		        i) > 0);
		l[i].mode = i % 2 ? LINK_MODE_ALIAS : LINK_MODE_CNAME;
		l[i].ttl = 60;
	}
	assert_int_equal(
	    zonetab_build(l, N, NULL, 0, NULL, 0, "", &zt, &err), 0);
	assert_int_equal(zonetab_nlinks(zt), N);
	for (i = 0; i < N; i += 997) {
		snprintf(name, sizeof(name),
		    "IN01-%zu.aws-us-west-2.vectordb.zillizcloud.com.", i);
		lookup(zt, name, 1, 1, &r);
		assert_int_equal(r.action, ZT_CHASE);
		assert_int_equal(
		    r.mode, i % 2 ? LINK_MODE_ALIAS : LINK_MODE_CNAME);
		assert_int_equal(r.target[0], 5 + snprintf(NULL, 0, "%zu", i));
	}
	lookup(zt, "in01-x.aws-us-west-2.vectordb.zillizcloud.com.", 1, 1, &r);
	assert_int_equal(r.action, ZT_FORWARD);
	zonetab_free(zt);
	for (i = 0; i < N; i++)
		conf_link_clear(&l[i]);
	free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zone_basics, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_zone_wildcard, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_zone_cname_alias, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_links_in_zone, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alias_link, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cname_link, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_static_and_wild_links, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_forward, setup, teardown),
	    cmocka_unit_test(test_conflicts),
	    cmocka_unit_test(test_nested_zones),
	    cmocka_unit_test(test_build_where),
	    cmocka_unit_test(test_many_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
