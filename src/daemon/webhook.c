/*
 * Webhook endpoint on libevent's evhttp. Order per request: method and path,
 * whole body (bounded by evhttp: 413), signature over the raw bytes in
 * constant time (401, nothing stored), then queue for the next group commit.
 * The 200 goes out only after the commit; a database error answers 503 so
 * Meta retries. Each request of a group has its own savepoint, so one that
 * fails to store fails alone.
 */
#include <sys/queue.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <sodium.h>

#include "daemon.h"
#include "ingest.h"
#include "log.h"
#include "server.h"
#include "store.h"
#include "webhook.h"
#include "xmalloc.h"

#define WEBHOOK_BATCH_MAX	256	/* requests in one commit */
#define WEBHOOK_FAILS		64	/* bodies whose failures are counted */
#define WEBHOOK_FAIL_LIMIT	3	/* failed deliveries, then quarantine */

struct webhook_req {
	struct evhttp_request	*req;
	char			*body;
	size_t			 len;
	int			 failed;	/* answered 503 */
	int			 quarantined;	/* stored as quarantined */
	TAILQ_ENTRY(webhook_req) entry;
};
TAILQ_HEAD(webhook_reqs, webhook_req);

struct webhook {
	struct daemon			*d;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;
	struct event			*flush;
	struct webhook_reqs		 pending;
	size_t				 npending;
	struct webhook_conn		*conns;
	size_t				 nconns, conns_cap;
	struct event			*sweep;
	int				 paused;
	int				 dead;	/* stopped; memory still ours */
	/*
	 * Bodies that failed to store, by BLAKE2b of the body (memory only):
	 * a body that keeps failing is quarantined instead of failing for
	 * ever. The oldest entry makes room for a new one.
	 */
	struct webhook_fail {
		uint8_t		 hash[32];
		unsigned	 n;		/* 0: free */
		time_t		 last;
	}				 fails[WEBHOOK_FAILS];
	size_t				 nfails;
	const char			*fault;	/* tests: SI_TEST_FAIL_STORE */
};

/* --- connection bound --- */

/*
 * libevent 2.1's evhttp has no connection limit and no hook when a
 * connection ends before its first request. So: every accepted connection
 * is recorded here; on its first request it gets a close callback that
 * removes it; one that never sends a request is dropped from the count
 * after evhttp's own timeout has certainly closed it. The count is thus
 * never lower than the truth, and while it is at the cap we stop accepting
 * (the kernel backlog holds the rest).
 */
struct webhook_conn {
	void	*bev;		/* compared, never dereferenced */
	time_t	 accepted;
	void	*evcon;		/* set on the first request */
};

static void
webhook_conns_changed(struct webhook *w)
{
	struct evconnlistener	*l;

	l = evhttp_bound_socket_get_listener(w->bound);
	if (!w->paused && w->nconns >= w->d->conf.webhook_max_conns) {
		evconnlistener_disable(l);
		w->paused = 1;
		log_warn("webhook: %zu connections; not accepting more",
		    w->nconns);
	} else if (w->paused && w->nconns < w->d->conf.webhook_max_conns) {
		evconnlistener_enable(l);
		w->paused = 0;
	}
}

static void
webhook_conn_remove(struct webhook *w, size_t i)
{
	w->conns[i] = w->conns[--w->nconns];
}

static void
webhook_conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct webhook	*w = arg;
	size_t		 i;

	if (w->dead)
		return;
	for (i = 0; i < w->nconns; i++) {
		if (w->conns[i].evcon == evcon) {
			webhook_conn_remove(w, i);
			break;
		}
	}
	webhook_conns_changed(w);
}

