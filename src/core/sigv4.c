/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * sigv4: AWS Signature Version 4 signing and verification, pure (no
 * clock, no I/O).  See include/linkshim/sigv4.h for the rules and
 * reference/cloud-apis.md §4 for the sources (AWS IAM guide, botocore
 * auth.py).  Uses OpenSSL libcrypto for SHA-256, HMAC and the
 * constant-time compare.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "linkshim/sigv4.h"
#include "linkshim/strbuf.h"

/* A canonical query pair: both parts already encoded. */
struct qpair {
	char *name;
	char *value;
};

/* A header to canonicalise: lower-cased name, index for stable order. */
struct hdr {
	char name[128];
	size_t idx;
};

static bool
is_unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

static void
uri_encode_into(struct strbuf *b, const char *s, size_t len, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3];
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x80 && is_unreserved(c)) ||
		    (keep_slash && c == '/')) {
			strbuf_add(b, (const char *)&s[i], 1);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 0xf];
		strbuf_add(b, esc, 3);
	}
}

char *
sigv4_uri_encode(const char *s, size_t len, bool keep_slash)
{
	struct strbuf b = {0};

	uri_encode_into(&b, s, len, keep_slash);
	return strbuf_take(&b);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode s[0..len) and re-encode it for the canonical query.  A
 * '%' not followed by two hex digits is taken literally (and so encoded
 * as %25), as a lenient server would. */
static char *
query_component(const char *s, size_t len)
{
	char *raw, *out;
	size_t i, n = 0;
	int hi, lo;

	if ((raw = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			raw[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			raw[n++] = s[i];
	}
	out = sigv4_uri_encode(raw, n, false);
	free(raw);
	return out;
}

static int
qpair_cmp(const void *a, const void *b)
{
	const struct qpair *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->value, y->value);
}

static void
qpairs_free(struct qpair *q, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(q[i].name);
		free(q[i].value);
	}
	free(q);
}

/* Append the canonical query string of query to b. */
static int
canonical_query(struct strbuf *b, const char *query, struct errbuf *err)
{
	struct qpair *q = NULL;
	const char *p, *amp, *eq;
	size_t n = 0, cap = 0, i;
	int rc = -1;

	for (p = query; p != NULL && *p != '\0'; p = amp ? amp + 1 : NULL) {
		struct qpair *nq;

		amp = strchr(p, '&');
		size_t plen = amp ? (size_t)(amp - p) : strlen(p);
		if (plen == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nq = reallocarray(q, cap, sizeof(*q))) == NULL)
				goto fail;
			q = nq;
		}
		eq = memchr(p, '=', plen);
		q[n].name = query_component(p, eq ? (size_t)(eq - p) : plen);
		q[n].value = eq
		    ? query_component(eq + 1, plen - (size_t)(eq - p) - 1)
		    : strdup("");
		n++;
		if (q[n - 1].name == NULL || q[n - 1].value == NULL)
			goto fail;
	}
	if (n > 0)
		qsort(q, n, sizeof(*q), qpair_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_add(b, "&", 1);
		strbuf_str(b, q[i].name);
		strbuf_add(b, "=", 1);
		strbuf_str(b, q[i].value);
	}
	rc = 0;
fail:
	if (rc != 0)
		errbuf_set(err, "sigv4: out of memory in query string");
	qpairs_free(q, n);
	return rc;
}

/* RFC 3986 §5.2.4 dot-segment removal plus collapsing of empty segments,
 * as botocore's remove_dot_segments() does, then URI-encoded with '/'
 * kept. */
static int
canonical_path(struct strbuf *b, const char *path, struct errbuf *err)
{
	struct strbuf out = {0};
	size_t *starts = NULL, nseg = 0, plen, i, seglen;
	const char *p, *seg;
	char *norm;

	if (path == NULL || *path == '\0')
		path = "/";
	plen = strlen(path);
	if ((starts = calloc(plen + 1, sizeof(*starts))) == NULL)
		return errbuf_set(err, "sigv4: out of memory in path");
	for (p = path; p <= path + plen; p = seg + seglen + 1) {
		seg = p;
		seglen = strcspn(seg, "/");
		if (seglen == 0 || (seglen == 1 && seg[0] == '.'))
			;
		else if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
			if (nseg > 0)
				nseg--;
		} else
			starts[nseg++] = (size_t)(seg - path);
		if (seg[seglen] == '\0')
			break;
	}
	if (path[0] == '/')
		strbuf_add(&out, "/", 1);
	for (i = 0; i < nseg; i++) {
		if (i > 0)
			strbuf_add(&out, "/", 1);
		strbuf_add(
		    &out, path + starts[i], strcspn(path + starts[i], "/"));
	}
	if (nseg > 0 && path[plen - 1] == '/')
		strbuf_add(&out, "/", 1);
	free(starts);
	if ((norm = strbuf_take(&out)) == NULL)
		return errbuf_set(err, "sigv4: out of memory in path");
	uri_encode_into(b, norm, strlen(norm), true);
	free(norm);
	return 0;
}

