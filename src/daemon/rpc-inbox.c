/*
 * Inbox methods: counts, assignment, states, notes and mentions, labels,
 * canned replies, search and presence. Every change and every read of
 * personal data is audited in the transaction that does it; refusals are
 * audited too. Teams share one daemon and one thread, so "atomic" here
 * means one conditional UPDATE: two claims can never both win.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assign.h"
#include "audit.h"
#include "canned.h"
#include "crypt.h"
#include "daemon.h"
#include "rpc.h"
#include "search.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

#define INBOX_BULK_MAX		500	/* conversations per bulk call */
#define INBOX_NOTE_MAX		4096
#define INBOX_MENTIONS_MAX	16
#define INBOX_TYPING_SECS	10

static const char *inbox_prio[] = { "urgent", "high", "normal", "low" };

static int
inbox_is_supervisor(struct rpc_ctx *ctx)
{
	return (strcmp(ctx->agent.role, "supervisor") == 0 ||
	    strcmp(ctx->agent.role, "admin") == 0);
}

static int64_t
inbox_now(void)
{
	return ((int64_t)time(NULL));
}

/* Names of labels, teams and shortcuts: short, printable, no spaces. */
static int
inbox_valid_name(const char *s, size_t max)
{
	size_t	i;

	if (s[0] == '\0' || strlen(s) > max)
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.' && s[i] != '/')
			return (0);
	}
	return (1);
}

/* A refusal leaves its own record. */
static void
inbox_deny(struct rpc_ctx *ctx, const char *action, int64_t conv,
    int64_t contact, const char *result, const char *detail)
{
	struct audit_rec	rec = { action, "conversation", conv, contact,
				    NULL, result, detail };

	audit_append_commit(ctx->d, &ctx->who, &rec);
}

static void
inbox_event(struct rpc_ctx *ctx, const char *name, json_t *data)
{
	json_object_set_new(data, "by", json_string(ctx->agent.name));
	server_broadcast(ctx->d->server, name, data);
	json_decref(data);
}

static int
inbox_conv(struct rpc_ctx *ctx, json_t *params, struct store_conv_info *ci,
    struct rpc_err *err)
{
	int64_t	id;

	if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0)
		return (-1);
	if (store_conv_info(&ctx->d->store, id, ci) != 0) {
		rpc_error(err, "not_found", "no conversation %lld",
		    (long long)id);
		return (-1);
	}
	return (0);
}

/* "ids": [N, ...] or "id": N, as an array the caller frees. */
static int64_t *
inbox_ids(json_t *params, size_t *n, struct rpc_err *err)
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
	    json_array_size(ids) > INBOX_BULK_MAX) {
		rpc_error(err, "invalid", "'ids' must be a list of 1 to %d "
		    "conversation ids", INBOX_BULK_MAX);
		return (NULL);
	}
	out = xcalloc(json_array_size(ids), sizeof *out);
	json_array_foreach(ids, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			free(out);
			rpc_error(err, "invalid", "'ids' must hold conversation "
			    "ids");
			return (NULL);
		}
		out[i] = json_integer_value(v);
	}
	*n = json_array_size(ids);
	return (out);
}

/*
 * The ids of a bulk change, once every one is a conversation the caller
 * may change (rpc_may_act): all or nothing. NULL with err set otherwise.
 */
static int64_t *
inbox_ids_to_change(struct rpc_ctx *ctx, json_t *params, size_t *n,
    struct rpc_err *err)
{
	struct store_conv_info	 ci;
	int64_t			*ids;
	size_t			 i;

	if ((ids = inbox_ids(params, n, err)) == NULL)
		return (NULL);
	for (i = 0; i < *n; i++) {
		if (store_conv_info(&ctx->d->store, ids[i], &ci) != 0) {
			rpc_error(err, "not_found", "no conversation %lld",
			    (long long)ids[i]);
			free(ids);
			return (NULL);
		}
		if (rpc_may_act(ctx, &ci, params, err) != 0) {
			free(ids);
			return (NULL);
		}
	}
	return (ids);
}

/* --- views --- */

static json_t *
rpc_inbox_counts(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t	hours = ctx->d->conf.window_closing_hours;

	if (rpc_param_int(params, "hours", 0, &hours, 1, 168, err) != 0)
		return (NULL);
	return (store_inbox_counts(&ctx->d->store, ctx->agent.id, inbox_now(),
	    (int)ctx->d->conf.window_hours, (int)hours));
}

static json_t *
rpc_inbox_read(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	ci;

	if (inbox_conv(ctx, params, &ci, err) != 0)
		return (NULL);
	if (store_conv_mark_read(&ctx->d->store, ci.id, ctx->agent.id) != 0)
		return (rpc_error(err, "internal", "cannot mark read"));
	return (json_pack("{sI sI}", "id", (json_int_t)ci.id, "read_to",
	    (json_int_t)ci.last_msg_id));
}

/* Collision guard, for clients: has a customer written since `after`? */
static json_t *
rpc_inbox_newer(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	ci;
	int64_t			after;
	int			r;

	if (inbox_conv(ctx, params, &ci, err) != 0 ||
	    rpc_param_int(params, "after", 1, &after, 0, INT64_MAX, err) != 0)
		return (NULL);
	if ((r = store_conv_newer_inbound(&ctx->d->store, ci.id, after)) < 0)
		return (rpc_error(err, "internal", "database error"));
	return (json_pack("{sb sI}", "newer", r, "last_msg_id",
	    (json_int_t)ci.last_msg_id));
}

/* --- assignment --- */