static void
webhook_conn_seen(struct webhook *w, struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	size_t				 i, best = SIZE_MAX;

	evcon = evhttp_request_get_connection(req);
	if (evcon == NULL)
		return;
	for (i = 0; i < w->nconns; i++) {
		if (w->conns[i].evcon == evcon)
			return;		/* known already */
	}
	bev = evhttp_connection_get_bufferevent(evcon);
	for (i = 0; i < w->nconns; i++) {
		if (w->conns[i].evcon == NULL && w->conns[i].bev == bev &&
		    (best == SIZE_MAX ||
		    w->conns[i].accepted >= w->conns[best].accepted))
			best = i;
	}
	if (best == SIZE_MAX)
		return;
	w->conns[best].evcon = evcon;
	evhttp_connection_set_closecb(evcon, webhook_conn_closed, w);
}

static void
webhook_conn_expire(struct webhook *w)
{
	time_t	now = time(NULL);
	size_t	i;

	for (i = 0; i < w->nconns; ) {
		if (w->conns[i].evcon == NULL && now - w->conns[i].accepted >
		    (time_t)w->d->conf.webhook_timeout + 2)
			webhook_conn_remove(w, i);
		else
			i++;
	}
	webhook_conns_changed(w);
}

static struct bufferevent *
webhook_bev_cb(struct event_base *base, void *arg)
{
	struct webhook		*w = arg;
	struct bufferevent	*bev;

	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		return (NULL);
	if (w->nconns == w->conns_cap) {
		w->conns_cap = w->conns_cap == 0 ? 64 : w->conns_cap * 2;
		w->conns = xrealloc(w->conns, w->conns_cap *
		    sizeof *w->conns);
	}
	w->conns[w->nconns].bev = bev;
	w->conns[w->nconns].accepted = time(NULL);
	w->conns[w->nconns].evcon = NULL;
	w->nconns++;
	webhook_conns_changed(w);
	return (bev);
}

static void
webhook_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	webhook_conn_expire(arg);
}

/* --- replies --- */

static void
webhook_reply(struct evhttp_request *req, int code, const char *reason,
    const char *body)
{
	struct evbuffer	*b;

	b = evbuffer_new();
	if (body != NULL)
		evbuffer_add(b, body, strlen(body));
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	evhttp_send_reply(req, code, reason, b);
	evbuffer_free(b);
}

/* --- group commit --- */

/* Counts a failed delivery of the body with this hash; returns the count. */
static unsigned
webhook_fail_note(struct webhook *w, const uint8_t hash[32])
{
	struct webhook_fail	*f, *slot = NULL;
	size_t			 i;

	for (i = 0; i < WEBHOOK_FAILS; i++) {
		f = &w->fails[i];
		if (f->n != 0 && sodium_memcmp(f->hash, hash, 32) == 0) {
			f->last = time(NULL);
			return (++f->n);
		}
		if (slot == NULL || (slot->n != 0 && (f->n == 0 ||
		    f->last < slot->last)))
			slot = f;
	}
	if (slot->n == 0)
		w->nfails++;
	memcpy(slot->hash, hash, 32);
	slot->n = 1;
	slot->last = time(NULL);
	return (1);
}

/* The body was stored (or quarantined): forget its failures. */
static void
webhook_fail_forget(struct webhook *w, const char *body, size_t len)
{
	uint8_t	hash[32];
	size_t	i;

	if (w->nfails == 0)
		return;
	crypto_generichash(hash, sizeof hash, (const uint8_t *)body, len,
	    NULL, 0);
	for (i = 0; i < WEBHOOK_FAILS; i++) {
		if (w->fails[i].n != 0 &&
		    sodium_memcmp(w->fails[i].hash, hash, 32) == 0) {
			memset(&w->fails[i], 0, sizeof w->fails[i]);
			w->nfails--;
		}
	}
}

/*
 * Tests only: with SI_TEST_FAIL_STORE set, a body containing its value
 * fails after every row of it was written, as a database error would.
 */
static int
webhook_fault(struct webhook *w, const struct webhook_req *r)
{
	return (w->fault != NULL && memmem(r->body, r->len, w->fault,
	    strlen(w->fault)) != NULL);
}

