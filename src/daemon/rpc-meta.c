/*
 * meta.*: what the daemon speaks. meta.methods lists every protocol method
 * with the role it needs (so a test can prove each one is audited as it
 * should).
 */
#include "proto-names.h"
#include "rpc.h"

static json_t *
rpc_meta_methods_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const struct rpc_method	*m;
	json_t			*arr;
	size_t			 i;

	(void)ctx; (void)params; (void)err;
	arr = json_array();
	for (i = 0; rpc_sets[i] != NULL; i++) {
		for (m = rpc_sets[i]; m->name != NULL; m++)
			json_array_append_new(arr, json_pack("{ss ss}", "name",
			    m->name, "role", rpc_role_name(m->role)));
	}
	return (arr);
}

const struct rpc_method rpc_meta_methods[] = {
	{ PM_META_METHODS,	RPC_ADMIN,	RPC_READONLY,
	    rpc_meta_methods_list },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