static json_t *
rpc_inbox_assign(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct store_agent	 to;
	const char		*who, *action;
	json_t			*force = json_object_get(params, "force");
	char			 detail[160];
	int			 r, claim;
	struct audit_rec	 rec = { NULL, "conversation", 0, 0, NULL,
				    "ok", NULL };

	if (inbox_conv(ctx, params, &ci, err) != 0 ||
	    rpc_param_str(params, "to", 0, &who, 64, err) != 0)
		return (NULL);
	if (strcmp(ctx->method, "conv.unassign") == 0)
		who = NULL;
	else if (who == NULL)
		return (rpc_error(err, "invalid", "missing parameter 'to' "
		    "(me, an agent name, or none)"));
	if (who != NULL && strcmp(who, "none") == 0)
		who = NULL;
	rec.object_id = ci.id;
	rec.contact_id = ci.contact_id;

	if (who == NULL) {
		/* Unassign: your own, or anyone's as a supervisor. */
		action = "conversation.unassign";
		if (ci.assignee_id != ctx->agent.id &&
		    !inbox_is_supervisor(ctx)) {
			snprintf(detail, sizeof detail, "held by '%s'",
			    ci.assignee);
			inbox_deny(ctx, action, ci.id, ci.contact_id, "denied",
			    detail);
			if (ci.assignee_id == 0)
				return (rpc_error(err, "invalid", "conversation "
				    "%lld is not assigned", (long long)ci.id));
			return (rpc_error(err, "denied", "conversation %lld is "
			    "assigned to '%s'; only they or a supervisor can "
			    "release it", (long long)ci.id, ci.assignee));
		}
		memset(&to, 0, sizeof to);
		claim = 0;
	} else {
		if (strcmp(who, "me") == 0)
			to = ctx->agent;
		else if (store_agent_by_name(&ctx->d->store, who, &to) != 0 ||
		    !to.active)
			return (rpc_error(err, "not_found", "no active agent "
			    "'%s'", who));
		/* Taking it for yourself is a claim; anything else needs a
		 * supervisor. A supervisor's "force" takes it from anyone. */
		claim = to.id == ctx->agent.id && !(json_is_true(force) &&
		    inbox_is_supervisor(ctx));
		action = claim ? "conversation.claim" : "conversation.assign";
		if (!claim && !inbox_is_supervisor(ctx)) {
			snprintf(detail, sizeof detail, "to '%s'", to.name);
			inbox_deny(ctx, action, ci.id, ci.contact_id, "denied",
			    detail);
			return (rpc_error(err, "denied", "agents can only claim "
			    "conversations for themselves; assigning to '%s' "
			    "needs a supervisor", to.name));
		}
	}
	rec.action = action;
	snprintf(detail, sizeof detail, "%s%s%s", to.id != 0 ? "to '" : "",
	    to.id != 0 ? to.name : "released", to.id != 0 ? "'" : "");
	rec.detail = detail;
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	if (claim) {
		r = store_conv_claim(&ctx->d->store, ci.id, to.id);
		if (r == 1) {
			store_rollback(&ctx->d->store);
			store_conv_info(&ctx->d->store, ci.id, &ci);
			if (ci.assignee_id == ctx->agent.id)
				return (json_pack("{sI ss sb}", "id",
				    (json_int_t)ci.id, "assignee",
				    ctx->agent.name, "already", 1));
			snprintf(detail, sizeof detail, "held by '%s'",
			    ci.assignee);
			inbox_deny(ctx, action, ci.id, ci.contact_id,
			    "conflict", detail);
			return (rpc_error(err, "conflict", "conversation %lld "
			    "is already assigned to '%s'", (long long)ci.id,
			    ci.assignee));
		}
	} else
		r = store_conv_set_assignee(&ctx->d->store, ci.id, to.id);
	if (r != 0 || audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot assign"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	inbox_event(ctx, "assignment", json_pack("{sI so}", "conversation",
	    (json_int_t)ci.id, "assignee", to.id != 0 ? json_string(to.name) :
	    json_null()));
	if (to.id == 0 || ci.assignee_id != 0)
		assign_kick(ctx->d);	/* capacity freed somewhere */
	return (json_pack("{sI so sb}", "id", (json_int_t)ci.id, "assignee",
	    to.id != 0 ? json_string(to.name) : json_null(), "already", 0));
}

static json_t *
rpc_inbox_team(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	const char		*team;
	struct audit_rec	 rec = { "conversation.team", "conversation",
				    0, 0, NULL, "ok", NULL };

	if (inbox_conv(ctx, params, &ci, err) != 0 ||
	    rpc_param_str(params, "team", 0, &team, 64, err) != 0)
		return (NULL);
	if (team != NULL && (strcmp(team, "none") == 0 || *team == '\0'))
		team = NULL;
	if (team != NULL && !inbox_valid_name(team, 64))
		return (rpc_error(err, "invalid", "'%s' is not a valid team "
		    "name", team));
	rec.object_id = ci.id;
	rec.contact_id = ci.contact_id;
	rec.detail = team != NULL ? team : "none";
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	if (store_conv_set_team(&ctx->d->store, ci.id, team) != 0 ||
	    audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot set team"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	inbox_event(ctx, "assignment", json_pack("{sI so}", "conversation",
	    (json_int_t)ci.id, "team", team != NULL ? json_string(team) :
	    json_null()));
	assign_kick(ctx->d);
	return (json_pack("{sI so}", "id", (json_int_t)ci.id, "team",
	    team != NULL ? json_string(team) : json_null()));
}

