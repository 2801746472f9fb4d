/*
 * Media files: inbound media are fetched from Meta (URL lookup, then the
 * download with the token) into an encrypted blob store; outbound
 * attachments are checked against Meta's limits and kept there until the
 * outbox uploads them. Blobs live in data_dir/blobs/<internal id>, sealed
 * with the contact's data key: never named by wamid or phone number.
 */
#ifndef MEDIA_H
#define MEDIA_H

#include <stddef.h>
#include <stdint.h>

struct daemon;
struct media;

struct media_blob {
	uint8_t	*data;		/* decrypted; media_blob_clear wipes it */
	size_t	 len;
	char	 mime[128];
};

int	 media_blob_write(struct daemon *, int64_t media_id,
	    int64_t contact_id, const void *data, size_t len, char **cause);
int	 media_blob_read(struct daemon *, int64_t media_id,
	    int64_t contact_id, struct media_blob *, char **cause);
void	 media_blob_clear(struct media_blob *);
/*
 * Meta's outbound type and size limits (reference section 4). Returns the
 * message type for mime ("image", "document", ...) or NULL with *cause.
 */
const char *media_check(const char *mime, size_t len, char **cause);

struct media	*media_start(struct daemon *, char **cause);
/* No new downloads (before the outbox drains); then media_free. */
void		 media_stop(struct media *);
void		 media_free(struct media *);
void		 media_kick(struct media *);
/* From ingest, in its transaction: queue the download of an inbound file. */
int		 media_on_inbound(struct daemon *, int64_t msg_id,
		    int64_t contact_id, const char *meta_id, const char *mime);

#endif
