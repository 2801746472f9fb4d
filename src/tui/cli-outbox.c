/*
 * CLI: the outbox (outbox.*, rpc-outbox.c): what is queued or failed,
 * sending a failed message again, and resuming sending after an alarm.
 */
#include <stdio.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

static int
cli_outbox_list(struct client *c, struct cli_opts *o)
{
	json_t		*params, *r, *row, *a;
	const char	*s;
	long long	 v;
	size_t		 i;

	if (o->nargs != 0)
		return (cli_err("usage: support-inbox outbox [--failed] "
		    "[--state S] [--conv N] [--json]"));
	params = json_object();
	if (cli_flag(o, "failed") != NULL)
		json_object_set_new(params, "failed", json_true());
	if ((s = cli_flag(o, "state")) != NULL)
		json_object_set_new(params, "state", json_string(s));
	if ((s = cli_flag(o, "conv")) != NULL) {
		if (cli_parse_positive(s, "--conv", &v) != 0) {
			json_decref(params);
			return (1);
		}
		json_object_set_new(params, "conv", json_integer(v));
	}
	if ((r = cli_call(c, PM_OUTBOX_LIST, params)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else {
		json_array_foreach(json_object_get(r, "alarms"), i, a)
			printf("ALARM: %s (%s)\n", json_string_value(
			    json_object_get(a, "message")), json_string_value(
			    json_object_get(a, "fix")));
		json_array_foreach(json_object_get(r, "rows"), i, row) {
			printf("%6lld  conv %-6lld %-8s %-9s %lld attempt(s)%s%s\n",
			    json_integer_value(json_object_get(row, "message")),
			    json_integer_value(json_object_get(row,
			    "conversation")),
			    json_string_value(json_object_get(row, "type")),
			    json_string_value(json_object_get(row, "state")),
			    json_integer_value(json_object_get(row,
			    "attempts")),
			    json_object_get(row, "explain") != NULL ? "  " : "",
			    json_object_get(row, "explain") != NULL ?
			    json_string_value(json_object_get(row, "explain")) :
			    "");
		}
	}
	json_decref(r);
	return (0);
}

static int
cli_outbox_resume(struct client *c, struct cli_opts *o)
{
	json_t	*r;

	if ((r = cli_call(c, PM_OUTBOX_RESUME, NULL)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else
		printf("sending resumed\n");
	json_decref(r);
	return (0);
}

static int
cli_outbox_retry(struct client *c, struct cli_opts *o)
{
	long long	 msg;
	json_t		*r;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox retry MSG"));
	if (cli_parse_positive(o->args[0], "MSG", &msg) != 0)
		return (1);
	if ((r = cli_call(c, PM_OUTBOX_RETRY, json_pack("{sI}", "msg",
	    (json_int_t)msg))) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else
		printf("message %lld queued again\n", msg);
	json_decref(r);
	return (0);
}

const struct cli_entry cli_outbox_table[] = {
	{ "outbox", "resume", "outbox resume", cli_outbox_resume },
	{ "outbox", NULL, "outbox [--failed] [--state S] [--conv N] [--json]",
	  cli_outbox_list },
	{ "retry", NULL, "retry MSG", cli_outbox_retry },
	{ NULL, NULL, NULL, NULL }
};