static json_t *
rpc_inbox_agent_set(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char		*name, *team = NULL;
	int64_t			 cap = 0;
	struct store_agent	 a;
	char			 detail[96];
	int			 r, is_team;
	struct audit_rec	 rec = { NULL, "agent", 0, 0, NULL, "ok",
				    NULL };

	is_team = strcmp(ctx->method, "agent.team") == 0;
	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0)
		return (NULL);
	if (is_team) {
		if (rpc_param_str(params, "team", 0, &team, 64, err) != 0)
			return (NULL);
		if (team != NULL && (strcmp(team, "none") == 0 ||
		    *team == '\0'))
			team = NULL;
		if (team != NULL && !inbox_valid_name(team, 64))
			return (rpc_error(err, "invalid", "'%s' is not a valid "
			    "team name", team));
	} else if (rpc_param_int(params, "capacity", 1, &cap, 0, 1000,
	    err) != 0)
		return (NULL);
	if (store_agent_by_name(&ctx->d->store, name, &a) != 0)
		return (rpc_error(err, "not_found", "no agent '%s'", name));
	rec.action = ctx->method;
	rec.object_id = a.id;
	if (is_team)
		snprintf(detail, sizeof detail, "%s", team != NULL ? team :
		    "none");
	else
		snprintf(detail, sizeof detail, "%lld", (long long)cap);
	rec.detail = detail;
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	r = is_team ? store_agent_set_team(&ctx->d->store, a.id, team) :
	    store_agent_set_capacity(&ctx->d->store, a.id, (int)cap);
	if (r != 0 || audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot change agent"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	assign_kick(ctx->d);
	return (json_pack("{ss ss}", "name", a.name, is_team ? "team" :
	    "capacity", detail));
}

/* --- states and priority --- */

static json_t *
rpc_inbox_state(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	const char		*state, *action;
	int64_t			*ids, until = 0, secs = 0, now = inbox_now();
	size_t			 n, i;
	json_t			*res, *done;
	char			 detail[64];
	struct audit_rec	 rec = { NULL, "conversation", 0, 0, NULL,
				    "ok", NULL };

	if (rpc_param_str(params, "state", 1, &state, 16, err) != 0 ||
	    rpc_param_int(params, "until", 0, &until, 1, INT64_MAX / 2,
	    err) != 0 ||
	    rpc_param_int(params, "for", 0, &secs, 1, 366 * 86400,
	    err) != 0)
		return (NULL);
	if (strcmp(state, "open") != 0 && strcmp(state, "pending") != 0 &&
	    strcmp(state, "snoozed") != 0 && strcmp(state, "resolved") != 0)
		return (rpc_error(err, "invalid", "state must be open, pending, "
		    "snoozed or resolved, not '%s'", state));
	if (strcmp(state, "snoozed") == 0) {
		if (secs != 0)
			until = now + secs;
		if (until <= now)
			return (rpc_error(err, "invalid", "snoozing needs a "
			    "time in the future ('until' or 'for')"));
		snprintf(detail, sizeof detail, "until %lld",
		    (long long)until);
		rec.detail = detail;
	}
	if ((ids = inbox_ids_to_change(ctx, params, &n, err)) == NULL)
		return (NULL);
	done = json_array();
	for (i = 0; i < n; i++) {
		if (store_conv_info(&ctx->d->store, ids[i], &ci) != 0) {
			rpc_error(err, "not_found", "no conversation %lld",
			    (long long)ids[i]);
			free(ids);
			json_decref(done);
			return (NULL);
		}
		if (strcmp(state, "open") == 0 &&
		    strcmp(ci.state, "resolved") == 0)
			action = "conversation.reopen";
		else if (strcmp(state, "resolved") == 0)
			action = "conversation.resolve";
		else if (strcmp(state, "snoozed") == 0)
			action = "conversation.snooze";
		else
			action = "conversation.state";
		rec.action = action;
		rec.object_id = ci.id;
		rec.contact_id = ci.contact_id;
		if (rec.detail == NULL || strcmp(state, "snoozed") != 0)
			rec.detail = state;
		if (store_begin(&ctx->d->store) != 0)
			break;
		if (store_conv_set_state(&ctx->d->store, ci.id, state, until,
		    now) != 0 || audit_append(ctx->d, &ctx->who, &rec) != 0) {
			store_rollback(&ctx->d->store);
			break;
		}
		if (rpc_commit(ctx, err) != 0) {
			free(ids);
			json_decref(done);
			return (NULL);
		}
		json_array_append_new(done, json_integer(ci.id));
		res = json_pack("{sI ss ss}", "conversation",
		    (json_int_t)ci.id, "state", state, "was", ci.state);
		if (until != 0 && strcmp(state, "snoozed") == 0)
			json_object_set_new(res, "until", json_integer(until));
		inbox_event(ctx, "state", res);
	}
	free(ids);
	if (json_array_size(done) != n) {
		json_decref(done);
		return (rpc_error(err, "internal", "cannot change state"));
	}
	assign_kick(ctx->d);
	return (json_pack("{so ss}", "ids", done, "state", state));
}

