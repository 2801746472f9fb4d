/*
 * Parses a WhatsApp Cloud API webhook body into flat events (no SQL, no
 * crypto, no I/O) so that ingest can store them and tests and fuzzers can
 * drive the parser alone. Every entry[] -> changes[] -> value is walked;
 * unknown keys are ignored, unknown message types become WA_MSG_UNSUPPORTED
 * with the original object kept, unknown fields become WA_EV_OTHER.
 * All strings are allocated copies (NULL when absent); wa_payload_free frees.
 */
#ifndef WA_PAYLOAD_H
#define WA_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define WA_BODY_MAX	(3 * 1024 * 1024)
#define WA_EVENTS_MAX	5000	/* per body; more is a parse error */

enum wa_ev_kind {
	WA_EV_MESSAGE,		/* inbound customer message, or an echo */
	WA_EV_STATUS,		/* sent/delivered/read/played/failed */
	WA_EV_IDENTITY,		/* user_id_update, user_changed_* */
	WA_EV_CONSENT,		/* user_preferences marketing stop/resume */
	WA_EV_TEMPLATE,		/* template status/quality/category/components */
	WA_EV_ERROR,		/* value.errors[] */
	WA_EV_ALERT,		/* account_*, phone_number_*, security, ... */
	WA_EV_OTHER		/* a field we do not act on; kept as JSON */
};

enum wa_status {		/* ordered: a higher value wins, except FAILED */
	WA_ST_NONE = 0,
	WA_ST_SENT = 1,
	WA_ST_DELIVERED = 2,
	WA_ST_READ = 3,
	WA_ST_PLAYED = 4,
	WA_ST_FAILED = 5,	/* terminal */
	WA_ST_UNKNOWN = 6	/* a status string we do not know */
};

struct wa_error {
	int64_t	 code;
	char	*title;
	char	*message;
	char	*details;	/* error_data.details */
	char	*href;
};

/* The customer side of an event: any of these may be NULL. */
struct wa_who {
	char	*wa_id;		/* phone number digits (contacts[].wa_id / from) */
	char	*user_id;	/* BSUID */
	char	*parent_user_id;
	char	*username;
	char	*name;		/* profile.name */
};

struct wa_message {
	char	*wamid;
	int	 outbound;	/* 1 for smb_message_echoes (to = customer) */
	char	*type;		/* as received ("text", "image", ...) */
	char	*subtype;	/* interactive.type, unsupported.type,
				   edit.message.type; else NULL */
	int	 supported;	/* 0: unknown type or "unsupported" */
	int64_t	 timestamp;	/* seconds; 0 if absent or unparsable */
	char	*phone_number_id; /* our number (metadata) */
	char	*group_id;

	/*
	 * What an agent reads: text body, caption, interactive/button title,
	 * reaction emoji, location name/address, contact names, order summary,
	 * system body. NULL when the type has no text.
	 */
	char	*text;

	/* media (image/audio/video/document/sticker) */
	char	*media_id;
	char	*mime_type;
	char	*sha256;
	char	*filename;
	char	*caption;
	char	*media_url;	/* direct URL (still needs the token) */
	int	 voice;		/* audio.voice */
	int	 animated;	/* sticker.animated */

	/* location */
	double	 latitude, longitude;
	int	 has_location;
	char	*loc_name;	/* location.name, .address; NULL if absent */
	char	*loc_address;
	/* contacts: [{"name", "org"?, "phones": [{"phone", "type"?}]}] */
	json_t	*shared;

	/* interactive / button reply */
	char	*reply_id;	/* button_reply.id, list_reply.id, button.payload */

	/* reaction: target message and emoji ("" = removed) */
	char	*reaction_to;
	char	*reaction_emoji;

	/* edit / revoke: the message this one changes */
	char	*edits;		/* original wamid an edit replaces */
	char	*revokes;	/* original wamid a revoke deletes */

	/* context */
	char	*context_id;	/* replied-to wamid */
	char	*context_from;
	int	 forwarded;
	int	 frequently_forwarded;
	char	*referred_product;	/* catalog_id/product_retailer_id */

	/* referral (click-to-WhatsApp ad) */
	json_t	*referral;	/* the referral object, or NULL */

	/* system messages */
	char	*system_type;	/* "user_changed_number", ... */
	char	*new_wa_id;	/* system.wa_id / new number */
	char	*new_user_id;

	struct wa_error *errors;	/* messages[].errors[] */
	size_t	 nerrors;

	json_t	*object;	/* the whole message object, for export */
};

struct wa_status_ev {
	char	*wamid;		/* statuses[].id */
	enum wa_status status;
	char	*status_str;
	int64_t	 timestamp;
	char	*recipient_id;	/* phone; may be NULL (BSUID era) */
	char	*recipient_user_id;
	char	*conversation_id;
	char	*pricing_category;
	char	*opaque;	/* biz_opaque_callback_data we sent */
	struct wa_error *errors;
	size_t	 nerrors;
};

struct wa_identity {
	char	*old_wa_id, *new_wa_id;
	char	*old_user_id, *new_user_id;
	char	*old_parent_user_id, *new_parent_user_id;
	char	*detail;	/* user_id_update[].detail / system.body */
	int64_t	 timestamp;
};

struct wa_consent {
	int	 opt_in;	/* 1 resume or signup, 0 stop */
	char	*value;		/* as received: "stop", "resume", "signup" */
	char	*category;	/* "marketing_messages" */
	char	*detail;	/* value.user_preferences[].detail */
	int64_t	 timestamp;
};

struct wa_template {
	char	*template_id;	/* message_template_id, as a string */
	char	*name;
	char	*language;
	char	*event;		/* APPROVED, REJECTED, PAUSED, ... */
	char	*reason;
	char	*quality;	/* new_quality_score */
	char	*category;	/* new_category */
	char	*previous_category;
	char	*correct_category; /* pending change: category to come */
};

struct wa_event {
	enum wa_ev_kind	 kind;
	char		*field;		/* changes[].field */
	char		*waba_id;	/* entry[].id */
	char		*phone_number_id; /* value.metadata.phone_number_id */
	char		*display_number; /* value.metadata: the business's */
	struct wa_who	 who;		/* customer, where the event has one */
	union {
		struct wa_message	msg;
		struct wa_status_ev	status;
		struct wa_identity	ident;
		struct wa_consent	consent;
		struct wa_template	tmpl;
		struct wa_error		error;
	} u;
	json_t		*value;		/* WA_EV_ALERT/OTHER: changes[].value */
};

struct wa_batch {
	struct wa_event	*events;
	size_t		 nevents;
};

/*
 * Parses len bytes. Returns 0 (batch filled, possibly with zero events), or
 * -1 with *cause (allocated, no personal data in it) when the body is not
 * JSON, is not a whatsapp_business_account object, or is out of bounds.
 */
int	 wa_payload_parse(const char *body, size_t len, struct wa_batch *,
	    char **cause);
void	 wa_payload_free(struct wa_batch *);
/* "sent", "delivered", ...; never NULL. */
const char *wa_payload_status_name(enum wa_status);
/* Case-insensitive; NULL gives WA_ST_NONE, an unknown string WA_ST_UNKNOWN. */
enum wa_status wa_payload_status_parse(const char *);

#endif
