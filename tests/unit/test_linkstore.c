/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for linkstore: name and rdata validation, link and zone
 * conflicts with the config, Route 53 change-batch semantics (atomic,
 * CREATE/UPSERT/DELETE, CNAME exclusivity), and the state file round
 * trip through a temp directory.
 *
 * Corner cases: trailing dot optional, upper case folded, wildcard only
 * for links and record names, a batch with one bad change changes
 * nothing, DELETE must match the values, CNAME at the apex refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <ldns/ldns.h>

#include "linkshim/linkstore.h"

static void
test_normalize_name(void **state)
{
	char out[CONF_NAME_MAX];
	struct errbuf err;

	(void)state;
	assert_int_equal(linkstore_normalize_name(
	                     "Foo.Example.COM", out, sizeof(out), false, &err),
	    0);
	assert_string_equal(out, "foo.example.com.");
	assert_int_equal(
	    linkstore_normalize_name("*.a.b.", out, sizeof(out), true, &err),
	    0);
	assert_string_equal(out, "*.a.b.");
	assert_int_equal(
	    linkstore_normalize_name("*.a.b.", out, sizeof(out), false, &err),
	    -1);
	assert_int_equal(
	    linkstore_normalize_name("a..b", out, sizeof(out), false, &err),
	    -1);
	assert_int_equal(
	    linkstore_normalize_name("a b.c", out, sizeof(out), false, &err),
	    -1);
	assert_int_equal(
	    linkstore_normalize_name("", out, sizeof(out), false, &err), -1);
	assert_int_equal(
	    linkstore_normalize_name(".", out, sizeof(out), false, &err), -1);
	assert_int_equal(
	    linkstore_normalize_name(
	        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	        "aaaaaaaaaaaaa.com",
	        out, sizeof(out), false, &err),
	    -1);
}

static void
test_canon_rdata(void **state)
{
	char out[LINKSTORE_VALUE_MAX + 1];
	struct errbuf err;

	(void)state;
	assert_int_equal(linkstore_canon_rdata("a.example.", LDNS_RR_TYPE_A,
	                     "10.0.0.1", out, sizeof(out), &err),
	    0);
	assert_string_equal(out, "10.0.0.1");
	assert_int_equal(linkstore_canon_rdata("a.example.", LDNS_RR_TYPE_CNAME,
	                     "target.example.com", out, sizeof(out), &err),
	    0);
	assert_string_equal(out, "target.example.com.");
	assert_int_equal(linkstore_canon_rdata("a.example.", LDNS_RR_TYPE_MX,
	                     "10 mail.example.com", out, sizeof(out), &err),
	    0);
	assert_string_equal(out, "10 mail.example.com.");
	assert_int_equal(linkstore_canon_rdata("a.example.", LDNS_RR_TYPE_TXT,
	                     "\"hello world\"", out, sizeof(out), &err),
	    0);
	assert_string_equal(out, "\"hello world\"");
	assert_int_equal(linkstore_canon_rdata("a.example.", LDNS_RR_TYPE_A,
	                     "10.0.0.300", out, sizeof(out), &err),
	    -1);
	assert_non_null(strstr(err.msg, "bad A value"));
	assert_int_equal(linkstore_canon_rdata("a.example.", LDNS_RR_TYPE_AAAA,
	                     "10.0.0.1", out, sizeof(out), &err),
	    -1);
	assert_int_equal(linkstore_canon_rdata("a.example.", LDNS_RR_TYPE_A,
	                     "1.2.3.4\n5.6.7.8", out, sizeof(out), &err),
	    -1);
	assert_int_equal(linkstore_type_from_str("caa"), LDNS_RR_TYPE_CAA);
	assert_int_equal(linkstore_type_from_str("SOA"), 0);
}

static struct conf *
conf_with_link(const char *name)
{
	struct conf *c = calloc(1, sizeof(*c));

	c->links = calloc(1, sizeof(*c->links));
	c->links[0].name = strdup(name);
	c->nlinks = 1;
	return c;
}

