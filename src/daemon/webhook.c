/*
 * Webhook endpoint on libevent's evhttp. Order per request: method and path,
 * whole body (bounded by evhttp: 413), signature over the raw bytes in
 * constant time (401, nothing stored), then queue for the next group commit.
 * The 200 goes out only after the commit; a database error answers 503 so
 * Meta retries. Each request of a group has its own savepoint, so one that
 * fails to store fails alone.
 */
#include <sys/queue.h>

#include <stdbool.h>
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <sodium.h>

#include "daemon.h"
#include "hook.h"
#include "ingest.h"
#include "log.h"
#include "proto-names.h"
#include "server.h"
#include "store.h"
#include "webhook.h"
#include "xmalloc.h"

#define WEBHOOK_BATCH_MAX	256	/* requests in one commit */
#define WEBHOOK_FAILS		64	/* bodies whose failures are counted */
#define WEBHOOK_FAIL_LIMIT	3	/* failed deliveries, then quarantine */
#define WEBHOOK_HEALTH_PATH	"/healthz"
/* How long a probe waits for a write lock another process holds. */
#define WEBHOOK_HEALTH_WAIT_MS	250

struct webhook_req {
	struct evhttp_request	*req;
	char			*body;
	size_t			 len;
	int			 failed;	/* answered 503 */
	int			 quarantined;	/* stored as quarantined */
	int			 secret;	/* 0: current, 1: previous */
	TAILQ_ENTRY(webhook_req) entry;
};
TAILQ_HEAD(webhook_reqs, webhook_req);

