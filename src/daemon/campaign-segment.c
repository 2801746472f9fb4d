/* The segment language of campaigns; see campaign-segment.h. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign-segment.h"
#include "lang.h"

static int
campaign_segment_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
campaign_segment_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return (-1);
}

/* "30d", "12h", "2w": seconds, or -1. At most 10 years. */
static int64_t
campaign_segment_age(const char *s)
{
	char		*end;
	long long	 v;
	int64_t		 unit;

	if (!isdigit((unsigned char)*s))
		return (-1);
	v = strtoll(s, &end, 10);
	if (end == s || v <= 0 || v > 100000)
		return (-1);
	if (strcmp(end, "h") == 0)
		unit = 3600;
	else if (strcmp(end, "d") == 0)
		unit = 86400;
	else if (strcmp(end, "w") == 0)
		unit = 7 * 86400;
	else
		return (-1);
	if ((int64_t)v * unit > CAMPAIGN_AGE_MAX)
		return (-1);
	return ((int64_t)v * unit);
}

/* YYYY-MM-DD, a day that exists, as the start of that day (UTC), or -1. */
static int64_t
campaign_segment_date(const char *s)
{
	struct tm	tm, back;
	time_t		t;
	int		y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (-1);
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return (-1);
	/* Digits checked above. */
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return (-1);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	/* 2026-02-31 is no day: timegm would make it March 3rd. */
	if (t == (time_t)-1 || gmtime_r(&t, &back) == NULL ||
	    back.tm_mday != d || back.tm_mon != m - 1)
		return (-1);
	return ((int64_t)t);
}

/* A label's or number label's characters (rpc-label.c's set). */
static int
campaign_segment_name(const char *s, size_t max)
{
	size_t	i;

	if (*s == '\0' || strlen(s) > max)
		return (0);
	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("_-./:", s[i]) ==
		    NULL)
			return (0);
	return (1);
}

/* One "key:value" token (value unquoted already). */
static int
campaign_segment_term(const char *key, const char *val,
    struct campaign_term *t, char *err, size_t errlen)
{
	const char	*eq;
	int64_t		 v;

	memset(t, 0, sizeof *t);
	if (strcmp(key, "label") == 0) {
		if (!campaign_segment_name(val, 64))
			return (campaign_segment_err(err, errlen, "label: needs "
			    "a label name (letters, digits, _ - . / :)"));
		t->kind = CAMPAIGN_T_LABEL;
	} else if (strcmp(key, "attr") == 0) {
		if ((eq = strchr(val, '=')) == NULL || eq == val ||
		    (size_t)(eq - val) > CAMPAIGN_TERM_KEY_MAX || eq[1] == '\0')
			return (campaign_segment_err(err, errlen, "attr: needs "
			    "KEY=VALUE (attr:plan=gold)"));
		memcpy(t->key, val, (size_t)(eq - val));
		t->key[eq - val] = '\0';
		val = eq + 1;
		t->kind = CAMPAIGN_T_ATTR;
	} else if (strcmp(key, "consent") == 0) {
		if (strcmp(val, "marketing") != 0)
			return (campaign_segment_err(err, errlen, "consent: "
			    "takes only marketing (campaigns need it anyway)"));
		t->kind = CAMPAIGN_T_CONSENT;
	} else if (strcmp(key, "number") == 0) {
		if (!campaign_segment_name(val, 16))
			return (campaign_segment_err(err, errlen, "number: "
			    "needs a business number's label"));
		t->kind = CAMPAIGN_T_NUMBER;
	} else if (strcmp(key, "lang") == 0) {
		if (!lang_valid(val))
			return (campaign_segment_err(err, errlen, "lang: needs "
			    "a language code (de, en_US)"));
		t->kind = CAMPAIGN_T_LANG;
	} else if (strcmp(key, "since") == 0 || strcmp(key, "from") == 0 ||
	    strcmp(key, "before") == 0 || strcmp(key, "to") == 0) {
		if ((v = campaign_segment_date(val)) < 0)
			return (campaign_segment_err(err, errlen, "%s: needs a "
			    "date YYYY-MM-DD", key));
		t->kind = key[0] == 's' || key[0] == 'f' ? CAMPAIGN_T_SINCE :
		    CAMPAIGN_T_BEFORE;
		t->at = key[0] == 't' ? v + 86400 : v;	/* to: inclusive */
	} else
		return (campaign_segment_err(err, errlen, "unknown filter "
		    "'%.32s:'; use label:, attr:, consent:, number:, lang:, "
		    "last-contact<, last-contact>, since:, before:", key));
	snprintf(t->value, sizeof t->value, "%s", val);
	return (0);
}

int
campaign_segment_parse(const char *text, struct campaign_segment *seg,
    char *err, size_t errlen)
{
	char		 tok[CAMPAIGN_TERM_VAL_MAX + CAMPAIGN_TERM_KEY_MAX + 40];
	char		 key[16];
	const char	*p = text, *colon;
	size_t		 n, klen;
	int64_t		 secs;
	struct campaign_term *t;

	memset(seg, 0, sizeof *seg);
	if (strlen(text) > CAMPAIGN_SEGMENT_MAX)
		return (campaign_segment_err(err, errlen, "a segment has at "
		    "most %d bytes", CAMPAIGN_SEGMENT_MAX));
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return (campaign_segment_err(err, errlen, "a segment "
			    "has no control characters"));
		/* A token: up to a blank outside quotes; quotes dropped. */
		n = 0;
		{
			int	q = 0;

			while (*p != '\0' && (q || (*p != ' ' && *p != '\t'))) {
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					return (campaign_segment_err(err,
					    errlen, "a segment has no control "
					    "characters"));
				if (*p == '"')
					q = !q;
				else if (n + 1 >= sizeof tok)
					return (campaign_segment_err(err,
					    errlen, "a filter is too long"));
				else
					tok[n++] = *p;
				p++;
			}
			if (q)
				return (campaign_segment_err(err, errlen,
				    "a quote is not closed"));
		}
		tok[n] = '\0';
		if (seg->n == CAMPAIGN_TERMS_MAX)
			return (campaign_segment_err(err, errlen, "at most %d "
			    "filters", CAMPAIGN_TERMS_MAX));
		t = &seg->terms[seg->n];
		if (n > 12 && strncmp(tok, "last-contact", 12) == 0 &&
		    (tok[12] == '<' || tok[12] == '>')) {
			if ((secs = campaign_segment_age(tok + 13)) < 0)
				return (campaign_segment_err(err, errlen,
				    "last-contact%c needs an age like 30d, 12h "
				    "or 2w", tok[12]));
			memset(t, 0, sizeof *t);
			t->kind = tok[12] == '<' ? CAMPAIGN_T_WITHIN :
			    CAMPAIGN_T_OLDER;
			t->secs = secs;
			seg->n++;
			continue;
		}
		if ((colon = strchr(tok, ':')) == NULL || colon == tok)
			return (campaign_segment_err(err, errlen, "a segment "
			    "is made of filters (label:NAME, attr:KEY=VALUE, "
			    "...), not words"));
		klen = (size_t)(colon - tok);
		if (klen >= sizeof key)
			return (campaign_segment_err(err, errlen, "unknown "
			    "filter '%.16s...'", tok));
		memcpy(key, tok, klen);
		key[klen] = '\0';
		if (strlen(colon + 1) > CAMPAIGN_TERM_VAL_MAX)
			return (campaign_segment_err(err, errlen, "the value "
			    "of %s: is too long", key));
		if (campaign_segment_term(key, colon + 1, t, err, errlen) != 0)
			return (-1);
		seg->n++;
	}
	return (0);
}
