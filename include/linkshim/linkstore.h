/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * linkstore: the dynamic registrations (links and zones with record sets
 * made through the admin JSON API or the Route 53-compatible API), held in
 * memory, validated, and persisted in a JSON state file written atomically
 * (temp file in the same directory, write, fsync, rename, fsync of the
 * directory; design.md §2).  Pure: no sockets, no event loop.
 *
 * Every mutation is meant to be done on a copy (linkstore_clone()), saved,
 * handed to the resolver, and only then swapped in, so that a failure at
 * any step leaves the old store untouched.
 *
 * Names are stored like conf names: lower-case, absolute.  Record values
 * are stored in canonical presentation form (as ldns prints them, names
 * absolute), so comparisons (Route 53 DELETE must match exactly) work.
 */
#ifndef LINKSHIM_LINKSTORE_H
#define LINKSHIM_LINKSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkshim/conf.h"
#include "linkshim/errbuf.h"

/* Result codes of mutations; the API layer maps them to HTTP statuses. */
enum linkstore_status {
	LINKSTORE_OK = 0,
	LINKSTORE_INVALID = -1, /* bad input: 400 */
	LINKSTORE_CONFLICT =
	    -2, /* shadows a config entry or another kind: 409 */
	LINKSTORE_NOTFOUND = -3, /* 404 */
	LINKSTORE_EXISTS = -4,   /* already exists (create-only): 409 */
	LINKSTORE_NOTEMPTY = -5, /* zone still has records: 400 */
	LINKSTORE_NOMEM = -6,    /* 500 */
};

#define LINKSTORE_MAX_LINKS 10000
#define LINKSTORE_MAX_ZONES 1000
#define LINKSTORE_MAX_RRSETS 10000 /* per zone (Route 53 default quota) */
#define LINKSTORE_MAX_VALUES 400   /* per record set */
#define LINKSTORE_VALUE_MAX 4000   /* bytes of one value (TXT limit) */
#define LINKSTORE_ALIAS_TTL 300    /* TTL bound of alias sets given none */

/* Route 53 AliasTarget HostedZoneId of an alias record set: echoed back
 * by the API, never used for answers (so not in struct conf_rrset). */
struct linkstore_alias_id {
	char name[CONF_NAME_MAX];
	uint16_t type;
	char zone_id[64];
};

/* A zone plus the Route 53 metadata that struct conf_zone has no room
 * for.  zone.rrsets is owned by the store and kept sorted by
 * (name in DNS canonical order, type). */
struct linkstore_zone {
	struct conf_zone zone;
	char caller_ref[128]; /* CreateHostedZone CallerReference, "" none */
	char vpc_region[32];
	char vpc_id[64];
	bool private_zone;
	int64_t created;                      /* unix seconds */
	struct linkstore_alias_id *alias_ids; /* owned */
	size_t nalias_ids;
};

/* The AliasTarget HostedZoneId recorded for (name, type) in z, or "".
 * Borrowed; valid until the next change of z. */
const char *linkstore_alias_zone_id(
    const struct linkstore_zone *z, const char *name, uint16_t type);

struct linkstore {
	struct conf_link *links; /* owned; sorted by name */
	size_t nlinks;
	struct linkstore_zone *zones; /* owned; sorted by name, then id */
	size_t nzones;
};

/* One change of a batch (Route 53 ChangeResourceRecordSets). */
enum linkstore_action {
	LINKSTORE_CREATE,
	LINKSTORE_UPSERT,
	LINKSTORE_DELETE,
};

struct linkstore_change {
	enum linkstore_action action;
	struct conf_rrset rrset; /* values borrowed from the caller */
	char alias_zone_id[64];  /* AliasTarget HostedZoneId, "" none */
};

/* Returns a new empty store; caller frees with linkstore_free().  NULL on
 * allocation failure (errno set). */
struct linkstore *linkstore_new(void);

/* Returns a new deep copy of st; caller frees with linkstore_free().  NULL
 * on allocation failure. */
struct linkstore *linkstore_clone(const struct linkstore *st);

/* NULL-safe. */
void linkstore_free(struct linkstore *st);

/* Deep copies and releases shared by linkstore_*.c and the API layer.
 * The copies allocate (release with the matching _clear()); 0 or -1 on
 * allocation failure with dst cleared. */
int linkstore_rrset_copy(struct conf_rrset *dst, const struct conf_rrset *src);
int linkstore_zone_copy(
    struct linkstore_zone *dst, const struct linkstore_zone *src);
void linkstore_zone_clear(struct linkstore_zone *z);

/*
 * Validation helpers (never log).  linkstore_normalize_name() checks the
 * syntax (labels 1..63, total <= 253, letters/digits/-/_ and, when
 * allow_wildcard, a leading "*."), lower-cases and makes it absolute into
 * out.  0 ok, -1 with err filled.
 */
int linkstore_normalize_name(const char *in, char *out, size_t outlen,
    bool allow_wildcard, struct errbuf *err);

/* Parse one value of type at owner with ldns and write its canonical
 * presentation form into out.  0 ok, -1 with err filled. */
int linkstore_canon_rdata(const char *owner, uint16_t type, const char *in,
    char *out, size_t outlen, struct errbuf *err);

/* Record types accepted by the APIs: A AAAA CNAME TXT MX SRV PTR CAA NS
 * SPF.  Returns the type or 0 when unsupported. */
uint16_t linkstore_type_from_str(const char *s);
/* "A", "AAAA", ...; never NULL. */
const char *linkstore_type_str(uint16_t type);

