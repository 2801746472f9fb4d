/*
 * agent.*: adding agents (Unix users of this host), listing them, turning
 * them off and on, removing them, their role; their team and capacity
 * (auto-assignment).
 */
#include <ctype.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assign.h"
#include "audit.h"
#include "clock.h"
#include "daemon.h"
#include "names.h"
#include "proto-names.h"
#include "rpc.h"
#include "utf8.h"

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

static bool
rpc_agent_is_role(const char *r)
{
	enum agent_role	role;

	return (names_role_from(r, &role) == 0);
}

static json_t *
rpc_agent_add(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*name, *role;
	struct passwd	 pw, *pwp = NULL;
	char		 pwbuf[4096], *cause = NULL;
	int64_t		 id;

	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0 ||
	    rpc_param_str(params, "role", 0, &role, 16, err) != 0)
		return (NULL);
	if (role == NULL)
		role = "agent";
	if (!rpc_valid_name(name))
		return (rpc_error(err, PE_INVALID, "'%s' is not a valid user "
		    "name", name));
	if (!rpc_agent_is_role(role))
		return (rpc_error(err, PE_INVALID, "role must be agent, "
		    "supervisor or admin, not '%s'", role));
	getpwnam_r(name, &pw, pwbuf, sizeof pwbuf, &pwp);
	if (pwp == NULL)
		return (rpc_error(err, PE_NOT_FOUND,
		    "no Unix user '%s' on this "
		    "host", name));
	/* The service account is not a person: never in "assign to". */
	if (pwp->pw_uid == geteuid())
		return (rpc_error(err, PE_INVALID, "'%s' is the account the "
		    "daemon runs as, not a person; add the people who answer: "
		    "support-inbox agent add LOGIN", name));
	if (store_agent_add(&ctx->d->store, pwp->pw_uid, name, role, &id,
	    &cause) != 0) {
		rpc_error(err, PE_CONFLICT, "%s", cause);
		free(cause);
		return (NULL);
	}
	ctx->audit = (struct audit_rec){ .action = "agent.add",
	    .object_type = "agent", .object_id = id, .detail = role,
	    .result = "ok" };
	return (json_pack("{sI ss ss sI}", "id", (json_int_t)id, "name", name,
	    "role", role, "uid", (json_int_t)pwp->pw_uid));
}

static json_t *
rpc_agent_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t	*all = json_object_get(params, "all");

	if (all != NULL && !json_is_boolean(all))
		return (rpc_error(err, PE_INVALID, "'all' is true or false"));
	return (store_agent_list_all(&ctx->d->store, json_is_true(all)));
}

/*
 * An agent is the Unix user it was added as: the same name and uid. A user
 * deleted, or given another uid, is not that agent any more.
 */
static int
rpc_agent_is_user(const struct store_agent *a, struct rpc_err *err)
{
	struct passwd	 pw, *pwp = NULL;
	char		 pwbuf[4096];

	getpwnam_r(a->name, &pw, pwbuf, sizeof pwbuf, &pwp);
	if (pwp == NULL) {
		rpc_error(err, PE_INVALID, "Unix user '%s' no longer exists; "
		    "remove the agent: support-inbox agent remove %s",
		    a->name, a->name);
		return (0);
	}
	if ((int64_t)pwp->pw_uid != a->uid) {
		rpc_error(err, PE_INVALID, "Unix user '%s' now has uid %u, not "
		    "uid %lld it was added with (a different person?); remove "
		    "the agent and add the user again: support-inbox agent "
		    "remove %s, then support-inbox agent add %s", a->name,
		    (unsigned)pwp->pw_uid, (long long)a->uid, a->name,
		    a->name);
		return (0);
	}
	return (1);
}

/*
 * A disabled or removed agent's open, pending and snoozed conversations go
 * back to the unassigned queue, or to the agent named by "to"; each one
 * audited and evented like conv.assign.
 */
static int
rpc_agent_handback(struct rpc_ctx *ctx, const struct store_agent *a,
    const struct store_agent *to, const char *why, size_t *n,
    struct rpc_err *err)
{
	struct audit_rec	 rec;
	json_t			*held, *v;
	char			 detail[200];
	size_t			 i;
	int64_t			 cid, contact;

