/* Helpers shared by the CLI commands. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "buf.h"
#include "cli.h"
#include "utf8.h"
#include "when.h"
#include "xmalloc.h"

/*
 * The CLI's standard output and error pass through utf8_clean: whatever a
 * customer wrote (a name, a message, a note quoting one) reaches the
 * terminal without escape sequences, C1 controls or bidi overrides, on
 * every path, including ones added later. --json output is ASCII JSON
 * (every other character escaped), so cleaning leaves it exact.
 */
struct cli_clean {
	int	fd;
	char	carry[4];	/* a UTF-8 sequence cut by the stream buffer */
	size_t	ncarry;
};

static int
cli_clean_out(int fd, const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		s += n;
		len -= (size_t)n;
	}
	return (0);
}

static ssize_t
cli_clean_write(void *cookie, const char *s, size_t len)
{
	struct cli_clean	*c = cookie;
	struct buf		 in, out;
	size_t			 used;
	int			 rc;

	buf_init(&in, 0);
	buf_init(&out, 0);
	buf_add(&in, c->carry, c->ncarry);
	buf_add(&in, s, len);
	used = utf8_clean(in.data, in.len, 0, &out);
	c->ncarry = in.len - used;
	if (c->ncarry > sizeof c->carry) {
		/* Cannot happen (a sequence is at most 4 bytes); be safe. */
		used += c->ncarry;
		c->ncarry = 0;
	}
	memcpy(c->carry, in.data + used, c->ncarry);
	rc = out.len > 0 ? cli_clean_out(c->fd, out.data, out.len) : 0;
	buf_release(&in);
	buf_release(&out);
	return (rc == 0 ? (ssize_t)len : -1);
}

static int
cli_clean_close(void *cookie)
{
	struct cli_clean	*c = cookie;
	struct buf		 out;
	int			 rc = 0;

	if (c->ncarry > 0) {
		buf_init(&out, 0);
		utf8_clean(c->carry, c->ncarry, 1, &out);
		rc = cli_clean_out(c->fd, out.data, out.len);
		buf_release(&out);
	}
	free(c);
	return (rc);
}

static FILE *
cli_clean_open(int fd, int mode)
{
	cookie_io_functions_t	 io = {
		.write = cli_clean_write,
		.close = cli_clean_close,
	};
	struct cli_clean	*c;
	FILE			*f;

	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	if ((f = fopencookie(c, "w", io)) == NULL) {
		free(c);
		return (NULL);
	}
	setvbuf(f, NULL, mode, 0);
	return (f);
}

static FILE	*cli_clean_orig[2];	/* stdout and stderr before */

/* At exit: the last bytes out, the streams freed, the old ones back. */
static void
cli_clean_end(void)
{
	FILE	*f;

	if (cli_clean_orig[0] != NULL && stdout != cli_clean_orig[0]) {
		f = stdout;
		stdout = cli_clean_orig[0];
		fclose(f);
	}
	if (cli_clean_orig[1] != NULL && stderr != cli_clean_orig[1]) {
		f = stderr;
		stderr = cli_clean_orig[1];
		fclose(f);
	}
}

void
cli_clean_stdio(void)
{
	FILE	*f;

	if (cli_clean_orig[0] != NULL)
		return;
	fflush(stdout);
	fflush(stderr);
	cli_clean_orig[0] = stdout;
	cli_clean_orig[1] = stderr;
	if ((f = cli_clean_open(STDOUT_FILENO, isatty(STDOUT_FILENO) ?
	    _IOLBF : _IOFBF)) != NULL)
		stdout = f;
	if ((f = cli_clean_open(STDERR_FILENO, _IONBF)) != NULL)
		stderr = f;
	atexit(cli_clean_end);
}

int
cli_err(const char *fmt, ...)
{
	va_list	ap;

	fputs("support-inbox: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return (1);
}

FILE *
cli_create(const char *path, char **cause)
{
	FILE	*f;
	int	 fd, e;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		e = errno;
		if (e == EEXIST)
			*cause = xasprintf("'%s' exists; give a new file name "
			    "(an export never overwrites a file or follows a "
			    "link)", path);
		else
			*cause = xasprintf("cannot create '%s': %s", path,
			    strerror(e));
		return (NULL);
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("cannot create '%s': %s", path,
		    strerror(errno));
		close(fd);
		unlink(path);
		return (NULL);
	}
	return (f);
}

