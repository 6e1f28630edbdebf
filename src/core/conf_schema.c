/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf_schema: THE schema of linkshim.yaml (design.md §3, style.md §8.2).
 * Each table row is { key, node type, handler, offset, bounds, what is
 * expected }; a key that is not in its table is an error.  The handlers
 * for the composite lists (forward, links, zones and their records) are
 * here too: they walk each item with its table, then check what a single
 * key cannot (required keys, exclusive keys, duplicates).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "core/conf_internal.h"

#define CONF_TTL_MAX 2147483647 /* RFC 2181 §8 */

/* Wrappers: the table rows of a list item point into these. */
struct link_parse {
	struct conf_link l; /* name and target are set from the two below */
	char name[CONF_NAME_MAX];
	char target[CONF_NAME_MAX];
	bool mode_set;
};

struct zone_parse {
	struct conf_zone z;
	yaml_node_t *records;
};

static conf_handler_fn h_forward, h_links, h_zones, h_workers, h_label, h_mode,
    h_zonal, h_ips, h_link_name, h_stash, h_rrtype;

#define STR(k, s, f, lo, hi, what)                                             \
	{                                                                      \
		.key = k, .type = YAML_SCALAR_NODE, .handler = conf_h_string,  \
		.off = offsetof(s, f), .min = lo, .max = hi, .expect = what    \
	}

static const struct conf_key cache_keys[] = {
    {.key = "size",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_size,
        .off = offsetof(struct conf_cache, size),
        .min = 0,
        .max = UINT64_C(16) << 30,
        .expect = "a size"},
    {.key = "min_ttl",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_s,
        .off = offsetof(struct conf_cache, min_ttl),
        .min = 0,
        .max = CONF_TTL_MAX,
        .expect = "a duration",
        .mark = CONF_MARK_MIN_TTL},
    {.key = "max_ttl",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_s,
        .off = offsetof(struct conf_cache, max_ttl),
        .min = 0,
        .max = CONF_TTL_MAX,
        .expect = "a duration",
        .mark = CONF_MARK_MAX_TTL},
    {.key = "serve_stale",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_s,
        .off = offsetof(struct conf_cache, serve_stale),
        .min = 0,
        .max = 7 * 86400,
        .expect = "a duration (0 = off)"},
    {.key = "prefetch",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_bool,
        .off = offsetof(struct conf_cache, prefetch),
        .expect = "true or false"},
    {.key = "minimal_responses",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_bool,
        .off = offsetof(struct conf_cache, minimal_responses),
        .expect = "true or false"},
    {.key = NULL}};

static const struct conf_key timeouts_keys[] = {
    {.key = "upstream",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_ms,
        .off = offsetof(struct conf_timeouts, upstream_ms),
        .min = 10,
        .max = 60000,
        .expect = "a duration",
        .mark = CONF_MARK_UPSTREAM},
    {.key = "total",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_ms,
        .off = offsetof(struct conf_timeouts, total_ms),
        .min = 10,
        .max = 120000,
        .expect = "a duration",
        .mark = CONF_MARK_TOTAL},
    {.key = "tcp_idle",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_ms,
        .off = offsetof(struct conf_timeouts, tcp_idle_ms),
        .min = 100,
        .max = 3600000,
        .expect = "a duration"},
    {.key = NULL}};

static const struct conf_key limits_keys[] = {
    {.key = "tcp_clients",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_uint,
        .off = offsetof(struct conf_limits, tcp_clients),
        .min = 1,
        .max = 65535,
        .expect = "a number"},
    {.key = "inflight",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_uint,
        .off = offsetof(struct conf_limits, inflight),
        .min = 1,
        .max = 1048576,
        .expect = "a number"},
    {.key = NULL}};

static const struct conf_key api_keys[] = {
    STR("socket", struct conf_api, socket, 0, 107, "a unix socket path"),
    {.key = "listen",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_addr,
        .off = offsetof(struct conf_api, listen),
        .max = 8053,
        .expect = "an address"},
    STR("token_file", struct conf_api, token_file, 0, CONF_PATH_MAX - 1,
        "a path"),
    STR("aws_credentials", struct conf_api, aws_credentials, 0,
        CONF_PATH_MAX - 1, "a path"),
    {.key = NULL}};

