/*
 * The one action executor of rules and macros (issue 16): an action of
 * the rule file (rulefile.h) carried out on a conversation inside the
 * caller's write path, by the method an agent would call for it (conv.team,
 * conv.assign, conv.label, conv.priority, conv.state, reply), so the same
 * checks, records and events follow. A macro runs as the agent who runs it
 * (the agent's role and the assignment policy apply; each record is the
 * agent's); a rule as the daemon, its reply through autosend (the window,
 * restrictions, blocks).
 */
#ifndef ACTION_H
#define ACTION_H

#include <stdint.h>

#include "rpc.h"
#include "rulefile.h"

struct action_run {
	struct rpc_ctx	*ctx;		/* in the write path */
	int64_t		 conv;
	const char	*rule;		/* a rule's name: as the daemon */
	/* What an action did not do without failing (a reply the window
	 * kept back): for the rule.fire record. */
	char		 note[160];
};

/* 0 done, or -1 with err set (the caller rolls back). */
int	 action_run(struct action_run *, const struct rf_action *,
	    struct rpc_err *);

#endif
