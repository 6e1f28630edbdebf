/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * admin_sigv4: SigV4 verification of Route 53 API requests against the
 * key pairs in api.aws_credentials.  The file has the ~/.aws/credentials
 * INI shape: [section] lines, then aws_access_key_id = AKID and
 * aws_secret_access_key = SECRET in each section ('#' and ';' comments).
 * Any region is accepted in the credential scope (clients sign with their
 * configured region when an endpoint override is used); the service must
 * be route53 and X-Amz-Date within 15 minutes of our clock (AWS's skew
 * limit).  The signature itself is the core sigv4 module's.
 */
#include <sys/queue.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "io/admin_int.h"
#include "linkshim/sigv4.h"

#define SIGV4_SKEW_S (15 * 60)

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Add the pending pair when both halves are known. */
static int
flush_pair(struct admin *a, struct admin_cred *cur)
{
	struct admin_cred *tmp;

	if (cur->access_key[0] == '\0' || cur->secret[0] == '\0')
		goto reset;
	if (a->ncreds >= ADMIN_MAX_CREDS)
		return -1;
	tmp = reallocarray(a->creds, a->ncreds + 1, sizeof(*tmp));
	if (tmp == NULL)
		return -1;
	a->creds = tmp;
	a->creds[a->ncreds++] = *cur;
reset:
	explicit_bzero(cur, sizeof(*cur));
	return 0;
}

int
admin_sigv4_load(struct admin *a, const char *path, struct errbuf *err)
{
	struct admin_cred cur;
	char line[512], *k, *v, *eq;
	int lineno = 0, rv = -1;
	FILE *fp;

	memset(&cur, 0, sizeof(cur));
	if ((fp = fopen(path, "r")) == NULL)
		return errbuf_set(err, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		k = trim(line);
		if (*k == '\0' || *k == '#' || *k == ';')
			continue;
		if (*k == '[') {
			if (flush_pair(a, &cur) == -1)
				goto toomany;
			continue;
		}
		if ((eq = strchr(k, '=')) == NULL) {
			errbuf_set(
			    err, "%s:%d: expected key = value", path, lineno);
			goto done;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		if (strcmp(k, "aws_access_key_id") == 0)
			strlcpy(cur.access_key, v, sizeof(cur.access_key));
		else if (strcmp(k, "aws_secret_access_key") == 0)
			strlcpy(cur.secret, v, sizeof(cur.secret));
	}
	if (flush_pair(a, &cur) == -1)
		goto toomany;
	if (a->ncreds == 0) {
		errbuf_set(err,
		    "%s: no aws_access_key_id/aws_secret_access_key "
		    "pair",
		    path);
		goto done;
	}
	rv = 0;
	goto done;
toomany:
	errbuf_set(
	    err, "%s: too many key pairs (max %d)", path, ADMIN_MAX_CREDS);
done:
	explicit_bzero(line, sizeof(line));
	explicit_bzero(&cur, sizeof(cur));
	fclose(fp);
	return rv;
}

static const char *
find_secret(const struct admin *a, const char *akid)
{
	size_t i;

	for (i = 0; i < a->ncreds; i++)
		if (strcmp(a->creds[i].access_key, akid) == 0)
			return a->creds[i].secret;
	return NULL;
}

static bool
date_fresh(const char *amz_date)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (strlen(amz_date) != 16 ||
	    strptime(amz_date, "%Y%m%dT%H%M%SZ", &tm) == NULL)
		return false;
	t = timegm(&tm);
	return labs((long)(time(NULL) - t)) <= SIGV4_SKEW_S;
}

/* Collect the received headers for the signer; *out is freed by caller. */
static size_t
collect_headers(struct admin_req *r, struct sigv4_header **out)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(r->req);
	struct evkeyval *kv;
	size_t n = 0;

	TAILQ_FOREACH(kv, h, next)
	n++;
	if ((*out = calloc(n + 1, sizeof(**out))) == NULL)
		return 0;
	n = 0;
	TAILQ_FOREACH(kv, h, next)
	{
		(*out)[n].name = kv->key;
		(*out)[n++].value = kv->value;
	}
	return n;
}

int
admin_sigv4_check(struct admin_req *r, const char **code, struct errbuf *err)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(r->req);
	const char *authz = evhttp_find_header(h, "Authorization");
	const char *amz_date = evhttp_find_header(h, "X-Amz-Date");
	const char *uri = evhttp_request_get_uri(r->req), *secret;
	struct sigv4_header *hdrs = NULL;
	struct sigv4_request req;
	struct sigv4_auth auth;
	char path[2048];
	const char *q;
	int rv = -1;

	*code = "MissingAuthenticationToken";
	if (authz == NULL || amz_date == NULL)
		return errbuf_set(err, "Missing Authentication Token");
	*code = "IncompleteSignature";
	if (sigv4_parse_authorization(authz, &auth, err) == -1)
		return -1;
	*code = "InvalidClientTokenId";
	if ((secret = find_secret(r->a, auth.access_key)) == NULL)
		return errbuf_set(err,
		    "The security token included in the "
		    "request is invalid.");
	*code = "SignatureDoesNotMatch";
	if (strcmp(auth.service, "route53") != 0)
		return errbuf_set(err,
		    "Credential should be scoped to correct "
		    "service: 'route53'.");
	if (!date_fresh(amz_date))
		return errbuf_set(err,
		    "Signature expired or X-Amz-Date not "
		    "within 15 minutes of server time");
	/* the path as sent, undecoded: the signer encodes it itself */
	q = strchr(uri, '?');
	snprintf(path, sizeof(path), "%.*s",
	    (int)(q != NULL ? (size_t)(q - uri) : strlen(uri)), uri);
	memset(&req, 0, sizeof(req));
	req.method = r->method == EVHTTP_REQ_GET ? "GET"
	    : r->method == EVHTTP_REQ_POST       ? "POST"
	    : r->method == EVHTTP_REQ_DELETE     ? "DELETE"
	    : r->method == EVHTTP_REQ_PUT        ? "PUT"
	                                         : "HEAD";
	req.path = path;
	req.query = q != NULL ? q + 1 : NULL;
	req.nheaders = collect_headers(r, &hdrs);
	req.headers = hdrs;
	req.body = r->body;
	req.body_len = r->body_len;
	if (hdrs == NULL) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	if (sigv4_verify(&req, &auth, amz_date, secret, err) == -1) {
		errbuf_set(err,
		    "The request signature we calculated does not "
		    "match the signature you provided.");
		goto done;
	}
	rv = 0;
done:
	free(hdrs);
	return rv;
}
