/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf_stream: the configuration document read from libyaml's parser
 * events and walked as it comes, instead of yaml_parser_load() followed
 * by one walk of the whole document.  A libyaml node tree costs ~1.4 KB
 * per link (seven nodes, their tags, values and stacks), which was most
 * of linkshimd's peak RSS with many links.  Here each top-level key is
 * walked (conf_walk_row() + conf_walk_pair(), the very calls of
 * conf_walk_mapping()) as soon as its value is read, and each item of a
 * top-level `links:` sequence as soon as that item is read; their nodes
 * are then freed, unless an anchor was defined in them (a later alias may
 * use it: those nodes stay until the end).  The nodes are kept in an
 * ordinary yaml_document_t, built as libyaml's loader builds it (marks,
 * shared alias nodes, composer errors; the nodes take the events'
 * strings), so every handler and message is unchanged; only implicit
 * tags are left NULL (the walk never reads a tag).  The walk runs in document
 * order as before; a YAML error anywhere in the text, or a second document,
 * still wins over a walk error: after a walk error the rest is loaded without
 * walking, only to find those.  A root that is not a mapping, or is
 * anchored, is loaded whole and walked with conf_walk_root().
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "core/conf_internal.h"

enum stream_role {
	STREAM_PLAIN = 0, /* children appended, as libyaml does */
	STREAM_ROOT,      /* root mapping: each pair walked, then freed */
	STREAM_LINKS,     /* top-level links: each item walked, then freed */
};

/* An open sequence or mapping. */
struct stream_level {
	int index; /* its node */
	int key;   /* mapping: the key read, waiting for its value; 0 none */
	enum stream_role role;
	int first;       /* ROOT, LINKS: node count before the current child */
	size_t nanchors; /* anchors defined before the current child */
};

struct stream_anchor {
	char *name; /* owned */
	int index;
	yaml_mark_t mark;
};

struct stream {
	struct conf_walk *w;
	yaml_parser_t *p;
	yaml_document_t doc;
	struct conf *c;
	struct stream_level *lv; /* owned; nlv open containers */
	size_t nlv, clv;
	struct stream_anchor *an; /* owned */
	size_t nan, can;
	int root;           /* root node index, 0 until read */
	bool root_streamed; /* root mapping walked pair by pair */
	bool walking;       /* walk as we read; false after a walk error */
	bool walk_fail;     /* w->err holds a walk error */
	uint64_t seen;      /* root keys seen (conf_walk_row()) */
	const struct conf_key *links_row;
	struct conf_links links;
};

static yaml_node_t *
stream_node(struct stream *s, int index)
{
	return yaml_document_get_node(&s->doc, index);
}

/* Set the parser's error state the way libyaml's composer does, so that
 * conf_yaml_error() prints the same message. */
static int
stream_composer_error(struct stream *s, const char *context,
    yaml_mark_t context_mark, const char *problem, yaml_mark_t problem_mark)
{
	s->p->error = YAML_COMPOSER_ERROR;
	s->p->context = context;
	s->p->context_mark = context_mark;
	s->p->problem = problem;
	s->p->problem_mark = problem_mark;
	return conf_yaml_error(s->w->name, s->p, s->w->err);
}

static int
stream_oom(struct stream *s)
{
	return errbuf_set(s->w->err, "%s: out of memory", s->w->name);
}

/* A walk error was just put in w->err: stop walking, keep reading. */
static void
stream_walk_failed(struct stream *s)
{
	s->walking = false;
	s->walk_fail = true;
}

static int
stream_anchor(struct stream *s, int index, const yaml_char_t *anchor)
{
	struct stream_anchor *a;
	yaml_mark_t mark = stream_node(s, index)->start_mark;
	size_t i;

	if (anchor == NULL)
		return 0;
	for (i = 0; i < s->nan; i++)
		if (strcmp(s->an[i].name, (const char *)anchor) == 0)
			return stream_composer_error(s,
			    "found duplicate anchor; first occurrence",
			    s->an[i].mark, "second occurrence", mark);
	if (s->nan == s->can) {
		a = reallocarray(s->an, s->can ? s->can * 2 : 16, sizeof(*a));
		if (a == NULL)
			return stream_oom(s);
		s->an = a;
		s->can = s->can ? s->can * 2 : 16;
	}
	if ((s->an[s->nan].name = strdup((const char *)anchor)) == NULL)
		return stream_oom(s);
	s->an[s->nan].index = index;
	s->an[s->nan++].mark = mark;
	return 0;
}

