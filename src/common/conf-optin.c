/*
 * The opt-in link's sections of the configuration file; see conf-optin.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "conf.h"
#include "conf-optin.h"
#include "phone.h"
#include "xmalloc.h"

#define CONF_OPTIN_BUSINESS	"{business}"

/* jansson refuses a string that is not UTF-8: so would WhatsApp. */
static int
conf_optin_utf8(const char *v)
{
	json_t	*j;

	if ((j = json_string(v)) == NULL)
		return (0);
	json_decref(j);
	return (1);
}

static char *
conf_optin_take(struct buf *b)
{
	char	*s;

	if ((s = buf_detach(b, NULL)) == NULL)
		s = xstrdup("");
	return (s);
}

static int
conf_optin_blank(const char *v)
{
	while (isspace((unsigned char)*v))
		v++;
	return (*v == '\0');
}

int
conf_optin_digits(const char *value, char *out, size_t len,
    const char **why)
{
	char	 in[PHONE_TEXT_MAX + 2], e164[PHONE_E164_MAX + 1];

	/* wa.me's own form, digits with the country code, is international. */
	if (strlen(value) > PHONE_TEXT_MAX) {
		*why = "too long for a phone number (at most 64 characters)";
		return (-1);
	}
	if (isdigit((unsigned char)value[0]) && value[0] != '0')
		snprintf(in, sizeof in, "+%s", value);
	else
		snprintf(in, sizeof in, "%s", value);
	if (phone_normalise(in, NULL, e164, sizeof e164, why) != 0)
		return (-1);
	if (strlen(e164 + 1) + 1 > len) {
		*why = "no room for the phone number";
		return (-1);
	}
	snprintf(out, len, "%s", e164 + 1);
	return (0);
}

static struct conf_optin *
conf_optin_section(struct conf *conf, const char *label, int lineno,
    char **cause)
{
	struct conf_optin	*o;
	size_t			 i;

	for (i = 0; i < conf->noptins; i++) {
		o = &conf->optins[i];
		if ((label == NULL && o->label == NULL) || (label != NULL &&
		    o->label != NULL && strcmp(label, o->label) == 0))
			return (o);
	}
	if (conf->noptins == CONF_OPTINS_MAX) {
		*cause = xasprintf("%s:%d: at most %d [optin] sections",
		    conf->path, lineno, CONF_OPTINS_MAX);
		return (NULL);
	}
	conf->optins = xrealloc(conf->optins, (conf->noptins + 1) *
	    sizeof *conf->optins);
	o = &conf->optins[conf->noptins++];
	memset(o, 0, sizeof *o);
	o->label = label != NULL ? xstrdup(label) : NULL;
	o->line = lineno;
	return (o);
}

/* display_number in [graph] (label NULL) or [number LABEL]. */
static int
conf_optin_display_key(struct conf *conf, const char *section,
    const char *label, const char *value, int lineno, char **cause)
{
	struct conf_optin_display	*dn = NULL;
	char				 digits[CONF_OPTIN_DIGITS_MAX];
	const char			*why;
	size_t				 i;

	if (conf_optin_digits(value, digits, sizeof digits, &why) != 0) {
		*cause = xasprintf("%s:%d: [%s] display_number expects the "
		    "number's public phone number with its country code "
		    "(+49 30 1234567): %s", conf->path, lineno, section, why);
		return (0);
	}
	for (i = 0; i < conf->noptin_displays; i++) {
		if ((label == NULL && conf->optin_displays[i].label == NULL) ||
		    (label != NULL && conf->optin_displays[i].label != NULL &&
		    strcmp(label, conf->optin_displays[i].label) == 0))
			dn = &conf->optin_displays[i];
	}
	if (dn == NULL) {
		if (conf->noptin_displays == CONF_OPTINS_MAX) {
			*cause = xasprintf("%s:%d: [%s]: too many "
			    "display_number keys", conf->path, lineno,
			    section);
			return (0);
		}
		conf->optin_displays = xrealloc(conf->optin_displays,
		    (conf->noptin_displays + 1) *
		    sizeof *conf->optin_displays);
		dn = &conf->optin_displays[conf->noptin_displays++];
		memset(dn, 0, sizeof *dn);
		dn->label = label != NULL ? xstrdup(label) : NULL;
	}
	snprintf(dn->digits, sizeof dn->digits, "%s", digits);
	dn->line = lineno;
	return (1);
}

