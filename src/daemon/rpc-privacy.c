/*
 * Methods for personal data outside the conversation view: contact details
 * and revealing a number (purpose-bound, audited), consent, and the
 * data-subject requests an admin runs (export, erase, restrict, hold,
 * replay after restore, retention, access reports). Every request carries
 * a reason that goes into the audit record's purpose.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "daemon.h"
#include "privacy.h"
#include "retention.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

#define RPC_PRIVACY_PAGE	200
#define RPC_REASON_MAX		200

/* A reason or purpose: present, printable, not just blanks. */
static int
rpc_privacy_text(json_t *params, const char *key, int required,
    const char **out, struct rpc_err *err)
{
	const char	*p;
	int		 any = 0;

	if (rpc_param_str(params, key, required, out, RPC_REASON_MAX,
	    err) != 0)
		return (-1);
	if (*out == NULL)
		return (0);
	for (p = *out; *p != '\0'; p++) {
		if (iscntrl((unsigned char)*p)) {
			rpc_error(err, "invalid", "'%s' must be one line of "
			    "text", key);
			return (-1);
		}
		if (!isspace((unsigned char)*p))
			any = 1;
	}
	if (!any) {
		if (required) {
			rpc_error(err, "invalid", "'%s' must not be empty",
			    key);
			return (-1);
		}
		*out = NULL;
	}
	return (0);
}

/*
 * The contact a method is about: "conversation" (id) or "contact" (conv:N,
 * contact:N, a number or a BSUID). *conv is 0 when named by contact.
 */
static int
rpc_privacy_target(struct rpc_ctx *ctx, json_t *params, int64_t *cid,
    int64_t *conv, struct rpc_err *err)
{
	const char	*spec;
	char		*cause = NULL;
	int		 rc;

	*conv = 0;
	if (rpc_param_int(params, "conversation", 0, conv, 1, INT64_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "contact", 0, &spec, 128, err) != 0)
		return (-1);
	if (*conv != 0) {
		if (store_conv_contact(&ctx->d->store, *conv, cid) != 0) {
			rpc_error(err, "not_found", "no conversation %lld",
			    (long long)*conv);
			return (-1);
		}
		return (0);
	}
	if (spec == NULL) {
		rpc_error(err, "invalid", "give 'conversation' or 'contact'");
		return (-1);
	}
	if ((rc = privacy_contact(ctx->d, spec, cid, &cause)) != 0) {
		rpc_error(err, rc < 0 ? "invalid" : "not_found", "%s", cause);
		free(cause);
		return (-1);
	}
	if (strncmp(spec, "conv:", 5) == 0)
		*conv = strtoll(spec + 5, NULL, 10);
	return (0);
}

static int
rpc_privacy_audit(struct rpc_ctx *ctx, const char *action, int64_t cid,
    const char *purpose, const char *result, const char *detail)
{
	struct audit_rec	rec = { action, "contact", cid, cid, purpose,
				    result, detail };

	return (audit_append_commit(ctx->d, &ctx->who, &rec));
}

/*
 * Purpose binding: a conversation that is the caller's or unassigned may be
 * read without one; anything else needs a purpose when purpose_required is
 * set. Restricted contacts (Art. 18) are closed to the agent role. A
 * refusal is audited. Returns 0 to go on, -1 (err set) to stop.
 */
