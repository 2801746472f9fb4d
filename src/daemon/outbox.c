/*
 * The outbox: sends queued messages through the Graph client, classifies
 * failures by Meta's error code (meta-errors.c) and commits results in groups.
 * A row is set "sending" in its own commit before its request leaves, so a
 * crash can never make us send a message twice: such a row becomes
 * "unknown" and waits for a status webhook or an agent.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <sodium.h>

#include "audit.h"
#include "campaign.h"
#include "daemon.h"
#include "meta-errors.h"
#include "graph.h"
#include "numbers.h"
#include "log.h"
#include "media.h"
#include "hook.h"
#include "outbox.h"
#include "proto-names.h"
#include "server.h"
#include "store.h"
#include "wa-payload.h"
#include "xmalloc.h"

#define OUTBOX_INFLIGHT		256	/* requests at once */
#define OUTBOX_SCAN		1024	/* queued rows looked at per scan */
#define OUTBOX_RESP_MAX		(64 * 1024)
#define OUTBOX_DRAIN_MS		3000	/* shutdown: wait for answers */
#define OUTBOX_BACKOFF_MAX_MS	(15 * 60 * 1000)

struct outbox_job {
	struct outbox		*o;
	int64_t			 id, msg_id, conv_id, contact_id;
	int64_t			 attempts;
	int			 upload;	/* stage: media upload first */
	int64_t			 media_id;	/* our media row */
	json_t			*req;		/* the Graph body */
	/* result */
	int			 done;
	enum graph_transport	 transport;
	long			 http;
	int			 has_error;
	int64_t			 code;
	char			*value;		/* wamid or media id */
	struct outbox_job	*next;
};

struct outbox {
	struct daemon		*d;	/* its graph: made and freed here */
	struct event		*scan_ev;
	struct event		*flush_ev;
	struct event		*tick_ev;
	struct outbox_job	*inflight;	/* list */
	size_t			 ninflight;
	struct outbox_job	*done;		/* answered, not committed */
	int			 paused;
	int			 alarm;		/* shown until a send succeeds */
	int			 restored;	/* paused: a restored store */
	int			 alarm_cleared;	/* tell clients after commit */
	int64_t			 paused_code;
	int64_t			 paused_since;
	int64_t			 next_due;	/* ms; 0: none */
	int			 stopping;
	uint64_t		 n_sent, n_failed, n_retries, n_unknown;
	uint64_t		 n_commits;
};

static int64_t
outbox_now_ms(void)
{
	return (daemon_now_ms());
}

int
outbox_paused(struct outbox *o)
{
	return (o != NULL && o->paused);
}

static void
outbox_job_free(struct outbox_job *j)
{
	json_decref(j->req);
	free(j->value);
	free(j);
}

int
outbox_queue(struct daemon *d, const struct outbox_msg *om, int64_t *msg_id,
    int64_t *outbox_id, char **cause)
{
	struct store		*s = &d->store;
	struct store_msg_in	 in;
	int64_t			 media_id = 0;
	json_t			*req;
	char			*reqs, opaque[32];
	int			 rc;

	memset(&in, 0, sizeof in);
	in.conv_id = om->conv;
	in.contact_id = om->contact_id;
	in.outbound = 1;
	in.type = om->type;
	in.supported = 1;
	in.ts = om->now;
	in.body = om->body;
	in.preview = om->preview;
	in.agent_id = om->agent_id;
	in.status = 0;
	if (store_msg_insert(s, &in, om->now, msg_id) != 0)
		return (-1);
	if (om->media_data != NULL) {
		if (store_media_add(s, *msg_id, om->contact_id, "out", "done",
		    om->media_mime, (int64_t)om->media_len, NULL, om->now,
		    &media_id) != 0)
			return (-1);
		if (media_blob_write(d, media_id, om->contact_id,
		    om->media_data, om->media_len, cause) != 0)
			return (-1);
	}
	req = json_pack("{ss ss ss}", "messaging_product", "whatsapp",
	    "recipient_type", "individual", "type", om->type);
	if (om->wa_id != NULL) {
		reqs = xasprintf("+%s", om->wa_id);
		json_object_set_new(req, "to", json_string(reqs));
		crypt_wipe_free(reqs, strlen(reqs));
	} else
		json_object_set_new(req, "recipient",
		    json_string(om->user_id));
	if (om->context_wamid != NULL)
		json_object_set_new(req, "context", json_pack("{ss}",
		    "message_id", om->context_wamid));
	json_object_set(req, om->type, om->obj);
	/* Echoed in status webhooks: how a send in doubt finds its row. */
	snprintf(opaque, sizeof opaque, "si:%lld", (long long)*msg_id);
	json_object_set_new(req, "biz_opaque_callback_data",
	    json_string(opaque));
	if (media_id != 0)
		json_object_set_new(req, "_media", json_integer(media_id));
	reqs = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (reqs == NULL)
		return (-1);
	rc = store_outbox_add(s, *msg_id, om->contact_id, reqs,
	    daemon_now_ms(), om->hold_ms > 0 ? daemon_now_ms() + om->hold_ms :
	    0, outbox_id);
	crypt_wipe_free(reqs, strlen(reqs));
	return (rc);
}

