/*
 * The client side of the protocol (include/proto.h): connect, hello, then
 * either blocking calls (CLI) or non-blocking send/poll (TUI). Events that
 * arrive while a blocking call waits are queued for client_next_event.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stdint.h>

#include <jansson.h>

#include "buf.h"

struct client {
	int		 fd;
	struct buf	 in;		/* bytes read, bounded by a frame */
	int64_t		 next_id;
	json_t		*events;	/* queued pushed events */
	json_t		*hello;		/* the daemon's hello result */
	char		*path;
};

/* Connects to path and says hello. -1 with *cause on failure. */
int	 client_connect(struct client *, const char *path, char **cause);
json_t	*client_hello_params(void);
void	 client_close(struct client *);
/*
 * Sends a request and waits for its reply. Takes ownership of params.
 * Returns the result (caller decrefs) or NULL with *code and *message set
 * (allocated) from the daemon's error or the transport failure.
 */
json_t	*client_call(struct client *, const char *method, json_t *params,
	    char **code, char **message);
/* Non-blocking use: sends a request and returns its id, or -1. */
int64_t	 client_send(struct client *, const char *method, json_t *params);
/*
 * Reads what is available (non-blocking). Returns 0, or -1 when the
 * connection is gone or sent an oversized frame.
 */
int	 client_read(struct client *);
/* The next complete frame (reply or event) read so far, or NULL. */
json_t	*client_next(struct client *);
/* The next queued pushed event, or NULL. */
json_t	*client_next_event(struct client *);

/*
 * Which socket to use: --socket, else $SUPPORT_INBOX_SOCKET, else [daemon]
 * socket from the config given with -c (or $SUPPORT_INBOX_CONFIG), else the
 * default. Returns an allocated path or NULL with *cause.
 */
char	*client_socket_path(const char *opt_socket, const char *opt_config,
	    char **cause);

#endif
