/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for the configuration (conf.h): defaults, every value type
 * (addresses, prefixes, names, durations, sizes), links and zone records,
 * every error path with its exact "name:line:col: message" (one cmocka
 * test per case, from the table below), the node cap against alias
 * bombs, the size cap and the print -> load -> print round trip.
 * resolv.conf upstreams are in test_conf_resolv.c.
 *
 * Corner cases covered: an empty document, a document that is not a
 * mapping, two documents, duplicate keys, keys that are not scalars,
 * aliases reused 10,000 times, a self-referencing alias, names of exactly
 * 63/64-byte labels and 253/254 characters, durations with and without
 * units, sizes in SI and IEC units, record names at the apex, relative,
 * Route 53 style and absolute, *out untouched on error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/conf_internal.h"
#include "linkshim/conf.h"

/* Load a YAML string named "t.yaml"; the conf or NULL, err filled. */
static struct conf *
load(const char *yaml, struct errbuf *err)
{
	struct conf *c = NULL;

	memset(err, 0, sizeof(*err));
	if (conf_load_buffer("t.yaml", yaml, strlen(yaml), &c, err) == -1)
		return NULL;
	return c;
}

static struct conf *
load_ok(const char *yaml)
{
	struct errbuf err;
	struct conf *c = load(yaml, &err);

	if (c == NULL)
		fail_msg("unexpected error: %s", err.msg);
	return c;
}

static char *
print_str(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	conf_print(c, fp);
	fclose(fp);
	return buf;
}

static void
addr_str(const struct conf_addr *a, char *buf, size_t len)
{
	conf_format_addr(a, buf, len);
}

