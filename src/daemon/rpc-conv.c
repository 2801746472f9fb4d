/* Conversation methods: views and opening a conversation (audited). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "daemon.h"
#include "outbox.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

#define RPC_PAGE_MAX	500

static json_t *
rpc_conv_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*view;
	int64_t		 offset = 0, limit = 50;
	json_t		*rows, *res;
	int64_t		 hours = ctx->d->conf.window_closing_hours;

	if (rpc_param_str(params, "view", 0, &view, 100, err) != 0 ||
	    rpc_param_int(params, "hours", 0, &hours, 1, 168, err) != 0 ||
	    rpc_param_int(params, "offset", 0, &offset, 0, INT32_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_PAGE_MAX,
	    err) != 0)
		return (NULL);
	if (view == NULL)
		view = "all";
	/* store-inbox.c: the views with per-agent unread and labels */
	rows = store_inbox_list(&ctx->d->store, view, ctx->agent.id, offset,
	    limit, (int64_t)time(NULL), (int)ctx->d->conf.window_hours,
	    (int)hours);
	if (rows == NULL)
		return (rpc_error(err, "invalid", "unknown view '%s'; views "
		    "are all, mine, unassigned, open, pending, snoozed, "
		    "resolved, label:NAME, team:NAME, window[:HOURS], failed",
		    view));
	res = json_object();
	json_object_set_new(res, "view", json_string(view));
	json_object_set_new(res, "offset", json_integer(offset));
	json_object_set_new(res, "rows", rows);
	return (res);
}

static json_t *
rpc_conv_show(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t			 id, before = 0, limit = 100, contact_id;
	const char		*purpose;
	json_t			*res;
	struct audit_rec	 rec = { "conversation.open", "conversation",
				    0, 0, NULL, "ok", NULL };

	if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "before", 0, &before, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_PAGE_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "purpose", 0, &purpose, 200, err) != 0)
		return (NULL);
	if (store_conv_contact(&ctx->d->store, id, &contact_id) != 0)
		return (rpc_error(err, "not_found", "no conversation %lld",
		    (long long)id));
	if (purpose != NULL && purpose[strspn(purpose, " \t")] == '\0')
		purpose = NULL;
	/* Someone else's conversation: a purpose, logged (rpc-privacy.c). */
	if (rpc_privacy_may_read(ctx, "conversation.open", contact_id, id,
	    purpose, err) != 0)
		return (NULL);
	/* Blue ticks for what the agent now sees (before unread resets). */
	if (before == 0 && ctx->d->conf.mark_read)
		outbox_mark_read(ctx->d->outbox, id, 0);
	/* The read and its audit record commit together, or neither. */
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	res = store_conv_show(&ctx->d->store, id, before, limit,
	    (int64_t)time(NULL), (int)ctx->d->conf.window_hours);
	rec.object_id = id;
	rec.contact_id = contact_id;
	rec.purpose = purpose;
	if (res == NULL || audit_append(ctx->d, &ctx->who, &rec) != 0 ||
	    (before == 0 && store_conv_mark_read(&ctx->d->store, id,
	    ctx->agent.id) != 0)) {
		store_rollback(&ctx->d->store);
		json_decref(res);
		return (rpc_error(err, "internal", "cannot open conversation"));
	}
	if (rpc_commit(ctx, err) != 0) {
		json_decref(res);
		return (NULL);
	}
	return (res);
}

const struct rpc_method rpc_conv_methods[] = {
	{ "conv.list",	RPC_AGENT,	RPC_READONLY,	rpc_conv_list },
	{ "conv.show",	RPC_AGENT,	RPC_READONLY,	rpc_conv_show },
	{ NULL,		RPC_ANYONE,	0,	NULL }
};
