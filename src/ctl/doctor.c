/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * doctor: the private-link FAQ ("connection timed out") as a check list
 * for one name: is there a record in linkshimd and in the system
 * resolver, do they agree (and match the link's endpoint when the admin
 * API can tell), does a TCP connect to each address succeed, get
 * refused or hang, and does the service answer HTTP.  Each failure
 * prints its likely cause and the fix.  Exit 0 only when nothing failed.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <ldns/ldns.h>

#include "ctl/ctl.h"
#include "ctl/doctor.h"

enum dstatus { D_OK, D_WARN, D_FAIL, D_SKIP };

struct doctor {
	struct ctl *ctl;
	const char *name;
	unsigned port;
	const char *server;
	struct sockaddr_storage srv;
	socklen_t srvlen;
	long timeout_ms;
	const char *scheme; /* auto, http, https */
	bool no_system;
	struct doctor_addrs shim, sys;
	json_t *checks;
	int failures;
};

static const char doctor_usage[] =
    "usage: linkshimctl doctor NAME [--port P] [--server ADDR[:PORT]]\n"
    "                [--timeout SEC] [--scheme auto|http|https] "
    "[--no-system]\n"
    "Checks, in order, why NAME does not connect:\n"
    "  1. a record for NAME in linkshimd (--server, default 127.0.0.1:53)\n"
    "  2. the system resolver (getaddrinfo) gives the same addresses\n"
    "  3. the addresses match the link's endpoint target (via the admin\n"
    "     API, when reachable)\n"
    "  4. TCP to each address on port P (default 443): ok, refused, or no\n"
    "     answer -> a security group or NACL drops traffic to port P\n"
    "  5. the service answers HTTP(S) (any status, 400 included, means\n"
    "     reachable)\n"
    "Each failure prints the likely cause and the fix.  --timeout bounds\n"
    "every probe (default 5 s).  Exit 0 when nothing failed.\n";

static void report(struct doctor *d, const char *check, enum dstatus st,
    const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
report(struct doctor *d, const char *check, enum dstatus st, const char *fix,
    const char *fmt, ...)
{
	static const char *tag[] = {"ok", "warn", "FAIL", "skip"};
	char detail[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (st == D_FAIL)
		d->failures++;
	json_array_append_new(d->checks,
	    json_pack("{s:s,s:s,s:s,s:s}", "check", check, "status", tag[st],
	        "detail", detail, "fix", fix ? fix : ""));
	if (d->ctl->json)
		return;
	printf("%-4s  %s: %s\n", tag[st], check, detail);
	if (fix != NULL && st != D_OK)
		printf("      fix: %s\n", fix);
}

static void
addrs_str(const struct doctor_addrs *a, char *out, size_t len)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < a->n; i++) {
		if (i > 0)
			strlcat(out, " ", len);
		strlcat(out, a->a[i], len);
	}
}

static bool
addrs_same(const struct doctor_addrs *x, const struct doctor_addrs *y)
{
	size_t i, j;

	if (x->n != y->n)
		return false;
	for (i = 0; i < x->n; i++) {
		for (j = 0; j < y->n; j++)
			if (strcmp(x->a[i], y->a[j]) == 0)
				break;
		if (j == y->n)
			return false;
	}
	return true;
}

