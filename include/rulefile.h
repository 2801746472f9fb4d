/*
 * The rule file (doc/rules.md): rules (a trigger, conditions, actions) and
 * macros (a named list of actions), in a line-oriented text an operator
 * keeps in git. Parsed by the daemon at start and on reload and by the
 * client's "rule check FILE", so both refuse the same files with the same
 * words. Pure: no store, no daemon; what a rule does at run time is
 * rules.c's and action.c's.
 */
#ifndef RULEFILE_H
#define RULEFILE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define RF_RULES_MAX	256	/* rules in a file */
#define RF_MACROS_MAX	128	/* macros in a file */
#define RF_LINE_MAX	1024	/* bytes in a line */
#define RF_FILE_MAX	(1024 * 1024)	/* bytes in a file */
#define RF_ARGS_MAX	32	/* words of one condition or action */
#define RF_CONDS_MAX	16	/* conditions of a rule */
#define RF_ACTIONS_MAX	16	/* actions of a rule or macro */
#define RF_NAME_MAX	64	/* bytes of a rule's or macro's name */
#define RF_WORD_MAX	128	/* bytes of one word or argument */
#define RF_ERRORS_MAX	50	/* errors reported for one file */
#define RF_MINUTES_MAX	(7 * 24 * 60)	/* a timer's longest wait */

enum rf_trigger {
	RF_WHEN_MESSAGE,	/* a customer's message received */
	RF_WHEN_CREATED,	/* ... that opened a new conversation */
	RF_WHEN_LABEL,		/* a label put on a conversation */
	RF_WHEN_NO_REPLY,	/* no agent reply for N minutes */
	RF_WHEN_WINDOW,		/* the 24-hour window closes in N minutes */
	RF_WHEN_SLA,		/* a service-level clock breached (issue 19) */
};

enum rf_cond_kind {
	RF_IF_WORDS,		/* any of the words in the message */
	RF_IF_LANG,		/* the contact's language, any of */
	RF_IF_NUMBER,		/* the business number's label, any of */
	RF_IF_TEAM,		/* the conversation's team ("none"), any of */
	RF_IF_LABEL,		/* the conversation has any of the labels */
	RF_IF_ATTRIBUTE,	/* a contact attribute equals a value */
	RF_IF_HOURS,		/* the team's business hours: open/closed */
};

enum rf_action_kind {
	RF_DO_TEAM,
	RF_DO_ASSIGN,
	RF_DO_LABEL,
	RF_DO_PRIORITY,
	RF_DO_SNOOZE,
	RF_DO_REPLY,
	RF_DO_NOTIFY,		/* rules only */
	RF_DO_RESOLVE,		/* macros only */
};

struct rf_cond {
	enum rf_cond_kind	 kind;
	int			 negate;	/* "unless" */
	char			*args[RF_ARGS_MAX];
	size_t			 nargs;
	int			 line;
};

struct rf_action {
	enum rf_action_kind	 kind;
	char			*args[RF_ARGS_MAX];
	size_t			 nargs;
	int			 line;
};

struct rf_rule {
	char			*name;
	int			 line;
	enum rf_trigger		 trigger;
	char			*trigger_label;	/* RF_WHEN_LABEL: NULL any;
						 * RF_WHEN_SLA: the kind */
	int64_t			 minutes;	/* the timers' N */
	struct rf_cond		 conds[RF_CONDS_MAX];
	size_t			 nconds;
	struct rf_action	 actions[RF_ACTIONS_MAX];
	size_t			 nactions;
};

struct rf_macro {
	char			*name;
	int			 line;
	struct rf_action	 actions[RF_ACTIONS_MAX];
	size_t			 nactions;
};

struct rulefile {
	char			*path;
	struct rf_rule		*rules;
	size_t			 nrules;
	struct rf_macro		*macros;
	size_t			 nmacros;
};

/*
 * Reads path. 0 and *rf (rulefile_free it), or -1 and *errors, an array of
 * "FILE:LINE: what is wrong; what to write instead" strings (at most
 * RF_ERRORS_MAX; the caller decrefs).
 */
int		 rulefile_load(const char *path, struct rulefile **rf,
		    json_t **errors);
/* The same for text already read (len bytes); path names it. */
int		 rulefile_parse(const char *path, const char *text, size_t len,
		    struct rulefile **rf, json_t **errors);
void		 rulefile_free(struct rulefile *);

const char	*rulefile_trigger_name(enum rf_trigger);
const char	*rulefile_cond_name(enum rf_cond_kind);
const char	*rulefile_action_name(enum rf_action_kind);
/* "when no-reply 30", "if words refund ...": the line as a rule says it. */
char		*rulefile_trigger_text(const struct rf_rule *);
char		*rulefile_cond_text(const struct rf_cond *);
char		*rulefile_action_text(const struct rf_action *);
/*
 * Whether the message text holds one of the words (or phrases) as whole
 * words: case and accents folded (match.h: "Rückerstattung" is
 * "ruckerstattung"), a word boundary on either side (anything but a
 * letter or digit; any non-ASCII character counts as a letter). The
 * word found, or NULL.
 */
const char	*rulefile_words_match(const char *text, char *const *words,
		    size_t nwords);

#endif
