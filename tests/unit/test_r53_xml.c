/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Unit tests for r53_xml: the exact request bodies botocore 1.43 and the
 * aws CLI v1 sent (captured by tests/unit/data/r53/capture.py, loopback
 * only), element order as the caller passed it, refused inputs (DOCTYPE,
 * unknown elements, alias plus TTL, bad TTL), and the response documents
 * (checked by re-parsing with expat-free string checks).
 * Run from the top of the tree (tests/run.sh does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "linkshim/r53_xml.h"

#define DATA "tests/unit/data/r53/"

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = calloc(1, 65536);

	assert_non_null(fp);
	*len = fread(buf, 1, 65535, fp);
	fclose(fp);
	return buf;
}

static void
test_create_zone_boto3(void **state)
{
	struct r53_create_zone cz;
	struct errbuf err;
	size_t len;
	char *b = slurp(DATA "1-create-hosted-zone.xml", &len);

	(void)state;
	assert_int_equal(r53_parse_create_zone(b, len, &cz, &err), 0);
	assert_string_equal(
	    cz.name, "in01-xxxx.aws-us-west-2.vectordb.zillizcloud.com");
	assert_string_equal(cz.caller_ref, "shim-1");
	assert_string_equal(cz.vpc_region, "us-west-2");
	assert_string_equal(cz.vpc_id, "vpc-0abc1234");
	assert_string_equal(cz.comment, "zilliz private link");
	assert_true(cz.private_zone);
	free(b);
}

static void
test_create_zone_cli_public(void **state)
{
	struct r53_create_zone cz;
	struct errbuf err;
	size_t len;
	char *b = slurp(DATA "4-create-hosted-zone.xml", &len);

	(void)state;
	assert_int_equal(r53_parse_create_zone(b, len, &cz, &err), 0);
	assert_string_equal(cz.name, "public.example.com");
	assert_false(cz.private_zone);
	free(b);
}

static void
test_change_batch_boto3(void **state)
{
	struct r53_change_batch cb;
	struct errbuf err;
	size_t len;
	char *b = slurp(DATA "2-change-rrsets.xml", &len);

	(void)state;
	assert_int_equal(r53_parse_change_batch(b, len, &cb, &err), 0);
	assert_string_equal(cb.comment, "shim");
	assert_int_equal(cb.nchanges, 5);
	assert_int_equal(cb.changes[0].action, LINKSTORE_UPSERT);
	assert_int_equal(cb.changes[0].rrset.type, LDNS_RR_TYPE_A);
	assert_string_equal(cb.changes[0].alias_zone_id, "Z1YSA3EXCYUU9Z");
	assert_non_null(strstr(cb.changes[0].rrset.alias, "vpce-0ce90d"));
	assert_int_equal(cb.changes[1].rrset.nvalues, 2);
	assert_string_equal(cb.changes[1].rrset.values[1], "10.0.0.2");
	assert_int_equal(cb.changes[2].rrset.type, LDNS_RR_TYPE_CNAME);
	assert_int_equal(cb.changes[2].rrset.ttl, 60);
	assert_string_equal(cb.changes[3].rrset.values[0], "\"hello world\"");
	assert_int_equal(cb.changes[4].action, LINKSTORE_DELETE);
	assert_int_equal(cb.changes[4].rrset.type, LDNS_RR_TYPE_MX);
	r53_change_batch_clear(&cb);
	free(b);
}

static void
test_change_batch_cli_any_order(void **state)
{
	struct r53_change_batch cb;
	struct errbuf err;
	size_t len;
	char *b = slurp(DATA "3-change-rrsets.xml", &len);

	(void)state;
	assert_int_equal(r53_parse_change_batch(b, len, &cb, &err), 0);
	assert_int_equal(cb.nchanges, 3);
	/* TTL, ResourceRecords, Type, Name, then Action: caller's order */
	assert_int_equal(cb.changes[0].action, LINKSTORE_UPSERT);
	assert_int_equal(cb.changes[0].rrset.type, LDNS_RR_TYPE_CAA);
	assert_string_equal(cb.changes[0].rrset.name, "caa.example.com");
	assert_int_equal(cb.changes[0].rrset.ttl, 30);
	assert_int_equal(cb.changes[1].rrset.type, LDNS_RR_TYPE_SRV);
	assert_int_equal(cb.changes[2].rrset.type, LDNS_RR_TYPE_PTR);
	r53_change_batch_clear(&cb);
	free(b);
}

