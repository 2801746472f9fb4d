/*
 * Blocking a customer on WhatsApp (contact.block, contact.unblock): the
 * Cloud API's block-users endpoint, POST (block) or DELETE (unblock)
 * /<phone-number-id>/block_users. Not a message, so not the outbox: one
 * request, answered within the Graph timeout; its outcome is stored and
 * audited by the daemon for the agent who asked (rpc_act) and announced
 * to the clients (PEV_CONTACT_BLOCKED), which the CLI waits for.
 */
#ifndef BLOCK_H
#define BLOCK_H

#include <stdint.h>

struct audit_who;
struct daemon;

/*
 * Starts the request for contact cid, whose number is wa_id (digits). 0,
 * or -1 with *cause (allocated) saying why nothing was sent.
 */
int	 block_start(struct daemon *, const struct audit_who *, int64_t cid,
	    int on, const char *wa_id, char **cause);

#endif
