/*
 * support-inbox: with no command, the TUI; with a command, a thin CLI over
 * the same protocol methods (so scripts can do what agents do, audited the
 * same way). Every command exits 0 on success, 1 with one line on stderr
 * otherwise; --json prints the daemon's result on stdout.
 */
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "ui.h"
#include "version.h"
#include "xmalloc.h"

/*
 * Every command table, in the order --help lists the commands (and the
 * order they are looked up in: "outbox resume" before "outbox"). A new
 * command goes in the cli-<namespace>.c of the methods it calls.
 */
static const struct cli_entry *main_tables[] = {
	cli_session_table,
	cli_agent_table,
	cli_audit_verify_table,
	cli_daemon_table,
	cli_conv_table,
	cli_agent_assign_table,
	cli_conv_state_table,
	cli_note_table,
	cli_label_table,
	cli_canned_table,
	cli_search_table,
	cli_session_events_table,
	cli_presence_table,
	cli_send_table,
	cli_outbox_table,
	cli_conv_typing_table,
	cli_templates_table,
	cli_contact_table,
	cli_consent_table,
	cli_privacy_table,
	cli_audit_table,
	cli_meta_table,
	cli_media_table,
	cli_attribute_table,
	cli_contact_io_table,
	cli_conv_start_table,
	cli_notice_table,
	cli_rule_table,
	cli_survey_table,
	cli_hours_table,
	cli_optin_table,
	cli_campaign_table,
	cli_export_table,
	cli_hook_table,
	cli_report_table,
	cli_floor_table,
	cli_sla_table,
};

static void
main_usage(void)
{
	const struct cli_entry	*m;
	size_t			 t;

	fprintf(stderr, "usage: support-inbox [--socket PATH] [-c CONFIG] "
	    "[--json] [COMMAND ...]\nwith no command, opens the inbox.\n"
	    "commands:\n");
	fprintf(stderr, "  demo   (a demo inbox on a temporary directory)\n");
	for (t = 0; t < sizeof main_tables / sizeof main_tables[0]; t++) {
		for (m = main_tables[t]; m->name != NULL; m++)
			fprintf(stderr, "  %s\n", m->usage);
	}
}

static const struct cli_entry *
main_find(const char *cmd, const char *sub)
{
	const struct cli_entry	*m;
	size_t			 t;

	for (t = 0; t < sizeof main_tables / sizeof main_tables[0]; t++) {
		for (m = main_tables[t]; m->name != NULL; m++) {
			if (strcmp(m->name, cmd) != 0)
				continue;
			if (m->sub == NULL ||
			    (sub != NULL && strcmp(m->sub, sub) == 0))
				return (m);
		}
	}
	return (NULL);
}

/* Flags taking no value; every other --flag takes one. */
static int
main_bool_flag(const char *name, const char *cmd)
{
	/* Switches of one command only: elsewhere the name takes a value
	   ("reply --list BUTTON", "reply --text TEXT"). */
	static const char *const scoped[][2] = {
		{ "optin", "text" },	/* optin link --text */
		{ "campaign", "list" },	/* campaign preview --list */
		{ "export", "notes" },	/* export transcript --notes */
		{ "export", "full-numbers" },
		{ "export", "raw" },	/* no formula guard */
		{ "hook", "all-failed" },	/* hook retry --all-failed */
	};
	size_t	i;

	for (i = 0; i < sizeof scoped / sizeof scoped[0]; i++)
		if (cmd != NULL && strcmp(cmd, scoped[i][0]) == 0 &&
		    strcmp(name, scoped[i][1]) == 0)
			return (1);
	return (strcmp(name, "json") == 0 || strcmp(name, "yes") == 0 ||
	    strcmp(name, "force") == 0 || strcmp(name, "help") == 0 ||
	    strcmp(name, "failed") == 0 || strcmp(name, "dry-run") == 0 ||
	    strcmp(name, "detail") == 0 || strcmp(name, "all") == 0 ||
	    strcmp(name, "queue") == 0);
}

/*
 * Whether the command's usage names --flag (or the flag is everyone's): a
 * misspelt or misplaced flag ("list --view open") is refused instead of
 * ignored. The usage strings are the one list of what a command takes.
 * The repeatable flags are collected under other keys (main below).
 */
static int
main_known_flag(const struct cli_entry *m, const char *key)
{
	static const char *const repeated[][3] = {
		{ "params", "param", NULL },
		{ "fields", "field", NULL },
		{ "ispec", "row", "section" },
	};
	const char	*names[2] = { key, NULL }, *p;
	size_t		 i, k, len;

	/* Everyone's: --yes answers a question, --force acts on a
	 * colleague's conversation (cli_simple passes it to any method). */
	if (strcmp(key, "json") == 0 || strcmp(key, "help") == 0 ||
	    strcmp(key, "yes") == 0 || strcmp(key, "force") == 0)
		return (1);
	for (i = 0; i < sizeof repeated / sizeof repeated[0]; i++)
		if (strcmp(key, repeated[i][0]) == 0) {
			names[0] = repeated[i][1];
			names[1] = repeated[i][2];
		}
	for (k = 0; k < 2 && names[k] != NULL; k++) {
		len = strlen(names[k]);
		for (p = m->usage; (p = strstr(p, "--")) != NULL; p += 2)
			if (strncmp(p + 2, names[k], len) == 0 &&
			    !(p[2 + len] == '-' || (p[2 + len] >= 'a' &&
			    p[2 + len] <= 'z')))
				return (1);
	}
	return (0);
}

/*
 * Decrypted message text sits in this process's memory: a crash must not
 * write it to a core file (in the agent's working directory, by default),
 * and no other process of the agent's may read it out of /proc or attach a
 * debugger. So, before anything else, no core dumps and not dumpable.
 */
