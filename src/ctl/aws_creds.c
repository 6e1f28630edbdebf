/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * aws_creds: the AWS configuration chains of reference/cloud-apis.md §6,
 * the practical subset of botocore's:
 *   credentials: --profile (explicit) > env keys > shared credentials
 *     file > config file (profile from AWS_PROFILE/AWS_DEFAULT_PROFILE,
 *     else "default") > IMDSv2 instance role;
 *   region: --region > AWS_REGION > AWS_DEFAULT_REGION > profile region >
 *     IMDS placement/region;
 *   endpoint: --endpoint-url > AWS_ENDPOINT_URL_EC2 / _ROUTE_53 >
 *     AWS_ENDPOINT_URL > config [services] section > profile endpoint_url
 *     > the public endpoint (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true
 *     skips env and config).
 * IMDS is skipped when AWS_EC2_METADATA_DISABLED=true; its address comes
 * from AWS_EC2_METADATA_SERVICE_ENDPOINT.  Secrets are wiped on clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "ctl/ctl.h"
#include "linkshim/awsini.h"

#define IMDS_DEFAULT "http://169.254.169.254"
#define IMDS_TIMEOUT_MS 1000

static const char *const svc_env[2] = {
    "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_ROUTE_53"};
static const char *const svc_cfg[2] = {"ec2", "route_53"};

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static bool
env_true(const char *name)
{
	const char *v = env(name);

	return v != NULL && strcasecmp(v, "true") == 0;
}

/* Load ~/.aws/NAME (or the override) if it exists; a syntax error is
 * fatal (botocore refuses such files too). */
static int
load_ini(const char *override, const char *name, struct awsini **out,
    struct errbuf *err)
{
	char path[4096];
	const char *home = env("HOME");
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	if (env(override) != NULL)
		strlcpy(path, env(override), sizeof(path));
	else if (home != NULL)
		snprintf(path, sizeof(path), "%s/.aws/%s", home, name);
	else
		return 0;
	if ((buf = ctl_read_file(path, &len, NULL)) == NULL)
		return 0; /* absent or unreadable: not configured */
	rc = awsini_parse(path, buf, len, out, err);
	explicit_bzero(buf, len);
	free(buf);
	return rc;
}

static void
set_endpoint(struct aws_ctx *aws, int svc, const char *url, const char *src)
{
	size_t n;

	strlcpy(aws->endpoint[svc], url, sizeof(aws->endpoint[svc]));
	n = strlen(aws->endpoint[svc]);
	while (n > 0 && aws->endpoint[svc][n - 1] == '/')
		aws->endpoint[svc][--n] = '\0';
	strlcpy(
	    aws->endpoint_source[svc], src, sizeof(aws->endpoint_source[0]));
}

static void
resolve_endpoint(struct aws_ctx *aws, int svc)
{
	bool ignore = env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	const char *services, *v;
	char sec[300];

	if (aws->endpoint_url != NULL) {
		set_endpoint(aws, svc, aws->endpoint_url, "--endpoint-url");
		return;
	}
	if (!ignore && (v = env(svc_env[svc])) != NULL) {
		set_endpoint(aws, svc, v, svc_env[svc]);
		return;
	}
	if (!ignore && (v = env("AWS_ENDPOINT_URL")) != NULL) {
		set_endpoint(aws, svc, v, "AWS_ENDPOINT_URL");
		return;
	}
	services = awsini_profile_get(
	    aws->config, true, aws->profile, "services", NULL);
	if (!ignore && services != NULL) {
		snprintf(sec, sizeof(sec), "services %s", services);
		v = awsini_get(aws->config, sec, svc_cfg[svc], "endpoint_url");
		if (v != NULL) {
			set_endpoint(aws, svc, v, "config services");
			return;
		}
	}
	v = awsini_profile_get(
	    aws->config, true, aws->profile, "endpoint_url", NULL);
	if (!ignore && v != NULL) {
		set_endpoint(aws, svc, v, "config endpoint_url");
		return;
	}
	if (svc == AWS_ROUTE53)
		set_endpoint(
		    aws, svc, "https://route53.amazonaws.com", "default");
	else if (aws->region[0] != '\0') {
		snprintf(sec, sizeof(sec), "https://ec2.%s.amazonaws.com%s",
		    aws->region,
		    strncmp(aws->region, "cn-", 3) == 0 ? ".cn" : "");
		set_endpoint(aws, svc, sec, "default");
	}
}

static void
set_region(struct aws_ctx *aws, const char *r, const char *src)
{
	strlcpy(aws->region, r, sizeof(aws->region));
	strlcpy(aws->region_source, src, sizeof(aws->region_source));
}

