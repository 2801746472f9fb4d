/* CLI: daemon status, agents, audit. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "names.h"
#include "xmalloc.h"

static int
cli_status(struct client *c, struct cli_opts *o)
{
	json_t	*r, *counts, *wh, *se, *a;
	size_t	 i;

	if ((r = cli_call(c, "status", NULL)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else {
		counts = json_object_get(r, "counts");
		wh = json_object_get(r, "webhook");
		printf("support-inboxd %s, schema %lld, up %llds, %lld "
		    "client(s)\n", json_string_value(json_object_get(r,
		    "version")), json_integer_value(json_object_get(r,
		    "schema_version")), json_integer_value(json_object_get(r,
		    "uptime")), json_integer_value(json_object_get(r,
		    "clients")));
		printf("agents %lld, contacts %lld, conversations %lld, "
		    "messages %lld\n",
		    json_integer_value(json_object_get(counts, "agents")),
		    json_integer_value(json_object_get(counts, "contacts")),
		    json_integer_value(json_object_get(counts,
		    "conversations")),
		    json_integer_value(json_object_get(counts, "messages")));
		printf("webhook: %s, accepted %lld, bad signature %lld, "
		    "quarantined %lld, alerts %lld\n",
		    json_is_true(json_object_get(wh, "enabled")) ? "on" : "off",
		    json_integer_value(json_object_get(wh, "accepted")),
		    json_integer_value(json_object_get(wh, "bad_signature")),
		    json_integer_value(json_object_get(counts, "quarantined")),
		    json_integer_value(json_object_get(counts, "alerts")));
		json_array_foreach(json_object_get(r, "alarms"), i, a)
			printf("ALARM %s: %s (%s)\n",
			    json_string_value(json_object_get(a, "kind")),
			    json_string_value(json_object_get(a, "message")),
			    json_string_value(json_object_get(a, "fix")));
		se = json_object_get(r, "search");
		if (json_is_true(json_object_get(se, "building")))
			printf("search index: building, %lld%%\n",
			    json_integer_value(json_object_get(se,
			    "progress")));
		else if (json_is_true(json_object_get(se, "enabled")))
			printf("search index: %lld documents, built in "
			    "%lld ms\n", json_integer_value(json_object_get(se,
			    "docs")), json_integer_value(json_object_get(se,
			    "build_ms")));
	}
	json_decref(r);
	return (0);
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
		    method + 6, nargs == 0 ? "" : strcmp(method, "agent.role")
		    == 0 ? " NAME ROLE" : strcmp(method, "agent.add") == 0 ?
		    " NAME [--role " NAMES_LIST(NAMES_ROLES, "|") "]" :
		    " NAME"));
	if (strcmp(method, "agent.role") == 0)
		role = o->args[1];
	else if (strcmp(method, "agent.add") == 0)
		role = cli_flag(o, "role");
	if (role != NULL && names_role_from(role, &v) != 0)
		return (cli_err("a role is one of "
		    NAMES_LIST(NAMES_ROLES, ", ")));
	params = json_object();
	if (nargs >= 1)
		json_object_set_new(params, "name", json_string(o->args[0]));
	if (role != NULL)
		json_object_set_new(params, "role", json_string(names_role(v)));
	if ((r = cli_call(c, method, params)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else if (json_is_array(r)) {
		json_array_foreach(r, i, a) {
			printf("%-20s %-10s %s\n", json_string_value(
			    json_object_get(a, "name")), json_string_value(
			    json_object_get(a, "role")), json_is_true(
			    json_object_get(a, "active")) ? "active" :
			    "disabled");
		}
	} else
		printf("%s: %s, %s\n", json_string_value(json_object_get(r,
		    "name")), json_string_value(json_object_get(r, "role")),
		    strcmp(method, "agent.add") == 0 ? "added" :
		    json_is_true(json_object_get(r, "active")) ? "active" :
		    "disabled");
	json_decref(r);
	return (0);
}

static int
cli_agent_add(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, "agent.add", 1));
}

static int
cli_agent_list(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, "agent.list", 0));
}

static int
cli_agent_disable(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, "agent.disable", 1));
}

static int
cli_agent_enable(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, "agent.enable", 1));
}

static int
cli_agent_role(struct client *c, struct cli_opts *o)
{
	return (cli_agent(c, o, "agent.role", 2));
}

/*
 * The text of an off-host copy of the checkpoint file for --against. A
 * request frame holds about 1 MB: a longer copy is sent from its newest
 * whole lines (the newest shipped checkpoint is the one that counts).
 */
