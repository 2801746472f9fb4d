/*
 * hours.*: business hours per team (issue 16), as hours.c computes them.
 * Read-only and without personal data: the answer is the configuration
 * and the clock.
 */
#include <stdint.h>

#include "clock.h"
#include "daemon.h"
#include "hours.h"
#include "proto-names.h"
#include "rpc.h"

static json_t *
rpc_hours_status(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*team = NULL;
	int64_t		 at = 0;

	if (rpc_param_str(params, "team", 0, &team, 64, err) != 0 ||
	    rpc_param_int(params, "at", 0, &at, 1, INT64_C(253402300799),
	    err) != 0)
		return (NULL);
	if (at == 0)
		at = clock_now();
	if (team == NULL)
		return (json_pack("{so}", "teams", hours_status_all(ctx->d,
		    at)));
	return (hours_status(ctx->d, team, at));
}

const struct rpc_method rpc_hours_methods[] = {
	{ PM_HOURS_STATUS,	RPC_AGENT,	RPC_READONLY,
	    rpc_hours_status },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
