/* Reply buttons and list messages; see interactive.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon.h"
#include "interactive.h"
#include "utf8.h"
#include "store.h"
#include "wa-payload.h"
#include "xmalloc.h"

#define INTERACTIVE_PREVIEW_MAX	200	/* bytes */

static int
interactive_fail(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
	return (-1);
}

/*
 * The string under key of o: 0 and *v (NULL when absent and not
 * required), or -1 with *cause. Meta counts characters; so do we. The
 * message never repeats the text (an agent's text is message text).
 */
static int
interactive_str(json_t *o, const char *key, const char *what, int required,
    size_t max, const char **v, char **cause)
{
	json_t	*j = json_object_get(o, key);
	size_t	 n;

	*v = NULL;
	if (j == NULL || json_is_null(j)) {
		if (!required)
			return (0);
		return (interactive_fail(cause, "%s is missing (1 to %zu "
		    "characters)", what, max));
	}
	if (!json_is_string(j))
		return (interactive_fail(cause, "%s must be a string", what));
	*v = json_string_value(j);
	if (strlen(*v) != json_string_length(j))
		return (interactive_fail(cause, "%s holds a NUL character",
		    what));
	n = utf8_chars(*v);
	if (n == 0 && !required) {
		*v = NULL;
		return (0);
	}
	if (n == 0 || n > max)
		return (interactive_fail(cause, "%s has %zu characters; "
		    "WhatsApp allows 1 to %zu", what, n, max));
	if (strchr(*v, '\n') != NULL && max < INTERACTIVE_BODY_MAX)
		return (interactive_fail(cause, "%s must be one line", what));
	return (0);
}

/* Keys a spec object may have: a typo is an error, not silence. */
static int
interactive_keys(json_t *o, const char *what, const char *const *ok,
    char **cause)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach(o, k, v) {
		for (i = 0; ok[i] != NULL; i++) {
			if (strcmp(k, ok[i]) == 0)
				break;
		}
		if (ok[i] == NULL)
			return (interactive_fail(cause, "%s has an unknown key "
			    "'%.32s'", what, k));
	}
	return (0);
}

/* A button or a row: a string (its own id) or {id, title, ...}. */
static int
interactive_item(json_t *it, const char *what, size_t title_max,
    size_t id_max, size_t desc_max, const char **id, const char **title,
    const char **desc, char **cause)
{
	static const char *const keys[] = { "id", "title", "description",
				    NULL };
	char	 w[96];

	*id = *title = *desc = NULL;
	if (json_is_string(it)) {
		*title = json_string_value(it);
		if (strlen(*title) != json_string_length(it))
			return (interactive_fail(cause, "%s holds a NUL "
			    "character", what));
		if ((*title)[0] == '\0' || utf8_chars(*title) > title_max)
			return (interactive_fail(cause, "%s's title has %zu "
			    "characters; WhatsApp allows 1 to %zu", what,
			    utf8_chars(*title), title_max));
		if (strlen(*title) > id_max)
			return (interactive_fail(cause, "%s's id is over %zu "
			    "bytes", what, id_max));
		*id = *title;
		return (0);
	}
	if (!json_is_object(it))
		return (interactive_fail(cause, "%s must be a string or an "
		    "object with id and title", what));
	if (interactive_keys(it, what, keys, cause) != 0)
		return (-1);
	snprintf(w, sizeof w, "%s's title", what);
	if (interactive_str(it, "title", w, 1, title_max, title, cause) != 0)
		return (-1);
	snprintf(w, sizeof w, "%s's id", what);
	if (interactive_str(it, "id", w, 0, id_max, id, cause) != 0)
		return (-1);
	if (*id == NULL)
		*id = *title;
	if (desc_max == 0) {
		if (json_object_get(it, "description") != NULL)
			return (interactive_fail(cause, "%s cannot have a "
			    "description (only list rows have one)", what));
		return (0);
	}
	snprintf(w, sizeof w, "%s's description", what);
	return (interactive_str(it, "description", w, 0, desc_max, desc,
	    cause));
}

/* Whether s is among the strings of the array seen (then an error). */
static int
interactive_unique(json_t *seen, const char *s)
{
	json_t	*v, *j = json_string(s);
	size_t	 i;

	json_array_foreach(seen, i, v) {
		if (json_equal(v, j)) {
			json_decref(j);
			return (-1);
		}
	}
	json_array_append_new(seen, j);
	return (0);
}

