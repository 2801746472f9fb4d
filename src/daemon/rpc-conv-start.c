/*
 * conv.start: an agent writes first (issue 15). The conv namespace's other
 * methods are in rpc-conv.c; this one is a room of its own because it is
 * a send as much as a conversation change (it finds or creates the
 * contact, opens the conversation and queues a template through
 * rpc-send.c's builder and checks), and rpc-conv.c is long enough.
 *
 * The order matters for the audit log: everything that can refuse without
 * a conversation (the number, the template, a restricted or erased
 * contact, marketing without consent) is checked before a contact or
 * conversation row is written, so a refusal never names a row the
 * roll-back took away.
 *
 * Which conversation: the contact's latest unless it is resolved (then a
 * new one, whatever [inbox] reopen_policy says: a resolved case stays
 * closed when the business writes about something new); a snoozed one is
 * woken. It is assigned to the caller if nobody holds it, or given to the
 * team named (then left for the team). One held by someone else is
 * refused as a reply there would be (assigned_other), unless force.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "assign.h"
#include "conf.h"
#include "daemon.h"
#include "phone.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

/* A refusal before anything was written: audited as conversation.start. */
static json_t *
rpc_conv_start_refuse(struct rpc_ctx *ctx, int64_t cid, struct rpc_err *err,
    const char *code, const char *msg)
{
	struct audit_rec	 rec = { .action = "conversation.start",
				    .object_type = "contact",
				    .object_id = cid, .contact_id = cid,
				    .detail = code, .result = "refused" };

	rpc_audit_refusal(ctx, &rec);
	return (rpc_error(err, code, "%s", msg));
}

/*
 * The contact params name: "number" (as typed, normalised with [contacts]
 * default_country) or "contact" (an id). *cid is 0 for a number nobody
 * has yet; wa gets the number's digits then. 0, or -1 with err set.
 */
static int
rpc_conv_start_who(struct rpc_ctx *ctx, json_t *params, int64_t *cid,
    char *wa, size_t walen, struct rpc_err *err)
{
	const char		*number, *why;
	char			 e164[PHONE_E164_MAX + 1];
	int64_t			 id = 0;
	enum store_found	 f;

	*cid = 0;
	*wa = '\0';
	if (rpc_param_str(params, "number", 0, &number, PHONE_TEXT_MAX,
	    err) != 0 || rpc_param_int(params, "contact", 0, &id, 1,
	    INT64_MAX, err) != 0)
		return (-1);
	if ((number != NULL) == (id != 0)) {
		rpc_error(err, PE_INVALID, "give the customer's number or a "
		    "contact id (one of them)");
		return (-1);
	}
	if (id != 0) {
		if (!store_contact_exists(&ctx->d->store, id)) {
			rpc_error(err, PE_NOT_FOUND, "no contact %lld",
			    (long long)id);
			return (-1);
		}
		*cid = id;
		return (0);
	}
	/* why never repeats the digits: it may go to the error as is. */
	if (phone_normalise(number, ctx->d->conf.default_country, e164,
	    sizeof e164, &why) != 0) {
		rpc_error(err, PE_INVALID, "not a phone number: %s (type it "
		    "with + and the country code, or as a national number of "
		    "the default country %s)", why,
		    ctx->d->conf.default_country);
		return (-1);
	}
	snprintf(wa, walen, "%s", e164 + 1);	/* wa_id: digits, no '+' */
	f = store_contact_find(&ctx->d->store, wa, &id);
	if (f == STORE_ERROR) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	if (f == STORE_FOUND)
		*cid = id;
	return (0);
}

/*
 * What outbox_held would refuse, for a contact before a conversation is
 * opened for it: restricted, erased, blocked, marketing without an
 * opt-in. 0, or
 * -1 (refusal audited, err set).
 */
static int
rpc_conv_start_may(struct rpc_ctx *ctx, int64_t cid, const char *category,
    struct rpc_err *err)
{
	struct store	*s = &ctx->d->store;
	json_t		*c;
	int		 restricted = 0, erased;

	if (store_contact_flags(s, cid, &restricted, NULL) != STORE_FOUND) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	if (restricted) {
		rpc_conv_start_refuse(ctx, cid, err, PE_RESTRICTED, "this "
		    "contact is restricted (processing restricted under GDPR "
		    "Art. 18); nothing was sent");
		return (-1);
	}
	c = store_contact_detail(s, cid, 0);
	erased = c == NULL || (!json_is_string(json_object_get(c,
	    "phone_masked")) && !json_is_true(json_object_get(c,
	    "has_bsuid")));
	json_decref(c);
	if (erased) {
		rpc_conv_start_refuse(ctx, cid, err, PE_NO_RECIPIENT, "this "
		    "contact has no phone number or WhatsApp user id "
		    "(erased?); nothing was sent");
		return (-1);
	}
	if (store_contact_blocked(s, cid)) {
		rpc_conv_start_refuse(ctx, cid, err, PE_DENIED, "this customer "
		    "is blocked on WhatsApp (contact block); unblock them "
		    "first; nothing was sent");
		return (-1);
	}
	if (strcasecmp(category, "MARKETING") == 0 &&
	    !store_consent_marketing(s, cid)) {
		rpc_conv_start_refuse(ctx, cid, err, PE_NO_CONSENT, "this is "
		    "a marketing template and the customer has no recorded "
		    "marketing opt-in (support-inbox consent set ... "
		    "marketing on); nothing was sent");
		return (-1);
	}
	return (0);
}

/*
 * The business number the conversation is started from: params "from" (a
 * number's label, issue 15's several numbers), else the first configured
 * one ([graph]'s). The conversation belongs to it: its templates (its
 * WABA's) and its token are the ones used. 0, or -1 with err set.
 */
