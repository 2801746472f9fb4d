/*
 * Event hooks: which events a hook wants, the body it gets (as much
 * personal data as its include = allows), the record in the caller's
 * transaction, and the tick that finds waiting conversations and hands due
 * deliveries to the sender (hook-send.c). See hook.h, doc/integrations.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit.h"
#include "clock.h"
#include "conf.h"
#include "conf-hook.h"
#include "crypt.h"
#include "daemon.h"
#include "hook.h"
#include "log.h"
#include "proto-names.h"
#include "store.h"
#include "xmalloc.h"

#define HOOK_BODY_MAX	(60 * 1024)	/* bytes: fits a pipe's buffer */
#define HOOK_TEXT_MAX	1024		/* bytes of text in a body */
#define HOOK_INFLIGHT	8		/* attempts at once */
#define HOOK_DIGEST_N	25		/* deliveries in one digest at most */

static const struct audit_who hook_who = { 0, "support-inboxd", NULL };

/* When a digest hook's last request started (hook_last). */
struct hook_last {
	char	 name[CONF_HOOK_NAME_MAX + 1];
	int64_t	 at;
};

struct hook_state {
	struct hook_send	*send;
	int64_t			 last_wait;	/* the last waiting scan */
	struct hook_last	 last[CONF_HOOKS_MAX];
	size_t			 nlast;
};

static struct hook_state *hook_state(struct daemon *);

static const char *const hook_titles[] = {
	"New conversation", "Conversation assigned", "Conversation resolved",
	"A message could not be sent", "SLA breached", "Survey answered",
	"Campaign finished", "A customer is waiting"
};

static void
hook_key(char *out, size_t len)
{
	unsigned char	r[16];

	randombytes_buf(r, sizeof r);
	sodium_bin2hex(out, len, r, sizeof r);
}

/* A text cut at HOOK_TEXT_MAX bytes on a character boundary. */
static json_t *
hook_text(const char *t)
{
	size_t	n = strlen(t);

	if (n > HOOK_TEXT_MAX) {
		n = HOOK_TEXT_MAX;
		while (n > 0 && ((unsigned char)t[n] & 0xc0) == 0x80)
			n--;
	}
	return (json_stringn(t, n));
}

/*
 * The body of a json hook: ids and states always; the masked number,
 * the name, the text as include allows. flat gets the same as strings
 * for a card's placeholders.
 */
