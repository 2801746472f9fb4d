/*
 * templates.*: syncing the WABA's message templates now (an audited
 * action) and listing the synced ones with what each asks for.
 */
#include <stdlib.h>

#include "audit.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"
#include "templates.h"

static json_t *
rpc_templates_sync(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	rec = { .action = "templates.sync",
				    .result = "ok" };

	(void)params;
	/*
	 * Appended first, so that a record that cannot be written starts no
	 * sync. The sync only sends a request; its pages are stored by the
	 * loop, after this transaction.
	 */
	if (rpc_audit(ctx, &rec, err) != 0)
		return (NULL);
	templates_sync(ctx->d->templates);
	return (templates_state(ctx->d->templates));
}

static json_t *
rpc_templates_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t	*rows, *t, *in;
	size_t	 i;
	char	*cause;

	(void)params; (void)err;
	rows = store_template_list(&ctx->d->store);
	/* What each asks for, so a client can prompt by name. */
	json_array_foreach(rows, i, t) {
		cause = NULL;
		if ((in = templates_inputs(t, &cause)) != NULL) {
			json_object_set(t, "params", json_object_get(in,
			    "params"));
			json_object_set(t, "header", json_object_get(in,
			    "header"));
			json_decref(in);
		} else {
			json_object_set_new(t, "unsendable",
			    json_string(cause));
			free(cause);
		}
	}
	return (json_pack("{so so}", "sync",
	    templates_state(ctx->d->templates), "templates", rows));
}

const struct rpc_method rpc_templates_methods[] = {
	{ PM_TEMPLATES_SYNC,	RPC_AGENT,	RPC_WRITE,
	    rpc_templates_sync },
	{ PM_TEMPLATES_LIST,	RPC_AGENT,	RPC_READONLY,
	    rpc_templates_list },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
