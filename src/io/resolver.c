/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * resolver: struct linkshim, the context every callback gets (style.md
 * §1), and the embedding API of include/linkshim/linkshim.h.  It owns the
 * config, the immutable zone snapshot, the cache, the upstream sets, the
 * listeners and the in-flight fetches.  A reload never half-applies
 * (unwind main_reload): a new config, upstream sets, snapshot and cache
 * are built first (resolver_build_*, in reload.c's thread for the
 * asynchronous API), then, on the loop, the listen set is brought in line
 * (binding only new addresses, keeping the sockets of unchanged ones), and
 * only then is everything swapped (resolver_apply_*); any failure before
 * the swap frees the new objects and leaves the old config serving.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "linkshim/log.h"
#include "io/io.h"

/*
 * Loop protection (design.md §4): an upstream that is one of our own
 * listen addresses, or a loopback address on the port of a wildcard
 * listener, would send our queries back to us.
 */
static bool
resolver_is_self(const struct conf *conf, const struct conf_addr *up)
{
	const struct sockaddr_in *u4 = (const struct sockaddr_in *)&up->ss;
	const struct sockaddr_in6 *u6 = (const struct sockaddr_in6 *)&up->ss;
	const struct sockaddr_in *l4;
	const struct sockaddr_in6 *l6;
	size_t i;

	for (i = 0; i < conf->nlisten; i++) {
		if (conf_addr_equal(&conf->listen[i], up))
			return true;
		if (conf->listen[i].ss.ss_family != up->ss.ss_family)
			continue;
		if (up->ss.ss_family == AF_INET) {
			l4 = (const struct sockaddr_in *)&conf->listen[i].ss;
			if (l4->sin_addr.s_addr == htonl(INADDR_ANY) &&
			    l4->sin_port == u4->sin_port &&
			    (ntohl(u4->sin_addr.s_addr) >> 24) == 127)
				return true;
		} else if (up->ss.ss_family == AF_INET6) {
			l6 = (const struct sockaddr_in6 *)&conf->listen[i].ss;
			if (IN6_IS_ADDR_UNSPECIFIED(&l6->sin6_addr) &&
			    l6->sin6_port == u6->sin6_port &&
			    IN6_IS_ADDR_LOOPBACK(&u6->sin6_addr))
				return true;
		}
	}
	return false;
}

static int
resolver_set_init(const struct conf *conf, struct upstream_set *set,
    const struct conf_addr *addrs, size_t n, const char *what,
    struct errbuf *err)
{
	struct conf_addr keep[UPSTREAM_MAX_SERVERS];
	size_t i, k = 0;
	char a[64];

	for (i = 0; i < n && k < UPSTREAM_MAX_SERVERS; i++) {
		if (resolver_is_self(conf, &addrs[i])) {
			conf_format_addr(&addrs[i], a, sizeof(a));
			log_warnx("%s: %s: %s is our own listen address, "
			          "not used",
			    __func__, what, a);
			continue;
		}
		keep[k++] = addrs[i];
	}
	if (k == 0)
		return errbuf_set(err,
		    "%s: no usable upstream (every one is "
		    "one of our listen addresses)",
		    what);
	upstream_set_init(set, keep, k);
	return 0;
}

void
resolver_next_clear(struct resolver_next *nx)
{
	conf_free(nx->conf);
	zonetab_free(nx->zt);
	cache_free(nx->cache);
	free(nx->fwdsets);
	free(nx->fwd_last_ms);
	memset(nx, 0, sizeof(*nx));
}

