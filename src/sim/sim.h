/*
 * support-inbox-sim: a local stand-in for Meta's WhatsApp Cloud API, so that
 * tests, benchmarks and the demo never need the network. One command per
 * file (sim-post.c, sim-sink.c, sim-serve.c), helpers beside them.
 */
#ifndef SIM_H
#define SIM_H

#include <stddef.h>
#include <time.h>
#include <stdint.h>

#include <jansson.h>

struct evhttp;
struct evhttp_request;
struct event_base;
struct buf;

/* Identity of the simulated business, as in Meta's own examples. */
#define SIM_WABA_ID		"102290129340398"
#define SIM_PHONE_NUMBER_ID	"106540352242922"
#define SIM_DISPLAY_PHONE	"15550783881"

/* serve --number: business numbers beside the first. */
#define SIM_NUMBERS_MAX		4

/* "sha256=" + 64 hex digits + NUL. */
#define SIM_SIGN_LEN		72

/* main.c: the commands. */
int	 sim_post_main(int, char **);
int	 sim_sink_main(int, char **);
int	 sim_serve_main(int, char **);
int	 sim_json_main(int, char **);

/* sim-util.c */
/* Monotonic clock, in seconds. */
double	 sim_util_now(void);
/*
 * Reads a whole file of at most max bytes. Returns 0 and an allocated,
 * NUL-terminated *data (the caller frees it), or -1 and an allocated *cause.
 */
int	 sim_util_read_file(const char *, size_t, char **, size_t *, char **);
/*
 * Reads a secret (app secret, access token) from the first line of a file,
 * without trailing whitespace. Returns an allocated string the caller wipes
 * and frees, or NULL and an allocated *cause.
 */
char	*sim_util_read_secret(const char *, char **);
/* Wipes and frees a secret from sim_util_read_secret. */
void	 sim_util_free_secret(char *);
/*
 * Checks that url is http(s) to a loopback address: this program sends
 * traffic nowhere else. Returns 0, or -1 and an allocated *cause.
 */
int	 sim_util_url_loopback(const char *, char **);
/*
 * --cacert FILE: checks that FILE is a readable PEM file of certificates
 * (one that curl would refuse later fails here, with its name). Returns 0,
 * or -1 and an allocated *cause.
 */
int	 sim_util_cacert(const char *, char **);
/* Parses a decimal in [min, max]; 0, or -1 and an allocated *cause. */
int	 sim_util_number(const char *, long long, long long, long long *,
	     char **);
/*
 * Serializes JSON the way Meta does on the wire: compact, non-ASCII as
 * \uXXXX with lowercase hex (surrogate pairs for emoji), "/" as "\/".
 * Returns an allocated string; the caller frees it.
 */
char	*sim_util_json_meta(const json_t *, size_t *);
/*
 * Binds evhttp to "HOST:PORT" (PORT may be 0) and returns the bound port,
 * or -1 and an allocated *cause.
 */
int	 sim_util_listen(struct evhttp *, const char *, char **);
/* Returns the request body as a NUL-terminated pointer into libevent's
 * buffer (valid until the reply), and its length. */
const char *sim_util_body(struct evhttp_request *, size_t *);
/* Replies with a JSON body (which is consumed) and status code. */
void	 sim_util_reply_json(struct evhttp_request *, int, json_t *);
/* Makes SIGINT and SIGTERM end the loop; the caller frees both events. */
struct event;
void	 sim_util_signals(struct event_base *, struct event *[2]);
/* Replies with a NUL-terminated JSON string. */
void	 sim_util_reply_str(struct evhttp_request *, int, const char *);
/* A random trace id like Meta's fbtrace_id; writes n-1 chars and NUL. */
void	 sim_util_trace_id(char *, size_t);

/* sim-sign.c */
/* Writes "sha256=<hex HMAC-SHA256(body, secret)>" into out. */
void	 sim_sign_body(const char *, const void *, size_t,
	     char [SIM_SIGN_LEN]);
/* Checks an X-Hub-Signature-256 header value: 0 if it matches, else -1. */
int	 sim_sign_verify(const char *, const void *, size_t, const char *);

