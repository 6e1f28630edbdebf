/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * admin_json: the JSON admin API under /v1 (the contract linkshimctl
 * relies on): links, zones, record sets and reload.  Every mutation works
 * on a clone of the store and goes through admin_commit(), so a bad
 * request or a failed save leaves the registrations in force untouched.
 * Errors are always {"error":"message"}.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <jansson.h>

#include "io/admin_int.h"
#include "linkshim/linkshim.h"

static int
status_to_http(int st)
{
	switch (st) {
	case LINKSTORE_OK:
		return 200;
	case LINKSTORE_CONFLICT:
	case LINKSTORE_EXISTS:
		return 409;
	case LINKSTORE_NOTFOUND:
		return 404;
	case LINKSTORE_NOMEM:
		return 500;
	default:
		return 400;
	}
}

static json_t *
parse_body(struct admin_req *r, bool optional)
{
	json_error_t jerr;
	json_t *doc;

	if (r->body_len == 0 && optional)
		return json_object();
	doc = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		admin_reply_error(r, 400,
		    "malformed JSON: %s at line %d column "
		    "%d",
		    jerr.text, jerr.line, jerr.column);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		admin_reply_error(r, 400, "expected a JSON object");
		return NULL;
	}
	return doc;
}

static void
commit_fail(struct admin_req *r, int st, const char *msg)
{
	admin_reply_error(r, status_to_http(st), "%s", msg);
}

/* Commit next (consumed either way) and reply err on failure. */
static int
commit_or_reply(struct admin_req *r, struct linkstore *next)
{
	struct errbuf err;
	int st;

	r->commit_fail = commit_fail;
	if ((st = admin_commit(r, next, &err)) != LINKSTORE_OK) {
		linkstore_free(next);
		admin_reply_error(r, status_to_http(st), "%s", err.msg);
		return -1;
	}
	return 0;
}

static void
links_list(struct admin_req *r)
{
	const struct conf *c = admin_conf(r->a);
	json_t *arr = json_array();
	size_t i;

	for (i = 0; c != NULL && i < c->nlinks; i++)
		json_array_append_new(
		    arr, linkstore_link_to_json(&c->links[i], "config"));
	for (i = 0; i < r->a->store->nlinks; i++)
		json_array_append_new(
		    arr, linkstore_link_to_json(&r->a->store->links[i], "api"));
	admin_reply_json(r, 200, json_pack("{s:o}", "links", arr));
}

static const struct conf_link *
config_link(const struct conf *c, const char *norm)
{
	size_t i;

	for (i = 0; c != NULL && i < c->nlinks; i++)
		if (strcasecmp(c->links[i].name, norm) == 0)
			return &c->links[i];
	return NULL;
}

static void
link_put(struct admin_req *r, const char *name)
{
	struct linkstore *next;
	struct conf_link l;
	struct errbuf err;
	json_t *doc;
	bool created;
	int st;

	if ((doc = parse_body(r, false)) == NULL)
		return;
	if (json_object_get(doc, "name") != NULL) {
		char bn[CONF_NAME_MAX];
		const char *v = json_string_value(json_object_get(doc, "name"));

		if (v == NULL ||
		    linkstore_normalize_name(v, bn, sizeof(bn), true, NULL) ==
		        -1 ||
		    strcmp(bn, name) != 0) {
			json_decref(doc);
			admin_reply_error(r, 400,
			    "\"name\" in the body differs "
			    "from the URL");
			return;
		}
	}
	st = linkstore_link_from_json(doc, name, &l, &err);
	json_decref(doc);
	if (st == -1) {
		admin_reply_error(r, 400, "%s", err.msg);
		return;
	}
	if ((next = linkstore_clone(r->a->store)) == NULL) {
		linkstore_link_clear(&l);
		admin_reply_error(r, 500, "out of memory");
		return;
	}
	st = linkstore_link_put(next, admin_conf(r->a), &l, &created, &err);
	linkstore_link_clear(&l);
	if (st != LINKSTORE_OK) {
		linkstore_free(next);
		admin_reply_error(r, status_to_http(st), "%s", err.msg);
		return;
	}
	if (commit_or_reply(r, next) == -1)
		return;
	admin_reply_json(r, created ? 201 : 200,
	    linkstore_link_to_json(
	        linkstore_link_find(r->a->store, name), "api"));
}

