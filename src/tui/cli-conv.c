/* CLI: conversation views and opening a conversation. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "utf8.h"
#include "xmalloc.h"

static int
cli_list(struct client *c, struct cli_opts *o)
{
	json_t		*params, *r, *row;
	const char	*s;
	long long	 v;
	size_t		 i;
	char		 when[32], *name, *preview;

	if (o->nargs > 1)
		return (cli_err("usage: support-inbox list [VIEW] "
		    "[--offset N] [--limit N] [--json]"));
	params = json_object();
	json_object_set_new(params, "view", json_string(o->nargs == 1 ?
	    o->args[0] : "all"));
	if ((s = cli_flag(o, "offset")) != NULL) {
		if (cli_parse_int(s, &v) != 0)
			return (cli_err("--offset expects a number, not '%s'",
			    s));
		json_object_set_new(params, "offset", json_integer(v));
	}
	if ((s = cli_flag(o, "limit")) != NULL) {
		if (cli_parse_int(s, &v) != 0)
			return (cli_err("--limit expects a number, not '%s'",
			    s));
		json_object_set_new(params, "limit", json_integer(v));
	}
	if ((r = cli_call(c, "conv.list", params)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else {
		json_array_foreach(json_object_get(r, "rows"), i, row) {
			cli_when(json_integer_value(json_object_get(row,
			    "last_msg_at")), when, sizeof when);
			/* Columns by display width, not bytes (umlauts, CJK). */
			name = utf8_pad(json_string_value(json_object_get(row,
			    "name")), 20, 0);
			preview = utf8_trunc(json_string_value(
			    json_object_get(row, "preview")), 60, 0);
			printf("%6lld  %-8s %-16s %3lld  %s %s\n",
			    json_integer_value(json_object_get(row, "id")),
			    json_string_value(json_object_get(row, "state")),
			    when,
			    json_integer_value(json_object_get(row, "unread")),
			    name, preview);
			free(name);
			free(preview);
		}
	}
	json_decref(r);
	return (0);
}

static int
cli_show(struct client *c, struct cli_opts *o)
{
	json_t		*params, *r, *m, *body;
	const char	*s, *text;
	long long	 v;
	size_t		 i;
	char		 when[32];

	if (o->nargs != 1 || cli_parse_int(o->args[0], &v) != 0)
		return (cli_err("usage: support-inbox show CONV [--before "
		    "MSG] [--limit N] [--purpose TEXT] [--json]"));
	params = json_pack("{sI}", "id", (json_int_t)v);
	if ((s = cli_flag(o, "before")) != NULL) {
		if (cli_parse_int(s, &v) != 0)
			return (cli_err("--before expects a message id"));
		json_object_set_new(params, "before", json_integer(v));
	}
	if ((s = cli_flag(o, "limit")) != NULL) {
		if (cli_parse_int(s, &v) != 0)
			return (cli_err("--limit expects a number"));
		json_object_set_new(params, "limit", json_integer(v));
	}
	if ((s = cli_flag(o, "purpose")) != NULL)
		json_object_set_new(params, "purpose", json_string(s));
	if ((r = cli_call(c, "conv.show", params)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else {
		printf("conversation %lld with %s (%s)\n",
		    json_integer_value(json_object_get(json_object_get(r,
		    "conversation"), "id")), json_string_value(
		    json_object_get(json_object_get(r, "conversation"),
		    "name")), json_string_value(json_object_get(
		    json_object_get(r, "conversation"), "state")));
		json_array_foreach(json_object_get(r, "messages"), i, m) {
			body = json_object_get(m, "body");
			text = json_string_value(json_object_get(body, "text"));
			cli_when(json_integer_value(json_object_get(m, "ts")),
			    when, sizeof when);
			printf("%s %s [%s] %s\n", when, strcmp(
			    json_string_value(json_object_get(m, "direction")),
			    "in") == 0 ? "<" : ">", json_string_value(
			    json_object_get(m, "type")), text != NULL ? text :
			    "");
		}
	}
	json_decref(r);
	return (0);
}

const struct cli_entry cli_conv_table[] = {
	{ "list", NULL, "list [VIEW] [--offset N] [--limit N]", cli_list },
	{ "show", NULL, "show CONV [--before MSG] [--limit N] [--purpose TEXT]",
	    cli_show },
	{ NULL, NULL, NULL, NULL }
};
