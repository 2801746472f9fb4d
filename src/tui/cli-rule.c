/*
 * CLI: rules and macros (rule.*, macro.*; rpc-rule.c, rpc-macro.c).
 * "rule check" reads a rule file here, without the daemon, with the
 * parser the daemon uses (rulefile.c), so a file is checked before it is
 * put in place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "conf.h"
#include "proto-names.h"
#include "rulefile.h"

static void
cli_rule_list_print(json_t *r)
{
	json_t	*rule, *v;
	size_t	 i, k;

	if (json_is_null(json_object_get(r, "file"))) {
		printf("no rule file ([automation] rules is not set)\n");
		return;
	}
	printf("rules of %s:\n", cli_str(r, "file"));
	json_array_foreach(json_object_get(r, "rules"), i, rule) {
		printf("rule %s%s\n  %s\n", cli_str(rule, "rule"),
		    json_is_true(json_object_get(rule, "enabled")) ? "" :
		    "  (disabled)", cli_str(rule, "trigger"));
		json_array_foreach(json_object_get(rule, "conditions"), k, v)
			printf("  %s\n", json_string_value(v));
		json_array_foreach(json_object_get(rule, "actions"), k, v)
			printf("  %s\n", json_string_value(v));
	}
}

static int
cli_rule_list(struct client *c, struct cli_opts *o)
{
	return (cli_simple(c, o, PM_RULE_LIST, json_object(),
	    cli_rule_list_print));
}

int
cli_rule_check(struct cli_opts *o)
{
	struct rulefile	*rf;
	struct conf	 conf;
	const char	*config;
	json_t		*errors, *e;
	char		*path, *cause = NULL;
	size_t		 i;
	int		 rc;

	if (o->nargs > 3)
		return (cli_err("usage: support-inbox rule check [FILE]"));
	if (o->nargs == 3)
		path = strdup(o->args[2]);
	else {
		config = o->config != NULL ? o->config :
		    getenv("SUPPORT_INBOX_CONFIG");
		if (config == NULL || *config == '\0')
			return (cli_err("rule check: name the FILE, or the "
			    "configuration (-c CONFIG) whose [automation] "
			    "rules to check"));
		conf_defaults(&conf);
		if (conf_load(&conf, config, 0, &cause) != 0) {
			conf_release(&conf);
			rc = cli_err("%s", cause);
			free(cause);
			return (rc);
		}
		path = conf.rules_file != NULL ? strdup(conf.rules_file) :
		    NULL;
		conf_release(&conf);
		if (path == NULL)
			return (cli_err("rule check: %s sets no [automation] "
			    "rules; name the FILE", config));
	}
	if (path == NULL)
		return (cli_err("out of memory"));
	if (rulefile_load(path, &rf, &errors) != 0) {
		if (o->json)
			cli_print_free(json_pack("{ss sb sO}", "file", path,
			    "ok", 0, "errors", errors));
		else {
			json_array_foreach(errors, i, e)
				fprintf(stderr, "%s\n", json_string_value(e));
		}
		json_decref(errors);
		free(path);
		return (1);
	}
	if (o->json)
		cli_print_free(json_pack("{ss sb sI sI}", "file", path, "ok", 1,
		    "rules", (json_int_t)rf->nrules, "macros",
		    (json_int_t)rf->nmacros));
	else
		printf("%s: %zu rule(s), %zu macro(s), no errors\n", path,
		    rf->nrules, rf->nmacros);
	rulefile_free(rf);
	free(path);
	return (0);
}

/* Reached only if main did not take "rule check" before connecting. */
static int
cli_rule_check_cmd(struct client *c, struct cli_opts *o)
{
	(void)c;
	return (cli_rule_check(o));
}

