/*
 * Unit tests for wa-payload.c: every real webhook sample parses into the
 * events an inbox needs, and hostile or malformed bodies fail cleanly or
 * are skipped.
 * Fixtures come from $SI_FIXTURES, else tests/fixtures/whatsapp (tests/run.sh
 * runs every test from the repository root).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wa-payload.h"
#include "xmalloc.h"

static const char *
fixture_dir(void)
{
	const char	*d;

	if ((d = getenv("SI_FIXTURES")) != NULL && *d != '\0')
		return (d);
	return ("tests/fixtures/whatsapp");
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*p;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open '%s'", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = xmalloc((size_t)n + 1);
	if (fread(p, 1, (size_t)n, f) != (size_t)n)
		fail_msg("short read on '%s'", path);
	fclose(f);
	p[n] = '\0';
	*len = (size_t)n;
	return (p);
}

/* Parses a fixture by file name; fails the test if the parser refuses it. */
static void
load(struct wa_batch *b, const char *name)
{
	char	*path, *body, *cause = NULL;
	size_t	 len;

	path = xasprintf("%s/%s", fixture_dir(), name);
	body = slurp(path, &len);
	if (wa_payload_parse(body, len, b, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	free(body);
	free(path);
}

static int
parse_str(const char *s, struct wa_batch *b, char **cause)
{
	*cause = NULL;
	return (wa_payload_parse(s, strlen(s), b, cause));
}

/* Wraps a change value for field into a full envelope. */
static char *
envelope(const char *field, const char *value)
{
	return (xasprintf("{\"object\":\"whatsapp_business_account\","
	    "\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"%s\","
	    "\"value\":%s}]}]}", field, value));
}

static void
parse_env(struct wa_batch *b, const char *field, const char *value)
{
	char	*body, *cause = NULL;

	body = envelope(field, value);
	if (parse_str(body, b, &cause) != 0)
		fail_msg("synthetic body refused: %s", cause);
	free(body);
}

static void
refused(const char *body, size_t len)
{
	struct wa_batch	 b;
	char		*cause = NULL;

	assert_int_equal(wa_payload_parse(body, len, &b, &cause), -1);
	assert_non_null(cause);
	assert_int_equal(b.nevents, 0);
	assert_null(b.events);
	free(cause);
}

static struct wa_message *
only_message(struct wa_batch *b)
{
	assert_int_equal(b->nevents, 1);
	assert_int_equal(b->events[0].kind, WA_EV_MESSAGE);
	return (&b->events[0].u.msg);
}

/* ---- messages ---- */

static void
text_message_has_body_sender_and_timestamp(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-text.json");
	m = only_message(&b);
	assert_string_equal(m->type, "text");
	assert_true(m->supported);
	assert_int_equal(m->outbound, 0);
	assert_string_equal(m->text, "Is the smoky oolong back in stock?");
	assert_string_equal(m->wamid,
	    "wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQzQUE5MkQ5MUIwRENBOTc2OTQwOAA=");
	assert_int_equal(m->timestamp, 1748867412);
	assert_string_equal(m->phone_number_id, "106540352242922");
	assert_string_equal(b.events[0].phone_number_id, "106540352242922");
	assert_string_equal(b.events[0].who.wa_id, "12025550147");
	assert_string_equal(b.events[0].who.name, "Edda Marlowe");
	assert_null(b.events[0].who.user_id);
	assert_string_equal(b.events[0].field, "messages");
	assert_non_null(b.events[0].waba_id);
	assert_non_null(m->object);
	assert_true(json_is_object(m->object));
	assert_null(m->context_id);
	assert_null(m->referral);
	wa_payload_free(&b);
}

static void
group_text_keeps_group_id(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-group-text.json");
	m = only_message(&b);
	assert_string_equal(m->text,
	    "Shall we split a bulk order of the jasmine pearls?");
	assert_string_equal(m->group_id,
	    "HBgLMTIwMjU1NTAxNjIVAgASGBQzQTk0RTI3NzUwNEJEMUE3RDQ1OQA");
	assert_string_equal(b.events[0].who.name, "Rafa Lindqvist");
	wa_payload_free(&b);
}

static void
image_message_has_media_fields_and_caption(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-image.json");
	m = only_message(&b);
	assert_string_equal(m->type, "image");
	assert_string_equal(m->media_id, "2417790386154021");
	assert_string_equal(m->mime_type, "image/jpeg");
	assert_string_equal(m->sha256,
	    "GJFd4dtQNEKPPssiZt5JJYbz9fbumvQzJAmL20LN7mw=");
	assert_string_equal(m->caption, "Dented lid on arrival");
	assert_string_equal(m->text, "Dented lid on arrival");
	assert_non_null(m->media_url);
	assert_null(m->filename);
	assert_int_equal(m->timestamp, 1748871120);
	wa_payload_free(&b);
}

static void
video_message_has_media_fields(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-video.json");
	m = only_message(&b);
	assert_string_equal(m->type, "video");
	assert_string_equal(m->media_id, "862201947735160");
	assert_string_equal(m->mime_type, "video/mp4");
	assert_string_equal(m->caption, "Unboxing the gift set");
	wa_payload_free(&b);
}

static void
audio_voice_note_sets_voice(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-audio-voice.json");
	m = only_message(&b);
	assert_string_equal(m->type, "audio");
	assert_int_equal(m->voice, 1);
	assert_string_equal(m->mime_type, "audio/ogg; codecs=opus");
	assert_string_equal(m->media_id, "3094417520866351");
	assert_null(m->text);
	wa_payload_free(&b);
}

static void
document_has_filename_and_caption(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-document.json");
	m = only_message(&b);
	assert_string_equal(m->type, "document");
	assert_string_equal(m->filename, "invoice-20250602.pdf");
	assert_string_equal(m->caption, "my invoice");
	assert_string_equal(m->mime_type, "application/pdf");
	assert_string_equal(m->media_id, "708813264519977");
	wa_payload_free(&b);
}

static void
sticker_sets_animated(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-sticker.json");
	m = only_message(&b);
	assert_string_equal(m->type, "sticker");
	assert_int_equal(m->animated, 1);
	assert_int_equal(m->voice, 0);
	assert_string_equal(m->mime_type, "image/webp");
	wa_payload_free(&b);
}

static void
location_has_coordinates_and_name_address_text(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-location.json");
	m = only_message(&b);
	assert_int_equal(m->has_location, 1);
	assert_true(m->latitude > 44.04 && m->latitude < 44.05);
	assert_true(m->longitude < -123.02 && m->longitude > -123.03);
	assert_string_equal(m->text,
	    "Larkspur Tea Rooms, 4 Mill Lane, Springfield, OR 97477");
	/* Each part by itself too, for the thread's lines. */
	assert_string_equal(m->loc_name, "Larkspur Tea Rooms");
	assert_string_equal(m->loc_address,
	    "4 Mill Lane, Springfield, OR 97477");
	wa_payload_free(&b);

	load(&b, "webhook-location-from-location-request.json");
	m = only_message(&b);
	assert_int_equal(m->has_location, 1);
	assert_non_null(m->context_id);
	assert_non_null(strstr(m->text, "Central Post Office"));
	wa_payload_free(&b);
}

static void
contacts_message_text_is_formatted_name(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;
	json_t			*card, *ph;

	(void)state;
	load(&b, "webhook-contacts.json");
	m = only_message(&b);
	assert_string_equal(m->type, "contacts");
	assert_string_equal(m->text, "Wilhelmina K. Okafor");
	/* The card: name, company and numbers, for the thread. */
	assert_int_equal(json_array_size(m->shared), 1);
	card = json_array_get(m->shared, 0);
	assert_string_equal(json_string_value(json_object_get(card, "name")),
	    "Wilhelmina K. Okafor");
	assert_string_equal(json_string_value(json_object_get(card, "org")),
	    "Okafor Ceramics");
	ph = json_array_get(json_object_get(card, "phones"), 0);
	assert_string_equal(json_string_value(json_object_get(ph, "phone")),
	    "+1 (202) 555-0193");
	assert_string_equal(json_string_value(json_object_get(ph, "type")),
	    "MOBILE");
	/* The shared contact is not the sender. */
	assert_string_equal(b.events[0].who.wa_id, "12025550147");
	wa_payload_free(&b);
}

static void
interactive_button_reply_gives_title_and_id(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-interactive-button-reply.json");
	m = only_message(&b);
	assert_string_equal(m->type, "interactive");
	assert_string_equal(m->subtype, "button_reply");
	assert_string_equal(m->text, "Track my parcel");
	assert_string_equal(m->reply_id, "track-parcel");
	assert_string_equal(m->context_from, "15550783881");
	assert_string_equal(m->context_id,
	    "wamid.HBgLMTIwMjU1NTAxNDcVAgARGBIzRDNDNzk0OEUzMUZENTc2QzMA");
	wa_payload_free(&b);
}

static void
interactive_list_reply_gives_title_and_id(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-interactive-list-reply.json");
	m = only_message(&b);
	assert_string_equal(m->subtype, "list_reply");
	assert_string_equal(m->text, "Express (next day)");
	assert_string_equal(m->reply_id, "express_next_day");
	wa_payload_free(&b);
}

static void
template_quick_reply_button_gives_text_and_payload(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-button-template-quick-reply.json");
	m = only_message(&b);
	assert_string_equal(m->type, "button");
	assert_string_equal(m->text, "Stop promotions");
	assert_string_equal(m->reply_id, "STOP_PROMOTIONS");
	wa_payload_free(&b);

	load(&b, "webhook-button-auth-template.json");
	m = only_message(&b);
	assert_string_equal(m->text, "I didn't request a code");
	assert_string_equal(m->reply_id, "DID_NOT_REQUEST_CODE");
	assert_string_equal(b.events[0].who.name, "Joan");
	wa_payload_free(&b);
}

static void
reaction_has_target_and_emoji(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-reaction.json");
	m = only_message(&b);
	assert_string_equal(m->type, "reaction");
	assert_string_equal(m->reaction_to,
	    "wamid.HBgLMTIwMjU1NTAxNDcVAgARGBI2OEJGQTkzMkIyQUEwNjc5RDkA");
	assert_string_equal(m->reaction_emoji, "\xf0\x9f\x91\x8d");
	assert_string_equal(m->text, "\xf0\x9f\x91\x8d");
	wa_payload_free(&b);
}

static void
reaction_removed_has_empty_emoji(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-reaction-removed.json");
	m = only_message(&b);
	assert_non_null(m->reaction_to);
	assert_string_equal(m->reaction_emoji, "");
	assert_null(m->text);
	wa_payload_free(&b);
}

static void
order_text_summarises_item_count_and_note(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-order.json");
	m = only_message(&b);
	assert_string_equal(m->type, "order");
	assert_string_equal(m->text, "order: 3 items: Gift wrap please!");
	wa_payload_free(&b);

	load(&b, "webhook-order-from-mpm-template.json");
	m = only_message(&b);
	assert_string_equal(m->text, "order: 1 item");
	wa_payload_free(&b);
}

static void
system_user_changed_number_emits_message_and_identity(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;
	struct wa_identity	*id;

	(void)state;
	load(&b, "webhook-system-user-changed-number.json");
	assert_int_equal(b.nevents, 2);
	assert_int_equal(b.events[0].kind, WA_EV_MESSAGE);
	m = &b.events[0].u.msg;
	assert_string_equal(m->system_type, "user_changed_number");
	assert_string_equal(m->new_wa_id, "12025550188");
	assert_string_equal(m->text,
	    "User Edda Marlowe changed from 12025550147 to 12025550188");
	assert_string_equal(b.events[0].who.wa_id, "12025550147");

	assert_int_equal(b.events[1].kind, WA_EV_IDENTITY);
	id = &b.events[1].u.ident;
	assert_string_equal(id->old_wa_id, "12025550147");
	assert_string_equal(id->new_wa_id, "12025550188");
	assert_int_equal(id->timestamp, 1748874400);
	assert_string_equal(b.events[1].who.wa_id, "12025550147");
	wa_payload_free(&b);
}

static void
system_user_changed_user_id_emits_identity(void **state)
{
	struct wa_batch		 b;
	struct wa_identity	*id;

	(void)state;
	parse_env(&b, "messages", "{\"messages\":[{\"from_user_id\":"
	    "\"US.1\",\"id\":\"wamid.X\",\"timestamp\":\"5\",\"type\":"
	    "\"system\",\"system\":{\"body\":\"changed\",\"user_id\":\"US.2\","
	    "\"type\":\"user_changed_user_id\"}}]}");
	assert_int_equal(b.nevents, 2);
	id = &b.events[1].u.ident;
	assert_int_equal(b.events[1].kind, WA_EV_IDENTITY);
	assert_string_equal(id->old_user_id, "US.1");
	assert_string_equal(id->new_user_id, "US.2");
	assert_null(id->old_wa_id);
	assert_null(id->new_wa_id);
	wa_payload_free(&b);
}

static void
edit_carries_original_id_and_new_text(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-edit.json");
	m = only_message(&b);
	assert_string_equal(m->type, "edit");
	assert_true(m->supported);
	assert_string_equal(m->edits,
	    "wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQzQTJDNjI4NjQ1MjM4M0JCMjEzRQA=");
	assert_string_equal(m->subtype, "image");
	assert_string_equal(m->text, "The right photo: the label on the tin");
	assert_string_equal(m->media_id, "5521093378046612");
	assert_null(m->revokes);
	wa_payload_free(&b);

	parse_env(&b, "messages", "{\"messages\":[{\"from\":\"1\",\"id\":"
	    "\"w\",\"type\":\"edit\",\"edit\":{\"original_message_id\":\"o\","
	    "\"message\":{\"type\":\"text\",\"text\":{\"body\":\"new\"}}}}]}");
	m = only_message(&b);
	assert_string_equal(m->edits, "o");
	assert_string_equal(m->text, "new");
	wa_payload_free(&b);
}

static void
revoke_carries_original_id(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-revoke.json");
	m = only_message(&b);
	assert_string_equal(m->type, "revoke");
	assert_true(m->supported);
	assert_string_equal(m->revokes,
	    "wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQzQTJDNjI4NjQ1MjM4M0JCMjEzRQA=");
	assert_null(m->edits);
	assert_null(m->text);
	wa_payload_free(&b);
}

static void
unsupported_is_flagged_with_errors(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-unsupported.json");
	m = only_message(&b);
	assert_string_equal(m->type, "unsupported");
	assert_int_equal(m->supported, 0);
	assert_string_equal(m->subtype, "edit");
	assert_int_equal(m->nerrors, 1);
	assert_int_equal(m->errors[0].code, 131051);
	assert_string_equal(m->errors[0].title, "Message type unknown");
	assert_string_equal(m->errors[0].details,
	    "Message type is currently not supported.");
	assert_null(m->errors[0].href);
	assert_non_null(m->object);
	wa_payload_free(&b);
}

static void
unknown_type_is_unsupported_and_kept(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	parse_env(&b, "messages", "{\"messages\":[{\"from\":\"1\",\"id\":"
	    "\"w\",\"type\":\"poll\",\"poll\":{\"q\":1}}]}");
	m = only_message(&b);
	assert_string_equal(m->type, "poll");
	assert_int_equal(m->supported, 0);
	assert_non_null(json_object_get(m->object, "poll"));
	wa_payload_free(&b);

	parse_env(&b, "messages", "{\"messages\":[{\"from\":\"1\","
	    "\"type\":\"request_welcome\"}]}");
	m = only_message(&b);
	assert_true(m->supported);
	assert_null(m->wamid);
	assert_null(m->text);
	wa_payload_free(&b);
}

static void
ctwa_referral_object_is_kept(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-text-ctwa-referral.json");
	m = only_message(&b);
	assert_string_equal(m->text, "Do you ship this sampler abroad?");
	assert_non_null(m->referral);
	assert_string_equal(json_string_value(json_object_get(m->referral,
	    "source_id")), "120219044381570233");
	wa_payload_free(&b);
}

static void
referred_product_is_catalog_slash_product(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-text-referred-product.json");
	m = only_message(&b);
	assert_string_equal(m->referred_product,
	    "385190271146629/oolong-smoky-100g");
	assert_string_equal(m->context_id,
	    "wamid.HBgLMTIwMjU1NTAxNDcVAgARGBI4QTFEQUYzN0FFQTFBMDQ2REIA");
	assert_string_equal(m->text, "Is the 100 g tin still available?");
	wa_payload_free(&b);
}

static void
context_forwarded_flags_are_read(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	parse_env(&b, "messages", "{\"messages\":[{\"from\":\"1\",\"id\":"
	    "\"w\",\"type\":\"text\",\"text\":{\"body\":\"x\"},\"context\":"
	    "{\"forwarded\":true,\"frequently_forwarded\":true}}]}");
	m = only_message(&b);
	assert_int_equal(m->forwarded, 1);
	assert_int_equal(m->frequently_forwarded, 1);
	assert_null(m->context_id);
	wa_payload_free(&b);
}

static void
bsuid_text_without_phone_has_user_id_and_no_wa_id(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-text-bsuid-no-phone.json");
	m = only_message(&b);
	assert_string_equal(m->text, "Can I change my delivery address?");
	assert_null(b.events[0].who.wa_id);
	assert_string_equal(b.events[0].who.user_id, "US.70231954488120375516");
	assert_string_equal(b.events[0].who.parent_user_id,
	    "US.ENT.30586112947735018204");
	assert_string_equal(b.events[0].who.username, "@edda.marlowe");
	assert_string_equal(b.events[0].who.name, "Edda Marlowe");
	wa_payload_free(&b);
}

static void
contact_is_matched_by_wa_id_among_several(void **state)
{
	struct wa_batch	b;

	(void)state;
	parse_env(&b, "messages", "{\"contacts\":["
	    "{\"profile\":{\"name\":\"A\"},\"wa_id\":\"111\"},"
	    "{\"profile\":{\"name\":\"B\"},\"wa_id\":\"222\"},"
	    "{\"profile\":{\"name\":\"C\"},\"user_id\":\"US.3\"}],"
	    "\"messages\":["
	    "{\"from\":\"222\",\"id\":\"w1\",\"type\":\"text\"},"
	    "{\"from_user_id\":\"US.3\",\"id\":\"w2\",\"type\":\"text\"},"
	    "{\"from\":\"999\",\"id\":\"w3\",\"type\":\"text\"}]}");
	assert_int_equal(b.nevents, 3);
	assert_string_equal(b.events[0].who.name, "B");
	assert_string_equal(b.events[1].who.name, "C");
	assert_null(b.events[1].who.wa_id);
	/* No match and more than one contact: no name, sender's own id. */
	assert_null(b.events[2].who.name);
	assert_string_equal(b.events[2].who.wa_id, "999");
	wa_payload_free(&b);
}

/* ---- echoes ---- */

static void
echo_is_outbound_and_customer_is_to(void **state)
{
	struct wa_batch		 b;
	struct wa_message	*m;

	(void)state;
	load(&b, "webhook-smb-message-echoes-text.json");
	m = only_message(&b);
	assert_int_equal(m->outbound, 1);
	assert_string_equal(b.events[0].who.wa_id, "12025550147");
	assert_string_equal(m->text, "Here is your tracking link: "
	    "https://larkspur-tea.example/track/LT-20931");
	assert_int_equal(m->timestamp, 1748876002);
	assert_string_equal(b.events[0].field, "smb_message_echoes");
	wa_payload_free(&b);
}

/* ---- statuses ---- */

static void
status_delivered_has_conversation_and_pricing(void **state)
{
	struct wa_batch		 b;
	struct wa_status_ev	*s;

	(void)state;
	load(&b, "webhook-status-delivered.json");
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].kind, WA_EV_STATUS);
	s = &b.events[0].u.status;
	assert_int_equal(s->status, WA_ST_DELIVERED);
	assert_string_equal(s->status_str, "delivered");
	assert_int_equal(s->timestamp, 1748876300);
	assert_string_equal(s->recipient_id, "12025550147");
	assert_string_equal(s->conversation_id,
	    "4be0c2d19f7a41e3a86d5c0b7e92f1a8");
	assert_string_equal(s->pricing_category, "service");
	assert_int_equal(s->nerrors, 0);
	assert_string_equal(b.events[0].who.wa_id, "12025550147");
	wa_payload_free(&b);
}

