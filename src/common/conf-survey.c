/*
 * The satisfaction survey's sections of the configuration file; see
 * conf-survey.h. Texts an operator writes here are not personal data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "conf.h"
#include "conf-survey.h"
#include "lang.h"
#include "utf8.h"
#include "when.h"
#include "xmalloc.h"

static struct conf_survey *
conf_survey_section(struct conf *conf, const char *team, int lineno,
    char **cause)
{
	struct conf_survey	*sv;
	size_t			 i;

	for (i = 0; i < conf->nsurveys; i++) {
		sv = &conf->surveys[i];
		if ((team == NULL && sv->team == NULL) || (team != NULL &&
		    sv->team != NULL && strcmp(team, sv->team) == 0))
			return (sv);
	}
	if (conf->nsurveys == CONF_SURVEYS_MAX) {
		*cause = xasprintf("%s:%d: at most %d [survey] sections",
		    conf->path, lineno, CONF_SURVEYS_MAX);
		return (NULL);
	}
	conf->surveys = xrealloc(conf->surveys, (conf->nsurveys + 1) *
	    sizeof *conf->surveys);
	sv = &conf->surveys[conf->nsurveys++];
	memset(sv, 0, sizeof *sv);
	sv->team = team != NULL ? xstrdup(team) : NULL;
	sv->enabled = 1;
	sv->scale = 5;
	sv->line = lineno;
	return (sv);
}

static struct conf_survey_text *
conf_survey_lang(struct conf_survey *sv, const char *lang)
{
	struct conf_survey_text	*t;
	size_t			 i;

	for (i = 0; i < sv->ntexts; i++) {
		if (strcmp(sv->texts[i].lang, lang) == 0)
			return (&sv->texts[i]);
	}
	if (sv->ntexts == CONF_SURVEY_LANGS)
		return (NULL);
	t = &sv->texts[sv->ntexts++];
	memset(t, 0, sizeof *t);
	snprintf(t->lang, sizeof t->lang, "%s", lang);
	return (t);
}

/* A text key: "text.de", "thanks.en", "button.de". */
static int
conf_survey_text_key(struct conf *conf, struct conf_survey *sv,
    const char *section, const char *name, const char *value, int lineno,
    char **cause)
{
	struct conf_survey_text	*t;
	const char		*dot = strchr(name, '.'), *lang;
	char			**field;
	size_t			 max, klen;

	klen = (size_t)(dot - name);
	lang = dot + 1;
	max = CONF_SURVEY_TEXT_MAX;
	if (klen == 6 && strncmp(name, "button", 6) == 0)
		max = CONF_SURVEY_BUTTON_MAX;
	else if (!(klen == 4 && strncmp(name, "text", 4) == 0) &&
	    !(klen == 6 && strncmp(name, "thanks", 6) == 0)) {
		fprintf(stderr, "warning: %s:%d: unknown key '%s' in [%s]\n",
		    conf->path, lineno, name, section);
		return (1);
	}
	if (!lang_valid(lang)) {
		*cause = xasprintf("%s:%d: [%s] %s: the language after the "
		    "dot is 2 to 15 letters, digits, '_' or '-' (text.de, "
		    "text.pt_BR)", conf->path, lineno, section, name);
		return (0);
	}
	if (*value == '\0' || strlen(value) > max ||
	    conf_has_control(value) || !utf8_valid(value, strlen(value), NULL)) {
		*cause = xasprintf("%s:%d: [%s] %s expects UTF-8 text of 1 to "
		    "%zu bytes on one line", conf->path, lineno, section,
		    name, max);
		return (0);
	}
	if ((t = conf_survey_lang(sv, lang)) == NULL) {
		*cause = xasprintf("%s:%d: [%s]: at most %d languages",
		    conf->path, lineno, section, CONF_SURVEY_LANGS);
		return (0);
	}
	field = name[0] == 't' && name[1] == 'e' ? &t->text : name[0] == 't' ?
	    &t->thanks : &t->button;
	free(*field);
	*field = xstrdup(value);
	return (1);
}

