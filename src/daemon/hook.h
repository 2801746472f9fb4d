/*
 * Event hooks (issue 18; doc/integrations.md): what the daemon does tells
 * configured HTTPS endpoints and local programs ([hook NAME], conf-hook.h).
 * A delivery is recorded (store-hook.c) in the transaction of what raised
 * it, so a committed change never loses its hook, and sent after it by
 * hook-send.c on the daemon's loop: signed, retried with backoff, dead
 * after max_attempts, each outcome audited as hook.deliver.
 */
#ifndef HOOK_H
#define HOOK_H

#include <stdint.h>

#include <jansson.h>

struct daemon;
struct conf_hook;

/*
 * The events a write raised (rpc.c's write path, the webhook's batch; the
 * array server_events takes): those hooks want are recorded. Inside the
 * caller's transaction; 0, or -1 (roll back).
 */
int	 hook_events(struct daemon *, json_t *events);
/* The outbox's event data objects (a failed send: message.failed). */
int	 hook_outbox(struct daemon *, json_t *datas);
/*
 * One event (enum conf_hook_event) of conversation conv (0: none) with
 * extra fields for the body's "data" (borrowed; NULL: none). Inside the
 * caller's transaction; 0, or -1.
 */
int	 hook_emit(struct daemon *, int event, int64_t conv, json_t *extra);
/* hook_emit with extra stolen. */
int	 hook_emit_json(struct daemon *, int event, int64_t conv,
	    json_t *extra);
/* hook.test: a synthetic "hook.test" delivery for h, due now. 0 or -1. */
int	 hook_test(struct daemon *, const struct conf_hook *, int64_t *id);
/* The 1 s tick (tick.c): waiting conversations, due deliveries. */
void	 hook_tick(struct daemon *);
/* Shutdown: what is in flight is dropped (stays pending: sent again). */
void	 hook_stop(struct daemon *);

/* hook-send.c: the sender (curl multi and programs), used by hook.c. */
struct hook_send;
/* The outcome of one request: the deliveries it carried (one, or a
 * digest's), each with the same outcome. */
typedef void hook_send_cb(struct daemon *, const int64_t *ids, size_t n,
    int ok, const char *error);
struct hook_send *hook_send_new(struct daemon *, hook_send_cb *);
void	 hook_send_free(struct hook_send *);
/* Whether delivery id is in flight (alone or in a digest). */
int	 hook_send_busy(struct hook_send *, int64_t id);
size_t	 hook_send_count(struct hook_send *);
/* Starts one attempt for the n deliveries ids (n >= 1; body copied); cb
 * is called once. 0, or -1 (error set: allocated, no personal data). */
int	 hook_send_start(struct hook_send *, const struct conf_hook *,
	    const int64_t *ids, size_t n, const char *event, const char *key,
	    const char *body, char **error);
/* Reaps finished programs, kills those past their timeout. */
void	 hook_send_poll(struct hook_send *);

/*
 * hook-digest.c: one request for a digest hook's n (>= 2) due deliveries,
 * their recorded bodies in order of creation; since: the first one's
 * creation time. Teams: one Adaptive Card listing each card's body under
 * a header; json: {"digest": true, "hook": NAME, "deliveries": [...]}.
 * Kept under the format's size limit: *used says how many bodies from
 * the first it holds (the rest wait for the next request); NULL if fewer
 * than two fit (send the first alone). Allocated; wipe it.
 */
char	*hook_digest_build(const struct conf_hook *, char *const *bodies,
	    size_t n, int64_t since, size_t *used);

#endif
