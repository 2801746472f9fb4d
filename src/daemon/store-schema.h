/*
 * Schema migrations, applied in order; PRAGMA user_version records how many
 * have run. Never edit a released step: append a new one.
 */
#ifndef STORE_SCHEMA_H
#define STORE_SCHEMA_H

/*
 * One row's share of the kept counts of migration 8 (conv_tally): R is
 * NEW or OLD, D 1 or -1. Written once so the insert, delete and update
 * triggers cannot count differently. Part of a released migration: never
 * edit it; a later change of the rule is a new migration.
 */
#define STORE_TALLY(R, D)						\
	"  INSERT INTO conv_tally (k, n) SELECT k, d FROM ("		\
	"  SELECT 'all' AS k, " D " AS d"				\
	"  UNION ALL SELECT 'state/' || " R ".state, " D		\
	"  UNION ALL SELECT 'unassigned', " D				\
	" WHERE " R ".assignee_id IS NULL"				\
	"    AND " R ".state IN ('open','pending')"			\
	"  UNION ALL SELECT 'mine/' || " R ".assignee_id, " D		\
	"    WHERE " R ".assignee_id IS NOT NULL"			\
	" AND " R ".state != 'resolved'"				\
	"  UNION ALL SELECT 'team/' || " R ".team, " D			\
	"    WHERE " R ".team IS NOT NULL"				\
	" AND " R ".state != 'resolved'"				\
	"  UNION ALL SELECT 'inbox/' || coalesce(" R ".assignee_id,"	\
	" ''), " D							\
	"    WHERE " R ".last_inbound_at > 0"				\
	"    AND " R ".state IN ('open','pending','snoozed'))"		\
	"  WHERE 1 ON CONFLICT (k) DO UPDATE SET n = n + excluded.n;"
#define STORE_TALLY_NEW	STORE_TALLY("NEW", "1")
#define STORE_TALLY_OLD	STORE_TALLY("OLD", "-1")

