/* Unit tests for conf-optin.c: [optin] texts, display_number, the
 * click-to-chat link's encoding and the refusals, each naming its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "conf-optin.h"
#include "xmalloc.h"

#define GRAPH	"[graph]\nphone_number_id = 1065\nwaba_id = 1022\n"
#define SALES	"[number sales]\nphone_number_id = 2065\nwaba_id = 2022\n" \
		"token_file = sales_token\n"

/* conf_load of text, as the client reads it (no secrets). */
static int
load(struct conf *conf, const char *text, char **cause)
{
	char	 path[] = "/tmp/test_conf_optin.XXXXXX";
	FILE	*f;
	int	 fd, rc;

	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	conf_defaults(conf);
	*cause = NULL;
	rc = conf_load(conf, path, 0, cause);
	unlink(path);
	return (rc);
}

static void
texts_and_numbers(void **state)
{
	struct conf	 conf;
	char		*cause, *t;

	(void)state;
	assert_int_equal(load(&conf, GRAPH
	    "display_number = +49 (30) 123-4567\n"
	    "label = DE\n"
	    SALES
	    "display_number = 4930 7654321\n"
	    "[business]\nname = Bäckerei Müller\n"
	    "[optin]\ntext = Ja, ich will News von {business}!\n"
	    "[optin sales]\ntext = START sales\n", &cause), 0);
	assert_null(cause);
	assert_string_equal(conf_optin_display(&conf, "DE"), "49301234567");
	assert_string_equal(conf_optin_display(&conf, "sales"), "49307654321");
	assert_null(conf_optin_display(&conf, "nope"));
	t = conf_optin_text(&conf, "DE");
	assert_string_equal(t, "Ja, ich will News von Bäckerei Müller!");
	free(t);
	t = conf_optin_text(&conf, "sales");
	assert_string_equal(t, "START sales");
	free(t);
	t = conf_optin_text(&conf, NULL);
	assert_string_equal(t, "Ja, ich will News von Bäckerei Müller!");
	free(t);
	conf_release(&conf);

	/* Without [optin]: the default, with or without a business name. */
	assert_int_equal(load(&conf, GRAPH "[business]\nname = Acme\n",
	    &cause), 0);
	t = conf_optin_text(&conf, "main");
	assert_string_equal(t, "START \xe2\x80\x93 yes, I want news from "
	    "Acme");
	free(t);
	assert_null(conf_optin_display(&conf, "main"));
	conf_release(&conf);
	assert_int_equal(load(&conf, GRAPH, &cause), 0);
	t = conf_optin_text(&conf, NULL);
	assert_string_equal(t, CONF_OPTIN_DEFAULT_ANON);
	free(t);
	conf_release(&conf);
}

static void
links(void **state)
{
	char	*l;

	(void)state;
	l = conf_optin_link("4930123", "A b&c=d/é~-._?#+%");
	assert_string_equal(l, "https://wa.me/4930123?text="
	    "A%20b%26c%3Dd%2F%C3%A9~-._%3F%23%2B%25");
	free(l);
	l = conf_optin_link("1", "START \xe2\x80\x93 Zo\xc3\xab");
	assert_string_equal(l, "https://wa.me/1?text=START%20%E2%80%93%20"
	    "Zo%C3%AB");
	assert_true(strlen(l) <= CONF_OPTIN_LINK_MAX);
	free(l);
}

static void
refusals(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} bad[] = {
		{ GRAPH "display_number = 12\n", ":4: [graph] display_number "
		    "expects the number's public phone number" },
		{ GRAPH "display_number = +999 1234567\n", ":4: [graph] "
		    "display_number expects" },
		{ GRAPH "display_number = call us\n", ":4: [graph] "
		    "display_number" },
		{ "[graph]\ndisplay_number = +49 30 1234567\n", ":2: [graph] "
		    "display_number needs [graph] phone_number_id" },
		{ GRAPH "[number x]\ndisplay_number = +49 30 1234567\n",
		    ":5: [number x] display_number: the section has no "
		    "phone_number_id" },
		{ GRAPH "[optin]\ntext = \n", ":5: [optin] text expects UTF-8 "
		    "text of 1 to 256 bytes" },
		{ GRAPH "[optin]\ntext =    \n", ":5: [optin] text expects" },
		{ GRAPH "[optin]\ntext = \xff\xfe\n", ":5: [optin] text "
		    "expects UTF-8" },
		{ GRAPH "[optin]\ntext = a\x01z\n", ":5: [optin] text "
		    "expects" },
		{ GRAPH "[optin nope]\ntext = x\n", ":5: [optin nope]: no "
		    "number has the label 'nope'" },
		{ GRAPH "[optin a b]\ntext = x\n", ":5: [optin a b]: the "
		    "label of a number" },
		{ GRAPH "[optin]\nfoo = x\n", ":5: [optin] needs its text" },
		{ GRAPH "[optin]\ntext = from {business}\n", ":5: [optin] "
		    "text uses {business} but [business] name is not set" },
		{ GRAPH "[business]\nname = A very long business name that "
		    "fills sixty-four bytes, yes\n[optin]\ntext = {business}"
		    "{business}{business}{business}{business}\n", ":7: "
		    "[optin] text is longer than 256 bytes once {business}" },
	};
	struct conf	 conf;
	char		*cause, big[400];
	size_t		 i, n;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(load(&conf, bad[i].text, &cause), -1);
		assert_non_null(cause);
		if (strstr(cause, bad[i].want) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, cause,
			    bad[i].want);
		free(cause);
		conf_release(&conf);
	}
	/* 257 bytes: one too many. */
	memset(big, 0, sizeof big);
	snprintf(big, sizeof big, GRAPH "[optin]\ntext = ");
	n = strlen(big);
	memset(big + n, 'x', 257);
	big[n + 257] = '\n';
	assert_int_equal(load(&conf, big, &cause), -1);
	assert_non_null(strstr(cause, "1 to 256 bytes"));
	free(cause);
	conf_release(&conf);
}

static void
digits(void **state)
{
	char		 out[CONF_OPTIN_DIGITS_MAX];
	const char	*why;

	(void)state;
	assert_int_equal(conf_optin_digits("+49 30 1234567", out, sizeof out,
	    &why), 0);
	assert_string_equal(out, "49301234567");
	assert_int_equal(conf_optin_digits("0049 (0)30 1234567", out,
	    sizeof out, &why), 0);
	assert_string_equal(out, "49301234567");
	assert_int_equal(conf_optin_digits("12025550147", out, sizeof out,
	    &why), 0);
	assert_string_equal(out, "12025550147");
	assert_int_equal(conf_optin_digits("030 1234567", out, sizeof out,
	    &why), -1);
	assert_non_null(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(texts_and_numbers),
		cmocka_unit_test(links),
		cmocka_unit_test(refusals),
		cmocka_unit_test(digits),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
