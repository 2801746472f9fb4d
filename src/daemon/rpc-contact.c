/*
 * contact.*: a contact's details and revealing its number. Each read
 * passes the read gate (rpc_privacy_may_read, rpc-privacy.c) and is
 * audited with its purpose. contact.show also gives the customer's
 * context for the contact panel: their other conversations, labels,
 * notes, consent, first and last contact and language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "buf.h"
#include "contact-io.h"
#include "daemon.h"
#include "phone.h"
#include "block.h"
#include "crypt.h"
#include "daemon.h"
#include "privacy.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

/* The latest opt-in or opt-out per purpose: {"marketing": {...}, ...}. */
static json_t *
rpc_contact_consent(struct rpc_ctx *ctx, int64_t cid)
{
	json_t	*hist, *out, *r;
	size_t	 i;

	out = json_object();
	hist = store_consent_history(&ctx->d->store, cid);
	/* oldest first: a later record of a purpose replaces an earlier */
	json_array_foreach(hist, i, r) {
		if (!json_is_string(json_object_get(r, "purpose")))
			continue;
		json_object_set_new(out, json_string_value(json_object_get(r,
		    "purpose")), json_pack("{sO sO sO}", "opt_in",
		    json_object_get(r, "opt_in"), "ts", json_object_get(r,
		    "ts"), "source", json_object_get(r, "source")));
		/* "informed" (issue 16): which notice version was sent. */
		if (json_object_get(r, "text_version") != NULL)
			json_object_set(json_object_get(out, json_string_value(
			    json_object_get(r, "purpose"))), "text_version",
			    json_object_get(r, "text_version"));
	}
	json_decref(hist);
	return (out);
}

/*
 * A preview of another conversation is as personal as the conversation:
 * the read gate's rule (rpc_privacy_may_read) for each. What is the
 * caller's or unassigned is shown; someone else's only with a purpose
 * when purpose_required is set. The contact itself passed the gate.
 */
static void
rpc_contact_gate_previews(struct rpc_ctx *ctx, json_t *res,
    const char *purpose)
{
	json_t		*c;
	const char	*who;
	size_t		 i;

	if (purpose != NULL || !ctx->d->conf.purpose_required)
		return;
	json_array_foreach(json_object_get(res, "conversations"), i, c) {
		who = json_string_value(json_object_get(c, "assignee"));
		if (who == NULL || *who == '\0' || strcmp(who,
		    ctx->agent.name) == 0)
			continue;
		json_object_set_new(c, "preview", json_string(""));
		json_object_set_new(c, "preview_withheld", json_true());
	}
}

static json_t *
rpc_contact_read(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err,
    int reveal)
{
	const char	*action = reveal ? "contact.reveal" : "contact.view";
	const char	*purpose;
	int64_t		 cid, conv;
	json_t		*res;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "purpose", 0, &purpose, err) != 0)
		return (NULL);
	/* The panel of a conversation opened from a mention of the caller. */
	if (!reveal && conv != 0 && rpc_note_via_mention(ctx, params, action,
	    conv, cid, &purpose, err) != 0)
		return (NULL);
	if (rpc_privacy_may_read(ctx, action, cid, conv, purpose, err) != 0)
		return (NULL);
	if ((res = store_contact_detail(&ctx->d->store, cid, reveal)) == NULL)
		return (rpc_error(err, PE_NOT_FOUND, "no contact %lld",
		    (long long)cid));
	rpc_privacy_audit_read(ctx, action, cid, purpose);
	if (reveal)
		return (res);
	json_object_set_new(res, "marketing_consent", json_boolean(
	    store_consent_current(&ctx->d->store, cid, "marketing") == 1));
	if (store_contact_context(&ctx->d->store, cid, res) != 0) {
		json_decref(res);
		return (rpc_error(err, PE_INTERNAL, "database error"));
	}
	rpc_contact_gate_previews(ctx, res, purpose);
	json_object_set_new(res, "consent", rpc_contact_consent(ctx, cid));
	json_object_set_new(res, "attributes", store_attribute_values(
	    &ctx->d->store, cid));
	return (res);
}

static json_t *
rpc_contact_show(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_contact_read(ctx, params, err, 0));
}

static json_t *
rpc_contact_reveal(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t	*full, *res;

	if ((full = rpc_contact_read(ctx, params, err, 1)) == NULL)
		return (NULL);
	/* Only what was asked for: the identifiers. */
	res = json_pack("{sO sO sO}", "contact_id", json_object_get(full,
	    "contact_id"), "phone", json_object_get(full, "phone"),
	    "user_id", json_object_get(full, "user_id"));
	json_decref(full);
	return (res);
}

