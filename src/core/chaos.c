/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * chaos: the CH TXT version.bind / version.server answer, written by hand
 * into the caller's buffer (a fixed shape: header, echoed question, one
 * TXT RR pointing at the question name, optional OPT).
 */
#include <string.h>

#include "linkshim/chaos.h"

#define CHAOS_CLASS_CH 3
#define CHAOS_TYPE_TXT 16
#define CHAOS_TYPE_OPT 41

static const uint8_t chaos_version_bind[] = "\7version\4bind";
static const uint8_t chaos_version_server[] = "\7version\6server";

bool
chaos_is_version(const struct dns_question *q)
{
	if (q->qclass != CHAOS_CLASS_CH || q->qtype != CHAOS_TYPE_TXT)
		return false;
	/* sizeof includes the NUL, which doubles as the root label */
	if (q->namelen == sizeof(chaos_version_bind) &&
	    memcmp(q->lname, chaos_version_bind, q->namelen) == 0)
		return true;
	return q->namelen == sizeof(chaos_version_server) &&
	    memcmp(q->lname, chaos_version_server, q->namelen) == 0;
}

int
chaos_answer_version(const uint8_t *query, size_t qlen,
    const struct dns_msginfo *mi, const char *version, uint8_t *out, size_t cap)
{
	size_t vlen = strlen(version), off;
	uint16_t flags;

	if (vlen > 255)
		vlen = 255;
	if (!mi->has_question || mi->question_end > qlen ||
	    mi->question_end < DNS_HDR_LEN)
		return -1;
	off = mi->question_end;
	if (cap < off + 12 + 1 + vlen + 11)
		return -1;
	memcpy(out, query, off);
	flags = DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_RA |
	    (mi->flags & (DNS_FLAG_RD | DNS_FLAG_CD));
	dnswire_put16(out + 2, flags);
	dnswire_put16(out + 4, 1);
	dnswire_put16(out + 6, 1);
	dnswire_put16(out + 8, 0);
	dnswire_put16(out + 10, mi->edns.present ? 1 : 0);
	out[off++] = 0xc0; /* pointer to the question name */
	out[off++] = DNS_HDR_LEN;
	dnswire_put16(out + off, CHAOS_TYPE_TXT);
	dnswire_put16(out + off + 2, CHAOS_CLASS_CH);
	dnswire_put32(out + off + 4, 0);
	dnswire_put16(out + off + 8, (uint16_t)(vlen + 1));
	off += 10;
	out[off++] = (uint8_t)vlen;
	memcpy(out + off, version, vlen);
	off += vlen;
	if (mi->edns.present) { /* RFC 6891 §7: OPT only when asked */
		out[off++] = 0;
		dnswire_put16(out + off, CHAOS_TYPE_OPT);
		dnswire_put16(out + off + 2, DNS_EDNS_ADVERTISE);
		dnswire_put32(out + off + 4, mi->edns.do_bit ? 0x8000 : 0);
		dnswire_put16(out + off + 8, 0);
		off += 10;
	}
	return (int)off;
}
