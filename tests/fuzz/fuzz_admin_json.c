/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * libFuzzer target for the JSON admin API bodies and the state file: any
 * bytes as (1) a link PUT body, (2) a record-set PUT body applied to a
 * zone, (3) a whole state document.  Whatever is accepted must survive a
 * round trip: the store printed as a state document loads back and
 * prints identically; a difference aborts.  Replayed over
 * tests/fuzz/corpus/admin_json/ by the normal test run (driver.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <ldns/ldns.h>

#include "linkshim/linkstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_round_trip(const struct linkstore *st)
{
	struct linkstore *back;
	struct errbuf err;
	json_t *a, *b;

	if ((a = linkstore_to_json(st)) == NULL)
		abort();
	if ((back = linkstore_new()) == NULL)
		abort();
	if (linkstore_from_json(a, back, &err) == -1) {
		fprintf(stderr, "state does not reload: %s\n", err.msg);
		abort();
	}
	b = linkstore_to_json(back);
	if (!json_equal(a, b)) {
		fprintf(stderr, "state round trip differs\n");
		abort();
	}
	json_decref(a);
	json_decref(b);
	linkstore_free(back);
}

static void
fuzz_link(struct linkstore *st, const json_t *doc)
{
	struct conf_link l;
	struct errbuf err;
	bool created;

	if (linkstore_link_from_json(doc, "fuzz.example.", &l, &err) == -1)
		return;
	linkstore_link_put(st, NULL, &l, &created, &err);
	linkstore_link_clear(&l);
}

static void
fuzz_rrset(struct linkstore *st, const json_t *doc)
{
	struct linkstore_zone z;
	struct linkstore_change ch;
	struct errbuf err, msg;
	size_t idx, n;

	memset(&z, 0, sizeof(z));
	strcpy(z.zone.name, "zone.example.");
	if (linkstore_zone_add(st, NULL, &z, &idx, &err) != LINKSTORE_OK)
		abort();
	memset(&ch, 0, sizeof(ch));
	ch.action = LINKSTORE_UPSERT;
	if (linkstore_rrset_from_json(doc, "www.zone.example.",
	        LDNS_RR_TYPE_TXT, &ch.rrset, ch.alias_zone_id,
	        sizeof(ch.alias_zone_id), &err) == 0) {
		linkstore_zone_change(st, idx, &ch, 1, &msg, 1, &n);
		linkstore_rrset_clear(&ch.rrset);
	}
	memset(&ch, 0, sizeof(ch));
	if (linkstore_rrset_from_json(doc, NULL, 0, &ch.rrset, NULL, 0, &err) ==
	    0) {
		linkstore_zone_change(st, idx, &ch, 1, &msg, 1, &n);
		linkstore_rrset_clear(&ch.rrset);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linkstore *st;
	struct errbuf err;
	json_t *doc;

	doc =
	    json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (doc == NULL)
		return 0;
	if ((st = linkstore_new()) == NULL)
		abort();
	fuzz_link(st, doc);
	fuzz_rrset(st, doc);
	fuzz_round_trip(st);
	linkstore_free(st);
	if ((st = linkstore_new()) == NULL)
		abort();
	if (linkstore_from_json(doc, st, &err) == 0)
		fuzz_round_trip(st);
	linkstore_free(st);
	json_decref(doc);
	return 0;
}