static const struct conf_key forward_keys[] = {
    {.key = "zone",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_name,
        .off = offsetof(struct conf_forward, zone),
        .expect = "a domain name"},
    {.key = "to",
        .type = YAML_SEQUENCE_NODE,
        .handler = conf_h_addrs,
        .off = offsetof(struct conf_forward, to),
        .count_off = offsetof(struct conf_forward, nto),
        .min = 1,
        .max = 53,
        .expect = "a sequence of addresses"},
    {.key = NULL}};

static const struct conf_key link_keys[] = {
    {.key = "name",
        .type = YAML_SCALAR_NODE,
        .handler = h_link_name,
        .off = offsetof(struct link_parse, name),
        .expect = "a domain name"},
    {.key = "target",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_name,
        .off = offsetof(struct link_parse, target),
        .expect = "a domain name"},
    {.key = "mode",
        .type = YAML_SCALAR_NODE,
        .handler = h_mode,
        .off = offsetof(struct link_parse, l.mode),
        .expect = "alias or cname"},
    {.key = "ttl",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_s,
        .off = offsetof(struct link_parse, l.ttl),
        .min = 0,
        .max = CONF_TTL_MAX,
        .expect = "a TTL"},
    {.key = "zonal",
        .type = YAML_MAPPING_NODE,
        .handler = h_zonal,
        .off = offsetof(struct link_parse, l.zonal),
        .count_off = offsetof(struct link_parse, l.nzonal),
        .expect = "a mapping of availability zone: endpoint name"},
    {.key = "addresses",
        .type = YAML_SEQUENCE_NODE,
        .handler = h_ips,
        .off = offsetof(struct link_parse, l.addrs),
        .count_off = offsetof(struct link_parse, l.naddrs),
        .expect = "a sequence of IP addresses"},
    {.key = NULL}};

static const struct conf_key record_keys[] = {
    STR("name", struct conf_rec_parse, raw, 1, CONF_NAME_MAX - 1,
        "@, a name relative to the zone or an absolute name"),
    {.key = "type",
        .type = YAML_SCALAR_NODE,
        .handler = h_rrtype,
        .off = offsetof(struct conf_rec_parse, r.type),
        .expect = "a record type"},
    {.key = "ttl",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_s,
        .off = offsetof(struct conf_rec_parse, r.ttl),
        .min = 0,
        .max = CONF_TTL_MAX,
        .expect = "a TTL"},
    {.key = "values",
        .type = YAML_SEQUENCE_NODE,
        .handler = h_stash,
        .off = offsetof(struct conf_rec_parse, values),
        .expect = "a sequence of record values"},
    {.key = "value",
        .type = YAML_SCALAR_NODE,
        .handler = h_stash,
        .off = offsetof(struct conf_rec_parse, value),
        .expect = "a record value"},
    {.key = "alias",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_name,
        .off = offsetof(struct conf_rec_parse, r.alias),
        .expect = "a domain name"},
    {.key = NULL}};

static const struct conf_key zone_keys[] = {
    {.key = "name",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_name,
        .off = offsetof(struct zone_parse, z.name),
        .expect = "a domain name"},
    STR("id", struct zone_parse, z.id, 0, 63, "an id"),
    STR("comment", struct zone_parse, z.comment, 0, 255, "a comment"),
    {.key = "soa_minimum",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_s,
        .off = offsetof(struct zone_parse, z.soa_minimum),
        .min = 0,
        .max = 86400,
        .expect = "a TTL"},
    {.key = "ttl",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_duration_s,
        .off = offsetof(struct zone_parse, z.ttl),
        .min = 0,
        .max = CONF_TTL_MAX,
        .expect = "a TTL"},
    {.key = "records",
        .type = YAML_SEQUENCE_NODE,
        .handler = h_stash,
        .off = offsetof(struct zone_parse, records),
        .expect = "a sequence of records"},
    {.key = NULL}};

