/*
 * Template rendering for canned replies; see canned.h. Shared: the daemon
 * renders what is sent, the client previews and asks with the same parser.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "canned.h"
#include "xmalloc.h"

#define CANNED_FALLBACK_MAX	256

/* What the daemon fills in; the one list client and daemon go by. */
static const char *canned_vars[] = {
	"contact.name",
	"contact.first_name",
	"agent.name",
	"conversation.id",
	"business.name",
	NULL
};

bool
canned_daemon_fills(const char *name)
{
	size_t	i;

	for (i = 0; canned_vars[i] != NULL; i++) {
		if (strcmp(canned_vars[i], name) == 0)
			return (true);
	}
	return (false);
}

const char *
canned_ask_label(const char *name)
{
	if (strlen(name) < sizeof CANNED_ASK ||
	    strncmp(name, CANNED_ASK, sizeof CANNED_ASK - 1) != 0)
		return (NULL);
	return (name + sizeof CANNED_ASK - 1);
}

bool
canned_is_known(const char *name)
{
	return (canned_daemon_fills(name) || canned_ask_label(name) != NULL);
}

char *
canned_first_name(const char *name)
{
	const char	*p, *e;

	if (name == NULL)
		return (NULL);
	for (p = name; *p == ' ' || *p == '\t'; p++)
		;
	for (e = p; *e != '\0' && *e != ' ' && *e != '\t'; e++)
		;
	if (e == p)
		return (NULL);
	return (xstrndup(p, (size_t)(e - p)));
}

static void
canned_skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static void
canned_add_missing(json_t *missing, const char *name)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(missing, i, v) {
		if (strcmp(json_string_value(v), name) == 0)
			return;
	}
	json_array_append_new(missing, json_string(name));
}

/*
 * Parses one {{ ... }} starting after the opening braces; on success *pp
 * points past the closing braces.
 */
static int
canned_expr(const char **pp, char *name, char *fallback, int *has_fallback,
    char **cause)
{
	const char	*p = *pp;
	size_t		 n = 0;

	canned_skip_space(&p);
	if (strncmp(p, CANNED_ASK, sizeof CANNED_ASK - 1) == 0) {
		/*
		 * A fill-in field: its label is words the agent reads when
		 * asked ("tracking number"), so spaces and UTF-8 are allowed.
		 */
		memcpy(name, CANNED_ASK, sizeof CANNED_ASK - 1);
		n = sizeof CANNED_ASK - 1;
		p += n;
		canned_skip_space(&p);
		while (*p != '\0' && *p != '}' && *p != '|' && *p != '"' &&
		    (unsigned char)*p >= 0x20 && *p != 0x7f) {
			if (n + 1 >= CANNED_NAME_MAX) {
				*cause = xstrdup("field label too long (at "
				    "most 56 bytes)");
				return (-1);
			}
			name[n++] = *p++;
		}
		while (n > sizeof CANNED_ASK - 1 && name[n - 1] == ' ')
			n--;
		name[n] = '\0';
		if (n == sizeof CANNED_ASK - 1) {
			*cause = xstrdup("{{ask:}} needs a label, e.g. "
			    "{{ask:tracking number}}");
			return (-1);
		}
	} else {
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '.') {
			if (n + 1 >= CANNED_NAME_MAX) {
				*cause = xstrdup("variable name too long");
				return (-1);
			}
			name[n++] = *p++;
		}
		name[n] = '\0';
		if (n == 0) {
			*cause = xstrdup("empty or malformed {{ }}");
			return (-1);
		}
	}
	canned_skip_space(&p);
	*has_fallback = 0;
	if (*p == '|') {
		p++;
		canned_skip_space(&p);
		if (*p != '"') {
			*cause = xasprintf("fallback of '%s' must be a quoted "
			    "string", name);
			return (-1);
		}
		p++;
		n = 0;
		while (*p != '"') {
			if (*p == '\0' || *p == '\n') {
				*cause = xasprintf("unterminated fallback of "
				    "'%s'", name);
				return (-1);
			}
			if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			if (n + 1 >= CANNED_FALLBACK_MAX) {
				*cause = xasprintf("fallback of '%s' too long",
				    name);
				return (-1);
			}
			fallback[n++] = *p++;
		}
		fallback[n] = '\0';
		p++;
		*has_fallback = 1;
		canned_skip_space(&p);
	}
	if (p[0] != '}' || p[1] != '}') {
		*cause = xasprintf("missing '}}' after '%s'", name);
		return (-1);
	}
	*pp = p + 2;
	return (0);
}

char *
canned_render(const char *tmpl, canned_lookup_fn lookup, void *arg,
    json_t **missing, char **cause)
{
	struct buf	 b;
	const char	*p, *open, *val;
	char		 name[CANNED_NAME_MAX], fallback[CANNED_FALLBACK_MAX];
	char		*out;
	int		 has_fallback;

	*missing = json_array();
	buf_init(&b, CANNED_BODY_MAX);
	for (p = tmpl; *p != '\0';) {
		if ((open = strstr(p, "{{")) == NULL) {
			if (buf_adds(&b, p) != 0)
				goto toolong;
			break;
		}
		if (buf_add(&b, p, (size_t)(open - p)) != 0)
			goto toolong;
		p = open + 2;
		if (canned_expr(&p, name, fallback, &has_fallback, cause) != 0)
			goto fail;
		if (!canned_is_known(name)) {
			*cause = xasprintf("unknown variable '%s'; known are "
			    CANNED_VARS_LIST " and {{ask:LABEL}}", name);
			goto fail;
		}
		val = lookup != NULL ? lookup(name, arg) : NULL;
		if (val != NULL && *val == '\0')
			val = NULL;
		if (val == NULL && has_fallback)
			val = fallback;
		if (val == NULL)
			canned_add_missing(*missing, name);
		else if (buf_adds(&b, val) != 0)
			goto toolong;
	}
	out = buf_detach(&b, NULL);
	return (out != NULL ? out : xstrdup(""));
toolong:
	*cause = xasprintf("rendered text is longer than %d bytes",
	    CANNED_BODY_MAX);
fail:
	buf_release(&b);
	json_decref(*missing);
	*missing = NULL;
	return (NULL);
}

static const char *
canned_fields_lookup(const char *name, void *arg)
{
	(void)arg;
	(void)name;
	return (NULL);
}

json_t *
canned_fields(const char *tmpl, char **cause)
{
	json_t		*missing, *out, *v;
	const char	*label;
	char		*text, *why = NULL;
	size_t		 i;

	if ((text = canned_render(tmpl, canned_fields_lookup, NULL, &missing,
	    &why)) == NULL) {
		if (cause != NULL)
			*cause = why;
		else
			free(why);
		return (NULL);
	}
	free(text);
	out = json_array();
	json_array_foreach(missing, i, v) {
		if ((label = canned_ask_label(json_string_value(v))) != NULL)
			json_array_append_new(out, json_string(label));
	}
	json_decref(missing);
	return (out);
}
