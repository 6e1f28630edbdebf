/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * zillizapi: JSON replies of the Zilliz Cloud control plane (v2) into
 * structs.  The envelope check follows the terraform provider's client
 * (client/zilliz.go): HTTP >= 400 is an error, and so is a 2xx body whose
 * code is neither 0 nor 200.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "linkshim/zillizapi.h"

#define ZILLIZAPI_MAX_BYTES (8 * 1024 * 1024)

/* Parse and check the envelope; on success *data is borrowed from *root,
 * which the caller decrefs. */
static int
envelope(const char *buf, size_t len, int http_status, json_t **root,
    json_t **data, struct errbuf *err)
{
	json_error_t je;
	json_t *j, *code, *msg;
	json_int_t c = 0;

	*root = NULL;
	if (len > ZILLIZAPI_MAX_BYTES)
		return errbuf_set(
		    err, "zilliz: reply too large (HTTP %d)", http_status);
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL || !json_is_object(j)) {
		json_decref(j);
		if (http_status >= 400)
			return errbuf_set(err, "zilliz: HTTP %d", http_status);
		return errbuf_set(err,
		    "zilliz: reply is not a JSON object "
		    "(line %d col %d: %s)",
		    je.line, je.column, je.text);
	}
	code = json_object_get(j, "code");
	msg = json_object_get(j, "message");
	if (json_is_integer(code))
		c = json_integer_value(code);
	if (http_status >= 400 || (code != NULL && c != 0 && c != 200) ||
	    (code != NULL && !json_is_integer(code))) {
		errbuf_set(err, "zilliz: %s (code %lld, HTTP %d)",
		    json_is_string(msg) ? json_string_value(msg)
		                        : "request failed",
		    (long long)c, http_status);
		json_decref(j);
		return -1;
	}
	*root = j;
	*data = json_object_get(j, "data");
	return 0;
}

int
zillizapi_check(
    const char *buf, size_t len, int http_status, struct errbuf *err)
{
	json_t *root, *data;

	if (envelope(buf, len, http_status, &root, &data, err) == -1)
		return -1;
	json_decref(root);
	return 0;
}

static int
str(json_t *o, const char *key, char *dst, size_t len, struct errbuf *err)
{
	json_t *v = json_object_get(o, key);

	dst[0] = '\0';
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return errbuf_set(err, "zilliz: \"%s\" is not a string", key);
	if (strlcpy(dst, json_string_value(v), len) >= len)
		return errbuf_set(err, "zilliz: \"%s\" too long", key);
	return 0;
}

static int
cluster_from(json_t *o, struct zillizapi_cluster *c, struct errbuf *err)
{
	memset(c, 0, sizeof(*c));
	if (!json_is_object(o))
		return errbuf_set(err, "zilliz: cluster is not an object");
	if (str(o, "clusterId", c->id, sizeof(c->id), err) ||
	    str(o, "clusterName", c->name, sizeof(c->name), err) ||
	    str(o, "projectId", c->project_id, sizeof(c->project_id), err) ||
	    str(o, "regionId", c->region_id, sizeof(c->region_id), err) ||
	    str(o, "status", c->status, sizeof(c->status), err) ||
	    str(o, "connectAddress", c->connect_address,
	        sizeof(c->connect_address), err) ||
	    str(o, "privateLinkAddress", c->private_link_address,
	        sizeof(c->private_link_address), err))
		return -1;
	if (c->id[0] == '\0')
		return errbuf_set(err, "zilliz: cluster without clusterId");
	return 0;
}

int
zillizapi_cluster(const char *buf, size_t len, int http_status,
    struct zillizapi_cluster *out, struct errbuf *err)
{
	struct zillizapi_cluster c;
	json_t *root, *data;
	int rc;

	if (envelope(buf, len, http_status, &root, &data, err) == -1)
		return -1;
	rc = cluster_from(data, &c, err);
	json_decref(root);
	if (rc == 0)
		*out = c;
	return rc;
}

