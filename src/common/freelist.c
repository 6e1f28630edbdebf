/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * freelist: freed objects of one size kept on a singly linked list (the
 * link stored in the object itself) up to a bound, handed out again
 * before malloc is asked (see linkshim/freelist.h).
 */
#include <stdlib.h>
#include <string.h>

#include "linkshim/freelist.h"

void
freelist_init(struct freelist *fl, size_t size, size_t max)
{
	fl->head = NULL;
	fl->n = 0;
	fl->max = max;
	fl->size = size < sizeof(void *) ? sizeof(void *) : size;
}

void *
freelist_get(struct freelist *fl)
{
	void *p = fl->head;

	if (p == NULL)
		return malloc(fl->size);
	memcpy(&fl->head, p, sizeof(void *));
	fl->n--;
	return p;
}

void
freelist_put(struct freelist *fl, void *p)
{
	if (p == NULL)
		return;
	if (fl->n >= fl->max) {
		free(p);
		return;
	}
	memcpy(p, &fl->head, sizeof(void *));
	fl->head = p;
	fl->n++;
}

void
freelist_clear(struct freelist *fl)
{
	void *p;

	while ((p = fl->head) != NULL) {
		memcpy(&fl->head, p, sizeof(void *));
		free(p);
	}
	fl->n = 0;
}
