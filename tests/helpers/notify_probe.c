/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Test helper for src/io/notify.c: connects to $NOTIFY_SOCKET and sends
 * the sequence linkshimd sends over its life (READY with a status,
 * RELOADING, READY, STATUS, STOPPING), so that tests/pkg/notify.sh can
 * check the datagrams a fake receiver gets.  With "chroot DIR" as
 * arguments it chroots after connecting (as root) to show that the
 * connected socket survives it.  Exit 0 when every send returned 0.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linkshim/notify.h"

int
main(int argc, char **argv)
{
	struct notify n;
	int rc = 0;

	if (notify_open(&n) == -1)
		return 1;
	printf("fd=%s\n", n.fd == -1 ? "none" : "open");
	if (argc == 3 && strcmp(argv[1], "chroot") == 0 &&
	    (chroot(argv[2]) == -1 || chdir("/") == -1)) {
		perror("chroot");
		return 1;
	}
	rc |= notify_ready(&n, "serving 2 links");
	rc |= notify_reloading(&n);
	rc |= notify_ready(&n, NULL);
	rc |= notify_status(&n, "reload failed:\nkept old config");
	rc |= notify_stopping(&n);
	notify_close(&n);
	notify_close(&n);
	return rc == 0 ? 0 : 1;
}
