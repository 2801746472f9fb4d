/*
 * The "send" room: the sending methods with no namespace, reply (text,
 * template, attachment) and react. A reply is built (one builder per
 * kind: the message to queue, or an error), checked (the assignment
 * policy, outbox_held's restriction, erasure and consent rules, the
 * customer-service window, the collision guard), then queued in the
 * dispatcher's transaction: message row, outbox row and audit record
 * commit together before the client hears back; the outbox sends after
 * the commit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "crypt.h"
#include "interactive.h"
#include "daemon.h"
#include "meta-errors.h"
#include "media.h"
#include "numbers.h"
#include "outbox.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"
#include "templates.h"
#include "tpl-render.h"
#include "upload.h"
#include "utf8.h"
#include "window.h"
#include "xmalloc.h"

#define RPC_SEND_TEXT_MAX	4096		/* characters (Meta) */
#define RPC_SEND_CAPTION_MAX	1024
#define RPC_SEND_HOLD_MAX	60		/* seconds: the undo window */

json_t *
rpc_send_refuse(struct rpc_ctx *ctx, int64_t conv, int64_t contact,
    struct rpc_err *err, const char *code, const char *fmt, ...)
{
	struct audit_rec	 rec = { .action = "message.send",
				    .object_type = "conversation",
				    .object_id = conv, .contact_id = contact,
				    .detail = code, .result = "refused" };
	va_list			 ap;
	char			*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	/* A refusal is an agent action too: it stands after the roll-back. */
	rpc_audit_refusal(ctx, &rec);
	rpc_error(err, code, "%s", msg);
	free(msg);
	return (NULL);
}

/* What a reply asks for: its parameters, checked for type and size. */
struct rpc_send_in {
	json_t		*params;
	const char	*text;
	const char	*tname;		/* template */
	const char	*lang;
	int64_t		 upload;	/* attachment, or template header */
	const char	*mime;
	const char	*fname;
	const char	*caption;
	int64_t		 quote;		/* reply_to */
	json_t		*interactive;	/* buttons or a list (interactive.h) */
};

/* The message to queue, as a builder leaves it: rpc_send_release frees. */
struct rpc_send {
	int64_t		 conv;
	/* conv.start's number, the conversation not made yet (else NULL) */
	const struct conf_number *num;
	const char	*type;		/* Graph message type */
	json_t		*obj;		/* the <type> object */
	json_t		*body;		/* message row body */
	const char	*preview;
	char		 pbuf[96];	/* a preview built here */
	char		*ptext;		/* or an allocated one (wiped) */
	char		*ipreview;	/* an interactive message's */
	int		 is_template;
	char		 category[32];	/* template category */
	int64_t		 upload;	/* taken (uploads_take) */
	uint8_t		*media_data;	/* its bytes, to seal and upload */
	size_t		 media_len;
	const char	*media_mime;
	char		*context_wamid;	/* quoted message */
	char		*react_wamid;	/* reaction target */
	const char	*detail;	/* audit detail (no personal data) */
};

typedef int (*rpc_send_builder)(struct rpc_ctx *, const struct rpc_send_in *,
    struct rpc_send *, struct rpc_err *);

static void
rpc_send_release(struct rpc_send *sd)
{
	json_decref(sd->obj);
	json_decref(sd->body);
	if (sd->media_data != NULL)
		crypt_wipe_free(sd->media_data, sd->media_len);
	if (sd->context_wamid != NULL)
		crypt_wipe_free(sd->context_wamid, strlen(sd->context_wamid));
	if (sd->react_wamid != NULL)
		crypt_wipe_free(sd->react_wamid, strlen(sd->react_wamid));
	if (sd->ptext != NULL)
		crypt_wipe_free(sd->ptext, strlen(sd->ptext));
	if (sd->ipreview != NULL)
		crypt_wipe_free(sd->ipreview, strlen(sd->ipreview));
}

