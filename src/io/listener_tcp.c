/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * listener_tcp: DNS over TCP (RFC 7766).  Each message carries a 2-byte
 * length (RFC 1035 §4.2.2); a client may pipeline many queries and gets
 * the answers as they are ready, out of order (RFC 7766 §6.2.1.1).  A
 * connection that stays idle for timeouts.tcp_idle_ms is closed (§6.2.3),
 * as is one whose client stops reading; reading pauses while too many
 * queries are pending or too much output is queued, so that neither a
 * slow nor a half-open client can wedge anything.  Accepting pauses at
 * limits.tcp_clients connections and on EMFILE, and resumes when a
 * connection closes (unwind's control_accept).
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "linkshim/log.h"
#include "io/io.h"

struct tcp_conn {
	TAILQ_ENTRY(tcp_conn) entry; /* in lt->conns */
	struct listener_tcp *lt;
	struct bufferevent *bev;
	struct event *check_ev;     /* deferred resume/close */
	struct waiter_list waiters; /* queries waiting upstream */
	unsigned npending;
	struct sockaddr_storage ss;
	socklen_t sslen;
	bool eof;     /* the client closed its side: answer, then close */
	bool closing; /* free once the output is flushed */
	bool paused;  /* reading stopped by the pipeline/output limits */
};

static void tcp_conn_free(struct tcp_conn *tc);

static bool
tcp_conn_is_busy(const struct tcp_conn *tc)
{
	return tc->npending >= IO_TCP_PIPELINE_MAX ||
	    evbuffer_get_length(bufferevent_get_output(tc->bev)) >
	    IO_TCP_OUTPUT_MAX;
}

/* Stop reading and free the connection once its answers are flushed. */
static void
tcp_conn_close(struct tcp_conn *tc)
{
	tc->closing = true;
	bufferevent_disable(tc->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(tc->bev)) == 0)
		tcp_conn_free(tc);
}

static void
listener_tcp_read_cb(struct bufferevent *bev, void *arg)
{
	struct tcp_conn *tc = arg;
	struct listener_tcp *lt = tc->lt;
	struct linkshim *ls = lt->ls;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct io_client from;
	uint8_t hdr[2];
	size_t qlen, alen;

	while (!tc->closing) {
		if (tcp_conn_is_busy(tc)) {
			tc->paused = true;
			bufferevent_disable(bev, EV_READ);
			return;
		}
		if (evbuffer_copyout(in, hdr, 2) != 2)
			return;
		qlen = dnswire_get16(hdr);
		if (qlen == 0) {
			tcp_conn_close(tc);
			return;
		}
		if (evbuffer_get_length(in) < qlen + 2)
			return;
		evbuffer_drain(in, 2);
		if (evbuffer_remove(in, lt->buf, qlen) != (int)qlen) {
			tcp_conn_close(tc);
			return;
		}
		memset(&from, 0, sizeof(from));
		from.tcp = tc;
		from.sa = (const struct sockaddr *)&tc->ss;
		from.salen = tc->sslen;
		alen = request_handle(
		    ls, lt->buf, qlen, &from, lt->out, sizeof(lt->out));
		if (alen > 0)
			listener_tcp_send(tc, lt->out, alen);
	}
}

/* Deferred: resume reading after a pause, or close after EOF. */
static void
listener_tcp_check_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tcp_conn *tc = arg;

	(void)fd;
	(void)what;
	if (tc->closing)
		return;
	if (tc->eof) {
		if (tc->npending == 0)
			tcp_conn_close(tc);
		return;
	}
	if (tc->paused && !tcp_conn_is_busy(tc)) {
		tc->paused = false;
		bufferevent_enable(tc->bev, EV_READ);
		listener_tcp_read_cb(tc->bev, tc); /* already buffered input */
	}
}

static void
listener_tcp_write_cb(struct bufferevent *bev, void *arg)
{
	struct tcp_conn *tc = arg;

	(void)bev;
	if (tc->closing)
		tcp_conn_free(tc);
	else if (tc->paused)
		event_active(tc->check_ev, EV_TIMEOUT, 0);
}