	held = store_agent_held(&ctx->d->store, a->id);
	if (to != NULL)
		snprintf(detail, sizeof detail, "to '%s': '%s' %s", to->name,
		    a->name, why);
	else
		snprintf(detail, sizeof detail, "to the queue: '%s' %s",
		    a->name, why);
	json_array_foreach(held, i, v) {
		cid = json_integer_value(json_array_get(v, 0));
		contact = json_integer_value(json_array_get(v, 1));
		if (store_conv_set_assignee(&ctx->d->store, cid, to != NULL ?
		    to->id : 0) != 0) {
			json_decref(held);
			rpc_error(err, PE_INTERNAL, "cannot hand back "
			    "conversation %lld", (long long)cid);
			return (-1);
		}
		rec = (struct audit_rec){ .action = to != NULL ?
		    "conversation.assign" : "conversation.unassign",
		    .object_type = "conversation", .object_id = cid,
		    .contact_id = contact, .detail = detail, .result = "ok" };
		if (rpc_audit(ctx, &rec, err) != 0) {
			json_decref(held);
			return (-1);
		}
		rpc_event(ctx, PEV_ASSIGNMENT, json_pack("{sI so ss}",
		    "conversation", (json_int_t)cid, "assignee", to != NULL ?
		    json_string(to->name) : json_null(), "by",
		    ctx->agent.name));
	}
	*n = json_array_size(held);
	json_decref(held);
	if (*n > 0)
		assign_kick(ctx->d);
	return (0);
}

/* The "to" of agent.disable and agent.remove: NULL (the queue) or *to. */
static int
rpc_agent_to(struct rpc_ctx *ctx, json_t *params, const struct store_agent *a,
    struct store_agent *to, int *have, struct rpc_err *err)
{
	const char	*name;

	*have = 0;
	if (rpc_param_str(params, "to", 0, &name, 64, err) != 0)
		return (-1);
	if (name == NULL || strcmp(name, "none") == 0)
		return (0);
	if (rpc_lookup(store_agent_by_name(&ctx->d->store, name, to), err,
	    "no agent '%s' to hand the conversations to; see: support-inbox "
	    "agent list", name) != 0)
		return (-1);
	if (!to->active || to->removed || to->id == a->id) {
		rpc_error(err, PE_INVALID, "'%s' cannot take %s's "
		    "conversations (%s); name an active agent (support-inbox "
		    "agent list) or give them to the queue", name, a->name,
		    to->id == a->id ? "the same agent" : to->removed ?
		    "removed" : "disabled");
		return (-1);
	}
	*have = 1;
	return (0);
}

/*
 * agent.disable, agent.enable, agent.role share the lookup and audit; a
 * disabled agent's conversations are handed back (rpc_agent_handback).
 */
static json_t *
rpc_agent_change(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char		*name, *role = NULL;
	struct store_agent	 a, to;
	int			 active = -1, have_to = 0;
	size_t			 n = 0;
	json_t			*res;

	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0)
		return (NULL);
	if (strcmp(ctx->method, PM_AGENT_ROLE) == 0) {
		if (rpc_param_str(params, "role", 1, &role, 16, err) != 0)
			return (NULL);
		if (!rpc_agent_is_role(role))
			return (rpc_error(err, PE_INVALID,
			    "role must be agent, "
			    "supervisor or admin, not '%s'", role));
	} else
		active = strcmp(ctx->method, PM_AGENT_ENABLE) == 0;
	if (rpc_lookup(store_agent_by_name(&ctx->d->store, name, &a), err,
	    "no agent '%s'", name) != 0)
		return (NULL);
	if (a.removed)
		return (rpc_error(err, PE_INVALID, "agent '%s' was removed; to "
		    "let the user in again: support-inbox agent add %s",
		    name, name));
	if (a.id == ctx->agent.id && (active == 0 || (role != NULL &&
	    strcmp(role, "admin") != 0)))
		return (rpc_error(err, PE_INVALID, "you cannot disable or "
		    "demote yourself; ask another admin"));
	if (active == 1 && !rpc_agent_is_user(&a, err))
		return (NULL);
	if (active == 0 && rpc_agent_to(ctx, params, &a, &to, &have_to,
	    err) != 0)
		return (NULL);
	if (store_agent_set(&ctx->d->store, a.id, role, active) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot change agent"));
	if (active == 0 && rpc_agent_handback(ctx, &a, have_to ? &to : NULL,
	    "disabled", &n, err) != 0)
		return (NULL);
	ctx->audit = (struct audit_rec){ .action = ctx->method,
	    .object_type = "agent", .object_id = a.id, .detail = role,
	    .result = "ok" };
	if (active == 0)
		rpc_audit_detail(ctx, "%zu conversation%s to %s%s%s", n,
		    n == 1 ? "" : "s", have_to ? "'" : "the queue",
		    have_to ? to.name : "", have_to ? "'" : "");
	store_agent_by_name(&ctx->d->store, name, &a);
	res = json_pack("{sI ss ss sb}", "id", (json_int_t)a.id, "name",
	    a.name, "role", a.role, "active", a.active);
	if (active == 0)
		json_object_set_new(res, "handed_back", json_integer(
		    (json_int_t)n));
	return (res);
}

/*
 * agent.remove: for good (someone left). The row stays for the audit trail
 * with its uid freed; the conversations are handed back as by disable.
 */
