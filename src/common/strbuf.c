/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * strbuf: the growable string the SigV4 signer and linkshimctl build
 * canonical requests, bodies, URLs and output in.  An allocation failure
 * is sticky (oom) and checked once by the caller.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/strbuf.h"

void
strbuf_add(struct strbuf *b, const void *p, size_t n)
{
	size_t cap;
	char *s;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((s = realloc(b->s, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
strbuf_str(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	strbuf_add(b, s, (size_t)n);
	free(s);
}

void
strbuf_xml(struct strbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			strbuf_str(b, "&amp;");
			break;
		case '<':
			strbuf_str(b, "&lt;");
			break;
		case '>':
			strbuf_str(b, "&gt;");
			break;
		case '"':
			strbuf_str(b, "&quot;");
			break;
		case '\'':
			strbuf_str(b, "&apos;");
			break;
		default:
			strbuf_add(b, s, 1);
		}
	}
}

void
strbuf_form(struct strbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3] = {'%', 0, 0};
	unsigned char c;

	/* Python's urlencode (quote_plus) as botocore uses it for the
	 * EC2 query body: unreserved kept, space as '+'. */
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			strbuf_add(b, s, 1);
		else if (c == ' ')
			strbuf_add(b, "+", 1);
		else {
			esc[1] = hex[c >> 4];
			esc[2] = hex[c & 0xf];
			strbuf_add(b, esc, 3);
		}
	}
}

const char *
strbuf_cstr(const struct strbuf *b)
{
	return b->s != NULL ? b->s : "";
}

char *
strbuf_take(struct strbuf *b)
{
	char *s = b->s;

	if (b->oom) {
		free(s);
		s = NULL;
	} else if (s == NULL)
		s = strdup("");
	memset(b, 0, sizeof(*b));
	return s;
}

void
strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->s != NULL)
		b->s[0] = '\0';
}

void
strbuf_free(struct strbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}
