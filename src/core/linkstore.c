/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * linkstore: the in-memory set of dynamic links and zones, with the
 * validation every registration goes through (names, modes, record data
 * parsed by ldns) and the shadowing rules against the config file.  Zone
 * record-set batches (Route 53 ChangeResourceRecordSets) live in
 * linkstore_zone.c, the state file in linkstore_file.c and the JSON shapes
 * in linkstore_json.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "linkshim/linkstore.h"

struct linkstore *
linkstore_new(void)
{
	return calloc(1, sizeof(struct linkstore));
}

static int
link_copy(struct conf_link *dst, const struct conf_link *src)
{
	return conf_link_copy(dst, src);
}

void
linkstore_link_clear(struct conf_link *l)
{
	if (l != NULL)
		conf_link_clear(l);
}

/* Normalise *name (a heap string of l, or NULL) in place: replaced by its
 * normalised copy.  0, or -1 with err filled. */
static int
link_normalize(char **name, bool allow_wildcard, struct errbuf *err)
{
	char buf[CONF_NAME_MAX], *copy;

	if (linkstore_normalize_name(*name != NULL ? *name : "", buf,
	        sizeof(buf), allow_wildcard, err) == -1)
		return -1;
	if ((copy = strdup(buf)) == NULL)
		return errbuf_set(err, "out of memory");
	free(*name);
	*name = copy;
	return 0;
}

void
linkstore_rrset_clear(struct conf_rrset *rr)
{
	size_t i;

	if (rr == NULL)
		return;
	for (i = 0; i < rr->nvalues; i++)
		free(rr->values[i]);
	free(rr->values);
	rr->values = NULL;
	rr->nvalues = 0;
}

int
linkstore_rrset_copy(struct conf_rrset *dst, const struct conf_rrset *src)
{
	size_t i;

	*dst = *src;
	dst->values = NULL;
	dst->nvalues = 0;
	if (src->nvalues == 0)
		return 0;
	dst->values = calloc(src->nvalues, sizeof(char *));
	if (dst->values == NULL)
		return -1;
	for (i = 0; i < src->nvalues; i++) {
		if ((dst->values[i] = strdup(src->values[i])) == NULL) {
			linkstore_rrset_clear(dst);
			return -1;
		}
		dst->nvalues++;
	}
	return 0;
}

void
linkstore_zone_clear(struct linkstore_zone *z)
{
	size_t i;

	for (i = 0; i < z->zone.nrrsets; i++)
		linkstore_rrset_clear(&z->zone.rrsets[i]);
	free(z->zone.rrsets);
	z->zone.rrsets = NULL;
	z->zone.nrrsets = 0;
	free(z->alias_ids);
	z->alias_ids = NULL;
	z->nalias_ids = 0;
}

int
linkstore_zone_copy(
    struct linkstore_zone *dst, const struct linkstore_zone *src)
{
	size_t i;

	*dst = *src;
	dst->zone.rrsets = NULL;
	dst->zone.nrrsets = 0;
	dst->alias_ids = NULL;
	dst->nalias_ids = 0;
	if (src->nalias_ids > 0) {
		dst->alias_ids = reallocarray(
		    NULL, src->nalias_ids, sizeof(*src->alias_ids));
		if (dst->alias_ids == NULL)
			return -1;
		memcpy(dst->alias_ids, src->alias_ids,
		    src->nalias_ids * sizeof(*src->alias_ids));
		dst->nalias_ids = src->nalias_ids;
	}
	if (src->zone.nrrsets == 0)
		return 0;
	dst->zone.rrsets = calloc(src->zone.nrrsets, sizeof(struct conf_rrset));
	if (dst->zone.rrsets == NULL)
		return -1;
	for (i = 0; i < src->zone.nrrsets; i++) {
		if (linkstore_rrset_copy(
		        &dst->zone.rrsets[i], &src->zone.rrsets[i]) == -1) {
			linkstore_zone_clear(dst);
			return -1;
		}
		dst->zone.nrrsets++;
	}
	return 0;
}

void
linkstore_free(struct linkstore *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nlinks; i++)
		linkstore_link_clear(&st->links[i]);
	free(st->links);
	for (i = 0; i < st->nzones; i++)
		linkstore_zone_clear(&st->zones[i]);
	free(st->zones);
	free(st);
}

