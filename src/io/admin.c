/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * admin: listeners, authentication and dispatch of the admin API, plus
 * the commit path every registration goes through (state file first,
 * then the resolver, then the in-memory swap; design.md §2, §5).  The
 * handlers live in admin_json.c (/v1), admin_r53.c (/2013-04-01) and
 * admin_metrics.c (/metrics, /healthz, /v1/status).  Modelled on libevent
 * sample/http-server.c (one gencb, evbuffers freed on every path) and
 * unwind control.c (peer-credential check on the unix socket).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/queue.h>
#include <netinet/in.h>

#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <jansson.h>

#include "io/admin_int.h"
#include "linkshim/linkshim.h"
#include "linkshim/log.h"
#include "linkshim/sigv4.h"

const struct conf *
admin_conf(const struct admin *a)
{
	return linkshim_conf(a->ls);
}

void
admin_reply(struct admin_req *r, int code, const char *ctype, const char *body,
    size_t len)
{
	struct evkeyvalq *h;
	struct evbuffer *buf;

	if (r->holding) { /* a commit waits for the resolver: keep it */
		free(r->held_body);
		r->held_code = code;
		r->held_ctype = ctype;
		r->held_len = len;
		if ((r->held_body = malloc(len + 1)) == NULL)
			r->held_code = 500;
		else
			memcpy(r->held_body, body, len);
		return;
	}
	h = evhttp_request_get_output_headers(r->req);
	if (code >= 400)
		r->a->errors++;
	evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "x-amzn-RequestId", r->request_id);
	if ((buf = evbuffer_new()) == NULL) {
		evhttp_send_error(r->req, 500, NULL);
		return;
	}
	evbuffer_add(buf, body, len);
	evhttp_send_reply(r->req, code, NULL, buf);
	evbuffer_free(buf);
}

void
admin_reply_json(struct admin_req *r, int code, void *doc)
{
	char *text;

	text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER)
	                   : NULL;
	json_decref(doc);
	if (text == NULL) {
		admin_reply(r, 500, "application/json",
		    "{\"error\":\"out of memory\"}", 25);
		return;
	}
	admin_reply(r, code, "application/json", text, strlen(text));
	free(text);
}

