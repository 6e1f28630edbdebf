/*
 * Copyright (c) 2026 The linkshim authors. ISC licence, see LICENSE.
 *
 * conf_names: the names check of conf_validate().  Links and zone records
 * only conflict with each other once they are put in one name table (a
 * link at a record's name, a CNAME beside other data, a record that
 * falls in another zone), so rather than repeat those rules here the
 * check builds a throwaway zonetab from the config with the very code the
 * daemon uses (zonetab_build_at()), and maps the input it failed on back
 * to its place in the YAML document.  `linkshimd -n` therefore refuses
 * exactly what the daemon would refuse, with file:line:col.  Nothing here
 * logs.
 */
#include <string.h>

#include <yaml.h>

#include "core/conf_internal.h"
#include "core/zonetab_int.h"
#include "linkshim/zonetab.h"

/* The value node of key in mapping node m, or NULL. */
static yaml_node_t *
names_map_get(yaml_document_t *doc, yaml_node_t *m, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	if (m == NULL || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

/* Item i of sequence node s, or NULL. */
static yaml_node_t *
names_seq_get(yaml_document_t *doc, yaml_node_t *s, int i)
{
	if (s == NULL || s->type != YAML_SEQUENCE_NODE || i < 0 ||
	    i >= s->data.sequence.items.top - s->data.sequence.items.start)
		return NULL;
	return yaml_document_get_node(doc, s->data.sequence.items.start[i]);
}

/* The YAML node of the input where names: a record, a zone or a link (the
 * walk keeps them in document order, one per sequence item).  Falls back
 * to the enclosing list, then the root. */
static yaml_node_t *
names_node(struct conf_walk *w, const struct zt_where *where)
{
	yaml_node_t *root = yaml_document_get_root_node(w->doc), *n, *z;

	if (where->link >= 0) {
		n = names_map_get(w->doc, root, "links");
		z = names_seq_get(w->doc, n, where->link);
		return z != NULL ? z : n != NULL ? n : root;
	}
	if (where->zone >= 0) {
		n = names_map_get(w->doc, root, "zones");
		if ((z = names_seq_get(w->doc, n, where->zone)) == NULL)
			return n != NULL ? n : root;
		n = names_seq_get(
		    w->doc, names_map_get(w->doc, z, "records"), where->rrset);
		return n != NULL ? n : z;
	}
	return root;
}

/* The names error at where, with its position.  conf_load_buffer() has
 * freed the document by now (peak RSS), so it is loaded again from the
 * text: an error is rare, a second parse cheap next to a zonetab. */
static int
names_error(struct conf_walk *w, const struct zt_where *where, const char *msg)
{
	static const char expect[] =
	    "expected each name defined once by the links and zone "
	    "records together, a CNAME alone at its name";
	yaml_parser_t parser;
	yaml_document_t doc;
	int rv;

	if (w->doc != NULL)
		return conf_walk_error(
		    w, names_node(w, where), "%s, %s", msg, expect);
	if (!yaml_parser_initialize(&parser))
		return errbuf_set(w->err, "%s: out of memory", w->name);
	if (conf_input_attach(&parser, w->in) == -1 ||
	    !yaml_parser_load(&parser, &doc)) {
		yaml_parser_delete(&parser);
		return errbuf_set(w->err, "%s: %s, %s", w->name, msg, expect);
	}
	w->doc = &doc;
	if (yaml_document_get_root_node(&doc) == NULL)
		rv = errbuf_set(w->err, "%s: %s, %s", w->name, msg, expect);
	else
		rv = conf_walk_error(
		    w, names_node(w, where), "%s, %s", msg, expect);
	w->doc = NULL;
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rv;
}

int
conf_check_names(struct conf_walk *w, const struct conf *c)
{
	struct zonetab *zt = NULL;
	struct zt_where where;
	struct errbuf zerr = {""};

	if (zonetab_build_at(c->links, c->nlinks, c->zones, c->nzones,
	        c->forward, c->nforward, c->availability_zone, &zt, &zerr,
	        &where) == 0) {
		zonetab_free(zt);
		return 0;
	}
	if (strcmp(zerr.msg, "out of memory") == 0)
		return errbuf_set(w->err, "%s: out of memory", w->name);
	return names_error(w, &where, zerr.msg);
}