struct linkstore *
linkstore_clone(const struct linkstore *st)
{
	struct linkstore *c;
	size_t i;

	if ((c = linkstore_new()) == NULL)
		return NULL;
	if (st->nlinks > 0 &&
	    (c->links = calloc(st->nlinks, sizeof(*c->links))) == NULL)
		goto fail;
	for (i = 0; i < st->nlinks; i++) {
		if (link_copy(&c->links[i], &st->links[i]) == -1)
			goto fail;
		c->nlinks++;
	}
	if (st->nzones > 0 &&
	    (c->zones = calloc(st->nzones, sizeof(*c->zones))) == NULL)
		goto fail;
	for (i = 0; i < st->nzones; i++) {
		if (linkstore_zone_copy(&c->zones[i], &st->zones[i]) == -1)
			goto fail;
		c->nzones++;
	}
	return c;
fail:
	linkstore_free(c);
	return NULL;
}

static bool
label_char_ok(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

int
linkstore_normalize_name(const char *in, char *out, size_t outlen,
    bool allow_wildcard, struct errbuf *err)
{
	char buf[CONF_NAME_MAX];
	size_t len, i, lablen = 0;
	const char *p = in;

	len = strlen(in);
	if (len == 0)
		return errbuf_set(err, "empty name");
	if (strcmp(in, ".") == 0)
		return errbuf_set(err, "the root name is not allowed here");
	if (len > 254 || (len == 254 && in[253] != '.'))
		return errbuf_set(err, "name too long: %.64s...", in);
	if (strncmp(p, "*.", 2) == 0) {
		if (!allow_wildcard)
			return errbuf_set(err, "wildcard not allowed: %s", in);
		p += 2;
		if (*p == '\0')
			return errbuf_set(err, "bad name: %s", in);
	}
	for (i = 0; p[i] != '\0'; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '.') {
			if (lablen == 0)
				return errbuf_set(err, "empty label in %s", in);
			lablen = 0;
			continue;
		}
		if (!label_char_ok(c))
			return errbuf_set(err, "bad character in name: %s", in);
		if (++lablen > 63)
			return errbuf_set(
			    err, "label longer than 63 in %s", in);
	}
	for (i = 0; i < len && i < sizeof(buf) - 2; i++)
		buf[i] = (char)tolower((unsigned char)in[i]);
	if (buf[len - 1] != '.')
		buf[len++] = '.';
	buf[len] = '\0';
	if (strlcpy(out, buf, outlen) >= outlen)
		return errbuf_set(err, "name too long: %s", in);
	return 0;
}

static const struct {
	const char *name;
	uint16_t type;
} linkstore_types[] = {
    {"A", LDNS_RR_TYPE_A},
    {"AAAA", LDNS_RR_TYPE_AAAA},
    {"CNAME", LDNS_RR_TYPE_CNAME},
    {"TXT", LDNS_RR_TYPE_TXT},
    {"MX", LDNS_RR_TYPE_MX},
    {"SRV", LDNS_RR_TYPE_SRV},
    {"PTR", LDNS_RR_TYPE_PTR},
    {"CAA", LDNS_RR_TYPE_CAA},
    {"NS", LDNS_RR_TYPE_NS},
    {"SPF", LDNS_RR_TYPE_SPF},
};

uint16_t
linkstore_type_from_str(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(linkstore_types) / sizeof(linkstore_types[0]);
	     i++)
		if (strcasecmp(s, linkstore_types[i].name) == 0)
			return linkstore_types[i].type;
	return 0;
}

const char *
linkstore_type_str(uint16_t type)
{
	size_t i;

	for (i = 0; i < sizeof(linkstore_types) / sizeof(linkstore_types[0]);
	     i++)
		if (linkstore_types[i].type == type)
			return linkstore_types[i].name;
	return "TYPE?";
}

/* Join the rdata fields of rr as ldns prints them, space separated. */
static int
rdata_print(const ldns_rr *rr, char *out, size_t outlen)
{
	size_t i, off = 0;
	char *s;

	out[0] = '\0';
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		if ((s = ldns_rdf2str(ldns_rr_rdf(rr, i))) == NULL)
			return -1;
		if (off > 0 && off + 1 < outlen)
			out[off++] = ' ';
		off += strlcpy(out + off, s, off < outlen ? outlen - off : 0);
		free(s);
		if (off >= outlen)
			return -1;
	}
	return 0;
}

