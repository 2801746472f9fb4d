/*
 * conv.*: the conversation list and its counts, opening a conversation (an
 * audited read), read markers, the collision guard, and the changes to a
 * conversation: assignment, team, state, priority and labels. Changes run
 * in the dispatcher's write path; a bulk change ("ids") is all or nothing.
 * Teams share one daemon and one thread, so a claim is one conditional
 * UPDATE: two claims can never both win. conv.typing is a send
 * (rpc-send.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assign.h"
#include "audit.h"
#include "daemon.h"
#include "outbox.h"
#include "proto-names.h"
#include "rpc.h"
#include "names.h"
#include "store.h"
#include "xmalloc.h"

#define RPC_PAGE_MAX	500
#define RPC_BULK_MAX	500	/* conversations per bulk call */

int
rpc_conv_get(struct rpc_ctx *ctx, json_t *params, struct store_conv_info *ci,
    struct rpc_err *err)
{
	int64_t	id;

	if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0)
		return (-1);
	return (rpc_lookup(store_conv_info(&ctx->d->store, id, ci), err,
	    "no conversation %lld", (long long)id));
}

static int
rpc_conv_is_supervisor(struct rpc_ctx *ctx)
{
	enum agent_role	role;

	return (names_role_from(ctx->agent.role, &role) == 0 &&
	    role >= ROLE_SUPERVISOR);
}

/* A refused change: its record stands although the request fails. */
static void
rpc_conv_refuse(struct rpc_ctx *ctx, const struct store_conv_info *ci,
    const char *action, const char *result, const char *detail)
{
	struct audit_rec	rec = { .action = action,
				    .object_type = "conversation",
				    .object_id = ci->id,
				    .contact_id = ci->contact_id,
				    .detail = detail, .result = result };

	rpc_audit_refusal(ctx, &rec);	/* copied */
}

/* "ids": [N, ...] or "id": N, as an array the caller frees. */
static int64_t *
rpc_conv_ids(json_t *params, size_t *n, struct rpc_err *err)
{
	json_t	*ids, *v;
	int64_t	*out, id;
	size_t	 i;

	ids = json_object_get(params, "ids");
	if (ids == NULL) {
		if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0)
			return (NULL);
		out = xmalloc(sizeof *out);
		out[0] = id;
		*n = 1;
		return (out);
	}
	if (!json_is_array(ids) || json_array_size(ids) == 0 ||
	    json_array_size(ids) > RPC_BULK_MAX) {
		rpc_error(err, PE_INVALID, "'ids' must be a list of 1 to %d "
		    "conversation ids", RPC_BULK_MAX);
		return (NULL);
	}
	out = xcalloc(json_array_size(ids), sizeof *out);
	json_array_foreach(ids, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			free(out);
			rpc_error(err, PE_INVALID,
			    "'ids' must hold conversation "
			    "ids");
			return (NULL);
		}
		out[i] = json_integer_value(v);
	}
	*n = json_array_size(ids);
	return (out);
}

typedef int (*rpc_conv_one_fn)(struct rpc_ctx *,
    const struct store_conv_info *, void *, struct rpc_err *);

/*
 * A bulk change ("ids", or "id"): once every conversation is one the caller
 * may change (rpc_may_act), fn changes each in turn, given it as it is
 * then (an id given twice sees its first change). All or nothing, in the
 * write path's transaction: 0, or -1 with err set.
 */
static int
rpc_conv_bulk(struct rpc_ctx *ctx, json_t *params, rpc_conv_one_fn fn,
    void *arg, size_t *n, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	int64_t			*ids;
	size_t			 i;
	int			 pass, rc = 0;

	if ((ids = rpc_conv_ids(params, n, err)) == NULL)
		return (-1);
	/* Pass 0 checks them all before pass 1 changes any. */
	for (pass = 0; pass < 2 && rc == 0; pass++) {
		for (i = 0; i < *n && rc == 0; i++) {
			if (rpc_lookup(store_conv_info(&ctx->d->store, ids[i],
			    &ci), err, "no conversation %lld",
			    (long long)ids[i]) != 0)
				rc = -1;
			else if (pass == 0)
				rc = rpc_may_act(ctx, &ci, params, err);
			else
				rc = fn(ctx, &ci, arg, err);
		}
	}
	free(ids);
	return (rc);
}

