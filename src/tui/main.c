/*
 * support-inbox: with no command, the TUI; with a command, a thin CLI over
 * the same protocol methods (so scripts can do what agents do, audited the
 * same way). Every command exits 0 on success, 1 with one line on stderr
 * otherwise; --json prints the daemon's result on stdout.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "ui.h"
#include "xmalloc.h"

#define MAIN_MAX_ARGS	32

struct main_opts {
	const char	*socket;
	const char	*config;
	int		 json;
	int		 yes;
	const char	*args[MAIN_MAX_ARGS];	/* positional */
	int		 nargs;
	json_t		*flags;			/* --key value */
};

struct main_cmd {
	const char	*name;
	const char	*sub;		/* NULL: no subcommand */
	const char	*usage;
	int		(*fn)(struct client *, struct main_opts *);
};

static int
main_err(const char *fmt, ...)
{
	va_list	ap;

	fputs("support-inbox: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return (1);
}

static const char *
main_flag(struct main_opts *o, const char *name)
{
	return (json_string_value(json_object_get(o->flags, name)));
}

/* Calls a method; prints the error and returns NULL on failure. */
static json_t *
main_call(struct client *c, const char *method, json_t *params)
{
	json_t	*res;
	char	*code, *msg;

	res = client_call(c, method, params, &code, &msg);
	if (res == NULL) {
		main_err("%s", msg);
		free(code);
		free(msg);
	}
	return (res);
}

static int
main_print_json(json_t *j)
{
	char	*s;

	s = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	printf("%s\n", s);
	free(s);
	return (0);
}

static void
main_when(int64_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (t == 0) {
		snprintf(buf, len, "-");
		return;
	}
	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static int
cmd_status(struct client *c, struct main_opts *o)
{
	json_t	*r, *counts, *wh;

	if ((r = main_call(c, "status", NULL)) == NULL)
		return (1);
	if (o->json)
		main_print_json(r);
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
	}
	json_decref(r);
	return (0);
}

static int
cmd_agent(struct client *c, struct main_opts *o, const char *method,
    int nargs)
{
	json_t		*params, *r, *a;
	const char	*role;
	size_t		 i;

	if (o->nargs != nargs)
		return (main_err("usage: support-inbox agent %s%s",
		    method + 6, nargs == 0 ? "" : strcmp(method, "agent.role")
		    == 0 ? " NAME ROLE" : strcmp(method, "agent.add") == 0 ?
		    " NAME [--role agent|supervisor|admin]" : " NAME"));
	params = json_object();
	if (nargs >= 1)
		json_object_set_new(params, "name", json_string(o->args[0]));
	if (strcmp(method, "agent.role") == 0)
		json_object_set_new(params, "role", json_string(o->args[1]));
	else if ((role = main_flag(o, "role")) != NULL)
		json_object_set_new(params, "role", json_string(role));
	if ((r = main_call(c, method, params)) == NULL)
		return (1);
	if (o->json)
		main_print_json(r);
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
cmd_agent_add(struct client *c, struct main_opts *o)
{
	return (cmd_agent(c, o, "agent.add", 1));
}

static int
cmd_agent_list(struct client *c, struct main_opts *o)
{
	return (cmd_agent(c, o, "agent.list", 0));
}

static int
cmd_agent_disable(struct client *c, struct main_opts *o)
{
	return (cmd_agent(c, o, "agent.disable", 1));
}

static int
cmd_agent_enable(struct client *c, struct main_opts *o)
{
	return (cmd_agent(c, o, "agent.enable", 1));
}

static int
cmd_agent_role(struct client *c, struct main_opts *o)
{
	return (cmd_agent(c, o, "agent.role", 2));
}

static int
main_parse_int(const char *s, long long *out)
{
	char	*end;

	if (s == NULL || *s == '\0')
		return (-1);
	*out = strtoll(s, &end, 10);
	return (*end == '\0' ? 0 : -1);
}

static int
cmd_list(struct client *c, struct main_opts *o)
{
	json_t		*params, *r, *row;
	const char	*s;
	long long	 v;
	size_t		 i;
	char		 when[32];

	if (o->nargs > 1)
		return (main_err("usage: support-inbox list [VIEW] "
		    "[--offset N] [--limit N] [--json]"));
	params = json_object();
	json_object_set_new(params, "view", json_string(o->nargs == 1 ?
	    o->args[0] : "all"));
	if ((s = main_flag(o, "offset")) != NULL) {
		if (main_parse_int(s, &v) != 0)
			return (main_err("--offset expects a number, not '%s'",
			    s));
		json_object_set_new(params, "offset", json_integer(v));
	}
	if ((s = main_flag(o, "limit")) != NULL) {
		if (main_parse_int(s, &v) != 0)
			return (main_err("--limit expects a number, not '%s'",
			    s));
		json_object_set_new(params, "limit", json_integer(v));
	}
	if ((r = main_call(c, "conv.list", params)) == NULL)
		return (1);
	if (o->json)
		main_print_json(r);
	else {
		json_array_foreach(json_object_get(r, "rows"), i, row) {
			main_when(json_integer_value(json_object_get(row,
			    "last_msg_at")), when, sizeof when);
			printf("%6lld  %-8s %-16s %3lld  %-20.20s %s\n",
			    json_integer_value(json_object_get(row, "id")),
			    json_string_value(json_object_get(row, "state")),
			    when,
			    json_integer_value(json_object_get(row, "unread")),
			    json_string_value(json_object_get(row, "name")),
			    json_string_value(json_object_get(row,
			    "preview")));
		}
	}
	json_decref(r);
	return (0);
}

static int
cmd_show(struct client *c, struct main_opts *o)
{
	json_t		*params, *r, *m, *body;
	const char	*s, *text;
	long long	 v;
	size_t		 i;
	char		 when[32];

	if (o->nargs != 1 || main_parse_int(o->args[0], &v) != 0)
		return (main_err("usage: support-inbox show CONV [--before "
		    "MSG] [--limit N] [--purpose TEXT] [--json]"));
	params = json_pack("{sI}", "id", (json_int_t)v);
	if ((s = main_flag(o, "before")) != NULL) {
		if (main_parse_int(s, &v) != 0)
			return (main_err("--before expects a message id"));
		json_object_set_new(params, "before", json_integer(v));
	}
	if ((s = main_flag(o, "limit")) != NULL) {
		if (main_parse_int(s, &v) != 0)
			return (main_err("--limit expects a number"));
		json_object_set_new(params, "limit", json_integer(v));
	}
	if ((s = main_flag(o, "purpose")) != NULL)
		json_object_set_new(params, "purpose", json_string(s));
	if ((r = main_call(c, "conv.show", params)) == NULL)
		return (1);
	if (o->json)
		main_print_json(r);
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
			main_when(json_integer_value(json_object_get(m, "ts")),
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

static int
cmd_audit_verify(struct client *c, struct main_opts *o)
{
	json_t	*r;
	int	 ok;

	if ((r = main_call(c, "audit.verify", NULL)) == NULL)
		return (1);
	ok = json_is_true(json_object_get(r, "ok"));
	if (o->json)
		main_print_json(r);
	else if (ok)
		printf("audit log intact: %lld records, %lld signed "
		    "checkpoints\n", json_integer_value(json_object_get(r,
		    "records")), json_integer_value(json_object_get(r,
		    "checkpoints")));
	if (!ok)
		main_err("audit log damaged at sequence %lld: %s",
		    json_integer_value(json_object_get(r, "first_bad_seq")),
		    json_string_value(json_object_get(r, "reason")));
	json_decref(r);
	return (ok ? 0 : 1);
}

static const struct main_cmd main_cmds[] = {
	{ "status", NULL, "status [--json]", cmd_status },
	{ "agent", "add", "agent add NAME [--role ROLE]", cmd_agent_add },
	{ "agent", "list", "agent list", cmd_agent_list },
	{ "agent", "disable", "agent disable NAME", cmd_agent_disable },
	{ "agent", "enable", "agent enable NAME", cmd_agent_enable },
	{ "agent", "role", "agent role NAME agent|supervisor|admin",
	    cmd_agent_role },
	{ "list", NULL, "list [VIEW] [--offset N] [--limit N]", cmd_list },
	{ "show", NULL, "show CONV [--before MSG] [--limit N]", cmd_show },
	{ "audit", "verify", "audit verify", cmd_audit_verify },
	{ NULL, NULL, NULL, NULL }
};

static void
main_usage(void)
{
	const struct main_cmd	*m;

	fprintf(stderr, "usage: support-inbox [--socket PATH] [-c CONFIG] "
	    "[--json] [COMMAND ...]\nwith no command, opens the inbox.\n"
	    "commands:\n");
	for (m = main_cmds; m->name != NULL; m++)
		fprintf(stderr, "  %s\n", m->usage);
}

/* Flags taking no value; every other --flag takes one. */
static int
main_bool_flag(const char *name)
{
	return (strcmp(name, "json") == 0 || strcmp(name, "yes") == 0 ||
	    strcmp(name, "force") == 0 || strcmp(name, "help") == 0);
}

int
main(int argc, char **argv)
{
	struct main_opts	 o;
	const struct main_cmd	*m;
	struct client		 c;
	char			*path, *cause = NULL;
	const char		*cmd, *sub;
	int			 i, rc;

	memset(&o, 0, sizeof o);
	o.flags = json_object();
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0 ||
		    strcmp(a, "--socket") == 0) {
			if (i + 1 >= argc)
				return (main_err("%s needs a value", a));
			if (strcmp(a, "--socket") == 0)
				o.socket = argv[++i];
			else
				o.config = argv[++i];
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc && o.nargs < MAIN_MAX_ARGS; i++)
				o.args[o.nargs++] = argv[i];
		} else if (strncmp(a, "--", 2) == 0 && a[2] != '\0') {
			if (main_bool_flag(a + 2))
				json_object_set_new(o.flags, a + 2,
				    json_string("1"));
			else if (i + 1 >= argc)
				return (main_err("%s needs a value", a));
			else
				json_object_set_new(o.flags, a + 2,
				    json_string(argv[++i]));
		} else if (o.nargs < MAIN_MAX_ARGS)
			o.args[o.nargs++] = a;
		else
			return (main_err("too many arguments"));
	}
	if (main_flag(&o, "help") != NULL) {
		main_usage();
		return (0);
	}
	o.json = main_flag(&o, "json") != NULL;
	o.yes = main_flag(&o, "yes") != NULL;
	if ((path = client_socket_path(o.socket, o.config, &cause)) == NULL)
		return (main_err("%s", cause));
	if (o.nargs == 0) {
		rc = ui_main(path, o.config);
		free(path);
		json_decref(o.flags);
		return (rc);
	}
	cmd = o.args[0];
	sub = o.nargs > 1 ? o.args[1] : NULL;
	for (m = main_cmds; m->name != NULL; m++) {
		if (strcmp(m->name, cmd) != 0)
			continue;
		if (m->sub == NULL || (sub != NULL && strcmp(m->sub, sub) == 0))
			break;
	}
	if (m->name == NULL) {
		main_usage();
		return (main_err("unknown command '%s%s%s'", cmd,
		    sub != NULL ? " " : "", sub != NULL ? sub : ""));
	}
	/* Shift the command words off the positional arguments. */
	i = m->sub != NULL ? 2 : 1;
	memmove(o.args, o.args + i, (size_t)(o.nargs - i) * sizeof o.args[0]);
	o.nargs -= i;
	if (client_connect(&c, path, &cause) != 0) {
		free(path);
		return (main_err("%s", cause));
	}
	free(path);
	rc = m->fn(&c, &o);
	client_close(&c);
	json_decref(o.flags);
	return (rc);
}
