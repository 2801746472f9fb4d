/* Consent keywords in customer messages; see consent.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "autosend.h"
#include "campaign.h"
#include "consent.h"
#include "daemon.h"
#include "log.h"
#include "optin.h"
#include "outbox.h"
#include "store.h"
#include "window.h"

#define CONSENT_WORD_MAX	64

/* Copies text trimmed of white space and a final '.' or '!' into out. */
static int
consent_trim(const char *text, char *out, size_t outsz)
{
	const char	*end;
	size_t		 n;

	while (isspace((unsigned char)*text))
		text++;
	end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	if (end > text && (end[-1] == '.' || end[-1] == '!'))
		end--;
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - text);
	if (n == 0 || n >= outsz)
		return (-1);
	memmove(out, text, n);	/* in == out when trimming in place */
	out[n] = '\0';
	return (0);
}

static int
consent_in_list(const char *list, const char *word)
{
	const char	*p, *q;
	char		 w[CONSENT_WORD_MAX];

	for (p = list; p != NULL && *p != '\0'; p = q) {
		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		if ((size_t)(q - p) < sizeof w) {
			memcpy(w, p, (size_t)(q - p));
			w[q - p] = '\0';
			if (consent_trim(w, w, sizeof w) == 0 &&
			    strcasecmp(w, word) == 0)
				return (1);
		}
		if (*q == ',')
			q++;
	}
	return (0);
}

/*
 * 1 if text is a stop keyword, 2 a start keyword, 0 neither
 * (case-insensitive, surrounding white space and one trailing '.' or '!'
 * ignored). list is the comma-separated configured words.
 */
static int
consent_keyword(const char *stop, const char *start, const char *text)
{
	char	word[CONSENT_WORD_MAX];

	if (text == NULL || consent_trim(text, word, sizeof word) != 0)
		return (0);
	if (consent_in_list(stop, word))
		return (1);
	if (consent_in_list(start, word))
		return (2);
	return (0);
}

/*
 * The confirmation of a stop or start: a text from the daemon, queued in
 * ingest's transaction (with the message and the ledger row, undone with
 * them) while the window the customer's message opened lasts; autosend
 * keeps it from a restricted, erased or blocked contact.
 */
static int
consent_confirm(struct daemon *d, int64_t conv_id, const char *text,
    const char *what)
{
	if (text == NULL)
		return (0);
	return (autosend_text(d, conv_id, text, NULL, what, NULL) < 0 ? -1 :
	    0);
}

int
consent_on_inbound(struct daemon *d, int64_t conv_id, int64_t contact_id,
    int64_t msg_id, const char *text, int64_t ts)
{
	int	k;

	k = consent_keyword(d->conf.stop_keywords, d->conf.start_keywords,
	    text);
	if (k == 0)	/* the click-to-chat opt-in text (issue 17) */
		return (optin_on_inbound(d, conv_id, contact_id, msg_id, text,
		    ts));
	if (store_consent_add(&d->store, contact_id, "marketing", k == 2,
	    "customer_message", msg_id, d->conf.consent_text_version, ts) != 0 ||
	    campaign_track_consent(d, contact_id, ts) != 0)
		return (-1);
	return (consent_confirm(d, conv_id, k == 2 ? d->conf.start_reply :
	    d->conf.stop_reply, k == 2 ? "start_reply" : "stop_reply"));
}
