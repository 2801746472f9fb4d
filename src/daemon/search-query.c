/* The search query language; see search-query.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "names.h"
#include "search-query.h"
#include "xmalloc.h"

void
search_query_free(struct search_query *q)
{
	free(q->match);
	free(q->state);
	free(q->assignee);
	free(q->label);
	memset(q, 0, sizeof *q);
}

/* YYYY-MM-DD as UTC midnight. */
static int
search_query_date(const char *s, int64_t *out)
{
	struct tm	tm;
	char		*end;

	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0')
		return (-1);
	*out = (int64_t)timegm(&tm);
	return (0);
}

/* Appends one term, quoted for FTS5 ("" inside doubles). */
static void
search_query_add_term(struct buf *b, const char *t, size_t len, int prefix)
{
	size_t	i;

	if (b->len > 0)
		buf_adds(b, " ");
	buf_adds(b, "\"");
	for (i = 0; i < len; i++) {
		if (t[i] == '"')
			buf_adds(b, "\"\"");
		else
			buf_add(b, &t[i], 1);
	}
	buf_adds(b, "\"");
	if (prefix)
		buf_adds(b, "*");
}

static int
search_query_filter(struct search_query *q, const char *key, const char *val,
    char **cause)
{
	if (strcmp(key, "status") == 0) {
		enum conv_state	st;

		if (names_state_from(val, &st) != 0) {
			*cause = xasprintf("status: must be one of "
			    NAMES_LIST(NAMES_STATES, ", ") ", not '%s'", val);
			return (-1);
		}
		free(q->state);
		q->state = xstrdup(val);
	} else if (strcmp(key, "assignee") == 0) {
		if (*val == '\0') {
			*cause = xstrdup("assignee: needs a name, me or none");
			return (-1);
		}
		free(q->assignee);
		q->assignee = xstrdup(val);
	} else if (strcmp(key, "label") == 0) {
		if (*val == '\0') {
			*cause = xstrdup("label: needs a label name");
			return (-1);
		}
		free(q->label);
		q->label = xstrdup(val);
	} else if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0) {
		int64_t	t;

		if (search_query_date(val, &t) != 0) {
			*cause = xasprintf("%s: expects a date YYYY-MM-DD",
			    key);
			return (-1);
		}
		if (strcmp(key, "from") == 0)
			q->from = t;
		else
			q->to = t + 86400;	/* inclusive day */
	} else if (strcmp(key, "in") == 0) {
		if (*val == '\0')
			q->dir = 1;
		else if (strcmp(val, "messages") == 0)
			q->kinds = 1;
		else if (strcmp(val, "notes") == 0)
			q->kinds = 2;
		else if (strcmp(val, "names") == 0)
			q->kinds = 4;
		else {
			*cause = xasprintf("in: takes nothing, messages, notes "
			    "or names, not '%s'", val);
			return (-1);
		}
	} else if (strcmp(key, "out") == 0 && *val == '\0')
		q->dir = 2;
	else {
		*cause = xasprintf("unknown filter '%s:'; filters are status:, "
		    "assignee:, label:, from:, to:, in:, out:", key);
		return (-1);
	}
	return (0);
}

int
search_query_parse(const char *s, struct search_query *q, char **cause)
{
	struct buf	 b;
	const char	*p, *start, *colon;
	char		*key, *val;
	size_t		 len;
	int		 nterms = 0, prefix, rc;

	memset(q, 0, sizeof *q);
	q->kinds = 7;
	if (strlen(s) > SEARCH_QUERY_MAX) {
		*cause = xasprintf("query longer than %d bytes",
		    SEARCH_QUERY_MAX);
		return (-1);
	}
	buf_init(&b, SEARCH_QUERY_MAX * 3 + 64);
	for (p = s; *p != '\0';) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (*p == '"') {
			start = ++p;
			while (*p != '\0' && *p != '"')
				p++;
			len = (size_t)(p - start);
			if (*p == '"')
				p++;
			if (len == 0)
				continue;
			prefix = 0;
			goto term;
		}
		start = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
		len = (size_t)(p - start);
		colon = memchr(start, ':', len);
		if (colon != NULL && colon > start) {
			key = xstrndup(start, (size_t)(colon - start));
			val = xstrndup(colon + 1, len - (size_t)(colon - start)
			    - 1);
			rc = search_query_filter(q, key, val, cause);
			free(key);
			free(val);
			if (rc != 0)
				goto fail;
			continue;
		}
		prefix = len > 1 && start[len - 1] == '*';
		if (prefix)
			len--;
		while (len > 0 && start[len - 1] == '*')
			len--;
		if (len == 0)
			continue;
term:
		if (++nterms > SEARCH_TERMS_MAX) {
			*cause = xasprintf("at most %d search terms",
			    SEARCH_TERMS_MAX);
			goto fail;
		}
		search_query_add_term(&b, start, len, prefix);
	}
	if (nterms == 0) {
		*cause = xstrdup("nothing to search for: give at least one "
		    "word");
		goto fail;
	}
	q->match = buf_detach(&b, NULL);
	return (0);
fail:
	buf_release(&b);
	search_query_free(q);
	return (-1);
}