static json_t *
rpc_agent_remove(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char		*name;
	struct store_agent	 a, to;
	int			 have_to;
	size_t			 n = 0;

	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0)
		return (NULL);
	if (rpc_lookup(store_agent_by_name(&ctx->d->store, name, &a), err,
	    "no agent '%s'; see: support-inbox agent list --all", name) != 0)
		return (NULL);
	if (a.removed)
		return (rpc_error(err, PE_INVALID, "agent '%s' is already "
		    "removed; nothing changed", name));
	if (a.id == ctx->agent.id)
		return (rpc_error(err, PE_INVALID, "you cannot remove "
		    "yourself; ask another admin"));
	if (rpc_agent_to(ctx, params, &a, &to, &have_to, err) != 0)
		return (NULL);
	if (store_agent_remove(&ctx->d->store, a.id) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot remove agent"));
	if (rpc_agent_handback(ctx, &a, have_to ? &to : NULL, "removed", &n,
	    err) != 0)
		return (NULL);
	ctx->audit = (struct audit_rec){ .action = "agent.remove",
	    .object_type = "agent", .object_id = a.id, .result = "ok" };
	rpc_audit_detail(ctx, "%zu conversation%s to %s%s%s", n,
	    n == 1 ? "" : "s", have_to ? "'" : "the queue",
	    have_to ? to.name : "", have_to ? "'" : "");
	return (json_pack("{sI ss sb sI so}", "id", (json_int_t)a.id,
	    "name", a.name, "removed", 1, "handed_back", (json_int_t)n,
	    "to", have_to ? json_string(to.name) : json_null()));
}

int
rpc_agent_team_param(json_t *params, const char **team, struct rpc_err *err)
{
	if (rpc_param_str(params, "team", 0, team, 64, err) != 0)
		return (-1);
	if (*team != NULL && (strcmp(*team, "none") == 0 || **team == '\0'))
		*team = NULL;
	if (*team != NULL && !rpc_label_valid_name(*team)) {
		rpc_error(err, PE_INVALID, "'%s' is not a valid team name",
		    *team);
		return (-1);
	}
	return (0);
}

/*
 * agent.team, agent.capacity: what auto-assignment hands an agent. The
 * next pass (assign_kick: a zero-delay timer, so it runs from the event
 * loop after the commit) applies the change.
 */
static json_t *
rpc_agent_inbox(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char		*name, *team = NULL;
	int64_t			 cap = 0;
	struct store_agent	 a;
	int			 r, is_team;

	is_team = strcmp(ctx->method, PM_AGENT_TEAM) == 0;
	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0)
		return (NULL);
	if (is_team) {
		if (rpc_agent_team_param(params, &team, err) != 0)
			return (NULL);
	} else if (rpc_param_int(params, "capacity", 1, &cap, 0, 1000,
	    err) != 0)
		return (NULL);
	if (rpc_lookup(store_agent_by_name(&ctx->d->store, name, &a), err,
	    "no agent '%s'", name) != 0)
		return (NULL);
	r = is_team ? store_agent_set_team(&ctx->d->store, a.id, team) :
	    store_agent_set_capacity(&ctx->d->store, a.id, (int)cap);
	if (r != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot change agent"));
	ctx->audit = (struct audit_rec){ .action = ctx->method,
	    .object_type = "agent", .object_id = a.id,
	    .detail = team != NULL ? team : "none", .result = "ok" };
	if (!is_team)
		rpc_audit_detail(ctx, "%lld", (long long)cap);
	assign_kick(ctx->d);
	return (json_pack("{ss ss}", "name", a.name, is_team ? "team" :
	    "capacity", ctx->audit.detail));
}

/*
 * A display name customers may read ("Maya K."): 1 to 64 bytes of valid
 * UTF-8 with no control or bidi characters (they would reach the
 * customer's screen and the agents' terminals).
 */
static int
rpc_agent_display_valid(const char *s)
{
	size_t		len = strlen(s), off = 0, n;
	uint32_t	cp;

	if (len == 0 || len > 64)
		return (0);
	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if ((cp == 0xfffd && n < 3) || cp < 0x20 || (cp >= 0x7f &&
		    cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
		    cp == 0x2029)
			return (0);
		off += n;
	}
	/* Not only spaces: the name must show. */
	return (strspn(s, " ") != len);
}

/*
 * agent.name: the name used in replies instead of the Unix login. Agents
 * set their own; an admin anyone's.
 */
