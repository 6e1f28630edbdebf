/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * Standalone replay driver for the libFuzzer targets (the c-ares
 * ares-fuzz.c model): `replay_fuzz_X FILE|DIR...` feeds every file to
 * LLVMFuzzerTestOneInput so that the committed corpus runs in the normal
 * test suite (under ASan in `make asan-test`) without libFuzzer.
 * Prints "PASS: <target> <file>" per input; a crash aborts the run.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *prog, const char *path)
{
	FILE *fp;
	uint8_t *buf;
	long n;
	size_t got;

	if ((fp = fopen(path, "rb")) == NULL) {
		printf("FAIL: %s cannot open %s\n", prog, path);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		printf("FAIL: %s cannot read %s\n", prog, path);
		return -1;
	}
	/* +1 so that an empty file still gets a valid pointer */
	if ((buf = malloc((size_t)n + 1)) == NULL) {
		fclose(fp);
		return -1;
	}
	got = fread(buf, 1, (size_t)n, fp);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	printf("PASS: %s %s\n", prog, path);
	return 0;
}

static int
replay_path(const char *prog, const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char sub[4096];
	int rv = 0;

	if (stat(path, &st) == -1) {
		printf("FAIL: %s no such input %s\n", prog, path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(prog, path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (replay_path(prog, sub) == -1)
			rv = -1;
	}
	closedir(d);
	return rv;
}

int
main(int argc, char *argv[])
{
	const char *prog =
	    strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	int i, rv = 0;

	for (i = 1; i < argc; i++)
		if (replay_path(prog, argv[i]) == -1)
			rv = 1;
	return rv;
}
