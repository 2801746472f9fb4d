/*
 * Phone numbers as typed, to E.164 (see phone.h; the choice of a table
 * over libphonenumber is in doc/phone.md). Three tables: every ITU
 * calling code (so "+28 ..." is refused as unknown rather than taken as
 * some country's number), the countries whose national numbers we know
 * (trunk prefix, lengths, display groups), and a few ranges where a
 * country's mobile numbers are stricter than its lengths in general (a
 * German mobile number missing two digits is still six digits long).
 * Lengths are those of the national significant number: without the
 * calling code and without the trunk prefix.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "phone.h"
#include "utf8.h"

/* E.164: at most 15 digits with the calling code. */
#define PHONE_DIGITS_MAX	15
/* A calling code has 1 to 3 digits. */
#define PHONE_CC_MAX		3
/* The shortest number a country we do not know in detail may have. */
#define PHONE_NSN_MIN		4

struct phone_country {
	const char	*iso;		/* ISO 3166 alpha-2 */
	const char	*cc;		/* calling code, digits */
	const char	*name;
	unsigned char	 min, max;	/* digits of a national number */
	const char	*trunk;		/* dropped from a national number */
	const char	*group;		/* display group sizes, in order */
	const char	*why_short;
	const char	*why_long;
};

/* The messages are literals, so *why stays valid and holds no input. */
#define PC(iso, cc, name, min, max, trunk, group)			\
	{ iso, cc, name, min, max, trunk, group,			\
	    "too short for " name " (+" cc ")",				\
	    "too long for " name " (+" cc ")" }

/*
 * The first row of a calling code shared by several countries (+1, +7,
 * +44) is the one used for numbers written with that code. Lengths follow
 * the national numbering plans (ITU-T E.164 notifications).
 */
