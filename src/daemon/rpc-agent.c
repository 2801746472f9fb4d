/*
 * agent.*: adding agents (Unix users of this host), listing them, turning
 * them off and on, their role; their team and capacity (auto-assignment).
 */
#include <ctype.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "audit.h"
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
	if (a.id == ctx->agent.id && (active == 0 || (role != NULL &&
	    strcmp(role, "admin") != 0)))
		return (rpc_error(err, PE_INVALID, "you cannot disable or "
		    "demote yourself; ask another admin"));
	if (store_agent_set(&ctx->d->store, a.id, role, active) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot change agent"));
	ctx->audit = (struct audit_rec){ .action = ctx->method,
	    .object_type = "agent", .object_id = a.id, .detail = role,
	    .result = "ok" };
	store_agent_by_name(&ctx->d->store, name, &a);
	return (json_pack("{sI ss ss sb}", "id", (json_int_t)a.id, "name",
	    a.name, "role", a.role, "active", a.active));
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
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
