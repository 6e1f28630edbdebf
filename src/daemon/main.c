/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * linkshimd: the daemon's main().  In the order of OpenBSD unwind's
 * main(): options, parse the config, -n (check only), event base, bind
 * (linkshim_new), privilege drop, signals, dispatch.  The daemon always
 * runs in the foreground and logs to stderr (-d is accepted for
 * compatibility).  SIGHUP reloads the config without stalling the loop
 * (a bad one is logged and the old one keeps serving); SIGTERM and SIGINT stop
 * cleanly, freeing everything.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "linkshim/admin.h"
#include "linkshim/conf.h"
#include "linkshim/errbuf.h"
#include "linkshim/linkshim.h"
#include "linkshim/log.h"
#include "linkshim/notify.h"
#include "linkshim/zonetab.h"
#include "daemon/privdrop.h"

#define MAIN_DEFAULT_CONF "/etc/linkshim/linkshim.yaml"

struct main_ctx {
	struct event_base *base;
	struct linkshim *ls;
	struct admin *admin; /* API and registrations; NULL when failed */
	const char *path;
	struct notify notify; /* sd_notify(3); a no-op outside systemd */
	struct conf_api api;  /* what the admin API was started with */
	char state[CONF_PATH_MAX];
};

static __attribute__((noreturn)) void
main_usage(void)
{
	fprintf(stderr, "usage: linkshimd [-dnv] [-c file]\n");
	exit(1);
}

/*
 * Privilege drop: after every socket is bound, before the event loop
 * runs (unwind order).  As root with `user:` set, chroot (optional) and
 * switch to that user; a failure is fatal for the start.
 */
static int
main_drop_privileges(const struct conf *conf)
{
	struct errbuf err;
	bool dropped = false;

	memset(&err, 0, sizeof(err));
	if (privdrop_apply(conf->user, conf->chroot, &dropped, &err) == -1) {
		log_warnx("privilege drop: %s", err.msg);
		return -1;
	}
	if (dropped)
		log_info("running as %s%s%s", conf->user,
		    conf->chroot[0] != '\0' ? " in " : "", conf->chroot);
	else if (geteuid() == 0)
		log_debug("running as root (no user: configured)");
	return 0;
}

/*
 * The admin API keeps the sockets and state file it started with: a
 * reload that changes them says so (restart to apply) rather than half
 * applying a socket move.
 */
static void
main_reload_warn_admin(struct main_ctx *ctx)
{
	const struct conf *c = linkshim_conf(ctx->ls);
	char a[64], b[64];

	conf_format_addr(&c->api.listen, a, sizeof(a));
	conf_format_addr(&ctx->api.listen, b, sizeof(b));
	if (strcmp(c->api.socket, ctx->api.socket) != 0 ||
	    c->api.listen.len != ctx->api.listen.len ||
	    (c->api.listen.len != 0 && strcmp(a, b) != 0) ||
	    strcmp(c->api.token_file, ctx->api.token_file) != 0 ||
	    strcmp(c->api.aws_credentials, ctx->api.aws_credentials) != 0 ||
	    strcmp(c->state, ctx->state) != 0)
		log_warnx("reload: api/state changes take effect at the next "
		          "start");
}

/* A reload finished (in the resolver's reload thread, applied on the
 * loop); a bad config keeps the old one serving. */
static void
main_reload_done(
    struct linkshim *ls, int rv, const struct errbuf *err, void *arg)
{
	struct main_ctx *ctx = arg;
	char status[NOTIFY_MSG_MAX / 2];

	(void)ls;
	if (rv == -1) {
		log_warnx("reload failed, keeping the old configuration: %s",
		    err->msg);
		snprintf(
		    status, sizeof(status), "reload failed: %.200s", err->msg);
		notify_ready(&ctx->notify, status);
	} else {
		main_reload_warn_admin(ctx);
		notify_ready(&ctx->notify, "reloaded");
	}
}

/*
 * The config is loaded and the snapshot built off the loop (liblinkshim's
 * reload thread), so queries keep being answered meanwhile; a SIGHUP
 * during a reload reloads once more after it.
 */
static void
main_sighup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct main_ctx *ctx = arg;
	struct errbuf err;

	(void)sig;
	(void)what;
	memset(&err, 0, sizeof(err));
	log_info("SIGHUP: reloading %s", ctx->path);
	notify_reloading(&ctx->notify);
	if (linkshim_reload_async(
	        ctx->ls, ctx->path, main_reload_done, ctx, &err) == -1)
		main_reload_done(ctx->ls, -1, &err, ctx);
}

static void
main_sigterm_cb(evutil_socket_t sig, short what, void *arg)
{
	struct main_ctx *ctx = arg;

	(void)what;
	log_info("signal %d: stopping", (int)sig);
	notify_stopping(&ctx->notify);
	event_base_loopbreak(ctx->base);
}

