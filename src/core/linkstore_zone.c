/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * linkstore_zone: dynamic zones and their record sets.  Zone creation and
 * deletion with the shadowing rules, and the Route 53 change-batch
 * semantics (CREATE/UPSERT/DELETE, whole batch or nothing, CNAME
 * exclusivity, names inside the zone) applied to a working copy that
 * replaces the zone's record sets only when every change passed.
 */
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "linkshim/linkstore.h"

#define ZONE_ID_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static void
zone_gen_id(char *out, size_t outlen)
{
	size_t i, n = 21;

	if (outlen < n + 1)
		n = outlen - 1;
	out[0] = 'Z';
	for (i = 1; i < n; i++)
		out[i] = ZONE_ID_CHARS[arc4random_uniform(
		    sizeof(ZONE_ID_CHARS) - 1)];
	out[n] = '\0';
}

static const char *
strip_prefix(const char *id, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(id, prefix, n) == 0 ? id + n : id;
}

long
linkstore_zone_by_id(const struct linkstore *st, const char *id)
{
	size_t i;

	id = strip_prefix(id, "/hostedzone/");
	for (i = 0; i < st->nzones; i++)
		if (strcmp(st->zones[i].zone.id, id) == 0)
			return (long)i;
	return -1;
}

long
linkstore_zone_by_name(const struct linkstore *st, const char *name)
{
	char norm[CONF_NAME_MAX];
	size_t i;

	if (linkstore_normalize_name(name, norm, sizeof(norm), false, NULL) ==
	    -1)
		return -1;
	for (i = 0; i < st->nzones; i++)
		if (strcmp(st->zones[i].zone.name, norm) == 0)
			return (long)i;
	return -1;
}

long
linkstore_zone_by_caller_ref(const struct linkstore *st, const char *ref)
{
	size_t i;

	if (ref[0] == '\0')
		return -1;
	for (i = 0; i < st->nzones; i++)
		if (strcmp(st->zones[i].caller_ref, ref) == 0)
			return (long)i;
	return -1;
}

static int
zone_cmp(const void *a, const void *b)
{
	const struct linkstore_zone *za = a, *zb = b;
	int c;

	if ((c = linkstore_name_cmp(za->zone.name, zb->zone.name)) != 0)
		return c;
	return strcmp(za->zone.id, zb->zone.id);
}

int
linkstore_zone_add(struct linkstore *st, const struct conf *conf,
    const struct linkstore_zone *z, size_t *out_idx, struct errbuf *err)
{
	struct linkstore_zone nz, *tmp;
	const char *owner;
	long i;

	memset(&nz, 0, sizeof(nz));
	nz = *z;
	nz.zone.rrsets = NULL;
	nz.zone.nrrsets = 0;
	if (linkstore_normalize_name(z->zone.name, nz.zone.name,
	        sizeof(nz.zone.name), false, err) == -1)
		return LINKSTORE_INVALID;
	if ((owner = linkstore_owner_of(st, conf, nz.zone.name)) != NULL) {
		errbuf_set(err, "%s would shadow a %s%s", nz.zone.name, owner,
		    strncmp(owner, "config", 6) == 0 ? " (edit the config file "
		                                       "instead)"
		                                     : "");
		return LINKSTORE_CONFLICT;
	}
	if (st->nzones >= LINKSTORE_MAX_ZONES)
		return errbuf_set(
		    err, "too many zones (max %d)", LINKSTORE_MAX_ZONES);
	if (nz.zone.id[0] == '\0') {
		do
			zone_gen_id(nz.zone.id, sizeof(nz.zone.id));
		while (linkstore_zone_by_id(st, nz.zone.id) != -1);
	} else if (linkstore_zone_by_id(st, nz.zone.id) != -1) {
		errbuf_set(err, "zone id %s already in use", nz.zone.id);
		return LINKSTORE_EXISTS;
	}
	if (nz.zone.ttl == 0)
		nz.zone.ttl = 900;
	if (nz.zone.soa_minimum == 0)
		nz.zone.soa_minimum = 300;
	tmp = reallocarray(st->zones, st->nzones + 1, sizeof(*st->zones));
	if (tmp == NULL) {
		errbuf_set(err, "out of memory");
		return LINKSTORE_NOMEM;
	}
	st->zones = tmp;
	st->zones[st->nzones++] = nz;
	qsort(st->zones, st->nzones, sizeof(*st->zones), zone_cmp);
	i = linkstore_zone_by_id(st, nz.zone.id);
	if (out_idx != NULL)
		*out_idx = (size_t)i;
	return LINKSTORE_OK;
}

