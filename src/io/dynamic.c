/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * dynamic: deep copies of the links and zones registered through the
 * admin API (linkshim_set_dynamic()).  The resolver keeps its own copy so
 * that a reload can rebuild the snapshot from config + registrations
 * without borrowing anything from the caller.
 */
#include <stdlib.h>
#include <string.h>

#include "io/io.h"

void
dynamic_links_free(struct conf_link *links, size_t n)
{
	size_t i;

	if (links == NULL)
		return;
	for (i = 0; i < n; i++)
		conf_link_clear(&links[i]);
	free(links);
}

int
dynamic_links_copy(const struct conf_link *in, size_t n, struct conf_link **out)
{
	struct conf_link *l;
	size_t i;

	*out = NULL;
	if (n == 0)
		return 0;
	if ((l = calloc(n, sizeof(*l))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (conf_link_copy(&l[i], &in[i]) == -1) {
			dynamic_links_free(l, i + 1);
			return -1;
		}
	}
	*out = l;
	return 0;
}

static void
dynamic_rrset_clear(struct conf_rrset *rs)
{
	size_t i;

	if (rs->values != NULL)
		for (i = 0; i < rs->nvalues; i++)
			free(rs->values[i]);
	free(rs->values);
	rs->values = NULL;
}

void
dynamic_zones_free(struct conf_zone *zones, size_t n)
{
	size_t i, j;

	if (zones == NULL)
		return;
	for (i = 0; i < n; i++) {
		for (j = 0; j < zones[i].nrrsets && zones[i].rrsets; j++)
			dynamic_rrset_clear(&zones[i].rrsets[j]);
		free(zones[i].rrsets);
	}
	free(zones);
}

static int
dynamic_rrset_copy(struct conf_rrset *dst, const struct conf_rrset *src)
{
	size_t i;

	*dst = *src;
	dst->values = NULL;
	if (src->nvalues == 0)
		return 0;
	if ((dst->values = calloc(src->nvalues, sizeof(char *))) == NULL)
		return -1;
	for (i = 0; i < src->nvalues; i++)
		if ((dst->values[i] = strdup(src->values[i])) == NULL)
			return -1;
	return 0;
}

int
dynamic_zones_copy(const struct conf_zone *in, size_t n, struct conf_zone **out)
{
	struct conf_zone *z;
	size_t i, j;

	*out = NULL;
	if (n == 0)
		return 0;
	if ((z = calloc(n, sizeof(*z))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		z[i] = in[i];
		z[i].rrsets = NULL;
		z[i].nrrsets = 0;
		if (in[i].nrrsets == 0)
			continue;
		z[i].rrsets = calloc(in[i].nrrsets, sizeof(*z[i].rrsets));
		if (z[i].rrsets == NULL)
			goto fail;
		z[i].nrrsets = in[i].nrrsets;
		for (j = 0; j < in[i].nrrsets; j++)
			if (dynamic_rrset_copy(
			        &z[i].rrsets[j], &in[i].rrsets[j]) == -1)
				goto fail;
	}
	*out = z;
	return 0;
fail:
	dynamic_zones_free(z, n);
	return -1;
}
