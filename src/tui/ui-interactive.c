/*
 * Interactive messages in the TUI (issue 16): the composer's lines that
 * turn a reply into reply buttons or a list (/buttons Yes|No|Maybe, /list
 * BUTTON, /section NAME, /row id:Title:Description, /header, /footer,
 * each on a line of its own; ispec.h shapes them as the CLI's flags do),
 * and how the thread shows such a message and a customer's answer to one.
 */
#include <stdlib.h>
#include <string.h>

#include "ispec.h"
#include "ui-int.h"
#include "xmalloc.h"

/* The composer line's key ("buttons"), or NULL if it is text. */
static const char *
ui_interactive_line(const char *line, size_t len, char *key, size_t keylen,
    const char **value)
{
	size_t	n;

	if (len < 2 || line[0] != '/')
		return (NULL);
	for (n = 1; n < len && line[n] != ' '; n++)
		;
	if (n - 1 >= keylen)
		return (NULL);
	memcpy(key, line + 1, n - 1);
	key[n - 1] = '\0';
	if (!ispec_key(key))
		return (NULL);
	while (n < len && line[n] == ' ')
		n++;
	*value = line + n;
	return (key);
}

int
ui_interactive_params(struct ui *ui, const char *text, json_t *params)
{
	json_t		*spec;
	const char	*p, *nl, *value;
	char		 key[16], *body, *line, *cause = NULL;
	size_t		 blen = 0, len;
	int		 found = 0;

	spec = json_object();
	body = xmalloc(strlen(text) + 1);
	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + len) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (ui_interactive_line(p, len, key, sizeof key, &value) ==
		    NULL) {
			memcpy(body + blen, p, len);
			blen += len;
			if (nl != NULL)
				body[blen++] = '\n';
			continue;
		}
		found = 1;
		line = xstrndup(value, len - (size_t)(value - p));
		if (ispec_add(spec, key, line, &cause) != 0) {
			free(line);
			ui_status(ui, 1, "not sent: /%s: %s", key, cause);
			free(cause);
			free(body);
			json_decref(spec);
			return (-1);
		}
		free(line);
	}
	while (blen > 0 && (body[blen - 1] == '\n' || body[blen - 1] == ' '))
		blen--;
	body[blen] = '\0';
	if (!found) {
		free(body);
		json_decref(spec);
		return (0);
	}
	if (json_object_get(spec, "sections") != NULL &&
	    json_object_get(spec, "button") == NULL) {
		ui_status(ui, 1, "not sent: a list needs /list BUTTON-TEXT (the "
		    "button that opens it)");
		free(body);
		json_decref(spec);
		return (-1);
	}
	json_object_set_new(spec, "body", json_string(body));
	free(body);
	json_object_del(params, "text");
	/* A quote and the undo window are for texts (rpc-send.c). */
	json_object_del(params, "reply_to");
	json_object_del(params, "hold_seconds");
	json_object_set_new(params, "interactive", spec);
	return (1);
}

static void
ui_interactive_add(json_t *lines, enum theme_el el, int indent, char *text)
{
	json_array_append_new(lines, json_pack("{sI sI ss}", "el",
	    (json_int_t)el, "indent", (json_int_t)indent, "text", text));
	free(text);
}

/* The text of message id in the thread, or NULL. */
static const char *
ui_interactive_question(struct ui *ui, int64_t id)
{
	json_t	*m;
	size_t	 i;

	json_array_foreach(ui->th.msgs, i, m) {
		if (ui_jint(m, "id") == id && json_object_get(m, "_note") ==
		    NULL)
			return (ui_jstr(json_object_get(m, "body"), "text"));
	}
	return (NULL);
}

static void
ui_interactive_answer(struct ui *ui, json_t *a, json_t *lines)
{
	const char	*kind = ui_jstr(a, "kind"), *q;
	char		*s;

	q = ui_jint(a, "to_msg") > 0 ? ui_interactive_question(ui,
	    ui_jint(a, "to_msg")) : NULL;
	s = xasprintf("%s %s (%s reply%s%s%s)", ui->ascii ? "=>" : "\xe2\x8f\x8e",
	    ui_jstr(a, "title"), strcmp(kind, "quick_reply") == 0 ?
	    "quick" : kind, q != NULL ? " to \"" : (ui_jint(a, "to_msg") > 0 ?
	    " to an earlier message" : ""), q != NULL ? q : "", q != NULL ?
	    "\"" : "");
	ui_interactive_add(lines, TH_NORMAL, 6, s);
	if (*ui_jstr(a, "description") != '\0')
		ui_interactive_add(lines, TH_QUOTE, 8, xstrdup(ui_jstr(a,
		    "description")));
}

json_t *
ui_interactive_lines(struct ui *ui, json_t *m)
{
	json_t		*body = json_object_get(m, "body"), *it, *v, *sec, *row;
	json_t		*lines;
	char		*s, *t;
	size_t		 i, j;

	if ((it = json_object_get(body, "answer")) != NULL) {
		lines = json_array();
		ui_interactive_answer(ui, it, lines);
		return (lines);
	}
	if ((it = json_object_get(body, "interactive")) == NULL ||
	    !json_is_object(it))
		return (NULL);
	lines = json_array();
	if (*ui_jstr(it, "header") != '\0')
		ui_interactive_add(lines, TH_MEDIA, 6, xstrdup(ui_jstr(it,
		    "header")));
	ui_interactive_add(lines, TH_NORMAL, 6, xstrdup(ui_jstr(body,
	    "text")));
	if (*ui_jstr(it, "footer") != '\0')
		ui_interactive_add(lines, TH_QUOTE, 6, xstrdup(ui_jstr(it,
		    "footer")));
	if (strcmp(ui_jstr(it, "type"), "button") == 0) {
		s = xstrdup("");
		json_array_foreach(json_object_get(it, "buttons"), i, v) {
			t = xasprintf("%s%s[%s]", s, i > 0 ? " " : "",
			    ui_jstr(v, "title"));
			free(s);
			s = t;
		}
		ui_interactive_add(lines, TH_MEDIA, 6, s);
		return (lines);
	}
	ui_interactive_add(lines, TH_MEDIA, 6, xasprintf("[%s %s]",
	    ui->ascii ? "=" : "\xe2\x89\xa1", ui_jstr(it, "button")));
	json_array_foreach(json_object_get(it, "sections"), i, sec) {
		if (*ui_jstr(sec, "title") != '\0')
			ui_interactive_add(lines, TH_QUOTE, 8, xstrdup(ui_jstr(
			    sec, "title")));
		json_array_foreach(json_object_get(sec, "rows"), j, row) {
			ui_interactive_add(lines, TH_MEDIA, 10, xasprintf(
			    "- %s%s%s", ui_jstr(row, "title"),
			    *ui_jstr(row, "description") != '\0' ? ": " : "",
			    ui_jstr(row, "description")));
		}
	}
	return (lines);
}
