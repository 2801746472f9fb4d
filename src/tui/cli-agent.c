/*
 * CLI: the agents (agent.*, rpc-agent.c): adding, listing, enabling,
 * disabling and removing them, their role, and the team and capacity
 * auto-assignment goes by.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "names.h"
#include "proto-names.h"

/* --to AGENT or --queue (the default): who gets the conversations. */
static int
cli_agent_to(struct cli_opts *o, json_t *params)
{
	const char	*to = cli_flag(o, "to");

	if (to != NULL && cli_flag(o, "queue") != NULL) {
		cli_err("--to AGENT or --queue, not both");
		return (-1);
	}
	if (to != NULL)
		json_object_set_new(params, "to", json_string(to));
	return (0);
}

static void
cli_agent_handed(json_t *r, const char *to)
{
	json_int_t	n = json_integer_value(json_object_get(r,
			    "handed_back"));

	printf("%lld conversation%s handed %s%s\n", (long long)n,
	    n == 1 ? "" : "s", to != NULL ? "to " : "back to the queue",
	    to != NULL ? to : "");
}

static int
cli_agent(struct client *c, struct cli_opts *o, const char *method,
    int nargs)
{
	json_t		*params, *r, *a;
	const char	*role = NULL;
	enum agent_role	 v;
	size_t		 i;

	if (o->nargs != nargs)
		return (cli_err("usage: support-inbox agent %s%s",
		    method + 6, nargs == 0 ? "" : strcmp(method, PM_AGENT_ROLE)
		    == 0 ? " NAME ROLE" : strcmp(method, PM_AGENT_ADD) == 0 ?
		    " NAME [--role " NAMES_LIST(NAMES_ROLES, "|") "]" :
		    " NAME"));
	if (strcmp(method, PM_AGENT_ROLE) == 0)
		role = o->args[1];
	else if (strcmp(method, PM_AGENT_ADD) == 0)
		role = cli_flag(o, "role");
	if (role != NULL && names_role_from(role, &v) != 0)
		return (cli_err("a role is one of "
		    NAMES_LIST(NAMES_ROLES, ", ")));
	params = json_object();
	if (nargs >= 1)
		json_object_set_new(params, "name", json_string(o->args[0]));
	if (role != NULL)
		json_object_set_new(params, "role", json_string(names_role(v)));
	if (strcmp(method, PM_AGENT_LIST) == 0 && cli_flag(o, "all") != NULL)
		json_object_set_new(params, "all", json_true());
	if (strcmp(method, PM_AGENT_DISABLE) == 0 &&
	    cli_agent_to(o, params) != 0) {
		json_decref(params);
		return (1);
	}
	if ((r = cli_call(c, method, params)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else if (json_is_array(r)) {
		json_array_foreach(r, i, a) {
			printf("%-20s %-10s %s%s\n", json_string_value(
			    json_object_get(a, "name")), json_string_value(
			    json_object_get(a, "role")), json_is_true(
			    json_object_get(a, "removed")) ? "removed" :
			    json_is_true(json_object_get(a, "active")) ?
			    "active" : "disabled", json_integer_value(
			    json_object_get(a, "away")) > 0 ? ", away" : "");
		}
	} else
		printf("%s: %s, %s\n", json_string_value(json_object_get(r,
		    "name")), json_string_value(json_object_get(r, "role")),
		    strcmp(method, PM_AGENT_ADD) == 0 ? "added" :
		    json_is_true(json_object_get(r, "active")) ? "active" :
		    "disabled");
	if (!o->json && json_object_get(r, "handed_back") != NULL)
		cli_agent_handed(r, cli_flag(o, "to"));
	json_decref(r);
	return (0);
}

static int
cli_agent_add(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, PM_AGENT_ADD, 1));
}

static int
cli_agent_list(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, PM_AGENT_LIST, 0));
}

static int
cli_agent_disable(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, PM_AGENT_DISABLE, 1));
}

static int
cli_agent_enable(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, PM_AGENT_ENABLE, 1));
}

