/*
 * The ranking of the pickers (include/match.h). Pure: no allocation, no
 * locale, so the client and the daemon rank alike and the unit test sees
 * exactly what they do. Case folds for ASCII, Latin, Greek and Cyrillic
 * capitals; other scripts compare exactly.
 */
#include <stdint.h>
#include <string.h>

#include "match.h"

/*
 * Base letters of U+00C0..U+017F ('\0': kept as it is). Enough for the
 * names a European support team meets; the rest compares exactly.
 */
static const char match_latin[] =
	"aaaaaaaceeeeiiii"	/* U+00C0 */
	"dnooooo\0ouuuuy\0\0"	/* U+00D0; ß is "ss" */
	"aaaaaaaceeeeiiii"	/* U+00E0 */
	"dnooooo\0ouuuuy\0y"	/* U+00F0 */
	"aaaaaaccccccccdd"	/* U+0100 */
	"ddeeeeeeeeeegggg"	/* U+0110 */
	"gggghhhhiiiiiiii"	/* U+0120 */
	"iiiijjkkklllllll"	/* U+0130 */
	"lllnnnnnnnnnoooo"	/* U+0140 */
	"oooorrrrrrssssss"	/* U+0150 */
	"ssttttttuuuuuuuu"	/* U+0160 */
	"uuuuwwyyyzzzzzzs";	/* U+0170 */

size_t
match_fold(const char *in, char *out, size_t outsz)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 o = 0, n;
	uint32_t		 cp;
	char			 c;

	if (outsz == 0)
		return (0);
	while (*p != '\0') {
		if (*p < 0x80) {
			if (o + 1 >= outsz)
				break;
			c = (char)*p++;
			out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' +
			    'a') : c;
			continue;
		}
		/* A two-byte sequence in the Latin range folds. */
		if ((p[0] == 0xc3 || p[0] == 0xc4 || p[0] == 0xc5) &&
		    (p[1] & 0xc0) == 0x80) {
			cp = ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
			if (cp == 0xdf) {
				if (o + 2 >= outsz)
					break;
				out[o++] = 's';
				out[o++] = 's';
				p += 2;
				continue;
			}
			if (cp >= 0xc0 && cp <= 0x17f &&
			    (c = match_latin[cp - 0xc0]) != '\0') {
				if (o + 1 >= outsz)
					break;
				out[o++] = c;
				p += 2;
				continue;
			}
		}
		/* Cyrillic and Greek capitals: their small letters. */
		if (p[0] >= 0xce && p[0] <= 0xd0 && (p[1] & 0xc0) == 0x80) {
			cp = ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
			if (cp >= 0x410 && cp <= 0x42f)
				cp += 0x20;
			else if (cp >= 0x400 && cp <= 0x40f)
				cp += 0x50;
			else if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2)
				cp += 0x20;
			if (o + 2 >= outsz)
				break;
			out[o++] = (char)(0xc0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3f));
			p += 2;
			continue;
		}
		/* Anything else: the whole sequence, as it is, or nothing. */
		n = 1;
		while (p[n] != '\0' && (p[n] & 0xc0) == 0x80 && n < 4)
			n++;
		if (o + n >= outsz)
			break;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
	return (o);
}

/* Letters and digits make words; any other ASCII separates them. */
static int
match_is_word(char c)
{
	unsigned char	u = (unsigned char)c;

	return (u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' &&
	    u <= 'z'));
}

static int
match_word_start(const char *t, const char *at)
{
	return (at == t || !match_is_word(at[-1]));
}

/* Does every word of q start some word of t (any order)? */
static int
match_words(const char *t, const char *q)
{
	const char	*w, *p;
	size_t		 len;
	int		 found;

	for (w = q; *w != '\0';) {
		while (*w != '\0' && !match_is_word(*w))
			w++;
		if (*w == '\0')
			break;
		len = 0;
		while (w[len] != '\0' && match_is_word(w[len]))
			len++;
		found = 0;
		for (p = t; *p != '\0'; p++) {
			if (*p == *w && match_word_start(t, p) &&
			    strncmp(p, w, len) == 0) {
				found = 1;
				break;
			}
		}
		if (!found)
			return (0);
		w += len;
	}
	return (1);
}

