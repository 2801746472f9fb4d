/* Filling a message template's placeholders; see tpl-render.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "tpl-render.h"
#include "xmalloc.h"

/*
 * The placeholder at p ("{{name}}"): its name's length, or 0 if p does not
 * start one (no closing braces, an empty or overlong name).
 */
static size_t
tpl_at(const char *p, const char **close)
{
	const char	*e;

	if (p[0] != '{' || p[1] != '{' || (e = strstr(p + 2, "}}")) == NULL)
		return (0);
	if (e == p + 2 || (size_t)(e - p - 2) >= TPL_NAME_MAX ||
	    memchr(p + 2, '{', (size_t)(e - p - 2)) != NULL)
		return (0);
	*close = e;
	return ((size_t)(e - p - 2));
}

/* The index of name (n bytes) in names, or -1. */
static long
tpl_index(json_t *names, const char *name, size_t n)
{
	json_t		*v;
	size_t		 i;
	const char	*s;

	json_array_foreach(names, i, v) {
		s = json_string_value(v);
		if (strlen(s) == n && memcmp(s, name, n) == 0)
			return ((long)i);
	}
	return (-1);
}

json_t *
tpl_placeholders(const char *text)
{
	json_t		*arr = json_array();
	const char	*p, *close;
	size_t		 n;

	if (text == NULL)
		return (arr);
	for (p = text; (p = strstr(p, "{{")) != NULL;) {
		if ((n = tpl_at(p, &close)) == 0) {
			p += 2;
			continue;
		}
		if (tpl_index(arr, p + 2, n) == -1)
			json_array_append_new(arr, json_stringn(p + 2, n));
		p = close + 2;
	}
	return (arr);
}

char *
tpl_render_text(const char *text, json_t *params, size_t *used, size_t mark)
{
	struct buf	 b;
	json_t		*names;
	const char	*p, *open, *close, *val;
	size_t		 n, idx, base = *used;
	long		 k;
	char		*out;

	if (text == NULL)
		return (xstrdup(""));
	names = tpl_placeholders(text);
	buf_init(&b, TPL_TEXT_MAX);
	for (p = text; (open = strstr(p, "{{")) != NULL;) {
		(void)buf_add(&b, p, (size_t)(open - p));
		if ((n = tpl_at(open, &close)) == 0 ||
		    (k = tpl_index(names, open + 2, n)) == -1) {
			(void)buf_add(&b, open, 2);
			p = open + 2;
			continue;
		}
		idx = base + (size_t)k;
		val = json_string_value(json_array_get(params, idx));
		if (idx == mark)
			(void)buf_addf(&b, "[{{%.*s}}]", (int)n, open + 2);
		else if (val != NULL)
			(void)buf_adds(&b, val);
		else
			(void)buf_add(&b, open, n + 4);
		p = close + 2;
	}
	(void)buf_adds(&b, p);
	*used = base + json_array_size(names);
	json_decref(names);
	out = buf_detach(&b, NULL);
	return (out != NULL ? out : xstrdup(""));
}

static const char *
tpl_str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

static void
tpl_line(struct buf *b, const char *s)
{
	if (*s == '\0')
		return;
	if (b->len > 0)
		(void)buf_adds(b, "\n");
	(void)buf_adds(b, s);
}

char *
tpl_render(json_t *components, json_t *params, size_t mark)
{
	struct buf	 b;
	json_t		*c, *btn, *names;
	const char	*type, *fmt;
	char		*s, *lower;
	size_t		 i, k, used = 0, skip;

	buf_init(&b, TPL_TEXT_MAX);
	json_array_foreach(components, i, c) {
		type = tpl_str(c, "type");
		fmt = tpl_str(c, "format");
		if (strcasecmp(type, "HEADER") == 0 && *fmt != '\0' &&
		    strcasecmp(fmt, "TEXT") != 0) {
			lower = xstrdup(fmt);
			for (s = lower; *s != '\0'; s++)
				*s = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 :
				    *s);
			s = xasprintf("[%s]", lower);
			tpl_line(&b, s);
			free(s);
			free(lower);
		} else if (strcasecmp(type, "HEADER") == 0 ||
		    strcasecmp(type, "BODY") == 0) {
			s = tpl_render_text(tpl_str(c, "text"), params, &used,
			    mark);
			tpl_line(&b, s);
			free(s);
		} else if (strcasecmp(type, "FOOTER") == 0)
			tpl_line(&b, tpl_str(c, "text"));
		else if (strcasecmp(type, "BUTTONS") == 0) {
			json_array_foreach(json_object_get(c, "buttons"), k,
			    btn) {
				/* A URL's parameters count; its text shows. */
				names = tpl_placeholders(tpl_str(btn, "url"));
				skip = json_array_size(names);
				json_decref(names);
				s = xasprintf("[%s]", tpl_str(btn, "text"));
				if (mark >= used && mark < used + skip) {
					free(s);
					s = tpl_render_text(tpl_str(btn, "url"),
					    params, &used, mark);
					lower = xasprintf("[%s: %s]",
					    tpl_str(btn, "text"), s);
					free(s);
					s = lower;
				} else
					used += skip;
				tpl_line(&b, s);
				free(s);
			}
		}
	}
	s = buf_detach(&b, NULL);
	return (s != NULL ? s : xstrdup(""));
}