static const struct phone_country phone_countries[] = {
	PC("DE", "49", "Germany", 6, 13, "0", "3"),
	PC("AT", "43", "Austria", 4, 13, "0", "3"),
	PC("CH", "41", "Switzerland", 9, 12, "0", "2322"),
	PC("LI", "423", "Liechtenstein", 7, 9, "", "322"),
	PC("FR", "33", "France", 9, 9, "0", "12222"),
	PC("IT", "39", "Italy", 6, 11, "", "334"),
	PC("SM", "378", "San Marino", 6, 10, "", "4"),
	PC("VA", "379", "Vatican City", 6, 11, "", "4"),
	PC("ES", "34", "Spain", 9, 9, "", "333"),
	PC("PT", "351", "Portugal", 9, 9, "", "333"),
	PC("NL", "31", "the Netherlands", 7, 10, "0", "18"),
	PC("BE", "32", "Belgium", 8, 9, "0", "3222"),
	PC("LU", "352", "Luxembourg", 4, 11, "", "3"),
	PC("GB", "44", "the United Kingdom", 9, 10, "0", "4"),
	PC("IE", "353", "Ireland", 7, 10, "0", "2"),
	PC("DK", "45", "Denmark", 8, 8, "", "2222"),
	PC("SE", "46", "Sweden", 7, 10, "0", "2"),
	PC("NO", "47", "Norway", 8, 8, "", "3221"),
	PC("FI", "358", "Finland", 5, 12, "0", "2"),
	PC("IS", "354", "Iceland", 7, 9, "", "3"),
	PC("PL", "48", "Poland", 9, 9, "", "333"),
	PC("CZ", "420", "Czechia", 9, 9, "", "333"),
	PC("SK", "421", "Slovakia", 9, 9, "0", "333"),
	PC("HU", "36", "Hungary", 8, 9, "06", "2"),
	PC("SI", "386", "Slovenia", 8, 8, "0", "2"),
	PC("HR", "385", "Croatia", 8, 9, "0", "2"),
	PC("RO", "40", "Romania", 9, 9, "0", "3"),
	PC("BG", "359", "Bulgaria", 7, 9, "0", "2"),
	PC("GR", "30", "Greece", 10, 10, "", "3"),
	PC("CY", "357", "Cyprus", 8, 8, "", "2"),
	PC("MT", "356", "Malta", 8, 8, "", "4"),
	PC("EE", "372", "Estonia", 7, 8, "", "4"),
	PC("LV", "371", "Latvia", 8, 8, "", "4"),
	PC("LT", "370", "Lithuania", 8, 8, "8", "3"),
	PC("US", "1", "North America", 10, 10, "1", "33"),
	PC("CA", "1", "North America", 10, 10, "1", "33"),
	PC("PR", "1", "North America", 10, 10, "1", "33"),
	PC("DO", "1", "North America", 10, 10, "1", "33"),
	PC("JM", "1", "North America", 10, 10, "1", "33"),
	PC("TR", "90", "Turkey", 10, 10, "0", "3322"),
	PC("IN", "91", "India", 10, 10, "0", "5"),
	PC("BR", "55", "Brazil", 10, 11, "0", "2"),
	PC("MX", "52", "Mexico", 10, 10, "", "244"),
	PC("AR", "54", "Argentina", 10, 11, "0", "2"),
	PC("CO", "57", "Colombia", 10, 10, "", "3"),
	PC("CL", "56", "Chile", 9, 9, "", "14"),
	PC("PE", "51", "Peru", 8, 9, "0", "3"),
	PC("RU", "7", "Russia", 10, 10, "8", "3322"),
	PC("KZ", "7", "Kazakhstan", 10, 10, "8", "3322"),
	PC("UA", "380", "Ukraine", 9, 9, "0", "2"),
	PC("RS", "381", "Serbia", 6, 12, "0", "2"),
	PC("IL", "972", "Israel", 8, 9, "0", "2"),
	PC("AE", "971", "the United Arab Emirates", 8, 9, "0", "2"),
	PC("SA", "966", "Saudi Arabia", 9, 9, "0", "2"),
	PC("EG", "20", "Egypt", 9, 10, "0", "3"),
	PC("MA", "212", "Morocco", 9, 9, "0", "3"),
	PC("NG", "234", "Nigeria", 8, 10, "0", "3"),
	PC("ZA", "27", "South Africa", 9, 9, "0", "2"),
	PC("KE", "254", "Kenya", 9, 9, "0", "3"),
	PC("PK", "92", "Pakistan", 9, 10, "0", "3"),
	PC("BD", "880", "Bangladesh", 10, 10, "0", "4"),
	PC("ID", "62", "Indonesia", 8, 12, "0", "3"),
	PC("PH", "63", "the Philippines", 10, 10, "0", "3"),
	PC("VN", "84", "Vietnam", 9, 10, "0", "2"),
	PC("TH", "66", "Thailand", 8, 9, "0", "2"),
	PC("MY", "60", "Malaysia", 8, 10, "0", "2"),
	PC("SG", "65", "Singapore", 8, 8, "", "4"),
	PC("CN", "86", "China", 7, 12, "0", "3"),
	PC("JP", "81", "Japan", 9, 10, "0", "2"),
	PC("KR", "82", "South Korea", 8, 10, "0", "2"),
	PC("AU", "61", "Australia", 9, 9, "0", "1"),
	PC("NZ", "64", "New Zealand", 8, 10, "0", "2"),
};
#define PHONE_NCOUNTRIES \
	(sizeof phone_countries / sizeof phone_countries[0])

/* Ranges stricter than their country: mobile numbers have one length. */
struct phone_range {
	const char	*cc;
	const char	*prefix;	/* of the national number */
	unsigned char	 min, max;
	const char	*why_short;
	const char	*why_long;
};

#define PR(cc, prefix, name, min, max)					\
	{ cc, prefix, min, max,						\
	    "too short for a mobile number in " name " (+" cc ")",	\
	    "too long for a mobile number in " name " (+" cc ")" }

