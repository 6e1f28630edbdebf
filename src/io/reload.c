/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * reload: the reload thread of worker 0 (issue 3: no query waits behind a
 * reload).  Loading a config and building the zone snapshot for 100,000
 * links takes about half a second; done on the event loop it stalls every
 * answer of that loop for as long.  Here a reload (SIGHUP, POST
 * /v1/reload) or a dynamic update (an admin API change) is a job: the
 * loop queues it, one helper thread builds it (parse, validate, resolve
 * the upstreams, build the snapshot and the upstream sets) while the loop
 * keeps answering with the old data, then writes a byte to a pipe; the
 * loop's event on the other end applies the finished, immutable result:
 * bind new listen addresses (the sockets belong to the loop's thread),
 * swap pointers, switch the workers (workers_adopt), run the callers'
 * callbacks.  The replaced objects go back to the thread to be freed, after
 * every worker switched.  One job at a time, applied in order; a reload
 * asked for while another of the same file is queued joins it (a SIGHUP
 * during a reload reruns once after it).  A failed build keeps the old
 * config and hands the error (file:line:col) to the callbacks.  The
 * thread only reads the resolver: ls->conf, ls->cache and the dynamic
 * entries change only in an apply, and no apply overlaps a build.  The
 * pipe (not event_active) works on any caller's event_base, made with or
 * without evthread_use_pthreads().
 */
#include <sys/resource.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "linkshim/log.h"
#include "io/io.h"

struct reload_cb {
	linkshim_done_fn fn;
	void *arg; /* NULL after linkshim_async_forget() */
};

struct reload_job {
	TAILQ_ENTRY(reload_job) entry; /* in queue */
	struct reload_job *next_trash;
	bool dynamic;
	char path[CONF_PATH_MAX]; /* a reload */
	struct conf_link *dl;     /* a dynamic update: owned copies */
	size_t ndl;
	struct conf_zone *dz;
	size_t ndz;
	struct resolver_next nx;  /* built by the thread */
	struct resolver_next old; /* replaced objects, freed by the thread */
	int rv;
	struct errbuf err;
	uint64_t build_ms;        /* wall time of the build */
	uint64_t user_ms, sys_ms; /* the thread's CPU time in it */
	struct reload_cb *cbs;
	size_t ncbs;
};
TAILQ_HEAD(reload_queue, reload_job);

struct reload {
	struct linkshim *ls;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* the thread: work or stop */
	pthread_cond_t done_cv; /* reload_wait(): a build finished */
	int fds[2];             /* thread -> loop: a build finished */
	struct event *ev;
	/* under mu */
	struct reload_job *todo;  /* for the thread to build */
	struct reload_job *done;  /* built, for the loop to apply */
	struct reload_job *trash; /* applied, for the thread to free */
	bool stop;
	/* the loop's own */
	struct reload_job *running; /* handed to the thread, not applied */
	struct reload_queue queue;
};

static void
reload_job_free(struct reload_job *j)
{
	if (j == NULL)
		return;
	resolver_next_clear(&j->nx);
	resolver_next_clear(&j->old);
	dynamic_links_free(j->dl, j->ndl);
	dynamic_zones_free(j->dz, j->ndz);
	free(j->cbs);
	free(j);
}

static uint64_t
reload_tv_ms(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000 + (uint64_t)tv->tv_usec / 1000;
}

static void
reload_build(const struct linkshim *ls, struct reload_job *j)
{
	uint64_t t0 = io_now_ms();
	struct rusage r0, r1;

	getrusage(RUSAGE_THREAD, &r0);
	if (j->dynamic)
		j->rv = resolver_build_dynamic(
		    ls, j->dl, j->ndl, j->dz, j->ndz, &j->nx.zt, &j->err);
	else
		j->rv = resolver_build_file(ls, j->path, &j->nx, &j->err);
	getrusage(RUSAGE_THREAD, &r1);
	j->build_ms = io_now_ms() - t0;
	j->user_ms = reload_tv_ms(&r1.ru_utime) - reload_tv_ms(&r0.ru_utime);
	j->sys_ms = reload_tv_ms(&r1.ru_stime) - reload_tv_ms(&r0.ru_stime);
}

static void
reload_free_trash(struct reload_job *t)
{
	struct reload_job *next;

	for (; t != NULL; t = next) {
		next = t->next_trash;
		reload_job_free(t);
	}
#ifdef __GLIBC__
	/* give the old config and snapshot back to the system */
	malloc_trim(0);
#endif
}

static void *
reload_main(void *arg)
{
	struct reload *rl = arg;
	struct reload_job *j;
	const char c = 1;

	pthread_mutex_lock(&rl->mu);
	while (!rl->stop) {
		if ((j = rl->trash) != NULL) {
			rl->trash = NULL;
			pthread_mutex_unlock(&rl->mu);
			reload_free_trash(j);
			pthread_mutex_lock(&rl->mu);
		} else if ((j = rl->todo) != NULL) {
			rl->todo = NULL;
			pthread_mutex_unlock(&rl->mu);
			reload_build(rl->ls, j);
			pthread_mutex_lock(&rl->mu);
			rl->done = j;
			pthread_cond_broadcast(&rl->done_cv);
			/* EAGAIN (full pipe): a byte already waits */
			if (write(rl->fds[1], &c, 1) == -1 && errno != EAGAIN)
				log_warn("%s: write", __func__);
		} else {
			pthread_cond_wait(&rl->cv, &rl->mu);
		}
	}
	pthread_mutex_unlock(&rl->mu);
	return NULL;
}

/* On the loop: apply j (built), run its callbacks, trash it. */
static void
reload_finish(struct reload *rl, struct reload_job *j)
{
	struct linkshim *ls = rl->ls;
	size_t i;

	rl->running = NULL;
	log_info("%s built off the loop in %llu ms (CPU %llu ms user, %llu ms "
	         "sys)",
	    j->dynamic ? "registrations" : "config",
	    (unsigned long long)j->build_ms, (unsigned long long)j->user_ms,
	    (unsigned long long)j->sys_ms);
	if (j->dynamic && j->rv == 0)
		resolver_apply_dynamic(
		    ls, &j->nx.zt, &j->dl, &j->ndl, &j->dz, &j->ndz);
	else if (!j->dynamic && j->rv == 0)
		j->rv = resolver_apply_file(ls, &j->nx, &j->old, &j->err);
	else if (!j->dynamic)
		ls->stats.reloads_failed++;
	for (i = 0; i < j->ncbs; i++)
		if (j->cbs[i].fn != NULL)
			j->cbs[i].fn(ls, j->rv, &j->err, j->cbs[i].arg);
	pthread_mutex_lock(&rl->mu);
	j->next_trash = rl->trash;
	rl->trash = j;
	pthread_cond_signal(&rl->cv);
	pthread_mutex_unlock(&rl->mu);
}

/* On the loop: hand the next queued job to the thread if it is idle. */
static void
reload_kick(struct reload *rl)
{
	struct reload_job *j;

	if (rl->running != NULL || (j = TAILQ_FIRST(&rl->queue)) == NULL)
		return;
	TAILQ_REMOVE(&rl->queue, j, entry);
	rl->running = j;
	pthread_mutex_lock(&rl->mu);
	rl->todo = j;
	pthread_cond_signal(&rl->cv);
	pthread_mutex_unlock(&rl->mu);
}

static struct reload_job *
reload_take_done(struct reload *rl)
{
	struct reload_job *j;

	pthread_mutex_lock(&rl->mu);
	j = rl->done;
	rl->done = NULL;
	pthread_mutex_unlock(&rl->mu);
	return j;
}

static void
reload_done_cb(evutil_socket_t fd, short what, void *arg)
{
	struct reload *rl = arg;
	struct reload_job *j;
	char buf[64];

	(void)what;
	while (read(fd, buf, sizeof(buf)) > 0)
		continue;
	if ((j = reload_take_done(rl)) != NULL)
		reload_finish(rl, j);
	reload_kick(rl);
}

/*
 * Wait for the build in progress and apply it; again while a callback
 * started another one, so that the caller (a synchronous rebuild) never
 * runs beside the thread.  Jobs still queued stay queued: the pipe byte of
 * the build consumed here makes its event kick them later.
 */
void
reload_wait(struct linkshim *ls)
{
	struct reload *rl = ls->reloader;
	struct reload_job *j;

	while (rl != NULL && rl->running != NULL) {
		pthread_mutex_lock(&rl->mu);
		while (rl->done == NULL)
			pthread_cond_wait(&rl->done_cv, &rl->mu);
		j = rl->done;
		rl->done = NULL;
		pthread_mutex_unlock(&rl->mu);
		reload_finish(rl, j);
	}
}

void
reload_free(struct reload *rl)
{
	struct reload_job *j;

	if (rl == NULL)
		return;
	pthread_mutex_lock(&rl->mu);
	rl->stop = true;
	pthread_cond_signal(&rl->cv);
	pthread_mutex_unlock(&rl->mu);
	pthread_join(rl->tid, NULL);
	reload_job_free(rl->todo != NULL ? rl->todo : rl->done);
	reload_free_trash(rl->trash);
	while ((j = TAILQ_FIRST(&rl->queue)) != NULL) {
		TAILQ_REMOVE(&rl->queue, j, entry);
		reload_job_free(j);
	}
	event_free(rl->ev);
	close(rl->fds[0]);
	close(rl->fds[1]);
	pthread_cond_destroy(&rl->cv);
	pthread_cond_destroy(&rl->done_cv);
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

/* Create ls's reload thread and its pipe event.  0 or -1 with err. */
static int
reload_start(struct linkshim *ls, struct errbuf *err)
{
	struct reload *rl;
	sigset_t all, old;
	int rc;

	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return errbuf_set(err, "out of memory");
	rl->ls = ls;
	TAILQ_INIT(&rl->queue);
	if (pipe2(rl->fds, O_NONBLOCK | O_CLOEXEC) == -1) {
		errbuf_set(err, "reload: pipe: %s", strerror(errno));
		free(rl);
		return -1;
	}
	rl->ev = event_new(
	    ls->base, rl->fds[0], EV_READ | EV_PERSIST, reload_done_cb, rl);
	if (rl->ev == NULL || event_add(rl->ev, NULL) == -1)
		goto fail;
	pthread_mutex_init(&rl->mu, NULL);
	pthread_cond_init(&rl->cv, NULL);
	pthread_cond_init(&rl->done_cv, NULL);
	/* signals belong to the loop's thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&rl->tid, NULL, reload_main, rl);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&rl->cv);
		pthread_cond_destroy(&rl->done_cv);
		pthread_mutex_destroy(&rl->mu);
		errno = rc;
		goto fail;
	}
	ls->reloader = rl;
	return 0;
fail:
	errbuf_set(
	    err, "reload: cannot start the reload thread: %s", strerror(errno));
	if (rl->ev != NULL)
		event_free(rl->ev);
	close(rl->fds[0]);
	close(rl->fds[1]);
	free(rl);
	return -1;
}

static int
reload_add_cb(struct reload_job *j, linkshim_done_fn fn, void *arg)
{
	struct reload_cb *cbs;
	size_t i;

	for (i = 0; i < j->ncbs; i++)
		if (j->cbs[i].fn == fn && j->cbs[i].arg == arg)
			return 0; /* the same caller asked twice */
	cbs = reallocarray(j->cbs, j->ncbs + 1, sizeof(*cbs));
	if (cbs == NULL)
		return -1;
	j->cbs = cbs;
	j->cbs[j->ncbs].fn = fn;
	j->cbs[j->ncbs].arg = arg;
	j->ncbs++;
	return 0;
}

/* Queue j (taken on success) with its callback; start the thread. */
static int
reload_submit(struct linkshim *ls, struct reload_job *j, linkshim_done_fn fn,
    void *arg, struct errbuf *err)
{
	if (ls->reloader == NULL && reload_start(ls, err) == -1)
		return -1;
	if (reload_add_cb(j, fn, arg) == -1)
		return errbuf_set(err, "out of memory");
	TAILQ_INSERT_TAIL(&ls->reloader->queue, j, entry);
	reload_kick(ls->reloader);
	return 0;
}

int
linkshim_reload_async(struct linkshim *ls, const char *path,
    linkshim_done_fn fn, void *arg, struct errbuf *err)
{
	struct reload_job *j;

	if (ls->reloader != NULL) {
		/* a reload of this file already queued (not started yet)
		 * reads the file after this request: join it */
		TAILQ_FOREACH_REVERSE(
		    j, &ls->reloader->queue, reload_queue, entry)
		{
			if (j->dynamic || strcmp(j->path, path) != 0)
				continue;
			if (reload_add_cb(j, fn, arg) == -1)
				return errbuf_set(err, "out of memory");
			return 0;
		}
		if (ls->reloader->running != NULL)
			log_info("reload in progress: will load %s again "
			         "after it",
			    path);
	}
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return errbuf_set(err, "out of memory");
	if (strlcpy(j->path, path, sizeof(j->path)) >= sizeof(j->path)) {
		free(j);
		return errbuf_set(err, "%s: path too long", path);
	}
	if (reload_submit(ls, j, fn, arg, err) == -1) {
		reload_job_free(j);
		return -1;
	}
	return 0;
}

int
linkshim_set_dynamic_async(struct linkshim *ls, const struct conf_link *links,
    size_t nlinks, const struct conf_zone *zones, size_t nzones,
    linkshim_done_fn fn, void *arg, struct errbuf *err)
{
	struct reload_job *j;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return errbuf_set(err, "out of memory");
	j->dynamic = true;
	if (dynamic_links_copy(links, nlinks, &j->dl) == -1 ||
	    dynamic_zones_copy(zones, nzones, &j->dz) == -1) {
		reload_job_free(j);
		return errbuf_set(err, "out of memory");
	}
	j->ndl = nlinks;
	j->ndz = nzones;
	if (reload_submit(ls, j, fn, arg, err) == -1) {
		reload_job_free(j);
		return -1;
	}
	return 0;
}

static void
reload_forget_job(struct reload_job *j, const void *arg)
{
	size_t i;

	if (j == NULL)
		return;
	for (i = 0; i < j->ncbs; i++)
		if (j->cbs[i].arg == arg)
			j->cbs[i].fn = NULL;
}

void
linkshim_async_forget(struct linkshim *ls, const void *arg)
{
	struct reload_job *j;

	if (ls->reloader == NULL)
		return;
	reload_forget_job(ls->reloader->running, arg);
	TAILQ_FOREACH(j, &ls->reloader->queue, entry)
	reload_forget_job(j, arg);
}