static json_t *
rpc_inbox_priority(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	const char		*p;
	int			 i;
	struct audit_rec	 rec = { "conversation.priority",
				    "conversation", 0, 0, NULL, "ok", NULL };

	if (inbox_conv(ctx, params, &ci, err) != 0 ||
	    rpc_param_str(params, "priority", 1, &p, 16, err) != 0 ||
	    rpc_may_act(ctx, &ci, params, err) != 0)
		return (NULL);
	for (i = 0; i < 4; i++) {
		if (strcmp(p, inbox_prio[i]) == 0)
			break;
	}
	if (i == 4)
		return (rpc_error(err, "invalid", "priority must be urgent, "
		    "high, normal or low, not '%s'", p));
	rec.object_id = ci.id;
	rec.contact_id = ci.contact_id;
	rec.detail = inbox_prio[i];
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	if (store_conv_set_priority(&ctx->d->store, ci.id, i) != 0 ||
	    audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot set priority"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	inbox_event(ctx, "state", json_pack("{sI ss}", "conversation",
	    (json_int_t)ci.id, "priority", inbox_prio[i]));
	return (json_pack("{sI ss}", "id", (json_int_t)ci.id, "priority",
	    inbox_prio[i]));
}

/* --- notes and mentions --- */

/* The @names in a note that are agents (each once). */
static size_t
inbox_mentions(struct rpc_ctx *ctx, const char *body,
    struct store_agent *out, size_t max)
{
	const char	*p, *s;
	char		 name[64];
	size_t		 n = 0, i, len;

	for (p = body; (p = strchr(p, '@')) != NULL && n < max;) {
		if (p > body && (isalnum((unsigned char)p[-1]) ||
		    p[-1] == '.')) {
			p++;	/* an e-mail address, not a mention */
			continue;
		}
		s = ++p;
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' ||
		    *p == '.')
			p++;
		len = (size_t)(p - s);
		while (len > 0 && s[len - 1] == '.')
			len--;	/* "@anna." ends a sentence */
		if (len == 0 || len >= sizeof name)
			continue;
		memcpy(name, s, len);
		name[len] = '\0';
		if (store_agent_by_name(&ctx->d->store, name, &out[n]) != 0 ||
		    !out[n].active)
			continue;
		for (i = 0; i < n; i++) {
			if (out[i].id == out[n].id)
				break;
		}
		if (i == n)
			n++;
	}
	return (n);
}

static json_t *
rpc_inbox_note_add(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct store_agent	 men[INBOX_MENTIONS_MAX];
	const char		*body;
	int64_t			 note_id, now = inbox_now();
	size_t			 n, i;
	json_t			*names, *ev;
	char			 detail[64];
	struct audit_rec	 rec = { "note.add", "conversation", 0, 0, NULL,
				    "ok", NULL };
	struct audit_rec	 mrec = { "note.mention", "agent", 0, 0, NULL,
				    "ok", NULL };

	if (inbox_conv(ctx, params, &ci, err) != 0 ||
	    rpc_param_str(params, "body", 1, &body, INBOX_NOTE_MAX,
	    err) != 0 || rpc_may_act(ctx, &ci, params, err) != 0)
		return (NULL);
	if (*body == '\0')
		return (rpc_error(err, "invalid", "an empty note"));
	n = inbox_mentions(ctx, body, men, INBOX_MENTIONS_MAX);
	rec.object_id = ci.id;
	rec.contact_id = ci.contact_id;
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	if (store_note_add(&ctx->d->store, ci.id, ctx->agent.id, body, now,
	    &note_id) != 0)
		goto fail;
	snprintf(detail, sizeof detail, "note %lld", (long long)note_id);
	rec.detail = detail;
	mrec.contact_id = ci.contact_id;
	mrec.detail = detail;
	if (audit_append(ctx->d, &ctx->who, &rec) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		mrec.object_id = men[i].id;
		if (store_mention_add(&ctx->d->store, note_id, men[i].id,
		    now) != 0 || audit_append(ctx->d, &ctx->who, &mrec) != 0)
			goto fail;
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	names = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(names, json_string(men[i].name));
		ev = json_pack("{sI sI ss}", "conversation", (json_int_t)ci.id,
		    "note", (json_int_t)note_id, "by", ctx->agent.name);
		server_send_uid(ctx->d->server, (unsigned)men[i].uid,
		    "mention", ev);
		json_decref(ev);
	}
	inbox_event(ctx, "note", json_pack("{sI sI sO}", "conversation",
	    (json_int_t)ci.id, "note", (json_int_t)note_id, "mentions",
	    names));
	return (json_pack("{sI sI so}", "id", (json_int_t)note_id,
	    "conversation", (json_int_t)ci.id, "mentions", names));
fail:
	store_rollback(&ctx->d->store);
	return (rpc_error(err, "internal", "cannot add note"));
}

static json_t *
rpc_inbox_note_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	const char		*purpose;
	json_t			*res;
	struct audit_rec	 rec = { "note.list", "conversation", 0, 0,
				    NULL, "ok", NULL };

	if (inbox_conv(ctx, params, &ci, err) != 0 ||
	    rpc_param_str(params, "purpose", 0, &purpose, 200, err) != 0)
		return (NULL);
	/* Notes are about a customer: the same gate as conv.show. */
	if (rpc_privacy_may_read(ctx, "note.list", ci.contact_id, ci.id,
	    purpose, err) != 0)
		return (NULL);
	rec.object_id = ci.id;
	rec.contact_id = ci.contact_id;
	rec.purpose = purpose;
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	res = store_note_list(&ctx->d->store, ci.id);
	if (audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		json_decref(res);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	if (rpc_commit(ctx, err) != 0) {
		json_decref(res);
		return (NULL);
	}
	return (res);
}

static json_t *
rpc_inbox_mentions(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t	*res, *seen = json_object_get(params, "mark_seen");
	int64_t	 limit = 50;

	if (rpc_param_int(params, "limit", 0, &limit, 1, 500, err) != 0)
		return (NULL);
	res = store_mention_list(&ctx->d->store, ctx->agent.id,
	    json_is_true(json_object_get(params, "unseen")), limit);
	if (json_is_true(seen))
		store_mention_seen(&ctx->d->store, ctx->agent.id);
	return (res);
}

