/*
 * macro.*: the macros of the rule file (macro.list) and one run on a
 * conversation (macro.run): every action through the action executor as
 * the agent who runs it, in this one write path, so the agent's role and
 * the assignment policy apply to each, each is the agent's own record
 * (its detail begins "macro NAME:"), and one refused action undoes them
 * all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "audit.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "rules.h"
#include "store.h"

static json_t *
rpc_macro_actions(const struct rf_macro *m)
{
	json_t	*a = json_array();
	char	*t;
	size_t	 i;

	for (i = 0; i < m->nactions; i++) {
		t = rulefile_action_text(&m->actions[i]);
		json_array_append_new(a, json_string(t));
		free(t);
	}
	return (a);
}

static json_t *
rpc_macro_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const struct rulefile	*rf = rules_file(ctx->d);
	json_t			*out = json_array();
	size_t			 i;

	(void)params; (void)err;
	for (i = 0; rf != NULL && i < rf->nmacros; i++)
		json_array_append_new(out, json_pack("{ss sI so}", "macro",
		    rf->macros[i].name, "line", (json_int_t)rf->macros[i].line,
		    "actions", rpc_macro_actions(&rf->macros[i])));
	return (json_pack("{so}", "macros", out));
}

static json_t *
rpc_macro_run(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const struct rulefile	*rf = rules_file(ctx->d);
	const struct rf_macro	*m = NULL;
	struct store_conv_info	 ci;
	struct action_run	 ar;
	const char		*name;
	char			 via[RF_NAME_MAX + 8], names[256], *t, *why;
	int64_t			 conv;
	size_t			 i, o = 0;

	if (rpc_param_str(params, "macro", 1, &name, RF_NAME_MAX, err) != 0 ||
	    rpc_param_int(params, "conv", 1, &conv, 1, INT64_MAX, err) != 0)
		return (NULL);
	for (i = 0; rf != NULL && i < rf->nmacros && m == NULL; i++) {
		if (strcmp(rf->macros[i].name, name) == 0)
			m = &rf->macros[i];
	}
	if (m == NULL)
		return (rpc_error(err, PE_NOT_FOUND, "no macro '%s'; "
		    "'support-inbox macro list' shows them", name));
	if (rpc_lookup(store_conv_info(&ctx->d->store, conv, &ci), err,
	    "no conversation %lld", (long long)conv) != 0)
		return (NULL);
	snprintf(via, sizeof via, "macro %s", m->name);
	ctx->via = via;
	names[0] = '\0';
	for (i = 0; i < m->nactions; i++) {
		memset(&ar, 0, sizeof ar);
		ar.ctx = ctx;
		ar.conv = conv;
		if (action_run(&ar, &m->actions[i], err) != 0) {
			ctx->via = NULL;
			/* Says which action; nothing of the macro stays. */
			t = rulefile_action_text(&m->actions[i]);
			why = err->message;
			err->message = NULL;
			rpc_error(err, err->code, "macro %s: '%s' (line %d): "
			    "%s; nothing was done", m->name, t,
			    m->actions[i].line, why != NULL ? why : "failed");
			free(why);
			free(t);
			return (NULL);
		}
		o += (size_t)snprintf(names + o, o < sizeof names ?
		    sizeof names - o : 0, "%s%s", o > 0 ? "," : "",
		    rulefile_action_name(m->actions[i].kind));
		if (o >= sizeof names)
			o = sizeof names - 1;
	}
	ctx->via = NULL;
	ctx->audit = (struct audit_rec){ .action = "macro.run",
	    .object_type = "conversation", .object_id = conv,
	    .contact_id = ci.contact_id, .result = "ok" };
	rpc_audit_detail(ctx, "macro=%s actions=%s", m->name, names);
	return (json_pack("{ss sI so}", "macro", m->name, "conversation",
	    (json_int_t)conv, "actions", rpc_macro_actions(m)));
}

const struct rpc_method rpc_macro_methods[] = {
	{ PM_MACRO_LIST,	RPC_AGENT,	RPC_READONLY,	rpc_macro_list },
	{ PM_MACRO_RUN,		RPC_AGENT,	RPC_WRITE,	rpc_macro_run },
	{ NULL, 0, 0, NULL }
};
