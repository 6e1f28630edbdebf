/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * zonetab_render: renders what the zone table answers to wire at build
 * time: names from presentation form, zone record sets (with ldns, whose
 * zone-file parser knows every type), static link addresses, link CNAMEs
 * and the synthesized apex SOA/NS (by hand: many thousands of links
 * share a few of them).  Every RR is written with the owner 0xC00C (the
 * question name) so that an answer is a memcpy (see zonetab_int.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "core/zonetab_render.h"

struct zt_buf {
	uint8_t b[4096];
	size_t len;
	bool overflow;
};

static void
buf_put(struct zt_buf *b, const void *p, size_t n)
{
	if (b->overflow || sizeof(b->b) - b->len < n) {
		b->overflow = true;
		return;
	}
	memcpy(b->b + b->len, p, n);
	b->len += n;
}

static void
buf_put16(struct zt_buf *b, uint16_t v)
{
	uint8_t x[2];

	dnswire_put16(x, v);
	buf_put(b, x, 2);
}

static void
buf_put32(struct zt_buf *b, uint32_t v)
{
	uint8_t x[4];

	dnswire_put32(x, v);
	buf_put(b, x, 4);
}

/* Owner pointer, type, class IN, TTL, RDLENGTH. */
static void
buf_rr_head(struct zt_buf *b, uint16_t type, uint32_t ttl, uint16_t rdlen)
{
	buf_put16(b, 0xc00c);
	buf_put16(b, type);
	buf_put16(b, ZT_CLASS_IN);
	buf_put32(b, ttl);
	buf_put16(b, rdlen);
}

void
zonetab_name_wire(const uint8_t *w, size_t len, struct zt_name *nm)
{
	memcpy(nm->w, w, len);
	nm->len = len;
	nm->nl = zonetab_label_offsets(nm->w, nm->len, nm->offs);
	zonetab_suffix_hashes(nm->w, nm->offs, nm->nl, nm->h);
}

static int
escaped_char(const char **sp, uint8_t *c)
{
	const char *s = *sp;
	unsigned v;

	if (s[0] >= '0' && s[0] <= '9') {
		if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
			return -1;
		v = (unsigned)(s[0] - '0') * 100 + (unsigned)(s[1] - '0') * 10 +
		    (unsigned)(s[2] - '0');
		if (v > 255)
			return -1;
		*c = (uint8_t)v;
		*sp = s + 3;
		return 0;
	}
	if (s[0] == '\0')
		return -1;
	*c = (uint8_t)s[0];
	*sp = s + 1;
	return 0;
}

int
zonetab_name(const char *s, struct zt_name *nm)
{
	uint8_t w[DNS_NAME_MAX], c;
	size_t len = 0, lstart = 0;

	if (strcmp(s, ".") == 0 || s[0] == '\0') {
		w[0] = 0;
		zonetab_name_wire(w, 1, nm);
		return 0;
	}
	w[0] = 0;
	len = 1;
	while (*s != '\0') {
		if (*s == '.') {
			if (len - lstart == 1) /* empty label */
				return -1;
			lstart = len;
			w[len++] = 0;
			s++;
			if (len >= DNS_NAME_MAX)
				return -1;
			continue;
		}
		if (*s == '\\') {
			s++;
			if (escaped_char(&s, &c) == -1)
				return -1;
		} else
			c = (uint8_t)*s++;
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + ('a' - 'A'));
		if (len - lstart > 63 || len + 1 >= DNS_NAME_MAX)
			return -1;
		w[len++] = c;
		w[lstart] = (uint8_t)(len - lstart - 1);
	}
	if (w[lstart] != 0) { /* relative: make it absolute */
		if (len + 1 > DNS_NAME_MAX)
			return -1;
		w[len++] = 0;
	}
	zonetab_name_wire(w, len, nm);
	return 0;
}