struct webhook {
	struct daemon			*d;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;
	struct event			*flush;
	struct event			*relisten;
	struct webhook_reqs		 pending;
	size_t				 npending;
	struct webhook_conn		**conns;
	size_t				 nconns, conns_cap;
	size_t				 reserved;	/* bodies being read */
	size_t				 held;	/* bodies read, not answered */
	size_t				 high;	/* peak since the last trim */
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

/* --- connections and body bytes in flight --- */

/*
 * libevent 2.1's evhttp has neither a connection limit nor a hook when a
 * connection ends, and it reads a whole body before the request callback
 * runs. So every accepted socket gets a filter bufferevent of ours between
 * it and evhttp:
 *  - the filter's free callback runs when evhttp frees the connection, so
 *    a connection is counted from accept until it is closed, whatever it
 *    sent; at max_connections the listener stops accepting (the kernel
 *    backlog holds the rest);
 *  - the filter holds a request's header bytes until the blank line, so a
 *    client trickling header lines neither resets evhttp's idle timeout
 *    nor outlives the header deadline ([webhook] timeout from its first
 *    byte);
 *  - at the blank line it reserves Content-Length bytes against
 *    max_inflight_bytes before evhttp buffers any of the body. Over the
 *    budget, evhttp gets the request line with an empty body (answered
 *    503 with Retry-After, Meta retries) and the filter drops the body
 *    as it arrives, so a sender still writing sees the answer;
 *  - answers go from the filter straight into the socket (webhook_
 *    filter_out): evhttp takes an emptied output buffer as "sent", and
 *    after an answer with "Connection: close" (its own 400 for a bad
 *    request line or header, 417, an HTTP/1.0 client ...) it frees the
 *    connection and shuts the socket down at once. Passed on to the
 *    socket bufferevent, the answer would still be waiting there and be
 *    lost; written to the kernel first, it reaches the client.
 */
#define WEBHOOK_HEAD_MAX	16384	/* as evhttp_set_max_headers_size */
#define WEBHOOK_RETRY_AFTER	"5"	/* seconds, on a 503 for load */
#define WEBHOOK_TRIM_AFTER	(8u << 20) /* trim the heap after a burst */

enum webhook_phase {
	WH_HEAD,	/* holding header bytes until the blank line */
	WH_BODY,	/* passing `remaining` body bytes to evhttp */
	WH_PASS,	/* passing everything (chunked, or evhttp will fail) */
	WH_DROP,	/* dropping `remaining` bytes of a refused body */
	WH_DROP_ALL	/* refused chunked body: dropping until closed */
};

struct webhook_conn {
	struct webhook		*w;
	struct bufferevent	*bev;		/* the filter evhttp reads */
	struct bufferevent	*sock;		/* the socket under it */
	struct event		*deadline;
	struct event		*kick;
	struct event		*wev;		/* socket writable again */
	enum webhook_phase	 phase;
	uint64_t		 remaining;
	size_t			 reserved;
	int			 refused;	/* 503 or 413 for the next request */
	int			 busy;		/* requests not yet answered */
	int			 armed;
};

static void
webhook_relisten_cb(evutil_socket_t fd, short what, void *arg)
{
	struct webhook		*w = arg;
	struct evconnlistener	*l;

	(void)fd; (void)what;
	if (w->dead)
		return;
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

/* Gives reserved or held bytes back; trims the heap after a burst. */
static void
webhook_release(struct webhook *w, size_t *from, size_t n)
{
	*from -= n;
	if (w->reserved + w->held == 0 && w->high >= WEBHOOK_TRIM_AFTER) {
		/* glibc keeps freed memory in its arenas otherwise */
		malloc_trim(0);
		w->high = 0;
	}
}

static int
webhook_reserve(struct webhook *w, struct webhook_conn *c, size_t n)
{
	if (w->reserved + w->held + n > w->d->conf.webhook_max_inflight)
		return (-1);
	w->reserved += n;
	c->reserved += n;
	if (w->reserved + w->held > w->high)
		w->high = w->reserved + w->held;
	return (0);
}

static struct webhook_conn *
webhook_conn_find(struct webhook *w, struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	size_t				 i;

	if ((evcon = evhttp_request_get_connection(req)) == NULL)
		return (NULL);
	bev = evhttp_connection_get_bufferevent(evcon);
	for (i = 0; i < w->nconns; i++) {
		if (w->conns[i]->bev == bev)
			return (w->conns[i]);
	}
	return (NULL);
}

/* The filter bufferevent is being freed: the connection is gone. */
static void
webhook_conn_free(void *arg)
{
	struct webhook_conn	*c = arg;
	struct webhook		*w = c->w;
	struct timeval		 now = { 0, 0 };
	size_t			 i;

	if (c->deadline != NULL)
		event_free(c->deadline);
	if (c->kick != NULL)
		event_free(c->kick);
	if (c->wev != NULL)
		event_free(c->wev);
	for (i = 0; i < w->nconns; i++) {
		if (w->conns[i] == c) {
			w->conns[i] = w->conns[--w->nconns];
			break;
		}
	}
	if (c->reserved != 0)
		webhook_release(w, &w->reserved, c->reserved);
	free(c);
	/*
	 * The socket itself is closed when libevent finalizes the bufferevent
	 * under the filter, later in this loop pass; accept again only after
	 * that, from a timer, so the count never falls below the truth.
	 */
	if (!w->dead)
		evtimer_add(w->relisten, &now);
}

static void
webhook_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct webhook_conn	*c = arg;
	struct timeval		 tv = { 1, 0 };
	void			*evcon = NULL;

	(void)fd; (void)what;
	c->armed = 0;
	if (c->phase != WH_HEAD)
		return;
	if (c->busy) {
		/* never free a connection whose request we still hold */
		evtimer_add(c->deadline, &tv);
		c->armed = 1;
		return;
	}
	bufferevent_getcb(c->bev, NULL, NULL, NULL, &evcon);
	if (evcon == NULL)
		return;
	log_warn("webhook: request headers not complete after %u s; "
	    "closing the connection", c->w->d->conf.webhook_timeout);
	c->w->d->wh_rejected++;
	evhttp_connection_free(evcon);	/* frees c too */
}

/* A header line "Name: value" matching name, or NULL. */
static const char *
webhook_head_value(const char *line, size_t len, const char *name)
{
	size_t	n = strlen(name);

	if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
		return (NULL);
	line += n + 1;
	while (*line == ' ' || *line == '\t')
		line++;
	return (line);
}

/*
 * The head (request line and headers, hlen bytes, NUL-terminated) is
 * complete: decide how its body is handled.
 */
static void
webhook_head_done(struct webhook_conn *c, char *head, size_t hlen,
    struct evbuffer *src, struct evbuffer *dst)
{
	struct webhook	*w = c->w;
	char		*line, *next, *end;
	const char	*v, *cl = NULL;
	int		 chunked = 0;
	unsigned long long len = 0;
	size_t		 need, first = 0;

