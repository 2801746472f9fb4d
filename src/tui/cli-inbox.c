/*
 * CLI: the inbox operations agents use all day (counts, assignment, states,
 * notes, labels, canned replies, search, events, presence), each a thin
 * wrapper over one protocol method so scripts get the same rules and audit.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "names.h"
#include "utf8.h"
#include "when.h"
#include "xmalloc.h"

#define CLI_CANNED_FILE_MAX	(64 * 1024)

static const char *
cli_str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

/* Runs a method and prints the result: JSON, or fmt(result). */
static int
cli_simple(struct client *c, struct cli_opts *o, const char *method,
    json_t *params, void (*print)(json_t *))
{
	json_t	*r;

	/* --force: act on a colleague's conversation (audited). */
	if (cli_flag(o, "force") != NULL && json_is_object(params))
		json_object_set_new(params, "force", json_true());
	if ((r = cli_call(c, method, params)) == NULL)
		return (1);
	if (o->json || print == NULL)
		cli_print_json(r);
	else
		print(r);
	json_decref(r);
	return (0);
}

static int
cli_conv_arg(const char *s, json_int_t *id)
{
	long long	v;

	if (cli_parse_int(s, &v) != 0 || v < 1)
		return (-1);
	*id = (json_int_t)v;
	return (0);
}

/* CONV... from args[from] to args[to - 1]; NULL if one is not an id. */
static json_t *
cli_conv_list(struct cli_opts *o, int from, int to)
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

/* The words from args[from] on, joined by spaces. */
static char *
cli_join(struct cli_opts *o, int from)
{
	size_t	 len = 1, n = 0, l;
	char	*s;
	int	 i;

	for (i = from; i < o->nargs; i++)
		len += strlen(o->args[i]) + 1;
	s = xcalloc(1, len);
	for (i = from; i < o->nargs; i++) {
		if (i > from)
			s[n++] = ' ';
		l = strlen(o->args[i]);
		memcpy(s + n, o->args[i], l);
		n += l;
	}
	s[n] = '\0';
	return (s);
}

/* --- counts --- */

static void
cli_counts_line(json_t *r, const char *view)
{
	printf("%-12s %lld\n", view, json_integer_value(json_object_get(r,
	    view)));
}

static void
cli_counts_print(json_t *r)
{
	static const char	*views[] = { "all", "mine", "unassigned" },
				*more[] = { "window", "failed", "unread_mine" };
	const char		*k;
	json_t			*v;
	size_t			 i;

	/* The views, then one for each state, then the rest. */
	for (i = 0; i < sizeof views / sizeof views[0]; i++)
		cli_counts_line(r, views[i]);
	for (i = 0; i < CONV_NSTATES; i++)
		cli_counts_line(r, names_state((enum conv_state)i));
	for (i = 0; i < sizeof more / sizeof more[0]; i++)
		cli_counts_line(r, more[i]);
	json_object_foreach(json_object_get(r, "labels"), k, v)
		printf("label:%-6s %lld\n", k, json_integer_value(v));
	json_object_foreach(json_object_get(r, "teams"), k, v)
		printf("team:%-7s %lld\n", k, json_integer_value(v));
}

static int
cli_counts(struct client *c, struct cli_opts *o)
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
	return (cli_simple(c, o, "conv.counts", params, cli_counts_print));
}

/* --- assignment --- */

static void
cli_assign_print(json_t *r)
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
cli_assign(struct client *c, struct cli_opts *o)
{
	json_int_t	 id;
	json_t		*params;

	if (o->nargs != 2 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox assign CONV "
		    "me|AGENT|none [--force]"));
	params = json_pack("{sI ss}", "id", id, "to", o->args[1]);
	if (cli_flag(o, "force") != NULL)
		json_object_set_new(params, "force", json_true());
	return (cli_simple(c, o, "conv.assign", params, cli_assign_print));
}

