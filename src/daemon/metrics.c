/*
 * Prometheus text metrics on a listener of their own ([metrics] listen,
 * off by default), on the daemon's event base: GET /metrics. Loopback only
 * unless [metrics] allow_remote: the numbers are no personal data, but
 * they tell an outsider how busy the inbox is. Counters count since the
 * start (Prometheus handles the reset); gauges are read when asked.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>

#include "daemon.h"
#include "log.h"
#include "metrics.h"
#include "outbox.h"
#include "store.h"
#include "xmalloc.h"

#define METRICS_PREFIX	"support_inbox_"

struct metrics {
	struct daemon			*d;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;
};

/* "[::1]:9464" or "127.0.0.1:9464" into a host (brackets gone) and port. */
static int
metrics_split(const char *listen, char **host, uint16_t *port)
{
	const char	*colon;
	char		*end;
	unsigned long	 p;
	size_t		 n;

	if ((colon = strrchr(listen, ':')) == NULL || colon == listen)
		return (-1);
	p = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || p == 0 || p > 65535)
		return (-1);
	n = (size_t)(colon - listen);
	if (listen[0] == '[' && n >= 3 && listen[n - 1] == ']')
		*host = xstrndup(listen + 1, n - 2);
	else
		*host = xstrndup(listen, n);
	*port = (uint16_t)p;
	return (0);
}

/* 127.0.0.0/8, ::1 or "localhost". */
static int
metrics_is_loopback(const char *host)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (strcmp(host, "localhost") == 0)
		return (1);
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return (IN6_IS_ADDR_LOOPBACK(&a6));
	return (0);
}

static void
metrics_head(struct evbuffer *b, const char *name, const char *type,
    const char *help)
{
	evbuffer_add_printf(b, "# HELP " METRICS_PREFIX "%s %s\n", name, help);
	evbuffer_add_printf(b, "# TYPE " METRICS_PREFIX "%s %s\n", name, type);
}

static void
metrics_value(struct evbuffer *b, const char *name, const char *labels,
    int64_t v)
{
	evbuffer_add_printf(b, METRICS_PREFIX "%s%s %" PRId64 "\n", name,
	    labels != NULL ? labels : "", v);
}

static int64_t
metrics_int(json_t *o, const char *key)
{
	return ((int64_t)json_integer_value(json_object_get(o, key)));
}

static void
metrics_write(struct metrics *m, struct evbuffer *b)
{
	struct daemon	*d = m->d;
	json_t		*ob = NULL, *alarms, *a;
	int64_t		 oldest, now = (int64_t)time(NULL);
	size_t		 i;
	int		 token = 0;

	metrics_head(b, "webhooks_accepted_total", "counter", "Webhook POSTs "
	    "stored and answered 200 since the start, by the app secret that "
	    "signed them (current, or previous during a rotation).");
	metrics_value(b, "webhooks_accepted_total", "{secret=\"current\"}",
	    (int64_t)d->wh_secret_n[0]);
	metrics_value(b, "webhooks_accepted_total", "{secret=\"previous\"}",
	    (int64_t)d->wh_secret_n[1]);
	metrics_head(b, "webhooks_rejected_total", "counter", "Webhook "
	    "requests not stored since the start, by reason.");
	metrics_value(b, "webhooks_rejected_total",
	    "{reason=\"bad_signature\"}", (int64_t)d->wh_bad_sig);
	metrics_value(b, "webhooks_rejected_total", "{reason=\"bad_request\"}",
	    (int64_t)d->wh_rejected);
	metrics_value(b, "webhooks_rejected_total", "{reason=\"store_error\"}",
	    (int64_t)d->wh_db_errors);
	metrics_value(b, "webhooks_rejected_total", "{reason=\"busy\"}",
	    (int64_t)d->wh_busy);

	if (d->outbox != NULL && !d->store.damaged)
		ob = outbox_stats(d->outbox);
	metrics_head(b, "sends_total", "counter", "Answers of the Graph API "
	    "to sends since the start, by outcome.");
	metrics_value(b, "sends_total", "{outcome=\"sent\"}",
	    metrics_int(ob, "sent_total"));
	metrics_value(b, "sends_total", "{outcome=\"failed\"}",
	    metrics_int(ob, "failed_total"));
	metrics_value(b, "sends_total", "{outcome=\"unknown\"}",
	    metrics_int(ob, "unknown_total"));
	metrics_value(b, "sends_total", "{outcome=\"retry\"}",
	    metrics_int(ob, "retries"));
	metrics_head(b, "outbox_backlog", "gauge", "Messages queued or being "
	    "sent.");
	metrics_value(b, "outbox_backlog", NULL, metrics_int(ob, "queued") +
	    metrics_int(ob, "sending"));
	json_decref(ob);

	oldest = d->store.damaged ? 0 : store_conv_waiting_oldest(&d->store);
	metrics_head(b, "oldest_waiting_seconds", "gauge", "How long the "
	    "customer who has waited longest for an answer (open "
	    "conversations) has waited; 0 if nobody waits.");
	metrics_value(b, "oldest_waiting_seconds", NULL,
	    oldest > 0 && oldest < now ? now - oldest : 0);

	alarms = outbox_alarms(d->outbox);
	json_array_foreach(alarms, i, a) {
		if (strcmp(json_string_value(json_object_get(a, "kind")),
		    "token") == 0)
			token = 1;
	}
	json_decref(alarms);
	metrics_head(b, "alarm_active", "gauge", "1 while an alarm stands "
	    "(token: sending paused on a refused access token; store: the "
	    "store is damaged and refuses writes).");
	metrics_value(b, "alarm_active", "{alarm=\"token\"}", token);
	metrics_value(b, "alarm_active", "{alarm=\"store\"}",
	    d->store.damaged ? 1 : 0);
	metrics_head(b, "uptime_seconds", "gauge", "Seconds since the daemon "
	    "started.");
	metrics_value(b, "uptime_seconds", NULL, now - (int64_t)d->started);
}

