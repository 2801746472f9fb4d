/*
 * CLI: business hours per team (hours.status, rpc-hours.c): open or
 * closed, until when, the next holiday. --at takes a time expression
 * (when.h), read against the clock the daemon's rules use (clock.h), or
 * @EPOCH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "clock.h"
#include "proto-names.h"
#include "when.h"

static void
cli_hours_line(json_t *s)
{
	json_t	*hd;

	printf("%s: ", json_is_string(json_object_get(s, "team")) ?
	    cli_str(s, "team") : "default");
	if (!json_is_true(json_object_get(s, "configured"))) {
		printf("no business hours (always open)\n");
		return;
	}
	printf("%s", json_is_true(json_object_get(s, "open")) ? "open" :
	    "closed");
	if (json_is_string(json_object_get(s, "changes")))
		printf(" %s %s", json_is_true(json_object_get(s, "open")) ?
		    "until" : "opens", cli_str(s, "changes"));
	printf(" (%s, %s", cli_str(s, "timezone"), cli_str(s, "local"));
	if (strcmp(cli_str(s, "hours"), "default") == 0 &&
	    json_is_string(json_object_get(s, "team")))
		printf(", default hours");
	printf(")\n");
	if ((hd = json_object_get(s, "holiday")) != NULL)
		printf("  today is a holiday: %s %s\n", cli_str(hd, "date"),
		    cli_str(hd, "name"));
	if ((hd = json_object_get(s, "next_holiday")) != NULL)
		printf("  next holiday: %s %s\n", cli_str(hd, "date"),
		    cli_str(hd, "name"));
}

static void
cli_hours_print(json_t *r)
{
	json_t	*s;
	size_t	 i;

	if (json_object_get(r, "teams") == NULL) {
		cli_hours_line(r);
		return;
	}
	if (json_array_size(json_object_get(r, "teams")) == 0)
		printf("no business hours configured (every team is always "
		    "open); see [hours] in support-inbox.conf(5)\n");
	json_array_foreach(json_object_get(r, "teams"), i, s)
		cli_hours_line(s);
}

static int
cli_hours(struct client *c, struct cli_opts *o)
{
	const char	*at, *why;
	json_t		*params;
	int64_t		 t = 0;
	long long	 n;

	if (o->nargs > 1)
		return (cli_err("usage: support-inbox hours [TEAM] [--at WHEN] "
		    "[--json]"));
	if ((at = cli_flag(o, "at")) != NULL) {
		if (at[0] == '@') {
			if (cli_parse_int(at + 1, &n) != 0 || n < 1)
				return (cli_err("--at @EPOCH expects seconds "
				    "since 1970"));
			t = n;
		} else if (when_parse(at, (time_t)clock_now(), &t,
		    &why) != 0)
			return (cli_err("--at: %s", why));
	}
	params = json_object();
	if (o->nargs == 1)
		json_object_set_new(params, "team", json_string(o->args[0]));
	if (t != 0)
		json_object_set_new(params, "at", json_integer(t));
	return (cli_simple(c, o, PM_HOURS_STATUS, params, cli_hours_print));
}

const struct cli_entry cli_hours_table[] = {
	{ "hours", NULL, "hours [TEAM] [--at WHEN] [--json]", cli_hours },
	{ NULL, NULL, NULL, NULL }
};
