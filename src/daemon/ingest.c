/* From parsed webhook events to rows; see ingest.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "automation.h"
#include "campaign.h"
#include "clock.h"
#include "consent.h"
#include "daemon.h"
#include "ingest.h"
#include "interactive.h"
#include "log.h"
#include "media.h"
#include "numbers.h"
#include "meta-errors.h"
#include "outbox.h"
#include "proto-names.h"
#include "store.h"
#include "wa-payload.h"
#include "xmalloc.h"

static void
ingest_set_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, key, json_string(v));
}

static json_t *
ingest_errors_json(const struct wa_error *e, size_t n)
{
	json_t	*arr;
	size_t	 i;

	arr = json_array();
	for (i = 0; i < n; i++) {
		json_t	*o = json_object();

		json_object_set_new(o, "code", json_integer(e[i].code));
		ingest_set_str(o, "title", e[i].title);
		ingest_set_str(o, "message", e[i].message);
		ingest_set_str(o, "details", e[i].details);
		json_array_append_new(arr, o);
	}
	return (arr);
}

/* What the client shows for a message: everything but the raw object. */
static json_t *
ingest_msg_body(const struct wa_message *m)
{
	json_t	*b, *o;

	b = json_object();
	ingest_set_str(b, "wamid", m->wamid);
	ingest_set_str(b, "subtype", m->subtype);
	ingest_set_str(b, "text", m->text);
	if (m->media_id != NULL || m->mime_type != NULL) {
		o = json_object();
		ingest_set_str(o, "id", m->media_id);
		ingest_set_str(o, "mime_type", m->mime_type);
		ingest_set_str(o, "sha256", m->sha256);
		ingest_set_str(o, "filename", m->filename);
		ingest_set_str(o, "caption", m->caption);
		ingest_set_str(o, "url", m->media_url);
		if (m->voice)
			json_object_set_new(o, "voice", json_true());
		if (m->animated)
			json_object_set_new(o, "animated", json_true());
		json_object_set_new(b, "media", o);
	}
	if (m->has_location) {
		o = json_pack("{sf sf}", "latitude", m->latitude, "longitude",
		    m->longitude);
		ingest_set_str(o, "name", m->loc_name);
		ingest_set_str(o, "address", m->loc_address);
		json_object_set_new(b, "location", o);
	}
	if (m->shared != NULL)
		json_object_set(b, "contacts", m->shared);
	ingest_set_str(b, "reply_id", m->reply_id);
	if (m->reaction_to != NULL)
		json_object_set_new(b, "reaction", json_pack("{ss ss}",
		    "to", m->reaction_to, "emoji", m->reaction_emoji != NULL ?
		    m->reaction_emoji : ""));
	ingest_set_str(b, "edits", m->edits);
	ingest_set_str(b, "revokes", m->revokes);
	if (m->context_id != NULL || m->forwarded ||
	    m->frequently_forwarded || m->referred_product != NULL) {
		o = json_object();
		ingest_set_str(o, "id", m->context_id);
		ingest_set_str(o, "from", m->context_from);
		if (m->forwarded)
			json_object_set_new(o, "forwarded", json_true());
		if (m->frequently_forwarded)
			json_object_set_new(o, "frequently_forwarded",
			    json_true());
		ingest_set_str(o, "referred_product", m->referred_product);
		json_object_set_new(b, "context", o);
	}
	if (m->referral != NULL)
		json_object_set(b, "referral", m->referral);
	if (m->system_type != NULL) {
		o = json_object();
		ingest_set_str(o, "type", m->system_type);
		ingest_set_str(o, "new_wa_id", m->new_wa_id);
		ingest_set_str(o, "new_user_id", m->new_user_id);
		json_object_set_new(b, "system", o);
	}
	if (m->nerrors > 0)
		json_object_set_new(b, "errors", ingest_errors_json(m->errors,
		    m->nerrors));
	ingest_set_str(b, "group_id", m->group_id);
	/* The original object too, so an export holds all Meta sent. */
	if (m->object != NULL)
		json_object_set(b, "raw", m->object);
	return (b);
}

