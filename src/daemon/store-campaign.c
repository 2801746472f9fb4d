/*
 * Campaigns (issue 17): the campaigns and their recipients. Nothing
 * personal is stored here: contact, conversation and message ids, states,
 * reasons and times (doc/campaigns.md).
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	4736
#include "store-int.h"

#define CAMPAIGN_COLS "id, name, template, languages, segment, params, " \
	"number, phone_number_id, coalesce(schedule_at, 0), state, " \
	"pause_reason, coalesce(created_by, 0), created, " \
	"coalesce(started, 0), coalesce(finished, 0)"

static void
store_campaign_copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

static void
store_campaign_fill(sqlite3_stmt *st, struct store_campaign *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	store_campaign_copy(c->name, sizeof c->name, store_col_text(st, 1));
	store_campaign_copy(c->tmpl, sizeof c->tmpl, store_col_text(st, 2));
	store_campaign_copy(c->languages, sizeof c->languages,
	    store_col_text(st, 3));
	store_campaign_copy(c->segment, sizeof c->segment,
	    store_col_text(st, 4));
	c->params = json_loads(store_col_text(st, 5) != NULL ?
	    store_col_text(st, 5) : "[]", 0, NULL);
	if (!json_is_array(c->params)) {
		json_decref(c->params);
		c->params = json_array();
	}
	store_campaign_copy(c->number, sizeof c->number,
	    store_col_text(st, 6));
	store_campaign_copy(c->pnid, sizeof c->pnid, store_col_text(st, 7));
	c->schedule_at = sqlite3_column_int64(st, 8);
	store_campaign_copy(c->state, sizeof c->state, store_col_text(st, 9));
	store_campaign_copy(c->pause_reason, sizeof c->pause_reason,
	    store_col_text(st, 10));
	c->created_by = sqlite3_column_int64(st, 11);
	c->created = sqlite3_column_int64(st, 12);
	c->started = sqlite3_column_int64(st, 13);
	c->finished = sqlite3_column_int64(st, 14);
}

void
store_campaign_clear(struct store_campaign *c)
{
	json_decref(c->params);
	c->params = NULL;
}

int
store_campaign_create(struct store *s, const struct store_campaign *c,
    int64_t *id)
{
	sqlite3_stmt	*st;
	char		*params;
	int		 rc;

	params = c->params != NULL ? json_dumps(c->params, JSON_COMPACT) :
	    NULL;
	st = STMT("INSERT INTO campaigns (name, template, languages, segment, "
	    "params, number, phone_number_id, schedule_at, created_by, "
	    "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, c->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, c->tmpl, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, c->languages, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, c->segment, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, params != NULL ? params : "[]", -1,
	    SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 6, c->number[0] != '\0' ? c->number :
	    NULL);
	store_bind_text_or_null(st, 7, c->pnid[0] != '\0' ? c->pnid : NULL);
	store_bind_id_or_null(st, 8, c->schedule_at);
	store_bind_id_or_null(st, 9, c->created_by);
	sqlite3_bind_int64(st, 10, c->created);
	free(params);
	if ((rc = store_step_unique(st)) == 0)
		*id = sqlite3_last_insert_rowid(s->db);
	return (rc);
}

enum store_found
store_campaign_get(struct store *s, const char *name, int64_t id,
    struct store_campaign *c)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT " CAMPAIGN_COLS " FROM campaigns WHERE name = ?1 "
	    "OR id = ?2");
	store_bind_text_or_null(st, 1, name);
	sqlite3_bind_int64(st, 2, id);
	memset(c, 0, sizeof *c);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_campaign_fill(st, c);
	sqlite3_reset(st);
	return (rc == SQLITE_ROW ? STORE_FOUND : rc == SQLITE_DONE ?
	    STORE_NONE : STORE_ERROR);
}

int
store_campaign_each(struct store *s, const char *state,
    int (*fn)(struct store_campaign *, void *), void *arg)
{
	sqlite3_stmt		*st;
	struct store_campaign	*all = NULL, c;
	size_t			 n = 0, i;
	int			 rc = 0;

	/* Copied first: fn may use the store. */
	st = STMT("SELECT " CAMPAIGN_COLS " FROM campaigns WHERE ?1 IS NULL "
	    "OR state = ?1 ORDER BY id");
	store_bind_text_or_null(st, 1, state);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 10000) {
		store_campaign_fill(st, &c);
		all = reallocarray(all, n + 1, sizeof *all);
		if (all == NULL)
			abort();
		all[n++] = c;
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
	for (i = 0; i < n; i++) {
		if (rc == 0 && fn(&all[i], arg) != 0)
			rc = -1;
		store_campaign_clear(&all[i]);
	}
	free(all);
	return (rc);
}

