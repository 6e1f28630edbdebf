/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * zillizapi: the Zilliz Cloud control-plane API v2 response shapes
 * (reference/cloud-apis.md §1): the {"code":0,"data":…} envelope, where a
 * failure is HTTP >= 400 *or* a 2xx body with code other than 0 (or the
 * v1-era 200); clusters (privateLinkAddress), private endpoints and
 * private endpoint services, with their paging fields.  Pure parsers over
 * untrusted JSON (jansson): err filled, never logs.
 */
#ifndef LINKSHIM_ZILLIZAPI_H
#define LINKSHIM_ZILLIZAPI_H

#include <stdbool.h>
#include <stddef.h>

#include "linkshim/errbuf.h"

#define ZILLIZAPI_STR 256

struct zillizapi_page {
	long count;        /* total items, -1 when absent */
	long current_page; /* 1-based */
	long page_size;
};

struct zillizapi_cluster {
	char id[128];
	char name[ZILLIZAPI_STR];
	char project_id[128];
	char region_id[64]; /* "aws-us-west-2" */
	char status[32];
	char connect_address[ZILLIZAPI_STR];
	char private_link_address[ZILLIZAPI_STR]; /* full URL or "" */
};

struct zillizapi_endpoint {
	char region_id[64];
	char cloud_id[32];
	char endpoint_service[ZILLIZAPI_STR];
	char endpoint_service_status[32];
	char endpoint_id[128];
	char endpoint_status[32];
};

struct zillizapi_service {
	char region_id[64];
	char cloud_id[32];
	char endpoint_service[ZILLIZAPI_STR]; /* AWS ServiceName */
	bool whitelist_required;
};

/* Check the envelope of a reply: 0 when http_status < 400 and code is 0
 * or 200; otherwise -1 with err = "zilliz: <message> (code N, HTTP S)". */
int zillizapi_check(
    const char *buf, size_t len, int http_status, struct errbuf *err);

/* Describe Cluster (GET /v2/clusters/{id}) into *out. */
int zillizapi_cluster(const char *buf, size_t len, int http_status,
    struct zillizapi_cluster *out, struct errbuf *err);

/* List Clusters (data.clusters[]) into a new array (caller frees with
 * free()); page may be NULL. */
int zillizapi_clusters(const char *buf, size_t len, int http_status,
    struct zillizapi_cluster **out, size_t *n, struct zillizapi_page *page,
    struct errbuf *err);

/* List Private Endpoints (data.endpoints[]), as above. */
int zillizapi_endpoints(const char *buf, size_t len, int http_status,
    struct zillizapi_endpoint **out, size_t *n, struct zillizapi_page *page,
    struct errbuf *err);

/* List Private Endpoint Services (data.endpointServices[]), as above. */
int zillizapi_services(const char *buf, size_t len, int http_status,
    struct zillizapi_service **out, size_t *n, struct zillizapi_page *page,
    struct errbuf *err);

/* Strip the scheme, path and port from a privateLinkAddress
 * ("https://host:19531" -> "host", port 19531; port 0 when absent).
 * 0 ok, -1 with err filled when no host remains or it is too long. */
int zillizapi_split_address(const char *url, char *host, size_t hostlen,
    unsigned *port, struct errbuf *err);

/* Whether a page walk is done: the items seen so far reach page->count,
 * or the last page returned fewer than page_size items. */
bool zillizapi_page_done(
    const struct zillizapi_page *page, size_t seen, size_t last_batch);

#endif