static int
resolver_build_sets(struct resolver_next *nx, struct errbuf *err)
{
	const struct conf *c = nx->conf;
	size_t i;

	if (resolver_set_init(c, &nx->defset, c->upstreams, c->nupstreams,
	        "upstreams", err) == -1)
		return -1;
	if (c->nforward == 0)
		return 0;
	nx->fwdsets = calloc(c->nforward, sizeof(*nx->fwdsets));
	nx->fwd_last_ms = calloc(c->nforward, sizeof(*nx->fwd_last_ms));
	if (nx->fwdsets == NULL || nx->fwd_last_ms == NULL)
		return errbuf_set(err, "out of memory");
	nx->nfwdsets = c->nforward;
	for (i = 0; i < c->nforward; i++)
		if (resolver_set_init(c, &nx->fwdsets[i], c->forward[i].to,
		        c->forward[i].nto, c->forward[i].zone, err) == -1)
			return -1;
	return 0;
}

static bool
resolver_name_in_conf(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nlinks; i++)
		if (strcasecmp(c->links[i].name, name) == 0)
			return true;
	for (i = 0; i < c->nzones; i++)
		if (strcasecmp(c->zones[i].name, name) == 0)
			return true;
	return false;
}

/*
 * Build the snapshot from the config's links and zones followed by the
 * dynamic ones (dl/dz).  A dynamic entry that a config entry of the same
 * name shadows is skipped with a warning: the config wins on reload.
 */
static int
resolver_build_zonetab(const struct conf *c, const struct conf_link *dl,
    size_t ndl, const struct conf_zone *dz, size_t ndz, struct zonetab **out,
    struct errbuf *err)
{
	struct conf_link *links = NULL;
	struct conf_zone *zones = NULL;
	size_t nl = 0, nz = 0, i;
	int rv = -1;

	/* No dynamic entries (the usual case): build from the config's own
	 * arrays rather than a copy (~550 bytes a link, peak RSS). */
	if (ndl == 0 && ndz == 0)
		return zonetab_build(c->links, c->nlinks, c->zones, c->nzones,
		    c->forward, c->nforward, c->availability_zone, out, err);
	links = reallocarray(NULL, c->nlinks + ndl + 1, sizeof(*links));
	zones = reallocarray(NULL, c->nzones + ndz + 1, sizeof(*zones));
	if (links == NULL || zones == NULL) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	for (i = 0; i < c->nlinks; i++)
		links[nl++] = c->links[i];
	for (i = 0; i < ndl; i++) {
		if (resolver_name_in_conf(c, dl[i].name))
			log_warnx("registered link %s is now in the config; "
			          "the config entry wins",
			    dl[i].name);
		else
			links[nl++] = dl[i];
	}
	for (i = 0; i < c->nzones; i++)
		zones[nz++] = c->zones[i];
	for (i = 0; i < ndz; i++) {
		if (resolver_name_in_conf(c, dz[i].name))
			log_warnx("registered zone %s is now in the config; "
			          "the config entry wins",
			    dz[i].name);
		else
			zones[nz++] = dz[i];
	}
	rv = zonetab_build(links, nl, zones, nz, c->forward, c->nforward,
	    c->availability_zone, out, err);
done:
	free(links);
	free(zones);
	return rv;
}

static bool
resolver_cache_conf_equal(
    const struct conf_cache *a, const struct conf_cache *b)
{
	return a->size == b->size && a->min_ttl == b->min_ttl &&
	    a->max_ttl == b->max_ttl && a->serve_stale == b->serve_stale &&
	    a->prefetch == b->prefetch;
}

static bool
resolver_addrs_equal(
    const struct conf_addr *a, size_t na, const struct conf_addr *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!conf_addr_equal(&a[i], &b[i]))
			return false;
	return true;
}

/* Did the answers the cache holds change meaning (other upstreams)? */
static bool
resolver_forwarding_equal(const struct conf *a, const struct conf *b)
{
	size_t i;

	if (!resolver_addrs_equal(
	        a->upstreams, a->nupstreams, b->upstreams, b->nupstreams) ||
	    a->nforward != b->nforward)
		return false;
	for (i = 0; i < a->nforward; i++)
		if (strcmp(a->forward[i].zone, b->forward[i].zone) != 0 ||
		    !resolver_addrs_equal(a->forward[i].to, a->forward[i].nto,
		        b->forward[i].to, b->forward[i].nto))
			return false;
	return true;
}