/*
 * One request of the group, under its own savepoint: a failure undoes only
 * its rows and answers only it 503. The WEBHOOK_FAIL_LIMIT-th failure of
 * the same body stores it sealed as quarantined, with an alert, and answers
 * 200 so Meta stops retrying; "support-inboxd replay" takes it up again.
 * Returns -1 if the whole transaction is lost (the group fails).
 */
static int
webhook_store_one(struct webhook *w, struct webhook_req *r, json_t *events)
{
	struct daemon	*d = w->d;
	struct store	*s = &d->store;
	size_t		 mark = json_array_size(events);
	uint8_t		 hash[32];
	int64_t		 raw_id, now = (int64_t)time(NULL);
	unsigned	 n;
	char		*why;

	if (store_savepoint(s) != 0)
		return (-1);
	if (ingest_body(d, r->body, r->len, events) == 0 &&
	    !webhook_fault(w, r)) {
		if (store_savepoint_release(s) != 0)
			return (-1);
		webhook_fail_forget(w, r->body, r->len);
		return (0);
	}
	while (json_array_size(events) > mark)
		json_array_remove(events, json_array_size(events) - 1);
	if (store_savepoint_undo(s) != 0)
		return (-1);
	crypto_generichash(hash, sizeof hash, (const uint8_t *)r->body,
	    r->len, NULL, 0);
	n = webhook_fail_note(w, hash);
	if (n < WEBHOOK_FAIL_LIMIT) {
		log_warn("webhook: a body could not be stored (failure %u of "
		    "%d before it is quarantined); answered 503", n,
		    WEBHOOK_FAIL_LIMIT);
		r->failed = 1;
		return (0);
	}
	why = xasprintf("storing failed on %u deliveries", n);
	if (store_savepoint(s) != 0)
		goto fail;
	if (store_raw_insert(s, r->body, r->len, 1, why, now,
	    &raw_id) != 0 || store_alert_add(s, "quarantine", 0, "A webhook "
	    "body could not be stored and was quarantined (sealed); after "
	    "the fix run: support-inboxd replay", why, now) != 0) {
		if (store_savepoint_undo(s) != 0)
			goto fail;
		r->failed = 1;
		free(why);
		return (0);
	}
	if (store_savepoint_release(s) != 0)
		goto fail;
	log_error("webhook: body quarantined after %u failed deliveries "
	    "(raw event %lld); answered 200", n, (long long)raw_id);
	webhook_fail_forget(w, r->body, r->len);
	r->quarantined = 1;
	free(why);
	return (0);
fail:
	free(why);
	return (-1);
}