/* --- the contacts issue (15): list, search, edit --- */

#define RPC_CONTACT_PAGE	200
#define RPC_CONTACT_FOUND	100

/* Restricted contacts (Art. 18) are not listed to the agent role. */
static int
rpc_contact_hides_restricted(struct rpc_ctx *ctx)
{
	return (strcmp(ctx->agent.role, "agent") == 0);
}

/* The list rows of ids, restricted ones left out for agents. */
static json_t *
rpc_contact_rows(struct rpc_ctx *ctx, const int64_t *ids, int n)
{
	json_t	*arr, *row;
	int	 i;

	arr = json_array();
	for (i = 0; i < n; i++) {
		if ((row = store_contact_row(&ctx->d->store, ids[i])) == NULL)
			continue;
		if (rpc_contact_hides_restricted(ctx) && json_is_true(
		    json_object_get(row, "restricted"))) {
			json_decref(row);
			continue;
		}
		json_array_append_new(arr, row);
	}
	return (arr);
}

/*
 * The names and masked numbers of many contacts at once: one record per
 * page, with its purpose if given (never the names).
 */
static json_t *
rpc_contact_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*order = "newest", *purpose;
	int64_t		 before = 0, offset = 0, limit = 50;
	int64_t		 ids[RPC_CONTACT_PAGE];
	json_t		*rows, *res;
	int		 n;

	if (rpc_param_str(params, "order", 0, &order, 16, err) != 0 ||
	    rpc_param_int(params, "before", 0, &before, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "offset", 0, &offset, 0, 1000000, err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_CONTACT_PAGE,
	    err) != 0 ||
	    rpc_privacy_text(params, "purpose", 0, &purpose, err) != 0)
		return (NULL);
	if (order == NULL)
		order = "newest";
	if (strcmp(order, "newest") == 0) {
		rows = store_contact_page(&ctx->d->store, before, (int)limit,
		    rpc_contact_hides_restricted(ctx));
		res = json_pack("{ss so}", "order", order, "contacts", rows);
		if (json_array_size(rows) == (size_t)limit)
			json_object_set(res, "before", json_object_get(
			    json_array_get(rows, json_array_size(rows) - 1),
			    "contact_id"));
	} else if (strcmp(order, "name") == 0) {
		n = store_search_names(&ctx->d->store, NULL, offset, ids,
		    (int)limit);
		rows = rpc_contact_rows(ctx, ids, n);
		res = json_pack("{ss so sI}", "order", order, "contacts", rows,
		    "offset", (json_int_t)offset);
		if (n == (int)limit)
			json_object_set_new(res, "next_offset",
			    json_integer(offset + n));
		if (store_search_building(&ctx->d->store))
			json_object_set_new(res, "partial", json_true());
	} else
		return (rpc_error(err, PE_INVALID, "order is newest or name"));
	ctx->audit = (struct audit_rec){ .action = "contact.list",
	    .object_type = "contact", .purpose = purpose, .result = "ok" };
	rpc_audit_detail(ctx, "%zu contacts, by %s", json_array_size(rows),
	    order);
	return (res);
}

/*
 * The digits of a number as a person types it ("0151 2345678", "+49 (151)
 * 234-5678", "…4711"); 1 if q is such a number, else 0.
 */
static int
rpc_contact_digits(const char *q, char *out, size_t outsz)
{
	size_t	n = 0;

	for (; *q != '\0'; q++) {
		if (*q >= '0' && *q <= '9') {
			if (n + 1 >= outsz)
				return (0);
			out[n++] = *q;
		} else if (strncmp(q, "…", strlen("…")) == 0)
			q += strlen("…") - 1;
		else if (strchr(" +-./()", *q) == NULL)
			return (0);
	}
	out[n] = '\0';
	return (n >= 4);
}

