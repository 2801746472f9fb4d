/*
 * Reports: see report.h and doc/reports.md. The store hands over clock
 * rows (store-report.c); they are collected first, so that each team's
 * calendar covers exactly the span they need, then counted into their
 * group (the whole range, a local day or ISO week of the default [hours]
 * zone, an agent or a label).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "conf-hours.h"
#include "daemon.h"
#include "hours.h"
#include "hours-cal.h"
#include "meta-errors.h"
#include "report.h"
#include "store.h"
#include "window.h"
#include "xmalloc.h"

const char *const report_kinds[] = { "volume", "response", "resolution",
    "agents", "labels", "survey", "failures", NULL };

/* What a collected clock counts for. */
enum report_role {
	REPORT_OPENED,		/* resolution, started in range */
	REPORT_RESOLVED,	/* resolution, stopped in range */
	REPORT_WAITED		/* first/next, started in range */
};

struct report_row {
	int		 role;
	int		 kind;		/* STORE_REPORT_* */
	int		 group;		/* index into groups, -1: none */
	int64_t		 started, last_in, stopped, agent_id, msg_id, due;
	const struct conf_hours *h;
};

struct report_vec {
	int64_t		*v;
	size_t		 n, cap;
};

struct report_group {
	char		*key;
	int64_t		 from, to;	/* day/week buckets */
	int64_t		 opened, resolved, waited, unanswered;
	int64_t		 met[3], breached[3];	/* first, next, resolution */
	struct report_vec first, next, resolution;
};

struct report_cal {
	const struct conf_hours	*h;
	struct hours_cal	*cal;
};

struct report {
	struct daemon		*d;
	const struct report_q	*q;
	int			 role;		/* of the walk under way */
	int			 group_by;	/* 0, 'd', 'w', 'a', 'l' */
	struct report_row	*rows;
	size_t			 nrows, caprows;
	struct report_group	*groups;
	size_t			 ngroups;
	int64_t			*bounds;	/* day/week: ngroups + 1 */
	json_t			*keys;		/* agent/label: key -> index */
	json_t			*agents;	/* id -> login */
	struct report_cal	 cals[CONF_HOURS_MAX + 1];
	size_t			 ncals;
};

const char *
report_by_valid(const char *kind, const char *by)
{
	if (by == NULL)
		return (NULL);
	if (strcmp(by, "day") != 0 && strcmp(by, "week") != 0 &&
	    strcmp(by, "agent") != 0 && strcmp(by, "label") != 0)
		return ("'by' is day, week, agent or label");
	if (strcmp(kind, "volume") != 0 && strcmp(kind, "response") != 0 &&
	    strcmp(kind, "resolution") != 0)
		return ("'by' groups the volume, response and resolution "
		    "reports (agents and labels are grouped already)");
	if (strcmp(by, "label") == 0 && strcmp(kind, "response") == 0)
		return ("'by label' groups volume and resolution");
	if (strcmp(by, "agent") == 0 && strcmp(kind, "volume") == 0)
		return ("'by agent' groups response and resolution");
	return (NULL);
}

int64_t
report_rank(const int64_t *sorted, size_t n, int p)
{
	size_t	rank = ((size_t)p * n + 99) / 100;	/* ceil(p n / 100) */

	if (rank < 1)
		rank = 1;
	return (sorted[rank - 1]);
}

static void
report_push(struct report_vec *v, int64_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = x;
}

static int
report_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* {count, median, p90} of business seconds; null figures when none. */
static json_t *
report_dist(struct report_vec *v)
{
	if (v->n == 0)
		return (json_pack("{sI sn sn}", "count", (json_int_t)0,
		    "median", "p90"));
	qsort(v->v, v->n, sizeof *v->v, report_cmp);
	return (json_pack("{sI sI sI}", "count", (json_int_t)v->n,
	    "median", (json_int_t)report_rank(v->v, v->n, 50),
	    "p90", (json_int_t)report_rank(v->v, v->n, 90)));
}

static json_t *
report_attain(int64_t met, int64_t breached)
{
	return (json_pack("{sI sI so}", "met", (json_int_t)met, "breached",
	    (json_int_t)breached, "rate", met + breached > 0 ?
	    json_real((double)met / (double)(met + breached)) :
	    json_null()));
}