static void
webhook_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct webhook		*w = arg;
	struct daemon		*d = w->d;
	struct webhook_req	*r;
	struct webhook_reqs	 batch;
	json_t			*events, *ev;
	char			*cause = NULL;
	size_t			 i, n = 0, nfailed = 0, nquar = 0;
	int			 ok = 1;

	(void)fd; (void)what;
	TAILQ_INIT(&batch);
	while ((r = TAILQ_FIRST(&w->pending)) != NULL &&
	    n < WEBHOOK_BATCH_MAX) {
		TAILQ_REMOVE(&w->pending, r, entry);
		TAILQ_INSERT_TAIL(&batch, r, entry);
		w->npending--;
		n++;
	}
	if (n == 0)
		return;
	events = json_array();
	if (store_begin(&d->store) != 0)
		ok = 0;
	TAILQ_FOREACH(r, &batch, entry) {
		if (!ok)
			break;
		if (webhook_store_one(w, r, events) != 0)
			ok = 0;
		nfailed += r->failed;
		nquar += r->quarantined;
	}
	if (ok && store_commit(&d->store, &cause) != 0) {
		log_error("webhook commit failed: %s", cause);
		free(cause);
		ok = 0;
	} else if (!ok)
		store_rollback(&d->store);
	d->wh_batches++;
	log_debug("webhook: %zu request%s in one commit (%s)", n,
	    n == 1 ? "" : "s", ok ? "stored" : "failed");
	while ((r = TAILQ_FIRST(&batch)) != NULL) {
		TAILQ_REMOVE(&batch, r, entry);
		if (r->req == NULL)
			;	/* answered already (WEBHOOK_UNSAFE_ACK_FIRST) */
		else if (ok && !r->failed) {
			webhook_reply(r->req, 200, "OK", "EVENT_RECEIVED");
			d->wh_accepted++;
		} else {
			webhook_reply(r->req, 503, "Service Unavailable",
			    "storage unavailable; retry later");
			d->wh_db_errors++;
		}
		sodium_memzero(r->body, r->len);
		free(r->body);
		free(r);
	}
	if (ok) {
		for (i = 0; i < json_array_size(events); i++) {
			ev = json_array_get(events, i);
			server_broadcast(d->server, json_string_value(
			    json_object_get(ev, "event")),
			    json_object_get(ev, "data"));
		}
		if (nquar > 0) {
			ev = json_pack("{ss sI ss}", "kind", "quarantine",
			    "count", (json_int_t)nquar, "message", "a webhook "
			    "body could not be stored and was quarantined");
			server_broadcast(d->server, "alarm", ev);
			json_decref(ev);
		}
		if (nfailed > 0)
			log_error("webhook: %zu of %zu request%s answered 503",
			    nfailed, n, n == 1 ? "" : "s");
	} else
		log_error("webhook: %zu request%s answered 503", n,
		    n == 1 ? "" : "s");
	json_decref(events);
	if (!TAILQ_EMPTY(&w->pending))
		event_active(w->flush, EV_TIMEOUT, 0);
}

static void
webhook_queue(struct webhook *w, struct evhttp_request *req, char *body,
    size_t len)
{
	struct webhook_req	*r;
	struct timeval		 now = { 0, 0 };

	r = xcalloc(1, sizeof *r);
	r->req = req;
	r->body = body;
	r->len = len;
#ifdef WEBHOOK_UNSAFE_ACK_FIRST
	/*
	 * Never in a real build: the common wrong pattern (answer, then store
	 * "asynchronously"), compiled only to show that the crash test
	 * (tests/integ/crash.sh) catches it. See README "Tests".
	 */
	webhook_reply(req, 200, "OK", "EVENT_RECEIVED");
	r->req = NULL;
	now.tv_usec = 20000;
#endif
	TAILQ_INSERT_TAIL(&w->pending, r, entry);
	/*
	 * A zero timeout runs after this loop pass has read every request
	 * that is ready, so concurrent deliveries share one fsync.
	 */
	if (w->npending++ == 0)
		evtimer_add(w->flush, &now);
}

/* --- request handling --- */

static int
webhook_hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* 1 if header is "sha256=<64 hex>" and matches one of the secrets. */
static int
webhook_sig_ok(struct webhook *w, const char *header, const char *body,
    size_t len)
{
	uint8_t		 want[32], got[32];
	const char	*secrets[2];
	crypto_auth_hmacsha256_state st;
	int		 i, hi, lo, ok = 0;

	if (header == NULL || strncmp(header, "sha256=", 7) != 0 ||
	    strlen(header + 7) != 64)
		return (0);
	for (i = 0; i < 32; i++) {
		hi = webhook_hex_nibble(header[7 + 2 * i]);
		lo = webhook_hex_nibble(header[8 + 2 * i]);
		if (hi < 0 || lo < 0)
			return (0);
		want[i] = (uint8_t)(hi << 4 | lo);
	}
	secrets[0] = w->d->conf.app_secret;
	secrets[1] = w->d->conf.app_secret_old;
	for (i = 0; i < 2; i++) {
		if (secrets[i] == NULL)
			continue;
		crypto_auth_hmacsha256_init(&st, (const uint8_t *)secrets[i],
		    strlen(secrets[i]));
		crypto_auth_hmacsha256_update(&st, (const uint8_t *)body, len);
		crypto_auth_hmacsha256_final(&st, got);
		if (sodium_memcmp(got, want, 32) == 0)
			ok = 1;
	}
	sodium_memzero(got, sizeof got);
	return (ok);
}