static void
listener_tcp_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct tcp_conn *tc = arg;

	if (what & BEV_EVENT_ERROR) {
		tcp_conn_free(tc);
	} else if (what & BEV_EVENT_EOF) {
		/* RFC 7766 §6.2.4: the client may half-close after its
		 * queries; answer them, then close. */
		tc->eof = true;
		bufferevent_disable(bev, EV_READ);
		if (tc->npending == 0)
			tcp_conn_close(tc);
	} else if (what & BEV_EVENT_TIMEOUT) {
		if ((what & BEV_EVENT_WRITING) || tc->closing)
			tcp_conn_free(tc); /* the client does not read */
		else if (tc->npending > 0)
			bufferevent_enable(bev, EV_READ); /* not idle */
		else
			tcp_conn_close(tc); /* RFC 7766 §6.2.3 idle */
	}
}

static void
tcp_conn_free(struct tcp_conn *tc)
{
	struct listener_tcp *lt;
	struct waiter *w;

	if (tc == NULL)
		return;
	lt = tc->lt;
	while ((w = TAILQ_FIRST(&tc->waiters)) != NULL) {
		TAILQ_REMOVE(&tc->waiters, w, conn_entry);
		w->tcp = NULL;
	}
	TAILQ_REMOVE(&lt->conns, tc, entry);
	if (tc->bev != NULL)
		bufferevent_free(tc->bev);
	if (tc->check_ev != NULL)
		event_free(tc->check_ev);
	free(tc);
	lt->ls->ntcp_conns--;
	listener_tcp_resume(lt->ls);
}

static void
listener_tcp_pause(struct linkshim *ls)
{
	struct listener_tcp *lt;

	TAILQ_FOREACH(lt, &ls->tcp, entry)
	evconnlistener_disable(lt->evl);
}

void
listener_tcp_resume(struct linkshim *ls)
{
	struct listener_tcp *lt;

	if (ls->ntcp_conns >= ls->conf->limits.tcp_clients)
		return;
	if (ls->accept_ev != NULL && evtimer_pending(ls->accept_ev, NULL))
		return; /* EMFILE back-off still running */
	TAILQ_FOREACH(lt, &ls->tcp, entry)
	evconnlistener_enable(lt->evl);
}

static void
listener_tcp_accept_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	listener_tcp_resume(arg);
}

static void
listener_tcp_error_cb(struct evconnlistener *evl, void *arg)
{
	struct listener_tcp *lt = arg;
	struct linkshim *ls = lt->ls;
	struct timeval tv = {1, 0};

	(void)evl;
	if (errno != EMFILE && errno != ENFILE && errno != ENOBUFS &&
	    errno != ENOMEM) {
		log_debug("%s: accept: %s", __func__, strerror(errno));
		return;
	}
	log_warn("%s: accept", __func__);
	listener_tcp_pause(ls);
	if (ls->accept_ev == NULL)
		ls->accept_ev =
		    evtimer_new(ls->base, listener_tcp_accept_timer_cb, ls);
	if (ls->accept_ev != NULL)
		evtimer_add(ls->accept_ev, &tv);
}