/* --- groups --- */

static int
report_group_new(struct report *r, const char *key)
{
	struct report_group	*g;

	r->groups = xrealloc(r->groups, (r->ngroups + 1) *
	    sizeof *r->groups);
	g = &r->groups[r->ngroups];
	memset(g, 0, sizeof *g);
	g->key = xstrdup(key);
	return ((int)r->ngroups++);
}

/* Local days or ISO weeks (Monday first) of the default [hours] zone
 * (UTC without one) covering [from, to). */
static void
report_buckets(struct report *r)
{
	const struct conf_hours	*h = conf_hours_find(&r->d->conf, NULL);
	struct tm		 tm;
	time_t			 t = (time_t)r->q->from;
	int64_t			 b;
	char			 key[32];
	int			 week = r->group_by == 'w';

	hours_tz_enter(h != NULL ? h->tz : "UTC");
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	if (week)
		tm.tm_mday -= (tm.tm_wday + 6) % 7;
	tm.tm_isdst = -1;
	b = (int64_t)mktime(&tm);
	r->bounds = xmalloc((REPORT_BUCKETS_MAX + 1) *
	    sizeof *r->bounds);
	while (b < r->q->to && r->ngroups < REPORT_BUCKETS_MAX) {
		t = (time_t)b;
		localtime_r(&t, &tm);
		strftime(key, sizeof key, week ? "%G-W%V" : "%Y-%m-%d", &tm);
		r->bounds[report_group_new(r, key)] = b;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_mday += week ? 7 : 1;
		tm.tm_isdst = -1;
		b = (int64_t)mktime(&tm);
	}
	r->bounds[r->ngroups] = b;
	hours_tz_leave();
	for (size_t i = 0; i < r->ngroups; i++) {
		r->groups[i].from = r->bounds[i];
		r->groups[i].to = r->bounds[i + 1];
	}
}

