/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * admin_r53: the Route 53-compatible API under /2013-04-01/ (paths from
 * the botocore model, reference/cloud-apis.md §3): CreateHostedZone,
 * GetHostedZone, ListHostedZones, ListHostedZonesByName, DeleteHostedZone,
 * ChangeResourceRecordSets, ListResourceRecordSets and GetChange, on the
 * same zones as the JSON API.  Changes are applied and persisted before
 * the reply, so every ChangeInfo is INSYNC.  Errors use Route 53's own
 * shapes (ErrorResponse; InvalidChangeBatch for rejected batches).
 */
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "io/admin_int.h"
#include "linkshim/r53_xml.h"

#define R53_CTYPE "text/xml"
#define R53_MAXITEMS_ZONES 100
#define R53_MAXITEMS_RRSETS 300
#define R53_MAX_MSGS 32

/* len is read after doc is built (argument order is unspecified). */
static void
r53_send(struct admin_req *r, int code, char *doc, const size_t *len)
{
	if (doc == NULL) {
		admin_reply(r, 500, R53_CTYPE, "", 0);
		return;
	}
	admin_reply(r, code, R53_CTYPE, doc, *len);
	free(doc);
}

static void
r53_error(struct admin_req *r, int code, const char *ecode, const char *msg)
{
	size_t len;

	r53_send(r, code, r53_xml_error(ecode, msg, r->request_id, &len), &len);
}

static void
zone_info(const struct linkstore_zone *z, struct r53_zone_info *out)
{
	out->id = z->zone.id;
	out->name = z->zone.name;
	out->caller_ref = z->caller_ref;
	out->comment = z->zone.comment;
	out->vpc_region = z->vpc_region;
	out->vpc_id = z->vpc_id;
	out->private_zone = z->private_zone;
	out->nrrsets = z->zone.nrrsets;
}

static void
commit_fail(struct admin_req *r, int st, const char *msg)
{
	if (st == LINKSTORE_CONFLICT)
		r53_error(r, 400, "ConflictingDomainExists", msg);
	else
		r53_error(r, 500, "InternalFailure", msg);
}

static int
commit_or_error(struct admin_req *r, struct linkstore *next)
{
	struct errbuf err;
	int st;

	r->commit_fail = commit_fail;
	if ((st = admin_commit(r, next, &err)) != LINKSTORE_OK) {
		linkstore_free(next);
		commit_fail(r, st, err.msg);
		return -1;
	}
	return 0;
}

/* CallerReference reused: same request -> same zone (idempotent retry),
 * anything else -> HostedZoneAlreadyExists. */
static bool
replay_create(struct admin_req *r, const struct r53_create_zone *cz)
{
	const struct linkstore_zone *z;
	struct r53_change_info ci = {.id = "C0", .submitted = 0};
	struct r53_zone_info zi;
	char norm[CONF_NAME_MAX];
	size_t len;
	long i;

	if ((i = linkstore_zone_by_caller_ref(r->a->store, cz->caller_ref)) ==
	    -1)
		return false;
	z = &r->a->store->zones[i];
	if (linkstore_normalize_name(
	        cz->name, norm, sizeof(norm), false, NULL) == -1 ||
	    strcmp(norm, z->zone.name) != 0 ||
	    strcmp(cz->vpc_id, z->vpc_id) != 0) {
		r53_error(r, 409, "HostedZoneAlreadyExists",
		    "A hosted zone has already been created with the specified "
		    "caller reference.");
		return true;
	}
	zone_info(z, &zi);
	ci.submitted = (time_t)z->created;
	r53_send(r, 201, r53_xml_create_zone(&zi, &ci, &len), &len);
	return true;
}

