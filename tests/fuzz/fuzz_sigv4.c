/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * libFuzzer target for the server side of SigV4, which the admin API runs
 * on untrusted requests: the input is split at NUL bytes into method,
 * path, query, Authorization value, X-Amz-Date and up to four header
 * name/value pairs; the Authorization is parsed, the canonical request
 * built, and the request verified with a fixed secret.  Nothing may
 * crash, and a signature computed by sigv4_authorization() for the same
 * request must verify (the client and server halves agree).  Replayed
 * over tests/fuzz/corpus/sigv4/.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/sigv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NF 13

static bool
in_list(const char *list, const char *name)
{
	size_t n = strlen(name), l;

	while (*list != '\0') {
		l = strcspn(list, ";");
		if (l == n && memcmp(list, name, n) == 0)
			return true;
		list += l + (list[l] == ';');
	}
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigv4_header h[4];
	struct sigv4_request req = {0};
	struct sigv4_scope scope;
	struct sigv4_auth auth;
	char *copy, *f[NF], *p, *creq, *authz;
	size_t i, nh = 0;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0, p = copy; i < NF; i++) {
		f[i] = p;
		p += strlen(p);
		if (p < copy + size)
			p++;
	}
	for (i = 0; i < 4; i++)
		if (f[5 + 2 * i][0] != '\0')
			h[nh++] =
			    (struct sigv4_header){f[5 + 2 * i], f[6 + 2 * i]};
	req.method = f[0];
	req.path = f[1];
	req.query = f[2];
	req.headers = h;
	req.nheaders = nh;
	req.body = f[12];
	req.body_len = strlen(f[12]);
	if ((creq = sigv4_canonical_request(&req, NULL)) != NULL)
		free(creq);
	if (sigv4_parse_authorization(f[3], &auth, NULL) == 0)
		(void)sigv4_verify(&req, &auth, f[4], "secret", NULL);
	scope = (struct sigv4_scope){f[4], "us-east-1", "route53"};
	authz = sigv4_authorization(&req, &scope, "AKIDFUZZ", "secret", NULL);
	if (authz != NULL) {
		if (sigv4_parse_authorization(authz, &auth, NULL) != 0)
			abort();
		/* what the client half signed, the server half accepts */
		if (!in_list(auth.signed_headers, "host") ||
		    sigv4_verify(&req, &auth, f[4], "secret", NULL) != 0)
			abort();
		free(authz);
	}
	free(copy);
	return 0;
}
