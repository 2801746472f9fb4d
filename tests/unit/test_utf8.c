/* utf8.c: the one width function and the cutters that never split a
 * grapheme. Widths must not depend on anything but wcwidth and the rules. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "utf8.h"

static int
setup(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return (-1);
	return (0);
}

static void
width_ascii_umlauts_cjk(void **state)
{
	(void)state;
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("Grüße"), 5);
	assert_int_equal(utf8_width("中文"), 4);
	assert_int_equal(utf8_width("注文 33268"), 10);
	assert_int_equal(utf8_width(""), 0);
}

static void
width_combining_mark_joins_its_base(void **state)
{
	(void)state;
	assert_int_equal(utf8_width("e\xcc\x81"), 1);	/* e + U+0301 */
	assert_int_equal(utf8_width("e\xcc\x81te"), 3);
}

static void
width_emoji_sequences_are_two_columns(void **state)
{
	(void)state;
	assert_int_equal(utf8_width("\xf0\x9f\xa5\xa8"), 2);	/* pretzel */
	assert_int_equal(utf8_width("\xe2\x9d\xa4\xef\xb8\x8f"), 2); /* ❤️ */
	assert_int_equal(utf8_width("\xe2\x9d\xa4"), 1);	/* ❤ text */
	assert_int_equal(utf8_width("👍🏽"), 2);		/* skin tone */
	assert_int_equal(utf8_width("👨‍👩‍👧"), 2);		/* ZWJ family */
	assert_int_equal(utf8_width("🇩🇪"), 2);		/* flag */
	assert_int_equal(utf8_width("🇩🇪🇧🇷"), 4);		/* two flags */
	assert_int_equal(utf8_width("🏳️‍🌈"), 2);		/* VS16 + ZWJ */
	assert_int_equal(utf8_width("1\xef\xb8\x8f\xe2\x83\xa3"), 2); /* 1️⃣ */
}

static void
width_controls_show_as_one_column(void **state)
{
	(void)state;
	assert_int_equal(utf8_width("a\x01" "b"), 3);
	assert_int_equal(utf8_width("\xc2\x85"), 1);	/* C1 NEL */
}

static void
invalid_bytes_are_one_replacement_each(void **state)
{
	uint32_t	cp;

	(void)state;
	assert_int_equal(utf8_decode("\xff", 1, &cp), 1);
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(utf8_decode("\xe2\x82", 2, &cp), 1);	/* truncated */
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 1);	/* overlong */
	assert_int_equal(utf8_width("a\xff" "b"), 3);
}

static void
fit_never_splits_a_grapheme(void **state)
{
	const char	*s = "ab👨‍👩‍👧cd";
	size_t		 n;
	int		 used;

	(void)state;
	n = utf8_fit(s, strlen(s), 3, &used);
	assert_int_equal(n, 2);		/* the family needs 2 more columns */
	assert_int_equal(used, 2);
	n = utf8_fit(s, strlen(s), 4, &used);
	assert_int_equal(used, 4);
	assert_int_equal(n, strlen("ab👨‍👩‍👧"));
	n = utf8_fit("ab\ncd", 5, 10, &used);
	assert_int_equal(n, 2);		/* stops at a newline */
}

static void
pad_gives_exact_width_with_ellipsis(void **state)
{
	char	*s;

	(void)state;
	s = utf8_pad("Grüße aus München", 8, 0);
	assert_int_equal(utf8_width(s), 8);
	assert_string_equal(s, "Grüße a\xe2\x80\xa6");
	free(s);
	s = utf8_pad("中文中文", 6, 1);
	assert_int_equal(utf8_width(s), 6);
	assert_string_equal(s, "中文~ ");	/* pad, never half a glyph */
	free(s);
	s = utf8_pad("ok", 4, 0);
	assert_string_equal(s, "ok  ");
	free(s);
	s = utf8_trunc("🇩🇪🇩🇪", 3, 0);
	assert_int_equal(utf8_width(s), 3);
	free(s);
}

static void
safe_form_takes_the_grapheme_width(void **state)
{
	char		 out[UTF8_GRAPHEME_MAX];
	const char	*g[] = { "❤️", "👍🏽", "👨‍👩‍👧", "🇩🇪", "e\xcc\x81", "中",
			    "🏳️‍🌈", "1\xef\xb8\x8f\xe2\x83\xa3", "\x07" };
	size_t		 i, n;
	int		 w;

	(void)state;
	for (i = 0; i < sizeof g / sizeof g[0]; i++) {
		utf8_grapheme(g[i], strlen(g[i]), &w);
		n = utf8_safe_form(g[i], strlen(g[i]), UTF8_EMOJI_SAFE, out);
		assert_true(n > 0);
		/* The safe form holds no joiner, selector or modifier. */
		assert_null(strstr(out, "\xe2\x80\x8d"));
		assert_null(strstr(out, "\xef\xb8\x8f"));
		assert_null(strstr(out, "\xf0\x9f\x8f\xbd"));
		assert_int_equal(utf8_width(out), w);
	}
	n = utf8_safe_form("\x07", 1, UTF8_EMOJI_SAFE, out);
	assert_string_equal(out, "?");
	assert_int_equal(n, 1);
	n = utf8_safe_form("❤️", strlen("❤️"), UTF8_EMOJI_SAFE, out);
	assert_string_equal(out, "\xe2\x9d\xa4 ");
	assert_int_equal(n, 4);
	n = utf8_safe_form("❤️", strlen("❤️"), UTF8_EMOJI_FULL, out);
	assert_string_equal(out, "❤️");
	assert_int_equal(n, strlen("❤️"));
}

