/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * dnswire: allocation-free reading and writing of DNS wire format
 * (RFC 1035 §4): header fields, names (with compression-loop guards),
 * the question, resource-record walking and the EDNS0 OPT record (RFC
 * 6891).  Every read is bounds-checked against the packet length.  This is
 * the hot-path layer; ldns is used elsewhere for building and validation.
 */
#ifndef LINKSHIM_DNSWIRE_H
#define LINKSHIM_DNSWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_HDR_LEN 12
#define DNS_NAME_MAX 255        /* wire length of a name, incl. root label */
#define DNS_EDNS_ADVERTISE 1232 /* our EDNS UDP size (DNS flag day 2020) */
#define DNS_UDP_MIN 512         /* RFC 1035 limit without EDNS */
#define DNS_MSG_MAX 65535

/* Header flag bits (second 16-bit word). */
#define DNS_FLAG_QR 0x8000
#define DNS_FLAG_AA 0x0400
#define DNS_FLAG_TC 0x0200
#define DNS_FLAG_RD 0x0100
#define DNS_FLAG_RA 0x0080
#define DNS_FLAG_AD 0x0020
#define DNS_FLAG_CD 0x0010
#define DNS_OPCODE(flags) (((flags) >> 11) & 0xf)
#define DNS_RCODE(flags) ((flags)&0xf)

struct dns_question {
	uint8_t name[DNS_NAME_MAX];  /* wire form as received (client case) */
	uint8_t lname[DNS_NAME_MAX]; /* the same name lower-cased */
	size_t namelen;              /* wire length, incl. root label */
	uint16_t qtype;
	uint16_t qclass;
};

struct dns_edns {
	bool present; /* an OPT RR was in the additional section */
	uint16_t
	    udp_size; /* requestor's payload size (values < 512 read as 512) */
	uint8_t version;
	bool do_bit;
};

/* What query_check()/dnswire_parse_msg() learn about a message. */
struct dns_msginfo {
	uint16_t id;
	uint16_t flags;
	uint16_t qdcount, ancount, nscount, arcount;
	bool has_question; /* q is valid (echo it in error answers) */
	struct dns_question q;
	struct dns_edns edns;
	size_t question_end;     /* offset just past the question */
	size_t opt_off, opt_end; /* the OPT RR, [opt_off, opt_end); 0, 0
	                            when there is none */
	size_t msg_end; /* just past the last RR: what follows is junk */
};

static inline uint16_t
dnswire_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
dnswire_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
}

static inline void
dnswire_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
dnswire_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Read the (possibly compressed) name at *off in pkt[0..len) into out
 * (uncompressed wire, at most DNS_NAME_MAX bytes), set *outlen, and advance
 * *off past the name as it sits in the packet.  Pointer loops, forward
 * pointers beyond the packet, labels over 63 and names over 255 are errors.
 * out may be NULL to only skip.  Returns 0 or -1.
 */
int dnswire_read_name(
    const uint8_t *pkt, size_t len, size_t *off, uint8_t *out, size_t *outlen);

/* Lower-case a wire name in place (ASCII only, labels untouched otherwise). */
/* ASCII fold of eight name bytes at once (SWAR): 0x20 added to each
 * byte in 'A'..'Z', every other byte (length octets < 64, bytes with the
 * high bit set) untouched.  Byte order does not matter. */
static inline uint64_t
dnswire_fold8(uint64_t x)
{
	uint64_t low = x & 0x7f7f7f7f7f7f7f7fULL;
	uint64_t ge_a = low + 0x3f3f3f3f3f3f3f3fULL; /* 0x80 - 'A' */
	uint64_t gt_z = low + 0x2525252525252525ULL; /* 0x7f - 'Z' */

	return x | (((ge_a ^ gt_z) & ~x & 0x8080808080808080ULL) >> 2);
}

void dnswire_name_lower(uint8_t *name, size_t namelen);

/* Compare two uncompressed wire names case-insensitively; true if equal. */
bool dnswire_name_equal(
    const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* Names inside the RDATA of type that a sender may have compressed (RFC
 * 1035 §3.3; RFC 3597 §4 lets receivers decompress these): sets *pre to
 * the fixed bytes before the first name and returns how many names
 * follow (0 for every other type). */
unsigned dnswire_rdata_names(uint16_t type, size_t *pre);

/* Number of labels of an uncompressed wire name (root = 0). */
unsigned dnswire_name_labels(const uint8_t *name, size_t namelen);

/*
 * Parse header, question (QDCOUNT must be 1 for has_question) and, by
 * walking every RR, the EDNS OPT record into *mi.  Returns 0 when the
 * message is well formed, -1 otherwise (mi then holds what was parsed).
 * Two OPT records, an OPT not at the root or outside the additional
 * section is malformed (RFC 6891 §6.1.1).
 */
int dnswire_parse_msg(const uint8_t *pkt, size_t len, struct dns_msginfo *mi);

/*
 * Walk the resource records of a message.  Initialise with
 * dnswire_rr_iter_init() (after a successful parse), then call
 * dnswire_rr_next() until it returns 0 (end) or -1 (malformed); 1 means
 * the fields below describe the next RR.
 */
struct dns_rr_iter {
	const uint8_t *pkt;
	size_t len;
	size_t off;       /* next RR */
	unsigned section; /* 1 answer, 2 authority, 3 additional */
	unsigned left[4]; /* RRs left per section */
	bool qname_ok;    /* the name at offset 12 was read and checked */
	/* the current RR: */
	size_t owner_off; /* offset of its owner name in pkt */
	uint16_t type, rclass;
	uint32_t ttl;
	size_t ttl_off; /* offset of the TTL field (for patching) */
	size_t rdata_off;
	uint16_t rdlen;
};
void dnswire_rr_iter_init(struct dns_rr_iter *it, const uint8_t *pkt,
    size_t len, const struct dns_msginfo *mi);
int dnswire_rr_next(struct dns_rr_iter *it);

#endif
