/*
 * The consent ledger: opt-ins and opt-outs per contact and purpose, with
 * their source and evidence, appended and never rewritten.
 */
#include "store.h"
#define STORE_SLOT_BASE	1280
#include "store-int.h"

int
store_consent_add(struct store *s, int64_t contact_id, const char *purpose,
    int opt_in, const char *source, int64_t evidence_msg_id,
    const char *text_version, int64_t ts)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO consent (contact_id, purpose, opt_in, ts, "
	    "source, evidence_msg_id, text_version) VALUES (?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, purpose, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, opt_in);
	sqlite3_bind_int64(st, 4, ts);
	sqlite3_bind_text(st, 5, source, -1, SQLITE_TRANSIENT);
	store_bind_id_or_null(st, 6, evidence_msg_id);
	store_bind_text_or_null(st, 7, text_version);
	return (store_step_done(s, st));
}

int
store_consent_marketing(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;
	int		 ok = 0;

	st = STMT("SELECT opt_in FROM consent WHERE contact_id = ? AND "
	    "purpose = 'marketing' ORDER BY ts DESC, id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, contact_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		ok = sqlite3_column_int(st, 0) == 1;
	sqlite3_reset(st);
	return (ok);
}

int
store_consent_current(struct store *s, int64_t contact_id,
    const char *purpose)
{
	sqlite3_stmt	*st;
	int		 rc, v = 0;

	st = STMT("SELECT opt_in FROM consent WHERE contact_id = ? AND "
	    "purpose = ? ORDER BY ts DESC, id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, purpose, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int(st, 0) ? 1 : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	return (v);
}

json_t *
store_consent_history(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;
	json_t		*arr, *o;

	st = STMT("SELECT id, purpose, opt_in, ts, source, evidence_msg_id, "
	    "text_version, source_text, basis, notice FROM consent "
	    "WHERE contact_id = ? ORDER BY ts, id");
	sqlite3_bind_int64(st, 1, contact_id);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		o = json_pack("{sI ss sb sI ss}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0), "purpose",
		    store_col_text(st, 1), "opt_in", sqlite3_column_int(st, 2),
		    "ts", (json_int_t)sqlite3_column_int64(st, 3), "source",
		    store_col_text(st, 4));
		if (sqlite3_column_type(st, 5) != SQLITE_NULL)
			json_object_set_new(o, "evidence_message",
			    json_integer(sqlite3_column_int64(st, 5)));
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			json_object_set_new(o, "text_version",
			    json_string(store_col_text(st, 6)));
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			json_object_set_new(o, "source_text",
			    json_string(store_col_text(st, 7)));
		if (sqlite3_column_type(st, 8) != SQLITE_NULL)
			json_object_set_new(o, "basis",
			    json_string(store_col_text(st, 8)));
		/* The privacy notice's section (issue 16): "" is [notice]. */
		if (sqlite3_column_type(st, 9) != SQLITE_NULL)
			json_object_set_new(o, "notice",
			    json_string(store_col_text(st, 9)));
		json_array_append_new(arr, o);
	}
	sqlite3_reset(st);
	return (arr);
}

int
store_consent_add_import(struct store *s, int64_t contact_id,
    const struct store_consent_import *ci, const char *text_version)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO consent (contact_id, purpose, opt_in, ts, "
	    "source, text_version, source_text, basis) "
	    "VALUES (?,?,?,?,'import',?,?,?)");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, ci->purpose, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, ci->opt_in);
	sqlite3_bind_int64(st, 4, ci->ts);
	store_bind_text_or_null(st, 5, text_version);
	sqlite3_bind_text(st, 6, ci->source_text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, ci->basis, -1, SQLITE_TRANSIENT);
	return (store_step_done(s, st));
}

int
store_consent_has_import(struct store *s, int64_t contact_id,
    const struct store_consent_import *ci)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT count(*) FROM consent WHERE contact_id = ? AND "
	    "purpose = ? AND opt_in = ? AND ts = ? AND source = 'import' AND "
	    "source_text = ? AND basis = ?");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, ci->purpose, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, ci->opt_in);
	sqlite3_bind_int64(st, 4, ci->ts);
	sqlite3_bind_text(st, 5, ci->source_text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, ci->basis, -1, SQLITE_TRANSIENT);
	return (store_count(st) > 0 ? 1 : 0);
}
