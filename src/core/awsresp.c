/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * awsresp: EC2 and Route 53 response and error bodies into structs.
 * Parsing is by element name, never by position: AWS's own samples put
 * VpcEndpoint members in a different order than the model (cloud-apis.md
 * §2.3).  Namespaces are ignored (moto drops the EC2 trailing slash).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "linkshim/awsresp.h"
#include "linkshim/xmltree.h"

#define CP(dst, src, what)                                                     \
	do {                                                                   \
		if (copy((dst), sizeof(dst), (src), (what), err) == -1)        \
			goto fail;                                             \
	} while (0)

static int
copy(char *dst, size_t len, const char *src, const char *what,
    struct errbuf *err)
{
	if (strlcpy(dst, src != NULL ? src : "", len) >= len)
		return errbuf_set(err, "aws: %s too long", what);
	return 0;
}

void
awsresp_strip_id(char *id)
{
	static const char *pfx[] = {
	    "/hostedzone/", "/change/", "/delegationset/"};
	size_t i, l;

	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		l = strlen(pfx[i]);
		if (strncmp(id, pfx[i], l) == 0) {
			memmove(id, id + l, strlen(id + l) + 1);
			return;
		}
	}
}

static int
parse_root(const char *buf, size_t len, const char *want, struct xmlnode **root,
    struct errbuf *err)
{
	if (xmltree_parse(buf, len, root, err) == -1)
		return -1;
	if (want != NULL && strcmp((*root)->name, want) != 0) {
		errbuf_set(
		    err, "aws: expected <%s>, got <%s>", want, (*root)->name);
		xmltree_free(*root);
		*root = NULL;
		return -1;
	}
	return 0;
}

/* Append the <item> texts (or item/field) of set into list. */
static int
item_list(const struct xmlnode *set, const char *field,
    char list[][AWSRESP_ID_MAX], size_t max, size_t *n, struct errbuf *err)
{
	const struct xmlnode *it;

	*n = 0;
	for (it = xmltree_child(set, "item"); it != NULL;
	     it = xmltree_next(it)) {
		if (*n == max)
			return errbuf_set(err, "aws: more than %zu items", max);
		if (copy(list[*n], AWSRESP_ID_MAX,
		        field ? xmltree_text(it, field, "") : it->text, "item",
		        err) == -1)
			return -1;
		(*n)++;
	}
	return 0;
}

static int
vpce_from(const struct xmlnode *x, struct awsresp_vpce *v, struct errbuf *err)
{
	const struct xmlnode *it;

	memset(v, 0, sizeof(*v));
	CP(v->id, xmltree_text(x, "vpcEndpointId", ""), "vpcEndpointId");
	CP(v->type, xmltree_text(x, "vpcEndpointType", ""), "vpcEndpointType");
	CP(v->vpc_id, xmltree_text(x, "vpcId", ""), "vpcId");
	CP(v->service_name, xmltree_text(x, "serviceName", ""), "serviceName");
	CP(v->state, xmltree_text(x, "state", ""), "state");
	CP(v->ip_address_type, xmltree_text(x, "ipAddressType", ""),
	    "ipAddressType");
	v->private_dns_enabled =
	    strcasecmp(xmltree_text(x, "privateDnsEnabled", ""), "true") == 0;
	it = xmltree_child(xmltree_child(x, "dnsEntrySet"), "item");
	for (; it != NULL; it = xmltree_next(it)) {
		if (v->ndns == AWSRESP_MAX_DNS)
			return errbuf_set(
			    err, "aws: too many dnsEntrySet items");
		CP(v->dns[v->ndns].dns_name, xmltree_text(it, "dnsName", ""),
		    "dnsName");
		CP(v->dns[v->ndns].hosted_zone_id,
		    xmltree_text(it, "hostedZoneId", ""), "hostedZoneId");
		v->ndns++;
	}
	if (item_list(xmltree_child(x, "subnetIdSet"), NULL, v->subnets,
	        AWSRESP_MAX_LIST, &v->nsubnets, err) == -1 ||
	    item_list(xmltree_child(x, "groupSet"), "groupId", v->groups,
	        AWSRESP_MAX_LIST, &v->ngroups, err) == -1)
		return -1;
	CP(v->last_error,
	    xmltree_text(
	        x, "lastError/message", xmltree_text(x, "failureReason", "")),
	    "lastError");
	if (v->id[0] == '\0')
		return errbuf_set(
		    err, "aws: VPC endpoint without vpcEndpointId");
	return 0;
fail:
	return -1;
}

