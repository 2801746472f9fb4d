/*
 * Dispatch and the base methods (hello, status, agents, audit). Every method
 * runs with the caller's identity from SO_PEERCRED mapped to an agent row;
 * a refusal is audited like any other action.
 */
#include <ctype.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "audit.h"
#include "daemon.h"
#include "log.h"
#include "outbox.h"
#include "proto.h"
#include "rpc.h"
#include "server.h"
#include "xmalloc.h"

#ifndef SI_VERSION
#define SI_VERSION "0.1.0"
#endif

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
rpc_param_str(json_t *params, const char *key, int required,
    const char **out, size_t maxlen, struct rpc_err *err)
{
	json_t	*v = json_object_get(params, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required) {
			rpc_error(err, "invalid", "missing parameter '%s'", key);
			return (-1);
		}
		return (0);
	}
	if (!json_is_string(v)) {
		rpc_error(err, "invalid", "parameter '%s' must be a string",
		    key);
		return (-1);
	}
	if (json_string_length(v) > maxlen) {
		rpc_error(err, "invalid", "parameter '%s' is longer than %zu "
		    "bytes", key, maxlen);
		return (-1);
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		rpc_error(err, "invalid", "parameter '%s' contains a NUL byte",
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
			rpc_error(err, "invalid", "missing parameter '%s'", key);
			return (-1);
		}
		return (0);
	}
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		rpc_error(err, "invalid", "parameter '%s' must be an integer "
		    "from %lld to %lld", key, (long long)min, (long long)max);
		return (-1);
	}
	*out = json_integer_value(v);
	return (0);
}

static int
rpc_role_rank(const char *role)
{
	if (strcmp(role, "admin") == 0)
		return (RPC_ADMIN);
	if (strcmp(role, "supervisor") == 0)
		return (RPC_SUPERVISOR);
	return (RPC_AGENT);
}

static const char *rpc_role_names[] = { "anyone", "agent", "supervisor",
    "admin" };

/* --- the assignment policy --- */

int
rpc_may_act(struct rpc_ctx *ctx, const struct store_conv_info *ci,
    json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec = { "conversation.override",
				    "conversation", ci->id, ci->contact_id,
				    NULL, "ok", NULL };
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
		audit_append_commit(ctx->d, &ctx->who, &rec);
		rpc_error(err, "denied", "conversation %lld is assigned to "
		    "'%s'; agents act on their own and unassigned "
		    "conversations%s ([inbox] agents_act_on); force it "
		    "(--force) to act anyway, which is audited",
		    (long long)ci->id, ci->assignee, policy == CONF_ACT_TEAM ?
		    " and their team's" : "");
		return (-1);
	}
	if (audit_append_commit(ctx->d, &ctx->who, &rec) != 0) {
		rpc_error(err, "internal", "cannot write audit log");
		return (-1);
	}
	return (0);
}

/* --- base methods --- */

/* Printable ASCII only, bounded: this lands in the audit log. */
static void
rpc_clean(char *dst, size_t dstsz, const char *src)
{
	size_t	n = 0;

	for (; src != NULL && *src != '\0' && n + 1 < dstsz; src++)
		dst[n++] = isprint((unsigned char)*src) ? *src : '?';
	dst[n] = '\0';
}

static json_t *
rpc_hello(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t		 version;
	const char	*tty, *ssh;
	char		 ctty[64], cssh[128];

	if (rpc_param_int(params, "version", 1, &version, 0, 1000000,
	    err) != 0)
		return (NULL);
	if (version != PROTO_VERSION)
		return (rpc_error(err, "version", "client speaks protocol %lld, "
		    "daemon speaks %d; use matching versions of support-inbox "
		    "and support-inboxd", (long long)version, PROTO_VERSION));
	if (rpc_param_str(params, "tty", 0, &tty, 64, err) != 0 ||
	    rpc_param_str(params, "ssh", 0, &ssh, 128, err) != 0)
		return (NULL);
	rpc_clean(ctty, sizeof ctty, tty != NULL ? tty : "-");
	rpc_clean(cssh, sizeof cssh, ssh);
	snprintf(ctx->peer->client, sizeof ctx->peer->client,
	    "pid=%ld tty=%s%s%s%s", (long)ctx->peer->pid, ctty,
	    ssh != NULL ? " ssh=" : "", ssh != NULL ? cssh : "",
	    ssh != NULL ? " (reported)" : "");
	ctx->peer->hello = 1;
	return (json_pack("{si ss ss sb ss}", "version", PROTO_VERSION,
	    "daemon", SI_VERSION, "user", ctx->peer->user,
	    "agent", ctx->is_agent,
	    "role", ctx->is_agent ? ctx->agent.role : "none"));
}

