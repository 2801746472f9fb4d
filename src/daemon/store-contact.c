/*
 * Contacts: found by the blind index of their number or BSUID, created with
 * their data key, their identities and profile sealed; how they are shown
 * (number masked); their restriction and legal-hold flags and details for
 * data-subject requests; erasure of every row and shredding of the key.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "log.h"
#include "store.h"
#define STORE_SLOT_BASE	1408
#include "store-int.h"
#include "xmalloc.h"

/* 1 if the array of strings holds name. */
static int
store_contact_has(json_t *arr, const char *name)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(arr, i, v) {
		if (strcmp(json_string_value(v), name) == 0)
			return (1);
	}
	return (0);
}

static enum store_found
store_contact_by_blind(struct store *s, const char *kind, const char *id,
    int64_t *contact_id)
{
	sqlite3_stmt	*st;
	uint8_t		 bl[CRYPT_BLINDBYTES];

	store_blind(s, kind, id, bl);
	if (strcmp(kind, "wa") == 0)
		st = STMT("SELECT id FROM contacts WHERE wa_blind = ?");
	else
		st = STMT("SELECT id FROM contacts WHERE bsuid_blind = ?");
	sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	return (store_row_int64(st, contact_id, NULL));
}

/* Sets one identity or profile column (blind + sealed value). */
static int
store_contact_set(struct store *s, int64_t cid, const char *what,
    const char *value)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	uint8_t		 bl[CRYPT_BLINDBYTES];

	if ((key = store_dek(s, cid)) == NULL)
		return (-1);
	if (strcmp(what, "wa_id") == 0) {
		st = STMT("UPDATE contacts SET wa_blind = ?, wa_id_enc = ? "
		    "WHERE id = ?");
		store_blind(s, "wa", value, bl);
		sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	} else if (strcmp(what, "user_id") == 0) {
		st = STMT("UPDATE contacts SET bsuid_blind = ?, "
		    "user_id_enc = ? WHERE id = ?");
		store_blind(s, "bsuid", value, bl);
		sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	} else if (strcmp(what, "name") == 0) {
		st = STMT("UPDATE contacts SET updated = ?1, name_enc = ? "
		    "WHERE id = ?");
		sqlite3_bind_int64(st, 1, store_now_s());
	} else {
		st = STMT("UPDATE contacts SET updated = ?1, username_enc = ? "
		    "WHERE id = ?");
		sqlite3_bind_int64(st, 1, store_now_s());
	}
	store_bind_sealed(s, st, 2, key, "contacts", what, cid, value,
	    strlen(value));
	sqlite3_bind_int64(st, 3, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (strcmp(what, "name") == 0)
		store_search_rename(s, cid, value);
	if (strcmp(what, "wa_id") == 0 && store_phone_index(s, cid, value) != 0)
		return (-1);
	return (0);
}

static int
store_contact_field_equals(struct store *s, int64_t cid, const char *what,
    const char *value)
{
	sqlite3_stmt	*st;
	char		*cur;
	int		 eq;

	if (strcmp(what, "name") == 0)
		st = STMT("SELECT name_enc FROM contacts WHERE id = ?");
	else
		st = STMT("SELECT username_enc FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	cur = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		cur = store_col_open(st, 0, store_dek(s, cid), "contacts",
		    what, cid);
	sqlite3_reset(st);
	eq = cur != NULL && strcmp(cur, value) == 0;
	if (cur != NULL)
		crypt_wipe_free(cur, strlen(cur));
	return (eq);
}

static int
store_contact_name_chosen(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT name_set FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	return (store_count(st) > 0);
}

int
store_contact_upsert(struct store *s, const struct store_contact_in *in,
    int64_t now, int64_t *contact_id, int *created)
{
	sqlite3_stmt	*st;
	int64_t		 cid = 0, other;
	int		 rc = 1;

	*created = 0;
	if (in->wa_id == NULL && in->user_id == NULL)
		return (-1);
	if (in->wa_id != NULL &&
	    (rc = store_contact_by_blind(s, "wa", in->wa_id, &cid)) < 0)
		return (-1);
	if (rc == 1 && in->user_id != NULL &&
	    (rc = store_contact_by_blind(s, "bsuid", in->user_id, &cid)) < 0)
		return (-1);
	if (rc == 1) {
		st = STMT("INSERT INTO contacts (created, updated) "
		    "VALUES (?, ?)");
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, now);
		if (store_step_done(s, st) != 0)
			return (-1);
		cid = sqlite3_last_insert_rowid(s->db);
		if (store_dek_create(s, cid) != 0)
			return (-1);
		*created = 1;
	}
	/* Fill in an identifier we learn later (phone after BSUID or back). */
	if (in->wa_id != NULL && (*created ||
	    store_contact_by_blind(s, "wa", in->wa_id, &other) == 1)) {
		if (store_contact_set(s, cid, "wa_id", in->wa_id) != 0)
			return (-1);
	}
	if (in->user_id != NULL && (*created ||
	    store_contact_by_blind(s, "bsuid", in->user_id, &other) == 1)) {
		if (store_contact_set(s, cid, "user_id", in->user_id) != 0)
			return (-1);
	}
	/* A name an agent chose stays (issue 15: contact.edit). */
	if (in->name != NULL && (*created || (!store_contact_name_chosen(s,
	    cid) && !store_contact_field_equals(s, cid, "name", in->name)))) {
		if (store_contact_set(s, cid, "name", in->name) != 0)
			return (-1);
	}
	if (in->username != NULL && (*created ||
	    !store_contact_field_equals(s, cid, "username", in->username))) {
		if (store_contact_set(s, cid, "username", in->username) != 0)
			return (-1);
	}
	*contact_id = cid;
	return (0);
}

