/*
 * CLI: labels (label.*, rpc-label.c): listing, creating, renaming and
 * deleting them, and "label add|remove", which put one on conversations or
 * take it off (conv.label, conv.unlabel): a reader looking for labels looks
 * here.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

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
	return (cli_simple(c, o, PM_LABEL_LIST, NULL, cli_label_list_print));
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
	return (cli_simple(c, o, PM_LABEL_CREATE, params, NULL));
}

static int
cli_label_rename(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 2)
		return (cli_err("usage: support-inbox label rename OLD NEW"));
	return (cli_simple(c, o, PM_LABEL_RENAME, json_pack("{ss ss}", "name",
	    o->args[0], "to", o->args[1]), NULL));
}

static int
cli_label_delete(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 1)
		return (cli_err("usage: support-inbox label delete NAME"));
	return (cli_simple(c, o, PM_LABEL_DELETE, json_pack("{ss}", "name",
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
		    strcmp(method, PM_CONV_LABEL) == 0 ? "add" : "remove"));
	if ((ids = cli_conv_ids(o, 1, o->nargs)) == NULL)
		return (1);
	return (cli_simple(c, o, method, json_pack("{ss so}", "label",
	    o->args[0], "ids", ids), cli_label_conv_print));
}

static int
cli_label_add(struct client *c, struct cli_opts *o)
{
	return (cli_label_conv(c, o, PM_CONV_LABEL));
}

static int
cli_label_remove(struct client *c, struct cli_opts *o)
{
	return (cli_label_conv(c, o, PM_CONV_UNLABEL));
}

const struct cli_entry cli_label_table[] = {
	{ "label", "list", "label list", cli_label_list },
	{ "label", "create", "label create NAME [--color C]",
	    cli_label_create },
	{ "label", "rename", "label rename OLD NEW", cli_label_rename },
	{ "label", "delete", "label delete NAME", cli_label_delete },
	{ "label", "add", "label add NAME CONV...", cli_label_add },
	{ "label", "remove", "label remove NAME CONV...", cli_label_remove },
	{ NULL, NULL, NULL, NULL }
};
