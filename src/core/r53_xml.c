/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * r53_xml: Route 53 request parsing with expat.  The parser keeps the
 * element path ("ChangeBatch/Changes/Change/Action") and the text of the
 * current leaf; a table maps each known path to a handler.  Any element
 * not in the table is an error, so typos and unsupported features
 * (weighted, geo, failover routing) are refused instead of ignored.
 * Children are accepted in any order: botocore serialises structure
 * members in the caller's key order.  A DOCTYPE is refused outright so no
 * entity can be declared (billion laughs, external entities).
 * Response serialisation is in r53_xml_write.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <ldns/ldns.h>

#include "linkshim/r53_xml.h"

#define R53_DEPTH_MAX 12
#define R53_PATH_MAX 256
#define R53_TEXT_MAX (LINKSTORE_VALUE_MAX + 64)

struct r53_parser;
typedef int (*r53_leaf_fn)(struct r53_parser *, const char *text);

struct r53_path {
	const char *path; /* below the root element */
	r53_leaf_fn leaf; /* NULL: container */
};

struct r53_parser {
	XML_Parser xp;
	const char *root;
	const struct r53_path *paths;
	char path[R53_PATH_MAX];
	size_t lens[R53_DEPTH_MAX + 1];
	int depth;
	char text[R53_TEXT_MAX + 1];
	size_t textlen;
	bool failed;
	struct errbuf *err;
	struct r53_create_zone *cz;
	struct r53_change_batch *cb;
	struct linkstore_change *cur; /* the Change being filled */
	bool cur_action, cur_ttl;
};

static int fail(struct r53_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(struct r53_parser *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed && p->err != NULL) {
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
		va_end(ap);
	}
	p->failed = true;
	XML_StopParser(p->xp, XML_FALSE);
	return -1;
}

static int
copy_text(struct r53_parser *p, char *dst, size_t dstlen, const char *what,
    const char *text)
{
	if (strlcpy(dst, text, dstlen) >= dstlen)
		return fail(p, "%s is too long", what);
	return 0;
}

static int
parse_bool(struct r53_parser *p, const char *text, bool *out)
{
	if (strcmp(text, "true") == 0)
		*out = true;
	else if (strcmp(text, "false") == 0)
		*out = false;
	else
		return fail(p, "expected true or false, got \"%.32s\"", text);
	return 0;
}

/* CreateHostedZoneRequest leaves */
static int
cz_name(struct r53_parser *p, const char *t)
{
	return copy_text(p, p->cz->name, sizeof(p->cz->name), "Name", t);
}

static int
cz_ref(struct r53_parser *p, const char *t)
{
	return copy_text(p, p->cz->caller_ref, sizeof(p->cz->caller_ref),
	    "CallerReference", t);
}

static int
cz_comment(struct r53_parser *p, const char *t)
{
	return copy_text(
	    p, p->cz->comment, sizeof(p->cz->comment), "Comment", t);
}

static int
cz_private(struct r53_parser *p, const char *t)
{
	return parse_bool(p, t, &p->cz->private_zone);
}

static int
cz_vpc_region(struct r53_parser *p, const char *t)
{
	return copy_text(
	    p, p->cz->vpc_region, sizeof(p->cz->vpc_region), "VPCRegion", t);
}

static int
cz_vpc_id(struct r53_parser *p, const char *t)
{
	return copy_text(p, p->cz->vpc_id, sizeof(p->cz->vpc_id), "VPCId", t);
}

static int
cz_dsid(struct r53_parser *p, const char *t)
{
	return copy_text(p, p->cz->delegation_set_id,
	    sizeof(p->cz->delegation_set_id), "DelegationSetId", t);
}

static const struct r53_path cz_paths[] = {
    {"Name", cz_name},
    {"CallerReference", cz_ref},
    {"VPC", NULL},
    {"VPC/VPCRegion", cz_vpc_region},
    {"VPC/VPCId", cz_vpc_id},
    {"HostedZoneConfig", NULL},
    {"HostedZoneConfig/Comment", cz_comment},
    {"HostedZoneConfig/PrivateZone", cz_private},
    {"DelegationSetId", cz_dsid},
    {NULL, NULL},
};