int
store_contact_move_identity(struct store *s, const char *old_wa_id,
    const char *new_wa_id, const char *old_user_id, const char *new_user_id,
    int64_t now)
{
	int64_t	cid = 0, other;
	int	rc = 1;

	(void)now;
	if (old_wa_id != NULL)
		rc = store_contact_by_blind(s, "wa", old_wa_id, &cid);
	if (rc == 1 && old_user_id != NULL)
		rc = store_contact_by_blind(s, "bsuid", old_user_id, &cid);
	if (rc == 1 && new_user_id != NULL)
		rc = store_contact_by_blind(s, "bsuid", new_user_id, &cid);
	if (rc != 0)
		return (rc < 0 ? -1 : 1);	/* nobody to move */
	/* Only take over identifiers nobody else holds: never merge silently. */
	if (new_wa_id != NULL &&
	    store_contact_by_blind(s, "wa", new_wa_id, &other) == 1 &&
	    store_contact_set(s, cid, "wa_id", new_wa_id) != 0)
		return (-1);
	if (new_user_id != NULL &&
	    store_contact_by_blind(s, "bsuid", new_user_id, &other) == 1 &&
	    store_contact_set(s, cid, "user_id", new_user_id) != 0)
		return (-1);
	return (0);
}

/* Digits of a phone number given as "+49 151 2345-678" and the like. */
static int
store_phone_digits(const char *in, char *out, size_t outsz)
{
	size_t	n = 0;

	for (; *in != '\0'; in++) {
		if (*in >= '0' && *in <= '9') {
			if (n + 1 >= outsz)
				return (-1);
			out[n++] = *in;
		} else if (*in != '+' && *in != ' ' && *in != '-' &&
		    *in != '(' && *in != ')' && *in != '.')
			return (-1);
	}
	out[n] = '\0';
	return (n >= 5 ? 0 : -1);
}

enum store_found
store_contact_find(struct store *s, const char *id, int64_t *contact_id)
{
	char			digits[32];
	enum store_found	found;

	if (store_phone_digits(id, digits, sizeof digits) == 0 &&
	    (found = store_contact_by_blind(s, "wa", digits, contact_id)) !=
	    STORE_NONE)
		return (found);
	return (store_contact_by_blind(s, "bsuid", id, contact_id));
}

/* --- display --- */

/*
 * "+49 151 •••• ••23": enough to tell two customers apart on screen, not
 * enough to call them. The country code is guessed from the first digits.
 */
static char *
store_mask_phone(const char *digits)
{
	struct buf	b;
	size_t		n, i, cc;

	n = strlen(digits);
	if (n < 6)
		return (xstrdup("•••"));
	cc = (digits[0] == '1' || digits[0] == '7') ? 1 : 2;
	buf_init(&b, 0);
	buf_addf(&b, "+%.*s %.*s ", (int)cc, digits, 3, digits + cc);
	for (i = cc + 3; i < n - 2; i++) {
		buf_adds(&b, "•");
		if ((i - cc - 3) % 4 == 3)
			buf_adds(&b, " ");
	}
	buf_add(&b, digits + n - 2, 2);
	return (buf_detach(&b, NULL));
}

/* Adds the contact's display fields (decrypted; phone masked). */
void
store_contact_json(struct store *s, json_t *o, int64_t cid,
    sqlite3_stmt *st, int col_name, int col_wa, int col_user)
{
	const uint8_t	*key;
	char		*name, *wa, *user, *mask;

	key = store_dek(s, cid);
	name = store_col_open(st, col_name, key, "contacts", "name", cid);
	wa = store_col_open(st, col_wa, key, "contacts", "wa_id", cid);
	user = store_col_open(st, col_user, key, "contacts", "user_id", cid);
	mask = wa != NULL ? store_mask_phone(wa) : NULL;
	json_object_set_new(o, "contact_id", json_integer(cid));
	json_object_set_new(o, "name", name != NULL ? json_string(name) :
	    mask != NULL ? json_string(mask) : user != NULL ?
	    json_string("(username user)") : json_string("(erased)"));
	json_object_set_new(o, "phone_masked", mask != NULL ?
	    json_string(mask) : json_null());
	json_object_set_new(o, "has_bsuid", json_boolean(user != NULL));
	if (store_contact_blocked(s, cid))
		json_object_set_new(o, "blocked", json_true());
	if (name != NULL)
		crypt_wipe_free(name, strlen(name));
	if (wa != NULL)
		crypt_wipe_free(wa, strlen(wa));
	if (user != NULL)
		crypt_wipe_free(user, strlen(user));
	free(mask);
}

/* The contact's clear display name, or NULL; the caller wipes and frees. */
char *
store_contact_name(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;
	char		*name = NULL;

	st = STMT("SELECT name_enc FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, contact_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		name = store_col_open(st, 0, store_dek(s, contact_id),
		    "contacts", "name", contact_id);
	sqlite3_reset(st);
	return (name);
}

/* --- data-subject rights --- */

enum store_found
store_contact_flags(struct store *s, int64_t cid, int *restricted,
    int *hold)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT restricted, legal_hold FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (restricted != NULL)
			*restricted = sqlite3_column_int(st, 0);
		if (hold != NULL)
			*hold = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

bool
store_contact_exists(struct store *s, int64_t cid)
{
	return (store_contact_flags(s, cid, NULL, NULL) == 0);
}

