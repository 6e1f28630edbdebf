/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * awsini: parser for the AWS shared credentials/config INI dialect,
 * including botocore's nested sub-keys (used by "[services NAME]"
 * sections and s3-style settings).  Entries are kept in file order; a
 * later duplicate wins, as with configparser.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkshim/awsini.h"

#define AWSINI_MAX_ENTRIES 4096

struct awsini_entry {
	char *section;
	char *key;
	char *subkey; /* NULL for a top-level key */
	char *value;
};

struct awsini {
	struct awsini_entry *e;
	size_t n;
};

static char *
strip(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int
add(struct awsini *ini, const char *sec, const char *key, const char *sub,
    const char *val)
{
	struct awsini_entry *ne, *x;

	if (ini->n == AWSINI_MAX_ENTRIES)
		return -1;
	if ((ne = reallocarray(ini->e, ini->n + 1, sizeof(*ne))) == NULL)
		return -1;
	ini->e = ne;
	x = &ini->e[ini->n];
	x->section = strdup(sec);
	x->key = strdup(key);
	x->subkey = sub ? strdup(sub) : NULL;
	x->value = strdup(val);
	ini->n++;
	if (!x->section || !x->key || (sub && !x->subkey) || !x->value)
		return -1;
	return 0;
}

/* One "key = value" line, split in place. */
static int
split_kv(char *line, char **k, char **v)
{
	char *eq = strchr(line, '=');

	if (eq == NULL)
		return -1;
	*eq = '\0';
	*k = strip(line);
	*v = strip(eq + 1);
	return **k == '\0' ? -1 : 0;
}

static int
parse_line(struct awsini *ini, char *line, char *sec, size_t seclen,
    char *parent, size_t parlen, const char **why)
{
	bool indented = isspace((unsigned char)line[0]);
	char *s = strip(line), *k, *v, *end;

	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		if ((end = strrchr(s, ']')) == NULL || end[1] != '\0')
			return *why = "unterminated section header", -1;
		*end = '\0';
		strlcpy(sec, strip(s + 1), seclen);
		parent[0] = '\0';
		return 0;
	}
	if (sec[0] == '\0')
		return *why = "key outside any [section]", -1;
	if (split_kv(s, &k, &v) == -1)
		return *why = "expected 'key = value'", -1;
	if (indented && parent[0] != '\0')
		return add(ini, sec, parent, k, v) == -1
		    ? (*why = "out of memory or too many entries", -1)
		    : 0;
	strlcpy(parent, *v == '\0' ? k : "", parlen);
	if (add(ini, sec, k, NULL, v) == -1)
		return *why = "out of memory or too many entries", -1;
	return 0;
}

int
awsini_parse(const char *name, const char *buf, size_t len, struct awsini **out,
    struct errbuf *err)
{
	struct awsini *ini;
	char sec[256] = "", parent[256] = "", *copy, *line, *next;
	const char *why = NULL;
	size_t lineno = 0;

	if ((ini = calloc(1, sizeof(*ini))) == NULL ||
	    (copy = strndup(buf, len)) == NULL) {
		free(ini);
		return errbuf_set(err, "%s: out of memory", name);
	}
	for (line = copy; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (parse_line(ini, line, sec, sizeof(sec), parent,
		        sizeof(parent), &why) == -1)
			break;
	}
	free(copy);
	if (why != NULL) {
		awsini_free(ini);
		return errbuf_set(err, "%s:%zu: %s", name, lineno, why);
	}
	*out = ini;
	return 0;
}

void
awsini_free(struct awsini *ini)
{
	size_t i;

	if (ini == NULL)
		return;
	for (i = 0; i < ini->n; i++) {
		free(ini->e[i].section);
		free(ini->e[i].key);
		free(ini->e[i].subkey);
		free(ini->e[i].value);
	}
	free(ini->e);
	free(ini);
}

const char *
awsini_get(const struct awsini *ini, const char *section, const char *key,
    const char *subkey)
{
	const struct awsini_entry *x;
	const char *found = NULL;
	size_t i;

	if (ini == NULL)
		return NULL;
	for (i = 0; i < ini->n; i++) {
		x = &ini->e[i];
		if (strcmp(x->section, section) != 0 ||
		    strcmp(x->key, key) != 0)
			continue;
		if (subkey == NULL && x->subkey == NULL)
			found = x->value;
		else if (subkey != NULL && x->subkey != NULL &&
		    strcmp(x->subkey, subkey) == 0)
			found = x->value;
	}
	return found;
}

static bool
has_section(const struct awsini *ini, const char *section)
{
	size_t i;

	for (i = 0; ini != NULL && i < ini->n; i++)
		if (strcmp(ini->e[i].section, section) == 0)
			return true;
	return false;
}

const char *
awsini_profile_get(const struct awsini *ini, bool config_file,
    const char *profile, const char *key, const char *subkey)
{
	char sec[300];
	const char *v = NULL;

	if (ini == NULL)
		return NULL;
	if (config_file) {
		snprintf(sec, sizeof(sec), "profile %s", profile);
		v = awsini_get(ini, sec, key, subkey);
		if (v != NULL ||
		    (has_section(ini, sec) && strcmp(profile, "default") != 0))
			return v;
	}
	return awsini_get(ini, profile, key, subkey);
}

bool
awsini_has_profile(
    const struct awsini *ini, bool config_file, const char *profile)
{
	char sec[300];

	snprintf(sec, sizeof(sec), "profile %s", profile);
	return (config_file && has_section(ini, sec)) ||
	    has_section(ini, profile);
}
