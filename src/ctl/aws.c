/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * aws: one signed AWS request with retries.  EC2 is signed for the
 * endpoint's region, Route 53 always for us-east-1 (cn-northwest-1 in
 * China), whatever endpoint is used (reference/cloud-apis.md §3.1).
 * Retryable failures (throttling, PriorRequestNotComplete, 5xx,
 * transport errors) back off exponentially with jitter; the operations
 * we send are idempotent (ClientToken, CallerReference, UPSERT).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl/ctl.h"
#include "linkshim/sigv4.h"

/* Split "scheme://host[:port][/base]" into the Host header value and the
 * base path ("" when none).  The port is kept only when it is not the
 * scheme's default, as the HTTP client sends it. */
static int
split_endpoint(const char *url, char *host, size_t hostlen, char *base,
    size_t baselen, struct errbuf *err)
{
	const char *p = strstr(url, "://"), *slash;
	bool https = strncmp(url, "https://", 8) == 0;
	const char *dflt;
	size_t l;

	if (p == NULL || (!https && strncmp(url, "http://", 7) != 0))
		return errbuf_set(
		    err, "endpoint '%s' is not an http(s) URL", url);
	p += 3;
	slash = strchr(p, '/');
	l = slash ? (size_t)(slash - p) : strlen(p);
	if (l == 0 || l >= hostlen)
		return errbuf_set(err, "endpoint '%s': bad host", url);
	memcpy(host, p, l);
	host[l] = '\0';
	dflt = https ? ":443" : ":80";
	if (l > strlen(dflt) && strcmp(host + l - strlen(dflt), dflt) == 0)
		host[l - strlen(dflt)] = '\0';
	strlcpy(base, slash ? slash : "", baselen);
	l = strlen(base);
	while (l > 0 && base[l - 1] == '/')
		base[--l] = '\0';
	return 0;
}

static const char *
sign_region(const struct aws_ctx *aws, enum aws_service svc)
{
	if (svc == AWS_EC2)
		return aws->region;
	return strncmp(aws->region, "cn-", 3) == 0 ? "cn-northwest-1"
	                                           : "us-east-1";
}

/* The header lines of one signed request; wiped and freed by
 * signed_clear(). */
struct signed_hdrs {
	struct strbuf h[5];
	const char *hv[6];
	size_t n;
};

static void
signed_clear(struct signed_hdrs *sh)
{
	size_t i;

	for (i = 0; i < 5; i++) {
		if (sh->h[i].s != NULL)
			explicit_bzero(sh->h[i].s, sh->h[i].len);
		strbuf_free(&sh->h[i]);
	}
}

/* Sign method fullpath?query with body; fill out with the header lines
 * (Host, X-Amz-Date, [Content-Type], [X-Amz-Security-Token],
 * Authorization, and a libcurl default to suppress). */
static int
sign_request(struct aws_ctx *aws, enum aws_service svc, const char *method,
    const char *fullpath, const char *query, const char *body, const char *host,
    struct signed_hdrs *out, struct errbuf *err)
{
	char date[SIGV4_AMZ_DATE_SIZE], *authz;
	struct sigv4_header sh[4];
	struct sigv4_request sreq = {0};
	struct sigv4_scope scope;
	size_t nh = 0, i;

	if (sigv4_format_amz_date(time(NULL), date) == -1)
		return errbuf_set(err, "clock out of range");
	sh[nh++] = (struct sigv4_header){"Host", host};
	sh[nh++] = (struct sigv4_header){"X-Amz-Date", date};
	if (svc == AWS_EC2)
		sh[nh++] = (struct sigv4_header){"Content-Type",
		    "application/x-www-form-urlencoded; charset=utf-8"};
	if (aws->creds.token[0] != '\0')
		sh[nh++] = (struct sigv4_header){
		    "X-Amz-Security-Token", aws->creds.token};
	sreq.method = method;
	sreq.path = fullpath;
	sreq.query = query;
	sreq.headers = sh;
	sreq.nheaders = nh;
	sreq.body = body;
	sreq.body_len = body ? strlen(body) : 0;
	scope = (struct sigv4_scope){
	    date, sign_region(aws, svc), svc == AWS_EC2 ? "ec2" : "route53"};
	if ((authz = sigv4_authorization(&sreq, &scope, aws->creds.access_key,
	         aws->creds.secret, err)) == NULL)
		return -1;
	for (i = 0; i < nh; i++) {
		strbuf_printf(&out->h[i], "%s: %s", sh[i].name, sh[i].value);
		out->hv[i] = strbuf_cstr(&out->h[i]);
	}
	strbuf_printf(&out->h[nh], "Authorization: %s", authz);
	out->hv[nh] = strbuf_cstr(&out->h[nh]);
	/* botocore sends no Content-Type on Route 53 POSTs; stop libcurl
	 * from adding its form default */
	out->hv[nh + 1] = svc == AWS_ROUTE53 ? "Content-Type:" : "Accept:";
	out->n = nh + 2;
	free(authz);
	return 0;
}

