/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for xmltree and awsresp: the EC2 and Route 53 shapes from
 * reference/cloud-apis.md (AWS samples and moto's variants), the three
 * error shapes, and hostile XML.
 *
 * Corner cases: element order different from the model (AWS sample);
 * moto's namespace without trailing slash; empty sets; nextToken; ids
 * with and without the /hostedzone/ and /change/ prefixes; moto's
 * ListHostedZonesByName without IsTruncated; InvalidChangeBatch with
 * several messages; EC2 error with RequestID; garbage error bodies;
 * DOCTYPE/entity bombs; too deep; a value longer than its field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linkshim/awsresp.h"
#include "linkshim/xmltree.h"

#define S(x) x, strlen(x)

static const char vpces_aws[] =
    "<DescribeVpcEndpointsResponse "
    "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\n"
    "  <requestId>8d3e7656-3328-451d-8c86-7156example</requestId>\n"
    "  <vpcEndpointSet><item>\n"
    "    <dnsEntrySet>\n"
    "      <item><hostedZoneId>Z7HUB22UULQXV</hostedZoneId>\n"
    "        <dnsName>vpce-0f89-bluzidnv.elb.us-east-1.vpce.amazonaws.com"
    "</dnsName></item>\n"
    "      <item><hostedZoneId>Z7HUB22UULQXV</hostedZoneId>\n"
    "        <dnsName>vpce-0f89-bluzidnv-us-east-1b.elb.us-east-1.vpce."
    "amazonaws.com</dnsName></item>\n"
    "    </dnsEntrySet>\n"
    "    <serviceName>com.amazonaws.us-east-1.elasticloadbalancing"
    "</serviceName>\n"
    "    <privateDnsEnabled>false</privateDnsEnabled>\n"
    "    <subnetIdSet><item>subnet-1</item><item>subnet-2</item>"
    "</subnetIdSet>\n"
    "    <groupSet><item><groupId>sg-1</groupId><groupName>d</groupName>"
    "</item></groupSet>\n"
    "    <vpcEndpointId>vpce-0f89a33420c1931d7</vpcEndpointId>\n"
    "    <vpcEndpointType>Interface</vpcEndpointType>\n"
    "    <vpcId>vpc-1a2b3c4d</vpcId>\n"
    "    <ipAddressType>dualstack</ipAddressType>\n"
    "    <state>pendingAcceptance</state>\n"
    "  </item></vpcEndpointSet>\n"
    "  <nextToken>tok2</nextToken>\n"
    "</DescribeVpcEndpointsResponse>";

static void
test_vpces_aws_sample(void **state)
{
	struct awsresp_vpce *v = NULL;
	struct errbuf err = {{0}};
	char next[64];
	size_t n = 0;

	(void)state;
	assert_int_equal(
	    awsresp_ec2_vpces(S(vpces_aws), &v, &n, next, sizeof(next), &err),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].id, "vpce-0f89a33420c1931d7");
	assert_string_equal(v[0].type, "Interface");
	assert_string_equal(v[0].vpc_id, "vpc-1a2b3c4d");
	assert_string_equal(v[0].state, "pendingAcceptance");
	assert_string_equal(v[0].ip_address_type, "dualstack");
	assert_false(v[0].private_dns_enabled);
	assert_int_equal(v[0].ndns, 2);
	assert_string_equal(v[0].dns[0].dns_name,
	    "vpce-0f89-bluzidnv.elb.us-east-1.vpce.amazonaws.com");
	assert_string_equal(v[0].dns[1].hosted_zone_id, "Z7HUB22UULQXV");
	assert_int_equal(v[0].nsubnets, 2);
	assert_string_equal(v[0].subnets[1], "subnet-2");
	assert_int_equal(v[0].ngroups, 1);
	assert_string_equal(v[0].groups[0], "sg-1");
	assert_string_equal(next, "tok2");
	free(v);
}

