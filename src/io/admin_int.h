/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * admin_int: what the admin_*.c files share and nobody else sees: the
 * struct admin, the per-request context, reply helpers and the commit
 * path (save the state file, push to the resolver, swap).
 */
#ifndef LINKSHIM_ADMIN_INT_H
#define LINKSHIM_ADMIN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sys/queue.h>

#include <event2/keyvalq_struct.h>

#include "linkshim/admin.h"
#include "linkshim/conf.h"
#include "linkshim/errbuf.h"
#include "linkshim/linkstore.h"

struct evhttp;
struct evhttp_request;
struct evconnlistener;

#define ADMIN_CHANGES_KEPT 1024
#define ADMIN_MAX_CREDS 64

struct admin_change {
	char id[32];
	time_t submitted;
};

struct admin_cred {
	char access_key[128];
	char secret[128];
};

struct admin_listener {
	struct admin *admin;
	struct evhttp *http;
	bool is_unix;
	bool loopback;
};

struct admin_req;
TAILQ_HEAD(admin_req_list, admin_req);

struct admin {
	struct event_base *base;
	struct linkshim *ls;            /* borrowed */
	char state_path[CONF_PATH_MAX]; /* "" = memory only */
	struct conf_api api;
	struct linkstore *store; /* the registrations in force */
	struct admin_listener unix_l, tcp_l;
	char token[256];          /* "" = none configured */
	struct admin_cred *creds; /* NULL = SigV4 not required */
	size_t ncreds;
	struct admin_change changes[ADMIN_CHANGES_KEPT]; /* ring */
	size_t nchanges;
	time_t started;
	uint64_t requests, errors;
	uint64_t health_good;         /* upstream good answers last seen */
	uint64_t health_good_ms;      /* monotonic ms when it last grew */
	struct admin_req *busy;       /* its commit or reload is being built */
	struct admin_req_list parked; /* arrived while busy, in order */
};

/* One request being served. */
struct admin_req {
	struct admin *a;
	const struct admin_listener *l; /* the listener it came on */
	struct evhttp_request *req;
	int method;              /* EVHTTP_REQ_* */
	char path[2048];         /* decoded path, no query */
	const char *query;       /* raw query or NULL; borrowed from req */
	struct evkeyvalq params; /* decoded query parameters */
	char *body;              /* NUL-terminated copy; owned */
	size_t body_len;
	char request_id[40];
	TAILQ_ENTRY(admin_req) entry; /* in a->parked */
	/*
	 * A commit or reload waits for the resolver's reload thread (the
	 * loop keeps serving).  A commit's handler goes on at once as if it
	 * had succeeded: a->store is already next (nobody else sees it, the
	 * other requests are parked) and its reply is kept (held_*) until
	 * the resolver answers; a refusal puts the old store back and sends
	 * commit_fail's reply instead.
	 */
	bool pending;
	bool is_reload;
	bool holding; /* admin_reply() keeps the reply in held_* */
	int held_code;
	const char *held_ctype; /* a string literal */
	char *held_body;        /* owned */
	size_t held_len;
	struct linkstore *prev_store; /* owned while pending */
	size_t prev_nchanges;
	/* the error reply of the API in use (JSON or Route 53) */
	void (*commit_fail)(struct admin_req *r, int st, const char *msg);
};

/* Replies.  Every handler ends with exactly one of these. */
void admin_reply(struct admin_req *r, int code, const char *ctype,
    const char *body, size_t len);
/* JSON: takes ownership of doc (json_t *, decref'd here). */
void admin_reply_json(struct admin_req *r, int code, void *doc);
void admin_reply_error(struct admin_req *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Make next the registrations of r->a: write the state file, push to the
 * resolver, then swap.  Takes ownership of next on success; on failure
 * the caller still owns next, the old registrations keep serving, err is
 * filled and the return is LINKSTORE_CONFLICT (the resolver refused) or
 * LINKSTORE_NOMEM (saving failed).  Success here means pending: the
 * snapshot is built off the loop, the caller replies as for a success
 * (the reply is held), and if the resolver then refuses,
 * r->commit_fail(r, LINKSTORE_CONFLICT, why) replies instead.
 */
int admin_commit(
    struct admin_req *r, struct linkstore *next, struct errbuf *err);

/*
 * POST /v1/reload: reload path through the resolver's reload thread; r
 * waits (the loop does not) and gets {"status":"ok"} or 400 with the
 * error.  0 when started, -1 with err filled (reply it yourself).
 */
int admin_reload(struct admin_req *r, const char *path, struct errbuf *err);

/* The config in force (borrowed; valid until the next reload). */
const struct conf *admin_conf(const struct admin *a);

/* Record a new change id ("C..." without prefix) and its time. */
void admin_change_new(struct admin *a, char *id, size_t idlen, time_t *at);
/* 0 and *at when id (with or without "/change/") is known, else -1. */
int admin_change_find(const struct admin *a, const char *id, time_t *at);

/* Query parameter lookup (decoded, borrowed from kv list); NULL absent. */
const char *admin_query_get(struct admin_req *r, const char *key);

/* Handlers, by prefix. */
void admin_json_handle(struct admin_req *r);    /* /v1/ */
void admin_r53_handle(struct admin_req *r);     /* /2013-04-01/ */
void admin_metrics_handle(struct admin_req *r); /* /metrics */
void admin_healthz_handle(struct admin_req *r); /* /healthz */
void admin_status_handle(struct admin_req *r);  /* /v1/status */

/* SigV4 (admin_sigv4.c).  Load api.aws_credentials; 0 or -1 with err. */
int admin_sigv4_load(struct admin *a, const char *path, struct errbuf *err);
/* 0 when the request carries a valid signature, else -1 with the AWS
 * error code (static string) in *code and a message in err. */
int admin_sigv4_check(
    struct admin_req *r, const char **code, struct errbuf *err);

#endif