	if (c->armed) {
		evtimer_del(c->deadline);
		c->armed = 0;
	}
	for (line = head; line < head + hlen; line = next) {
		if ((next = memchr(line, '\n', head + hlen - line)) == NULL)
			break;
		*next++ = '\0';
		if (next - line >= 2 && next[-2] == '\r')
			next[-2] = '\0';
		if (first == 0) {
			first = (size_t)(next - head);
			continue;
		}
		if (cl == NULL && (v = webhook_head_value(line, strlen(line),
		    "Content-Length")) != NULL)
			cl = v;
		if ((v = webhook_head_value(line, strlen(line),
		    "Transfer-Encoding")) != NULL &&
		    strncasecmp(v, "chunked", 7) == 0)
			chunked = 1;
	}
	if (chunked)
		need = w->d->conf.webhook_max_body;
	else if (cl != NULL && *cl >= '0' && *cl <= '9' &&
	    (errno = 0, len = strtoull(cl, &end, 10), errno == 0) &&
	    (*end == '\0' || *end == ' ' || *end == '\t')) {
		if (len > w->d->conf.webhook_max_body) {
			/* 413, the body read and dropped here (lingering) */
			evbuffer_remove_buffer(src, dst, first);
			evbuffer_add_printf(dst, "Content-Length: 0\r\n\r\n");
			evbuffer_drain(src, hlen - first);
			c->refused = 413;
			c->phase = WH_DROP;
			c->remaining = len;
			return;
		}
		need = (size_t)len;
	} else
		need = 0;	/* no body, or evhttp refuses the header */

