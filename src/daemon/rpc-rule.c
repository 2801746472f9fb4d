/*
 * rule.*: the rules in use (rule.list), which would fire for a message
 * and why (rule.test), and a rule switched off or on (rule.disable,
 * rule.enable: supervisors; kept in the store, so the operator's file is
 * never rewritten). The rules themselves are rules.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "rules.h"
#include "store.h"

static json_t *
rpc_rule_texts(const struct rf_action *acts, size_t n)
{
	json_t	*a = json_array();
	char	*t;
	size_t	 i;

	for (i = 0; i < n; i++) {
		t = rulefile_action_text(&acts[i]);
		json_array_append_new(a, json_string(t));
		free(t);
	}
	return (a);
}

static json_t *
rpc_rule_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const struct rulefile	*rf = rules_file(ctx->d);
	const struct rf_rule	*r;
	json_t			*states, *rules, *conds, *st;
	char			*t;
	size_t			 i, k;

	(void)params;
	rules = json_array();
	if ((states = store_rule_states(&ctx->d->store)) == NULL)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	for (i = 0; rf != NULL && i < rf->nrules; i++) {
		r = &rf->rules[i];
		conds = json_array();
		for (k = 0; k < r->nconds; k++) {
			t = rulefile_cond_text(&r->conds[k]);
			json_array_append_new(conds, json_string(t));
			free(t);
		}
		t = rulefile_trigger_text(r);
		st = json_object_get(states, r->name);
		json_array_append_new(rules, json_pack("{ss sI ss so so sb "
		    "sO?}", "rule", r->name, "line", (json_int_t)r->line,
		    "trigger", t, "conditions", conds, "actions",
		    rpc_rule_texts(r->actions, r->nactions), "enabled",
		    !json_is_true(json_object_get(st, "disabled")), "switched",
		    st));
		free(t);
	}
	json_decref(states);
	return (json_pack("{so so}", "file", rf != NULL ?
	    json_string(rf->path) : json_null(), "rules", rules));
}

static const struct rf_rule *
rpc_rule_find(struct rpc_ctx *ctx, const char *name)
{
	const struct rulefile	*rf = rules_file(ctx->d);
	size_t			 i;

	for (i = 0; rf != NULL && i < rf->nrules; i++) {
		if (strcmp(rf->rules[i].name, name) == 0)
			return (&rf->rules[i]);
	}
	return (NULL);
}

static json_t *
rpc_rule_test(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct rules_probe	 p;
	json_t			*res;

	memset(&p, 0, sizeof p);
	if (rpc_param_str(params, "text", 0, &p.text, 16384, err) != 0 ||
	    rpc_param_str(params, "number", 0, &p.number, 16, err) != 0 ||
	    rpc_param_str(params, "lang", 0, &p.lang, 16, err) != 0 ||
	    rpc_param_str(params, "team", 0, &p.team, 64, err) != 0 ||
	    rpc_param_int(params, "conv", 0, &p.conv, 1, INT64_MAX,
	    err) != 0)
		return (NULL);
	if (p.conv != 0) {
		if (rpc_lookup(store_conv_info(&ctx->d->store, p.conv, &ci),
		    err, "no conversation %lld", (long long)p.conv) != 0)
			return (NULL);
		/* The contact's language, labels and attributes are read. */
		ctx->audit = (struct audit_rec){ .action = "rule.test",
		    .object_type = "conversation", .object_id = p.conv,
		    .contact_id = ci.contact_id, .result = "ok",
		    .detail = "conditions evaluated" };
	}
	if ((res = rules_test(ctx->d, &p)) == NULL)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	return (json_pack("{so}", "rules", res));
}

static json_t *
rpc_rule_switch(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*name;
	int		 off = strcmp(ctx->method, PM_RULE_DISABLE) == 0;

	if (rpc_param_str(params, "rule", 1, &name, 64, err) != 0)
		return (NULL);
	if (rpc_rule_find(ctx, name) == NULL)
		return (rpc_error(err, PE_NOT_FOUND, "no rule '%s' in the rule "
		    "file; 'support-inbox rule list' shows them", name));
	if (store_rule_set_disabled(&ctx->d->store, name, off,
	    ctx->agent.name, clock_now()) != 0)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	ctx->audit = (struct audit_rec){ .action = off ? "rule.disable" :
	    "rule.enable", .object_type = "rule", .result = "ok",
	    .detail = name };
	return (json_pack("{ss sb}", "rule", name, "enabled", !off));
}

const struct rpc_method rpc_rule_methods[] = {
	{ PM_RULE_LIST,		RPC_AGENT,	RPC_READONLY,	rpc_rule_list },
	{ PM_RULE_TEST,		RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_rule_test },
	{ PM_RULE_ENABLE,	RPC_SUPERVISOR,	RPC_WRITE,	rpc_rule_switch },
	{ PM_RULE_DISABLE,	RPC_SUPERVISOR,	RPC_WRITE,	rpc_rule_switch },
	{ NULL, 0, 0, NULL }
};
