/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf_walk: the generic half of the config walk over a libyaml document
 * (the netplan process_mapping idea).  A mapping is matched key by key
 * against a schema table: an unknown key, a repeated key or a value of
 * the wrong node type is an error with "file:line:col: what, expected
 * what".  Every node visit is counted, and nesting is capped, because the
 * document API turns aliases into shared nodes and a naive walk of an
 * alias bomb is exponential.  The typed handlers (numbers, durations,
 * sizes, addresses, prefixes, names, strings) live here too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "core/conf_internal.h"

int
conf_walk_error(
    struct conf_walk *w, const yaml_node_t *node, const char *fmt, ...)
{
	char msg[ERRBUF_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return errbuf_set(w->err, "%s:%zu:%zu: %s", w->name,
	    node->start_mark.line + 1, node->start_mark.column + 1, msg);
}

/* The value as it may appear in a message: printable, at most 64 bytes. */
static void
conf_walk_quote(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] =
		    (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"') ? s[i] : '?';
	buf[i] = '\0';
	if (s[i] != '\0' && i >= 3)
		memcpy(buf + i - 3, "...", 3);
}

int
conf_walk_bad(struct conf_walk *w, const yaml_node_t *node, const char *what,
    const char *expect)
{
	char q[65];

	conf_walk_quote(conf_walk_scalar(node), q, sizeof(q));
	return conf_walk_error(
	    w, node, "bad %s \"%s\", expected %s", what, q, expect);
}

int
conf_walk_enter(struct conf_walk *w, yaml_node_t *node)
{
	if (++w->nodes > w->max_nodes)
		return conf_walk_error(w, node,
		    "more than %zu nodes (an alias bomb?), expected a smaller "
		    "configuration",
		    w->max_nodes);
	if (++w->depth > CONF_MAX_DEPTH)
		return conf_walk_error(w, node,
		    "nesting deeper than %d levels, expected the documented "
		    "structure",
		    CONF_MAX_DEPTH);
	return 0;
}

int
conf_walk_sequence(
    struct conf_walk *w, yaml_node_t *seq, conf_item_fn *fn, void *base)
{
	yaml_node_item_t *it;
	yaml_node_t *item;
	int rv;

	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		item = conf_walk_item(w, it);
		if (conf_walk_enter(w, item) == -1)
			return -1;
		rv = fn(w, item, base);
		conf_walk_leave(w);
		if (rv == -1)
			return -1;
	}
	return 0;
}

void
conf_walk_leave(struct conf_walk *w)
{
	w->depth--;
}

yaml_node_t *
conf_walk_item(struct conf_walk *w, yaml_node_item_t *it)
{
	return yaml_document_get_node(w->doc, *it);
}

const char *
conf_walk_scalar(const yaml_node_t *node)
{
	if (node->type != YAML_SCALAR_NODE)
		return "";
	return (const char *)node->data.scalar.value;
}

static const char *
conf_walk_typename(yaml_node_type_t t)
{
	switch (t) {
	case YAML_SCALAR_NODE:
		return "scalar";
	case YAML_SEQUENCE_NODE:
		return "sequence";
	case YAML_MAPPING_NODE:
		return "mapping";
	default:
		return "empty node";
	}
}

int
conf_walk_type(struct conf_walk *w, yaml_node_t *node, yaml_node_type_t type,
    const char *what, const char *expect)
{
	if (node->type == type)
		return 0;
	return conf_walk_error(w, node, "%s is a %s, expected %s", what,
	    conf_walk_typename(node->type), expect);
}

void *
conf_walk_grow(struct conf_walk *w, const yaml_node_t *node, void *arr,
    size_t n, size_t size)
{
	char *p;

	if ((p = reallocarray(arr, n + 1, size)) == NULL) {
		conf_walk_error(w, node, "out of memory, expected less data");
		return NULL;
	}
	memset(p + n * size, 0, size);
	return p;
}

static int
conf_walk_unknown(struct conf_walk *w, const yaml_node_t *key,
    const struct conf_key *table, const char *what)
{
	char keys[256] = "", q[65];
	size_t i;

	for (i = 0; table[i].key != NULL; i++) {
		if (i > 0)
			strlcat(keys, ", ", sizeof(keys));
		strlcat(keys, table[i].key, sizeof(keys));
	}
	conf_walk_quote(conf_walk_scalar(key), q, sizeof(q));
	return conf_walk_error(w, key,
	    "unknown key \"%s\" in %s, expected "
	    "one of %s",
	    q, what, keys);
}

int
conf_walk_pair(struct conf_walk *w, const struct conf_key *row,
    yaml_node_t *value, void *base)
{
	int rv = -1;

	if (conf_walk_enter(w, value) == -1)
		return -1;
	if (conf_walk_type(w, value, row->type, row->key, row->expect) == -1)
		goto done;
	if (row->mark != CONF_MARK_NONE) {
		w->marks[row->mark] = value->start_mark;
		w->seen[row->mark] = true;
	}
	rv = row->handler(w, row, value, base);
done:
	conf_walk_leave(w);
	return rv;
}

