/*
 * The names of the client protocol (proto.h has the frames), spelled once
 * for the daemon and the clients: methods (PM_), events (PEV_) and error
 * codes (PE_). Each is a string literal, so it serves in a method table,
 * in rpc_error, rpc_event or client_call, and in a switch of strcmp()s.
 *
 * doc/protocol.md documents every name here in its tables (method, role,
 * parameters, result, audit action, events; code; event and data) and
 * tests/integ/protocol-doc.sh fails when the header, the document and the
 * daemon's method table (meta.methods) disagree. A method name macro is
 * PM_ and the name in capitals with '.' as '_'.
 */
#ifndef PROTO_NAMES_H
#define PROTO_NAMES_H

/* --- methods --- */

/* session (rpc-session.c) */
#define PM_HELLO			"hello"
#define PM_STATUS			"status"
#define PM_SUBSCRIBE			"subscribe"

/* meta.* (rpc-meta.c) */
#define PM_META_METHODS			"meta.methods"

/* daemon.* (rpc-daemon.c) */
#define PM_DAEMON_RELOAD		"daemon.reload"
#define PM_DAEMON_STATUS		"daemon.status"

/* agent.* */
#define PM_AGENT_ADD			"agent.add"
#define PM_AGENT_LIST			"agent.list"
#define PM_AGENT_DISABLE		"agent.disable"
#define PM_AGENT_ENABLE			"agent.enable"
#define PM_AGENT_ROLE			"agent.role"
#define PM_AGENT_TEAM			"agent.team"
#define PM_AGENT_CAPACITY		"agent.capacity"
#define PM_AGENT_NAME			"agent.name"
#define PM_AGENT_AWAY			"agent.away"
#define PM_AGENT_REMOVE			"agent.remove"

/* conv.* */
#define PM_CONV_LIST			"conv.list"
#define PM_CONV_SHOW			"conv.show"
#define PM_CONV_COUNTS			"conv.counts"
#define PM_CONV_READ			"conv.read"
#define PM_CONV_NEWER			"conv.newer"
#define PM_CONV_ASSIGN			"conv.assign"
#define PM_CONV_UNASSIGN		"conv.unassign"
#define PM_CONV_TEAM			"conv.team"
#define PM_CONV_STATE			"conv.state"
#define PM_CONV_PRIORITY		"conv.priority"
#define PM_CONV_LABEL			"conv.label"
#define PM_CONV_UNLABEL			"conv.unlabel"
#define PM_CONV_TYPING			"conv.typing"
#define PM_CONV_FIND			"conv.find"
#define PM_CONV_HANDOVER		"conv.handover"
#define PM_CONV_HANDOVER_ANSWER		"conv.handover_answer"
#define PM_CONV_HANDOVERS		"conv.handovers"
#define PM_CONV_TAKEOVER		"conv.takeover"

/* note.*, mention.* */
#define PM_NOTE_ADD			"note.add"
#define PM_NOTE_LIST			"note.list"
#define PM_MENTION_LIST			"mention.list"

/* label.* */
#define PM_LABEL_CREATE			"label.create"
#define PM_LABEL_RENAME			"label.rename"
#define PM_LABEL_DELETE			"label.delete"
#define PM_LABEL_LIST			"label.list"

/* canned.* */
#define PM_CANNED_LIST			"canned.list"
#define PM_CANNED_ADD			"canned.add"
#define PM_CANNED_EDIT			"canned.edit"
#define PM_CANNED_PUT			"canned.put"
#define PM_CANNED_REMOVE		"canned.remove"
#define PM_CANNED_RENDER		"canned.render"

/* search */
#define PM_SEARCH			"search"
#define PM_SEARCH_STATS			"search.stats"

/* presence.* */
#define PM_PRESENCE_GET			"presence.get"
#define PM_PRESENCE_SET			"presence.set"

/* sending: reply, react, upload.*, outbox.*, templates.* */
#define PM_REPLY			"reply"
#define PM_REACT			"react"
#define PM_UPLOAD_CHUNK			"upload.chunk"
#define PM_UPLOAD_ABORT			"upload.abort"
#define PM_OUTBOX_LIST			"outbox.list"
#define PM_OUTBOX_RETRY			"outbox.retry"
#define PM_OUTBOX_RESUME		"outbox.resume"
#define PM_OUTBOX_CANCEL		"outbox.cancel"
#define PM_TEMPLATES_SYNC		"templates.sync"
#define PM_TEMPLATES_LIST		"templates.list"

/* media.* */
#define PM_MEDIA_GET			"media.get"

/* contact.*, consent.* */
#define PM_CONTACT_SHOW			"contact.show"
#define PM_CONTACT_REVEAL		"contact.reveal"
#define PM_CONSENT_SHOW			"consent.show"
#define PM_CONSENT_SET			"consent.set"
#define PM_CONTACT_IMPORT		"contact.import"
#define PM_CONTACT_EXPORT		"contact.export"