const struct conf_key conf_top_keys[] = {
    {.key = "listen",
        .type = YAML_SEQUENCE_NODE,
        .handler = conf_h_addrs,
        .off = offsetof(struct conf, listen),
        .count_off = offsetof(struct conf, nlisten),
        .min = 1,
        .max = 5353,
        .expect = "a sequence of addresses"},
    {.key = "upstreams",
        .type = YAML_SEQUENCE_NODE,
        .handler = conf_h_addrs,
        .off = offsetof(struct conf, upstreams),
        .count_off = offsetof(struct conf, nupstreams),
        .min = 0,
        .max = 53,
        .expect = "a sequence of addresses",
        .mark = CONF_MARK_UPSTREAMS},
    STR("resolv_conf", struct conf, resolv_conf, 1, CONF_PATH_MAX - 1,
        "a path"),
    {.key = "forward",
        .type = YAML_SEQUENCE_NODE,
        .handler = h_forward,
        .expect = "a sequence of {zone, to}",
        .mark = CONF_MARK_FORWARD},
    {.key = "allow",
        .type = YAML_SEQUENCE_NODE,
        .handler = conf_h_prefixes,
        .off = offsetof(struct conf, allow),
        .count_off = offsetof(struct conf, nallow),
        .min = 1,
        .expect = "a sequence of prefixes"},
    {.key = "cache",
        .type = YAML_MAPPING_NODE,
        .handler = conf_h_map,
        .off = offsetof(struct conf, cache),
        .sub = cache_keys,
        .expect = "a mapping"},
    {.key = "timeouts",
        .type = YAML_MAPPING_NODE,
        .handler = conf_h_map,
        .off = offsetof(struct conf, timeouts),
        .sub = timeouts_keys,
        .expect = "a mapping"},
    {.key = "limits",
        .type = YAML_MAPPING_NODE,
        .handler = conf_h_map,
        .off = offsetof(struct conf, limits),
        .sub = limits_keys,
        .expect = "a mapping"},
    {.key = "links",
        .type = YAML_SEQUENCE_NODE,
        .handler = h_links,
        .expect = "a sequence of links"},
    {.key = "zones",
        .type = YAML_SEQUENCE_NODE,
        .handler = h_zones,
        .expect = "a sequence of zones"},
    {.key = "availability_zone",
        .type = YAML_SCALAR_NODE,
        .handler = h_label,
        .off = offsetof(struct conf, availability_zone),
        .expect = "an availability zone name (us-west-2a)"},
    {.key = "workers",
        .type = YAML_SCALAR_NODE,
        .handler = h_workers,
        .off = offsetof(struct conf, workers),
        .min = 1,
        .max = 256,
        .expect = "auto or a number"},
    STR("version", struct conf, version, 0, 63, "a version string"),
    {.key = "api",
        .type = YAML_MAPPING_NODE,
        .handler = conf_h_map,
        .off = offsetof(struct conf, api),
        .sub = api_keys,
        .expect = "a mapping"},
    STR("state", struct conf, state, 0, CONF_PATH_MAX - 1, "a path"),
    STR("user", struct conf, user, 0, 63, "a user name"),
    STR("chroot", struct conf, chroot, 0, CONF_PATH_MAX - 1, "a path"),
    {.key = "syslog",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_bool,
        .off = offsetof(struct conf, syslog),
        .expect = "true or false"},
    {.key = "query_log",
        .type = YAML_SCALAR_NODE,
        .handler = conf_h_bool,
        .off = offsetof(struct conf, query_log),
        .expect = "true or false"},
    {.key = NULL}};

int
conf_walk_root(struct conf_walk *w, yaml_node_t *root, struct conf *c)
{
	int rv = -1;

	if (conf_walk_enter(w, root) == -1)
		return -1;
	if (conf_walk_type(w, root, YAML_MAPPING_NODE, "the configuration",
	        "a mapping of keys (see conf/linkshim.yaml)") == 0)
		rv = conf_walk_mapping(
		    w, conf_top_keys, "the configuration", root, c);
	conf_walk_leave(w);
	return rv;
}

/* "auto" (0: one worker per core) or 1..256. */
static int
h_workers(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	if (strcmp(conf_walk_scalar(node), "auto") == 0) {
		*(unsigned *)(void *)((char *)base + key->off) = 0;
		return 0;
	}
	return conf_h_uint(w, key, node, base);
}

static bool
label_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > 63)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* An availability zone name: into a char[64]. */
static int
h_label(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	const char *s = conf_walk_scalar(node);

	if (!label_ok(s))
		return conf_walk_bad(w, node, key->key,
		    "an availability zone name (1 to 63 of a-z, 0-9, -)");
	strlcpy((char *)base + key->off, s, 64);
	return 0;
}

