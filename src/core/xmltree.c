/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * xmltree: expat-driven element tree for the AWS XML responses
 * linkshimctl reads.  The document is untrusted: DOCTYPE is refused (so
 * no entity can expand), and depth, node count and text are capped.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "linkshim/xmltree.h"

struct xbuild {
	XML_Parser p;
	struct xmlnode *root;
	struct xmlnode *cur;
	size_t depth;
	size_t nodes;
	size_t textlen;   /* length of cur's untrimmed text */
	const char *fail; /* first error; parsing is stopped */
};

static void
xb_fail(struct xbuild *b, const char *why)
{
	if (b->fail == NULL)
		b->fail = why;
	XML_StopParser(b->p, XML_FALSE);
}

static void
trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)s[i]))
		i++;
	if (i > 0)
		memmove(s, s + i, n - i + 1);
}

static void XMLCALL
xb_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct xbuild *b = ud;
	struct xmlnode *n;
	const char *colon;

	(void)attrs;
	if (b->fail != NULL)
		return;
	if (++b->depth > XMLTREE_MAX_DEPTH || ++b->nodes > XMLTREE_MAX_NODES) {
		xb_fail(b, "document too deep or too large");
		return;
	}
	if ((colon = strrchr(name, ':')) != NULL)
		name = colon + 1;
	if ((n = calloc(1, sizeof(*n))) == NULL ||
	    (n->name = strdup(name)) == NULL ||
	    (n->text = strdup("")) == NULL) {
		if (n != NULL) {
			free(n->name);
			free(n);
		}
		xb_fail(b, "out of memory");
		return;
	}
	n->parent = b->cur;
	if (b->cur == NULL)
		b->root = n;
	else if (b->cur->last == NULL)
		b->cur->child = b->cur->last = n;
	else {
		b->cur->last->next = n;
		b->cur->last = n;
	}
	b->cur = n;
	b->textlen = 0;
}

static void XMLCALL
xb_end(void *ud, const XML_Char *name)
{
	struct xbuild *b = ud;

	(void)name;
	if (b->fail != NULL || b->cur == NULL)
		return;
	trim(b->cur->text);
	b->cur = b->cur->parent;
	b->depth--;
	b->textlen = b->cur != NULL ? strlen(b->cur->text) : 0;
}

static void XMLCALL
xb_chars(void *ud, const XML_Char *s, int len)
{
	struct xbuild *b = ud;
	char *t;

	if (b->fail != NULL || b->cur == NULL || len <= 0)
		return;
	if (b->textlen + (size_t)len > 65536) {
		xb_fail(b, "element text too long");
		return;
	}
	if ((t = realloc(b->cur->text, b->textlen + (size_t)len + 1)) == NULL) {
		xb_fail(b, "out of memory");
		return;
	}
	memcpy(t + b->textlen, s, (size_t)len);
	b->textlen += (size_t)len;
	t[b->textlen] = '\0';
	b->cur->text = t;
}

static void XMLCALL
xb_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xb_fail(ud, "DOCTYPE not allowed");
}

int
xmltree_parse(
    const char *buf, size_t len, struct xmlnode **out, struct errbuf *err)
{
	struct xbuild b;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	if (len > XMLTREE_MAX_BYTES)
		return errbuf_set(err, "xml: document larger than %d bytes",
		    XMLTREE_MAX_BYTES);
	if ((b.p = XML_ParserCreate("UTF-8")) == NULL)
		return errbuf_set(err, "xml: out of memory");
	XML_SetUserData(b.p, &b);
	XML_SetElementHandler(b.p, xb_start, xb_end);
	XML_SetCharacterDataHandler(b.p, xb_chars);
	XML_SetStartDoctypeDeclHandler(b.p, xb_doctype);
	if (XML_Parse(b.p, buf, (int)len, XML_TRUE) == XML_STATUS_ERROR ||
	    b.fail != NULL) {
		errbuf_set(err, "xml:%lu:%lu: %s",
		    (unsigned long)XML_GetCurrentLineNumber(b.p),
		    (unsigned long)XML_GetCurrentColumnNumber(b.p) + 1,
		    b.fail ? b.fail : XML_ErrorString(XML_GetErrorCode(b.p)));
		goto fail;
	}
	if (b.root == NULL) {
		errbuf_set(err, "xml: empty document");
		goto fail;
	}
	*out = b.root;
	b.root = NULL;
	rc = 0;
fail:
	xmltree_free(b.root);
	XML_ParserFree(b.p);
	return rc;
}

void
xmltree_free(struct xmlnode *root)
{
	struct xmlnode *n = root, *next;

	/* iterative post-order walk: no recursion on hostile depth */
	while (n != NULL) {
		if (n->child != NULL) {
			next = n->child;
			n->child = NULL;
			n = next;
			continue;
		}
		next = n->next != NULL && n != root ? n->next : n->parent;
		if (n == root)
			next = NULL;
		free(n->name);
		free(n->text);
		free(n);
		n = next;
	}
}

const struct xmlnode *
xmltree_child(const struct xmlnode *n, const char *name)
{
	const struct xmlnode *c;

	if (n == NULL)
		return NULL;
	for (c = n->child; c != NULL; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const struct xmlnode *
xmltree_path(const struct xmlnode *n, const char *path)
{
	char part[128];
	size_t l;

	while (n != NULL && *path != '\0') {
		l = strcspn(path, "/");
		if (l >= sizeof(part))
			return NULL;
		memcpy(part, path, l);
		part[l] = '\0';
		n = xmltree_child(n, part);
		path += l;
		if (*path == '/')
			path++;
	}
	return n;
}

const char *
xmltree_text(const struct xmlnode *n, const char *path, const char *def)
{
	n = xmltree_path(n, path);
	return n != NULL ? n->text : def;
}

const struct xmlnode *
xmltree_next(const struct xmlnode *n)
{
	const struct xmlnode *s;

	for (s = n->next; s != NULL; s = s->next)
		if (strcmp(s->name, n->name) == 0)
			return s;
	return NULL;
}