static int
cli_unassign(struct client *c, struct cli_opts *o)
{
	json_int_t	id;

	if (o->nargs != 1 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox unassign CONV"));
	return (cli_simple(c, o, "conv.unassign", json_pack("{sI}", "id", id),
	    cli_assign_print));
}

static int
cli_team(struct client *c, struct cli_opts *o)
{
	json_int_t	id;

	if (o->nargs != 2 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox team CONV TEAM|none"));
	return (cli_simple(c, o, "conv.team", json_pack("{sI ss}", "id", id,
	    "team", o->args[1]), NULL));
}

static int
cli_agent_team(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 2)
		return (cli_err("usage: support-inbox agent team NAME "
		    "TEAM|none"));
	return (cli_simple(c, o, "agent.team", json_pack("{ss ss}", "name",
	    o->args[0], "team", o->args[1]), NULL));
}

static int
cli_agent_capacity(struct client *c, struct cli_opts *o)
{
	long long	v;

	if (o->nargs != 2 || cli_parse_int(o->args[1], &v) != 0)
		return (cli_err("usage: support-inbox agent capacity NAME N"));
	return (cli_simple(c, o, "agent.capacity", json_pack("{ss sI}", "name",
	    o->args[0], "capacity", (json_int_t)v), NULL));
}

/* --- states --- */

static void
cli_state_print(json_t *r)
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
cli_set_state(struct client *c, struct cli_opts *o, enum conv_state state,
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
	if ((ids = cli_conv_list(o, from, to)) == NULL)
		return (1);
	params = json_pack("{so ss}", "ids", ids, "state", names_state(state));
	if (by_for)
		json_object_set_new(params, "for", json_integer(secs));
	if (by_until || by_words)
		json_object_set_new(params, "until", json_integer(until));
	return (cli_simple(c, o, "conv.state", params, cli_state_print));
}

static int
cli_state(struct client *c, struct cli_opts *o)
{
	enum conv_state	state;

	if (o->nargs < 2)
		return (cli_err("usage: support-inbox state "
		    NAMES_LIST(NAMES_STATES, "|") " CONV..."));
	if (names_state_from(o->args[0], &state) != 0)
		return (cli_err("a state is one of "
		    NAMES_LIST(NAMES_STATES, ", ")));
	return (cli_set_state(c, o, state, 1));
}

static int
cli_resolve(struct client *c, struct cli_opts *o)
{
	return (cli_set_state(c, o, CONV_RESOLVED, 0));
}

static int
cli_reopen(struct client *c, struct cli_opts *o)
{
	return (cli_set_state(c, o, CONV_OPEN, 0));
}

static int
cli_pending(struct client *c, struct cli_opts *o)
{
	return (cli_set_state(c, o, CONV_PENDING, 0));
}

static int
cli_snooze(struct client *c, struct cli_opts *o)
{
	return (cli_set_state(c, o, CONV_SNOOZED, 0));
}

static int
cli_priority(struct client *c, struct cli_opts *o)
{
	json_int_t		id;
	enum conv_priority	prio;

	if (o->nargs != 2 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox priority CONV "
		    NAMES_LIST(NAMES_PRIORITIES, "|")));
	if (names_priority_from(o->args[1], &prio) != 0)
		return (cli_err("a priority is one of "
		    NAMES_LIST(NAMES_PRIORITIES, ", ")));
	return (cli_simple(c, o, "conv.priority", json_pack("{sI ss}", "id",
	    id, "priority", names_priority(prio)), NULL));
}

static int
cli_read(struct client *c, struct cli_opts *o)
{
	json_int_t	id;

	if (o->nargs != 1 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err("usage: support-inbox read CONV"));
	return (cli_simple(c, o, "conv.read", json_pack("{sI}", "id", id),
	    NULL));
}

/* --- notes and mentions --- */

