/*
 * [notice] and [notice LABEL]: the first-contact privacy notice's
 * configuration; see conf-notice.h. The texts are documents the operator
 * writes (contrib/notice/ has examples), so each lives in a file of its
 * own rather than on one config line.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf.h"
#include "conf-notice.h"
#include "utf8.h"
#include "lang.h"
#include "xmalloc.h"

#define NOTICE_MAX	(CONF_NUMBERS_MAX + 1)	/* [notice] and one a number */

static struct conf_notice *
conf_notice_get(struct conf *conf, const char *label, int lineno)
{
	struct conf_notice	*n;
	size_t			 i;

	for (i = 0; i < conf->nnotices; i++) {
		n = &conf->notices[i];
		if ((label == NULL && n->label == NULL) || (label != NULL &&
		    n->label != NULL && strcmp(label, n->label) == 0))
			return (n);
	}
	if (conf->nnotices == NOTICE_MAX)
		return (NULL);
	conf->notices = xrealloc(conf->notices, (conf->nnotices + 1) *
	    sizeof *conf->notices);
	n = &conf->notices[conf->nnotices++];
	memset(n, 0, sizeof *n);
	n->label = label != NULL ? xstrdup(label) : NULL;
	n->enabled = 1;
	n->line = lineno;
	return (n);
}

int
conf_notice_key(struct conf *conf, const char *dir, int lineno,
    const char *section, const char *name, const char *value, char **cause)
{
	struct conf_notice	*n;
	struct conf_notice_text	*t = NULL;
	const char		*label = NULL, *lang;
	unsigned long long	 v = 0;
	size_t			 i;

	if (strncmp(section, "notice", 6) != 0 || (section[6] != '\0' &&
	    section[6] != ' ' && section[6] != '.'))
		return (-1);
	if (section[6] != '\0') {
		label = section + 7;
		if (!conf_label_valid(label)) {
			*cause = xasprintf("%s:%d: [%s]: a number's label is "
			    "1 to %d letters, digits, '_' or '-'", conf->path,
			    lineno, section, CONF_LABEL_MAX);
			return (1);
		}
	}
	if ((n = conf_notice_get(conf, label, lineno)) == NULL) {
		*cause = xasprintf("%s:%d: [%s]: at most %d notice sections",
		    conf->path, lineno, section, NOTICE_MAX);
		return (1);
	}

	if (strcmp(name, "version") == 0) {
		for (i = 0; value[i] >= '0' && value[i] <= '9' && v <= UINT32_MAX;
		    i++)
			v = v * 10 + (unsigned)(value[i] - '0');
		if (i == 0 || value[i] != '\0' || v == 0 || v > UINT32_MAX) {
			*cause = xasprintf("%s:%d: [%s] version expects a "
			    "positive whole number (raise it when the text "
			    "changes), not '%.32s'", conf->path, lineno,
			    section, value);
			return (1);
		}
		n->version = (uint32_t)v;
	} else if (strcmp(name, "enabled") == 0) {
		if (strcasecmp(value, "yes") == 0 || strcmp(value, "1") == 0 ||
		    strcasecmp(value, "true") == 0 ||
		    strcasecmp(value, "on") == 0)
			n->enabled = 1;
		else if (strcasecmp(value, "no") == 0 ||
		    strcmp(value, "0") == 0 ||
		    strcasecmp(value, "false") == 0 ||
		    strcasecmp(value, "off") == 0)
			n->enabled = 0;
		else {
			*cause = xasprintf("%s:%d: [%s] enabled expects yes or "
			    "no, not '%.32s'", conf->path, lineno, section,
			    value);
			return (1);
		}
	} else if (strcmp(name, "default_lang") == 0) {
		if (!lang_valid(value)) {
			*cause = xasprintf("%s:%d: [%s] default_lang expects a "
			    "language code such as de or en, not '%.32s'",
			    conf->path, lineno, section, value);
			return (1);
		}
		snprintf(n->default_lang, sizeof n->default_lang, "%s", value);
	} else if (strncmp(name, "text.", 5) == 0) {
		lang = name + 5;
		if (!lang_valid(lang)) {
			*cause = xasprintf("%s:%d: [%s] %s: the key is "
			    "text.LANG with a language code such as de or en",
			    conf->path, lineno, section, name);
			return (1);
		}
		if (*value == '\0') {
			*cause = xasprintf("%s:%d: [%s] %s expects the name of "
			    "a file holding the notice", conf->path, lineno,
			    section, name);
			return (1);
		}
		for (i = 0; i < n->ntexts; i++) {
			if (strcmp(n->texts[i].lang, lang) == 0)
				t = &n->texts[i];
		}
		if (t == NULL) {
			if (n->ntexts == NOTICE_LANGS_MAX) {
				*cause = xasprintf("%s:%d: [%s]: at most %d "
				    "languages", conf->path, lineno, section,
				    NOTICE_LANGS_MAX);
				return (1);
			}
			t = &n->texts[n->ntexts++];
			snprintf(t->lang, sizeof t->lang, "%s", lang);
		}
		free(t->file);
		t->file = (*value == '/' || dir == NULL) ? xstrdup(value) :
		    xasprintf("%s/%s", dir, value);
		t->line = lineno;
	} else
		fprintf(stderr, "warning: %s:%d: unknown key '%s' in [%s]\n",
		    conf->path, lineno, name, section);
	return (0);
}

