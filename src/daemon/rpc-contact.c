/*
 * contact.*: a contact's details and revealing its number. Each read
 * passes the read gate (rpc_privacy_read_target, rpc-privacy.c) and is
 * audited with its purpose.
 */
#include <jansson.h>

#include "audit.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

static json_t *
rpc_contact_read(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err,
    int reveal)
{
	const char	*action = reveal ? "contact.reveal" : "contact.view";
	const char	*purpose;
	int64_t		 cid;
	json_t		*res;

	if (rpc_privacy_read_target(ctx, params, action, &cid, &purpose,
	    err) != 0)
		return (NULL);
	if ((res = store_contact_detail(&ctx->d->store, cid, reveal)) == NULL)
		return (rpc_error(err, PE_NOT_FOUND, "no contact %lld",
		    (long long)cid));
	rpc_privacy_audit_read(ctx, action, cid, purpose);
	if (!reveal)
		json_object_set_new(res, "marketing_consent", json_boolean(
		    store_consent_current(&ctx->d->store, cid,
		    "marketing") == 1));
	return (res);
}

static json_t *
rpc_contact_show(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_contact_read(ctx, params, err, 0));
}

static json_t *
rpc_contact_reveal(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t	*full, *res;

	if ((full = rpc_contact_read(ctx, params, err, 1)) == NULL)
		return (NULL);
	/* Only what was asked for: the identifiers. */
	res = json_pack("{sO sO sO}", "contact_id", json_object_get(full,
	    "contact_id"), "phone", json_object_get(full, "phone"),
	    "user_id", json_object_get(full, "user_id"));
	json_decref(full);
	return (res);
}

/* Audited reads: RPC_WRITE for the record, RPC_READONLY for the rest. */
const struct rpc_method rpc_contact_methods[] = {
	{ PM_CONTACT_SHOW,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_contact_show },
	{ PM_CONTACT_REVEAL,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_contact_reveal },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