int
conf_optin_key(struct conf *conf, const char *section, const char *name,
    const char *value, int lineno, char **cause)
{
	struct conf_optin	*o;
	const char		*label = NULL;

	if (strcmp(name, "display_number") == 0) {
		if (strcmp(section, "graph") == 0)
			return (conf_optin_display_key(conf, section, NULL,
			    value, lineno, cause));
		/* A bad label is conf.c's to report, as for any key. */
		if (strncmp(section, "number", 6) == 0 && (section[6] == ' ' ||
		    section[6] == '.') && conf_label_valid(section + 7))
			return (conf_optin_display_key(conf, section,
			    section + 7, value, lineno, cause));
		return (-1);
	}
	if (strncmp(section, "optin", 5) != 0)
		return (-1);
	if (section[5] == ' ' || section[5] == '.') {
		label = section + 6;
		if (!conf_label_valid(label)) {
			*cause = xasprintf("%s:%d: [%s]: the label of a "
			    "number is 1 to %d letters, digits, '_' or '-'",
			    conf->path, lineno, section, CONF_LABEL_MAX);
			return (0);
		}
	} else if (section[5] != '\0')
		return (-1);
	if ((o = conf_optin_section(conf, label, lineno, cause)) == NULL)
		return (0);
	if (strcmp(name, "text") != 0) {
		fprintf(stderr, "warning: %s:%d: unknown key '%s' in [%s]\n",
		    conf->path, lineno, name, section);
		return (1);
	}
	if (conf_optin_blank(value) || strlen(value) > CONF_OPTIN_TEXT_MAX ||
	    conf_has_control(value) || !conf_optin_utf8(value)) {
		*cause = xasprintf("%s:%d: [%s] text expects UTF-8 text of 1 "
		    "to %d bytes on one line", conf->path, lineno, section,
		    CONF_OPTIN_TEXT_MAX);
		return (0);
	}
	free(o->text);
	o->text = xstrdup(value);
	o->line = lineno;
	return (1);
}

int
conf_optin_finish(struct conf *conf, char **cause)
{
	const struct conf_optin_display	*dn;
	const struct conf_optin		*o;
	const struct conf_number	*n;
	char				*t;
	size_t				 i, len;

	for (i = 0; i < conf->noptin_displays; i++) {
		dn = &conf->optin_displays[i];
		if (dn->label == NULL && conf->phone_number_id == NULL) {
			*cause = xasprintf("%s:%d: [graph] display_number "
			    "needs [graph] phone_number_id: it is that "
			    "number's", conf->path, dn->line);
			return (-1);
		}
		if (dn->label != NULL && ((n = conf_number_by_label(conf,
		    dn->label)) == NULL || n->graph)) {
			*cause = xasprintf("%s:%d: [number %s] display_number: "
			    "the section has no phone_number_id, waba_id and "
			    "token_file", conf->path, dn->line, dn->label);
			return (-1);
		}
	}
	for (i = 0; i < conf->noptins; i++) {
		o = &conf->optins[i];
		if (o->text == NULL) {
			*cause = xasprintf("%s:%d: [optin%s%s] needs its text: "
			    "text = ...", conf->path, o->line,
			    o->label != NULL ? " " : "",
			    o->label != NULL ? o->label : "");
			return (-1);
		}
		if (o->label != NULL &&
		    conf_number_by_label(conf, o->label) == NULL) {
			*cause = xasprintf("%s:%d: [optin %s]: no number has "
			    "the label '%s' ([graph] label or [number %s])",
			    conf->path, o->line, o->label, o->label, o->label);
			return (-1);
		}
		if (strstr(o->text, CONF_OPTIN_BUSINESS) != NULL &&
		    conf->business_name == NULL) {
			*cause = xasprintf("%s:%d: [optin%s%s] text uses "
			    "%s but [business] name is not set", conf->path,
			    o->line, o->label != NULL ? " " : "",
			    o->label != NULL ? o->label : "",
			    CONF_OPTIN_BUSINESS);
			return (-1);
		}
		t = conf_optin_text(conf, o->label);
		len = strlen(t);
		free(t);
		if (len > CONF_OPTIN_TEXT_MAX) {
			*cause = xasprintf("%s:%d: [optin%s%s] text is longer "
			    "than %d bytes once {business} is filled in",
			    conf->path, o->line, o->label != NULL ? " " : "",
			    o->label != NULL ? o->label : "",
			    CONF_OPTIN_TEXT_MAX);
			return (-1);
		}
	}
	return (0);
}

