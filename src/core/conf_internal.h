/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf_internal: what the conf_*.c files share and nothing else includes.
 * The YAML walk context (node and depth caps, error formatting), the
 * schema row type whose tables in conf_schema.c are the only schema, the
 * value parsers (durations, sizes, prefixes) and the resolv.conf reader
 * with its systemd path passed in so tests can point it at a temp file.
 */
#ifndef LINKSHIM_CONF_INTERNAL_H
#define LINKSHIM_CONF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "linkshim/conf.h"
#include "linkshim/errbuf.h"

#define CONF_MAX_DEPTH 8 /* mapping/sequence nesting below the root */
/* Node visits allowed: CONF_MAX_NODES plus one per input byte.  Without
 * aliases a document cannot have more nodes than bytes, so only alias
 * reuse (an "alias bomb") can reach the cap. */
#define CONF_MAX_NODES 10000
#define CONF_SYSTEMD_RESOLV "/run/systemd/resolve/resolv.conf"
#define CONF_MAX_NAMESERVERS 16

/* Positions of keys that conf_validate() points at (cross-field checks). */
enum conf_mark {
	CONF_MARK_NONE = 0,
	CONF_MARK_MIN_TTL,
	CONF_MARK_MAX_TTL,
	CONF_MARK_UPSTREAM,
	CONF_MARK_TOTAL,
	CONF_MARK_UPSTREAMS,
	CONF_MARK_FORWARD,
	CONF_MARK_COUNT
};

/* The YAML text: buf/len, or (fd != -1) a regular file of len bytes
 * read as the parser goes.  Borrowed. */
struct conf_input {
	const char *buf;
	size_t len;
	int fd;
	size_t done; /* bytes read since the last attach */
};

/* Point parser p at the start of in.  -1 with errno set (lseek). */
int conf_input_attach(yaml_parser_t *p, struct conf_input *in);

/* One walk over one YAML document.  Lives on conf_load_input()'s stack. */
struct conf_walk {
	const char *name;      /* file name for messages; borrowed */
	yaml_document_t *doc;  /* borrowed; NULL once freed (validation) */
	struct conf_input *in; /* the text, to reload doc for a message */
	struct errbuf *err;    /* borrowed */
	unsigned depth;
	size_t nodes;
	size_t max_nodes;                   /* CONF_MAX_NODES + input length */
	yaml_mark_t marks[CONF_MARK_COUNT]; /* where each marked key was */
	bool seen[CONF_MARK_COUNT];
};

struct conf_key;

/* A handler parses node into base + key->off (base is the struct the
 * table describes).  0 ok, -1 with w->err filled. */
typedef int conf_handler_fn(struct conf_walk *w, const struct conf_key *key,
    yaml_node_t *node, void *base);

/* One schema row (style.md §8.2). */
struct conf_key {
	const char *key;
	yaml_node_type_t type; /* required node type */
	conf_handler_fn *handler;
	size_t off;                 /* offsetof() into the described struct */
	size_t count_off;           /* lists: offsetof() of the size_t count */
	uint64_t min, max;          /* bounds for numbers, lengths for strings;
	                               address lists: min items, default port */
	const char *expect;         /* "a duration", for messages */
	const struct conf_key *sub; /* nested table (mappings) or NULL */
	enum conf_mark mark;        /* remember the position, or NONE */
};

/*
 * conf_walk.c: the generic part of the walk.  Every int function returns
 * 0 or -1 with w->err filled ("name:line:col: what, expected what", the
 * position taken from node->start_mark + 1); none of them logs.
 */