static json_t *
rpc_status(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct daemon	*d = ctx->d;
	json_t		*j, *wh, *alarms;

	(void)params; (void)err;
	j = json_object();
	json_object_set_new(j, "version", json_string(SI_VERSION));
	json_object_set_new(j, "protocol", json_integer(PROTO_VERSION));
	json_object_set_new(j, "schema_version",
	    json_integer(store_schema_version(&d->store)));
	json_object_set_new(j, "uptime", json_integer((json_int_t)(time(NULL) -
	    d->started)));
	json_object_set_new(j, "clients",
	    json_integer((json_int_t)server_clients(d->server)));
	/* Who asks, and for which number: the client's top bar. */
	if (ctx->is_agent)
		json_object_set_new(j, "me", json_pack("{ss ss so}", "name",
		    ctx->agent.name, "role", ctx->agent.role, "team",
		    ctx->agent.team[0] != '\0' ?
		    json_string(ctx->agent.team) : json_null()));
	json_object_set_new(j, "number", d->display_number != NULL ?
	    json_string(d->display_number) : json_null());
	json_object_set_new(j, "subscribers",
	    json_integer((json_int_t)server_subscribers(d->server)));
	json_object_set_new(j, "counts", store_stats(&d->store));
	wh = json_object();
	json_object_set_new(wh, "enabled",
	    json_boolean(d->webhook != NULL));
	json_object_set_new(wh, "accepted", json_integer(
	    (json_int_t)d->wh_accepted));
	json_object_set_new(wh, "bad_signature", json_integer(
	    (json_int_t)d->wh_bad_sig));
	json_object_set_new(wh, "rejected", json_integer(
	    (json_int_t)d->wh_rejected));
	json_object_set_new(wh, "db_errors", json_integer(
	    (json_int_t)d->wh_db_errors));
	json_object_set_new(wh, "busy", json_integer(
	    (json_int_t)d->wh_busy));
	json_object_set_new(wh, "batches", json_integer(
	    (json_int_t)d->wh_batches));
	json_object_set_new(wh, "events", json_integer(
	    (json_int_t)d->wh_events));
	json_object_set_new(wh, "duplicates", json_integer(
	    (json_int_t)d->wh_duplicates));
	json_object_set_new(j, "webhook", wh);
	json_object_set_new(j, "search", store_search_stats(&d->store));
	json_object_set_new(j, "alerts", store_alerts_recent(&d->store, 20));
	alarms = outbox_alarms(d->outbox);
	if (d->store.damaged)
		json_array_append_new(alarms, json_pack("{ss ss ss}", "kind",
		    "store", "message", d->store_damage != NULL ?
		    d->store_damage : "store damaged", "fix",
		    "writes are refused; " DAEMON_RESTORE_HINT));
	json_object_set_new(j, "alarms", alarms);
	if (d->store_check != NULL)
		json_object_set_new(j, "store_check",
		    json_string(d->store_check));
	if (d->outbox != NULL)
		json_object_set_new(j, "outbox", outbox_stats(d->outbox));
	return (j);
}

static json_t *
rpc_subscribe(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	ctx->peer->subscribed = 1;
	return (json_pack("{sb}", "subscribed", 1));
}

static int
rpc_valid_name(const char *s)
{
	size_t	i;

	if (s[0] == '\0' || strlen(s) > 32)
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.')
			return (0);
	}
	return (1);
}

static int
rpc_valid_role(const char *r)
{
	return (strcmp(r, "agent") == 0 || strcmp(r, "supervisor") == 0 ||
	    strcmp(r, "admin") == 0);
}

