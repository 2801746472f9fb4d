/*
 * Methods of the client protocol, one table (like tmux's command table):
 * name, the role it needs, and the function. The peer is known from the
 * kernel (SO_PEERCRED), never from what it says.
 */
#ifndef RPC_H
#define RPC_H

#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "audit.h"
#include "store.h"

struct daemon;

enum rpc_role { RPC_ANYONE, RPC_AGENT, RPC_SUPERVISOR, RPC_ADMIN };

struct rpc_peer {
	uid_t		 uid;
	pid_t		 pid;
	char		 user[64];	/* Unix user name of uid */
	char		 client[256];	/* tty and reported SSH origin */
	int		 hello;		/* hello done */
	int		 subscribed;
	int64_t		 viewing;	/* presence: conversation open, or 0 */
	int64_t		 typing;	/* presence: conversation typed in */
	int64_t		 typing_at;	/* when typing was last reported */
	/*
	 * media.get: the message whose fetch was audited on this connection
	 * and the offset its next chunk starts at; any other request is a
	 * new fetch, audited again.
	 */
	int64_t		 media_msg;
	int64_t		 media_next;
};

struct rpc_ctx {
	struct daemon		*d;
	struct rpc_peer		*peer;
	struct store_agent	 agent;		/* valid if is_agent */
	int			 is_agent;
	struct audit_who	 who;
	const char		*method;
};

struct rpc_err {
	const char	*code;		/* "denied", "invalid", ... */
	char		*message;	/* allocated */
};

typedef json_t *(*rpc_fn)(struct rpc_ctx *, json_t *params,
    struct rpc_err *);

struct rpc_method {
	const char	*name;
	enum rpc_role	 role;
	rpc_fn		 fn;
};

/* Runs one request; returns the result or NULL with *err filled. */
json_t	*rpc_dispatch(struct daemon *, struct rpc_peer *, const char *method,
	    json_t *params, struct rpc_err *);
/*
 * Writes the coalesced permission.denied records still counted (all of
 * them, at shutdown) and frees their state.
 */
void	 rpc_denials_flush(struct daemon *, int all);
void	 rpc_denials_free(struct daemon *);
/* Commits the request's transaction; -1 with *err set if it cannot. */
int	 rpc_commit(struct rpc_ctx *, struct rpc_err *);
/* Sets *err; returns NULL for "return (rpc_error(...))". */
json_t	*rpc_error(struct rpc_err *, const char *code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Parameter helpers: 0 ok, -1 (err set) if missing or of the wrong type. */
int	 rpc_param_str(json_t *, const char *, int required, const char **,
	    size_t maxlen, struct rpc_err *);
int	 rpc_param_int(json_t *, const char *, int required, int64_t *,
	    int64_t min, int64_t max, struct rpc_err *);

/* Method sets, each in its own file. */
extern const struct rpc_method rpc_base_methods[];	/* rpc.c */
extern const struct rpc_method rpc_conv_methods[];	/* rpc-conv.c */
extern const struct rpc_method rpc_inbox_methods[];	/* rpc-inbox.c */
extern const struct rpc_method rpc_send_methods[];	/* rpc-send.c */
extern const struct rpc_method rpc_privacy_methods[];	/* rpc-privacy.c */
extern const struct rpc_method rpc_audit_methods_tbl[];	/* rpc-audit.c */
extern const struct rpc_method rpc_media_methods[];	/* rpc-media.c */
/*
 * Purpose binding (rpc-privacy.c): reading a contact whose conversations
 * are someone else's needs a purpose ([audit] purpose_required); restricted
 * contacts are closed to the agent role. A refusal is audited under action.
 * 0: go on; -1: err set.
 */
int	 rpc_privacy_may_read(struct rpc_ctx *, const char *action,
	    int64_t contact_id, int64_t conv_id, const char *purpose,
	    struct rpc_err *);
/*
 * The assignment policy ([inbox] agents_act_on), for every method that
 * changes a conversation: supervisors and admins act on any; an agent on
 * unassigned ones and their own, also their team's with "team", any with
 * "all". Anything else needs "force": true in params and is then audited
 * as conversation.override. 0: go on; -1: refused (audited), err set.
 */
struct store_conv_info;
int	 rpc_may_act(struct rpc_ctx *, const struct store_conv_info *,
	    json_t *params, struct rpc_err *);
/* All of the above, NULL-terminated (rpc.c). */
extern const struct rpc_method *const rpc_sets[];

#endif
