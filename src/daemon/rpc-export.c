/*
 * Exports (issue 18, point 3): export.conversations, the report rows of
 * the conversations a filter picks, in pages by id; export.transcript, one
 * conversation's messages (and notes) for a transcript. Both are reads,
 * audited with the caller's reason. Without a reason a conversations
 * export has nothing personal in it; with one it adds each contact's name
 * and number, masked unless full_numbers. A restricted contact's (GDPR
 * Art. 18) name and number are withheld from every export. A transcript
 * always needs a reason and passes the read gate as conv.show does, with
 * the reason as its purpose. The CLI (cli-export.c) writes the files.
 */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "clock.h"
#include "conf.h"
#include "daemon.h"
#include "numbers.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"
#include "window.h"

#define EXPORT_PAGE_MAX		500

/* The filter of params; "view" is a shorthand for the others. */
static int
rpc_export_filter(struct rpc_ctx *ctx, json_t *params,
    struct store_export_filter *f, struct rpc_err *err)
{
	static const char *const states[] = { "open", "pending", "snoozed",
	    "resolved" };
	const struct conf_number *n;
	struct store_agent	 a;
	const char		*view, *assignee, *number;
	size_t			 i;

	memset(f, 0, sizeof *f);
	f->to = INT64_MAX;
	if (rpc_param_str(params, "view", 0, &view, 100, err) != 0 ||
	    rpc_param_str(params, "state", 0, &f->state, 16, err) != 0 ||
	    rpc_param_str(params, "team", 0, &f->team, 64, err) != 0 ||
	    rpc_param_str(params, "label", 0, &f->label, 64, err) != 0 ||
	    rpc_param_str(params, "assignee", 0, &assignee, 64, err) != 0 ||
	    rpc_param_str(params, "number", 0, &number, CONF_LABEL_MAX + 1,
	    err) != 0 ||
	    rpc_param_int(params, "from", 0, &f->from, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "to", 0, &f->to, 0, INT64_MAX, err) != 0)
		return (-1);
	if (view != NULL && strcmp(view, "all") != 0) {
		if (strcmp(view, "mine") == 0 && assignee == NULL)
			assignee = "me";
		else if (strcmp(view, "unassigned") == 0 && assignee == NULL)
			assignee = "none";
		else if (strncmp(view, "label:", 6) == 0 && f->label == NULL)
			f->label = view + 6;
		else if (strncmp(view, "team:", 5) == 0 && f->team == NULL)
			f->team = view + 5;
		else if (strncmp(view, "number:", 7) == 0 && number == NULL)
			number = view + 7;
		else if (f->state == NULL && (strcmp(view, "open") == 0 ||
		    strcmp(view, "pending") == 0 || strcmp(view,
		    "snoozed") == 0 || strcmp(view, "resolved") == 0))
			f->state = view;
		else {
			rpc_error(err, PE_INVALID, "view '%s' cannot be "
			    "exported (or says the same as a filter given); "
			    "views are all, mine, unassigned, open, pending, "
			    "snoozed, resolved, label:NAME, team:NAME, "
			    "number:LABEL", view);
			return (-1);
		}
	}
	if (f->state != NULL) {
		for (i = 0; i < sizeof states / sizeof states[0]; i++)
			if (strcmp(f->state, states[i]) == 0)
				break;
		if (i == sizeof states / sizeof states[0]) {
			rpc_error(err, PE_INVALID, "unknown state '%s'; states "
			    "are open, pending, snoozed, resolved", f->state);
			return (-1);
		}
	}
	if (number != NULL) {
		if ((n = conf_number_by_label(&ctx->d->conf, number)) ==
		    NULL) {
			rpc_error(err, PE_INVALID, "no business number '%s'; "
			    "the numbers are the labels of [graph] and the "
			    "[number LABEL] sections", number);
			return (-1);
		}
		f->number_id = n->phone_number_id;
	}
	if (assignee == NULL || strcmp(assignee, "any") == 0)
		f->assignee = 0;
	else if (strcmp(assignee, "none") == 0)
		f->assignee = -1;
	else if (strcmp(assignee, "me") == 0)
		f->assignee = ctx->agent.id;
	else if (store_agent_by_name(&ctx->d->store, assignee, &a) ==
	    STORE_FOUND)
		f->assignee = a.id;
	else {
		rpc_error(err, PE_INVALID, "no agent '%s' (--assignee takes "
		    "an agent's login, me, none or any)", assignee);
		return (-1);
	}
	if (f->to <= f->from) {
		rpc_error(err, PE_INVALID, "'to' must be after 'from'");
		return (-1);
	}
	return (0);
}

/* The contact's name and number on row (reason given), or withheld. */
static int
rpc_export_contact(struct rpc_ctx *ctx, json_t *row, int full)
{
	json_t		*det;
	int64_t		 cid;
	int		 restricted = 0;

	cid = json_integer_value(json_object_get(row, "contact_id"));
	if (store_contact_flags(&ctx->d->store, cid, &restricted, NULL) !=
	    STORE_FOUND || restricted ||
	    (det = store_contact_detail(&ctx->d->store, cid, full)) == NULL) {
		json_object_set_new(row, "name", json_null());
		json_object_set_new(row, "phone", json_null());
		json_object_set_new(row, "withheld", json_true());
		return (1);
	}
	json_object_set(row, "name", json_object_get(det, "name") != NULL ?
	    json_object_get(det, "name") : json_null());
	json_object_set(row, "phone", json_object_get(det, full ? "phone" :
	    "phone_masked") != NULL ? json_object_get(det, full ? "phone" :
	    "phone_masked") : json_null());
	json_decref(det);
	return (0);
}