int
awsresp_ec2_vpces(const char *buf, size_t len, struct awsresp_vpce **out,
    size_t *n, char *next_token, size_t next_len, struct errbuf *err)
{
	struct xmlnode *root = NULL;
	const struct xmlnode *it;
	struct awsresp_vpce *v = NULL, *nv;
	size_t cnt = 0;
	int rc = -1;

	if (parse_root(buf, len, "DescribeVpcEndpointsResponse", &root, err))
		return -1;
	it = xmltree_child(xmltree_child(root, "vpcEndpointSet"), "item");
	for (; it != NULL; it = xmltree_next(it)) {
		if ((nv = reallocarray(v, cnt + 1, sizeof(*v))) == NULL) {
			errbuf_set(err, "aws: out of memory");
			goto fail;
		}
		v = nv;
		if (vpce_from(it, &v[cnt], err) == -1)
			goto fail;
		cnt++;
	}
	if (copy(next_token, next_len, xmltree_text(root, "nextToken", ""),
	        "nextToken", err) == -1)
		goto fail;
	*out = v;
	*n = cnt;
	v = NULL;
	rc = 0;
fail:
	free(v);
	xmltree_free(root);
	return rc;
}

int
awsresp_ec2_create_vpce(
    const char *buf, size_t len, struct awsresp_vpce *out, struct errbuf *err)
{
	struct xmlnode *root = NULL;
	const struct xmlnode *x;
	struct awsresp_vpce v;
	int rc = -1;

	if (parse_root(buf, len, "CreateVpcEndpointResponse", &root, err))
		return -1;
	if ((x = xmltree_child(root, "vpcEndpoint")) == NULL) {
		errbuf_set(err,
		    "aws: CreateVpcEndpoint reply without "
		    "<vpcEndpoint>");
		goto fail;
	}
	if (vpce_from(x, &v, err) == -1)
		goto fail;
	*out = v;
	rc = 0;
fail:
	xmltree_free(root);
	return rc;
}

static int
service_from(
    const struct xmlnode *x, struct awsresp_vpce_service *s, struct errbuf *err)
{
	const struct xmlnode *it;

	memset(s, 0, sizeof(*s));
	CP(s->name, xmltree_text(x, "serviceName", ""), "serviceName");
	CP(s->id, xmltree_text(x, "serviceId", ""), "serviceId");
	s->acceptance_required =
	    strcasecmp(xmltree_text(x, "acceptanceRequired", ""), "true") == 0;
	it = xmltree_child(xmltree_child(x, "availabilityZoneSet"), "item");
	for (; it != NULL; it = xmltree_next(it)) {
		if (s->nazs == AWSRESP_MAX_LIST)
			return errbuf_set(err, "aws: too many zones");
		CP(s->azs[s->nazs], it->text, "availabilityZone");
		s->nazs++;
	}
	return 0;
fail:
	return -1;
}

int
awsresp_ec2_services(const char *buf, size_t len,
    struct awsresp_vpce_service **out, size_t *n, struct errbuf *err)
{
	struct xmlnode *root = NULL;
	const struct xmlnode *it;
	struct awsresp_vpce_service *s = NULL, *ns;
	size_t cnt = 0;
	int rc = -1;

	if (parse_root(
	        buf, len, "DescribeVpcEndpointServicesResponse", &root, err))
		return -1;
	it = xmltree_child(xmltree_child(root, "serviceDetailSet"), "item");
	for (; it != NULL; it = xmltree_next(it)) {
		if ((ns = reallocarray(s, cnt + 1, sizeof(*s))) == NULL) {
			errbuf_set(err, "aws: out of memory");
			goto fail;
		}
		s = ns;
		if (service_from(it, &s[cnt], err) == -1)
			goto fail;
		cnt++;
	}
	*out = s;
	*n = cnt;
	s = NULL;
	rc = 0;
fail:
	free(s);
	xmltree_free(root);
	return rc;
}