static void
test_defaults(void **state)
{
	struct conf *c = conf_new_default();
	char buf[64];

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->nlisten, 1);
	addr_str(&c->listen[0], buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:5353");
	assert_int_equal(c->nupstreams, 0);
	assert_string_equal(c->resolv_conf, "/etc/resolv.conf");
	assert_int_equal(c->nallow, 2);
	conf_format_prefix(&c->allow[0], buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.0/8");
	conf_format_prefix(&c->allow[1], buf, sizeof(buf));
	assert_string_equal(buf, "::1/128");
	assert_int_equal(c->cache.size, 64 * 1024 * 1024);
	assert_int_equal(c->cache.min_ttl, 0);
	assert_int_equal(c->cache.max_ttl, 86400);
	assert_int_equal(c->cache.serve_stale, 0);
	assert_true(c->cache.prefetch);
	assert_int_equal(c->timeouts.upstream_ms, 1500);
	assert_int_equal(c->timeouts.total_ms, 4000);
	assert_int_equal(c->timeouts.tcp_idle_ms, 10000);
	assert_int_equal(c->limits.tcp_clients, 128);
	assert_int_equal(c->limits.inflight, 4096);
	assert_int_equal(c->nlinks, 0);
	assert_int_equal(c->nzones, 0);
	assert_false(c->syslog);
	conf_free(c);
	conf_free(NULL);
}

static void
test_empty_mapping_is_defaults(void **state)
{
	struct conf *c = load_ok("{}\n"), *d = conf_new_default();
	char *a, *b;

	(void)state;
	assert_string_equal(c->path, "t.yaml");
	a = print_str(c);
	b = print_str(d);
	assert_string_equal(a, b);
	free(a);
	free(b);
	conf_free(c);
	conf_free(d);
}

static void
test_network_values(void **state)
{
	struct conf *c =
	    load_ok("listen: [127.0.0.1:53, \"[::1]\", 0.0.0.0]\n"
	            "upstreams: [192.0.2.1, \"[2001:db8::1]:5300\"]\n"
	            "forward:\n  - {zone: Consul, to: [127.0.0.1:8600]}\n"
	            "allow: [10.0.0.0/8, 192.0.2.7, \"2001:db8::/32\"]\n"
	            "api: {listen: 127.0.0.1}\n");
	char buf[64];

	(void)state;
	assert_int_equal(c->nlisten, 3);
	addr_str(&c->listen[0], buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:53");
	addr_str(&c->listen[1], buf, sizeof(buf));
	assert_string_equal(buf, "[::1]:5353");
	addr_str(&c->listen[2], buf, sizeof(buf));
	assert_string_equal(buf, "0.0.0.0:5353");
	assert_int_equal(c->nupstreams, 2);
	addr_str(&c->upstreams[0], buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.1:53");
	addr_str(&c->upstreams[1], buf, sizeof(buf));
	assert_string_equal(buf, "[2001:db8::1]:5300");
	assert_int_equal(c->nforward, 1);
	assert_string_equal(c->forward[0].zone, "consul.");
	assert_int_equal(c->forward[0].nto, 1);
	assert_int_equal(c->nallow, 3);
	conf_format_prefix(&c->allow[1], buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.7/32");
	assert_int_equal(c->allow[2].bits, 32);
	addr_str(&c->api.listen, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:8053");
	conf_free(c);
}

static void
test_links(void **state)
{
	struct conf *c = load_ok(
	    "availability_zone: us-west-2a\n"
	    "links:\n"
	    "  - name: In01-ABC.Example.COM\n"
	    "    target: vpce-1.example.com.\n"
	    "    zonal: {us-west-2a: vpce-1a.example.com}\n"
	    "  - {name: c.example.org, target: t.example.org, mode: cname,"
	    " ttl: 5m}\n"
	    "  - {name: \"*.w.example.org\", target: t.example.org}\n"
	    "  - {name: s.example.org, addresses: [10.0.0.1, \"fd00::1\"]}\n");
	char buf[64];

	(void)state;
	assert_string_equal(c->availability_zone, "us-west-2a");
	assert_int_equal(c->nlinks, 4);
	assert_string_equal(c->links[0].name, "in01-abc.example.com.");
	assert_string_equal(c->links[0].target, "vpce-1.example.com.");
	assert_int_equal(c->links[0].mode, LINK_MODE_ALIAS);
	assert_int_equal(c->links[0].ttl, 60);
	assert_int_equal(c->links[0].nzonal, 1);
	assert_string_equal(c->links[0].zonal[0].az, "us-west-2a");
	assert_string_equal(
	    c->links[0].zonal[0].target, "vpce-1a.example.com.");
	assert_int_equal(c->links[1].mode, LINK_MODE_CNAME);
	assert_int_equal(c->links[1].ttl, 300);
	assert_string_equal(c->links[2].name, "*.w.example.org.");
	assert_int_equal(c->links[3].mode, LINK_MODE_STATIC);
	assert_string_equal(c->links[3].target, "");
	assert_int_equal(c->links[3].naddrs, 2);
	assert_int_equal(c->links[3].addrs[0].family, AF_INET);
	conf_format_ip(&c->links[3].addrs[1], buf, sizeof(buf));
	assert_string_equal(buf, "fd00::1");
	conf_free(c);
}

static void
test_zone_records(void **state)
{
	struct conf *c = load_ok(
	    "zones:\n"
	    "  - name: Corp.Test\n"
	    "    id: Z123\n"
	    "    soa_minimum: 1m\n"
	    "    records:\n"
	    "      - {name: \"@\", type: mx, values: [\"10 mail\"]}\n"
	    "      - {name: www, type: A, ttl: 60, values: [192.0.2.1,"
	    " 192.0.2.2]}\n"
	    "      - {name: api.corp.test, type: CNAME, value: www}\n"
	    "      - {name: x.corp.test., type: TXT, value: '\"a b\" c'}\n"
	    "      - {name: \"*.apps\", type: AAAA, alias: LB.example.net}\n"
	    "      - {name: corp.test.corp, type: A, value: 192.0.2.3}\n");
	struct conf_zone *z;

	(void)state;
	assert_int_equal(c->nzones, 1);
	z = &c->zones[0];
	assert_string_equal(z->name, "corp.test.");
	assert_string_equal(z->id, "Z123");
	assert_int_equal(z->soa_minimum, 60);
	assert_int_equal(z->ttl, 900);
	assert_int_equal(z->nrrsets, 6);
	assert_string_equal(z->rrsets[0].name, "corp.test.");
	assert_int_equal(z->rrsets[0].type, 15);
	assert_string_equal(z->rrsets[0].values[0], "10 mail.corp.test.");
	assert_string_equal(z->rrsets[1].name, "www.corp.test.");
	assert_int_equal(z->rrsets[1].ttl, 60);
	assert_int_equal(z->rrsets[1].nvalues, 2);
	assert_string_equal(z->rrsets[1].values[1], "192.0.2.2");
	/* Route 53 style: already ends in the zone name */
	assert_string_equal(z->rrsets[2].name, "api.corp.test.");
	assert_string_equal(z->rrsets[2].values[0], "www.corp.test.");
	assert_int_equal(z->rrsets[2].ttl, 300);
	assert_string_equal(z->rrsets[3].name, "x.corp.test.");
	assert_string_equal(z->rrsets[3].values[0], "\"a b\" \"c\"");
	assert_string_equal(z->rrsets[4].name, "*.apps.corp.test.");
	assert_string_equal(z->rrsets[4].alias, "lb.example.net.");
	assert_int_equal(z->rrsets[4].nvalues, 0);
	/* does not end in ".corp.test": relative as in a zone file */
	assert_string_equal(z->rrsets[5].name, "corp.test.corp.corp.test.");
	conf_free(c);
}

static void
test_durations(void **state)
{
	static const struct {
		const char *s;
		int ok;
		uint64_t ms;
	} t[] = {{"0", 0, 0}, {"10", 0, 10000}, {"1500ms", 0, 1500},
	    {"10s", 0, 10000}, {"30m", 0, 1800000}, {"1h", 0, 3600000},
	    {"1d", 0, 86400000}, {"1h30m", 0, 5400000}, {"0s", 0, 0},
	    {"", -1, 0}, {"s", -1, 0}, {"1.5s", -1, 0}, {"-1", -1, 0},
	    {"10y", -1, 0}, {"1H", -1, 0}, {"10 s", -1, 0},
	    {"4294967296", -1, 0}, {"99999999999999999999", -1, 0}};
	uint64_t ms;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ms = 12345;
		if (conf_parse_duration_ms(t[i].s, &ms) != t[i].ok)
			fail_msg("duration \"%s\"", t[i].s);
		if (t[i].ok == 0)
			assert_int_equal(ms, t[i].ms);
	}
}

static void
test_sizes(void **state)
{
	static const struct {
		const char *s;
		int ok;
		uint64_t n;
	} t[] = {{"0", 0, 0}, {"100", 0, 100}, {"100B", 0, 100},
	    {"512KiB", 0, 524288}, {"64MiB", 0, 67108864},
	    {"64mib", 0, 67108864}, {"1GiB", 0, 1073741824}, {"1KB", 0, 1000},
	    {"1MB", 0, 1000000}, {"1GB", 0, 1000000000}, {"", -1, 0},
	    {"MiB", -1, 0}, {"64 MiB", -1, 0}, {"64XB", -1, 0},
	    {"1.5GiB", -1, 0}, {"-1", -1, 0}};
	uint64_t n;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = 12345;
		if (conf_parse_size(t[i].s, &n) != t[i].ok)
			fail_msg("size \"%s\"", t[i].s);
		if (t[i].ok == 0)
			assert_int_equal(n, t[i].n);
	}
}

static void
test_addresses(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL: must fail */
	} t[] = {{"1.2.3.4", "1.2.3.4:53"}, {"1.2.3.4:5300", "1.2.3.4:5300"},
	    {"::1", "[::1]:53"}, {"[::1]", "[::1]:53"},
	    {"[2001:db8::1]:853", "[2001:db8::1]:853"}, {"1.2.3.4:0", NULL},
	    {"1.2.3.4:65536", NULL}, {"1.2.3.4:", NULL}, {"1.2.3", NULL},
	    {"[1.2.3.4]", NULL}, {"[::1", NULL}, {"[::1]x", NULL},
	    {"[::1]:", NULL}, {"host.example:53", NULL}, {"", NULL},
	    {"[]:53", NULL}, {"1.2.3.4:+53", NULL}};
	struct conf_addr a;
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].out == NULL) {
			if (conf_parse_addr(t[i].in, 53, &a) != -1)
				fail_msg("address \"%s\" accepted", t[i].in);
			continue;
		}
		if (conf_parse_addr(t[i].in, 53, &a) != 0)
			fail_msg("address \"%s\" refused", t[i].in);
		conf_format_addr(&a, buf, sizeof(buf));
		assert_string_equal(buf, t[i].out);
	}
}