/* The wamid of message msg of conversation conv: a quote, a reaction's. */
static int
rpc_send_wamid(struct rpc_ctx *ctx, int64_t msg, int64_t conv, char **wamid,
    struct rpc_err *err)
{
	int64_t	c, contact;
	int	out;

	if (store_msg_ref(&ctx->d->store, msg, &c, &contact, &out,
	    wamid) == STORE_FOUND && c == conv && *wamid != NULL)
		return (0);
	rpc_error(err, PE_INVALID, "message %lld is not a sent or received "
	    "message of conversation %lld", (long long)msg, (long long)conv);
	return (-1);
}

/*
 * The file a reply sends (an attachment, a template's header): the upload
 * taken into sd, its type checked against Meta's limits. The type, or NULL
 * with err set.
 */
static const char *
rpc_send_file(struct rpc_ctx *ctx, const struct rpc_send_in *in,
    struct rpc_send *sd, struct rpc_err *err)
{
	const char	*type;
	char		*cause = NULL;

	sd->media_data = uploads_take(ctx->d->uploads, ctx->agent.id,
	    in->upload, &sd->media_len, &cause);
	if (sd->media_data == NULL) {
		rpc_error(err, PE_NOT_FOUND, "%s", cause);
		free(cause);
		return (NULL);
	}
	sd->upload = in->upload;
	sd->media_mime = in->mime;
	if ((type = media_check(in->mime, sd->media_len, &cause)) == NULL) {
		rpc_error(err, PE_INVALID, "%s; nothing was sent", cause);
		free(cause);
	}
	return (type);
}

/* The message row's "media": what the thread shows of a file sent. */
static void
rpc_send_media_body(struct rpc_send *sd, const char *caption,
    const char *fname)
{
	json_t	*m;

	m = json_pack("{ss sI}", "mime_type", sd->media_mime, "size",
	    (json_int_t)sd->media_len);
	if (caption != NULL)
		json_object_set_new(m, "caption", json_string(caption));
	if (fname != NULL)
		json_object_set_new(m, "filename", json_string(fname));
	json_object_set_new(sd->body, "media", m);
}

static int
rpc_send_text(struct rpc_ctx *ctx, const struct rpc_send_in *in,
    struct rpc_send *sd, struct rpc_err *err)
{
	(void)ctx;
	if (in->text[0] == '\0' || utf8_chars(in->text) >
	    RPC_SEND_TEXT_MAX) {
		rpc_error(err, PE_INVALID, "a text reply has 1 to %d "
		    "characters", RPC_SEND_TEXT_MAX);
		return (-1);
	}
	sd->type = "text";
	sd->obj = json_pack("{sb ss}", "preview_url", 0, "body", in->text);
	sd->body = json_pack("{ss}", "text", in->text);
	sd->preview = in->text;
	sd->detail = "text";
	return (0);
}

/* A template; with an upload, the file of its media header. */
static int
rpc_send_template(struct rpc_ctx *ctx, const struct rpc_send_in *in,
    struct rpc_send *sd, struct rpc_err *err)
{
	const char	*hlink = NULL, *htype = NULL, *waba;
	const struct conf_number *num;
	json_t		*tmpl, *tparams, *v, *t;
	char		*cause = NULL;
	size_t		 i;

