/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for src/common/freelist.c.  Corner cases: an empty list
 * allocates, a put object comes back from the next get (last in, first
 * out) with its full size usable, at most `max` objects are kept (the
 * rest are freed: ASan/LSan would report a leak or a double free), max 0
 * keeps nothing, a size below a pointer is raised to one (and that much
 * is usable), put(NULL) is ignored, and clear empties the list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/freelist.h"

static void
test_reuse(void **state)
{
	struct freelist fl;
	unsigned char *a, *b;

	(void)state;
	freelist_init(&fl, 100, 4);
	assert_non_null(a = freelist_get(&fl));
	memset(a, 0xab, 100);
	freelist_put(&fl, a);
	assert_int_equal(fl.n, 1);
	b = freelist_get(&fl);
	assert_ptr_equal(a, b);
	assert_int_equal(fl.n, 0);
	memset(b, 0xcd, 100); /* the whole size is ours */
	freelist_put(&fl, b);
	freelist_clear(&fl);
	assert_int_equal(fl.n, 0);
	assert_null(fl.head);
}

static void
test_bound(void **state)
{
	struct freelist fl;
	void *p[10];
	int i;

	(void)state;
	freelist_init(&fl, 64, 3);
	for (i = 0; i < 10; i++)
		assert_non_null(p[i] = freelist_get(&fl));
	for (i = 0; i < 10; i++)
		freelist_put(&fl, p[i]);
	assert_int_equal(fl.n, 3);
	/* LIFO: the last ones kept come back first */
	assert_ptr_equal(freelist_get(&fl), p[2]);
	assert_ptr_equal(freelist_get(&fl), p[1]);
	assert_ptr_equal(freelist_get(&fl), p[0]);
	assert_int_equal(fl.n, 0);
	freelist_put(&fl, p[0]);
	freelist_put(&fl, p[1]);
	freelist_put(&fl, p[2]);
	freelist_clear(&fl);
}

static void
test_keep_none(void **state)
{
	struct freelist fl;
	void *p;

	(void)state;
	freelist_init(&fl, 32, 0);
	p = freelist_get(&fl);
	assert_non_null(p);
	freelist_put(&fl, p);
	assert_int_equal(fl.n, 0);
	assert_null(fl.head);
	freelist_put(&fl, NULL);
	assert_int_equal(fl.n, 0);
	freelist_clear(&fl);
}

static void
test_small_size(void **state)
{
	struct freelist fl;
	unsigned char *p;
	size_t i;

	(void)state;
	freelist_init(&fl, 1, 2);
	assert_int_equal(fl.size, sizeof(void *));
	p = freelist_get(&fl);
	for (i = 0; i < fl.size; i++)
		p[i] = (unsigned char)i;
	freelist_put(&fl, p);
	assert_ptr_equal(freelist_get(&fl), p);
	freelist_put(&fl, p);
	freelist_clear(&fl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reuse),
	    cmocka_unit_test(test_bound),
	    cmocka_unit_test(test_keep_none),
	    cmocka_unit_test(test_small_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