/* Check 1: ask linkshimd for A and AAAA. */
static void
check_shim(struct doctor *d)
{
	char list[800], fix[512];
	int rc4, rc6, rcode4 = -1, rcode6 = -1;

	rc4 = doctor_dns_query(&d->srv, d->srvlen, d->name, LDNS_RR_TYPE_A,
	    d->timeout_ms, &d->shim, &rcode4);
	rc6 = doctor_dns_query(&d->srv, d->srvlen, d->name, LDNS_RR_TYPE_AAAA,
	    d->timeout_ms, &d->shim, &rcode6);
	if (rc4 != 0 && rc6 != 0) {
		report(d, "record in linkshimd", D_FAIL,
		    "start linkshimd (systemctl start linkshimd) or point "
		    "--server at the address and port it listens on",
		    "no answer from %s within %lds", d->server,
		    d->timeout_ms / 1000);
		return;
	}
	if (d->shim.n > 0) {
		addrs_str(&d->shim, list, sizeof(list));
		report(d, "record in linkshimd", D_OK, NULL, "%s -> %s",
		    d->name, list);
		return;
	}
	if (rcode4 == LDNS_RCODE_NXDOMAIN) {
		snprintf(fix, sizeof(fix),
		    "register the mapping: linkshimctl link add %s --target "
		    "<endpoint DNS name> (or: aws discover --link, zilliz "
		    "import --register)",
		    d->name);
		report(d, "record in linkshimd", D_FAIL, fix,
		    "%s does not exist in linkshimd (NXDOMAIN)", d->name);
	} else if (rcode4 == LDNS_RCODE_SERVFAIL)
		report(d, "record in linkshimd", D_FAIL,
		    "check the upstreams (linkshimctl status) and that the "
		    "link's target resolves in the VPC",
		    "linkshimd could not resolve %s (SERVFAIL)", d->name);
	else if (rcode4 == LDNS_RCODE_REFUSED)
		report(d, "record in linkshimd", D_FAIL,
		    "add this host's address to allow: in the config",
		    "linkshimd refused the query from this host");
	else
		report(d, "record in linkshimd", D_FAIL,
		    "check the link: linkshimctl link get NAME; its target "
		    "must have A/AAAA records",
		    "%s has no A/AAAA record (rcode %d)", d->name, rcode4);
}

/* Check 2: the system resolver (what applications use). */
static void
check_system(struct doctor *d)
{
	char err[256], a[800], b[800];

	if (d->no_system) {
		report(d, "system resolver", D_SKIP, NULL, "--no-system");
		return;
	}
	if (doctor_system_resolve(d->name, &d->sys, err, sizeof(err)) == -1) {
		report(d, "system resolver", D_FAIL,
		    "point /etc/resolv.conf (or systemd-resolved's DNS=) at "
		    "linkshimd",
		    "getaddrinfo(%s): %s", d->name, err);
		return;
	}
	addrs_str(&d->sys, a, sizeof(a));
	if (d->shim.n == 0 || addrs_same(&d->sys, &d->shim)) {
		report(
		    d, "system resolver", D_OK, NULL, "%s -> %s", d->name, a);
		return;
	}
	addrs_str(&d->shim, b, sizeof(b));
	report(d, "system resolver", D_WARN,
	    "the system does not ask linkshimd (or caches an old answer): "
	    "point resolv.conf at it",
	    "%s -> %s, but linkshimd says %s", d->name, a, b);
}

/* Check 3: the link's target resolves to the same addresses. */
static void
check_endpoint(struct doctor *d)
{
	struct strbuf path = {0}, raw = {0};
	struct errbuf err = {{0}};
	struct doctor_addrs t = {0};
	char a[800], b[800], *e = http_escape(d->name);
	const char *target;
	json_t *j = NULL;
	long status = 0;
	int rcode;

	strbuf_printf(&path, "/v1/links/%s", e ? e : d->name);
	if (admin_call(d->ctl, "GET", strbuf_cstr(&path), NULL, &status, &raw,
	        &err) == -1 ||
	    status != 200) {
		if (status != 0)
			report(d, "endpoint addresses", D_SKIP, NULL,
			    "no link %s in the admin API (HTTP %ld)", d->name,
			    status);
		else
			report(d, "endpoint addresses", D_SKIP, NULL,
			    "admin API not reachable");
		goto done;
	}
	j = json_loads(strbuf_cstr(&raw), 0, NULL);
	if ((target = ctl_jstr(j, "target", NULL)) == NULL) {
		report(d, "endpoint addresses", D_SKIP, NULL,
		    "%s has static addresses", d->name);
		goto done;
	}
	doctor_dns_query(&d->srv, d->srvlen, target, LDNS_RR_TYPE_A,
	    d->timeout_ms, &t, &rcode);
	doctor_dns_query(&d->srv, d->srvlen, target, LDNS_RR_TYPE_AAAA,
	    d->timeout_ms, &t, &rcode);
	addrs_str(&t, a, sizeof(a));
	addrs_str(&d->shim, b, sizeof(b));
	if (t.n > 0 && addrs_same(&t, &d->shim))
		report(d, "endpoint addresses", D_OK, NULL,
		    "%s = endpoint %s (%s)", d->name, target, a);
	else
		report(d, "endpoint addresses", D_WARN,
		    "the link points at another endpoint or the target does "
		    "not resolve in this VPC: linkshimctl aws discover "
		    "--vpce-id <id>",
		    "%s -> %s, endpoint %s -> %s", d->name, b[0] ? b : "-",
		    target, a[0] ? a : "nothing");
done:
	free(e);
	json_decref(j);
	strbuf_free(&path);
	strbuf_free(&raw);
}

