/* Auto-assignment and snooze wake-up; see assign.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "assign.h"
#include "audit.h"
#include "daemon.h"
#include "log.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

#define ASSIGN_AGENTS_MAX	256
#define ASSIGN_RUN_MAX		1000	/* conversations per pass */

struct assign {
	struct event	*tick;
	struct event	*kick;
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

int
assign_wake(struct daemon *d)
{
	struct audit_rec	 rec = { "conversation.wake", "conversation",
				    0, 0, NULL, "ok", "snooze ended" };
	int64_t			 now = (int64_t)time(NULL), conv, cid;
	char			*cause = NULL;
	json_t			*ev;
	int			 n = 0;

	while (n < ASSIGN_RUN_MAX &&
	    store_conv_snooze_due(&d->store, now, &conv, &cid) == 0) {
		rec.object_id = conv;
		rec.contact_id = cid;
		if (store_begin(&d->store) != 0)
			break;
		if (store_conv_set_state(&d->store, conv, "open", 0, now) != 0 ||
		    audit_append(d, &assign_who, &rec) != 0) {
			store_rollback(&d->store);
			break;
		}
		if (store_commit(&d->store, &cause) != 0) {
			log_error("snooze: %s", cause);
			free(cause);
			break;
		}
		ev = json_pack("{sI ss ss}", "conversation", (json_int_t)conv,
		    "state", "open", "by", "snooze");
		server_broadcast(d->server, "state", ev);
		json_decref(ev);
		n++;
	}
	return (n);
}

int
assign_run(struct daemon *d)
{
	struct assign		*a = d->assign;
	struct assign_online	 on;
	struct store_agent	 ag[ASSIGN_AGENTS_MAX];
	struct audit_rec	 rec = { "conversation.assign", "conversation",
				    0, 0, NULL, "ok", NULL };
	char			 team[64], ateam[64], detail[160], *cause;
	int64_t			 conv, cid, load;
	size_t			 n = 0, i, k, start;
	int			 cap, done = 0, skipped = 0, pick;
	json_t			*ev;

	if (!d->conf.auto_assign || a == NULL)
		return (0);
	memset(&on, 0, sizeof on);
	rpc_peer_each(d, assign_collect, &on);
	for (i = 0; i < on.n; i++) {
		if (store_agent_by_uid(&d->store, on.uids[i], &ag[n]) == 0 &&
		    ag[n].active)
			n++;
	}
	if (n == 0)
		return (0);
	qsort(ag, n, sizeof ag[0], assign_cmp);
	while (done + skipped < ASSIGN_RUN_MAX && store_conv_oldest_waiting(
	    &d->store, skipped, &conv, &cid, team, sizeof team) == 0) {
		/* The next agent after the last one served, with room. */
		for (start = 0; start < n && ag[start].id <= a->last_agent;
		    start++)
			;
		pick = -1;
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
			pick = (int)i;
			snprintf(detail, sizeof detail, "auto: round-robin to "
			    "'%s' (load %lld of %d)", ag[i].name,
			    (long long)load, cap);
			break;
		}
		if (pick == -1 && team[0] != '\0') {
			/* Nobody of that team online with room: the next. */
			skipped++;
			continue;
		}
		if (pick == -1)
			break;	/* everyone is full */
		rec.object_id = conv;
		rec.contact_id = cid;
		rec.detail = detail;
		cause = NULL;
		if (store_begin(&d->store) != 0)
			break;
		if (store_conv_claim(&d->store, conv, ag[pick].id) != 0 ||
		    audit_append(d, &assign_who, &rec) != 0) {
			store_rollback(&d->store);
			break;
		}
		if (store_commit(&d->store, &cause) != 0) {
			log_error("auto-assign: %s", cause);
			free(cause);
			break;
		}
		a->last_agent = ag[pick].id;
		ev = json_pack("{sI ss ss}", "conversation", (json_int_t)conv,
		    "assignee", ag[pick].name, "by", "auto");
		server_broadcast(d->server, "assignment", ev);
		json_decref(ev);
		done++;
	}
	return (done);
}

static void
assign_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon	*d = arg;

	(void)fd; (void)what;
	if (assign_wake(d) > 0 || d->conf.auto_assign)
		assign_run(d);
}

int
assign_start(struct daemon *d)
{
	struct assign	*a;
	struct timeval	 tv = { 1, 0 };

	a = xcalloc(1, sizeof *a);
	a->tick = event_new(d->base, -1, EV_PERSIST, assign_tick_cb, d);
	a->kick = event_new(d->base, -1, 0, assign_tick_cb, d);
	event_add(a->tick, &tv);
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
	event_free(d->assign->tick);
	event_free(d->assign->kick);
	free(d->assign);
	d->assign = NULL;
}
