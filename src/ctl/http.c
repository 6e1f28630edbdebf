/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * http: one synchronous HTTP request through libcurl (TCP or a unix
 * socket), with bounded timeouts.  Nothing here logs a header or body:
 * requests carry secrets (Authorization, bearer tokens, API keys); -v
 * prints only the method, URL and status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "ctl/ctl.h"

#define HTTP_MAX_BODY (32 * 1024 * 1024)

static size_t
http_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct http_resp *resp = arg;

	if (resp->body.len + size * n > HTTP_MAX_BODY)
		return 0; /* abort: a reply this large is not an API reply */
	strbuf_add(&resp->body, p, size * n);
	return resp->body.oom ? 0 : size * n;
}

static size_t
http_header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct http_resp *resp = arg;
	size_t len = size * n, l;

	if (len > 9 && strncasecmp(p, "Location:", 9) == 0) {
		p += 9;
		len -= 9;
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		l = strcspn(p, "\r\n");
		if (l > len)
			l = len;
		if (l >= sizeof(resp->location))
			l = sizeof(resp->location) - 1;
		memcpy(resp->location, p, l);
		resp->location[l] = '\0';
	}
	return size * n;
}

static int
http_setup(CURL *c, const struct http_req *req, struct http_resp *resp,
    struct curl_slist **hdrs, struct curl_slist **res, char *errbuf)
{
	long timeout = req->timeout_ms > 0 ? req->timeout_ms : 30000;
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if ((*hdrs = curl_slist_append(*hdrs, req->headers[i])) == NULL)
			return -1;
	/* libcurl adds these otherwise; AWS signing wants exactly ours */
	*hdrs = curl_slist_append(*hdrs, "Expect:");
	if (*hdrs == NULL)
		return -1;
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hdrs);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    req->connect_timeout_ms > 0 ? req->connect_timeout_ms : timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "linkshimctl/0.1");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	if (req->body != NULL || strcmp(req->method, "POST") == 0 ||
	    strcmp(req->method, "PUT") == 0) {
		curl_easy_setopt(
		    c, CURLOPT_POSTFIELDS, req->body != NULL ? req->body : "");
		curl_easy_setopt(
		    c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
	if (strcmp(req->method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (req->unix_socket != NULL)
		curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, req->unix_socket);
	if (req->resolve != NULL) {
		if ((*res = curl_slist_append(NULL, req->resolve)) == NULL)
			return -1;
		curl_easy_setopt(c, CURLOPT_RESOLVE, *res);
	}
	if (req->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	return 0;
}

int
http_do(const struct ctl *ctl, const struct http_req *req,
    struct http_resp *resp, struct errbuf *err)
{
	char cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs = NULL, *res = NULL;
	CURLcode rc;
	CURL *c;
	int ret = -1;

	strbuf_reset(&resp->body);
	resp->status = 0;
	resp->location[0] = '\0';
	resp->curl_code = CURLE_OK;
	if ((c = curl_easy_init()) == NULL)
		return errbuf_set(err, "cannot initialise libcurl");
	if (http_setup(c, req, resp, &hdrs, &res, cerr) == -1) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	ctl_trace(ctl, "%s %s%s%s", req->method, req->url,
	    req->unix_socket ? " via " : "",
	    req->unix_socket ? req->unix_socket : "");
	rc = curl_easy_perform(c);
	resp->curl_code = (int)rc;
	if (rc != CURLE_OK) {
		errbuf_set(err, "%s %s: %s", req->method, req->url,
		    cerr[0] ? cerr : curl_easy_strerror(rc));
		goto done;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	if (resp->body.oom) {
		errbuf_set(err, "out of memory reading reply");
		goto done;
	}
	ctl_trace(ctl, "-> HTTP %ld, %zu bytes", resp->status, resp->body.len);
	ret = 0;
done:
	curl_slist_free_all(hdrs);
	curl_slist_free_all(res);
	curl_easy_cleanup(c);
	return ret;
}

void
http_resp_clear(struct http_resp *resp)
{
	strbuf_free(&resp->body);
	memset(resp, 0, sizeof(*resp));
}

bool
http_is_timeout(const struct http_resp *resp)
{
	return resp->curl_code == CURLE_OPERATION_TIMEDOUT;
}

bool
http_is_refused(const struct http_resp *resp)
{
	return resp->curl_code == CURLE_COULDNT_CONNECT;
}

char *
http_escape(const char *s)
{
	char *e, *out;

	if ((e = curl_easy_escape(NULL, s, 0)) == NULL)
		return NULL;
	out = strdup(e);
	curl_free(e);
	return out;
}