static bool
resolver_conf_listens(const struct conf *c, const struct conf_addr *a)
{
	size_t i;

	for (i = 0; i < c->nlisten; i++)
		if (conf_addr_equal(&c->listen[i], a))
			return true;
	return false;
}

static bool
resolver_has_udp(const struct linkshim *ls, const struct conf_addr *a)
{
	const struct listener_udp *lu;

	TAILQ_FOREACH(lu, &ls->udp, entry)
	if (conf_addr_equal(&lu->addr, a))
		return true;
	return false;
}

static bool
resolver_has_tcp(const struct linkshim *ls, const struct conf_addr *a)
{
	const struct listener_tcp *lt;

	TAILQ_FOREACH(lt, &ls->tcp, entry)
	if (conf_addr_equal(&lt->addr, a))
		return true;
	return false;
}

static void
resolver_close_unlisted(struct linkshim *ls, const struct conf *c)
{
	struct listener_udp *lu, *lun;
	struct listener_tcp *lt, *ltn;

	for (lu = TAILQ_FIRST(&ls->udp); lu != NULL; lu = lun) {
		lun = TAILQ_NEXT(lu, entry);
		if (c == NULL || !resolver_conf_listens(c, &lu->addr)) {
			TAILQ_REMOVE(&ls->udp, lu, entry);
			listener_udp_free(lu);
		}
	}
	for (lt = TAILQ_FIRST(&ls->tcp); lt != NULL; lt = ltn) {
		ltn = TAILQ_NEXT(lt, entry);
		if (c == NULL || !resolver_conf_listens(c, &lt->addr)) {
			TAILQ_REMOVE(&ls->tcp, lt, entry);
			listener_tcp_free(lt);
		}
	}
}

/*
 * Bring the listeners in line with c: bind the addresses we do not listen
 * on yet, then close those c no longer has.  On failure nothing changed.
 */
static int
resolver_listen(struct linkshim *ls, const struct conf *c, struct errbuf *err)
{
	struct listener_udp_list nudp;
	struct listener_tcp_list ntcp;
	struct listener_udp *lu;
	struct listener_tcp *lt;
	size_t i;

	TAILQ_INIT(&nudp);
	TAILQ_INIT(&ntcp);
	for (i = 0; i < c->nlisten; i++) {
		if (!resolver_has_udp(ls, &c->listen[i])) {
			if ((lu = listener_udp_new(ls, &c->listen[i], err)) ==
			    NULL)
				goto fail;
			TAILQ_INSERT_TAIL(&nudp, lu, entry);
		}
		if (!resolver_has_tcp(ls, &c->listen[i])) {
			if ((lt = listener_tcp_new(ls, &c->listen[i], err)) ==
			    NULL)
				goto fail;
			TAILQ_INSERT_TAIL(&ntcp, lt, entry);
		}
	}
	resolver_close_unlisted(ls, c);
	TAILQ_CONCAT(&ls->udp, &nudp, entry);
	TAILQ_CONCAT(&ls->tcp, &ntcp, entry);
	return 0;
fail:
	while ((lu = TAILQ_FIRST(&nudp)) != NULL) {
		TAILQ_REMOVE(&nudp, lu, entry);
		listener_udp_free(lu);
	}
	while ((lt = TAILQ_FIRST(&ntcp)) != NULL) {
		TAILQ_REMOVE(&ntcp, lt, entry);
		listener_tcp_free(lt);
	}
	return -1;
}