int
store_campaign_set_state(struct store *s, int64_t id, const char *state,
    const char *reason, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE campaigns SET state = ?2, pause_reason = ?3, "
	    "started = CASE WHEN ?2 = 'running' THEN coalesce(started, ?4) "
	    "ELSE started END, finished = CASE WHEN ?2 IN ('finished', "
	    "'cancelled') THEN ?4 ELSE finished END WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 3, reason);
	sqlite3_bind_int64(st, 4, now);
	return (store_step_done(s, st));
}

json_t *
store_campaign_counts(struct store *s, int64_t id)
{
	static const char *const states[] = { "queued", "sending", "sent",
	    "delivered", "read", "failed", "skipped" };
	sqlite3_stmt	*st;
	json_t		*o;
	int64_t		 total = 0, n;
	size_t		 i;

	o = json_object();
	for (i = 0; i < sizeof states / sizeof states[0]; i++)
		json_object_set_new(o, states[i], json_integer(0));
	st = STMT("SELECT state, count(*) FROM campaign_recipients WHERE "
	    "campaign_id = ? GROUP BY state");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 1);
		if (store_col_text(st, 0) != NULL)
			json_object_set_new(o, store_col_text(st, 0),
			    json_integer(n));
		total += n;
	}
	sqlite3_reset(st);
	json_object_set_new(o, "total", json_integer(total));
	st = STMT("SELECT count(*) FROM campaign_recipients WHERE "
	    "campaign_id = ? AND replied_at IS NOT NULL");
	sqlite3_bind_int64(st, 1, id);
	json_object_set_new(o, "replies", json_integer(store_count(st)));
	return (o);
}

int
store_campaign_contacts(struct store *s,
    int (*fn)(const struct store_campaign_contact *, void *), void *arg)
{
	sqlite3_stmt			*st;
	struct store_campaign_contact	 c;
	int				 rc;

	st = STMT("SELECT c.id, c.restricted, c.blocked, "
	    "(c.wa_blind IS NULL AND c.bsuid_blind IS NULL), "
	    "coalesce((SELECT opt_in FROM consent k WHERE k.contact_id = c.id "
	    "AND k.purpose = 'marketing' ORDER BY k.ts DESC, k.id DESC "
	    "LIMIT 1), -1), "
	    "coalesce((SELECT max(last_msg_at) FROM conversations v WHERE "
	    "v.contact_id = c.id), 0) FROM contacts c ORDER BY c.id");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c.id = sqlite3_column_int64(st, 0);
		c.restricted = sqlite3_column_int(st, 1);
		c.blocked = sqlite3_column_int(st, 2);
		c.erased = sqlite3_column_int(st, 3);
		c.consent = sqlite3_column_int(st, 4);
		c.last_contact = sqlite3_column_int64(st, 5);
		if (fn(&c, arg) != 0) {
			sqlite3_reset(st);
			return (-1);
		}
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

enum store_found
store_campaign_contact(struct store *s, int64_t cid,
    struct store_campaign_contact *c)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT c.id, c.restricted, c.blocked, "
	    "(c.wa_blind IS NULL AND c.bsuid_blind IS NULL), "
	    "coalesce((SELECT opt_in FROM consent k WHERE k.contact_id = c.id "
	    "AND k.purpose = 'marketing' ORDER BY k.ts DESC, k.id DESC "
	    "LIMIT 1), -1) FROM contacts c WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, cid);
	memset(c, 0, sizeof *c);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->id = cid;
		c->restricted = sqlite3_column_int(st, 1);
		c->blocked = sqlite3_column_int(st, 2);
		c->erased = sqlite3_column_int(st, 3);
		c->consent = sqlite3_column_int(st, 4);
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW ? STORE_FOUND : rc == SQLITE_DONE ?
	    STORE_NONE : STORE_ERROR);
}

int
store_campaign_has_label(struct store *s, int64_t cid, const char *label)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT EXISTS (SELECT 1 FROM conversations v JOIN "
	    "conversation_labels cl ON cl.conversation_id = v.id JOIN labels l "
	    "ON l.id = cl.label_id WHERE v.contact_id = ? AND l.name = ?)");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_text(st, 2, label, -1, SQLITE_TRANSIENT);
	return ((int)store_count(st));
}

int
store_campaign_has_number(struct store *s, int64_t cid, const char *pnid)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT EXISTS (SELECT 1 FROM conversations WHERE "
	    "contact_id = ? AND phone_number_id = ?)");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_text(st, 2, pnid, -1, SQLITE_TRANSIENT);
	return ((int)store_count(st));
}

