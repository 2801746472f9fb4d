/*
 * search: full-text search over messages, notes and names, with filters
 * (search.c parses the query language); every search is audited, the
 * query sealed in the record's detail since it may name a customer.
 * search.stats: the index's size and state, for supervisors.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "daemon.h"
#include "numbers.h"
#include "proto-names.h"
#include "rpc.h"
#include "search-query.h"
#include "store.h"

static json_t *
rpc_search(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct search_query	 sq;
	struct store_search_q	 q;
	struct store_agent	 a;
	const char		*text, *purpose;
	int64_t			 limit = 50, offset = 0;
	json_t			*rows, *res;
	char			*cause = NULL;

	if (rpc_param_str(params, "q", 1, &text, SEARCH_QUERY_MAX, err) != 0 ||
	    rpc_param_str(params, "purpose", 0, &purpose, 200, err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, 200, err) != 0 ||
	    rpc_param_int(params, "offset", 0, &offset, 0, 100000, err) != 0)
		return (NULL);
	if (search_query_parse(text, &sq, &cause) != 0) {
		rpc_error(err, PE_INVALID, "%s", cause);
		free(cause);
		return (NULL);
	}
	memset(&q, 0, sizeof q);
	q.match = sq.match;
	q.kinds = sq.kinds;
	q.dir = sq.dir;
	q.from = sq.from;
	q.to = sq.to;
	q.state = sq.state;
	q.label = sq.label;
	q.assignee = -1;
	q.limit = limit;
	q.offset = offset;
	if (sq.assignee != NULL) {
		if (strcmp(sq.assignee, "me") == 0)
			q.assignee = ctx->agent.id;
		else if (strcmp(sq.assignee, "none") == 0)
			q.assignee = 0;
		else if (store_agent_by_name(&ctx->d->store, sq.assignee,
		    &a) == 0)
			q.assignee = a.id;
		else {
			rpc_error(err, PE_NOT_FOUND, "assignee: no agent '%s'",
			    sq.assignee);
			search_query_free(&sq);
			return (NULL);
		}
	}
	/* The query may name a customer: it goes in the sealed detail. */
	ctx->audit = (struct audit_rec){ .action = "search", .detail = text,
	    .purpose = purpose, .result = "ok" };
	rows = store_search_run(&ctx->d->store, &q, ctx->agent.id,
	    (int64_t)time(NULL), (int)ctx->d->conf.window_hours, &cause);
	search_query_free(&sq);
	if (rows == NULL) {
		/* A search that failed was still asked for: recorded. */
		ctx->audit.result = "error";
		rpc_audit_refusal(ctx, &ctx->audit);
		rpc_error(err, PE_INVALID, "%s", cause);
		free(cause);
		return (NULL);
	}
	numbers_label_rows(ctx->d, rows);	/* "number": a label */
	res = json_pack("{so sI}", "rows", rows, "offset", (json_int_t)offset);
	/* While the index fills after a start, results may be incomplete. */
	if (store_search_building(&ctx->d->store)) {
		json_object_set_new(res, "partial", json_true());
		json_object_set_new(res, "progress", json_integer(
		    store_search_progress(&ctx->d->store)));
	}
	return (res);
}

static json_t *
rpc_search_stats(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	return (store_search_stats(&ctx->d->store));
}

const struct rpc_method rpc_search_methods[] = {
	{ PM_SEARCH,		RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_search },
	{ PM_SEARCH_STATS,	RPC_SUPERVISOR,	RPC_READONLY,
	    rpc_search_stats },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
