/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * libFuzzer target for the AWS XML replies linkshimctl reads (untrusted:
 * they come off the network): the same bytes go through xmltree and every
 * awsresp parser (EC2 endpoints, endpoint services, Route 53 zones, zone,
 * change, record sets) and the error parser.  Each must either fail
 * cleanly or return a result whose strings are NUL-terminated within
 * their fields.  Replayed over tests/fuzz/corpus/awsxml/ by the test run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/awsresp.h"
#include "linkshim/xmltree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_lists(const char *buf, size_t size)
{
	struct awsresp_vpce *v = NULL;
	struct awsresp_vpce_service *s = NULL;
	struct awsresp_zone *z = NULL;
	struct awsresp_rrset *r = NULL;
	char next[256], nn[256], ni[128];
	size_t n = 0, i;
	bool tr;

	if (awsresp_ec2_vpces(buf, size, &v, &n, next, sizeof(next), NULL) == 0)
		for (i = 0; i < n; i++)
			if (memchr(v[i].id, 0, sizeof(v[i].id)) == NULL ||
			    v[i].ndns > AWSRESP_MAX_DNS)
				abort();
	free(v);
	if (awsresp_ec2_services(buf, size, &s, &n, NULL) == 0)
		for (i = 0; i < n; i++)
			if (s[i].nazs > AWSRESP_MAX_LIST)
				abort();
	free(s);
	if (awsresp_r53_zones(buf, size, &z, &n, &tr, nn, sizeof(nn), ni,
	        sizeof(ni), NULL) == 0)
		for (i = 0; i < n; i++)
			if (memchr(z[i].name, 0, sizeof(z[i].name)) == NULL)
				abort();
	free(z);
	if (awsresp_r53_rrsets(buf, size, &r, &n, &tr, NULL) == 0)
		for (i = 0; i < n; i++)
			if (r[i].nvalues > AWSRESP_MAX_VALUES)
				abort();
	free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct xmlnode *root = NULL;
	struct awsresp_vpce one;
	struct awsresp_zone zone;
	struct awsresp_vpc *vpcs = NULL;
	struct awsresp_change ch;
	struct awsresp_error e;
	size_t n = 0;

	if (xmltree_parse(buf, size, &root, NULL) == 0) {
		(void)xmltree_text(root, "a/b/c", "");
		xmltree_free(root);
	}
	fuzz_lists(buf, size);
	(void)awsresp_ec2_create_vpce(buf, size, &one, NULL);
	if (awsresp_r53_zone(buf, size, &zone, &vpcs, &n, &ch, NULL) == 0)
		free(vpcs);
	(void)awsresp_r53_change(buf, size, &ch, NULL);
	(void)awsresp_error(buf, size, 400, &e);
	if (memchr(e.message, 0, sizeof(e.message)) == NULL)
		abort();
	return 0;
}