int
rpc_privacy_may_read(struct rpc_ctx *ctx, const char *action, int64_t cid,
    int64_t conv, const char *purpose, struct rpc_err *err)
{
	struct store_conv_info	ci;
	struct audit_rec	rec = { action, "contact", cid, cid, NULL,
				    "denied", NULL };
	int			restricted = 0, own;

	if (store_contact_flags(&ctx->d->store, cid, &restricted, NULL) < 0) {
		rpc_error(err, "internal", "database error");
		return (-1);
	}
	/* conversation.open refusals name the conversation, like its record */
	if (strcmp(action, "conversation.open") == 0) {
		rec.object_type = "conversation";
		rec.object_id = conv;
	}
	rec.purpose = purpose;
	if (restricted && strcmp(ctx->agent.role, "agent") == 0) {
		rec.detail = "restricted";
		rpc_audit_refusal(ctx, &rec);
		rpc_error(err, "restricted", "this contact's data is "
		    "restricted (GDPR Art. 18); a supervisor or admin can "
		    "open it with a purpose");
		return (-1);
	}
	if (conv != 0 && store_conv_info(&ctx->d->store, conv, &ci) == 0)
		own = ci.assignee_id == 0 || ci.assignee_id == ctx->agent.id;
	else
		own = store_contact_is_open_to(&ctx->d->store, cid,
		    ctx->agent.id);
	if (purpose == NULL && (restricted ||
	    (!own && ctx->d->conf.purpose_required))) {
		rec.detail = "purpose required";
		rpc_audit_refusal(ctx, &rec);
		rpc_error(err, "purpose_required", "%s; give a purpose for "
		    "looking (--purpose TEXT), it is logged", restricted ?
		    "this contact's data is restricted (GDPR Art. 18)" :
		    "this contact's conversations are assigned to someone "
		    "else");
		return (-1);
	}
	return (0);
}

/* The contact a read names, its purpose, and the gate above passed. */
static int
rpc_privacy_read_target(struct rpc_ctx *ctx, json_t *params,
    const char *action, int64_t *cid, const char **purpose,
    struct rpc_err *err)
{
	int64_t	conv;

	if (rpc_privacy_target(ctx, params, cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "purpose", 0, purpose, err) != 0)
		return (-1);
	return (rpc_privacy_may_read(ctx, action, *cid, conv, *purpose, err));
}

static json_t *
rpc_privacy_contact_read(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err, int reveal)
{
	const char	*action = reveal ? "contact.reveal" : "contact.view";
	const char	*purpose;
	int64_t		 cid;
	json_t		*res;

	if (rpc_privacy_read_target(ctx, params, action, &cid, &purpose,
	    err) != 0)
		return (NULL);
	if ((res = store_contact_detail(&ctx->d->store, cid, reveal)) == NULL)
		return (rpc_error(err, "not_found", "no contact %lld",
		    (long long)cid));
	if (rpc_privacy_audit(ctx, action, cid, purpose, "ok", NULL) != 0) {
		json_decref(res);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	if (!reveal)
		json_object_set_new(res, "marketing_consent", json_boolean(
		    store_consent_current(&ctx->d->store, cid,
		    "marketing") == 1));
	return (res);
}

static json_t *
rpc_privacy_contact_show(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	return (rpc_privacy_contact_read(ctx, params, err, 0));
}

static json_t *
rpc_privacy_contact_reveal(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	json_t	*full, *res;

	if ((full = rpc_privacy_contact_read(ctx, params, err, 1)) == NULL)
		return (NULL);
	/* Only what was asked for: the identifiers. */
	res = json_pack("{sO sO sO}", "contact_id", json_object_get(full,
	    "contact_id"), "phone", json_object_get(full, "phone"),
	    "user_id", json_object_get(full, "user_id"));
	json_decref(full);
	return (res);
}

/* --- consent --- */

static json_t *
rpc_privacy_consent_show(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
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
	if (rpc_privacy_audit(ctx, "consent.view", cid, purpose, "ok",
	    NULL) != 0) {
		json_decref(res);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	return (res);
}

static json_t *
rpc_privacy_consent_set(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	struct audit_rec	 rec = { "consent.set", "contact", 0, 0, NULL,
				    "ok", NULL };
	const char		*category, *reason;
	int64_t			 cid, conv, now = time(NULL);
	json_t			*on;
	char			 detail[64];

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_param_str(params, "category", 1, &category, 16, err) != 0 ||
	    rpc_privacy_text(params, "reason", 0, &reason, err) != 0)
		return (NULL);
	if (strcmp(category, "marketing") != 0 &&
	    strcmp(category, "service") != 0)
		return (rpc_error(err, "invalid", "consent is for marketing "
		    "or service, not '%s'", category));
	on = json_object_get(params, "on");
	if (!json_is_boolean(on))
		return (rpc_error(err, "invalid", "parameter 'on' must be "
		    "true or false"));
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	snprintf(detail, sizeof detail, "%s %s", category,
	    json_is_true(on) ? "opt-in" : "opt-out");
	rec.object_id = cid;
	rec.contact_id = cid;
	rec.purpose = reason;
	rec.detail = detail;
	if (store_consent_add(&ctx->d->store, cid, category, json_is_true(on),
	    "agent", 0, ctx->d->conf.consent_text_version, now) != 0 ||
	    audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot record consent"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	return (json_pack("{sI ss sb}", "contact_id", (json_int_t)cid,
	    "category", category, "opt_in", json_is_true(on)));
}