static void
status_sent_without_conversation_or_pricing(void **state)
{
	struct wa_batch		 b;
	struct wa_status_ev	*s;

	(void)state;
	load(&b, "webhook-status-v24-no-conversation-no-pricing.json");
	assert_int_equal(b.nevents, 1);
	s = &b.events[0].u.status;
	assert_int_equal(s->status, WA_ST_SENT);
	assert_null(s->conversation_id);
	assert_null(s->pricing_category);
	wa_payload_free(&b);

	load(&b, "webhook-status-sent-pmp-marketing.json");
	s = &b.events[0].u.status;
	assert_int_equal(s->status, WA_ST_SENT);
	assert_string_equal(s->pricing_category, "marketing");
	wa_payload_free(&b);
}

static void
status_failed_has_error_code(void **state)
{
	struct wa_batch		 b;
	struct wa_status_ev	*s;

	(void)state;
	load(&b, "webhook-status-failed-131049.json");
	assert_int_equal(b.nevents, 1);
	s = &b.events[0].u.status;
	assert_int_equal(s->status, WA_ST_FAILED);
	assert_int_equal(s->nerrors, 1);
	assert_int_equal(s->errors[0].code, 131049);
	assert_string_equal(s->errors[0].href,
	    "/documentation/business-messaging/whatsapp/support/error-codes");
	assert_non_null(s->errors[0].details);
	wa_payload_free(&b);

	load(&b, "webhook-status-failed-131036-local-storage.json");
	s = &b.events[0].u.status;
	assert_int_equal(s->status, WA_ST_FAILED);
	assert_int_equal(s->errors[0].code, 131036);
	assert_string_equal(s->errors[0].details, "Message payload not found");
	wa_payload_free(&b);

	load(&b, "webhook-status-failed-bsuid-era-no-contacts.json");
	s = &b.events[0].u.status;
	assert_int_equal(s->status, WA_ST_FAILED);
	assert_null(s->recipient_user_id);
	assert_string_equal(b.events[0].who.wa_id, "12025550147");
	assert_null(b.events[0].who.name);
	wa_payload_free(&b);
}