/* Check 4: TCP connect to every address; returns how many accepted. */
static size_t
check_tcp(struct doctor *d, const struct doctor_addrs *use, bool *ok)
{
	char check[128], fix[512];
	size_t i, good = 0;
	int e;

	for (i = 0; i < use->n; i++) {
		snprintf(
		    check, sizeof(check), "tcp %s port %u", use->a[i], d->port);
		ok[i] = false;
		switch (
		    doctor_tcp_connect(use->a[i], d->port, d->timeout_ms, &e)) {
		case DOCTOR_TCP_OK:
			ok[i] = true;
			good++;
			report(d, check, D_OK, NULL, "connected");
			break;
		case DOCTOR_TCP_REFUSED:
			report(d, check, D_FAIL,
			    "check the port (--port) and that the service "
			    "behind the endpoint is up",
			    "connection refused: the address answers but "
			    "nothing listens on port %u",
			    d->port);
			break;
		case DOCTOR_TCP_TIMEOUT:
			snprintf(fix, sizeof(fix),
			    "allow inbound TCP %u from this host (its address "
			    "or security group) in the endpoint's security "
			    "group, and in the subnet's network ACL",
			    d->port);
			report(d, check, D_FAIL, fix,
			    "no answer within %lds: security group or NACL "
			    "drops traffic to port %u from this host",
			    d->timeout_ms / 1000, d->port);
			break;
		case DOCTOR_TCP_UNREACHABLE:
			report(d, check, D_FAIL,
			    "check the route tables: the endpoint must be in "
			    "this VPC (or a peered one)",
			    "no route to %s (%s)", use->a[i], strerror(e));
			break;
		default:
			report(d, check, D_FAIL, NULL, "connect failed: %s",
			    strerror(e));
		}
	}
	return good;
}

/* One HTTP request to scheme://NAME:port/ pinned to addr. */
static int
http_probe(struct doctor *d, const char *scheme, const char *addr,
    struct http_resp *resp, struct errbuf *err)
{
	struct strbuf url = {0}, res = {0};
	int rc;

	strbuf_printf(&url, "%s://%s:%u/", scheme, d->name, d->port);
	strbuf_printf(&res, strchr(addr, ':') ? "%s:%u:[%s]" : "%s:%u:%s",
	    d->name, d->port, addr);
	rc = http_do(d->ctl,
	    &(struct http_req){.method = "GET",
	        .url = strbuf_cstr(&url),
	        .resolve = strbuf_cstr(&res),
	        .timeout_ms = d->timeout_ms},
	    resp, err);
	strbuf_free(&url);
	strbuf_free(&res);
	return rc;
}

/* Check 5: the service answers (any HTTP status means reachable). */
static void
check_http(struct doctor *d, const char *addr)
{
	struct http_resp resp = {0};
	struct errbuf err = {{0}}, err2 = {{0}};
	char check[128];
	const char *scheme = strcmp(d->scheme, "http") == 0 ? "http" : "https";
	int rc;

	snprintf(check, sizeof(check), "service at %s", addr);
	rc = http_probe(d, scheme, addr, &resp, &err);
	if (rc == -1 && strcmp(d->scheme, "auto") == 0) {
		scheme = "http";
		rc = http_probe(d, scheme, addr, &resp, &err2);
	}
	if (rc == 0)
		report(d, check, D_OK, NULL, "%s answered HTTP %ld (reachable)",
		    scheme, resp.status);
	else
		report(d, check, D_FAIL,
		    "TCP works but the service does not speak HTTP(S) here: "
		    "check --port and --scheme, and the endpoint service",
		    "%s", err.msg);
	http_resp_clear(&resp);
}

