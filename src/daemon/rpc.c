/*
 * The dispatcher: finds a method in the table, checks the caller (the
 * identity from SO_PEERCRED mapped to an agent row, the role the method
 * needs), and owns the one write path: the transaction, the audit record,
 * the commit or roll-back, and the events raised, handed back to be sent
 * after the answer (see struct rpc_ctx). A refusal is audited like any
 * other action. The parameter helpers and the assignment policy live here
 * too; the methods live in rpc-<namespace>.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "audit.h"
#include "daemon.h"
#include "hook.h"
#include "log.h"
#include "names.h"
#include "proto-names.h"
#include "rpc.h"
#include "xmalloc.h"

json_t *
rpc_error(struct rpc_err *err, const char *code, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	free(err->message);
	err->code = code;
	err->message = xvasprintf(fmt, ap);
	va_end(ap);
	return (NULL);
}

int
rpc_lookup(enum store_found found, struct rpc_err *err, const char *fmt,
    ...)
{
	va_list	ap;

	if (found == STORE_FOUND)
		return (0);
	if (found == STORE_ERROR) {
		rpc_error(err, PE_INTERNAL, "database error; see the daemon's "
		    "log");
		return (-1);
	}
	va_start(ap, fmt);
	free(err->message);
	err->code = PE_NOT_FOUND;
	err->message = xvasprintf(fmt, ap);
	va_end(ap);
	return (-1);
}

int
rpc_param_str(json_t *params, const char *key, int required,
    const char **out, size_t maxlen, struct rpc_err *err)
{
	json_t	*v = json_object_get(params, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required) {
			rpc_error(err, PE_INVALID,
			    "missing parameter '%s'", key);
			return (-1);
		}
		return (0);
	}
	if (!json_is_string(v)) {
		rpc_error(err, PE_INVALID, "parameter '%s' must be a string",
		    key);
		return (-1);
	}
	if (json_string_length(v) > maxlen) {
		rpc_error(err, PE_INVALID, "parameter '%s' is longer than %zu "
		    "bytes", key, maxlen);
		return (-1);
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		rpc_error(err, PE_INVALID, "parameter '%s' contains a NUL byte",
		    key);
		return (-1);
	}
	*out = json_string_value(v);
	return (0);
}

int
rpc_param_int(json_t *params, const char *key, int required, int64_t *out,
    int64_t min, int64_t max, struct rpc_err *err)
{
	json_t	*v = json_object_get(params, key);

	if (v == NULL || json_is_null(v)) {
		if (required) {
			rpc_error(err, PE_INVALID,
			    "missing parameter '%s'", key);
			return (-1);
		}
		return (0);
	}
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		rpc_error(err, PE_INVALID, "parameter '%s' must be an integer "
		    "from %lld to %lld", key, (long long)min, (long long)max);
		return (-1);
	}
	*out = json_integer_value(v);
	return (0);
}

/* The rank of an agent's role (names.h): agent, supervisor, admin. */
static enum rpc_role
rpc_role_rank(const char *role)
{
	enum agent_role	r;

	if (names_role_from(role, &r) != 0)
		return (RPC_AGENT);
	return ((enum rpc_role)(RPC_AGENT + (int)r));
}

const char *
rpc_role_name(enum rpc_role r)
{
	return (r == RPC_ANYONE ? "anyone" :
	    names_role((enum agent_role)(r - RPC_AGENT)));
}

/* --- the assignment policy --- */

int
rpc_may_act(struct rpc_ctx *ctx, const struct store_conv_info *ci,
    json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec = { .action = "conversation.override",
				    .object_type = "conversation",
				    .object_id = ci->id,
				    .contact_id = ci->contact_id,
				    .result = "ok" };
	int			 policy = ctx->d->conf.agents_act_on;
	char			 detail[160];

	if (strcmp(ctx->agent.role, "agent") != 0 || ci->assignee_id == 0 ||
	    ci->assignee_id == ctx->agent.id || policy == CONF_ACT_ALL ||
	    (policy == CONF_ACT_TEAM && ci->team[0] != '\0' &&
	    strcmp(ci->team, ctx->agent.team) == 0))
		return (0);
	snprintf(detail, sizeof detail, "%s on a conversation of '%s'",
	    ctx->method, ci->assignee);
	rec.detail = detail;
	if (!json_is_true(json_object_get(params, "force"))) {
		rec.action = "conversation.act";
		rec.result = "denied";
		rpc_audit_refusal(ctx, &rec);
		rpc_error(err, PE_DENIED, "conversation %lld is assigned to "
		    "'%s'; agents act on their own and unassigned "
		    "conversations%s ([inbox] agents_act_on); force it "
		    "(--force) to act anyway, which is audited",
		    (long long)ci->id, ci->assignee, policy == CONF_ACT_TEAM ?
		    " and their team's" : "");
		return (-1);
	}
	return (rpc_audit(ctx, &rec, err));
}

