/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * wirebuild: a tiny DNS message writer for unit tests, so that a test can
 * build exactly the (valid or hostile) bytes it needs and knows where each
 * TTL field sits.  Names are written uncompressed from presentation form;
 * wb_ptr() writes a compression pointer by hand.  Test code only.
 */
#ifndef LINKSHIM_TESTS_WIREBUILD_H
#define LINKSHIM_TESTS_WIREBUILD_H

#include <stdint.h>
#include <string.h>

#include "linkshim/dnswire.h"

#define WB_A 1
#define WB_NS 2
#define WB_CNAME 5
#define WB_SOA 6
#define WB_AAAA 28
#define WB_OPT 41
#define WB_IN 1

struct wb {
	uint8_t buf[4096];
	size_t len;
};

static inline void
wb_u8(struct wb *w, uint8_t v)
{
	w->buf[w->len++] = v;
}

static inline void
wb_u16(struct wb *w, uint16_t v)
{
	dnswire_put16(w->buf + w->len, v);
	w->len += 2;
}

static inline void
wb_u32(struct wb *w, uint32_t v)
{
	dnswire_put32(w->buf + w->len, v);
	w->len += 4;
}

static inline void
wb_bytes(struct wb *w, const void *p, size_t n)
{
	if (n == 0)
		return;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

/* Header: flags as on the wire (QR, opcode, AA, TC, RD, RA, rcode). */
static inline void
wb_header(struct wb *w, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an,
    uint16_t ns, uint16_t ar)
{
	w->len = 0;
	wb_u16(w, id);
	wb_u16(w, flags);
	wb_u16(w, qd);
	wb_u16(w, an);
	wb_u16(w, ns);
	wb_u16(w, ar);
}

/* "www.example.com." (or ".") to uncompressed wire; returns the offset. */
static inline size_t
wb_name(struct wb *w, const char *name)
{
	size_t start = w->len;
	const char *p = name, *dot;

	while (*p != '\0' && *p != '.') {
		dot = strchr(p, '.');
		if (dot == NULL)
			dot = p + strlen(p);
		wb_u8(w, (uint8_t)(dot - p));
		wb_bytes(w, p, (size_t)(dot - p));
		p = *dot == '.' ? dot + 1 : dot;
	}
	wb_u8(w, 0);
	return start;
}

/* Write name to out (uncompressed wire), return its length. */
static inline size_t
wb_wire_name(const char *name, uint8_t *out)
{
	struct wb w;

	w.len = 0;
	wb_name(&w, name);
	memcpy(out, w.buf, w.len);
	return w.len;
}

static inline void
wb_ptr(struct wb *w, uint16_t off)
{
	wb_u16(w, (uint16_t)(0xc000 | off));
}

static inline void
wb_question(struct wb *w, const char *name, uint16_t type, uint16_t cls)
{
	wb_name(w, name);
	wb_u16(w, type);
	wb_u16(w, cls);
}

/* RR fixed part after an owner already written; returns the TTL offset. */
static inline size_t
wb_rr_tail(struct wb *w, uint16_t type, uint16_t cls, uint32_t ttl,
    const void *rdata, uint16_t rdlen)
{
	size_t ttl_off;

	wb_u16(w, type);
	wb_u16(w, cls);
	ttl_off = w->len;
	wb_u32(w, ttl);
	wb_u16(w, rdlen);
	wb_bytes(w, rdata, rdlen);
	return ttl_off;
}

static inline size_t
wb_rr(struct wb *w, const char *owner, uint16_t type, uint32_t ttl,
    const void *rdata, uint16_t rdlen)
{
	wb_name(w, owner);
	return wb_rr_tail(w, type, WB_IN, ttl, rdata, rdlen);
}

static inline size_t
wb_a(struct wb *w, const char *owner, uint32_t ttl, uint8_t last)
{
	const uint8_t a[4] = {192, 0, 2, last};

	return wb_rr(w, owner, WB_A, ttl, a, 4);
}

static inline size_t
wb_cname(struct wb *w, const char *owner, uint32_t ttl, const char *target)
{
	uint8_t rd[DNS_NAME_MAX];

	return wb_rr(
	    w, owner, WB_CNAME, ttl, rd, (uint16_t)wb_wire_name(target, rd));
}

/* SOA with the given TTL and MINIMUM (RFC 1035 §3.3.13). */
static inline size_t
wb_soa(struct wb *w, const char *owner, uint32_t ttl, uint32_t minimum)
{
	uint8_t rd[2 * DNS_NAME_MAX + 20];
	size_t n = wb_wire_name("ns1.example.", rd);

	n += wb_wire_name("hostmaster.example.", rd + n);
	dnswire_put32(rd + n, 2026112901);
	dnswire_put32(rd + n + 4, 7200);
	dnswire_put32(rd + n + 8, 3600);
	dnswire_put32(rd + n + 12, 1209600);
	dnswire_put32(rd + n + 16, minimum);
	return wb_rr(w, owner, WB_SOA, ttl, rd, (uint16_t)(n + 20));
}

/* OPT pseudo-RR (RFC 6891); returns the offset of its TTL field. */
static inline size_t
wb_opt(struct wb *w, uint16_t size, int do_bit)
{
	wb_u8(w, 0);
	return wb_rr_tail(w, WB_OPT, size, do_bit ? 0x8000 : 0, NULL, 0);
}

#endif