static int
h_link_name(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	if (conf_normalize_name(conf_walk_scalar(node), (char *)base + key->off,
	        CONF_NAME_MAX, true) == -1)
		return conf_walk_bad(w, node, key->key,
		    "a domain name, optionally starting with \"*.\" (labels "
		    "of 1 to 63 letters, digits, - or _)");
	return 0;
}

static int
h_mode(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	struct link_parse *lp = base;
	const char *s = conf_walk_scalar(node);

	(void)key;
	if (strcmp(s, "alias") == 0)
		lp->l.mode = LINK_MODE_ALIAS;
	else if (strcmp(s, "cname") == 0)
		lp->l.mode = LINK_MODE_CNAME;
	else
		return conf_walk_bad(w, node, "mode", "alias or cname");
	lp->mode_set = true;
	return 0;
}

/* Keep the node for a later pass that has the context it needs. */
static int
h_stash(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	(void)w;
	*(yaml_node_t **)(void *)((char *)base + key->off) = node;
	return 0;
}

static int
h_rrtype(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	struct conf_rec_parse *rp = base;

	(void)key;
	if (conf_zone_parse_type(conf_walk_scalar(node), &rp->r.type) == -1)
		return conf_walk_bad(w, node, "type",
		    "a record type such as A, AAAA, CNAME, TXT, MX, SRV, PTR, "
		    "CAA (not SOA, OPT or a meta type)");
	rp->type_set = true;
	return 0;
}

static int
h_zonal(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	struct conf_zonal **arrp =
	    (struct conf_zonal **)(void *)((char *)base + key->off);
	size_t *np = (size_t *)(void *)((char *)base + key->count_off);
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	struct conf_zonal *tmp;
	size_t i;

	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(w->doc, pair->key);
		v = yaml_document_get_node(w->doc, pair->value);
		if (conf_walk_enter(w, v) == -1)
			return -1;
		conf_walk_leave(w);
		if (conf_walk_type(w, k, YAML_SCALAR_NODE, "zonal key",
		        "an availability zone name") == -1 ||
		    conf_walk_type(w, v, YAML_SCALAR_NODE, "zonal value",
		        "an endpoint DNS name") == -1)
			return -1;
		if (!label_ok(conf_walk_scalar(k)))
			return conf_walk_bad(w, k, "availability zone",
			    "1 to 63 of a-z, 0-9, -");
		for (i = 0; i < *np; i++)
			if (strcmp((*arrp)[i].az, conf_walk_scalar(k)) == 0)
				return conf_walk_bad(w, k, "availability zone",
				    "each zone once");
		if ((tmp = conf_walk_grow(w, v, *arrp, *np, sizeof(*tmp))) ==
		    NULL)
			return -1;
		*arrp = tmp;
		strlcpy(tmp[*np].az, conf_walk_scalar(k), sizeof(tmp->az));
		if (conf_normalize_name(conf_walk_scalar(v), tmp[*np].target,
		        sizeof(tmp->target), false) == -1)
			return conf_walk_bad(
			    w, v, "zonal target", "a domain name");
		(*np)++;
	}
	return 0;
}

static int
h_ips(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	struct conf_ip **arrp =
	    (struct conf_ip **)(void *)((char *)base + key->off);
	size_t *np = (size_t *)(void *)((char *)base + key->count_off);
	yaml_node_item_t *it;
	yaml_node_t *item;
	struct conf_ip *tmp;
	size_t i;

	for (it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++) {
		item = conf_walk_item(w, it);
		if (conf_walk_enter(w, item) == -1)
			return -1;
		conf_walk_leave(w);
		if (conf_walk_type(w, item, YAML_SCALAR_NODE, key->key,
		        "an IP address") == -1)
			return -1;
		if ((tmp = conf_walk_grow(w, item, *arrp, *np, sizeof(*tmp))) ==
		    NULL)
			return -1;
		*arrp = tmp;
		if (conf_parse_ip(conf_walk_scalar(item), &tmp[*np]) == -1)
			return conf_walk_bad(w, item, key->key,
			    "an IPv4 or IPv6 address without a port");
		for (i = 0; i < *np; i++)
			if (memcmp(&tmp[i], &tmp[*np], sizeof(*tmp)) == 0)
				return conf_walk_bad(
				    w, item, key->key, "each address once");
		(*np)++;
	}
	if (*np == 0)
		return conf_walk_error(w, node,
		    "addresses is empty, expected at least one address");
	return 0;
}