/* One line for the conversation list. */
static char *
ingest_preview(const struct wa_message *m)
{
	const char	*t = m->text != NULL ? m->text : m->caption;
	char		*p;

	if (m->reaction_to != NULL)
		p = xasprintf("[reaction] %s", m->reaction_emoji != NULL ?
		    m->reaction_emoji : "");
	else if (m->media_id != NULL)
		p = xasprintf("[%s]%s%s", m->type, t != NULL ? " " : "",
		    t != NULL ? t : "");
	else if (t != NULL)
		p = xstrdup(t);
	else
		p = xasprintf("[%s]", m->type != NULL ? m->type : "message");
	if (strlen(p) > 200) {
		/* cut on a UTF-8 boundary */
		size_t	n = 200;

		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		p[n] = '\0';
	}
	return (p);
}

/*
 * A webhook that names a number and a BSUID together says they are one
 * person: two contacts holding them become one, the older kept (the
 * daemon's act, audited like contact.merge, in ingest's transaction, so
 * not through rpc_act, which opens its own). Two that cannot be one (each
 * with a number of its own) stay apart, with a warning.
 */
static int
ingest_link(struct daemon *d, const struct wa_who *who, int64_t now,
    json_t *events)
{
	static const struct audit_who	 daemon_who = { 0, "support-inboxd",
					    NULL };
	struct audit_rec		 rec;
	int64_t				 by_wa, by_bsuid, into, from;
	const char			*why;
	char				 detail[96];
	int				 rc;

	if (who->wa_id == NULL || who->user_id == NULL)
		return (0);
	if (store_contact_pair(&d->store, who->wa_id, who->user_id, &by_wa,
	    &by_bsuid) != 0)
		return (-1);
	if (by_wa == 0 || by_bsuid == 0 || by_wa == by_bsuid)
		return (0);
	into = by_wa < by_bsuid ? by_wa : by_bsuid;
	from = by_wa < by_bsuid ? by_bsuid : by_wa;
	if ((rc = store_contact_merge(&d->store, into, from, 0, now,
	    &why)) < 0)
		return (-1);
	if (rc > 0) {
		log_warn("ingest: contacts %" PRId64 " and %" PRId64 " share a "
		    "customer but were not merged: %s", into, from, why);
		return (0);
	}
	snprintf(detail, sizeof detail, "contact %" PRId64 " merged into %"
	    PRId64 " (a webhook named both)", from, into);
	rec = (struct audit_rec){ .action = "contact.merge",
	    .object_type = "contact", .object_id = into, .contact_id = into,
	    .result = "ok", .detail = detail };
	if (audit_append(d, &daemon_who, &rec) != 0)
		return (-1);
	log_info("contact %" PRId64 " merged into %" PRId64, from, into);
	json_array_append_new(events, json_pack("{ss s{sI sI}}", "event",
	    PEV_CONTACT_MERGED, "data", "into", (json_int_t)into, "from",
	    (json_int_t)from));
	return (0);
}

static int
ingest_contact(struct daemon *d, const struct wa_who *who, int64_t raw_id,
    int64_t now, json_t *events, int64_t *cid)
{
	struct store_contact_in	 in;
	int			 created;

	if (ingest_link(d, who, now, events) != 0)
		return (-1);
	memset(&in, 0, sizeof in);
	in.wa_id = who->wa_id;
	in.user_id = who->user_id;
	in.username = who->username;
	in.name = who->name;
	if (in.wa_id == NULL && in.user_id == NULL)
		return (1);	/* nobody to attach it to */
	if (store_contact_upsert(&d->store, &in, now, cid, &created) != 0)
		return (-1);
	if (raw_id != 0 && store_raw_link_contact(&d->store, raw_id,
	    *cid) != 0)
		return (-1);
	return (0);
}

