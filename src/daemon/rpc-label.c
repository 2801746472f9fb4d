/*
 * label.*: the labels conversations can carry (created, renamed and
 * deleted by supervisors, listed with their use); putting them on and
 * taking them off a conversation is conv.label and conv.unlabel
 * (rpc-conv.c). The rule for a label's name serves teams and canned
 * shortcuts too.
 */
#include <ctype.h>
#include <string.h>

#include "audit.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

#define RPC_LABEL_NAME_MAX	64

int
rpc_label_valid_name(const char *s)
{
	size_t	i;

	if (s[0] == '\0' || strlen(s) > RPC_LABEL_NAME_MAX)
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.' && s[i] != '/' && s[i] != ':')
			return (0);
	}
	return (1);
}

/* label.create, label.rename, label.delete share the lookup and audit. */
static json_t *
rpc_label_change(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*name, *to = NULL, *color = NULL;
	const char	*op = ctx->method + strlen("label.");
	int64_t		 id = 0;
	int		 r;

	if (rpc_param_str(params, "name", 1, &name, 64, err) != 0 ||
	    rpc_param_str(params, "to", 0, &to, 64, err) != 0 ||
	    rpc_param_str(params, "color", 0, &color, 32, err) != 0)
		return (NULL);
	if (strcmp(op, "rename") == 0 && to == NULL)
		return (rpc_error(err, PE_INVALID, "missing parameter 'to'"));
	if (!rpc_label_valid_name(strcmp(op, "rename") == 0 ? to : name))
		return (rpc_error(err, PE_INVALID, "label names are 1 to 64 "
		    "letters, digits, '_', '-', '.' or '/'"));
	if (strcmp(op, "create") != 0 && rpc_lookup(store_label_id(
	    &ctx->d->store, name, &id), err, "no label '%s'", name) != 0)
		return (NULL);
	ctx->audit = (struct audit_rec){ .action = ctx->method,
	    .object_type = "label", .detail = name, .result = "ok" };
	if (strcmp(op, "create") == 0)
		r = store_label_create(&ctx->d->store, name, color, &id);
	else if (strcmp(op, "rename") == 0) {
		r = store_label_rename(&ctx->d->store, id, to);
		rpc_audit_detail(ctx, "%s -> %s", name, to);
	} else
		r = store_label_delete(&ctx->d->store, id);
	if (r == 1)
		return (rpc_error(err, PE_CONFLICT, "a label '%s' already "
		    "exists", to != NULL ? to : name));
	if (r != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot change label"));
	ctx->audit.object_id = id;
	rpc_event(ctx, PEV_LABEL, json_pack("{ss ss ss? ss}", "op", op, "name",
	    name, "to", to, "by", ctx->agent.name));
	return (json_pack("{sI ss}", "id", (json_int_t)id, "name",
	    to != NULL ? to : name));
}

static json_t *
rpc_label_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	return (store_label_list(&ctx->d->store));
}

const struct rpc_method rpc_label_methods[] = {
	{ PM_LABEL_CREATE,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_label_change },
	{ PM_LABEL_RENAME,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_label_change },
	{ PM_LABEL_DELETE,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_label_change },
	{ PM_LABEL_LIST,	RPC_AGENT,	RPC_READONLY,
	    rpc_label_list },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
