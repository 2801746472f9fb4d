/*
 * CLI: conversations (conv.*, rpc-conv.c): the list and one thread, the
 * counts, assignment and team, states (resolve, reopen, pending, snooze),
 * priority, marking read and typing; and the CONV arguments the other
 * commands take. Putting labels on conversations (conv.label) is with the
 * label commands in cli-label.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "names.h"
#include "proto-names.h"
#include "utf8.h"
#include "when.h"
#include "xmalloc.h"

int
cli_conv_arg(const char *s, json_int_t *id)
{
	long long	v;

	if (cli_parse_int(s, &v) != 0 || v < 1)
		return (-1);
	*id = (json_int_t)v;
	return (0);
}

json_t *
cli_conv_ids(struct cli_opts *o, int from, int to)
{
	json_t		*ids;
	json_int_t	 id;
	int		 i;

	ids = json_array();
	for (i = from; i < to; i++) {
		if (cli_conv_arg(o->args[i], &id) != 0) {
			json_decref(ids);
			cli_err("'%s' is not a conversation id", o->args[i]);
			return (NULL);
		}
		json_array_append_new(ids, json_integer(id));
	}
	return (ids);
}

static int
cli_conv_list(struct client *c, struct cli_opts *o)
{
	json_t		*params, *r, *row;
	const char	*s, *view = NULL, *number;
	long long	 v;
	size_t		 i;
	int		 k;
	char		 when[32], *name, *preview, sla[48];

	/* A view and a number filter ("number:DE") in any order. */
	number = cli_flag(o, "number");
	view = cli_flag(o, "view");	/* --view breaching, as a word */
	for (k = 0; k < o->nargs; k++) {
		if (strncmp(o->args[k], "number:", 7) == 0 && number == NULL)
			number = o->args[k] + 7;
		else if (view == NULL)
			view = o->args[k];
		else
			view = "";
	}
	if (view != NULL && *view == '\0')
		return (cli_err("usage: support-inbox list [VIEW] "
		    "[number:LABEL] [--sort newest|waiting|window|priority] "
		    "[--offset N] [--limit N] [--json]"));
	params = json_object();
	json_object_set_new(params, "view", json_string(view != NULL ? view :
	    "all"));
	if (number != NULL)
		json_object_set_new(params, "number", json_string(number));
	/* The daemon checks the name (and lists the sorts). */
	if ((s = cli_flag(o, "sort")) != NULL)
		json_object_set_new(params, "sort", json_string(s));
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
	if ((r = cli_call(c, PM_CONV_LIST, params)) == NULL)
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
			printf("%6lld  %-8s %-16s %3lld  %s %s%s\n",
			    json_integer_value(json_object_get(row, "id")),
			    json_string_value(json_object_get(row, "state")),
			    when,
			    json_integer_value(json_object_get(row, "unread")),
			    name, preview, cli_sla_cell(json_object_get(row,
			    "sla"), sla, sizeof sla));
			free(name);
			free(preview);
		}
	}
	json_decref(r);
	return (0);
}

static int
cli_conv_show(struct client *c, struct cli_opts *o)
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
	if ((r = cli_call(c, PM_CONV_SHOW, params)) == NULL)
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

static void
cli_conv_counts_line(json_t *r, const char *view)
{
	printf("%-12s %lld\n", view, json_integer_value(json_object_get(r,
	    view)));
}

static void
cli_conv_counts_print(json_t *r)
{
	static const char	*views[] = { "all", "mine", "unassigned" },
				*more[] = { "window", "failed", "unread_mine",
				    "breaching" };
	const char		*k;
	json_t			*v;
	size_t			 i;

	/* The views, then one for each state, then the rest. */
	for (i = 0; i < sizeof views / sizeof views[0]; i++)
		cli_conv_counts_line(r, views[i]);
	for (i = 0; i < CONV_NSTATES; i++)
		cli_conv_counts_line(r, names_state((enum conv_state)i));
	for (i = 0; i < sizeof more / sizeof more[0]; i++)
		cli_conv_counts_line(r, more[i]);
	json_object_foreach(json_object_get(r, "labels"), k, v)
		printf("label:%-6s %lld\n", k, json_integer_value(v));
	json_object_foreach(json_object_get(r, "teams"), k, v)
		printf("team:%-7s %lld\n", k, json_integer_value(v));
}