static void
status_to_bsuid_without_phone_takes_who_from_contacts(void **state)
{
	struct wa_batch		 b;
	struct wa_status_ev	*s;

	(void)state;
	load(&b, "webhook-status-delivered-bsuid-no-phone.json");
	assert_int_equal(b.nevents, 1);
	s = &b.events[0].u.status;
	assert_null(s->recipient_id);
	assert_string_equal(s->recipient_user_id, "US.48815530277160942281");
	assert_null(b.events[0].who.wa_id);
	assert_string_equal(b.events[0].who.user_id,
	    "US.48815530277160942281");
	assert_string_equal(b.events[0].who.username, "@rafa.lindqvist");
	assert_string_equal(b.events[0].who.name, "Rafa L.");
	wa_payload_free(&b);

	load(&b, "webhook-status-delivered-bsuid-username-parent.json");
	assert_string_equal(b.events[0].who.wa_id, "12025550162");
	assert_string_equal(b.events[0].who.parent_user_id,
	    "US.ENT.30586112947735018204");
	wa_payload_free(&b);
}

static void
status_strings_map_to_ordered_values(void **state)
{
	(void)state;
	assert_int_equal(wa_payload_status_parse("sent"), WA_ST_SENT);
	assert_int_equal(wa_payload_status_parse("delivered"), WA_ST_DELIVERED);
	assert_int_equal(wa_payload_status_parse("READ"), WA_ST_READ);
	assert_int_equal(wa_payload_status_parse("played"), WA_ST_PLAYED);
	assert_int_equal(wa_payload_status_parse("failed"), WA_ST_FAILED);
	assert_int_equal(wa_payload_status_parse("deleted"), WA_ST_UNKNOWN);
	assert_int_equal(wa_payload_status_parse(NULL), WA_ST_NONE);
	assert_string_equal(wa_payload_status_name(WA_ST_PLAYED), "played");
	assert_string_equal(wa_payload_status_name(WA_ST_UNKNOWN), "unknown");
	assert_string_equal(wa_payload_status_name((enum wa_status)99), "unknown");
	assert_true(WA_ST_SENT < WA_ST_DELIVERED &&
	    WA_ST_DELIVERED < WA_ST_READ && WA_ST_READ < WA_ST_PLAYED);
}