/* privacy.* (data-subject requests) */
#define PM_PRIVACY_EXPORT		"privacy.export"
#define PM_PRIVACY_ERASE		"privacy.erase"
#define PM_PRIVACY_RESTRICT		"privacy.restrict"
#define PM_PRIVACY_HOLD			"privacy.hold"
#define PM_PRIVACY_REPLAY_ERASURES	"privacy.replay_erasures"
#define PM_PRIVACY_RETENTION		"privacy.retention"
#define PM_PRIVACY_ACCESS_REPORT	"privacy.access_report"

/* draft.*: an agent's own unsent replies (issue 13) */
#define PM_DRAFT_SET			"draft.set"
#define PM_DRAFT_GET			"draft.get"
#define PM_DRAFT_LIST			"draft.list"

/* audit.* */
#define PM_AUDIT_SHOW			"audit.show"
#define PM_AUDIT_EXPORT			"audit.export"
#define PM_AUDIT_VERIFY			"audit.verify"

/* conv.close: the end of an open access (issue 13, guard) */
#define PM_CONV_CLOSE			"conv.close"

/* audit.checkpoints: the signed checkpoints for "audit ship" (issue 14) */
#define PM_AUDIT_CHECKPOINTS		"audit.checkpoints"

/* contacts (issue 15): the list, search, edit; attribute.* */
#define PM_CONTACT_LIST			"contact.list"
#define PM_CONTACT_SEARCH		"contact.search"
#define PM_CONTACT_EDIT			"contact.edit"
#define PM_ATTRIBUTE_DEFINE		"attribute.define"
#define PM_ATTRIBUTE_LIST		"attribute.list"
#define PM_ATTRIBUTE_REMOVE		"attribute.remove"
/* contact.merge, contact.block/unblock (issue 15, merge) */
#define PM_CONTACT_MERGE		"contact.merge"
#define PM_CONTACT_BLOCK		"contact.block"
#define PM_CONTACT_UNBLOCK		"contact.unblock"
/* conv.start: an agent writes first, with a template (issue 15, phone) */
#define PM_CONV_START			"conv.start"
/* notice.status: the first-contact privacy notice (issue 16, notice) */
#define PM_NOTICE_STATUS		"notice.status"
/* rules and macros (issue 16, rules) */
#define PM_RULE_LIST			"rule.list"
#define PM_RULE_TEST			"rule.test"
#define PM_RULE_ENABLE			"rule.enable"
#define PM_RULE_DISABLE			"rule.disable"
#define PM_MACRO_LIST			"macro.list"
#define PM_MACRO_RUN			"macro.run"
/* survey.results: the satisfaction survey's counts (issue 16, survey) */
#define PM_SURVEY_RESULTS		"survey.results"
/* hours.status: business hours per team (issue 16, hours) */
#define PM_HOURS_STATUS			"hours.status"
/* optin.link: the click-to-chat opt-in link (issue 17, optin) */
#define PM_OPTIN_LINK			"optin.link"

/* campaign.*: marketing campaigns (issue 17, doc/campaigns.md) */
#define PM_CAMPAIGN_CREATE		"campaign.create"
#define PM_CAMPAIGN_LIST		"campaign.list"
#define PM_CAMPAIGN_STATUS		"campaign.status"
#define PM_CAMPAIGN_PREVIEW		"campaign.preview"
#define PM_CAMPAIGN_START		"campaign.start"
#define PM_CAMPAIGN_PAUSE		"campaign.pause"
#define PM_CAMPAIGN_RESUME		"campaign.resume"
#define PM_CAMPAIGN_CANCEL		"campaign.cancel"
#define PM_CAMPAIGN_REPORT		"campaign.report"
/* exports (issue 18, point 3) */
#define PM_EXPORT_CONVERSATIONS		"export.conversations"
#define PM_EXPORT_TRANSCRIPT		"export.transcript"
/* Event hooks (issue 18; doc/integrations.md) */
#define PM_HOOK_LIST			"hook.list"
#define PM_HOOK_RETRY			"hook.retry"
#define PM_HOOK_TEST			"hook.test"
/* Reports (issue 19, point 3; doc/reports.md) */
#define PM_REPORT_GET			"report.get"
/* The supervisor's floor view (issue 19, point 2) */
#define PM_FLOOR_GET			"floor.get"
/* sla.targets: the service-level targets in effect (issue 19, doc/sla.md) */
#define PM_SLA_TARGETS			"sla.targets"

/* --- events (subscribed connections only, after the commit) --- */