static int
forward_item(struct conf_walk *w, yaml_node_t *item, void *base)
{
	struct conf *c = base;
	struct conf_forward f, *tmp;
	size_t i;

	memset(&f, 0, sizeof(f));
	if (conf_walk_type(w, item, YAML_MAPPING_NODE, "forward item",
	        "a mapping with zone and to") == -1 ||
	    conf_walk_mapping(w, forward_keys, "forward", item, &f) == -1)
		goto fail;
	if (f.zone[0] == '\0' || f.nto == 0) {
		conf_walk_error(w, item,
		    "forward item without %s, expected "
		    "zone and to",
		    f.zone[0] == '\0' ? "zone" : "to");
		goto fail;
	}
	for (i = 0; i < c->nforward; i++)
		if (strcmp(c->forward[i].zone, f.zone) == 0) {
			conf_walk_error(w, item,
			    "duplicate forward zone %s, "
			    "expected each zone once",
			    f.zone);
			goto fail;
		}
	if ((tmp = conf_walk_grow(
	         w, item, c->forward, c->nforward, sizeof(*tmp))) == NULL)
		goto fail;
	c->forward = tmp;
	c->forward[c->nforward++] = f;
	return 0;
fail:
	free(f.to);
	return -1;
}

static int
h_forward(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	(void)key;
	return conf_walk_sequence(w, node, forward_item, base);
}

/* What one key cannot check: required and exclusive keys. */
static int
link_check(struct conf_walk *w, yaml_node_t *item, struct link_parse *lp)
{
	struct conf_link *l = &lp->l;

	if (lp->name[0] == '\0')
		return conf_walk_error(w, item,
		    "link without name, expected name and target or addresses");
	if (lp->target[0] != '\0' && l->naddrs > 0)
		return conf_walk_error(w, item,
		    "link %s has target and addresses, expected one of them",
		    lp->name);
	if (l->naddrs > 0) {
		if (lp->mode_set)
			return conf_walk_error(w, item,
			    "link %s has mode %s and addresses, expected no "
			    "mode (addresses make a static link)",
			    lp->name,
			    l->mode == LINK_MODE_CNAME ? "cname" : "alias");
		if (l->nzonal > 0)
			return conf_walk_error(w, item,
			    "link %s has zonal and addresses, expected zonal "
			    "only with a target",
			    lp->name);
		l->mode = LINK_MODE_STATIC;
		return 0;
	}
	if (lp->target[0] == '\0')
		return conf_walk_error(w, item,
		    "link %s has no target, expected target or addresses",
		    lp->name);
	return 0;
}

/* The walked names into the link as heap strings (exactly sized; the
 * target "" for a static link, never NULL). */
static int
link_own_names(struct conf_walk *w, yaml_node_t *item, struct link_parse *lp)
{
	if ((lp->l.name = strdup(lp->name)) == NULL ||
	    (lp->l.target = strdup(lp->target)) == NULL)
		return conf_walk_error(
		    w, item, "out of memory, expected less data");
	return 0;
}

static int
link_item(struct conf_walk *w, yaml_node_t *item, struct conf *c,
    struct conf_links *ls)
{
	struct link_parse lp;
	struct conf_link *tmp;
	size_t *lines;
	long dup;

	memset(&lp, 0, sizeof(lp));
	lp.l.ttl = 60;
	if (conf_walk_type(w, item, YAML_MAPPING_NODE, "links item",
	        "a mapping with name and target or addresses") == -1 ||
	    conf_walk_mapping(w, link_keys, "link", item, &lp) == -1 ||
	    link_check(w, item, &lp) == -1 ||
	    link_own_names(w, item, &lp) == -1)
		goto fail;
	if ((tmp = conf_walk_grow(
	         w, item, c->links, c->nlinks, sizeof(*tmp))) == NULL)
		goto fail;
	c->links = tmp;
	if ((lines = conf_walk_grow(
	         w, item, ls->lines, c->nlinks, sizeof(*lines))) == NULL)
		goto fail;
	ls->lines = lines;
	dup = conf_nameset_add(&ls->names, lp.l.name, c->nlinks,
	    (const char *)c->links + offsetof(struct conf_link, name),
	    sizeof(*c->links)); /* names.deref: name is a char * */
	if (dup == -2) {
		conf_walk_error(w, item, "out of memory, expected less data");
		goto fail;
	}
	if (dup >= 0) {
		conf_walk_error(w, item,
		    "duplicate link name %s (first at line %zu), expected "
		    "each name once",
		    lp.l.name, ls->lines[dup] + 1);
		goto fail;
	}
	ls->lines[c->nlinks] = item->start_mark.line;
	c->links[c->nlinks++] = lp.l;
	return 0;
fail:
	conf_link_clear(&lp.l);
	return -1;
}

