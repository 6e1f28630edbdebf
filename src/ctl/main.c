/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * linkshimctl main: global options, command dispatch and the small
 * helpers every command shares.  Exit status: 0 success, 1 failure,
 * 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>

#include "ctl/ctl.h"

static const char usage_text[] =
    "usage: linkshimctl [global options] COMMAND [ARGS]\n"
    "\n"
    "Local daemon (admin API: --socket PATH, default " CTL_DEFAULT_SOCKET ",\n"
    "or --admin-url http://127.0.0.1:8053 with --token-file FILE):\n"
    "  check [-c FILE]            validate a config file\n"
    "  link ls|add|rm|get ...     list, register or remove links\n"
    "  zone ls|add|rm|records|set|unset ...  private zones and records\n"
    "  status                     daemon version, uptime, upstreams, cache\n"
    "  reload                     re-read the config file\n"
    "  stats                      Prometheus metrics text\n"
    "\n"
    "AWS (credential chain: env, ~/.aws files, --profile, IMDSv2):\n"
    "  aws discover --vpce-id ID  VPC endpoint DNS names (regional, zonal)\n"
    "  aws route53-sync --vpc-id VPC   links -> private hosted zones\n"
    "  aws config                 show the resolved credentials source,\n"
    "                             region and endpoints (no secrets)\n"
    "\n"
    "Zilliz Cloud (ZILLIZ_API_KEY or --api-key-file):\n"
    "  zilliz import --project-id P     private link names -> mappings\n"
    "  zilliz connect --project-id P ...  the whole private-link setup\n"
    "\n"
    "Diagnosis:\n"
    "  doctor NAME [--port P] [--server ADDR]   why does NAME not connect\n"
    "\n"
    "Global options (also accepted after the command):\n"
    "  --json             machine-readable output on stdout\n"
    "  --socket PATH      admin API unix socket\n"
    "  --admin-url URL    admin API over HTTP instead of the socket\n"
    "  --token-file FILE  bearer token for --admin-url\n"
    "  --timeout SEC      per-request timeout (default 30)\n"
    "  -v, --verbose      print each request line to stderr (no secrets)\n"
    "  -h, --help         this text; COMMAND --help for a command\n";

void
ctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("linkshimctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
ctl_trace(const struct ctl *ctl, const char *fmt, ...)
{
	va_list ap;

	if (ctl == NULL || ctl->verbose == 0)
		return;
	fputs("linkshimctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

char *
ctl_read_file(const char *path, size_t *lenp, struct errbuf *err)
{
	struct strbuf b = {0};
	char chunk[4096];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		strbuf_add(&b, chunk, n);
		if (b.len > 1024 * 1024) {
			errbuf_set(err, "%s: larger than 1 MiB", path);
			goto fail;
		}
	}
	if (ferror(fp) || b.oom) {
		errbuf_set(err, "%s: read error", path);
		goto fail;
	}
	fclose(fp);
	strbuf_add(&b, "", 0);
	if (lenp != NULL)
		*lenp = b.len;
	return b.s;
fail:
	fclose(fp);
	strbuf_free(&b);
	return NULL;
}

const char *
ctl_jstr(json_t *o, const char *key, const char *def)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : def;
}

void
ctl_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int
ctl_common_opt(struct ctl *ctl, int opt, const char *arg)
{
	char *end;
	double sec;

	switch (opt) {
	case CTL_OPT_JSON:
		ctl->json = true;
		return 1;
	case CTL_OPT_SOCKET:
		ctl->socket = arg;
		return 1;
	case CTL_OPT_ADMIN_URL:
		ctl->admin_url = arg;
		return 1;
	case CTL_OPT_TOKEN_FILE:
		ctl->token_file = arg;
		return 1;
	case CTL_OPT_TIMEOUT:
		sec = strtod(arg, &end);
		if (*end != '\0' || sec <= 0 || sec > 3600) {
			ctl_err("--timeout: expected seconds (0 < s <= 3600), "
			        "got '%s'",
			    arg);
			return -1;
		}
		ctl->timeout_ms = (long)(sec * 1000);
		ctl->timeout_set = true;
		return 1;
	case 'v':
		ctl->verbose++;
		return 1;
	default:
		return 0;
	}
}

static const struct {
	const char *name;
	int (*fn)(struct ctl *, int, char **);
} commands[] = {
    {"check", cmd_check},
    {"link", cmd_link},
    {"links", cmd_link},
    {"zone", cmd_zone},
    {"zones", cmd_zone},
    {"status", cmd_status},
    {"reload", cmd_reload},
    {"stats", cmd_stats},
    {"aws", cmd_aws},
    {"zilliz", cmd_zilliz},
    {"doctor", cmd_doctor},
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CTL_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	struct ctl ctl;
	size_t i;
	int ch, rc;

	memset(&ctl, 0, sizeof(ctl));
	ctl.timeout_ms = 30000;
	/* progress lines must interleave with stderr notes in order */
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((ch = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(usage_text, stdout);
			return 0;
		}
		rc = ctl_common_opt(&ctl, ch, optarg);
		if (rc == -1)
			return 2;
		if (rc == 0) {
			fputs(usage_text, stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (strcmp(argv[0], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			ctl_err("cannot initialise libcurl");
			return 1;
		}
		optind = 0; /* glibc: full re-initialisation for the command */
		rc = commands[i].fn(&ctl, argc, argv);
		curl_global_cleanup();
		return rc;
	}
	ctl_err("unknown command '%s' (see linkshimctl --help)", argv[0]);
	return 2;
}
