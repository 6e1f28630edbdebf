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
 * bases (workers: N) are created and owned by the struct linkshim.
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
 * Reload from path: parse and validate a new config, build a new
 * snapshot, then swap (listeners that did not change keep their sockets;
 * in-flight queries finish with the data they copied).  On failure the
 * old config keeps serving, err is filled and -1 returned.
 */
int linkshim_reload(struct linkshim *ls, const char *path, struct errbuf *err);

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
