/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * mapping: turn a VPC endpoint (its regional DNS name and the zonal ones)
 * into a link, and hand it to the running daemon (PUT /v1/links/NAME) or
 * to a config file (confedit).  Shared by aws discover and zilliz
 * import/connect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl/ctl.h"

/* The zonal names of v with their AZs; returns how many. */
static size_t
zonal_of(const struct awsresp_vpce *v, char azbuf[][64], const char **azs,
    const char **zt)
{
	size_t i, n = 0;

	for (i = 1; i < v->ndns; i++) {
		awsresp_zonal_az(
		    v->dns[0].dns_name, v->dns[i].dns_name, azbuf[n], 64);
		if (azbuf[n][0] == '\0')
			continue;
		azs[n] = azbuf[n];
		zt[n] = v->dns[i].dns_name;
		n++;
	}
	return n;
}

int
map_register(const struct ctl *ctl, const char *name,
    const struct awsresp_vpce *v, const char *mode, unsigned ttl)
{
	const char *azs[AWSRESP_MAX_DNS], *zt[AWSRESP_MAX_DNS];
	char azbuf[AWSRESP_MAX_DNS][64], *body;
	struct errbuf err = {{0}};
	json_t *o = json_object(), *z = json_object();
	size_t i, n;
	int rc;

	n = zonal_of(v, azbuf, azs, zt);
	json_object_set_new(o, "target", json_string(v->dns[0].dns_name));
	json_object_set_new(o, "mode", json_string(mode ? mode : "alias"));
	if (ttl > 0)
		json_object_set_new(o, "ttl", json_integer(ttl));
	for (i = 0; i < n; i++)
		json_object_set_new(z, azs[i], json_string(zt[i]));
	json_object_set_new(o, "zonal", z);
	body = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (body == NULL)
		return -1;
	if ((rc = admin_put_link(ctl, name, body, &err)) == -1)
		ctl_err("registering %s: %s", name, err.msg);
	else
		fprintf(CTL_OUT(ctl), "registered %s -> %s\n", name,
		    v->dns[0].dns_name);
	free(body);
	return rc;
}

int
map_write(const struct ctl *ctl, const char *file, const char *name,
    const struct awsresp_vpce *v, unsigned ttl)
{
	const char *azs[AWSRESP_MAX_DNS], *zt[AWSRESP_MAX_DNS];
	char azbuf[AWSRESP_MAX_DNS][64];
	struct confedit_link cl = {0};
	struct errbuf err = {{0}};

	cl.nzonal = zonal_of(v, azbuf, azs, zt);
	cl.name = name;
	cl.target = v->dns[0].dns_name;
	cl.zonal_az = azs;
	cl.zonal_target = zt;
	cl.ttl = ttl;
	if (confedit_write_link(file, &cl, &err) == -1) {
		ctl_err("%s", err.msg);
		return -1;
	}
	fprintf(CTL_OUT(ctl), "wrote %s -> %s to %s\n", name, cl.target, file);
	return 0;
}
