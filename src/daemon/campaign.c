/* Campaigns: materializing, sending, and the webhooks' hooks; see campaign.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "automation.h"
#include "autosend.h"
#include "campaign.h"
#include "campaign-segment.h"
#include "clock.h"
#include "conf.h"
#include "daemon.h"
#include "hook.h"
#include "lang.h"
#include "log.h"
#include "numbers.h"
#include "proto-names.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "templates.h"
#include "tpl-render.h"
#include "wa-payload.h"
#include "xmalloc.h"

/*
 * What the daemon keeps in memory: which campaigns changed (events), a
 * list that grows as needed (each campaign once), emptied every tick.
 */
struct campaign {
	int64_t		*dirty;
	size_t		 ndirty, cap;
	time_t		 last_tick;	/* monotonic second of the last send */
};

static const struct audit_who campaign_who = { 0, "support-inboxd", NULL };

static struct campaign *
campaign_get(struct daemon *d)
{
	if (d->campaign == NULL)
		d->campaign = xcalloc(1, sizeof *d->campaign);
	return (d->campaign);
}

void
campaign_stop(struct daemon *d)
{
	if (d->campaign != NULL)
		free(d->campaign->dirty);
	free(d->campaign);
	d->campaign = NULL;
}

void
campaign_dirty(struct daemon *d, int64_t id)
{
	struct campaign	*c = campaign_get(d);
	size_t		 i;

	for (i = 0; i < c->ndirty; i++)
		if (c->dirty[i] == id)
			return;
	if (c->ndirty == c->cap) {
		c->cap = c->cap == 0 ? 16 : c->cap * 2;
		c->dirty = xrealloc(c->dirty, c->cap * sizeof *c->dirty);
	}
	c->dirty[c->ndirty++] = id;
}