static void
resolve_region(struct aws_ctx *aws, const char *opt)
{
	struct strbuf b = {0};
	const char *v;

	if (opt != NULL) {
		set_region(aws, opt, "--region");
		return;
	}
	if ((v = env("AWS_REGION")) != NULL) {
		set_region(aws, v, "AWS_REGION");
		return;
	}
	if ((v = env("AWS_DEFAULT_REGION")) != NULL) {
		set_region(aws, v, "AWS_DEFAULT_REGION");
		return;
	}
	v = awsini_profile_get(aws->config, true, aws->profile, "region", NULL);
	if (v != NULL && *v != '\0') {
		set_region(aws, v, "config file");
		return;
	}
	if (aws_imds_get(aws, "meta-data/placement/region", &b, NULL) == 0 &&
	    b.len > 0 && b.len < sizeof(aws->region))
		set_region(aws, strbuf_cstr(&b), "instance metadata");
	strbuf_free(&b);
}

int
aws_init(struct aws_ctx *aws, const struct ctl *ctl, const struct aws_opts *o,
    struct errbuf *err)
{
	const char *p, *v;
	int svc;

	memset(aws, 0, sizeof(*aws));
	aws->ctl = ctl;
	aws->endpoint_url = o->endpoint_url;
	aws->max_attempts = 5;
	aws->retry_base_ms = 200;
	if ((v = env("LINKSHIMCTL_RETRY_BASE_MS")) != NULL)
		aws->retry_base_ms = strtol(v, NULL, 10);
	p = o->profile;
	aws->profile_explicit = p != NULL;
	if (p == NULL)
		p = env("AWS_PROFILE");
	if (p == NULL)
		p = env("AWS_DEFAULT_PROFILE");
	strlcpy(aws->profile, p ? p : "default", sizeof(aws->profile));
	if (load_ini("AWS_CONFIG_FILE", "config", &aws->config, err) == -1 ||
	    load_ini("AWS_SHARED_CREDENTIALS_FILE", "credentials",
	        &aws->credentials, err) == -1)
		return -1;
	if (aws->profile_explicit &&
	    !awsini_has_profile(aws->config, true, aws->profile) &&
	    !awsini_has_profile(aws->credentials, false, aws->profile))
		return errbuf_set(err,
		    "AWS profile '%s' not found in "
		    "~/.aws/config or ~/.aws/credentials",
		    aws->profile);
	resolve_region(aws, o->region);
	for (svc = 0; svc < 2; svc++)
		resolve_endpoint(aws, svc);
	return 0;
}

/* Credentials from a profile of one of the shared files. */
static bool
creds_from_ini(struct aws_ctx *aws, const struct awsini *ini, bool config,
    const char *what)
{
	const char *ak, *sk, *tok;

	ak = awsini_profile_get(
	    ini, config, aws->profile, "aws_access_key_id", NULL);
	sk = awsini_profile_get(
	    ini, config, aws->profile, "aws_secret_access_key", NULL);
	tok = awsini_profile_get(
	    ini, config, aws->profile, "aws_session_token", NULL);
	if (ak == NULL || sk == NULL || *ak == '\0' || *sk == '\0')
		return false;
	strlcpy(aws->creds.access_key, ak, sizeof(aws->creds.access_key));
	strlcpy(aws->creds.secret, sk, sizeof(aws->creds.secret));
	strlcpy(aws->creds.token, tok ? tok : "", sizeof(aws->creds.token));
	snprintf(aws->creds.source, sizeof(aws->creds.source),
	    "%s (profile %s)", what, aws->profile);
	return true;
}

static bool
creds_from_env(struct aws_ctx *aws)
{
	const char *ak = env("AWS_ACCESS_KEY_ID");
	const char *sk = env("AWS_SECRET_ACCESS_KEY");
	const char *tok = env("AWS_SESSION_TOKEN");

	if (ak == NULL || sk == NULL)
		return false;
	strlcpy(aws->creds.access_key, ak, sizeof(aws->creds.access_key));
	strlcpy(aws->creds.secret, sk, sizeof(aws->creds.secret));
	strlcpy(aws->creds.token, tok ? tok : "", sizeof(aws->creds.token));
	strlcpy(aws->creds.source, "environment", sizeof(aws->creds.source));
	return true;
}

/* The instance role's credentials: security-credentials/ -> role ->
 * {AccessKeyId, SecretAccessKey, Token, Expiration}. */