static int
ingest_message(struct daemon *d, const struct wa_event *ev, int64_t raw_id,
    int64_t now, json_t *events, uint64_t *stored, uint64_t *dups)
{
	const struct wa_message	*m = &ev->u.msg;
	const struct conf_number *num;
	struct store_msg_in	 in;
	int64_t			 cid, conv, mid;
	const char		*what = "existing";
	json_t			*body;
	char			*preview;
	int			 rc;

	if ((rc = ingest_contact(d, &ev->who, raw_id, now, events,
	    &cid)) != 0) {
		if (rc < 0)
			return (-1);
		log_warn("ingest: message without a customer id skipped");
		return (0);
	}
	if (store_conv_for_inbound(&d->store, cid, ev->phone_number_id,
	    d->conf.reopen_new, m->timestamp != 0 ? m->timestamp : now, &conv,
	    &what) != 0)
		return (-1);
	/* A new conversation goes to its number's team, if it has one. */
	if (what[0] == 'c' || what[0] == 'n') {
		num = conf_number_by_id(&d->conf, ev->phone_number_id);
		if (num != NULL && num->team != NULL &&
		    store_number_conv_team(&d->store, conv, num->team) != 0)
			return (-1);
	}
	memset(&in, 0, sizeof in);
	in.conv_id = conv;
	in.contact_id = cid;
	in.wamid = m->wamid;
	in.outbound = m->outbound;
	in.type = m->type != NULL ? m->type : "unknown";
	in.supported = m->supported;
	in.ts = m->timestamp != 0 ? m->timestamp : now;
	body = ingest_msg_body(m);
	preview = ingest_preview(m);
	/* A button or list reply names its option and the question. */
	if (!m->outbound && interactive_answer(d, m, cid, body,
	    &preview) != 0) {
		json_decref(body);
		free(preview);
		return (-1);
	}
	in.body = body;
	in.preview = preview;
	in.status = m->outbound ? WA_ST_SENT : WA_ST_NONE;
	rc = store_msg_insert(&d->store, &in, now, &mid);
	json_decref(body);
	free(preview);
	if (rc < 0)
		return (-1);
	if (rc == 1) {
		(*dups)++;
		return (0);
	}
	(*stored)++;
	/* "STOP" / "START" from the customer: the consent ledger (consent.h). */
	if (!m->outbound && m->text != NULL && strcmp(in.type, "text") == 0 &&
	    consent_on_inbound(d, conv, cid, mid, m->text, in.ts) != 0)
		return (-1);
	/* The inbox's own answers, rules and the survey (automation.h). */
	if (!m->outbound) {
		struct auto_inbound	ai = { .conv = conv, .contact = cid,
		    .msg = mid, .number_id = ev->phone_number_id,
		    .conv_state = what, .type = in.type, .text = m->text,
		    .reply_id = m->reply_id, .ts = in.ts, .now = now,
		    .events = events };

		if (automation_inbound(d, &ai) != 0)
			return (-1);
	}
	/* Customer files are fetched into the blob store in the background. */
	if (m->media_id != NULL && !m->outbound && media_on_inbound(d, mid,
	    cid, m->media_id, m->mime_type) != 0)
		return (-1);
	/* Reactions, edits and revokes also mark the message they change. */
	if (m->reaction_to != NULL) {
		body = json_pack("{ss sI ss}", "emoji", m->reaction_emoji !=
		    NULL ? m->reaction_emoji : "", "ts",
		    (json_int_t)in.ts, "from", m->outbound ? "us" : "customer");
		rc = store_msg_amend(&d->store, m->reaction_to, "reaction",
		    body, now);
		json_decref(body);
	} else if (m->edits != NULL) {
		body = json_pack("{so sI}", "text", m->text != NULL ?
		    json_string(m->text) : json_null(), "ts",
		    (json_int_t)in.ts);
		rc = store_msg_amend(&d->store, m->edits, "edits", body, now);
		json_decref(body);
	} else if (m->revokes != NULL) {
		body = json_pack("{sI}", "ts", (json_int_t)in.ts);
		rc = store_msg_amend(&d->store, m->revokes, "revokes", body,
		    now);
		json_decref(body);
	}
	if (rc < 0)
		return (-1);
	json_array_append_new(events, json_pack("{ss s{sI sI ss ss}}",
	    "event", PEV_MESSAGE, "data", "conversation", (json_int_t)conv,
	    "message", (json_int_t)mid, "direction", m->outbound ? "out" :
	    "in", "conversation_state", what));
	return (0);
}

