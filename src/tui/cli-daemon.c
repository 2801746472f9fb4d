/* CLI: the daemon itself (daemon.*, rpc-daemon.c): reload. */
#include <stdio.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

static int
cli_daemon_reload(struct client *c, struct cli_opts *o)
{
	json_t	*r, *v;
	size_t	 i;

	if ((r = cli_call(c, PM_DAEMON_RELOAD, NULL)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else if (json_array_size(json_object_get(r, "changed")) == 0)
		printf("reloaded; nothing changed\n");
	else {
		json_array_foreach(json_object_get(r, "changed"), i, v)
			printf("%s\n", json_string_value(v));
	}
	json_decref(r);
	return (0);
}

const struct cli_entry cli_daemon_table[] = {
	{ "reload", NULL, "reload [--json]", cli_daemon_reload },
	{ NULL, NULL, NULL, NULL }
};
