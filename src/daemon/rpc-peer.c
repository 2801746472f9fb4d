/*
 * The peers connected to the agents' socket, as the methods see them: the
 * server joins each client's peer on connect and makes it leave when the
 * client is dropped, so presence, status and auto-assignment can walk the
 * peers without calling into the server (which calls the dispatcher).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "proto-names.h"
#include "rpc.h"

/*
 * Root and the user the daemon runs as can read the data directory anyway;
 * they may see counts and alarms (daemon.status) without an agent row.
 */
int
rpc_peer_is_operator(const struct rpc_peer *p)
{
	return (p->uid == 0 || p->uid == geteuid());
}

void
rpc_peer_join(struct daemon *d, struct rpc_peer *p)
{
	if (p->joined)
		return;
	LIST_INSERT_HEAD(&d->peers, p, entry);
	p->joined = 1;
}

void
rpc_peer_leave(struct daemon *d, struct rpc_peer *p)
{
	rpc_conv_access_end(d, p, "connection ended");
	if (!p->joined)
		return;
	LIST_REMOVE(p, entry);
	p->joined = 0;
}

void
rpc_peer_each(struct daemon *d, void (*fn)(struct rpc_peer *, void *),
    void *arg)
{
	struct rpc_peer	*p, *next;

	/* fn may not make a peer leave; the next one is taken first anyway. */
	for (p = LIST_FIRST(&d->peers); p != NULL; p = next) {
		next = LIST_NEXT(p, entry);
		fn(p, arg);
	}
}

size_t
rpc_peer_count(struct daemon *d, int subscribed)
{
	const struct rpc_peer	*p;
	size_t			 n = 0;

	for (p = LIST_FIRST(&d->peers); p != NULL; p = LIST_NEXT(p, entry)) {
		if (!subscribed || p->subscribed == 1)
			n++;
	}
	return (n);
}

/*
 * The kernel gives the uid; the agent row was added for a user name and
 * that uid. A uid freed by userdel and given to someone else is not the
 * agent: the name the uid has now must be the one the agent was added as.
 */
int
rpc_peer_agent(struct daemon *d, struct rpc_peer *p, struct store_agent *a)
{
	memset(a, 0, sizeof *a);
	if (store_agent_by_uid(&d->store, p->uid, a) != STORE_FOUND) {
		memset(a, 0, sizeof *a);
		return (0);
	}
	return (a->active && strcmp(a->name, p->user) == 0);
}

json_t *
rpc_peer_refuse(struct rpc_ctx *ctx, const char *method, struct rpc_err *err)
{
	struct rpc_peer		*p = ctx->peer;
	const struct store_agent *a = &ctx->agent;
	char			 detail[160];

	if (strcmp(a->name, p->user) != 0) {
		snprintf(detail, sizeof detail, "%.32s: uid %u is agent "
		    "'%.32s' but now user '%.32s'", method, (unsigned)p->uid,
		    a->name, p->user);
		rpc_deny(ctx, detail);
		log_warn("uid %u: agent '%s' was added for this uid, which is "
		    "now user '%s'; refused", (unsigned)p->uid, a->name,
		    p->user);
		return (rpc_error(err, PE_NOT_AGENT, "uid %u was agent '%s' "
		    "but is now Unix user '%s' (a reused uid): refused; an "
		    "admin can remove the old agent and add the new user: "
		    "support-inbox agent remove %s, then support-inbox agent "
		    "add %s", (unsigned)p->uid, a->name, p->user, a->name,
		    p->user));
	}
	snprintf(detail, sizeof detail, "%.64s: agent disabled", method);
	rpc_deny(ctx, detail);
	return (rpc_error(err, PE_NOT_AGENT, "Unix user '%s' is not an active "
	    "agent of this inbox: agent '%s' is disabled; an admin can enable "
	    "it with: support-inbox agent enable %s", p->user, a->name,
	    a->name));
}