/* 1 if a bare word (boolean options are words: main.c's flags take values). */
static int
cli_word(struct cli_opts *o, const char *w)
{
	int	i;

	for (i = 0; i < o->nargs; i++) {
		if (strcmp(o->args[i], w) == 0)
			return (1);
	}
	return (0);
}

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
	rc = cli_simple(c, o, "note.add", json_pack("{sI ss}", "id", id,
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
	return (cli_simple(c, o, "note.list", params, cli_note_list_print));
}

static void
cli_mentions_print(json_t *r)
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
cli_mentions(struct client *c, struct cli_opts *o)
{
	json_t	*params = json_object();

	if (cli_word(o, "unseen"))
		json_object_set_new(params, "unseen", json_true());
	if (cli_word(o, "seen"))
		json_object_set_new(params, "mark_seen", json_true());
	return (cli_simple(c, o, "mention.list", params, cli_mentions_print));
}

/* --- labels --- */

static void
cli_label_list_print(json_t *r)
{
	json_t	*l;
	size_t	 i;

	json_array_foreach(r, i, l)
		printf("%-24s %lld\n", cli_str(l, "name"), json_integer_value(
		    json_object_get(l, "conversations")));
}

static int
cli_label_list(struct client *c, struct cli_opts *o)
{
	return (cli_simple(c, o, "label.list", NULL, cli_label_list_print));
}

static int
cli_label_create(struct client *c, struct cli_opts *o)
{
	json_t		*params;
	const char	*color;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox label create NAME "
		    "[--color COLOR]"));
	params = json_pack("{ss}", "name", o->args[0]);
	if ((color = cli_flag(o, "color")) != NULL)
		json_object_set_new(params, "color", json_string(color));
	return (cli_simple(c, o, "label.create", params, NULL));
}

static int
cli_label_rename(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 2)
		return (cli_err("usage: support-inbox label rename OLD NEW"));
	return (cli_simple(c, o, "label.rename", json_pack("{ss ss}", "name",
	    o->args[0], "to", o->args[1]), NULL));
}

static int
cli_label_delete(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 1)
		return (cli_err("usage: support-inbox label delete NAME"));
	return (cli_simple(c, o, "label.delete", json_pack("{ss}", "name",
	    o->args[0]), NULL));
}

static void
cli_label_conv_print(json_t *r)
{
	printf("label %s: %zu of %lld conversation(s) changed\n",
	    cli_str(r, "label"), json_array_size(json_object_get(r,
	    "changed")), json_integer_value(json_object_get(r, "requested")));
}

static int
cli_label_conv(struct client *c, struct cli_opts *o, const char *method)
{
	json_t	*ids;

	if (o->nargs < 2)
		return (cli_err("usage: support-inbox label %s NAME CONV...",
		    strcmp(method, "conv.label") == 0 ? "add" : "remove"));
	if ((ids = cli_conv_list(o, 1, o->nargs)) == NULL)
		return (1);
	return (cli_simple(c, o, method, json_pack("{ss so}", "label",
	    o->args[0], "ids", ids), cli_label_conv_print));
}

static int
cli_label_add(struct client *c, struct cli_opts *o)
{
	return (cli_label_conv(c, o, "conv.label"));
}

static int
cli_label_remove(struct client *c, struct cli_opts *o)
{
	return (cli_label_conv(c, o, "conv.unlabel"));
}

/* --- canned replies --- */

static void
cli_canned_list_print(json_t *r)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(r, i, v)
		printf("%-20s %-30s %s%s%s\n", cli_str(v, "shortcut"),
		    cli_str(v, "title"), cli_str(v, "language"),
		    json_is_string(json_object_get(v, "team")) ? " team:" : "",
		    cli_str(v, "team"));
}

static int
cli_canned_list(struct client *c, struct cli_opts *o)
{
	json_t		*params = json_object();
	const char	*l;

	if (cli_word(o, "all"))
		json_object_set_new(params, "all", json_true());
	if ((l = cli_flag(o, "language")) != NULL)
		json_object_set_new(params, "language", json_string(l));
	return (cli_simple(c, o, "canned.list", params,
	    cli_canned_list_print));
}

static void
cli_canned_put_print(json_t *r)
{
	printf("canned reply '%s' %s\n", cli_str(r, "shortcut"),
	    json_is_true(json_object_get(r, "created")) ? "added" : "saved");
}

