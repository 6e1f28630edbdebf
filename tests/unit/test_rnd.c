/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for src/common/rnd.c.  Corner cases: bounds 0 and 1 give 0,
 * values stay below the bound for powers of two and for other bounds
 * (including one just over 2^31, where the rejection loop matters), every
 * value of a small bound shows up and no bucket is far off uniform over
 * many draws, draws across several buffer refills are not repeated in
 * lockstep, and rnd_discard() leaves a working generator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/rnd.h"

static void
test_small_bounds(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		assert_int_equal(rnd_uniform(0), 0);
		assert_int_equal(rnd_uniform(1), 0);
	}
}

static void
test_below_bound(void **state)
{
	const uint32_t bounds[] = {
	    2, 3, 7, 32, 1000, 65536, 0x80000001u, 0xffffffffu};
	size_t b;
	int i;

	(void)state;
	for (b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++)
		for (i = 0; i < 2000; i++)
			assert_true(rnd_uniform(bounds[b]) < bounds[b]);
}

/* 10 buckets, 100,000 draws: each expects 10,000; a bucket outside
 * [9,000, 11,000] is > 10 standard deviations off. */
static void
test_uniform(void **state)
{
	unsigned count[10] = {0};
	int i;

	(void)state;
	for (i = 0; i < 100000; i++)
		count[rnd_uniform(10)]++;
	for (i = 0; i < 10; i++) {
		assert_true(count[i] > 9000);
		assert_true(count[i] < 11000);
	}
}

/* Draws across refills (the buffer holds 256 words): the 32-bit values
 * are not all equal, and no value repeats 256 draws later. */
static void
test_refills(void **state)
{
	static uint32_t v[2048];
	int i, same = 0, lockstep = 0;

	(void)state;
	for (i = 0; i < 2048; i++)
		v[i] = rnd_u32();
	for (i = 1; i < 2048; i++)
		same += v[i] == v[0];
	for (i = 256; i < 2048; i++)
		lockstep += v[i] == v[i - 256];
	assert_true(same < 2);
	assert_true(lockstep < 2);
}

/* Bits: over 4,096 words each bit is set about half the time. */
static void
test_bits(void **state)
{
	unsigned ones[32] = {0};
	uint32_t x;
	int i, b;

	(void)state;
	for (i = 0; i < 4096; i++) {
		x = rnd_u32();
		for (b = 0; b < 32; b++)
			ones[b] += (x >> b) & 1;
	}
	for (b = 0; b < 32; b++) { /* mean 2,048, sd 32 */
		assert_true(ones[b] > 1748);
		assert_true(ones[b] < 2348);
	}
}

static void
test_discard(void **state)
{
	uint32_t a, b;
	int i, diff = 0;

	(void)state;
	(void)rnd_u32(); /* the buffer is part used */
	for (i = 0; i < 8; i++) {
		rnd_discard();
		a = rnd_u32();
		rnd_discard();
		b = rnd_u32();
		diff += a != b;
	}
	assert_true(diff >= 7);
	assert_true(rnd_uniform(5) < 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small_bounds),
	    cmocka_unit_test(test_below_bound),
	    cmocka_unit_test(test_uniform),
	    cmocka_unit_test(test_refills),
	    cmocka_unit_test(test_bits),
	    cmocka_unit_test(test_discard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
