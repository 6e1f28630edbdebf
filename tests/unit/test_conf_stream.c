/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for the streamed configuration walk (conf_stream.c) and the
 * heap-string links (conf_link_copy/clear): a long links list walked item
 * by item with anchors defined in some items and used by later ones (and
 * by a zone record after the list), an error in item N reported at its
 * own line:col (from a buffer and from a file, which is read as it is
 * parsed), a duplicate name pointing at the first item's line, the
 * precedence of YAML errors (syntax, undefined alias, second document)
 * found after a walk error, the fallbacks for an anchored root and an
 * anchored list, the node cap inside a link, and deep copies of links.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/conf_internal.h"
#include "linkshim/conf.h"

#define NLINKS 3000
#define HEAD "upstreams: [127.0.0.1:53]\nlinks:\n" /* items from line 3 */

static struct conf *
load(const char *yaml, struct errbuf *err)
{
	struct conf *c = NULL;

	memset(err, 0, sizeof(*err));
	if (conf_load_buffer("t.yaml", yaml, strlen(yaml), &c, err) == -1)
		return NULL;
	return c;
}

/* HEAD, then n links "nI.test" -> "tI.test"; every 7th target carries
 * anchor aI, items 7k+3 use *a(7k) as target.  Item bad (if < n) has the
 * target "bad..x".  tail is appended.  Returns a new string. */
static char *
long_list(size_t n, size_t bad, const char *tail)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fputs(HEAD, f);
	for (i = 0; i < n; i++) {
		if (i == bad)
			fprintf(
			    f, "  - {name: n%zu.test, target: bad..x}\n", i);
		else if (i % 7 == 0)
			fprintf(f,
			    "  - {name: n%zu.test, target: &a%zu t%zu.test}\n",
			    i, i, i);
		else if (i % 7 == 3)
			fprintf(f, "  - {name: n%zu.test, target: *a%zu}\n", i,
			    i - 3);
		else
			fprintf(f, "  - {name: n%zu.test, target: t%zu.test}\n",
			    i, i);
	}
	fputs(tail, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
test_long_list_with_anchors(void **state)
{
	char *yaml = long_list(NLINKS, NLINKS,
	    "zones:\n  - name: corp.test\n    records:\n"
	    "      - {name: www, type: CNAME, values: [*a700]}\n");
	struct errbuf err;
	struct conf *c;
	char want[64];
	size_t i;

	(void)state;
	c = load(yaml, &err);
	if (c == NULL)
		fail_msg("unexpected error: %s", err.msg);
	assert_int_equal(c->nlinks, NLINKS);
	for (i = 0; i < NLINKS; i += 1) {
		snprintf(want, sizeof(want), "n%zu.test.", i);
		assert_string_equal(c->links[i].name, want);
		snprintf(
		    want, sizeof(want), "t%zu.test.", i % 7 == 3 ? i - 3 : i);
		assert_string_equal(c->links[i].target, want);
	}
	assert_int_equal(c->nzones, 1);
	assert_int_equal(c->zones[0].nrrsets, 1);
	assert_non_null(strstr(c->zones[0].rrsets[0].values[0], "t700.test"));
	conf_free(c);
	free(yaml);
}

/* The error of item bad, at its target's line and column. */
static void
expect_item_error(const char *msg, size_t bad)
{
	char want[128];
	int col = (int)strlen("  - {name: n.test, target: ") + 1 +
	    snprintf(NULL, 0, "%zu", bad);

	snprintf(want, sizeof(want), "t.yaml:%zu:%d: bad target \"bad..x\"",
	    bad + 3, col);
	if (strncmp(msg, want, strlen(want)) != 0)
		fail_msg("got \"%s\", expected \"%s...\"", msg, want);
}

static void
test_error_in_item_n(void **state)
{
	/* not 7k: their anchors are used by later items */
	static const size_t bad[] = {1, 2, 3, 1234, NLINKS - 1};
	struct errbuf err;
	char *yaml;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		yaml = long_list(NLINKS, bad[i], "");
		assert_null(load(yaml, &err));
		expect_item_error(err.msg, bad[i]);
		free(yaml);
	}
}

/* The same from a file: the parser reads it as it goes (conf_load). */
static void
test_error_in_item_n_file(void **state)
{
	char path[] = "/tmp/test_conf_stream-XXXXXX";
	struct conf *c = NULL;
	struct errbuf err;
	char *yaml = long_list(NLINKS, 2999, "");
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	memset(&err, 0, sizeof(err));
	assert_int_equal(conf_load(path, &c, &err), -1);
	assert_null(c);
	/* the message starts with the path, then line:col */
	assert_non_null(strstr(err.msg, ":3002:"));
	assert_non_null(strstr(err.msg, "bad target \"bad..x\""));
	unlink(path);
	free(yaml);
}

static void
test_duplicate_far_apart(void **state)
{
	char *yaml =
	    long_list(NLINKS, NLINKS, "  - {name: N17.TEST, target: x.test}\n");
	struct errbuf err;

	(void)state;
	assert_null(load(yaml, &err));
	assert_string_equal(err.msg,
	    "t.yaml:3003:5: duplicate link name n17.test. (first at line 20), "
	    "expected each name once");
	free(yaml);
}

/* A YAML error anywhere wins over a walk error found before it, as when
 * the whole document was loaded first. */
