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
#include "clock.h"
#include "conf-sla.h"
#include "audit.h"
#include "crypt.h"
#include "daemon.h"
#include "log.h"
#include "outbox.h"
#include "proto-names.h"
#include "rpc.h"
#include "rules.h"
#include "sla.h"
#include "names.h"
#include "numbers.h"
#include "store.h"
#include "survey.h"
#include "window.h"
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

/*
 * Rows name their business number by its label (issue 15): "number" is
 * the label, or null for a number no longer configured.
 */
static void
rpc_conv_number_rows(struct rpc_ctx *ctx, json_t *rows)
{
	numbers_label_rows(ctx->d, rows);
}

/* The "number" parameter: a label, as its phone number id (*id). */
static int
rpc_conv_number_param(struct rpc_ctx *ctx, json_t *params, const char **label,
    const char **id, struct rpc_err *err)
{
	const struct conf_number	*n;

	*id = NULL;
	if (rpc_param_str(params, "number", 0, label, CONF_LABEL_MAX + 1,
	    err) != 0)
		return (-1);
	if (*label == NULL)
		return (0);
	if ((n = conf_number_by_label(&ctx->d->conf, *label)) == NULL) {
		rpc_error(err, PE_INVALID, "no business number '%s'; the "
		    "numbers are the labels of [graph] and the [number LABEL] "
		    "sections", *label);
		return (-1);
	}
	*id = n->phone_number_id;
	return (0);
}

/*
 * [privacy] list_previews: a row's last message is message text, read
 * without a purpose. "own" hides it on conversations that would need one
 * to open (a colleague's), "none" on every row, "all" on none.
 */
static void
rpc_conv_previews(struct rpc_ctx *ctx, json_t *rows)
{
	json_t		*row;
	const char	*who;
	size_t		 i;
	int		 policy = ctx->d->conf.list_previews;

	rpc_conv_number_rows(ctx, rows);
	if (policy == CONF_PREVIEWS_ALL)
		return;
	json_array_foreach(rows, i, row) {
		who = json_string_value(json_object_get(row, "assignee"));
		if (policy == CONF_PREVIEWS_OWN && (who == NULL ||
		    strcmp(who, ctx->agent.name) == 0))
			continue;
		json_object_set_new(row, "preview",
		    json_string("(preview hidden)"));
		json_object_set_new(row, "preview_hidden", json_true());
	}
}

static json_t *
rpc_conv_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*view, *sort, *number, *number_id, *listview = NULL;
	char		 breaching[48];
	int64_t		 offset = 0, limit = 50;
	json_t		*rows, *res;
	int		 rc;
	int64_t		 hours = ctx->d->conf.window_closing_hours;
	enum list_sort	 o;
	int		 so = -1;

	if (rpc_param_str(params, "view", 0, &view, 100, err) != 0 ||
	    rpc_param_str(params, "sort", 0, &sort, 16, err) != 0 ||
	    rpc_param_int(params, "hours", 0, &hours, 1, 168, err) != 0 ||
	    rpc_param_int(params, "offset", 0, &offset, 0, INT32_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_PAGE_MAX,
	    err) != 0 ||
	    rpc_conv_number_param(ctx, params, &number, &number_id, err) != 0)
		return (NULL);
	if (view == NULL)
		view = "all";
	/* "number:DE" as a view: every conversation of that number. */
	if (strncmp(view, "number:", 7) == 0 && number == NULL) {
		rows = json_pack("{ss}", "number", view + 7);
		rc = rpc_conv_number_param(ctx, rows, &number, &number_id, err);
		json_decref(rows);
		if (rc != 0)
			return (NULL);
		number = view + 7;	/* the label lives in params */
		listview = "all";
	}
	/* Issue 19: due within [sla] soon, or past it (sla.c). */
	if (strcmp(view, "breaching") == 0) {
		snprintf(breaching, sizeof breaching, "breaching:%lld",
		    (long long)clock_now() +
		    (long long)conf_sla_soon(&ctx->d->conf));
		listview = breaching;
	} else if (strncmp(view, "breaching:", 10) == 0)
		view = "?";	/* the bound is the daemon's */
	if (sort != NULL) {
		if (names_sort_from(sort, &o) != 0)
			return (rpc_error(err, PE_INVALID, "unknown sort '%s'; "
			    "sorts are " NAMES_LIST(NAMES_SORTS, ", "), sort));
		so = (int)o;
	}
	/* store-inbox.c: the views with per-agent unread and labels */
	rows = store_inbox_list_number(&ctx->d->store, listview != NULL ?
	    listview : view, number_id,
	    ctx->agent.id, offset, limit, (int64_t)time(NULL),
	    (int)ctx->d->conf.window_hours, (int)hours, so);
	if (rows == NULL)
		return (rpc_error(err, PE_INVALID, "unknown view '%s'; views "
		    "are all, mine, unassigned, open, pending, snoozed, "
		    "resolved, label:NAME, team:NAME, window[:HOURS], failed, "
		    "breaching", view));
	rpc_conv_previews(ctx, rows);
	sla_rows(ctx->d, rows, clock_now());	/* issue 19: "sla" */
	/* The asking agent's own draft marker (store-draft.c). */
	store_draft_mark(&ctx->d->store, ctx->agent.id, rows);
	res = json_object();
	json_object_set_new(res, "view", json_string(view));
	if (number != NULL)
		json_object_set_new(res, "number", json_string(number));
	if (so >= 0)
		json_object_set_new(res, "sort", json_string(sort));
	json_object_set_new(res, "offset", json_integer(offset));
	json_object_set_new(res, "rows", rows);
	return (res);
}