void
admin_reply_error(struct admin_req *r, int code, const char *fmt, ...)
{
	char msg[ERRBUF_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	admin_reply_json(r, code, json_pack("{s:s}", "error", msg));
}

const char *
admin_query_get(struct admin_req *r, const char *key)
{
	return evhttp_find_header(&r->params, key);
}

static void
zones_view(const struct linkstore *st, struct conf_zone **out)
{
	size_t i;

	*out = NULL;
	if (st->nzones == 0)
		return;
	if ((*out = calloc(st->nzones, sizeof(**out))) == NULL)
		return;
	for (i = 0; i < st->nzones; i++)
		(*out)[i] = st->zones[i].zone;
}

/* Push st to the resolver.  The arrays are copied by the resolver. */
static int
admin_push(struct admin *a, const struct linkstore *st, struct errbuf *err)
{
	struct conf_zone *zones;
	int rv;

	zones_view(st, &zones);
	if (st->nzones > 0 && zones == NULL)
		return errbuf_set(err, "out of memory");
	rv = linkshim_set_dynamic(
	    a->ls, st->links, st->nlinks, zones, st->nzones, err);
	free(zones);
	return rv;
}

static void
admin_pruned_cb(const char *name, const char *what, void *arg)
{
	(void)arg;
	log_warnx("registered %s %s is now defined in the config file, "
	          "which wins: registration dropped",
	    what, name);
}

static void admin_async_done(
    struct linkshim *ls, int rv, const struct errbuf *err, void *arg);

/* admin_push() through the resolver's reload thread: admin_async_done()
 * gets the result. */
static int
admin_push_async(
    struct admin *a, const struct linkstore *st, struct errbuf *err)
{
	struct conf_zone *zones;
	int rv;

	zones_view(st, &zones);
	if (st->nzones > 0 && zones == NULL)
		return errbuf_set(err, "out of memory");
	rv = linkshim_set_dynamic_async(a->ls, st->links, st->nlinks, zones,
	    st->nzones, admin_async_done, a, err);
	free(zones);
	return rv;
}

/* Put back the state file of the registrations that serve. */
static void
admin_restore_state(struct admin *a)
{
	struct errbuf e2;

	if (a->state_path[0] != '\0' &&
	    linkstore_save(a->store, a->state_path, &e2) == -1)
		log_warnx("%s: restoring state: %s", __func__, e2.msg);
}

int
admin_commit(struct admin_req *r, struct linkstore *next, struct errbuf *err)
{
	struct admin *a = r->a;

	/* entries a reload made shadowed are no longer served; drop them so
	 * that they do not block every later change */
	linkstore_prune_shadowed(next, admin_conf(a), admin_pruned_cb, NULL);
	if (a->state_path[0] != '\0' &&
	    linkstore_save(next, a->state_path, err) == -1) {
		log_warnx("%s: %s", __func__, err->msg);
		return LINKSTORE_NOMEM;
	}
	if (admin_push_async(a, next, err) == -1) {
		admin_restore_state(a);
		return LINKSTORE_NOMEM;
	}
	r->prev_store = a->store;
	r->prev_nchanges = a->nchanges;
	a->store = next;
	r->pending = true;
	r->holding = true;
	a->busy = r;
	return LINKSTORE_OK;
}

int
admin_reload(struct admin_req *r, const char *path, struct errbuf *err)
{
	if (linkshim_reload_async(
	        r->a->ls, path, admin_async_done, r->a, err) == -1)
		return -1;
	r->pending = true;
	r->is_reload = true;
	r->a->busy = r;
	return 0;
}

/* The resolver applied (rv 0) or refused a's busy commit or reload. */
static void
admin_commit_done(struct admin_req *r, int rv, const char *msg)
{
	struct admin *a = r->a;

	r->holding = false;
	if (rv == 0) {
		linkstore_free(r->prev_store);
		r->prev_store = NULL;
		if (r->held_body != NULL)
			admin_reply(r, r->held_code, r->held_ctype,
			    r->held_body, r->held_len);
		else
			admin_reply_error(r, 500, "no reply");
		return;
	}
	linkstore_free(a->store);
	a->store = r->prev_store;
	r->prev_store = NULL;
	a->nchanges = r->prev_nchanges;
	admin_restore_state(a);
	/* a Location header of the reply that is not sent */
	evhttp_clear_headers(evhttp_request_get_output_headers(r->req));
	r->commit_fail(r, LINKSTORE_CONFLICT, msg);
}

void
admin_change_new(struct admin *a, char *id, size_t idlen, time_t *at)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	struct admin_change *c = &a->changes[a->nchanges % ADMIN_CHANGES_KEPT];
	size_t i;

	c->id[0] = 'C';
	for (i = 1; i < 21; i++)
		c->id[i] = chars[arc4random_uniform(sizeof(chars) - 1)];
	c->id[21] = '\0';
	c->submitted = time(NULL);
	a->nchanges++;
	strlcpy(id, c->id, idlen);
	*at = c->submitted;
}

int
admin_change_find(const struct admin *a, const char *id, time_t *at)
{
	size_t i, n;

	if (strncmp(id, "/change/", 8) == 0)
		id += 8;
	n = a->nchanges < ADMIN_CHANGES_KEPT ? a->nchanges : ADMIN_CHANGES_KEPT;
	for (i = 0; i < n; i++) {
		if (strcmp(a->changes[i].id, id) == 0) {
			*at = a->changes[i].submitted;
			return 0;
		}
	}
	return -1;
}

/* SO_PEERCRED: root or the daemon's own user may use the unix socket. */
static bool
peer_allowed(struct evhttp_request *req)
{
	struct evhttp_connection *c = evhttp_request_get_connection(req);
	struct bufferevent *bev;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	evutil_socket_t fd;

	if (c == NULL || (bev = evhttp_connection_get_bufferevent(c)) == NULL)
		return false;
	fd = bufferevent_getfd(bev);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return false;
	return cred.uid == 0 || cred.uid == geteuid();
}

