/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * confedit (file side): read the config, apply confedit_apply() and
 * replace the file atomically (temp file in the same directory, fsync,
 * rename, fsync of the directory), keeping its mode.  A missing file is
 * created with just the links: list.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/ctl.h"

static int
write_atomic(
    const char *path, const char *text, mode_t mode, struct errbuf *err)
{
	char tmp[4200], dir[4096];
	size_t len = strlen(text);
	int fd, dfd, rc = -1;

	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1)
		return errbuf_set(err, "%s: %s", tmp, strerror(errno));
	if (fchmod(fd, mode) == -1 || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd) == -1) {
		errbuf_set(err, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	strlcpy(dir, path, sizeof(dir));
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) != -1) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
	return rc;
}

int
confedit_write_link(
    const char *path, const struct confedit_link *link, struct errbuf *err)
{
	struct stat st;
	mode_t mode = 0644;
	char *text, *out;
	int rc;

	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
		if ((text = ctl_read_file(path, NULL, err)) == NULL)
			return -1;
	} else if (errno == ENOENT)
		text = strdup("");
	else
		return errbuf_set(err, "%s: %s", path, strerror(errno));
	if (text == NULL)
		return errbuf_set(err, "out of memory");
	out = confedit_apply(text, link, err);
	free(text);
	if (out == NULL) {
		errbuf_prefix(err, path);
		return -1;
	}
	rc = write_atomic(path, out, mode, err);
	free(out);
	return rc;
}