static json_t *
rpc_contact_search(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*q, *purpose, *colon, *kind;
	char		 name[STORE_ATTR_NAME_MAX + 1], digits[32], why[200];
	char		 e164[PHONE_E164_MAX + 1];
	const char	*why_phone;
	int64_t		 limit = 20, ids[RPC_CONTACT_FOUND];
	size_t		 nl, nz;
	int		 n;

	if (rpc_param_str(params, "q", 1, &q, 200, err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_CONTACT_FOUND,
	    err) != 0 ||
	    rpc_privacy_text(params, "purpose", 0, &purpose, err) != 0)
		return (NULL);
	while (*q == ' ')
		q++;
	if (*q == '\0')
		return (rpc_error(err, PE_INVALID, "give a name, a number (or "
		    "its last digits) or ATTRIBUTE:VALUE"));
	ctx->audit = (struct audit_rec){ .action = "contact.search",
	    .object_type = "contact", .purpose = purpose, .result = "ok" };
	colon = strchr(q, ':');
	nl = colon != NULL ? (size_t)(colon - q) : 0;
	if (colon != NULL && nl > 0 && nl <= STORE_ATTR_NAME_MAX) {
		memcpy(name, q, nl);
		name[nl] = '\0';
		if (!store_attribute_valid_name(name))
			return (rpc_error(err, PE_INVALID, "'%s' is not an "
			    "attribute name (see: support-inbox attribute "
			    "list)", name));
		n = store_attribute_find(&ctx->d->store, name, colon + 1, ids,
		    (int)limit, why, sizeof why);
		if (n < 0)
			return (rpc_error(err, PE_INVALID, "%s: %s", name, why));
		kind = "attribute";
		rpc_audit_detail(ctx, "by attribute %s", name);
	} else if (rpc_contact_digits(q, digits, sizeof digits)) {
		/*
		 * A whole international number ("+49 (0)151 ...", "0049
		 * ...") normalised (phone.c) is its E.164 digits, which the
		 * phone endings index whole; anything else is an ending as
		 * typed, or one typed nationally ("0151 ..."): without the
		 * trunk prefix's zeros it ends like the stored number.
		 */
		n = 0;
		if (phone_normalise(q, ctx->d->conf.default_country, e164,
		    sizeof e164, &why_phone) ==
		    0) {
			n = store_phone_find(&ctx->d->store, e164 + 1, ids,
			    (int)limit);
			sodium_memzero(e164, sizeof e164);
		}
		if (n == 0)
			n = store_phone_find(&ctx->d->store, digits, ids,
			    (int)limit);
		nz = strspn(digits, "0");
		if (n == 0 && nz > 0 && strlen(digits + nz) >= 4)
			n = store_phone_find(&ctx->d->store, digits + nz, ids,
			    (int)limit);
		rpc_audit_detail(ctx, "by number ending (%zu digits)",
		    strlen(digits));
		sodium_memzero(digits, sizeof digits);
		kind = "phone";
	} else {
		n = store_search_names(&ctx->d->store, q, 0, ids, (int)limit);
		ctx->audit.detail = "by name";
		kind = "name";
	}
	return (json_pack("{ss so sb}", "match", kind, "contacts",
	    rpc_contact_rows(ctx, ids, n), "partial",
	    store_search_building(&ctx->d->store) != 0));
}

