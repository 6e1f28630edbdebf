/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for the pure half of notify.c: $NOTIFY_SOCKET address parsing
 * (path, abstract "@name", rejects) and datagram formatting.  The socket
 * half is exercised by tests/pkg/notify.sh with a fake notify receiver.
 *
 * Cases: absolute path; abstract name (leading NUL, length without a
 * terminator); relative path, empty, lone "@", NULL and too-long rejected
 * with outputs untouched; READY with STATUS; RELOADING with
 * MONOTONIC_USEC; STATUS newline folding; STATUS alone; buffer too small.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/notify.h"

static void
test_addr_path(void **state)
{
	struct sockaddr_un sun;
	socklen_t len = 0;

	(void)state;
	assert_int_equal(notify_addr("/run/systemd/notify", &sun, &len), 0);
	assert_int_equal(sun.sun_family, AF_UNIX);
	assert_string_equal(sun.sun_path, "/run/systemd/notify");
	assert_int_equal(len, offsetof(struct sockaddr_un, sun_path) + 19);
}

static void
test_addr_abstract(void **state)
{
	struct sockaddr_un sun;
	socklen_t len = 0;

	(void)state;
	assert_int_equal(notify_addr("@fake/notify", &sun, &len), 0);
	assert_int_equal(sun.sun_path[0], '\0');
	assert_memory_equal(sun.sun_path + 1, "fake/notify", 11);
	assert_int_equal(len, offsetof(struct sockaddr_un, sun_path) + 12);
}

static void
test_addr_rejects(void **state)
{
	struct sockaddr_un sun;
	socklen_t len = 77;
	char longp[200];

	(void)state;
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(notify_addr("run/notify", &sun, &len), -1);
	assert_int_equal(notify_addr("", &sun, &len), -1);
	assert_int_equal(notify_addr("@", &sun, &len), -1);
	assert_int_equal(notify_addr(NULL, &sun, &len), -1);
	assert_int_equal(notify_addr(longp, &sun, &len), -1);
	assert_int_equal(len, 77);
}

static void
test_format_ready_status(void **state)
{
	char buf[128];
	int n;

	(void)state;
	n = notify_format(buf, sizeof(buf), "READY=1", 0, "serving 3 links");
	assert_string_equal(buf, "READY=1\nSTATUS=serving 3 links\n");
	assert_int_equal(n, (int)strlen(buf));
}

static void
test_format_reloading_usec(void **state)
{
	char buf[128];

	(void)state;
	assert_true(notify_format(buf, sizeof(buf), "RELOADING=1",
	                UINT64_C(18446744073709551615), NULL) > 0);
	assert_string_equal(
	    buf, "RELOADING=1\nMONOTONIC_USEC=18446744073709551615\n");
}

static void
test_format_status_newlines(void **state)
{
	char buf[128];

	(void)state;
	assert_true(
	    notify_format(buf, sizeof(buf), "READY=1", 0, "a\nREADY=0\nb") > 0);
	assert_string_equal(buf, "READY=1\nSTATUS=a READY=0 b\n");
}

static void
test_format_status_only(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(notify_format(buf, sizeof(buf), NULL, 0, "x\ny"), 11);
	assert_string_equal(buf, "STATUS=x y\n");
	assert_int_equal(notify_format(buf, 0, NULL, 0, "x"), -1);
}

static void
test_format_too_small(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(notify_format(buf, 8, "READY=1", 0, NULL), -1);
	assert_int_equal(
	    notify_format(buf, sizeof(buf), "READY=1", 0, "a long status line"),
	    -1);
	assert_int_equal(
	    notify_format(buf, sizeof(buf), "RELOADING=1", 123456789, NULL),
	    -1);
	assert_int_equal(
	    notify_format(buf, sizeof(buf), "STOPPING=1", 0, NULL), 11);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_addr_path),
	    cmocka_unit_test(test_addr_abstract),
	    cmocka_unit_test(test_addr_rejects),
	    cmocka_unit_test(test_format_ready_status),
	    cmocka_unit_test(test_format_reloading_usec),
	    cmocka_unit_test(test_format_status_newlines),
	    cmocka_unit_test(test_format_status_only),
	    cmocka_unit_test(test_format_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
