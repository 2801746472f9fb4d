/*
 * Attachment uploads from clients (the "upload.chunk" method), on their way
 * to a reply. Each upload is written as it arrives to its own file in
 * data_dir/uploads (random name, 0600), sealed with
 * crypto_secretstream_xchacha20poly1305 under a fresh key that lives only
 * in this process's memory: the daemon holds no upload's bytes, and a file
 * left by a crash can never be opened (they are deleted at the next start).
 *
 * Bounds: [media] uploads_per_agent uploads and upload_bytes_per_agent bytes
 * in progress per agent, UPLOAD_SLOTS in all; [graph] media_max_bytes per
 * upload. An upload idle for [media] upload_expiry seconds is dropped.
 */
#ifndef UPLOAD_H
#define UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#define UPLOAD_SLOTS	64	/* uploads in progress, all agents */

struct daemon;
struct uploads;

/*
 * Creates (or checks) data_dir/uploads, deletes what an earlier run left
 * there, starts the expiry timer. NULL with *cause.
 */
struct uploads	*uploads_start(struct daemon *, char **cause);
/* Deletes every upload in progress. */
void		 uploads_free(struct uploads *);

/*
 * Appends data to upload *id of agent_id (*id 0 starts one). On success 0
 * and *total, the upload's size so far. On failure -1, *code ("quota",
 * "not_found", "invalid", "internal") and *cause (allocated, naming the
 * limit and its key); an upload that went over a byte limit or could not be
 * written is dropped.
 */
int		 uploads_add(struct uploads *, int64_t agent_id, int64_t *id,
		    const void *data, size_t len, size_t *total,
		    const char **code, char **cause);
/* Drops an upload of agent_id (a taken one too); 0, or -1 if none. */
int		 uploads_abort(struct uploads *, int64_t agent_id, int64_t id);
/*
 * Takes an upload of agent_id for a reply queued in the open transaction:
 * its bytes, decrypted into memory now (the caller wipes them with
 * crypt_wipe_free(p, *len)). The upload is then closed to chunks and takes
 * until the loop runs again, the transaction over: its file is deleted if
 * the reply committed (uploads_queued named its message), and it is open
 * again (to send again, or abort) if the reply was refused or rolled back.
 * NULL with *cause if there is no such upload or its file does not open
 * (that one is dropped).
 */
uint8_t		*uploads_take(struct uploads *, int64_t agent_id, int64_t id,
		    size_t *len, char **cause);
/* The message a taken upload was queued as (see uploads_take). */
void		 uploads_queued(struct uploads *, int64_t agent_id,
		    int64_t id, int64_t msg_id);
#endif
