/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * cmd_aws: "linkshimctl aws discover | route53-sync | config".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl/ctl.h"

static const char aws_usage[] =
    "usage: linkshimctl aws discover --vpce-id ID [--link NAME] "
    "[--write FILE [--name NAME]]\n"
    "                [--mode alias|cname] [--ttl SEC]\n"
    "       linkshimctl aws route53-sync --vpc-id VPC [--vpc-region R] "
    "[--dry-run]\n"
    "                [-c FILE | --link NAME=ENDPOINT_DNS_NAME ...]\n"
    "                [--wait-timeout SEC] [--poll-interval SEC]\n"
    "       linkshimctl aws config\n"
    "AWS options (all subcommands): --profile NAME, --region R,\n"
    "  --endpoint-url URL (or AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2,\n"
    "  AWS_ENDPOINT_URL_ROUTE_53).  Credentials: AWS_ACCESS_KEY_ID/\n"
    "  AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN], ~/.aws/credentials and\n"
    "  ~/.aws/config profiles (--profile, AWS_PROFILE), then the EC2\n"
    "  instance role (IMDSv2; AWS_EC2_METADATA_DISABLED=true skips it).\n"
    "\n"
    "discover: DescribeVpcEndpoints -> state, service, regional and zonal\n"
    "  DNS names and hosted-zone id.  --link NAME registers NAME -> the\n"
    "  endpoint with the running linkshimd; --write FILE adds or updates\n"
    "  the link (--name NAME, else the --link name) in a config file,\n"
    "  keeping the rest of the file.\n"
    "route53-sync: for each link (from -c FILE, --link, or the running\n"
    "  daemon), find or create the private hosted zone named after it and\n"
    "  associated with --vpc-id, UPSERT the alias A (and AAAA for a\n"
    "  dual-stack endpoint) to the endpoint, wait for INSYNC.  Idempotent:\n"
    "  a second run reports \"no changes\".  --dry-run prints the plan.\n"
    "  Route 53 is always signed for us-east-1.\n"
    "config: the resolved profile, credential source, region and\n"
    "  endpoints (secrets are never printed).\n";

enum {
	O_PROFILE = CTL_OPT_FIRST_LOCAL,
	O_REGION,
	O_ENDPOINT,
	O_VPCE,
	O_LINK,
	O_WRITE,
	O_MODE,
	O_TTL,
	O_VPC,
	O_VPC_REGION,
	O_DRY,
	O_WAIT,
	O_POLL,
	O_NAME,
};

struct aws_cmd {
	struct aws_opts aws;
	const char *vpce_id, *link, *write, *mode, *config, *vpc_id,
	    *vpc_region;
	const char *name; /* --name: link name for --write without --link */
	const char *links[64]; /* route53-sync --link NAME=TARGET */
	size_t nlinks;
	unsigned ttl;
	bool dry_run;
	long wait_ms, poll_ms;
};

static int
aws_opts_parse(struct ctl *ctl, int argc, char **argv, struct aws_cmd *c)
{
	static const struct option lo[] = {CTL_COMMON_LONGOPTS,
	    {"profile", required_argument, NULL, O_PROFILE},
	    {"region", required_argument, NULL, O_REGION},
	    {"endpoint-url", required_argument, NULL, O_ENDPOINT},
	    {"vpce-id", required_argument, NULL, O_VPCE},
	    {"link", required_argument, NULL, O_LINK},
	    {"write", required_argument, NULL, O_WRITE},
	    {"mode", required_argument, NULL, O_MODE},
	    {"ttl", required_argument, NULL, O_TTL},
	    {"vpc-id", required_argument, NULL, O_VPC},
	    {"vpc-region", required_argument, NULL, O_VPC_REGION},
	    {"dry-run", no_argument, NULL, O_DRY},
	    {"wait-timeout", required_argument, NULL, O_WAIT},
	    {"poll-interval", required_argument, NULL, O_POLL},
	    {"name", required_argument, NULL, O_NAME},
	    {"config", required_argument, NULL, 'c'}, {0, 0, 0, 0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "c:vh", lo, NULL)) != -1) {
		switch (ch) {
		case O_PROFILE:
			c->aws.profile = optarg;
			break;
		case O_REGION:
			c->aws.region = optarg;
			break;
		case O_ENDPOINT:
			c->aws.endpoint_url = optarg;
			break;
		case O_VPCE:
			c->vpce_id = optarg;
			break;
		case O_LINK:
			c->link = optarg;
			if (c->nlinks < 64)
				c->links[c->nlinks++] = optarg;
			break;
		case O_WRITE:
			c->write = optarg;
			break;
		case O_MODE:
			c->mode = optarg;
			break;
		case O_TTL:
			c->ttl = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case O_VPC:
			c->vpc_id = optarg;
			break;
		case O_VPC_REGION:
			c->vpc_region = optarg;
			break;
		case O_DRY:
			c->dry_run = true;
			break;
		case O_WAIT:
			c->wait_ms = (long)(strtod(optarg, NULL) * 1000);
			break;
		case O_POLL:
			c->poll_ms = (long)(strtod(optarg, NULL) * 1000);
			break;
		case O_NAME:
			c->name = optarg;
			break;
		case 'c':
			c->config = optarg;
			break;
		case 'h':
			fputs(aws_usage, stdout);
			return 1;
		default:
			if (ctl_common_opt(ctl, ch, optarg) <= 0) {
				fputs(aws_usage, stderr);
				return -1;
			}
		}
	}
	return 0;
}

