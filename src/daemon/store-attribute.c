/*
 * Contact attributes: the typed fields a team defines (customer_no text,
 * plan enum, renewal date, ...) and each contact's values. A value is
 * personal data: it is sealed with the contact's key, bound to the contact
 * and the attribute (a sealed value moved to another row or attribute does
 * not open), and found through a keyed blind index of its canonical form
 * (kind "attr:<id>", so equal values of two attributes differ), never in
 * clear. Canonical: text folded as the quick switch folds names (case and
 * accents), numbers without redundant zeros, dates as YYYY-MM-DD, booleans
 * as true/false, enums as the defined spelling.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "match.h"
#include "store.h"
#define STORE_SLOT_BASE	3456
#include "store-int.h"
#include "utf8.h"
#include "xmalloc.h"

/* Names a search or the CLI gives a meaning of their own. */
static const char *store_attribute_reserved[] = { "name", "phone", "number",
    "language", "contact", "conv", "bsuid", "user_id", "wa_id", NULL };

static const char *store_attribute_types[] = { "text", "number", "date",
    "bool", "enum", NULL };

static void
store_attribute_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
store_attribute_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
store_attribute_valid_name(const char *name)
{
	size_t	i, n = strlen(name);

	if (n == 0 || n > STORE_ATTR_NAME_MAX || name[0] < 'a' ||
	    name[0] > 'z')
		return (0);
	for (i = 1; i < n; i++) {
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return (0);
	}
	for (i = 0; store_attribute_reserved[i] != NULL; i++) {
		if (strcmp(name, store_attribute_reserved[i]) == 0)
			return (0);
	}
	return (1);
}

int
store_attribute_valid_type(const char *type)
{
	size_t	i;

	for (i = 0; store_attribute_types[i] != NULL; i++) {
		if (strcmp(type, store_attribute_types[i]) == 0)
			return (1);
	}
	return (0);
}

/* One enum choice: 1-32 letters, digits, ' ', '_', '-', '.', '/'. */
static int
store_attribute_valid_choice(const char *c, size_t n)
{
	size_t	i;

	if (n == 0 || n > 32 || c[0] == ' ' || c[n - 1] == ' ')
		return (0);
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)c[i]) &&
		    strchr(" _-./", c[i]) == NULL)
			return (0);
	}
	return (1);
}

int
store_attribute_valid_choices(const char *choices, char *err, size_t errlen)
{
	const char	*p, *q, *r;
	size_t		 n = 0;

	if (choices == NULL || *choices == '\0') {
		store_attribute_err(err, errlen, "an enum attribute needs its "
		    "values, comma-separated (e.g. free,silver,gold)");
		return (0);
	}
	if (strlen(choices) > 1024) {
		store_attribute_err(err, errlen, "the enum values are too long "
		    "(at most 1024 bytes)");
		return (0);
	}
	for (p = choices; ; p = q + 1) {
		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		if (!store_attribute_valid_choice(p, (size_t)(q - p))) {
			store_attribute_err(err, errlen, "enum value %d is not "
			    "1-32 letters, digits, spaces or _-./", (int)n + 1);
			return (0);
		}
		/* No value twice, in any case. */
		for (r = choices; r < p; r = strchr(r, ',') + 1) {
			if ((size_t)(strchrnul(r, ',') - r) ==
			    (size_t)(q - p) && strncasecmp(r, p,
			    (size_t)(q - p)) == 0) {
				store_attribute_err(err, errlen, "enum value "
				    "%d is given twice", (int)n + 1);
				return (0);
			}
		}
		if (++n > STORE_ATTR_CHOICES_MAX) {
			store_attribute_err(err, errlen, "too many enum values "
			    "(at most %d)", STORE_ATTR_CHOICES_MAX);
			return (0);
		}
		if (*q == '\0')
			break;
	}
	return (1);
}

static int
store_attribute_leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

/*
 * The canonical form of value for an attribute of type (choices for an
 * enum) into out: 0, or -1 with err saying what is wrong (never quoting the
 * value: it is personal data).
 */
