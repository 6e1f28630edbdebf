/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf_nameset: the duplicate-name check of the config walk in linear
 * time.  A 100,000-link file spent most of its load time comparing every
 * link with every earlier one; this is an open-addressing table of array
 * indices keyed by the names' FNV-1a hash.  The input is the operator's own
 * file, so no keyed hash is needed against flooding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf_internal.h"

static uint64_t
nameset_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The name at index idx of the caller's array. */
static const char *
nameset_at(
    const struct conf_nameset *set, const void *base, size_t stride, size_t idx)
{
	const char *p = (const char *)base + idx * stride;

	if (set->deref)
		return *(const char *const *)(const void *)p;
	return p;
}

int
conf_nameset_init(struct conf_nameset *set, size_t n)
{
	size_t cap = 16;

	/* load factor at most 1/2 */
	while (cap < n * 2)
		cap *= 2;
	if ((set->slots = calloc(cap, sizeof(*set->slots))) == NULL)
		return -1;
	set->mask = cap - 1;
	set->count = 0;
	set->deref = false;
	return 0;
}

void
conf_nameset_clear(struct conf_nameset *set)
{
	free(set->slots);
	set->slots = NULL;
	set->mask = 0;
	set->count = 0;
}

/* Double the table, re-inserting every index (names read as in add). */
static int
nameset_grow(struct conf_nameset *set, const void *base, size_t stride)
{
	size_t *old = set->slots, oldcap = set->mask + 1, i, j, mask;
	size_t *slots;

	if ((slots = calloc(oldcap * 2, sizeof(*slots))) == NULL)
		return -1;
	mask = oldcap * 2 - 1;
	for (i = 0; i < oldcap; i++) {
		if (old[i] == 0)
			continue;
		j = (size_t)nameset_hash(
		        nameset_at(set, base, stride, old[i] - 1)) &
		    mask;
		while (slots[j] != 0)
			j = (j + 1) & mask;
		slots[j] = old[i];
	}
	free(old);
	set->slots = slots;
	set->mask = mask;
	return 0;
}

long
conf_nameset_add(struct conf_nameset *set, const char *name, size_t idx,
    const void *base, size_t stride)
{
	size_t i;
	const char *other;

	if ((set->count + 1) * 2 > set->mask + 1 &&
	    nameset_grow(set, base, stride) == -1)
		return -2;
	i = (size_t)nameset_hash(name) & set->mask;
	while (set->slots[i] != 0) {
		other = nameset_at(set, base, stride, set->slots[i] - 1);
		if (strcmp(other, name) == 0)
			return (long)(set->slots[i] - 1);
		i = (i + 1) & set->mask;
	}
	set->slots[i] = idx + 1;
	set->count++;
	return -1;
}
