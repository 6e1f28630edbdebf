/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * answer_relay: a forwarded or cached reply passed on to the client as
 * bytes (style.md §9), with only what must change patched: the client's
 * ID, the client's question case (0x20; names compressed to the question
 * follow automatically), RD/CD from the query, RA, AA cleared (we are not
 * the authority for relayed or cached data, RFC 1035 §4.1.1; Unbound does
 * the same), our OPT record (added when the client sent EDNS, removed when
 * it did not, RFC 6891 §7), and truncation with TC to the client's size
 * (RFC 2181 §9).  answer_relay_cached() does the same for a reply read
 * back from the cache, without parsing it (the cache checked it), and
 * keeps AA on our own composed link answers.  No allocation.
 */
#include <string.h>

#include "core/answer_int.h"
#include "linkshim/answer.h"

static int
relay_truncated(const struct dns_msginfo *mi, uint16_t rflags, uint16_t keep,
    uint8_t *out, size_t cap)
{
	/* keep the reply's rcode, its AA only when ours (RFC 1035 §4.1.1);
	 * the client retries over TCP */
	return answer_truncated(
	    mi, (uint16_t)(rflags & (0xf | keep)), 0, out, cap);
}

/*
 * The patches every relayed reply gets, out[0..len) in place: the
 * client's ID; the reply's flags with RD/CD the client's, RA set and AA
 * cleared (RFC 1035 §4.1.1: the answer is not from an authority for the
 * name, it was relayed or cached; Unbound does the same) unless keep
 * holds it (our own composed answer); the client's question case (the
 * question name is uncompressed at offset 12, checked by the caller);
 * our OPT when the client sent EDNS, with rcode's upper bits.  Returns
 * the new length.
 */
static size_t
relay_finish(const struct dns_msginfo *mi, uint16_t rflags, uint16_t keep,
    int rcode, uint8_t *out, size_t len)
{
	dnswire_put16(out, mi->id);
	dnswire_put16(out + 2,
	    (uint16_t)((rflags &
	                   ~(DNS_FLAG_RD | DNS_FLAG_CD |
	                       (DNS_FLAG_AA & ~keep))) |
	        (mi->flags & (DNS_FLAG_RD | DNS_FLAG_CD)) | DNS_FLAG_RA));
	memcpy(out + DNS_HDR_LEN, mi->q.name, mi->q.namelen);
	if (mi->edns.present) {
		len += answer_opt(out + len, mi, rcode);
		dnswire_put16(
		    out + 10, (uint16_t)(dnswire_get16(out + 10) + 1));
	}
	return len;
}

int
answer_relay(const uint8_t *query, size_t qlen, const struct dns_msginfo *mi,
    const uint8_t *reply, size_t rlen, uint8_t *out, size_t cap,
    size_t max_size)
{
	struct dns_msginfo rmi;
	size_t os, oe, len;

	if (query == NULL || qlen < DNS_HDR_LEN || reply == NULL ||
	    !mi->has_question)
		return -1;
	if (dnswire_parse_msg(reply, rlen, &rmi) == -1 || !rmi.has_question ||
	    rmi.question_end != DNS_HDR_LEN + mi->q.namelen + 4 ||
	    !dnswire_name_equal(
	        rmi.q.name, rmi.q.namelen, mi->q.name, mi->q.namelen))
		return -1; /* validated upstream; refuse what does not fit */
	/* the OPT's place was recorded by the parse; bytes after the last
	 * RR are not relayed (our OPT must follow the records counted) */
	os = rmi.opt_off;
	oe = rmi.opt_end;
	rlen = rmi.msg_end;
	len = rlen - (oe - os) + (mi->edns.present ? ANSWER_OPT_LEN : 0);
	if (len > max_size || len > cap)
		return relay_truncated(mi, rmi.flags, 0, out, cap);
	if (os == 0) {
		memcpy(out, reply, rlen);
		len = rlen;
	} else {
		/* drop the reply's OPT; ours is appended below */
		memcpy(out, reply, os);
		memcpy(out + os, reply + oe, rlen - oe);
		len = rlen - (oe - os);
		dnswire_put16(out + 10, (uint16_t)(rmi.arcount - 1));
	}
	/* keep the upstream's extended rcode bits (RFC 6891 §6.1.3) */
	return (int)relay_finish(
	    mi, rmi.flags, 0, os != 0 ? reply[os + 5] << 4 : 0, out, len);
}

int
answer_relay_cached(const uint8_t *query, size_t qlen,
    const struct dns_msginfo *mi, const uint8_t *reply, size_t rlen, bool ours,
    uint8_t *out, size_t cap, size_t max_size)
{
	size_t len = rlen + (mi->edns.present ? ANSWER_OPT_LEN : 0);
	uint16_t flags, keep = ours ? DNS_FLAG_AA : 0;

	/* The cache checked the layout when it stored it: the question (its
	 * name the client's but for case), then RRs, no OPT, nothing after
	 * the last RR. */
	if (query == NULL || qlen < DNS_HDR_LEN || reply == NULL ||
	    !mi->has_question || rlen < DNS_HDR_LEN + mi->q.namelen + 4)
		return -1;
	flags = dnswire_get16(reply + 2);
	if (len > max_size || len > cap)
		return relay_truncated(mi, flags, keep, out, cap);
	memcpy(out, reply, rlen);
	return (int)relay_finish(mi, flags, keep, 0, out, rlen);
}
