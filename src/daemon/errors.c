/*
 * The error table: every code the reference lists, its retry class (our
 * recommendation, reference section 7) and one plain line for agents.
 */
#include <stddef.h>

#include "errors.h"

const struct errors_entry errors_table[] = {
	{ ERRORS_NET_CONNECT, ERRORS_NET_CONNECT, ERRORS_RETRY,
	  "Could not reach WhatsApp; nothing was sent. Retrying." },
	{ ERRORS_NET_UNKNOWN, ERRORS_NET_UNKNOWN, ERRORS_UNKNOWN,
	  "No answer from WhatsApp: the reply may or may not have gone. "
	  "Waiting for a delivery status; re-send by hand only if none "
	  "comes." },
	{ ERRORS_HTTP, ERRORS_HTTP, ERRORS_RETRY,
	  "WhatsApp answered with a server error; nothing was sent. "
	  "Retrying." },
	{ ERRORS_BAD_RESPONSE, ERRORS_BAD_RESPONSE, ERRORS_UNKNOWN,
	  "WhatsApp accepted the request but gave no message id; waiting "
	  "for a delivery status." },
	{ ERRORS_ATTEMPTS, ERRORS_ATTEMPTS, ERRORS_NEVER,
	  "Gave up after repeated temporary failures; re-send it later." },
	{ ERRORS_LOCAL, ERRORS_LOCAL, ERRORS_NEVER,
	  "Refused before sending: the attachment or message is not valid." },
	{ ERRORS_HELD_RESTRICTED, ERRORS_HELD_RESTRICTED, ERRORS_NEVER,
	  "Held back: the contact's processing was restricted (GDPR Art. 18) "
	  "after this was queued; nothing was sent." },
	{ ERRORS_HELD_ERASED, ERRORS_HELD_ERASED, ERRORS_NEVER,
	  "Held back: the contact was erased after this was queued; nothing "
	  "was sent." },
	{ ERRORS_HELD_CONSENT, ERRORS_HELD_CONSENT, ERRORS_NEVER,
	  "Held back: a marketing template, and the customer has no "
	  "marketing opt-in any more (STOP?); nothing was sent." },
	{ 0, 0, ERRORS_FIX,
	  "WhatsApp refused our access token (expired or revoked); an admin "
	  "must renew it." },
	{ 1, 1, ERRORS_RETRY,
	  "WhatsApp reported an unknown or temporary problem; retrying." },
	{ 2, 2, ERRORS_RETRY,
	  "WhatsApp is temporarily down or overloaded; retrying." },
	{ 3, 3, ERRORS_NEVER,
	  "Our WhatsApp account lacks a capability or permission for this; "
	  "an admin must check the app settings." },
	{ 4, 4, ERRORS_RETRY,
	  "Too many API calls from this app; retrying in a few minutes." },
	{ 10, 10, ERRORS_NEVER,
	  "Permission denied or removed for our WhatsApp account; an admin "
	  "must check the app's permissions." },
	{ 33, 33, ERRORS_NEVER,
	  "The business phone number no longer exists; an admin must check "
	  "the configuration." },
	{ 100, 100, ERRORS_NEVER,
	  "WhatsApp rejected a parameter of the message (invalid value or "
	  "id)." },
	{ 190, 190, ERRORS_FIX,
	  "The access token has expired; sending is paused until an admin "
	  "installs a new token." },
	{ 200, 299, ERRORS_NEVER,
	  "A WhatsApp API permission is missing or was removed; an admin "
	  "must grant it." },
	{ 368, 368, ERRORS_NEVER,
	  "Our account is temporarily blocked for policy violations." },
	{ 80007, 80007, ERRORS_RETRY,
	  "The WhatsApp Business Account hit its rate limit; retrying "
	  "later." },
	{ 130429, 130429, ERRORS_RETRY,
	  "We are sending too fast for WhatsApp's throughput limit; "
	  "retrying in a moment." },
	{ 130472, 130472, ERRORS_NEVER,
	  "The customer's number is part of a WhatsApp experiment and cannot "
	  "receive this message." },
	{ 130497, 130497, ERRORS_NEVER,
	  "Our business may not message users in the customer's country." },
	{ 131000, 131000, ERRORS_RETRY,
	  "Something went wrong at WhatsApp; retrying a few times." },
	{ 131005, 131005, ERRORS_NEVER,
	  "Access denied: our account lacks permission to send this." },
	{ 131008, 131008, ERRORS_NEVER,
	  "A required part of the message is missing." },
	{ 131009, 131009, ERRORS_NEVER,
	  "A value in the message is not valid (e.g. reacting to a message "
	  "that is too old)." },
	{ 131016, 131016, ERRORS_RETRY,
	  "The WhatsApp service is unavailable; retrying." },
	{ 131021, 131021, ERRORS_NEVER,
	  "The recipient is our own business number." },
	{ 131026, 131026, ERRORS_NEVER,
	  "Undeliverable: the customer is not on WhatsApp, uses an old app "
	  "or has not accepted the terms. Reach them another way." },
	{ 131030, 131030, ERRORS_NEVER,
	  "The number is not on the test allow-list of our WhatsApp "
	  "account." },
	{ 131031, 131031, ERRORS_NEVER,
	  "Our business account is locked or restricted." },
	{ 131035, 131036, ERRORS_NEVER,
	  "WhatsApp's local storage could not deliver this within its "
	  "retention period." },
	{ 131037, 131037, ERRORS_NEVER,
	  "Our number needs an approved display name before it can send." },
	{ 131042, 131042, ERRORS_NEVER,
	  "A billing or eligibility problem on our account; an admin must "
	  "fix the payment method." },
	{ 131045, 131045, ERRORS_NEVER,
	  "Our phone number's registration is broken; an admin must "
	  "re-register it." },
	{ 131047, 131047, ERRORS_TEMPLATE,
	  "More than 24 hours since the customer last wrote: only an "
	  "approved template can be sent now." },
	{ 131048, 131048, ERRORS_NEVER,
	  "Spam rate limit: too many of our messages were blocked or "
	  "flagged; try again in some hours." },
	{ 131049, 131049, ERRORS_NEVER,
	  "WhatsApp chose not to deliver this (per-user marketing limit); "
	  "do not retry for at least 24 hours." },
	{ 131050, 131050, ERRORS_NEVER,
	  "The customer has stopped marketing messages from us." },
	{ 131051, 131051, ERRORS_NEVER,
	  "This message type is not supported." },
	{ 131052, 131052, ERRORS_NEVER,
	  "The customer's media could not be downloaded; ask them to send it "
	  "again." },
	{ 131053, 131053, ERRORS_NEVER,
	  "The attachment could not be processed (wrong type or unreadable); "
	  "fix the file and send again." },
	{ 131056, 131056, ERRORS_RETRY,
	  "Too many messages to this customer in a short time; retrying "
	  "with a growing delay." },
	{ 131057, 131057, ERRORS_RETRY,
	  "Our WhatsApp account is in maintenance; retrying in a minute." },
	{ 131062, 131062, ERRORS_NEVER,
	  "This message cannot go to a username (BSUID) recipient; the "
	  "customer's phone number is needed." },
	{ 131064, 131064, ERRORS_NEVER,
	  "Messaging limit reached because of template classification "
	  "problems; try later." },
	{ 132000, 132000, ERRORS_NEVER,
	  "The template got the wrong number of parameters." },
	{ 132001, 132001, ERRORS_NEVER,
	  "The template does not exist in that language or is not "
	  "approved." },
	{ 132005, 132005, ERRORS_NEVER,
	  "The filled-in template text is too long." },
	{ 132007, 132007, ERRORS_NEVER,
	  "The template text breaks WhatsApp's formatting policy." },
	{ 132012, 132012, ERRORS_NEVER,
	  "A template parameter has the wrong format." },
	{ 132015, 132015, ERRORS_NEVER,
	  "The template is paused for low quality; use another one." },
	{ 132016, 132016, ERRORS_NEVER,
	  "The template was disabled for good; use another one." },
	{ 132068, 132068, ERRORS_NEVER,
	  "The flow in this message is blocked." },
	{ 132069, 132069, ERRORS_RETRY,
	  "The flow is throttled (10 messages an hour); retrying later." },
	{ 133004, 133004, ERRORS_RETRY,
	  "The registration service is unavailable; retrying." },
	{ 133000, 133016, ERRORS_NEVER,
	  "Our phone number's registration has a problem (e.g. not "
	  "registered); an admin must fix it." },
	{ 134011, 134011, ERRORS_NEVER,
	  "WhatsApp Payments terms were not accepted." },
	{ 135000, 135000, ERRORS_NEVER,
	  "WhatsApp rejected the request parameters." },
	{ 2494100, 2494100, ERRORS_RETRY,
	  "Our number is in maintenance mode; retrying in some minutes." },
	{ 0, 0, ERRORS_NEVER, NULL }
};

static const struct errors_entry errors_unknown = {
	0, 0, ERRORS_NEVER,
	"WhatsApp refused the message with an error we do not know; it will "
	"not be retried."
};

const struct errors_entry *
errors_lookup(int64_t code)
{
	const struct errors_entry	*e;

	/* First match wins, so single codes go before their ranges. */
	for (e = errors_table; e->explain != NULL; e++) {
		if (code >= e->code && code <= e->last)
			return (e);
	}
	return (&errors_unknown);
}

const char *
errors_class_name(enum errors_class c)
{
	switch (c) {
	case ERRORS_RETRY:
		return ("retry");
	case ERRORS_FIX:
		return ("fix");
	case ERRORS_NEVER:
		return ("never");
	case ERRORS_TEMPLATE:
		return ("template");
	case ERRORS_UNKNOWN:
		return ("unknown");
	}
	return ("never");
}
