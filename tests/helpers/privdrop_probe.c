/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Test helper for src/daemon/privdrop.c (compiled in directly: daemon
 * objects are not part of the libraries).  Usage: privdrop_probe USER
 * [CHROOT].  Binds a UDP socket on 127.0.0.1 first, as linkshimd does,
 * drops, then prints what a test can check: the real/effective/saved ids,
 * the supplementary groups, whether setuid(0) still works, whether the
 * socket bound as root still sends and receives, and the working root.
 * Exit 0 when privdrop_apply() succeeded, 1 otherwise.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/privdrop.c"

static int
probe_socket_bound(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd == -1)
		return -1;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)sin, sizeof(*sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static const char *
probe_echo(int fd, const struct sockaddr_in *sin)
{
	char buf[8];
	struct timeval tv = {2, 0};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(fd, "ping", 4, 0, (const struct sockaddr *)sin,
	        sizeof(*sin)) != 4)
		return "send-failed";
	if (recv(fd, buf, sizeof(buf), 0) != 4 || memcmp(buf, "ping", 4) != 0)
		return "recv-failed";
	return "ok";
}

int
main(int argc, char **argv)
{
	struct errbuf err = {{0}};
	struct sockaddr_in sin;
	struct stat st;
	uid_t ru, eu, su;
	gid_t rg, eg, sg, groups[16];
	bool dropped;
	int fd, i, n;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: privdrop_probe USER [CHROOT]\n");
		return 2;
	}
	fd = probe_socket_bound(&sin);
	if (privdrop_apply(argv[1], argc == 3 ? argv[2] : "", &dropped, &err) ==
	    -1) {
		printf("error=%s\n", err.msg);
		return 1;
	}
	getresuid(&ru, &eu, &su);
	getresgid(&rg, &eg, &sg);
	printf("dropped=%d\n", dropped);
	printf("uid=%u,%u,%u\n", (unsigned)ru, (unsigned)eu, (unsigned)su);
	printf("gid=%u,%u,%u\n", (unsigned)rg, (unsigned)eg, (unsigned)sg);
	n = getgroups(16, groups);
	printf("groups=");
	for (i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", (unsigned)groups[i]);
	printf("\n");
	printf("regain=%s\n", setuid(0) == 0 ? "root" : "denied");
	printf("socket=%s\n", fd == -1 ? "none" : probe_echo(fd, &sin));
	/* In a chroot made for the test, a marker file sits at its root. */
	printf("marker=%s\n",
	    stat("/privdrop-marker", &st) == 0 ? "visible" : "absent");
	return 0;
}