static void
group_status_customer_is_participant(void **state)
{
	struct wa_batch	b;

	(void)state;
	parse_env(&b, "messages", "{\"statuses\":[{\"id\":\"w\",\"status\":"
	    "\"read\",\"timestamp\":\"7\",\"recipient_id\":\"GROUP\","
	    "\"recipient_type\":\"group\",\"recipient_participant_id\":"
	    "\"555\"}]}");
	assert_int_equal(b.nevents, 1);
	assert_string_equal(b.events[0].u.status.recipient_id, "GROUP");
	assert_string_equal(b.events[0].who.wa_id, "555");
	assert_int_equal(b.events[0].u.status.timestamp, 7);
	wa_payload_free(&b);
}

/* ---- value.errors ---- */

static void
value_errors_become_error_events(void **state)
{
	struct wa_batch	 b;
	struct wa_error	*e;

	(void)state;
	load(&b, "webhook-value-errors-130429.json");
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].kind, WA_EV_ERROR);
	e = &b.events[0].u.error;
	assert_int_equal(e->code, 130429);
	assert_string_equal(e->title, "Rate limit hit");
	assert_string_equal(e->message, "Rate limit hit");
	assert_non_null(e->details);
	assert_non_null(e->href);
	assert_string_equal(b.events[0].phone_number_id, "106540352242922");
	wa_payload_free(&b);

	load(&b, "webhook-value-errors-131035-local-storage.json");
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].u.error.code, 131035);
	wa_payload_free(&b);

	parse_env(&b, "messages", "{\"errors\":[{\"code\":1},5,{\"code\":"
	    "\"2\"}]}");
	assert_int_equal(b.nevents, 2);
	assert_int_equal(b.events[0].u.error.code, 1);
	assert_int_equal(b.events[1].u.error.code, 2);
	wa_payload_free(&b);
}

