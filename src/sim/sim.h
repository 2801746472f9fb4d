/*
 * support-inbox-sim: a local stand-in for Meta's WhatsApp Cloud API, so that
 * tests, benchmarks and the demo never need the network. One command per
 * file (sim-post.c, sim-sink.c, sim-serve.c), helpers beside them.
 */
#ifndef SIM_H
#define SIM_H

#include <stddef.h>
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
/* Replies with raw text as application/json. */
void	 sim_util_reply_raw(struct evhttp_request *, int, const char *,
	     size_t);
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
/*
 * Wraps one value object (consumed) in the webhook envelope for field
 * "messages"; returns the allocated Meta-serialized body.
 */
char	*sim_gen_envelope(struct sim_gen *, const char *, json_t *, size_t *);
/* A realistic wamid: "wamid." + base64 of Meta's small binary record. */
char	*sim_gen_wamid(const char *, int, const uint8_t [10]);

#endif