	if (need == 0 || webhook_reserve(w, c, need) == 0) {
		evbuffer_remove_buffer(src, dst, hlen);
		c->phase = chunked ? WH_PASS : WH_BODY;
		c->remaining = chunked ? 0 : len;
		return;
	}
	/* Over the budget: the request line alone, an empty body. */
	log_warn("webhook: %zu body bytes in flight; answering 503",
	    w->reserved + w->held);
	evbuffer_remove_buffer(src, dst, first);
	evbuffer_add_printf(dst, "Content-Length: 0\r\n%s\r\n",
	    chunked ? "Connection: close\r\n" : "");
	evbuffer_drain(src, hlen - first);
	c->refused = 503;
	c->phase = chunked ? WH_DROP_ALL : WH_DROP;
	c->remaining = len;
}

static enum bufferevent_filter_result
webhook_filter_in(struct evbuffer *src, struct evbuffer *dst,
    ev_ssize_t limit, enum bufferevent_flush_mode mode, void *arg)
{
	struct webhook_conn	*c = arg;
	struct evbuffer_ptr	 p;
	struct timeval		 tv;
	char			*head;
	size_t			 n, eol, hlen;
	int			 moved = 0;

	(void)limit; (void)mode;
	while ((n = evbuffer_get_length(src)) > 0) {
		switch (c->phase) {
		case WH_HEAD:
			if (!c->armed) {
				tv.tv_sec = c->w->d->conf.webhook_timeout;
				tv.tv_usec = 0;
				evtimer_add(c->deadline, &tv);
				c->armed = 1;
			}
			/* the blank line ends the head, as evhttp reads it */
			hlen = 0;
			evbuffer_ptr_set(src, &p, 0, EVBUFFER_PTR_SET);
			for (;;) {
				p = evbuffer_search_eol(src, &p, &eol,
				    EVBUFFER_EOL_CRLF);
				if (p.pos < 0)
					break;
				if ((size_t)p.pos == hlen) {
					hlen += eol;
					break;
				}
				hlen = (size_t)p.pos + eol;
				evbuffer_ptr_set(src, &p, hlen,
				    EVBUFFER_PTR_SET);
			}
			if (p.pos < 0) {
				if (n <= WEBHOOK_HEAD_MAX)
					return (moved ? BEV_OK : BEV_NEED_MORE);
				c->phase = WH_PASS;	/* evhttp answers it */
				continue;
			}
			if (hlen > WEBHOOK_HEAD_MAX) {
				c->phase = WH_PASS;
				continue;
			}
			head = xmalloc(hlen + 1);
			evbuffer_copyout(src, head, hlen);
			head[hlen] = '\0';
			webhook_head_done(c, head, hlen, src, dst);
			free(head);
			moved = 1;
			break;
		case WH_BODY:
			if (c->remaining == 0) {
				c->phase = WH_HEAD;
				break;
			}
			if (n > c->remaining)
				n = (size_t)c->remaining;
			evbuffer_remove_buffer(src, dst, n);
			c->remaining -= n;
			moved = 1;
			break;
		case WH_DROP:
			if (c->remaining == 0) {
				c->phase = WH_HEAD;
				break;
			}
			if (n > c->remaining)
				n = (size_t)c->remaining;
			evbuffer_drain(src, n);
			c->remaining -= n;
			moved = 1;
			break;
		case WH_DROP_ALL:
			evbuffer_drain(src, n);
			moved = 1;
			break;
		case WH_PASS:
			evbuffer_remove_buffer(src, dst, n);
			moved = 1;
			break;
		}
	}
	if (c->phase == WH_BODY && c->remaining == 0)
		c->phase = WH_HEAD;
	if (c->phase == WH_DROP && c->remaining == 0)
		c->phase = WH_HEAD;
	return (moved ? BEV_OK : BEV_NEED_MORE);
}

/*
 * evhttp writes its answer (ours, or its own 100 Continue, 413 or 400)
 * into the output while writing is disabled and enables writing after; a
 * filter only moves output on when data is added while enabled. So every
 * addition is followed, once evhttp has enabled writing, by a flush.
 */
static void
webhook_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct webhook_conn	*c = arg;

	(void)fd; (void)what;
	bufferevent_flush(c->bev, EV_WRITE, BEV_NORMAL);
}

/*
 * The output filter: writes the answer to the socket itself, as far as the
 * kernel takes it, so the filter's output is empty (evhttp's "sent") only
 * once every byte is in the kernel. What the kernel does not take yet
 * waits here; c->wev says when it can go.
 */
static enum bufferevent_filter_result
webhook_filter_out(struct evbuffer *src, struct evbuffer *dst,
    ev_ssize_t limit, enum bufferevent_flush_mode mode, void *arg)
{
	struct webhook_conn	*c = arg;
	evutil_socket_t		 fd;
	size_t			 before = evbuffer_get_length(src);
	int			 n;

	(void)dst; (void)limit; (void)mode;
	if (before == 0)
		return (BEV_NEED_MORE);
	fd = bufferevent_getfd(c->sock);
	while (fd != -1 && evbuffer_get_length(src) > 0) {
		n = evbuffer_write(src, fd);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			/* the client is gone: evhttp hears it as an error */
			evbuffer_drain(src, evbuffer_get_length(src));
			bufferevent_trigger_event(c->bev, BEV_EVENT_WRITING |
			    BEV_EVENT_ERROR, BEV_TRIG_DEFER_CALLBACKS);
			return (BEV_ERROR);
		}
		/* kernel buffer full: again when the socket is writable */
		if (c->wev == NULL && !c->w->dead)
			c->wev = event_new(c->w->d->base, fd, EV_WRITE,
			    webhook_kick_cb, c);
		if (c->wev != NULL)
			event_add(c->wev, NULL);
		break;
	}
	return (evbuffer_get_length(src) < before ? BEV_OK : BEV_NEED_MORE);
}

