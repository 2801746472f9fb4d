/*
 * Reading a stored file (a customer's photo, a document): the daemon holds
 * the blob, sealed with the contact's key; the client gets the bytes in
 * chunks that fit a frame and saves them itself, since only the agent may
 * write where the agent wants the file. Audited once per fetch: an audited
 * read on the dispatcher's write path, answered on a damaged store too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "daemon.h"
#include "media.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

#define RPC_MEDIA_CHUNK	(512 * 1024)	/* base64: about 700 KB a frame */

static json_t *
rpc_media_get(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_media_row	 row;
	struct media_blob	 blob;
	struct audit_rec	 rec;
	int64_t			 msg, offset = 0, conv, contact;
	const char		*purpose;
	char			*b64, *cause = NULL;
	size_t			 n, b64len;
	json_t			*res;
	int			 rc, fresh;

	if (rpc_param_int(params, "message", 1, &msg, 1, INT64_MAX, err) != 0 ||
	    rpc_param_int(params, "offset", 0, &offset, 0, INT64_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "purpose", 0, &purpose, 200, err) != 0)
		return (NULL);
	if (rpc_lookup(store_msg_where(&ctx->d->store, msg, &conv, &contact),
	    err, "no message %lld", (long long)msg) != 0)
		return (NULL);
	if (purpose != NULL && purpose[strspn(purpose, " \t")] == '\0')
		purpose = NULL;
	if (rpc_privacy_may_read(ctx, "media.read", contact, conv, purpose,
	    err) != 0)
		return (NULL);
	rc = store_media_by_msg(&ctx->d->store, msg, &row);
	if (rc != 0)
		return (rpc_error(err, PE_NOT_FOUND,
		    "message %lld has no stored "
		    "file", (long long)msg));
	if (strcmp(row.state, "done") != 0) {
		if (strcmp(row.state, "failed") == 0)
			rpc_error(err, PE_FAILED, "the file could not be "
			    "downloaded from WhatsApp (%lld attempts); it may "
			    "have expired there", (long long)row.attempts);
		else
			rpc_error(err, PE_NOT_READY, "the file is still being "
			    "downloaded (attempt %lld); try again shortly",
			    (long long)row.attempts);
		store_media_row_clear(&row);
		return (NULL);
	}
	rec = (struct audit_rec){ .action = "media.read",
	    .object_type = "media", .object_id = row.id,
	    .contact_id = contact, .purpose = purpose, .result = "ok" };
	store_media_row_clear(&row);
	if (media_blob_read(ctx->d, rec.object_id, contact, &blob,
	    &cause) != 0) {
		rpc_error(err, PE_INTERNAL, "%s", cause);
		free(cause);
		return (NULL);
	}
	if ((size_t)offset > blob.len) {
		media_blob_clear(&blob);
		return (rpc_error(err, PE_INVALID,
		    "offset %lld is past the end "
		    "of the file (%zu bytes)", (long long)offset, blob.len));
	}
	/*
	 * One record per fetch, not per chunk: a chunk continues the fetch
	 * this connection started (same message, the very next offset);
	 * any other request, whatever its offset, is a fetch of its own.
	 * The record is appended here, before this connection's state says
	 * the fetch goes on, so a record that cannot be written leaves the
	 * next chunk a fetch of its own.
	 */
	fresh = offset == 0 || ctx->peer->media_msg != msg ||
	    ctx->peer->media_next != offset;
	if (fresh && rpc_audit(ctx, &rec, err) != 0) {
		media_blob_clear(&blob);
		return (NULL);
	}
	n = blob.len - (size_t)offset;
	if (n > RPC_MEDIA_CHUNK)
		n = RPC_MEDIA_CHUNK;
	ctx->peer->media_msg = (size_t)offset + n < blob.len ? msg : 0;
	ctx->peer->media_next = offset + (int64_t)n;
	b64len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	b64 = xmalloc(b64len);
	sodium_bin2base64(b64, b64len, blob.data + offset, n,
	    sodium_base64_VARIANT_ORIGINAL);
	res = json_pack("{sI ss sI sI ss sb}", "media",
	    (json_int_t)rec.object_id, "mime", blob.mime,
	    "size", (json_int_t)blob.len, "offset", (json_int_t)offset,
	    "data", b64, "done", (size_t)offset + n == blob.len);
	sodium_memzero(b64, b64len);
	free(b64);
	media_blob_clear(&blob);
	return (res);
}

const struct rpc_method rpc_media_methods[] = {
	{ PM_MEDIA_GET,	RPC_AGENT,	RPC_WRITE | RPC_READONLY,
	    rpc_media_get },
	{ NULL,		RPC_ANYONE,	0,	NULL }
};
