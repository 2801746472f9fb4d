/*
 * Opt-ins from a click-to-chat link (issue 17): a customer who opens
 * https://wa.me/NUMBER?text=... sends the number's opt-in text ([optin],
 * conf-optin.h); that message is a marketing opt-in in the consent ledger
 * (source click_to_chat, evidence the message, text version a hash of
 * the text), confirmed like a START keyword ([consent] start_reply).
 */
#ifndef OPTIN_H
#define OPTIN_H

#include <stddef.h>
#include <stdint.h>

struct daemon;

/* "optin:" and 16 hex digits of the SHA-256 of the text, and the NUL. */
#define OPTIN_VERSION_LEN	23

/*
 * Called by consent_on_inbound (consent.c) inside ingest's transaction
 * for an inbound text that is no STOP or START keyword: if it equals the
 * opt-in text of the number the conversation is with (white space around
 * it trimmed, ASCII letters in any case), records the opt-in and queues
 * [consent] start_reply. 0 (also when it is no opt-in), or -1 (a
 * database error).
 */
int	optin_on_inbound(struct daemon *, int64_t conv_id, int64_t contact_id,
	    int64_t msg_id, const char *text, int64_t ts);
/* The text version recorded for an opt-in text. */
void	optin_version(const char *text, char out[OPTIN_VERSION_LEN]);
/* 1 if text is the opt-in text want (the comparison above), else 0. */
int	optin_matches(const char *want, const char *text);

#endif
