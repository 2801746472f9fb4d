/*
 * CLI: the floor (floor.get, rpc-floor.c), the figures of the TUI's
 * :floor view as a table, for a supervisor's terminal or a script
 * (--json). Aggregates and agents' names only.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "when.h"
#include "proto-names.h"

/* The floor's queues in the order both the CLI and the TUI show them. */
const char *const cli_floor_queues[] = { "open", "pending", "snoozed",
    "unassigned", "total", NULL };

void
cli_floor_wait(int64_t secs, char *buf, size_t len)
{
	if (secs <= 0)
		snprintf(buf, len, "-");
	else if (secs < 86400)
		when_dur_text(secs, buf, len);
	else
		snprintf(buf, len, "%lldd%02lldh", (long long)(secs / 86400),
		    (long long)(secs % 86400 / 3600));
}

static int64_t
cli_floor_int(json_t *o, const char *k)
{
	return ((int64_t)json_integer_value(json_object_get(o, k)));
}

static void
cli_floor_print(json_t *r)
{
	json_t		*t, *q, *a, *ob, *f;
	const char	*team;
	char		 w[32];
	size_t		 i, k;

	printf("%-16s %-10s %6s %8s %8s %8s\n", "TEAM", "QUEUE", "COUNT",
	    "LONGEST", "BREACHES", "CLOSING");
	json_array_foreach(json_object_get(r, "teams"), i, t) {
		team = json_is_string(json_object_get(t, "team")) ?
		    cli_str(t, "team") : "(none)";
		for (k = 0; cli_floor_queues[k] != NULL; k++) {
			q = json_object_get(json_object_get(t, "queues"),
			    cli_floor_queues[k]);
			cli_floor_wait(cli_floor_int(q, "longest_wait"), w,
			    sizeof w);
			printf("%-16.16s %-10s %6lld %8s %8lld %8lld\n",
			    k == 0 ? team : "", cli_floor_queues[k],
			    (long long)cli_floor_int(q, "count"), w,
			    (long long)cli_floor_int(q, "breaches"),
			    (long long)cli_floor_int(q, "window_closing"));
		}
	}
	if (json_array_size(json_object_get(r, "teams")) == 0)
		printf("(no open, pending or snoozed conversations)\n");
	printf("\n%-16s %-10s %-12s %-7s %-9s %s\n", "AGENT", "ROLE", "TEAM",
	    "ONLINE", "PRESENCE", "LOAD");
	json_array_foreach(json_object_get(r, "agents"), i, a)
		printf("%-16.16s %-10s %-12.12s %-7s %-9s %lld/%lld%s\n",
		    cli_str(a, "name"), cli_str(a, "role"),
		    json_is_string(json_object_get(a, "team")) ?
		    cli_str(a, "team") : "-",
		    json_is_true(json_object_get(a, "online")) ? "yes" : "no",
		    cli_str(a, "presence"), (long long)cli_floor_int(a,
		    "load"), (long long)cli_floor_int(a, "capacity"),
		    json_is_true(json_object_get(a, "over_capacity")) ?
		    "  over capacity" : "");
	ob = json_object_get(r, "outbox");
	cli_floor_wait(cli_floor_int(ob, "oldest_age"), w, sizeof w);
	printf("\noutbox: backlog %lld, held %lld, oldest %s%s\n",
	    (long long)cli_floor_int(ob, "backlog"),
	    (long long)cli_floor_int(ob, "held"), w,
	    json_is_true(json_object_get(ob, "paused")) ? ", paused" : "");
	printf("failures in the last 24 h:%s\n", json_array_size(
	    json_object_get(ob, "failures")) == 0 ? " none" : "");
	json_array_foreach(json_object_get(ob, "failures"), i, f)
		printf("  %6lld x%-5lld %s\n", (long long)cli_floor_int(f,
		    "code"), (long long)cli_floor_int(f, "count"),
		    cli_str(f, "reason"));
}

static int
cli_floor(struct client *c, struct cli_opts *o)
{
	if (o->nargs > 0)
		return (cli_err("usage: support-inbox floor [--json]"));
	return (cli_simple(c, o, PM_FLOOR_GET, NULL, cli_floor_print));
}

const struct cli_entry cli_floor_table[] = {
	{ "floor", NULL, "floor [--json]", cli_floor },
	{ NULL, NULL, NULL, NULL }
};
