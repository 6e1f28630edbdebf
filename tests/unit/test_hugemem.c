/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for src/common/hugemem.c.  Corner cases: a small array comes
 * from calloc and is zeroed; one of HUGEMEM_MIN bytes or more is zeroed,
 * starts on a 2 MiB boundary and is writable to its last byte (also when
 * its size is not a multiple of 2 MiB); n * size overflowing gives NULL;
 * freeing NULL is harmless.  ASan checks the frees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/hugemem.h"

static void
test_small(void **state)
{
	unsigned char *p;
	size_t i;

	(void)state;
	p = hugemem_calloc(1000, 16);
	assert_non_null(p);
	for (i = 0; i < 16000; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0x5a, 16000);
	hugemem_free(p, 1000, 16);
	hugemem_free(NULL, 1000, 16);
}

static void
test_big(void **state)
{
	const size_t sizes[] = {
	    HUGEMEM_MIN, HUGEMEM_MIN + 4096 + 16, 3 * HUGEMEM_MIN};
	unsigned char *p;
	size_t k, i, len;

	(void)state;
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		len = sizes[k];
		p = hugemem_calloc(len / 16, 16);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % ((uintptr_t)2 << 20), 0);
		for (i = 0; i < len / 16 * 16; i += 4096)
			assert_int_equal(p[i], 0);
		assert_int_equal(p[len / 16 * 16 - 1], 0);
		memset(p, 0xa5, len / 16 * 16);
		hugemem_free(p, len / 16, 16);
		hugemem_free(NULL, len / 16, 16);
	}
}

static void
test_overflow(void **state)
{
	(void)state;
	assert_null(hugemem_calloc(SIZE_MAX / 8, 16));
	assert_null(hugemem_calloc(SIZE_MAX, 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small),
	    cmocka_unit_test(test_big),
	    cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
