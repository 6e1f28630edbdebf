/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * sd_notify(3) without libsystemd: format the state assignments and send
 * them as one datagram to $NOTIFY_SOCKET.  systemd accepts a filesystem
 * path or an abstract name written with a leading '@' (sd_notify(3),
 * "NOTIFY_SOCKET").  The socket is connected at start-up so that a chroot
 * or privilege drop later does not cut the daemon off from the manager.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "linkshim/log.h"
#include "linkshim/notify.h"

int
notify_addr(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
	struct sockaddr_un a;
	size_t n;

	if (path == NULL || (path[0] != '/' && path[0] != '@'))
		return -1;
	n = strlen(path);
	if (n < 2 || n > sizeof(a.sun_path))
		return -1;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, path, n);
	/* Abstract namespace: the name starts with a NUL byte and is not
	 * NUL-terminated; its length is carried by the address length. */
	if (path[0] == '@')
		a.sun_path[0] = '\0';
	*sun = a;
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	return 0;
}

int
notify_open(struct notify *n)
{
	struct sockaddr_un sun;
	socklen_t len;
	const char *path;
	int fd = -1;

	n->fd = -1;
	path = getenv("NOTIFY_SOCKET");
	if (path == NULL || path[0] == '\0')
		return 0;
	if (notify_addr(path, &sun, &len) == -1) {
		log_warnx("%s: unusable NOTIFY_SOCKET \"%s\"", __func__, path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("%s: socket", __func__);
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, len) == -1) {
		log_warn("%s: connect %s", __func__, path);
		close(fd);
		return -1;
	}
	n->fd = fd;
	return 0;
}

void
notify_close(struct notify *n)
{
	if (n == NULL || n->fd == -1)
		return;
	close(n->fd);
	n->fd = -1;
}

int
notify_format(
    char *buf, size_t len, const char *state, uint64_t usec, const char *status)
{
	size_t off = 0;
	int r;
	char *p;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	if (state != NULL) {
		r = snprintf(buf, len, "%s\n", state);
		if (r < 0 || (size_t)r >= len)
			return -1;
		off = (size_t)r;
	}
	if (usec != 0) {
		r = snprintf(
		    buf + off, len - off, "MONOTONIC_USEC=%" PRIu64 "\n", usec);
		if (r < 0 || (size_t)r >= len - off)
			return -1;
		off += (size_t)r;
	}
	if (status != NULL) {
		r = snprintf(buf + off, len - off, "STATUS=%s\n", status);
		if (r < 0 || (size_t)r >= len - off)
			return -1;
		/* STATUS is one assignment: an embedded newline would start
		 * another one. */
		for (p = buf + off + 7; *p != '\0'; p++)
			if (*p == '\n' && p[1] != '\0')
				*p = ' ';
		off += (size_t)r;
	}
	return (int)off;
}

int
notify_send(const struct notify *n, const char *msg)
{
	ssize_t w;

	if (n == NULL || n->fd == -1)
		return 0;
	do
		w = send(n->fd, msg, strlen(msg), MSG_NOSIGNAL);
	while (w == -1 && errno == EINTR);
	if (w == -1) {
		log_warn("%s: send", __func__);
		return -1;
	}
	return 0;
}

static int
notify_state(const struct notify *n, const char *state, uint64_t usec,
    const char *status)
{
	char buf[NOTIFY_MSG_MAX];

	if (n == NULL || n->fd == -1)
		return 0;
	if (notify_format(buf, sizeof(buf), state, usec, status) == -1) {
		log_warnx("%s: %s: message too long", __func__,
		    state != NULL ? state : "STATUS");
		return -1;
	}
	return notify_send(n, buf);
}

int
notify_ready(const struct notify *n, const char *status)
{
	return notify_state(n, "READY=1", 0, status);
}

int
notify_reloading(const struct notify *n)
{
	struct timespec ts;
	uint64_t usec;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return notify_state(n, "RELOADING=1", 0, NULL);
	usec = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
	return notify_state(n, "RELOADING=1", usec, NULL);
}

int
notify_stopping(const struct notify *n)
{
	return notify_state(n, "STOPPING=1", 0, NULL);
}

int
notify_status(const struct notify *n, const char *status)
{
	return notify_state(n, NULL, 0, status);
}