static json_t *
hook_body(struct daemon *d, const struct conf_hook *h, int ev,
    const char *event, const char *key, int64_t conv, json_t *extra,
    json_t *flat, int64_t *contact)
{
	struct store_conv_info	 ci;
	json_t			*o, *c, *det, *v;
	char			*p, when[32];
	int64_t			 now = clock_now();
	time_t			 t = (time_t)now;
	struct tm		 tm;

	*contact = 0;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_pack("{ss ss ss sI ss}", "event", event, "delivery", key,
	    "hook", h->name, "created", (json_int_t)now, "created_at", when);
	json_object_set_new(flat, "event", json_string(event));
	json_object_set_new(flat, "delivery", json_string(key));
	json_object_set_new(flat, "created_at", json_string(when));
	json_object_set_new(flat, "title", json_string(ev >= 0 ?
	    hook_titles[ev] : "Test of hook"));
	json_object_set_new(flat, "hook", json_string(h->name));
	if (conv != 0 && store_conv_info(&d->store, conv, &ci) ==
	    STORE_FOUND) {
		*contact = ci.contact_id;
		json_object_set_new(o, "conversation", json_pack("{sI ss ss? "
		    "ss? si}", "id", (json_int_t)conv, "state", ci.state,
		    "team", ci.team[0] != '\0' ? ci.team : NULL, "assignee",
		    ci.assignee[0] != '\0' ? ci.assignee : NULL, "priority",
		    ci.priority));
		json_object_set_new(flat, "conversation",
		    json_sprintf("%lld", (long long)conv));
		json_object_set_new(flat, "team", json_string(ci.team[0] !=
		    '\0' ? ci.team : "(none)"));
		/* the floor's queue: nobody's, or its state (open,
		 * pending, snoozed, resolved) with its assignee */
		json_object_set_new(flat, "queue", json_string(
		    ci.assignee[0] != '\0' ? ci.state : "unassigned"));
		json_object_set_new(flat, "assignee", json_string(
		    ci.assignee[0] != '\0' ? ci.assignee : "nobody"));
		c = json_pack("{sI}", "id", (json_int_t)ci.contact_id);
		det = h->include >= CONF_HOOK_MASKED ?
		    store_contact_detail(&d->store, ci.contact_id, 0) : NULL;
		if (det != NULL) {
			if ((v = json_object_get(det, "phone_masked")) != NULL)
				json_object_set(c, "phone_masked", v);
			if (h->include >= CONF_HOOK_NAMES &&
			    json_is_string(v = json_object_get(det, "name")))
				json_object_set(c, "name", v);
			json_decref(det);
		}
		json_object_set_new(flat, "contact_name", json_string(
		    json_is_string(json_object_get(c, "name")) ?
		    json_string_value(json_object_get(c, "name")) : ""));
		json_object_set_new(flat, "contact_phone", json_string(
		    json_is_string(json_object_get(c, "phone_masked")) ?
		    json_string_value(json_object_get(c, "phone_masked")) :
		    ""));
		json_object_set_new(o, "contact", c);
		if (h->include >= CONF_HOOK_TEXT && (p = store_hook_preview(
		    &d->store, conv, ci.contact_id)) != NULL) {
			json_object_set_new(o, "text", hook_text(p));
			json_object_set_new(flat, "text", hook_text(p));
			crypt_wipe_free(p, strlen(p));
		}
	}
	json_object_set_new(o, "data", extra != NULL ? json_deep_copy(extra) :
	    json_object());
	if (extra != NULL) {
		const char	*k;

		json_object_foreach(extra, k, v) {
			if (json_is_string(v))
				json_object_set(flat, k, v);
			else if (json_is_integer(v))
				json_object_set_new(flat, k, json_sprintf("%lld",
				    (long long)json_integer_value(v)));
		}
	}
	return (o);
}

/* "{{name}}" in the card replaced by flat's strings, JSON-escaped. */
static char *
hook_card(const char *tpl, json_t *flat)
{
	struct { char *p; size_t len, cap; } b = { NULL, 0, 0 };
	const char	*s = tpl, *e;
	char		 name[64], *esc;
	json_t		*v;
	size_t		 n;

	b.cap = strlen(tpl) + 256;
	b.p = xmalloc(b.cap);
	while (*s != '\0') {
		if (s[0] == '{' && s[1] == '{' && (e = strstr(s + 2,
		    "}}")) != NULL && (size_t)(e - s - 2) < sizeof name) {
			n = (size_t)(e - s - 2);
			memcpy(name, s + 2, n);
			name[n] = '\0';
			/* an unknown placeholder is empty */
			v = json_object_get(flat, name);
			esc = v != NULL ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
			if (esc == NULL)
				esc = xstrdup("\"\"");
			n = strlen(esc) - 2;	/* without the quotes */
			if (b.len + n + 1 > b.cap) {
				b.cap = (b.len + n + 1) * 2;
				b.p = xrealloc(b.p, b.cap);
			}
			memcpy(b.p + b.len, esc + 1, n);
			b.len += n;
			free(esc);
			s = e + 2;
			continue;
		}
		if (b.len + 2 > b.cap) {
			b.cap *= 2;
			b.p = xrealloc(b.p, b.cap);
		}
		b.p[b.len++] = *s++;
	}
	b.p[b.len] = '\0';
	return (b.p);
}

/*
 * The text sent: the body as JSON, or for teams the message envelope
 * around the filled card. NULL (error set) if the card is no JSON.
 */
