/*
 * The satisfaction survey (issue 16, point 7). A resolve by an agent
 * queues it (survey_on_resolve, in the resolve's transaction); the inbox's
 * clock sends it once it is due (survey_tick): after the longest undo
 * window a client has (so an undone resolve never asks) and the team's
 * delay, only if the conversation is still resolved, through autosend
 * (never to a restricted, erased or blocked contact, only in the window)
 * and never to a contact whose latest consent word is an opt-out. One per
 * conversation, ever. The customer's button or list reply comes back
 * through automation_inbound (survey_inbound): stored per conversation and
 * agent, audited, thanked once.
 */
#ifndef SURVEY_H
#define SURVEY_H

#include <stdint.h>

struct daemon;
struct auto_inbound;

/* A client's undo window is at most 60 seconds (undo_send_seconds). */
#define SURVEY_UNDO_WAIT	60
/* An answer later than this after the survey was sent is ignored. */
#define SURVEY_ANSWER_MAX	(7 * 86400)
/* "survey:" TOKEN ":" N */
#define SURVEY_ID_PREFIX	"survey:"

/* Inside the resolve's transaction: 0, or -1 (database error). */
int	 survey_on_resolve(struct daemon *, int64_t conv, int64_t agent_id);
/* The due surveys, each in a transaction of its own; how many went. */
int	 survey_tick(struct daemon *);
/*
 * A customer's message (automation_inbound): 1 it answered a survey (the
 * answer is stored; rules leave it alone), 0 not an answer to one, or -1
 * (database).
 */
int	 survey_inbound(struct daemon *, const struct auto_inbound *);

#endif