	if (in->lang == NULL) {
		rpc_error(err, PE_INVALID, "a template needs its language "
		    "(lang), e.g. en_US");
		return (-1);
	}
	/* The row's body holds the parameters as given. */
	v = json_object_get(in->params, "params");
	sd->body = json_pack("{s{ss ss so}}", "template", "name", in->tname,
	    "language", in->lang, "params", v != NULL ? json_incref(v) :
	    json_array());
	tmpl = json_object_get(sd->body, "template");
	tparams = json_object_get(tmpl, "params");
	json_array_foreach(tparams, i, v) {
		if (!json_is_string(v) || json_string_length(v) > 1024) {
			rpc_error(err, PE_INVALID, "template parameters are "
			    "strings of at most 1024 bytes");
			return (-1);
		}
	}
	if (!json_is_array(tparams) || json_array_size(tparams) > 64) {
		rpc_error(err, PE_INVALID, "params must be an array of at most "
		    "64 strings");
		return (-1);
	}
	if (rpc_param_str(in->params, "header_link", 0, &hlink, 2048,
	    err) != 0)
		return (-1);
	if (hlink != NULL && strncmp(hlink, "https://", 8) != 0) {
		rpc_error(err, PE_INVALID,
		    "header_link must be an https:// URL "
		    "that Meta can fetch");
		return (-1);
	}
	if (in->upload != 0) {
		if (hlink != NULL || in->mime == NULL) {
			rpc_error(err, PE_INVALID, "a header file needs its "
			    "mime type, and no link");
			return (-1);
		}
		if ((htype = rpc_send_file(ctx, in, sd, err)) == NULL)
			return (-1);
	}
	/*
	 * A template belongs to a WABA: it leaves from the conversation's
	 * number, so it must be one of that number's WABA (issue 15).
	 */
	num = sd->num != NULL ? sd->num : numbers_of_conv(ctx->d, sd->conv);
	if (ctx->d->conf.nnumbers > 0 && num == NULL) {
		rpc_send_refuse(ctx, sd->conv, 0, err, PE_NOT_READY, "this "
		    "conversation's business number is not configured any "
		    "more; nothing was sent");
		return (-1);
	}
	waba = num != NULL ? num->waba_id : NULL;
	t = waba != NULL ? store_template_get_waba(&ctx->d->store, waba,
	    in->tname, in->lang) : NULL;
	if (waba != NULL && t == NULL) {
		if ((t = store_template_get(&ctx->d->store, in->tname,
		    in->lang)) != NULL) {
			json_decref(t);
			rpc_send_refuse(ctx, sd->conv, 0, err, "template",
			    "template '%s' (%s) is not in the WABA of number "
			    "%s, which this conversation belongs to; pick "
			    "one of that WABA's (templates list shows each "
			    "one's waba_id); nothing was sent", in->tname,
			    in->lang, num->label);
			return (-1);
		}
	} else
		json_decref(t);
	sd->obj = templates_build_waba(ctx->d, waba, in->tname, in->lang,
	    tparams, hlink, htype, sd->category, sizeof sd->category, &cause);
	if (sd->obj == NULL) {
		rpc_send_refuse(ctx, sd->conv, 0, err, "template",
		    "%s; nothing was sent", cause);
		free(cause);
		return (-1);
	}
	sd->type = "template";
	sd->is_template = 1;
	json_object_set_new(tmpl, "category", json_string(sd->category));
	/* The header file shows in the thread like any. */
	if (sd->media_data != NULL)
		rpc_send_media_body(sd, NULL, in->fname);
	/*
	 * The text the customer receives, filled as the client's preview
	 * showed it (tpl_render): the thread and the list show it, not
	 * only the template's name. Sealed with the message like any text.
	 */
	if ((t = store_template_get_waba(&ctx->d->store, waba, in->tname,
	    in->lang)) != NULL) {
		sd->ptext = tpl_render(json_object_get(t, "components"),
		    tparams, TPL_NO_MARK);
		json_decref(t);
	}
	if (sd->ptext != NULL && *sd->ptext != '\0') {
		json_object_set_new(sd->body, "text", json_string(sd->ptext));
		sd->preview = sd->ptext;
	} else {
		snprintf(sd->pbuf, sizeof sd->pbuf, "[template] %s",
		    in->tname);
		sd->preview = sd->pbuf;
	}
	sd->detail = in->tname;
	return (0);
}

static int
rpc_send_attachment(struct rpc_ctx *ctx, const struct rpc_send_in *in,
    struct rpc_send *sd, struct rpc_err *err)
{
	const char	*type, *caption = in->caption;