static int
interactive_buttons(json_t *spec, json_t *action, json_t *stored,
    char **cause)
{
	json_t		*bs = json_object_get(spec, "buttons"), *b, *out, *ids,
			*titles;
	const char	*id, *title, *desc;
	char		 what[32];
	size_t		 i;
	int		 rc = 0;

	if (!json_is_array(bs) || json_array_size(bs) < 1 ||
	    json_array_size(bs) > INTERACTIVE_BUTTONS_MAX)
		return (interactive_fail(cause, "reply buttons need 1 to %d "
		    "buttons (\"buttons\": [\"Yes\", \"No\"])",
		    INTERACTIVE_BUTTONS_MAX));
	if (json_object_get(spec, "button") != NULL ||
	    json_object_get(spec, "sections") != NULL)
		return (interactive_fail(cause, "reply buttons have no "
		    "\"button\" or \"sections\" (those are a list's)"));
	out = json_array();
	ids = json_array();
	titles = json_array();
	json_object_set_new(action, "buttons", json_array());
	json_array_foreach(bs, i, b) {
		snprintf(what, sizeof what, "button %zu", i + 1);
		if ((rc = interactive_item(b, what, INTERACTIVE_BUTTON_MAX,
		    INTERACTIVE_BUTTON_ID_MAX, 0, &id, &title, &desc,
		    cause)) != 0)
			break;
		if (interactive_unique(ids, id) != 0 ||
		    interactive_unique(titles, title) != 0) {
			rc = interactive_fail(cause, "%s repeats the id or the "
			    "title of another button; each must be unique",
			    what);
			break;
		}
		json_array_append_new(json_object_get(action, "buttons"),
		    json_pack("{ss s{ss ss}}", "type", "reply", "reply", "id",
		    id, "title", title));
		json_array_append_new(out, json_pack("{ss ss}", "id", id,
		    "title", title));
	}
	json_object_set_new(stored, "buttons", out);
	json_decref(ids);
	json_decref(titles);
	return (rc);
}

static int
interactive_rows(json_t *rows, size_t sec, size_t *nrows, json_t *ids,
    json_t *gout, json_t *sout, char **cause)
{
	json_t		*r;
	const char	*id, *title, *desc;
	char		 what[64];
	size_t		 i;

	if (!json_is_array(rows) || json_array_size(rows) == 0)
		return (interactive_fail(cause, "section %zu needs rows "
		    "(\"rows\": [{\"id\": .., \"title\": ..}])", sec));
	json_array_foreach(rows, i, r) {
		if (++*nrows > INTERACTIVE_ROWS_MAX)
			return (interactive_fail(cause, "a list has at most "
			    "%d rows in all its sections", INTERACTIVE_ROWS_MAX));
		snprintf(what, sizeof what, "section %zu row %zu", sec, i + 1);
		if (interactive_item(r, what, INTERACTIVE_ROW_MAX,
		    INTERACTIVE_ROW_ID_MAX, INTERACTIVE_ROW_DESC_MAX, &id,
		    &title, &desc, cause) != 0)
			return (-1);
		if (interactive_unique(ids, id) != 0)
			return (interactive_fail(cause, "%s repeats the id of "
			    "another row; each row's id must be unique", what));
		json_array_append_new(gout, json_pack("{ss ss}", "id", id,
		    "title", title));
		json_array_append_new(sout, json_pack("{ss ss}", "id", id,
		    "title", title));
		if (desc != NULL) {
			json_object_set_new(json_array_get(gout,
			    json_array_size(gout) - 1), "description",
			    json_string(desc));
			json_object_set_new(json_array_get(sout,
			    json_array_size(sout) - 1), "description",
			    json_string(desc));
		}
	}
	return (0);
}

