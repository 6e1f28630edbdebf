/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * status, reload, stats: the daemon's state through the admin API
 * (GET /v1/status, POST /v1/reload, GET /metrics).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl/ctl.h"

static int
plain_opts(struct ctl *ctl, int argc, char **argv, const char *usage)
{
	static const struct option lo[] = {CTL_COMMON_LONGOPTS, {0, 0, 0, 0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "vh", lo, NULL)) != -1) {
		if (ch == 'h') {
			fputs(usage, stdout);
			return 1;
		}
		if (ctl_common_opt(ctl, ch, optarg) <= 0) {
			fputs(usage, stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return -1;
	}
	return 0;
}

/* Call and report a daemon error; 0 on 2xx. */
static int
call(struct ctl *ctl, const char *what, const char *method, const char *path,
    struct strbuf *raw, json_t **j)
{
	struct errbuf err = {{0}};
	const char *m;
	long status = 0;

	if (admin_call(ctl, method, path, NULL, &status, raw, &err) == -1) {
		ctl_err("%s: %s", what, err.msg);
		return -1;
	}
	*j = json_loads(strbuf_cstr(raw), 0, NULL);
	if (status < 200 || status > 299) {
		m = json_string_value(json_object_get(*j, "error"));
		ctl_err("%s: %s (HTTP %ld)", what, m ? m : "failed", status);
		return -1;
	}
	return 0;
}

static void
print_status(json_t *j)
{
	json_t *u, *c = json_object_get(j, "cache");
	size_t i;

	printf("version   %s\n", ctl_jstr(j, "version", "?"));
	printf("uptime    %llds\n",
	    (long long)json_integer_value(json_object_get(j, "uptime_s")));
	printf("links     %lld\n",
	    (long long)json_integer_value(json_object_get(j, "links")));
	printf("zones     %lld\n",
	    (long long)json_integer_value(json_object_get(j, "zones")));
	printf("cache     %lld entries, %lld bytes, %lld hits, %lld misses\n",
	    (long long)json_integer_value(json_object_get(c, "entries")),
	    (long long)json_integer_value(json_object_get(c, "bytes")),
	    (long long)json_integer_value(json_object_get(c, "hits")),
	    (long long)json_integer_value(json_object_get(c, "misses")));
	json_array_foreach(json_object_get(j, "upstreams"), i, u)
	    printf("upstream  %s srtt=%gms queries=%lld timeouts=%lld\n",
	        ctl_jstr(u, "addr", "?"),
	        json_number_value(json_object_get(u, "srtt_ms")),
	        (long long)json_integer_value(json_object_get(u, "queries")),
	        (long long)json_integer_value(json_object_get(u, "timeouts")));
}

int
cmd_status(struct ctl *ctl, int argc, char **argv)
{
	static const char usage[] =
	    "usage: linkshimctl status [--json]\n"
	    "Shows the running linkshimd's version, uptime, number of links\n"
	    "and zones, upstreams (smoothed RTT, queries, timeouts) and cache\n"
	    "counters (GET /v1/status).  Exit 1 when the daemon is not "
	    "reachable.\n";
	struct strbuf raw = {0};
	json_t *j = NULL;
	int rc = 1, r;

	if ((r = plain_opts(ctl, argc, argv, usage)) != 0)
		return r == 1 ? 0 : 2;
	if (call(ctl, "status", "GET", "/v1/status", &raw, &j) == 0) {
		if (ctl->json)
			printf("%s\n", strbuf_cstr(&raw));
		else
			print_status(j);
		rc = 0;
	}
	json_decref(j);
	strbuf_free(&raw);
	return rc;
}

int
cmd_reload(struct ctl *ctl, int argc, char **argv)
{
	static const char usage[] =
	    "usage: linkshimctl reload\n"
	    "Asks linkshimd to re-read its config file (POST /v1/reload).  On "
	    "a bad\nfile the daemon keeps the old config and the error "
	    "(file:line:col)\nis printed; exit 1.\n";
	struct strbuf raw = {0};
	json_t *j = NULL;
	int rc = 1, r;

	if ((r = plain_opts(ctl, argc, argv, usage)) != 0)
		return r == 1 ? 0 : 2;
	if (call(ctl, "reload", "POST", "/v1/reload", &raw, &j) == 0) {
		if (ctl->json)
			printf("%s\n", strbuf_cstr(&raw));
		else
			printf("reloaded\n");
		rc = 0;
	}
	json_decref(j);
	strbuf_free(&raw);
	return rc;
}

/* Prometheus text -> {"metric{labels}": value}. */
static void
print_metrics_json(const char *text)
{
	json_t *o = json_object();
	const char *p = text, *eol, *sp;
	char *key, *dump;

	for (; *p != '\0'; p = *eol ? eol + 1 : eol) {
		eol = p + strcspn(p, "\n");
		if (*p == '#' || eol == p)
			continue;
		sp = memrchr(p, ' ', (size_t)(eol - p));
		if (sp == NULL)
			continue;
		if ((key = strndup(p, (size_t)(sp - p))) == NULL)
			break;
		json_object_set_new(o, key, json_real(strtod(sp + 1, NULL)));
		free(key);
	}
	if ((dump = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS)) != NULL)
		printf("%s\n", dump);
	free(dump);
	json_decref(o);
}

int
cmd_stats(struct ctl *ctl, int argc, char **argv)
{
	static const char usage[] =
	    "usage: linkshimctl stats [--json]\n"
	    "Prints linkshimd's metrics (GET /metrics, Prometheus text "
	    "format);\nwith --json as one object {\"name{labels}\": value}.\n";
	struct strbuf raw = {0};
	json_t *j = NULL;
	int rc = 1, r;

	if ((r = plain_opts(ctl, argc, argv, usage)) != 0)
		return r == 1 ? 0 : 2;
	if (call(ctl, "stats", "GET", "/metrics", &raw, &j) == 0) {
		if (ctl->json)
			print_metrics_json(strbuf_cstr(&raw));
		else
			fputs(strbuf_cstr(&raw), stdout);
		rc = 0;
	}
	json_decref(j);
	strbuf_free(&raw);
	return rc;
}
