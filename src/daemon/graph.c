/*
 * Graph API over libcurl's multi interface on the daemon's event loop
 * (curl-ev.c). One multi handle keeps the connection cache, so requests reuse
 * connections; on TLS, HTTP/2 multiplexes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <sodium.h>

#include "buf.h"
#include "conf.h"
#include "curl-ev.h"
#include "graph.h"
#include "log.h"
#include "xmalloc.h"

#define GRAPH_MAX_HOST_CONNS	32

struct graph {
	struct event_base	*base;
	const struct conf	*conf;
	CURLM			*multi;
	struct curl_ev		*loop;		/* on the event loop */
	char			*token;
	size_t			 inflight;
	uint64_t		 requests;
	struct graph_req	*reqs;		/* in flight, for graph_free */
};

struct graph_req {
	struct graph		*g;
	CURL			*easy;
	struct curl_slist	*headers;
	curl_mime		*mime;
	char			*url;
	void			*body;		/* owned copy */
	size_t			 body_len;
	size_t			 body_off;	/* handed to curl so far */
	char			*resp;
	size_t			 resp_len, resp_cap, resp_max;
	int			 too_big;
	graph_cb		*cb;
	void			*arg;
	struct graph_req	*prev, *next;
};

static void	graph_check(struct graph *);

static void
graph_check_cb(void *arg)
{
	graph_check(arg);
}

struct graph *
graph_new(struct event_base *base, const struct conf *conf, char **cause)
{
	struct graph	*g;
	static int	 global;

	if (!global) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			*cause = xstrdup("cannot initialise libcurl");
			return (NULL);
		}
		global = 1;
	}
	g = xcalloc(1, sizeof *g);
	g->base = base;
	g->conf = conf;
	if ((g->multi = curl_multi_init()) == NULL) {
		free(g);
		*cause = xstrdup("cannot initialise libcurl");
		return (NULL);
	}
	g->loop = curl_ev_new(base, g->multi, graph_check_cb, g);
	curl_multi_setopt(g->multi, CURLMOPT_PIPELINING,
	    (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(g->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)GRAPH_MAX_HOST_CONNS);
	curl_multi_setopt(g->multi, CURLMOPT_MAXCONNECTS,
	    (long)GRAPH_MAX_HOST_CONNS);
	return (g);
}

static void
graph_req_free(struct graph_req *r)
{
	struct graph	*g = r->g;

	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		g->reqs = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	curl_multi_remove_handle(g->multi, r->easy);
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);	/* held the token: */
	curl_mime_free(r->mime);
	free(r->url);
	if (r->body != NULL) {
		sodium_memzero(r->body, r->body_len);
		free(r->body);
	}
	if (r->resp != NULL) {
		sodium_memzero(r->resp, r->resp_len);
		free(r->resp);
	}
	g->inflight--;
	free(r);
}

void
graph_free(struct graph *g)
{
	if (g == NULL)
		return;
	while (g->reqs != NULL)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): the head has no prev, so freeing it advances g->reqs */
		graph_req_free(g->reqs);
	curl_multi_cleanup(g->multi);
	curl_ev_free(g->loop);
	graph_set_token(g, NULL);
	free(g);
}

void
graph_set_token(struct graph *g, const char *token)
{
	if (g->token != NULL) {
		sodium_memzero(g->token, strlen(g->token));
		free(g->token);
	}
	g->token = token != NULL ? xstrdup(token) : NULL;
}

int
graph_has_token(struct graph *g)
{
	return (g->token != NULL);
}

uint64_t
graph_requests(struct graph *g)
{
	return (g->requests);
}

static size_t
graph_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct graph_req	*r = userdata;
	size_t			 n = size * nmemb, cap;

	if (r->resp_len + n > r->resp_max) {
		r->too_big = 1;
		return (0);
	}
	if (r->resp_len + n + 1 > r->resp_cap) {
		cap = r->resp_cap == 0 ? 1024 : r->resp_cap;
		while (cap < r->resp_len + n + 1)
			cap *= 2;
		r->resp = xrealloc(r->resp, cap);
		r->resp_cap = cap;
	}
	memcpy(r->resp + r->resp_len, ptr, n);
	r->resp_len += n;
	r->resp[r->resp_len] = '\0';
	return (n);
}

static size_t
graph_read_cb(char *buf, size_t size, size_t nitems, void *userdata)
{
	struct graph_req	*r = userdata;
	size_t			 n = size * nitems;

	if (n > r->body_len - r->body_off)
		n = r->body_len - r->body_off;
	memcpy(buf, (char *)r->body + r->body_off, n);
	r->body_off += n;
	return (n);
}

