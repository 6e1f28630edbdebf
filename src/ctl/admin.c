/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * admin: the linkshimd admin API client (design.md §5) and the commands
 * built on it: link, zone, status, reload, stats.  Transport is the unix
 * socket (default /run/linkshim/admin.sock) or HTTP on --admin-url with
 * an optional bearer token from --token-file.  Errors from the daemon
 * are always {"error":"message"} and are shown as such.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl/ctl.h"

#define ADMIN_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

static char *
admin_token(const struct ctl *ctl, struct errbuf *err)
{
	char *tok;
	size_t n;

	if ((tok = ctl_read_file(ctl->token_file, &n, err)) == NULL)
		return NULL;
	while (n > 0 && isspace((unsigned char)tok[n - 1]))
		tok[--n] = '\0';
	return tok;
}

int
admin_call(const struct ctl *ctl, const char *method, const char *path,
    const char *body, long *status, struct strbuf *out, struct errbuf *err)
{
	struct http_resp resp = {0};
	struct http_req req = {0};
	struct strbuf url = {0}, auth = {0};
	const char *hdrs[3];
	char *tok = NULL;
	int rc = -1;

	req.nheaders = 0;
	if (ctl->admin_url != NULL) {
		strbuf_str(&url, ctl->admin_url);
		while (url.len > 0 && url.s[url.len - 1] == '/')
			url.s[--url.len] = '\0';
		if (ctl->token_file != NULL) {
			if ((tok = admin_token(ctl, err)) == NULL)
				goto done;
			strbuf_printf(&auth, "Authorization: Bearer %s", tok);
			hdrs[req.nheaders++] = strbuf_cstr(&auth);
		}
	} else {
		strbuf_str(&url, "http://localhost");
		req.unix_socket =
		    ctl->socket ? ctl->socket : CTL_DEFAULT_SOCKET;
	}
	strbuf_str(&url, path);
	if (body != NULL)
		hdrs[req.nheaders++] = "Content-Type: application/json";
	hdrs[req.nheaders++] = "Accept: application/json";
	req.method = method;
	req.url = strbuf_cstr(&url);
	req.headers = hdrs;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.timeout_ms = ctl->timeout_ms;
	if (http_do(ctl, &req, &resp, err) == -1) {
		if (req.unix_socket != NULL && http_is_refused(&resp))
			errbuf_set(err,
			    "cannot reach linkshimd at %s (is "
			    "linkshimd running? see --socket)",
			    req.unix_socket);
		else {
			errbuf_prefix(err, "cannot reach linkshimd");
			strlcat(err->msg,
			    ctl->admin_url ? " (is the HTTP admin API enabled?)"
			                   : " (is linkshimd running? see "
			                     "--socket)",
			    sizeof(err->msg));
		}
		goto done;
	}
	*status = resp.status;
	strbuf_add(out, strbuf_cstr(&resp.body), resp.body.len);
	rc = 0;
done:
	if (tok != NULL) {
		explicit_bzero(tok, strlen(tok));
		free(tok);
	}
	if (auth.s != NULL)
		explicit_bzero(auth.s, auth.len);
	strbuf_free(&auth);
	strbuf_free(&url);
	http_resp_clear(&resp);
	return rc;
}

/* The daemon's {"error":…} text for a failed call. */
static void
admin_error(long status, const struct strbuf *body, struct errbuf *err)
{
	json_t *j = json_loads(strbuf_cstr(body), 0, NULL);
	const char *m = json_string_value(json_object_get(j, "error"));

	errbuf_set(err, "%s (HTTP %ld)", m ? m : "request failed", status);
	json_decref(j);
}

/* Call and require 2xx; *out receives the parsed JSON (NULL when the
 * body is not JSON, e.g. /metrics). */
