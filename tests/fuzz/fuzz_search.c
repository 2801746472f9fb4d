/*
 * Search queries (src/daemon/search-query.c): any query parses or is refused;
 * the FTS5 expression it yields is then run against a real (empty) index,
 * where a syntax error would show FTS5 syntax leaking through.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "fuzz.h"
#include "search-query.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct search_query	 q;
	char			*s, *cause = NULL;

	s = fuzz_str(data, len);
	if (search_query_parse(s, &q, &cause) == 0)
		search_query_free(&q);
	else
		free(cause);
	free(s);
	return (0);
}
