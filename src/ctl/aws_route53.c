/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * aws_route53: the Route 53 REST-XML operations of route53-sync:
 * ListHostedZonesByName (not an exact lookup: names are compared here,
 * PrivateZone and the VPC association checked with GetHostedZone),
 * CreateHostedZone (private, with VPC, idempotent CallerReference),
 * ListResourceRecordSets, ChangeResourceRecordSets (UPSERT alias A/AAAA)
 * and GetChange.  Request bodies follow the model's element order
 * (reference/cloud-apis.md §3.4); ids are sent without their
 * /hostedzone/ and /change/ prefixes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ctl/ctl.h"
#include "linkshim/sigv4.h"

#define R53_NS "https://route53.amazonaws.com/doc/2013-04-01/"

/* Compare DNS names case-insensitively, ignoring one trailing dot. */
static bool
name_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static int
r53_get(struct aws_ctx *aws, const char *path, const char *query,
    struct http_resp *resp, struct errbuf *err)
{
	return aws_call(
	    aws, AWS_ROUTE53, "GET", path, query, NULL, resp, NULL, 0, err);
}

/* Whether GetHostedZone lists vpc_id among the zone's VPCs. */
static int
zone_has_vpc(struct aws_ctx *aws, const char *zone_id, const char *vpc_id,
    bool *has, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct awsresp_zone z;
	struct awsresp_vpc *v = NULL;
	char path[256];
	size_t n = 0, i;
	int rc = -1;

	snprintf(path, sizeof(path), "/2013-04-01/hostedzone/%s", zone_id);
	if (r53_get(aws, path, NULL, &resp, err) == -1 ||
	    awsresp_r53_zone(
	        resp.body.s, resp.body.len, &z, &v, &n, NULL, err) == -1)
		goto done;
	*has = false;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].id, vpc_id) == 0)
			*has = true;
	rc = 0;
done:
	free(v);
	http_resp_clear(&resp);
	return rc;
}

/* Check one page of zones for a private zone named name with vpc_id.
 * *past is set once the listing went beyond name. */
static int
scan_zones(struct aws_ctx *aws, const struct awsresp_zone *z, size_t n,
    const char *name, const char *vpc_id, struct awsresp_zone *out, bool *found,
    bool *past, struct errbuf *err)
{
	size_t i;
	bool has;

	for (i = 0; i < n && !*found; i++) {
		if (!name_eq(z[i].name, name)) {
			*past = true;
			continue;
		}
		if (!z[i].private_zone)
			continue;
		if (zone_has_vpc(aws, z[i].id, vpc_id, &has, err) == -1)
			return -1;
		if (has) {
			*out = z[i];
			*found = true;
		}
	}
	return 0;
}

int
r53_find_private_zone(struct aws_ctx *aws, const char *name, const char *vpc_id,
    struct awsresp_zone *out, bool *found, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct awsresp_zone *z = NULL;
	struct strbuf q = {0};
	char nn[256], ni[128] = "";
	char *e = sigv4_uri_encode(name, strlen(name), false);
	bool tr = false, past = false;
	size_t n = 0, pages = 0;
	int rc = -1;

	*found = false;
	strlcpy(nn, name, sizeof(nn));
	do {
		strbuf_reset(&q);
		free(e);
		e = sigv4_uri_encode(nn, strlen(nn), false);
		strbuf_printf(&q, "dnsname=%s", e ? e : "");
		if (ni[0] != '\0')
			strbuf_printf(&q, "&hostedzoneid=%s", ni);
		strbuf_str(&q, "&maxitems=100");
		free(z);
		z = NULL;
		if (r53_get(aws, "/2013-04-01/hostedzonesbyname",
		        strbuf_cstr(&q), &resp, err) == -1 ||
		    awsresp_r53_zones(resp.body.s, resp.body.len, &z, &n, &tr,
		        nn, sizeof(nn), ni, sizeof(ni), err) == -1 ||
		    scan_zones(
		        aws, z, n, name, vpc_id, out, found, &past, err) == -1)
			goto done;
	} while (!*found && tr && !past && nn[0] != '\0' && ++pages < 20);
	rc = 0;
done:
	free(e);
	free(z);
	strbuf_free(&q);
	http_resp_clear(&resp);
	return rc;
}

int
r53_create_private_zone(struct aws_ctx *aws, const char *name,
    const char *vpc_id, const char *vpc_region, const char *caller_ref,
    struct awsresp_zone *zone, struct awsresp_change *change,
    struct errbuf *err)
{
	struct http_resp resp = {0};
	struct strbuf b = {0};
	struct awsresp_vpc *v = NULL;
	size_t n = 0;
	int rc = -1;

