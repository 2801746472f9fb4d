/*
 * The Graph API client: libcurl's multi interface driven by the daemon's
 * libevent loop (socket and timer callbacks), so sends never block the loop
 * and connections are reused (HTTP/2 multiplexing where TLS offers it).
 */
#ifndef GRAPH_H
#define GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct event_base;
struct conf;
struct graph;
struct graph_req;

enum graph_transport {
	GRAPH_OK,		/* an HTTP answer came (any status) */
	GRAPH_NOTSENT,		/* the request never left: safe to retry */
	GRAPH_MAYBE		/* sent, no complete answer: outcome unknown */
};

struct graph_resp {
	enum graph_transport	 transport;
	long			 http;		/* 0 without an answer */
	const char		*body;		/* NUL-terminated, bounded */
	size_t			 len;
	json_t			*json;		/* parsed body or NULL */
	int			 has_error;	/* the body has error{} */
	int64_t			 code;		/* error.code */
	int64_t			 subcode;	/* error.error_subcode or 0 */
	const char		*message;	/* error.message or NULL */
	const char		*details;	/* error.error_data.details */
	const char		*content_type;	/* or NULL */
	const char		*curl_error;	/* transport failure text */
};

/* Called once per request unless the graph is freed first. */
typedef void graph_cb(const struct graph_resp *, void *arg);

/* Uses conf (borrowed; must outlive the graph) for URL, version, timeout. */
struct graph	*graph_new(struct event_base *, const struct conf *,
		    char **cause);
/* Aborts what is in flight without calling back. */
void		 graph_free(struct graph *);
/* Copies the token (wiped on replace and free). NULL clears it. */
void		 graph_set_token(struct graph *, const char *token);
/*
 * Whether s may stand in a Graph API path as an id (a media id, a phone
 * number id): 1 to 64 letters, digits, '_' or '-', so that an id from a
 * webhook cannot change the path ("../x") or add a query ("?a=").
 */
int		 graph_is_id(const char *s);
/*
 * Whether the access token may go with a request to url: the configured
 * API base (api_base_url and a '/'), or https on the default port to one
 * of [graph] media_hosts exactly, with no user name in the URL. Every
 * absolute URL graph_request is given passes this check.
 */
int		 graph_is_token_url(struct graph *, const char *url);
int		 graph_has_token(struct graph *);
/*
 * Starts a request. path is "/<id>/messages" and the like (the base URL and
 * version are prepended) or an absolute http(s) URL (media downloads).
 * body may be NULL; ctype defaults to application/json. The response body
 * is capped at maxresp bytes (more counts as a transport failure).
 * Returns 0 or -1 (nothing will be called back).
 */
int		 graph_request(struct graph *, const char *method,
		    const char *path, const char *ctype, const void *body,
		    size_t len, size_t maxresp, graph_cb *cb, void *arg);
/* multipart/form-data upload to /<phone>/media: messaging_product, file. */
int		 graph_upload(struct graph *, const char *path,
		    const char *mime, const char *filename, const void *data,
		    size_t len, graph_cb *cb, void *arg);
/*
 * The same with another number's token (issue 15: each business number
 * may have its own); NULL: the graph's own token. The token is copied.
 */
int		 graph_request_as(struct graph *, const char *token,
		    const char *method, const char *path, const char *ctype,
		    const void *body, size_t len, size_t maxresp, graph_cb *cb,
		    void *arg);
int		 graph_upload_as(struct graph *, const char *token,
		    const char *path, const char *mime, const char *filename,
		    const void *data, size_t len, graph_cb *cb, void *arg);
/*
 * Fills gr's body, len, json and error fields from an answer's body
 * (NUL-terminated; len bytes) and gr->content_type. The caller decrefs
 * gr->json.
 */
void		 graph_resp_parse(struct graph_resp *, const char *body,
		    size_t len);
/* Counters for status and bench. */
uint64_t	 graph_requests(struct graph *);

#endif