	if (in->mime == NULL) {
		rpc_error(err, PE_INVALID, "an attachment needs its mime type");
		return (-1);
	}
	if ((type = rpc_send_file(ctx, in, sd, err)) == NULL)
		return (-1);
	sd->type = type;
	sd->obj = json_object();
	if (caption != NULL && strcmp(type, "audio") != 0 &&
	    strcmp(type, "sticker") != 0)
		json_object_set_new(sd->obj, "caption", json_string(caption));
	if (in->fname != NULL && strcmp(type, "document") == 0)
		json_object_set_new(sd->obj, "filename",
		    json_string(in->fname));
	sd->body = json_object();
	rpc_send_media_body(sd, caption, in->fname);
	snprintf(sd->pbuf, sizeof sd->pbuf, "[%s]%s%.80s", type,
	    caption != NULL ? " " : "", caption != NULL ? caption : "");
	sd->preview = sd->pbuf;
	sd->detail = type;
	return (0);
}

/*
 * Reply buttons or a list (interactive.c checks Meta's limits): a
 * free-form message like a text, so rpc_send_check keeps it inside the
 * window.
 */
static int
rpc_send_interactive(struct rpc_ctx *ctx, const struct rpc_send_in *in,
    struct rpc_send *sd, struct rpc_err *err)
{
	struct interactive_msg	 im;
	char			*cause = NULL;

	(void)ctx;
	if (in->quote != 0) {
		rpc_error(err, PE_INVALID, "an interactive message cannot "
		    "quote a message (reply_to); nothing was sent");
		return (-1);
	}
	if (interactive_build(in->interactive, &im, &cause) != 0) {
		rpc_error(err, PE_INVALID, "%s; nothing was sent", cause);
		free(cause);
		return (-1);
	}
	sd->type = "interactive";
	sd->obj = im.obj;
	sd->body = im.body;
	sd->ipreview = im.preview;
	sd->preview = sd->ipreview;
	sd->detail = strcmp(im.kind, "button") == 0 ? "interactive button" :
	    "interactive list";
	return (0);
}

/*
 * Whether the reply may go to the contact si describes: outbox_held's
 * rules, the window (templates only once it closed), the collision guard.
 * 0, or -1 with the refusal audited and err set.
 */
static int
rpc_send_check(struct rpc_ctx *ctx, const struct rpc_send *sd,
    const struct store_send_info *si, int64_t after, int force, int64_t now,
    struct rpc_err *err)
{
	struct daemon	*d = ctx->d;
	int64_t		 held, conv = sd->conv, contact = si->contact_id;

	held = outbox_held(&d->store, si, sd->is_template ? sd->category :
	    NULL);
	if (held == META_ERRORS_HELD_RESTRICTED)
		rpc_send_refuse(ctx, conv, contact, err, "restricted", "this "
		    "contact is restricted (processing restricted under GDPR "
		    "Art. 18); nothing was sent");
	else if (held == META_ERRORS_HELD_ERASED)
		rpc_send_refuse(ctx, conv, contact, err, "no_recipient", "this "
		    "contact has no phone number or WhatsApp user id "
		    "(erased?); nothing was sent");
	else if (store_contact_blocked(&d->store, contact))
		rpc_send_refuse(ctx, conv, contact, err, PE_DENIED, "this "
		    "customer is blocked on WhatsApp (contact block); unblock "
		    "them first (support-inbox contact unblock conv:%lld); "
		    "nothing was sent", (long long)conv);
	else if (!sd->is_template && !window_is_open(si->last_inbound_at, now,
	    d->conf.window_hours))
		rpc_send_refuse(ctx, conv, contact, err, "window_closed", "the "
		    "customer last wrote more than %u hours ago, so WhatsApp "
		    "allows only an approved template now (support-inbox "
		    "reply %lld --template NAME --lang CODE); nothing was "
		    "sent", d->conf.window_hours, (long long)conv);
	else if (held == META_ERRORS_HELD_CONSENT)
		rpc_send_refuse(ctx, conv, contact, err, "no_consent", "this "
		    "is a marketing template and the customer has no "
		    "recorded marketing opt-in; nothing was sent");
	else if (after > 0 && si->last_inbound_msg > after && !force)
		rpc_send_refuse(ctx, conv, contact, err, "collision", "the "
		    "customer wrote again (message %lld) after you started "
		    "this reply; read it, then send again (or force it); "
		    "nothing was sent", (long long)si->last_inbound_msg);
	else
		return (0);
	return (-1);
}

