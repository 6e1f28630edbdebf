/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for src/core/acl.c.  Corner cases: exact /32 and /128,
 * byte-aligned and odd prefix lengths (on both sides of the boundary),
 * /0 matches everything of its family only, IPv4-mapped IPv6 clients
 * matched by IPv4 prefixes, an empty list refuses, a prefix longer than
 * its family refuses, unknown family refused, NULL address refused.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/acl.h"

static struct conf_prefix
pfx(const char *addr, unsigned bits)
{
	struct conf_prefix p;

	memset(&p, 0, sizeof(p));
	if (inet_pton(AF_INET, addr, p.addr) == 1)
		p.family = AF_INET;
	else if (inet_pton(AF_INET6, addr, p.addr) == 1)
		p.family = AF_INET6;
	p.bits = bits;
	return p;
}

static bool
allows(const struct conf_prefix *list, size_t n, const char *addr)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1)
		sin->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1)
		sin6->sin6_family = AF_INET6;
	return acl_allows(list, n, (struct sockaddr *)&ss);
}

static void
test_v4_exact(void **state)
{
	struct conf_prefix p = pfx("192.0.2.1", 32);

	(void)state;
	assert_true(allows(&p, 1, "192.0.2.1"));
	assert_false(allows(&p, 1, "192.0.2.2"));
}

static void
test_v4_prefixes(void **state)
{
	struct conf_prefix l[] = {pfx("127.0.0.0", 8), pfx("10.1.0.0", 17)};

	(void)state;
	assert_true(allows(l, 2, "127.0.0.1"));
	assert_true(allows(l, 2, "127.255.255.255"));
	assert_false(allows(l, 2, "128.0.0.1"));
	assert_true(allows(l, 2, "10.1.127.255"));
	assert_false(allows(l, 2, "10.1.128.0"));
	assert_false(allows(l, 2, "10.0.255.255"));
}

static void
test_v6(void **state)
{
	struct conf_prefix l[] = {pfx("::1", 128), pfx("fd00:10::", 33)};

	(void)state;
	assert_true(allows(l, 2, "::1"));
	assert_false(allows(l, 2, "::2"));
	assert_true(allows(l, 2, "fd00:10:7fff::1"));
	assert_false(allows(l, 2, "fd00:10:8000::1"));
	assert_false(allows(l, 2, "127.0.0.1"));
}

static void
test_zero_bits(void **state)
{
	struct conf_prefix l[] = {pfx("0.0.0.0", 0)};

	(void)state;
	assert_true(allows(l, 1, "203.0.113.9"));
	assert_false(allows(l, 1, "2001:db8::1"));
}

static void
test_v4_mapped(void **state)
{
	struct conf_prefix l[] = {pfx("127.0.0.0", 8)};

	(void)state;
	assert_true(allows(l, 1, "::ffff:127.0.0.1"));
	assert_false(allows(l, 1, "::ffff:10.0.0.1"));
	assert_false(allows(l, 1, "::7f00:1")); /* not mapped */
}

static void
test_refusals(void **state)
{
	struct conf_prefix bad = pfx("10.0.0.0", 33);
	struct conf_prefix ok = pfx("10.0.0.0", 8);
	struct sockaddr sa;

	(void)state;
	assert_false(allows(&ok, 0, "10.0.0.1")); /* empty list */
	assert_false(allows(&bad, 1, "10.0.0.1"));
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	assert_false(acl_allows(&ok, 1, &sa));
	assert_false(acl_allows(&ok, 1, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_v4_exact),
	    cmocka_unit_test(test_v4_prefixes),
	    cmocka_unit_test(test_v6),
	    cmocka_unit_test(test_zero_bits),
	    cmocka_unit_test(test_v4_mapped),
	    cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