/* A language code: "de", "pt_BR", "es-419" (2-3 letters, a region). */
static int
rpc_contact_valid_language(const char *l)
{
	size_t	n = strspn(l, "abcdefghijklmnopqrstuvwxyz"), r;

	if (n < 2 || n > 3)
		return (0);
	if (l[n] == '\0')
		return (1);
	if (l[n] != '_' && l[n] != '-')
		return (0);
	r = strspn(l + n + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789");
	return (r >= 2 && r <= 4 && l[n + 1 + r] == '\0');
}

static json_t *
rpc_contact_edit(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*name, *language, *purpose, *key;
	json_t		*attrs, *v, *changed, *c;
	struct buf	 what;
	char		 why[200], num[64];
	int64_t		 cid, conv;
	size_t		 i;
	int		 rc;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "purpose", 0, &purpose, err) != 0 ||
	    rpc_privacy_text(params, "name", 0, &name, err) != 0 ||
	    rpc_param_str(params, "language", 0, &language, 16, err) != 0)
		return (NULL);
	attrs = json_object_get(params, "attributes");
	if (attrs != NULL && !json_is_object(attrs))
		return (rpc_error(err, PE_INVALID, "'attributes' is an object "
		    "{NAME: VALUE or null}"));
	if (json_object_size(attrs) > STORE_ATTR_DEFS_MAX)
		return (rpc_error(err, PE_INVALID, "too many attributes"));
	if (name == NULL && language == NULL && json_object_size(attrs) == 0)
		return (rpc_error(err, PE_INVALID, "nothing to change: give "
		    "'name', 'language' or 'attributes'"));
	if (name != NULL && strlen(name) > 128)
		return (rpc_error(err, PE_INVALID, "a name is at most 128 "
		    "bytes"));
	if (language != NULL && *language != '\0' &&
	    !rpc_contact_valid_language(language))
		return (rpc_error(err, PE_INVALID, "a language is a code such "
		    "as de, en_GB or pt-BR (empty: none)"));
	json_object_foreach(attrs, key, v) {
		if (!json_is_string(v) && !json_is_null(v) &&
		    !json_is_number(v) && !json_is_boolean(v))
			return (rpc_error(err, PE_INVALID, "attribute '%.32s': "
			    "a value is a string, number, bool or null", key));
	}
	if (rpc_privacy_may_read(ctx, "contact.edit", cid, conv, purpose,
	    err) != 0)
		return (NULL);
	changed = json_array();
	buf_init(&what, 0);
	if (name != NULL) {
		if (store_contact_edit(&ctx->d->store, cid, "name", name) != 0)
			goto fail;
		json_array_append_new(changed, json_string("name"));
	}
	if (language != NULL) {
		if (store_contact_edit(&ctx->d->store, cid, "language",
		    *language != '\0' ? language : NULL) != 0)
			goto fail;
		json_array_append_new(changed, json_string("language"));
	}
	json_object_foreach(attrs, key, v) {
		num[0] = '\0';
		if (json_is_integer(v))
			snprintf(num, sizeof num, "%lld",
			    (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(num, sizeof num, "%.6f", json_real_value(v));
		else if (json_is_boolean(v))
			snprintf(num, sizeof num, "%s", json_is_true(v) ?
			    "true" : "false");
		rc = store_contact_attr_set(&ctx->d->store, cid, key,
		    json_is_string(v) ? json_string_value(v) : json_is_null(v) ?
		    NULL : num, why, sizeof why);
		if (rc == 1) {
			json_decref(changed);
			buf_release(&what);
			return (rpc_error(err, PE_INVALID, "attribute '%.32s': "
			    "%s", key, why));
		}
		if (rc != 0)
			goto fail;
		json_array_append_new(changed, json_string(key));
	}
	/* The fields changed, never their values. */
	json_array_foreach(changed, i, c)
		buf_addf(&what, "%s%s", i > 0 ? ", " : "",
		    json_string_value(c));
	ctx->audit = (struct audit_rec){ .action = "contact.edit",
	    .object_type = "contact", .object_id = cid, .contact_id = cid,
	    .purpose = purpose, .result = "ok" };
	rpc_audit_detail(ctx, "%s", what.data != NULL ? what.data : "");
	buf_release(&what);
	return (json_pack("{sI so}", "contact_id", (json_int_t)cid, "changed",
	    changed));
fail:
	json_decref(changed);
	buf_release(&what);
	return (rpc_error(err, PE_INTERNAL, "database error"));
}

/* params[key] as a contact (privacy_contact's forms); 0, or -1 err set. */
static int
rpc_contact_ref(struct rpc_ctx *ctx, json_t *params, const char *key,
    int64_t *cid, struct rpc_err *err)
{
	const char	*spec;
	char		*cause = NULL;
	int		 rc;

	if (rpc_param_str(params, key, 1, &spec, 128, err) != 0)
		return (-1);
	if ((rc = privacy_contact(ctx->d, spec, cid, &cause)) != 0) {
		rpc_error(err, rc < 0 ? PE_INVALID : PE_NOT_FOUND, "%s: %s",
		    key, cause);
		free(cause);
		return (-1);
	}
	return (0);
}

/*
 * contact.merge: "from" is folded into "into" (store_contact_merge).
 * A supervisor's act: a wrong merge shows one customer's conversations
 * under another's name and cannot be taken apart again. One record, on
 * the kept contact, naming the other by its internal id only.
 */
static json_t *
rpc_contact_merge(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec;
	int64_t			 into, from;
	const char		*why;
	int			 rc;

	if (rpc_contact_ref(ctx, params, "into", &into, err) != 0 ||
	    rpc_contact_ref(ctx, params, "from", &from, err) != 0)
		return (NULL);
	rc = store_contact_merge(&ctx->d->store, into, from, ctx->who.agent_id,
	    (int64_t)time(NULL), &why);
	if (rc < 0)
		return (rpc_error(err, PE_INTERNAL, "database error; nothing "
		    "was merged"));
	if (rc > 0) {
		rec = (struct audit_rec){ .action = "contact.merge",
		    .object_type = "contact", .object_id = into,
		    .contact_id = into, .result = "refused", .detail = why };
		rpc_audit_refusal(ctx, &rec);
		return (rpc_error(err, into == from ? PE_INVALID : PE_CONFLICT,
		    "%s; nothing was merged", why));
	}
	ctx->audit = (struct audit_rec){ .action = "contact.merge",
	    .object_type = "contact", .object_id = into, .contact_id = into,
	    .result = "ok" };
	rpc_audit_detail(ctx, "contact %lld merged into %lld",
	    (long long)from, (long long)into);
	rpc_event(ctx, PEV_CONTACT_MERGED, json_pack("{sI sI}", "into",
	    (json_int_t)into, "from", (json_int_t)from));
	return (json_pack("{sI sI sI}", "contact_id", (json_int_t)into,
	    "merged", (json_int_t)from, "conversations",
	    (json_int_t)store_contact_conv_count(&ctx->d->store, into)));
}

/*
 * contact.block, contact.unblock: the request goes to the Cloud API now
 * (block.c); its outcome is stored, audited and announced when Meta
 * answers. WhatsApp blocks by number: a BSUID-only contact cannot be.
 */
static json_t *
rpc_contact_blocking(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err, int on)
{
	struct audit_rec	 rec;
	const char		*action = on ? "contact.block" : "contact.unblock";
	const char		*reason;
	int64_t			 cid, conv;
	char			*wa, *cause = NULL;
	int			 rc;

	if (rpc_privacy_target(ctx, params, &cid, &conv, err) != 0 ||
	    rpc_privacy_text(params, "reason", 0, &reason, err) != 0)
		return (NULL);
	rec = (struct audit_rec){ .action = action, .object_type = "contact",
	    .object_id = cid, .contact_id = cid, .result = "refused" };
	if ((wa = store_contact_wa_id(&ctx->d->store, cid)) == NULL) {
		rec.detail = "no phone number";
		rpc_audit_refusal(ctx, &rec);
		return (rpc_error(err, PE_NO_RECIPIENT, "contact %lld has no "
		    "phone number (a username-only customer): WhatsApp blocks "
		    "by number", (long long)cid));
	}
	rc = block_start(ctx->d, &ctx->who, cid, on, wa, &cause);
	crypt_wipe_free(wa, strlen(wa));
	if (rc != 0) {
		rec.detail = "not sent";
		rpc_audit_refusal(ctx, &rec);
		rpc_error(err, PE_NOT_READY, "cannot %s: %s", on ? "block" :
		    "unblock", cause);
		free(cause);
		return (NULL);
	}
	/* The request; the outcome is a record of its own (block.c). */
	ctx->audit = (struct audit_rec){ .action = action,
	    .object_type = "contact", .object_id = cid, .contact_id = cid,
	    .result = "requested", .detail = reason };
	return (json_pack("{sI sb sb}", "contact_id", (json_int_t)cid,
	    "blocked", store_contact_blocked(&ctx->d->store, cid), "pending",
	    1));
}

static json_t *
rpc_contact_block(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_contact_blocking(ctx, params, err, 1));
}