/* Every character of q in t, in order. */
static int
match_subseq(const char *t, const char *q)
{
	for (; *q != '\0'; q++) {
		while (*t != '\0' && *t != *q)
			t++;
		if (*t == '\0')
			return (0);
		t++;
	}
	return (1);
}

enum match_kind
match_kind(const char *text, const char *q)
{
	char	t[MATCH_TEXT_MAX];

	if (*q == '\0')
		return (MATCH_SUBSEQ);	/* everything, in its own order */
	match_fold(text, t, sizeof t);
	return (match_kind_folded(t, q));
}

/*
 * One letter typed (the first key of every quick switch, against every
 * name): the kinds of match_kind_folded in one pass. It starts the text,
 * or a word, or is only inside one; never a subsequence without being a
 * substring.
 */
static enum match_kind
match_kind_letter(const char *t, char c)
{
	const char	*p;
	int		 found = 0;

	if (*t == c) {
		if (t[1] == '\0')
			return (MATCH_EXACT);
		return (match_is_word(t[1]) ? MATCH_PREFIX :
		    MATCH_PREFIX_WORD);
	}
	for (p = t; *p != '\0'; p++) {
		if (*p != c)
			continue;
		if (p > t && !match_is_word(p[-1]))
			return (MATCH_WORD);
		found = 1;
	}
	return (found ? MATCH_SUBSTR : MATCH_NONE);
}

/*
 * The letters a folded text has, as bits (a-z, any digit, any non-ASCII
 * byte): every kind of match needs each of the query's in the text, so
 * a text whose bits do not cover the query's is no match, found with
 * one AND (the quick switch over 100,000 names).
 */
uint32_t
match_letters(const char *t)
{
	uint32_t	m = 0;
	unsigned char	u;

	for (; *t != '\0'; t++) {
		u = (unsigned char)*t;
		if (u >= 'a' && u <= 'z')
			m |= 1u << (u - 'a');
		else if (u >= '0' && u <= '9')
			m |= 1u << 26;
		else if (u >= 0x80)
			m |= 1u << 27;
	}
	return (m);
}

enum match_kind
match_kind_folded(const char *t, const char *q)
{
	const char	*p;
	size_t		 qlen = strlen(q);
	int		 found;

	if (qlen == 0)
		return (MATCH_SUBSEQ);
	if (qlen == 1 && match_is_word(*q))
		return (match_kind_letter(t, *q));
	/*
	 * Most texts do not match at all: every kind but words in another
	 * order needs the letters in order, the cheapest test, so a query
	 * of one word fails here at once.
	 */
	if (!match_subseq(t, q)) {
		for (p = q; *p != '\0' && match_is_word(*p); p++)
			;
		if (*p == '\0')
			return (MATCH_NONE);	/* one word */
		return (match_words(t, q) ? MATCH_WORD : MATCH_NONE);
	}
	if (strncmp(t, q, qlen) == 0) {
		if (t[qlen] == '\0')
			return (MATCH_EXACT);
		return (match_is_word(t[qlen]) ? MATCH_PREFIX :
		    MATCH_PREFIX_WORD);
	}
	if ((p = strstr(t, q)) == NULL)
		found = 0;
	else {
		for (found = 1; p != NULL; p = strstr(p + 1, q)) {
			if (match_word_start(t, p))
				return (MATCH_WORD);
		}
	}
	/*
	 * A query of one word that starts no word of t where it occurs
	 * starts none at all: match_words would only say so again (and the
	 * quick switch asks this of 100,000 names per key).
	 */
	for (p = q; *p != '\0' && match_is_word(*p); p++)
		;
	if (*p != '\0' && match_words(t, q))
		return (MATCH_WORD);
	return (found ? MATCH_SUBSTR : MATCH_SUBSEQ);
}

int
match_score(const char *const *fields, size_t n, const char *q)
{
	enum match_kind	 k;
	size_t		 i;
	int		 best = 0, sc, weight;

	for (i = 0; i < n && i < 16; i++) {
		if (fields[i] == NULL)
			continue;
		if ((k = match_kind(fields[i], q)) == MATCH_NONE)
			continue;
		weight = (int)(16 - i);
		sc = weight * 8 + (int)k;
		if (k >= MATCH_WORD)
			sc += 1000;
		if (sc > best)
			best = sc;
	}
	return (best);
}