/*
 * A reply into a conversation assigned to someone else goes only when the
 * sender says so: "force", or "if_assignee" naming who holds it now (the
 * TUI asks first and names whom it asked about). The override is audited
 * as conversation.override. 1 overridden, 0 not someone else's, -1
 * refused (audited, err set).
 */
static int
rpc_send_assigned(struct rpc_ctx *ctx, const struct store_conv_info *ci,
    json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec;
	const char		*ok_for;

	if (ci->assignee_id == 0 || ci->assignee_id == ctx->agent.id)
		return (0);
	if (rpc_param_str(params, "if_assignee", 0, &ok_for, 64, err) != 0)
		return (-1);
	if (!json_is_true(json_object_get(params, "force")) &&
	    (ok_for == NULL || strcmp(ok_for, ci->assignee) != 0)) {
		rpc_send_refuse(ctx, ci->id, ci->contact_id, err,
		    PE_ASSIGNED_OTHER, "conversation %lld is assigned to "
		    "'%s'; send anyway only if you mean to (--force), which "
		    "is audited; nothing was sent", (long long)ci->id,
		    ci->assignee);
		return (-1);
	}
	rpc_audit_detail(ctx, "reply into a conversation of '%s'",
	    ci->assignee);
	rec = (struct audit_rec){ .action = "conversation.override",
	    .object_type = "conversation", .object_id = ci->id,
	    .contact_id = ci->contact_id, .detail = ctx->audit_detail,
	    .result = "ok" };
	return (rpc_audit(ctx, &rec, err) != 0 ? -1 : 1);
}

/* Checks sd and queues it in the dispatcher's transaction. */
static json_t *
rpc_send_queue(struct rpc_ctx *ctx, json_t *params, struct rpc_send *sd,
    struct rpc_err *err)
{
	struct daemon		*d = ctx->d;
	struct store		*s = &d->store;
	struct store_send_info	 si;
	struct store_conv_info	 ci;
	struct outbox_msg	 om;
	int64_t			 after = 0, hold = 0, msg_id, oid;
	int64_t			 now = clock_now();
	json_t			*res = NULL, *react;
	char			*cause = NULL;
	int			 rc, ov = 0;