static void
test_names(void **state)
{
	char l63[64], l64[65], long253[300], long254[300], out[CONF_NAME_MAX];
	char small[8];
	size_t i;

	(void)state;
	memset(l63, 'a', 63);
	l63[63] = '\0';
	memset(l64, 'a', 64);
	l64[64] = '\0';
	/* 3 x 63 + 61 + 3 dots = 253 characters */
	snprintf(
	    long253, sizeof(long253), "%s.%s.%s.%.61s", l63, l63, l63, l63);
	snprintf(
	    long254, sizeof(long254), "%s.%s.%s.%.62s", l63, l63, l63, l63);
	assert_int_equal(strlen(long253), 253);
	assert_int_equal(
	    conf_normalize_name("Foo.Example.", out, sizeof(out), false), 0);
	assert_string_equal(out, "foo.example.");
	assert_int_equal(
	    conf_normalize_name("_sip._tcp.x", out, sizeof(out), false), 0);
	assert_int_equal(conf_normalize_name(l63, out, sizeof(out), false), 0);
	assert_int_equal(conf_normalize_name(l64, out, sizeof(out), false), -1);
	assert_int_equal(
	    conf_normalize_name(long253, out, sizeof(out), false), 0);
	assert_int_equal(strlen(out), 254);
	assert_int_equal(
	    conf_normalize_name(long254, out, sizeof(out), false), -1);
	assert_int_equal(
	    conf_normalize_name("*.x.test", out, sizeof(out), true), 0);
	assert_string_equal(out, "*.x.test.");
	{
		static const char *bad[] = {"", ".", "a..b", ".a", "a b",
		    "*.x.test", "a.*.test", "*", "*.", "x.*", "a/b",
		    "caf\xc3\xa9.test", "a..", "**.x"};
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (conf_normalize_name(bad[i], out, sizeof(out),
			        i == 5 ? false : true) != -1)
				fail_msg("name \"%s\" accepted", bad[i]);
	}
	assert_int_equal(
	    conf_normalize_name("abcdefgh", small, sizeof(small), false), -1);
}

