/*
 * WhatsApp Cloud API webhook parser: turns one POST body into flat events.
 * Every key is optional and may have the wrong type; nothing here trusts it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "wa-payload.h"
#include "xmalloc.h"

/* State while walking one body. */
struct wa_ctx {
	struct wa_batch	*batch;
	size_t		 alloc;		/* slots in batch->events */
	int		 overflow;	/* more than WA_EVENTS_MAX */
	const char	*field;		/* changes[].field, borrowed */
	const char	*waba_id;	/* entry[].id, owned by the walk */
	const char	*phone_number_id; /* value.metadata, borrowed */
	const char	*display_number;
};

static const char *wa_alert_fields[] = {
	"account_update",
	"account_alerts",
	"account_review_update",
	"phone_number_quality_update",
	"phone_number_name_update",
	"security",
	"business_capability_update",
	"business_username_update",
	"business_username_updates",
	NULL
};

static const char *wa_media_types[] = {
	"image", "video", "audio", "document", "sticker", NULL
};

static int
wa_in(const char *s, const char **list)
{
	if (s == NULL)
		return (0);
	for (; *list != NULL; list++) {
		if (strcmp(s, *list) == 0)
			return (1);
	}
	return (0);
}

/* Borrowed string value of o[key], or NULL if absent or not a string. */
static const char *
wa_sget(json_t *o, const char *key)
{
	json_t	*v;

	if (!json_is_object(o))
		return (NULL);
	v = json_object_get(o, key);
	if (!json_is_string(v))
		return (NULL);
	return (json_string_value(v));
}

static char *
wa_sdup(json_t *o, const char *key)
{
	const char	*s;

	if ((s = wa_sget(o, key)) == NULL)
		return (NULL);
	return (xstrdup(s));
}

static char *
wa_strdup(const char *s)
{
	return (s == NULL ? NULL : xstrdup(s));
}

static json_t *
wa_oget(json_t *o, const char *key)
{
	json_t	*v;

	if (!json_is_object(o))
		return (NULL);
	v = json_object_get(o, key);
	return (json_is_object(v) ? v : NULL);
}

static json_t *
wa_aget(json_t *o, const char *key)
{
	json_t	*v;

	if (!json_is_object(o))
		return (NULL);
	v = json_object_get(o, key);
	return (json_is_array(v) ? v : NULL);
}

static int
wa_bget(json_t *o, const char *key)
{
	if (!json_is_object(o))
		return (0);
	return (json_is_true(json_object_get(o, key)));
}

/* An id that Meta sends as a string or as an integer, as a string. */
static char *
wa_iddup(json_t *o, const char *key)
{
	json_t	*v;

	if (!json_is_object(o))
		return (NULL);
	v = json_object_get(o, key);
	if (json_is_string(v))
		return (xstrdup(json_string_value(v)));
	if (json_is_integer(v))
		return (xasprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(v)));
	return (NULL);
}

/* Decimal integer in a string, whole string; 0 if not one. */
static int64_t
wa_strtoi64(const char *s)
{
	char		*end;
	long long	 ll;

	if (s == NULL || *s == '\0')
		return (0);
	errno = 0;
	ll = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s)
		return (0);
	return ((int64_t)ll);
}

/* A number as int, real or string ("1749416383"); 0 if none of those. */
static int64_t
wa_iget(json_t *o, const char *key)
{
	json_t	*v;
	double	 d;

	if (!json_is_object(o))
		return (0);
	v = json_object_get(o, key);
	if (json_is_integer(v))
		return ((int64_t)json_integer_value(v));
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (!isfinite(d) || d >= 9.2e18 || d <= -9.2e18)
			return (0);
		return ((int64_t)d);
	}
	if (json_is_string(v))
		return (wa_strtoi64(json_string_value(v)));
	return (0);
}

/* Appends an event of kind; NULL (and overflow set) past WA_EVENTS_MAX. */
static struct wa_event *
wa_push(struct wa_ctx *c, enum wa_ev_kind kind)
{
	struct wa_batch	*b = c->batch;
	struct wa_event	*ev;

	if (c->overflow)
		return (NULL);
	if (b->nevents >= WA_EVENTS_MAX) {
		c->overflow = 1;
		return (NULL);
	}
	if (b->nevents == c->alloc) {
		c->alloc = c->alloc == 0 ? 8 : c->alloc * 2;
		if (c->alloc > WA_EVENTS_MAX)
			c->alloc = WA_EVENTS_MAX;
		b->events = xrealloc(b->events, c->alloc * sizeof *b->events);
	}
	ev = &b->events[b->nevents++];
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	ev->field = wa_strdup(c->field);
	ev->waba_id = wa_strdup(c->waba_id);
	ev->phone_number_id = wa_strdup(c->phone_number_id);
	ev->display_number = wa_strdup(c->display_number);
	return (ev);
}