static json_t *
rpc_contact_unblock(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_contact_blocking(ctx, params, err, 0));
}

/* Audited reads: RPC_WRITE for the record, RPC_READONLY for the rest. */
const struct rpc_method rpc_contact_methods[] = {
	{ PM_CONTACT_SHOW,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_contact_show },
	{ PM_CONTACT_REVEAL,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_contact_reveal },
	{ PM_CONTACT_LIST,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_contact_list },
	{ PM_CONTACT_SEARCH,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_contact_search },
	{ PM_CONTACT_EDIT,	RPC_AGENT,	RPC_WRITE,	rpc_contact_edit },
	{ PM_CONTACT_MERGE,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_contact_merge },
	{ PM_CONTACT_BLOCK,	RPC_AGENT,	RPC_WRITE,
	    rpc_contact_block },
	{ PM_CONTACT_UNBLOCK,	RPC_AGENT,	RPC_WRITE,
	    rpc_contact_unblock },
	/* Bulk personal data in and out: supervisors (contact-io.c). */
	{ PM_CONTACT_IMPORT,	RPC_SUPERVISOR,	RPC_WRITE,
	    contact_io_import },
	{ PM_CONTACT_EXPORT,	RPC_SUPERVISOR,	RPC_WRITE | RPC_READONLY,
	    contact_io_export },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