int
linkstore_canon_rdata(const char *owner, uint16_t type, const char *in,
    char *out, size_t outlen, struct errbuf *err)
{
	char line[LINKSTORE_VALUE_MAX + CONF_NAME_MAX + 64];
	ldns_rr *rr = NULL;
	ldns_rdf *origin = NULL;
	ldns_status s;
	const char *p;
	int rv = -1;

	if (*in == '\0')
		return errbuf_set(err, "empty value");
	if (strlen(in) > LINKSTORE_VALUE_MAX)
		return errbuf_set(
		    err, "value longer than %d bytes", LINKSTORE_VALUE_MAX);
	for (p = in; *p != '\0'; p++)
		if (iscntrl((unsigned char)*p) || *p == ';')
			return errbuf_set(
			    err, "control character or ';' in value");
	snprintf(line, sizeof(line), "%s 300 IN %s %s", owner,
	    linkstore_type_str(type), in);
	if ((origin = ldns_dname_new_frm_str(".")) == NULL)
		return errbuf_set(err, "out of memory");
	s = ldns_rr_new_frm_str(&rr, line, 300, origin, NULL);
	if (s != LDNS_STATUS_OK || rr == NULL) {
		errbuf_set(err, "bad %s value \"%s\": %s",
		    linkstore_type_str(type), in, ldns_get_errorstr_by_id(s));
		goto done;
	}
	if (ldns_rr_get_type(rr) != type || ldns_rr_rd_count(rr) == 0) {
		errbuf_set(
		    err, "bad %s value \"%s\"", linkstore_type_str(type), in);
		goto done;
	}
	if (rdata_print(rr, out, outlen) == -1) {
		errbuf_set(err, "value too long");
		goto done;
	}
	rv = 0;
done:
	ldns_rr_free(rr);
	ldns_rdf_deep_free(origin);
	return rv;
}

/* Label-wise comparison from the right, case-insensitive (RFC 4034 §6.1). */
int
linkstore_name_cmp(const char *a, const char *b)
{
	const char *ea = a + strlen(a), *eb = b + strlen(b);

	if (ea > a && ea[-1] == '.')
		ea--;
	if (eb > b && eb[-1] == '.')
		eb--;
	for (;;) {
		const char *la = ea, *lb = eb;
		size_t na, nb, n;
		int c;

		if (ea == a || eb == b)
			return (ea == a ? 0 : 1) - (eb == b ? 0 : 1);
		while (la > a && la[-1] != '.')
			la--;
		while (lb > b && lb[-1] != '.')
			lb--;
		na = (size_t)(ea - la);
		nb = (size_t)(eb - lb);
		n = na < nb ? na : nb;
		if ((c = strncasecmp(la, lb, n)) != 0)
			return c;
		if (na != nb)
			return na < nb ? -1 : 1;
		ea = la > a ? la - 1 : la;
		eb = lb > b ? lb - 1 : lb;
	}
}

const char *
linkstore_owner_of(
    const struct linkstore *st, const struct conf *conf, const char *name)
{
	size_t i;

	if (conf != NULL) {
		for (i = 0; i < conf->nlinks; i++)
			if (strcasecmp(conf->links[i].name, name) == 0)
				return "config link";
		for (i = 0; i < conf->nzones; i++)
			if (strcasecmp(conf->zones[i].name, name) == 0)
				return "config zone";
	}
	if (st != NULL) {
		for (i = 0; i < st->nlinks; i++)
			if (strcasecmp(st->links[i].name, name) == 0)
				return "link";
		for (i = 0; i < st->nzones; i++)
			if (strcasecmp(st->zones[i].zone.name, name) == 0)
				return "zone";
	}
	return NULL;
}

static int
link_validate(
    const struct conf_link *in, struct conf_link *out, struct errbuf *err)
{
	size_t i;

	if (link_copy(out, in) == -1)
		return errbuf_set(err, "out of memory");
	if (link_normalize(&out->name, true, err) == -1)
		goto fail;
	if (in->ttl > 2147483647U) {
		errbuf_set(err, "ttl out of range (0..2147483647)");
		goto fail;
	}
	if (in->mode == LINK_MODE_STATIC) {
		if (in->naddrs == 0 || in->naddrs > LINKSTORE_MAX_VALUES ||
		    (in->target != NULL && in->target[0] != '\0') ||
		    in->nzonal > 0) {
			errbuf_set(err,
			    "a static link needs 1..%d addresses "
			    "and no target or zonal names",
			    LINKSTORE_MAX_VALUES);
			goto fail;
		}
		return 0;
	}
	if (in->naddrs > 0) {
		errbuf_set(err, "addresses and target are exclusive");
		goto fail;
	}
	if (in->target == NULL || in->target[0] == '\0') {
		errbuf_set(err, "target or addresses required");
		goto fail;
	}
	if (link_normalize(&out->target, false, err) == -1)
		goto fail;
	for (i = 0; i < in->nzonal; i++) {
		if (in->zonal[i].az[0] == '\0') {
			errbuf_set(err, "zonal: empty availability zone");
			goto fail;
		}
		if (linkstore_normalize_name(in->zonal[i].target,
		        out->zonal[i].target, sizeof(out->zonal[i].target),
		        false, err) == -1) {
			errbuf_prefix(err, "zonal");
			goto fail;
		}
	}
	return 0;
fail:
	linkstore_link_clear(out);
	return -1;
}

