/*
 * CLI: the audit log (audit.*, rpc-audit.c): verifying the chain (against
 * an off-host copy of the checkpoints), reading it, and exporting it as
 * JSON lines for an auditor.
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
#include "proto-names.h"
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
	if ((r = cli_call(c, PM_AUDIT_SHOW, p)) == NULL)
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
		if ((r = cli_call(c, PM_AUDIT_EXPORT, p)) == NULL)
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

/*
 * The text of an off-host copy of the checkpoint file for --against. A
 * request frame holds about 1 MB: a longer copy is sent from its newest
 * whole lines (the newest shipped checkpoint is the one that counts).
 */
static char *
cli_audit_copy(const char *path)
{
	FILE	*f;
	char	*text, *p;
	long	 size, max = 900 * 1024, off = 0;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		fclose(f);
		return (NULL);
	}
	if (size > max)
		off = size - max;
	fseek(f, off, SEEK_SET);
	text = xmalloc((size_t)(size - off) + 1);
	n = fread(text, 1, (size_t)(size - off), f);
	text[n] = '\0';
	fclose(f);
	if (off > 0 && (p = strchr(text, '\n')) != NULL) {
		fprintf(stderr, "note: only the newest %zu bytes of '%s' "
		    "were checked\n", strlen(p + 1), path);
		memmove(text, p + 1, strlen(p + 1) + 1);
	}
	return (text);
}

static int
cli_audit_verify(struct client *c, struct cli_opts *o)
{
	json_t		*r, *p = NULL;
	const char	*against;
	char		*copy;
	int		 ok;

	if ((against = cli_flag(o, "against")) != NULL) {
		if ((copy = cli_audit_copy(against)) == NULL)
			return (cli_err("cannot read '%s'", against));
		p = json_pack("{ss ss}", "against", copy, "against_name",
		    against);
		free(copy);
		if (p == NULL)
			return (cli_err("'%s' is not text", against));
	}
	if ((r = cli_call(c, PM_AUDIT_VERIFY, p)) == NULL)
		return (1);
	ok = json_is_true(json_object_get(r, "ok"));
	if (o->json)
		cli_print_json(r);
	else if (ok) {
		printf("audit log intact: %lld records, %lld signed "
		    "checkpoints\n", json_integer_value(json_object_get(r,
		    "records")), json_integer_value(json_object_get(r,
		    "checkpoints")));
		printf("%lld records after the newest checkpoint in %s "
		    "(seq %lld): only the local chain covers them\n",
		    json_integer_value(json_object_get(r,
		    "after_last_shipped")), against != NULL ? against :
		    "the checkpoint file", json_integer_value(
		    json_object_get(r, "last_shipped")));
	}
	if (!ok)
		cli_err("audit log damaged at sequence %lld: %s",
		    json_integer_value(json_object_get(r, "first_bad_seq")),
		    json_string_value(json_object_get(r, "reason")));
	json_decref(r);
	return (ok ? 0 : 1);
}

const struct cli_entry cli_audit_verify_table[] = {
	{ "audit", "verify", "audit verify [--against FILE]",
	    cli_audit_verify },
	{ NULL, NULL, NULL, NULL }
};

const struct cli_entry cli_audit_table[] = {
	{ "audit", "show", "audit show [--limit N] [--agent A] [--action X] "
	    "[--contact C] [--from WHEN] [--to WHEN] "
	    "[--detail --purpose TEXT]", cli_audit_show },
	{ "audit", "export", "audit export [--from WHEN] [--to WHEN] "
	    "[--agent A] [--contact C] [--detail --purpose TEXT] "
	    "[--output FILE]", cli_audit_export },
	{ NULL, NULL, NULL, NULL }
};
