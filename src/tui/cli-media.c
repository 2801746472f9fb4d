/* CLI: fetching a stored file (audited by the daemon). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"
#include "save.h"
#include "xmalloc.h"

static int
cli_media_get(struct client *c, struct cli_opts *o)
{
	json_t		*params, *r;
	const char	*out, *purpose;
	long long	 msg;
	int64_t		 next = 0;
	char		*path = NULL, *dir, *name, *cause = NULL;
	int		 fd = -1, done = 0, rc = 1;

	if (o->nargs != 1 || cli_parse_int(o->args[0], &msg) != 0)
		return (cli_err("usage: support-inbox media get MSG "
		    "[--output FILE] [--purpose TEXT]"));
	out = cli_flag(o, "output");
	purpose = cli_flag(o, "purpose");
	/* A file we cannot write is refused before anything is read. */
	if (out != NULL) {
		fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd == -1)
			return (cli_err("cannot create '%s': %s", out,
			    strerror(errno)));
		path = xstrdup(out);
	}
	while (!done) {
		params = json_pack("{sI sI}", "message", (json_int_t)msg,
		    "offset", (json_int_t)next);
		if (purpose != NULL)
			json_object_set_new(params, "purpose",
			    json_string(purpose));
		if ((r = cli_call(c, PM_MEDIA_GET, params)) == NULL)
			goto out;
		if (fd == -1) {
			dir = save_dir(NULL, 1);
			name = save_name(NULL, msg, json_string_value(
			    json_object_get(r, "mime")));
			fd = save_create(dir, name, &path, &cause);
			free(dir);
			free(name);
			if (fd == -1) {
				cli_err("%s", cause);
				free(cause);
				json_decref(r);
				goto out;
			}
		}
		if (save_chunk(fd, r, &next, &done, &cause) != 0) {
			cli_err("%s", cause);
			free(cause);
			json_decref(r);
			goto out;
		}
		json_decref(r);
	}
	if (close(fd) != 0) {
		fd = -1;
		cli_err("cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (o->json) {
		r = json_pack("{ss sI}", "path", path, "size",
		    (json_int_t)next);
		cli_print_json(r);
		json_decref(r);
	} else
		printf("%s (%lld bytes)\n", path, (long long)next);
	rc = 0;
out:
	if (fd != -1) {
		close(fd);
		unlink(path);	/* never leave half a file */
	}
	free(path);
	return (rc);
}

const struct cli_entry cli_media_table[] = {
	{ "media", "get", "media get MSG [--output FILE] [--purpose TEXT]",
	    cli_media_get },
	{ NULL, NULL, NULL, NULL }
};