static int
rpc_conv_start_from(struct rpc_ctx *ctx, json_t *params,
    const struct conf_number **num, const char **pnid, struct rpc_err *err)
{
	const char	*from;

	if (rpc_param_str(params, "from", 0, &from, CONF_LABEL_MAX, err) != 0)
		return (-1);
	*num = NULL;
	*pnid = ctx->d->conf.phone_number_id;
	if (from == NULL) {
		if (ctx->d->conf.nnumbers > 0) {
			*num = &ctx->d->conf.numbers[0];
			*pnid = (*num)->phone_number_id;
		}
		return (0);
	}
	if ((*num = conf_number_by_label(&ctx->d->conf, from)) == NULL) {
		rpc_error(err, PE_INVALID, "no business number is labelled "
		    "'%s' (status lists the numbers)", from);
		return (-1);
	}
	*pnid = (*num)->phone_number_id;
	return (0);
}

static json_t *
rpc_conv_start(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store		*s = &ctx->d->store;
	struct store_contact_in	 ci_in;
	struct store_conv_info	 ci;
	struct audit_rec	 rec;
	struct rpc_send		*sd = NULL;
	const struct conf_number *num;
	const char		*team, *what, *pnid;
	char			 wa[PHONE_E164_MAX + 1], detail[160];
	int64_t			 cid, conv, now = time(NULL);
	int			 created = 0, assigned = 0;
	json_t			*res = NULL;

	if (rpc_agent_team_param(params, &team, err) != 0 ||
	    rpc_conv_start_from(ctx, params, &num, &pnid, err) != 0 ||
	    rpc_conv_start_who(ctx, params, &cid, wa, sizeof wa, err) != 0)
		return (NULL);
	if ((sd = rpc_send_template_new(ctx, params, num, err)) == NULL)
		return (NULL);
	if (cid != 0) {
		if (rpc_conv_start_may(ctx, cid, rpc_send_category(sd),
		    err) != 0)
			goto out;
	} else if (strcasecmp(rpc_send_category(sd), "MARKETING") == 0) {
		/* Nobody has recorded consent for a number never seen. */
		rpc_conv_start_refuse(ctx, 0, err, PE_NO_CONSENT, "this is a "
		    "marketing template and this number has no recorded "
		    "marketing opt-in; start with a utility template or "
		    "record the opt-in first; nothing was sent");
		goto out;
	}

	/* Sealed like a contact a webhook brings, with its indexes. */
	if (cid == 0) {
		memset(&ci_in, 0, sizeof ci_in);
		ci_in.wa_id = wa;
		if (store_contact_upsert(s, &ci_in, now, &cid, &created) != 0) {
			rpc_error(err, PE_INTERNAL, "cannot store the contact");
			goto out;
		}
	}
	if (store_conv_for_inbound(s, cid, pnid, 1,
	    now, &conv, &what) != 0 ||
	    store_conv_info(s, conv, &ci) != STORE_FOUND) {
		rpc_error(err, PE_INTERNAL, "cannot open the conversation");
		goto out;
	}
	if (team != NULL && store_conv_set_team(s, conv, team) != 0) {
		rpc_error(err, PE_INTERNAL, "cannot set the team");
		goto out;
	}
	if (team == NULL && ci.assignee_id == 0) {
		if (store_conv_set_assignee(s, conv, ctx->agent.id) != 0) {
			rpc_error(err, PE_INTERNAL, "cannot assign it");
			goto out;
		}
		assigned = 1;
	}
	snprintf(detail, sizeof detail, "%s contact, %s conversation, "
	    "template %.64s%s%.64s", created ? "new" : "known",
	    strcmp(what, "created") == 0 ||
	    strcmp(what, "new-after-resolved") == 0 ? "new" : what,
	    json_string_value(json_object_get(params, "template")),
	    team != NULL ? ", team " : "", team != NULL ? team : "");
	rec = (struct audit_rec){ .action = "conversation.start",
	    .object_type = "conversation", .object_id = conv,
	    .contact_id = cid, .detail = detail, .result = "ok" };
	if (rpc_audit(ctx, &rec, err) != 0)
		goto out;
	/* reply's checks and queue: message.send is ctx->audit after it. */
	if ((res = rpc_send_template_queue(ctx, params, sd, conv,
	    err)) == NULL)
		goto out;
	json_object_set_new(res, "contact_id", json_integer(cid));
	json_object_set_new(res, "new_contact", json_boolean(created));
	json_object_set_new(res, "assignee", assigned ?
	    json_string(ctx->agent.name) : ci.assignee_id != 0 ?
	    json_string(ci.assignee) : json_null());
	json_object_set_new(res, "team", team != NULL ? json_string(team) :
	    ci.team[0] != '\0' ? json_string(ci.team) : json_null());
	if (assigned)
		rpc_event(ctx, PEV_ASSIGNMENT, json_pack("{sI ss ss}",
		    "conversation", (json_int_t)conv, "assignee",
		    ctx->agent.name, "by", ctx->agent.name));
	else if (team != NULL) {
		rpc_event(ctx, PEV_ASSIGNMENT, json_pack("{sI ss ss}",
		    "conversation", (json_int_t)conv, "team", team, "by",
		    ctx->agent.name));
		assign_kick(ctx->d);
	}
out:
	rpc_send_free(sd);
	return (res);
}

const struct rpc_method rpc_conv_start_methods[] = {
	{ PM_CONV_START,	RPC_AGENT,	RPC_WRITE,	rpc_conv_start },
	{ NULL,			RPC_ANYONE,	0,		NULL }
};
