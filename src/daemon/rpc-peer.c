/*
 * The peers connected to the agents' socket, as the methods see them: the
 * server joins each client's peer on connect and makes it leave when the
 * client is dropped, so presence, status and auto-assignment can walk the
 * peers without calling into the server (which calls the dispatcher).
 */
#include <unistd.h>

#include "daemon.h"
#include "rpc.h"

/*
 * Root and the user the daemon runs as can read the data directory anyway;
 * they may see counts and alarms (daemon.status) without an agent row.
 */
int
rpc_peer_is_operator(const struct rpc_peer *p)
{
	return (p->uid == 0 || p->uid == geteuid());
}

void
rpc_peer_join(struct daemon *d, struct rpc_peer *p)
{
	if (p->joined)
		return;
	LIST_INSERT_HEAD(&d->peers, p, entry);
	p->joined = 1;
}

void
rpc_peer_leave(struct daemon *d, struct rpc_peer *p)
{
	rpc_conv_access_end(d, p, "connection ended");
	if (!p->joined)
		return;
	LIST_REMOVE(p, entry);
	p->joined = 0;
}

void
rpc_peer_each(struct daemon *d, void (*fn)(struct rpc_peer *, void *),
    void *arg)
{
	struct rpc_peer	*p, *next;

	/* fn may not make a peer leave; the next one is taken first anyway. */
	for (p = LIST_FIRST(&d->peers); p != NULL; p = next) {
		next = LIST_NEXT(p, entry);
		fn(p, arg);
	}
}

size_t
rpc_peer_count(struct daemon *d, int subscribed)
{
	const struct rpc_peer	*p;
	size_t			 n = 0;

	for (p = LIST_FIRST(&d->peers); p != NULL; p = LIST_NEXT(p, entry)) {
		if (!subscribed || p->subscribed == 1)
			n++;
	}
	return (n);
}
