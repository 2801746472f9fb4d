/* CSV (RFC 4180) for the contact import and export; see csv.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "utf8.h"
#include "xmalloc.h"

struct csv_state {
	const struct csv_limits	*lim;
	struct csv		*c;
	struct csv_rec		 rec;	/* the record being read */
	size_t			 cap;	/* fields allocated in rec */
	struct buf		 field;
};

/* 0 if the text is UTF-8 without NUL bytes, else -1 and the line of the
 * first bad byte. */
static int
csv_utf8(const char *buf, size_t len, size_t *line)
{
	size_t	bad, i;

	*line = 1;
	if (utf8_valid(buf, len, &bad))
		return (0);
	for (i = 0; i < bad; i++)
		if (buf[i] == '\n')
			(*line)++;
	return (-1);
}

/* The header's more frequent delimiter outside quotes; ',' on a tie. */
static char
csv_detect(const char *buf, size_t len)
{
	size_t	i, commas = 0, semis = 0;
	int	quoted = 0;

	for (i = 0; i < len; i++) {
		if (buf[i] == '"')
			quoted = !quoted;
		else if (!quoted && (buf[i] == '\n' || buf[i] == '\r'))
			break;
		else if (!quoted && buf[i] == ',')
			commas++;
		else if (!quoted && buf[i] == ';')
			semis++;
	}
	return (semis > commas ? ';' : ',');
}

static void
csv_rec_free(struct csv_rec *r)
{
	size_t	i;

	for (i = 0; i < r->nfields; i++)
		free(r->fields[i]);
	free(r->fields);
	r->fields = NULL;
	r->nfields = 0;
}

/* Ends the field being read. */
static int
csv_end_field(struct csv_state *st, char **cause)
{
	struct csv_rec	*r = &st->rec;

	if (r->nfields == st->lim->max_fields) {
		*cause = xasprintf("line %zu: more than %zu fields", r->line,
		    st->lim->max_fields);
		return (-1);
	}
	if (r->nfields == st->cap) {
		st->cap = st->cap == 0 ? 8 : st->cap * 2;
		r->fields = xrealloc(r->fields, st->cap * sizeof *r->fields);
	}
	r->fields[r->nfields++] = xstrndup(st->field.data != NULL ?
	    st->field.data : "", st->field.len);
	buf_reset(&st->field);
	return (0);
}

/* Ends the record being read: kept, or skipped if blank. */
static int
csv_end_record(struct csv_state *st, int quoted, char **cause)
{
	struct csv	*c = st->c;
	struct csv_rec	*r = &st->rec;

	if (csv_end_field(st, cause) != 0)
		return (-1);
	if (r->nfields == 1 && r->fields[0][0] == '\0' && !quoted) {
		csv_rec_free(r);
		st->cap = 0;
		return (0);
	}
	if (c->nrecs > 0 && r->nfields != c->recs[0].nfields) {
		*cause = xasprintf("line %zu: %zu fields, but the header has "
		    "%zu (a delimiter inside a field needs quotes)", r->line,
		    r->nfields, c->recs[0].nfields);
		return (-1);
	}
	if (c->nrecs == st->lim->max_records) {
		*cause = xasprintf("line %zu: more than %zu rows; split the "
		    "file", r->line, st->lim->max_records - 1);
		return (-1);
	}
	c->recs = xrealloc(c->recs, (c->nrecs + 1) * sizeof *c->recs);
	c->recs[c->nrecs++] = *r;
	memset(r, 0, sizeof *r);
	st->cap = 0;
	return (0);
}

static int
csv_add(struct csv_state *st, char ch, char **cause)
{
	if (st->field.len >= st->lim->max_field) {
		*cause = xasprintf("line %zu: a field is longer than %zu "
		    "bytes", st->rec.line, st->lim->max_field);
		return (-1);
	}
	buf_add(&st->field, &ch, 1);
	return (0);
}

