/*
 * CLI: contact import from a CSV file and contact export (contact.import,
 * contact.export; the daemon's side is contact-io.c). The client reads and
 * checks the file (csv.h: size, rows, fields, UTF-8, quoting) and applies
 * the column mapping; the daemon checks every value again and decides.
 * The whole file goes in one request, so a dry run and the run see the
 * same rows and answer the same.
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

#include "buf.h"
#include "client.h"
#include "cli.h"
#include "csv.h"
#include "proto.h"
#include "proto-names.h"
#include "xmalloc.h"

#define CIO_FILE_MAX	(512 * 1024)
#define CIO_ROWS_MAX	5000	/* as the daemon takes */
#define CIO_COLUMNS_MAX	64
#define CIO_FIELD_MAX	1024	/* any column of the file */
#define CIO_VALUE_MAX	256	/* a mapped value, as the daemon takes */

#define CIO_IMPORT_USAGE "usage: support-inbox contact import FILE.csv " \
	"--map COLUMN=FIELD,... --source TEXT --basis BASIS [--date " \
	"YYYY-MM-DD] [--purpose marketing,service] [--country CC] " \
	"[--delimiter ,|;] [--dry-run]"

/* The file, whole, bounded: 0, or -1 after printing why. */
static int
cio_read(const char *path, char **data, size_t *len)
{
	struct stat	 sb;
	ssize_t		 n;
	size_t		 got = 0;
	char		*p;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (cli_err("cannot open '%s': %s", path, strerror(errno)));
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return (cli_err("'%s' is not a file", path));
	}
	if (sb.st_size > CIO_FILE_MAX) {
		close(fd);
		return (cli_err("'%s' is larger than %d KiB; split it into "
		    "smaller files", path, CIO_FILE_MAX / 1024));
	}
	p = xmalloc(CIO_FILE_MAX + 1);
	while ((n = read(fd, p + got, CIO_FILE_MAX + 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (n < 0 || got > CIO_FILE_MAX) {
		free(p);
		return (cli_err(n < 0 ? "cannot read '%s'" : "'%s' is larger "
		    "than the limit; split it", path));
	}
	*data = p;
	*len = got;
	return (0);
}

/* The header's columns, for an error. */
static char *
cio_columns(const struct csv_rec *h)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 0);
	for (i = 0; i < h->nfields && i < 20; i++)
		buf_addf(&b, "%s'%s'", i > 0 ? ", " : "", h->fields[i]);
	if (h->nfields > 20)
		buf_adds(&b, ", ...");
	return (buf_detach(&b, NULL));
}

/* A value without the white space around it (allocated). */
static char *
cio_trim(const char *s)
{
	const char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return (xstrndup(s, (size_t)(e - s)));
}

/*
 * --map COLUMN=FIELD,...: fields gets the field names (for the daemon),
 * cols[i] the file's column of fields[i]. 0, or -1 after printing why.
 */
static int
cio_map(const char *map, const struct csv_rec *h, json_t *fields,
    size_t *cols, size_t maxcols)
{
	char	*copy, *item, *next, *eq, *col, *cl, *hd;
	size_t	 i, n = 0, found, at = 0;
	int	 rc = -1;

	copy = xstrdup(map);
	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if ((eq = strrchr(item, '=')) == NULL || eq == item ||
		    eq[1] == '\0') {
			cli_err("--map takes COLUMN=FIELD pairs separated by "
			    "commas, as in --map 'Mobile=phone,Name=name'");
			goto out;
		}
		*eq = '\0';
		col = cio_trim(item);
		for (i = 0, found = 0; i < h->nfields; i++) {
			hd = cio_trim(h->fields[i]);	/* "Name , Phone" */
			if (strcmp(hd, col) == 0) {
				found++;
				at = i;
			}
			free(hd);
		}
		if (found != 1) {
			cl = cio_columns(h);
			cli_err("--map: %s column '%s' in the header (the "
			    "columns: %s)", found == 0 ? "no" : "more than one",
			    col, cl);
			free(cl);
			free(col);
			goto out;
		}
		free(col);
		if (n == maxcols) {
			cli_err("--map: too many columns");
			goto out;
		}
		col = cio_trim(eq + 1);
		json_array_append_new(fields, json_string(col));
		free(col);
		cols[n++] = at;
	}
	rc = 0;
out:
	free(copy);
	return (rc);
}