/*
 * libcurl silently sends a request again when a reused connection dies
 * before any answer. There is no idempotency key at Meta, so that could
 * send a message twice: allow the rewind only if none of the body left.
 */
static int
graph_seek_cb(void *userdata, curl_off_t offset, int origin)
{
	struct graph_req	*r = userdata;

	if (origin != SEEK_SET || offset != 0 || r->body_off != 0)
		return (CURL_SEEKFUNC_CANTSEEK);
	return (CURL_SEEKFUNC_OK);
}

static void
graph_parse_error(struct graph_resp *gr)
{
	json_t	*e, *v;

	if (gr->json == NULL || (e = json_object_get(gr->json, "error")) ==
	    NULL || !json_is_object(e))
		return;
	gr->has_error = 1;
	if (json_is_integer(v = json_object_get(e, "code")))
		gr->code = json_integer_value(v);
	if (json_is_integer(v = json_object_get(e, "error_subcode")))
		gr->subcode = json_integer_value(v);
	gr->message = json_string_value(json_object_get(e, "message"));
	gr->details = json_string_value(json_object_get(json_object_get(e,
	    "error_data"), "details"));
}

void
graph_resp_parse(struct graph_resp *gr, const char *body, size_t len)
{
	const char	*ct = gr->content_type;

	gr->body = body;
	gr->len = len;
	gr->json = NULL;
	if (ct == NULL || strstr(ct, "json") != NULL ||
	    strstr(ct, "javascript") != NULL || strstr(ct, "text") != NULL)
		gr->json = json_loadb(body, len, 0, NULL);
	graph_parse_error(gr);
}

static void
graph_done(struct graph *g, struct graph_req *r, CURLcode rc)
{
	struct graph_resp	 gr;
	long			 reqsize = 0;
	char			*ct = NULL;

	memset(&gr, 0, sizeof gr);
	curl_easy_getinfo(r->easy, CURLINFO_REQUEST_SIZE, &reqsize);
	if (rc == CURLE_OK) {
		gr.transport = GRAPH_OK;
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &gr.http);
		curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ct);
		gr.content_type = ct;
		graph_resp_parse(&gr, r->resp != NULL ? r->resp : "",
		    r->resp_len);
	} else {
		/*
		 * Nothing written to the socket: the request never left, so
		 * it may go again. Anything else (timeout, dropped connection
		 * after sending) leaves the outcome unknown.
		 */
		gr.transport = reqsize == 0 || rc == CURLE_COULDNT_CONNECT ||
		    rc == CURLE_COULDNT_RESOLVE_HOST ? GRAPH_NOTSENT :
		    GRAPH_MAYBE;
		gr.curl_error = r->too_big ? "response too large" :
		    curl_easy_strerror(rc);
	}
	r->cb(&gr, r->arg);
	json_decref(gr.json);
	(void)g;
	graph_req_free(r);
}

static void
graph_check(struct graph *g)
{
	CURLMsg			*m;
	struct graph_req	*r;
	int			 left;

	while ((m = curl_multi_info_read(g->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		r = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &r);
		if (r != NULL)
			graph_done(g, r, m->data.result);
	}
}

int
graph_is_id(const char *s)
{
	size_t	n;

	if (s == NULL)
		return (0);
	n = strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-");
	return (n > 0 && n <= 64 && s[n] == '\0');
}

/* Whether host is one of the words of list (separated by ',' or ' '). */
static int
graph_host_listed(const char *list, const char *host)
{
	const char	*p = list;
	size_t		 n, hl = strlen(host);

	while (p != NULL && *p != '\0') {
		p += strspn(p, ", ");
		n = strcspn(p, ", ");
		if (n > 0 && n == hl && strncasecmp(p, host, n) == 0)
			return (1);
		p += n;
	}
	return (0);
}

int
graph_is_token_url(struct graph *g, const char *url)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL, *user = NULL;
	size_t	 blen = strlen(g->conf->api_base_url);
	int	 ok = 0;

	if (strncmp(url, g->conf->api_base_url, blen) == 0 && url[blen] == '/')
		return (1);
	if ((u = curl_url()) == NULL)
		return (0);
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_PORT, &port, 0);
		curl_url_get(u, CURLUPART_USER, &user, 0);
		ok = strcmp(scheme, "https") == 0 && port == NULL &&
		    user == NULL && g->conf->media_hosts != NULL &&
		    graph_host_listed(g->conf->media_hosts, host);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_url_cleanup(u);
	return (ok);
}

