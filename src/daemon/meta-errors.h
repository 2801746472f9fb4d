/*
 * Meta's error codes (reference section 7) mapped to what the outbox does
 * about them and to one line an agent can act on. The class drives retries;
 * the line is what an agent reads when a reply did not go.
 */
#ifndef META_ERRORS_H
#define META_ERRORS_H

#include <stdint.h>

enum meta_errors_class {
	META_ERRORS_RETRY,	/* transient: back off and try again */
	META_ERRORS_FIX,	/* stop sending until it is fixed (token) */
	META_ERRORS_NEVER,	/* this message will never go as it is */
	META_ERRORS_TEMPLATE,	/* window closed: only a template may go */
	META_ERRORS_UNKNOWN	/* maybe sent: await a status, never resend */
};

struct meta_errors_entry {
	int64_t			 code;
	int64_t			 last;	/* ranges: code..last; else == code */
	enum meta_errors_class	 class;
	const char		*explain;
};

/*
 * The entry for a Graph error code; never NULL: an unknown code gets a
 * generic never-retry entry (the reference says to treat unknown codes as
 * non-retryable).
 */
const struct meta_errors_entry *meta_errors_lookup(int64_t code);
/* "retry", "fix", "never", "template", "unknown". */
const char	*meta_errors_class_name(enum meta_errors_class);
/* The table, for tests: entries until one with explain == NULL. */
extern const struct meta_errors_entry meta_errors_table[];

/*
 * Pseudo codes for failures that are not Graph errors: -1 never reached
 * Meta (safe to retry), -2 timeout or drop after sending, -3 an HTTP error
 * without a Graph body, -4 a 200 without a message id, -5 gave up after
 * max attempts, -6 refused here before sending.
 */
#define META_ERRORS_NET_CONNECT		(-1)
#define META_ERRORS_NET_UNKNOWN		(-2)
#define META_ERRORS_HTTP		(-3)
#define META_ERRORS_BAD_RESPONSE	(-4)
#define META_ERRORS_ATTEMPTS		(-5)
#define META_ERRORS_LOCAL		(-6)
/*
 * Held back at send time, the contact having changed after it was queued:
 * -7 processing restricted (Art. 18), -8 erased (no recipient any more),
 * -9 marketing without an opt-in.
 */
#define META_ERRORS_HELD_RESTRICTED	(-7)
#define META_ERRORS_HELD_ERASED		(-8)
#define META_ERRORS_HELD_CONSENT	(-9)

#endif
