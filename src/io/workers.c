/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * workers: `workers: auto|N` (issue 3).  The struct linkshim the caller
 * created is worker 0 on the caller's event_base; workers 1..N-1 are each
 * a struct linkshim of their own on their own event_base in their own
 * thread, with their own SO_REUSEPORT UDP/TCP sockets on every listen
 * address, cache, upstream sets, in-flight fetches and upstream socket
 * pool.  They share nothing mutable: only the config and the zone
 * snapshot, both immutable, which worker 0 owns and the others borrow.
 * A per-worker cache (not a shared or sharded one) keeps the hot path
 * free of locks and of cache-line traffic between cores; the price is up
 * to N copies of a popular answer, bounded by N x cache.size.  On a
 * reload or a dynamic update worker 0's reload thread (reload.c) builds
 * the new config and snapshot once; worker 0 then hands them to every
 * worker through an event on its base (workers_adopt) and waits until
 * each has switched (0-1 ms); only then is the old snapshot freed.  No socket
 * is closed on the way, so no query is dropped: a worker keeps reading its
 * sockets with the old data until its switch event runs.  The admin API stays
 * on worker 0's thread; linkshim_get_stats() sums the workers' counters, each
 * read in its own thread.
 */
#include <sys/socket.h>

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "linkshim/log.h"
#include "io/io.h"

#define WORKERS_MAX 64

struct worker {
	struct workers *ws;
	struct event_base *base;
	struct linkshim *ls;
	pthread_t tid;
	bool running;
	struct linkshim_stats st; /* workers_add_stats() scratch */
};

struct workers {
	size_t n; /* threads, worker 0 not counted */
	struct worker *w;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t pending;
};

/* One call run in every worker's thread. */
struct workers_job {
	struct worker *wk;
	void (*fn)(struct worker *, void *);
	void *arg;
};

static void
workers_job_cb(evutil_socket_t fd, short what, void *arg)
{
	struct workers_job *job = arg;
	struct workers *ws = job->wk->ws;

	(void)fd;
	(void)what;
	job->fn(job->wk, job->arg);
	pthread_mutex_lock(&ws->mu);
	if (--ws->pending == 0)
		pthread_cond_broadcast(&ws->cv);
	pthread_mutex_unlock(&ws->mu);
}

/* Run fn(worker, arg) in every running worker's thread; wait for all. */
static void
workers_run(struct workers *ws, void (*fn)(struct worker *, void *), void *arg)
{
	struct workers_job jobs[WORKERS_MAX];
	const struct timeval now = {0, 0};
	size_t i;

	pthread_mutex_lock(&ws->mu);
	ws->pending = 0;
	for (i = 0; i < ws->n; i++) {
		if (!ws->w[i].running)
			continue;
		jobs[i].wk = &ws->w[i];
		jobs[i].fn = fn;
		jobs[i].arg = arg;
		if (event_base_once(ws->w[i].base, -1, EV_TIMEOUT,
		        workers_job_cb, &jobs[i], &now) == -1) {
			log_warnx("%s: event_base_once failed", __func__);
			continue;
		}
		ws->pending++;
	}
	while (ws->pending > 0)
		pthread_cond_wait(&ws->cv, &ws->mu);
	pthread_mutex_unlock(&ws->mu);
}

static void *
workers_main(void *arg)
{
	struct worker *wk = arg;

	if (event_base_loop(wk->base, EVLOOP_NO_EXIT_ON_EMPTY) == -1)
		log_warnx("%s: event_base_loop failed", __func__);
	return NULL;
}