int
store_attribute_canon(const char *type, const char *choices,
    const char *value, char *out, size_t outsz, char *err, size_t errlen)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	const char	*p, *q, *ip, *fp;
	size_t		 n, il, fl, len = strlen(value);
	uint32_t	 cp;
	int		 y, m, d, neg;

	if (strcmp(type, "text") == 0) {
		/* Leading and trailing blanks are not part of a value. */
		while (*value == ' ')
			value++, len--;
		while (len > 0 && value[len - 1] == ' ')
			len--;
		if (len == 0 || len > STORE_ATTR_VALUE_MAX || len >= outsz) {
			store_attribute_err(err, errlen, "a text value is 1 to "
			    "%d bytes", STORE_ATTR_VALUE_MAX);
			return (-1);
		}
		for (p = value; p < value + len; p += n) {
			n = utf8_decode(p, (size_t)(value + len - p), &cp);
			if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 &&
			    cp < 0xa0) || (cp == 0xfffd && n == 1 &&
			    (unsigned char)*p != 0xef)) {
				store_attribute_err(err, errlen, "a text value "
				    "is one line of UTF-8 text");
				return (-1);
			}
		}
		memcpy(out, value, len);
		out[len] = '\0';
		return (0);
	}
	if (strcmp(type, "number") == 0) {
		neg = *value == '-';
		ip = value + (neg || *value == '+');
		il = strspn(ip, "0123456789");
		fp = ip + il;
		fl = 0;
		if (*fp == '.') {
			fp++;
			fl = strspn(fp, "0123456789");
			if (fl == 0)
				il = 0;	/* "12." is not a number */
		}
		if (il == 0 || il > 18 || fl > 6 || fp[fl] != '\0' ||
		    (*fp != '\0' && fp[-1] != '.' && fl == 0)) {
			store_attribute_err(err, errlen, "a number is digits "
			    "with an optional sign and up to 6 decimals "
			    "(e.g. 42, -3.5)");
			return (-1);
		}
		while (il > 1 && *ip == '0')
			ip++, il--;
		while (fl > 0 && fp[fl - 1] == '0')
			fl--;
		if (il == 1 && *ip == '0' && fl == 0)
			neg = 0;	/* -0 is 0 */
		snprintf(out, outsz, "%s%.*s%s%.*s", neg ? "-" : "", (int)il,
		    ip, fl > 0 ? "." : "", (int)fl, fp);
		return (0);
	}
	if (strcmp(type, "date") == 0) {
		if (len != 10 || value[4] != '-' || value[7] != '-' ||
		    strspn(value, "0123456789") != 4 ||
		    strspn(value + 5, "0123456789") != 2 ||
		    strspn(value + 8, "0123456789") != 2) {
			store_attribute_err(err, errlen, "a date is YYYY-MM-DD");
			return (-1);
		}
		/* Digits checked above: no error to miss. */
		y = (int)strtol(value, NULL, 10);
		m = (int)strtol(value + 5, NULL, 10);
		d = (int)strtol(value + 8, NULL, 10);
		if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] +
		    (m == 2 && store_attribute_leap(y))) {
			store_attribute_err(err, errlen, "that date does not "
			    "exist (YYYY-MM-DD)");
			return (-1);
		}
		snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
		return (0);
	}
	if (strcmp(type, "bool") == 0) {
		if (strcasecmp(value, "true") == 0 ||
		    strcasecmp(value, "yes") == 0 || strcmp(value, "1") == 0)
			snprintf(out, outsz, "true");
		else if (strcasecmp(value, "false") == 0 ||
		    strcasecmp(value, "no") == 0 || strcmp(value, "0") == 0)
			snprintf(out, outsz, "false");
		else {
			store_attribute_err(err, errlen, "a bool is true or "
			    "false (yes/no, 1/0)");
			return (-1);
		}
		return (0);
	}
	if (strcmp(type, "enum") == 0 && choices != NULL) {
		for (p = choices; ; p = q + 1) {
			q = strchrnul(p, ',');
			if ((size_t)(q - p) == len &&
			    strncasecmp(p, value, len) == 0 && len < outsz) {
				memcpy(out, p, len);
				out[len] = '\0';
				return (0);
			}
			if (*q == '\0')
				break;
		}
		store_attribute_err(err, errlen, "not one of the values "
		    "defined: %s", choices);
		return (-1);
	}
	store_attribute_err(err, errlen, "unknown attribute type");
	return (-1);
}