static void
conf_drop(struct conf *c)
{
	free(c->links[0].name);
	free(c->links);
	free(c);
}

static void
test_link_put_conflict(void **state)
{
	struct linkstore *st = linkstore_new();
	struct conf *c = conf_with_link("cfg.example.com.");
	struct conf_link l;
	struct errbuf err;
	bool created;

	(void)state;
	memset(&l, 0, sizeof(l));
	l.name = "CFG.example.com";
	l.target = "vpce-1.example.aws";
	l.ttl = 60;
	assert_int_equal(
	    linkstore_link_put(st, c, &l, &created, &err), LINKSTORE_CONFLICT);
	assert_non_null(strstr(err.msg, "config link"));
	assert_int_equal(st->nlinks, 0);

	l.name = "dyn.example.com";
	assert_int_equal(
	    linkstore_link_put(st, c, &l, &created, &err), LINKSTORE_OK);
	assert_true(created);
	assert_string_equal(st->links[0].name, "dyn.example.com.");
	assert_string_equal(st->links[0].target, "vpce-1.example.aws.");
	assert_int_equal(
	    linkstore_link_put(st, c, &l, &created, &err), LINKSTORE_OK);
	assert_false(created);
	assert_int_equal(st->nlinks, 1);

	l.target = "";
	assert_int_equal(
	    linkstore_link_put(st, c, &l, &created, &err), LINKSTORE_INVALID);
	assert_int_equal(
	    linkstore_link_del(st, "DYN.example.com.", &err), LINKSTORE_OK);
	assert_int_equal(linkstore_link_del(st, "dyn.example.com", &err),
	    LINKSTORE_NOTFOUND);
	linkstore_free(st);
	conf_drop(c);
}

static size_t
add_zone(struct linkstore *st, const char *name)
{
	struct linkstore_zone z;
	struct errbuf err;
	size_t idx = 99;

	memset(&z, 0, sizeof(z));
	strcpy(z.zone.name, name);
	assert_int_equal(
	    linkstore_zone_add(st, NULL, &z, &idx, &err), LINKSTORE_OK);
	return idx;
}

static struct linkstore_change
mk(enum linkstore_action a, const char *name, uint16_t type, char **vals,
    size_t n, const char *alias)
{
	struct linkstore_change c;

	memset(&c, 0, sizeof(c));
	c.action = a;
	strcpy(c.rrset.name, name);
	c.rrset.type = type;
	c.rrset.ttl = 300;
	c.rrset.values = vals;
	c.rrset.nvalues = n;
	if (alias != NULL)
		strcpy(c.rrset.alias, alias);
	return c;
}