void
outbox_kick(struct outbox *o)
{
	struct timeval	tv = { 0, 0 };

	if (o == NULL || o->stopping || o->paused)
		return;
	if (!evtimer_pending(o->scan_ev, NULL) ||
	    o->next_due > outbox_now_ms())
		evtimer_add(o->scan_ev, &tv);
}

static void
outbox_schedule(struct outbox *o, int64_t due)
{
	struct timeval	tv;
	int64_t		ms;

	if (o->stopping || o->paused)
		return;
	ms = due - outbox_now_ms();
	if (ms < 0)
		ms = 0;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	o->next_due = due;
	evtimer_add(o->scan_ev, &tv);
}

/* Backoff: base * 2^(n-1), or Meta's 4^X seconds for the pair limit. */
static int64_t
outbox_backoff(struct outbox *o, int64_t attempts, int64_t code)
{
	int64_t	ms, base = o->d->conf.retry_base_ms;
	int	i;

	ms = base;
	for (i = 1; i < attempts && ms < OUTBOX_BACKOFF_MAX_MS; i++)
		ms *= code == 131056 ? 4 : 2;
	if (ms > OUTBOX_BACKOFF_MAX_MS)
		ms = OUTBOX_BACKOFF_MAX_MS;
	/* Jitter: somewhere in [ms/2, ms], so retries do not stampede. */
	return (ms / 2 + (int64_t)randombytes_uniform((uint32_t)(ms / 2 + 1)));
}

/* --- answers --- */

static void
outbox_flush_soon(struct outbox *o)
{
	event_active(o->flush_ev, EV_TIMEOUT, 1);
}

static void
outbox_job_unlink(struct outbox *o, struct outbox_job *j)
{
	struct outbox_job	**p;

	for (p = &o->inflight; *p != NULL; p = &(*p)->next) {
		if (*p == j) {
			*p = j->next;
			o->ninflight--;
			break;
		}
	}
	j->next = o->done;
	o->done = j;
}

char *
outbox_answer_id(const struct graph_resp *r, int upload)
{
	json_t	*v;

	if (r->transport != GRAPH_OK || r->http != 200 || r->has_error)
		return (NULL);
	if (upload)
		v = json_object_get(r->json, "id");
	else
		v = json_object_get(json_array_get(json_object_get(r->json,
		    "messages"), 0), "id");
	if (json_is_string(v) && json_string_length(v) > 0 &&
	    json_string_length(v) < 512)
		return (xstrdup(json_string_value(v)));
	return (NULL);
}

static void
outbox_answer_cb(const struct graph_resp *r, void *arg)
{
	struct outbox_job	*j = arg;
	struct outbox		*o = j->o;

	j->done = 1;
	j->transport = r->transport;
	j->http = r->http;
	j->has_error = r->has_error;
	j->code = r->code;
	j->value = outbox_answer_id(r, j->upload);
	outbox_job_unlink(o, j);
	outbox_flush_soon(o);
}

static void
outbox_alarm(struct outbox *o, int64_t code)
{
	const struct meta_errors_entry	*e = meta_errors_lookup(code);
	json_t				*ev;

	if (o->paused)
		return;
	o->paused = 1;
	o->alarm = 1;
	o->paused_code = code;
	o->paused_since = (int64_t)time(NULL);
	log_warn("outbox: sending paused: Graph error %lld (%s)",
	    (long long)code, meta_errors_class_name(e->class));
	log_warn("alarm raised: token (Graph error %lld); fix: a new access "
	    "token file, then SIGHUP or support-inbox reload",
	    (long long)code);
	store_alert_add(&o->d->store, "outbox", code, e->explain, NULL,
	    o->paused_since);
	ev = json_pack("{ss sI ss}", "kind", "token", "code",
	    (json_int_t)code, "message", e->explain);
	server_broadcast(o->d->server, PEV_ALARM, ev);
	json_decref(ev);
}

/*
 * Where an uploaded file's media id goes: the message's own media object,
 * or the media parameter of a template's header.
 */
