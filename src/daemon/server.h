/* The Unix socket agents connect to; see doc/design.md sections 1 and 2. */
#ifndef SERVER_H
#define SERVER_H

#include <jansson.h>

struct daemon;
struct server;

/*
 * Checks the socket directory (creating it 0700, or 0750 with the socket
 * group), binds and listens. Refuses an unsafe directory or a live socket.
 */
struct server	*server_start(struct daemon *, char **cause);
void		 server_free(struct server *);
/*
 * Pushes {"event":name,"data":data} to every subscribed client. data is
 * borrowed: the caller still owns (and releases) its reference. A client
 * whose unsent output is past its cap is dropped: marked dead (skipped by
 * every walk over the clients, its answers discarded) and freed later, by
 * the server's own event, never inside this call or any caller's; so a
 * method may broadcast and go on using its rpc_peer.
 */
void		 server_broadcast(struct server *, const char *name,
		    json_t *data);
struct rpc_peer;
/*
 * Sends the events an action raised (rpc_dispatch, rpc_act: an array of
 * {"event", "data", "uid"?}), each to every subscriber or to one Unix
 * user's; steals the array (NULL is nothing to send).
 */
void		 server_events(struct server *, json_t *events);
/*
 * Answers one request frame (a JSON object, without its newline) from
 * peer: returns the reply object ({id, result} or {id, error}) to send;
 * *events gets the events it raised, to send after the reply.
 */
json_t		*server_request(struct daemon *, struct rpc_peer *,
		    const char *data, size_t len, json_t **events);

#endif
