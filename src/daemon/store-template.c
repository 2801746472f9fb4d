/*
 * Message templates: synced from the WABA (templates.c), updated by
 * template webhooks (status, quality, category), and read for sending.
 */
#include "store.h"
#define STORE_SLOT_BASE	2944
#include "store-int.h"

int
store_template_event(struct store *s, const char *waba_id,
    const char *template_id, const char *name, const char *language,
    const char *event, const char *quality, const char *category,
    int64_t now)
{
	sqlite3_stmt	*st;

	if (name == NULL)
		return (0);
	st = STMT("INSERT INTO templates (meta_id, name, language, category, "
	    "status, quality, updated, waba_id) VALUES (?1, ?2, "
	    "coalesce(?3, ''), ?6, ?4, ?5, ?7, coalesce(?8, '')) "
	    "ON CONFLICT (waba_id, name, language) DO UPDATE SET "
	    "meta_id = coalesce(?1, meta_id), status = coalesce(?4, status), "
	    "quality = coalesce(?5, quality), "
	    "category = coalesce(?6, category), updated = ?7");
	store_bind_text_or_null(st, 1, template_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 3, language);
	store_bind_text_or_null(st, 4, event);
	store_bind_text_or_null(st, 5, quality);
	store_bind_text_or_null(st, 6, category);
	sqlite3_bind_int64(st, 7, now);
	store_bind_text_or_null(st, 8, waba_id);
	return (store_step_done(s, st));
}

int
store_template_upsert(struct store *s, const char *waba_id,
    const char *meta_id, const char *name, const char *language,
    const char *category, const char *status, const char *components,
    int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO templates (meta_id, name, language, category, "
	    "status, components, updated, waba_id) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, coalesce(?8, '')) ON CONFLICT (waba_id, name, "
	    "language) DO UPDATE SET meta_id = ?1, "
	    "category = ?4, status = ?5, components = ?6, updated = ?7");
	store_bind_text_or_null(st, 1, meta_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, language, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 4, category);
	store_bind_text_or_null(st, 5, status);
	store_bind_text_or_null(st, 6, components);
	sqlite3_bind_int64(st, 7, now);
	store_bind_text_or_null(st, 8, waba_id);
	return (store_step_done(s, st));
}

/*
 * Templates the WABA no longer lists are gone, and rows synced before
 * templates knew their WABA.
 */
int
store_template_prune(struct store *s, const char *waba_id, int64_t before)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM templates WHERE (waba_id = coalesce(?2, '') "
	    "OR waba_id = '') AND updated < ?1");
	sqlite3_bind_int64(st, 1, before);
	store_bind_text_or_null(st, 2, waba_id);
	return (store_step_done(s, st));
}

static json_t *
store_template_row(sqlite3_stmt *st)
{
	json_t	*o, *c;

	o = json_object();
	json_object_set_new(o, "name", json_string(store_col_text(st, 0)));
	json_object_set_new(o, "language", json_string(store_col_text(st, 1)));
	json_object_set_new(o, "category", store_col_text(st, 2) != NULL ?
	    json_string(store_col_text(st, 2)) : json_null());
	json_object_set_new(o, "status", store_col_text(st, 3) != NULL ?
	    json_string(store_col_text(st, 3)) : json_null());
	c = store_col_text(st, 4) != NULL ? json_loads(store_col_text(st, 4),
	    0, NULL) : NULL;
	json_object_set_new(o, "components", c != NULL ? c : json_array());
	json_object_set_new(o, "quality", store_col_text(st, 5) != NULL ?
	    json_string(store_col_text(st, 5)) : json_null());
	json_object_set_new(o, "updated", json_integer(sqlite3_column_int64(st,
	    6)));
	json_object_set_new(o, "waba_id", store_col_text(st, 7) != NULL &&
	    *store_col_text(st, 7) != '\0' ? json_string(store_col_text(st,
	    7)) : json_null());
	return (o);
}

json_t *
store_template_get(struct store *s, const char *name, const char *language)
{
	return (store_template_get_waba(s, NULL, name, language));
}

json_t *
store_template_get_waba(struct store *s, const char *waba_id,
    const char *name, const char *language)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;

	/* The WABA's own row first; '' is one synced before WABAs counted. */
	st = STMT("SELECT name, language, category, status, components, "
	    "quality, updated, waba_id FROM templates WHERE name = ?1 AND "
	    "language = ?2 AND (?3 IS NULL OR waba_id = ?3 OR waba_id = '') "
	    "ORDER BY waba_id = coalesce(?3, '') DESC, waba_id DESC LIMIT 1");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, language, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 3, waba_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		o = store_template_row(st);
	sqlite3_reset(st);
	return (o);
}

json_t *
store_template_list(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT name, language, category, status, components, "
	    "quality, updated, waba_id FROM templates ORDER BY name, "
	    "language, waba_id LIMIT 10000");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, store_template_row(st));
	sqlite3_reset(st);
	return (arr);
}