/* The definition of name: 0 found (*id, type, choices), 1 none, -1. */
static enum store_found
store_attribute_get(struct store *s, const char *name, int64_t *id,
    char *type, size_t typesz, char **choices)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT id, type, choices FROM attribute_defs "
	    "WHERE name = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(type, typesz, "%s", store_col_text(st, 1));
		*choices = store_col_text(st, 2) != NULL ?
		    xstrdup(store_col_text(st, 2)) : NULL;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int
store_attribute_define(struct store *s, const char *name, const char *type,
    const char *choices, int64_t agent_id, int64_t now, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT count(*) FROM attribute_defs");
	if (store_count(st) >= STORE_ATTR_DEFS_MAX)
		return (2);
	st = STMT("INSERT INTO attribute_defs (name, type, choices, created, "
	    "agent_id) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 3, strcmp(type, "enum") == 0 ? choices :
	    NULL);
	sqlite3_bind_int64(st, 4, now);
	store_bind_id_or_null(st, 5, agent_id);
	if ((rc = store_step_unique(st)) == 0)
		*id = sqlite3_last_insert_rowid(s->db);
	return (rc);
}

json_t *
store_attribute_list(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*arr, *o, *ch;
	const char	*c, *p, *q;

	st = STMT("SELECT d.id, d.name, d.type, d.choices, d.created, "
	    "(SELECT count(*) FROM contact_attrs v WHERE v.attr_id = d.id) "
	    "FROM attribute_defs d ORDER BY d.name");
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		o = json_pack("{sI ss ss sI sI}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "name", store_col_text(st, 1),
		    "type", store_col_text(st, 2),
		    "created", (json_int_t)sqlite3_column_int64(st, 4),
		    "contacts", (json_int_t)sqlite3_column_int64(st, 5));
		if ((c = store_col_text(st, 3)) != NULL) {
			ch = json_array();
			for (p = c; ; p = q + 1) {
				q = strchrnul(p, ',');
				json_array_append_new(ch, json_stringn(p,
				    (size_t)(q - p)));
				if (*q == '\0')
					break;
			}
			json_object_set_new(o, "choices", ch);
		}
		json_array_append_new(arr, o);
	}
	sqlite3_reset(st);
	return (arr);
}

