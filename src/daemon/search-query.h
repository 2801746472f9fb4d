/*
 * The search query language agents type: words (all must match; a
 * trailing * matches a prefix), "quoted phrases", and filters
 *   status:open|pending|snoozed|resolved  assignee:NAME|me|none
 *   label:NAME  from:YYYY-MM-DD  to:YYYY-MM-DD (inclusive)
 *   in: (customer messages only)  out: (our messages only)
 *   in:notes  in:names  in:messages (where to look)
 * Parsing is pure; the words become an FTS5 expression in which every term
 * is quoted, so no input can reach FTS5's own syntax.
 */
#ifndef SEARCH_QUERY_H
#define SEARCH_QUERY_H

#include <stdint.h>

#define SEARCH_QUERY_MAX	512	/* bytes */
#define SEARCH_TERMS_MAX	16

struct search_query {
	char	*match;		/* FTS5 expression, allocated */
	int	 kinds;		/* 1 messages, 2 notes, 4 names */
	int	 dir;		/* 0 any, 1 in, 2 out */
	int64_t	 from, to;	/* epoch seconds, [from, to); 0 open */
	char	*state;		/* or NULL */
	char	*assignee;	/* name, "me", "none", or NULL */
	char	*label;		/* or NULL */
};

/* 0, or -1 with *cause (allocated). Free with search_query_free. */
int	 search_query_parse(const char *s, struct search_query *q, char **cause);
void	 search_query_free(struct search_query *);

#endif
