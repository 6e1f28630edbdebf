/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * ctl.h: the internal seams of linkshimctl: the shared option context,
 * a growable string, the libcurl wrapper, the admin-API client, the AWS
 * client (credential/region/endpoint chains, SigV4, retries, EC2 and
 * Route 53 operations), the Zilliz client and the command entry points.
 * Only linkshimctl links this (with libcurl, jansson, expat, libcrypto);
 * the daemon never does.
 */
#ifndef LINKSHIM_CTL_H
#define LINKSHIM_CTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "linkshim/strbuf.h"
#include "linkshim/awsini.h"
#include "linkshim/confedit.h"
#include "linkshim/awsresp.h"
#include "linkshim/errbuf.h"
#include "linkshim/zillizapi.h"

#define CTL_DEFAULT_SOCKET "/run/linkshim/admin.sock"

/* Options every command accepts (parsed by ctl_common_opt()). */
struct ctl {
	bool json;              /* --json: machine-readable output */
	int verbose;            /* -v: request lines on stderr (no secrets) */
	const char *socket;     /* --socket PATH (admin API over unix) */
	const char *admin_url;  /* --admin-url http://127.0.0.1:8053 */
	const char *token_file; /* --token-file F (bearer token) */
	long timeout_ms;        /* --timeout SECONDS for each HTTP request */
	bool timeout_set;       /* --timeout was given */
};

/* Long options shared by every command; CTL_OPT_* are their values. */
enum {
	CTL_OPT_JSON = 1000,
	CTL_OPT_SOCKET,
	CTL_OPT_ADMIN_URL,
	CTL_OPT_TOKEN_FILE,
	CTL_OPT_TIMEOUT,
	CTL_OPT_HELP,
	CTL_OPT_FIRST_LOCAL = 1100, /* commands number theirs from here */
};
#define CTL_COMMON_LONGOPTS                                                    \
	{"json", no_argument, NULL, CTL_OPT_JSON},                             \
	    {"socket", required_argument, NULL, CTL_OPT_SOCKET},               \
	    {"admin-url", required_argument, NULL, CTL_OPT_ADMIN_URL},         \
	    {"token-file", required_argument, NULL, CTL_OPT_TOKEN_FILE},       \
	    {"timeout", required_argument, NULL, CTL_OPT_TIMEOUT},             \
	    {"verbose", no_argument, NULL, 'v'},                               \
	{                                                                      \
		"help", no_argument, NULL, 'h'                                 \
	}

/* Where progress text goes: stderr when --json owns stdout. */
#define CTL_OUT(ctl) ((ctl)->json ? stderr : stdout)

/* Handle a common option.  Returns 1 when handled, 0 when opt is not
 * common, -1 on a bad value (message printed). */
int ctl_common_opt(struct ctl *ctl, int opt, const char *arg);

