/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * answer internals shared by answer.c, answer_chased.c and
 * answer_relay.c: header and question writing, the OPT record, the
 * truncated form and the synthesized SOA.  Internal to src/core.
 */
#ifndef LINKSHIM_ANSWER_INT_H
#define LINKSHIM_ANSWER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "linkshim/dnswire.h"

#define ANSWER_TYPE_OPT 41
#define ANSWER_OPT_LEN 11
/* ZT_SOA_MNAME and ZT_SOA_RNAME in wire form. */
#define ANSWER_SOA_NAMES                                                       \
	{                                                                      \
		2, 'n', 's', 8, 'l', 'i', 'n', 'k', 's', 'h', 'i', 'm', 7,     \
		    'i', 'n', 'v', 'a', 'l', 'i', 'd', 0, 10, 'h', 'o', 's',   \
		    't', 'm', 'a', 's', 't', 'e', 'r', 8, 'l', 'i', 'n', 'k',  \
		    's', 'h', 'i', 'm', 7, 'i', 'n', 'v', 'a', 'l', 'i', 'd',  \
		    0                                                          \
	}
#define ANSWER_SOA_LEN (12 + 50 + 20) /* owner pointer .. MINIMUM */

/* Header (ID, flags | QR | RA | client's RD/CD, counts: QD only) and the
 * echoed question into out; returns the length.  The caller checked
 * answer_head_len() against its capacity. */
size_t answer_head(uint8_t *out, const struct dns_msginfo *mi, uint16_t flags);
size_t answer_head_len(const struct dns_msginfo *mi);
/* Our OPT RR at p (ANSWER_OPT_LEN bytes), upper rcode bits from rcode. */
size_t answer_opt(uint8_t *p, const struct dns_msginfo *mi, int rcode);
/* Header + question (+ OPT) with TC (RFC 2181 §9); length or -1. */
int answer_truncated(const struct dns_msginfo *mi, uint16_t flags, int rcode,
    uint8_t *out, size_t cap);
/* The synthesized SOA (ANSWER_SOA_LEN bytes) at p, owner the question
 * name's suffix at apex_off, TTL min(ttl, minimum) (RFC 2308 §3). */
void answer_soa(uint8_t *p, size_t apex_off, uint32_t ttl, uint32_t minimum);

#endif
