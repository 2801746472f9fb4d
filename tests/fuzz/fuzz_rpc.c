/*
 * Socket frames to dispatch (src/common/proto.c framing, src/daemon/
 * server.c server_request, src/daemon/rpc*.c): the input is what a client
 * writes to the socket, newline-framed requests, read by an admin agent
 * that said hello, against a daemon on a store emptied before each input.
 * Every frame must get exactly one reply object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "daemon.h"
#include "fuzz.h"
#include "proto.h"
#include "rpc.h"
#include "server.h"
#include "store.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct daemon	*d;
	struct rpc_peer	 peer;
	struct buf	 b;
	json_t		*reply, *events;
	char		*cause = NULL;
	size_t		 n;
	int64_t		 agent;

	d = fuzz_daemon();
	if (store_agent_add(&d->store, (int64_t)getuid(), "fuzz", "admin",
	    &agent, &cause) != 0 || agent <= 0) {
		fprintf(stderr, "agent: %s\n", cause);
		abort();
	}
	memset(&peer, 0, sizeof peer);
	peer.uid = getuid();
	peer.pid = getpid();
	snprintf(peer.user, sizeof peer.user, "fuzz");
	snprintf(peer.client, sizeof peer.client, "fuzz");
	peer.hello = 1;

	buf_init(&b, PROTO_FRAME_MAX + 2);
	if (buf_add(&b, data, len) != 0) {
		buf_release(&b);
		return (0);
	}
	while (proto_frame_next(&b, &n) == 1) {
		if (n > 0) {
			reply = server_request(d, &peer, b.data, n, &events);
			/* NULL for a frame that reached no method. */
			if (events != NULL && !json_is_array(events))
				abort();
			json_decref(events);
			if (!json_is_object(reply) || (json_object_get(reply,
			    "result") == NULL) == (json_object_get(reply,
			    "error") == NULL))
				abort();
			json_decref(reply);
		}
		buf_consume(&b, n + 1);
	}
	buf_release(&b);
	return (0);
}