/*
 * -n: check the config, print it canonically with -v.  The zone snapshot
 * is built too, so that -n refuses exactly what the daemon would refuse
 * at start (a link that clashes with a zone record, ...).
 */
static int
main_check(const char *path, int verbose)
{
	struct conf *conf = NULL;
	struct zonetab *zt = NULL;
	struct errbuf err;

	memset(&err, 0, sizeof(err));
	if (conf_load(path, &conf, &err) == -1) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	if (zonetab_build(conf->links, conf->nlinks, conf->zones, conf->nzones,
	        conf->forward, conf->nforward, conf->availability_zone, &zt,
	        &err) == -1) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		conf_free(conf);
		return 1;
	}
	zonetab_free(zt);
	if (verbose > 0)
		conf_print(conf, stdout);
	fprintf(stderr, "configuration OK\n");
	conf_free(conf);
	return 0;
}

/*
 * Registrations from the state file, and the admin sockets: bound before
 * the privilege drop like the DNS listeners.
 */
static int
main_start_admin(struct main_ctx *ctx)
{
	const struct conf *cf = linkshim_conf(ctx->ls);
	struct errbuf err;

	memset(&err, 0, sizeof(err));
	ctx->api = cf->api;
	strlcpy(ctx->state, cf->state, sizeof(ctx->state));
	ctx->admin = admin_new(ctx->base, ctx->ls, cf->state, &cf->api, &err);
	if (ctx->admin == NULL) {
		log_warnx("admin API: %s", err.msg);
		return -1;
	}
	return 0;
}

static int
main_run(struct conf *conf, const char *path)
{
	struct event *sig[3] = {NULL, NULL, NULL};
	struct main_ctx ctx;
	struct errbuf err;
	int i, rv = 1;

	memset(&ctx, 0, sizeof(ctx));
	memset(&err, 0, sizeof(err));
	ctx.path = path;
	/* connected before any chroot, so that it still works after */
	(void)notify_open(&ctx.notify);
	if ((ctx.base = event_base_new()) == NULL) {
		log_warnx("event_base_new failed");
		conf_free(conf);
		goto done;
	}
	if ((ctx.ls = linkshim_new(ctx.base, conf, &err)) == NULL) {
		log_warnx("%s", err.msg);
		conf_free(conf);
		goto done;
	}
	if (main_start_admin(&ctx) == -1 ||
	    main_drop_privileges(linkshim_conf(ctx.ls)) == -1)
		goto done;
	sig[0] = evsignal_new(ctx.base, SIGHUP, main_sighup_cb, &ctx);
	sig[1] = evsignal_new(ctx.base, SIGTERM, main_sigterm_cb, &ctx);
	sig[2] = evsignal_new(ctx.base, SIGINT, main_sigterm_cb, &ctx);
	for (i = 0; i < 3; i++)
		if (sig[i] == NULL || evsignal_add(sig[i], NULL) == -1) {
			log_warnx("cannot set up signal handling");
			goto done;
		}
	/* The parser's per-item YAML and the names check's zonetab are
	 * freed but their pages still count in RSS (holes in the heap):
	 * return them. */
	malloc_trim(0);
	log_info(
	    "started: %zu listen addresses", linkshim_conf(ctx.ls)->nlisten);
	/* The sockets are bound: queries sent from now on are answered. */
	notify_ready(&ctx.notify, "serving");
	if (event_base_dispatch(ctx.base) == -1)
		log_warnx("event_base_dispatch failed");
	else
		rv = 0;
done:
	for (i = 0; i < 3; i++)
		if (sig[i] != NULL)
			event_free(sig[i]);
	admin_free(ctx.admin);
	linkshim_free(ctx.ls);
	if (ctx.base != NULL)
		event_base_free(ctx.base);
	notify_close(&ctx.notify);
	libevent_global_shutdown();
	return rv;
}

int
main(int argc, char *argv[])
{
	const char *path = MAIN_DEFAULT_CONF;
	struct conf *conf = NULL;
	struct errbuf err;
	int ch, check = 0, verbose = 0;

	while ((ch = getopt(argc, argv, "c:dnv")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			break; /* always in the foreground */
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			main_usage();
		}
	}
	if (optind != argc)
		main_usage();
	log_init(verbose, false, "linkshimd");
	if (check)
		return main_check(path, verbose);
	signal(SIGPIPE, SIG_IGN);
	memset(&err, 0, sizeof(err));
	if (conf_load(path, &conf, &err) == -1) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	/* Opened now (LOG_NDELAY) so that /dev/log stays reachable after a
	 * chroot; a reload does not switch the log target. */
	if (conf->syslog)
		log_init(verbose, true, "linkshimd");
	return main_run(conf, path);
}
