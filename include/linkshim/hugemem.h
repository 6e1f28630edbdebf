/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * hugemem: zeroed memory for large arrays read at random (the cache's
 * hash buckets).  At or above HUGEMEM_MIN bytes the array is mapped on a
 * 2 MiB boundary, rounded up to whole 2 MiB pages and advised into
 * transparent huge pages (MADV_HUGEPAGE; the kernel default here is
 * "madvise"), so that a random read is one TLB entry among a few rather
 * than one among thousands of 4 KiB pages.  Smaller arrays use calloc.
 */
#ifndef LINKSHIM_HUGEMEM_H
#define LINKSHIM_HUGEMEM_H

#include <stddef.h>

#define HUGEMEM_MIN (2U << 20)

/* n * size zeroed bytes, or NULL (also on overflow); free with
 * hugemem_free() and the same n and size. */
void *hugemem_calloc(size_t n, size_t size);
void hugemem_free(void *p, size_t n, size_t size); /* NULL-safe */

#endif
