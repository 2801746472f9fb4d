/* The action executor of rules and macros; see action.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "action.h"
#include "autosend.h"
#include "canned.h"
#include "canned-fill.h"
#include "clock.h"
#include "crypt.h"
#include "daemon.h"
#include "names.h"
#include "proto-names.h"
#include "store.h"
#include "when.h"

/*
 * Calls a method's function as the caller's own request would, inside the
 * caller's transaction: the role the method needs (an agent's; a rule's
 * context has no peer and acts as the daemon), then the method, then its
 * own record (ctx->audit) appended as it stands. Takes params.
 */
static int
action_call(struct action_run *ar, const char *method, json_t *params,
    struct rpc_err *err)
{
	struct rpc_ctx		*ctx = ar->ctx;
	const struct rpc_method	*m = NULL, *set;
	enum agent_role		 role;
	const char		*saved = ctx->method;
	json_t			*res;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; rpc_sets[i] != NULL && m == NULL; i++) {
		for (set = rpc_sets[i]; set->name != NULL; set++) {
			if (strcmp(set->name, method) == 0) {
				m = set;
				break;
			}
		}
	}
	if (m == NULL) {
		json_decref(params);
		rpc_error(err, PE_INTERNAL, "no method %s", method);
		return (-1);
	}
	if (ctx->peer != NULL && m->role > RPC_AGENT &&
	    (names_role_from(ctx->agent.role, &role) != 0 ||
	    (enum rpc_role)(RPC_AGENT + (int)role) < m->role)) {
		json_decref(params);
		rpc_error(err, PE_DENIED, "'%s' needs the %s role; you are %s",
		    method, rpc_role_name(m->role), ctx->agent.role);
		return (-1);
	}
	ctx->method = m->name;
	memset(&ctx->audit, 0, sizeof ctx->audit);
	res = m->fn(ctx, params, err);
	ctx->method = saved;
	/* Before params go: the record's detail may be one of them. */
	if (res != NULL && ctx->audit.action != NULL)
		rc = rpc_audit(ctx, &ctx->audit, err);
	memset(&ctx->audit, 0, sizeof ctx->audit);
	json_decref(params);
	if (res == NULL)
		return (-1);
	json_decref(res);
	return (rc);
}

/*
 * The canned reply's text for this conversation (allocated; wipe it), or
 * NULL with err: no such reply, or one with fill-in fields nobody is there
 * to fill.
 */
static char *
action_canned(struct action_run *ar, const char *shortcut,
    struct rpc_err *err)
{
	struct rpc_ctx		*ctx = ar->ctx;
	struct store_conv_info	 ci;
	struct canned_fill	 v;
	json_t			*reply, *asks, *missing = NULL;
	const char		*body;
	char			*text, *cause = NULL;

	if ((reply = store_canned_get(&ctx->d->store, shortcut)) == NULL) {
		rpc_error(err, PE_NOT_FOUND, "no canned reply '%s'; add it "
		    "(canned add) or change the rule file", shortcut);
		return (NULL);
	}
	body = json_string_value(json_object_get(reply, "body"));
	asks = canned_fields(body, NULL);
	if (asks == NULL || json_array_size(asks) > 0) {
		json_decref(asks);
		json_decref(reply);
		rpc_error(err, PE_INVALID, "canned reply '%s' asks for fields "
		    "({{ask:...}}) that nobody is there to fill; use one "
		    "without them", shortcut);
		return (NULL);
	}
	json_decref(asks);
	if (rpc_lookup(store_conv_info(&ctx->d->store, ar->conv, &ci), err,
	    "no conversation %lld", (long long)ar->conv) != 0) {
		json_decref(reply);
		return (NULL);
	}
	/* A rule's reply is the daemon's: no agent name in it. */
	canned_fill_init(&v, ctx->d, ar->conv, ci.contact_id, ar->rule ==
	    NULL ? ctx->agent.id : 0, ctx->agent.name);
	text = canned_fill_render(&v, body, &missing, &cause);
	json_decref(missing);
	json_decref(reply);
	canned_fill_clear(&v);
	if (text == NULL) {
		rpc_error(err, PE_INVALID, "canned reply '%s': %s", shortcut,
		    cause != NULL ? cause : "cannot render");
		free(cause);
	}
	return (text);
}

static int
action_reply(struct action_run *ar, const char *shortcut,
    struct rpc_err *err)
{
	json_t	*draft;
	char	*text, detail[160];
	int	 rc;