/* Build everything for nx->conf (already loaded) except the listeners. */
static int
resolver_prepare(
    const struct linkshim *ls, struct resolver_next *nx, struct errbuf *err)
{
	if (nx->conf->nupstreams == 0 &&
	    conf_resolve_upstreams(nx->conf, err) == -1)
		return -1;
	if (resolver_build_sets(nx, err) == -1)
		return -1;
	if (resolver_build_zonetab(nx->conf, ls->dyn_links, ls->ndyn_links,
	        ls->dyn_zones, ls->ndyn_zones, &nx->zt, err) == -1)
		return -1;
	if (ls->cache == NULL ||
	    !resolver_cache_conf_equal(&ls->conf->cache, &nx->conf->cache)) {
		if ((nx->cache = cache_new(&nx->conf->cache)) == NULL)
			return errbuf_set(err, "cache: out of memory");
	}
	return 0;
}

/*
 * Carry the health of servers that survive a reload (same address) into
 * the new set: a dead upstream stays known as dead, a slow one as slow.
 */
static void
resolver_keep_health(struct upstream_set *nset, uint64_t *nlast,
    const struct upstream_set *oset, const uint64_t *olast)
{
	size_t i, j;

	for (i = 0; i < nset->nservers; i++)
		for (j = 0; j < oset->nservers; j++) {
			if (!conf_addr_equal(
			        &nset->servers[i].addr, &oset->servers[j].addr))
				continue;
			nset->servers[i] = oset->servers[j];
			nlast[i] = olast[j];
			break;
		}
}

/*
 * Swap nx in (cannot fail).  The objects it replaces are moved into *old
 * (empty on entry) for the caller to free: the reload thread frees them
 * off the loop (a 100,000-link snapshot takes tens of ms to free).
 * Every worker has switched when this returns.
 */
static void
resolver_swap(
    struct linkshim *ls, struct resolver_next *nx, struct resolver_next *old)
{
	uint64_t last[UPSTREAM_MAX_SERVERS];

	bool flush =
	    ls->conf != NULL && !resolver_forwarding_equal(ls->conf, nx->conf);

	workers_adopt(ls->workers, nx->conf, nx->zt); /* before the frees */
	if (!ls->borrowed) {
		old->conf = ls->conf;
		old->zt = ls->zt;
	}
	ls->conf = nx->conf;
	ls->zt = nx->zt;
	if (nx->cache != NULL) {
		old->cache = ls->cache;
		ls->cache = nx->cache;
	} else if (flush) {
		cache_flush(ls->cache);
	}
	memset(last, 0, sizeof(last));
	resolver_keep_health(&nx->defset, last, &ls->defset, ls->def_last_ms);
	ls->defset = nx->defset;
	memcpy(ls->def_last_ms, last, sizeof(last));
	old->fwdsets = ls->fwdsets;
	ls->fwdsets = nx->fwdsets;
	old->fwd_last_ms = ls->fwd_last_ms;
	ls->fwd_last_ms = nx->fwd_last_ms;
	ls->nfwdsets = nx->nfwdsets;
	ls->set_gen++; /* in-flight fetches keep their copied servers */
	memset(nx, 0, sizeof(*nx));
}

struct linkshim *
linkshim_new(struct event_base *base, struct conf *conf, struct errbuf *err)
{
	struct linkshim *ls;
	struct resolver_next nx, old;

	if ((ls = calloc(1, sizeof(*ls))) == NULL) {
		errbuf_set(err, "out of memory");
		return NULL;
	}
	ls->base = base;
	TAILQ_INIT(&ls->udp);
	TAILQ_INIT(&ls->tcp);
	RB_INIT(&ls->fetches);
	TAILQ_INIT(&ls->age);
	memset(&nx, 0, sizeof(nx));
	memset(&old, 0, sizeof(old));
	nx.conf = conf;
	ls->reuseport = workers_wanted(conf);
	if (resolver_prepare(ls, &nx, err) == -1)
		goto fail;
	/* the listeners read limits from ls->conf */
	ls->conf = conf;
	if (resolver_listen(ls, conf, err) == -1) {
		ls->conf = NULL;
		goto fail;
	}
	ls->conf = NULL;
	resolver_swap(ls, &nx, &old); /* old stays empty */
	if (ls->reuseport && (ls->workers = workers_new(ls, err)) == NULL) {
		ls->conf = NULL; /* the caller still owns conf */
		linkshim_free(ls);
		return NULL;
	}
	return ls;
fail:
	nx.conf = NULL; /* the caller still owns conf */
	resolver_next_clear(&nx);
	free(ls);
	return NULL;
}

