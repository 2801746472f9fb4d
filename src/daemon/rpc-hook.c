/*
 * hook.*: the event hooks' deliveries (hook.list, with --failed the
 * dead-letter list), a dead one sent again (hook.retry) and a test
 * delivery (hook.test). Supervisors and admins: a delivery's row names
 * no one, but what a hook sends is the operator's business. hook.c does
 * the work; doc/integrations.md.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "conf.h"
#include "daemon.h"
#include "hook.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

#define RPC_HOOK_LIST_MAX	1000

static json_t *
rpc_hook_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t	*rows, *hooks;
	int64_t	 limit = 100;
	size_t	 i;
	const struct conf_hook *h;

	if (rpc_param_int(params, "limit", 0, &limit, 1, RPC_HOOK_LIST_MAX,
	    err) != 0)
		return (NULL);
	rows = store_hook_list(&ctx->d->store, json_is_true(json_object_get(
	    params, "failed")), limit);
	hooks = json_array();
	for (i = 0; i < ctx->d->conf.nhooks; i++) {
		h = &ctx->d->conf.hooks[i];
		json_array_append_new(hooks, json_pack("{ss ss ss ss}", "name",
		    h->name, "target", h->url != NULL ? "url" : "program",
		    "format", h->format == CONF_HOOK_TEAMS ? "teams" : "json",
		    "include", conf_hook_include_name(h->include)));
	}
	return (json_pack("{so so}", "deliveries", rows, "hooks", hooks));
}

static json_t *
rpc_hook_retry(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_hook_row	 r;
	int64_t			 id = 0;
	int			 n;

	if (rpc_param_int(params, "id", 0, &id, 1, INT64_MAX, err) != 0)
		return (NULL);
	if (id == 0 && !json_is_true(json_object_get(params, "all_failed")))
		return (rpc_error(err, PE_INVALID, "give a delivery id or "
		    "all_failed"));
	if (id != 0) {
		if (rpc_lookup(store_hook_get(&ctx->d->store, id, &r), err,
		    "no hook delivery %lld", (long long)id) != 0)
			return (NULL);
		if (strcmp(r.state, "dead") != 0)
			return (rpc_error(err, PE_INVALID, "delivery %lld is "
			    "%s; only dead ones are sent again", (long long)id,
			    r.state));
	}
	if ((n = store_hook_retry(&ctx->d->store, id, clock_now())) < 0)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	ctx->audit = (struct audit_rec){ .action = "hook.retry",
	    .object_type = "hook_delivery", .object_id = id, .result = "ok" };
	rpc_audit_detail(ctx, "%d dead deliver%s sent again", n,
	    n == 1 ? "y" : "ies");
	return (json_pack("{si}", "retried", n));
}

static json_t *
rpc_hook_test(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const struct conf_hook	*h;
	const char		*name;
	int64_t			 id;

	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0)
		return (NULL);
	if ((h = conf_hook_by_name(&ctx->d->conf, name)) == NULL)
		return (rpc_error(err, PE_NOT_FOUND, "no hook '%s' in the "
		    "configuration", name));
	if (hook_test(ctx->d, h, &id) != 0 || id == 0)
		return (rpc_error(err, PE_INTERNAL, "cannot record the test "
		    "delivery"));
	ctx->audit = (struct audit_rec){ .action = "hook.test",
	    .object_type = "hook_delivery", .object_id = id, .result = "ok" };
	rpc_audit_detail(ctx, "hook %s", h->name);
	return (json_pack("{sI ss}", "id", (json_int_t)id, "hook", h->name));
}

const struct rpc_method rpc_hook_methods[] = {
	{ PM_HOOK_LIST,		RPC_SUPERVISOR,	RPC_READONLY,	rpc_hook_list },
	{ PM_HOOK_RETRY,	RPC_SUPERVISOR,	RPC_WRITE,	rpc_hook_retry },
	{ PM_HOOK_TEST,		RPC_SUPERVISOR,	RPC_WRITE,	rpc_hook_test },
	{ NULL, 0, 0, NULL }
};