static json_t *
rpc_agent_name(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char		*name, *display;
	struct store_agent	 a;
	struct audit_rec	 rec;

	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0 ||
	    rpc_param_str(params, "display", 1, &display, 256, err) != 0)
		return (NULL);
	if (*display != '\0' && !rpc_agent_display_valid(display))
		return (rpc_error(err, PE_INVALID, "a display name is 1 to 64 "
		    "bytes of UTF-8 text without control characters "
		    "(empty: use the login)"));
	if (rpc_lookup(store_agent_by_name(&ctx->d->store, name, &a), err,
	    "no agent '%s'", name) != 0)
		return (NULL);
	if (a.id != ctx->agent.id && strcmp(ctx->agent.role, "admin") != 0) {
		rec = (struct audit_rec){ .action = "agent.name",
		    .object_type = "agent", .object_id = a.id,
		    .detail = "another agent's name needs the admin role",
		    .result = "refused" };
		rpc_audit_refusal(ctx, &rec);
		return (rpc_error(err, PE_DENIED, "you may set your own "
		    "display name; another agent's needs the admin role"));
	}
	if (store_agent_set_display(&ctx->d->store, a.id, *display != '\0' ?
	    display : NULL) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot change agent"));
	ctx->audit = (struct audit_rec){ .action = "agent.name",
	    .object_type = "agent", .object_id = a.id, .detail = *display !=
	    '\0' ? "set" : "cleared", .result = "ok" };
	return (json_pack("{ss ss}", "name", a.name, "display_name",
	    *display != '\0' ? display : a.name));
}

/*
 * agent.away: an agent says they are away (a break, a meeting) or
 * available again. Away, auto-assignment passes them by and the floor
 * says "away"; what they have stays theirs, and anyone may still assign
 * them by hand. Set your own; a supervisor anyone's (someone who left
 * without saying). Kept across connections and restarts until available.
 */
static json_t *
rpc_agent_away(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char		*name = NULL;
	struct store_agent	 a;
	struct audit_rec	 rec;
	int			 away;
	int64_t			 since;
	json_t			*on = json_object_get(params, "away");

	if (!json_is_boolean(on))
		return (rpc_error(err, PE_INVALID, "parameter 'away' must be "
		    "true or false"));
	away = json_is_true(on);
	if (rpc_param_str(params, "name", 0, &name, 64, err) != 0)
		return (NULL);
	if (name == NULL)
		a = ctx->agent;
	else if (rpc_lookup(store_agent_by_name(&ctx->d->store, name, &a),
	    err, "no agent '%s'", name) != 0)
		return (NULL);
	if (a.id != ctx->agent.id && strcmp(ctx->agent.role, "agent") == 0) {
		rec = (struct audit_rec){ .action = PM_AGENT_AWAY,
		    .object_type = "agent", .object_id = a.id,
		    .detail = "another agent's needs the supervisor role",
		    .result = "refused" };
		rpc_audit_refusal(ctx, &rec);
		return (rpc_error(err, PE_DENIED, "you may say you are away or "
		    "available; another agent's needs the supervisor role"));
	}
	/* Away again keeps since when: the floor's figure stays true. */
	since = !away ? 0 : a.away != 0 ? a.away : clock_now();
	if (store_agent_set_away(&ctx->d->store, a.id, since) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot change agent"));
	ctx->audit = (struct audit_rec){ .action = PM_AGENT_AWAY,
	    .object_type = "agent", .object_id = a.id,
	    .detail = away ? "away" : "available", .result = "ok" };
	if (a.id != ctx->agent.id)
		rpc_audit_detail(ctx, "%s (set by '%s')", away ? "away" :
		    "available", ctx->agent.name);
	rpc_event(ctx, PEV_AGENT_AWAY, json_pack("{ss sb sI ss}", "agent",
	    a.name, "away", away, "since", (json_int_t)since, "by",
	    ctx->agent.name));
	if (!away)
		assign_kick(ctx->d);	/* room again for auto-assignment */
	return (json_pack("{ss sb sI}", "name", a.name, "away", away, "since",
	    (json_int_t)since));
}

const struct rpc_method rpc_agent_methods[] = {
	{ PM_AGENT_ADD,		RPC_ADMIN,	RPC_WRITE,	rpc_agent_add },
	{ PM_AGENT_LIST,	RPC_AGENT,	RPC_READONLY,
	    rpc_agent_list },
	{ PM_AGENT_DISABLE,	RPC_ADMIN,	RPC_WRITE,
	    rpc_agent_change },
	{ PM_AGENT_ENABLE,	RPC_ADMIN,	RPC_WRITE,
	    rpc_agent_change },
	{ PM_AGENT_ROLE,	RPC_ADMIN,	RPC_WRITE,
	    rpc_agent_change },
	{ PM_AGENT_TEAM,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_agent_inbox },
	{ PM_AGENT_CAPACITY,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_agent_inbox },
	{ PM_AGENT_NAME,	RPC_AGENT,	RPC_WRITE,	rpc_agent_name },
	{ PM_AGENT_AWAY,	RPC_AGENT,	RPC_WRITE,	rpc_agent_away },
	{ PM_AGENT_REMOVE,	RPC_ADMIN,	RPC_WRITE,
	    rpc_agent_remove },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