static void
print_vpce_text(const struct awsresp_vpce *v)
{
	char az[64];
	size_t i;

	printf("endpoint      %s\n", v->id);
	printf("state         %s\n", v->state);
	printf("service       %s\n", v->service_name);
	printf("vpc           %s\n", v->vpc_id);
	printf("type          %s%s%s\n", v->type,
	    v->ip_address_type[0] ? ", " : "", v->ip_address_type);
	printf("private dns   %s\n", v->private_dns_enabled ? "on" : "off");
	if (v->ndns > 0)
		printf("regional      %s (hosted zone %s)\n",
		    v->dns[0].dns_name, v->dns[0].hosted_zone_id);
	for (i = 1; i < v->ndns; i++) {
		awsresp_zonal_az(
		    v->dns[0].dns_name, v->dns[i].dns_name, az, sizeof(az));
		printf("zonal         %s %s\n", az[0] ? az : "?",
		    v->dns[i].dns_name);
	}
	if (v->last_error[0] != '\0')
		printf("last error    %s\n", v->last_error);
}

static json_t *
vpce_json(const struct awsresp_vpce *v)
{
	json_t *o = json_object(), *z = json_object();
	char az[64];
	size_t i;

	json_object_set_new(o, "vpce_id", json_string(v->id));
	json_object_set_new(o, "state", json_string(v->state));
	json_object_set_new(o, "service", json_string(v->service_name));
	json_object_set_new(o, "vpc_id", json_string(v->vpc_id));
	json_object_set_new(o, "type", json_string(v->type));
	json_object_set_new(
	    o, "ip_address_type", json_string(v->ip_address_type));
	if (v->ndns > 0) {
		json_object_set_new(
		    o, "regional", json_string(v->dns[0].dns_name));
		json_object_set_new(
		    o, "hosted_zone_id", json_string(v->dns[0].hosted_zone_id));
	}
	for (i = 1; i < v->ndns; i++) {
		awsresp_zonal_az(
		    v->dns[0].dns_name, v->dns[i].dns_name, az, sizeof(az));
		if (az[0] != '\0')
			json_object_set_new(
			    z, az, json_string(v->dns[i].dns_name));
	}
	json_object_set_new(o, "zonal", z);
	return o;
}

/* Register or write the mapping name -> v; 0 ok. */
static int
discover_map(
    struct ctl *ctl, const struct aws_cmd *c, const struct awsresp_vpce *v)
{
	if (v->ndns == 0) {
		ctl_err("%s has no DNS names (state %s)", v->id, v->state);
		return -1;
	}
	if (c->link != NULL && map_register(ctl, c->link, v, c->mode, c->ttl))
		return -1;
	if (c->write == NULL)
		return 0;
	if (c->name == NULL && c->link == NULL) {
		ctl_err("--write needs the link name: --name NAME (or --link)");
		return -1;
	}
	return map_write(ctl, c->write, c->name ? c->name : c->link, v, c->ttl);
}

