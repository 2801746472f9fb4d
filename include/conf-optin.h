/*
 * Collecting opt-ins with a click-to-chat link (issue 17): [optin] text is
 * the message a customer sends by opening https://wa.me/NUMBER?text=...,
 * [optin LABEL] text the one for the number of that label; display_number
 * in [graph] and [number LABEL] is the business number's public phone
 * number, which the link names. Parsed by conf.c's handler through
 * conf_optin_key; the daemon's optin.c records an inbound text equal to
 * the number's opt-in text as a marketing opt-in. Nothing here is
 * personal data: the texts and numbers are the business's own.
 */
#ifndef CONF_OPTIN_H
#define CONF_OPTIN_H

#include <stddef.h>

struct conf;

#define CONF_OPTINS_MAX		17	/* [optin] and one per number */
#define CONF_OPTIN_TEXT_MAX	256	/* bytes of an opt-in text */
#define CONF_OPTIN_DIGITS_MAX	16	/* E.164 digits and the NUL */
/* The link: the prefix, the digits and the text, each byte as %XX. */
#define CONF_OPTIN_LINK_MAX	(32 + CONF_OPTIN_DIGITS_MAX + \
	    3 * CONF_OPTIN_TEXT_MAX)
/* The text without [optin] text: "{business}" is [business] name. */
#define CONF_OPTIN_DEFAULT	"START \xe2\x80\x93 yes, I want news from " \
	    "{business}"
#define CONF_OPTIN_DEFAULT_ANON	"START \xe2\x80\x93 yes, I want your news"

struct conf_optin {
	char	*label;			/* NULL: [optin], every number */
	char	*text;			/* as written, "{business}" kept */
	int	 line;
};

struct conf_optin_display {
	char	*label;			/* [number LABEL]'s; NULL: [graph]'s */
	char	 digits[CONF_OPTIN_DIGITS_MAX];	/* "4930123456" */
	int	 line;
};

/*
 * A key of [optin], [optin LABEL] (or [optin.LABEL]), or display_number
 * in [graph] or [number LABEL]: -1 if it is none of these, 1 taken, 0
 * refused with *cause ("FILE:LINE: ...", allocated).
 */
int	conf_optin_key(struct conf *, const char *section, const char *name,
	    const char *value, int lineno, char **cause);
/*
 * After the numbers are parsed: each [optin LABEL] and display_number
 * names a configured number, a text using {business} has [business]
 * name and is at most CONF_OPTIN_TEXT_MAX bytes once it is filled in.
 * 0, or -1 with *cause.
 */
int	conf_optin_finish(struct conf *, char **cause);
void	conf_optin_free(struct conf *);
/* A reload: next's sections become cur's if they differ (1), else 0. */
int	conf_optin_swap(struct conf *cur, struct conf *next);
/* The public number of the number labelled label (digits), or NULL. */
const char *conf_optin_display(const struct conf *, const char *label);
/*
 * The opt-in text of the number labelled label (NULL: none known):
 * [optin LABEL], else [optin], else the default; "{business}" replaced.
 * Allocated.
 */
char	*conf_optin_text(const struct conf *, const char *label);
/*
 * "https://wa.me/DIGITS?text=TEXT", the text's UTF-8 bytes
 * percent-encoded as RFC 3986 says (all but A-Z a-z 0-9 - . _ ~).
 * Allocated.
 */
char	*conf_optin_link(const char *digits, const char *text);
/*
 * A public number as configured ("+49 30 1234567", "4930 1234567",
 * "0049 30 ..."): 0 and its E.164 digits in out, or -1 and *why.
 */
int	conf_optin_digits(const char *value, char *out, size_t len,
	    const char **why);

#endif