/* Every method set; meta.methods lists them all. */
const struct rpc_method *const rpc_sets[] = { rpc_session_methods,
    rpc_agent_methods, rpc_daemon_methods, rpc_meta_methods, rpc_conv_methods,
    rpc_note_methods, rpc_label_methods, rpc_canned_methods,
    rpc_search_methods, rpc_presence_methods, rpc_send_methods,
    rpc_privacy_methods, rpc_contact_methods, rpc_consent_methods,
    rpc_audit_methods, rpc_media_methods,
    rpc_upload_methods, rpc_outbox_methods, rpc_templates_methods,
    rpc_draft_methods,
    rpc_attribute_methods,
    rpc_conv_start_methods,
    rpc_notice_methods,
    rpc_rule_methods, rpc_macro_methods,
    rpc_survey_methods,
    rpc_hours_methods,
    rpc_optin_methods,
    rpc_campaign_methods,
    rpc_export_methods,
    rpc_hook_methods,
    rpc_report_methods,
    rpc_floor_methods,
    NULL };

static const struct rpc_method *
rpc_find(const char *name)
{
	const struct rpc_method	*m;
	size_t			 i;

	for (i = 0; rpc_sets[i] != NULL; i++) {
		for (m = rpc_sets[i]; m->name != NULL; m++) {
			if (strcmp(m->name, name) == 0)
				return (m);
		}
	}
	return (NULL);
}

/* --- refusals --- */

/*
 * Every refusal is audited, but a user who is refused in a loop must not
 * be able to flood the log (one commit each). Per Unix user: the first
 * refusal of an interval is written at once; the ones after it in the same
 * RPC_DENY_WINDOW seconds are counted and written as one record with the
 * count when the interval ends (or at shutdown).
 */
#define RPC_DENY_WINDOW	10	/* seconds */
#define RPC_DENY_USERS	256	/* users tracked at once */

struct rpc_denial {
	uid_t		 uid;
	int64_t		 agent_id;
	char		 user[64];
	char		 client[256];
	char		 detail[160];	/* the last refusal's */
	time_t		 since;		/* interval start */
	uint64_t	 count;		/* refusals not yet written */
};

struct rpc_denials {
	struct event		*timer;
	struct rpc_denial	 users[RPC_DENY_USERS];
	size_t			 n;
};

static void
rpc_denial_write(struct daemon *d, const struct audit_who *who,
    const char *detail)
{
	struct audit_rec	rec;

	memset(&rec, 0, sizeof rec);
	rec.action = "permission.denied";
	rec.result = "denied";
	rec.detail = detail;
	audit_append_commit(d, who, &rec);
}

/* Writes the counted refusals of one user as one record. */
static void
rpc_denial_summary(struct daemon *d, struct rpc_denial *u)
{
	struct audit_who	who;
	char			detail[240];

	if (u->count == 0)
		return;
	who.agent_id = u->agent_id;
	who.agent = u->user;
	who.client = u->client[0] != '\0' ? u->client : NULL;
	snprintf(detail, sizeof detail, "%s; refused %llu more time%s in "
	    "%d s (coalesced)", u->detail, (unsigned long long)u->count,
	    u->count == 1 ? "" : "s", RPC_DENY_WINDOW);
	rpc_denial_write(d, &who, detail);
	log_warn("%s (uid %u): %llu refusals coalesced into one audit record",
	    u->user, (unsigned)u->uid, (unsigned long long)u->count);
	u->count = 0;
}

/*
 * Writes the coalesced permission.denied records still counted (all of
 * them, at shutdown) and frees their state.
 */
