/*
 * CLI: event hooks (hook.*, rpc-hook.c; doc/integrations.md): the
 * deliveries and the dead-letter list, a dead one sent again, a test.
 * --json prints each method's answer as is.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

static void
cli_hook_list_print(json_t *r)
{
	json_t	*d;
	size_t	 i;
	char	 when[64];

	printf("%-6s %-16s %-24s %-9s %8s  %-24s %s\n", "ID", "HOOK", "EVENT",
	    "STATE", "ATTEMPTS", "NEXT", "LAST ERROR");
	json_array_foreach(json_object_get(r, "deliveries"), i, d) {
		if (json_integer_value(json_object_get(d, "next_attempt")) > 0)
			cli_when(json_integer_value(json_object_get(d,
			    "next_attempt")), when, sizeof when);
		else
			snprintf(when, sizeof when, "-");
		printf("%-6lld %-16s %-24s %-9s %8lld  %-24s %s\n",
		    (long long)json_integer_value(json_object_get(d, "id")),
		    cli_str(d, "hook"), cli_str(d, "event"),
		    cli_str(d, "state"), (long long)json_integer_value(
		    json_object_get(d, "attempts")), when,
		    cli_str(d, "last_error"));
	}
}

static int
cli_hook_list(struct client *c, struct cli_opts *o)
{
	json_t	*params = json_object();

	if (o->nargs != 0)
		return (cli_err("usage: support-inbox hook list [--failed]"));
	if (cli_flag(o, "failed") != NULL)
		json_object_set_new(params, "failed", json_true());
	return (cli_simple(c, o, PM_HOOK_LIST, params, cli_hook_list_print));
}

static void
cli_hook_retry_print(json_t *r)
{
	printf("%lld dead deliveries sent again\n",
	    (long long)json_integer_value(json_object_get(r, "retried")));
}

static int
cli_hook_retry(struct client *c, struct cli_opts *o)
{
	long long	id;

	if (o->nargs == 0 && cli_flag(o, "all-failed") != NULL)
		return (cli_simple(c, o, PM_HOOK_RETRY, json_pack("{sb}",
		    "all_failed", 1), cli_hook_retry_print));
	if (o->nargs != 1)
		return (cli_err("usage: support-inbox hook retry ID|"
		    "--all-failed"));
	if (cli_parse_positive(o->args[0], "hook retry", &id) != 0)
		return (1);
	return (cli_simple(c, o, PM_HOOK_RETRY, json_pack("{sI}", "id",
	    (json_int_t)id), cli_hook_retry_print));
}

static void
cli_hook_test_print(json_t *r)
{
	printf("test delivery %lld for hook %s recorded; see hook list\n",
	    (long long)json_integer_value(json_object_get(r, "id")),
	    cli_str(r, "hook"));
}

static int
cli_hook_test(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 1)
		return (cli_err("usage: support-inbox hook test NAME"));
	return (cli_simple(c, o, PM_HOOK_TEST, json_pack("{ss}", "name",
	    o->args[0]), cli_hook_test_print));
}

const struct cli_entry cli_hook_table[] = {
	{ "hook", "list", "hook list [--failed]", cli_hook_list },
	{ "hook", "retry", "hook retry ID|--all-failed", cli_hook_retry },
	{ "hook", "test", "hook test NAME", cli_hook_test },
	{ NULL, NULL, NULL, NULL }
};
