/*
 * A campaign's segment (issue 17): which contacts a campaign is for, as an
 * operator types it. Filters only, all of which must hold (AND):
 *   label:NAME            a conversation of the contact has the label
 *   attr:KEY=VALUE        a contact attribute (store-attribute.c) has VALUE
 *   consent:marketing     implied anyway (the consent gate)
 *   number:LABEL          the contact wrote to / was written from LABEL
 *   lang:CODE             the contact's language (lang_pick's rule)
 *   last-contact<30d      last message within 30 days (h, d, w units;
 *                         at most 10 years)
 *   last-contact>90d      last message longer ago than 90 days
 *   since:YYYY-MM-DD      last message on or after that day (UTC; a day
 *                         that exists, from 1970)
 *   before:YYYY-MM-DD     last message before that day
 *   from: / to:           as search's (to: inclusive)
 * A value may be "quoted" (attr:plan="gold plus"). Parsing is pure and
 * bounded; the daemon evaluates it (campaign.c).
 */
#ifndef CAMPAIGN_SEGMENT_H
#define CAMPAIGN_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#define CAMPAIGN_SEGMENT_MAX	1024	/* bytes of the text */
#define CAMPAIGN_TERMS_MAX	16
#define CAMPAIGN_TERM_KEY_MAX	32
#define CAMPAIGN_TERM_VAL_MAX	200
#define CAMPAIGN_AGE_MAX	(10LL * 366 * 86400)	/* last-contact<AGE */

enum campaign_term_kind {
	CAMPAIGN_T_LABEL,
	CAMPAIGN_T_ATTR,
	CAMPAIGN_T_CONSENT,
	CAMPAIGN_T_NUMBER,
	CAMPAIGN_T_LANG,
	CAMPAIGN_T_WITHIN,	/* last contact at or after now - secs */
	CAMPAIGN_T_OLDER,	/* last contact before now - secs */
	CAMPAIGN_T_SINCE,	/* last contact at or after at */
	CAMPAIGN_T_BEFORE,	/* last contact before at */
};

struct campaign_term {
	enum campaign_term_kind	 kind;
	char			 key[CAMPAIGN_TERM_KEY_MAX + 1]; /* attr name */
	char			 value[CAMPAIGN_TERM_VAL_MAX + 1];
	int64_t			 secs;	/* WITHIN, OLDER */
	int64_t			 at;	/* SINCE, BEFORE: epoch seconds */
};

struct campaign_segment {
	struct campaign_term	 terms[CAMPAIGN_TERMS_MAX];
	size_t			 n;
};

/*
 * Parses text into seg: 0, or -1 with err (never quoting more than the
 * offending key) filled. An empty segment is every contact (the consent
 * gate still applies).
 */
int	 campaign_segment_parse(const char *text, struct campaign_segment *seg,
	    char *err, size_t errlen);

#endif