	/* model order: Name, VPC{VPCRegion, VPCId}, CallerReference,
	 * HostedZoneConfig{Comment, PrivateZone} */
	strbuf_str(&b, "<CreateHostedZoneRequest xmlns=\"" R53_NS "\"><Name>");
	strbuf_xml(&b, name);
	strbuf_str(&b, "</Name><VPC><VPCRegion>");
	strbuf_xml(&b, vpc_region);
	strbuf_str(&b, "</VPCRegion><VPCId>");
	strbuf_xml(&b, vpc_id);
	strbuf_str(&b, "</VPCId></VPC><CallerReference>");
	strbuf_xml(&b, caller_ref);
	strbuf_str(&b,
	    "</CallerReference><HostedZoneConfig><Comment>linkshim "
	    "private link</Comment><PrivateZone>true</PrivateZone>"
	    "</HostedZoneConfig></CreateHostedZoneRequest>");
	if (b.oom) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	if (aws_call(aws, AWS_ROUTE53, "POST", "/2013-04-01/hostedzone", NULL,
	        strbuf_cstr(&b), &resp, NULL, 0, err) == -1 ||
	    awsresp_r53_zone(
	        resp.body.s, resp.body.len, zone, &v, &n, change, err) == -1)
		goto done;
	rc = 0;
done:
	free(v);
	strbuf_free(&b);
	http_resp_clear(&resp);
	return rc;
}

int
r53_list_rrsets(struct aws_ctx *aws, const char *zone_id, const char *name,
    struct awsresp_rrset **out, size_t *n, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct awsresp_rrset *r = NULL;
	char path[256], *e = sigv4_uri_encode(name, strlen(name), false);
	struct strbuf q = {0};
	size_t cnt = 0, i, k = 0;
	bool tr;
	int rc = -1;

	snprintf(
	    path, sizeof(path), "/2013-04-01/hostedzone/%s/rrset", zone_id);
	strbuf_printf(&q, "name=%s&maxitems=100", e ? e : "");
	if (r53_get(aws, path, strbuf_cstr(&q), &resp, err) == -1 ||
	    awsresp_r53_rrsets(
	        resp.body.s, resp.body.len, &r, &cnt, &tr, err) == -1)
		goto done;
	for (i = 0; i < cnt; i++) /* keep the sets named exactly name */
		if (name_eq(r[i].name, name))
			r[k++] = r[i];
	*out = r;
	*n = k;
	r = NULL;
	rc = 0;
done:
	free(e);
	free(r);
	strbuf_free(&q);
	http_resp_clear(&resp);
	return rc;
}

static void
alias_change(struct strbuf *b, const char *type, const char *name,
    const char *dns_name, const char *alias_zone)
{
	/* ResourceRecordSet model order: Name, Type, …, AliasTarget;
	 * AliasTarget: HostedZoneId, DNSName, EvaluateTargetHealth (false:
	 * Route 53 cannot health-check a private VPC endpoint alias) */
	strbuf_str(b,
	    "<Change><Action>UPSERT</Action><ResourceRecordSet>"
	    "<Name>");
	strbuf_xml(b, name);
	strbuf_printf(
	    b, "</Name><Type>%s</Type><AliasTarget><HostedZoneId>", type);
	strbuf_xml(b, alias_zone);
	strbuf_str(b, "</HostedZoneId><DNSName>");
	strbuf_xml(b, dns_name);
	strbuf_str(b,
	    "</DNSName><EvaluateTargetHealth>false"
	    "</EvaluateTargetHealth></AliasTarget>"
	    "</ResourceRecordSet></Change>");
}

int
r53_upsert_alias(struct aws_ctx *aws, const char *zone_id, const char *name,
    const char *dns_name, const char *alias_zone, bool aaaa,
    struct awsresp_change *change, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct strbuf b = {0};
	char path[256];
	int rc = -1;

	strbuf_str(&b,
	    "<ChangeResourceRecordSetsRequest xmlns=\"" R53_NS
	    "\"><ChangeBatch><Comment>linkshimctl route53-sync"
	    "</Comment><Changes>");
	alias_change(&b, "A", name, dns_name, alias_zone);
	if (aaaa)
		alias_change(&b, "AAAA", name, dns_name, alias_zone);
	strbuf_str(&b,
	    "</Changes></ChangeBatch>"
	    "</ChangeResourceRecordSetsRequest>");
	snprintf(
	    path, sizeof(path), "/2013-04-01/hostedzone/%s/rrset/", zone_id);
	if (b.oom) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	if (aws_call(aws, AWS_ROUTE53, "POST", path, NULL, strbuf_cstr(&b),
	        &resp, NULL, 0, err) == -1 ||
	    awsresp_r53_change(resp.body.s, resp.body.len, change, err) == -1)
		goto done;
	rc = 0;
done:
	strbuf_free(&b);
	http_resp_clear(&resp);
	return rc;
}

int
r53_wait_insync(struct aws_ctx *aws, const char *change_id, long poll_ms,
    long max_ms, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct awsresp_change c;
	char path[256];
	long waited = 0;
	int rc = -1;

	snprintf(path, sizeof(path), "/2013-04-01/change/%s", change_id);
	for (;;) {
		if (r53_get(aws, path, NULL, &resp, err) == -1 ||
		    awsresp_r53_change(resp.body.s, resp.body.len, &c, err) ==
		        -1)
			break;
		if (strcmp(c.status, "INSYNC") == 0) {
			rc = 0;
			break;
		}
		if (waited >= max_ms) {
			errbuf_set(err,
			    "change %s still %s after %lds (it "
			    "will complete on its own; re-run to "
			    "check)",
			    change_id, c.status, waited / 1000);
			break;
		}
		ctl_sleep_ms(poll_ms);
		waited += poll_ms;
	}
	http_resp_clear(&resp);
	return rc;
}
