/*
 * Phone numbers the way people type them: "0151 2345678" with a default
 * country, "+49 (151) 234-5678", "0049 151 ...", "011 44 ..." from North
 * America. One table in src/common/phone.c (why a table and not
 * libphonenumber: doc/phone.md) knows every ITU calling code, and for the
 * common countries the trunk prefix and the lengths a national number may
 * have. The daemon normalises what an agent typed (conv.start), the client
 * shows a number grouped; tests/unit/test_phone.c has the table of inputs.
 * On failure *why is a constant English message that never repeats the
 * digits typed (it may name the country and its calling code).
 */
#ifndef PHONE_H
#define PHONE_H

#include <stddef.h>

#define PHONE_TEXT_MAX	64	/* bytes of typed input */
#define PHONE_E164_MAX	16	/* "+" and at most 15 digits, without NUL */

/*
 * in as typed; default_country (ISO 3166 alpha-2, "DE"; "UK" is read as
 * GB) decides a national number, its trunk prefix (0 in most of Europe, 1
 * in North America) dropped, Italy's leading 0 kept. Numbers starting
 * with "+", "00", or "011" with a North American default are
 * international. 0 and e164 ("+49151..."), or -1 and *why.
 */
int	phone_normalise(const char *in, const char *default_country,
	    char *e164, size_t len, const char **why);
/*
 * e164 grouped for display, "+49 151 2345678". 0, or -1 if e164 is not
 * "+" and digits with a known calling code or out is too small.
 */
int	phone_group(const char *e164, char *out, size_t len);
/* 1 if iso2 is a country the table knows (a default_country), else 0. */
int	phone_country_known(const char *iso2);

#endif