int
conf_survey_key(struct conf *conf, const char *section, const char *name,
    const char *value, int lineno, char **cause)
{
	struct conf_survey	*sv;
	const char		*team = NULL, *why;
	int64_t			 secs;

	if (strncmp(section, "survey", 6) != 0)
		return (-1);
	if (section[6] == ' ' || section[6] == '.') {
		team = section + 7;
		if (*team == '\0' || strlen(team) > 64 ||
		    conf_has_control(team)) {
			*cause = xasprintf("%s:%d: [%s]: a team name is 1 to "
			    "64 bytes", conf->path, lineno, section);
			return (0);
		}
	} else if (section[6] != '\0')
		return (-1);
	if ((sv = conf_survey_section(conf, team, lineno, cause)) == NULL)
		return (0);

	if (strchr(name, '.') != NULL)
		return (conf_survey_text_key(conf, sv, section, name, value,
		    lineno, cause));
	if (strcmp(name, "enabled") == 0) {
		if (conf_parse_bool(value, &sv->enabled) != 0) {
			*cause = xasprintf("%s:%d: [%s] enabled expects yes "
			    "or no", conf->path, lineno, section);
			return (0);
		}
	} else if (strcmp(name, "scale") == 0) {
		if (strcmp(value, "5") == 0)
			sv->scale = 5;
		else if (strcmp(value, "3") == 0)
			sv->scale = 3;
		else if (strcmp(value, "thumbs") == 0)
			sv->scale = CONF_SURVEY_THUMBS;
		else {
			*cause = xasprintf("%s:%d: [%s] scale expects 5 (a "
			    "list of 1 to 5), 3 (three buttons) or thumbs "
			    "(two buttons)", conf->path, lineno, section);
			return (0);
		}
	} else if (strcmp(name, "delay") == 0) {
		if (strspn(value, "0") > 0 && (value[strspn(value, "0")] ==
		    '\0' || strcmp(value + strspn(value, "0"), "s") == 0 ||
		    strcmp(value + strspn(value, "0"), "m") == 0 ||
		    strcmp(value + strspn(value, "0"), "h") == 0))
			secs = 0;
		else if (when_duration(value, &secs, &why) != 0 ||
		    secs > CONF_SURVEY_DELAY_MAX) {
			*cause = xasprintf("%s:%d: [%s] delay expects a "
			    "duration from 0m to 24h (\"10m\", \"2h\")",
			    conf->path, lineno, section);
			return (0);
		}
		sv->delay = secs;
	} else if (strcmp(name, "language") == 0) {
		if (!lang_valid(value)) {
			*cause = xasprintf("%s:%d: [%s] language expects a "
			    "language code such as de or en", conf->path,
			    lineno, section);
			return (0);
		}
		snprintf(sv->language, sizeof sv->language, "%s", value);
	} else
		fprintf(stderr, "warning: %s:%d: unknown key '%s' in [%s]\n",
		    conf->path, lineno, name, section);
	return (1);
}

int
conf_survey_finish(struct conf *conf, char **cause)
{
	struct conf_survey	*sv;
	size_t			 i, j, n;

	for (i = 0; i < conf->nsurveys; i++) {
		sv = &conf->surveys[i];
		for (j = n = 0; j < sv->ntexts; j++) {
			if (sv->texts[j].text != NULL)
				n++;
		}
		if (sv->enabled && n == 0) {
			*cause = xasprintf("%s:%d: [survey%s%s] needs its "
			    "question: text.LANG = ... (text.en = How did we "
			    "do?)", conf->path, sv->line, sv->team != NULL ?
			    " " : "", sv->team != NULL ? sv->team : "");
			return (-1);
		}
		if (sv->enabled && sv->language[0] != '\0' &&
		    (conf_survey_text(sv, sv->language) == NULL ||
		    strcmp(conf_survey_text(sv, sv->language)->lang,
		    sv->language) != 0)) {
			*cause = xasprintf("%s:%d: [survey%s%s] language is "
			    "%s but there is no text.%s", conf->path,
			    sv->line, sv->team != NULL ? " " : "",
			    sv->team != NULL ? sv->team : "", sv->language,
			    sv->language);
			return (-1);
		}
	}
	return (0);
}