static void
test_zone_batch_atomic(void **state)
{
	struct linkstore *st = linkstore_new();
	struct errbuf msgs[8];
	size_t idx, n;
	char *a1[] = {"10.0.0.1"}, *a2[] = {"10.0.0.2"};
	char *cn[] = {"elsewhere.example.net"}, *bad[] = {"nope"};
	struct linkstore_change ch[3];

	(void)state;
	idx = add_zone(st, "example.com");
	assert_int_equal(st->zones[idx].zone.id[0], 'Z');
	ch[0] = mk(
	    LINKSTORE_CREATE, "www.example.com", LDNS_RR_TYPE_A, a1, 1, NULL);
	ch[1] = mk(LINKSTORE_UPSERT, "example.com", LDNS_RR_TYPE_A, NULL, 0,
	    "vpce-1.aws.example.");
	assert_int_equal(
	    linkstore_zone_change(st, idx, ch, 2, msgs, 8, &n), LINKSTORE_OK);
	assert_int_equal(st->zones[idx].zone.nrrsets, 2);
	/* sorted canonical order: apex first */
	assert_string_equal(st->zones[idx].zone.rrsets[0].name, "example.com.");

	/* one bad change: nothing applied */
	ch[0] = mk(
	    LINKSTORE_UPSERT, "www.example.com", LDNS_RR_TYPE_A, a2, 1, NULL);
	ch[1] = mk(
	    LINKSTORE_CREATE, "bad.example.com", LDNS_RR_TYPE_A, bad, 1, NULL);
	ch[2] =
	    mk(LINKSTORE_CREATE, "www.other.org", LDNS_RR_TYPE_A, a1, 1, NULL);
	assert_int_equal(linkstore_zone_change(st, idx, ch, 3, msgs, 8, &n),
	    LINKSTORE_INVALID);
	assert_int_equal(n, 2);
	assert_non_null(strstr(msgs[1].msg, "not permitted in zone"));
	assert_string_equal(
	    st->zones[idx].zone.rrsets[1].values[0], "10.0.0.1");

	/* CREATE existing, DELETE mismatch, CNAME beside A */
	ch[0] = mk(
	    LINKSTORE_CREATE, "www.example.com", LDNS_RR_TYPE_A, a1, 1, NULL);
	assert_int_equal(linkstore_zone_change(st, idx, ch, 1, msgs, 8, &n),
	    LINKSTORE_INVALID);
	assert_non_null(strstr(msgs[0].msg, "already exists"));
	ch[0] = mk(
	    LINKSTORE_DELETE, "www.example.com", LDNS_RR_TYPE_A, a2, 1, NULL);
	assert_int_equal(linkstore_zone_change(st, idx, ch, 1, msgs, 8, &n),
	    LINKSTORE_INVALID);
	assert_non_null(strstr(msgs[0].msg, "do not match"));
	ch[0] = mk(LINKSTORE_CREATE, "www.example.com", LDNS_RR_TYPE_CNAME, cn,
	    1, NULL);
	assert_int_equal(linkstore_zone_change(st, idx, ch, 1, msgs, 8, &n),
	    LINKSTORE_INVALID);
	assert_non_null(strstr(msgs[0].msg, "conflicting RRSet of type A"));
	ch[0] = mk(
	    LINKSTORE_CREATE, "example.com", LDNS_RR_TYPE_CNAME, cn, 1, NULL);
	assert_int_equal(linkstore_zone_change(st, idx, ch, 1, msgs, 8, &n),
	    LINKSTORE_INVALID);

	/* zone not empty, then delete records and zone */
	assert_int_equal(
	    linkstore_zone_del(st, idx, false, msgs), LINKSTORE_NOTEMPTY);
	ch[0] = mk(
	    LINKSTORE_DELETE, "www.example.com.", LDNS_RR_TYPE_A, a1, 1, NULL);
	ch[1] = mk(LINKSTORE_DELETE, "example.com", LDNS_RR_TYPE_A, NULL, 0,
	    "vpce-1.aws.example");
	ch[1].rrset.ttl = 0;
	assert_int_equal(
	    linkstore_zone_change(st, idx, ch, 2, msgs, 8, &n), LINKSTORE_OK);
	assert_int_equal(
	    linkstore_zone_del(st, idx, false, msgs), LINKSTORE_OK);
	assert_int_equal(st->nzones, 0);
	linkstore_free(st);
}

static void
test_zone_conflicts(void **state)
{
	struct linkstore *st = linkstore_new();
	struct conf *c = conf_with_link("cfg.example.com.");
	struct linkstore_zone z;
	struct conf_link l;
	struct errbuf err;
	bool created;
	size_t idx;

	(void)state;
	memset(&z, 0, sizeof(z));
	strcpy(z.zone.name, "cfg.example.com");
	assert_int_equal(
	    linkstore_zone_add(st, c, &z, &idx, &err), LINKSTORE_CONFLICT);
	strcpy(z.zone.name, "zone.example.com");
	assert_int_equal(
	    linkstore_zone_add(st, c, &z, &idx, &err), LINKSTORE_OK);
	assert_int_equal(
	    linkstore_zone_add(st, c, &z, &idx, &err), LINKSTORE_CONFLICT);
	memset(&l, 0, sizeof(l));
	l.name = "zone.example.com";
	l.target = "t.example.";
	assert_int_equal(
	    linkstore_link_put(st, c, &l, &created, &err), LINKSTORE_CONFLICT);
	assert_true(linkstore_zone_by_id(st, "/hostedzone/") == -1);
	assert_true(linkstore_zone_by_id(st, st->zones[0].zone.id) == 0);
	linkstore_free(st);
	conf_drop(c);
}