static json_t *
rpc_export_conversations(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	struct store_export_filter f;
	const struct conf_number *num;
	const char	*reason;
	json_t		*rows, *row;
	int64_t		 after = 0, limit = EXPORT_PAGE_MAX, last = 0, now, left;
	int64_t		 withheld = 0;
	size_t		 i;
	int		 full;

	if (rpc_privacy_text(params, "reason", 0, &reason, err) != 0 ||
	    rpc_param_int(params, "after", 0, &after, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, EXPORT_PAGE_MAX,
	    err) != 0 ||
	    rpc_export_filter(ctx, params, &f, err) != 0)
		return (NULL);
	full = json_is_true(json_object_get(params, "full_numbers"));
	if (full && reason == NULL)
		return (rpc_error(err, PE_INVALID, "full numbers need a "
		    "reason (it is audited)"));
	if ((rows = store_export_conversations(&ctx->d->store, &f, after,
	    limit)) == NULL)
		return (rpc_error(err, PE_INTERNAL, "database error; see the "
		    "daemon's log"));
	now = clock_now();
	json_array_foreach(rows, i, row) {
		last = json_integer_value(json_object_get(row, "id"));
		json_object_set_new(row, "labels", store_export_labels(
		    &ctx->d->store, last));
		num = numbers_of_conv(ctx->d, last);
		json_object_set_new(row, "number", num != NULL ?
		    json_string(num->label) : json_null());
		left = window_left(json_integer_value(json_object_get(row,
		    "last_inbound_at")), now, ctx->d->conf.window_hours);
		json_object_set_new(row, "window", json_string(left > 0 ?
		    "open" : "closed"));
		json_object_set_new(row, "window_left", json_integer(left));
		json_object_del(row, "last_inbound_at");
		if (reason != NULL)
			withheld += rpc_export_contact(ctx, row, full);
		else
			json_object_del(row, "contact_id");
	}
	ctx->audit = (struct audit_rec){ .action = "export.conversations",
	    .object_type = "conversation", .purpose = reason,
	    .result = "ok" };
	rpc_audit_detail(ctx, "%zu conversations after %lld, %s%s, "
	    "%lld withheld", json_array_size(rows), (long long)after,
	    reason == NULL ? "no personal data" : "names and numbers",
	    reason == NULL ? "" : full ? " in full" : " masked",
	    (long long)withheld);
	return (json_pack("{so sI sb sI}", "rows", rows, "next",
	    (json_int_t)last, "more", (int64_t)json_array_size(rows) == limit,
	    "withheld", (json_int_t)withheld));
}

/* Each message's and note's agent with their display name. */
static void
rpc_export_names(struct rpc_ctx *ctx, json_t *items)
{
	json_t		*m;
	const char	*login;
	char		 name[128];
	size_t		 i;

	json_array_foreach(items, i, m) {
		login = json_string_value(json_object_get(m, "agent"));
		if (login == NULL || *login == '\0')
			continue;
		store_export_display(&ctx->d->store, login, name, sizeof name);
		json_object_set_new(m, "agent_display", json_string(name));
	}
}

static json_t *
rpc_export_transcript(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	const struct conf_number *num;
	const char	*reason;
	json_t		*res;
	int64_t		 id, before = 0, limit = EXPORT_PAGE_MAX, contact_id;
	int		 notes;

	if (rpc_param_int(params, "id", 1, &id, 1, INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "before", 0, &before, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, EXPORT_PAGE_MAX,
	    err) != 0 ||
	    rpc_privacy_text(params, "reason", 1, &reason, err) != 0)
		return (NULL);
	if (rpc_lookup(store_conv_contact(&ctx->d->store, id, &contact_id),
	    err, "no conversation %lld", (long long)id) != 0)
		return (NULL);
	if (rpc_privacy_may_read(ctx, "export.transcript", contact_id, id,
	    reason, err) != 0)
		return (NULL);
	if ((res = store_conv_show(&ctx->d->store, id, before, limit,
	    clock_now(), (int)ctx->d->conf.window_hours)) == NULL)
		return (rpc_error(err, PE_INTERNAL, "cannot read "
		    "conversation"));
	notes = json_is_true(json_object_get(params, "notes"));
	if (notes) {
		json_object_set_new(res, "notes", store_note_list(
		    &ctx->d->store, id));
		rpc_export_names(ctx, json_object_get(res, "notes"));
	}
	rpc_export_names(ctx, json_object_get(res, "messages"));
	num = numbers_of_conv(ctx->d, id);
	json_object_set_new(json_object_get(res, "conversation"), "number",
	    num != NULL ? json_string(num->label) : json_null());
	ctx->audit = (struct audit_rec){ .action = "export.transcript",
	    .object_type = "conversation", .object_id = id,
	    .contact_id = contact_id, .purpose = reason, .result = "ok" };
	rpc_audit_detail(ctx, "%zu messages%s before %lld",
	    json_array_size(json_object_get(res, "messages")),
	    notes ? " and the notes" : "", (long long)before);
	return (res);
}

const struct rpc_method rpc_export_methods[] = {
	{ PM_EXPORT_CONVERSATIONS,	RPC_SUPERVISOR,
	    RPC_WRITE | RPC_READONLY,	rpc_export_conversations },
	{ PM_EXPORT_TRANSCRIPT,		RPC_AGENT,
	    RPC_WRITE | RPC_READONLY,	rpc_export_transcript },
	{ NULL,				RPC_ANYONE,	0,	NULL }
};
