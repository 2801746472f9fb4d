/*
 * CLI: the audit log (audit.*, rpc-audit.c): verifying the chain (against
 * an off-host copy of the checkpoints), reading it, and exporting it as
 * JSON lines for an auditor.
 */
#include <sys/stat.h>

#include <errno.h>
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

/*
 * The records the filters in base select (not taken) after seq *after, as
 * JSON lines onto f, paged through the daemon; *after ends at the last
 * one written, *n counts them. 0, or -1 after printing the error.
 */
static int
cli_audit_lines(struct client *c, json_t *base, FILE *f, long long *after,
    long long *n)
{
	json_t		*p, *r, *rec;
	size_t		 i;
	char		*line;
	int		 more;

	do {
		p = json_deep_copy(base);
		json_object_set_new(p, "after", json_integer(*after));
		if ((r = cli_call(c, PM_AUDIT_EXPORT, p)) == NULL)
			return (-1);
		json_array_foreach(json_object_get(r, "records"), i, rec) {
			line = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS |
			    JSON_ENSURE_ASCII);
			fprintf(f, "%s\n", line);
			free(line);
			*after = json_integer_value(json_object_get(rec,
			    "seq"));
			(*n)++;
		}
		more = json_is_true(json_object_get(r, "more"));
		json_decref(r);
	} while (more);
	return (0);
}

