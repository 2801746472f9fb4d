/*
 * outbox.*: what the outbox holds (list, an audited read), sending a
 * failed or doubtful message again (retry), ending a pause (resume) and
 * taking back a reply held for undo (cancel).
 * Each runs in the dispatcher's transaction; what the outbox does after
 * (kicking a scan) is scheduled on the loop and happens after the commit.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "crypt.h"
#include "daemon.h"
#include "meta-errors.h"
#include "outbox.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"
#include "window.h"

static int
rpc_outbox_row(const struct store_outbox_row *r, void *arg)
{
	json_t				*arr = arg, *o;
	const struct meta_errors_entry	*e;

	o = json_pack("{sI sI sI ss ss sI sI sI}", "message",
	    (json_int_t)r->message_id, "conversation", (json_int_t)r->conv_id,
	    "outbox", (json_int_t)r->id, "state", r->state, "type", r->type,
	    "attempts", (json_int_t)r->attempts,
	    "created", (json_int_t)(r->created / 1000),
	    "updated", (json_int_t)(r->updated / 1000));
	if (r->has_error) {
		e = meta_errors_lookup(r->error_code);
		json_object_set_new(o, "error_code",
		    json_integer(r->error_code));
		json_object_set_new(o, "class", json_string(r->error_class[0] !=
		    '\0' ? r->error_class : meta_errors_class_name(e->class)));
		/* A temporary error that outlasted every attempt. */
		if (strcmp(r->state, "failed") == 0 &&
		    e->class == META_ERRORS_RETRY)
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
rpc_outbox_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*state;
	int64_t		 conv = 0, limit = 100;
	json_t		*rows, *res;

	if (rpc_param_str(params, "state", 0, &state, 16, err) != 0 ||
	    rpc_param_int(params, "conv", 0, &conv, 0, INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, 1000, err) != 0)
		return (NULL);
	rows = json_array();
	if (json_is_true(json_object_get(params, "failed"))) {
		/* What needs an agent: failed, and sends in doubt. */
		store_outbox_list(&ctx->d->store, "failed", conv, limit,
		    rpc_outbox_row, rows);
		store_outbox_list(&ctx->d->store, "unknown", conv, limit,
		    rpc_outbox_row, rows);
	} else
		store_outbox_list(&ctx->d->store, state, conv, limit,
		    rpc_outbox_row, rows);
	ctx->audit = (struct audit_rec){ .action = "outbox.list",
	    .result = "ok" };
	res = json_object();
	json_object_set_new(res, "rows", rows);
	json_object_set_new(res, "stats", outbox_stats(ctx->d->outbox));
	json_object_set_new(res, "alarms", outbox_alarms(ctx->d->outbox));
	return (res);
}

