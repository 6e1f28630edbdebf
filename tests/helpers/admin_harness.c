/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * admin_harness: the admin API on a stub resolver, for the api_*
 * integration tests that exercise the HTTP/JSON/Route 53 surface without
 * DNS (the DNS checks run against the real linkshimd).  It provides the
 * linkshim_* functions admin.c uses: a fixed config with one link and one
 * zone (for the 409 tests), set_dynamic that checks conflicts and counts,
 * stats with one healthy upstream.  The *_async ones report on the next
 * loop iteration, as the real reload thread does (never from inside the
 * call).
 *
 *   admin_harness -s STATE [-u SOCKET] [-l 127.0.0.1:PORT] [-t TOKENFILE]
 *                 [-a CREDS] [-r]   (-r: reload always fails)
 * Prints "ready" on stdout once listening; SIGTERM/SIGINT stop it.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "linkshim/admin.h"
#include "linkshim/linkshim.h"

struct linkshim {
	struct conf conf;
	struct conf_link link;
	struct conf_zone zone;
	size_t ndyn_links, ndyn_zones;
	bool reload_fails;
	uint64_t reloads_ok, reloads_failed;
	struct event_base *base;
	const void *forgotten; /* linkshim_async_forget() */
};

/* One pending *_async result. */
struct harness_done {
	struct linkshim *ls;
	int rv;
	struct errbuf err;
	linkshim_done_fn fn;
	void *arg;
};

const struct conf *
linkshim_conf(const struct linkshim *ls)
{
	return &ls->conf;
}

int
linkshim_reload(struct linkshim *ls, const char *path, struct errbuf *err)
{
	if (ls->reload_fails) {
		ls->reloads_failed++;
		return errbuf_set(err, "%s:3:5: unknown key \"lisen\"", path);
	}
	ls->reloads_ok++;
	return 0;
}

int
linkshim_set_dynamic(struct linkshim *ls, const struct conf_link *links,
    size_t nlinks, const struct conf_zone *zones, size_t nzones,
    struct errbuf *err)
{
	size_t i;

	for (i = 0; i < nlinks; i++)
		if (strcmp(links[i].name, ls->link.name) == 0 ||
		    strcmp(links[i].name, ls->zone.name) == 0)
			return errbuf_set(err, "%s conflicts", links[i].name);
	for (i = 0; i < nzones; i++)
		if (strcmp(zones[i].name, ls->link.name) == 0 ||
		    strcmp(zones[i].name, ls->zone.name) == 0)
			return errbuf_set(err, "%s conflicts", zones[i].name);
	ls->ndyn_links = nlinks;
	ls->ndyn_zones = nzones;
	return 0;
}

static void
harness_done_cb(evutil_socket_t fd, short what, void *arg)
{
	struct harness_done *d = arg;

	(void)fd;
	(void)what;
	if (d->fn != NULL && d->arg != d->ls->forgotten)
		d->fn(d->ls, d->rv, &d->err, d->arg);
	free(d);
}

static int
harness_later(struct linkshim *ls, int rv, const struct errbuf *err,
    linkshim_done_fn fn, void *arg)
{
	const struct timeval now = {0, 0};
	struct harness_done *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -1;
	d->ls = ls;
	d->rv = rv;
	d->err = *err;
	d->fn = fn;
	d->arg = arg;
	if (event_base_once(
	        ls->base, -1, EV_TIMEOUT, harness_done_cb, d, &now) == -1) {
		free(d);
		return -1;
	}
	return 0;
}

int
linkshim_reload_async(struct linkshim *ls, const char *path,
    linkshim_done_fn fn, void *arg, struct errbuf *err)
{
	struct errbuf e;
	int rv;

	memset(&e, 0, sizeof(e));
	rv = linkshim_reload(ls, path, &e);
	if (harness_later(ls, rv, &e, fn, arg) == -1)
		return errbuf_set(err, "out of memory");
	return 0;
}