FILE *
cli_out(struct cli_opts *o, const char *flag, const char **path)
{
	FILE	*f;
	char	*cause;

	if ((*path = cli_flag(o, flag)) == NULL)
		return (stdout);
	if (cli_flag(o, "force") != NULL && unlink(*path) == -1 &&
	    errno != ENOENT) {
		cli_err("cannot replace '%s': %s", *path, strerror(errno));
		return (NULL);
	}
	if ((f = cli_create(*path, &cause)) == NULL) {
		cli_err("%s%s", cause, cli_flag(o, "force") == NULL ?
		    "; --force replaces it" : "");
		free(cause);
	}
	return (f);
}

const char *
cli_flag(struct cli_opts *o, const char *name)
{
	return (json_string_value(json_object_get(o->flags, name)));
}

int
cli_flag_time(struct cli_opts *o, const char *name, int future, int64_t *t)
{
	const char	*v, *why;
	int		 rc;

	if ((v = cli_flag(o, name)) == NULL)
		return (1);
	rc = future ? when_future(v, time(NULL), t, &why) :
	    when_parse(v, time(NULL), t, &why);
	if (rc != 0) {
		cli_err("--%s: %s", name, why);
		return (-1);
	}
	return (0);
}

int
cli_flag_duration(struct cli_opts *o, const char *name, int64_t *secs)
{
	const char	*v, *why;

	if ((v = cli_flag(o, name)) == NULL)
		return (1);
	if (when_duration(v, secs, &why) != 0) {
		cli_err("--%s: %s", name, why);
		return (-1);
	}
	return (0);
}

/* Calls a method; prints the error and returns NULL on failure. */
json_t *
cli_call(struct client *c, const char *method, json_t *params)
{
	json_t	*res;
	char	*code, *msg;

	res = client_call(c, method, params, &code, &msg);
	if (res == NULL) {
		cli_err("%s", msg);
		free(code);
		free(msg);
	}
	return (res);
}

int
cli_print_json(json_t *j)
{
	char	*s;

	s = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	printf("%s\n", s);
	free(s);
	return (0);
}

void
cli_when(int64_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (t == 0) {
		snprintf(buf, len, "-");
		return;
	}
	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

int
cli_parse_int(const char *s, long long *out)
{
	char	*end;

	if (s == NULL || *s == '\0')
		return (-1);
	*out = strtoll(s, &end, 10);
	return (*end == '\0' ? 0 : -1);
}

const char *
cli_str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

/* Runs a method and prints the result: JSON, or fmt(result). */
int
cli_simple(struct client *c, struct cli_opts *o, const char *method,
    json_t *params, void (*print)(json_t *))
{
	json_t	*r;

	/* --force: act on a colleague's conversation (audited). */
	if (cli_flag(o, "force") != NULL && json_is_object(params))
		json_object_set_new(params, "force", json_true());
	if ((r = cli_call(c, method, params)) == NULL)
		return (1);
	if (o->json || print == NULL)
		cli_print_json(r);
	else
		print(r);
	json_decref(r);
	return (0);
}

int
cli_print_free(json_t *r)
{
	cli_print_json(r);
	json_decref(r);
	return (0);
}

int
cli_parse_positive(const char *s, const char *what, long long *v)
{
	if (s == NULL || cli_parse_int(s, v) != 0 || *v <= 0) {
		cli_err("%s expects a number, not '%s'", what,
		    s != NULL ? s : "");
		return (-1);
	}
	return (0);
}

/* The words from args[from] on, joined by spaces. */
char *
cli_join(struct cli_opts *o, int from)
{
	size_t	 len = 1, n = 0, l;
	char	*s;
	int	 i;

	for (i = from; i < o->nargs; i++)
		len += strlen(o->args[i]) + 1;
	s = xcalloc(1, len);
	for (i = from; i < o->nargs; i++) {
		if (i > from)
			s[n++] = ' ';
		l = strlen(o->args[i]);
		memcpy(s + n, o->args[i], l);
		n += l;
	}
	s[n] = '\0';
	return (s);
}

/* 1 if a bare word (boolean options are words: main.c's flags take values). */
int
cli_word(struct cli_opts *o, const char *w)
{
	int	i;

	for (i = 0; i < o->nargs; i++) {
		if (strcmp(o->args[i], w) == 0)
			return (1);
	}
	return (0);
}