static struct zt_rrset *
add_rrset(struct zonetab *zt, struct zt_node *n, uint16_t type, uint32_t ttl,
    const uint8_t *wire, size_t len, uint16_t count)
{
	struct zt_rrset *rs;
	uint8_t *copy = NULL;

	if (n->nrrsets == n->rrcap) {
		/* most nodes (every link) have one RRset: start at one */
		size_t cap = n->rrcap ? n->rrcap * 2 : 1;
		struct zt_rrset *a = zonetab_alloc(zt, cap * sizeof(*a));

		if (a == NULL)
			return NULL;
		if (n->nrrsets > 0)
			memcpy(a, n->rrsets, n->nrrsets * sizeof(*a));
		n->rrsets = a;
		n->rrcap = cap;
	}
	if (wire != NULL && (copy = zonetab_alloc(zt, len)) == NULL)
		return NULL;
	if (copy != NULL)
		memcpy(copy, wire, len);
	rs = &n->rrsets[n->nrrsets++];
	rs->type = type;
	rs->ttl = ttl;
	rs->count = count;
	rs->wire = copy;
	rs->len = len;
	return rs;
}

static bool
has_type(const struct zt_node *n, uint16_t type)
{
	size_t i;

	for (i = 0; i < n->nrrsets; i++)
		if (n->rrsets[i].type == type)
			return true;
	return false;
}

int
zonetab_make_zone(struct zonetab *zt, struct zt_node *n, uint32_t ttl,
    uint32_t minimum, bool configured)
{
	struct zt_name mname, rname;
	struct zt_buf b;
	struct zt_rrset *soa, *ns;
	struct zt_zone *z;

	if ((z = zonetab_alloc(zt, sizeof(*z))) == NULL)
		return -1;
	zonetab_name(ZT_SOA_MNAME, &mname);
	zonetab_name(ZT_SOA_RNAME, &rname);
	b.len = 0;
	b.overflow = false;
	buf_rr_head(
	    &b, ZT_TYPE_SOA, ttl, (uint16_t)(mname.len + rname.len + 20));
	buf_put(&b, mname.w, mname.len);
	buf_put(&b, rname.w, rname.len);
	buf_put32(&b, ZT_SOA_SERIAL);
	buf_put32(&b, ZT_SOA_REFRESH);
	buf_put32(&b, ZT_SOA_RETRY);
	buf_put32(&b, ZT_SOA_EXPIRE);
	buf_put32(&b, minimum);
	if ((soa = add_rrset(zt, n, ZT_TYPE_SOA, ttl, b.b, b.len, 1)) == NULL)
		return -1;
	if ((z->soa = zonetab_alloc(zt, sizeof(*soa))) == NULL)
		return -1;
	memcpy((struct zt_rrset *)z->soa, soa, sizeof(*soa));
	b.len = 0;
	buf_rr_head(&b, ZT_TYPE_NS, ttl, (uint16_t)mname.len);
	buf_put(&b, mname.w, mname.len);
	if ((ns = add_rrset(zt, n, ZT_TYPE_NS, ttl, b.b, b.len, 1)) == NULL)
		return -1;
	z->apexlen = n->namelen;
	z->configured = configured;
	z->soa_ttl = ttl;
	z->soa_minimum = minimum;
	n->own_zone = z;
	n->flags |= ZT_NODE_APEX;
	return 0;
}

/* One value of rs rendered with ldns's zone-file parser, appended to b. */
static int
render_value(const struct conf_rrset *rs, const char *value, ldns_rdf *origin,
    struct zt_buf *b, struct errbuf *err)
{
	char line[4096], *tstr;
	ldns_rr *rr = NULL;
	uint8_t *wire = NULL;
	size_t size = 0, off = 0;
	int rv = -1;

	if ((tstr = ldns_rr_type2str((ldns_rr_type)rs->type)) == NULL)
		return errbuf_set(err, "record %s: out of memory", rs->name);
	snprintf(line, sizeof(line), "%s %u IN %s %s", rs->name, rs->ttl, tstr,
	    value);
	free(tstr);
	if (ldns_rr_new_frm_str(&rr, line, rs->ttl, origin, NULL) !=
	        LDNS_STATUS_OK ||
	    ldns_rr_get_type(rr) != rs->type) {
		errbuf_set(err, "record %s: cannot parse value \"%s\"",
		    rs->name, value);
		goto done;
	}
	if (ldns_rr2wire(&wire, rr, LDNS_SECTION_ANSWER, &size) !=
	        LDNS_STATUS_OK ||
	    dnswire_read_name(wire, size, &off, NULL, NULL) == -1 ||
	    size - off < 10) {
		errbuf_set(err, "record %s: cannot render", rs->name);
		goto done;
	}
	buf_put16(b, 0xc00c);
	buf_put(b, wire + off, size - off);
	rv = 0;
done:
	free(wire);
	ldns_rr_free(rr);
	return rv;
}