static json_t *
rpc_conv_counts(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t		 hours = ctx->d->conf.window_closing_hours, lo, now;
	const char	*number, *number_id;
	json_t		*j;

	if (rpc_param_int(params, "hours", 0, &hours, 1, 168, err) != 0 ||
	    rpc_conv_number_param(ctx, params, &number, &number_id, err) != 0)
		return (NULL);
	now = (int64_t)time(NULL);
	j = store_inbox_counts(&ctx->d->store, ctx->agent.id, now,
	    (int)ctx->d->conf.window_hours, (int)hours);
	/* One number's: the view counts are its own (labels, teams not). */
	if (number_id != NULL) {
		lo = window_open_since(now, ctx->d->conf.window_hours);
		if (store_number_counts(&ctx->d->store, number_id,
		    ctx->agent.id, lo, lo + hours * 3600, j) != 0) {
			json_decref(j);
			return (rpc_error(err, PE_INTERNAL, "database error"));
		}
		json_object_set_new(j, "number", json_string(number));
	}
	/* Issue 19: the breaching view's count (all numbers). */
	json_object_set_new(j, "breaching", json_integer(
	    store_sla_breaching_count(&ctx->d->store, clock_now() +
	    conf_sla_soon(&ctx->d->conf))));
	return (j);
}

/* --- open accesses --- */

/* The close record of the access peer has open; detail is ctx's. */
static void
rpc_conv_access_rec(struct rpc_ctx *ctx, const struct rpc_peer *peer,
    const char *why, struct audit_rec *rec)
{
	int64_t	secs = (int64_t)time(NULL) - peer->access_at;

	rpc_audit_detail(ctx, "%s after %lld s", why,
	    (long long)(secs > 0 ? secs : 0));
	*rec = (struct audit_rec){ .action = "conversation.close",
	    .object_type = "conversation", .object_id = peer->access_conv,
	    .contact_id = peer->access_contact, .detail = ctx->audit_detail,
	    .result = "ok" };
}

static void
rpc_conv_access_clear(struct rpc_peer *peer)
{
	if (peer->access_purpose != NULL)
		crypt_wipe_free(peer->access_purpose,
		    strlen(peer->access_purpose));
	peer->access_purpose = NULL;
	peer->access_conv = peer->access_contact = peer->access_agent = 0;
	peer->access_at = 0;
}

/*
 * The access a read of conversation id belongs to: 1 if it is the one this
 * connection has open (by the same agent; *purpose, if NULL, becomes the
 * purpose given at its start), 0 if the read begins a new one (a purpose
 * other than the open one's begins a new one too). note.list asks too.
 */