static void
link_one(struct admin_req *r, const char *name)
{
	char norm[CONF_NAME_MAX];
	const struct conf_link *l;
	struct linkstore *next;
	struct errbuf err;
	int st;

	if (r->method != EVHTTP_REQ_GET && r->method != EVHTTP_REQ_PUT &&
	    r->method != EVHTTP_REQ_DELETE) {
		admin_reply_error(r, 405, "method not allowed");
		return;
	}
	if (linkstore_normalize_name(name, norm, sizeof(norm), true, &err) ==
	    -1) {
		admin_reply_error(r, 400, "%s", err.msg);
		return;
	}
	if (r->method == EVHTTP_REQ_PUT) {
		link_put(r, norm);
		return;
	}
	if ((l = config_link(admin_conf(r->a), norm)) != NULL) {
		if (r->method == EVHTTP_REQ_GET)
			admin_reply_json(
			    r, 200, linkstore_link_to_json(l, "config"));
		else
			admin_reply_error(r, 409,
			    "%s is defined in the config "
			    "file; edit it there",
			    norm);
		return;
	}
	if (r->method == EVHTTP_REQ_GET) {
		if ((l = linkstore_link_find(r->a->store, norm)) == NULL)
			admin_reply_error(r, 404, "no link %s", norm);
		else
			admin_reply_json(
			    r, 200, linkstore_link_to_json(l, "api"));
		return;
	}
	if ((next = linkstore_clone(r->a->store)) == NULL) {
		admin_reply_error(r, 500, "out of memory");
		return;
	}
	if ((st = linkstore_link_del(next, norm, &err)) != LINKSTORE_OK) {
		linkstore_free(next);
		admin_reply_error(r, status_to_http(st), "%s", err.msg);
		return;
	}
	if (commit_or_reply(r, next) == 0)
		admin_reply_json(r, 200, json_object());
}

static void
zones_list(struct admin_req *r)
{
	const struct conf *c = admin_conf(r->a);
	const struct linkstore *st = r->a->store;
	json_t *arr = json_array();
	size_t i;

	for (i = 0; c != NULL && i < c->nzones; i++)
		json_array_append_new(arr,
		    json_pack("{s:s, s:s, s:I, s:s}", "name", c->zones[i].name,
		        "id", c->zones[i].id, "records",
		        (json_int_t)c->zones[i].nrrsets, "source", "config"));
	for (i = 0; i < st->nzones; i++)
		json_array_append_new(arr,
		    json_pack("{s:s, s:s, s:I, s:s}", "name",
		        st->zones[i].zone.name, "id", st->zones[i].zone.id,
		        "records", (json_int_t)st->zones[i].zone.nrrsets,
		        "source", "api"));
	admin_reply_json(r, 200, json_pack("{s:o}", "zones", arr));
}

static json_t *
zone_json(const struct linkstore_zone *z)
{
	return json_pack("{s:s, s:s, s:I, s:s, s:s}", "name", z->zone.name,
	    "id", z->zone.id, "records", (json_int_t)z->zone.nrrsets, "comment",
	    z->zone.comment, "source", "api");
}

/* {"comment":"…","ttl":N}, both optional. */
static int
zone_body(json_t *doc, struct linkstore_zone *z, struct errbuf *err)
{
	const char *key;
	json_t *v;

	json_object_foreach(doc, key, v)
	{
		if (strcmp(key, "comment") == 0 && json_is_string(v))
			strlcpy(z->zone.comment, json_string_value(v),
			    sizeof(z->zone.comment));
		else if (strcmp(key, "ttl") == 0 && json_is_integer(v) &&
		    json_integer_value(v) > 0 &&
		    json_integer_value(v) <= 2147483647)
			z->zone.ttl = (uint32_t)json_integer_value(v);
		else
			return errbuf_set(err,
			    "zone body: bad or unknown key "
			    "\"%s\" (allowed: comment, ttl)",
			    key);
	}
	return 0;
}

static void
zone_put(struct admin_req *r, const char *name)
{
	struct linkstore_zone z;
	struct linkstore *next;
	struct errbuf err;
	json_t *doc;
	size_t idx;
	long have;
	int st;

	if ((doc = parse_body(r, true)) == NULL)
		return;
	memset(&z, 0, sizeof(z));
	strlcpy(z.zone.name, name, sizeof(z.zone.name));
	if (zone_body(doc, &z, &err) == -1) {
		json_decref(doc);
		admin_reply_error(r, 400, "%s", err.msg);
		return;
	}
	json_decref(doc);
	if ((have = linkstore_zone_by_name(r->a->store, name)) != -1) {
		admin_reply_json(r, 200, zone_json(&r->a->store->zones[have]));
		return;
	}
	if ((next = linkstore_clone(r->a->store)) == NULL) {
		admin_reply_error(r, 500, "out of memory");
		return;
	}
	z.created = time(NULL);
	st = linkstore_zone_add(next, admin_conf(r->a), &z, &idx, &err);
	if (st != LINKSTORE_OK) {
		linkstore_free(next);
		admin_reply_error(r, status_to_http(st), "%s", err.msg);
		return;
	}
	if (commit_or_reply(r, next) == 0)
		admin_reply_json(r, 201, zone_json(&r->a->store->zones[idx]));
}

