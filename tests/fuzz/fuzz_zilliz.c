/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * libFuzzer target for the Zilliz Cloud control-plane JSON (untrusted
 * network input): every zillizapi parser over the same bytes, with HTTP
 * status 200 (so the envelope and data paths run), and the address
 * splitter over the bytes as a string.  Replayed over
 * tests/fuzz/corpus/zilliz/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/zillizapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct zillizapi_cluster c, *cl = NULL;
	struct zillizapi_endpoint *ep = NULL;
	struct zillizapi_service *sv = NULL;
	struct zillizapi_page pg;
	char host[256], *s;
	unsigned port;
	size_t n = 0;

	(void)zillizapi_check(buf, size, 200, NULL);
	(void)zillizapi_cluster(buf, size, 200, &c, NULL);
	if (zillizapi_clusters(buf, size, 200, &cl, &n, &pg, NULL) == 0) {
		(void)zillizapi_page_done(&pg, n, n);
		free(cl);
	}
	if (zillizapi_endpoints(buf, size, 200, &ep, &n, &pg, NULL) == 0)
		free(ep);
	if (zillizapi_services(buf, size, 200, &sv, &n, NULL, NULL) == 0)
		free(sv);
	if ((s = strndup(buf, size)) == NULL)
		return 0;
	if (zillizapi_split_address(s, host, sizeof(host), &port, NULL) == 0 &&
	    (host[0] == '\0' || memchr(host, 0, sizeof(host)) == NULL))
		abort();
	free(s);
	return 0;
}
