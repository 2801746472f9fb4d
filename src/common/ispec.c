/* The scriptable form of an interactive message; see ispec.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ispec.h"
#include "xmalloc.h"

static const char *const ispec_keys[] = {
	"buttons", "list", "section", "row", "header", "footer", NULL
};

static int
ispec_fail(char **cause, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
	return (-1);
}

int
ispec_key(const char *key)
{
	size_t	i;

	for (i = 0; ispec_keys[i] != NULL; i++) {
		if (strcmp(key, ispec_keys[i]) == 0)
			return (1);
	}
	return (0);
}

/* The kind a spec is: buttons and a list do not mix. */
static int
ispec_kind(json_t *spec, const char *kind, char **cause)
{
	const char	*t = json_string_value(json_object_get(spec, "type"));

	if (t != NULL && strcmp(t, kind) != 0)
		return (ispec_fail(cause, "a message has reply buttons or a "
		    "list, not both"));
	json_object_set_new(spec, "type", json_string(kind));
	return (0);
}

static int
ispec_buttons(json_t *spec, const char *value, char **cause)
{
	json_t		*bs;
	const char	*p, *bar;

	if (ispec_kind(spec, "button", cause) != 0)
		return (-1);
	if ((bs = json_object_get(spec, "buttons")) == NULL) {
		bs = json_array();
		json_object_set_new(spec, "buttons", bs);
	}
	for (p = value;; p = bar + 1) {
		bar = strchr(p, '|');
		if (bar == p || *p == '\0')
			return (ispec_fail(cause, "an empty button title in "
			    "the buttons (write them as \"Yes|No|Maybe\")"));
		json_array_append_new(bs, bar != NULL ?
		    json_stringn(p, (size_t)(bar - p)) : json_string(p));
		if (bar == NULL)
			break;
	}
	return (0);
}

static json_t *
ispec_last_section(json_t *spec)
{
	json_t	*secs, *s;

	if ((secs = json_object_get(spec, "sections")) == NULL) {
		secs = json_array();
		json_object_set_new(spec, "sections", secs);
	}
	if (json_array_size(secs) == 0) {
		s = json_pack("{s[]}", "rows");
		json_array_append_new(secs, s);
	}
	return (json_array_get(secs, json_array_size(secs) - 1));
}

static int
ispec_row(json_t *spec, const char *value, char **cause)
{
	const char	*c1, *c2;
	json_t		*row;

	if (ispec_kind(spec, "list", cause) != 0)
		return (-1);
	if ((c1 = strchr(value, ':')) == NULL)
		row = json_pack("{ss ss}", "id", value, "title", value);
	else {
		c2 = strchr(c1 + 1, ':');
		row = json_object();
		json_object_set_new(row, "id", json_stringn(value,
		    (size_t)(c1 - value)));
		json_object_set_new(row, "title", c2 != NULL ?
		    json_stringn(c1 + 1, (size_t)(c2 - c1 - 1)) :
		    json_string(c1 + 1));
		if (c2 != NULL && c2[1] != '\0')
			json_object_set_new(row, "description",
			    json_string(c2 + 1));
	}
	if (row == NULL || *json_string_value(json_object_get(row,
	    "id")) == '\0' || *json_string_value(json_object_get(row,
	    "title")) == '\0') {
		json_decref(row);
		return (ispec_fail(cause, "a row is \"id:Title\" or "
		    "\"id:Title:Description\" (valid UTF-8, id and title not "
		    "empty)"));
	}
	json_array_append_new(json_object_get(ispec_last_section(spec),
	    "rows"), row);
	return (0);
}

int
ispec_add(json_t *spec, const char *key, const char *value, char **cause)
{
	json_t	*secs, *s;

	if (value == NULL || *value == '\0')
		return (ispec_fail(cause, "%s needs a value", key));
	if (strcmp(key, "buttons") == 0)
		return (ispec_buttons(spec, value, cause));
	if (strcmp(key, "row") == 0)
		return (ispec_row(spec, value, cause));
	if (strcmp(key, "list") == 0 || strcmp(key, "section") == 0) {
		if (ispec_kind(spec, "list", cause) != 0)
			return (-1);
		if (key[0] == 'l') {
			json_object_set_new(spec, "button", json_string(value));
			return (0);
		}
		secs = json_object_get(spec, "sections");
		s = json_array_size(secs) > 0 ? json_array_get(secs,
		    json_array_size(secs) - 1) : NULL;
		/* A section named before any row: name the first. */
		if (s != NULL && json_object_get(s, "title") == NULL &&
		    json_array_size(json_object_get(s, "rows")) == 0)
			json_object_set_new(s, "title", json_string(value));
		else {
			if (secs == NULL) {
				secs = json_array();
				json_object_set_new(spec, "sections", secs);
			}
			json_array_append_new(secs, json_pack("{ss s[]}",
			    "title", value, "rows"));
		}
		return (0);
	}
	if (strcmp(key, "header") == 0 || strcmp(key, "footer") == 0) {
		json_object_set_new(spec, key, json_string(value));
		return (0);
	}
	return (ispec_fail(cause, "unknown part '%s' of an interactive "
	    "message", key));
}