/* ChangeResourceRecordSetsRequest leaves */
static int
cb_comment(struct r53_parser *p, const char *t)
{
	return copy_text(
	    p, p->cb->comment, sizeof(p->cb->comment), "Comment", t);
}

static int
ch_action(struct r53_parser *p, const char *t)
{
	if (strcmp(t, "CREATE") == 0)
		p->cur->action = LINKSTORE_CREATE;
	else if (strcmp(t, "UPSERT") == 0)
		p->cur->action = LINKSTORE_UPSERT;
	else if (strcmp(t, "DELETE") == 0)
		p->cur->action = LINKSTORE_DELETE;
	else
		return fail(p,
		    "Invalid Action \"%.32s\": expected CREATE, "
		    "UPSERT or DELETE",
		    t);
	p->cur_action = true;
	return 0;
}

static int
rr_name(struct r53_parser *p, const char *t)
{
	return copy_text(
	    p, p->cur->rrset.name, sizeof(p->cur->rrset.name), "Name", t);
}

static int
rr_type(struct r53_parser *p, const char *t)
{
	if ((p->cur->rrset.type = linkstore_type_from_str(t)) == 0)
		return fail(p, "unsupported record type \"%.16s\"", t);
	return 0;
}

static int
rr_ttl(struct r53_parser *p, const char *t)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(t, &end, 10);
	if (*t < '0' || *t > '9' || *end != '\0' || errno != 0 ||
	    v > 2147483647UL)
		return fail(p, "TTL must be 0..2147483647, got \"%.32s\"", t);
	p->cur->rrset.ttl = (uint32_t)v;
	p->cur_ttl = true;
	return 0;
}

static int
rr_value(struct r53_parser *p, const char *t)
{
	struct conf_rrset *rr = &p->cur->rrset;
	char **tmp;

	if (rr->nvalues >= LINKSTORE_MAX_VALUES)
		return fail(p, "too many ResourceRecords (max %d)",
		    LINKSTORE_MAX_VALUES);
	tmp = reallocarray(rr->values, rr->nvalues + 1, sizeof(char *));
	if (tmp == NULL)
		return fail(p, "%s", "out of memory");
	rr->values = tmp;
	if ((rr->values[rr->nvalues] = strdup(t)) == NULL)
		return fail(p, "%s", "out of memory");
	rr->nvalues++;
	return 0;
}

static int
al_zone(struct r53_parser *p, const char *t)
{
	return copy_text(p, p->cur->alias_zone_id,
	    sizeof(p->cur->alias_zone_id), "HostedZoneId", t);
}

static int
al_dns(struct r53_parser *p, const char *t)
{
	if (*t == '\0')
		return fail(p, "%s", "AliasTarget DNSName is empty");
	return copy_text(
	    p, p->cur->rrset.alias, sizeof(p->cur->rrset.alias), "DNSName", t);
}

static int
al_eval(struct r53_parser *p, const char *t)
{
	bool b;

	return parse_bool(p, t, &b);
}

#define RRS "ChangeBatch/Changes/Change/ResourceRecordSet"
static const struct r53_path cb_paths[] = {
    {"ChangeBatch", NULL},
    {"ChangeBatch/Comment", cb_comment},
    {"ChangeBatch/Changes", NULL},
    {"ChangeBatch/Changes/Change", NULL},
    {"ChangeBatch/Changes/Change/Action", ch_action},
    {RRS, NULL},
    {RRS "/Name", rr_name},
    {RRS "/Type", rr_type},
    {RRS "/TTL", rr_ttl},
    {RRS "/ResourceRecords", NULL},
    {RRS "/ResourceRecords/ResourceRecord", NULL},
    {RRS "/ResourceRecords/ResourceRecord/Value", rr_value},
    {RRS "/AliasTarget", NULL},
    {RRS "/AliasTarget/HostedZoneId", al_zone},
    {RRS "/AliasTarget/DNSName", al_dns},
    {RRS "/AliasTarget/EvaluateTargetHealth", al_eval},
    {NULL, NULL},
};