static void
page_from(json_t *data, struct zillizapi_page *page)
{
	json_t *v;

	if (page == NULL)
		return;
	v = json_object_get(data, "count");
	page->count = json_is_integer(v) ? (long)json_integer_value(v) : -1;
	v = json_object_get(data, "currentPage");
	page->current_page =
	    json_is_integer(v) ? (long)json_integer_value(v) : 1;
	v = json_object_get(data, "pageSize");
	page->page_size = json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

typedef int item_fn(json_t *o, void *dst, struct errbuf *err);

/* Parse data[key][] with fn into a new array of size-byte items. */
static int
list(const char *buf, size_t len, int http_status, const char *key, size_t size,
    item_fn *fn, void **out, size_t *n, struct zillizapi_page *page,
    struct errbuf *err)
{
	json_t *root, *data, *arr;
	char *items = NULL;
	size_t i, cnt;
	int rc = -1;

	if (envelope(buf, len, http_status, &root, &data, err) == -1)
		return -1;
	arr = json_object_get(data, key);
	if (arr != NULL && !json_is_array(arr) && !json_is_null(arr)) {
		errbuf_set(err, "zilliz: \"%s\" is not a list", key);
		goto fail;
	}
	cnt = json_is_array(arr) ? json_array_size(arr) : 0;
	if ((items = calloc(cnt + 1, size)) == NULL) {
		errbuf_set(err, "zilliz: out of memory");
		goto fail;
	}
	for (i = 0; i < cnt; i++)
		if (fn(json_array_get(arr, i), items + i * size, err) == -1)
			goto fail;
	page_from(data, page);
	*out = items;
	*n = cnt;
	items = NULL;
	rc = 0;
fail:
	free(items);
	json_decref(root);
	return rc;
}

static int
cluster_item(json_t *o, void *dst, struct errbuf *err)
{
	return cluster_from(o, dst, err);
}

static int
endpoint_item(json_t *o, void *dst, struct errbuf *err)
{
	struct zillizapi_endpoint *e = dst;

	if (!json_is_object(o))
		return errbuf_set(err, "zilliz: endpoint is not an object");
	if (str(o, "regionId", e->region_id, sizeof(e->region_id), err) ||
	    str(o, "cloudId", e->cloud_id, sizeof(e->cloud_id), err) ||
	    str(o, "endpointService", e->endpoint_service,
	        sizeof(e->endpoint_service), err) ||
	    str(o, "endpointServiceStatus", e->endpoint_service_status,
	        sizeof(e->endpoint_service_status), err) ||
	    str(o, "endpointId", e->endpoint_id, sizeof(e->endpoint_id), err) ||
	    str(o, "endpointStatus", e->endpoint_status,
	        sizeof(e->endpoint_status), err))
		return -1;
	return 0;
}

static int
service_item(json_t *o, void *dst, struct errbuf *err)
{
	struct zillizapi_service *s = dst;

	if (!json_is_object(o))
		return errbuf_set(err, "zilliz: service is not an object");
	if (str(o, "regionId", s->region_id, sizeof(s->region_id), err) ||
	    str(o, "cloudId", s->cloud_id, sizeof(s->cloud_id), err) ||
	    str(o, "endpointService", s->endpoint_service,
	        sizeof(s->endpoint_service), err))
		return -1;
	s->whitelist_required =
	    json_is_true(json_object_get(o, "whitelistRequired"));
	return 0;
}

int
zillizapi_clusters(const char *buf, size_t len, int http_status,
    struct zillizapi_cluster **out, size_t *n, struct zillizapi_page *page,
    struct errbuf *err)
{
	return list(buf, len, http_status, "clusters", sizeof(**out),
	    cluster_item, (void **)out, n, page, err);
}

int
zillizapi_endpoints(const char *buf, size_t len, int http_status,
    struct zillizapi_endpoint **out, size_t *n, struct zillizapi_page *page,
    struct errbuf *err)
{
	return list(buf, len, http_status, "endpoints", sizeof(**out),
	    endpoint_item, (void **)out, n, page, err);
}

int
zillizapi_services(const char *buf, size_t len, int http_status,
    struct zillizapi_service **out, size_t *n, struct zillizapi_page *page,
    struct errbuf *err)
{
	return list(buf, len, http_status, "endpointServices", sizeof(**out),
	    service_item, (void **)out, n, page, err);
}

int
zillizapi_split_address(const char *url, char *host, size_t hostlen,
    unsigned *port, struct errbuf *err)
{
	const char *p = url, *end, *colon;
	size_t l;

	*port = 0;
	if ((end = strstr(p, "://")) != NULL)
		p = end + 3;
	l = strcspn(p, "/?#");
	if (p[0] == '[') /* IPv6 literal, not expected but not fatal */
		return errbuf_set(
		    err, "zilliz: address '%s' is an IP literal", url);
	colon = memchr(p, ':', l);
	if (colon != NULL) {
		*port = (unsigned)strtoul(colon + 1, NULL, 10);
		l = (size_t)(colon - p);
	}
	if (l == 0)
		return errbuf_set(err, "zilliz: no host in address '%s'", url);
	if (l >= hostlen)
		return errbuf_set(err, "zilliz: host in '%s' too long", url);
	memcpy(host, p, l);
	host[l] = '\0';
	return 0;
}

bool
zillizapi_page_done(
    const struct zillizapi_page *page, size_t seen, size_t last_batch)
{
	if (last_batch == 0)
		return true;
	if (page->count >= 0 && seen >= (size_t)page->count)
		return true;
	return page->page_size > 0 && last_batch < (size_t)page->page_size;
}