static void
create_zone(struct admin_req *r)
{
	struct r53_create_zone cz;
	struct linkstore_zone z;
	struct r53_change_info ci;
	struct r53_zone_info zi;
	struct linkstore *next;
	struct errbuf err;
	char cid[32], loc[128];
	size_t idx, len;
	int st;

	if (r53_parse_create_zone(r->body, r->body_len, &cz, &err) == -1) {
		r53_error(r, 400, "InvalidInput", err.msg);
		return;
	}
	if (replay_create(r, &cz))
		return;
	memset(&z, 0, sizeof(z));
	strlcpy(z.zone.name, cz.name, sizeof(z.zone.name));
	strlcpy(z.zone.comment, cz.comment, sizeof(z.zone.comment));
	strlcpy(z.caller_ref, cz.caller_ref, sizeof(z.caller_ref));
	strlcpy(z.vpc_region, cz.vpc_region, sizeof(z.vpc_region));
	strlcpy(z.vpc_id, cz.vpc_id, sizeof(z.vpc_id));
	z.private_zone = cz.private_zone;
	z.created = time(NULL);
	if ((next = linkstore_clone(r->a->store)) == NULL) {
		r53_error(r, 500, "InternalFailure", "out of memory");
		return;
	}
	st = linkstore_zone_add(next, admin_conf(r->a), &z, &idx, &err);
	if (st != LINKSTORE_OK) {
		linkstore_free(next);
		r53_error(r, 400,
		    st == LINKSTORE_INVALID ? "InvalidDomainName"
		                            : "ConflictingDomainExists",
		    err.msg);
		return;
	}
	if (commit_or_error(r, next) == -1)
		return;
	admin_change_new(r->a, cid, sizeof(cid), &ci.submitted);
	ci.id = cid;
	ci.comment = NULL;
	zone_info(&r->a->store->zones[idx], &zi);
	snprintf(loc, sizeof(loc), "/2013-04-01/hostedzone/%s", zi.id);
	evhttp_add_header(
	    evhttp_request_get_output_headers(r->req), "Location", loc);
	r53_send(r, 201, r53_xml_create_zone(&zi, &ci, &len), &len);
}

static unsigned
maxitems(struct admin_req *r, unsigned def)
{
	const char *s = admin_query_get(r, "maxitems");
	long v;

	if (s == NULL)
		return def;
	v = strtol(s, NULL, 10);
	return v < 1 ? 1 : v > (long)def * 10 ? def * 10 : (unsigned)v;
}

static void
list_zones(struct admin_req *r, bool by_name)
{
	const struct linkstore *st = r->a->store;
	const char *marker = admin_query_get(r, "marker");
	const char *dnsname = admin_query_get(r, "dnsname");
	const char *hzid = admin_query_get(r, "hostedzoneid");
	unsigned max = maxitems(r, R53_MAXITEMS_ZONES);
	struct r53_zone_info *zi, next;
	size_t i, start = 0, n = 0, len;
	char *doc;

	for (i = 0; i < st->nzones && marker != NULL && !by_name; i++)
		if (strcmp(st->zones[i].zone.id, marker) == 0)
			start = i;
	for (i = 0; i < st->nzones && dnsname != NULL && by_name; i++) {
		int c = linkstore_name_cmp(st->zones[i].zone.name, dnsname);

		if (c < 0 ||
		    (c == 0 && hzid != NULL &&
		        strcmp(st->zones[i].zone.id, hzid) < 0))
			start = i + 1;
	}
	if ((zi = calloc(max + 1, sizeof(*zi))) == NULL) {
		r53_error(r, 500, "InternalFailure", "out of memory");
		return;
	}
	for (i = start; i < st->nzones && n < max; i++)
		zone_info(&st->zones[i], &zi[n++]);
	if (i < st->nzones)
		zone_info(&st->zones[i], &next);
	if (by_name)
		doc = r53_xml_list_zones_by_name(zi, n, dnsname, hzid,
		    i < st->nzones ? &next : NULL, max, &len);
	else
		doc = r53_xml_list_zones(
		    zi, n, marker, i < st->nzones ? next.id : NULL, max, &len);
	free(zi);
	r53_send(r, 200, doc, &len);
}

static long
zone_or_error(struct admin_req *r, const char *id)
{
	long idx = linkstore_zone_by_id(r->a->store, id);
	char msg[160];

	if (idx == -1) {
		snprintf(msg, sizeof(msg),
		    "No hosted zone found with ID: %.64s", id);
		r53_error(r, 404, "NoSuchHostedZone", msg);
	}
	return idx;
}

static void
get_zone(struct admin_req *r, const char *id)
{
	struct r53_zone_info zi;
	size_t len;
	long idx;

	if ((idx = zone_or_error(r, id)) == -1)
		return;
	zone_info(&r->a->store->zones[idx], &zi);
	r53_send(r, 200, r53_xml_get_zone(&zi, &len), &len);
}