static const struct phone_range phone_ranges[] = {
	PR("49", "15", "Germany", 10, 11),
	PR("49", "16", "Germany", 10, 11),
	PR("49", "17", "Germany", 10, 11),
	PR("43", "6", "Austria", 10, 13),
	PR("41", "7", "Switzerland", 9, 9),
	PR("33", "6", "France", 9, 9),
	PR("33", "7", "France", 9, 9),
	PR("39", "3", "Italy", 9, 10),
	PR("31", "6", "the Netherlands", 9, 9),
	PR("44", "7", "the United Kingdom", 10, 10),
	PR("48", "5", "Poland", 9, 9),
	PR("90", "5", "Turkey", 10, 10),
};
#define PHONE_NRANGES	(sizeof phone_ranges / sizeof phone_ranges[0])

/*
 * Display groups that differ from the country's: big cities' short area
 * codes.
 */
struct phone_group_rule {
	const char	*cc;
	const char	*prefix;
	const char	*group;
};

static const struct phone_group_rule phone_group_rules[] = {
	{ "49", "30", "2" },	{ "49", "40", "2" },	{ "49", "69", "2" },
	{ "49", "89", "2" },	{ "43", "1", "1" },	{ "44", "20", "244" },
	{ "39", "0", "2" },	{ "31", "20", "2" },	{ "55", "", "254" },
};
#define PHONE_NGROUP_RULES \
	(sizeof phone_group_rules / sizeof phone_group_rules[0])

/*
 * Every calling code the ITU has assigned (country codes and the global
 * services: 800, 808, 870, 878, 881-883, 888, 979). The set is prefix
 * free: no code begins another.
 */
static const char *const phone_codes[] = {
	"1", "7",
	"20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41",
	"43", "44", "45", "46", "47", "48", "49", "51", "52", "53", "54",
	"55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
	"81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
	"211", "212", "213", "216", "218",
	"220", "221", "222", "223", "224", "225", "226", "227", "228", "229",
	"230", "231", "232", "233", "234", "235", "236", "237", "238", "239",
	"240", "241", "242", "243", "244", "245", "246", "247", "248", "249",
	"250", "251", "252", "253", "254", "255", "256", "257", "258",
	"260", "261", "262", "263", "264", "265", "266", "267", "268", "269",
	"290", "291", "297", "298", "299",
	"350", "351", "352", "353", "354", "355", "356", "357", "358", "359",
	"370", "371", "372", "373", "374", "375", "376", "377", "378", "379",
	"380", "381", "382", "383", "385", "386", "387", "389",
	"420", "421", "423",
	"500", "501", "502", "503", "504", "505", "506", "507", "508", "509",
	"590", "591", "592", "593", "594", "595", "596", "597", "598", "599",
	"670", "672", "673", "674", "675", "676", "677", "678", "679",
	"680", "681", "682", "683", "685", "686", "687", "688", "689",
	"690", "691", "692",
	"800", "808", "850", "852", "853", "855", "856", "870", "878",
	"880", "881", "882", "883", "886", "888",
	"960", "961", "962", "963", "964", "965", "966", "967", "968",
	"970", "971", "972", "973", "974", "975", "976", "977", "979",
	"992", "993", "994", "995", "996", "998",
};
#define PHONE_NCODES	(sizeof phone_codes / sizeof phone_codes[0])

static int
phone_prefix(const char *s, const char *prefix)
{
	return (strncmp(s, prefix, strlen(prefix)) == 0);
}

/* The calling code digits begins with, or NULL. */
static const char *
phone_code(const char *digits)
{
	size_t	i, n;

	for (i = 0; i < PHONE_NCODES; i++) {
		n = strlen(phone_codes[i]);
		if (strncmp(digits, phone_codes[i], n) == 0)
			return (phone_codes[i]);
	}
	return (NULL);
}

static const struct phone_country *
phone_by_iso(const char *iso)
{
	char	up[3];
	size_t	i;

	if (iso == NULL || strlen(iso) != 2)
		return (NULL);
	up[0] = (char)toupper((unsigned char)iso[0]);
	up[1] = (char)toupper((unsigned char)iso[1]);
	up[2] = '\0';
	if (strcmp(up, "UK") == 0)
		memcpy(up, "GB", 3);
	for (i = 0; i < PHONE_NCOUNTRIES; i++)
		if (strcmp(phone_countries[i].iso, up) == 0)
			return (&phone_countries[i]);
	return (NULL);
}

