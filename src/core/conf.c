/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf: loading the configuration (style.md §8.1): refuse files over
 * CONF_MAX_BYTES, fill every default, read the YAML with libyaml and walk
 * it with the schema tables of conf_schema.c as it is read
 * (conf_stream.c), then run the cross-field checks of conf_validate().  *out is
 * assigned only when all of it succeeded.  Also the small value parsers and
 * formatters (addresses, prefixes, names, durations, sizes) shared by the walk,
 * the printer, the admin API and linkshimctl.  Nothing here logs.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "core/conf_internal.h"

static int
conf_set_defaults(struct conf *c)
{
	struct conf_prefix *p;

	if ((c->listen = calloc(1, sizeof(*c->listen))) == NULL)
		return -1;
	c->nlisten = 1;
	if (conf_parse_addr("127.0.0.1", 5353, &c->listen[0]) == -1)
		return -1;
	if ((c->allow = calloc(2, sizeof(*c->allow))) == NULL)
		return -1;
	c->nallow = 2;
	p = c->allow;
	if (conf_parse_prefix("127.0.0.0/8", &p[0]) != 0 ||
	    conf_parse_prefix("::1/128", &p[1]) != 0)
		return -1;
	strlcpy(c->resolv_conf, "/etc/resolv.conf", sizeof(c->resolv_conf));
	c->cache.size = 64 * 1024 * 1024;
	c->cache.min_ttl = 0;
	c->cache.max_ttl = 86400;
	c->cache.serve_stale = 0;
	c->cache.prefetch = true;
	c->cache.minimal_responses = true;
	c->timeouts.upstream_ms = 1500;
	c->timeouts.total_ms = 4000;
	c->timeouts.tcp_idle_ms = 10000;
	c->limits.tcp_clients = 128;
	c->limits.inflight = 4096;
	c->workers = 1;
	return 0;
}