	if ((text = action_canned(ar, shortcut, err)) == NULL)
		return (-1);
	if (ar->rule == NULL) {
		/*
		 * A reply takes the agent's draft of the conversation with it
		 * (what was typed is sent); a macro's canned reply is not what
		 * was typed, so the draft is put back as it was.
		 */
		draft = store_draft_get(&ar->ctx->d->store, ar->ctx->agent.id,
		    ar->conv);
		rc = action_call(ar, PM_REPLY, json_pack("{sI ss}", "conv",
		    (json_int_t)ar->conv, "text", text), err);
		crypt_wipe_free(text, strlen(text));
		if (rc == 0 && json_is_string(json_object_get(draft, "text")) &&
		    store_draft_set(&ar->ctx->d->store, ar->ctx->agent.id,
		    ar->conv, json_string_value(json_object_get(draft, "text")),
		    json_integer_value(json_object_get(draft, "reply_to")),
		    json_integer_value(json_object_get(draft, "updated"))) != 0) {
			rpc_error(err, PE_INTERNAL, "cannot keep the draft");
			rc = -1;
		}
		json_decref(draft);
		return (rc);
	}
	/* The daemon's own message: autosend decides whether it may go. */
	snprintf(detail, sizeof detail, "rule %s: canned %s", ar->rule,
	    shortcut);
	rc = autosend_text(ar->ctx->d, ar->conv, text, NULL, detail, NULL);
	crypt_wipe_free(text, strlen(text));
	if (rc < 0) {
		rpc_error(err, PE_INTERNAL, "cannot queue the reply");
		return (-1);
	}
	if (rc > 0)
		snprintf(ar->note, sizeof ar->note, "reply not sent: %s",
		    autosend_skip_name(rc));
	return (0);
}

/* An event to the agents named, or to every active agent of a team. */
static int
action_notify(struct action_run *ar, const struct rf_action *a,
    struct rpc_err *err)
{
	struct rpc_ctx		*ctx = ar->ctx;
	struct store_agent	 ag;
	json_t			*all, *o;
	size_t			 i, n = 0;
	int			 team = strcmp(a->args[0], "team") == 0;

	all = team ? store_agent_list(&ctx->d->store) : NULL;
	for (i = 1; team ? i - 1 < json_array_size(all) : i < a->nargs; i++) {
		o = team ? json_array_get(all, i - 1) : NULL;
		if (store_agent_by_name(&ctx->d->store, team ?
		    json_string_value(json_object_get(o, "name")) :
		    a->args[i], &ag) != STORE_FOUND || !ag.active ||
		    ag.removed)
			continue;
		if (team && strcmp(ag.team, a->args[1]) != 0)
			continue;
		rpc_event_uid(ctx, (unsigned)ag.uid, PEV_NOTIFY, json_pack(
		    "{sI ss ss}", "conversation", (json_int_t)ar->conv, "rule",
		    ar->rule != NULL ? ar->rule : "", "text", team ?
		    "for your team" : "for you"));
		n++;
	}
	json_decref(all);
	if (n == 0)
		snprintf(ar->note, sizeof ar->note, "nobody to notify (%s %s)",
		    a->args[0], a->args[1]);
	(void)err;
	return (0);
}

int
action_run(struct action_run *ar, const struct rf_action *a,
    struct rpc_err *err)
{
	const char	*why;
	char		 expr[RF_LINE_MAX + 1];
	int64_t		 until, now = clock_now();
	size_t		 i, o = 0;
	json_int_t	 id = (json_int_t)ar->conv;

	switch (a->kind) {
	case RF_DO_TEAM:
		return (action_call(ar, PM_CONV_TEAM, json_pack("{sI ss}",
		    "id", id, "team", a->args[0]), err));
	case RF_DO_ASSIGN:
		return (action_call(ar, PM_CONV_ASSIGN, json_pack("{sI ss}",
		    "id", id, "to", a->args[0]), err));
	case RF_DO_LABEL:
		return (action_call(ar, PM_CONV_LABEL, json_pack("{sI ss}",
		    "id", id, "label", a->args[0]), err));
	case RF_DO_PRIORITY:
		return (action_call(ar, PM_CONV_PRIORITY, json_pack("{sI ss}",
		    "id", id, "priority", a->args[0]), err));
	case RF_DO_RESOLVE:
		return (action_call(ar, PM_CONV_STATE, json_pack("{sI ss}",
		    "id", id, "state", "resolved"), err));
	case RF_DO_SNOOZE:
		expr[0] = '\0';
		for (i = 0; i < a->nargs && o < sizeof expr; i++)
			o += (size_t)snprintf(expr + o, sizeof expr - o,
			    "%s%s", a->args[i], i + 1 < a->nargs ? " " : "");
		if (when_duration(expr, &until, &why) == 0)
			until += now;
		else if (when_future(expr, (time_t)now, &until, &why) != 0) {
			rpc_error(err, PE_INVALID, "snooze '%s': %s", expr,
			    why);
			return (-1);
		}
		return (action_call(ar, PM_CONV_STATE, json_pack("{sI ss sI}",
		    "id", id, "state", "snoozed", "until",
		    (json_int_t)until), err));
	case RF_DO_REPLY:
		return (action_reply(ar, a->args[0], err));
	case RF_DO_NOTIFY:
		return (action_notify(ar, a, err));
	}
	rpc_error(err, PE_INTERNAL, "unknown action");
	return (-1);
}