/* Whether text names one of the comma-separated keywords (any case). */
static int
conf_notice_names_keyword(const char *text, const char *keywords)
{
	char	*copy, *p, *w, *save = NULL;
	int	 found = 0;

	if (keywords == NULL)
		return (1);
	copy = xstrdup(keywords);
	for (p = strtok_r(copy, ",", &save); p != NULL && !found;
	    p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ' || *p == '\t')
			p++;
		w = p + strlen(p);
		while (w > p && (w[-1] == ' ' || w[-1] == '\t'))
			*--w = '\0';
		if (*p != '\0' && strcasestr(text, p) != NULL)
			found = 1;
	}
	free(copy);
	return (found);
}

/* Whether text holds an http:// or https:// link with a host. */
static int
conf_notice_has_link(const char *text)
{
	const char	*p = text, *h;

	while ((p = strcasestr(p, "http")) != NULL) {
		h = p + 4;
		if (*h == 's' || *h == 'S')
			h++;
		if (strncmp(h, "://", 3) == 0 && h[3] != '\0' &&
		    h[3] != ' ' && h[3] != '\n' && h[3] != '/')
			return (1);
		p += 4;
	}
	return (0);
}

/* Reads and checks one notice text; the message names file and fix. */
static char *
conf_notice_read(const struct conf *conf, const struct conf_notice *n,
    const struct conf_notice_text *t, char **cause)
{
	struct stat	 st;
	char		*buf, *where, *err = NULL;
	size_t		 len = 0, off, chars;
	ssize_t		 r = 0;
	int		 fd;

	where = n->label != NULL ? xasprintf("%s:%d: [notice %s] text.%s",
	    conf->path, t->line, n->label, t->lang) : xasprintf("%s:%d: "
	    "[notice] text.%s", conf->path, t->line, t->lang);
	/* O_NONBLOCK: a FIFO named here must not hang the daemon. */
	fd = open(t->file, O_RDONLY|O_CLOEXEC|O_NONBLOCK|O_NOCTTY);
	if (fd == -1) {
		*cause = xasprintf("%s: cannot open '%s': %s", where, t->file,
		    strerror(errno));
		free(where);
		return (NULL);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: '%s' is not a regular file", where,
		    t->file);
		close(fd);
		free(where);
		return (NULL);
	}
	buf = xmalloc(NOTICE_FILE_MAX + 2);
	for (;;) {
		r = read(fd, buf + len, NOTICE_FILE_MAX + 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len > NOTICE_FILE_MAX)
			break;
	}
	close(fd);
	buf[len] = '\0';
	if (r == -1)
		err = xasprintf("%s: cannot read '%s': %s", where, t->file,
		    strerror(errno));
	else if (len > NOTICE_FILE_MAX)
		err = xasprintf("%s: '%s' is larger than %d bytes; a "
		    "notice is at most %d characters", where, t->file,
		    NOTICE_FILE_MAX, NOTICE_TEXT_MAX);
	else if (memchr(buf, '\0', len) != NULL)
		err = xasprintf("%s: '%s' holds a NUL byte; save it as "
		    "UTF-8 text", where, t->file);
	if (err != NULL) {
		*cause = err;
		goto fail;
	}
	/* Trailing white space is the editor's, not the notice's. */
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	if (len == 0) {
		*cause = xasprintf("%s: '%s' is empty", where, t->file);
		goto fail;
	}
	if (!utf8_valid(buf, len, &off)) {
		*cause = xasprintf("%s: '%s' is not valid UTF-8 (at byte %zu); "
		    "save it as UTF-8", where, t->file, off);
		goto fail;
	}
	chars = utf8_chars(buf);
	if (chars > NOTICE_TEXT_MAX) {
		*cause = xasprintf("%s: '%s' has %zu characters; WhatsApp "
		    "sends at most %d in one message", where, t->file, chars,
		    NOTICE_TEXT_MAX);
		goto fail;
	}
	if (!conf_notice_has_link(buf)) {
		*cause = xasprintf("%s: '%s' has no http:// or https:// link; "
		    "a notice links to the full privacy policy", where,
		    t->file);
		goto fail;
	}
	if (!conf_notice_names_keyword(buf, conf->stop_keywords))
		fprintf(stderr, "warning: %s: '%s' names none of [consent] "
		    "stop_keywords; tell customers how to object (send "
		    "STOP)\n", where, t->file);
	free(where);
	return (buf);
