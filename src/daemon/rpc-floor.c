/*
 * floor.get (issue 19, point 2): what a team lead sees at a glance on the
 * floor view. Counts, waits, breaches and windows per team and queue
 * (store-floor.c), the agents with their load against capacity and whether
 * their client is connected (the peers, rpc-peer.c), and the outbox's
 * backlog and failures by Meta's reason. Aggregates and agents' names
 * only, nothing of a customer: like conv.counts it reads no personal data
 * and writes no audit record.
 */
#include <string.h>

#include "clock.h"
#include "daemon.h"
#include "meta-errors.h"
#include "outbox.h"
#include "proto-names.h"
#include "proto.h"
#include "rpc.h"
#include "store.h"
#include "window.h"

#define RPC_FLOOR_FAILED_SECS	(24 * 3600)	/* failures looked back on */

/* What the connected clients of one agent say about them. */
struct rpc_floor_seen {
	int64_t		 uid;
	int64_t		 now;
	int		 online;	/* a subscribed client */
	int		 connected;	/* any client */
	int64_t		 viewing;	/* a conversation open, or 0 */
	int64_t		 typing;
};

static void
rpc_floor_peer(struct rpc_peer *p, void *arg)
{
	struct rpc_floor_seen	*fs = arg;

	if (!p->hello || (int64_t)p->uid != fs->uid)
		return;
	fs->connected = 1;
	if (p->subscribed == 1)
		fs->online = 1;
	if (p->viewing != 0 && fs->viewing == 0)
		fs->viewing = p->viewing;
	if (p->typing != 0 && fs->now - p->typing_at < PROTO_TYPING_SECS)
		fs->typing = p->typing;
}

struct rpc_floor_agents {
	struct rpc_ctx	*ctx;
	json_t		*arr;
	int64_t		 now;
};

static int
rpc_floor_agent(const struct store_floor_agent *a, void *arg)
{
	struct rpc_floor_agents	*fa = arg;
	struct rpc_floor_seen	 fs;
	int64_t			 cap;
	const char		*presence;

	memset(&fs, 0, sizeof fs);
	fs.uid = a->uid;
	fs.now = fa->now;
	rpc_peer_each(fa->ctx->d, rpc_floor_peer, &fs);
	cap = a->capacity > 0 ? a->capacity :
	    (int64_t)fa->ctx->d->conf.capacity;
	/* What the connections show; said away (agent.away) over that. */
	presence = !fs.connected ? "offline" : a->away != 0 ? "away" :
	    fs.typing != 0 ? "typing" : fs.viewing != 0 ? "viewing" :
	    fs.online ? "online" : "connected";
	json_array_append_new(fa->arr, json_pack("{ss ss ss so? sb ss sI sI "
	    "sb sI sI sI}", "name", a->name, "display_name",
	    *a->display != '\0' ? a->display : a->name, "role", a->role,
	    "team", *a->team != '\0' ? json_string(a->team) : NULL,
	    "online", fs.online, "presence",
	    presence, "load", (json_int_t)a->load, "capacity", (json_int_t)cap,
	    "over_capacity", cap > 0 && a->load > cap, "viewing",
	    (json_int_t)fs.viewing, "typing", (json_int_t)fs.typing, "away",
	    (json_int_t)a->away));
	return (0);
}

static int
rpc_floor_failure(int64_t code, int64_t n, void *arg)
{
	json_array_append_new(arg, json_pack("{sI sI ss}", "code",
	    (json_int_t)code, "count", (json_int_t)n, "reason",
	    meta_errors_lookup(code)->explain));
	return (0);
}

static json_t *
rpc_floor_get(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct daemon			*d = ctx->d;
	struct store_floor_outbox	 ob;
	struct rpc_floor_agents		 fa;
	json_t				*teams, *failures, *res;
	int64_t				 now = clock_now(), lo;
	int64_t				 closing = d->conf.window_closing_hours;

	(void)params;
	/* The window view's horizon and rule (window.c), as conv.counts. */
	lo = window_open_since(now, d->conf.window_hours);
	teams = store_floor_teams(&d->store, now, lo, lo + closing * 3600);
	memset(&fa, 0, sizeof fa);
	fa.ctx = ctx;
	fa.arr = json_array();
	fa.now = now;
	failures = json_array();
	if (store_floor_agents(&d->store, rpc_floor_agent, &fa) != 0 ||
	    store_floor_outbox(&d->store, now * 1000, &ob) != 0 ||
	    store_floor_failures(&d->store, now - RPC_FLOOR_FAILED_SECS,
	    rpc_floor_failure, failures) != 0) {
		json_decref(teams);
		json_decref(fa.arr);
		json_decref(failures);
		return (rpc_error(err, PE_INTERNAL, "cannot read the floor's "
		    "figures"));
	}
	res = json_pack("{sI sI sI so so}", "now", (json_int_t)now,
	    "window_hours", (json_int_t)d->conf.window_hours,
	    "window_closing_hours", (json_int_t)closing, "teams", teams,
	    "agents", fa.arr);
	json_object_set_new(res, "outbox", json_pack("{sI sI sI sb so}",
	    "backlog", (json_int_t)ob.backlog, "held", (json_int_t)ob.held,
	    "oldest_age", (json_int_t)(ob.oldest_ms > 0 && now * 1000 >
	    ob.oldest_ms ? (now * 1000 - ob.oldest_ms) / 1000 : 0), "paused",
	    d->outbox != NULL && outbox_paused(d->outbox), "failures",
	    failures));
	return (res);
}

/* Aggregates only: read-only, and answered on a damaged store too. */
const struct rpc_method rpc_floor_methods[] = {
	{ PM_FLOOR_GET,		RPC_SUPERVISOR,	RPC_READONLY,	rpc_floor_get },
	{ NULL,			RPC_ANYONE,	0,		NULL }
};