static void
overrides_change_one_code_point(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_int_equal(utf8_set_overrides("U+2764=2, U+4E2D=1", &cause), 0);
	assert_int_equal(utf8_width("\xe2\x9d\xa4"), 2);
	assert_int_equal(utf8_width("中"), 1);
	utf8_clear_overrides();
	assert_int_equal(utf8_width("中"), 2);
	assert_int_equal(utf8_set_overrides("U+2764=3", &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(utf8_set_overrides("2764=1", &cause), -1);
	free(cause);
}

/* What the TUI sends for each grapheme of s, concatenated. */
static void
safe_string(const char *s, enum utf8_emoji mode, char *out, size_t outlen)
{
	char	form[UTF8_GRAPHEME_MAX];
	size_t	off = 0, len = strlen(s), n, fl, used = 0;
	int	w;

	while (off < len) {
		n = utf8_grapheme(s + off, len - off, &w);
		fl = utf8_safe_form(s + off, n, mode, form);
		assert_true(used + fl < outlen);
		memcpy(out + used, form, fl);
		used += fl;
		off += n;
	}
	out[used] = '\0';
}

static void
bidi_controls_never_reach_the_terminal(void **state)
{
	/* RLO, LRI, PDI, RLM, LRM, ALM after and between letters. */
	/* NOLINTNEXTLINE(misc-misleading-bidirectional): the very thing tested */
	const char	*s = "ab\xe2\x80\xae" "cd\xe2\x81\xa6" "e\xe2\x81\xa9"
	    "\xe2\x80\x8f" "f\xe2\x80\x8e" "\xd8\x9c" "g";
	char		 out[128];

	(void)state;
	assert_int_equal(utf8_width(s), 7);
	safe_string(s, UTF8_EMOJI_SAFE, out, sizeof out);
	assert_string_equal(out, "abcdefg");
	safe_string(s, UTF8_EMOJI_FULL, out, sizeof out);
	assert_string_equal(out, "abcdefg");
	/* A bidi control at the very start, before a combining mark. */
	/* NOLINTNEXTLINE(misc-misleading-bidirectional): the very thing tested */
	safe_string("\xe2\x80\xae" "e\xcc\x81", UTF8_EMOJI_FULL, out,
	    sizeof out);
	assert_string_equal(out, "e\xcc\x81");
}

static void
clean_for_plain_output(void **state)
{
	struct buf	b;
	/* NOLINTNEXTLINE(misc-misleading-bidirectional): the very thing tested */
	const char	*s = "ok\x1b]52;c;eA==\x07 \xc2\x9b" "2J\r\t\n"
	    "\xe2\x80\xae" "x\x7f\x80y";
	size_t		 n;

	(void)state;
	buf_init(&b, 0);
	n = utf8_clean(s, strlen(s), 1, &b);
	assert_int_equal(n, strlen(s));
	assert_string_equal(b.data, "ok?]52;c;eA==? ?2J?\t\nx?\xef\xbf\xbdy");
	buf_reset(&b);
	/* A sequence cut at the end is left for the next call... */
	n = utf8_clean("a\xc3", 2, 0, &b);
	assert_int_equal(n, 1);
	assert_string_equal(b.data, "a");
	/* ...and is a replacement character when nothing follows. */
	n = utf8_clean("\xc3", 1, 1, &b);
	assert_int_equal(n, 1);
	assert_string_equal(b.data, "a\xef\xbf\xbd");
	buf_reset(&b);
	/* A lead byte followed by a non-continuation is bad at once. */
	n = utf8_clean("\xe2\x80" "A", 3, 0, &b);
	assert_int_equal(n, 3);
	assert_string_equal(b.data, "\xef\xbf\xbd\xef\xbf\xbd" "A");
	buf_release(&b);
}

static void
valid_text_and_the_first_bad_byte(void **state)
{
	size_t	bad = 99;

	(void)state;
	assert_true(utf8_valid("", 0, &bad));
	assert_true(utf8_valid("Grüße \xef\xbf\xbd \xf0\x9f\x91\x8b", 16, &bad));
	assert_int_equal(bad, 99);	/* untouched when valid */
	/* a lone continuation byte, after "ab" */
	assert_false(utf8_valid("ab\x80", 3, &bad));
	assert_int_equal(bad, 2);
	/* overlong '/', a surrogate, past U+10FFFF, a cut sequence */
	assert_false(utf8_valid("x\xc0\xaf", 3, &bad));
	assert_int_equal(bad, 1);
	assert_false(utf8_valid("\xed\xa0\x80", 3, &bad));
	assert_int_equal(bad, 0);
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4, &bad));
	assert_false(utf8_valid("\xc3", 1, &bad));
	/* NUL is not text */
	assert_false(utf8_valid("a\0b", 3, &bad));
	assert_int_equal(bad, 1);
	assert_true(utf8_valid("a\0b", 1, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(width_ascii_umlauts_cjk),
		cmocka_unit_test(width_combining_mark_joins_its_base),
		cmocka_unit_test(width_emoji_sequences_are_two_columns),
		cmocka_unit_test(width_controls_show_as_one_column),
		cmocka_unit_test(invalid_bytes_are_one_replacement_each),
		cmocka_unit_test(fit_never_splits_a_grapheme),
		cmocka_unit_test(pad_gives_exact_width_with_ellipsis),
		cmocka_unit_test(safe_form_takes_the_grapheme_width),
		cmocka_unit_test(overrides_change_one_code_point),
		cmocka_unit_test(bidi_controls_never_reach_the_terminal),
		cmocka_unit_test(clean_for_plain_output),
		cmocka_unit_test(valid_text_and_the_first_bad_byte),
	};

	return (cmocka_run_group_tests(tests, setup, NULL));
}
