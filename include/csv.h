/*
 * CSV as RFC 4180 writes it (contact import): a header row, fields quoted
 * with '"' (a quote inside doubled), so commas, quotes and line breaks may
 * stand inside a quoted field; records end with CRLF or LF. The text must
 * be UTF-8 (a byte order mark in front is dropped); the delimiter is ','
 * or ';', the one the header row has more of unless given. Everything is
 * bounded by struct csv_limits, and each refusal names the line it is on
 * and never repeats the text. A blank line (nothing but its end) is
 * skipped. Parsed without a daemon, so it is tested alone (test_csv).
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

struct csv_limits {
	size_t	 max_bytes;	/* the whole text */
	size_t	 max_records;	/* the header included */
	size_t	 max_fields;	/* in a record */
	size_t	 max_field;	/* bytes of one field */
};

struct csv_rec {
	size_t	 line;		/* the line the record starts on, from 1 */
	size_t	 nfields;
	char	**fields;	/* NUL-terminated, allocated */
};

struct csv {
	char		 delim;
	size_t		 nrecs;
	struct csv_rec	*recs;	/* recs[0] is the header */
};

/*
 * Parses len bytes of buf with delimiter delim (',' or ';'; 0: detect)
 * into c. Every record must have as many fields as the header. 0, or -1
 * and *cause (allocated) such as "line 7: a quoted field is not closed".
 */
int	csv_parse(const char *buf, size_t len, char delim,
	    const struct csv_limits *, struct csv *c, char **cause);
void	csv_free(struct csv *);
/* Writes s as one field (quoted when it needs to be) into f's buffer. */
struct buf;
void	csv_field(struct buf *, const char *s, char delim);
/*
 * The same with the formula-injection guard of exports: a cell starting
 * with '=', '@', a tab or a carriage return, or with '+' or '-' and not a
 * plain number, gets a leading "'" so a spreadsheet shows it as text.
 */
void	csv_cell(struct buf *, const char *s, char delim);

#endif
