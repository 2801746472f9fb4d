/*
 * thread-order.c: where an internal note goes among a conversation's
 * messages (the client's thread and the CLI's conversation export).
 */
#ifndef THREAD_ORDER_H
#define THREAD_ORDER_H

#include <jansson.h>

/*
 * msgs (in id order, with "id" and "ts") and notes (oldest first, with
 * "created" and, from schema 21, "after_msg") as one new array: each
 * message as it is, each note a copy marked "_note": true with "ts" set
 * to its "created". Items of msgs already marked "_note" (an earlier
 * merge) are left out.
 */
json_t	*thread_order_merge(json_t *msgs, json_t *notes);

#endif