/* ---- consent and identity ---- */

static void
user_preferences_resume_is_opt_in(void **state)
{
	struct wa_batch		 b;
	struct wa_consent	*k;

	(void)state;
	load(&b, "webhook-user-preferences-resume.json");
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].kind, WA_EV_CONSENT);
	k = &b.events[0].u.consent;
	assert_int_equal(k->opt_in, 1);
	assert_string_equal(k->value, "resume");
	assert_string_equal(k->category, "marketing_messages");
	assert_string_equal(k->detail,
	    "User requested to resume marketing messages");
	assert_int_equal(k->timestamp, 1748877300);
	assert_string_equal(b.events[0].who.wa_id, "12025550147");
	wa_payload_free(&b);
}

static void
user_preferences_stop_is_opt_out_by_user_id(void **state)
{
	struct wa_batch	b;

	(void)state;
	parse_env(&b, "user_preferences", "{\"user_preferences\":["
	    "{\"user_id\":\"US.9\",\"category\":\"marketing_messages\","
	    "\"value\":\"stop\",\"timestamp\":\"12\"},"
	    "{\"wa_id\":\"1\",\"value\":\"maybe\"}]}");
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].u.consent.opt_in, 0);
	assert_int_equal(b.events[0].u.consent.timestamp, 12);
	assert_string_equal(b.events[0].who.user_id, "US.9");
	assert_null(b.events[0].who.wa_id);
	wa_payload_free(&b);
}

static void
user_id_update_gives_previous_and_current_bsuid(void **state)
{
	struct wa_batch		 b;
	struct wa_identity	*id;

	(void)state;
	parse_env(&b, "user_id_update", "{\"user_id_update\":[{\"wa_id\":"
	    "\"16505551234\",\"detail\":\"d\",\"user_id\":{\"previous\":"
	    "\"US.1\",\"current\":\"US.2\"},\"parent_user_id\":{\"previous\":"
	    "\"US.ENT.1\",\"current\":\"US.ENT.2\"},\"timestamp\":"
	    "\"1750000000\"}]}");
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].kind, WA_EV_IDENTITY);
	id = &b.events[0].u.ident;
	assert_string_equal(id->old_user_id, "US.1");
	assert_string_equal(id->new_user_id, "US.2");
	assert_string_equal(id->old_parent_user_id, "US.ENT.1");
	assert_string_equal(id->new_parent_user_id, "US.ENT.2");
	assert_string_equal(id->new_wa_id, "16505551234");
	assert_int_equal(id->timestamp, 1750000000);
	assert_string_equal(b.events[0].who.user_id, "US.1");
	wa_payload_free(&b);
}

/* ---- templates ---- */

static void
template_status_approved_and_rejected(void **state)
{
	struct wa_batch		 b;
	struct wa_template	*t;

	(void)state;
	load(&b, "webhook-template-status-approved.json");
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].kind, WA_EV_TEMPLATE);
	t = &b.events[0].u.tmpl;
	assert_string_equal(t->template_id, "2094417338215660");
	assert_string_equal(t->name, "parcel_dispatched");
	assert_string_equal(t->language, "en-US");
	assert_string_equal(t->event, "APPROVED");
	assert_string_equal(t->reason, "NONE");
	assert_string_equal(t->category, "UTILITY");
	assert_null(t->quality);
	wa_payload_free(&b);

	load(&b, "webhook-template-status-rejected.json");
	t = &b.events[0].u.tmpl;
	assert_string_equal(t->event, "REJECTED");
	assert_string_equal(t->reason, "INVALID_FORMAT");
	assert_string_equal(t->name, "restock_alert");
	wa_payload_free(&b);
}

static void
template_quality_is_found_despite_wrong_field(void **state)
{
	struct wa_batch		 b;
	struct wa_template	*t;

	(void)state;
	load(&b, "webhook-template-quality-update.json");
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].kind, WA_EV_TEMPLATE);
	t = &b.events[0].u.tmpl;
	assert_string_equal(t->quality, "YELLOW");
	assert_string_equal(t->template_id, "731902265518804");
	assert_null(t->event);
	wa_payload_free(&b);
}

static void
template_category_and_components_updates(void **state)
{
	struct wa_batch		 b;
	struct wa_template	*t;

	(void)state;
	load(&b, "webhook-template-category-update.json");
	t = &b.events[0].u.tmpl;
	assert_int_equal(b.events[0].kind, WA_EV_TEMPLATE);
	assert_string_equal(t->category, "MARKETING");
	assert_string_equal(t->previous_category, "UTILITY");
	assert_null(t->correct_category);
	wa_payload_free(&b);

	load(&b, "webhook-template-category-update-pending.json");
	t = &b.events[0].u.tmpl;
	assert_string_equal(t->category, "UTILITY");
	assert_string_equal(t->correct_category, "MARKETING");
	wa_payload_free(&b);

	load(&b, "webhook-template-components-update.json");
	assert_int_equal(b.events[0].kind, WA_EV_TEMPLATE);
	t = &b.events[0].u.tmpl;
	assert_string_equal(t->template_id, "1480266093317752");
	assert_string_equal(t->name, "parcel_dispatched");
	wa_payload_free(&b);
}

/* ---- alerts and others ---- */

