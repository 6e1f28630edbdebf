/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * cmd_zilliz: "linkshimctl zilliz import | connect".  import reads each
 * cluster's privateLinkAddress (scheme and port stripped) and the
 * project's private endpoints, pairs them with the endpoint's DNS names
 * from EC2 and registers/writes/syncs the mappings.  connect runs the
 * whole seed flow of Zilliz's private-link guide, resuming where an
 * earlier run stopped: an endpoint of the service already in the VPC is
 * reused, an already registered endpoint is not registered again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "ctl/ctl.h"
#include "linkshim/sigv4.h"

static const char zilliz_usage[] =
    "usage: linkshimctl zilliz import --project-id P [--cluster-id C]\n"
    "                [--region aws-us-west-2] [--register] [--write FILE]\n"
    "                [--route53-sync --vpc-id VPC [--dry-run]]\n"
    "       linkshimctl zilliz connect --project-id P --region "
    "aws-us-west-2\n"
    "                --vpc-id VPC --subnet-ids S1,S2 --security-group-ids "
    "SG1\n"
    "                [--cluster-id C] [--register] [--write FILE] "
    "[--route53-sync]\n"
    "                [--wait-timeout SEC] [--poll-interval SEC]\n"
    "Zilliz options: --api-key-file FILE (else ZILLIZ_API_KEY), --base-url\n"
    "  URL (else ZILLIZ_BASE_URL, default https://api.cloud.zilliz.com).\n"
    "AWS options: --profile, --aws-region R (default: the Zilliz region\n"
    "  without \"aws-\"), --endpoint-url URL; see linkshimctl aws --help.\n"
    "\n"
    "import: for each cluster of the project in the endpoint's region (or\n"
    "  --cluster-id), the private link host (privateLinkAddress without\n"
    "  scheme and port) -> the regional DNS name of the project's VPC\n"
    "  endpoint there.  Prints the mappings; --register sends them to the\n"
    "  running linkshimd, --write adds them to a config file, and\n"
    "  --route53-sync pushes them to Route 53 private zones in --vpc-id.\n"
    "connect: 1 endpoint service name (Zilliz) -> 2 CreateVpcEndpoint\n"
    "  (Interface, PrivateDnsEnabled=false; an existing endpoint of the\n"
    "  service in the VPC is reused) -> 3 register it with Zilliz (skipped\n"
    "  when already registered) -> 4 wait for the private link (bounded,\n"
    "  default 900 s, with progress) -> 5 map it as import does.  Re-run\n"
    "  after a failure: it resumes instead of duplicating.\n";

enum {
	O_PROJECT = CTL_OPT_FIRST_LOCAL,
	O_CLUSTER,
	O_ZREGION,
	O_AWS_REGION,
	O_PROFILE,
	O_ENDPOINT,
	O_KEYFILE,
	O_BASE,
	O_REGISTER,
	O_WRITE,
	O_SYNC,
	O_VPC,
	O_SUBNETS,
	O_SGS,
	O_DRY,
	O_WAIT,
	O_POLL,
};

struct zcmd {
	const char *project, *cluster, *zregion, *keyfile, *base, *write;
	const char *vpc_id, *subnets, *sgs;
	struct aws_opts aws;
	bool reg, sync, dry_run;
	long wait_ms, poll_ms;
};

/* One resolved mapping. */
struct zmap {
	char cluster[128];
	char host[256];
	char target[256];
	char vpce_id[64];
	struct awsresp_vpce vpce;
};