/* --- data-subject requests (admin) --- */

static json_t *
rpc_privacy_export(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*reason;
	int64_t		 cid, conv, after = 0, limit = RPC_PRIVACY_PAGE;
	json_t		*res;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "reason", 1, &reason, err) != 0 ||
	    rpc_param_int(params, "after", 0, &after, 0, INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_PRIVACY_PAGE,
	    err) != 0)
		return (NULL);
	if ((res = store_privacy_export(&ctx->d->store, cid, after,
	    limit)) == NULL)
		return (rpc_error(err, "not_found", "no contact %lld",
		    (long long)cid));
	if (rpc_privacy_audit(ctx, "privacy.export", cid, reason, "ok",
	    after == 0 ? "first page" : "next page") != 0) {
		json_decref(res);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	json_object_set_new(res, "contact_id", json_integer(cid));
	return (res);
}

static json_t *
rpc_privacy_erase(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*reason;
	int64_t		 cid, conv;
	json_t		*res;
	char		*cause = NULL;
	int		 rc;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "reason", 1, &reason, err) != 0)
		return (NULL);
	rc = privacy_erase(ctx->d, &ctx->who, cid, reason, &res, &cause);
	if (rc == 1) {
		rpc_privacy_audit(ctx, "privacy.erase", cid, reason, "denied",
		    "legal hold");
		rpc_error(err, "legal_hold", "%s", cause);
	} else if (rc != 0)
		rpc_error(err, "internal", "%s", cause);
	free(cause);
	return (rc == 0 ? res : NULL);
}

/* privacy.restrict and privacy.hold: one flag each, on or off. */
static json_t *
rpc_privacy_flag(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec = { NULL, "contact", 0, 0, NULL, "ok",
				    NULL };
	const char		*reason, *flag;
	int64_t			 cid, conv;
	json_t			*on;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "reason", 1, &reason, err) != 0)
		return (NULL);
	on = json_object_get(params, "on");
	if (!json_is_boolean(on))
		return (rpc_error(err, "invalid", "parameter 'on' must be "
		    "true or false"));
	flag = strcmp(ctx->method, "privacy.hold") == 0 ? "legal_hold" :
	    "restricted";
	rec.action = ctx->method;
	rec.object_id = cid;
	rec.contact_id = cid;
	rec.purpose = reason;
	rec.detail = json_is_true(on) ? "on" : "off";
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	if (store_contact_set_flag(&ctx->d->store, cid, flag,
	    json_is_true(on)) != 0 ||
	    audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot change contact"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	return (json_pack("{sI sb}", "contact_id", (json_int_t)cid,
	    strcmp(flag, "legal_hold") == 0 ? "legal_hold" : "restricted",
	    json_is_true(on)));
}

static json_t *
rpc_privacy_replay(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t	*res;
	char	*cause = NULL;

	(void)params;
	if (privacy_replay(ctx->d, &ctx->who, &res, &cause) != 0) {
		rpc_error(err, "internal", "%s", cause);
		free(cause);
		return (NULL);
	}
	return (res);
}

