/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * aws_sync: push link mappings to Route 53 (design.md §6, issue 5): for
 * each link, the private hosted zone named exactly after it and
 * associated with the VPC is found (or created), and an alias A record
 * (plus AAAA for a dual-stack endpoint) at the zone apex points at the
 * endpoint's regional DNS name and hosted-zone id, taken from EC2.  A
 * link already in sync is left alone, so a second run changes nothing.
 * With dry_run nothing is written and the plan is printed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ctl/ctl.h"

static bool
same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* Whether the alias of type at the zone apex already points at target. */
static bool
alias_in_sync(const struct awsresp_rrset *r, size_t n, const char *type,
    const char *target, const char *zone_id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(r[i].type, type) == 0 &&
		    same_name(r[i].alias_dns_name, target) &&
		    strcmp(r[i].alias_zone_id, zone_id) == 0 &&
		    !r[i].alias_evaluate_health)
			return true;
	return false;
}

/* Look up the endpoint behind target: its hosted-zone id and whether it
 * is dual-stack. */
static int
endpoint_alias(struct aws_ctx *aws, const char *target, char *zone_id,
    size_t zlen, bool *dual, struct errbuf *err)
{
	struct awsresp_vpce v;
	char id[64];
	size_t i;

	if (awsresp_vpce_id_of(target, id, sizeof(id)) == -1)
		return errbuf_set(err,
		    "target %s is not a VPC endpoint DNS "
		    "name (vpce-…)",
		    target);
	if (ec2_describe_vpce(aws, id, &v, err) == -1)
		return -1;
	for (i = 0; i < v.ndns; i++)
		if (same_name(v.dns[i].dns_name, target))
			break;
	if (i == v.ndns)
		return errbuf_set(err,
		    "%s is not among the DNS names of %s "
		    "(see: linkshimctl aws discover "
		    "--vpce-id %s)",
		    target, id, id);
	strlcpy(zone_id, v.dns[i].hosted_zone_id, zlen);
	*dual = strcasecmp(v.ip_address_type, "dualstack") == 0;
	return 0;
}

/* Find or create the zone; *zone_id "" in a dry run that would create. */
static int
sync_zone(struct aws_ctx *aws, const struct sync_link *l,
    const struct sync_opts *o, char *zone_id, size_t zlen, int *changes,
    json_t *rep, struct errbuf *err)
{
	struct awsresp_zone z;
	struct awsresp_change c;
	char ref[200];
	bool found;

	if (r53_find_private_zone(aws, l->name, o->vpc_id, &z, &found, err))
		return -1;
	if (found) {
		fprintf(CTL_OUT(aws->ctl), "%s: private zone %s (%s) exists\n",
		    l->name, z.id, o->vpc_id);
		strlcpy(zone_id, z.id, zlen);
		json_object_set_new(rep, "zone", json_string(z.id));
		json_object_set_new(rep, "zone_action", json_string("none"));
		return 0;
	}
	(*changes)++;
	json_object_set_new(rep, "zone_action", json_string("create"));
	if (o->dry_run) {
		fprintf(CTL_OUT(aws->ctl),
		    "%s: plan: create private zone %s associated with %s "
		    "(%s)\n",
		    l->name, l->name, o->vpc_id,
		    o->vpc_region ? o->vpc_region : aws->region);
		zone_id[0] = '\0';
		return 0;
	}
	/* unique per run, stable across retries of this run */
	snprintf(ref, sizeof(ref), "linkshim-%s-%s-%lld", o->vpc_id, l->name,
	    (long long)time(NULL));
	ref[128] = '\0';
	if (r53_create_private_zone(aws, l->name, o->vpc_id,
	        o->vpc_region ? o->vpc_region : aws->region, ref, &z, &c,
	        err) == -1)
		return -1;
	fprintf(CTL_OUT(aws->ctl), "%s: created private zone %s (%s)\n",
	    l->name, z.id, o->vpc_id);
	strlcpy(zone_id, z.id, zlen);
	json_object_set_new(rep, "zone", json_string(z.id));
	return 0;
}

static int
sync_one(struct aws_ctx *aws, const struct sync_link *l,
    const struct sync_opts *o, int *changes, json_t *rep, struct errbuf *err)
{
	struct awsresp_rrset *r = NULL;
	struct awsresp_change c;
	char zone[128], alias_zone[128];
	bool dual = false, a_ok = false, aaaa_ok = false;
	size_t n = 0;
	int rc = -1;

	if (endpoint_alias(aws, l->target, alias_zone, sizeof(alias_zone),
	        &dual, err) == -1 ||
	    sync_zone(aws, l, o, zone, sizeof(zone), changes, rep, err) == -1)
		return -1;
	json_object_set_new(rep, "alias_zone", json_string(alias_zone));
	json_object_set_new(rep, "dualstack", json_boolean(dual));
	if (zone[0] != '\0') {
		if (r53_list_rrsets(aws, zone, l->name, &r, &n, err) == -1)
			goto done;
		a_ok = alias_in_sync(r, n, "A", l->target, alias_zone);
		aaaa_ok =
		    !dual || alias_in_sync(r, n, "AAAA", l->target, alias_zone);
	}
	if (a_ok && aaaa_ok) {
		fprintf(CTL_OUT(aws->ctl), "%s: alias %s -> %s in sync\n",
		    l->name, dual ? "A+AAAA" : "A", l->target);
		json_object_set_new(rep, "record_action", json_string("none"));
		rc = 0;
		goto done;
	}
	(*changes)++;
	json_object_set_new(rep, "record_action", json_string("upsert"));
	if (o->dry_run) {
		fprintf(CTL_OUT(aws->ctl),
		    "%s: plan: UPSERT alias %s -> %s (zone %s)\n", l->name,
		    dual ? "A+AAAA" : "A", l->target, alias_zone);
		rc = 0;
		goto done;
	}
	if (r53_upsert_alias(aws, zone, l->name, l->target, alias_zone, dual,
	        &c, err) == -1 ||
	    r53_wait_insync(aws, c.id, o->poll_ms, o->wait_ms, err) == -1)
		goto done;
	fprintf(CTL_OUT(aws->ctl),
	    "%s: UPSERT alias %s -> %s: INSYNC (change %s)\n", l->name,
	    dual ? "A+AAAA" : "A", l->target, c.id);
	rc = 0;
done:
	free(r);
	return rc;
}

int
sync_route53(struct aws_ctx *aws, const struct sync_link *links, size_t nlinks,
    const struct sync_opts *o, int *changes, json_t *report)
{
	struct errbuf err = {{0}};
	json_t *rep;
	size_t i;
	int failed = 0;

	*changes = 0;
	for (i = 0; i < nlinks; i++) {
		rep = json_object();
		json_object_set_new(rep, "name", json_string(links[i].name));
		json_object_set_new(
		    rep, "target", json_string(links[i].target));
		if (sync_one(aws, &links[i], o, changes, rep, &err) == -1) {
			ctl_err("%s: %s", links[i].name, err.msg);
			json_object_set_new(rep, "error", json_string(err.msg));
			failed++;
		}
		json_array_append_new(report, rep);
	}
	if (failed == 0 && *changes == 0)
		fprintf(CTL_OUT(aws->ctl), "no changes: %zu link%s in sync\n",
		    nlinks, nlinks == 1 ? "" : "s");
	else if (failed == 0 && o->dry_run)
		fprintf(CTL_OUT(aws->ctl),
		    "dry run: %d change%s planned, nothing written\n", *changes,
		    *changes == 1 ? "" : "s");
	return failed ? -1 : 0;
}
