/*
 * The outbox (doc/design.md section 5): every outgoing message is a
 * row that moves queued -> sending -> sent | failed | unknown. "sending" is
 * committed before the request leaves, so after a crash such a row becomes
 * "unknown" and is never sent again blindly. One conversation's messages go
 * in order; results are committed in groups.
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stdint.h>

#include <jansson.h>

struct daemon;
struct graph;
struct graph_resp;
struct outbox;

/* Recovers "sending" rows, loads the token, starts the timers. */
struct outbox	*outbox_start(struct daemon *, char **cause);
/* Waits (bounded) for requests in flight, commits their results, frees. */
void		 outbox_free(struct outbox *);
/* Something was queued: look for work soon. */
void		 outbox_kick(struct outbox *);
/*
 * Alarms for "status": [{"kind","code","since","message","fix","paused"}].
 * The token alarm is raised with the pause and cleared by the first send
 * accepted after the pause ended (new token, reload or resume).
 */
json_t		*outbox_alarms(struct outbox *);
json_t		*outbox_stats(struct outbox *);
/* Clears a pause (re-reading the token file). 0, or -1 with *cause. */
int		 outbox_resume(struct outbox *, char **cause);
int		 outbox_paused(struct outbox *);
/*
 * d->conf.access_token was replaced (reload): use it, and end a pause.
 * The token alarm stays until a send succeeds. o may be NULL.
 */
void		 outbox_token_changed(struct outbox *);
/*
 * The id a successful Graph answer gives: messages[0].id of a send, or id
 * of an upload (allocated), or NULL if the answer is not a success or has
 * no usable id.
 */
char		*outbox_answer_id(const struct graph_resp *, int upload);
/*
 * Whether a message to the contact si describes may go: 0, or the code it
 * is held back with (META_ERRORS_HELD_RESTRICTED, _ERASED, _CONSENT for a
 * MARKETING category without an opt-in). The one owner of these rules:
 * checked when a reply is queued (rpc-send.c) and again as it leaves.
 */
struct store_send_info;
int64_t		 outbox_held(struct store *, const struct store_send_info *,
		    const char *category);
/* Mark the conversation's newest inbound message read; typing indicator. */
void		 outbox_mark_read(struct outbox *, int64_t conv_id, int typing);
/*
 * From ingest, inside its transaction: a status webhook for a wamid
 * (opaque: biz_opaque_callback_data or NULL). o may be NULL.
 */
int		 outbox_on_status(struct daemon *, const char *wamid,
		    const char *opaque, int status, int64_t code);

/*
 * Queues one outgoing message inside the caller's transaction: the message
 * row (and the attachment's sealed blob), then the outbox row with the
 * Graph request. The caller has checked that it may go (window, consent,
 * restriction) and writes the audit record in the same transaction;
 * outbox_kick only schedules a scan, so it may be called before the commit.
 */
struct outbox_msg {
	int64_t		 conv;
	int64_t		 contact_id;
	const char	*wa_id;		/* recipient: phone, or ... */
	const char	*user_id;	/* ... the business-scoped user id */
	const char	*type;		/* Graph message type */
	json_t		*obj;		/* the <type> object */
	json_t		*body;		/* the message row's body */
	const char	*preview;
	int64_t		 agent_id;	/* 0: the daemon */
	const char	*context_wamid;	/* quoted message, or NULL */
	const uint8_t	*media_data;	/* attachment, or NULL */
	size_t		 media_len;
	const char	*media_mime;
	int64_t		 now;		/* seconds */
	int64_t		 hold_ms;	/* undo window: not before now + it */
};
int		 outbox_queue(struct daemon *, const struct outbox_msg *,
		    int64_t *msg_id, int64_t *outbox_id, char **cause);

#endif
