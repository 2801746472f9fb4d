/* Opt-ins from a click-to-chat link; see optin.h. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "autosend.h"
#include "conf.h"
#include "daemon.h"
#include "log.h"
#include "optin.h"
#include "store.h"

/* White space as the C locale has it, whatever the daemon's locale. */
static int
optin_space(unsigned char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f');
}

static unsigned char
optin_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c);
}

/* s trimmed: *len bytes from the returned pointer. */
static const char *
optin_trim(const char *s, size_t *len)
{
	size_t	n;

	while (optin_space((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && optin_space((unsigned char)s[n - 1]))
		n--;
	*len = n;
	return (s);
}

int
optin_matches(const char *want, const char *text)
{
	const char	*a, *b;
	size_t		 alen, blen, i;

	if (want == NULL || text == NULL)
		return (0);
	a = optin_trim(want, &alen);
	b = optin_trim(text, &blen);
	if (alen == 0 || alen != blen)
		return (0);
	for (i = 0; i < alen; i++) {
		if (optin_lower((unsigned char)a[i]) !=
		    optin_lower((unsigned char)b[i]))
			return (0);
	}
	return (1);
}

void
optin_version(const char *text, char out[OPTIN_VERSION_LEN])
{
	unsigned char	h[crypto_hash_sha256_BYTES];
	const char	*t;
	size_t		 len;

	t = optin_trim(text, &len);
	crypto_hash_sha256(h, (const unsigned char *)t, len);
	memcpy(out, "optin:", 6);
	sodium_bin2hex(out + 6, OPTIN_VERSION_LEN - 6, h, 8);
}

int
optin_on_inbound(struct daemon *d, int64_t conv_id, int64_t contact_id,
    int64_t msg_id, const char *text, int64_t ts)
{
	const struct conf_number	*n;
	char				 id[STORE_NUMBER_ID_MAX];
	char				 version[OPTIN_VERSION_LEN], *want;
	int				 match;

	if (text == NULL || strlen(text) > 4 * CONF_OPTIN_TEXT_MAX)
		return (0);
	if (store_number_of_conv(&d->store, conv_id, id, sizeof id) != 0)
		return (-1);
	n = conf_number_by_id(&d->conf, id);
	want = conf_optin_text(&d->conf, n != NULL ? n->label : NULL);
	if ((match = optin_matches(want, text)))
		optin_version(want, version);
	free(want);
	if (!match)
		return (0);
	if (store_consent_add(&d->store, contact_id, "marketing", 1,
	    "click_to_chat", msg_id, version, ts) != 0)
		return (-1);
	log_info("optin: conversation %lld: marketing opt-in from the "
	    "click-to-chat text (%s)", (long long)conv_id, version);
	/* The confirmation START gets, once: this is no START keyword. */
	if (d->conf.start_reply == NULL)
		return (0);
	return (autosend_text(d, conv_id, d->conf.start_reply, NULL,
	    "start_reply", NULL) < 0 ? -1 : 0);
}