static char *
cli_audit_copy(const char *path)
{
	FILE	*f;
	char	*text, *p;
	long	 size, max = 900 * 1024, off = 0;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		fclose(f);
		return (NULL);
	}
	if (size > max)
		off = size - max;
	fseek(f, off, SEEK_SET);
	text = xmalloc((size_t)(size - off) + 1);
	n = fread(text, 1, (size_t)(size - off), f);
	text[n] = '\0';
	fclose(f);
	if (off > 0 && (p = strchr(text, '\n')) != NULL) {
		fprintf(stderr, "note: only the newest %zu bytes of '%s' "
		    "were checked\n", strlen(p + 1), path);
		memmove(text, p + 1, strlen(p + 1) + 1);
	}
	return (text);
}

static int
cli_audit_verify(struct client *c, struct cli_opts *o)
{
	json_t		*r, *p = NULL;
	const char	*against;
	char		*copy;
	int		 ok;

	if ((against = cli_flag(o, "against")) != NULL) {
		if ((copy = cli_audit_copy(against)) == NULL)
			return (cli_err("cannot read '%s'", against));
		p = json_pack("{ss ss}", "against", copy, "against_name",
		    against);
		free(copy);
		if (p == NULL)
			return (cli_err("'%s' is not text", against));
	}
	if ((r = cli_call(c, "audit.verify", p)) == NULL)
		return (1);
	ok = json_is_true(json_object_get(r, "ok"));
	if (o->json)
		cli_print_json(r);
	else if (ok) {
		printf("audit log intact: %lld records, %lld signed "
		    "checkpoints\n", json_integer_value(json_object_get(r,
		    "records")), json_integer_value(json_object_get(r,
		    "checkpoints")));
		printf("%lld records after the newest checkpoint in %s "
		    "(seq %lld): only the local chain covers them\n",
		    json_integer_value(json_object_get(r,
		    "after_last_shipped")), against != NULL ? against :
		    "the checkpoint file", json_integer_value(
		    json_object_get(r, "last_shipped")));
	}
	if (!ok)
		cli_err("audit log damaged at sequence %lld: %s",
		    json_integer_value(json_object_get(r, "first_bad_seq")),
		    json_string_value(json_object_get(r, "reason")));
	json_decref(r);
	return (ok ? 0 : 1);
}

static int
cli_reload(struct client *c, struct cli_opts *o)
{
	json_t	*r, *v;
	size_t	 i;

	if ((r = cli_call(c, "daemon.reload", NULL)) == NULL)
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

const struct cli_entry cli_base_table[] = {
	{ "status", NULL, "status [--json]", cli_status },
	{ "agent", "add", "agent add NAME [--role ROLE]", cli_agent_add },
	{ "agent", "list", "agent list", cli_agent_list },
	{ "agent", "disable", "agent disable NAME", cli_agent_disable },
	{ "agent", "enable", "agent enable NAME", cli_agent_enable },
	{ "agent", "role", "agent role NAME " NAMES_LIST(NAMES_ROLES, "|"),
	    cli_agent_role },
	{ "audit", "verify", "audit verify [--against FILE]",
	    cli_audit_verify },
	{ "reload", NULL, "reload [--json]", cli_reload },
	{ NULL, NULL, NULL, NULL }
};