static int
admin_json(const struct ctl *ctl, const char *method, const char *path,
    const char *body, json_t **out, struct strbuf *raw, struct errbuf *err)
{
	long status = 0;

	if (admin_call(ctl, method, path, body, &status, raw, err) == -1)
		return -1;
	if (status < 200 || status > 299) {
		admin_error(status, raw, err);
		return -1;
	}
	if (out != NULL)
		*out = json_loads(strbuf_cstr(raw), 0, NULL);
	return 0;
}

int
admin_put_link(const struct ctl *ctl, const char *name, const char *json_body,
    struct errbuf *err)
{
	struct strbuf path = {0}, raw = {0};
	char *e = http_escape(name);
	int rc;

	strbuf_printf(&path, "/v1/links/%s", e ? e : name);
	rc = admin_json(
	    ctl, "PUT", strbuf_cstr(&path), json_body, NULL, &raw, err);
	free(e);
	strbuf_free(&path);
	strbuf_free(&raw);
	return rc;
}

static void
print_json(json_t *j)
{
	char *s = json_dumps(j, ADMIN_JSON_FLAGS);

	if (s != NULL)
		printf("%s\n", s);
	free(s);
}

static void
print_link_line(json_t *l)
{
	json_t *addrs = json_object_get(l, "addresses"), *a;
	const char *t = json_string_value(json_object_get(l, "target"));
	const char *mode = json_string_value(json_object_get(l, "mode"));
	size_t i;

	printf("%-50s ", json_string_value(json_object_get(l, "name")));
	if (t != NULL)
		printf("%s %s", mode ? mode : "alias", t);
	else {
		printf("static");
		json_array_foreach(addrs, i, a)
		    printf(" %s", json_string_value(a));
	}
	printf(" ttl=%lld source=%s\n",
	    (long long)json_integer_value(json_object_get(l, "ttl")),
	    ctl_jstr(l, "source", "?"));
}

static const char link_usage[] =
    "usage: linkshimctl link ls\n"
    "       linkshimctl link get NAME\n"
    "       linkshimctl link add NAME --target DNSNAME [--mode alias|cname]\n"
    "                [--zonal AZ=DNSNAME]... [--ttl SEC]\n"
    "       linkshimctl link add NAME --address IP [--address IP]... "
    "[--ttl SEC]\n"
    "       linkshimctl link rm NAME\n"
    "Registers links with the running linkshimd through its admin API\n"
    "(PUT/DELETE /v1/links/NAME).  A registration may not shadow a link of\n"
    "the config file (the daemon answers 409).  Options: --json, --socket,\n"
    "--admin-url, --token-file, --timeout.\n";

/* Parse every option of the link command into o (the PUT body).
 * Returns 0, 1 for --help (printed), -1 on a usage error. */
static int
link_opts(int argc, char **argv, struct ctl *ctl, json_t *o)
{
	enum { O_TARGET = CTL_OPT_FIRST_LOCAL, O_MODE, O_ZONAL, O_ADDR, O_TTL };
	static const struct option lo[] = {CTL_COMMON_LONGOPTS,
	    {"target", required_argument, NULL, O_TARGET},
	    {"mode", required_argument, NULL, O_MODE},
	    {"zonal", required_argument, NULL, O_ZONAL},
	    {"address", required_argument, NULL, O_ADDR},
	    {"ttl", required_argument, NULL, O_TTL}, {0, 0, 0, 0}};
	json_t *zonal = json_object(), *addrs = json_array();
	char *eq, *end;
	long ttl;
	int ch, rc = -1;

	while ((ch = getopt_long(argc, argv, "vh", lo, NULL)) != -1) {
		switch (ch) {
		case O_TARGET:
			json_object_set_new(o, "target", json_string(optarg));
			break;
		case O_MODE:
			if (strcmp(optarg, "alias") &&
			    strcmp(optarg, "cname")) {
				ctl_err("--mode: alias or cname");
				goto done;
			}
			json_object_set_new(o, "mode", json_string(optarg));
			break;
		case O_ZONAL:
			if ((eq = strchr(optarg, '=')) == NULL ||
			    eq == optarg) {
				ctl_err("--zonal: expected AZ=DNSNAME");
				goto done;
			}
			*eq = '\0';
			json_object_set_new(zonal, optarg, json_string(eq + 1));
			break;
		case O_ADDR:
			json_array_append_new(addrs, json_string(optarg));
			break;
		case O_TTL:
			ttl = strtol(optarg, &end, 10);
			if (*end != '\0' || ttl < 0 || ttl > 2147483647) {
				ctl_err("--ttl: expected seconds");
				goto done;
			}
			json_object_set_new(o, "ttl", json_integer(ttl));
			break;
		case 'h':
			fputs(link_usage, stdout);
			rc = 1;
			goto done;
		default:
			if (ctl_common_opt(ctl, ch, optarg) <= 0) {
				fputs(link_usage, stderr);
				goto done;
			}
		}
	}
	if (json_object_size(zonal) > 0)
		json_object_set(o, "zonal", zonal);
	if (json_array_size(addrs) > 0)
		json_object_set(o, "addresses", addrs);
	rc = 0;
done:
	json_decref(zonal);
	json_decref(addrs);
	return rc;
}