static void
test_prefixes(void **state)
{
	struct conf_prefix p;
	char buf[64];

	(void)state;
	assert_int_equal(conf_parse_prefix("10.0.0.0/8", &p), 0);
	assert_int_equal(p.bits, 8);
	assert_int_equal(conf_parse_prefix("0.0.0.0/0", &p), 0);
	assert_int_equal(conf_parse_prefix("::/0", &p), 0);
	assert_int_equal(conf_parse_prefix("2001:db8::1", &p), 0);
	assert_int_equal(p.bits, 128);
	conf_format_prefix(&p, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1/128");
	assert_int_equal(conf_parse_prefix("10.0.0.1/8", &p), -2);
	assert_int_equal(conf_parse_prefix("10.0.0.0/33", &p), -1);
	assert_int_equal(conf_parse_prefix("::/129", &p), -1);
	assert_int_equal(conf_parse_prefix("10.0.0.0/", &p), -1);
	assert_int_equal(conf_parse_prefix("/8", &p), -1);
	assert_int_equal(conf_parse_prefix("10.0.0.0/x", &p), -1);
}

/* Every error path: YAML in, the exact message out. */
struct bad_case {
	const char *name, *yaml, *msg;
};

static const struct bad_case bad_cases[] = {
    {"bad_empty", "",
        "t.yaml:1:1: empty configuration, expected a "
        "mapping of keys (see conf/linkshim.yaml)"},
    {"bad_comments_only", "# nothing\n",
        "t.yaml:1:1: empty "
        "configuration, expected a mapping of keys (see conf/linkshim.yaml)"},
    {"bad_sequence_top", "- a\n- b\n",
        "t.yaml:1:1: the configuration "
        "is a sequence, expected a mapping of keys (see conf/linkshim.yaml)"},
    {"bad_scalar_top", "hello\n",
        "t.yaml:1:1: the configuration is a "
        "scalar, expected a mapping of keys (see conf/linkshim.yaml)"},
    {"bad_yaml_syntax", "listen: [127.0.0.1\n",
        "t.yaml:2:1: did not "
        "find expected ',' or ']' while parsing a flow sequence, expected "
        "valid YAML"},
    {"bad_two_documents", "syslog: true\n---\nsyslog: false\n",
        "t.yaml:3:1: a second YAML document, expected one"},
    {"bad_unknown_key", "cache: {}\nbogus: 1\n",
        "t.yaml:2:1: unknown "
        "key \"bogus\" in the configuration, expected one of listen, "
        "upstreams, resolv_conf, forward, allow, cache, timeouts, limits, "
        "links, zones, availability_zone, workers, version, api, state, "
        "user, chroot, syslog, query_log"},
    {"bad_unknown_nested_key", "timeouts:\n  upstream: 1s\n  udp: 1s\n",
        "t.yaml:3:3: unknown key \"udp\" in timeouts, expected one of "
        "upstream, total, tcp_idle"},
    {"bad_duplicate_key", "syslog: true\nsyslog: false\n",
        "t.yaml:2:1: "
        "duplicate key \"syslog\" in the configuration, expected each key "
        "once"},
    {"bad_key_not_scalar", "{a: 1}: 2\n",
        "t.yaml:1:1: a mapping as a "
        "key in the configuration, expected a plain key"},
    {"bad_wrong_type_scalar", "listen: 127.0.0.1\n",
        "t.yaml:1:9: "
        "listen is a scalar, expected a sequence of addresses"},
    {"bad_wrong_type_mapping", "cache: [1]\n",
        "t.yaml:1:8: cache is a "
        "sequence, expected a mapping"},
    {"bad_wrong_type_item", "links: [a.test]\n",
        "t.yaml:1:9: links "
        "item is a scalar, expected a mapping with name and target or "
        "addresses"},
    {"bad_address", "listen: [127.0.0.300]\n",
        "t.yaml:1:10: bad "
        "listen \"127.0.0.300\", expected an IP address with an optional "
        "port (1.2.3.4:53, [::1]:53)"},
    {"bad_port", "upstreams:\n  - 127.0.0.1:70000\n",
        "t.yaml:2:5: bad "
        "upstreams \"127.0.0.1:70000\", expected an IP address with an "
        "optional port (1.2.3.4:53, [::1]:53)"},
    {"bad_empty_listen", "listen: []\n",
        "t.yaml:1:9: listen is empty, "
        "expected at least one address"},
    {"bad_duplicate_listen", "listen: [127.0.0.1, 127.0.0.1:5353]\n",
        "t.yaml:1:21: bad listen \"127.0.0.1:5353\", expected each address "
        "once"},
    {"bad_name", "forward:\n  - {zone: \"a b\", to: [127.0.0.1]}\n",
        "t.yaml:2:12: bad zone \"a b\", expected a domain name (labels of 1 "
        "to 63 letters, digits, - or _, at most 253 characters)"},
    {"bad_label_too_long",
        "links:\n  - name: aaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test\n    addresses: "
        "[127.0.0.1]\n",
        "t.yaml:2:11: bad name \"aaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\", expected a domain name, "
        "optionally starting with \"*.\" (labels of 1 to 63 letters, "
        "digits, - or _)"},
    {"bad_wildcard_inside", "links:\n  - {name: a.*.test, target: b}\n",
        "t.yaml:2:12: bad name \"a.*.test\", expected a domain name, "
        "optionally starting with \"*.\" (labels of 1 to 63 letters, "
        "digits, - or _)"},
    {"bad_duration", "timeouts:\n  upstream: 1.5s\n",
        "t.yaml:2:13: bad "
        "upstream \"1.5s\", expected a duration such as 1500ms, 10s, 30m, "
        "1h or seconds, from 10ms to 60000ms"},
    {"bad_duration_range", "timeouts:\n  tcp_idle: 2h\n",
        "t.yaml:2:13: "
        "bad tcp_idle \"2h\", expected a duration such as 1500ms, 10s, 30m, "
        "1h or seconds, from 100ms to 3600000ms"},
    {"bad_duration_not_seconds", "cache:\n  serve_stale: 1500ms\n",
        "t.yaml:2:16: bad serve_stale \"1500ms\", expected a duration such "
        "as 1500ms, 10s, 30m, 1h or seconds, from 0s to 604800s"},
    {"bad_size", "cache:\n  size: 64XB\n",
        "t.yaml:2:9: bad size "
        "\"64XB\", expected a size such as 64MiB, 512KiB, 1GB or bytes, at "
        "most 16GiB"},
    {"bad_size_range", "cache:\n  size: 17GiB\n",
        "t.yaml:2:9: bad size "
        "\"17GiB\", expected a size such as 64MiB, 512KiB, 1GB or bytes, at "
        "most 16GiB"},
    {"bad_bool", "cache:\n  prefetch: yes\n",
        "t.yaml:2:13: bad prefetch "
        "\"yes\", expected true or false"},
    {"bad_number", "limits:\n  inflight: 0\n",
        "t.yaml:2:13: bad "
        "inflight \"0\", expected an integer from 1 to 1048576"},
    {"bad_workers", "workers: many\n",
        "t.yaml:1:10: bad workers "
        "\"many\", expected an integer from 1 to 256"},
    {"bad_control_char", "user: \"a\\tb\"\n",
        "t.yaml:1:7: bad user "
        "\"a?b\", expected no control characters"},
    {"bad_string_too_long",
        "version: 0123456789012345678901234567890"
        "1234567890123456789012345678901234567890\n",
        "t.yaml:1:10: bad "
        "version \"012345678901234567890123456789012345678901234567890123456"
        "7890...\", expected a version string of 0 to 63 characters"},
    {"bad_prefix", "allow: [10.0.0.0/33]\n",
        "t.yaml:1:9: bad allow "
        "\"10.0.0.0/33\", expected an address or prefix (10.0.0.0/8, "
        "::1/128)"},
    {"bad_prefix_host_bits", "allow: [10.0.0.1/8]\n",
        "t.yaml:1:9: bad "
        "allow \"10.0.0.1/8\", expected no host bits set below the prefix "
        "length (10.0.0.0/8, not 10.0.0.1/8)"},
    {"bad_empty_allow", "allow: []\n",
        "t.yaml:1:8: allow is empty, "
        "expected at least one prefix"},
    {"bad_az", "availability_zone: US_West\n",
        "t.yaml:1:20: bad "
        "availability_zone \"US_West\", expected an availability zone name "
        "(1 to 63 of a-z, 0-9, -)"},
    {"bad_mode", "links:\n  - {name: a.test, target: b, mode: flat}\n",
        "t.yaml:2:37: bad mode \"flat\", expected alias or cname"},
    {"bad_link_no_name", "links:\n  - {target: b.test}\n",
        "t.yaml:2:5: "
        "link without name, expected name and target or addresses"},
    {"bad_link_no_target", "links:\n  - {name: a.test}\n",
        "t.yaml:2:5: "
        "link a.test. has no target, expected target or addresses"},
    {"bad_target_and_addresses",
        "links:\n  - {name: a.test, target: b, "
        "addresses: [127.0.0.1]}\n",
        "t.yaml:2:5: link a.test. has target "
        "and addresses, expected one of them"},
    {"bad_cname_with_addresses",
        "links:\n  - {name: a.test, mode: cname,"
        " addresses: [127.0.0.1]}\n",
        "t.yaml:2:5: link a.test. has mode "
        "cname and addresses, expected no mode (addresses make a static "
        "link)"},
    {"bad_zonal_with_addresses",
        "links:\n  - {name: a.test, addresses: "
        "[127.0.0.1], zonal: {az1: x.test}}\n",
        "t.yaml:2:5: link a.test. "
        "has zonal and addresses, expected zonal only with a target"},
    {"bad_static_with_port",
        "links:\n  - {name: a.test, addresses: "
        "[\"1.2.3.4:53\"]}\n",
        "t.yaml:2:32: bad addresses \"1.2.3.4:53\", "
        "expected an IPv4 or IPv6 address without a port"},
    {"bad_duplicate_link",
        "links:\n  - {name: a.test, target: b}\n"
        "  - {name: A.TEST., addresses: [127.0.0.1]}\n",
        "t.yaml:3:5: "
        "duplicate link name a.test. (first at line 2), expected each name "
        "once"},
    {"bad_duplicate_zone",
        "zones:\n  - name: z.test\n  - name: Z.test."
        "\n",
        "t.yaml:3:5: duplicate zone z.test., expected each zone "
        "once"},
    {"bad_duplicate_forward",
        "forward:\n  - {zone: a, to: [127.0.0.1]}\n"
        "  - {zone: a., to: [127.0.0.2]}\n",
        "t.yaml:3:5: duplicate forward "
        "zone a., expected each zone once"},
    {"bad_forward_no_to", "forward:\n  - zone: a\n",
        "t.yaml:2:5: "
        "forward item without to, expected zone and to"},
    {"bad_zone_no_name", "zones:\n  - records: []\n",
        "t.yaml:2:5: zone "
        "without name, expected name"},
    {"bad_rdata",
        "zones:\n  - name: z.test\n    records:\n      - {name:"
        " www, type: A, values: [1.2.3]}\n",
        "t.yaml:4:39: bad value "
        "\"1.2.3\", expected A record data (Syntax error, could not parse "
        "the RR's rdata)"},
    {"bad_rdata_extra",
        "zones:\n  - name: z.test\n    records:\n      - "
        "{name: www, type: A, value: 1.2.3.4 5}\n",
        "t.yaml:4:37: bad value "
        "\"1.2.3.4 5\", expected A record data (Syntax error, superfluous "
        "text present)"},
    {"bad_rdata_newline",
        "zones:\n  - name: z.test\n    records:\n      "
        "- {name: www, type: A, value: \"1.2.3.4\\n1.2.3.5\"}\n",
        "t.yaml:4:37: bad value \"1.2.3.4?1.2.3.5\", expected one line of "
        "record data"},
    {"bad_rrtype",
        "zones:\n  - name: z.test\n    records:\n      - "
        "{name: www, type: BOGUS, value: x}\n",
        "t.yaml:4:27: bad type "
        "\"BOGUS\", expected a record type such as A, AAAA, CNAME, TXT, MX, "
        "SRV, PTR, CAA (not SOA, OPT or a meta type)"},
    {"bad_rrtype_any",
        "zones:\n  - name: z.test\n    records:\n      - "
        "{name: www, type: ANY, value: x}\n",
        "t.yaml:4:27: bad type "
        "\"ANY\", expected a record type such as A, AAAA, CNAME, TXT, MX, "
        "SRV, PTR, CAA (not SOA, OPT or a meta type)"},
    {"bad_record_outside",
        "zones:\n  - name: z.test\n    records:\n      "
        "- {name: a.other., type: A, value: 1.2.3.4}\n",
        "t.yaml:4:9: bad "
        "record name \"a.other.\", expected a name inside the zone"},
    {"bad_record_no_type",
        "zones:\n  - name: z.test\n    records:\n      "
        "- {name: a, value: 1.2.3.4}\n",
        "t.yaml:4:9: record without type, "
        "expected name, type and values or alias"},
    {"bad_record_no_values",
        "zones:\n  - name: z.test\n    records:\n   "
        "   - {name: a, type: A}\n",
        "t.yaml:4:9: record a.z.test. A has no "
        "values, expected values or alias"},
    {"bad_record_value_and_values",
        "zones:\n  - name: z.test\n    "
        "records:\n      - {name: a, type: A, value: 1.2.3.4, values: "
        "[1.2.3.5]}\n",
        "t.yaml:4:9: record a.z.test. A has value and "
        "values, expected one of them"},
    {"bad_alias_type",
        "zones:\n  - name: z.test\n    records:\n      - "
        "{name: a, type: MX, alias: b.test}\n",
        "t.yaml:4:9: alias record "
        "a.z.test. has type MX, expected A or AAAA"},
    {"bad_cname_apex",
        "zones:\n  - name: z.test\n    records:\n      - "
        "{name: \"@\", type: CNAME, value: b.test.}\n",
        "t.yaml:4:9: CNAME "
        "record at the apex of z.test., expected none (NS is synthesized; "
        "CNAME cannot sit beside SOA)"},
    {"bad_cname_and_other",
        "zones:\n  - name: z.test\n    records:\n    "
        "  - {name: a, type: A, value: 1.2.3.4}\n      - {name: a, type: "
        "CNAME, value: b.test.}\n",
        "t.yaml:5:9: record a.z.test. has CNAME "
        "and other types, expected a CNAME alone (RFC 1034 3.6.2)"},
    {"bad_duplicate_rrset",
        "zones:\n  - name: z.test\n    records:\n    "
        "  - {name: a, type: A, value: 1.2.3.4}\n      - {name: a.z.test., "
        "type: a, value: 1.2.3.5}\n",
        "t.yaml:5:9: duplicate record "
        "a.z.test. A, expected one record set per name and type (list "
        "several values)"},
    {"bad_alias_bomb",
        "zones:\n  - name: z.test\n    records:\n      - "
        "name: a\n        type: TXT\n        values: &a [&b [&c [x, x], *c],"
        " *b]\n",
        "t.yaml:6:21: values item is a sequence, expected record "
        "data as a string"},
    {"bad_self_alias", "listen: &a [*a]\n",
        "t.yaml:1:9: listen is a "
        "sequence, expected an address"},
    {"bad_min_ttl_above_max", "cache:\n  min_ttl: 1h\n  max_ttl: 60\n",
        "t.yaml:2:12: cache min_ttl is above max_ttl, expected min_ttl <= "
        "max_ttl"},
    {"bad_min_ttl_above_default_max", "cache: {min_ttl: 2d}\n",
        "t.yaml:1:18: cache min_ttl is above max_ttl, expected min_ttl <= "
        "max_ttl"},
    {"bad_total_below_upstream",
        "timeouts:\n  upstream: 5s\n  total: "
        "2s\n",
        "t.yaml:3:10: timeouts total is below upstream, expected "
        "total >= upstream"},
    {"bad_upstream_is_listen",
        "listen: [127.0.0.1:53]\nupstreams: "
        "[127.0.0.1]\n",
        "t.yaml:2:12: an upstream is one of our own listen "
        "addresses (a forwarding loop), expected another resolver"},
    {"bad_forward_is_listen", "forward:\n  - {zone: a, to: [127.0.0.1:5353]}\n",
        "t.yaml:2:3: a forward server is one of our own listen addresses "
        "(a forwarding loop), expected another resolver"},
    /* conflicts only the name table sees (conf_names.c): each at the
     * link or record the daemon's zonetab_build() fails on */
    {"bad_link_is_record",
        "zones:\n  - name: z.test\n    records:\n"
        "      - {name: www, type: A, values: [10.0.0.1]}\n"
        "links:\n  - {name: a.test, addresses: [10.0.0.3]}\n"
        "  - {name: WWW.z.test, addresses: [10.0.0.2]}\n",
        "t.yaml:7:5: link www.z.test.: name already defined, expected "
        "each name defined once by the links and zone records together, "
        "a CNAME alone at its name"},
    {"bad_cname_link_at_apex",
        "zones:\n  - name: z.test\nlinks:\n"
        "  - {name: z.test, target: t.example, mode: cname}\n",
        "t.yaml:4:5: z.test.: CNAME and other data at the same name, "
        "expected each name defined once by the links and zone records "
        "together, a CNAME alone at its name"},
};

static void
test_bad_case(void **state)
{
	const struct bad_case *bc = *state;
	struct conf *c = (struct conf *)(uintptr_t)0x1;
	struct errbuf err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(
	    conf_load_buffer("t.yaml", bc->yaml, strlen(bc->yaml), &c, &err),
	    -1);
	/* *out is assigned only on success */
	assert_ptr_equal(c, (struct conf *)(uintptr_t)0x1);
	assert_string_equal(err.msg, bc->msg);
}

/* 401 records reusing one 100-value list: ~40,500 node visits from a
 * 12 KiB file, over the cap of 10,000 + one per input byte. */
static void
test_node_cap(void **state)
{
	char *yaml = NULL, *p;
	size_t len = 0, i;
	FILE *fp = open_memstream(&yaml, &len);
	struct errbuf err;

	(void)state;
	fputs("zones:\n  - name: z.test\n    records:\n      - {name: r0, "
	      "type: TXT, values: &v [",
	    fp);
	for (i = 0; i < 100; i++)
		fprintf(fp, "%sv%zu", i ? ", " : "", i);
	fputs("]}\n", fp);
	for (i = 1; i <= 400; i++)
		fprintf(fp, "      - {name: r%zu, type: TXT, values: *v}\n", i);
	fclose(fp);
	assert_null(load(yaml, &err));
	assert_non_null(p = strstr(err.msg, "nodes (an alias bomb?)"));
	assert_true(strncmp(err.msg, "t.yaml:", 7) == 0);
	free(yaml);
}

static void
test_too_large(void **state)
{
	size_t n = CONF_MAX_BYTES + 1;
	char *buf = malloc(n);
	struct conf *c = NULL;
	struct errbuf err;

	(void)state;
	assert_non_null(buf);
	memset(buf, ' ', n);
	memset(&err, 0, sizeof(err));
	assert_int_equal(conf_load_buffer("t.yaml", buf, n, &c, &err), -1);
	assert_null(c);
	assert_string_equal(err.msg,
	    "t.yaml: file is 67108865 bytes, expected at most 67108864");
	free(buf);
}

static const char *roundtrip_inputs[] = {
    "{}\n",
    "listen: [\"[::1]:53\", 0.0.0.0:5300]\nupstreams: [192.0.2.1]\n"
    "forward:\n  - {zone: consul, to: [127.0.0.1:8600, \"::2\"]}\n"
    "allow: [0.0.0.0/0]\ncache: {size: 1GB, min_ttl: 1m, serve_stale: "
    "90m, prefetch: false}\ntimeouts: {upstream: 250ms, total: 2m}\n"
    "limits: {tcp_clients: 1}\nworkers: auto\nversion: \"true\"\n"
    "api: {socket: /run/a.sock, listen: \"[::1]:80\"}\nuser: nobody\n"
    "syslog: true\n",
    "availability_zone: az-1\nlinks:\n  - {name: \"*.a.test\", target: "
    "t.test, zonal: {az-1: t1.test, az-2: t2.test}}\n  - {name: b.test, "
    "target: t.test, mode: cname, ttl: 0}\n  - {name: c.test, addresses: "
    "[\"::1\", 10.0.0.1]}\n",
    "zones:\n  - name: z.test\n    comment: \"x: 'y' \\\"z\\\" #1\"\n"
    "    records:\n      - {name: \"@\", type: TXT, values: ['\"a;b\" "
    "c', \"'q'\"]}\n      - {name: m, type: MX, value: \"10 @\"}\n"
    "      - {name: s, type: SRV, value: 1 2 3 m}\n"
    "      - {name: al, type: A, alias: x.test}\n"
    "      - {name: t, type: TYPE65, value: \"\\\\# 0\"}\n",
};

static void
test_roundtrip(void **state)
{
	struct conf *c, *d;
	char *a, *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(roundtrip_inputs) / sizeof(char *); i++) {
		c = load_ok(roundtrip_inputs[i]);
		a = print_str(c);
		d = load_ok(a);
		b = print_str(d);
		if (strcmp(a, b) != 0)
			fail_msg("round trip %zu:\n%s\n---\n%s", i, a, b);
		conf_free(c);
		conf_free(d);
		free(a);
		free(b);
	}
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/test_conf_XXXXXX";
	struct conf *c = NULL;
	struct errbuf err;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, "syslog: true\n", 13), 13);
	close(fd);
	memset(&err, 0, sizeof(err));
	assert_int_equal(conf_load(path, &c, &err), 0);
	assert_true(c->syslog);
	assert_string_equal(c->path, path);
	conf_free(c);
	c = NULL;
	unlink(path);
	assert_int_equal(conf_load(path, &c, &err), -1);
	assert_null(c);
	assert_non_null(strstr(err.msg, "No such file"));
}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_empty_mapping_is_defaults),
	    cmocka_unit_test(test_network_values),
	    cmocka_unit_test(test_links),
	    cmocka_unit_test(test_zone_records),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_prefixes),
	    cmocka_unit_test(test_node_cap),
	    cmocka_unit_test(test_too_large),
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_load_file),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	size_t nbad = sizeof(bad_cases) / sizeof(bad_cases[0]), i;
	struct CMUnitTest *all;
	int rv;

	if ((all = calloc(nfixed + nbad, sizeof(*all))) == NULL)
		return 1;
	memcpy(all, fixed, sizeof(fixed));
	for (i = 0; i < nbad; i++) {
		all[nfixed + i].name = bad_cases[i].name;
		all[nfixed + i].test_func = test_bad_case;
		all[nfixed + i].initial_state =
		    (void *)(uintptr_t)&bad_cases[i];
	}
	rv = _cmocka_run_group_tests("conf", all, nfixed + nbad, NULL, NULL);
	free(all);
	return rv;
}