/* A message stored from the webhook (a customer's, or an echo of ours). */
#define PEV_MESSAGE			"message"
/* A delivery status from the webhook changed a message. */
#define PEV_STATUS			"status"
/* A conversation's state or priority changed (also a snooze ending). */
#define PEV_STATE			"state"
/* A conversation's assignee or team changed (also auto-assignment). */
#define PEV_ASSIGNMENT			"assignment"
/* A label put on or taken off a conversation, created, renamed, deleted. */
#define PEV_LABEL			"label"
/* A note was added to a conversation. */
#define PEV_NOTE			"note"
/* A note names an agent: to that agent's connections only. */
#define PEV_MENTION			"mention"
/* Someone opened, left or typed in a conversation, or went away. */
#define PEV_PRESENCE			"presence"
/* A queued message was sent, failed, or its fate is unknown. */
#define PEV_OUTBOX			"outbox"
/* A customer's file finished downloading. */
#define PEV_MEDIA			"media"
/* Sending paused (token refused) or a webhook body was quarantined. */
#define PEV_ALARM			"alarm"
/* A conversation handed to an agent, or asked to be: to that agent only. */
#define PEV_HANDOVER			"handover"
/* A handover request accepted or declined: to the requester only. */
#define PEV_HANDOVER_ANSWER		"handover_answer"
/* A supervisor took a conversation over: to the previous assignee only. */
#define PEV_TAKEOVER			"takeover"
/* An alarm ended (the token works again): clients drop its banner. */
#define PEV_ALARM_CLEARED		"alarm_cleared"
/* Two contacts became one (contact.merge, or a webhook that named both). */
#define PEV_CONTACT_MERGED		"contact_merged"
/* A contact was blocked or unblocked on WhatsApp. */
#define PEV_CONTACT_BLOCKED		"contact_blocked"
/* A rule's "notify" action: to the agents it names (or its team's). */
#define PEV_NOTIFY			"notify"
/* A team's business hours opened or closed, or were reloaded. */
#define PEV_HOURS_CHANGED		"hours_changed"
/* A campaign's progress or state changed (at most one a second each). */
#define PEV_CAMPAIGN			"campaign"
/* A service-level clock passed its deadline (issue 19, doc/sla.md). */
#define PEV_SLA_BREACHED		"sla_breached"
/* An agent said they are away, or back (agent.away). */
#define PEV_AGENT_AWAY			"agent_away"

/* --- error codes ({"error":{"code":...}}) --- */

/* Not a JSON object, or id, method or params of the wrong type. */
#define PE_BAD_REQUEST			"bad_request"
/* A frame over PROTO_FRAME_MAX (dropped), or a reply that would be. */
#define PE_TOO_LARGE			"too_large"
/* A method other than hello before hello. */
#define PE_HELLO_FIRST			"hello_first"
/* hello with a protocol version the daemon does not speak. */
#define PE_VERSION			"version"
/* No method of that name. */
#define PE_UNKNOWN_METHOD		"unknown_method"
/* The Unix user is not an active agent (audited, coalesced). */
#define PE_NOT_AGENT			"not_agent"
/* The role is too low, or a rule refuses the action (audited). */
#define PE_DENIED			"denied"
/* A parameter is missing, of the wrong type or out of bounds. */
#define PE_INVALID			"invalid"
/* No such conversation, message, agent, label, contact, upload, ... */
#define PE_NOT_FOUND			"not_found"
/* Someone else's conversation or restricted data needs a purpose. */
#define PE_PURPOSE_REQUIRED		"purpose_required"
/* A claim lost, or a name that must be unique exists. */
#define PE_CONFLICT			"conflict"
/* The contact's processing is restricted (GDPR Art. 18). */
#define PE_RESTRICTED			"restricted"
/* The contact is under legal hold: it cannot be erased. */
#define PE_LEGAL_HOLD			"legal_hold"
/* A reply to a contact with no number or user id left (erased). */
#define PE_NO_RECIPIENT			"no_recipient"
/* A free-form reply outside the customer-service window. */
#define PE_WINDOW_CLOSED		"window_closed"
/* A marketing template to a customer without a recorded opt-in. */
#define PE_NO_CONSENT			"no_consent"
/* The customer wrote after the agent started the reply. */
#define PE_COLLISION			"collision"
/* The template is unknown, not approved, or its parameters do not fit. */
#define PE_TEMPLATE			"template"
/* An agent's upload limits ([media]) or all upload slots are used up. */
#define PE_QUOTA			"quota"
/* A customer's file is still downloading. */
#define PE_NOT_READY			"not_ready"
/* A customer's file could not be downloaded. */
#define PE_FAILED			"failed"
/* The store failed its integrity check: writes are refused. */
#define PE_STORE_DAMAGED		"store_damaged"
/* A database or system error (logged, without personal data). */
#define PE_INTERNAL			"internal"
/* A method failed without naming a code (a bug; never expected). */
#define PE_ERROR			"error"
/* A reply into a conversation assigned to someone else, unconfirmed. */
#define PE_ASSIGNED_OTHER		"assigned_other"

#endif
