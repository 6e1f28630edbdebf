/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf: the daemon configuration (design.md §3), loaded from YAML with
 * libyaml, validated against one schema table (conf_schema.c), and printed
 * back in canonical form (conf_print.c).  A struct conf is immutable once
 * conf_load() returns it; a reload builds a new one and swaps.
 *
 * Names are stored in presentation form, lower-cased and absolute (with
 * the trailing dot), e.g. "in01-abc.aws-us-west-2.vectordb.zillizcloud.com.".
 */
#ifndef LINKSHIM_CONF_H
#define LINKSHIM_CONF_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "linkshim/errbuf.h"

#define CONF_NAME_MAX 256 /* presentation name incl. trailing dot + NUL */
#define CONF_PATH_MAX 4096
/* Files larger than this are refused.  Sized for 100,000 links (~18 MB of
 * YAML) with room to spare; the alias-bomb guard is the node cap, which
 * grows with the input (conf_internal.h), not this. */
#define CONF_MAX_BYTES (64 * 1024 * 1024)

/* An IP address with port (listen, upstreams).  Port defaults to 53 for
 * upstreams and 5353 for listen when not written. */
struct conf_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* A plain IP address (static link addresses). */
struct conf_ip {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
};

/* An address prefix ("10.0.0.0/8", "::1/128") for allow. */
struct conf_prefix {
	int family;
	uint8_t addr[16];
	unsigned bits;
};

enum link_mode {
	LINK_MODE_ALIAS = 0, /* default: flattened A/AAAA under the link name */
	LINK_MODE_CNAME,     /* CNAME to target, target's records chased */
	LINK_MODE_STATIC,    /* addresses: given, no target */
};

/* One zonal endpoint name ("us-west-2a" -> "vpce-…-us-west-2a.vpce-svc-…"). */
struct conf_zonal {
	char az[64];
	char target[CONF_NAME_MAX];
};

/* name and target are heap strings owned by the link (a fixed 256-byte
 * array each was 512 bytes a link, most of a 10,000-link config's RSS):
 * conf_link_clear() frees them, conf_link_copy() duplicates them.  A
 * link that holds string literals (tests, static tables) must never be
 * cleared. */
struct conf_link {
	char *name;   /* may start with "*." (wildcard) */
	char *target; /* "" for LINK_MODE_STATIC (NULL only in a link being
	                 filled: readers of a conf's links need not check) */
	enum link_mode mode;
	uint32_t ttl;             /* default 60 */
	struct conf_zonal *zonal; /* owned by the conf */
	size_t nzonal;
	struct conf_ip *addrs; /* owned by the conf; STATIC only */
	size_t naddrs;
};

/* A record set of a zone (Route 53 shape): values in presentation form
 * (rdata text as in a zone file), or an alias target. */
struct conf_rrset {
	char name[CONF_NAME_MAX];
	uint16_t type; /* LDNS_RR_TYPE_* */
	uint32_t ttl;  /* default 300 */
	char **values; /* owned by the conf; nvalues strings */
	size_t nvalues;
	char alias[CONF_NAME_MAX]; /* non-empty: alias A/AAAA to this name */
};

struct conf_zone {
	char name[CONF_NAME_MAX];
	char id[64]; /* Route 53 style id; generated when empty */
	char comment[256];
	uint32_t soa_minimum;      /* negative TTL (RFC 2308), default 300 */
	uint32_t ttl;              /* SOA/NS TTL, default 900 */
	struct conf_rrset *rrsets; /* owned by the conf */
	size_t nrrsets;
};

/* Conditional forwarding: queries at or below zone go to `to`. */
struct conf_forward {
	char zone[CONF_NAME_MAX];
	struct conf_addr *to; /* owned by the conf */
	size_t nto;
};

struct conf_cache {
	size_t size;      /* bytes, "64MiB" accepted; default 64 MiB */
	uint32_t min_ttl; /* default 0 */
	uint32_t max_ttl; /* default 86400 */
	uint32_t
	    serve_stale; /* seconds an expired entry may be served; 0 off */
	bool prefetch;   /* default true */
	/* answers kept without additional records, and without authority
	 * records unless an SOA or DO needs them; default true */
	bool minimal_responses;
};

struct conf_timeouts {
	unsigned upstream_ms; /* one try at one upstream, default 1500 */
	unsigned total_ms; /* whole resolution before SERVFAIL, default 4000 */
	unsigned tcp_idle_ms; /* RFC 7766 idle timeout, default 10000 */
};