static json_t *
rpc_privacy_retention(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	int64_t	 now = time(NULL), as_of = 0;
	json_t	*res;
	char	*cause = NULL;

	/* A drill may look ahead ("as of next year"), never back. */
	if (rpc_param_int(params, "as_of", 0, &as_of, now, INT64_MAX / 1000,
	    err) != 0)
		return (NULL);
	res = retention_run(ctx->d, &ctx->who, "privacy.retention",
	    as_of != 0 ? as_of : now,
	    json_is_true(json_object_get(params, "dry_run")), &cause);
	if (res == NULL) {
		rpc_error(err, "internal", "%s", cause);
		free(cause);
	}
	return (res);
}

struct rpc_privacy_access {
	struct daemon	*d;
	json_t		*arr;
};

static int
rpc_privacy_access_row(const struct store_audit_row *r, void *arg)
{
	struct rpc_privacy_access	*c = arg;
	json_t	*o;
	char	*purpose;
	char	 t[32];
	time_t	 tt = (time_t)(r->ts_ms / 1000);
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_pack("{sI ss ss ss ss ss}", "seq", (json_int_t)r->seq,
	    "time", t, "agent", r->agent, "action", r->action, "result",
	    r->result, "object_type", r->object_type != NULL ?
	    r->object_type : "");
	purpose = audit_purpose(c->d, r);
	json_object_set_new(o, "purpose", purpose != NULL ?
	    json_string(purpose) : json_null());
	if (purpose != NULL)
		crypt_wipe_free(purpose, strlen(purpose));
	json_array_append_new(c->arr, o);
	return (0);
}

static json_t *
rpc_privacy_access_report(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	struct store_audit_filter	 f;
	struct rpc_privacy_access	 acc;
	int64_t				 cid, conv;
	json_t				*rows, *res;
	const char			*spec;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0) {
		/* An erased contact keeps its audit trail: contact:N. */
		spec = json_string_value(json_object_get(params, "contact"));
		if (err->code == NULL || strcmp(err->code, "not_found") != 0 ||
		    spec == NULL || strncmp(spec, "contact:", 8) != 0)
			return (NULL);
		cid = strtoll(spec + 8, NULL, 10);
		free(err->message);
		err->message = NULL;
		err->code = NULL;
	}
	memset(&f, 0, sizeof f);
	f.contact_id = cid;
	rows = json_array();
	acc.d = ctx->d;
	acc.arr = rows;
	if (store_audit_query(&ctx->d->store, &f, rpc_privacy_access_row,
	    &acc) != 0) {
		json_decref(rows);
		return (rpc_error(err, "internal", "database error"));
	}
	/* The report itself is an access, recorded after what it lists. */
	if (rpc_privacy_audit(ctx, "privacy.access_report", cid, NULL, "ok",
	    NULL) != 0) {
		json_decref(rows);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	res = json_object();
	json_object_set_new(res, "contact_id", json_integer(cid));
	json_object_set_new(res, "accesses", rows);
	return (res);
}

const struct rpc_method rpc_privacy_methods[] = {
	{ "contact.show",		RPC_AGENT,	RPC_READONLY,	rpc_privacy_contact_show },
	{ "contact.reveal",		RPC_AGENT,	RPC_READONLY,	rpc_privacy_contact_reveal },
	{ "consent.show",		RPC_AGENT,	RPC_READONLY,	rpc_privacy_consent_show },
	{ "consent.set",		RPC_AGENT,	0,	rpc_privacy_consent_set },
	{ "privacy.export",		RPC_ADMIN,	RPC_READONLY,	rpc_privacy_export },
	{ "privacy.erase",		RPC_ADMIN,	0,	rpc_privacy_erase },
	{ "privacy.restrict",		RPC_ADMIN,	0,	rpc_privacy_flag },
	{ "privacy.hold",		RPC_ADMIN,	0,	rpc_privacy_flag },
	{ "privacy.replay_erasures",	RPC_ADMIN,	0,	rpc_privacy_replay },
	{ "privacy.retention",		RPC_ADMIN,	0,	rpc_privacy_retention },
	{ "privacy.access_report",	RPC_ADMIN,	RPC_READONLY,	rpc_privacy_access_report },
	{ NULL,				RPC_ANYONE,	0,	NULL }
};
