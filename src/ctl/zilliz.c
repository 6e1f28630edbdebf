/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * zilliz: the Zilliz Cloud control-plane API v2 client
 * (reference/cloud-apis.md §1): Bearer API key, JSON envelope checked by
 * zillizapi (HTTP >= 400 or code != 0 is an error), 1-based paging with
 * pageSize up to 100.  The API key is never printed; -v shows only
 * method and URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl/ctl.h"

#define ZILLIZ_DEFAULT_BASE "https://api.cloud.zilliz.com"
#define ZILLIZ_PAGE 100
#define ZILLIZ_MAX_PAGES 100

int
zilliz_init(struct zilliz_ctx *z, const struct ctl *ctl, const char *base_url,
    const char *key_file, struct errbuf *err)
{
	const char *b = base_url, *k;
	size_t n;

	memset(z, 0, sizeof(*z));
	z->ctl = ctl;
	if (b == NULL && (b = getenv("ZILLIZ_BASE_URL")) != NULL && *b == '\0')
		b = NULL;
	strlcpy(z->base, b ? b : ZILLIZ_DEFAULT_BASE, sizeof(z->base));
	n = strlen(z->base);
	while (n > 0 && z->base[n - 1] == '/')
		z->base[--n] = '\0';
	if (key_file != NULL) {
		if ((z->api_key = ctl_read_file(key_file, &n, err)) == NULL)
			return -1;
		while (n > 0 &&
		    (z->api_key[n - 1] == '\n' || z->api_key[n - 1] == '\r' ||
		        z->api_key[n - 1] == ' '))
			z->api_key[--n] = '\0';
	} else if ((k = getenv("ZILLIZ_API_KEY")) != NULL && *k != '\0')
		z->api_key = strdup(k);
	if (z->api_key == NULL || z->api_key[0] == '\0')
		return errbuf_set(err,
		    "no Zilliz API key: set ZILLIZ_API_KEY "
		    "or pass --api-key-file FILE");
	if (strpbrk(z->api_key, "\r\n") != NULL)
		return errbuf_set(err,
		    "the Zilliz API key contains a line "
		    "break");
	return 0;
}

void
zilliz_clear(struct zilliz_ctx *z)
{
	if (z->api_key != NULL) {
		explicit_bzero(z->api_key, strlen(z->api_key));
		free(z->api_key);
	}
	z->api_key = NULL;
}

int
zilliz_call(struct zilliz_ctx *z, const char *method, const char *path,
    const char *body, struct http_resp *resp, struct errbuf *err)
{
	struct strbuf url = {0}, auth = {0};
	const char *hdrs[3];
	int attempt, rc = -1;

	strbuf_printf(&url, "%s%s", z->base, path);
	strbuf_printf(&auth, "Authorization: Bearer %s", z->api_key);
	hdrs[0] = strbuf_cstr(&auth);
	hdrs[1] = "Accept: application/json";
	hdrs[2] = body ? "Content-Type: application/json" : "Content-Type:";
	for (attempt = 1; attempt <= 4; attempt++) {
		rc = http_do(z->ctl,
		    &(struct http_req){.method = method,
		        .url = strbuf_cstr(&url),
		        .headers = hdrs,
		        .nheaders = 3,
		        .body = body,
		        .body_len = body ? strlen(body) : 0,
		        .timeout_ms = z->ctl->timeout_ms},
		    resp, err);
		/* 20 requests/s per endpoint: back off on 429 and 5xx */
		if (rc == 0 && resp->status != 429 && resp->status < 500)
			break;
		if (rc == -1 && resp->curl_code == 0)
			break;
		if (attempt < 4)
			ctl_sleep_ms(250L << attempt);
	}
	explicit_bzero(auth.s, auth.len);
	strbuf_free(&auth);
	strbuf_free(&url);
	return rc;
}

int
zilliz_endpoints(struct zilliz_ctx *z, const char *project,
    struct zillizapi_endpoint **out, size_t *n, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct zillizapi_endpoint *all = NULL, *e = NULL, *na;
	struct zillizapi_page pg;
	char path[512];
	size_t cnt = 0, k = 0;
	int page, rc = -1;

	for (page = 1; page <= ZILLIZ_MAX_PAGES; page++) {
		snprintf(path, sizeof(path),
		    "/v2/projects/%s/privateEndpoints?currentPage=%d&"
		    "pageSize=%d",
		    project, page, ZILLIZ_PAGE);
		if (zilliz_call(z, "GET", path, NULL, &resp, err) == -1 ||
		    zillizapi_endpoints(resp.body.s, resp.body.len,
		        (int)resp.status, &e, &k, &pg, err) == -1)
			goto done;
		if ((na = reallocarray(all, cnt + k + 1, sizeof(*all))) == NULL)
			goto done;
		all = na;
		memcpy(all + cnt, e, k * sizeof(*e));
		cnt += k;
		free(e);
		e = NULL;
		if (zillizapi_page_done(&pg, cnt, k))
			break;
	}
	*out = all;
	*n = cnt;
	all = NULL;
	rc = 0;
done:
	free(all);
	free(e);
	http_resp_clear(&resp);
	return rc;
}