static int
cli_conv_counts(struct client *c, struct cli_opts *o)
{
	json_t		*params;
	const char	*h;
	long long	 v;

	params = json_object();
	if ((h = cli_flag(o, "hours")) != NULL) {
		if (cli_parse_int(h, &v) != 0)
			return (cli_err("--hours expects a number"));
		json_object_set_new(params, "hours", json_integer(v));
	}
	if ((h = cli_flag(o, "number")) != NULL)
		json_object_set_new(params, "number", json_string(h));
	return (cli_simple(c, o, PM_CONV_COUNTS, params,
	    cli_conv_counts_print));
}

/* --- assignment --- */

static void
cli_conv_assign_print(json_t *r)
{
	json_t	*a = json_object_get(r, "assignee");

	if (json_is_string(a))
		printf("conversation %lld assigned to %s%s\n",
		    json_integer_value(json_object_get(r, "id")),
		    json_string_value(a), json_is_true(json_object_get(r,
		    "already")) ? " (already)" : "");
	else
		printf("conversation %lld unassigned\n",
		    json_integer_value(json_object_get(r, "id")));
}

static int
cli_conv_assign(struct client *c, struct cli_opts *o)
{
	json_int_t	 id;
	json_t		*params;

	if (o->nargs != 2 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox assign CONV "
		    "me|AGENT|none [--force]"));
	params = json_pack("{sI ss}", "id", id, "to", o->args[1]);
	if (cli_flag(o, "force") != NULL)
		json_object_set_new(params, "force", json_true());
	return (cli_simple(c, o, PM_CONV_ASSIGN, params,
	    cli_conv_assign_print));
}

static int
cli_conv_unassign(struct client *c, struct cli_opts *o)
{
	json_int_t	id;

	if (o->nargs != 1 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox unassign CONV"));
	return (cli_simple(c, o, PM_CONV_UNASSIGN, json_pack("{sI}", "id", id),
	    cli_conv_assign_print));
}

static int
cli_conv_team(struct client *c, struct cli_opts *o)
{
	json_int_t	id;

	if (o->nargs != 2 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox team CONV TEAM|none"));
	return (cli_simple(c, o, PM_CONV_TEAM, json_pack("{sI ss}", "id", id,
	    "team", o->args[1]), NULL));
}

static void
cli_conv_state_print(json_t *r)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(json_object_get(r, "ids"), i, v)
		printf("conversation %lld %s\n", json_integer_value(v),
		    cli_str(r, "state"));
}

/*
 * CONV... from args[from] on, given the state. A snooze needs its end:
 * --for DURATION, --until WHEN, or WHEN after the ids (the words from the
 * first that is not an id: "snooze 12 13 monday 9:00"), WHEN a time
 * expression (include/when.h) in the future.
 */
static int
cli_conv_set_state(struct client *c, struct cli_opts *o, enum conv_state state,
    int from)
{
	json_t		*ids, *params;
	json_int_t	 id;
	const char	*why;
	char		*words;
	int64_t		 secs, until;
	int		 to, rc, snooze, by_for, by_until, by_words;

	snooze = state == CONV_SNOOZED;
	for (to = from; to < o->nargs && cli_conv_arg(o->args[to], &id) == 0;
	    to++)
		;
	if (!snooze)
		to = o->nargs;
	if ((rc = cli_flag_duration(o, "for", &secs)) < 0)
		return (1);
	by_for = rc == 0;
	if ((rc = cli_flag_time(o, "until", 1, &until)) < 0)
		return (1);
	by_until = rc == 0;
	by_words = to < o->nargs;
	if (to == from || (snooze && by_for + by_until + by_words != 1))
		return (cli_err("usage: support-inbox %s CONV...%s",
		    from == 1 ? "state " NAMES_LIST(NAMES_STATES, "|") :
		    snooze ? "snooze" : names_state(state), snooze ?
		    " WHEN|--for DURATION|--until WHEN (one of them; see TIME "
		    "EXPRESSIONS in support-inbox(1))" : ""));
	if (!snooze && (by_for || by_until))
		return (cli_err("--for and --until go with a snooze"));
	if (by_words) {
		words = cli_join(o, to);
		rc = when_future(words, time(NULL), &until, &why);
		free(words);
		if (rc != 0)
			return (cli_err("snooze until when? %s", why));
	}
	if ((ids = cli_conv_ids(o, from, to)) == NULL)
		return (1);
	params = json_pack("{so ss}", "ids", ids, "state", names_state(state));
	if (by_for)
		json_object_set_new(params, "for", json_integer(secs));
	if (by_until || by_words)
		json_object_set_new(params, "until", json_integer(until));
	return (cli_simple(c, o, PM_CONV_STATE, params, cli_conv_state_print));
}

static int
cli_conv_state(struct client *c, struct cli_opts *o)
{
	enum conv_state	state;

	if (o->nargs < 2)
		return (cli_err("usage: support-inbox state "
		    NAMES_LIST(NAMES_STATES, "|") " CONV..."));
	if (names_state_from(o->args[0], &state) != 0)
		return (cli_err("a state is one of "
		    NAMES_LIST(NAMES_STATES, ", ")));
	return (cli_conv_set_state(c, o, state, 1));
}

static int
cli_conv_resolve(struct client *c, struct cli_opts *o)
{
	return (cli_conv_set_state(c, o, CONV_RESOLVED, 0));
}

static int
cli_conv_reopen(struct client *c, struct cli_opts *o)
{
	return (cli_conv_set_state(c, o, CONV_OPEN, 0));
}

static int
cli_conv_pending(struct client *c, struct cli_opts *o)
{
	return (cli_conv_set_state(c, o, CONV_PENDING, 0));
}

static int
cli_conv_snooze(struct client *c, struct cli_opts *o)
{
	return (cli_conv_set_state(c, o, CONV_SNOOZED, 0));
}

static int
cli_conv_priority(struct client *c, struct cli_opts *o)
{
	json_int_t		id;
	enum conv_priority	prio;

	if (o->nargs != 2 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox priority CONV "
		    NAMES_LIST(NAMES_PRIORITIES, "|")));
	if (names_priority_from(o->args[1], &prio) != 0)
		return (cli_err("a priority is one of "
		    NAMES_LIST(NAMES_PRIORITIES, ", ")));
	return (cli_simple(c, o, PM_CONV_PRIORITY, json_pack("{sI ss}", "id",
	    id, "priority", names_priority(prio)), NULL));
}

