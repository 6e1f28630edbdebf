/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for zillizapi (Zilliz Cloud control plane v2 JSON).
 *
 * Corner cases: code 0 and the v1-era 200 both success; HTTP 200 with a
 * non-zero code is an error (21119 "The apikey is illegal."); HTTP >= 400
 * with and without a JSON body; non-object bodies; privateLinkAddress
 * empty vs a full URL (scheme and port stripped); paging fields and the
 * page-walk end condition; a wrong type for a field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/zillizapi.h"

#define S(x) x, strlen(x)

static void
test_envelope(void **state)
{
	struct errbuf err = {{0}};

	(void)state;
	assert_int_equal(
	    zillizapi_check(S("{\"code\":0,\"data\":{}}"), 200, &err), 0);
	assert_int_equal(
	    zillizapi_check(S("{\"code\":200,\"data\":{}}"), 200, &err), 0);
	assert_int_equal(zillizapi_check(S("{\"code\":21119,\"message\":\"The "
	                                   "apikey is illegal.\"}"),
	                     200, &err),
	    -1);
	assert_string_equal(err.msg,
	    "zilliz: The apikey is illegal. (code "
	    "21119, HTTP 200)");
	assert_int_equal(zillizapi_check(S("{\"code\":0}"), 500, &err), -1);
	assert_int_equal(zillizapi_check(S("<html>"), 502, &err), -1);
	assert_string_equal(err.msg, "zilliz: HTTP 502");
	assert_int_equal(zillizapi_check(S("[1]"), 200, &err), -1);
	assert_int_equal(zillizapi_check(S("{\"code\":\"0\"}"), 200, &err), -1);
}

static void
test_cluster(void **state)
{
	const char *j =
	    "{\"code\":0,\"data\":{\"clusterId\":\"in01-108240180a4faf8\","
	    "\"clusterName\":\"c1\",\"projectId\":\"proj-1\",\"regionId\":"
	    "\"aws-us-west-2\",\"status\":\"RUNNING\",\"connectAddress\":"
	    "\"https://in01-108240180a4faf8.aws-us-west-2.vectordb."
	    "zillizcloud.com:19539\",\"privateLinkAddress\":\"https://in01-"
	    "108240180a4faf8-privatelink.aws-us-west-2.vectordb.zillizcloud."
	    "com:19531\",\"cuSize\":1}}";
	struct zillizapi_cluster c;
	struct errbuf err = {{0}};
	char host[256];
	unsigned port;

	(void)state;
	assert_int_equal(zillizapi_cluster(S(j), 200, &c, &err), 0);
	assert_string_equal(c.id, "in01-108240180a4faf8");
	assert_string_equal(c.region_id, "aws-us-west-2");
	assert_int_equal(zillizapi_split_address(c.private_link_address, host,
	                     sizeof(host), &port, &err),
	    0);
	assert_string_equal(host,
	    "in01-108240180a4faf8-privatelink.aws-us-"
	    "west-2.vectordb.zillizcloud.com");
	assert_int_equal(port, 19531);
	assert_int_equal(zillizapi_split_address(
	                     "h.example", host, sizeof(host), &port, &err),
	    0);
	assert_string_equal(host, "h.example");
	assert_int_equal(port, 0);
	assert_int_equal(zillizapi_split_address(
	                     "https://", host, sizeof(host), &port, &err),
	    -1);
	assert_int_equal(zillizapi_cluster(S("{\"code\":0,\"data\":{"
	                                     "\"clusterId\":5}}"),
	                     200, &c, &err),
	    -1);
	assert_int_equal(
	    zillizapi_cluster(S("{\"code\":0,\"data\":{}}"), 200, &c, &err),
	    -1);
}

static void
test_lists_and_paging(void **state)
{
	const char *cl =
	    "{\"code\":0,\"data\":{\"count\":3,\"currentPage\":1,"
	    "\"pageSize\":2,\"clusters\":[{\"clusterId\":\"a\","
	    "\"privateLinkAddress\":\"\"},{\"clusterId\":\"b\"}]}}";
	const char *ep = "{\"code\":0,\"data\":{\"endpoints\":[{\"regionId\":"
	                 "\"aws-us-west-2\",\"cloudId\":\"aws\","
	                 "\"endpointService\":\"com.amazonaws.vpce.us-west-2."
	                 "vpce-svc-1\",\"endpointServiceStatus\":\"RUNNING\","
	                 "\"endpointId\":\"vpce-1\",\"endpointStatus\":"
	                 "\"RUNNING\",\"gcpProjectId\":null}],\"count\":1,"
	                 "\"currentPage\":1,\"pageSize\":10}}";
	const char *sv = "{\"code\":0,\"data\":{\"endpointServices\":[{"
	                 "\"regionId\":\"aws-us-west-2\",\"cloudId\":\"aws\","
	                 "\"endpointService\":\"com.amazonaws.vpce.us-west-2."
	                 "vpce-svc-1\",\"whitelistRequired\":true}]}}";
	struct zillizapi_cluster *c = NULL;
	struct zillizapi_endpoint *e = NULL;
	struct zillizapi_service *s = NULL;
	struct zillizapi_page page;
	struct errbuf err = {{0}};
	size_t n = 0;

	(void)state;
	assert_int_equal(
	    zillizapi_clusters(S(cl), 200, &c, &n, &page, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[1].id, "b");
	assert_int_equal(page.count, 3);
	assert_int_equal(page.page_size, 2);
	assert_false(zillizapi_page_done(&page, 2, 2));
	assert_true(zillizapi_page_done(&page, 3, 1));
	free(c);
	assert_int_equal(
	    zillizapi_endpoints(S(ep), 200, &e, &n, &page, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].endpoint_id, "vpce-1");
	assert_string_equal(e[0].endpoint_status, "RUNNING");
	assert_true(zillizapi_page_done(&page, 1, 1));
	free(e);
	assert_int_equal(zillizapi_services(S(sv), 200, &s, &n, NULL, &err), 0);
	assert_int_equal(n, 1);
	assert_true(s[0].whitelist_required);
	free(s);
	assert_int_equal(zillizapi_clusters(S("{\"code\":0,\"data\":{"
	                                      "\"clusters\":{}}}"),
	                     200, &c, &n, &page, &err),
	    -1);
	assert_int_equal(zillizapi_clusters(S("{\"code\":0,\"data\":{}}"), 200,
	                     &c, &n, &page, &err),
	    0);
	assert_int_equal(n, 0);
	assert_int_equal(page.count, -1);
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_envelope),
	    cmocka_unit_test(test_cluster),
	    cmocka_unit_test(test_lists_and_paging),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