/* sim-set.c: a set of strings (wamids), for duplicate detection. */
struct sim_set {
	char	**slots;	/* open addressing; NULL = empty */
	size_t	  size;		/* slots allocated, a power of two */
	size_t	  count;	/* strings held */
};
void	 sim_set_init(struct sim_set *);
void	 sim_set_release(struct sim_set *);
/* Adds a copy of s; returns 1 if it was new, 0 if already present. */
int	 sim_set_add(struct sim_set *, const char *);
int	 sim_set_has(const struct sim_set *, const char *);

/* sim-gen.c: realistic webhook bodies. */
struct sim_gen_customer {
	char	 phone[24];	/* digits only, as wa_id */
	char	*name;		/* profile.name, UTF-8 */
};

struct sim_gen {
	uint64_t		 key;		/* from --seed and --prefix */
	struct sim_gen_customer	*customers;
	size_t			 ncustomers;
	const char		*waba_id;
	const char		*phone_number_id;
	const char		*display_phone;
	uint64_t		 outbound;	/* counter for outgoing wamids */
	/* serve --number: more numbers, each in its WABA (entry[].id) */
	const char		*extra_phone[SIM_NUMBERS_MAX];
	const char		*extra_waba[SIM_NUMBERS_MAX];
	size_t			 nextra;
};

void	 sim_gen_init(struct sim_gen *, uint64_t, const char *, size_t);
void	 sim_gen_release(struct sim_gen *);
/*
 * Builds customer text-message webhook number i: returns the allocated
 * Meta-serialized body and sets *wamid to an allocated copy of its wamid.
 */
char	*sim_gen_text_event(struct sim_gen *, uint64_t, char **, size_t *);
/*
 * Builds an inbound text webhook for a given sender. Returns the allocated
 * body and sets *wamid (allocated).
 */
char	*sim_gen_inbound(struct sim_gen *, const char *, const char *,
	     const char *, char **, size_t *);
/* Returns a new allocated outbound wamid for a recipient's digits. */
char	*sim_gen_outbound_wamid(struct sim_gen *, const char *);
/* Returns a new allocated inbound wamid from a customer's digits. */
char	*sim_gen_inbound_wamid(const char *);
/*
 * Wraps one value object (consumed) in the webhook envelope for field
 * "messages"; returns the allocated Meta-serialized body.
 */
char	*sim_gen_envelope(struct sim_gen *, const char *, json_t *, size_t *);


/* sim-hook.c: signed webhook delivery from "serve", with retries. */
struct sim_hook;
/* Called once a webhook is acknowledged (ok = 1) or given up (ok = 0). */
typedef void sim_hook_cb(int ok, long status, void *);
struct sim_hook	*sim_hook_new(struct event_base *, const char *, const char *);
void		 sim_hook_free(struct sim_hook *);
/* Posts body (consumed, allocated) signed; cb may be NULL. */
void		 sim_hook_post(struct sim_hook *, char *, size_t, sim_hook_cb *,
		     void *);
/* Adds delivery counters ("posted", "acked", ...) to j. */
void		 sim_hook_stats(struct sim_hook *, json_t *);
void		 sim_hook_reset(struct sim_hook *);
/* Verifies an https webhook's certificate against this file (--cacert). */
void		 sim_hook_cacert(struct sim_hook *, const char *);

/* sim-fault.c: failures on demand for the send endpoint. */
enum sim_fault_kind {
	SIM_FAULT_ERROR,	/* a synchronous Graph error */
	SIM_FAULT_ASYNC,	/* 200, then a "failed" status webhook */
	SIM_FAULT_SLOW,		/* answer after ms */
	SIM_FAULT_DROP,		/* close the connection, no answer */
	SIM_FAULT_TIMEOUT,	/* hold the request for ms (60 s) */
};

struct sim_fault_mode {
	const char		*name;		/* "130429", "slow" ... */
	enum sim_fault_kind	 kind;
	int			 http;		/* HTTP status of an error */
	int			 code;		/* Graph error code */
	int			 subcode;	/* 0 = none */
	const char		*type;		/* OAuthException ... */
	const char		*message;	/* error.message or title */
	const char		*details;	/* error_data.details */
	int			 transient;	/* is_transient: true */
};

struct sim_fault {
	const struct sim_fault_mode	*mode;
	long				 count;		/* -1 = until cleared */
	long				 ms;		/* slow, timeout */
	struct sim_fault		*next;
};

struct sim_faults {
	struct sim_fault	*head;
};

