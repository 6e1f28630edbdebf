/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * check: validate a config file with the daemon's own loader (conf_load:
 * the same schema, the same file:line:col errors), optionally printing
 * the canonical form; and read the links of a config for route53-sync.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl/ctl.h"
#include "linkshim/conf.h"

#define CHECK_DEFAULT_CONF "/etc/linkshim/linkshim.yaml"

static const char check_usage[] =
    "usage: linkshimctl check [-c FILE] [--print] [--json]\n"
    "Validates a linkshim config file (default " CHECK_DEFAULT_CONF ")\n"
    "exactly as linkshimd -n does: prints \"FILE: configuration OK\" and\n"
    "exits 0, or the first error as FILE:LINE:COL: message and exits 1.\n"
    "--print writes the canonical form (what linkshimd -nv prints).\n";

int
ctl_links_from_config(const char *path, struct sync_link **l, size_t *n)
{
	struct sync_link *nl;
	struct errbuf err = {{0}};
	struct conf *conf = NULL;
	size_t i, k;

	if (conf_load(path, &conf, &err) == -1) {
		ctl_err("%s", err.msg);
		return -1;
	}
	for (i = 0; i < conf->nlinks; i++) {
		const struct conf_link *cl = &conf->links[i];

		if (cl->mode == LINK_MODE_STATIC || cl->name[0] == '*')
			continue;
		if ((nl = reallocarray(*l, *n + 1, sizeof(**l))) == NULL) {
			conf_free(conf);
			return -1;
		}
		*l = nl;
		strlcpy(nl[*n].name, cl->name, sizeof(nl[*n].name));
		strlcpy(nl[*n].target, cl->target, sizeof(nl[*n].target));
		k = strlen(nl[*n].name);
		if (k > 0 && nl[*n].name[k - 1] == '.')
			nl[*n].name[k - 1] = '\0';
		k = strlen(nl[*n].target);
		if (k > 0 && nl[*n].target[k - 1] == '.')
			nl[*n].target[k - 1] = '\0';
		(*n)++;
	}
	conf_free(conf);
	return 0;
}

int
cmd_check(struct ctl *ctl, int argc, char **argv)
{
	enum { O_PRINT = CTL_OPT_FIRST_LOCAL };
	static const struct option lo[] = {CTL_COMMON_LONGOPTS,
	    {"config", required_argument, NULL, 'c'},
	    {"print", no_argument, NULL, O_PRINT}, {0, 0, 0, 0}};
	const char *path = CHECK_DEFAULT_CONF;
	struct errbuf err = {{0}};
	struct conf *conf = NULL;
	bool print = false;
	json_t *o;
	char *s;
	int ch, ok;

	while ((ch = getopt_long(argc, argv, "c:vh", lo, NULL)) != -1) {
		if (ch == 'c')
			path = optarg;
		else if (ch == O_PRINT)
			print = true;
		else if (ch == 'h') {
			fputs(check_usage, stdout);
			return 0;
		} else if (ctl_common_opt(ctl, ch, optarg) <= 0) {
			fputs(check_usage, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fputs(check_usage, stderr);
		return 2;
	}
	ok = conf_load(path, &conf, &err) == 0;
	if (ctl->json) {
		o = json_pack("{s:s,s:b,s:s}", "file", path, "ok", ok, "error",
		    ok ? "" : err.msg);
		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s ? s : "{}");
		free(s);
		json_decref(o);
	} else if (ok && print)
		conf_print(conf, stdout);
	else if (ok)
		printf("%s: configuration OK\n", path);
	else
		fprintf(stderr, "%s\n", err.msg);
	conf_free(conf);
	return ok ? 0 : 1;
}
