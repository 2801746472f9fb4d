/*
 * Event hooks (issue 18): [hook NAME] sections. Each names the events it
 * wants and one target, an HTTPS endpoint (url, signed with the secret
 * from secret_file) or a local program (JSON on standard input). Parsed by
 * conf.c's handler through conf_hook_key; the daemon's hook.c acts on it.
 * doc/integrations.md describes every key.
 */
#ifndef CONF_HOOK_H
#define CONF_HOOK_H

#include <stdint.h>

struct conf;

#define CONF_HOOKS_MAX		32	/* sections */
#define CONF_HOOK_NAME_MAX	32	/* bytes: [A-Za-z0-9_-] */
#define CONF_HOOK_URL_MAX	2048
#define CONF_HOOK_ARGS_MAX	16	/* words of args */
#define CONF_HOOK_CARD_MAX	(32 * 1024)	/* bytes of a card template */
#define CONF_HOOK_DIGEST_MIN	60		/* seconds: digest = 1m */
#define CONF_HOOK_DIGEST_MAX	86400		/* seconds: digest = 24h */

/* The events a hook may ask for (bits of conf_hook.events). */
#define CONF_HOOK_EVENTS \
	X(CONV_NEW, "conversation.new") \
	X(CONV_ASSIGNED, "conversation.assigned") \
	X(CONV_RESOLVED, "conversation.resolved") \
	X(MSG_FAILED, "message.failed") \
	X(SLA_BREACHED, "sla.breached") \
	X(SURVEY_ANSWERED, "survey.answered") \
	X(CAMPAIGN_FINISHED, "campaign.finished") \
	X(CONV_WAITING, "conversation.waiting")

enum conf_hook_event {
#define X(e, s) CONF_HOOK_##e,
	CONF_HOOK_EVENTS
#undef X
	CONF_HOOK_NEVENTS
};

/* What personal data a hook's body may carry, each level adding to the
 * one before. */
enum conf_hook_include {
	CONF_HOOK_IDS,		/* ids, states, team, agent names only */
	CONF_HOOK_MASKED,	/* + the contact's masked number */
	CONF_HOOK_NAMES,	/* + the contact's name */
	CONF_HOOK_TEXT		/* + the message text or preview */
};

enum conf_hook_format { CONF_HOOK_JSON, CONF_HOOK_TEAMS };

struct conf_hook {
	char	 name[CONF_HOOK_NAME_MAX + 1];
	uint32_t events;		/* 1 << enum conf_hook_event */
	char	*url;			/* https:// (http:// on loopback) */
	char	*program;		/* absolute path; or NULL */
	char	*args[CONF_HOOK_ARGS_MAX + 1];	/* NULL-terminated */
	char	*secret_file;
	char	*secret;		/* read from secret_file (daemon) */
	int	 include;		/* enum conf_hook_include */
	int	 format;		/* enum conf_hook_format */
	char	*card_file;
	char	*card;			/* the template's text (teams) */
	uint32_t waiting_minutes;	/* conversation.waiting; 0: none */
	char	*cacert;		/* extra CA bundle, or NULL */
	uint32_t timeout;		/* seconds per attempt */
	uint32_t max_attempts;		/* then dead */
	uint32_t backoff;		/* seconds before the first retry */
	uint32_t backoff_max;		/* the cap */
	uint32_t digest;		/* seconds between requests; 0: off */
	int	 line;			/* the section's first key */
};

/*
 * A key of a [hook NAME] section: -1 if the section is not one, 1 taken,
 * 0 refused with *cause ("FILE:LINE: ...", allocated). dir: the config
 * file's directory, for relative paths.
 */
int	conf_hook_key(struct conf *, const char *dir, const char *section,
	    const char *name, const char *value, int lineno, char **cause);
/*
 * After parsing: every hook has events and exactly one target, a url hook
 * its secret_file, a teams hook its card; with load_secrets the secret and
 * the card are read. 0, or -1 with *cause.
 */
int	conf_hook_finish(struct conf *, int load_secrets, char **cause);
void	conf_hook_free(struct conf *);
/*
 * A reload: next's hooks become cur's (cur's old ones go to next, freed
 * with it) if they differ. 1 if they did, 0 if the same. The sender keeps
 * no pointer into them (it looks a hook up by name for each attempt).
 */
int	conf_hook_swap(struct conf *cur, struct conf *next);
/* "conversation.new" ...; NULL if out of range. */
const char *conf_hook_event_name(int);
/* The event's number, or -1 if the name is unknown. */
int	conf_hook_event_from(const char *);
/* The hook named so, or NULL. */
const struct conf_hook *conf_hook_by_name(const struct conf *,
	    const char *);
/* "ids", "masked", "names", "text". */
const char *conf_hook_include_name(int);

#endif
