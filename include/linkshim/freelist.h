/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * freelist: a bounded cache of freed objects of one size, so that an
 * object made and freed per query (a fetch, a waiter) is reused instead
 * of going through malloc (objects over ~1 KiB miss glibc's tcache).  At
 * most `max` objects are kept; more are freed.  Not thread-safe: one per
 * worker.
 */
#ifndef LINKSHIM_FREELIST_H
#define LINKSHIM_FREELIST_H

#include <stddef.h>

struct freelist {
	void *head;  /* kept objects, linked through their first bytes */
	size_t n;    /* objects kept */
	size_t max;  /* at most this many kept */
	size_t size; /* object size (>= sizeof(void *)) */
};

/* A zeroed list with size and max set is ready; nothing is allocated. */
void freelist_init(struct freelist *fl, size_t size, size_t max);
/* An object of fl->size bytes, caller owns it (contents undefined: the
 * caller initialises what it uses); NULL when out of memory. */
void *freelist_get(struct freelist *fl);
/* Takes ownership of p (NULL is ignored): kept for reuse or freed. */
void freelist_put(struct freelist *fl, void *p);
/* Free every kept object. */
void freelist_clear(struct freelist *fl);

#endif