	if (rpc_param_int(params, "draft_started_after", 0, &after, 0,
	    INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "hold_seconds", 0, &hold, 0,
	    RPC_SEND_HOLD_MAX, err) != 0)
		return (NULL);
	/* The undo window is for what an agent types (outbox.cancel). */
	if (hold > 0 && strcmp(sd->type, "text") != 0)
		return (rpc_error(err, PE_INVALID, "hold_seconds is for text "
		    "replies only"));
	/*
	 * A reply into someone else's conversation needs the sender's word,
	 * whatever the role or the assignment policy (which it goes beyond);
	 * a reaction goes by the policy.
	 */
	if (store_conv_info(s, sd->conv, &ci) == STORE_FOUND) {
		if (sd->react_wamid == NULL)
			ov = rpc_send_assigned(ctx, &ci, params, err);
		else
			ov = rpc_may_act(ctx, &ci, params, err);
		if (ov < 0)
			return (NULL);
	}
	if (rpc_lookup(store_send_info(s, sd->conv, &si), err,
	    "no conversation %lld", (long long)sd->conv) != 0)
		return (NULL);
	if (rpc_send_check(ctx, sd, &si, after, json_is_true(
	    json_object_get(params, "force")), now, err) != 0)
		goto out;
	om = (struct outbox_msg){ .conv = sd->conv,
	    .contact_id = si.contact_id, .wa_id = si.wa_id,
	    .user_id = si.user_id, .type = sd->type, .obj = sd->obj,
	    .body = sd->body, .preview = sd->preview,
	    .agent_id = ctx->agent.id, .context_wamid = sd->context_wamid,
	    .media_data = sd->media_data, .media_len = sd->media_len,
	    .media_mime = sd->media_mime, .now = now,
	    .hold_ms = hold * 1000 };
	rc = outbox_queue(d, &om, &msg_id, &oid, &cause);
	if (rc == 0 && sd->react_wamid != NULL) {
		react = json_pack("{ss sI ss}", "emoji", json_string_value(
		    json_object_get(sd->obj, "emoji")), "ts", (json_int_t)now,
		    "from", "us");
		rc = store_msg_amend(s, sd->react_wamid, "reaction", react,
		    now) < 0 ? -1 : 0;
		json_decref(react);
	}
	if (rc != 0) {
		rpc_error(err, PE_INTERNAL, "cannot queue the message%s%s",
		    cause != NULL ? ": " : "", cause != NULL ? cause : "");
		goto out;
	}
	/*
	 * What was typed is sent: the sender's draft of it goes in the same
	 * transaction, so a client that dies now does not bring it back.
	 */
	if ((strcmp(sd->type, "text") == 0 || strcmp(sd->type,
	    "interactive") == 0) && store_draft_delete(s,
	    ctx->agent.id, sd->conv) != 0) {
		rpc_error(err, PE_INTERNAL, "cannot queue the message");
		goto out;
	}
	/* Its file goes once the message is committed (uploads_take). */
	if (sd->upload != 0)
		uploads_queued(d->uploads, ctx->agent.id, sd->upload, msg_id);
	ctx->audit = (struct audit_rec){ .action = sd->react_wamid != NULL ?
	    "message.react" : "message.send", .object_type = "message",
	    .object_id = msg_id, .contact_id = si.contact_id,
	    .detail = sd->detail, .result = "ok" };
	/* Only schedules a scan: it runs after the commit. */
	outbox_kick(d->outbox);
	res = json_pack("{sI sI ss sI}", "message", (json_int_t)msg_id,
	    "conversation", (json_int_t)sd->conv, "state", "queued",
	    "outbox", (json_int_t)oid);
	if (hold > 0)
		json_object_set_new(res, "held_until",
		    json_integer(now + hold));
out:
	store_send_info_clear(&si);
	free(cause);
	return (res);
}

/*
 * The parameters of a reply, and that it is one kind of reply; without
 * its conversation (reply's "conv", or the one conv.start opens).
 */
static int
rpc_send_inputs(json_t *params, struct rpc_send_in *in, struct rpc_err *err)
{
	memset(in, 0, sizeof *in);
	in->params = params;
	if (rpc_param_str(params, "text", 0, &in->text, RPC_SEND_TEXT_MAX * 4,
	    err) != 0 ||
	    rpc_param_str(params, "template", 0, &in->tname, 512, err) != 0 ||
	    rpc_param_str(params, "lang", 0, &in->lang, 16, err) != 0 ||
	    rpc_param_int(params, "upload", 0, &in->upload, 1, INT64_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "mime", 0, &in->mime, 127, err) != 0 ||
	    rpc_param_str(params, "filename", 0, &in->fname, 240, err) != 0 ||
	    rpc_param_str(params, "caption", 0, &in->caption,
	    RPC_SEND_CAPTION_MAX * 4, err) != 0 ||
	    rpc_param_int(params, "reply_to", 0, &in->quote, 1, INT64_MAX,
	    err) != 0)
		return (-1);
	in->interactive = json_object_get(params, "interactive");
	/* With a template, an upload is the file of its media header. */
	if ((in->text != NULL) + (in->tname != NULL) + (in->upload != 0 &&
	    in->tname == NULL) + (in->interactive != NULL) != 1) {
		rpc_error(err, PE_INVALID, "give exactly one of text, template, "
		    "upload or interactive (or a template with the upload of "
		    "its header file)");
		return (-1);
	}
	return (0);
}

