/*
 * canned.*: canned replies, templates of text with {{variables}} that
 * supervisors keep (add, edit, put, remove) and agents list and render.
 * Rendering one in a conversation fills in the customer's name: a read
 * of personal data, behind the same gate as conv.show and audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "canned.h"
#include "canned-fill.h"
#include "crypt.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

static int
rpc_canned_params(json_t *params, const char **shortcut,
    const char **title, const char **body, const char **language,
    const char **team, int required, struct rpc_err *err)
{
	json_t	*missing;
	char	*text, *cause = NULL;

	if (rpc_param_str(params, "shortcut", 1, shortcut, 64, err) != 0 ||
	    rpc_param_str(params, "title", required, title, 200, err) != 0 ||
	    rpc_param_str(params, "body", required, body, CANNED_BODY_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "language", 0, language, 16, err) != 0 ||
	    rpc_param_str(params, "team", 0, team, 64, err) != 0)
		return (-1);
	if (!rpc_label_valid_name(*shortcut)) {
		rpc_error(err, PE_INVALID, "shortcuts are 1 to 64 letters, "
		    "digits, '_', '-', '.' or '/'");
		return (-1);
	}
	if (*body != NULL) {
		/* Refuse a template that could never render. */
		if ((text = canned_render(*body, NULL, NULL, &missing,
		    &cause)) == NULL) {
			rpc_error(err, PE_INVALID, "body: %s", cause);
			free(cause);
			return (-1);
		}
		free(text);
		json_decref(missing);
	}
	return (0);
}

static json_t *
rpc_canned_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*language;
	char		 team[64], agent[256];
	json_t		*rows;
	int		 cap;
	int64_t		 load;

	if (rpc_param_str(params, "language", 0, &language, 16, err) != 0)
		return (NULL);
	team[0] = '\0';
	store_agent_inbox(&ctx->d->store, ctx->agent.id, team, sizeof team,
	    &cap, &load);
	/*
	 * Team-scoped replies show to their team only ("" = no team: the
	 * unscoped ones); "all" shows everything.
	 */
	rows = store_canned_list(&ctx->d->store,
	    json_is_true(json_object_get(params, "all")) ? NULL : team,
	    language);
	if (!json_is_true(json_object_get(params, "with_names")))
		return (rows);
	/*
	 * The values that are the same in every conversation, so that a
	 * picker's preview shows what canned.render will fill in.
	 */
	store_agent_display(&ctx->d->store, ctx->agent.id, agent,
	    sizeof agent);
	return (json_pack("{so ss ss?}", "canned", rows, "agent_name",
	    agent[0] != '\0' ? agent : ctx->agent.name, "business_name",
	    ctx->d->conf.business_name));
}

/* canned.add (new only), canned.edit (existing only), canned.put (either). */
static json_t *
rpc_canned_put(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*shortcut, *title, *body, *language, *team, *to;
	json_t		*old, *res;
	int64_t		 id;
	int		 created, edit, r;

	edit = strcmp(ctx->method, PM_CANNED_EDIT) == 0;
	if (rpc_canned_params(params, &shortcut, &title, &body, &language,
	    &team, !edit, err) != 0 ||
	    rpc_param_str(params, "rename", 0, &to, 64, err) != 0)
		return (NULL);
	old = store_canned_get(&ctx->d->store, shortcut);
	if (edit && old == NULL)
		return (rpc_error(err, PE_NOT_FOUND, "no canned reply '%s'",
		    shortcut));
	if (strcmp(ctx->method, PM_CANNED_ADD) == 0 && old != NULL) {
		json_decref(old);
		return (rpc_error(err, PE_CONFLICT, "canned reply '%s' exists; "
		    "use canned edit", shortcut));
	}
	if (to != NULL && !rpc_label_valid_name(to)) {
		json_decref(old);
		return (rpc_error(err, PE_INVALID, "'%s' is not a valid "
		    "shortcut", to));
	}
	if (edit) {
		/* Unset fields keep their value; "" clears language/team. */
		if (title == NULL)
			title = json_string_value(json_object_get(old, "title"));
		if (body == NULL)
			body = json_string_value(json_object_get(old, "body"));
		if (language == NULL)
			language = json_string_value(json_object_get(old,
			    "language"));
		if (team == NULL)
			team = json_string_value(json_object_get(old, "team"));
	}
	if (language != NULL && *language == '\0')
		language = NULL;
	if (team != NULL && *team == '\0')
		team = NULL;
	r = store_canned_put(&ctx->d->store, shortcut, title, body, language,
	    team, (int64_t)time(NULL), &id, &created);
	/* Only now: title, body, language and team may point into it. */
	json_decref(old);
	if (r == 0 && to != NULL && strcmp(to, shortcut) != 0 &&
	    (r = store_canned_rename(&ctx->d->store, id, to)) == 1)
		return (rpc_error(err, PE_CONFLICT, "canned reply '%s' exists",
		    to));
	if (r != 0)
		return (rpc_error(err, PE_INTERNAL,
		    "cannot save canned reply"));
	ctx->audit = (struct audit_rec){ .action = ctx->method,
	    .object_type = "canned_reply", .object_id = id, .detail = shortcut,
	    .result = "ok" };
	res = store_canned_get(&ctx->d->store, to != NULL ? to : shortcut);
	json_object_set_new(res, "created", json_boolean(created));
	return (res);
}