const struct conf_key *
conf_walk_row(struct conf_walk *w, const struct conf_key *table,
    const char *what, yaml_node_t *key, uint64_t *seen)
{
	size_t i;

	if (key->type != YAML_SCALAR_NODE) {
		conf_walk_error(w, key,
		    "a %s as a key in %s, expected a plain key",
		    conf_walk_typename(key->type), what);
		return NULL;
	}
	for (i = 0; table[i].key != NULL; i++)
		if (strcmp(table[i].key, conf_walk_scalar(key)) == 0)
			break;
	if (table[i].key == NULL) {
		conf_walk_unknown(w, key, table, what);
		return NULL;
	}
	if (*seen & (UINT64_C(1) << i)) {
		conf_walk_error(w, key,
		    "duplicate key \"%s\" in %s, expected each key once",
		    table[i].key, what);
		return NULL;
	}
	*seen |= UINT64_C(1) << i;
	return &table[i];
}

int
conf_walk_mapping(struct conf_walk *w, const struct conf_key *table,
    const char *what, yaml_node_t *node, void *base)
{
	const struct conf_key *row;
	yaml_node_pair_t *pair;
	yaml_node_t *key, *value;
	uint64_t seen = 0;

	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		key = yaml_document_get_node(w->doc, pair->key);
		value = yaml_document_get_node(w->doc, pair->value);
		if (key == NULL || value == NULL)
			return conf_walk_error(w, node,
			    "broken mapping in %s, expected key: value", what);
		if ((row = conf_walk_row(w, table, what, key, &seen)) == NULL ||
		    conf_walk_pair(w, row, value, base) == -1)
			return -1;
	}
	return 0;
}

static int
conf_walk_number(struct conf_walk *w, const struct conf_key *key,
    yaml_node_t *node, uint64_t *v)
{
	char expect[80];

	snprintf(expect, sizeof(expect), "an integer from %llu to %llu",
	    (unsigned long long)key->min, (unsigned long long)key->max);
	if (conf_parse_uint(conf_walk_scalar(node), v) == -1 || *v < key->min ||
	    *v > key->max)
		return conf_walk_bad(w, node, key->key, expect);
	return 0;
}

int
conf_h_map(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	return conf_walk_mapping(
	    w, key->sub, key->key, node, (char *)base + key->off);
}

int
conf_h_uint(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	uint64_t v;

	if (conf_walk_number(w, key, node, &v) == -1)
		return -1;
	*(unsigned *)(void *)((char *)base + key->off) = (unsigned)v;
	return 0;
}

int
conf_h_u32(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	uint64_t v;

	if (conf_walk_number(w, key, node, &v) == -1)
		return -1;
	*(uint32_t *)(void *)((char *)base + key->off) = (uint32_t)v;
	return 0;
}

int
conf_h_bool(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	const char *s = conf_walk_scalar(node);
	bool *dst = (bool *)(void *)((char *)base + key->off);

	if (strcmp(s, "true") == 0)
		*dst = true;
	else if (strcmp(s, "false") == 0)
		*dst = false;
	else
		return conf_walk_bad(w, node, key->key, "true or false");
	return 0;
}

/* A string field of key->max + 1 bytes; at least key->min characters;
 * no control characters (they would end up in logs and files). */
int
conf_h_string(struct conf_walk *w, const struct conf_key *key,
    yaml_node_t *node, void *base)
{
	const char *s = conf_walk_scalar(node);
	char expect[96];
	size_t i, len = strlen(s);

	snprintf(expect, sizeof(expect), "%s of %llu to %llu characters",
	    key->expect, (unsigned long long)key->min,
	    (unsigned long long)key->max);
	if (len < key->min || len > key->max)
		return conf_walk_bad(w, node, key->key, expect);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return conf_walk_bad(
			    w, node, key->key, "no control characters");
	memcpy((char *)base + key->off, s, len + 1);
	return 0;
}

int
conf_h_name(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	if (conf_normalize_name(conf_walk_scalar(node), (char *)base + key->off,
	        CONF_NAME_MAX, false) == -1)
		return conf_walk_bad(w, node, key->key,
		    "a domain name (labels of 1 to 63 letters, digits, - or _, "
		    "at most 253 characters)");
	return 0;
}

static int
conf_walk_duration(struct conf_walk *w, const struct conf_key *key,
    yaml_node_t *node, uint64_t unit, uint64_t *v)
{
	char expect[128];
	uint64_t ms;

	snprintf(expect, sizeof(expect),
	    "a duration such as 1500ms, 10s, 30m, 1h or seconds, from %llu%s "
	    "to %llu%s",
	    (unsigned long long)key->min, unit == 1 ? "ms" : "s",
	    (unsigned long long)key->max, unit == 1 ? "ms" : "s");
	if (conf_parse_duration_ms(conf_walk_scalar(node), &ms) == -1 ||
	    ms % unit != 0 || ms / unit < key->min || ms / unit > key->max)
		return conf_walk_bad(w, node, key->key, expect);
	*v = ms / unit;
	return 0;
}

