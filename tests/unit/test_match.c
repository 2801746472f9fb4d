/*
 * The pickers' ranking (src/common/match.c): exact before prefix before
 * word start before substring before subsequence, folded for case and
 * Latin accents, and for several fields the earlier field first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "match.h"

static int
score1(const char *text, const char *query)
{
	char		 q[256];
	const char	*f[1] = { text };

	match_fold(query, q, sizeof q);
	return (match_score(f, 1, q));
}

static enum match_kind
kind(const char *text, const char *query)
{
	char	q[256];

	match_fold(query, q, sizeof q);
	return (match_kind(text, q));
}

static void
match_kinds_in_order(void **state)
{
	(void)state;
	assert_int_equal(kind("Rosa", "rosa"), MATCH_EXACT);
	assert_int_equal(kind("Rosa Klein", "rosa"), MATCH_PREFIX_WORD);
	assert_int_equal(kind("Rosalind Meyer", "rosa"), MATCH_PREFIX);
	assert_int_equal(kind("Anna Rosa", "rosa"), MATCH_WORD);
	assert_int_equal(kind("Klein, Rosa", "rosa kl"), MATCH_WORD);
	assert_int_equal(kind("Primrosa", "rosa"), MATCH_SUBSTR);
	assert_int_equal(kind("Aleksandra Dąbrowska", "rosa"), MATCH_SUBSEQ);
	assert_int_equal(kind("Tom", "rosa"), MATCH_NONE);
	assert_int_equal(kind("Tom", ""), MATCH_SUBSEQ);
}

/* The report of issue 13: Rosa Klein first, Aleksandra last. */
static void
match_rosa_before_aleksandra(void **state)
{
	(void)state;
	assert_true(score1("Rosa Klein", "rosa") >
	    score1("Rosalind Meyer", "rosa"));
	assert_true(score1("Rosalind Meyer", "rosa") >
	    score1("Anna Rosa", "rosa"));
	assert_true(score1("Anna Rosa", "rosa") >
	    score1("Primrosa", "rosa"));
	assert_true(score1("Primrosa", "rosa") >
	    score1("Aleksandra Dąbrowska", "rosa"));
	assert_true(score1("Aleksandra Dąbrowska", "rosa") > 0);
	assert_int_equal(score1("Tom", "rosa"), 0);
}

static void
match_folds_case_and_accents(void **state)
{
	char	out[64];

	(void)state;
	match_fold("ÄÖÜ äöü ß Łódź Dąbrowska ŒUVRE", out, sizeof out);
	assert_string_equal(out, "aou aou ss lodz dabrowska ouvre");
	assert_int_equal(kind("Jürgen Müller", "jurgen"), MATCH_PREFIX_WORD);
	assert_int_equal(kind("Jurgen", "JÜRGEN"), MATCH_EXACT);
	assert_int_equal(kind("Straße", "strasse"), MATCH_EXACT);
	/* Other scripts: compared exactly, never cut in the middle. */
	assert_int_equal(kind("Дмитрий", "дми"), MATCH_PREFIX);
	assert_int_equal(kind("ΑΘΗΝΑ", "αθηνα"), MATCH_EXACT);
	assert_int_equal(kind("山田 太郎", "太郎"), MATCH_WORD);
}

static void
match_fold_cuts_at_characters(void **state)
{
	char	out[6];

	(void)state;
	/* 5 bytes of room: "ab" then a 3-byte character fits, the next no. */
	assert_int_equal(match_fold("ab山田", out, sizeof out), 5);
	assert_string_equal(out, "ab山");
	assert_int_equal(match_fold("abcd山", out, sizeof out), 4);
	assert_string_equal(out, "abcd");
	assert_int_equal(match_fold("x", out, 1), 0);
	assert_string_equal(out, "");
	/* A broken sequence does not read past the end. */
	assert_int_equal(match_fold("a\xc3", out, sizeof out), 2);
	assert_int_equal(match_fold("\xe5\xb1", out, sizeof out), 2);
}

/* The canned picker: /tracking before /damaged for "track". */
static void
match_fields_shortcut_title_body(void **state)
{
	const char	*tracking[] = { "tracking", "Where is my parcel",
			    "Your parcel's tracking number is ..." };
	const char	*damaged[] = { "damaged", "Damaged on arrival",
			    "Send a photo; we track every claim." };
	const char	*in_title[] = { "late", "Tracking delayed", "..." };
	const char	*in_body[] = { "hello", "Greeting", "Track it here" };
	const char	*subseq[] = { "thanks", "Thank you", "..." };
	char		 q[32];

	(void)state;
	match_fold("track", q, sizeof q);
	assert_true(match_score(tracking, 3, q) > match_score(in_title, 3, q));
	assert_true(match_score(in_title, 3, q) > match_score(in_body, 3, q));
	assert_true(match_score(in_body, 3, q) > match_score(damaged, 3, q));
	assert_true(match_score(damaged, 3, q) > 0);
	/* Any word start beats a weak match in an earlier field. */
	match_fold("tha", q, sizeof q);
	assert_true(match_score(subseq, 3, q) > 0);
	assert_true(match_score(in_body, 3, q) == 0 ||
	    match_score(in_body, 3, q) < match_score(subseq, 3, q));
}