/* agent remove NAME [--to AGENT|--queue]: someone left, for good. */
static int
cli_agent_remove(struct client *c, struct cli_opts *o)
{
	json_t	*params, *r;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox agent remove NAME "
		    "[--to AGENT|--queue]"));
	params = json_pack("{ss}", "name", o->args[0]);
	if (cli_agent_to(o, params) != 0) {
		json_decref(params);
		return (1);
	}
	if ((r = cli_call(c, PM_AGENT_REMOVE, params)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else {
		printf("%s: removed\n", json_string_value(json_object_get(r,
		    "name")));
		cli_agent_handed(r, cli_flag(o, "to"));
	}
	json_decref(r);
	return (0);
}

static int
cli_agent_role(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, PM_AGENT_ROLE, 2));
}

static int
cli_agent_team(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 2)
		return (cli_err("usage: support-inbox agent team NAME "
		    "TEAM|none"));
	return (cli_simple(c, o, PM_AGENT_TEAM, json_pack("{ss ss}", "name",
	    o->args[0], "team", o->args[1]), NULL));
}

static int
cli_agent_capacity(struct client *c, struct cli_opts *o)
{
	long long	v;

	if (o->nargs != 2 || cli_parse_int(o->args[1], &v) != 0)
		return (cli_err("usage: support-inbox agent capacity NAME N"));
	return (cli_simple(c, o, PM_AGENT_CAPACITY, json_pack("{ss sI}", "name",
	    o->args[0], "capacity", (json_int_t)v), NULL));
}

/* agent name LOGIN "Maya K.": the name customers read in replies. */
static int
cli_agent_name(struct client *c, struct cli_opts *o)
{
	json_t	*r;

	if (o->nargs != 2)
		return (cli_err("usage: support-inbox agent name NAME "
		    "\"DISPLAY NAME\" (\"\" clears it)"));
	if ((r = cli_call(c, PM_AGENT_NAME, json_pack("{ss ss}", "name",
	    o->args[0], "display", o->args[1]))) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else
		printf("%s: replies are signed \"%s\"\n", json_string_value(
		    json_object_get(r, "name")), json_string_value(
		    json_object_get(r, "display_name")));
	json_decref(r);
	return (0);
}

/*
 * away [NAME] / available [NAME]: say you are away (auto-assignment passes you
 * by, the floor says so) or back; a supervisor for someone else.
 */
static int
cli_agent_away_set(struct client *c, struct cli_opts *o, int away)
{
	json_t	*r, *p;

	if (o->nargs > 1)
		return (cli_err("usage: support-inbox %s [NAME]", away ?
		    "away" : "available"));
	p = json_pack("{sb}", "away", away);
	if (o->nargs == 1)
		json_object_set_new(p, "name", json_string(o->args[0]));
	if ((r = cli_call(c, PM_AGENT_AWAY, p)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else if (away)
		printf("%s: away (no conversations are assigned "
		    "automatically; 'support-inbox available' ends it)\n",
		    cli_str(r, "name"));
	else
		printf("%s: available\n", cli_str(r, "name"));
	json_decref(r);
	return (0);
}

static int
cli_agent_away(struct client *c, struct cli_opts *o)
{
	return (cli_agent_away_set(c, o, 1));
}

static int
cli_agent_available(struct client *c, struct cli_opts *o)
{
	return (cli_agent_away_set(c, o, 0));
}

const struct cli_entry cli_agent_table[] = {
	{ "agent", "add", "agent add NAME [--role ROLE]", cli_agent_add },
	{ "agent", "list", "agent list [--all]", cli_agent_list },
	{ "agent", "disable", "agent disable NAME [--to AGENT|--queue]",
	    cli_agent_disable },
	{ "agent", "enable", "agent enable NAME", cli_agent_enable },
	{ "agent", "role", "agent role NAME " NAMES_LIST(NAMES_ROLES, "|"),
	    cli_agent_role },
	{ "agent", "name", "agent name NAME \"DISPLAY NAME\"",
	    cli_agent_name },
	{ "agent", "remove", "agent remove NAME [--to AGENT|--queue]",
	    cli_agent_remove },
	{ NULL, NULL, NULL, NULL }
};

const struct cli_entry cli_agent_assign_table[] = {
	{ "agent", "team", "agent team NAME TEAM|none", cli_agent_team },
	{ "agent", "capacity", "agent capacity NAME N", cli_agent_capacity },
	{ "away", NULL, "away [NAME]", cli_agent_away },
	{ "available", NULL, "available [NAME]", cli_agent_available },
	{ NULL, NULL, NULL, NULL }
};