int
rpc_conv_access_covers(struct rpc_ctx *ctx, int64_t id, const char **purpose)
{
	struct rpc_peer	*peer = ctx->peer;

	if (peer == NULL || peer->access_conv != id ||
	    peer->access_agent != ctx->agent.id)
		return (0);
	if (*purpose == NULL) {
		*purpose = peer->access_purpose;
		return (1);
	}
	return (peer->access_purpose != NULL &&
	    strcmp(peer->access_purpose, *purpose) == 0);
}

/*
 * Ends the open access inside a request: its record is appended now (kept
 * if the request fails when refused is set). 0, or -1 with err set.
 */
static int
rpc_conv_access_close(struct rpc_ctx *ctx, const char *why, int refused,
    struct rpc_err *err)
{
	struct audit_rec	rec;

	if (ctx->peer == NULL || ctx->peer->access_conv == 0)
		return (0);
	rpc_conv_access_rec(ctx, ctx->peer, why, &rec);
	if (refused)
		rpc_audit_refusal(ctx, &rec);
	else if (rpc_audit(ctx, &rec, err) != 0)
		return (-1);
	free(ctx->audit_detail);
	ctx->audit_detail = NULL;
	ctx->audit.detail = NULL;
	rpc_conv_access_clear(ctx->peer);
	return (0);
}

static int
rpc_conv_access_end_fn(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct rpc_peer	*peer = arg;

	(void)err;
	rpc_conv_access_rec(ctx, peer, ctx->method, &ctx->audit);
	return (0);
}

void
rpc_conv_access_end(struct daemon *d, struct rpc_peer *peer, const char *why)
{
	struct audit_who	 who;
	json_t			*events = NULL;

	if (peer->access_conv == 0)
		return;
	who = (struct audit_who){ .agent_id = peer->access_agent,
	    .agent = peer->user,
	    .client = peer->client[0] != '\0' ? peer->client : NULL };
	/* Nothing to tell anyone: no events come of it. */
	if (rpc_act(d, &who, why, rpc_conv_access_end_fn, peer, &events) != 0)
		log_warn("conversation %lld: its close was not recorded",
		    (long long)peer->access_conv);
	json_decref(events);
	rpc_conv_access_clear(peer);
}

/*
 * Opening a conversation is one access: the first read by a connection
 * writes conversation.open (with its purpose); later reads of it by the
 * same connection (live refreshes, older pages, its notes) write nothing
 * until it ends (conv.close, another conversation opened, a refused read,
 * the connection gone), which writes conversation.close with how long it
 * lasted. The read gate still judges every read.
 */
static json_t *
rpc_conv_show(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t		 id, before = 0, limit = 100, contact_id;
	const char	*purpose;
	const struct conf_number *num;
	json_t		*res;
	int		 same;

	if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "before", 0, &before, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_PAGE_MAX,
	    err) != 0 ||
	    rpc_privacy_text(params, "purpose", 0, &purpose, err) != 0)
		return (NULL);
	if (rpc_lookup(store_conv_contact(&ctx->d->store, id, &contact_id),
	    err, "no conversation %lld", (long long)id) != 0)
		return (NULL);
	if (rpc_note_via_mention(ctx, params, "conversation.open", id,
	    contact_id, &purpose, err) != 0)
		return (NULL);
	same = rpc_conv_access_covers(ctx, id, &purpose);
	/* Someone else's conversation: a purpose, logged (rpc-privacy.c). */
	if (rpc_privacy_may_read(ctx, "conversation.open", contact_id, id,
	    purpose, err) != 0) {
		/* No longer open to the agent: that access is over. */
		if (same)
			(void)rpc_conv_access_close(ctx, "refused", 1, err);
		return (NULL);
	}
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
	/*
	 * The notes with the messages, under the same access and record
	 * (as note.list inside an open access): opening is one round trip.
	 */
	if (json_is_true(json_object_get(params, "notes")))
		json_object_set_new(res, "notes", store_note_list(
		    &ctx->d->store, id));
	/* The business number the customer wrote to (issue 15). */
	num = numbers_of_conv(ctx->d, id);
	json_object_set_new(json_object_get(res, "conversation"), "number",
	    num != NULL ? json_string(num->label) : json_null());
	/* Issue 19: the conversation's service-level clock. */
	json_object_set_new(json_object_get(res, "conversation"), "sla",
	    sla_row(ctx->d, id, clock_now()));
	if (same || ctx->peer == NULL)
		return (res);
	if (rpc_conv_access_close(ctx, "another opened", 0, err) != 0) {
		json_decref(res);
		return (NULL);
	}
	ctx->audit = (struct audit_rec){ .action = "conversation.open",
	    .object_type = "conversation", .object_id = id,
	    .contact_id = contact_id, .purpose = purpose, .result = "ok" };
	ctx->peer->access_conv = id;
	ctx->peer->access_contact = contact_id;
	ctx->peer->access_agent = ctx->agent.id;
	ctx->peer->access_at = (int64_t)time(NULL);
	ctx->peer->access_purpose = purpose != NULL ? xstrdup(purpose) : NULL;
	return (res);
}