struct conf *
conf_new_default(void)
{
	struct conf *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (conf_set_defaults(c) == -1) {
		conf_free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void
conf_link_clear(struct conf_link *l)
{
	free(l->name);
	free(l->target);
	free(l->zonal);
	free(l->addrs);
	memset(l, 0, sizeof(*l));
}

/* A copy of n items of size bytes at p (NULL when n is 0); *ok false on
 * allocation failure. */
static void *
conf_dup(const void *p, size_t n, size_t size, bool *ok)
{
	void *q;

	if (n == 0 || p == NULL)
		return NULL;
	if ((q = reallocarray(NULL, n, size)) == NULL) {
		*ok = false;
		return NULL;
	}
	memcpy(q, p, n * size);
	return q;
}

int
conf_link_copy(struct conf_link *dst, const struct conf_link *src)
{
	bool ok = true;

	*dst = *src;
	dst->name = conf_dup(
	    src->name, src->name != NULL ? strlen(src->name) + 1 : 0, 1, &ok);
	dst->target = conf_dup(src->target,
	    src->target != NULL ? strlen(src->target) + 1 : 0, 1, &ok);
	dst->zonal =
	    conf_dup(src->zonal, src->nzonal, sizeof(*src->zonal), &ok);
	dst->addrs =
	    conf_dup(src->addrs, src->naddrs, sizeof(*src->addrs), &ok);
	if (!ok) {
		conf_link_clear(dst);
		return -1;
	}
	return 0;
}

void
conf_zone_clear(struct conf_zone *z)
{
	size_t i, j;

	for (i = 0; i < z->nrrsets; i++) {
		for (j = 0; j < z->rrsets[i].nvalues; j++)
			free(z->rrsets[i].values[j]);
		free(z->rrsets[i].values);
	}
	free(z->rrsets);
	memset(z, 0, sizeof(*z));
}

void
conf_free(struct conf *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->listen);
	free(c->upstreams);
	for (i = 0; i < c->nforward; i++)
		free(c->forward[i].to);
	free(c->forward);
	free(c->allow);
	for (i = 0; i < c->nlinks; i++)
		conf_link_clear(&c->links[i]);
	free(c->links);
	for (i = 0; i < c->nzones; i++)
		conf_zone_clear(&c->zones[i]);
	free(c->zones);
	free(c);
}

/* A libyaml syntax error as "name:line:col: problem (context), expected
 * valid YAML". */
int
conf_yaml_error(const char *name, yaml_parser_t *p, struct errbuf *err)
{
	const char *problem = p->problem ? p->problem : "cannot parse";

	if (p->error == YAML_MEMORY_ERROR)
		return errbuf_set(err, "%s: out of memory", name);
	if (p->context != NULL)
		return errbuf_set(err, "%s:%zu:%zu: %s %s, expected valid YAML",
		    name, p->problem_mark.line + 1, p->problem_mark.column + 1,
		    problem, p->context);
	return errbuf_set(err, "%s:%zu:%zu: %s, expected valid YAML", name,
	    p->problem_mark.line + 1, p->problem_mark.column + 1, problem);
}

/* Read handler of a streamed file: at most CONF_MAX_BYTES in all (the
 * size was checked before; this only catches a file that grew since). */
static int
conf_input_read(void *data, unsigned char *buf, size_t size, size_t *nread)
{
	struct conf_input *in = data;
	ssize_t n;

	do
		n = read(in->fd, buf, size);
	while (n == -1 && errno == EINTR);
	if (n == -1 || (in->done += (size_t)n) > CONF_MAX_BYTES)
		return 0;
	*nread = (size_t)n;
	return 1;
}

int
conf_input_attach(yaml_parser_t *p, struct conf_input *in)
{
	if (in->fd == -1) {
		yaml_parser_set_input_string(
		    p, (const unsigned char *)in->buf, in->len);
		return 0;
	}
	if (lseek(in->fd, 0, SEEK_SET) == -1)
		return -1;
	in->done = 0;
	yaml_parser_set_input(p, conf_input_read, in);
	return 0;
}

static int
conf_load_input(const char *name, struct conf_input *in, struct conf **out,
    struct errbuf *err)
{
	yaml_parser_t parser;
	struct conf_walk w;
	struct conf *c = NULL;
	int rv = -1, have_parser = 0;

	if (in->len > CONF_MAX_BYTES)
		return errbuf_set(err,
		    "%s: file is %zu bytes, expected at most %d", name, in->len,
		    CONF_MAX_BYTES);
	if (!yaml_parser_initialize(&parser))
		return errbuf_set(err, "%s: out of memory", name);
	have_parser = 1;
	if (conf_input_attach(&parser, in) == -1) {
		errbuf_set(err, "%s: %s", name, strerror(errno));
		goto done;
	}
	if ((c = conf_new_default()) == NULL) {
		errbuf_set(err, "%s: out of memory", name);
		goto done;
	}
	memset(&w, 0, sizeof(w));
	w.name = name;
	w.in = in;
	w.err = err;
	w.max_nodes = CONF_MAX_NODES + in->len;
	/* Read and walked as it comes (conf_stream.c): the whole libyaml
	 * document of a long links list was most of the peak RSS. */
	if (conf_stream_load(&w, &parser, c) == -1)
		goto done;
	yaml_parser_delete(&parser);
	have_parser = 0;
	if (conf_validate(&w, c) == -1)
		goto done;
	strlcpy(c->path, name, sizeof(c->path));
	*out = c;
	c = NULL;
	rv = 0;
done:
	conf_free(c);
	if (have_parser)
		yaml_parser_delete(&parser);
	return rv;
}

int
conf_load_buffer(const char *name, const char *buf, size_t len,
    struct conf **out, struct errbuf *err)
{
	struct conf_input in = {buf, len, -1, 0};

	return conf_load_input(name, &in, out, err);
}

/* Read at most CONF_MAX_BYTES + 1 bytes so that a pipe (/dev/stdin for
 * the -nv round trip) is capped too.  The buffer starts at the file's size
 * (or 64 KiB for a pipe) and doubles as needed. */
static int
conf_read_file(const char *path, int fd, const struct stat *st, char **bufp,
    size_t *lenp, struct errbuf *err)
{
	char *buf = NULL, *nbuf;
	size_t len = 0, cap;
	ssize_t n;
	int rv = -1;

	cap = S_ISREG(st->st_mode) ? (size_t)st->st_size + 1 : 65536;
	if ((buf = malloc(cap)) == NULL) {
		errbuf_set(err, "%s: out of memory", path);
		goto done;
	}
	for (;;) {
		if (len == cap) {
			/* CONF_MAX_BYTES + 1 read: the parser reports "too
			 * large" */
			if (cap > CONF_MAX_BYTES)
				break;
			cap = cap > CONF_MAX_BYTES / 2
			    ? (size_t)CONF_MAX_BYTES + 1
			    : cap * 2;
			if ((nbuf = realloc(buf, cap)) == NULL) {
				errbuf_set(err, "%s: out of memory", path);
				goto done;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			errbuf_set(err, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*bufp = buf;
	*lenp = len;
	buf = NULL;
	rv = 0;
done:
	free(buf);
	return rv;
}

/* A regular file is parsed as it is read (a copy of it would be ~180
 * bytes a link more at the peak); anything else (a pipe) is read whole
 * first. */
int
conf_load(const char *path, struct conf **out, struct errbuf *err)
{
	struct conf_input in = {NULL, 0, -1, 0};
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, rv = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errbuf_set(err, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == -1) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (S_ISREG(st.st_mode) && st.st_size > CONF_MAX_BYTES) {
		errbuf_set(err, "%s: file is %lld bytes, expected at most %d",
		    path, (long long)st.st_size, CONF_MAX_BYTES);
		goto done;
	}
	if (S_ISREG(st.st_mode)) {
		in.fd = fd;
		in.len = (size_t)st.st_size;
		rv = conf_load_input(path, &in, out, err);
	} else if (conf_read_file(path, fd, &st, &buf, &len, err) == 0)
		rv = conf_load_buffer(path, buf, len, out, err);
done:
	free(buf);
	close(fd);
	return rv;
}

static int
conf_parse_port(const char *s, uint16_t *port)
{
	uint64_t v;

	if (conf_parse_uint(s, &v) == -1 || v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int
conf_parse_addr(const char *s, uint16_t default_port, struct conf_addr *out)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *end, *ports = NULL;
	struct sockaddr_in *sin;
	struct sockaddr_in6 *sin6;
	struct conf_addr a;
	uint16_t port = default_port;
	size_t hl;
	bool v6only = false;

	memset(&a, 0, sizeof(a));
	if (s[0] == '[') {
		v6only = true;
		if ((end = strchr(s, ']')) == NULL)
			return -1;
		hl = (size_t)(end - s - 1);
		if (end[1] == ':')
			ports = end + 2;
		else if (end[1] != '\0')
			return -1;
		s++;
	} else if ((colon = strchr(s, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		hl = (size_t)(colon - s);
		ports = colon + 1;
	} else
		hl = strlen(s);
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (ports != NULL && conf_parse_port(ports, &port) == -1)
		return -1;
	sin = (struct sockaddr_in *)&a.ss;
	sin6 = (struct sockaddr_in6 *)&a.ss;
	if (!v6only && inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		a.len = sizeof(*sin);
	} else if ((v6only || ports == NULL) &&
	    inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		a.len = sizeof(*sin6);
	} else
		return -1;
	*out = a;
	return 0;
}

void
conf_format_addr(const struct conf_addr *a, char *buf, size_t len)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&a->ss;
	char host[INET6_ADDRSTRLEN];

	if (a->ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(sin->sin_port));
	} else if (a->ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(sin6->sin6_port));
	} else
		snprintf(buf, len, "(none)");
}

bool
conf_addr_equal(const struct conf_addr *a, const struct conf_addr *b)
{
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in *b4 = (const struct sockaddr_in *)&b->ss;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&a->ss;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)&b->ss;

	if (a->ss.ss_family != b->ss.ss_family)
		return false;
	if (a->ss.ss_family == AF_INET)
		return a4->sin_port == b4->sin_port &&
		    a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	if (a->ss.ss_family == AF_INET6)
		return a6->sin6_port == b6->sin6_port &&
		    memcmp(&a6->sin6_addr, &b6->sin6_addr, 16) == 0;
	return false;
}

static bool
conf_label_char(int ch)
{
	/* Letters, digits, hyphen, and underscore for _service labels
	 * (RFC 2782, RFC 8552). */
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	    ch == '-' || ch == '_';
}

int
conf_normalize_name(
    const char *in, char *out, size_t outlen, bool allow_wildcard)
{
	char buf[CONF_NAME_MAX];
	size_t len = strlen(in), i, label = 0;

	if (len > 0 && in[len - 1] == '.')
		len--;
	/* RFC 1035 2.3.4: 255 octets of wire is 253 characters of text */
	if (len == 0 || len > 253 || len + 2 > outlen)
		return -1;
	for (i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)in[i]);
	buf[len] = '\0';
	i = 0;
	if (buf[0] == '*') {
		if (!allow_wildcard || buf[1] != '.')
			return -1;
		i = 2;
		if (i >= len)
			return -1;
	}
	for (; i < len; i++) {
		if (buf[i] == '.') {
			if (label == 0)
				return -1;
			label = 0;
			continue;
		}
		if (!conf_label_char((unsigned char)buf[i]) || ++label > 63)
			return -1;
	}
	if (label == 0)
		return -1;
	snprintf(out, outlen, "%s.", buf);
	return 0;
}

int
conf_parse_uint(const char *s, uint64_t *v)
{
	uint64_t n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (n > (UINT64_C(1) << 53) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*v = n;
	return 0;
}

/* "1500ms", "10s", "30m", "1h", "1d", "1h30m", or plain seconds. */
int
conf_parse_duration_ms(const char *s, uint64_t *ms)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000},
	    {"d", 86400000}};
	uint64_t total = 0, n, mul;
	size_t i, ul;

	if (conf_parse_uint(s, &n) == 0) {
		if (n > UINT32_MAX)
			return -1;
		*ms = n * 1000;
		return 0;
	}
	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		if (*s < '0' || *s > '9')
			return -1;
		for (n = 0; *s >= '0' && *s <= '9'; s++)
			if ((n = n * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
				return -1;
		for (ul = 0; s[ul] >= 'a' && s[ul] <= 'z'; ul++)
			;
		for (i = 0, mul = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strlen(units[i].unit) == ul &&
			    strncmp(s, units[i].unit, ul) == 0)
				mul = units[i].ms;
		if (ul == 0 || mul == 0)
			return -1;
		s += ul;
		if ((total += n * mul) > UINT64_C(1000) * UINT32_MAX)
			return -1;
	}
	*ms = total;
	return 0;
}

/* "64MiB", "512KiB", "1GB", "100B" or plain bytes; KB/MB/GB are powers
 * of 1000, KiB/MiB/GiB powers of 1024. */
int
conf_parse_size(const char *s, uint64_t *bytes)
{
	static const struct {
		const char *unit;
		uint64_t mul;
	} units[] = {{"", 1}, {"b", 1}, {"kb", 1000}, {"mb", 1000000},
	    {"gb", 1000000000}, {"kib", 1 << 10}, {"mib", 1 << 20},
	    {"gib", 1 << 30}};
	char num[32];
	size_t i, nl;
	uint64_t n;

	for (nl = 0; s[nl] >= '0' && s[nl] <= '9'; nl++)
		;
	if (nl == 0 || nl >= sizeof(num))
		return -1;
	memcpy(num, s, nl);
	num[nl] = '\0';
	if (conf_parse_uint(num, &n) == -1)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(s + nl, units[i].unit) != 0)
			continue;
		if (n > UINT64_MAX / units[i].mul)
			return -1;
		*bytes = n * units[i].mul;
		return 0;
	}
	return -1;
}

