/* CLI: full-text search over conversations (search, rpc-search.c). */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"
#include "utf8.h"

static void
cli_search_print(json_t *r)
{
	json_t	*row, *m;
	size_t	 i;
	char	*name;

	if (json_is_true(json_object_get(r, "partial")))
		fprintf(stderr, "support-inbox: the search index is still "
		    "being built (%lld%%); results may be incomplete\n",
		    json_integer_value(json_object_get(r, "progress")));
	json_array_foreach(json_object_get(r, "rows"), i, row) {
		m = json_object_get(row, "match");
		/* By display width: a byte count would cut a character. */
		name = utf8_pad(cli_str(row, "name"), 20, 0);
		printf("%6lld  %-8s %s %-7s %s\n",
		    json_integer_value(json_object_get(row, "id")),
		    cli_str(row, "state"), name, cli_str(m, "kind"),
		    cli_str(m, "snippet"));
		free(name);
	}
}

static int
cli_search(struct client *c, struct cli_opts *o)
{
	json_t		*params;
	const char	*f;
	char		*q;
	long long	 v;

	if (o->nargs < 1)
		return (cli_err("usage: support-inbox search WORDS... "
		    "[status:S] [assignee:A] [label:L] [from:DATE] [to:DATE] "
		    "[in:] [out:] [--limit N] [--purpose TEXT]"));
	q = cli_join(o, 0);
	params = json_pack("{ss}", "q", q);
	free(q);
	if ((f = cli_flag(o, "limit")) != NULL) {
		if (cli_parse_int(f, &v) != 0)
			return (cli_err("--limit expects a number"));
		json_object_set_new(params, "limit", json_integer(v));
	}
	if ((f = cli_flag(o, "purpose")) != NULL)
		json_object_set_new(params, "purpose", json_string(f));
	return (cli_simple(c, o, PM_SEARCH, params, cli_search_print));
}

const struct cli_entry cli_search_table[] = {
	{ "search", NULL, "search WORDS... [status: assignee: label: from: "
	    "to: in: out:] [--limit N] [--purpose TEXT]", cli_search },
	{ NULL, NULL, NULL, NULL }
};