int
store_contact_set_flag(struct store *s, int64_t cid, const char *flag,
    int on)
{
	sqlite3_stmt	*st;

	if (strcmp(flag, "restricted") == 0)
		st = STMT("UPDATE contacts SET restricted = ?, updated = ? "
		    "WHERE id = ?");
	else if (strcmp(flag, "legal_hold") == 0)
		st = STMT("UPDATE contacts SET legal_hold = ?, updated = ? "
		    "WHERE id = ?");
	else
		return (-1);
	sqlite3_bind_int(st, 1, on ? 1 : 0);
	sqlite3_bind_int64(st, 2, store_now_s());
	sqlite3_bind_int64(st, 3, cid);
	return (store_step_done(s, st));
}

/*
 * "US.…1918": the BSUID's country prefix and last four, as the number is
 * masked; contact.reveal gives it whole.
 */
static void
store_contact_bsuid_masked(json_t *o, sqlite3_stmt *st, int col,
    const uint8_t *key, int64_t cid)
{
	char	*user, *dot;
	size_t	 n;

	if ((user = store_col_open(st, col, key, "contacts", "user_id",
	    cid)) == NULL)
		return;
	n = strlen(user);
	dot = strchr(user, '.');
	json_object_set_new(o, "user_id_masked", n <= 6 ? json_string("•••") :
	    json_sprintf("%.*s•••%s", dot != NULL && dot - user <= 3 ?
	    (int)(dot - user + 1) : 0, user, user + n - 4));
	crypt_wipe_free(user, n);
}

json_t *
store_contact_detail(struct store *s, int64_t cid, int reveal)
{
	sqlite3_stmt	*st;
	json_t		*o, *convs;
	const uint8_t	*key;
	char		*wa, *mask;

	st = STMT("SELECT name_enc, wa_id_enc, user_id_enc, username_enc, "
	    "restricted, legal_hold, created, updated FROM contacts "
	    "WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return (NULL);
	}
	key = store_dek(s, cid);
	o = json_object();
	json_object_set_new(o, "contact_id", json_integer(cid));
	store_privacy_set_open(o, "name", st, 0, key, "contacts", "name", cid);
	wa = store_col_open(st, 1, key, "contacts", "wa_id", cid);
	if (wa == NULL)
		json_object_set_new(o, "phone", json_null());
	else if (reveal) {
		json_object_set_new(o, "phone", json_sprintf("+%s", wa));
		crypt_wipe_free(wa, strlen(wa));
	} else {
		mask = store_mask_phone(wa);
		json_object_set_new(o, "phone_masked", json_string(mask));
		free(mask);
		crypt_wipe_free(wa, strlen(wa));
	}
	if (reveal)
		store_privacy_set_open(o, "user_id", st, 2, key, "contacts",
		    "user_id", cid);
	else {
		json_object_set_new(o, "has_bsuid", json_boolean(
		    sqlite3_column_type(st, 2) == SQLITE_BLOB));
		store_contact_bsuid_masked(o, st, 2, key, cid);
	}
	store_privacy_set_open(o, "username", st, 3, key, "contacts",
	    "username", cid);
	json_object_set_new(o, "restricted",
	    json_boolean(sqlite3_column_int(st, 4)));
	json_object_set_new(o, "legal_hold",
	    json_boolean(sqlite3_column_int(st, 5)));
	json_object_set_new(o, "created",
	    json_integer(sqlite3_column_int64(st, 6)));
	json_object_set_new(o, "updated",
	    json_integer(sqlite3_column_int64(st, 7)));
	if (key == NULL)
		json_object_set_new(o, "unreadable", json_true());
	sqlite3_reset(st);
	store_contact_block_json(s, cid, o);

	st = STMT("SELECT id, state, created, resolved_at, last_msg_at "
	    "FROM conversations WHERE contact_id = ? ORDER BY id");
	sqlite3_bind_int64(st, 1, cid);
	convs = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_array_append_new(convs, json_pack("{sI ss sI so sI}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "state", store_col_text(st, 1),
		    "created", (json_int_t)sqlite3_column_int64(st, 2),
		    "resolved_at", sqlite3_column_type(st, 3) == SQLITE_NULL ?
		    json_null() : json_integer(sqlite3_column_int64(st, 3)),
		    "last_msg_at", (json_int_t)sqlite3_column_int64(st, 4)));
	}
	sqlite3_reset(st);
	json_object_set_new(o, "conversations", convs);
	return (o);
}

/* The language of the last template sent to the contact, or NULL. */
static json_t *
store_contact_language(struct store *s, int64_t cid, const uint8_t *key)
{
	sqlite3_stmt	*st;
	json_t		*body, *lang = NULL, *t;
	char		*text;
	int64_t		 id;

	st = STMT("SELECT id, body_enc FROM messages WHERE contact_id = ? "
	    "AND direction = 'out' AND type = 'template' "
	    "ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) == SQLITE_ROW && key != NULL) {
		id = sqlite3_column_int64(st, 0);
		text = store_col_open(st, 1, key, "messages", "body", id);
		if (text != NULL) {
			body = json_loads(text, 0, NULL);
			crypt_wipe_free(text, strlen(text));
			t = json_object_get(json_object_get(body, "template"),
			    "language");
			if (json_is_string(t) && json_string_length(t) > 0 &&
			    json_string_length(t) < 16)
				lang = json_copy(t);
			json_decref(body);
		}
	}
	sqlite3_reset(st);
	return (lang);
}