/* Free the nodes from index first + 1 on (they are the last ones). */
static void
stream_truncate(struct stream *s, int first)
{
	yaml_node_t *n;

	while (s->doc.nodes.top - s->doc.nodes.start > first) {
		n = --s->doc.nodes.top;
		free(n->tag);
		if (n->type == YAML_SCALAR_NODE)
			free(n->data.scalar.value);
		else if (n->type == YAML_SEQUENCE_NODE)
			free(n->data.sequence.items.start);
		else if (n->type == YAML_MAPPING_NODE)
			free(n->data.mapping.pairs.start);
		memset(n, 0, sizeof(*n));
	}
}

/* After a child of level l was walked: drop its nodes unless it defined
 * an anchor. */
static void
stream_release(struct stream *s, struct stream_level *l)
{
	if (s->nan == l->nanchors)
		stream_truncate(s, l->first);
}

/* A node is about to be read as a child of the innermost level. */
static void
stream_child_begins(struct stream *s)
{
	struct stream_level *l;

	if (s->nlv == 0)
		return;
	l = &s->lv[s->nlv - 1];
	if (l->role == STREAM_LINKS ||
	    (l->role == STREAM_ROOT && l->key == 0)) {
		l->first = (int)(s->doc.nodes.top - s->doc.nodes.start);
		l->nanchors = s->nan;
	}
}

/* The pair key: value of the root mapping is read: walk it. */
static void
stream_root_pair(struct stream *s, struct stream_level *l, int value)
{
	const struct conf_key *row;

	row = conf_walk_row(s->w, conf_top_keys, "the configuration",
	    stream_node(s, l->key), &s->seen);
	if (row == NULL ||
	    conf_walk_pair(s->w, row, stream_node(s, value), s->c) == -1)
		stream_walk_failed(s);
	l->key = 0;
	stream_release(s, l);
}

/* Node index (complete) is a child of the innermost level, or the root. */
static int
stream_add_child(struct stream *s, int index)
{
	struct stream_level *l;

	if (s->nlv == 0) {
		s->root = index;
		return 0;
	}
	l = &s->lv[s->nlv - 1];
	if (s->walking && l->role == STREAM_LINKS) {
		if (conf_links_item(
		        s->w, stream_node(s, index), s->c, &s->links) == -1)
			stream_walk_failed(s);
		stream_release(s, l);
		return 0;
	}
	if (s->walking && l->role == STREAM_ROOT) {
		if (l->key == 0)
			l->key = index;
		else
			stream_root_pair(s, l, index);
		return 0;
	}
	if (stream_node(s, l->index)->type == YAML_SEQUENCE_NODE) {
		if (!yaml_document_append_sequence_item(
		        &s->doc, l->index, index))
			return stream_oom(s);
		return 0;
	}
	if (l->key == 0) {
		l->key = index;
		return 0;
	}
	if (!yaml_document_append_mapping_pair(
	        &s->doc, l->index, l->key, index))
		return stream_oom(s);
	l->key = 0;
	return 0;
}

/* Is a sequence starting now the value of the root's links key? */
static bool
stream_is_links(struct stream *s, const yaml_event_t *ev)
{
	struct stream_level *l;
	yaml_node_t *key;

	if (!s->walking || s->nlv != 1 || ev->data.sequence_start.anchor)
		return false;
	l = &s->lv[0];
	if (l->role != STREAM_ROOT || l->key == 0)
		return false;
	key = stream_node(s, l->key);
	return key->type == YAML_SCALAR_NODE &&
	    strcmp((const char *)key->data.scalar.value, "links") == 0;
}

/* The links value starts: what conf_walk_pair() does before h_links. */
static int
stream_links_begin(struct stream *s, int index)
{
	struct stream_level *root = &s->lv[0];
	yaml_node_t *seq = stream_node(s, index);

	s->links_row = conf_walk_row(s->w, conf_top_keys, "the configuration",
	    stream_node(s, root->key), &s->seen);
	if (s->links_row == NULL || conf_walk_enter(s->w, seq) == -1)
		return -1;
	if (conf_links_begin(s->w, seq, &s->links) == -1) {
		conf_walk_leave(s->w);
		return -1;
	}
	return 0;
}

static int
stream_push(struct stream *s, int index, enum stream_role role)
{
	struct stream_level *l;

	if (s->nlv == s->clv) {
		l = reallocarray(s->lv, s->clv ? s->clv * 2 : 16, sizeof(*l));
		if (l == NULL)
			return stream_oom(s);
		s->lv = l;
		s->clv = s->clv ? s->clv * 2 : 16;
	}
	l = &s->lv[s->nlv++];
	memset(l, 0, sizeof(*l));
	l->index = index;
	l->role = role;
	return 0;
}

