/*
 * How well a typed filter matches a name or a title, for the pickers and
 * the daemon's quick-switch lookup alike (one ranking everywhere). Both
 * sides are folded first: ASCII case, and Latin letters with accents to
 * their base letter (ä to a, ł to l, ß to ss); any other UTF-8 is
 * compared byte for byte, never cut.
 */
#ifndef MATCH_H
#define MATCH_H

#include <stddef.h>
#include <stdint.h>

#define MATCH_TEXT_MAX	1024	/* bytes of a text looked at */

/* From worst to best; 0 is no match. */
enum match_kind {
	MATCH_NONE = 0,
	MATCH_SUBSEQ,		/* r...o...s...a */
	MATCH_SUBSTR,		/* "osa" in "Rosa" */
	MATCH_WORD,		/* every typed word starts a word */
	MATCH_PREFIX,		/* "ros" of "Rosa Klein" */
	MATCH_PREFIX_WORD,	/* "rosa" of "Rosa Klein": a whole word */
	MATCH_EXACT
};

/*
 * Folds in into out (outsz bytes, NUL-terminated, cut at a character
 * boundary); returns the bytes written.
 */
size_t		 match_fold(const char *in, char *out, size_t outsz);
/* The kind of match of an already folded query in an unfolded text. */
enum match_kind	 match_kind(const char *text, const char *folded_query);
uint32_t	 match_letters(const char *folded);
/* The same with the text folded already (match_fold). */
enum match_kind	 match_kind_folded(const char *folded_text,
		    const char *folded_query);
/*
 * A score over several fields of one item, most important first (a canned
 * reply: shortcut, title, body): the strong kinds (word start and better)
 * rank above the weak ones, and within each the earlier field first, then
 * the better kind. 0 is no match; a greater score ranks first.
 */
int		 match_score(const char *const *fields, size_t n,
		    const char *folded_query);

#endif
