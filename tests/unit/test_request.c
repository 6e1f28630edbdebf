/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for the query path of src/io/request.c, driven without any
 * socket: a struct linkshim is assembled by hand from a config buffer
 * (conf, zonetab, cache, an upstream set with no server) on an idle
 * event_base, and request_handle() is fed client packets built with ldns.
 * Corner cases: a static link answered locally (AA, client case and ID
 * echoed, counted); a client outside `allow` gets REFUSED (counted); a
 * response (QR) is dropped; CH TXT version.bind answered with the
 * configured string, other CH names REFUSED; a cache hit is relayed with
 * the client's ID; a cname link whose target is cached is chased at once
 * (CNAME then the target's A), and its composed answer is kept: a
 * second query is a copy (client's ID and case, AA, one cache hit, no
 * miss), CD and DO get their own, a new snapshot that moves the link
 * answers with the new target at once; a cache miss with no usable upstream
 * leaves nothing in flight (the fetch fails and is freed at once); past
 * the cap on waiting clients a query gets SERVFAIL; identical questions
 * share one fetch and the in-flight cap evicts the oldest.
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
#include <event2/event.h>
#include <ldns/ldns.h>

#include "io/io.h"

static const char test_conf[] = "listen: [127.0.0.1:5353]\n"
                                "upstreams: [127.0.0.1:5300]\n"
                                "allow: [127.0.0.0/8]\n"
                                "version: \"linkshim-test\"\n"
                                "links:\n"
                                "  - name: static.test\n"
                                "    addresses: [10.0.0.1]\n"
                                "  - name: cn.test\n"
                                "    mode: cname\n"
                                "    target: target.example\n";

struct fixture {
	struct linkshim *ls;
	struct sockaddr_in client;
	struct io_client from;
	uint8_t out[DNS_MSG_MAX];
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct linkshim *ls;
	struct errbuf err;
	struct conf *c = NULL;

	assert_non_null(fx);
	ls = calloc(1, sizeof(*ls));
	assert_non_null(ls);
	memset(&err, 0, sizeof(err));
	assert_int_equal(conf_load_buffer("test", test_conf,
	                     sizeof(test_conf) - 1, &c, &err),
	    0);
	ls->conf = c;
	ls->base = event_base_new();
	assert_non_null(ls->base);
	assert_int_equal(zonetab_build(c->links, c->nlinks, c->zones, c->nzones,
	                     c->forward, c->nforward, "", &ls->zt, &err),
	    0);
	ls->cache = cache_new(&c->cache);
	assert_non_null(ls->cache);
	upstream_set_init(&ls->defset, NULL, 0); /* no server: no socket */
	TAILQ_INIT(&ls->udp);
	TAILQ_INIT(&ls->tcp);
	RB_INIT(&ls->fetches);
	TAILQ_INIT(&ls->age);
	fx->ls = ls;
	fx->client.sin_family = AF_INET;
	fx->client.sin_port = htons(40000);
	inet_pton(AF_INET, "127.0.0.1", &fx->client.sin_addr);
	fx->from.sa = (const struct sockaddr *)&fx->client;
	fx->from.salen = sizeof(fx->client);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	struct linkshim *ls = fx->ls;

	upstream_io_cancel_all(ls);
	freelist_clear(&ls->fetch_fl); /* what linkshim_free() does */
	freelist_clear(&ls->waiter_fl);
	cache_free(ls->cache);
	zonetab_free(ls->zt);
	conf_free(ls->conf);
	event_base_free(ls->base);
	free(ls);
	free(fx);
	return 0;
}

/* A query for name/type/class with id; returns its wire form (free()). */
static uint8_t *
mkquery(const char *name, ldns_rr_type t, ldns_rr_class c, uint16_t id, bool qr,
    size_t *len)
{
	ldns_pkt *p = NULL;
	uint8_t *wire = NULL;

	assert_int_equal(ldns_pkt_query_new_frm_str(&p, name, t, c, LDNS_RD),
	    LDNS_STATUS_OK);
	ldns_pkt_set_id(p, id);
	ldns_pkt_set_qr(p, qr);
	assert_int_equal(ldns_pkt2wire(&wire, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return wire;
}

static ldns_pkt *
ask(struct fixture *fx, const char *name, ldns_rr_type t, ldns_rr_class c,
    uint16_t id, size_t *n)
{
	ldns_pkt *r = NULL;
	uint8_t *q;
	size_t qlen;

	q = mkquery(name, t, c, id, false, &qlen);
	*n = request_handle(
	    fx->ls, q, qlen, &fx->from, fx->out, sizeof(fx->out));
	free(q);
	if (*n == 0)
		return NULL;
	assert_int_equal(ldns_wire2pkt(&r, fx->out, *n), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_id(r), id);
	return r;
}

static char *
rr_str(ldns_pkt *r, size_t i)
{
	return ldns_rr2str(ldns_rr_list_rr(ldns_pkt_answer(r), i));
}

static void
test_local_static(void **state)
{
	struct fixture *fx = *state;
	ldns_pkt *r;
	size_t n;
	char *s;

	r = ask(
	    fx, "Static.TEST.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 0x4242, &n);
	assert_non_null(r);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_true(ldns_pkt_aa(r));
	assert_int_equal(ldns_pkt_ancount(r), 1);
	s = rr_str(r, 0);
	assert_non_null(strstr(s, "10.0.0.1"));
	free(s);
	/* 0x20: the question comes back as asked */
	assert_memory_equal(fx->out + 12, "\6Static\4TEST", 12);
	assert_int_equal(fx->ls->stats.answers_local, 1);
	assert_int_equal(fx->ls->stats.queries_udp, 1);
	ldns_pkt_free(r);
}

static void
test_acl_refused(void **state)
{
	struct fixture *fx = *state;
	ldns_pkt *r;
	size_t n;

	inet_pton(AF_INET, "192.0.2.1", &fx->client.sin_addr);
	r = ask(fx, "static.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 7, &n);
	assert_non_null(r);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_REFUSED);
	assert_int_equal(ldns_pkt_ancount(r), 0);
	assert_int_equal(fx->ls->stats.refused_acl, 1);
	assert_int_equal(fx->ls->stats.answers_local, 0);
	ldns_pkt_free(r);
}

static void
test_response_dropped(void **state)
{
	struct fixture *fx = *state;
	uint8_t *q;
	size_t qlen;

	q = mkquery(
	    "static.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 9, true, &qlen);
	assert_int_equal(request_handle(fx->ls, q, qlen, &fx->from, fx->out,
	                     sizeof(fx->out)),
	    0);
	assert_int_equal(fx->ls->stats.dropped, 1);
	free(q);
}

static void
test_chaos(void **state)
{
	struct fixture *fx = *state;
	ldns_pkt *r;
	size_t n;
	char *s;

	r = ask(fx, "version.bind.", LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_CH, 1, &n);
	assert_non_null(r);
	assert_int_equal(ldns_pkt_ancount(r), 1);
	s = rr_str(r, 0);
	assert_non_null(strstr(s, "\"linkshim-test\""));
	free(s);
	ldns_pkt_free(r);
	r = ask(
	    fx, "hostname.bind.", LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_CH, 2, &n);
	assert_non_null(r);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_REFUSED);
	ldns_pkt_free(r);
	fx->ls->conf->version[0] = '\0';
	r = ask(fx, "version.bind.", LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_CH, 3, &n);
	assert_non_null(r);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_REFUSED);
	ldns_pkt_free(r);
}

/* Put "name 300 IN A addr" in the cache as an upstream answer. */
static void
cache_put(struct fixture *fx, const char *name, const char *addr)
{
	struct dns_msginfo mi;
	struct cache_key key;
	ldns_pkt *p = NULL;
	ldns_rr *rr = NULL;
	uint8_t *wire = NULL;
	size_t len;
	char txt[300];

	assert_int_equal(ldns_pkt_query_new_frm_str(&p, name, LDNS_RR_TYPE_A,
	                     LDNS_RR_CLASS_IN, LDNS_RD),
	    LDNS_STATUS_OK);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_ra(p, true);
	snprintf(txt, sizeof(txt), "%s 300 IN A %s", name, addr);
	assert_int_equal(
	    ldns_rr_new_frm_str(&rr, txt, 0, NULL, NULL), LDNS_STATUS_OK);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	assert_int_equal(ldns_pkt2wire(&wire, p, &len), LDNS_STATUS_OK);
	memset(&mi, 0, sizeof(mi));
	assert_int_equal(dnswire_parse_msg(wire, len, &mi), 0);
	key.lname = mi.q.lname;
	key.namelen = mi.q.namelen;
	key.qtype = LDNS_RR_TYPE_A;
	key.qclass = LDNS_RR_CLASS_IN;
	key.do_bit = false;
	key.cd = false;
	assert_int_equal(
	    cache_store(fx->ls->cache, &key, wire, len, io_now_ms() / 1000), 1);
	free(wire);
	ldns_pkt_free(p);
}

static void
test_cache_hit(void **state)
{
	struct fixture *fx = *state;
	ldns_pkt *r;
	size_t n;
	char *s;

	cache_put(fx, "fwd.example.", "192.0.2.55");
	r = ask(
	    fx, "FWD.example.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 0x5151, &n);
	assert_non_null(r);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(r), 1);
	s = rr_str(r, 0);
	assert_non_null(strstr(s, "192.0.2.55"));
	free(s);
	assert_memory_equal(fx->out + 12, "\3FWD\7example", 12);
	assert_int_equal(fx->ls->stats.answers_cache, 1);
	assert_int_equal(fx->ls->nfetches, 0);
	ldns_pkt_free(r);
}

static void
test_chase_from_cache(void **state)
{
	struct fixture *fx = *state;
	ldns_pkt *r;
	size_t n;
	char *s0, *s1;

	cache_put(fx, "target.example.", "10.1.0.11");
	r = ask(fx, "cn.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 77, &n);
	assert_non_null(r);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(r), 2);
	s0 = rr_str(r, 0);
	s1 = rr_str(r, 1);
	assert_non_null(strstr(s0, "CNAME"));
	assert_non_null(strstr(s0, "target.example."));
	assert_non_null(strstr(s1, "10.1.0.11"));
	free(s0);
	free(s1);
	assert_int_equal(fx->ls->nfetches, 0);
	ldns_pkt_free(r);
}

/* ask() with CD and/or EDNS (DO) set on the query. */
static ldns_pkt *
ask_ex(struct fixture *fx, const char *name, uint16_t id, bool cd, bool edns_do,
    size_t *n)
{
	ldns_pkt *p = NULL, *r = NULL;
	uint8_t *q = NULL;
	size_t qlen;

	assert_int_equal(ldns_pkt_query_new_frm_str(&p, name, LDNS_RR_TYPE_A,
	                     LDNS_RR_CLASS_IN, LDNS_RD),
	    LDNS_STATUS_OK);
	ldns_pkt_set_id(p, id);
	ldns_pkt_set_cd(p, cd);
	if (edns_do) {
		ldns_pkt_set_edns_udp_size(p, 1232);
		ldns_pkt_set_edns_do(p, true);
	}
	assert_int_equal(ldns_pkt2wire(&q, p, &qlen), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	*n = request_handle(
	    fx->ls, q, qlen, &fx->from, fx->out, sizeof(fx->out));
	free(q);
	if (*n == 0)
		return NULL;
	assert_int_equal(ldns_wire2pkt(&r, fx->out, *n), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_id(r), id);
	return r;
}

/* The second query for a link is answered from the composed answer kept
 * by the first: the same bytes but for the ID and the question's case,
 * AA kept, counted as a cache answer, one cache hit each and no miss. */
static void
test_chase_composed_hit(void **state)
{
	struct fixture *fx = *state;
	struct cache_stats st;
	uint8_t first[DNS_MSG_MAX];
	ldns_pkt *r;
	size_t n, n1;

	cache_put(fx, "target.example.", "10.1.0.11");
	r = ask(fx, "cn.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 77, &n1);
	assert_non_null(r);
	ldns_pkt_free(r);
	memcpy(first, fx->out, n1);
	cache_get_stats(fx->ls->cache, &st);
	assert_int_equal(st.entries, 2); /* the target and the answer */
	r = ask(fx, "CN.Test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 78, &n);
	assert_non_null(r);
	assert_true(ldns_pkt_aa(r));
	assert_int_equal(ldns_pkt_ancount(r), 2);
	assert_int_equal(n, n1);
	assert_memory_equal(fx->out + 12, "CNTest", 9);
	/* same data (a TTL may have ticked over a second boundary: the
	 * header and question are patched, the CNAME's RDATA kept) */
	assert_memory_equal(fx->out + 2, first + 2, 10);
	assert_memory_equal(fx->out + n1 - 4, first + n1 - 4, 4);
	assert_int_equal(fx->ls->stats.answers_cache, 2);
	cache_get_stats(fx->ls->cache, &st);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.misses, 0);
	assert_int_equal(st.entries, 2);
	assert_int_equal(fx->ls->nfetches, 0);
	ldns_pkt_free(r);
	/* EDNS (DO) and CD are keys of their own; the OPT follows the
	 * client's query */
	r = ask_ex(fx, "cn.test.", 79, true, true, &n);
	assert_non_null(r);
	assert_true(ldns_pkt_cd(r));
	assert_true(ldns_pkt_edns(r));
	assert_true(ldns_pkt_edns_do(r));
	ldns_pkt_free(r);
	r = ask_ex(fx, "cn.test.", 80, true, true, &n);
	assert_non_null(r);
	assert_true(ldns_pkt_aa(r));
	assert_true(ldns_pkt_edns_do(r));
	assert_int_equal(ldns_pkt_ancount(r), 2);
	ldns_pkt_free(r);
	cache_get_stats(fx->ls->cache, &st);
	assert_int_equal(st.entries, 3);
	assert_int_equal(st.hits, 4);
}

/* A new snapshot that points the link elsewhere answers with the new
 * target at once, never the composed answer of the old one. */
static void
test_chase_composed_generation(void **state)
{
	static const char conf2[] = "listen: [127.0.0.1:5353]\n"
	                            "upstreams: [127.0.0.1:5300]\n"
	                            "allow: [127.0.0.0/8]\n"
	                            "links:\n"
	                            "  - name: cn.test\n"
	                            "    mode: cname\n"
	                            "    target: other.example\n";
	struct fixture *fx = *state;
	struct linkshim *ls = fx->ls;
	struct conf *c = NULL;
	struct zonetab *zt = NULL;
	struct errbuf err;
	ldns_pkt *r;
	size_t n;
	char *s0, *s1;

	cache_put(fx, "target.example.", "10.1.0.11");
	cache_put(fx, "other.example.", "10.1.0.22");
	r = ask(fx, "cn.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 81, &n);
	assert_non_null(r);
	ldns_pkt_free(r);
	memset(&err, 0, sizeof(err));
	assert_int_equal(
	    conf_load_buffer("test2", conf2, sizeof(conf2) - 1, &c, &err), 0);
	assert_int_equal(zonetab_build(c->links, c->nlinks, c->zones, c->nzones,
	                     c->forward, c->nforward, "", &zt, &err),
	    0);
	conf_free(c);
	assert_true(zonetab_generation(zt) != zonetab_generation(ls->zt));
	zonetab_free(ls->zt);
	ls->zt = zt;
	r = ask(fx, "cn.test.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 82, &n);
	assert_non_null(r);
	assert_int_equal(ldns_pkt_ancount(r), 2);
	s0 = rr_str(r, 0);
	s1 = rr_str(r, 1);
	assert_non_null(strstr(s0, "other.example."));
	assert_non_null(strstr(s1, "10.1.0.22"));
	free(s0);
	free(s1);
	ldns_pkt_free(r);
}

static void
test_miss_without_upstream(void **state)
{
	struct fixture *fx = *state;
	ldns_pkt *r;
	size_t n;

	/* The waiter has no transport (from.udp NULL): the SERVFAIL is
	 * built and dropped; the fetch must be gone at once. */
	r = ask(fx, "miss.example.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 5, &n);
	assert_null(r);
	assert_int_equal(n, 0);
	assert_int_equal(fx->ls->nfetches, 0);
	assert_true(RB_EMPTY(&fx->ls->fetches));
	assert_int_equal(fx->ls->stats.answers_forwarded, 0);
}

static void
test_waiter_cap(void **state)
{
	struct fixture *fx = *state;
	ldns_pkt *r;
	size_t n;

	fx->ls->conf->limits.inflight = 1;
	fx->ls->nwaiters = IO_WAITERS_PER_INFLIGHT; /* as if all waiting */
	r = ask(fx, "miss.example.", LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 6, &n);
	assert_non_null(r);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_SERVFAIL);
	assert_int_equal(fx->ls->stats.dropped, 1);
	assert_int_equal(fx->ls->nfetches, 0);
	fx->ls->nwaiters = 0;
	ldns_pkt_free(r);
}

static void
test_coalesce_and_cap(void **state)
{
	struct fixture *fx = *state;
	struct linkshim *ls = fx->ls;
	struct dns_question q;
	struct fetch *a, *b, *c;
	bool created;

	memset(&q, 0, sizeof(q));
	memcpy(q.lname, "\1a\4test", 8);
	q.namelen = 8;
	q.qtype = LDNS_RR_TYPE_A;
	q.qclass = LDNS_RR_CLASS_IN;
	ls->conf->limits.inflight = 1;
	/* not started: nothing is sent */
	a = upstream_io_get(ls, &q, false, false, IO_FWD_DEFAULT, &created);
	assert_non_null(a);
	assert_true(created);
	b = upstream_io_get(ls, &q, false, false, IO_FWD_DEFAULT, &created);
	assert_ptr_equal(a, b);
	assert_false(created);
	q.qtype = LDNS_RR_TYPE_AAAA; /* another key: the oldest goes */
	c = upstream_io_get(ls, &q, false, false, IO_FWD_DEFAULT, &created);
	assert_non_null(c);
	assert_true(created);
	assert_int_equal(ls->nfetches, 1);
	assert_ptr_equal(TAILQ_FIRST(&ls->age), c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_local_static, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_acl_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_response_dropped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chaos, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cache_hit, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_chase_from_cache, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_chase_composed_hit, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_chase_composed_generation, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_miss_without_upstream, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_waiter_cap, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_coalesce_and_cap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