static int
zopts(struct ctl *ctl, int argc, char **argv, struct zcmd *c)
{
	static const struct option lo[] = {CTL_COMMON_LONGOPTS,
	    {"project-id", required_argument, NULL, O_PROJECT},
	    {"cluster-id", required_argument, NULL, O_CLUSTER},
	    {"region", required_argument, NULL, O_ZREGION},
	    {"aws-region", required_argument, NULL, O_AWS_REGION},
	    {"profile", required_argument, NULL, O_PROFILE},
	    {"endpoint-url", required_argument, NULL, O_ENDPOINT},
	    {"api-key-file", required_argument, NULL, O_KEYFILE},
	    {"base-url", required_argument, NULL, O_BASE},
	    {"register", no_argument, NULL, O_REGISTER},
	    {"write", required_argument, NULL, O_WRITE},
	    {"route53-sync", no_argument, NULL, O_SYNC},
	    {"vpc-id", required_argument, NULL, O_VPC},
	    {"subnet-ids", required_argument, NULL, O_SUBNETS},
	    {"security-group-ids", required_argument, NULL, O_SGS},
	    {"dry-run", no_argument, NULL, O_DRY},
	    {"wait-timeout", required_argument, NULL, O_WAIT},
	    {"poll-interval", required_argument, NULL, O_POLL}, {0, 0, 0, 0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "vh", lo, NULL)) != -1) {
		switch (ch) {
		case O_PROJECT:
			c->project = optarg;
			break;
		case O_CLUSTER:
			c->cluster = optarg;
			break;
		case O_ZREGION:
			c->zregion = optarg;
			break;
		case O_AWS_REGION:
			c->aws.region = optarg;
			break;
		case O_PROFILE:
			c->aws.profile = optarg;
			break;
		case O_ENDPOINT:
			c->aws.endpoint_url = optarg;
			break;
		case O_KEYFILE:
			c->keyfile = optarg;
			break;
		case O_BASE:
			c->base = optarg;
			break;
		case O_REGISTER:
			c->reg = true;
			break;
		case O_WRITE:
			c->write = optarg;
			break;
		case O_SYNC:
			c->sync = true;
			break;
		case O_VPC:
			c->vpc_id = optarg;
			break;
		case O_SUBNETS:
			c->subnets = optarg;
			break;
		case O_SGS:
			c->sgs = optarg;
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
		case 'h':
			fputs(zilliz_usage, stdout);
			return 1;
		default:
			if (ctl_common_opt(ctl, ch, optarg) <= 0) {
				fputs(zilliz_usage, stderr);
				return -1;
			}
		}
	}
	return 0;
}

/* "aws-us-west-2" -> "us-west-2" (inferred from Zilliz's examples). */
static const char *
aws_region_of(const char *zregion)
{
	return strncmp(zregion, "aws-", 4) == 0 ? zregion + 4 : NULL;
}

static bool
endpoint_usable(const char *state)
{
	return strcasecmp(state, "deleted") != 0 &&
	    strcasecmp(state, "deleting") != 0 &&
	    strcasecmp(state, "failed") != 0 &&
	    strcasecmp(state, "rejected") != 0 &&
	    strcasecmp(state, "expired") != 0;
}

/* The project's registered endpoint for region, or NULL. */
static const struct zillizapi_endpoint *
endpoint_for(const struct zillizapi_endpoint *e, size_t n, const char *region)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(e[i].region_id, region) == 0 &&
		    strncmp(e[i].endpoint_id, "vpce-", 5) == 0)
			return &e[i];
	return NULL;
}

/* Add the mapping of cluster c (described) to maps; clusters without a
 * private link or an endpoint are reported and skipped. */
static int
map_cluster(struct aws_ctx *aws, const struct zillizapi_cluster *c,
    const struct zillizapi_endpoint *eps, size_t neps, struct zmap **maps,
    size_t *nmaps)
{
	const struct zillizapi_endpoint *ep;
	struct errbuf err = {{0}};
	struct zmap m, *nm;
	unsigned port;

	memset(&m, 0, sizeof(m));
	if (c->private_link_address[0] == '\0') {
		fprintf(stderr,
		    "cluster %s: no private link yet (register a "
		    "VPC endpoint: linkshimctl zilliz connect)\n",
		    c->id);
		return 0;
	}
	if (zillizapi_split_address(c->private_link_address, m.host,
	        sizeof(m.host), &port, &err) == -1) {
		ctl_err("cluster %s: %s", c->id, err.msg);
		return -1;
	}
	if ((ep = endpoint_for(eps, neps, c->region_id)) == NULL) {
		fprintf(stderr,
		    "cluster %s: no private endpoint of the project "
		    "in %s\n",
		    c->id, c->region_id);
		return 0;
	}
	strlcpy(m.cluster, c->id, sizeof(m.cluster));
	strlcpy(m.vpce_id, ep->endpoint_id, sizeof(m.vpce_id));
	if (ec2_describe_vpce(aws, ep->endpoint_id, &m.vpce, &err) == -1) {
		ctl_err(
		    "DescribeVpcEndpoints %s: %s", ep->endpoint_id, err.msg);
		return -1;
	}
	if (m.vpce.ndns == 0) {
		ctl_err("%s has no DNS names yet (state %s)", m.vpce_id,
		    m.vpce.state);
		return -1;
	}
	strlcpy(m.target, m.vpce.dns[0].dns_name, sizeof(m.target));
	if ((nm = reallocarray(*maps, *nmaps + 1, sizeof(**maps))) == NULL)
		return -1;
	*maps = nm;
	nm[(*nmaps)++] = m;
	return 0;
}