int
conf_links_begin(struct conf_walk *w, yaml_node_t *seq, struct conf_links *ls)
{
	memset(ls, 0, sizeof(*ls));
	if (conf_nameset_init(&ls->names,
	        (size_t)(seq->data.sequence.items.top -
	            seq->data.sequence.items.start)) == -1)
		return conf_walk_error(w, seq, "out of memory");
	ls->names.deref = true;
	return 0;
}

int
conf_links_item(struct conf_walk *w, yaml_node_t *item, struct conf *c,
    struct conf_links *ls)
{
	int rv;

	if (conf_walk_enter(w, item) == -1)
		return -1;
	rv = link_item(w, item, c, ls);
	conf_walk_leave(w);
	return rv;
}

void
conf_links_end(struct conf_links *ls)
{
	conf_nameset_clear(&ls->names);
	free(ls->lines);
	ls->lines = NULL;
}

static int
h_links(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	struct conf_links ls;
	yaml_node_item_t *it;
	int rv;

	(void)key;
	if ((rv = conf_links_begin(w, node, &ls)) == -1)
		return -1;
	for (it = node->data.sequence.items.start;
	     rv == 0 && it < node->data.sequence.items.top; it++)
		rv = conf_links_item(w, conf_walk_item(w, it), base, &ls);
	conf_links_end(&ls);
	return rv;
}

static int
zone_records(struct conf_walk *w, yaml_node_t *records, struct conf_zone *z)
{
	struct conf_rec_parse rp;
	yaml_node_item_t *it;
	yaml_node_t *item;
	int rv = 0;

	for (it = records->data.sequence.items.start;
	     rv == 0 && it < records->data.sequence.items.top; it++) {
		item = conf_walk_item(w, it);
		if (conf_walk_enter(w, item) == -1)
			return -1;
		memset(&rp, 0, sizeof(rp));
		rp.r.ttl = 300;
		if (conf_walk_type(w, item, YAML_MAPPING_NODE, "records item",
		        "a mapping with name, type and values or alias") ==
		        -1 ||
		    conf_walk_mapping(w, record_keys, "record", item, &rp) ==
		        -1 ||
		    conf_zone_add_record(w, item, z, &rp) == -1)
			rv = -1;
		conf_walk_leave(w);
	}
	return rv;
}

static int
zone_item(struct conf_walk *w, yaml_node_t *item, void *base)
{
	struct conf *c = base;
	struct zone_parse zp;
	struct conf_zone *tmp;
	size_t i;
	int rv = -1, r;

	memset(&zp, 0, sizeof(zp));
	zp.z.soa_minimum = 300;
	zp.z.ttl = 900;
	if (conf_walk_type(w, item, YAML_MAPPING_NODE, "zones item",
	        "a mapping with name and records") == -1 ||
	    conf_walk_mapping(w, zone_keys, "zone", item, &zp) == -1)
		goto done;
	if (zp.z.name[0] == '\0') {
		conf_walk_error(w, item, "zone without name, expected name");
		goto done;
	}
	for (i = 0; i < c->nzones; i++)
		if (strcmp(c->zones[i].name, zp.z.name) == 0) {
			conf_walk_error(w, item,
			    "duplicate zone %s, expected "
			    "each zone once",
			    zp.z.name);
			goto done;
		}
	if (zp.records != NULL) {
		if (conf_walk_enter(w, zp.records) == -1)
			goto done;
		r = zone_records(w, zp.records, &zp.z);
		conf_walk_leave(w);
		if (r == -1)
			goto done;
	}
	if ((tmp = conf_walk_grow(
	         w, item, c->zones, c->nzones, sizeof(*tmp))) == NULL)
		goto done;
	c->zones = tmp;
	c->zones[c->nzones++] = zp.z;
	memset(&zp, 0, sizeof(zp));
	rv = 0;
done:
	conf_zone_clear(&zp.z);
	return rv;
}

static int
h_zones(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	(void)key;
	return conf_walk_sequence(w, node, zone_item, base);
}
