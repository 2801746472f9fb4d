/*
 * The privacy notice in the consent ledger (issue 16): whether a contact
 * was sent a notice at a version, recording that it was, the counts
 * "notice status" shows and the contact's language the notice is chosen
 * by. Rows are the consent table's (purpose 'informed'), appended and
 * never rewritten, like every other ledger entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "store.h"
#define STORE_SLOT_BASE	3584
#include "store-int.h"
#include "wa-payload.h"

int
store_notice_informed(struct store *s, int64_t contact_id, const char *notice,
    uint32_t version)
{
	sqlite3_stmt	*st;
	char		 v[16];
	int64_t		 n;

	/* A notice whose send failed informed nobody: it is due again. */
	snprintf(v, sizeof v, "%u", version);
	st = STMT("SELECT count(*) FROM consent c LEFT JOIN messages m ON "
	    "m.id = c.evidence_msg_id WHERE c.contact_id = ? AND "
	    "c.purpose = 'informed' AND c.notice = ? AND c.text_version = ? "
	    "AND coalesce(m.status, 0) != ?");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, notice, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, v, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 4, WA_ST_FAILED);
	if ((n = store_count(st)) < 0)
		return (-1);
	return (n > 0);
}

int
store_notice_record(struct store *s, int64_t contact_id, const char *notice,
    uint32_t version, const char *lang, int64_t msg_id, int64_t ts)
{
	sqlite3_stmt	*st;
	char		 v[16], what[64];

	snprintf(v, sizeof v, "%u", version);
	if (*notice != '\0')
		snprintf(what, sizeof what, "[notice %s] %s", notice, lang);
	else
		snprintf(what, sizeof what, "[notice] %s", lang);
	st = STMT("INSERT INTO consent (contact_id, purpose, opt_in, ts, "
	    "source, evidence_msg_id, text_version, source_text, notice) "
	    "VALUES (?, 'informed', 1, ?, 'notice', ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int64(st, 2, ts);
	store_bind_id_or_null(st, 3, msg_id);
	sqlite3_bind_text(st, 4, v, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, what, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, notice, -1, SQLITE_TRANSIENT);
	return (store_step_done(s, st));
}

int64_t
store_notice_count(struct store *s, const char *notice, uint32_t version)
{
	sqlite3_stmt	*st;
	char		 v[16];

	snprintf(v, sizeof v, "%u", version);
	st = STMT("SELECT count(DISTINCT c.contact_id) FROM consent c "
	    "LEFT JOIN messages m ON m.id = c.evidence_msg_id WHERE "
	    "c.purpose = 'informed' AND c.notice = ? AND c.text_version = ? "
	    "AND coalesce(m.status, 0) != ?");
	sqlite3_bind_text(st, 1, notice, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, v, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, WA_ST_FAILED);
	return (store_count(st));
}

int64_t
store_notice_count_any(struct store *s, const char *notice)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT count(DISTINCT c.contact_id) FROM consent c "
	    "LEFT JOIN messages m ON m.id = c.evidence_msg_id WHERE "
	    "c.purpose = 'informed' AND c.notice = ? "
	    "AND coalesce(m.status, 0) != ?");
	sqlite3_bind_text(st, 1, notice, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, WA_ST_FAILED);
	return (store_count(st));
}

