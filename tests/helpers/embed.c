/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Embedding example and test program for liblinkshim: a libevent program
 * that owns its event_base, builds a struct conf in code (no YAML file),
 * creates the resolver on its base, adds a link at run time (synchronously,
 * then a second one through linkshim_set_dynamic_async(): built in the
 * library's reload thread while the loop runs), and serves until
 * SIGTERM/SIGINT, then prints the statistics and frees everything.
 * Usage: embed PORT UPSTREAM_PORT.  Prints "ready" once the asynchronous
 * update is applied.
 * tests/pkg/embed.sh queries it with dig; deb.sh builds it against the
 * installed shared library with pkg-config.
 */
#include <arpa/inet.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "linkshim/conf.h"
#include "linkshim/linkshim.h"

/* A static link: name -> one IPv4 address. */
static int
embed_static_link(struct conf_link *l, const char *name, const char *v4)
{
	char norm[CONF_NAME_MAX];

	memset(l, 0, sizeof(*l));
	if (conf_normalize_name(name, norm, sizeof(norm), false) == -1 ||
	    (l->name = strdup(norm)) == NULL)
		return -1;
	l->mode = LINK_MODE_STATIC;
	l->ttl = 60;
	if ((l->addrs = calloc(1, sizeof(*l->addrs))) == NULL)
		return -1;
	l->naddrs = 1;
	l->addrs[0].family = AF_INET;
	return inet_pton(AF_INET, v4, l->addrs[0].addr) == 1 ? 0 : -1;
}

/* The config a caller would otherwise write in YAML. */
static struct conf *
embed_conf(const char *port, const char *upport)
{
	struct conf *c;
	char addr[64];

	if ((c = conf_new_default()) == NULL)
		return NULL;
	snprintf(addr, sizeof(addr), "127.0.0.1:%s", port);
	if (conf_parse_addr(addr, 5353, &c->listen[0]) == -1)
		goto fail;
	if ((c->upstreams = calloc(1, sizeof(*c->upstreams))) == NULL)
		goto fail;
	c->nupstreams = 1;
	snprintf(addr, sizeof(addr), "127.0.0.1:%s", upport);
	if (conf_parse_addr(addr, 53, &c->upstreams[0]) == -1)
		goto fail;
	if ((c->links = calloc(1, sizeof(*c->links))) == NULL)
		goto fail;
	c->nlinks = 1;
	if (embed_static_link(
	        &c->links[0], "in01-embed.example.test", "192.0.2.10") == -1)
		goto fail;
	return c;
fail:
	conf_free(c);
	return NULL;
}

/* linkshim_set_dynamic_async() is done: both run-time links serve. */
static void
embed_dynamic_done(
    struct linkshim *ls, int rv, const struct errbuf *err, void *arg)
{
	(void)ls;
	if (rv == -1) {
		fprintf(stderr, "embed: linkshim_set_dynamic_async: %s\n",
		    err->msg);
		event_base_loopexit(arg, NULL);
		return;
	}
	printf("ready\n");
	fflush(stdout);
}

static void
embed_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopexit(arg, NULL);
}

int
main(int argc, char **argv)
{
	struct event_base *base = NULL;
	struct event *sigterm = NULL, *sigint = NULL;
	struct linkshim *ls = NULL;
	struct linkshim_stats st;
	struct errbuf err = {{0}};
	struct conf_link dyn[2];
	struct conf *conf = NULL;
	int rc = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: embed PORT UPSTREAM_PORT\n");
		return 2;
	}
	memset(dyn, 0, sizeof(dyn));
	if ((base = event_base_new()) == NULL ||
	    (conf = embed_conf(argv[1], argv[2])) == NULL) {
		fprintf(stderr, "embed: setup failed\n");
		goto done;
	}
	if ((ls = linkshim_new(base, conf, &err)) == NULL) {
		fprintf(stderr, "embed: linkshim_new: %s\n", err.msg);
		goto done;
	}
	conf = NULL; /* owned by ls now */
	/* A link added at run time, as the admin API does. */
	if (embed_static_link(
	        &dyn[0], "dyn-embed.example.test", "192.0.2.11") == -1 ||
	    linkshim_set_dynamic(ls, dyn, 1, NULL, 0, &err) == -1) {
		fprintf(stderr, "embed: linkshim_set_dynamic: %s\n", err.msg);
		goto done;
	}
	/* The whole set again plus one, without blocking the loop. */
	if (embed_static_link(
	        &dyn[1], "async-embed.example.test", "192.0.2.12") == -1 ||
	    linkshim_set_dynamic_async(
	        ls, dyn, 2, NULL, 0, embed_dynamic_done, base, &err) == -1) {
		fprintf(
		    stderr, "embed: linkshim_set_dynamic_async: %s\n", err.msg);
		goto done;
	}
	sigterm = evsignal_new(base, SIGTERM, embed_signal_cb, base);
	sigint = evsignal_new(base, SIGINT, embed_signal_cb, base);
	if (sigterm == NULL || sigint == NULL || evsignal_add(sigterm, NULL) ||
	    evsignal_add(sigint, NULL)) {
		fprintf(stderr, "embed: signals\n");
		goto done;
	}
	if (event_base_dispatch(base) == -1)
		goto done;
	linkshim_get_stats(ls, &st);
	printf("links=%zu queries_udp=%llu answers_local=%llu\n", st.nlinks,
	    (unsigned long long)st.queries_udp,
	    (unsigned long long)st.answers_local);
	rc = 0;
done:
	conf_link_clear(&dyn[0]);
	conf_link_clear(&dyn[1]);
	if (sigterm != NULL)
		event_free(sigterm);
	if (sigint != NULL)
		event_free(sigint);
	linkshim_free(ls);
	conf_free(conf);
	if (base != NULL)
		event_base_free(base);
	return rc;
}
