/*
 * Saving a file fetched with media.get: the daemon hands out the bytes in
 * chunks; the client writes them where the agent wants, never over an
 * existing file, readable by the agent alone.
 */
#ifndef SAVE_H
#define SAVE_H

#include <stdint.h>

#include <jansson.h>

/*
 * A safe file name for a message's file: the sender's filename reduced to
 * its last component and printable characters, else "media-MSG.EXT" from
 * the MIME type. Returns an allocated string.
 */
char	*save_name(json_t *body, int64_t msg_id, const char *mime);
/* Where files go: $SUPPORT_INBOX_DOWNLOADS, ~/Downloads if it exists, else
 * the current directory. Allocated. */
char	*save_dir(void);
/*
 * Creates dir/name (0600, O_EXCL), adding "-1", "-2", ... before the
 * extension while the name is taken. Returns the fd and *path (allocated),
 * or -1 with *cause.
 */
int	 save_create(const char *dir, const char *name, char **path,
	    char **cause);
/*
 * Writes one media.get result to fd. Sets *next (the offset to ask for
 * next) and *done. Returns 0 or -1 with *cause.
 */
int	 save_chunk(int fd, json_t *res, int64_t *next, int *done,
	    char **cause);

#endif
