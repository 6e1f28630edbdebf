/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for confedit (add/update a link in config text).
 *
 * Corner cases: no links: key (appended at the end, file without a final
 * newline); "links: []"; appending after the last entry with comments and
 * other keys kept byte for byte; replacing an entry in the middle (its
 * zonal sub-block and blank line handled, the next entry untouched); a
 * name with a trailing dot and different case; entries indented at 0 and
 * 4; a flow list with entries refused; a hostile name refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/confedit.h"

static const char *const az[] = {"us-west-2a"};
static const char *const zt[] = {"vpce-1-abc-us-west-2a.vpce-svc-9.us-west-2."
                                 "vpce.amazonaws.com"};
static const struct confedit_link L = {"in01-x.example.com",
    "vpce-1-abc.vpce-svc-9.us-west-2.vpce.amazonaws.com", az, zt, 1, 0};
#define ENTRY                                                                  \
	"  - name: in01-x.example.com\n"                                       \
	"    target: vpce-1-abc.vpce-svc-9.us-west-2.vpce.amazonaws.com\n"     \
	"    zonal:\n"                                                         \
	"      us-west-2a: vpce-1-abc-us-west-2a.vpce-svc-9.us-west-2.vpce."   \
	"amazonaws.com\n"

static void
expect(const char *in, const char *want)
{
	struct errbuf err = {{0}};
	char *out = confedit_apply(in, &L, &err);

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void
test_no_links_key(void **state)
{
	(void)state;
	expect("listen: [127.0.0.1:5353]",
	    "listen: [127.0.0.1:5353]\n"
	    "links:\n" ENTRY);
	expect("", "links:\n" ENTRY);
}

static void
test_empty_flow(void **state)
{
	(void)state;
	expect("# top\nlinks: []\nzones: []\n",
	    "# top\nlinks:\n" ENTRY "zones: []\n");
}

static void
test_append_keeps_rest(void **state)
{
	(void)state;
	expect("listen: [127.0.0.1:5353]\n"
	       "links:\n"
	       "  # static dev link\n"
	       "  - name: in01-dev.local.test\n"
	       "    addresses: [127.0.0.1]\n"
	       "\n"
	       "zones: []   # none\n",
	    "listen: [127.0.0.1:5353]\n"
	    "links:\n"
	    "  # static dev link\n"
	    "  - name: in01-dev.local.test\n"
	    "    addresses: [127.0.0.1]\n" ENTRY "\n"
	    "zones: []   # none\n");
}

static void
test_replace_middle(void **state)
{
	(void)state;
	expect("links:\n"
	       "  - name: a.test\n"
	       "    addresses: [127.0.0.1]\n"
	       "  - name: \"IN01-X.example.com.\"   # old\n"
	       "    target: old.example\n"
	       "    zonal:\n"
	       "      us-west-2b: old-b.example\n"
	       "    ttl: 30\n"
	       "\n"
	       "  - name: b.test\n"
	       "    addresses: [127.0.0.2]\n",
	    "links:\n"
	    "  - name: a.test\n"
	    "    addresses: [127.0.0.1]\n" ENTRY "\n"
	    "  - name: b.test\n"
	    "    addresses: [127.0.0.2]\n");
}

static void
test_indent_zero_and_four(void **state)
{
	(void)state;
	expect("links:\n- name: a.test\n  addresses: [127.0.0.1]\n",
	    "links:\n- name: a.test\n  addresses: [127.0.0.1]\n"
	    "- name: in01-x.example.com\n"
	    "  target: vpce-1-abc.vpce-svc-9.us-west-2.vpce.amazonaws.com\n"
	    "  zonal:\n"
	    "    us-west-2a: vpce-1-abc-us-west-2a.vpce-svc-9.us-west-2.vpce."
	    "amazonaws.com\n");
	expect("links:\n    - name: in01-x.example.com\n      target: t.old\n",
	    "links:\n"
	    "    - name: in01-x.example.com\n"
	    "      target: vpce-1-abc.vpce-svc-9.us-west-2.vpce.amazonaws.com\n"
	    "      zonal:\n"
	    "        us-west-2a: vpce-1-abc-us-west-2a.vpce-svc-9.us-west-2."
	    "vpce.amazonaws.com\n");
}

static void
test_refused(void **state)
{
	struct confedit_link bad = L;
	struct errbuf err = {{0}};

	(void)state;
	assert_null(confedit_apply("links: [{name: a.test}]\n", &L, &err));
	assert_non_null(strstr(err.msg, "not a block list"));
	bad.name = "a.test\n  evil: yes";
	assert_null(confedit_apply("", &bad, &err));
	bad.name = "";
	assert_null(confedit_apply("", &bad, &err));
}

static void
test_ttl(void **state)
{
	struct confedit_link l = L;
	struct errbuf err = {{0}};
	char *out;

	(void)state;
	l.nzonal = 0;
	l.ttl = 60;
	out = confedit_apply("links:\n", &l, &err);
	assert_non_null(out);
	assert_string_equal(out,
	    "links:\n  - name: in01-x.example.com\n"
	    "    target: vpce-1-abc.vpce-svc-9.us-west-2.vpce.amazonaws.com\n"
	    "    ttl: 60\n");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_links_key),
	    cmocka_unit_test(test_empty_flow),
	    cmocka_unit_test(test_append_keeps_rest),
	    cmocka_unit_test(test_replace_middle),
	    cmocka_unit_test(test_indent_zero_and_four),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_ttl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