static void
main_no_core(void)
{
	struct rlimit	rl;

	rl.rlim_cur = rl.rlim_max = 0;
	(void)setrlimit(RLIMIT_CORE, &rl);
#ifdef __linux__
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

int
main(int argc, char **argv)
{
	struct cli_opts	 o;
	const struct cli_entry	*m;
	struct client		 c;
	char			*path, *cause = NULL;
	const char		*cmd, *sub, *key;
	json_t			*val;
	int			 i, rc;

	main_no_core();
	if (argc == 2 && (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0)) {
		printf("support-inbox %s\n", SI_VERSION);
		return (0);
	}
	memset(&o, 0, sizeof o);
	o.flags = json_object();
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0 ||
		    strcmp(a, "--socket") == 0) {
			if (i + 1 >= argc)
				return (cli_err("%s needs a value", a));
			if (strcmp(a, "--socket") == 0)
				o.socket = argv[++i];
			else
				o.config = argv[++i];
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc && o.nargs < CLI_MAX_ARGS; i++)
				o.args[o.nargs++] = argv[i];
		} else if (strcmp(a, "--param") == 0 && i + 1 < argc) {
			/* Repeatable: collected in order under "params". */
			if (json_object_get(o.flags, "params") == NULL)
				json_object_set_new(o.flags, "params",
				    json_array());
			json_array_append_new(json_object_get(o.flags,
			    "params"), json_string(argv[++i]));
		} else if (strcmp(a, "--field") == 0 && i + 1 < argc) {
			/* Repeatable: "LABEL=VALUE" pairs under "fields". */
			if (json_object_get(o.flags, "fields") == NULL)
				json_object_set_new(o.flags, "fields",
				    json_array());
			json_array_append_new(json_object_get(o.flags,
			    "fields"), json_string(argv[++i]));
		} else if ((strcmp(a, "--row") == 0 ||
		    strcmp(a, "--section") == 0) && i + 1 < argc) {
			/* Repeatable, in order: a list's sections and rows. */
			if (json_object_get(o.flags, "ispec") == NULL)
				json_object_set_new(o.flags, "ispec",
				    json_array());
			if (json_array_append_new(json_object_get(o.flags,
			    "ispec"), json_pack("[ss]", a + 2, argv[i + 1])))
				return (cli_err("%s: not valid UTF-8", a));
			i++;
		} else if (strncmp(a, "--", 2) == 0 && a[2] != '\0') {
			if (main_bool_flag(a + 2, o.nargs > 0 ? o.args[0] :
			    NULL))
				json_object_set_new(o.flags, a + 2,
				    json_string("1"));
			else if (i + 1 >= argc)
				return (cli_err("%s needs a value", a));
			else if (strcmp(a + 2, "lang") == 0 &&
			    cli_flag(&o, "lang") != NULL) {
				/* "--lang de --lang en_US": a list, as
				   "--lang de,en_US" (campaign create); a
				   command taking one refuses it. */
				char *l = xasprintf("%s,%s", cli_flag(&o,
				    "lang"), argv[++i]);

				json_object_set_new(o.flags, "lang",
				    json_string(l));
				free(l);
			} else
				json_object_set_new(o.flags, a + 2,
				    json_string(argv[++i]));
		} else if (o.nargs < CLI_MAX_ARGS)
			o.args[o.nargs++] = a;
		else
			return (cli_err("too many arguments"));
	}
	if (cli_flag(&o, "help") != NULL) {
		main_usage();
		return (0);
	}
	o.json = cli_flag(&o, "json") != NULL;
	o.yes = cli_flag(&o, "yes") != NULL;
	/* The demo starts a daemon of its own: nothing to connect to yet. */
	if (o.nargs > 0 && strcmp(o.args[0], "demo") == 0)
		return (cli_demo(&o));
	if (o.nargs > 1 && strcmp(o.args[0], "rule") == 0 &&
	    strcmp(o.args[1], "check") == 0) {
		rc = cli_rule_check(&o);	/* reads a file, no daemon */
		json_decref(o.flags);
		return (rc);
	}
	if ((path = client_socket_path(o.socket, o.config, &cause)) == NULL) {
		cli_err("%s", cause);
		free(cause);
		json_decref(o.flags);
		return (1);
	}
	if (o.nargs == 0) {
		rc = ui_main(path, o.config);
		free(path);
		json_decref(o.flags);
		return (rc);
	}
	cli_clean_stdio();
	cmd = o.args[0];
	sub = o.nargs > 1 ? o.args[1] : NULL;
	m = main_find(cmd, sub);
	if (m == NULL) {
		main_usage();
		return (cli_err("unknown command '%s%s%s'", cmd,
		    sub != NULL ? " " : "", sub != NULL ? sub : ""));
	}
	json_object_foreach(o.flags, key, val) {
		if (!main_known_flag(m, key)) {
			rc = cli_err("%s%s%s does not take --%s; usage: %s",
			    cmd, m->sub != NULL ? " " : "", m->sub != NULL ?
			    m->sub : "", strcmp(key, "params") == 0 ? "param" :
			    key, m->usage);
			json_decref(o.flags);
			free(path);
			return (rc);
		}
	}
	/* Shift the command words off the positional arguments. */
	i = m->sub != NULL ? 2 : 1;
	memmove(o.args, o.args + i, (size_t)(o.nargs - i) * sizeof o.args[0]);
	o.nargs -= i;
	if (client_connect(&c, path, &cause) != 0) {
		free(path);
		return (cli_err("%s", cause));
	}
	free(path);
	rc = m->fn(&c, &o);
	client_close(&c);
	json_decref(o.flags);
	return (rc);
}