int
campaign_langs(const char *list, char out[][16], int max)
{
	const char	*p = list, *e;
	int		 n = 0;
	size_t		 len;

	while (*p != '\0' && n < max) {
		e = strchr(p, ',');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		if (len > 0 && len < 16) {
			memcpy(out[n], p, len);
			out[n][len] = '\0';
			n++;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return (n);
}

/* The gate's reason a contact is left out, or NULL. */
static const char *
campaign_gate(const struct store_campaign_contact *c)
{
	if (c->erased)
		return ("erased");
	if (c->restricted)
		return ("restricted");
	if (c->blocked)
		return ("blocked");
	if (c->consent == 0)
		return ("opted-out");
	if (c->consent < 0)
		return ("no-consent");
	return (NULL);
}

/* Materializing: the segment, compiled for one pass over the contacts. */
struct campaign_mat {
	struct daemon			*d;
	const struct store_campaign	*c;
	struct campaign_segment		 seg;
	int64_t				*attr[CAMPAIGN_TERMS_MAX];
	int				 nattr[CAMPAIGN_TERMS_MAX];
	const char			*pnid[CAMPAIGN_TERMS_MAX];
	int64_t				 now;
	int				 write, list;
	int64_t				 eligible;
	json_t				*excluded;	/* reason: n */
	json_t				*lists;		/* reason: [ids] */
};

static int
campaign_cmp_id(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

static int
campaign_mat_in(struct campaign_mat *m, const struct store_campaign_contact *k)
{
	const struct campaign_term	*t;
	const char			*one[1];
	char				*lang;
	size_t				 i;
	int				 ok;

	for (i = 0; i < m->seg.n; i++) {
		t = &m->seg.terms[i];
		switch (t->kind) {
		case CAMPAIGN_T_CONSENT:
			ok = 1;		/* the gate checks it */
			break;
		case CAMPAIGN_T_LABEL:
			ok = store_campaign_has_label(&m->d->store, k->id,
			    t->value);
			break;
		case CAMPAIGN_T_NUMBER:
			ok = store_campaign_has_number(&m->d->store, k->id,
			    m->pnid[i]);
			break;
		case CAMPAIGN_T_ATTR:
			ok = bsearch(&k->id, m->attr[i], (size_t)m->nattr[i],
			    sizeof (int64_t), campaign_cmp_id) != NULL;
			break;
		case CAMPAIGN_T_LANG:
			lang = store_contact_io_language(&m->d->store, k->id);
			one[0] = t->value;
			ok = lang != NULL && lang_pick(one, 1, lang) == 0;
			free(lang);
			break;
		case CAMPAIGN_T_WITHIN:
			ok = k->last_contact > 0 && k->last_contact >=
			    m->now - t->secs;
			break;
		case CAMPAIGN_T_OLDER:
			ok = k->last_contact > 0 && k->last_contact <
			    m->now - t->secs;
			break;
		case CAMPAIGN_T_SINCE:
			ok = k->last_contact > 0 && k->last_contact >= t->at;
			break;
		case CAMPAIGN_T_BEFORE:
			ok = k->last_contact > 0 && k->last_contact < t->at;
			break;
		default:
			ok = 0;
		}
		if (!ok)
			return (0);
	}
	return (1);
}

static void
campaign_mat_list(struct campaign_mat *m, const char *key, int64_t id)
{
	json_t	*a;

	if (!m->list)
		return;
	if ((a = json_object_get(m->lists, key)) == NULL) {
		a = json_array();
		json_object_set_new(m->lists, key, a);
	}
	if (json_array_size(a) < CAMPAIGN_LIST_MAX)
		json_array_append_new(a, json_integer(id));
}

static int
campaign_mat_one(const struct store_campaign_contact *k, void *arg)
{
	struct campaign_mat	*m = arg;
	const char		*why;

	if (!campaign_mat_in(m, k))
		return (0);
	why = campaign_gate(k);
	if (why != NULL) {
		json_object_set_new(m->excluded, why, json_integer(
		    json_integer_value(json_object_get(m->excluded, why)) + 1));
		campaign_mat_list(m, why, k->id);
	} else {
		m->eligible++;
		campaign_mat_list(m, "recipients", k->id);
	}
	if (m->write && store_campaign_rcpt_add(&m->d->store, m->c->id, k->id,
	    why, m->now) != 0)
		return (-1);
	return (0);
}

int
campaign_materialize(struct daemon *d, const struct store_campaign *c,
    int write, int list, json_t **out, char **cause)
{
	struct campaign_mat		 m;
	const struct conf_number	*num;
	const struct campaign_term	*t;
	char				 err[256];
	size_t				 i;
	int				 n, rc = -1;
	static const char *const reasons[] = { "no-consent", "opted-out",
	    "restricted", "erased", "blocked" };

	*out = NULL;
	memset(&m, 0, sizeof m);
	m.d = d;
	m.c = c;
	m.now = clock_now();
	m.write = write;
	m.list = list;
	if (campaign_segment_parse(c->segment, &m.seg, err, sizeof err) != 0) {
		*cause = xasprintf("segment: %s", err);
		return (-1);
	}
	for (i = 0; i < m.seg.n; i++) {
		t = &m.seg.terms[i];
		if (t->kind == CAMPAIGN_T_NUMBER) {
			if ((num = conf_number_by_label(&d->conf,
			    t->value)) == NULL) {
				*cause = xasprintf("segment: no business "
				    "number is labelled '%s'", t->value);
				goto out;
			}
			m.pnid[i] = num->phone_number_id;
		} else if (t->kind == CAMPAIGN_T_ATTR) {
			m.attr[i] = xcalloc(200000, sizeof (int64_t));
			n = store_attribute_find(&d->store, t->key, t->value,
			    m.attr[i], 200000, err, sizeof err);
			if (n < 0) {
				*cause = xasprintf("segment: %s", err);
				goto out;
			}
			m.nattr[i] = n;
			qsort(m.attr[i], (size_t)n, sizeof (int64_t),
			    campaign_cmp_id);
		}
	}
	m.excluded = json_object();
	for (i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		json_object_set_new(m.excluded, reasons[i], json_integer(0));
	m.lists = json_object();
	if (store_campaign_contacts(&d->store, campaign_mat_one, &m) != 0) {
		*cause = xstrdup("database error");
		goto out;
	}
	*out = json_pack("{sI sO}", "recipients", (json_int_t)m.eligible,
	    "excluded", m.excluded);
	if (list)
		json_object_set(*out, "lists", m.lists);
	rc = 0;
out:
	for (i = 0; i < CAMPAIGN_TERMS_MAX; i++)
		free(m.attr[i]);
	json_decref(m.excluded);
	json_decref(m.lists);
	return (rc);
}

/* The number a campaign sends from. */
static const struct conf_number *
campaign_number(struct daemon *d, const struct store_campaign *c)
{
	if (c->number[0] != '\0')
		return (conf_number_by_label(&d->conf, c->number));
	return (d->conf.nnumbers > 0 ? &d->conf.numbers[0] : NULL);
}

/* Tier: 1 and *next (when room comes) if the 24 h limit is used up. */
static int
campaign_tier_full(struct daemon *d, const struct store_campaign *c,
    int64_t now, int64_t *room, int64_t *next)
{
	int64_t	used, oldest = 0;

	*next = 0;
	*room = INT32_MAX;
	if (d->conf.campaign_tier_n == 0)
		return (0);
	used = store_campaign_tier_used(&d->store, c->pnid[0] != '\0' ?
	    c->pnid : d->conf.phone_number_id, d->conf.phone_number_id,
	    now - 86400, &oldest);
	if (used < 0)
		return (0);
	*room = (int64_t)d->conf.campaign_tier_n - used;
	if (*room > 0)
		return (0);
	*next = oldest + 86400;
	return (1);
}

json_t *
campaign_json(struct daemon *d, const struct store_campaign *c)
{
	json_t	*o, *counts;
	int64_t	 room, next;

	counts = store_campaign_counts(&d->store, c->id);
	o = json_pack("{sI ss ss ss ss so ss* sI ss so sI sI sI so}",
	    "id", (json_int_t)c->id, "name", c->name, "template", c->tmpl,
	    "languages", c->languages, "segment", c->segment,
	    "params", c->params != NULL ? json_incref(c->params) :
	    json_array(), "number", c->number[0] != '\0' ? c->number : NULL,
	    "schedule", (json_int_t)c->schedule_at, "state", c->state,
	    "pause_reason", c->pause_reason[0] != '\0' ?
	    json_string(c->pause_reason) : json_null(),
	    "created", (json_int_t)c->created, "started",
	    (json_int_t)c->started, "finished", (json_int_t)c->finished,
	    "counts", counts != NULL ? counts : json_object());
	if (strcmp(c->state, "running") == 0 && campaign_tier_full(d, c,
	    clock_now(), &room, &next)) {
		json_object_set_new(o, "waiting", json_string("tier"));
		json_object_set_new(o, "next_at", json_integer(next));
	}
	return (o);
}

/* A state change as an event, and as an audit record (daemon's own). */
static json_t *
campaign_event(struct daemon *d, int64_t id)
{
	struct store_campaign	c;
	json_t			*o;

	if (store_campaign_get(&d->store, NULL, id, &c) != STORE_FOUND)
		return (NULL);
	o = campaign_json(d, &c);
	store_campaign_clear(&c);
	return (json_pack("{ss so}", "event", PEV_CAMPAIGN, "data", o));
}

/* Sending: one transaction per tick and campaign (rpc_act). */
struct campaign_batch {
	struct store_campaign		*c;
	const struct conf_number	*num;
	int				 max;
	int				 sent, skipped;
	char				*pause;		/* a reason to pause */
	int				 done;		/* nothing queued left */
};

/* params with "{name}" filled from the sealed contact (wiped after). */
static json_t *
campaign_params(struct daemon *d, json_t *params, int64_t cid)
{
	json_t		*out, *v;
	char		*name = NULL;
	size_t		 i;

	out = json_array();
	json_array_foreach(params, i, v) {
		if (json_is_string(v) && strcmp(json_string_value(v),
		    "{name}") == 0) {
			if (name == NULL)
				name = store_contact_name(&d->store, cid);
			json_array_append_new(out, json_string(name != NULL &&
			    *name != '\0' ? name : "customer"));
		} else
			json_array_append(out, v);
	}
	if (name != NULL) {
		explicit_bzero(name, strlen(name));
		free(name);
	}
	return (out);
}

static int
campaign_send_one(struct rpc_ctx *ctx, struct campaign_batch *b, int64_t rid,
    int64_t cid, int64_t now)
{
	struct daemon			*d = ctx->d;
	struct store			*s = &d->store;
	struct store_campaign_contact	 k;
	struct autosend			 a;
	const char			*why, *what, *langp[CAMPAIGN_LANGS_MAX];
	char				 langs[CAMPAIGN_LANGS_MAX][16];
	char				 cat[32], *cause = NULL, *want, *text = NULL;
	char				 detail[96];
	int64_t				 conv, mid = 0;
	json_t				*params, *obj, *body, *t;
	int				 nl, li, rc;
	enum store_found		 f;

	/* The gate again: a STOP or a restriction since the start. */
	if ((f = store_campaign_contact(s, cid, &k)) == STORE_ERROR)
		return (-1);
	why = f == STORE_NONE ? "erased" : campaign_gate(&k);
	if (why != NULL) {
		b->skipped++;
		return (store_campaign_rcpt_skip(s, rid, why, now));
	}
	nl = campaign_langs(b->c->languages, langs, CAMPAIGN_LANGS_MAX);
	for (li = 0; li < nl; li++)
		langp[li] = langs[li];
	want = store_contact_io_language(s, cid);
	li = want != NULL ? lang_pick(langp, (size_t)nl, want) : -1;
	free(want);
	if (li < 0)
		li = 0;
	params = campaign_params(d, b->c->params, cid);
	obj = templates_build_waba(d, b->num != NULL ? b->num->waba_id : NULL,
	    b->c->tmpl, langs[li], params, NULL, NULL, cat, sizeof cat,
	    &cause);
	if (obj == NULL) {
		b->pause = xasprintf("template: %s", cause);
		free(cause);
		json_decref(params);
		return (0);
	}
	if (store_conv_for_inbound(s, cid, b->c->pnid[0] != '\0' ?
	    b->c->pnid : d->conf.phone_number_id, 1, now, &conv, &what) != 0) {
		json_decref(obj);
		json_decref(params);
		return (-1);
	}
	body = json_pack("{s{ss ss sO ss}}", "template", "name", b->c->tmpl,
	    "language", langs[li], "params", params, "category", cat);
	if ((t = store_template_get_waba(s, b->num != NULL ?
	    b->num->waba_id : NULL, b->c->tmpl, langs[li])) != NULL) {
		text = tpl_render(json_object_get(t, "components"), params,
		    TPL_NO_MARK);
		json_decref(t);
	}
	if (text != NULL && *text != '\0')
		json_object_set_new(body, "text", json_string(text));
	snprintf(detail, sizeof detail, "campaign %s", b->c->name);
	memset(&a, 0, sizeof a);
	a.conv = conv;
	a.type = "template";
	a.obj = obj;
	a.body = body;
	a.preview = text != NULL && *text != '\0' ? text : b->c->tmpl;
	a.action = "campaign.send";
	a.detail = detail;
	a.now = now;
	rc = autosend_queue(d, &a, &mid);
	json_decref(obj);
	json_decref(body);
	json_decref(params);
	if (text != NULL) {
		explicit_bzero(text, strlen(text));
		free(text);
	}
	if (rc < 0)
		return (-1);
	if (rc != AUTOSEND_QUEUED) {
		b->skipped++;
		return (store_campaign_rcpt_skip(s, rid, rc ==
		    AUTOSEND_RESTRICTED ? "restricted" : rc == AUTOSEND_BLOCKED ?
		    "blocked" : rc == AUTOSEND_NO_ADDRESS ? "erased" :
		    autosend_skip_name(rc), now));
	}
	b->sent++;
	return (store_campaign_rcpt_queued(s, rid, conv, mid, langs[li], now));
}

static int
campaign_send_batch(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct campaign_batch	*b = arg;
	struct store		*s = &ctx->d->store;
	int64_t			 rids[1000], cids[1000], now = clock_now();
	int			 n, i;

	(void)err;
	n = store_campaign_next(s, b->c->id, b->max, rids, cids);
	for (i = 0; i < n && b->pause == NULL; i++)
		if (campaign_send_one(ctx, b, rids[i], cids[i], now) != 0)
			return (-1);
	if (b->pause != NULL) {
		if (store_campaign_set_state(s, b->c->id, "paused", b->pause,
		    now) != 0)
			return (-1);
		ctx->audit = (struct audit_rec){ .action = "campaign.pause",
		    .object_type = "campaign", .object_id = b->c->id,
		    .detail = b->pause, .result = "ok" };
		return (0);
	}
	if (n < b->max && store_campaign_next(s, b->c->id, 1, rids,
	    cids) == 0) {
		if (store_campaign_set_state(s, b->c->id, "finished", NULL,
		    now) != 0)
			return (-1);
		ctx->audit = (struct audit_rec){ .action = "campaign.finish",
		    .object_type = "campaign", .object_id = b->c->id,
		    .detail = b->c->name, .result = "ok" };
		b->done = 1;
		if (hook_emit_json(ctx->d, CONF_HOOK_CAMPAIGN_FINISHED, 0,
		    json_pack("{sI ss}", "campaign", (json_int_t)b->c->id,
		    "campaign_name", b->c->name)) != 0)	/* issue 18 */
			return (-1);
	}
	return (0);
}

/* A scheduled campaign whose time has come: recipients, then running. */
static int
campaign_begin(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct store_campaign	*c = arg;
	json_t			*res = NULL;
	char			*cause = NULL;

	(void)err;
	if (campaign_materialize(ctx->d, c, 1, 0, &res, &cause) != 0) {
		log_warn("campaign %s: %s", c->name, cause);
		free(cause);
		return (store_campaign_set_state(&ctx->d->store, c->id,
		    "paused", "the segment no longer parses", clock_now()));
	}
	rpc_audit_detail(ctx, "%s: scheduled start, %lld recipients",
	    c->name, (long long)json_integer_value(json_object_get(res,
	    "recipients")));
	json_decref(res);
	ctx->audit = (struct audit_rec){ .action = "campaign.start",
	    .object_type = "campaign", .object_id = c->id,
	    .detail = ctx->audit_detail, .result = "ok" };
	return (store_campaign_set_state(&ctx->d->store, c->id, "running",
	    NULL, clock_now()));
}

struct campaign_tick_state {
	struct daemon	*d;
	int64_t		 budget;	/* messages left this second */
};

static int
campaign_tick_one(struct store_campaign *c, void *arg)
{
	struct campaign_tick_state	*ts = arg;
	struct daemon			*d = ts->d;
	struct campaign_batch		 b;
	json_t				*events = NULL;
	int64_t				 now = clock_now(), room, next;

	if (strcmp(c->state, "scheduled") == 0) {
		if (c->schedule_at > now)
			return (0);
		if (rpc_act(d, &campaign_who, "campaign", campaign_begin, c,
		    &events) == 0)
			server_events(d->server, events);
		campaign_dirty(d, c->id);
		return (0);
	}
	if (strcmp(c->state, "running") != 0 || ts->budget <= 0)
		return (0);
	memset(&b, 0, sizeof b);
	b.c = c;
	b.num = campaign_number(d, c);
	if (campaign_tier_full(d, c, now, &room, &next))
		return (0);	/* waiting for the tier: campaign_json says */
	b.max = (int)(room < ts->budget ? room : ts->budget);
	if (b.max > 1000)
		b.max = 1000;
	if (rpc_act(d, &campaign_who, "campaign", campaign_send_batch, &b,
	    &events) == 0)
		server_events(d->server, events);
	ts->budget -= b.sent + b.skipped;
	if (b.sent + b.skipped > 0 || b.pause != NULL || b.done)
		campaign_dirty(d, c->id);
	free(b.pause);
	return (0);
}

void
campaign_tick(struct daemon *d)
{
	struct campaign			*c = campaign_get(d);
	struct campaign_tick_state	 ts;
	struct timespec			 mono;
	int64_t				 backlog;
	json_t				*events, *ev;
	size_t				 i;

	/* Once a second, whatever kicked the timer. */
	clock_gettime(CLOCK_MONOTONIC, &mono);
	if (mono.tv_sec == c->last_tick)
		return;
	c->last_tick = mono.tv_sec;
	ts.d = d;
	/*
	 * Meta's throughput is what the outbox achieves, not what is handed
	 * to it: top the outbox up to one second's worth of rate, never
	 * more, so a campaign never builds a backlog that an agent's reply
	 * would wait behind (and a slow Graph API slows the campaign).
	 */
	backlog = store_outbox_backlog(&d->store, d->conf.campaign_rate);
	ts.budget = backlog < 0 ? 0 : (int64_t)d->conf.campaign_rate - backlog;
	if (store_campaign_each(&d->store, NULL, campaign_tick_one, &ts) != 0)
		log_warn("campaign: cannot read the campaigns");
	/* At most one event per campaign and second. */
	c = campaign_get(d);
	if (c->ndirty == 0)
		return;
	events = json_array();
	for (i = 0; i < c->ndirty; i++)
		if ((ev = campaign_event(d, c->dirty[i])) != NULL)
			json_array_append_new(events, ev);
	c->ndirty = 0;
	server_events(d->server, events);
}

/* Hooks. */

int
campaign_on_status(struct daemon *d, const char *wamid, int status,
    int64_t code)
{
	struct store_status_msg	 sm;
	const char		*state;
	char			 reason[24];
	int64_t			 camp;

	switch (status) {
	case WA_ST_SENT:
		state = "sent";
		break;
	case WA_ST_DELIVERED:
		state = "delivered";
		break;
	case WA_ST_READ:
	case WA_ST_PLAYED:
		state = "read";
		break;
	case WA_ST_FAILED:
		state = "failed";
		break;
	default:
		return (0);
	}
	if (store_status_message(&d->store, wamid, &sm) != STORE_FOUND)
		return (0);
	snprintf(reason, sizeof reason, "%lld", (long long)code);
	camp = store_campaign_on_status(&d->store, sm.message_id, state,
	    status == WA_ST_FAILED ? reason : NULL, clock_now());
	if (camp < 0)
		return (-1);
	if (camp > 0)
		campaign_dirty(d, camp);
	return (0);
}

int
campaign_on_inbound(struct daemon *d, const struct auto_inbound *in)
{
	struct audit_rec	 rec;
	char			 name[80], label[96];
	int64_t			 camp, lid;
	int			 rc;

	camp = store_campaign_on_reply(&d->store, in->contact, in->ts,
	    CAMPAIGN_REPLY_WINDOW, name, sizeof name);
	if (camp <= 0)
		return (camp < 0 ? -1 : 0);
	snprintf(label, sizeof label, "campaign:%s", name);
	switch (store_label_id(&d->store, label, &lid)) {
	case STORE_FOUND:
		break;
	case STORE_NONE:
		if (store_label_create(&d->store, label, NULL, &lid) != 0)
			return (-1);
		break;
	default:
		return (-1);
	}
	if ((rc = store_conv_label(&d->store, in->conv, lid, 1)) < 0)
		return (-1);
	campaign_dirty(d, camp);
	if (rc == 0)
		return (0);
	rec = (struct audit_rec){ .action = "conversation.label",
	    .object_type = "conversation", .object_id = in->conv,
	    .contact_id = in->contact, .detail = label, .result = "ok" };
	if (audit_append(d, &campaign_who, &rec) != 0)
		return (-1);
	json_array_append_new(in->events, json_pack("{ss s{sI ss ss ss}}",
	    "event", PEV_LABEL, "data", "conversation", (json_int_t)in->conv,
	    "op", "add", "name", label, "by", "support-inboxd"));
	return (0);
}

/* Pausing the running campaigns a webhook concerns. */
struct campaign_pause {
	struct daemon		*d;
	const char		*waba;		/* quality: the WABA, or NULL */
	const char		*tmpl;		/* template: its name */
	char			 reason[160];
	json_t			*events;
	int			 rc;
};

static int
campaign_pause_one(struct store_campaign *c, void *arg)
{
	struct campaign_pause		*p = arg;
	const struct conf_number	*num;
	struct audit_rec		 rec;
	json_t				*ev;

	if (strcmp(c->state, "running") != 0 && strcmp(c->state,
	    "scheduled") != 0)
		return (0);
	if (p->tmpl != NULL && strcmp(p->tmpl, c->tmpl) != 0)
		return (0);
	if (p->waba != NULL) {
		num = campaign_number(p->d, c);
		if (num != NULL && num->waba_id != NULL &&
		    strcmp(num->waba_id, p->waba) != 0)
			return (0);
	}
	if (store_campaign_set_state(&p->d->store, c->id, "paused", p->reason,
	    clock_now()) != 0)
		return (-1);
	rec = (struct audit_rec){ .action = "campaign.pause",
	    .object_type = "campaign", .object_id = c->id,
	    .detail = p->reason, .result = "ok" };
	if (audit_append(p->d, &campaign_who, &rec) != 0)
		return (-1);
	log_info("campaign %s paused: %s", c->name, p->reason);
	if ((ev = campaign_event(p->d, c->id)) != NULL)
		json_array_append_new(p->events, ev);
	return (0);
}

int
campaign_on_event(struct daemon *d, const struct wa_event *ev,
    json_t *events)
{
	struct campaign_pause	 p;
	const char		*what;

	memset(&p, 0, sizeof p);
	p.d = d;
	p.events = events;
	if (ev->kind == WA_EV_ALERT && ev->field != NULL &&
	    strcmp(ev->field, "phone_number_quality_update") == 0) {
		what = json_string_value(json_object_get(ev->value, "event"));
		if (what == NULL || (strcmp(what, "DOWNGRADE") != 0 &&
		    strcmp(what, "FLAGGED") != 0))
			return (0);
		p.waba = ev->waba_id;
		snprintf(p.reason, sizeof p.reason, "quality: the number was "
		    "%s by Meta (phone_number_quality_update %s)",
		    strcmp(what, "FLAGGED") == 0 ? "flagged" : "downgraded",
		    what);
	} else if (ev->kind == WA_EV_TEMPLATE && ev->u.tmpl.event != NULL &&
	    ev->u.tmpl.name != NULL && (strcmp(ev->u.tmpl.event, "PAUSED") ==
	    0 || strcmp(ev->u.tmpl.event, "DISABLED") == 0 ||
	    strcmp(ev->u.tmpl.event, "REJECTED") == 0)) {
		p.tmpl = ev->u.tmpl.name;
		snprintf(p.reason, sizeof p.reason, "template: %.64s is %s by "
		    "Meta", ev->u.tmpl.name, ev->u.tmpl.event);
	} else
		return (0);
	return (store_campaign_each(&d->store, NULL, campaign_pause_one, &p));
}
