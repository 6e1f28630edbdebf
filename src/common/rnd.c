/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * rnd: a per-thread buffer of arc4random_buf() output, handed out a
 * 32-bit word at a time (see linkshim/rnd.h).  Each word is zeroed once
 * it is taken, so the buffer never holds values that were already used;
 * the child of a fork starts with an empty buffer.  One refill (one
 * getpid(2) inside libbsd) serves RND_WORDS values instead of one.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/rnd.h"

#define RND_WORDS 256

struct rnd_state {
	uint32_t w[RND_WORDS];
	unsigned left; /* words not yet handed out, at the end of w */
};

static _Thread_local struct rnd_state rnd_st;
static pthread_once_t rnd_once = PTHREAD_ONCE_INIT;

void
rnd_discard(void)
{
	explicit_bzero(rnd_st.w, sizeof(rnd_st.w));
	rnd_st.left = 0;
}

static void
rnd_atfork_init(void)
{
	/* in the child, the forking thread is the only one left */
	(void)pthread_atfork(NULL, NULL, rnd_discard);
}

uint32_t
rnd_u32(void)
{
	uint32_t *p, v;

	if (rnd_st.left == 0) {
		(void)pthread_once(&rnd_once, rnd_atfork_init);
		arc4random_buf(rnd_st.w, sizeof(rnd_st.w));
		rnd_st.left = RND_WORDS;
	}
	p = &rnd_st.w[RND_WORDS - rnd_st.left--];
	v = *p;
	*p = 0;
	return v;
}

uint32_t
rnd_uniform(uint32_t bound)
{
	uint32_t r, min;

	if (bound < 2)
		return 0;
	if ((bound & (bound - 1)) == 0) /* a power of two: mask */
		return rnd_u32() & (bound - 1);
	/* 2^32 % bound values at the bottom would bias r % bound */
	min = (uint32_t)-bound % bound;
	do
		r = rnd_u32();
	while (r < min);
	return r % bound;
}