static void
zone_del(struct admin_req *r, long idx)
{
	struct linkstore *next;
	struct errbuf err;

	if ((next = linkstore_clone(r->a->store)) == NULL) {
		admin_reply_error(r, 500, "out of memory");
		return;
	}
	linkstore_zone_del(next, (size_t)idx, true, &err);
	if (commit_or_reply(r, next) == 0)
		admin_reply_json(r, 200, json_object());
}

static void
records_list(struct admin_req *r, const struct conf_zone *z)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < z->nrrsets; i++)
		json_array_append_new(
		    arr, linkstore_rrset_to_json(&z->rrsets[i]));
	admin_reply_json(
	    r, 200, json_pack("{s:s, s:o}", "zone", z->name, "records", arr));
}

/* "www", "@", "www.example.com" or "www.example.com." under zone. */
static void
record_name(const char *rname, const char *zone, char *out, size_t outlen)
{
	char norm[CONF_NAME_MAX];
	size_t ln, lz = strlen(zone);

	if (strcmp(rname, "@") == 0) {
		strlcpy(out, zone, outlen);
		return;
	}
	if (linkstore_normalize_name(rname, norm, sizeof(norm), true, NULL) ==
	    0) {
		ln = strlen(norm);
		if (rname[strlen(rname) - 1] == '.' ||
		    strcmp(norm, zone) == 0 ||
		    (ln > lz && norm[ln - lz - 1] == '.' &&
		        strcmp(norm + ln - lz, zone) == 0)) {
			strlcpy(out, norm, outlen);
			return;
		}
	}
	snprintf(out, outlen, "%s.%s", rname, zone);
}

/* Apply one change to zone zidx and commit; replies on failure. */
static int
record_apply(
    struct admin_req *r, size_t zidx, const struct linkstore_change *ch)
{
	struct linkstore *next;
	struct errbuf msg;
	size_t n;

	if ((next = linkstore_clone(r->a->store)) == NULL) {
		admin_reply_error(r, 500, "out of memory");
		return -1;
	}
	if (linkstore_zone_change(next, zidx, ch, 1, &msg, 1, &n) !=
	    LINKSTORE_OK) {
		linkstore_free(next);
		admin_reply_error(r, 400, "%s", msg.msg);
		return -1;
	}
	return commit_or_reply(r, next);
}

static void
record_one(
    struct admin_req *r, size_t zidx, const char *rname, const char *tname)
{
	const struct conf_zone *z = &r->a->store->zones[zidx].zone;
	struct linkstore_change ch;
	struct errbuf msg;
	char name[CONF_NAME_MAX + 64];
	uint16_t type = linkstore_type_from_str(tname);
	json_t *doc;
	long have;

	if (r->method == EVHTTP_REQ_POST) {
		admin_reply_error(r, 405, "method not allowed (use PUT)");
		return;
	}
	if (type == 0) {
		admin_reply_error(r, 400, "unsupported type %s", tname);
		return;
	}
	record_name(rname, z->name, name, sizeof(name));
	have = linkstore_rrset_find(r->a->store, zidx, name, type);
	memset(&ch, 0, sizeof(ch));
	if (r->method == EVHTTP_REQ_GET || r->method == EVHTTP_REQ_DELETE) {
		if (have == -1) {
			admin_reply_error(
			    r, 404, "no %s record set at %s", tname, name);
			return;
		}
		if (r->method == EVHTTP_REQ_GET) {
			admin_reply_json(
			    r, 200, linkstore_rrset_to_json(&z->rrsets[have]));
			return;
		}
		ch.action = LINKSTORE_DELETE;
		ch.rrset = z->rrsets[have];
	} else {
		if ((doc = parse_body(r, false)) == NULL)
			return;
		if (linkstore_rrset_from_json(doc, name, type, &ch.rrset,
		        ch.alias_zone_id, sizeof(ch.alias_zone_id),
		        &msg) == -1) {
			json_decref(doc);
			admin_reply_error(r, 400, "%s", msg.msg);
			return;
		}
		json_decref(doc);
		ch.action = LINKSTORE_UPSERT;
	}
	if (record_apply(r, zidx, &ch) == -1)
		goto done;
	if (r->method == EVHTTP_REQ_DELETE)
		admin_reply_json(r, 200, json_object());
	else
		admin_reply_json(r, have == -1 ? 201 : 200,
		    linkstore_rrset_to_json(
		        &r->a->store->zones[zidx]
		             .zone.rrsets[linkstore_rrset_find(
		                 r->a->store, zidx, name, type)]));
done:
	if (ch.action == LINKSTORE_UPSERT)
		linkstore_rrset_clear(&ch.rrset);
}