static int
interactive_list(json_t *spec, json_t *action, json_t *stored, char **cause)
{
	static const char *const keys[] = { "title", "rows", NULL };
	json_t		*secs = json_object_get(spec, "sections"), *s, *gs, *ss,
			*ids;
	const char	*button, *title;
	char		 what[48];
	size_t		 i, nrows = 0;
	int		 rc = 0;

	if (json_object_get(spec, "buttons") != NULL)
		return (interactive_fail(cause, "a list has no \"buttons\" "
		    "(those are reply buttons'); give \"button\" and "
		    "\"sections\""));
	if (interactive_str(spec, "button", "the list's button text", 1,
	    INTERACTIVE_LIST_BUTTON_MAX, &button, cause) != 0)
		return (-1);
	if (!json_is_array(secs) || json_array_size(secs) < 1 ||
	    json_array_size(secs) > INTERACTIVE_SECTIONS_MAX)
		return (interactive_fail(cause, "a list needs 1 to %d "
		    "sections (\"sections\": [{\"rows\": [..]}])",
		    INTERACTIVE_SECTIONS_MAX));
	json_object_set_new(action, "button", json_string(button));
	json_object_set_new(stored, "button", json_string(button));
	json_object_set_new(action, "sections", json_array());
	json_object_set_new(stored, "sections", json_array());
	ids = json_array();
	json_array_foreach(secs, i, s) {
		snprintf(what, sizeof what, "section %zu", i + 1);
		if (!json_is_object(s)) {
			rc = interactive_fail(cause, "%s must be an object "
			    "with rows (and a title)", what);
			break;
		}
		if ((rc = interactive_keys(s, what, keys, cause)) != 0)
			break;
		snprintf(what, sizeof what, "section %zu's title", i + 1);
		if ((rc = interactive_str(s, "title", what, json_array_size(
		    secs) > 1, INTERACTIVE_SECTION_MAX, &title, cause)) != 0)
			break;
		gs = json_pack("{s[]}", "rows");
		ss = json_pack("{s[]}", "rows");
		if (title != NULL) {
			json_object_set_new(gs, "title", json_string(title));
			json_object_set_new(ss, "title", json_string(title));
		}
		json_array_append_new(json_object_get(action, "sections"), gs);
		json_array_append_new(json_object_get(stored, "sections"), ss);
		if ((rc = interactive_rows(json_object_get(s, "rows"), i + 1,
		    &nrows, ids, json_object_get(gs, "rows"),
		    json_object_get(ss, "rows"), cause)) != 0)
			break;
	}
	json_decref(ids);
	return (rc);
}

static void
interactive_preview(struct interactive_msg *im, const char *body)
{
	json_t	*stored = json_object_get(im->body, "interactive"), *b, *r;
	char	*p, *t;
	size_t	 i, j, n;

	p = xstrdup(body);
	if (strcmp(im->kind, "button") == 0) {
		json_array_foreach(json_object_get(stored, "buttons"), i, b) {
			t = xasprintf("%s [%s]", p, json_string_value(
			    json_object_get(b, "title")));
			free(p);
			p = t;
		}
	} else {
		/* The rows too: the list shows what was offered. */
		t = xasprintf("%s [%s:", p, json_string_value(json_object_get(
		    stored, "button")));
		free(p);
		p = t;
		json_array_foreach(json_object_get(stored, "sections"), i, b) {
			json_array_foreach(json_object_get(b, "rows"), j, r) {
				t = xasprintf("%s%s %s", p, i + j > 0 ? "," : "",
				    json_string_value(json_object_get(r,
				    "title")));
				free(p);
				p = t;
			}
		}
		t = xasprintf("%s]", p);
		free(p);
		p = t;
	}
	/* One line, cut on a UTF-8 boundary. */
	for (t = p; *t != '\0'; t++) {
		if (*t == '\n' || *t == '\r' || *t == '\t')
			*t = ' ';
	}
	if (strlen(p) > INTERACTIVE_PREVIEW_MAX) {
		n = INTERACTIVE_PREVIEW_MAX;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		p[n] = '\0';
	}
	im->preview = p;
}