static bool
token_ok(struct admin *a, struct evhttp_request *req)
{
	const char *h;

	if (a->token[0] == '\0')
		return true;
	h = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization");
	return h != NULL && strncmp(h, "Bearer ", 7) == 0 &&
	    sigv4_equal(h + 7, a->token);
}

static int
req_init(struct admin_req *r, struct admin *a, struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	const char *path = evhttp_uri_get_path(uri);
	char *dec;
	size_t n;

	memset(r, 0, sizeof(*r));
	TAILQ_INIT(&r->params);
	r->a = a;
	r->req = req;
	r->method = evhttp_request_get_command(req);
	snprintf(r->request_id, sizeof(r->request_id), "%08x-%04x-%04x-%08x",
	    arc4random(), arc4random() & 0xffff, arc4random() & 0xffff,
	    arc4random());
	r->query = evhttp_uri_get_query(uri);
	if (r->query != NULL && evhttp_parse_query_str(r->query, &r->params))
		return -1;
	if ((dec = evhttp_uridecode(path != NULL ? path : "/", 0, &n)) == NULL)
		return -1;
	if (n >= sizeof(r->path) || strlen(dec) != n) {
		free(dec);
		return -1;
	}
	memcpy(r->path, dec, n + 1);
	free(dec);
	r->body_len = evbuffer_get_length(in);
	if ((r->body = malloc(r->body_len + 1)) == NULL)
		return -1;
	evbuffer_copyout(in, r->body, r->body_len);
	r->body[r->body_len] = '\0';
	return 0;
}

static void
admin_dispatch(struct admin_req *r, const struct admin_listener *l)
{
	bool r53 = strncmp(r->path, "/2013-04-01/", 12) == 0;

	if (l->is_unix && !peer_allowed(r->req)) {
		admin_reply_error(r, 403, "peer not allowed");
		return;
	}
	if (strcmp(r->path, "/healthz") == 0) {
		admin_healthz_handle(r);
		return;
	}
	/* Route 53 clients cannot send a bearer token: SigV4 instead */
	if (!l->is_unix && !r53 && !token_ok(r->a, r->req)) {
		admin_reply_error(r, 401, "missing or wrong bearer token");
		return;
	}
	if (r53)
		admin_r53_handle(r);
	else if (strcmp(r->path, "/metrics") == 0)
		admin_metrics_handle(r);
	else if (strcmp(r->path, "/v1/status") == 0)
		admin_status_handle(r);
	else if (strncmp(r->path, "/v1/", 4) == 0)
		admin_json_handle(r);
	else
		admin_reply_error(r, 404, "no such endpoint %s", r->path);
}

static void
admin_req_free(struct admin_req *r)
{
	if (r == NULL)
		return;
	evhttp_clear_headers(&r->params);
	free(r->body);
	free(r->held_body);
	linkstore_free(r->prev_store);
	free(r);
}

/* Serve r; it is freed unless it now waits for the resolver. */
static void
admin_run(struct admin_req *r)
{
	admin_dispatch(r, r->l);
	if (!r->pending)
		admin_req_free(r);
}

/* Serve the parked requests, in order, until one waits again. */
static void
admin_pump(struct admin *a)
{
	struct admin_req *r;

	while (a->busy == NULL && (r = TAILQ_FIRST(&a->parked)) != NULL) {
		TAILQ_REMOVE(&a->parked, r, entry);
		admin_run(r);
	}
}

static void
admin_async_done(
    struct linkshim *ls, int rv, const struct errbuf *err, void *arg)
{
	struct admin *a = arg;
	struct admin_req *r = a->busy;

	(void)ls;
	if (r == NULL)
		return;
	a->busy = NULL;
	if (!r->is_reload)
		admin_commit_done(r, rv, err->msg);
	else if (rv == 0)
		admin_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
	else
		admin_reply_error(r, 400, "%s", err->msg);
	admin_req_free(r);
	admin_pump(a);
}