static const struct r53_path *
path_lookup(const struct r53_parser *p)
{
	const char *rel = p->path + p->lens[1];
	size_t i;

	if (*rel == '/')
		rel++;
	for (i = 0; p->paths[i].path != NULL; i++)
		if (strcmp(p->paths[i].path, rel) == 0)
			return &p->paths[i];
	return NULL;
}

static int
change_begin(struct r53_parser *p)
{
	struct linkstore_change *tmp;
	struct r53_change_batch *b = p->cb;

	if (b->nchanges >= R53_MAX_CHANGES)
		return fail(p, "too many changes in one batch (max %d)",
		    R53_MAX_CHANGES);
	tmp = reallocarray(b->changes, b->nchanges + 1, sizeof(*tmp));
	if (tmp == NULL)
		return fail(p, "%s", "out of memory");
	b->changes = tmp;
	p->cur = &b->changes[b->nchanges++];
	memset(p->cur, 0, sizeof(*p->cur));
	p->cur_action = p->cur_ttl = false;
	return 0;
}

/* The model's rule: exactly one of AliasTarget or TTL + ResourceRecords. */
static int
change_end(struct r53_parser *p)
{
	struct conf_rrset *rr = &p->cur->rrset;

	if (!p->cur_action)
		return fail(p, "%s", "Change without Action");
	if (rr->name[0] == '\0' || rr->type == 0)
		return fail(p, "%s", "ResourceRecordSet needs Name and Type");
	if (rr->alias[0] != '\0' && (p->cur_ttl || rr->nvalues > 0))
		return fail(p,
		    "Invalid request: Expected exactly one of "
		    "[AliasTarget, all of [TTL, and "
		    "ResourceRecords]]%s",
		    ", but found more than one");
	if (rr->alias[0] == '\0' && (!p->cur_ttl || rr->nvalues == 0))
		return fail(p,
		    "Invalid request: Expected exactly one of "
		    "[AliasTarget, all of [TTL, and "
		    "ResourceRecords]]%s",
		    ", but found none");
	p->cur = NULL;
	return 0;
}

static void XMLCALL
r53_start_cb(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct r53_parser *p = arg;
	size_t n = strlen(name), off;

	(void)attrs;
	if (p->failed)
		return;
	if (p->depth == 0 && strcmp(name, p->root) != 0) {
		fail(p, "expected root element %s", p->root);
		return;
	}
	if (p->depth >= R53_DEPTH_MAX) {
		fail(p, "%s", "XML nested too deeply");
		return;
	}
	off = p->lens[p->depth];
	if (off + n + 2 > sizeof(p->path)) {
		fail(p, "%s", "XML path too long");
		return;
	}
	if (p->depth > 0)
		p->path[off++] = '/';
	memcpy(p->path + off, name, n + 1);
	p->lens[++p->depth] = off + n;
	p->textlen = 0;
	if (p->depth == 1)
		return;
	if (path_lookup(p) == NULL) {
		fail(p, "unexpected element %s", name);
		return;
	}
	if (p->cb != NULL &&
	    strcmp(p->path + p->lens[1] + 1, "ChangeBatch/Changes/Change") == 0)
		change_begin(p);
}

static void XMLCALL
r53_end_cb(void *arg, const XML_Char *name)
{
	struct r53_parser *p = arg;
	const struct r53_path *e;

	(void)name;
	if (p->failed)
		return;
	if (p->depth > 1 && (e = path_lookup(p)) != NULL) {
		if (e->leaf != NULL) {
			p->text[p->textlen] = '\0';
			e->leaf(p, p->text);
		} else if (p->cb != NULL &&
		    strcmp(e->path, "ChangeBatch/Changes/Change") == 0)
			change_end(p);
	}
	p->depth--;
	p->path[p->lens[p->depth]] = '\0';
	p->textlen = 0;
}