static void
wa_error_fill(struct wa_error *e, json_t *o)
{
	e->code = wa_iget(o, "code");
	e->title = wa_sdup(o, "title");
	e->message = wa_sdup(o, "message");
	e->details = wa_sdup(wa_oget(o, "error_data"), "details");
	e->href = wa_sdup(o, "href");
}

/* Fills an array from errors[]; items that are not objects are skipped. */
static void
wa_errors_parse(json_t *arr, struct wa_error **out, size_t *nout)
{
	json_t	*item;
	size_t	 i, n = 0;

	*out = NULL;
	*nout = 0;
	if (!json_is_array(arr))
		return;
	json_array_foreach(arr, i, item) {
		if (json_is_object(item))
			n++;
	}
	if (n == 0)
		return;
	*out = xcalloc(n, sizeof **out);
	json_array_foreach(arr, i, item) {
		if (json_is_object(item))
			wa_error_fill(&(*out)[(*nout)++], item);
	}
}

static int
wa_eq(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * The contacts[] entry for a customer: the one whose wa_id or user_id
 * matches, else the only one there is.
 */
static json_t *
wa_contact_find(json_t *contacts, const char *wa_id, const char *user_id)
{
	json_t	*item;
	size_t	 i;

	if (!json_is_array(contacts))
		return (NULL);
	json_array_foreach(contacts, i, item) {
		if (!json_is_object(item))
			continue;
		if (wa_eq(wa_sget(item, "wa_id"), wa_id) ||
		    wa_eq(wa_sget(item, "user_id"), user_id))
			return (item);
	}
	if (json_array_size(contacts) == 1) {
		item = json_array_get(contacts, 0);
		if (json_is_object(item))
			return (item);
	}
	return (NULL);
}

/* Fills who from the matching contact, then from the ids the item carries. */
static void
wa_who_fill(struct wa_who *w, json_t *contacts, const char *wa_id,
    const char *user_id, const char *parent_user_id)
{
	json_t	*ct, *profile;

	if ((ct = wa_contact_find(contacts, wa_id, user_id)) != NULL) {
		profile = wa_oget(ct, "profile");
		w->wa_id = wa_sdup(ct, "wa_id");
		w->user_id = wa_sdup(ct, "user_id");
		w->parent_user_id = wa_sdup(ct, "parent_user_id");
		w->name = wa_sdup(profile, "name");
		w->username = wa_sdup(profile, "username");
	}
	if (w->wa_id == NULL)
		w->wa_id = wa_strdup(wa_id);
	if (w->user_id == NULL)
		w->user_id = wa_strdup(user_id);
	if (w->parent_user_id == NULL)
		w->parent_user_id = wa_strdup(parent_user_id);
}

static void
wa_who_copy(struct wa_who *dst, const struct wa_who *src)
{
	dst->wa_id = wa_strdup(src->wa_id);
	dst->user_id = wa_strdup(src->user_id);
	dst->parent_user_id = wa_strdup(src->parent_user_id);
	dst->username = wa_strdup(src->username);
	dst->name = wa_strdup(src->name);
}

static void
wa_who_free(struct wa_who *w)
{
	free(w->wa_id);
	free(w->user_id);
	free(w->parent_user_id);
	free(w->username);
	free(w->name);
}

/* "a, b" from two optional strings; NULL if both are absent or empty. */
static char *
wa_join(const char *a, const char *b, const char *sep)
{
	int	 ha = a != NULL && *a != '\0', hb = b != NULL && *b != '\0';

	if (ha && hb)
		return (xasprintf("%s%s%s", a, sep, b));
	if (ha)
		return (xstrdup(a));
	if (hb)
		return (xstrdup(b));
	return (NULL);
}

static void
wa_content_media(struct wa_message *m, json_t *o)
{
	m->media_id = wa_sdup(o, "id");
	m->mime_type = wa_sdup(o, "mime_type");
	m->sha256 = wa_sdup(o, "sha256");
	m->filename = wa_sdup(o, "filename");
	m->caption = wa_sdup(o, "caption");
	m->media_url = wa_sdup(o, "url");
	m->voice = wa_bget(o, "voice");
	m->animated = wa_bget(o, "animated");
	m->text = wa_strdup(m->caption);
}

static void
wa_content_location(struct wa_message *m, json_t *o)
{
	json_t	*lat, *lon;

	lat = json_is_object(o) ? json_object_get(o, "latitude") : NULL;
	lon = json_is_object(o) ? json_object_get(o, "longitude") : NULL;
	if (json_is_number(lat) && json_is_number(lon)) {
		m->latitude = json_number_value(lat);
		m->longitude = json_number_value(lon);
		m->has_location = 1;
	}
	m->text = wa_join(wa_sget(o, "name"), wa_sget(o, "address"), ", ");
	if (m->text == NULL)
		m->text = wa_sdup(o, "url");
	m->loc_name = wa_sdup(o, "name");
	m->loc_address = wa_sdup(o, "address");
}

/* Bounds on a shared contact card: what an agent can read on one screen. */
#define WA_SHARED_MAX	10
#define WA_PHONES_MAX	10

/* One card's name, company and numbers, for the thread. */
static json_t *
wa_shared_card(json_t *item, const char *name)
{
	json_t		*card, *phones, *p;
	const char	*s;
	size_t		 i;

	card = json_pack("{ss}", "name", name);
	if ((s = wa_sget(wa_oget(item, "org"), "company")) != NULL &&
	    *s != '\0')
		json_object_set_new(card, "org", json_string(s));
	phones = json_array();
	json_array_foreach(wa_aget(item, "phones"), i, p) {
		if (i >= WA_PHONES_MAX)
			break;
		if ((s = wa_sget(p, "phone")) == NULL || *s == '\0')
			continue;
		json_array_append_new(phones, json_pack("{ss}", "phone", s));
		if ((s = wa_sget(p, "type")) != NULL && *s != '\0')
			json_object_set_new(json_array_get(phones,
			    json_array_size(phones) - 1), "type",
			    json_string(s));
	}
	json_object_set_new(card, "phones", phones);
	return (card);
}

/* Formatted names of shared contacts, joined by ", ". */
static void
wa_content_contacts(struct wa_message *m, json_t *arr)
{
	json_t		*item, *name;
	const char	*s;
	char		*one, *all = NULL, *tmp;
	size_t		 i;

	if (!json_is_array(arr))
		return;
	json_array_foreach(arr, i, item) {
		name = wa_oget(item, "name");
		if ((s = wa_sget(name, "formatted_name")) != NULL && *s != '\0')
			one = xstrdup(s);
		else
			one = wa_join(wa_sget(name, "first_name"),
			    wa_sget(name, "last_name"), " ");
		if (i < WA_SHARED_MAX) {
			if (m->shared == NULL)
				m->shared = json_array();
			/* A card of numbers only is still worth showing. */
			json_array_append_new(m->shared, wa_shared_card(item,
			    one != NULL ? one : "(no name)"));
		}
		if (one == NULL)
			continue;
		if (all == NULL)
			all = one;
		else {
			tmp = xasprintf("%s, %s", all, one);
			free(all);
			free(one);
			all = tmp;
		}
	}
	m->text = all;
}

static void
wa_content_interactive(struct wa_message *m, json_t *o)
{
	const char	*type = wa_sget(o, "type");
	json_t		*r;

	if (m->subtype == NULL)		/* an edit already named it */
		m->subtype = wa_strdup(type);
	if (type == NULL)
		return;
	if (strcmp(type, "button_reply") == 0 ||
	    strcmp(type, "list_reply") == 0) {
		r = wa_oget(o, type);
		m->text = wa_sdup(r, "title");
		m->reply_id = wa_sdup(r, "id");
	} else if (strcmp(type, "nfm_reply") == 0) {
		r = wa_oget(o, type);
		m->text = wa_sdup(r, "body");
		m->reply_id = wa_sdup(r, "name");
	} else if (strcmp(type, "call_permission_reply") == 0) {
		r = wa_oget(o, type);
		m->text = wa_sdup(r, "response");
	} else
		m->supported = 0;
}

/* "order: N items" plus the customer's note, if any. */
static void
wa_content_order(struct wa_message *m, json_t *o)
{
	json_t		*items, *item;
	const char	*note;
	int64_t		 q, n = 0;
	size_t		 i;

	items = wa_aget(o, "product_items");
	if (items != NULL) {
		json_array_foreach(items, i, item) {
			if (!json_is_object(item))
				continue;
			q = wa_iget(item, "quantity");
			if (q <= 0 || q > 1000000)
				q = 1;
			n += q;
		}
	}
	note = wa_sget(o, "text");
	if (note != NULL && *note != '\0')
		m->text = xasprintf("order: %lld item%s: %s", (long long)n,
		    n == 1 ? "" : "s", note);
	else
		m->text = xasprintf("order: %lld item%s", (long long)n,
		    n == 1 ? "" : "s");
}

static void
wa_content_system(struct wa_message *m, json_t *o)
{
	m->system_type = wa_sdup(o, "type");
	m->text = wa_sdup(o, "body");
	if ((m->new_wa_id = wa_sdup(o, "wa_id")) == NULL)
		m->new_wa_id = wa_sdup(o, "new_wa_id");
	if ((m->new_user_id = wa_sdup(o, "user_id")) == NULL)
		m->new_user_id = wa_sdup(o, "new_user_id");
}

/*
 * Fills the type-specific part of m from the message object o. depth is 0
 * for a message and 1 for the new content inside an edit, which may not
 * nest further.
 */
static void
wa_content(struct wa_message *m, json_t *o, const char *type, int depth)
{
	json_t	*sub, *inner;

	m->supported = 1;
	if (type == NULL) {
		m->supported = 0;
		return;
	}
	sub = json_object_get(o, type);

	if (strcmp(type, "text") == 0)
		m->text = wa_sdup(sub, "body");
	else if (wa_in(type, wa_media_types))
		wa_content_media(m, sub);
	else if (strcmp(type, "location") == 0)
		wa_content_location(m, sub);
	else if (strcmp(type, "contacts") == 0)
		wa_content_contacts(m, sub);
	else if (strcmp(type, "interactive") == 0)
		wa_content_interactive(m, sub);
	else if (strcmp(type, "button") == 0) {
		m->text = wa_sdup(sub, "text");
		m->reply_id = wa_sdup(sub, "payload");
	} else if (strcmp(type, "reaction") == 0) {
		m->reaction_to = wa_sdup(sub, "message_id");
		m->reaction_emoji = wa_sdup(sub, "emoji");
		if (m->reaction_emoji == NULL)
			m->reaction_emoji = xstrdup("");
		else if (*m->reaction_emoji != '\0')
			m->text = xstrdup(m->reaction_emoji);
	} else if (strcmp(type, "order") == 0)
		wa_content_order(m, sub);
	else if (depth == 0 && strcmp(type, "system") == 0)
		wa_content_system(m, sub);
	else if (depth == 0 && strcmp(type, "edit") == 0) {
		m->edits = wa_sdup(sub, "original_message_id");
		inner = wa_oget(sub, "message");
		m->subtype = wa_sdup(inner, "type");
		if (inner != NULL && m->subtype != NULL) {
			wa_content(m, inner, m->subtype, 1);
			m->supported = 1;
		}
	} else if (depth == 0 && strcmp(type, "revoke") == 0)
		m->revokes = wa_sdup(sub, "original_message_id");
	else if (strcmp(type, "request_welcome") == 0)
		;
	else if (strcmp(type, "unsupported") == 0) {
		m->supported = 0;
		if (depth == 0)
			m->subtype = wa_sdup(sub, "type");
	} else
		m->supported = 0;
}

static void
wa_context(struct wa_message *m, json_t *ctx)
{
	json_t		*rp;
	const char	*cat, *prod;

	if (ctx == NULL)
		return;
	m->context_id = wa_sdup(ctx, "id");
	m->context_from = wa_sdup(ctx, "from");
	m->forwarded = wa_bget(ctx, "forwarded");
	m->frequently_forwarded = wa_bget(ctx, "frequently_forwarded");
	if ((rp = wa_oget(ctx, "referred_product")) != NULL) {
		cat = wa_sget(rp, "catalog_id");
		prod = wa_sget(rp, "product_retailer_id");
		if (cat != NULL || prod != NULL)
			m->referred_product = xasprintf("%s/%s",
			    cat != NULL ? cat : "", prod != NULL ? prod : "");
	}
}

/*
 * One messages[] or message_echoes[] item: a WA_EV_MESSAGE, and for a
 * number or BSUID change also a WA_EV_IDENTITY.
 */
static void
wa_message(struct wa_ctx *c, json_t *o, json_t *contacts, int outbound)
{
	struct wa_event		*ev, *id;
	struct wa_message	*m;
	json_t			*ref;
	size_t			 idx;
	const char		*st;

	if (!json_is_object(o))
		return;
	if ((ev = wa_push(c, WA_EV_MESSAGE)) == NULL)
		return;
	idx = ev - c->batch->events;
	m = &ev->u.msg;
	m->object = json_incref(o);
	m->outbound = outbound;
	m->wamid = wa_sdup(o, "id");
	m->type = wa_sdup(o, "type");
	m->timestamp = wa_iget(o, "timestamp");
	m->phone_number_id = wa_strdup(c->phone_number_id);
	m->group_id = wa_sdup(o, "group_id");
	if (outbound)
		wa_who_fill(&ev->who, contacts, wa_sget(o, "to"),
		    wa_sget(o, "to_user_id"), wa_sget(o, "to_parent_user_id"));
	else
		wa_who_fill(&ev->who, contacts, wa_sget(o, "from"),
		    wa_sget(o, "from_user_id"),
		    wa_sget(o, "from_parent_user_id"));
	wa_context(m, wa_oget(o, "context"));
	if ((ref = wa_oget(o, "referral")) != NULL)
		m->referral = json_incref(ref);
	wa_errors_parse(json_object_get(o, "errors"), &m->errors, &m->nerrors);
	wa_content(m, o, m->type, 0);

	st = m->system_type;
	if (st == NULL || (strcmp(st, "user_changed_number") != 0 &&
	    strcmp(st, "user_changed_user_id") != 0))
		return;
	if ((id = wa_push(c, WA_EV_IDENTITY)) == NULL)
		return;
	ev = &c->batch->events[idx];	/* wa_push may have moved it */
	m = &ev->u.msg;
	wa_who_copy(&id->who, &ev->who);
	id->u.ident.old_wa_id = wa_strdup(ev->who.wa_id);
	id->u.ident.old_user_id = wa_strdup(ev->who.user_id);
	id->u.ident.old_parent_user_id = wa_strdup(ev->who.parent_user_id);
	id->u.ident.new_wa_id = wa_strdup(m->new_wa_id);
	id->u.ident.new_user_id = wa_strdup(m->new_user_id);
	id->u.ident.new_parent_user_id = wa_sdup(wa_oget(o, "system"),
	    "parent_user_id");
	id->u.ident.detail = wa_strdup(m->text);
	id->u.ident.timestamp = m->timestamp;
}

static void
wa_status(struct wa_ctx *c, json_t *o, json_t *contacts)
{
	struct wa_event		*ev;
	struct wa_status_ev	*s;
	const char		*parent;

	if (!json_is_object(o))
		return;
	if ((ev = wa_push(c, WA_EV_STATUS)) == NULL)
		return;
	s = &ev->u.status;
	s->wamid = wa_sdup(o, "id");
	s->status_str = wa_sdup(o, "status");
	s->status = wa_payload_status_parse(s->status_str);
	s->timestamp = wa_iget(o, "timestamp");
	s->recipient_id = wa_sdup(o, "recipient_id");
	s->recipient_user_id = wa_sdup(o, "recipient_user_id");
	s->conversation_id = wa_sdup(wa_oget(o, "conversation"), "id");
	s->pricing_category = wa_sdup(wa_oget(o, "pricing"), "category");
	s->opaque = wa_sdup(o, "biz_opaque_callback_data");
	wa_errors_parse(json_object_get(o, "errors"), &s->errors, &s->nerrors);

	/* In a group the customer is the participant, not the group id. */
	if (wa_eq(wa_sget(o, "recipient_type"), "group")) {
		wa_who_fill(&ev->who, contacts,
		    wa_sget(o, "recipient_participant_id"),
		    wa_sget(o, "recipient_participant_user_id"),
		    wa_sget(o, "recipient_participant_parent_user_id"));
		return;
	}
	/* Renamed on 2026-05-05; accept both spellings. */
	if ((parent = wa_sget(o, "recipient_parent_user_id")) == NULL)
		parent = wa_sget(o, "parent_recipient_user_id");
	wa_who_fill(&ev->who, contacts, s->recipient_id, s->recipient_user_id,
	    parent);
}

static void
wa_value_error(struct wa_ctx *c, json_t *o)
{
	struct wa_event	*ev;

	if (!json_is_object(o))
		return;
	if ((ev = wa_push(c, WA_EV_ERROR)) == NULL)
		return;
	wa_error_fill(&ev->u.error, o);
}

static void
wa_value_messages(struct wa_ctx *c, json_t *value, const char *arrkey,
    int outbound)
{
	json_t	*contacts, *arr, *item;
	size_t	 i;

	contacts = wa_aget(value, "contacts");
	if ((arr = wa_aget(value, arrkey)) != NULL) {
		json_array_foreach(arr, i, item)
			wa_message(c, item, contacts, outbound);
	}
	if (outbound)
		return;
	if ((arr = wa_aget(value, "statuses")) != NULL) {
		json_array_foreach(arr, i, item)
			wa_status(c, item, contacts);
	}
	if ((arr = wa_aget(value, "errors")) != NULL) {
		json_array_foreach(arr, i, item)
			wa_value_error(c, item);
	}
}

static void
wa_value_consent(struct wa_ctx *c, json_t *value)
{
	struct wa_event		*ev;
	struct wa_consent	*k;
	json_t			*contacts, *arr, *o;
	const char		*v;
	int			 opt_in;
	size_t			 i;

	contacts = wa_aget(value, "contacts");
	arr = wa_aget(value, "user_preferences");
	if (arr == NULL)
		return;
	json_array_foreach(arr, i, o) {
		if ((v = wa_sget(o, "value")) == NULL)
			continue;
		if (strcasecmp(v, "stop") == 0)
			opt_in = 0;
		else if (strcasecmp(v, "resume") == 0 ||
		    strcasecmp(v, "signup") == 0)
			opt_in = 1;
		else
			continue;	/* not a consent change we know */
		if ((ev = wa_push(c, WA_EV_CONSENT)) == NULL)
			return;
		k = &ev->u.consent;
		k->opt_in = opt_in;
		k->value = xstrdup(v);
		k->category = wa_sdup(o, "category");
		k->detail = wa_sdup(o, "detail");
		k->timestamp = wa_iget(o, "timestamp");
		wa_who_fill(&ev->who, contacts, wa_sget(o, "wa_id"),
		    wa_sget(o, "user_id"), wa_sget(o, "parent_user_id"));
	}
}

/* user_id_update[]: a BSUID rotated, {previous, current} pairs. */
static void
wa_value_user_id_update(struct wa_ctx *c, json_t *value)
{
	struct wa_event		*ev;
	struct wa_identity	*id;
	json_t			*contacts, *arr, *o, *u, *p;
	size_t			 i;

	contacts = wa_aget(value, "contacts");
	if ((arr = wa_aget(value, "user_id_update")) == NULL)
		return;
	json_array_foreach(arr, i, o) {
		if (!json_is_object(o))
			continue;
		if ((ev = wa_push(c, WA_EV_IDENTITY)) == NULL)
			return;
		id = &ev->u.ident;
		u = json_object_get(o, "user_id");
		if (json_is_object(u)) {
			id->old_user_id = wa_sdup(u, "previous");
			id->new_user_id = wa_sdup(u, "current");
		} else if (json_is_string(u))
			id->new_user_id = xstrdup(json_string_value(u));
		p = json_object_get(o, "parent_user_id");
		if (json_is_object(p)) {
			id->old_parent_user_id = wa_sdup(p, "previous");
			id->new_parent_user_id = wa_sdup(p, "current");
		} else if (json_is_string(p))
			id->new_parent_user_id = xstrdup(json_string_value(p));
		/* The phone number stays; it keys the contact. */
		id->old_wa_id = wa_sdup(o, "wa_id");
		id->new_wa_id = wa_sdup(o, "wa_id");
		id->detail = wa_sdup(o, "detail");
		id->timestamp = wa_iget(o, "timestamp");
		wa_who_fill(&ev->who, contacts, id->old_wa_id, id->old_user_id,
		    id->old_parent_user_id);
	}
}

static void
wa_value_template(struct wa_ctx *c, json_t *value)
{
	struct wa_event		*ev;
	struct wa_template	*t;

	if ((ev = wa_push(c, WA_EV_TEMPLATE)) == NULL)
		return;
	t = &ev->u.tmpl;
	t->template_id = wa_iddup(value, "message_template_id");
	t->name = wa_sdup(value, "message_template_name");
	t->language = wa_sdup(value, "message_template_language");
	t->event = wa_sdup(value, "event");
	t->reason = wa_sdup(value, "reason");
	t->quality = wa_sdup(value, "new_quality_score");
	if ((t->category = wa_sdup(value, "new_category")) == NULL)
		t->category = wa_sdup(value, "message_template_category");
	t->previous_category = wa_sdup(value, "previous_category");
	t->correct_category = wa_sdup(value, "correct_category");
}

static void
wa_value_kept(struct wa_ctx *c, json_t *value, enum wa_ev_kind kind)
{
	struct wa_event	*ev;

	if ((ev = wa_push(c, kind)) != NULL)
		ev->value = json_incref(value);
}

static int
wa_has(json_t *value, const char *key)
{
	return (json_object_get(value, key) != NULL);
}

/*
 * Dispatch on field and on the keys present: Meta's own examples carry the
 * wrong field name at times (template quality as a status update).
 */
static void
wa_change(struct wa_ctx *c, json_t *change)
{
	json_t		*value, *md;
	const char	*f;

	value = wa_oget(change, "value");
	if (value == NULL)
		return;
	c->field = f = wa_sget(change, "field");
	md = wa_oget(value, "metadata");
	c->phone_number_id = wa_sget(md, "phone_number_id");
	c->display_number = wa_sget(md, "display_phone_number");

	if (wa_eq(f, "history") || wa_eq(f, "smb_app_state_sync") ||
	    wa_eq(f, "calls"))
		wa_value_kept(c, value, WA_EV_OTHER);
	else if (wa_eq(f, "messages"))
		wa_value_messages(c, value, "messages", 0);
	else if (wa_eq(f, "smb_message_echoes") ||
	    wa_aget(value, "message_echoes") != NULL)
		wa_value_messages(c, value, "message_echoes", 1);
	else if (wa_eq(f, "user_preferences") ||
	    wa_aget(value, "user_preferences") != NULL)
		wa_value_consent(c, value);
	else if (wa_eq(f, "user_id_update") ||
	    wa_aget(value, "user_id_update") != NULL)
		wa_value_user_id_update(c, value);
	else if ((f != NULL && (strncmp(f, "message_template_", 17) == 0 ||
	    strcmp(f, "template_category_update") == 0)) ||
	    wa_has(value, "new_quality_score") ||
	    wa_has(value, "new_category") ||
	    wa_has(value, "message_template_id"))
		wa_value_template(c, value);
	else if (wa_in(f, wa_alert_fields))
		wa_value_kept(c, value, WA_EV_ALERT);
	else if (f == NULL && (wa_aget(value, "messages") != NULL ||
	    wa_aget(value, "statuses") != NULL ||
	    wa_aget(value, "errors") != NULL))
		/*
		 * Only without a field name: under an unknown field, messages
		 * may be old ones (as in history) and must not look new.
		 */
		wa_value_messages(c, value, "messages", 0);
	else
		wa_value_kept(c, value, WA_EV_OTHER);

	c->field = NULL;
	c->phone_number_id = NULL;
	c->display_number = NULL;
}

static void
wa_entry(struct wa_ctx *c, json_t *entry)
{
	json_t	*changes, *change;
	char	*waba_id;
	size_t	 i;

	if (!json_is_object(entry))
		return;
	if ((changes = wa_aget(entry, "changes")) == NULL)
		return;
	waba_id = wa_iddup(entry, "id");
	c->waba_id = waba_id;
	json_array_foreach(changes, i, change) {
		wa_change(c, change);
		if (c->overflow)
			break;
	}
	c->waba_id = NULL;
	free(waba_id);
}

int
wa_payload_parse(const char *body, size_t len, struct wa_batch *b, char **cause)
{
	struct wa_ctx	 c;
	json_error_t	 jerr;
	json_t		*root = NULL, *obj, *entries, *entry;
	size_t		 i;
	int		 rv = -1;

	memset(b, 0, sizeof *b);
	memset(&c, 0, sizeof c);
	c.batch = b;

	if (len > WA_BODY_MAX) {
		*cause = xasprintf("body too large (%zu bytes, limit %d)", len,
		    WA_BODY_MAX);
		goto out;
	}
	/*
	 * JSON_ALLOW_NUL: one "\u0000" in a customer's text should not cost
	 * the whole delivery; strings are cut at it instead. The error text
	 * from jansson quotes the input, so only the position is reported.
	 */
	if (body == NULL)
		len = 0;
	root = json_loadb(body == NULL ? "" : body, len, JSON_ALLOW_NUL, &jerr);
	if (root == NULL) {
		*cause = xasprintf("invalid JSON at line %d column %d",
		    jerr.line, jerr.column);
		goto out;
	}
	if (!json_is_object(root)) {
		*cause = xstrdup("JSON body is not an object");
		goto out;
	}
	obj = json_object_get(root, "object");
	if (obj != NULL && !wa_eq(json_string_value(obj),
	    "whatsapp_business_account")) {
		*cause = xstrdup("\"object\" is not whatsapp_business_account");
		goto out;
	}
	entries = json_object_get(root, "entry");
	if (!json_is_array(entries)) {
		*cause = xstrdup("\"entry\" missing or not an array");
		goto out;
	}
	json_array_foreach(entries, i, entry) {
		wa_entry(&c, entry);
		if (c.overflow)
			break;
	}
	if (c.overflow) {
		*cause = xasprintf("more than %d events in one body",
		    WA_EVENTS_MAX);
		goto out;
	}
	rv = 0;

out:
	if (rv != 0)
		wa_payload_free(b);
	json_decref(root);
	return (rv);
}

static void
wa_error_free(struct wa_error *e)
{
	free(e->title);
	free(e->message);
	free(e->details);
	free(e->href);
}

static void
wa_errors_free(struct wa_error *e, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		wa_error_free(&e[i]);
	free(e);
}

static void
wa_message_free(struct wa_message *m)
{
	free(m->wamid);
	free(m->type);
	free(m->subtype);
	free(m->phone_number_id);
	free(m->group_id);
	free(m->text);
	free(m->media_id);
	free(m->mime_type);
	free(m->sha256);
	free(m->filename);
	free(m->caption);
	free(m->media_url);
	free(m->reply_id);
	free(m->reaction_to);
	free(m->reaction_emoji);
	free(m->edits);
	free(m->revokes);
	free(m->context_id);
	free(m->context_from);
	free(m->referred_product);
	json_decref(m->referral);
	free(m->loc_name);
	free(m->loc_address);
	json_decref(m->shared);
	free(m->system_type);
	free(m->new_wa_id);
	free(m->new_user_id);
	wa_errors_free(m->errors, m->nerrors);
	json_decref(m->object);
}

static void
wa_event_free(struct wa_event *ev)
{
	struct wa_status_ev	*s;
	struct wa_identity	*id;
	struct wa_consent	*k;
	struct wa_template	*t;

	switch (ev->kind) {
	case WA_EV_MESSAGE:
		wa_message_free(&ev->u.msg);
		break;
	case WA_EV_STATUS:
		s = &ev->u.status;
		free(s->wamid);
		free(s->status_str);
		free(s->recipient_id);
		free(s->recipient_user_id);
		free(s->conversation_id);
		free(s->pricing_category);
		free(s->opaque);
		wa_errors_free(s->errors, s->nerrors);
		break;
	case WA_EV_IDENTITY:
		id = &ev->u.ident;
		free(id->old_wa_id);
		free(id->new_wa_id);
		free(id->old_user_id);
		free(id->new_user_id);
		free(id->old_parent_user_id);
		free(id->new_parent_user_id);
		free(id->detail);
		break;
	case WA_EV_CONSENT:
		k = &ev->u.consent;
		free(k->value);
		free(k->category);
		free(k->detail);
		break;
	case WA_EV_TEMPLATE:
		t = &ev->u.tmpl;
		free(t->template_id);
		free(t->name);
		free(t->language);
		free(t->event);
		free(t->reason);
		free(t->quality);
		free(t->category);
		free(t->previous_category);
		free(t->correct_category);
		break;
	case WA_EV_ERROR:
		wa_error_free(&ev->u.error);
		break;
	case WA_EV_ALERT:
	case WA_EV_OTHER:
		break;
	}
	free(ev->field);
	free(ev->waba_id);
	free(ev->phone_number_id);
	free(ev->display_number);
	wa_who_free(&ev->who);
	json_decref(ev->value);
}

void
wa_payload_free(struct wa_batch *b)
{
	size_t	i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nevents; i++)
		wa_event_free(&b->events[i]);
	free(b->events);
	b->events = NULL;
	b->nevents = 0;
}

const char *
wa_payload_status_name(enum wa_status st)
{
	switch (st) {
	case WA_ST_NONE:
		return ("none");
	case WA_ST_SENT:
		return ("sent");
	case WA_ST_DELIVERED:
		return ("delivered");
	case WA_ST_READ:
		return ("read");
	case WA_ST_PLAYED:
		return ("played");
	case WA_ST_FAILED:
		return ("failed");
	case WA_ST_UNKNOWN:
		break;
	}
	return ("unknown");
}

enum wa_status
wa_payload_status_parse(const char *s)
{
	if (s == NULL)
		return (WA_ST_NONE);
	if (strcasecmp(s, "sent") == 0)
		return (WA_ST_SENT);
	if (strcasecmp(s, "delivered") == 0)
		return (WA_ST_DELIVERED);
	if (strcasecmp(s, "read") == 0)
		return (WA_ST_READ);
	if (strcasecmp(s, "played") == 0)
		return (WA_ST_PLAYED);
	if (strcasecmp(s, "failed") == 0)
		return (WA_ST_FAILED);
	return (WA_ST_UNKNOWN);
}
