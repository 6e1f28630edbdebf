/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * dnswire: allocation-free, bounds-checked reading of DNS messages (RFC
 * 1035 §4): names with a compression-loop guard, the header and question,
 * a walk over every resource record that finds and checks the EDNS0 OPT
 * record (RFC 6891), and a resource-record iterator.  Nothing here
 * allocates or logs; every offset is checked against the packet length
 * before it is read.
 */
#include <string.h>

#include "linkshim/dnswire.h"

#define DNS_TYPE_OPT 41
/* More jumps than a 255-byte name can have labels means a loop. */
#define DNSWIRE_MAX_JUMPS 128

int
dnswire_read_name(
    const uint8_t *pkt, size_t len, size_t *off, uint8_t *out, size_t *outlen)
{
	size_t pos = *off, end = 0, n = 0, ptr, seg = pos;
	unsigned jumps = 0;
	uint8_t c;

	/* Labels are copied a run at a time: from seg up to the next
	 * pointer or the root. */
	for (;;) {
		if (pos >= len)
			return -1;
		c = pkt[pos];
		if ((c & 0xc0) == 0xc0) {
			/* RFC 1035 §4.1.4; only strictly backward pointers
			 * are followed, and their number is bounded, so a
			 * loop cannot run forever. */
			if (pos + 1 >= len)
				return -1;
			ptr = (size_t)((c & 0x3f) << 8) | pkt[pos + 1];
			if (ptr >= pos || ++jumps > DNSWIRE_MAX_JUMPS)
				return -1;
			if (out != NULL && pos > seg)
				memcpy(out + n - (pos - seg), pkt + seg,
				    pos - seg);
			if (end == 0)
				end = pos + 2;
			pos = seg = ptr;
			continue;
		}
		if ((c & 0xc0) != 0) /* 0x40/0x80: extended labels (RFC 6891
		                       §5 obsoleted them): refuse */
			return -1;
		if (n + 1 + c > DNS_NAME_MAX || pos + 1 + c > len)
			return -1;
		n += 1 + (size_t)c;
		pos += 1 + (size_t)c;
		if (c == 0)
			break;
	}
	if (out != NULL)
		memcpy(out + n - (pos - seg), pkt + seg, pos - seg);
	*off = end != 0 ? end : pos;
	if (outlen != NULL)
		*outlen = n;
	return 0;
}

/* ASCII lower-case table.  Length bytes (< 64) and the root are never in
 * 'A'..'Z', so folding every byte of a wire name folds the labels and
 * leaves the structure alone: no label walk needed. */
static const uint8_t dnswire_lower[256] = {
#define L4(i) L1(i), L1(i + 1), L1(i + 2), L1(i + 3)
#define L1(i) (uint8_t)((i) >= 'A' && (i) <= 'Z' ? (i) + 32 : (i))
#define L16(i) L4(i), L4(i + 4), L4(i + 8), L4(i + 12)
#define L64(i) L16(i), L16(i + 16), L16(i + 32), L16(i + 48)
    L64(0), L64(64), L64(128), L64(192)
#undef L64
#undef L16
#undef L4
#undef L1
};

/* dst = src folded to lower case, a word at a time; n bytes. */
static void
dnswire_fold_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	size_t i;
	uint64_t x;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, src + i, 8);
		x = dnswire_fold8(x);
		memcpy(dst + i, &x, 8);
	}
	for (; i < n; i++)
		dst[i] = dnswire_lower[src[i]];
}

void
dnswire_name_lower(uint8_t *name, size_t namelen)
{
	dnswire_fold_copy(name, name, namelen);
}

bool
dnswire_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i;
	uint64_t x, y;

	if (alen != blen)
		return false;
	/* Whole words, the last one overlapping the one before (comparing
	 * bytes twice is harmless).  Length bytes are < 64, never folded. */
	for (i = 0; alen >= 8; i += 8) {
		if (i + 8 > alen)
			i = alen - 8;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y && dnswire_fold8(x) != dnswire_fold8(y))
			return false;
		if (i + 8 == alen)
			return true;
	}
	for (i = 0; i < alen; i++)
		if (a[i] != b[i] && dnswire_lower[a[i]] != dnswire_lower[b[i]])
			return false;
	return true;
}

unsigned
dnswire_name_labels(const uint8_t *name, size_t namelen)
{
	size_t i = 0;
	unsigned n = 0;

	while (i < namelen && name[i] != 0) {
		i += (size_t)name[i] + 1;
		n++;
	}
	return n;
}

/* Check the OPT RR at it (RFC 6891 §6.1): root owner, option TLVs that
 * exactly fill the RDATA; fill mi->edns. */
static int
parse_opt(const struct dns_rr_iter *it, struct dns_msginfo *mi)
{
	size_t p, end;
	uint16_t olen;

	if (it->pkt[it->owner_off] != 0)
		return -1; /* owner must be the root, uncompressed */
	p = it->rdata_off;
	end = p + it->rdlen;
	while (p < end) {
		if (end - p < 4)
			return -1;
		olen = dnswire_get16(it->pkt + p + 2);
		if (end - p - 4 < olen)
			return -1;
		p += 4 + (size_t)olen;
	}
	mi->edns.present = true;
	mi->edns.udp_size = it->rclass < DNS_UDP_MIN ? DNS_UDP_MIN : it->rclass;
	mi->edns.version = (uint8_t)(it->ttl >> 16);
	mi->edns.do_bit = (it->ttl & 0x8000) != 0;
	return 0;
}