/* Build, sign and send one attempt. */
static int
aws_attempt(struct aws_ctx *aws, enum aws_service svc, const char *method,
    const char *path, const char *query, const char *body,
    struct http_resp *resp, struct errbuf *err)
{
	char host[256], base[256];
	struct signed_hdrs sh;
	struct strbuf url = {0}, fullpath = {0};
	int rc = -1;

	memset(&sh, 0, sizeof(sh));
	if (split_endpoint(aws->endpoint[svc], host, sizeof(host), base,
	        sizeof(base), err) == -1)
		return -1;
	strbuf_printf(&fullpath, "%s%s", base, path);
	if (sign_request(aws, svc, method, strbuf_cstr(&fullpath), query, body,
	        host, &sh, err) == -1)
		goto done;
	strbuf_printf(&url, "%.*s%s%s%s",
	    (int)(strstr(aws->endpoint[svc], "://") + 3 - aws->endpoint[svc]),
	    aws->endpoint[svc], host, strbuf_cstr(&fullpath),
	    query && *query ? "?" : "");
	if (query && *query)
		strbuf_str(&url, query);
	rc = http_do(aws->ctl,
	    &(struct http_req){.method = method,
	        .url = strbuf_cstr(&url),
	        .headers = sh.hv,
	        .nheaders = sh.n,
	        .body = body,
	        .body_len = body ? strlen(body) : 0,
	        .timeout_ms = aws->ctl->timeout_ms},
	    resp, err);
done:
	signed_clear(&sh);
	strbuf_free(&url);
	strbuf_free(&fullpath);
	return rc;
}

int
aws_call(struct aws_ctx *aws, enum aws_service svc, const char *method,
    const char *path, const char *query, const char *body,
    struct http_resp *resp, char *code, size_t codelen, struct errbuf *err)
{
	struct awsresp_error ae;
	long delay;
	int attempt;
	bool retry;

	if (code != NULL && codelen > 0)
		code[0] = '\0';
	if (aws_need_creds(aws, err) == -1)
		return -1;
	if (svc == AWS_EC2 && aws->region[0] == '\0')
		return errbuf_set(err,
		    "no AWS region: pass --region or set "
		    "AWS_REGION (or region in "
		    "~/.aws/config)");
	if (aws->endpoint[svc][0] == '\0')
		return errbuf_set(err, "no endpoint for %s",
		    svc == AWS_EC2 ? "EC2" : "Route 53");
	for (attempt = 1;; attempt++) {
		retry = false;
		if (aws_attempt(
		        aws, svc, method, path, query, body, resp, err) == -1) {
			if (resp->curl_code == 0)
				return -1; /* local failure: no retry */
			retry = true;
		} else if (resp->status >= 200 && resp->status <= 299)
			return 0;
		else {
			awsresp_error(resp->body.s, resp->body.len,
			    (int)resp->status, &ae);
			if (code != NULL)
				strlcpy(code, ae.code, codelen);
			errbuf_set(err, "%s%s%s (HTTP %ld%s%s)", ae.code,
			    ae.code[0] ? ": " : "", ae.message, resp->status,
			    ae.request_id[0] ? ", request id " : "",
			    ae.request_id);
			retry =
			    awsresp_is_retryable((int)resp->status, ae.code);
		}
		if (!retry || attempt >= aws->max_attempts)
			return -1;
		delay = aws->retry_base_ms << (attempt - 1);
		if (delay > 20000)
			delay = 20000;
		delay += (long)arc4random_uniform((uint32_t)delay / 2 + 1);
		ctl_trace(aws->ctl, "retrying in %ld ms: %s", delay, err->msg);
		ctl_sleep_ms(delay);
	}
}
