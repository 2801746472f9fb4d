/*
 * Service-level deadlines and breaches; see sla.h. The clocks themselves
 * are the store's (migration 20's triggers, store-sla.c); what a target
 * is, conf-sla.c's; business time, hours.c's (hours-cal.c for a batch).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "clock.h"
#include "conf.h"
#include "conf-hook.h"
#include "conf-hours.h"
#include "conf-sla.h"
#include "daemon.h"
#include "hook.h"
#include "hours.h"
#include "hours-cal.h"
#include "log.h"
#include "names.h"
#include "proto-names.h"
#include "rpc.h"
#include "rules.h"
#include "server.h"
#include "sla.h"
#include "store.h"
#include "xmalloc.h"

static const struct audit_who sla_who = { 0, "support-inboxd", NULL };

/* The hours a team's targets count in: NULL is the wall clock. */
static const struct conf_hours *
sla_hours(const struct daemon *d, const char *team)
{
	if (!conf_sla_business_hours(&d->conf, team))
		return (NULL);
	return (conf_hours_find(&d->conf, team));
}

static int
sla_team_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* The deadlines of clocks [0, n), all of one team: one calendar. */
static int
sla_due_team(struct daemon *d, struct store_sla_clock *c, int n)
{
	const struct conf_hours	*h = sla_hours(d, c[0].team);
	struct hours_cal	*cal = NULL;
	int64_t			 target[SLA_DUE_BATCH], lo, hi, tmax = 0, due;
	int			 i;

	lo = hi = c[0].started;
	for (i = 0; i < n; i++) {
		target[i] = conf_sla_target(&d->conf, c[i].team,
		    (int)c[i].priority, c[i].kind, NULL);
		if (target[i] > tmax)
			tmax = target[i];
		if (c[i].started < lo)
			lo = c[i].started;
		if (c[i].started > hi)
			hi = c[i].started;
	}
	if (h != NULL && tmax > 0) {
		/* Business time in wall time: three times it and two weeks
		 * cover most; hours_add looks further for the rest. */
		if (tmax > (int64_t)HOURS_AHEAD_DAYS * 86400 / 3)
			tmax = (int64_t)HOURS_AHEAD_DAYS * 86400 / 3;
		cal = hours_cal_new(h, lo, hi + 3 * tmax + 14 * 86400);
	}
	for (i = 0; i < n; i++) {
		if (target[i] <= 0)
			due = 0;
		else if (h == NULL)
			due = c[i].started + target[i];
		else if ((due = hours_cal_add(cal, c[i].started,
		    target[i])) == 0)
			due = hours_add(h, c[i].started, target[i]);
		/* Closed for good (hours_add 0): no deadline to keep. */
		if (store_sla_set_due(&d->store, c[i].id, due) != 0) {
			if (cal != NULL)
				hours_cal_free(cal);
			return (-1);
		}
	}
	if (cal != NULL)
		hours_cal_free(cal);
	return (0);
}

/* Deadlines of the clocks without one (new, moved, reloaded). */
static void
sla_fill_due(struct daemon *d)
{
	struct store_sla_clock	*c;
	char			*cause = NULL;
	int			 n, i, j;

	c = xcalloc(SLA_DUE_BATCH, sizeof *c);
	if (store_begin(&d->store) != 0) {
		free(c);
		return;
	}
	/* Running clocks first: their deadlines make breaches. */
	if ((n = store_sla_undue(&d->store, c, SLA_DUE_BATCH, 1)) == 0)
		n = store_sla_undue(&d->store, c, SLA_DUE_BATCH_DONE, 0);
	if (n <= 0) {
		store_rollback(&d->store);
		free(c);
		return;
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && sla_team_eq(c[i].team, c[j].team); j++)
			;
		if (sla_due_team(d, c + i, j - i) != 0)
			break;
	}
	if (i < n)
		store_rollback(&d->store);
	else if (store_commit(&d->store, &cause) != 0) {
		log_error("sla: cannot store deadlines: %s", cause);
		free(cause);
	}
	store_sla_clocks_free(c, n);
	free(c);
}