static int
tcp_conn_setup(struct tcp_conn *tc, evutil_socket_t fd)
{
	struct linkshim *ls = tc->lt->ls;
	unsigned ms = ls->conf->timeouts.tcp_idle_ms;
	struct timeval tv;

	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
	tc->bev = bufferevent_socket_new(ls->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (tc->bev == NULL)
		return -1;
	tc->check_ev = evtimer_new(ls->base, listener_tcp_check_cb, tc);
	if (tc->check_ev == NULL)
		return -1;
	bufferevent_setcb(tc->bev, listener_tcp_read_cb, listener_tcp_write_cb,
	    listener_tcp_event_cb, tc);
	bufferevent_set_timeouts(tc->bev, &tv, &tv);
	return bufferevent_enable(tc->bev, EV_READ);
}

static void
listener_tcp_accept_cb(struct evconnlistener *evl, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener_tcp *lt = arg;
	struct linkshim *ls = lt->ls;
	struct tcp_conn *tc;

	(void)evl;
	if (ls->ntcp_conns >= ls->conf->limits.tcp_clients ||
	    (tc = calloc(1, sizeof(*tc))) == NULL) {
		ls->stats.tcp_rejected++;
		close(fd);
		listener_tcp_pause(ls);
		return;
	}
	tc->lt = lt;
	TAILQ_INIT(&tc->waiters);
	if (salen > 0 && (size_t)salen <= sizeof(tc->ss)) {
		memcpy(&tc->ss, sa, (size_t)salen);
		tc->sslen = (socklen_t)salen;
	}
	TAILQ_INSERT_TAIL(&lt->conns, tc, entry);
	ls->ntcp_conns++;
	if (tcp_conn_setup(tc, fd) == -1) {
		log_warnx("%s: cannot set up a connection", __func__);
		if (tc->bev == NULL)
			close(fd);
		tcp_conn_free(tc);
		return;
	}
	if (ls->ntcp_conns >= ls->conf->limits.tcp_clients)
		listener_tcp_pause(ls);
}

void
listener_tcp_send(struct tcp_conn *tc, const uint8_t *buf, size_t len)
{
	struct evbuffer *out = bufferevent_get_output(tc->bev);
	uint8_t hdr[2];

	if (len > DNS_MSG_MAX)
		return;
	dnswire_put16(hdr, (uint16_t)len);
	if (evbuffer_add(out, hdr, 2) == -1 ||
	    evbuffer_add(out, buf, len) == -1)
		log_debug("%s: evbuffer_add failed", __func__);
}

void
listener_tcp_track(struct tcp_conn *tc, struct waiter *w)
{
	TAILQ_INSERT_TAIL(&tc->waiters, w, conn_entry);
	tc->npending++;
}

void
listener_tcp_done(struct tcp_conn *tc, struct waiter *w)
{
	TAILQ_REMOVE(&tc->waiters, w, conn_entry);
	tc->npending--;
	w->tcp = NULL;
	if ((tc->paused || tc->eof) && !tc->closing)
		event_active(tc->check_ev, EV_TIMEOUT, 0);
}

struct listener_tcp *
listener_tcp_new(
    struct linkshim *ls, const struct conf_addr *addr, struct errbuf *err)
{
	struct listener_tcp *lt;
	unsigned flags =
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE;
	char a[64];

	if ((lt = calloc(1, sizeof(*lt))) == NULL) {
		errbuf_set(err, "out of memory");
		return NULL;
	}
	lt->ls = ls;
	lt->addr = *addr;
	TAILQ_INIT(&lt->conns);
	if (addr->ss.ss_family == AF_INET6)
		flags |= LEV_OPT_BIND_IPV6ONLY;
	if (ls->reuseport) /* workers: one socket each (workers.c) */
		flags |= LEV_OPT_REUSEABLE_PORT;
	lt->evl = evconnlistener_new_bind(ls->base, listener_tcp_accept_cb, lt,
	    flags, 128, (const struct sockaddr *)&addr->ss, (int)addr->len);
	if (lt->evl == NULL) {
		conf_format_addr(addr, a, sizeof(a));
		errbuf_set(err, "%s: bind (tcp): %s", a, strerror(errno));
		free(lt);
		return NULL;
	}
	evconnlistener_set_error_cb(lt->evl, listener_tcp_error_cb);
	if (ls->ntcp_conns >= ls->conf->limits.tcp_clients)
		evconnlistener_disable(lt->evl);
	return lt;
}

void
listener_tcp_free(struct listener_tcp *lt)
{
	struct tcp_conn *tc;

	if (lt == NULL)
		return;
	/* Not yet in ls->tcp, or already removed: resume skips it. */
	while ((tc = TAILQ_FIRST(&lt->conns)) != NULL)
		tcp_conn_free(tc);
	if (lt->evl != NULL)
		evconnlistener_free(lt->evl);
	free(lt);
}