static char *
hook_render(const struct conf_hook *h, json_t *body, json_t *flat,
    const char **error)
{
	json_t	*card, *env;
	char	*text, *filled;

	if (h->format != CONF_HOOK_TEAMS)
		return (json_dumps(body, JSON_COMPACT));
	filled = hook_card(h->card != NULL ? h->card : "{}", flat);
	card = json_loads(filled, 0, NULL);
	crypt_wipe_free(filled, strlen(filled));
	if (card == NULL) {
		*error = "the card template is not JSON once filled";
		return (NULL);
	}
	env = json_pack("{ss s[{ss sn so}]}", "type", "message",
	    "attachments", "contentType",
	    "application/vnd.microsoft.card.adaptive", "contentUrl",
	    "content", card);
	text = json_dumps(env, JSON_COMPACT);
	json_decref(env);
	return (text);
}

/*
 * The time L a digest hook's last request started: set by hook_start
 * when it hands one to the sender (hook_last_set), exact on the inbox's
 * clock. After the daemon's start nothing is known yet: it is read once
 * per hook and run from the table, as the end of the hook's latest
 * attempt (the latest updated of its rows with attempts > 0:
 * hook_outcomes writes it when a request ends, at most timeout seconds
 * after it started; a retry back to attempts 0 is no attempt), so a
 * restart does not send a second card within the digest either.
 */
static struct hook_last *
hook_last(struct daemon *d, const char *name)
{
	struct hook_state	*hs = hook_state(d);
	struct hook_last	*l;
	size_t			 i;

	for (i = 0; i < hs->nlast; i++)
		if (strcmp(hs->last[i].name, name) == 0)
			return (&hs->last[i]);
	if (hs->nlast == CONF_HOOKS_MAX)
		hs->nlast = 0;	/* reloads renamed many: read anew */
	l = &hs->last[hs->nlast++];
	snprintf(l->name, sizeof l->name, "%s", name);
	l->at = store_hook_last_attempt(&d->store, name);
	return (l);
}

static void
hook_last_set(struct daemon *d, const struct conf_hook *h, int64_t now)
{
	if (h->digest != 0)
		hook_last(d, h->name)->at = now;
}

/*
 * When a new delivery is due: now, or for a digest hook (leading edge)
 * not before L + digest, L its last request's start (hook_last). Those
 * that come within the digest all get L + digest and so go together in
 * one request; the first after a quiet time goes at once.
 */
static int64_t
hook_next_at(struct daemon *d, const struct conf_hook *h)
{
	int64_t	now = clock_now(), at;

	if (h->digest == 0)
		return (now);
	at = hook_last(d, h->name)->at + (int64_t)h->digest;
	return (at > now ? at : now);
}

/* Records one delivery of event ev for hook h; 0 (also if deduplicated
 * or too large: logged), -1 database error. */
static int
hook_record(struct daemon *d, const struct conf_hook *h, int ev,
    const char *event, int64_t conv, json_t *extra, const char *dedup,
    int64_t *id)
{
	struct store_hook_row	 r;
	json_t			*body, *flat = json_object();
	const char		*error = NULL;
	char			*text;
	int			 rc;

	memset(&r, 0, sizeof r);
	snprintf(r.hook, sizeof r.hook, "%s", h->name);
	snprintf(r.event, sizeof r.event, "%s", event);
	hook_key(r.key, sizeof r.key);
	if (dedup != NULL)
		snprintf(r.dedup, sizeof r.dedup, "%s", dedup);
	r.conv_id = conv;
	r.next_at = hook_next_at(d, h);
	body = hook_body(d, h, ev, event, r.key, conv, extra, flat,
	    &r.contact_id);
	text = hook_render(h, body, flat, &error);
	json_decref(body);
	json_decref(flat);
	if (text == NULL) {
		log_error("hook %s: %s: %s", h->name, event, error);
		return (0);
	}
	if (strlen(text) > HOOK_BODY_MAX) {
		log_error("hook %s: %s: body over %d bytes not recorded",
		    h->name, event, HOOK_BODY_MAX);
		crypt_wipe_free(text, strlen(text));
		return (0);
	}
	rc = store_hook_add(&d->store, &r, text, clock_now(), id);
	crypt_wipe_free(text, strlen(text));
	return (rc < 0 ? -1 : 0);
}