static int
zone_from(const struct xmlnode *x, struct awsresp_zone *z, struct errbuf *err)
{
	const char *rc;

	memset(z, 0, sizeof(*z));
	CP(z->id, xmltree_text(x, "Id", ""), "HostedZone Id");
	awsresp_strip_id(z->id);
	CP(z->name, xmltree_text(x, "Name", ""), "HostedZone Name");
	CP(z->caller_reference, xmltree_text(x, "CallerReference", ""),
	    "CallerReference");
	z->private_zone =
	    strcasecmp(xmltree_text(x, "Config/PrivateZone", ""), "true") == 0;
	rc = xmltree_text(x, "ResourceRecordSetCount", NULL);
	z->record_count = rc != NULL ? strtol(rc, NULL, 10) : -1;
	if (z->id[0] == '\0' || z->name[0] == '\0')
		return errbuf_set(err, "aws: HostedZone without Id or Name");
	return 0;
fail:
	return -1;
}

int
awsresp_r53_zones(const char *buf, size_t len, struct awsresp_zone **out,
    size_t *n, bool *truncated, char *next_name, size_t next_name_len,
    char *next_id, size_t next_id_len, struct errbuf *err)
{
	struct xmlnode *root = NULL;
	const struct xmlnode *it;
	struct awsresp_zone *z = NULL, *nz;
	size_t cnt = 0;
	int rc = -1;

	if (parse_root(buf, len, NULL, &root, err) == -1)
		return -1;
	if (strcmp(root->name, "ListHostedZonesByNameResponse") != 0 &&
	    strcmp(root->name, "ListHostedZonesResponse") != 0) {
		errbuf_set(err, "aws: unexpected <%s>", root->name);
		goto fail;
	}
	it = xmltree_child(xmltree_child(root, "HostedZones"), "HostedZone");
	for (; it != NULL; it = xmltree_next(it)) {
		if ((nz = reallocarray(z, cnt + 1, sizeof(*z))) == NULL) {
			errbuf_set(err, "aws: out of memory");
			goto fail;
		}
		z = nz;
		if (zone_from(it, &z[cnt], err) == -1)
			goto fail;
		cnt++;
	}
	*truncated =
	    strcasecmp(xmltree_text(root, "IsTruncated", ""), "true") == 0;
	if (copy(next_name, next_name_len,
	        xmltree_text(root, "NextDNSName", ""), "NextDNSName", err) ||
	    copy(next_id, next_id_len,
	        xmltree_text(root, "NextHostedZoneId",
	            xmltree_text(root, "NextMarker", "")),
	        "NextHostedZoneId", err))
		goto fail;
	*out = z;
	*n = cnt;
	z = NULL;
	rc = 0;
fail:
	free(z);
	xmltree_free(root);
	return rc;
}

static int
change_from(
    const struct xmlnode *x, struct awsresp_change *c, struct errbuf *err)
{
	memset(c, 0, sizeof(*c));
	if (x == NULL)
		return 0;
	CP(c->id, xmltree_text(x, "Id", ""), "ChangeInfo Id");
	awsresp_strip_id(c->id);
	CP(c->status, xmltree_text(x, "Status", ""), "ChangeInfo Status");
	return 0;
fail:
	return -1;
}

static int
vpcs_from(const struct xmlnode *root, struct awsresp_vpc **vpcs, size_t *n,
    struct errbuf *err)
{
	const struct xmlnode *it;
	struct awsresp_vpc *v = NULL, *nv;
	size_t cnt = 0;

	it = xmltree_child(xmltree_child(root, "VPCs"), "VPC");
	if (it == NULL)
		it = xmltree_child(root, "VPC");
	for (; it != NULL; it = xmltree_next(it)) {
		if ((nv = reallocarray(v, cnt + 1, sizeof(*v))) == NULL) {
			errbuf_set(err, "aws: out of memory");
			goto fail;
		}
		v = nv;
		memset(&v[cnt], 0, sizeof(v[cnt]));
		CP(v[cnt].region, xmltree_text(it, "VPCRegion", ""),
		    "VPCRegion");
		CP(v[cnt].id, xmltree_text(it, "VPCId", ""), "VPCId");
		cnt++;
	}
	*vpcs = v;
	*n = cnt;
	return 0;
fail:
	free(v);
	return -1;
}

