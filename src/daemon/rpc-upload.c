/*
 * upload.*: attachments coming in from clients in chunks, on their way to
 * a reply (upload.h keeps them sealed on disk). They touch neither the
 * store nor the audit log, so they stay off the write path; a reply takes
 * the finished upload (rpc-send.c).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypt.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "upload.h"
#include "xmalloc.h"

#define RPC_UPLOAD_CHUNK_MAX	(768 * 1024)	/* base64 bytes per frame */

static json_t *
rpc_upload_chunk(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const char	*b64, *code = NULL;
	int64_t		 id = 0;
	uint8_t		*bin;
	size_t		 binlen, total, cap;
	char		*cause = NULL;

	if (rpc_param_int(params, "upload", 0, &id, 0, INT64_MAX, err) != 0 ||
	    rpc_param_str(params, "data", 1, &b64, RPC_UPLOAD_CHUNK_MAX,
	    err) != 0)
		return (NULL);
	cap = strlen(b64) / 4 * 3 + 3;
	bin = xmalloc(cap);
	if (sodium_base642bin(bin, cap, b64, strlen(b64), NULL, &binlen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bin);
		return (rpc_error(err, PE_INVALID, "data is not base64"));
	}
	if (uploads_add(ctx->d->uploads, ctx->agent.id, &id, bin, binlen,
	    &total, &code, &cause) != 0) {
		crypt_wipe_free(bin, cap);
		rpc_error(err, code, "%s", cause);
		free(cause);
		return (NULL);
	}
	crypt_wipe_free(bin, cap);
	return (json_pack("{sI sI}", "upload", (json_int_t)id, "size",
	    (json_int_t)total));
}

/* An upload the client gives up on: its file goes now, not at expiry. */
static json_t *
rpc_upload_abort(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t	id;

	if (rpc_param_int(params, "upload", 1, &id, 1, INT64_MAX, err) != 0)
		return (NULL);
	if (uploads_abort(ctx->d->uploads, ctx->agent.id, id) != 0)
		return (rpc_error(err, PE_NOT_FOUND, "no upload %lld of yours "
		    "in progress", (long long)id));
	return (json_pack("{sI}", "aborted", (json_int_t)id));
}

const struct rpc_method rpc_upload_methods[] = {
	{ PM_UPLOAD_CHUNK,	RPC_AGENT,	0,	rpc_upload_chunk },
	{ PM_UPLOAD_ABORT,	RPC_AGENT,	0,	rpc_upload_abort },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};