static void
account_and_number_fields_become_alerts_with_value(void **state)
{
	static const char *files[] = {
		"webhook-account-alerts.json",
		"webhook-account-review-update.json",
		"webhook-account-update-account-deleted.json",
		"webhook-account-update-account-violation.json",
		"webhook-account-update-disabled-update.json",
		"webhook-business-capability-update.json",
		"webhook-phone-number-name-update.json",
		"webhook-phone-number-quality-update-throughput-upgrade.json",
		"webhook-security-pin-reset-request.json",
	};
	struct wa_batch	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		load(&b, files[i]);
		assert_int_equal(b.nevents, 1);
		assert_int_equal(b.events[0].kind, WA_EV_ALERT);
		assert_true(json_is_object(b.events[0].value));
		assert_non_null(b.events[0].field);
		wa_payload_free(&b);
	}
	load(&b, "webhook-account-update-account-deleted.json");
	assert_string_equal(json_string_value(json_object_get(
	    b.events[0].value, "event")), "ACCOUNT_DELETED");
	wa_payload_free(&b);
}

static void
other_fields_are_kept_as_other(void **state)
{
	static const char *files[] = {
		"webhook-automatic-events-lead.json",
		"webhook-automatic-events-purchase.json",
		"webhook-history-media-message.json",
		"webhook-history-thread.json",
		"webhook-partner-solutions.json",
		"webhook-payment-configuration-update.json",
		"webhook-smb-app-state-sync.json",
	};
	struct wa_batch	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		load(&b, files[i]);
		assert_int_equal(b.nevents, 1);
		assert_int_equal(b.events[0].kind, WA_EV_OTHER);
		assert_true(json_is_object(b.events[0].value));
		wa_payload_free(&b);
	}
}

static void
change_is_dispatched_by_keys_when_field_is_missing_or_odd(void **state)
{
	struct wa_batch	 b;
	const char	*s;
	char		*cause;

	(void)state;
	s = "{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":"
	    "[{\"id\":\"w\",\"status\":\"read\"}]}}]}]}";
	assert_int_equal(parse_str(s, &b, &cause), 0);
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].kind, WA_EV_STATUS);
	assert_int_equal(b.events[0].u.status.status, WA_ST_READ);
	assert_null(b.events[0].field);
	wa_payload_free(&b);

	parse_env(&b, "some_future_field", "{\"new_quality_score\":\"RED\"}");
	assert_int_equal(b.events[0].kind, WA_EV_TEMPLATE);
	assert_string_equal(b.events[0].u.tmpl.quality, "RED");
	wa_payload_free(&b);

	/* Messages under an unknown field are not taken as new ones. */
	parse_env(&b, "group_status_update", "{\"messages\":[{\"type\":"
	    "\"text\"}]}");
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].kind, WA_EV_OTHER);
	wa_payload_free(&b);
}

/* ---- every sample ---- */

static void
every_webhook_fixture_parses_into_events(void **state)
{
	struct wa_batch	 b;
	struct dirent	*de;
	DIR		*d;
	size_t		 n = 0;

	(void)state;
	if ((d = opendir(fixture_dir())) == NULL)
		fail_msg("cannot open fixture dir '%s'", fixture_dir());
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): fail_msg longjmps out, unannotated */
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "webhook-", 8) != 0)
			continue;
		load(&b, de->d_name);
		if (b.nevents < 1)
			fail_msg("%s: no events", de->d_name);
		wa_payload_free(&b);
		n++;
	}
	closedir(d);
	assert_true(n >= 50);
}

/* ---- timestamps ---- */

static void
timestamps_accept_string_int_and_junk(void **state)
{
	struct wa_batch	b;

	(void)state;
	parse_env(&b, "messages", "{\"messages\":["
	    "{\"from\":\"1\",\"timestamp\":\"1749416383\",\"type\":\"text\"},"
	    "{\"from\":\"1\",\"timestamp\":1749416384,\"type\":\"text\"},"
	    "{\"from\":\"1\",\"timestamp\":\"17x\",\"type\":\"text\"},"
	    "{\"from\":\"1\",\"timestamp\":\"99999999999999999999999\"},"
	    "{\"from\":\"1\",\"timestamp\":1e300},"
	    "{\"from\":\"1\",\"timestamp\":[1]}]}");
	assert_int_equal(b.nevents, 6);
	assert_int_equal(b.events[0].u.msg.timestamp, 1749416383);
	assert_int_equal(b.events[1].u.msg.timestamp, 1749416384);
	assert_int_equal(b.events[2].u.msg.timestamp, 0);
	assert_int_equal(b.events[3].u.msg.timestamp, 0);
	assert_int_equal(b.events[4].u.msg.timestamp, 0);
	assert_int_equal(b.events[5].u.msg.timestamp, 0);
	assert_null(b.events[3].u.msg.type);
	assert_int_equal(b.events[3].u.msg.supported, 0);
	wa_payload_free(&b);
}

/* ---- refusals ---- */

static void
not_json_is_refused_without_quoting_the_body(void **state)
{
	struct wa_batch	 b;
	const char	*body = "{\"from\":\"16505551234\" secret";
	char		*cause = NULL;

	(void)state;
	assert_int_equal(parse_str(body, &b, &cause), -1);
	assert_non_null(cause);
	assert_null(strstr(cause, "16505551234"));
	assert_null(strstr(cause, "secret"));
	free(cause);
	refused("", 0);
	refused("nul", 3);
	refused(NULL, 0);
	refused("{} {}", 5);
}

static void
array_or_scalar_at_top_is_refused(void **state)
{
	const char	*s;

	(void)state;
	refused("[]", 2);
	s = "[{\"object\":\"whatsapp_business_account\",\"entry\":[]}]";
	refused(s, strlen(s));
	refused("\"x\"", 3);
	refused("5", 1);
}

static void
other_object_kinds_are_refused(void **state)
{
	const char	*s;

	(void)state;
	s = "{\"object\":\"page\",\"entry\":[]}";
	refused(s, strlen(s));
	s = "{\"object\":5,\"entry\":[]}";
	refused(s, strlen(s));
	s = "{\"object\":null,\"entry\":[]}";
	refused(s, strlen(s));
}

