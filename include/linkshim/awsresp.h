/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * awsresp: the shapes linkshimctl reads from AWS responses, extracted
 * from XML (xmltree) into fixed-size structs: EC2 VPC endpoints and
 * endpoint services (Query protocol, <item> lists, any element order),
 * Route 53 hosted zones, change info and record sets (REST-XML), and the
 * three error shapes (EC2 <Response><Errors>, Route 53 <ErrorResponse>,
 * Route 53 <InvalidChangeBatch><Messages>) folded into one struct.
 * Wire facts: reference/cloud-apis.md §2.3-2.5 and §3.5-3.6.  Pure
 * parsers: untrusted input, err filled, never logs.  Values longer than
 * a field are an error, not silently truncated.
 */
#ifndef LINKSHIM_AWSRESP_H
#define LINKSHIM_AWSRESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/errbuf.h"

#define AWSRESP_NAME_MAX 256
#define AWSRESP_ID_MAX 128
#define AWSRESP_MAX_DNS 16
#define AWSRESP_MAX_LIST 16
#define AWSRESP_MAX_VALUES 32

struct awsresp_dns_entry {
	char dns_name[AWSRESP_NAME_MAX];
	char hosted_zone_id[AWSRESP_ID_MAX];
};

/* One VPC endpoint (EC2 VpcEndpoint shape, the fields we use). */
struct awsresp_vpce {
	char id[AWSRESP_ID_MAX]; /* vpce-… */
	char type[32];           /* Interface, Gateway, … */
	char vpc_id[AWSRESP_ID_MAX];
	char service_name[AWSRESP_NAME_MAX];
	char state[32];           /* as on the wire (lower camel) */
	char ip_address_type[16]; /* ipv4, dualstack, ipv6, "" */
	bool private_dns_enabled;
	struct awsresp_dns_entry dns[AWSRESP_MAX_DNS]; /* [0] is regional */
	size_t ndns;
	char subnets[AWSRESP_MAX_LIST][AWSRESP_ID_MAX];
	size_t nsubnets;
	char groups[AWSRESP_MAX_LIST][AWSRESP_ID_MAX];
	size_t ngroups;
	char last_error[256]; /* lastError/message, or failureReason */
};

/* One endpoint service (DescribeVpcEndpointServices serviceDetailSet). */
struct awsresp_vpce_service {
	char name[AWSRESP_NAME_MAX];
	char id[AWSRESP_ID_MAX];
	char azs[AWSRESP_MAX_LIST][32];
	size_t nazs;
	bool acceptance_required;
};

/* A Route 53 hosted zone; id without the "/hostedzone/" prefix. */
struct awsresp_zone {
	char id[AWSRESP_ID_MAX];
	char name[AWSRESP_NAME_MAX]; /* as returned, with trailing dot */
	char caller_reference[AWSRESP_ID_MAX];
	bool private_zone;
	long record_count; /* -1 when absent */
};

struct awsresp_vpc {
	char region[32];
	char id[AWSRESP_ID_MAX];
};

/* ChangeInfo; id without the "/change/" prefix. */
struct awsresp_change {
	char id[AWSRESP_ID_MAX];
	char status[16]; /* PENDING or INSYNC */
};

/* A Route 53 record set: plain values or an alias target. */
struct awsresp_rrset {
	char name[AWSRESP_NAME_MAX];
	char type[16];
	long ttl; /* -1 when absent (alias) */
	char values[AWSRESP_MAX_VALUES][AWSRESP_NAME_MAX];
	size_t nvalues;
	char alias_zone_id[AWSRESP_ID_MAX]; /* "" when not an alias */
	char alias_dns_name[AWSRESP_NAME_MAX];
	bool alias_evaluate_health;
};

/* One readable error from any AWS error body. */
struct awsresp_error {
	char code[64];     /* "InvalidChangeBatch", "Throttling", … */
	char message[512]; /* messages joined with "; " */
	char request_id[AWSRESP_ID_MAX];
};

/* DescribeVpcEndpoints.  On success sets *out to a new array of *n
 * endpoints (caller frees with free()), copies nextToken ("" when done)
 * to next_token and returns 0. */
int awsresp_ec2_vpces(const char *buf, size_t len, struct awsresp_vpce **out,
    size_t *n, char *next_token, size_t next_len, struct errbuf *err);

/* CreateVpcEndpoint: the single <vpcEndpoint> into *out. */
int awsresp_ec2_create_vpce(
    const char *buf, size_t len, struct awsresp_vpce *out, struct errbuf *err);

/* DescribeVpcEndpointServices: serviceDetailSet into a new array (caller
 * frees with free()). */
int awsresp_ec2_services(const char *buf, size_t len,
    struct awsresp_vpce_service **out, size_t *n, struct errbuf *err);

/* ListHostedZones / ListHostedZonesByName: HostedZones into a new array
 * (caller frees with free()); *truncated from IsTruncated (false when
 * absent, as moto omits it); next_name/next_id from NextDNSName/
 * NextHostedZoneId (or NextMarker), "" when absent. */
int awsresp_r53_zones(const char *buf, size_t len, struct awsresp_zone **out,
    size_t *n, bool *truncated, char *next_name, size_t next_name_len,
    char *next_id, size_t next_id_len, struct errbuf *err);

/* GetHostedZone / CreateHostedZone: HostedZone into *zone and the VPCs
 * (GetHostedZone VPCs/VPC*, CreateHostedZone VPC) into a new array (caller
 * frees with free(); may be NULL with *nvpcs 0).  change may be NULL; when
 * given it receives ChangeInfo (empty id when absent). */
int awsresp_r53_zone(const char *buf, size_t len, struct awsresp_zone *zone,
    struct awsresp_vpc **vpcs, size_t *nvpcs, struct awsresp_change *change,
    struct errbuf *err);

/* ChangeResourceRecordSets / GetChange / DeleteHostedZone: ChangeInfo. */
int awsresp_r53_change(const char *buf, size_t len, struct awsresp_change *out,
    struct errbuf *err);

/* ListResourceRecordSets into a new array (caller frees with free()). */
int awsresp_r53_rrsets(const char *buf, size_t len, struct awsresp_rrset **out,
    size_t *n, bool *truncated, struct errbuf *err);

/* Any AWS error body into *out.  Returns 0 when one of the three shapes
 * was recognised, -1 otherwise (out then holds a generic message taken
 * from http_status).  Never fails on garbage. */
int awsresp_error(
    const char *buf, size_t len, int http_status, struct awsresp_error *out);

/* Whether a failed call is worth retrying with back-off: HTTP 5xx, 429,
 * or the codes Throttling, ThrottlingException, PriorRequestNotComplete,
 * RequestLimitExceeded, RequestThrottled, ServiceUnavailable,
 * InternalError. */
bool awsresp_is_retryable(int http_status, const char *code);

/* The VPC endpoint id ("vpce-0123…") that starts an endpoint DNS name,
 * into id.  0 ok, -1 when dns_name does not start with one. */
int awsresp_vpce_id_of(const char *dns_name, char *id, size_t idlen);

/* The availability zone of a zonal endpoint DNS name, given the regional
 * one: "vpce-1-abc-us-west-2a.vpce-svc-…" with regional "vpce-1-abc.…"
 * -> "us-west-2a"; "" when zonal is not a zonal form of regional. */
void awsresp_zonal_az(
    const char *regional, const char *zonal, char *az, size_t azlen);

/* Strip a "/hostedzone/" or "/change/" prefix in place. */
void awsresp_strip_id(char *id);

#endif
