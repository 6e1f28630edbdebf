/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * confedit: line-based editing of the links: list of a YAML config (see
 * include/linkshim/confedit.h for the accepted shapes).  The file is
 * split into lines; the block of the top-level links: key is found, the
 * entry with the same name replaced or a new one appended after the
 * block's last entry, and the lines joined again.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "linkshim/confedit.h"

struct lines {
	char **l;
	size_t n;
};

static void
lines_free(struct lines *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		free(ls->l[i]);
	free(ls->l);
}

static int
lines_split(const char *text, struct lines *ls)
{
	const char *p = text, *nl;
	char **nlp;

	memset(ls, 0, sizeof(*ls));
	while (*p != '\0') {
		nl = strchr(p, '\n');
		if ((nlp = reallocarray(ls->l, ls->n + 1, sizeof(char *))) ==
		    NULL)
			return -1;
		ls->l = nlp;
		ls->l[ls->n] = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
		if (ls->l[ls->n++] == NULL)
			return -1;
		p = nl ? nl + 1 : p + strlen(p);
	}
	return 0;
}

static size_t
indent(const char *s)
{
	return strspn(s, " ");
}

/* Blank or comment-only line. */
static bool
is_blank(const char *s)
{
	s += strspn(s, " \t");
	return *s == '\0' || *s == '#';
}

/* The name of a "- name: X" line (quotes and trailing dot removed) into
 * out; false when the line is not such an entry start. */
static bool
entry_name(const char *s, char *out, size_t len)
{
	size_t l;

	s += indent(s);
	if (s[0] != '-' || s[1] != ' ')
		return false;
	s += 1 + strspn(s + 1, " ");
	if (strncmp(s, "name:", 5) != 0)
		return false;
	s += 5 + strspn(s + 5, " ");
	if (*s == '"' || *s == '\'')
		s++;
	l = strcspn(s, "\"' #");
	if (l > 0 && s[l - 1] == '.')
		l--;
	if (l >= len)
		return false;
	memcpy(out, s, l);
	out[l] = '\0';
	return true;
}

static bool
name_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 253)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("-._*", *s) == NULL)
			return false;
	return true;
}

/* The YAML of link at dash indentation ind (a new string). */
static char *
entry_text(const struct confedit_link *link, size_t ind)
{
	char *b = NULL;
	size_t len = 0, i;
	FILE *f;

	if ((f = open_memstream(&b, &len)) == NULL)
		return NULL;
	fprintf(f, "%*s- name: %s\n", (int)ind, "", link->name);
	fprintf(f, "%*s  target: %s\n", (int)ind, "", link->target);
	if (link->nzonal > 0)
		fprintf(f, "%*s  zonal:\n", (int)ind, "");
	for (i = 0; i < link->nzonal; i++)
		fprintf(f, "%*s    %s: %s\n", (int)ind, "", link->zonal_az[i],
		    link->zonal_target[i]);
	if (link->ttl > 0)
		fprintf(f, "%*s  ttl: %u\n", (int)ind, "", link->ttl);
	if (fclose(f) != 0) {
		free(b);
		return NULL;
	}
	return b;
}

/* ls with lines [from, to) replaced by insert (which ends in '\n'). */
static char *
join(const struct lines *ls, size_t from, size_t to, const char *insert)
{
	size_t i, len = strlen(insert) + 1;
	char *out, *p;

	for (i = 0; i < ls->n; i++)
		len += strlen(ls->l[i]) + 1;
	if ((out = malloc(len)) == NULL)
		return NULL;
	p = out;
	for (i = 0; i <= ls->n; i++) {
		if (i == from) {
			memcpy(p, insert, strlen(insert));
			p += strlen(insert);
		}
		if (i == ls->n)
			break;
		if (i >= from && i < to)
			continue;
		memcpy(p, ls->l[i], strlen(ls->l[i]));
		p += strlen(ls->l[i]);
		*p++ = '\n';
	}
	*p = '\0';
	return out;
}

/* Find the top-level "links:" line; *rest gets what follows the colon. */
static bool
find_links(const struct lines *ls, size_t *k, const char **rest)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		if (strncmp(ls->l[i], "links:", 6) == 0) {
			*k = i;
			*rest = ls->l[i] + 6 + strspn(ls->l[i] + 6, " \t");
			return true;
		}
	return false;
}

/* Edit inside the block list that starts after line k. */
static char *
edit_block(struct lines *ls, size_t k, const struct confedit_link *link)
{
	char nm[300], want[300], *ent, *out;
	size_t end, i, j = 0, e, last = k, dash = 2;
	bool found = false, have_dash = false;

	strlcpy(want, link->name, sizeof(want));
	if (want[0] != '\0' && want[strlen(want) - 1] == '.')
		want[strlen(want) - 1] = '\0';
	for (end = k + 1; end < ls->n; end++) {
		if (!is_blank(ls->l[end]) && indent(ls->l[end]) == 0 &&
		    ls->l[end][0] != '-')
			break;
		if (is_blank(ls->l[end]))
			continue;
		last = end;
		if (ls->l[end][indent(ls->l[end])] == '-' && !have_dash) {
			dash = indent(ls->l[end]);
			have_dash = true;
		}
		if (!found && entry_name(ls->l[end], nm, sizeof(nm)) &&
		    indent(ls->l[end]) == dash && strcasecmp(nm, want) == 0) {
			found = true;
			j = end;
		}
	}
	if (!found) {
		if ((ent = entry_text(link, dash)) == NULL)
			return NULL;
		out = join(ls, last + 1, last + 1, ent);
		free(ent);
		return out;
	}
	/* the entry runs until the next line at or left of its dash */
	for (e = j + 1, i = j; e < end; e++) {
		if (is_blank(ls->l[e]))
			continue;
		if (indent(ls->l[e]) <= dash)
			break;
		i = e;
	}
	if ((ent = entry_text(link, dash)) == NULL)
		return NULL;
	out = join(ls, j, i + 1, ent);
	free(ent);
	return out;
}

char *
confedit_apply(
    const char *text, const struct confedit_link *link, struct errbuf *err)
{
	struct lines ls;
	const char *rest;
	char *ent = NULL, *out = NULL, *t2 = NULL;
	bool has, empty_flow;
	size_t k = 0, i;

	if (!name_ok(link->name) || !name_ok(link->target)) {
		errbuf_set(err, "confedit: bad link name or target");
		return NULL;
	}
	for (i = 0; i < link->nzonal; i++)
		if (!name_ok(link->zonal_target[i]) ||
		    !name_ok(link->zonal_az[i])) {
			errbuf_set(err, "confedit: bad zonal name");
			return NULL;
		}
	if (lines_split(text, &ls) == -1) {
		lines_free(&ls);
		errbuf_set(err, "confedit: out of memory");
		return NULL;
	}
	has = find_links(&ls, &k, &rest);
	empty_flow = has && strncmp(rest, "[]", 2) == 0 && is_blank(rest + 2);
	if (has && !empty_flow && !is_blank(rest))
		errbuf_set(err,
		    "confedit: links: is not a block list; edit "
		    "the file by hand");
	else if (has && !empty_flow)
		out = edit_block(&ls, k, link);
	else if ((ent = entry_text(link, 2)) != NULL &&
	    asprintf(&t2, "links:\n%s", ent) >= 0)
		out = has ? join(&ls, k, k + 1, t2) : join(&ls, ls.n, ls.n, t2);
	free(t2);
	free(ent);
	if (out == NULL && err != NULL && err->msg[0] == '\0')
		errbuf_set(err, "confedit: out of memory");
	lines_free(&ls);
	return out;
}