static int
add_alias_rrset(struct zonetab *zt, struct zt_node *n,
    const struct conf_rrset *rs, struct errbuf *err)
{
	struct zt_name t;
	uint8_t *copy;
	unsigned i;

	if (rs->type != ZT_TYPE_A && rs->type != ZT_TYPE_AAAA)
		return errbuf_set(
		    err, "record %s: alias needs type A or AAAA", rs->name);
	if (zonetab_name(rs->alias, &t) == -1)
		return errbuf_set(
		    err, "record %s: bad alias target %s", rs->name, rs->alias);
	if (n->chase == NULL &&
	    (n->chase = zonetab_alloc(zt, sizeof(*n->chase))) == NULL)
		return errbuf_set(err, "out of memory");
	i = rs->type == ZT_TYPE_A ? 0 : 1;
	if (n->chase->mode != LINK_MODE_ALIAS || n->chase->target_len[i] != 0 ||
	    has_type(n, rs->type))
		return errbuf_set(
		    err, "record %s: type defined twice", rs->name);
	if ((copy = zonetab_alloc(zt, t.len)) == NULL)
		return errbuf_set(err, "out of memory");
	memcpy(copy, t.w, t.len);
	n->chase->target[i] = copy;
	n->chase->target_len[i] = t.len;
	n->chase->ttl[i] = rs->ttl;
	n->flags |= ZT_NODE_DATA;
	return 0;
}

int
zonetab_add_conf_rrset(struct zonetab *zt, struct zt_node *n,
    const struct conf_rrset *rs, const char *zone, struct errbuf *err)
{
	struct zt_buf *b;
	ldns_rdf *origin = NULL;
	size_t i;
	int rv = -1;

	if (rs->alias[0] != '\0')
		return add_alias_rrset(zt, n, rs, err);
	if (rs->type == ZT_TYPE_SOA || rs->type == ZT_TYPE_NS) {
		if (n->flags & ZT_NODE_APEX)
			return errbuf_set(err,
			    "record %s: SOA and NS at an apex are synthesized",
			    rs->name);
	}
	if (has_type(n, rs->type) ||
	    (n->chase != NULL &&
	        ((rs->type == ZT_TYPE_A && n->chase->target_len[0]) ||
	            (rs->type == ZT_TYPE_AAAA && n->chase->target_len[1]))))
		return errbuf_set(
		    err, "record %s: type defined twice", rs->name);
	if (rs->nvalues == 0 || rs->nvalues > 0xffff)
		return errbuf_set(err, "record %s: no values", rs->name);
	if (rs->type == ZT_TYPE_CNAME && rs->nvalues != 1)
		return errbuf_set(err, "record %s: a CNAME has one value",
		    rs->name); /* RFC 2181 §10.1 */
	/* relative names in values are relative to the zone (RFC 1035 §5.1) */
	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (origin = ldns_dname_new_frm_str(zone)) == NULL) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	for (i = 0; i < rs->nvalues; i++)
		if (render_value(rs, rs->values[i], origin, b, err) == -1)
			goto done;
	if (b->overflow) {
		errbuf_set(err, "record %s: record set too large", rs->name);
		goto done;
	}
	if (add_rrset(zt, n, rs->type, rs->ttl, b->b, b->len,
	        (uint16_t)rs->nvalues) == NULL) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	n->flags |= ZT_NODE_DATA;
	rv = 0;
done:
	ldns_rdf_deep_free(origin);
	free(b);
	return rv;
}