/* --- labels --- */

static json_t *
rpc_inbox_label_admin(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	const char		*name, *to = NULL, *color = NULL;
	int64_t			 id = 0;
	char			 detail[160];
	int			 r;
	struct audit_rec	 rec = { NULL, "label", 0, 0, NULL, "ok",
				    NULL };

	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0 ||
	    rpc_param_str(params, "to", 0, &to, 64, err) != 0 ||
	    rpc_param_str(params, "color", 0, &color, 32, err) != 0)
		return (NULL);
	if (strcmp(ctx->method, "label.rename") == 0 && to == NULL)
		return (rpc_error(err, "invalid", "missing parameter 'to'"));
	if (!inbox_valid_name(strcmp(ctx->method, "label.rename") == 0 ? to :
	    name, 64))
		return (rpc_error(err, "invalid", "label names are 1 to 64 "
		    "letters, digits, '_', '-', '.' or '/'"));
	if (strcmp(ctx->method, "label.create") != 0 &&
	    store_label_id(&ctx->d->store, name, &id) != 0)
		return (rpc_error(err, "not_found", "no label '%s'", name));
	rec.action = ctx->method;
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	if (strcmp(ctx->method, "label.create") == 0) {
		r = store_label_create(&ctx->d->store, name, color, &id);
		snprintf(detail, sizeof detail, "%s", name);
	} else if (strcmp(ctx->method, "label.rename") == 0) {
		r = store_label_rename(&ctx->d->store, id, to);
		snprintf(detail, sizeof detail, "%s -> %s", name, to);
	} else {
		r = store_label_delete(&ctx->d->store, id);
		snprintf(detail, sizeof detail, "%s", name);
	}
	if (r == 1) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "conflict", "a label '%s' already "
		    "exists", to != NULL ? to : name));
	}
	rec.object_id = id;
	rec.detail = detail;
	if (r != 0 || audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot change label"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	inbox_event(ctx, "label", json_pack("{ss ss ss?}", "op", ctx->method +
	    6, "name", name, "to", to));
	return (json_pack("{sI ss}", "id", (json_int_t)id, "name",
	    to != NULL ? to : name));
}

static json_t *
rpc_inbox_label_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	return (store_label_list(&ctx->d->store));
}

/* Bulk: every conversation gets its own audit record and event. */
static json_t *
rpc_inbox_label_conv(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	const char		*name;
	int64_t			*ids, label;
	size_t			 n, i;
	int			 add, r;
	json_t			*changed;
	struct audit_rec	 rec = { NULL, "conversation", 0, 0, NULL,
				    "ok", NULL };

	add = strcmp(ctx->method, "conv.label") == 0;
	if (rpc_param_str(params, "label", 1, &name, 64, err) != 0)
		return (NULL);
	if (store_label_id(&ctx->d->store, name, &label) != 0)
		return (rpc_error(err, "not_found", "no label '%s'; create it "
		    "first (label create)", name));
	if ((ids = inbox_ids_to_change(ctx, params, &n, err)) == NULL)
		return (NULL);
	rec.action = add ? "conversation.label" : "conversation.unlabel";
	rec.detail = name;
	changed = json_array();
	for (i = 0; i < n; i++) {
		store_conv_info(&ctx->d->store, ids[i], &ci);
		rec.object_id = ci.id;
		rec.contact_id = ci.contact_id;
		if (store_begin(&ctx->d->store) != 0)
			goto fail;
		if ((r = store_conv_label(&ctx->d->store, ci.id, label,
		    add)) < 0 || audit_append(ctx->d, &ctx->who, &rec) != 0) {
			store_rollback(&ctx->d->store);
			goto fail;
		}
		if (rpc_commit(ctx, err) != 0) {
			free(ids);
			json_decref(changed);
			return (NULL);
		}
		if (r == 1) {
			json_array_append_new(changed, json_integer(ci.id));
			inbox_event(ctx, "label", json_pack("{sI ss ss}",
			    "conversation", (json_int_t)ci.id, "op", add ?
			    "add" : "remove", "name", name));
		}
	}
	free(ids);
	return (json_pack("{ss so sI}", "label", name, "changed", changed,
	    "requested", (json_int_t)n));
fail:
	free(ids);
	json_decref(changed);
	return (rpc_error(err, "internal", "cannot change labels"));
}

/* --- canned replies --- */

static int
inbox_canned_params(json_t *params, const char **shortcut,
    const char **title, const char **body, const char **language,
    const char **team, int required, struct rpc_err *err)
{
	json_t	*missing;
	char	*text, *cause = NULL;

	if (rpc_param_str(params, "shortcut", 1, shortcut, 64, err) != 0 ||
	    rpc_param_str(params, "title", required, title, 200, err) != 0 ||
	    rpc_param_str(params, "body", required, body, CANNED_BODY_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "language", 0, language, 16, err) != 0 ||
	    rpc_param_str(params, "team", 0, team, 64, err) != 0)
		return (-1);
	if (!inbox_valid_name(*shortcut, 64)) {
		rpc_error(err, "invalid", "shortcuts are 1 to 64 letters, "
		    "digits, '_', '-', '.' or '/'");
		return (-1);
	}
	if (*body != NULL) {
		/* Refuse a template that could never render. */
		if ((text = canned_render(*body, NULL, NULL, &missing,
		    &cause)) == NULL) {
			rpc_error(err, "invalid", "body: %s", cause);
			free(cause);
			return (-1);
		}
		free(text);
		json_decref(missing);
	}
	return (0);
}

