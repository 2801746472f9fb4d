/*
 * What the daemon itself sends into a conversation: the consent
 * confirmations, the privacy notice, auto-replies, a rule's canned reply,
 * the satisfaction survey. One place decides whether it may go (never to
 * a restricted, erased or blocked contact; free-form only while the
 * customer-service window is open) and queues it like an agent's reply,
 * sent as "support-inboxd" and audited as such.
 *
 * It runs inside a transaction the caller holds (ingest's, or rpc_act's):
 * the message, its outbox row and its audit record commit or roll back
 * with what caused them.
 */
#ifndef AUTOSEND_H
#define AUTOSEND_H

#include <stdint.h>

#include <jansson.h>

struct daemon;

struct autosend {
	int64_t		 conv;
	const char	*type;		/* Graph type: "text", "interactive" */
	json_t		*obj;		/* the <type> object (borrowed) */
	json_t		*body;		/* the message row's body (borrowed) */
	const char	*preview;	/* the row's preview text */
	const char	*action;	/* audit action; NULL: "message.send" */
	const char	*detail;	/* audit detail (no personal data) */
	int64_t		 now;		/* clock_now() if 0 */
};

/* Why autosend_queue did not queue (its return value when > 0). */
enum autosend_skip {
	AUTOSEND_QUEUED = 0,
	AUTOSEND_WINDOW = 1,		/* window closed (or never opened) */
	AUTOSEND_RESTRICTED,		/* GDPR Art. 18 */
	AUTOSEND_NO_ADDRESS,		/* erased: no number, no user id */
	AUTOSEND_BLOCKED,		/* contact block */
};

/*
 * Queues a->obj for a->conv if it may go; *msg_id (may be NULL) is the
 * message's row. 0 queued, an enum autosend_skip if it may not go
 * (nothing written), -1 on a database error (the caller rolls back).
 */
int		 autosend_queue(struct daemon *, const struct autosend *,
		    int64_t *msg_id);
/* The same for a text message. */
int		 autosend_text(struct daemon *, int64_t conv, const char *text,
		    const char *action, const char *detail, int64_t *msg_id);
/* "window closed", ...: for logs and "rule test". */
const char	*autosend_skip_name(int);

#endif
