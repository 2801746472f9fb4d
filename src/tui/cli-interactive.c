/*
 * CLI: reply buttons and list messages (issue 16). The flags shape the
 * spec (ispec.h); the daemon checks Meta's limits and refuses a broken
 * one before anything is queued. A complex list comes from a file, in
 * the spec's JSON (doc/protocol.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "ispec.h"
#include "xmalloc.h"

#define CLI_INTERACTIVE_FILE_MAX	(64 * 1024)

static json_t *
cli_interactive_file(const char *path)
{
	json_error_t	 je;
	json_t		*spec;
	FILE		*f;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		cli_err("cannot read %s; give a readable JSON file", path);
		return (NULL);
	}
	spec = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	if (f != stdin)
		fclose(f);
	if (spec == NULL) {
		cli_err("%s:%d: %s; the file holds one JSON object (see "
		    "support-inbox(1), INTERACTIVE MESSAGES)", path, je.line,
		    je.text);
		return (NULL);
	}
	if (!json_is_object(spec) || je.position > CLI_INTERACTIVE_FILE_MAX) {
		json_decref(spec);
		cli_err("%s: not one JSON object of at most 64 KiB", path);
		return (NULL);
	}
	return (spec);
}

int
cli_interactive(struct cli_opts *o, const char *text, json_t *params)
{
	static const char *const single[] = { "buttons", "list", "header",
				    "footer" };
	const char	*file = cli_flag(o, "interactive-file"), *v;
	json_t		*spec, *pairs, *p;
	char		*cause = NULL;
	size_t		 i;

	pairs = json_object_get(o->flags, "ispec");
	if (file == NULL && cli_flag(o, "buttons") == NULL &&
	    cli_flag(o, "list") == NULL && pairs == NULL)
		return (0);
	if (file != NULL) {
		if (cli_flag(o, "buttons") != NULL || cli_flag(o, "list") !=
		    NULL || pairs != NULL) {
			cli_err("give --interactive-file or --buttons/--list, "
			    "not both");
			return (-1);
		}
		if ((spec = cli_interactive_file(file)) == NULL)
			return (-1);
	} else {
		spec = json_object();
		for (i = 0; i < sizeof single / sizeof single[0]; i++) {
			if ((v = cli_flag(o, single[i])) != NULL &&
			    ispec_add(spec, single[i], v, &cause) != 0)
				goto fail;
		}
		json_array_foreach(pairs, i, p) {
			if (ispec_add(spec, json_string_value(json_array_get(p,
			    0)), json_string_value(json_array_get(p, 1)),
			    &cause) != 0)
				goto fail;
		}
		if (json_object_get(spec, "sections") != NULL &&
		    json_object_get(spec, "button") == NULL) {
			cause = xstrdup("a list needs --list BUTTON-TEXT (the "
			    "button that opens it)");
			goto fail;
		}
	}
	if (text != NULL)
		json_object_set_new(spec, "body", json_string(text));
	if (json_object_get(spec, "body") == NULL) {
		json_decref(spec);
		cli_err("an interactive message needs its text: --text TEXT");
		return (-1);
	}
	json_object_set_new(params, "interactive", spec);
	return (1);
fail:
	json_decref(spec);
	cli_err("%s", cause);
	free(cause);
	return (-1);
}