/*
 * Whether the query's hub.verify_token is the configured token: the whole
 * value, decoded with its length, so that "token%00anything" (which a
 * NUL-terminated comparison would see as "token") is refused. Only one
 * hub.verify_token may be given.
 */
static int
webhook_token_ok(const char *query, const char *want)
{
	static const char	 key[] = "hub.verify_token=";
	const char		*p, *v = NULL, *end;
	char			*raw, *dec;
	size_t			 n = 0;
	int			 ok;

	if (want == NULL)
		return (0);
	for (p = query; p != NULL && *p != '\0'; ) {
		if (strncmp(p, key, sizeof key - 1) == 0) {
			if (v != NULL)
				return (0);
			v = p + sizeof key - 1;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	if (v == NULL)
		return (0);
	end = strchr(v, '&');
	raw = xstrndup(v, end != NULL ? (size_t)(end - v) : strlen(v));
	dec = evhttp_uridecode(raw, 1, &n);
	free(raw);
	if (dec == NULL)
		return (0);
	ok = n == strlen(want) && sodium_memcmp(dec, want, n) == 0;
	sodium_memzero(dec, n);
	free(dec);
	return (ok);
}

static void
webhook_get(struct webhook *w, struct evhttp_request *req,
    const struct evhttp_uri *uri)
{
	struct evkeyvalq	 q;
	const char		*query, *mode, *token, *challenge;
	int			 ok = 0;

	TAILQ_INIT(&q);
	query = evhttp_uri_get_query(uri);
	if (query != NULL && evhttp_parse_query_str(query, &q) == 0) {
		mode = evhttp_find_header(&q, "hub.mode");
		token = evhttp_find_header(&q, "hub.verify_token");
		challenge = evhttp_find_header(&q, "hub.challenge");
		if (mode != NULL && strcmp(mode, "subscribe") == 0 &&
		    token != NULL && challenge != NULL &&
		    webhook_token_ok(query, w->d->conf.verify_token)) {
			webhook_reply(req, 200, "OK", challenge);
			ok = 1;
		}
	}
	evhttp_clear_headers(&q);
	if (!ok) {
		log_warn("webhook verification refused");
		webhook_reply(req, 403, "Forbidden", "verification failed");
	}
}

static void
webhook_request_cb(struct evhttp_request *req, void *arg)
{
	struct webhook		*w = arg;
	struct evhttp_uri	*uri;
	struct evbuffer		*in;
	const char		*path, *sig;
	char			*body;
	size_t			 len;

	webhook_conn_seen(w, req);
	uri = evhttp_uri_parse(evhttp_request_get_uri(req));
	path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (path == NULL || strcmp(path, w->d->conf.webhook_path) != 0) {
		w->d->wh_rejected++;
		webhook_reply(req, 404, "Not Found", "not found");
		goto out;
	}
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
		webhook_get(w, req, uri);
		goto out;
	case EVHTTP_REQ_POST:
		break;
	default:
		w->d->wh_rejected++;
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, POST");
		webhook_reply(req, 405, "Method Not Allowed",
		    "method not allowed");
		goto out;
	}
	in = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(in);
	if (len > w->d->conf.webhook_max_body) {
		w->d->wh_rejected++;
		webhook_reply(req, 413, "Payload Too Large", "body too large");
		goto out;
	}
	body = xmalloc(len + 1);
	evbuffer_remove(in, body, len);
	body[len] = '\0';
	sig = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "X-Hub-Signature-256");
	if (!webhook_sig_ok(w, sig, body, len)) {
		w->d->wh_bad_sig++;
		log_warn("webhook POST with %s signature refused",
		    sig == NULL ? "no" : "a wrong");
		sodium_memzero(body, len);
		free(body);
		webhook_reply(req, 401, "Unauthorized", "bad signature");
		goto out;
	}
	if (w->d->store.damaged) {
		/* Nothing acknowledged is lost: Meta retries after a restore. */
		w->d->wh_db_errors++;
		sodium_memzero(body, len);
		free(body);
		webhook_reply(req, 503, "Service Unavailable",
		    "store damaged; retry later");
		goto out;
	}
	webhook_queue(w, req, body, len);
out:
	if (uri != NULL)
		evhttp_uri_free(uri);
}