static int
cli_canned_put(struct client *c, struct cli_opts *o, const char *method)
{
	static const char	*keys[] = { "title", "body", "language", "team",
				    "rename", NULL };
	json_t			*params;
	const char		*v;
	size_t			 i;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox canned %s SHORTCUT "
		    "--title T --body TEXT [--language L] [--team T]",
		    method + 7));
	params = json_pack("{ss}", "shortcut", o->args[0]);
	for (i = 0; keys[i] != NULL; i++) {
		if ((v = cli_flag(o, keys[i])) != NULL)
			json_object_set_new(params, keys[i], json_string(v));
	}
	return (cli_simple(c, o, method, params, cli_canned_put_print));
}

static int
cli_canned_add(struct client *c, struct cli_opts *o)
{
	return (cli_canned_put(c, o, "canned.add"));
}

static int
cli_canned_edit(struct client *c, struct cli_opts *o)
{
	return (cli_canned_put(c, o, "canned.edit"));
}

static int
cli_canned_remove(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 1)
		return (cli_err("usage: support-inbox canned remove SHORTCUT"));
	return (cli_simple(c, o, "canned.remove", json_pack("{ss}",
	    "shortcut", o->args[0]), NULL));
}

static int
cli_canned_render(struct client *c, struct cli_opts *o)
{
	json_t		*params, *r, *v;
	json_int_t	 id = 0;
	size_t		 i;

	if (o->nargs < 1 || o->nargs > 2 || (o->nargs == 2 &&
	    cli_conv_arg(o->args[1], &id) != 0))
		return (cli_err("usage: support-inbox canned render SHORTCUT "
		    "[CONV] [--purpose TEXT]"));
	params = json_pack("{ss}", "shortcut", o->args[0]);
	if (o->nargs == 2)
		json_object_set_new(params, "conversation", json_integer(id));
	if (cli_flag(o, "purpose") != NULL)
		json_object_set_new(params, "purpose",
		    json_string(cli_flag(o, "purpose")));
	if ((r = cli_call(c, "canned.render", params)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else {
		printf("%s\n", cli_str(r, "text"));
		json_array_foreach(json_object_get(r, "missing"), i, v)
			fprintf(stderr, "support-inbox: no value for "
			    "{{%s}}\n", json_string_value(v));
	}
	json_decref(r);
	return (0);
}

/*
 * One reply per file, SHORTCUT.txt: header lines "title: ...",
 * "language: ...", "team: ...", a blank line, then the body as is.
 */
static int
cli_canned_export(struct client *c, struct cli_opts *o)
{
	json_t	*r, *v;
	size_t	 i;
	char	*path, *tmp, *cause = NULL;
	FILE	*f;
	int	 rc = 0;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox canned export DIR"));
	if (mkdir(o->args[0], 0755) != 0 && errno != EEXIST)
		return (cli_err("cannot create '%s': %s", o->args[0],
		    strerror(errno)));
	if ((r = cli_call(c, "canned.list", json_pack("{sb}", "all", 1))) ==
	    NULL)
		return (1);
	json_array_foreach(r, i, v) {
		/*
		 * Written new beside the file and renamed over it: a link
		 * planted at the name is replaced, never written through.
		 */
		path = xasprintf("%s/%s.txt", o->args[0], cli_str(v,
		    "shortcut"));
		tmp = xasprintf("%s/.%s.txt.new", o->args[0], cli_str(v,
		    "shortcut"));
		unlink(tmp);
		if (strchr(cli_str(v, "shortcut"), '/') != NULL ||
		    (f = cli_create(tmp, &cause)) == NULL) {
			rc = cli_err("cannot write '%s'%s%s", path,
			    cause != NULL ? ": " : "", cause != NULL ? cause :
			    "");
			free(cause);
			cause = NULL;
			free(path);
			free(tmp);
			continue;
		}
		fprintf(f, "title: %s\n", cli_str(v, "title"));
		if (json_is_string(json_object_get(v, "language")))
			fprintf(f, "language: %s\n", cli_str(v, "language"));
		if (json_is_string(json_object_get(v, "team")))
			fprintf(f, "team: %s\n", cli_str(v, "team"));
		fprintf(f, "\n%s", cli_str(v, "body"));
		if (fclose(f) != 0 || rename(tmp, path) != 0) {
			rc = cli_err("cannot write '%s'", path);
			unlink(tmp);
		}
		free(path);
		free(tmp);
	}
	if (!o->json)
		printf("exported %zu canned repl%s to %s\n", json_array_size(r),
		    json_array_size(r) == 1 ? "y" : "ies", o->args[0]);
	else
		cli_print_json(json_pack("{sI}", "exported",
		    (json_int_t)json_array_size(r)));
	json_decref(r);
	return (rc);
}

static char *
cli_read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	buf = xmalloc(CLI_CANNED_FILE_MAX + 1);
	n = fread(buf, 1, CLI_CANNED_FILE_MAX + 1, f);
	fclose(f);
	if (n > CLI_CANNED_FILE_MAX || memchr(buf, '\0', n) != NULL) {
		free(buf);
		return (NULL);
	}
	buf[n] = '\0';
	*len = n;
	return (buf);
}

static int
cli_canned_import_one(struct client *c, const char *path, int *n)
{
	const char	*base, *p, *nl;
	char		*text, *shortcut, *key, *val;
	size_t		 len, blen;
	json_t		*params, *r;

	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	blen = strlen(base);
	if (blen <= 4 || strcmp(base + blen - 4, ".txt") != 0)
		return (cli_err("'%s': canned reply files are SHORTCUT.txt",
		    path));
	if ((text = cli_read_file(path, &len)) == NULL)
		return (cli_err("cannot read '%s' (at most %d bytes of text)",
		    path, CLI_CANNED_FILE_MAX));
	shortcut = xstrndup(base, blen - 4);
	params = json_pack("{ss}", "shortcut", shortcut);
	for (p = text; *p != '\0' && *p != '\n'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL ||
		    memchr(p, ':', (size_t)(nl - p)) == NULL) {
			json_decref(params);
			free(text);
			free(shortcut);
			return (cli_err("'%s': expected 'key: value' header "
			    "lines, a blank line, then the body", path));
		}
		key = xstrndup(p, (size_t)((const char *)memchr(p, ':',
		    (size_t)(nl - p)) - p));
		val = xstrndup(p + strlen(key) + 1, (size_t)(nl - p) -
		    strlen(key) - 1);
		if (strcmp(key, "title") == 0 || strcmp(key, "language") == 0 ||
		    strcmp(key, "team") == 0)
			json_object_set_new(params, key, json_string(val +
			    strspn(val, " \t")));
		free(key);
		free(val);
	}
	if (*p == '\n')
		p++;
	json_object_set_new(params, "body", json_string(p));
	if (json_object_get(params, "title") == NULL)
		json_object_set_new(params, "title", json_string(shortcut));
	free(text);
	free(shortcut);
	if ((r = cli_call(c, "canned.put", params)) == NULL)
		return (1);
	json_decref(r);
	(*n)++;
	return (0);
}