/* The client closed the thread: the access ends. */
static json_t *
rpc_conv_close(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t	id;
	int	open;

	if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0)
		return (NULL);
	open = ctx->peer != NULL && ctx->peer->access_conv == id;
	if (open && rpc_conv_access_close(ctx, "closed", 0, err) != 0)
		return (NULL);
	return (json_pack("{sI sb}", "id", (json_int_t)id, "closed", open));
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
	const char		*who, *action, *expect;
	json_t			*force = json_object_get(params, "force");
	char			 detail[160];
	int			 r, claim;

	if (rpc_conv_get(ctx, params, &ci, err) != 0 ||
	    rpc_param_str(params, "to", 0, &who, 64, err) != 0 ||
	    rpc_param_str(params, "if_assignee", 0, &expect, 64, err) != 0)
		return (NULL);
	if (expect != NULL && strcmp(expect, "none") == 0)
		expect = "";
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
	/*
	 * The holder the caller saw: a change made on a stale screen (a claim
	 * race lost, a take-over from someone who already let go) is refused
	 * and says who has it now.
	 */
	if (expect != NULL && strcmp(expect, ci.assignee_id != 0 ?
	    ci.assignee : "") != 0 && ci.assignee_id != ctx->agent.id) {
		snprintf(detail, sizeof detail, "held by '%s'",
		    ci.assignee_id != 0 ? ci.assignee : "nobody");
		rpc_conv_refuse(ctx, &ci, action, "conflict", detail);
		if (ci.assignee_id != 0 && *expect == '\0')
			return (rpc_error(err, PE_CONFLICT, "%s claimed it "
			    "first; conversation %lld is already assigned to "
			    "'%s'", ci.assignee, (long long)ci.id,
			    ci.assignee));
		if (ci.assignee_id != 0)
			return (rpc_error(err, PE_CONFLICT, "conversation %lld "
			    "is now assigned to '%s', not '%s'; nothing "
			    "changed", (long long)ci.id, ci.assignee, expect));
		return (rpc_error(err, PE_CONFLICT, "conversation %lld is no "
		    "longer assigned to '%s'; nothing changed",
		    (long long)ci.id, expect));
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
			return (rpc_error(err, PE_CONFLICT, "%s claimed it "
			    "first; conversation %lld is already assigned to "
			    "'%s'", ci.assignee, (long long)ci.id,
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
	int		 undo;		/* taking back a resolve */
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
	/* An undone resolve: the service-level clocks run on as before. */
	if (cs->undo && cs->to != CONV_RESOLVED &&
	    strcmp(ci->state, "resolved") == 0 &&
	    store_sla_resume(&ctx->d->store, ci->id) != 0) {
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
	/* Queues the satisfaction survey, sent after the undo window. */
	if (cs->to == CONV_RESOLVED && survey_on_resolve(ctx->d, ci->id,
	    ctx->agent.id) != 0) {
		rpc_error(err, PE_INTERNAL, "cannot queue the survey");
		return (-1);
	}
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
		cs.undo = 1;
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
		/* The rules a label puts in motion (issue 16). */
		if (cl->add && rules_label_added(ctx, ci->id, cl->name,
		    err) != 0)
			return (-1);
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

#define RPC_FIND_QUERY_MAX	200	/* bytes of a quick-switch query */
#define RPC_FIND_LIMIT_MAX	100

/*
 * The quick switch: conversations of every contact whose name matches q
 * (ranked as the pickers rank, include/match.h), or whose number ends in
 * the digits of q (the phone-ending blind index, store-phone.c); newest
 * conversation per contact. Audited like a search; a number's digits are
 * never written, not even sealed: the record says how many were typed.
 */
static json_t *
rpc_conv_find(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*q, *p;
	int64_t		 limit = 20;
	size_t		 digits = 0, other = 0;
	json_t		*rows, *res;

	if (rpc_param_str(params, "q", 1, &q, RPC_FIND_QUERY_MAX, err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_FIND_LIMIT_MAX,
	    err) != 0)
		return (NULL);
	for (p = q; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != ' ')
			other++;
	}
	if (digits + other == 0)
		return (rpc_error(err, PE_INVALID, "q: type part of a name or "
		    "the last digits of a number"));
	ctx->audit = (struct audit_rec){ .action = "conv.find",
	    .detail = q, .result = "ok" };
	if (digits > 0)
		rpc_audit_detail(ctx, "number ending (%zu digits)", digits);
	rows = store_search_find(&ctx->d->store, q, (int)limit,
	    ctx->agent.id, (int64_t)time(NULL),
	    (int)ctx->d->conf.window_hours);
	rpc_conv_previews(ctx, rows);	/* as in conv.list */
	res = json_pack("{so}", "rows", rows);
	/* Names come in while the index fills after a start. */
	if (store_search_building(&ctx->d->store))
		json_object_set_new(res, "partial", json_true());
	return (res);
}

/* --- handing over and taking over (issue 13) --- */

#define RPC_HANDOVER_NOTE_MAX	1000

/* The agent named by params[key]: active, and not the caller. */
static int
rpc_conv_colleague(struct rpc_ctx *ctx, json_t *params, const char *key,
    struct store_agent *to, struct rpc_err *err)
{
	const char	*who;

	if (rpc_param_str(params, key, 1, &who, 64, err) != 0)
		return (-1);
	if (rpc_lookup(store_agent_by_name(&ctx->d->store, who, to), err,
	    "no active agent '%s'", who) != 0)
		return (-1);
	if (!to->active) {
		rpc_error(err, PE_NOT_FOUND, "no active agent '%s'", who);
		return (-1);
	}
	if (to->id == ctx->agent.id) {
		rpc_error(err, PE_INVALID, "you cannot hand a conversation "
		    "to yourself");
		return (-1);
	}
	return (0);
}

/*
 * conv.handover: the assignee hands the conversation to a colleague, with
 * an optional note (kept as an ordinary note, sealed). [assign] handover
 * says how: "direct" reassigns at once, "request" asks the colleague,
 * who answers with conv.handover_answer; until then it stays.
 */
static json_t *
rpc_conv_handover(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct store_agent	 to;
	struct audit_rec	 rec;
	const char		*note;
	int64_t			 note_id = 0, now = (int64_t)time(NULL);
	int			 request;
	char			 detail[96], *body;

	if (rpc_conv_get(ctx, params, &ci, err) != 0 ||
	    rpc_conv_colleague(ctx, params, "to", &to, err) != 0 ||
	    rpc_param_str(params, "note", 0, &note, RPC_HANDOVER_NOTE_MAX,
	    err) != 0)
		return (NULL);
	if (note != NULL && note[strspn(note, " \t\n")] == '\0')
		note = NULL;
	request = ctx->d->conf.handover == CONF_HANDOVER_REQUEST;
	if (ci.assignee_id != ctx->agent.id) {
		snprintf(detail, sizeof detail, "to '%s': %s", to.name,
		    ci.assignee_id == 0 ? "unassigned" : "not yours");
		rpc_conv_refuse(ctx, &ci, "conversation.handover", "denied",
		    detail);
		if (ci.assignee_id == 0)
			return (rpc_error(err, PE_DENIED, "conversation %lld "
			    "is not assigned to you; claim it first",
			    (long long)ci.id));
		return (rpc_error(err, PE_DENIED, "conversation %lld is "
		    "assigned to '%s'; only they can hand it over",
		    (long long)ci.id, ci.assignee));
	}
	if (note != NULL) {
		body = xasprintf("Handover to %s: %s", to.name, note);
		if (store_note_add(&ctx->d->store, ci.id, ctx->agent.id, body,
		    now, &note_id) != 0) {
			free(body);
			return (rpc_error(err, PE_INTERNAL, "cannot add note"));
		}
		free(body);
		snprintf(detail, sizeof detail, "note %lld",
		    (long long)note_id);
		rec = (struct audit_rec){ .action = "note.add",
		    .object_type = "conversation", .object_id = ci.id,
		    .contact_id = ci.contact_id, .detail = detail,
		    .result = "ok" };
		if (rpc_audit(ctx, &rec, err) != 0)
			return (NULL);
		rpc_event(ctx, PEV_NOTE, json_pack("{sI sI s[] ss}",
		    "conversation", (json_int_t)ci.id, "note",
		    (json_int_t)note_id, "mentions", "by", ctx->agent.name));
	}
	if (request) {
		if (store_handover_put(&ctx->d->store, ci.id, ctx->agent.id,
		    to.id, note_id, now) != 0)
			return (rpc_error(err, PE_INTERNAL, "cannot hand over"));
	} else if (store_conv_set_assignee(&ctx->d->store, ci.id,
	    to.id) != 0 || store_handover_del(&ctx->d->store, ci.id) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot hand over"));
	ctx->audit = (struct audit_rec){ .action = "conversation.handover",
	    .object_type = "conversation", .object_id = ci.id,
	    .contact_id = ci.contact_id, .result = "ok" };
	rpc_audit_detail(ctx, "%s '%s'", request ? "asked" : "to", to.name);
	rpc_event_uid(ctx, (unsigned)to.uid, PEV_HANDOVER, json_pack(
	    "{sI ss sI sb}", "conversation", (json_int_t)ci.id, "from",
	    ctx->agent.name, "note", (json_int_t)note_id, "request", request));
	if (!request)
		rpc_event(ctx, PEV_ASSIGNMENT, json_pack("{sI ss ss}",
		    "conversation", (json_int_t)ci.id, "assignee", to.name,
		    "by", ctx->agent.name));
	return (json_pack("{sI ss sb sI}", "id", (json_int_t)ci.id, "to",
	    to.name, "request", request, "note", (json_int_t)note_id));
}

/*
 * conv.handover_answer: the colleague asked accepts (the conversation is
 * theirs, if the requester still holds it) or declines (it stays). The
 * requester is told either way.
 */
static json_t *
rpc_conv_handover_answer(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct store_handover	 h;
	json_t			*acc = json_object_get(params, "accept");
	enum store_found	 f;
	int			 accept;

	if (rpc_conv_get(ctx, params, &ci, err) != 0)
		return (NULL);
	if (!json_is_boolean(acc))
		return (rpc_error(err, PE_INVALID, "missing parameter "
		    "'accept' (true or false)"));
	accept = json_is_true(acc);
	f = store_handover_get(&ctx->d->store, ci.id, &h);
	if (f == STORE_ERROR)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	if (f == STORE_NONE || h.to_id != ctx->agent.id) {
		rpc_conv_refuse(ctx, &ci, "conversation.handover_answer",
		    "denied", "no request to this agent");
		return (rpc_error(err, PE_NOT_FOUND, "nobody asked you to "
		    "take conversation %lld", (long long)ci.id));
	}
	if (store_handover_del(&ctx->d->store, ci.id) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot answer"));
	if (accept && ci.assignee_id != h.from_id) {
		/* Moved on since the request: it no longer stands. */
		rpc_conv_refuse(ctx, &ci, "conversation.handover_answer",
		    "conflict", "no longer the requester's");
		return (rpc_error(err, PE_CONFLICT, "conversation %lld is no "
		    "longer with '%s'; the request lapsed", (long long)ci.id,
		    h.from));
	}
	if (accept && store_conv_set_assignee(&ctx->d->store, ci.id,
	    ctx->agent.id) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot answer"));
	ctx->audit = (struct audit_rec){
	    .action = "conversation.handover_answer",
	    .object_type = "conversation", .object_id = ci.id,
	    .contact_id = ci.contact_id, .result = "ok" };
	rpc_audit_detail(ctx, "%s from '%s'", accept ? "accepted" :
	    "declined", h.from);
	rpc_event_uid(ctx, (unsigned)h.from_uid, PEV_HANDOVER_ANSWER,
	    json_pack("{sI ss sb}", "conversation", (json_int_t)ci.id, "by",
	    ctx->agent.name, "accepted", accept));
	if (accept)
		rpc_event(ctx, PEV_ASSIGNMENT, json_pack("{sI ss ss}",
		    "conversation", (json_int_t)ci.id, "assignee",
		    ctx->agent.name, "by", ctx->agent.name));
	return (json_pack("{sI sb ss}", "id", (json_int_t)ci.id, "accepted",
	    accept, "from", h.from));
}

/* The handover requests waiting for the caller's answer. */
static json_t *
rpc_conv_handovers(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	return (json_pack("{so}", "requests", store_handover_list(
	    &ctx->d->store, ctx->agent.id)));
}

/*
 * conv.takeover: a supervisor takes someone else's conversation, which
 * needs "takeover": true (the client asked them to confirm); the previous
 * assignee is told.
 */
static json_t *
rpc_conv_takeover(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct store_agent	 prev;
	int			 told;

	if (rpc_conv_get(ctx, params, &ci, err) != 0)
		return (NULL);
	if (!json_is_true(json_object_get(params, "takeover"))) {
		rpc_conv_refuse(ctx, &ci, "conversation.takeover", "denied",
		    "not confirmed");
		return (rpc_error(err, PE_INVALID, "taking over needs "
		    "'takeover': true (confirmed)"));
	}
	if (ci.assignee_id == 0)
		return (rpc_error(err, PE_INVALID, "conversation %lld is not "
		    "assigned; claim it", (long long)ci.id));
	if (ci.assignee_id == ctx->agent.id)
		return (json_pack("{sI ss sb}", "id", (json_int_t)ci.id,
		    "from", ctx->agent.name, "already", 1));
	told = store_agent_by_name(&ctx->d->store, ci.assignee, &prev) ==
	    STORE_FOUND;
	if (store_conv_set_assignee(&ctx->d->store, ci.id,
	    ctx->agent.id) != 0 || store_handover_del(&ctx->d->store,
	    ci.id) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot take over"));
	ctx->audit = (struct audit_rec){ .action = "conversation.takeover",
	    .object_type = "conversation", .object_id = ci.id,
	    .contact_id = ci.contact_id, .result = "ok" };
	rpc_audit_detail(ctx, "from '%s'", ci.assignee);
	if (told)
		rpc_event_uid(ctx, (unsigned)prev.uid, PEV_TAKEOVER, json_pack(
		    "{sI ss}", "conversation", (json_int_t)ci.id, "by",
		    ctx->agent.name));
	rpc_event(ctx, PEV_ASSIGNMENT, json_pack("{sI ss ss}", "conversation",
	    (json_int_t)ci.id, "assignee", ctx->agent.name, "by",
	    ctx->agent.name));
	return (json_pack("{sI ss sb}", "id", (json_int_t)ci.id, "from",
	    ci.assignee, "already", 0));
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
	{ PM_CONV_FIND,		RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_conv_find },
	{ PM_CONV_CLOSE,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_conv_close },
	{ PM_CONV_HANDOVER,	RPC_AGENT,	RPC_WRITE,
	    rpc_conv_handover },
	{ PM_CONV_HANDOVER_ANSWER, RPC_AGENT,	RPC_WRITE,
	    rpc_conv_handover_answer },
	{ PM_CONV_HANDOVERS,	RPC_AGENT,	RPC_READONLY,
	    rpc_conv_handovers },
	{ PM_CONV_TAKEOVER,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_conv_takeover },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
