/*
 * What the inbox does by itself when a customer writes: the first-contact
 * privacy notice, auto-replies, rules, the survey's answer. ingest calls
 * automation_inbound once per new inbound message, inside its transaction
 * (after the message and its consent keywords are stored), so what the
 * automation writes (messages through autosend, labels, assignments, its
 * audit records) commits or rolls back with the message, and events it
 * appends to `events` are sent after the commit.
 *
 * Each part is one call below, in a fixed order; each decides alone
 * whether it applies. A part returns -1 only for a database error (the
 * webhook body is then answered 503 and retried), never because it chose
 * not to act.
 */
#ifndef AUTOMATION_H
#define AUTOMATION_H

#include <stdint.h>

#include <jansson.h>

struct daemon;

struct auto_inbound {
	int64_t		 conv;
	int64_t		 contact;
	int64_t		 msg;		/* the new message's row */
	const char	*number_id;	/* our phone_number_id, or NULL */
	/* store_conv_for_inbound's word: "created", "new-after-resolved",
	   "reopened", "woken", "existing" */
	const char	*conv_state;
	const char	*type;		/* "text", "interactive", "button", ... */
	const char	*text;		/* what the customer wrote, or NULL */
	const char	*reply_id;	/* a button or list reply's id, or NULL */
	int64_t		 ts;		/* the message's time */
	int64_t		 now;		/* clock_now() */
	json_t		*events;	/* for the clients, after the commit */
};

int	 automation_inbound(struct daemon *, const struct auto_inbound *);

#endif