/* One breach: marked, audited, the hooks and the clients told. */
static int
sla_breach_one(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	const struct store_sla_clock	*c = arg;
	struct daemon			*d = ctx->d;
	const char			*kind = conf_sla_kind_name(c->kind);
	const char			*prio;
	int64_t				 now = clock_now();
	json_t				*data;
	int				 r;

	if ((r = store_sla_breach(&d->store, c->id, now)) < 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	if (r == 0)
		return (0);	/* raised already, or stopped meanwhile */
	if (kind == NULL)
		kind = "first";
	prio = names_priority((enum conv_priority)c->priority);
	data = json_pack("{sI ss sI so ss sI sI sI}", "conversation",
	    (json_int_t)c->conv, "kind", kind, "due", (json_int_t)c->due,
	    "team", c->team != NULL ? json_string(c->team) : json_null(),
	    "priority", prio != NULL ? prio : "normal",
	    "waited", (json_int_t)(now - c->started),
	    "waited_minutes", (json_int_t)((now - c->started) / 60),
	    "clock", (json_int_t)c->id);
	ctx->audit = (struct audit_rec){ .action = "sla.breach",
	    .object_type = "conversation", .object_id = c->conv,
	    .detail = kind, .result = "ok" };
	/* Issue 18's hook event: recorded with the breach. */
	if (hook_emit(d, CONF_HOOK_SLA_BREACHED, c->conv, data) != 0) {
		json_decref(data);
		rpc_error(err, PE_INTERNAL, "cannot record event hooks");
		return (-1);
	}
	rpc_event(ctx, PEV_SLA_BREACHED, data);
	/* "when sla-breached [KIND]" rules, in the same transaction. */
	return (rules_sla_breached(ctx, c->conv, kind, err));
}

static void
sla_breaches(struct daemon *d)
{
	struct store_sla_clock	 c[SLA_BREACH_BATCH];
	json_t			*events;
	int			 n, i;

	if ((n = store_sla_overdue(&d->store, clock_now(), c,
	    SLA_BREACH_BATCH)) <= 0)
		return;
	for (i = 0; i < n; i++) {
		if (rpc_act(d, &sla_who, "sla", sla_breach_one, &c[i],
		    &events) != 0)
			break;
		server_events(d->server, events);
	}
	store_sla_clocks_free(c, n);
}

void
sla_tick(struct daemon *d)
{
	if (d->store.damaged)
		return;
	sla_fill_due(d);
	sla_breaches(d);
}

int
sla_reload(struct daemon *d, struct conf *nc, int hours_changed,
    json_t *changed)
{
	char	*cause = NULL;
	int64_t	 n;
	int	 own;

	if (!conf_sla_swap(&d->conf, nc) && !hours_changed)
		return (0);
	/* daemon.reload runs in the dispatcher's transaction, SIGHUP not. */
	own = !store_has_txn(&d->store);
	if (own && store_begin(&d->store) != 0)
		return (0);
	if ((n = store_sla_redue(&d->store)) < 0) {
		if (own)
			store_rollback(&d->store);
		return (0);
	}
	if (own && store_commit(&d->store, &cause) != 0) {
		log_error("sla: %s", cause);
		free(cause);
		return (0);
	}
	json_array_append_new(changed, json_sprintf("service-level targets "
	    "reloaded (%zu [sla] section%s): %lld running clock%s' deadlines "
	    "computed again", d->conf.nslas, d->conf.nslas == 1 ? "" : "s",
	    (long long)n, n == 1 ? "" : "s"));
	return (1);
}

/* A clock's deadline: stored, or (not computed yet) as the tick will. */
static int64_t
sla_due_of(struct daemon *d, const struct store_sla_clock *c)
{
	int64_t	target;

	if (c->due >= 0)
		return (c->due);
	target = conf_sla_target(&d->conf, c->team, (int)c->priority,
	    c->kind, NULL);
	if (target <= 0)
		return (0);
	return (hours_add(sla_hours(d, c->team), c->started, target));
}

/*
 * The business calendars of one answer's rows, by hours section: a page
 * of 50 rows asks for its teams' calendars once, not once a row (each
 * built in the team's zone).
 */
#define SLA_PAGE_CALS	8

struct sla_page {
	int64_t			 now;
	const struct conf_hours	*h[SLA_PAGE_CALS];
	struct hours_cal	*cal[SLA_PAGE_CALS];
	int64_t			 to[SLA_PAGE_CALS];
	int			 n;
};

/*
 * Business seconds from p->now to due in h (NULL: the wall clock), and
 * how they pass from now: *running, whether business time runs now (the
 * hours are open), until *until, the next opening or closing before due
 * (0: none, the figure runs or holds to the deadline). A client counts
 * the figure down from that without asking again (doc/sla.md).
 */
static int64_t
sla_page_left(struct sla_page *p, const struct conf_hours *h, int64_t due,
    int *running, int64_t *until)
{
	struct hours_cal	*cal;
	int64_t			 left, to;
	int			 i;

	*running = 1;
	*until = 0;
	if (h == NULL)
		return (due - p->now);
	for (i = 0; i < p->n && p->h[i] != h; i++)
		;
	/* Two weeks on covers most deadlines; a later one widens. */
	to = due > p->now + 14 * 86400 ? due : p->now + 14 * 86400;
	if (i == SLA_PAGE_CALS)
		cal = hours_cal_new(h, p->now, to);	/* this row's alone */
	else {
		if (i == p->n || due > p->to[i]) {
			if (i == p->n)
				p->n++;
			else
				hours_cal_free(p->cal[i]);
			p->h[i] = h;
			p->to[i] = to;
			p->cal[i] = hours_cal_new(h, p->now, to);
		}
		cal = p->cal[i];
	}
	left = hours_cal_between(cal, p->now, due);
	*until = hours_cal_change(cal, p->now, running);
	if (*until >= due)
		*until = 0;
	if (i == SLA_PAGE_CALS)
		hours_cal_free(cal);
	return (left);
}

static void
sla_page_free(struct sla_page *p)
{
	int	i;

	for (i = 0; i < p->n; i++)
		hours_cal_free(p->cal[i]);
}

static json_t *
sla_row_in(struct daemon *d, int64_t conv, struct sla_page *p)
{
	struct store_sla_clock	 c[4];
	int64_t			 left, due, best = 0, now = p->now, until = 0;
	int			 n, i, k = -1, breached, running = 1;
	json_t			*o;

	if ((n = store_sla_running(&d->store, conv, c, 4)) <= 0)
		return (json_null());
	for (i = 0; i < n; i++) {
		due = sla_due_of(d, &c[i]);
		if (due > 0 && (k < 0 || due < best)) {
			best = due;
			k = i;
		}
	}
	if (k < 0) {
		store_sla_clocks_free(c, n);
		return (json_null());
	}
	/* The clock's team is the conversation's (the triggers keep it). */
	breached = best <= now;
	if (breached)
		left = -(now - best);
	else
		left = sla_page_left(p, sla_hours(d, c[k].team), best,
		    &running, &until);
	o = json_pack("{ss sI sI sb sb sI sb sI}", "kind",
	    conf_sla_kind_name(c[k].kind) != NULL ?
	    conf_sla_kind_name(c[k].kind) : "first", "due", (json_int_t)best,
	    "left", (json_int_t)left, "breached", breached, "soon",
	    !breached && best - now <= conf_sla_soon(&d->conf),
	    "as_of", (json_int_t)now, "running", running,
	    "until", (json_int_t)until);
	store_sla_clocks_free(c, n);
	return (o);
}

json_t *
sla_row(struct daemon *d, int64_t conv, int64_t now)
{
	struct sla_page	 p = { .now = now };
	json_t		*o;

	o = sla_row_in(d, conv, &p);
	sla_page_free(&p);
	return (o);
}

void
sla_rows(struct daemon *d, json_t *rows, int64_t now)
{
	struct sla_page	 p = { .now = now };
	json_t		*row;
	size_t		 i;

	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "sla", sla_row_in(d,
		    json_integer_value(json_object_get(row, "id")), &p));
	}
	sla_page_free(&p);
}