void
conf_survey_free(struct conf *conf)
{
	struct conf_survey	*sv;
	size_t			 i, j;

	for (i = 0; i < conf->nsurveys; i++) {
		sv = &conf->surveys[i];
		for (j = 0; j < sv->ntexts; j++) {
			free(sv->texts[j].text);
			free(sv->texts[j].thanks);
			free(sv->texts[j].button);
		}
		free(sv->team);
	}
	free(conf->surveys);
	conf->surveys = NULL;
	conf->nsurveys = 0;
}

const struct conf_survey *
conf_survey_for(const struct conf *conf, const char *team)
{
	const struct conf_survey	*sv, *all = NULL;
	size_t				 i;

	for (i = 0; i < conf->nsurveys; i++) {
		sv = &conf->surveys[i];
		if (sv->team == NULL)
			all = sv;
		else if (team != NULL && strcmp(sv->team, team) == 0)
			return (sv->enabled ? sv : NULL);
	}
	return (all != NULL && all->enabled ? all : NULL);
}

const struct conf_survey_text *
conf_survey_text(const struct conf_survey *sv, const char *lang)
{
	const char	*langs[CONF_SURVEY_LANGS] = { NULL };
	size_t		 i;
	int		 k;

	for (i = 0; i < sv->ntexts && i < CONF_SURVEY_LANGS; i++)
		langs[i] = sv->texts[i].text != NULL ? sv->texts[i].lang :
		    NULL;
	if ((k = lang_pick(langs, i, lang)) >= 0 ||
	    (k = lang_pick(langs, i, sv->language)) >= 0)
		return (&sv->texts[k]);
	for (i = 0; i < sv->ntexts; i++) {
		if (sv->texts[i].text != NULL)
			return (&sv->texts[i]);
	}
	return (NULL);
}

const char *
conf_survey_scale_name(int scale)
{
	if (scale == CONF_SURVEY_THUMBS)
		return ("thumbs");
	return (scale == 3 ? "3" : "5");
}

static int
conf_survey_str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

static int
conf_survey_same(const struct conf_survey *a, const struct conf_survey *b)
{
	size_t	i;

	if (!conf_survey_str_same(a->team, b->team) ||
	    a->enabled != b->enabled || a->scale != b->scale ||
	    a->delay != b->delay || strcmp(a->language, b->language) != 0 ||
	    a->ntexts != b->ntexts)
		return (0);
	for (i = 0; i < a->ntexts; i++) {
		if (strcmp(a->texts[i].lang, b->texts[i].lang) != 0 ||
		    !conf_survey_str_same(a->texts[i].text, b->texts[i].text) ||
		    !conf_survey_str_same(a->texts[i].thanks,
		    b->texts[i].thanks) ||
		    !conf_survey_str_same(a->texts[i].button,
		    b->texts[i].button))
			return (0);
	}
	return (1);
}

int
conf_survey_swap(struct conf *cur, struct conf *next)
{
	struct conf_survey	*sv;
	size_t			 i, n;

	if (cur->nsurveys == next->nsurveys) {
		for (i = 0; i < cur->nsurveys; i++) {
			if (!conf_survey_same(&cur->surveys[i],
			    &next->surveys[i]))
				break;
		}
		if (i == cur->nsurveys)
			return (0);
	}
	sv = cur->surveys;
	n = cur->nsurveys;
	cur->surveys = next->surveys;
	cur->nsurveys = next->nsurveys;
	next->surveys = sv;
	next->nsurveys = n;
	return (1);
}
