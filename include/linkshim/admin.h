/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * admin: the registration and operations API of linkshimd (design.md §5)
 * on libevent's evhttp.  A unix socket (peer uid checked: root or the
 * daemon's euid) and, when configured, an HTTP listener (bearer token;
 * required unless the address is loopback).  It serves the JSON admin API
 * (/v1/...), the Route 53-compatible API (/2013-04-01/..., SigV4-verified
 * when api.aws_credentials is set), GET /healthz and GET /metrics.
 * Registrations live in a linkstore persisted to the state file before any
 * success reply and pushed to the resolver with linkshim_set_dynamic().
 */
#ifndef LINKSHIM_ADMIN_H
#define LINKSHIM_ADMIN_H

#include "linkshim/conf.h"
#include "linkshim/errbuf.h"

struct event_base;
struct linkshim;
struct admin;

#define ADMIN_BODY_MAX (1024 * 1024) /* larger request bodies get 413 */

/*
 * Load the state file at state_path ("" or NULL: registrations are kept in
 * memory only), push its registrations into ls, then bind the unix socket
 * (api->socket, "" = none) and the HTTP listener (api->listen, len 0 =
 * none) on base.  Refuses to start (NULL, err filled) when the state file
 * is unreadable or conflicts with the config, when a non-loopback listener
 * has no token file, when the token or credentials file is unreadable, or
 * when a bind fails.  ls and base are borrowed and must outlive the admin;
 * api is copied.  Returns a new admin; caller frees with admin_free().
 */
struct admin *admin_new(struct event_base *base, struct linkshim *ls,
    const char *state_path, const struct conf_api *api, struct errbuf *err);

/* Close the listeners (and unlink the unix socket); NULL-safe. */
void admin_free(struct admin *a);

#endif
