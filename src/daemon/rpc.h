/*
 * Methods of the client protocol, one table (like tmux's command table):
 * name, the role it needs, and the function. The peer is known from the
 * kernel (SO_PEERCRED), never from what it says.
 */
#ifndef RPC_H
#define RPC_H

#include <sys/queue.h>
#include <sys/types.h>

#include <stdint.h>

#include <jansson.h>

#include "audit.h"
#include "store.h"

struct daemon;

/* Who may call a method: anyone, or an agent of at least this role (the
 * roles in order of names.h). */
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
	int		 joined;	/* on the daemon's list of peers */
	LIST_ENTRY(rpc_peer) entry;
	/*
	 * The conversation this connection has open (rpc-conv.c): one access,
	 * audited at its start (conversation.open, with its purpose) and its
	 * end (conversation.close); reads inside it write nothing more.
	 */
	int64_t		 access_conv;	/* 0: none */
	int64_t		 access_contact;
	int64_t		 access_agent;
	int64_t		 access_at;	/* when it began */
	char		*access_purpose; /* given at its start, or NULL */
};

/*
 * One request (or one of the daemon's own actions, rpc_act). A write
 * method (RPC_WRITE) runs inside the transaction the dispatcher opened: it
 * changes the store, fills audit (designated initialisers; detail must
 * outlive the method: a literal, a string of params, or rpc_audit_detail)
 * and queues events with rpc_event. The dispatcher then appends the record,
 * commits (or rolls back if the method failed), answers, and only then are
 * the events sent. A method never begins, commits or rolls back itself.
 */
struct rpc_ctx {
	struct daemon		*d;
	struct rpc_peer		*peer;		/* NULL in rpc_act */
	struct store_agent	 agent;		/* valid if is_agent */
	int			 is_agent;
	struct audit_who	 who;
	const char		*method;
	int			 in_write;	/* the dispatcher's transaction */
	struct audit_rec	 audit;		/* appended if action != NULL */
	char			*audit_detail;	/* owned: rpc_audit_detail */
	json_t			*events;	/* queued: rpc_event */
	json_t			*refusals;	/* rpc_audit_refusal, kept */
	/*
	 * What the change is part of ("macro close-refund", "rule x"; issue
	 * 16): rpc_audit puts it before each record's detail, so every record
	 * of a macro or rule action names it. NULL: nothing.
	 */
	const char		*via;
};

struct rpc_err {
	const char	*code;		/* "denied", "invalid", ... */
	char		*message;	/* allocated */
};

typedef json_t *(*rpc_fn)(struct rpc_ctx *, json_t *params,
    struct rpc_err *);

/* What a method does to the store (struct rpc_method's flags). */
#define RPC_WRITE	0x1	/* runs in the dispatcher's write path */
#define RPC_READONLY	0x2	/* changes nothing but the audit log: still
				   answered when the store is damaged */

struct rpc_method {
	const char	*name;
	enum rpc_role	 role;
	int		 flags;		/* RPC_WRITE, RPC_READONLY */
	rpc_fn		 fn;
};

/*
 * Runs one request; returns the result or NULL with *err filled. *events
 * gets the events the request raised (an array of {"event", "data", and
 * "uid" when for one Unix user only}, maybe empty): the caller sends them
 * after the answer (server_events).
 */
json_t	*rpc_dispatch(struct daemon *, struct rpc_peer *, const char *method,
	    json_t *params, json_t **events, struct rpc_err *);
/*
 * The daemon's own actions (auto-assignment, snooze wake-ups, retention,
 * consent replies, template sync) take the same write path as a method:
 * fn runs in a transaction as the agent "who", fills ctx->audit and queues
 * events; the record is appended and the transaction committed, or rolled
 * back if fn returns -1 (the error is logged as what: message). *events as
 * for rpc_dispatch, NULL if the action failed. Returns 0 or -1.
 */
typedef int (*rpc_act_fn)(struct rpc_ctx *, void *, struct rpc_err *);
int	 rpc_act(struct daemon *, const struct audit_who *, const char *what,
	    rpc_act_fn, void *, json_t **events);
/* Queues an event for every subscriber; data is stolen. */
void	 rpc_event(struct rpc_ctx *, const char *name, json_t *data);
/* Queues an event for the subscribed clients of one Unix user. */
void	 rpc_event_uid(struct rpc_ctx *, unsigned uid, const char *name,
	    json_t *data);
/* Sets ctx->audit.detail to a formatted string ctx owns. */
void	 rpc_audit_detail(struct rpc_ctx *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Appends one more record inside the write path's transaction (bulk
 * methods: one per conversation; an override before the action). Outside
 * a write method, in a transaction of its own. 0, or -1 with *err set.
 */
int	 rpc_audit(struct rpc_ctx *, const struct audit_rec *, struct rpc_err *);
/*
 * A record that stands although the request fails (a refusal, a failed
 * reload): copied, and written after the roll-back, in a transaction of
 * its own; at once outside a write method.
 */
