/*
 * CLI: "call", any protocol method by its name, raw, for scripts and
 * tests. It belongs to no one namespace; it is here because meta.*
 * (rpc-meta.c) is the protocol speaking about itself (meta.methods lists
 * what call can call), and cli.c holds helpers, not commands.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"

/* support-inbox call METHOD [JSON]: the raw method, result as JSON. */
static int
cli_meta_call(struct client *c, struct cli_opts *o)
{
	json_t		*p = NULL, *r;
	json_error_t	 e;
	char		*s;

	if (o->nargs < 1 || o->nargs > 2)
		return (cli_err("usage: support-inbox call METHOD [JSON]"));
	if (o->nargs == 2 && (p = json_loads(o->args[1], 0, &e)) == NULL)
		return (cli_err("params: %s", e.text));
	if (p != NULL && !json_is_object(p)) {
		json_decref(p);
		return (cli_err("params must be a JSON object"));
	}
	if ((r = cli_call(c, o->args[0], p)) == NULL)
		return (1);
	s = json_dumps(r, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_ENSURE_ASCII);
	printf("%s\n", s);
	free(s);
	json_decref(r);
	return (0);
}

const struct cli_entry cli_meta_table[] = {
	{ "call", NULL, "call METHOD [JSON]", cli_meta_call },
	{ NULL, NULL, NULL, NULL }
};