static void
test_yaml_error_wins(void **state)
{
	static const struct {
		const char *tail, *want;
	} cases[] = {
	    {"  - {name: x.test, target: [\n",
	        "t.yaml:3003:1: did not find expected node content"},
	    {"  - {name: x.test, target: *nowhere}\n",
	        "t.yaml:3002:28: found undefined alias"},
	    {"  - {name: x.test, target: *a7}\n  - {name: &a7 y.test, target: "
	     "z.test}\n",
	        "t.yaml:3003:12: second occurrence found duplicate anchor"},
	    {"---\nfoo: 1\n", "t.yaml:3003:1: a second YAML document"},
	};
	struct errbuf err;
	char *yaml;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		yaml = long_list(NLINKS - 1, 5, cases[i].tail);
		assert_null(load(yaml, &err));
		if (strncmp(err.msg, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("case %zu: got \"%s\"", i, err.msg);
		free(yaml);
	}
}

/* An anchored root or list is loaded whole and walked as before; the
 * results are those of the streamed walk. */
static void
test_fallbacks(void **state)
{
	static const char *const docs[] = {
	    "upstreams: [127.0.0.1:53]\nlinks:\n"
	    "  - {name: a.test, target: t.test}\n  - {name: b.test, "
	    "addresses: [10.0.0.1]}\n",
	    "&root\nupstreams: [127.0.0.1:53]\nlinks:\n"
	    "  - {name: a.test, target: t.test}\n  - {name: b.test, "
	    "addresses: [10.0.0.1]}\n",
	    "upstreams: [127.0.0.1:53]\nlinks: &l\n"
	    "  - {name: a.test, target: t.test}\n  - {name: b.test, "
	    "addresses: [10.0.0.1]}\n",
	    "{upstreams: [127.0.0.1:53], links: [{name: a.test, target: "
	    "t.test}, {name: b.test, addresses: [10.0.0.1]}]}\n",
	};
	struct errbuf err;
	struct conf *c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		if ((c = load(docs[i], &err)) == NULL)
			fail_msg("doc %zu: %s", i, err.msg);
		assert_int_equal(c->nlinks, 2);
		assert_string_equal(c->links[0].name, "a.test.");
		assert_string_equal(c->links[0].target, "t.test.");
		assert_string_equal(c->links[1].name, "b.test.");
		assert_string_equal(c->links[1].target, "");
		assert_int_equal(c->links[1].mode, LINK_MODE_STATIC);
		conf_free(c);
	}
	/* a links list given as an alias of an anchored list elsewhere is
	 * an unknown key first, as before */
	assert_null(load("x: &l [1]\nlinks: *l\n", &err));
	assert_non_null(strstr(err.msg, "t.yaml:1:1: unknown key \"x\""));
}

/* The node cap counts visits inside streamed items too: one anchored
 * list of 600 addresses reused by 40 static links is ~24,000 visits for
 * ~9 KB of text (cap 10,000 + the length). */
static void
test_node_cap_in_items(void **state)
{
	struct errbuf err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	(void)state;
	assert_non_null(f);
	fputs(HEAD "  - {name: s0.test, addresses: &v [", f);
	for (i = 0; i < 600; i++)
		fprintf(f, "%s10.0.%d.%d", i ? ", " : "", i / 250, i % 250);
	fputs("]}\n", f);
	for (i = 1; i < 40; i++)
		fprintf(f, "  - {name: s%d.test, addresses: *v}\n", i);
	assert_int_equal(fclose(f), 0);
	assert_null(load(buf, &err));
	if (strstr(err.msg,
	        "nodes (an alias bomb?), expected a smaller "
	        "configuration") == NULL ||
	    strncmp(err.msg, "t.yaml:3:", 9) != 0)
		fail_msg("got \"%s\"", err.msg);
	free(buf);
}

static void
test_link_copy_clear(void **state)
{
	struct conf_ip ip = {.family = 2, .addr = {10, 0, 0, 1}};
	struct conf_zonal z = {.az = "us-west-2a", .target = "z.test."};
	struct conf_link src = {.name = "a.test.",
	    .target = "t.test.",
	    .mode = LINK_MODE_CNAME,
	    .ttl = 30,
	    .zonal = &z,
	    .nzonal = 1,
	    .addrs = &ip,
	    .naddrs = 1};
	struct conf_link dst;

	(void)state;
	assert_int_equal(conf_link_copy(&dst, &src), 0);
	assert_ptr_not_equal(dst.name, src.name);
	assert_ptr_not_equal(dst.target, src.target);
	assert_ptr_not_equal(dst.zonal, src.zonal);
	assert_ptr_not_equal(dst.addrs, src.addrs);
	assert_string_equal(dst.name, "a.test.");
	assert_string_equal(dst.target, "t.test.");
	assert_string_equal(dst.zonal[0].target, "z.test.");
	assert_memory_equal(&dst.addrs[0], &ip, sizeof(ip));
	assert_int_equal(dst.ttl, 30);
	assert_int_equal(dst.mode, LINK_MODE_CNAME);
	conf_link_clear(&dst);
	assert_null(dst.name);
	assert_null(dst.target);
	assert_int_equal(dst.nzonal + dst.naddrs, 0);
	conf_link_clear(&dst); /* a zeroed link */
	memset(&src, 0, sizeof(src));
	assert_int_equal(conf_link_copy(&dst, &src), 0);
	assert_null(dst.name);
	conf_link_clear(&dst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_long_list_with_anchors),
	    cmocka_unit_test(test_error_in_item_n),
	    cmocka_unit_test(test_error_in_item_n_file),
	    cmocka_unit_test(test_duplicate_far_apart),
	    cmocka_unit_test(test_yaml_error_wins),
	    cmocka_unit_test(test_fallbacks),
	    cmocka_unit_test(test_node_cap_in_items),
	    cmocka_unit_test(test_link_copy_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
