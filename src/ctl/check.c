/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * check: validate a config file (placeholder until the conf module lands
 * on main; then this calls conf_load()).
 */
#include <stdio.h>

#include "ctl/ctl.h"

int
ctl_links_from_config(const char *path, struct sync_link **l, size_t *n)
{
	(void)l;
	(void)n;
	ctl_err(
	    "%s: reading links from a config file needs the conf module", path);
	return -1;
}

int
cmd_check(struct ctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	ctl_err("check: needs the conf module (not merged yet)");
	return 1;
}