int
linkshim_set_dynamic_async(struct linkshim *ls, const struct conf_link *links,
    size_t nlinks, const struct conf_zone *zones, size_t nzones,
    linkshim_done_fn fn, void *arg, struct errbuf *err)
{
	struct errbuf e;
	int rv;

	memset(&e, 0, sizeof(e));
	rv = linkshim_set_dynamic(ls, links, nlinks, zones, nzones, &e);
	if (harness_later(ls, rv, &e, fn, arg) == -1)
		return errbuf_set(err, "out of memory");
	return 0;
}

void
linkshim_async_forget(struct linkshim *ls, const void *arg)
{
	ls->forgotten = arg;
}

void
linkshim_get_stats(const struct linkshim *ls, struct linkshim_stats *st)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	memset(st, 0, sizeof(*st));
	st->queries_udp = 3;
	st->rcode[0] = 3;
	st->nlinks = 1 + ls->ndyn_links;
	st->nzones = 1 + ls->ndyn_zones;
	st->reloads_ok = ls->reloads_ok;
	st->reloads_failed = ls->reloads_failed;
	st->nupstreams = 1;
	strcpy(st->upstreams[0].addr, "127.0.0.1:5300");
	st->upstreams[0].srtt_ms = 12;
	st->upstreams[0].last_answer_ms =
	    (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	st->listening = true;
}

static void
stop_cb(evutil_socket_t sig, short ev, void *arg)
{
	(void)sig;
	(void)ev;
	event_base_loopbreak(arg);
}

static int
parse_listen(const char *s, struct conf_addr *a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&a->ss;
	char host[64];
	const char *colon = strrchr(s, ':');

	if (colon == NULL || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	memset(a, 0, sizeof(*a));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return -1;
	a->len = sizeof(*sin);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct linkshim ls;
	struct conf_api api;
	struct event_base *base;
	struct event *sigterm, *sigint;
	struct admin *a;
	struct errbuf err;
	const char *state = "";
	int ch;

	memset(&api, 0, sizeof(api));
	while ((ch = getopt(argc, argv, "s:u:l:t:a:r")) != -1) {
		switch (ch) {
		case 's':
			state = optarg;
			break;
		case 'u':
			strlcpy(api.socket, optarg, sizeof(api.socket));
			break;
		case 'l':
			if (parse_listen(optarg, &api.listen) == -1)
				return 2;
			break;
		case 't':
			strlcpy(api.token_file, optarg, sizeof(api.token_file));
			break;
		case 'a':
			strlcpy(api.aws_credentials, optarg,
			    sizeof(api.aws_credentials));
			break;
		case 'r':
			ls.reload_fails = true;
			break;
		default:
			return 2;
		}
	}
	strcpy(ls.conf.path, "/etc/linkshim/linkshim.yaml");
	ls.link.name = "cfg-link.example.com."; /* never cleared */
	ls.link.target = "vpce-cfg.example.aws.";
	ls.link.ttl = 60;
	strcpy(ls.zone.name, "cfg-zone.example.");
	strcpy(ls.zone.id, "ZCONFIG");
	ls.conf.links = &ls.link;
	ls.conf.nlinks = 1;
	ls.conf.zones = &ls.zone;
	ls.conf.nzones = 1;
	signal(SIGPIPE, SIG_IGN);
	if ((base = event_base_new()) == NULL)
		return 1;
	ls.base = base;
	if ((a = admin_new(base, &ls, state, &api, &err)) == NULL) {
		fprintf(stderr, "admin_harness: %s\n", err.msg);
		return 1;
	}
	sigterm = evsignal_new(base, SIGTERM, stop_cb, base);
	sigint = evsignal_new(base, SIGINT, stop_cb, base);
	event_add(sigterm, NULL);
	event_add(sigint, NULL);
	printf("ready\n");
	fflush(stdout);
	event_base_dispatch(base);
	admin_free(a);
	event_free(sigterm);
	event_free(sigint);
	event_base_free(base);
	return 0;
}
