/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * r53_xml_write: Route 53 response documents in the shapes botocore's
 * RestXMLParser reads (element names and nesting from the 2013-04-01
 * model; ids carry their /hostedzone/ and /change/ prefixes as the real
 * service returns them).  Written with open_memstream; text is escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "linkshim/r53_xml.h"

static void
esc(FILE *fp, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '&':
			fputs("&amp;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		default:
			fputc(*s, fp);
		}
	}
}

/* <tag>escaped text</tag> */
static void
el(FILE *fp, const char *tag, const char *text)
{
	fprintf(fp, "<%s>", tag);
	esc(fp, text);
	fprintf(fp, "</%s>", tag);
}

static FILE *
doc_open(char **buf, size_t *len, const char *root)
{
	FILE *fp;

	*buf = NULL;
	if ((fp = open_memstream(buf, len)) == NULL)
		return NULL;
	fprintf(fp,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s xmlns=\"%s\">",
	    root, R53_XMLNS);
	return fp;
}

static char *
doc_close(FILE *fp, char **buf, const char *root)
{
	fprintf(fp, "</%s>\n", root);
	if (ferror(fp)) {
		fclose(fp);
		free(*buf);
		return NULL;
	}
	if (fclose(fp) != 0) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

static void
hosted_zone(FILE *fp, const struct r53_zone_info *z)
{
	fputs("<HostedZone>", fp);
	fputs("<Id>/hostedzone/", fp);
	esc(fp, z->id);
	fputs("</Id>", fp);
	el(fp, "Name", z->name);
	el(fp, "CallerReference", z->caller_ref != NULL ? z->caller_ref : "");
	fputs("<Config>", fp);
	if (z->comment != NULL && z->comment[0] != '\0')
		el(fp, "Comment", z->comment);
	el(fp, "PrivateZone", z->private_zone ? "true" : "false");
	fputs("</Config>", fp);
	fprintf(fp, "<ResourceRecordSetCount>%zu</ResourceRecordSetCount>",
	    z->nrrsets);
	fputs("</HostedZone>", fp);
}

static void
change_info(FILE *fp, const struct r53_change_info *ci)
{
	char ts[32];
	struct tm tm;

	gmtime_r(&ci->submitted, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	fputs("<ChangeInfo><Id>/change/", fp);
	esc(fp, ci->id);
	fputs("</Id><Status>INSYNC</Status>", fp);
	el(fp, "SubmittedAt", ts);
	if (ci->comment != NULL && ci->comment[0] != '\0')
		el(fp, "Comment", ci->comment);
	fputs("</ChangeInfo>", fp);
}

static void
vpc(FILE *fp, const struct r53_zone_info *z)
{
	fputs("<VPC>", fp);
	el(fp, "VPCRegion", z->vpc_region);
	el(fp, "VPCId", z->vpc_id);
	fputs("</VPC>", fp);
}

/* Public zones get a delegation set; ours are served by linkshim only. */
static void
delegation_set(FILE *fp)
{
	fputs("<DelegationSet><NameServers><NameServer>ns.linkshim.invalid"
	      "</NameServer></NameServers></DelegationSet>",
	    fp);
}

static bool
has_vpc(const struct r53_zone_info *z)
{
	return z->vpc_id != NULL && z->vpc_id[0] != '\0';
}

char *
r53_xml_create_zone(const struct r53_zone_info *z,
    const struct r53_change_info *ci, size_t *len)
{
	const char *root = "CreateHostedZoneResponse";
	char *buf;
	FILE *fp;

	if ((fp = doc_open(&buf, len, root)) == NULL)
		return NULL;
	hosted_zone(fp, z);
	change_info(fp, ci);
	if (has_vpc(z))
		vpc(fp, z);
	else
		delegation_set(fp);
	return doc_close(fp, &buf, root);
}

char *
r53_xml_get_zone(const struct r53_zone_info *z, size_t *len)
{
	const char *root = "GetHostedZoneResponse";
	char *buf;
	FILE *fp;

	if ((fp = doc_open(&buf, len, root)) == NULL)
		return NULL;
	hosted_zone(fp, z);
	if (has_vpc(z)) {
		fputs("<VPCs>", fp);
		vpc(fp, z);
		fputs("</VPCs>", fp);
	} else
		delegation_set(fp);
	return doc_close(fp, &buf, root);
}

char *
r53_xml_list_zones(const struct r53_zone_info *zones, size_t n,
    const char *marker, const char *next_marker, unsigned maxitems, size_t *len)
{
	const char *root = "ListHostedZonesResponse";
	char *buf;
	FILE *fp;
	size_t i;

	if ((fp = doc_open(&buf, len, root)) == NULL)
		return NULL;
	fputs("<HostedZones>", fp);
	for (i = 0; i < n; i++)
		hosted_zone(fp, &zones[i]);
	fputs("</HostedZones>", fp);
	if (marker != NULL && marker[0] != '\0')
		el(fp, "Marker", marker);
	el(fp, "IsTruncated", next_marker != NULL ? "true" : "false");
	if (next_marker != NULL)
		el(fp, "NextMarker", next_marker);
	fprintf(fp, "<MaxItems>%u</MaxItems>", maxitems);
	return doc_close(fp, &buf, root);
}

char *
r53_xml_list_zones_by_name(const struct r53_zone_info *zones, size_t n,
    const char *dnsname, const char *hzid, const struct r53_zone_info *next,
    unsigned maxitems, size_t *len)
{
	const char *root = "ListHostedZonesByNameResponse";
	char *buf;
	FILE *fp;
	size_t i;

	if ((fp = doc_open(&buf, len, root)) == NULL)
		return NULL;
	fputs("<HostedZones>", fp);
	for (i = 0; i < n; i++)
		hosted_zone(fp, &zones[i]);
	fputs("</HostedZones>", fp);
	if (dnsname != NULL && dnsname[0] != '\0')
		el(fp, "DNSName", dnsname);
	if (hzid != NULL && hzid[0] != '\0')
		el(fp, "HostedZoneId", hzid);
	el(fp, "IsTruncated", next != NULL ? "true" : "false");
	if (next != NULL) {
		el(fp, "NextDNSName", next->name);
		el(fp, "NextHostedZoneId", next->id);
	}
	fprintf(fp, "<MaxItems>%u</MaxItems>", maxitems);
	return doc_close(fp, &buf, root);
}

static void
rrset(FILE *fp, const struct conf_rrset *rr, const char *alias_zone_id)
{
	size_t i;

	fputs("<ResourceRecordSet>", fp);
	el(fp, "Name", rr->name);
	el(fp, "Type", linkstore_type_str(rr->type));
	if (rr->alias[0] != '\0') {
		fputs("<AliasTarget>", fp);
		el(fp, "HostedZoneId", alias_zone_id);
		el(fp, "DNSName", rr->alias);
		el(fp, "EvaluateTargetHealth", "false");
		fputs("</AliasTarget>", fp);
	} else {
		fprintf(fp, "<TTL>%u</TTL><ResourceRecords>", rr->ttl);
		for (i = 0; i < rr->nvalues; i++) {
			fputs("<ResourceRecord>", fp);
			el(fp, "Value", rr->values[i]);
			fputs("</ResourceRecord>", fp);
		}
		fputs("</ResourceRecords>", fp);
	}
	fputs("</ResourceRecordSet>", fp);
}

char *
r53_xml_list_rrsets(const struct conf_rrset *rrsets,
    const char *const *alias_zone_ids, size_t n, const struct conf_rrset *next,
    unsigned maxitems, size_t *len)
{
	const char *root = "ListResourceRecordSetsResponse";
	char *buf;
	FILE *fp;
	size_t i;

	if ((fp = doc_open(&buf, len, root)) == NULL)
		return NULL;
	fputs("<ResourceRecordSets>", fp);
	for (i = 0; i < n; i++)
		rrset(fp, &rrsets[i],
		    alias_zone_ids != NULL ? alias_zone_ids[i] : "");
	fputs("</ResourceRecordSets>", fp);
	el(fp, "IsTruncated", next != NULL ? "true" : "false");
	if (next != NULL) {
		el(fp, "NextRecordName", next->name);
		el(fp, "NextRecordType", linkstore_type_str(next->type));
	}
	fprintf(fp, "<MaxItems>%u</MaxItems>", maxitems);
	return doc_close(fp, &buf, root);
}

char *
r53_xml_change_info(
    const char *root, const struct r53_change_info *ci, size_t *len)
{
	char *buf;
	FILE *fp;

	if ((fp = doc_open(&buf, len, root)) == NULL)
		return NULL;
	change_info(fp, ci);
	return doc_close(fp, &buf, root);
}

char *
r53_xml_error(
    const char *code, const char *message, const char *request_id, size_t *len)
{
	const char *root = "ErrorResponse";
	char *buf;
	FILE *fp;

	if ((fp = doc_open(&buf, len, root)) == NULL)
		return NULL;
	fputs("<Error><Type>Sender</Type>", fp);
	el(fp, "Code", code);
	el(fp, "Message", message);
	fputs("</Error>", fp);
	el(fp, "RequestId", request_id);
	return doc_close(fp, &buf, root);
}

char *
r53_xml_invalid_change_batch(
    const struct errbuf *msgs, size_t n, const char *request_id, size_t *len)
{
	const char *root = "InvalidChangeBatch";
	char *buf;
	FILE *fp;
	size_t i;

	if ((fp = doc_open(&buf, len, root)) == NULL)
		return NULL;
	fputs("<Messages>", fp);
	for (i = 0; i < n; i++)
		el(fp, "Message", msgs[i].msg);
	fputs("</Messages>", fp);
	el(fp, "RequestId", request_id);
	return doc_close(fp, &buf, root);
}