static int
link_ls(struct ctl *ctl)
{
	struct strbuf raw = {0};
	struct errbuf err = {{0}};
	json_t *j = NULL, *l;
	size_t i;
	int rc = 1;

	if (admin_json(ctl, "GET", "/v1/links", NULL, &j, &raw, &err) == -1) {
		ctl_err("link ls: %s", err.msg);
		goto done;
	}
	if (!json_is_array(json_object_get(j, "links"))) {
		ctl_err("link ls: unexpected reply from linkshimd");
		goto done;
	}
	if (ctl->json)
		print_json(j);
	else
		json_array_foreach(json_object_get(j, "links"), i, l)
		    print_link_line(l);
	rc = 0;
done:
	json_decref(j);
	strbuf_free(&raw);
	return rc;
}

/* GET, PUT or DELETE /v1/links/NAME; prints the resulting object. */
static int
link_one(struct ctl *ctl, const char *method, const char *name, json_t *body)
{
	struct strbuf path = {0}, raw = {0};
	struct errbuf err = {{0}};
	char *e = http_escape(name), *b = NULL;
	json_t *j = NULL;
	int rc = 1;

	if (body != NULL)
		b = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	strbuf_printf(&path, "/v1/links/%s", e ? e : name);
	if (admin_json(ctl, method, strbuf_cstr(&path), b, &j, &raw, &err)) {
		ctl_err("link %s: %s", name, err.msg);
		goto done;
	}
	if (ctl->json && j != NULL)
		print_json(j);
	else if (strcmp(method, "DELETE") == 0)
		printf("removed %s\n", name);
	else if (j != NULL) {
		if (json_object_get(j, "name") == NULL)
			json_object_set_new(j, "name", json_string(name));
		print_link_line(j);
	}
	rc = 0;
done:
	free(e);
	free(b);
	json_decref(j);
	strbuf_free(&path);
	strbuf_free(&raw);
	return rc;
}

int
cmd_link(struct ctl *ctl, int argc, char **argv)
{
	json_t *body = json_object();
	const char *sub, *name;
	int rc = 2, r;

	if ((r = link_opts(argc, argv, ctl, body)) != 0) {
		rc = r == 1 ? 0 : 2;
		goto done;
	}
	sub = optind < argc ? argv[optind] : "ls";
	name = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (strcmp(sub, "ls") == 0 || strcmp(sub, "list") == 0)
		rc = link_ls(ctl);
	else if (name == NULL || optind + 2 != argc)
		fputs(link_usage, stderr);
	else if (strcmp(sub, "get") == 0)
		rc = link_one(ctl, "GET", name, NULL);
	else if (strcmp(sub, "rm") == 0 || strcmp(sub, "delete") == 0)
		rc = link_one(ctl, "DELETE", name, NULL);
	else if (strcmp(sub, "add") == 0) {
		if ((json_object_get(body, "target") == NULL) ==
		    (json_object_get(body, "addresses") == NULL))
			ctl_err("link add: give --target or --address");
		else
			rc = link_one(ctl, "PUT", name, body);
	} else
		fputs(link_usage, stderr);
done:
	json_decref(body);
	return rc;
}

