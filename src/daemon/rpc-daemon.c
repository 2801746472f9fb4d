/*
 * daemon.*: the admin's reload (as SIGHUP; reload.c) and the operator's
 * status (counts and alarms, for root and the service user too).
 */
#include <stdio.h>
#include <stdlib.h>

#include "audit.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"

/* Admin: as SIGHUP (reload.c); audited with what changed, no secrets. */
static json_t *
rpc_daemon_reload(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t			*changed = NULL, *v;
	char			*cause = NULL, detail[512];
	size_t			 i, n = 0;

	(void)params;
	detail[0] = '\0';
	ctx->audit = (struct audit_rec){ .action = "daemon.reload",
	    .result = "ok" };
	if (daemon_reload(ctx->d, &changed, &cause) != 0) {
		ctx->audit.result = "failed";
		snprintf(detail, sizeof detail, "%s", cause);
	} else {
		json_array_foreach(changed, i, v) {
			n += (size_t)snprintf(detail + n, n < sizeof detail ?
			    sizeof detail - n : 0, "%s%s", i > 0 ? ", " : "",
			    json_string_value(v));
		}
	}
	rpc_audit_detail(ctx, "%s", detail[0] != '\0' ? detail :
	    "nothing changed");
	if (cause != NULL) {
		/* A failed reload is recorded as such. */
		rpc_audit_refusal(ctx, &ctx->audit);
		rpc_error(err, PE_INVALID, "reload failed, the running "
		    "configuration is kept: %s", cause);
		free(cause);
		return (NULL);
	}
	return (json_pack("{so}", "changed", changed));
}

/*
 * For monitoring and the operator ("support-inboxd status"): what status
 * says minus who asks and our number. Root and the daemon's own user need
 * no agent row (rpc_peer_is_operator); anyone else must be an agent.
 * Nothing in it is personal data: counts, alarms, alert titles.
 */
static json_t *
rpc_daemon_status(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct rpc_peer	*p = ctx->peer;

	(void)params;
	if (!ctx->is_agent && !rpc_peer_is_operator(p)) {
		rpc_deny(ctx, "daemon.status: not an agent, root or the "
		    "daemon's user");
		return (rpc_error(err, PE_NOT_AGENT, "Unix user '%s' (uid %u) "
		    "is neither an agent, root nor the daemon's user; run "
		    "'support-inboxd status' as root or as the daemon's user, "
		    "or an admin adds an agent with: support-inbox agent add "
		    "NAME", p->user, (unsigned)p->uid));
	}
	return (rpc_session_status(ctx->d));
}

const struct rpc_method rpc_daemon_methods[] = {
	{ PM_DAEMON_STATUS,	RPC_ANYONE,	RPC_READONLY,
	    rpc_daemon_status },
	{ PM_DAEMON_RELOAD,	RPC_ADMIN,	RPC_WRITE | RPC_READONLY,
	    rpc_daemon_reload },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