static int
webhook_parse_listen(const char *listen, char **host, uint16_t *port)
{
	const char	*colon;
	char		*end;
	unsigned long	 p;

	if ((colon = strrchr(listen, ':')) == NULL)
		return (-1);
	p = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || p > 65535)
		return (-1);
	*host = xstrndup(listen, (size_t)(colon - listen));
	*port = (uint16_t)p;
	return (0);
}

struct webhook *
webhook_start(struct daemon *d, char **cause)
{
	struct webhook	*w;
	char		*host;
	uint16_t	 port;

	if (d->conf.app_secret == NULL) {
		*cause = xstrdup("[webhook] is enabled but no app_secret or "
		    "app_secret_file is set");
		return (NULL);
	}
	if (webhook_parse_listen(d->conf.webhook_listen, &host, &port) != 0) {
		*cause = xasprintf("bad [webhook] listen '%s'",
		    d->conf.webhook_listen);
		return (NULL);
	}
	w = xcalloc(1, sizeof *w);
	w->d = d;
	if ((w->fault = getenv("SI_TEST_FAIL_STORE")) != NULL &&
	    *w->fault == '\0')
		w->fault = NULL;
	if (w->fault != NULL)
		log_warn("webhook: test fault SI_TEST_FAIL_STORE is set: "
		    "bodies holding its value fail to store");
	TAILQ_INIT(&w->pending);
	w->http = evhttp_new(d->base);
	evhttp_set_max_body_size(w->http, d->conf.webhook_max_body);
	/*
	 * A body over the limit is read and dropped before the 413 goes out:
	 * closing at once would reset a sender still writing, and it would
	 * never see why (the idle timeout still ends a sender that stalls).
	 */
	evhttp_set_flags(w->http, EVHTTP_SERVER_LINGERING_CLOSE);
	evhttp_set_max_headers_size(w->http, 16384);
	evhttp_set_timeout(w->http, (int)d->conf.webhook_timeout);
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS);
	evhttp_set_gencb(w->http, webhook_request_cb, w);
	evhttp_set_bevcb(w->http, webhook_bev_cb, w);
	w->bound = evhttp_bind_socket_with_handle(w->http, host, port);
	if (w->bound == NULL) {
		*cause = xasprintf("cannot listen for webhooks on '%s': %s",
		    d->conf.webhook_listen, strerror(errno));
		free(host);
		evhttp_free(w->http);
		free(w);
		return (NULL);
	}
	free(host);
	w->flush = evtimer_new(d->base, webhook_flush_cb, w);
	w->sweep = event_new(d->base, -1, EV_PERSIST, webhook_sweep_cb, w);
	{
		struct timeval	 one = { 1, 0 };

		event_add(w->sweep, &one);
	}
	log_info("webhook listening on %s%s", d->conf.webhook_listen,
	    d->conf.webhook_path);
	return (w);
}

void
webhook_stop(struct webhook *w)
{
	if (w == NULL || w->dead)
		return;
	evconnlistener_disable(evhttp_bound_socket_get_listener(w->bound));
	w->paused = 0;
	while (!TAILQ_EMPTY(&w->pending))
		webhook_flush_cb(-1, 0, w);
	w->dead = 1;
	event_free(w->flush);
	event_free(w->sweep);
	evhttp_free(w->http);
}

void
webhook_free(struct webhook *w)
{
	if (w == NULL)
		return;
	webhook_stop(w);
	free(w->conns);
	free(w);
}
