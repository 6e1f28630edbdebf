/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * libFuzzer target for the client-query path: query_check(), then
 * answer_error() or zonetab_lookup() on a small fixed table and
 * answer_local() (UDP and TCP limits); for a chased link the input is
 * also fed to answer_chased() as if it were the target's reply, and to
 * answer_relay().  Every input is also used as the upstream reply for
 * fixed client queries of an alias and a cname link (answer_chased()
 * with hostile replies).  Every answer we write must itself parse
 * (dnswire_parse_msg) and respect its size limit, else we abort.
 * Replayed over tests/fuzz/corpus/query/ by the normal test run.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/answer.h"
#include "linkshim/query.h"
#include "linkshim/zonetab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *v_a[] = {"10.0.0.1", "10.0.0.2"};
static char *v_mx[] = {"10 mx.corp.example."};
static char *v_txt[] = {"\"v=spf1 -all\"", "\"second\""};
static char *v_cn[] = {"www.corp.example."};
static struct conf_rrset rrsets[] = {
    {"www.corp.example.", 1, 300, v_a, 2, ""},
    {"corp.example.", 15, 300, v_mx, 1, ""},
    {"t.x.corp.example.", 16, 300, v_txt, 2, ""},
    {"*.w.corp.example.", 1, 60, v_a, 1, ""},
    {"cn.corp.example.", 5, 60, v_cn, 1, ""},
    {"al.corp.example.", 28, 60, NULL, 0, "lb.example.net."},
};
static struct conf_zone zones[] = {
    {"corp.example.", "Z1", "", 30, 900, rrsets, 6},
};
static struct conf_ip addrs[2];
static struct conf_link links[] = {
    {"alias.link.test.", "t.example.net.", LINK_MODE_ALIAS, 60, NULL, 0, NULL,
        0},
    {"cname.link.test.", "t.example.net.", LINK_MODE_CNAME, 30, NULL, 0, NULL,
        0},
    {"static.link.test.", "", LINK_MODE_STATIC, 10, NULL, 0, addrs, 2},
    {"*.wild.link.test.", "t.example.net.", LINK_MODE_ALIAS, 60, NULL, 0, NULL,
        0},
};
static struct conf_forward fwds[] = {{"consul.", NULL, 0}};

static struct zonetab *
table(void)
{
	static struct zonetab *zt;
	struct errbuf err;

	if (zt != NULL)
		return zt;
	addrs[0].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", addrs[0].addr);
	addrs[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", addrs[1].addr);
	if (zonetab_build(links, 4, zones, 1, fwds, 1, "", &zt, &err) != 0) {
		fprintf(stderr, "fuzz_query: build: %s\n", err.msg);
		abort();
	}
	return zt;
}

/* Our own output must be a well-formed message within its limit. */
static void
check_out(const uint8_t *out, int n, size_t max)
{
	struct dns_msginfo mi;

	if (n < 0)
		return;
	if ((size_t)n > max || dnswire_parse_msg(out, (size_t)n, &mi) != 0)
		abort();
}

/* data as the target's reply for a fixed client query of name/qtype. */
static void
chase_fixed(const uint8_t *data, size_t size, const char *wname, size_t wlen,
    uint16_t qtype)
{
	static uint8_t out[DNS_MSG_MAX];
	uint8_t q[300];
	struct dns_msginfo mi;
	struct zt_result res;
	size_t qn = 12;
	int n;

	memcpy(q, "\x77\x77\x01\x00\0\1\0\0\0\0\0\0", 12);
	memcpy(q + qn, wname, wlen);
	qn += wlen;
	dnswire_put16(q + qn, qtype);
	dnswire_put16(q + qn + 2, 1);
	qn += 4;
	if (query_check(q, qn, &mi) != 0)
		abort();
	zonetab_lookup(table(), &mi.q, &res);
	if (res.action != ZT_CHASE)
		abort();
	n = answer_chased(q, qn, &mi, &res, data, size, out, sizeof(out), 512);
	check_out(out, n, 512);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[DNS_MSG_MAX];
	struct dns_msginfo mi;
	struct zt_result res;
	size_t lim;
	int rc, n;

	chase_fixed(data, size, "\5alias\4link\4test", 17, 1);
	chase_fixed(data, size, "\5cname\4link\4test", 17, 15);
	rc = query_check(data, size, &mi);
	if (rc == QUERY_DROP)
		return 0;
	if (rc != 0) {
		n = answer_error(data, size, &mi, rc, out, sizeof(out));
		check_out(out, n, sizeof(out));
		return 0;
	}
	lim = answer_udp_limit(&mi);
	zonetab_lookup(table(), &mi.q, &res);
	switch (res.action) {
	case ZT_LOCAL:
		n = answer_local(data, size, &mi, &res, out, sizeof(out), lim);
		check_out(out, n, lim);
		n = answer_local(
		    data, size, &mi, &res, out, sizeof(out), DNS_MSG_MAX);
		check_out(out, n, DNS_MSG_MAX);
		break;
	case ZT_CHASE:
		n = answer_chased(
		    data, size, &mi, &res, data, size, out, sizeof(out), lim);
		check_out(out, n, lim);
		break;
	case ZT_FORWARD:
		n = answer_relay(
		    data, size, &mi, data, size, out, sizeof(out), lim);
		check_out(out, n, lim);
		break;
	}
	return 0;
}