fail:
	free(where);
	free(buf);
	return (NULL);
}

int
conf_notice_finish(struct conf *conf, int read_texts, char **cause)
{
	struct conf_notice	*n;
	struct conf_notice_text	*t;
	char			 sec[CONF_LABEL_MAX + 16];
	size_t			 i, j;
	int			 found;

	for (i = 0; i < conf->nnotices; i++) {
		n = &conf->notices[i];
		if (n->label != NULL)
			snprintf(sec, sizeof sec, "[notice %s]", n->label);
		else
			snprintf(sec, sizeof sec, "[notice]");
		if (n->label != NULL &&
		    conf_number_by_label(conf, n->label) == NULL) {
			*cause = xasprintf("%s:%d: %s: no number has the label "
			    "'%s' (see [number LABEL] and [graph] label)",
			    conf->path, n->line, sec, n->label);
			return (-1);
		}
		if (!n->enabled)
			continue;
		if (n->version == 0) {
			*cause = xasprintf("%s:%d: %s needs version = N (a "
			    "positive whole number)", conf->path, n->line,
			    sec);
			return (-1);
		}
		if (n->ntexts == 0) {
			*cause = xasprintf("%s:%d: %s needs a text.LANG = FILE "
			    "(text.de = notice.de.txt, say)", conf->path,
			    n->line, sec);
			return (-1);
		}
		found = n->default_lang[0] == '\0';
		for (j = 0; j < n->ntexts; j++) {
			if (strcmp(n->texts[j].lang, n->default_lang) == 0)
				found = 1;
		}
		if (!found) {
			*cause = xasprintf("%s:%d: %s default_lang is '%s' but "
			    "there is no text.%s", conf->path, n->line, sec,
			    n->default_lang, n->default_lang);
			return (-1);
		}
		for (j = 0; read_texts && j < n->ntexts; j++) {
			t = &n->texts[j];
			if ((t->text = conf_notice_read(conf, n, t,
			    cause)) == NULL)
				return (-1);
		}
	}
	return (0);
}

void
conf_notice_free(struct conf *conf)
{
	size_t	i, j;

	for (i = 0; i < conf->nnotices; i++) {
		free(conf->notices[i].label);
		for (j = 0; j < conf->notices[i].ntexts; j++) {
			free(conf->notices[i].texts[j].file);
			free(conf->notices[i].texts[j].text);
		}
	}
	free(conf->notices);
	conf->notices = NULL;
	conf->nnotices = 0;
}

const struct conf_notice *
conf_notice_for(const struct conf *conf, const char *label)
{
	const struct conf_notice	*all = NULL;
	size_t				 i;

	for (i = 0; i < conf->nnotices; i++) {
		if (conf->notices[i].label == NULL)
			all = &conf->notices[i];
		else if (label != NULL &&
		    strcmp(conf->notices[i].label, label) == 0)
			return (&conf->notices[i]);
	}
	return (all);
}

const struct conf_notice_text *
conf_notice_text(const struct conf_notice *n, const char *lang)
{
	const char	*langs[NOTICE_LANGS_MAX] = { NULL };
	size_t		 i;
	int		 k;

	if (n->ntexts == 0)
		return (NULL);
	for (i = 0; i < n->ntexts && i < NOTICE_LANGS_MAX; i++)
		langs[i] = n->texts[i].lang;
	if ((k = lang_pick(langs, i, lang)) >= 0 ||
	    (k = lang_pick(langs, i, n->default_lang)) >= 0)
		return (&n->texts[k]);
	return (&n->texts[0]);
}
