/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * errbuf: fixed-size error message buffer for parsers and validators.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "linkshim/errbuf.h"

int
errbuf_set(struct errbuf *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void
errbuf_prefix(struct errbuf *err, const char *prefix)
{
	char tmp[ERRBUF_SIZE];
	size_t n;

	if (err == NULL)
		return;
	memcpy(tmp, err->msg, sizeof(tmp));
	n = strlcpy(err->msg, prefix, sizeof(err->msg));
	if (n < sizeof(err->msg))
		strlcpy(err->msg + n, ": ", sizeof(err->msg) - n);
	strlcat(err->msg, tmp, sizeof(err->msg));
}