static int
hdr_cmp(const void *a, const void *b)
{
	const struct hdr *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Append value trimmed, with every whitespace run collapsed to a space. */
static void
canonical_value(struct strbuf *b, const char *v)
{
	bool pending = false, any = false;

	for (; *v != '\0'; v++) {
		if (isspace((unsigned char)*v)) {
			pending = any;
			continue;
		}
		if (pending)
			strbuf_add(b, " ", 1);
		strbuf_add(b, v, 1);
		pending = false;
		any = true;
	}
}

/* Whether name (lower case) appears in the ';' list. */
static bool
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (*p != '\0') {
		size_t l = strcspn(p, ";");
		if (l == n && memcmp(p, name, n) == 0)
			return true;
		p += l;
		if (*p == ';')
			p++;
	}
	return false;
}

/* An RFC 9110 token (a valid header field name). */
static bool
is_token(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) &&
		    strchr("!#$%&'*+-.^_`|~", *s) == NULL)
			return false;
	return true;
}

/* Collect the headers to sign into a sorted array of struct hdr. */
static struct hdr *
collect_headers(
    const struct sigv4_request *req, size_t *nout, struct errbuf *err)
{
	struct hdr *h;
	size_t i, j, n = 0;

	if ((h = calloc(req->nheaders + 1, sizeof(*h))) == NULL) {
		errbuf_set(err, "sigv4: out of memory in headers");
		return NULL;
	}
	for (i = 0; i < req->nheaders; i++) {
		const char *nm = req->headers[i].name;
		size_t l = strlen(nm);

		if (l == 0 || l >= sizeof(h[n].name) || !is_token(nm)) {
			errbuf_set(err, "sigv4: bad header name");
			free(h);
			return NULL;
		}
		for (j = 0; j <= l; j++)
			h[n].name[j] = (char)tolower((unsigned char)nm[j]);
		if (req->signed_headers != NULL &&
		    !in_list(req->signed_headers, h[n].name))
			continue;
		h[n].idx = i;
		n++;
	}
	qsort(h, n, sizeof(*h), hdr_cmp);
	*nout = n;
	return h;
}

/* Each name of the SignedHeaders list must be among the headers. */
static int
check_signed_present(
    const char *list, const struct hdr *h, size_t n, struct errbuf *err)
{
	const char *p = list;
	size_t i, l;

	while (*p != '\0') {
		l = strcspn(p, ";");
		for (i = 0; i < n; i++)
			if (strlen(h[i].name) == l &&
			    memcmp(h[i].name, p, l) == 0)
				break;
		if (l == 0 || i == n)
			return errbuf_set(err,
			    "sigv4: signed header '%.*s' missing from request",
			    (int)l, p);
		p += l;
		if (*p == ';')
			p++;
	}
	return 0;
}

/* Append canonical headers and the signed-header list to b. */
static int
canonical_headers(
    struct strbuf *b, const struct sigv4_request *req, struct errbuf *err)
{
	struct hdr *h;
	size_t i, n;

	if ((h = collect_headers(req, &n, err)) == NULL)
		return -1;
	if (req->signed_headers != NULL &&
	    check_signed_present(req->signed_headers, h, n, err) == -1) {
		free(h);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0) {
			strbuf_add(b, ",", 1);
		} else {
			if (i > 0)
				strbuf_add(b, "\n", 1);
			strbuf_str(b, h[i].name);
			strbuf_add(b, ":", 1);
		}
		canonical_value(b, req->headers[h[i].idx].value);
	}
	strbuf_add(b, "\n\n", n > 0 ? 2 : 1);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0)
			continue;
		if (i > 0)
			strbuf_add(b, ";", 1);
		strbuf_str(b, h[i].name);
	}
	free(h);
	return 0;
}