int
linkstore_zone_del(
    struct linkstore *st, size_t idx, bool force, struct errbuf *err)
{
	if (idx >= st->nzones) {
		errbuf_set(err, "no such zone");
		return LINKSTORE_NOTFOUND;
	}
	if (!force && st->zones[idx].zone.nrrsets > 0) {
		errbuf_set(err,
		    "The specified hosted zone contains non-required resource "
		    "record sets and so cannot be deleted.");
		return LINKSTORE_NOTEMPTY;
	}
	linkstore_zone_clear(&st->zones[idx]);
	memmove(&st->zones[idx], &st->zones[idx + 1],
	    (st->nzones - idx - 1) * sizeof(*st->zones));
	st->nzones--;
	return LINKSTORE_OK;
}

static long
rrset_index(const struct conf_zone *z, const char *name, uint16_t type)
{
	size_t i;

	for (i = 0; i < z->nrrsets; i++)
		if (z->rrsets[i].type == type &&
		    strcmp(z->rrsets[i].name, name) == 0)
			return (long)i;
	return -1;
}

long
linkstore_rrset_find(
    const struct linkstore *st, size_t idx, const char *name, uint16_t type)
{
	char norm[CONF_NAME_MAX];

	if (idx >= st->nzones ||
	    linkstore_normalize_name(name, norm, sizeof(norm), true, NULL) ==
	        -1)
		return -1;
	return rrset_index(&st->zones[idx].zone, norm, type);
}

static bool
name_in_zone(const char *name, const char *zone)
{
	size_t ln = strlen(name), lz = strlen(zone);

	if (ln < lz)
		return false;
	if (ln == lz)
		return strcmp(name, zone) == 0;
	return name[ln - lz - 1] == '.' && strcmp(name + ln - lz, zone) == 0;
}

static int
rrset_cmp(const void *a, const void *b)
{
	const struct conf_rrset *ra = a, *rb = b;
	int c;

	if ((c = linkstore_name_cmp(ra->name, rb->name)) != 0)
		return c;
	return (int)ra->type - (int)rb->type;
}

/*
 * Validate one record set of a change and produce its canonical copy in
 * out (name normalised, values parsed by ldns and re-printed).
 */
static int
rrset_canon(const struct conf_rrset *in, const char *zone,
    struct conf_rrset *out, struct errbuf *err)
{
	char buf[LINKSTORE_VALUE_MAX + 1];
	size_t i;

	memset(out, 0, sizeof(*out));
	if (linkstore_normalize_name(
	        in->name, out->name, sizeof(out->name), true, err) == -1)
		return -1;
	if (!name_in_zone(out->name, zone))
		return errbuf_set(err,
		    "RRSet with DNS name %s is not permitted in zone %s",
		    out->name, zone);
	if (in->type == 0 ||
	    linkstore_type_from_str(linkstore_type_str(in->type)) != in->type)
		return errbuf_set(err, "unsupported record type");
	out->type = in->type;
	out->ttl = in->ttl;
	if (in->ttl > 2147483647U)
		return errbuf_set(err, "TTL out of range (0..2147483647)");
	if (in->type == LDNS_RR_TYPE_NS && strcmp(out->name, zone) == 0)
		return errbuf_set(err,
		    "NS at the zone apex is synthesized "
		    "and cannot be changed");
	if (in->alias[0] != '\0') {
		if (in->nvalues > 0)
			return errbuf_set(err,
			    "an alias record set has no "
			    "ResourceRecords");
		if (in->type != LDNS_RR_TYPE_A && in->type != LDNS_RR_TYPE_AAAA)
			return errbuf_set(err,
			    "alias targets are supported "
			    "for A and AAAA only");
		if (linkstore_normalize_name(in->alias, out->alias,
		        sizeof(out->alias), false, err) == -1)
			return -1;
		/* Route 53 alias sets carry no TTL: the answer takes the
		 * target's, so store a bound that does not clamp it */
		out->ttl = in->ttl > 0 ? in->ttl : LINKSTORE_ALIAS_TTL;
		return 0;
	}
	if (in->nvalues == 0 || in->nvalues > LINKSTORE_MAX_VALUES)
		return errbuf_set(
		    err, "1..%d values required", LINKSTORE_MAX_VALUES);
	if (in->type == LDNS_RR_TYPE_CNAME && in->nvalues != 1)
		return errbuf_set(err, "a CNAME record set has one value");
	if ((out->values = calloc(in->nvalues, sizeof(char *))) == NULL)
		return errbuf_set(err, "out of memory");
	for (i = 0; i < in->nvalues; i++) {
		if (linkstore_canon_rdata(out->name, in->type, in->values[i],
		        buf, sizeof(buf), err) == -1 ||
		    (out->values[i] = strdup(buf)) == NULL) {
			linkstore_rrset_clear(out);
			return -1;
		}
		out->nvalues++;
	}
	return 0;
}

