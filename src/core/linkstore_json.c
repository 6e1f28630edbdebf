/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * linkstore_json: the JSON shapes of links, record sets and the whole
 * store, shared by the state file and the admin API (the contract
 * linkshimctl relies on).  Conversions from JSON are strict: unknown keys
 * and wrong types are errors with a message naming the key.
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <ldns/ldns.h>

#include "linkshim/linkstore.h"

#define STATE_VERSION 1

static int
get_str(const json_t *o, const char *key, char *out, size_t outlen,
    bool required, struct errbuf *err)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL) {
		if (required)
			return errbuf_set(err, "\"%s\" is required", key);
		return 0;
	}
	if (!json_is_string(v))
		return errbuf_set(err, "\"%s\" must be a string", key);
	if (strlcpy(out, json_string_value(v), outlen) >= outlen)
		return errbuf_set(err, "\"%s\" is too long", key);
	return 0;
}

static int
get_ttl(const json_t *o, uint32_t *ttl, struct errbuf *err)
{
	json_t *v = json_object_get(o, "ttl");

	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 2147483647)
		return errbuf_set(err,
		    "\"ttl\" must be an integer "
		    "0..2147483647");
	*ttl = (uint32_t)json_integer_value(v);
	return 0;
}

static int
check_keys(const json_t *o, const char *const *allowed, struct errbuf *err)
{
	const char *key;
	json_t *v;
	size_t i;

	if (!json_is_object(o))
		return errbuf_set(err, "expected a JSON object");
	json_object_foreach((json_t *)o, key, v)
	{
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], key) == 0)
				break;
		if (allowed[i] == NULL)
			return errbuf_set(err, "unknown key \"%s\"", key);
	}
	return 0;
}

static int
link_addrs_from_json(const json_t *a, struct conf_link *l, struct errbuf *err)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > LINKSTORE_MAX_VALUES)
		return errbuf_set(err,
		    "\"addresses\" must be an array of 1..%d "
		    "IP addresses",
		    LINKSTORE_MAX_VALUES);
	l->addrs = calloc(json_array_size(a), sizeof(*l->addrs));
	if (l->addrs == NULL)
		return errbuf_set(err, "out of memory");
	json_array_foreach(a, i, v)
	{
		struct conf_ip *ip = &l->addrs[i];
		const char *s = json_string_value(v);

		if (s != NULL && inet_pton(AF_INET, s, ip->addr) == 1)
			ip->family = AF_INET;
		else if (s != NULL && inet_pton(AF_INET6, s, ip->addr) == 1)
			ip->family = AF_INET6;
		else
			return errbuf_set(err, "bad address in \"addresses\"");
		l->naddrs++;
	}
	l->mode = LINK_MODE_STATIC;
	return 0;
}

static int
link_zonal_from_json(const json_t *z, struct conf_link *l, struct errbuf *err)
{
	const char *az;
	json_t *v;

	if (!json_is_object(z) || json_object_size(z) > 64)
		return errbuf_set(err,
		    "\"zonal\" must be an object "
		    "{\"az\":\"name\"}");
	if (json_object_size(z) == 0)
		return 0;
	l->zonal = calloc(json_object_size(z), sizeof(*l->zonal));
	if (l->zonal == NULL)
		return errbuf_set(err, "out of memory");
	json_object_foreach((json_t *)z, az, v)
	{
		struct conf_zonal *zn = &l->zonal[l->nzonal];

		if (!json_is_string(v) ||
		    strlcpy(zn->az, az, sizeof(zn->az)) >= sizeof(zn->az) ||
		    strlcpy(zn->target, json_string_value(v),
		        sizeof(zn->target)) >= sizeof(zn->target))
			return errbuf_set(
			    err, "bad \"zonal\" entry \"%s\"", az);
		l->nzonal++;
	}
	return 0;
}