static int
cli_conv_read(struct client *c, struct cli_opts *o)
{
	json_int_t	id;

	if (o->nargs != 1 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox read CONV"));
	return (cli_simple(c, o, PM_CONV_READ, json_pack("{sI}", "id", id),
	    NULL));
}

static int
cli_conv_typing(struct client *c, struct cli_opts *o)
{
	long long	 conv;
	json_t		*r;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox typing CONV"));
	if (cli_parse_positive(o->args[0], "CONV", &conv) != 0)
		return (1);
	if ((r = cli_call(c, PM_CONV_TYPING, json_pack("{sI}", "id",
	    (json_int_t)conv))) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	json_decref(r);
	return (0);
}

const struct cli_entry cli_conv_table[] = {
	{ "list", NULL, "list [VIEW | --view VIEW] [number:LABEL | --number "
	    "LABEL] [--sort S] [--offset N] [--limit N]",
	    cli_conv_list },
	{ "show", NULL, "show CONV [--before MSG] [--limit N] [--purpose TEXT]",
	    cli_conv_show },
	{ "counts", NULL, "counts [--hours N] [--number LABEL]",
	    cli_conv_counts },
	{ "assign", NULL, "assign CONV me|AGENT|none [--force]",
	    cli_conv_assign },
	{ "unassign", NULL, "unassign CONV", cli_conv_unassign },
	{ "team", NULL, "team CONV TEAM|none", cli_conv_team },
	{ NULL, NULL, NULL, NULL }
};

const struct cli_entry cli_conv_state_table[] = {
	{ "state", NULL, "state " NAMES_LIST(NAMES_STATES, "|") " CONV...",
	    cli_conv_state },
	{ "resolve", NULL, "resolve CONV...", cli_conv_resolve },
	{ "reopen", NULL, "reopen CONV...", cli_conv_reopen },
	{ "pending", NULL, "pending CONV...", cli_conv_pending },
	{ "snooze", NULL, "snooze CONV... WHEN|--for DURATION|--until WHEN",
	    cli_conv_snooze },
	{ "priority", NULL, "priority CONV " NAMES_LIST(NAMES_PRIORITIES, "|"),
	    cli_conv_priority },
	{ "read", NULL, "read CONV", cli_conv_read },
	{ NULL, NULL, NULL, NULL }
};

const struct cli_entry cli_conv_typing_table[] = {
	{ "typing", NULL, "typing CONV", cli_conv_typing },
	{ NULL, NULL, NULL, NULL }
};
