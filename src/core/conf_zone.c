/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf_zone: the records of a configured zone (design.md §2), checked at
 * load time so that a typo is a "file:line:col" error and not a SERVFAIL
 * later.  Record names are "@" (the apex), absolute with a trailing dot
 * (must be inside the zone), already ending in the zone's name (Route 53
 * style: "www.example.com" in example.com is www.example.com.), or
 * relative to the zone as in a zone file.  Every value is parsed by
 * ldns_rr_new_frm_str() and stored in ldns' canonical presentation form
 * (names absolute), which is what conf_print() writes back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>
#include <yaml.h>

#include "core/conf_internal.h"

int
conf_zone_parse_type(const char *s, uint16_t *type)
{
	ldns_rr_type t;

	if (*s == '\0' || strlen(s) > 16)
		return -1;
	t = ldns_get_rr_type_by_name(s);
	/* SOA is synthesized at the apex; OPT (RFC 6891) and the meta and
	 * query types 128-255 (RFC 6895 §3.1) are not data. */
	if (t == 0 || t == LDNS_RR_TYPE_SOA || t == LDNS_RR_TYPE_OPT ||
	    (t >= 128 && t <= 255))
		return -1;
	*type = (uint16_t)t;
	return 0;
}

void
conf_zone_type_str(uint16_t type, char *buf, size_t len)
{
	char *s = ldns_rr_type2str((ldns_rr_type)type);

	snprintf(buf, len, "%s", s ? s : "TYPE0");
	free(s);
}

static bool
zone_contains(const char *zone, const char *name)
{
	size_t zl = strlen(zone), nl = strlen(name);

	if (nl == zl)
		return strcmp(zone, name) == 0;
	return nl > zl && name[nl - zl - 1] == '.' &&
	    strcmp(name + nl - zl, zone) == 0;
}

/* raw as written into out (absolute, normalized); see the file comment. */
static int
zone_resolve_name(const char *zone, const char *raw, char *out, size_t len)
{
	char full[2 * CONF_NAME_MAX], lower[CONF_NAME_MAX];
	size_t rl = strlen(raw), zl = strlen(zone) - 1, i;

	if (strcmp(raw, "@") == 0)
		snprintf(full, sizeof(full), "%s", zone);
	else if (rl > 0 && raw[rl - 1] == '.')
		snprintf(full, sizeof(full), "%s", raw);
	else {
		for (i = 0; i < rl && i + 1 < sizeof(lower); i++)
			lower[i] = (char)((raw[i] >= 'A' && raw[i] <= 'Z')
			        ? raw[i] - 'A' + 'a'
			        : raw[i]);
		lower[i] = '\0';
		if ((rl == zl || (rl > zl && lower[rl - zl - 1] == '.')) &&
		    strncmp(lower + rl - zl, zone, zl) == 0)
			snprintf(full, sizeof(full), "%s.", raw);
		else
			snprintf(full, sizeof(full), "%s.%s", raw, zone);
	}
	if (conf_normalize_name(full, out, len, true) == -1)
		return -1;
	return zone_contains(zone, out) ? 0 : -2;
}

/* One value through ldns; *out is the canonical rdata text (malloc). */
static int
zone_value(struct conf_walk *w, yaml_node_t *node, const struct conf_zone *z,
    const struct conf_rrset *r, char **out)
{
	char *text = NULL, type[32], q[80];
	const char *v = conf_walk_scalar(node);
	ldns_rdf *origin = NULL;
	ldns_rr *rr = NULL;
	ldns_buffer *buf = NULL;
	ldns_status st;
	size_t i;
	int rv = -1;

	for (i = 0; v[i] != '\0'; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
			return conf_walk_bad(
			    w, node, "value", "one line of record data");
	if (*v == '\0')
		return conf_walk_bad(w, node, "value", "record data");
	conf_zone_type_str(r->type, type, sizeof(type));
	if (asprintf(&text, "%s %u IN %s %s", r->name, r->ttl, type, v) == -1) {
		text = NULL;
		goto oom;
	}
	if ((origin = ldns_dname_new_frm_str(z->name)) == NULL)
		goto oom;
	st = ldns_rr_new_frm_str(&rr, text, r->ttl, origin, NULL);
	if (st != LDNS_STATUS_OK || ldns_rr_get_type(rr) != r->type) {
		snprintf(q, sizeof(q), "%s record data (%s)", type,
		    st != LDNS_STATUS_OK ? ldns_get_errorstr_by_id(st)
		                         : "wrong type");
		conf_walk_bad(w, node, "value", q);
		goto done;
	}
	if ((buf = ldns_buffer_new(256)) == NULL)
		goto oom;
	/* empty rdata has no presentation but the generic one (RFC 3597) */
	if (ldns_rr_rd_count(rr) == 0)
		ldns_buffer_printf(buf, "\\# 0");
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		if (i > 0)
			ldns_buffer_printf(buf, " ");
		if (ldns_rdf2buffer_str(buf, ldns_rr_rdf(rr, i)) !=
		    LDNS_STATUS_OK)
			goto oom;
	}
	if ((*out = ldns_buffer_export2str(buf)) == NULL)
		goto oom;
	rv = 0;
	goto done;
oom:
	conf_walk_error(w, node, "out of memory, expected less data");
done:
	ldns_buffer_free(buf);
	ldns_rr_free(rr);
	ldns_rdf_deep_free(origin);
	free(text);
	return rv;
}