/*
 * What a client needs to act on a status without asking: which message of
 * which conversation, the state it shows now and, for a failure, the code
 * and its plain words (meta-errors.c). No personal data: ids and codes.
 */
static int
ingest_status_event(struct daemon *d, const char *wamid, enum wa_status st,
    json_t *events)
{
	struct store_status_msg		 sm;
	const struct meta_errors_entry	*e;
	enum store_found		 f;
	json_t				*data;

	if ((f = store_status_message(&d->store, wamid, &sm)) == STORE_ERROR)
		return (-1);
	if (f == STORE_NONE) {
		/* Kept for a message not known yet: nothing to show. */
		data = json_pack("{ss}", "status", wa_payload_status_name(st));
	} else {
		data = json_pack("{ss sI sI ss}", "status",
		    wa_payload_status_name(st), "conversation",
		    (json_int_t)sm.conv_id, "message",
		    (json_int_t)sm.message_id, "state",
		    wa_payload_status_name((enum wa_status)sm.status));
		if (sm.agent[0] != '\0')
			json_object_set_new(data, "agent",
			    json_string(sm.agent));
		if (sm.status == WA_ST_FAILED) {
			e = meta_errors_lookup(sm.error_code);
			json_object_set_new(data, "error_code",
			    json_integer(sm.error_code));
			json_object_set_new(data, "explain",
			    json_string(e->explain));
		}
	}
	json_array_append_new(events, json_pack("{ss so}", "event",
	    PEV_STATUS, "data", data));
	return (0);
}

static int
ingest_status(struct daemon *d, const struct wa_event *ev, int64_t now,
    json_t *events, uint64_t *stored, uint64_t *dups)
{
	const struct wa_status_ev	*s = &ev->u.status;
	const struct wa_error		*e = s->nerrors > 0 ? &s->errors[0] :
					    NULL;
	char				*detail = NULL;
	int				 changed, rc;

	if (s->wamid == NULL || s->status == WA_ST_NONE)
		return (0);
	if (e != NULL && (e->message != NULL || e->details != NULL))
		detail = xasprintf("%s%s%s", e->message != NULL ? e->message :
		    "", e->message != NULL && e->details != NULL ? ": " : "",
		    e->details != NULL ? e->details : "");
	/* Ours in doubt (timeout) learns its wamid before the status. */
	if (outbox_on_status(d, s->wamid, s->opaque, (int)s->status,
	    e != NULL ? e->code : 0) != 0 || campaign_on_status(d, s->wamid,
	    (int)s->status, e != NULL ? e->code : 0) != 0) {
		free(detail);
		return (-1);
	}
	rc = store_status_apply(&d->store, s->wamid, (int)s->status,
	    s->timestamp, e != NULL ? e->code : 0, e != NULL ? e->title : NULL,
	    detail, now, &changed);
	free(detail);
	if (rc != 0)
		return (-1);
	(*stored)++;
	if (changed && ingest_status_event(d, s->wamid, s->status, events) != 0)
		return (-1);
	(void)dups;
	return (0);
}

/*
 * Applies every event of one body (messages, statuses, identity changes,
 * consent, template and error notices). raw_id links the stored raw body
 * to the contacts it concerns (for erasure). Events for connected clients
 * are appended to `events` as event objects (server_events sends them
 * after the commit). Also remembers the business's display number on the
 * daemon, which a roll-back does not undo. Returns 0 or -1 (the caller
 * rolls back to its savepoint and drops the events it appended).
 */
