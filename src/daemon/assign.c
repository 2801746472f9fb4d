/* Auto-assignment and the inbox's clock; see assign.h. */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "assign.h"
#include "audit.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "server.h"
#include "snooze.h"
#include "store.h"
#include "xmalloc.h"

#define ASSIGN_AGENTS_MAX	256
#define ASSIGN_RUN_MAX		1000	/* conversations per pass */

struct assign {
	struct event	*kick;		/* assign_kick: a run soon */
	int64_t		 last_agent;	/* round-robin cursor */
};

static const struct audit_who assign_who = { 0, "support-inboxd", NULL };

struct assign_online {
	unsigned	uids[ASSIGN_AGENTS_MAX];
	size_t		n;
};

static void
assign_collect(struct rpc_peer *p, void *arg)
{
	struct assign_online	*o = arg;
	size_t			 i;

	if (p->subscribed != 1)
		return;
	for (i = 0; i < o->n; i++) {
		if (o->uids[i] == (unsigned)p->uid)
			return;
	}
	if (o->n < ASSIGN_AGENTS_MAX)
		o->uids[o->n++] = (unsigned)p->uid;
}

static int
assign_cmp(const void *a, const void *b)
{
	const struct store_agent	*x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/* One auto-assignment (rpc_act): the claim, its record, its event. */
struct assign_pick {
	int64_t				 conv;
	int64_t				 contact_id;
	const struct store_agent	*agent;
	int64_t				 load;
	int				 cap;
};

static int
assign_give(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct assign_pick	*p = arg;
	int			 rc;

	/* 1: someone took it meanwhile; the next pass finds another. */
	if ((rc = store_conv_claim(&ctx->d->store, p->conv,
	    p->agent->id)) != 0) {
		if (rc < 0)
			rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	ctx->audit = (struct audit_rec){ .action = "conversation.assign",
	    .object_type = "conversation", .object_id = p->conv,
	    .contact_id = p->contact_id, .result = "ok" };
	rpc_audit_detail(ctx, "auto: round-robin to '%s' (load %lld of %d)",
	    p->agent->name, (long long)p->load, p->cap);
	rpc_event(ctx, PEV_ASSIGNMENT, json_pack("{sI ss ss}", "conversation",
	    (json_int_t)p->conv, "assignee", p->agent->name, "by", "auto"));
	return (0);
}

/* One pass now; returns how many conversations were assigned. */
static int
assign_run(struct daemon *d)
{
	struct assign		*a = d->assign;
	struct assign_online	 on;
	struct store_agent	 ag[ASSIGN_AGENTS_MAX];
	struct assign_pick	 p;
	char			 team[64], ateam[64];
	int64_t			 load;
	size_t			 n = 0, i, k, start;
	int			 cap, done = 0, skipped = 0;
	json_t			*events;

	if (!d->conf.auto_assign || a == NULL)
		return (0);
	memset(&on, 0, sizeof on);
	rpc_peer_each(d, assign_collect, &on);
	for (i = 0; i < on.n; i++) {
		/* Online and not away (agent.away). */
		if (store_agent_by_uid(&d->store, on.uids[i], &ag[n]) == 0 &&
		    ag[n].active && ag[n].away == 0)
			n++;
	}
	if (n == 0)
		return (0);
	qsort(ag, n, sizeof ag[0], assign_cmp);
	while (done + skipped < ASSIGN_RUN_MAX && store_conv_oldest_waiting(
	    &d->store, skipped, &p.conv, &p.contact_id, team,
	    sizeof team) == 0) {
		/* The next agent after the last one served, with room. */
		for (start = 0; start < n && ag[start].id <= a->last_agent;
		    start++)
			;
		p.agent = NULL;
		for (k = 0; k < n; k++) {
			i = (start + k) % n;
			if (store_agent_inbox(&d->store, ag[i].id, ateam,
			    sizeof ateam, &cap, &load) != 0)
				continue;
			if (cap <= 0)
				cap = (int)d->conf.capacity;
			if (load >= cap)
				continue;
			if (team[0] != '\0' && strcmp(team, ateam) != 0)
				continue;
			p.agent = &ag[i];
			p.load = load;
			p.cap = cap;
			break;
		}
		if (p.agent == NULL && team[0] != '\0') {
			/* Nobody of that team online with room: the next. */
			skipped++;
			continue;
		}
		if (p.agent == NULL)
			break;	/* everyone is full */
		if (rpc_act(d, &assign_who, "auto-assign", assign_give, &p,
		    &events) != 0)
			break;
		server_events(d->server, events);
		a->last_agent = p.agent->id;
		done++;
	}
	return (done);
}

void
assign_tick(struct daemon *d)
{
	if (d->assign == NULL)
		return;
	if (snooze_wake(d) > 0 || d->conf.auto_assign)
		assign_run(d);
}

static void
assign_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	assign_tick(arg);
}

int
assign_start(struct daemon *d)
{
	struct assign	*a;

	a = xcalloc(1, sizeof *a);
	a->kick = event_new(d->base, -1, 0, assign_kick_cb, d);
	d->assign = a;
	return (0);
}

void
assign_kick(struct daemon *d)
{
	struct timeval	tv = { 0, 0 };

	if (d->assign != NULL && !event_pending(d->assign->kick, EV_TIMEOUT,
	    NULL))
		event_add(d->assign->kick, &tv);
}

void
assign_stop(struct daemon *d)
{
	if (d->assign == NULL)
		return;
	event_free(d->assign->kick);
	free(d->assign);
	d->assign = NULL;
}
