/*
 * CLI: the satisfaction survey's results (survey.results, rpc-survey.c):
 * "survey results [--team T] [--agent A] [--since WHEN] [--json]", one
 * line per team, agent and scale, for reports and scripts.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

static void
cli_survey_results_print(json_t *r)
{
	json_t		*g, *dist, *v;
	const char	*k;
	size_t		 i;

	printf("%-16s %-16s %-6s %5s %8s %7s  %s\n", "TEAM", "AGENT", "SCALE",
	    "SENT", "ANSWERED", "AVERAGE", "DISTRIBUTION");
	json_array_foreach(json_object_get(r, "groups"), i, g) {
		printf("%-16s %-16s %-6s %5lld %8lld ",
		    json_is_string(json_object_get(g, "team")) ?
		    cli_str(g, "team") : "-",
		    json_is_string(json_object_get(g, "agent")) ?
		    cli_str(g, "agent") : "-", cli_str(g, "scale"),
		    (long long)json_integer_value(json_object_get(g, "sent")),
		    (long long)json_integer_value(json_object_get(g,
		    "answered")));
		if (json_is_number(json_object_get(g, "average")))
			printf("%7.2f ", json_number_value(json_object_get(g,
			    "average")));
		else
			printf("%7s ", "-");
		dist = json_object_get(g, "distribution");
		json_object_foreach(dist, k, v)
			printf(" %s:%lld", k, (long long)json_integer_value(v));
		printf("\n");
	}
	printf("%lld sent, %lld answered\n", (long long)json_integer_value(
	    json_object_get(r, "sent")), (long long)json_integer_value(
	    json_object_get(r, "answered")));
}

static int
cli_survey_results(struct client *c, struct cli_opts *o)
{
	json_t		*p;
	const char	*team = cli_flag(o, "team"), *agent = cli_flag(o,
			    "agent");
	int64_t		 since = 0;

	if (o->nargs != 0)
		return (cli_err("usage: support-inbox survey results [--team "
		    "TEAM] [--agent NAME] [--since WHEN] [--json]"));
	if (cli_flag_time(o, "since", 0, &since) < 0)
		return (1);
	p = json_object();
	if (team != NULL)
		json_object_set_new(p, "team", json_string(team));
	if (agent != NULL)
		json_object_set_new(p, "agent", json_string(agent));
	if (since > 0)
		json_object_set_new(p, "since", json_integer(since));
	return (cli_simple(c, o, PM_SURVEY_RESULTS, p,
	    cli_survey_results_print));
}

const struct cli_entry cli_survey_table[] = {
	{ "survey", "results", "survey results [--team TEAM] [--agent NAME] "
	    "[--since WHEN]", cli_survey_results },
	{ NULL, NULL, NULL, NULL }
};