static bool
creds_from_imds(struct aws_ctx *aws, struct errbuf *err)
{
	struct strbuf role = {0}, doc = {0};
	const char *ak, *sk, *tok;
	char path[400];
	json_t *j = NULL;
	bool ok = false;

	if (aws_imds_get(
	        aws, "meta-data/iam/security-credentials/", &role, err) == -1)
		goto done;
	role.len = strcspn(strbuf_cstr(&role), "\r\n");
	if (role.len == 0 || role.len > 128) {
		errbuf_set(err, "instance metadata: no IAM role attached");
		goto done;
	}
	role.s[role.len] = '\0';
	snprintf(path, sizeof(path), "meta-data/iam/security-credentials/%s",
	    role.s);
	if (aws_imds_get(aws, path, &doc, err) == -1)
		goto done;
	j = json_loads(strbuf_cstr(&doc), 0, NULL);
	ak = json_string_value(json_object_get(j, "AccessKeyId"));
	sk = json_string_value(json_object_get(j, "SecretAccessKey"));
	tok = json_string_value(json_object_get(j, "Token"));
	if (ak == NULL || sk == NULL || tok == NULL) {
		errbuf_set(err,
		    "instance metadata: incomplete credentials "
		    "for role %s",
		    role.s);
		goto done;
	}
	strlcpy(aws->creds.access_key, ak, sizeof(aws->creds.access_key));
	strlcpy(aws->creds.secret, sk, sizeof(aws->creds.secret));
	strlcpy(aws->creds.token, tok, sizeof(aws->creds.token));
	snprintf(aws->creds.source, sizeof(aws->creds.source),
	    "instance metadata (role %s)", role.s);
	ok = true;
done:
	if (doc.s != NULL)
		explicit_bzero(doc.s, doc.len);
	json_decref(j);
	strbuf_free(&role);
	strbuf_free(&doc);
	return ok;
}

int
aws_need_creds(struct aws_ctx *aws, struct errbuf *err)
{
	struct errbuf imds = {{0}};

	if (aws->have_creds)
		return 0;
	if (aws->profile_explicit) {
		if (creds_from_ini(aws, aws->credentials, false,
		        "shared credentials file") ||
		    creds_from_ini(aws, aws->config, true, "config file"))
			return aws->have_creds = true, 0;
		return errbuf_set(err,
		    "AWS profile '%s' has no "
		    "aws_access_key_id/"
		    "aws_secret_access_key",
		    aws->profile);
	}
	if (creds_from_env(aws) ||
	    creds_from_ini(
	        aws, aws->credentials, false, "shared credentials file") ||
	    creds_from_ini(aws, aws->config, true, "config file") ||
	    creds_from_imds(aws, &imds))
		return aws->have_creds = true, 0;
	return errbuf_set(err,
	    "no AWS credentials found: set AWS_ACCESS_KEY_ID and "
	    "AWS_SECRET_ACCESS_KEY, add profile '%s' to ~/.aws/credentials "
	    "(or pass --profile), or run on EC2 with an instance role%s%s",
	    aws->profile, imds.msg[0] ? "; " : "", imds.msg);
}

int
aws_imds_get(struct aws_ctx *aws, const char *path, struct strbuf *out,
    struct errbuf *err)
{
	const char *base = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	struct http_resp resp = {0};
	struct http_req req = {0};
	struct strbuf url = {0}, th = {0};
	const char *hdr[1];
	size_t n;
	int rc = -1;

	if (env_true("AWS_EC2_METADATA_DISABLED"))
		return errbuf_set(err,
		    "instance metadata disabled "
		    "(AWS_EC2_METADATA_DISABLED)");
	strbuf_str(&url, base ? base : IMDS_DEFAULT);
	while (url.len > 0 && url.s[url.len - 1] == '/')
		url.s[--url.len] = '\0';
	n = url.len;
	strbuf_str(&url, "/latest/api/token");
	hdr[0] = "X-aws-ec2-metadata-token-ttl-seconds: 21600";
	req.method = "PUT";
	req.url = strbuf_cstr(&url);
	req.headers = hdr;
	req.nheaders = 1;
	req.timeout_ms = IMDS_TIMEOUT_MS;
	if (http_do(aws->ctl, &req, &resp, err) == -1)
		goto done;
	if (resp.status != 200 || resp.body.len == 0 || resp.body.len > 512) {
		errbuf_set(err, "instance metadata: token request got HTTP %ld",
		    resp.status);
		goto done;
	}
	strbuf_printf(
	    &th, "X-aws-ec2-metadata-token: %s", strbuf_cstr(&resp.body));
	url.len = n;
	url.s[n] = '\0';
	strbuf_printf(&url, "/latest/%s", path);
	hdr[0] = strbuf_cstr(&th);
	req.method = "GET";
	req.url = strbuf_cstr(&url);
	if (http_do(aws->ctl, &req, &resp, err) == -1)
		goto done;
	if (resp.status != 200) {
		errbuf_set(
		    err, "instance metadata: %s: HTTP %ld", path, resp.status);
		goto done;
	}
	strbuf_add(out, strbuf_cstr(&resp.body), resp.body.len);
	rc = 0;
done:
	if (th.s != NULL)
		explicit_bzero(th.s, th.len);
	strbuf_free(&th);
	strbuf_free(&url);
	if (resp.body.s != NULL)
		explicit_bzero(resp.body.s, resp.body.len);
	http_resp_clear(&resp);
	return rc;
}

void
aws_clear(struct aws_ctx *aws)
{
	explicit_bzero(&aws->creds, sizeof(aws->creds));
	awsini_free(aws->config);
	awsini_free(aws->credentials);
	aws->config = aws->credentials = NULL;
}