/*
 * Requests are served one at a time while a commit or reload is being
 * built (no change is lost between two concurrent ones, no reader sees a
 * store the resolver may still refuse); /healthz and /metrics only read
 * counters and are answered at once.
 */
static void
admin_request_cb(struct evhttp_request *req, void *arg)
{
	struct admin_listener *l = arg;
	struct admin *a = l->admin;
	struct admin_req *r;

	a->requests++;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	if (req_init(r, a, req) == -1) {
		admin_reply_error(r, 400, "malformed request URI");
		admin_req_free(r);
		return;
	}
	r->l = l;
	if (a->busy != NULL && strcmp(r->path, "/healthz") != 0 &&
	    strcmp(r->path, "/metrics") != 0) {
		TAILQ_INSERT_TAIL(&a->parked, r, entry);
		return;
	}
	admin_run(r);
}

static struct evhttp *
http_new(struct admin *a, struct admin_listener *l, bool is_unix)
{
	struct evhttp *h;

	if ((h = evhttp_new(a->base)) == NULL)
		return NULL;
	l->admin = a;
	l->http = h;
	l->is_unix = is_unix;
	evhttp_set_max_body_size(h, ADMIN_BODY_MAX);
	evhttp_set_max_headers_size(h, 64 * 1024);
	evhttp_set_timeout(h, 30);
	evhttp_set_allowed_methods(h,
	    EVHTTP_REQ_GET | EVHTTP_REQ_PUT | EVHTTP_REQ_POST |
	        EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(h, admin_request_cb, l);
	return h;
}

static int
bind_unix(struct admin *a, struct errbuf *err)
{
	struct sockaddr_un su;
	struct evconnlistener *lev;
	int fd;

	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	if (strlcpy(su.sun_path, a->api.socket, sizeof(su.sun_path)) >=
	    sizeof(su.sun_path))
		return errbuf_set(
		    err, "%s: socket path too long", a->api.socket);
	if ((fd = socket(
	         AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1)
		return errbuf_set(err, "socket: %s", strerror(errno));
	if ((unlink(su.sun_path) == -1 && errno != ENOENT) ||
	    bind(fd, (struct sockaddr *)&su, sizeof(su)) == -1 ||
	    chmod(su.sun_path, 0660) == -1 || listen(fd, 64) == -1) {
		errbuf_set(err, "%s: %s", a->api.socket, strerror(errno));
		close(fd);
		return -1;
	}
	if (http_new(a, &a->unix_l, true) == NULL ||
	    (lev = evconnlistener_new(a->base, NULL, NULL,
	         LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd)) ==
	        NULL) {
		close(fd);
		return errbuf_set(err, "%s: cannot listen", a->api.socket);
	}
	if (evhttp_bind_listener(a->unix_l.http, lev) == NULL) {
		evconnlistener_free(lev);
		return errbuf_set(err, "%s: cannot listen", a->api.socket);
	}
	return 0;
}

static bool
addr_is_loopback(const struct conf_addr *ad)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ad->ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ad->ss;

	if (ad->ss.ss_family == AF_INET)
		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	if (ad->ss.ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
	return false;
}

static int
bind_tcp(struct admin *a, struct errbuf *err)
{
	struct evconnlistener *lev;

	a->tcp_l.loopback = addr_is_loopback(&a->api.listen);
	if (!a->tcp_l.loopback && a->token[0] == '\0')
		return errbuf_set(err,
		    "api.listen is not a loopback address: "
		    "api.token_file is required");
	if (http_new(a, &a->tcp_l, false) == NULL)
		return errbuf_set(err, "out of memory");
	lev = evconnlistener_new_bind(a->base, NULL, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    64, (const struct sockaddr *)&a->api.listen.ss, a->api.listen.len);
	if (lev == NULL)
		return errbuf_set(err, "api.listen: bind: %s", strerror(errno));
	if (evhttp_bind_listener(a->tcp_l.http, lev) == NULL) {
		evconnlistener_free(lev);
		return errbuf_set(err, "api.listen: cannot listen");
	}
	return 0;
}

static int
read_token(struct admin *a, struct errbuf *err)
{
	FILE *fp;
	size_t n;

	if (a->api.token_file[0] == '\0')
		return 0;
	if ((fp = fopen(a->api.token_file, "r")) == NULL)
		return errbuf_set(
		    err, "%s: %s", a->api.token_file, strerror(errno));
	if (fgets(a->token, sizeof(a->token), fp) == NULL)
		a->token[0] = '\0';
	fclose(fp);
	n = strcspn(a->token, "\r\n \t");
	a->token[n] = '\0';
	if (n < 16)
		return errbuf_set(err, "%s: token shorter than 16 characters",
		    a->api.token_file);
	return 0;
}

/* Temp files of saves interrupted by a crash (linkstore_save()). */
static void
remove_stale_temps(const char *state_path)
{
	char pat[CONF_PATH_MAX + 16];
	glob_t g;
	size_t i;

	snprintf(pat, sizeof(pat), "%s.tmp??????", state_path);
	if (glob(pat, GLOB_NOSORT, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++)
		if (unlink(g.gl_pathv[i]) == 0)
			log_info("removed %s left by an interrupted save",
			    g.gl_pathv[i]);
	globfree(&g);
}

static int
load_state(struct admin *a, const char *state_path, struct errbuf *err)
{
	if (state_path != NULL)
		strlcpy(a->state_path, state_path, sizeof(a->state_path));
	if (a->state_path[0] == '\0') {
		a->store = linkstore_new();
		return a->store == NULL ? errbuf_set(err, "out of memory") : 0;
	}
	remove_stale_temps(a->state_path);
	if (linkstore_load(a->state_path, &a->store, err) == -1)
		return -1;
	linkstore_prune_shadowed(
	    a->store, admin_conf(a), admin_pruned_cb, NULL);
	if (admin_push(a, a->store, err) == -1) {
		errbuf_prefix(err, a->state_path);
		return -1;
	}
	if (a->store->nlinks + a->store->nzones > 0)
		log_info("%s: %zu links and %zu zones registered",
		    a->state_path, a->store->nlinks, a->store->nzones);
	return 0;
}

struct admin *
admin_new(struct event_base *base, struct linkshim *ls, const char *state_path,
    const struct conf_api *api, struct errbuf *err)
{
	struct admin *a;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		errbuf_set(err, "out of memory");
		return NULL;
	}
	a->base = base;
	a->ls = ls;
	a->api = *api;
	TAILQ_INIT(&a->parked);
	a->started = time(NULL);
	if (load_state(a, state_path, err) == -1 || read_token(a, err) == -1)
		goto fail;
	if (api->aws_credentials[0] != '\0' &&
	    admin_sigv4_load(a, api->aws_credentials, err) == -1)
		goto fail;
	if (api->socket[0] != '\0' && bind_unix(a, err) == -1)
		goto fail;
	if (api->listen.len > 0 && bind_tcp(a, err) == -1)
		goto fail;
	return a;
fail:
	admin_free(a);
	return NULL;
}

void
admin_free(struct admin *a)
{
	struct admin_req *r;

	if (a == NULL)
		return;
	/* their evhttp requests are freed with the connections below */
	linkshim_async_forget(a->ls, a);
	admin_req_free(a->busy);
	while ((r = TAILQ_FIRST(&a->parked)) != NULL) {
		TAILQ_REMOVE(&a->parked, r, entry);
		admin_req_free(r);
	}
	if (a->unix_l.http != NULL) {
		evhttp_free(a->unix_l.http);
		unlink(a->api.socket);
	}
	if (a->tcp_l.http != NULL)
		evhttp_free(a->tcp_l.http);
	linkstore_free(a->store);
	if (a->creds != NULL)
		explicit_bzero(a->creds, a->ncreds * sizeof(*a->creds));
	free(a->creds);
	explicit_bzero(a->token, sizeof(a->token));
	free(a);
}
