/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for conf_resolve_upstreams() (conf_resolv.c): default
 * upstreams read from resolv.conf files written to a private temporary
 * directory, with the systemd-resolved path passed in through
 * conf_resolve_upstreams_from() instead of /run/systemd/resolve.  Cases:
 * a plain file with comments, options, bad and scoped lines; the
 * 127.0.0.53 stub redirect (and its file missing or itself only the
 * stub); our own listen addresses dropped, including wildcard listeners
 * on port 53; none left; a missing file; configured upstreams left alone.
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

static struct conf *
load_ok(const char *yaml)
{
	struct conf *c = NULL;
	struct errbuf err;

	memset(&err, 0, sizeof(err));
	if (conf_load_buffer("t.yaml", yaml, strlen(yaml), &c, &err) == -1)
		fail_msg("unexpected error: %s", err.msg);
	return c;
}

/* resolv.conf: temp files in a private directory. */
struct rtmp {
	char dir[64];
	char resolv[128];
	char systemd[128];
};

static void
rtmp_init(struct rtmp *t, const char *resolv, const char *systemd)
{
	FILE *fp;

	strlcpy(t->dir, "/tmp/test_conf_resolv_XXXXXX", sizeof(t->dir));
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->resolv, sizeof(t->resolv), "%s/resolv.conf", t->dir);
	snprintf(t->systemd, sizeof(t->systemd), "%s/systemd.conf", t->dir);
	if (resolv != NULL) {
		assert_non_null(fp = fopen(t->resolv, "w"));
		fputs(resolv, fp);
		fclose(fp);
	}
	if (systemd != NULL) {
		assert_non_null(fp = fopen(t->systemd, "w"));
		fputs(systemd, fp);
		fclose(fp);
	}
}

static void
rtmp_clear(struct rtmp *t)
{
	unlink(t->resolv);
	unlink(t->systemd);
	rmdir(t->dir);
}

/* Resolve with conf from yaml; the upstreams joined by " ", or the
 * error message, into out. */
static int
resolve(const char *yaml, struct rtmp *t, char *out, size_t len)
{
	struct conf *c = load_ok(yaml);
	struct errbuf err;
	char buf[64];
	size_t i;
	int rv;

	memset(&err, 0, sizeof(err));
	out[0] = '\0';
	rv = conf_resolve_upstreams_from(c, t->resolv, t->systemd, &err);
	if (rv == -1)
		strlcpy(out, err.msg, len);
	for (i = 0; rv == 0 && i < c->nupstreams; i++) {
		conf_format_addr(&c->upstreams[i], buf, sizeof(buf));
		if (i > 0)
			strlcat(out, " ", len);
		strlcat(out, buf, len);
	}
	conf_free(c);
	return rv;
}

static void
test_resolv_plain(void **state)
{
	struct rtmp t;
	char out[512];

	(void)state;
	rtmp_init(&t,
	    "# generated\nsearch example.com\nnameserver 192.0.2.1\n"
	    "  nameserver\t2001:db8::1  # v6\nnameserver bogus\n"
	    "nameserver fe80::1%eth0\nnameserver\noptions edns0\n"
	    "nameserver 192.0.2.2:53\n",
	    NULL);
	assert_int_equal(resolve("{}", &t, out, sizeof(out)), 0);
	assert_string_equal(out, "192.0.2.1:53 [2001:db8::1]:53");
	rtmp_clear(&t);
}

static void
test_resolv_systemd_stub(void **state)
{
	struct rtmp t;
	char out[512];

	(void)state;
	rtmp_init(&t, "nameserver 127.0.0.53\noptions edns0 trust-ad\n",
	    "nameserver 192.0.2.9\nnameserver 192.0.2.10\n");
	assert_int_equal(resolve("{}", &t, out, sizeof(out)), 0);
	assert_string_equal(out, "192.0.2.9:53 192.0.2.10:53");
	rtmp_clear(&t);
}

static void
test_resolv_stub_without_systemd_file(void **state)
{
	struct rtmp t;
	char out[512], want[512];

	(void)state;
	rtmp_init(&t, "nameserver 127.0.0.53\n", NULL);
	assert_int_equal(resolve("{}", &t, out, sizeof(out)), -1);
	snprintf(want, sizeof(want),
	    "%s: No such file or directory, "
	    "expected a resolv.conf with nameserver lines or upstreams: in "
	    "the config",
	    t.systemd);
	assert_string_equal(out, want);
	rtmp_clear(&t);
}