/* 0 removed (*values: how many contacts lost a value), 1 none, -1. */
int
store_attribute_remove(struct store *s, const char *name, int64_t *values)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	enum store_found f;

	st = STMT("SELECT id FROM attribute_defs WHERE name = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if ((f = store_row_int64(st, &id, NULL)) != STORE_FOUND)
		return (f == STORE_NONE ? 1 : -1);
	st = STMT("DELETE FROM contact_attrs WHERE attr_id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (store_step_done(s, st) != 0)
		return (-1);
	*values = sqlite3_changes(s->db);
	st = STMT("DELETE FROM attribute_defs WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	return (store_step_done(s, st));
}

/* The blind index kind of attribute id: equal values of two differ. */
static void
store_attribute_blind(struct store *s, int64_t id, const char *type,
    const char *canon, uint8_t *bl)
{
	char	kind[32], fold[MATCH_TEXT_MAX];

	snprintf(kind, sizeof kind, "attr:%lld", (long long)id);
	if (strcmp(type, "text") == 0) {
		match_fold(canon, fold, sizeof fold);
		store_blind(s, kind, fold, bl);
		sodium_memzero(fold, sizeof fold);
	} else
		store_blind(s, kind, canon, bl);
}

int
store_attribute_set(struct store *s, int64_t cid, const char *name,
    const char *value, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	char		 type[16], column[48], canon[STORE_ATTR_VALUE_MAX + 1];
	char		*choices = NULL;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	int64_t		 id;
	enum store_found f;
	int		 rc;

	if ((f = store_attribute_get(s, name, &id, type, sizeof type,
	    &choices)) != STORE_FOUND) {
		if (f == STORE_NONE)
			store_attribute_err(err, errlen, "no attribute '%s' "
			    "(see: support-inbox attribute list)", name);
		else
			store_attribute_err(err, errlen, "database error");
		return (f == STORE_NONE ? 1 : -1);
	}
	if (value == NULL || *value == '\0') {
		free(choices);
		st = STMT("DELETE FROM contact_attrs WHERE contact_id = ? AND "
		    "attr_id = ?");
		sqlite3_bind_int64(st, 1, cid);
		sqlite3_bind_int64(st, 2, id);
		if (store_step_done(s, st) != 0) {
			store_attribute_err(err, errlen, "database error");
			return (-1);
		}
		return (0);
	}
	rc = store_attribute_canon(type, choices, value, canon, sizeof canon,
	    err, errlen);
	free(choices);
	if (rc != 0)
		return (1);
	if ((key = store_dek(s, cid)) == NULL) {
		sodium_memzero(canon, sizeof canon);
		store_attribute_err(err, errlen, "no contact %lld (or it was "
		    "erased)", (long long)cid);
		return (1);
	}
	store_attribute_blind(s, id, type, canon, bl);
	snprintf(column, sizeof column, "attr:%lld", (long long)id);
	st = STMT("INSERT OR REPLACE INTO contact_attrs (contact_id, attr_id, "
	    "value_enc, blind, updated) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, id);
	store_bind_sealed(s, st, 3, key, "contact_attrs", column, cid, canon,
	    strlen(canon));
	sqlite3_bind_blob(st, 4, bl, sizeof bl, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, store_now_s());
	sodium_memzero(canon, sizeof canon);
	if (store_step_done(s, st) != 0) {
		store_attribute_err(err, errlen, "database error");
		return (-1);
	}
	return (0);
}

json_t *
store_attribute_values(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	json_t		*o;
	char		 column[48], *v;
	int64_t		 id;

	o = json_object();
	if ((key = store_dek(s, cid)) == NULL)
		return (o);
	st = STMT("SELECT v.attr_id, d.name, d.type, v.value_enc "
	    "FROM contact_attrs v JOIN attribute_defs d ON d.id = v.attr_id "
	    "WHERE v.contact_id = ? ORDER BY d.name");
	sqlite3_bind_int64(st, 1, cid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(column, sizeof column, "attr:%lld", (long long)id);
		v = store_col_open(st, 3, key, "contact_attrs", column, cid);
		if (v == NULL)
			continue;
		/*
		 * A whole number as a JSON integer; one with decimals as its
		 * canonical text, exact (a double would print 0.1 as
		 * 0.10000000000000001).
		 */
		if (strcmp(store_col_text(st, 2), "number") == 0 &&
		    strchr(v, '.') == NULL)
			json_object_set_new(o, store_col_text(st, 1),
			    json_integer(strtoll(v, NULL, 10)));
		else if (strcmp(store_col_text(st, 2), "bool") == 0)
			json_object_set_new(o, store_col_text(st, 1),
			    json_boolean(strcmp(v, "true") == 0));
		else
			json_object_set_new(o, store_col_text(st, 1),
			    json_string(v));
		crypt_wipe_free(v, strlen(v));
	}
	sqlite3_reset(st);
	return (o);
}

int
store_attribute_find(struct store *s, const char *name, const char *value,
    int64_t *out, int max, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	char		 type[16], canon[STORE_ATTR_VALUE_MAX + 1];
	char		*choices = NULL;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	int64_t		 id;
	enum store_found f;
	int		 rc, n = 0;

	if ((f = store_attribute_get(s, name, &id, type, sizeof type,
	    &choices)) != STORE_FOUND) {
		if (f == STORE_NONE)
			store_attribute_err(err, errlen, "no attribute '%s' "
			    "(see: support-inbox attribute list)", name);
		else
			store_attribute_err(err, errlen, "database error");
		return (-1);
	}
	rc = store_attribute_canon(type, choices, value, canon, sizeof canon,
	    err, errlen);
	free(choices);
	if (rc != 0)
		return (-1);
	store_attribute_blind(s, id, type, canon, bl);
	sodium_memzero(canon, sizeof canon);
	st = STMT("SELECT contact_id FROM contact_attrs WHERE attr_id = ? "
	    "AND blind = ? ORDER BY contact_id DESC LIMIT ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, bl, sizeof bl, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, max);
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		out[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (n);
}
