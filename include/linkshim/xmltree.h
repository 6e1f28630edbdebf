/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * xmltree: a small element tree built with expat from an untrusted XML
 * document (AWS EC2 and Route 53 responses).  Namespaces are dropped
 * (elements are matched by local name), attributes are ignored, text is
 * the concatenated character data of an element with surrounding blanks
 * trimmed.  DOCTYPE declarations are refused (no entity expansion at
 * all), and depth, element count and text size are capped, so a hostile
 * document costs bounded memory.  Pure: no I/O.
 */
#ifndef LINKSHIM_XMLTREE_H
#define LINKSHIM_XMLTREE_H

#include <stddef.h>

#include "linkshim/errbuf.h"

#define XMLTREE_MAX_DEPTH 32
#define XMLTREE_MAX_NODES 100000
#define XMLTREE_MAX_BYTES (16 * 1024 * 1024)

struct xmlnode {
	char *name;             /* local name, owned by the tree */
	char *text;             /* trimmed text, never NULL, owned */
	struct xmlnode *parent; /* NULL for the root */
	struct xmlnode *child;  /* first child */
	struct xmlnode *next;   /* next sibling */
	struct xmlnode *last;   /* last child (append helper) */
};

/* Parse len bytes of buf.  On success sets *out to the root element (a
 * new tree; caller frees with xmltree_free()) and returns 0; on failure
 * returns -1 with err filled ("xml:line:col: message").  Never logs. */
int xmltree_parse(
    const char *buf, size_t len, struct xmlnode **out, struct errbuf *err);

/* NULL-safe; frees the whole tree given its root. */
void xmltree_free(struct xmlnode *root);

/* The first child of n named name, or NULL.  Borrowed; valid until
 * xmltree_free(). */
const struct xmlnode *xmltree_child(const struct xmlnode *n, const char *name);

/* Follow a '/'-separated path of child names from n ("ChangeInfo/Id").
 * Borrowed as above; NULL when any step is missing. */
const struct xmlnode *xmltree_path(const struct xmlnode *n, const char *path);

/* The text at path below n, or def when missing.  Borrowed. */
const char *xmltree_text(
    const struct xmlnode *n, const char *path, const char *def);

/* The next sibling of n with the same name as n, or NULL (to iterate
 * <item> lists: for (i = xmltree_child(set, "item"); i; i =
 * xmltree_next(i))). */
const struct xmlnode *xmltree_next(const struct xmlnode *n);

#endif