static void
entry_missing_or_not_array_is_refused(void **state)
{
	struct wa_batch	 b;
	const char	*s;
	char		*cause;

	(void)state;
	s = "{\"object\":\"whatsapp_business_account\"}";
	refused(s, strlen(s));
	s = "{\"object\":\"whatsapp_business_account\",\"entry\":{}}";
	refused(s, strlen(s));
	s = "{\"object\":\"whatsapp_business_account\",\"entry\":\"x\"}";
	refused(s, strlen(s));

	/* Empty entry, and "object" absent, are fine: zero events. */
	s = "{\"entry\":[]}";
	assert_int_equal(parse_str(s, &b, &cause), 0);
	assert_int_equal(b.nevents, 0);
	wa_payload_free(&b);
}

static void
body_over_limit_is_refused_before_parsing(void **state)
{
	const char	*env = "{\"entry\":[]}";
	char		*big;
	size_t		 len = WA_BODY_MAX + 1;
	struct wa_batch	 b;
	char		*cause = NULL;

	(void)state;
	/* Valid JSON padded with spaces: only the size can be the reason. */
	big = xmalloc(len);
	memset(big, ' ', len);
	memcpy(big, env, strlen(env));
	refused(big, len);
	assert_int_equal(wa_payload_parse(big, WA_BODY_MAX, &b, &cause), 0);
	wa_payload_free(&b);
	free(big);
}

static void
too_many_events_is_refused(void **state)
{
	struct wa_batch	 b;
	char		*body, *cause = NULL;
	size_t		 len, i, n = WA_EVENTS_MAX + 1;
	const char	*head = "{\"entry\":[{\"changes\":[{\"field\":"
			    "\"messages\",\"value\":{\"statuses\":[";
	const char	*tail = "]}}]}]}";

	(void)state;
	body = xmalloc(strlen(head) + n * 3 + strlen(tail) + 1);
	len = strlen(head);
	memcpy(body, head, len);
	for (i = 0; i < n; i++) {
		memcpy(body + len, i == 0 ? "{}" : ",{}", i == 0 ? 2 : 3);
		len += i == 0 ? 2 : 3;
	}
	memcpy(body + len, tail, strlen(tail) + 1);
	len += strlen(tail);
	refused(body, len);

	/* Exactly the limit is accepted. */
	memcpy(body + len - strlen(tail) - 3, tail, strlen(tail) + 1);
	len -= 3;
	assert_int_equal(wa_payload_parse(body, len, &b, &cause), 0);
	assert_int_equal(b.nevents, WA_EVENTS_MAX);
	wa_payload_free(&b);
	free(body);
}

static void
deeply_nested_garbage_does_not_crash(void **state)
{
	struct wa_batch	 b;
	char		*deep, *body, *cause = NULL;
	size_t		 n = 100000, i;
	int		 rv;

	(void)state;
	deep = xmalloc(2 * n + 1);
	for (i = 0; i < n; i++) {
		deep[i] = '[';
		deep[n + i] = ']';
	}
	deep[2 * n] = '\0';
	refused(deep, 2 * n);

	/* Nesting under the parser's limit, inside a valid envelope. */
	n = 1000;
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	body = xasprintf("{\"entry\":[{\"changes\":[{\"field\":\"messages\","
	    "\"value\":{\"messages\":%s,\"statuses\":[%s],\"contacts\":%s}},"
	    "{\"field\":\"x\",\"value\":{\"a\":%s}}]}]}", deep, deep, deep,
	    deep);
	rv = wa_payload_parse(body, strlen(body), &b, &cause);
	assert_int_equal(rv, 0);
	/* Only the unknown field "x" yields an event. */
	assert_int_equal(b.nevents, 1);
	assert_int_equal(b.events[0].kind, WA_EV_OTHER);
	wa_payload_free(&b);
	free(body);
	free(deep);
}

static void
wrong_typed_fields_are_skipped_without_crash(void **state)
{
	static const char *values[] = {
		"{\"messages\":5}",
		"{\"messages\":[5,null,\"x\",[]]}",
		"{\"messages\":[{\"type\":\"text\",\"text\":{\"body\":7}}]}",
		"{\"messages\":[{\"type\":\"text\",\"text\":\"body\"}]}",
		"{\"messages\":[{\"type\":5,\"id\":5,\"from\":{}}]}",
		"{\"messages\":[{\"type\":\"image\",\"image\":[1]}]}",
		"{\"messages\":[{\"type\":\"location\",\"location\":"
		    "{\"latitude\":\"1\",\"longitude\":null}}]}",
		"{\"messages\":[{\"type\":\"contacts\",\"contacts\":"
		    "[1,{\"name\":5},{\"name\":{}}]}]}",
		"{\"messages\":[{\"type\":\"interactive\",\"interactive\":"
		    "{\"type\":\"button_reply\",\"button_reply\":7}}]}",
		"{\"messages\":[{\"type\":\"interactive\",\"interactive\":"
		    "{\"type\":9}}]}",
		"{\"messages\":[{\"type\":\"reaction\",\"reaction\":"
		    "{\"emoji\":5}}]}",
		"{\"messages\":[{\"type\":\"order\",\"order\":"
		    "{\"product_items\":[{\"quantity\":\"x\"},"
		    "{\"quantity\":-4},7]}}]}",
		"{\"messages\":[{\"type\":\"system\",\"system\":\"x\"}]}",
		"{\"messages\":[{\"type\":\"system\",\"system\":{\"type\":"
		    "\"user_changed_number\"}}]}",
		"{\"messages\":[{\"type\":\"edit\",\"edit\":{\"message\":"
		    "{\"type\":\"edit\",\"edit\":{\"message\":{}}}}}]}",
		"{\"messages\":[{\"type\":\"revoke\",\"revoke\":[]}]}",
		"{\"messages\":[{\"type\":\"unsupported\",\"errors\":"
		    "[1,{\"code\":\"x\",\"error_data\":5}]}]}",
		"{\"messages\":[{\"context\":5,\"referral\":\"x\"}]}",
		"{\"messages\":[{\"context\":{\"referred_product\":"
		    "{\"catalog_id\":1}}}]}",
		"{\"contacts\":{\"wa_id\":1},\"messages\":[{\"from\":\"1\"}]}",
		"{\"contacts\":[5,{\"profile\":[]}],\"messages\":[{}]}",
		"{\"statuses\":[{\"status\":5,\"errors\":{},\"conversation\":"
		    "[],\"pricing\":\"x\"}]}",
		"{\"errors\":\"x\"}",
		"{\"metadata\":[],\"messages\":[{}]}",
	};
	struct wa_batch	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof values / sizeof values[0]; i++) {
		parse_env(&b, "messages", values[i]);
		wa_payload_free(&b);
	}

	parse_env(&b, "messages", values[2]);
	assert_int_equal(b.nevents, 1);
	assert_null(b.events[0].u.msg.text);
	wa_payload_free(&b);

	parse_env(&b, "messages", values[1]);
	assert_int_equal(b.nevents, 0);
	wa_payload_free(&b);
}

