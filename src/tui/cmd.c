/* Helpers shared by the CLI commands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "client.h"
#include "cmd.h"
#include "xmalloc.h"

int
cmd_err(const char *fmt, ...)
{
	va_list	ap;

	fputs("support-inbox: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return (1);
}

const char *
cmd_flag(struct cmd_opts *o, const char *name)
{
	return (json_string_value(json_object_get(o->flags, name)));
}

/* Calls a method; prints the error and returns NULL on failure. */
json_t *
cmd_call(struct client *c, const char *method, json_t *params)
{
	json_t	*res;
	char	*code, *msg;

	res = client_call(c, method, params, &code, &msg);
	if (res == NULL) {
		cmd_err("%s", msg);
		free(code);
		free(msg);
	}
	return (res);
}

int
cmd_print_json(json_t *j)
{
	char	*s;

	s = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	printf("%s\n", s);
	free(s);
	return (0);
}

void
cmd_when(int64_t t, char *buf, size_t len)
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
cmd_parse_int(const char *s, long long *out)
{
	char	*end;

	if (s == NULL || *s == '\0')
		return (-1);
	*out = strtoll(s, &end, 10);
	return (*end == '\0' ? 0 : -1);
}