static json_t *
outbox_media_target(json_t *req)
{
	const char	*type, *ct;
	json_t		*c, *p;
	size_t		 i;

	if ((type = json_string_value(json_object_get(req, "type"))) == NULL)
		return (NULL);
	if (strcmp(type, "template") != 0)
		return (json_object_get(req, type));
	json_array_foreach(json_object_get(json_object_get(req, "template"),
	    "components"), i, c) {
		ct = json_string_value(json_object_get(c, "type"));
		if (ct == NULL || strcmp(ct, "header") != 0)
			continue;
		p = json_array_get(json_object_get(c, "parameters"), 0);
		return (json_object_get(p, json_string_value(
		    json_object_get(p, "type"))));
	}
	return (NULL);
}

/*
 * One info line per answered attempt: our message and outbox row ids,
 * the attempt, Meta's HTTP status and error code, what happens next.
 * Never the recipient, the wamid or the text.
 */
static void
outbox_log_attempt(const struct outbox_job *j, int64_t attempt,
    const char *outcome, int64_t code, int64_t retry_ms)
{
	char	next[64];

	if (retry_ms > 0)
		snprintf(next, sizeof next, ", next retry in %lld ms",
		    (long long)retry_ms);
	else
		next[0] = '\0';
	log_info("send: message %lld (outbox row %lld%s) attempt %lld: HTTP "
	    "%ld, Meta error %lld: %s%s", (long long)j->msg_id,
	    (long long)j->id, j->upload ? ", media upload" : "",
	    (long long)attempt, j->http, (long long)code, outcome, next);
}

/* Applies one answer inside the flush transaction. */
static int
outbox_apply(struct outbox *o, struct outbox_job *j, int64_t now_ms,
    json_t *events)
{
	struct store			*s = &o->d->store;
	const struct meta_errors_entry	*e;
	int64_t				 code, attempts = j->attempts;
	const char			*state;
	char				*req;
	json_t				*target;
	int				 rc;

	if (j->transport == GRAPH_OK && j->http == 200 && j->value != NULL) {
		/* Accepted after the pause ended: the token works again. */
		if (o->alarm && !o->paused) {
			o->alarm = 0;
			o->alarm_cleared = 1;
			log_info("outbox: a send succeeded; token alarm "
			    "cleared");
		}
		outbox_log_attempt(j, attempts + 1, j->upload ? "uploaded" :
		    "sent", 0, 0);
		if (j->upload) {
			/* Now send it by the media id Meta gave us. */
			if ((target = outbox_media_target(j->req)) == NULL)
				return (store_outbox_set_state(s, j->id,
				    "failed", attempts, 0, 1, META_ERRORS_LOCAL,
				    "never", now_ms));
			json_object_set_new(target, "id",
			    json_string(j->value));
			json_object_del(j->req, "_media");
			req = json_dumps(j->req, JSON_COMPACT);
			rc = store_outbox_set_request(s, j->id, j->contact_id,
			    req);
			crypt_wipe_free(req, strlen(req));
			if (rc != 0)
				return (-1);
			return (store_outbox_set_state(s, j->id, "queued",
			    attempts, 0, 0, 0, NULL, now_ms));
		}
		if ((rc = store_msg_set_wamid(s, j->msg_id, j->contact_id,
		    j->value)) < 0)
			return (-1);
		o->n_sent++;
		/*
		 * A status webhook came first and adopted the wamid (its
		 * callback data names the row): the row has the state it
		 * gave, and a failure must not become "sent" again here.
		 */
		if (rc == 1)
			return (0);
		json_array_append_new(events, json_pack("{sI sI ss}", "message",
		    (json_int_t)j->msg_id, "conversation",
		    (json_int_t)j->conv_id, "state", "sent"));
		return (store_outbox_set_state(s, j->id, "sent", attempts + 1,
		    0, 0, 0, NULL, now_ms));
	}

	/* Not accepted: what kind of failure? */
	if (j->transport == GRAPH_NOTSENT)
		code = META_ERRORS_NET_CONNECT;
	else if (j->transport == GRAPH_MAYBE)
		code = META_ERRORS_NET_UNKNOWN;
	else if (j->has_error)
		code = j->code;
	else if (j->http == 200)
		code = j->upload ? META_ERRORS_HTTP : META_ERRORS_BAD_RESPONSE;
	else if (j->http >= 500 || j->http == 429)
		code = META_ERRORS_HTTP;
	else
		code = META_ERRORS_LOCAL;
	e = meta_errors_lookup(code);
	/* Uploads carry no message: a lost answer can just be redone. */
	if (j->upload && e->class == META_ERRORS_UNKNOWN)
		e = meta_errors_lookup(META_ERRORS_NET_CONNECT);
	attempts++;
	switch (e->class) {
	case META_ERRORS_RETRY:
		if (attempts < (int64_t)o->d->conf.max_attempts) {
			int64_t	wait = outbox_backoff(o, attempts, code);

			o->n_retries++;
			outbox_log_attempt(j, attempts, "will retry", code,
			    wait);
			return (store_outbox_set_state(s, j->id, "queued",
			    attempts, now_ms + wait, 1, code, "retry",
			    now_ms));
		}
		state = "failed";
		break;
	case META_ERRORS_FIX:
		/* Not the message's fault: it waits, and so does the rest. */
		outbox_log_attempt(j, attempts, "waits: sending paused", code,
		    0);
		outbox_alarm(o, code);
		return (store_outbox_set_state(s, j->id, "queued",
		    attempts - 1, 0, 1, code, "fix", now_ms));
	case META_ERRORS_UNKNOWN:
		o->n_unknown++;
		outbox_log_attempt(j, attempts, "unknown (no answer)", code,
		    0);
		json_array_append_new(events, json_pack("{sI sI ss}", "message",
		    (json_int_t)j->msg_id, "conversation",
		    (json_int_t)j->conv_id, "state", "unknown"));
		return (store_outbox_set_state(s, j->id, "unknown", attempts,
		    0, 1, code, "unknown", now_ms));
	default:
		state = "failed";
		break;
	}
	o->n_failed++;
	outbox_log_attempt(j, attempts, e->class == META_ERRORS_RETRY ?
	    "failed, gave up" : "failed", code, 0);
	json_array_append_new(events, json_pack("{sI sI ss sI ss}", "message",
	    (json_int_t)j->msg_id, "conversation", (json_int_t)j->conv_id,
	    "state", "failed", "code", (json_int_t)code, "explain",
	    e->explain));
	if (store_outbox_set_state(s, j->id, state, attempts, 0, 1, code,
	    meta_errors_class_name(e->class), now_ms) != 0)
		return (-1);
	if (e->class == META_ERRORS_RETRY) {
		char	*why;

		why = xasprintf("Gave up after %lld attempts. Last error: %s",
		    (long long)attempts, e->explain);
		rc = store_outbox_msg_failed(s, j->msg_id, code, why,
		    now_ms / 1000);
		free(why);
		if (rc == 0)
			rc = campaign_track_failed(o->d, j->msg_id, code,
			    now_ms / 1000);
		return (rc);
	}
	if (store_outbox_msg_failed(s, j->msg_id, code, e->explain,
	    now_ms / 1000) != 0)
		return (-1);
	return (campaign_track_failed(o->d, j->msg_id, code, now_ms / 1000));
}