static int
doctor_opts(struct doctor *d, int argc, char **argv)
{
	enum { O_PORT = CTL_OPT_FIRST_LOCAL, O_SERVER, O_SCHEME, O_NOSYS };
	static const struct option lo[] = {CTL_COMMON_LONGOPTS,
	    {"port", required_argument, NULL, O_PORT},
	    {"server", required_argument, NULL, O_SERVER},
	    {"scheme", required_argument, NULL, O_SCHEME},
	    {"no-system", no_argument, NULL, O_NOSYS}, {0, 0, 0, 0}};
	char *end;
	long v;
	int ch;

	while ((ch = getopt_long(argc, argv, "p:vh", lo, NULL)) != -1) {
		switch (ch) {
		case 'p':
		case O_PORT:
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 1 || v > 65535) {
				ctl_err("--port: 1..65535");
				return -1;
			}
			d->port = (unsigned)v;
			break;
		case O_SERVER:
			d->server = optarg;
			break;
		case O_SCHEME:
			if (strcmp(optarg, "auto") && strcmp(optarg, "http") &&
			    strcmp(optarg, "https")) {
				ctl_err("--scheme: auto, http or https");
				return -1;
			}
			d->scheme = optarg;
			break;
		case O_NOSYS:
			d->no_system = true;
			break;
		case 'h':
			fputs(doctor_usage, stdout);
			return 1;
		default:
			if (ctl_common_opt(d->ctl, ch, optarg) <= 0) {
				fputs(doctor_usage, stderr);
				return -1;
			}
		}
	}
	return 0;
}

int
cmd_doctor(struct ctl *ctl, int argc, char **argv)
{
	struct doctor d;
	const struct doctor_addrs *use;
	bool ok[DOCTOR_MAX_ADDRS];
	json_t *out;
	char *s;
	size_t i;
	int r;

	memset(&d, 0, sizeof(d));
	d.ctl = ctl;
	d.port = 443;
	d.server = "127.0.0.1:53";
	d.scheme = "auto";
	if (!ctl->timeout_set) /* the global 30 s is too long for probes */
		ctl->timeout_ms = 5000;
	if ((r = doctor_opts(&d, argc, argv)) != 0)
		return r == 1 ? 0 : 2;
	d.timeout_ms = ctl->timeout_ms;
	if (optind + 1 != argc) {
		fputs(doctor_usage, stderr);
		return 2;
	}
	d.name = argv[optind];
	if (doctor_parse_server(d.server, &d.srv, &d.srvlen) == -1) {
		ctl_err(
		    "--server: expected ADDR or ADDR:PORT, got '%s'", d.server);
		return 2;
	}
	d.checks = json_array();
	check_shim(&d);
	check_system(&d);
	if (d.shim.n > 0)
		check_endpoint(&d);
	use = d.shim.n > 0 ? &d.shim : &d.sys;
	if (use->n == 0)
		report(&d, "tcp", D_SKIP, NULL, "no address to connect to");
	else if (check_tcp(&d, use, ok) > 0)
		for (i = 0; i < use->n; i++)
			if (ok[i])
				check_http(&d, use->a[i]);
	if (ctl->json) {
		out = json_pack("{s:s,s:i,s:O,s:b}", "name", d.name, "port",
		    d.port, "checks", d.checks, "ok", d.failures == 0);
		s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", s ? s : "{}");
		free(s);
		json_decref(out);
	} else
		printf("%s\n",
		    d.failures == 0 ? "all checks passed"
		                    : "some checks failed");
	json_decref(d.checks);
	return d.failures == 0 ? 0 : 1;
}