static int
cli_canned_import(struct client *c, struct cli_opts *o)
{
	struct stat	 sb;
	DIR		*dir;
	struct dirent	*de;
	char		*path;
	int		 i, rc = 0, n = 0;

	if (o->nargs < 1)
		return (cli_err("usage: support-inbox canned import "
		    "DIR|FILE..."));
	for (i = 0; i < o->nargs; i++) {
		if (stat(o->args[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if ((dir = opendir(o->args[i])) == NULL) {
				rc = cli_err("cannot read '%s'", o->args[i]);
				continue;
			}
			while ((de = readdir(dir)) != NULL) {
				if (de->d_name[0] == '.' ||
				    strlen(de->d_name) <= 4 ||
				    strcmp(de->d_name + strlen(de->d_name) - 4,
				    ".txt") != 0)
					continue;
				path = xasprintf("%s/%s", o->args[i],
				    de->d_name);
				rc |= cli_canned_import_one(c, path, &n);
				free(path);
			}
			closedir(dir);
		} else
			rc |= cli_canned_import_one(c, o->args[i], &n);
	}
	if (o->json)
		cli_print_json(json_pack("{si}", "imported", n));
	else
		printf("imported %d canned repl%s\n", n, n == 1 ? "y" : "ies");
	return (rc);
}

/* --- search --- */

static void
cli_search_print(json_t *r)
{
	json_t	*row, *m;
	size_t	 i;
	char	*name;

	if (json_is_true(json_object_get(r, "partial")))
		fprintf(stderr, "support-inbox: the search index is still "
		    "being built (%lld%%); results may be incomplete\n",
		    json_integer_value(json_object_get(r, "progress")));
	json_array_foreach(json_object_get(r, "rows"), i, row) {
		m = json_object_get(row, "match");
		/* By display width: a byte count would cut a character. */
		name = utf8_pad(cli_str(row, "name"), 20, 0);
		printf("%6lld  %-8s %s %-7s %s\n",
		    json_integer_value(json_object_get(row, "id")),
		    cli_str(row, "state"), name, cli_str(m, "kind"),
		    cli_str(m, "snippet"));
		free(name);
	}
}

static int
cli_search(struct client *c, struct cli_opts *o)
{
	json_t		*params;
	const char	*f;
	char		*q;
	long long	 v;

	if (o->nargs < 1)
		return (cli_err("usage: support-inbox search WORDS... "
		    "[status:S] [assignee:A] [label:L] [from:DATE] [to:DATE] "
		    "[in:] [out:] [--limit N] [--purpose TEXT]"));
	q = cli_join(o, 0);
	params = json_pack("{ss}", "q", q);
	free(q);
	if ((f = cli_flag(o, "limit")) != NULL) {
		if (cli_parse_int(f, &v) != 0)
			return (cli_err("--limit expects a number"));
		json_object_set_new(params, "limit", json_integer(v));
	}
	if ((f = cli_flag(o, "purpose")) != NULL)
		json_object_set_new(params, "purpose", json_string(f));
	return (cli_simple(c, o, "search", params, cli_search_print));
}

/* --- events and presence --- */

static int64_t
cli_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Keeps the connection (and so presence) for `secs`, printing events. */
static int
cli_wait_events(struct client *c, int64_t secs, long long count)
{
	struct pollfd	 pfd;
	json_t		*ev;
	int64_t		 end = cli_ms() + secs * 1000;
	long long	 seen = 0;
	char		*s;

	for (;;) {
		while ((ev = client_next_event(c)) != NULL ||
		    (ev = client_next(c)) != NULL) {
			if (json_object_get(ev, "event") != NULL) {
				s = json_dumps(ev, JSON_COMPACT |
				    JSON_ENSURE_ASCII);
				printf("%s\n", s);
				fflush(stdout);
				free(s);
				seen++;
			}
			json_decref(ev);
			if (count > 0 && seen >= count)
				return (0);
		}
		if (secs > 0 && cli_ms() >= end)
			return (0);
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 200) > 0 && client_read(c) != 0)
			return (cli_err("connection to the daemon lost"));
	}
}

