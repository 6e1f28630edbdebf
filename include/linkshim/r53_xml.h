/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * r53_xml: the Route 53 REST-XML wire shapes (API version 2013-04-01,
 * namespace https://route53.amazonaws.com/doc/2013-04-01/).  Request
 * parsing with expat (CreateHostedZoneRequest,
 * ChangeResourceRecordSetsRequest; children accepted in any order, as
 * botocore serialises in the caller's key order; DTDs refused) and
 * response serialisation in the shapes botocore parses.  Pure: no
 * sockets.  Parsers never log; they fill err with a message fit for an
 * InvalidInput error.
 */
#ifndef LINKSHIM_R53_XML_H
#define LINKSHIM_R53_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "linkshim/errbuf.h"
#include "linkshim/linkstore.h"

#define R53_XMLNS "https://route53.amazonaws.com/doc/2013-04-01/"
#define R53_MAX_CHANGES 1000 /* Route 53's own per-batch limit */

struct r53_create_zone {
	char name[CONF_NAME_MAX];
	char caller_ref[128];
	char comment[256];
	char vpc_region[32];
	char vpc_id[64];
	char delegation_set_id[64];
	bool private_zone; /* HostedZoneConfig/PrivateZone or a VPC given */
};

struct r53_change_batch {
	char comment[256];
	struct linkstore_change *changes; /* owned, values too */
	size_t nchanges;
};

/* Parse a CreateHostedZoneRequest body into *out.  0, or -1 with err
 * filled. */
int r53_parse_create_zone(const char *body, size_t len,
    struct r53_create_zone *out, struct errbuf *err);

/* Parse a ChangeResourceRecordSetsRequest body into *out (allocates:
 * release with r53_change_batch_clear(), also after a failure).  Type
 * names unknown to linkstore_type_from_str() and unsupported routing
 * policies (SetIdentifier, Weight, ...) are errors.  0 or -1. */
int r53_parse_change_batch(const char *body, size_t len,
    struct r53_change_batch *out, struct errbuf *err);
void r53_change_batch_clear(struct r53_change_batch *b);

/* What responses say about a zone. */
struct r53_zone_info {
	const char *id;   /* without the /hostedzone/ prefix */
	const char *name; /* absolute */
	const char *caller_ref;
	const char *comment;
	const char *vpc_region, *vpc_id; /* NULL or "" when none */
	bool private_zone;
	size_t nrrsets; /* ResourceRecordSetCount (incl. SOA and NS) */
};

struct r53_change_info {
	const char *id; /* without the /change/ prefix */
	time_t submitted;
	const char *comment; /* NULL: omitted */
};

/*
 * Serialisers.  Each returns a new NUL-terminated document (caller frees
 * with free()) and its length in *len, or NULL on allocation failure.
 * root of r53_xml_change_info() is the response element name
 * (ChangeResourceRecordSetsResponse, GetChangeResponse,
 * DeleteHostedZoneResponse).  Status is always INSYNC: changes are
 * applied before the reply.
 */
char *r53_xml_create_zone(const struct r53_zone_info *z,
    const struct r53_change_info *ci, size_t *len);
char *r53_xml_get_zone(const struct r53_zone_info *z, size_t *len);
char *r53_xml_list_zones(const struct r53_zone_info *zones, size_t n,
    const char *marker, const char *next_marker, unsigned maxitems,
    size_t *len);
char *r53_xml_list_zones_by_name(const struct r53_zone_info *zones, size_t n,
    const char *dnsname, const char *hzid, const struct r53_zone_info *next,
    unsigned maxitems, size_t *len);
/* ListResourceRecordSets: n sets from rrsets, alias_zone_ids[i] the
 * AliasTarget HostedZoneId of rrsets[i] (array may be NULL); next is the
 * first set not shown or NULL. */
char *r53_xml_list_rrsets(const struct conf_rrset *rrsets,
    const char *const *alias_zone_ids, size_t n, const struct conf_rrset *next,
    unsigned maxitems, size_t *len);
char *r53_xml_change_info(
    const char *root, const struct r53_change_info *ci, size_t *len);
/* <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error>
 * <RequestId/></ErrorResponse> */
char *r53_xml_error(
    const char *code, const char *message, const char *request_id, size_t *len);
/* <InvalidChangeBatch><Messages><Message/>*</Messages><RequestId/> */
char *r53_xml_invalid_change_batch(
    const struct errbuf *msgs, size_t n, const char *request_id, size_t *len);

#endif
