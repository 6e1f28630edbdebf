/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * chaos: CHAOS-class queries (design.md §4): TXT version.bind and
 * version.server answered with the configured version string, or REFUSED
 * when it is empty; every other CH query is REFUSED.  Pure, no
 * allocation.
 */
#ifndef LINKSHIM_CHAOS_H
#define LINKSHIM_CHAOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/dnswire.h"

/* True when q is TXT version.bind or version.server in class CH. */
bool chaos_is_version(const struct dns_question *q);

/*
 * Answer the checked client query query[0..qlen) (mi from query_check)
 * with one CH TXT record holding version (at most 255 bytes used), echoing
 * the question and an OPT when the query had one.  Writes into
 * out[0..cap) and returns the length, or -1 when it does not fit.
 */
int chaos_answer_version(const uint8_t *query, size_t qlen,
    const struct dns_msginfo *mi, const char *version, uint8_t *out,
    size_t cap);

#endif