static void
metrics_request_cb(struct evhttp_request *req, void *arg)
{
	struct metrics	*m = arg;
	struct evbuffer	*b;
	const char	*uri = evhttp_request_get_uri(req);
	int		 code = 200;

	b = evbuffer_new();
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		code = 405;
		evbuffer_add_printf(b, "method not allowed\n");
	} else if (uri == NULL || (strcmp(uri, "/metrics") != 0 &&
	    strncmp(uri, "/metrics?", 9) != 0)) {
		code = 404;
		evbuffer_add_printf(b, "not found; the metrics are at "
		    "/metrics\n");
	} else
		metrics_write(m, b);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", code == 200 ? "text/plain; version=0.0.4; "
	    "charset=utf-8" : "text/plain; charset=utf-8");
	evhttp_send_reply(req, code, code == 200 ? "OK" : code == 404 ?
	    "Not Found" : "Method Not Allowed", b);
	evbuffer_free(b);
}

struct metrics *
metrics_start(struct daemon *d, char **cause)
{
	struct metrics	*m;
	char		*host;
	uint16_t	 port;

	*cause = NULL;
	if (d->conf.metrics_listen == NULL)
		return (NULL);
	if (metrics_split(d->conf.metrics_listen, &host, &port) != 0) {
		*cause = xasprintf("bad [metrics] listen '%s'; expects "
		    "host:port", d->conf.metrics_listen);
		return (NULL);
	}
	if (!d->conf.metrics_allow_remote && !metrics_is_loopback(host)) {
		*cause = xasprintf("[metrics] listen '%s' is not a loopback "
		    "address; use 127.0.0.1 (and a proxy or tunnel), or set "
		    "[metrics] allow_remote = yes", d->conf.metrics_listen);
		free(host);
		return (NULL);
	}
	m = xcalloc(1, sizeof *m);
	m->d = d;
	m->http = evhttp_new(d->base);
	evhttp_set_max_headers_size(m->http, 8192);
	evhttp_set_max_body_size(m->http, 0);
	evhttp_set_timeout(m->http, 10);
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE);
	evhttp_set_gencb(m->http, metrics_request_cb, m);
	m->bound = evhttp_bind_socket_with_handle(m->http, host, port);
	if (m->bound == NULL) {
		*cause = xasprintf("cannot listen for metrics on '%s': %s",
		    d->conf.metrics_listen, strerror(errno));
		free(host);
		evhttp_free(m->http);
		free(m);
		return (NULL);
	}
	free(host);
	log_info("metrics listening on %s/metrics", d->conf.metrics_listen);
	return (m);
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	evhttp_free(m->http);
	free(m);
}
