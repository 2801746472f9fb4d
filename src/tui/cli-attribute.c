/*
 * CLI: the contact attributes a team defines (attribute.*,
 * rpc-attribute.c): "attribute define NAME TYPE [VALUES]", "attribute
 * list", "attribute remove NAME". A contact's values are set with
 * "contact edit" (cli-contact.c).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

static void
cli_attribute_define_print(json_t *r)
{
	printf("attribute %s (%s) defined\n", cli_str(r, "name"),
	    cli_str(r, "type"));
}

static int
cli_attribute_define(struct client *c, struct cli_opts *o)
{
	json_t		*p;
	const char	*values = cli_flag(o, "values");

	if (o->nargs != 2 && o->nargs != 3)
		return (cli_err("usage: support-inbox attribute define NAME "
		    "text|number|date|bool|enum [VALUE,VALUE,...] (the "
		    "values of an enum)"));
	if (o->nargs == 3)
		values = o->args[2];
	p = json_pack("{ss ss}", "name", o->args[0], "type", o->args[1]);
	if (values != NULL)
		json_object_set_new(p, "values", json_string(values));
	return (cli_simple(c, o, PM_ATTRIBUTE_DEFINE, p,
	    cli_attribute_define_print));
}

static void
cli_attribute_list_print(json_t *r)
{
	json_t	*a, *v;
	size_t	 i, j;

	json_array_foreach(r, i, a) {
		printf("%-24s %-7s %5lld contact(s)", cli_str(a, "name"),
		    cli_str(a, "type"), (long long)json_integer_value(
		    json_object_get(a, "contacts")));
		json_array_foreach(json_object_get(a, "choices"), j, v)
			printf("%s%s", j == 0 ? "  " : ",",
			    json_string_value(v));
		printf("\n");
	}
	if (json_array_size(r) == 0)
		printf("no attributes (define one: support-inbox attribute "
		    "define NAME TYPE)\n");
}

static int
cli_attribute_list(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 0)
		return (cli_err("usage: support-inbox attribute list"));
	return (cli_simple(c, o, PM_ATTRIBUTE_LIST, NULL,
	    cli_attribute_list_print));
}

static void
cli_attribute_remove_print(json_t *r)
{
	printf("attribute %s removed (%lld value(s) with it)\n",
	    cli_str(r, "name"), (long long)json_integer_value(
	    json_object_get(r, "values")));
}

static int
cli_attribute_remove(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 1)
		return (cli_err("usage: support-inbox attribute remove NAME"));
	return (cli_simple(c, o, PM_ATTRIBUTE_REMOVE, json_pack("{ss}",
	    "name", o->args[0]), cli_attribute_remove_print));
}

const struct cli_entry cli_attribute_table[] = {
	{ "attribute", "define", "attribute define NAME "
	    "text|number|date|bool|enum [VALUE,VALUE,...|--values "
	    "VALUE,VALUE,...]", cli_attribute_define },
	{ "attribute", "list", "attribute list", cli_attribute_list },
	{ "attribute", "remove", "attribute remove NAME",
	    cli_attribute_remove },
	{ NULL, NULL, NULL, NULL }
};
