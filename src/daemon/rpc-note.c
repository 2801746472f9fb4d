/*
 * note.*: internal notes on a conversation, for agents only (never sent
 * to the customer), and mention.list. Mentions are about notes, so they
 * live here: an @name in a note that is an active agent is a mention,
 * recorded and audited with the note and pushed to that agent's clients;
 * mention.list is an agent's list of them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

#define RPC_NOTE_MAX		4096
#define RPC_MENTIONS_MAX	16

/* The @names in a note that are agents (each once). */
static size_t
rpc_note_mentions(struct rpc_ctx *ctx, const char *body,
    struct store_agent *out, size_t max)
{
	const char	*p, *s;
	char		 name[64];
	size_t		 n = 0, i, len;

	for (p = body; (p = strchr(p, '@')) != NULL && n < max;) {
		if (p > body && (isalnum((unsigned char)p[-1]) ||
		    p[-1] == '.')) {
			p++;	/* an e-mail address, not a mention */
			continue;
		}
		s = ++p;
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' ||
		    *p == '.')
			p++;
		len = (size_t)(p - s);
		while (len > 0 && s[len - 1] == '.')
			len--;	/* "@anna." ends a sentence */
		if (len == 0 || len >= sizeof name)
			continue;
		memcpy(name, s, len);
		name[len] = '\0';
		if (store_agent_by_name(&ctx->d->store, name, &out[n]) != 0 ||
		    !out[n].active)
			continue;
		for (i = 0; i < n; i++) {
			if (out[i].id == out[n].id)
				break;
		}
		if (i == n)
			n++;
	}
	return (n);
}

static json_t *
rpc_note_add(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct store_agent	 men[RPC_MENTIONS_MAX];
	struct audit_rec	 rec;
	const char		*body;
	int64_t			 note_id, now = (int64_t)time(NULL);
	size_t			 n, i;
	json_t			*names;
	char			 detail[64];

	if (rpc_conv_get(ctx, params, &ci, err) != 0 ||
	    rpc_param_str(params, "body", 1, &body, RPC_NOTE_MAX,
	    err) != 0 || rpc_may_act(ctx, &ci, params, err) != 0)
		return (NULL);
	if (*body == '\0')
		return (rpc_error(err, PE_INVALID, "an empty note"));
	n = rpc_note_mentions(ctx, body, men, RPC_MENTIONS_MAX);
	if (store_note_add(&ctx->d->store, ci.id, ctx->agent.id, body, now,
	    &note_id) != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot add note"));
	/*
	 * The note's record goes before its mentions': appended now, like
	 * theirs, so detail may be this function's buffer.
	 */
	snprintf(detail, sizeof detail, "note %lld", (long long)note_id);
	rec = (struct audit_rec){ .action = "note.add",
	    .object_type = "conversation", .object_id = ci.id,
	    .contact_id = ci.contact_id, .detail = detail, .result = "ok" };
	if (rpc_audit(ctx, &rec, err) != 0)
		return (NULL);
	names = json_array();
	for (i = 0; i < n; i++) {
		if (store_mention_add(&ctx->d->store, note_id, men[i].id,
		    now) != 0) {
			json_decref(names);
			return (rpc_error(err, PE_INTERNAL, "cannot add note"));
		}
		rec = (struct audit_rec){ .action = "note.mention",
		    .object_type = "agent", .object_id = men[i].id,
		    .contact_id = ci.contact_id, .detail = detail,
		    .result = "ok" };
		if (rpc_audit(ctx, &rec, err) != 0) {
			json_decref(names);
			return (NULL);
		}
		json_array_append_new(names, json_string(men[i].name));
		/* Only the clients of the agent mentioned hear of it. */
		rpc_event_uid(ctx, (unsigned)men[i].uid, PEV_MENTION,
		    json_pack("{sI sI ss}", "conversation", (json_int_t)ci.id,
		    "note", (json_int_t)note_id, "by", ctx->agent.name));
	}
	rpc_event(ctx, PEV_NOTE, json_pack("{sI sI sO ss}", "conversation",
	    (json_int_t)ci.id, "note", (json_int_t)note_id, "mentions",
	    names, "by", ctx->agent.name));
	return (json_pack("{sI sI so}", "id", (json_int_t)note_id,
	    "conversation", (json_int_t)ci.id, "mentions", names));
}

/*
 * Notes are about a customer: the same gate as conv.show (a blank purpose
 * is none, as there), audited; inside the access the connection has open
 * on the conversation (rpc-conv.c) they are part of it and write nothing.
 */
static json_t *
rpc_note_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	const char		*purpose;
	int			 inside;

	if (rpc_conv_get(ctx, params, &ci, err) != 0 ||
	    rpc_privacy_text(params, "purpose", 0, &purpose, err) != 0)
		return (NULL);
	if (rpc_note_via_mention(ctx, params, "note.list", ci.id,
	    ci.contact_id, &purpose, err) != 0)
		return (NULL);
	inside = rpc_conv_access_covers(ctx, ci.id, &purpose);
	if (rpc_privacy_may_read(ctx, "note.list", ci.contact_id, ci.id,
	    purpose, err) != 0)
		return (NULL);
	if (!inside)
		ctx->audit = (struct audit_rec){ .action = "note.list",
		    .object_type = "conversation", .object_id = ci.id,
		    .contact_id = ci.contact_id, .purpose = purpose,
		    .result = "ok" };
	return (store_note_list(&ctx->d->store, ci.id));
}