static int
aws_discover(struct ctl *ctl, struct aws_ctx *aws, const struct aws_cmd *c)
{
	struct awsresp_vpce v;
	struct errbuf err = {{0}};
	json_t *o;
	char *s;

	if (c->vpce_id == NULL) {
		ctl_err("aws discover: --vpce-id is required");
		return 2;
	}
	if (ec2_describe_vpce(aws, c->vpce_id, &v, &err) == -1) {
		ctl_err("DescribeVpcEndpoints %s: %s", c->vpce_id, err.msg);
		return 1;
	}
	if (ctl->json) {
		o = vpce_json(&v);
		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
		json_decref(o);
	} else
		print_vpce_text(&v);
	if (strcasecmp(v.state, "pendingAcceptance") == 0)
		fprintf(stderr,
		    "note: the service owner has not accepted %s "
		    "yet; for Zilliz, register it with "
		    "'linkshimctl zilliz connect'\n",
		    v.id);
	if (c->link != NULL || c->write != NULL || c->name != NULL)
		return discover_map(ctl, c, &v) == 0 ? 0 : 1;
	return 0;
}

static int
add_link(struct sync_link **l, size_t *n, const char *name, const char *target)
{
	struct sync_link *nl;
	size_t k;

	if ((nl = reallocarray(*l, *n + 1, sizeof(**l))) == NULL)
		return -1;
	*l = nl;
	strlcpy(nl[*n].name, name, sizeof(nl[*n].name));
	strlcpy(nl[*n].target, target, sizeof(nl[*n].target));
	k = strlen(nl[*n].name);
	if (k > 0 && nl[*n].name[k - 1] == '.')
		nl[*n].name[k - 1] = '\0';
	k = strlen(nl[*n].target);
	if (k > 0 && nl[*n].target[k - 1] == '.')
		nl[*n].target[k - 1] = '\0';
	(*n)++;
	return 0;
}

/* Links with a target from the running daemon (GET /v1/links). */
static int
links_from_daemon(struct ctl *ctl, struct sync_link **l, size_t *n)
{
	struct strbuf raw = {0};
	struct errbuf err = {{0}};
	json_t *j = NULL, *it;
	const char *name, *t;
	long status = 0;
	size_t i;
	int rc = -1;

	if (admin_call(ctl, "GET", "/v1/links", NULL, &status, &raw, &err)) {
		ctl_err("route53-sync: no -c FILE or --link given, and %s",
		    err.msg);
		goto done;
	}
	j = json_loads(strbuf_cstr(&raw), 0, NULL);
	if (status != 200 || !json_is_array(json_object_get(j, "links"))) {
		ctl_err("route53-sync: GET /v1/links: HTTP %ld", status);
		goto done;
	}
	json_array_foreach(json_object_get(j, "links"), i, it)
	{
		name = json_string_value(json_object_get(it, "name"));
		t = json_string_value(json_object_get(it, "target"));
		if (name == NULL || t == NULL)
			continue; /* static addresses: nothing to alias */
		if (name[0] == '*') {
			fprintf(stderr, "skipping wildcard link %s\n", name);
			continue;
		}
		if (add_link(l, n, name, t) == -1)
			goto done;
	}
	rc = 0;
done:
	json_decref(j);
	strbuf_free(&raw);
	return rc;
}

