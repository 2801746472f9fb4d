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
/*
 * Where files go by default: conf_dir ([client] download_dir) if set, else
 * $SUPPORT_INBOX_DOWNLOADS, else ~/Downloads if it exists; then the current
 * directory if cwd_last (the CLI), else $HOME or "" (the TUI: never the
 * directory it was started in). "~/" is $HOME. Allocated.
 */
char	*save_dir(const char *conf_dir, int cwd_last);
/* path with a leading "~/" made $HOME's. Allocated. */
char	*save_expand(const char *path);
/* 0 if dir is a full path to a directory we may write to; else -1 with
 * *cause saying which of these it is not. */
int	 save_dir_ok(const char *dir, char **cause);
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

/*
 * Tab at a path prompt: completes buf in place (a leading "~/" becomes
 * $HOME's) to the longest common start of the names that match, with a
 * "/" after a lone directory. Returns how many names matched; when more
 * than one, *shown lists the first few (allocated), else it is NULL.
 */
int	 save_complete(char *buf, size_t size, char **shown);

#endif