/* The language an agent set (contact.edit), or NULL. */
static json_t *
store_contact_language_set(struct store *s, int64_t cid, const uint8_t *key)
{
	sqlite3_stmt	*st;
	json_t		*lang = NULL;
	char		*text;

	st = STMT("SELECT language_enc FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) == SQLITE_ROW && key != NULL &&
	    (text = store_col_open(st, 0, key, "contacts", "language",
	    cid)) != NULL) {
		lang = json_string(text);
		crypt_wipe_free(text, strlen(text));
	}
	sqlite3_reset(st);
	return (lang);
}

int
store_contact_context(struct store *s, int64_t cid, json_t *o)
{
	sqlite3_stmt	*st;
	json_t		*convs, *c, *labels, *all, *v, *lang;
	const uint8_t	*key;
	char		*preview;
	int64_t		 id, notes = 0, first = 0, last = 0;
	size_t		 i, j;
	int		 rc;

	key = store_dek(s, cid);
	st = STMT("SELECT c.id, c.state, c.created, c.resolved_at, "
	    "c.last_msg_at, c.last_inbound_at, coalesce(a.name, ''), "
	    "c.preview_enc, (SELECT count(*) FROM notes n "
	    "WHERE n.conversation_id = c.id), "
	    "(SELECT min(m.ts) FROM messages m WHERE m.conversation_id = c.id "
	    "AND m.direction = 'in') "
	    "FROM conversations c LEFT JOIN agents a ON a.id = c.assignee_id "
	    "WHERE c.contact_id = ? ORDER BY c.id DESC LIMIT 200");
	sqlite3_bind_int64(st, 1, cid);
	convs = json_array();
	all = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		c = json_pack("{sI ss sI so sI ss sI}",
		    "id", (json_int_t)id,
		    "state", store_col_text(st, 1),
		    "created", (json_int_t)sqlite3_column_int64(st, 2),
		    "resolved_at", sqlite3_column_type(st, 3) == SQLITE_NULL ?
		    json_null() : json_integer(sqlite3_column_int64(st, 3)),
		    "last_msg_at", (json_int_t)sqlite3_column_int64(st, 4),
		    "assignee", store_col_text(st, 6),
		    "notes", (json_int_t)sqlite3_column_int64(st, 8));
		preview = key != NULL && sqlite3_column_type(st, 7) ==
		    SQLITE_BLOB ? store_col_open(st, 7, key, "conversations",
		    "preview", id) : NULL;
		json_object_set_new(c, "preview", json_string(preview != NULL ?
		    preview : ""));
		if (preview != NULL)
			crypt_wipe_free(preview, strlen(preview));
		notes += sqlite3_column_int64(st, 8);
		if (sqlite3_column_int64(st, 5) > last)
			last = sqlite3_column_int64(st, 5);
		if (sqlite3_column_type(st, 9) != SQLITE_NULL &&
		    (first == 0 || sqlite3_column_int64(st, 9) < first))
			first = sqlite3_column_int64(st, 9);
		json_array_append_new(convs, c);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(convs);
		json_decref(all);
		return (-1);
	}
	/* Labels after the walk: store_conv_labels has statements too. */
	json_array_foreach(convs, i, c) {
		labels = store_conv_labels(s, json_integer_value(json_object_get(c, "id")));
		json_array_foreach(labels, j, v) {
			if (!store_contact_has(all, json_string_value(v)))
				json_array_append(all, v);
		}
		json_object_set_new(c, "labels", labels);
	}
	json_object_set_new(o, "conversations", convs);
	json_object_set_new(o, "labels", all);
	json_object_set_new(o, "notes", json_integer(notes));
	json_object_set_new(o, "first_contact", first != 0 ?
	    json_integer(first) : json_null());
	json_object_set_new(o, "last_contact", last != 0 ?
	    json_integer(last) : json_null());
	/*
	 * The Cloud API's webhooks carry no language for a contact (the
	 * profile is a name only), so the best sign is the language of the
	 * last template the business sent them; none: unknown.
	 */
	if ((lang = store_contact_language_set(s, cid, key)) != NULL) {
		json_object_set_new(o, "language", lang);
		json_object_set_new(o, "language_source", json_string("set"));
		return (0);
	}
	lang = store_contact_language(s, cid, key);
	json_object_set_new(o, "language", lang != NULL ? lang : json_null());
	json_object_set_new(o, "language_source", json_string(lang != NULL ?
	    "template" : "unknown"));
	return (0);
}

/* 1 if agent_id holds a conversation of the contact or one is unassigned. */
bool
store_contact_is_open_to(struct store *s, int64_t cid, int64_t agent_id)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	st = STMT("SELECT count(*) FROM conversations WHERE contact_id = ?1 "
	    "AND (assignee_id = ?2 OR assignee_id IS NULL)");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, agent_id);
	n = store_count(st);
	return (n > 0);
}

int64_t
store_contact_conv_count(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT count(*) FROM conversations WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	return (store_count(st));
}

/* --- erasure --- */

/*
 * Deletes every row of the contact in the main database and writes the
 * pseudonymous ledger entry, inside the caller's transaction. The data key
 * goes separately (store_contact_shred) once this has committed.
 */
