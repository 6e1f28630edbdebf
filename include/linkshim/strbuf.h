/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * strbuf: a growable NUL-terminated string for building request bodies,
 * canonical requests, URLs and output.  An allocation failure is sticky
 * (oom) and checked once by the caller instead of after every append.
 * Used by the SigV4 signer in the core and by linkshimctl.
 */
#ifndef LINKSHIM_STRBUF_H
#define LINKSHIM_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s; /* NUL-terminated when len > 0 or after any append */
	size_t len, cap;
	bool oom; /* an append failed; contents are incomplete */
};

/* A zeroed struct strbuf is empty and ready to use. */
void strbuf_add(struct strbuf *b, const void *p, size_t n);
void strbuf_str(struct strbuf *b, const char *s);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s XML-escaped (&, <, >, ", '). */
void strbuf_xml(struct strbuf *b, const char *s);
/* Append s form-encoded (application/x-www-form-urlencoded, space '+'). */
void strbuf_form(struct strbuf *b, const char *s);
/* The contents ("" when empty); borrowed until the next append/free. */
const char *strbuf_cstr(const struct strbuf *b);
/* Returns the contents as a new string, caller frees with free(); NULL
 * if any append failed.  Either way b no longer owns memory. */
char *strbuf_take(struct strbuf *b);
void strbuf_reset(struct strbuf *b);
void strbuf_free(struct strbuf *b); /* NULL-safe contents */

#endif