static void
outbox_flush(struct outbox *o)
{
	struct outbox_job	*j, *list;
	json_t			*events, *ev;
	char			*cause = NULL;
	int64_t			 now = outbox_now_ms();
	size_t			 i;

	if ((list = o->done) == NULL)
		return;
	events = json_array();
	if (store_begin(&o->d->store) != 0) {
		/* Try again shortly; answers stay in memory. */
		json_decref(events);
		outbox_schedule(o, now + 100);
		return;
	}
	o->done = NULL;
	for (j = list; j != NULL; j = j->next) {
		if (outbox_apply(o, j, now, events) != 0)
			log_error("outbox: cannot record result of row %lld",
			    (long long)j->id);
	}
	if (hook_outbox(o->d, events) != 0)	/* issue 18: message.failed */
		log_error("outbox: cannot record event hooks");
	if (store_commit(&o->d->store, &cause) != 0) {
		log_error("outbox: %s", cause);
		free(cause);
		/* The rows stay "sending": they become unknown on restart. */
	} else {
		o->n_commits++;
		json_array_foreach(events, i, ev)
			server_broadcast(o->d->server, PEV_OUTBOX, ev);
		if (o->alarm_cleared) {
			o->alarm_cleared = 0;
			log_info("alarm cleared: token (a send succeeded)");
			ev = json_pack("{ss}", "kind", "token");
			server_broadcast(o->d->server, PEV_ALARM_CLEARED, ev);
			json_decref(ev);
		}
	}
	json_decref(events);
	while ((j = list) != NULL) {
		list = j->next;
		outbox_job_free(j);
	}
	outbox_kick(o);
}

static void
outbox_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	outbox_flush(arg);
}

/* --- sending --- */

struct outbox_scan {
	struct outbox		*o;
	int64_t			 now;
	int64_t			 next_due;
	int64_t			*convs;		/* seen in this scan */
	size_t			 nconvs;
	struct store_outbox_row	*picks;
	size_t			 npicks, max;
};

