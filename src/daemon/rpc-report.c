/*
 * report.get (issue 19, point 3): a report of aggregates (report.c) for
 * supervisors. Nothing personal is read, so no purpose is asked; the read
 * is audited as one report.read record naming the kind and the range.
 */
#include <ctype.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "conf.h"
#include "daemon.h"
#include "proto-names.h"
#include "report.h"
#include "rpc.h"

#define RPC_REPORT_NUMBER_MAX	32	/* digits of a phone number id */

/* A business number's label or phone number id; an id no longer in the
 * configuration is taken as it is (its past conversations stay). */
static const char *
rpc_report_number(struct rpc_ctx *ctx, const char *s)
{
	const struct conf_number	*n;
	size_t				 i;

	if ((n = conf_number_by_label(&ctx->d->conf, s)) != NULL ||
	    (n = conf_number_by_id(&ctx->d->conf, s)) != NULL)
		return (n->phone_number_id);
	if (s[0] == '\0' || strlen(s) > RPC_REPORT_NUMBER_MAX)
		return (NULL);
	for (i = 0; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]))
			return (NULL);
	return (s);
}

static json_t *
rpc_report_get(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct report_q	 q;
	const char	*number = NULL, *why;
	json_t		*r;
	size_t		 i;

	memset(&q, 0, sizeof q);
	if (rpc_param_str(params, "kind", 1, &q.kind, 16, err) != 0 ||
	    rpc_param_int(params, "from", 1, &q.from, 0, INT64_MAX / 2,
	    err) != 0 ||
	    rpc_param_int(params, "to", 1, &q.to, 1, INT64_MAX / 2,
	    err) != 0 ||
	    rpc_param_str(params, "team", 0, &q.team, 64, err) != 0 ||
	    rpc_param_str(params, "number", 0, &number, 64, err) != 0 ||
	    rpc_param_str(params, "by", 0, &q.by, 8, err) != 0)
		return (NULL);
	for (i = 0; report_kinds[i] != NULL; i++)
		if (strcmp(q.kind, report_kinds[i]) == 0)
			break;
	if (report_kinds[i] == NULL)
		return (rpc_error(err, PE_INVALID, "'kind' is volume, "
		    "response, resolution, agents, labels, survey or "
		    "failures"));
	if (q.to <= q.from || q.to - q.from > REPORT_SPAN_MAX)
		return (rpc_error(err, PE_INVALID, "'to' must be after 'from' "
		    "and at most 3660 days later"));
	if (q.team != NULL && !rpc_label_valid_name(q.team))
		return (rpc_error(err, PE_INVALID, "team names are 1 to 64 "
		    "letters, digits, '_', '-', '.' or '/'"));
	if (number != NULL &&
	    (q.number = rpc_report_number(ctx, number)) == NULL)
		return (rpc_error(err, PE_INVALID, "'number' is a business "
		    "number's label or its phone number id"));
	if ((why = report_by_valid(q.kind, q.by)) != NULL)
		return (rpc_error(err, PE_INVALID, "%s", why));
	q.now = clock_now();
	ctx->audit = (struct audit_rec){ .action = "report.read",
	    .object_type = "report", .result = "ok" };
	rpc_audit_detail(ctx, "%s %lld..%lld%s%s%s%s%s%s", q.kind,
	    (long long)q.from, (long long)q.to, q.team != NULL ? " team=" : "",
	    q.team != NULL ? q.team : "", number != NULL ? " number=" : "",
	    number != NULL ? number : "", q.by != NULL ? " by=" : "",
	    q.by != NULL ? q.by : "");
	if ((r = report_get(ctx->d, &q)) == NULL)
		return (rpc_error(err, PE_INTERNAL, "cannot read the report"));
	return (r);
}

/* An audited read: RPC_WRITE for the record, RPC_READONLY for the rest. */
const struct rpc_method rpc_report_methods[] = {
	{ PM_REPORT_GET,	RPC_SUPERVISOR,	RPC_WRITE | RPC_READONLY,
	    rpc_report_get },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