static void
delete_zone(struct admin_req *r, const char *id)
{
	struct r53_change_info ci = {.comment = NULL};
	struct linkstore *next;
	struct errbuf err;
	char cid[32];
	size_t len;
	long idx;

	if ((idx = zone_or_error(r, id)) == -1)
		return;
	if ((next = linkstore_clone(r->a->store)) == NULL) {
		r53_error(r, 500, "InternalFailure", "out of memory");
		return;
	}
	if (linkstore_zone_del(next, (size_t)idx, false, &err) !=
	    LINKSTORE_OK) {
		linkstore_free(next);
		r53_error(r, 400, "HostedZoneNotEmpty", err.msg);
		return;
	}
	if (commit_or_error(r, next) == -1)
		return;
	admin_change_new(r->a, cid, sizeof(cid), &ci.submitted);
	ci.id = cid;
	r53_send(r, 200,
	    r53_xml_change_info("DeleteHostedZoneResponse", &ci, &len), &len);
}

/*
 * A rejected batch.  botocore only reads errors in the ErrorResponse
 * shape (it prints an empty code for the InvalidChangeBatch root), so
 * that is the default, with the messages joined as Route 53 does
 * ("[m1, m2]"); the AWS Go SDK has a deserializer for the second shape
 * (custom_error_deser.go), so it gets that one.
 */
static void
batch_error(struct admin_req *r, const struct errbuf *msgs, size_t n)
{
	const char *ua = evhttp_find_header(
	    evhttp_request_get_input_headers(r->req), "User-Agent");
	char joined[4096];
	size_t i, off = 0, len;

	if (ua != NULL && strstr(ua, "aws-sdk-go") != NULL) {
		r53_send(r, 400,
		    r53_xml_invalid_change_batch(msgs, n, r->request_id, &len),
		    &len);
		return;
	}
	off = strlcpy(joined, "[", sizeof(joined));
	for (i = 0; i < n && off < sizeof(joined); i++)
		off += (size_t)snprintf(joined + off, sizeof(joined) - off,
		    "%s%s", i > 0 ? ", " : "", msgs[i].msg);
	if (off < sizeof(joined) - 1)
		strlcat(joined, "]", sizeof(joined));
	r53_error(r, 400, "InvalidChangeBatch", joined);
}

static void
change_rrsets(struct admin_req *r, const char *id)
{
	struct r53_change_batch cb;
	struct r53_change_info ci;
	struct errbuf err, msgs[R53_MAX_MSGS];
	struct linkstore *next = NULL;
	char cid[32];
	size_t n, len;
	long idx;

	if ((idx = zone_or_error(r, id)) == -1)
		return;
	if (r53_parse_change_batch(r->body, r->body_len, &cb, &err) == -1) {
		r53_error(r, 400, "InvalidInput", err.msg);
		goto done;
	}
	if ((next = linkstore_clone(r->a->store)) == NULL) {
		r53_error(r, 500, "InternalFailure", "out of memory");
		goto done;
	}
	if (linkstore_zone_change(next, (size_t)idx, cb.changes, cb.nchanges,
	        msgs, R53_MAX_MSGS, &n) != LINKSTORE_OK) {
		batch_error(r, msgs, n);
		goto done;
	}
	if (commit_or_error(r, next) == -1) {
		next = NULL;
		goto done;
	}
	next = NULL;
	admin_change_new(r->a, cid, sizeof(cid), &ci.submitted);
	ci.id = cid;
	ci.comment = cb.comment;
	r53_send(r, 200,
	    r53_xml_change_info("ChangeResourceRecordSetsResponse", &ci, &len),
	    &len);
done:
	linkstore_free(next);
	r53_change_batch_clear(&cb);
}

