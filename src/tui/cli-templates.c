/*
 * CLI: the message templates (templates.*, rpc-templates.c): syncing them
 * from the Cloud API and listing them. Sending one is "reply --template"
 * (cli-send.c).
 */
#include <stdio.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

static int
cli_templates_sync(struct client *c, struct cli_opts *o)
{
	json_t		*r, *l;
	int64_t		 id;
	int		 i;

	if ((r = cli_call(c, PM_TEMPLATES_SYNC, NULL)) == NULL)
		return (1);
	id = json_integer_value(json_object_get(r, "id"));
	/* The sync runs in the daemon's loop: wait for it (bounded). */
	for (i = 0; i < 600 && json_is_true(json_object_get(r, "running"));
	    i++) {
		json_decref(r);
		usleep(50000);
		if ((l = cli_call(c, PM_TEMPLATES_LIST, NULL)) == NULL)
			return (1);
		r = json_incref(json_object_get(l, "sync"));
		json_decref(l);
		if (json_integer_value(json_object_get(r, "id")) != id)
			break;
	}
	if (o->json)
		cli_print_json(r);
	else if (json_is_true(json_object_get(r, "ok")))
		printf("synced %lld template(s)\n", json_integer_value(
		    json_object_get(r, "count")));
	else
		cli_err("template sync failed: %s", json_string_value(
		    json_object_get(r, "error")) != NULL ? json_string_value(
		    json_object_get(r, "error")) : "still running");
	i = json_is_true(json_object_get(r, "ok")) ? 0 : 1;
	json_decref(r);
	return (i);
}

static int
cli_templates_list(struct client *c, struct cli_opts *o)
{
	json_t	*r, *t;
	size_t	 i;

	if ((r = cli_call(c, PM_TEMPLATES_LIST, NULL)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else {
		json_array_foreach(json_object_get(r, "templates"), i, t)
			printf("%-32s %-6s %-14s %s\n", json_string_value(
			    json_object_get(t, "name")), json_string_value(
			    json_object_get(t, "language")), json_string_value(
			    json_object_get(t, "category")) != NULL ?
			    json_string_value(json_object_get(t, "category")) :
			    "-", json_string_value(json_object_get(t,
			    "status")) != NULL ? json_string_value(
			    json_object_get(t, "status")) : "-");
	}
	json_decref(r);
	return (0);
}

const struct cli_entry cli_templates_table[] = {
	{ "templates", "sync", "templates sync", cli_templates_sync },
	{ "templates", "list", "templates list [--json]", cli_templates_list },
	{ NULL, NULL, NULL, NULL }
};