static int
ingest_batch(struct daemon *d, const struct wa_batch *b, int64_t raw_id,
    json_t *events, uint64_t *stored, uint64_t *dups)
{
	const struct wa_event	*ev;
	int64_t			 now = clock_now(), cid;
	char			*detail;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i < b->nevents && rc == 0; i++) {
		ev = &b->events[i];
		/* The business's own number, for the clients' top bar. */
		if (ev->display_number != NULL && (d->display_number == NULL ||
		    strcmp(d->display_number, ev->display_number) != 0) &&
		    strlen(ev->display_number) < 32) {
			free(d->display_number);
			d->display_number = xstrdup(ev->display_number);
		}
		switch (ev->kind) {
		case WA_EV_MESSAGE:
			rc = ingest_message(d, ev, raw_id, now, events,
			    stored, dups);
			break;
		case WA_EV_STATUS:
			rc = ingest_status(d, ev, now, events, stored, dups);
			break;
		case WA_EV_IDENTITY:
			rc = store_contact_move_identity(&d->store,
			    ev->u.ident.old_wa_id, ev->u.ident.new_wa_id,
			    ev->u.ident.old_user_id, ev->u.ident.new_user_id,
			    now);
			rc = rc < 0 ? -1 : 0;
			break;
		case WA_EV_CONSENT:
			if ((rc = ingest_contact(d, &ev->who, raw_id, now,
			    events, &cid)) != 0) {
				rc = rc < 0 ? -1 : 0;
				break;
			}
			rc = store_consent_add(&d->store, cid, "marketing",
			    ev->u.consent.opt_in, "user_preferences", 0, NULL,
			    ev->u.consent.timestamp != 0 ?
			    ev->u.consent.timestamp : now);
			if (rc == 0)
				rc = campaign_track_consent(d, cid, now);
			break;
		case WA_EV_TEMPLATE:
			rc = store_template_event(&d->store, ev->waba_id,
			    ev->u.tmpl.template_id, ev->u.tmpl.name,
			    ev->u.tmpl.language, ev->u.tmpl.event,
			    ev->u.tmpl.quality, ev->u.tmpl.category, now);
			break;
		case WA_EV_ERROR:
			detail = ev->u.error.details != NULL ?
			    xstrdup(ev->u.error.details) : NULL;
			rc = store_alert_add(&d->store, "webhook_error",
			    ev->u.error.code, ev->u.error.title, detail, now);
			free(detail);
			break;
		case WA_EV_ALERT:
			detail = ev->value != NULL ? json_dumps(ev->value,
			    JSON_COMPACT) : NULL;
			rc = store_alert_add(&d->store, ev->field != NULL ?
			    ev->field : "alert", 0, ev->field, detail, now);
			free(detail);
			break;
		case WA_EV_OTHER:
			break;	/* kept as the raw event */
		}
		/* A quality drop or a paused template pauses campaigns. */
		if (rc == 0)
			rc = campaign_on_event(d, ev, events);
	}
	return (rc);
}

/*
 * The first phone number id in the batch that is not one of ours, or NULL.
 * With no number configured at all every body is taken (a daemon that
 * only receives).
 */
static const char *
ingest_unknown_number(struct daemon *d, const struct wa_batch *b)
{
	const char	*id;
	size_t		 i;

	if (d->conf.nnumbers == 0)
		return (NULL);
	for (i = 0; i < b->nevents; i++) {
		id = b->events[i].phone_number_id;
		if (id != NULL && numbers_label(d, id) == NULL)
			return (id);
	}
	return (NULL);
}

/*
 * A body for a business number this daemon does not serve: kept sealed as
 * quarantined (nothing in it is lost, nothing is answered from the wrong
 * number), answered 200 like any stored body so that Meta does not retry
 * it for days, and an alarm until it is replayed once the number is
 * configured ("support-inboxd replay").
 */