int
linkstore_link_from_json(
    const json_t *o, const char *name, struct conf_link *l, struct errbuf *err)
{
	static const char *const keys[] = {"name", "target", "mode", "ttl",
	    "zonal", "addresses", "source", NULL};
	char mode[16] = "", lname[CONF_NAME_MAX] = "",
	     target[CONF_NAME_MAX] = "";
	json_t *v;

	memset(l, 0, sizeof(*l));
	l->ttl = 60;
	if (check_keys(o, keys, err) == -1)
		goto fail;
	if (name != NULL) {
		if (strlcpy(lname, name, sizeof(lname)) >= sizeof(lname)) {
			errbuf_set(err, "name too long");
			goto fail;
		}
	} else if (get_str(o, "name", lname, sizeof(lname), true, err) == -1)
		goto fail;
	if (get_str(o, "target", target, sizeof(target), false, err) == -1 ||
	    get_str(o, "mode", mode, sizeof(mode), false, err) == -1 ||
	    get_ttl(o, &l->ttl, err) == -1)
		goto fail;
	/* heap strings owned by l (conf.h) */
	if ((l->name = strdup(lname)) == NULL ||
	    (l->target = strdup(target)) == NULL) {
		errbuf_set(err, "out of memory");
		goto fail;
	}
	if ((v = json_object_get(o, "addresses")) != NULL) {
		if (link_addrs_from_json(v, l, err) == -1)
			goto fail;
		if (mode[0] != '\0') {
			errbuf_set(err, "\"mode\" does not apply to addresses");
			goto fail;
		}
	} else if (mode[0] == '\0' || strcmp(mode, "alias") == 0)
		l->mode = LINK_MODE_ALIAS;
	else if (strcmp(mode, "cname") == 0)
		l->mode = LINK_MODE_CNAME;
	else {
		errbuf_set(err, "\"mode\" must be \"alias\" or \"cname\"");
		goto fail;
	}
	if ((v = json_object_get(o, "zonal")) != NULL &&
	    link_zonal_from_json(v, l, err) == -1)
		goto fail;
	return 0;
fail:
	linkstore_link_clear(l);
	return -1;
}

json_t *
linkstore_link_to_json(const struct conf_link *l, const char *source)
{
	char buf[INET6_ADDRSTRLEN];
	json_t *o, *a;
	size_t i;

	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "name", json_string(l->name));
	if (l->mode == LINK_MODE_STATIC) {
		a = json_array();
		for (i = 0; i < l->naddrs; i++) {
			inet_ntop(l->addrs[i].family, l->addrs[i].addr, buf,
			    sizeof(buf));
			json_array_append_new(a, json_string(buf));
		}
		json_object_set_new(o, "addresses", a);
	} else {
		json_object_set_new(o, "target", json_string(l->target));
		json_object_set_new(o, "mode",
		    json_string(
		        l->mode == LINK_MODE_CNAME ? "cname" : "alias"));
	}
	json_object_set_new(o, "ttl", json_integer(l->ttl));
	if (l->nzonal > 0) {
		a = json_object();
		for (i = 0; i < l->nzonal; i++)
			json_object_set_new(
			    a, l->zonal[i].az, json_string(l->zonal[i].target));
		json_object_set_new(o, "zonal", a);
	}
	if (source != NULL)
		json_object_set_new(o, "source", json_string(source));
	return o;
}

json_t *
linkstore_rrset_to_json(const struct conf_rrset *rr)
{
	json_t *o, *a;
	size_t i;

	if ((o = json_object()) == NULL)
		return NULL;
	json_object_set_new(o, "name", json_string(rr->name));
	json_object_set_new(
	    o, "type", json_string(linkstore_type_str(rr->type)));
	if (rr->alias[0] != '\0') {
		json_object_set_new(o, "alias", json_string(rr->alias));
		return o;
	}
	json_object_set_new(o, "ttl", json_integer(rr->ttl));
	a = json_array();
	for (i = 0; i < rr->nvalues; i++)
		json_array_append_new(a, json_string(rr->values[i]));
	json_object_set_new(o, "values", a);
	return o;
}

int
linkstore_rrset_from_json(const json_t *o, const char *name, uint16_t type,
    struct conf_rrset *rr, char *alias_zone_id, size_t idlen,
    struct errbuf *err)
{
	static const char *const keys[] = {
	    "name", "type", "ttl", "values", "alias", "alias_zone_id", NULL};
	char tbuf[16] = "";
	json_t *v, *a;
	size_t i;

