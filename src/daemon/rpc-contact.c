/*
 * contact.*: a contact's details and revealing its number. Each read
 * passes the read gate (rpc_privacy_may_read, rpc-privacy.c) and is
 * audited with its purpose. contact.show also gives the customer's
 * context for the contact panel: their other conversations, labels,
 * notes, consent, first and last contact and language.
 */
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "contact-io.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

/* The latest opt-in or opt-out per purpose: {"marketing": {...}, ...}. */
static json_t *
rpc_contact_consent(struct rpc_ctx *ctx, int64_t cid)
{
	json_t	*hist, *out, *r;
	size_t	 i;

	out = json_object();
	hist = store_consent_history(&ctx->d->store, cid);
	/* oldest first: a later record of a purpose replaces an earlier */
	json_array_foreach(hist, i, r) {
		if (!json_is_string(json_object_get(r, "purpose")))
			continue;
		json_object_set_new(out, json_string_value(json_object_get(r,
		    "purpose")), json_pack("{sO sO sO}", "opt_in",
		    json_object_get(r, "opt_in"), "ts", json_object_get(r,
		    "ts"), "source", json_object_get(r, "source")));
	}
	json_decref(hist);
	return (out);
}

/*
 * A preview of another conversation is as personal as the conversation:
 * the read gate's rule (rpc_privacy_may_read) for each. What is the
 * caller's or unassigned is shown; someone else's only with a purpose
 * when purpose_required is set. The contact itself passed the gate.
 */
static void
rpc_contact_gate_previews(struct rpc_ctx *ctx, json_t *res,
    const char *purpose)
{
	json_t		*c;
	const char	*who;
	size_t		 i;

	if (purpose != NULL || !ctx->d->conf.purpose_required)
		return;
	json_array_foreach(json_object_get(res, "conversations"), i, c) {
		who = json_string_value(json_object_get(c, "assignee"));
		if (who == NULL || *who == '\0' || strcmp(who,
		    ctx->agent.name) == 0)
			continue;
		json_object_set_new(c, "preview", json_string(""));
		json_object_set_new(c, "preview_withheld", json_true());
	}
}

static json_t *
rpc_contact_read(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err,
    int reveal)
{
	const char	*action = reveal ? "contact.reveal" : "contact.view";
	const char	*purpose;
	int64_t		 cid, conv;
	json_t		*res;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "purpose", 0, &purpose, err) != 0)
		return (NULL);
	/* The panel of a conversation opened from a mention of the caller. */
	if (!reveal && conv != 0 && rpc_note_via_mention(ctx, params, action,
	    conv, cid, &purpose, err) != 0)
		return (NULL);
	if (rpc_privacy_may_read(ctx, action, cid, conv, purpose, err) != 0)
		return (NULL);
	if ((res = store_contact_detail(&ctx->d->store, cid, reveal)) == NULL)
		return (rpc_error(err, PE_NOT_FOUND, "no contact %lld",
		    (long long)cid));
	rpc_privacy_audit_read(ctx, action, cid, purpose);
	if (reveal)
		return (res);
	json_object_set_new(res, "marketing_consent", json_boolean(
	    store_consent_current(&ctx->d->store, cid, "marketing") == 1));
	if (store_contact_context(&ctx->d->store, cid, res) != 0) {
		json_decref(res);
		return (rpc_error(err, PE_INTERNAL, "database error"));
	}
	rpc_contact_gate_previews(ctx, res, purpose);
	json_object_set_new(res, "consent", rpc_contact_consent(ctx, cid));
	/*
	 * The contact's own attributes (customer number, plan, ...) come with
	 * the contacts issue; until then the key is there and empty.
	 */
	json_object_set_new(res, "attributes", json_object());
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
	/* Bulk personal data in and out: supervisors (contact-io.c). */
	{ PM_CONTACT_IMPORT,	RPC_SUPERVISOR,	RPC_WRITE,
	    contact_io_import },
	{ PM_CONTACT_EXPORT,	RPC_SUPERVISOR,	RPC_WRITE | RPC_READONLY,
	    contact_io_export },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
