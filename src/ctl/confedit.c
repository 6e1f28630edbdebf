/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * confedit (placeholder).
 */
#include "ctl/ctl.h"

int
confedit_write_link(
    const char *path, const struct confedit_link *link, struct errbuf *err)
{
	(void)path;
	(void)link;
	return errbuf_set(err, "not yet");
}