static int
report_bucket_of(const struct report *r, int64_t t)
{
	size_t	lo = 0, hi = r->ngroups, mid;

	if (r->ngroups == 0 || t < r->bounds[0] || t >= r->bounds[r->ngroups])
		return (-1);
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (r->bounds[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return ((int)lo);
}

static int
report_keyed(struct report *r, const char *key)
{
	json_t	*i;
	int	 g;

	if ((i = json_object_get(r->keys, key)) != NULL)
		return ((int)json_integer_value(i));
	g = report_group_new(r, key);
	json_object_set_new(r->keys, key, json_integer(g));
	return (g);
}

static const char *
report_agent_name(struct report *r, int64_t id)
{
	char		 k[24];
	const char	*n;

	if (id == 0)
		return ("(none)");
	snprintf(k, sizeof k, "%lld", (long long)id);
	n = json_string_value(json_object_get(r->agents, k));
	return (n != NULL ? n : "(removed)");
}

/* --- collecting --- */

static int
report_collect(const struct store_report_clock *c, void *arg)
{
	struct report		*r = arg;
	struct report_row	*w;
	int64_t			 at;

	if (r->nrows == r->caprows) {
		r->caprows = r->caprows ? r->caprows * 2 : 1024;
		r->rows = xrealloc(r->rows, r->caprows * sizeof *r->rows);
	}
	w = &r->rows[r->nrows++];
	memset(w, 0, sizeof *w);
	w->role = r->role;
	w->kind = strcmp(c->kind, "first") == 0 ? STORE_REPORT_FIRST :
	    strcmp(c->kind, "next") == 0 ? STORE_REPORT_NEXT :
	    STORE_REPORT_RESOLUTION;
	w->started = c->started;
	w->last_in = c->last_in;
	w->stopped = c->stopped;
	w->agent_id = c->agent_id;
	w->msg_id = c->msg_id;
	w->due = c->due;
	w->h = conf_hours_find(&r->d->conf, c->team);
	at = r->role == REPORT_RESOLVED ? c->stopped : c->started;
	switch (r->group_by) {
	case 'd':
	case 'w':
		w->group = report_bucket_of(r, at);
		break;
	case 'a':
		w->group = report_keyed(r, report_agent_name(r, c->agent_id));
		break;
	case 'l':
		w->group = report_keyed(r, c->label);
		break;
	default:
		w->group = -1;
	}
	return (0);
}

static int
report_walk(struct report *r, int role, int kinds, int labelled)
{
	const struct report_q	*q = r->q;
	int			 by_stopped = role == REPORT_RESOLVED;

	r->role = role;
	if (labelled)
		return (store_report_labelled(&r->d->store, by_stopped,
		    q->from, q->to, q->team, q->number, report_collect, r));
	return (store_report_clocks(&r->d->store, kinds, by_stopped, q->from,
	    q->to, q->team, q->number, report_collect, r));
}

/* --- counting --- */

static struct hours_cal *
report_cal(struct report *r, const struct conf_hours *h, int64_t lo,
    int64_t hi)
{
	size_t	i;

	for (i = 0; i < r->ncals; i++)
		if (r->cals[i].h == h)
			return (r->cals[i].cal);
	r->cals[r->ncals].h = h;
	r->cals[r->ncals].cal = hours_cal_new(h, lo, hi);
	return (r->cals[r->ncals++].cal);
}

static int
report_kind_index(int kind)
{
	return (kind == STORE_REPORT_FIRST ? 0 : kind ==
	    STORE_REPORT_NEXT ? 1 : 2);
}

static void
report_count(struct report *r, struct report_group *g,
    const struct report_row *w, struct hours_cal *cal)
{
	int64_t	end = w->stopped != 0 ? w->stopped : r->q->now;
	int	k = report_kind_index(w->kind);

	if (w->role == REPORT_RESOLVED) {
		g->resolved++;
		report_push(&g->resolution, hours_cal_between(cal, w->started,
		    w->stopped));
		return;
	}
	if (w->role == REPORT_OPENED)
		g->opened++;
	else {
		if (!window_is_open(w->last_in, end,
		    r->d->conf.window_hours))
			g->waited++;
		if (w->msg_id != 0 && w->stopped != 0)
			report_push(k == 0 ? &g->first : &g->next,
			    hours_cal_between(cal, w->started, w->stopped));
		else if (k == 0)
			g->unanswered++;
	}
	/* Attainment: the clocks started in range with a target. */
	if (w->due > 0) {
		if (w->stopped != 0 && w->stopped <= w->due)
			g->met[k]++;
		else if (w->stopped != 0 || r->q->now > w->due)
			g->breached[k]++;
	}
}

static json_t *
report_fields(struct report *r, struct report_group *g)
{
	const char	*kind = r->q->kind;

	if (strcmp(kind, "volume") == 0)
		return (json_pack("{sI sI}", "opened", (json_int_t)g->opened,
		    "resolved", (json_int_t)g->resolved));
	if (strcmp(kind, "response") == 0)
		return (json_pack("{so so s{so so} sI sI}",
		    "first_response", report_dist(&g->first),
		    "next_response", report_dist(&g->next),
		    "attainment",
		    "first", report_attain(g->met[0], g->breached[0]),
		    "next", report_attain(g->met[1], g->breached[1]),
		    "waited_past_window", (json_int_t)g->waited,
		    "unanswered", (json_int_t)g->unanswered));
	return (json_pack("{sI sI so s{so}}", "opened", (json_int_t)g->opened,
	    "resolved", (json_int_t)g->resolved,
	    "resolution_time", report_dist(&g->resolution),
	    "attainment", "resolution", report_attain(g->met[2],
	    g->breached[2])));
}

/* The grouped kinds' rows: per agent, per label. */
static json_t *
report_agents_rows(struct report *r, struct report_group *all)
{
	json_t		*rows = json_array(), *replies, *v;
	const char	*k;
	int		 g;

	(void)all;
	replies = store_report_replies(&r->d->store, r->q->from, r->q->to,
	    r->q->team, r->q->number);
	if (replies == NULL) {
		json_decref(rows);
		return (NULL);
	}
	json_object_foreach(replies, k, v)
		(void)report_keyed(r, report_agent_name(r,
		    strtoll(k, NULL, 10)));
	for (g = 0; g < (int)r->ngroups; g++) {
		struct report_group *x = &r->groups[g];
		json_int_t n = 0;

		json_object_foreach(replies, k, v)
			if (strcmp(report_agent_name(r, strtoll(k, NULL, 10)),
			    x->key) == 0)
				n += json_integer_value(v);
		if (strcmp(x->key, "(none)") == 0)
			continue;
		qsort(x->first.v, x->first.n, sizeof *x->first.v, report_cmp);
		json_array_append_new(rows, json_pack("{ss sI sI so sI}",
		    "agent", x->key, "replies", n, "first_responses",
		    (json_int_t)x->first.n, "first_response_median",
		    x->first.n > 0 ? json_integer(report_rank(x->first.v,
		    x->first.n, 50)) : json_null(), "resolved",
		    (json_int_t)x->resolved));
	}
	json_decref(replies);
	return (rows);
}

static json_t *
report_labels_rows(struct report *r)
{
	json_t	*rows = json_array();
	size_t	 g;

	for (g = 0; g < r->ngroups; g++) {
		struct report_group *x = &r->groups[g];

		qsort(x->resolution.v, x->resolution.n, sizeof *x->resolution.v,
		    report_cmp);
		json_array_append_new(rows, json_pack("{ss sI sI so}",
		    "label", x->key, "opened", (json_int_t)x->opened,
		    "resolved", (json_int_t)x->resolved, "resolution_median",
		    x->resolution.n > 0 ? json_integer(report_rank(
		    x->resolution.v, x->resolution.n, 50)) : json_null()));
	}
	return (rows);
}

static json_t *
report_failures(struct report *r)
{
	const struct meta_errors_entry	*e;
	json_t				*rows, *x;
	json_int_t			 total = 0;
	size_t				 i;

	if ((rows = store_report_failures(&r->d->store, r->q->from, r->q->to,
	    r->q->team, r->q->number)) == NULL)
		return (NULL);
	json_array_foreach(rows, i, x) {
		e = meta_errors_lookup(json_integer_value(json_object_get(x,
		    "code")));
		json_object_set_new(x, "reason", json_string(e != NULL ?
		    e->explain : "an error Meta does not document"));
		total += json_integer_value(json_object_get(x, "count"));
	}
	return (json_pack("{so sI}", "rows", rows, "total", total));
}

static json_t *
report_survey(struct report *r)
{
	json_t		*s, *rows, *v;
	const char	*k;

	if ((s = store_report_survey(&r->d->store, r->q->from, r->q->to,
	    r->q->team, r->q->number)) == NULL)
		return (NULL);
	rows = json_array();
	json_object_foreach(s, k, v) {
		json_object_set_new(v, "scale", json_string(k));
		json_array_append(rows, v);
	}
	json_decref(s);
	return (json_pack("{so}", "rows", rows));
}

static void
report_free(struct report *r)
{
	size_t	i;

	for (i = 0; i < r->ngroups; i++) {
		free(r->groups[i].key);
		free(r->groups[i].first.v);
		free(r->groups[i].next.v);
		free(r->groups[i].resolution.v);
	}
	for (i = 0; i < r->ncals; i++)
		hours_cal_free(r->cals[i].cal);
	free(r->groups);
	free(r->rows);
	free(r->bounds);
	json_decref(r->keys);
	json_decref(r->agents);
}

/* Walks what kind needs; 0 or -1. */
static int
report_gather(struct report *r)
{
	const char	*kind = r->q->kind;
	int		 l = r->group_by == 'l';

	if (strcmp(kind, "volume") == 0)
		return (report_walk(r, REPORT_OPENED, STORE_REPORT_RESOLUTION,
		    l) != 0 || report_walk(r, REPORT_RESOLVED,
		    STORE_REPORT_RESOLUTION, l) != 0 ? -1 : 0);
	if (strcmp(kind, "response") == 0)
		return (report_walk(r, REPORT_WAITED, STORE_REPORT_FIRST |
		    STORE_REPORT_NEXT, 0));
	if (strcmp(kind, "resolution") == 0)
		return (report_walk(r, REPORT_OPENED, STORE_REPORT_RESOLUTION,
		    l) != 0 || report_walk(r, REPORT_RESOLVED,
		    STORE_REPORT_RESOLUTION, l) != 0 ? -1 : 0);
	if (strcmp(kind, "agents") == 0)
		return (report_walk(r, REPORT_WAITED, STORE_REPORT_FIRST, 0)
		    != 0 || report_walk(r, REPORT_RESOLVED,
		    STORE_REPORT_RESOLUTION, 0) != 0 ? -1 : 0);
	if (strcmp(kind, "labels") == 0)
		return (report_walk(r, REPORT_OPENED, 0, 1) != 0 ||
		    report_walk(r, REPORT_RESOLVED, 0, 1) != 0 ? -1 : 0);
	return (0);
}

json_t *
report_get(struct daemon *d, const struct report_q *q)
{
	struct report		 r;
	struct report_group	 all;
	json_t			*res = NULL, *body = NULL, *b;
	int64_t			 lo, hi;
	size_t			 i;

	memset(&r, 0, sizeof r);
	memset(&all, 0, sizeof all);
	r.d = d;
	r.q = q;
	r.keys = json_object();
	if (strcmp(q->kind, "agents") == 0)
		r.group_by = 'a';
	else if (strcmp(q->kind, "labels") == 0)
		r.group_by = 'l';
	else if (q->by != NULL)
		r.group_by = strcmp(q->by, "day") == 0 ? 'd' :
		    strcmp(q->by, "week") == 0 ? 'w' : q->by[0];
	if (r.group_by == 'a' && (r.agents = store_report_agents(&d->store))
	    == NULL)
		goto out;
	if (r.group_by == 'd' || r.group_by == 'w')
		report_buckets(&r);
	if (report_gather(&r) != 0)
		goto out;
	/* One calendar per team's hours over the span the rows need. */
	lo = q->from;
	hi = q->to > q->now ? q->to : q->now;
	for (i = 0; i < r.nrows; i++) {
		if (r.rows[i].started < lo)
			lo = r.rows[i].started;
		if (r.rows[i].stopped > hi)
			hi = r.rows[i].stopped;
	}
	for (i = 0; i < r.nrows; i++) {
		struct hours_cal *cal = report_cal(&r, r.rows[i].h, lo, hi);

		report_count(&r, &all, &r.rows[i], cal);
		if (r.rows[i].group >= 0)
			report_count(&r, &r.groups[r.rows[i].group],
			    &r.rows[i], cal);
	}
	if (strcmp(q->kind, "agents") == 0)
		body = (b = report_agents_rows(&r, &all)) == NULL ? NULL :
		    json_pack("{so}", "rows", b);
	else if (strcmp(q->kind, "labels") == 0)
		body = json_pack("{so}", "rows", report_labels_rows(&r));
	else if (strcmp(q->kind, "failures") == 0)
		body = report_failures(&r);
	else if (strcmp(q->kind, "survey") == 0)
		body = report_survey(&r);
	else {
		body = json_pack("{so}", "total", report_fields(&r, &all));
		if (r.group_by != 0) {
			b = json_array();
			for (i = 0; i < r.ngroups; i++) {
				json_t *f = report_fields(&r, &r.groups[i]);

				json_object_set_new(f, "key",
				    json_string(r.groups[i].key));
				if (r.bounds != NULL) {
					json_object_set_new(f, "from",
					    json_integer(r.groups[i].from));
					json_object_set_new(f, "to",
					    json_integer(r.groups[i].to));
				}
				json_array_append_new(b, f);
			}
			json_object_set_new(body, "groups", b);
		}
	}
	if (body == NULL)
		goto out;
	res = json_pack("{ss sI sI sI so so so}", "kind", q->kind, "from",
	    (json_int_t)q->from, "to", (json_int_t)q->to, "now",
	    (json_int_t)q->now, "team", q->team != NULL ?
	    json_string(q->team) : json_null(), "number", q->number != NULL ?
	    json_string(q->number) : json_null(), "by", q->by != NULL ?
	    json_string(q->by) : json_null());
	json_object_update(res, body);
	json_decref(body);
out:
	free(all.first.v);
	free(all.next.v);
	free(all.resolution.v);
	report_free(&r);
	return (res);
}