/* Print "linkshimctl: " + message to stderr. */
void ctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a -v trace line to stderr when ctl->verbose. */
void ctl_trace(const struct ctl *ctl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Read a whole small file (<= 1 MiB) into a new NUL-terminated string;
 * caller frees with free().  NULL with err filled. */
char *ctl_read_file(const char *path, size_t *len, struct errbuf *err);
/* The string member key of JSON object o, or def. */
const char *ctl_jstr(json_t *o, const char *key, const char *def);
/* Sleep ms milliseconds (retry back-off, polling). */
void ctl_sleep_ms(long ms);

/* strbuf: include/linkshim/strbuf.h */

/* --- http.c: libcurl wrapper --- */
struct http_req {
	const char *method;         /* "GET", "PUT", … */
	const char *url;            /* http(s)://host[:port]/path?query */
	const char *unix_socket;    /* non-NULL: connect here instead */
	const char *const *headers; /* "Name: value" lines, nheaders */
	size_t nheaders;
	const char *body; /* may be NULL */
	size_t body_len;
	long timeout_ms;         /* whole transfer; 0 = 30 s */
	long connect_timeout_ms; /* 0 = timeout_ms */
	const char *resolve;     /* CURLOPT_RESOLVE "host:port:addr" or NULL */
	bool insecure;           /* skip TLS verification (doctor only) */
};
struct http_resp {
	long status;        /* HTTP status; 0 when no response */
	struct strbuf body; /* response body */
	int curl_code;      /* CURLcode of the transfer */
	char location[512]; /* Location header, if any */
};
/* Perform req.  0 when a response arrived (any status), -1 on a transport
 * failure (err says which: refused, timeout, TLS, …; resp->curl_code set).
 * Never logs headers or bodies. */
int http_do(const struct ctl *ctl, const struct http_req *req,
    struct http_resp *resp, struct errbuf *err);
void http_resp_clear(struct http_resp *resp);
/* Whether the last failure of resp was a timeout / refused connection. */
bool http_is_timeout(const struct http_resp *resp);
bool http_is_refused(const struct http_resp *resp);
/* Percent-encode s for a URL path segment or query value (new string). */
char *http_escape(const char *s);

/* --- admin.c: daemon admin API client and commands --- */
/* Call the admin API: method path (e.g. "/v1/links"), JSON body or NULL.
 * On a response sets *status and appends the body to out; 0.  -1 with err
 * filled on a transport failure (with a hint about --socket). */
int admin_call(const struct ctl *ctl, const char *method, const char *path,
    const char *body, long *status, struct strbuf *out, struct errbuf *err);
/* PUT /v1/links/NAME with a link object; used by aws discover --link and
 * zilliz import/connect.  0 ok, -1 with err = the daemon's message. */
int admin_put_link(const struct ctl *ctl, const char *name,
    const char *json_body, struct errbuf *err);

/* --- mapping.c: endpoint -> link, to the daemon or a config file --- */
/* PUT /v1/links/NAME with v's regional target and zonal names (mode NULL
 * = alias, ttl 0 = default); prints the result.  0 ok, -1 reported. */
int map_register(const struct ctl *ctl, const char *name,
    const struct awsresp_vpce *v, const char *mode, unsigned ttl);
/* Add/update NAME -> v in config file (confedit).  0 ok, -1 reported. */
int map_write(const struct ctl *ctl, const char *file, const char *name,
    const struct awsresp_vpce *v, unsigned ttl);

/* --- confedit.c: add or update a link in a YAML config file --- */
int confedit_write_link(
    const char *path, const struct confedit_link *link, struct errbuf *err);

/* --- aws_creds.c / aws.c: AWS context, chains, signed calls --- */
enum aws_service { AWS_EC2 = 0, AWS_ROUTE53 };

struct aws_creds {
	char access_key[128];
	char secret[256]; /* never printed or logged */
	char token[4096]; /* session token, "" for long-term keys */
	char source[256]; /* "env", "shared-credentials-file (profile x)", … */
};

struct aws_ctx {
	const struct ctl *ctl;
	char profile[128];
	bool profile_explicit; /* --profile given */
	struct aws_creds creds;
	bool have_creds;
	char region[64];
	char region_source[64];
	char endpoint[2][512]; /* per enum aws_service, no trailing slash */
	char endpoint_source[2][64];
	struct awsini *config;      /* ~/.aws/config, may be NULL */
	struct awsini *credentials; /* ~/.aws/credentials, may be NULL */
	const char *endpoint_url;   /* --endpoint-url */
	long retry_base_ms; /* back-off base (LINKSHIMCTL_RETRY_BASE_MS) */
	int max_attempts;
};

/* Options shared by the aws and zilliz commands that talk to AWS. */
struct aws_opts {
	const char *profile;      /* --profile */
	const char *region;       /* --region */
	const char *endpoint_url; /* --endpoint-url (all AWS services) */
};

/* Resolve profile, shared files, region and endpoints (credentials are
 * resolved lazily by aws_need_creds()).  0 ok, -1 with err filled. */
int aws_init(struct aws_ctx *aws, const struct ctl *ctl,
    const struct aws_opts *o, struct errbuf *err);
/* Resolve credentials through the chain (env, --profile/AWS_PROFILE
 * shared files, IMDSv2).  0 ok, -1 with err = what to set. */
int aws_need_creds(struct aws_ctx *aws, struct errbuf *err);
/* Wipe secrets and free the parsed files. */
void aws_clear(struct aws_ctx *aws);
/* IMDSv2: GET path (below /latest/) with a session token into out.
 * -1 when IMDS is disabled or unreachable. */
int aws_imds_get(struct aws_ctx *aws, const char *path, struct strbuf *out,
    struct errbuf *err);

/* A signed AWS call with retries (Throttling, PriorRequestNotComplete,
 * RequestLimitExceeded, 5xx, transport errors): path and query as on
 * the wire (query may be NULL), body may be NULL.  On a 2xx reply: 0 and
 * resp holds the body.  On an AWS error: -1 with err = "Code: Message"
 * (any of the three error shapes) and *code (if given) set. */
int aws_call(struct aws_ctx *aws, enum aws_service svc, const char *method,
    const char *path, const char *query, const char *body,
    struct http_resp *resp, char *code, size_t codelen, struct errbuf *err);

/* --- aws_ec2.c --- */
/* DescribeVpcEndpoints for one id.  0 ok, -1 (err: NotFound, …). */
int ec2_describe_vpce(struct aws_ctx *aws, const char *id,
    struct awsresp_vpce *out, struct errbuf *err);
/* DescribeVpcEndpoints by vpc-id and service-name filters, all pages.
 * *out is a new array (caller frees with free()). */
int ec2_find_vpces(struct aws_ctx *aws, const char *vpc_id,
    const char *service_name, struct awsresp_vpce **out, size_t *n,
    struct errbuf *err);
/* DescribeVpcEndpointServices for one service name. */
int ec2_describe_service(struct aws_ctx *aws, const char *name,
    struct awsresp_vpce_service *out, struct errbuf *err);
/* CreateVpcEndpoint (Interface, PrivateDnsEnabled=false). */
int ec2_create_vpce(struct aws_ctx *aws, const char *vpc_id,
    const char *service_name, const char *const *subnets, size_t nsubnets,
    const char *const *groups, size_t ngroups, const char *client_token,
    struct awsresp_vpce *out, struct errbuf *err);

/* --- aws_route53.c --- */
/* Find the private zone named exactly name (trailing dot optional)
 * associated with vpc_id; *found false when none.  Zones of that name
 * that are public or not associated are skipped (reported in err only
 * when nothing matches and skipped_out is given). */
int r53_find_private_zone(struct aws_ctx *aws, const char *name,
    const char *vpc_id, struct awsresp_zone *out, bool *found,
    struct errbuf *err);
int r53_create_private_zone(struct aws_ctx *aws, const char *name,
    const char *vpc_id, const char *vpc_region, const char *caller_ref,
    struct awsresp_zone *zone, struct awsresp_change *change,
    struct errbuf *err);
/* The record sets named name (exactly) in zone_id. */
int r53_list_rrsets(struct aws_ctx *aws, const char *zone_id, const char *name,
    struct awsresp_rrset **out, size_t *n, struct errbuf *err);
/* UPSERT alias A (and AAAA when aaaa) at name to dns_name/alias_zone. */
int r53_upsert_alias(struct aws_ctx *aws, const char *zone_id, const char *name,
    const char *dns_name, const char *alias_zone, bool aaaa,
    struct awsresp_change *change, struct errbuf *err);
/* Poll GetChange until INSYNC (bounded by max_ms). */
int r53_wait_insync(struct aws_ctx *aws, const char *change_id, long poll_ms,
    long max_ms, struct errbuf *err);

/* --- aws_sync.c: shared by aws and zilliz commands --- */
/* One mapping link name -> VPC endpoint DNS name. */
struct sync_link {
	char name[256];   /* no trailing dot */
	char target[256]; /* regional endpoint DNS name, no trailing dot */
};
struct sync_opts {
	const char *vpc_id;
	const char *vpc_region; /* NULL: the AWS region */
	bool dry_run;
	long poll_ms; /* GetChange polling interval */
	long wait_ms; /* bound on waiting for INSYNC */
};
/* Sync links to Route 53 (zone per link, alias A/AAAA, INSYNC); prints
 * the plan/result; *changes counts changes made or planned.  0 when
 * every link is in sync (or planned), -1 after reporting failures. */
int sync_route53(struct aws_ctx *aws, const struct sync_link *links,
    size_t nlinks, const struct sync_opts *o, int *changes, json_t *report);

/* --- zilliz.c: Zilliz Cloud control-plane client --- */
struct zilliz_ctx {
	const struct ctl *ctl;
	char base[512]; /* https://api.cloud.zilliz.com, no trailing '/' */
	char *api_key;  /* never printed or logged; wiped on clear */
};
/* Base URL from --base-url, ZILLIZ_BASE_URL or the default; key from
 * --api-key-file or ZILLIZ_API_KEY.  0 ok, -1 with err filled. */
int zilliz_init(struct zilliz_ctx *z, const struct ctl *ctl,
    const char *base_url, const char *key_file, struct errbuf *err);
void zilliz_clear(struct zilliz_ctx *z);
/* One call; method, path+query, JSON body or NULL.  0 with resp filled
 * on any HTTP reply (the caller checks the envelope), -1 on transport
 * failure.  Retries 429/5xx a few times. */
int zilliz_call(struct zilliz_ctx *z, const char *method, const char *path,
    const char *body, struct http_resp *resp, struct errbuf *err);
/* Every private endpoint of the project (all pages). */
int zilliz_endpoints(struct zilliz_ctx *z, const char *project,
    struct zillizapi_endpoint **out, size_t *n, struct errbuf *err);
/* Every cluster of the project (all pages), optionally only regionId. */
int zilliz_clusters(struct zilliz_ctx *z, const char *project,
    const char *region, struct zillizapi_cluster **out, size_t *n,
    struct errbuf *err);
int zilliz_describe(struct zilliz_ctx *z, const char *cluster,
    struct zillizapi_cluster *out, struct errbuf *err);
/* The endpoint service name for regionId (first of the list). */
int zilliz_service(struct zilliz_ctx *z, const char *project,
    const char *region, char *out, size_t outlen, struct errbuf *err);
/* Create Private Endpoint (register a vpce id for project+region). */
int zilliz_register(struct zilliz_ctx *z, const char *project,
    const char *region, const char *vpce_id, struct errbuf *err);

/* --- check.c --- */
/* Append the links with a target of config file path (via conf_load) to
 * *l (a realloc'd array).  0 ok, -1 after printing the error. */
int ctl_links_from_config(const char *path, struct sync_link **l, size_t *n);

int cmd_check(struct ctl *ctl, int argc, char **argv);
int cmd_link(struct ctl *ctl, int argc, char **argv);
int cmd_zone(struct ctl *ctl, int argc, char **argv);
int cmd_status(struct ctl *ctl, int argc, char **argv);
int cmd_reload(struct ctl *ctl, int argc, char **argv);
int cmd_stats(struct ctl *ctl, int argc, char **argv);
int cmd_aws(struct ctl *ctl, int argc, char **argv);
int cmd_zilliz(struct ctl *ctl, int argc, char **argv);
int cmd_doctor(struct ctl *ctl, int argc, char **argv);

#endif