static const struct phone_country *
phone_by_cc(const char *cc)
{
	size_t	i;

	for (i = 0; i < PHONE_NCOUNTRIES; i++)
		if (strcmp(phone_countries[i].cc, cc) == 0)
			return (&phone_countries[i]);
	return (NULL);
}

int
phone_country_known(const char *iso2)
{
	return (phone_by_iso(iso2) != NULL);
}

/*
 * Separators people put between digits: ASCII space, tab, - . / ( ), and
 * the Unicode spaces and dashes that word processors and phones insert.
 */
static int
phone_separator(uint32_t cp)
{
	switch (cp) {
	case ' ': case '\t': case '-': case '.': case '/': case '(': case ')':
	case 0x00a0:		/* no-break space */
	case 0x2007: case 0x2009: case 0x200a: case 0x202f: /* thin spaces */
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2212:		/* minus sign */
		return (1);
	}
	return (0);
}

/*
 * The digits of in into digits (PHONE_DIGITS_MAX + 4 bytes: room for an
 * international prefix), *plus set if it began with "+".
 */
static int
phone_digits(const char *in, char *digits, size_t dlen, int *plus,
    const char **why)
{
	size_t		len, off, n, nd = 0;
	uint32_t	cp;

	*plus = 0;
	len = strlen(in);
	for (off = 0; off < len; off += n) {
		n = utf8_decode(in + off, len - off, &cp);
		if (cp >= '0' && cp <= '9') {
			if (nd + 1 >= dlen) {
				*why = "too many digits for a phone number "
				    "(at most 15 with the country code)";
				return (-1);
			}
			digits[nd++] = (char)cp;
		} else if (cp == '+') {
			if (nd != 0 || *plus) {
				*why = "a '+' may only start a phone number";
				return (-1);
			}
			*plus = 1;
		} else if (cp < 0x80 && isalpha((int)cp)) {
			*why = "letters in a phone number";
			return (-1);
		} else if (!phone_separator(cp)) {
			*why = "a phone number has digits, spaces, + - . / "
			    "( ) only";
			return (-1);
		}
	}
	digits[nd] = '\0';
	if (nd == 0) {
		*why = "no digits in the phone number";
		return (-1);
	}
	return (0);
}

/* nsn checked against its country's lengths; c may be NULL (unknown). */
static int
phone_check(const char *cc, const struct phone_country *c, const char *nsn,
    const char **why)
{
	size_t	i, n = strlen(nsn);

	if (c == NULL) {
		if (n < PHONE_NSN_MIN) {
			*why = "too short for a phone number";
			return (-1);
		}
		if (n + strlen(cc) > PHONE_DIGITS_MAX) {
			*why = "too long for a phone number (at most 15 "
			    "digits with the country code)";
			return (-1);
		}
		return (0);
	}
	if (n < c->min) {
		*why = c->why_short;
		return (-1);
	}
	if (n > c->max || n + strlen(cc) > PHONE_DIGITS_MAX) {
		*why = c->why_long;
		return (-1);
	}
	for (i = 0; i < PHONE_NRANGES; i++) {
		if (strcmp(phone_ranges[i].cc, cc) != 0 ||
		    !phone_prefix(nsn, phone_ranges[i].prefix))
			continue;
		if (n < phone_ranges[i].min) {
			*why = phone_ranges[i].why_short;
			return (-1);
		}
		if (n > phone_ranges[i].max) {
			*why = phone_ranges[i].why_long;
			return (-1);
		}
	}
	/* North America: area code and exchange start with 2 to 9. */
	if (strcmp(cc, "1") == 0 && (nsn[0] < '2' || nsn[3] < '2')) {
		*why = "not a North American number (its area code and "
		    "exchange start with 2 to 9)";
		return (-1);
	}
	return (0);
}