/* /v1/zones/{name}[/records[/{rname}/{TYPE}]] */
static void
zones_route(struct admin_req *r, char *rest)
{
	char *zname = rest, *sub = strchr(rest, '/'), *rname = NULL, *t = NULL;
	char norm[CONF_NAME_MAX];
	struct errbuf err;
	long idx;

	if (sub != NULL) {
		*sub++ = '\0';
		if (strncmp(sub, "records", 7) != 0 ||
		    (sub[7] != '\0' && sub[7] != '/')) {
			admin_reply_error(r, 404, "no such endpoint");
			return;
		}
		if (sub[7] == '/' &&
		    (t = strrchr(rname = sub + 8, '/')) != NULL)
			*t++ = '\0';
		if (sub[7] == '/' && (t == NULL || *rname == '\0')) {
			admin_reply_error(r, 404,
			    "expected "
			    "/v1/zones/NAME/records/RNAME/TYPE");
			return;
		}
	}
	if (linkstore_normalize_name(zname, norm, sizeof(norm), false, &err) ==
	    -1) {
		admin_reply_error(r, 400, "%s", err.msg);
		return;
	}
	idx = linkstore_zone_by_name(r->a->store, norm);
	if (sub == NULL && r->method == EVHTTP_REQ_PUT) {
		zone_put(r, norm);
		return;
	}
	if (idx == -1) {
		admin_reply_error(r,
		    linkstore_owner_of(NULL, admin_conf(r->a), norm) != NULL
		        ? 409
		        : 404,
		    "no zone %s registered through the API", norm);
		return;
	}
	if (sub == NULL && r->method == EVHTTP_REQ_DELETE)
		zone_del(r, idx);
	else if (sub == NULL && r->method == EVHTTP_REQ_GET)
		admin_reply_json(r, 200, zone_json(&r->a->store->zones[idx]));
	else if (t == NULL && r->method == EVHTTP_REQ_GET)
		records_list(r, &r->a->store->zones[idx].zone);
	else if (t != NULL)
		record_one(r, (size_t)idx, rname, t);
	else
		admin_reply_error(r, 405, "method not allowed");
}

static void
reload(struct admin_req *r)
{
	const struct conf *c = admin_conf(r->a);
	char path[CONF_PATH_MAX];
	struct errbuf err;

	if (c == NULL || c->path[0] == '\0') {
		admin_reply_error(r, 400, "no config file to reload");
		return;
	}
	strlcpy(path, c->path, sizeof(path));
	/* replied when the reload thread is done */
	if (admin_reload(r, path, &err) == -1)
		admin_reply_error(r, 500, "%s", err.msg);
}

void
admin_json_handle(struct admin_req *r)
{
	char *p = r->path + 4; /* after "/v1/" */
	bool get = r->method == EVHTTP_REQ_GET;

	if (strcmp(p, "links") == 0 && get)
		links_list(r);
	else if (strncmp(p, "links/", 6) == 0 && p[6] != '\0' &&
	    strchr(p + 6, '/') == NULL)
		link_one(r, p + 6);
	else if (strcmp(p, "zones") == 0 && get)
		zones_list(r);
	else if (strncmp(p, "zones/", 6) == 0 && p[6] != '\0')
		zones_route(r, p + 6);
	else if (strcmp(p, "reload") == 0 && r->method == EVHTTP_REQ_POST)
		reload(r);
	else if (strcmp(p, "links") == 0 || strcmp(p, "zones") == 0 ||
	    strcmp(p, "reload") == 0)
		admin_reply_error(r, 405, "method not allowed");
	else
		admin_reply_error(r, 404, "no such endpoint %s", r->path);
}