static json_t *
rpc_send_reply(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct rpc_send_in	 in;
	struct rpc_send		 sd;
	rpc_send_builder	 build;
	json_t			*res = NULL;

	memset(&sd, 0, sizeof sd);
	if (rpc_param_int(params, "conv", 1, &sd.conv, 1, INT64_MAX,
	    err) != 0 || rpc_send_inputs(params, &in, err) != 0)
		return (NULL);
	if (in.text != NULL)
		build = rpc_send_text;
	else if (in.tname != NULL)
		build = rpc_send_template;
	else if (in.interactive != NULL)
		build = rpc_send_interactive;
	else
		build = rpc_send_attachment;
	if ((in.quote == 0 || rpc_send_wamid(ctx, in.quote, sd.conv,
	    &sd.context_wamid, err) == 0) && build(ctx, &in, &sd, err) == 0)
		res = rpc_send_queue(ctx, params, &sd, err);
	rpc_send_release(&sd);
	return (res);
}

/*
 * conv.start's template (rpc-conv-start.c), built and checked by the same
 * code as reply's: the conversation is not known yet when it is built.
 */
struct rpc_send *
rpc_send_template_new(struct rpc_ctx *ctx, json_t *params,
    const struct conf_number *num, struct rpc_err *err)
{
	struct rpc_send_in	 in;
	struct rpc_send		*sd;

	if (rpc_send_inputs(params, &in, err) != 0)
		return (NULL);
	if (in.tname == NULL || in.quote != 0) {
		rpc_error(err, PE_INVALID, "a conversation starts with an "
		    "approved template: give template and lang (and params)");
		return (NULL);
	}
	sd = xcalloc(1, sizeof *sd);
	sd->num = num;
	if (rpc_send_template(ctx, &in, sd, err) != 0) {
		rpc_send_free(sd);
		return (NULL);
	}
	return (sd);
}

const char *
rpc_send_category(const struct rpc_send *sd)
{
	return (sd->category);
}

json_t *
rpc_send_template_queue(struct rpc_ctx *ctx, json_t *params,
    struct rpc_send *sd, int64_t conv, struct rpc_err *err)
{
	sd->conv = conv;
	return (rpc_send_queue(ctx, params, sd, err));
}

void
rpc_send_free(struct rpc_send *sd)
{
	if (sd == NULL)
		return;
	rpc_send_release(sd);
	free(sd);
}

static json_t *
rpc_send_react(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct rpc_send	 sd;
	const char	*emoji;
	int64_t		 msg;
	json_t		*res = NULL;

	memset(&sd, 0, sizeof sd);
	if (rpc_param_int(params, "conv", 1, &sd.conv, 1, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "msg", 1, &msg, 1, INT64_MAX, err) != 0 ||
	    rpc_param_str(params, "emoji", 1, &emoji, 32, err) != 0)
		return (NULL);
	if (utf8_chars(emoji) > 8)
		return (rpc_error(err, PE_INVALID, "a reaction is one emoji "
		    "(or empty to remove it)"));
	if (rpc_send_wamid(ctx, msg, sd.conv, &sd.react_wamid, err) == 0) {
		sd.type = "reaction";
		sd.obj = json_pack("{ss ss}", "message_id", sd.react_wamid,
		    "emoji", emoji);
		sd.body = json_pack("{s{sI ss}}", "reaction", "to_msg",
		    (json_int_t)msg, "emoji", emoji);
		snprintf(sd.pbuf, sizeof sd.pbuf, "[reaction] %s", emoji);
		sd.preview = sd.pbuf;
		sd.detail = "reaction";
		res = rpc_send_queue(ctx, params, &sd, err);
	}
	rpc_send_release(&sd);
	return (res);
}

const struct rpc_method rpc_send_methods[] = {
	{ PM_REPLY,	RPC_AGENT,	RPC_WRITE,	rpc_send_reply },
	{ PM_REACT,	RPC_AGENT,	RPC_WRITE,	rpc_send_react },
	{ NULL,		RPC_ANYONE,	0,		NULL }
};