static void XMLCALL
r53_text_cb(void *arg, const XML_Char *s, int len)
{
	struct r53_parser *p = arg;

	if (p->failed || len <= 0)
		return;
	if (p->textlen + (size_t)len > R53_TEXT_MAX) {
		fail(p, "%s", "element text too long");
		return;
	}
	memcpy(p->text + p->textlen, s, (size_t)len);
	p->textlen += (size_t)len;
}

static void XMLCALL
r53_doctype_cb(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	fail(arg, "%s", "DOCTYPE is not allowed");
}

static int
r53_run(struct r53_parser *p, const char *body, size_t len)
{
	int rv = -1;

	if (len > 4 * 1024 * 1024)
		return errbuf_set(p->err, "request body too large");
	if ((p->xp = XML_ParserCreate("UTF-8")) == NULL)
		return errbuf_set(p->err, "out of memory");
	XML_SetUserData(p->xp, p);
	XML_SetElementHandler(p->xp, r53_start_cb, r53_end_cb);
	XML_SetCharacterDataHandler(p->xp, r53_text_cb);
	XML_SetStartDoctypeDeclHandler(p->xp, r53_doctype_cb);
	if (XML_Parse(p->xp, body, (int)len, XML_TRUE) == XML_STATUS_ERROR) {
		if (!p->failed)
			errbuf_set(p->err,
			    "Invalid XML: %s at line %lu "
			    "column %lu",
			    XML_ErrorString(XML_GetErrorCode(p->xp)),
			    (unsigned long)XML_GetCurrentLineNumber(p->xp),
			    (unsigned long)XML_GetCurrentColumnNumber(p->xp) +
			        1);
		goto done;
	}
	if (p->failed)
		goto done;
	rv = 0;
done:
	XML_ParserFree(p->xp);
	return rv;
}

int
r53_parse_create_zone(const char *body, size_t len, struct r53_create_zone *out,
    struct errbuf *err)
{
	struct r53_parser *p;
	struct r53_create_zone cz;
	int rv = -1;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return errbuf_set(err, "out of memory");
	memset(&cz, 0, sizeof(cz));
	p->root = "CreateHostedZoneRequest";
	p->paths = cz_paths;
	p->err = err;
	p->cz = &cz;
	if (r53_run(p, body, len) == -1)
		goto done;
	if (cz.name[0] == '\0' || cz.caller_ref[0] == '\0') {
		errbuf_set(err, "Name and CallerReference are required");
		goto done;
	}
	if (cz.vpc_id[0] != '\0')
		cz.private_zone = true;
	else if (cz.vpc_region[0] != '\0') {
		errbuf_set(err, "VPC needs a VPCId");
		goto done;
	}
	*out = cz;
	rv = 0;
done:
	free(p);
	return rv;
}

int
r53_parse_change_batch(const char *body, size_t len,
    struct r53_change_batch *out, struct errbuf *err)
{
	struct r53_parser *p;
	int rv = -1;

	memset(out, 0, sizeof(*out));
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return errbuf_set(err, "out of memory");
	p->root = "ChangeResourceRecordSetsRequest";
	p->paths = cb_paths;
	p->err = err;
	p->cb = out;
	if (r53_run(p, body, len) == -1)
		goto done;
	if (out->nchanges == 0) {
		errbuf_set(err, "ChangeBatch needs at least one Change");
		goto done;
	}
	rv = 0;
done:
	free(p);
	return rv;
}

void
r53_change_batch_clear(struct r53_change_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nchanges; i++)
		linkstore_rrset_clear(&b->changes[i].rrset);
	free(b->changes);
	b->changes = NULL;
	b->nchanges = 0;
}