static const char *store_migrations[] = {
	/* 1: everything the first release needs */
	"CREATE TABLE agents ("
	"  id INTEGER PRIMARY KEY,"
	"  uid INTEGER NOT NULL UNIQUE,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('agent','supervisor','admin')),"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  team TEXT,"
	"  capacity INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL);"
	/* personal fields are sealed with the contact's data key */
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  wa_blind BLOB UNIQUE,"
	"  bsuid_blind BLOB UNIQUE,"
	"  wa_id_enc BLOB,"
	"  user_id_enc BLOB,"
	"  name_enc BLOB,"
	"  username_enc BLOB,"
	"  key_id INTEGER NOT NULL DEFAULT 1,"
	"  restricted INTEGER NOT NULL DEFAULT 0,"
	"  legal_hold INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE TABLE conversations ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
	"  phone_number_id TEXT,"
	"  state TEXT NOT NULL DEFAULT 'open'"
	"    CHECK (state IN ('open','pending','snoozed','resolved')),"
	"  snooze_until INTEGER,"
	"  priority INTEGER NOT NULL DEFAULT 2,"
	"  assignee_id INTEGER REFERENCES agents(id),"
	"  team TEXT,"
	"  created INTEGER NOT NULL,"
	"  resolved_at INTEGER,"
	"  last_msg_at INTEGER NOT NULL DEFAULT 0,"
	"  last_inbound_at INTEGER NOT NULL DEFAULT 0,"
	"  last_msg_id INTEGER NOT NULL DEFAULT 0,"
	"  unread INTEGER NOT NULL DEFAULT 0,"
	"  preview_enc BLOB);"
	"CREATE INDEX conv_contact ON conversations(contact_id, id);"
	"CREATE INDEX conv_last ON conversations(last_msg_at DESC, id DESC);"
	"CREATE INDEX conv_state_last ON conversations(state, last_msg_at DESC);"
	"CREATE INDEX conv_assignee_last ON conversations(assignee_id, last_msg_at DESC);"
	/* inbox views (store-inbox.c) */
	"CREATE INDEX conv_assignee_state ON conversations(assignee_id, state);"
	"CREATE INDEX conv_inbound ON conversations(last_inbound_at);"
	"CREATE INDEX conv_team_last ON conversations(team, last_msg_at DESC);"
	"CREATE INDEX conv_team_state ON conversations(team, state);"
	"CREATE INDEX conv_snooze ON conversations(snooze_until)"
	"  WHERE state = 'snoozed';"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
	"  wamid_blind BLOB UNIQUE,"
	"  wamid_enc BLOB,"
	"  direction TEXT NOT NULL CHECK (direction IN ('in','out')),"
	"  type TEXT NOT NULL,"
	"  supported INTEGER NOT NULL DEFAULT 1,"
	"  ts INTEGER NOT NULL,"
	"  received INTEGER NOT NULL,"
	"  status INTEGER NOT NULL DEFAULT 0,"
	"  status_ts INTEGER,"
	"  error_code INTEGER,"
	"  error_title TEXT,"
	"  agent_id INTEGER REFERENCES agents(id),"
	"  edited INTEGER NOT NULL DEFAULT 0,"
	"  revoked INTEGER NOT NULL DEFAULT 0,"
	"  body_enc BLOB,"
	"  extra_enc BLOB);"
	"CREATE INDEX msg_conv ON messages(conversation_id, id);"
	"CREATE INDEX msg_contact ON messages(contact_id);"
	/* failed sends (status 5 = WA_ST_FAILED), for the inbox view */
	"CREATE INDEX msg_failed ON messages(conversation_id) WHERE status = 5;"
	/* every status seen, kept also for messages not known yet */
	"CREATE TABLE statuses ("
	"  id INTEGER PRIMARY KEY,"
	"  wamid_blind BLOB NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  ts INTEGER,"
	"  error_code INTEGER,"
	"  error_title TEXT,"
	"  detail_enc BLOB,"
	"  received INTEGER NOT NULL,"
	"  UNIQUE (wamid_blind, status));"
	"CREATE TABLE notes ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
	"  agent_id INTEGER REFERENCES agents(id),"
	"  created INTEGER NOT NULL,"
	"  body_enc BLOB NOT NULL);"
	"CREATE INDEX notes_conv ON notes(conversation_id, id);"
	"CREATE TABLE mentions ("
	"  id INTEGER PRIMARY KEY,"
	"  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,"
	"  agent_id INTEGER NOT NULL REFERENCES agents(id),"
	"  created INTEGER NOT NULL,"
	"  seen INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX mentions_agent ON mentions(agent_id, id);"
	"CREATE TABLE labels ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  color TEXT);"
	"CREATE TABLE conversation_labels ("
	"  conversation_id INTEGER NOT NULL REFERENCES conversations(id)"
	"    ON DELETE CASCADE,"
	"  label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (conversation_id, label_id));"
	"CREATE INDEX conv_labels_label ON conversation_labels(label_id);"
	"CREATE TABLE read_markers ("
	"  agent_id INTEGER NOT NULL REFERENCES agents(id),"
	"  conversation_id INTEGER NOT NULL REFERENCES conversations(id)"
	"    ON DELETE CASCADE,"
	"  last_read_msg_id INTEGER NOT NULL,"
	"  PRIMARY KEY (agent_id, conversation_id));"
	/* company content: clear */
	"CREATE TABLE canned_replies ("
	"  id INTEGER PRIMARY KEY,"
	"  shortcut TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  language TEXT,"
	"  team TEXT,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE TABLE templates ("
	"  id INTEGER PRIMARY KEY,"
	"  meta_id TEXT,"
	"  name TEXT NOT NULL,"
	"  language TEXT NOT NULL DEFAULT '',"
	"  category TEXT,"
	"  status TEXT,"
	"  quality TEXT,"
	"  components TEXT,"
	"  updated INTEGER NOT NULL,"
	"  UNIQUE (name, language));"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id),"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN"
	"    ('queued','sending','sent','failed','unknown')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL DEFAULT 0,"
	"  error_code INTEGER,"
	"  error_class TEXT,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  request_enc BLOB);"
	"CREATE INDEX outbox_state ON outbox(state, next_attempt);"
	/* media files: the bytes live sealed in data_dir/blobs/<id> */
	"CREATE TABLE media ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER REFERENCES messages(id),"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
	"  direction TEXT NOT NULL CHECK (direction IN ('in','out')),"
	"  state TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (state IN ('queued','done','failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL DEFAULT 0,"
	"  mime TEXT,"
	"  size INTEGER,"
	"  meta_id_enc BLOB,"
	"  error TEXT,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE INDEX media_state ON media(state, next_attempt);"
	"CREATE INDEX media_msg ON media(message_id);"
	"CREATE TABLE consent ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
	"  purpose TEXT NOT NULL CHECK (purpose IN ('service','marketing')),"
	"  opt_in INTEGER NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  source TEXT NOT NULL,"
	"  evidence_msg_id INTEGER,"
	"  text_version TEXT);"
	"CREATE INDEX consent_contact ON consent(contact_id, purpose, ts);"
	"CREATE TABLE raw_events ("
	"  id INTEGER PRIMARY KEY,"
	"  received INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'ok'"
	"    CHECK (state IN ('ok','quarantined','replayed')),"
	"  cause TEXT,"
	"  body_enc BLOB NOT NULL);"
	"CREATE INDEX raw_state ON raw_events(state);"
	"CREATE INDEX raw_received ON raw_events(received);"
	"CREATE TABLE raw_event_contacts ("
	"  raw_id INTEGER NOT NULL REFERENCES raw_events(id) ON DELETE CASCADE,"
	"  contact_id INTEGER NOT NULL,"
	"  PRIMARY KEY (raw_id, contact_id));"
	"CREATE INDEX raw_contact ON raw_event_contacts(contact_id);"
	"CREATE TABLE alerts ("
	"  id INTEGER PRIMARY KEY,"
	"  ts INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  code INTEGER,"
	"  title TEXT,"
	"  detail_enc BLOB);"
	/* no personal data: internal ids, a pseudonymous reference */
	"CREATE TABLE erasure_ledger ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL,"
	"  erased_at INTEGER NOT NULL,"
	"  agent_id INTEGER,"
	"  audit_seq INTEGER);"
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  ts_ms INTEGER NOT NULL,"
	"  agent_id INTEGER NOT NULL,"
	"  agent TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  object_type TEXT,"
	"  object_id INTEGER,"
	"  contact_id INTEGER,"
	"  purpose TEXT,"
	"  client TEXT,"
	"  result TEXT NOT NULL,"
	"  detail_enc BLOB,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL);"
	"CREATE INDEX audit_contact ON audit(contact_id) WHERE contact_id IS NOT NULL;"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	/* retention removes whole signed segments (store_audit_prune) */
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  WHEN OLD.seq > coalesce((SELECT value FROM meta"
	"    WHERE key = 'audit_pruned_to'), 0)"
	"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	"CREATE TABLE audit_checkpoints ("
	"  seq INTEGER PRIMARY KEY,"
	"  ts_ms INTEGER NOT NULL,"
	"  hash BLOB NOT NULL,"
	"  sig BLOB NOT NULL);"
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value);"
	,
	/*
	 * 2: keyed audit chain (issue 11). Purposes are sealed; checkpoints
	 * carry the cadence they promise and are append-only like the log;
	 * pruning opens a one-shot gate row that its own transaction removes
	 * (a meta row no longer lifts the delete trigger). An existing
	 * unkeyed chain is closed by an "audit.rekey" record on the next
	 * start (audit_start).
	 */
	"ALTER TABLE audit ADD COLUMN purpose_enc BLOB;"
	"ALTER TABLE audit_checkpoints ADD COLUMN every INTEGER;"
	"ALTER TABLE audit_checkpoints ADD COLUMN minutes INTEGER;"
	"CREATE TABLE audit_prune_gate (upto INTEGER NOT NULL);"
	"DROP TRIGGER audit_no_delete;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  WHEN OLD.seq > coalesce((SELECT max(upto) FROM audit_prune_gate), 0)"
	"  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	"CREATE TRIGGER audit_ckpt_no_update BEFORE UPDATE ON audit_checkpoints"
	"  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;"
	"CREATE TRIGGER audit_ckpt_no_delete BEFORE DELETE ON audit_checkpoints"
	"  WHEN OLD.seq >= coalesce((SELECT max(upto) FROM audit_prune_gate), 0)"
	"  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;"
	"DELETE FROM meta WHERE key = 'audit_pruned_to';"
	"INSERT INTO meta (key, value) SELECT 'audit_rekey_pending', 1"
	"  WHERE EXISTS (SELECT 1 FROM audit);"
	,
	/*
	 * 3: what a list row says and how the list sorts (issue 13, rows).
	 * Since when the customer waits for an answer (the oldest inbound
	 * message after our last outbound one; 0: answered), and who wrote
	 * last, kept by store_msg_insert so no view reads the messages;
	 * reactions neither ask nor answer. Filled in for existing rows. The
	 * indexes serve each sort of the all, state, mine, unassigned and
	 * team views (store-inbox.c).
	 */
	"ALTER TABLE conversations ADD COLUMN waiting_since INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE conversations ADD COLUMN last_direction TEXT;"
	"ALTER TABLE conversations ADD COLUMN last_agent_id INTEGER"
	"  REFERENCES agents(id);"
	"UPDATE conversations SET (last_direction, last_agent_id) ="
	"  (SELECT direction, agent_id FROM messages"
	"   WHERE id = conversations.last_msg_id);"
	"UPDATE conversations SET waiting_since = coalesce((SELECT min(m.ts)"
	"  FROM messages m WHERE m.conversation_id = conversations.id"
	"  AND m.direction = 'in' AND m.type != 'reaction'"
	"  AND m.id > coalesce((SELECT max(o.id) FROM messages o"
	"    WHERE o.conversation_id = conversations.id"
	"    AND o.direction = 'out' AND o.type != 'reaction'), 0)), 0);"
	"CREATE INDEX conv_waiting ON conversations(waiting_since)"
	"  WHERE waiting_since > 0;"
	"CREATE INDEX conv_state_waiting ON conversations(state, waiting_since)"
	"  WHERE waiting_since > 0;"
	"CREATE INDEX conv_assignee_waiting ON"
	"  conversations(assignee_id, waiting_since) WHERE waiting_since > 0;"
	"CREATE INDEX conv_state_inbound ON"
	"  conversations(state, last_inbound_at);"
	"CREATE INDEX conv_assignee_inbound ON"
	"  conversations(assignee_id, last_inbound_at);"
	"CREATE INDEX conv_prio_last ON"
	"  conversations(priority, last_msg_at DESC, id DESC);"
	"CREATE INDEX conv_state_prio_last ON"
	"  conversations(state, priority, last_msg_at DESC, id DESC);"
	"CREATE INDEX conv_assignee_prio_last ON"
	"  conversations(assignee_id, priority, last_msg_at DESC, id DESC);"
	"CREATE INDEX conv_team_waiting ON conversations(team, waiting_since)"
	"  WHERE waiting_since > 0;"
	"CREATE INDEX conv_team_inbound ON conversations(team, last_inbound_at);"
	"CREATE INDEX conv_team_prio_last ON"
	"  conversations(team, priority, last_msg_at DESC, id DESC);"
	,
	/*
	 * 4: phone endings (issue 13, quick switch). The keyed blind
	 * index of the last 4 to 15 digits of each contact's number, so an
	 * agent finds "...4711" without the digits on disk; filled for
	 * existing contacts at start (store_phone_backfill). An erased
	 * contact's endings go with the contact row.
	 */
	"CREATE TABLE contact_phone_endings ("
	"  blind BLOB NOT NULL,"
	"  contact_id INTEGER NOT NULL,"
	"  PRIMARY KEY (blind, contact_id)) WITHOUT ROWID;"
	"CREATE INDEX contact_phone_endings_contact"
	"  ON contact_phone_endings(contact_id);"
	"CREATE TRIGGER contact_phone_endings_gone AFTER DELETE ON contacts"
	"  BEGIN DELETE FROM contact_phone_endings"
	"  WHERE contact_id = OLD.id; END;"
	,
	/*
	 * 5: handover requests waiting for the colleague's answer, one per
	 * conversation (issue 13, handover and mentions). The note, if any,
	 * is an ordinary sealed note.
	 */
	"CREATE TABLE handovers ("
	"  conversation_id INTEGER PRIMARY KEY"
	"    REFERENCES conversations(id) ON DELETE CASCADE,"
	"  from_id INTEGER NOT NULL REFERENCES agents(id),"
	"  to_id INTEGER NOT NULL REFERENCES agents(id),"
	"  note_id INTEGER REFERENCES notes(id) ON DELETE SET NULL,"
	"  created INTEGER NOT NULL);"
	"CREATE INDEX handovers_to ON handovers(to_id);"
	,
	/* 6: agents' display names (issue 13, canned replies that fit) */
	"ALTER TABLE agents ADD COLUMN display_name TEXT;"
	,
	/* 7: drafts and held sends (issue 13, drafts and undo send) */
	/*
	 * An agent's unsent text, one per agent and conversation, sealed with
	 * the contact's key like a message body (its contact_id is what erasure
	 * and retention delete it by). A reply can be held in the outbox for
	 * an undo window: held_until (ms) is when it may leave; outbox.cancel
	 * takes it back while it is still queued and held.
	 */
	"CREATE TABLE drafts ("
	"  id INTEGER PRIMARY KEY,"
	"  agent_id INTEGER NOT NULL REFERENCES agents(id),"
	"  conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
	"  reply_to INTEGER,"
	"  updated INTEGER NOT NULL,"
	"  body_enc BLOB NOT NULL,"
	"  UNIQUE (agent_id, conversation_id));"
	"CREATE INDEX drafts_contact ON drafts(contact_id);"
	"CREATE INDEX drafts_conv ON drafts(conversation_id);"
	"ALTER TABLE outbox ADD COLUMN held_until INTEGER NOT NULL DEFAULT 0;"
	,
	/* 8: counts kept at write time (issue 13, speed) */
	/*
	 * conv.counts used to count 100,000 conversations on every call
	 * (45-50 ms, on the daemon's one thread, after every event in every
	 * client); now the triggers keep one row per count: all, state/S,
	 * unassigned, mine/A, team/T and inbox/A ("inbox/" unassigned:
	 * conversations with an inbound message still to be answered, what
	 * unread counts start from). store-inbox.c reads them; test_store
	 * checks them against a recount after random changes. The window
	 * count gets an index it can answer from alone.
	 */
	"CREATE TABLE conv_tally ("
	"  k TEXT PRIMARY KEY,"
	"  n INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO conv_tally (k, n) SELECT k, sum(d) FROM ("
	"  SELECT 'all' AS k, 1 AS d FROM conversations"
	"  UNION ALL SELECT 'state/' || state, 1 FROM conversations"
	"  UNION ALL SELECT 'unassigned', 1 FROM conversations"
	"    WHERE assignee_id IS NULL AND state IN ('open','pending')"
	"  UNION ALL SELECT 'mine/' || assignee_id, 1 FROM conversations"
	"    WHERE assignee_id IS NOT NULL AND state != 'resolved'"
	"  UNION ALL SELECT 'team/' || team, 1 FROM conversations"
	"    WHERE team IS NOT NULL AND state != 'resolved'"
	"  UNION ALL SELECT 'inbox/' || coalesce(assignee_id, ''), 1"
	"    FROM conversations WHERE last_inbound_at > 0"
	"    AND state IN ('open','pending','snoozed'))"
	"  GROUP BY k;"
	"CREATE TRIGGER conv_tally_ins AFTER INSERT ON conversations BEGIN"
	STORE_TALLY_NEW
	"  END;"
	"CREATE TRIGGER conv_tally_del AFTER DELETE ON conversations BEGIN"
	STORE_TALLY_OLD
	"  END;"
	/* Only when a counted value changed: not on every message. */
	"CREATE TRIGGER conv_tally_upd AFTER UPDATE OF state, assignee_id,"
	"  team, last_inbound_at ON conversations"
	"  WHEN OLD.state IS NOT NEW.state"
	"  OR OLD.assignee_id IS NOT NEW.assignee_id"
	"  OR OLD.team IS NOT NEW.team"
	"  OR (OLD.last_inbound_at > 0) != (NEW.last_inbound_at > 0) BEGIN"
	STORE_TALLY_OLD
	STORE_TALLY_NEW
	"  END;"
	"CREATE INDEX conv_inbound_state"
	"  ON conversations(last_inbound_at, state);"
	"DROP INDEX conv_inbound;"
	,
	/* 9: removed agents (issue 14, agents are people) */
	/*
	 * agent.remove keeps the row (the audit trail points at it) but frees
	 * the uid for whoever is given it next: uid becomes -id (never a real
	 * uid, still unique) and the uid the agent had is kept in removed_uid.
	 * removed is when (s); NULL while the agent exists.
	 */
	"ALTER TABLE agents ADD COLUMN removed INTEGER;"
	"ALTER TABLE agents ADD COLUMN removed_uid INTEGER;"
	,
	/* 10: contact attributes and language (issue 15, contacts) */
	/*
	 * The team's attribute definitions (customer_no text, plan enum, ...)
	 * and each contact's values, sealed with the contact's key (bound to
	 * the contact and the attribute) with a keyed blind index of the
	 * value's canonical form for exact search. Values go with their
	 * contact (trigger) and with their definition (cascade). The
	 * language an agent set, sealed like the name; name_set: an agent
	 * chose the display name, the WhatsApp profile name no longer
	 * replaces it.
	 */
	"CREATE TABLE attribute_defs ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL UNIQUE,"
	"  type TEXT NOT NULL"
	"    CHECK (type IN ('text','number','date','bool','enum')),"
	"  choices TEXT,"
	"  created INTEGER NOT NULL,"
	"  agent_id INTEGER);"
	"CREATE TABLE contact_attrs ("
	"  contact_id INTEGER NOT NULL,"
	"  attr_id INTEGER NOT NULL"
	"    REFERENCES attribute_defs(id) ON DELETE CASCADE,"
	"  value_enc BLOB NOT NULL,"
	"  blind BLOB NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  PRIMARY KEY (contact_id, attr_id)) WITHOUT ROWID;"
	"CREATE INDEX contact_attrs_blind ON contact_attrs(attr_id, blind);"
	"CREATE TRIGGER contact_attrs_gone AFTER DELETE ON contacts"
	"  BEGIN DELETE FROM contact_attrs WHERE contact_id = OLD.id; END;"
	"ALTER TABLE contacts ADD COLUMN language_enc BLOB;"
	"ALTER TABLE contacts ADD COLUMN name_set INTEGER NOT NULL DEFAULT 0;"
	,
	/* 11: contact merges and blocks (issue 15, merge) */
	/*
	 * A merged contact's row goes, and its rows are sealed again with the
	 * kept contact's key; its media files stay sealed with its own key,
	 * which the key store keeps until the kept contact is erased:
	 * contact_merges says whose it now is (store_contact_shred destroys
	 * it with the kept one's). blocked: blocked on WhatsApp through the
	 * Cloud API (contact.block), when (s) and by which agent.
	 */
	"CREATE TABLE contact_merges ("
	"  from_id INTEGER PRIMARY KEY,"
	"  into_id INTEGER NOT NULL,"
	"  merged_at INTEGER NOT NULL,"
	"  agent_id INTEGER);"
	"CREATE INDEX contact_merges_into ON contact_merges(into_id);"
	"ALTER TABLE contacts ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE contacts ADD COLUMN blocked_at INTEGER;"
	"ALTER TABLE contacts ADD COLUMN blocked_by INTEGER;"
	,
	/* 12: consent source and legal basis (issue 15, import) */
	/*
	 * An imported opt-in says where it was given and on which legal
	 * basis ("opt-in form on the website", consent): source stays the
	 * kind ("import"), source_text and basis are the import's words
	 * (no personal data: the operator's description of the channel).
	 * An imported language is the contact's language_enc (migration 10).
	 */
	"ALTER TABLE consent ADD COLUMN source_text TEXT;"
	"ALTER TABLE consent ADD COLUMN basis TEXT;"
	,
	/* 13: templates per WABA (issue 15, numbers) */
	/*
	 * Each WABA has its own templates, the same name and language in two
	 * of them included. waba_id '' is a row synced before (the [graph]
	 * WABA's); the next sync replaces it.
	 */
	"CREATE TABLE templates_w ("
	"  id INTEGER PRIMARY KEY,"
	"  waba_id TEXT NOT NULL DEFAULT '',"
	"  meta_id TEXT,"
	"  name TEXT NOT NULL,"
	"  language TEXT NOT NULL DEFAULT '',"
	"  category TEXT,"
	"  status TEXT,"
	"  quality TEXT,"
	"  components TEXT,"
	"  updated INTEGER NOT NULL,"
	"  UNIQUE (waba_id, name, language));"
	"INSERT INTO templates_w (id, meta_id, name, language, category,"
	"  status, quality, components, updated) SELECT id, meta_id, name,"
	"  language, category, status, quality, components, updated"
	"  FROM templates;"
	"DROP TABLE templates;"
	"ALTER TABLE templates_w RENAME TO templates;"
	/* A send looks a template up by name and language, any WABA. */
	"CREATE INDEX templates_name ON templates(name, language, waba_id);"
	,
	/* 14: the privacy notice in the consent ledger (issue 16, notice) */
	/*
	 * "informed": the contact was sent the first-contact privacy notice
	 * (Art. 13 GDPR), opt_in 1, source 'notice', evidence the notice's
	 * message, text_version its version. notice names which one: the
	 * number label of its [notice LABEL], '' for [notice]. SQLite cannot
	 * widen a CHECK, so the table is copied.
	 */
	"CREATE TABLE consent_w ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id),"
	"  purpose TEXT NOT NULL"
	"    CHECK (purpose IN ('service','marketing','informed')),"
	"  opt_in INTEGER NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  source TEXT NOT NULL,"
	"  evidence_msg_id INTEGER,"
	"  text_version TEXT,"
	"  source_text TEXT,"
	"  basis TEXT,"
	"  notice TEXT);"
	"INSERT INTO consent_w (id, contact_id, purpose, opt_in, ts, source,"
	"  evidence_msg_id, text_version, source_text, basis)"
	"  SELECT id, contact_id, purpose, opt_in, ts, source,"
	"  evidence_msg_id, text_version, source_text, basis FROM consent;"
	"DROP TABLE consent;"
	"ALTER TABLE consent_w RENAME TO consent;"
	"CREATE INDEX consent_contact ON consent(contact_id, purpose, ts);"
	"CREATE INDEX consent_notice ON consent(purpose, notice, text_version)"
	"  WHERE purpose = 'informed';"
	,
	/* 15: rules switched off, timer firings (issue 16, rules) */
	/*
	 * A rule's switch lives in the store, not in the operator's file:
	 * "rule disable" survives restarts and reloads. rule_fired is what a
	 * timer trigger already did: one row per rule, conversation and mark
	 * (the customer message's time it counted from), so a timer fires
	 * once per conversation per customer message.
	 */
	"CREATE TABLE rule_state ("
	"  rule TEXT PRIMARY KEY,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  by TEXT,"
	"  at INTEGER NOT NULL);"
	"CREATE TABLE rule_fired ("
	"  rule TEXT NOT NULL,"
	"  conversation_id INTEGER NOT NULL REFERENCES conversations(id)"
	"    ON DELETE CASCADE,"
	"  mark INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (rule, conversation_id, mark));"
	"CREATE INDEX rule_fired_conv ON rule_fired(conversation_id);"
	,
	/* 16: the satisfaction survey (issue 16, survey) */
	/*
	 * One row per conversation (UNIQUE: never asked twice): queued by
	 * the resolve (pending, due after the undo window and the delay),
	 * then sent, skipped (why: no personal data) or answered. token is
	 * random and in the buttons' ids; agent_id resolved it; rating is
	 * 1..scale (thumbs: 1 down, 2 up). A conversation deleted by
	 * retention leaves its rating to the reports, with no conversation.
	 */
	"CREATE TABLE surveys ("
	"  id INTEGER PRIMARY KEY,"
	"  conversation_id INTEGER UNIQUE"
	"    REFERENCES conversations(id) ON DELETE SET NULL,"
	"  token TEXT NOT NULL UNIQUE,"
	"  agent_id INTEGER,"
	"  team TEXT,"
	"  scale TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending',"
	"  resolved_at INTEGER NOT NULL,"
	"  due_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  message_id INTEGER,"
	"  skipped TEXT,"
	"  rating INTEGER,"
	"  answered_at INTEGER);"
	"CREATE INDEX surveys_due ON surveys(state, due_at);"
	,
	/* 17: when each auto-reply last went to a conversation (issue 16, hours) */
	/*
	 * away: outside business hours; busy: the team's queue is long.
	 * No foreign key: retention and erasure delete conversations, and
	 * a row here holds no personal data (ids and a time), nothing to
	 * keep them from going; ids are never reused (AUTOINCREMENT).
	 */
	"CREATE TABLE auto_replies ("
	"  conversation_id INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('away','busy')),"
	"  sent_at INTEGER NOT NULL,"
	"  message_id INTEGER NOT NULL,"
	"  PRIMARY KEY (conversation_id, kind)) WITHOUT ROWID;"
	,
	/* 18: campaigns (issue 17, campaigns; doc/campaigns.md) */
	/*
	 * No personal data: contact, conversation and message ids, states,
	 * reasons and times. A recipient row is written once per contact
	 * and campaign (UNIQUE) when the campaign starts; its message_id is
	 * set in the transaction that queues the message, so a restart
	 * never sends twice. params is the JSON array as given ("{name}"
	 * is filled from the sealed contact at send time).
	 */
	"CREATE TABLE campaigns ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL UNIQUE,"
	"  template TEXT NOT NULL,"
	"  languages TEXT NOT NULL,"
	"  segment TEXT NOT NULL,"
	"  params TEXT NOT NULL DEFAULT '[]',"
	"  number TEXT,"
	"  phone_number_id TEXT,"
	"  schedule_at INTEGER,"
	"  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft',"
	"    'scheduled','running','paused','finished','cancelled')),"
	"  pause_reason TEXT,"
	"  created_by INTEGER,"
	"  created INTEGER NOT NULL,"
	"  started INTEGER,"
	"  finished INTEGER);"
	"CREATE TABLE campaign_recipients ("
	"  id INTEGER PRIMARY KEY,"
	"  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
	"  contact_id INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued',"
	"    'sending','sent','delivered','read','failed','skipped')),"
	"  reason TEXT,"
	"  lang TEXT,"
	"  conversation_id INTEGER,"
	"  message_id INTEGER,"
	"  queued_at INTEGER,"
	"  updated INTEGER NOT NULL,"
	"  replied_at INTEGER,"
	"  UNIQUE (campaign_id, contact_id));"
	"CREATE INDEX campaign_rcpt_state ON campaign_recipients(campaign_id,"
	"  state, id);"
	"CREATE INDEX campaign_rcpt_msg ON campaign_recipients(message_id)"
	"  WHERE message_id IS NOT NULL;"
	"CREATE INDEX campaign_rcpt_contact ON campaign_recipients(contact_id,"
	"  queued_at);"
	"CREATE INDEX campaign_rcpt_queued ON campaign_recipients(queued_at)"
	"  WHERE queued_at IS NOT NULL;"
	/* the messaging limit: templates sent in the last 24 hours */
	"CREATE INDEX msg_tpl_out ON messages(ts)"
	"  WHERE direction = 'out' AND type = 'template';"
	,
	/* 19: event hooks' deliveries (issue 18, hooks; doc/integrations.md) */
	/*
	 * Recorded in the transaction of what raised them and sent after it
	 * (store-hook.c, hook.c). key: the idempotency key the receiver sees, the same on
	 * every attempt. dedup: for events that fire once (a conversation's
	 * wait), NULL otherwise. body_enc: the JSON sent, sealed under the
	 * contact's data key (erasure makes it unreadable) or, without a
	 * contact, the field key; cleared once delivered. last_error never
	 * holds personal data (an HTTP status, an exit code).
	 */
	"CREATE TABLE hook_deliveries ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  hook TEXT NOT NULL,"
	"  event TEXT NOT NULL,"
	"  key TEXT NOT NULL UNIQUE,"
	"  dedup TEXT UNIQUE,"
	"  contact_id INTEGER NOT NULL DEFAULT 0,"
	"  conversation_id INTEGER NOT NULL DEFAULT 0,"
	"  body_enc BLOB,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending',"
	"    'delivered','dead')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE INDEX hook_due ON hook_deliveries(state, next_at);"
	,
	/* 20: service-level clocks (issue 19; doc/sla.md) */
	/*
	 * One row per clock: 'first' and 'next' run while the customer waits
	 * for an agent's answer, 'resolution' from the customer's first
	 * message of a cycle until it is resolved. Only timestamps and ids:
	 * reports read them without opening anything, and they stay when the
	 * conversation goes (erasure, retention) with conversation_id NULL,
	 * so past figures do not change. due: the deadline under the targets
	 * (sla.c computes it: NULL until then, 0 without a target);
	 * breached_at: when sla.breached was raised. The triggers are the one
	 * owner of when a clock starts and stops (an automatic reply is not
	 * an answer; a reaction neither asks nor answers); an agent's undo of
	 * a resolve resumes the cycle (store-sla.c).
	 */
	"CREATE TABLE sla_clocks ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  conversation_id INTEGER,"
	"  kind TEXT NOT NULL CHECK (kind IN ('first','next','resolution')),"
	"  started INTEGER NOT NULL,"
	"  last_in INTEGER NOT NULL,"
	"  stopped INTEGER,"
	"  msg_id INTEGER,"
	"  agent_id INTEGER,"
	"  team TEXT,"
	"  priority INTEGER NOT NULL,"
	"  phone_number_id TEXT,"
	"  due INTEGER,"
	"  breached_at INTEGER);"
	"CREATE INDEX sla_conv ON sla_clocks(conversation_id, kind, stopped);"
	"CREATE INDEX sla_msg ON sla_clocks(msg_id) WHERE msg_id IS NOT NULL;"
	"CREATE INDEX sla_undue ON sla_clocks(id) WHERE due IS NULL;"
	"CREATE INDEX sla_undue_running ON sla_clocks(id) WHERE due IS NULL"
	"  AND stopped IS NULL;"
	"CREATE INDEX sla_running_due ON sla_clocks(due) WHERE stopped IS NULL"
	"  AND due > 0;"
	/* The reports' ranges, covering every column they read, so a
	 * month of 600,000 clocks is one index walk (1.1 s -> 0.2 s for
	 * the response report on the bench store). */
	"CREATE INDEX sla_kind_started ON sla_clocks(kind, started, stopped,"
	"  last_in, msg_id, agent_id, due, team, phone_number_id);"
	"CREATE INDEX sla_kind_stopped ON sla_clocks(kind, stopped, started,"
	"  last_in, msg_id, agent_id, due, team, phone_number_id);"
	"CREATE TRIGGER sla_in AFTER INSERT ON messages"
	"  WHEN NEW.direction = 'in' AND NEW.type != 'reaction' BEGIN"
	"  INSERT INTO sla_clocks (conversation_id, kind, started, last_in,"
	"    team, priority, phone_number_id)"
	"    SELECT c.id, k.kind, NEW.ts, NEW.ts, c.team, c.priority,"
	"    c.phone_number_id FROM conversations c,"
	"    (SELECT 'resolution' AS kind UNION ALL SELECT 'first') k"
	"    WHERE c.id = NEW.conversation_id AND NOT EXISTS (SELECT 1"
	"    FROM sla_clocks WHERE conversation_id = NEW.conversation_id"
	"    AND kind = 'resolution' AND stopped IS NULL);"
	"  INSERT INTO sla_clocks (conversation_id, kind, started, last_in,"
	"    team, priority, phone_number_id)"
	"    SELECT c.id, 'next', NEW.ts, NEW.ts, c.team, c.priority,"
	"    c.phone_number_id FROM conversations c"
	"    WHERE c.id = NEW.conversation_id AND NOT EXISTS (SELECT 1"
	"    FROM sla_clocks WHERE conversation_id = NEW.conversation_id"
	"    AND kind IN ('first','next') AND stopped IS NULL);"
	"  UPDATE sla_clocks SET last_in = max(last_in, NEW.ts)"
	"    WHERE conversation_id = NEW.conversation_id"
	"    AND kind IN ('first','next') AND stopped IS NULL;"
	"  END;"
	"CREATE TRIGGER sla_answer AFTER INSERT ON messages"
	"  WHEN NEW.direction = 'out' AND NEW.agent_id IS NOT NULL"
	"  AND NEW.type != 'reaction' BEGIN"
	"  UPDATE sla_clocks SET stopped = max(NEW.ts, started),"
	"    msg_id = NEW.id, agent_id = NEW.agent_id"
	"    WHERE conversation_id = NEW.conversation_id"
	"    AND kind IN ('first','next') AND stopped IS NULL;"
	"  END;"
	"CREATE TRIGGER sla_resolve AFTER UPDATE OF state ON conversations"
	"  WHEN NEW.state = 'resolved' AND OLD.state != 'resolved' BEGIN"
	"  UPDATE sla_clocks SET stopped = max(coalesce(NEW.resolved_at,"
	"    NEW.last_msg_at), started), agent_id = CASE WHEN"
	"    kind = 'resolution' THEN NEW.assignee_id END"
	"    WHERE conversation_id = NEW.id AND stopped IS NULL;"
	"  END;"
	"CREATE TRIGGER sla_move AFTER UPDATE OF team, priority ON conversations"
	"  WHEN OLD.team IS NOT NEW.team OR OLD.priority != NEW.priority BEGIN"
	"  UPDATE sla_clocks SET team = NEW.team, priority = NEW.priority,"
	"    due = NULL WHERE conversation_id = NEW.id AND stopped IS NULL;"
	"  END;"
	"CREATE TRIGGER sla_gone AFTER DELETE ON conversations BEGIN"
	"  DELETE FROM sla_clocks WHERE conversation_id = OLD.id"
	"    AND stopped IS NULL;"
	"  UPDATE sla_clocks SET conversation_id = NULL, msg_id = NULL"
	"    WHERE conversation_id = OLD.id;"
	"  END;"
	/* The customers waiting now, so the clocks run from the upgrade. */
	"INSERT INTO sla_clocks (conversation_id, kind, started, last_in, team,"
	"  priority, phone_number_id)"
	"  SELECT id, 'next', waiting_since, max(last_inbound_at,"
	"  waiting_since), team, priority, phone_number_id FROM conversations"
	"  WHERE state != 'resolved' AND waiting_since > 0;"
	"INSERT INTO sla_clocks (conversation_id, kind, started, last_in, team,"
	"  priority, phone_number_id)"
	"  SELECT id, 'resolution', created, last_inbound_at, team, priority,"
	"  phone_number_id FROM conversations WHERE state != 'resolved';"
	,
	/* 21: an agent's "away" (agent.away; doc/protocol.md); the message
	 * a note was written after (thread-order.c; NULL: older notes, by
	 * time) */
	"ALTER TABLE agents ADD COLUMN away INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE notes ADD COLUMN after_msg INTEGER;"
	,
};

static const char *store_ks_migrations[] = {
	"CREATE TABLE contact_keys ("
	"  contact_id INTEGER PRIMARY KEY,"
	"  key_id INTEGER NOT NULL,"
	"  wrapped BLOB NOT NULL,"
	"  created INTEGER NOT NULL);"
	,
};

#endif
