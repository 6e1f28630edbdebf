/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * privdrop: give up root after the listeners are bound (style.md §1:
 * bind, then drop, then dispatch).  When linkshimd is started as root
 * outside systemd with `user:` set, it optionally chroots, then switches
 * to that user's uid/gid with only that group, and verifies that root
 * cannot be regained.  Under systemd the unit's DynamicUser does this job
 * and the daemon never runs as root.
 */
#ifndef LINKSHIM_PRIVDROP_H
#define LINKSHIM_PRIVDROP_H

#include <sys/types.h>

#include <stdbool.h>

#include "linkshim/errbuf.h"

/*
 * Drop to user (a name from the passwd database), after chroot(dir) when
 * dir is not empty.  user and dir are borrowed for the call.
 *
 * Not root (euid != 0): nothing to drop; returns 0 (and *dropped false).
 * Root with an empty user: returns 0 unchanged (the caller may warn that
 * it runs as root); a non-empty dir without a user is an error, because
 * a root process can leave a chroot.
 * Root with a user: getpwnam (before the chroot, where /etc/passwd is
 * still visible), chroot + chdir("/"), setgroups to the user's primary
 * group only, setresgid, setresuid, then a check that setuid(0) fails and
 * every real/effective/saved id is the user's.  0 on success with
 * *dropped true; -1 with err filled (the caller treats it as fatal: a
 * half-dropped process must not serve).  Never logs.
 */
int privdrop_apply(
    const char *user, const char *dir, bool *dropped, struct errbuf *err);

#endif
