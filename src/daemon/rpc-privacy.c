/*
 * privacy.*: the data-subject requests an admin runs (export, erase,
 * restrict, hold, replay after a restore, retention, access reports), each
 * with a reason that goes into the audit record's purpose; and the privacy
 * rule every read of a contact's data passes (contact.*, consent.*,
 * conversation.open, ...): naming the contact, the purpose, the read gate.
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
#include "proto-names.h"
#include "retention.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

#define RPC_PRIVACY_PAGE	200
#define RPC_REASON_MAX		200

/* A reason or purpose: present, printable, not just blanks. */
int
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
			rpc_error(err, PE_INVALID, "'%s' must be one line of "
			    "text", key);
			return (-1);
		}
		if (!isspace((unsigned char)*p))
			any = 1;
	}
	if (!any) {
		if (required) {
			rpc_error(err, PE_INVALID, "'%s' must not be empty",
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
int
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
		return (rpc_lookup(store_conv_contact(&ctx->d->store, *conv,
		    cid), err, "no conversation %lld", (long long)*conv));
	}
	if (spec == NULL) {
		rpc_error(err, PE_INVALID, "give 'conversation' or 'contact'");
		return (-1);
	}
	if ((rc = privacy_contact(ctx->d, spec, cid, &cause)) != 0) {
		rpc_error(err, rc < 0 ? PE_INVALID : PE_NOT_FOUND, "%s", cause);
		free(cause);
		return (-1);
	}
	if (strncmp(spec, "conv:", 5) == 0)
		*conv = strtoll(spec + 5, NULL, 10);
	return (0);
}

/* The record of a read: ctx->audit, appended by the dispatcher. */
void
rpc_privacy_audit_read(struct rpc_ctx *ctx, const char *action, int64_t cid,
    const char *purpose)
{
	ctx->audit = (struct audit_rec){ .action = action,
	    .object_type = "contact", .object_id = cid, .contact_id = cid,
	    .purpose = purpose, .result = "ok" };
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
	struct audit_rec	rec = { .action = action,
				    .object_type = "contact", .object_id = cid,
				    .contact_id = cid, .purpose = purpose,
				    .result = "denied" };
	int			restricted = 0, own;

	if (store_contact_flags(&ctx->d->store, cid, &restricted, NULL) < 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	/* conversation.open refusals name the conversation, like its record */
	if (strcmp(action, "conversation.open") == 0) {
		rec.object_type = "conversation";
		rec.object_id = conv;
	}
	if (restricted && strcmp(ctx->agent.role, "agent") == 0) {
		rec.detail = "restricted";
		rpc_audit_refusal(ctx, &rec);
		rpc_error(err, PE_RESTRICTED, "this contact's data is "
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
		rpc_error(err, PE_PURPOSE_REQUIRED, "%s; give a purpose for "
		    "looking (--purpose TEXT), it is logged", restricted ?
		    "this contact's data is restricted (GDPR Art. 18)" :
		    "this contact's conversations are assigned to someone "
		    "else");
		return (-1);
	}
	return (0);
}

/* The contact a read names, its purpose, and the gate above passed. */
int
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
		return (rpc_error(err, PE_NOT_FOUND, "no contact %lld",
		    (long long)cid));
	rpc_privacy_audit_read(ctx, "privacy.export", cid, reason);
	ctx->audit.detail = after == 0 ? "first page" : "next page";
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
		rpc_audit_refusal(ctx, &(struct audit_rec){
		    .action = "privacy.erase", .object_type = "contact",
		    .object_id = cid, .contact_id = cid, .purpose = reason,
		    .result = "denied", .detail = "legal hold" });
		rpc_error(err, PE_LEGAL_HOLD, "%s", cause);
	} else if (rc != 0)
		rpc_error(err, PE_INTERNAL, "%s", cause);
	free(cause);
	return (rc == 0 ? res : NULL);
}

/* privacy.restrict and privacy.hold: one flag each, on or off. */
static json_t *
rpc_privacy_flag(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*reason, *flag;
	int64_t		 cid, conv;
	json_t		*on;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "reason", 1, &reason, err) != 0)
		return (NULL);
	on = json_object_get(params, "on");
	if (!json_is_boolean(on))
		return (rpc_error(err, PE_INVALID, "parameter 'on' must be "
		    "true or false"));
	flag = strcmp(ctx->method, PM_PRIVACY_HOLD) == 0 ? "legal_hold" :
	    "restricted";
	if (store_contact_set_flag(&ctx->d->store, cid, flag,
	    json_is_true(on)) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot change contact"));
	ctx->audit = (struct audit_rec){ .action = ctx->method,
	    .object_type = "contact", .object_id = cid, .contact_id = cid,
	    .purpose = reason, .result = "ok",
	    .detail = json_is_true(on) ? "on" : "off" };
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
		rpc_error(err, PE_INTERNAL, "%s", cause);
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
		rpc_error(err, PE_INTERNAL, "%s", cause);
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
		return (rpc_error(err, PE_INTERNAL, "database error"));
	}
	/* The report itself is an access, recorded after what it lists. */
	rpc_privacy_audit_read(ctx, "privacy.access_report", cid, NULL);
	res = json_object();
	json_object_set_new(res, "contact_id", json_integer(cid));
	json_object_set_new(res, "accesses", rows);
	return (res);
}

/*
 * erase, replay_erasures and retention are not RPC_WRITE: after their
 * transaction commits they destroy keys and truncate the WALs, so their
 * workers (privacy.c, retention.c) run the transaction through rpc_act.
 */
const struct rpc_method rpc_privacy_methods[] = {
	{ PM_PRIVACY_EXPORT,		RPC_ADMIN,
	    RPC_WRITE | RPC_READONLY,	rpc_privacy_export },
	{ PM_PRIVACY_ERASE,		RPC_ADMIN,	0,
	    rpc_privacy_erase },
	{ PM_PRIVACY_RESTRICT,		RPC_ADMIN,	RPC_WRITE,
	    rpc_privacy_flag },
	{ PM_PRIVACY_HOLD,		RPC_ADMIN,	RPC_WRITE,
	    rpc_privacy_flag },
	{ PM_PRIVACY_REPLAY_ERASURES,	RPC_ADMIN,	0,
	    rpc_privacy_replay },
	{ PM_PRIVACY_RETENTION,		RPC_ADMIN,	0,
	    rpc_privacy_retention },
	{ PM_PRIVACY_ACCESS_REPORT,	RPC_ADMIN,
	    RPC_WRITE | RPC_READONLY,	rpc_privacy_access_report },
	{ NULL,				RPC_ANYONE,	0,	NULL }
};
