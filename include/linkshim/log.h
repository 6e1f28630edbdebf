/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Logging: stderr (default) or syslog, with a verbosity level.  The log
 * state is the only file-scope mutable state in the project (as in
 * OpenBSD unwind's log.c); everything else is passed down explicitly.
 * log_warn() appends strerror(errno); log_warnx() does not.  errno is
 * preserved across every call.
 */
#ifndef LINKSHIM_LOG_H
#define LINKSHIM_LOG_H

#include <stdbool.h>

/* Verbosity: 0 warnings/info, 1 (-v) operational debug, 2 (-vv) per query,
 * 3 (-vvv) packet dumps. */
void log_init(int verbosity, bool use_syslog, const char *ident);
void log_setverbose(int verbosity);
int log_getverbose(void);

void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Per-query debug (level 2); the guard macro keeps argument evaluation off
 * the hot path when disabled. */
#define log_query(...)                                                         \
	do {                                                                   \
		if (log_getverbose() >= 2)                                     \
			log_debug(__VA_ARGS__);                                \
	} while (0)
__attribute__((noreturn)) void fatal(const char *, ...)
    __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void fatalx(const char *, ...)
    __attribute__((format(printf, 1, 2)));

#endif
