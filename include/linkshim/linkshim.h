/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * liblinkshim: the resolver as a library on the caller's libevent
 * event_base.  linkshimd is a thin main() over this API; another libevent
 * program can embed it the same way.
 *
 * Threading: a struct linkshim and everything reached from it belong to
 * the thread that runs its event_base; call these functions from that
 * thread only (from event callbacks, or before dispatch).  Workers on other
 * bases (workers: N) are created and owned by the struct linkshim, and so
 * is the reload thread that the *_async functions start on first use.
 */
#ifndef LINKSHIM_LINKSHIM_H
#define LINKSHIM_LINKSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/conf.h"
#include "linkshim/errbuf.h"

struct event_base;
struct linkshim;

/*
 * Create a resolver on base from conf: resolves the upstreams (resolv.conf
 * when none are configured), builds the snapshot, binds every listener
 * (UDP and TCP) and arms them.  Takes ownership of conf on success; on
 * failure the caller still owns conf.  Returns a new resolver, caller
 * frees with linkshim_free(), or NULL with err filled.
 */
struct linkshim *linkshim_new(
    struct event_base *base, struct conf *conf, struct errbuf *err);

/* Stop listening, cancel every in-flight query, free everything.
 * NULL-safe.  The event_base is the caller's and is not freed. */
void linkshim_free(struct linkshim *ls);

/*
 * Reload from path, synchronously: parse and validate a new config, build
 * a new snapshot, then swap (listeners that did not change keep their
 * sockets; in-flight queries finish with the data they copied).  The
 * calling thread's event loop answers nothing meanwhile (about 0.5 s for
 * 100,000 links): a server under load wants linkshim_reload_async().  An
 * asynchronous rebuild in progress is waited for and applied first.  On
 * failure the old config keeps serving, err is filled and -1 returned.
 */
int linkshim_reload(struct linkshim *ls, const char *path, struct errbuf *err);

/*
 * Completion of an asynchronous rebuild, called on ls's loop thread: rv 0
 * when the new config or snapshot is in force, -1 when it was refused (err,
 * borrowed for the call, says why, with file:line:col for a config error;
 * the old one keeps serving).  It may start another rebuild; it must not
 * free ls.
 */
typedef void (*linkshim_done_fn)(
    struct linkshim *ls, int rv, const struct errbuf *err, void *arg);

/*
 * Reload from path asynchronously: the load, validation and snapshot
 * build run in a helper thread while the loop keeps answering with the
 * old config; the loop then binds new listen addresses and swaps
 * pointers (and switches the workers), and calls fn(ls, rv, err, arg).
 * Rebuilds run one at a time, in order; a reload of the same path asked
 * for while one is queued (not started) joins it, so a burst of requests
 * during a reload gives one more reload after it.  fn may be NULL.
 * Returns 0 when queued (fn will be called exactly once, unless
 * linkshim_async_forget() or linkshim_free() comes first), or -1 with err
 * filled (out of memory, no thread) and fn never called.
 */
int linkshim_reload_async(struct linkshim *ls, const char *path,
    linkshim_done_fn fn, void *arg, struct errbuf *err);

/* The config in force.  Borrowed; valid until the next reload or
 * linkshim_free(). */
const struct conf *linkshim_conf(const struct linkshim *ls);

/*
 * Replace the set of dynamic (API-registered) links and zones and rebuild
 * the snapshot from config + dynamic data.  The arrays are copied.  A
 * dynamic entry whose name equals a config link/zone is a conflict: -1
 * with err filled and nothing changed.  0 on success.
 */
int linkshim_set_dynamic(struct linkshim *ls, const struct conf_link *links,
    size_t nlinks, const struct conf_zone *zones, size_t nzones,
    struct errbuf *err);

/*
 * linkshim_set_dynamic(), asynchronously as linkshim_reload_async(): the
 * arrays are copied before this returns, the conflict check and the
 * snapshot build run in the helper thread, fn reports the result (-1 for
 * a conflict: nothing changed).  Queued behind any reload in progress.
 */
int linkshim_set_dynamic_async(struct linkshim *ls,
    const struct conf_link *links, size_t nlinks, const struct conf_zone *zones,
    size_t nzones, linkshim_done_fn fn, void *arg, struct errbuf *err);

/* Drop every pending callback whose arg is arg (it will not be called);
 * the rebuilds themselves still happen.  For a caller that goes away. */
void linkshim_async_forget(struct linkshim *ls, const void *arg);

/* Counters for /metrics and `linkshimctl stats` (a snapshot copy). */
struct linkshim_upstream_stats {
	char addr[64]; /* "127.0.0.1:53" */
	uint32_t srtt_ms;
	uint64_t queries, timeouts, errors;
	uint64_t
	    last_answer_ms; /* monotonic ms of the last good answer, 0 never */
};

struct linkshim_stats {
	uint64_t queries_udp, queries_tcp;
	uint64_t rcode[16]; /* answers sent, by rcode */
	uint64_t answers_local, answers_cache, answers_forwarded, answers_stale;
	uint64_t refused_acl, dropped, tcp_rejected;
	uint64_t cache_hits, cache_misses, cache_evictions;
	size_t cache_entries, cache_bytes;
	uint64_t reloads_ok, reloads_failed;
	size_t nlinks, nzones;
	size_t nupstreams;
	struct linkshim_upstream_stats upstreams[16];
	bool listening;
};

void linkshim_get_stats(const struct linkshim *ls, struct linkshim_stats *st);

#endif
