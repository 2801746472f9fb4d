/*
 * CLI: canned replies (canned.*, rpc-canned.c): listing, adding, editing,
 * removing and rendering them, and exporting them to files (one a reply)
 * and importing them back.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"
#include "xmalloc.h"

#define CLI_CANNED_FILE_MAX	(64 * 1024)

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
	return (cli_simple(c, o, PM_CANNED_LIST, params,
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
	return (cli_canned_put(c, o, PM_CANNED_ADD));
}

static int
cli_canned_edit(struct client *c, struct cli_opts *o)
{
	return (cli_canned_put(c, o, PM_CANNED_EDIT));
}

static int
cli_canned_remove(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 1)
		return (cli_err("usage: support-inbox canned remove SHORTCUT"));
	return (cli_simple(c, o, PM_CANNED_REMOVE, json_pack("{ss}",
	    "shortcut", o->args[0]), NULL));
}

/*
 * --field "tracking number=4711" (repeatable): the values of the reply's
 * {{ask:...}} fields, under "fields". 0, or -1 with the error said.
 */
static int
cli_canned_fields(struct cli_opts *o, json_t *params)
{
	json_t		*v, *fields;
	const char	*s, *eq;
	size_t		 i;

	if (json_object_get(o->flags, "fields") == NULL)
		return (0);
	fields = json_object();
	json_array_foreach(json_object_get(o->flags, "fields"), i, v) {
		s = json_string_value(v);
		if (s == NULL || (eq = strchr(s, '=')) == NULL || eq == s) {
			json_decref(fields);
			cli_err("--field takes \"LABEL=VALUE\", e.g. --field "
			    "\"tracking number=4711\"");
			return (-1);
		}
		json_object_setn_new(fields, s, (size_t)(eq - s),
		    json_string(eq + 1));
	}
	json_object_set_new(params, "fields", fields);
	return (0);
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
		    "[CONV] [--purpose TEXT] [--field \"LABEL=VALUE\"]..."));
	params = json_pack("{ss}", "shortcut", o->args[0]);
	if (o->nargs == 2)
		json_object_set_new(params, "conversation", json_integer(id));
	if (cli_flag(o, "purpose") != NULL)
		json_object_set_new(params, "purpose",
		    json_string(cli_flag(o, "purpose")));
	if (cli_canned_fields(o, params) != 0) {
		json_decref(params);
		return (1);
	}
	if ((r = cli_call(c, PM_CANNED_RENDER, params)) == NULL)
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
	if ((r = cli_call(c, PM_CANNED_LIST, json_pack("{sb}", "all", 1))) ==
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
cli_canned_read(const char *path, size_t *len)
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
	if ((text = cli_canned_read(path, &len)) == NULL)
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
	if ((r = cli_call(c, PM_CANNED_PUT, params)) == NULL)
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

const struct cli_entry cli_canned_table[] = {
	{ "canned", "list", "canned list [all] [--language L]",
	    cli_canned_list },
	{ "canned", "add", "canned add SHORTCUT --title T --body TEXT "
	    "[--language L] [--team T]", cli_canned_add },
	{ "canned", "edit", "canned edit SHORTCUT [--title T] [--body TEXT] "
	    "[--rename NEW]", cli_canned_edit },
	{ "canned", "remove", "canned remove SHORTCUT", cli_canned_remove },
	{ "canned", "render", "canned render SHORTCUT [CONV] [--purpose TEXT] "
	    "[--field \"LABEL=VALUE\"]...",
	    cli_canned_render },
	{ "canned", "export", "canned export DIR", cli_canned_export },
	{ "canned", "import", "canned import DIR|FILE...", cli_canned_import },
	{ NULL, NULL, NULL, NULL }
};
