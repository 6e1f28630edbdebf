/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * hugemem: calloc for small arrays, an aligned anonymous mapping advised
 * into transparent huge pages for big ones (see linkshim/hugemem.h).  A
 * 2 MiB-aligned region is cut out of a mapping 2 MiB larger than needed;
 * the unaligned head and tail are unmapped at once.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>

#include "linkshim/hugemem.h"

#define HUGEMEM_PAGE ((size_t)2 << 20)

static size_t
hugemem_len(size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		return 0;
	return n * size;
}

static size_t
hugemem_round(size_t len)
{
	return (len + HUGEMEM_PAGE - 1) & ~(HUGEMEM_PAGE - 1);
}

void *
hugemem_calloc(size_t n, size_t size)
{
	size_t len = hugemem_len(n, size), map, head;
	uint8_t *p, *a;

	if (len < HUGEMEM_MIN)
		return (n != 0 && len == 0) ? NULL : calloc(n, size);
	if (len > SIZE_MAX - 2 * HUGEMEM_PAGE)
		return NULL;
	len = hugemem_round(len);
	map = len + HUGEMEM_PAGE;
	p = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (uint8_t *)(((uintptr_t)p + HUGEMEM_PAGE - 1) &
	    ~(uintptr_t)(HUGEMEM_PAGE - 1));
	head = (size_t)(a - p);
	if (head > 0)
		(void)munmap(p, head);
	if (map - head > len)
		(void)munmap(a + len, map - head - len);
	(void)madvise(a, len, MADV_HUGEPAGE); /* advice: failure is fine */
	return a;
}

void
hugemem_free(void *p, size_t n, size_t size)
{
	size_t len = hugemem_len(n, size);

	if (p == NULL)
		return;
	if (len < HUGEMEM_MIN)
		free(p);
	else
		(void)munmap(p, hugemem_round(len));
}