static json_t *
rpc_inbox_canned_list(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	const char	*language;
	char		 team[64];
	int		 cap;
	int64_t		 load;

	if (rpc_param_str(params, "language", 0, &language, 16, err) != 0)
		return (NULL);
	team[0] = '\0';
	store_agent_inbox(&ctx->d->store, ctx->agent.id, team, sizeof team,
	    &cap, &load);
	/*
	 * Team-scoped replies show to their team only ("" = no team: the
	 * unscoped ones); "all" shows everything.
	 */
	return (store_canned_list(&ctx->d->store,
	    json_is_true(json_object_get(params, "all")) ? NULL : team,
	    language));
}

static json_t *
rpc_inbox_canned_put(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*shortcut, *title, *body, *language, *team, *to;
	json_t		*old, *res;
	int64_t		 id;
	int		 created, edit, r;
	struct audit_rec rec = { NULL, "canned_reply", 0, 0, NULL, "ok",
			    NULL };

	edit = strcmp(ctx->method, "canned.edit") == 0;
	if (inbox_canned_params(params, &shortcut, &title, &body, &language,
	    &team, !edit, err) != 0 ||
	    rpc_param_str(params, "rename", 0, &to, 64, err) != 0)
		return (NULL);
	old = store_canned_get(&ctx->d->store, shortcut);
	if (edit && old == NULL)
		return (rpc_error(err, "not_found", "no canned reply '%s'",
		    shortcut));
	if (strcmp(ctx->method, "canned.add") == 0 && old != NULL) {
		json_decref(old);
		return (rpc_error(err, "conflict", "canned reply '%s' exists; "
		    "use canned edit", shortcut));
	}
	if (to != NULL && !inbox_valid_name(to, 64)) {
		json_decref(old);
		return (rpc_error(err, "invalid", "'%s' is not a valid "
		    "shortcut", to));
	}
	if (edit) {
		/* Unset fields keep their value; "" clears language/team. */
		if (title == NULL)
			title = json_string_value(json_object_get(old, "title"));
		if (body == NULL)
			body = json_string_value(json_object_get(old, "body"));
		if (language == NULL)
			language = json_string_value(json_object_get(old,
			    "language"));
		if (team == NULL)
			team = json_string_value(json_object_get(old, "team"));
	}
	if (language != NULL && *language == '\0')
		language = NULL;
	if (team != NULL && *team == '\0')
		team = NULL;
	rec.action = ctx->method;
	rec.detail = shortcut;
	if (store_begin(&ctx->d->store) != 0) {
		json_decref(old);
		return (rpc_error(err, "internal", "database busy"));
	}
	r = store_canned_put(&ctx->d->store, shortcut, title, body, language,
	    team, inbox_now(), &id, &created);
	json_decref(old);
	if (r == 0 && to != NULL && strcmp(to, shortcut) != 0 &&
	    (r = store_canned_rename(&ctx->d->store, id, to)) == 1) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "conflict", "canned reply '%s' exists",
		    to));
	}
	rec.object_id = id;
	if (r != 0 || audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot save canned reply"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	res = store_canned_get(&ctx->d->store, to != NULL ? to : shortcut);
	json_object_set_new(res, "created", json_boolean(created));
	return (res);
}

static json_t *
rpc_inbox_canned_remove(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	const char		*shortcut;
	int			 r;
	struct audit_rec	 rec = { "canned.remove", "canned_reply", 0, 0,
				    NULL, "ok", NULL };

	if (rpc_param_str(params, "shortcut", 1, &shortcut, 64, err) != 0)
		return (NULL);
	rec.detail = shortcut;
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	r = store_canned_remove(&ctx->d->store, shortcut);
	if (r == 1) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "not_found", "no canned reply '%s'",
		    shortcut));
	}
	if (r != 0 || audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot remove"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	return (json_pack("{ss sb}", "shortcut", shortcut, "removed", 1));
}

struct inbox_vars {
	char	*name;
	char	*first;
	char	 agent[64];
	char	 conv[24];
};

static const char *
inbox_var(const char *name, void *arg)
{
	struct inbox_vars	*v = arg;

	if (strcmp(name, "contact.name") == 0)
		return (v->name);
	if (strcmp(name, "contact.first_name") == 0)
		return (v->first);
	if (strcmp(name, "agent.name") == 0)
		return (v->agent[0] != '\0' ? v->agent : NULL);
	if (strcmp(name, "conversation.id") == 0)
		return (v->conv[0] != '\0' ? v->conv : NULL);
	return (NULL);
}

