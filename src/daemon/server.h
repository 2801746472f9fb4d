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
size_t		 server_clients(struct server *);
/* Clients subscribed to pushed events. */
size_t		 server_subscribers(struct server *);

struct rpc_peer;
/* Calls fn for every connected client's peer (presence, online agents). */
void		 server_each_peer(struct server *,
		    void (*fn)(struct rpc_peer *, void *), void *);
/* Pushes an event to the subscribed clients of one Unix user only. */
void		 server_send_uid(struct server *, unsigned uid,
		    const char *name, json_t *data);
/*
 * Answers one request frame (a JSON object, without its newline) from
 * peer: returns the reply object ({id, result} or {id, error}) to send.
 */
json_t		*server_request(struct daemon *, struct rpc_peer *,
		    const char *data, size_t len);

#endif