void
sigv4_sha256_hex(const void *buf, size_t len, char out[SIGV4_HEX_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];
	size_t i;

	SHA256(buf != NULL ? buf : (const void *)"", len, md);
	for (i = 0; i < sizeof(md); i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
}

char *
sigv4_canonical_request(const struct sigv4_request *req, struct errbuf *err)
{
	struct strbuf b = {0};
	char hash[SIGV4_HEX_SIZE];
	char *s;

	if (req->method == NULL || req->method[0] == '\0') {
		errbuf_set(err, "sigv4: missing method");
		return NULL;
	}
	strbuf_str(&b, req->method);
	strbuf_add(&b, "\n", 1);
	if (canonical_path(&b, req->path, err) == -1)
		goto fail;
	strbuf_add(&b, "\n", 1);
	if (canonical_query(&b, req->query, err) == -1)
		goto fail;
	strbuf_add(&b, "\n", 1);
	if (canonical_headers(&b, req, err) == -1)
		goto fail;
	strbuf_add(&b, "\n", 1);
	if (req->payload_hash != NULL)
		strbuf_str(&b, req->payload_hash);
	else {
		sigv4_sha256_hex(req->body, req->body_len, hash);
		strbuf_str(&b, hash);
	}
	if ((s = strbuf_take(&b)) == NULL)
		errbuf_set(err, "sigv4: out of memory");
	return s;
fail:
	strbuf_free(&b);
	return NULL;
}

static bool
amz_date_ok(const char *d)
{
	int i;

	if (d == NULL || strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
		return false;
	for (i = 0; i < 15; i++)
		if (i != 8 && !isdigit((unsigned char)d[i]))
			return false;
	return true;
}

static int
scope_check(const struct sigv4_scope *scope, struct errbuf *err)
{
	if (!amz_date_ok(scope->amz_date))
		return errbuf_set(err,
		    "sigv4: bad X-Amz-Date, expected "
		    "YYYYMMDDTHHMMSSZ");
	if (scope->region == NULL || scope->region[0] == '\0' ||
	    strchr(scope->region, '/') != NULL)
		return errbuf_set(err, "sigv4: bad region in credential scope");
	if (scope->service == NULL || scope->service[0] == '\0' ||
	    strchr(scope->service, '/') != NULL)
		return errbuf_set(
		    err, "sigv4: bad service in credential scope");
	return 0;
}

char *
sigv4_string_to_sign(
    const struct sigv4_scope *scope, const char *creq, struct errbuf *err)
{
	struct strbuf b = {0};
	char hash[SIGV4_HEX_SIZE];
	char *s;

	if (scope_check(scope, err) == -1)
		return NULL;
	sigv4_sha256_hex(creq, strlen(creq), hash);
	strbuf_str(&b, SIGV4_ALGORITHM "\n");
	strbuf_str(&b, scope->amz_date);
	strbuf_add(&b, "\n", 1);
	strbuf_add(&b, scope->amz_date, 8);
	strbuf_add(&b, "/", 1);
	strbuf_str(&b, scope->region);
	strbuf_add(&b, "/", 1);
	strbuf_str(&b, scope->service);
	strbuf_str(&b, "/aws4_request\n");
	strbuf_str(&b, hash);
	if ((s = strbuf_take(&b)) == NULL)
		errbuf_set(err, "sigv4: out of memory");
	return s;
}

static int
hmac(const unsigned char *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[SIGV4_KEY_LEN])
{
	unsigned int olen = SIGV4_KEY_LEN;

	if (HMAC(EVP_sha256(), key, (int)keylen, msg, len, out, &olen) ==
	        NULL ||
	    olen != SIGV4_KEY_LEN)
		return -1;
	return 0;
}

int
sigv4_signing_key(const char *secret, const struct sigv4_scope *scope,
    unsigned char key[SIGV4_KEY_LEN], struct errbuf *err)
{
	unsigned char k[SIGV4_KEY_LEN];
	char *ksecret = NULL;
	size_t slen;
	int rc = -1;

	if (scope_check(scope, err) == -1)
		return -1;
	if (secret == NULL)
		return errbuf_set(err, "sigv4: no secret key");
	slen = strlen(secret);
	if ((ksecret = malloc(slen + 5)) == NULL)
		return errbuf_set(err, "sigv4: out of memory");
	memcpy(ksecret, "AWS4", 4);
	memcpy(ksecret + 4, secret, slen + 1);
	if (hmac((unsigned char *)ksecret, slen + 4, scope->amz_date, 8, k) ||
	    hmac(k, sizeof(k), scope->region, strlen(scope->region), k) ||
	    hmac(k, sizeof(k), scope->service, strlen(scope->service), k) ||
	    hmac(k, sizeof(k), "aws4_request", 12, k)) {
		errbuf_set(err, "sigv4: HMAC failed");
		goto fail;
	}
	memcpy(key, k, sizeof(k));
	rc = 0;
fail:
	OPENSSL_cleanse(ksecret, slen + 5);
	OPENSSL_cleanse(k, sizeof(k));
	free(ksecret);
	return rc;
}

int
sigv4_signature(const struct sigv4_request *req,
    const struct sigv4_scope *scope, const char *secret,
    char sig[SIGV4_HEX_SIZE], struct errbuf *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char key[SIGV4_KEY_LEN], mac[SIGV4_KEY_LEN];
	char *creq = NULL, *sts = NULL;
	size_t i;
	int rc = -1;

	if ((creq = sigv4_canonical_request(req, err)) == NULL)
		goto fail;
	if ((sts = sigv4_string_to_sign(scope, creq, err)) == NULL)
		goto fail;
	if (sigv4_signing_key(secret, scope, key, err) == -1)
		goto fail;
	if (hmac(key, sizeof(key), sts, strlen(sts), mac) == -1) {
		errbuf_set(err, "sigv4: HMAC failed");
		goto fail;
	}
	for (i = 0; i < sizeof(mac); i++) {
		sig[2 * i] = hex[mac[i] >> 4];
		sig[2 * i + 1] = hex[mac[i] & 0xf];
	}
	sig[64] = '\0';
	rc = 0;
fail:
	OPENSSL_cleanse(key, sizeof(key));
	free(creq);
	free(sts);
	return rc;
}

/* The lower-case, sorted, de-duplicated names of req's headers. */
static char *
signed_header_list(const struct sigv4_request *req, struct errbuf *err)
{
	struct strbuf b = {0};
	struct hdr *h;
	size_t i, n;
	char *s;

	if ((h = collect_headers(req, &n, err)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0)
			continue;
		if (i > 0)
			strbuf_add(&b, ";", 1);
		strbuf_str(&b, h[i].name);
	}
	free(h);
	if ((s = strbuf_take(&b)) == NULL)
		errbuf_set(err, "sigv4: out of memory");
	return s;
}

char *
sigv4_authorization(const struct sigv4_request *req,
    const struct sigv4_scope *scope, const char *access_key, const char *secret,
    struct errbuf *err)
{
	char sig[SIGV4_HEX_SIZE], *list = NULL, *out = NULL;
	int n;

	if (access_key == NULL || access_key[0] == '\0' ||
	    strpbrk(access_key, "/, ") != NULL) {
		errbuf_set(err, "sigv4: bad access key id");
		return NULL;
	}
	if ((list = signed_header_list(req, err)) == NULL)
		return NULL;
	if (!in_list(
	        req->signed_headers ? req->signed_headers : list, "host") ||
	    !in_list(req->signed_headers ? req->signed_headers : list,
	        "x-amz-date")) {
		errbuf_set(err, "sigv4: Host and X-Amz-Date must be signed");
		free(list);
		return NULL;
	}
	if (sigv4_signature(req, scope, secret, sig, err) == -1) {
		free(list);
		return NULL;
	}
	n = asprintf(&out,
	    SIGV4_ALGORITHM " Credential=%s/%.8s/%s/%s/aws4_request, "
	                    "SignedHeaders=%s, Signature=%s",
	    access_key, scope->amz_date, scope->region, scope->service,
	    req->signed_headers != NULL ? req->signed_headers : list, sig);
	free(list);
	if (n < 0) {
		errbuf_set(err, "sigv4: out of memory");
		return NULL;
	}
	return out;
}

/* Copy the credential "AKID/date/region/service/aws4_request" into out. */
static int
parse_credential(
    const char *v, size_t len, struct sigv4_auth *out, struct errbuf *err)
{
	char tmp[512], *parts[5], *p, *save = NULL;
	int i = 0;

	if (len >= sizeof(tmp))
		return errbuf_set(err, "sigv4: Credential too long");
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	for (p = strtok_r(tmp, "/", &save); p != NULL && i < 5;
	     p = strtok_r(NULL, "/", &save))
		parts[i++] = p;
	if (i != 5 || p != NULL || strcmp(parts[4], "aws4_request") != 0 ||
	    strlen(parts[1]) != 8)
		return errbuf_set(err,
		    "sigv4: malformed Credential, expected "
		    "AKID/yyyymmdd/region/service/"
		    "aws4_request");
	if (strlcpy(out->access_key, parts[0], sizeof(out->access_key)) >=
	        sizeof(out->access_key) ||
	    strlcpy(out->region, parts[2], sizeof(out->region)) >=
	        sizeof(out->region) ||
	    strlcpy(out->service, parts[3], sizeof(out->service)) >=
	        sizeof(out->service))
		return errbuf_set(err, "sigv4: Credential part too long");
	memcpy(out->date, parts[1], 9);
	return 0;
}

static int
parse_part(const char *p, size_t len, struct sigv4_auth *a, unsigned *seen,
    struct errbuf *err)
{
	const char *eq = memchr(p, '=', len);
	size_t klen, vlen;

	if (eq == NULL)
		return errbuf_set(err, "sigv4: malformed Authorization part");
	klen = (size_t)(eq - p);
	vlen = len - klen - 1;
	if (klen == 10 && memcmp(p, "Credential", 10) == 0) {
		*seen |= 1;
		return parse_credential(eq + 1, vlen, a, err);
	}
	if (klen == 13 && memcmp(p, "SignedHeaders", 13) == 0) {
		if (vlen == 0 || vlen >= sizeof(a->signed_headers))
			return errbuf_set(err, "sigv4: bad SignedHeaders");
		memcpy(a->signed_headers, eq + 1, vlen);
		a->signed_headers[vlen] = '\0';
		*seen |= 2;
		return 0;
	}
	if (klen == 9 && memcmp(p, "Signature", 9) == 0) {
		if (vlen != 64)
			return errbuf_set(err, "sigv4: bad Signature length");
		memcpy(a->signature, eq + 1, 64);
		a->signature[64] = '\0';
		*seen |= 4;
		return 0;
	}
	return errbuf_set(
	    err, "sigv4: unknown Authorization part '%.*s'", (int)klen, p);
}

int
sigv4_parse_authorization(
    const char *value, struct sigv4_auth *out, struct errbuf *err)
{
	struct sigv4_auth a;
	const char *p = value;
	unsigned seen = 0;
	size_t alen = strlen(SIGV4_ALGORITHM), len;

	memset(&a, 0, sizeof(a));
	if (value == NULL || strncmp(p, SIGV4_ALGORITHM, alen) != 0 ||
	    (p[alen] != ' ' && p[alen] != '\t'))
		return errbuf_set(err,
		    "sigv4: Authorization is not "
		    "AWS4-HMAC-SHA256");
	p += alen;
	while (*p != '\0') {
		p += strspn(p, " \t,");
		if (*p == '\0')
			break;
		len = strcspn(p, ", \t");
		if (parse_part(p, len, &a, &seen, err) == -1)
			return -1;
		p += len;
	}
	if (seen != 7)
		return errbuf_set(err,
		    "sigv4: Authorization lacks Credential, "
		    "SignedHeaders or Signature");
	*out = a;
	return 0;
}

int
sigv4_verify(const struct sigv4_request *req, const struct sigv4_auth *auth,
    const char *amz_date, const char *secret, struct errbuf *err)
{
	struct sigv4_request r = *req;
	struct sigv4_scope scope;
	char sig[SIGV4_HEX_SIZE];
	int rc;

	if (!amz_date_ok(amz_date))
		return errbuf_set(err, "sigv4: bad or missing X-Amz-Date");
	if (strncmp(auth->date, amz_date, 8) != 0)
		return errbuf_set(err,
		    "sigv4: credential date %s does not "
		    "match X-Amz-Date",
		    auth->date);
	if (!in_list(auth->signed_headers, "host") ||
	    !in_list(auth->signed_headers, "x-amz-date"))
		return errbuf_set(err,
		    "sigv4: SignedHeaders must include "
		    "host and x-amz-date");
	r.signed_headers = auth->signed_headers;
	scope.amz_date = amz_date;
	scope.region = auth->region;
	scope.service = auth->service;
	if (sigv4_signature(&r, &scope, secret, sig, err) == -1)
		return -1;
	rc = sigv4_equal(sig, auth->signature) ? 0 : -1;
	OPENSSL_cleanse(sig, sizeof(sig));
	if (rc == -1)
		return errbuf_set(err, "sigv4: signature does not match");
	return 0;
}

bool
sigv4_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return false;
	return CRYPTO_memcmp(a, b, la) == 0;
}

int
sigv4_format_amz_date(time_t t, char out[SIGV4_AMZ_DATE_SIZE])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	if (strftime(out, SIGV4_AMZ_DATE_SIZE, "%Y%m%dT%H%M%SZ", &tm) != 16)
		return -1;
	return 0;
}
