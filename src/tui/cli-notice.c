/*
 * CLI: the first-contact privacy notice (notice.*, rpc-notice.c): "notice
 * status" lists each configured notice, the numbers it is for, its
 * version and languages, and how many contacts were informed. A
 * contact's own "informed" entries are in "consent show" (cli-consent.c).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

static void
cli_notice_status_print(json_t *r)
{
	json_t	*n, *v;
	size_t	 i, j;

	json_array_foreach(json_object_get(r, "notices"), i, n) {
		printf("%s%s%s version %lld%s\n", strcmp(cli_str(n, "notice"),
		    "*") == 0 ? "[notice]" : "[notice ",
		    strcmp(cli_str(n, "notice"), "*") == 0 ? "" :
		    cli_str(n, "notice"), strcmp(cli_str(n, "notice"), "*") ==
		    0 ? "" : "]", (long long)json_integer_value(
		    json_object_get(n, "version")), json_is_true(
		    json_object_get(n, "enabled")) ? "" : " (disabled)");
		printf("  numbers:");
		json_array_foreach(json_object_get(n, "numbers"), j, v)
			printf(" %s", json_string_value(v));
		if (json_array_size(json_object_get(n, "numbers")) == 0)
			printf(" (none: another section covers each)");
		printf("\n  languages:");
		json_array_foreach(json_object_get(n, "languages"), j, v)
			printf(" %s%s", cli_str(v, "lang"), strcmp(cli_str(v,
			    "lang"), cli_str(n, "default_lang")) == 0 ?
			    " (default)" : "");
		printf("\n  informed: %lld contact(s) at this version, %lld "
		    "at any\n", (long long)json_integer_value(
		    json_object_get(n, "informed")),
		    (long long)json_integer_value(json_object_get(n,
		    "informed_any")));
	}
	if (json_array_size(json_object_get(r, "notices")) == 0)
		printf("no privacy notice configured (see [notice] in "
		    "support-inbox.conf(5))\n");
}

static int
cli_notice_status(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 0)
		return (cli_err("usage: support-inbox notice status [--json]"));
	return (cli_simple(c, o, PM_NOTICE_STATUS, NULL,
	    cli_notice_status_print));
}

const struct cli_entry cli_notice_table[] = {
	{ "notice", "status", "notice status", cli_notice_status },
	{ NULL, NULL, NULL, NULL }
};