static void
rpc_denials_flush(struct daemon *d, int all)
{
	struct rpc_denials	*ds = d->denials;
	struct timeval		 tv = { 1, 0 };
	time_t			 now = time(NULL);
	size_t			 i;

	if (ds == NULL)
		return;
	for (i = 0; i < ds->n; ) {
		if (all || now - ds->users[i].since >= RPC_DENY_WINDOW) {
			rpc_denial_summary(d, &ds->users[i]);
			ds->users[i] = ds->users[--ds->n];
		} else
			i++;
	}
	if (ds->n > 0 && !all)
		evtimer_add(ds->timer, &tv);
}

static void
rpc_denials_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	rpc_denials_flush(arg, 0);
}

void
rpc_denials_free(struct daemon *d)
{
	if (d->denials == NULL)
		return;
	rpc_denials_flush(d, 1);
	if (d->denials->timer != NULL)
		event_free(d->denials->timer);
	free(d->denials);
	d->denials = NULL;
}

void
rpc_deny(struct rpc_ctx *ctx, const char *detail)
{
	struct daemon		*d = ctx->d;
	struct rpc_denials	*ds;
	struct rpc_denial	*u = NULL;
	struct timeval		 tv = { 1, 0 };
	time_t			 now = time(NULL);
	size_t			 i, oldest = 0;

	if ((ds = d->denials) == NULL) {
		ds = d->denials = xcalloc(1, sizeof *ds);
		if (d->base != NULL)
			ds->timer = evtimer_new(d->base, rpc_denials_cb, d);
	}
	for (i = 0; i < ds->n; i++) {
		if (ds->users[i].uid == ctx->peer->uid) {
			u = &ds->users[i];
			break;
		}
		if (ds->users[i].since < ds->users[oldest].since)
			oldest = i;
	}
	if (u != NULL && now - u->since < RPC_DENY_WINDOW) {
		u->count++;
		snprintf(u->detail, sizeof u->detail, "%s", detail);
		return;
	}
	if (u != NULL)
		rpc_denial_summary(d, u);	/* an interval ended */
	else if (ds->n == RPC_DENY_USERS) {
		u = &ds->users[oldest];
		rpc_denial_summary(d, u);
	} else
		u = &ds->users[ds->n++];
	memset(u, 0, sizeof *u);
	u->uid = ctx->peer->uid;
	u->agent_id = ctx->who.agent_id;
	snprintf(u->user, sizeof u->user, "%s", ctx->peer->user);
	snprintf(u->client, sizeof u->client, "%s", ctx->peer->client);
	snprintf(u->detail, sizeof u->detail, "%s", detail);
	u->since = now;
	rpc_denial_write(d, &ctx->who, detail);	/* the first, at once */
	if (ds->timer != NULL && !evtimer_pending(ds->timer, NULL))
		evtimer_add(ds->timer, &tv);
}

/* --- the write path --- */

static void
rpc_event_queue(struct rpc_ctx *ctx, json_t *ev)
{
	if (ctx->events == NULL)
		ctx->events = json_array();
	json_array_append_new(ctx->events, ev);
}

void
rpc_event(struct rpc_ctx *ctx, const char *name, json_t *data)
{
	if (data == NULL)
		return;		/* json_pack failed: nothing to say */
	rpc_event_queue(ctx, json_pack("{ss so}", "event", name, "data",
	    data));
}

void
rpc_event_uid(struct rpc_ctx *ctx, unsigned uid, const char *name,
    json_t *data)
{
	if (data == NULL)
		return;
	rpc_event_queue(ctx, json_pack("{ss so sI}", "event", name, "data",
	    data, "uid", (json_int_t)uid));
}

void
rpc_audit_detail(struct rpc_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	free(ctx->audit_detail);
	ctx->audit_detail = xvasprintf(fmt, ap);
	va_end(ap);
	ctx->audit.detail = ctx->audit_detail;
}

int
rpc_audit(struct rpc_ctx *ctx, const struct audit_rec *rec,
    struct rpc_err *err)
{
	struct audit_rec	 via;
	char			*detail = NULL;
	int			 rc;

	if (ctx->via != NULL) {
		via = *rec;
		detail = xasprintf("%s: %s", ctx->via, rec->detail != NULL ?
		    rec->detail : "");
		via.detail = detail;
		rec = &via;
	}
	if (ctx->in_write)
		rc = audit_append(ctx->d, &ctx->who, rec);
	else
		rc = audit_append_commit(ctx->d, &ctx->who, rec);
	free(detail);
	if (rc != 0) {
		rpc_error(err, PE_INTERNAL, "cannot write audit log");
		return (-1);
	}
	return (0);
}

