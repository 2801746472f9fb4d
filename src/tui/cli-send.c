/*
 * CLI: sending (rpc-send.c): replies (text, template, attachment) and
 * reactions, and the uploads an attachment travels in (upload.*): the
 * daemon cannot read agents' files, so an attachment's bytes travel in the
 * request, base64, in chunks that fit a frame.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"
#include "xmalloc.h"

#define CLI_SEND_TEXT_MAX	(16 * 1024)	/* bytes read from stdin */
#define CLI_SEND_CHUNK		(512 * 1024)	/* raw bytes per frame */
#define CLI_SEND_FILE_MAX	(100 * 1024 * 1024)

static char *
cli_send_base64(const unsigned char *in, size_t len)
{
	static const char	 tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out, *p;
	size_t			 i;
	unsigned		 v;

	p = out = xmalloc((len + 2) / 3 * 4 + 1);
	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		*p++ = tab[v >> 18 & 63];
		*p++ = tab[v >> 12 & 63];
		*p++ = tab[v >> 6 & 63];
		*p++ = tab[v & 63];
	}
	if (i < len) {
		v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		*p++ = tab[v >> 18 & 63];
		*p++ = tab[v >> 12 & 63];
		*p++ = i + 1 < len ? tab[v >> 6 & 63] : '=';
		*p++ = '=';
	}
	*p = '\0';
	return (out);
}

static const char *
cli_send_mime(const char *path)
{
	static const struct {
		const char	*ext, *mime;
	} map[] = {
		{ "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" },
		{ "png", "image/png" }, { "webp", "image/webp" },
		{ "mp4", "video/mp4" }, { "3gp", "video/3gpp" },
		{ "pdf", "application/pdf" }, { "txt", "text/plain" },
		{ "doc", "application/msword" },
		{ "docx", "application/vnd.openxmlformats-officedocument."
		  "wordprocessingml.document" },
		{ "xls", "application/vnd.ms-excel" },
		{ "xlsx", "application/vnd.openxmlformats-officedocument."
		  "spreadsheetml.sheet" },
		{ "ppt", "application/vnd.ms-powerpoint" },
		{ "pptx", "application/vnd.openxmlformats-officedocument."
		  "presentationml.presentation" },
		{ "mp3", "audio/mpeg" }, { "ogg", "audio/ogg" },
		{ "opus", "audio/ogg" }, { "aac", "audio/aac" },
		{ "amr", "audio/amr" }, { "m4a", "audio/mp4" },
	};
	const char	*dot;
	size_t		 i;

	if ((dot = strrchr(path, '.')) == NULL)
		return (NULL);
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcasecmp(dot + 1, map[i].ext) == 0)
			return (map[i].mime);
	}
	return (NULL);
}

/*
 * Tells the daemon to drop an upload we will not use, so its file goes now
 * and it does not count against our quota until it expires. Quiet: it may
 * be gone already (a refused chunk drops it).
 */
void
cli_send_abort(struct client *c, int64_t id)
{
	json_t	*r;
	char	*code = NULL, *msg = NULL;

	if (id == 0)
		return;
	r = client_call(c, PM_UPLOAD_ABORT, json_pack("{sI}", "upload",
	    (json_int_t)id), &code, &msg);
	json_decref(r);
	free(code);
	free(msg);
}