/* Fill w->err for node from a printf format; always returns -1. */
int conf_walk_error(struct conf_walk *w, const yaml_node_t *node,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 'bad WHAT "VALUE", expected EXPECT' for a scalar node; returns -1. */
int conf_walk_bad(struct conf_walk *w, const yaml_node_t *node,
    const char *what, const char *expect);
/* Count a node visit and one level of nesting (the caps); pair with
 * conf_walk_leave() when it succeeded. */
/* Call fn for every item of sequence seq, each inside conf_walk_enter/
 * leave; stops at the first -1, which it returns. */
typedef int conf_item_fn(struct conf_walk *w, yaml_node_t *item, void *base);
int conf_walk_sequence(
    struct conf_walk *w, yaml_node_t *seq, conf_item_fn *fn, void *base);
int conf_walk_enter(struct conf_walk *w, yaml_node_t *node);
void conf_walk_leave(struct conf_walk *w);
/* Walk the pairs of a mapping node against table (NULL-key terminated)
 * into base; what names the mapping in messages.  Unknown keys, repeated
 * keys, non-scalar keys and values of the wrong node type are errors. */
int conf_walk_mapping(struct conf_walk *w, const struct conf_key *table,
    const char *what, yaml_node_t *node, void *base);
/* The row of table for mapping key node key: an error unless key is a
 * scalar naming a row not yet in *seen (a bit per row, updated).  NULL
 * with w->err filled. */
const struct conf_key *conf_walk_row(struct conf_walk *w,
    const struct conf_key *table, const char *what, yaml_node_t *key,
    uint64_t *seen);
/* Walk value for row: count and enter it, check its type, remember its
 * mark, run the handler. */
int conf_walk_pair(struct conf_walk *w, const struct conf_key *row,
    yaml_node_t *value, void *base);
/* The node of a sequence item.  Borrowed from the document. */
yaml_node_t *conf_walk_item(struct conf_walk *w, yaml_node_item_t *it);
/* The text of a scalar node, "" for any other node.  Borrowed. */
const char *conf_walk_scalar(const yaml_node_t *node);
/* Check node's type: "WHAT is a sequence, expected EXPECT". */
int conf_walk_type(struct conf_walk *w, yaml_node_t *node,
    yaml_node_type_t type, const char *what, const char *expect);
/* reallocarray(arr, n + 1, size) with the new element zeroed.  Returns
 * the new array (arr is then invalid) or NULL with w->err filled (arr is
 * still the caller's). */
void *conf_walk_grow(struct conf_walk *w, const yaml_node_t *node, void *arr,
    size_t n, size_t size);

/* conf_walk.c: typed handlers usable in any table. */
conf_handler_fn conf_h_map, conf_h_uint, conf_h_u32, conf_h_bool, conf_h_string,
    conf_h_name, conf_h_duration_ms, conf_h_duration_s, conf_h_size,
    conf_h_addr, conf_h_addrs, conf_h_prefixes;

/* A record while its mapping is walked: the name as written (resolved
 * against the zone afterwards) and the value nodes, parsed once the type
 * is known. */
struct conf_rec_parse {
	struct conf_rrset r;
	char raw[CONF_NAME_MAX];
	bool type_set;
	yaml_node_t *values; /* sequence, or NULL */
	yaml_node_t *value;  /* scalar, or NULL */
};

/* conf_zone.c: resolve the name, parse and validate the values (rdata
 * through ldns, stored in canonical text) and append the record to z.
 * 0 ok, -1 with w->err filled and z unchanged. */
int conf_zone_add_record(struct conf_walk *w, yaml_node_t *item,
    struct conf_zone *z, struct conf_rec_parse *rp);
/* A type mnemonic ("A", "txt", "TYPE65") that may be configured. */
int conf_zone_parse_type(const char *s, uint16_t *type);
/* The mnemonic of a type into buf. */
void conf_zone_type_str(uint16_t type, char *buf, size_t len);

/* conf_schema.c: walk the root node (must be a mapping) into c. */
int conf_walk_root(struct conf_walk *w, yaml_node_t *root, struct conf *c);
/* The top-level schema table (the root mapping's keys). */
extern const struct conf_key conf_top_keys[];

/* conf_stream.c: read the document from p (attached to w->in) event by
 * event and walk it into c as it comes: each top-level key once its value
 * is read, each item of a top-level links list once it is read, freeing
 * their nodes after the walk unless an anchor was defined in them (so
 * that 100,000 links never hold 100,000 libyaml node trees at once).
 * Errors are those of yaml_parser_load() followed by conf_walk_root():
 * a YAML error (or a second document) anywhere in the text wins over a
 * walk error.  0 ok, -1 with w->err filled.  Sets and clears w->doc. */
int conf_stream_load(struct conf_walk *w, yaml_parser_t *p, struct conf *c);
/* conf.c: "name:line:col: problem, expected valid YAML" from p's error
 * state.  Always -1. */
int conf_yaml_error(const char *name, yaml_parser_t *p, struct errbuf *err);

/* conf.c: value parsers.  0 and *out set, or -1 with *out untouched (no
 * message: the walk adds one with the position).  conf_parse_prefix()
 * returns -2 when bits are set below the prefix length. */
int conf_parse_duration_ms(const char *s, uint64_t *ms);
int conf_parse_size(const char *s, uint64_t *bytes);
int conf_parse_uint(const char *s, uint64_t *v);
int conf_parse_prefix(const char *s, struct conf_prefix *p);
int conf_parse_ip(const char *s, struct conf_ip *ip);
/* "10.0.0.0/8", "2001:db8::1" into buf (truncated to len). */
void conf_format_prefix(const struct conf_prefix *p, char *buf, size_t len);
void conf_format_ip(const struct conf_ip *ip, char *buf, size_t len);
/* Cross-field checks after the walk; errors point at the marked keys. */
int conf_validate(struct conf_walk *w, struct conf *c);
/* conf_names.c: the links and zones of c put in one name table as the
 * daemon does (zonetab_build()); a conflict is an error at the link or
 * record it was found on.  0 ok, -1 with w->err filled. */
int conf_check_names(struct conf_walk *w, const struct conf *c);
/* Free what a zone owns and zero it (the struct itself is the caller's).
 * Safe on a zeroed struct.  conf_link_clear() is in conf.h. */
void conf_zone_clear(struct conf_zone *z);

/* conf_resolv.c: conf_resolve_upstreams() with both files named, so
 * that tests can point the systemd-resolved path at a temporary file. */
int conf_resolve_upstreams_from(struct conf *conf, const char *resolv,
    const char *systemd_resolv, struct errbuf *err);

/*
 * A set of names for duplicate checks while walking a list (links, zones):
 * open addressing over indices into the caller's array, so that a list of
 * n names is checked in O(n), not O(n^2).  The names are read through
 * base + index * stride (the array may move between calls: pass its
 * current base each time).
 */
struct conf_nameset {
	size_t *slots; /* index + 1; 0 is empty */
	size_t mask;
	size_t count; /* names in the set; the table doubles past 1/2 */
	bool deref;   /* base + index * stride holds a char *, not chars */
};

/* Room for n names (it grows past them).  0, or -1 on allocation
 * failure. */
int conf_nameset_init(struct conf_nameset *set, size_t n);
void conf_nameset_clear(struct conf_nameset *set); /* NULL-safe contents */

/* If name is in the set, return its index; otherwise record idx for it
 * and return -1 (-2 when the table could not grow).  Names are compared
 * with strcmp (they are normalised). */
long conf_nameset_add(struct conf_nameset *set, const char *name, size_t idx,
    const void *base, size_t stride);

/* The links list, walked one item at a time so that conf_stream.c can
 * free each item's nodes once it is walked.  conf_links_begin() (after
 * the list node was entered), conf_links_item() for every item (which
 * counts and enters it), conf_links_end() in every case. */
struct conf_links {
	struct conf_nameset names; /* the duplicate check */
	size_t *lines;             /* owned: line of each link's item */
};
int conf_links_begin(
    struct conf_walk *w, yaml_node_t *seq, struct conf_links *ls);
int conf_links_item(struct conf_walk *w, yaml_node_t *item, struct conf *c,
    struct conf_links *ls);
void conf_links_end(struct conf_links *ls); /* NULL-safe contents */

#endif