/* JSON lines, oldest first, paged through the daemon. */
static int
cli_audit_export(struct client *c, struct cli_opts *o)
{
	json_t		*p;
	const char	*out;
	FILE		*f = stdout;
	long long	 after = 0, n = 0;
	char		*cause = NULL;
	int		 rc;

	p = json_object();
	if (cli_audit_params(o, p) != 0) {
		json_decref(p);
		return (1);
	}
	if ((out = cli_flag(o, "output")) != NULL) {
		if ((f = cli_create(out, &cause)) == NULL) {
			json_decref(p);
			cli_err("%s", cause);
			free(cause);
			return (1);
		}
	}
	rc = cli_audit_lines(c, p, f, &after, &n);
	json_decref(p);
	if (rc != 0) {
		if (f != stdout)
			fclose(f);
		return (1);
	}
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

/*
 * audit ship DIR: copies the audit log off the host into DIR (a mounted
 * remote, or what rsync pushes): DIR/checkpoints.log, the signed
 * checkpoints (a copy of the checkpoint file, for "audit verify --against"),
 * and DIR/audit-SEQ.jsonl, an export of the records since the last
 * shipment (SEQ: its first record), with DIR/ship.state saying how far
 * that is. Before it adds anything it verifies the local log against what
 * DIR already holds, and ships nothing if they disagree: a rewritten or
 * cut store must not overwrite the evidence. Every file is written to a
 * temporary name, synced and renamed into place, state last, so an
 * interrupted run is repeated by the next without a gap or a duplicate.
 */
#define CLI_SHIP_CKPT	"checkpoints.log"
#define CLI_SHIP_STATE	"ship.state"

/* The whole of a small file (a missing one is ""), or NULL. */
static char *
cli_ship_read(const char *path, size_t max, size_t *len)
{
	FILE	*f;
	char	*text;
	size_t	 n;
	int	 e;

	*len = 0;
	if ((f = fopen(path, "re")) == NULL)
		return (errno == ENOENT ? xstrdup("") : NULL);
	text = xmalloc(max + 1);
	n = fread(text, 1, max, f);
	if (ferror(f) || (n == max && fgetc(f) != EOF)) {
		e = ferror(f) ? errno : EFBIG;
		fclose(f);
		free(text);
		errno = e;
		return (NULL);
	}
	fclose(f);
	text[n] = '\0';
	*len = n;
	return (text);
}

/* Writes head and tail to DIR/NAME through a temporary file. 0 or -1. */
static int
cli_ship_put(const char *dir, const char *name, const char *head,
    size_t hlen, FILE *tail)
{
	char	*tmp, *path, buf[8192];
	FILE	*f;
	size_t	 n;
	int	 fd, rc = -1;

	tmp = xasprintf("%s/.%s.tmp", dir, name);
	path = xasprintf("%s/%s", dir, name);
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		if (fd != -1)
			close(fd);
		cli_err("cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (hlen > 0)
		fwrite(head, 1, hlen, f);
	if (tail != NULL) {
		rewind(tail);
		while ((n = fread(buf, 1, sizeof buf, tail)) > 0)
			fwrite(buf, 1, n, f);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		cli_err("cannot write '%s': %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		cli_err("cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(path);
	return (rc);
}

/* The seq of the last line of a checkpoint file's text (0: none). */
static long long
cli_ship_last_ckpt(const char *text)
{
	const char	*p, *line = NULL;
	long long	 seq = 0;

	for (p = text; (p = strstr(p, "si-ckpt")) != NULL; p++) {
		if (p == text || p[-1] == '\n')
			line = p;
	}
	if (line != NULL && (p = strstr(line, " seq=")) != NULL)
		seq = strtoll(p + 5, NULL, 10);
	return (seq > 0 ? seq : 0);
}

static int
cli_audit_ship(struct client *c, struct cli_opts *o)
{
	struct stat	 sb;
	const char	*dir;
	char		*path, *copy = NULL, *name = NULL, sbuf[64], *end;
	json_t		*r = NULL, *p;
	FILE		*tmp = NULL;
	size_t		 clen, slen;
	long long	 shipped = 0, head = 0, ckseq, after, nrec = 0;
	long long	 nck = 0;
	int		 rc = 1, more;

	if (o->nargs != 1)
		return (cli_err("usage: audit ship DIR"));
	dir = o->args[0];
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return (cli_err("'%s' is not a directory: mount or create the "
		    "shipping target first", dir));

	/* How far the last shipment went. */
	path = xasprintf("%s/%s", dir, CLI_SHIP_STATE);
	copy = cli_ship_read(path, sizeof sbuf - 1, &slen);
	if (copy != NULL && slen > 0) {
		errno = 0;
		if (strncmp(copy, "shipped_seq=", 12) != 0 ||
		    (shipped = strtoll(copy + 12, &end, 10)) < 0 ||
		    errno != 0 || end == copy + 12 || (*end != '\n' &&
		    *end != '\0'))
			shipped = -1;
	}
	if (copy == NULL || shipped < 0) {
		cli_err("'%s' is not a ship state file (shipped_seq=N); move "
		    "it away to ship everything again", path);
		free(path);
		free(copy);
		return (1);
	}
	free(path);
	free(copy);

	/* What the target holds must still match the local log. */
	path = xasprintf("%s/%s", dir, CLI_SHIP_CKPT);
	copy = cli_ship_read(path, 64 * 1024 * 1024, &clen);
	if (copy == NULL) {
		cli_err("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	p = json_pack("{ss}", "against_name", path);
	if (clen > 0) {
		free(copy);
		if ((copy = cli_audit_copy(path)) == NULL) {
			cli_err("cannot read '%s'", path);
			json_decref(p);
			goto out;
		}
		json_object_set_new(p, "against", json_string(copy));
		free(copy);
		copy = cli_ship_read(path, 64 * 1024 * 1024, &clen);
		if (copy == NULL) {
			cli_err("cannot read '%s'", path);
			json_decref(p);
			goto out;
		}
	}
	if ((r = cli_call(c, PM_AUDIT_VERIFY, p)) == NULL)
		goto out;
	if (!json_is_true(json_object_get(r, "ok"))) {
		cli_err("nothing shipped: the audit log does not verify%s at "
		    "sequence %lld: %s; keep '%s' as evidence and see "
		    "'support-inbox audit verify --against %s'",
		    clen > 0 ? " against the shipped copy" : "",
		    json_integer_value(json_object_get(r, "first_bad_seq")),
		    json_string_value(json_object_get(r, "reason")), dir, path);
		goto out;
	}
	json_decref(r);
	r = NULL;

	/* The signed checkpoints the target lacks. */
	ckseq = cli_ship_last_ckpt(copy);
	if ((tmp = tmpfile()) == NULL) {
		cli_err("cannot make a temporary file: %s", strerror(errno));
		goto out;
	}
	do {
		p = json_pack("{sI}", "after", (json_int_t)ckseq);
		if ((r = cli_call(c, PM_AUDIT_CHECKPOINTS, p)) == NULL)
			goto out;
		if (head == 0)
			head = json_integer_value(json_object_get(r,
			    "last_seq"));
		fputs(json_string_value(json_object_get(r, "lines")), tmp);
		nck += json_integer_value(json_object_get(r, "count"));
		ckseq = cli_ship_last_ckpt(json_string_value(
		    json_object_get(r, "lines")));
		more = json_is_true(json_object_get(r, "more")) && ckseq > 0;
		json_decref(r);
		r = NULL;
	} while (more);
	/*
	 * Written the first time even with no checkpoint yet (a new
	 * install: checkpoint_every records or checkpoint_minutes away), so
	 * that "audit verify --against" it works from the first shipment.
	 */
	if ((nck > 0 || access(path, F_OK) != 0) &&
	    cli_ship_put(dir, CLI_SHIP_CKPT, copy, clen, tmp) != 0)
		goto out;
	fclose(tmp);
	tmp = NULL;

	/* The records since the last shipment, up to the head seen above. */
	if (head > shipped) {
		if ((tmp = tmpfile()) == NULL) {
			cli_err("cannot make a temporary file: %s",
			    strerror(errno));
			goto out;
		}
		p = json_pack("{sI}", "before", (json_int_t)head + 1);
		after = shipped;
		if (cli_audit_lines(c, p, tmp, &after, &nrec) != 0) {
			json_decref(p);
			goto out;
		}
		json_decref(p);
		name = xasprintf("audit-%012lld.jsonl", shipped + 1);
		if (fflush(tmp) != 0 || cli_ship_put(dir, name, NULL, 0,
		    tmp) != 0)
			goto out;
		snprintf(sbuf, sizeof sbuf, "shipped_seq=%lld\n", after);
		if (cli_ship_put(dir, CLI_SHIP_STATE, sbuf, strlen(sbuf),
		    NULL) != 0)
			goto out;
		printf("shipped records %lld to %lld (%lld) to '%s/%s' and "
		    "%lld new signed checkpoints to '%s'\n", shipped + 1,
		    after, nrec, dir, name, nck, path);
	} else
		printf("nothing new to ship; %lld new signed checkpoints to "
		    "'%s'\n", nck, path);
	rc = 0;
out:
	if (tmp != NULL)
		fclose(tmp);
	json_decref(r);
	free(name);
	free(copy);
	free(path);
	return (rc);
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
	    "[--agent A] [--action X] [--contact C] [--detail --purpose TEXT] "
	    "[--output FILE]", cli_audit_export },
	{ "audit", "ship", "audit ship DIR", cli_audit_ship },
	{ NULL, NULL, NULL, NULL }
};