static int
link_cmp(const void *a, const void *b)
{
	return linkstore_name_cmp(((const struct conf_link *)a)->name,
	    ((const struct conf_link *)b)->name);
}

const struct conf_link *
linkstore_link_find(const struct linkstore *st, const char *name)
{
	char norm[CONF_NAME_MAX];
	size_t i;

	if (linkstore_normalize_name(name, norm, sizeof(norm), true, NULL) ==
	    -1)
		return NULL;
	for (i = 0; i < st->nlinks; i++)
		if (strcmp(st->links[i].name, norm) == 0)
			return &st->links[i];
	return NULL;
}

int
linkstore_link_put(struct linkstore *st, const struct conf *conf,
    const struct conf_link *l, bool *created, struct errbuf *err)
{
	struct conf_link nl, *tmp;
	const char *owner;
	size_t i;

	if (link_validate(l, &nl, err) == -1)
		return LINKSTORE_INVALID;
	owner = linkstore_owner_of(NULL, conf, nl.name);
	if (owner == NULL) {
		for (i = 0; i < st->nzones; i++)
			if (strcmp(st->zones[i].zone.name, nl.name) == 0)
				owner = "zone registered through the API";
	}
	if (owner != NULL) {
		errbuf_set(err, "%s would shadow a %s%s", nl.name, owner,
		    strncmp(owner, "config", 6) == 0 ? " (edit the config file "
		                                       "instead)"
		                                     : "");
		linkstore_link_clear(&nl);
		return LINKSTORE_CONFLICT;
	}
	for (i = 0; i < st->nlinks; i++) {
		if (strcmp(st->links[i].name, nl.name) == 0) {
			linkstore_link_clear(&st->links[i]);
			st->links[i] = nl;
			*created = false;
			return LINKSTORE_OK;
		}
	}
	if (st->nlinks >= LINKSTORE_MAX_LINKS) {
		linkstore_link_clear(&nl);
		errbuf_set(err, "too many links (max %d)", LINKSTORE_MAX_LINKS);
		return LINKSTORE_INVALID;
	}
	tmp = reallocarray(st->links, st->nlinks + 1, sizeof(*st->links));
	if (tmp == NULL) {
		linkstore_link_clear(&nl);
		errbuf_set(err, "out of memory");
		return LINKSTORE_NOMEM;
	}
	st->links = tmp;
	st->links[st->nlinks++] = nl;
	qsort(st->links, st->nlinks, sizeof(*st->links), link_cmp);
	*created = true;
	return LINKSTORE_OK;
}

int
linkstore_link_del(struct linkstore *st, const char *name, struct errbuf *err)
{
	const struct conf_link *l;
	size_t i;

	if ((l = linkstore_link_find(st, name)) == NULL) {
		errbuf_set(err, "no link %s registered through the API", name);
		return LINKSTORE_NOTFOUND;
	}
	i = (size_t)(l - st->links);
	linkstore_link_clear(&st->links[i]);
	memmove(&st->links[i], &st->links[i + 1],
	    (st->nlinks - i - 1) * sizeof(*st->links));
	st->nlinks--;
	return LINKSTORE_OK;
}

size_t
linkstore_prune_shadowed(struct linkstore *st, const struct conf *conf,
    void (*fn)(const char *name, const char *what, void *arg), void *arg)
{
	size_t i = 0, n = 0;

	if (conf == NULL)
		return 0;
	while (i < st->nlinks) {
		if (linkstore_owner_of(NULL, conf, st->links[i].name) == NULL) {
			i++;
			continue;
		}
		if (fn != NULL)
			fn(st->links[i].name, "link", arg);
		linkstore_link_clear(&st->links[i]);
		memmove(&st->links[i], &st->links[i + 1],
		    (st->nlinks - i - 1) * sizeof(*st->links));
		st->nlinks--;
		n++;
	}
	i = 0;
	while (i < st->nzones) {
		if (linkstore_owner_of(NULL, conf, st->zones[i].zone.name) ==
		    NULL) {
			i++;
			continue;
		}
		if (fn != NULL)
			fn(st->zones[i].zone.name, "zone", arg);
		linkstore_zone_del(st, i, true, NULL);
		n++;
	}
	return n;
}
