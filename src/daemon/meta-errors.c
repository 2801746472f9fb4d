/*
 * The error table: every code the reference lists, its retry class (our
 * recommendation, reference section 7) and one plain line for agents.
 */
#include <stddef.h>

#include "meta-errors.h"

const struct meta_errors_entry meta_errors_table[] = {
	{ META_ERRORS_NET_CONNECT, META_ERRORS_NET_CONNECT, META_ERRORS_RETRY,
	  "Could not reach WhatsApp; nothing was sent. Retrying." },
	{ META_ERRORS_NET_UNKNOWN, META_ERRORS_NET_UNKNOWN, META_ERRORS_UNKNOWN,
	  "No answer from WhatsApp: the reply may or may not have gone. "
	  "Waiting for a delivery status; re-send by hand only if none "
	  "comes." },
	{ META_ERRORS_HTTP, META_ERRORS_HTTP, META_ERRORS_RETRY,
	  "WhatsApp answered with a server error; nothing was sent. "
	  "Retrying." },
	{ META_ERRORS_BAD_RESPONSE, META_ERRORS_BAD_RESPONSE,
	  META_ERRORS_UNKNOWN,
	  "WhatsApp accepted the request but gave no message id; waiting "
	  "for a delivery status." },
	{ META_ERRORS_ATTEMPTS, META_ERRORS_ATTEMPTS, META_ERRORS_NEVER,
	  "Gave up after repeated temporary failures; re-send it later." },
	{ META_ERRORS_LOCAL, META_ERRORS_LOCAL, META_ERRORS_NEVER,
	  "Refused before sending: the attachment or message is not valid." },
	{ META_ERRORS_HELD_RESTRICTED, META_ERRORS_HELD_RESTRICTED,
	  META_ERRORS_NEVER,
	  "Held back: the contact's processing was restricted (GDPR Art. 18) "
	  "after this was queued; nothing was sent." },
	{ META_ERRORS_HELD_ERASED, META_ERRORS_HELD_ERASED, META_ERRORS_NEVER,
	  "Held back: the contact was erased after this was queued; nothing "
	  "was sent." },
	{ META_ERRORS_HELD_CONSENT, META_ERRORS_HELD_CONSENT, META_ERRORS_NEVER,
	  "Held back: a marketing template, and the customer has no "
	  "marketing opt-in any more (STOP?); nothing was sent." },
	{ 0, 0, META_ERRORS_FIX,
	  "WhatsApp refused our access token (expired or revoked); an admin "
	  "must renew it." },
	{ 1, 1, META_ERRORS_RETRY,
	  "WhatsApp reported an unknown or temporary problem; retrying." },
	{ 2, 2, META_ERRORS_RETRY,
	  "WhatsApp is temporarily down or overloaded; retrying." },
	{ 3, 3, META_ERRORS_NEVER,
	  "Our WhatsApp account lacks a capability or permission for this; "
	  "an admin must check the app settings." },
	{ 4, 4, META_ERRORS_RETRY,
	  "Too many API calls from this app; retrying in a few minutes." },
	{ 10, 10, META_ERRORS_NEVER,
	  "Permission denied or removed for our WhatsApp account; an admin "
	  "must check the app's permissions." },
	{ 33, 33, META_ERRORS_NEVER,
	  "The business phone number no longer exists; an admin must check "
	  "the configuration." },
	{ 100, 100, META_ERRORS_NEVER,
	  "WhatsApp rejected a parameter of the message (invalid value or "
	  "id)." },
	{ 190, 190, META_ERRORS_FIX,
	  "The access token has expired; sending is paused until an admin "
	  "installs a new token." },
	{ 200, 299, META_ERRORS_NEVER,
	  "A WhatsApp API permission is missing or was removed; an admin "
	  "must grant it." },
	{ 368, 368, META_ERRORS_NEVER,
	  "Our account is temporarily blocked for policy violations." },
	{ 80007, 80007, META_ERRORS_RETRY,
	  "The WhatsApp Business Account hit its rate limit; retrying "
	  "later." },
	{ 130429, 130429, META_ERRORS_RETRY,
	  "We are sending too fast for WhatsApp's throughput limit; "
	  "retrying in a moment." },
	{ 130472, 130472, META_ERRORS_NEVER,
	  "The customer's number is part of a WhatsApp experiment and cannot "
	  "receive this message." },
	{ 130497, 130497, META_ERRORS_NEVER,
	  "Our business may not message users in the customer's country." },
	{ 131000, 131000, META_ERRORS_RETRY,
	  "Something went wrong at WhatsApp; retrying a few times." },
	{ 131005, 131005, META_ERRORS_NEVER,
	  "Access denied: our account lacks permission to send this." },
	{ 131008, 131008, META_ERRORS_NEVER,
	  "A required part of the message is missing." },
	{ 131009, 131009, META_ERRORS_NEVER,
	  "A value in the message is not valid (e.g. reacting to a message "
	  "that is too old)." },
	{ 131016, 131016, META_ERRORS_RETRY,
	  "The WhatsApp service is unavailable; retrying." },
	{ 131021, 131021, META_ERRORS_NEVER,
	  "The recipient is our own business number." },
	{ 131026, 131026, META_ERRORS_NEVER,
	  "Undeliverable: this number is not on WhatsApp (if it was typed, "
	  "check it), or the customer uses an old app or has not accepted "
	  "WhatsApp's terms. Reach them another way." },
	{ 131030, 131030, META_ERRORS_NEVER,
	  "The number is not on the test allow-list of our WhatsApp "
	  "account." },
	{ 131031, 131031, META_ERRORS_NEVER,
	  "Our business account is locked or restricted." },
	{ 131035, 131036, META_ERRORS_NEVER,
	  "WhatsApp's local storage could not deliver this within its "
	  "retention period." },
	{ 131037, 131037, META_ERRORS_NEVER,
	  "Our number needs an approved display name before it can send." },
	{ 131042, 131042, META_ERRORS_NEVER,
	  "A billing or eligibility problem on our account; an admin must "
	  "fix the payment method." },
	{ 131045, 131045, META_ERRORS_NEVER,
	  "Our phone number's registration is broken; an admin must "
	  "re-register it." },
	{ 131047, 131047, META_ERRORS_TEMPLATE,
	  "The customer's 24-hour window is closed (their last message is "
	  "older than 24 hours): only an approved template can go now." },
	{ 131048, 131048, META_ERRORS_NEVER,
	  "Spam rate limit: too many of our messages were blocked or "
	  "flagged; try again in some hours." },
	{ 131049, 131049, META_ERRORS_NEVER,
	  "WhatsApp chose not to deliver this (per-user marketing limit); "
	  "do not retry for at least 24 hours." },
	{ 131050, 131050, META_ERRORS_NEVER,
	  "The customer has stopped marketing messages from us." },
	{ 131051, 131051, META_ERRORS_NEVER,
	  "This message type is not supported." },
	{ 131052, 131052, META_ERRORS_NEVER,
	  "The customer's media could not be downloaded; ask them to send it "
	  "again." },
	{ 131053, 131053, META_ERRORS_NEVER,
	  "The attachment could not be processed (wrong type or unreadable); "
	  "fix the file and send again." },
	{ 131056, 131056, META_ERRORS_RETRY,
	  "Too many messages to this customer in a short time; retrying "
	  "with a growing delay." },
	{ 131057, 131057, META_ERRORS_RETRY,
	  "Our WhatsApp account is in maintenance; retrying in a minute." },
	{ 131062, 131062, META_ERRORS_NEVER,
	  "This message cannot go to a username (BSUID) recipient; the "
	  "customer's phone number is needed." },
	{ 131064, 131064, META_ERRORS_NEVER,
	  "Messaging limit reached because of template classification "
	  "problems; try later." },
	{ 132000, 132000, META_ERRORS_NEVER,
	  "The template got the wrong number of parameters." },
	{ 132001, 132001, META_ERRORS_NEVER,
	  "The template does not exist in that language or is not "
	  "approved." },
	{ 132005, 132005, META_ERRORS_NEVER,
	  "The filled-in template text is too long." },
	{ 132007, 132007, META_ERRORS_NEVER,
	  "The template text breaks WhatsApp's formatting policy." },
	{ 132012, 132012, META_ERRORS_NEVER,
	  "A template parameter has the wrong format." },
	{ 132015, 132015, META_ERRORS_NEVER,
	  "The template is paused for low quality; use another one." },
	{ 132016, 132016, META_ERRORS_NEVER,
	  "The template was disabled for good; use another one." },
	{ 132068, 132068, META_ERRORS_NEVER,
	  "The flow in this message is blocked." },
	{ 132069, 132069, META_ERRORS_RETRY,
	  "The flow is throttled (10 messages an hour); retrying later." },
	{ 133004, 133004, META_ERRORS_RETRY,
	  "The registration service is unavailable; retrying." },
	{ 133000, 133016, META_ERRORS_NEVER,
	  "Our phone number's registration has a problem (e.g. not "
	  "registered); an admin must fix it." },
	{ 134011, 134011, META_ERRORS_NEVER,
	  "WhatsApp Payments terms were not accepted." },
	{ 135000, 135000, META_ERRORS_NEVER,
	  "WhatsApp rejected the request parameters." },
	{ 2494100, 2494100, META_ERRORS_RETRY,
	  "Our number is in maintenance mode; retrying in some minutes." },
	/* The block-users endpoint (contact.block, issue 15). */
	{ 139100, 139100, META_ERRORS_NEVER,
	  "WhatsApp did not block or unblock the customer: a customer can "
	  "only be blocked within 24 hours of their last message to us." },
	{ 139101, 139101, META_ERRORS_NEVER,
	  "Our block list is full (64,000 users); unblock someone first." },
	{ 139102, 139102, META_ERRORS_RETRY,
	  "The block list was being changed at the same time; try again." },
	{ 139103, 139103, META_ERRORS_RETRY,
	  "WhatsApp had an internal error with the block list; try again "
	  "later." },
	{ 0, 0, META_ERRORS_NEVER, NULL }
};

static const struct meta_errors_entry errors_unknown = {
	0, 0, META_ERRORS_NEVER,
	"WhatsApp refused the message with an error we do not know; it will "
	"not be retried."
};

const struct meta_errors_entry *
meta_errors_lookup(int64_t code)
{
	const struct meta_errors_entry	*e;

	/* First match wins, so single codes go before their ranges. */
	for (e = meta_errors_table; e->explain != NULL; e++) {
		if (code >= e->code && code <= e->last)
			return (e);
	}
	return (&errors_unknown);
}

const char *
meta_errors_class_name(enum meta_errors_class c)
{
	switch (c) {
	case META_ERRORS_RETRY:
		return ("retry");
	case META_ERRORS_FIX:
		return ("fix");
	case META_ERRORS_NEVER:
		return ("never");
	case META_ERRORS_TEMPLATE:
		return ("template");
	case META_ERRORS_UNKNOWN:
		return ("unknown");
	}
	return ("never");
}
