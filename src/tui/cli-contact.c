/*
 * CLI: a contact's details and revealing its number, purpose-bound
 * (contact.*, rpc-contact.c); and the CONTACT argument the consent and
 * privacy commands take too (cli_contact_target, CLI_CONTACT_USAGE in
 * cli.h): conv:N (the contact of conversation N), contact:N (internal id),
 * a phone number or a BSUID.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

json_t *
cli_contact_target(const char *spec)
{
	return (json_pack("{ss}", "contact", spec));
}

/* contact show|reveal CONTACT [--purpose TEXT] */
static int
cli_contact_read(struct client *c, struct cli_opts *o, const char *method)
{
	json_t		*p, *r;
	const char	*purpose = cli_flag(o, "purpose");

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox %s CONTACT [--purpose "
		    "TEXT]; " CLI_CONTACT_USAGE, strcmp(method,
		    PM_CONTACT_SHOW) == 0 ? "contact show" : "contact reveal"));
	p = cli_contact_target(o->args[0]);
	if (purpose != NULL)
		json_object_set_new(p, "purpose", json_string(purpose));
	if ((r = cli_call(c, method, p)) == NULL)
		return (1);
	if (!o->json && strcmp(method, PM_CONTACT_REVEAL) == 0) {
		printf("%s\n", json_is_string(json_object_get(r, "phone")) ?
		    json_string_value(json_object_get(r, "phone")) :
		    json_is_string(json_object_get(r, "user_id")) ?
		    json_string_value(json_object_get(r, "user_id")) :
		    "(no number)");
		json_decref(r);
		return (0);
	}
	return (cli_print_free(r));
}

static int
cli_contact_show(struct client *c, struct cli_opts *o)
{
	return (cli_contact_read(c, o, PM_CONTACT_SHOW));
}

static int
cli_contact_reveal(struct client *c, struct cli_opts *o)
{
	return (cli_contact_read(c, o, PM_CONTACT_REVEAL));
}

const struct cli_entry cli_contact_table[] = {
	{ "contact", "show", "contact show CONTACT [--purpose TEXT]",
	    cli_contact_show },
	{ "contact", "reveal", "contact reveal CONTACT [--purpose TEXT]",
	    cli_contact_reveal },
	{ NULL, NULL, NULL, NULL }
};