static bool
rrset_equal(const struct conf_rrset *a, const struct conf_rrset *b)
{
	size_t i, j;

	if (strcmp(a->alias, b->alias) != 0 || a->nvalues != b->nvalues)
		return false;
	if (a->alias[0] == '\0' && a->ttl != b->ttl)
		return false;
	for (i = 0; i < a->nvalues; i++) {
		for (j = 0; j < b->nvalues; j++)
			if (strcasecmp(a->values[i], b->values[j]) == 0)
				break;
		if (j == b->nvalues)
			return false;
	}
	return true;
}

static int
work_insert(struct conf_zone *w, struct conf_rrset *rr)
{
	struct conf_rrset *tmp;

	if (w->nrrsets >= LINKSTORE_MAX_RRSETS)
		return -1;
	tmp = reallocarray(w->rrsets, w->nrrsets + 1, sizeof(*w->rrsets));
	if (tmp == NULL)
		return -1;
	w->rrsets = tmp;
	w->rrsets[w->nrrsets++] = *rr;
	return 0;
}

static void
work_remove(struct conf_zone *w, size_t i)
{
	linkstore_rrset_clear(&w->rrsets[i]);
	memmove(&w->rrsets[i], &w->rrsets[i + 1],
	    (w->nrrsets - i - 1) * sizeof(*w->rrsets));
	w->nrrsets--;
}

const char *
linkstore_alias_zone_id(
    const struct linkstore_zone *z, const char *name, uint16_t type)
{
	size_t i;

	for (i = 0; i < z->nalias_ids; i++)
		if (z->alias_ids[i].type == type &&
		    strcmp(z->alias_ids[i].name, name) == 0)
			return z->alias_ids[i].zone_id;
	return "";
}

/* Record (or forget, when id is "") the alias zone id of (name, type). */
static int
alias_id_set(
    struct linkstore_zone *z, const char *name, uint16_t type, const char *id)
{
	struct linkstore_alias_id *tmp;
	size_t i;

	for (i = 0; i < z->nalias_ids; i++) {
		if (z->alias_ids[i].type != type ||
		    strcmp(z->alias_ids[i].name, name) != 0)
			continue;
		if (id[0] != '\0') {
			strlcpy(z->alias_ids[i].zone_id, id,
			    sizeof(z->alias_ids[i].zone_id));
			return 0;
		}
		z->alias_ids[i] = z->alias_ids[--z->nalias_ids];
		return 0;
	}
	if (id[0] == '\0')
		return 0;
	tmp = reallocarray(z->alias_ids, z->nalias_ids + 1, sizeof(*tmp));
	if (tmp == NULL)
		return -1;
	z->alias_ids = tmp;
	memset(&tmp[z->nalias_ids], 0, sizeof(*tmp));
	strlcpy(tmp[z->nalias_ids].name, name, sizeof(tmp->name));
	tmp[z->nalias_ids].type = type;
	strlcpy(tmp[z->nalias_ids].zone_id, id, sizeof(tmp->zone_id));
	z->nalias_ids++;
	return 0;
}

/* Apply one canonical change to the working zone; rr is consumed. */
static int
apply_one(struct conf_zone *w, enum linkstore_action action,
    struct conf_rrset *rr, struct errbuf *err)
{
	const char *t = linkstore_type_str(rr->type);
	long i = rrset_index(w, rr->name, rr->type);
	int rv = -1;