int
store_contact_erase(struct store *s, int64_t cid, int64_t agent_id,
    int64_t now, json_t *media_ids, json_t *counts)
{
	sqlite3_stmt	*st;
	int64_t		 conv, nconv = 0, nmsg = 0, nraw, nmore;
	json_t		*convs;
	size_t		 i;

	convs = json_array();
	st = STMT("SELECT id FROM conversations WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(convs, json_integer(
		    sqlite3_column_int64(st, 0)));
	sqlite3_reset(st);
	for (i = 0; i < json_array_size(convs); i++) {
		conv = json_integer_value(json_array_get(convs, i));
		if (store_conv_delete(s, conv, media_ids, &nmsg) != 0) {
			json_decref(convs);
			return (-1);
		}
		nconv++;
	}
	json_decref(convs);
	/* What is left outside its conversations (outbound media, ...). */
	store_privacy_media_ids(s, 0, cid, media_ids);
	st = STMT("DELETE FROM media WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM notes WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM consent WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	/* Raw webhook bodies that named the contact go whole. */
	st = STMT("DELETE FROM raw_events WHERE id IN (SELECT raw_id FROM "
	    "raw_event_contacts WHERE contact_id = ?)");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	nraw = sqlite3_changes(s->db);
	if (store_raw_forget(s, cid, &nmore) != 0)
		return (-1);
	nraw += nmore;
	st = STMT("DELETE FROM raw_event_contacts WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("INSERT INTO erasure_ledger (contact_id, erased_at, "
	    "agent_id) VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, now);
	store_bind_id_or_null(st, 3, agent_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (counts != NULL) {
		json_object_set_new(counts, "conversations",
		    json_integer(nconv));
		json_object_set_new(counts, "messages", json_integer(nmsg));
		json_object_set_new(counts, "raw_events", json_integer(nraw));
	}
	return (0);
}

/*
 * Destroys the contact's data key in the key store (secure_delete is on,
 * then both write-ahead logs are truncated so the wrapped key does not
 * linger there either). Returns 0, or -1.
 */
int
store_contact_shred(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;

	int64_t		 merged[64];
	size_t		 n, i;

	/* The keys of contacts merged into it go with it (their media). */
	do {
		store_contact_merged_keys(s, cid, merged, 64, &n);
		for (i = 0; i < n; i++) {
			st = KSTMT("DELETE FROM contact_keys "
			    "WHERE contact_id = ?");
			sqlite3_bind_int64(st, 1, merged[i]);
			if (store_step_done(s, st) != 0)
				return (-1);
			st = STMT("DELETE FROM contact_merges "
			    "WHERE from_id = ?");
			sqlite3_bind_int64(st, 1, merged[i]);
			if (store_step_done(s, st) != 0)
				return (-1);
		}
	} while (n == 64);
	st = KSTMT("DELETE FROM contact_keys WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	store_dek_forget(s);
	store_search_forget_contact(s, cid);
	return (0);
}

bool
store_contact_has_key(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;

	st = KSTMT("SELECT count(*) FROM contact_keys WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	return (store_count(st) > 0);
}

/*
 * Contacts whose rows outlived their key: the main database is older than
 * the key store (restored from a backup taken before an erasure).
 */
json_t *
store_contacts_without_key(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*arr;
	int64_t		 cid;

	st = STMT("SELECT id FROM contacts ORDER BY id");
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		cid = sqlite3_column_int64(st, 0);
		if (!store_contact_has_key(s, cid))
			json_array_append_new(arr, json_integer(cid));
	}
	sqlite3_reset(st);
	return (arr);
}

/* --- the contacts issue (15): editing, attributes, the list --- */

int
store_contact_attr_set(struct store *s, int64_t contact_id, const char *name,
    const char *value, char *err, size_t errlen)
{
	return (store_attribute_set(s, contact_id, name, value, err, errlen));
}

int
store_contact_edit(struct store *s, int64_t cid, const char *field,
    const char *value)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;

	if (strcmp(field, "name") == 0) {
		if (value == NULL || store_contact_set(s, cid, "name",
		    value) != 0)
			return (-1);
		st = STMT("UPDATE contacts SET name_set = 1 WHERE id = ?");
		sqlite3_bind_int64(st, 1, cid);
		return (store_step_done(s, st));
	}
	if (strcmp(field, "language") != 0 || (key = store_dek(s, cid)) == NULL)
		return (-1);
	st = STMT("UPDATE contacts SET updated = ?, language_enc = ? "
	    "WHERE id = ?");
	sqlite3_bind_int64(st, 1, store_now_s());
	if (value != NULL)
		store_bind_sealed(s, st, 2, key, "contacts", "language", cid,
		    value, strlen(value));
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, cid);
	return (store_step_done(s, st));
}

#define CONTACT_ROW_SEL	"SELECT c.id, c.name_enc, c.wa_id_enc, " \
	"c.user_id_enc, c.restricted, (SELECT count(*) FROM conversations v " \
	"WHERE v.contact_id = c.id), (SELECT coalesce(max(v.last_msg_at), 0) " \
	"FROM conversations v WHERE v.contact_id = c.id) FROM contacts c "

static json_t *
store_contact_row_of(struct store *s, sqlite3_stmt *st)
{
	json_t	*o;
	int64_t	 cid;

	cid = sqlite3_column_int64(st, 0);
	o = json_object();
	store_contact_json(s, o, cid, st, 1, 2, 3);
	json_object_set_new(o, "restricted", json_boolean(
	    sqlite3_column_int(st, 4)));
	json_object_set_new(o, "conversations", json_integer(
	    sqlite3_column_int64(st, 5)));
	json_object_set_new(o, "last_contact", json_integer(
	    sqlite3_column_int64(st, 6)));
	return (o);
}

json_t *
store_contact_row(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;

	st = STMT(CONTACT_ROW_SEL "WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) == SQLITE_ROW)
		o = store_contact_row_of(s, st);
	sqlite3_reset(st);
	return (o);
}

json_t *
store_contact_page(struct store *s, int64_t before, int limit,
    int skip_restricted)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	st = STMT(CONTACT_ROW_SEL "WHERE c.id < ?1 AND (?2 = 0 OR "
	    "c.restricted = 0) ORDER BY c.id DESC LIMIT ?3");
	sqlite3_bind_int64(st, 1, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(st, 2, skip_restricted);
	sqlite3_bind_int(st, 3, limit);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, store_contact_row_of(s, st));
	sqlite3_reset(st);
	return (arr);
}

/* --- merging (issue 15) --- */

/*
 * Every table that holds rows of a contact, in the order a merge moves
 * them. sealed: the columns sealed with the contact's data key (stored as
 * <name>_enc, bound to table, name and row id), sealed again with the kept
 * contact's key. rows: how the rows of a contact are found in a table
 * without a contact_id column of its own (the outbox, through its message:
 * so before messages); NULL: "contact_id = ?1", and the column is moved.
 * A table added later is one line here.
 */
static const struct store_merge_table {
	const char	*table;
	const char	*sealed[3];
	const char	*rows;
} store_merge_tables[] = {
	{ "outbox", { "request" }, "message_id IN (SELECT id FROM messages "
	    "WHERE contact_id = ?1)" },
	{ "conversations", { "preview" }, NULL },
	{ "messages", { "wamid", "body", "extra" }, NULL },
	{ "notes", { "body" }, NULL },
	{ "drafts", { "body" }, NULL },
	{ "media", { "meta_id" }, NULL },
	{ "consent", { NULL }, NULL },
	{ "contact_phone_endings", { NULL }, NULL },
	{ "raw_event_contacts", { NULL }, NULL },
};

/* A statement of SQL built from the table list (not from input). */
static sqlite3_stmt *
store_merge_prep(struct store *s, const char *fmt, const char *a,
    const char *b, const char *c)
{
	sqlite3_stmt	*st;
	char		*sql;

	sql = xasprintf(fmt, a, b != NULL ? b : "", c != NULL ? c : "");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_warn("merge: %s: %s", sql, sqlite3_errmsg(s->db));
		st = NULL;
	}
	free(sql);
	return (st);
}

/* Seals one column of the table's rows of from again with into's key. */
static int
store_merge_reseal(struct store *s, const struct store_merge_table *t,
    const char *col, const uint8_t *kfrom, const uint8_t *kinto, int64_t from)
{
	sqlite3_stmt	*sel, *upd;
	const char	*where = t->rows != NULL ? t->rows : "contact_id = ?1";
	uint8_t		*ct;
	char		*pt;
	size_t		 ptlen, ctlen;
	int64_t		 id;
	int		 rc = 0, r = SQLITE_DONE;

	sel = store_merge_prep(s, "SELECT id, %s_enc FROM %s WHERE %s", col,
	    t->table, where);
	upd = store_merge_prep(s, "UPDATE %s SET %s_enc = ?1 WHERE id = ?2%s",
	    t->table, col, NULL);
	if (sel == NULL || upd == NULL) {
		sqlite3_finalize(sel);
		sqlite3_finalize(upd);
		return (-1);
	}
	sqlite3_bind_int64(sel, 1, from);
	/* Rows are rewritten in place: the scan is by id, which stays. */
	while (rc == 0 && (r = sqlite3_step(sel)) == SQLITE_ROW) {
		if (sqlite3_column_type(sel, 1) != SQLITE_BLOB)
			continue;
		id = sqlite3_column_int64(sel, 0);
		if (crypt_unseal(kfrom, t->table, col, id,
		    sqlite3_column_blob(sel, 1),
		    (size_t)sqlite3_column_bytes(sel, 1), &pt, &ptlen) != 0) {
			log_warn("merge: %s.%s of row %lld does not open",
			    t->table, col, (long long)id);
			rc = -1;
			break;
		}
		crypt_seal(kinto, 1, t->table, col, id, pt, ptlen, &ct, &ctlen);
		crypt_wipe_free(pt, ptlen);
		sqlite3_bind_blob(upd, 1, ct, (int)ctlen, free);
		sqlite3_bind_int64(upd, 2, id);
		if (sqlite3_step(upd) != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(upd);
		sqlite3_clear_bindings(upd);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = -1;
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return (rc);
}

/* Moves the table's rows of from to into (a duplicate key: into's stays). */
static int
store_merge_move(struct store *s, const struct store_merge_table *t,
    int64_t into, int64_t from)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (t->rows != NULL)
		return (0);	/* follows its parent rows */
	st = store_merge_prep(s, "UPDATE OR IGNORE %s SET contact_id = ?1 "
	    "WHERE contact_id = ?2%s%s", t->table, NULL, NULL);
	if (st == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, into);
	sqlite3_bind_int64(st, 2, from);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	if (rc != 0)
		return (-1);
	st = store_merge_prep(s, "DELETE FROM %s WHERE contact_id = ?1%s%s",
	    t->table, NULL, NULL);
	if (st == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, from);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return (rc);
}

struct store_merge_ids {
	char	*v[4];		/* wa_id, user_id, name, username */
	int	 restricted, hold, blocked;
	int64_t	 blocked_at, blocked_by;
};

static const char *store_merge_what[4] = {
	"wa_id", "user_id", "name", "username"
};

static int
store_merge_load(struct store *s, int64_t cid, const uint8_t *key,
    struct store_merge_ids *ids)
{
	sqlite3_stmt	*st;
	int		 i, rc;

	memset(ids, 0, sizeof *ids);
	st = STMT("SELECT wa_id_enc, user_id_enc, name_enc, username_enc, "
	    "restricted, legal_hold, blocked, blocked_at, blocked_by "
	    "FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < 4; i++)
			ids->v[i] = store_col_open(st, i, key, "contacts",
			    store_merge_what[i], cid);
		ids->restricted = sqlite3_column_int(st, 4);
		ids->hold = sqlite3_column_int(st, 5);
		ids->blocked = sqlite3_column_int(st, 6);
		ids->blocked_at = sqlite3_column_int64(st, 7);
		ids->blocked_by = sqlite3_column_int64(st, 8);
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW ? 0 : -1);
}

static void
store_merge_ids_free(struct store_merge_ids *ids)
{
	int	i;

	for (i = 0; i < 4; i++) {
		if (ids->v[i] != NULL)
			crypt_wipe_free(ids->v[i], strlen(ids->v[i]));
		ids->v[i] = NULL;
	}
}

/*
 * What the team recorded about FROM that INTO lacks: its attribute values
 * (sealed again with INTO's key and indexed for INTO by store_attribute_set;
 * FROM's rows go with its contact row) and the language an agent set.
 * INTO's own values win.
 */
static int
store_merge_attrs(struct store *s, int64_t into, int64_t from,
    const uint8_t *kfrom)
{
	json_t		*have, *take, *v, *lang;
	const char	*name;
	char		 num[32], err[160];
	const char	*text;
	int		 rc = 0;

	have = store_attribute_values(s, into);
	take = store_attribute_values(s, from);
	json_object_foreach(take, name, v) {
		if (json_object_get(have, name) != NULL)
			continue;
		if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%lld",
			    (long long)json_integer_value(v));
			text = num;
		} else if (json_is_boolean(v))
			text = json_is_true(v) ? "true" : "false";
		else
			text = json_string_value(v);
		if (text == NULL || store_attribute_set(s, into, name, text,
		    err, sizeof err) != 0) {
			log_warn("merge: an attribute value does not carry "
			    "over");
			rc = -1;
			break;
		}
	}
	json_decref(have);
	json_decref(take);
	if (rc != 0)
		return (rc);
	if ((lang = store_contact_language_set(s, into, store_dek(s,
	    into))) != NULL) {
		json_decref(lang);
		return (0);
	}
	if ((lang = store_contact_language_set(s, from, kfrom)) != NULL) {
		rc = store_contact_edit(s, into, "language",
		    json_string_value(lang));
		json_decref(lang);
	}
	return (rc);
}

