/*
 * CLI: "new", starting a conversation (conv.start, rpc-conv-start.c): the
 * number as the agent has it (the daemon normalises it with [contacts]
 * default_country) or contact:N, and a template built from the same
 * options as "reply --template" (cli_send_template).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

#define CLI_CONV_START_USAGE \
	"new NUMBER|contact:N --template NAME --lang CODE [--param V]... " \
	"[--header-link URL | --header-file FILE [--mime TYPE]] " \
	"[--team TEAM] [--from LABEL] [--force]"

static int
cli_conv_start(struct client *c, struct cli_opts *o)
{
	const char	*who, *s;
	json_t		*params, *r;
	long long	 id;
	int64_t		 up;

	if (o->nargs != 1 || cli_flag(o, "template") == NULL)
		return (cli_err("usage: support-inbox " CLI_CONV_START_USAGE));
	who = o->args[0];
	if (strncmp(who, "contact:", 8) == 0) {
		if (cli_parse_positive(who + 8, "contact:N", &id) != 0)
			return (1);
		params = json_pack("{sI}", "contact", (json_int_t)id);
	} else
		params = json_pack("{ss}", "number", who);
	if (params == NULL)
		return (cli_err("the number is not valid UTF-8"));
	if ((s = cli_flag(o, "team")) != NULL)
		json_object_set_new(params, "team", json_string(s));
	if ((s = cli_flag(o, "from")) != NULL)
		json_object_set_new(params, "from", json_string(s));
	if (cli_flag(o, "force") != NULL)
		json_object_set_new(params, "force", json_true());
	if (cli_send_template(c, o, params) != 0) {
		json_decref(params);
		return (1);
	}
	up = json_integer_value(json_object_get(params, "upload"));
	if ((r = cli_call(c, PM_CONV_START, params)) == NULL) {
		/* Refused before the daemon took the upload: drop it. */
		cli_send_abort(c, up);
		return (1);
	}
	if (o->json)
		return (cli_print_free(r));
	printf("conversation %lld started: message %lld queued%s%s\n",
	    (long long)json_integer_value(json_object_get(r, "conversation")),
	    (long long)json_integer_value(json_object_get(r, "message")),
	    json_is_true(json_object_get(r, "new_contact")) ?
	    " (new contact)" : "",
	    json_is_string(json_object_get(r, "team")) ? ", for the team" :
	    "");
	json_decref(r);
	return (0);
}

const struct cli_entry cli_conv_start_table[] = {
	{ "new", NULL, CLI_CONV_START_USAGE, cli_conv_start },
	{ NULL, NULL, NULL, NULL }
};