/* --- views --- */

static json_t *
rpc_conv_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*view;
	int64_t		 offset = 0, limit = 50;
	json_t		*rows, *res;
	int64_t		 hours = ctx->d->conf.window_closing_hours;

	if (rpc_param_str(params, "view", 0, &view, 100, err) != 0 ||
	    rpc_param_int(params, "hours", 0, &hours, 1, 168, err) != 0 ||
	    rpc_param_int(params, "offset", 0, &offset, 0, INT32_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_PAGE_MAX,
	    err) != 0)
		return (NULL);
	if (view == NULL)
		view = "all";
	/* store-inbox.c: the views with per-agent unread and labels */
	rows = store_inbox_list(&ctx->d->store, view, ctx->agent.id, offset,
	    limit, (int64_t)time(NULL), (int)ctx->d->conf.window_hours,
	    (int)hours);
	if (rows == NULL)
		return (rpc_error(err, PE_INVALID, "unknown view '%s'; views "
		    "are all, mine, unassigned, open, pending, snoozed, "
		    "resolved, label:NAME, team:NAME, window[:HOURS], failed",
		    view));
	/* The asking agent's own draft marker (store-draft.c). */
	store_draft_mark(&ctx->d->store, ctx->agent.id, rows);
	res = json_object();
	json_object_set_new(res, "view", json_string(view));
	json_object_set_new(res, "offset", json_integer(offset));
	json_object_set_new(res, "rows", rows);
	return (res);
}

static json_t *
rpc_conv_counts(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t	hours = ctx->d->conf.window_closing_hours;

	if (rpc_param_int(params, "hours", 0, &hours, 1, 168, err) != 0)
		return (NULL);
	return (store_inbox_counts(&ctx->d->store, ctx->agent.id,
	    (int64_t)time(NULL), (int)ctx->d->conf.window_hours, (int)hours));
}

static json_t *
rpc_conv_show(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t		 id, before = 0, limit = 100, contact_id;
	const char	*purpose;
	json_t		*res;

	if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "before", 0, &before, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_PAGE_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "purpose", 0, &purpose, 200, err) != 0)
		return (NULL);
	if (rpc_lookup(store_conv_contact(&ctx->d->store, id, &contact_id),
	    err, "no conversation %lld", (long long)id) != 0)
		return (NULL);
	if (purpose != NULL && purpose[strspn(purpose, " \t")] == '\0')
		purpose = NULL;
	/* Someone else's conversation: a purpose, logged (rpc-privacy.c). */
	if (rpc_privacy_may_read(ctx, "conversation.open", contact_id, id,
	    purpose, err) != 0)
		return (NULL);
	/*
	 * Blue ticks for what the agent now sees (before unread resets): this
	 * only queues a request to the Cloud API, sent from the event loop.
	 */
	if (before == 0 && ctx->d->conf.mark_read)
		outbox_mark_read(ctx->d->outbox, id, 0);
	/* The read, its marker and its audit record commit together. */
	res = store_conv_show(&ctx->d->store, id, before, limit,
	    (int64_t)time(NULL), (int)ctx->d->conf.window_hours);
	if (res == NULL || (before == 0 && store_conv_mark_read(
	    &ctx->d->store, id, ctx->agent.id) != 0)) {
		json_decref(res);
		return (rpc_error(err, PE_INTERNAL,
		    "cannot open conversation"));
	}
	ctx->audit = (struct audit_rec){ .action = "conversation.open",
	    .object_type = "conversation", .object_id = id,
	    .contact_id = contact_id, .purpose = purpose, .result = "ok" };
	return (res);
}

