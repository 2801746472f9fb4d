/*
 * Sending methods: reply (text, template, attachment), react, the outbox
 * (list, retry, resume), templates (sync, list), typing and chunked
 * uploads. A reply is checked (restriction, 24-hour window, marketing
 * consent, collision guard), then message row, outbox row and audit record
 * commit together before the client hears back; the outbox sends later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "audit.h"
#include "daemon.h"
#include "errors.h"
#include "media.h"
#include "outbox.h"
#include "rpc.h"
#include "store.h"
#include "templates.h"
#include "upload.h"
#include "xmalloc.h"

#define RPC_SEND_TEXT_MAX	4096		/* characters (Meta) */
#define RPC_SEND_CAPTION_MAX	1024
#define RPC_SEND_CHUNK_MAX	(768 * 1024)	/* base64 bytes per frame */

/* A refusal is an agent action too: audited in its own commit. */
static json_t *
rpc_send_refuse(struct rpc_ctx *ctx, int64_t conv, int64_t contact,
    struct rpc_err *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static json_t *
rpc_send_refuse(struct rpc_ctx *ctx, int64_t conv, int64_t contact,
    struct rpc_err *err, const char *code, const char *fmt, ...)
{
	struct audit_rec	 rec = { "message.send", "conversation", 0, 0,
				    NULL, "refused", NULL };
	va_list			 ap;
	char			*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	rec.object_id = conv;
	rec.contact_id = contact;
	rec.detail = code;
	audit_append_commit(ctx->d, &ctx->who, &rec);
	rpc_error(err, code, "%s", msg);
	free(msg);
	return (NULL);
}

/* Seconds left in the customer-service window. */
static int64_t
rpc_send_window(int64_t last_inbound, int64_t now, unsigned hours)
{
	int64_t	left;

	if (last_inbound == 0)
		return (0);
	left = last_inbound + (int64_t)hours * 3600 - now;
	return (left > 0 ? left : 0);
}

static size_t
rpc_send_utf8_len(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

struct rpc_send {
	int64_t		 conv;
	const char	*type;		/* Graph message type */
	json_t		*obj;		/* the <type> object (stolen) */
	json_t		*body;		/* message row body (stolen) */
	const char	*preview;
	int		 is_template;
	const char	*category;	/* template category */
	int64_t		 media_id;	/* attachment blob to upload first */
	const uint8_t	*media_data;
	size_t		 media_len;
	const char	*media_mime;
	char		*context_wamid;	/* quoted message */
	const char	*react_wamid;	/* reaction target */
	const char	*detail;	/* audit detail (no personal data) */
};

static json_t *
rpc_send_queue(struct rpc_ctx *ctx, json_t *params, struct rpc_send *sd,
    struct rpc_err *err)
{
	struct daemon		*d = ctx->d;
	struct store		*s = &d->store;
	struct store_send_info	 si;
	struct store_conv_info	 ci;
	struct outbox_msg	 om;
	struct audit_rec	 rec = { "message.send", "message", 0, 0, NULL,
				    "ok", NULL };
	int64_t			 after = 0, msg_id, oid, now = time(NULL);
	int64_t			 held;
	json_t			*res = NULL, *react;
	char			*cause = NULL;
	int			 force, rc;

	if (rpc_param_int(params, "draft_started_after", 0, &after, 0,
	    INT64_MAX, err) != 0)
		goto out;
	force = json_is_true(json_object_get(params, "force"));
	if (store_conv_info(s, sd->conv, &ci) == 0 &&
	    rpc_may_act(ctx, &ci, params, err) != 0)
		goto out;
	if ((rc = store_send_info(s, sd->conv, &si)) != 0) {
		rpc_error(err, rc < 0 ? "internal" : "not_found", rc < 0 ?
		    "database error" : "no conversation %lld",
		    (long long)sd->conv);
		goto out;
	}
	held = outbox_held(s, &si, sd->is_template ? sd->category : NULL);
	if (held == ERRORS_HELD_RESTRICTED) {
		rpc_send_refuse(ctx, sd->conv, si.contact_id, err,
		    "restricted", "this contact is restricted (processing "
		    "restricted under GDPR Art. 18); nothing was sent");
		goto out_si;
	}
	if (held == ERRORS_HELD_ERASED) {
		rpc_send_refuse(ctx, sd->conv, si.contact_id, err,
		    "no_recipient", "this contact has no phone number or "
		    "WhatsApp user id (erased?); nothing was sent");
		goto out_si;
	}
	if (!sd->is_template && rpc_send_window(si.last_inbound_at, now,
	    d->conf.window_hours) == 0) {
		rpc_send_refuse(ctx, sd->conv, si.contact_id, err,
		    "window_closed", "the customer last wrote more than %u "
		    "hours ago, so WhatsApp allows only an approved template "
		    "now (support-inbox reply %lld --template NAME --lang "
		    "CODE); nothing was sent", d->conf.window_hours,
		    (long long)sd->conv);
		goto out_si;
	}
	if (held == ERRORS_HELD_CONSENT) {
		rpc_send_refuse(ctx, sd->conv, si.contact_id, err,
		    "no_consent", "this is a marketing template and the "
		    "customer has no recorded marketing opt-in; nothing was "
		    "sent");
		goto out_si;
	}
	if (after > 0 && si.last_inbound_msg > after && !force) {
		rpc_send_refuse(ctx, sd->conv, si.contact_id, err,
		    "collision", "the customer wrote again (message %lld) "
		    "after you started this reply; read it, then send again "
		    "(or force it); nothing was sent",
		    (long long)si.last_inbound_msg);
		goto out_si;
	}

	if (store_begin(s) != 0) {
		rpc_error(err, "internal", "database busy");
		goto out_si;
	}
	memset(&om, 0, sizeof om);
	om.conv = sd->conv;
	om.contact_id = si.contact_id;
	om.wa_id = si.wa_id;
	om.user_id = si.user_id;
	om.type = sd->type;
	om.obj = sd->obj;
	om.body = sd->body;
	om.preview = sd->preview;
	om.agent_id = ctx->agent.id;
	om.context_wamid = sd->context_wamid;
	om.media_data = sd->media_data;
	om.media_len = sd->media_len;
	om.media_mime = sd->media_mime;
	om.now = now;
	if (outbox_queue(d, &om, &msg_id, &oid, &cause) != 0)
		goto fail;
	if (sd->react_wamid != NULL) {
		react = json_pack("{ss sI ss}", "emoji", json_string_value(
		    json_object_get(sd->obj, "emoji")), "ts", (json_int_t)now,
		    "from", "us");
		rc = store_msg_amend(s, sd->react_wamid, "reaction", react,
		    now);
		json_decref(react);
		if (rc < 0)
			goto fail;
	}
	rec.object_id = msg_id;
	rec.contact_id = si.contact_id;
	rec.action = sd->react_wamid != NULL ? "message.react" :
	    "message.send";
	rec.detail = sd->detail;
	if (audit_append(d, &ctx->who, &rec) != 0)
		goto fail;
	if (store_commit(s, &cause) != 0) {
		rpc_error(err, "internal", "%s", cause);
		goto out_si;
	}
	outbox_kick(d->outbox);
	res = json_pack("{sI sI ss sI}", "message", (json_int_t)msg_id,
	    "conversation", (json_int_t)sd->conv, "state", "queued",
	    "outbox", (json_int_t)oid);
	goto out_si;
fail:
	store_rollback(s);
	rpc_error(err, "internal", "cannot queue the message%s%s",
	    cause != NULL ? ": " : "", cause != NULL ? cause : "");
out_si:
	store_send_info_clear(&si);
out:
	free(cause);
	return (res);
}

static void
rpc_send_release(struct rpc_send *sd)
{
	json_decref(sd->obj);
	json_decref(sd->body);
	if (sd->context_wamid != NULL)
		crypt_wipe_free(sd->context_wamid, strlen(sd->context_wamid));
}

static json_t *
rpc_send_reply(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct daemon	*d = ctx->d;
	struct rpc_send	 sd;
	const char	*text, *tname, *lang, *mime, *fname, *caption, *type;
	const char	*hlink = NULL, *htype;
	int64_t		 upload = 0, quote = 0, qconv, qcontact;
	json_t		*tparams, *res = NULL, *v;
	char		 category[32], *cause = NULL, preview[96];
	uint8_t		*data = NULL;
	size_t		 len = 0, i;
	int		 out;

	memset(&sd, 0, sizeof sd);
	if (rpc_param_int(params, "conv", 1, &sd.conv, 1, INT64_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "text", 0, &text, RPC_SEND_TEXT_MAX * 4,
	    err) != 0 ||
	    rpc_param_str(params, "template", 0, &tname, 512, err) != 0 ||
	    rpc_param_str(params, "lang", 0, &lang, 16, err) != 0 ||
	    rpc_param_int(params, "upload", 0, &upload, 1, INT64_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "mime", 0, &mime, 127, err) != 0 ||
	    rpc_param_str(params, "filename", 0, &fname, 240, err) != 0 ||
	    rpc_param_str(params, "caption", 0, &caption,
	    RPC_SEND_CAPTION_MAX * 4, err) != 0 ||
	    rpc_param_int(params, "reply_to", 0, &quote, 1, INT64_MAX,
	    err) != 0)
		return (NULL);
	/* With a template, an upload is the file of its media header. */
	if ((text != NULL) + (tname != NULL) + (upload != 0 &&
	    tname == NULL) != 1)
		return (rpc_error(err, "invalid", "give exactly one of text, "
		    "template or upload (or a template with the upload of "
		    "its header file)"));
	if (quote != 0) {
		if (store_msg_ref(&d->store, quote, &qconv, &qcontact, &out,
		    &sd.context_wamid) != 0 || qconv != sd.conv ||
		    sd.context_wamid == NULL) {
			rpc_send_release(&sd);
			return (rpc_error(err, "invalid", "message %lld is not "
			    "a sent or received message of conversation %lld",
			    (long long)quote, (long long)sd.conv));
		}
	}
	if (text != NULL) {
		if (text[0] == '\0' || rpc_send_utf8_len(text) >
		    RPC_SEND_TEXT_MAX) {
			rpc_send_release(&sd);
			return (rpc_error(err, "invalid", "a text reply has 1 "
			    "to %d characters", RPC_SEND_TEXT_MAX));
		}
		sd.type = "text";
		sd.obj = json_pack("{sb ss}", "preview_url", 0, "body", text);
		sd.body = json_pack("{ss}", "text", text);
		sd.preview = text;
		sd.detail = "text";
	} else if (tname != NULL) {
		if (lang == NULL) {
			rpc_send_release(&sd);
			return (rpc_error(err, "invalid", "a template needs its "
			    "language (lang), e.g. en_US"));
		}
		tparams = json_object_get(params, "params");
		if (tparams == NULL)
			tparams = json_array();
		else
			json_incref(tparams);
		json_array_foreach(tparams, i, v) {
			if (!json_is_string(v) || json_string_length(v) > 1024) {
				json_decref(tparams);
				rpc_send_release(&sd);
				return (rpc_error(err, "invalid", "template "
				    "parameters are strings of at most 1024 "
				    "bytes"));
			}
		}
		if (!json_is_array(tparams) || json_array_size(tparams) > 64) {
			json_decref(tparams);
			rpc_send_release(&sd);
			return (rpc_error(err, "invalid", "params must be an "
			    "array of at most 64 strings"));
		}
		if (rpc_param_str(params, "header_link", 0, &hlink, 2048,
		    err) != 0) {
			json_decref(tparams);
			rpc_send_release(&sd);
			return (NULL);
		}
		if (hlink != NULL && strncmp(hlink, "https://", 8) != 0) {
			json_decref(tparams);
			rpc_send_release(&sd);
			return (rpc_error(err, "invalid", "header_link must be "
			    "an https:// URL that Meta can fetch"));
		}
		htype = NULL;
		if (upload != 0) {
			if (hlink != NULL || mime == NULL) {
				json_decref(tparams);
				rpc_send_release(&sd);
				return (rpc_error(err, "invalid", "a header "
				    "file needs its mime type, and no link"));
			}
			if ((data = uploads_take(d->uploads,
			    ctx->agent.id, upload, &len, &cause)) == NULL) {
				json_decref(tparams);
				rpc_send_release(&sd);
				rpc_error(err, "not_found", "%s", cause);
				free(cause);
				return (NULL);
			}
			if ((htype = media_check(mime, len, &cause)) == NULL) {
				crypt_wipe_free(data, len);
				json_decref(tparams);
				rpc_send_release(&sd);
				rpc_error(err, "invalid", "%s; nothing was sent",
				    cause);
				free(cause);
				return (NULL);
			}
		}
		sd.obj = templates_build(d, tname, lang, tparams, hlink,
		    htype, category, sizeof category, &cause);
		if (sd.obj == NULL) {
			if (data != NULL)
				crypt_wipe_free(data, len);
			json_decref(tparams);
			rpc_send_release(&sd);
			rpc_send_refuse(ctx, sd.conv, 0, err, "template",
			    "%s; nothing was sent", cause);
			free(cause);
			return (NULL);
		}
		sd.type = "template";
		sd.is_template = 1;
		sd.category = category;
		sd.body = json_pack("{s{ss ss sO ss}}", "template", "name",
		    tname, "language", lang, "params", tparams, "category",
		    category);
		json_decref(tparams);
		if (data != NULL) {
			/* The header file shows in the thread like any. */
			json_object_set_new(sd.body, "media", json_pack(
			    "{ss sI}", "mime_type", mime, "size",
			    (json_int_t)len));
			if (fname != NULL)
				json_object_set_new(json_object_get(sd.body,
				    "media"), "filename", json_string(fname));
			sd.media_data = data;
			sd.media_len = len;
			sd.media_mime = mime;
		}
		snprintf(preview, sizeof preview, "[template] %s", tname);
		sd.preview = preview;
		sd.detail = tname;
	} else {
		if (mime == NULL) {
			rpc_send_release(&sd);
			return (rpc_error(err, "invalid", "an attachment needs "
			    "its mime type"));
		}
		if ((data = uploads_take(d->uploads, ctx->agent.id,
		    upload, &len, &cause)) == NULL) {
			rpc_send_release(&sd);
			rpc_error(err, "not_found", "%s", cause);
			free(cause);
			return (NULL);
		}
		if ((type = media_check(mime, len, &cause)) == NULL) {
			crypt_wipe_free(data, len);
			rpc_send_release(&sd);
			rpc_error(err, "invalid", "%s; nothing was sent", cause);
			free(cause);
			return (NULL);
		}
		sd.type = type;
		sd.obj = json_object();
		if (caption != NULL && strcmp(type, "audio") != 0 &&
		    strcmp(type, "sticker") != 0)
			json_object_set_new(sd.obj, "caption",
			    json_string(caption));
		if (fname != NULL && strcmp(type, "document") == 0)
			json_object_set_new(sd.obj, "filename",
			    json_string(fname));
		sd.body = json_pack("{s{ss sI}}", "media", "mime_type", mime,
		    "size", (json_int_t)len);
		if (caption != NULL)
			json_object_set_new(json_object_get(sd.body, "media"),
			    "caption", json_string(caption));
		if (fname != NULL)
			json_object_set_new(json_object_get(sd.body, "media"),
			    "filename", json_string(fname));
		snprintf(preview, sizeof preview, "[%s]%s%.80s", type,
		    caption != NULL ? " " : "", caption != NULL ? caption : "");
		sd.preview = preview;
		sd.media_data = data;
		sd.media_len = len;
		sd.media_mime = mime;
		sd.detail = type;
	}
	res = rpc_send_queue(ctx, params, &sd, err);
	if (data != NULL)
		crypt_wipe_free(data, len);
	rpc_send_release(&sd);
	return (res);
}

static json_t *
rpc_send_react(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct rpc_send	 sd;
	const char	*emoji;
	int64_t		 msg, conv, contact;
	char		*wamid = NULL, preview[64];
	int		 out;
	json_t		*res;

	memset(&sd, 0, sizeof sd);
	if (rpc_param_int(params, "conv", 1, &sd.conv, 1, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "msg", 1, &msg, 1, INT64_MAX, err) != 0 ||
	    rpc_param_str(params, "emoji", 1, &emoji, 32, err) != 0)
		return (NULL);
	if (rpc_send_utf8_len(emoji) > 8)
		return (rpc_error(err, "invalid", "a reaction is one emoji "
		    "(or empty to remove it)"));
	if (store_msg_ref(&ctx->d->store, msg, &conv, &contact, &out,
	    &wamid) != 0 || conv != sd.conv || wamid == NULL) {
		if (wamid != NULL)
			crypt_wipe_free(wamid, strlen(wamid));
		return (rpc_error(err, "invalid", "message %lld is not a sent "
		    "or received message of conversation %lld",
		    (long long)msg, (long long)sd.conv));
	}
	sd.type = "reaction";
	sd.obj = json_pack("{ss ss}", "message_id", wamid, "emoji", emoji);
	sd.body = json_pack("{s{sI ss}}", "reaction", "to_msg",
	    (json_int_t)msg, "emoji", emoji);
	snprintf(preview, sizeof preview, "[reaction] %s", emoji);
	sd.preview = preview;
	sd.react_wamid = wamid;
	sd.detail = "reaction";
	res = rpc_send_queue(ctx, params, &sd, err);
	rpc_send_release(&sd);
	crypt_wipe_free(wamid, strlen(wamid));
	return (res);
}

static json_t *
rpc_send_upload(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*b64, *code = NULL;
	int64_t		 id = 0;
	uint8_t		*bin;
	size_t		 binlen, total, cap;
	char		*cause = NULL;

	if (rpc_param_int(params, "upload", 0, &id, 0, INT64_MAX, err) != 0 ||
	    rpc_param_str(params, "data", 1, &b64, RPC_SEND_CHUNK_MAX,
	    err) != 0)
		return (NULL);
	cap = strlen(b64) / 4 * 3 + 3;
	bin = xmalloc(cap);
	if (sodium_base642bin(bin, cap, b64, strlen(b64), NULL, &binlen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bin);
		return (rpc_error(err, "invalid", "data is not base64"));
	}
	if (uploads_add(ctx->d->uploads, ctx->agent.id, &id, bin, binlen,
	    &total, &code, &cause) != 0) {
		crypt_wipe_free(bin, cap);
		rpc_error(err, code, "%s", cause);
		free(cause);
		return (NULL);
	}
	crypt_wipe_free(bin, cap);
	return (json_pack("{sI sI}", "upload", (json_int_t)id, "size",
	    (json_int_t)total));
}

/* An upload the client gives up on: its file goes now, not at expiry. */
static json_t *
rpc_send_upload_abort(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t	id;

	if (rpc_param_int(params, "upload", 1, &id, 1, INT64_MAX, err) != 0)
		return (NULL);
	if (uploads_abort(ctx->d->uploads, ctx->agent.id, id) != 0)
		return (rpc_error(err, "not_found", "no upload %lld of yours "
		    "in progress", (long long)id));
	return (json_pack("{sI}", "aborted", (json_int_t)id));
}

/* --- outbox --- */

static int
rpc_send_row(const struct store_outbox_row *r, void *arg)
{
	json_t				*arr = arg, *o;
	const struct errors_entry	*e;

	o = json_pack("{sI sI sI ss ss sI sI sI}", "message",
	    (json_int_t)r->message_id, "conversation", (json_int_t)r->conv_id,
	    "outbox", (json_int_t)r->id, "state", r->state, "type", r->type,
	    "attempts", (json_int_t)r->attempts,
	    "created", (json_int_t)(r->created / 1000),
	    "updated", (json_int_t)(r->updated / 1000));
	if (r->has_error) {
		e = errors_lookup(r->error_code);
		json_object_set_new(o, "error_code",
		    json_integer(r->error_code));
		json_object_set_new(o, "class", json_string(r->error_class[0] !=
		    '\0' ? r->error_class : errors_class_name(e->class)));
		/* A temporary error that outlasted every attempt. */
		if (strcmp(r->state, "failed") == 0 && e->class == ERRORS_RETRY)
			json_object_set_new(o, "explain", json_sprintf("Gave up "
			    "after %lld attempts. Last error: %s",
			    (long long)r->attempts, e->explain));
		else
			json_object_set_new(o, "explain",
			    json_string(e->explain));
	}
	if (strcmp(r->state, "queued") == 0 && r->next_attempt > 0)
		json_object_set_new(o, "next_attempt",
		    json_integer(r->next_attempt / 1000));
	json_array_append_new(arr, o);
	return (0);
}

static json_t *
rpc_send_outbox(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec = { "outbox.list", NULL, 0, 0, NULL, "ok",
				    NULL };
	const char		*state;
	int64_t			 conv = 0, limit = 100;
	json_t			*rows, *res;

	if (rpc_param_str(params, "state", 0, &state, 16, err) != 0 ||
	    rpc_param_int(params, "conv", 0, &conv, 0, INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, 1000, err) != 0)
		return (NULL);
	rows = json_array();
	if (json_is_true(json_object_get(params, "failed"))) {
		/* What needs an agent: failed, and sends in doubt. */
		store_outbox_list(&ctx->d->store, "failed", conv, limit,
		    rpc_send_row, rows);
		store_outbox_list(&ctx->d->store, "unknown", conv, limit,
		    rpc_send_row, rows);
	} else
		store_outbox_list(&ctx->d->store, state, conv, limit,
		    rpc_send_row, rows);
	if (audit_append_commit(ctx->d, &ctx->who, &rec) != 0) {
		json_decref(rows);
		return (rpc_error(err, "internal", "cannot write audit log"));
	}
	res = json_object();
	json_object_set_new(res, "rows", rows);
	json_object_set_new(res, "stats", outbox_stats(ctx->d->outbox));
	json_object_set_new(res, "alarms", outbox_alarms(ctx->d->outbox));
	return (res);
}

static json_t *
rpc_send_retry(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct daemon		*d = ctx->d;
	struct store_outbox_row	 r;
	struct store_send_info	 si;
	struct audit_rec	 rec = { "message.resend", "message", 0, 0,
				    NULL, "ok", NULL };
	int64_t			 msg;
	char			*cause = NULL;
	int			 open;

	if (rpc_param_int(params, "msg", 1, &msg, 1, INT64_MAX, err) != 0)
		return (NULL);
	if (store_outbox_get(&d->store, msg, 1, &r) != 0)
		return (rpc_error(err, "not_found", "message %lld is not an "
		    "outgoing message", (long long)msg));
	if (strcmp(r.state, "failed") != 0 && strcmp(r.state, "unknown") != 0)
		return (rpc_error(err, "invalid", "message %lld is %s; only "
		    "failed or unknown messages can be re-sent",
		    (long long)msg, r.state));
	if (store_send_info(&d->store, r.conv_id, &si) != 0)
		return (rpc_error(err, "internal", "database error"));
	open = rpc_send_window(si.last_inbound_at, time(NULL),
	    d->conf.window_hours) > 0;
	store_send_info_clear(&si);
	if (!open && strcmp(r.type, "template") != 0)
		return (rpc_send_refuse(ctx, r.conv_id, r.contact_id, err,
		    "window_closed", "the 24-hour window is closed; only a "
		    "template can go now; nothing was sent"));
	rec.object_id = msg;
	rec.contact_id = r.contact_id;
	rec.detail = r.state;
	if (store_begin(&d->store) != 0)
		return (rpc_error(err, "internal", "database busy"));
	if (store_outbox_set_state(&d->store, r.id, "queued", 0, 0, 0, 0,
	    NULL, daemon_now_ms()) != 0 ||
	    store_outbox_msg_reset(&d->store, msg) != 0 ||
	    audit_append(d, &ctx->who, &rec) != 0) {
		store_rollback(&d->store);
		return (rpc_error(err, "internal", "cannot re-queue"));
	}
	if (store_commit(&d->store, &cause) != 0) {
		rpc_error(err, "internal", "%s", cause);
		free(cause);
		return (NULL);
	}
	outbox_kick(d->outbox);
	return (json_pack("{sI ss}", "message", (json_int_t)msg, "state",
	    "queued"));
}

static json_t *
rpc_send_resume(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec = { "outbox.resume", NULL, 0, 0, NULL,
				    "ok", NULL };
	char			*cause = NULL;
	int			 was;

	(void)params;
	was = outbox_paused(ctx->d->outbox);
	if (outbox_resume(ctx->d->outbox, &cause) != 0) {
		rpc_error(err, "invalid", "%s", cause);
		free(cause);
		return (NULL);
	}
	if (audit_append_commit(ctx->d, &ctx->who, &rec) != 0)
		return (rpc_error(err, "internal", "cannot write audit log"));
	return (json_pack("{sb sb}", "resumed", 1, "was_paused", was));
}

/* --- templates and typing --- */

static json_t *
rpc_send_tsync(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec = { "templates.sync", NULL, 0, 0, NULL,
				    "ok", NULL };

	(void)params;
	if (audit_append_commit(ctx->d, &ctx->who, &rec) != 0)
		return (rpc_error(err, "internal", "cannot write audit log"));
	templates_sync(ctx->d->templates);
	return (templates_state(ctx->d->templates));
}

static json_t *
rpc_send_tlist(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t	*rows, *t, *in;
	size_t	 i;
	char	*cause;

	(void)params; (void)err;
	rows = store_template_list(&ctx->d->store);
	/* What each asks for, so a client can prompt by name. */
	json_array_foreach(rows, i, t) {
		cause = NULL;
		if ((in = templates_inputs(t, &cause)) != NULL) {
			json_object_set(t, "params", json_object_get(in,
			    "params"));
			json_object_set(t, "header", json_object_get(in,
			    "header"));
			json_decref(in);
		} else {
			json_object_set_new(t, "unsendable",
			    json_string(cause));
			free(cause);
		}
	}
	return (json_pack("{so so}", "sync",
	    templates_state(ctx->d->templates), "templates", rows));
}

static json_t *
rpc_send_typing(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t	id, contact;

	if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0)
		return (NULL);
	if (store_conv_contact(&ctx->d->store, id, &contact) != 0)
		return (rpc_error(err, "not_found", "no conversation %lld",
		    (long long)id));
	if (!ctx->d->conf.typing_indicator)
		return (json_pack("{sb}", "sent", 0));
	outbox_mark_read(ctx->d->outbox, id, 1);
	return (json_pack("{sb}", "sent", 1));
}

const struct rpc_method rpc_send_methods[] = {
	{ "reply",		RPC_AGENT,	0,	rpc_send_reply },
	{ "react",		RPC_AGENT,	0,	rpc_send_react },
	{ "upload.chunk",	RPC_AGENT,	0,	rpc_send_upload },
	{ "upload.abort",	RPC_AGENT,	0,	rpc_send_upload_abort },
	{ "outbox.list",	RPC_AGENT,	RPC_READONLY,	rpc_send_outbox },
	{ "outbox.retry",	RPC_AGENT,	0,	rpc_send_retry },
	{ "outbox.resume",	RPC_ADMIN,	0,	rpc_send_resume },
	{ "templates.sync",	RPC_AGENT,	0,	rpc_send_tsync },
	{ "templates.list",	RPC_AGENT,	RPC_READONLY,	rpc_send_tlist },
	{ "conv.typing",	RPC_AGENT,	0,	rpc_send_typing },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
