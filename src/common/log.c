/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Logging to stderr or syslog.  The log state below is the single piece
 * of file-scope mutable state the project allows (see style.md §1).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "linkshim/log.h"

static struct {
	int verbose;
	int use_syslog;
	const char *ident;
} log_state = {0, 0, "linkshim"};

static void
log_vemit(int pri, const char *prefix, const char *fmt, va_list ap, int err)
{
	char msg[1024];
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_state.use_syslog) {
		if (err)
			syslog(pri, "%s%s: %s", prefix, msg, strerror(err));
		else
			syslog(pri, "%s%s", prefix, msg);
	} else {
		if (err)
			fprintf(stderr, "%s: %s%s: %s\n", log_state.ident,
			    prefix, msg, strerror(err));
		else
			fprintf(
			    stderr, "%s: %s%s\n", log_state.ident, prefix, msg);
		fflush(stderr);
	}
	errno = saved;
}

void
log_init(int verbosity, bool use_syslog, const char *ident)
{
	log_state.verbose = verbosity;
	log_state.use_syslog = use_syslog;
	if (ident != NULL)
		log_state.ident = ident;
	if (use_syslog)
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_setverbose(int verbosity)
{
	log_state.verbose = verbosity;
}

int
log_getverbose(void)
{
	return log_state.verbose;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	log_vemit(LOG_WARNING, "", fmt, ap, err);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_WARNING, "", fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_INFO, "", fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_state.verbose < 1)
		return;
	va_start(ap, fmt);
	log_vemit(LOG_DEBUG, "debug: ", fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, "fatal: ", fmt, ap, err);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, "fatal: ", fmt, ap, 0);
	va_end(ap);
	exit(1);
}
