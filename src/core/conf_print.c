/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf_print: the canonical form of a loaded configuration (`linkshimd
 * -nv`, the unwind printconf.c idea).  Every setting is written, defaults
 * included, in schema order, through libyaml's emitter so that quoting is
 * always right; the output loads back into the same configuration and
 * prints identically (the bgpd regress round trip).  Durations and sizes
 * use the largest exact unit, names are absolute and lower-case, record
 * values are ldns' canonical presentation form.
 */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "core/conf_internal.h"

/* yaml_emitter_emit() owns the event from the call on, even when it
 * fails (libyaml's contract), so there is nothing to free here.  After a
 * failure (a short write) the emitter stays in error and the rest of the
 * output is dropped: printing is best effort, like fprintf. */
static void
p_event(yaml_emitter_t *e, yaml_event_t *ev)
{
	(void)yaml_emitter_emit(e, ev);
}

static void
p_str(yaml_emitter_t *e, const char *s)
{
	yaml_event_t ev;

	if (yaml_scalar_event_initialize(&ev, NULL, NULL,
	        (yaml_char_t *)(uintptr_t)s, (int)strlen(s), 1, 1,
	        YAML_ANY_SCALAR_STYLE))
		p_event(e, &ev);
}

static void
p_key(yaml_emitter_t *e, const char *key, const char *value)
{
	p_str(e, key);
	p_str(e, value);
}

/* key: value only when value is set (optional strings). */
static void
p_opt(yaml_emitter_t *e, const char *key, const char *value)
{
	if (value[0] != '\0')
		p_key(e, key, value);
}

static void
p_num(yaml_emitter_t *e, const char *key, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	p_key(e, key, buf);
}

static void
p_bool(yaml_emitter_t *e, const char *key, bool v)
{
	p_key(e, key, v ? "true" : "false");
}

static void
p_duration(yaml_emitter_t *e, const char *key, unsigned long long ms)
{
	static const struct {
		const char *unit;
		unsigned long long ms;
	} units[] = {{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000},
	    {"ms", 1}};
	char buf[32] = "0";
	size_t i;

	for (i = 0; ms > 0 && i < sizeof(units) / sizeof(units[0]); i++)
		if (ms % units[i].ms == 0) {
			snprintf(buf, sizeof(buf), "%llu%s", ms / units[i].ms,
			    units[i].unit);
			break;
		}
	p_key(e, key, buf);
}

static void
p_size(yaml_emitter_t *e, const char *key, unsigned long long n)
{
	static const char *units[] = {"GiB", "MiB", "KiB"};
	char buf[32];
	size_t i;

	snprintf(buf, sizeof(buf), "%llu", n);
	for (i = 0; n > 0 && i < 3; i++)
		if (n % (1ULL << (30 - 10 * i)) == 0) {
			snprintf(buf, sizeof(buf), "%llu%s", n >> (30 - 10 * i),
			    units[i]);
			break;
		}
	p_key(e, key, buf);
}