static void
webhook_out_cb(struct evbuffer *b, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct webhook_conn	*c = arg;

	(void)b;
	if (info->n_added > 0 && c->kick != NULL)
		event_active(c->kick, EV_TIMEOUT, 0);
}

static struct bufferevent *
webhook_bev_cb(struct event_base *base, void *arg)
{
	struct webhook		*w = arg;
	struct webhook_conn	*c;
	struct bufferevent	*sock, *bev;

	sock = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (sock == NULL)
		return (NULL);
	c = xcalloc(1, sizeof *c);
	c->w = w;
	c->sock = sock;
	c->deadline = evtimer_new(base, webhook_deadline_cb, c);
	bev = bufferevent_filter_new(sock, webhook_filter_in,
	    webhook_filter_out, BEV_OPT_CLOSE_ON_FREE, webhook_conn_free, c);
	if (bev == NULL) {
		event_free(c->deadline);
		free(c);
		bufferevent_free(sock);
		return (NULL);
	}
	c->bev = bev;
	c->kick = event_new(base, -1, 0, webhook_kick_cb, c);
	evbuffer_add_cb(bufferevent_get_output(bev), webhook_out_cb, c);
	if (w->nconns == w->conns_cap) {
		w->conns_cap = w->conns_cap == 0 ? 64 : w->conns_cap * 2;
		w->conns = xrealloc(w->conns, w->conns_cap *
		    sizeof(struct webhook_conn *));
	}
	w->conns[w->nconns++] = c;
	if (w->nconns >= w->d->conf.webhook_max_conns)
		webhook_relisten_cb(-1, 0, w);	/* stops accepting now */
	return (bev);
}

static void
webhook_req_done(struct evhttp_request *req, void *arg)
{
	struct webhook_conn	*c = arg;

	(void)req;
	if (c->busy > 0)
		c->busy--;
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

/* --- health --- */

/*
 * GET /healthz, for a load balancer or a monitor: 200 when the store takes
 * writes. A damaged store, or one whose write lock cannot be taken (disk
 * gone read-only, database locked by another process), answers 503. The
 * probe takes the lock and gives it back: nothing is written or synced.
 */
static void
webhook_health(struct webhook *w, struct evhttp_request *req)
{
	struct store	*s = &w->d->store;
	const char	*why = NULL;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET &&
	    evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		webhook_reply(req, 405, "Method Not Allowed",
		    "method not allowed\n");
		return;
	}
	if (s->damaged)
		why = "store damaged\n";
	else if (store_writable(s, WEBHOOK_HEALTH_WAIT_MS) != 0)
		why = "store not writable\n";
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Cache-Control", "no-store");
	if (why != NULL)
		webhook_reply(req, 503, "Service Unavailable", why);
	else
		webhook_reply(req, 200, "OK", "ok\n");
}

/*
 * One info line per stored batch: counts, bytes and how long the commit
 * took; internal numbers only, nothing from the bodies.
 */