/* The exact text a canned reply would send in a conversation. */
static json_t *
rpc_inbox_canned_render(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct inbox_vars	 v;
	const char		*shortcut, *body, *purpose;
	json_t			*reply = NULL, *missing, *res;
	int64_t			 conv = 0;
	char			*text, *cause = NULL;
	struct audit_rec	 rec = { "canned.render", "conversation", 0, 0,
				    NULL, "ok", NULL };

	if (rpc_param_str(params, "shortcut", 0, &shortcut, 64, err) != 0 ||
	    rpc_param_str(params, "body", 0, &body, CANNED_BODY_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "conversation", 0, &conv, 1, INT64_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "purpose", 0, &purpose, 200, err) != 0)
		return (NULL);
	if (shortcut != NULL) {
		if ((reply = store_canned_get(&ctx->d->store,
		    shortcut)) == NULL)
			return (rpc_error(err, "not_found", "no canned reply "
			    "'%s'", shortcut));
		body = json_string_value(json_object_get(reply, "body"));
	} else if (body == NULL)
		return (rpc_error(err, "invalid", "give 'shortcut' or 'body'"));
	memset(&v, 0, sizeof v);
	snprintf(v.agent, sizeof v.agent, "%s", ctx->agent.name);
	if (conv != 0) {
		if (store_conv_info(&ctx->d->store, conv, &ci) != 0) {
			json_decref(reply);
			return (rpc_error(err, "not_found", "no conversation "
			    "%lld", (long long)conv));
		}
		/* The text would hold the customer's name: the same gate. */
		if (rpc_privacy_may_read(ctx, "canned.render", ci.contact_id,
		    conv, purpose, err) != 0) {
			json_decref(reply);
			return (NULL);
		}
		snprintf(v.conv, sizeof v.conv, "%lld", (long long)conv);
		v.name = store_contact_name(&ctx->d->store, ci.contact_id);
		v.first = canned_first_name(v.name);
		rec.object_id = conv;
		rec.contact_id = ci.contact_id;
	}
	text = canned_render(body, inbox_var, &v, &missing, &cause);
	json_decref(reply);
	if (v.name != NULL)
		crypt_wipe_free(v.name, strlen(v.name));
	if (v.first != NULL)
		crypt_wipe_free(v.first, strlen(v.first));
	if (text == NULL) {
		rpc_error(err, "invalid", "%s", cause);
		free(cause);
		return (NULL);
	}
	/* The text holds the customer's name: a read of personal data. */
	rec.detail = shortcut;
	rec.purpose = purpose;
	if (conv != 0 && audit_append_commit(ctx->d, &ctx->who, &rec) != 0) {
		crypt_wipe_free(text, strlen(text));
		json_decref(missing);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	res = json_pack("{ss so sb}", "text", text, "missing", missing,
	    "complete", json_array_size(missing) == 0);
	crypt_wipe_free(text, strlen(text));
	return (res);
}

/* --- search --- */

static json_t *
rpc_inbox_search(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct search_query	 sq;
	struct store_search_q	 q;
	struct store_agent	 a;
	const char		*text, *purpose;
	int64_t			 limit = 50, offset = 0;
	json_t			*rows, *res;
	char			*cause = NULL;
	struct audit_rec	 rec = { "search", NULL, 0, 0, NULL, "ok",
				    NULL };

	if (rpc_param_str(params, "q", 1, &text, SEARCH_QUERY_MAX, err) != 0 ||
	    rpc_param_str(params, "purpose", 0, &purpose, 200, err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, 200, err) != 0 ||
	    rpc_param_int(params, "offset", 0, &offset, 0, 100000, err) != 0)
		return (NULL);
	if (search_parse(text, &sq, &cause) != 0) {
		rpc_error(err, "invalid", "%s", cause);
		free(cause);
		return (NULL);
	}
	memset(&q, 0, sizeof q);
	q.match = sq.match;
	q.kinds = sq.kinds;
	q.dir = sq.dir;
	q.from = sq.from;
	q.to = sq.to;
	q.state = sq.state;
	q.label = sq.label;
	q.assignee = -1;
	q.limit = limit;
	q.offset = offset;
	if (sq.assignee != NULL) {
		if (strcmp(sq.assignee, "me") == 0)
			q.assignee = ctx->agent.id;
		else if (strcmp(sq.assignee, "none") == 0)
			q.assignee = 0;
		else if (store_agent_by_name(&ctx->d->store, sq.assignee,
		    &a) == 0)
			q.assignee = a.id;
		else {
			rpc_error(err, "not_found", "assignee: no agent '%s'",
			    sq.assignee);
			search_query_free(&sq);
			return (NULL);
		}
	}
	/* The query may name a customer: it goes in the sealed detail. */
	rec.detail = text;
	rec.purpose = purpose;
	if (store_begin(&ctx->d->store) != 0) {
		search_query_free(&sq);
		return (rpc_error(err, "internal", "database busy"));
	}
	rows = store_search_run(&ctx->d->store, &q, ctx->agent.id,
	    inbox_now(), (int)ctx->d->conf.window_hours, &cause);
	if (rows == NULL)
		rec.result = "error";
	if (audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		json_decref(rows);
		free(cause);
		search_query_free(&sq);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	if (rpc_commit(ctx, err) != 0) {
		json_decref(rows);
		free(cause);
		search_query_free(&sq);
		return (NULL);
	}
	search_query_free(&sq);
	if (rows == NULL) {
		rpc_error(err, "invalid", "%s", cause);
		free(cause);
		return (NULL);
	}
	res = json_pack("{so sI}", "rows", rows, "offset", (json_int_t)offset);
	/* While the index fills after a start, results may be incomplete. */
	if (store_search_building(&ctx->d->store)) {
		json_object_set_new(res, "partial", json_true());
		json_object_set_new(res, "progress", json_integer(
		    store_search_progress(&ctx->d->store)));
	}
	return (res);
}

static json_t *
rpc_inbox_search_stats(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	(void)params; (void)err;
	return (store_search_stats(&ctx->d->store));
}

/* --- presence --- */

struct inbox_presence {
	struct rpc_ctx	*ctx;
	int64_t		 conv;
	json_t		*viewing, *typing, *online;
	int64_t		 now;
};

static void
inbox_presence_add(json_t *arr, const char *name)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(arr, i, v) {
		if (strcmp(json_string_value(v), name) == 0)
			return;
	}
	json_array_append_new(arr, json_string(name));
}

static void
inbox_presence_cb(struct rpc_peer *p, void *arg)
{
	struct inbox_presence	*ip = arg;
	struct store_agent	 a;

	if (!p->hello || store_agent_by_uid(&ip->ctx->d->store, p->uid,
	    &a) != 0 || !a.active)
		return;
	if (p->subscribed == 1 && ip->online != NULL)
		inbox_presence_add(ip->online, a.name);
	if (ip->conv == 0)
		return;
	if (p->viewing == ip->conv)
		inbox_presence_add(ip->viewing, a.name);
	if (p->typing == ip->conv &&
	    ip->now - p->typing_at < INBOX_TYPING_SECS)
		inbox_presence_add(ip->typing, a.name);
}

static json_t *
rpc_inbox_presence_get(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	struct inbox_presence	ip;

	memset(&ip, 0, sizeof ip);
	ip.ctx = ctx;
	ip.now = inbox_now();
	if (rpc_param_int(params, "conversation", 0, &ip.conv, 1, INT64_MAX,
	    err) != 0)
		return (NULL);
	ip.viewing = json_array();
	ip.typing = json_array();
	ip.online = json_array();
	rpc_peer_each(ctx->d, inbox_presence_cb, &ip);
	return (json_pack("{sI so so so}", "conversation", (json_int_t)ip.conv,
	    "viewing", ip.viewing, "typing", ip.typing, "online", ip.online));
}

static json_t *
rpc_inbox_presence_set(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	struct store_conv_info	 ci;
	int64_t			 conv = 0;
	json_t			*viewing = json_object_get(params, "viewing");
	json_t			*typing = json_object_get(params, "typing");

	if (rpc_param_int(params, "conversation", 0, &conv, 0, INT64_MAX,
	    err) != 0)
		return (NULL);
	if (conv != 0 && store_conv_info(&ctx->d->store, conv, &ci) != 0)
		return (rpc_error(err, "not_found", "no conversation %lld",
		    (long long)conv));
	if (viewing == NULL || json_is_true(viewing))
		ctx->peer->viewing = conv;
	else if (ctx->peer->viewing == conv)
		ctx->peer->viewing = 0;
	if (json_is_true(typing)) {
		ctx->peer->typing = conv;
		ctx->peer->typing_at = inbox_now();
	} else if (typing != NULL || conv == 0)
		ctx->peer->typing = 0;
	inbox_event(ctx, "presence", json_pack("{sI sb sb}", "conversation",
	    (json_int_t)conv, "viewing", ctx->peer->viewing == conv &&
	    conv != 0, "typing", ctx->peer->typing == conv && conv != 0));
	return (json_pack("{sI sI}", "viewing", (json_int_t)ctx->peer->viewing,
	    "typing", (json_int_t)ctx->peer->typing));
}

const struct rpc_method rpc_inbox_methods[] = {
	{ "conv.counts",	RPC_AGENT,	RPC_READONLY,	rpc_inbox_counts },
	{ "conv.read",		RPC_AGENT,	0,	rpc_inbox_read },
	{ "conv.newer",		RPC_AGENT,	RPC_READONLY,	rpc_inbox_newer },
	{ "conv.assign",	RPC_AGENT,	0,	rpc_inbox_assign },
	{ "conv.unassign",	RPC_AGENT,	0,	rpc_inbox_assign },
	{ "conv.team",		RPC_SUPERVISOR,	0,	rpc_inbox_team },
	{ "conv.state",		RPC_AGENT,	0,	rpc_inbox_state },
	{ "conv.priority",	RPC_AGENT,	0,	rpc_inbox_priority },
	{ "conv.label",		RPC_AGENT,	0,	rpc_inbox_label_conv },
	{ "conv.unlabel",	RPC_AGENT,	0,	rpc_inbox_label_conv },
	{ "agent.team",		RPC_SUPERVISOR,	0,	rpc_inbox_agent_set },
	{ "agent.capacity",	RPC_SUPERVISOR,	0,	rpc_inbox_agent_set },
	{ "note.add",		RPC_AGENT,	0,	rpc_inbox_note_add },
	{ "note.list",		RPC_AGENT,	RPC_READONLY,	rpc_inbox_note_list },
	{ "mention.list",	RPC_AGENT,	RPC_READONLY,	rpc_inbox_mentions },
	{ "label.create",	RPC_SUPERVISOR,	0,	rpc_inbox_label_admin },
	{ "label.rename",	RPC_SUPERVISOR,	0,	rpc_inbox_label_admin },
	{ "label.delete",	RPC_SUPERVISOR,	0,	rpc_inbox_label_admin },
	{ "label.list",		RPC_AGENT,	RPC_READONLY,	rpc_inbox_label_list },
	{ "canned.list",	RPC_AGENT,	RPC_READONLY,	rpc_inbox_canned_list },
	{ "canned.add",		RPC_SUPERVISOR,	0,	rpc_inbox_canned_put },
	{ "canned.edit",	RPC_SUPERVISOR,	0,	rpc_inbox_canned_put },
	{ "canned.put",		RPC_SUPERVISOR,	0,	rpc_inbox_canned_put },
	{ "canned.remove",	RPC_SUPERVISOR,	0,	rpc_inbox_canned_remove },
	{ "canned.render",	RPC_AGENT,	RPC_READONLY,	rpc_inbox_canned_render },
	{ "search",		RPC_AGENT,	RPC_READONLY,	rpc_inbox_search },
	{ "search.stats",	RPC_SUPERVISOR,	RPC_READONLY,	rpc_inbox_search_stats },
	{ "presence.get",	RPC_AGENT,	RPC_READONLY,	rpc_inbox_presence_get },
	{ "presence.set",	RPC_AGENT,	RPC_READONLY,	rpc_inbox_presence_set },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