int
store_contact_merge(struct store *s, int64_t into, int64_t from,
    int64_t agent_id, int64_t now, const char **why)
{
	struct store_merge_ids	 a, b;
	sqlite3_stmt		*st;
	const uint8_t		*kinto, *kfrom;
	uint8_t			 kcopy[CRYPT_KEYBYTES * 2];
	int			 rc = -1;
	size_t			 i;
	int			 j;

	*why = NULL;
	if (into == from) {
		*why = "a contact cannot be merged into itself";
		return (1);
	}
	/* Copies: the cache may move a key when it loads the other. */
	if (store_dek(s, from) == NULL || store_dek(s, into) == NULL) {
		*why = "a contact's data key is missing (erased?)";
		return (1);
	}
	memcpy(kcopy, store_dek(s, from), CRYPT_KEYBYTES);
	memcpy(kcopy + CRYPT_KEYBYTES, store_dek(s, into), CRYPT_KEYBYTES);
	kfrom = kcopy;
	kinto = kcopy + CRYPT_KEYBYTES;
	if (store_merge_load(s, into, kinto, &a) != 0) {
		sodium_memzero(kcopy, sizeof kcopy);
		return (-1);
	}
	if (store_merge_load(s, from, kfrom, &b) != 0) {
		store_merge_ids_free(&a);
		sodium_memzero(kcopy, sizeof kcopy);
		return (-1);
	}
	/* One contact has one number and one BSUID (no table of extras). */
	if (a.v[0] != NULL && b.v[0] != NULL && strcmp(a.v[0], b.v[0]) != 0) {
		*why = "the two contacts have different phone numbers; a "
		    "contact keeps one number";
		rc = 1;
		goto out;
	}
	if (a.v[1] != NULL && b.v[1] != NULL && strcmp(a.v[1], b.v[1]) != 0) {
		*why = "the two contacts have different BSUIDs; a contact "
		    "keeps one BSUID";
		rc = 1;
		goto out;
	}
	for (i = 0; i < sizeof store_merge_tables / sizeof store_merge_tables[0]; i++) {
		for (j = 0; j < 3 && store_merge_tables[i].sealed[j] != NULL;
		    j++) {
			if (store_merge_reseal(s, &store_merge_tables[i],
			    store_merge_tables[i].sealed[j], kfrom, kinto,
			    from) != 0)
				goto out;
		}
		if (store_merge_move(s, &store_merge_tables[i], into,
		    from) != 0)
			goto out;
	}
	if (store_merge_attrs(s, into, from, kfrom) != 0)
		goto out;
	/* Its identifiers go first: they are unique. */
	st = STMT("UPDATE contacts SET wa_blind = NULL, bsuid_blind = NULL "
	    "WHERE id = ?");
	sqlite3_bind_int64(st, 1, from);
	if (store_step_done(s, st) != 0)
		goto out;
	for (j = 0; j < 4; j++) {
		if (a.v[j] == NULL && b.v[j] != NULL &&
		    store_contact_set(s, into, store_merge_what[j],
		    b.v[j]) != 0)
			goto out;
	}
	/* The stricter wins: restricted, legal hold, blocked. */
	st = STMT("UPDATE contacts SET restricted = max(restricted, ?2), "
	    "legal_hold = max(legal_hold, ?3), updated = ?4, "
	    "blocked_at = CASE WHEN blocked = 0 AND ?5 THEN ?6 "
	    "ELSE blocked_at END, "
	    "blocked_by = CASE WHEN blocked = 0 AND ?5 THEN ?7 "
	    "ELSE blocked_by END, blocked = max(blocked, ?5) WHERE id = ?1");
	sqlite3_bind_int64(st, 1, into);
	sqlite3_bind_int(st, 2, b.restricted);
	sqlite3_bind_int(st, 3, b.hold);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int(st, 5, b.blocked);
	store_bind_id_or_null(st, 6, b.blocked_at);
	store_bind_id_or_null(st, 7, b.blocked_by);
	if (store_step_done(s, st) != 0)
		goto out;
	/* Contacts merged into from earlier now belong to into. */
	st = STMT("UPDATE contact_merges SET into_id = ?1 WHERE into_id = ?2");
	sqlite3_bind_int64(st, 1, into);
	sqlite3_bind_int64(st, 2, from);
	if (store_step_done(s, st) != 0)
		goto out;
	st = STMT("INSERT OR REPLACE INTO contact_merges (from_id, into_id, "
	    "merged_at, agent_id) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, into);
	sqlite3_bind_int64(st, 3, now);
	store_bind_id_or_null(st, 4, agent_id);
	if (store_step_done(s, st) != 0)
		goto out;
	st = STMT("DELETE FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, from);
	if (store_step_done(s, st) != 0)
		goto out;
	store_search_merge(s, into, from);
	rc = 0;
out:
	store_merge_ids_free(&a);
	store_merge_ids_free(&b);
	sodium_memzero(kcopy, sizeof kcopy);
	return (rc);
}

/* The contact a merged one went into (followed to the end), or 0. */
int64_t
store_contact_merged_into(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;
	int64_t		 into = 0;

	st = STMT("SELECT into_id FROM contact_merges WHERE from_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_row_int64(st, &into, NULL) != STORE_FOUND)
		return (0);
	return (into);
}

/*
 * The data keys of the contacts merged into cid: their media files are
 * still sealed with them (store_media_open). Appends their ids to out.
 */
void
store_contact_merged_keys(struct store *s, int64_t cid, int64_t *out,
    size_t max, size_t *n)
{
	sqlite3_stmt	*st;

	*n = 0;
	st = STMT("SELECT from_id FROM contact_merges WHERE into_id = ? "
	    "ORDER BY from_id");
	sqlite3_bind_int64(st, 1, cid);
	while (*n < max && sqlite3_step(st) == SQLITE_ROW)
		out[(*n)++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
}

/* The contacts holding a number and a BSUID (0: nobody). 0, or -1. */
int
store_contact_pair(struct store *s, const char *wa_id, const char *user_id,
    int64_t *by_wa, int64_t *by_bsuid)
{
	*by_wa = *by_bsuid = 0;
	if (store_contact_by_blind(s, "wa", wa_id, by_wa) == STORE_ERROR ||
	    store_contact_by_blind(s, "bsuid", user_id, by_bsuid) ==
	    STORE_ERROR)
		return (-1);
	return (0);
}

/* --- blocking (issue 15) --- */

bool
store_contact_blocked(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;
	int64_t		 b = 0;

	st = STMT("SELECT blocked FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_row_int64(st, &b, NULL) != STORE_FOUND)
		return (false);
	return (b != 0);
}

/* Adds blocked, and when and by whom while it is, to o. */
void
store_contact_block_json(struct store *s, int64_t cid, json_t *o)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT k.blocked, k.blocked_at, a.name FROM contacts k "
	    "LEFT JOIN agents a ON a.id = k.blocked_by WHERE k.id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_object_set_new(o, "blocked",
		    json_boolean(sqlite3_column_int(st, 0)));
		if (sqlite3_column_int(st, 0)) {
			json_object_set_new(o, "blocked_at", json_integer(
			    sqlite3_column_int64(st, 1)));
			json_object_set_new(o, "blocked_by", json_string(
			    sqlite3_column_type(st, 2) == SQLITE_NULL ?
			    "support-inboxd" : store_col_text(st, 2)));
		}
	}
	sqlite3_reset(st);
}

int
store_contact_set_blocked(struct store *s, int64_t cid, int on,
    int64_t agent_id, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE contacts SET blocked = ?2, updated = ?4, "
	    "blocked_at = CASE WHEN ?2 THEN ?4 END, "
	    "blocked_by = CASE WHEN ?2 THEN ?3 END WHERE id = ?1");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int(st, 2, on ? 1 : 0);
	store_bind_id_or_null(st, 3, agent_id);
	sqlite3_bind_int64(st, 4, now);
	return (store_step_done(s, st));
}

/* The contact's number in clear (wipe and free), or NULL. */
char *
store_contact_wa_id(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;
	char		*wa = NULL;

	st = STMT("SELECT wa_id_enc FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) == SQLITE_ROW)
		wa = store_col_open(st, 0, store_dek(s, cid), "contacts",
		    "wa_id", cid);
	sqlite3_reset(st);
	return (wa);
}
