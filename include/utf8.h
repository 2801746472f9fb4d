/*
 * Terminal text: the one width function every column computation uses, and
 * helpers that cut and pad text without splitting a grapheme cluster. No
 * curses here, so both programs and the unit tests can use it. Widths rest
 * on the C library's wcwidth (the same table curses uses), corrected for
 * sequences wcwidth cannot see: emoji with VS16, skin-tone modifiers, ZWJ
 * sequences, regional-indicator flags and tag sequences. setlocale must
 * have chosen a UTF-8 locale.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_GRAPHEME_MAX	64	/* bytes of a safe form (see below) */

/*
 * Decodes one code point of s (len > 0 bytes). Returns the bytes used (at
 * least 1); an invalid or truncated sequence gives U+FFFD for one byte.
 */
size_t	utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (4 bytes room); returns the bytes written. */
size_t	utf8_encode(uint32_t cp, char *out);
/*
 * The width of one code point standing alone: 0 for marks, joiners and
 * selectors, 1 for controls (they are shown as '?'), else wcwidth (with
 * overrides), 1 where wcwidth does not know the code point.
 */
int	utf8_cp_width(uint32_t cp);
struct buf;
/*
 * Appends to out a copy of len bytes of s that is safe for a terminal in
 * plain-text output: newline, tab and printable text stay; other C0
 * controls, DEL and C1 controls (escape sequences start with them) become
 * '?', bidi controls are dropped, invalid bytes become U+FFFD. Returns the
 * bytes of s consumed: all of them when final is set, else it may stop
 * before a UTF-8 sequence cut at the end (call again with it in front).
 */
size_t	utf8_clean(const char *s, size_t len, int final, struct buf *out);
/*
 * The grapheme cluster starting at s: returns its length in bytes (0 only
 * if len is 0) and sets *width to its columns.
 */
size_t	utf8_grapheme(const char *s, size_t len, int *width);
/* The width in columns of len bytes of s / of the string s. */
int	utf8_nwidth(const char *s, size_t len);
int	utf8_width(const char *s);
/* Characters (code points) of a UTF-8 string, as WhatsApp counts limits. */
size_t	utf8_chars(const char *s);
/*
 * Whether len bytes of s are UTF-8 text: well-formed (no overlong forms,
 * surrogates or code points past U+10FFFF, as utf8_decode reads them) and
 * without NUL bytes. If not, *bad (may be NULL) gets the offset of the
 * first bad byte. The one check for text that arrives from files and the
 * configuration; jansson refuses the same strings.
 */
bool	utf8_valid(const char *s, size_t len, size_t *bad);
/*
 * How many bytes of s (len bytes) fit in cols columns, never splitting a
 * grapheme; *used (if not NULL) gets the columns they take. Stops before a
 * newline.
 */
size_t	utf8_fit(const char *s, size_t len, int cols, int *used);
/*
 * s cut to at most cols columns (with "…", or "~" if ascii, when cut) and
 * padded with spaces to exactly cols. Returns an allocated string.
 */
char	*utf8_pad(const char *s, int cols, int ascii);
/* Like utf8_pad but without padding: at most cols columns. */
char	*utf8_trunc(const char *s, int cols, int ascii);

enum utf8_emoji {
	UTF8_EMOJI_SAFE,	/* rewrite sequences terminals disagree on */
	UTF8_EMOJI_FULL		/* send sequences as they are */
};
/*
 * The bytes to send to the terminal for one grapheme g (glen bytes) so
 * that it takes exactly the columns utf8_grapheme says, on any terminal
 * whose table matches wcwidth: in safe mode a base emoji without VS16,
 * skin tone or ZWJ tail, padded with a space where needed; a flag as two
 * letters if wcwidth cannot draw it in two columns; controls as '?'.
 * out has UTF8_GRAPHEME_MAX bytes; returns the bytes written (NUL-ended).
 */
size_t	utf8_safe_form(const char *g, size_t glen, enum utf8_emoji mode,
	    char *out);
/*
 * Width overrides, like tmux's codepoint-widths: "U+1F171=2,U+2764=2".
 * Returns 0, or -1 with *cause allocated.
 */
int	utf8_set_overrides(const char *spec, char **cause);
void	utf8_clear_overrides(void);

#endif