static void
cio_print_import(json_t *r)
{
	json_t	*e;
	size_t	 i;

	printf("%s: %lld new, %lld updated, %lld unchanged, %lld merged "
	    "duplicates, %lld rejected, %lld consent records\n",
	    json_is_true(json_object_get(r, "dry_run")) ?
	    "dry run, nothing written" : "imported",
	    json_integer_value(json_object_get(r, "new")),
	    json_integer_value(json_object_get(r, "updated")),
	    json_integer_value(json_object_get(r, "unchanged")),
	    json_integer_value(json_object_get(r, "merged")),
	    json_integer_value(json_object_get(r, "rejected")),
	    json_integer_value(json_object_get(r, "consent_records")));
	json_array_foreach(json_object_get(r, "errors"), i, e) {
		printf("line %lld: %s\n",
		    json_integer_value(json_object_get(e, "line")),
		    cli_str(e, "reason"));
	}
}

static int
cli_contact_io_import(struct client *c, struct cli_opts *o)
{
	static const struct csv_limits lim = { CIO_FILE_MAX,
	    CIO_ROWS_MAX + 1, CIO_COLUMNS_MAX, CIO_FIELD_MAX };
	struct csv	 csv;
	json_t		*p, *fields, *rows, *row, *purposes, *r;
	const char	*map, *delim, *pu;
	char		*data = NULL, *cause, *v, *copy, *tok, *save;
	size_t		 len = 0, i, j, cols[CIO_COLUMNS_MAX], ncols;
	char		 dc = 0;

	if (o->nargs != 1)
		return (cli_err(CIO_IMPORT_USAGE));
	if ((map = cli_flag(o, "map")) == NULL)
		return (cli_err("give --map COLUMN=FIELD,... to say which "
		    "column is which (fields: phone, bsuid, name, language, "
		    "marketing, service, consent_date, source, basis)"));
	if (cli_flag(o, "source") == NULL)
		return (cli_err("give --source TEXT: where the contacts "
		    "agreed, as in --source 'opt-in form on the website'"));
	if (cli_flag(o, "basis") == NULL)
		return (cli_err("give --basis BASIS: the legal basis (consent, "
		    "contract, legal_obligation, vital_interests, "
		    "public_task, legitimate_interests)"));
	if ((delim = cli_flag(o, "delimiter")) != NULL) {
		if (strcmp(delim, ",") != 0 && strcmp(delim, ";") != 0)
			return (cli_err("--delimiter is ',' or ';'"));
		dc = delim[0];
	}
	if (cio_read(o->args[0], &data, &len) != 0)
		return (1);
	if (csv_parse(data, len, dc, &lim, &csv, &cause) != 0) {
		free(data);
		cli_err("%s: %s", o->args[0], cause);
		free(cause);
		return (1);
	}
	free(data);
	memset(cols, 0, sizeof cols);
	fields = json_array();
	if (cio_map(map, &csv.recs[0], fields, cols, CIO_COLUMNS_MAX) != 0) {
		json_decref(fields);
		csv_free(&csv);
		return (1);
	}
	ncols = json_array_size(fields);	/* cols[0 .. ncols - 1] set */
	rows = json_array();
	for (i = 1; i < csv.nrecs; i++) {
		row = json_array();
		json_array_append_new(row, json_integer(
		    (json_int_t)csv.recs[i].line));
		for (j = 0; j < ncols; j++) {
			v = cio_trim(csv.recs[i].fields[cols[j]]);
			if (strlen(v) > CIO_VALUE_MAX) {
				cli_err("%s: line %zu: the value of column "
				    "'%s' is longer than %d bytes", o->args[0],
				    csv.recs[i].line,
				    csv.recs[0].fields[cols[j]], CIO_VALUE_MAX);
				free(v);
				json_decref(row);
				json_decref(rows);
				json_decref(fields);
				csv_free(&csv);
				return (1);
			}
			json_array_append_new(row, json_string(v));
			free(v);
		}
		json_array_append_new(rows, row);
	}
	csv_free(&csv);
	p = json_pack("{so so ss ss sb}", "fields", fields, "rows", rows,
	    "source", cli_flag(o, "source"), "basis", cli_flag(o, "basis"),
	    "dry_run", cli_flag(o, "dry-run") != NULL);
	if (p == NULL)
		return (cli_err("--source and --basis must be UTF-8 text"));
	if (cli_flag(o, "date") != NULL)
		json_object_set_new(p, "date", json_string(cli_flag(o, "date")));
	if (cli_flag(o, "country") != NULL)
		json_object_set_new(p, "country",
		    json_string(cli_flag(o, "country")));
	if ((pu = cli_flag(o, "purpose")) != NULL) {
		purposes = json_array();
		copy = xstrdup(pu);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			json_array_append_new(purposes, json_string(tok));
		free(copy);
		json_object_set_new(p, "purposes", purposes);
	}
	if (json_dumpb(p, NULL, 0, JSON_COMPACT) > PROTO_FRAME_MAX - 4096) {
		json_decref(p);
		return (cli_err("%s: too much to send at once; split the file",
		    o->args[0]));
	}
	if ((r = cli_call(c, PM_CONTACT_IMPORT, p)) == NULL)
		return (1);
	if (o->json)
		return (cli_print_free(r));
	cio_print_import(r);
	json_decref(r);
	return (0);
}

