/*
 * CLI: reading the audit log (show, export as JSON lines for an auditor)
 * and "call", the raw protocol method for scripts and tests.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "when.h"
#include "xmalloc.h"

static int
cli_audit_params(struct cli_opts *o, json_t *p)
{
	static const char	*times[] = { "from", "to" };
	static const char	*strs[] = { "agent", "action", "contact",
				    "purpose" };
	const char		*v, *why;
	long long		 ms;
	size_t			 i;

	/* Time expressions (include/when.h); the daemon takes milliseconds. */
	for (i = 0; i < 2; i++) {
		if ((v = cli_flag(o, times[i])) == NULL)
			continue;
		if (when_audit(v, time(NULL), &ms, &why) != 0)
			return (cli_err("--%s: %s", times[i], why));
		json_object_set_new(p, times[i], json_integer(ms));
	}
	for (i = 0; i < 4; i++) {
		if ((v = cli_flag(o, strs[i])) != NULL)
			json_object_set_new(p, strs[i], json_string(v));
	}
	if (cli_flag(o, "detail") != NULL)
		json_object_set_new(p, "detail", json_true());
	return (0);
}

static int
cli_audit_show(struct client *c, struct cli_opts *o)
{
	json_t		*p, *r, *rec;
	long long	 n;
	size_t		 i;
	const char	*v, *purpose, *otype, *detail;

	p = json_object();
	if (cli_audit_params(o, p) != 0) {
		json_decref(p);
		return (1);
	}
	if ((v = cli_flag(o, "limit")) != NULL) {
		if (cli_parse_int(v, &n) != 0) {
			json_decref(p);
			return (cli_err("--limit expects a number"));
		}
		json_object_set_new(p, "limit", json_integer(n));
	}
	if ((r = cli_call(c, "audit.show", p)) == NULL)
		return (1);
	if (o->json) {
		cli_print_json(r);
		json_decref(r);
		return (0);
	}
	json_array_foreach(json_object_get(r, "records"), i, rec) {
		purpose = json_string_value(json_object_get(rec, "purpose"));
		detail = json_string_value(json_object_get(rec, "detail"));
		otype = json_string_value(json_object_get(rec, "object_type"));
		printf("%6lld %s %-12s %-26s %s:%lld %s%s%s%s%s\n",
		    json_integer_value(json_object_get(rec, "seq")),
		    json_string_value(json_object_get(rec, "time")),
		    json_string_value(json_object_get(rec, "agent")),
		    json_string_value(json_object_get(rec, "action")),
		    otype != NULL ? otype : "-",
		    json_integer_value(json_object_get(rec, "object_id")),
		    json_string_value(json_object_get(rec, "result")),
		    purpose != NULL ? " purpose=" : "",
		    purpose != NULL ? purpose : "",
		    detail != NULL ? " detail=" : "",
		    detail != NULL ? detail : "");
	}
	json_decref(r);
	return (0);
}

/* JSON lines, oldest first, paged through the daemon. */
static int
cli_audit_export(struct client *c, struct cli_opts *o)
{
	json_t		*p, *r, *rec;
	const char	*out;
	FILE		*f = stdout;
	long long	 after = 0, n = 0;
	size_t		 i;
	char		*line, *cause = NULL;
	int		 more;

	if ((out = cli_flag(o, "output")) != NULL) {
		if ((f = cli_create(out, &cause)) == NULL) {
			cli_err("%s", cause);
			free(cause);
			return (1);
		}
	}
	do {
		p = json_object();
		if (cli_audit_params(o, p) != 0) {
			json_decref(p);
			return (1);
		}
		json_object_set_new(p, "after", json_integer(after));
		if ((r = cli_call(c, "audit.export", p)) == NULL)
			return (1);
		json_array_foreach(json_object_get(r, "records"), i, rec) {
			line = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS |
			    JSON_ENSURE_ASCII);
			fprintf(f, "%s\n", line);
			free(line);
			after = json_integer_value(json_object_get(rec, "seq"));
			n++;
		}
		more = json_is_true(json_object_get(r, "more"));
		json_decref(r);
	} while (more);
	if (f != stdout && fclose(f) != 0)
		return (cli_err("cannot write '%s'", out));
	if (f != stdout)
		fprintf(stderr, "%lld records written to '%s'\n", n, out);
	return (0);
}

/* support-inbox call METHOD [JSON]: the raw method, result as JSON. */
static int
cli_call_raw(struct client *c, struct cli_opts *o)
{
	json_t		*p = NULL, *r;
	json_error_t	 e;
	char		*s;

	if (o->nargs < 1 || o->nargs > 2)
		return (cli_err("usage: support-inbox call METHOD [JSON]"));
	if (o->nargs == 2 && (p = json_loads(o->args[1], 0, &e)) == NULL)
		return (cli_err("params: %s", e.text));
	if (p != NULL && !json_is_object(p)) {
		json_decref(p);
		return (cli_err("params must be a JSON object"));
	}
	if ((r = cli_call(c, o->args[0], p)) == NULL)
		return (1);
	s = json_dumps(r, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_ENSURE_ASCII);
	printf("%s\n", s);
	free(s);
	json_decref(r);
	return (0);
}

const struct cli_entry cli_audit_table[] = {
	{ "audit", "show", "audit show [--limit N] [--agent A] [--action X] "
	    "[--contact C] [--from WHEN] [--to WHEN] "
	    "[--detail --purpose TEXT]", cli_audit_show },
	{ "audit", "export", "audit export [--from WHEN] [--to WHEN] "
	    "[--agent A] [--contact C] [--detail --purpose TEXT] "
	    "[--output FILE]", cli_audit_export },
	{ "call", NULL, "call METHOD [JSON]", cli_call_raw },
	{ NULL, NULL, NULL, NULL }
};
