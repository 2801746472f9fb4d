/*
 * consent.*: a contact's consent (current state and its ledger), read
 * behind the read gate (rpc-privacy.c), and an agent recording an opt-in
 * or opt-out with its reason.
 */
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "campaign.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

/* The privacy notices the contact was sent (issue 16), oldest first. */
static json_t *
rpc_consent_informed(json_t *history)
{
	json_t	*out, *r;
	size_t	 i;

	out = json_array();
	json_array_foreach(history, i, r) {
		if (json_is_string(json_object_get(r, "purpose")) &&
		    strcmp(json_string_value(json_object_get(r, "purpose")),
		    "informed") == 0)
			json_array_append(out, r);
	}
	return (out);
}

static json_t *
rpc_consent_show(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*purpose;
	int64_t		 cid;
	json_t		*res;

	if (rpc_privacy_read_target(ctx, params, "consent.view", &cid,
	    &purpose, err) != 0)
		return (NULL);
	res = json_object();
	json_object_set_new(res, "contact_id", json_integer(cid));
	json_object_set_new(res, "marketing", json_boolean(
	    store_consent_current(&ctx->d->store, cid, "marketing") == 1));
	json_object_set_new(res, "service", json_boolean(
	    store_consent_current(&ctx->d->store, cid, "service") == 1));
	json_object_set_new(res, "history", store_consent_history(
	    &ctx->d->store, cid));
	json_object_set_new(res, "informed", rpc_consent_informed(
	    json_object_get(res, "history")));
	rpc_privacy_audit_read(ctx, "consent.view", cid, purpose);
	return (res);
}

static json_t *
rpc_consent_set(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*category, *reason;
	int64_t		 cid, conv, now = time(NULL);
	json_t		*on;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_param_str(params, "category", 1, &category, 16, err) != 0 ||
	    rpc_privacy_text(params, "reason", 0, &reason, err) != 0)
		return (NULL);
	if (strcmp(category, "marketing") != 0 &&
	    strcmp(category, "service") != 0)
		return (rpc_error(err, PE_INVALID, "consent is for marketing "
		    "or service, not '%s'", category));
	on = json_object_get(params, "on");
	if (!json_is_boolean(on))
		return (rpc_error(err, PE_INVALID, "parameter 'on' must be "
		    "true or false"));
	if (store_consent_add(&ctx->d->store, cid, category, json_is_true(on),
	    "agent", 0, ctx->d->conf.consent_text_version, now) != 0 ||
	    campaign_track_consent(ctx->d, cid, now) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot record consent"));
	ctx->audit = (struct audit_rec){ .action = "consent.set",
	    .object_type = "contact", .object_id = cid, .contact_id = cid,
	    .purpose = reason, .result = "ok" };
	rpc_audit_detail(ctx, "%s %s", category, json_is_true(on) ?
	    "opt-in" : "opt-out");
	return (json_pack("{sI ss sb}", "contact_id", (json_int_t)cid,
	    "category", category, "opt_in", json_is_true(on)));
}

const struct rpc_method rpc_consent_methods[] = {
	{ PM_CONSENT_SHOW,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_consent_show },
	{ PM_CONSENT_SET,	RPC_AGENT,	RPC_WRITE,
	    rpc_consent_set },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