static void
match_bounds(void **state)
{
	char		 big[4096], q[64];
	const char	*f[2] = { NULL, big };

	(void)state;
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	match_fold("aaa", q, sizeof q);
	assert_int_equal(match_kind(big, q), MATCH_PREFIX);
	assert_true(match_score(f, 2, q) > 0);
	assert_int_equal(match_score(f, 0, q), 0);
}

/*
 * match_letters is only a quick no: whatever kind a text matches a query
 * by, its letters cover the query's. 200,000 random pairs of a small
 * alphabet (letters, digits, spaces, an umlaut) so that every kind occurs.
 */
static void
match_letters_never_hides_a_match(void **state)
{
	static const char *const bits[] = { "a", "b", "k", "l", "o", "r",
				    "s", " ", "4", "7", "\xc3\xbc", "-" };
	char		 t[64] = "", q[32] = "";
	int		 i, j, n, kinds[MATCH_EXACT + 1] = { 0 };
	enum match_kind	 k;

	(void)state;
	srandom(14);
	for (i = 0; i < 200000; i++) {
		t[0] = q[0] = '\0';
		n = 1 + (int)(random() % 12);
		for (j = 0; j < n; j++)
			snprintf(t + strlen(t), sizeof t - strlen(t), "%s",
			    bits[random() % 12]);
		n = 1 + (int)(random() % 4);
		for (j = 0; j < n; j++)
			snprintf(q + strlen(q), sizeof q - strlen(q), "%s",
			    bits[random() % 12]);
		k = match_kind_folded(t, q);
		kinds[k]++;
		if (k != MATCH_NONE)
			assert_int_equal(match_letters(q) & ~match_letters(t), 0);
	}
	/* The pairs did reach every kind. */
	for (i = 0; i <= MATCH_EXACT; i++)
		assert_true(kinds[i] > 0);
}

/*
 * One letter typed has a pass of its own; it agrees with the general
 * rules, written out here as the issue states them: exact, prefix (a
 * whole word or not), a word start, inside a word.
 */
static enum match_kind
letter_oracle(const char *t, char c)
{
	size_t	i, n = strlen(t);
	int	inside = 0;

	if (n == 1 && t[0] == c)
		return (MATCH_EXACT);
	if (t[0] == c)
		return ((t[1] >= 'a' && t[1] <= 'z') || (t[1] >= '0' &&
		    t[1] <= '9') || (unsigned char)t[1] >= 0x80 ?
		    MATCH_PREFIX : MATCH_PREFIX_WORD);
	for (i = 1; i < n; i++) {
		if (t[i] != c)
			continue;
		if (!((t[i - 1] >= 'a' && t[i - 1] <= 'z') ||
		    (t[i - 1] >= '0' && t[i - 1] <= '9') ||
		    (unsigned char)t[i - 1] >= 0x80))
			return (MATCH_WORD);
		inside = 1;
	}
	return (inside ? MATCH_SUBSTR : MATCH_NONE);
}

static void
match_one_letter_as_the_rules_say(void **state)
{
	static const char *const bits[] = { "a", "b", "k", " ", "4", "-",
				    "\xc3\xbc", "ab" };
	static const char letters[] = "abk4";
	char		 t[64] = "", q[2] = "";
	int		 i, j, n;

	(void)state;
	srandom(15);
	for (i = 0; i < 100000; i++) {
		memset(t, 0, sizeof t);
		n = 1 + (int)(random() % 8);
		for (j = 0; j < n; j++)
			snprintf(t + strlen(t), sizeof t - strlen(t), "%s",
			    bits[random() % 8]);
		q[0] = letters[random() % 4];
		q[1] = '\0';
		assert_int_equal(match_kind_folded(t, q), letter_oracle(t, q[0]));
	}
	assert_int_equal(match_kind_folded("rosa", "r"), MATCH_PREFIX);
	assert_int_equal(match_kind_folded("r klein", "r"), MATCH_PREFIX_WORD);
	assert_int_equal(match_kind_folded("anna rosa", "r"), MATCH_WORD);
	assert_int_equal(match_kind_folded("maria", "r"), MATCH_SUBSTR);
	assert_int_equal(match_kind_folded("anna", "r"), MATCH_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(match_kinds_in_order),
		cmocka_unit_test(match_rosa_before_aleksandra),
		cmocka_unit_test(match_folds_case_and_accents),
		cmocka_unit_test(match_fold_cuts_at_characters),
		cmocka_unit_test(match_fields_shortcut_title_body),
		cmocka_unit_test(match_bounds),
		cmocka_unit_test(match_letters_never_hides_a_match),
		cmocka_unit_test(match_one_letter_as_the_rules_say),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