static struct graph_req *
graph_req_new(struct graph *g, const char *token, const char *path,
    size_t maxresp, graph_cb *cb, void *arg)
{
	struct graph_req	*r;
	char			*auth;
	long			 timeout;

	r = xcalloc(1, sizeof *r);
	r->g = g;
	r->cb = cb;
	r->arg = arg;
	r->resp_max = maxresp;
	if (strncmp(path, "http://", 7) == 0 ||
	    strncmp(path, "https://", 8) == 0) {
		/* The token never goes anywhere else; see graph.h. */
		if (!graph_is_token_url(g, path)) {
			log_warn("graph: refused a URL outside the API and "
			    "media hosts");
			free(r);
			return (NULL);
		}
		r->url = xstrdup(path);
	} else
		r->url = xasprintf("%s/%s%s", g->conf->api_base_url,
		    g->conf->api_version, path);
	if ((r->easy = curl_easy_init()) == NULL) {
		free(r->url);
		free(r);
		return (NULL);
	}
	timeout = (long)g->conf->graph_timeout * 1000;
	curl_easy_setopt(r->easy, CURLOPT_URL, r->url);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, graph_write_cb);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    timeout < 10000 ? timeout : 10000L);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(r->easy, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "support-inboxd");
	if (token == NULL)
		token = g->token;
	if (token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", token);
		r->headers = curl_slist_append(r->headers, auth);
		sodium_memzero(auth, strlen(auth));
		free(auth);
	}
	r->next = g->reqs;
	if (g->reqs != NULL)
		g->reqs->prev = r;
	g->reqs = r;
	g->inflight++;
	g->requests++;
	return (r);
}

static int
graph_start(struct graph *g, struct graph_req *r)
{
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
	if (curl_multi_add_handle(g->multi, r->easy) != CURLM_OK) {
		r->cb = NULL;
		graph_req_free(r);
		return (-1);
	}
	return (0);
}

int
graph_request(struct graph *g, const char *method, const char *path,
    const char *ctype, const void *body, size_t len, size_t maxresp,
    graph_cb *cb, void *arg)
{
	return (graph_request_as(g, NULL, method, path, ctype, body, len,
	    maxresp, cb, arg));
}

int
graph_request_as(struct graph *g, const char *token, const char *method,
    const char *path, const char *ctype, const void *body, size_t len,
    size_t maxresp, graph_cb *cb, void *arg)
{
	struct graph_req	*r;
	char			*h;

	if ((r = graph_req_new(g, token, path, maxresp, cb, arg)) == NULL)
		return (-1);
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
		curl_easy_setopt(r->easy, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL) {
		r->body = xmalloc(len + 1);
		memcpy(r->body, body, len);
		r->body_len = len;
		curl_easy_setopt(r->easy, CURLOPT_POST, 1L);
		curl_easy_setopt(r->easy, CURLOPT_READFUNCTION, graph_read_cb);
		curl_easy_setopt(r->easy, CURLOPT_READDATA, r);
		curl_easy_setopt(r->easy, CURLOPT_SEEKFUNCTION, graph_seek_cb);
		curl_easy_setopt(r->easy, CURLOPT_SEEKDATA, r);
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
		h = xasprintf("Content-Type: %s", ctype != NULL ? ctype :
		    "application/json");
		r->headers = curl_slist_append(r->headers, h);
		free(h);
		/* No "Expect: 100-continue" round trip. */
		r->headers = curl_slist_append(r->headers, "Expect:");
	}
	return (graph_start(g, r));
}

int
graph_upload(struct graph *g, const char *path, const char *mime,
    const char *filename, const void *data, size_t len, graph_cb *cb,
    void *arg)
{
	return (graph_upload_as(g, NULL, path, mime, filename, data, len, cb,
	    arg));
}

int
graph_upload_as(struct graph *g, const char *token, const char *path,
    const char *mime, const char *filename, const void *data, size_t len,
    graph_cb *cb, void *arg)
{
	struct graph_req	*r;
	curl_mimepart		*part;

	if ((r = graph_req_new(g, token, path, 64 * 1024, cb, arg)) == NULL)
		return (-1);
	r->mime = curl_mime_init(r->easy);
	part = curl_mime_addpart(r->mime);
	curl_mime_name(part, "messaging_product");
	curl_mime_data(part, "whatsapp", CURL_ZERO_TERMINATED);
	part = curl_mime_addpart(r->mime);
	curl_mime_name(part, "type");
	curl_mime_data(part, mime, CURL_ZERO_TERMINATED);
	part = curl_mime_addpart(r->mime);
	curl_mime_name(part, "file");
	curl_mime_data(part, data, len);	/* copied by curl */
	curl_mime_filename(part, filename);
	curl_mime_type(part, mime);
	curl_easy_setopt(r->easy, CURLOPT_MIMEPOST, r->mime);
	r->headers = curl_slist_append(r->headers, "Expect:");
	return (graph_start(g, r));
}