int
interactive_build(json_t *spec, struct interactive_msg *im, char **cause)
{
	static const char *const keys[] = { "type", "body", "header",
				    "footer", "buttons", "button", "sections",
				    NULL };
	const char	*type, *body, *header, *footer;
	json_t		*action, *stored;
	int		 rc;

	memset(im, 0, sizeof *im);
	if (!json_is_object(spec))
		return (interactive_fail(cause, "interactive must be an object "
		    "(type, body, buttons or button and sections)"));
	if (interactive_keys(spec, "interactive", keys, cause) != 0)
		return (-1);
	type = json_string_value(json_object_get(spec, "type"));
	if (type == NULL)
		type = json_object_get(spec, "sections") != NULL ? "list" :
		    "button";
	if (strcmp(type, "button") != 0 && strcmp(type, "list") != 0)
		return (interactive_fail(cause, "interactive type is "
		    "\"button\" (reply buttons) or \"list\""));
	if (interactive_str(spec, "body", "the body text", 1,
	    INTERACTIVE_BODY_MAX, &body, cause) != 0 ||
	    interactive_str(spec, "header", "the header", 0,
	    INTERACTIVE_HEADER_MAX, &header, cause) != 0 ||
	    interactive_str(spec, "footer", "the footer", 0,
	    INTERACTIVE_FOOTER_MAX, &footer, cause) != 0)
		return (-1);
	im->kind = strcmp(type, "button") == 0 ? "button" : "list";
	action = json_object();
	stored = json_pack("{ss}", "type", im->kind);
	if (header != NULL)
		json_object_set_new(stored, "header", json_string(header));
	if (footer != NULL)
		json_object_set_new(stored, "footer", json_string(footer));
	if (im->kind[0] == 'b')
		rc = interactive_buttons(spec, action, stored, cause);
	else
		rc = interactive_list(spec, action, stored, cause);
	if (rc != 0) {
		json_decref(action);
		json_decref(stored);
		return (-1);
	}
	/* Graph's shape and order (Meta's examples). */
	im->obj = json_pack("{ss}", "type", im->kind);
	if (header != NULL)
		json_object_set_new(im->obj, "header", json_pack("{ss ss}",
		    "type", "text", "text", header));
	json_object_set_new(im->obj, "body", json_pack("{ss}", "text", body));
	if (footer != NULL)
		json_object_set_new(im->obj, "footer", json_pack("{ss}",
		    "text", footer));
	json_object_set_new(im->obj, "action", action);
	/* The row's "text" is the body: search and quotes find it. */
	im->body = json_pack("{ss so}", "text", body, "interactive", stored);
	interactive_preview(im, body);
	return (0);
}

void
interactive_release(struct interactive_msg *im)
{
	json_decref(im->obj);
	json_decref(im->body);
	free(im->preview);
	memset(im, 0, sizeof *im);
}

int
interactive_answer(struct daemon *d, const struct wa_message *m,
    int64_t contact, json_t *body, char **preview)
{
	struct store_status_msg	 sm;
	const char		*kind, *desc = NULL;
	enum store_found	 f;
	json_t			*a;
	char			*p;

	if (m->reply_id == NULL || m->type == NULL)
		return (0);
	if (strcmp(m->type, "button") == 0)
		kind = "quick_reply";
	else if (strcmp(m->type, "interactive") == 0 && m->subtype != NULL &&
	    strcmp(m->subtype, "button_reply") == 0)
		kind = "button";
	else if (strcmp(m->type, "interactive") == 0 && m->subtype != NULL &&
	    strcmp(m->subtype, "list_reply") == 0) {
		kind = "list";
		desc = json_string_value(json_object_get(json_object_get(
		    json_object_get(m->object, "interactive"), "list_reply"),
		    "description"));
	} else
		return (0);
	a = json_pack("{ss ss ss}", "kind", kind, "id", m->reply_id, "title",
	    m->text != NULL ? m->text : "");
	if (desc != NULL)
		json_object_set_new(a, "description", json_string(desc));
	/* The message it answers: ours, to this contact. */
	if (m->context_id != NULL) {
		f = store_status_message(&d->store, m->context_id, &sm);
		if (f == STORE_ERROR) {
			json_decref(a);
			return (-1);
		}
		if (f == STORE_FOUND && sm.contact_id == contact)
			json_object_set_new(a, "to_msg",
			    json_integer(sm.message_id));
	}
	json_object_set_new(body, "answer", a);
	p = xasprintf("[%s reply] %s", strcmp(kind, "quick_reply") == 0 ?
	    "quick" : kind, m->text != NULL ? m->text : m->reply_id);
	if (strlen(p) > INTERACTIVE_PREVIEW_MAX) {
		size_t	n = INTERACTIVE_PREVIEW_MAX;

		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		p[n] = '\0';
	}
	free(*preview);
	*preview = p;
	return (0);
}