static void
test_vpces_empty_moto_ns(void **state)
{
	const char *x = "<DescribeVpcEndpointsResponse xmlns=\"http://ec2."
	                "amazonaws.com/doc/2016-11-15\"><requestId>request-id"
	                "</requestId><vpcEndpointSet/>"
	                "</DescribeVpcEndpointsResponse>";
	struct awsresp_vpce *v = NULL;
	struct errbuf err = {{0}};
	char next[64] = "x";
	size_t n = 9;

	(void)state;
	assert_int_equal(
	    awsresp_ec2_vpces(S(x), &v, &n, next, sizeof(next), &err), 0);
	assert_int_equal(n, 0);
	assert_string_equal(next, "");
	free(v);
	/* wrong root */
	assert_int_equal(
	    awsresp_ec2_vpces(S("<Foo/>"), &v, &n, next, sizeof(next), &err),
	    -1);
	assert_non_null(strstr(err.msg, "DescribeVpcEndpointsResponse"));
}

static void
test_create_vpce(void **state)
{
	const char *x =
	    "<CreateVpcEndpointResponse xmlns=\"http://ec2.amazonaws.com/doc/"
	    "2016-11-15/\"><requestId>r</requestId><vpcEndpoint>"
	    "<vpcEndpointId>vpce-1</vpcEndpointId><state>pending</state>"
	    "<dnsEntrySet/><lastError><message>no</message><code>x</code>"
	    "</lastError></vpcEndpoint><clientToken>ct</clientToken>"
	    "</CreateVpcEndpointResponse>";
	struct awsresp_vpce v;
	struct errbuf err = {{0}};

	(void)state;
	assert_int_equal(awsresp_ec2_create_vpce(S(x), &v, &err), 0);
	assert_string_equal(v.id, "vpce-1");
	assert_string_equal(v.state, "pending");
	assert_int_equal(v.ndns, 0);
	assert_string_equal(v.last_error, "no");
	assert_int_equal(awsresp_ec2_create_vpce(
	                     S("<CreateVpcEndpointResponse/>"), &v, &err),
	    -1);
}