static int
parse_question(const uint8_t *pkt, size_t len, struct dns_msginfo *mi)
{
	size_t off = DNS_HDR_LEN;
	unsigned i;

	for (i = 0; i < mi->qdcount; i++) {
		if (i == 0 && mi->qdcount == 1) {
			if (dnswire_read_name(pkt, len, &off, mi->q.name,
			        &mi->q.namelen) == -1)
				return -1;
		} else if (dnswire_read_name(pkt, len, &off, NULL, NULL) == -1)
			return -1;
		if (len - off < 4)
			return -1;
		if (mi->qdcount == 1) {
			mi->q.qtype = dnswire_get16(pkt + off);
			mi->q.qclass = dnswire_get16(pkt + off + 2);
			dnswire_fold_copy(
			    mi->q.lname, mi->q.name, mi->q.namelen);
			mi->has_question = true;
		}
		off += 4;
	}
	mi->question_end = off;
	return 0;
}

int
dnswire_parse_msg(const uint8_t *pkt, size_t len, struct dns_msginfo *mi)
{
	struct dns_rr_iter it;
	int rv;

	/* not memset: the two name buffers are half a KiB and this runs
	 * per query; namelen = 0 says they are empty */
	memset(&mi->edns, 0, sizeof(mi->edns));
	mi->id = mi->flags = 0;
	mi->qdcount = mi->ancount = mi->nscount = mi->arcount = 0;
	mi->has_question = false;
	mi->q.namelen = 0;
	mi->q.qtype = mi->q.qclass = 0;
	mi->question_end = 0;
	mi->opt_off = mi->opt_end = mi->msg_end = 0;
	if (len < DNS_HDR_LEN)
		return -1;
	mi->id = dnswire_get16(pkt);
	mi->flags = dnswire_get16(pkt + 2);
	mi->qdcount = dnswire_get16(pkt + 4);
	mi->ancount = dnswire_get16(pkt + 6);
	mi->nscount = dnswire_get16(pkt + 8);
	mi->arcount = dnswire_get16(pkt + 10);
	if (parse_question(pkt, len, mi) == -1)
		return -1;
	dnswire_rr_iter_init(&it, pkt, len, mi);
	while ((rv = dnswire_rr_next(&it)) == 1) {
		if (it.type != DNS_TYPE_OPT)
			continue;
		/* RFC 6891 §6.1.1: one OPT, in the additional section. */
		if (it.section != 3 || mi->edns.present)
			return -1;
		if (parse_opt(&it, mi) == -1)
			return -1;
		mi->opt_off = it.owner_off;
		mi->opt_end = it.off;
	}
	mi->msg_end = it.off;
	return rv;
}

void
dnswire_rr_iter_init(struct dns_rr_iter *it, const uint8_t *pkt, size_t len,
    const struct dns_msginfo *mi)
{
	memset(it, 0, sizeof(*it));
	it->pkt = pkt;
	it->len = len;
	it->off = mi->question_end;
	it->section = 1;
	it->left[1] = mi->ancount;
	it->left[2] = mi->nscount;
	it->left[3] = mi->arcount;
	it->qname_ok = mi->has_question;
}

int
dnswire_rr_next(struct dns_rr_iter *it)
{
	size_t off;

	while (it->section <= 3 && it->left[it->section] == 0)
		it->section++;
	if (it->section > 3)
		return 0;
	off = it->off;
	it->owner_off = off;
	/* An owner pointing at the question name (the usual compression)
	 * points at a name already checked: skip without following it. */
	if (it->qname_ok && it->len - off >= 2 && it->pkt[off] == 0xc0 &&
	    it->pkt[off + 1] == DNS_HDR_LEN)
		off += 2;
	else if (dnswire_read_name(it->pkt, it->len, &off, NULL, NULL) == -1)
		return -1;
	if (it->len - off < 10)
		return -1;
	it->type = dnswire_get16(it->pkt + off);
	it->rclass = dnswire_get16(it->pkt + off + 2);
	it->ttl_off = off + 4;
	it->ttl = dnswire_get32(it->pkt + off + 4);
	it->rdlen = dnswire_get16(it->pkt + off + 8);
	it->rdata_off = off + 10;
	if (it->len - it->rdata_off < it->rdlen)
		return -1;
	it->off = it->rdata_off + it->rdlen;
	it->left[it->section]--;
	return 1;
}

unsigned
dnswire_rdata_names(uint16_t type, size_t *pre)
{
	*pre = 0;
	switch (type) {
	case 2: /* NS, MD, MF, CNAME, MB, MG, MR, PTR, DNAME */
	case 3:
	case 4:
	case 5:
	case 7:
	case 8:
	case 9:
	case 12:
	case 39:
		return 1;
	case 6: /* SOA, MINFO, RP */
	case 14:
	case 17:
		return 2;
	case 15: /* MX, AFSDB, RT */
	case 18:
	case 21:
		*pre = 2;
		return 1;
	case 26: /* PX */
		*pre = 2;
		return 2;
	case 33: /* SRV */
		*pre = 6;
		return 1;
	default:
		return 0;
	}
}