int
awsresp_r53_zone(const char *buf, size_t len, struct awsresp_zone *zone,
    struct awsresp_vpc **vpcs, size_t *nvpcs, struct awsresp_change *change,
    struct errbuf *err)
{
	struct xmlnode *root = NULL;
	struct awsresp_zone z;
	struct awsresp_change c;
	int rc = -1;

	if (parse_root(buf, len, NULL, &root, err) == -1)
		return -1;
	if (strcmp(root->name, "GetHostedZoneResponse") != 0 &&
	    strcmp(root->name, "CreateHostedZoneResponse") != 0) {
		errbuf_set(err, "aws: unexpected <%s>", root->name);
		goto fail;
	}
	if (zone_from(xmltree_child(root, "HostedZone"), &z, err) == -1 ||
	    change_from(xmltree_child(root, "ChangeInfo"), &c, err) == -1 ||
	    vpcs_from(root, vpcs, nvpcs, err) == -1)
		goto fail;
	*zone = z;
	if (change != NULL)
		*change = c;
	rc = 0;
fail:
	xmltree_free(root);
	return rc;
}

int
awsresp_r53_change(
    const char *buf, size_t len, struct awsresp_change *out, struct errbuf *err)
{
	struct xmlnode *root = NULL;
	const struct xmlnode *ci;
	struct awsresp_change c;
	int rc = -1;

	if (parse_root(buf, len, NULL, &root, err) == -1)
		return -1;
	if ((ci = xmltree_child(root, "ChangeInfo")) == NULL) {
		errbuf_set(err, "aws: <%s> without ChangeInfo", root->name);
		goto fail;
	}
	if (change_from(ci, &c, err) == -1)
		goto fail;
	if (c.id[0] == '\0' || c.status[0] == '\0') {
		errbuf_set(err, "aws: ChangeInfo without Id or Status");
		goto fail;
	}
	*out = c;
	rc = 0;
fail:
	xmltree_free(root);
	return rc;
}

static int
rrset_from(const struct xmlnode *x, struct awsresp_rrset *r, struct errbuf *err)
{
	const struct xmlnode *it, *al;
	const char *ttl;

	memset(r, 0, sizeof(*r));
	CP(r->name, xmltree_text(x, "Name", ""), "record Name");
	CP(r->type, xmltree_text(x, "Type", ""), "record Type");
	ttl = xmltree_text(x, "TTL", NULL);
	r->ttl = ttl != NULL ? strtol(ttl, NULL, 10) : -1;
	it = xmltree_child(
	    xmltree_child(x, "ResourceRecords"), "ResourceRecord");
	for (; it != NULL; it = xmltree_next(it)) {
		if (r->nvalues == AWSRESP_MAX_VALUES)
			return errbuf_set(err, "aws: too many record values");
		CP(r->values[r->nvalues], xmltree_text(it, "Value", ""),
		    "record Value");
		r->nvalues++;
	}
	if ((al = xmltree_child(x, "AliasTarget")) != NULL) {
		CP(r->alias_zone_id, xmltree_text(al, "HostedZoneId", ""),
		    "AliasTarget HostedZoneId");
		CP(r->alias_dns_name, xmltree_text(al, "DNSName", ""),
		    "AliasTarget DNSName");
		r->alias_evaluate_health =
		    strcasecmp(xmltree_text(al, "EvaluateTargetHealth", ""),
		        "true") == 0;
	}
	return 0;
fail:
	return -1;
}