	memset(rr, 0, sizeof(*rr));
	rr->ttl = 300;
	if (check_keys(o, keys, err) == -1)
		return -1;
	if (name != NULL)
		strlcpy(rr->name, name, sizeof(rr->name));
	else if (get_str(o, "name", rr->name, sizeof(rr->name), true, err) ==
	    -1)
		return -1;
	if (type == 0) {
		if (get_str(o, "type", tbuf, sizeof(tbuf), true, err) == -1)
			return -1;
		if ((type = linkstore_type_from_str(tbuf)) == 0)
			return errbuf_set(err, "unsupported type \"%s\"", tbuf);
	}
	rr->type = type;
	if (get_ttl(o, &rr->ttl, err) == -1 ||
	    get_str(o, "alias", rr->alias, sizeof(rr->alias), false, err) ==
	        -1 ||
	    (alias_zone_id != NULL &&
	        get_str(o, "alias_zone_id", alias_zone_id, idlen, false, err) ==
	            -1))
		return -1;
	if ((a = json_object_get(o, "values")) == NULL)
		return rr->alias[0] != '\0'
		    ? 0
		    : errbuf_set(err, "\"values\" or \"alias\" is required");
	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > LINKSTORE_MAX_VALUES)
		return errbuf_set(err,
		    "\"values\" must be an array of 1..%d "
		    "strings",
		    LINKSTORE_MAX_VALUES);
	if ((rr->values = calloc(json_array_size(a), sizeof(char *))) == NULL)
		return errbuf_set(err, "out of memory");
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v) ||
		    (rr->values[i] = strdup(json_string_value(v))) == NULL) {
			linkstore_rrset_clear(rr);
			return errbuf_set(err, "\"values\" must be strings");
		}
		rr->nvalues++;
	}
	return 0;
}

static json_t *
zone_to_json(const struct linkstore_zone *z)
{
	json_t *o, *recs;
	size_t i;

	o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:i, s:i}", "name",
	    z->zone.name, "id", z->zone.id, "comment", z->zone.comment,
	    "caller_reference", z->caller_ref, "private", z->private_zone,
	    "created", (json_int_t)z->created, "ttl", (int)z->zone.ttl,
	    "soa_minimum", (int)z->zone.soa_minimum);
	if (o == NULL)
		return NULL;
	if (z->vpc_id[0] != '\0')
		json_object_set_new(o, "vpc",
		    json_pack("{s:s, s:s}", "region", z->vpc_region, "id",
		        z->vpc_id));
	recs = json_array();
	for (i = 0; i < z->zone.nrrsets; i++) {
		const struct conf_rrset *rr = &z->zone.rrsets[i];
		const char *id = linkstore_alias_zone_id(z, rr->name, rr->type);
		json_t *ro = linkstore_rrset_to_json(rr);

		if (ro != NULL && id[0] != '\0')
			json_object_set_new(
			    ro, "alias_zone_id", json_string(id));
		json_array_append_new(recs, ro);
	}
	json_object_set_new(o, "records", recs);
	return o;
}

json_t *
linkstore_to_json(const struct linkstore *st)
{
	json_t *doc, *links, *zones;
	size_t i;

	doc = json_object();
	links = json_array();
	zones = json_array();
	if (doc == NULL || links == NULL || zones == NULL)
		goto fail;
	json_object_set_new(doc, "version", json_integer(STATE_VERSION));
	for (i = 0; i < st->nlinks; i++)
		if (json_array_append_new(links,
		        linkstore_link_to_json(&st->links[i], NULL)) == -1)
			goto fail;
	for (i = 0; i < st->nzones; i++)
		if (json_array_append_new(zones, zone_to_json(&st->zones[i])) ==
		    -1)
			goto fail;
	json_object_set_new(doc, "links", links);
	json_object_set_new(doc, "zones", zones);
	return doc;
fail:
	json_decref(doc);
	json_decref(links);
	json_decref(zones);
	return NULL;
}