void
rpc_audit_refusal(struct rpc_ctx *ctx, const struct audit_rec *rec)
{
	if (!ctx->in_write) {
		audit_append_commit(ctx->d, &ctx->who, rec);
		return;
	}
	/* Strings copied: the method's buffers are gone by the roll-back. */
	if (ctx->refusals == NULL)
		ctx->refusals = json_array();
	json_array_append_new(ctx->refusals, json_pack("{ss ss? sI sI ss? ss "
	    "ss?}", "action", rec->action, "object_type", rec->object_type,
	    "object_id", (json_int_t)rec->object_id, "contact_id",
	    (json_int_t)rec->contact_id, "purpose", rec->purpose, "result",
	    rec->result != NULL ? rec->result : "denied", "detail",
	    rec->detail));
}

/* The refusals a failed write kept, each in a transaction of its own. */
static void
rpc_refusals_write(struct rpc_ctx *ctx)
{
	struct audit_rec	 rec;
	json_t			*r;
	size_t			 i;

	json_array_foreach(ctx->refusals, i, r) {
		rec = (struct audit_rec){
			.action = json_string_value(json_object_get(r,
			    "action")),
			.object_type = json_string_value(json_object_get(r,
			    "object_type")),
			.object_id = json_integer_value(json_object_get(r,
			    "object_id")),
			.contact_id = json_integer_value(json_object_get(r,
			    "contact_id")),
			.purpose = json_string_value(json_object_get(r,
			    "purpose")),
			.result = json_string_value(json_object_get(r,
			    "result")),
			.detail = json_string_value(json_object_get(r,
			    "detail")),
		};
		if (audit_append_commit(ctx->d, &ctx->who, &rec) != 0)
			log_error("audit: cannot record a refusal (%s)",
			    rec.action);
	}
}

/*
 * The end of a write, shared by rpc_write and rpc_act: if ok, the record
 * and the commit; otherwise (or if either fails) the roll-back, the queued
 * events dropped and the kept refusals written. 0 committed, -1 with *err
 * set when the commit or the record failed.
 */
static int
rpc_write_end(struct rpc_ctx *ctx, int ok, struct rpc_err *err)
{
	struct store	*s = &ctx->d->store;
	char		*cause = NULL;

	/* Event hooks (issue 18): recorded with what raised them. */
	if (ok && hook_events(ctx->d, ctx->events) != 0) {
		rpc_error(err, PE_INTERNAL, "cannot record event hooks");
		ok = 0;
	}
	if (ok && ctx->audit.action != NULL &&
	    audit_append(ctx->d, &ctx->who, &ctx->audit) != 0) {
		rpc_error(err, PE_INTERNAL, "cannot write audit log");
		ok = 0;
	}
	if (!ok)
		store_rollback(s);
	else if (store_commit(s, &cause) != 0) {
		rpc_error(err, PE_INTERNAL, "%s", cause);
		free(cause);
		ok = 0;
	}
	ctx->in_write = 0;
	if (!ok) {
		json_decref(ctx->events);
		ctx->events = NULL;
		rpc_refusals_write(ctx);
	}
	return (ok ? 0 : -1);
}

/*
 * The one write path: begin, the method, its audit record, commit; the
 * roll-back if anything failed (the refusals it recorded are then written
 * on their own). The events stay queued only if the transaction committed.
 */
static json_t *
rpc_write(struct rpc_ctx *ctx, const struct rpc_method *m, json_t *params,
    struct rpc_err *err)
{
	struct store	*s = &ctx->d->store;
	json_t		*res;
	int		 rc;

	/* A damaged store still records who read what (store_set_damaged). */
	s->audit_only = (m->flags & RPC_READONLY) != 0;
	rc = store_begin(s);
	s->audit_only = 0;
	if (rc != 0)
		return (rpc_error(err, PE_INTERNAL, "database busy"));
	ctx->in_write = 1;
	res = m->fn(ctx, params, err);
	if (rpc_write_end(ctx, res != NULL, err) != 0 && res != NULL) {
		json_decref(res);
		res = NULL;
	}
	return (res);
}