static json_t *
rpc_outbox_retry(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct daemon		*d = ctx->d;
	struct store_outbox_row	 r;
	struct store_send_info	 si;
	int64_t			 msg;
	int			 open, failed;

	if (rpc_param_int(params, "msg", 1, &msg, 1, INT64_MAX, err) != 0)
		return (NULL);
	if (rpc_lookup(store_outbox_get(&d->store, msg, 1, &r), err,
	    "message %lld is not an outgoing message", (long long)msg) != 0)
		return (NULL);
	failed = strcmp(r.state, "failed") == 0;
	if (!failed && strcmp(r.state, "unknown") != 0)
		return (rpc_error(err, PE_INVALID, "message %lld is %s; only "
		    "failed or unknown messages can be re-sent",
		    (long long)msg, r.state));
	if (store_send_info(&d->store, r.conv_id, &si) != STORE_FOUND)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	open = window_is_open(si.last_inbound_at, time(NULL),
	    d->conf.window_hours);
	store_send_info_clear(&si);
	if (!open && strcmp(r.type, "template") != 0)
		return (rpc_send_refuse(ctx, r.conv_id, r.contact_id, err,
		    "window_closed", "the 24-hour window is closed; only a "
		    "template can go now; nothing was sent"));
	if (store_outbox_set_state(&d->store, r.id, "queued", 0, 0, 0, 0,
	    NULL, daemon_now_ms()) != 0 ||
	    store_outbox_msg_reset(&d->store, msg) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot re-queue"));
	/* The state it was in, as a literal: r is gone after the method. */
	ctx->audit = (struct audit_rec){ .action = "message.resend",
	    .object_type = "message", .object_id = msg,
	    .contact_id = r.contact_id, .detail = failed ? "failed" :
	    "unknown", .result = "ok" };
	/* Every client drops the failed mark, the count and the row's flag. */
	rpc_event(ctx, PEV_OUTBOX, json_pack("{sI sI ss}", "message",
	    (json_int_t)msg, "conversation", (json_int_t)r.conv_id, "state",
	    "queued"));
	/* Only schedules a scan: it runs after the commit. */
	outbox_kick(d->outbox);
	return (json_pack("{sI ss}", "message", (json_int_t)msg, "state",
	    "queued"));
}

static json_t *
rpc_outbox_resume(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct audit_rec	 rec = { .action = "outbox.resume",
				    .result = "ok" };
	char			*cause = NULL;
	int			 was;

	(void)params;
	/*
	 * The record is appended before the pause ends, so a record that
	 * cannot be written leaves the outbox paused; the resume is the last
	 * step, and only the commit itself comes after it.
	 */
	if (rpc_audit(ctx, &rec, err) != 0)
		return (NULL);
	was = outbox_paused(ctx->d->outbox);
	if (outbox_resume(ctx->d->outbox, &cause) != 0) {
		rpc_error(err, PE_INVALID, "%s", cause);
		free(cause);
		return (NULL);
	}
	return (json_pack("{sb sb}", "resumed", 1, "was_paused", was));
}

/*
 * The undo window: a reply sent with hold_seconds waits in the outbox;
 * its sender takes it back while it still waits. The message and its
 * outbox row go; the text comes back in the answer for the composer.
 */
static json_t *
rpc_outbox_cancel(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store		*s = &ctx->d->store;
	struct store_outbox_row	 r;
	struct audit_rec	 rec;
	int64_t			 msg, conv = 0, cid = 0, now = daemon_now_ms();
	char			*text = NULL;
	const char		*why = NULL;
	json_t			*res;
	int			 rc;

	if (rpc_param_int(params, "msg", 1, &msg, 1, INT64_MAX, err) != 0)
		return (NULL);
	if (rpc_lookup(store_outbox_get(s, msg, 1, &r), err,
	    "message %lld is not an outgoing message", (long long)msg) != 0)
		return (NULL);
	if (r.agent_id != ctx->agent.id)
		why = "only its sender can take a message back";
	else if (r.held_until == 0)
		why = "it was not held for undo";
	else if (strcmp(r.state, "queued") != 0 || r.attempts != 0 ||
	    r.held_until <= now)
		why = "it has already gone to WhatsApp";
	if (why != NULL) {
		rec = (struct audit_rec){ .action = "message.cancel",
		    .object_type = "message", .object_id = msg,
		    .contact_id = r.contact_id, .detail = "undo",
		    .result = "refused" };
		rpc_audit_refusal(ctx, &rec);
		return (rpc_error(err, r.agent_id != ctx->agent.id ?
		    PE_DENIED : PE_CONFLICT, "message %lld cannot be taken "
		    "back: %s", (long long)msg, why));
	}
	rc = store_outbox_cancel(s, msg, ctx->agent.id, now, &conv, &cid,
	    &text);
	if (rc != 0)
		return (rpc_error(err, rc < 0 ? PE_INTERNAL : PE_CONFLICT,
		    "message %lld cannot be taken back%s", (long long)msg,
		    rc < 0 ? "" : ": it has already gone to WhatsApp"));
	ctx->audit = (struct audit_rec){ .action = "message.cancel",
	    .object_type = "message", .object_id = msg, .contact_id = cid,
	    .detail = "undo", .result = "ok" };
	/* The others' threads and lists drop it (no text in events). */
	rpc_event(ctx, PEV_OUTBOX, json_pack("{sI sI ss ss}", "message",
	    (json_int_t)msg, "conversation", (json_int_t)conv, "state",
	    "cancelled", "by", ctx->agent.name));
	res = json_pack("{sI sI ss}", "message", (json_int_t)msg,
	    "conversation", (json_int_t)conv, "text", text);
	crypt_wipe_free(text, strlen(text));
	return (res);
}

const struct rpc_method rpc_outbox_methods[] = {
	{ PM_OUTBOX_LIST,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_outbox_list },
	{ PM_OUTBOX_RETRY,	RPC_AGENT,	RPC_WRITE,
	    rpc_outbox_retry },
	{ PM_OUTBOX_RESUME,	RPC_ADMIN,	RPC_WRITE,
	    rpc_outbox_resume },
	{ PM_OUTBOX_CANCEL,	RPC_AGENT,	RPC_WRITE,
	    rpc_outbox_cancel },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