static void
test_services(void **state)
{
	const char *x =
	    "<DescribeVpcEndpointServicesResponse><serviceNameSet><item>svc"
	    "</item></serviceNameSet><serviceDetailSet><item><serviceName>"
	    "com.amazonaws.vpce.us-west-2.vpce-svc-0b6</serviceName><serviceId>"
	    "vpce-svc-0b6</serviceId><availabilityZoneSet><item>us-west-2a"
	    "</item><item>us-west-2b</item></availabilityZoneSet>"
	    "<acceptanceRequired>true</acceptanceRequired></item>"
	    "</serviceDetailSet></DescribeVpcEndpointServicesResponse>";
	struct awsresp_vpce_service *s = NULL;
	struct errbuf err = {{0}};
	size_t n = 0;

	(void)state;
	assert_int_equal(awsresp_ec2_services(S(x), &s, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(s[0].id, "vpce-svc-0b6");
	assert_int_equal(s[0].nazs, 2);
	assert_string_equal(s[0].azs[1], "us-west-2b");
	assert_true(s[0].acceptance_required);
	free(s);
}

static void
test_r53_zones(void **state)
{
	const char *x =
	    "<?xml version=\"1.0\"?>\n<ListHostedZonesByNameResponse xmlns="
	    "\"https://route53.amazonaws.com/doc/2013-04-01/\"><HostedZones>"
	    "<HostedZone><Id>/hostedzone/Z1</Id><Name>a.example.</Name>"
	    "<CallerReference>c1</CallerReference><Config><PrivateZone>true"
	    "</PrivateZone></Config><ResourceRecordSetCount>3"
	    "</ResourceRecordSetCount></HostedZone><HostedZone><Id>Z2</Id>"
	    "<Name>b.example.</Name><CallerReference>c2</CallerReference>"
	    "</HostedZone></HostedZones><DNSName>a.example</DNSName>"
	    "<IsTruncated>true</IsTruncated><NextDNSName>c.example."
	    "</NextDNSName><NextHostedZoneId>Z3</NextHostedZoneId><MaxItems>2"
	    "</MaxItems></ListHostedZonesByNameResponse>";
	const char *moto = "<ListHostedZonesByNameResponse><HostedZones/>"
	                   "</ListHostedZonesByNameResponse>";
	struct awsresp_zone *z = NULL;
	struct errbuf err = {{0}};
	char nn[256], ni[64];
	bool tr = false;
	size_t n = 0;

	(void)state;
	assert_int_equal(awsresp_r53_zones(S(x), &z, &n, &tr, nn, sizeof(nn),
	                     ni, sizeof(ni), &err),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(z[0].id, "Z1");
	assert_string_equal(z[0].name, "a.example.");
	assert_true(z[0].private_zone);
	assert_int_equal(z[0].record_count, 3);
	assert_string_equal(z[1].id, "Z2");
	assert_false(z[1].private_zone);
	assert_int_equal(z[1].record_count, -1);
	assert_true(tr);
	assert_string_equal(nn, "c.example.");
	assert_string_equal(ni, "Z3");
	free(z);
	assert_int_equal(awsresp_r53_zones(S(moto), &z, &n, &tr, nn, sizeof(nn),
	                     ni, sizeof(ni), &err),
	    0);
	assert_int_equal(n, 0);
	assert_false(tr);
	free(z);
}

static void
test_r53_zone_and_change(void **state)
{
	const char *get =
	    "<GetHostedZoneResponse><HostedZone><Id>/hostedzone/Z9</Id><Name>"
	    "x.</Name><CallerReference>r</CallerReference><Config>"
	    "<PrivateZone>true</PrivateZone></Config></HostedZone><VPCs><VPC>"
	    "<VPCRegion>us-west-2</VPCRegion><VPCId>vpc-1</VPCId></VPC><VPC>"
	    "<VPCRegion>eu-west-1</VPCRegion><VPCId>vpc-2</VPCId></VPC></VPCs>"
	    "</GetHostedZoneResponse>";
	const char *create =
	    "<CreateHostedZoneResponse><HostedZone><Id>/hostedzone/Z8</Id>"
	    "<Name>y.</Name><CallerReference>r</CallerReference></HostedZone>"
	    "<ChangeInfo><Id>/change/C1</Id><Status>PENDING</Status>"
	    "<SubmittedAt>2010-09-10T01:36:41.958Z</SubmittedAt></ChangeInfo>"
	    "<VPC><VPCRegion>us-west-2</VPCRegion><VPCId>vpc-1</VPCId></VPC>"
	    "</CreateHostedZoneResponse>";
	const char *chg = "<GetChangeResponse><ChangeInfo><Id>C2</Id><Status>"
	                  "INSYNC</Status></ChangeInfo></GetChangeResponse>";
	struct awsresp_zone z;
	struct awsresp_vpc *v = NULL;
	struct awsresp_change c;
	struct errbuf err = {{0}};
	size_t n = 0;

	(void)state;
	assert_int_equal(awsresp_r53_zone(S(get), &z, &v, &n, &c, &err), 0);
	assert_string_equal(z.id, "Z9");
	assert_int_equal(n, 2);
	assert_string_equal(v[1].id, "vpc-2");
	assert_string_equal(v[1].region, "eu-west-1");
	assert_string_equal(c.id, "");
	free(v);
	assert_int_equal(awsresp_r53_zone(S(create), &z, &v, &n, &c, &err), 0);
	assert_string_equal(z.id, "Z8");
	assert_int_equal(n, 1);
	assert_string_equal(c.id, "C1");
	assert_string_equal(c.status, "PENDING");
	free(v);
	assert_int_equal(awsresp_r53_change(S(chg), &c, &err), 0);
	assert_string_equal(c.id, "C2");
	assert_string_equal(c.status, "INSYNC");
	assert_int_equal(
	    awsresp_r53_change(S("<X><ChangeInfo/></X>"), &c, &err), -1);
}

static void
test_r53_rrsets(void **state)
{
	const char *x =
	    "<ListResourceRecordSetsResponse><ResourceRecordSets>"
	    "<ResourceRecordSet><Name>a.</Name><Type>SOA</Type><TTL>900</TTL>"
	    "<ResourceRecords><ResourceRecord><Value>ns. h. 1 2 3 4 5</Value>"
	    "</ResourceRecord></ResourceRecords></ResourceRecordSet>"
	    "<ResourceRecordSet><Name>a.</Name><Type>A</Type><AliasTarget>"
	    "<HostedZoneId>Z1YSA3EXCYUU9Z</HostedZoneId><DNSName>vpce-1.x.</"
	    "DNSName>"
	    "<EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget>"
	    "</ResourceRecordSet></ResourceRecordSets><IsTruncated>false"
	    "</IsTruncated><MaxItems>300</MaxItems>"
	    "</ListResourceRecordSetsResponse>";
	struct awsresp_rrset *r = NULL;
	struct errbuf err = {{0}};
	bool tr = true;
	size_t n = 0;

	(void)state;
	assert_int_equal(awsresp_r53_rrsets(S(x), &r, &n, &tr, &err), 0);
	assert_int_equal(n, 2);
	assert_false(tr);
	assert_int_equal(r[0].ttl, 900);
	assert_int_equal(r[0].nvalues, 1);
	assert_string_equal(r[0].values[0], "ns. h. 1 2 3 4 5");
	assert_int_equal(r[1].ttl, -1);
	assert_string_equal(r[1].alias_zone_id, "Z1YSA3EXCYUU9Z");
	assert_string_equal(r[1].alias_dns_name, "vpce-1.x.");
	assert_false(r[1].alias_evaluate_health);
	free(r);
}

static void
test_errors(void **state)
{
	const char *ec2 = "<Response><Errors><Error><Code>InvalidVpcEndpointId."
	                  "NotFound</Code><Message>The VpcEndPoint ID 'vpce-x' "
	                  "does not exist</Message></Error></Errors><RequestID>"
	                  "c0ca</RequestID></Response>";
	const char *r53 =
	    "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https:"
	    "//route53.amazonaws.com/doc/2013-04-01/\"><Error>"
	    "<Type>Sender</Type><Code>Throttling</Code><Message>"
	    "Rate exceeded</Message></Error><RequestId>r1"
	    "</RequestId></ErrorResponse>";
	const char *icb =
	    "<InvalidChangeBatch xmlns=\"https://route53.amazonaws."
	    "com/doc/2013-04-01/\"><Messages><Message>Tried to "
	    "create A but it already exists</Message><Message>"
	    "second</Message></Messages></InvalidChangeBatch>";
	struct awsresp_error e;

	(void)state;
	assert_int_equal(awsresp_error(S(ec2), 400, &e), 0);
	assert_string_equal(e.code, "InvalidVpcEndpointId.NotFound");
	assert_string_equal(e.request_id, "c0ca");
	assert_false(awsresp_is_retryable(400, e.code));
	assert_int_equal(awsresp_error(S(r53), 400, &e), 0);
	assert_string_equal(e.code, "Throttling");
	assert_string_equal(e.message, "Rate exceeded");
	assert_string_equal(e.request_id, "r1");
	assert_true(awsresp_is_retryable(400, e.code));
	assert_int_equal(awsresp_error(S(icb), 400, &e), 0);
	assert_string_equal(e.code, "InvalidChangeBatch");
	assert_string_equal(
	    e.message, "Tried to create A but it already exists; second");
	assert_int_equal(awsresp_error(S("<html>bad gateway"), 502, &e), -1);
	assert_string_equal(e.message, "HTTP status 502");
	assert_true(awsresp_is_retryable(502, e.code));
	assert_int_equal(awsresp_error(NULL, 0, 503, &e), -1);
	assert_true(awsresp_is_retryable(400, "RequestLimitExceeded"));
	assert_true(awsresp_is_retryable(400, "PriorRequestNotComplete"));
}

static void
test_hostile_xml(void **state)
{
	const char *bomb =
	    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]><a>&lol2;</a>";
	struct xmlnode *root = NULL;
	struct errbuf err = {{0}};
	char deep[4096];
	size_t i, off = 0;

	(void)state;
	assert_int_equal(xmltree_parse(S(bomb), &root, &err), -1);
	assert_non_null(strstr(err.msg, "DOCTYPE"));
	for (i = 0; i < XMLTREE_MAX_DEPTH + 2; i++)
		off += (size_t)snprintf(deep + off, sizeof(deep) - off, "<a>");
	assert_int_equal(xmltree_parse(deep, off, &root, &err), -1);
	assert_int_equal(xmltree_parse(S("<a><b></a>"), &root, &err), -1);
	assert_non_null(strstr(err.msg, "xml:1:"));
	assert_int_equal(xmltree_parse(S(""), &root, &err), -1);
	assert_int_equal(
	    xmltree_parse(S("<a> <b>x</b> <b>y</b> </a>"), &root, &err), 0);
	assert_string_equal(xmltree_text(root, "b", ""), "x");
	assert_string_equal(xmltree_next(xmltree_child(root, "b"))->text, "y");
	assert_null(xmltree_path(root, "b/c"));
	xmltree_free(root);
}

static void
test_field_too_long(void **state)
{
	char x[1024];
	struct awsresp_change c;
	struct errbuf err = {{0}};
	char id[300];

	(void)state;
	memset(id, 'C', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	snprintf(x, sizeof(x),
	    "<GetChangeResponse><ChangeInfo><Id>%s</Id><Status>INSYNC</Status>"
	    "</ChangeInfo></GetChangeResponse>",
	    id);
	assert_int_equal(awsresp_r53_change(x, strlen(x), &c, &err), -1);
	assert_non_null(strstr(err.msg, "too long"));
}

static void
test_vpce_names(void **state)
{
	const char *reg = "vpce-0ce90d01341533a5c-ngbqfdnj.vpce-svc-0b62964bfd0"
	                  "edfb74.us-west-2.vpce.amazonaws.com";
	char id[64], az[64];

	(void)state;
	assert_int_equal(awsresp_vpce_id_of(reg, id, sizeof(id)), 0);
	assert_string_equal(id, "vpce-0ce90d01341533a5c");
	assert_int_equal(
	    awsresp_vpce_id_of("in01-x.example", id, sizeof(id)), -1);
	assert_int_equal(awsresp_vpce_id_of("vpce-.x", id, sizeof(id)), -1);
	assert_int_equal(awsresp_vpce_id_of(reg, id, 8), -1);
	awsresp_zonal_az(reg,
	    "vpce-0ce90d01341533a5c-ngbqfdnj-us-west-2a.vpce-svc-0b62964bfd0"
	    "edfb74.us-west-2.vpce.amazonaws.com",
	    az, sizeof(az));
	assert_string_equal(az, "us-west-2a");
	awsresp_zonal_az(reg, reg, az, sizeof(az));
	assert_string_equal(az, "");
	awsresp_zonal_az(reg, "other.example", az, sizeof(az));
	assert_string_equal(az, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vpces_aws_sample),
	    cmocka_unit_test(test_vpces_empty_moto_ns),
	    cmocka_unit_test(test_create_vpce),
	    cmocka_unit_test(test_services),
	    cmocka_unit_test(test_r53_zones),
	    cmocka_unit_test(test_r53_zone_and_change),
	    cmocka_unit_test(test_r53_rrsets),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_hostile_xml),
	    cmocka_unit_test(test_field_too_long),
	    cmocka_unit_test(test_vpce_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
