/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * linkstore_file: the state file.  Saving is an atomic replacement
 * (design.md §2): write a temp file in the same directory, fsync it,
 * rename it over the old one, fsync the directory, so that after a crash
 * at any point the file is either the old or the new complete document.
 * Loading refuses files over CONF_MAX_BYTES * 16 and anything that is not
 * a valid state document.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "linkshim/linkstore.h"

#define STATE_MAX_BYTES (64 * 1024 * 1024)

int
linkstore_load(const char *path, struct linkstore **out, struct errbuf *err)
{
	struct linkstore *st = NULL;
	json_error_t jerr;
	json_t *doc = NULL;
	struct stat sb;
	int rv = -1;

	if (stat(path, &sb) == -1) {
		if (errno != ENOENT)
			return errbuf_set(err, "%s: %s", path, strerror(errno));
		if ((st = linkstore_new()) == NULL)
			return errbuf_set(err, "out of memory");
		*out = st;
		return 0;
	}
	if (sb.st_size > STATE_MAX_BYTES)
		return errbuf_set(
		    err, "%s: larger than %d bytes", path, STATE_MAX_BYTES);
	if ((doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return errbuf_set(err, "%s:%d:%d: %s", path, jerr.line,
		    jerr.column, jerr.text);
	if ((st = linkstore_new()) == NULL) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	if (linkstore_from_json(doc, st, err) == -1) {
		errbuf_prefix(err, path);
		goto done;
	}
	*out = st;
	st = NULL;
	rv = 0;
done:
	linkstore_free(st);
	json_decref(doc);
	return rv;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
fsync_dir(const char *path)
{
	char copy[CONF_PATH_MAX];
	int fd, rv;

	strlcpy(copy, path, sizeof(copy));
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		return -1;
	rv = fsync(fd);
	close(fd);
	return rv;
}

int
linkstore_save(const struct linkstore *st, const char *path, struct errbuf *err)
{
	char tmp[CONF_PATH_MAX + 16];
	json_t *doc = NULL;
	char *text = NULL;
	int fd = -1, rv = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >=
	    (int)sizeof(tmp))
		return errbuf_set(err, "%s: path too long", path);
	if ((doc = linkstore_to_json(st)) == NULL ||
	    (text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER)) ==
	        NULL) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		errbuf_set(err, "%s: %s", tmp, strerror(errno));
		goto done;
	}
	if (fchmod(fd, 0600) == -1 || write_all(fd, text, strlen(text)) == -1 ||
	    write_all(fd, "\n", 1) == -1 || fsync(fd) == -1) {
		errbuf_set(err, "%s: %s", tmp, strerror(errno));
		goto done;
	}
	if (close(fd) == -1) {
		fd = -1;
		errbuf_set(err, "%s: %s", tmp, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		errbuf_set(err, "rename %s: %s", path, strerror(errno));
		goto done;
	}
	tmp[0] = '\0';
	if (fsync_dir(path) == -1) {
		errbuf_set(
		    err, "fsync directory of %s: %s", path, strerror(errno));
		goto done;
	}
	rv = 0;
done:
	if (fd != -1)
		close(fd);
	if (tmp[0] != '\0' && rv == -1)
		unlink(tmp);
	free(text);
	json_decref(doc);
	return rv;
}