/* Sends the file in chunks; returns the upload id or 0. */
static int64_t
cli_send_upload(struct client *c, const char *path)
{
	struct stat	 sb;
	unsigned char	*buf;
	char		*b64;
	json_t		*r;
	int64_t		 id = 0;
	ssize_t		 n;
	size_t		 got;
	int		 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1) {
		cli_err("cannot open '%s': %s", path, strerror(errno));
		return (0);
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		cli_err("'%s' is not a regular file", path);
		close(fd);
		return (0);
	}
	if (sb.st_size == 0 || sb.st_size > CLI_SEND_FILE_MAX) {
		cli_err("'%s' is empty or larger than 100 MiB", path);
		close(fd);
		return (0);
	}
	buf = xmalloc(CLI_SEND_CHUNK);
	for (;;) {
		got = 0;
		while (got < CLI_SEND_CHUNK) {
			n = read(fd, buf + got, CLI_SEND_CHUNK - got);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (got == 0)
			break;
		b64 = cli_send_base64(buf, got);
		r = cli_call(c, PM_UPLOAD_CHUNK, json_pack("{sI ss}", "upload",
		    (json_int_t)id, "data", b64));
		free(b64);
		if (r == NULL) {
			cli_send_abort(c, id);
			id = 0;
			break;
		}
		id = json_integer_value(json_object_get(r, "upload"));
		json_decref(r);
		if (got < CLI_SEND_CHUNK)
			break;
	}
	free(buf);
	close(fd);
	return (id);
}