/* An agent's mentions; "mark_seen" marks them all seen. */
static json_t *
rpc_note_mention_list(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	json_t	*res;
	int64_t	 limit = 50;

	if (rpc_param_int(params, "limit", 0, &limit, 1, 500, err) != 0)
		return (NULL);
	res = store_mention_list(&ctx->d->store, ctx->agent.id,
	    json_is_true(json_object_get(params, "unseen")), limit);
	if (json_is_true(json_object_get(params, "mark_seen")))
		store_mention_seen(&ctx->d->store, ctx->agent.id);
	return (res);
}

/*
 * Opening a conversation from a mention of the caller ("via_mention": the
 * note's id) needs no purpose of its own: the mention is the purpose,
 * logged as "mention by NAME in note N", and it is marked seen. The
 * daemon checks that the note is on that conversation and mentions the
 * caller, so a client cannot use it to skip the purpose anywhere else; a
 * refusal is audited under action. Without "via_mention": 0, *purpose as
 * it was. Else 0 with *purpose (a string of params), or -1 (err set).
 */
int
rpc_note_via_mention(struct rpc_ctx *ctx, json_t *params, const char *action,
    int64_t conv_id, int64_t contact_id, const char **purpose,
    struct rpc_err *err)
{
	struct audit_rec	 rec;
	enum store_found	 f;
	int64_t			 note;
	char			 by[64];

	if (json_object_get(params, "via_mention") == NULL)
		return (0);
	if (rpc_param_int(params, "via_mention", 1, &note, 1, INT64_MAX,
	    err) != 0)
		return (-1);
	if (*purpose != NULL) {
		rpc_error(err, PE_INVALID, "give 'purpose' or 'via_mention', "
		    "not both");
		return (-1);
	}
	f = store_mention_find(&ctx->d->store, ctx->agent.id, note, conv_id,
	    by, sizeof by);
	if (f == STORE_ERROR) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	if (f == STORE_NONE) {
		rec = (struct audit_rec){ .action = action,
		    .object_type = "conversation", .object_id = conv_id,
		    .contact_id = contact_id, .detail = "no such mention",
		    .result = "denied" };
		rpc_audit_refusal(ctx, &rec);
		rpc_error(err, PE_DENIED, "note %lld on conversation %lld does "
		    "not mention you", (long long)note, (long long)conv_id);
		return (-1);
	}
	if (store_mention_seen_note(&ctx->d->store, ctx->agent.id,
	    note) != 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	json_object_set_new(params, "purpose", json_sprintf("mention by %s in "
	    "note %lld", *by != '\0' ? by : "someone", (long long)note));
	*purpose = json_string_value(json_object_get(params, "purpose"));
	return (0);
}

/*
 * mention.list writes (mark_seen) and so takes the write path; like
 * conv.show's read marker, that stays allowed on a damaged store.
 */
const struct rpc_method rpc_note_methods[] = {
	{ PM_NOTE_ADD,		RPC_AGENT,	RPC_WRITE,	rpc_note_add },
	{ PM_NOTE_LIST,		RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_note_list },
	{ PM_MENTION_LIST,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_note_mention_list },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