static int
outbox_conv_busy(struct outbox_scan *sc, int64_t conv)
{
	struct outbox_job	*j;
	size_t			 i;

	for (i = 0; i < sc->nconvs; i++) {
		if (sc->convs[i] == conv)
			return (1);
	}
	for (j = sc->o->inflight; j != NULL; j = j->next) {
		if (j->conv_id == conv)
			return (1);
	}
	for (j = sc->o->done; j != NULL; j = j->next) {
		if (j->conv_id == conv)
			return (1);
	}
	return (0);
}

static int
outbox_scan_row(const struct store_outbox_row *r, void *arg)
{
	struct outbox_scan	*sc = arg;
	int			 busy;

	busy = outbox_conv_busy(sc, r->conv_id);
	/* Whatever happens, later rows of this conversation wait. */
	sc->convs[sc->nconvs++] = r->conv_id;
	if (busy)
		return (0);
	if (r->next_attempt > sc->now) {
		if (sc->next_due == 0 || r->next_attempt < sc->next_due)
			sc->next_due = r->next_attempt;
		return (0);
	}
	sc->picks[sc->npicks++] = *r;
	return (sc->npicks >= sc->max);
}

static int
outbox_job_start(struct outbox *o, struct outbox_job *j)
{
	struct media_blob	 b;
	const struct conf_number *num;
	char			*body, *path, *cause = NULL;
	const char		*filename;
	int			 rc;

	/* From the number the customer wrote to, with its token. */
	if ((num = numbers_of_conv(o->d, j->conv_id)) == NULL) {
		log_warn("outbox: row %lld: its conversation's number is not "
		    "configured", (long long)j->id);
		return (-1);
	}
	if (j->upload) {
		if (media_blob_read(o->d, j->media_id, j->contact_id, &b,
		    &cause) != 0) {
			log_warn("outbox: row %lld: %s", (long long)j->id,
			    cause);
			free(cause);
			return (-1);
		}
		filename = json_string_value(json_object_get(
		    outbox_media_target(j->req), "filename"));
		path = xasprintf("/%s/media", num->phone_number_id);
		rc = graph_upload_as(o->d->graph, numbers_token(o->d, num),
		    path, b.mime, filename != NULL ? filename : "file", b.data,
		    b.len, outbox_answer_cb, j);
		free(path);
		media_blob_clear(&b);
		return (rc);
	}
	body = json_dumps(j->req, JSON_COMPACT);
	path = xasprintf("/%s/messages", num->phone_number_id);
	rc = graph_request_as(o->d->graph, numbers_token(o->d, num), "POST",
	    path, NULL, body, strlen(body), OUTBOX_RESP_MAX, outbox_answer_cb,
	    j);
	crypt_wipe_free(body, strlen(body));
	free(path);
	return (rc);
}

int64_t
outbox_held(struct store *s, const struct store_send_info *si,
    const char *category)
{
	if (si->restricted)
		return (META_ERRORS_HELD_RESTRICTED);
	if (si->wa_id == NULL && si->user_id == NULL)
		return (META_ERRORS_HELD_ERASED);
	if (category != NULL && strcasecmp(category, "MARKETING") == 0 &&
	    !store_consent_marketing(s, si->contact_id))
		return (META_ERRORS_HELD_CONSENT);
	return (0);
}

/*
 * What was true when a message was queued is checked again as it is about
 * to leave (a retry, an automatic retry, or a queue that waited): 0 if it
 * may go, else the code it is held back with.
 */
static int64_t
outbox_row_held(struct outbox *o, const struct store_outbox_row *r,
    json_t *req)
{
	struct store		*s = &o->d->store;
	struct store_send_info	 si;
	const struct conf_number *num;
	const char		*name, *lang;
	json_t			*tpl = NULL;
	int64_t			 code;

	if (req == NULL)
		return (META_ERRORS_HELD_ERASED);	/* its key is gone */
	if (store_send_info(s, r->conv_id, &si) != 0)
		return (META_ERRORS_LOCAL);
	name = json_string_value(json_object_get(json_object_get(req,
	    "template"), "name"));
	lang = json_string_value(json_object_get(json_object_get(
	    json_object_get(req, "template"), "language"), "code"));
	/* A template Meta has and we do not: Meta decides about it. */
	/* The template of the WABA the conversation's number is in. */
	if (name != NULL && lang != NULL) {
		num = numbers_of_conv(o->d, r->conv_id);
		tpl = store_template_get_waba(s, num != NULL ? num->waba_id :
		    NULL, name, lang);
	}
	code = outbox_held(s, &si, json_string_value(json_object_get(tpl,
	    "category")));
	json_decref(tpl);
	store_send_info_clear(&si);
	return (code);
}