static void
webhook_log_batch(size_t n, size_t nfailed, size_t nquar, size_t bytes,
    json_t *events, int64_t ms)
{
	json_t		*ev;
	const char	*name;
	size_t		 i, nmsg = 0, nstat = 0, nother = 0;

	json_array_foreach(events, i, ev) {
		name = json_string_value(json_object_get(ev, "event"));
		if (name != NULL && strcmp(name, PEV_MESSAGE) == 0)
			nmsg++;
		else if (name != NULL && strcmp(name, PEV_STATUS) == 0)
			nstat++;
		else
			nother++;
	}
	log_info("webhook batch: %zu request%s (%zu failed, %zu "
	    "quarantined), %zu message%s, %zu status%s, %zu other event%s, "
	    "%zu bytes, commit %lld ms", n, n == 1 ? "" : "s", nfailed, nquar,
	    nmsg, nmsg == 1 ? "" : "s", nstat, nstat == 1 ? "" : "es", nother,
	    nother == 1 ? "" : "s", bytes, (long long)ms);
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
	log_warn("alarm raised: quarantine (raw event %lld; after the fix "
	    "run: support-inboxd replay)", (long long)raw_id);
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
	size_t			 n = 0, nfailed = 0, nquar = 0, bytes = 0;
	int64_t			 t0 = daemon_now_ms();
	int			 ok = 1;

	(void)fd; (void)what;
	TAILQ_INIT(&batch);
	while ((r = TAILQ_FIRST(&w->pending)) != NULL &&
	    n < WEBHOOK_BATCH_MAX) {
		TAILQ_REMOVE(&w->pending, r, entry);
		TAILQ_INSERT_TAIL(&batch, r, entry);
		w->npending--;
		bytes += r->len;
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
	if (ok && hook_events(d, events) != 0)	/* issue 18 */
		ok = 0;
	if (ok && store_commit(&d->store, &cause) != 0) {
		log_error("webhook commit failed: %s", cause);
		free(cause);
		ok = 0;
	} else if (!ok)
		store_rollback(&d->store);
	d->wh_batches++;
	log_debug("webhook: %zu request%s in one commit (%s)", n,
	    n == 1 ? "" : "s", ok ? "stored" : "failed");
	if (ok)
		webhook_log_batch(n, nfailed, nquar, bytes, events,
		    daemon_now_ms() - t0);
	while ((r = TAILQ_FIRST(&batch)) != NULL) {
		TAILQ_REMOVE(&batch, r, entry);
		if (r->req == NULL)
			;	/* answered already (WEBHOOK_UNSAFE_ACK_FIRST) */
		else if (ok && !r->failed) {
			webhook_reply(r->req, 200, "OK", "EVENT_RECEIVED");
			d->wh_accepted++;
			d->wh_secret_n[r->secret]++;
			d->wh_secret_last[r->secret] = time(NULL);
		} else {
			webhook_reply(r->req, 503, "Service Unavailable",
			    "storage unavailable; retry later");
			d->wh_db_errors++;
		}
		sodium_memzero(r->body, r->len);
		free(r->body);
		webhook_release(w, &w->held, r->len);
		free(r);
	}
	if (ok) {
		server_events(d->server, events);
		events = NULL;
		if (nquar > 0) {
			ev = json_pack("{ss sI ss}", "kind", "quarantine",
			    "count", (json_int_t)nquar, "message", "a webhook "
			    "body could not be stored and was quarantined");
			server_broadcast(d->server, PEV_ALARM, ev);
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
    size_t len, int secret)
{
	struct webhook_req	*r;
	struct timeval		 now = { 0, 0 };

	r = xcalloc(1, sizeof *r);
	r->secret = secret;
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

/*
 * Whether header is "sha256=<64 hex>" and matches one of the secrets: 0
 * the current one, 1 the previous one (kept during a rotation), -1 none.
 * Both are always computed, so the time does not tell which matched.
 */
static int
webhook_is_signed(struct webhook *w, const char *header, const char *body,
    size_t len)
{
	uint8_t		 want[32], got[32];
	const char	*secrets[2];
	crypto_auth_hmacsha256_state st;
	int		 i, hi, lo, ok = -1;

	if (header == NULL || strncmp(header, "sha256=", 7) != 0 ||
	    strlen(header + 7) != 64)
		return (-1);
	for (i = 0; i < 32; i++) {
		hi = webhook_hex_nibble(header[7 + 2 * i]);
		lo = webhook_hex_nibble(header[8 + 2 * i]);
		if (hi < 0 || lo < 0)
			return (-1);
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
		if (sodium_memcmp(got, want, 32) == 0 && ok < 0)
			ok = i;
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
static bool
webhook_is_verify_token(const char *query, const char *want)
{
	static const char	 key[] = "hub.verify_token=";
	const char		*p, *v = NULL, *end;
	char			*raw, *dec;
	size_t			 n = 0;
	int			 ok;

	if (want == NULL)
		return (false);
	for (p = query; p != NULL && *p != '\0'; ) {
		if (strncmp(p, key, sizeof key - 1) == 0) {
			if (v != NULL)
				return (false);
			v = p + sizeof key - 1;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	if (v == NULL)
		return (false);
	end = strchr(v, '&');
	raw = xstrndup(v, end != NULL ? (size_t)(end - v) : strlen(v));
	dec = evhttp_uridecode(raw, 1, &n);
	free(raw);
	if (dec == NULL)
		return (false);
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
		    webhook_is_verify_token(query, w->d->conf.verify_token)) {
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
	struct webhook_conn	*c;
	struct evhttp_uri	*uri;
	struct evbuffer		*in;
	const char		*path, *sig;
	char			*body;
	size_t			 len;
	int			 secret;

	if ((c = webhook_conn_find(w, req)) != NULL) {
		c->busy++;
		evhttp_request_set_on_complete_cb(req, webhook_req_done, c);
		if (c->refused == 413) {
			c->refused = 0;
			w->d->wh_rejected++;
			webhook_reply(req, 413, "Payload Too Large",
			    "body too large");
			return;
		}
		if (c->refused) {
			c->refused = 0;
			w->d->wh_busy++;
			evhttp_add_header(evhttp_request_get_output_headers(req),
			    "Retry-After", WEBHOOK_RETRY_AFTER);
			webhook_reply(req, 503, "Service Unavailable",
			    "busy; retry later");
			return;
		}
	}
	uri = evhttp_uri_parse(evhttp_request_get_uri(req));
	path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (path != NULL && strcmp(path, WEBHOOK_HEALTH_PATH) == 0 &&
	    strcmp(path, w->d->conf.webhook_path) != 0) {
		webhook_health(w, req);
		goto out;
	}
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
	/* the body is ours now: held until answered, no longer reserved */
	w->held += len;
	if (c != NULL && c->reserved != 0) {
		w->reserved -= c->reserved;
		c->reserved = 0;
	}
	sig = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "X-Hub-Signature-256");
	if ((secret = webhook_is_signed(w, sig, body, len)) < 0) {
		w->d->wh_bad_sig++;
		log_warn("webhook POST with %s signature refused",
		    sig == NULL ? "no" : "a wrong");
		sodium_memzero(body, len);
		free(body);
		webhook_release(w, &w->held, len);
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
	webhook_queue(w, req, body, len, secret);
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
	w->relisten = evtimer_new(d->base, webhook_relisten_cb, w);
	log_info("webhook listening on %s%s", d->conf.webhook_listen,
	    d->conf.webhook_path);
	return (w);
}

void
webhook_stop(struct webhook *w)
{
	size_t	i;

	if (w == NULL || w->dead)
		return;
	evconnlistener_disable(evhttp_bound_socket_get_listener(w->bound));
	w->paused = 0;
	while (!TAILQ_EMPTY(&w->pending))
		webhook_flush_cb(-1, 0, w);
	w->dead = 1;
	event_free(w->flush);
	evhttp_free(w->http);	/* frees every connection */
	event_free(w->relisten);
	/* their filters are finalized later, maybe in event_base_free */
	for (i = 0; i < w->nconns; i++) {
		event_free(w->conns[i]->deadline);
		w->conns[i]->deadline = NULL;
		event_free(w->conns[i]->kick);
		w->conns[i]->kick = NULL;
		if (w->conns[i]->wev != NULL)
			event_free(w->conns[i]->wev);
		w->conns[i]->wev = NULL;
	}
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