	switch (action) {
	case LINKSTORE_CREATE:
		if (i != -1) {
			errbuf_set(err,
			    "Tried to create resource record set "
			    "[name='%s', type='%s'] but it already "
			    "exists",
			    rr->name, t);
			break;
		}
		if ((rv = work_insert(w, rr)) == -1)
			errbuf_set(err, "too many record sets");
		break;
	case LINKSTORE_UPSERT:
		if (i != -1)
			work_remove(w, (size_t)i);
		if ((rv = work_insert(w, rr)) == -1)
			errbuf_set(err, "too many record sets");
		break;
	case LINKSTORE_DELETE:
		if (i == -1)
			errbuf_set(err,
			    "Tried to delete resource record set "
			    "[name='%s', type='%s'] but it was not "
			    "found",
			    rr->name, t);
		else if (!rrset_equal(&w->rrsets[i], rr))
			errbuf_set(err,
			    "Tried to delete resource record set "
			    "[name='%s', type='%s'] but the values "
			    "provided do not match the current "
			    "values",
			    rr->name, t);
		else {
			work_remove(w, (size_t)i);
			rv = 0;
		}
		linkstore_rrset_clear(rr);
		return rv;
	}
	if (rv == -1)
		linkstore_rrset_clear(rr);
	return rv;
}

/* RFC 1034 §3.6.2: a CNAME owner has no other data. */
static size_t
check_cname(const struct conf_zone *w, struct errbuf *msgs, size_t maxmsgs,
    size_t *nmsgs)
{
	size_t i, j, bad = 0;

	for (i = 0; i < w->nrrsets; i++) {
		const struct conf_rrset *c = &w->rrsets[i];

		if (c->type != LDNS_RR_TYPE_CNAME)
			continue;
		if (strcmp(c->name, w->name) == 0) {
			bad++;
			if (*nmsgs < maxmsgs)
				errbuf_set(&msgs[(*nmsgs)++],
				    "RRSet of type CNAME with DNS name %s is "
				    "not "
				    "permitted at apex in zone %s",
				    c->name, w->name);
			continue;
		}
		for (j = 0; j < w->nrrsets; j++) {
			if (j == i || strcmp(w->rrsets[j].name, c->name) != 0)
				continue;
			bad++;
			if (*nmsgs < maxmsgs)
				errbuf_set(&msgs[(*nmsgs)++],
				    "RRSet of type CNAME with DNS name %s is "
				    "not permitted because a conflicting "
				    "RRSet of type %s with the same DNS name "
				    "already exists in zone %s",
				    c->name,
				    linkstore_type_str(w->rrsets[j].type),
				    w->name);
			break;
		}
	}
	return bad;
}

int
linkstore_zone_change(struct linkstore *st, size_t idx,
    const struct linkstore_change *changes, size_t nchanges,
    struct errbuf *msgs, size_t maxmsgs, size_t *nmsgs)
{
	struct linkstore_zone work;
	struct conf_rrset rr;
	struct errbuf e;
	size_t i, bad = 0;

	*nmsgs = 0;
	if (idx >= st->nzones || nchanges == 0) {
		if (maxmsgs > 0)
			errbuf_set(&msgs[(*nmsgs)++], "%s",
			    nchanges == 0 ? "empty change batch"
			                  : "no such zone");
		return LINKSTORE_INVALID;
	}
	if (linkstore_zone_copy(&work, &st->zones[idx]) == -1) {
		if (maxmsgs > 0)
			errbuf_set(&msgs[(*nmsgs)++], "out of memory");
		return LINKSTORE_NOMEM;
	}
	for (i = 0; i < nchanges; i++) {
		const struct linkstore_change *c = &changes[i];

		e.msg[0] = '\0';
		if (rrset_canon(&c->rrset, work.zone.name, &rr, &e) == -1 ||
		    alias_id_set(&work, rr.name, rr.type,
		        c->action == LINKSTORE_DELETE || rr.alias[0] == '\0'
		            ? ""
		            : c->alias_zone_id) == -1 ||
		    apply_one(&work.zone, c->action, &rr, &e) == -1) {
			bad++;
			if (*nmsgs < maxmsgs)
				msgs[(*nmsgs)++] = e;
		}
	}
	bad += check_cname(&work.zone, msgs, maxmsgs, nmsgs);
	if (bad > 0) {
		linkstore_zone_clear(&work);
		return LINKSTORE_INVALID;
	}
	qsort(work.zone.rrsets, work.zone.nrrsets, sizeof(struct conf_rrset),
	    rrset_cmp);
	linkstore_zone_clear(&st->zones[idx]);
	st->zones[idx] = work;
	return LINKSTORE_OK;
}
