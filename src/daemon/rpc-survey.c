/*
 * survey.*: the satisfaction survey's results for reports (issue 16). Read
 * only, and nothing personal in them: counts and ratings per team, agent
 * and scale; no conversation, contact or message.
 */
#include <stdint.h>
#include <string.h>

#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"

static json_t *
rpc_survey_results(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_agent	 a;
	const char		*team = NULL, *agent = NULL;
	int64_t			 since = 0, sent = 0, answered = 0, sum;
	json_t			*groups, *g;
	size_t			 i;

	if (rpc_param_str(params, "team", 0, &team, 64, err) != 0 ||
	    rpc_param_str(params, "agent", 0, &agent, 64, err) != 0 ||
	    rpc_param_int(params, "since", 0, &since, 0, INT64_MAX / 2,
	    err) != 0)
		return (NULL);
	memset(&a, 0, sizeof a);
	if (agent != NULL && rpc_lookup(store_agent_by_name(&ctx->d->store,
	    agent, &a), err, "no agent '%s' (agent list shows them)",
	    agent) != 0)
		return (NULL);
	if ((groups = store_survey_results(&ctx->d->store, team, a.id,
	    since)) == NULL)
		return (rpc_error(err, PE_INTERNAL, "cannot read the results"));
	json_array_foreach(groups, i, g) {
		sum = json_integer_value(json_object_get(g, "sum"));
		sent += json_integer_value(json_object_get(g, "sent"));
		answered += json_integer_value(json_object_get(g, "answered"));
		json_object_set_new(g, "average", json_integer_value(
		    json_object_get(g, "answered")) > 0 ? json_real(
		    (double)sum / (double)json_integer_value(json_object_get(g,
		    "answered"))) : json_null());
		json_object_del(g, "sum");
	}
	return (json_pack("{so sI sI sI}", "groups", groups, "sent",
	    (json_int_t)sent, "answered", (json_int_t)answered, "since",
	    (json_int_t)since));
}

const struct rpc_method rpc_survey_methods[] = {
	{ PM_SURVEY_RESULTS,	RPC_SUPERVISOR,	RPC_READONLY,
	    rpc_survey_results },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
