/*
 * Reading the audit log: recent records for supervisors, JSON-lines export
 * for auditors (paged; the client writes the lines), and verifying the
 * chain and its checkpoints. Reading the log is itself recorded
 * (security-privacy.md 1.6).
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "daemon.h"
#include "privacy.h"
#include "proto-names.h"
#include "proto.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

#define RPC_AUDIT_PAGE	1000

struct rpc_audit_collect {
	struct daemon	*d;
	json_t		*rows;
	int		 detail;
	int64_t		 last;
};

static int
rpc_audit_collect(const struct store_audit_row *r, void *arg)
{
	struct rpc_audit_collect	*c = arg;

	json_array_append_new(c->rows, audit_row_json(c->d, r, c->detail));
	c->last = r->seq;
	return (0);
}

/* Filters shared by show and export. */
static int
rpc_audit_filter(struct rpc_ctx *ctx, json_t *params,
    struct store_audit_filter *f, struct rpc_err *err)
{
	const char	*spec;
	char		*cause = NULL;
	int		 rc;

	memset(f, 0, sizeof *f);
	if (rpc_param_int(params, "from", 0, &f->from_ms, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "to", 0, &f->to_ms, 0, INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "after", 0, &f->after_seq, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "before", 0, &f->before_seq, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "agent", 0, &f->agent, 64, err) != 0 ||
	    rpc_param_str(params, "action", 0, &f->action, 64, err) != 0 ||
	    rpc_param_str(params, "contact", 0, &spec, 128, err) != 0)
		return (-1);
	if (spec != NULL) {
		if ((rc = privacy_contact(ctx->d, spec, &f->contact_id,
		    &cause)) != 0) {
			/* An erased contact is still named by contact:N. */
			if (strncmp(spec, "contact:", 8) == 0 && rc == 1)
				f->contact_id = strtoll(spec + 8, NULL, 10);
			else {
				rpc_error(err, rc < 0 ? "invalid" :
				    "not_found", "%s", cause);
				free(cause);
				return (-1);
			}
			free(cause);
		}
	}
	return (0);
}

static json_t *
rpc_audit_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err,
    int export)
{
	struct store_audit_filter	 f;
	struct rpc_audit_collect	 c;
	int64_t				 limit = export ? RPC_AUDIT_PAGE : 50;
	json_t				*res;
	char				*detail;
	const char			*purpose;

	if (rpc_audit_filter(ctx, params, &f, err) != 0 ||
	    rpc_param_int(params, "limit", 0, &limit, 1, RPC_AUDIT_PAGE,
	    err) != 0 ||
	    rpc_param_str(params, "purpose", 0, &purpose, 200, err) != 0)
		return (NULL);
	f.limit = limit + 1;
	f.newest_first = !export;
	memset(&c, 0, sizeof c);
	c.d = ctx->d;
	c.rows = json_array();
	/*
	 * Details and purposes may hold personal data (a search query, a
	 * reason naming someone): admins only, giving a purpose of their
	 * own, which this read's record keeps (sealed too).
	 */
	c.detail = strcmp(ctx->agent.role, "admin") == 0 &&
	    json_is_true(json_object_get(params, "detail"));
	if (c.detail && purpose == NULL) {
		json_decref(c.rows);
		return (rpc_error(err, PE_PURPOSE_REQUIRED, "reading sealed "
		    "details needs a purpose (--purpose TEXT); it is logged"));
	}
	if (store_audit_query(&ctx->d->store, &f, rpc_audit_collect,
	    &c) != 0) {
		json_decref(c.rows);
		return (rpc_error(err, PE_INTERNAL, "database error"));
	}
	res = json_object();
	json_object_set_new(res, "more", json_boolean(
	    json_array_size(c.rows) > (size_t)limit));
	if (json_array_size(c.rows) > (size_t)limit)
		json_array_remove(c.rows, json_array_size(c.rows) - 1);
	json_object_set_new(res, "records", c.rows);
	ctx->audit = (struct audit_rec){ .action = export ? "audit.export" :
	    "audit.show", .object_type = "audit", .contact_id = f.contact_id,
	    .purpose = purpose, .result = "ok" };
	/* The query (filters, no personal data beyond a contact id). */
	if ((detail = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS)) !=
	    NULL)
		rpc_audit_detail(ctx, "%s", detail);
	free(detail);
	return (res);
}

static json_t *
rpc_audit_show(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_audit_list(ctx, params, err, 0));
}

static json_t *
rpc_audit_export(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_audit_list(ctx, params, err, 1));
}

static json_t *
rpc_audit_verify(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	json_t			*res;
	const char		*copy, *name;

	/* The text of an off-host copy of the checkpoint file, if given. */
	if (rpc_param_str(params, "against", 0, &copy, PROTO_FRAME_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "against_name", 0, &name, 256, err) != 0)
		return (NULL);
	res = audit_verify(ctx->d, copy, name);
	ctx->audit = (struct audit_rec){ .action = "audit.verify",
	    .result = json_is_true(json_object_get(res, "ok")) ? "ok" :
	    "failed" };
	return (res);
}

/*
 * The signed checkpoints after seq "after", as lines of the checkpoint
 * file, and the newest record's seq: what "audit ship" copies off the
 * host, so that an admin ships them without reading the daemon's data
 * directory. No personal data: sequence numbers, times, hashes, signatures.
 */
static json_t *
rpc_audit_checkpoints(struct rpc_ctx *ctx, json_t *params,
    struct rpc_err *err)
{
	struct buf	 b;
	int64_t		 after = 0, n, head;
	uint8_t		 hash[32];
	int		 more = 0;
	json_t		*res;

	if (rpc_param_int(params, "after", 0, &after, 0, INT64_MAX, err) != 0)
		return (NULL);
	if (store_audit_head(&ctx->d->store, &head, hash) != 0)
		return (rpc_error(err, PE_INTERNAL, "database error"));
	buf_init(&b, 0);
	buf_adds(&b, "");
	/* A frame holds about 1 MB; a line is about 330 bytes. */
	if ((n = audit_ckpt_lines(ctx->d, after, RPC_AUDIT_PAGE, &b,
	    &more)) < 0) {
		buf_release(&b);
		return (rpc_error(err, PE_INTERNAL, "database error"));
	}
	res = json_pack("{s:s%, s:I, s:I, s:b}", "lines", b.data, b.len,
	    "count", (json_int_t)n, "last_seq", (json_int_t)head, "more",
	    more);
	buf_release(&b);
	ctx->audit = (struct audit_rec){ .action = "audit.checkpoints",
	    .object_type = "audit", .object_id = after, .result = "ok" };
	return (res);
}

const struct rpc_method rpc_audit_methods[] = {
	{ PM_AUDIT_SHOW,	RPC_SUPERVISOR,	RPC_WRITE | RPC_READONLY,
	    rpc_audit_show },
	{ PM_AUDIT_EXPORT,	RPC_ADMIN,	RPC_WRITE | RPC_READONLY,
	    rpc_audit_export },
	{ PM_AUDIT_VERIFY,	RPC_SUPERVISOR,	RPC_WRITE | RPC_READONLY,
	    rpc_audit_verify },
	{ PM_AUDIT_CHECKPOINTS,	RPC_ADMIN,	RPC_WRITE | RPC_READONLY,
	    rpc_audit_checkpoints },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
