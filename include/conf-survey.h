/*
 * The satisfaction survey's configuration (issue 16): [survey] for every
 * team, [survey TEAM] (or [survey.TEAM]) for one team, which then stands
 * alone (nothing is inherited from [survey]). Parsed by conf.c's handler
 * through conf_survey_key; the daemon's survey.c acts on it.
 */
#ifndef CONF_SURVEY_H
#define CONF_SURVEY_H

#include <stdint.h>

struct conf;

#define CONF_SURVEYS_MAX	64	/* sections */
#define CONF_SURVEY_LANGS	16	/* languages per section */
#define CONF_SURVEY_TEXT_MAX	1024	/* bytes: WhatsApp's body limit */
#define CONF_SURVEY_BUTTON_MAX	20	/* bytes: a list's button label */
#define CONF_SURVEY_DELAY_MAX	(24 * 3600)	/* the window is 24 hours */

/* The scales: 👍/👎 (two reply buttons), 1-3 (three), 1-5 (a list). */
#define CONF_SURVEY_THUMBS	2

struct conf_survey_text {
	char	 lang[16];		/* "de", "en", "pt_BR" */
	char	*text;			/* the question, or NULL */
	char	*thanks;		/* after an answer, or NULL */
	char	*button;		/* the list's button (scale 5), or NULL */
};

struct conf_survey {
	char	*team;			/* NULL: [survey], every team */
	int	 enabled;		/* default yes: the section is the opt-in */
	int	 scale;			/* CONF_SURVEY_THUMBS, 3 or 5 */
	int64_t	 delay;			/* seconds after the resolve */
	char	 language[16];		/* when the contact's has no text */
	struct conf_survey_text texts[CONF_SURVEY_LANGS];
	size_t	 ntexts;
	int	 line;			/* its first key, for messages */
};

/*
 * A key of a [survey] or [survey TEAM] section: -1 if the section is not
 * one, 1 taken, 0 refused with *cause ("FILE:LINE: ...", allocated).
 */
int	conf_survey_key(struct conf *, const char *section, const char *name,
	    const char *value, int lineno, char **cause);
/* After parsing: every enabled survey has its question. 0, or -1. */
int	conf_survey_finish(struct conf *, char **cause);
void	conf_survey_free(struct conf *);
/* The survey of a team (NULL: no team): its own section, else [survey];
 * NULL when there is none or it is disabled. */
const struct conf_survey *conf_survey_for(const struct conf *,
	    const char *team);
/* The texts for a language (NULL: none known): that language, its base
 * ("de" for "de_AT"), the survey's default language, the first given. */
const struct conf_survey_text *conf_survey_text(const struct conf_survey *,
	    const char *lang);
/*
 * A reload: next's surveys become cur's (cur's old ones go to next, freed
 * with it) if they differ. 1 if they did, 0 if they are the same.
 */
int	conf_survey_swap(struct conf *cur, struct conf *next);
/* "thumbs", "3", "5". */
const char *conf_survey_scale_name(int);

#endif