static void
p_begin(yaml_emitter_t *e, bool mapping)
{
	yaml_event_t ev;
	int ok;

	if (mapping)
		ok = yaml_mapping_start_event_initialize(
		    &ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	else
		ok = yaml_sequence_start_event_initialize(
		    &ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	if (ok)
		p_event(e, &ev);
}

static void
p_end(yaml_emitter_t *e, bool mapping)
{
	yaml_event_t ev;

	if (mapping ? yaml_mapping_end_event_initialize(&ev)
	            : yaml_sequence_end_event_initialize(&ev))
		p_event(e, &ev);
}

static void
p_addrs(yaml_emitter_t *e, const char *key, const struct conf_addr *a, size_t n)
{
	char buf[64];
	size_t i;

	p_str(e, key);
	p_begin(e, false);
	for (i = 0; i < n; i++) {
		conf_format_addr(&a[i], buf, sizeof(buf));
		p_str(e, buf);
	}
	p_end(e, false);
}

static void
p_forward(yaml_emitter_t *e, const struct conf *c)
{
	size_t i;

	p_str(e, "forward");
	p_begin(e, false);
	for (i = 0; i < c->nforward; i++) {
		p_begin(e, true);
		p_key(e, "zone", c->forward[i].zone);
		p_addrs(e, "to", c->forward[i].to, c->forward[i].nto);
		p_end(e, true);
	}
	p_end(e, false);
}

static void
p_link(yaml_emitter_t *e, const struct conf_link *l)
{
	char buf[64];
	size_t i;

	p_begin(e, true);
	p_key(e, "name", l->name);
	if (l->target != NULL)
		p_opt(e, "target", l->target);
	if (l->mode != LINK_MODE_STATIC)
		p_key(
		    e, "mode", l->mode == LINK_MODE_CNAME ? "cname" : "alias");
	p_num(e, "ttl", l->ttl);
	if (l->nzonal > 0) {
		p_str(e, "zonal");
		p_begin(e, true);
		for (i = 0; i < l->nzonal; i++)
			p_key(e, l->zonal[i].az, l->zonal[i].target);
		p_end(e, true);
	}
	if (l->naddrs > 0) {
		p_str(e, "addresses");
		p_begin(e, false);
		for (i = 0; i < l->naddrs; i++) {
			conf_format_ip(&l->addrs[i], buf, sizeof(buf));
			p_str(e, buf);
		}
		p_end(e, false);
	}
	p_end(e, true);
}

static void
p_rrset(yaml_emitter_t *e, const struct conf_rrset *r)
{
	char type[32];
	size_t i;

	p_begin(e, true);
	p_key(e, "name", r->name);
	conf_zone_type_str(r->type, type, sizeof(type));
	p_key(e, "type", type);
	p_num(e, "ttl", r->ttl);
	if (r->alias[0] != '\0')
		p_key(e, "alias", r->alias);
	else {
		p_str(e, "values");
		p_begin(e, false);
		for (i = 0; i < r->nvalues; i++)
			p_str(e, r->values[i]);
		p_end(e, false);
	}
	p_end(e, true);
}

static void
p_zone(yaml_emitter_t *e, const struct conf_zone *z)
{
	size_t i;

	p_begin(e, true);
	p_key(e, "name", z->name);
	p_opt(e, "id", z->id);
	p_opt(e, "comment", z->comment);
	p_num(e, "soa_minimum", z->soa_minimum);
	p_num(e, "ttl", z->ttl);
	p_str(e, "records");
	p_begin(e, false);
	for (i = 0; i < z->nrrsets; i++)
		p_rrset(e, &z->rrsets[i]);
	p_end(e, false);
	p_end(e, true);
}

static void
p_tables(yaml_emitter_t *e, const struct conf *c)
{
	p_str(e, "cache");
	p_begin(e, true);
	p_size(e, "size", c->cache.size);
	p_num(e, "min_ttl", c->cache.min_ttl);
	p_num(e, "max_ttl", c->cache.max_ttl);
	p_duration(e, "serve_stale", c->cache.serve_stale * 1000ULL);
	p_bool(e, "prefetch", c->cache.prefetch);
	p_bool(e, "minimal_responses", c->cache.minimal_responses);
	p_end(e, true);
	p_str(e, "timeouts");
	p_begin(e, true);
	p_duration(e, "upstream", c->timeouts.upstream_ms);
	p_duration(e, "total", c->timeouts.total_ms);
	p_duration(e, "tcp_idle", c->timeouts.tcp_idle_ms);
	p_end(e, true);
	p_str(e, "limits");
	p_begin(e, true);
	p_num(e, "tcp_clients", c->limits.tcp_clients);
	p_num(e, "inflight", c->limits.inflight);
	p_end(e, true);
}

static void
p_api(yaml_emitter_t *e, const struct conf_api *a)
{
	char buf[64];

	if (a->socket[0] == '\0' && a->listen.len == 0 &&
	    a->token_file[0] == '\0' && a->aws_credentials[0] == '\0')
		return;
	p_str(e, "api");
	p_begin(e, true);
	p_opt(e, "socket", a->socket);
	if (a->listen.len != 0) {
		conf_format_addr(&a->listen, buf, sizeof(buf));
		p_key(e, "listen", buf);
	}
	p_opt(e, "token_file", a->token_file);
	p_opt(e, "aws_credentials", a->aws_credentials);
	p_end(e, true);
}

static void
p_body(yaml_emitter_t *e, const struct conf *c)
{
	char buf[64];
	size_t i;

	p_addrs(e, "listen", c->listen, c->nlisten);
	if (c->nupstreams > 0)
		p_addrs(e, "upstreams", c->upstreams, c->nupstreams);
	p_key(e, "resolv_conf", c->resolv_conf);
	p_forward(e, c);
	p_str(e, "allow");
	p_begin(e, false);
	for (i = 0; i < c->nallow; i++) {
		conf_format_prefix(&c->allow[i], buf, sizeof(buf));
		p_str(e, buf);
	}
	p_end(e, false);
	p_tables(e, c);
	p_str(e, "links");
	p_begin(e, false);
	for (i = 0; i < c->nlinks; i++)
		p_link(e, &c->links[i]);
	p_end(e, false);
	p_str(e, "zones");
	p_begin(e, false);
	for (i = 0; i < c->nzones; i++)
		p_zone(e, &c->zones[i]);
	p_end(e, false);
	p_opt(e, "availability_zone", c->availability_zone);
	if (c->workers == 0)
		p_key(e, "workers", "auto");
	else
		p_num(e, "workers", c->workers);
	p_opt(e, "version", c->version);
	p_api(e, &c->api);
	p_opt(e, "state", c->state);
	p_opt(e, "user", c->user);
	p_opt(e, "chroot", c->chroot);
	p_bool(e, "syslog", c->syslog);
	p_bool(e, "query_log", c->query_log);
}

void
conf_print(const struct conf *c, FILE *fp)
{
	yaml_emitter_t e;
	yaml_event_t ev;

	if (!yaml_emitter_initialize(&e))
		return;
	yaml_emitter_set_output_file(&e, fp);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, -1);
	yaml_emitter_set_indent(&e, 2);
	if (yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING))
		p_event(&e, &ev);
	if (yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1))
		p_event(&e, &ev);
	p_begin(&e, true);
	p_body(&e, c);
	p_end(&e, true);
	if (yaml_document_end_event_initialize(&ev, 1))
		p_event(&e, &ev);
	if (yaml_stream_end_event_initialize(&ev))
		p_event(&e, &ev);
	yaml_emitter_flush(&e);
	yaml_emitter_delete(&e);
}