static int
zone_values(struct conf_walk *w, struct conf_zone *z, struct conf_rec_parse *rp)
{
	struct conf_rrset *r = &rp->r;
	yaml_node_item_t *it;
	yaml_node_t *v;
	char **tmp;

	if (rp->value != NULL) {
		if ((r->values = calloc(1, sizeof(*r->values))) == NULL)
			return conf_walk_error(w, rp->value, "out of memory");
		if (zone_value(w, rp->value, z, r, &r->values[0]) == -1)
			return -1;
		r->nvalues = 1;
		return 0;
	}
	for (it = rp->values->data.sequence.items.start;
	     it < rp->values->data.sequence.items.top; it++) {
		v = conf_walk_item(w, it);
		if (conf_walk_enter(w, v) == -1)
			return -1;
		conf_walk_leave(w);
		if (conf_walk_type(w, v, YAML_SCALAR_NODE, "values item",
		        "record data as a string") == -1)
			return -1;
		tmp = conf_walk_grow(w, v, r->values, r->nvalues, sizeof(*tmp));
		if (tmp == NULL)
			return -1;
		r->values = tmp;
		if (zone_value(w, v, z, r, &r->values[r->nvalues]) == -1)
			return -1;
		r->nvalues++;
	}
	if (r->nvalues == 0)
		return conf_walk_error(w, rp->values,
		    "values is empty, expected at least one value");
	return 0;
}

/* Checks needing the record's resolved name and type. */
static int
zone_record_check(struct conf_walk *w, yaml_node_t *item,
    const struct conf_zone *z, const struct conf_rec_parse *rp)
{
	const struct conf_rrset *r = &rp->r, *o;
	char type[32];
	size_t i;

	conf_zone_type_str(r->type, type, sizeof(type));
	if (rp->value != NULL && rp->values != NULL)
		return conf_walk_error(w, item,
		    "record %s %s has value and values, expected one of them",
		    r->name, type);
	if ((rp->value != NULL || rp->values != NULL) == (r->alias[0] != '\0'))
		return conf_walk_error(w, item,
		    "record %s %s has %s, expected values or alias", r->name,
		    type,
		    r->alias[0] != '\0' ? "values and alias" : "no values");
	if (r->alias[0] != '\0' && r->type != LDNS_RR_TYPE_A &&
	    r->type != LDNS_RR_TYPE_AAAA)
		return conf_walk_error(w, item,
		    "alias record %s has type %s, expected A or AAAA", r->name,
		    type);
	if (strcmp(r->name, z->name) == 0 &&
	    (r->type == LDNS_RR_TYPE_NS || r->type == LDNS_RR_TYPE_CNAME))
		return conf_walk_error(w, item,
		    "%s record at the apex of %s, expected none (NS is "
		    "synthesized; CNAME cannot sit beside SOA)",
		    type, z->name);
	for (i = 0; i < z->nrrsets; i++) {
		o = &z->rrsets[i];
		if (strcmp(o->name, r->name) != 0)
			continue;
		if (o->type == r->type)
			return conf_walk_error(w, item,
			    "duplicate record %s %s, expected one record set "
			    "per name and type (list several values)",
			    r->name, type);
		/* RFC 1034 §3.6.2: a CNAME owner has no other data */
		if (o->type == LDNS_RR_TYPE_CNAME ||
		    r->type == LDNS_RR_TYPE_CNAME)
			return conf_walk_error(w, item,
			    "record %s has CNAME and other types, expected a "
			    "CNAME alone (RFC 1034 3.6.2)",
			    r->name);
	}
	return 0;
}

int
conf_zone_add_record(struct conf_walk *w, yaml_node_t *item,
    struct conf_zone *z, struct conf_rec_parse *rp)
{
	struct conf_rrset *r = &rp->r, *tmp;
	size_t i;
	int rv;

	if (rp->raw[0] == '\0' || !rp->type_set)
		return conf_walk_error(w, item,
		    "record without %s, expected "
		    "name, type and values or alias",
		    rp->raw[0] == '\0' ? "name" : "type");
	if ((rv = zone_resolve_name(
	         z->name, rp->raw, r->name, sizeof(r->name))) != 0)
		return conf_walk_error(w, item,
		    "bad record name \"%.64s\", "
		    "expected %s",
		    rp->raw,
		    rv == -2 ? "a name inside the zone" : "@ or a domain name");
	if (zone_record_check(w, item, z, rp) == -1)
		return -1;
	if (r->type == LDNS_RR_TYPE_CNAME && rp->values != NULL &&
	    rp->values->data.sequence.items.top -
	            rp->values->data.sequence.items.start >
	        1)
		return conf_walk_error(w, item,
		    "CNAME %s has several values, "
		    "expected one",
		    r->name);
	if (r->alias[0] == '\0' && zone_values(w, z, rp) == -1)
		goto fail;
	if ((tmp = conf_walk_grow(
	         w, item, z->rrsets, z->nrrsets, sizeof(*tmp))) == NULL)
		goto fail;
	z->rrsets = tmp;
	z->rrsets[z->nrrsets++] = *r;
	return 0;
fail:
	for (i = 0; i < r->nvalues; i++)
		free(r->values[i]);
	free(r->values);
	r->values = NULL;
	r->nvalues = 0;
	return -1;
}