int
csv_parse(const char *buf, size_t len, char delim,
    const struct csv_limits *lim, struct csv *c, char **cause)
{
	struct csv_state	 st;
	size_t			 i, line = 1, bad;
	int			 quoted = 0, inq = 0, after = 0, rc = -1;
	char			 ch;

	memset(c, 0, sizeof *c);
	*cause = NULL;
	if (len > lim->max_bytes) {
		*cause = xasprintf("the file is larger than %zu bytes; split "
		    "it", lim->max_bytes);
		return (-1);
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (csv_utf8(buf, len, &bad) != 0) {
		*cause = xasprintf("line %zu: not UTF-8 text (save the file "
		    "as UTF-8)", bad);
		return (-1);
	}
	if (delim == 0)
		delim = csv_detect(buf, len);
	c->delim = delim;
	memset(&st, 0, sizeof st);
	st.lim = lim;
	st.c = c;
	buf_init(&st.field, 0);
	st.rec.line = 1;
	for (i = 0; i < len; i++) {
		ch = buf[i];
		if (inq) {
			if (ch == '"' && i + 1 < len && buf[i + 1] == '"') {
				if (csv_add(&st, '"', cause) != 0)
					goto out;
				i++;
			} else if (ch == '"') {
				inq = 0;
				after = 1;
			} else {
				if (ch == '\n')
					line++;
				if (csv_add(&st, ch, cause) != 0)
					goto out;
			}
			continue;
		}
		if (ch == delim) {
			if (csv_end_field(&st, cause) != 0)
				goto out;
			after = 0;
		} else if (ch == '\n' || (ch == '\r' && i + 1 < len &&
		    buf[i + 1] == '\n')) {
			if (ch == '\r')
				i++;
			if (csv_end_record(&st, quoted, cause) != 0)
				goto out;
			st.rec.line = ++line;
			quoted = after = 0;
		} else if (after) {
			*cause = xasprintf("line %zu: text after a closing "
			    "quote (a quote inside a field is written \"\")",
			    line);
			goto out;
		} else if (ch == '"') {
			if (st.field.len != 0) {
				*cause = xasprintf("line %zu: a quote inside an "
				    "unquoted field (quote the whole field and "
				    "double the quote)", line);
				goto out;
			}
			inq = quoted = 1;
		} else if (csv_add(&st, ch, cause) != 0)
			goto out;
	}
	if (inq) {
		*cause = xasprintf("line %zu: a quoted field is not closed",
		    st.rec.line);
		goto out;
	}
	if ((st.field.len > 0 || st.rec.nfields > 0 || quoted) &&
	    csv_end_record(&st, quoted, cause) != 0)
		goto out;
	if (c->nrecs == 0) {
		*cause = xasprintf("the file is empty (it needs a header "
		    "row)");
		goto out;
	}
	rc = 0;
out:
	csv_rec_free(&st.rec);
	buf_release(&st.field);
	if (rc != 0)
		csv_free(c);
	return (rc);
}

void
csv_free(struct csv *c)
{
	size_t	i;

	for (i = 0; i < c->nrecs; i++)
		csv_rec_free(&c->recs[i]);
	free(c->recs);
	memset(c, 0, sizeof *c);
}

void
csv_field(struct buf *b, const char *s, char delim)
{
	const char	*p;

	if (strchr(s, delim) == NULL && strchr(s, '"') == NULL &&
	    strchr(s, '\n') == NULL && strchr(s, '\r') == NULL) {
		buf_adds(b, s);
		return;
	}
	buf_adds(b, "\"");
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_adds(b, "\"\"");
		else
			buf_add(b, p, 1);
	}
	buf_adds(b, "\"");
}

/*
 * A cell a spreadsheet would take for a formula gets a leading "'": one
 * starting with '=', '@', a tab or a carriage return, or with '+' or '-'
 * unless it is a plain number ("+4915112345678", "-3"): digits, spaces,
 * '.', ',', '(', ')' and '/' only, and the bullets of a masked number.
 */
static int
csv_formula(const char *s)
{
	const char	*p;

	if (*s == '=' || *s == '@' || *s == '\t' || *s == '\r')
		return (1);
	if (*s != '+' && *s != '-')
		return (0);
	for (p = s + 1; *p != '\0'; p++) {
		if (strncmp(p, "\xe2\x80\xa2", 3) == 0) {	/* a masked digit */
			p += 2;
			continue;
		}
		if (strchr("0123456789 .,()/", *p) == NULL)
			return (1);
	}
	return (p == s + 1);
}

void
csv_cell(struct buf *b, const char *s, char delim)
{
	char	*g;

	if (!csv_formula(s)) {
		csv_field(b, s, delim);
		return;
	}
	g = xmalloc(strlen(s) + 2);
	g[0] = '\'';
	memcpy(g + 1, s, strlen(s) + 1);
	csv_field(b, g, delim);
	free(g);
}