/* The clusters to consider: --cluster-id, else every cluster of the
 * project in each region where it has an endpoint (or --region). */
static int
resolve_maps(struct zilliz_ctx *z, struct aws_ctx *aws, const struct zcmd *c,
    struct zmap **maps, size_t *nmaps)
{
	struct zillizapi_endpoint *eps = NULL;
	struct zillizapi_cluster *cl = NULL, one;
	struct errbuf err = {{0}};
	size_t neps = 0, ncl = 0, i, j;
	int rc = -1;

	if (zilliz_endpoints(z, c->project, &eps, &neps, &err) == -1) {
		ctl_err(
		    "listing private endpoints of %s: %s", c->project, err.msg);
		goto done;
	}
	for (i = 0; i < neps && c->cluster == NULL; i++) {
		if ((c->zregion && strcmp(eps[i].region_id, c->zregion)) ||
		    endpoint_for(eps, i, eps[i].region_id) != NULL)
			continue; /* other region, or region already done */
		free(cl);
		cl = NULL;
		if (zilliz_clusters(z, c->project, eps[i].region_id, &cl, &ncl,
		        &err) == -1) {
			ctl_err("listing clusters: %s", err.msg);
			goto done;
		}
		for (j = 0; j < ncl; j++)
			if (zilliz_describe(z, cl[j].id, &one, &err) == -1 ||
			    map_cluster(aws, &one, eps, neps, maps, nmaps)) {
				if (err.msg[0])
					ctl_err("cluster %s: %s", cl[j].id,
					    err.msg);
				goto done;
			}
	}
	if (c->cluster != NULL &&
	    (zilliz_describe(z, c->cluster, &one, &err) == -1 ||
	        map_cluster(aws, &one, eps, neps, maps, nmaps) == -1)) {
		if (err.msg[0])
			ctl_err("cluster %s: %s", c->cluster, err.msg);
		goto done;
	}
	rc = 0;
done:
	free(eps);
	free(cl);
	return rc;
}

/* Print the mappings and apply --register, --write, --route53-sync. */
static int
apply_maps(struct ctl *ctl, struct aws_ctx *aws, const struct zcmd *c,
    const struct zmap *maps, size_t n)
{
	struct sync_opts so = {0};
	struct sync_link *sl = NULL;
	json_t *arr = json_array(), *report = json_array(), *out;
	char *s;
	size_t i;
	int rc = 0, changes;

	for (i = 0; i < n; i++) {
		if (!ctl->json)
			printf("%s -> %s (cluster %s, %s %s)\n", maps[i].host,
			    maps[i].target, maps[i].cluster, maps[i].vpce_id,
			    maps[i].vpce.state);
		json_array_append_new(arr,
		    json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", maps[i].host,
		        "target", maps[i].target, "cluster", maps[i].cluster,
		        "vpce_id", maps[i].vpce_id, "state",
		        maps[i].vpce.state));
		if (c->reg &&
		    map_register(ctl, maps[i].host, &maps[i].vpce, NULL, 0))
			rc = -1;
		if (c->write &&
		    map_write(ctl, c->write, maps[i].host, &maps[i].vpce, 0))
			rc = -1;
	}
	if (c->sync && n > 0) {
		if ((sl = calloc(n, sizeof(*sl))) == NULL)
			goto done;
		for (i = 0; i < n; i++) {
			strlcpy(sl[i].name, maps[i].host, sizeof(sl[i].name));
			strlcpy(
			    sl[i].target, maps[i].target, sizeof(sl[i].target));
		}
		so.vpc_id = c->vpc_id;
		so.dry_run = c->dry_run;
		so.poll_ms = c->poll_ms > 0 ? c->poll_ms : 5000;
		so.wait_ms = 300000;
		if (sync_route53(aws, sl, n, &so, &changes, report) == -1)
			rc = -1;
	}
	if (ctl->json) {
		out =
		    json_pack("{s:O,s:O}", "mappings", arr, "route53", report);
		s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
		json_decref(out);
	}
done:
	free(sl);
	json_decref(arr);
	json_decref(report);
	return rc;
}

