/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * aws_ec2: the EC2 Query operations linkshimctl uses, with form bodies
 * in the botocore model's member order (Action, Version, then the input
 * shape's members in order; lists 1-based "Name.N", filters
 * "Filter.N.Name"/"Filter.N.Value.M"; booleans true/false), and replies
 * parsed by awsresp.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"

#define EC2_VERSION "2016-11-15"

static void
form(struct strbuf *b, const char *key, const char *val)
{
	if (b->len > 0)
		strbuf_add(b, "&", 1);
	strbuf_form(b, key);
	strbuf_add(b, "=", 1);
	strbuf_form(b, val);
}

static void
form_begin(struct strbuf *b, const char *action)
{
	form(b, "Action", action);
	form(b, "Version", EC2_VERSION);
}

static int
ec2_post(struct aws_ctx *aws, struct strbuf *body, struct http_resp *resp,
    struct errbuf *err)
{
	if (body->oom)
		return errbuf_set(err, "out of memory");
	return aws_call(aws, AWS_EC2, "POST", "/", NULL, strbuf_cstr(body),
	    resp, NULL, 0, err);
}

int
ec2_describe_vpce(struct aws_ctx *aws, const char *id, struct awsresp_vpce *out,
    struct errbuf *err)
{
	struct http_resp resp = {0};
	struct strbuf body = {0};
	struct awsresp_vpce *v = NULL;
	char next[1024];
	size_t n = 0;
	int rc = -1;

	form_begin(&body, "DescribeVpcEndpoints");
	form(&body, "VpcEndpointId.1", id);
	if (ec2_post(aws, &body, &resp, err) == -1)
		goto done;
	if (awsresp_ec2_vpces(resp.body.s, resp.body.len, &v, &n, next,
	        sizeof(next), err) == -1)
		goto done;
	if (n != 1 || strcmp(v[0].id, id) != 0) {
		errbuf_set(err,
		    "InvalidVpcEndpointId.NotFound: the VPC "
		    "endpoint %s does not exist",
		    id);
		goto done;
	}
	*out = v[0];
	rc = 0;
done:
	free(v);
	strbuf_free(&body);
	http_resp_clear(&resp);
	return rc;
}

int
ec2_find_vpces(struct aws_ctx *aws, const char *vpc_id,
    const char *service_name, struct awsresp_vpce **out, size_t *n,
    struct errbuf *err)
{
	struct http_resp resp = {0};
	struct strbuf body = {0};
	struct awsresp_vpce *all = NULL, *v = NULL, *na;
	char next[1024] = "";
	size_t cnt = 0, k, pages = 0;
	int rc = -1;

	do {
		strbuf_reset(&body);
		form_begin(&body, "DescribeVpcEndpoints");
		form(&body, "Filter.1.Name", "vpc-id");
		form(&body, "Filter.1.Value.1", vpc_id);
		form(&body, "Filter.2.Name", "service-name");
		form(&body, "Filter.2.Value.1", service_name);
		if (next[0] != '\0')
			form(&body, "NextToken", next);
		if (ec2_post(aws, &body, &resp, err) == -1 ||
		    awsresp_ec2_vpces(resp.body.s, resp.body.len, &v, &k, next,
		        sizeof(next), err) == -1)
			goto done;
		if ((na = reallocarray(all, cnt + k + 1, sizeof(*all))) ==
		    NULL) {
			errbuf_set(err, "out of memory");
			goto done;
		}
		all = na;
		if (k > 0)
			memcpy(all + cnt, v, k * sizeof(*v));
		cnt += k;
		free(v);
		v = NULL;
	} while (next[0] != '\0' && ++pages < 100);
	*out = all;
	*n = cnt;
	all = NULL;
	rc = 0;
done:
	free(all);
	free(v);
	strbuf_free(&body);
	http_resp_clear(&resp);
	return rc;
}

int
ec2_describe_service(struct aws_ctx *aws, const char *name,
    struct awsresp_vpce_service *out, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct strbuf body = {0};
	struct awsresp_vpce_service *s = NULL;
	size_t n = 0, i;
	int rc = -1;

	form_begin(&body, "DescribeVpcEndpointServices");
	form(&body, "ServiceName.1", name);
	if (ec2_post(aws, &body, &resp, err) == -1 ||
	    awsresp_ec2_services(resp.body.s, resp.body.len, &s, &n, err) == -1)
		goto done;
	for (i = 0; i < n; i++)
		if (strcmp(s[i].name, name) == 0)
			break;
	if (i == n) {
		errbuf_set(err,
		    "InvalidServiceName: endpoint service %s not "
		    "found in region %s",
		    name, aws->region);
		goto done;
	}
	*out = s[i];
	rc = 0;
done:
	free(s);
	strbuf_free(&body);
	http_resp_clear(&resp);
	return rc;
}

int
ec2_create_vpce(struct aws_ctx *aws, const char *vpc_id,
    const char *service_name, const char *const *subnets, size_t nsubnets,
    const char *const *groups, size_t ngroups, const char *client_token,
    struct awsresp_vpce *out, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct strbuf body = {0};
	char key[64];
	size_t i;
	int rc = -1;

	/* model order: VpcEndpointType, VpcId, ServiceName, SubnetIds,
	 * SecurityGroupIds, ClientToken, PrivateDnsEnabled */
	form_begin(&body, "CreateVpcEndpoint");
	form(&body, "VpcEndpointType", "Interface");
	form(&body, "VpcId", vpc_id);
	form(&body, "ServiceName", service_name);
	for (i = 0; i < nsubnets; i++) {
		snprintf(key, sizeof(key), "SubnetId.%zu", i + 1);
		form(&body, key, subnets[i]);
	}
	for (i = 0; i < ngroups; i++) {
		snprintf(key, sizeof(key), "SecurityGroupId.%zu", i + 1);
		form(&body, key, groups[i]);
	}
	if (client_token != NULL)
		form(&body, "ClientToken", client_token);
	/* Zilliz issues its own hostname: AWS private DNS must stay off */
	form(&body, "PrivateDnsEnabled", "false");
	if (ec2_post(aws, &body, &resp, err) == -1 ||
	    awsresp_ec2_create_vpce(resp.body.s, resp.body.len, out, err) == -1)
		goto done;
	rc = 0;
done:
	strbuf_free(&body);
	http_resp_clear(&resp);
	return rc;
}
