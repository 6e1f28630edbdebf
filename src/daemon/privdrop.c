/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Privilege drop for linkshimd started as root without systemd: look the
 * user up, optionally chroot, switch group then user (group first: once
 * the uid is gone the gid can no longer be changed), and prove that the
 * switch cannot be undone.  The order and the checks follow OpenBSD
 * daemons (unwind, nsd): setgroups, setresgid, setresuid, then verify.
 */
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "daemon/privdrop.h"

static int
privdrop_verify(uid_t uid, gid_t gid, struct errbuf *err)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1)
		return errbuf_set(
		    err, "privdrop: getres[ug]id: %s", strerror(errno));
	if (ru != uid || eu != uid || su != uid)
		return errbuf_set(err, "privdrop: uid is %u/%u/%u, want %u",
		    (unsigned)ru, (unsigned)eu, (unsigned)su, (unsigned)uid);
	if (rg != gid || eg != gid || sg != gid)
		return errbuf_set(err, "privdrop: gid is %u/%u/%u, want %u",
		    (unsigned)rg, (unsigned)eg, (unsigned)sg, (unsigned)gid);
	/* The drop must be irreversible: a process that can get root back
	 * has not dropped anything. */
	if (uid != 0 && (setuid(0) != -1 || seteuid(0) != -1))
		return errbuf_set(err, "privdrop: could regain uid 0");
	if (gid != 0 && uid != 0 && (setgid(0) != -1 || setegid(0) != -1))
		return errbuf_set(err, "privdrop: could regain gid 0");
	return 0;
}

int
privdrop_apply(
    const char *user, const char *dir, bool *dropped, struct errbuf *err)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	*dropped = false;
	if (geteuid() != 0)
		return 0;
	if (user == NULL || user[0] == '\0') {
		if (dir != NULL && dir[0] != '\0')
			return errbuf_set(err,
			    "privdrop: chroot \"%s\" needs "
			    "user: a root process can leave a chroot",
			    dir);
		return 0;
	}
	errno = 0;
	pw = getpwnam(user);
	if (pw == NULL)
		return errbuf_set(err, "privdrop: unknown user \"%s\"%s%s",
		    user, errno ? ": " : "", errno ? strerror(errno) : "");
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (dir != NULL && dir[0] != '\0') {
		if (chroot(dir) == -1)
			return errbuf_set(err, "privdrop: chroot %s: %s", dir,
			    strerror(errno));
		if (chdir("/") == -1)
			return errbuf_set(
			    err, "privdrop: chdir /: %s", strerror(errno));
	}
	if (setgroups(1, &gid) == -1)
		return errbuf_set(err, "privdrop: setgroups %u: %s",
		    (unsigned)gid, strerror(errno));
	if (setresgid(gid, gid, gid) == -1)
		return errbuf_set(err, "privdrop: setresgid %u: %s",
		    (unsigned)gid, strerror(errno));
	if (setresuid(uid, uid, uid) == -1)
		return errbuf_set(err, "privdrop: setresuid %u: %s",
		    (unsigned)uid, strerror(errno));
	if (privdrop_verify(uid, gid, err) == -1)
		return -1;
	*dropped = true;
	return 0;
}