static void
outbox_scan(struct outbox *o)
{
	struct store		*s = &o->d->store;
	struct outbox_scan	 sc;
	struct outbox_job	*j, *jobs = NULL, **tail = &jobs;
	char			*req, *cause = NULL;
	size_t			 i;
	int64_t			 held;
	json_t			*m, *ev, *events = NULL;

	if (o->paused || o->stopping || o->d->conf.nnumbers == 0)
		return;
	if (o->ninflight >= OUTBOX_INFLIGHT)
		return;		/* an answer will kick us */
	memset(&sc, 0, sizeof sc);
	sc.o = o;
	sc.now = outbox_now_ms();
	sc.max = OUTBOX_INFLIGHT - o->ninflight;
	sc.convs = xcalloc(OUTBOX_SCAN, sizeof *sc.convs);
	sc.picks = xcalloc(sc.max, sizeof *sc.picks);
	o->next_due = 0;
	if (store_outbox_queued(s, OUTBOX_SCAN, outbox_scan_row, &sc) != 0)
		goto out;
	if (sc.npicks == 0)
		goto out;

	/* "sending" is durable before anything leaves. */
	if (store_begin(s) != 0)
		goto out;
	events = json_array();
	for (i = 0; i < sc.npicks; i++) {
		req = store_outbox_request(s, sc.picks[i].id,
		    sc.picks[i].contact_id);
		m = req != NULL ? json_loads(req, 0, NULL) : NULL;
		if (req != NULL)
			crypt_wipe_free(req, strlen(req));
		j = xcalloc(1, sizeof *j);
		j->o = o;
		j->id = sc.picks[i].id;
		j->msg_id = sc.picks[i].message_id;
		j->conv_id = sc.picks[i].conv_id;
		j->contact_id = sc.picks[i].contact_id;
		j->attempts = sc.picks[i].attempts;
		j->req = m;
		if ((held = outbox_row_held(o, &sc.picks[i], m)) != 0) {
			/* It cannot go: failed, with the reason shown. */
			log_info("outbox: row %lld held back (%lld)",
			    (long long)j->id, (long long)held);
			if (store_outbox_set_state(s, j->id, "failed",
			    j->attempts, 0, 1, held, "never", sc.now) == 0 &&
			    store_outbox_msg_failed(s, j->msg_id, held,
			    meta_errors_lookup(held)->explain,
			    sc.now / 1000) == 0 &&
			    campaign_track_failed(o->d, j->msg_id, held,
			    sc.now / 1000) == 0)
				json_array_append_new(events, json_pack(
				    "{sI sI ss sI ss}", "message",
				    (json_int_t)j->msg_id, "conversation",
				    (json_int_t)j->conv_id, "state", "failed",
				    "code", (json_int_t)held, "explain",
				    meta_errors_lookup(held)->explain));
			o->n_failed++;
			outbox_job_free(j);
			continue;
		}
		j->media_id = json_integer_value(json_object_get(m, "_media"));
		j->upload = j->media_id != 0;
		if (!j->upload && store_outbox_set_state(s, j->id, "sending",
		    j->attempts, 0, 0, 0, NULL, sc.now) != 0) {
			outbox_job_free(j);
			continue;
		}
		*tail = j;
		tail = &j->next;
	}
	if (hook_outbox(o->d, events) != 0)	/* issue 18: message.failed */
		log_error("outbox: cannot record event hooks");
	if (store_commit(s, &cause) != 0) {
		log_error("outbox: %s", cause);
		free(cause);
		while ((j = jobs) != NULL) {
			jobs = j->next;
			outbox_job_free(j);
		}
		outbox_schedule(o, sc.now + 1000);
		goto out;
	}
	json_array_foreach(events, i, ev)
		server_broadcast(o->d->server, PEV_OUTBOX, ev);
	while ((j = jobs) != NULL) {
		jobs = j->next;
		j->next = o->inflight;
		o->inflight = j;
		o->ninflight++;
		if (outbox_job_start(o, j) != 0) {
			j->transport = GRAPH_NOTSENT;
			outbox_job_unlink(o, j);
			outbox_flush_soon(o);
		}
	}
out:
	json_decref(events);
	if (sc.next_due != 0)
		outbox_schedule(o, sc.next_due);
	free(sc.convs);
	free(sc.picks);
}

static void
outbox_scan_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	outbox_scan(arg);
}

/* --- token and alarms --- */