void
linkshim_free(struct linkshim *ls)
{
	if (ls == NULL)
		return;
	reload_free(ls->reloader); /* first: its thread reads ls */
	workers_free(ls->workers);
	upstream_io_cancel_all(ls);
	upool_free(ls->upool);
	resolver_close_unlisted(ls, NULL);
	if (ls->accept_ev != NULL)
		event_free(ls->accept_ev);
	cache_free(ls->cache);
	if (!ls->borrowed) {
		zonetab_free(ls->zt);
		conf_free(ls->conf);
	}
	free(ls->fwdsets);
	free(ls->fwd_last_ms);
	dynamic_links_free(ls->dyn_links, ls->ndyn_links);
	dynamic_zones_free(ls->dyn_zones, ls->ndyn_zones);
	freelist_clear(&ls->fetch_fl);
	freelist_clear(&ls->waiter_fl);
	free(ls);
}

/*
 * Reload thread (reload.c): load path and build everything for it except
 * the listeners.  Reads ls->conf, ls->cache and the dynamic entries, which
 * only an apply changes, and applies run one at a time on the loop after
 * the build finished.
 */
int
resolver_build_file(const struct linkshim *ls, const char *path,
    struct resolver_next *nx, struct errbuf *err)
{
	memset(nx, 0, sizeof(*nx));
	if (conf_load(path, &nx->conf, err) == -1 ||
	    resolver_prepare(ls, nx, err) == -1) {
		resolver_next_clear(nx);
		return -1;
	}
	return 0;
}

/* On the loop: bind the new listen addresses, then swap (reload.c). */
int
resolver_apply_file(struct linkshim *ls, struct resolver_next *nx,
    struct resolver_next *old, struct errbuf *err)
{
	if (resolver_listen(ls, nx->conf, err) == -1) {
		ls->stats.reloads_failed++;
		return -1;
	}
	resolver_swap(ls, nx, old);
	listener_tcp_resume(ls); /* limits.tcp_clients may have grown */
	ls->stats.reloads_ok++;
	log_info("reloaded %s: %zu links, %zu zones", ls->conf->path,
	    zonetab_nlinks(ls->zt), zonetab_nzones(ls->zt));
	return 0;
}

int
linkshim_reload(struct linkshim *ls, const char *path, struct errbuf *err)
{
	struct resolver_next nx, old;
	int rv = -1;

	reload_wait(ls); /* one reload at a time */
	memset(&old, 0, sizeof(old));
	if (resolver_build_file(ls, path, &nx, err) == -1) {
		ls->stats.reloads_failed++;
		return -1;
	}
	rv = resolver_apply_file(ls, &nx, &old, err);
	resolver_next_clear(&nx);
	resolver_next_clear(&old);
	return rv;
}

const struct conf *
linkshim_conf(const struct linkshim *ls)
{
	return ls->conf;
}

static int
resolver_dynamic_check(const struct conf *c, const struct conf_link *links,
    size_t nlinks, const struct conf_zone *zones, size_t nzones,
    struct errbuf *err)
{
	size_t i;

	for (i = 0; i < nlinks; i++)
		if (resolver_name_in_conf(c, links[i].name))
			return errbuf_set(err,
			    "%s: defined in the "
			    "configuration file",
			    links[i].name);
	for (i = 0; i < nzones; i++)
		if (resolver_name_in_conf(c, zones[i].name))
			return errbuf_set(err,
			    "%s: defined in the "
			    "configuration file",
			    zones[i].name);
	return 0;
}