static int
add_static(struct zonetab *zt, struct zt_node *n, const struct conf_link *l)
{
	struct zt_buf b4, b6;
	uint16_t c4 = 0, c6 = 0;
	size_t i;

	b4.len = b6.len = 0;
	b4.overflow = b6.overflow = false;
	for (i = 0; i < l->naddrs && i < 0xffff; i++) {
		if (l->addrs[i].family == AF_INET) {
			buf_rr_head(&b4, ZT_TYPE_A, l->ttl, 4);
			buf_put(&b4, l->addrs[i].addr, 4);
			c4++;
		} else {
			buf_rr_head(&b6, ZT_TYPE_AAAA, l->ttl, 16);
			buf_put(&b6, l->addrs[i].addr, 16);
			c6++;
		}
	}
	if (b4.overflow || b6.overflow)
		return -1;
	if (c4 && add_rrset(zt, n, ZT_TYPE_A, l->ttl, b4.b, b4.len, c4) == NULL)
		return -1;
	if (c6 &&
	    add_rrset(zt, n, ZT_TYPE_AAAA, l->ttl, b6.b, b6.len, c6) == NULL)
		return -1;
	return 0;
}

int
zonetab_add_link(struct zonetab *zt, struct zt_node *n,
    const struct conf_link *l, const char *target, struct errbuf *err)
{
	const struct zt_rrset *rs;
	struct zt_name t;
	struct zt_chase *c;
	struct zt_buf b;
	uint8_t *copy;
	size_t rdata;

	n->flags |= ZT_NODE_DATA;
	if (l->mode == LINK_MODE_STATIC) {
		if (l->naddrs == 0)
			return errbuf_set(
			    err, "link %s: no addresses", l->name);
		if (add_static(zt, n, l) == -1)
			return errbuf_set(
			    err, "link %s: too many addresses", l->name);
		return 0;
	}
	if (zonetab_name(target, &t) == -1 || t.len <= 1)
		return errbuf_set(
		    err, "link %s: bad target \"%s\"", l->name, target);
	if ((c = zonetab_alloc(zt, sizeof(*c))) == NULL)
		return errbuf_set(err, "out of memory");
	c->mode = l->mode;
	c->target_len[0] = t.len;
	c->ttl[0] = l->ttl;
	if (l->mode == LINK_MODE_ALIAS) {
		if ((copy = zonetab_alloc(zt, t.len)) == NULL)
			return errbuf_set(err, "out of memory");
		memcpy(copy, t.w, t.len);
		c->target[0] = c->target[1] = copy;
		c->target_len[1] = t.len;
		c->ttl[1] = l->ttl;
	} else {
		/* the CNAME itself is local data (qtype CNAME, ANY); the
		 * chase reads the target from its RDATA (no second copy) */
		b.len = 0;
		b.overflow = false;
		buf_rr_head(&b, ZT_TYPE_CNAME, l->ttl, (uint16_t)t.len);
		rdata = b.len;
		buf_put(&b, t.w, t.len);
		if ((rs = add_rrset(
		         zt, n, ZT_TYPE_CNAME, l->ttl, b.b, b.len, 1)) == NULL)
			return errbuf_set(err, "out of memory");
		c->target[0] = rs->wire + rdata;
		n->flags |= ZT_NODE_CNAME_LINK;
	}
	n->chase = c;
	return 0;
}

int
zonetab_check_node(const struct zt_node *n, struct errbuf *err)
{
	char name[DNS_NAME_MAX * 4 + 1], *s;
	ldns_rdf *d;

	/* RFC 1034 §3.6.2, RFC 2181 §10.1: a CNAME has no other data. */
	if (!has_type(n, ZT_TYPE_CNAME) ||
	    (n->nrrsets == 1 &&
	        (n->chase == NULL || n->chase->mode == LINK_MODE_CNAME)))
		return 0;
	d = ldns_dname_new_frm_data((uint16_t)n->namelen, n->name);
	s = d != NULL ? ldns_rdf2str(d) : NULL;
	snprintf(name, sizeof(name), "%s", s != NULL ? s : "?");
	free(s);
	ldns_rdf_deep_free(d);
	return errbuf_set(
	    err, "%s: CNAME and other data at the same name", name);
}
