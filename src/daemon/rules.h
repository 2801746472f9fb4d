/*
 * Rules (issue 16, doc/rules.md): the rule file named by [automation]
 * rules, loaded at start (a bad file stops the start) and on reload (a bad
 * file is refused, the rules in use stay); triggers on a customer's
 * message, a new conversation, a label put on and two timers; each firing
 * runs its actions through the action executor (action.c) in a savepoint
 * of the caller's transaction and is audited as "rule.fire" with the
 * rule's name.
 *
 * Loops: a rule's actions can trigger rules (a label it puts on), but one
 * cascade (what one message, timer or agent's label started) never fires
 * the same rule for the same conversation twice, and stops RULES_DEPTH_MAX
 * rules deep.
 */
#ifndef RULES_H
#define RULES_H

#include <stdint.h>

#include <jansson.h>

#include "rulefile.h"

#define RULES_DEPTH_MAX	8	/* rules one cascade may nest */
#define RULES_TICK	2	/* seconds between timer looks */

struct daemon;
struct rpc_ctx;
struct rpc_err;
struct auto_inbound;

/* At start: [automation] rules loaded (or none). 0, or -1 and *cause. */
int	 rules_start(struct daemon *, char **cause);
void	 rules_stop(struct daemon *);
/* The no-reply and window timers, every RULES_TICK seconds (tick.c). */
void	 rules_tick(struct daemon *);
/* On reload: the file read again; on any error the rules in use stay and
 * *cause (allocated) has the errors. 0 or -1. */
int	 rules_reload(struct daemon *, const char *path, char **cause);
/* The rules in use, or NULL if none are configured. */
const struct rulefile *rules_file(struct daemon *);
/* A customer's message (automation_inbound): the created and message
 * rules. -1 only for a database error. */
int	 rules_inbound(struct daemon *, const struct auto_inbound *);
/* A label was put on conv in ctx's write path (rpc-conv.c): the label
 * rules. 0, or -1 with err (a database error). */
int	 rules_label_added(struct rpc_ctx *, int64_t conv, const char *label,
	    struct rpc_err *);
/* A service-level clock of conv breached (sla.c, in its transaction):
 * the "when sla-breached [KIND]" rules. 0, or -1 with err. */
int	 rules_sla_breached(struct rpc_ctx *, int64_t conv, const char *kind,
	    struct rpc_err *);

/* What "rule test" is given: a message as if it came in now. */
struct rules_probe {
	const char	*text;
	const char	*number;	/* a number's label */
	const char	*lang;
	const char	*team;
	int64_t		 conv;		/* 0: a new conversation */
};
/* Which rules would fire and why (rule.test): an array, one per rule. */
json_t	*rules_test(struct daemon *, const struct rules_probe *);

#endif