int
hook_emit(struct daemon *d, int ev, int64_t conv, json_t *extra)
{
	const struct conf_hook	*h;
	int64_t			 id;
	size_t			 i;

	for (i = 0; i < d->conf.nhooks; i++) {
		h = &d->conf.hooks[i];
		if (!(h->events & (1u << ev)))
			continue;
		if (hook_record(d, h, ev, conf_hook_event_name(ev), conv,
		    extra, NULL, &id) != 0)
			return (-1);
	}
	return (0);
}

int
hook_emit_json(struct daemon *d, int ev, int64_t conv, json_t *extra)
{
	int	rc = hook_emit(d, ev, conv, extra);

	json_decref(extra);
	return (rc);
}

int
hook_test(struct daemon *d, const struct conf_hook *h, int64_t *id)
{
	json_t	*extra = json_pack("{ss}", "note", "a test delivery "
		    "(hook test)");
	int	 rc;

	*id = 0;
	rc = hook_record(d, h, -1, "hook.test", 0, extra, NULL, id);
	json_decref(extra);
	return (rc);
}

static int64_t
hook_int(json_t *data, const char *k)
{
	return (json_integer_value(json_object_get(data, k)));
}

static const char *
hook_str(json_t *data, const char *k)
{
	const char	*s = json_string_value(json_object_get(data, k));

	return (s != NULL ? s : "");
}

/* A failed send: its message and, where known, the code and its words. */
static int
hook_failed(struct daemon *d, json_t *data)
{
	json_t	*x;
	int	 rc;

	x = json_pack("{sI}", "message", (json_int_t)hook_int(data,
	    "message"));
	if (json_is_integer(json_object_get(data, "error_code")))
		json_object_set(x, "error_code", json_object_get(data,
		    "error_code"));
	if (json_is_integer(json_object_get(data, "code")))
		json_object_set(x, "error_code", json_object_get(data, "code"));
	if (json_is_string(json_object_get(data, "explain")))
		json_object_set(x, "explain", json_object_get(data,
		    "explain"));
	rc = hook_emit(d, CONF_HOOK_MSG_FAILED, hook_int(data,
	    "conversation"), x);
	json_decref(x);
	return (rc);
}

int
hook_events(struct daemon *d, json_t *events)
{
	json_t		*ev, *data, *x;
	const char	*name, *s;
	size_t		 i;
	int		 rc = 0;

	if (d->conf.nhooks == 0)
		return (0);
	json_array_foreach(events, i, ev) {
		name = hook_str(ev, "event");
		data = json_object_get(ev, "data");
		x = NULL;
		if (strcmp(name, PEV_MESSAGE) == 0 &&
		    strcmp(hook_str(data, "direction"), "in") == 0 &&
		    ((s = hook_str(data, "conversation_state"))[0] == 'c' ||
		    s[0] == 'n')) {
			x = json_pack("{sI}", "message", (json_int_t)hook_int(
			    data, "message"));
			rc = hook_emit(d, CONF_HOOK_CONV_NEW, hook_int(data,
			    "conversation"), x);
		} else if (strcmp(name, PEV_ASSIGNMENT) == 0 &&
		    hook_str(data, "assignee")[0] != '\0') {
			x = json_pack("{ss ss}", "assignee", hook_str(data,
			    "assignee"), "by", hook_str(data, "by"));
			rc = hook_emit(d, CONF_HOOK_CONV_ASSIGNED,
			    hook_int(data, "conversation"), x);
		} else if (strcmp(name, PEV_STATE) == 0 &&
		    strcmp(hook_str(data, "state"), "resolved") == 0) {
			x = json_pack("{ss ss}", "was", hook_str(data, "was"),
			    "by", hook_str(data, "by"));
			rc = hook_emit(d, CONF_HOOK_CONV_RESOLVED,
			    hook_int(data, "conversation"), x);
		} else if (strcmp(name, PEV_STATUS) == 0 &&
		    strcmp(hook_str(data, "status"), "failed") == 0 &&
		    hook_int(data, "conversation") != 0)
			rc = hook_failed(d, data);
		else if (strcmp(name, PEV_OUTBOX) == 0 &&
		    strcmp(hook_str(data, "state"), "failed") == 0)
			rc = hook_failed(d, data);
		json_decref(x);
		if (rc != 0)
			return (-1);
	}
	return (0);
}