static int
bad_batch(const char *body, const char *want)
{
	struct r53_change_batch cb;
	struct errbuf err;
	int rv;

	err.msg[0] = '\0';
	rv = r53_parse_change_batch(body, strlen(body), &cb, &err);
	r53_change_batch_clear(&cb);
	if (rv == 0)
		return 0;
	if (strstr(err.msg, want) == NULL) {
		print_error("message \"%s\" lacks \"%s\"\n", err.msg, want);
		return 0;
	}
	return 1;
}

#define PRE                                                                    \
	"<ChangeResourceRecordSetsRequest xmlns=\"" R53_XMLNS "\">"            \
	"<ChangeBatch><Changes><Change><Action>CREATE</Action>"                \
	"<ResourceRecordSet><Name>a.example.com</Name><Type>A</Type>"
#define POST                                                                   \
	"</ResourceRecordSet></Change></Changes></ChangeBatch>"                \
	"</ChangeResourceRecordSetsRequest>"
#define RRS                                                                    \
	"<ResourceRecords><ResourceRecord><Value>10.0.0.1</Value>"             \
	"</ResourceRecord></ResourceRecords>"

static void
test_change_batch_refused(void **state)
{
	(void)state;
	assert_true(bad_batch("<x/>", "expected root"));
	assert_true(
	    bad_batch("<ChangeResourceRecordSetsRequest>", "Invalid XML"));
	assert_true(bad_batch(PRE "<TTL>-1</TTL>" RRS POST, "TTL"));
	assert_true(bad_batch(PRE "<TTL>1x</TTL>" RRS POST, "TTL"));
	assert_true(bad_batch(PRE RRS POST, "found none"));
	assert_true(bad_batch(PRE "<TTL>60</TTL>" RRS
	                          "<AliasTarget><HostedZoneId>Z</HostedZoneId>"
	                          "<DNSName>x.</DNSName>"
	                          "<EvaluateTargetHealth>false"
	                          "</EvaluateTargetHealth></AliasTarget>" POST,
	    "more than one"));
	assert_true(bad_batch(PRE "<SetIdentifier>w</SetIdentifier>"
	                          "<Weight>1</Weight><TTL>60</TTL>" RRS POST,
	    "unexpected element SetIdentifier"));
	assert_true(bad_batch("<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>"
	                      "<ChangeResourceRecordSetsRequest>&lol;"
	                      "</ChangeResourceRecordSetsRequest>",
	    "DOCTYPE"));
	assert_true(bad_batch("<ChangeResourceRecordSetsRequest><ChangeBatch>"
	                      "<Changes></Changes></ChangeBatch>"
	                      "</ChangeResourceRecordSetsRequest>",
	    "at least one"));
	assert_true(bad_batch(
	    "<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change>"
	    "<Action>RENAME</Action></Change></Changes></ChangeBatch>"
	    "</ChangeResourceRecordSetsRequest>",
	    "Invalid Action"));
	assert_true(
	    bad_batch(PRE "<TTL>60</TTL>" RRS POST "junk", "Invalid XML"));
}

