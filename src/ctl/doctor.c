/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * doctor (placeholder).
 */
#include "ctl/ctl.h"

int
cmd_doctor(struct ctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	return 1;
}