static json_t *
rpc_canned_remove(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*shortcut;
	int		 r;

	if (rpc_param_str(params, "shortcut", 1, &shortcut, 64, err) != 0)
		return (NULL);
	if ((r = store_canned_remove(&ctx->d->store, shortcut)) == 1)
		return (rpc_error(err, PE_NOT_FOUND, "no canned reply '%s'",
		    shortcut));
	if (r != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot remove"));
	ctx->audit = (struct audit_rec){ .action = "canned.remove",
	    .object_type = "canned_reply", .detail = shortcut,
	    .result = "ok" };
	return (json_pack("{ss sb}", "shortcut", shortcut, "removed", 1));
}

/*
 * The values of fill-in fields ({{ask:LABEL}}): an object of at most 32
 * labels, each a string of at most 1024 bytes.
 */
static int
rpc_canned_fields(json_t *params, json_t **fields, struct rpc_err *err)
{
	const char	*k;
	json_t		*v;

	*fields = json_object_get(params, "fields");
	if (*fields == NULL)
		return (0);
	if (!json_is_object(*fields) || json_object_size(*fields) > 32) {
		rpc_error(err, PE_INVALID, "fields must be an object of at "
		    "most 32 \"label\": \"value\" pairs");
		return (-1);
	}
	json_object_foreach(*fields, k, v) {
		if (strlen(k) > 64 || !json_is_string(v) ||
		    json_string_length(v) > 1024) {
			rpc_error(err, PE_INVALID, "a field's label has at most "
			    "64 bytes and its value is text of at most 1024 "
			    "bytes");
			return (-1);
		}
	}
	return (0);
}

/*
 * The exact text a canned reply would send in a conversation. With a
 * conversation the text holds the customer's name: a read of personal
 * data, audited (ctx->audit), so it takes the write path.
 */
static json_t *
rpc_canned_render(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_conv_info	 ci;
	struct canned_fill	 v;
	const char		*shortcut, *body, *purpose;
	json_t			*reply = NULL, *missing, *res, *asks, *fields;
	int64_t			 conv = 0;
	char			*text, *cause = NULL;

	if (rpc_param_str(params, "shortcut", 0, &shortcut, 64, err) != 0 ||
	    rpc_param_str(params, "body", 0, &body, CANNED_BODY_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "conversation", 0, &conv, 1, INT64_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "purpose", 0, &purpose, 200, err) != 0)
		return (NULL);
	if (shortcut != NULL) {
		if ((reply = store_canned_get(&ctx->d->store,
		    shortcut)) == NULL)
			return (rpc_error(err, PE_NOT_FOUND, "no canned reply "
			    "'%s'", shortcut));
		body = json_string_value(json_object_get(reply, "body"));
	} else if (body == NULL)
		return (rpc_error(err, PE_INVALID,
		    "give 'shortcut' or 'body'"));
	if (rpc_canned_fields(params, &fields, err) != 0) {
		json_decref(reply);
		return (NULL);
	}
	memset(&ci, 0, sizeof ci);
	if (conv != 0) {
		if (rpc_lookup(store_conv_info(&ctx->d->store, conv, &ci),
		    err, "no conversation %lld", (long long)conv) != 0) {
			json_decref(reply);
			return (NULL);
		}
		/* The text would hold the customer's name: the same gate. */
		if (rpc_privacy_may_read(ctx, "canned.render", ci.contact_id,
		    conv, purpose, err) != 0) {
			json_decref(reply);
			return (NULL);
		}
		ctx->audit = (struct audit_rec){ .action = "canned.render",
		    .object_type = "conversation", .object_id = conv,
		    .contact_id = ci.contact_id, .detail = shortcut,
		    .purpose = purpose, .result = "ok" };
	}
	/* The name customers see for the agent; the login if none is set. */
	canned_fill_init(&v, ctx->d, conv, conv != 0 ? ci.contact_id : 0,
	    ctx->agent.id, ctx->agent.name);
	v.fields = fields;
	text = canned_fill_render(&v, body, &missing, &cause);
	/* The fields to ask for: what the client prompts for before. */
	asks = text != NULL ? canned_fields(body, NULL) : NULL;
	json_decref(reply);
	canned_fill_clear(&v);
	if (text == NULL) {
		rpc_error(err, PE_INVALID, "%s", cause);
		free(cause);
		return (NULL);
	}
	res = json_pack("{ss so sb so}", "text", text, "missing", missing,
	    "complete", json_array_size(missing) == 0, "fields",
	    asks != NULL ? asks : json_array());
	crypt_wipe_free(text, strlen(text));
	return (res);
}

const struct rpc_method rpc_canned_methods[] = {
	{ PM_CANNED_LIST,	RPC_AGENT,	RPC_READONLY,
	    rpc_canned_list },
	{ PM_CANNED_ADD,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_canned_put },
	{ PM_CANNED_EDIT,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_canned_put },
	{ PM_CANNED_PUT,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_canned_put },
	{ PM_CANNED_REMOVE,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_canned_remove },
	{ PM_CANNED_RENDER,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_canned_render },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