static int
cli_events(struct client *c, struct cli_opts *o)
{
	json_t		*r;
	const char	*f;
	int64_t		 secs = 0;
	long long	 count = 0;

	if (cli_flag_duration(o, "timeout", &secs) < 0)
		return (1);
	if ((f = cli_flag(o, "count")) != NULL &&
	    (cli_parse_int(f, &count) != 0 || count < 1))
		return (cli_err("--count expects a positive number"));
	if ((r = cli_call(c, "subscribe", NULL)) == NULL)
		return (1);
	json_decref(r);
	printf("{\"subscribed\":true}\n");
	fflush(stdout);
	return (cli_wait_events(c, secs, count));
}

static void
cli_presence_print(json_t *r)
{
	json_t	*v;
	size_t	 i;

	printf("viewing:");
	json_array_foreach(json_object_get(r, "viewing"), i, v)
		printf(" %s", json_string_value(v));
	printf("\ntyping:");
	json_array_foreach(json_object_get(r, "typing"), i, v)
		printf(" %s", json_string_value(v));
	printf("\nonline:");
	json_array_foreach(json_object_get(r, "online"), i, v)
		printf(" %s", json_string_value(v));
	printf("\n");
}

static int
cli_presence_show(struct client *c, struct cli_opts *o)
{
	json_int_t	id = 0;

	if (o->nargs > 1 || (o->nargs == 1 &&
	    cli_conv_arg(o->args[0], &id) != 0))
		return (cli_err("usage: support-inbox presence show [CONV]"));
	return (cli_simple(c, o, "presence.get", id != 0 ? json_pack("{sI}",
	    "conversation", id) : NULL, cli_presence_print));
}

