/*
 * draft.*: an agent's own unsent replies, kept by the daemon so that a
 * dropped connection or a quit loses nothing. Every method works on the
 * caller's drafts only: no parameter names an agent, so nobody reads a
 * colleague's draft. Saving is not audited (doc/design.md, "Drafts"): it
 * happens a second after typing stops, the text is the agent's own and
 * not yet sent, and what is sent is audited as message.send.
 */
#include <time.h>

#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

#define RPC_DRAFT_MAX		16384	/* bytes: the client's composer */
#define RPC_DRAFT_LIST_MAX	500

/* The conversation params name by "conversation": 0, or -1 (err). */
static int
rpc_draft_conv(struct rpc_ctx *ctx, json_t *params, int64_t *conv,
    struct rpc_err *err)
{
	int64_t	cid;

	if (rpc_param_int(params, "conversation", 1, conv, 1, INT64_MAX,
	    err) != 0)
		return (-1);
	return (rpc_lookup(store_conv_contact(&ctx->d->store, *conv, &cid),
	    err, "no conversation %lld", (long long)*conv));
}

static json_t *
rpc_draft_set(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*text;
	int64_t		 conv, reply_to = 0;

	if (rpc_draft_conv(ctx, params, &conv, err) != 0 ||
	    rpc_param_str(params, "text", 1, &text, RPC_DRAFT_MAX, err) != 0 ||
	    rpc_param_int(params, "reply_to", 0, &reply_to, 0, INT64_MAX,
	    err) != 0)
		return (NULL);
	if (store_draft_set(&ctx->d->store, ctx->agent.id, conv, text,
	    reply_to, (int64_t)time(NULL)) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot save the draft"));
	return (json_pack("{sI sb}", "conversation", (json_int_t)conv,
	    "saved", *text != '\0' || reply_to != 0));
}

static json_t *
rpc_draft_get(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t	*d;
	int64_t	 conv;

	if (rpc_draft_conv(ctx, params, &conv, err) != 0)
		return (NULL);
	d = store_draft_get(&ctx->d->store, ctx->agent.id, conv);
	return (json_pack("{sI so}", "conversation", (json_int_t)conv,
	    "draft", d != NULL ? d : json_null()));
}

static json_t *
rpc_draft_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t	limit = 100;

	if (rpc_param_int(params, "limit", 0, &limit, 1, RPC_DRAFT_LIST_MAX,
	    err) != 0)
		return (NULL);
	return (json_pack("{so}", "drafts", store_draft_list(&ctx->d->store,
	    ctx->agent.id, limit)));
}

const struct rpc_method rpc_draft_methods[] = {
	{ PM_DRAFT_SET,		RPC_AGENT,	RPC_WRITE,	rpc_draft_set },
	{ PM_DRAFT_GET,		RPC_AGENT,	RPC_READONLY,	rpc_draft_get },
	{ PM_DRAFT_LIST,	RPC_AGENT,	RPC_READONLY,	rpc_draft_list },
	{ NULL,			RPC_ANYONE,	0,		NULL }
};
