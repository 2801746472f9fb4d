/*
 * presence.*: who has a conversation open, who is typing in it, who is
 * online. It lives on the connections (struct rpc_peer), never in the
 * store: presence.set changes the caller's own connection and tells the
 * others; presence.get walks the connected peers (rpc-peer.c).
 */
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "proto-names.h"
#include "proto.h"
#include "rpc.h"
#include "store.h"


struct rpc_presence {
	struct rpc_ctx	*ctx;
	int64_t		 conv;
	json_t		*viewing, *typing, *online;
	int64_t		 now;
};

static void
rpc_presence_add(json_t *arr, const char *name)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(arr, i, v) {
		if (strcmp(json_string_value(v), name) == 0)
			return;
	}
	json_array_append_new(arr, json_string(name));
}

static void
rpc_presence_cb(struct rpc_peer *p, void *arg)
{
	struct rpc_presence	*rp = arg;
	struct store_agent	 a;

	if (!p->hello || store_agent_by_uid(&rp->ctx->d->store, p->uid,
	    &a) != 0 || !a.active)
		return;
	if (p->subscribed == 1 && rp->online != NULL)
		rpc_presence_add(rp->online, a.name);
	if (rp->conv == 0)
		return;
	if (p->viewing == rp->conv)
		rpc_presence_add(rp->viewing, a.name);
	if (p->typing == rp->conv &&
	    rp->now - p->typing_at < PROTO_TYPING_SECS)
		rpc_presence_add(rp->typing, a.name);
}

static json_t *
rpc_presence_get(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct rpc_presence	rp;

	memset(&rp, 0, sizeof rp);
	rp.ctx = ctx;
	rp.now = (int64_t)time(NULL);
	if (rpc_param_int(params, "conversation", 0, &rp.conv, 1, INT64_MAX,
	    err) != 0)
		return (NULL);
	rp.viewing = json_array();
	rp.typing = json_array();
	rp.online = json_array();
	rpc_peer_each(ctx->d, rpc_presence_cb, &rp);
	return (json_pack("{sI so so so}", "conversation", (json_int_t)rp.conv,
	    "viewing", rp.viewing, "typing", rp.typing, "online", rp.online));
}

static json_t *
rpc_presence_set(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	int64_t			 conv = 0;
	json_t			*viewing = json_object_get(params, "viewing");
	json_t			*typing = json_object_get(params, "typing");

	if (rpc_param_int(params, "conversation", 0, &conv, 0, INT64_MAX,
	    err) != 0)
		return (NULL);
	if (conv != 0 && rpc_lookup(store_conv_info(&ctx->d->store, conv,
	    &ci), err, "no conversation %lld", (long long)conv) != 0)
		return (NULL);
	if (viewing == NULL || json_is_true(viewing))
		ctx->peer->viewing = conv;
	else if (ctx->peer->viewing == conv)
		ctx->peer->viewing = 0;
	if (json_is_true(typing)) {
		ctx->peer->typing = conv;
		ctx->peer->typing_at = (int64_t)time(NULL);
	} else if (typing != NULL || conv == 0)
		ctx->peer->typing = 0;
	/* Not a write method; its event still goes out after the answer. */
	rpc_event(ctx, PEV_PRESENCE, json_pack("{sI sb sb ss}", "conversation",
	    (json_int_t)conv, "viewing", ctx->peer->viewing == conv &&
	    conv != 0, "typing", ctx->peer->typing == conv && conv != 0, "by",
	    ctx->agent.name));
	return (json_pack("{sI sI}", "viewing", (json_int_t)ctx->peer->viewing,
	    "typing", (json_int_t)ctx->peer->typing));
}

/* Neither touches the store: both answer on a damaged one. */
const struct rpc_method rpc_presence_methods[] = {
	{ PM_PRESENCE_GET,	RPC_AGENT,	RPC_READONLY,
	    rpc_presence_get },
	{ PM_PRESENCE_SET,	RPC_AGENT,	RPC_READONLY,
	    rpc_presence_set },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
