/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * sigv4: AWS Signature Version 4 (header form, non-S3 rules), pure: the
 * caller passes the request, the credentials and the X-Amz-Date; nothing
 * here reads a clock, a file or a socket.  The same code serves both
 * sides: linkshimctl signs its EC2 and Route 53 requests with
 * sigv4_authorization(), and the admin API verifies a received request
 * with sigv4_parse_authorization() + sigv4_verify() (which recomputes the
 * signature over the headers the client listed in SignedHeaders and
 * compares in constant time).
 *
 * Canonicalisation follows botocore's SigV4Auth (reference/cloud-apis.md
 * §4.1): the path is dot-segment-normalised, duplicate slashes collapsed
 * and URI-encoded once more (non-S3 double encoding); query pairs are
 * percent-decoded, re-encoded (RFC 3986 unreserved kept, %XX upper case)
 * and sorted by name then value; header names are lower-cased, values
 * trimmed with inner whitespace runs (folded lines included) collapsed to
 * one space, repeated headers joined with ',' in the order received.
 */
#ifndef LINKSHIM_SIGV4_H
#define LINKSHIM_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "linkshim/errbuf.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_HEX_SIZE 65      /* 64 lower-case hex digits + NUL */
#define SIGV4_AMZ_DATE_SIZE 17 /* "20150830T123600Z" + NUL */
#define SIGV4_KEY_LEN 32       /* signing key bytes (HMAC-SHA256 output) */
#define SIGV4_EMPTY_SHA256                                                     \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* One request header.  Both strings are borrowed for the duration of the
 * call.  The name may be in any case; the value is taken raw (leading and
 * trailing blanks and folded line breaks are canonicalised here). */
struct sigv4_header {
	const char *name;
	const char *value;
};

/* A request to sign or verify.  Every pointer is borrowed for the call. */
struct sigv4_request {
	const char *method; /* "GET", "POST", … */
	const char *path;   /* as on the wire, before '?'; "" means "/" */
	const char *query;  /* as on the wire, after '?'; NULL or "" = none */
	const struct sigv4_header *headers;
	size_t nheaders;
	/* NULL: sign every header in headers (client side).  Otherwise a
	 * ';'-separated list of lower-case names (the SignedHeaders of a
	 * received Authorization): only those headers are canonicalised and
	 * each must be present (server side). */
	const char *signed_headers;
	const void *body; /* may be NULL when body_len == 0 */
	size_t body_len;
	const char
	    *payload_hash; /* NULL: hex SHA-256 of body; else used as is */
};

/* The credential scope and time.  Borrowed for the call. */
struct sigv4_scope {
	const char *amz_date; /* X-Amz-Date, "YYYYMMDDTHHMMSSZ" */
	const char *region;   /* "us-east-1" (always for Route 53) */
	const char *service;  /* "ec2", "route53" */
};

/* The parts of a received "AWS4-HMAC-SHA256 Credential=AKID/20150830/
 * us-east-1/service/aws4_request, SignedHeaders=a;b, Signature=hex". */
struct sigv4_auth {
	char access_key[128];
	char date[9]; /* yyyymmdd from the credential scope */
	char region[64];
	char service[64];
	char signed_headers[1024];
	char signature[SIGV4_HEX_SIZE];
};

/* Build the canonical request (six lines, see the file comment).  Returns
 * a new NUL-terminated string; caller frees with free().  NULL on bad
 * input (err says why: missing method, a SignedHeaders name absent from
 * the headers, …) or allocation failure.  Never logs. */
char *sigv4_canonical_request(
    const struct sigv4_request *req, struct errbuf *err);

/* Build the string to sign for creq under scope.  Returns a new string;
 * caller frees with free().  NULL with err filled on a malformed amz_date
 * or an empty region/service. */
char *sigv4_string_to_sign(
    const struct sigv4_scope *scope, const char *creq, struct errbuf *err);

/* Derive the signing key HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date),
 * region), service), "aws4_request") into key.  0 ok, -1 with err filled
 * (bad scope or crypto failure).  secret is borrowed and never copied
 * anywhere but the stack. */
int sigv4_signing_key(const char *secret, const struct sigv4_scope *scope,
    unsigned char key[SIGV4_KEY_LEN], struct errbuf *err);

/* Compute the hex signature of req under scope with secret into sig.
 * The server-side primitive: pass the received request with
 * signed_headers set to the client's SignedHeaders.  0 ok, -1 with err
 * filled. */
int sigv4_signature(const struct sigv4_request *req,
    const struct sigv4_scope *scope, const char *secret,
    char sig[SIGV4_HEX_SIZE], struct errbuf *err);

/* Sign req (client side) and return the Authorization header value
 * "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…" as a new
 * string; caller frees with free().  The caller must already have put
 * Host, X-Amz-Date (equal to scope->amz_date) and, with temporary
 * credentials, X-Amz-Security-Token in req->headers; without Host and
 * X-Amz-Date it fails.  NULL with err filled on failure. */
char *sigv4_authorization(const struct sigv4_request *req,
    const struct sigv4_scope *scope, const char *access_key, const char *secret,
    struct errbuf *err);

/* Parse a received Authorization header value into *out (assigned only on
 * success).  Accepts the parts in any order, separated by ',' with
 * optional blanks.  0 ok, -1 with err filled.  Never logs. */
int sigv4_parse_authorization(
    const char *value, struct sigv4_auth *out, struct errbuf *err);

/* Verify a received request: checks that auth->date is the date part of
 * amz_date and that SignedHeaders covers host and x-amz-date, recomputes
 * the signature over req (req->signed_headers is ignored; auth's list is
 * used) under auth's region and service, and compares it with
 * auth->signature in constant time.  The caller looks up secret from
 * auth->access_key and checks amz_date against its clock (AWS allows 15
 * minutes of skew).  0 when the signature matches, -1 otherwise with err
 * filled ("signature does not match", or the input problem). */
int sigv4_verify(const struct sigv4_request *req, const struct sigv4_auth *auth,
    const char *amz_date, const char *secret, struct errbuf *err);

/* Constant-time equality of two NUL-terminated strings (the running time
 * depends only on the lengths).  Returns true when equal. */
bool sigv4_equal(const char *a, const char *b);

/* Lower-case hex SHA-256 of buf into out. */
void sigv4_sha256_hex(const void *buf, size_t len, char out[SIGV4_HEX_SIZE]);

/* Format t (UTC) as an X-Amz-Date "YYYYMMDDTHHMMSSZ".  0 ok, -1 if t is
 * out of range. */
int sigv4_format_amz_date(time_t t, char out[SIGV4_AMZ_DATE_SIZE]);

/* URI-encode len bytes of s the SigV4 way: RFC 3986 unreserved characters
 * kept, '/' kept when keep_slash, everything else %XX (upper-case hex).
 * Returns a new string; caller frees with free().  NULL on allocation
 * failure. */
char *sigv4_uri_encode(const char *s, size_t len, bool keep_slash);

#endif
