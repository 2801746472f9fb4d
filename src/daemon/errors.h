/*
 * Meta's error codes (reference section 7) mapped to what the outbox does
 * about them and to one line an agent can act on. The class drives retries;
 * the line is what an agent reads when a reply did not go.
 */
#ifndef ERRORS_H
#define ERRORS_H

#include <stdint.h>

enum errors_class {
	ERRORS_RETRY,		/* transient: back off and try again */
	ERRORS_FIX,		/* stop sending until someone fixes it (token) */
	ERRORS_NEVER,		/* this message will never go as it is */
	ERRORS_TEMPLATE,	/* window closed: only a template may go */
	ERRORS_UNKNOWN		/* maybe sent: wait for a status, never resend */
};

struct errors_entry {
	int64_t			 code;
	int64_t			 last;	/* ranges: code..last; else == code */
	enum errors_class	 class;
	const char		*explain;
};

/*
 * The entry for a Graph error code; never NULL: an unknown code gets a
 * generic never-retry entry (the reference says to treat unknown codes as
 * non-retryable).
 */
const struct errors_entry *errors_lookup(int64_t code);
/* "retry", "fix", "never", "template", "unknown". */
const char	*errors_class_name(enum errors_class);
/* The table, for tests: entries until one with explain == NULL. */
extern const struct errors_entry errors_table[];

/* Pseudo codes for failures that are not Graph errors. */
#define ERRORS_NET_CONNECT	(-1)	/* never reached Meta: safe to retry */
#define ERRORS_NET_UNKNOWN	(-2)	/* timeout or drop after sending */
#define ERRORS_HTTP		(-3)	/* HTTP error without a Graph body */
#define ERRORS_BAD_RESPONSE	(-4)	/* 200 without a message id */
#define ERRORS_ATTEMPTS		(-5)	/* gave up after max attempts */
#define ERRORS_LOCAL		(-6)	/* refused here before sending */
/* Held back at send time: the contact changed after it was queued. */
#define ERRORS_HELD_RESTRICTED	(-7)	/* processing restricted (Art. 18) */
#define ERRORS_HELD_ERASED	(-8)	/* erased: no recipient any more */
#define ERRORS_HELD_CONSENT	(-9)	/* marketing without an opt-in */

#endif
