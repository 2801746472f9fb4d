/*
 * CLI: a contact's recorded consent, marketing and service (consent.*,
 * rpc-consent.c): showing it and recording an opt-in or opt-out.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

/* The privacy notices sent (issue 16): "informed: notice version 3 ...". */
static void
cli_consent_informed_print(json_t *informed)
{
	json_t	*e;
	size_t	 i;
	char	 when[64];

	if (json_array_size(informed) == 0)
		printf("informed: no privacy notice sent\n");
	json_array_foreach(informed, i, e) {
		cli_when(json_integer_value(json_object_get(e, "ts")), when,
		    sizeof when);
		printf("informed: notice version %s at %s (%s, message %lld)\n",
		    cli_str(e, "text_version"), when, cli_str(e,
		    "source_text"), (long long)json_integer_value(
		    json_object_get(e, "evidence_message")));
	}
}

static int
cli_consent_show(struct client *c, struct cli_opts *o)
{
	json_t	*r, *p;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox consent show CONTACT "
		    "[--purpose TEXT]"));
	p = cli_contact_target(o->args[0]);
	if (cli_flag(o, "purpose") != NULL)
		json_object_set_new(p, "purpose",
		    json_string(cli_flag(o, "purpose")));
	if ((r = cli_call(c, PM_CONSENT_SHOW, p)) == NULL)
		return (1);
	if (!o->json) {
		printf("marketing: %s\nservice: %s\n",
		    json_is_true(json_object_get(r, "marketing")) ? "opted in" :
		    "no opt-in", json_is_true(json_object_get(r, "service")) ?
		    "opted in" : "no opt-in");
		cli_consent_informed_print(json_object_get(r, "informed"));
		json_decref(r);
		return (0);
	}
	return (cli_print_free(r));
}

static int
cli_consent_set(struct client *c, struct cli_opts *o)
{
	json_t		*p, *r;
	const char	*reason = cli_flag(o, "reason");

	if (o->nargs != 3 || (strcmp(o->args[2], "on") != 0 &&
	    strcmp(o->args[2], "off") != 0))
		return (cli_err("usage: support-inbox consent set CONTACT "
		    "marketing|service on|off [--reason TEXT]"));
	p = cli_contact_target(o->args[0]);
	json_object_set_new(p, "category", json_string(o->args[1]));
	json_object_set_new(p, "on", json_boolean(strcmp(o->args[2],
	    "on") == 0));
	if (reason != NULL)
		json_object_set_new(p, "reason", json_string(reason));
	if ((r = cli_call(c, PM_CONSENT_SET, p)) == NULL)
		return (1);
	if (!o->json) {
		printf("%s consent %s recorded\n", o->args[1],
		    strcmp(o->args[2], "on") == 0 ? "opt-in" : "opt-out");
		json_decref(r);
		return (0);
	}
	return (cli_print_free(r));
}

const struct cli_entry cli_consent_table[] = {
	{ "consent", "show", "consent show CONTACT [--purpose TEXT]",
	    cli_consent_show },
	{ "consent", "set", "consent set CONTACT marketing|service on|off "
	    "[--reason TEXT]", cli_consent_set },
	{ NULL, NULL, NULL, NULL }
};