int
phone_normalise(const char *in, const char *default_country, char *e164,
    size_t len, const char **why)
{
	const struct phone_country	*c;
	const char			*cc, *nsn;
	char				 digits[PHONE_DIGITS_MAX + 5];
	int				 plus, intl;

	if (in == NULL || *in == '\0') {
		*why = "no phone number given";
		return (-1);
	}
	if (strlen(in) > PHONE_TEXT_MAX) {
		*why = "too long for a phone number (at most 64 characters)";
		return (-1);
	}
	if (phone_digits(in, digits, sizeof digits, &plus, why) != 0)
		return (-1);

	c = phone_by_iso(default_country);
	intl = plus;
	nsn = digits;
	if (!plus && strncmp(digits, "00", 2) == 0) {
		intl = 1;
		nsn = digits + 2;
	} else if (!plus && c != NULL && strcmp(c->cc, "1") == 0 &&
	    strncmp(digits, "011", 3) == 0) {
		intl = 1;
		nsn = digits + 3;
	}

	if (intl) {
		if ((cc = phone_code(nsn)) == NULL) {
			*why = "unknown country calling code";
			return (-1);
		}
		nsn += strlen(cc);
		c = phone_by_cc(cc);
		/* "+49 (0)151 ...": the trunk 0 some write anyway. */
		if (c != NULL && strcmp(c->trunk, "0") == 0 && *nsn == '0')
			nsn++;
	} else {
		if (default_country == NULL || *default_country == '\0') {
			*why = "a number without a country code needs a "
			    "default country: start it with + and the code";
			return (-1);
		}
		if (c == NULL) {
			*why = "unknown default country";
			return (-1);
		}
		cc = c->cc;
		if (*c->trunk != '\0' && phone_prefix(nsn, c->trunk))
			nsn += strlen(c->trunk);
	}
	if (phone_check(cc, c, nsn, why) != 0)
		return (-1);
	if (1 + strlen(cc) + strlen(nsn) + 1 > len) {
		*why = "no room for the phone number";
		return (-1);
	}
	e164[0] = '+';
	memcpy(e164 + 1, cc, strlen(cc));
	memcpy(e164 + 1 + strlen(cc), nsn, strlen(nsn) + 1);
	return (0);
}

int
phone_group(const char *e164, char *out, size_t len)
{
	const struct phone_country	*c;
	const char			*cc, *nsn, *g = "";
	size_t				 i, n, o = 0, take;

	if (e164 == NULL || e164[0] != '+' || e164[1] == '\0' ||
	    strlen(e164) > PHONE_E164_MAX)
		return (-1);
	for (i = 1; e164[i] != '\0'; i++)
		if (e164[i] < '0' || e164[i] > '9')
			return (-1);
	if ((cc = phone_code(e164 + 1)) == NULL)
		return (-1);
	nsn = e164 + 1 + strlen(cc);
	if ((c = phone_by_cc(cc)) != NULL)
		g = c->group;
	for (i = 0; i < PHONE_NGROUP_RULES; i++)
		if (strcmp(phone_group_rules[i].cc, cc) == 0 &&
		    phone_prefix(nsn, phone_group_rules[i].prefix)) {
			g = phone_group_rules[i].group;
			break;
		}

	/* "+" cc, then each group after a space; the rest is one group. */
	if (len < 2 + strlen(cc) + 1)
		return (-1);
	out[o++] = '+';
	memcpy(out + o, cc, strlen(cc));
	o += strlen(cc);
	n = strlen(nsn);
	while (n > 0) {
		take = (*g != '\0') ? (size_t)(*g++ - '0') : n;
		if (take > n)
			take = n;
		if (o + 1 + take + 1 > len)
			return (-1);
		out[o++] = ' ';
		memcpy(out + o, nsn, take);
		o += take;
		nsn += take;
		n -= take;
	}
	out[o] = '\0';
	return (0);
}
