/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * admin_metrics: GET /metrics (Prometheus text exposition format 0.0.4),
 * GET /healthz and GET /v1/status, all read from linkshim_get_stats().
 * Health: the listeners are up and some upstream answered in the last
 * ADMIN_HEALTH_WINDOW_MS (monotonic clock, as the resolver records it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>
#include <jansson.h>

#include "io/admin_int.h"
#include "linkshim/linkshim.h"

#define ADMIN_HEALTH_WINDOW_MS 60000
#ifndef LINKSHIM_VERSION
#define LINKSHIM_VERSION "0.1.0"
#endif

static const char *const rcode_names[16] = {"NOERROR", "FORMERR", "SERVFAIL",
    "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
    "NOTAUTH", "NOTZONE", "RCODE11", "RCODE12", "RCODE13", "RCODE14",
    "RCODE15"};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
counter(FILE *fp, const char *name, const char *help, uint64_t v)
{
	fprintf(fp,
	    "# HELP linkshim_%s %s\n# TYPE linkshim_%s counter\n"
	    "linkshim_%s %llu\n",
	    name, help, name, name, (unsigned long long)v);
}

static void
gauge(FILE *fp, const char *name, const char *help, uint64_t v)
{
	fprintf(fp,
	    "# HELP linkshim_%s %s\n# TYPE linkshim_%s gauge\n"
	    "linkshim_%s %llu\n",
	    name, help, name, name, (unsigned long long)v);
}

static void
write_queries(FILE *fp, const struct linkshim_stats *st)
{
	size_t i;

	fputs("# HELP linkshim_queries_total Queries received, by transport.\n"
	      "# TYPE linkshim_queries_total counter\n",
	    fp);
	fprintf(fp, "linkshim_queries_total{transport=\"udp\"} %llu\n",
	    (unsigned long long)st->queries_udp);
	fprintf(fp, "linkshim_queries_total{transport=\"tcp\"} %llu\n",
	    (unsigned long long)st->queries_tcp);
	fputs("# HELP linkshim_responses_total Answers sent, by rcode.\n"
	      "# TYPE linkshim_responses_total counter\n",
	    fp);
	for (i = 0; i < 16; i++)
		if (st->rcode[i] > 0 || i <= 5)
			fprintf(fp,
			    "linkshim_responses_total{rcode=\"%s\"} "
			    "%llu\n",
			    rcode_names[i], (unsigned long long)st->rcode[i]);
	fputs("# HELP linkshim_answers_total Answers by source.\n"
	      "# TYPE linkshim_answers_total counter\n",
	    fp);
	fprintf(fp,
	    "linkshim_answers_total{source=\"local\"} %llu\n"
	    "linkshim_answers_total{source=\"cache\"} %llu\n"
	    "linkshim_answers_total{source=\"forwarded\"} %llu\n"
	    "linkshim_answers_total{source=\"stale\"} %llu\n",
	    (unsigned long long)st->answers_local,
	    (unsigned long long)st->answers_cache,
	    (unsigned long long)st->answers_forwarded,
	    (unsigned long long)st->answers_stale);
}

static void
write_upstreams(FILE *fp, const struct linkshim_stats *st)
{
	size_t i, n = st->nupstreams < 16 ? st->nupstreams : 16;

	fputs("# HELP linkshim_upstream_srtt_seconds Smoothed RTT.\n"
	      "# TYPE linkshim_upstream_srtt_seconds gauge\n",
	    fp);
	for (i = 0; i < n; i++)
		fprintf(fp,
		    "linkshim_upstream_srtt_seconds{upstream=\"%s\"} "
		    "%.3f\n",
		    st->upstreams[i].addr, st->upstreams[i].srtt_ms / 1000.0);
	fputs("# HELP linkshim_upstream_queries_total Queries sent.\n"
	      "# TYPE linkshim_upstream_queries_total counter\n",
	    fp);
	for (i = 0; i < n; i++)
		fprintf(fp,
		    "linkshim_upstream_queries_total{upstream=\"%s\"} "
		    "%llu\n",
		    st->upstreams[i].addr,
		    (unsigned long long)st->upstreams[i].queries);
	fputs("# HELP linkshim_upstream_failures_total Timeouts and errors.\n"
	      "# TYPE linkshim_upstream_failures_total counter\n",
	    fp);
	for (i = 0; i < n; i++) {
		fprintf(fp,
		    "linkshim_upstream_failures_total{upstream=\"%s\","
		    "kind=\"timeout\"} %llu\n",
		    st->upstreams[i].addr,
		    (unsigned long long)st->upstreams[i].timeouts);
		fprintf(fp,
		    "linkshim_upstream_failures_total{upstream=\"%s\","
		    "kind=\"error\"} %llu\n",
		    st->upstreams[i].addr,
		    (unsigned long long)st->upstreams[i].errors);
	}
}

void
admin_metrics_handle(struct admin_req *r)
{
	struct linkshim_stats st;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	memset(&st, 0, sizeof(st));
	linkshim_get_stats(r->a->ls, &st);
	if ((fp = open_memstream(&buf, &len)) == NULL) {
		admin_reply_error(r, 500, "out of memory");
		return;
	}
	write_queries(fp, &st);
	gauge(fp, "cache_entries", "Cache entries.", st.cache_entries);
	gauge(fp, "cache_bytes", "Cache size in bytes.", st.cache_bytes);
	counter(fp, "cache_hits_total", "Cache hits.", st.cache_hits);
	counter(fp, "cache_misses_total", "Cache misses.", st.cache_misses);
	counter(fp, "cache_evictions_total", "Cache evictions.",
	    st.cache_evictions);
	write_upstreams(fp, &st);
	counter(fp, "refused_clients_total", "Queries refused by the ACL.",
	    st.refused_acl);
	counter(fp, "dropped_total", "Queries dropped (malformed, limits).",
	    st.dropped);
	counter(fp, "tcp_rejected_total", "TCP connections over the cap.",
	    st.tcp_rejected);
	fputs("# HELP linkshim_reloads_total Config reloads, by result.\n"
	      "# TYPE linkshim_reloads_total counter\n",
	    fp);
	fprintf(fp,
	    "linkshim_reloads_total{result=\"ok\"} %llu\n"
	    "linkshim_reloads_total{result=\"failed\"} %llu\n",
	    (unsigned long long)st.reloads_ok,
	    (unsigned long long)st.reloads_failed);
	gauge(fp, "links", "Links served (config and API).", st.nlinks);
	gauge(fp, "zones", "Zones served (config and API).", st.nzones);
	counter(
	    fp, "admin_requests_total", "Admin API requests.", r->a->requests);
	counter(
	    fp, "admin_errors_total", "Admin API error replies.", r->a->errors);
	if (fclose(fp) != 0) {
		free(buf);
		admin_reply_error(r, 500, "out of memory");
		return;
	}
	admin_reply(r, 200, "text/plain; version=0.0.4", buf, len);
	free(buf);
}

/*
 * Did an upstream answer within the window?  last_answer_ms when the
 * resolver records it; otherwise the count of good upstream answers
 * (queries - timeouts - errors) growing between two looks, the first
 * look counting when it is non-zero.
 */
static bool
upstream_fresh(struct admin *a, const struct linkshim_stats *st, uint64_t now)
{
	uint64_t good = 0;
	size_t i;

	for (i = 0; i < st->nupstreams && i < 16; i++) {
		const struct linkshim_upstream_stats *u = &st->upstreams[i];

		if (u->last_answer_ms != 0 &&
		    now - u->last_answer_ms < ADMIN_HEALTH_WINDOW_MS)
			return true;
		if (u->queries > u->timeouts + u->errors)
			good += u->queries - u->timeouts - u->errors;
	}
	if (good > a->health_good) {
		a->health_good = good;
		a->health_good_ms = now;
	}
	return a->health_good_ms != 0 &&
	    now - a->health_good_ms < ADMIN_HEALTH_WINDOW_MS;
}

void
admin_healthz_handle(struct admin_req *r)
{
	struct linkshim_stats st;
	bool fresh;

	memset(&st, 0, sizeof(st));
	linkshim_get_stats(r->a->ls, &st);
	fresh = upstream_fresh(r->a, &st, now_ms());
	if (st.listening && fresh)
		admin_reply(r, 200, "text/plain", "ok\n", 3);
	else if (!st.listening)
		admin_reply(r, 503, "text/plain", "not listening\n", 14);
	else
		admin_reply(r, 503, "text/plain",
		    "no upstream answered recently\n", 30);
}

void
admin_status_handle(struct admin_req *r)
{
	struct linkshim_stats st;
	json_t *ups = json_array();
	size_t i;

	memset(&st, 0, sizeof(st));
	linkshim_get_stats(r->a->ls, &st);
	for (i = 0; i < st.nupstreams && i < 16; i++)
		json_array_append_new(ups,
		    json_pack("{s:s, s:I, s:I, s:I}", "addr",
		        st.upstreams[i].addr, "srtt_ms",
		        (json_int_t)st.upstreams[i].srtt_ms, "queries",
		        (json_int_t)st.upstreams[i].queries, "timeouts",
		        (json_int_t)st.upstreams[i].timeouts));
	admin_reply_json(r, 200,
	    json_pack("{s:s, s:I, s:I, s:I, s:o, s:{s:I, s:I, s:I, s:I}}",
	        "version", LINKSHIM_VERSION, "uptime_s",
	        (json_int_t)(time(NULL) - r->a->started), "links",
	        (json_int_t)st.nlinks, "zones", (json_int_t)st.nzones,
	        "upstreams", ups, "cache", "entries",
	        (json_int_t)st.cache_entries, "bytes",
	        (json_int_t)st.cache_bytes, "hits", (json_int_t)st.cache_hits,
	        "misses", (json_int_t)st.cache_misses));
}
