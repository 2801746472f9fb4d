/*
 * notice.*: the first-contact privacy notice (notice.c). notice.status
 * shows what is configured and how many contacts were informed; it reads
 * no one's personal data (counts only), so it is not a read-gated method.
 */
#include <jansson.h>

#include "daemon.h"
#include "notice.h"
#include "proto-names.h"
#include "rpc.h"

static json_t *
rpc_notice_status(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	return (notice_status(ctx->d));
}

const struct rpc_method rpc_notice_methods[] = {
	{ PM_NOTICE_STATUS,	RPC_AGENT,	RPC_READONLY,
	    rpc_notice_status },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