/* Reload thread (or a synchronous call): check and build the snapshot
 * for the conf in force plus the dynamic entries dl/dz (borrowed). */
int
resolver_build_dynamic(const struct linkshim *ls, const struct conf_link *dl,
    size_t ndl, const struct conf_zone *dz, size_t ndz, struct zonetab **zt,
    struct errbuf *err)
{
	if (resolver_dynamic_check(ls->conf, dl, ndl, dz, ndz, err) == -1)
		return -1;
	return resolver_build_zonetab(ls->conf, dl, ndl, dz, ndz, zt, err);
}

/* On the loop: swap in zt and the dynamic arrays dl, dz (owned); on
 * return zt, *dl and *dz are the old ones, for the caller to free. */
void
resolver_apply_dynamic(struct linkshim *ls, struct zonetab **zt,
    struct conf_link **dl, size_t *ndl, struct conf_zone **dz, size_t *ndz)
{
	struct conf_link *ol = ls->dyn_links;
	struct conf_zone *oz = ls->dyn_zones;
	struct zonetab *ozt = ls->zt;
	size_t onl = ls->ndyn_links, onz = ls->ndyn_zones;

	workers_adopt(ls->workers, ls->conf, *zt); /* before the free */
	ls->zt = *zt;
	ls->dyn_links = *dl;
	ls->ndyn_links = *ndl;
	ls->dyn_zones = *dz;
	ls->ndyn_zones = *ndz;
	*zt = ozt;
	*dl = ol;
	*ndl = onl;
	*dz = oz;
	*ndz = onz;
}

int
linkshim_set_dynamic(struct linkshim *ls, const struct conf_link *links,
    size_t nlinks, const struct conf_zone *zones, size_t nzones,
    struct errbuf *err)
{
	struct conf_link *dl = NULL;
	struct conf_zone *dz = NULL;
	struct zonetab *zt = NULL;
	int rv = -1;

	reload_wait(ls); /* one rebuild at a time */
	if (dynamic_links_copy(links, nlinks, &dl) == -1 ||
	    dynamic_zones_copy(zones, nzones, &dz) == -1) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	if (resolver_build_dynamic(ls, dl, nlinks, dz, nzones, &zt, err) == -1)
		goto done;
	resolver_apply_dynamic(ls, &zt, &dl, &nlinks, &dz, &nzones);
	rv = 0;
done:
	zonetab_free(zt);
	dynamic_links_free(dl, nlinks);
	dynamic_zones_free(dz, nzones);
	return rv;
}

static void
resolver_stats_set(const struct upstream_set *set, const uint64_t *last_ms,
    struct linkshim_stats *st)
{
	struct linkshim_upstream_stats *u;
	struct conf_addr a;
	size_t i;

	for (i = 0; i < set->nservers && st->nupstreams < 16; i++) {
		u = &st->upstreams[st->nupstreams++];
		a = set->servers[i].addr;
		conf_format_addr(&a, u->addr, sizeof(u->addr));
		u->srtt_ms = set->servers[i].srtt_ms;
		u->queries = set->servers[i].queries;
		u->timeouts = set->servers[i].timeouts;
		u->errors = set->servers[i].errors;
		u->last_answer_ms = last_ms != NULL ? last_ms[i] : 0;
	}
}