static int
zilliz_import(struct ctl *ctl, struct zilliz_ctx *z, struct aws_ctx *aws,
    const struct zcmd *c)
{
	struct zmap *maps = NULL;
	size_t n = 0;
	int rc = 1;

	if (resolve_maps(z, aws, c, &maps, &n) == -1)
		goto done;
	if (n == 0) {
		ctl_err("no cluster of project %s has a private link with a "
		        "registered endpoint yet",
		    c->project);
		goto done;
	}
	rc = apply_maps(ctl, aws, c, maps, n) == 0 ? 0 : 1;
done:
	free(maps);
	return rc;
}

/* Split a comma list in place into v (at most max). */
static size_t
split_list(char *s, const char **v, size_t max)
{
	size_t n = 0;
	char *p, *save = NULL;

	for (p = strtok_r(s, ",", &save); p != NULL && n < max;
	     p = strtok_r(NULL, ",", &save))
		v[n++] = p;
	return n;
}

/* Step 2: reuse an endpoint of service in the VPC, else create one. */
static int
connect_endpoint(struct ctl *ctl, struct aws_ctx *aws, const struct zcmd *c,
    const char *service, struct awsresp_vpce *out)
{
	struct awsresp_vpce *v = NULL;
	struct errbuf err = {{0}};
	const char *sn[16], *sg[16];
	char subs[1024], sgs[1024], tok[65], hash[65];
	struct strbuf seed = {0};
	size_t n = 0, i, nsn, nsg;
	int rc = -1;

	if (ec2_find_vpces(aws, c->vpc_id, service, &v, &n, &err) == -1) {
		ctl_err("DescribeVpcEndpoints: %s", err.msg);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (endpoint_usable(v[i].state)) {
			*out = v[i];
			fprintf(CTL_OUT(ctl),
			    "step 2/5: reusing VPC endpoint "
			    "%s (%s)\n",
			    out->id, out->state);
			free(v);
			return 0;
		}
	free(v);
	strlcpy(subs, c->subnets, sizeof(subs));
	strlcpy(sgs, c->sgs, sizeof(sgs));
	nsn = split_list(subs, sn, 16);
	nsg = split_list(sgs, sg, 16);
	/* same inputs, same token: a retried create cannot duplicate */
	strbuf_printf(
	    &seed, "%s|%s|%s|%s", c->vpc_id, service, c->subnets, c->sgs);
	sigv4_sha256_hex(strbuf_cstr(&seed), seed.len, hash);
	snprintf(tok, sizeof(tok), "linkshim-%.32s", hash);
	strbuf_free(&seed);
	if (ec2_create_vpce(aws, c->vpc_id, service, sn, nsn, sg, nsg, tok, out,
	        &err) == -1) {
		ctl_err("CreateVpcEndpoint: %s", err.msg);
		return -1;
	}
	fprintf(CTL_OUT(ctl), "step 2/5: created VPC endpoint %s (%s)\n",
	    out->id, out->state);
	rc = 0;
	return rc;
}

/* Step 3: register the endpoint with Zilliz unless it already is. */
static int
connect_register(struct ctl *ctl, struct zilliz_ctx *z, const struct zcmd *c,
    const char *vpce_id)
{
	struct zillizapi_endpoint *e = NULL;
	struct errbuf err = {{0}};
	size_t n = 0, i;

	if (zilliz_endpoints(z, c->project, &e, &n, &err) == -1) {
		ctl_err("listing private endpoints: %s", err.msg);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (strcmp(e[i].endpoint_id, vpce_id) == 0)
			break;
	if (i < n) {
		fprintf(CTL_OUT(ctl),
		    "step 3/5: %s already registered with "
		    "Zilliz (%s)\n",
		    vpce_id, e[i].endpoint_status);
		free(e);
		return 0;
	}
	free(e);
	if (zilliz_register(z, c->project, c->zregion, vpce_id, &err) == -1) {
		ctl_err("registering %s with Zilliz: %s", vpce_id, err.msg);
		return -1;
	}
	fprintf(CTL_OUT(ctl),
	    "step 3/5: registered %s with Zilliz project %s\n", vpce_id,
	    c->project);
	return 0;
}

/* Step 4: poll until a cluster (or --cluster-id) has a private link. */
static int
connect_wait(struct zilliz_ctx *z, const struct zcmd *c)
{
	struct zillizapi_cluster *cl = NULL, one;
	struct errbuf err = {{0}};
	long waited = 0, poll = c->poll_ms > 0 ? c->poll_ms : 15000;
	long max = c->wait_ms > 0 ? c->wait_ms : 900000;
	size_t n = 0, i;

	for (;;) {
		if (c->cluster != NULL) {
			if (zilliz_describe(z, c->cluster, &one, &err) == -1)
				break;
			if (one.private_link_address[0] != '\0')
				return 0;
		} else {
			free(cl);
			cl = NULL;
			if (zilliz_clusters(
			        z, c->project, c->zregion, &cl, &n, &err) == -1)
				break;
			if (n == 0) {
				errbuf_set(&err,
				    "project %s has no cluster in "
				    "%s: nothing will get a private link",
				    c->project, c->zregion);
				break;
			}
			for (i = 0; i < n; i++)
				if (zilliz_describe(z, cl[i].id, &one, &err) ==
				        0 &&
				    one.private_link_address[0] != '\0') {
					free(cl);
					return 0;
				}
		}
		if (waited >= max) {
			errbuf_set(&err,
			    "no private link after %lds; Zilliz "
			    "says allocation takes about 5 "
			    "minutes: re-run to resume",
			    waited / 1000);
			break;
		}
		fprintf(CTL_OUT(z->ctl),
		    "step 4/5: waiting for Zilliz to allocate the "
		    "private link (%.1fs)\n",
		    waited / 1000.0);
		fflush(CTL_OUT(z->ctl));
		ctl_sleep_ms(poll);
		waited += poll;
	}
	free(cl);
	ctl_err("%s", err.msg);
	return -1;
}

static int
zilliz_connect(struct ctl *ctl, struct zilliz_ctx *z, struct aws_ctx *aws,
    const struct zcmd *c)
{
	struct awsresp_vpce_service svc;
	struct awsresp_vpce vpce;
	struct errbuf err = {{0}};
	char service[256];

	if (!c->project || !c->zregion || !c->vpc_id || !c->subnets ||
	    !c->sgs) {
		ctl_err("zilliz connect: --project-id, --region, --vpc-id, "
		        "--subnet-ids and --security-group-ids are required");
		return 2;
	}
	if (zilliz_service(z, c->project, c->zregion, service, sizeof(service),
	        &err) == -1) {
		ctl_err("%s", err.msg);
		return 1;
	}
	fprintf(CTL_OUT(ctl), "step 1/5: endpoint service %s\n", service);
	if (ec2_describe_service(aws, service, &svc, &err) == -1)
		fprintf(stderr,
		    "note: DescribeVpcEndpointServices: %s "
		    "(continuing)\n",
		    err.msg);
	if (connect_endpoint(ctl, aws, c, service, &vpce) == -1 ||
	    connect_register(ctl, z, c, vpce.id) == -1 ||
	    connect_wait(z, c) == -1)
		return 1;
	fprintf(CTL_OUT(ctl), "step 4/5: private link allocated\n");
	fprintf(CTL_OUT(ctl), "step 5/5: mappings\n");
	return zilliz_import(ctl, z, aws, c);
}

int
cmd_zilliz(struct ctl *ctl, int argc, char **argv)
{
	struct zcmd c;
	struct zilliz_ctx z;
	struct aws_ctx aws;
	struct errbuf err = {{0}};
	const char *sub;
	int r, rc = 1;

	memset(&c, 0, sizeof(c));
	memset(&z, 0, sizeof(z));
	memset(&aws, 0, sizeof(aws));
	if ((r = zopts(ctl, argc, argv, &c)) != 0)
		return r == 1 ? 0 : 2;
	if (optind + 1 != argc) {
		fputs(zilliz_usage, stderr);
		return 2;
	}
	sub = argv[optind];
	if (strcmp(sub, "import") != 0 && strcmp(sub, "connect") != 0) {
		fputs(zilliz_usage, stderr);
		return 2;
	}
	if (c.project == NULL) {
		ctl_err("zilliz %s: --project-id is required", sub);
		return 2;
	}
	if (c.sync && c.vpc_id == NULL) {
		ctl_err("--route53-sync needs --vpc-id");
		return 2;
	}
	if (c.aws.region == NULL && c.zregion != NULL)
		c.aws.region = aws_region_of(c.zregion);
	if (zilliz_init(&z, ctl, c.base, c.keyfile, &err) == -1 ||
	    aws_init(&aws, ctl, &c.aws, &err) == -1) {
		ctl_err("%s", err.msg);
		goto done;
	}
	if (strcmp(sub, "import") == 0)
		rc = zilliz_import(ctl, &z, &aws, &c);
	else
		rc = zilliz_connect(ctl, &z, &aws, &c);
done:
	zilliz_clear(&z);
	aws_clear(&aws);
	return rc;
}