int
store_campaign_rcpt_add(struct store *s, int64_t campaign, int64_t cid,
    const char *reason, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT OR IGNORE INTO campaign_recipients (campaign_id, "
	    "contact_id, state, reason, updated) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, campaign);
	sqlite3_bind_int64(st, 2, cid);
	sqlite3_bind_text(st, 3, reason != NULL ? "skipped" : "queued", -1,
	    SQLITE_STATIC);
	store_bind_text_or_null(st, 4, reason);
	sqlite3_bind_int64(st, 5, now);
	return (store_step_done(s, st));
}

int
store_campaign_next(struct store *s, int64_t campaign, int max,
    int64_t *rids, int64_t *cids)
{
	sqlite3_stmt	*st;
	int		 n = 0;

	st = STMT("SELECT id, contact_id FROM campaign_recipients WHERE "
	    "campaign_id = ? AND state = 'queued' ORDER BY id LIMIT ?");
	sqlite3_bind_int64(st, 1, campaign);
	sqlite3_bind_int(st, 2, max);
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		rids[n] = sqlite3_column_int64(st, 0);
		cids[n] = sqlite3_column_int64(st, 1);
		n++;
	}
	sqlite3_reset(st);
	return (n);
}

int
store_campaign_rcpt_queued(struct store *s, int64_t rid, int64_t conv,
    int64_t msg, const char *lang, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE campaign_recipients SET state = 'sending', "
	    "conversation_id = ?, message_id = ?, lang = ?, queued_at = ?, "
	    "updated = ? WHERE id = ? AND state = 'queued'");
	sqlite3_bind_int64(st, 1, conv);
	sqlite3_bind_int64(st, 2, msg);
	store_bind_text_or_null(st, 3, lang);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, rid);
	return (store_step_done(s, st));
}

int
store_campaign_rcpt_skip(struct store *s, int64_t rid, const char *reason,
    int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE campaign_recipients SET state = 'skipped', "
	    "reason = ?, updated = ? WHERE id = ? AND state = 'queued'");
	sqlite3_bind_text(st, 1, reason, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, rid);
	return (store_step_done(s, st));
}

/*
 * The messaging limit counts unique customers a number sent templates to
 * in the rolling 24 hours, whatever sent them (a campaign, conv.start,
 * new, a rule): every outgoing template message of the number's
 * conversations since since that has not failed, by distinct contact
 * (index msg_tpl_out). Templates sent inside an open customer-service
 * window are counted too: the count errs on the safe side. A conversation
 * without a number (older stores) is the default number's, dflt.
 */
int64_t
store_campaign_tier_used(struct store *s, const char *pnid,
    const char *dflt, int64_t since, int64_t *oldest)
{
	sqlite3_stmt	*st;
	int64_t		 n, o = 0;

	st = STMT("SELECT count(DISTINCT m.contact_id), coalesce(min(m.ts), 0) "
	    "FROM messages m JOIN conversations v ON v.id = m.conversation_id "
	    "WHERE m.direction = 'out' AND m.type = 'template' AND m.ts >= ?1 "
	    "AND m.status <> 5 AND coalesce(v.phone_number_id, ?3) = ?2");
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_text(st, 2, pnid != NULL ? pnid : "", -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, dflt != NULL ? dflt : "", -1,
	    SQLITE_TRANSIENT);
	if (store_row_int64(st, &n, &o) == STORE_ERROR)
		return (-1);
	if (oldest != NULL)
		*oldest = o;
	return (n);
}

/* Queued recipients of every campaign skipped: the contact opted out. */
int
store_campaign_optout(struct store *s, int64_t cid, int64_t now,
    void (*fn)(int64_t, void *), void *arg)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("UPDATE campaign_recipients SET state = 'skipped', reason = "
	    "'opted-out', updated = ?2 WHERE contact_id = ?1 AND state = "
	    "'queued' RETURNING campaign_id");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(sqlite3_column_int64(st, 0), arg);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* A cancelled campaign's recipients not handed to the outbox yet. */
int
store_campaign_cancel_queued(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE campaign_recipients SET state = 'skipped', reason = "
	    "'cancelled', updated = ?2 WHERE campaign_id = ?1 AND state = "
	    "'queued'");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return (store_step_done(s, st));
}

