/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * confedit: add or update one link in the text of a linkshim YAML config
 * while keeping every other line (comments, order, formatting) as it
 * was.  Used by "linkshimctl aws discover --write" and "zilliz import
 * --write".  It edits text, not a parsed tree, so it understands the
 * shapes the documented example uses: a top-level block "links:" list of
 * "- name: …" mappings, an empty "links: []", or no links key at all.
 * Anything else (a flow-style list with entries, an anchor) is refused
 * with an error rather than guessed at.  Pure: no I/O.
 */
#ifndef LINKSHIM_CONFEDIT_H
#define LINKSHIM_CONFEDIT_H

#include <stddef.h>

#include "linkshim/errbuf.h"

struct confedit_link {
	const char *name;                /* link name */
	const char *target;              /* regional endpoint DNS name */
	const char *const *zonal_az;     /* nzonal availability zones */
	const char *const *zonal_target; /* nzonal zonal DNS names */
	size_t nzonal;
	unsigned ttl; /* 0 = not written (the default applies) */
};

/* Return a new text equal to text with link added (appended to links:)
 * or replacing the entry of the same name (case-insensitive, trailing
 * dot ignored).  Caller frees with free().  NULL with err filled when the
 * links: key has a shape this cannot edit safely, or on a bad name. */
char *confedit_apply(
    const char *text, const struct confedit_link *link, struct errbuf *err);

#endif