static json_t *
rpc_conv_read(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	ci;

	if (rpc_conv_get(ctx, params, &ci, err) != 0)
		return (NULL);
	if (store_conv_mark_read(&ctx->d->store, ci.id, ctx->agent.id) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot mark read"));
	return (json_pack("{sI sI}", "id", (json_int_t)ci.id, "read_to",
	    (json_int_t)ci.last_msg_id));
}

/* Collision guard, for clients: has a customer written since `after`? */
static json_t *
rpc_conv_newer(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	ci;
	int64_t			after;
	int			r;

	if (rpc_conv_get(ctx, params, &ci, err) != 0 ||
	    rpc_param_int(params, "after", 1, &after, 0, INT64_MAX, err) != 0)
		return (NULL);
	if ((r = store_conv_newer_inbound(&ctx->d->store, ci.id, after)) < 0)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	return (json_pack("{sb sI}", "newer", r, "last_msg_id",
	    (json_int_t)ci.last_msg_id));
}

/* --- assignment --- */

/*
 * assign_kick (after a change that frees capacity or moves a conversation
 * between teams) only arms a zero-delay timer: the auto-assignment pass
 * runs from the event loop after this request is answered, so after the
 * commit; after a roll-back it finds nothing new.
 */
static json_t *
rpc_conv_assign(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct store_agent	 to;
	const char		*who, *action;
	json_t			*force = json_object_get(params, "force");
	char			 detail[160];
	int			 r, claim;

	if (rpc_conv_get(ctx, params, &ci, err) != 0 ||
	    rpc_param_str(params, "to", 0, &who, 64, err) != 0)
		return (NULL);
	if (strcmp(ctx->method, PM_CONV_UNASSIGN) == 0)
		who = NULL;
	else if (who == NULL)
		return (rpc_error(err, PE_INVALID, "missing parameter 'to' "
		    "(me, an agent name, or none)"));
	if (who != NULL && strcmp(who, "none") == 0)
		who = NULL;

	if (who == NULL) {
		/* Unassign: your own, or anyone's as a supervisor. */
		action = "conversation.unassign";
		if (ci.assignee_id != ctx->agent.id &&
		    !rpc_conv_is_supervisor(ctx)) {
			snprintf(detail, sizeof detail, "held by '%s'",
			    ci.assignee);
			rpc_conv_refuse(ctx, &ci, action, "denied", detail);
			if (ci.assignee_id == 0)
				return (rpc_error(err, PE_INVALID,
				    "conversation "
				    "%lld is not assigned", (long long)ci.id));
			return (rpc_error(err, PE_DENIED,
			    "conversation %lld is "
			    "assigned to '%s'; only they or a supervisor can "
			    "release it", (long long)ci.id, ci.assignee));
		}
		memset(&to, 0, sizeof to);
		claim = 0;
	} else {
		if (strcmp(who, "me") == 0)
			to = ctx->agent;
		else if (rpc_lookup(store_agent_by_name(&ctx->d->store, who,
		    &to), err, "no active agent '%s'", who) != 0)
			return (NULL);
		else if (!to.active)
			return (rpc_error(err, PE_NOT_FOUND, "no active agent "
			    "'%s'", who));
		/* Taking it for yourself is a claim; anything else needs a
		 * supervisor. A supervisor's "force" takes it from anyone. */
		claim = to.id == ctx->agent.id && !(json_is_true(force) &&
		    rpc_conv_is_supervisor(ctx));
		action = claim ? "conversation.claim" : "conversation.assign";
		if (!claim && !rpc_conv_is_supervisor(ctx)) {
			snprintf(detail, sizeof detail, "to '%s'", to.name);
			rpc_conv_refuse(ctx, &ci, action, "denied", detail);
			return (rpc_error(err, PE_DENIED,
			    "agents can only claim "
			    "conversations for themselves; assigning to '%s' "
			    "needs a supervisor", to.name));
		}
	}
	if (claim) {
		r = store_conv_claim(&ctx->d->store, ci.id, to.id);
		if (r == 1) {
			/* Nothing changed; ci, read in this transaction, still
			 * says who holds it. */
			if (ci.assignee_id == ctx->agent.id)
				return (json_pack("{sI ss sb}", "id",
				    (json_int_t)ci.id, "assignee",
				    ctx->agent.name, "already", 1));
			snprintf(detail, sizeof detail, "held by '%s'",
			    ci.assignee);
			rpc_conv_refuse(ctx, &ci, action, "conflict", detail);
			return (rpc_error(err, PE_CONFLICT, "conversation %lld "
			    "is already assigned to '%s'", (long long)ci.id,
			    ci.assignee));
		}
	} else
		r = store_conv_set_assignee(&ctx->d->store, ci.id, to.id);
	if (r != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot assign"));
	ctx->audit = (struct audit_rec){ .action = action,
	    .object_type = "conversation", .object_id = ci.id,
	    .contact_id = ci.contact_id, .detail = "released",
	    .result = "ok" };
	if (to.id != 0)
		rpc_audit_detail(ctx, "to '%s'", to.name);
	rpc_event(ctx, PEV_ASSIGNMENT, json_pack("{sI so ss}", "conversation",
	    (json_int_t)ci.id, "assignee", to.id != 0 ? json_string(to.name) :
	    json_null(), "by", ctx->agent.name));
	if (to.id == 0 || ci.assignee_id != 0)
		assign_kick(ctx->d);	/* capacity freed somewhere */
	return (json_pack("{sI so sb}", "id", (json_int_t)ci.id, "assignee",
	    to.id != 0 ? json_string(to.name) : json_null(), "already", 0));
}

static json_t *
rpc_conv_team(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	const char		*team;

	if (rpc_conv_get(ctx, params, &ci, err) != 0 ||
	    rpc_agent_team_param(params, &team, err) != 0)
		return (NULL);
	if (store_conv_set_team(&ctx->d->store, ci.id, team) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot set team"));
	ctx->audit = (struct audit_rec){ .action = "conversation.team",
	    .object_type = "conversation", .object_id = ci.id,
	    .contact_id = ci.contact_id, .detail = team != NULL ? team : "none",
	    .result = "ok" };
	rpc_event(ctx, PEV_ASSIGNMENT, json_pack("{sI so ss}", "conversation",
	    (json_int_t)ci.id, "team", team != NULL ? json_string(team) :
	    json_null(), "by", ctx->agent.name));
	assign_kick(ctx->d);
	return (json_pack("{sI so}", "id", (json_int_t)ci.id, "team",
	    team != NULL ? json_string(team) : json_null()));
}

/* --- states and priority --- */

struct rpc_conv_state {
	const char	*state;
	enum conv_state	 to;
	int64_t		 until, now;
	const char	*detail;	/* of each record */
	json_t		*done;		/* the ids changed */
};

static int
rpc_conv_state_one(struct rpc_ctx *ctx, const struct store_conv_info *ci,
    void *arg, struct rpc_err *err)
{
	struct rpc_conv_state	*cs = arg;
	struct audit_rec	 rec;
	const char		*action;
	json_t			*ev;

	enum conv_state		 was;

	if (cs->to == CONV_OPEN && names_state_from(ci->state, &was) == 0 &&
	    was == CONV_RESOLVED)
		action = "conversation.reopen";
	else if (cs->to == CONV_RESOLVED)
		action = "conversation.resolve";
	else if (cs->to == CONV_SNOOZED)
		action = "conversation.snooze";
	else
		action = "conversation.state";
	if (store_conv_set_state(&ctx->d->store, ci->id, cs->state, cs->until,
	    cs->now) != 0) {
		rpc_error(err, PE_INTERNAL, "cannot change state");
		return (-1);
	}
	/* Appended now, so detail may be the caller's buffer. */
	rec = (struct audit_rec){ .action = action,
	    .object_type = "conversation", .object_id = ci->id,
	    .contact_id = ci->contact_id, .detail = cs->detail,
	    .result = "ok" };
	if (rpc_audit(ctx, &rec, err) != 0)
		return (-1);
	json_array_append_new(cs->done, json_integer(ci->id));
	ev = json_pack("{sI ss ss}", "conversation", (json_int_t)ci->id,
	    "state", cs->state, "was", ci->state);
	if (cs->until != 0 && cs->to == CONV_SNOOZED)
		json_object_set_new(ev, "until", json_integer(cs->until));
	json_object_set_new(ev, "by", json_string(ctx->agent.name));
	rpc_event(ctx, PEV_STATE, ev);
	return (0);
}

/* Bulk: every conversation gets its own audit record and event. */
static json_t *
rpc_conv_state(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct rpc_conv_state	 cs;
	int64_t			 secs = 0;
	size_t			 n;
	char			 detail[64];

	memset(&cs, 0, sizeof cs);
	cs.now = (int64_t)time(NULL);
	if (rpc_param_str(params, "state", 1, &cs.state, 16, err) != 0 ||
	    rpc_param_int(params, "until", 0, &cs.until, 1, INT64_MAX / 2,
	    err) != 0 ||
	    rpc_param_int(params, "for", 0, &secs, 1, 366 * 86400,
	    err) != 0)
		return (NULL);
	if (names_state_from(cs.state, &cs.to) != 0)
		return (rpc_error(err, PE_INVALID, "state must be one of "
		    NAMES_LIST(NAMES_STATES, ", ") ", not '%s'", cs.state));
	/* The records' detail: the state, or when a snooze ends. */
	cs.detail = cs.state;
	if (cs.to == CONV_SNOOZED) {
		if (secs != 0)
			cs.until = cs.now + secs;
		if (cs.until <= cs.now)
			return (rpc_error(err, PE_INVALID, "snoozing needs a "
			    "time in the future ('until' or 'for')"));
		snprintf(detail, sizeof detail, "until %lld",
		    (long long)cs.until);
		cs.detail = detail;
	}
	/* An agent taking back a resolve (the client's undo window). */
	if (json_is_true(json_object_get(params, "undo"))) {
		snprintf(detail, sizeof detail, "undo: back to %s", cs.state);
		cs.detail = detail;
	}
	cs.done = json_array();
	if (rpc_conv_bulk(ctx, params, rpc_conv_state_one, &cs, &n,
	    err) != 0) {
		json_decref(cs.done);
		return (NULL);
	}
	assign_kick(ctx->d);
	return (json_pack("{so ss}", "ids", cs.done, "state", cs.state));
}

static json_t *
rpc_conv_priority(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	const char		*p;
	enum conv_priority	 i;

	if (rpc_conv_get(ctx, params, &ci, err) != 0 ||
	    rpc_param_str(params, "priority", 1, &p, 16, err) != 0 ||
	    rpc_may_act(ctx, &ci, params, err) != 0)
		return (NULL);
	if (names_priority_from(p, &i) != 0)
		return (rpc_error(err, PE_INVALID, "priority must be one of "
		    NAMES_LIST(NAMES_PRIORITIES, ", ") ", not '%s'", p));
	if (store_conv_set_priority(&ctx->d->store, ci.id, (int)i) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot set priority"));
	ctx->audit = (struct audit_rec){ .action = "conversation.priority",
	    .object_type = "conversation", .object_id = ci.id,
	    .contact_id = ci.contact_id, .detail = names_priority(i),
	    .result = "ok" };
	rpc_event(ctx, PEV_STATE, json_pack("{sI ss ss}", "conversation",
	    (json_int_t)ci.id, "priority", names_priority(i), "by",
	    ctx->agent.name));
	return (json_pack("{sI ss}", "id", (json_int_t)ci.id, "priority",
	    names_priority(i)));
}

/* --- labels (label.* in rpc-label.c defines them) --- */

struct rpc_conv_label {
	const char	*name;
	int64_t		 id;
	int		 add;
	json_t		*changed;	/* the ids that had it / lacked it */
};

static int
rpc_conv_label_one(struct rpc_ctx *ctx, const struct store_conv_info *ci,
    void *arg, struct rpc_err *err)
{
	struct rpc_conv_label	*cl = arg;
	struct audit_rec	 rec;
	int			 r;

	if ((r = store_conv_label(&ctx->d->store, ci->id, cl->id,
	    cl->add)) < 0) {
		rpc_error(err, PE_INTERNAL, "cannot change labels");
		return (-1);
	}
	rec = (struct audit_rec){ .action = cl->add ? "conversation.label" :
	    "conversation.unlabel", .object_type = "conversation",
	    .object_id = ci->id, .contact_id = ci->contact_id,
	    .detail = cl->name, .result = "ok" };
	if (rpc_audit(ctx, &rec, err) != 0)
		return (-1);
	if (r == 1) {
		json_array_append_new(cl->changed, json_integer(ci->id));
		rpc_event(ctx, PEV_LABEL, json_pack("{sI ss ss ss}",
		    "conversation", (json_int_t)ci->id, "op", cl->add ? "add" :
		    "remove", "name", cl->name, "by", ctx->agent.name));
	}
	return (0);
}

/* Bulk: every conversation gets its own audit record (and event if it
 * changed). */
static json_t *
rpc_conv_label(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct rpc_conv_label	cl;
	size_t			n;

	memset(&cl, 0, sizeof cl);
	cl.add = strcmp(ctx->method, PM_CONV_LABEL) == 0;
	if (rpc_param_str(params, "label", 1, &cl.name, 64, err) != 0)
		return (NULL);
	if (rpc_lookup(store_label_id(&ctx->d->store, cl.name, &cl.id), err,
	    "no label '%s'; create it first (label create)", cl.name) != 0)
		return (NULL);
	cl.changed = json_array();
	if (rpc_conv_bulk(ctx, params, rpc_conv_label_one, &cl, &n,
	    err) != 0) {
		json_decref(cl.changed);
		return (NULL);
	}
	return (json_pack("{ss so sI}", "label", cl.name, "changed",
	    cl.changed, "requested", (json_int_t)n));
}

/* The typing indicator (and read mark) to the customer, if configured. */
static json_t *
rpc_conv_typing(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t	id, contact;

	if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0)
		return (NULL);
	if (rpc_lookup(store_conv_contact(&ctx->d->store, id, &contact), err,
	    "no conversation %lld", (long long)id) != 0)
		return (NULL);
	if (!ctx->d->conf.typing_indicator)
		return (json_pack("{sb}", "sent", 0));
	outbox_mark_read(ctx->d->outbox, id, 1);
	return (json_pack("{sb}", "sent", 1));
}

const struct rpc_method rpc_conv_methods[] = {
	{ PM_CONV_LIST,		RPC_AGENT,	RPC_READONLY,	rpc_conv_list },
	{ PM_CONV_COUNTS,	RPC_AGENT,	RPC_READONLY,
	    rpc_conv_counts },
	{ PM_CONV_SHOW,		RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_conv_show },
	{ PM_CONV_READ,		RPC_AGENT,	RPC_WRITE,	rpc_conv_read },
	{ PM_CONV_NEWER,	RPC_AGENT,	RPC_READONLY,
	    rpc_conv_newer },
	{ PM_CONV_ASSIGN,	RPC_AGENT,	RPC_WRITE,
	    rpc_conv_assign },
	{ PM_CONV_UNASSIGN,	RPC_AGENT,	RPC_WRITE,
	    rpc_conv_assign },
	{ PM_CONV_TEAM,		RPC_SUPERVISOR,	RPC_WRITE,	rpc_conv_team },
	{ PM_CONV_STATE,	RPC_AGENT,	RPC_WRITE,
	    rpc_conv_state },
	{ PM_CONV_PRIORITY,	RPC_AGENT,	RPC_WRITE,
	    rpc_conv_priority },
	{ PM_CONV_LABEL,	RPC_AGENT,	RPC_WRITE,
	    rpc_conv_label },
	{ PM_CONV_UNLABEL,	RPC_AGENT,	RPC_WRITE,
	    rpc_conv_label },
	/* Writes nothing, audits nothing: off the write path. */
	{ PM_CONV_TYPING,	RPC_AGENT,	0,	rpc_conv_typing },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
