/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * libFuzzer target for the YAML configuration (style.md §12): any bytes
 * into conf_load_buffer().  When they load, the canonical printback must
 * load again and print identically (the -nv round trip); a difference
 * aborts, so the fuzzer finds printer/parser disagreements as well as
 * crashes, leaks and undefined behaviour.  Replayed over
 * tests/fuzz/corpus/conf/ by the normal test run (driver.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
fuzz_print(const struct conf *c, size_t *len)
{
	char *buf = NULL;
	FILE *fp;

	if ((fp = open_memstream(&buf, len)) == NULL)
		abort();
	conf_print(c, fp);
	fclose(fp);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL, *d = NULL;
	struct errbuf err;
	char *a, *b;
	size_t alen, blen;

	memset(&err, 0, sizeof(err));
	if (conf_load_buffer("fuzz", (const char *)data, size, &c, &err) ==
	    -1) {
		/* every error names the input */
		if (strncmp(err.msg, "fuzz", 4) != 0)
			abort();
		return 0;
	}
	a = fuzz_print(c, &alen);
	if (conf_load_buffer("fuzz-printed", a, alen, &d, &err) == -1) {
		fprintf(stderr, "printed config does not load: %s\n%s\n",
		    err.msg, a);
		abort();
	}
	b = fuzz_print(d, &blen);
	if (alen != blen || memcmp(a, b, alen) != 0) {
		fprintf(stderr, "round trip differs:\n%s\n---\n%s\n", a, b);
		abort();
	}
	free(a);
	free(b);
	conf_free(c);
	conf_free(d);
	return 0;
}