int
hook_outbox(struct daemon *d, json_t *datas)
{
	json_t	*data;
	size_t	 i;

	if (d->conf.nhooks == 0)
		return (0);
	json_array_foreach(datas, i, data) {
		if (strcmp(hook_str(data, "state"), "failed") == 0 &&
		    hook_failed(d, data) != 0)
			return (-1);
	}
	return (0);
}

/* --- the tick --- */

struct hook_wait {
	struct daemon		*d;
	const struct conf_hook	*h;
	int64_t			 now;
	int			 rc;
};

static void
hook_wait_one(int64_t conv, int64_t contact, int64_t since, const char *team,
    void *arg)
{
	struct hook_wait	*w = arg;
	json_t			*x;
	char			 dedup[160];
	int64_t			 id;

	(void)contact; (void)team;
	if (w->rc != 0)
		return;
	snprintf(dedup, sizeof dedup, "%s:waiting:%lld:%lld", w->h->name,
	    (long long)conv, (long long)since);
	x = json_pack("{sI sI si}", "waiting_since", (json_int_t)since,
	    "waited_minutes", (json_int_t)((w->now - since) / 60),
	    "threshold_minutes", (int)w->h->waiting_minutes);
	if (hook_record(w->d, w->h, CONF_HOOK_CONV_WAITING,
	    "conversation.waiting", conv, x, dedup, &id) != 0)
		w->rc = -1;
	json_decref(x);
}

/* conversation.waiting: each hook's threshold, once per wait. */
static void
hook_waiting(struct daemon *d, int64_t now)
{
	struct hook_wait	 w;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < d->conf.nhooks; i++) {
		w.h = &d->conf.hooks[i];
		if (!(w.h->events & (1u << CONF_HOOK_CONV_WAITING)))
			continue;
		w.d = d;
		w.now = now;
		w.rc = 0;
		if (store_begin(&d->store) != 0)
			return;
		if (store_hook_waiting(&d->store, w.h->name, now -
		    (int64_t)w.h->waiting_minutes * 60, hook_wait_one,
		    &w) != 0 || w.rc != 0) {
			store_rollback(&d->store);
			log_error("hook %s: cannot record waiting "
			    "conversations", w.h->name);
			continue;
		}
		if (store_commit(&d->store, &cause) != 0) {
			log_error("hook %s: %s", w.h->name, cause);
			free(cause);
		}
	}
}

static int64_t
hook_backoff(const struct conf_hook *h, int64_t attempts)
{
	int64_t	delay = h->backoff;
	int64_t	i;

	for (i = 1; i < attempts && delay < h->backoff_max; i++)
		delay *= 2;
	if (delay > h->backoff_max)
		delay = h->backoff_max;
	/* up to a quarter more, so that many retries do not come at once */
	return (delay + randombytes_uniform((uint32_t)(delay / 4 + 1)));
}

/*
 * One request's outcome for the n deliveries it carried (one, or a
 * digest's): each row and its own hook.deliver record, in one
 * transaction. A failed digest's rows get the same next attempt, so they
 * are sent again together (the same first row: the same X-SI-Delivery).
 */
