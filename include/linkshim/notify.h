/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * notify: the systemd service notification protocol (sd_notify(3)) without
 * libsystemd.  A datagram goes to the AF_UNIX socket named by
 * $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace) with
 * newline-separated assignments: READY=1, RELOADING=1 with MONOTONIC_USEC,
 * STOPPING=1, STATUS=text.  The socket is connected once at start-up,
 * before any chroot or privilege drop, so that later notifications still
 * reach the manager.  Outside systemd ($NOTIFY_SOCKET unset) every call is
 * a no-op that succeeds.
 */
#ifndef LINKSHIM_NOTIFY_H
#define LINKSHIM_NOTIFY_H

#include <sys/socket.h>
#include <sys/un.h>

#include <stddef.h>
#include <stdint.h>

#define NOTIFY_MSG_MAX 512

/* Embedded in the daemon's context; initialise with notify_open(). */
struct notify {
	int fd; /* connected datagram socket; -1 when not under systemd */
};

/*
 * Fill *sun and *len for the socket named by path ("/run/systemd/notify"
 * or "@abstract").  Pure.  0 on success; -1 when path is empty, relative,
 * or too long for sun_path (*sun and *len untouched).
 */
int notify_addr(const char *path, struct sockaddr_un *sun, socklen_t *len);

/*
 * Read $NOTIFY_SOCKET and connect a datagram socket to it.  0 on success
 * (n->fd is -1 when the variable is unset); -1 on error, logged once, with
 * n->fd set to -1 so that later calls are harmless no-ops.
 */
int notify_open(struct notify *n);

/* Close the socket.  NULL-safe; safe on a never-opened or closed n. */
void notify_close(struct notify *n);

/* Send msg (assignments separated by '\n') as one datagram.  0 on success
 * or when not under systemd; -1 on error (logged once). */
int notify_send(const struct notify *n, const char *msg);

/* "READY=1" plus "STATUS=status" when status is not NULL. */
int notify_ready(const struct notify *n, const char *status);

/* "RELOADING=1" with "MONOTONIC_USEC=" of CLOCK_MONOTONIC now (systemd
 * 253 Type=notify-reload semantics; older managers ignore the field). */
int notify_reloading(const struct notify *n);

/* "STOPPING=1". */
int notify_stopping(const struct notify *n);

/* "STATUS=status" (a single line; newlines are replaced by spaces). */
int notify_status(const struct notify *n, const char *status);

/*
 * Pure formatting used by the calls above: writes the datagram for state
 * ("READY=1", "RELOADING=1", ...; NULL for none) into buf, then
 * "MONOTONIC_USEC=usec" when usec != 0 and "STATUS=status" (newlines
 * folded to spaces) when status is not NULL, each line ending in '\n'.
 * Returns the length, or -1 when buf is too small.
 */
int notify_format(char *buf, size_t len, const char *state, uint64_t usec,
    const char *status);

#endif