void	 rpc_audit_refusal(struct rpc_ctx *, const struct audit_rec *);
void	 rpc_denials_free(struct daemon *);
/* Sets *err; returns NULL for "return (rpc_error(...))". */
json_t	*rpc_error(struct rpc_err *, const char *code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * A look-up's outcome as an answer: 0 if found; else -1 with *err set to
 * "not_found" (the formatted message) or, for a database error, "internal"
 * (never "not there" for what could not be read).
 */
int	 rpc_lookup(enum store_found, struct rpc_err *, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Parameter helpers: 0 ok, -1 (err set) if missing or of the wrong type. */
int	 rpc_param_str(json_t *, const char *, int required, const char **,
	    size_t maxlen, struct rpc_err *);
int	 rpc_param_int(json_t *, const char *, int required, int64_t *,
	    int64_t min, int64_t max, struct rpc_err *);

/*
 * The peers connected to the agents' socket (rpc-peer.c): the server
 * joins a client's peer when it connects and makes it leave when it is
 * dropped; presence, status and auto-assignment walk them.
 */
void	 rpc_peer_join(struct daemon *, struct rpc_peer *);
void	 rpc_peer_leave(struct daemon *, struct rpc_peer *);	/* idempotent */
void	 rpc_peer_each(struct daemon *, void (*)(struct rpc_peer *, void *),
	    void *);
/* Connected peers; only those subscribed to events if subscribed. */
size_t	 rpc_peer_count(struct daemon *, int subscribed);
/*
 * The agent the peer is (1): the row of its uid, active, and added as the
 * peer's user name. 0 otherwise; *a is the uid's row if there is one (id 0
 * if not), for rpc_peer_refuse.
 */
int	 rpc_peer_agent(struct daemon *, struct rpc_peer *,
	    struct store_agent *a);
/* The refusal, audited, of a peer whose uid's agent it is not. */
json_t	*rpc_peer_refuse(struct rpc_ctx *, const char *method,
	    struct rpc_err *);
/* Audits a refusal of the peer (coalesced per user: rpc.c). */
void	 rpc_deny(struct rpc_ctx *, const char *detail);

/*
 * A refused request: one permission.denied record per user and interval
 * (coalesced; rpc.c).
 */
void	 rpc_deny(struct rpc_ctx *, const char *detail);
/*
 * The operators who may read the daemon's health without being agents
 * (rpc-peer.c): root and the daemon's own Unix user.
 */
int	 rpc_peer_is_operator(const struct rpc_peer *);
/* The health and counters "status" and "daemon.status" share. */
json_t	*rpc_session_status(struct daemon *);

/* Method sets, one file per namespace. */
extern const struct rpc_method rpc_session_methods[];	/* rpc-session.c */
extern const struct rpc_method rpc_agent_methods[];	/* rpc-agent.c */
extern const struct rpc_method rpc_daemon_methods[];	/* rpc-daemon.c */
extern const struct rpc_method rpc_meta_methods[];	/* rpc-meta.c */
extern const struct rpc_method rpc_conv_methods[];	/* rpc-conv.c */
extern const struct rpc_method rpc_send_methods[];	/* rpc-send.c */
extern const struct rpc_method rpc_privacy_methods[];	/* rpc-privacy.c */
extern const struct rpc_method rpc_contact_methods[];	/* rpc-contact.c */
extern const struct rpc_method rpc_consent_methods[];	/* rpc-consent.c */
extern const struct rpc_method rpc_audit_methods[];	/* rpc-audit.c */
extern const struct rpc_method rpc_media_methods[];	/* rpc-media.c */
extern const struct rpc_method rpc_upload_methods[];	/* rpc-upload.c */
extern const struct rpc_method rpc_outbox_methods[];	/* rpc-outbox.c */
extern const struct rpc_method rpc_templates_methods[];	/* rpc-templates.c */
/* A refused send (rpc-send.c), audited as message.send "refused"; NULL. */
json_t	*rpc_send_refuse(struct rpc_ctx *, int64_t conv, int64_t contact,
	    struct rpc_err *, const char *code, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
/*
 * A template message for conv.start (rpc-conv-start.c), built and checked
 * by reply's code (rpc-send.c): rpc_send_template_new reads template, lang,
 * params, header_link, upload, mime, filename from params (NULL: err set,
 * a template refusal audited), checked against the WABA of number num
 * (the business number it goes from; NULL: the only one); its category
 * ("MARKETING", ...) is known then. rpc_send_template_queue sends it into conv as reply would (the
 * assignment rule, restriction, consent, the outbox), setting ctx->audit
 * to its message.send record; NULL with err set. rpc_send_free after.
 */
struct rpc_send;
struct conf_number;
struct rpc_send	*rpc_send_template_new(struct rpc_ctx *, json_t *params,
		    const struct conf_number *, struct rpc_err *);
const char	*rpc_send_category(const struct rpc_send *);
json_t		*rpc_send_template_queue(struct rpc_ctx *, json_t *params,
		    struct rpc_send *, int64_t conv, struct rpc_err *);
void		 rpc_send_free(struct rpc_send *);
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
 * The privacy rule's helpers (rpc-privacy.c) for contact.*, consent.* and
 * privacy.*. rpc_privacy_text: params[key] as one printable line, not
 * blank (a blank optional one is NULL). rpc_privacy_target: the contact
 * params name by "conversation" or "contact" (conv:N, contact:N, a number,
 * a BSUID); *conv is 0 unless a conversation named it. rpc_privacy_read_target:
 * the target, the optional "purpose" and rpc_privacy_may_read passed. Each
 * 0, or -1 with err set.
 */
int	 rpc_privacy_text(json_t *params, const char *key, int required,
	    const char **out, struct rpc_err *);
int	 rpc_privacy_target(struct rpc_ctx *, json_t *params, int64_t *cid,
	    int64_t *conv, struct rpc_err *);
int	 rpc_privacy_read_target(struct rpc_ctx *, json_t *params,
	    const char *action, int64_t *cid, const char **purpose,
	    struct rpc_err *);
/* Fills ctx->audit with the record of a read of contact cid ("ok"). */
void	 rpc_privacy_audit_read(struct rpc_ctx *, const char *action,
	    int64_t cid, const char *purpose);
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

/* The inbox's method sets: one namespace a file. */
extern const struct rpc_method rpc_note_methods[];	/* rpc-note.c */
extern const struct rpc_method rpc_label_methods[];	/* rpc-label.c */
extern const struct rpc_method rpc_canned_methods[];	/* rpc-canned.c */
extern const struct rpc_method rpc_search_methods[];	/* rpc-search.c */
extern const struct rpc_method rpc_presence_methods[];	/* rpc-presence.c */
/*
 * Ends the access peer has open (rpc-conv.c), if any, with its
 * conversation.close record (why: "connection ended", ...); for a peer
 * that goes (rpc_peer_leave). Idempotent.
 */
void	 rpc_conv_access_end(struct daemon *, struct rpc_peer *,
	    const char *why);
/*
 * 1 if a read of conversation id is inside the access this connection has
 * open (it writes no record of its own; a NULL *purpose becomes the one
 * given at the access's start), 0 if it begins a new one (rpc-conv.c).
 */
int	 rpc_conv_access_covers(struct rpc_ctx *, int64_t id,
	    const char **purpose);
/* The conversation params name by "id"; 0, or -1 with err set. */
int	 rpc_conv_get(struct rpc_ctx *, json_t *params,
	    struct store_conv_info *, struct rpc_err *);
/* *team: params' "team", NULL if none, "none" or ""; -1 (err) if invalid. */
int	 rpc_agent_team_param(json_t *params, const char **team,
	    struct rpc_err *);
/*
 * A read from a mention of the caller (rpc-note.c): params' "via_mention"
 * (a note id) checked against the mentions of the caller in conversation
 * conv_id, then *purpose is "mention by NAME in note N" and the mention is
 * seen. 0 (also without it), or -1 (err set; a refusal audited as action).
 */
int	 rpc_note_via_mention(struct rpc_ctx *, json_t *params,
	    const char *action, int64_t conv_id, int64_t contact_id,
	    const char **purpose, struct rpc_err *);
/* Labels, teams, shortcuts: 1 to 64 letters, digits, '_', '-', '.', '/'. */
int	 rpc_label_valid_name(const char *);
extern const struct rpc_method rpc_draft_methods[];	/* rpc-draft.c */
extern const struct rpc_method rpc_attribute_methods[];	/* rpc-attribute.c */
extern const struct rpc_method rpc_conv_start_methods[]; /* rpc-conv-start.c */
extern const struct rpc_method rpc_notice_methods[];	/* rpc-notice.c */
extern const struct rpc_method rpc_rule_methods[];	/* rpc-rule.c */
extern const struct rpc_method rpc_macro_methods[];	/* rpc-macro.c */
extern const struct rpc_method rpc_survey_methods[];	/* rpc-survey.c */
extern const struct rpc_method rpc_hours_methods[];	/* rpc-hours.c */
extern const struct rpc_method rpc_optin_methods[];	/* rpc-optin.c */
extern const struct rpc_method rpc_campaign_methods[];	/* rpc-campaign.c */
extern const struct rpc_method rpc_export_methods[];	/* rpc-export.c */
extern const struct rpc_method rpc_hook_methods[];	/* rpc-hook.c */
extern const struct rpc_method rpc_floor_methods[];	/* rpc-floor.c */
/* All of the above, NULL-terminated (rpc.c). */
extern const struct rpc_method *const rpc_sets[];
/* "anyone", or the role's name (names.h) (rpc.c). */
const char	*rpc_role_name(enum rpc_role);

/* Reports (issue 19): rpc-report.c. */
extern const struct rpc_method rpc_report_methods[];

#endif