int
conf_h_duration_ms(struct conf_walk *w, const struct conf_key *key,
    yaml_node_t *node, void *base)
{
	uint64_t v;

	if (conf_walk_duration(w, key, node, 1, &v) == -1)
		return -1;
	*(unsigned *)(void *)((char *)base + key->off) = (unsigned)v;
	return 0;
}

int
conf_h_duration_s(struct conf_walk *w, const struct conf_key *key,
    yaml_node_t *node, void *base)
{
	uint64_t v;

	if (conf_walk_duration(w, key, node, 1000, &v) == -1)
		return -1;
	*(uint32_t *)(void *)((char *)base + key->off) = (uint32_t)v;
	return 0;
}

int
conf_h_size(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	uint64_t v;

	if (conf_parse_size(conf_walk_scalar(node), &v) == -1 || v < key->min ||
	    v > key->max)
		return conf_walk_bad(w, node, key->key,
		    "a size such as 64MiB, 512KiB, 1GB or bytes, at most "
		    "16GiB");
	*(size_t *)(void *)((char *)base + key->off) = (size_t)v;
	return 0;
}

static int
conf_walk_addr(struct conf_walk *w, const struct conf_key *key,
    yaml_node_t *node, struct conf_addr *dst)
{
	if (conf_parse_addr(conf_walk_scalar(node), (uint16_t)key->max, dst) ==
	    -1)
		return conf_walk_bad(w, node, key->key,
		    "an IP address with an optional port (1.2.3.4:53, "
		    "[::1]:53)");
	return 0;
}

int
conf_h_addr(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	return conf_walk_addr(w, key, node,
	    (struct conf_addr *)(void *)((char *)base + key->off));
}

/* A list of addresses: key->min items at least, key->max the default
 * port; the array and its count replace the defaults. */
int
conf_h_addrs(struct conf_walk *w, const struct conf_key *key, yaml_node_t *node,
    void *base)
{
	struct conf_addr **arrp =
	    (struct conf_addr **)(void *)((char *)base + key->off);
	size_t *np = (size_t *)(void *)((char *)base + key->count_off);
	struct conf_addr *arr = NULL, *tmp;
	yaml_node_item_t *it;
	yaml_node_t *item;
	size_t n = 0, i;

	for (it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++) {
		item = conf_walk_item(w, it);
		if (conf_walk_enter(w, item) == -1)
			goto fail;
		conf_walk_leave(w);
		if (conf_walk_type(w, item, YAML_SCALAR_NODE, key->key,
		        "an address") == -1)
			goto fail;
		if ((tmp = conf_walk_grow(w, item, arr, n, sizeof(*arr))) ==
		    NULL)
			goto fail;
		arr = tmp;
		if (conf_walk_addr(w, key, item, &arr[n]) == -1)
			goto fail;
		for (i = 0; i < n; i++)
			if (conf_addr_equal(&arr[i], &arr[n])) {
				conf_walk_bad(
				    w, item, key->key, "each address once");
				goto fail;
			}
		n++;
	}
	if (n < key->min) {
		conf_walk_error(w, node,
		    "%s is empty, expected at least one "
		    "address",
		    key->key);
		goto fail;
	}
	free(*arrp);
	*arrp = arr;
	*np = n;
	return 0;
fail:
	free(arr);
	return -1;
}

int
conf_h_prefixes(struct conf_walk *w, const struct conf_key *key,
    yaml_node_t *node, void *base)
{
	struct conf_prefix **arrp =
	    (struct conf_prefix **)(void *)((char *)base + key->off);
	size_t *np = (size_t *)(void *)((char *)base + key->count_off);
	struct conf_prefix *arr = NULL, *tmp;
	yaml_node_item_t *it;
	yaml_node_t *item;
	size_t n = 0;
	int r;

	for (it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++) {
		item = conf_walk_item(w, it);
		if (conf_walk_enter(w, item) == -1)
			goto fail;
		conf_walk_leave(w);
		if (conf_walk_type(
		        w, item, YAML_SCALAR_NODE, key->key, "a prefix") == -1)
			goto fail;
		if ((tmp = conf_walk_grow(w, item, arr, n, sizeof(*arr))) ==
		    NULL)
			goto fail;
		arr = tmp;
		if ((r = conf_parse_prefix(conf_walk_scalar(item), &arr[n])) !=
		    0) {
			conf_walk_bad(w, item, key->key,
			    r == -2 ? "no host bits set below the prefix "
			              "length (10.0.0.0/8, not 10.0.0.1/8)"
			            : "an address or prefix (10.0.0.0/8, "
			              "::1/128)");
			goto fail;
		}
		n++;
	}
	if (n < key->min) {
		conf_walk_error(w, node,
		    "%s is empty, expected at least one "
		    "prefix",
		    key->key);
		goto fail;
	}
	free(*arrp);
	*arrp = arr;
	*np = n;
	return 0;
fail:
	free(arr);
	return -1;
}
