/*
 * What the contact import and export need of the contacts table beyond
 * store-contact.c: the contact's language and the contacts in pages.
 */
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	3968
#include "store-int.h"
#include "xmalloc.h"

/* The language set for the contact (sealed like the name), or NULL. */
char *
store_contact_io_language(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	char		*lang = NULL;

	if ((key = store_dek(s, contact_id)) == NULL)
		return (NULL);
	st = STMT("SELECT language_enc FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, contact_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		lang = store_col_open(st, 0, key, "contacts", "language",
		    contact_id);
	sqlite3_reset(st);
	return (lang);
}

/* The language as contact.edit sets it: one place seals it. */
int
store_contact_io_set_language(struct store *s, int64_t contact_id,
    const char *language)
{
	return (store_contact_edit(s, contact_id, "language", language));
}

json_t *
store_contact_io_page(struct store *s, int64_t after, int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*arr;
	int		 rc;

	st = STMT("SELECT id FROM contacts WHERE id > ? ORDER BY id LIMIT ?");
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, limit);
	arr = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(arr, json_integer(
		    sqlite3_column_int64(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return (NULL);
	}
	return (arr);
}