/* Parses "mode[:count[:ms]],..." (--faults); 0, or -1 and *cause. */
int	 sim_fault_parse(struct sim_faults *, const char *, char **);
/* Replaces the queue from a JSON object or array; 0, or -1 and *cause. */
int	 sim_fault_set_json(struct sim_faults *, json_t *, char **);
json_t	*sim_fault_json(struct sim_faults *);
void	 sim_fault_clear(struct sim_faults *);
/* Takes one use of the head fault; returns its copy in *out, or 0 if none. */
int	 sim_fault_take(struct sim_faults *, struct sim_fault *);
/* The mode of that name ("131026"), or NULL. */
const struct sim_fault_mode *sim_fault_named(const char *);
/* Adds "491...,+43 ..." (digits of each) to set; 0, or -1 and *cause. */
int	 sim_fault_numbers(struct sim_set *, const char *, char **);
/* Builds Meta's synchronous error object for a mode. */
json_t	*sim_fault_error_json(const struct sim_fault_mode *);
/* Builds Meta's statuses[].errors[] item for a mode. */
json_t	*sim_fault_status_error(const struct sim_fault_mode *);

/* sim-error.c: Meta's error bodies. */
/* {"error":{"message","type","code",["error_subcode"],
 *  ["error_data":{"messaging_product","details"}],"fbtrace_id"}} */
json_t	*sim_error_json(const char *, const char *, int, int, const char *);
void	 sim_error_reply(struct evhttp_request *, int, json_t *);
/* Code 100 "(#100) ..." for bad request shapes, HTTP 400. */
void	 sim_error_param(struct evhttp_request *, const char *,
	     const char *);
/* Code 100 subcode 33 GraphMethodException: no such object. */
void	 sim_error_no_object(struct evhttp_request *, const char *,
	     const char *);
/* Code 190, HTTP 401. */
void	 sim_error_token(struct evhttp_request *, int);

/* sim-media.c: the media store. */
struct sim_media;
struct sim_media_store {
	struct sim_media	*head;
	size_t			 bytes;		/* sum of stored sizes */
	uint64_t		 uploads;
	uint64_t		 downloads;
};
void	 sim_media_init(struct sim_media_store *);
void	 sim_media_release(struct sim_media_store *);
size_t	 sim_media_count(struct sim_media_store *);

/* sim-template.c: the built-in message templates. */
struct sim_template {
	const char	*name;
	const char	*language;
	const char	*status;	/* APPROVED, PAUSED, REJECTED ... */
	const char	*category;	/* MARKETING, UTILITY ... */
	const char	*id;
	const char	*header;	/* text header or NULL */
	const char	*header_format;	/* IMAGE ..., or NULL */
	const char	*body;		/* with {{1}} placeholders */
	const char	*footer;	/* or NULL */
	const char	*buttons;	/* "QUICK_REPLY:Yes|QUICK_REPLY:No" */
};
const struct sim_template *sim_template_find(const char *, const char *);
int	 sim_template_params(const struct sim_template *);
json_t	*sim_template_json(const struct sim_template *);
const struct sim_template *sim_template_get(size_t);
/* The templates of a WABA given with --number (a second business). */
const struct sim_template *sim_template_get_extra(size_t);

/* sim-serve.c: the root of "serve", shared by its handlers. */
struct sim_held;
struct sim_chain;

struct sim_serve {
	struct event_base	*base;
	struct evhttp		*http;
	char			*token;
	const char		*token_file;	/* re-read when it changes */
	struct timespec		 token_mtime;
	char			*secret;
	const char		*webhook;	/* NULL: post no webhooks */
	const char		*cacert;	/* NULL: the system's CAs */
	const char		*phone_number_id; /* NULL: accept any */
	const char		*waba_id;	/* NULL: accept any */
	/*
	 * --number ID,WABA,TOKEN_FILE: another business number with its
	 * WABA and token. A request for a number must carry that number's
	 * token; auth_as is whose the last request's token was (0: the
	 * first number's, k: extra[k - 1]'s).
	 */
	struct sim_number {
		char		*phone;
		char		*waba;
		char		*token_file;
		char		*token;
	}			 extra[SIM_NUMBERS_MAX];
	size_t			 nextra;
	size_t			 auth_as;
	char			 base_url[80];	/* http://HOST:PORT */
	char			 media_base[256]; /* media lookups' URLs */
	int			 state_fd;	/* --state journal, or -1 */
	long			 status_delay_ms;
	char			 statuses[4][12]; /* the status webhooks */
	int			 nstatuses;