void
conf_optin_free(struct conf *conf)
{
	size_t	i;

	for (i = 0; i < conf->noptins; i++) {
		free(conf->optins[i].label);
		free(conf->optins[i].text);
	}
	free(conf->optins);
	conf->optins = NULL;
	conf->noptins = 0;
	for (i = 0; i < conf->noptin_displays; i++)
		free(conf->optin_displays[i].label);
	free(conf->optin_displays);
	conf->optin_displays = NULL;
	conf->noptin_displays = 0;
}

static int
conf_optin_str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

int
conf_optin_swap(struct conf *cur, struct conf *next)
{
	struct conf_optin		*o;
	struct conf_optin_display	*dn;
	size_t				 i, n;
	int				 same;

	same = cur->noptins == next->noptins &&
	    cur->noptin_displays == next->noptin_displays &&
	    conf_optin_str_same(cur->business_name, next->business_name);
	for (i = 0; same && i < cur->noptins; i++) {
		same = conf_optin_str_same(cur->optins[i].label,
		    next->optins[i].label) && conf_optin_str_same(
		    cur->optins[i].text, next->optins[i].text);
	}
	for (i = 0; same && i < cur->noptin_displays; i++) {
		same = conf_optin_str_same(cur->optin_displays[i].label,
		    next->optin_displays[i].label) && strcmp(
		    cur->optin_displays[i].digits,
		    next->optin_displays[i].digits) == 0;
	}
	if (same)
		return (0);
	o = cur->optins;
	n = cur->noptins;
	cur->optins = next->optins;
	cur->noptins = next->noptins;
	next->optins = o;
	next->noptins = n;
	dn = cur->optin_displays;
	n = cur->noptin_displays;
	cur->optin_displays = next->optin_displays;
	cur->noptin_displays = next->noptin_displays;
	next->optin_displays = dn;
	next->noptin_displays = n;
	return (1);
}

const char *
conf_optin_display(const struct conf *conf, const char *label)
{
	const struct conf_number	*n;
	size_t				 i;

	if ((n = conf_number_by_label(conf, label)) == NULL)
		return (NULL);
	for (i = 0; i < conf->noptin_displays; i++) {
		if (n->graph ? conf->optin_displays[i].label == NULL :
		    (conf->optin_displays[i].label != NULL &&
		    strcmp(conf->optin_displays[i].label, n->label) == 0))
			return (conf->optin_displays[i].digits);
	}
	return (NULL);
}

char *
conf_optin_text(const struct conf *conf, const char *label)
{
	const char	*t = NULL, *p, *q;
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < conf->noptins; i++) {
		if (conf->optins[i].label == NULL && t == NULL)
			t = conf->optins[i].text;
		else if (label != NULL && conf->optins[i].label != NULL &&
		    strcmp(conf->optins[i].label, label) == 0) {
			t = conf->optins[i].text;
			break;
		}
	}
	if (t == NULL)
		t = conf->business_name != NULL ? CONF_OPTIN_DEFAULT :
		    CONF_OPTIN_DEFAULT_ANON;
	buf_init(&b, 0);
	for (p = t; (q = strstr(p, CONF_OPTIN_BUSINESS)) != NULL;
	    p = q + strlen(CONF_OPTIN_BUSINESS)) {
		buf_add(&b, p, (size_t)(q - p));
		if (conf->business_name != NULL)
			buf_add(&b, conf->business_name,
			    strlen(conf->business_name));
	}
	buf_add(&b, p, strlen(p));
	return (conf_optin_take(&b));
}

char *
conf_optin_link(const char *digits, const char *text)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct buf		 b;
	const unsigned char	*p;
	char			 pct[3];

	buf_init(&b, 0);
	buf_add(&b, "https://wa.me/", 14);
	buf_add(&b, digits, strlen(digits));
	buf_add(&b, "?text=", 6);
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~')
			buf_add(&b, (const char *)p, 1);
		else {
			pct[0] = '%';
			pct[1] = hex[*p >> 4];
			pct[2] = hex[*p & 15];
			buf_add(&b, pct, 3);
		}
	}
	return (conf_optin_take(&b));
}