int
conf_parse_ip(const char *s, struct conf_ip *ip)
{
	struct conf_ip r;

	memset(&r, 0, sizeof(r));
	if (inet_pton(AF_INET, s, r.addr) == 1)
		r.family = AF_INET;
	else if (inet_pton(AF_INET6, s, r.addr) == 1)
		r.family = AF_INET6;
	else
		return -1;
	*ip = r;
	return 0;
}

void
conf_format_ip(const struct conf_ip *ip, char *buf, size_t len)
{
	if (inet_ntop(ip->family, ip->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "(none)");
}

/* 0 ok, -1 not a prefix, -2 host bits set below the prefix length. */
int
conf_parse_prefix(const char *s, struct conf_prefix *p)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	struct conf_ip ip;
	struct conf_prefix r;
	uint64_t bits;
	size_t hl = slash ? (size_t)(slash - s) : strlen(s), i;

	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (conf_parse_ip(host, &ip) == -1)
		return -1;
	memset(&r, 0, sizeof(r));
	r.family = ip.family;
	memcpy(r.addr, ip.addr, sizeof(r.addr));
	r.bits = ip.family == AF_INET ? 32 : 128;
	if (slash != NULL) {
		if (conf_parse_uint(slash + 1, &bits) == -1 || bits > r.bits)
			return -1;
		r.bits = (unsigned)bits;
	}
	for (i = r.bits; i < 128; i++)
		if (r.addr[i / 8] & (0x80 >> (i % 8)))
			return -2;
	*p = r;
	return 0;
}