static int
outbox_load_token(struct outbox *o, int *changed, char **cause)
{
	struct conf	*c = &o->d->conf;
	char		*tok;

	*changed = 0;
	if (c->access_token_file == NULL) {
		if (c->access_token != NULL && !graph_has_token(o->d->graph)) {
			graph_set_token(o->d->graph, c->access_token);
			*changed = 1;
		}
		return (0);
	}
	if ((tok = conf_read_secret_file(c->access_token_file, cause)) ==
	    NULL)
		return (-1);
	if (c->access_token == NULL || strcmp(c->access_token, tok) != 0) {
		if (c->access_token != NULL) {
			sodium_memzero(c->access_token,
			    strlen(c->access_token));
			free(c->access_token);
		}
		c->access_token = tok;
		graph_set_token(o->d->graph, tok);
		*changed = 1;
	} else {
		sodium_memzero(tok, strlen(tok));
		free(tok);
		if (!graph_has_token(o->d->graph))
			graph_set_token(o->d->graph, c->access_token);
	}
	return (0);
}

void
outbox_token_changed(struct outbox *o)
{
	if (o == NULL)
		return;
	graph_set_token(o->d->graph, o->d->conf.access_token);
	if (o->paused && !o->restored) {
		log_info("outbox: new access token; sending resumed, the "
		    "alarm clears when a send succeeds");
		o->paused = 0;
		outbox_kick(o);
	}
}

int
outbox_resume(struct outbox *o, char **cause)
{
	int	changed;

	if (outbox_load_token(o, &changed, cause) != 0)
		return (-1);
	/* In the resume's transaction: the mark goes with its record. */
	if (o->restored) {
		if (store_meta_del(&o->d->store, "restored_paused") != 0) {
			*cause = xstrdup("database error; still paused");
			return (-1);
		}
		o->restored = 0;
		o->alarm = 0;
	}
	if (o->paused)
		log_info("outbox: sending resumed");
	o->paused = 0;
	outbox_kick(o);
	return (0);
}

static void
outbox_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct outbox	*o = arg;
	char		*cause = NULL;
	int		 changed;

	(void)fd; (void)what;
	/* A new token file ends the pause by itself. */
	if (o->paused && !o->restored &&
	    o->d->conf.access_token_file != NULL) {
		if (outbox_load_token(o, &changed, &cause) != 0)
			free(cause);
		else if (changed) {
			log_info("outbox: new access token; sending resumed");
			o->paused = 0;
			outbox_kick(o);
		}
	}
}

json_t *
outbox_alarms(struct outbox *o)
{
	json_t	*a = json_array();

	if (o != NULL && o->restored)
		json_array_append_new(a, json_pack("{ss ss sI ss ss sb}",
		    "kind", "restored", "reason", "restored",
		    "since", (json_int_t)o->paused_since,
		    "message", "sending is paused: this store was restored "
		    "from a backup, so nothing goes to WhatsApp until an admin "
		    "has checked it", "fix", "run: support-inbox outbox resume",
		    "paused", 1));
	else if (o != NULL && o->alarm)
		json_array_append_new(a, json_pack("{ss sI sI ss ss sb}",
		    "kind", "token", "code", (json_int_t)o->paused_code,
		    "since", (json_int_t)o->paused_since,
		    "message", meta_errors_lookup(o->paused_code)->explain,
		    "fix", o->paused ? "install a new access token file "
		    "(then: support-inbox reload), or run: support-inbox "
		    "outbox resume" : "sending resumed; this clears when a "
		    "send succeeds", "paused", o->paused));
	return (a);
}

json_t *
outbox_stats(struct outbox *o)
{
	json_t	*j;

	j = store_outbox_counts(&o->d->store);
	json_object_set_new(j, "paused", json_boolean(o->paused));
	if (o->paused)
		json_object_set_new(j, "paused_reason", json_string(
		    o->restored ? "restored" : "token"));
	json_object_set_new(j, "in_flight", json_integer(
	    (json_int_t)o->ninflight));
	json_object_set_new(j, "requests", json_integer(
	    (json_int_t)graph_requests(o->d->graph)));
	json_object_set_new(j, "retries", json_integer(
	    (json_int_t)o->n_retries));
	/* since start, for metrics: answers by what became of them */
	json_object_set_new(j, "sent_total", json_integer(
	    (json_int_t)o->n_sent));
	json_object_set_new(j, "failed_total", json_integer(
	    (json_int_t)o->n_failed));
	json_object_set_new(j, "unknown_total", json_integer(
	    (json_int_t)o->n_unknown));
	json_object_set_new(j, "commits", json_integer(
	    (json_int_t)o->n_commits));
	return (j);
}

/* --- read receipts and typing --- */

static void
outbox_receipt_cb(const struct graph_resp *r, void *arg)
{
	(void)arg;
	if (r->transport != GRAPH_OK || r->http != 200)
		log_info("outbox: read receipt not accepted (HTTP %ld, "
		    "code %lld)", r->http, (long long)r->code);
}