/* Push a node of type with the position of ev, taking *tag (the event's;
 * NULL afterwards).  An implicit tag ("!" or none) is left NULL: unlike
 * yaml_parser_load() no default tag is allocated, since the walk never
 * reads tags.  Returns the node's index, or 0 (out of memory). */
static int
stream_new_node(struct stream *s, yaml_node_type_t type, const yaml_event_t *ev,
    yaml_char_t **tag)
{
	yaml_node_t *n;
	size_t cap;

	if (s->doc.nodes.top == s->doc.nodes.end) {
		cap = (size_t)(s->doc.nodes.end - s->doc.nodes.start) * 2;
		if ((n = reallocarray(s->doc.nodes.start, cap, sizeof(*n))) ==
		    NULL)
			return 0;
		s->doc.nodes.top = n + (s->doc.nodes.top - s->doc.nodes.start);
		s->doc.nodes.start = n;
		s->doc.nodes.end = n + cap;
	}
	n = s->doc.nodes.top;
	memset(n, 0, sizeof(*n));
	n->type = type;
	if (*tag != NULL && strcmp((char *)*tag, "!") != 0) {
		n->tag = *tag;
		*tag = NULL;
	}
	n->start_mark = ev->start_mark;
	n->end_mark = ev->end_mark;
	s->doc.nodes.top++;
	return (int)(s->doc.nodes.top - s->doc.nodes.start);
}

/* Room for the first items of a sequence or the first pairs of a
 * mapping (libyaml's stacks double from there as they are appended to). */
#define STREAM_FIRST_ITEMS 4

/* A sequence or mapping starts. */
static int
stream_start(struct stream *s, yaml_event_t *ev)
{
	enum stream_role role = STREAM_PLAIN;
	yaml_node_t *n;
	yaml_char_t *anchor;
	int index;

	if (ev->type == YAML_SEQUENCE_START_EVENT) {
		anchor = ev->data.sequence_start.anchor;
		index = stream_new_node(
		    s, YAML_SEQUENCE_NODE, ev, &ev->data.sequence_start.tag);
		if (stream_is_links(s, ev))
			role = STREAM_LINKS;
	} else {
		anchor = ev->data.mapping_start.anchor;
		index = stream_new_node(
		    s, YAML_MAPPING_NODE, ev, &ev->data.mapping_start.tag);
		if (s->walking && s->nlv == 0 && anchor == NULL)
			role = STREAM_ROOT;
	}
	if (index == 0)
		return stream_oom(s);
	n = stream_node(s, index);
	if (ev->type == YAML_SEQUENCE_START_EVENT) {
		n->data.sequence.style = ev->data.sequence_start.style;
		n->data.sequence.items.start = n->data.sequence.items.top =
		    calloc(STREAM_FIRST_ITEMS, sizeof(yaml_node_item_t));
		n->data.sequence.items.end =
		    n->data.sequence.items.start + STREAM_FIRST_ITEMS;
		if (n->data.sequence.items.start == NULL)
			return stream_oom(s);
	} else {
		n->data.mapping.style = ev->data.mapping_start.style;
		n->data.mapping.pairs.start = n->data.mapping.pairs.top =
		    calloc(STREAM_FIRST_ITEMS, sizeof(yaml_node_pair_t));
		n->data.mapping.pairs.end =
		    n->data.mapping.pairs.start + STREAM_FIRST_ITEMS;
		if (n->data.mapping.pairs.start == NULL)
			return stream_oom(s);
	}
	if (stream_anchor(s, index, anchor) == -1 ||
	    stream_push(s, index, role) == -1)
		return -1;
	if (role == STREAM_ROOT) {
		s->root_streamed = true;
		if (conf_walk_enter(s->w, stream_node(s, index)) == -1)
			stream_walk_failed(s);
	}
	if (role == STREAM_LINKS && stream_links_begin(s, index) == -1)
		stream_walk_failed(s);
	return 0;
}

/* A sequence or mapping ends. */
static int
stream_end(struct stream *s, const yaml_event_t *ev)
{
	struct stream_level l = s->lv[--s->nlv];

	stream_node(s, l.index)->end_mark = ev->end_mark;
	if (l.role == STREAM_LINKS) {
		conf_links_end(&s->links);
		if (!s->walking)
			return stream_add_child(s, l.index);
		conf_walk_leave(s->w);
		/* the pair key: [links] is walked: free the key and list */
		s->lv[0].key = 0;
		stream_release(s, &s->lv[0]);
		return 0;
	}
	return stream_add_child(s, l.index);
}

