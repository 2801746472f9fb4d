/*
 * UTF-8 width and cleaning (src/common/utf8.c): decoding, graphemes,
 * widths, fitting, padding, truncation, the terminal-safe form and width
 * overrides, on any bytes. The first byte picks columns and modes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "utf8.h"
#include "xmalloc.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		 out[UTF8_GRAPHEME_MAX], enc[4], *s, *p, *cause = NULL;
	const char	*in;
	size_t		 off, n, g;
	uint32_t	 cp;
	int		 cols, w, used, ascii;

	if (len < 1)
		return (0);
	cols = data[0] & 0x3f;
	ascii = (data[0] & 0x40) != 0;
	in = (const char *)data + 1;
	len--;

	for (off = 0; off < len; off += n) {
		n = utf8_decode(in + off, len - off, &cp);
		if (n == 0 || n > len - off)
			abort();
		(void)utf8_cp_width(cp);
		if (utf8_encode(cp, enc) > 4)
			abort();
	}
	for (off = 0; off < len; off += g) {
		g = utf8_grapheme(in + off, len - off, &w);
		if (g == 0 || g > len - off)
			abort();
		n = utf8_safe_form(in + off, g, (data[0] & 0x80) ?
		    UTF8_EMOJI_FULL : UTF8_EMOJI_SAFE, out);
		if (n >= UTF8_GRAPHEME_MAX || out[n] != '\0')
			abort();
	}
	(void)utf8_nwidth(in, len);
	n = utf8_fit(in, len, cols, &used);
	if (n > len || used > cols)
		abort();

	s = fuzz_str(data + 1, len);
	(void)utf8_width(s);
	p = utf8_pad(s, cols, ascii);
	free(p);
	p = utf8_trunc(s, cols, ascii);
	free(p);
	if (data[0] & 0x80) {
		if (utf8_set_overrides(s, &cause) != 0)
			free(cause);
		utf8_clear_overrides();
	}
	free(s);
	return (0);
}