static char *
cli_send_stdin(void)
{
	char	*buf;
	size_t	 len = 0;
	ssize_t	 n;

	buf = xmalloc(CLI_SEND_TEXT_MAX + 1);
	while (len < CLI_SEND_TEXT_MAX) {
		n = read(STDIN_FILENO, buf + len, CLI_SEND_TEXT_MAX - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return (buf);
}

int
cli_send_template(struct client *c, struct cli_opts *o, json_t *params)
{
	const char	*s, *mime;
	json_t		*ps;
	int64_t		 up;

	if ((s = cli_flag(o, "lang")) == NULL)
		return (cli_err("--template needs --lang CODE (e.g. en_US)"));
	json_object_set_new(params, "template", json_string(cli_flag(o,
	    "template")));
	json_object_set_new(params, "lang", json_string(s));
	if ((s = cli_flag(o, "header-link")) != NULL)
		json_object_set_new(params, "header_link", json_string(s));
	if ((s = cli_flag(o, "header-file")) != NULL) {
		if ((mime = cli_flag(o, "mime")) == NULL &&
		    (mime = cli_send_mime(s)) == NULL)
			return (cli_err("cannot tell the type of '%s'; give "
			    "--mime", s));
		if ((up = cli_send_upload(c, s)) == 0)
			return (1);
		json_object_set_new(params, "upload", json_integer(up));
		json_object_set_new(params, "mime", json_string(mime));
		json_object_set_new(params, "filename", json_string(
		    strrchr(s, '/') != NULL ? strrchr(s, '/') + 1 : s));
	}
	ps = json_object_get(o->flags, "params");
	json_object_set_new(params, "params", ps != NULL ? json_incref(ps) :
	    json_array());
	return (0);
}

static void
cli_send_print(struct cli_opts *o, json_t *r)
{
	if (o->json)
		cli_print_json(r);
	else
		printf("message %lld queued (conversation %lld)\n",
		    json_integer_value(json_object_get(r, "message")),
		    json_integer_value(json_object_get(r, "conversation")));
}

static int
cli_send_reply(struct client *c, struct cli_opts *o)
{
	const char	*tname, *attach, *s, *mime;
	json_t		*params, *r;
	char		*text = NULL;
	long long	 conv, v;
	int64_t		 up;
	int		 inter;

	tname = cli_flag(o, "template");
	attach = cli_flag(o, "attach");
	inter = cli_flag(o, "buttons") != NULL || cli_flag(o, "list") !=
	    NULL || cli_flag(o, "interactive-file") != NULL ||
	    json_object_get(o->flags, "ispec") != NULL;
	if (o->nargs < 1 || (tname == NULL && attach == NULL && !inter &&
	    o->nargs != 2) || ((tname != NULL || attach != NULL) &&
	    o->nargs != 1) || (inter && (o->nargs != 1 || tname != NULL ||
	    attach != NULL)))
		return (cli_err("usage: support-inbox reply CONV TEXT|- | "
		    "--template NAME --lang CODE [--param V]... "
		    "[--header-link URL | --header-file FILE] | "
		    "--attach FILE [--caption TEXT] | --text TEXT "
		    "(--buttons \"A|B|C\" | --list BUTTON [--section NAME] "
		    "--row ID:TITLE[:DESCRIPTION]...) [--header H] "
		    "[--footer F] | --interactive-file FILE"));
	if (cli_parse_positive(o->args[0], "CONV", &conv) != 0)
		return (1);
	params = json_pack("{sI}", "conv", (json_int_t)conv);
	if ((s = cli_flag(o, "after")) != NULL) {
		if (cli_parse_positive(s, "--after", &v) != 0)
			goto fail;
		json_object_set_new(params, "draft_started_after",
		    json_integer(v));
	}
	if ((s = cli_flag(o, "reply-to")) != NULL) {
		if (cli_parse_positive(s, "--reply-to", &v) != 0)
			goto fail;
		json_object_set_new(params, "reply_to", json_integer(v));
	}
	if (cli_flag(o, "force") != NULL)
		json_object_set_new(params, "force", json_true());
	if (inter) {
		if (cli_interactive(o, cli_flag(o, "text"), params) < 0)
			goto fail;
	} else if (tname != NULL) {
		if (cli_send_template(c, o, params) != 0)
			goto fail;
	} else if (attach != NULL) {
		if ((mime = cli_flag(o, "mime")) == NULL &&
		    (mime = cli_send_mime(attach)) == NULL) {
			cli_err("cannot tell the type of '%s'; give --mime",
			    attach);
			goto fail;
		}
		if ((up = cli_send_upload(c, attach)) == 0)
			goto fail;
		json_object_set_new(params, "upload", json_integer(up));
		json_object_set_new(params, "mime", json_string(mime));
		s = strrchr(attach, '/');
		json_object_set_new(params, "filename", json_string(s != NULL ?
		    s + 1 : attach));
		if ((s = cli_flag(o, "caption")) != NULL)
			json_object_set_new(params, "caption", json_string(s));
	} else {
		text = strcmp(o->args[1], "-") == 0 ? cli_send_stdin() :
		    xstrdup(o->args[1]);
		json_object_set_new(params, "text", json_string(text));
		free(text);
		if (json_object_get(params, "text") == NULL) {
			cli_err("the text is not valid UTF-8");
			goto fail;
		}
	}
	up = json_integer_value(json_object_get(params, "upload"));
	if ((r = cli_call(c, PM_REPLY, params)) == NULL) {
		/* Refused before the daemon took the upload: drop it. */
		cli_send_abort(c, up);
		return (1);
	}
	cli_send_print(o, r);
	json_decref(r);
	return (0);
fail:
	json_decref(params);
	return (1);
}

static int
cli_send_react(struct client *c, struct cli_opts *o)
{
	long long	 conv, msg;
	json_t		*r;

	if (o->nargs != 3)
		return (cli_err("usage: support-inbox react CONV MSG EMOJI"));
	if (cli_parse_positive(o->args[0], "CONV", &conv) != 0 ||
	    cli_parse_positive(o->args[1], "MSG", &msg) != 0)
		return (1);
	if ((r = cli_call(c, PM_REACT, json_pack("{sI sI ss}", "conv",
	    (json_int_t)conv, "msg", (json_int_t)msg, "emoji",
	    o->args[2]))) == NULL)
		return (1);
	cli_send_print(o, r);
	json_decref(r);
	return (0);
}

const struct cli_entry cli_send_table[] = {
	{ "reply", NULL, "reply CONV TEXT|- [--after MSG] [--force] "
	  "[--reply-to MSG] | reply CONV --template NAME --lang CODE "
	  "[--param V]... | reply CONV --attach FILE [--caption TEXT] "
	  "[--mime TYPE] | reply CONV --text TEXT --buttons \"A|B|C\" "
	  "[--header H | --header-link URL | --header-file FILE] "
	  "[--footer F] | "
	  "reply CONV --text TEXT --list BUTTON [--section NAME] "
	  "--row ID:TITLE[:DESC]... | reply CONV --interactive-file FILE",
	  cli_send_reply },
	{ "react", NULL, "react CONV MSG EMOJI", cli_send_react },
	{ NULL, NULL, NULL, NULL }
};