static void
malformed_envelope_items_are_skipped(void **state)
{
	static const char *bodies[] = {
		"{\"entry\":[5,null,[],{\"changes\":5},{\"changes\":[5]}]}",
		"{\"entry\":[{\"changes\":[{\"field\":5,\"value\":[]}]}]}",
		"{\"entry\":[{\"id\":[],\"changes\":[{\"value\":5}]}]}",
		"{\"entry\":[{\"id\":123,\"changes\":[{\"field\":\"security\","
		    "\"value\":{}}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":{\"user_preferences\":"
		    "[{\"value\":\"stop\"},5]}}]}]}",
		"{\"entry\":[{\"changes\":[{\"field\":\"user_id_update\","
		    "\"value\":{\"user_id_update\":[5,{\"user_id\":7}]}}]}]}",
		"{\"entry\":[{\"changes\":[{\"field\":"
		    "\"message_template_status_update\",\"value\":"
		    "{\"message_template_id\":1.5,\"event\":[]}}]}]}",
	};
	struct wa_batch	 b;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		if (parse_str(bodies[i], &b, &cause) != 0)
			fail_msg("body %zu refused: %s", i, cause);
		wa_payload_free(&b);
	}
	assert_int_equal(parse_str(bodies[3], &b, &cause), 0);
	assert_int_equal(b.nevents, 1);
	assert_string_equal(b.events[0].waba_id, "123");
	wa_payload_free(&b);
}

static void
nul_in_text_is_accepted_and_cut(void **state)
{
	struct wa_batch	b;

	(void)state;
	parse_env(&b, "messages", "{\"messages\":[{\"type\":\"text\","
	    "\"text\":{\"body\":\"ab\\u0000cd\"}}]}");
	assert_string_equal(b.events[0].u.msg.text, "ab");
	wa_payload_free(&b);
}

static void
batch_free_accepts_empty_and_twice(void **state)
{
	struct wa_batch	b;

	(void)state;
	memset(&b, 0, sizeof b);
	wa_payload_free(&b);
	wa_payload_free(&b);
	wa_payload_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_message_has_body_sender_and_timestamp),
		cmocka_unit_test(group_text_keeps_group_id),
		cmocka_unit_test(image_message_has_media_fields_and_caption),
		cmocka_unit_test(video_message_has_media_fields),
		cmocka_unit_test(audio_voice_note_sets_voice),
		cmocka_unit_test(document_has_filename_and_caption),
		cmocka_unit_test(sticker_sets_animated),
		cmocka_unit_test(
		    location_has_coordinates_and_name_address_text),
		cmocka_unit_test(contacts_message_text_is_formatted_name),
		cmocka_unit_test(interactive_button_reply_gives_title_and_id),
		cmocka_unit_test(interactive_list_reply_gives_title_and_id),
		cmocka_unit_test(
		    template_quick_reply_button_gives_text_and_payload),
		cmocka_unit_test(reaction_has_target_and_emoji),
		cmocka_unit_test(reaction_removed_has_empty_emoji),
		cmocka_unit_test(order_text_summarises_item_count_and_note),
		cmocka_unit_test(
		    system_user_changed_number_emits_message_and_identity),
		cmocka_unit_test(system_user_changed_user_id_emits_identity),
		cmocka_unit_test(edit_carries_original_id_and_new_text),
		cmocka_unit_test(revoke_carries_original_id),
		cmocka_unit_test(unsupported_is_flagged_with_errors),
		cmocka_unit_test(unknown_type_is_unsupported_and_kept),
		cmocka_unit_test(ctwa_referral_object_is_kept),
		cmocka_unit_test(referred_product_is_catalog_slash_product),
		cmocka_unit_test(context_forwarded_flags_are_read),
		cmocka_unit_test(
		    bsuid_text_without_phone_has_user_id_and_no_wa_id),
		cmocka_unit_test(contact_is_matched_by_wa_id_among_several),
		cmocka_unit_test(echo_is_outbound_and_customer_is_to),
		cmocka_unit_test(status_delivered_has_conversation_and_pricing),
		cmocka_unit_test(status_sent_without_conversation_or_pricing),
		cmocka_unit_test(status_failed_has_error_code),
		cmocka_unit_test(
		    status_to_bsuid_without_phone_takes_who_from_contacts),
		cmocka_unit_test(status_strings_map_to_ordered_values),
		cmocka_unit_test(group_status_customer_is_participant),
		cmocka_unit_test(value_errors_become_error_events),
		cmocka_unit_test(user_preferences_resume_is_opt_in),
		cmocka_unit_test(user_preferences_stop_is_opt_out_by_user_id),
		cmocka_unit_test(
		    user_id_update_gives_previous_and_current_bsuid),
		cmocka_unit_test(template_status_approved_and_rejected),
		cmocka_unit_test(template_quality_is_found_despite_wrong_field),
		cmocka_unit_test(template_category_and_components_updates),
		cmocka_unit_test(
		    account_and_number_fields_become_alerts_with_value),
		cmocka_unit_test(other_fields_are_kept_as_other),
		cmocka_unit_test(
		    change_is_dispatched_by_keys_when_field_is_missing_or_odd),
		cmocka_unit_test(every_webhook_fixture_parses_into_events),
		cmocka_unit_test(timestamps_accept_string_int_and_junk),
		cmocka_unit_test(not_json_is_refused_without_quoting_the_body),
		cmocka_unit_test(array_or_scalar_at_top_is_refused),
		cmocka_unit_test(other_object_kinds_are_refused),
		cmocka_unit_test(entry_missing_or_not_array_is_refused),
		cmocka_unit_test(body_over_limit_is_refused_before_parsing),
		cmocka_unit_test(too_many_events_is_refused),
		cmocka_unit_test(deeply_nested_garbage_does_not_crash),
		cmocka_unit_test(wrong_typed_fields_are_skipped_without_crash),
		cmocka_unit_test(malformed_envelope_items_are_skipped),
		cmocka_unit_test(nul_in_text_is_accepted_and_cut),
		cmocka_unit_test(batch_free_accepts_empty_and_twice),
	};

	return (cmocka_run_group_tests_name("wa", tests, NULL, NULL));
}