static const char zone_usage[] =
    "usage: linkshimctl zone ls\n"
    "       linkshimctl zone add NAME [--comment TEXT]\n"
    "       linkshimctl zone rm NAME\n"
    "       linkshimctl zone records NAME\n"
    "       linkshimctl zone set ZONE RNAME TYPE [--ttl SEC] VALUE...\n"
    "       linkshimctl zone set ZONE RNAME A|AAAA --alias DNSNAME\n"
    "       linkshimctl zone unset ZONE RNAME TYPE\n"
    "Private hosted zones of the running linkshimd (admin API /v1/zones).\n"
    "VALUE is rdata in zone-file form (\"10.0.0.1\", \"10 mx.example.\").\n";

static int
zone_print(struct ctl *ctl, json_t *j, const char *key)
{
	json_t *arr = json_object_get(j, key), *z, *v;
	size_t i, k;

	if (ctl->json || !json_is_array(arr)) {
		print_json(j);
		return 0;
	}
	json_array_foreach(arr, i, z)
	{
		if (strcmp(key, "zones") == 0) {
			printf("%-40s %-24s records=%lld source=%s\n",
			    json_string_value(json_object_get(z, "name")),
			    ctl_jstr(z, "id", ""),
			    (long long)json_integer_value(
			        json_object_get(z, "records")),
			    ctl_jstr(z, "source", ""));
			continue;
		}
		printf("%s %s", json_string_value(json_object_get(z, "name")),
		    json_string_value(json_object_get(z, "type")));
		if (json_object_get(z, "alias") != NULL)
			printf(" alias %s",
			    json_string_value(json_object_get(z, "alias")));
		else {
			printf(" ttl=%lld",
			    (long long)json_integer_value(
			        json_object_get(z, "ttl")));
			json_array_foreach(json_object_get(z, "values"), k, v)
			    printf(" \"%s\"", json_string_value(v));
		}
		printf("\n");
	}
	return 0;
}

/* One zone request; body may be NULL. */
static int
zone_req(struct ctl *ctl, const char *method, const char *path, json_t *body,
    const char *key, const char *done_msg)
{
	struct strbuf raw = {0};
	struct errbuf err = {{0}};
	json_t *j = NULL;
	char *b = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int rc = 1;

	if (admin_json(ctl, method, path, b, &j, &raw, &err) == -1) {
		ctl_err("zone: %s", err.msg);
		goto done;
	}
	if (key != NULL && j != NULL)
		zone_print(ctl, j, key);
	else if (ctl->json && j != NULL)
		print_json(j);
	else if (done_msg != NULL)
		printf("%s\n", done_msg);
	rc = 0;
done:
	free(b);
	json_decref(j);
	strbuf_free(&raw);
	return rc;
}

/* Parse the zone options into body (ttl, alias, comment). */
static int
zone_opts(int argc, char **argv, struct ctl *ctl, json_t *body)
{
	enum { O_TTL = CTL_OPT_FIRST_LOCAL, O_ALIAS, O_COMMENT };
	static const struct option lo[] = {CTL_COMMON_LONGOPTS,
	    {"ttl", required_argument, NULL, O_TTL},
	    {"alias", required_argument, NULL, O_ALIAS},
	    {"comment", required_argument, NULL, O_COMMENT}, {0, 0, 0, 0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "vh", lo, NULL)) != -1) {
		switch (ch) {
		case O_TTL:
			json_object_set_new(body, "ttl",
			    json_integer(strtol(optarg, NULL, 10)));
			break;
		case O_ALIAS:
			json_object_set_new(body, "alias", json_string(optarg));
			break;
		case O_COMMENT:
			json_object_set_new(
			    body, "comment", json_string(optarg));
			break;
		case 'h':
			fputs(zone_usage, stdout);
			return 1;
		default:
			if (ctl_common_opt(ctl, ch, optarg) <= 0) {
				fputs(zone_usage, stderr);
				return -1;
			}
		}
	}
	return 0;
}