void
outbox_mark_read(struct outbox *o, int64_t conv_id, int typing)
{
	const struct conf_number *num;
	int64_t	 msg, cv, cid;
	int	 out;
	char	*wamid = NULL, *body, *path;
	json_t	*j;

	if (o == NULL || o->paused || o->d->conf.nnumbers == 0 ||
	    (num = numbers_of_conv(o->d, conv_id)) == NULL)
		return;
	if (typing)
		msg = store_conv_last_inbound(&o->d->store, conv_id);
	else
		msg = store_conv_last_unread_inbound(&o->d->store, conv_id);
	if (msg == 0 || store_msg_ref(&o->d->store, msg, &cv, &cid, &out,
	    &wamid) != 0 || wamid == NULL)
		return;
	j = json_pack("{ss ss ss}", "messaging_product", "whatsapp",
	    "status", "read", "message_id", wamid);
	if (typing)
		json_object_set_new(j, "typing_indicator", json_pack("{ss}",
		    "type", "text"));
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	path = xasprintf("/%s/messages", num->phone_number_id);
	graph_request_as(o->d->graph, numbers_token(o->d, num), "POST", path,
	    NULL, body, strlen(body), OUTBOX_RESP_MAX, outbox_receipt_cb, NULL);
	free(path);
	crypt_wipe_free(body, strlen(body));
	crypt_wipe_free(wamid, strlen(wamid));
}

/* --- status webhooks --- */

int
outbox_on_status(struct daemon *d, const char *wamid, const char *opaque,
    int status, int64_t code)
{
	struct store_outbox_row	r;

	if (store_outbox_on_status(&d->store, wamid, opaque, status, code,
	    daemon_now_ms(), &r) != 0)
		return (-1);
	if (r.id != 0 && status == WA_ST_FAILED)
		return (store_outbox_msg_failed(&d->store, r.message_id, code,
		    meta_errors_lookup(code)->explain, (int64_t)time(NULL)));
	return (0);
}

/* --- life --- */

struct outbox *
outbox_start(struct daemon *d, char **cause)
{
	struct outbox	*o;
	struct timeval	 tv = { 1, 0 };
	int		 n = 0, changed;
	char		*c2 = NULL;

	o = xcalloc(1, sizeof *o);
	o->d = d;
	if ((d->graph = graph_new(d->base, &d->conf, cause)) == NULL) {
		free(o);
		return (NULL);
	}
	if (outbox_load_token(o, &changed, &c2) != 0) {
		log_warn("outbox: %s; sending needs a token", c2);
		free(c2);
	}
	/* A damaged store takes no writes; the rows wait for the restore. */
	if (!d->store.damaged && (store_begin(&d->store) != 0 ||
	    store_outbox_recover(&d->store, outbox_now_ms(), &n) != 0 ||
	    store_commit(&d->store, cause) != 0)) {
		store_rollback(&d->store);
		graph_free(d->graph);
		d->graph = NULL;
		free(o);
		if (*cause == NULL)
			*cause = xstrdup("cannot recover the outbox");
		return (NULL);
	}
	if (n > 0)
		log_warn("outbox: %d message(s) were being sent at the last "
		    "stop; marked unknown, not re-sent", n);
	/* Restored from a backup (store-restore.c): paused until resumed. */
	if ((o->paused_since = store_meta_int(&d->store,
	    "restored_paused")) != 0) {
		o->paused = o->alarm = o->restored = 1;
		log_warn("outbox: sending paused: the store was restored from "
		    "a backup; an admin lifts it with: support-inbox outbox "
		    "resume");
	}
	o->scan_ev = evtimer_new(d->base, outbox_scan_cb, o);
	o->flush_ev = evtimer_new(d->base, outbox_flush_cb, o);
	o->tick_ev = event_new(d->base, -1, EV_PERSIST, outbox_tick_cb, o);
	event_add(o->tick_ev, &tv);
	outbox_kick(o);
	return (o);
}

void
outbox_free(struct outbox *o)
{
	int64_t	deadline;

	if (o == NULL)
		return;
	/* Let what is on the wire finish, so it is not left in doubt. */
	o->stopping = 1;
	evtimer_del(o->scan_ev);
	deadline = outbox_now_ms() + OUTBOX_DRAIN_MS;
	while (o->ninflight > 0 && outbox_now_ms() < deadline)
		event_base_loop(o->d->base, EVLOOP_ONCE);
	outbox_flush(o);
	graph_free(o->d->graph);
	o->d->graph = NULL;
	event_free(o->scan_ev);
	event_free(o->flush_ev);
	event_free(o->tick_ev);
	while (o->inflight != NULL) {
		struct outbox_job *j = o->inflight;

		o->inflight = j->next;
		outbox_job_free(j);
	}
	free(o);
}