static size_t
workers_count(const struct conf *c)
{
	long n = c->workers;

	if (n == 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > WORKERS_MAX ? WORKERS_MAX : (size_t)n;
}

bool
workers_wanted(const struct conf *c)
{
	return workers_count(c) > 1;
}

static void
workers_stop_one(struct worker *wk, void *arg)
{
	(void)arg;
	event_base_loopbreak(wk->base);
}

void
workers_free(struct workers *ws)
{
	size_t i;

	if (ws == NULL)
		return;
	workers_run(ws, workers_stop_one, NULL);
	for (i = 0; i < ws->n; i++) {
		if (ws->w[i].running)
			pthread_join(ws->w[i].tid, NULL);
		linkshim_free(ws->w[i].ls);
		if (ws->w[i].base != NULL)
			event_base_free(ws->w[i].base);
	}
	pthread_mutex_destroy(&ws->mu);
	pthread_cond_destroy(&ws->cv);
	free(ws->w);
	free(ws);
}

/* Create worker i's base and resolver, then its thread (signals are
 * blocked in it: they belong to worker 0's base). */
static int
workers_start_one(
    struct workers *ws, struct linkshim *ls, size_t i, struct errbuf *err)
{
	struct worker *wk = &ws->w[i];
	sigset_t all, old;
	int rc;

	wk->ws = ws;
	if ((wk->base = event_base_new()) == NULL)
		return errbuf_set(err, "workers: event_base_new failed");
	if ((wk->ls = resolver_worker_new(wk->base, ls, err)) == NULL)
		return -1;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&wk->tid, NULL, workers_main, wk);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return errbuf_set(
		    err, "workers: pthread_create: %s", strerror(rc));
	wk->running = true;
	return 0;
}

struct workers *
workers_new(struct linkshim *ls, struct errbuf *err)
{
	struct workers *ws;
	size_t i, n = workers_count(ls->conf);

	if (evthread_use_pthreads() == -1) {
		errbuf_set(err, "workers: evthread_use_pthreads failed");
		return NULL;
	}
	if ((ws = calloc(1, sizeof(*ws))) == NULL ||
	    (ws->w = calloc(n - 1, sizeof(*ws->w))) == NULL) {
		free(ws);
		errbuf_set(err, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&ws->mu, NULL);
	pthread_cond_init(&ws->cv, NULL);
	ws->n = n - 1;
	for (i = 0; i < ws->n; i++)
		if (workers_start_one(ws, ls, i, err) == -1) {
			workers_free(ws);
			return NULL;
		}
	log_info("%zu workers", n);
	return ws;
}

struct workers_snap {
	struct conf *conf;
	struct zonetab *zt;
};

static void
workers_adopt_one(struct worker *wk, void *arg)
{
	const struct workers_snap *s = arg;

	resolver_worker_adopt(wk->ls, s->conf, s->zt);
}

void
workers_adopt(struct workers *ws, struct conf *conf, struct zonetab *zt)
{
	struct workers_snap s = {conf, zt};

	if (ws != NULL)
		workers_run(ws, workers_adopt_one, &s);
}

static void
workers_stats_one(struct worker *wk, void *arg)
{
	(void)arg;
	linkshim_get_stats(wk->ls, &wk->st);
}

static void
workers_sum(struct linkshim_stats *st, const struct linkshim_stats *w)
{
	size_t i;

	st->queries_udp += w->queries_udp;
	st->queries_tcp += w->queries_tcp;
	for (i = 0; i < 16; i++)
		st->rcode[i] += w->rcode[i];
	st->answers_local += w->answers_local;
	st->answers_cache += w->answers_cache;
	st->answers_forwarded += w->answers_forwarded;
	st->answers_stale += w->answers_stale;
	st->refused_acl += w->refused_acl;
	st->dropped += w->dropped;
	st->tcp_rejected += w->tcp_rejected;
	st->cache_hits += w->cache_hits;
	st->cache_misses += w->cache_misses;
	st->cache_evictions += w->cache_evictions;
	st->cache_entries += w->cache_entries;
	st->cache_bytes += w->cache_bytes;
	for (i = 0; i < st->nupstreams && i < w->nupstreams; i++) {
		st->upstreams[i].queries += w->upstreams[i].queries;
		st->upstreams[i].timeouts += w->upstreams[i].timeouts;
		st->upstreams[i].errors += w->upstreams[i].errors;
		if (w->upstreams[i].last_answer_ms >
		    st->upstreams[i].last_answer_ms)
			st->upstreams[i].last_answer_ms =
			    w->upstreams[i].last_answer_ms;
	}
}

void
workers_add_stats(struct workers *ws, struct linkshim_stats *st)
{
	size_t i;

	if (ws == NULL)
		return;
	workers_run(ws, workers_stats_one, NULL);
	for (i = 0; i < ws->n; i++)
		if (ws->w[i].running)
			workers_sum(st, &ws->w[i].st);
}