static void
test_resolv_drops_own_listen(void **state)
{
	struct rtmp t;
	char out[512];

	(void)state;
	rtmp_init(&t,
	    "nameserver 127.0.0.1\nnameserver 127.0.0.2\nnameserver ::1\n"
	    "nameserver 192.0.2.1\n",
	    NULL);
	/* 127.0.0.1:53 is us; 127.0.0.2 and ::1 are not */
	assert_int_equal(
	    resolve("listen: [127.0.0.1:53]", &t, out, sizeof(out)), 0);
	assert_string_equal(out, "127.0.0.2:53 [::1]:53 192.0.2.1:53");
	/* wildcard listeners on port 53 answer on every loopback address */
	assert_int_equal(
	    resolve("listen: [0.0.0.0:53, \"[::]:53\"]", &t, out, sizeof(out)),
	    0);
	assert_string_equal(out, "192.0.2.1:53");
	/* the default 127.0.0.1:5353 is not port 53: nothing is ours */
	assert_int_equal(resolve("{}", &t, out, sizeof(out)), 0);
	assert_string_equal(
	    out, "127.0.0.1:53 127.0.0.2:53 [::1]:53 192.0.2.1:53");
	rtmp_clear(&t);
}

static void
test_resolv_none_left(void **state)
{
	struct rtmp t;
	char out[512], want[512];

	(void)state;
	rtmp_init(&t, "nameserver 127.0.0.1\n", NULL);
	assert_int_equal(
	    resolve("listen: [127.0.0.1:53]", &t, out, sizeof(out)), -1);
	snprintf(want, sizeof(want),
	    "%s: no usable nameserver (1 found, none "
	    "that is not our own listen address or the systemd-resolved "
	    "stub), expected a nameserver line or upstreams: in the config",
	    t.resolv);
	assert_string_equal(out, want);
	rtmp_clear(&t);
	/* an empty file, and the stub pointing to a file without servers */
	rtmp_init(&t, "", "# nothing\n");
	assert_int_equal(resolve("{}", &t, out, sizeof(out)), -1);
	assert_non_null(strstr(out, "no usable nameserver (0 found"));
	rtmp_clear(&t);
	rtmp_init(&t, "nameserver 127.0.0.53\n", "nameserver 127.0.0.53\n");
	assert_int_equal(resolve("{}", &t, out, sizeof(out)), -1);
	assert_non_null(strstr(out, t.systemd));
	rtmp_clear(&t);
}

static void
test_resolv_missing_file(void **state)
{
	struct rtmp t;
	char out[512];

	(void)state;
	rtmp_init(&t, NULL, NULL);
	assert_int_equal(resolve("{}", &t, out, sizeof(out)), -1);
	assert_non_null(strstr(out, "No such file or directory"));
	/* configured upstreams: the file is never read */
	assert_int_equal(
	    resolve("upstreams: [192.0.2.5]", &t, out, sizeof(out)), 0);
	assert_string_equal(out, "192.0.2.5:53");
	rtmp_clear(&t);
}

static void
test_resolv_public_api(void **state)
{
	struct rtmp t;
	struct conf *c;
	struct errbuf err;
	char yaml[256], buf[64];

	(void)state;
	rtmp_init(&t, "nameserver 192.0.2.77\n", NULL);
	snprintf(yaml, sizeof(yaml), "resolv_conf: %s\n", t.resolv);
	c = load_ok(yaml);
	memset(&err, 0, sizeof(err));
	assert_int_equal(conf_resolve_upstreams(c, &err), 0);
	assert_int_equal(c->nupstreams, 1);
	conf_format_addr(&c->upstreams[0], buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.77:53");
	conf_free(c);
	rtmp_clear(&t);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_resolv_plain),
	    cmocka_unit_test(test_resolv_systemd_stub),
	    cmocka_unit_test(test_resolv_stub_without_systemd_file),
	    cmocka_unit_test(test_resolv_drops_own_listen),
	    cmocka_unit_test(test_resolv_none_left),
	    cmocka_unit_test(test_resolv_missing_file),
	    cmocka_unit_test(test_resolv_public_api),
	};

	return cmocka_run_group_tests_name("conf_resolv", tests, NULL, NULL);
}