static int
ingest_quarantine_number(struct daemon *d, const char *body, size_t len,
    const char *id, int64_t now, json_t *events)
{
	char	*cause;
	int64_t	 raw_id;
	int	 rc;

	/* A phone number id is the business's, not a customer's. */
	cause = xasprintf("%s%.64s", STORE_NUMBER_UNKNOWN, id);
	log_warn("webhook body for unknown business number %.64s "
	    "quarantined; configure it, then: support-inboxd replay", id);
	rc = store_raw_insert(&d->store, body, len, 1, cause, now, &raw_id);
	if (rc == 0)
		rc = store_alert_add(&d->store, "unknown_number", 0, "A "
		    "webhook for a business number not in the configuration "
		    "was quarantined", cause, now);
	if (rc == 0 && events != NULL)
		json_array_append_new(events, json_pack("{ss s{ss sI ss}}",
		    "event", PEV_ALARM, "data", "kind", "number", "count",
		    (json_int_t)1, "message", "a webhook for an unknown "
		    "business number was quarantined"));
	free(cause);
	return (rc);
}

int
ingest_body(struct daemon *d, const char *body, size_t len, json_t *events)
{
	const char	*unknown;
	struct wa_batch	 b;
	char		*cause = NULL;
	int64_t		 raw_id, now = (int64_t)time(NULL);
	uint64_t	 stored = 0, dups = 0;
	int		 rc;

	memset(&b, 0, sizeof b);
	if (wa_payload_parse(body, len, &b, &cause) != 0) {
		/* Signed but unusable: keep it (sealed) for a later replay. */
		log_warn("webhook body quarantined: %s", cause);
		rc = store_raw_insert(&d->store, body, len, 1, cause, now,
		    &raw_id);
		free(cause);
		return (rc);
	}
	if ((unknown = ingest_unknown_number(d, &b)) != NULL) {
		rc = ingest_quarantine_number(d, body, len, unknown, now,
		    events);
		wa_payload_free(&b);
		return (rc);
	}
	if (store_raw_insert(&d->store, body, len, 0, NULL, now,
	    &raw_id) != 0) {
		wa_payload_free(&b);
		return (-1);
	}
	rc = ingest_batch(d, &b, raw_id, events, &stored, &dups);
	wa_payload_free(&b);
	if (rc == 0) {
		d->wh_events += stored;
		d->wh_duplicates += dups;
	}
	return (rc);
}

struct ingest_replay {
	struct daemon	*d;
	int		 n;
	int		 failed;
};

static int
ingest_replay_one(int64_t id, const char *body, size_t len, void *arg)
{
	struct ingest_replay	*r = arg;
	struct wa_batch		 b;
	json_t			*events;
	char			*cause = NULL;
	uint64_t		 stored = 0, dups = 0;

	memset(&b, 0, sizeof b);
	if (wa_payload_parse(body, len, &b, &cause) != 0) {
		free(cause);
		return (1);	/* still unusable: stays quarantined */
	}
	if (ingest_unknown_number(r->d, &b) != NULL) {
		wa_payload_free(&b);
		return (1);	/* its number is still not configured */
	}
	events = json_array();
	if (store_begin(&r->d->store) != 0 ||
	    ingest_batch(r->d, &b, id, events, &stored, &dups) != 0 ||
	    store_raw_mark(&r->d->store, id, "replayed") != 0 ||
	    store_commit(&r->d->store, &cause) != 0) {
		store_rollback(&r->d->store);
		free(cause);
		r->failed = 1;
	} else
		r->n++;
	json_decref(events);
	wa_payload_free(&b);
	return (0);
}

int
ingest_replay(struct daemon *d)
{
	struct ingest_replay	r = { d, 0, 0 };

	if (store_raw_quarantined(&d->store, ingest_replay_one, &r) != 0 ||
	    r.failed)
		return (-1);
	return (r.n);
}
