/*
 * sla.*: service-level targets (issue 19; doc/sla.md). Read-only and
 * without personal data: the answer is the configuration.
 */
#include <stdint.h>

#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "sla.h"

static json_t *
rpc_sla_targets(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	return (sla_targets(ctx->d));
}

const struct rpc_method rpc_sla_methods[] = {
	{ PM_SLA_TARGETS,	RPC_AGENT,	RPC_READONLY,
	    rpc_sla_targets },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