int
awsresp_r53_rrsets(const char *buf, size_t len, struct awsresp_rrset **out,
    size_t *n, bool *truncated, struct errbuf *err)
{
	struct xmlnode *root = NULL;
	const struct xmlnode *it;
	struct awsresp_rrset *r = NULL, *nr;
	size_t cnt = 0;
	int rc = -1;

	if (parse_root(buf, len, "ListResourceRecordSetsResponse", &root, err))
		return -1;
	it = xmltree_child(
	    xmltree_child(root, "ResourceRecordSets"), "ResourceRecordSet");
	for (; it != NULL; it = xmltree_next(it)) {
		if ((nr = reallocarray(r, cnt + 1, sizeof(*r))) == NULL) {
			errbuf_set(err, "aws: out of memory");
			goto fail;
		}
		r = nr;
		if (rrset_from(it, &r[cnt], err) == -1)
			goto fail;
		cnt++;
	}
	*truncated =
	    strcasecmp(xmltree_text(root, "IsTruncated", ""), "true") == 0;
	*out = r;
	*n = cnt;
	r = NULL;
	rc = 0;
fail:
	free(r);
	xmltree_free(root);
	return rc;
}

/* Join the <Message> children of msgs with "; " into out. */
static void
join_messages(const struct xmlnode *msgs, char *out, size_t len)
{
	const struct xmlnode *m;

	out[0] = '\0';
	for (m = xmltree_child(msgs, "Message"); m != NULL;
	     m = xmltree_next(m)) {
		if (out[0] != '\0')
			strlcat(out, "; ", len);
		strlcat(out, m->text, len);
	}
}

int
awsresp_error(
    const char *buf, size_t len, int http_status, struct awsresp_error *out)
{
	struct xmlnode *root = NULL;
	const struct xmlnode *e = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	snprintf(
	    out->message, sizeof(out->message), "HTTP status %d", http_status);
	if (buf == NULL || len == 0 || xmltree_parse(buf, len, &root, NULL))
		return -1;
	if (strcmp(root->name, "Response") == 0) /* EC2 */
		e = xmltree_path(root, "Errors/Error");
	else if (strcmp(root->name, "ErrorResponse") == 0) /* Route 53 */
		e = xmltree_child(root, "Error");
	else if (strcmp(root->name, "InvalidChangeBatch") == 0) {
		strlcpy(out->code, "InvalidChangeBatch", sizeof(out->code));
		join_messages(xmltree_child(root, "Messages"), out->message,
		    sizeof(out->message));
		if (out->message[0] == '\0')
			strlcpy(out->message,
			    xmltree_text(root, "Message",
			        "invalid change "
			        "batch"),
			    sizeof(out->message));
		rc = 0;
	}
	if (e != NULL && xmltree_text(e, "Code", "")[0] != '\0') {
		strlcpy(
		    out->code, xmltree_text(e, "Code", ""), sizeof(out->code));
		strlcpy(out->message, xmltree_text(e, "Message", ""),
		    sizeof(out->message));
		rc = 0;
	}
	strlcpy(out->request_id,
	    xmltree_text(
	        root, "RequestId", xmltree_text(root, "RequestID", "")),
	    sizeof(out->request_id));
	xmltree_free(root);
	return rc;
}

bool
awsresp_is_retryable(int http_status, const char *code)
{
	static const char *codes[] = {"Throttling", "ThrottlingException",
	    "PriorRequestNotComplete", "RequestLimitExceeded",
	    "RequestThrottled", "ServiceUnavailable", "InternalError",
	    "Unavailable"};
	size_t i;

	if (http_status >= 500 || http_status == 429)
		return true;
	for (i = 0; code != NULL && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

int
awsresp_vpce_id_of(const char *dns_name, char *id, size_t idlen)
{
	size_t l;

	if (strncmp(dns_name, "vpce-", 5) != 0)
		return -1;
	l = 5 + strspn(dns_name + 5, "0123456789abcdef");
	if (l == 5 || l >= idlen)
		return -1;
	memcpy(id, dns_name, l);
	id[l] = '\0';
	return 0;
}

void
awsresp_zonal_az(
    const char *regional, const char *zonal, char *az, size_t azlen)
{
	size_t l = strcspn(regional, ".");

	az[0] = '\0';
	if (strncmp(regional, zonal, l) == 0 && zonal[l] == '-')
		snprintf(az, azlen, "%.*s", (int)strcspn(zonal + l + 1, "."),
		    zonal + l + 1);
}