static json_t *
sla_targets_of(struct daemon *d, const char *team)
{
	const char	*from;
	json_t		*o, *p, *t;
	int64_t		 v;
	int		 i, k;

	o = json_object();
	json_object_set_new(o, "team", team != NULL ? json_string(team) :
	    json_null());
	json_object_set_new(o, "business_hours", json_boolean(
	    conf_sla_business_hours(&d->conf, team)));
	json_object_set_new(o, "hours", json_boolean(sla_hours(d, team) !=
	    NULL));
	p = json_object();
	for (i = 0; i < CONV_NPRIORITIES; i++) {
		t = json_object();
		for (k = 0; k < SLA_NKINDS; k++) {
			v = conf_sla_target(&d->conf, team, i, k, &from);
			json_object_set_new(t, conf_sla_kind_name(k), v > 0 ?
			    json_integer(v) : json_null());
		}
		json_object_set_new(p, names_priority(i), t);
	}
	json_object_set_new(o, "targets", p);
	return (o);
}

json_t *
sla_targets(struct daemon *d)
{
	json_t	*teams;
	size_t	 i;

	teams = json_array();
	json_array_append_new(teams, sla_targets_of(d, NULL));
	for (i = 0; i < d->conf.nslas; i++)
		if (d->conf.slas[i].team != NULL)
			json_array_append_new(teams, sla_targets_of(d,
			    d->conf.slas[i].team));
	return (json_pack("{sI so}", "soon", (json_int_t)conf_sla_soon(
	    &d->conf), "teams", teams));
}
