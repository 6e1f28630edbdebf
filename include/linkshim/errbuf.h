/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * errbuf: where parsers and validators put their one error message
 * ("file:line:col: what, expected what").  Parsers never log; the caller
 * decides whether the message goes to stderr, the log or an HTTP body.
 */
#ifndef LINKSHIM_ERRBUF_H
#define LINKSHIM_ERRBUF_H

#define ERRBUF_SIZE 512

struct errbuf {
	char msg[ERRBUF_SIZE]; /* NUL-terminated; empty when no error */
};

/* Set the message (printf-style), replacing any earlier one.  err may be
 * NULL, in which case nothing happens.  Always returns -1 so that a parser
 * can write "return errbuf_set(err, ...);". */
int errbuf_set(struct errbuf *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefix the existing message with "prefix: " (used to add a file name). */
void errbuf_prefix(struct errbuf *err, const char *prefix);

#endif