/*
 * One contact as a CSV line: phone,bsuid,name,language,marketing,service;
 * a cell a spreadsheet would run as a formula starts with "'" (csv.h).
 */
static void
cio_csv_line(struct buf *b, json_t *ct, const char *eol)
{
	static const char *const keys[] = { "phone", "bsuid", "name",
	    "language", "marketing", "service" };
	size_t	i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (i > 0)
			buf_adds(b, ",");
		csv_cell(b, cli_str(ct, keys[i]), ',');
	}
	buf_adds(b, eol);
}

static int
cli_contact_io_export(struct client *c, struct cli_opts *o)
{
	json_t		*p, *r, *all, *ct, *doc;
	const char	*reason, *fmt, *path, *eol;
	struct buf	 b;
	long long	 after = 0;
	char		*s;
	size_t		 i, nrows;
	FILE		*f;
	int		 more, json;

	fmt = cli_flag(o, "format") != NULL ? cli_flag(o, "format") : "csv";
	if (o->nargs != 0 || (strcmp(fmt, "csv") != 0 &&
	    strcmp(fmt, "json") != 0))
		return (cli_err("usage: support-inbox contact export --reason "
		    "TEXT [--format csv|json] [--output FILE] [--force]"));
	if ((reason = cli_flag(o, "reason")) == NULL)
		return (cli_err("give --reason TEXT: why the contacts leave "
		    "the inbox (it is audited)"));
	json = strcmp(fmt, "json") == 0;
	/* --output FILE (--out too) */
	if ((f = cli_out(o, cli_flag(o, "output") != NULL ? "output" : "out",
	    &path)) == NULL)
		return (1);
	all = json_array();
	do {
		p = json_pack("{ss sI}", "reason", reason, "after",
		    (json_int_t)after);
		if (p == NULL || (r = cli_call(c, PM_CONTACT_EXPORT, p)) ==
		    NULL) {
			json_decref(all);
			if (f != stdout) {
				fclose(f);
				unlink(path);
			}
			return (p == NULL ? cli_err("--reason must be UTF-8 "
			    "text") : 1);
		}
		json_array_extend(all, json_object_get(r, "contacts"));
		after = json_integer_value(json_object_get(r, "next"));
		more = json_is_true(json_object_get(r, "more"));
		json_decref(r);
	} while (more);
	nrows = json_array_size(all);
	if (json) {
		doc = json_pack("{ss sI so}", "format",
		    "support-inbox-contacts-1", "exported_at",
		    (json_int_t)time(NULL), "contacts", all);
		s = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS |
		    (f == stdout ? JSON_ENSURE_ASCII : 0));
		json_decref(doc);
		fprintf(f, "%s\n", s);
		free(s);
	} else {
		buf_init(&b, 0);
		/* CRLF in a file; standard output (cleaned, cli.c) has LF. */
		eol = f == stdout ? "\n" : "\r\n";
		buf_addf(&b, "phone,bsuid,name,language,marketing,service%s",
		    eol);
		json_array_foreach(all, i, ct)
			cio_csv_line(&b, ct, eol);
		fwrite(b.data, 1, b.len, f);
		buf_release(&b);
		json_decref(all);
	}
	if (f != stdout && fclose(f) != 0) {
		unlink(path);
		return (cli_err("cannot write '%s'", path));
	}
	/* --json with a file: a summary for scripts (as export's). */
	if (f != stdout && o->json) {
		doc = json_pack("{ss sI ss}", "file", path, "rows",
		    (json_int_t)nrows, "format", fmt);
		return (cli_print_free(doc));
	}
	return (0);
}

const struct cli_entry cli_contact_io_table[] = {
	{ "contact", "import", "contact import FILE.csv --map COLUMN=FIELD,... "
	    "--source TEXT --basis BASIS [--date YYYY-MM-DD] [--purpose "
	    "marketing,service] [--country CC] [--delimiter ,|;] [--dry-run]",
	    cli_contact_io_import },
	{ "contact", "export", "contact export --reason TEXT [--format "
	    "csv|json] [--output FILE] [--force]", cli_contact_io_export },
	/* The same command under export (issue 18): one implementation. */
	{ "export", "contacts", "export contacts --reason TEXT [--format "
	    "csv|json] [--out FILE] [--force]", cli_contact_io_export },
	{ NULL, NULL, NULL, NULL }
};