struct conf_limits {
	unsigned tcp_clients; /* concurrent TCP connections, default 128 */
	unsigned inflight;    /* outstanding upstream queries, default 4096 */
};

struct conf_api {
	char socket[108];        /* unix socket path, "" = none */
	struct conf_addr listen; /* HTTP listener; len == 0 when unset */
	char token_file[CONF_PATH_MAX];
	char aws_credentials[CONF_PATH_MAX];
};

struct conf {
	char path[CONF_PATH_MAX]; /* file it was loaded from */

	struct conf_addr *listen; /* default 127.0.0.1:5353 */
	size_t nlisten;

	struct conf_addr *upstreams; /* empty: read from resolv_conf */
	size_t nupstreams;
	char resolv_conf[CONF_PATH_MAX]; /* default /etc/resolv.conf */

	struct conf_forward *forward;
	size_t nforward;

	struct conf_prefix *allow; /* default 127.0.0.0/8 and ::1/128 */
	size_t nallow;

	struct conf_cache cache;
	struct conf_timeouts timeouts;
	struct conf_limits limits;

	struct conf_link *links;
	size_t nlinks;
	struct conf_zone *zones;
	size_t nzones;

	char
	    availability_zone[64]; /* picks zonal link targets; "" = regional */
	unsigned workers;          /* 0 = auto (one per core) */
	char version[64]; /* CH TXT version.bind answer; "" = REFUSED */

	struct conf_api api;
	char state[CONF_PATH_MAX]; /* state file for API registrations */

	char user[64]; /* drop to this user after bind when root; "" none */
	char chroot[CONF_PATH_MAX];
	bool syslog;    /* log to syslog instead of stderr */
	bool query_log; /* one line per query at info level */
};

/* Returns a new conf with every default filled in; caller frees with
 * conf_free().  NULL on allocation failure (errno set). */
struct conf *conf_new_default(void);

/* Load and validate path.  On success sets *out to a new conf (caller
 * frees with conf_free()) and returns 0.  On failure returns -1, leaves
 * *out untouched and fills err with "path:line:col: message".  Never logs.
 * Resolving upstreams from resolv.conf is NOT done here (see
 * conf_resolve_upstreams()). */
int conf_load(const char *path, struct conf **out, struct errbuf *err);

/* Parse an in-memory YAML document; name is used in error messages. */
int conf_load_buffer(const char *name, const char *buf, size_t len,
    struct conf **out, struct errbuf *err);

/* When conf->nupstreams == 0, read nameservers from conf->resolv_conf
 * (following systemd-resolved's stub 127.0.0.53 to
 * /run/systemd/resolve/resolv.conf), dropping any address equal to one of
 * our listen addresses.  0 on success, -1 with err filled (no usable
 * upstream). */
int conf_resolve_upstreams(struct conf *conf, struct errbuf *err);

/* Print conf in canonical YAML (valid input for conf_load) to fp. */
void conf_print(const struct conf *conf, FILE *fp);

/* NULL-safe. */
void conf_free(struct conf *conf);

/* Free what l owns (name, target, zonal, addresses) and zero it; the
 * struct itself is the caller's.  Safe on a zeroed struct. */
void conf_link_clear(struct conf_link *l);
/* Deep copy of src (name, target, zonal, addresses) into dst: 0, or -1
 * on allocation failure with dst zeroed.  The caller clears dst with
 * conf_link_clear(). */
int conf_link_copy(struct conf_link *dst, const struct conf_link *src);

/* Helpers shared with the admin API and linkshimctl. */
/* Parse "1.2.3.4", "1.2.3.4:53", "[::1]:53", "::1" into *out. */
int conf_parse_addr(
    const char *s, uint16_t default_port, struct conf_addr *out);
/* Same family, address and port. */
bool conf_addr_equal(const struct conf_addr *a, const struct conf_addr *b);
/* Format an address as "1.2.3.4:53" or "[::1]:53". */
void conf_format_addr(const struct conf_addr *a, char *buf, size_t len);
/* Normalise a DNS name: lower-case, absolute, syntax checked (labels
 * 1..63, total <= 253 without dot, optional leading "*." when
 * allow_wildcard).  0 ok, -1 bad. */
int conf_normalize_name(
    const char *in, char *out, size_t outlen, bool allow_wildcard);

#endif