/* A scalar: the node takes the event's value (and tag). */
static int
stream_scalar(struct stream *s, yaml_event_t *ev)
{
	yaml_node_t *n;
	int index;

	index = stream_new_node(s, YAML_SCALAR_NODE, ev, &ev->data.scalar.tag);
	if (index == 0)
		return stream_oom(s);
	n = stream_node(s, index);
	n->data.scalar.value = ev->data.scalar.value;
	n->data.scalar.length = ev->data.scalar.length;
	n->data.scalar.style = ev->data.scalar.style;
	ev->data.scalar.value = NULL;
	if (stream_anchor(s, index, ev->data.scalar.anchor) == -1)
		return -1;
	return stream_add_child(s, index);
}

static int
stream_alias(struct stream *s, const yaml_event_t *ev)
{
	size_t i;

	for (i = 0; i < s->nan; i++)
		if (strcmp(s->an[i].name,
		        (const char *)ev->data.alias.anchor) == 0)
			return stream_add_child(s, s->an[i].index);
	return stream_composer_error(
	    s, NULL, ev->start_mark, "found undefined alias", ev->start_mark);
}

/* One event; the nodes take what they keep from it (set to NULL in ev,
 * which yaml_event_delete() then skips). */
static int
stream_event(struct stream *s, yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (!yaml_document_initialize(&s->doc, NULL, NULL, NULL, 1, 1))
			return stream_oom(s);
		s->w->doc = &s->doc;
		return 0;
	case YAML_SCALAR_EVENT:
		stream_child_begins(s);
		return stream_scalar(s, ev);
	case YAML_ALIAS_EVENT:
		stream_child_begins(s);
		return stream_alias(s, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		stream_child_begins(s);
		return stream_start(s, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return stream_end(s, ev);
	default:
		return 0;
	}
}

/* Read events up to the end of the first document (or of an empty
 * stream).  0, or -1 with w->err holding the YAML error. */
static int
stream_read(struct stream *s)
{
	yaml_event_t ev;
	int rv;

	for (;;) {
		if (!yaml_parser_parse(s->p, &ev))
			return conf_yaml_error(s->w->name, s->p, s->w->err);
		if (ev.type == YAML_STREAM_END_EVENT ||
		    ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		rv = stream_event(s, &ev);
		yaml_event_delete(&ev);
		if (rv == -1)
			return -1;
	}
}

/* Refuse a second document: "a: 1\n---\nb: 2" would otherwise be half
 * read. */
static int
stream_single_document(struct stream *s)
{
	yaml_document_t extra;
	yaml_node_t *root;
	int rv = 0;

	if (!yaml_parser_load(s->p, &extra))
		return conf_yaml_error(s->w->name, s->p, s->w->err);
	if ((root = yaml_document_get_root_node(&extra)) != NULL)
		rv = errbuf_set(s->w->err,
		    "%s:%zu:%zu: a second YAML document, expected one",
		    s->w->name, root->start_mark.line + 1,
		    root->start_mark.column + 1);
	yaml_document_delete(&extra);
	return rv;
}

/* After the first document: the checks yaml_parser_load() and
 * conf_load had around the walk, then the end of the walk. */
static int
stream_finish(struct stream *s)
{
	if (s->root == 0)
		return errbuf_set(s->w->err,
		    "%s:1:1: empty configuration, expected a "
		    "mapping of keys (see conf/linkshim.yaml)",
		    s->w->name);
	if (stream_single_document(s) == -1 || s->walk_fail)
		return -1;
	if (!s->root_streamed)
		return conf_walk_root(s->w, stream_node(s, s->root), s->c);
	conf_walk_leave(s->w);
	return 0;
}

int
conf_stream_load(struct conf_walk *w, yaml_parser_t *p, struct conf *c)
{
	struct stream s;
	size_t i;
	int rv = -1;

	memset(&s, 0, sizeof(s));
	s.w = w;
	s.p = p;
	s.c = c;
	s.walking = true;
	if (stream_read(&s) == 0 && stream_finish(&s) == 0)
		rv = 0;
	conf_links_end(&s.links);
	for (i = 0; i < s.nan; i++)
		free(s.an[i].name);
	free(s.an);
	free(s.lv);
	if (w->doc != NULL)
		yaml_document_delete(&s.doc);
	w->doc = NULL;
	return rv;
}