static int
zone_from_json(const json_t *o, struct linkstore *st, struct errbuf *err)
{
	struct linkstore_zone z;
	struct linkstore_change *ch = NULL;
	struct errbuf msg;
	json_t *recs, *v, *vpc;
	json_int_t created = 0, ttl = 900, soa = 300;
	int priv = 0, rv = -1;
	size_t i, idx, n = 0, nmsgs = 0;

	memset(&z, 0, sizeof(z));
	if (json_unpack_ex((json_t *)o, NULL, 0, "{s?b, s?I, s?I, s?I}",
	        "private", &priv, "created", &created, "ttl", &ttl,
	        "soa_minimum", &soa) == -1 ||
	    get_str(o, "name", z.zone.name, sizeof(z.zone.name), true, err) ==
	        -1 ||
	    get_str(o, "id", z.zone.id, sizeof(z.zone.id), true, err) == -1 ||
	    get_str(o, "comment", z.zone.comment, sizeof(z.zone.comment), false,
	        err) == -1 ||
	    get_str(o, "caller_reference", z.caller_ref, sizeof(z.caller_ref),
	        false, err) == -1)
		return errbuf_set(err, "bad zone entry: %s", err->msg);
	if ((vpc = json_object_get(o, "vpc")) != NULL &&
	    (get_str(vpc, "region", z.vpc_region, sizeof(z.vpc_region), false,
	         err) == -1 ||
	        get_str(vpc, "id", z.vpc_id, sizeof(z.vpc_id), false, err) ==
	            -1))
		return -1;
	z.private_zone = priv;
	z.created = created;
	z.zone.ttl = (uint32_t)ttl;
	z.zone.soa_minimum = (uint32_t)soa;
	if (linkstore_zone_add(st, NULL, &z, &idx, err) != LINKSTORE_OK)
		return -1;
	recs = json_object_get(o, "records");
	if (recs == NULL || json_array_size(recs) == 0)
		return 0;
	if ((ch = calloc(json_array_size(recs), sizeof(*ch))) == NULL)
		return errbuf_set(err, "out of memory");
	json_array_foreach(recs, i, v)
	{
		if (linkstore_rrset_from_json(v, NULL, 0, &ch[n].rrset,
		        ch[n].alias_zone_id, sizeof(ch[n].alias_zone_id),
		        err) == -1)
			goto done;
		ch[n++].action = LINKSTORE_CREATE;
	}
	if (linkstore_zone_change(st, idx, ch, n, &msg, 1, &nmsgs) !=
	    LINKSTORE_OK) {
		errbuf_set(err, "zone %s: %s", z.zone.name, msg.msg);
		goto done;
	}
	rv = 0;
done:
	for (i = 0; i < n; i++)
		linkstore_rrset_clear(&ch[i].rrset);
	free(ch);
	return rv;
}

int
linkstore_from_json(const json_t *doc, struct linkstore *st, struct errbuf *err)
{
	struct conf_link l;
	json_t *links, *zones, *v;
	bool created;
	size_t i;

	if (!json_is_object(doc) ||
	    json_integer_value(json_object_get(doc, "version")) !=
	        STATE_VERSION)
		return errbuf_set(err,
		    "not a linkshim state document "
		    "(version %d)",
		    STATE_VERSION);
	links = json_object_get(doc, "links");
	zones = json_object_get(doc, "zones");
	if ((links != NULL && !json_is_array(links)) ||
	    (zones != NULL && !json_is_array(zones)))
		return errbuf_set(
		    err, "\"links\" and \"zones\" must be arrays");
	json_array_foreach(links, i, v)
	{
		if (linkstore_link_from_json(v, NULL, &l, err) == -1)
			return -1;
		if (linkstore_link_put(st, NULL, &l, &created, err) !=
		    LINKSTORE_OK) {
			linkstore_link_clear(&l);
			return -1;
		}
		linkstore_link_clear(&l);
	}
	json_array_foreach(zones, i, v)
	{
		if (zone_from_json(v, st, err) == -1)
			return -1;
	}
	return 0;
}
