/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * query: the request check (design.md §4, style.md §9): decide from the
 * bytes of a client query whether to drop it, answer it with an error
 * rcode, or go on.  Pure: no sockets, no allocation.
 */
#ifndef LINKSHIM_QUERY_H
#define LINKSHIM_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "linkshim/dnswire.h"

#define QUERY_DROP (-1)
#define QUERY_RCODE_BADVERS 16 /* extended rcode, RFC 6891 §6.1.3 */

/*
 * Check a client query.  Fills *mi (as far as it could be parsed; see
 * mi->has_question) and returns:
 *   QUERY_DROP        too short, or a response (QR set): send nothing;
 *   0 (NOERROR)       acceptable: look it up;
 *   an rcode          answer with answer_error(): FORMERR, NOTIMP,
 *                     REFUSED (AXFR/IXFR), QUERY_RCODE_BADVERS.
 * The checks run in style.md §9's order, one condition each.
 */
int query_check(const uint8_t *pkt, size_t len, struct dns_msginfo *mi);

#endif