static void
rpc_ctx_free(struct rpc_ctx *ctx)
{
	free(ctx->audit_detail);
	json_decref(ctx->refusals);
	json_decref(ctx->events);
}

int
rpc_act(struct daemon *d, const struct audit_who *who, const char *what,
    rpc_act_fn fn, void *arg, json_t **events)
{
	struct rpc_ctx		ctx;
	struct rpc_err		err = { NULL, NULL };
	int			rc;

	*events = NULL;
	memset(&ctx, 0, sizeof ctx);
	ctx.d = d;
	ctx.who = *who;
	ctx.method = what;
	if (store_begin(&d->store) != 0)
		return (-1);	/* store_begin logged why */
	ctx.in_write = 1;
	rc = fn(&ctx, arg, &err);
	rc = rpc_write_end(&ctx, rc == 0, &err);
	if (rc != 0) {
		if (err.message != NULL)
			log_error("%s: %s", what, err.message);
	} else {
		*events = ctx.events != NULL ? ctx.events : json_array();
		ctx.events = NULL;
	}
	free(err.message);
	rpc_ctx_free(&ctx);
	return (rc);
}

/* --- dispatch --- */

static json_t *
rpc_run(struct rpc_ctx *ctx, const char *method, json_t *params,
    struct rpc_err *err)
{
	const struct rpc_method	*m;
	struct daemon		*d = ctx->d;
	struct rpc_peer		*peer = ctx->peer;
	char			 detail[160];

	if ((m = rpc_find(method)) == NULL)
		return (rpc_error(err, PE_UNKNOWN_METHOD,
		    "unknown method '%.64s'",
		    method));
	if (m->role != RPC_ANYONE && !peer->hello)
		return (rpc_error(err, PE_HELLO_FIRST, "send hello first"));
	if (m->role != RPC_ANYONE && !ctx->is_agent && ctx->agent.id != 0)
		return (rpc_peer_refuse(ctx, method, err));
	if (m->role != RPC_ANYONE && !ctx->is_agent) {
		snprintf(detail, sizeof detail, "%.64s: not an agent", method);
		rpc_deny(ctx, detail);
		return (rpc_error(err, PE_NOT_AGENT,
		    "Unix user '%s' (uid %u) is "
		    "not an active agent of this inbox; an admin can add them "
		    "with: support-inbox agent add %s", peer->user,
		    (unsigned)peer->uid, peer->user));
	}
	if (m->role > RPC_AGENT && rpc_role_rank(ctx->agent.role) < m->role) {
		snprintf(detail, sizeof detail, "%.64s: needs %s", method,
		    rpc_role_name(m->role));
		rpc_deny(ctx, detail);
		return (rpc_error(err, PE_DENIED, "'%s' needs the %s role; you "
		    "are %s", method, rpc_role_name(m->role),
		    ctx->agent.role));
	}
	/* What a damaged store still answers: reads (each audited). */
	if (d->store.damaged && !(m->flags & RPC_READONLY))
		return (rpc_error(err, PE_STORE_DAMAGED, "store damaged (%s): "
		    "'%s' would write to it and is refused; %s",
		    d->store_damage != NULL ? d->store_damage : "see status",
		    method, DAEMON_RESTORE_HINT));
	if (m->flags & RPC_WRITE)
		return (rpc_write(ctx, m, params, err));
	return (m->fn(ctx, params, err));
}

json_t *
rpc_dispatch(struct daemon *d, struct rpc_peer *peer, const char *method,
    json_t *params, json_t **events, struct rpc_err *err)
{
	struct rpc_ctx	 ctx;
	json_t		*res;

	memset(&ctx, 0, sizeof ctx);
	ctx.d = d;
	ctx.peer = peer;
	ctx.method = method;
	ctx.is_agent = rpc_peer_agent(d, peer, &ctx.agent);
	ctx.who.agent_id = ctx.is_agent ? ctx.agent.id : 0;
	ctx.who.agent = peer->user;
	ctx.who.client = peer->client[0] != '\0' ? peer->client : NULL;
	res = rpc_run(&ctx, method, params, err);
	*events = ctx.events != NULL ? ctx.events : json_array();
	ctx.events = NULL;
	rpc_ctx_free(&ctx);
	/* The result is the method's own object; ctx was only lent to it. */
	/* cppcheck-suppress returnDanglingLifetime */
	return (res);
}