int
zilliz_clusters(struct zilliz_ctx *z, const char *project, const char *region,
    struct zillizapi_cluster **out, size_t *n, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct zillizapi_cluster *all = NULL, *c = NULL, *na;
	struct zillizapi_page pg;
	char path[512];
	size_t cnt = 0, k = 0, i, seen = 0;
	int page, rc = -1;

	for (page = 1; page <= ZILLIZ_MAX_PAGES; page++) {
		snprintf(path, sizeof(path),
		    "/v2/clusters?projectId=%s&currentPage=%d&pageSize=%d",
		    project, page, ZILLIZ_PAGE);
		if (zilliz_call(z, "GET", path, NULL, &resp, err) == -1 ||
		    zillizapi_clusters(resp.body.s, resp.body.len,
		        (int)resp.status, &c, &k, &pg, err) == -1)
			goto done;
		if ((na = reallocarray(all, cnt + k + 1, sizeof(*all))) == NULL)
			goto done;
		all = na;
		for (i = 0; i < k; i++)
			if ((region == NULL ||
			        strcmp(c[i].region_id, region) == 0) &&
			    (c[i].project_id[0] == '\0' ||
			        strcmp(c[i].project_id, project) == 0))
				all[cnt++] = c[i];
		free(c);
		c = NULL;
		seen += k; /* all items, not only the kept ones */
		if (zillizapi_page_done(&pg, seen, k))
			break;
	}
	*out = all;
	*n = cnt;
	all = NULL;
	rc = 0;
done:
	free(all);
	free(c);
	http_resp_clear(&resp);
	return rc;
}

int
zilliz_describe(struct zilliz_ctx *z, const char *cluster,
    struct zillizapi_cluster *out, struct errbuf *err)
{
	struct http_resp resp = {0};
	char path[512], *e = http_escape(cluster);
	int rc = -1;

	snprintf(path, sizeof(path), "/v2/clusters/%s", e ? e : cluster);
	if (zilliz_call(z, "GET", path, NULL, &resp, err) == 0 &&
	    zillizapi_cluster(
	        resp.body.s, resp.body.len, (int)resp.status, out, err) == 0)
		rc = 0;
	free(e);
	http_resp_clear(&resp);
	return rc;
}

int
zilliz_service(struct zilliz_ctx *z, const char *project, const char *region,
    char *out, size_t outlen, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct zillizapi_service *s = NULL;
	struct zillizapi_page pg;
	char path[512];
	size_t n = 0, i;
	int rc = -1;

	snprintf(path, sizeof(path),
	    "/v2/privateEndpointServices?regionId=%s&projectId=%s&"
	    "currentPage=1&pageSize=%d",
	    region, project, ZILLIZ_PAGE);
	if (zilliz_call(z, "GET", path, NULL, &resp, err) == -1 ||
	    zillizapi_services(resp.body.s, resp.body.len, (int)resp.status, &s,
	        &n, &pg, err) == -1)
		goto done;
	/* Zilliz publishes a single service per region */
	for (i = 0; i < n; i++)
		if (strcmp(s[i].region_id, region) == 0 ||
		    s[i].region_id[0] == '\0')
			break;
	if (i == n || s[i].endpoint_service[0] == '\0') {
		errbuf_set(err,
		    "Zilliz has no private endpoint service in "
		    "region %s (check --region, e.g. "
		    "aws-us-west-2)",
		    region);
		goto done;
	}
	strlcpy(out, s[i].endpoint_service, outlen);
	rc = 0;
done:
	free(s);
	http_resp_clear(&resp);
	return rc;
}

int
zilliz_register(struct zilliz_ctx *z, const char *project, const char *region,
    const char *vpce_id, struct errbuf *err)
{
	struct http_resp resp = {0};
	char path[512], *body;
	json_t *o;
	int rc = -1;

	o = json_pack("{s:s,s:s}", "regionId", region, "endpointId", vpce_id);
	body = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	snprintf(
	    path, sizeof(path), "/v2/projects/%s/privateEndpoints", project);
	if (body != NULL &&
	    zilliz_call(z, "POST", path, body, &resp, err) == 0 &&
	    zillizapi_check(
	        resp.body.s, resp.body.len, (int)resp.status, err) == 0)
		rc = 0;
	free(body);
	http_resp_clear(&resp);
	return rc;
}
