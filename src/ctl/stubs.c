/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Temporary entry points, replaced as the commands land.
 */
#include "ctl/ctl.h"

int
cmd_zilliz(struct ctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	return 1;
}

int
cmd_doctor(struct ctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	return 1;
}

int
confedit_write_link(
    const char *path, const struct confedit_link *link, struct errbuf *err)
{
	(void)path;
	(void)link;
	return errbuf_set(err, "not yet");
}