static void
test_save_load_round_trip(void **state)
{
	char dir[] = "/tmp/linkstore-test-XXXXXX", path[256];
	struct linkstore *st = linkstore_new(), *back = NULL;
	struct conf_link l;
	struct conf_ip ip = {.family = AF_INET, .addr = {10, 0, 0, 7}};
	struct linkstore_change ch[2];
	struct errbuf err, msgs[2];
	char *txt[] = {"\"v=spf1 -all\"", "\"second\""};
	json_t *a, *b;
	bool created;
	size_t idx, n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	assert_int_equal(linkstore_load(path, &back, &err), 0);
	assert_int_equal(back->nlinks + back->nzones, 0);
	linkstore_free(back);

	memset(&l, 0, sizeof(l));
	l.name = "static.example.com";
	l.mode = LINK_MODE_STATIC;
	l.addrs = &ip;
	l.naddrs = 1;
	l.ttl = 30;
	assert_int_equal(linkstore_link_put(st, NULL, &l, &created, &err), 0);
	idx = add_zone(st, "z.example");
	ch[0] =
	    mk(LINKSTORE_CREATE, "t.z.example", LDNS_RR_TYPE_TXT, txt, 2, NULL);
	ch[1] = mk(LINKSTORE_CREATE, "z.example", LDNS_RR_TYPE_AAAA, NULL, 0,
	    "vpce.example");
	strcpy(ch[1].alias_zone_id, "Z1YSA3EXCYUU9Z");
	assert_int_equal(linkstore_zone_change(st, idx, ch, 2, msgs, 2, &n), 0);
	assert_int_equal(linkstore_save(st, path, &err), 0);
	assert_int_equal(linkstore_load(path, &back, &err), 0);
	a = linkstore_to_json(st);
	b = linkstore_to_json(back);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	linkstore_free(back);

	/* a corrupt file is an error, not an empty store */
	FILE *fp = fopen(path, "w");
	fputs("{\"version\":1,\"links\":[{\"name\":", fp);
	fclose(fp);
	back = NULL;
	assert_int_equal(linkstore_load(path, &back, &err), -1);
	assert_null(back);
	assert_non_null(strstr(err.msg, path));
	unlink(path);
	rmdir(dir);
	linkstore_free(st);
}

static int
link_json(const char *text, struct conf_link *l, struct errbuf *err)
{
	json_t *doc = json_loads(text, 0, NULL);
	int rv;

	assert_non_null(doc);
	rv = linkstore_link_from_json(doc, "x.example.", l, err);
	json_decref(doc);
	return rv;
}

static void
test_link_json(void **state)
{
	struct conf_link l;
	struct errbuf err;
	json_t *o;
	char *text;

	(void)state;
	assert_int_equal(link_json("{\"target\":\"t.example\",\"mode\":"
	                           "\"cname\",\"ttl\":7,\"zonal\":{\"az1\":"
	                           "\"z.example\"}}",
	                     &l, &err),
	    0);
	assert_int_equal(l.mode, LINK_MODE_CNAME);
	assert_int_equal(l.ttl, 7);
	assert_int_equal(l.nzonal, 1);
	assert_string_equal(l.zonal[0].az, "az1");
	o = linkstore_link_to_json(&l, "api");
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text,
	    "{\"name\":\"x.example.\",\"target\":\"t.example\",\"mode\":"
	    "\"cname\",\"ttl\":7,\"zonal\":{\"az1\":\"z.example\"},"
	    "\"source\":\"api\"}");
	free(text);
	json_decref(o);
	linkstore_link_clear(&l);
	assert_int_equal(
	    link_json("{\"addresses\":[\"10.0.0.1\",\"::1\"]}", &l, &err), 0);
	assert_int_equal(l.mode, LINK_MODE_STATIC);
	assert_int_equal(l.naddrs, 2);
	linkstore_link_clear(&l);
	assert_int_equal(
	    link_json("{\"target\":\"t.\",\"mode\":\"x\"}", &l, &err), -1);
	assert_non_null(strstr(err.msg, "mode"));
	assert_int_equal(link_json("{\"target\":1}", &l, &err), -1);
	assert_non_null(strstr(err.msg, "\"target\" must be a string"));
	assert_int_equal(
	    link_json("{\"ttl\":-1,\"target\":\"t.\"}", &l, &err), -1);
	assert_int_equal(link_json("{\"addresses\":[\"x\"]}", &l, &err), -1);
	assert_int_equal(link_json("{\"addresses\":[\"10.0.0.1\"],\"mode\":"
	                           "\"cname\"}",
	                     &l, &err),
	    -1);
	assert_int_equal(link_json("{\"colour\":\"red\"}", &l, &err), -1);
	assert_non_null(strstr(err.msg, "unknown key \"colour\""));
}

