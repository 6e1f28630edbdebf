/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * libFuzzer target for the Route 53 request bodies: any bytes into
 * r53_parse_create_zone() and r53_parse_change_batch(); an accepted batch
 * is applied to a zone (linkstore semantics) and the result serialised
 * as ListResourceRecordSets, which must come out as a document.
 * Replayed over tests/fuzz/corpus/r53_xml/ by the normal test run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/linkstore.h"
#include "linkshim/r53_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_apply(const struct r53_change_batch *cb)
{
	struct linkstore *st = linkstore_new();
	struct linkstore_zone z;
	struct errbuf err, msgs[8];
	const struct conf_zone *zz;
	size_t idx, n, len;
	char *doc;

	if (st == NULL)
		abort();
	memset(&z, 0, sizeof(z));
	strcpy(z.zone.name, "example.com.");
	if (linkstore_zone_add(st, NULL, &z, &idx, &err) != LINKSTORE_OK)
		abort();
	linkstore_zone_change(st, idx, cb->changes, cb->nchanges, msgs, 8, &n);
	zz = &st->zones[idx].zone;
	doc =
	    r53_xml_list_rrsets(zz->rrsets, NULL, zz->nrrsets, NULL, 300, &len);
	if (doc == NULL || strlen(doc) != len)
		abort();
	free(doc);
	linkstore_free(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct r53_create_zone cz;
	struct r53_change_batch cb;
	struct errbuf err;
	size_t len;
	char *doc;

	if (r53_parse_create_zone((const char *)data, size, &cz, &err) == 0) {
		struct r53_zone_info zi = {.id = "Z1",
		    .name = cz.name,
		    .caller_ref = cz.caller_ref,
		    .comment = cz.comment,
		    .vpc_region = cz.vpc_region,
		    .vpc_id = cz.vpc_id,
		    .private_zone = cz.private_zone};
		struct r53_change_info ci = {.id = "C1"};

		if ((doc = r53_xml_create_zone(&zi, &ci, &len)) == NULL)
			abort();
		free(doc);
	}
	if (r53_parse_change_batch((const char *)data, size, &cb, &err) == 0)
		fuzz_apply(&cb);
	r53_change_batch_clear(&cb);
	return 0;
}