static int
aws_sync_cmd(struct ctl *ctl, struct aws_ctx *aws, const struct aws_cmd *c)
{
	struct sync_opts o = {0};
	struct sync_link *l = NULL;
	json_t *report = json_array(), *out;
	const char *eq;
	char *s, name[256];
	size_t n = 0, i;
	int changes = 0, rc = 1;

	if (c->vpc_id == NULL) {
		ctl_err("aws route53-sync: --vpc-id is required");
		rc = 2;
		goto done;
	}
	for (i = 0; i < c->nlinks; i++) {
		if ((eq = strchr(c->links[i], '=')) == NULL ||
		    (size_t)(eq - c->links[i]) >= sizeof(name)) {
			ctl_err("--link: expected NAME=ENDPOINT_DNS_NAME");
			rc = 2;
			goto done;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(eq - c->links[i]),
		    c->links[i]);
		if (add_link(&l, &n, name, eq + 1) == -1)
			goto done;
	}
	if (c->config != NULL && ctl_links_from_config(c->config, &l, &n) == -1)
		goto done;
	if (c->nlinks == 0 && c->config == NULL &&
	    links_from_daemon(ctl, &l, &n) == -1)
		goto done;
	if (n == 0) {
		fprintf(CTL_OUT(ctl), "no links with an endpoint target\n");
		rc = 0;
		goto done;
	}
	o.vpc_id = c->vpc_id;
	o.vpc_region = c->vpc_region;
	o.dry_run = c->dry_run;
	o.poll_ms = c->poll_ms > 0 ? c->poll_ms : 5000;
	o.wait_ms = c->wait_ms > 0 ? c->wait_ms : 300000;
	rc = sync_route53(aws, l, n, &o, &changes, report) == 0 ? 0 : 1;
	if (ctl->json) {
		out = json_pack("{s:O,s:i,s:b}", "links", report, "changes",
		    changes, "dry_run", c->dry_run);
		s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
		json_decref(out);
	}
done:
	json_decref(report);
	free(l);
	return rc;
}

static void
mask(const char *s, char *out, size_t len)
{
	size_t n = strlen(s);

	if (n <= 8)
		snprintf(out, len, "%s", n ? "****" : "");
	else
		snprintf(out, len, "%.4s…%s", s, s + n - 4);
}

static int
aws_config_cmd(struct ctl *ctl, struct aws_ctx *aws)
{
	struct errbuf err = {{0}};
	char ak[64] = "";
	bool ok = aws_need_creds(aws, &err) == 0;
	json_t *o;
	char *s;

	if (ok)
		mask(aws->creds.access_key, ak, sizeof(ak));
	if (ctl->json) {
		o = json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s,s:s,s:s}",
		    "profile", aws->profile, "credentials",
		    ok ? aws->creds.source : err.msg, "access_key", ak,
		    "session_token", aws->creds.token[0] != '\0', "region",
		    aws->region, "region_source", aws->region_source, "ec2",
		    aws->endpoint[AWS_EC2], "ec2_source",
		    aws->endpoint_source[AWS_EC2], "route53",
		    aws->endpoint[AWS_ROUTE53], "route53_source",
		    aws->endpoint_source[AWS_ROUTE53]);
		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		printf("profile       %s\n", aws->profile);
		printf("credentials   %s\n", ok ? aws->creds.source : err.msg);
		if (ok)
			printf("access key    %s%s\n", ak,
			    aws->creds.token[0] ? " (with session token)" : "");
		printf("region        %s (%s)\n",
		    aws->region[0] ? aws->region : "-",
		    aws->region_source[0] ? aws->region_source : "not set");
		printf("ec2           %s (%s)\n", aws->endpoint[AWS_EC2],
		    aws->endpoint_source[AWS_EC2]);
		printf("route53       %s (%s, signed for us-east-1)\n",
		    aws->endpoint[AWS_ROUTE53],
		    aws->endpoint_source[AWS_ROUTE53]);
	}
	return ok ? 0 : 1;
}

int
cmd_aws(struct ctl *ctl, int argc, char **argv)
{
	struct aws_cmd c;
	struct aws_ctx aws;
	struct errbuf err = {{0}};
	const char *sub;
	int r, rc;

	memset(&c, 0, sizeof(c));
	if ((r = aws_opts_parse(ctl, argc, argv, &c)) != 0)
		return r == 1 ? 0 : 2;
	if (optind >= argc || optind + 1 != argc) {
		fputs(aws_usage, stderr);
		return 2;
	}
	sub = argv[optind];
	if (strcmp(sub, "discover") && strcmp(sub, "route53-sync") &&
	    strcmp(sub, "config")) {
		fputs(aws_usage, stderr);
		return 2;
	}
	if (aws_init(&aws, ctl, &c.aws, &err) == -1) {
		ctl_err("%s", err.msg);
		aws_clear(&aws);
		return 1;
	}
	if (strcmp(sub, "discover") == 0)
		rc = aws_discover(ctl, &aws, &c);
	else if (strcmp(sub, "route53-sync") == 0)
		rc = aws_sync_cmd(ctl, &aws, &c);
	else
		rc = aws_config_cmd(ctl, &aws);
	aws_clear(&aws);
	return rc;
}