	struct sim_gen		 gen;
	struct sim_faults	 faults;
	struct sim_media_store	 media;
	struct sim_hook		*hook;
	struct sim_set		 outgoing;	/* wamids we issued */
	struct sim_held		*held;		/* slow/timeout requests */
	struct sim_chain	*chains;	/* status webhooks to come */

	/* Counters for GET /_sim/requests. */
	uint64_t		 total;		/* POST .../messages */
	uint64_t		 accepted;	/* of those, answered 200 */
	uint64_t		 rejected;	/* answered an error */
	uint64_t		 dropped;	/* closed without answer */
	uint64_t		 unauthorized;	/* bad or missing token */
	uint64_t		 template_lists;
	json_t			*types;		/* type -> count */
	json_t			*bodies;	/* last 1000 send bodies */
	json_t			*log;		/* last 1000 {path,status,...} */
	struct sim_demo		*demo;		/* --demo, or NULL */
	json_t			*blocked;	/* number -> true (block_users) */
	/* Numbers without WhatsApp (--no-whatsapp, POST /_sim/no-whatsapp):
	 * a send there is accepted, then fails with 131026 as Meta's does. */
	struct sim_set		 no_whatsapp;
};

/* 1 + the index of the --number with this phone or WABA id, else 0. */
size_t	 sim_serve_extra(struct sim_serve *, const char *);
/* Remembers a send request's body and outcome for /_sim/requests. */
void	 sim_serve_record(struct sim_serve *, const char *, json_t *, int,
	     const char *);
/* Answers req after ms milliseconds by calling fn again (slow faults). */
void	 sim_serve_hold(struct sim_serve *, struct evhttp_request *, long,
	     const char *,
	     void (*)(struct sim_serve *, struct evhttp_request *,
	     const char *, int));
/* Closes the connection of req without an answer. */
void	 sim_serve_drop(struct sim_serve *, struct evhttp_request *);

/* sim-block.c: POST/DELETE .../block_users (on: block), GET
 * /_sim/blocked, and whether a number is blocked. */
void	 sim_block_request(struct sim_serve *, struct evhttp_request *, int);
void	 sim_block_list(struct sim_serve *, struct evhttp_request *);
int	 sim_block_has(struct sim_serve *, const char *);

/* sim-graph.c: the message endpoint. */
/* POST /{version}/{phone}/messages; held = 1 when a fault already ran. */
void	 sim_graph_messages(struct sim_serve *, struct evhttp_request *,
	     const char *, int);
void	 sim_graph_templates(struct sim_serve *, struct evhttp_request *,
	     const char *);
/* Starts the status webhooks for an accepted send. */
/* recipient digits or NULL, BSUID or NULL, phone-number-id, pricing
 * category, biz_opaque_callback_data or NULL, async failure or NULL. */
void	 sim_graph_statuses(struct sim_serve *, const char *, const char *,
	     const char *, const char *, const char *, const char *,
	     const struct sim_fault_mode *);
void	 sim_graph_chains_free(struct sim_serve *);

/* sim-media.c: the media endpoints. */
void	 sim_media_upload(struct sim_serve *, struct evhttp_request *,
	     const char *);
void	 sim_media_get(struct sim_serve *, struct evhttp_request *,
	     const char *);
void	 sim_media_delete(struct sim_serve *, struct evhttp_request *,
	     const char *);
void	 sim_media_download(struct sim_serve *, struct evhttp_request *,
	     const char *);

/* sim-ctl.c: the /_sim/ control endpoints. */
void	 sim_ctl_request(struct sim_serve *, struct evhttp_request *,
	     const char *);
/* sim-reply.c: POST /_sim/reply, a customer's button or list reply. */
void	 sim_reply_post(struct sim_serve *, struct evhttp_request *);

/* sim-demo.c: the demo's customers ("seed", and "serve --demo"). */
struct sim_demo;
int	 sim_seed_main(int, char **);
/* Customers write every about every seconds (the serve has a webhook). */
struct sim_demo *sim_demo_start(struct sim_serve *, double);
/* A send to digits was accepted: a demo customer answers it. */
void	 sim_demo_sent(struct sim_demo *, const char *, const char *,
	     const char *);
void	 sim_demo_free(struct sim_demo *);

#endif
