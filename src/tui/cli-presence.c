/*
 * CLI: who is viewing or typing in a conversation, and being there
 * (presence.*, rpc-presence.c); presence lasts as long as the connection,
 * which cli_session_wait (cli-session.c) keeps.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

static void
cli_presence_print(json_t *r)
{
	static const char	*lists[] = { "viewing", "typing", "online" };
	json_t			*v;
	size_t			 i, l;

	for (l = 0; l < sizeof lists / sizeof lists[0]; l++) {
		printf("%s:", lists[l]);
		json_array_foreach(json_object_get(r, lists[l]), i, v)
			printf(" %s", json_string_value(v));
		printf("\n");
	}
}

static int
cli_presence_show(struct client *c, struct cli_opts *o)
{
	json_int_t	id = 0;

	if (o->nargs > 1 || (o->nargs == 1 &&
	    cli_conv_arg(o->args[0], &id) != 0))
		return (cli_err("usage: support-inbox presence show [CONV]"));
	return (cli_simple(c, o, PM_PRESENCE_GET, id != 0 ? json_pack("{sI}",
	    "conversation", id) : NULL, cli_presence_print));
}

static int
cli_presence_set(struct client *c, struct cli_opts *o)
{
	json_int_t	 id;
	json_t		*r;
	int64_t		 secs = 0;

	if (o->nargs < 1 || o->nargs > 2 || cli_conv_arg(o->args[0],
	    &id) != 0 || (o->nargs == 2 && strcmp(o->args[1], "typing") != 0))
		return (cli_err("usage: support-inbox presence set CONV "
		    "[typing] [--hold DURATION]"));
	if (cli_flag_duration(o, "hold", &secs) < 0)
		return (1);
	if ((r = cli_call(c, PM_PRESENCE_SET, json_pack("{sI sb sb}",
	    "conversation", id, "viewing", 1, "typing",
	    o->nargs == 2))) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	json_decref(r);
	/* Presence lasts as long as the connection. */
	if (secs > 0)
		return (cli_session_wait(c, secs, 0));
	return (0);
}

const struct cli_entry cli_presence_table[] = {
	{ "presence", "show", "presence show [CONV]", cli_presence_show },
	{ "presence", "set", "presence set CONV [typing] [--hold DURATION]",
	    cli_presence_set },
	{ NULL, NULL, NULL, NULL }
};