int64_t
store_campaign_on_status(struct store *s, int64_t msg, const char *state,
    const char *reason, int64_t now)
{
	sqlite3_stmt	*st;
	int64_t		 cid = 0;

	/* Only forward: a late "delivered" does not undo "read". */
	st = STMT("UPDATE campaign_recipients SET state = ?2, reason = ?3, "
	    "updated = ?4 WHERE message_id = ?1 AND state <> 'failed' AND "
	    "(CASE state WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 "
	    "WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 9 END) < "
	    "(CASE ?2 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 "
	    "WHEN 'read' THEN 4 WHEN 'failed' THEN 5 ELSE 0 END) "
	    "RETURNING campaign_id");
	sqlite3_bind_int64(st, 1, msg);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 3, reason);
	sqlite3_bind_int64(st, 4, now);
	if (store_row_int64(st, &cid, NULL) == STORE_ERROR)
		return (-1);
	return (cid);
}

int64_t
store_campaign_on_reply(struct store *s, int64_t contact, int64_t ts,
    int64_t window, char *name, size_t namelen)
{
	sqlite3_stmt	*st;
	int64_t		 rid = 0, camp = 0;
	int		 rc;

	st = STMT("SELECT r.id, r.campaign_id, c.name FROM campaign_recipients "
	    "r JOIN campaigns c ON c.id = r.campaign_id WHERE r.contact_id = ? "
	    "AND r.queued_at IS NOT NULL AND r.queued_at <= ? AND "
	    "r.queued_at >= ? ORDER BY r.queued_at DESC, r.id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, contact);
	sqlite3_bind_int64(st, 2, ts);
	sqlite3_bind_int64(st, 3, ts - window);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rid = sqlite3_column_int64(st, 0);
		camp = sqlite3_column_int64(st, 1);
		store_campaign_copy(name, namelen, store_col_text(st, 2));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return (rc == SQLITE_DONE ? 0 : -1);
	st = STMT("UPDATE campaign_recipients SET replied_at = ? WHERE id = ? "
	    "AND replied_at IS NULL");
	sqlite3_bind_int64(st, 1, ts);
	sqlite3_bind_int64(st, 2, rid);
	if (store_step_done(s, st) != 0)
		return (-1);
	return (camp);
}

json_t *
store_campaign_report(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;
	json_t		*o, *failed, *skipped;

	if ((o = store_campaign_counts(s, id)) == NULL)
		return (NULL);
	failed = json_object();
	skipped = json_object();
	st = STMT("SELECT state, coalesce(reason, 'unknown'), count(*) FROM "
	    "campaign_recipients WHERE campaign_id = ? AND state IN "
	    "('failed', 'skipped') GROUP BY state, reason");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(strcmp(store_col_text(st, 0), "failed") ==
		    0 ? failed : skipped, store_col_text(st, 1),
		    json_integer(sqlite3_column_int64(st, 2)));
	sqlite3_reset(st);
	json_object_set_new(o, "failed_by_reason", failed);
	json_object_set_new(o, "skipped_by_reason", skipped);
	/* An opt-out after the campaign reached the contact. */
	st = STMT("SELECT count(*) FROM campaign_recipients r WHERE "
	    "r.campaign_id = ? AND r.queued_at IS NOT NULL AND (SELECT opt_in "
	    "FROM consent k WHERE k.contact_id = r.contact_id AND k.purpose = "
	    "'marketing' AND k.ts >= r.queued_at ORDER BY k.ts DESC, k.id "
	    "DESC LIMIT 1) = 0");
	sqlite3_bind_int64(st, 1, id);
	json_object_set_new(o, "opt_outs", json_integer(store_count(st)));
	return (o);
}

json_t *
store_campaign_rcpt_list(struct store *s, int64_t id, const char *state,
    int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*a;

	a = json_array();
	st = STMT("SELECT contact_id, state, reason, coalesce(message_id, 0), "
	    "coalesce(queued_at, 0), updated, coalesce(replied_at, 0) FROM "
	    "campaign_recipients WHERE campaign_id = ?1 AND (?2 IS NULL OR "
	    "state = ?2) ORDER BY id LIMIT ?3");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text_or_null(st, 2, state);
	sqlite3_bind_int64(st, 3, limit);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_pack("{sI ss so sI sI sI sI}",
		    "contact", (json_int_t)sqlite3_column_int64(st, 0),
		    "state", store_col_text(st, 1), "reason",
		    store_col_text(st, 2) != NULL ? json_string(
		    store_col_text(st, 2)) : json_null(), "message",
		    (json_int_t)sqlite3_column_int64(st, 3), "queued_at",
		    (json_int_t)sqlite3_column_int64(st, 4), "updated",
		    (json_int_t)sqlite3_column_int64(st, 5), "replied_at",
		    (json_int_t)sqlite3_column_int64(st, 6)));
	sqlite3_reset(st);
	return (a);
}