void
conf_format_prefix(const struct conf_prefix *p, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (inet_ntop(p->family, p->addr, host, sizeof(host)) == NULL)
		snprintf(host, sizeof(host), "(none)");
	snprintf(buf, len, "%s/%u", host, p->bits);
}

static int
conf_validate_at(
    struct conf_walk *w, enum conf_mark a, enum conf_mark b, const char *what)
{
	enum conf_mark m = w->seen[a] ? a : b;

	return errbuf_set(w->err, "%s:%zu:%zu: %s", w->name,
	    w->marks[m].line + 1, w->marks[m].column + 1, what);
}

static bool
conf_is_listen(const struct conf *c, const struct conf_addr *a)
{
	size_t i;

	for (i = 0; i < c->nlisten; i++)
		if (conf_addr_equal(&c->listen[i], a))
			return true;
	return false;
}

/* Cross-field checks, after every key is in (style.md §8.1 step 5). */
int
conf_validate(struct conf_walk *w, struct conf *c)
{
	size_t i, j;

	if (c->cache.min_ttl > c->cache.max_ttl)
		return conf_validate_at(w, CONF_MARK_MIN_TTL, CONF_MARK_MAX_TTL,
		    "cache min_ttl is above max_ttl, expected min_ttl <= "
		    "max_ttl");
	if (c->timeouts.total_ms < c->timeouts.upstream_ms)
		return conf_validate_at(w, CONF_MARK_TOTAL, CONF_MARK_UPSTREAM,
		    "timeouts total is below upstream, expected total >= "
		    "upstream");
	for (i = 0; i < c->nupstreams; i++)
		if (conf_is_listen(c, &c->upstreams[i]))
			return conf_validate_at(w, CONF_MARK_UPSTREAMS,
			    CONF_MARK_UPSTREAMS,
			    "an upstream is one of our own listen addresses (a "
			    "forwarding loop), expected another resolver");
	for (i = 0; i < c->nforward; i++)
		for (j = 0; j < c->forward[i].nto; j++)
			if (conf_is_listen(c, &c->forward[i].to[j]))
				return conf_validate_at(w, CONF_MARK_FORWARD,
				    CONF_MARK_FORWARD,
				    "a forward server is one of our own listen "
				    "addresses (a forwarding loop), expected "
				    "another resolver");
	return conf_check_names(w, c);
}