static int
cli_presence_set(struct client *c, struct cli_opts *o)
{
	json_int_t	 id;
	json_t		*r;
	int64_t		 secs = 0;

	if (o->nargs < 1 || o->nargs > 2 || cli_conv_arg(o->args[0],
	    &id) != 0 || (o->nargs == 2 && strcmp(o->args[1], "typing") != 0))
		return (cli_err("usage: support-inbox presence set CONV "
		    "[typing] [--hold DURATION]"));
	if (cli_flag_duration(o, "hold", &secs) < 0)
		return (1);
	if ((r = cli_call(c, "presence.set", json_pack("{sI sb sb}",
	    "conversation", id, "viewing", 1, "typing",
	    o->nargs == 2))) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	json_decref(r);
	/* Presence lasts as long as the connection. */
	if (secs > 0)
		return (cli_wait_events(c, secs, 0));
	return (0);
}

const struct cli_entry cli_inbox_table[] = {
	{ "counts", NULL, "counts [--hours N]", cli_counts },
	{ "assign", NULL, "assign CONV me|AGENT|none [--force]", cli_assign },
	{ "unassign", NULL, "unassign CONV", cli_unassign },
	{ "team", NULL, "team CONV TEAM|none", cli_team },
	{ "agent", "team", "agent team NAME TEAM|none", cli_agent_team },
	{ "agent", "capacity", "agent capacity NAME N", cli_agent_capacity },
	{ "state", NULL, "state " NAMES_LIST(NAMES_STATES, "|") " CONV...",
	    cli_state },
	{ "resolve", NULL, "resolve CONV...", cli_resolve },
	{ "reopen", NULL, "reopen CONV...", cli_reopen },
	{ "pending", NULL, "pending CONV...", cli_pending },
	{ "snooze", NULL, "snooze CONV... WHEN|--for DURATION|--until WHEN",
	    cli_snooze },
	{ "priority", NULL, "priority CONV " NAMES_LIST(NAMES_PRIORITIES, "|"),
	    cli_priority },
	{ "read", NULL, "read CONV", cli_read },
	{ "note", "add", "note add CONV TEXT... (@agent notifies)",
	    cli_note_add },
	{ "note", "list", "note list CONV [--purpose TEXT]", cli_note_list },
	{ "mentions", NULL, "mentions [unseen] [seen]", cli_mentions },
	{ "label", "list", "label list", cli_label_list },
	{ "label", "create", "label create NAME [--color C]",
	    cli_label_create },
	{ "label", "rename", "label rename OLD NEW", cli_label_rename },
	{ "label", "delete", "label delete NAME", cli_label_delete },
	{ "label", "add", "label add NAME CONV...", cli_label_add },
	{ "label", "remove", "label remove NAME CONV...", cli_label_remove },
	{ "canned", "list", "canned list [all] [--language L]",
	    cli_canned_list },
	{ "canned", "add", "canned add SHORTCUT --title T --body TEXT "
	    "[--language L] [--team T]", cli_canned_add },
	{ "canned", "edit", "canned edit SHORTCUT [--title T] [--body TEXT] "
	    "[--rename NEW]", cli_canned_edit },
	{ "canned", "remove", "canned remove SHORTCUT", cli_canned_remove },
	{ "canned", "render", "canned render SHORTCUT [CONV] [--purpose TEXT]",
	    cli_canned_render },
	{ "canned", "export", "canned export DIR", cli_canned_export },
	{ "canned", "import", "canned import DIR|FILE...", cli_canned_import },
	{ "search", NULL, "search WORDS... [status: assignee: label: from: "
	    "to: in: out:]", cli_search },
	{ "events", NULL, "events [--count N] [--timeout DURATION]",
	    cli_events },
	{ "presence", "show", "presence show [CONV]", cli_presence_show },
	{ "presence", "set", "presence set CONV [typing] [--hold DURATION]",
	    cli_presence_set },
	{ NULL, NULL, NULL, NULL }
};