/*
 * Links.  linkstore_link_put() validates l (names, mode, ttl, zonal,
 * addresses), checks that it does not shadow a config link or zone (conf
 * may be NULL) or a dynamic zone, and inserts or replaces it.  *created is
 * set to true when the name was new.  l is copied.  Returns an enum
 * linkstore_status with err filled on failure; st unchanged on failure.
 */
int linkstore_link_put(struct linkstore *st, const struct conf *conf,
    const struct conf_link *l, bool *created, struct errbuf *err);
/* name is normalised first.  LINKSTORE_OK or LINKSTORE_NOTFOUND. */
int linkstore_link_del(
    struct linkstore *st, const char *name, struct errbuf *err);
/* Borrowed; valid until the next mutation of st.  NULL when absent. */
const struct conf_link *linkstore_link_find(
    const struct linkstore *st, const char *name);

/*
 * Zones.  linkstore_zone_add() validates z->zone.name (rrsets ignored),
 * generates an id when z->zone.id is empty, refuses a name that shadows a
 * config zone or link or any dynamic link (LINKSTORE_CONFLICT).  Several
 * dynamic zones may share a name only when their VPC differs (Route 53
 * private zones); the JSON API passes no VPC and so gets one zone per
 * name.  *out_idx receives the new zone's index.  st unchanged on failure.
 */
int linkstore_zone_add(struct linkstore *st, const struct conf *conf,
    const struct linkstore_zone *z, size_t *out_idx, struct errbuf *err);
/* Delete zone idx; LINKSTORE_NOTEMPTY unless force or it has no rrsets. */
int linkstore_zone_del(
    struct linkstore *st, size_t idx, bool force, struct errbuf *err);
/* Index of the zone with this id (with or without "/hostedzone/") or -1. */
long linkstore_zone_by_id(const struct linkstore *st, const char *id);
/* Index of the first zone with this (un-normalised) name, or -1. */
long linkstore_zone_by_name(const struct linkstore *st, const char *name);
/* Index of the zone with this caller reference, or -1. */
long linkstore_zone_by_caller_ref(const struct linkstore *st, const char *ref);

/*
 * Apply a batch of changes to zone idx, all or nothing (Route 53
 * semantics: CREATE fails if the set exists, DELETE must match the
 * existing set exactly, UPSERT creates or replaces; CNAME may not coexist
 * with other data at a name; names must be at or below the zone apex).
 * Every failing change adds one message to msgs (up to maxmsgs, each
 * ERRBUF_SIZE bytes); *nmsgs receives the count.  Returns LINKSTORE_OK or
 * LINKSTORE_INVALID; st unchanged on failure.
 */
int linkstore_zone_change(struct linkstore *st, size_t idx,
    const struct linkstore_change *changes, size_t nchanges,
    struct errbuf *msgs, size_t maxmsgs, size_t *nmsgs);

/* Index of the rrset (name, type) in zone idx, or -1.  name normalised. */
long linkstore_rrset_find(
    const struct linkstore *st, size_t idx, const char *name, uint16_t type);

/* Compare two names in DNS canonical order (RFC 4034 §6.1: by labels
 * from the right, case-insensitive).  Route 53 lists rrsets this way. */
int linkstore_name_cmp(const char *a, const char *b);

/* Does a name of the store or config (link or zone) equal name?  Used to
 * report conflicts; returns "config link", "config zone", "link", "zone"
 * or NULL. */
const char *linkstore_owner_of(
    const struct linkstore *st, const struct conf *conf, const char *name);

/*
 * Remove the links and zones whose name a config link or zone now has:
 * the config wins, as on a reload (the resolver skips them already).
 * Each removed name is passed to fn (may be NULL).  Returns the count.
 */
size_t linkstore_prune_shadowed(struct linkstore *st, const struct conf *conf,
    void (*fn)(const char *name, const char *what, void *arg), void *arg);

/*
 * State file (JSON).  linkstore_load(): a missing file is an empty store;
 * a bad one is an error "path: line N: message".  On success *out is set
 * to a new store (caller frees with linkstore_free()).
 * linkstore_save(): atomic replacement as described above; 0 or -1 with
 * err filled (errno text included).
 */
int linkstore_load(
    const char *path, struct linkstore **out, struct errbuf *err);
int linkstore_save(
    const struct linkstore *st, const char *path, struct errbuf *err);

/* JSON conversions shared by the state file and the admin API
 * (linkstore_json.c).  json_t is jansson's. */
struct json_t;
/* Returns a new json object for l (caller json_decref()s), with "source"
 * when source is non-NULL; NULL on allocation failure. */
struct json_t *linkstore_link_to_json(
    const struct conf_link *l, const char *source);
/* Fill *l from a link object (name taken from name when non-NULL, else
 * from the object's "name").  Allocates l->name, l->target, l->zonal
 * and l->addrs: release with linkstore_link_clear() (conf_link_clear()).  0 or
 * -1 with err filled. */
int linkstore_link_from_json(const struct json_t *o, const char *name,
    struct conf_link *l, struct errbuf *err);
void linkstore_link_clear(struct conf_link *l);
/* Record set <-> {"name","type","ttl","values"} or {"name","type","alias"} */
struct json_t *linkstore_rrset_to_json(const struct conf_rrset *rr);
/* Values are newly allocated: release with linkstore_rrset_clear().
 * alias_zone_id (may be NULL) receives the optional "alias_zone_id". */
int linkstore_rrset_from_json(const struct json_t *o, const char *name,
    uint16_t type, struct conf_rrset *rr, char *alias_zone_id, size_t idlen,
    struct errbuf *err);
void linkstore_rrset_clear(struct conf_rrset *rr);
/* Whole store <-> state document. */
struct json_t *linkstore_to_json(const struct linkstore *st);
int linkstore_from_json(
    const struct json_t *doc, struct linkstore *st, struct errbuf *err);

#endif