static void
test_state_rejects_conflict(void **state)
{
	struct linkstore *st = linkstore_new();
	struct errbuf err;
	json_t *doc;

	(void)state;
	doc = json_loads("{\"version\":1,\"links\":[{\"name\":\"a.example.\","
	                 "\"target\":\"t.example.\"}],\"zones\":[{\"name\":"
	                 "\"a.example.\",\"id\":\"Z1\"}]}",
	    0, NULL);
	assert_non_null(doc);
	assert_int_equal(linkstore_from_json(doc, st, &err), -1);
	assert_non_null(strstr(err.msg, "shadow"));
	json_decref(doc);
	linkstore_free(st);
}

static void
count_cb(const char *name, const char *what, void *arg)
{
	(void)name;
	(void)what;
	(*(int *)arg)++;
}

static void
test_prune_shadowed(void **state)
{
	struct linkstore *st = linkstore_new();
	struct conf *c = conf_with_link("a.example.");
	struct conf_link l;
	struct errbuf err;
	bool created;
	int n = 0;

	(void)state;
	memset(&l, 0, sizeof(l));
	l.target = "t.example.";
	l.name = "a.example.";
	assert_int_equal(linkstore_link_put(st, NULL, &l, &created, &err), 0);
	l.name = "b.example.";
	assert_int_equal(linkstore_link_put(st, NULL, &l, &created, &err), 0);
	add_zone(st, "z.example.");
	assert_int_equal(linkstore_prune_shadowed(st, NULL, count_cb, &n), 0);
	assert_int_equal(linkstore_prune_shadowed(st, c, count_cb, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(st->nlinks, 1);
	assert_string_equal(st->links[0].name, "b.example.");
	free(c->links[0].name);
	c->links[0].name = strdup("z.example.");
	assert_int_equal(linkstore_prune_shadowed(st, c, NULL, NULL), 1);
	assert_int_equal(st->nzones, 0);
	linkstore_free(st);
	conf_drop(c);
}

static void
test_name_cmp(void **state)
{
	(void)state;
	assert_true(linkstore_name_cmp("example.com.", "a.example.com.") < 0);
	assert_true(linkstore_name_cmp("b.example.com.", "a.example.com.") > 0);
	assert_true(linkstore_name_cmp("A.example.com", "a.example.com.") == 0);
	assert_true(linkstore_name_cmp("z.a.com.", "a.b.com.") < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalize_name),
	    cmocka_unit_test(test_canon_rdata),
	    cmocka_unit_test(test_link_put_conflict),
	    cmocka_unit_test(test_zone_batch_atomic),
	    cmocka_unit_test(test_zone_conflicts),
	    cmocka_unit_test(test_save_load_round_trip),
	    cmocka_unit_test(test_name_cmp),
	    cmocka_unit_test(test_link_json),
	    cmocka_unit_test(test_state_rejects_conflict),
	    cmocka_unit_test(test_prune_shadowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