/* "/v1/zones/Z[/records[/R/T]]" with each part escaped. */
static void
zone_path(struct strbuf *p, char **parts, int n)
{
	static const char *seg[] = {"/v1/zones/", "/records/", "/"};
	char *e;
	int i;

	for (i = 0; i < n && i < 3; i++) {
		e = http_escape(parts[i]);
		strbuf_str(p, seg[i]);
		strbuf_str(p, e ? e : parts[i]);
		free(e);
	}
}

static int
zone_set(struct ctl *ctl, char **pos, int npos, json_t *body)
{
	struct strbuf path = {0};
	json_t *vals = json_array();
	int i, rc = 2;

	for (i = 3; i < npos; i++)
		json_array_append_new(vals, json_string(pos[i]));
	if ((json_array_size(vals) > 0) ==
	    (json_object_get(body, "alias") != NULL)) {
		ctl_err("zone set: give VALUE... or --alias, not both");
		goto done;
	}
	json_object_del(body, "comment");
	if (json_array_size(vals) > 0) {
		json_object_set(body, "values", vals);
		if (json_object_get(body, "ttl") == NULL)
			json_object_set_new(body, "ttl", json_integer(300));
	}
	zone_path(&path, pos, 3);
	rc = zone_req(ctl, "PUT", strbuf_cstr(&path), body, NULL, "ok");
done:
	json_decref(vals);
	strbuf_free(&path);
	return rc;
}

int
cmd_zone(struct ctl *ctl, int argc, char **argv)
{
	struct strbuf path = {0};
	json_t *body = json_object();
	char **pos;
	const char *sub;
	int npos, rc = 2, r;

	if ((r = zone_opts(argc, argv, ctl, body)) != 0) {
		rc = r == 1 ? 0 : 2;
		goto done;
	}
	sub = optind < argc ? argv[optind] : "ls";
	pos = argv + optind + 1;
	npos = argc - optind - 1;
	if (npos < 0)
		npos = 0;
	if (strcmp(sub, "ls") == 0 || strcmp(sub, "list") == 0)
		rc = zone_req(ctl, "GET", "/v1/zones", NULL, "zones", NULL);
	else if (strcmp(sub, "add") == 0 && npos == 1) {
		zone_path(&path, pos, 1);
		rc = zone_req(ctl, "PUT", strbuf_cstr(&path), body, NULL, "ok");
	} else if (strcmp(sub, "rm") == 0 && npos == 1) {
		zone_path(&path, pos, 1);
		rc = zone_req(
		    ctl, "DELETE", strbuf_cstr(&path), NULL, NULL, "removed");
	} else if (strcmp(sub, "records") == 0 && npos == 1) {
		zone_path(&path, pos, 1);
		strbuf_str(&path, "/records");
		rc = zone_req(
		    ctl, "GET", strbuf_cstr(&path), NULL, "records", NULL);
	} else if (strcmp(sub, "set") == 0 && npos >= 3)
		rc = zone_set(ctl, pos, npos, body);
	else if (strcmp(sub, "unset") == 0 && npos == 3) {
		zone_path(&path, pos, 3);
		rc = zone_req(
		    ctl, "DELETE", strbuf_cstr(&path), NULL, NULL, "removed");
	} else
		fputs(zone_usage, stderr);
done:
	json_decref(body);
	strbuf_free(&path);
	return rc;
}
