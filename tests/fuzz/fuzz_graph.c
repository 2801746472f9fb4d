/*
 * Graph API answers: the body of an answer as graph.c parses it (error
 * object, code, subcode), the message id outbox.c takes from a send or
 * upload answer, meta-errors.c's classification of the code, and a template
 * list page stored by templates.c. The first byte picks the HTTP status
 * (200 or 400) and the content type.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon.h"
#include "meta-errors.h"
#include "fuzz.h"
#include "graph.h"
#include "outbox.h"
#include "store.h"
#include "templates.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char	*ctypes[] = { "application/json",
				    "text/javascript; charset=UTF-8",
				    "text/html", NULL };
	struct graph_resp	 r;
	const struct meta_errors_entry *e;
	struct daemon		*d;
	json_t			*page;
	char			*body, *id, *cause = NULL;
	int64_t			 count = 0;

	if (len < 1)
		return (0);
	memset(&r, 0, sizeof r);
	r.transport = GRAPH_OK;
	r.http = (data[0] & 1) ? 400 : 200;
	r.content_type = ctypes[(data[0] >> 1) & 3];
	body = fuzz_str(data + 1, len - 1);
	graph_resp_parse(&r, body, len - 1);
	if (r.has_error) {
		e = meta_errors_lookup(r.code);
		if (e == NULL || meta_errors_class_name(e->class) == NULL)
			abort();
	}
	id = outbox_answer_id(&r, 0);
	free(id);
	id = outbox_answer_id(&r, 1);
	free(id);
	if (!r.has_error && json_is_array(page = json_object_get(r.json,
	    "data")) && (data[0] & 8)) {
		d = fuzz_daemon();
		if (store_begin(&d->store) != 0)
			abort();
		(void)templates_store_page(d, NULL, page, 1767225600, &count);
		if (store_commit(&d->store, &cause) != 0)
			abort();
	}
	json_decref(r.json);
	free(body);
	return (0);
}
