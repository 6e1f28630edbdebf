/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * awsini: the AWS shared credentials and config files (~/.aws/credentials,
 * ~/.aws/config) as botocore reads them: "[section]" headers, "key =
 * value" lines, '#' and ';' comment lines, and nested sub-keys (a key
 * with an empty value followed by indented "subkey = value" lines, as in
 * "[services local]\nroute_53 =\n  endpoint_url = http://…").  Profile
 * sections are "[name]" in the credentials file and "[profile name]" (or
 * "[default]") in the config file.  Pure: the caller reads the file.
 */
#ifndef LINKSHIM_AWSINI_H
#define LINKSHIM_AWSINI_H

#include <stdbool.h>
#include <stddef.h>

#include "linkshim/errbuf.h"

struct awsini;

/* Parse len bytes of buf; name is used in error messages.  On success
 * sets *out to a new awsini (caller frees with awsini_free()) and returns
 * 0; -1 with err filled ("name:line: message") on a syntax error. */
int awsini_parse(const char *name, const char *buf, size_t len,
    struct awsini **out, struct errbuf *err);

/* NULL-safe. */
void awsini_free(struct awsini *ini);

/* The value of key in section (subkey NULL), or of the nested subkey
 * under key.  Section and key names compare exactly (botocore does);
 * NULL when absent.  Borrowed; valid until awsini_free(). */
const char *awsini_get(const struct awsini *ini, const char *section,
    const char *key, const char *subkey);

/* The same for a profile: looks in "[profile NAME]" then "[NAME]" when
 * config_file, else "[NAME]" only.  NULL ini returns NULL. */
const char *awsini_profile_get(const struct awsini *ini, bool config_file,
    const char *profile, const char *key, const char *subkey);

/* Whether the profile has a section in this file. */
bool awsini_has_profile(
    const struct awsini *ini, bool config_file, const char *profile);

#endif