static void
test_responses(void **state)
{
	struct r53_zone_info z = {.id = "Z0123",
	    .name = "a&b.example.",
	    .caller_ref = "r1",
	    .comment = "c",
	    .vpc_region = "us-west-2",
	    .vpc_id = "vpc-1",
	    .private_zone = true,
	    .nrrsets = 2};
	struct r53_change_info ci = {.id = "C42", .submitted = 0};
	struct conf_rrset rr[2];
	struct errbuf msgs[2];
	char *v[] = {"10.0.0.1"}, *doc;
	const char *ids[] = {"Z1YSA3EXCYUU9Z"};
	size_t len;

	(void)state;
	doc = r53_xml_create_zone(&z, &ci, &len);
	assert_non_null(doc);
	assert_int_equal(strlen(doc), len);
	assert_non_null(
	    strstr(doc, "<CreateHostedZoneResponse xmlns=\"" R53_XMLNS));
	assert_non_null(strstr(doc, "<Id>/hostedzone/Z0123</Id>"));
	assert_non_null(strstr(doc, "<Name>a&amp;b.example.</Name>"));
	assert_non_null(strstr(doc,
	    "<Status>INSYNC</Status><SubmittedAt>"
	    "1970-01-01T00:00:00.000Z</SubmittedAt>"));
	assert_non_null(strstr(doc, "<VPC><VPCRegion>us-west-2</VPCRegion>"));
	assert_non_null(strstr(doc, "<PrivateZone>true</PrivateZone>"));
	free(doc);

	memset(rr, 0, sizeof(rr));
	strcpy(rr[0].name, "a.example.");
	rr[0].type = LDNS_RR_TYPE_A;
	strcpy(rr[0].alias, "vpce.example.");
	strcpy(rr[1].name, "b.example.");
	rr[1].type = LDNS_RR_TYPE_A;
	rr[1].ttl = 300;
	rr[1].values = v;
	rr[1].nvalues = 1;
	doc = r53_xml_list_rrsets(rr, ids, 1, &rr[1], 1, &len);
	assert_non_null(strstr(doc,
	    "<AliasTarget><HostedZoneId>Z1YSA3EXCYUU9Z"
	    "</HostedZoneId><DNSName>vpce.example."
	    "</DNSName><EvaluateTargetHealth>false"));
	assert_non_null(strstr(doc,
	    "<IsTruncated>true</IsTruncated>"
	    "<NextRecordName>b.example.</NextRecordName>"
	    "<NextRecordType>A</NextRecordType>"
	    "<MaxItems>1</MaxItems>"));
	free(doc);
	doc = r53_xml_list_rrsets(&rr[1], NULL, 1, NULL, 100, &len);
	assert_non_null(strstr(doc,
	    "<TTL>300</TTL><ResourceRecords>"
	    "<ResourceRecord><Value>10.0.0.1</Value>"));
	assert_non_null(strstr(doc, "<IsTruncated>false</IsTruncated>"));
	free(doc);

	doc = r53_xml_error(
	    "NoSuchHostedZone", "No hosted zone <x>", "req-1", &len);
	assert_non_null(strstr(doc, "<ErrorResponse xmlns="));
	assert_non_null(strstr(doc,
	    "<Error><Type>Sender</Type><Code>"
	    "NoSuchHostedZone</Code><Message>No hosted "
	    "zone &lt;x&gt;</Message></Error>"
	    "<RequestId>req-1</RequestId>"));
	free(doc);
	strcpy(msgs[0].msg, "one");
	strcpy(msgs[1].msg, "two");
	doc = r53_xml_invalid_change_batch(msgs, 2, "req-2", &len);
	assert_non_null(strstr(doc, "<InvalidChangeBatch xmlns="));
	assert_non_null(strstr(doc,
	    "<Messages><Message>one</Message><Message>"
	    "two</Message></Messages>"));
	free(doc);
	doc = r53_xml_change_info("GetChangeResponse", &ci, &len);
	assert_non_null(strstr(doc, "<GetChangeResponse xmlns="));
	assert_non_null(strstr(doc, "<Id>/change/C42</Id>"));
	free(doc);
	doc = r53_xml_list_zones(&z, 1, NULL, "Z9", 1, &len);
	assert_non_null(strstr(doc,
	    "<IsTruncated>true</IsTruncated>"
	    "<NextMarker>Z9</NextMarker>"));
	free(doc);
	doc = r53_xml_list_zones_by_name(
	    &z, 1, "a.example.", NULL, NULL, 100, &len);
	assert_non_null(strstr(doc,
	    "<DNSName>a.example.</DNSName>"
	    "<IsTruncated>false</IsTruncated>"));
	free(doc);
	doc = r53_xml_get_zone(&z, &len);
	assert_non_null(strstr(doc, "<VPCs><VPC>"));
	free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_zone_boto3),
	    cmocka_unit_test(test_create_zone_cli_public),
	    cmocka_unit_test(test_change_batch_boto3),
	    cmocka_unit_test(test_change_batch_cli_any_order),
	    cmocka_unit_test(test_change_batch_refused),
	    cmocka_unit_test(test_responses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
