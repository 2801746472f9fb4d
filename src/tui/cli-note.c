/*
 * CLI: internal notes on a conversation and the mentions they raise
 * (note.*, mention.*, rpc-note.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

static void
cli_note_print(json_t *r)
{
	printf("note %lld added to conversation %lld", json_integer_value(
	    json_object_get(r, "id")), json_integer_value(json_object_get(r,
	    "conversation")));
	if (json_array_size(json_object_get(r, "mentions")) > 0) {
		json_t	*v;
		size_t	 i;

		printf("; notified");
		json_array_foreach(json_object_get(r, "mentions"), i, v)
			printf(" %s", json_string_value(v));
	}
	printf("\n");
}

static int
cli_note_add(struct client *c, struct cli_opts *o)
{
	json_int_t	 id;
	char		*text;
	int		 rc;

	if (o->nargs < 2 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox note add CONV TEXT..."));
	text = cli_join(o, 1);
	rc = cli_simple(c, o, PM_NOTE_ADD, json_pack("{sI ss}", "id", id,
	    "body", text), cli_note_print);
	free(text);
	return (rc);
}

static void
cli_note_list_print(json_t *r)
{
	json_t	*n;
	size_t	 i;
	char	 when[32];

	json_array_foreach(r, i, n) {
		cli_when(json_integer_value(json_object_get(n, "created")),
		    when, sizeof when);
		printf("%s %s: %s\n", when, cli_str(n, "agent"),
		    cli_str(n, "body"));
	}
}

static int
cli_note_list(struct client *c, struct cli_opts *o)
{
	json_int_t	 id;
	json_t		*params;
	const char	*p;

	if (o->nargs != 1 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox note list CONV "
		    "[--purpose TEXT]"));
	params = json_pack("{sI}", "id", id);
	if ((p = cli_flag(o, "purpose")) != NULL)
		json_object_set_new(params, "purpose", json_string(p));
	return (cli_simple(c, o, PM_NOTE_LIST, params, cli_note_list_print));
}

static void
cli_note_mentions_print(json_t *r)
{
	json_t	*m;
	size_t	 i;
	char	 when[32];

	json_array_foreach(r, i, m) {
		cli_when(json_integer_value(json_object_get(m, "created")),
		    when, sizeof when);
		printf("%s conversation %lld note %lld by %s%s\n", when,
		    json_integer_value(json_object_get(m, "conversation")),
		    json_integer_value(json_object_get(m, "note")),
		    cli_str(m, "by"), json_is_true(json_object_get(m,
		    "seen")) ? "" : " (new)");
	}
}

static int
cli_note_mentions(struct client *c, struct cli_opts *o)
{
	json_t	*params = json_object();

	if (cli_word(o, "unseen"))
		json_object_set_new(params, "unseen", json_true());
	if (cli_word(o, "seen"))
		json_object_set_new(params, "mark_seen", json_true());
	return (cli_simple(c, o, PM_MENTION_LIST, params,
	    cli_note_mentions_print));
}

const struct cli_entry cli_note_table[] = {
	{ "note", "add", "note add CONV TEXT... (@agent notifies)",
	    cli_note_add },
	{ "note", "list", "note list CONV [--purpose TEXT]", cli_note_list },
	{ "mentions", NULL, "mentions [unseen] [seen]", cli_note_mentions },
	{ NULL, NULL, NULL, NULL }
};
