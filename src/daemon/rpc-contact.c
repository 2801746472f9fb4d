/*
 * contact.*: a contact's details and revealing its number. Each read
 * passes the read gate (rpc_privacy_may_read, rpc-privacy.c) and is
 * audited with its purpose. contact.show also gives the customer's
 * context for the contact panel: their other conversations, labels,
 * notes, consent, first and last contact and language.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "block.h"
#include "crypt.h"
#include "daemon.h"
#include "privacy.h"
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

/* params[key] as a contact (privacy_contact's forms); 0, or -1 err set. */
static int
rpc_contact_ref(struct rpc_ctx *ctx, json_t *params, const char *key,
    int64_t *cid, struct rpc_err *err)
{
	const char	*spec;
	char		*cause = NULL;
	int		 rc;

	if (rpc_param_str(params, key, 1, &spec, 128, err) != 0)
		return (-1);
	if ((rc = privacy_contact(ctx->d, spec, cid, &cause)) != 0) {
		rpc_error(err, rc < 0 ? PE_INVALID : PE_NOT_FOUND, "%s: %s",
		    key, cause);
		free(cause);
		return (-1);
	}
	return (0);
}

/*
 * contact.merge: "from" is folded into "into" (store_contact_merge).
 * A supervisor's act: a wrong merge shows one customer's conversations
 * under another's name and cannot be taken apart again. One record, on
 * the kept contact, naming the other by its internal id only.
 */
static json_t *
rpc_contact_merge(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec;
	int64_t			 into, from;
	const char		*why;
	int			 rc;

	if (rpc_contact_ref(ctx, params, "into", &into, err) != 0 ||
	    rpc_contact_ref(ctx, params, "from", &from, err) != 0)
		return (NULL);
	rc = store_contact_merge(&ctx->d->store, into, from, ctx->who.agent_id,
	    (int64_t)time(NULL), &why);
	if (rc < 0)
		return (rpc_error(err, PE_INTERNAL, "database error; nothing "
		    "was merged"));
	if (rc > 0) {
		rec = (struct audit_rec){ .action = "contact.merge",
		    .object_type = "contact", .object_id = into,
		    .contact_id = into, .result = "refused", .detail = why };
		rpc_audit_refusal(ctx, &rec);
		return (rpc_error(err, into == from ? PE_INVALID : PE_CONFLICT,
		    "%s; nothing was merged", why));
	}
	ctx->audit = (struct audit_rec){ .action = "contact.merge",
	    .object_type = "contact", .object_id = into, .contact_id = into,
	    .result = "ok" };
	rpc_audit_detail(ctx, "contact %lld merged into %lld",
	    (long long)from, (long long)into);
	rpc_event(ctx, PEV_CONTACT_MERGED, json_pack("{sI sI}", "into",
	    (json_int_t)into, "from", (json_int_t)from));
	return (json_pack("{sI sI sI}", "contact_id", (json_int_t)into,
	    "merged", (json_int_t)from, "conversations",
	    (json_int_t)store_contact_conv_count(&ctx->d->store, into)));
}

/*
 * contact.block, contact.unblock: the request goes to the Cloud API now
 * (block.c); its outcome is stored, audited and announced when Meta
 * answers. WhatsApp blocks by number: a BSUID-only contact cannot be.
 */
static json_t *
rpc_contact_blocking(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err, int on)
{
	struct audit_rec	 rec;
	const char		*action = on ? "contact.block" : "contact.unblock";
	const char		*reason;
	int64_t			 cid, conv;
	char			*wa, *cause = NULL;
	int			 rc;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "reason", 0, &reason, err) != 0)
		return (NULL);
	rec = (struct audit_rec){ .action = action, .object_type = "contact",
	    .object_id = cid, .contact_id = cid, .result = "refused" };
	if ((wa = store_contact_wa_id(&ctx->d->store, cid)) == NULL) {
		rec.detail = "no phone number";
		rpc_audit_refusal(ctx, &rec);
		return (rpc_error(err, PE_NO_RECIPIENT, "contact %lld has no "
		    "phone number (a username-only customer): WhatsApp blocks "
		    "by number", (long long)cid));
	}
	rc = block_start(ctx->d, &ctx->who, cid, on, wa, &cause);
	crypt_wipe_free(wa, strlen(wa));
	if (rc != 0) {
		rec.detail = "not sent";
		rpc_audit_refusal(ctx, &rec);
		rpc_error(err, PE_NOT_READY, "cannot %s: %s", on ? "block" :
		    "unblock", cause);
		free(cause);
		return (NULL);
	}
	/* The request; the outcome is a record of its own (block.c). */
	ctx->audit = (struct audit_rec){ .action = action,
	    .object_type = "contact", .object_id = cid, .contact_id = cid,
	    .result = "requested", .detail = reason };
	return (json_pack("{sI sb sb}", "contact_id", (json_int_t)cid,
	    "blocked", store_contact_blocked(&ctx->d->store, cid), "pending",
	    1));
}

static json_t *
rpc_contact_block(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_contact_blocking(ctx, params, err, 1));
}

static json_t *
rpc_contact_unblock(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_contact_blocking(ctx, params, err, 0));
}

/* Audited reads: RPC_WRITE for the record, RPC_READONLY for the rest. */
const struct rpc_method rpc_contact_methods[] = {
	{ PM_CONTACT_SHOW,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_contact_show },
	{ PM_CONTACT_REVEAL,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_contact_reveal },
	{ PM_CONTACT_MERGE,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_contact_merge },
	{ PM_CONTACT_BLOCK,	RPC_AGENT,	RPC_WRITE,
	    rpc_contact_block },
	{ PM_CONTACT_UNBLOCK,	RPC_AGENT,	RPC_WRITE,
	    rpc_contact_unblock },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
