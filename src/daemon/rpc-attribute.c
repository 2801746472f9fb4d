/*
 * attribute.*: the contact attributes a team defines (customer_no text,
 * plan enum, ...). Defining and removing them changes what every agent
 * records about customers, so it is a supervisor's (and an admin's) call;
 * any agent lists them. The values are the contacts' (contact.edit,
 * contact.show, contact.search in rpc-contact.c).
 */
#include <string.h>
#include <time.h>

#include "audit.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

static int
rpc_attribute_name(json_t *params, const char **name, struct rpc_err *err)
{
	if (rpc_param_str(params, "name", 1, name, STORE_ATTR_NAME_MAX,
	    err) != 0)
		return (-1);
	if (!store_attribute_valid_name(*name)) {
		rpc_error(err, PE_INVALID, "an attribute name is 1 to %d "
		    "lower-case letters, digits or '_', starting with a "
		    "letter, and not name, phone, number, language, contact, "
		    "conv, bsuid, user_id or wa_id", STORE_ATTR_NAME_MAX);
		return (-1);
	}
	return (0);
}

static json_t *
rpc_attribute_define(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*name, *type, *choices = NULL;
	char		 why[160];
	int64_t		 id = 0;
	int		 rc;

	if (rpc_attribute_name(params, &name, err) != 0 ||
	    rpc_param_str(params, "type", 1, &type, 16, err) != 0 ||
	    rpc_param_str(params, "values", 0, &choices, 1024, err) != 0)
		return (NULL);
	if (!store_attribute_valid_type(type))
		return (rpc_error(err, PE_INVALID, "the type is text, number, "
		    "date, bool or enum"));
	if (strcmp(type, "enum") == 0) {
		if (!store_attribute_valid_choices(choices, why, sizeof why))
			return (rpc_error(err, PE_INVALID, "%s", why));
	} else if (choices != NULL)
		return (rpc_error(err, PE_INVALID, "only an enum attribute has "
		    "values"));
	rc = store_attribute_define(&ctx->d->store, name, type, choices,
	    ctx->agent.id, (int64_t)time(NULL), &id);
	if (rc == 1)
		return (rpc_error(err, PE_CONFLICT, "an attribute '%s' already "
		    "exists", name));
	if (rc == 2)
		return (rpc_error(err, PE_INVALID, "at most %d attributes can "
		    "be defined; remove one first", STORE_ATTR_DEFS_MAX));
	if (rc != 0)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	ctx->audit = (struct audit_rec){ .action = "attribute.define",
	    .object_type = "attribute", .object_id = id, .result = "ok" };
	rpc_audit_detail(ctx, "%s %s", name, type);
	return (json_pack("{sI ss ss}", "id", (json_int_t)id, "name", name,
	    "type", type));
}

static json_t *
rpc_attribute_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	return (store_attribute_list(&ctx->d->store));
}

static json_t *
rpc_attribute_remove(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*name;
	int64_t		 values = 0;
	int		 rc;

	if (rpc_attribute_name(params, &name, err) != 0)
		return (NULL);
	rc = store_attribute_remove(&ctx->d->store, name, &values);
	if (rc == 1)
		return (rpc_error(err, PE_NOT_FOUND, "no attribute '%s' (see: "
		    "support-inbox attribute list)", name));
	if (rc != 0)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	ctx->audit = (struct audit_rec){ .action = "attribute.remove",
	    .object_type = "attribute", .result = "ok" };
	rpc_audit_detail(ctx, "%s (%lld values)", name, (long long)values);
	return (json_pack("{ss sI}", "name", name, "values",
	    (json_int_t)values));
}

const struct rpc_method rpc_attribute_methods[] = {
	{ PM_ATTRIBUTE_DEFINE,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_attribute_define },
	{ PM_ATTRIBUTE_LIST,	RPC_AGENT,	RPC_READONLY,
	    rpc_attribute_list },
	{ PM_ATTRIBUTE_REMOVE,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_attribute_remove },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