void
linkshim_get_stats(const struct linkshim *ls, struct linkshim_stats *st)
{
	struct cache_stats cs;
	size_t i;

	*st = ls->stats;
	memset(&cs, 0, sizeof(cs));
	cache_get_stats(ls->cache, &cs);
	st->cache_hits = cs.hits;
	st->cache_misses = cs.misses;
	st->cache_evictions = cs.evictions;
	st->cache_entries = cs.entries;
	st->cache_bytes = cs.bytes;
	st->nlinks = zonetab_nlinks(ls->zt);
	st->nzones = zonetab_nzones(ls->zt);
	st->nupstreams = 0;
	resolver_stats_set(&ls->defset, ls->def_last_ms, st);
	for (i = 0; i < ls->nfwdsets; i++)
		resolver_stats_set(&ls->fwdsets[i],
		    ls->fwd_last_ms != NULL ? ls->fwd_last_ms[i] : NULL, st);
	st->listening = !TAILQ_EMPTY(&ls->udp) || !TAILQ_EMPTY(&ls->tcp);
	workers_add_stats(ls->workers, st);
}

/*
 * Worker i > 0 (workers.c): a resolver on its own base that borrows
 * main's config and snapshot, with its own sets, cache and SO_REUSEPORT
 * listeners.  Called in main's thread before the worker's thread runs.
 */
struct linkshim *
resolver_worker_new(
    struct event_base *base, struct linkshim *main, struct errbuf *err)
{
	struct linkshim *ls;
	struct resolver_next nx, old;

	if ((ls = calloc(1, sizeof(*ls))) == NULL) {
		errbuf_set(err, "out of memory");
		return NULL;
	}
	ls->base = base;
	TAILQ_INIT(&ls->udp);
	TAILQ_INIT(&ls->tcp);
	RB_INIT(&ls->fetches);
	TAILQ_INIT(&ls->age);
	ls->borrowed = true;
	ls->reuseport = true;
	memset(&nx, 0, sizeof(nx));
	nx.conf = main->conf;
	nx.zt = main->zt;
	if (resolver_build_sets(&nx, err) == -1)
		goto fail;
	if ((nx.cache = cache_new(&nx.conf->cache)) == NULL) {
		errbuf_set(err, "cache: out of memory");
		goto fail;
	}
	ls->conf = nx.conf;
	if (resolver_listen(ls, nx.conf, err) == -1) {
		ls->conf = NULL;
		goto fail;
	}
	ls->conf = NULL;
	memset(&old, 0, sizeof(old));
	resolver_swap(ls, &nx, &old); /* old stays empty */
	return ls;
fail:
	nx.conf = NULL; /* borrowed */
	nx.zt = NULL;
	resolver_next_clear(&nx);
	free(ls);
	return NULL;
}

/*
 * In worker ls's thread: switch to main's new config and snapshot (both
 * borrowed; the old ones stay valid until this returns).  It cannot
 * refuse: the old config is freed next.  What cannot be built (out of
 * memory, a listen address that will not bind) is logged and the old
 * sets, cache or listeners are kept.
 */
void
resolver_worker_adopt(
    struct linkshim *ls, struct conf *conf, struct zonetab *zt)
{
	struct resolver_next nx, old;
	struct errbuf err;

	if (conf == ls->conf) { /* a dynamic update: the snapshot only */
		ls->zt = zt;
		return;
	}
	memset(&nx, 0, sizeof(nx));
	memset(&err, 0, sizeof(err));
	nx.conf = conf;
	nx.zt = zt;
	if (resolver_build_sets(&nx, &err) == -1 ||
	    (!resolver_cache_conf_equal(&ls->conf->cache, &conf->cache) &&
	        (nx.cache = cache_new(&conf->cache)) == NULL)) {
		log_warnx(
		    "worker reload: %s", err.msg[0] ? err.msg : "no memory");
		free(nx.fwdsets);
		free(nx.fwd_last_ms);
		ls->conf = conf;
		ls->zt = zt;
		return;
	}
	if (resolver_listen(ls, conf, &err) == -1)
		log_warnx("worker reload: %s (old listeners kept)", err.msg);
	memset(&old, 0, sizeof(old));
	resolver_swap(ls, &nx, &old);
	resolver_next_clear(&old); /* the borrowed conf and zt are not in old */
	listener_tcp_resume(ls);
}