static void
hook_outcomes(struct daemon *d, const struct store_hook_row *r, size_t n,
    const struct conf_hook *h, int ok, const char *error)
{
	struct audit_rec	 rec;
	const char		*state[HOOK_DIGEST_N];
	char			 detail[256], in[48], *cause = NULL;
	int64_t			 attempts, most = 0, now = clock_now();
	int64_t			 next = now;
	size_t			 i;

	for (i = 0; i < n; i++)
		if (r[i].attempts + 1 > most)
			most = r[i].attempts + 1;
	if (!ok && h != NULL)
		next = now + hook_backoff(h, most);
	in[0] = '\0';
	if (n > 1)
		snprintf(in, sizeof in, " (in a digest of %zu)", n);
	if (store_begin(&d->store) != 0)
		return;	/* stays pending: sent again */
	for (i = 0; i < n; i++) {
		attempts = r[i].attempts + 1;
		if (ok)
			state[i] = "delivered";
		else if (h == NULL || attempts >= (int64_t)h->max_attempts)
			state[i] = "dead";
		else
			state[i] = "pending";
		snprintf(detail, sizeof detail, "hook %s event %s attempt "
		    "%lld%s: %s%s%s", r[i].hook, r[i].event,
		    (long long)attempts, in, ok ? "delivered" :
		    error != NULL ? error : "failed", ok ? "" : "; now ",
		    ok ? "" : state[i]);
		memset(&rec, 0, sizeof rec);
		rec.action = "hook.deliver";
		rec.object_type = "hook_delivery";
		rec.object_id = r[i].id;
		rec.detail = detail;
		rec.result = ok ? "ok" : strcmp(state[i], "dead") == 0 ?
		    "dead" : "failed";
		if (store_hook_set(&d->store, r[i].id, state[i], attempts,
		    next, ok ? NULL : error, now) != 0 ||
		    audit_append(d, &hook_who, &rec) != 0) {
			store_rollback(&d->store);
			log_error("hook %s: cannot record delivery %lld",
			    r[i].hook, (long long)r[i].id);
			return;
		}
	}
	if (store_commit(&d->store, &cause) != 0) {
		log_error("hook %s: %s", n > 0 ? r[0].hook : "?", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (ok)
			log_info("hook %s: delivery %lld (%s) delivered%s",
			    r[i].hook, (long long)r[i].id, r[i].event, in);
		else
			log_warn("hook %s: delivery %lld (%s) attempt %lld%s: "
			    "%s; %s", r[i].hook, (long long)r[i].id,
			    r[i].event, (long long)r[i].attempts + 1, in,
			    error != NULL ? error : "failed", state[i]);
	}
}

static void
hook_outcome(struct daemon *d, const struct store_hook_row *r,
    const struct conf_hook *h, int ok, const char *error)
{
	hook_outcomes(d, r, 1, h, ok, error);
}

static void
hook_done(struct daemon *d, const int64_t *ids, size_t n, int ok,
    const char *error)
{
	struct store_hook_row	r[HOOK_DIGEST_N];
	size_t			i, k = 0;

	/* those still pending (a hook retry or erasure may have come) */
	for (i = 0; i < n && k < HOOK_DIGEST_N; i++)
		if (store_hook_get(&d->store, ids[i], &r[k]) == STORE_FOUND &&
		    strcmp(r[k].state, "pending") == 0)
			k++;
	if (k > 0)
		hook_outcomes(d, r, k, conf_hook_by_name(&d->conf, r[0].hook),
		    ok, error);
}

/* The state, without the sender: a record needs only hook_last. */
static struct hook_state *
hook_state(struct daemon *d)
{
	if (d->hook == NULL)
		d->hook = xcalloc(1, sizeof (struct hook_state));
	return (d->hook);
}

/* The state with its sender (the tick, on the event loop). */
static struct hook_state *
hook_get(struct daemon *d)
{
	struct hook_state	*hs = hook_state(d);

	if (hs->send == NULL)
		hs->send = hook_send_new(d, hook_done);
	return (hs);
}

/* Starts one request for the n rows (their ids) with body. */
static void
hook_start(struct daemon *d, struct hook_state *hs, const struct conf_hook *h,
    const struct store_hook_row *r, size_t n, const char *event,
    const char *body, int64_t now)
{
	int64_t	 ids[HOOK_DIGEST_N];
	char	*error = NULL;
	size_t	 i;

	for (i = 0; i < n; i++)
		ids[i] = r[i].id;
	hook_last_set(d, h, now);
	if (hook_send_start(hs->send, h, ids, n, event, r[0].key, body,
	    &error) != 0) {
		hook_outcomes(d, r, n, h, 0, error);
		free(error);
	}
}

/* A row's body in clear, or NULL: then the row is dead (erased contact). */
static char *
hook_body_of(struct daemon *d, struct store_hook_row *r,
    const struct conf_hook *h)
{
	char	*body;

	if ((body = store_hook_body(&d->store, r)) == NULL) {
		r->attempts = h->max_attempts;
		hook_outcome(d, r, h, 0, "body unreadable (contact erased)");
	}
	return (body);
}

/*
 * A digest hook's due deliveries (up to HOOK_DIGEST_N, oldest first) in
 * one request; those that do not fit stay due for the next, after this
 * one ends. One alone goes as it was recorded, as without digest.
 */
static void
hook_send_digest(struct daemon *d, struct hook_state *hs,
    const struct conf_hook *h, int64_t now)
{
	struct store_hook_row	 rows[HOOK_DIGEST_N];
	char			*bodies[HOOK_DIGEST_N], *text;
	size_t			 n, i, k = 0, used = 0;

	n = store_hook_due_of(&d->store, h->name, now, rows, HOOK_DIGEST_N);
	for (i = 0; i < n; i++)
		if (hook_send_busy(hs->send, rows[i].id))
			return;	/* one request of a hook at a time */
	for (i = 0; i < n; i++) {
		if ((bodies[k] = hook_body_of(d, &rows[i], h)) == NULL)
			continue;	/* left out */
		rows[k++] = rows[i];
	}
	if (k == 0)
		return;
	text = k > 1 ? hook_digest_build(h, bodies, k, rows[0].created,
	    &used) : NULL;
	if (text != NULL) {
		hook_start(d, hs, h, rows, used, "digest", text, now);
		crypt_wipe_free(text, strlen(text));
	} else
		hook_start(d, hs, h, rows, 1, rows[0].event, bodies[0], now);
	for (i = 0; i < k; i++)
		crypt_wipe_free(bodies[i], strlen(bodies[i]));
}

/* Hands the due deliveries to the sender. */
static void
hook_send_due(struct daemon *d, struct hook_state *hs, int64_t now)
{
	struct store_hook_row	 rows[HOOK_INFLIGHT * 2];
	const struct conf_hook	*h;
	const char		*seen[HOOK_INFLIGHT * 2];
	char			*body;
	size_t			 n, i, j, nseen = 0;

	n = store_hook_due(&d->store, now, rows, HOOK_INFLIGHT * 2);
	for (i = 0; i < n && hook_send_count(hs->send) < HOOK_INFLIGHT; i++) {
		if (hook_send_busy(hs->send, rows[i].id))
			continue;
		if ((h = conf_hook_by_name(&d->conf, rows[i].hook)) == NULL) {
			hook_outcome(d, &rows[i], NULL, 0, "no such hook in "
			    "the configuration");
			continue;
		}
		if (h->digest != 0) {
			/* all its due ones at once, once a tick */
			for (j = 0; j < nseen && seen[j] != h->name; j++)
				;
			if (j == nseen) {
				seen[nseen++] = h->name;
				hook_send_digest(d, hs, h, now);
			}
			continue;
		}
		if ((body = hook_body_of(d, &rows[i], h)) == NULL)
			continue;
		hook_start(d, hs, h, &rows[i], 1, rows[i].event, body, now);
		crypt_wipe_free(body, strlen(body));
	}
}

void
hook_tick(struct daemon *d)
{
	struct hook_state	*hs;
	int64_t			 now;

	if ((d->conf.nhooks == 0 && d->hook == NULL) || d->store.damaged)
		return;
	hs = hook_get(d);
	now = clock_now();
	hook_send_poll(hs->send);	/* also after a reload took all hooks */
	if (d->conf.nhooks == 0)
		return;
	if (now - hs->last_wait >= 10 || now < hs->last_wait) {
		hs->last_wait = now;
		hook_waiting(d, now);
	}
	hook_send_due(d, hs, now);
}

void
hook_stop(struct daemon *d)
{
	struct hook_state	*hs = d->hook;

	if (hs == NULL)
		return;
	hook_send_free(hs->send);
	free(hs);
	d->hook = NULL;
}
