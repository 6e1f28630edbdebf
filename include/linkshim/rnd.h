/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * rnd: arc4random output for the per-query hot path (upstream IDs,
 * socket choice, srtt jitter), drawn from a per-thread buffer that
 * arc4random_buf() refills.  libbsd's arc4random() makes a getpid(2)
 * system call on every call to detect a fork; here that cost is paid
 * once per refill.  Words are wiped as they are handed out, and a fork
 * empties the child's buffer (pthread_atfork), so parent and child never
 * share values.  Same quality as arc4random: use it for anything that
 * arc4random would do.
 */
#ifndef LINKSHIM_RND_H
#define LINKSHIM_RND_H

#include <stdint.h>

/* A uniformly random 32-bit value. */
uint32_t rnd_u32(void);
/* A uniformly random value in [0, bound) (no modulo bias); 0 when
 * bound < 2. */
uint32_t rnd_uniform(uint32_t bound);
/* Empty the calling thread's buffer: the next value comes from a fresh
 * arc4random_buf() (run in a forked child; tests). */
void rnd_discard(void);

#endif