static void
list_rrsets(struct admin_req *r, const char *id)
{
	const struct conf_zone *z;
	const char *name = admin_query_get(r, "name");
	const char *type = admin_query_get(r, "type");
	unsigned max = maxitems(r, R53_MAXITEMS_RRSETS);
	uint16_t t = type != NULL ? linkstore_type_from_str(type) : 0;
	size_t i = 0, k, n, len;
	const char **ids;
	char *doc;
	long idx;

	if ((idx = zone_or_error(r, id)) == -1)
		return;
	z = &r->a->store->zones[idx].zone;
	if (type != NULL && name == NULL) {
		r53_error(r, 400, "InvalidInput",
		    "The input is not valid: type requires name");
		return;
	}
	/* start at the first set >= (name, type) in Route 53's order */
	while (name != NULL && i < z->nrrsets) {
		int c = linkstore_name_cmp(z->rrsets[i].name, name);

		if (c > 0 || (c == 0 && z->rrsets[i].type >= t))
			break;
		i++;
	}
	n = z->nrrsets - i < max ? z->nrrsets - i : max;
	if ((ids = calloc(n + 1, sizeof(*ids))) == NULL) {
		r53_error(r, 500, "InternalFailure", "out of memory");
		return;
	}
	for (k = 0; k < n; k++)
		ids[k] = linkstore_alias_zone_id(&r->a->store->zones[idx],
		    z->rrsets[i + k].name, z->rrsets[i + k].type);
	doc = r53_xml_list_rrsets(&z->rrsets[i], ids, n,
	    i + n < z->nrrsets ? &z->rrsets[i + n] : NULL, max, &len);
	free(ids);
	r53_send(r, 200, doc, &len);
}

static void
get_change(struct admin_req *r, const char *id)
{
	struct r53_change_info ci = {.id = id, .comment = NULL};
	size_t len;
	char msg[128];

	if (admin_change_find(r->a, id, &ci.submitted) == -1) {
		snprintf(msg, sizeof(msg),
		    "A change with the specified "
		    "change ID does not exist: %.40s",
		    id);
		r53_error(r, 404, "NoSuchChange", msg);
		return;
	}
	r53_send(
	    r, 200, r53_xml_change_info("GetChangeResponse", &ci, &len), &len);
}

/* /hostedzone/{id}[/rrset[/]] */
static void
hostedzone_route(struct admin_req *r, char *rest)
{
	char *sub = strchr(rest, '/');

	if (sub != NULL)
		*sub++ = '\0';
	if (sub == NULL && r->method == EVHTTP_REQ_GET)
		get_zone(r, rest);
	else if (sub == NULL && r->method == EVHTTP_REQ_DELETE)
		delete_zone(r, rest);
	else if (sub != NULL &&
	    (strcmp(sub, "rrset") == 0 || strcmp(sub, "rrset/") == 0) &&
	    r->method == EVHTTP_REQ_POST)
		change_rrsets(r, rest);
	else if (sub != NULL && strcmp(sub, "rrset") == 0 &&
	    r->method == EVHTTP_REQ_GET)
		list_rrsets(r, rest);
	else
		r53_error(r, 400, "InvalidAction",
		    "This operation is not supported by linkshim");
}

void
admin_r53_handle(struct admin_req *r)
{
	char *p = r->path + 12; /* after "/2013-04-01/" */
	const char *code;
	struct errbuf err;

	if (r->a->creds != NULL && admin_sigv4_check(r, &code, &err) == -1) {
		r53_error(r, 403, code, err.msg);
		return;
	}
	/* the bearer token cannot ride along with SigV4: off loopback the
	 * Route 53 API is open only when signatures are checked */
	if (r->a->creds == NULL && !r->l->is_unix && !r->l->loopback) {
		r53_error(r, 403, "AccessDenied",
		    "the Route 53 API on a non-loopback address needs "
		    "api.aws_credentials");
		return;
	}
	if (strcmp(p, "hostedzone") == 0 && r->method == EVHTTP_REQ_POST)
		create_zone(r);
	else if (strcmp(p, "hostedzone") == 0 && r->method == EVHTTP_REQ_GET)
		list_zones(r, false);
	else if (strcmp(p, "hostedzonesbyname") == 0 &&
	    r->method == EVHTTP_REQ_GET)
		list_zones(r, true);
	else if (strncmp(p, "hostedzone/", 11) == 0 && p[11] != '\0')
		hostedzone_route(r, p + 11);
	else if (strncmp(p, "change/", 7) == 0 && p[7] != '\0' &&
	    r->method == EVHTTP_REQ_GET)
		get_change(r, p + 7);
	else
		r53_error(r, 400, "InvalidAction",
		    "This operation is not supported by linkshim");
}