static void
cli_rule_test_print(json_t *r)
{
	json_t	*rule, *cond;
	size_t	 i, k;

	json_array_foreach(json_object_get(r, "rules"), i, rule) {
		printf("%-24s %s", cli_str(rule, "rule"),
		    json_is_true(json_object_get(rule, "fires")) ? "FIRES" :
		    "no");
		if (json_object_get(rule, "why") != NULL)
			printf(" (%s)", cli_str(rule, "why"));
		printf("\n");
		json_array_foreach(json_object_get(rule, "conditions"), k,
		    cond)
			printf("  %-5s %s: %s\n", json_is_true(json_object_get(
			    cond, "holds")) ? "true" : "false",
			    cli_str(cond, "condition"), cli_str(cond, "why"));
	}
}

static int
cli_rule_test(struct client *c, struct cli_opts *o)
{
	json_t		*params = json_object();
	const char	*keys[] = { "text", "number", "lang", "team" }, *v;
	long long	 conv;
	size_t		 i;

	if (o->nargs != 0) {
		json_decref(params);
		return (cli_err("usage: support-inbox rule test --text TEXT "
		    "[--number LABEL] [--lang L] [--team T] [--conv N]"));
	}
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if ((v = cli_flag(o, keys[i])) != NULL)
			json_object_set_new(params, keys[i], json_string(v));
	}
	if ((v = cli_flag(o, "conv")) != NULL) {
		if (cli_parse_positive(v, "--conv", &conv) != 0) {
			json_decref(params);
			return (1);
		}
		json_object_set_new(params, "conv", json_integer(conv));
	}
	return (cli_simple(c, o, PM_RULE_TEST, params, cli_rule_test_print));
}

static int
cli_rule_switch(struct client *c, struct cli_opts *o, const char *method)
{
	if (o->nargs != 1)
		return (cli_err("usage: support-inbox rule %s RULE",
		    strcmp(method, PM_RULE_ENABLE) == 0 ? "enable" :
		    "disable"));
	return (cli_simple(c, o, method, json_pack("{ss}", "rule",
	    o->args[0]), NULL));
}

static int
cli_rule_enable(struct client *c, struct cli_opts *o)
{
	return (cli_rule_switch(c, o, PM_RULE_ENABLE));
}

static int
cli_rule_disable(struct client *c, struct cli_opts *o)
{
	return (cli_rule_switch(c, o, PM_RULE_DISABLE));
}

static void
cli_macro_list_print(json_t *r)
{
	json_t	*m, *a;
	size_t	 i, k;

	json_array_foreach(json_object_get(r, "macros"), i, m) {
		printf("macro %s\n", cli_str(m, "macro"));
		json_array_foreach(json_object_get(m, "actions"), k, a)
			printf("  %s\n", json_string_value(a));
	}
}

static int
cli_macro_list(struct client *c, struct cli_opts *o)
{
	return (cli_simple(c, o, PM_MACRO_LIST, json_object(),
	    cli_macro_list_print));
}

static void
cli_macro_run_print(json_t *r)
{
	printf("macro %s done on conversation %lld: %zu action(s)\n",
	    cli_str(r, "macro"), (long long)json_integer_value(
	    json_object_get(r, "conversation")), json_array_size(
	    json_object_get(r, "actions")));
}

static int
cli_macro_run(struct client *c, struct cli_opts *o)
{
	json_int_t	conv;

	if (o->nargs != 2)
		return (cli_err("usage: support-inbox macro run NAME CONV"));
	if (cli_conv_arg(o->args[1], &conv) != 0)
		return (1);
	return (cli_simple(c, o, PM_MACRO_RUN, json_pack("{ss sI}", "macro",
	    o->args[0], "conv", conv), cli_macro_run_print));
}

const struct cli_entry cli_rule_table[] = {
	{ "rule", "list", "rule list", cli_rule_list },
	{ "rule", "check", "rule check [FILE]", cli_rule_check_cmd },
	{ "rule", "test", "rule test --text TEXT [--number L] [--lang L] "
	    "[--team T] [--conv N]", cli_rule_test },
	{ "rule", "enable", "rule enable RULE", cli_rule_enable },
	{ "rule", "disable", "rule disable RULE", cli_rule_disable },
	{ "macro", "list", "macro list", cli_macro_list },
	{ "macro", "run", "macro run NAME CONV", cli_macro_run },
	{ NULL, NULL, NULL, NULL }
};
