/*
 * The client protocol (doc/design.md section 2): newline-delimited JSON frames
 * over a Unix stream socket, at most PROTO_FRAME_MAX bytes each.
 *   request  {"id":N,"method":"...","params":{...}}
 *   reply    {"id":N,"result":...} | {"id":N,"error":{"code":"...","message":"..."}}
 *   event    {"event":"...","data":...}
 * The first request must be "hello" with {"version":PROTO_VERSION}.
 */
#ifndef PROTO_H
#define PROTO_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

#define PROTO_VERSION		1
#define PROTO_FRAME_MAX		(1024 * 1024)
/*
 * presence.set typing: a typist's client says so at most every
 * PROTO_TYPING_EVERY seconds while the draft changes, and "typing" lasts
 * PROTO_TYPING_SECS after the last report (presence.get, floor.get, the
 * clients' marks); then the colleague is viewing.
 */
#define PROTO_TYPING_EVERY	5
#define PROTO_TYPING_SECS	15

/*
 * Finds the next complete frame in b. Returns 1 and sets *len to the frame
 * length (without the newline) when one is ready, 0 when more bytes are
 * needed, -1 when the pending frame is already longer than the cap.
 */
int	 proto_frame_next(struct buf *b, size_t *len);
/* Serialises j compactly plus a newline; returns allocated bytes or NULL if
 * the frame would exceed the cap. */
char	*proto_encode(json_t *j, size_t *len);

#endif