int
rpc_commit(struct rpc_ctx *ctx, struct rpc_err *err)
{
	char	*cause = NULL;

	if (store_commit(&ctx->d->store, &cause) != 0) {
		rpc_error(err, "internal", "%s", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

static json_t *
rpc_agent_add(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*name, *role;
	struct passwd	 pw, *pwp = NULL;
	char		 pwbuf[4096], *cause = NULL;
	int64_t		 id;
	struct audit_rec rec = { "agent.add", "agent", 0, 0, NULL, "ok",
			    NULL };

	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0 ||
	    rpc_param_str(params, "role", 0, &role, 16, err) != 0)
		return (NULL);
	if (role == NULL)
		role = "agent";
	if (!rpc_valid_name(name))
		return (rpc_error(err, "invalid", "'%s' is not a valid user "
		    "name", name));
	if (!rpc_valid_role(role))
		return (rpc_error(err, "invalid", "role must be agent, "
		    "supervisor or admin, not '%s'", role));
	getpwnam_r(name, &pw, pwbuf, sizeof pwbuf, &pwp);
	if (pwp == NULL)
		return (rpc_error(err, "not_found", "no Unix user '%s' on this "
		    "host", name));
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	if (store_agent_add(&ctx->d->store, pwp->pw_uid, name, role, &id,
	    &cause) != 0) {
		store_rollback(&ctx->d->store);
		rpc_error(err, "conflict", "%s", cause);
		free(cause);
		return (NULL);
	}
	rec.object_id = id;
	rec.detail = role;
	if (audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	return (json_pack("{sI ss ss sI}", "id", (json_int_t)id, "name", name,
	    "role", role, "uid", (json_int_t)pwp->pw_uid));
}

static json_t *
rpc_agent_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	return (store_agent_list(&ctx->d->store));
}

/* agent.disable, agent.enable, agent.role share the lookup and audit. */
static json_t *
rpc_agent_change(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char		*name, *role = NULL;
	struct store_agent	 a;
	int			 active = -1;
	struct audit_rec	 rec = { NULL, "agent", 0, 0, NULL, "ok",
				    NULL };

	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0)
		return (NULL);
	if (strcmp(ctx->method, "agent.role") == 0) {
		if (rpc_param_str(params, "role", 1, &role, 16, err) != 0)
			return (NULL);
		if (!rpc_valid_role(role))
			return (rpc_error(err, "invalid", "role must be agent, "
			    "supervisor or admin, not '%s'", role));
	} else
		active = strcmp(ctx->method, "agent.enable") == 0;
	if (store_agent_by_name(&ctx->d->store, name, &a) != 0)
		return (rpc_error(err, "not_found", "no agent '%s'", name));
	if (a.id == ctx->agent.id && (active == 0 || (role != NULL &&
	    strcmp(role, "admin") != 0)))
		return (rpc_error(err, "invalid", "you cannot disable or "
		    "demote yourself; ask another admin"));
	rec.action = ctx->method;
	rec.object_id = a.id;
	rec.detail = role;
	if (store_begin(&ctx->d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	if (store_agent_set(&ctx->d->store, a.id, role, active) != 0 ||
	    audit_append(ctx->d, &ctx->who, &rec) != 0) {
		store_rollback(&ctx->d->store);
		return (rpc_error(err, "internal", "cannot change agent"));
	}
	if (rpc_commit(ctx, err) != 0)
		return (NULL);
	store_agent_by_name(&ctx->d->store, name, &a);
	return (json_pack("{sI ss ss sb}", "id", (json_int_t)a.id, "name",
	    a.name, "role", a.role, "active", a.active));
}

static json_t *
rpc_audit_verify(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec = { "audit.verify", NULL, 0, 0, NULL, "ok",
				    NULL };
	json_t			*res;
	const char		*copy, *name;

	/* The text of an off-host copy of the checkpoint file, if given. */
	if (rpc_param_str(params, "against", 0, &copy, PROTO_FRAME_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "against_name", 0, &name, 256, err) != 0)
		return (NULL);
	res = audit_verify(ctx->d, copy, name);
	rec.result = json_is_true(json_object_get(res, "ok")) ? "ok" :
	    "failed";
	if (audit_append_commit(ctx->d, &ctx->who, &rec) != 0) {
		json_decref(res);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	return (res);
}

/* Admin: as SIGHUP (reload.c); audited with what changed, no secrets. */
static json_t *
rpc_daemon_reload(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec = { "daemon.reload", NULL, 0, 0, NULL,
				    "ok", NULL };
	json_t			*changed = NULL, *v;
	char			*cause = NULL, detail[512];
	size_t			 i, n = 0;

	(void)params;
	detail[0] = '\0';
	if (daemon_reload(ctx->d, &changed, &cause) != 0) {
		rec.result = "failed";
		snprintf(detail, sizeof detail, "%s", cause);
	} else {
		json_array_foreach(changed, i, v) {
			n += (size_t)snprintf(detail + n, n < sizeof detail ?
			    sizeof detail - n : 0, "%s%s", i > 0 ? ", " : "",
			    json_string_value(v));
		}
	}
	rec.detail = detail[0] != '\0' ? detail : "nothing changed";
	if (audit_append_commit(ctx->d, &ctx->who, &rec) != 0) {
		free(cause);
		json_decref(changed);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	if (cause != NULL) {
		rpc_error(err, "invalid", "reload failed, the running "
		    "configuration is kept: %s", cause);
		free(cause);
		return (NULL);
	}
	return (json_pack("{so}", "changed", changed));
}

const struct rpc_method rpc_base_methods[] = {
	{ "hello",		RPC_ANYONE,	rpc_hello },
	{ "status",		RPC_AGENT,	rpc_status },
	{ "subscribe",		RPC_AGENT,	rpc_subscribe },
	{ "agent.add",		RPC_ADMIN,	rpc_agent_add },
	{ "agent.list",		RPC_AGENT,	rpc_agent_list },
	{ "agent.disable",	RPC_ADMIN,	rpc_agent_change },
	{ "agent.enable",	RPC_ADMIN,	rpc_agent_change },
	{ "agent.role",		RPC_ADMIN,	rpc_agent_change },
	{ "audit.verify",	RPC_SUPERVISOR,	rpc_audit_verify },
	{ "daemon.reload",	RPC_ADMIN,	rpc_daemon_reload },
	{ NULL,			RPC_ANYONE,	NULL }
};

/* Every method set; meta.methods lists them all. */
const struct rpc_method *const rpc_sets[] = { rpc_base_methods,
    rpc_conv_methods, rpc_inbox_methods, rpc_send_methods,
    rpc_privacy_methods, rpc_audit_methods_tbl, rpc_media_methods, NULL };

/*
 * What a damaged store still answers: reads (each audited) and the admin's
 * reload. Everything else would write to it.
 */
static const char *rpc_read_methods[] = { "hello", "status", "subscribe",
    "meta.methods", "agent.list", "audit.verify", "audit.show",
    "audit.export", "conv.list", "conv.counts", "conv.show", "conv.newer",
    "note.list", "mention.list", "label.list", "canned.list",
    "canned.render", "search", "search.stats", "presence.get",
    "presence.set", "outbox.list", "templates.list", "contact.show",
    "contact.reveal", "consent.show", "privacy.export",
    "privacy.access_report", "media.get", "daemon.reload", NULL };

static int
rpc_reads_only(const char *method)
{
	size_t	i;

	for (i = 0; rpc_read_methods[i] != NULL; i++) {
		if (strcmp(rpc_read_methods[i], method) == 0)
			return (1);
	}
	return (0);
}

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

void
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

static void
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

json_t *
rpc_dispatch(struct daemon *d, struct rpc_peer *peer, const char *method,
    json_t *params, struct rpc_err *err)
{
	const struct rpc_method	*m;
	struct rpc_ctx		 ctx;
	char			 detail[160];

	memset(&ctx, 0, sizeof ctx);
	ctx.d = d;
	ctx.peer = peer;
	ctx.method = method;
	if (store_agent_by_uid(&d->store, peer->uid, &ctx.agent) == 0 &&
	    ctx.agent.active)
		ctx.is_agent = 1;
	ctx.who.agent_id = ctx.is_agent ? ctx.agent.id : 0;
	ctx.who.agent = peer->user;
	ctx.who.client = peer->client[0] != '\0' ? peer->client : NULL;

	if ((m = rpc_find(method)) == NULL)
		return (rpc_error(err, "unknown_method", "unknown method '%.64s'",
		    method));
	if (m->role != RPC_ANYONE && !peer->hello)
		return (rpc_error(err, "hello_first", "send hello first"));
	if (m->role != RPC_ANYONE && !ctx.is_agent) {
		snprintf(detail, sizeof detail, "%.64s: not an agent", method);
		rpc_deny(&ctx, detail);
		return (rpc_error(err, "not_agent", "Unix user '%s' (uid %u) is "
		    "not an active agent of this inbox; an admin can add them "
		    "with: support-inbox agent add %s", peer->user,
		    (unsigned)peer->uid, peer->user));
	}
	if (m->role > RPC_AGENT && rpc_role_rank(ctx.agent.role) <
	    (int)m->role) {
		snprintf(detail, sizeof detail, "%.64s: needs %s", method,
		    rpc_role_names[m->role]);
		rpc_deny(&ctx, detail);
		return (rpc_error(err, "denied", "'%s' needs the %s role; you "
		    "are %s", method, rpc_role_names[m->role],
		    ctx.agent.role));
	}
	if (d->store.damaged && !rpc_reads_only(method))
		return (rpc_error(err, "store_damaged", "store damaged (%s): "
		    "'%s' would write to it and is refused; %s",
		    d->store_damage != NULL ? d->store_damage : "see status",
		    method, DAEMON_RESTORE_HINT));
	/* The result is the method's own object; ctx is only lent to it. */
	/* cppcheck-suppress returnDanglingLifetime */
	return (m->fn(&ctx, params, err));
}
